/* SPDX-License-Identifier: MIT */
/*
 * FTDI MPSSE gSPI backend (hil/ftdi_gspi.c) through the MPSSE emulator, against the CYW43439
 * model: raw transactions, then the real driver's bring-up, join and data path, compared
 * transaction by transaction with the same run on the model's own gSPI bus.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hil/ftdi_mpsse.h"
#include "tests/unit/hil/hil_rig.h"
#include "tests/unit/hil/mpsse_emu.h"
#include "tests/unit/support/test_support.h"

#define WL_REG_ON_PIN NB_FTDI_ACBUS(0)

struct ftdi_rig {
	struct hrig *h;
	struct nb_ftdi *f;
	struct nb_gspi_bus bus;
	uint64_t next_irq_poll;
};

static int svc_work(void *ctx)
{
	struct ftdi_rig *fr = ctx;
	uint64_t now = nb_sim_now(fr->h->r->sim);

	if (!nb_ftdi_irq_armed(fr->f) || now < fr->next_irq_poll)
		return 0;
	fr->next_irq_poll = now + NB_NS_PER_MS;
	return nb_ftdi_irq_poll(fr->f);
}

static uint64_t svc_deadline(void *ctx)
{
	struct ftdi_rig *fr = ctx;

	return nb_ftdi_irq_armed(fr->f) ? fr->next_irq_poll : NB_DEADLINE_NONE;
}

/* The driver on an FT232H: CS on @p cs_pin, WL_REG_ON on ACBUS0, HOST_WAKE on @p wake_pin
 * (DI: shared with the data line as on a Pico W). */
static void ftdi_rig_up(struct ftdi_rig *fr, const struct rig_opts *o, unsigned cs_pin,
			unsigned wake_pin)
{
	struct nb_ftdi_cfg fc = { .io_timeout_ms = 50 };
	struct nb_ftdi_gspi_cfg gc = { .clock_hz = 15000000, .cs_pin = cs_pin };
	struct nb_gpio mg;
	char err[256];

	memset(fr, 0, sizeof(*fr));
	fr->h = hrig_new(o);
	mg = nb_cyw43439_model_gpio(fr->h->r->m);
	emu_ftdi_reset(NULL);
	emu_ftdi_connect_gspi(nb_cyw43439_model_gspi(fr->h->r->m), cs_pin ? cs_pin : 3);
	emu_ftdi_connect_pin(WL_REG_ON_PIN, mg, NB_CYW43439_PIN_WL_REG_ON, true);
	emu_ftdi_connect_pin(wake_pin, mg, NB_CYW43439_PIN_HOST_WAKE, false);
	assert_int_equal(nb_ftdi_open(&fc, &fr->f, err, sizeof(err)), 0);
	assert_int_equal(nb_ftdi_gspi_attach(fr->f, &gc, &fr->bus), 0);
	hrig_swap(fr->h, fr->bus, nb_ftdi_gpio(fr->f), WL_REG_ON_PIN, wake_pin);
	fr->h->svc = (struct hrig_svc){ .work = svc_work, .deadline = svc_deadline, .ctx = fr };
}

static void ftdi_rig_down(struct ftdi_rig *fr)
{
	hrig_stop(fr->h);
	nb_ftdi_close(fr->f);
	emu_ftdi_reset(NULL);
	hrig_free(fr->h);
}

static void expect_no_emu_errors(void)
{
	const struct emu_ftdi_state *st = emu_ftdi_state();

	if (st->protocol_errors)
		fprintf(stderr, "MPSSE emulator: %u errors, last: %s\n", st->protocol_errors,
			st->last_error);
	assert_int_equal(st->protocol_errors, 0);
}

static void test_ftdi_gspi_reads_test_pattern_in_16bit_mode(void **state)
{
	struct ftdi_rig fr;
	struct nb_gpio g;
	/* F0 read of 0x14, 4 bytes, incrementing, in the power-up 16-bit word format (§1.5) */
	uint32_t cmd = (1u << 30) | (0x14u << 11) | 4u;
	uint8_t c[4] = { (uint8_t)(cmd >> 8), (uint8_t)cmd, (uint8_t)(cmd >> 24),
			 (uint8_t)(cmd >> 16) };
	uint8_t rx[4] = { 0 }, st[4];
	unsigned w0;

	(void)state;
	ftdi_rig_up(&fr, NULL, 0, NB_FTDI_PIN_DI);
	g = nb_ftdi_gpio(fr.f);
	assert_int_equal(nb_gpio_set_dir(&g, WL_REG_ON_PIN, true, false), 0);
	assert_false(nb_cyw43439_model_powered(fr.h->r->m));
	assert_int_equal(nb_gpio_write(&g, WL_REG_ON_PIN, true), 0);
	assert_true(nb_cyw43439_model_powered(fr.h->r->m));
	nb_sim_advance_to(fr.h->r->sim, nb_sim_now(fr.h->r->sim) + 2 * NB_NS_PER_MS);

	w0 = emu_ftdi_state()->writes;
	assert_int_equal(nb_gspi_cmd_read(&fr.bus, c, rx, sizeof(rx)), 0);
	/* one USB write for the whole transaction, one transaction seen by the chip */
	assert_int_equal(emu_ftdi_state()->writes - w0, 1);
	assert_int_equal(emu_ftdi_state()->max_writes_per_transaction, 1);
	assert_int_equal(nb_cyw43439_model_stats(fr.h->r->m)->transactions, 1);
	assert_memory_equal(rx, ((uint8_t[]){ 0xBE, 0xAD, 0xFE, 0xED }), 4);
	/* status enabled at power-up: the status phase carried the status word */
	assert_int_equal(nb_gspi_last_status(&fr.bus, st), 0);
	assert_int_equal(emu_ftdi_state()->sk_hz, 15000000);
	expect_no_emu_errors();
	ftdi_rig_down(&fr);
}

static void test_ftdi_gspi_cs_on_acbus(void **state)
{
	struct ftdi_rig fr;
	struct nb_gpio g;
	uint32_t cmd = (1u << 30) | (0x14u << 11) | 4u;
	uint8_t c[4] = { (uint8_t)(cmd >> 8), (uint8_t)cmd, (uint8_t)(cmd >> 24),
			 (uint8_t)(cmd >> 16) };
	uint8_t rx[4] = { 0 };

	(void)state;
	ftdi_rig_up(&fr, NULL, NB_FTDI_ACBUS(3), NB_FTDI_ADBUS(4));
	g = nb_ftdi_gpio(fr.f);
	/* the CS pin is the gSPI's now */
	assert_int_equal(nb_gpio_set_dir(&g, NB_FTDI_ACBUS(3), true, false), -EBUSY);
	assert_int_equal(nb_gpio_set_dir(&g, WL_REG_ON_PIN, true, true), 0);
	nb_sim_advance_to(fr.h->r->sim, nb_sim_now(fr.h->r->sim) + 2 * NB_NS_PER_MS);
	assert_int_equal(nb_gspi_cmd_read(&fr.bus, c, rx, sizeof(rx)), 0);
	assert_memory_equal(rx, ((uint8_t[]){ 0xBE, 0xAD, 0xFE, 0xED }), 4);
	expect_no_emu_errors();
	ftdi_rig_down(&fr);
}

/* Bring-up, join and frames both ways; returns the model's transaction trace. */
static char *run_path(bool ftdi, bool no_irq, uint64_t *irqs)
{
	struct rig_opts o = { .fast = true, .fw_len = 3001, .clm_len = 100,
			      .drv = { .no_irq = no_irq } };
	struct ftdi_rig fr;
	struct hrig *h;
	char *trace;

	if (ftdi) {
		ftdi_rig_up(&fr, &o, 0, NB_FTDI_PIN_DI);
		h = fr.h;
	} else {
		h = hrig_new(&o);
	}
	rig_trace_start(h->r);
	hrig_boot_join(h);
	hrig_exchange(h, 3);
	assert_int_equal(h->r->violations, 0);
	assert_int_equal(h->svc_errors, 0);
	assert_int_equal(h->r->poll_errors, 0);
	trace = strdup(h->r->trace);
	assert_non_null(trace);
	if (irqs)
		*irqs = nb_netdev_stats(rig_dev(h->r))->irqs;
	if (ftdi) {
		expect_no_emu_errors();
		assert_true(emu_ftdi_state()->transactions > 100);
		assert_int_equal(emu_ftdi_state()->max_writes_per_transaction, 1);
		ftdi_rig_down(&fr);
	} else {
		hrig_free(h);
	}
	return trace;
}

static void report_difference(const char *a, const char *b)
{
	unsigned line = 1;

	while (*a && *b) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");

		if (la != lb || memcmp(a, b, la) != 0) {
			fprintf(stderr, "transaction %u differs:\n  direct: %.*s\n  ftdi:   %.*s\n",
				line, (int)la, a, (int)lb, b);
			return;
		}
		a += la + (a[la] ? 1 : 0);
		b += lb + (b[lb] ? 1 : 0);
		line++;
	}
	if (*a || *b)
		fprintf(stderr, "traces differ in length at transaction %u\n", line);
}

static void test_ftdi_gspi_driver_same_transactions_as_direct_bus(void **state)
{
	char *direct = run_path(false, true, NULL);
	char *ftdi = run_path(true, true, NULL);

	(void)state;
	if (strcmp(direct, ftdi) != 0)
		report_difference(direct, ftdi);
	assert_true(strlen(direct) > 1000);
	assert_string_equal(direct, ftdi);
	free(direct);
	free(ftdi);
}

static void test_ftdi_gspi_polled_host_wake_interrupts(void **state)
{
	uint64_t irqs = 0;
	char *trace = run_path(true, false, &irqs);

	(void)state;
	/* the device claimed the IRQ line: frames arrived through polled HOST_WAKE edges */
	assert_true(irqs > 0);
	assert_true(strlen(trace) > 1000);
	free(trace);
}

static void test_ftdi_gspi_bus_failure_fails_bringup_cleanly(void **state)
{
	struct ftdi_rig fr;
	struct rig_opts o = { .fast = true, .fw_len = 3001, .clm_len = 100,
			      .drv = { .no_irq = true } };

	(void)state;
	ftdi_rig_up(&fr, &o, 0, NB_FTDI_PIN_DI);
	emu_ftdi_fail_write(40, -1); /* the adapter goes away in the middle of the download */
	assert_int_equal(hrig_boot(fr.h), NB_CYW43439_STATE_FAILED);
	assert_int_equal(nb_cyw43439_reason(&fr.h->r->drv), NB_CYW43439_REASON_BUS_ERROR);
	assert_non_null(strstr(nb_ftdi_last_error(fr.f), "ftdi_write_data"));
	assert_non_null(strstr(nb_ftdi_last_error(fr.f), "usb bulk write failed"));
	assert_true(nb_ftdi_stats(fr.f)->errors >= 1);
	ftdi_rig_down(&fr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ftdi_gspi_reads_test_pattern_in_16bit_mode),
		cmocka_unit_test(test_ftdi_gspi_cs_on_acbus),
		cmocka_unit_test(test_ftdi_gspi_driver_same_transactions_as_direct_bus),
		cmocka_unit_test(test_ftdi_gspi_polled_host_wake_interrupts),
		cmocka_unit_test(test_ftdi_gspi_bus_failure_fails_bringup_cleanly),
	};

	return cmocka_run_group_tests_name("hil_ftdi_gspi", tests, NULL, NULL);
}
