/* SPDX-License-Identifier: MIT */
/**
 * @file rig.h
 * @brief Test rig for the CYW43439 driver: virtual-time sim, the chip model, a simulated AP
 *        bridged to a wire, a wire peer behind it, and the driver — plus a small run loop.
 *
 * Everything runs against the real model (sim/cyw43439), never against mocks. The model runs
 * in strict mode, and every violation it reports is recorded so tests can require none.
 */
#ifndef NB_TEST_CYW43439_RIG_H
#define NB_TEST_CYW43439_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/cyw43439/cyw43439.h"
#include "sim/core/sim.h"
#include "sim/cyw43439/ap.h"
#include "sim/cyw43439/cyw43439_model.h"
#include "sim/medium/wire.h"

#define RIG_SSID "netbench-ap"
#define RIG_PASSPHRASE "correct horse battery"
#define RIG_PEER_SLOTS 256

struct rig_opts {
	bool open_ap;               /**< AP security open (default WPA2-PSK) */
	const char *ap_passphrase;  /**< NULL = RIG_PASSPHRASE */
	size_t fw_len;              /**< NBFW image length; 0 = 40000 (crosses a 32 KB window) */
	size_t clm_len;             /**< 0 = 1500 (two clmload chunks); SIZE_MAX = no CLM */
	bool fast;                  /**< short model timings (join scan, beacon loss, ...) */
	struct nb_cyw43439_model_cfg model; /**< model config; fast fills zero timing fields */
	struct nb_cyw43439_cfg drv; /**< driver knobs (buses and images are filled in) */
	bool no_ap;                 /**< do not put the AP in range */
	uint64_t ap_handshake_ns;   /**< AP gives up a failed 4-way handshake; 0 = fast ? 200 ms
				         : the AP's default (3 s) */
	/** ASan builds: poison the driver's F2 buffer past each frame read, so a read beyond
	 *  the length the chip reported fails the test. */
	bool guard_rx;
};

struct rig_frame {
	size_t len;
	uint8_t data[2048];
};

struct rig {
	struct nb_sim *sim;
	struct nb_cyw43439_model *m;
	struct nb_wifi_ap *ap;
	struct nb_wire *wire;
	struct nb_cyw43439 drv;
	struct nb_cyw43439_cfg cfg;
	uint8_t *fw;
	size_t fw_len;
	uint8_t nvram[256];
	size_t nvram_len;
	uint8_t *clm;
	size_t clm_len;
	/* gSPI wrapper for guard_rx */
	struct nb_gspi_bus inner;
	struct nb_gspi_ops guard_ops;
	uint8_t *poisoned;
	size_t poisoned_len;
	/* wire peer behind the AP */
	struct rig_frame *peer;     /**< RIG_PEER_SLOTS frames received (FCS stripped) */
	unsigned peer_head, peer_count;
	uint64_t peer_bad_fcs;
	/* model reports */
	unsigned violations;
	char last_violation[256];
	/* golden trace capture */
	bool tracing;
	char *trace;
	size_t trace_len, trace_cap;
	unsigned trace_lines;
	uint64_t last_poll;         /**< devices without an IRQ are polled on a timer */
	/* callbacks seen */
	int join_result;
	unsigned join_calls;
	int poll_errors;
	/* RX handler record */
	unsigned rx_count;
	struct rig_frame last_rx;
};

/** Build everything (driver initialised, not opened). Asserts on failure. */
struct rig *rig_new(const struct rig_opts *o);
void rig_free(struct rig *r);
struct nb_netdev *rig_dev(struct rig *r);

/** One run-loop step: poll if work is due, else advance time to the next event.
 *  @return false when nothing at all is scheduled. */
bool rig_step(struct rig *r);
/** Run until @p cond(r, arg) or @p max_ns of simulated time passed. @return cond's value. */
bool rig_run_until(struct rig *r, bool (*cond)(struct rig *r, void *arg), void *arg,
		   uint64_t max_ns);
/** Run the loop for @p ns of simulated time. */
void rig_run_for(struct rig *r, uint64_t ns);
/** Open the device and run until READY (asserts). */
void rig_boot(struct rig *r);
/** Boot and join the rig's AP (asserts the link came up). */
void rig_boot_join(struct rig *r);
/** Start a join of the rig's AP with @p passphrase (NULL: the right one / open). */
int rig_join(struct rig *r, const char *passphrase);

/** The wire peer sends @p frame (no FCS) toward the AP. */
int rig_peer_send(struct rig *r, const uint8_t *frame, size_t len);
/** Next frame the peer received (FCS checked and stripped); 0 when none. */
int rig_peer_take(struct rig *r, uint8_t *buf, size_t cap);

/** Install an RX handler that counts frames and keeps the last one. */
void rig_record_rx(struct rig *r);

/** Start capturing the model's trace (nb_cyw43439_trace_format lines). */
void rig_trace_start(struct rig *r);

/** The MAC the peer uses. */
extern const uint8_t rig_peer_mac[6];

#endif
