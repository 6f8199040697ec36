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
 *
 * Timing (virtual time, configurable): soft reset 1 ms (BMCR.15 reads 1 until done; writes
 * meanwhile are lost and reported); AN: page exchange a quarter of an_ns after AN starts with
 * signal on the line, link + AN complete at an_ns (1.5 s); BMCR.9 adds the 1.2 s break-link
 * wait and reads back 0 at once; AN off: link forced_link_ns (330 ms) after signal; link loss
 * at 100 Mb/s at once, at 10 Mb/s after link_fail_10_ns (100 ms); ENERGYON falls 256 ms after
 * energy is lost. nRST low: no MDIO answer, line silent, nINT released; its release latches
 * the straps and runs a hardware reset (MDIO answers at once after it).
 *
 * Choices where the reference says UNCONFIRMED:
 *  - regs 16, 19..25, 28 read 0xFFFF like 7..15 (cfg.vendor_regs_zero: 0x0000);
 *  - a short preamble or ST=00 frame is ignored (the bus counts it);
 *  - PHYAD written to reg 18 acts at once; no broadcast address (cfg.addr0_broadcast);
 *  - MODE=110: BMCR 0x3800 (all-capable plus power-down), ANAR 0x01E1; clearing BMCR.11 does
 *    not power it up. MODE 000..011: ANAR = cfg.forced_anar (0x01A1, seen with MODE=000);
 *  - PSCSR 4:2 reads 000 until AN resolves; with AN off it shows the forced setting;
 *  - BMSR.2 is latched low from reset; the first read after link-up returns 0;
 *  - interrupt "other de-assert events" (reference §4) clear the flag itself; INT4 follows
 *    the live link status; a reset does not raise INT7 (reg 29 reads 0 after reset);
 *  - parallel detection does not depend on ANAR; it yields half duplex, ANLPAR shows the
 *    detected technology's half-duplex bit plus selector; a forced partner showing both 10
 *    and 100 is a parallel detection fault (no link);
 *  - no common ability: pages are exchanged (ANLPAR, page received) but no link and no AN
 *    complete; the model does not retry until the next AN start event;
 *  - every AN start event sets ANLPAR back to 0x0001 (and ANER.0/.3 to 0) until the next
 *    page arrives;
 *  - near-end loopback silences the line (link down) and loops frames at the BMCR speed;
 *  - EDPD: with no energy for energy_off_ns the line goes silent; energy from the partner
 *    wakes it (two EDPD PHYs facing each other never wake);
 *  - ENERGYON keeps working in power-down; power-down and isolate keep the registers.
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
	uint8_t phy_addr;       /**< PHYAD latched from the strap (0/1 on real boards; 0..31) */
	bool mode_strap_set;    /**< false: MODE[2:0] = 111 (internal pull-ups) */
	uint8_t mode_strap;     /**< MODE[2:0] when mode_strap_set */
	uint8_t revision;       /**< PHYID2[3:0]; 0 = 1 (0xC0F1) */
	uint64_t soft_reset_ns; /**< 0 = 1 ms; the datasheet allows up to 0.5 s (more: rejected) */
	uint64_t an_ns;         /**< AN start (with signal) to link up; 0 = 1.5 s */
	uint64_t an_restart_ns; /**< extra break-link wait after BMCR.9; 0 = 1.2 s */
	uint64_t energy_off_ns; /**< ENERGYON fall after energy is lost; 0 = 256 ms */
	uint16_t rx_queue;      /**< RMII receive ring (frames); 0 = 16 */
	uint16_t tx_queue;      /**< RMII transmit FIFO (frames); 0 = 4 */
	bool lax;               /**< turn strict mode off */
	/* Choices where the reference says UNCONFIRMED (defaults in brackets). */
	uint64_t forced_link_ns;  /**< AN off: signal to link up; 0 = 330 ms (100BASE-TX
				   *   link-ready time, used for 10BASE-T too) */
	uint64_t link_fail_10_ns; /**< 10BASE-T: signal lost to link down; 0 = 100 ms (IEEE
				   *   50..150 ms). 100BASE-TX drops at once. */
	uint16_t forced_anar;     /**< ANAR after reset in MODE 000..011; 0 = 0x01A1 (seen on
				   *   one part with MODE=000) */
	bool vendor_regs_zero;    /**< regs 16, 19..25, 28 read 0x0000 [0xFFFF, like 7..15] */
	bool addr0_broadcast;     /**< also answer at PHYAD 0 [no: only its own address] */
	bool forced_mdix_hazard;  /**< AN off with Auto-MDIX on never links (seen on LAN87xx
				   *   family parts) [off] */
};

/**
 * Link partner as seen on the wire. Until set_partner() is called the partner is an
 * autonegotiating switch advertising 0x05E1 (all four abilities, symmetric pause) with
 * Auto-MDIX. The partner is a description, not a model: a second LAN8720 model at the other
 * end of the wire does not tell this one what it advertises; give each model its partner.
 */
struct nb_lan8720_partner {
	bool autoneg;      /**< false: partner is forced, link by parallel detection */
	uint16_t ability;  /**< base page (ANLPAR layout), e.g. 0x45E1; forced: speed bits */
	bool fixed_mdi;    /**< partner has no Auto-MDIX and transmits on the MDI pair */
	bool crossover;    /**< crossover cable (only matters with fixed_mdi) */
	bool reversed_polarity; /**< 10BASE-T pair polarity swapped (shows in 27.4 XPOL) */
};

struct nb_lan8720_model_stats {
	uint64_t rmii_tx_frames;    /**< frames the MAC sent (accepted by tx()) */
	uint64_t rmii_rx_frames;    /**< frames handed to the MAC (put in the receive ring) */
	uint64_t rx_fcs_errors;     /**< frames from the wire with a bad FCS (MAC will drop) */
	uint64_t rx_symbol_errors;  /**< frames with RXER */
	uint64_t rx_overflow;       /**< frames lost because the RMII ring was full */
	uint64_t tx_no_link;        /**< frames the MAC sent that were lost: link down, isolated,
				     *   powered down, in reset, far loopback */
	uint64_t violations;        /**< strict-mode reports */
	uint64_t soft_resets, an_completions, link_ups, link_downs;
	uint64_t hw_resets;         /**< power-on and nRST releases */
	uint64_t rx_no_link;        /**< frames from the wire not passed on (no link, isolated,
				     *   powered down, in reset) */
	uint64_t rmii_speed_mismatch; /**< frames lost because the port speed (set_speed) is
				       *   not the line speed */
	uint64_t duplex_mismatch;   /**< links that came up with the partner at the other duplex */
	uint64_t far_loopback;      /**< frames turned around on the line (17.9) */
	uint64_t mdio_in_reset;     /**< MDIO frames for us while nRST was low (not answered) */
};

/** Strict-mode report: @p what names the register/value or pin and the rule; borrowed. */
typedef void (*nb_lan8720_violation_fn)(void *ctx, const char *what, uint64_t t_ns);

struct nb_lan8720_model;

/**
 * Create a model, powered and out of reset (a power-on reset has happened: straps latched,
 * AN started). @return the model, or NULL with errno = EINVAL for a bad config (see
 * nb_lan8720_model_cfg_check()) or ENOMEM.
 */
struct nb_lan8720_model *nb_lan8720_model_new(struct nb_sim *sim,
					      const struct nb_lan8720_model_cfg *cfg);
/** Detaches from the MDIO bus and the wire. Accepts NULL. */
void nb_lan8720_model_free(struct nb_lan8720_model *m);
/** @return NULL when @p cfg is acceptable, else a static text naming the bad field. */
const char *nb_lan8720_model_cfg_check(const struct nb_lan8720_model_cfg *cfg);

/** Attach to an MDIO bus (at cfg.phy_addr; follows later PHYAD writes to reg 18).
 *  @retval 0 attached. @retval -EBUSY already on a bus. Other: nb_sim_mdio_attach(). */
int nb_lan8720_model_attach_mdio(struct nb_lan8720_model *m, struct nb_sim_mdio *bus);
/**
 * The MAC-side frame port. Valid for the model's lifetime. tx() beyond the nb_rmii_ops
 * contract: -EINVAL for an empty gather list, -EMSGSIZE above 2048 bytes (strict report).
 * While the link is down or the RMII side is off (isolate, power-down, nRST, far loopback)
 * tx() takes the frame and loses it (stats.tx_no_link), as silicon does. Near-end loopback
 * (BMCR.14) returns frames to the receive ring after their wire time at the BMCR speed.
 * set_speed() accepts 10 or 100 (else -EINVAL); the port starts at 100. A port speed that
 * differs from the line speed garbles frames: they are lost (stats.rmii_speed_mismatch).
 * The notify callback runs from sim timers / the wire ("interrupt context").
 */
struct nb_rmii_port nb_lan8720_model_rmii(struct nb_lan8720_model *m);
/**
 * nRST (input, active low: holding it low keeps the PHY in reset; released = pulled up) and
 * nINT (open-drain output, active low; read() gives the line level). set_irq works on NINT:
 * edges fire on changes of the line; a level mode fires when the level becomes active and
 * again when set_irq() is called while it is active (a handler that masked the line and
 * re-enables it). Callbacks run in "interrupt context" (from MDIO accesses or sim timers).
 * @retval -EINVAL unknown pin or set_irq on NRST. @retval -EPERM write() to an input.
 */
struct nb_gpio nb_lan8720_model_gpio(struct nb_lan8720_model *m);
/** Attach the MDI side to @p end of @p wire. */
void nb_lan8720_model_attach_wire(struct nb_lan8720_model *m, struct nb_wire *wire, int end);

/* ---- back door (tests and scenarios) -------------------------------------------------- */

/** Plug/unplug the cable (pulls the attached wire; without a wire, the built-in partner's
 *  cable, which starts unplugged). */
void nb_lan8720_model_set_cable(struct nb_lan8720_model *m, bool plugged);
/** What the partner advertises; takes effect at the next negotiation (MDI wiring at once). */
void nb_lan8720_model_set_partner(struct nb_lan8720_model *m, const struct nb_lan8720_partner *p);
/**
 * A frame arrives from the wire (FCS included) as if the partner had sent it.
 * @retval 0 in the receive ring. @retval -ENOLINK not receiving (link down, isolated, ...;
 * counted in rx_no_link). @retval -ENOBUFS ring full (rx_overflow). @retval -EMSGSIZE longer
 * than 2048 bytes. @retval -EINVAL NULL frame.
 */
int nb_lan8720_model_inject_rx(struct nb_lan8720_model *m, const uint8_t *frame, size_t len,
			       uint32_t wire_flags);
/** Corrupt the FCS of the next @p n frames from the wire (receive direction). */
void nb_lan8720_model_corrupt_rx(struct nb_lan8720_model *m, unsigned n);
/** The MAC kept TX_EN up past the 10BASE-T jabber limit: BMSR.1 latches high. */
void nb_lan8720_model_inject_jabber(struct nb_lan8720_model *m);
/** Strap levels the next nRST release latches (MODE[2:0], PHYAD 0..31). */
void nb_lan8720_model_set_straps(struct nb_lan8720_model *m, uint8_t mode, uint8_t phy_addr);
/** Register value without read side effects (latches and flags untouched). */
uint16_t nb_lan8720_model_peek(const struct nb_lan8720_model *m, uint8_t reg);
bool nb_lan8720_model_link_up(const struct nb_lan8720_model *m);
bool nb_lan8720_model_nint_asserted(const struct nb_lan8720_model *m);
const struct nb_lan8720_model_stats *nb_lan8720_model_stats(const struct nb_lan8720_model *m);
void nb_lan8720_model_set_violation_cb(struct nb_lan8720_model *m, nb_lan8720_violation_fn fn,
				       void *ctx);
/** Text of the last strict-mode report ("" if none). */
const char *nb_lan8720_model_last_violation(const struct nb_lan8720_model *m);

#endif /* NB_SIM_LAN8720_MODEL_H */
