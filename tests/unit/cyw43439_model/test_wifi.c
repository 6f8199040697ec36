/* SPDX-License-Identifier: MIT */
/* CYW43439 model on the air: escan, join (open, WPA2, failures), link loss, leave, and data
 * through the simulated AP to a wire peer (reference §3.7, §3.8, §4.3-§4.8). */
#include <errno.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "sim/medium/wire.h"
#include "tests/unit/cyw43439_model/tb.h"
#include "tests/unit/support/test_support.h"

#define MS 1000000ull
#define S (1000ull * MS)

enum { E_SET_SSID = 0, E_JOIN = 1, E_AUTH = 3, E_DEAUTH = 5, E_DEAUTH_IND = 6, E_ASSOC = 7,
       E_DISASSOC = 11, E_LINK = 16, E_TXFAIL = 20, E_PRUNE = 23, E_PSK_SUP = 46,
       E_ESCAN = 69, E_ASSOC_REQ_IE = 87, E_ASSOC_RESP_IE = 88 };

struct peer {
	unsigned n;
	uint8_t f[8][1600];
	size_t len[8];
};

struct rig {
	struct tb t;
	struct nb_wifi_ap *open, *wpa;
	struct nb_wire *wire;
	struct peer peer;
};

static const uint8_t BSSID_OPEN[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t BSSID_WPA[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t STA_MAC[6] = { 0x28, 0xCD, 0xC1, 0x00, 0x43, 0x39 };
static const uint8_t PEER_MAC[6] = { 0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE };

static void peer_rx(void *ctx, const uint8_t *f, size_t len, uint32_t flags)
{
	struct peer *p = ctx;

	(void)flags;
	if (p->n < 8) {
		memcpy(p->f[p->n], f, len);
		p->len[p->n] = len;
	}
	p->n++;
}

static const struct nb_wire_end_ops peer_ops = { .rx = peer_rx };

static int setup(void **state)
{
	static struct rig r;
	struct nb_wifi_ap_cfg oc = { .ssid = "netbench-open", .channel = 1, .rssi_dbm = -40 };
	struct nb_wifi_ap_cfg wc = { .ssid = "netbench-wpa2", .channel = 6, .rssi_dbm = -55,
				     .security = NB_WIFI_SEC_WPA2_PSK,
				     .passphrase = "correct horse" };
	struct nb_wire_cfg wcfg = { 0 };

	memset(&r, 0, sizeof(r));
	tb_init(&r.t, NULL);
	memcpy(oc.bssid, BSSID_OPEN, 6);
	memcpy(wc.bssid, BSSID_WPA, 6);
	r.open = nb_wifi_ap_new(r.t.sim, &oc);
	r.wpa = nb_wifi_ap_new(r.t.sim, &wc);
	assert_non_null(r.open);
	assert_non_null(r.wpa);
	r.wire = nb_wire_new(r.t.sim, &wcfg);
	nb_wifi_ap_attach_wire(r.wpa, r.wire, 0);
	nb_wire_attach(r.wire, 1, &peer_ops, &r.peer);
	nb_wire_set_end_up(r.wire, 1, true);
	assert_int_equal(nb_cyw43439_model_add_ap(r.t.m, r.open), 0);
	assert_int_equal(nb_cyw43439_model_add_ap(r.t.m, r.wpa), 0);
	assert_true(tb_boot(&r.t, 77));
	tb_wifi_init(&r.t);
	*state = &r;
	return 0;
}

static int teardown(void **state)
{
	struct rig *r = *state;

	tb_fini(&r->t);
	nb_wifi_ap_free(r->open);
	nb_wifi_ap_free(r->wpa);
	nb_wire_free(r->wire);
	return 0;
}

static int set_bsscfg_u32(struct tb *t, const char *name, uint32_t v)
{
	uint8_t b[8] = { 0, 0, 0, 0, (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	return tb_iovar_set(t, name, b, 8);
}

/* Embassy's join order (§4.3.2); @p pass NULL for open. */
static int join(struct tb *t, const char *ssid, const char *pass, uint32_t tmo)
{
	uint8_t pmk[68] = { 0 }, s[36] = { 0 };

	assert_int_equal(tb_iovar_set_u32(t, "ampdu_ba_wsize", 8), 0);
	assert_int_equal(tb_ioctl_u32(t, 134, pass ? 4 : 0), 0);
	assert_int_equal(set_bsscfg_u32(t, "bsscfg:sup_wpa", pass ? 1 : 0), 0);
	if (pass) {
		int rc;

		assert_int_equal(set_bsscfg_u32(t, "bsscfg:sup_wpa2_eapver", 0xFFFFFFFFu), 0);
		assert_int_equal(set_bsscfg_u32(t, "bsscfg:sup_wpa_tmo", tmo), 0);
		pmk[0] = (uint8_t)strlen(pass);
		pmk[2] = strlen(pass) == 64 ? 0 : 1;
		memcpy(pmk + 4, pass, strlen(pass));
		rc = tb_ioctl(t, 268, true, pmk, 68);
		if (rc)
			return rc;
	}
	assert_int_equal(tb_ioctl_u32(t, 20, 1), 0);
	assert_int_equal(tb_ioctl_u32(t, 22, 0), 0);
	if (pass)
		assert_int_equal(tb_iovar_set_u32(t, "mfp", 1), 0);
	assert_int_equal(tb_ioctl_u32(t, 165, pass ? 0x80 : 0), 0);
	s[0] = (uint8_t)strlen(ssid);
	memcpy(s + 4, ssid, strlen(ssid));
	return tb_ioctl(t, 26, true, s, 36);
}

static void expect_events(const struct tb *t, unsigned from, const uint32_t (*want)[4], size_t n)
{
	assert_int_equal(t->nev - from, n);
	for (size_t i = 0; i < n; i++) {
		const struct tb_event *e = &t->ev[from + i];

		if (e->type != want[i][0] || e->status != want[i][1] || e->reason != want[i][2] ||
		    e->flags != want[i][3])
			fail_msg("event %zu: got (%u, %u, %u, %u), want (%u, %u, %u, %u)", i,
				 e->type, e->status, e->reason, e->flags, want[i][0], want[i][1],
				 want[i][2], want[i][3]);
	}
}

/* §3.8/§4.7: one ESCAN_RESULT(PARTIAL) per BSS, then ESCAN_RESULT(SUCCESS). */
static void test_cyw43439_model_escan_results(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	uint8_t p[76] = { 1, 0, 0, 0, 1, 0, 0x34, 0x12 };
	int wpa_idx = -1;

	memset(p + 44, 0xFF, 6);
	p[50] = 2;
	assert_int_equal(tb_iovar_set(t, "escan", p, sizeof(p)), 0);
	assert_int_equal(tb_iovar_set(t, "escan", p, sizeof(p)), -16); /* one at a time */
	tb_pump(t, 3 * S);
	assert_int_equal(t->nev, 3);
	for (int i = 0; i < 2; i++) {
		const struct tb_event *e = &t->ev[i];
		const uint8_t *d = e->data, *b = d + 12;
		uint32_t blen = b[4] | b[5] << 8, ieo = b[116] | b[117] << 8,
			 iel = b[120] | b[121] << 8;

		assert_int_equal(e->type, E_ESCAN);
		assert_int_equal(e->status, 8);
		assert_int_equal(d[0] | d[1] << 8, 12 + blen);
		assert_int_equal(d[8] | d[9] << 8, 0x1234); /* sync id */
		assert_int_equal(d[10] | d[11] << 8, 1);
		assert_int_equal(b[0] | b[1] << 8, 109);
		assert_true(ieo + iel <= blen);
		if (!memcmp(b + 8, BSSID_WPA, 6)) {
			wpa_idx = i;
			assert_int_equal(b[18], 13);
			assert_memory_equal(b + 19, "netbench-wpa2", 13);
			assert_int_equal(b[72], 6); /* channel in the chanspec */
			assert_int_equal((int16_t)(b[78] | b[79] << 8), -55);
			assert_int_equal((b[16] | b[17] << 8) & 0x10, 0x10); /* privacy */
			assert_non_null(memchr(b + ieo, 48, iel));           /* RSN IE */
		} else {
			assert_memory_equal(b + 8, BSSID_OPEN, 6);
			assert_int_equal((b[16] | b[17] << 8) & 0x10, 0);
		}
	}
	assert_true(wpa_idx >= 0);
	assert_int_equal(t->ev[2].type, E_ESCAN);
	assert_int_equal(t->ev[2].status, 0);
	assert_int_equal(t->nviol, 0);
}

static void test_cyw43439_model_join_open_event_order(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	static const uint32_t want[][4] = {
		{ E_ASSOC_REQ_IE, 0, 0, 0 }, { E_AUTH, 0, 0, 0 }, { E_ASSOC_RESP_IE, 0, 0, 0 },
		{ E_ASSOC, 0, 0, 0 }, { E_LINK, 0, 0, 1 }, { E_JOIN, 0, 0, 0 },
		{ E_SET_SSID, 0, 0, 0 },
	};
	uint64_t t0 = nb_sim_now(t->sim);

	assert_int_equal(join(t, "netbench-open", NULL, 0), 0);
	assert_int_equal(t->nev, 0); /* the reply comes before any event (§3.0 R12) */
	tb_pump(t, 2900 * MS);
	assert_int_equal(t->nev, 0); /* the join scan takes 3 s */
	tb_pump(t, 200 * MS);
	expect_events(t, 0, want, 7);
	assert_memory_equal(t->ev[1].addr, BSSID_OPEN, 6);
	assert_int_equal(t->ev[6].datalen, 13);
	assert_memory_equal(t->ev[6].data, "netbench-open", 13);
	assert_true(nb_cyw43439_model_link_up(t->m));
	assert_true(nb_sim_now(t->sim) - t0 >= 3 * S);
	assert_int_equal(nb_wifi_ap_station_count(r->open), 1);
	assert_int_equal(t->nviol, 0);
}

static void test_cyw43439_model_join_wpa2_event_order(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	static const uint32_t want[][4] = {
		{ E_ASSOC_REQ_IE, 0, 0, 0 }, { E_AUTH, 0, 0, 0 }, { E_ASSOC_RESP_IE, 0, 0, 0 },
		{ E_ASSOC, 0, 0, 0 }, { E_LINK, 0, 0, 1 }, { E_PSK_SUP, 6, 0, 0 },
		{ E_JOIN, 0, 0, 0 }, { E_SET_SSID, 0, 0, 0 },
	};
	uint8_t b[8] = { 0 };

	assert_int_equal(join(t, "netbench-wpa2", "correct horse", 2500), 0);
	tb_pump(t, 3100 * MS);
	expect_events(t, 0, want, 8);
	assert_true(nb_cyw43439_model_link_up(t->m));
	assert_int_equal(tb_ioctl(t, 127, false, b, 4), 0);
	assert_int_equal((int32_t)(b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24), -55);
	assert_int_equal(tb_ioctl(t, 23, false, b, 6), 0);
	assert_memory_equal(b, BSSID_WPA, 6);
	/* §4.8: WSEC_PMK while associated answers -1 (T8) */
	uint8_t pmk[68] = { 13, 0, 1, 0 };

	memcpy(pmk + 4, "correct horse", 13);
	assert_int_equal(tb_ioctl(t, 268, true, pmk, 68), -1);
	assert_int_equal(t->nviol, 0);
}

/* The host may give the PMK itself as 64 hex digits (flags 0): the AP derived the same one
 * from its passphrase (value from Python's hashlib.pbkdf2_hmac). */
static void test_cyw43439_model_join_wpa2_hex_pmk(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;

	assert_int_equal(join(t, "netbench-wpa2",
			      "a9444820b163885d51fadaa4faf2220faab3d95a15d00d1c855d090da389eaf3",
			      2500),
			 0);
	tb_pump(t, 3100 * MS);
	assert_true(nb_cyw43439_model_link_up(t->m));
	assert_int_equal(t->ev[tb_find_event(t, E_PSK_SUP, 0)].status, 6);
}

/* §4.5 (a): the supplicant times out first (EMB/SOY 2500 ms < the AP's 3 s). */
static void test_cyw43439_model_wrong_passphrase_supplicant_timeout(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	static const uint32_t want[][4] = {
		{ E_ASSOC_REQ_IE, 0, 0, 0 }, { E_AUTH, 0, 0, 0 }, { E_ASSOC_RESP_IE, 0, 0, 0 },
		{ E_ASSOC, 0, 0, 0 }, { E_LINK, 0, 0, 1 }, { E_JOIN, 0, 0, 0 },
		{ E_SET_SSID, 0, 0, 0 }, { E_PSK_SUP, 8, 15, 0 }, { E_DEAUTH, 0, 15, 0 },
		{ E_LINK, 0, 2, 0 },
	};

	assert_int_equal(join(t, "netbench-wpa2", "wrong horse", 2500), 0);
	tb_pump(t, 3100 * MS);
	assert_int_equal(t->nev, 7);
	assert_false(nb_cyw43439_model_link_up(t->m));
	tb_pump(t, 2500 * MS);
	expect_events(t, 0, want, 10);
	assert_int_equal(nb_wifi_ap_station_count(r->wpa), 0);
	assert_int_equal(nb_wifi_ap_stats(r->wpa)->handshake_failures, 1);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->join_failures, 1);
}

/* §4.5 (b): CD's 5 s supplicant timeout; the AP gives up after 3 s and deauthenticates. */
static void test_cyw43439_model_wrong_passphrase_ap_deauth(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	static const uint32_t want[][4] = {
		{ E_DEAUTH_IND, 0, 15, 0 }, { E_PSK_SUP, 8, 14, 0 }, { E_LINK, 0, 2, 0 },
	};

	assert_int_equal(join(t, "netbench-wpa2", "wrong horse", 5000), 0);
	tb_pump(t, 3100 * MS);
	assert_int_equal(t->nev, 7);
	tb_pump(t, 3 * S);
	expect_events(t, 7, want, 3);
	assert_int_equal(tb_find_event(t, E_PSK_SUP, 0), 8); /* the only PSK_SUP: never keyed */
	tb_pump(t, 3 * S);
	assert_int_equal(t->nev, 10); /* no supplicant timeout after the deauth */
}

static void test_cyw43439_model_join_missing_ssid(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	static const uint32_t want[][4] = { { E_SET_SSID, 3, 0, 0 } };

	assert_int_equal(join(t, "nobody-home", NULL, 0), 0);
	tb_pump(t, 3100 * MS);
	expect_events(t, 0, want, 1);
	assert_int_equal(t->ev[0].datalen, 11);
	assert_memory_equal(t->ev[0].data, "nobody-home", 11);
}

static void test_cyw43439_model_join_security_mismatch(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	static const uint32_t want[][4] = { { E_PRUNE, 0, 1, 0 }, { E_SET_SSID, 3, 0, 0 } };

	assert_int_equal(join(t, "netbench-wpa2", NULL, 0), 0);
	tb_pump(t, 3100 * MS);
	expect_events(t, 0, want, 2);
}

static void test_cyw43439_model_short_passphrase_refused(void **state)
{
	struct rig *r = *state;

	assert_int_equal(join(&r->t, "netbench-wpa2", "abc", 2500), -2);
}

/* §4.6: out of range / power cut: TXFAIL for frames sent meanwhile, LINK(0, 1, 0). */
static void test_cyw43439_model_ap_loss_beacon(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	uint8_t p[4 + 60] = { 0x20 };
	unsigned n;

	assert_int_equal(join(t, "netbench-wpa2", "correct horse", 2500), 0);
	tb_pump(t, 3100 * MS);
	assert_true(nb_cyw43439_model_link_up(t->m));
	n = t->nev;
	nb_wifi_ap_set_on_air(r->wpa, false, NB_WIFI_AP_SILENT);
	memcpy(p + 4, PEER_MAC, 6);
	memcpy(p + 10, STA_MAC, 6);
	assert_int_equal(tb_f2_send(t, 2, 14, p, sizeof(p)), 0);
	tb_pump(t, 900 * MS);
	assert_int_equal(t->nev, n + 1);
	assert_int_equal(t->ev[n].type, E_TXFAIL);
	tb_pump(t, 200 * MS);
	assert_int_equal(t->nev, n + 2);
	assert_int_equal(t->ev[n + 1].type, E_LINK);
	assert_int_equal(t->ev[n + 1].reason, 1);
	assert_int_equal(t->ev[n + 1].flags, 0);
	assert_false(nb_cyw43439_model_link_up(t->m));
	/* the AP comes back: re-joining is the driver's job, and it works */
	nb_wifi_ap_set_on_air(r->wpa, true, NB_WIFI_AP_SILENT);
	assert_int_equal(join(t, "netbench-wpa2", "correct horse", 2500), 0);
	tb_pump(t, 3100 * MS);
	assert_true(nb_cyw43439_model_link_up(t->m));
	assert_int_equal(nb_cyw43439_model_stats(t->m)->link_downs, 1);
}

/* §4.6 controlled shutdown: PSK_SUP(6, 14), DEAUTH_IND, LINK(0, 2, 0). */
static void test_cyw43439_model_ap_shutdown_deauth(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	static const uint32_t want[][4] = {
		{ E_PSK_SUP, 6, 14, 0 }, { E_DEAUTH_IND, 0, 3, 0 }, { E_LINK, 0, 2, 0 },
	};
	unsigned n;

	assert_int_equal(join(t, "netbench-wpa2", "correct horse", 2500), 0);
	tb_pump(t, 3100 * MS);
	n = t->nev;
	nb_wifi_ap_set_on_air(r->wpa, false, NB_WIFI_AP_DEAUTH);
	tb_pump(t, 10 * MS);
	expect_events(t, n, want, 3);
	assert_false(nb_cyw43439_model_link_up(t->m));
}

/* §4.8: WLC_DISASSOC → DISASSOC event and LINK down; the AP forgets the station. */
static void test_cyw43439_model_leave(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	static const uint32_t want[][4] = { { E_DISASSOC, 0, 0, 0 }, { E_LINK, 0, 2, 0 } };
	unsigned n;

	assert_int_equal(join(t, "netbench-open", NULL, 0), 0);
	tb_pump(t, 3100 * MS);
	n = t->nev;
	assert_int_equal(tb_ioctl(t, 52, true, NULL, 0), 0);
	tb_pump(t, 10 * MS);
	expect_events(t, n, want, 2);
	assert_int_equal(nb_wifi_ap_station_count(r->open), 0);
	assert_int_equal(tb_ioctl(t, 52, true, NULL, 0), 0); /* not associated: no events */
	tb_pump(t, 10 * MS);
	assert_int_equal(t->nev, n + 2);
}

/* Data both ways through the WPA2 AP and the wire; the AP pads and adds the FCS. */
static void test_cyw43439_model_data_path_through_ap(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	uint8_t p[4 + 42] = { 0x20 }, f[64 + 4];
	size_t n;

	assert_int_equal(join(t, "netbench-wpa2", "correct horse", 2500), 0);
	tb_pump(t, 3100 * MS);
	/* host → air → AP → wire: a 42-byte frame is padded to 60, FCS appended */
	memcpy(p + 4, PEER_MAC, 6);
	memcpy(p + 10, STA_MAC, 6);
	p[16] = 0x08;
	p[17] = 0x06;
	for (int i = 18; i < 46; i++)
		p[i] = (uint8_t)i;
	assert_int_equal(tb_f2_send(t, 2, 14, p, sizeof(p)), 0);
	tb_pump(t, 5 * MS);
	assert_int_equal(r->peer.n, 1);
	assert_int_equal(r->peer.len[0], 64);
	assert_memory_equal(r->peer.f[0], p + 4, 42);
	assert_int_equal(r->peer.f[0][50], 0);
	assert_int_equal(nb_crc32(0, r->peer.f[0], 64), NB_CRC32_RESIDUE);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->data_tx, 1);
	/* wire → AP → host: FCS stripped, BDC header in front */
	nb_test_frame(f, 64, STA_MAC, PEER_MAC, 5);
	nb_put_le32(f + 64, nb_crc32(0, f, 64));
	assert_int_equal(nb_wire_send(r->wire, 1, f, 68, 0), 0);
	tb_pump(t, 5 * MS);
	assert_int_equal(t->ndata, 1);
	assert_int_equal(t->data_len[0], 64);
	assert_memory_equal(t->data[0], f, 64);
	/* a frame with a bad FCS never reaches the station */
	f[70 - 8] ^= 1;
	f[20] ^= 1;
	assert_int_equal(nb_wire_send(r->wire, 1, f, 68, 0), 0);
	tb_pump(t, 5 * MS);
	assert_int_equal(t->ndata, 1);
	assert_int_equal(nb_wifi_ap_stats(r->wpa)->wire_rx_bad_fcs, 1);
	/* multicast the host did not list is filtered, broadcast passes */
	uint8_t mc[6] = { 0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB }, bc[6];

	memset(bc, 0xFF, 6);
	n = nb_test_frame(f, 64, mc, PEER_MAC, 6);
	nb_put_le32(f + n, nb_crc32(0, f, n));
	assert_int_equal(nb_wire_send(r->wire, 1, f, n + 4, 0), 0);
	n = nb_test_frame(f, 64, bc, PEER_MAC, 7);
	nb_put_le32(f + n, nb_crc32(0, f, n));
	assert_int_equal(nb_wire_send(r->wire, 1, f, n + 4, 0), 0);
	tb_pump(t, 5 * MS);
	assert_int_equal(t->ndata, 2);
	assert_memory_equal(t->data[1], bc, 6);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->data_rx_filtered, 1);
	assert_int_equal(t->nviol, 0);
}

/* A host that used all its credit on data frames gets a header-only credit update once the
 * frames are on the air (nothing else would carry the new credit, §3.9). */
static void test_cyw43439_model_uplink_credit_update(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	uint8_t p[4 + 1514] = { 0x20 };
	unsigned sent = 0;

	assert_int_equal(join(t, "netbench-wpa2", "correct horse", 2500), 0);
	tb_pump(t, 3100 * MS);
	memcpy(p + 4, PEER_MAC, 6);
	memcpy(p + 10, STA_MAC, 6);
	while (t->credit != t->seq) {
		assert_int_equal(tb_f2_send(t, 2, 14, p, sizeof(p)), 0);
		sent++;
	}
	assert_int_equal(sent, 8);
	/* the bus is slower than the air (each write takes about 0.4 ms at 31.25 MHz), so the
	 * update may already be waiting; 8 frames are on the air within 3 ms anyway */
	tb_advance(t, 3 * MS);
	assert_int_equal(tb_f2_poll(t), 12);
	assert_int_equal(t->credit, (uint8_t)(t->seq + 8));
	assert_int_equal(r->peer.n, 8);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->credit_frames, 1);
	assert_int_equal(t->nviol, 0);
}

/* A station sends 3-address frames: a foreign source MAC becomes its own. */
static void test_cyw43439_model_data_source_rewritten(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	uint8_t p[4 + 60] = { 0x20 };

	assert_int_equal(join(t, "netbench-open", NULL, 0), 0);
	tb_pump(t, 3100 * MS);
	/* the open AP has no wire: the frame goes nowhere, but the rewrite is counted */
	memcpy(p + 4, PEER_MAC, 6);
	memset(p + 10, 0x42, 6);
	assert_int_equal(tb_f2_send(t, 2, 14, p, sizeof(p)), 0);
	tb_pump(t, 5 * MS);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->data_tx_src_rewritten, 1);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->data_tx, 1);
}

/* An escan for one SSID reports only that BSS. */
static void test_cyw43439_model_escan_ssid_filter(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	uint8_t p[76] = { 1, 0, 0, 0, 1, 0, 0, 0, 13 };

	memcpy(p + 12, "netbench-open", 13);
	memset(p + 44, 0xFF, 6);
	assert_int_equal(tb_iovar_set(t, "escan", p, sizeof(p)), 0);
	tb_pump(t, 3 * S);
	assert_int_equal(t->nev, 2);
	assert_memory_equal(t->ev[0].data + 12 + 8, BSSID_OPEN, 6);
	assert_int_equal(t->ev[1].status, 0);
}

/* WLC_DOWN while associated: LINK down with reason "bsscfg down"; the AP reaping an idle
 * station: DEAUTH_IND with its reason and LINK down. */
static void test_cyw43439_model_down_and_kick(void **state)
{
	struct rig *r = *state;
	struct tb *t = &r->t;
	static const uint32_t down[][4] = { { E_DISASSOC, 0, 0, 0 }, { E_LINK, 0, 4, 0 } };
	static const uint32_t kick[][4] = { { E_DEAUTH_IND, 0, 4, 0 }, { E_LINK, 0, 2, 0 } };
	unsigned n;

	assert_int_equal(join(t, "netbench-open", NULL, 0), 0);
	tb_pump(t, 3100 * MS);
	n = t->nev;
	assert_int_equal(tb_ioctl(t, 3, true, NULL, 0), 0);
	tb_pump(t, 10 * MS);
	expect_events(t, n, down, 2);
	assert_int_equal(join(t, "netbench-open", NULL, 0), -4); /* not up */
	assert_int_equal(tb_ioctl(t, 2, true, NULL, 0), 0);
	assert_int_equal(join(t, "netbench-open", NULL, 0), 0);
	tb_pump(t, 3100 * MS);
	assert_true(nb_cyw43439_model_link_up(t->m));
	n = t->nev;
	assert_int_equal(nb_wifi_ap_kick(r->open, STA_MAC, 4), 0); /* 4: inactivity */
	tb_pump(t, 10 * MS);
	expect_events(t, n, kick, 2);
	assert_int_equal(nb_wifi_ap_kick(r->open, STA_MAC, 4), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_cyw43439_model_escan_results),
		T(test_cyw43439_model_join_open_event_order),
		T(test_cyw43439_model_join_wpa2_event_order),
		T(test_cyw43439_model_join_wpa2_hex_pmk),
		T(test_cyw43439_model_wrong_passphrase_supplicant_timeout),
		T(test_cyw43439_model_wrong_passphrase_ap_deauth),
		T(test_cyw43439_model_join_missing_ssid),
		T(test_cyw43439_model_join_security_mismatch),
		T(test_cyw43439_model_short_passphrase_refused),
		T(test_cyw43439_model_ap_loss_beacon),
		T(test_cyw43439_model_ap_shutdown_deauth),
		T(test_cyw43439_model_leave),
		T(test_cyw43439_model_data_path_through_ap),
		T(test_cyw43439_model_data_source_rewritten),
		T(test_cyw43439_model_uplink_credit_update),
		T(test_cyw43439_model_escan_ssid_filter),
		T(test_cyw43439_model_down_and_kick),
#undef T
	};

	return cmocka_run_group_tests_name("cyw43439_model_wifi", tests, NULL, NULL);
}
