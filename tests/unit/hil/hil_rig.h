/* SPDX-License-Identifier: MIT */
/**
 * @file hil_rig.h
 * @brief The CYW43439 driver rig (tests/unit/cyw43439/rig.h: model, AP, wire peer, images)
 *        with the driver's buses swapped for a HIL backend, and a run loop that also runs the
 *        backend's service (polled FTDI interrupts, gpiod events) as netbench's loop would.
 */
#ifndef NB_TEST_HIL_RIG_H
#define NB_TEST_HIL_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/unit/cyw43439/rig.h"

/** Backend service: work() runs at every loop step (before the device is looked at),
 *  deadline() tells when it must run again without other activity. */
struct hrig_svc {
	int (*work)(void *ctx);
	uint64_t (*deadline)(void *ctx);
	void *ctx;
};

struct hrig {
	struct rig *r;
	struct hrig_svc svc;
	uint64_t last_poll;
	unsigned svc_errors;
	bool swapped;
};

/** rig_new(@p o); the driver stays on the model's buses until hrig_swap(). */
struct hrig *hrig_new(const struct rig_opts *o);
/** Re-initialise the driver on @p gspi / @p gpio with the given pins. */
void hrig_swap(struct hrig *h, struct nb_gspi_bus gspi, struct nb_gpio gpio, unsigned wl_reg_on,
	       unsigned host_wake);
/** Stop the driver while the backend still exists (call before closing the backend). */
void hrig_stop(struct hrig *h);
/** Free everything (after hrig_stop() and the backend's close). */
void hrig_free(struct hrig *h);

bool hrig_step(struct hrig *h);
bool hrig_run_until(struct hrig *h, bool (*cond)(struct rig *r, void *arg), void *arg,
		    uint64_t max_ns);
void hrig_run_for(struct hrig *h, uint64_t ns);
/** Open and run until READY or FAILED; @return the state. */
enum nb_cyw43439_state hrig_boot(struct hrig *h);
/** Boot, join the AP; asserts success. */
void hrig_boot_join(struct hrig *h);
/** Send frames both ways through AP and wire; asserts they arrive intact. */
void hrig_exchange(struct hrig *h, unsigned frames);

#endif
