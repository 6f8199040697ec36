/* SPDX-License-Identifier: MIT */
/**
 * @file lan8720_model.h
 * @brief Register-level model of the Microchip LAN8720A 10/100 PHY.
 *
 * Facts and choices: ../shared/reference/lan8720.md. The model implements every register of
 * that reference with its real semantics (reset values, RO bits, self-clearing soft reset
 * and AN restart, latched-low link status, latched-high faults, clear-on-read interrupt
 * flags, nINT level, MODE/PHYAD straps, NASR bits, 0xFFFF for unimplemented registers) and
 * charges its timing in simulated time. It sits on a simulated MDIO bus (sim/bus/mdio_bus.h),
 * exposes the RMII frame port a MAC driver uses (drivers/bus/rmii.h), two pins (nRST input,
 * nINT open-drain output) and an MDI side attached to a wire (sim/medium/wire.h).
 *
 * The wire side behaves like the PHY+MAC pair it stands for: frames from the RMII port go on
 * the wire as they are (the MAC supplies FCS); frames from the wire are queued for the RMII
 * port, FCS included, and the model counts the ones whose FCS is wrong (what the MAC's
 * checker will see). The link only comes up when a partner is present on the wire and
 * autonegotiation (or parallel detection) resolves.
 *
 * Strict mode (default) reports what the real part would not accept (writes to RO bits are
 * ignored silently as on silicon; but e.g. soft reset combined with other bits, a write to
 * an unimplemented register, MODE=110 use, RMII TX while isolated/powered down, frames
 * outside 64..1522 bytes) through the violation counter and callback, and still behaves as
 * the chip would.
 */
#ifndef NB_SIM_LAN8720_MODEL_H
#define NB_SIM_LAN8720_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/gpio.h"
#include "drivers/bus/rmii.h"
#include "sim/bus/mdio_bus.h"
#include "sim/core/sim.h"
#include "sim/medium/wire.h"

/** Pins of the model's GPIO chip (nb_lan8720_model_gpio()). */
enum { NB_LAN8720_PIN_NRST = 0, NB_LAN8720_PIN_NINT = 1 };

struct nb_lan8720_model_cfg {
	uint8_t phy_addr;       /**< PHYAD latched from the strap (0/1 on real boards) */
	bool mode_strap_set;    /**< false: MODE[2:0] = 111 (internal pull-ups) */
	uint8_t mode_strap;     /**< MODE[2:0] when mode_strap_set */
	uint8_t revision;       /**< PHYID2[3:0]; 0 = 1 (0xC0F1) */
	uint64_t soft_reset_ns; /**< 0 = 1 ms; the datasheet allows up to 0.5 s */
	uint64_t an_ns;         /**< AN start to link up; 0 = 1.5 s */
	uint64_t an_restart_ns; /**< extra break-link wait after BMCR.9; 0 = 1.2 s */
	uint64_t energy_off_ns; /**< ENERGYON fall after energy is lost; 0 = 256 ms */
	uint16_t rx_queue;      /**< RMII receive ring (frames); 0 = 16 */
	uint16_t tx_queue;      /**< RMII transmit FIFO (frames); 0 = 4 */
	bool lax;               /**< turn strict mode off */
};

/** Link partner as seen on the wire. */
struct nb_lan8720_partner {
	bool autoneg;      /**< false: partner is forced, link by parallel detection */
	uint16_t ability;  /**< base page (ANLPAR layout), e.g. 0x45E1; forced: speed bits */
};

struct nb_lan8720_model_stats {
	uint64_t rmii_tx_frames;    /**< frames the MAC sent */
	uint64_t rmii_rx_frames;    /**< frames handed to the MAC */
	uint64_t rx_fcs_errors;     /**< frames from the wire with a bad FCS (MAC will drop) */
	uint64_t rx_symbol_errors;  /**< frames with RXER */
	uint64_t rx_overflow;       /**< frames lost because the RMII ring was full */
	uint64_t tx_no_link;        /**< frames the MAC sent while the link was down */
	uint64_t violations;        /**< strict-mode reports */
	uint64_t soft_resets, an_completions, link_ups, link_downs;
};

typedef void (*nb_lan8720_violation_fn)(void *ctx, const char *what, uint64_t t_ns);

struct nb_lan8720_model;

struct nb_lan8720_model *nb_lan8720_model_new(struct nb_sim *sim,
					      const struct nb_lan8720_model_cfg *cfg);
void nb_lan8720_model_free(struct nb_lan8720_model *m);

/** Attach to an MDIO bus (at cfg.phy_addr; follows later PHYAD writes to reg 18). */
int nb_lan8720_model_attach_mdio(struct nb_lan8720_model *m, struct nb_sim_mdio *bus);
/** The MAC-side frame port. Valid for the model's lifetime. */
struct nb_rmii_port nb_lan8720_model_rmii(struct nb_lan8720_model *m);
/** nRST (input, active low: holding it low keeps the PHY in reset) and nINT (output). */
struct nb_gpio nb_lan8720_model_gpio(struct nb_lan8720_model *m);
/** Attach the MDI side to @p end of @p wire. */
void nb_lan8720_model_attach_wire(struct nb_lan8720_model *m, struct nb_wire *wire, int end);

/* ---- back door (tests and scenarios) -------------------------------------------------- */

/** Plug/unplug the cable (pulls the attached wire). */
void nb_lan8720_model_set_cable(struct nb_lan8720_model *m, bool plugged);
/** What the partner advertises; takes effect at the next negotiation. */
void nb_lan8720_model_set_partner(struct nb_lan8720_model *m, const struct nb_lan8720_partner *p);
/** A frame arrives from the wire (FCS included) as if the partner had sent it. */
int nb_lan8720_model_inject_rx(struct nb_lan8720_model *m, const uint8_t *frame, size_t len,
			       uint32_t wire_flags);
/** Corrupt the FCS of the next @p n frames from the wire (receive direction). */
void nb_lan8720_model_corrupt_rx(struct nb_lan8720_model *m, unsigned n);
/** Register value without read side effects (latches and flags untouched). */
uint16_t nb_lan8720_model_peek(const struct nb_lan8720_model *m, uint8_t reg);
bool nb_lan8720_model_link_up(const struct nb_lan8720_model *m);
bool nb_lan8720_model_nint_asserted(const struct nb_lan8720_model *m);
const struct nb_lan8720_model_stats *nb_lan8720_model_stats(const struct nb_lan8720_model *m);
void nb_lan8720_model_set_violation_cb(struct nb_lan8720_model *m, nb_lan8720_violation_fn fn,
				       void *ctx);

#endif /* NB_SIM_LAN8720_MODEL_H */
