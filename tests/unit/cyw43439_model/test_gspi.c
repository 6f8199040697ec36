/* SPDX-License-Identifier: MIT */
/* CYW43439 model, gSPI front end and F0: byte-exact transactions from reference §1. */
#include <errno.h>
#include <string.h>

#include "tests/unit/cyw43439_model/tb.h"
#include "tests/unit/support/test_support.h"

static int setup(void **state)
{
	static struct tb t;

	tb_init(&t, NULL);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	tb_fini(*state);
	return 0;
}

/* §1.5: the power-up read of 0xFEEDBEAD in 16-bit mode, raw wire bytes both ways. */
static void test_cyw43439_model_test_pattern_16bit_wire_bytes(void **state)
{
	struct tb *t = *state;
	const uint8_t cmd[4] = { 0xA0, 0x04, 0x40, 0x00 }; /* R F0 0x14 len 4, incrementing */
	uint8_t w[4], rx[4], st[4];

	tb_word_to_wire(TB_16, tb_cmd(false, true, 0, 0x14, 4), w);
	assert_memory_equal(w, cmd, 4); /* the bench agrees with the hand-made bytes */
	tb_power_on(t);
	assert_int_equal(nb_gspi_cmd_read(&t->bus, cmd, rx, 4), 0);
	assert_memory_equal(rx, ((uint8_t[]){ 0xBE, 0xAD, 0xFE, 0xED }), 4);
	/* status is on at power-up: the status phase carries the (empty) status word */
	assert_int_equal(nb_gspi_last_status(&t->bus, st), 0);
	assert_memory_equal(st, ((uint8_t[]){ 0, 0, 0, 0 }), 4);
	assert_int_equal(t->nviol, 0);
}

/* §1.5: the bus-control write is itself 16-bit; the next transaction is 32-bit. */
static void test_cyw43439_model_word_mode_switch_on_next_transaction(void **state)
{
	struct tb *t = *state;
	const uint8_t wcmd[4] = { 0x00, 0x04, 0xC0, 0x00 };  /* W F0 0x00 len 4, 16-bit */
	const uint8_t wdata[4] = { 0x04, 0xB3, 0x00, 0x02 }; /* 0x000204B3, 16-bit */
	const uint8_t rcmd_le[4] = { 0x04, 0xA0, 0x00, 0x40 }; /* R F0 0x14, ENDIAN_BIG */
	uint8_t rx[4];

	tb_power_on(t);
	assert_int_equal(nb_gspi_cmd_write(&t->bus, wcmd, wdata, 4), 0);
	assert_int_equal(nb_gspi_cmd_read(&t->bus, rcmd_le, rx, 4), 0);
	assert_memory_equal(rx, ((uint8_t[]){ 0xAD, 0xBE, 0xED, 0xFE }), 4);
	assert_int_equal(t->nviol, 0);
	/* Status is off now (0x02 = INTR_WITH_STATUS only): the status phase reads 0. */
	t->mode = TB_32LE;
	assert_int_equal(tb_r(t, 0, 0x00, 4), 0x000204B3u);
}

/* §1.7: power-up F0 values; SOY's log shows 0x00010030 for the first 32-bit read of 0x00. */
static void test_cyw43439_model_f0_power_up_values(void **state)
{
	struct tb *t = *state;

	tb_power_on(t);
	assert_int_equal(tb_r(t, 0, 0x00, 4), 0x00010030u);
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFEEDBEADu);
	assert_int_equal(tb_r(t, 0, 0x08, 4), 0);
	assert_int_equal(tb_r(t, 0, 0x04, 2), 0);
	/* R/W test register */
	tb_w(t, 0, 0x18, 4, 0x12345678u);
	assert_int_equal(tb_r(t, 0, 0x18, 4), 0x12345678u);
	/* a 1-byte write changes only its byte */
	tb_w(t, 0, 0x18, 1, 0xAA);
	assert_int_equal(tb_r(t, 0, 0x18, 4), 0x123456AAu);
	assert_int_equal(t->nviol, 0);
}

/* §1.6: bytes past the length of an F0 read are the following registers. */
static void test_cyw43439_model_f0_bytes_beyond_len(void **state)
{
	struct tb *t = *state;
	uint8_t cmd[4], rx[4];

	tb_power_on(t);
	tb_bus_up(t); /* leaves int enable 0x00BE */
	tb_word_to_wire(t->mode, tb_cmd(false, true, 0, 0x04, 2), cmd);
	assert_int_equal(nb_gspi_cmd_read(&t->bus, cmd, rx, 4), 0);
	assert_int_equal(tb_wire_to_word(t->mode, rx), 0x00BE0000u);
}

/* §1.9: interrupt register is write-1-to-clear; §1.10: the status word reports it. */
static void test_cyw43439_model_interrupt_w1c_and_status(void **state)
{
	struct tb *t = *state;
	uint8_t junk[4];

	tb_power_on(t);
	tb_bus_up(t);
	/* An F2 read with nothing to read latches DATA_UNAVAILABLE. */
	assert_int_equal(tb_read(t, 2, 0, 4, junk), 0);
	assert_int_equal(t->status & 1, 1);
	assert_int_equal(tb_r(t, 0, 0x04, 2) & 1, 1);
	tb_w(t, 0, 0x04, 1, 0x00); /* writing 0 clears nothing */
	assert_int_equal(tb_r(t, 0, 0x04, 2) & 1, 1);
	tb_w(t, 0, 0x04, 1, 0x01);
	assert_int_equal(tb_r(t, 0, 0x04, 2) & 1, 0);
	assert_int_equal(t->status & 1, 0);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->f2_read_empty, 1);
}

/* Status phase with STATUS_ENABLE off: nobody drives the line, it reads 0x00. */
static void test_cyw43439_model_status_disabled_reads_zero(void **state)
{
	struct tb *t = *state;
	uint8_t junk[4], st[4];

	tb_power_on(t);
	tb_bus_up_cd(t);
	assert_int_equal(tb_read(t, 2, 0, 4, junk), 0); /* latches DATA_UNAVAILABLE */
	assert_int_equal(nb_gspi_last_status(&t->bus, st), 0);
	assert_memory_equal(st, ((uint8_t[]){ 0, 0, 0, 0 }), 4);
	assert_int_equal(tb_r(t, 0, 0x08, 4) & 1, 1); /* but the register has it */
}

static void test_cyw43439_model_read_only_f0_write_is_violation(void **state)
{
	struct tb *t = *state;

	tb_power_on(t);
	tb_bus_up(t);
	tb_w(t, 0, 0x14, 4, 0);
	assert_true(tb_has_violation(t, "read-only F0 register 0x14"));
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFEEDBEADu);
	tb_w(t, 0, 0x30, 1, 0);
	assert_true(tb_has_violation(t, "unimplemented F0 address 0x30"));
	/* CD's write of 0x08 to F0 0xF0 is accepted silently (§1.7). */
	unsigned before = t->nviol;

	tb_w(t, 0, 0xF0, 1, 0x08);
	assert_int_equal(t->nviol, before);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->violations, before);
}

/* Strict mode: a 32-bit command while the chip is still in 16-bit mode. */
static void test_cyw43439_model_wrong_word_mode_rejected(void **state)
{
	struct tb *t = *state;
	const uint8_t cmd_be[4] = { 0x40, 0x00, 0xA0, 0x04 }; /* R F0 0x14 in 32-bit format */
	uint8_t rx[4];

	tb_power_on(t);
	assert_int_equal(nb_gspi_cmd_read(&t->bus, cmd_be, rx, 4), 0);
	assert_memory_equal(rx, ((uint8_t[]){ 0xFF, 0xFF, 0xFF, 0xFF }), 4);
	assert_int_equal(t->nviol, 1);
	assert_true(tb_has_violation(t, "wrong word mode"));
	assert_true(tb_has_violation(t, "16-bit (power-up) mode"));
	assert_true(tb_has_violation(t, "F0 R 0x00014 len 4"));
}

/* The opposite mistake: a driver still formatting 16-bit words after switching to 32-bit. */
static void test_cyw43439_model_stale_16bit_write_rejected(void **state)
{
	struct tb *t = *state;

	tb_power_on(t);
	tb_bus_up(t);
	t->mode = TB_16;
	tb_w(t, 0, 0x18, 4, 0xCAFEF00Du);
	t->mode = TB_32BE;
	assert_true(tb_has_violation(t, "wrong word mode"));
	assert_true(tb_has_violation(t, "32-bit mode (word MSB first)"));
	assert_int_equal(tb_r(t, 0, 0x18, 4), 0x12345678u);
}

static void test_cyw43439_model_wrong_word_mode_served_in_lax(void **state)
{
	struct tb t;
	struct nb_cyw43439_model_cfg cfg = { .lax = true };
	const uint8_t cmd_be[4] = { 0x40, 0x00, 0xA0, 0x04 };
	uint8_t rx[4];

	tb_init(&t, &cfg);
	tb_power_on(&t);
	assert_int_equal(nb_gspi_cmd_read(&t.bus, cmd_be, rx, 4), 0);
	assert_memory_equal(rx, ((uint8_t[]){ 0xFE, 0xED, 0xBE, 0xAD }), 4);
	assert_int_equal(nb_cyw43439_model_stats(t.m)->violations, 1);
	tb_fini(&t);
	(void)state;
}

/* WL_REG_ON: off means no answer (the host's pull-down: zeros) and a violation; a rising
 * edge resets the chip to 16-bit mode; just after power-up the bus is not ready yet. */
static void test_cyw43439_model_power_cycle_resets(void **state)
{
	struct tb *t = *state;
	uint8_t rx[4];

	assert_int_equal(tb_read(t, 0, 0x14, 4, rx), 0);
	assert_memory_equal(rx, ((uint8_t[]){ 0, 0, 0, 0 }), 4);
	assert_true(tb_has_violation(t, "WL_REG_ON is low"));
	assert_false(nb_cyw43439_model_powered(t->m));
	tb_power_on(t);
	tb_bus_up(t);
	assert_int_equal(t->mode, TB_32BE);
	assert_int_equal(nb_gpio_write(&t->gpio, NB_CYW43439_PIN_WL_REG_ON, false), 0);
	tb_advance(t, 1000000);
	assert_int_equal(nb_gpio_write(&t->gpio, NB_CYW43439_PIN_WL_REG_ON, true), 0);
	t->mode = TB_16;
	assert_int_equal(tb_read(t, 0, 0x14, 4, rx), 0); /* within power_on_ns: nothing */
	assert_memory_equal(rx, ((uint8_t[]){ 0, 0, 0, 0 }), 4);
	tb_advance(t, 2000000);
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFEEDBEADu);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->power_cycles, 2);
}

static void on_irq(void *ctx)
{
	(*(unsigned *)ctx)++;
}

/* HOST_WAKE = (interrupt & enable) != 0, active high with INTERRUPT_POLARITY_HIGH. */
static void test_cyw43439_model_host_wake_level_and_polarity(void **state)
{
	struct tb *t = *state;
	unsigned irqs = 0;
	uint8_t junk[4];

	assert_int_equal(nb_gpio_set_irq(&t->gpio, NB_CYW43439_PIN_HOST_WAKE,
					 NB_GPIO_IRQ_RISING, on_irq, &irqs), 0);
	assert_int_equal(nb_gpio_set_dir(&t->gpio, NB_CYW43439_PIN_HOST_WAKE, true, false),
			 -EPERM);
	tb_power_on(t);
	tb_bus_up(t);
	assert_int_equal(nb_gpio_read(&t->gpio, NB_CYW43439_PIN_HOST_WAKE), 0);
	tb_w(t, 0, 0x06, 2, 0x0001); /* enable DATA_UNAVAILABLE only */
	assert_int_equal(tb_read(t, 2, 0, 4, junk), 0);
	assert_int_equal(nb_gpio_read(&t->gpio, NB_CYW43439_PIN_HOST_WAKE), 1);
	assert_int_equal(irqs, 1);
	tb_w(t, 0, 0x06, 2, 0x0000); /* masked: line drops although the cause stays */
	assert_int_equal(nb_gpio_read(&t->gpio, NB_CYW43439_PIN_HOST_WAKE), 0);
	tb_w(t, 0, 0x06, 2, 0x0001);
	assert_int_equal(irqs, 2);
	/* polarity low: bus control without bit 5 */
	tb_w(t, 0, 0x00, 1, 0x91);
	assert_int_equal(nb_gpio_read(&t->gpio, NB_CYW43439_PIN_HOST_WAKE), 0);
	tb_w(t, 0, 0x04, 1, 0x01);
	assert_int_equal(nb_gpio_read(&t->gpio, NB_CYW43439_PIN_HOST_WAKE), 1);
}

static void test_cyw43439_model_fault_read_ones_and_eio(void **state)
{
	struct tb *t = *state;
	uint8_t rx[4];

	tb_power_on(t);
	tb_bus_up(t);
	nb_cyw43439_model_inject_fault(t->m, NB_CYW43439_FAULT_READ_ONES, 2);
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFFFFFFFFu);
	assert_int_equal(t->status, 0xFFFFFFFFu);
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFFFFFFFFu);
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFEEDBEADu);
	nb_cyw43439_model_inject_fault(t->m, NB_CYW43439_FAULT_EIO, 1);
	assert_int_equal(tb_read(t, 0, 0x14, 4, rx), -EIO);
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFEEDBEADu);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->faults_injected, 3);
	/* a lost write: the chip did not take it */
	nb_cyw43439_model_inject_fault(t->m, NB_CYW43439_FAULT_READ_ONES, 1);
	tb_w(t, 0, 0x18, 4, 0x55555555u);
	assert_int_equal(tb_r(t, 0, 0x18, 4), 0x12345678u);
}

/* Sampling one bit late: FE ED BE AD arrives as FD DB 7D 5A (plus the status MSB). */
static void test_cyw43439_model_fault_shift_one_bit(void **state)
{
	struct tb *t = *state;

	tb_power_on(t);
	tb_bus_up(t);
	nb_cyw43439_model_inject_fault(t->m, NB_CYW43439_FAULT_SHIFT1, 1);
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFDDB7D5Au);
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFEEDBEADu);
}

struct trace_rec {
	unsigned n;
	struct nb_cyw43439_trace last;
	uint8_t data[8];
	char text[160];
};

static void on_trace(void *ctx, const struct nb_cyw43439_trace *tr)
{
	struct trace_rec *r = ctx;

	r->n++;
	r->last = *tr;
	memcpy(r->data, tr->data, tr->data_len < 8 ? tr->data_len : 8);
	nb_cyw43439_trace_format(tr, r->text, sizeof(r->text));
}

static void test_cyw43439_model_trace_and_time_charge(void **state)
{
	struct tb *t = *state;
	struct trace_rec r = { 0 };
	uint64_t t0;

	tb_power_on(t);
	nb_cyw43439_model_set_trace_cb(t->m, on_trace, &r);
	t0 = nb_sim_now(t->sim);
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFEEDBEADu);
	/* 4 command + 4 data + 4 status bytes = 96 clocks at 31.25 MHz */
	assert_int_equal(nb_sim_now(t->sim) - t0, 3072);
	assert_int_equal(r.n, 1);
	assert_false(r.last.write);
	assert_int_equal(r.last.func, 0);
	assert_int_equal(r.last.addr, 0x14);
	assert_int_equal(r.last.len, 4);
	assert_int_equal(r.last.word_bits, 16);
	assert_int_equal(r.last.data_len, 4);
	assert_memory_equal(r.data, ((uint8_t[]){ 0xAD, 0xBE, 0xED, 0xFE }), 4);
	assert_string_equal(r.text, "R F0 0x00014 len 4 [4: ad be ed fe] st 00000000");
}

static void test_cyw43439_model_time_charge_follows_clock(void **state)
{
	struct tb t;
	struct nb_cyw43439_model_cfg cfg = { .gspi_hz = 10000000 };
	uint64_t t0;

	tb_init(&t, &cfg);
	tb_power_on(&t);
	t0 = nb_sim_now(t.sim);
	(void)tb_r(&t, 0, 0x14, 4);
	assert_int_equal(nb_sim_now(t.sim) - t0, 9600);
	tb_fini(&t);
	(void)state;
}

/* A level interrupt armed while the line is active fires from a zero-delay timer, not from
 * inside set_irq() (the SDK re-enables its level IRQ after each poll). */
static void test_cyw43439_model_level_irq_rearm(void **state)
{
	struct tb *t = *state;
	unsigned irqs = 0;
	uint8_t junk[4];

	tb_power_on(t);
	tb_bus_up(t);
	tb_w(t, 0, 0x06, 2, 0x0001);
	assert_int_equal(tb_read(t, 2, 0, 4, junk), 0); /* line goes high */
	assert_int_equal(nb_gpio_set_irq(&t->gpio, NB_CYW43439_PIN_HOST_WAKE,
					 NB_GPIO_IRQ_LEVEL_HIGH, on_irq, &irqs), 0);
	assert_int_equal(irqs, 0);
	tb_advance(t, 1);
	assert_int_equal(irqs, 1);
	assert_int_equal(nb_gpio_set_irq(&t->gpio, NB_CYW43439_PIN_HOST_WAKE, NB_GPIO_IRQ_NONE,
					 NULL, NULL), 0);
	tb_w(t, 0, 0x04, 1, 0x01);
	assert_int_equal(tb_read(t, 2, 0, 4, junk), 0);
	tb_advance(t, 1);
	assert_int_equal(irqs, 1); /* disarmed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_cyw43439_model_test_pattern_16bit_wire_bytes),
		T(test_cyw43439_model_word_mode_switch_on_next_transaction),
		T(test_cyw43439_model_f0_power_up_values),
		T(test_cyw43439_model_f0_bytes_beyond_len),
		T(test_cyw43439_model_interrupt_w1c_and_status),
		T(test_cyw43439_model_status_disabled_reads_zero),
		T(test_cyw43439_model_read_only_f0_write_is_violation),
		T(test_cyw43439_model_wrong_word_mode_rejected),
		T(test_cyw43439_model_stale_16bit_write_rejected),
		cmocka_unit_test(test_cyw43439_model_wrong_word_mode_served_in_lax),
		T(test_cyw43439_model_power_cycle_resets),
		T(test_cyw43439_model_host_wake_level_and_polarity),
		T(test_cyw43439_model_fault_read_ones_and_eio),
		T(test_cyw43439_model_fault_shift_one_bit),
		T(test_cyw43439_model_trace_and_time_charge),
		cmocka_unit_test(test_cyw43439_model_time_charge_follows_clock),
		T(test_cyw43439_model_level_irq_rearm),
#undef T
	};

	return cmocka_run_group_tests_name("cyw43439_model_gspi", tests, NULL, NULL);
}
