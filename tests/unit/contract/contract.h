/* SPDX-License-Identifier: MIT */
/**
 * @file contract.h
 * @brief Device factories for the unified-interface contract suite.
 *
 * Every device that implements nb_netdev provides one factory (a const object with external
 * linkage named nb_contract_dev_<name>, referenced weakly by contract_main.c) and appends its
 * source to `contract_sources` in its tests/unit/<device>/meson.build. The suite then runs
 * every contract test against it. A factory builds the device on its real far side (a chip
 * model, a simulated wire, an AP), not on mocks.
 */
#ifndef NB_CONTRACT_H
#define NB_CONTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/netdev/netdev.h"

struct nb_contract_dev {
	const char *name;
	/** Build, register, open and bring the link up (running simulated time as needed).
	 *  @return an opaque handle, or NULL on failure. */
	void *(*setup)(void);
	void (*teardown)(void *h);
	struct nb_netdev *(*netdev)(void *h);
	/** The far side sends @p frame (no FCS) toward the device. It must be on its way when
	 *  this returns; settle() makes it arrive. @return 0 or negative errno. */
	int (*inject)(void *h, const uint8_t *frame, size_t len);
	/** Optional: the far side sends a frame the device must drop; sets the reason the
	 *  device has to count it under. */
	int (*inject_bad)(void *h, const uint8_t *frame, size_t len,
			  enum nb_drop_reason *expected);
	/** Let simulated time pass until everything in flight has arrived (frames delivered to
	 *  the device's receive path or to the far side, IRQs raised). Does not poll the device. */
	void (*settle)(void *h);
	/** Take the next frame the far side received from the device (no FCS).
	 *  @return its length, 0 when none. */
	int (*far_take)(void *h, uint8_t *buf, size_t cap);
	/** Back door: cable/AP down or up. settle() then lets the device notice. */
	void (*set_link)(void *h, bool up);
	/** Frames the far side accepts before the device must report backpressure when time does
	 *  not pass (no settle). 0 = unknown: the suite then sends until -EAGAIN, at most 4096. */
	unsigned tx_fill_hint;
};

#endif
