/* SPDX-License-Identifier: MIT */
/* CYW43439 model, F1: window, local registers, clocks, cores, limits (reference §2.1-§2.8). */
#include <string.h>

#include "tests/unit/cyw43439_model/tb.h"
#include "tests/unit/support/test_support.h"

static int setup(void **state)
{
	static struct tb t;

	tb_init(&t, NULL);
	tb_power_on(&t);
	tb_bus_up(&t);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	tb_fini(*state);
	return 0;
}

/* §2.4: ALP comes some time after the first request and stays. */
static void test_cyw43439_model_alp_clock_timing(void **state)
{
	struct tb *t = *state;

	assert_int_equal(tb_r(t, 1, 0x1000E, 1), 0x00);
	tb_w(t, 1, 0x1000E, 1, 0x08);
	assert_int_equal(tb_r(t, 1, 0x1000E, 1), 0x08); /* requested, not yet available */
	tb_advance(t, 1000000);
	assert_int_equal(tb_r(t, 1, 0x1000E, 1), 0x48);
	tb_w(t, 1, 0x1000E, 1, 0x00);
	assert_int_equal(tb_r(t, 1, 0x1000E, 1), 0x40);
	/* WHD reads 0x1000E as 16 bits (with 0x1000F) */
	assert_int_equal(tb_r(t, 1, 0x1000E, 2), 0x0040);
	assert_int_equal(tb_r(t, 1, 0x1000E, 1) & 0x80, 0); /* no HT without firmware */
	assert_int_equal(t->nviol, 0);
}

/* §2.10 I1: the window is dead before ALP; local registers (watermark) work. */
static void test_cyw43439_model_backplane_before_alp_is_violation(void **state)
{
	struct tb *t = *state;

	tb_w(t, 1, 0x10008, 1, 0x10); /* EMB's pre-ALP watermark probe */
	assert_int_equal(tb_r(t, 1, 0x10008, 1), 0x10);
	assert_int_equal(t->nviol, 0);
	tb_w(t, 1, 0x1000C, 1, 0x18);
	assert_int_equal(tb_r(t, 1, 0x0000, 2), 0xFFFF); /* refused in strict mode */
	assert_int_equal(t->nviol, 1);
	assert_true(tb_has_violation(t, "before the ALP clock"));
	assert_true(tb_has_violation(t, "F1 R 0x00000 len 2 (BP 0x18000000)"));
}

/* §2.3: R16 of the chip ID through the window (Embassy's access). */
static void test_cyw43439_model_chip_id(void **state)
{
	struct tb *t = *state;

	tb_alp(t);
	tb_w(t, 1, 0x1000C, 1, 0x18);
	tb_w(t, 1, 0x1000B, 1, 0x00);
	tb_w(t, 1, 0x1000A, 1, 0x00);
	assert_int_equal(tb_r(t, 1, 0x0000, 2), 0xA9AF);
	assert_int_equal(tb_r(t, 1, 0x8000, 4) & 0xFFFF, 0xA9AF); /* bit 15 flag ignored */
	assert_int_equal(t->nviol, 0);
}

/* §2.1.6: the response delay. CD: 16 pad bytes; WHD: 0x1D never written, 0x01 = 4 and the
 * length field includes the pad. The value sits in the low bytes of the first data word. */
static void test_cyw43439_model_f1_response_delay_pad(void **state)
{
	struct tb *t = *state;
	uint8_t cmd[4], rx[32];

	tb_alp(t);
	tb_w(t, 0, 0x1D, 1, 16);
	tb_word_to_wire(t->mode, tb_cmd(false, true, 1, 0x1000E, 1), cmd);
	memset(rx, 0x77, sizeof(rx));
	assert_int_equal(nb_gspi_cmd_read(&t->bus, cmd, rx, 16 + 4), 0);
	for (int i = 0; i < 16; i++)
		assert_int_equal(rx[i], 0x00);
	assert_int_equal(tb_wire_to_word(t->mode, rx + 16) & 0xFF, 0x40);
	/* bytes past len in the last word are undefined on the chip: not 0x40's neighbours */
	assert_int_equal((tb_wire_to_word(t->mode, rx + 16) >> 8) & 0xFF, 0xEA);
}

static void test_cyw43439_model_f1_pad_from_0x01_when_0x1d_unwritten(void **state)
{
	struct tb t;
	uint8_t cmd[4], rx[8];

	(void)state;
	tb_init(&t, NULL);
	tb_power_on(&t);
	assert_int_equal(tb_r(&t, 0, 0x14, 4), 0xFEEDBEADu);
	tb_w(&t, 0, 0x00, 4, 0x000204A3u); /* WHD: 32-bit, ENDIAN_BIG, 0x01 = 4, status off */
	t.mode = TB_32LE;
	tb_w(&t, 1, 0x1000E, 1, 0x08);
	tb_advance(&t, 2000000);
	tb_word_to_wire(t.mode, tb_cmd(false, true, 1, 0x1000E, 1 + 4), cmd);
	assert_int_equal(nb_gspi_cmd_read(&t.bus, cmd, rx, 8), 0);
	assert_int_equal(tb_wire_to_word(t.mode, rx + 4) & 0xFF, 0x48);
	assert_int_equal(t.nviol, 0);
	tb_fini(&t);
}

/* §1.11 / §2.10 I2: at most 64 bytes per F1 transaction, never across a 32 KB window. */
static void test_cyw43439_model_f1_limits(void **state)
{
	struct tb *t = *state;
	uint8_t buf[128] = { 1, 2, 3 };

	tb_alp(t);
	tb_core_reset(t, 0x18104000);
	tb_bp_w(t, 0x18004010, 4, 3);
	tb_bp_w(t, 0x18004044, 4, 0);
	tb_bp_write(t, 0x7FC0, buf, 64); /* window 0, last 64 bytes: fine */
	assert_int_equal(t->nviol, 0);
	assert_int_equal(tb_write(t, 1, 0x7FE0, buf, 64), 0); /* crosses into the next window */
	assert_true(tb_has_violation(t, "crosses the 32 KB backplane window"));
	assert_int_equal(tb_write(t, 1, 0x0000, buf, 128), 0);
	assert_true(tb_has_violation(t, "F1 transfer of 128 bytes (limit 64)"));
	assert_int_equal(t->nviol, 2);
	/* neither was performed */
	uint8_t back[64];

	nb_cyw43439_model_peek_backplane(t->m, 0, back, 64);
	assert_int_equal(back[0], 0);
	/* unaligned 4-byte single */
	tb_w(t, 1, 0x8002, 4, 0x11223344);
	assert_true(tb_has_violation(t, "unaligned"));
}

/* §2.1.5: Embassy sends odd lengths, soypat clocks one extra word; only len bytes land. */
static void test_cyw43439_model_f1_write_framings(void **state)
{
	struct tb *t = *state;
	uint8_t data[64], back[48], cmd[4], wire[48];

	tb_alp(t);
	tb_core_reset(t, 0x18104000);
	tb_bp_w(t, 0x18004010, 4, 3);
	tb_bp_w(t, 0x18004044, 4, 0);
	for (int i = 0; i < 64; i++)
		data[i] = (uint8_t)(0x10 + i);
	tb_bp_write(t, 0x100, data, 37);
	/* soypat: length field 40, 11 words on the wire; the extra word must not land */
	memset(wire, 0xCC, sizeof(wire));
	for (int w = 0; w < 10; w++) {
		uint32_t v = data[4 * w] | (uint32_t)data[4 * w + 1] << 8 |
			     (uint32_t)data[4 * w + 2] << 16 | (uint32_t)data[4 * w + 3] << 24;

		tb_word_to_wire(t->mode, v, wire + 4 * w);
	}
	tb_word_to_wire(t->mode, tb_cmd(true, true, 1, 0x200, 40), cmd);
	assert_int_equal(nb_gspi_cmd_write(&t->bus, cmd, wire, 44), 0);
	nb_cyw43439_model_peek_backplane(t->m, 0x100, back, 40);
	assert_memory_equal(back, data, 37);
	assert_int_equal(back[37], 0);
	nb_cyw43439_model_peek_backplane(t->m, 0x200, back, 44);
	assert_memory_equal(back, data, 40);
	assert_int_equal(back[40], 0);
	assert_int_equal(t->nviol, 0);
}

/* §2.2: cores start in reset; disable/reset/is-up semantics; RAM needs SOCSRAM up (I4). */
static void test_cyw43439_model_core_reset_sequences(void **state)
{
	struct tb *t = *state;
	uint8_t b[4] = { 0xAB, 0xCD, 0xEF, 0x01 };

	tb_alp(t);
	assert_int_equal(tb_bp_r(t, 0x18103800, 1), 1);
	assert_int_equal(tb_bp_r(t, 0x18104800, 1), 1);
	assert_int_equal(tb_bp_r(t, 0x18104804, 1), 0); /* resetstatus: nothing pending */
	tb_bp_write(t, 0x1000, b, 4); /* SOCSRAM still in reset */
	assert_true(tb_has_violation(t, "SOCSRAM is in reset"));
	t->nviol = 0;
	tb_core_reset(t, 0x18104000);
	assert_int_equal(tb_bp_r(t, 0x18104408, 1) & 3, 1);
	assert_int_equal(tb_bp_r(t, 0x18104800, 1), 0);
	/* SOCSRAM bank registers are plain storage */
	tb_bp_w(t, 0x18004010, 4, 3);
	tb_bp_w(t, 0x18004044, 4, 0);
	assert_int_equal(tb_bp_r(t, 0x18004010, 4), 3);
	tb_bp_write(t, 0x1000, b, 4);
	assert_int_equal(tb_bp_r(t, 0x1000, 4), 0x01EFCDABu);
	/* disable: ioctrl 0, resetctrl 1, read back at once (SOY checks right after writing) */
	tb_bp_w(t, 0x18104408, 1, 0x00);
	tb_bp_w(t, 0x18104800, 1, 0x01);
	assert_int_equal(tb_bp_r(t, 0x18104800, 1), 1);
	/* SDIO core registers */
	tb_bp_w(t, 0x18002024, 4, 0xF0);
	assert_int_equal(tb_bp_r(t, 0x18002024, 4), 0xF0);
	tb_bp_w(t, 0x18000000, 4, 0); /* chip ID is read-only */
	assert_true(tb_has_violation(t, "read-only backplane register 0x18000000"));
	(void)tb_bp_r(t, 0x18005000, 4);
	assert_true(tb_has_violation(t, "unmodelled backplane register 0x18005000"));
}

/* §2.8.4: KSO. DEVON follows KSO after a short lag; never 0xFF; window dead while asleep. */
static void test_cyw43439_model_kso_sleep_and_wake(void **state)
{
	struct tb *t = *state;

	tb_alp(t);
	assert_int_equal(tb_r(t, 1, 0x1001F, 1), 0x03); /* awake at power-up */
	tb_w(t, 1, 0x1001F, 1, 0x00);
	tb_w(t, 1, 0x1001F, 1, 0x00);
	assert_int_equal(tb_r(t, 1, 0x1001F, 1) & 1, 0);
	tb_advance(t, 1000000);
	assert_int_equal(tb_r(t, 1, 0x1001F, 1), 0x00);
	(void)tb_bp_r(t, 0x18000000, 2);
	assert_true(tb_has_violation(t, "while the bus sleeps"));
	t->nviol = 0;
	tb_w(t, 1, 0x1001E, 1, 0x02); /* local registers keep working */
	assert_int_equal(tb_r(t, 1, 0x1001E, 1), 0x02);
	tb_w(t, 1, 0x1001F, 1, 0x01);
	tb_w(t, 1, 0x1001F, 1, 0x01);
	assert_int_equal(tb_r(t, 1, 0x1001F, 1), 0x01); /* DEVON lags: CD retries */
	tb_advance(t, 1000000);
	tb_w(t, 1, 0x1001F, 1, 0x01);
	assert_int_equal(tb_r(t, 1, 0x1001F, 1), 0x03);
	assert_int_equal(tb_bp_r(t, 0x18000000, 2), 0xA9AF);
	assert_int_equal(t->nviol, 0);
}

/* cyw43-driver's exact bring-up accesses (§2.9.1 steps 4-10), CD framing: ENDIAN_BIG,
 * status off, 16 pad bytes, bit 15 on every backplane access, window restored each time. */
static void test_cyw43439_model_cd_style_core_access(void **state)
{
	struct tb t;

	(void)state;
	tb_init(&t, NULL);
	tb_power_on(&t);
	tb_bus_up_cd(&t);
	tb_w(&t, 1, 0x1000E, 1, 0x08);
	for (int i = 0; i < 10 && !(tb_r(&t, 1, 0x1000E, 1) & 0x40); i++)
		tb_advance(&t, 1000000);
	tb_w(&t, 1, 0x1000E, 1, 0x00);
	for (int k = 0; k < 2; k++) { /* R8 BP 0x18103800 twice, window restored each time */
		tb_w(&t, 1, 0x1000C, 1, 0x18);
		tb_w(&t, 1, 0x1000B, 1, 0x10);
		assert_int_equal(tb_r(&t, 1, 0xB800, 1) & 1, 1);
		tb_w(&t, 1, 0x1000B, 1, 0x00);
	}
	tb_w(&t, 1, 0x1000B, 1, 0x10);
	tb_w(&t, 1, 0xC408, 1, 0x03);
	tb_w(&t, 1, 0xC800, 1, 0x00);
	tb_w(&t, 1, 0xC408, 1, 0x01);
	assert_int_equal(tb_r(&t, 1, 0xC408, 1), 0x01);
	tb_w(&t, 1, 0x1000B, 1, 0x00);
	tb_w(&t, 1, 0xC010, 4, 3);
	tb_w(&t, 1, 0xC044, 4, 0);
	tb_w(&t, 0, 0xF0, 1, 0x08);
	assert_int_equal(t.nviol, 0);
	assert_int_equal(nb_cyw43439_model_stats(t.m)->warnings, 0);
	tb_fini(&t);
}

/* §3.9: frame control bit0 discards the pending F2 frame; read-frame byte count shows it. */
static void test_cyw43439_model_frame_control_and_unknown_local(void **state)
{
	struct tb *t = *state;

	(void)tb_r(t, 1, 0x10015, 1);
	assert_true(tb_has_violation(t, "unmodelled F1 register 0x10015"));
	assert_int_equal(tb_r(t, 1, 0x1000D, 1), 0); /* self-clearing */
}

/* Lax mode serves what strict mode refuses, and still counts it. */
static void test_cyw43439_model_lax_serves_and_counts(void **state)
{
	struct tb t;
	struct nb_cyw43439_model_cfg cfg = { .lax = true };
	uint8_t buf[128], back[128];

	(void)state;
	tb_init(&t, &cfg);
	tb_power_on(&t);
	tb_bus_up(&t);
	tb_w(&t, 1, 0x1000C, 1, 0x18);
	assert_int_equal(tb_r(&t, 1, 0x0000, 2), 0xA9AF); /* before ALP: served */
	tb_alp(&t);
	tb_w(&t, 1, 0x1000C, 1, 0x00); /* window 0, SOCSRAM still in reset */
	for (int i = 0; i < 128; i++)
		buf[i] = (uint8_t)i;
	assert_int_equal(tb_write(&t, 1, 0x0000, buf, 128), 0);
	nb_cyw43439_model_peek_backplane(t.m, 0, back, 128);
	assert_memory_equal(back, buf, 128);
	/* before ALP, over 64 bytes, SOCSRAM in reset; plus the bank-3 warning */
	assert_int_equal(nb_cyw43439_model_stats(t.m)->violations, 3);
	assert_int_equal(nb_cyw43439_model_stats(t.m)->warnings, 1);
	tb_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_cyw43439_model_alp_clock_timing),
		T(test_cyw43439_model_backplane_before_alp_is_violation),
		T(test_cyw43439_model_chip_id),
		T(test_cyw43439_model_f1_response_delay_pad),
		cmocka_unit_test(test_cyw43439_model_f1_pad_from_0x01_when_0x1d_unwritten),
		T(test_cyw43439_model_f1_limits),
		T(test_cyw43439_model_f1_write_framings),
		T(test_cyw43439_model_core_reset_sequences),
		T(test_cyw43439_model_kso_sleep_and_wake),
		cmocka_unit_test(test_cyw43439_model_cd_style_core_access),
		T(test_cyw43439_model_frame_control_and_unknown_local),
		cmocka_unit_test(test_cyw43439_model_lax_serves_and_counts),
#undef T
	};

	return cmocka_run_group_tests_name("cyw43439_model_backplane", tests, NULL, NULL);
}
