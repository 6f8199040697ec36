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
	bool has_nint;            /**< nINT wired: link events by interrupt instead of polling */
	unsigned nint_pin;
	uint8_t phy_addr;
	bool scan_addr;           /**< probe addresses 0..31 and take the first LAN8720 found */
	uint8_t mac[NB_ETH_ALEN];
	nb_crc32_fn crc32;        /**< NULL = nb_crc32 */
	uint32_t advertise;       /**< NB_NETDEV_CAP_10HD..100FD; 0 = all four */
	bool no_autoneg;          /**< force speed/duplex below */
	uint16_t forced_speed;    /**< 10 or 100 */
	bool forced_full_duplex;
	bool edpd;                /**< energy-detect power-down (not with nINT, see reference §4) */
	enum nb_lan8720_mdix mdix;
	uint32_t link_poll_ns;    /**< without nINT; 0 = 1 s */
	bool promisc;
	const char *name;         /**< interface name; NULL = "eth0" */
};

struct nb_lan8720;

/* Callers allocate struct nb_lan8720 (its definition follows, with private fields). */
#include "drivers/lan8720/lan8720_priv.h"

/**
 * Initialise and register the device (nothing touches the bus yet). nb_netdev_open() then
 * starts the bring-up: hardware reset if nRST is wired, PHY identification (-ENODEV from a
 * later poll-driven bring-up is reported through the log and the link stays down), straps
 * fix-up, advertisement, autonegotiation.
 * @retval -EINVAL missing bus ops or bad config.
 */
NB_MUST_CHECK int nb_lan8720_init(struct nb_lan8720 *d, const struct nb_lan8720_cfg *cfg);
/** Stop and unhook from the buses. Accepts NULL. */
void nb_lan8720_deinit(struct nb_lan8720 *d);
/** The unified interface of this device. */
static inline struct nb_netdev *nb_lan8720_netdev(struct nb_lan8720 *d)
{
	return &d->base;
}

#endif /* NB_LAN8720_H */
