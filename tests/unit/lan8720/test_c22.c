/* SPDX-License-Identifier: MIT */
/* The generic clause-22 core (drivers/phy) against the LAN8720A register model, without the
 * LAN8720 quirk layer: only standard registers are used, as with any clause-22 PHY. */
#include <errno.h>
#include <string.h>

#include "drivers/phy/c22.h"
#include "tests/unit/lan8720/bench.h"
#include "tests/unit/support/test_support.h"

#define MS NB_NS_PER_MS

struct linklog {
	unsigned calls;
	struct nb_phy_status st[16];
};

static void on_link(struct nb_phy *phy, const struct nb_phy_status *st, void *ctx)
{
	struct linklog *l = ctx;

	(void)phy;
	if (l->calls < 16)
		l->st[l->calls] = *st;
	l->calls++;
}

struct c22 {
	struct bench *b;
	struct nb_phy phy;
	struct nb_phy_cfg cfg;
	struct linklog log;
};

static void c22_up(struct c22 *t, const struct bench_opts *o)
{
	memset(t, 0, sizeof(*t));
	t->b = bench_new(o);
	assert_non_null(t->b);
	t->cfg.mdio = t->b->cfg.mdio;
	t->cfg.clock = t->b->cfg.clock;
	t->cfg.log = &nb_test_log;
	t->cfg.addr = o ? o->model.phy_addr : 0;
	t->cfg.id = 0x0007C0F0u;
	t->cfg.id_mask = 0xFFFFFFF0u;
	t->cfg.link_fn = on_link;
	t->cfg.link_ctx = &t->log;
}

static void c22_down(struct c22 *t)
{
	bench_free(t->b);
}

static void c22_start(struct c22 *t)
{
	assert_int_equal(nb_phy_init(&t->phy, &t->cfg), 0);
	assert_int_equal(nb_phy_probe(&t->phy, false), 0);
	assert_int_equal(nb_phy_start(&t->phy), 0);
}

/* Step the core whenever it asks, for @p ns of virtual time. */
static void c22_run(struct c22 *t, uint64_t ns)
{
	struct nb_sim *sim = t->b->sim;
	uint64_t end = nb_sim_now(sim) + ns;

	for (;;) {
		uint64_t now = nb_sim_now(sim), next = nb_phy_next_deadline(&t->phy);

		if (next <= now) {
			assert_int_equal(nb_phy_step(&t->phy), 0);
			assert_true(nb_phy_next_deadline(&t->phy) > now);
			continue;
		}
		if (now >= end)
			return;
		if (nb_sim_next_event(sim) < next)
			next = nb_sim_next_event(sim);
		nb_sim_advance_to(sim, next < end ? next : end);
	}
}

static void c22_run_until_state(struct c22 *t, enum nb_phy_state st, uint64_t max)
{
	for (uint64_t waited = 0; waited < max && nb_phy_state(&t->phy) != st; waited += MS)
		c22_run(t, MS);
	assert_int_equal(nb_phy_state(&t->phy), st);
}

static void test_c22_mode_helpers(void **state)
{
	uint16_t speed = 0;
	bool fd = false;

	(void)state;
	assert_int_equal(nb_phy_adv_from_modes(NB_PHY_SPEED_MASK), 0x01E1);
	assert_int_equal(nb_phy_adv_from_modes(NB_PHY_10HD | NB_PHY_PAUSE), 0x0421);
	assert_int_equal(nb_phy_modes_from_bmsr(0x7809), NB_PHY_SPEED_MASK);
	assert_int_equal(nb_phy_modes_from_adv(0x05E1), NB_PHY_SPEED_MASK | NB_PHY_PAUSE);
	assert_int_equal(nb_phy_resolve(0x01E1, 0x45E1, &speed, &fd), 0);
	assert_true(speed == 100 && fd);
	assert_int_equal(nb_phy_resolve(0x0061, 0x41E1, &speed, &fd), 0);
	assert_true(speed == 10 && fd);
	assert_int_equal(nb_phy_resolve(0x00A1, 0x4061, &speed, &fd), 0);
	assert_true(speed == 10 && !fd);
	assert_int_equal(nb_phy_resolve(0x0041, 0x4081, &speed, &fd), -ENOENT);
}

static void test_c22_init_rejects_bad_config(void **state)
{
	struct c22 t;

	(void)state;
	c22_up(&t, NULL);
	t.cfg.addr = 32;
	assert_int_equal(nb_phy_init(&t.phy, &t.cfg), -EINVAL);
	t.cfg.addr = 0;
	t.cfg.forced = true;
	t.cfg.forced_speed = 1000;
	assert_int_equal(nb_phy_init(&t.phy, &t.cfg), -EINVAL);
	t.cfg.forced = false;
	t.cfg.advertise = 1u << 9;
	assert_int_equal(nb_phy_init(&t.phy, &t.cfg), -EINVAL);
	t.cfg.advertise = 0;
	t.cfg.mdio.ops = NULL;
	assert_int_equal(nb_phy_init(&t.phy, &t.cfg), -EINVAL);
	c22_down(&t);
}

static void test_c22_probe_reads_and_matches_id(void **state)
{
	struct c22 t;
	uint32_t id = 0;

	(void)state;
	c22_up(&t, NULL);
	assert_int_equal(nb_phy_read_id(&t.cfg.mdio, 0, &id), 0);
	assert_int_equal(id, 0x0007C0F1u);
	assert_int_equal(nb_phy_init(&t.phy, &t.cfg), 0);
	assert_int_equal(nb_phy_probe(&t.phy, false), 0);
	assert_int_equal(t.phy.id, 0x0007C0F1u);
	c22_down(&t);
}

static void test_c22_id_mismatch_refused(void **state)
{
	struct c22 t;

	(void)state;
	c22_up(&t, NULL);
	t.cfg.id = 0x00221560u; /* a Micrel KSZ8081 */
	assert_int_equal(nb_phy_init(&t.phy, &t.cfg), 0);
	assert_int_equal(nb_phy_probe(&t.phy, false), -ENXIO);
	assert_int_equal(t.phy.id, 0x0007C0F1u); /* what was there, for the log */
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_DOWN);
	/* a scan for that ID skips the LAN8720 */
	assert_int_equal(nb_phy_probe(&t.phy, true), -ENODEV);
	/* the revision nibble is masked: another silicon revision still matches */
	t.cfg.id = 0x0007C0F9u;
	assert_int_equal(nb_phy_init(&t.phy, &t.cfg), 0);
	assert_int_equal(nb_phy_probe(&t.phy, false), 0);
	c22_down(&t);
}

static void absent(bool pullup)
{
	struct bench_opts o = { .no_model = true, .no_pullup = !pullup };
	struct c22 t;
	uint32_t id = 0x12345678u;

	c22_up(&t, &o);
	assert_int_equal(nb_phy_read_id(&t.cfg.mdio, 0, &id), -ENODEV);
	assert_int_equal(id, pullup ? 0xFFFFFFFFu : 0);
	assert_int_equal(nb_phy_init(&t.phy, &t.cfg), 0);
	assert_int_equal(nb_phy_probe(&t.phy, false), -ENODEV);
	assert_int_equal(nb_phy_probe(&t.phy, true), -ENODEV);
	assert_int_equal(nb_sim_mdio_stats(t.b->bus)->unanswered, 2 + 2 + 64);
	c22_down(&t);
}

static void test_c22_absent_phy_detected_pullup(void **state)
{
	(void)state;
	absent(true);
}

static void test_c22_absent_phy_detected_no_pullup(void **state)
{
	(void)state;
	absent(false);
}

static void test_c22_scan_finds_address(void **state)
{
	struct bench_opts o = { .model = { .phy_addr = 7 } };
	struct c22 t;
	uint8_t addr = 0xFF;
	uint32_t id = 0;

	(void)state;
	c22_up(&t, &o);
	assert_int_equal(nb_phy_scan(&t.cfg.mdio, 0, 0x0007C0F0u, 0xFFFFFFF0u, &addr, &id), 0);
	assert_int_equal(addr, 7);
	assert_int_equal(id, 0x0007C0F1u);
	assert_int_equal(nb_phy_scan(&t.cfg.mdio, 8, 0, 0, &addr, &id), -ENODEV);
	t.cfg.addr = 0;
	assert_int_equal(nb_phy_init(&t.phy, &t.cfg), 0);
	assert_int_equal(nb_phy_probe(&t.phy, false), -ENODEV);
	assert_int_equal(nb_phy_probe(&t.phy, true), 0);
	assert_int_equal(t.phy.addr, 7);
	c22_down(&t);
}

static void test_c22_soft_reset_waits_for_self_clear(void **state)
{
	struct bench_opts o = { .model = { .soft_reset_ns = 20 * MS } };
	struct c22 t;
	uint64_t t0, resets0;

	(void)state;
	c22_up(&t, &o);
	resets0 = nb_lan8720_model_stats(t.b->m)->soft_resets;
	t0 = nb_sim_now(t.b->sim);
	c22_start(&t);
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_RESET);
	/* the reset bit is written alone */
	assert_int_equal(nb_lan8720_model_peek(t.b->m, 0) & 0x8000, 0x8000);
	c22_run(&t, 19 * MS);
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_RESET);
	c22_run(&t, 3 * MS);
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_NOLINK);
	assert_true(nb_sim_now(t.b->sim) - t0 >= 20 * MS);
	assert_int_equal(nb_lan8720_model_stats(t.b->m)->soft_resets, resets0 + 1);
	assert_int_equal(nb_phy_stats(&t.phy)->soft_resets, 1);
	/* nothing was written while the reset ran (such writes are lost) */
	assert_int_equal(t.b->violations, 0);
	c22_down(&t);
}

static void test_c22_soft_reset_timeout_fails(void **state)
{
	struct bench_opts o = { .model = { .soft_reset_ns = 400 * MS } };
	struct c22 t;

	(void)state;
	c22_up(&t, &o);
	t.cfg.reset_timeout_ns = 100 * MS;
	t.cfg.reset_poll_ns = 10 * MS;
	c22_start(&t);
	for (int i = 0; i < 200 && nb_phy_state(&t.phy) == NB_PHY_ST_RESET; i++) {
		uint64_t next = nb_phy_next_deadline(&t.phy);

		nb_sim_advance_to(t.b->sim, next);
		(void)nb_phy_step(&t.phy);
	}
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_FAILED);
	assert_int_equal(nb_phy_error(&t.phy), -ETIMEDOUT);
	assert_int_equal(nb_phy_next_deadline(&t.phy), NB_DEADLINE_NONE);
	assert_true(nb_sim_now(t.b->sim) >= 100 * MS && nb_sim_now(t.b->sim) < 150 * MS);
	assert_int_equal(t.log.calls, 0);
	c22_down(&t);
}

struct an_case {
	bool partner_an;
	uint16_t partner;
	uint32_t advertise;
	uint16_t speed;
	bool fd;
	bool parallel;
};

static void an_case_run(const struct an_case *c)
{
	struct c22 t;
	struct nb_lan8720_partner p = { .autoneg = c->partner_an, .ability = c->partner };

	c22_up(&t, NULL);
	nb_lan8720_model_set_partner(t.b->m, &p);
	t.cfg.advertise = c->advertise;
	c22_start(&t);
	c22_run(&t, 5000 * MS);
	if (!c->speed) {
		assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_NOLINK);
		assert_int_equal(t.log.calls, 0);
		c22_down(&t);
		return;
	}
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_RUNNING);
	assert_int_equal(t.log.calls, 1);
	assert_true(t.log.st[0].link);
	assert_int_equal(t.log.st[0].speed_mbps, c->speed);
	assert_int_equal(t.log.st[0].full_duplex, c->fd);
	assert_int_equal(t.log.st[0].parallel_detect, c->parallel);
	assert_true(t.log.st[0].autoneg);
	c22_down(&t);
}

static void test_c22_an_result_for_each_partner_ability(void **state)
{
	static const struct an_case cases[] = {
		/* partner pages (0x4000 ACK is the PHY's business), our advertisement */
		{ true, 0x05E1, 0, 100, true, false },
		{ true, 0x01E1, 0, 100, true, false },
		{ true, 0x0101, 0, 100, true, false },
		{ true, 0x00E1, 0, 100, false, false },
		{ true, 0x0081, 0, 100, false, false },
		{ true, 0x0061, 0, 10, true, false },
		{ true, 0x0041, 0, 10, true, false },
		{ true, 0x0021, 0, 10, false, false },
		{ true, 0x00A1, 0, 100, false, false },
		{ true, 0x0141, 0, 100, true, false },
		/* restricted advertisement */
		{ true, 0x01E1, NB_PHY_10HD | NB_PHY_10FD, 10, true, false },
		{ true, 0x01E1, NB_PHY_10HD | NB_PHY_100HD, 100, false, false },
		{ true, 0x01E1, NB_PHY_10HD, 10, false, false },
		{ true, 0x0101, NB_PHY_100HD | NB_PHY_10FD, 0, false, false }, /* nothing common */
		/* partner without AN: parallel detection, always half duplex */
		{ false, 0x0080, 0, 100, false, true },
		{ false, 0x0020, 0, 10, false, true },
		{ false, 0x0100, 0, 100, false, true },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("case %u: partner %s 0x%04x, advertise 0x%x\n", i,
			      cases[i].partner_an ? "AN" : "forced", cases[i].partner,
			      cases[i].advertise);
		an_case_run(&cases[i]);
	}
}

static void test_c22_an_not_restarted_when_advertisement_unchanged(void **state)
{
	struct c22 t;

	(void)state;
	c22_up(&t, NULL);
	t.cfg.link_poll_ns = 50 * MS;
	c22_start(&t);
	c22_run(&t, 1600 * MS); /* AN from the soft reset: 1.5 s */
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_RUNNING);
	assert_int_equal(nb_phy_stats(&t.phy)->an_restarts, 0);
	c22_down(&t);

	c22_up(&t, NULL);
	t.cfg.link_poll_ns = 50 * MS;
	t.cfg.advertise = NB_PHY_10FD;
	c22_start(&t);
	c22_run(&t, 5 * MS);
	assert_int_equal(nb_lan8720_model_peek(t.b->m, 4), 0x0041);
	c22_run(&t, 2600 * MS); /* restart: plus 1.2 s break-link wait */
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_NOLINK);
	c22_run(&t, 200 * MS);
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_RUNNING);
	assert_int_equal(nb_phy_stats(&t.phy)->an_restarts, 1);
	assert_int_equal(t.log.st[0].speed_mbps, 10);
	c22_down(&t);
}

static void forced_case(uint16_t speed, bool fd)
{
	struct c22 t;
	struct nb_lan8720_partner p = {
		.autoneg = false,
		.ability = (uint16_t)(speed == 100 ? (fd ? 0x0100 : 0x0080) : (fd ? 0x0040 : 0x0020)),
	};

	c22_up(&t, NULL);
	nb_lan8720_model_set_partner(t.b->m, &p);
	t.cfg.forced = true;
	t.cfg.forced_speed = speed;
	t.cfg.forced_full_duplex = fd;
	c22_start(&t);
	c22_run_until_state(&t, NB_PHY_ST_NOLINK, 10 * MS);
	assert_int_equal(nb_lan8720_model_peek(t.b->m, 0),
			 (speed == 100 ? 0x2000 : 0) | (fd ? 0x0100 : 0));
	c22_run(&t, 2000 * MS);
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_RUNNING);
	assert_int_equal(t.log.calls, 1);
	assert_int_equal(t.log.st[0].speed_mbps, speed);
	assert_int_equal(t.log.st[0].full_duplex, fd);
	assert_false(t.log.st[0].autoneg);
	assert_int_equal(nb_phy_stats(&t.phy)->an_restarts, 0);
	assert_int_equal(nb_lan8720_model_stats(t.b->m)->duplex_mismatch, 0);
	c22_down(&t);
}

static void test_c22_forced_mode(void **state)
{
	(void)state;
	forced_case(100, true);
	forced_case(100, false);
	forced_case(10, true);
	forced_case(10, false);
}

static void test_c22_link_flap_between_reads_is_reported(void **state)
{
	struct c22 t;
	uint64_t waited = 0;

	(void)state;
	c22_up(&t, NULL);
	c22_start(&t);
	c22_run(&t, 2100 * MS);
	assert_int_equal(t.log.calls, 1);
	/* Flap while nobody reads: link goes down and comes back before the next poll. */
	nb_lan8720_model_set_cable(t.b->m, false);
	nb_sim_advance_to(t.b->sim, nb_sim_now(t.b->sim) + 10 * MS);
	assert_false(nb_lan8720_model_link_up(t.b->m));
	nb_lan8720_model_set_cable(t.b->m, true);
	while (!nb_lan8720_model_link_up(t.b->m) && waited < 3000 * MS) {
		nb_sim_advance_to(t.b->sim, nb_sim_now(t.b->sim) + MS);
		waited += MS;
	}
	assert_true(nb_lan8720_model_link_up(t.b->m));
	/* the live bit is up again, only the latch remembers the drop */
	assert_int_equal(nb_lan8720_model_peek(t.b->m, 1) & 0x0004, 0);
	assert_int_equal(t.log.calls, 1);
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_RUNNING);
	/* one step: down, then up again */
	nb_sim_advance_to(t.b->sim, nb_phy_next_deadline(&t.phy));
	assert_int_equal(nb_phy_step(&t.phy), 0);
	assert_int_equal(t.log.calls, 3);
	assert_false(t.log.st[1].link);
	assert_true(t.log.st[2].link);
	assert_int_equal(t.log.st[2].speed_mbps, 100);
	assert_int_equal(nb_phy_stats(&t.phy)->link_downs, 1);
	assert_int_equal(nb_phy_stats(&t.phy)->link_ups, 2);
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_RUNNING);
	c22_down(&t);
}

static void test_c22_link_down_and_up_polled(void **state)
{
	struct c22 t;

	(void)state;
	c22_up(&t, NULL);
	t.cfg.link_poll_ns = 100 * MS;
	c22_start(&t);
	c22_run(&t, 2100 * MS);
	assert_int_equal(t.log.calls, 1);
	nb_lan8720_model_set_cable(t.b->m, false);
	c22_run(&t, 100 * MS);
	assert_int_equal(t.log.calls, 2);
	assert_false(t.log.st[1].link);
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_NOLINK);
	c22_run(&t, 3000 * MS);
	assert_int_equal(t.log.calls, 2); /* no cable, nothing */
	nb_lan8720_model_set_cable(t.b->m, true);
	c22_run(&t, 1700 * MS);
	assert_int_equal(t.log.calls, 3);
	assert_true(t.log.st[2].link);
	c22_down(&t);
}

static void test_c22_restart_aneg(void **state)
{
	struct c22 t;

	(void)state;
	c22_up(&t, NULL);
	t.cfg.link_poll_ns = 50 * MS;
	c22_start(&t);
	c22_run(&t, 2100 * MS);
	assert_int_equal(t.log.calls, 1);
	assert_int_equal(nb_phy_restart_aneg(&t.phy), 0);
	c22_run(&t, 100 * MS);
	assert_int_equal(t.log.calls, 2);
	assert_false(t.log.st[1].link);
	c22_run(&t, 3000 * MS);
	assert_int_equal(t.log.calls, 3);
	assert_true(t.log.st[2].link);
	assert_int_equal(nb_phy_stats(&t.phy)->an_restarts, 1);
	c22_down(&t);
	/* not in forced mode */
	c22_up(&t, NULL);
	t.cfg.forced = true;
	t.cfg.forced_speed = 10;
	c22_start(&t);
	c22_run(&t, 5 * MS);
	assert_int_equal(nb_phy_restart_aneg(&t.phy), -EINVAL);
	c22_down(&t);
}

static void test_c22_stop_reports_down_and_powers_down(void **state)
{
	struct c22 t;

	(void)state;
	c22_up(&t, NULL);
	c22_start(&t);
	c22_run(&t, 2100 * MS);
	assert_int_equal(t.log.calls, 1);
	assert_int_equal(nb_phy_stop(&t.phy, true), 0);
	assert_int_equal(t.log.calls, 2);
	assert_false(t.log.st[1].link);
	assert_int_equal(nb_phy_state(&t.phy), NB_PHY_ST_DOWN);
	assert_int_equal(nb_phy_next_deadline(&t.phy), NB_DEADLINE_NONE);
	assert_true(nb_lan8720_model_peek(t.b->m, 0) & 0x0800);
	nb_sim_advance_to(t.b->sim, nb_sim_now(t.b->sim) + 10 * MS);
	assert_false(nb_lan8720_model_link_up(t.b->m));
	assert_int_equal(nb_phy_stop(NULL, true), 0);
	c22_down(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c22_mode_helpers),
		cmocka_unit_test(test_c22_init_rejects_bad_config),
		cmocka_unit_test(test_c22_probe_reads_and_matches_id),
		cmocka_unit_test(test_c22_id_mismatch_refused),
		cmocka_unit_test(test_c22_absent_phy_detected_pullup),
		cmocka_unit_test(test_c22_absent_phy_detected_no_pullup),
		cmocka_unit_test(test_c22_scan_finds_address),
		cmocka_unit_test(test_c22_soft_reset_waits_for_self_clear),
		cmocka_unit_test(test_c22_soft_reset_timeout_fails),
		cmocka_unit_test(test_c22_an_result_for_each_partner_ability),
		cmocka_unit_test(test_c22_an_not_restarted_when_advertisement_unchanged),
		cmocka_unit_test(test_c22_forced_mode),
		cmocka_unit_test(test_c22_link_flap_between_reads_is_reported),
		cmocka_unit_test(test_c22_link_down_and_up_polled),
		cmocka_unit_test(test_c22_restart_aneg),
		cmocka_unit_test(test_c22_stop_reports_down_and_powers_down),
	};

	return cmocka_run_group_tests_name("c22", tests, NULL, NULL);
}
