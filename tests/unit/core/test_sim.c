/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "sim/core/sim.h"
#include "tests/unit/support/test_support.h"

struct rec {
	struct nb_sim *sim;
	uint64_t at[16];
	int who[16];
	unsigned n;
};

struct tmr {
	struct nb_sim_timer t;
	struct rec *r;
	int id;
};

static void fire(void *ctx)
{
	struct tmr *t = ctx;

	t->r->at[t->r->n] = nb_sim_now(t->r->sim);
	t->r->who[t->r->n++] = t->id;
}

static void test_sim_timers_fire_in_time_then_arming_order(void **state)
{
	struct nb_sim_cfg cfg = { 0 };
	struct nb_sim *sim = nb_sim_new(&cfg);
	struct rec r = { .sim = sim };
	struct tmr t[5];
	static const uint64_t when[5] = { 300, 100, 300, 200, 100 };

	(void)state;
	for (int i = 0; i < 5; i++) {
		t[i].r = &r;
		t[i].id = i;
		nb_sim_timer_init(&t[i].t, fire, &t[i]);
		assert_int_equal(nb_sim_timer_arm(sim, &t[i].t, when[i]), 0);
	}
	nb_sim_timer_cancel(sim, &t[3].t);
	assert_false(nb_sim_timer_armed(&t[3].t));
	assert_int_equal(nb_sim_next_event(sim), 100);
	nb_sim_advance_to(sim, 1000);
	assert_int_equal(r.n, 4);
	static const int order[4] = { 1, 4, 0, 2 };
	static const uint64_t at[4] = { 100, 100, 300, 300 };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(r.who[i], order[i]);
		assert_int_equal(r.at[i], at[i]); /* each timer sees its own deadline as now */
	}
	assert_int_equal(nb_sim_now(sim), 1000);
	assert_int_equal(nb_sim_next_event(sim), NB_DEADLINE_NONE);
	nb_sim_free(sim);
}

static void test_sim_charge_advances_virtual_time_only(void **state)
{
	struct nb_sim_cfg v = { .mode = NB_SIM_VIRTUAL };
	struct nb_sim_cfg rt = { .mode = NB_SIM_REALTIME };
	struct nb_sim *a = nb_sim_new(&v), *b = nb_sim_new(&rt);
	const struct nb_clock *clk = nb_sim_clock(a);

	(void)state;
	nb_sim_charge(a, 640);
	assert_int_equal(nb_sim_now(a), 640);
	assert_int_equal(nb_clock_now(clk), 640);
	assert_true(nb_clock_expired(clk, 640));
	assert_false(nb_clock_expired(clk, 641));
	nb_sim_charge(b, 5 * NB_NS_PER_S);
	assert_true(nb_sim_now(b) < NB_NS_PER_S); /* real time did not jump */
	assert_int_equal(nb_sim_charged(b), 5 * NB_NS_PER_S);
	nb_sim_free(a);
	nb_sim_free(b);
}

static void test_sim_rng_streams_are_seeded_and_independent(void **state)
{
	struct nb_sim_cfg c1 = { .seed = 42 }, c2 = { .seed = 43 };
	struct nb_sim *s1 = nb_sim_new(&c1), *s1b = nb_sim_new(&c1), *s2 = nb_sim_new(&c2);
	struct nb_rng a, b, c, d;

	(void)state;
	nb_sim_rng(s1, "wire0", &a);
	nb_sim_rng(s1b, "wire0", &b);
	nb_sim_rng(s2, "wire0", &c);
	nb_sim_rng(s1, "wire1", &d);
	for (int i = 0; i < 100; i++) {
		uint64_t x = nb_rng_next(&a);

		assert_int_equal(x, nb_rng_next(&b));
		assert_int_not_equal(x, nb_rng_next(&c));
		assert_int_not_equal(x, nb_rng_next(&d));
	}
	/* unit interval and bounded draws stay in range; mean of unit() near 0.5 */
	double sum = 0;
	for (int i = 0; i < 100000; i++) {
		double u = nb_rng_unit(&a);

		assert_true(u >= 0.0 && u < 1.0);
		assert_true(nb_rng_below(&a, 7) < 7);
		sum += u;
	}
	assert_true(sum / 100000 > 0.49 && sum / 100000 < 0.51);
	nb_sim_free(s1);
	nb_sim_free(s1b);
	nb_sim_free(s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_timers_fire_in_time_then_arming_order),
		cmocka_unit_test(test_sim_charge_advances_virtual_time_only),
		cmocka_unit_test(test_sim_rng_streams_are_seeded_and_independent),
	};
	return cmocka_run_group_tests_name("sim", tests, NULL, NULL);
}
