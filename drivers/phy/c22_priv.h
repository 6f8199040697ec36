/* SPDX-License-Identifier: MIT */
/* Internal to drivers/phy: what c22.c and c22_link.c share. */
#ifndef NB_PHY_C22_PRIV_H
#define NB_PHY_C22_PRIV_H

#include "drivers/phy/c22.h"

#define NB_PHY_DEFAULT_LINK_POLL_NS (1000ull * NB_NS_PER_MS)
#define NB_PHY_DEFAULT_RESET_TIMEOUT_NS (500ull * NB_NS_PER_MS)
#define NB_PHY_DEFAULT_RESET_POLL_NS (1ull * NB_NS_PER_MS)

/* Write advertisement and BMCR (AN or forced) after the reset. */
NB_MUST_CHECK int nb_phy_config_aneg(struct nb_phy *phy);
/* Read link state; report changes through the callback. */
NB_MUST_CHECK int nb_phy_update_link(struct nb_phy *phy);
/* Set the state and the public status to "down", calling the callback if it was up. */
void nb_phy_report_down(struct nb_phy *phy);
/* Next poll time for the current state and status. */
void nb_phy_arm_link_timer(struct nb_phy *phy);

#endif
