/* SPDX-License-Identifier: MIT */
/* LAN8720 driver as an nb_netdev: configuration, bring-up (register-level and bit-banged
 * MDIO, nRST, absent PHY), link reporting by nINT and by polling, stop/reopen, and the golden
 * MDIO trace of the bring-up. Against the LAN8720A model. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/lan8720/bench.h"
#include "tests/unit/support/test_support.h"

#define MS NB_NS_PER_MS
#define US NB_NS_PER_US

static void test_lan8720_netdev_init_rejects_bad_config(void **state)
{
	struct bench *b = bench_new(NULL);
	struct nb_lan8720_cfg good;
	struct nb_lan8720 d;

	(void)state;
	assert_non_null(b);
	good = b->cfg;
	assert_int_equal(nb_lan8720_init(NULL, &good), -EINVAL);
	assert_int_equal(nb_lan8720_init(&d, NULL), -EINVAL);
#define REJECT(field_change)                                                                 \
	do {                                                                                 \
		struct nb_lan8720_cfg c = good;                                              \
		field_change;                                                                \
		assert_int_equal(nb_lan8720_init(&d, &c), -EINVAL);                          \
	} while (0)
	REJECT(c.mdio.ops = NULL);
	REJECT(c.rmii.ops = NULL);
	REJECT(c.clock.ops = NULL);
	REJECT(c.mac[0] = 0x01);         /* multicast */
	REJECT(memset(c.mac, 0, 6));     /* zero */
	REJECT(c.phy_addr = 32);
	REJECT(c.no_autoneg = true; c.forced_speed = 1000);
	REJECT(c.advertise = NB_NETDEV_CAP_PROMISC);
	REJECT(c.has_nrst = true; c.gpio.ops = NULL);
	REJECT(c.has_nint = true; c.edpd = true);
	REJECT(c.irq_energyon = true);
	REJECT(c.has_nrst = true; c.has_nint = true; c.nrst_pin = c.nint_pin);
	REJECT(c.name = "a-name-that-is-far-too-long");
#undef REJECT
	bench_free(b);
}

static void test_lan8720_netdev_identity_and_caps(void **state)
{
	struct bench *b = bench_new(NULL);

	(void)state;
	b->cfg.advertise = NB_NETDEV_CAP_100FD | NB_NETDEV_CAP_10FD;
	assert_int_equal(bench_init(b), 0);
	assert_string_equal(b->dev->name, "eth0");
	assert_memory_equal(b->dev->mac, bench_dev_mac, 6);
	assert_int_equal(b->dev->mtu, 1500);
	assert_int_equal(b->dev->max_frame, NB_ETH_MAX_FRAME_VLAN);
	assert_int_equal(b->dev->tx_headroom, 0);
	assert_int_equal(b->dev->caps,
			 NB_NETDEV_CAP_100FD | NB_NETDEV_CAP_10FD | NB_NETDEV_CAP_AUTONEG |
				 NB_NETDEV_CAP_PROMISC | NB_NETDEV_CAP_FCS_CHECKED |
				 NB_NETDEV_CAP_IRQ);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_DOWN);
	/* nothing on the bus before open */
	assert_int_equal(nb_sim_mdio_stats(b->bus)->reads + nb_sim_mdio_stats(b->bus)->writes, 0);
	nb_lan8720_deinit(&b->drv);
	b->dev = NULL;

	b->cfg.advertise = 0;
	b->cfg.no_autoneg = true;
	b->cfg.forced_speed = 10;
	b->cfg.name = "lan1";
	assert_int_equal(bench_init(b), 0);
	assert_string_equal(b->dev->name, "lan1");
	assert_int_equal(b->dev->caps & 0x1F, NB_NETDEV_CAP_10HD);
	bench_free(b);
}

/* Default bring-up: polled link, register-level MDIO. */
static void test_lan8720_netdev_brings_link_up(void **state)
{
	struct bench *b = bench_new(NULL);

	(void)state;
	bench_open(b);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_PHY_RESET);
	assert_true(nb_netdev_flags(b->dev) & NB_NETDEV_F_UP);
	assert_false(nb_netdev_flags(b->dev) & NB_NETDEV_F_RUNNING);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_RUNNING);
	assert_int_equal(nb_lan8720_error(&b->drv), 0);
	assert_int_equal(b->link_calls, 1);
	assert_true(b->links[0].up);
	assert_int_equal(b->links[0].speed_mbps, 100);
	assert_true(b->links[0].full_duplex);
	assert_true(nb_netdev_flags(b->dev) & NB_NETDEV_F_RUNNING);
	/* polled: the link was seen at the first poll after AN (1 s period) */
	assert_true(nb_sim_now(b->sim) <= 2100 * MS);
	assert_int_equal(nb_lan8720_phy(&b->drv)->id, 0x0007C0F1u);
	assert_int_equal(nb_lan8720_stats(&b->drv)->mode_found, 7);
	assert_int_equal(nb_lan8720_stats(&b->drv)->mode_fixups, 0);
	assert_int_equal(b->violations, 0);
	/* the next poll is due one link-poll period later */
	assert_true(nb_netdev_next_deadline(b->dev) <= nb_sim_now(b->sim) + 1000 * MS);
	bench_free(b);
}

static void test_lan8720_netdev_bitbang_mdio_brings_link_up(void **state)
{
	struct bench_opts o = { .bitbang = true };
	struct bench *b = bench_new(&o);

	(void)state;
	b->cfg.has_nint = true;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(b->links[0].speed_mbps, 100);
	assert_int_equal(b->bb.ta_errors, 0);
	assert_int_equal(nb_sim_mdio_stats(b->bus)->bad_frames, 0);
	assert_true(nb_sim_mdio_stats(b->bus)->reads > 5);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

static void absent_open(bool pullup)
{
	struct bench_opts o = { .no_model = true, .no_pullup = !pullup };
	struct bench *b = bench_new(&o);

	assert_int_equal(bench_init(b), 0);
	assert_int_equal(nb_netdev_open(b->dev), -ENODEV);
	assert_false(nb_netdev_flags(b->dev) & NB_NETDEV_F_UP);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_DOWN);
	b->cfg.scan_addr = true;
	nb_lan8720_deinit(&b->drv);
	assert_int_equal(bench_init(b), 0);
	assert_int_equal(nb_netdev_open(b->dev), -ENODEV);
	bench_free(b);
}

static void test_lan8720_netdev_open_fails_without_phy(void **state)
{
	(void)state;
	absent_open(true);
	absent_open(false);
}

static void test_lan8720_netdev_scan_finds_phy(void **state)
{
	struct bench_opts o = { .model = { .phy_addr = 3 } };
	struct bench *b = bench_new(&o);

	(void)state;
	b->cfg.phy_addr = 0;
	assert_int_equal(bench_init(b), 0);
	assert_int_equal(nb_netdev_open(b->dev), -ENODEV);
	b->cfg.scan_addr = true;
	nb_lan8720_deinit(&b->drv);
	bench_open(b);
	assert_int_equal(nb_lan8720_phy(&b->drv)->addr, 3);
	assert_true(bench_run_until_up(b, 3000 * MS));
	bench_free(b);
}

/* With nRST wired the PHY is probed after the reset pulse, so an absent PHY shows up later. */
static void test_lan8720_netdev_absent_phy_after_nrst_is_visible(void **state)
{
	struct bench_opts o = { .no_model = true };
	struct bench *b = bench_new(&o);

	(void)state;
	b->cfg.has_nrst = true;
	bench_open(b); /* cannot know yet */
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_HW_RESET);
	bench_run(b, 50 * MS);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_FAILED);
	assert_int_equal(nb_lan8720_error(&b->drv), -ENODEV);
	assert_int_equal(nb_netdev_next_deadline(b->dev), NB_DEADLINE_NONE);
	assert_false(nb_netdev_flags(b->dev) & NB_NETDEV_F_RUNNING);
	assert_int_equal(b->link_calls, 0);
	/* stop and open again retries (and fails the same way) */
	assert_int_equal(nb_netdev_stop(b->dev), 0);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_DOWN);
	assert_int_equal(nb_netdev_open(b->dev), 0);
	bench_run(b, 50 * MS);
	assert_int_equal(nb_lan8720_error(&b->drv), -ENODEV);
	bench_free(b);
}

static void test_lan8720_netdev_nrst_pulse_and_strap_latch(void **state)
{
	struct bench *b = bench_new(NULL);
	struct nb_gpio g = nb_lan8720_model_gpio(b->m);
	uint64_t hw0 = nb_lan8720_model_stats(b->m)->hw_resets, t0;

	(void)state;
	/* the straps the release will latch: MODE 000 (pads pulled low) */
	nb_lan8720_model_set_straps(b->m, 0, 0);
	b->cfg.has_nrst = true;
	t0 = nb_sim_now(b->sim);
	bench_open(b);
	assert_int_equal(nb_gpio_read(&g, NB_LAN8720_PIN_NRST), 0);
	bench_run(b, 100 * US);
	assert_int_equal(nb_gpio_read(&g, NB_LAN8720_PIN_NRST), 0); /* >= 100 us */
	assert_int_equal(nb_lan8720_model_stats(b->m)->hw_resets, hw0);
	bench_run(b, 60 * US);
	assert_int_equal(nb_gpio_read(&g, NB_LAN8720_PIN_NRST), 1);
	assert_int_equal(nb_lan8720_model_stats(b->m)->hw_resets, hw0 + 1);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_HW_RESET);
	/* no MDIO while in reset */
	assert_int_equal(nb_lan8720_model_stats(b->m)->mdio_in_reset, 0);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_true(nb_sim_now(b->sim) - t0 >= 10 * MS);
	/* the strap latched at the release was found and fixed */
	assert_int_equal(nb_lan8720_stats(&b->drv)->mode_found, 0);
	assert_int_equal(nb_lan8720_stats(&b->drv)->mode_fixups, 1);
	assert_int_equal(b->links[0].speed_mbps, 100);
	assert_true(b->links[0].full_duplex);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

/* nINT wired: no periodic link poll while up; link down and up arrive by interrupt. */
static void test_lan8720_netdev_link_by_nint(void **state)
{
	struct bench *b = bench_new(NULL);
	uint64_t polls;

	(void)state;
	b->cfg.has_nint = true;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	/* AN completes at 1.5 s after the soft reset; the interrupt makes it seen at once */
	assert_true(nb_sim_now(b->sim) < 1600 * MS);
	assert_int_equal(nb_netdev_next_deadline(b->dev), NB_DEADLINE_NONE);
	assert_true(nb_lan8720_stats(&b->drv)->nint_irqs >= 1);
	assert_true(nb_lan8720_stats(&b->drv)->isf_seen & 0x0040);
	assert_int_equal(nb_lan8720_model_peek(b->m, 30), 0x0050);
	/* the interrupt source was read away: flags clear, nINT released */
	assert_int_equal(nb_lan8720_model_peek(b->m, 29), 0);
	assert_false(nb_lan8720_model_nint_asserted(b->m));
	polls = nb_lan8720_phy(&b->drv)->stats.link_polls;
	bench_run(b, 5000 * MS);
	assert_int_equal(nb_lan8720_phy(&b->drv)->stats.link_polls, polls);

	nb_lan8720_model_set_cable(b->m, false);
	assert_true(bench_run_until_down(b, 5 * MS)); /* 100BASE-TX: at once */
	assert_int_equal(b->link_calls, 2);
	assert_true(nb_lan8720_stats(&b->drv)->isf_seen & 0x0010);
	nb_lan8720_model_set_cable(b->m, true);
	assert_true(bench_run_until_up(b, 2000 * MS));
	assert_int_equal(b->link_calls, 3);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

/* A flap the driver did not see happen (nobody polled) is still reported: down, then up. */
static void test_lan8720_netdev_link_flap_gives_callbacks(void **state)
{
	struct bench *b = bench_new(NULL);

	(void)state;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	nb_lan8720_model_set_cable(b->m, false);
	bench_advance(b, 20 * MS);
	nb_lan8720_model_set_cable(b->m, true);
	for (int i = 0; i < 3000 && !nb_lan8720_model_link_up(b->m); i++)
		bench_advance(b, MS);
	assert_true(nb_lan8720_model_link_up(b->m));
	assert_int_equal(b->link_calls, 1);
	bench_run(b, 1000 * MS);
	assert_int_equal(b->link_calls, 3);
	assert_false(b->links[1].up);
	assert_true(b->links[2].up);
	assert_int_equal(nb_netdev_stats(b->dev)->link_changes, 3);
	bench_free(b);
}

static void test_lan8720_netdev_polled_link_down(void **state)
{
	struct bench *b = bench_new(NULL);
	uint64_t t;

	(void)state;
	b->cfg.link_poll_ns = 200 * MS;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	nb_lan8720_model_set_cable(b->m, false);
	t = nb_sim_now(b->sim);
	assert_true(bench_run_until_down(b, 1000 * MS));
	assert_true(nb_sim_now(b->sim) - t <= 201 * MS); /* one period plus the MDIO frames */
	bench_free(b);
}

static void test_lan8720_netdev_stop_powers_down_and_reopens(void **state)
{
	struct bench *b = bench_new(NULL);
	uint8_t frame[100];

	(void)state;
	b->cfg.has_nint = true;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(nb_netdev_stop(b->dev), 0);
	assert_int_equal(b->link_calls, 2);
	assert_false(b->links[1].up);
	assert_false(nb_netdev_flags(b->dev) & NB_NETDEV_F_RUNNING);
	assert_true(nb_lan8720_model_peek(b->m, 0) & 0x0800); /* BMCR power-down */
	assert_int_equal(nb_lan8720_model_peek(b->m, 30), 0); /* IMR off */
	bench_run(b, 100 * MS);
	assert_false(nb_lan8720_model_link_up(b->m));
	assert_false(b->peer.carrier);
	assert_int_equal(nb_netdev_next_deadline(b->dev), NB_DEADLINE_NONE);
	assert_int_equal(nb_netdev_poll(b->dev, 16), 0);
	/* frames sent now are refused by the core */
	nb_test_frame(frame, sizeof(frame), bench_peer_mac, bench_dev_mac, 1);
	assert_int_equal(nb_netdev_send(b->dev, frame, sizeof(frame)), -ENETDOWN);
	/* open again: full bring-up, link back */
	assert_int_equal(nb_netdev_open(b->dev), 0);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(b->link_calls, 3);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

static void test_lan8720_netdev_forced_mode_by_config(void **state)
{
	struct bench *b = bench_new(NULL);
	struct nb_lan8720_partner p = { .autoneg = false, .ability = 0x0040 };

	(void)state;
	nb_lan8720_model_set_partner(b->m, &p);
	b->cfg.no_autoneg = true;
	b->cfg.forced_speed = 10;
	b->cfg.forced_full_duplex = true;
	b->cfg.link_poll_ns = 100 * MS;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(b->links[0].speed_mbps, 10);
	assert_true(b->links[0].full_duplex);
	assert_int_equal(nb_lan8720_model_peek(b->m, 0), 0x0100);
	assert_int_equal(nb_lan8720_model_stats(b->m)->duplex_mismatch, 0);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

/* Golden MDIO trace of the bring-up with nRST and nINT wired, from open() to link up. */
static void test_lan8720_netdev_bringup_golden_trace(void **state)
{
	struct bench *b = bench_new(NULL);
	const char *dir = getenv("NB_GOLDEN_DIR");
	char path[1024];
	FILE *f;

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/bringup.trace", dir);
	b->cfg.has_nrst = true;
	b->cfg.has_nint = true;
	assert_int_equal(bench_init(b), 0);
	bench_trace_start(b);
	assert_int_equal(nb_netdev_open(b->dev), 0);
	assert_true(bench_run_until_up(b, 3000 * MS));
	bench_trace_stop(b);
	assert_non_null(b->trace);
	if (getenv("NB_REGEN_GOLDEN")) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(b->trace, f);
		fclose(f);
		print_message("regenerated %s\n", path);
	} else {
		static char want[65536];
		size_t n;

		f = fopen(path, "r");
		if (!f)
			fail_msg("%s missing: run with NB_REGEN_GOLDEN=1 to create it", path);
		n = fread(want, 1, sizeof(want) - 1, f);
		fclose(f);
		want[n] = '\0';
		if (strcmp(want, b->trace) != 0) {
			fprintf(stderr, "MDIO bring-up trace differs from %s; got:\n%s", path,
				b->trace);
			fail_msg("bring-up trace changed (NB_REGEN_GOLDEN=1 regenerates it)");
		}
	}
	bench_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lan8720_netdev_init_rejects_bad_config),
		cmocka_unit_test(test_lan8720_netdev_identity_and_caps),
		cmocka_unit_test(test_lan8720_netdev_brings_link_up),
		cmocka_unit_test(test_lan8720_netdev_bitbang_mdio_brings_link_up),
		cmocka_unit_test(test_lan8720_netdev_open_fails_without_phy),
		cmocka_unit_test(test_lan8720_netdev_scan_finds_phy),
		cmocka_unit_test(test_lan8720_netdev_absent_phy_after_nrst_is_visible),
		cmocka_unit_test(test_lan8720_netdev_nrst_pulse_and_strap_latch),
		cmocka_unit_test(test_lan8720_netdev_link_by_nint),
		cmocka_unit_test(test_lan8720_netdev_link_flap_gives_callbacks),
		cmocka_unit_test(test_lan8720_netdev_polled_link_down),
		cmocka_unit_test(test_lan8720_netdev_stop_powers_down_and_reopens),
		cmocka_unit_test(test_lan8720_netdev_forced_mode_by_config),
		cmocka_unit_test(test_lan8720_netdev_bringup_golden_trace),
	};

	return cmocka_run_group_tests_name("lan8720_netdev", tests, NULL, NULL);
}
