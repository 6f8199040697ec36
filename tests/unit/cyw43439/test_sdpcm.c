/* SPDX-License-Identifier: MIT */
/*
 * SDPCM, control and event channels of the CYW43439 driver against the chip model: sequence
 * numbers, the credit window (TX stops at it and resumes), the flow-control byte, ioctl
 * request ids, firmware errors and timeouts, event delivery.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "tests/unit/cyw43439/rig.h"
#include "tests/unit/support/test_support.h"

#define MAX_TX 4096

struct f2_log {
	unsigned n;
	uint8_t seq[MAX_TX];
	uint8_t chan[MAX_TX];
	uint16_t id[MAX_TX];
	uint32_t cmd[MAX_TX];
};

static void log_f2(void *ctx, const struct nb_cyw43439_trace *t)
{
	struct f2_log *l = ctx;

	if (!t->write || t->func != 2 || t->data_len < 12 || l->n >= MAX_TX)
		return;
	l->seq[l->n] = t->data[4];
	l->chan[l->n] = t->data[5] & 0x0F;
	if ((t->data[5] & 0x0F) == 0 && t->data_len >= 28) {
		l->cmd[l->n] = nb_get_le32(t->data + 12);
		l->id[l->n] = (uint16_t)(nb_get_le32(t->data + 20) >> 16);
	}
	l->n++;
}

static bool tx_space_back(struct rig *r, void *arg)
{
	(void)arg;
	return nb_netdev_tx_space(rig_dev(r)) > 0;
}

static void test_sdpcm_sequence_and_ioctl_ids(void **state)
{
	struct rig *r = rig_new(NULL);
	struct f2_log *l = calloc(1, sizeof(*l));
	uint16_t last_id = 0;

	(void)state;
	nb_cyw43439_model_set_trace_cb(r->m, log_f2, l);
	rig_boot_join(r);
	assert_true(l->n > 20);
	/* one sequence counter for all channels, starting at 0, +1 per frame */
	for (unsigned i = 0; i < l->n; i++)
		assert_int_equal(l->seq[i], (uint8_t)i);
	/* request ids start at 1 and go up by one per ioctl */
	for (unsigned i = 0; i < l->n; i++) {
		if (l->chan[i] != 0)
			continue;
		assert_int_equal(l->id[i], (uint16_t)(last_id + 1));
		last_id = l->id[i];
	}
	assert_int_equal(l->cmd[0], CYW_WLC_SET_VAR); /* clmload first */
	assert_int_equal(nb_cyw43439_model_stats(r->m)->seq_gaps, 0);
	assert_int_equal(r->violations, 0);
	rig_free(r);
	free(l);
}

static void test_sdpcm_tx_stops_at_credit_and_resumes(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });
	struct nb_netdev *dev = rig_dev(r);
	uint8_t buf[2048], got[2048];
	uint8_t *frame = buf + dev->tx_headroom;
	unsigned sent = 0;
	int ret = 0;

	(void)state;
	rig_boot_join(r);
	rig_run_for(r, 50 * NB_NS_PER_MS);
	/* freeze the chip's window: TX must stop at the credit it last advertised */
	nb_cyw43439_model_set_credit_window(r->m, 0);
	for (; sent < 64; sent++) {
		int space = nb_netdev_tx_space(dev);

		nb_test_frame(frame, 300, rig_peer_mac, dev->mac, sent);
		ret = nb_netdev_send(dev, frame, 300);
		if (ret == -NB_EAGAIN) {
			assert_int_equal(space, 0);
			break;
		}
		assert_int_equal(ret, 0);
		assert_true(space > 0);
		/* time passes and the loop polls, but the frozen window grants nothing */
		rig_run_for(r, 5 * NB_NS_PER_MS);
	}
	assert_int_equal(ret, -NB_EAGAIN);
	assert_true(sent >= 1 && sent <= NB_CYW43439_DEFAULT_CREDIT_WINDOW);
	assert_true(nb_cyw43439_stats(&r->drv)->tx_credit_stalls >= 1);
	assert_int_equal(nb_netdev_tx_space(dev), 0);
	/* the model saw no frame past the credit (strict mode reports it) */
	assert_int_equal(r->violations, 0);
	/* window reopens: the chip sends credit, the driver wakes TX and sending resumes */
	nb_cyw43439_model_set_credit_window(r->m, 4);
	assert_true(rig_run_until(r, tx_space_back, NULL, NB_NS_PER_S));
	assert_int_equal(nb_netdev_send(dev, frame, 300), 0);
	rig_run_for(r, 100 * NB_NS_PER_MS);
	for (unsigned i = 0; i <= sent; i++) {
		uint8_t want[300];
		int n = rig_peer_take(r, got, sizeof(got));

		nb_test_frame(want, 300, rig_peer_mac, dev->mac, i < sent ? i : sent);
		assert_int_equal(n, 300);
		assert_memory_equal(got, want, 300);
	}
	assert_int_equal(nb_netdev_drops_total(dev), 0);
	rig_free(r);
}

/*
 * The everyday case: the host sends back to back without polling until the credit it last
 * heard of is used up, then the chip must tell it about the slots its radio freed (§3.2.6:
 * a frame carrying the new credit, header-only if nothing else is queued).
 */
static void test_sdpcm_tx_resumes_when_the_chip_frees_slots(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });
	struct nb_netdev *dev = rig_dev(r);
	uint8_t buf[2048], got[2048];
	uint8_t *frame = buf + dev->tx_headroom;
	unsigned sent = 0;

	(void)state;
	rig_boot_join(r);
	rig_run_for(r, 50 * NB_NS_PER_MS);
	while (nb_netdev_tx_space(dev) > 0) {
		nb_test_frame(frame, 200, rig_peer_mac, dev->mac, sent);
		assert_int_equal(nb_netdev_send(dev, frame, 200), 0);
		sent++;
	}
	assert_int_equal(sent, NB_CYW43439_DEFAULT_CREDIT_WINDOW);
	assert_int_equal(nb_netdev_send(dev, frame, 200), -NB_EAGAIN);
	assert_true(rig_run_until(r, tx_space_back, NULL, NB_NS_PER_S));
	nb_test_frame(frame, 200, rig_peer_mac, dev->mac, sent);
	assert_int_equal(nb_netdev_send(dev, frame, 200), 0);
	rig_run_for(r, 50 * NB_NS_PER_MS);
	for (unsigned i = 0; i <= sent; i++) {
		uint8_t want[200];

		nb_test_frame(want, 200, rig_peer_mac, dev->mac, i);
		assert_int_equal(rig_peer_take(r, got, sizeof(got)), 200);
		assert_memory_equal(got, want, 200);
	}
	assert_int_equal(r->violations, 0);
	rig_free(r);
}

/*
 * One transaction the chip does not answer (the line floats: data and status read all ones,
 * the chip sees nothing), landing on the k-th of a back-to-back burst of data frames. Every
 * frame send() accepted reaches the far side or is counted as a TX bus-error drop; the lost
 * frame's sequence number is not burnt, so TX does not wait for credit the chip never owes
 * (k = the last frame of the window), and the link keeps moving frames afterwards.
 */
static void test_sdpcm_tx_fault_every_frame_reaches_the_chip_or_is_counted(void **state)
{
	(void)state;
	for (unsigned k = 0; k <= NB_CYW43439_DEFAULT_CREDIT_WINDOW; k++) {
		struct rig *r = rig_new(&(struct rig_opts){ .fast = true });
		struct nb_netdev *dev = rig_dev(r);
		const struct nb_netdev_stats *ns = nb_netdev_stats(dev);
		uint8_t buf[2048], got[2048];
		uint8_t *frame = buf + dev->tx_headroom;
		unsigned accepted = 0, at_peer = 0, seq = 0, dropped_seq = ~0u;
		uint64_t tx_before, drops_before;

		rig_boot_join(r);
		rig_run_for(r, 50 * NB_NS_PER_MS);
		tx_before = ns->tx_frames;
		drops_before = nb_netdev_drops_total(dev);
		for (unsigned round = 0; round < 3; round++) {
			assert_true(rig_run_until(r, tx_space_back, NULL, NB_NS_PER_S));
			while (nb_netdev_tx_space(dev) > 0) {
				int ret;

				if (seq == k)
					nb_cyw43439_model_inject_fault(r->m,
								       NB_CYW43439_FAULT_READ_ONES, 1);
				nb_test_frame(frame, 200, rig_peer_mac, dev->mac, seq);
				ret = nb_netdev_send(dev, frame, 200);
				assert_int_not_equal(ret, -NB_EAGAIN);
				if (ret < 0) {
					assert_int_equal(ret, -NB_EIO);
					assert_int_equal(dropped_seq, ~0u);
					dropped_seq = seq;
				}
				accepted++;
				seq++;
			}
		}
		rig_run_for(r, 100 * NB_NS_PER_MS);
		for (unsigned i = 0; i < seq; i++) {
			uint8_t want[200];

			if (i == dropped_seq)
				continue;
			nb_test_frame(want, 200, rig_peer_mac, dev->mac, i);
			assert_int_equal(rig_peer_take(r, got, sizeof(got)), 200);
			assert_memory_equal(got, want, 200);
			at_peer++;
		}
		assert_int_equal(rig_peer_take(r, got, sizeof(got)), 0);
		/* the fault hit the F2 write of frame k itself: that one is the drop */
		assert_int_equal(dropped_seq, k);
		assert_int_equal(ns->drops[NB_DROP_TX_BUS_ERROR], 1);
		assert_int_equal(nb_netdev_drops_total(dev) - drops_before, 1);
		assert_int_equal(ns->tx_frames - tx_before, at_peer);
		assert_int_equal(ns->tx_frames - tx_before + ns->drops[NB_DROP_TX_BUS_ERROR],
				 accepted);
		assert_int_equal(nb_cyw43439_model_stats(r->m)->faults_injected, 1);
		assert_int_equal(nb_cyw43439_model_stats(r->m)->seq_gaps, 0);
		assert_int_equal(r->violations, 0);
		rig_free(r);
	}
}

struct fault_at {
	struct rig *r;
	unsigned countdown; /* inject after this many more transactions; 0 = disarmed */
};

static void fault_after(void *ctx, const struct nb_cyw43439_trace *t)
{
	struct fault_at *f = ctx;

	(void)t;
	if (f->countdown && --f->countdown == 0)
		nb_cyw43439_model_inject_fault(f->r->m, NB_CYW43439_FAULT_READ_ONES, 1);
}

/*
 * The same unanswered transaction on the receive side, at each position of a burst of
 * frames from the wire peer: a frame whose F2 read was not answered is still queued in the
 * chip and is read again; it is neither lost nor counted twice (once as a drop).
 */
static void test_sdpcm_rx_fault_every_frame_arrives_once(void **state)
{
	(void)state;
	/* the burst takes an F0 status read and six F2 reads (each read's status word announces
	 * the next frame): k = 0..6 puts the fault on each of them */
	for (unsigned k = 0; k <= 6; k++) {
		struct rig *r = rig_new(&(struct rig_opts){ .fast = true });
		struct nb_netdev *dev = rig_dev(r);
		struct fault_at f = { .r = r };
		uint8_t want[300];

		rig_boot_join(r);
		rig_record_rx(r);
		rig_run_for(r, 50 * NB_NS_PER_MS);
		nb_cyw43439_model_set_trace_cb(r->m, fault_after, &f);
		if (k)
			f.countdown = k;
		else
			nb_cyw43439_model_inject_fault(r->m, NB_CYW43439_FAULT_READ_ONES, 1);
		for (unsigned i = 0; i < 6; i++) {
			nb_test_frame(want, 300, dev->mac, rig_peer_mac, i);
			assert_int_equal(rig_peer_send(r, want, 300), 0);
		}
		rig_run_for(r, 100 * NB_NS_PER_MS);
		assert_int_equal(nb_cyw43439_model_stats(r->m)->faults_injected, 1);
		assert_int_equal(r->rx_count, 6);
		assert_memory_equal(r->last_rx.data, want, 300);
		assert_int_equal(nb_netdev_drops_total(dev), 0);
		assert_int_equal(nb_cyw43439_stats(&r->drv)->rx_seq_gaps, 0);
		assert_int_equal(r->violations, 0);
		nb_cyw43439_model_set_trace_cb(r->m, NULL, NULL);
		rig_free(r);
	}
}

static void test_sdpcm_flow_control_byte_holds_data(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });
	struct nb_netdev *dev = rig_dev(r);
	uint8_t buf[256];
	uint8_t *frame = buf + dev->tx_headroom;

	(void)state;
	rig_boot_join(r);
	nb_cyw43439_model_set_flow_control(r->m, 0x01);
	/* the XOFF byte rides on the next frame from the chip: an event will do */
	nb_cyw43439_model_inject_event(r->m, &(struct nb_cyw43439_event){ .type = CYW_E_JOIN });
	rig_run_for(r, 20 * NB_NS_PER_MS);
	assert_int_equal(nb_netdev_tx_space(dev), 0);
	nb_test_frame(frame, 100, rig_peer_mac, dev->mac, 1);
	assert_int_equal(nb_netdev_send(dev, frame, 100), -NB_EAGAIN);
	nb_cyw43439_model_set_flow_control(r->m, 0);
	nb_cyw43439_model_inject_event(r->m, &(struct nb_cyw43439_event){ .type = CYW_E_JOIN });
	assert_true(rig_run_until(r, tx_space_back, NULL, NB_NS_PER_S));
	assert_int_equal(nb_netdev_send(dev, frame, 100), 0);
	rig_free(r);
}

struct ioctl_result {
	int calls;
	int result;
	int32_t fw_status;
};

static void on_ioctl(struct nb_cyw43439 *d, int result, int32_t fw_status, void *ctx)
{
	struct ioctl_result *res = ctx;

	(void)d;
	res->calls++;
	res->result = result;
	res->fw_status = fw_status;
}

static bool ioctl_done(struct rig *r, void *arg)
{
	(void)r;
	return ((struct ioctl_result *)arg)->calls > 0;
}

static void test_sdpcm_ioctl_get_and_firmware_error(void **state)
{
	struct rig *r = rig_new(NULL);
	struct ioctl_result res = { 0 };
	uint8_t req[32] = "cur_etheraddr", resp[32], mac[6];

	(void)state;
	rig_boot(r);
	assert_int_equal(nb_cyw43439_ioctl(&r->drv, CYW_WLC_GET_VAR, false, 0, req, 20, resp,
					   sizeof(resp), on_ioctl, &res), 0);
	assert_true(nb_cyw43439_ioctl_busy(&r->drv));
	assert_int_equal(nb_cyw43439_ioctl(&r->drv, CYW_WLC_UP, true, 0, NULL, 0, NULL, 0,
					   on_ioctl, &res), -NB_EBUSY);
	assert_true(rig_run_until(r, ioctl_done, &res, NB_NS_PER_S));
	assert_int_equal(res.result, 20);
	nb_cyw43439_model_mac(r->m, mac);
	assert_memory_equal(resp, mac, 6);
	/* an iovar the firmware does not know: the error status comes back to the caller */
	memset(&res, 0, sizeof(res));
	memset(req, 0, sizeof(req));
	strcpy((char *)req, "no_such_iovar");
	assert_int_equal(nb_cyw43439_ioctl(&r->drv, CYW_WLC_GET_VAR, false, 0, req, 18, resp,
					   sizeof(resp), on_ioctl, &res), 0);
	assert_true(rig_run_until(r, ioctl_done, &res, NB_NS_PER_S));
	assert_int_equal(res.result, -NB_EIO);
	assert_true(res.fw_status < 0);
	assert_int_equal(nb_cyw43439_stats(&r->drv)->ioctl_errors, 1);
	rig_free(r);
}

static void test_sdpcm_ioctl_timeout_and_late_answer(void **state)
{
	struct rig *r = rig_new(NULL);
	struct nb_netdev *dev = rig_dev(r);
	struct ioctl_result res = { 0 };
	uint8_t req[20] = "cur_etheraddr", resp[20];
	uint64_t dl;

	(void)state;
	rig_boot(r);
	assert_int_equal(nb_cyw43439_ioctl(&r->drv, CYW_WLC_GET_VAR, false, 0, req, 20, resp,
					   sizeof(resp), on_ioctl, &res), 0);
	dl = nb_netdev_next_deadline(dev);
	/* the default 1 s, counted from before the request went over the bus */
	assert_true(dl <= nb_sim_now(r->sim) + NB_NS_PER_S);
	assert_true(dl + NB_NS_PER_MS > nb_sim_now(r->sim) + NB_NS_PER_S);
	/* the host is too slow: nobody polls until the deadline has passed */
	nb_sim_advance_to(r->sim, dl);
	assert_int_equal(res.calls, 0); /* nothing happens outside poll */
	assert_true(nb_netdev_poll(dev, 16) >= 0);
	assert_int_equal(res.calls, 1);
	assert_int_equal(res.result, -NB_ETIMEDOUT);
	assert_int_equal(nb_cyw43439_stats(&r->drv)->ioctl_timeouts, 1);
	/* the answer that arrives now belongs to nobody: counted, not delivered */
	rig_run_for(r, 10 * NB_NS_PER_MS);
	assert_int_equal(res.calls, 1);
	assert_int_equal(nb_cyw43439_stats(&r->drv)->rx_ctl_stale, 1);
	/* the channel works again */
	memset(&res, 0, sizeof(res));
	assert_int_equal(nb_cyw43439_ioctl(&r->drv, CYW_WLC_GET_VAR, false, 0, req, 20, resp,
					   sizeof(resp), on_ioctl, &res), 0);
	assert_true(rig_run_until(r, ioctl_done, &res, NB_NS_PER_S));
	assert_int_equal(res.result, 20);
	rig_free(r);
}

static void test_sdpcm_ioctl_waits_for_credit_then_times_out(void **state)
{
	struct rig_opts o = { .drv = { .ioctl_timeout_ns = 200 * NB_NS_PER_MS } };
	struct rig *r = rig_new(&o);
	struct ioctl_result res = { 0 };
	struct f2_log *l = calloc(1, sizeof(*l));
	uint8_t req[20] = "cur_etheraddr", resp[20];
	unsigned n0;

	(void)state;
	rig_boot(r);
	rig_run_for(r, 10 * NB_NS_PER_MS);
	nb_cyw43439_model_set_trace_cb(r->m, log_f2, l);
	/* use up the window with requests, then freeze it */
	nb_cyw43439_model_set_credit_window(r->m, 0);
	for (int i = 0; i < 64; i++) {
		memset(&res, 0, sizeof(res));
		assert_int_equal(nb_cyw43439_ioctl(&r->drv, CYW_WLC_GET_VAR, false, 0, req, 20,
						   resp, sizeof(resp), on_ioctl, &res), 0);
		assert_true(rig_run_until(r, ioctl_done, &res, 2 * NB_NS_PER_S));
		if (res.result == -NB_ETIMEDOUT)
			break;
		assert_int_equal(res.result, 20);
	}
	assert_int_equal(res.result, -NB_ETIMEDOUT);
	n0 = l->n;
	assert_true(n0 <= NB_CYW43439_DEFAULT_CREDIT_WINDOW);
	assert_int_equal(r->violations, 0); /* nothing was sent past the credit */
	/* reopened: the stale request is not sent late, the next one goes out */
	nb_cyw43439_model_set_credit_window(r->m, 8);
	memset(&res, 0, sizeof(res));
	rig_run_for(r, 10 * NB_NS_PER_MS);
	assert_int_equal(l->n, n0);
	assert_int_equal(nb_cyw43439_ioctl(&r->drv, CYW_WLC_GET_VAR, false, 0, req, 20, resp,
					   sizeof(resp), on_ioctl, &res), 0);
	assert_true(rig_run_until(r, ioctl_done, &res, 2 * NB_NS_PER_S));
	assert_int_equal(res.result, 20);
	rig_free(r);
	free(l);
}

static void test_sdpcm_events_reach_the_link_state(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true, .drv = { .no_rejoin = true } });
	struct nb_cyw43439_event ev = { .type = CYW_E_DEAUTH_IND, .reason = 3 };
	uint64_t events;

	(void)state;
	rig_boot_join(r);
	rig_run_for(r, 100 * NB_NS_PER_MS); /* the join's trailing events */
	events = nb_cyw43439_stats(&r->drv)->events;
	/* an event on another interface is not ours */
	ev.ifidx = 1;
	assert_int_equal(nb_cyw43439_model_inject_event(r->m, &ev), 1);
	rig_run_for(r, 10 * NB_NS_PER_MS);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_JOINED);
	ev.ifidx = 0;
	assert_int_equal(nb_cyw43439_model_inject_event(r->m, &ev), 1);
	rig_run_for(r, 10 * NB_NS_PER_MS);
	assert_int_equal(nb_cyw43439_stats(&r->drv)->events, events + 2);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_READY);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_DEAUTHENTICATED);
	assert_false(nb_netdev_flags(rig_dev(r)) & NB_NETDEV_F_RUNNING);
	rig_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdpcm_sequence_and_ioctl_ids),
		cmocka_unit_test(test_sdpcm_tx_stops_at_credit_and_resumes),
		cmocka_unit_test(test_sdpcm_tx_resumes_when_the_chip_frees_slots),
		cmocka_unit_test(test_sdpcm_tx_fault_every_frame_reaches_the_chip_or_is_counted),
		cmocka_unit_test(test_sdpcm_rx_fault_every_frame_arrives_once),
		cmocka_unit_test(test_sdpcm_flow_control_byte_holds_data),
		cmocka_unit_test(test_sdpcm_ioctl_get_and_firmware_error),
		cmocka_unit_test(test_sdpcm_ioctl_timeout_and_late_answer),
		cmocka_unit_test(test_sdpcm_ioctl_waits_for_credit_then_times_out),
		cmocka_unit_test(test_sdpcm_events_reach_the_link_state),
	};

	return cmocka_run_group_tests_name("cyw43439_sdpcm", tests, NULL, NULL);
}
