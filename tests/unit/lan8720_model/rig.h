/* SPDX-License-Identifier: MIT */
/** @file rig.h @brief A LAN8720A model on a simulated MDIO bus and a wire, for the unit tests. */
#ifndef NB_TEST_LAN8720_RIG_H
#define NB_TEST_LAN8720_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/bus/mdio_bus.h"
#include "sim/lan8720/lan8720_model.h"
#include "sim/medium/wire.h"
#include "tests/unit/support/test_support.h"

#define RIG_MAX_RX 64

/** The far end of the wire (a link partner that is always up). */
struct rig_peer {
	struct nb_sim *sim;
	unsigned rx;
	uint64_t rx_at[RIG_MAX_RX];
	size_t rx_len[RIG_MAX_RX];
	uint8_t last[2048];
	size_t last_len;
	bool carrier;
};

struct rig {
	struct nb_sim *sim;
	struct nb_sim_mdio *bus;
	struct nb_mdio_bus mdio;
	struct nb_lan8720_model *m;
	struct nb_wire *wire; /* NULL without one */
	struct rig_peer peer;
	uint8_t addr;
	unsigned violations;
	char last_violation[256];
	uint64_t last_violation_t;
};

/** Build the rig; @p cfg may be NULL. With @p wire the model sits at end 0 of a plugged wire
 *  whose end 1 is rig.peer. */
void rig_up(struct rig *r, const struct nb_lan8720_model_cfg *cfg, bool wire);
void rig_down(struct rig *r);
/** MDIO read/write at the model's current address (asserts success). */
uint16_t rig_rd(struct rig *r, uint8_t reg);
void rig_wr(struct rig *r, uint8_t reg, uint16_t val);
/** Advance virtual time by @p ns. */
void rig_run(struct rig *r, uint64_t ns);
/** Plug (and wait for) a link with the default partner; returns when link is up. */
void rig_link_up(struct rig *r);
/** A valid Ethernet frame of @p len bytes (FCS included) in @p buf. */
void rig_frame(uint8_t *buf, size_t len, unsigned seed);

#define MS NB_NS_PER_MS
#define US NB_NS_PER_US

#endif
