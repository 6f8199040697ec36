/* SPDX-License-Identifier: MIT */
/*
 * libgpiod backend (hil/gpiod_gpio.c) through the libgpiod emulator: chip lookup, line
 * requests, values to and from model pins, edge events delivered through the event
 * descriptors, and the CYW43439 driver on a Raspberry-Pi-style host (spidev gSPI + gpiod
 * WL_REG_ON / HOST_WAKE with real edge interrupts).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hil/gpiod_gpio.h"
#include "hil/spidev_gspi.h"
#include "tests/unit/hil/gpiod_emu.h"
#include "tests/unit/hil/hil_rig.h"
#include "tests/unit/hil/spidev_emu.h"
#include "tests/unit/support/test_support.h"

/* a chip-side pin the test moves, with the set_irq the emulator needs */
struct far {
	bool level;
	nb_gpio_irq_fn fn;
	void *ctx;
};

static struct far far;

static int far_set_dir(void *ctx, unsigned pin, bool output, bool level)
{
	return output ? -EPERM : 0;
}

static int far_write(void *ctx, unsigned pin, bool level)
{
	return -EPERM;
}

static int far_read(void *ctx, unsigned pin)
{
	return far.level;
}

static int far_set_irq(void *ctx, unsigned pin, enum nb_gpio_irq_mode mode, nb_gpio_irq_fn fn,
		       void *fn_ctx)
{
	far.fn = mode == NB_GPIO_IRQ_NONE ? NULL : fn;
	far.ctx = fn_ctx;
	return 0;
}

static const struct nb_gpio_ops far_ops = {
	.set_dir = far_set_dir, .write = far_write, .read = far_read, .set_irq = far_set_irq,
};

static void far_set(bool level)
{
	far.level = level;
	if (far.fn)
		far.fn(far.ctx);
}

static struct nb_gpiod *gpiod_up(const char *chip)
{
	struct nb_gpiod_cfg c = { .chip = chip };
	struct nb_gpiod *g = NULL;
	char err[256];
	int ret = nb_gpiod_open(&c, &g, err, sizeof(err));

	if (ret)
		fprintf(stderr, "gpiod open: %s\n", err);
	assert_int_equal(ret, 0);
	return g;
}

/* Are any of the backend's descriptors readable right now? */
static bool readable(struct nb_gpiod *g)
{
	int fds[8];
	struct pollfd p[8];
	unsigned n = nb_gpiod_fds(g, fds, 8);

	assert_true(n <= 8);
	for (unsigned i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	return poll(p, n, 0) > 0;
}

static void test_gpiod_gpio_chip_lookup(void **state)
{
	static const char *names[] = { "gpiochip3", "/dev/gpiochip3", "emu-gpio", "3" };
	struct nb_gpiod *g;
	char err[256];

	(void)state;
	for (size_t i = 0; i < NB_ARRAY_SIZE(names); i++) {
		emu_gpiod_reset();
		g = gpiod_up(names[i]);
		assert_int_equal(nb_gpiod_lines(g), EMU_GPIOD_LINES);
		nb_gpiod_close(g);
	}
	emu_gpiod_reset();
	assert_int_equal(nb_gpiod_open(&(struct nb_gpiod_cfg){ .chip = "gpiochip9" }, &g, err,
				       sizeof(err)),
			 -ENODEV);
	assert_non_null(strstr(err, "no GPIO chip 'gpiochip9'"));
	assert_int_equal(nb_gpiod_open(&(struct nb_gpiod_cfg){ 0 }, &g, err, sizeof(err)),
			 -EINVAL);
	emu_gpiod_deny(true);
	assert_int_equal(nb_gpiod_open(&(struct nb_gpiod_cfg){ .chip = "gpiochip3" }, &g, err,
				       sizeof(err)),
			 -EACCES);
}

static void test_gpiod_gpio_lines_follow_model_pins(void **state)
{
	struct nb_sim_cfg sc = { 0 };
	struct nb_sim *sim = nb_sim_new(&sc);
	struct nb_cyw43439_model *m = nb_cyw43439_model_new(sim, NULL);
	struct nb_gpiod *gd;
	struct nb_gpio g;

	(void)state;
	emu_gpiod_reset();
	emu_gpiod_connect(23, nb_cyw43439_model_gpio(m), NB_CYW43439_PIN_WL_REG_ON, true);
	emu_gpiod_connect(24, nb_cyw43439_model_gpio(m), NB_CYW43439_PIN_HOST_WAKE, false);
	emu_gpiod_hold(7, "gpio-keys");
	gd = gpiod_up("gpiochip3");
	g = nb_gpiod_gpio(gd);
	assert_int_equal(nb_gpio_set_dir(&g, 23, true, true), 0);
	assert_true(nb_cyw43439_model_powered(m));
	assert_int_equal(nb_gpio_write(&g, 23, false), 0);
	assert_false(nb_cyw43439_model_powered(m));
	assert_int_equal(nb_gpio_write(&g, 23, true), 0);
	assert_true(nb_cyw43439_model_powered(m));
	assert_int_equal(nb_gpio_read(&g, 23), 1);
	/* HOST_WAKE read without a prior set_dir requests it as an input */
	assert_int_equal(nb_gpio_read(&g, 24), 0);
	assert_int_equal(nb_gpio_write(&g, 24, true), -EPERM);
	/* an input becomes an output and back without a release */
	assert_int_equal(nb_gpio_set_dir(&g, 23, false, false), 0);
	assert_false(nb_cyw43439_model_powered(m));
	assert_int_equal(nb_gpio_set_dir(&g, 23, true, true), 0);
	assert_true(nb_cyw43439_model_powered(m));
	assert_int_equal(emu_gpiod_state()->requests, 2);
	/* errors */
	assert_int_equal(nb_gpio_read(&g, 40), -EINVAL);
	assert_non_null(strstr(nb_gpiod_last_error(gd), "has 32 lines"));
	assert_int_equal(nb_gpio_set_dir(&g, 7, true, false), -EBUSY);
	assert_non_null(strstr(nb_gpiod_last_error(gd), "held by 'gpio-keys'"));
	assert_int_equal(emu_gpiod_state()->protocol_errors, 0);
	nb_gpiod_close(gd);
	/* closing released every line */
	assert_int_equal(emu_gpiod_state()->releases, emu_gpiod_state()->requests);
	nb_cyw43439_model_free(m);
	nb_sim_free(sim);
}

static unsigned fired;

static void on_irq(void *ctx)
{
	(void)ctx;
	fired++;
}

static void test_gpiod_gpio_edge_events(void **state)
{
	struct nb_gpio fg = { .ops = &far_ops };
	struct nb_gpiod *gd;
	struct nb_gpio g;
	int fds[4];

	(void)state;
	memset(&far, 0, sizeof(far));
	fired = 0;
	emu_gpiod_reset();
	emu_gpiod_connect(5, fg, 0, false);
	gd = gpiod_up("gpiochip3");
	g = nb_gpiod_gpio(gd);
	assert_int_equal(nb_gpiod_fds(gd, fds, 4), 1); /* the backend's own only */
	assert_int_equal(nb_gpio_set_irq(&g, 5, NB_GPIO_IRQ_RISING, on_irq, NULL), 0);
	assert_int_equal(nb_gpiod_fds(gd, fds, 4), 2);
	assert_false(readable(gd));
	far_set(true);
	assert_true(readable(gd)); /* the event descriptor wakes the loop */
	assert_int_equal(nb_gpiod_dispatch(gd), 1);
	assert_false(readable(gd));
	far_set(false); /* falling: the kernel does not report it on a rising request */
	assert_false(readable(gd));
	assert_int_equal(nb_gpiod_dispatch(gd), 0);
	/* both edges now: a re-request */
	assert_int_equal(nb_gpio_set_irq(&g, 5, NB_GPIO_IRQ_BOTH, on_irq, NULL), 0);
	far_set(true);
	far_set(false);
	assert_int_equal(nb_gpiod_dispatch(gd), 2);
	/* a level interrupt armed while active fires from the loop, not from set_irq */
	assert_int_equal(nb_gpio_set_irq(&g, 5, NB_GPIO_IRQ_LEVEL_LOW, on_irq, NULL), 0);
	assert_int_equal(fired, 3);
	assert_true(readable(gd));
	assert_int_equal(nb_gpiod_dispatch(gd), 1);
	assert_false(readable(gd));
	/* disarmed: back to a plain input, no descriptor */
	assert_int_equal(nb_gpio_set_irq(&g, 5, NB_GPIO_IRQ_NONE, NULL, NULL), 0);
	assert_int_equal(nb_gpiod_fds(gd, fds, 4), 1);
	far_set(true);
	assert_int_equal(nb_gpiod_dispatch(gd), 0);
	assert_int_equal(nb_gpio_read(&g, 5), 1);
	assert_int_equal(fired, 4);
	assert_int_equal(nb_gpiod_stats(gd)->irqs_fired, 4);
	assert_int_equal(emu_gpiod_state()->protocol_errors, 0);
	nb_gpiod_close(gd);
}

/* ---- a Raspberry Pi host: spidev gSPI, gpiod pins, real edge interrupts ------------------ */

static char dir[64], node[96];

static int svc_work(void *ctx)
{
	struct nb_gpiod *g = ctx;

	return readable(g) ? nb_gpiod_dispatch(g) : 0;
}

static char *run_rpi(bool hil, bool no_irq, uint64_t *irqs)
{
	struct rig_opts o = { .fast = true, .fw_len = 3001, .clm_len = 100,
			      .drv = { .no_irq = no_irq } };
	struct hrig *h = hrig_new(&o);
	struct nb_spidev *s = NULL;
	struct nb_gpiod *gd = NULL;
	struct nb_gpio mg = nb_cyw43439_model_gpio(h->r->m);
	char err[256], *trace;

	if (hil) {
		emu_spidev_reset(node, NULL);
		emu_spidev_connect_gspi(nb_cyw43439_model_gspi(h->r->m));
		emu_gpiod_reset();
		emu_gpiod_connect(23, mg, NB_CYW43439_PIN_WL_REG_ON, true);
		emu_gpiod_connect(24, mg, NB_CYW43439_PIN_HOST_WAKE, false);
		assert_int_equal(nb_spidev_open(&(struct nb_spidev_cfg){ .path = node }, &s, err,
						sizeof(err)),
				 0);
		gd = gpiod_up("gpiochip3");
		hrig_swap(h, nb_spidev_gspi(s), nb_gpiod_gpio(gd), 23, 24);
		h->svc = (struct hrig_svc){ .work = svc_work, .ctx = gd };
	}
	rig_trace_start(h->r);
	hrig_boot_join(h);
	hrig_exchange(h, 3);
	assert_int_equal(h->r->violations, 0);
	assert_int_equal(h->r->poll_errors, 0);
	assert_int_equal(h->svc_errors, 0);
	trace = strdup(h->r->trace);
	*irqs = nb_netdev_stats(rig_dev(h->r))->irqs;
	if (hil) {
		assert_int_equal(emu_gpiod_state()->protocol_errors, 0);
		assert_int_equal(emu_spidev_state()->protocol_errors, 0);
		if (!no_irq) {
			assert_true(nb_gpiod_stats(gd)->irqs_fired > 0);
			assert_true(emu_gpiod_state()->events_read > 0);
		}
		hrig_stop(h);
		nb_gpiod_close(gd);
		nb_spidev_close(s);
		emu_spidev_remove();
	}
	hrig_free(h);
	return trace;
}

static void test_gpiod_gpio_rpi_host_polled_same_transactions(void **state)
{
	uint64_t irqs;
	char *direct = run_rpi(false, true, &irqs);
	char *rpi = run_rpi(true, true, &irqs);

	(void)state;
	assert_true(strlen(direct) > 1000);
	assert_string_equal(direct, rpi);
	free(direct);
	free(rpi);
}

static void test_gpiod_gpio_rpi_host_edge_interrupts(void **state)
{
	uint64_t irqs = 0;
	char *rpi = run_rpi(true, false, &irqs);

	(void)state;
	/* joined and exchanged frames with HOST_WAKE delivered as gpiod edge events */
	assert_true(irqs > 0);
	free(rpi);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nb-gpiod-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(node, sizeof(node), "%s/spidev0.0", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	emu_spidev_remove();
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gpiod_gpio_chip_lookup),
		cmocka_unit_test(test_gpiod_gpio_lines_follow_model_pins),
		cmocka_unit_test(test_gpiod_gpio_edge_events),
		cmocka_unit_test(test_gpiod_gpio_rpi_host_polled_same_transactions),
		cmocka_unit_test(test_gpiod_gpio_rpi_host_edge_interrupts),
	};

	return cmocka_run_group_tests_name("hil_gpiod_gpio", tests, setup, teardown);
}
