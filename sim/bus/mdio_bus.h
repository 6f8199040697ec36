/* SPDX-License-Identifier: MIT */
/**
 * @file mdio_bus.h
 * @brief Simulated MDIO bus at the frame level (clause 22).
 *
 * The bus decodes management frames bit by bit, exactly as a PHY's serial management
 * interface sees them: a 32-bit preamble of ones, ST=01, OP (10 read / 01 write), PHYAD,
 * REGAD, turnaround, 16 data bits. Devices attach at addresses; a frame for an address where
 * nobody answers leaves the line floating (0xFFFF with the pull-up, 0x0000 without).
 *
 * Two ways to drive it, both through the same decoder:
 *  - pins: nb_sim_mdio_gpio() gives a GPIO chip with NB_SIM_MDIO_PIN_MDC and _MDIO for
 *    drivers/bus/mdio_bitbang.c (each MDC edge charges half an MDC period of virtual time);
 *  - registers: nb_sim_mdio_bus() gives nb_mdio_ops that encode each call as a frame and
 *    clock it through the decoder (charging 64 MDC periods).
 * Frames that break the protocol (short preamble, bad ST/OP, a clause-45 frame) are counted
 * and ignored, as a clause-22 PHY would.
 */
#ifndef NB_SIM_MDIO_BUS_H
#define NB_SIM_MDIO_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/bus/gpio.h"
#include "drivers/bus/mdio.h"
#include "sim/core/sim.h"

enum { NB_SIM_MDIO_PIN_MDC = 0, NB_SIM_MDIO_PIN_MDIO = 1 };

/** A device on the bus (a PHY model). Calls happen at the end of a decoded frame. */
struct nb_sim_mdio_dev_ops {
	/** Does the device answer at @p addr (its strapped/configured PHYAD)? */
	bool (*answers)(void *ctx, uint8_t addr);
	/** Register read as the PHY performs it (side effects: latches clear, flags clear). */
	uint16_t (*read)(void *ctx, uint8_t reg);
	void (*write)(void *ctx, uint8_t reg, uint16_t val);
};

struct nb_sim_mdio_cfg {
	uint32_t mdc_hz;    /**< 0 = 2.5 MHz: the time a frame costs */
	bool no_pullup;     /**< idle/undriven line reads 0 instead of 1 */
};

struct nb_sim_mdio_stats {
	uint64_t reads, writes;      /**< well-formed frames */
	uint64_t unanswered;         /**< well-formed frames for an address nobody has */
	uint64_t bad_frames;         /**< preamble < 32, bad ST/OP, clause-45 frames */
};

struct nb_sim_mdio;

struct nb_sim_mdio *nb_sim_mdio_new(struct nb_sim *sim, const struct nb_sim_mdio_cfg *cfg);
void nb_sim_mdio_free(struct nb_sim_mdio *bus);
/** Attach a device; several may share the bus at different addresses. @return 0 or -ENOSPC. */
int nb_sim_mdio_attach(struct nb_sim_mdio *bus, const struct nb_sim_mdio_dev_ops *ops, void *ctx);
/** Register-level access (for drivers using nb_mdio_bus). Valid for the bus's lifetime. */
struct nb_mdio_bus nb_sim_mdio_bus(struct nb_sim_mdio *bus);
/** Pin-level access for the bit-bang driver. */
struct nb_gpio nb_sim_mdio_gpio(struct nb_sim_mdio *bus);
const struct nb_sim_mdio_stats *nb_sim_mdio_stats(const struct nb_sim_mdio *bus);

/** Bus transaction trace (golden traces, captures): called once per decoded frame. */
typedef void (*nb_sim_mdio_trace_fn)(void *ctx, uint64_t t_ns, bool write, uint8_t phy,
				     uint8_t reg, uint16_t val, bool answered);
void nb_sim_mdio_set_trace(struct nb_sim_mdio *bus, nb_sim_mdio_trace_fn fn, void *ctx);

#endif /* NB_SIM_MDIO_BUS_H */
