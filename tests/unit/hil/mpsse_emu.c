/* SPDX-License-Identifier: MIT */
#include "tests/unit/hil/mpsse_emu.h"

#include <ftdi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/hil/mpsse_emu_priv.h"

struct emu emu_ftdi_state_all;

void emu_ftdi_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(E.st.last_error, sizeof(E.st.last_error), fmt, ap);
	va_end(ap);
	E.st.protocol_errors++;
	if (getenv("NB_TEST_VERBOSE"))
		fprintf(stderr, "mpsse emu: %s\n", E.st.last_error);
}

void emu_ftdi_reset(const struct emu_ftdi_opts *o)
{
	memset(&E, 0, sizeof(E));
	if (o)
		E.o = *o;
	if (!E.o.chip_type)
		E.o.chip_type = TYPE_232H;
	if (!E.o.pid)
		E.o.pid = NB_FTDI_PID_FT232H;
	if (!E.o.serial)
		E.o.serial = "NB000001";
	E.st.div5 = true; /* power-up state of the H chips: 12 MHz base until 0x8A */
}

void emu_ftdi_connect_gspi(struct nb_gspi_bus bus, unsigned cs_pin)
{
	E.gspi_on = true;
	E.gspi = bus;
	E.cs_pin = cs_pin;
}

void emu_ftdi_connect_pin(unsigned pin, struct nb_gpio g, unsigned model_pin, bool host_drives)
{
	E.pins[pin] = (struct conn){ .used = true, .host_drives = host_drives, .g = g,
				     .model_pin = model_pin };
}

void emu_ftdi_connect_mdio(struct nb_gpio mdio_pins)
{
	E.mdio_on = true;
	E.mdio = mdio_pins;
	E.mdc_pin = PIN_SK;
	E.mdio_pin = PIN_DO;
	if (nb_gpio_set_dir(&E.mdio, 0, true, false) < 0)
		emu_ftdi_error("sim MDC pin refused output");
}

void emu_ftdi_connect_mdio_gpio(struct nb_gpio mdio_pins, unsigned mdc_pin, unsigned mdio_pin)
{
	emu_ftdi_connect_mdio(mdio_pins);
	E.mdio_gpio = true;
	E.mdc_pin = mdc_pin;
	E.mdio_pin = mdio_pin;
}

void emu_ftdi_fail_write(unsigned nth, int ret)
{
	E.fail_write_at = E.st.writes + nth;
	E.fail_write_ret = ret;
}

void emu_ftdi_fail_read(unsigned nth, int ret)
{
	E.fail_read_at = E.st.reads + nth;
	E.fail_read_ret = ret;
}

void emu_ftdi_unplug(void)
{
	E.unplugged = true;
}

const struct emu_ftdi_state *emu_ftdi_state(void)
{
	return &E.st;
}

/* ---- pins -------------------------------------------------------------------------------- */

static bool pin_out(unsigned pin)
{
	uint8_t dir = pin < 8 ? E.st.lo_dir : E.st.hi_dir;

	return (dir >> (pin & 7u)) & 1u;
}

static bool pin_val(unsigned pin)
{
	uint8_t val = pin < 8 ? E.st.lo_val : E.st.hi_val;

	return (val >> (pin & 7u)) & 1u;
}

/* The gSPI data line: DO through its resistor when driven, else HOST_WAKE when it shares the
 * line (through 10 kΩ), else the pull-down. */
static bool data_line(void)
{
	struct conn *c = &E.pins[PIN_DI];

	if (pin_out(PIN_DO))
		return pin_val(PIN_DO);
	if (c->used && !c->host_drives && (!E.cs_low || !E.gspi_on))
		return nb_gpio_read(&c->g, c->model_pin) > 0;
	return false;
}

static bool level_of(unsigned pin)
{
	struct conn *c = &E.pins[pin];

	if (E.mdio_on && (pin == E.mdio_pin || (!E.mdio_gpio && pin == PIN_DI)))
		return nb_gpio_read(&E.mdio, 1) > 0;
	if (pin_out(pin))
		return pin_val(pin);
	if (pin == PIN_DI && E.gspi_on)
		return data_line();
	if (c->used && !c->host_drives)
		return nb_gpio_read(&c->g, c->model_pin) > 0;
	return false; /* undriven input: the adapter board's pull-down */
}

static void mdio_sync(void)
{
	bool drv = pin_out(E.mdio_pin), lvl = pin_val(E.mdio_pin);
	bool mdc = pin_out(E.mdc_pin) && pin_val(E.mdc_pin);

	if (drv != E.mdio_driven || (drv && lvl != E.mdio_level)) {
		if (nb_gpio_set_dir(&E.mdio, 1, drv, lvl) < 0)
			emu_ftdi_error("sim MDIO pin refused set_dir");
		E.mdio_driven = drv;
		E.mdio_level = lvl;
	}
	if (mdc != E.mdc_level) {
		if (nb_gpio_write(&E.mdio, 0, mdc) < 0)
			emu_ftdi_error("sim MDC pin refused write");
		E.mdc_level = mdc;
		if (mdc)
			E.st.mdio_bits++;
	}
}

static void gspi_end(void);

static void pins_changed(uint8_t old_lo_val, uint8_t old_lo_dir, uint8_t old_hi_val,
			 uint8_t old_hi_dir)
{
	uint16_t oldv = (uint16_t)(old_lo_val | (old_hi_val << 8));
	uint16_t oldd = (uint16_t)(old_lo_dir | (old_hi_dir << 8));

	for (unsigned p = 0; p < NB_FTDI_PINS; p++) {
		struct conn *c = &E.pins[p];
		bool out = pin_out(p), v = pin_val(p);

		if (!c->used)
			continue;
		if (!c->host_drives) {
			if (out)
				emu_ftdi_error("FTDI pin %u drives against the chip's output", p);
			continue;
		}
		if (out == c->out && (!out || v == c->level) && c->sent_out == out)
			continue;
		if (out && E.gspi_on && v && !c->level && data_line())
			emu_ftdi_error("data line high when host pin %u rose: the chip would "
				       "strap to SDIO (reference §1.1)", p);
		if (nb_gpio_set_dir(&c->g, c->model_pin, out, out && v) < 0)
			emu_ftdi_error("model refused set_dir on pin %u", c->model_pin);
		c->out = out;
		c->level = out && v;
		c->sent_out = out;
	}
	if (E.mdio_on)
		mdio_sync();
	if (E.gspi_on) {
		bool was_low = ((oldd >> E.cs_pin) & 1u) && !((oldv >> E.cs_pin) & 1u);
		bool now_low = pin_out(E.cs_pin) && !pin_val(E.cs_pin);

		if (now_low && !was_low) {
			E.cs_low = true;
			E.chip_turn = false;
			E.xout_len = E.xin_len = 0;
			E.nsegs = 0;
			E.writes_in_xact = 1;
			if (pin_val(PIN_SK))
				emu_ftdi_error("CS fell with SK high (SPI mode 0 idles SK low)");
		} else if (!now_low && was_low) {
			gspi_end();
		}
	}
}

/* ---- read FIFO ------------------------------------------------------------------------- */

static void fifo_push(uint8_t b, bool ready)
{
	if (E.len == FIFO_CAP) {
		emu_ftdi_error("read FIFO overflow");
		return;
	}
	E.fifo[E.len++] = b;
	if (ready && E.ready == E.len - 1)
		E.ready = E.len;
}

/* ---- gSPI target ----------------------------------------------------------------------- */

static void gspi_fill(const uint8_t *bytes, size_t n)
{
	size_t k = 0;

	for (unsigned s = 0; s < E.nsegs; s++)
		for (size_t i = 0; i < E.segs[s].len; i++, k++)
			E.fifo[E.segs[s].fifo_off + i] = k < n ? bytes[k] : 0x00;
	E.ready = E.len;
}

static void gspi_end(void)
{
	static uint8_t rx[XACT_CAP];
	uint8_t status[NB_GSPI_STATUS_LEN] = { 0 };
	int ret = 0;

	E.cs_low = false;
	E.st.transactions++;
	if (E.writes_in_xact > E.st.max_writes_per_transaction)
		E.st.max_writes_per_transaction = E.writes_in_xact;
	if (E.xout_len < 4) {
		emu_ftdi_error("gSPI transaction with %zu command bytes", E.xout_len);
		memset(rx, 0, E.xin_len);
		gspi_fill(rx, E.xin_len);
		return;
	}
	if (E.xin_len < NB_GSPI_STATUS_LEN)
		emu_ftdi_error("gSPI transaction without its 4-byte status phase (%zu bytes in)",
			       E.xin_len);
	if (E.xout_len > 4) {
		ret = E.gspi.ops->cmd_write(E.gspi.ctx, E.xout, E.xout + 4, E.xout_len - 4);
		if (E.xin_len > NB_GSPI_STATUS_LEN)
			emu_ftdi_error("gSPI write followed by %zu bytes in (status is 4)",
				       E.xin_len);
		memset(rx, 0, sizeof(rx));
		if (ret == 0 && E.gspi.ops->last_status(E.gspi.ctx, status) == 0)
			memcpy(rx, status, NB_GSPI_STATUS_LEN);
	} else {
		size_t data = E.xin_len >= 4 ? E.xin_len - 4 : E.xin_len;

		ret = E.gspi.ops->cmd_read(E.gspi.ctx, E.xout, rx, data);
		if (ret == 0 && E.xin_len >= 4 &&
		    E.gspi.ops->last_status(E.gspi.ctx, status) == 0)
			memcpy(rx + data, status, NB_GSPI_STATUS_LEN);
	}
	if (ret < 0)
		E.bus_failed = true; /* the model's injected bus failure: the USB read fails */
	gspi_fill(rx, E.xin_len);
}

static bool gspi_shift(uint8_t op, const uint8_t *out, size_t n)
{
	if (op & MPSSE_BITMODE) {
		emu_ftdi_error("bit shift 0x%02x inside a gSPI transaction (gSPI moves bytes)", op);
		return false;
	}
	if (op & MPSSE_LSB)
		emu_ftdi_error("LSB-first shift 0x%02x: gSPI is MSB first", op);
	if ((op & MPSSE_DO_WRITE) && (op & MPSSE_DO_READ))
		emu_ftdi_error("full-duplex shift 0x%02x on the half-duplex data line", op);
	if (op & MPSSE_DO_WRITE) {
		if (!(op & MPSSE_WRITE_NEG))
			emu_ftdi_error("data out on the rising edge (0x%02x): the chip samples "
				       "on the rising edge", op);
		if (!pin_out(PIN_DO))
			emu_ftdi_error("data shifted out while DO is released");
		if (E.chip_turn)
			emu_ftdi_error("host data after the chip's turn in one transaction");
		if (E.xout_len + n > XACT_CAP) {
			emu_ftdi_error("gSPI transaction longer than %u bytes", XACT_CAP);
			return true;
		}
		memcpy(E.xout + E.xout_len, out, n);
		E.xout_len += n;
	}
	if (op & MPSSE_DO_READ) {
		if (op & MPSSE_READ_NEG)
			emu_ftdi_error("read on the falling edge (0x%02x): read data is taken on "
				       "the rising edge", op);
		if (pin_out(PIN_DO))
			emu_ftdi_error("contention: DO drives the data line during the chip's "
				       "turn");
		if (E.nsegs == 16) {
			emu_ftdi_error("too many read segments in one transaction");
			return true;
		}
		E.chip_turn = true;
		E.segs[E.nsegs].fifo_off = E.len;
		E.segs[E.nsegs].len = n;
		E.nsegs++;
		E.xin_len += n;
		for (size_t i = 0; i < n; i++)
			fifo_push(0, false);
	}
	return true;
}

/* ---- bit engine (MDIO and anything clocked with CS high) ------------------------------- */

static bool clock_bit(uint8_t op, bool out_bit)
{
	bool pre, post;

	if (op & MPSSE_DO_WRITE) {
		E.st.lo_val = (uint8_t)((E.st.lo_val & ~(1u << PIN_DO)) | ((unsigned)out_bit << PIN_DO));
		if (!pin_out(PIN_DO))
			emu_ftdi_error("data shifted out while DO is released");
	}
	if (E.mdio_on && !E.mdio_gpio) {
		if ((op & MPSSE_DO_WRITE) && !(op & MPSSE_WRITE_NEG))
			emu_ftdi_error("MDIO out on the rising edge (0x%02x): the PHY samples then",
				       op);
		if (E.st.sk_hz > E.st.max_mdio_hz)
			E.st.max_mdio_hz = E.st.sk_hz;
		mdio_sync();
	}
	pre = level_of(PIN_DI);
	E.st.lo_val |= 1u << PIN_SK;
	if (E.mdio_on && !E.mdio_gpio)
		mdio_sync();
	post = level_of(PIN_DI);
	E.st.lo_val &= (uint8_t)~(1u << PIN_SK);
	if (E.mdio_on && !E.mdio_gpio)
		mdio_sync();
	return (op & MPSSE_READ_NEG) ? post : pre;
}

static void shift(uint8_t op, const uint8_t *out, size_t n)
{
	bool bits = (op & MPSSE_BITMODE) != 0;
	size_t nbits = bits ? n : n * 8u;
	uint8_t acc = 0;

	if (E.st.loopback)
		emu_ftdi_error("shift with loopback on");
	if (E.gspi_on && E.cs_low && gspi_shift(op, out, n))
		return;
	if (op & MPSSE_LSB)
		emu_ftdi_error("LSB-first shift 0x%02x", op);
	for (size_t i = 0; i < nbits; i++) {
		bool ob = false, ib;

		if (op & MPSSE_DO_WRITE)
			ob = bits ? (out[0] >> (7u - i)) & 1u : (out[i / 8u] >> (7u - i % 8u)) & 1u;
		ib = clock_bit(op, ob);
		/* MSB first: bits enter at bit 0 and move up (a byte read is the usual order;
		 * n bits read end in the low n bits of the byte) */
		acc = (uint8_t)((acc << 1) | ib);
		if ((op & MPSSE_DO_READ) && !bits && i % 8u == 7u) {
			fifo_push(acc, true);
			acc = 0;
		}
	}
	if ((op & MPSSE_DO_READ) && bits)
		fifo_push(acc, true);
}

/* ---- command interpreter --------------------------------------------------------------- */

static void set_sk_hz(void)
{
	uint32_t base = E.st.div5 ? 12000000u : 60000000u;

	E.st.sk_hz = base / ((1u + E.st.div) * 2u);
}

size_t emu_ftdi_command(const uint8_t *p, size_t avail)
{
	uint8_t op = p[0];

	if (op < 0x80) { /* shift */
		size_t n, need;
		bool bits = (op & MPSSE_BITMODE) != 0;

		if (op & MPSSE_WRITE_TMS) {
			emu_ftdi_error("TMS shift 0x%02x (not used by SPI/MDIO)", op);
			return avail;
		}
		if (avail < 2 || (!bits && avail < 3))
			return 0;
		n = bits ? (size_t)p[1] + 1u : ((size_t)p[1] | ((size_t)p[2] << 8)) + 1u;
		if (bits && n > 8) {
			emu_ftdi_error("bit shift of %zu bits", n);
			return avail;
		}
		need = (bits ? 2u : 3u) + ((op & MPSSE_DO_WRITE) ? (bits ? 1u : n) : 0u);
		if (avail < need)
			return 0;
		shift(op, p + (bits ? 2u : 3u), n);
		return need;
	}
	if ((op == SET_BITS_HIGH || op == GET_BITS_HIGH) && E.o.chip_type == TYPE_4232H) {
		/* an FT4232H channel has no high byte: the opcode is unknown to its MPSSE */
		fifo_push(0xFA, true);
		fifo_push(op, true);
		emu_ftdi_error("0x%02x sent to an FT4232H (no ACBUS)", op);
		return op == SET_BITS_HIGH ? (avail >= 3 ? 3 : 0) : 1;
	}
	switch (op) {
	case SET_BITS_LOW:
	case SET_BITS_HIGH: {
		uint8_t lv = E.st.lo_val, ld = E.st.lo_dir, hv = E.st.hi_val, hd = E.st.hi_dir;

		if (avail < 3)
			return 0;
		if (op == SET_BITS_LOW) {
			E.st.lo_val = p[1];
			E.st.lo_dir = p[2];
		} else {
			E.st.hi_val = p[1];
			E.st.hi_dir = p[2];
		}
		pins_changed(lv, ld, hv, hd);
		return 3;
	}
	case GET_BITS_LOW:
	case GET_BITS_HIGH: {
		uint8_t b = 0;

		for (unsigned i = 0; i < 8; i++)
			b |= (uint8_t)(level_of(i + (op == GET_BITS_HIGH ? 8u : 0u)) << i);
		fifo_push(b, true);
		return 1;
	}
	case TCK_DIVISOR:
		if (avail < 3)
			return 0;
		E.st.div = (uint16_t)(p[1] | (p[2] << 8));
		set_sk_hz();
		return 3;
	case 0x84:
		E.st.loopback = true;
		return 1;
	case LOOPBACK_END:
		E.st.loopback = false;
		return 1;
	case DIS_DIV_5:
	case EN_DIV_5:
		E.st.div5 = op == EN_DIV_5;
		set_sk_hz();
		return 1;
	case EN_3_PHASE:
	case DIS_3_PHASE:
		E.st.three_phase = op == EN_3_PHASE;
		return 1;
	case EN_ADAPTIVE:
	case DIS_ADAPTIVE:
		E.st.adaptive = op == EN_ADAPTIVE;
		return 1;
	case SEND_IMMEDIATE:
		return 1;
	default:
		if (!E.o.no_sync_answer) {
			fifo_push(0xFA, true);
			fifo_push(op, true);
			if (op == 0xAA)
				E.st.synced = true;
		}
		return 1;
	}
}

