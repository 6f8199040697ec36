/* SPDX-License-Identifier: MIT */
/*
 * FTDI pins as GPIO (hil/ftdi_gpio.c): direction, level, pins reserved by a clocked function,
 * and the polled interrupt detector. The far side of each pin is a test pin (an ops table).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ftdi.h>

#include "hil/ftdi_mpsse.h"
#include "tests/unit/hil/mpsse_emu.h"
#include "tests/unit/support/test_support.h"

/* The chip side: a pin that records what the host drives (host_drives) or outputs a level. */
struct far_pin {
	bool out, level;  /* what the host made of it */
	bool drive;       /* the chip's output level */
	unsigned set_dirs, writes;
};

static struct far_pin far[4];

static int far_set_dir(void *ctx, unsigned pin, bool output, bool level)
{
	far[pin].out = output;
	far[pin].level = level;
	far[pin].set_dirs++;
	return 0;
}

static int far_write(void *ctx, unsigned pin, bool level)
{
	if (!far[pin].out)
		return -EPERM;
	far[pin].level = level;
	far[pin].writes++;
	return 0;
}

static int far_read(void *ctx, unsigned pin)
{
	return far[pin].drive;
}

static const struct nb_gpio_ops far_ops = {
	.set_dir = far_set_dir,
	.write = far_write,
	.read = far_read,
};

#define OUT_PIN NB_FTDI_ACBUS(2) /* host drives far[0] */
#define IN_PIN NB_FTDI_ACBUS(5)  /* far[1] drives it */
#define IN2_PIN NB_FTDI_ADBUS(6) /* far[2] drives it */

static struct nb_ftdi *up(void)
{
	struct nb_gpio g = { .ops = &far_ops };
	struct nb_ftdi_cfg c = { .io_timeout_ms = 50 };
	struct nb_ftdi *f;
	char err[256];

	memset(far, 0, sizeof(far));
	emu_ftdi_reset(NULL);
	emu_ftdi_connect_pin(OUT_PIN, g, 0, true);
	emu_ftdi_connect_pin(IN_PIN, g, 1, false);
	emu_ftdi_connect_pin(IN2_PIN, g, 2, false);
	assert_int_equal(nb_ftdi_open(&c, &f, err, sizeof(err)), 0);
	return f;
}

static void down(struct nb_ftdi *f)
{
	assert_int_equal(emu_ftdi_state()->protocol_errors, 0);
	nb_ftdi_close(f);
	emu_ftdi_reset(NULL);
}

static void test_ftdi_gpio_levels_and_directions(void **state)
{
	struct nb_ftdi *f = up();
	struct nb_gpio g = nb_ftdi_gpio(f);
	unsigned w0;

	(void)state;
	assert_int_equal(nb_gpio_set_dir(&g, OUT_PIN, true, true), 0);
	assert_true(far[0].out);
	assert_true(far[0].level);
	/* one USB write per pin change, no read back */
	w0 = emu_ftdi_state()->writes;
	assert_int_equal(nb_gpio_write(&g, OUT_PIN, false), 0);
	assert_int_equal(emu_ftdi_state()->writes, w0 + 1);
	assert_false(far[0].level);
	assert_int_equal(nb_gpio_read(&g, OUT_PIN), 0);
	/* inputs follow the far side */
	assert_int_equal(nb_gpio_set_dir(&g, IN_PIN, false, false), 0);
	assert_int_equal(nb_gpio_read(&g, IN_PIN), 0);
	far[1].drive = true;
	assert_int_equal(nb_gpio_read(&g, IN_PIN), 1);
	/* writing an input, pins out of range */
	assert_int_equal(nb_gpio_write(&g, IN_PIN, true), -EPERM);
	assert_int_equal(nb_gpio_read(&g, 16), -EINVAL);
	assert_non_null(strstr(nb_ftdi_last_error(f), "pin 16 out of range"));
	/* back to input: the far side sees the host let go */
	assert_int_equal(nb_gpio_set_dir(&g, OUT_PIN, false, false), 0);
	assert_false(far[0].out);
	down(f);
}

static void test_ftdi_gpio_function_pins_are_reserved(void **state)
{
	struct nb_ftdi *f = up();
	struct nb_gpio g = nb_ftdi_gpio(f);
	struct nb_gspi_bus bus;
	struct nb_mdio_bus mdio;

	(void)state;
	/* a GPIO output on the CS pin keeps gSPI from taking it */
	assert_int_equal(nb_gpio_set_dir(&g, NB_FTDI_PIN_CS, true, true), 0);
	assert_int_equal(nb_ftdi_gspi_attach(f, NULL, &bus), -EBUSY);
	assert_int_equal(nb_gpio_set_dir(&g, NB_FTDI_PIN_CS, false, false), 0);
	assert_int_equal(nb_ftdi_gspi_attach(f, NULL, &bus), 0);
	/* SK/DO/CS belong to gSPI now; DI may be read (HOST_WAKE on the data line) */
	assert_int_equal(nb_gpio_set_dir(&g, NB_FTDI_PIN_SK, true, false), -EBUSY);
	assert_int_equal(nb_gpio_write(&g, NB_FTDI_PIN_CS, true), -EBUSY);
	assert_int_equal(nb_gpio_read(&g, NB_FTDI_PIN_DO), -EBUSY);
	assert_non_null(strstr(nb_ftdi_last_error(f), "belongs to the gSPI function"));
	assert_int_equal(nb_gpio_set_dir(&g, NB_FTDI_PIN_DI, false, false), 0);
	assert_int_equal(nb_gpio_set_dir(&g, NB_FTDI_PIN_DI, true, false), -EBUSY);
	assert_int_equal(nb_gpio_read(&g, NB_FTDI_PIN_DI), 0);
	/* one clocked function per channel */
	assert_int_equal(nb_ftdi_mdio_attach(f, NULL, &mdio), -EBUSY);
	down(f);
}

static unsigned fired[3];

static void on_irq(void *ctx)
{
	fired[(uintptr_t)ctx]++;
}

static void test_ftdi_gpio_polled_edges(void **state)
{
	struct nb_ftdi *f = up();
	struct nb_gpio g = nb_ftdi_gpio(f);
	unsigned w0;

	(void)state;
	memset(fired, 0, sizeof(fired));
	/* nothing armed: a poll costs nothing */
	w0 = emu_ftdi_state()->writes;
	assert_int_equal(nb_ftdi_irq_poll(f), 0);
	assert_int_equal(emu_ftdi_state()->writes, w0);
	assert_false(nb_ftdi_irq_armed(f));

	assert_int_equal(nb_gpio_set_irq(&g, IN_PIN, NB_GPIO_IRQ_RISING, on_irq, (void *)1), 0);
	assert_true(nb_ftdi_irq_armed(f));
	assert_int_equal(nb_ftdi_irq_poll(f), 0);
	far[1].drive = true; /* rises between two polls */
	assert_int_equal(nb_ftdi_irq_poll(f), 1);
	assert_int_equal(nb_ftdi_irq_poll(f), 0); /* once per edge */
	far[1].drive = false;
	assert_int_equal(nb_ftdi_irq_poll(f), 0); /* falling edge: not for RISING */
	/* an edge a plain read saw is kept for the next poll */
	far[1].drive = true;
	assert_int_equal(nb_gpio_read(&g, IN_PIN), 1);
	assert_int_equal(nb_ftdi_irq_poll(f), 1);
	/* ... and a low a read saw between two highs makes the second high an edge */
	far[1].drive = false;
	assert_int_equal(nb_gpio_read(&g, IN_PIN), 0);
	far[1].drive = true;
	assert_int_equal(nb_ftdi_irq_poll(f), 1);
	assert_int_equal(fired[1], 3);

	/* BOTH on a second pin, armed while high: no edge yet */
	far[2].drive = true;
	assert_int_equal(nb_gpio_set_irq(&g, IN2_PIN, NB_GPIO_IRQ_BOTH, on_irq, (void *)2), 0);
	assert_int_equal(nb_ftdi_irq_poll(f), 0);
	far[2].drive = false;
	assert_int_equal(nb_ftdi_irq_poll(f), 1);
	far[2].drive = true;
	assert_int_equal(nb_ftdi_irq_poll(f), 1);
	assert_int_equal(fired[2], 2);
	/* disarm */
	assert_int_equal(nb_gpio_set_irq(&g, IN2_PIN, NB_GPIO_IRQ_NONE, NULL, NULL), 0);
	far[2].drive = false;
	assert_int_equal(nb_ftdi_irq_poll(f), 0);
	assert_int_equal(nb_ftdi_stats(f)->irqs_fired, 5);
	down(f);
}

static void test_ftdi_gpio_polled_levels(void **state)
{
	struct nb_ftdi *f = up();
	struct nb_gpio g = nb_ftdi_gpio(f);

	(void)state;
	memset(fired, 0, sizeof(fired));
	far[1].drive = false; /* nINT asserted (active low) before arming */
	assert_int_equal(nb_gpio_set_irq(&g, IN_PIN, NB_GPIO_IRQ_LEVEL_LOW, on_irq, (void *)1), 0);
	assert_int_equal(fired[1], 0); /* never from inside set_irq */
	assert_int_equal(nb_ftdi_irq_poll(f), 1);
	assert_int_equal(nb_ftdi_irq_poll(f), 1); /* every poll while active */
	far[1].drive = true;
	assert_int_equal(nb_ftdi_irq_poll(f), 0);
	assert_int_equal(fired[1], 2);
	/* a mode outside the enum, a handler missing */
	assert_int_equal(nb_gpio_set_irq(&g, IN_PIN, (enum nb_gpio_irq_mode)9, on_irq, NULL),
			 -EINVAL);
	assert_int_equal(nb_gpio_set_irq(&g, IN_PIN, NB_GPIO_IRQ_RISING, NULL, NULL), -EINVAL);
	down(f);
}

static void test_ftdi_gpio_usb_failure_is_eio(void **state)
{
	struct nb_ftdi *f = up();
	struct nb_gpio g = nb_ftdi_gpio(f);

	(void)state;
	assert_int_equal(nb_gpio_set_irq(&g, IN_PIN, NB_GPIO_IRQ_RISING, on_irq, (void *)1), 0);
	emu_ftdi_fail_write(1, -1);
	assert_int_equal(nb_ftdi_irq_poll(f), -EIO);
	assert_non_null(strstr(nb_ftdi_last_error(f), "irq poll: ftdi_write_data"));
	emu_ftdi_fail_write(1, -1);
	assert_int_equal(nb_gpio_set_dir(&g, OUT_PIN, true, true), -EIO);
	emu_ftdi_fail_read(1, -1);
	assert_int_equal(nb_gpio_read(&g, IN_PIN), -EIO);
	assert_int_equal(nb_gpio_set_dir(&g, OUT_PIN, true, true), 0);
	down(f);
}

/* An FT4232H channel has ADBUS only: nothing may touch a high byte it does not have. */
static void test_ftdi_gpio_ft4232h_has_eight_pins(void **state)
{
	struct nb_gpio fg = { .ops = &far_ops };
	struct nb_ftdi_cfg c = { .io_timeout_ms = 50, .pid = NB_FTDI_PID_FT4232H };
	struct nb_ftdi *f;
	struct nb_gpio g;
	char err[256];

	(void)state;
	memset(far, 0, sizeof(far));
	memset(fired, 0, sizeof(fired));
	emu_ftdi_reset(&(struct emu_ftdi_opts){ .chip_type = TYPE_4232H,
						.pid = NB_FTDI_PID_FT4232H });
	emu_ftdi_connect_pin(IN2_PIN, fg, 2, false);
	assert_int_equal(nb_ftdi_open(&c, &f, err, sizeof(err)), 0);
	assert_string_equal(nb_ftdi_chip_name(f), "FT4232H");
	g = nb_ftdi_gpio(f);
	assert_int_equal(nb_gpio_set_dir(&g, NB_FTDI_ACBUS(0), true, true), -EINVAL);
	assert_non_null(strstr(nb_ftdi_last_error(f), "0..7 on the FT4232H"));
	assert_int_equal(nb_gpio_set_irq(&g, IN2_PIN, NB_GPIO_IRQ_RISING, on_irq, (void *)2), 0);
	far[2].drive = true;
	assert_int_equal(nb_ftdi_irq_poll(f), 1);
	assert_int_equal(nb_gpio_read(&g, IN2_PIN), 1);
	down(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ftdi_gpio_levels_and_directions),
		cmocka_unit_test(test_ftdi_gpio_function_pins_are_reserved),
		cmocka_unit_test(test_ftdi_gpio_polled_edges),
		cmocka_unit_test(test_ftdi_gpio_polled_levels),
		cmocka_unit_test(test_ftdi_gpio_usb_failure_is_eio),
		cmocka_unit_test(test_ftdi_gpio_ft4232h_has_eight_pins),
	};

	return cmocka_run_group_tests_name("hil_ftdi_gpio", tests, NULL, NULL);
}
