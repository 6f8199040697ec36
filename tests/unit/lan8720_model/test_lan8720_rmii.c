/* SPDX-License-Identifier: MIT */
/* LAN8720A model: the RMII frame port and the wire side. */
#include <errno.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "tests/unit/lan8720_model/rig.h"

struct notes {
	unsigned calls;
};

static void on_notify(void *ctx)
{
	((struct notes *)ctx)->calls++;
}

static void rig_rmii_up(struct rig *r, const struct nb_lan8720_model_cfg *cfg,
			struct nb_rmii_port *port, struct notes *n)
{
	rig_up(r, cfg, true);
	*port = nb_lan8720_model_rmii(r->m);
	assert_int_equal(nb_rmii_set_notify(port, on_notify, n), 0);
}

static int tx1(const struct nb_rmii_port *port, const uint8_t *f, size_t len)
{
	struct nb_iov iov = { .base = f, .len = len };

	return nb_rmii_tx(port, &iov, 1);
}

static void test_lan8720_rmii_frames_pass_both_ways_with_timing(void **state)
{
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	struct nb_rmii_rx rx;
	uint8_t f[100], g[1518];
	struct nb_iov iov[3];
	uint64_t t0;

	(void)state;
	rig_rmii_up(&r, NULL, &port, &n);
	rig_link_up(&r);
	rig_frame(f, sizeof(f), 7);
	/* TX as a gather list: header, body, FCS */
	iov[0] = (struct nb_iov){ f, 14 };
	iov[1] = (struct nb_iov){ f + 14, sizeof(f) - 18 };
	iov[2] = (struct nb_iov){ f + sizeof(f) - 4, 4 };
	t0 = nb_sim_now(r.sim);
	assert_int_equal(nb_rmii_tx(&port, iov, 3), 0);
	rig_run(&r, 1 * MS);
	assert_int_equal(r.peer.rx, 1);
	assert_int_equal(r.peer.rx_len[0], sizeof(f));
	assert_memory_equal(r.peer.last, f, sizeof(f));
	/* (frame + 20 bytes preamble/IFG) at 80 ns/byte, plus 500 ns of cable */
	assert_int_equal(r.peer.rx_at[0] - t0, (100 + 20) * 80 + 500);
	/* RX: the partner's frame, FCS included, unchecked */
	rig_frame(g, sizeof(g), 9);
	assert_int_equal(nb_rmii_rx_peek(&port, &rx), -EAGAIN);
	t0 = nb_sim_now(r.sim);
	assert_int_equal(nb_wire_send(r.wire, 1, g, sizeof(g), 0), 0);
	nb_sim_advance_to(r.sim, t0 + (1518 + 20) * 80 + 500 - 1);
	assert_int_equal(n.calls, 0);
	nb_sim_advance_to(r.sim, t0 + (1518 + 20) * 80 + 500);
	assert_int_equal(n.calls, 1);
	assert_int_equal(nb_rmii_rx_peek(&port, &rx), 0);
	assert_int_equal(rx.len, sizeof(g));
	assert_int_equal(rx.flags, 0);
	assert_memory_equal(rx.data, g, sizeof(g));
	nb_rmii_rx_release(&port);
	assert_int_equal(nb_rmii_rx_peek(&port, &rx), -EAGAIN);
	assert_int_equal(nb_lan8720_model_stats(r.m)->rmii_tx_frames, 1);
	assert_int_equal(nb_lan8720_model_stats(r.m)->rmii_rx_frames, 1);
	assert_int_equal(nb_lan8720_model_stats(r.m)->rx_fcs_errors, 0);
	assert_int_equal(r.violations, 0);
	rig_down(&r);
}

static void test_lan8720_rmii_fcs_errors_and_rxer(void **state)
{
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	struct nb_rmii_rx rx;
	uint8_t f[64];

	(void)state;
	rig_rmii_up(&r, NULL, &port, &n);
	rig_link_up(&r);
	rig_frame(f, sizeof(f), 1);
	f[20] ^= 1; /* damaged on the way: FCS no longer matches */
	assert_int_equal(nb_wire_send(r.wire, 1, f, sizeof(f), 0), 0);
	f[20] ^= 1;
	rig_run(&r, 1 * MS);
	nb_lan8720_model_corrupt_rx(r.m, 1); /* the next frame from the wire */
	assert_int_equal(nb_wire_send(r.wire, 1, f, sizeof(f), 0), 0);
	assert_int_equal(nb_wire_send(r.wire, 1, f, sizeof(f), 0), 0);
	assert_int_equal(nb_wire_send(r.wire, 1, f, sizeof(f), NB_WIRE_F_SYMBOL_ERR), 0);
	rig_run(&r, 1 * MS);
	assert_int_equal(nb_lan8720_model_stats(r.m)->rx_fcs_errors, 2);
	assert_int_equal(nb_lan8720_model_stats(r.m)->rx_symbol_errors, 1);
	/* all four reach the MAC; its FCS check decides */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(nb_rmii_rx_peek(&port, &rx), 0);
		assert_int_equal(rx.len, sizeof(f));
		assert_int_equal(nb_crc32(0, rx.data, rx.len) == NB_CRC32_RESIDUE, i >= 2);
		assert_int_equal(rx.flags, i == 3 ? NB_RMII_RX_ERR : 0);
		nb_rmii_rx_release(&port);
	}
	assert_int_equal(rig_rd(&r, 26), 1);
	rig_down(&r);
}

static void test_lan8720_rmii_ring_overflow_counted(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .rx_queue = 4 };
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	struct nb_rmii_rx rx;
	uint8_t f[64];

	(void)state;
	rig_rmii_up(&r, &cfg, &port, &n);
	rig_link_up(&r);
	for (unsigned i = 0; i < 6; i++) {
		rig_frame(f, sizeof(f), i);
		assert_int_equal(nb_wire_send(r.wire, 1, f, sizeof(f), 0), 0);
	}
	rig_run(&r, 1 * MS);
	assert_int_equal(nb_lan8720_model_stats(r.m)->rx_overflow, 2);
	assert_int_equal(nb_rmii_rx_dropped(&port), 2);
	assert_int_equal(n.calls, 4);
	/* the four oldest are kept, in order */
	for (unsigned i = 0; i < 4; i++) {
		rig_frame(f, sizeof(f), i);
		assert_int_equal(nb_rmii_rx_peek(&port, &rx), 0);
		assert_memory_equal(rx.data, f, sizeof(f));
		nb_rmii_rx_release(&port);
	}
	rig_frame(f, sizeof(f), 9);
	assert_int_equal(nb_lan8720_model_inject_rx(r.m, f, sizeof(f), 0), 0);
	assert_int_equal(nb_lan8720_model_stats(r.m)->rx_overflow, 2);
	rig_down(&r);
}

static void test_lan8720_rmii_tx_eagain_then_notify(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .tx_queue = 2 };
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	uint8_t f[1518];
	int sent = 0;

	(void)state;
	rig_rmii_up(&r, &cfg, &port, &n);
	rig_link_up(&r);
	rig_frame(f, sizeof(f), 3);
	/* the wire holds 32 frames, the FIFO 2 more */
	assert_int_equal(nb_rmii_tx_space(&port), 34);
	while (tx1(&port, f, sizeof(f)) == 0)
		sent++;
	assert_int_equal(sent, 34);
	assert_int_equal(nb_rmii_tx_space(&port), 0);
	assert_int_equal(tx1(&port, f, sizeof(f)), -EAGAIN);
	assert_int_equal(n.calls, 0);
	/* one frame's wire time later, a slot frees and the MAC is told */
	rig_run(&r, (1518 + 20) * 80 + 500);
	assert_int_equal(n.calls, 1);
	assert_true(nb_rmii_tx_space(&port) >= 1);
	assert_int_equal(tx1(&port, f, sizeof(f)), 0);
	rig_run(&r, 100 * MS);
	assert_int_equal(r.peer.rx, 35);
	assert_int_equal(nb_lan8720_model_stats(r.m)->rmii_tx_frames, 35);
	rig_down(&r);
}

static void test_lan8720_rmii_tx_lost_without_link(void **state)
{
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	uint8_t f[64];

	(void)state;
	rig_rmii_up(&r, NULL, &port, &n);
	rig_frame(f, sizeof(f), 4);
	/* link still negotiating: the frame is taken and lost */
	assert_int_equal(tx1(&port, f, sizeof(f)), 0);
	assert_int_equal(nb_lan8720_model_stats(r.m)->tx_no_link, 1);
	assert_int_equal(r.violations, 0);
	rig_link_up(&r);
	/* isolated: RMII inputs ignored, reported */
	rig_wr(&r, 0, 0x3400);
	assert_int_equal(tx1(&port, f, sizeof(f)), 0);
	assert_int_equal(r.violations, 1);
	assert_non_null(strstr(r.last_violation, "isolated"));
	assert_int_equal(nb_wire_send(r.wire, 1, f, sizeof(f), 0), 0);
	rig_run(&r, 1 * MS);
	assert_int_equal(nb_lan8720_model_stats(r.m)->rx_no_link, 1);
	/* powered down */
	rig_wr(&r, 0, 0x3800);
	assert_int_equal(tx1(&port, f, sizeof(f)), 0);
	assert_int_equal(r.violations, 2);
	assert_non_null(strstr(r.last_violation, "powered down"));
	rig_run(&r, 10 * MS);
	assert_int_equal(r.peer.rx, 0);
	assert_int_equal(nb_lan8720_model_stats(r.m)->tx_no_link, 3);
	assert_int_equal(nb_lan8720_model_inject_rx(r.m, f, sizeof(f), 0), -ENOLINK);
	rig_down(&r);
}

static void test_lan8720_rmii_frame_size_rules(void **state)
{
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	static uint8_t big[3000];
	uint8_t f[1600];

	(void)state;
	rig_rmii_up(&r, NULL, &port, &n);
	rig_link_up(&r);
	rig_frame(f, 60, 1);
	assert_int_equal(tx1(&port, f, 60), 0); /* a runt still goes out */
	assert_int_equal(r.violations, 1);
	assert_non_null(strstr(r.last_violation, "60 bytes"));
	rig_frame(f, 1522, 1);
	assert_int_equal(tx1(&port, f, 1522), 0);
	assert_int_equal(r.violations, 1);
	rig_frame(f, 1600, 1);
	assert_int_equal(tx1(&port, f, 1600), 0);
	assert_int_equal(r.violations, 2);
	assert_int_equal(tx1(&port, big, sizeof(big)), -EMSGSIZE);
	assert_int_equal(r.violations, 3);
	assert_int_equal(nb_rmii_tx(&port, NULL, 0), -EINVAL);
	assert_int_equal(nb_lan8720_model_inject_rx(r.m, big, sizeof(big), 0), -EMSGSIZE);
	rig_run(&r, 1 * MS);
	assert_int_equal(r.peer.rx, 3);
	rig_down(&r);
}

static void test_lan8720_rmii_port_speed_must_match_line(void **state)
{
	struct nb_lan8720_partner p10 = { .autoneg = true, .ability = 0x0041 };
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	struct nb_rmii_rx rx;
	uint8_t f[64];
	uint64_t t0;

	(void)state;
	rig_rmii_up(&r, NULL, &port, &n);
	nb_lan8720_model_set_partner(r.m, &p10);
	rig_link_up(&r);
	rig_frame(f, sizeof(f), 5);
	/* the port still clocks at 100 while the line runs at 10: garbage */
	assert_int_equal(tx1(&port, f, sizeof(f)), 0);
	assert_int_equal(nb_wire_send(r.wire, 1, f, sizeof(f), 0), 0);
	rig_run(&r, 1 * MS);
	assert_int_equal(r.peer.rx, 0);
	assert_int_equal(nb_rmii_rx_peek(&port, &rx), -EAGAIN);
	assert_int_equal(nb_lan8720_model_stats(r.m)->rmii_speed_mismatch, 2);
	assert_int_equal(nb_rmii_set_speed(&port, 10, true), 0);
	assert_int_equal(nb_rmii_set_speed(&port, 1000, true), -EINVAL);
	t0 = nb_sim_now(r.sim);
	assert_int_equal(tx1(&port, f, sizeof(f)), 0);
	rig_run(&r, 10 * MS);
	assert_int_equal(r.peer.rx, 1);
	assert_int_equal(r.peer.rx_at[0] - t0, (64 + 20) * 800 + 500);
	rig_down(&r);
}

static void test_lan8720_rmii_near_end_loopback(void **state)
{
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	struct nb_rmii_rx rx;
	uint8_t f[200];
	uint64_t t0;

	(void)state;
	rig_rmii_up(&r, NULL, &port, &n);
	rig_link_up(&r);
	rig_wr(&r, 0, 0x6100); /* loopback, 100 FD, AN off */
	assert_false(r.peer.carrier); /* transmitter off */
	rig_frame(f, sizeof(f), 6);
	t0 = nb_sim_now(r.sim);
	assert_int_equal(tx1(&port, f, sizeof(f)), 0);
	assert_int_equal(tx1(&port, f, sizeof(f)), 0);
	nb_sim_advance_to(r.sim, t0 + (200 + 20) * 80 - 1);
	assert_int_equal(n.calls, 0);
	nb_sim_advance_to(r.sim, t0 + (200 + 20) * 80);
	assert_int_equal(n.calls, 1);
	nb_sim_advance_to(r.sim, t0 + 2 * (200 + 20) * 80);
	assert_int_equal(n.calls, 2);
	assert_int_equal(nb_rmii_rx_peek(&port, &rx), 0);
	assert_memory_equal(rx.data, f, sizeof(f));
	nb_rmii_rx_release(&port);
	assert_int_equal(r.peer.rx, 0);
	assert_int_equal(nb_lan8720_model_stats(r.m)->tx_no_link, 0);
	rig_down(&r);
}

static void test_lan8720_rmii_far_loopback_turns_frames_around(void **state)
{
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	struct nb_rmii_rx rx;
	uint8_t f[64];

	(void)state;
	rig_rmii_up(&r, NULL, &port, &n);
	rig_link_up(&r);
	rig_wr(&r, 17, 0x0200);
	rig_frame(f, sizeof(f), 2);
	assert_int_equal(nb_wire_send(r.wire, 1, f, sizeof(f), 0), 0);
	rig_run(&r, 1 * MS);
	assert_int_equal(r.peer.rx, 1);
	assert_memory_equal(r.peer.last, f, sizeof(f));
	assert_int_equal(nb_rmii_rx_peek(&port, &rx), -EAGAIN);
	assert_int_equal(tx1(&port, f, sizeof(f)), 0); /* RMII side isolated */
	rig_run(&r, 1 * MS);
	assert_int_equal(r.peer.rx, 1);
	assert_int_equal(nb_lan8720_model_stats(r.m)->far_loopback, 1);
	rig_down(&r);
}

static void test_lan8720_rmii_lax_mode_loses_frames_silently(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .lax = true };
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	uint8_t f[64];

	(void)state;
	rig_rmii_up(&r, &cfg, &port, &n);
	rig_link_up(&r);
	rig_wr(&r, 0, 0x3400);
	rig_frame(f, sizeof(f), 2);
	assert_int_equal(tx1(&port, f, sizeof(f)), 0);
	assert_int_equal(tx1(&port, f, 40), 0);
	rig_run(&r, 1 * MS);
	assert_int_equal(r.peer.rx, 0);
	assert_int_equal(nb_lan8720_model_stats(r.m)->tx_no_link, 2);
	assert_int_equal(r.violations, 0);
	assert_int_equal(nb_lan8720_model_stats(r.m)->violations, 0);
	rig_down(&r);
}

static void test_lan8720_rmii_link_loss_flushes_fifo(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .tx_queue = 3 };
	struct rig r;
	struct nb_rmii_port port;
	struct notes n = { 0 };
	uint8_t f[1518];

	(void)state;
	rig_rmii_up(&r, &cfg, &port, &n);
	rig_link_up(&r);
	rig_frame(f, sizeof(f), 3);
	while (tx1(&port, f, sizeof(f)) == 0)
		;
	assert_int_equal(n.calls, 0);
	nb_lan8720_model_set_cable(r.m, false);
	/* 32 in flight on the wire and 3 in the FIFO are lost; the MAC may send again */
	assert_int_equal(nb_wire_stats(r.wire, 0)->lost_unplugged, 32);
	assert_int_equal(nb_lan8720_model_stats(r.m)->tx_no_link, 3);
	assert_true(n.calls >= 1);
	assert_int_equal(tx1(&port, f, sizeof(f)), 0);
	assert_int_equal(nb_lan8720_model_stats(r.m)->tx_no_link, 4);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lan8720_rmii_frames_pass_both_ways_with_timing),
		cmocka_unit_test(test_lan8720_rmii_fcs_errors_and_rxer),
		cmocka_unit_test(test_lan8720_rmii_ring_overflow_counted),
		cmocka_unit_test(test_lan8720_rmii_tx_eagain_then_notify),
		cmocka_unit_test(test_lan8720_rmii_tx_lost_without_link),
		cmocka_unit_test(test_lan8720_rmii_frame_size_rules),
		cmocka_unit_test(test_lan8720_rmii_port_speed_must_match_line),
		cmocka_unit_test(test_lan8720_rmii_near_end_loopback),
		cmocka_unit_test(test_lan8720_rmii_far_loopback_turns_frames_around),
		cmocka_unit_test(test_lan8720_rmii_lax_mode_loses_frames_silently),
		cmocka_unit_test(test_lan8720_rmii_link_loss_flushes_fifo),
	};
	return cmocka_run_group_tests_name("lan8720_rmii", tests, NULL, NULL);
}
