/* SPDX-License-Identifier: MIT */
/* The bring-up sequences of the open drivers as reference §2.9 lists them, each with its own
 * framing quirks, must pass the strict model without a single violation or warning. */
#include <string.h>

#include "drivers/util/compiler.h"
#include "sim/cyw43439/fwimage.h"
#include "tests/unit/cyw43439_model/tb.h"
#include "tests/unit/support/test_support.h"

#define MS 1000000ull

static uint8_t img[240 * 1024];

struct drv {
	struct tb t;
	bool flag15;      /* CD: bit 15 on every backplane access */
	bool restore;     /* CD: window back to 0x18000000 after single accesses */
	bool extra_word;  /* SOY: one more data word clocked after every bulk write */
	bool len_plus_pad;/* WHD: F1 read length field includes the pad */
};

/* ---- F1 with the driver's framing --------------------------------------------------- */

static uint32_t f1_r(struct drv *d, uint32_t addr, size_t len)
{
	struct tb *t = &d->t;
	uint8_t cmd[4], rx[64];
	unsigned field = (unsigned)len + (d->len_plus_pad ? t->pad : 0);

	tb_word_to_wire(t->mode, tb_cmd(false, true, 1, addr, field), cmd);
	assert_int_equal(nb_gspi_cmd_read(&t->bus, cmd, rx, t->pad + 4), 0);
	return tb_wire_to_word(t->mode, rx + t->pad) & (len == 4 ? 0xFFFFFFFFu : (1u << (8 * len)) - 1);
}

static void f1_wx(struct drv *d, uint32_t addr, const uint8_t *buf, size_t len, bool bulk)
{
	struct tb *t = &d->t;
	uint8_t cmd[4], wire[72] = { 0 }, mem[72] = { 0 };
	size_t words = (len + 3) & ~(size_t)3;

	memcpy(mem, buf, len);
	for (size_t i = 0; i < words + 4; i += 4)
		tb_word_to_wire(t->mode, nb_get_le32(mem + i), wire + i);
	tb_word_to_wire(t->mode, tb_cmd(true, true, 1, addr, (unsigned)len), cmd);
	assert_int_equal(nb_gspi_cmd_write(&t->bus, cmd, wire,
					   words + (bulk && d->extra_word ? 4 : 0)),
			 0);
}

static void f1_w(struct drv *d, uint32_t addr, const uint8_t *buf, size_t len)
{
	f1_wx(d, addr, buf, len, false);
}

static void f1_w8(struct drv *d, uint32_t addr, uint8_t v)
{
	uint8_t b[4] = { v };

	f1_w(d, addr, b, 1);
}

static void window(struct drv *d, uint32_t bp)
{
	uint32_t w = bp & ~0x7FFFu;

	if ((w ^ d->t.window) >> 24)
		f1_w8(d, 0x1000C, (uint8_t)(w >> 24));
	if (((w ^ d->t.window) >> 16) & 0xFF)
		f1_w8(d, 0x1000B, (uint8_t)(w >> 16));
	if (((w ^ d->t.window) >> 8) & 0xFF)
		f1_w8(d, 0x1000A, (uint8_t)(w >> 8));
	d->t.window = w;
}

static uint32_t flag(const struct drv *d, uint32_t off, size_t len)
{
	return off | ((d->flag15 || len == 4) ? 0x8000u : 0);
}

static uint32_t bp_r(struct drv *d, uint32_t bp, size_t len)
{
	uint32_t v;

	window(d, bp);
	v = f1_r(d, flag(d, bp & 0x7FFF, len), len);
	if (d->restore)
		window(d, 0x18000000);
	return v;
}

static void bp_w(struct drv *d, uint32_t bp, size_t len, uint32_t v)
{
	uint8_t b[4];

	nb_put_le32(b, v);
	window(d, bp);
	f1_w(d, flag(d, bp & 0x7FFF, len), b, len);
	if (d->restore)
		window(d, 0x18000000);
}

static void bulk(struct drv *d, uint32_t bp, const uint8_t *buf, size_t len)
{
	while (len) {
		size_t n = len < 64 ? len : 64;

		window(d, bp);
		f1_wx(d, d->flag15 ? (bp & 0x7FFF) | 0x8000 : bp & 0x7FFF, buf, n, true);
		bp += (uint32_t)n;
		buf += n;
		len -= n;
	}
}

/* disable (when not in reset, CD writes nothing) and reset of §2.2.3 */
static void core_reset(struct drv *d, uint32_t wrap)
{
	(void)bp_r(d, wrap + 0x800, 1);
	assert_int_equal(bp_r(d, wrap + 0x800, 1) & 1, 1);
	bp_w(d, wrap + 0x408, 1, 0x03);
	(void)bp_r(d, wrap + 0x408, 1);
	bp_w(d, wrap + 0x800, 1, 0x00);
	tb_advance(&d->t, MS);
	bp_w(d, wrap + 0x408, 1, 0x01);
	(void)bp_r(d, wrap + 0x408, 1);
	tb_advance(&d->t, MS);
}

static void download_and_start(struct drv *d, size_t fw_len, size_t fw_sent)
{
	size_t l4 = (tb_nvram_len + 3) & ~(size_t)3;
	uint8_t nv[1024] = { 0 };

	core_reset(d, 0x18104000);
	bp_w(d, 0x18004010, 4, 3);
	bp_w(d, 0x18004044, 4, 0);
	assert_int_equal(nb_fwimage_build(0xD0, fw_len, img), 0);
	bulk(d, 0, img, fw_sent);
	memcpy(nv, tb_nvram, tb_nvram_len);
	bulk(d, 0x80000 - 4 - (uint32_t)l4, nv, l4);
	bp_w(d, 0x7FFFC, 4, (uint32_t)((~(l4 / 4) & 0xFFFF) << 16 | (l4 / 4)));
	if (d->restore)
		window(d, 0x18000000);
	core_reset(d, 0x18103000);
	assert_int_equal(bp_r(d, 0x18103408, 1) & 3, 1);
	assert_int_equal(bp_r(d, 0x18103800, 1) & 1, 0);
	for (int i = 0; i < 1000 && !(f1_r(d, 0x1000E, 1) & 0x80); i++)
		tb_advance(&d->t, MS);
	assert_int_equal(f1_r(d, 0x1000E, 1) & 0x80, 0x80);
	bp_w(d, 0x18002024, 4, 0xF0);
}

static void f2_ready(struct drv *d)
{
	for (int i = 0; i < 1000 && !(tb_r(&d->t, 0, 0x08, 4) & 0x20); i++)
		tb_advance(&d->t, MS);
	assert_int_equal(tb_r(&d->t, 0, 0x08, 4) & 0x20, 0x20);
}

static void clean(struct drv *d)
{
	assert_int_equal(d->t.nviol, 0);
	assert_int_equal(nb_cyw43439_model_stats(d->t.m)->violations, 0);
	assert_int_equal(nb_cyw43439_model_stats(d->t.m)->warnings, 0);
	assert_int_equal(nb_cyw43439_model_fw_state(d->t.m), NB_CYW43439_FW_RUNNING);
}

/* §2.9.1: cyw43-driver as the Pico SDK builds it. */
static void test_cyw43439_model_bringup_cyw43_driver(void **state)
{
	struct drv d = { .flag15 = true, .restore = true };
	uint8_t clm[1008] = { 0x06, 0x10, 2, 0, 0xD8, 0x03, 0, 0, 0, 0, 0, 0, 'B', 'L', 'O', 'B' };
	uint8_t st[19], mac[20];
	uint32_t v;

	(void)state;
	tb_init(&d.t, NULL);
	tb_power_on(&d.t); /* 20 ms low / 250 ms high */
	tb_bus_up_cd(&d.t);
	d.t.window = 0; /* CD starts its cache at 0 */
	f1_w8(&d, 0x1000E, 0x08);
	for (int i = 0; i < 10 && !(f1_r(&d, 0x1000E, 1) & 0x40); i++)
		tb_advance(&d.t, MS);
	f1_w8(&d, 0x1000E, 0x00);
	(void)bp_r(&d, 0x18103800, 1); /* WLAN: already in reset, CD writes nothing */
	assert_int_equal(bp_r(&d, 0x18103800, 1) & 1, 1);
	download_and_start(&d, 224190, 224192); /* padded to a multiple of 4 */
	f1_w8(&d, 0x10008, 0x20);
	f2_ready(&d);
	v = f1_r(&d, 0x1001E, 1); /* KSO set-up (§2.8.4) */
	f1_w8(&d, 0x1001E, (uint8_t)(v | 0x02));
	tb_w(&d.t, 0, 0xF0, 1, 0x08);
	f1_w8(&d, 0x1000E, 0x02);
	v = f1_r(&d, 0x1001F, 1);
	if (!(v & 1))
		f1_w8(&d, 0x1001F, (uint8_t)(v | 0x01));
	f1_w8(&d, 0x1000F, 0x0F);
	f1_w8(&d, 0x1000F, 0x00);
	(void)f1_r(&d, 0x1000F, 1);
	v = tb_r(&d.t, 0, 0x04, 2);
	if (v & 1)
		tb_w(&d.t, 0, 0x04, 2, v);
	(void)bp_r(&d, 0x18000508, 4);
	for (int k = 0; k < 2; k++) /* bus wake */
		f1_w8(&d, 0x1001F, 0x01);
	for (int i = 0; i < 64 && (f1_r(&d, 0x1001F, 1) & 3) != 3; i++) {
		tb_advance(&d.t, MS);
		f1_w8(&d, 0x1001F, 0x01);
	}
	assert_int_equal(f1_r(&d, 0x1001F, 1) & 3, 3);
	/* SDPCM: one CLM chunk padded to 8 with junk, status with a 19-byte buffer */
	memset(clm + 12 + 984, 0x5A, sizeof(clm) - 12 - 984);
	assert_int_equal(tb_iovar_set(&d.t, "clmload", clm, sizeof(clm) - 8), 0);
	memset(st, 0, sizeof(st));
	assert_int_equal(tb_iovar_get(&d.t, "clmload_status", st, 19), 0);
	assert_int_equal(nb_get_le32(st), 0);
	assert_int_equal(tb_iovar_set_u32(&d.t, "bus:txglom", 0), 0);
	assert_int_equal(tb_iovar_set_u32(&d.t, "apsta", 1), 0);
	memset(mac, 0, sizeof(mac));
	assert_int_equal(tb_iovar_get(&d.t, "cur_etheraddr", mac, 20), 0);
	assert_memory_not_equal(mac, "\x00\xA0\x50\xB5\x59\x5E", 6); /* not the NVRAM default */
	clean(&d);
	tb_fini(&d.t);
}

/* §2.9.3: soypat (TinyGo). Status on, 4 pad bytes, the int-enable value written to the
 * W1C register, one extra word after every bulk write. */
static void test_cyw43439_model_bringup_soypat(void **state)
{
	struct drv d = { .extra_word = true };

	(void)state;
	tb_init(&d.t, NULL);
	tb_power_on(&d.t);
	assert_int_equal(tb_r(&d.t, 0, 0x14, 4), 0xFEEDBEADu);
	tb_w(&d.t, 0, 0x18, 4, 0x12345678u);
	assert_int_equal(tb_r(&d.t, 0, 0x18, 4), 0x12345678u);
	(void)tb_r(&d.t, 0, 0x00, 4);
	tb_w(&d.t, 0, 0x00, 4, 0x000304B1u);
	d.t.mode = TB_32BE;
	(void)tb_r(&d.t, 0, 0x00, 1);
	assert_int_equal(tb_r(&d.t, 0, 0x14, 4), 0xFEEDBEADu);
	assert_int_equal(tb_r(&d.t, 0, 0x18, 4), 0x12345678u);
	tb_w(&d.t, 0, 0x1D, 1, 4);
	d.t.pad = 4;
	tb_w(&d.t, 0, 0x04, 1, 0x99);
	tb_w(&d.t, 0, 0x04, 2, 0x00BE); /* meant for 0x06 */
	d.t.window = 0;
	f1_w8(&d, 0x1000E, 0x08);
	while (!(f1_r(&d, 0x1000E, 1) & 0x40))
		tb_advance(&d.t, MS);
	f1_w8(&d, 0x1000E, 0x00);
	f1_w8(&d, 0x1000C, 0x18); /* only HIGH differs from the cached window */
	d.t.window = 0x18000000;
	assert_int_equal(f1_r(&d, 0x0000, 2), 0xA9AF);
	(void)bp_r(&d, 0x18103800, 1);
	assert_int_equal(bp_r(&d, 0x18103800, 1) & 1, 1);
	download_and_start(&d, 230321, 230324);
	tb_w(&d.t, 0, 0x06, 2, 0x0020);
	f1_w8(&d, 0x10008, 0x20);
	f2_ready(&d);
	f1_w8(&d, 0x1000F, 0x00);
	(void)f1_r(&d, 0x1000F, 1);
	f1_w8(&d, 0x1000E, 0x10);
	for (int i = 0; i < 64 && !(f1_r(&d, 0x1000E, 1) & 0x80); i++)
		tb_advance(&d.t, MS);
	assert_int_equal(f1_r(&d, 0x1000E, 1) & 0x80, 0x80);
	/* CLM in 5 chunks, exact lengths; status with a 15-byte buffer */
	static const uint16_t flags[5] = { 0x1002, 0x1000, 0x1000, 0x1000, 0x1004 };
	uint8_t chunk[12 + 1024] = { 0 }, st[15];

	for (int i = 0; i < 5; i++) {
		uint32_t n = i < 4 ? 1024 : 656;

		nb_put_le16(chunk, flags[i]);
		nb_put_le16(chunk + 2, 2);
		nb_put_le32(chunk + 4, n);
		memcpy(chunk + 12, i ? "xxxx" : "BLOB", 4);
		assert_int_equal(tb_iovar_set(&d.t, "clmload", chunk, 12 + n), 0);
	}
	assert_int_equal(tb_iovar_get(&d.t, "clmload_status", st, 15), 0);
	assert_int_equal(nb_get_le32(st), 0);
	clean(&d);
	tb_fini(&d.t);
}

/* §2.9.4: WHD. 0x1D never written (pad from 0x01 = 4), read length fields carry the pad,
 * the ALP wait reads 16 bits, status off. */
static void test_cyw43439_model_bringup_whd(void **state)
{
	struct drv d = { .len_plus_pad = true };

	(void)state;
	tb_init(&d.t, NULL);
	tb_power_on(&d.t);
	assert_int_equal(tb_r(&d.t, 0, 0x14, 4), 0xFEEDBEADu);
	tb_w(&d.t, 0, 0x00, 4, 0x000204A3u);
	d.t.mode = TB_32LE;
	d.t.status_on = false;
	d.t.pad = 4;
	tb_w(&d.t, 0, 0x04, 1, 0x99);
	tb_w(&d.t, 0, 0x06, 2, 0x00BE);
	d.t.window = 0;
	f1_w8(&d, 0x1000E, 0x08);
	for (int i = 0; i < 100 && !(f1_r(&d, 0x1000E, 2) & 0x40); i++)
		tb_advance(&d.t, MS);
	f1_w8(&d, 0x1000E, 0x00);
	assert_int_equal(bp_r(&d, 0x18000000, 2), 0xA9AF);
	(void)bp_r(&d, 0x18103800, 1);
	assert_int_equal(bp_r(&d, 0x18103800, 1) & 1, 1);
	download_and_start(&d, 200000, 200000);
	f1_w8(&d, 0x10008, 0x20);
	f2_ready(&d);
	assert_int_equal(bp_r(&d, 0x18000508, 4), 0); /* no save/restore: WHD requests HT */
	f1_w8(&d, 0x1000E, 0x10);
	assert_int_equal(f1_r(&d, 0x1000E, 1) & 0x80, 0x80);
	clean(&d);
	tb_fini(&d.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cyw43439_model_bringup_cyw43_driver),
		cmocka_unit_test(test_cyw43439_model_bringup_soypat),
		cmocka_unit_test(test_cyw43439_model_bringup_whd),
	};

	return cmocka_run_group_tests_name("cyw43439_model_drivers", tests, NULL, NULL);
}
