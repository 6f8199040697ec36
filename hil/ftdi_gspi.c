/* SPDX-License-Identifier: MIT */
/* gSPI over the MPSSE: one bidirectional data line, one USB write per transaction. */
#include <errno.h>

#include "hil/ftdi_priv.h"

static struct nb_ftdi *ftdi_of(void *ctx)
{
	return ctx;
}

static void drive_do(struct nb_ftdi *f, bool on)
{
	/* DO low while driven and idle: the data line must read low when WL_REG_ON rises (the
	 * gSPI mode strap, reference §1.1); released it rests at the board's pull-down. */
	nb_ftdi_shadow(f, NB_FTDI_PIN_DO, on, false);
}

static void cs(struct nb_ftdi *f, bool active)
{
	nb_ftdi_shadow(f, f->cs_pin, true, !active);
	nb_ftdi_q_pins(f, f->cs_pin);
}

/* DO driving and CS low (one SET_LOW when CS is on ADBUS), then the command out; the
 * transaction shapes of reference §1.6. */
static void begin(struct nb_ftdi *f, const uint8_t cmd[4])
{
	nb_ftdi_q_divisor(f, f->fn_div);
	drive_do(f, true);
	if (f->cs_pin >= 8u)
		nb_ftdi_q_pins(f, NB_FTDI_PIN_DO);
	cs(f, true);
	nb_ftdi_q_shift_bytes(f, NB_MPSSE_OUT_BYTES, cmd, NULL, 4);
}

/* Release the line (turnaround, reference §1.3), clock in @p rx_len bytes and the status
 * phase on rising edges, CS high. DO stays released until the next transaction. */
static void finish(struct nb_ftdi *f, uint8_t *rx, size_t rx_len)
{
	drive_do(f, false);
	nb_ftdi_q_pins(f, NB_FTDI_PIN_DO);
	if (rx_len)
		nb_ftdi_q_shift_bytes(f, NB_MPSSE_IN_BYTES, NULL, rx, rx_len);
	nb_ftdi_q_shift_bytes(f, NB_MPSSE_IN_BYTES, NULL, f->status, NB_GSPI_STATUS_LEN);
	cs(f, false);
}

static int transact(struct nb_ftdi *f, const char *what)
{
	int ret;

	f->stats.gspi_transactions++;
	ret = nb_ftdi_q_run(f, what);
	if (ret < 0) {
		/* CS may have been left low: the next transaction's CS edge starts afresh */
		return ret == -ENOMEM ? ret : -EIO;
	}
	return 0;
}

static int gspi_cmd_read(void *ctx, const uint8_t cmd[4], uint8_t *rx, size_t rx_len)
{
	struct nb_ftdi *f = ftdi_of(ctx);

	if (rx_len && !rx)
		return -EINVAL;
	begin(f, cmd);
	finish(f, rx, rx_len);
	return transact(f, "gspi read");
}

static int gspi_cmd_write(void *ctx, const uint8_t cmd[4], const uint8_t *tx, size_t tx_len)
{
	struct nb_ftdi *f = ftdi_of(ctx);

	if (tx_len && !tx)
		return -EINVAL;
	begin(f, cmd);
	if (tx_len)
		nb_ftdi_q_shift_bytes(f, NB_MPSSE_OUT_BYTES, tx, NULL, tx_len);
	finish(f, NULL, 0);
	return transact(f, "gspi write");
}

static int gspi_last_status(void *ctx, uint8_t status[NB_GSPI_STATUS_LEN])
{
	struct nb_ftdi *f = ftdi_of(ctx);

	for (unsigned i = 0; i < NB_GSPI_STATUS_LEN; i++)
		status[i] = f->status[i];
	return 0;
}

static const struct nb_gspi_ops ftdi_gspi_ops = {
	.cmd_read = gspi_cmd_read,
	.cmd_write = gspi_cmd_write,
	.last_status = gspi_last_status,
};

int nb_ftdi_gspi_attach(struct nb_ftdi *f, const struct nb_ftdi_gspi_cfg *cfg,
			struct nb_gspi_bus *bus)
{
	static const struct nb_ftdi_gspi_cfg dflt;
	unsigned cs_pin;
	uint16_t pins, div;
	uint32_t hz;

	if (!f || !bus)
		return -EINVAL;
	if (!cfg)
		cfg = &dflt;
	cs_pin = cfg->cs_pin ? cfg->cs_pin : NB_FTDI_PIN_CS;
	if (cs_pin >= f->npins || cs_pin == NB_FTDI_PIN_DO || cs_pin == NB_FTDI_PIN_DI)
		return nb_ftdi_fail(f, -EINVAL, "gspi: CS pin %u is not a free FTDI pin", cs_pin);
	pins = (uint16_t)(nb_ftdi_bit(NB_FTDI_PIN_SK) | nb_ftdi_bit(NB_FTDI_PIN_DO) |
			  nb_ftdi_bit(NB_FTDI_PIN_DI) | nb_ftdi_bit(cs_pin));
	if (f->fn != NB_FTDI_FN_NONE)
		return nb_ftdi_fail(f, -EBUSY, "gspi: the MPSSE pins already serve %s",
				    f->fn == NB_FTDI_FN_GSPI ? "gSPI" : "MDIO");
	if (f->gpio_out & pins)
		return nb_ftdi_fail(f, -EBUSY, "gspi: a pin of SK/DO/DI/CS (%u) is a GPIO output",
				    cs_pin);
	hz = nb_ftdi_clock_for(cfg->clock_hz ? cfg->clock_hz : NB_FTDI_DEFAULT_GSPI_HZ, &div);
	f->fn = NB_FTDI_FN_GSPI;
	f->claimed = pins;
	f->cs_pin = cs_pin;
	f->fn_div = div;
	f->fn_hz = hz;
	f->armed &= (uint16_t)~(pins & ~nb_ftdi_bit(NB_FTDI_PIN_DI));
	nb_ftdi_shadow(f, NB_FTDI_PIN_SK, true, false);
	nb_ftdi_shadow(f, NB_FTDI_PIN_DI, false, false);
	drive_do(f, false);
	nb_ftdi_shadow(f, cs_pin, true, true);
	nb_ftdi_q_divisor(f, div);
	nb_ftdi_q_pins(f, NB_FTDI_ADBUS(0));
	if (cs_pin >= 8u)
		nb_ftdi_q_pins(f, cs_pin);
	if (nb_ftdi_q_run(f, "gspi attach") < 0) {
		f->fn = NB_FTDI_FN_NONE;
		f->claimed = 0;
		f->div_valid = false;
		return -EIO;
	}
	bus->ops = &ftdi_gspi_ops;
	bus->ctx = f;
	return 0;
}

uint32_t nb_ftdi_gspi_clock(const struct nb_ftdi *f)
{
	return f && f->fn == NB_FTDI_FN_GSPI ? f->fn_hz : 0;
}
