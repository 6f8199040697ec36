/* SPDX-License-Identifier: MIT */
/*
 * spidev gSPI backend (hil/spidev_gspi.c) through the spidev emulator, against the CYW43439
 * model: set-up ioctls, half-duplex messages, the real driver's bring-up/join/data compared
 * transaction by transaction with the direct bus, and the failures a Linux host produces.
 */
#include <errno.h>
#include <linux/spi/spidev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hil/spidev_gspi.h"
#include "tests/unit/hil/hil_rig.h"
#include "tests/unit/hil/spidev_emu.h"
#include "tests/unit/support/test_support.h"

static char dir[64], node[96];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nb-spidev-XXXXXX");
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

static struct nb_spidev *spi_open(const struct nb_spidev_cfg *c0)
{
	struct nb_spidev_cfg c = c0 ? *c0 : (struct nb_spidev_cfg){ .clock_hz = 20000000 };
	struct nb_spidev *s = NULL;
	char err[256];
	int ret;

	c.path = node;
	ret = nb_spidev_open(&c, &s, err, sizeof(err));
	if (ret)
		fprintf(stderr, "spidev open: %s\n", err);
	assert_int_equal(ret, 0);
	return s;
}

static void test_spidev_gspi_configures_three_wire_mode_0(void **state)
{
	struct nb_spidev *s;

	(void)state;
	emu_spidev_reset(node, NULL);
	s = spi_open(NULL);
	assert_int_equal(emu_spidev_state()->mode, SPI_MODE_0 | SPI_3WIRE);
	assert_int_equal(emu_spidev_state()->bits, 8);
	assert_int_equal(emu_spidev_state()->hz, 20000000);
	assert_int_equal(nb_spidev_clock(s), 20000000);
	nb_spidev_close(s);
	/* four-wire wiring: no SPI_3WIRE */
	s = spi_open(&(struct nb_spidev_cfg){ .four_wire = true });
	assert_int_equal(emu_spidev_state()->mode, SPI_MODE_0);
	assert_int_equal(nb_spidev_clock(s), NB_SPIDEV_DEFAULT_HZ);
	nb_spidev_close(s);
	emu_spidev_remove();
}

static void test_spidev_gspi_reads_test_pattern(void **state)
{
	struct nb_sim_cfg sc = { 0 };
	struct nb_sim *sim = nb_sim_new(&sc);
	struct nb_cyw43439_model *m = nb_cyw43439_model_new(sim, NULL);
	struct nb_gpio g = nb_cyw43439_model_gpio(m);
	uint32_t cmd = (1u << 30) | (0x14u << 11) | 4u;
	uint8_t c[4] = { (uint8_t)(cmd >> 8), (uint8_t)cmd, (uint8_t)(cmd >> 24),
			 (uint8_t)(cmd >> 16) };
	uint8_t rx[4] = { 0 };
	struct nb_gspi_bus bus;
	struct nb_spidev *s;

	(void)state;
	emu_spidev_reset(node, NULL);
	emu_spidev_connect_gspi(nb_cyw43439_model_gspi(m));
	s = spi_open(NULL);
	bus = nb_spidev_gspi(s);
	assert_int_equal(nb_gpio_set_dir(&g, NB_CYW43439_PIN_WL_REG_ON, true, true), 0);
	nb_sim_advance_to(sim, 2 * NB_NS_PER_MS);
	assert_int_equal(nb_gspi_cmd_read(&bus, c, rx, sizeof(rx)), 0);
	assert_memory_equal(rx, ((uint8_t[]){ 0xBE, 0xAD, 0xFE, 0xED }), 4);
	assert_int_equal(emu_spidev_state()->messages, 1);
	assert_int_equal(emu_spidev_state()->xfer_hz, 20000000);
	assert_int_equal(nb_spidev_stats(s)->bytes, 12);
	assert_int_equal(emu_spidev_state()->protocol_errors, 0);
	nb_spidev_close(s);
	emu_spidev_remove();
	nb_cyw43439_model_free(m);
	nb_sim_free(sim);
}

static char *run_path(bool spidev, bool no_irq)
{
	struct rig_opts o = { .fast = true, .fw_len = 3001, .clm_len = 100,
			      .drv = { .no_irq = no_irq } };
	struct hrig *h = hrig_new(&o);
	struct nb_spidev *s = NULL;
	char *trace;

	if (spidev) {
		emu_spidev_reset(node, NULL);
		emu_spidev_connect_gspi(nb_cyw43439_model_gspi(h->r->m));
		s = spi_open(NULL);
		hrig_swap(h, nb_spidev_gspi(s), nb_cyw43439_model_gpio(h->r->m),
			  NB_CYW43439_PIN_WL_REG_ON, NB_CYW43439_PIN_HOST_WAKE);
	}
	rig_trace_start(h->r);
	hrig_boot_join(h);
	hrig_exchange(h, 3);
	assert_int_equal(h->r->violations, 0);
	assert_int_equal(h->r->poll_errors, 0);
	trace = strdup(h->r->trace);
	assert_non_null(trace);
	if (spidev) {
		assert_int_equal(emu_spidev_state()->protocol_errors, 0);
		assert_true(emu_spidev_state()->messages > 100);
		assert_int_equal(nb_spidev_stats(s)->errors, 0);
		hrig_stop(h);
		nb_spidev_close(s);
		emu_spidev_remove();
	}
	hrig_free(h);
	return trace;
}

static void test_spidev_gspi_driver_same_transactions_as_direct_bus(void **state)
{
	for (int irq = 0; irq < 2; irq++) {
		char *direct = run_path(false, !irq);
		char *spi = run_path(true, !irq);

		(void)state;
		assert_true(strlen(direct) > 1000);
		assert_string_equal(direct, spi);
		free(direct);
		free(spi);
	}
}

static void test_spidev_gspi_failures_are_named(void **state)
{
	struct nb_spidev_cfg c = { .path = node };
	struct nb_spidev *s;
	char err[256];

	(void)state;
	/* no node at all */
	assert_int_equal(nb_spidev_open(&c, &s, err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "no such SPI device"));
	assert_int_equal(nb_spidev_open(&(struct nb_spidev_cfg){ 0 }, &s, err, sizeof(err)),
			 -EINVAL);
	/* a controller without SPI_3WIRE */
	emu_spidev_reset(node, &(struct emu_spidev_opts){ .no_3wire = true });
	assert_int_equal(nb_spidev_open(&c, &s, err, sizeof(err)), -EOPNOTSUPP);
	assert_non_null(strstr(err, "refuses SPI_3WIRE"));
	assert_non_null(strstr(err, "four_wire"));
	c.four_wire = true;
	assert_int_equal(nb_spidev_open(&c, &s, err, sizeof(err)), 0);
	nb_spidev_close(s);
	emu_spidev_remove();
}

static void test_spidev_gspi_message_failure_fails_bringup(void **state)
{
	struct rig_opts o = { .fast = true, .fw_len = 3001, .clm_len = 100 };
	struct hrig *h = hrig_new(&o);
	struct nb_spidev *s;
	uint8_t c[4] = { 0 }, rx[4];
	struct nb_gspi_bus bus;

	(void)state;
	emu_spidev_reset(node, NULL);
	emu_spidev_connect_gspi(nb_cyw43439_model_gspi(h->r->m));
	s = spi_open(NULL);
	bus = nb_spidev_gspi(s);
	emu_spidev_fail_message(1, EIO);
	assert_int_equal(nb_gspi_cmd_read(&bus, c, rx, sizeof(rx)), -EIO);
	assert_non_null(strstr(nb_spidev_last_error(s), "SPI_IOC_MESSAGE: Input/output error"));
	/* in the middle of the firmware download */
	hrig_swap(h, bus, nb_cyw43439_model_gpio(h->r->m), NB_CYW43439_PIN_WL_REG_ON,
		  NB_CYW43439_PIN_HOST_WAKE);
	emu_spidev_fail_message(30, ETIMEDOUT);
	assert_int_equal(hrig_boot(h), NB_CYW43439_STATE_FAILED);
	assert_int_equal(nb_cyw43439_reason(&h->r->drv), NB_CYW43439_REASON_BUS_ERROR);
	assert_non_null(strstr(nb_spidev_last_error(s), "timed out"));
	hrig_stop(h);
	nb_spidev_close(s);
	emu_spidev_remove();
	hrig_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spidev_gspi_configures_three_wire_mode_0),
		cmocka_unit_test(test_spidev_gspi_reads_test_pattern),
		cmocka_unit_test(test_spidev_gspi_driver_same_transactions_as_direct_bus),
		cmocka_unit_test(test_spidev_gspi_failures_are_named),
		cmocka_unit_test(test_spidev_gspi_message_failure_fails_bringup),
	};

	return cmocka_run_group_tests_name("hil_spidev_gspi", tests, setup, teardown);
}
