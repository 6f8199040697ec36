/* SPDX-License-Identifier: MIT */
/* FTDI MPSSE over libftdi1: open, set-up, and the command queue every function sends. */
#include <errno.h>
#include <ftdi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hil/ftdi_priv.h"

#define DEFAULT_IO_TIMEOUT_MS 1000u

int nb_ftdi_fail(struct nb_ftdi *f, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->err, sizeof(f->err), fmt, ap);
	va_end(ap);
	f->stats.errors++;
	nb_log(&f->cfg.log, NB_LOG_ERR, "hil.ftdi", f->err, err, 0);
	return err;
}

uint32_t nb_ftdi_clock_for(uint32_t hz, uint16_t *div)
{
	/* AN_108 §3.8: SK = 60 MHz / ((1 + div) * 2) with the divide-by-5 prescaler off. Round
	 * the divisor up so the clock never exceeds what the caller asked for. */
	uint32_t half = NB_FTDI_BASE_HZ / 2u;
	uint64_t d;

	if (hz == 0 || hz >= half) {
		*div = 0;
		return half;
	}
	d = (half + (uint64_t)hz - 1u) / hz - 1u;
	if (d > 0xFFFFu)
		d = 0xFFFFu;
	*div = (uint16_t)d;
	return (uint32_t)(half / (d + 1u));
}

/* ---- command queue ---------------------------------------------------------------------- */

void nb_ftdi_q_bytes(struct nb_ftdi *f, const uint8_t *p, size_t n)
{
	if (f->q_nomem)
		return;
	if (f->qlen + n > f->qcap) {
		size_t cap = f->qcap ? f->qcap : 256;
		uint8_t *q;

		while (cap < f->qlen + n)
			cap *= 2;
		q = realloc(f->q, cap);
		if (!q) {
			f->q_nomem = true;
			return;
		}
		f->q = q;
		f->qcap = cap;
	}
	memcpy(f->q + f->qlen, p, n);
	f->qlen += n;
}

void nb_ftdi_q_pins(struct nb_ftdi *f, unsigned pin)
{
	unsigned hi = pin >= 8u;
	uint8_t cmd[3] = { hi ? NB_MPSSE_SET_HIGH : NB_MPSSE_SET_LOW, f->val[hi], f->dir[hi] };

	/* an FT4232H channel has no high byte: the MPSSE would answer 0xFA into our reads */
	if (hi && f->npins <= 8u)
		return;
	nb_ftdi_q_bytes(f, cmd, sizeof(cmd));
}

void nb_ftdi_q_divisor(struct nb_ftdi *f, uint16_t div)
{
	uint8_t cmd[3] = { NB_MPSSE_DIVISOR, (uint8_t)div, (uint8_t)(div >> 8) };

	if (f->div_valid && f->div == div)
		return;
	nb_ftdi_q_bytes(f, cmd, sizeof(cmd));
	f->div = div;
	f->div_valid = true;
}

void nb_ftdi_q_read(struct nb_ftdi *f, uint8_t *dst, size_t len)
{
	if (!len)
		return;
	if (f->nrd == NB_FTDI_MAX_RD) {
		f->q_nomem = true; /* a programming error; reported as -ENOMEM by q_run */
		return;
	}
	f->rd[f->nrd].dst = dst;
	f->rd[f->nrd].len = len;
	f->nrd++;
	f->rd_total += len;
}

void nb_ftdi_q_shift_bytes(struct nb_ftdi *f, uint8_t op, const uint8_t *p, uint8_t *dst,
			   size_t n)
{
	while (n) {
		size_t k = n > NB_MPSSE_MAX_SHIFT ? NB_MPSSE_MAX_SHIFT : n;
		uint8_t cmd[3] = { op, (uint8_t)(k - 1u), (uint8_t)((k - 1u) >> 8) };

		nb_ftdi_q_bytes(f, cmd, sizeof(cmd));
		if (op & NB_MPSSE_DO_WRITE) {
			nb_ftdi_q_bytes(f, p, k);
			p += k;
		}
		if (op & NB_MPSSE_DO_READ) {
			nb_ftdi_q_read(f, dst, k);
			dst += k;
		}
		n -= k;
	}
}

void nb_ftdi_q_shift_bits(struct nb_ftdi *f, uint8_t op, uint8_t bits, uint8_t *dst,
			  unsigned nbits)
{
	uint8_t cmd[3] = { op, (uint8_t)(nbits - 1u), bits };

	nb_ftdi_q_bytes(f, cmd, (op & NB_MPSSE_DO_WRITE) ? 3u : 2u);
	if (op & NB_MPSSE_DO_READ)
		nb_ftdi_q_read(f, dst, 1);
}

void nb_ftdi_q_discard(struct nb_ftdi *f)
{
	f->qlen = 0;
	f->nrd = 0;
	f->rd_total = 0;
	f->q_nomem = false;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Read exactly @p len bytes. libftdi returns what the chip had (often 0: it only sends its
 * two modem-status bytes every latency period), so this loops until the deadline. */
static int read_exact(struct nb_ftdi *f, uint8_t *dst, size_t len, size_t *got_total,
		      uint64_t deadline, const char *what)
{
	size_t got = 0;

	while (got < len) {
		int n = ftdi_read_data(f->ctx, dst + got, (int)(len - got));

		if (n < 0) {
			f->dirty = true;
			return nb_ftdi_fail(f, -EIO, "%s: ftdi_read_data: %s (%d)", what,
					    ftdi_get_error_string(f->ctx), n);
		}
		if ((size_t)n > len - got) {
			f->dirty = true;
			return nb_ftdi_fail(f, -EIO, "%s: ftdi_read_data returned %d bytes for %zu",
					    what, n, len - got);
		}
		got += (size_t)n;
		*got_total += (size_t)n;
		if (got < len && mono_ms() >= deadline) {
			f->dirty = true;
			return nb_ftdi_fail(f, -EIO,
					    "%s: short read: %zu of %zu bytes within %u ms "
					    "(adapter unplugged or MPSSE stalled)",
					    what, *got_total, f->rd_total, f->cfg.io_timeout_ms);
		}
	}
	return 0;
}

int nb_ftdi_q_run(struct nb_ftdi *f, const char *what)
{
	size_t got = 0;
	uint64_t deadline;
	int n, ret = 0;

	if (f->rd_total)
		nb_ftdi_q_byte(f, NB_MPSSE_SEND_IMMEDIATE);
	if (f->q_nomem) {
		nb_ftdi_q_discard(f);
		return nb_ftdi_fail(f, -ENOMEM, "%s: out of memory building the MPSSE stream",
				    what);
	}
	if (f->dirty) {
		/* After a failed transfer bytes of the old stream may still sit in the chip. */
		if (ftdi_tcioflush(f->ctx) < 0) {
			ret = nb_ftdi_fail(f, -EIO, "%s: ftdi_tcioflush: %s", what,
					   ftdi_get_error_string(f->ctx));
			goto out;
		}
		f->dirty = false;
	}
	n = ftdi_write_data(f->ctx, f->q, (int)f->qlen);
	f->stats.usb_writes++;
	if (n != (int)f->qlen) {
		f->dirty = true;
		if (n < 0)
			ret = nb_ftdi_fail(f, -EIO, "%s: ftdi_write_data: %s (%d)", what,
					   ftdi_get_error_string(f->ctx), n);
		else
			ret = nb_ftdi_fail(f, -EIO, "%s: ftdi_write_data wrote %d of %zu bytes",
					   what, n, f->qlen);
		goto out;
	}
	f->stats.bytes_out += f->qlen;
	if (!f->rd_total)
		goto out;
	deadline = mono_ms() + f->cfg.io_timeout_ms;
	for (unsigned i = 0; i < f->nrd; i++) {
		ret = read_exact(f, f->rd[i].dst, f->rd[i].len, &got, deadline, what);
		if (ret < 0)
			goto out;
	}
	f->stats.usb_reads++;
	f->stats.bytes_in += got;
out:
	nb_ftdi_q_discard(f);
	return ret;
}

void nb_ftdi_shadow(struct nb_ftdi *f, unsigned pin, bool output, bool level)
{
	unsigned hi = pin >= 8u;
	uint8_t m = (uint8_t)(1u << (pin & 7u));

	f->dir[hi] = output ? (uint8_t)(f->dir[hi] | m) : (uint8_t)(f->dir[hi] & ~m);
	f->val[hi] = level ? (uint8_t)(f->val[hi] | m) : (uint8_t)(f->val[hi] & ~m);
}

/* ---- open / close ----------------------------------------------------------------------- */

static const uint16_t default_pids[] = { NB_FTDI_PID_FT232H, NB_FTDI_PID_FT2232H,
					 NB_FTDI_PID_FT4232H };

static void describe_target(const struct nb_ftdi *f, char *buf, size_t len)
{
	char pid[32];

	if (f->cfg.pid)
		snprintf(pid, sizeof(pid), "%04x", f->cfg.pid);
	else
		snprintf(pid, sizeof(pid), "{6014,6010,6011}");
	snprintf(buf, len, "%04x:%s%s%s%s%s index %u channel %c", f->cfg.vid, pid,
		 f->cfg.serial ? " serial " : "", f->cfg.serial ? f->cfg.serial : "",
		 f->cfg.description ? " description " : "",
		 f->cfg.description ? f->cfg.description : "", f->cfg.index, f->cfg.channel);
}

/* libftdi's ftdi_usb_open_desc_index() codes: -3 not found, -4 cannot open (permissions),
 * -5 cannot claim (another driver or program), the rest are USB failures. */
static int open_usb(struct nb_ftdi *f)
{
	char target[256];
	int r = -3;

	describe_target(f, target, sizeof(target));
	for (size_t i = 0; i < NB_ARRAY_SIZE(default_pids); i++) {
		uint16_t pid = f->cfg.pid ? f->cfg.pid : default_pids[i];

		r = ftdi_usb_open_desc_index(f->ctx, f->cfg.vid, pid, f->cfg.description,
					     f->cfg.serial, f->cfg.index);
		if (r == 0) {
			f->pid = pid;
			return 0;
		}
		if (r != -3 || f->cfg.pid)
			break;
	}
	switch (r) {
	case -3:
		return nb_ftdi_fail(f, -ENODEV, "no FTDI adapter %s found", target);
	case -4:
		return nb_ftdi_fail(f, -EACCES,
				    "FTDI adapter %s: cannot open the USB device: %s (a udev rule "
				    "giving your user access is needed)",
				    target, ftdi_get_error_string(f->ctx));
	case -5:
		return nb_ftdi_fail(f, -EBUSY,
				    "FTDI adapter %s: cannot claim the interface: %s (another "
				    "program or the ftdi_sio driver holds it)",
				    target, ftdi_get_error_string(f->ctx));
	default:
		return nb_ftdi_fail(f, -EIO, "FTDI adapter %s: ftdi_usb_open_desc_index: %s (%d)",
				    target, ftdi_get_error_string(f->ctx), r);
	}
}

static int check_chip(struct nb_ftdi *f)
{
	switch (f->ctx->type) {
	case TYPE_232H:
		f->chip = "FT232H";
		if (f->cfg.channel != 'A')
			return nb_ftdi_fail(f, -EINVAL, "the FT232H has one channel (A), not %c",
					    f->cfg.channel);
		return 0;
	case TYPE_2232H:
		f->chip = "FT2232H";
		return 0;
	case TYPE_4232H:
		f->chip = "FT4232H"; /* MPSSE on channels A and B only, 8 pins each */
		f->npins = 8;
		return 0;
	default:
		return nb_ftdi_fail(f, -EOPNOTSUPP,
				    "FTDI chip type %d is not an H-series MPSSE part (FT232H, "
				    "FT2232H or FT4232H needed)",
				    (int)f->ctx->type);
	}
}

#define CHECK(call, what)                                                                   \
	do {                                                                                \
		int r_ = (call);                                                            \
		if (r_ < 0) {                                                               \
			ret = nb_ftdi_fail(f, -EIO, "%s: %s: %s (%d)", f->chip, what,       \
					   ftdi_get_error_string(f->ctx), r_);              \
			goto err_setup;                                                     \
		}                                                                           \
	} while (0)

static int setup_mpsse(struct nb_ftdi *f)
{
	/* AN_135 §5.3: an opcode the MPSSE does not know is answered with 0xFA and the opcode;
	 * that proves the command processor is in sync before anything is clocked. */
	static const uint8_t sync[1] = { 0xAA };
	uint8_t echo[2] = { 0, 0 };
	int ret;

	CHECK(ftdi_usb_reset(f->ctx), "ftdi_usb_reset");
	CHECK(ftdi_set_latency_timer(f->ctx, f->cfg.latency_ms), "ftdi_set_latency_timer");
	CHECK(ftdi_set_bitmode(f->ctx, 0, BITMODE_RESET), "ftdi_set_bitmode(RESET)");
	CHECK(ftdi_set_bitmode(f->ctx, 0, BITMODE_MPSSE), "ftdi_set_bitmode(MPSSE)");
	CHECK(ftdi_tcioflush(f->ctx), "ftdi_tcioflush");

	nb_ftdi_q_bytes(f, sync, sizeof(sync));
	nb_ftdi_q_read(f, echo, sizeof(echo));
	ret = nb_ftdi_q_run(f, "MPSSE sync");
	if (ret < 0)
		return ret;
	if (echo[0] != NB_MPSSE_BAD_COMMAND || echo[1] != sync[0])
		return nb_ftdi_fail(f, -EIO,
				    "%s: MPSSE did not answer the sync (got %02x %02x, want fa aa)",
				    f->chip, echo[0], echo[1]);

	nb_ftdi_q_byte(f, NB_MPSSE_DIV5_OFF);
	nb_ftdi_q_byte(f, NB_MPSSE_ADAPTIVE_OFF);
	nb_ftdi_q_byte(f, NB_MPSSE_3PHASE_OFF);
	nb_ftdi_q_byte(f, NB_MPSSE_LOOPBACK_OFF);
	memset(f->val, 0, sizeof(f->val));
	memset(f->dir, 0, sizeof(f->dir));
	nb_ftdi_q_pins(f, NB_FTDI_ADBUS(0));
	nb_ftdi_q_pins(f, NB_FTDI_ACBUS(0));
	return nb_ftdi_q_run(f, "MPSSE set-up");
err_setup:
	return ret;
}

int nb_ftdi_open(const struct nb_ftdi_cfg *cfg, struct nb_ftdi **out, char *err, size_t errlen)
{
	static const struct nb_ftdi_cfg dflt;
	struct nb_ftdi *f;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!out)
		return -EINVAL;
	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (!f) {
		if (err)
			snprintf(err, errlen, "ftdi: out of memory");
		return -ENOMEM;
	}
	f->cfg = cfg ? *cfg : dflt;
	f->npins = NB_FTDI_PINS;
	/* an open failure is the caller's to report (err); the log is for failures later */
	f->cfg.log.fn = NULL;
	f->chip = "FTDI";
	if (!f->cfg.vid)
		f->cfg.vid = NB_FTDI_VID;
	if (!f->cfg.channel)
		f->cfg.channel = 'A';
	if (!f->cfg.latency_ms)
		f->cfg.latency_ms = 1;
	if (!f->cfg.io_timeout_ms)
		f->cfg.io_timeout_ms = DEFAULT_IO_TIMEOUT_MS;
	if (f->cfg.serial) {
		snprintf(f->serial, sizeof(f->serial), "%s", f->cfg.serial);
		f->cfg.serial = f->serial;
	}
	if (f->cfg.description) {
		snprintf(f->description, sizeof(f->description), "%s", f->cfg.description);
		f->cfg.description = f->description;
	}
	if (f->cfg.channel != 'A' && f->cfg.channel != 'B') {
		ret = nb_ftdi_fail(f, -EINVAL, "FTDI channel '%c': MPSSE is on channel A or B",
				   f->cfg.channel);
		goto err_cfg;
	}
	f->ctx = ftdi_new();
	if (!f->ctx) {
		ret = nb_ftdi_fail(f, -ENOMEM, "ftdi_new failed (out of memory or no libusb)");
		goto err_cfg;
	}
	if (ftdi_set_interface(f->ctx, f->cfg.channel == 'A' ? INTERFACE_A : INTERFACE_B) < 0) {
		ret = nb_ftdi_fail(f, -EINVAL, "ftdi_set_interface(%c): %s", f->cfg.channel,
				   ftdi_get_error_string(f->ctx));
		goto err_ctx;
	}
	ret = open_usb(f);
	if (ret < 0)
		goto err_ctx;
	ret = check_chip(f);
	if (ret < 0)
		goto err_usb;
	ret = setup_mpsse(f);
	if (ret < 0)
		goto err_usb;
	if (cfg)
		f->cfg.log = cfg->log;
	*out = f;
	return 0;

err_usb:
	(void)ftdi_usb_close(f->ctx);
err_ctx:
	ftdi_free(f->ctx);
err_cfg:
	if (err)
		snprintf(err, errlen, "%s", f->err);
	free(f->q);
	free(f);
	return ret;
}

void nb_ftdi_close(struct nb_ftdi *f)
{
	if (!f)
		return;
	/* Leave nothing driven: WL_REG_ON / nRST fall back to the board's pull resistors. */
	nb_ftdi_gpio_release_all(f);
	if (nb_ftdi_q_run(f, "close: release pins") < 0)
		nb_log(&f->cfg.log, NB_LOG_WARN, "hil.ftdi", "close: pins not released", 0, 0);
	if (ftdi_set_bitmode(f->ctx, 0, BITMODE_RESET) < 0)
		nb_log(&f->cfg.log, NB_LOG_WARN, "hil.ftdi", "close: MPSSE reset failed", 0, 0);
	if (ftdi_usb_close(f->ctx) < 0)
		nb_log(&f->cfg.log, NB_LOG_WARN, "hil.ftdi", "close: ftdi_usb_close failed", 0, 0);
	ftdi_free(f->ctx);
	free(f->q);
	free(f);
}

const char *nb_ftdi_last_error(const struct nb_ftdi *f)
{
	return f->err;
}

const struct nb_ftdi_stats *nb_ftdi_stats(const struct nb_ftdi *f)
{
	return &f->stats;
}

const char *nb_ftdi_chip_name(const struct nb_ftdi *f)
{
	return f->chip;
}

unsigned nb_ftdi_pin_count(const struct nb_ftdi *f)
{
	return f->npins;
}
