/* SPDX-License-Identifier: MIT */
/**
 * @file lan8720.h
 * @brief LAN8720A Ethernet: the PHY over MDIO plus a software MAC over an RMII frame port,
 *        as one nb_netdev.
 *
 * Built on the generic clause-22 PHY core (drivers/phy/c22.h) with a thin LAN8720 layer for
 * its vendor registers (17 MCSR, 18 SMR, 27 SCSIR, 29 ISF, 30 IMR, 31 PSCSR). The MAC side
 * checks the FCS of every received frame, pads runts to 60 bytes and appends the FCS on
 * transmit, and filters by destination address unless promiscuous. No blocking: bring-up
 * (reset, straps fix-up, autonegotiation) advances in poll() against the injected clock.
 *
 * Bring-up (nb_netdev_open()):
 *  1. Stale frames waiting in the RMII port are dropped (counted as NB_DROP_RX_NO_HANDLER);
 *     the port's loss counter is taken as the new baseline.
 *  2. With has_nrst: nRST is driven low for 150 us (t_rstia >= 100 us; the extra margin is
 *     the ESP-IDF fix for LAN8720 parts that came up flapping), released, and the first MDIO
 *     access waits 10 ms more. Without it the PHY is used as it is.
 *  3. Identification: PHYID 0x0007C0Fx (Linux's match: ID & 0xFFFFFFF0 == 0x0007C0F0) at
 *     phy_addr, or the first matching address with scan_addr.
 *     Without has_nrst this happens inside open(), which then fails with -ENODEV (nobody
 *     answers: ID all ones or all zeros) or -ENXIO (another PHY answers). With has_nrst it
 *     happens in a later poll(): a failure is logged, nb_lan8720_state() turns
 *     NB_LAN8720_ST_FAILED, nb_lan8720_error() returns the errno and the link stays down
 *     (the device stays UP so the owner can inspect it; nb_netdev_stop() then open() retries).
 *  4. Strap check: SMR (reg 18) MODE[2:0] must be 111 ("all capable"). A MODE latched low
 *     (RP2040 pads reset with pull-downs on RXD0/RXD1/CRS_DV) is rewritten to 111 before
 *     the soft reset, which takes MODE from reg 18.
 *  5. Soft reset (BMCR = 0x8000 alone), self-clear polled every 1 ms, 500 ms limit
 *     (-ETIMEDOUT → FAILED).
 *  6. Vendor set-up: Auto-MDIX per cfg.mdix (forced to MDI when autonegotiation is off: on
 *     LAN87xx parts Auto-MDIX with AN off can keep swapping pairs and never link), EDPD per
 *     cfg.edpd, stale interrupt flags read away, IMR per below.
 *  7. Advertisement / forced mode; AN is restarted only when ANAR changed.
 *  8. Link supervision: by nINT (IMR: INT4 link down, INT6 AN complete, plus INT7 ENERGYON
 *     with irq_energyon) when has_nint, else polled every link_poll_ns. Every change is
 *     reported with nb_netdev_link_changed() after the port got the speed
 *     (nb_rmii_set_speed()). An MDIO access that fails or reads 0xFFFF from here on does
 *     not fail the device: it is counted (nb_lan8720_phy(d)->stats.bus_errors), the link
 *     keeps its last known state and the check is retried after link_poll_ns (also with
 *     nINT, whose acknowledge is retried), so the link recovers once the bus answers.
 *
 * Capabilities: NB_NETDEV_CAP_IRQ when the RMII port can notify (set_notify op): received
 * frames and freed TX space then raise nb_netdev_irq() and the device needs no RX polling.
 * nINT alone does not make the device interrupt driven (frames would still need polling); it
 * only shortens link reaction. Speed bits follow the advertisement (or the forced mode),
 * NB_NETDEV_CAP_AUTONEG unless no_autoneg, always PROMISC and FCS_CHECKED.
 *
 * Frames: mtu 1500; max_frame 1518 because 802.1Q-tagged frames are supported: send()
 * accepts untagged frames up to 1514 bytes and tagged ones (TPID 0x8100 at offset 12) up to
 * 1518, and the receive side accepts 64..1518 bytes on the wire (1522 when tagged),
 * FCS included. tx_headroom 0: the pad and FCS go out as separate gather pieces, the frame is
 * never copied. Receive drops: RXER → NB_DROP_RX_PHY_ERROR, port truncation or too long →
 * NB_DROP_RX_OVERSIZE, < 64 → NB_DROP_RX_RUNT, bad FCS → NB_DROP_RX_FCS, not for us →
 * NB_DROP_RX_FILTERED (checked in that order, so the FCS is checked before the filter and a
 * corrupted frame is counted as such whatever its destination), frames the port lost →
 * NB_DROP_RX_OVERFLOW. Multicast frames are all accepted (no hash filter).
 *
 * nb_netdev_stop(): PHY interrupts off, PHY powered down (BMCR.11, so the partner sees the
 * link go and stops sending), link reported down, port callbacks unhooked.
 *
 * Context: everything from the run loop except the nINT and RMII callbacks, which only call
 * nb_netdev_irq(). Freestanding.
 */
#ifndef NB_LAN8720_H
#define NB_LAN8720_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/bus/clock.h"
#include "drivers/bus/gpio.h"
#include "drivers/bus/log.h"
#include "drivers/bus/mdio.h"
#include "drivers/bus/rmii.h"
#include "drivers/netdev/netdev.h"
#include "drivers/phy/c22.h"
#include "drivers/util/crc32.h"

/** 32-bit PHY ID (PHYID1 << 16 | PHYID2) and the mask the driver matches it under; the low
 *  nibble is the silicon revision. The LAN8710A and the LAN9500A's internal PHY share it. */
#define NB_LAN8720_PHY_ID 0x0007C0F0u
#define NB_LAN8720_PHY_ID_MASK 0xFFFFFFF0u

enum nb_lan8720_mdix {
	NB_LAN8720_MDIX_AUTO = 0, /**< HP Auto-MDIX (forced to MDI when AN is off) */
	NB_LAN8720_MDIX_MDI,
	NB_LAN8720_MDIX_MDIX,
};

/** A zeroed config means: PHY at address 0, all four speeds advertised with AN, Auto-MDIX,
 *  no EDPD, link polled every 1 s (no nINT), software CRC, filter on. */
struct nb_lan8720_cfg {
	struct nb_mdio_bus mdio;
	struct nb_rmii_port rmii;
	struct nb_clock clock;
	struct nb_log log;
	struct nb_gpio gpio;      /**< optional (ops NULL): nRST and nINT pins */
	bool has_nrst;
	unsigned nrst_pin;
	bool has_nint;            /**< nINT wired: link events by interrupt instead of polling;
				       needs gpio.ops->set_irq */
	unsigned nint_pin;
	uint8_t phy_addr;
	bool scan_addr;           /**< probe addresses 0..31 and take the first LAN8720 found */
	uint8_t mac[NB_ETH_ALEN];
	nb_crc32_fn crc32;        /**< NULL = nb_crc32 */
	uint32_t advertise;       /**< NB_NETDEV_CAP_10HD..100FD; 0 = all four */
	bool no_autoneg;          /**< force speed/duplex below */
	uint16_t forced_speed;    /**< 10 or 100 */
	bool forced_full_duplex;
	bool edpd;                /**< energy-detect power-down; refused with has_nint (-EINVAL):
				       link changes can be missed in EDPD, reference §4 */
	bool irq_energyon;        /**< with has_nint: also unmask INT7 (ENERGYON), masked again
				       while it is pending (reference §4 ENERGYON quirk) */
	enum nb_lan8720_mdix mdix;
	uint32_t link_poll_ns;    /**< without nINT; 0 = 1 s */
	bool promisc;
	const char *name;         /**< interface name; NULL = "eth0" */
};

/** Where the device is (nb_lan8720_state()). */
enum nb_lan8720_state {
	NB_LAN8720_ST_DOWN = 0,  /**< not open */
	NB_LAN8720_ST_HW_RESET,  /**< nRST pulse or the settle time after it */
	NB_LAN8720_ST_PHY_RESET, /**< soft reset running */
	NB_LAN8720_ST_NOLINK,    /**< configured, no link (autonegotiating / no partner) */
	NB_LAN8720_ST_RUNNING,   /**< link up */
	NB_LAN8720_ST_FAILED,    /**< bring-up failed: nb_lan8720_error() */
};

/** Driver counters beyond the netdev ones; monotonic. */
struct nb_lan8720_stats {
	uint32_t mode_fixups;     /**< bring-ups that found MODE != 111 and rewrote it */
	uint8_t mode_found;       /**< MODE[2:0] read at the last bring-up */
	uint32_t isf_reads;       /**< interrupt source reads (reg 29, clears on read) */
	uint16_t isf_seen;        /**< OR of every interrupt source value read */
	uint32_t nint_irqs;       /**< nINT interrupts taken */
	uint32_t energyon_events; /**< INT7 seen */
	uint32_t edpd_wakes;      /**< EDPD switched off to look for energy (link down) */
	uint32_t speed_mismatch;  /**< reg 31 HCDSPEED disagreed with ANAR & ANLPAR */
	uint32_t hcd_unknown;     /**< reg 31 HCDSPEED held no valid code at link up */
};

/**
 * The device. Callers allocate it; every field is private (use the functions below).
 */
struct nb_lan8720 {
	struct nb_netdev base;
	struct nb_lan8720_cfg cfg;
	struct nb_phy phy;
	nb_crc32_fn crc32;
	struct nb_lan8720_stats stats;
	int error;                /**< bring-up failure before the PHY core ran */
	uint8_t stage;            /**< internal bring-up stage */
	uint64_t hw_deadline;     /**< nRST stage timer */
	uint16_t imr;             /**< interrupt mask as written */
	bool int7_masked;         /**< INT7 masked until ENERGYON falls */
	uint64_t int7_check;
	bool edpd_looking;        /**< EDPD off while looking for energy */
	uint64_t edpd_next;
	uint64_t edpd_check;
	uint64_t edpd_look_end;
	uint64_t vendor_retry;    /**< vendor timers wait until then after a bus error */
	bool promisc;
	bool tx_stalled;          /**< caller saw a full port: raise an IRQ when space returns */
	uint64_t tx_stall_poll;   /**< fallback check of the port's TX space while stalled */
	bool notify_hooked;
	bool nint_hooked;
	volatile bool nint_seen;  /**< set by the nINT ISR, taken by poll */
	uint32_t rx_dropped_seen; /**< port loss counter already counted */
	uint8_t fcs[NB_ETH_FCS_LEN];
};

/**
 * Initialise and register the device (nothing touches the bus yet). nb_netdev_open() then
 * starts the bring-up described above.
 * @retval -EINVAL missing bus/clock ops, a multicast or all-zero MAC, phy_addr > 31, forced
 *         speed not 10/100, advertise outside 10HD..100FD, has_nrst/has_nint without GPIO ops
 *         (nINT also needs set_irq), edpd together with has_nint, or irq_energyon without
 *         has_nint. The reason is logged.
 */
NB_MUST_CHECK int nb_lan8720_init(struct nb_lan8720 *d, const struct nb_lan8720_cfg *cfg);
/** Stop and unhook from the buses. Accepts NULL. */
void nb_lan8720_deinit(struct nb_lan8720 *d);
/** The unified interface of this device. */
static inline struct nb_netdev *nb_lan8720_netdev(struct nb_lan8720 *d)
{
	return &d->base;
}

/** Bring-up / supervision state. */
enum nb_lan8720_state nb_lan8720_state(const struct nb_lan8720 *d);
/** Why the device is NB_LAN8720_ST_FAILED (negative errno: -ENODEV no PHY, -ENXIO other PHY,
 *  -ETIMEDOUT soft reset stuck, -EIO MODE fix-up refused, or a bus error); 0 otherwise. */
int nb_lan8720_error(const struct nb_lan8720 *d);
/** The PHY core (status, counters, address in use, ID read). */
static inline const struct nb_phy *nb_lan8720_phy(const struct nb_lan8720 *d)
{
	return &d->phy;
}
static inline const struct nb_lan8720_stats *nb_lan8720_stats(const struct nb_lan8720 *d)
{
	return &d->stats;
}

#endif /* NB_LAN8720_H */
