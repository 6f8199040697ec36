/* SPDX-License-Identifier: MIT */
#include "tests/unit/cyw43439_model/tb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cyw43439/fwimage.h"
#include "tests/unit/support/test_support.h"

const char tb_nvram[] = "NVRAMRev=$Rev$\0manfid=0x2d0\0boardtype=0x0887\0"
			"macaddr=00:A0:50:b5:59:5e\0xtalfreq=37400\0\0";
const size_t tb_nvram_len = sizeof(tb_nvram) - 1;

static void on_violation(void *ctx, const char *what, uint64_t t_ns)
{
	struct tb *t = ctx;

	(void)t_ns;
	if (getenv("NB_TEST_VERBOSE"))
		fprintf(stderr, "violation: %s\n", what);
	if (t->nviol < 32)
		snprintf(t->viol[t->nviol], sizeof(t->viol[0]), "%s", what);
	t->nviol++;
}

static void on_irq(void *ctx)
{
	((struct tb *)ctx)->irqs++;
}

void tb_init(struct tb *t, const struct nb_cyw43439_model_cfg *cfg)
{
	struct nb_sim_cfg sc = { 0 };

	memset(t, 0, sizeof(*t));
	t->sim = nb_sim_new(&sc);
	assert_non_null(t->sim);
	t->m = nb_cyw43439_model_new(t->sim, cfg);
	assert_non_null(t->m);
	t->bus = nb_cyw43439_model_gspi(t->m);
	t->gpio = nb_cyw43439_model_gpio(t->m);
	nb_cyw43439_model_set_violation_cb(t->m, on_violation, t);
	t->status_on = true;
	t->window = 0xAAAAAAAAu;
	t->credit = 1;
	(void)on_irq;
}

void tb_fini(struct tb *t)
{
	nb_cyw43439_model_free(t->m);
	nb_sim_free(t->sim);
}

void tb_advance(struct tb *t, uint64_t ns)
{
	nb_sim_advance_to(t->sim, nb_sim_now(t->sim) + ns);
}

void tb_power_on(struct tb *t)
{
	assert_int_equal(nb_gpio_set_dir(&t->gpio, NB_CYW43439_PIN_WL_REG_ON, true, false), 0);
	tb_advance(t, 20 * 1000000ull);
	assert_int_equal(nb_gpio_write(&t->gpio, NB_CYW43439_PIN_WL_REG_ON, true), 0);
	tb_advance(t, 250 * 1000000ull);
	t->mode = TB_16;
	t->status_on = true;
	t->pad = 0;
	t->window = 0xAAAAAAAAu;
}

bool tb_has_violation(const struct tb *t, const char *needle)
{
	for (unsigned i = 0; i < t->nviol && i < 32; i++)
		if (strstr(t->viol[i], needle))
			return true;
	return false;
}

/* ---- wire format (§1.4, §1.5) ------------------------------------------------------------ */

uint32_t tb_cmd(bool write, bool incr, unsigned func, uint32_t addr, unsigned len)
{
	return (uint32_t)write << 31 | (uint32_t)incr << 30 | (uint32_t)(func & 3) << 28 |
	       (addr & 0x1FFFFu) << 11 | (len & 0x7FFu);
}

void tb_word_to_wire(enum tb_mode mode, uint32_t w, uint8_t o[4])
{
	switch (mode) {
	case TB_16: /* low half-word first, each half MSB first */
		o[0] = (uint8_t)(w >> 8);
		o[1] = (uint8_t)w;
		o[2] = (uint8_t)(w >> 24);
		o[3] = (uint8_t)(w >> 16);
		break;
	case TB_32BE: /* whole word MSB first */
		o[0] = (uint8_t)(w >> 24);
		o[1] = (uint8_t)(w >> 16);
		o[2] = (uint8_t)(w >> 8);
		o[3] = (uint8_t)w;
		break;
	case TB_32LE: /* memory order */
		o[0] = (uint8_t)w;
		o[1] = (uint8_t)(w >> 8);
		o[2] = (uint8_t)(w >> 16);
		o[3] = (uint8_t)(w >> 24);
		break;
	}
}

uint32_t tb_wire_to_word(enum tb_mode mode, const uint8_t i[4])
{
	switch (mode) {
	case TB_16:
		return (uint32_t)i[0] << 8 | i[1] | (uint32_t)i[2] << 24 | (uint32_t)i[3] << 16;
	case TB_32BE:
		return (uint32_t)i[0] << 24 | (uint32_t)i[1] << 16 | (uint32_t)i[2] << 8 | i[3];
	default:
		return i[0] | (uint32_t)i[1] << 8 | (uint32_t)i[2] << 16 | (uint32_t)i[3] << 24;
	}
}

static void mem_to_wire(enum tb_mode mode, const uint8_t *mem, uint8_t *wire, size_t n)
{
	for (size_t i = 0; i < n; i += 4) {
		uint32_t w = mem[i] | (uint32_t)mem[i + 1] << 8 | (uint32_t)mem[i + 2] << 16 |
			     (uint32_t)mem[i + 3] << 24;

		tb_word_to_wire(mode, w, wire + i);
	}
}

static void wire_to_mem(enum tb_mode mode, const uint8_t *wire, uint8_t *mem, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i += 4) {
		uint32_t w = tb_wire_to_word(mode, wire + i);

		mem[i] = (uint8_t)w;
		mem[i + 1] = (uint8_t)(w >> 8);
		mem[i + 2] = (uint8_t)(w >> 16);
		mem[i + 3] = (uint8_t)(w >> 24);
	}
}

static void get_status(struct tb *t)
{
	uint8_t st[4];

	assert_int_equal(nb_gspi_last_status(&t->bus, st), 0);
	t->status = tb_wire_to_word(t->mode, st);
}

int tb_read(struct tb *t, unsigned func, uint32_t addr, size_t len, uint8_t *out)
{
	uint8_t cmd[4], rx[2400], mem[2400] = { 0 };
	size_t pad = func == 1 ? t->pad : 0, words = (len + 3) & ~(size_t)3;
	int rc;

	tb_word_to_wire(t->mode, tb_cmd(false, true, func, addr, (unsigned)len), cmd);
	rc = nb_gspi_cmd_read(&t->bus, cmd, rx, pad + words);
	if (rc)
		return rc;
	get_status(t);
	wire_to_mem(t->mode, rx + pad, mem, words);
	memcpy(out, mem, len);
	return 0;
}

int tb_write(struct tb *t, unsigned func, uint32_t addr, const uint8_t *in, size_t len)
{
	uint8_t cmd[4], mem[2400] = { 0 }, wire[2400];
	size_t words = (len + 3) & ~(size_t)3;
	int rc;

	memcpy(mem, in, len);
	mem_to_wire(t->mode, mem, wire, words);
	tb_word_to_wire(t->mode, tb_cmd(true, true, func, addr, (unsigned)len), cmd);
	rc = nb_gspi_cmd_write(&t->bus, cmd, wire, words);
	if (rc)
		return rc;
	get_status(t);
	return 0;
}

uint32_t tb_r(struct tb *t, unsigned func, uint32_t addr, size_t len)
{
	uint8_t b[4] = { 0 };

	assert_int_equal(tb_read(t, func, addr, len, b), 0);
	return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

void tb_w(struct tb *t, unsigned func, uint32_t addr, size_t len, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	assert_int_equal(tb_write(t, func, addr, b, len), 0);
}

/* ---- bring-up -------------------------------------------------------------------------- */

void tb_bus_up(struct tb *t)
{
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFEEDBEADu);
	tb_w(t, 0, 0x18, 4, 0x12345678u);
	assert_int_equal(tb_r(t, 0, 0x18, 4), 0x12345678u);
	tb_w(t, 0, 0x00, 4, 0x000304B1u); /* 32-bit, MSB first, status on, wake-up */
	t->mode = TB_32BE;
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFEEDBEADu);
	tb_w(t, 0, 0x1D, 1, 4);
	t->pad = 4;
	tb_w(t, 0, 0x04, 1, 0x99);
	tb_w(t, 0, 0x06, 2, 0x00BE);
}

void tb_bus_up_cd(struct tb *t)
{
	assert_int_equal(tb_r(t, 0, 0x14, 4), 0xFEEDBEADu);
	tb_w(t, 0, 0x00, 4, 0x000204B3u); /* 32-bit, ENDIAN_BIG, status off */
	t->mode = TB_32LE;
	t->status_on = false;
	assert_int_equal(tb_r(t, 0, 0x00, 4) & 0xFFFF, 0x04B3u);
	tb_w(t, 0, 0x1D, 1, 16);
	t->pad = 16;
	tb_w(t, 0, 0x04, 1, 0x99);
	tb_w(t, 0, 0x06, 2, 0x00BE);
}

void tb_alp(struct tb *t)
{
	tb_w(t, 1, 0x1000E, 1, 0x08);
	for (int i = 0; i < 20 && !(tb_r(t, 1, 0x1000E, 1) & 0x40); i++)
		tb_advance(t, 1000000);
	assert_true(tb_r(t, 1, 0x1000E, 1) & 0x40);
	tb_w(t, 1, 0x1000E, 1, 0x00);
}

static void set_window(struct tb *t, uint32_t bp)
{
	uint32_t w = bp & ~0x7FFFu;

	if ((w ^ t->window) & 0xFF000000u)
		tb_w(t, 1, 0x1000C, 1, w >> 24);
	if ((w ^ t->window) & 0x00FF0000u)
		tb_w(t, 1, 0x1000B, 1, (w >> 16) & 0xFF);
	if ((w ^ t->window) & 0x0000FF00u)
		tb_w(t, 1, 0x1000A, 1, (w >> 8) & 0xFF);
	t->window = w;
}

static void bp_xfer(struct tb *t, uint32_t bp, uint8_t *buf, size_t len, bool write)
{
	while (len) {
		size_t n = len < 64 ? len : 64, room = 0x8000 - (bp & 0x7FFF);

		if (n > room)
			n = room;
		set_window(t, bp);
		if (write)
			assert_int_equal(tb_write(t, 1, bp & 0x7FFF, buf, n), 0);
		else
			assert_int_equal(tb_read(t, 1, bp & 0x7FFF, n, buf), 0);
		bp += (uint32_t)n;
		buf += n;
		len -= n;
	}
}

void tb_bp_write(struct tb *t, uint32_t bp, const uint8_t *buf, size_t len)
{
	bp_xfer(t, bp, (uint8_t *)buf, len, true);
}

void tb_bp_read(struct tb *t, uint32_t bp, uint8_t *buf, size_t len)
{
	bp_xfer(t, bp, buf, len, false);
}

uint32_t tb_bp_r(struct tb *t, uint32_t bp, size_t len)
{
	set_window(t, bp);
	return tb_r(t, 1, (bp & 0x7FFF) | (len == 4 ? 0x8000 : 0), len);
}

void tb_bp_w(struct tb *t, uint32_t bp, size_t len, uint32_t v)
{
	set_window(t, bp);
	tb_w(t, 1, (bp & 0x7FFF) | (len == 4 ? 0x8000 : 0), len, v);
}

void tb_core_reset(struct tb *t, uint32_t wrap)
{
	(void)tb_bp_r(t, wrap + 0x800, 1);
	if (!(tb_bp_r(t, wrap + 0x800, 1) & 1)) {
		tb_bp_w(t, wrap + 0x408, 1, 0x00);
		(void)tb_bp_r(t, wrap + 0x408, 1);
		tb_advance(t, 1000000);
		tb_bp_w(t, wrap + 0x800, 1, 0x01);
		tb_advance(t, 1000000);
	}
	tb_bp_w(t, wrap + 0x408, 1, 0x03);
	(void)tb_bp_r(t, wrap + 0x408, 1);
	tb_bp_w(t, wrap + 0x800, 1, 0x00);
	tb_advance(t, 1000000);
	tb_bp_w(t, wrap + 0x408, 1, 0x01);
	(void)tb_bp_r(t, wrap + 0x408, 1);
	tb_advance(t, 1000000);
}

void tb_download(struct tb *t, const uint8_t *fw, size_t fw_len, const char *nvram,
		 size_t nv_len)
{
	size_t l4 = (nv_len + 3) & ~(size_t)3;
	uint8_t nv[2048] = { 0 };

	assert_true(tb_bp_r(t, 0x18103800, 1) & 1); /* WLAN core in reset at power-up */
	tb_core_reset(t, 0x18104000);
	tb_bp_w(t, 0x18004010, 4, 3);
	tb_bp_w(t, 0x18004044, 4, 0);
	tb_bp_write(t, 0, fw, fw_len);
	memcpy(nv, nvram, nv_len);
	tb_bp_write(t, 0x80000 - 4 - (uint32_t)l4, nv, l4);
	tb_bp_w(t, 0x7FFFC, 4, (uint32_t)((~(l4 / 4) & 0xFFFF) << 16 | (l4 / 4)));
}

bool tb_boot(struct tb *t, uint64_t seed)
{
	static uint8_t img[64 * 1024];
	size_t len = 40000 + (size_t)(seed % 1000);

	tb_power_on(t);
	tb_bus_up(t);
	tb_alp(t);
	assert_int_equal(nb_fwimage_build(seed, len, img), 0);
	tb_download(t, img, len, tb_nvram, tb_nvram_len);
	tb_core_reset(t, 0x18103000);
	for (int i = 0; i < 1000 && !(tb_r(t, 1, 0x1000E, 1) & 0x80); i++)
		tb_advance(t, 1000000);
	tb_bp_w(t, 0x18002024, 4, 0xF0);
	tb_w(t, 0, 0x06, 2, 0x0020);
	tb_w(t, 1, 0x10008, 1, 0x20);
	for (int i = 0; i < 1000; i++) {
		if (tb_r(t, 0, 0x08, 4) & 0x20)
			return true;
		tb_advance(t, 1000000);
	}
	return false;
}

/* ---- SDPCM host ------------------------------------------------------------------------ */

int tb_f2_send(struct tb *t, unsigned chan, unsigned hdrlen, const uint8_t *payload, size_t len)
{
	uint8_t f[2048] = { 0 };
	size_t size = hdrlen + len;

	f[0] = (uint8_t)size;
	f[1] = (uint8_t)(size >> 8);
	f[2] = (uint8_t)~size;
	f[3] = (uint8_t)(~size >> 8);
	f[4] = t->seq++;
	f[5] = (uint8_t)chan;
	f[7] = (uint8_t)hdrlen;
	if (len)
		memcpy(f + hdrlen, payload, len);
	return tb_write(t, 2, 0, f, (size + 3) & ~(size_t)3);
}

static void record(struct tb *t, const uint8_t *f, size_t len)
{
	unsigned hl = f[7], chan = f[5] & 0x0F;

	if (len < 12 || hl > len)
		return;
	t->credit = f[9];
	if (chan == 1 && len >= hl + 4u + 4u * f[hl + 3] + 72u) {
		const uint8_t *e = f + hl + 4 + 4 * f[hl + 3], *msg = e + 24;
		struct tb_event *ev;

		if (e[12] != 0x88 || e[13] != 0x6C || t->nev >= 64)
			return;
		ev = &t->ev[t->nev++];
		memset(ev, 0, sizeof(*ev));
		ev->flags = (uint16_t)(msg[2] << 8 | msg[3]);
#define BE32(p) ((uint32_t)(p)[0] << 24 | (uint32_t)(p)[1] << 16 | (uint32_t)(p)[2] << 8 | (p)[3])
		ev->type = BE32(msg + 4);
		ev->status = BE32(msg + 8);
		ev->reason = BE32(msg + 12);
		ev->auth_type = BE32(msg + 16);
		ev->datalen = BE32(msg + 20);
#undef BE32
		memcpy(ev->addr, msg + 24, 6);
		ev->ifidx = msg[46];
		if (ev->datalen <= sizeof(ev->data) && 48 + ev->datalen <= len - (size_t)(msg - f))
			memcpy(ev->data, msg + 48, ev->datalen);
	} else if (chan == 2 && t->ndata < 16) {
		size_t off = hl + 4u + 4u * f[hl + 3];

		t->data_len[t->ndata] = len - off;
		memcpy(t->data[t->ndata++], f + off, len - off);
	}
}

size_t tb_f2_poll(struct tb *t)
{
	uint32_t st = tb_r(t, 0, 0x08, 4);
	size_t len;

	if (!(st & 0x100))
		return 0;
	len = (st >> 9) & 0x7FF;
	assert_int_equal(tb_read(t, 2, 0, len, t->last_frame), 0);
	t->last_frame_len = len;
	t->nframes_rx++;
	record(t, t->last_frame, len);
	return len;
}

void tb_pump(struct tb *t, uint64_t ns)
{
	uint64_t end = nb_sim_now(t->sim) + ns;

	do {
		while (tb_f2_poll(t))
			;
		if (nb_sim_now(t->sim) >= end)
			break;
		tb_advance(t, 100000);
	} while (1);
}

int tb_ioctl(struct tb *t, uint32_t cmd, bool set, uint8_t *buf, size_t len)
{
	uint8_t p[1600] = { 0 };
	uint16_t id = ++t->ioctl_id;

	p[0] = (uint8_t)cmd;
	p[1] = (uint8_t)(cmd >> 8);
	p[4] = (uint8_t)len;
	p[5] = (uint8_t)(len >> 8);
	p[8] = set ? 2 : 0;
	p[10] = (uint8_t)id;
	p[11] = (uint8_t)(id >> 8);
	if (len)
		memcpy(p + 16, buf, len);
	assert_int_equal(tb_f2_send(t, 0, 12, p, 16 + len), 0);
	for (int i = 0; i < 10000; i++) {
		size_t n = tb_f2_poll(t);
		const uint8_t *f = t->last_frame, *c = f + f[7];

		if (n && (f[5] & 0x0F) == 0 && (c[10] | c[11] << 8) == id) {
			size_t rl = c[4] | (size_t)c[5] << 8;

			if (len)
				memcpy(buf, c + 16, rl < len ? rl : len);
			return (int)(int32_t)(c[12] | (uint32_t)c[13] << 8 | (uint32_t)c[14] << 16 |
					      (uint32_t)c[15] << 24);
		}
		if (!n)
			tb_advance(t, 100000);
	}
	return 1000;
}

int tb_iovar_set(struct tb *t, const char *name, const void *val, size_t vlen)
{
	uint8_t b[1600];
	size_t nl = strlen(name) + 1;

	memcpy(b, name, nl);
	memcpy(b + nl, val, vlen);
	return tb_ioctl(t, 263, true, b, nl + vlen);
}

int tb_iovar_set_u32(struct tb *t, const char *name, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	return tb_iovar_set(t, name, b, 4);
}

int tb_iovar_get(struct tb *t, const char *name, void *out, size_t out_len)
{
	uint8_t b[1600] = { 0 };
	size_t nl = strlen(name) + 1, n = out_len > nl ? out_len : nl;
	int rc;

	memcpy(b, name, nl);
	rc = tb_ioctl(t, 262, false, b, n);
	memcpy(out, b, out_len);
	return rc;
}

int tb_ioctl_u32(struct tb *t, uint32_t cmd, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	return tb_ioctl(t, cmd, true, b, 4);
}

void tb_wifi_init(struct tb *t)
{
	uint8_t clm[12 + 100] = { 0x06, 0x10, 0x02, 0x00, 100, 0, 0, 0, 0, 0, 0, 0,
				  'B', 'L', 'O', 'B' };
	uint8_t mask[4 + 24];
	uint8_t st[4];

	assert_int_equal(tb_iovar_set(t, "clmload", clm, sizeof(clm)), 0);
	assert_int_equal(tb_iovar_get(t, "clmload_status", st, 4), 0);
	assert_int_equal(st[0] | st[1] | st[2] | st[3], 0);
	assert_int_equal(tb_iovar_set_u32(t, "bus:txglom", 0), 0);
	assert_int_equal(tb_iovar_set_u32(t, "apsta", 1), 0);
	memset(mask, 0, 4);
	memset(mask + 4, 0xFF, 24);
	for (unsigned e = 0; e < 192; e++)
		if (e == 19 || e == 40 || e == 44 || e == 54 || e == 71 || e == 137)
			mask[4 + e / 8] &= (uint8_t)~(1u << (e % 8));
	assert_int_equal(tb_iovar_set(t, "bsscfg:event_msgs", mask, sizeof(mask)), 0);
	assert_int_equal(tb_ioctl(t, 2, true, NULL, 0), 0);
}

int tb_find_event(const struct tb *t, uint32_t type, unsigned from)
{
	for (unsigned i = from; i < t->nev; i++)
		if (t->ev[i].type == type)
			return (int)i;
	return -1;
}
