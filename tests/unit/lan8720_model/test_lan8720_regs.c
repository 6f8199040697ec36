/* SPDX-License-Identifier: MIT */
/* LAN8720A model: register file, resets, latches, straps/address, strict mode. */
#include <errno.h>
#include <string.h>

#include "tests/unit/lan8720_model/rig.h"

static void test_lan8720_regs_reset_image(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .phy_addr = 1 };
	struct rig r;
	/* reference §8: MODE=111, PHYAD=1, no cable, right after reset */
	static const struct { uint8_t reg; uint16_t val; } img[] = {
		{ 0, 0x3000 }, { 1, 0x7809 }, { 2, 0x0007 }, { 3, 0xC0F1 }, { 4, 0x01E1 },
		{ 5, 0x0001 }, { 6, 0x0000 }, { 17, 0x0002 }, { 18, 0x60E1 }, { 26, 0x0000 },
		{ 27, 0x000B }, { 29, 0x0000 }, { 30, 0x0000 }, { 31, 0x0040 },
	};

	(void)state;
	rig_up(&r, &cfg, false);
	for (size_t i = 0; i < NB_ARRAY_SIZE(img); i++) {
		assert_int_equal(rig_rd(&r, img[i].reg), img[i].val);
		assert_int_equal(nb_lan8720_model_peek(r.m, img[i].reg), img[i].val);
	}
	for (uint8_t reg = 7; reg <= 16; reg++)
		assert_int_equal(rig_rd(&r, reg), 0xFFFF);
	for (uint8_t reg = 19; reg <= 25; reg++)
		assert_int_equal(rig_rd(&r, reg), 0xFFFF);
	assert_int_equal(rig_rd(&r, 28), 0xFFFF);
	/* ENERGYON falls 256 ms after reset without energy */
	rig_run(&r, 255 * MS);
	assert_int_equal(rig_rd(&r, 17), 0x0002);
	rig_run(&r, 1 * MS);
	assert_int_equal(rig_rd(&r, 17), 0x0000);
	assert_int_equal(r.violations, 0);
	assert_int_equal(nb_lan8720_model_stats(r.m)->violations, 0);
	rig_down(&r);
}

static void test_lan8720_regs_id_revision_and_vendor_range_option(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .revision = 5, .vendor_regs_zero = true };
	struct nb_lan8720_model_cfg bad = { .soft_reset_ns = 600 * MS };
	struct nb_sim_cfg sc = { 0 };
	struct nb_sim *sim = nb_sim_new(&sc);
	struct rig r;

	(void)state;
	rig_up(&r, &cfg, false);
	assert_int_equal(rig_rd(&r, 3), 0xC0F5);
	assert_int_equal(rig_rd(&r, 9), 0xFFFF); /* 7..15 always 0xFFFF */
	assert_int_equal(rig_rd(&r, 16), 0x0000);
	assert_int_equal(rig_rd(&r, 21), 0x0000);
	assert_int_equal(rig_rd(&r, 28), 0x0000);
	rig_down(&r);
	/* bad configs are refused, with a reason */
	assert_null(nb_lan8720_model_new(sim, &bad));
	assert_non_null(strstr(nb_lan8720_model_cfg_check(&bad), "soft_reset_ns"));
	bad = (struct nb_lan8720_model_cfg){ .mode_strap_set = true, .mode_strap = 8 };
	assert_non_null(strstr(nb_lan8720_model_cfg_check(&bad), "mode_strap"));
	bad = (struct nb_lan8720_model_cfg){ .phy_addr = 32 };
	assert_null(nb_lan8720_model_new(sim, &bad));
	assert_null(nb_lan8720_model_cfg_check(NULL));
	nb_sim_free(sim);
}

static void test_lan8720_regs_read_only_bits_ignore_writes(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .lax = true };
	struct rig r;
	static const uint8_t ro[] = { 1, 2, 3, 5, 6, 26 };

	(void)state;
	rig_up(&r, &cfg, false);
	for (size_t i = 0; i < NB_ARRAY_SIZE(ro); i++) {
		uint16_t before = nb_lan8720_model_peek(r.m, ro[i]);

		rig_wr(&r, ro[i], (uint16_t)~before);
		assert_int_equal(rig_rd(&r, ro[i]), before);
	}
	rig_wr(&r, 4, 0xFFFF);
	assert_int_equal(rig_rd(&r, 4), 0x2DFF); /* NP, ACK, 12, T4 stay 0 */
	rig_wr(&r, 4, 0x0000);
	assert_int_equal(rig_rd(&r, 4), 0x0000);
	rig_wr(&r, 27, 0xFFFF);
	assert_int_equal(rig_rd(&r, 27), 0xA80B); /* 15, 13, 11; 3:0 stay 1011b; XPOL RO */
	rig_wr(&r, 30, 0xFFFF);
	assert_int_equal(rig_rd(&r, 30), 0x00FE);
	rig_wr(&r, 31, 0xFFFF);
	assert_int_equal(rig_rd(&r, 31), 0x0FE0);
	rig_wr(&r, 18, 0x0000);
	assert_int_equal(rig_rd(&r, 18), 0x6000); /* upper bits keep 0x60 */
	rig_wr(&r, 17, 0xDDBC);                  /* only reserved bits */
	assert_int_equal(rig_rd(&r, 17) & ~0x0002, 0x0000);
	rig_wr(&r, 29, 0x00FE); /* primary system: reg 29 is read-only */
	assert_int_equal(rig_rd(&r, 29), 0x0000);
	/* BMCR 7:0 reserved, bit 9 self-clearing */
	rig_wr(&r, 0, 0x12FF);
	assert_int_equal(rig_rd(&r, 0), 0x1000);
	rig_down(&r);
}

static void test_lan8720_regs_soft_reset_self_clears_keeps_nasr(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .soft_reset_ns = 5 * MS };
	struct rig r;
	uint64_t t0, t1;

	(void)state;
	rig_up(&r, &cfg, false);
	rig_wr(&r, 4, 0x0061);
	rig_wr(&r, 30, 0x00F0);
	rig_wr(&r, 27, 0xA80B);
	rig_wr(&r, 17, 0x0040);
	rig_wr(&r, 31, 0x0040);
	rig_wr(&r, 0, 0x0100); /* forced 10 FD */
	rig_wr(&r, 18, 0x60E5); /* move to PHYAD 5 at once */
	r.addr = 5;
	assert_int_equal(rig_rd(&r, 4), 0x0061);
	t0 = nb_sim_now(r.sim);
	rig_wr(&r, 0, 0x8000);
	t1 = nb_sim_now(r.sim); /* the reset started between t0 and t1 (end of the frame) */
	assert_int_equal(rig_rd(&r, 0), 0xB000); /* reads 1 until done; defaults already */
	assert_int_equal(r.violations, 0);
	/* a write meanwhile is lost and reported */
	rig_wr(&r, 4, 0x0021);
	assert_int_equal(r.violations, 1);
	assert_non_null(strstr(r.last_violation, "soft reset"));
	nb_sim_advance_to(r.sim, t0 + 5 * MS - 1);
	assert_true(nb_lan8720_model_peek(r.m, 0) & 0x8000);
	nb_sim_advance_to(r.sim, t1 + 5 * MS);
	assert_int_equal(rig_rd(&r, 0), 0x3000);
	assert_int_equal(rig_rd(&r, 4), 0x01E1);
	assert_int_equal(rig_rd(&r, 30), 0x0000);
	assert_int_equal(rig_rd(&r, 17), 0x0002); /* ALTINT reset, ENERGYON untouched */
	assert_int_equal(rig_rd(&r, 27), 0xA80B); /* NASR */
	assert_int_equal(rig_rd(&r, 18), 0x60E5); /* NASR: still at PHYAD 5 */
	assert_int_equal(nb_lan8720_model_stats(r.m)->soft_resets, 1);
	rig_down(&r);
}

static void test_lan8720_regs_soft_reset_uses_reg18_mode(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	rig_wr(&r, 18, 0x6000); /* MODE=000: acts at the next soft reset only */
	assert_int_equal(rig_rd(&r, 0), 0x3000);
	rig_wr(&r, 0, 0x8000);
	rig_run(&r, 2 * MS);
	assert_int_equal(rig_rd(&r, 0), 0x0000);
	assert_int_equal(rig_rd(&r, 4), 0x01A1);
	assert_int_equal(rig_rd(&r, 31), 0x0044); /* forced 10 HD shows in HCDSPEED */
	rig_wr(&r, 18, 0x6080); /* MODE=100 */
	rig_wr(&r, 0, 0x8000);
	rig_run(&r, 2 * MS);
	assert_int_equal(rig_rd(&r, 0), 0x3000);
	assert_int_equal(rig_rd(&r, 4), 0x0081);
	rig_down(&r);
}

static void test_lan8720_regs_soft_reset_with_other_bits_reported(void **state)
{
	struct nb_lan8720_model_cfg lax = { .lax = true };
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	rig_wr(&r, 4, 0x0061);
	rig_run(&r, 3 * MS);
	rig_wr(&r, 0, 0xB000); /* read-modify-write style: forbidden by the datasheet */
	assert_int_equal(r.violations, 1);
	assert_non_null(strstr(r.last_violation, "BMCR"));
	assert_non_null(strstr(r.last_violation, "0xB000"));
	assert_non_null(strstr(r.last_violation, "3.0"));  /* time, in ms */
	assert_true(r.last_violation_t >= 3 * MS);
	rig_run(&r, 2 * MS);
	assert_int_equal(rig_rd(&r, 4), 0x01E1); /* the reset still happened */
	assert_string_equal(nb_lan8720_model_last_violation(r.m), r.last_violation);
	rig_down(&r);

	rig_up(&r, &lax, false);
	rig_wr(&r, 0, 0xB000);
	rig_wr(&r, 10, 0x1234);
	rig_wr(&r, 31, 0x0000);
	assert_int_equal(r.violations, 0);
	assert_int_equal(nb_lan8720_model_stats(r.m)->violations, 0);
	assert_string_equal(nb_lan8720_model_last_violation(r.m), "");
	assert_int_equal(nb_lan8720_model_stats(r.m)->soft_resets, 1);
	rig_down(&r);
}

static void test_lan8720_regs_strict_reports_name_register_and_value(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	rig_wr(&r, 9, 0x1234);
	assert_int_equal(r.violations, 1);
	assert_non_null(strstr(r.last_violation, "reg 9"));
	assert_non_null(strstr(r.last_violation, "0x1234"));
	assert_int_equal(rig_rd(&r, 9), 0xFFFF);
	rig_wr(&r, 31, 0x0000); /* bits 11:5 must be 0000010b */
	assert_int_equal(r.violations, 2);
	assert_non_null(strstr(r.last_violation, "PSCSR"));
	rig_wr(&r, 31, 0x0040); /* the required value is fine */
	rig_wr(&r, 18, 0x00E0); /* reserved upper bits changed */
	assert_int_equal(r.violations, 3);
	assert_non_null(strstr(r.last_violation, "SMR"));
	rig_wr(&r, 0, 0x3080); /* collision test bit: reserved on the LAN8720A */
	assert_int_equal(r.violations, 4);
	rig_wr(&r, 4, 0x81E1); /* next page: not supported */
	assert_int_equal(r.violations, 5);
	assert_int_equal(rig_rd(&r, 4), 0x01E1);
	rig_wr(&r, 27, 0x0000); /* bits 3:0 must be written back as read (1011b) */
	assert_int_equal(r.violations, 6);
	assert_int_equal(nb_lan8720_model_stats(r.m)->violations, 6);
	rig_down(&r);
}

static void test_lan8720_regs_latched_low_link_shows_flap_once(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	/* latched low since reset: the first read after link-up still says 0 */
	rig_link_up(&r);
	assert_int_equal(rig_rd(&r, 1), 0x7829);
	assert_int_equal(rig_rd(&r, 1), 0x782D);
	/* unplug and replug between two reads, long enough for the link to return */
	nb_lan8720_model_set_cable(r.m, false);
	assert_false(nb_lan8720_model_link_up(r.m));
	rig_run(&r, 1 * MS);
	rig_link_up(&r);
	/* peek has no read side effects */
	assert_int_equal(nb_lan8720_model_peek(r.m, 1), 0x7829);
	assert_int_equal(nb_lan8720_model_peek(r.m, 1), 0x7829);
	assert_int_equal(rig_rd(&r, 1), 0x7829);
	assert_int_equal(rig_rd(&r, 1), 0x782D);
	assert_int_equal(nb_lan8720_model_peek(r.m, 1), 0x782D);
	assert_int_equal(nb_lan8720_model_stats(r.m)->link_downs, 1);
	assert_int_equal(nb_lan8720_model_stats(r.m)->link_ups, 2);
	rig_down(&r);
}

static void test_lan8720_regs_latched_high_faults(void **state)
{
	struct nb_lan8720_partner rf = { .autoneg = true, .ability = 0x25E1 };
	struct nb_lan8720_partner pdf = { .autoneg = false, .ability = 0x01E0 };
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	/* jabber: once, then clear */
	nb_lan8720_model_inject_jabber(r.m);
	assert_int_equal(nb_lan8720_model_peek(r.m, 1) & 0x0002, 0x0002);
	assert_int_equal(rig_rd(&r, 1) & 0x0002, 0x0002);
	assert_int_equal(rig_rd(&r, 1) & 0x0002, 0);
	/* remote fault from the partner's page: stays latched after the partner is gone */
	nb_lan8720_model_set_partner(r.m, &rf);
	rig_link_up(&r);
	assert_int_equal(nb_lan8720_model_peek(r.m, 1) & 0x0010, 0x0010);
	nb_lan8720_model_set_cable(r.m, false);
	assert_int_equal(rig_rd(&r, 1) & 0x0010, 0x0010);
	assert_int_equal(rig_rd(&r, 1) & 0x0010, 0);
	/* page received latches in ANER.1 */
	nb_lan8720_model_set_partner(r.m, NULL);
	rig_link_up(&r);
	assert_int_equal(rig_rd(&r, 6), 0x0003);
	assert_int_equal(rig_rd(&r, 6), 0x0001);
	/* parallel detection fault: a forced partner showing both 10 and 100 */
	nb_lan8720_model_set_partner(r.m, &pdf);
	nb_lan8720_model_set_cable(r.m, false);
	nb_lan8720_model_set_cable(r.m, true);
	rig_run(&r, 2000 * MS);
	assert_false(nb_lan8720_model_link_up(r.m));
	assert_int_equal(rig_rd(&r, 6), 0x0010);
	assert_int_equal(rig_rd(&r, 6), 0x0000);
	rig_down(&r);
}

static void test_lan8720_regs_phy_address_strap_and_reg18(void **state)
{
	struct nb_lan8720_model_cfg cfg = { .phy_addr = 1 };
	struct nb_lan8720_model_cfg bcast = { .phy_addr = 1, .addr0_broadcast = true };
	struct rig r;

	(void)state;
	rig_up(&r, &cfg, false);
	assert_int_equal(nb_mdio_read(&r.mdio, 1, 2), 0x0007);
	assert_int_equal(nb_mdio_read(&r.mdio, 0, 2), 0xFFFF);
	assert_int_equal(nb_mdio_write(&r.mdio, 1, 18, 0x60E0 | 23), 0);
	assert_int_equal(nb_mdio_read(&r.mdio, 23, 2), 0x0007);
	assert_int_equal(nb_mdio_read(&r.mdio, 1, 2), 0xFFFF);
	assert_int_equal(nb_mdio_read(&r.mdio, 23, 18), 0x60F7);
	assert_int_equal(nb_sim_mdio_stats(r.bus)->unanswered, 2);
	rig_down(&r);

	rig_up(&r, &bcast, false);
	assert_int_equal(nb_mdio_read(&r.mdio, 0, 2), 0x0007);
	assert_int_equal(nb_mdio_read(&r.mdio, 1, 3), 0xC0F1);
	assert_int_equal(nb_mdio_read(&r.mdio, 2, 3), 0xFFFF);
	rig_down(&r);
}

static void test_lan8720_regs_symbol_error_counter(void **state)
{
	struct rig r;
	uint8_t f[64];

	(void)state;
	rig_up(&r, NULL, false);
	rig_link_up(&r);
	rig_frame(f, sizeof(f), 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(nb_lan8720_model_inject_rx(r.m, f, sizeof(f), NB_WIRE_F_SYMBOL_ERR), 0);
	assert_int_equal(nb_lan8720_model_inject_rx(r.m, f, sizeof(f), 0), 0);
	assert_int_equal(rig_rd(&r, 26), 3);
	assert_int_equal(rig_rd(&r, 26), 3); /* a read does not clear it */
	assert_int_equal(nb_lan8720_model_stats(r.m)->rx_symbol_errors, 3);
	rig_wr(&r, 0, 0x8000);
	rig_run(&r, 2 * MS);
	assert_int_equal(rig_rd(&r, 26), 0); /* a soft reset does */
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lan8720_regs_reset_image),
		cmocka_unit_test(test_lan8720_regs_id_revision_and_vendor_range_option),
		cmocka_unit_test(test_lan8720_regs_read_only_bits_ignore_writes),
		cmocka_unit_test(test_lan8720_regs_soft_reset_self_clears_keeps_nasr),
		cmocka_unit_test(test_lan8720_regs_soft_reset_uses_reg18_mode),
		cmocka_unit_test(test_lan8720_regs_soft_reset_with_other_bits_reported),
		cmocka_unit_test(test_lan8720_regs_strict_reports_name_register_and_value),
		cmocka_unit_test(test_lan8720_regs_latched_low_link_shows_flap_once),
		cmocka_unit_test(test_lan8720_regs_latched_high_faults),
		cmocka_unit_test(test_lan8720_regs_phy_address_strap_and_reg18),
		cmocka_unit_test(test_lan8720_regs_symbol_error_counter),
	};
	return cmocka_run_group_tests_name("lan8720_regs", tests, NULL, NULL);
}
