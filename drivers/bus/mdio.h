/* SPDX-License-Identifier: MIT */
/**
 * @file mdio.h
 * @brief MDIO management bus, IEEE 802.3 clause 22.
 *
 * Register-level ops: one call = one complete management frame (32-bit preamble, ST=01,
 * OP, PHYAD, REGAD, TA, 16 data bits). A backend that only has pins uses the bit-bang
 * implementation in mdio_bitbang.h, which provides these ops over two GPIOs (MDC, MDIO).
 *
 * An address where no PHY answers does not fail at this level: nobody drives the bus, so a
 * read returns what the line floats at (0xFFFF with a pull-up, 0x0000 without one). Drivers
 * detect absence from the ID registers (both 0xFFFF or both 0x0000).
 */
#ifndef NB_BUS_MDIO_H
#define NB_BUS_MDIO_H

#include <stdint.h>

#include "drivers/util/compiler.h"

#define NB_MDIO_MAX_ADDR 31u
#define NB_MDIO_MAX_REG 31u

struct nb_mdio_ops {
	/** Clause-22 read. @return register value 0..0xFFFF, or negative errno (bus failure). */
	int (*read)(void *ctx, uint8_t phy, uint8_t reg);
	/** Clause-22 write. @return 0 or negative errno. */
	int (*write)(void *ctx, uint8_t phy, uint8_t reg, uint16_t val);
};

struct nb_mdio_bus {
	const struct nb_mdio_ops *ops;
	void *ctx;
};

NB_MUST_CHECK static inline int nb_mdio_read(const struct nb_mdio_bus *bus, uint8_t phy,
					     uint8_t reg)
{
	return bus->ops->read(bus->ctx, phy, reg);
}

NB_MUST_CHECK static inline int nb_mdio_write(const struct nb_mdio_bus *bus, uint8_t phy,
					      uint8_t reg, uint16_t val)
{
	return bus->ops->write(bus->ctx, phy, reg, val);
}

#endif /* NB_BUS_MDIO_H */
