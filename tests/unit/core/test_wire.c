/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "sim/medium/wire.h"
#include "tests/unit/support/test_support.h"

struct end {
	unsigned rx;
	uint64_t rx_at[64];
	size_t rx_len[64];
	uint8_t last[2048];
	bool carrier;
	unsigned carrier_calls;
	unsigned space_calls;
	struct nb_sim *sim;
};

static void end_rx(void *ctx, const uint8_t *f, size_t len, uint32_t flags)
{
	struct end *e = ctx;

	(void)flags;
	if (e->rx < 64) {
		e->rx_at[e->rx] = nb_sim_now(e->sim);
		e->rx_len[e->rx] = len;
	}
	memcpy(e->last, f, len);
	e->rx++;
}

static void end_carrier(void *ctx, bool c)
{
	struct end *e = ctx;

	e->carrier = c;
	e->carrier_calls++;
}

static void end_space(void *ctx)
{
	((struct end *)ctx)->space_calls++;
}

static const struct nb_wire_end_ops end_ops = {
	.rx = end_rx, .carrier = end_carrier, .tx_space = end_space,
};

struct rig {
	struct nb_sim *sim;
	struct nb_wire *w;
	struct end e[2];
};

static void rig_up(struct rig *r, const struct nb_wire_cfg *cfg)
{
	struct nb_sim_cfg sc = { 0 };

	memset(r, 0, sizeof(*r));
	r->sim = nb_sim_new(&sc);
	r->w = nb_wire_new(r->sim, cfg);
	assert_non_null(r->w);
	for (int i = 0; i < 2; i++) {
		r->e[i].sim = r->sim;
		nb_wire_attach(r->w, i, &end_ops, &r->e[i]);
		nb_wire_set_end_up(r->w, i, true);
	}
}

static void rig_down(struct rig *r)
{
	nb_wire_free(r->w);
	nb_sim_free(r->sim);
}

static void test_wire_serialises_at_line_rate(void **state)
{
	struct rig r;
	uint8_t f[64] = { 1, 2, 3 };

	(void)state;
	rig_up(&r, NULL);
	assert_true(r.e[0].carrier && r.e[1].carrier);
	assert_int_equal(nb_wire_send(r.w, 0, f, 64, 0), 0);
	assert_int_equal(nb_wire_send(r.w, 0, f, 64, 0), 0);
	nb_sim_advance_to(r.sim, 1000000);
	assert_int_equal(r.e[1].rx, 2);
	/* (64 + 20 bytes) * 80 ns + 500 ns propagation; the second waits for the first */
	assert_int_equal(r.e[1].rx_at[0], 84 * 80 + 500);
	assert_int_equal(r.e[1].rx_at[1], 2 * 84 * 80 + 500);
	nb_wire_set_speed(r.w, 10);
	uint64_t t0 = nb_sim_now(r.sim);
	assert_int_equal(nb_wire_send(r.w, 1, f, 64, 0), 0);
	nb_sim_advance_to(r.sim, t0 + 10000000);
	assert_int_equal(r.e[0].rx, 1);
	assert_int_equal(r.e[0].rx_at[0] - t0, 84 * 800 + 500);
	rig_down(&r);
}

static void test_wire_queue_full_is_eagain_then_space_callback(void **state)
{
	struct nb_wire_cfg cfg = { .queue_frames = 4 };
	struct rig r;
	uint8_t f[100] = { 0 };

	(void)state;
	rig_up(&r, &cfg);
	for (int i = 0; i < 4; i++)
		assert_int_equal(nb_wire_send(r.w, 0, f, sizeof(f), 0), 0);
	assert_int_equal(nb_wire_tx_space(r.w, 0), 0);
	assert_int_equal(nb_wire_send(r.w, 0, f, sizeof(f), 0), -EAGAIN);
	assert_int_equal(nb_wire_stats(r.w, 0)->busy, 1);
	nb_sim_advance_to(r.sim, NB_NS_PER_MS);
	assert_int_equal(r.e[1].rx, 4);
	assert_true(r.e[0].space_calls >= 1);
	assert_int_equal(nb_wire_tx_space(r.w, 0), 4);
	rig_down(&r);
}

static void test_wire_unplug_loses_in_flight_and_drops_carrier(void **state)
{
	struct rig r;
	uint8_t f[1500] = { 0 };

	(void)state;
	rig_up(&r, NULL);
	assert_int_equal(nb_wire_send(r.w, 0, f, sizeof(f), 0), 0);
	nb_wire_set_plugged(r.w, false);
	assert_false(r.e[0].carrier);
	assert_false(r.e[1].carrier);
	nb_sim_advance_to(r.sim, NB_NS_PER_MS);
	assert_int_equal(r.e[1].rx, 0);
	assert_int_equal(nb_wire_stats(r.w, 0)->lost_unplugged, 1);
	assert_int_equal(nb_wire_send(r.w, 0, f, sizeof(f), 0), -ENOLINK);
	assert_int_equal(nb_wire_stats(r.w, 0)->lost_unplugged, 2);
	nb_wire_set_plugged(r.w, true);
	assert_true(r.e[1].carrier);
	/* far end powers down: only the near end loses carrier */
	nb_wire_set_end_up(r.w, 1, false);
	assert_false(r.e[0].carrier);
	assert_true(r.e[1].carrier);
	rig_down(&r);
}

static int stage_drop_odd_dup_even(void *ctx, int from, uint8_t *frame, size_t *len,
				   uint32_t *flags, uint64_t *extra, bool *dup)
{
	(void)ctx;
	(void)from;
	(void)len;
	(void)flags;
	if (frame[0] & 1)
		return 1;
	*extra = 1000;
	*dup = true;
	frame[1] ^= 0xFF; /* stages may corrupt */
	return 0;
}

static void test_wire_stage_drops_duplicates_and_modifies(void **state)
{
	struct rig r;
	struct nb_wire_stage st = { .apply = stage_drop_odd_dup_even };
	uint8_t f[64] = { 0 };

	(void)state;
	rig_up(&r, NULL);
	nb_wire_set_stage(r.w, &st);
	f[0] = 1;
	assert_int_equal(nb_wire_send(r.w, 0, f, 64, 0), 0);
	f[0] = 2;
	assert_int_equal(nb_wire_send(r.w, 0, f, 64, 0), 0);
	nb_sim_advance_to(r.sim, NB_NS_PER_MS);
	assert_int_equal(r.e[1].rx, 2);
	assert_int_equal(r.e[1].last[1], 0xFF);
	assert_int_equal(nb_wire_stats(r.w, 0)->dropped_by_stage, 1);
	assert_int_equal(r.e[1].rx_at[0], 84 * 80 + 500 + 1000);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_serialises_at_line_rate),
		cmocka_unit_test(test_wire_queue_full_is_eagain_then_space_callback),
		cmocka_unit_test(test_wire_unplug_loses_in_flight_and_drops_carrier),
		cmocka_unit_test(test_wire_stage_drops_duplicates_and_modifies),
	};
	return cmocka_run_group_tests_name("wire", tests, NULL, NULL);
}
