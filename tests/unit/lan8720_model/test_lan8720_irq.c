/* SPDX-License-Identifier: MIT */
/* LAN8720A model: interrupt flags (reg 29), mask (reg 30), nINT and the GPIO chip. */
#include <errno.h>
#include <string.h>

#include "tests/unit/lan8720_model/rig.h"

struct irq_count {
	unsigned calls;
};

static void on_irq(void *ctx)
{
	((struct irq_count *)ctx)->calls++;
}

static int nint_pin(struct rig *r)
{
	struct nb_gpio g = nb_lan8720_model_gpio(r->m);

	return nb_gpio_read(&g, NB_LAN8720_PIN_NINT);
}

static void test_lan8720_irq_flags_clear_on_read_and_nint_follows_mask(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	rig_wr(&r, 30, 0x0040); /* AN complete only */
	assert_int_equal(nint_pin(&r), 1);
	rig_link_up(&r);
	/* page received, LP acknowledge, AN complete */
	assert_int_equal(nb_lan8720_model_peek(r.m, 29), 0x004A);
	assert_true(nb_lan8720_model_nint_asserted(r.m));
	assert_int_equal(nint_pin(&r), 0);
	assert_int_equal(rig_rd(&r, 29), 0x004A);
	assert_int_equal(rig_rd(&r, 29), 0x0000);
	assert_false(nb_lan8720_model_nint_asserted(r.m));
	assert_int_equal(nint_pin(&r), 1);
	/* masked flags still latch, nINT stays high until the mask opens */
	rig_wr(&r, 30, 0x0000);
	nb_lan8720_model_set_cable(r.m, false);
	assert_int_equal(nb_lan8720_model_peek(r.m, 29) & 0x0010, 0x0010);
	assert_int_equal(nint_pin(&r), 1);
	rig_wr(&r, 30, 0x0010);
	assert_int_equal(nint_pin(&r), 0);
	rig_wr(&r, 30, 0x0000);
	assert_int_equal(nint_pin(&r), 1);
	rig_down(&r);
}

static void test_lan8720_irq_primary_other_clear_events(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	rig_wr(&r, 30, 0x00FE);
	rig_link_up(&r);
	assert_int_equal(nb_lan8720_model_peek(r.m, 29), 0x004A);
	/* reading ANER de-asserts INT1 (and INT2) */
	(void)rig_rd(&r, 6);
	assert_int_equal(nb_lan8720_model_peek(r.m, 29), 0x0048);
	/* link loss: INT4 sets; INT6 and INT3 drop with their sources (1.5 falls, AN restarts
	 * and the partner's page with its ACK is gone) */
	nb_lan8720_model_set_cable(r.m, false);
	assert_int_equal(nb_lan8720_model_peek(r.m, 29), 0x0010);
	assert_int_equal(rig_rd(&r, 5), 0x0001);
	assert_true(nb_lan8720_model_nint_asserted(r.m));
	/* reading BMSR de-asserts INT4 (and INT5) */
	(void)rig_rd(&r, 1);
	assert_int_equal(nb_lan8720_model_peek(r.m, 29), 0x0000);
	assert_false(nb_lan8720_model_nint_asserted(r.m));
	/* the next negotiation raises INT1, INT3 and INT6 again */
	rig_link_up(&r);
	assert_int_equal(rig_rd(&r, 29), 0x004A);
	rig_down(&r);
}

static void test_lan8720_irq_altint_write_one_to_clear(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	rig_wr(&r, 17, 0x0040);
	rig_wr(&r, 30, 0x0050);
	rig_link_up(&r);
	assert_int_equal(rig_rd(&r, 29) & 0x0040, 0x0040);
	assert_int_equal(rig_rd(&r, 29) & 0x0040, 0x0040); /* a read does not clear */
	(void)rig_rd(&r, 1);
	(void)rig_rd(&r, 6);
	assert_int_equal(rig_rd(&r, 29), 0x004A); /* nor do the primary system's events */
	rig_wr(&r, 29, 0x0040); /* source still active: stays */
	assert_int_equal(rig_rd(&r, 29), 0x004A);
	assert_int_equal(nint_pin(&r), 0);
	rig_wr(&r, 29, 0x0002); /* page received was read (6.1 low): clears */
	assert_int_equal(rig_rd(&r, 29), 0x0048);
	/* closing the mask de-asserts nINT, the flag stays */
	rig_wr(&r, 30, 0x0010);
	assert_int_equal(nint_pin(&r), 1);
	assert_int_equal(rig_rd(&r, 29), 0x0048);
	/* link loss: INT4 sets; INT6 stays although AN complete fell */
	nb_lan8720_model_set_cable(r.m, false);
	assert_int_equal(rig_rd(&r, 29), 0x0058);
	assert_int_equal(nint_pin(&r), 0);
	rig_wr(&r, 29, 0x0050); /* 6 clears (1.5 low), 4 stays (link still down) */
	assert_int_equal(rig_rd(&r, 29), 0x0018);
	rig_link_up(&r);
	rig_wr(&r, 29, 0x0010);
	assert_int_equal(rig_rd(&r, 29) & 0x0010, 0);
	rig_down(&r);
}

static void test_lan8720_irq_gpio_edges_and_levels(void **state)
{
	struct rig r;
	struct nb_gpio g;
	struct irq_count c = { 0 };

	(void)state;
	rig_up(&r, NULL, false);
	g = nb_lan8720_model_gpio(r.m);
	assert_int_equal(nb_gpio_set_irq(&g, NB_LAN8720_PIN_NRST, NB_GPIO_IRQ_FALLING, on_irq, &c),
			 -EINVAL);
	assert_int_equal(nb_gpio_set_irq(&g, NB_LAN8720_PIN_NINT, NB_GPIO_IRQ_FALLING, on_irq, &c),
			 0);
	rig_wr(&r, 30, 0x0040);
	rig_link_up(&r);
	assert_int_equal(c.calls, 1);
	(void)rig_rd(&r, 29); /* rising edge: not a falling one */
	assert_int_equal(c.calls, 1);
	assert_int_equal(nb_gpio_set_irq(&g, NB_LAN8720_PIN_NINT, NB_GPIO_IRQ_BOTH, on_irq, &c), 0);
	rig_wr(&r, 30, 0x0050);
	nb_lan8720_model_set_cable(r.m, false); /* INT4 */
	assert_int_equal(c.calls, 2);
	(void)rig_rd(&r, 29);
	assert_int_equal(c.calls, 3);
	rig_link_up(&r); /* INT6 (unmasked) asserts again */
	assert_int_equal(c.calls, 4);
	/* level: fires when enabled while active, and on each new assertion */
	assert_int_equal(nb_gpio_set_irq(&g, NB_LAN8720_PIN_NINT, NB_GPIO_IRQ_NONE, NULL, NULL), 0);
	assert_int_equal(nint_pin(&r), 0);
	assert_int_equal(nb_gpio_set_irq(&g, NB_LAN8720_PIN_NINT, NB_GPIO_IRQ_LEVEL_LOW, on_irq, &c),
			 0);
	assert_int_equal(c.calls, 5);
	(void)rig_rd(&r, 29);
	assert_int_equal(c.calls, 5);
	/* the MCU driving the open-drain line low is seen too */
	assert_int_equal(nb_gpio_write(&g, NB_LAN8720_PIN_NINT, false), -EPERM);
	assert_int_equal(nb_gpio_set_dir(&g, NB_LAN8720_PIN_NINT, true, false), 0);
	assert_int_equal(nint_pin(&r), 0);
	assert_int_equal(c.calls, 6);
	assert_int_equal(nb_gpio_set_dir(&g, NB_LAN8720_PIN_NINT, false, false), 0);
	assert_int_equal(nint_pin(&r), 1);
	rig_down(&r);
}

static void test_lan8720_irq_energyon_flag(void **state)
{
	struct rig r;

	(void)state;
	rig_up(&r, NULL, false);
	rig_wr(&r, 30, 0x0080);
	rig_run(&r, 300 * MS); /* no cable: ENERGYON fell, no flag for a fall */
	assert_int_equal(rig_rd(&r, 29), 0x0000);
	assert_int_equal(nint_pin(&r), 1);
	nb_lan8720_model_set_cable(r.m, true);
	assert_int_equal(nint_pin(&r), 0);
	assert_int_equal(rig_rd(&r, 29), 0x0080);
	assert_int_equal(nint_pin(&r), 1);
	rig_down(&r);
}

static void test_lan8720_irq_resets_release_nint(void **state)
{
	struct rig r;
	struct nb_gpio g;

	(void)state;
	rig_up(&r, NULL, false);
	g = nb_lan8720_model_gpio(r.m);
	rig_wr(&r, 30, 0x0040);
	rig_link_up(&r);
	assert_int_equal(nint_pin(&r), 0);
	/* held in reset the output floats high */
	assert_int_equal(nb_gpio_set_dir(&g, NB_LAN8720_PIN_NRST, true, false), 0);
	assert_int_equal(nint_pin(&r), 1);
	assert_int_equal(nb_gpio_write(&g, NB_LAN8720_PIN_NRST, true), 0);
	assert_int_equal(rig_rd(&r, 29), 0x0000);
	assert_int_equal(rig_rd(&r, 30), 0x0000);
	/* a soft reset clears flags and mask as well */
	rig_wr(&r, 30, 0x0040);
	rig_link_up(&r);
	assert_int_equal(nint_pin(&r), 0);
	rig_wr(&r, 0, 0x8000);
	assert_int_equal(nint_pin(&r), 1);
	assert_int_equal(nb_lan8720_model_peek(r.m, 29), 0x0000);
	rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lan8720_irq_flags_clear_on_read_and_nint_follows_mask),
		cmocka_unit_test(test_lan8720_irq_primary_other_clear_events),
		cmocka_unit_test(test_lan8720_irq_altint_write_one_to_clear),
		cmocka_unit_test(test_lan8720_irq_gpio_edges_and_levels),
		cmocka_unit_test(test_lan8720_irq_energyon_flag),
		cmocka_unit_test(test_lan8720_irq_resets_release_nint),
	};
	return cmocka_run_group_tests_name("lan8720_irq", tests, NULL, NULL);
}
