/* SPDX-License-Identifier: MIT */
/* Clause-22 MDIO frames from MPSSE clock-bits commands: one USB transfer per frame. */
#include <errno.h>

#include "hil/ftdi_priv.h"

#define OP_READ 2u
#define OP_WRITE 1u

static struct nb_ftdi *ftdi_of(void *ctx)
{
	return ctx;
}

static void drive_mdio(struct nb_ftdi *f, bool on)
{
	/* idle/preamble level is 1: driven high it matches the pull-up */
	nb_ftdi_shadow(f, NB_FTDI_PIN_DO, on, true);
	nb_ftdi_q_pins(f, NB_FTDI_PIN_DO);
}

static int run_frame(struct nb_ftdi *f, const char *what)
{
	f->stats.mdio_frames++;
	return nb_ftdi_q_run(f, what) < 0 ? -EIO : 0;
}

/*
 * IEEE 802.3 22.2.4.5: 32 ones, ST=01, OP, PHYAD, REGAD — 46 bits, out on the falling edge
 * so they are stable at the PHY's rising-edge sample. 40 go as 5 bytes, the last 6 as bits.
 */
static void header(struct nb_ftdi *f, unsigned op, uint8_t phy, uint8_t reg)
{
	uint32_t h = (1u << 12) | (op << 10) | ((uint32_t)phy << 5) | reg;
	uint8_t pre[5] = { 0xFF, 0xFF, 0xFF, 0xFF, (uint8_t)(h >> 6) };

	nb_ftdi_q_divisor(f, f->fn_div);
	drive_mdio(f, true);
	nb_ftdi_q_shift_bytes(f, NB_MPSSE_OUT_BYTES, pre, NULL, sizeof(pre));
	nb_ftdi_q_shift_bits(f, NB_MPSSE_OUT_BITS, (uint8_t)((h & 0x3Fu) << 2), NULL, 6);
}

static int mdio_read(void *ctx, uint8_t phy, uint8_t reg)
{
	struct nb_ftdi *f = ftdi_of(ctx);
	int ret;

	if (phy > NB_MDIO_MAX_ADDR || reg > NB_MDIO_MAX_REG)
		return -EINVAL;
	header(f, OP_READ, phy, reg);
	/* Turnaround: release the line before edge 47. Sampling on rising edges 47..64 gives
	 * TA1 (nobody drives), TA2 (the PHY's 0, launched after edge 47) and D15..D0: the PHY
	 * launches each bit after a rising edge and it is taken at the next one (22.3.4). */
	drive_mdio(f, false);
	nb_ftdi_q_shift_bits(f, NB_MPSSE_IN_BITS, 0, &f->mdio_in[0], 2);
	nb_ftdi_q_shift_bytes(f, NB_MPSSE_IN_BYTES, NULL, &f->mdio_in[1], 2);
	ret = run_frame(f, "mdio read");
	if (ret < 0)
		return ret;
	/* two bits read MSB-first land in bits 1..0: TA2 is bit 0 */
	if (f->mdio_in[0] & 0x01u) {
		f->stats.mdio_ta_errors++;
		if (f->ta_error_is_eio)
			return nb_ftdi_fail(f, -EIO,
					    "mdio read phy %u reg %u: no PHY drove the turnaround",
					    phy, reg);
	}
	return (int)(((unsigned)f->mdio_in[1] << 8) | f->mdio_in[2]);
}

static int mdio_write(void *ctx, uint8_t phy, uint8_t reg, uint16_t val)
{
	struct nb_ftdi *f = ftdi_of(ctx);
	uint32_t w;
	uint8_t frame[8];

	if (phy > NB_MDIO_MAX_ADDR || reg > NB_MDIO_MAX_REG)
		return -EINVAL;
	/* ST=01 OP=01 PHYAD REGAD TA=10 DATA: the station drives all 64 bits. */
	w = (1u << 30) | (OP_WRITE << 28) | ((uint32_t)phy << 23) | ((uint32_t)reg << 18) |
	    (2u << 16) | val;
	frame[0] = frame[1] = frame[2] = frame[3] = 0xFF;
	frame[4] = (uint8_t)(w >> 24);
	frame[5] = (uint8_t)(w >> 16);
	frame[6] = (uint8_t)(w >> 8);
	frame[7] = (uint8_t)w;
	nb_ftdi_q_divisor(f, f->fn_div);
	drive_mdio(f, true);
	nb_ftdi_q_shift_bytes(f, NB_MPSSE_OUT_BYTES, frame, NULL, sizeof(frame));
	drive_mdio(f, false);
	return run_frame(f, "mdio write");
}

static const struct nb_mdio_ops ftdi_mdio_ops = {
	.read = mdio_read,
	.write = mdio_write,
};

int nb_ftdi_mdio_attach(struct nb_ftdi *f, const struct nb_ftdi_mdio_cfg *cfg,
			struct nb_mdio_bus *bus)
{
	static const struct nb_ftdi_mdio_cfg dflt;
	uint32_t want, hz;
	uint16_t pins, div;

	if (!f || !bus)
		return -EINVAL;
	if (!cfg)
		cfg = &dflt;
	want = cfg->mdc_hz ? cfg->mdc_hz : NB_FTDI_DEFAULT_MDC_HZ;
	if (want > NB_FTDI_MAX_MDC_HZ)
		return nb_ftdi_fail(f, -EINVAL, "mdio: MDC %u Hz is above the 2.5 MHz of IEEE "
				    "802.3 22.2.2.11", want);
	pins = (uint16_t)(nb_ftdi_bit(NB_FTDI_PIN_SK) | nb_ftdi_bit(NB_FTDI_PIN_DO) |
			  nb_ftdi_bit(NB_FTDI_PIN_DI));
	if (f->fn != NB_FTDI_FN_NONE)
		return nb_ftdi_fail(f, -EBUSY, "mdio: the MPSSE pins already serve %s",
				    f->fn == NB_FTDI_FN_GSPI ? "gSPI" : "MDIO");
	if (f->gpio_out & pins)
		return nb_ftdi_fail(f, -EBUSY, "mdio: SK/DO/DI is in use as a GPIO output");
	hz = nb_ftdi_clock_for(want, &div);
	f->fn = NB_FTDI_FN_MDIO;
	f->claimed = pins;
	f->fn_div = div;
	f->fn_hz = hz;
	f->ta_error_is_eio = cfg->ta_error_is_eio;
	f->armed &= (uint16_t)~(pins & ~nb_ftdi_bit(NB_FTDI_PIN_DI));
	nb_ftdi_shadow(f, NB_FTDI_PIN_SK, true, false);
	nb_ftdi_shadow(f, NB_FTDI_PIN_DI, false, false);
	nb_ftdi_shadow(f, NB_FTDI_PIN_DO, false, true);
	nb_ftdi_q_divisor(f, div);
	nb_ftdi_q_pins(f, NB_FTDI_ADBUS(0));
	if (nb_ftdi_q_run(f, "mdio attach") < 0) {
		f->fn = NB_FTDI_FN_NONE;
		f->claimed = 0;
		f->div_valid = false;
		return -EIO;
	}
	bus->ops = &ftdi_mdio_ops;
	bus->ctx = f;
	return 0;
}

uint32_t nb_ftdi_mdio_clock(const struct nb_ftdi *f)
{
	return f && f->fn == NB_FTDI_FN_MDIO ? f->fn_hz : 0;
}
