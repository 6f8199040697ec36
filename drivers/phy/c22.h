/* SPDX-License-Identifier: MIT */
/**
 * @file c22.h
 * @brief Generic IEEE 802.3 clause-22 PHY core: reset, identification, autonegotiation,
 *        forced mode and link supervision as a non-blocking state machine.
 *
 * The core speaks only the standard registers 0-6 (BMCR, BMSR, PHYID1/2, ANAR, ANLPAR,
 * ANER). A chip layer adds what is vendor specific through a quirk table (struct
 * nb_phy_quirks): strap fix-ups around the soft reset, vendor register set-up, interrupt
 * mask/acknowledge and a vendor speed indication. The shape follows Linux phylib/genphy and
 * Zephyr's phy_mii: the MAC driver calls nb_phy_step() from its poll, and the link callback
 * reports every change.
 *
 * State machine (nb_phy_state()):
 *
 *     DOWN --start--> RESET --BMCR.15 clear--> NOLINK <--> RUNNING
 *                       |  (deadline expired: -ETIMEDOUT)
 *                       +----------------> FAILED  (bring-up bus error, ID, reset, config)
 *
 * Only bring-up fails the PHY. Once configured, an MDIO access that fails or reads all ones
 * (0xFFFF: nobody drove the line; no valid BMSR/BMCR/ANER/ANLPAR has every bit set) is a
 * transient bus error: counted in stats.bus_errors, the link keeps its last known state,
 * and the same check (interrupt acknowledge included) is retried after link_poll_ns, also
 * with use_irq. Once the bus answers, the latched-low BMSR read shows any drop that happened
 * meanwhile. The same policy as Zephyr's phy_mii monitor; a dead bus is visible to the owner
 * through the counter, not through the link.
 *
 * No call ever waits: MDIO transactions are synchronous bus calls (each one frame), and every
 * wait (soft-reset self-clear, link poll interval) is a deadline on the injected clock,
 * checked by nb_phy_step() and advertised by nb_phy_next_deadline().
 *
 * Link status (BMSR.2) is latched low: after any link failure it reads 0 once. The core
 * reads it once; a 0 while the link was up is reported as a link drop (callback with link
 * down), then the register is read again for the live state, so a flap that happened between
 * two steps produces a down and an up callback in the same step, and a link that comes back
 * is not reported late. While autonegotiation is enabled, the link only counts as up once
 * BMSR.5 (AN complete) is set, and as down while an AN restart the core issued is still
 * running (BMCR.9 reads 1).
 *
 * Context: every call from the driver's poll context (never from an ISR). Freestanding.
 */
#ifndef NB_PHY_C22_H
#define NB_PHY_C22_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/bus/clock.h"
#include "drivers/bus/log.h"
#include "drivers/bus/mdio.h"
#include "drivers/util/compiler.h"

/* ---- clause-22 registers and bits (IEEE 802.3 22.2.4) ---------------------------------- */

#define NB_MII_BMCR 0x00u
#define NB_MII_BMSR 0x01u
#define NB_MII_PHYID1 0x02u
#define NB_MII_PHYID2 0x03u
#define NB_MII_ANAR 0x04u
#define NB_MII_ANLPAR 0x05u
#define NB_MII_ANER 0x06u

#define NB_BMCR_RESET 0x8000u
#define NB_BMCR_LOOPBACK 0x4000u
#define NB_BMCR_SPEED100 0x2000u
#define NB_BMCR_ANENABLE 0x1000u
#define NB_BMCR_PDOWN 0x0800u
#define NB_BMCR_ISOLATE 0x0400u
#define NB_BMCR_ANRESTART 0x0200u
#define NB_BMCR_FULLDPLX 0x0100u

#define NB_BMSR_100T4 0x8000u
#define NB_BMSR_100FULL 0x4000u
#define NB_BMSR_100HALF 0x2000u
#define NB_BMSR_10FULL 0x1000u
#define NB_BMSR_10HALF 0x0800u
#define NB_BMSR_ANEGCOMPLETE 0x0020u
#define NB_BMSR_RFAULT 0x0010u
#define NB_BMSR_ANEGCAPABLE 0x0008u
#define NB_BMSR_LSTATUS 0x0004u
#define NB_BMSR_JCD 0x0002u
#define NB_BMSR_ERCAP 0x0001u

/* ANAR and ANLPAR share the base-page layout. */
#define NB_ADV_SELECTOR_8023 0x0001u
#define NB_ADV_SELECTOR_MASK 0x001Fu
#define NB_ADV_10HALF 0x0020u
#define NB_ADV_10FULL 0x0040u
#define NB_ADV_100HALF 0x0080u
#define NB_ADV_100FULL 0x0100u
#define NB_ADV_100T4 0x0200u
#define NB_ADV_PAUSE 0x0400u
#define NB_ADV_ASYM_PAUSE 0x0800u
#define NB_ADV_RFAULT 0x2000u
#define NB_LPA_ACK 0x4000u
#define NB_ADV_NEXT_PAGE 0x8000u

#define NB_ANER_LPANEGABLE 0x0001u
#define NB_ANER_PAGE_RX 0x0002u
#define NB_ANER_PDFAULT 0x0010u

/* ---- modes ------------------------------------------------------------------------------ */

/** Link modes and pause abilities. The four speed bits have the values of
 *  NB_NETDEV_CAP_10HD..100FD (drivers/netdev/netdev.h), so a MAC driver can pass its
 *  capability mask straight through. */
enum nb_phy_mode {
	NB_PHY_10HD = 1u << 0,
	NB_PHY_10FD = 1u << 1,
	NB_PHY_100HD = 1u << 2,
	NB_PHY_100FD = 1u << 3,
	NB_PHY_PAUSE = 1u << 4,      /**< symmetric PAUSE (ANAR.10) */
	NB_PHY_ASYM_PAUSE = 1u << 5, /**< asymmetric PAUSE (ANAR.11) */
};
#define NB_PHY_SPEED_MASK 0x0Fu

/** Speed bits (NB_PHY_10HD..100FD) a BMSR says the PHY can do. */
uint32_t nb_phy_modes_from_bmsr(uint16_t bmsr);
/** Base-page bits (ANAR layout, selector 802.3 included) for @p modes. */
uint16_t nb_phy_adv_from_modes(uint32_t modes);
/** Modes set in a base page (ANAR/ANLPAR layout). */
uint32_t nb_phy_modes_from_adv(uint16_t adv);
/**
 * Highest-priority common mode of two base pages (100FD > 100HD > 10FD > 10HD).
 * @retval 0 and the speed and duplex outputs filled. @retval -ENOENT nothing in common.
 */
int nb_phy_resolve(uint16_t adv, uint16_t lpa, uint16_t *speed_mbps, bool *full_duplex);

/* ---- the PHY ---------------------------------------------------------------------------- */

enum nb_phy_state {
	NB_PHY_ST_DOWN = 0, /**< not started, or stopped */
	NB_PHY_ST_RESET,    /**< soft reset written, waiting for BMCR.15 to self-clear */
	NB_PHY_ST_NOLINK,   /**< configured; no link (autonegotiating, or no partner) */
	NB_PHY_ST_RUNNING,  /**< link up; speed and duplex resolved */
	NB_PHY_ST_FAILED,   /**< gave up; nb_phy_error() says why, link reported down */
};

/** Resolved link. */
struct nb_phy_status {
	bool link;
	bool full_duplex;
	uint16_t speed_mbps;  /**< 10 or 100; 0 while down */
	bool autoneg;         /**< resolved by autonegotiation (false: forced mode) */
	bool parallel_detect; /**< partner not AN-capable: resolved by parallel detection */
	uint16_t lpa;         /**< partner base page (ANLPAR) at link up; 0 in forced mode */
};

/** Counters; monotonic. */
struct nb_phy_stats {
	uint32_t soft_resets;
	uint32_t an_restarts;
	uint32_t link_ups;
	uint32_t link_downs;
	uint32_t irqs;       /**< nb_phy_trigger() calls handled */
	uint32_t link_polls; /**< link checks (timer or interrupt) */
	uint32_t bus_errors; /**< failed or all-ones MDIO accesses during link supervision,
				  each retried later (nb_phy_note_bus_error()) */
};

struct nb_phy;

/**
 * Chip layer hooks. Every hook is optional (NULL); each returns 0 or a negative errno
 * (which fails the PHY). They run in poll context and may use nb_phy_read/write/modify.
 * A chip layer recovers its own state from @p phy with nb_container_of.
 */
struct nb_phy_quirks {
	const char *name;
	/** After identification, before the soft reset (strap fix-ups that need a reset). */
	int (*pre_reset)(struct nb_phy *phy);
	/** Soft reset has self-cleared; check what it restored. */
	int (*post_reset)(struct nb_phy *phy);
	/** Vendor registers, after post_reset and before advertisement/AN. */
	int (*config_init)(struct nb_phy *phy);
	/** Enable (true) or disable the PHY's interrupt output. Called only with
	 *  nb_phy_cfg.use_irq, after config_init and from nb_phy_stop(). */
	int (*config_intr)(struct nb_phy *phy, bool enable);
	/** Read and clear the interrupt sources. @return the vendor flag bits (>= 0) or errno.
	 *  Called once before config_intr(true) to discard stale flags, and for each
	 *  nb_phy_trigger(). */
	int (*ack_interrupt)(struct nb_phy *phy);
	/** Refine a freshly resolved link-up status (vendor speed indication). @p st has the
	 *  generic result (speed 0 when the standard registers did not settle it). Called only
	 *  when the link comes up. */
	int (*read_status)(struct nb_phy *phy, struct nb_phy_status *st);
};

/** Link callback: every change of link, speed or duplex. @p st is borrowed. */
typedef void (*nb_phy_link_fn)(struct nb_phy *phy, const struct nb_phy_status *st, void *ctx);

/**
 * Configuration; copied by nb_phy_init(). A zeroed struct (plus a bus and a clock) means:
 * address 0, any ID, autonegotiation advertising every speed the PHY supports, no pause,
 * link polled every second, soft-reset timeout 500 ms polled every 1 ms.
 */
struct nb_phy_cfg {
	struct nb_mdio_bus mdio; /**< required */
	struct nb_clock clock;   /**< required */
	const struct nb_log *log; /**< optional; NULL = silent */
	const char *log_src;      /**< NULL = "phy" */
	uint8_t addr;            /**< PHYAD 0..31 */
	uint32_t id;             /**< expected (PHYID1 << 16 | PHYID2) under id_mask */
	uint32_t id_mask;        /**< 0 = accept any present PHY */
	uint32_t advertise;      /**< NB_PHY_* bits; speeds 0 = all the PHY supports */
	bool forced;             /**< no autonegotiation: forced_speed/forced_full_duplex */
	uint16_t forced_speed;   /**< 10 or 100 */
	bool forced_full_duplex;
	bool use_irq;            /**< link changes come by interrupt (nb_phy_trigger()); the
				      timer only runs where no interrupt exists (forced mode,
				      link down) */
	uint64_t link_poll_ns;   /**< 0 = 1 s */
	uint64_t reset_timeout_ns; /**< 0 = 500 ms (IEEE 22.2.4.1.1 limit) */
	uint64_t reset_poll_ns;    /**< 0 = 1 ms */
	const struct nb_phy_quirks *quirks; /**< NULL = plain clause 22 */
	nb_phy_link_fn link_fn;  /**< optional */
	void *link_ctx;
};

/** PHY state. Caller-allocated; read it through the accessors. */
struct nb_phy {
	struct nb_phy_cfg cfg;
	enum nb_phy_state state;
	int error;               /**< why FAILED (negative errno), else 0 */
	uint8_t addr;            /**< address in use (cfg.addr or the scan result) */
	uint32_t id;             /**< ID read by the last probe */
	uint32_t supported;      /**< speed modes from BMSR */
	uint16_t adv;            /**< base page written to ANAR */
	struct nb_phy_status status;
	struct nb_phy_stats stats;
	uint64_t timer;          /**< next state-machine check (NB_DEADLINE_NONE: none) */
	uint64_t reset_deadline; /**< soft reset must have cleared by then */
	bool irq_pending;        /**< nb_phy_trigger() seen, not yet handled */
	bool an_restarting;      /**< we set BMCR.9: link is down until it reads 0 */
	uint32_t irq_flags;      /**< vendor flags returned by the last acknowledge */
	uint16_t bmsr;           /**< live BMSR from the last link check */
	bool ack_retry;          /**< the last interrupt acknowledge failed: redo it */
	uint32_t bus_error_run;  /**< bus errors since the last supervision access that worked */
};

/**
 * Check and copy @p cfg; no bus access. State DOWN.
 * @retval -EINVAL missing bus/clock ops, address > 31, forced speed not 10/100, or an
 *         advertisement without a speed bit once masked to 10/100.
 */
NB_MUST_CHECK int nb_phy_init(struct nb_phy *phy, const struct nb_phy_cfg *cfg);

/**
 * Read PHYID1/PHYID2 at @p addr.
 * @retval 0 *id filled.
 * @retval -ENODEV nobody answers: the ID reads all ones (pull-up) or all zeros (no pull-up).
 * Other negative errno: bus failure.
 */
NB_MUST_CHECK int nb_phy_read_id(const struct nb_mdio_bus *bus, uint8_t addr, uint32_t *id);

/**
 * Probe addresses @p first..31 and return the first one whose ID matches (@p mask 0 = any).
 * Absent addresses and other PHYs are skipped.
 * @retval 0 *addr and *id filled. @retval -ENODEV none found. Other: bus failure.
 */
NB_MUST_CHECK int nb_phy_scan(const struct nb_mdio_bus *bus, uint8_t first, uint32_t id,
			      uint32_t mask, uint8_t *addr, uint32_t *found_id);

/**
 * Identify the PHY at cfg.addr (or, with @p scan, the first matching address): synchronous
 * (two or at most 64 register reads). Sets phy->addr and phy->id.
 * @retval -ENODEV no PHY answers. @retval -ENXIO a PHY answers but its ID does not match
 * cfg.id under cfg.id_mask (logged with the ID read). Other: bus failure.
 */
NB_MUST_CHECK int nb_phy_probe(struct nb_phy *phy, bool scan);

/**
 * Start the bring-up of a probed PHY: quirks->pre_reset, then a soft reset (BMCR = 0x8000
 * alone, as the reset bit must not be combined with others). nb_phy_step() continues.
 * The link is reported down at once if it was up.
 * @retval 0 started (state RESET). Negative errno: bus failure (state FAILED).
 */
NB_MUST_CHECK int nb_phy_start(struct nb_phy *phy);

/**
 * Run the work that is due: reset completion check and configuration, link update on an
 * interrupt or a poll timer. Cheap when nothing is due (no bus access).
 * @retval 0 (also when FAILED earlier, and after a transient bus error in supervision,
 *         which is counted and retried); negative errno when this step failed the PHY.
 */
int nb_phy_step(struct nb_phy *phy);

/** The PHY raised its interrupt: the next nb_phy_step() acknowledges it and updates the link.
 *  Poll context; ISRs only note the event for the poll to pass on. */
void nb_phy_trigger(struct nb_phy *phy);

/** When nb_phy_step() must run next without an interrupt (NB_DEADLINE_NONE: never). */
uint64_t nb_phy_next_deadline(const struct nb_phy *phy);

/**
 * Restart autonegotiation (BMCR.9) with the current advertisement; link counts as down
 * until the PHY has cleared the bit. @retval -EINVAL in forced mode or not configured.
 */
NB_MUST_CHECK int nb_phy_restart_aneg(struct nb_phy *phy);

/**
 * Stop supervising: interrupts off (quirks->config_intr), optionally BMCR power-down, link
 * reported down, state DOWN. Bus errors are returned but the PHY is stopped anyway.
 * Accepts NULL and a PHY that is not started.
 */
int nb_phy_stop(struct nb_phy *phy, bool power_down);

static inline enum nb_phy_state nb_phy_state(const struct nb_phy *phy) { return phy->state; }
static inline int nb_phy_error(const struct nb_phy *phy) { return phy->error; }
static inline const struct nb_phy_status *nb_phy_status(const struct nb_phy *phy)
{
	return &phy->status;
}
static inline const struct nb_phy_stats *nb_phy_stats(const struct nb_phy *phy)
{
	return &phy->stats;
}

/* ---- register access for chip layers --------------------------------------------------- */

/** Read register @p reg of this PHY. @return 0..0xFFFF or negative errno. */
NB_MUST_CHECK int nb_phy_read(const struct nb_phy *phy, uint8_t reg);
NB_MUST_CHECK int nb_phy_write(const struct nb_phy *phy, uint8_t reg, uint16_t val);
/** Read-modify-write: clear @p clear, set @p set; writes only when the value changes.
 *  @return 1 written, 0 unchanged, or negative errno. */
NB_MUST_CHECK int nb_phy_modify(const struct nb_phy *phy, uint8_t reg, uint16_t clear,
				uint16_t set);
/**
 * Note a transient bus error of link supervision (core or chip layer): counted in
 * stats.bus_errors, logged once per outage. The caller retries later itself.
 */
void nb_phy_note_bus_error(struct nb_phy *phy, int err);
/** A supervision access worked again: ends the outage nb_phy_note_bus_error() logged. */
void nb_phy_note_bus_ok(struct nb_phy *phy);
/**
 * nb_phy_read() for link supervision: 0xFFFF (no PHY drove MDIO) is -EIO, as no register
 * the supervision reads can hold all ones. @return 0..0xFFFE or negative errno.
 */
NB_MUST_CHECK int nb_phy_read_live(const struct nb_phy *phy, uint8_t reg);
/** Log through cfg.log under cfg.log_src. */
void nb_phy_log(const struct nb_phy *phy, enum nb_log_level level, const char *msg, int64_t a,
		int64_t b);

#endif /* NB_PHY_C22_H */
