/* SPDX-License-Identifier: MIT */
/* Internal to drivers/lan8720: what the PHY layer, the MAC and the netdev glue share. */
#ifndef NB_LAN8720_PRIV_H
#define NB_LAN8720_PRIV_H

#include "drivers/lan8720/lan8720.h"

#define NB_LAN8720_LOG_SRC "lan8720"

static inline struct nb_lan8720 *nb_lan8720_of_phy(struct nb_phy *phy)
{
	return nb_container_of(phy, struct nb_lan8720, phy);
}

static inline struct nb_lan8720 *nb_lan8720_of_dev(struct nb_netdev *dev)
{
	return nb_container_of(dev, struct nb_lan8720, base);
}

static inline void nb_lan8720_log(const struct nb_lan8720 *d, enum nb_log_level level,
				  const char *msg, int64_t a, int64_t b)
{
	nb_log(&d->cfg.log, level, NB_LAN8720_LOG_SRC, msg, a, b);
}

/* lan8720_phy.c: the vendor quirks and the vendor timers (EDPD energy look, INT7 re-arm). */
extern const struct nb_phy_quirks nb_lan8720_quirks;
void nb_lan8720_vendor_reset(struct nb_lan8720 *d);
/* Bus errors are counted (nb_phy_note_bus_error()) and retried a poll period later. */
void nb_lan8720_vendor_step(struct nb_lan8720 *d);
uint64_t nb_lan8720_vendor_deadline(const struct nb_lan8720 *d);

/* lan8720_netdev.c: the caller was told "no room"; make sure it hears when room is back. */
void nb_lan8720_tx_stalled(struct nb_lan8720 *d);

/* lan8720_mac.c: the software MAC over the RMII port. */
NB_MUST_CHECK int nb_lan8720_mac_send(struct nb_lan8720 *d, const uint8_t *frame, size_t len);
int nb_lan8720_mac_rx(struct nb_lan8720 *d, int budget);
void nb_lan8720_mac_drain(struct nb_lan8720 *d);
void nb_lan8720_mac_baseline(struct nb_lan8720 *d);
bool nb_lan8720_mac_rx_waiting(struct nb_lan8720 *d);

#endif
