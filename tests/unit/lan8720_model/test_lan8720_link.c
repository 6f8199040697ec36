/* SPDX-License-Identifier: MIT */
/* LAN8720A model: autonegotiation, parallel detection, timing, straps, nRST, power states,
 * energy detect, Auto-MDIX. */
#include <errno.h>
#include <string.h>

#include "tests/unit/lan8720_model/rig.h"

static void test_lan8720_link_an_resolution_per_partner(void **state)
{
	static const struct {
		uint16_t ours, partner;
		bool link;
		uint16_t pscsr;
		uint16_t bmsr; /* second read */
	} cases[] = {
		{ 0x01E1, 0x05E1, true, 0x1058, 0x782D },  /* 100 FD */
		{ 0x01E1, 0x0481, true, 0x1048, 0x782D },  /* 100 HD */
		{ 0x01E1, 0x0041, true, 0x1054, 0x782D },  /* 10 FD */
		{ 0x01E1, 0x0021, true, 0x1044, 0x782D },  /* 10 HD */
		{ 0x01E1, 0x0001, false, 0x0040, 0x7809 }, /* nothing in common */
		{ 0x0061, 0x05E1, true, 0x1054, 0x782D },  /* we offer only 10: 10 FD */
		{ 0x0101, 0x0081, false, 0x0040, 0x7809 }, /* 100 FD vs 100 HD only */
	};

	(void)state;
	for (size_t i = 0; i < NB_ARRAY_SIZE(cases); i++) {
		struct nb_lan8720_partner p = { .autoneg = true, .ability = cases[i].partner };
		struct rig r;

		rig_up(&r, NULL, false);
		nb_lan8720_model_set_partner(r.m, &p);
		rig_wr(&r, 4, cases[i].ours);
		rig_wr(&r, 0, 0x3200); /* restart so the new advertisement is used */
		nb_lan8720_model_set_cable(r.m, true);
		rig_run(&r, 3000 * MS);
		assert_int_equal(nb_lan8720_model_link_up(r.m), cases[i].link);
		assert_int_equal(rig_rd(&r, 31), cases[i].pscsr);
		(void)rig_rd(&r, 1);
		assert_int_equal(rig_rd(&r, 1), cases[i].bmsr);
		/* the partner's page with its ACK, whatever the outcome */
		assert_int_equal(rig_rd(&r, 5), cases[i].partner | 0x4000);
		assert_int_equal(rig_rd(&r, 6) & 0x0001, 0x0001);
		/* BMCR speed/duplex are not updated by the AN result */
		assert_int_equal(rig_rd(&r, 0), 0x3000);
		assert_int_equal(nb_lan8720_model_stats(r.m)->an_completions, cases[i].link);
		rig_down(&r);
	}
}

static void test_lan8720_link_parallel_detection(void **state)
{
	static const struct {
		uint16_t partner;
		uint16_t pscsr, anlpar;
	} cases[] = {
		{ 0x0100, 0x1048, 0x0081 }, /* forced 100 FD → we get 100 HD */
		{ 0x0080, 0x1048, 0x0081 },
		{ 0x0040, 0x1044, 0x0021 }, /* forced 10 FD → 10 HD */
		{ 0x0020, 0x1044, 0x0021 },
	};

	(void)state;
	for (size_t i = 0; i < NB_ARRAY_SIZE(cases); i++) {
		struct nb_lan8720_partner p = { .autoneg = false, .ability = cases[i].partner };
		struct rig r;

		rig_up(&r, NULL, false);
		nb_lan8720_model_set_partner(r.m, &p);
		rig_link_up(&r);
		assert_int_equal(rig_rd(&r, 31), cases[i].pscsr);
		assert_int_equal(rig_rd(&r, 5), cases[i].anlpar);
		assert_int_equal(rig_rd(&r, 6), 0x0000); /* ANER.0 = 0: no AN partner */
		/* a full-duplex forced partner now runs at the other duplex */
		assert_int_equal(nb_lan8720_model_stats(r.m)->duplex_mismatch,
				 (cases[i].partner & 0x0140) ? 1 : 0);
		rig_down(&r);
	}
}

static void test_lan8720_link_an_timing_in_virtual_time(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .an_ns = 2000 * MS, .an_restart_ns = 1000 * MS };
	struct rig r;
	uint64_t t0, t1;

	(void)state;
	rig_up(&r, &cfg, false);
	/* AN started at reset, but nothing answers until the cable is in */
	rig_run(&r, 5000 * MS);
	assert_false(nb_lan8720_model_link_up(r.m));
	t0 = nb_sim_now(r.sim);
	nb_lan8720_model_set_cable(r.m, true);
	nb_sim_advance_to(r.sim, t0 + 500 * MS - 1);
	assert_int_equal(nb_lan8720_model_peek(r.m, 5), 0x0001);
	nb_sim_advance_to(r.sim, t0 + 500 * MS); /* page exchange: a quarter of an_ns */
	assert_int_equal(nb_lan8720_model_peek(r.m, 5), 0x45E1);
	nb_sim_advance_to(r.sim, t0 + 2000 * MS - 1);
	assert_false(nb_lan8720_model_link_up(r.m));
	assert_int_equal(nb_lan8720_model_peek(r.m, 1) & 0x0020, 0);
	nb_sim_advance_to(r.sim, t0 + 2000 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	assert_int_equal(nb_lan8720_model_peek(r.m, 31), 0x1058);
	/* restart: link drops at once, BMCR.9 reads back 0, break-link wait, then AN */
	rig_wr(&r, 0, 0x1200);
	t1 = nb_sim_now(r.sim);
	assert_false(nb_lan8720_model_link_up(r.m));
	assert_int_equal(rig_rd(&r, 0), 0x1000);
	nb_sim_advance_to(r.sim, t1 + 3000 * MS - 1000);
	assert_false(nb_lan8720_model_link_up(r.m));
	nb_sim_advance_to(r.sim, t1 + 3000 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	/* a write to ANAR alone does not restart AN */
	rig_wr(&r, 4, 0x0021);
	rig_run(&r, 5000 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	assert_int_equal(nb_lan8720_model_peek(r.m, 31), 0x1058);
	assert_int_equal(nb_lan8720_model_stats(r.m)->link_ups, 2);
	rig_down(&r);
}

static void test_lan8720_link_mode_straps(void **state)
{
	static const struct { uint16_t bmcr, anar; } exp[8] = {
		{ 0x0000, 0x01A1 }, { 0x0100, 0x01A1 }, { 0x2000, 0x01A1 }, { 0x2100, 0x01A1 },
		{ 0x3000, 0x0081 }, { 0x3000, 0x0081 }, { 0x3800, 0x01E1 }, { 0x3000, 0x01E1 },
	};

	(void)state;
	for (uint8_t mode = 0; mode < 8; mode++) {
		struct nb_lan8720_model_cfg cfg = { .mode_strap_set = true, .mode_strap = mode,
						    .phy_addr = 1 };
		struct rig r;

		rig_up(&r, &cfg, false);
		assert_int_equal(rig_rd(&r, 0), exp[mode].bmcr);
		assert_int_equal(rig_rd(&r, 4), exp[mode].anar);
		assert_int_equal(rig_rd(&r, 18), 0x6000 | (mode << 5) | 1);
		/* only MODE=110 is reported (at power-on, before the callback was set) */
		assert_int_equal(nb_lan8720_model_stats(r.m)->violations, mode == 6 ? 1 : 0);
		rig_down(&r);
	}
}

static void test_lan8720_link_forced_modes_and_mode000_hazard(void **state)
{
	struct nb_lan8720_model_cfg m000 = { .mode_strap_set = true, .mode_strap = 0 };
	struct nb_lan8720_model_cfg m011 = { .mode_strap_set = true, .mode_strap = 3 };
	struct nb_lan8720_partner forced100 = { .autoneg = false, .ability = 0x0100 };
	struct rig r;
	uint64_t t0;

	(void)state;
	/* MODE=000 (RP2040 pull-downs): forced 10 HD; an AN switch parallel-detects it */
	rig_up(&r, &m000, false);
	t0 = nb_sim_now(r.sim);
	nb_lan8720_model_set_cable(r.m, true);
	nb_sim_advance_to(r.sim, t0 + 330 * MS - 1);
	assert_false(nb_lan8720_model_link_up(r.m));
	nb_sim_advance_to(r.sim, t0 + 330 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	(void)rig_rd(&r, 1);
	assert_int_equal(rig_rd(&r, 1), 0x780D); /* link, no AN complete */
	assert_int_equal(rig_rd(&r, 31), 0x0044); /* HCDSPEED 10 HD, autodone 0 */
	assert_int_equal(nb_lan8720_model_stats(r.m)->duplex_mismatch, 0);
	/* fix like a driver: AN on, restart → 100 FD */
	rig_wr(&r, 4, 0x01E1);
	rig_wr(&r, 0, 0x1200);
	rig_run(&r, 3000 * MS);
	assert_int_equal(rig_rd(&r, 31), 0x1058);
	rig_down(&r);

	/* MODE=011: forced 100 FD. Against an AN switch the switch ends up half duplex. */
	rig_up(&r, &m011, false);
	rig_link_up(&r);
	assert_int_equal(rig_rd(&r, 31), 0x0058);
	assert_int_equal(nb_lan8720_model_stats(r.m)->duplex_mismatch, 1);
	/* against a forced 10 partner: no link */
	nb_lan8720_model_set_cable(r.m, false);
	forced100.ability = 0x0040;
	nb_lan8720_model_set_partner(r.m, &forced100);
	nb_lan8720_model_set_cable(r.m, true);
	rig_run(&r, 2000 * MS);
	assert_false(nb_lan8720_model_link_up(r.m));
	/* switching BMCR to forced 10 FD matches it */
	rig_wr(&r, 0, 0x0100);
	rig_run(&r, 400 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	assert_int_equal(rig_rd(&r, 31), 0x0054);
	rig_down(&r);
}

static void test_lan8720_link_mode110_power_down_hazard(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .mode_strap_set = true, .mode_strap = 6 };
	struct rig r;

	(void)state;
	rig_up(&r, &cfg, true);
	assert_non_null(strstr(nb_lan8720_model_last_violation(r.m), "110"));
	rig_run(&r, 3000 * MS);
	assert_false(nb_lan8720_model_link_up(r.m));
	assert_false(r.peer.carrier); /* nothing on the line */
	/* clearing BMCR.11 does not help */
	rig_wr(&r, 0, 0x3000);
	assert_int_equal(r.violations, 1);
	assert_non_null(strstr(r.last_violation, "MODE=110"));
	rig_run(&r, 3000 * MS);
	assert_false(nb_lan8720_model_link_up(r.m));
	/* the documented way out: another MODE in reg 18, then soft reset */
	rig_wr(&r, 18, 0x60E0);
	rig_wr(&r, 0, 0x8000);
	rig_run(&r, 2 * MS);
	assert_int_equal(rig_rd(&r, 0), 0x3000);
	assert_true(r.peer.carrier);
	rig_run(&r, 1600 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	rig_down(&r);
}

static void test_lan8720_link_nrst_holds_reset_and_relatches_straps(void **state)
{
	struct rig r;
	struct nb_gpio g;

	(void)state;
	rig_up(&r, NULL, true);
	g = nb_lan8720_model_gpio(r.m);
	rig_link_up(&r);
	rig_wr(&r, 30, 0x00F0);
	assert_int_equal(nb_gpio_read(&g, NB_LAN8720_PIN_NRST), 1);
	assert_int_equal(nb_gpio_write(&g, NB_LAN8720_PIN_NRST, false), -EPERM);
	assert_int_equal(nb_gpio_set_dir(&g, NB_LAN8720_PIN_NRST, true, false), 0);
	assert_false(nb_lan8720_model_link_up(r.m));
	assert_false(r.peer.carrier);
	/* in reset: the SMI does not answer */
	assert_int_equal(nb_mdio_read(&r.mdio, 0, 2), 0xFFFF);
	assert_int_equal(nb_lan8720_model_stats(r.m)->mdio_in_reset, 1);
	assert_int_equal(r.violations, 1);
	assert_non_null(strstr(r.last_violation, "nRST"));
	rig_run(&r, 5000 * MS); /* held: nothing happens */
	assert_false(nb_lan8720_model_link_up(r.m));
	/* straps change while in reset; release latches them */
	nb_lan8720_model_set_straps(r.m, 0, 1);
	assert_int_equal(nb_gpio_write(&g, NB_LAN8720_PIN_NRST, true), 0);
	r.addr = 1;
	assert_int_equal(rig_rd(&r, 18), 0x6001);
	assert_int_equal(rig_rd(&r, 0), 0x0000);
	assert_int_equal(rig_rd(&r, 30), 0x0000); /* everything reset */
	assert_int_equal(rig_rd(&r, 17), 0x0002);
	assert_int_equal(nb_lan8720_model_stats(r.m)->hw_resets, 2);
	assert_int_equal(r.violations, 1);
	rig_run(&r, 400 * MS);
	assert_true(nb_lan8720_model_link_up(r.m)); /* forced 10 HD now */
	/* a pulse shorter than t_rstia = 100 us is reported */
	assert_int_equal(nb_gpio_write(&g, NB_LAN8720_PIN_NRST, false), 0);
	rig_run(&r, 50 * US);
	assert_int_equal(nb_gpio_write(&g, NB_LAN8720_PIN_NRST, true), 0);
	assert_int_equal(r.violations, 2);
	assert_non_null(strstr(r.last_violation, "t_rstia"));
	/* releasing the pin (input) lets the pull-up hold the part out of reset */
	assert_int_equal(nb_gpio_set_dir(&g, NB_LAN8720_PIN_NRST, false, false), 0);
	assert_int_equal(nb_gpio_read(&g, NB_LAN8720_PIN_NRST), 1);
	assert_int_equal(nb_gpio_read(&g, 5), -EINVAL);
	rig_down(&r);
}

static void test_lan8720_link_power_down_isolate_keep_registers(void **state)
{
	struct rig r;
	uint64_t t0;

	(void)state;
	rig_up(&r, NULL, true);
	rig_link_up(&r);
	rig_wr(&r, 30, 0x0050);
	rig_wr(&r, 0, 0x3400); /* isolate: the link stays (it concerns the RMII side) */
	assert_true(nb_lan8720_model_link_up(r.m));
	rig_wr(&r, 0, 0x3800); /* power down */
	assert_false(nb_lan8720_model_link_up(r.m));
	assert_false(r.peer.carrier);
	assert_int_equal(rig_rd(&r, 30), 0x0050); /* registers are not reset */
	assert_int_equal(rig_rd(&r, 0), 0x3800);
	rig_run(&r, 3000 * MS);
	assert_false(nb_lan8720_model_link_up(r.m));
	t0 = nb_sim_now(r.sim);
	rig_wr(&r, 0, 0x3000); /* power-up starts AN */
	assert_true(r.peer.carrier);
	nb_sim_advance_to(r.sim, t0 + 1400 * MS);
	assert_false(nb_lan8720_model_link_up(r.m));
	nb_sim_advance_to(r.sim, t0 + 1600 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	rig_down(&r);
}

static void test_lan8720_link_energyon_and_edpd(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r, NULL, true);
	nb_lan8720_model_set_cable(r.m, false);
	rig_run(&r, 300 * MS);
	assert_int_equal(rig_rd(&r, 17), 0x0000);
	(void)rig_rd(&r, 29);
	/* EDPD with no energy: our transmitter stops. A partner that is silent as well (in
	 * EDPD itself) never wakes us: neither side sends anything. */
	rig_wr(&r, 17, 0x2000);
	nb_wire_set_end_up(r.wire, 1, false);
	nb_lan8720_model_set_cable(r.m, true);
	assert_false(r.peer.carrier);
	rig_run(&r, 1000 * MS);
	assert_int_equal(rig_rd(&r, 17), 0x2000);
	assert_false(nb_lan8720_model_link_up(r.m));
	/* energy from the partner wakes us: ENERGYON, INT7, transmitter on, AN */
	nb_wire_set_end_up(r.wire, 1, true);
	assert_int_equal(rig_rd(&r, 17), 0x2002);
	assert_int_equal(rig_rd(&r, 29) & 0x0080, 0x0080);
	assert_true(r.peer.carrier);
	rig_run(&r, 1600 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	/* cable out: link down at once, ENERGYON 256 ms later, then asleep again */
	nb_lan8720_model_set_cable(r.m, false);
	assert_false(nb_lan8720_model_link_up(r.m));
	rig_run(&r, 255 * MS);
	assert_int_equal(rig_rd(&r, 17), 0x2002);
	rig_run(&r, 1 * MS);
	assert_int_equal(rig_rd(&r, 17), 0x2000);
	nb_wire_set_end_up(r.wire, 1, false);
	nb_lan8720_model_set_cable(r.m, true);
	assert_false(r.peer.carrier);
	/* EDPD off: wakes without energy and transmits again */
	rig_wr(&r, 17, 0x0000);
	assert_true(r.peer.carrier);
	nb_wire_set_end_up(r.wire, 1, true);
	rig_run(&r, 1600 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	rig_down(&r);
}

static void test_lan8720_link_ten_base_t_link_fail_delay(void **state)
{
	struct nb_lan8720_partner p = { .autoneg = true, .ability = 0x0041 };
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	nb_lan8720_model_set_partner(r.m, &p);
	rig_link_up(&r);
	nb_lan8720_model_set_cable(r.m, false);
	rig_run(&r, 99 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	rig_run(&r, 1 * MS);
	assert_false(nb_lan8720_model_link_up(r.m));
	/* a blip shorter than the link-fail time keeps the link */
	rig_link_up(&r);
	nb_lan8720_model_set_cable(r.m, false);
	rig_run(&r, 50 * MS);
	nb_lan8720_model_set_cable(r.m, true);
	rig_run(&r, 500 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	assert_int_equal(nb_lan8720_model_stats(r.m)->link_downs, 1);
	rig_down(&r);
}

static void test_lan8720_link_auto_mdix(void **state)
{
	struct nb_lan8720_partner nic = { .autoneg = true, .ability = 0x01E1, .fixed_mdi = true };
	struct nb_lan8720_model_cfg hazard = { .forced_mdix_hazard = true };
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	nb_lan8720_model_set_partner(r.m, &nic);
	rig_wr(&r, 27, 0x800B); /* Auto-MDIX off, MDI: same pair as the NIC over a straight cable */
	nb_lan8720_model_set_cable(r.m, true);
	rig_run(&r, 3000 * MS);
	assert_false(nb_lan8720_model_link_up(r.m));
	assert_int_equal(nb_lan8720_model_peek(r.m, 17) & 0x0002, 0); /* no energy either */
	rig_wr(&r, 27, 0xA00B); /* MDIX */
	rig_run(&r, 1600 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	rig_wr(&r, 27, 0x000B); /* Auto-MDIX finds it too */
	assert_true(nb_lan8720_model_link_up(r.m));
	nic.crossover = true;
	nb_lan8720_model_set_partner(r.m, &nic);
	rig_wr(&r, 27, 0x800B); /* MDI over a crossover cable */
	assert_true(nb_lan8720_model_link_up(r.m));
	rig_down(&r);

	/* configured hazard: AN off with Auto-MDIX on never links */
	rig_up(&r, &hazard, false);
	rig_wr(&r, 0, 0x2100);
	nb_lan8720_model_set_cable(r.m, true);
	rig_run(&r, 3000 * MS);
	assert_false(nb_lan8720_model_link_up(r.m));
	assert_int_equal(r.violations, 1);
	assert_non_null(strstr(r.last_violation, "Auto-MDIX"));
	rig_wr(&r, 27, 0xA00B);
	rig_run(&r, 400 * MS);
	assert_true(nb_lan8720_model_link_up(r.m));
	rig_down(&r);
}

static void test_lan8720_link_xpol_and_wire_speed(void **state)
{
	struct nb_lan8720_partner p = { .autoneg = true, .ability = 0x0021,
					.reversed_polarity = true };
	struct rig r;

	(void)state;
	rig_up(&r, NULL, true);
	nb_lan8720_model_set_partner(r.m, &p);
	rig_link_up(&r);
	assert_int_equal(nb_wire_speed(r.wire), 10);
	assert_int_equal(rig_rd(&r, 27), 0x001B);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lan8720_link_an_resolution_per_partner),
		cmocka_unit_test(test_lan8720_link_parallel_detection),
		cmocka_unit_test(test_lan8720_link_an_timing_in_virtual_time),
		cmocka_unit_test(test_lan8720_link_mode_straps),
		cmocka_unit_test(test_lan8720_link_forced_modes_and_mode000_hazard),
		cmocka_unit_test(test_lan8720_link_mode110_power_down_hazard),
		cmocka_unit_test(test_lan8720_link_nrst_holds_reset_and_relatches_straps),
		cmocka_unit_test(test_lan8720_link_power_down_isolate_keep_registers),
		cmocka_unit_test(test_lan8720_link_energyon_and_edpd),
		cmocka_unit_test(test_lan8720_link_ten_base_t_link_fail_delay),
		cmocka_unit_test(test_lan8720_link_auto_mdix),
		cmocka_unit_test(test_lan8720_link_xpol_and_wire_speed),
	};
	return cmocka_run_group_tests_name("lan8720_link", tests, NULL, NULL);
}
