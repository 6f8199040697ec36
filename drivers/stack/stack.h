/* SPDX-License-Identifier: MIT */
/**
 * @file stack.h
 * @brief The stack wrapper: joins any nb_netdev to one stack port. One wrapper for all
 *        devices; there is no per-driver copy of this logic.
 *
 * A stack port is the other side: the host kernel through a TAP, an lwIP netif, a pcap
 * file. Its two calls are deliver() (a received frame goes up: the seed's Demux) and
 * next_tx() (the stack's next outgoing frame: the seed's Encapsulate).
 *
 * Backpressure, both ways, with nothing dropped silently:
 *  - TX: a frame is only taken from the port when the device reports tx_space > 0. If send()
 *    still answers -EAGAIN the frame stays in the wrapper's TX buffer and is offered again on
 *    the next pump; the port is not read meanwhile (the port's own queue backs up).
 *  - RX: frames are passed to deliver() straight from the device's borrowed buffer. When
 *    deliver() answers -EAGAIN the frame is copied into the hold ring, and so is every later
 *    frame (order is kept) until the ring drains. The poll budget never exceeds the free
 *    hold slots, so the ring cannot overflow: when it is full the device is simply not
 *    polled, and frames back up (and are counted) in the device.
 *
 * Memory is the caller's (freestanding); src/ has nb_stack_new() which allocates it.
 * Context: all calls from the run loop (the same context as nb_netdev_poll()).
 */
#ifndef NB_STACK_H
#define NB_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/netdev/netdev.h"
#include "drivers/util/compiler.h"

struct nb_stack_port_ops {
	/**
	 * A received frame for the stack (no FCS). @p frame is borrowed for the call.
	 * @retval 0 taken. @retval -EAGAIN stack full: the wrapper keeps the frame and retries.
	 * Other negative errno: the stack refused it; counted in nb_stack_stats.port_rx_errors.
	 */
	int (*deliver)(void *ctx, const uint8_t *frame, size_t len);
	/**
	 * Write the stack's next outgoing frame (no FCS) to @p buf (@p cap bytes).
	 * @return its length, 0 when the stack has nothing to send, or negative errno
	 *         (-EMSGSIZE: the frame was larger than @p cap and has been discarded).
	 */
	int (*next_tx)(void *ctx, uint8_t *buf, size_t cap);
	/** Optional: the device's link changed (a TAP port sets carrier). */
	void (*link)(void *ctx, const struct nb_link_state *st);
};

struct nb_stack_port {
	const struct nb_stack_port_ops *ops;
	void *ctx;
};

/** Bytes one hold slot takes for a device with @p max_frame. */
#define NB_STACK_HOLD_SLOT(max_frame) ((((size_t)(max_frame) + 2u) + 3u) & ~(size_t)3u)
/** TX buffer size needed for @p dev: headroom, the longest frame, and the bytes a word-wide
 *  bus may read past its end (NB_NETDEV_TX_TAIL_READ). */
#define NB_STACK_TX_BUF(dev)                                                                \
	((size_t)(dev)->tx_headroom + (dev)->max_frame + NB_NETDEV_TX_TAIL_READ)

struct nb_stack_cfg {
	struct nb_stack_port port;
	uint8_t *tx_buf;    /**< >= NB_STACK_TX_BUF(dev) bytes, caller-owned */
	size_t tx_buf_len;
	uint8_t *rx_hold;   /**< >= 1 slot of NB_STACK_HOLD_SLOT(max_frame) bytes */
	size_t rx_hold_len;
	uint16_t rx_budget; /**< frames per poll; 0 = 16 */
	uint16_t tx_budget; /**< frames per TX pump; 0 = 16 */
};

struct nb_stack_stats {
	uint64_t rx_delivered;  /**< frames the port took */
	uint64_t rx_held;       /**< frames that had to wait in the hold ring */
	uint64_t port_rx_errors;/**< frames the port refused for good */
	uint64_t tx_sent;       /**< frames the device accepted */
	uint64_t tx_deferred;   /**< send() answered -EAGAIN; frame kept and retried */
	uint64_t tx_dropped;    /**< device dropped the frame (its counters say why) */
	uint64_t port_tx_errors;/**< next_tx() errors (oversize frames from the stack) */
};

struct nb_stack {
	struct nb_netdev *dev;
	struct nb_stack_cfg cfg;
	size_t slot_size;
	unsigned hold_slots;
	unsigned hold_head;
	unsigned hold_count;
	size_t tx_pending; /**< length of a frame waiting in tx_buf, 0 if none */
	struct nb_stack_stats stats;
};

/**
 * Join @p dev to cfg->port: installs the RX and link handlers (the port's link op fires once
 * at once with the current state). Does not open the device.
 * @retval -EINVAL buffers too small or port ops missing.
 */
NB_MUST_CHECK int nb_stack_init(struct nb_stack *s, struct nb_netdev *dev,
				const struct nb_stack_cfg *cfg);
/** Detach: clears the device's handlers (quiescent). Accepts NULL. */
void nb_stack_deinit(struct nb_stack *s);

/**
 * Offer held frames to the port, then poll the device with a budget that fits the free hold
 * slots. @return frames taken off the device (== the budget: call again soon), or errno.
 */
int nb_stack_poll_rx(struct nb_stack *s);
/** Move frames from the port to the device while it has room. @return frames sent. */
int nb_stack_pump_tx(struct nb_stack *s);

/** True when held RX frames wait for the port (a loop watches the port for writability). */
static inline bool nb_stack_rx_blocked(const struct nb_stack *s) { return s->hold_count > 0; }
/** True when the wrapper would take a frame from the port now (watch it for input). */
bool nb_stack_tx_ready(struct nb_stack *s);
static inline const struct nb_stack_stats *nb_stack_stats(const struct nb_stack *s)
{
	return &s->stats;
}

#endif /* NB_STACK_H */
