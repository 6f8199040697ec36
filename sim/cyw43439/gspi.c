/* SPDX-License-Identifier: MIT */
/* CYW43439 model: the gSPI front end. Wire bytes ↔ commands in the chip's word mode (§1.5),
 * F0 registers (§1.7-§1.10), the status phase, time charging and back-door bus faults. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "sim/cyw43439/model_priv.h"

/* Wire order of the 4 bytes of one 32-bit word, as a permutation: logical (little-endian
 * memory) byte k goes out at wire position perm(k). §1.5: 16-bit mode sends the low half
 * first, each half MSB first (k ^ 1); 32-bit mode with ENDIAN_BIG = 0 sends the word MSB
 * first (3 - k); ENDIAN_BIG = 1 sends memory order (k). 16-bit mode with ENDIAN_BIG set is
 * taken to send each half LSB first, which is memory order too (inference: no driver uses it). */
enum wire_fmt { FMT_MEM = 0, FMT_REV = 1, FMT_HALF = 2 };

static enum wire_fmt fmt_of(uint8_t busctl)
{
	if (busctl & BUSCTL_ENDIAN_BIG)
		return FMT_MEM;
	return (busctl & BUSCTL_WORD32) ? FMT_REV : FMT_HALF;
}

static const char *fmt_name(enum wire_fmt f)
{
	static const char *const names[] = { "32-bit mode with ENDIAN_BIG (memory byte order)",
					     "32-bit mode (word MSB first)",
					     "16-bit (power-up) mode" };
	return names[f];
}

static unsigned perm(enum wire_fmt f, unsigned k)
{
	return f == FMT_MEM ? k : f == FMT_REV ? 3 - k : k ^ 1u;
}

/* Logical (memory-order) bytes → wire bytes; n may end inside a word (the host stopped). */
static void to_wire(enum wire_fmt f, const uint8_t *logical, uint8_t *wire, size_t n)
{
	for (size_t w = 0; w < n; w += 4) {
		uint8_t tmp[4];

		for (unsigned k = 0; k < 4; k++)
			tmp[perm(f, k)] = logical[w + k];
		memcpy(wire + w, tmp, NB_MIN((size_t)4, n - w));
	}
}

/* Wire bytes → logical; a partial last word is completed with zeros. */
static void from_wire(enum wire_fmt f, const uint8_t *wire, uint8_t *logical, size_t n)
{
	for (size_t w = 0; w < n; w += 4) {
		uint8_t tmp[4] = { 0 };

		memcpy(tmp, wire + w, NB_MIN((size_t)4, n - w));
		for (unsigned k = 0; k < 4; k++)
			logical[w + k] = tmp[perm(f, k)];
	}
}

/* ---- F0 registers ------------------------------------------------------------------------- */

/* F0 register file, one row per byte (§1.7-§1.10): power-up value, writable bits and how a
 * write acts. Bits outside the writable mask keep their value (reserved or read-only). The
 * interrupt and status bytes are computed on read (cy_f0_read_bytes). */
enum f0_kind { F0K_RW = 0, F0K_W1C, F0K_RO };

struct f0_reg {
	uint8_t reset, rw;
	uint8_t kind;
};

static const struct f0_reg f0_regs[F0_REGS] = {
	[F0_BUS_CTRL] = { 0x30, 0xBF, F0K_RW }, /* HIGH_SPEED | INT_POL_HIGH observed */
	[F0_RESP_DELAY] = { 0x00, 0xFF, F0K_RW },
	[F0_STATUS_EN] = { 0x01, 0x6F, F0K_RW }, /* STATUS_ENABLE observed */
	[F0_RESET_BP] = { 0x00, 0x84, F0K_RW },
	[F0_INT] = { 0, 0xFF, F0K_W1C },
	[F0_INT + 1] = { 0, 0xFF, F0K_W1C },
	[F0_INT_EN] = { 0x00, 0xFF, F0K_RW }, /* power-up value unconfirmed */
	[F0_INT_EN + 1] = { 0x00, 0xFF, F0K_RW },
	[0x08] = { 0, 0, F0K_RO }, [0x09] = { 0, 0, F0K_RO }, /* status */
	[0x0A] = { 0, 0, F0K_RO }, [0x0B] = { 0, 0, F0K_RO },
	[0x0C] = { 0, 0, F0K_RO }, [0x0D] = { 0, 0, F0K_RO }, /* F1/F2/F3 info */
	[0x0E] = { 0, 0, F0K_RO }, [0x0F] = { 0, 0, F0K_RO },
	[0x10] = { 0, 0, F0K_RO }, [0x11] = { 0, 0, F0K_RO },
	[0x12] = { 0, 0, F0K_RO }, [0x13] = { 0, 0, F0K_RO },
	[0x14] = { 0xAD, 0, F0K_RO }, [0x15] = { 0xBE, 0, F0K_RO }, /* 0xFEEDBEAD */
	[0x16] = { 0xED, 0, F0K_RO }, [0x17] = { 0xFE, 0, F0K_RO },
	[0x18] = { 0, 0xFF, F0K_RW }, [0x19] = { 0, 0xFF, F0K_RW }, /* R/W test register */
	[0x1A] = { 0, 0xFF, F0K_RW }, [0x1B] = { 0, 0xFF, F0K_RW },
	[0x1C] = { 0, 0xFF, F0K_RW }, [0x1D] = { 0, 0xFF, F0K_RW }, /* response delay F0..F3 */
	[0x1E] = { 0, 0xFF, F0K_RW }, [0x1F] = { 0, 0xFF, F0K_RW },
};

void cy_f0_reset(struct nb_cyw43439_model *m)
{
	for (unsigned a = 0; a < F0_REGS; a++)
		m->f0[a] = f0_regs[a].reset;
	m->int_latched = 0;
	m->resp_delay_f1_written = false;
	memset(m->last_status, 0, sizeof(m->last_status));
}

uint16_t cy_f0_interrupts(const struct nb_cyw43439_model *m)
{
	uint16_t v = m->int_latched;

	/* F2_PACKET_AVAILABLE is a level that follows the queue (Embassy never clears it and
	 * still works, §1.9); F1_INTR follows the SDIO core's masked intstatus. */
	if (cy_sdpcm_pending_len(m))
		v |= INT_F2_PKT_AVAIL;
	if (m->sdio_intstatus & m->sdio_hostintmask)
		v |= INT_F1_INTR;
	return v;
}

uint32_t cy_f0_status(const struct nb_cyw43439_model *m)
{
	uint32_t st = 0;
	size_t len = cy_sdpcm_pending_len(m);

	if (m->int_latched & INT_DATA_UNAVAIL)
		st |= ST_DATA_UNAVAIL;
	if (m->int_latched & INT_RD_UNDERFLOW)
		st |= ST_UNDERFLOW;
	if (m->int_latched & INT_WR_OVERFLOW)
		st |= ST_OVERFLOW;
	if (m->int_latched & (INT_CMD_ERROR | INT_DATA_ERROR))
		st |= ST_CMD_DATA_ERR;
	if (m->f2_ready && !cy_bus_asleep(m))
		st |= ST_F2_RX_READY;
	if (len)
		st |= ST_F2_INTR | ST_F2_PKT_AVAIL | ((uint32_t)(len & 0x7FF) << ST_F2_LEN_SHIFT);
	return st;
}

void cy_f0_read_bytes(const struct nb_cyw43439_model *m, uint32_t addr, uint8_t *out, size_t n)
{
	uint8_t regs[F0_REGS];

	memcpy(regs, m->f0, sizeof(regs));
	nb_put_le16(&regs[F0_INT], cy_f0_interrupts(m));
	nb_put_le32(&regs[F0_STATUS], cy_f0_status(m));
	/* Function info (§1.7): bit0 ENABLED, bit1 READY, bits 13..2 maximum block size
	 * (the size field is an inference; no driver reads it). No F3: Bluetooth is not
	 * modelled. */
	nb_put_le16(&regs[F0_F1_INFO], (uint16_t)(0x0001 | (m->alp_avail ? 0x0002 : 0) | (64u << 2)));
	nb_put_le16(&regs[F0_F2_INFO],
		    (uint16_t)(0x0001 | (m->f2_ready ? 0x0002 : 0) | (2048u << 2)));
	for (size_t i = 0; i < n; i++)
		out[i] = addr + i < F0_REGS ? regs[addr + i] : 0;
}

static bool f0_readable(uint32_t addr, size_t n)
{
	return addr + n <= F0_REGS;
}

static bool f0_write_byte(struct nb_cyw43439_model *m, uint32_t a, uint8_t v)
{
	const struct f0_reg *r;

	if (a == F0_CCCR_CARDCAP)
		return true; /* CD writes the SDIO card-capability value even on gSPI (§1.7) */
	if (a >= F0_REGS)
		return !cy_violation(m, "write of 0x%02x to unimplemented F0 address 0x%02x", v,
				     (unsigned)a);
	r = &f0_regs[a];
	switch (r->kind) {
	case F0K_RO:
		return !cy_violation(m, "write of 0x%02x to read-only F0 register 0x%02x", v,
				     (unsigned)a);
	case F0K_W1C:
		m->int_latched &= (uint16_t)~((unsigned)v << (8 * (a - F0_INT)));
		return true;
	default:
		break;
	}
	if (a == F0_BUS_CTRL && ((v ^ m->f0[a]) & 0x0C))
		cy_warning(m, "clock phase/polarity change is not modelled (bus control 0x%02x)", v);
	if (a == F0_RESP_DELAY_F1)
		m->resp_delay_f1_written = true;
	/* bus control: the word mode changes from the next transaction on (§1.5) */
	m->f0[a] = (uint8_t)((m->f0[a] & ~r->rw) | (v & r->rw));
	return true;
}

/* ---- command decoding ------------------------------------------------------------------ */

struct cmd {
	uint32_t word;
	bool write, incr;
	unsigned func;
	uint32_t addr;
	size_t len;
};

static struct cmd decode(enum wire_fmt f, const uint8_t wire[4])
{
	uint8_t b[4];
	struct cmd c;

	from_wire(f, wire, b, 4);
	c.word = nb_get_le32(b);
	c.write = c.word >> 31;
	c.incr = (c.word >> 30) & 1;
	c.func = (c.word >> 28) & 3;
	c.addr = (c.word >> 11) & 0x1FFFF;
	c.len = c.word & 0x7FF;
	if (!c.len)
		c.len = 2048;
	return c;
}

static size_t pad_bytes(const struct nb_cyw43439_model *m, unsigned func)
{
	/* Response delay: F0 0x1D if the host wrote it, else F0 0x01 (§1.6, precedence
	 * unconfirmed); it applies to F1 only unless RESP_DELAY_ALL (0x02 bit2) is set. */
	if (func != 1 && !(m->f0[F0_STATUS_EN] & 0x04))
		return 0;
	return m->resp_delay_f1_written ? m->f0[F0_RESP_DELAY_F1] : m->f0[F0_RESP_DELAY];
}

static size_t round4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Could this command be what a driver meant? Used to tell a wrong word mode apart: the
 * direction, function and address must make sense; with @p lengths the amount clocked must
 * also fit the length field (only used to pick the decode another word mode would give). */
static bool plausible(const struct nb_cyw43439_model *m, const struct cmd *c, bool is_write,
		      size_t xfer, bool lengths)
{
	if (c->write != is_write)
		return false;
	switch (c->func) {
	case 0:
		/* F0 is a small byte-addressed space (registers to 0x1F, CCCR copy at 0xF0). */
		if (c->addr + NB_MIN(c->len, (size_t)4) > 0x100)
			return false;
		break;
	case 1:
		if (c->addr >= F1_LOCAL_END)
			return false;
		break;
	case 2:
		break;
	default:
		return false; /* no Bluetooth */
	}
	if (!lengths)
		return true;
	if (is_write)
		return xfer + 3 >= c->len && xfer <= round4(c->len) + 8;
	return xfer <= pad_bytes(m, c->func) + round4(c->len) + 8;
}

static void describe(struct nb_cyw43439_model *m, const struct cmd *c)
{
	int k = snprintf(m->where, sizeof(m->where), "F%u %c 0x%05x len %zu", c->func,
			 c->write ? 'W' : 'R', (unsigned)c->addr, c->len);

	if (c->func == 1 && c->addr < F1_LOCAL_BASE && k > 0 && (size_t)k < sizeof(m->where))
		snprintf(m->where + k, sizeof(m->where) - (size_t)k, " (BP 0x%08x)",
			 (unsigned)(cy_window(m) + (c->addr & 0x7FFF)));
}

/* ---- the transaction ------------------------------------------------------------------- */

static void charge(struct nb_cyw43439_model *m, size_t bytes)
{
	/* Command + data/pad + status phase, one bit per clock; CS and turnaround are the
	 * host's cost. */
	uint64_t bits = (uint64_t)(bytes + 8) * 8;

	m->stats.bus_bytes += bytes + 8;
	nb_sim_charge(m->sim, (bits * 1000000000ull + m->cfg.gspi_hz - 1) / m->cfg.gspi_hz);
}

static void shift_left_one(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((p[i] << 1) | (i + 1 < n ? p[i + 1] >> 7 : 0));
}

static void emit_trace(struct nb_cyw43439_model *m, const struct cmd *c, enum wire_fmt f,
		       uint64_t t0, const uint8_t *data, size_t data_len, uint32_t st,
		       int result)
{
	struct nb_cyw43439_trace t = {
		.t_ns = t0,
		.cmd = c->word,
		.write = c->write,
		.incr = c->incr,
		.func = (uint8_t)c->func,
		.addr = c->addr,
		.bp_addr = (c->func == 1 && c->addr < F1_LOCAL_BASE) ?
				   cy_window(m) + (c->addr & 0x7FFF) :
				   0,
		.len = (uint16_t)c->len,
		.data = data,
		.data_len = data_len,
		.status = st,
		.status_sent = (m->f0[F0_STATUS_EN] & STATEN_STATUS) != 0,
		.word_bits = f == FMT_HALF ? 16 : 32,
		.big_endian = f == FMT_MEM,
		.result = result,
	};

	if (m->trace_fn)
		m->trace_fn(m->trace_ctx, &t);
}

/* F0 and F1 reads: what the chip shifts out after the command, in memory order. */
static bool serve_read(struct nb_cyw43439_model *m, const struct cmd *c, uint8_t *logical,
		       size_t data_len)
{
	size_t want = NB_MIN(c->len, data_len);

	switch (c->func) {
	case 0:
		if (!f0_readable(c->addr, c->len) &&
		    cy_violation(m, "read of unimplemented F0 address"))
			return false;
		if (c->incr)
			cy_f0_read_bytes(m, c->addr, logical, round4(data_len));
		else
			for (size_t w = 0; w < data_len; w += 4)
				cy_f0_read_bytes(m, c->addr, logical + w, 4);
		return true;
	case 1:
		/* Bytes past the length in the last word are undefined on the chip (junk in the
		 * Embassy trace, §1.6); 0xEA makes a driver that uses them visible. */
		memset(logical, 0xEA, round4(data_len));
		if (want > 64 &&
		    cy_violation(m, "F1 transfer of %zu bytes (limit 64)", want))
			return false;
		return cy_f1_read(m, c->addr, logical, want);
	case 2:
		cy_sdpcm_host_read(m, logical, data_len, c->len);
		return true;
	default:
		if (cy_violation(m, "F3 (Bluetooth) is not modelled"))
			return false;
		memset(logical, 0, round4(data_len));
		return true;
	}
}

static bool serve_write(struct nb_cyw43439_model *m, const struct cmd *c, const uint8_t *logical,
			size_t clocked)
{
	size_t n = NB_MIN(c->len, clocked);
	bool ok = true;

	if (clocked % 4 &&
	    cy_violation(m, "%zu data bytes is not a whole number of 32-bit words", clocked))
		return false;
	if (clocked < c->len &&
	    cy_violation(m, "host clocked %zu data bytes for a %zu-byte write", clocked, c->len))
		return false;
	switch (c->func) {
	case 0:
		for (size_t i = 0; i < n; i++)
			ok &= f0_write_byte(m, c->incr ? c->addr + (uint32_t)i : c->addr + (uint32_t)(i % 4),
					    logical[i]);
		return ok;
	case 1:
		if (n > 64 && cy_violation(m, "F1 transfer of %zu bytes (limit 64)", n))
			return false;
		return cy_f1_write(m, c->addr, logical, n);
	case 2:
		cy_sdpcm_host_write(m, logical, n, c->len);
		return true;
	default:
		return !cy_violation(m, "F3 (Bluetooth) is not modelled");
	}
}

static int transact(struct nb_cyw43439_model *m, bool is_write, const uint8_t cmd_wire[4],
		    uint8_t *rx, size_t rx_len, const uint8_t *tx, size_t tx_len)
{
	uint64_t t0 = cy_now(m);
	enum wire_fmt f = fmt_of(m->f0[F0_BUS_CTRL]);
	size_t xfer = is_write ? tx_len : rx_len;
	struct cmd c = decode(f, cmd_wire);
	uint8_t *logical = m->xbuf + 4;
	size_t data_len = 0;
	int result = 0;
	uint32_t st = 0;

	m->stats.transactions++;
	if (xfer > 2048 + 256)
		return -EINVAL;
	if (m->fault == NB_CYW43439_FAULT_EIO && m->fault_count) {
		m->fault_count--;
		m->stats.faults_injected++;
		emit_trace(m, &c, f, t0, NULL, 0, 0, -EIO);
		return -EIO;
	}
	describe(m, &c);
	if (!m->powered || t0 < m->bus_ready_at) {
		/* Unpowered or still powering up: nobody drives the line, the host's pull-down
		 * reads 0x00. An access to an unpowered chip is a driver bug. */
		if (!m->powered)
			cy_violation(m, "transaction while WL_REG_ON is low");
		if (rx)
			memset(rx, 0, rx_len);
		memset(m->last_status, 0, sizeof(m->last_status));
		charge(m, xfer);
		emit_trace(m, &c, f, t0, NULL, 0, 0, 2);
		m->where[0] = '\0';
		return 0;
	}
	if (m->fault == NB_CYW43439_FAULT_READ_ONES && m->fault_count) {
		m->fault_count--;
		m->stats.faults_injected++;
		if (rx)
			memset(rx, 0xFF, rx_len);
		memset(m->last_status, 0xFF, sizeof(m->last_status));
		charge(m, xfer);
		emit_trace(m, &c, f, t0, NULL, 0, 0xFFFFFFFFu, 3);
		m->where[0] = '\0';
		return 0;
	}

	bool refuse = false;

	bool structural = plausible(m, &c, is_write, xfer, false);

	/* A command that makes no sense, or whose length does not fit what was clocked while
	 * another word mode gives a command that fits: the driver formats for the wrong mode. */
	if (!structural || !plausible(m, &c, is_write, xfer, true)) {
		enum wire_fmt alt;
		bool found = false;

		for (alt = FMT_MEM; alt <= FMT_HALF; alt++) {
			struct cmd a = decode(alt, cmd_wire);

			if (alt != f && plausible(m, &a, is_write, xfer, true)) {
				found = true;
				break;
			}
		}
		if (found) {
			struct cmd a = decode(alt, cmd_wire);

			refuse = cy_violation(m, "command word %02x %02x %02x %02x is not valid in %s; "
					      "it reads as F%u %c 0x%05x len %zu in %s: wrong word mode",
					      cmd_wire[0], cmd_wire[1], cmd_wire[2], cmd_wire[3],
					      fmt_name(f), a.func, a.write ? 'W' : 'R',
					      (unsigned)a.addr, a.len, fmt_name(alt));
			if (!refuse) { /* lax: serve what the driver meant */
				f = alt;
				c = a;
				describe(m, &c);
			}
		} else if (!structural) {
			refuse = cy_violation(m, "malformed command word 0x%08x for a %s of %zu bytes",
					      (unsigned)c.word, is_write ? "write" : "read", xfer);
			if (c.write != is_write)
				refuse = true; /* nothing sensible to serve */
		}
	}

	if (is_write) {
		from_wire(f, tx, logical, tx_len);
		data_len = NB_MIN(c.len, tx_len);
		if (!refuse && !serve_write(m, &c, logical, tx_len))
			result = 1;
		if (refuse)
			result = 1;
	} else {
		size_t pad = pad_bytes(m, c.func);
		size_t body = rx_len > pad ? rx_len - pad : 0;
		bool underflow = c.func == 2 && m->fault == NB_CYW43439_FAULT_STATUS_UNDERFLOW &&
				 m->fault_count;

		data_len = NB_MIN(c.len, body);
		memset(logical, 0, round4(body));
		if (underflow) {
			m->fault_count--;
			m->stats.faults_injected++;
			m->int_latched |= INT_RD_UNDERFLOW;
			result = 3;
		} else if (refuse || !serve_read(m, &c, logical, body)) {
			memset(logical, 0xFF, round4(body));
			result = 1;
		}
		/* Response-delay bytes are not word-formatted: the chip just holds the line. */
		memset(rx, 0, NB_MIN(pad, rx_len));
		if (body)
			to_wire(f, logical, rx + pad, body);
	}

	charge(m, xfer);
	/* The status phase closes the transaction; it reflects the state after it and goes out
	 * in the word mode the transaction started in (§1.5). */
	if (m->f0[F0_STATUS_EN] & STATEN_STATUS) {
		uint8_t b[4];

		st = cy_f0_status(m);
		nb_put_le32(b, st);
		to_wire(f, b, m->last_status, 4);
	} else {
		memset(m->last_status, 0, sizeof(m->last_status));
	}
	if (m->fault == NB_CYW43439_FAULT_SHIFT1 && m->fault_count && !is_write) {
		size_t n = rx_len;

		m->fault_count--;
		m->stats.faults_injected++;
		memcpy(m->sbuf, rx, n);
		memcpy(m->sbuf + n, m->last_status, 4);
		shift_left_one(m->sbuf, n + 4);
		memcpy(rx, m->sbuf, n);
		memcpy(m->last_status, m->sbuf + n, 4);
		result = 3;
	}
	emit_trace(m, &c, f, t0, logical, data_len, st, result);
	m->where[0] = '\0';
	cy_update_irq(m);
	return 0;
}

static int gspi_cmd_read(void *ctx, const uint8_t cmd[4], uint8_t *rx, size_t rx_len)
{
	return transact(ctx, false, cmd, rx, rx_len, NULL, 0);
}

static int gspi_cmd_write(void *ctx, const uint8_t cmd[4], const uint8_t *tx, size_t tx_len)
{
	return transact(ctx, true, cmd, NULL, 0, tx, tx_len);
}

static int gspi_last_status(void *ctx, uint8_t status[NB_GSPI_STATUS_LEN])
{
	struct nb_cyw43439_model *m = ctx;

	memcpy(status, m->last_status, NB_GSPI_STATUS_LEN);
	return 0;
}

const struct nb_gspi_ops cy_gspi_ops = {
	.cmd_read = gspi_cmd_read,
	.cmd_write = gspi_cmd_write,
	.last_status = gspi_last_status,
};

/* ---- trace text ------------------------------------------------------------------------ */

size_t nb_cyw43439_trace_format(const struct nb_cyw43439_trace *t, char *buf, size_t cap)
{
	char tmp[256];
	size_t n = 0;

#define PUT(...)                                                                            \
	do {                                                                                \
		int k_ = snprintf(tmp + n, sizeof(tmp) - n, __VA_ARGS__);                   \
		if (k_ > 0)                                                                 \
			n = NB_MIN(n + (size_t)k_, sizeof(tmp) - 1);                        \
	} while (0)
	PUT("%c F%u 0x%05x len %u", t->write ? 'W' : 'R', t->func, (unsigned)t->addr, t->len);
	if (t->func == 1 && t->addr < F1_LOCAL_BASE)
		PUT(" bp 0x%08x", (unsigned)t->bp_addr);
	if (t->data && t->data_len) {
		PUT(" [%zu:", t->data_len);
		for (size_t i = 0; i < t->data_len && (t->data_len <= 16 || i < 8); i++)
			PUT(" %02x", t->data[i]);
		if (t->data_len > 16)
			PUT(" .. crc32 %08x", (unsigned)nb_crc32(0, t->data, t->data_len));
		PUT("]");
	}
	if (t->status_sent)
		PUT(" st %08x", (unsigned)t->status);
	else
		PUT(" st -");
	if (t->result)
		PUT(" !%d", t->result);
#undef PUT
	if (cap) {
		size_t c = NB_MIN(n, cap - 1);

		memcpy(buf, tmp, c);
		buf[c] = '\0';
	}
	return n;
}
