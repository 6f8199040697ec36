/* SPDX-License-Identifier: MIT */
/* gSPI bus layer: command words, word formatting, status word, F1 pad, F0/F1/F2 access. */
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "drivers/util/nb_errno.h"

#define TEST_RW_VALUE 0x12345678u
/* The test pattern as the 32 bits appear on the wire in 16-bit mode (§1.5): BE AD FE ED. */
#define TEST_PATTERN_WIRE16 0xBEADFEEDu

static size_t round4(size_t n)
{
	return (n + 3u) & ~(size_t)3u;
}

void cyw_bus_reset(struct nb_cyw43439 *d)
{
	d->bus.word32 = false;
	d->bus.status_on = false;
	d->bus.f1_pad = 0;
	d->bus.status = 0;
	d->bus.status_valid = false;
	d->f2_pending = false;
}

uint32_t cyw_bus_cmd(bool write, enum cyw_func func, uint32_t addr, uint32_t len)
{
	return (write ? CYW_CMD_WRITE : 0u) | CYW_CMD_INCR | ((uint32_t)func << CYW_CMD_FUNC_SHIFT) |
	       ((addr & CYW_CMD_ADDR_MASK) << CYW_CMD_ADDR_SHIFT) | (len & CYW_CMD_LEN_MASK);
}

/*
 * §1.5: at power-up each 32-bit word goes out low half-word first, each half MSB first. We
 * select ENDIAN_BIG in 32-bit mode, so from then on the wire carries the little-endian memory
 * image and payloads (frames, firmware) need no reordering — which is what lets send() put
 * the caller's frame on the bus in place.
 */
static void put_word(const struct nb_cyw43439 *d, uint8_t *p, uint32_t v)
{
	if (d->bus.word32) {
		nb_put_le32(p, v);
	} else {
		p[0] = (uint8_t)(v >> 8);
		p[1] = (uint8_t)v;
		p[2] = (uint8_t)(v >> 24);
		p[3] = (uint8_t)(v >> 16);
	}
}

static uint32_t get_word(const struct nb_cyw43439 *d, const uint8_t *p)
{
	if (d->bus.word32)
		return nb_get_le32(p);
	return ((uint32_t)p[0] << 8) | p[1] | ((uint32_t)p[2] << 24) | ((uint32_t)p[3] << 16);
}

/* Count the transaction, pick up the appended status word when we enabled it. */
static int finish(struct nb_cyw43439 *d, int ret)
{
	uint8_t st[NB_GSPI_STATUS_LEN];

	d->stats.bus_transactions++;
	if (ret < 0) {
		d->stats.bus_errors++;
		return ret;
	}
	if (!d->bus.status_on)
		return 0;
	ret = nb_gspi_last_status(&d->cfg.gspi, st);
	if (ret < 0) {
		d->stats.bus_errors++;
		d->bus.status_valid = false;
		return ret;
	}
	/* §1.10: all ones is a line nobody drives, never a real status. The chip did not take
	 * part in this transaction; its F2 callers turn that into an error. */
	if (get_word(d, st) == 0xFFFFFFFFu) {
		d->bus.status_valid = false;
		return 0;
	}
	d->bus.status = get_word(d, st);
	d->bus.status_valid = true;
	d->f2_pending = (d->bus.status & CYW_ST_F2_PKT_AVAILABLE) != 0;
	return 0;
}

/* After a transaction that succeeded: did the chip answer it? (Unknowable without status.) */
static bool no_answer(struct nb_cyw43439 *d)
{
	if (!d->bus.status_on || d->bus.status_valid)
		return false;
	d->stats.bus_errors++;
	d->stats.f2_no_answer++;
	return true;
}

static int xfer_read(struct nb_cyw43439 *d, uint32_t cmd, uint8_t *rx, size_t rx_len)
{
	uint8_t c[4];

	put_word(d, c, cmd);
	return finish(d, nb_gspi_cmd_read(&d->cfg.gspi, c, rx, rx_len));
}

static int xfer_write(struct nb_cyw43439 *d, uint32_t cmd, const uint8_t *tx, size_t tx_len)
{
	uint8_t c[4];

	put_word(d, c, cmd);
	return finish(d, nb_gspi_cmd_write(&d->cfg.gspi, c, tx, tx_len));
}

static uint32_t len_mask(unsigned len)
{
	return len >= 4 ? 0xFFFFFFFFu : ((1u << (8u * len)) - 1u);
}

int cyw_reg_read(struct nb_cyw43439 *d, enum cyw_func func, uint32_t addr, unsigned len,
		 uint32_t *val)
{
	/* §1.6: F1 reads carry the response-delay pad before the data; F0 reads do not. */
	size_t pad = func == CYW_F1 ? d->bus.f1_pad : 0u;
	int ret;

	if (len != 1 && len != 2 && len != 4)
		return -NB_EINVAL;
	ret = xfer_read(d, cyw_bus_cmd(false, func, addr, len), d->bus.scratch, pad + 4u);
	if (ret < 0)
		return ret;
	*val = get_word(d, d->bus.scratch + pad) & len_mask(len);
	return 0;
}

int cyw_reg_write(struct nb_cyw43439 *d, enum cyw_func func, uint32_t addr, unsigned len,
		  uint32_t val)
{
	uint8_t w[4];

	if (len != 1 && len != 2 && len != 4)
		return -NB_EINVAL;
	put_word(d, w, val & len_mask(len));
	return xfer_write(d, cyw_bus_cmd(true, func, addr, len), w, sizeof(w));
}

int cyw_f1_read_block(struct nb_cyw43439 *d, uint32_t addr, uint8_t *dst, size_t len)
{
	size_t pad = d->bus.f1_pad;
	int ret;

	if (!d->bus.word32 || len == 0 || len > CYW_BP_MAX_XFER)
		return -NB_EINVAL;
	ret = xfer_read(d, cyw_bus_cmd(false, CYW_F1, addr, (uint32_t)len), d->bus.scratch,
			pad + round4(len));
	if (ret < 0)
		return ret;
	memcpy(dst, d->bus.scratch + pad, len);
	return 0;
}

int cyw_f1_write_block(struct nb_cyw43439 *d, uint32_t addr, const uint8_t *src, size_t len)
{
	size_t n = round4(len);

	if (!d->bus.word32 || len == 0 || len > CYW_BP_MAX_XFER)
		return -NB_EINVAL;
	/* whole words go on the wire; the command's length field keeps the exact count */
	memcpy(d->bus.scratch, src, len);
	memset(d->bus.scratch + len, 0, n - len);
	return xfer_write(d, cyw_bus_cmd(true, CYW_F1, addr, (uint32_t)len), d->bus.scratch, n);
}

int cyw_f2_read(struct nb_cyw43439 *d, uint8_t *dst, size_t len)
{
	int ret;

	if (!d->bus.word32 || len == 0 || len > CYW_F2_BUF - 4u)
		return -NB_EINVAL;
	ret = xfer_read(d, cyw_bus_cmd(false, CYW_F2, 0, (uint32_t)len), dst, round4(len));
	if (ret == 0 && no_answer(d))
		return -NB_ENODATA;
	return ret;
}

int cyw_f2_write(struct nb_cyw43439 *d, const uint8_t *src, size_t len)
{
	int ret;

	if (!d->bus.word32 || len == 0 || len > CYW_F2_BUF - 4u)
		return -NB_EINVAL;
	/* exact length in the command: the chip sizes the frame from it (§3.1) */
	ret = xfer_write(d, cyw_bus_cmd(true, CYW_F2, 0, (uint32_t)len), src, round4(len));
	if (ret == 0 && no_answer(d))
		return -NB_EIO;
	if (ret == 0)
		d->stats.f2_frames_tx++;
	return ret;
}

int cyw_bus_status(struct nb_cyw43439 *d, uint32_t *status)
{
	uint32_t v;
	int ret = cyw_reg_read(d, CYW_F0, CYW_F0_STATUS, 4, &v);

	if (ret < 0)
		return ret;
	/* §1.10: all-ones is what a floating line reads; no real status looks like that */
	if (v == 0xFFFFFFFFu)
		return -NB_ENODATA;
	*status = v;
	d->f2_pending = (v & CYW_ST_F2_PKT_AVAILABLE) != 0;
	return 0;
}

/*
 * §1.2: the first transfer after power-up can come back shifted by one bit (WHD's chip-issue
 * note; 0xFEED3EAD and 0xFF765F56 in the Embassy reports), so a one-bit shift of the pattern
 * means "the chip is there, ask again" rather than "no chip".
 */
static bool shifted_pattern(uint32_t wire)
{
	const uint32_t p = TEST_PATTERN_WIRE16;

	return (wire & 0x7FFFFFFFu) == (p >> 1) ||       /* one extra leading bit */
	       (wire & 0xFFFFFFFEu) == (p << 1) ||       /* first bit lost */
	       (wire & 0x7FFFFFFFu) == (p & 0x7FFFFFFFu); /* first bit sampled wrong */
}

int cyw_bus_probe(struct nb_cyw43439 *d)
{
	uint8_t *rx = d->bus.scratch;
	uint32_t wire;
	int ret;

	cyw_bus_reset(d);
	ret = xfer_read(d, cyw_bus_cmd(false, CYW_F0, CYW_F0_TEST_RO, 4), rx, 4);
	if (ret < 0)
		return ret;
	if (get_word(d, rx) == CYW_TEST_PATTERN)
		return 0;
	d->stats.test_pattern_retries++;
	wire = ((uint32_t)rx[0] << 24) | ((uint32_t)rx[1] << 16) | ((uint32_t)rx[2] << 8) | rx[3];
	if (shifted_pattern(wire)) {
		d->stats.test_pattern_shifted++;
		cyw_log(d, NB_LOG_DEBUG, "test pattern shifted by one bit, retrying", wire, 0);
		return 2;
	}
	return 1;
}

int cyw_bus_configure(struct nb_cyw43439 *d)
{
	uint8_t pad = d->cfg.f1_resp_delay ? d->cfg.f1_resp_delay : 4u;
	uint8_t se = CYW_SE_INTR_WITH_STATUS | (d->cfg.status_disabled ? 0u : CYW_SE_STATUS);
	uint32_t bc = CYW_BC_WORD32 | CYW_BC_ENDIAN_BIG | CYW_BC_HIGH_SPEED | CYW_BC_INT_POL_HIGH |
		      CYW_BC_WAKE_UP;
	uint32_t v;
	int ret;

	/* The R/W test register proves our 16-bit formatting before we depend on it. */
	ret = cyw_reg_write(d, CYW_F0, CYW_F0_TEST_RW, 4, TEST_RW_VALUE);
	if (ret < 0)
		return ret;
	ret = cyw_reg_read(d, CYW_F0, CYW_F0_TEST_RW, 4, &v);
	if (ret < 0)
		return ret;
	if (v != TEST_RW_VALUE) {
		cyw_log(d, NB_LOG_ERR, "test register read-back in 16-bit mode", v, TEST_RW_VALUE);
		return -NB_EIO;
	}
	/* §1.7: one 32-bit write sets bus control, response delay (4) and status enable; it is
	 * sent in 16-bit format and takes effect with the next transaction. */
	ret = cyw_reg_write(d, CYW_F0, CYW_F0_BUS_CONTROL, 4,
			    bc | (4u << 8) | ((uint32_t)se << 16));
	if (ret < 0)
		return ret;
	d->bus.word32 = true;
	ret = cyw_reg_read(d, CYW_F0, CYW_F0_TEST_RO, 4, &v);
	if (ret < 0)
		return ret;
	if (v != CYW_TEST_PATTERN) {
		cyw_log(d, NB_LOG_ERR, "test pattern wrong after 32-bit switch", v, 0);
		return -NB_EIO;
	}
	ret = cyw_reg_read(d, CYW_F0, CYW_F0_TEST_RW, 4, &v);
	if (ret < 0)
		return ret;
	if (v != TEST_RW_VALUE) {
		cyw_log(d, NB_LOG_ERR, "test register read-back in 32-bit mode", v, TEST_RW_VALUE);
		return -NB_EIO;
	}
	ret = cyw_reg_read(d, CYW_F0, CYW_F0_BUS_CONTROL, 4, &v);
	if (ret < 0)
		return ret;
	if ((v & (CYW_BC_WORD32 | CYW_BC_ENDIAN_BIG)) != (CYW_BC_WORD32 | CYW_BC_ENDIAN_BIG) ||
	    ((v >> 16) & 0x03u) != se) {
		cyw_log(d, NB_LOG_ERR, "bus control read-back", v, bc);
		return -NB_EIO;
	}
	d->bus.status_on = !d->cfg.status_disabled;
	ret = cyw_reg_write(d, CYW_F0, CYW_F0_RESP_DELAY_F1, 1, pad);
	if (ret < 0)
		return ret;
	d->bus.f1_pad = pad;
	return 0;
}
