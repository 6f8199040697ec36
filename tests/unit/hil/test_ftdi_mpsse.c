/* SPDX-License-Identifier: MIT */
/*
 * FTDI MPSSE core (hil/ftdi_mpsse.c): opening by VID:PID/serial, the MPSSE set-up stream, the
 * clock divisor, and every failure of the USB side mapped to a clear error without hanging.
 */
#include <errno.h>
#include <ftdi.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hil/ftdi_mpsse.h"
#include "sim/cyw43439/cyw43439_model.h"
#include "tests/unit/hil/mpsse_emu.h"
#include "tests/unit/support/test_support.h"

static struct nb_ftdi *open_ok(void)
{
	struct nb_ftdi_cfg c = { .io_timeout_ms = 50 };
	struct nb_ftdi *f = NULL;
	char err[256];
	int ret = nb_ftdi_open(&c, &f, err, sizeof(err));

	if (ret)
		fprintf(stderr, "open: %s\n", err);
	assert_int_equal(ret, 0);
	assert_non_null(f);
	return f;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void test_ftdi_mpsse_open_sets_up_the_engine(void **state)
{
	const struct emu_ftdi_state *st;
	struct nb_ftdi *f;

	(void)state;
	emu_ftdi_reset(NULL);
	f = open_ok();
	st = emu_ftdi_state();
	assert_true(st->opened);
	assert_true(st->mpsse);
	assert_true(st->synced);      /* the bad-opcode echo was checked */
	assert_false(st->div5);       /* 60 MHz base */
	assert_false(st->adaptive);
	assert_false(st->three_phase);
	assert_false(st->loopback);
	assert_int_equal(st->latency, 1);
	assert_int_equal(st->interface, INTERFACE_A);
	assert_int_equal(st->lo_dir, 0); /* nothing driven until a function or pin asks */
	assert_int_equal(st->hi_dir, 0);
	assert_int_equal(st->protocol_errors, 0);
	assert_string_equal(nb_ftdi_chip_name(f), "FT232H");
	nb_ftdi_close(f);
	assert_false(emu_ftdi_state()->opened);
}

static void test_ftdi_mpsse_clock_divisor(void **state)
{
	static const struct {
		uint32_t want, hz;
		uint16_t div;
	} t[] = {
		{ 0, 30000000, 0 },       { 40000000, 30000000, 0 }, { 30000000, 30000000, 0 },
		{ 29999999, 15000000, 1 }, { 15000000, 15000000, 1 }, { 10000000, 10000000, 2 },
		{ 7000000, 6000000, 4 },   { 2500000, 2500000, 11 },  { 1000000, 1000000, 29 },
		{ 400, 457, 65535 },
	};
	struct nb_ftdi_gspi_cfg gc = { .clock_hz = 7000000 };
	struct nb_gspi_bus bus;
	struct nb_ftdi *f;

	(void)state;
	for (size_t i = 0; i < NB_ARRAY_SIZE(t); i++) {
		uint16_t div = 0xAAAA;

		assert_int_equal(nb_ftdi_clock_for(t[i].want, &div), t[i].hz);
		assert_int_equal(div, t[i].div);
	}
	/* what goes to the chip: 7 MHz asked, 6 MHz (never faster) set */
	emu_ftdi_reset(NULL);
	f = open_ok();
	assert_int_equal(nb_ftdi_gspi_attach(f, &gc, &bus), 0);
	assert_int_equal(nb_ftdi_gspi_clock(f), 6000000);
	assert_int_equal(emu_ftdi_state()->div, 4);
	assert_int_equal(emu_ftdi_state()->sk_hz, 6000000);
	nb_ftdi_close(f);
}

static void test_ftdi_mpsse_absent_adapter_is_enodev(void **state)
{
	struct nb_ftdi_cfg c = { .serial = "FT4XYZ99" };
	struct nb_ftdi *f = (struct nb_ftdi *)1;
	char err[256];

	(void)state;
	emu_ftdi_reset(&(struct emu_ftdi_opts){ .absent = true });
	assert_int_equal(nb_ftdi_open(NULL, &f, err, sizeof(err)), -ENODEV);
	assert_null(f);
	assert_non_null(strstr(err, "no FTDI adapter 0403:{6014,6010,6011}"));
	/* present, but not the serial asked for */
	emu_ftdi_reset(NULL);
	assert_int_equal(nb_ftdi_open(&c, &f, err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "serial FT4XYZ99"));
	assert_false(emu_ftdi_state()->opened);
}

static void test_ftdi_mpsse_open_refusals_are_named(void **state)
{
	struct nb_ftdi *f;
	char err[256];

	(void)state;
	emu_ftdi_reset(&(struct emu_ftdi_opts){ .open_error = -4 });
	assert_int_equal(nb_ftdi_open(NULL, &f, err, sizeof(err)), -EACCES);
	assert_non_null(strstr(err, "udev"));
	emu_ftdi_reset(&(struct emu_ftdi_opts){ .open_error = -5 });
	assert_int_equal(nb_ftdi_open(NULL, &f, err, sizeof(err)), -EBUSY);
	assert_non_null(strstr(err, "cannot claim"));
	/* an FT232R has no MPSSE */
	emu_ftdi_reset(&(struct emu_ftdi_opts){ .chip_type = TYPE_R });
	assert_int_equal(nb_ftdi_open(NULL, &f, err, sizeof(err)), -EOPNOTSUPP);
	assert_non_null(strstr(err, "H-series"));
	assert_false(emu_ftdi_state()->opened); /* closed again */
	/* channel C has no MPSSE; the FT232H has no channel B */
	emu_ftdi_reset(NULL);
	assert_int_equal(nb_ftdi_open(&(struct nb_ftdi_cfg){ .channel = 'C' }, &f, err,
				      sizeof(err)),
			 -EINVAL);
	assert_int_equal(nb_ftdi_open(&(struct nb_ftdi_cfg){ .channel = 'B' }, &f, err,
				      sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "one channel"));
}

static void test_ftdi_mpsse_silent_engine_is_eio_without_hanging(void **state)
{
	struct nb_ftdi_cfg c = { .io_timeout_ms = 50 };
	struct nb_ftdi *f;
	char err[256];
	uint64_t t0;

	(void)state;
	emu_ftdi_reset(&(struct emu_ftdi_opts){ .no_sync_answer = true });
	t0 = now_ms();
	assert_int_equal(nb_ftdi_open(&c, &f, err, sizeof(err)), -EIO);
	assert_true(now_ms() - t0 < 1000);
	assert_non_null(strstr(err, "MPSSE sync"));
	assert_non_null(strstr(err, "short read: 0 of 2"));
}

/* F0 test-register read in 16-bit format; the chip is powered through ACBUS0. */
static int read_pattern(struct nb_gspi_bus *bus, uint8_t rx[4])
{
	uint32_t cmd = (1u << 30) | (0x14u << 11) | 4u;
	uint8_t c[4] = { (uint8_t)(cmd >> 8), (uint8_t)cmd, (uint8_t)(cmd >> 24),
			 (uint8_t)(cmd >> 16) };

	memset(rx, 0, 4);
	return nb_gspi_cmd_read(bus, c, rx, 4);
}

struct chip {
	struct nb_sim *sim;
	struct nb_cyw43439_model *m;
};

static struct nb_ftdi *chip_up(struct chip *c, struct nb_gspi_bus *bus)
{
	struct nb_sim_cfg sc = { 0 };
	struct nb_ftdi *f;
	struct nb_gpio g;

	c->sim = nb_sim_new(&sc);
	c->m = nb_cyw43439_model_new(c->sim, NULL);
	assert_non_null(c->m);
	emu_ftdi_reset(NULL);
	emu_ftdi_connect_gspi(nb_cyw43439_model_gspi(c->m), 3);
	emu_ftdi_connect_pin(8, nb_cyw43439_model_gpio(c->m), NB_CYW43439_PIN_WL_REG_ON, true);
	f = open_ok();
	assert_int_equal(nb_ftdi_gspi_attach(f, NULL, bus), 0);
	g = nb_ftdi_gpio(f);
	assert_int_equal(nb_gpio_set_dir(&g, 8, true, true), 0);
	nb_sim_advance_to(c->sim, 2 * NB_NS_PER_MS);
	return f;
}

static void chip_down(struct chip *c, struct nb_ftdi *f)
{
	nb_ftdi_close(f);
	emu_ftdi_reset(NULL);
	nb_cyw43439_model_free(c->m);
	nb_sim_free(c->sim);
}

static void test_ftdi_mpsse_write_failure_then_recovery(void **state)
{
	struct nb_gspi_bus bus;
	struct chip c;
	struct nb_ftdi *f = chip_up(&c, &bus);
	uint8_t rx[4];
	unsigned flushes;

	(void)state;
	emu_ftdi_fail_write(1, -1);
	assert_int_equal(read_pattern(&bus, rx), -EIO);
	assert_non_null(strstr(nb_ftdi_last_error(f), "gspi read: ftdi_write_data: usb bulk "
						      "write failed (-1)"));
	/* a short write is a failure too */
	emu_ftdi_fail_write(1, 3);
	assert_int_equal(read_pattern(&bus, rx), -EIO);
	assert_non_null(strstr(nb_ftdi_last_error(f), "wrote 3 of"));
	/* the next transaction purges the adapter first and works */
	flushes = emu_ftdi_state()->flushes;
	assert_int_equal(read_pattern(&bus, rx), 0);
	assert_int_equal(emu_ftdi_state()->flushes, flushes + 1);
	assert_memory_equal(rx, ((uint8_t[]){ 0xBE, 0xAD, 0xFE, 0xED }), 4);
	assert_int_equal(nb_ftdi_stats(f)->errors, 2);
	chip_down(&c, f);
}

static void test_ftdi_mpsse_read_failures_time_out(void **state)
{
	struct nb_gspi_bus bus;
	struct chip c;
	struct nb_ftdi *f = chip_up(&c, &bus);
	uint8_t rx[4];
	uint64_t t0;

	(void)state;
	/* the chip stalls after 2 of the 8 bytes (4 data + 4 status) */
	emu_ftdi_fail_read(1, 2);
	t0 = now_ms();
	assert_int_equal(read_pattern(&bus, rx), -EIO);
	assert_true(now_ms() - t0 >= 50);
	assert_true(now_ms() - t0 < 1000);
	assert_non_null(strstr(nb_ftdi_last_error(f), "short read: 2 of 8 bytes within 50 ms"));
	/* the USB read itself fails */
	emu_ftdi_fail_read(1, -1);
	assert_int_equal(read_pattern(&bus, rx), -EIO);
	assert_non_null(strstr(nb_ftdi_last_error(f), "ftdi_read_data: usb bulk read failed"));
	assert_int_equal(read_pattern(&bus, rx), 0);
	assert_memory_equal(rx, ((uint8_t[]){ 0xBE, 0xAD, 0xFE, 0xED }), 4);
	chip_down(&c, f);
}

static void test_ftdi_mpsse_close_releases_every_pin(void **state)
{
	struct nb_gspi_bus bus;
	struct chip c;
	struct nb_ftdi *f = chip_up(&c, &bus);

	(void)state;
	assert_true(nb_cyw43439_model_powered(c.m));
	nb_ftdi_close(f);
	/* WL_REG_ON released: the module's pull-down turns the chip off */
	assert_false(nb_cyw43439_model_powered(c.m));
	assert_int_equal(emu_ftdi_state()->lo_dir, 0);
	assert_int_equal(emu_ftdi_state()->hi_dir, 0);
	assert_int_equal(emu_ftdi_state()->protocol_errors, 0);
	emu_ftdi_reset(NULL);
	nb_cyw43439_model_free(c.m);
	nb_sim_free(c.sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ftdi_mpsse_open_sets_up_the_engine),
		cmocka_unit_test(test_ftdi_mpsse_clock_divisor),
		cmocka_unit_test(test_ftdi_mpsse_absent_adapter_is_enodev),
		cmocka_unit_test(test_ftdi_mpsse_open_refusals_are_named),
		cmocka_unit_test(test_ftdi_mpsse_silent_engine_is_eio_without_hanging),
		cmocka_unit_test(test_ftdi_mpsse_write_failure_then_recovery),
		cmocka_unit_test(test_ftdi_mpsse_read_failures_time_out),
		cmocka_unit_test(test_ftdi_mpsse_close_releases_every_pin),
	};

	return cmocka_run_group_tests_name("hil_ftdi_mpsse", tests, NULL, NULL);
}
