/* SPDX-License-Identifier: MIT */
/*
 * Wi-Fi control and the data path of the CYW43439 driver against the chip model and its
 * simulated AP: scan, join (open, WPA2 passphrase, WPA2 PMK), the failure reasons (wrong
 * passphrase, no such network), AP loss and return, leave, frames both ways to a wire peer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "tests/unit/cyw43439/rig.h"
#include "tests/unit/support/test_support.h"

static bool join_called(struct rig *r, void *arg)
{
	(void)arg;
	return r->join_calls > 0;
}

static bool link_is(struct rig *r, void *arg)
{
	bool want = arg != NULL;

	return ((nb_netdev_flags(rig_dev(r)) & NB_NETDEV_F_RUNNING) != 0) == want;
}

#define UP ((void *)1)
#define DOWN NULL

struct link_log {
	unsigned calls, ups, downs;
	bool last;
};

static void on_link(struct nb_netdev *dev, const struct nb_link_state *st, void *ctx)
{
	struct link_log *l = ctx;

	(void)dev;
	l->calls++;
	l->last = st->up;
	if (st->up)
		l->ups++;
	else
		l->downs++;
}

static void test_wifi_join_open(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .open_ap = true, .fast = true });
	struct nb_link_state st;

	(void)state;
	rig_boot_join(r);
	assert_true(nb_cyw43439_model_link_up(r->m));
	assert_int_equal(nb_netdev_get_link(rig_dev(r), &st), 0);
	assert_true(st.up);
	assert_true(st.speed_mbps > 0);
	assert_int_equal(nb_wifi_ap_station_count(r->ap), 1);
	assert_int_equal(r->violations, 0);
	rig_free(r);
}

static void test_wifi_join_wpa2_passphrase(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });
	struct link_log l = { 0 };

	(void)state;
	rig_boot(r);
	nb_netdev_set_link_handler(rig_dev(r), on_link, &l);
	assert_int_equal(l.calls, 1); /* once on registration: down */
	assert_int_equal(rig_join(r, NULL), 0);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_JOINING);
	assert_true(rig_run_until(r, join_called, NULL, 10 * NB_NS_PER_S));
	assert_int_equal(r->join_result, 0);
	assert_int_equal(l.ups, 1);
	assert_true(nb_cyw43439_model_link_up(r->m));
	assert_int_equal(nb_wifi_ap_stats(r->ap)->handshake_failures, 0);
	rig_free(r);
}

static void test_wifi_join_wpa2_pmk(void **state)
{
	/* PMK of "correct horse battery" for SSID "netbench-ap" is not needed: the AP is given
	 * the PMK itself (64 hex digits) and the driver the same 32 bytes */
	static const char pmk_hex[] =
		"8c5d1e2a99f04b7a3c6e0d12ab34cd56ef7890a1b2c3d4e5f60718293a4b5c6d";
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true, .ap_passphrase = pmk_hex });
	uint8_t pmk[32];
	struct nb_cyw43439_join_params p = {
		.ssid = (const uint8_t *)RIG_SSID,
		.ssid_len = strlen(RIG_SSID),
		.security = NB_CYW43439_SEC_WPA2_PSK,
		.pmk = pmk,
	};

	(void)state;
	for (int i = 0; i < 32; i++) {
		unsigned v;

		sscanf(pmk_hex + 2 * i, "%2x", &v);
		pmk[i] = (uint8_t)v;
	}
	rig_boot(r);
	assert_int_equal(nb_cyw43439_join(&r->drv, &p, NULL, NULL), 0);
	assert_true(rig_run_until(r, link_is, UP, 10 * NB_NS_PER_S));
	/* and a wrong PMK is refused with the passphrase reason */
	assert_int_equal(nb_cyw43439_leave(&r->drv), 0);
	pmk[0] ^= 1;
	r->join_calls = 0;
	assert_int_equal(nb_cyw43439_join(&r->drv, &p, NULL, NULL), 0);
	rig_run_for(r, 5 * NB_NS_PER_S);
	assert_false(nb_netdev_flags(rig_dev(r)) & NB_NETDEV_F_RUNNING);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_WRONG_PASSPHRASE);
	rig_free(r);
}

/*
 * Wrong passphrase, both ways it shows (reference §4.5): the AP deauthenticates us before our
 * supplicant gives up (DEAUTH_IND after LINK up), or the supplicant times out waiting for M3
 * (PSK_SUP with reason 15) before the AP does. Either is reported as wrong_passphrase.
 */
static void wrong_passphrase(uint64_t ap_handshake_ns)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true,
						    .ap_handshake_ns = ap_handshake_ns });
	struct link_log l = { 0 };

	rig_boot(r);
	nb_netdev_set_link_handler(rig_dev(r), on_link, &l);
	assert_int_equal(rig_join(r, "not the passphrase"), 0);
	assert_true(rig_run_until(r, join_called, NULL, 20 * NB_NS_PER_S));
	assert_int_equal(r->join_calls, 1);
	assert_int_equal(r->join_result, -NB_EACCES);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_WRONG_PASSPHRASE);
	assert_string_equal(nb_cyw43439_reason_name(nb_cyw43439_reason(&r->drv)),
			    "wrong_passphrase");
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_READY);
	assert_int_equal(l.ups, 0); /* the link never came up */
	assert_true(nb_wifi_ap_stats(r->ap)->handshake_failures >= 1);
	/* no retry loop behind the caller's back */
	rig_run_for(r, 5 * NB_NS_PER_S);
	assert_int_equal(r->join_calls, 1);
	assert_int_equal(nb_cyw43439_stats(&r->drv)->rejoins, 0);
	assert_int_equal(l.ups, 0);
	/* the right passphrase afterwards works */
	r->join_calls = 0;
	assert_int_equal(rig_join(r, NULL), 0);
	assert_true(rig_run_until(r, join_called, NULL, 20 * NB_NS_PER_S));
	assert_int_equal(r->join_result, 0);
	rig_free(r);
}

static void test_wifi_wrong_passphrase_fails_clearly(void **state)
{
	(void)state;
	wrong_passphrase(200 * NB_NS_PER_MS); /* the AP deauthenticates first */
	wrong_passphrase(10 * NB_NS_PER_S);   /* our supplicant (2.5 s) times out first */
}

static void test_wifi_no_such_network(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true, .no_ap = true });

	(void)state;
	rig_boot(r);
	assert_int_equal(rig_join(r, NULL), 0);
	assert_true(rig_run_until(r, join_called, NULL, 20 * NB_NS_PER_S));
	assert_int_equal(r->join_result, -NB_ENOENT);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_NO_NETWORK);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_READY);
	rig_free(r);
}

static void test_wifi_join_rejects_bad_parameters(void **state)
{
	struct rig *r = rig_new(NULL);
	struct nb_cyw43439_join_params p = {
		.ssid = (const uint8_t *)RIG_SSID,
		.ssid_len = strlen(RIG_SSID),
		.security = NB_CYW43439_SEC_WPA2_PSK,
		.passphrase = "short",
		.passphrase_len = 5,
	};

	(void)state;
	assert_int_equal(nb_cyw43439_join(&r->drv, &p, NULL, NULL), -NB_EINVAL);
	p.passphrase = "long enough";
	p.passphrase_len = 11;
	assert_int_equal(nb_cyw43439_join(&r->drv, &p, NULL, NULL), -NB_ENETDOWN); /* not up */
	p.ssid_len = 33;
	assert_int_equal(nb_cyw43439_join(&r->drv, &p, NULL, NULL), -NB_EINVAL);
	p.ssid_len = 0;
	assert_int_equal(nb_cyw43439_join(&r->drv, &p, NULL, NULL), -NB_EINVAL);
	rig_free(r);
}

static void test_wifi_ap_vanishing_link_down_and_return(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });
	struct link_log l = { 0 };

	(void)state;
	rig_boot_join(r);
	nb_netdev_set_link_handler(rig_dev(r), on_link, &l);
	nb_wifi_ap_set_on_air(r->ap, false, NB_WIFI_AP_SILENT);
	assert_true(rig_run_until(r, link_is, DOWN, 5 * NB_NS_PER_S));
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_AP_LOST);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_JOINING);
	/* while it is gone the driver keeps trying, without success */
	rig_run_for(r, 2 * NB_NS_PER_S);
	assert_true(nb_cyw43439_stats(&r->drv)->rejoins >= 1);
	assert_false(l.last);
	nb_wifi_ap_set_on_air(r->ap, true, NB_WIFI_AP_SILENT);
	assert_true(rig_run_until(r, link_is, UP, 10 * NB_NS_PER_S));
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_JOINED);
	assert_int_equal(l.downs, 1); /* the loss */
	assert_int_equal(l.ups, 2);   /* registration (joined) + return */
	assert_int_equal(r->join_calls, 1); /* the join callback belongs to the first join */
	rig_free(r);
}

static void test_wifi_ap_deauth_link_down_and_return(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });

	(void)state;
	rig_boot_join(r);
	nb_wifi_ap_set_on_air(r->ap, false, NB_WIFI_AP_DEAUTH);
	assert_true(rig_run_until(r, link_is, DOWN, 5 * NB_NS_PER_S));
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_DEAUTHENTICATED);
	nb_wifi_ap_set_on_air(r->ap, true, NB_WIFI_AP_SILENT);
	assert_true(rig_run_until(r, link_is, UP, 10 * NB_NS_PER_S));
	rig_free(r);
}

static void test_wifi_leave(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });

	(void)state;
	rig_boot_join(r);
	assert_int_equal(nb_cyw43439_leave(&r->drv), 0);
	assert_false(nb_netdev_flags(rig_dev(r)) & NB_NETDEV_F_RUNNING); /* at once */
	rig_run_for(r, NB_NS_PER_S);
	assert_false(nb_cyw43439_model_link_up(r->m));
	assert_int_equal(nb_wifi_ap_station_count(r->ap), 0);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_READY);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_LEFT);
	assert_int_equal(nb_cyw43439_stats(&r->drv)->rejoins, 0);
	rig_free(r);
}

struct scan_log {
	unsigned results, done;
	int status;
	bool saw_ap;
	struct nb_cyw43439_scan_result ap;
};

static void on_scan(struct nb_cyw43439 *d, const struct nb_cyw43439_scan_result *res,
		    int status, void *ctx)
{
	struct scan_log *s = ctx;

	(void)d;
	if (!res) {
		s->done++;
		s->status = status;
		return;
	}
	s->results++;
	if (res->ssid_len == strlen(RIG_SSID) && memcmp(res->ssid, RIG_SSID, res->ssid_len) == 0) {
		s->saw_ap = true;
		s->ap = *res;
	}
}

static bool scan_done(struct rig *r, void *arg)
{
	(void)r;
	return ((struct scan_log *)arg)->done > 0;
}

static void test_wifi_scan_reports_the_ap(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });
	struct scan_log s = { 0 };
	uint8_t bssid[6];

	(void)state;
	rig_boot(r);
	assert_int_equal(nb_cyw43439_scan(&r->drv, on_scan, &s), 0);
	assert_int_equal(nb_cyw43439_scan(&r->drv, on_scan, &s), -NB_EBUSY);
	assert_true(rig_run_until(r, scan_done, &s, 10 * NB_NS_PER_S));
	assert_int_equal(s.done, 1);
	assert_int_equal(s.status, 0);
	assert_true(s.saw_ap);
	nb_wifi_ap_bssid(r->ap, bssid);
	assert_memory_equal(s.ap.bssid, bssid, 6);
	assert_int_equal(s.ap.channel, 6);
	assert_true(s.ap.wpa2);
	assert_true(s.ap.privacy);
	assert_int_equal(s.ap.rssi_dbm, nb_wifi_ap_rssi(r->ap));
	assert_int_equal(nb_cyw43439_stats(&r->drv)->scan_results_bad, 0);
	rig_free(r);
}

static void test_wifi_data_both_ways(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });
	struct nb_netdev *dev = rig_dev(r);
	static const size_t lens[] = { 14, 60, 61, 333, 1000, 1513, 1514 };
	uint8_t buf[2048], want[2048], got[2048];
	uint8_t *frame = buf + dev->tx_headroom;

	(void)state;
	rig_boot_join(r);
	rig_record_rx(r);
	/* wire peer -> AP -> chip -> driver */
	for (unsigned i = 0; i < NB_ARRAY_SIZE(lens); i++) {
		size_t len = lens[i] < 60 ? 60 : lens[i];

		nb_test_frame(want, len, dev->mac, rig_peer_mac, 10 + i);
		assert_int_equal(rig_peer_send(r, want, len), 0);
		rig_run_for(r, 20 * NB_NS_PER_MS);
		assert_int_equal(r->rx_count, i + 1);
		assert_int_equal(r->last_rx.len, len);
		assert_memory_equal(r->last_rx.data, want, len);
	}
	/* driver -> chip -> AP -> wire peer; runts come out padded to 60 */
	for (unsigned i = 0; i < NB_ARRAY_SIZE(lens); i++) {
		int n;

		nb_test_frame(frame, lens[i], rig_peer_mac, dev->mac, 50 + i);
		memcpy(want, frame, lens[i]);
		assert_int_equal(nb_netdev_send(dev, frame, lens[i]), 0);
		assert_memory_equal(frame, want, lens[i]); /* the frame itself is untouched */
		rig_run_for(r, 20 * NB_NS_PER_MS);
		n = rig_peer_take(r, got, sizeof(got));
		assert_int_equal(n, lens[i] < 60 ? 60 : lens[i]);
		assert_memory_equal(got, want, lens[i]);
	}
	assert_int_equal(nb_netdev_stats(dev)->tx_frames, NB_ARRAY_SIZE(lens));
	assert_int_equal(nb_netdev_stats(dev)->rx_frames, NB_ARRAY_SIZE(lens));
	assert_int_equal(nb_netdev_drops_total(dev), 0);
	assert_int_equal(r->peer_bad_fcs, 0);
	assert_int_equal(r->violations, 0);
	rig_free(r);
}

static void test_wifi_polled_mode_without_irq(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true,
						    .drv = { .no_irq = true,
							     .poll_interval_ns = 2 * NB_NS_PER_MS } });
	struct nb_netdev *dev = rig_dev(r);
	uint8_t f[200];

	(void)state;
	assert_false(nb_netdev_caps(dev) & NB_NETDEV_CAP_IRQ);
	assert_int_equal(dev->poll_interval_ns, 2 * NB_NS_PER_MS);
	rig_boot_join(r);
	rig_record_rx(r);
	nb_test_frame(f, sizeof(f), dev->mac, rig_peer_mac, 3);
	assert_int_equal(rig_peer_send(r, f, sizeof(f)), 0);
	rig_run_for(r, 20 * NB_NS_PER_MS);
	assert_int_equal(r->rx_count, 1);
	assert_memory_equal(r->last_rx.data, f, sizeof(f));
	rig_free(r);
}

static void test_wifi_stop_cancels_and_powers_down(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });

	(void)state;
	rig_boot(r);
	assert_int_equal(rig_join(r, NULL), 0);
	assert_int_equal(nb_netdev_stop(rig_dev(r)), 0);
	assert_int_equal(r->join_calls, 1);
	assert_int_equal(r->join_result, -NB_ECANCELED);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_OFF);
	assert_false(nb_cyw43439_model_powered(r->m));
	/* open again: a full bring-up */
	r->join_calls = 0;
	rig_boot_join(r);
	rig_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wifi_join_open),
		cmocka_unit_test(test_wifi_join_wpa2_passphrase),
		cmocka_unit_test(test_wifi_join_wpa2_pmk),
		cmocka_unit_test(test_wifi_wrong_passphrase_fails_clearly),
		cmocka_unit_test(test_wifi_no_such_network),
		cmocka_unit_test(test_wifi_join_rejects_bad_parameters),
		cmocka_unit_test(test_wifi_ap_vanishing_link_down_and_return),
		cmocka_unit_test(test_wifi_ap_deauth_link_down_and_return),
		cmocka_unit_test(test_wifi_leave),
		cmocka_unit_test(test_wifi_scan_reports_the_ap),
		cmocka_unit_test(test_wifi_data_both_ways),
		cmocka_unit_test(test_wifi_polled_mode_without_irq),
		cmocka_unit_test(test_wifi_stop_cancels_and_powers_down),
	};

	return cmocka_run_group_tests_name("cyw43439_wifi", tests, NULL, NULL);
}
