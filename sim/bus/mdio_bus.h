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
 * Frames that break the protocol (short preamble, bad ST/OP, a clause-45 frame, a write
 * whose turnaround is not 10) are counted and ignored, as a clause-22 PHY would.
 *
 * Bit timing (IEEE 802.3 22.2.4/22.3.4): every bit is sampled on an MDC rising edge. The PHY
 * changes MDIO after a rising edge (0..300 ns later), so the bit it launches after edge k is
 * sampled by the station at edge k+1. Counting the first preamble bit as edge 1, a read frame
 * looks like this on the line:
 *   edges 1..46  station drives preamble, ST, OP, PHYAD, REGAD
 *   edge 47      nobody drives (TA, first bit: the pull-up level)
 *   after 47     the PHY drives 0 (TA, second bit), sampled at edge 48
 *   after 48..63 the PHY drives D15..D0, sampled at edges 49..64
 *   after 64     the PHY releases the line
 * A bit-banging station that samples MDIO after raising MDC (Linux mdio-bitbang samples after
 * the following falling edge: the same level) must take the TA zero after edge 47 and D15..D0
 * after edges 48..63, i.e. one clock after releasing the line, not two.
 *
 * Line level: several drivers may drive MDIO at once (station pins, the register-level
 * station, a PHY). Different levels at once are contention (counted); low wins.
 * Not thread-safe; single run loop. Times are charged on the sim given at creation.
 */
#ifndef NB_SIM_MDIO_BUS_H
#define NB_SIM_MDIO_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/bus/gpio.h"
#include "drivers/bus/mdio.h"
#include "sim/core/sim.h"

enum { NB_SIM_MDIO_PIN_MDC = 0, NB_SIM_MDIO_PIN_MDIO = 1 };

/**
 * A device on the bus (a PHY model). answers() and read() are called when PHYAD and REGAD of a
 * read frame have been decoded (edge 46: the PHY has to know the value before it shifts it
 * out); write() at the end of a well-formed write frame (edge 64). The calls run inside an MDC
 * edge, in the run loop's context; they must not access the bus.
 */
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
	uint64_t bad_frames;         /**< preamble < 32, bad ST/OP, clause-45, bad write TA */
	/* breakdown of bad_frames */
	uint64_t short_preamble;     /**< ST after fewer than 32 ones */
	uint64_t clause45;           /**< ST = 00 */
	uint64_t bad_op;             /**< OP = 00 or 11 after ST = 01 */
	uint64_t bad_ta;             /**< write frame whose turnaround was not 1,0 */
	uint64_t contention;         /**< frames during which two drivers fought over MDIO */
};

struct nb_sim_mdio;

/** @return a new bus (zeroed/NULL cfg: 2.5 MHz with pull-up), or NULL when out of memory. */
struct nb_sim_mdio *nb_sim_mdio_new(struct nb_sim *sim, const struct nb_sim_mdio_cfg *cfg);
/** Accepts NULL. Attached devices are not freed. */
void nb_sim_mdio_free(struct nb_sim_mdio *bus);
/**
 * Attach a device; several may share the bus at different addresses (at most 32 devices).
 * When two answer the same address, the first attached one drives the line.
 * @retval 0 attached. @retval -EINVAL NULL ops. @retval -ENOSPC bus full.
 */
int nb_sim_mdio_attach(struct nb_sim_mdio *bus, const struct nb_sim_mdio_dev_ops *ops, void *ctx);
/** Remove the device attached with @p ctx (harmless if absent). */
void nb_sim_mdio_detach(struct nb_sim_mdio *bus, void *ctx);
/**
 * Register-level access (for drivers using nb_mdio_bus). Valid for the bus's lifetime.
 * read/write clock one whole frame through the decoder (64 MDC periods of virtual time).
 * @retval -EINVAL phy or reg above 31. @retval -EBUSY called from inside a bus callback.
 * A read of an address nobody answers returns the floating level (0xFFFF or 0x0000).
 */
struct nb_mdio_bus nb_sim_mdio_bus(struct nb_sim_mdio *bus);
/**
 * Pin-level access for the bit-bang driver: pins NB_SIM_MDIO_PIN_MDC (output) and
 * NB_SIM_MDIO_PIN_MDIO (bidirectional). Each MDC level change charges half an MDC period;
 * the decoder samples MDIO on the rising edge. read(MDIO) returns the resolved line level.
 * @retval -EINVAL unknown pin. @retval -EPERM write() to a pin that is not an output.
 * set_irq is not supported (-EOPNOTSUPP).
 */
struct nb_gpio nb_sim_mdio_gpio(struct nb_sim_mdio *bus);
const struct nb_sim_mdio_stats *nb_sim_mdio_stats(const struct nb_sim_mdio *bus);

/** Bus transaction trace (golden traces, captures): called once per decoded frame. */
typedef void (*nb_sim_mdio_trace_fn)(void *ctx, uint64_t t_ns, bool write, uint8_t phy,
				     uint8_t reg, uint16_t val, bool answered);
void nb_sim_mdio_set_trace(struct nb_sim_mdio *bus, nb_sim_mdio_trace_fn fn, void *ctx);

#endif /* NB_SIM_MDIO_BUS_H */
