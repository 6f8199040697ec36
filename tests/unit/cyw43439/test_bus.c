/* SPDX-License-Identifier: MIT */
/*
 * The gSPI bus and backplane layers of the CYW43439 driver, driven directly (white box,
 * through drivers/cyw43439/internal.h) against the chip model: command words, 16-bit power-up
 * mode, the shifted first read, the 32-bit switch, status word on/off, F1 response delay,
 * window caching, 64-byte transfers that never cross a window, core reset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "tests/unit/cyw43439/rig.h"
#include "tests/unit/support/test_support.h"

struct tx_log {
	unsigned n;
	struct nb_cyw43439_trace t[512];
	uint8_t data[512][64];
};

static struct tx_log *tlog;

static void log_trace(void *ctx, const struct nb_cyw43439_trace *t)
{
	struct tx_log *l = ctx;

	if (l->n >= 512)
		return;
	l->t[l->n] = *t;
	if (t->data && t->data_len)
		memcpy(l->data[l->n], t->data, t->data_len < 64 ? t->data_len : 64);
	l->n++;
}

/* Power the chip through the driver's own GPIO view and let the model come up. */
static struct rig *powered_rig(const struct rig_opts *o)
{
	struct rig *r = rig_new(o);

	assert_int_equal(nb_gpio_set_dir(&r->cfg.gpio, NB_CYW43439_PIN_WL_REG_ON, true, false), 0);
	nb_sim_advance_to(r->sim, nb_sim_now(r->sim) + 20 * NB_NS_PER_MS);
	assert_int_equal(nb_gpio_write(&r->cfg.gpio, NB_CYW43439_PIN_WL_REG_ON, true), 0);
	nb_sim_advance_to(r->sim, nb_sim_now(r->sim) + 250 * NB_NS_PER_MS);
	tlog = calloc(1, sizeof(*tlog));
	assert_non_null(tlog);
	nb_cyw43439_model_set_trace_cb(r->m, log_trace, tlog);
	return r;
}

static void done_rig(struct rig *r)
{
	rig_free(r);
	free(tlog);
	tlog = NULL;
}

static void configured(struct rig *r)
{
	int ret;

	do
		ret = cyw_bus_probe(&r->drv);
	while (ret == 2);
	assert_int_equal(ret, 0);
	assert_int_equal(cyw_bus_configure(&r->drv), 0);
}

/* ALP up and SOCSRAM out of reset: what the strict model requires before RAM access. */
static void backplane_ready(struct rig *r)
{
	uint32_t v = 0;
	uint8_t phase = 0;
	uint64_t wait = 0;
	int ret;

	configured(r);
	assert_int_equal(cyw_reg_write(&r->drv, CYW_F1, CYW_F1_CHIP_CLOCK_CSR, 1,
				       CYW_CLK_ALP_AVAIL_REQ), 0);
	for (int i = 0; i < 20 && !(v & CYW_CLK_ALP_AVAIL); i++) {
		nb_sim_advance_to(r->sim, nb_sim_now(r->sim) + NB_NS_PER_MS);
		assert_int_equal(cyw_reg_read(&r->drv, CYW_F1, CYW_F1_CHIP_CLOCK_CSR, 1, &v), 0);
	}
	assert_true(v & CYW_CLK_ALP_AVAIL);
	assert_int_equal(cyw_reg_write(&r->drv, CYW_F1, CYW_F1_CHIP_CLOCK_CSR, 1, 0), 0);
	while ((ret = cyw_core_step(&r->drv, CYW_BP_SOCSRAM_WRAPPER, CYW_CORE_RESET, &phase,
				    &wait)) == 1)
		nb_sim_advance_to(r->sim, nb_sim_now(r->sim) + wait);
	assert_int_equal(ret, 0);
	assert_int_equal(cyw_bp_write(&r->drv, CYW_BP_SOCSRAM_BANKX_INDEX, 4, 3), 0);
	assert_int_equal(cyw_bp_write(&r->drv, CYW_BP_SOCSRAM_BANKX_PDA, 4, 0), 0);
}

static void test_bus_command_word_layout(void **state)
{
	(void)state;
	/* §1.4: write<<31 | incr<<30 | func<<28 | addr<<11 | len */
	assert_int_equal(cyw_bus_cmd(false, CYW_F0, 0x14, 4), 0x4000A004u);
	assert_int_equal(cyw_bus_cmd(true, CYW_F1, 0x1000E, 1), 0xD8007001u);
	assert_int_equal(cyw_bus_cmd(true, CYW_F2, 0, 1536), 0xE0000600u);
	/* 2048 wraps to 0 in the 11-bit field; the address never spills into it */
	assert_int_equal(cyw_bus_cmd(false, CYW_F2, 0, 2048) & 0x7FFu, 0);
	assert_int_equal(cyw_bus_cmd(false, CYW_F1, 0x1FFFF, 64), 0x5FFFF840u);
}

static void test_bus_probe_reads_pattern_in_16bit_mode(void **state)
{
	struct rig *r = powered_rig(NULL);

	(void)state;
	assert_int_equal(cyw_bus_probe(&r->drv), 0);
	assert_int_equal(tlog->n, 1);
	/* the model decoded our command in 16-bit mode as a 4-byte F0 read of 0x14 */
	assert_int_equal(tlog->t[0].word_bits, 16);
	assert_false(tlog->t[0].write);
	assert_int_equal(tlog->t[0].func, 0);
	assert_int_equal(tlog->t[0].addr, CYW_F0_TEST_RO);
	assert_int_equal(tlog->t[0].len, 4);
	assert_int_equal(tlog->t[0].result, 0);
	assert_int_equal(r->violations, 0);
	done_rig(r);
}

static void test_bus_shifted_first_read_is_retried(void **state)
{
	struct rig *r = powered_rig(NULL);

	(void)state;
	nb_cyw43439_model_inject_fault(r->m, NB_CYW43439_FAULT_SHIFT1, 1);
	assert_int_equal(cyw_bus_probe(&r->drv), 2); /* recognised as the shift quirk */
	assert_int_equal(nb_cyw43439_stats(&r->drv)->test_pattern_shifted, 1);
	assert_int_equal(cyw_bus_probe(&r->drv), 0);
	/* garbage (no chip answering) is not mistaken for the quirk */
	nb_cyw43439_model_inject_fault(r->m, NB_CYW43439_FAULT_READ_ONES, 1);
	assert_int_equal(cyw_bus_probe(&r->drv), 1);
	assert_int_equal(nb_cyw43439_stats(&r->drv)->test_pattern_shifted, 1);
	done_rig(r);
}

static void test_bus_switches_to_32bit_with_status(void **state)
{
	struct rig *r = powered_rig(NULL);
	uint8_t f0[4];
	uint32_t v;

	(void)state;
	configured(r);
	assert_int_equal(nb_cyw43439_model_peek_f0(r->m, 0, f0, 4), 0);
	assert_int_equal(f0[0] & 0x03, 0x03);          /* WORD32 + ENDIAN_BIG */
	assert_int_equal(f0[2] & 0x03, 0x03);          /* STATUS_ENABLE + INTR_WITH_STATUS */
	assert_int_equal(r->drv.bus.f1_pad, 4);
	/* the write that switched was sent in 16-bit format, the read after it in 32-bit */
	for (unsigned i = 0; i < tlog->n; i++) {
		if (tlog->t[i].write && tlog->t[i].func == 0 && tlog->t[i].addr == 0 &&
		    tlog->t[i].len == 4) {
			assert_int_equal(tlog->t[i].word_bits, 16);
			assert_true(i + 1 < tlog->n);
			assert_int_equal(tlog->t[i + 1].word_bits, 32);
			assert_true(tlog->t[i + 1].big_endian);
		}
	}
	/* the appended status word is the one the chip sent */
	assert_int_equal(cyw_reg_read(&r->drv, CYW_F0, CYW_F0_TEST_RO, 4, &v), 0);
	assert_int_equal(v, CYW_TEST_PATTERN);
	assert_true(tlog->t[tlog->n - 1].status_sent);
	assert_true(r->drv.bus.status_valid);
	assert_int_equal(r->drv.bus.status, tlog->t[tlog->n - 1].status);
	assert_int_equal(r->violations, 0);
	done_rig(r);
}

static void test_bus_status_disabled_reads_status_register(void **state)
{
	struct rig_opts o = { .drv = { .status_disabled = true } };
	struct rig *r = powered_rig(&o);
	uint8_t f0[4];
	uint32_t st = 0;

	(void)state;
	configured(r);
	assert_int_equal(nb_cyw43439_model_peek_f0(r->m, 0, f0, 4), 0);
	assert_int_equal(f0[2] & 0x03, 0x02); /* status word off */
	assert_false(r->drv.bus.status_valid);
	assert_false(tlog->t[tlog->n - 1].status_sent);
	assert_int_equal(cyw_bus_status(&r->drv, &st), 0);
	assert_int_equal(tlog->t[tlog->n - 1].addr, CYW_F0_STATUS);
	assert_int_equal(st, tlog->t[tlog->n - 1].status);
	assert_int_equal(r->violations, 0);
	done_rig(r);
}

/* The F1 read pad: data sits behind resp_delay bytes; with the wrong pad the value is lost. */
static void check_pad(uint8_t pad)
{
	struct rig_opts o = { .drv = { .f1_resp_delay = pad } };
	struct rig *r = powered_rig(&o);
	uint32_t v;

	configured(r);
	assert_int_equal(r->drv.bus.f1_pad, pad);
	assert_int_equal(cyw_reg_write(&r->drv, CYW_F1, CYW_F1_WATERMARK, 1, 0x10), 0);
	assert_int_equal(cyw_reg_read(&r->drv, CYW_F1, CYW_F1_WATERMARK, 1, &v), 0);
	assert_int_equal(v, 0x10);
	/* a driver that disagrees with the chip about the pad reads the wrong bytes */
	r->drv.bus.f1_pad = pad == 4 ? 8 : 4;
	assert_int_equal(cyw_reg_read(&r->drv, CYW_F1, CYW_F1_WATERMARK, 1, &v), 0);
	assert_int_not_equal(v, 0x10);
	assert_int_equal(r->violations, 0);
	done_rig(r);
}

static void test_bus_f1_response_delay_4_and_16(void **state)
{
	(void)state;
	check_pad(4);
	check_pad(16);
}

static unsigned window_writes(unsigned from)
{
	unsigned n = 0;

	for (unsigned i = from; i < tlog->n; i++)
		if (tlog->t[i].write && tlog->t[i].func == 1 && tlog->t[i].addr >= CYW_F1_WIN_LOW &&
		    tlog->t[i].addr <= CYW_F1_WIN_HIGH)
			n++;
	return n;
}

static void test_backplane_window_is_cached(void **state)
{
	struct rig *r = powered_rig(NULL);
	uint32_t v;
	unsigned mark;

	(void)state;
	backplane_ready(r);
	mark = tlog->n;
	assert_int_equal(cyw_bp_read(&r->drv, CYW_BP_CHIPCOMMON, 2, &v), 0);
	assert_int_equal(v, CYW_CHIP_ID);
	assert_int_equal(window_writes(mark), 0); /* same window as the SOCSRAM bank writes */
	mark = tlog->n;
	assert_int_equal(cyw_bp_read(&r->drv, CYW_BP_WLAN_WRAPPER + CYW_WRAP_RESETCTRL, 1, &v), 0);
	/* only MID changes (0x00 -> 0x10); the byte goes out before the access */
	assert_int_equal(window_writes(mark), 1);
	assert_int_equal(tlog->t[mark].addr, CYW_F1_WIN_MID);
	assert_int_equal(tlog->data[mark][0], 0x10);
	assert_int_equal(tlog->t[mark + 1].bp_addr, CYW_BP_WLAN_WRAPPER + CYW_WRAP_RESETCTRL);
	mark = tlog->n;
	assert_int_equal(cyw_bp_read(&r->drv, CYW_BP_WLAN_WRAPPER + CYW_WRAP_IOCTRL, 1, &v), 0);
	assert_int_equal(window_writes(mark), 0);
	/* RAM at 0x7FFFC: HIGH 0x00, MID 0x07, LOW 0x80 all differ from 0x18100000 */
	mark = tlog->n;
	assert_int_equal(cyw_bp_read(&r->drv, CYW_NVRAM_LEN_WORD, 4, &v), 0);
	assert_int_equal(window_writes(mark), 3);
	assert_int_equal(tlog->t[mark].addr, CYW_F1_WIN_HIGH);
	assert_int_equal(tlog->t[mark + 1].addr, CYW_F1_WIN_MID);
	assert_int_equal(tlog->t[mark + 2].addr, CYW_F1_WIN_LOW);
	assert_int_equal(tlog->t[mark + 3].addr, 0x7FFCu | CYW_BP_32BIT_FLAG);
	assert_int_equal(r->violations, 0);
	done_rig(r);
}

static void test_backplane_64_byte_transfers_never_cross_a_window(void **state)
{
	struct rig *r = powered_rig(NULL);
	uint8_t data[300], back[300], peek[300];
	const uint32_t base = 0x7F00; /* 256 bytes below the 0x8000 window edge */
	unsigned mark;

	(void)state;
	backplane_ready(r);
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	mark = tlog->n;
	for (uint32_t off = 0; off < sizeof(data);) {
		size_t n = cyw_bp_chunk(base + off, sizeof(data) - off);

		assert_int_equal(cyw_bp_write_block(&r->drv, base + off, data + off, n), 0);
		off += (uint32_t)n;
	}
	for (uint32_t off = 0; off < sizeof(data);) {
		size_t n = cyw_bp_chunk(base + off, sizeof(data) - off);

		assert_int_equal(cyw_bp_read_block(&r->drv, base + off, back + off, n), 0);
		off += (uint32_t)n;
	}
	assert_memory_equal(back, data, sizeof(data));
	assert_int_equal(nb_cyw43439_model_peek_backplane(r->m, base, peek, sizeof(peek)), 0);
	assert_memory_equal(peek, data, sizeof(data));
	for (unsigned i = mark; i < tlog->n; i++) {
		const struct nb_cyw43439_trace *t = &tlog->t[i];

		if (t->func != 1 || t->addr >= 0x10000)
			continue;
		assert_true(t->len <= 64);
		assert_true((t->addr & 0x7FFF) + t->len <= 0x8000);
	}
	/* the edge is honoured: a chunk stops exactly at 0x8000 */
	assert_int_equal(cyw_bp_chunk(0x7FF0, 200), 16);
	assert_int_equal(cyw_bp_chunk(0x8000, 200), 64);
	assert_int_equal(cyw_bp_chunk(0x8000, 5), 5);
	assert_int_equal(r->violations, 0);
	done_rig(r);
}

static void test_backplane_block_refuses_window_crossing(void **state)
{
	struct rig *r = powered_rig(NULL);
	uint8_t data[64] = { 0 };
	unsigned mark;

	(void)state;
	backplane_ready(r);
	mark = tlog->n;
	assert_int_equal(cyw_bp_write_block(&r->drv, 0x7FF0, data, 32), -NB_EINVAL);
	assert_int_equal(cyw_bp_write_block(&r->drv, 0x100, data, 65), -NB_EINVAL);
	assert_int_equal(cyw_bp_read_block(&r->drv, 0x102, data, 8), -NB_EINVAL); /* unaligned */
	assert_int_equal(tlog->n, mark); /* nothing reached the bus */
	done_rig(r);
}

static void test_backplane_core_disable_reset_is_up(void **state)
{
	struct rig *r = powered_rig(NULL);
	uint8_t phase = 0;
	uint64_t wait = 0;
	int ret;

	(void)state;
	backplane_ready(r);
	/* SOCSRAM was reset by backplane_ready: it is up */
	assert_int_equal(cyw_core_is_up(&r->drv, CYW_BP_SOCSRAM_WRAPPER), 0);
	/* the WLAN core is held in reset at power-up: disable is a no-op, is_up says no */
	assert_int_equal(cyw_core_step(&r->drv, CYW_BP_WLAN_WRAPPER, CYW_CORE_DISABLE, &phase,
				       &wait), 0);
	assert_int_equal(cyw_core_is_up(&r->drv, CYW_BP_WLAN_WRAPPER), -NB_EIO);
	/* a running core is put into reset with the 1 ms waits as deadlines */
	phase = 0;
	while ((ret = cyw_core_step(&r->drv, CYW_BP_SOCSRAM_WRAPPER, CYW_CORE_DISABLE, &phase,
				    &wait)) == 1) {
		assert_int_equal(wait, NB_NS_PER_MS);
		nb_sim_advance_to(r->sim, nb_sim_now(r->sim) + wait);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(cyw_core_is_up(&r->drv, CYW_BP_SOCSRAM_WRAPPER), -NB_EIO);
	assert_int_equal(r->violations, 0);
	done_rig(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bus_command_word_layout),
		cmocka_unit_test(test_bus_probe_reads_pattern_in_16bit_mode),
		cmocka_unit_test(test_bus_shifted_first_read_is_retried),
		cmocka_unit_test(test_bus_switches_to_32bit_with_status),
		cmocka_unit_test(test_bus_status_disabled_reads_status_register),
		cmocka_unit_test(test_bus_f1_response_delay_4_and_16),
		cmocka_unit_test(test_backplane_window_is_cached),
		cmocka_unit_test(test_backplane_64_byte_transfers_never_cross_a_window),
		cmocka_unit_test(test_backplane_block_refuses_window_crossing),
		cmocka_unit_test(test_backplane_core_disable_reset_is_up),
	};

	return cmocka_run_group_tests_name("cyw43439_bus", tests, NULL, NULL);
}
