/* SPDX-License-Identifier: MIT */
/**
 * @file mdio_bitbang.h
 * @brief Clause-22 MDIO over two GPIO pins (MDC output, MDIO bidirectional).
 *
 * Provides nb_mdio_ops, so a PHY driver cannot tell it from a register-level MDIO backend.
 * Timing: MDC must stay at or below 2.5 MHz (half period >= 160 ns). This code toggles pins
 * back to back and leaves the pace to the GPIO backend: the simulated pins charge virtual
 * time per edge, and libgpiod/FTDI pin writes are far slower than 200 ns on their own.
 * Frame: 32 ones, ST=01, OP (10 read, 01 write), PHYAD, REGAD, TA, 16 data bits, MSB first.
 * The PHY samples MDIO on MDC rising edges and changes what it drives right after a rising
 * edge (valid within 300 ns); read data is taken while MDC is high after that edge.
 */
#ifndef NB_BUS_MDIO_BITBANG_H
#define NB_BUS_MDIO_BITBANG_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/bus/gpio.h"
#include "drivers/bus/mdio.h"

struct nb_mdio_bitbang_cfg {
	struct nb_gpio gpio; /**< chip holding both pins */
	unsigned mdc_pin;
	unsigned mdio_pin;
	/** Report a read whose turnaround the PHY did not drive low as -EIO instead of returning
	 *  the floating value (Linux returns 0xFFFF; false here keeps that behaviour). */
	bool ta_error_is_eio;
};

struct nb_mdio_bitbang {
	struct nb_mdio_bitbang_cfg cfg;
	struct nb_mdio_bus bus; /**< hand this to PHY drivers */
	uint32_t ta_errors;     /**< reads where no PHY drove the turnaround bit */
};

/** Configure the pins (MDC low output, MDIO input) and fill bb->bus. */
NB_MUST_CHECK int nb_mdio_bitbang_init(struct nb_mdio_bitbang *bb,
				       const struct nb_mdio_bitbang_cfg *cfg);

#endif /* NB_BUS_MDIO_BITBANG_H */
