/* SPDX-License-Identifier: MIT */
/* LAN8720 vendor layer (drivers/lan8720/lan8720_phy.c) against the LAN8720A model: MODE strap
 * fix-up, interrupt source/mask, ENERGYON quirk, HCDSPEED, Auto-MDIX control, EDPD. */
#include <errno.h>
#include <string.h>

#include "tests/unit/lan8720/bench.h"
#include "tests/unit/support/test_support.h"

#define MS NB_NS_PER_MS

static void mode_fixup(uint8_t mode)
{
	struct bench_opts o = { .model = { .mode_strap_set = true, .mode_strap = mode } };
	struct bench *b = bench_new(&o);

	assert_non_null(b);
	/* the strap took effect at the model's power-on */
	assert_int_equal((nb_lan8720_model_peek(b->m, 18) >> 5) & 7, mode);
	bench_open(b);
	assert_true(bench_run_until_up(b, 4000 * MS));
	assert_int_equal(nb_lan8720_stats(&b->drv)->mode_found, mode);
	assert_int_equal(nb_lan8720_stats(&b->drv)->mode_fixups, 1);
	assert_int_equal(nb_lan8720_model_peek(b->m, 18) & 0x00FF, 0x00E0);
	assert_int_equal(b->links[0].speed_mbps, 100);
	assert_true(b->links[0].full_duplex);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

static void test_lan8720_vendor_mode_strap_fixup(void **state)
{
	(void)state;
	mode_fixup(0); /* 10BASE-T half duplex, AN off: what RP2040 pull-downs give */
	mode_fixup(3); /* 100BASE-TX full duplex, AN off */
	mode_fixup(4); /* 100BASE-TX half duplex advertised only */
	mode_fixup(6); /* power-down */
}

static void test_lan8720_vendor_interrupt_source_clear_on_read(void **state)
{
	struct bench *b = bench_new(NULL);
	struct nb_mdio_bus mdio;
	uint32_t reads;

	(void)state;
	b->cfg.has_nint = true;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(nb_lan8720_model_peek(b->m, 29), 0);
	assert_false(nb_lan8720_model_nint_asserted(b->m));
	reads = nb_lan8720_stats(&b->drv)->isf_reads;
	assert_true(reads >= 2); /* stale flags at set-up, then the AN-complete interrupt */

	/* An event nobody has looked at yet: INT4 latched, nINT low. */
	nb_lan8720_model_set_cable(b->m, false);
	assert_int_equal(nb_lan8720_model_peek(b->m, 29) & 0x0010, 0x0010);
	assert_true(nb_lan8720_model_nint_asserted(b->m));
	assert_true(nb_netdev_work_pending(b->dev));
	bench_poll_all(b);
	assert_false(b->dev->link.up);
	assert_int_equal(nb_lan8720_stats(&b->drv)->isf_reads, reads + 1);
	assert_int_equal(nb_lan8720_model_peek(b->m, 29), 0);
	assert_false(nb_lan8720_model_nint_asserted(b->m));

	/* The register itself: a read returns the flags and clears them. */
	nb_lan8720_model_set_cable(b->m, true);
	bench_advance(b, 2000 * MS);
	mdio = nb_sim_mdio_bus(b->bus);
	assert_int_equal(nb_mdio_read(&mdio, 0, 29) & 0x0040, 0x0040);
	assert_int_equal(nb_mdio_read(&mdio, 0, 29), 0);
	assert_false(nb_lan8720_model_nint_asserted(b->m));
	bench_free(b);
}

/* INT7 unmasked on request; masked while ENERGYON is up, unmasked after it fell. */
static void test_lan8720_vendor_energyon_irq_quirk(void **state)
{
	struct bench *b = bench_new(NULL);

	(void)state;
	nb_lan8720_model_set_cable(b->m, false);
	b->cfg.has_nint = true;
	b->cfg.irq_energyon = true;
	bench_open(b);
	bench_run(b, 500 * MS);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_NOLINK);
	assert_int_equal(nb_lan8720_model_peek(b->m, 30), 0x00D0);
	nb_lan8720_model_set_cable(b->m, true);
	bench_run(b, 50 * MS);
	assert_int_equal(nb_lan8720_stats(&b->drv)->energyon_events, 1);
	assert_int_equal(nb_lan8720_model_peek(b->m, 30), 0x0050);
	assert_true(bench_run_until_up(b, 3000 * MS));
	nb_lan8720_model_set_cable(b->m, false);
	assert_true(bench_run_until_down(b, 10 * MS));
	assert_int_equal(nb_lan8720_model_peek(b->m, 30), 0x0050); /* ENERGYON still 1 */
	bench_run(b, 500 * MS);
	assert_int_equal(nb_lan8720_model_peek(b->m, 17) & 0x0002, 0);
	assert_int_equal(nb_lan8720_model_peek(b->m, 30), 0x00D0);
	assert_false(nb_lan8720_model_nint_asserted(b->m));
	/* and it works again at the next plug-in */
	nb_lan8720_model_set_cable(b->m, true);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(nb_lan8720_stats(&b->drv)->energyon_events, 2);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

static void test_lan8720_vendor_speed_from_hcdspeed(void **state)
{
	static const struct {
		struct nb_lan8720_partner p;
		uint16_t speed;
		bool fd;
	} cases[] = {
		{ { .autoneg = true, .ability = 0x05E1 }, 100, true },
		{ { .autoneg = true, .ability = 0x0081 }, 100, false },
		{ { .autoneg = true, .ability = 0x0041 }, 10, true },
		{ { .autoneg = true, .ability = 0x0021 }, 10, false },
		{ { .autoneg = false, .ability = 0x0100 }, 100, false },
		{ { .autoneg = false, .ability = 0x0040 }, 10, false },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bench *b = bench_new(NULL);
		uint16_t hcd;

		nb_lan8720_model_set_partner(b->m, &cases[i].p);
		b->cfg.has_nint = true;
		bench_open(b);
		assert_true(bench_run_until_up(b, 3000 * MS));
		assert_int_equal(b->links[0].speed_mbps, cases[i].speed);
		assert_int_equal(b->links[0].full_duplex, cases[i].fd);
		hcd = (nb_lan8720_model_peek(b->m, 31) >> 2) & 7;
		assert_int_equal(hcd, (cases[i].fd ? 4 : 0) | (cases[i].speed == 100 ? 2 : 1));
		assert_int_equal(nb_lan8720_stats(&b->drv)->speed_mismatch, 0);
		assert_int_equal(nb_lan8720_stats(&b->drv)->hcd_unknown, 0);
		assert_int_equal(nb_lan8720_phy(&b->drv)->status.parallel_detect,
				 !cases[i].p.autoneg);
		bench_free(b);
	}
}

static uint16_t mdix_reg(enum nb_lan8720_mdix mdix, bool no_autoneg)
{
	struct bench *b = bench_new(NULL);
	uint16_t v;

	b->cfg.mdix = mdix;
	b->cfg.no_autoneg = no_autoneg;
	b->cfg.forced_speed = 100;
	b->cfg.forced_full_duplex = true;
	bench_open(b);
	bench_run(b, 20 * MS);
	v = nb_lan8720_model_peek(b->m, 27);
	bench_free(b);
	return v;
}

static void test_lan8720_vendor_mdix_control(void **state)
{
	(void)state;
	assert_int_equal(mdix_reg(NB_LAN8720_MDIX_AUTO, false), 0x000B);
	assert_int_equal(mdix_reg(NB_LAN8720_MDIX_MDI, false), 0x800B);
	assert_int_equal(mdix_reg(NB_LAN8720_MDIX_MDIX, false), 0xA00B);
	/* AN off: Auto-MDIX would keep swapping, MDI is forced */
	assert_int_equal(mdix_reg(NB_LAN8720_MDIX_AUTO, true), 0x800B);
	assert_int_equal(mdix_reg(NB_LAN8720_MDIX_MDIX, true), 0xA00B);
}

/* A model that shows the LAN87xx hazard links only because the driver forces MDI. */
static void test_lan8720_vendor_forced_mode_links_despite_mdix_hazard(void **state)
{
	struct bench_opts o = { .model = { .forced_mdix_hazard = true } };
	struct bench *b = bench_new(&o);
	struct nb_lan8720_partner p = { .autoneg = false, .ability = 0x0100 };

	(void)state;
	nb_lan8720_model_set_partner(b->m, &p);
	b->cfg.no_autoneg = true;
	b->cfg.forced_speed = 100;
	b->cfg.forced_full_duplex = true;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(b->links[0].speed_mbps, 100);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

/* A partner without Auto-MDIX on a straight cable needs us on MDIX. */
static void test_lan8720_vendor_fixed_pairs_follow_config(void **state)
{
	struct nb_lan8720_partner p = { .autoneg = true, .ability = 0x01E1, .fixed_mdi = true };
	struct bench *b = bench_new(NULL);

	(void)state;
	nb_lan8720_model_set_partner(b->m, &p);
	b->cfg.mdix = NB_LAN8720_MDIX_MDI;
	bench_open(b);
	assert_false(bench_run_until_up(b, 4000 * MS));
	bench_free(b);

	b = bench_new(NULL);
	nb_lan8720_model_set_partner(b->m, &p);
	b->cfg.mdix = NB_LAN8720_MDIX_MDIX;
	bench_open(b);
	assert_true(bench_run_until_up(b, 4000 * MS));
	bench_free(b);
}

static void test_lan8720_vendor_edpd_with_energy_look(void **state)
{
	struct bench *b = bench_new(NULL);
	uint32_t wakes;

	(void)state;
	nb_lan8720_model_set_cable(b->m, false);
	b->cfg.edpd = true;
	bench_open(b);
	bench_run(b, 20 * MS);
	assert_int_equal(nb_lan8720_model_peek(b->m, 17) & 0x2000, 0x2000);
	/* link down: EDPD goes off for up to 640 ms once per link-poll period */
	bench_run(b, 1000 * MS);
	assert_int_equal(nb_lan8720_stats(&b->drv)->edpd_wakes, 1);
	assert_int_equal(nb_lan8720_model_peek(b->m, 17) & 0x2000, 0);
	bench_run(b, 700 * MS);
	assert_int_equal(nb_lan8720_model_peek(b->m, 17) & 0x2000, 0x2000);
	wakes = nb_lan8720_stats(&b->drv)->edpd_wakes;
	nb_lan8720_model_set_cable(b->m, true);
	assert_true(bench_run_until_up(b, 5000 * MS));
	assert_int_equal(nb_lan8720_model_peek(b->m, 17) & 0x2000, 0x2000);
	/* link up: no more looking */
	wakes = nb_lan8720_stats(&b->drv)->edpd_wakes;
	bench_run(b, 3000 * MS);
	assert_int_equal(nb_lan8720_stats(&b->drv)->edpd_wakes, wakes);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lan8720_vendor_mode_strap_fixup),
		cmocka_unit_test(test_lan8720_vendor_interrupt_source_clear_on_read),
		cmocka_unit_test(test_lan8720_vendor_energyon_irq_quirk),
		cmocka_unit_test(test_lan8720_vendor_speed_from_hcdspeed),
		cmocka_unit_test(test_lan8720_vendor_mdix_control),
		cmocka_unit_test(test_lan8720_vendor_forced_mode_links_despite_mdix_hazard),
		cmocka_unit_test(test_lan8720_vendor_fixed_pairs_follow_config),
		cmocka_unit_test(test_lan8720_vendor_edpd_with_energy_look),
	};

	return cmocka_run_group_tests_name("lan8720_vendor", tests, NULL, NULL);
}
