/* SPDX-License-Identifier: MIT */
#include "sim/bus/mdio_bus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MDIO_MAX_DEVS 32u
#define MDIO_PREAMBLE 32u
/* Bits of a clause-22 frame after the preamble: ST 2, OP 2, PHYAD 5, REGAD 5, TA 2, data 16. */
#define MDIO_BODY_BITS 32u

enum dec_state {
	DEC_HUNT,   /* counting preamble ones */
	DEC_ST,     /* first ST bit (0) seen, expecting the second */
	DEC_HEADER, /* OP, PHYAD, REGAD */
	DEC_TA,
	DEC_DATA,
	DEC_SKIP,   /* rest of a frame we ignore */
};

struct mdio_dev {
	const struct nb_sim_mdio_dev_ops *ops;
	void *ctx;
};

struct nb_sim_mdio {
	struct nb_sim *sim;
	struct nb_sim_mdio_cfg cfg;
	uint64_t half_ns;
	struct mdio_dev devs[MDIO_MAX_DEVS];
	unsigned ndevs;
	struct nb_sim_mdio_stats stats;
	nb_sim_mdio_trace_fn trace;
	void *trace_ctx;

	/* the pins a bit-banging station drives */
	bool mdc_out, mdc_level;
	bool mdio_out, mdio_level;
	/* the register-level station while it clocks a frame */
	bool reg_busy, reg_drive, reg_level;
	/* the PHY side */
	bool phy_drive, phy_level;
	bool in_callback;

	/* decoder */
	enum dec_state st;
	unsigned ones;    /* consecutive ones while hunting (saturates) */
	unsigned nbits;   /* bits collected in the current field group */
	unsigned skip;    /* bits left to ignore */
	uint32_t shift;
	bool is_read;
	uint8_t phy, reg;
	int answer;       /* index of the device answering this read, -1 none */
	uint16_t rdata;   /* value the answering PHY shifts out */
	uint16_t line_data;
	bool contended;
	/* last completed frame, for the register-level station */
	bool last_done;
	uint16_t last_val;
};

/* @p sampled: the level is taken on an MDC edge, so a fight is recorded for the frame. */
static bool line_level(struct nb_sim_mdio *bus, bool sampled)
{
	unsigned drivers = 0, highs = 0;

	if (bus->mdio_out) {
		drivers++;
		highs += bus->mdio_level;
	}
	if (bus->reg_drive) {
		drivers++;
		highs += bus->reg_level;
	}
	if (bus->phy_drive) {
		drivers++;
		highs += bus->phy_level;
	}
	if (drivers == 0)
		return !bus->cfg.no_pullup;
	if (highs != 0 && highs != drivers) {
		bus->contended |= sampled;
		return false;
	}
	return highs != 0;
}

static int find_dev(struct nb_sim_mdio *bus, uint8_t addr)
{
	for (unsigned i = 0; i < bus->ndevs; i++) {
		const struct mdio_dev *d = &bus->devs[i];

		if (d->ops->answers(d->ctx, addr))
			return (int)i;
	}
	return -1;
}

static void bad_frame(struct nb_sim_mdio *bus, uint64_t *which, unsigned rest)
{
	bus->stats.bad_frames++;
	(*which)++;
	bus->st = rest ? DEC_SKIP : DEC_HUNT;
	bus->skip = rest;
	bus->ones = 0;
}

static void frame_end(struct nb_sim_mdio *bus)
{
	bool answered = false;

	if (bus->contended)
		bus->stats.contention++;
	if (bus->is_read) {
		answered = bus->answer >= 0;
		bus->stats.reads++;
	} else {
		/* 22.2.4.5.5: the station drives TA as 1,0 on a write. */
		if (bus->shift != 0x2u) {
			bad_frame(bus, &bus->stats.bad_ta, 0);
			return;
		}
		int i = find_dev(bus, bus->phy);

		bus->stats.writes++;
		if (i >= 0) {
			answered = true;
			bus->in_callback = true;
			bus->devs[i].ops->write(bus->devs[i].ctx, bus->reg, bus->line_data);
			bus->in_callback = false;
		}
	}
	if (!answered)
		bus->stats.unanswered++;
	bus->last_done = true;
	bus->last_val = bus->line_data;
	if (bus->trace)
		bus->trace(bus->trace_ctx, nb_sim_now(bus->sim), !bus->is_read, bus->phy, bus->reg,
			   bus->line_data, answered);
	bus->st = DEC_HUNT;
	bus->ones = 0;
}

/* One bit sampled on an MDC rising edge, then what the PHY launches after that edge. */
static void decode(struct nb_sim_mdio *bus, bool bit)
{
	switch (bus->st) {
	case DEC_HUNT:
		if (bit) {
			if (bus->ones < MDIO_PREAMBLE)
				bus->ones++;
			return;
		}
		if (bus->ones >= MDIO_PREAMBLE) {
			bus->st = DEC_ST;
			bus->contended = false;
		} else if (bus->ones > 0) {
			/* A start after a short preamble: the frame is ignored. The LAN8720A
			 * needs the full preamble (BMSR.6 = 0); what it does otherwise is not
			 * documented, so the decoder sits out the rest of a frame. */
			bad_frame(bus, &bus->stats.short_preamble, MDIO_BODY_BITS - 1);
		}
		bus->ones = 0;
		return;
	case DEC_ST:
		if (!bit) {
			/* ST = 00 starts a clause-45 frame; a clause-22 PHY ignores it. */
			bad_frame(bus, &bus->stats.clause45, MDIO_BODY_BITS - 2);
			return;
		}
		bus->st = DEC_HEADER;
		bus->nbits = 0;
		bus->shift = 0;
		return;
	case DEC_HEADER:
		bus->shift = (bus->shift << 1) | bit;
		bus->nbits++;
		if (bus->nbits == 2 && bus->shift != 0x2u && bus->shift != 0x1u) {
			bad_frame(bus, &bus->stats.bad_op, MDIO_BODY_BITS - 4);
			return;
		}
		if (bus->nbits < 12)
			return;
		bus->is_read = ((bus->shift >> 10) & 3u) == 0x2u;
		bus->phy = (uint8_t)((bus->shift >> 5) & 0x1Fu);
		bus->reg = (uint8_t)(bus->shift & 0x1Fu);
		bus->answer = -1;
		if (bus->is_read) {
			bus->answer = find_dev(bus, bus->phy);
			if (bus->answer >= 0) {
				const struct mdio_dev *d = &bus->devs[bus->answer];

				bus->in_callback = true;
				bus->rdata = d->ops->read(d->ctx, bus->reg);
				bus->in_callback = false;
			}
		}
		bus->st = DEC_TA;
		bus->nbits = 0;
		bus->shift = 0;
		return;
	case DEC_TA:
		bus->shift = (bus->shift << 1) | bit;
		bus->nbits++;
		if (bus->nbits == 1) {
			/* TA first bit: nobody drove it. The PHY now drives the second TA bit 0. */
			if (bus->is_read && bus->answer >= 0) {
				bus->phy_drive = true;
				bus->phy_level = false;
			}
			return;
		}
		bus->st = DEC_DATA;
		bus->nbits = 0;
		bus->line_data = 0;
		if (bus->is_read && bus->answer >= 0)
			bus->phy_level = (bus->rdata >> 15) & 1u;
		/* keep the TA bits in shift for the write check */
		return;
	case DEC_DATA:
		bus->line_data = (uint16_t)((bus->line_data << 1) | bit);
		bus->nbits++;
		if (bus->nbits < 16) {
			if (bus->phy_drive)
				bus->phy_level = (bus->rdata >> (15 - bus->nbits)) & 1u;
			return;
		}
		bus->phy_drive = false;
		frame_end(bus);
		return;
	case DEC_SKIP:
		/* Count ones meanwhile, so a preamble that starts inside the skipped bits is
		 * not lost. */
		bus->ones = bit ? NB_MIN(bus->ones + 1, MDIO_PREAMBLE) : 0;
		if (--bus->skip == 0)
			bus->st = DEC_HUNT;
		return;
	}
}

static void mdc_set(struct nb_sim_mdio *bus, bool level)
{
	if (level == bus->mdc_level)
		return;
	/* The phase that just ended lasted half a period (22.3.4: MDC high/low >= 160 ns). */
	nb_sim_charge(bus->sim, bus->half_ns);
	bus->mdc_level = level;
	if (level)
		decode(bus, line_level(bus, true));
}

/* ---- pin-level station ---------------------------------------------------------------- */

static int gpio_set_dir(void *ctx, unsigned pin, bool output, bool level)
{
	struct nb_sim_mdio *bus = ctx;

	switch (pin) {
	case NB_SIM_MDIO_PIN_MDC:
		bus->mdc_out = output;
		if (output)
			mdc_set(bus, level);
		return 0;
	case NB_SIM_MDIO_PIN_MDIO:
		bus->mdio_out = output;
		bus->mdio_level = level;
		return 0;
	default:
		return -EINVAL;
	}
}

static int gpio_write(void *ctx, unsigned pin, bool level)
{
	struct nb_sim_mdio *bus = ctx;

	switch (pin) {
	case NB_SIM_MDIO_PIN_MDC:
		if (!bus->mdc_out)
			return -EPERM;
		mdc_set(bus, level);
		return 0;
	case NB_SIM_MDIO_PIN_MDIO:
		if (!bus->mdio_out)
			return -EPERM;
		bus->mdio_level = level;
		return 0;
	default:
		return -EINVAL;
	}
}

static int gpio_read(void *ctx, unsigned pin)
{
	struct nb_sim_mdio *bus = ctx;

	switch (pin) {
	case NB_SIM_MDIO_PIN_MDC:
		return bus->mdc_level;
	case NB_SIM_MDIO_PIN_MDIO:
		return line_level(bus, false);
	default:
		return -EINVAL;
	}
}

static const struct nb_gpio_ops mdio_gpio_ops = {
	.set_dir = gpio_set_dir,
	.write = gpio_write,
	.read = gpio_read,
};

/* ---- register-level station ----------------------------------------------------------- */

static void reg_clock(struct nb_sim_mdio *bus, bool drive, bool level)
{
	bus->reg_drive = drive;
	bus->reg_level = level;
	mdc_set(bus, true);
	mdc_set(bus, false);
}

/* Clock one complete frame: 32 ones, then the 32 body bits; bits after the header are
 * released on a read. */
static int reg_frame(struct nb_sim_mdio *bus, bool read, uint8_t phy, uint8_t reg, uint16_t val)
{
	uint32_t body;

	if (phy > NB_MDIO_MAX_ADDR || reg > NB_MDIO_MAX_REG)
		return -EINVAL;
	if (bus->in_callback || bus->reg_busy)
		return -EBUSY;
	bus->reg_busy = true;
	bus->last_done = false;
	/* The register-level station owns MDC for the frame; a low MDC first if a pin user
	 * left it high (that falling edge costs half a period, as it would on the pins). */
	mdc_set(bus, false);
	body = (1u << 30) | ((read ? 2u : 1u) << 28) | ((uint32_t)phy << 23) |
	       ((uint32_t)reg << 18) | (read ? 0u : ((2u << 16) | val));
	for (unsigned i = 0; i < MDIO_PREAMBLE; i++)
		reg_clock(bus, true, true);
	for (unsigned i = MDIO_BODY_BITS; i-- > 0;) {
		bool drive = !read || i >= 18;

		reg_clock(bus, drive, drive && ((body >> i) & 1u));
	}
	bus->reg_drive = false;
	bus->reg_busy = false;
	if (!read)
		return 0;
	/* A frame the decoder did not complete (another station interfered) reads as the
	 * floating line would. */
	return bus->last_done ? bus->last_val : (bus->cfg.no_pullup ? 0 : 0xFFFF);
}

static int reg_read(void *ctx, uint8_t phy, uint8_t reg)
{
	return reg_frame(ctx, true, phy, reg, 0);
}

static int reg_write(void *ctx, uint8_t phy, uint8_t reg, uint16_t val)
{
	return reg_frame(ctx, false, phy, reg, val);
}

static const struct nb_mdio_ops mdio_reg_ops = {
	.read = reg_read,
	.write = reg_write,
};

/* ---- lifecycle ------------------------------------------------------------------------ */

struct nb_sim_mdio *nb_sim_mdio_new(struct nb_sim *sim, const struct nb_sim_mdio_cfg *cfg)
{
	struct nb_sim_mdio *bus = calloc(1, sizeof(*bus));
	uint64_t hz;

	if (!bus)
		return NULL;
	bus->sim = sim;
	if (cfg)
		bus->cfg = *cfg;
	hz = bus->cfg.mdc_hz ? bus->cfg.mdc_hz : 2500000u;
	bus->half_ns = NB_NS_PER_S / hz / 2;
	if (bus->half_ns == 0)
		bus->half_ns = 1;
	bus->answer = -1;
	return bus;
}

void nb_sim_mdio_free(struct nb_sim_mdio *bus)
{
	free(bus);
}

int nb_sim_mdio_attach(struct nb_sim_mdio *bus, const struct nb_sim_mdio_dev_ops *ops, void *ctx)
{
	if (!ops || !ops->answers || !ops->read || !ops->write)
		return -EINVAL;
	if (bus->ndevs == MDIO_MAX_DEVS)
		return -ENOSPC;
	bus->devs[bus->ndevs].ops = ops;
	bus->devs[bus->ndevs].ctx = ctx;
	bus->ndevs++;
	return 0;
}

void nb_sim_mdio_detach(struct nb_sim_mdio *bus, void *ctx)
{
	for (unsigned i = 0; i < bus->ndevs; i++) {
		if (bus->devs[i].ctx != ctx)
			continue;
		memmove(&bus->devs[i], &bus->devs[i + 1], (bus->ndevs - i - 1) * sizeof(bus->devs[0]));
		bus->ndevs--;
		if (bus->answer == (int)i) {
			/* A read in progress from that device stops driving the line. */
			bus->phy_drive = false;
			bus->answer = -1;
		} else if (bus->answer > (int)i) {
			bus->answer--;
		}
		return;
	}
}

struct nb_mdio_bus nb_sim_mdio_bus(struct nb_sim_mdio *bus)
{
	return (struct nb_mdio_bus){ .ops = &mdio_reg_ops, .ctx = bus };
}

struct nb_gpio nb_sim_mdio_gpio(struct nb_sim_mdio *bus)
{
	return (struct nb_gpio){ .ops = &mdio_gpio_ops, .ctx = bus };
}

const struct nb_sim_mdio_stats *nb_sim_mdio_stats(const struct nb_sim_mdio *bus)
{
	return &bus->stats;
}

void nb_sim_mdio_set_trace(struct nb_sim_mdio *bus, nb_sim_mdio_trace_fn fn, void *ctx)
{
	bus->trace = fn;
	bus->trace_ctx = ctx;
}
