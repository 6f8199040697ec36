/* SPDX-License-Identifier: MIT */
#include "drivers/bus/mdio_bitbang.h"

#define MDIO_OP_READ 2u
#define MDIO_OP_WRITE 1u

static struct nb_mdio_bitbang *bb_of(void *ctx)
{
	return ctx;
}

/* One bit out: set MDIO while MDC is low, then a rising edge for the PHY to sample on. */
static int bb_out(struct nb_mdio_bitbang *bb, bool bit)
{
	const struct nb_gpio *g = &bb->cfg.gpio;
	int ret;

	ret = nb_gpio_write(g, bb->cfg.mdio_pin, bit);
	if (ret < 0)
		return ret;
	ret = nb_gpio_write(g, bb->cfg.mdc_pin, true);
	if (ret < 0)
		return ret;
	return nb_gpio_write(g, bb->cfg.mdc_pin, false);
}

/* One bit in: rising edge (the PHY drives the next bit after it), sample while high. */
static int bb_in(struct nb_mdio_bitbang *bb)
{
	const struct nb_gpio *g = &bb->cfg.gpio;
	int ret, bit;

	ret = nb_gpio_write(g, bb->cfg.mdc_pin, true);
	if (ret < 0)
		return ret;
	bit = nb_gpio_read(g, bb->cfg.mdio_pin);
	if (bit < 0)
		return bit;
	ret = nb_gpio_write(g, bb->cfg.mdc_pin, false);
	if (ret < 0)
		return ret;
	return bit ? 1 : 0;
}

static int bb_out_bits(struct nb_mdio_bitbang *bb, uint32_t val, unsigned nbits)
{
	for (unsigned i = nbits; i-- > 0;) {
		int ret = bb_out(bb, (val >> i) & 1u);

		if (ret < 0)
			return ret;
	}
	return 0;
}

static int bb_drive(struct nb_mdio_bitbang *bb, bool output)
{
	return nb_gpio_set_dir(&bb->cfg.gpio, bb->cfg.mdio_pin, output, true);
}

/* Preamble, ST, OP, PHYAD, REGAD: the 46 bits every frame starts with. */
static int bb_header(struct nb_mdio_bitbang *bb, unsigned op, uint8_t phy, uint8_t reg)
{
	int ret = bb_drive(bb, true);

	if (ret < 0)
		return ret;
	ret = bb_out_bits(bb, 0xFFFFFFFFu, 32);
	if (ret < 0)
		return ret;
	return bb_out_bits(bb, (1u << 12) | (op << 10) | ((uint32_t)(phy & 0x1F) << 5) |
				       (reg & 0x1Fu),
			   14);
}

static int bb_read(void *ctx, uint8_t phy, uint8_t reg)
{
	struct nb_mdio_bitbang *bb = bb_of(ctx);
	uint32_t val = 0;
	int ret, ta;

	if (phy > NB_MDIO_MAX_ADDR || reg > NB_MDIO_MAX_REG)
		return -NB_EINVAL;
	ret = bb_header(bb, MDIO_OP_READ, phy, reg);
	if (ret < 0)
		return ret;
	/* Turnaround: we release the line for the first TA bit. The PHY drives its outputs
	 * after a rising edge, so the level sampled after the edge that ends the first TA bit
	 * (edge 47) is already the second TA bit, which the PHY pulls to 0; every later edge
	 * yields the next data bit. */
	ret = bb_drive(bb, false);
	if (ret < 0)
		return ret;
	ta = bb_in(bb);
	if (ta < 0)
		return ta;
	for (unsigned i = 0; i < 16; i++) {
		int bit = bb_in(bb);

		if (bit < 0)
			return bit;
		val = (val << 1) | (uint32_t)bit;
	}
	/* One idle clock with nobody driving, as clause 22 allows between frames. */
	ret = bb_in(bb);
	if (ret < 0)
		return ret;
	if (ta != 0) {
		bb->ta_errors++;
		if (bb->cfg.ta_error_is_eio)
			return -NB_EIO;
	}
	return (int)val;
}

static int bb_write(void *ctx, uint8_t phy, uint8_t reg, uint16_t val)
{
	struct nb_mdio_bitbang *bb = bb_of(ctx);
	int ret;

	if (phy > NB_MDIO_MAX_ADDR || reg > NB_MDIO_MAX_REG)
		return -NB_EINVAL;
	ret = bb_header(bb, MDIO_OP_WRITE, phy, reg);
	if (ret < 0)
		return ret;
	ret = bb_out_bits(bb, (2u << 16) | val, 18); /* TA = 10, then data */
	if (ret < 0)
		return ret;
	ret = bb_drive(bb, false);
	if (ret < 0)
		return ret;
	ret = bb_in(bb);
	return ret < 0 ? ret : 0;
}

static const struct nb_mdio_ops bb_ops = {
	.read = bb_read,
	.write = bb_write,
};

int nb_mdio_bitbang_init(struct nb_mdio_bitbang *bb, const struct nb_mdio_bitbang_cfg *cfg)
{
	int ret;

	if (!bb || !cfg || !cfg->gpio.ops || cfg->mdc_pin == cfg->mdio_pin)
		return -NB_EINVAL;
	bb->cfg = *cfg;
	bb->ta_errors = 0;
	bb->bus.ops = &bb_ops;
	bb->bus.ctx = bb;
	ret = nb_gpio_set_dir(&bb->cfg.gpio, bb->cfg.mdc_pin, true, false);
	if (ret < 0)
		return ret;
	return bb_drive(bb, false);
}
