/* SPDX-License-Identifier: MIT */
/**
 * @file netdev.h
 * @brief The unified device interface: one contract for every Ethernet-like device.
 *
 * A driver embeds `struct nb_netdev` in its own state, fills the identity fields and an ops
 * table, and calls nb_netdev_register(). Everything above the driver (the stack wrapper, the
 * run loop, tests) talks to the device only through the nb_netdev_*() calls below.
 *
 * Model (NAPI-grade):
 *  - TX: nb_netdev_send() never blocks. When the device has no room it returns -EAGAIN and
 *    the frame stays with the caller. nb_netdev_tx_space() tells, before that happens, how
 *    many frames would be accepted now, so a wrapper can stop offering (netif_stop_queue).
 *    When space returns after having been 0 the device raises its IRQ (TX completion).
 *  - RX: nb_netdev_poll(dev, budget) processes at most @p budget received frames, handing
 *    each good one to the RX handler. Frame memory is borrowed: valid only until the
 *    handler returns.
 *  - IRQ: the bus/GPIO layer calls nb_netdev_irq() from interrupt context. It only marks
 *    work pending, masks further IRQs and wakes the run loop. All protocol work happens in
 *    poll. When poll processed fewer frames than its budget the core re-arms the IRQ
 *    (ops->irq_rearm), and a device that still has work re-raises it at that point.
 *    Devices without an IRQ line lack NB_NETDEV_CAP_IRQ; the loop polls them on a timer
 *    (poll_interval_ns) and at ops->next_deadline.
 *  - Link: the link handler fires once on registration with the current state and then on
 *    every change; NB_NETDEV_F_RUNNING follows the link.
 *  - Errors: 0 or a negative errno; counts are >= 0 or a negative errno; predicates bool.
 *
 * Context rules: every call except nb_netdev_irq() must come from one context at a time (the
 * run loop, or inside a handler called by it). nb_netdev_irq() may come from any context.
 *
 * Freestanding: no allocation, no I/O, no host headers.
 */
#ifndef NB_NETDEV_H
#define NB_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/util/compiler.h"

#define NB_ETH_ALEN 6u
#define NB_ETH_HLEN 14u
/** Shortest frame on the wire without FCS; shorter frames are padded by the MAC. */
#define NB_ETH_MIN_FRAME 60u
/** Longest untagged frame without FCS (1500 MTU + 14). */
#define NB_ETH_MAX_FRAME 1514u
/** Longest 802.1Q-tagged frame without FCS. */
#define NB_ETH_MAX_FRAME_VLAN 1518u
#define NB_ETH_FCS_LEN 4u
#define NB_NETDEV_NAME_MAX 16u
/** Bytes past the end of a TX frame a device may read (not write): a 32-bit bus word. */
#define NB_NETDEV_TX_TAIL_READ 3u

/** Interface flags (nb_netdev.flags); maintained by the core. */
enum nb_netdev_flag {
	NB_NETDEV_F_UP = 1u << 0,        /**< opened by nb_netdev_open() */
	NB_NETDEV_F_RUNNING = 1u << 1,   /**< link (carrier) is up */
	NB_NETDEV_F_BROADCAST = 1u << 2, /**< accepts broadcast frames */
	NB_NETDEV_F_PROMISC = 1u << 3,   /**< promiscuous mode is on */
	NB_NETDEV_F_MULTICAST = 1u << 4, /**< accepts multicast frames */
};

/** Capability bits (nb_netdev.caps); set by the driver, may change at run time. */
enum nb_netdev_cap {
	NB_NETDEV_CAP_10HD = 1u << 0,
	NB_NETDEV_CAP_10FD = 1u << 1,
	NB_NETDEV_CAP_100HD = 1u << 2,
	NB_NETDEV_CAP_100FD = 1u << 3,
	NB_NETDEV_CAP_AUTONEG = 1u << 4,
	NB_NETDEV_CAP_PROMISC = 1u << 8,      /**< set_promisc is supported */
	NB_NETDEV_CAP_RX_CSUM = 1u << 9,      /**< device verifies L3/L4 checksums */
	NB_NETDEV_CAP_TX_CSUM = 1u << 10,     /**< device fills L3/L4 checksums */
	NB_NETDEV_CAP_IRQ = 1u << 12,         /**< device raises nb_netdev_irq(); else it is polled */
	NB_NETDEV_CAP_WIRELESS = 1u << 13,    /**< link is an 802.11 association */
	NB_NETDEV_CAP_FCS_CHECKED = 1u << 14, /**< driver checks the FCS in software */
};

/** Why a frame was dropped. Every dropped frame is counted under exactly one reason. */
enum nb_drop_reason {
	NB_DROP_RX_NO_HANDLER = 0, /**< no RX handler set, or device not UP */
	NB_DROP_RX_FCS,            /**< frame check sequence mismatch */
	NB_DROP_RX_RUNT,           /**< shorter than the minimum frame */
	NB_DROP_RX_OVERSIZE,       /**< longer than the device accepts */
	NB_DROP_RX_PHY_ERROR,      /**< receive error signalled by the PHY (RXER) */
	NB_DROP_RX_MALFORMED,      /**< bus/firmware header invalid (lengths, channel, ...) */
	NB_DROP_RX_OVERFLOW,       /**< device or bus queue full before the host polled */
	NB_DROP_RX_FILTERED,       /**< destination address not ours (not promiscuous) */
	NB_DROP_RX_BUS_ERROR,      /**< bus transfer failed while receiving */
	NB_DROP_TX_LINK_DOWN,      /**< send() while the link was down */
	NB_DROP_TX_OVERSIZE,       /**< send() of a frame longer than max_frame */
	NB_DROP_TX_BUS_ERROR,      /**< bus transfer failed while sending */
	NB_DROP_TX_MALFORMED,      /**< frame shorter than an Ethernet header */
	NB_DROP__COUNT
};

/** Short stable name of a drop reason ("rx_fcs", ...); "unknown" when out of range. */
const char *nb_drop_reason_name(enum nb_drop_reason reason);

/** Counters; all monotonic. Owned by the core, updated by the core and the driver. */
struct nb_netdev_stats {
	uint64_t rx_frames;  /**< frames handed to the RX handler */
	uint64_t rx_bytes;   /**< bytes of those frames (no FCS) */
	uint64_t tx_frames;  /**< frames accepted by send() */
	uint64_t tx_bytes;   /**< bytes of those frames (no FCS, no padding) */
	uint64_t tx_busy;    /**< send() answered -EAGAIN (not a drop: caller kept the frame) */
	uint64_t irqs;       /**< nb_netdev_irq() calls */
	uint64_t polls;      /**< nb_netdev_poll() calls */
	uint64_t link_changes;
	uint64_t drops[NB_DROP__COUNT];
};

/** Link state. speed_mbps is 0 while down. */
struct nb_link_state {
	bool up;
	bool full_duplex;
	uint16_t speed_mbps;
};

struct nb_netdev;

/**
 * RX handler. Called from nb_netdev_poll() context.
 * @param frame Ethernet frame without FCS; borrowed, valid until the handler returns.
 * @param len   bytes at @p frame (>= NB_ETH_HLEN, <= max_frame).
 */
typedef void (*nb_netdev_rx_fn)(struct nb_netdev *dev, const uint8_t *frame, size_t len,
				void *ctx);
/** Link handler: once on registration, then on every change. @p st is borrowed. */
typedef void (*nb_netdev_link_fn)(struct nb_netdev *dev, const struct nb_link_state *st,
				  void *ctx);
/** Wake hook: called from nb_netdev_irq() (interrupt context) to wake the run loop. */
typedef void (*nb_netdev_wake_fn)(struct nb_netdev *dev, void *ctx);

/**
 * Driver operations. Required: open, stop, send, tx_space, poll. Optional ops may be NULL;
 * the matching nb_netdev_*() call then returns -EOPNOTSUPP (or a documented default).
 */
struct nb_netdev_ops {
	/** Start the device (may start a bring-up that poll() continues). */
	int (*open)(struct nb_netdev *dev);
	/** Stop the device; no RX delivery afterwards. */
	int (*stop)(struct nb_netdev *dev);
	/**
	 * Queue one frame. @p frame has dev->tx_headroom writable bytes before it, which the
	 * driver may use for bus headers; the frame bytes themselves are not modified.
	 * The frame is not padded; the driver pads runts and appends the FCS as needed.
	 * Word-wide buses may read (never write) up to NB_NETDEV_TX_TAIL_READ bytes past
	 * frame + len, so TX buffers end at least that far after the longest frame.
	 * @retval 0 consumed: the caller may reuse the buffer at once.
	 * @retval -EAGAIN no room; not consumed, nothing counted except tx_busy.
	 * Other negative errno: the frame was dropped and the driver counted why.
	 */
	int (*send)(struct nb_netdev *dev, uint8_t *frame, size_t len);
	/** Frames send() accepts now without -EAGAIN (>= 0). */
	int (*tx_space)(struct nb_netdev *dev);
	/**
	 * Do pending protocol work and take at most @p budget frames off the receive path,
	 * passing each to nb_netdev_rx() or counting it with nb_netdev_drop().
	 * @p budget 0 does no RX work. @return frames taken off (delivered or dropped).
	 */
	int (*poll)(struct nb_netdev *dev, int budget);
	/** Optional: current link state; default is the state last reported by the driver. */
	int (*get_link)(struct nb_netdev *dev, struct nb_link_state *st);
	/** Optional, NB_NETDEV_CAP_IRQ devices: unmask the IRQ; re-raise it if work is pending. */
	void (*irq_rearm)(struct nb_netdev *dev);
	/** Optional: absolute clock time (ns) at which poll() must run even without an IRQ
	 *  (timers: autonegotiation, ioctl timeouts). UINT64_MAX when nothing is due. */
	uint64_t (*next_deadline)(struct nb_netdev *dev);
	/** Optional (NB_NETDEV_CAP_PROMISC): accept frames for any destination. */
	int (*set_promisc)(struct nb_netdev *dev, bool on);
};

/**
 * The device. Identity fields are filled by the driver before nb_netdev_register() and are
 * read-only afterwards (caps may change). Fields under "core state" belong to the core:
 * read them with the accessors.
 */
struct nb_netdev {
	/* identity (driver) */
	const struct nb_netdev_ops *ops;
	char name[NB_NETDEV_NAME_MAX];
	unsigned index;
	uint8_t mac[NB_ETH_ALEN];
	uint16_t mtu;            /**< L3 MTU, 1500 for Ethernet */
	uint16_t max_frame;      /**< longest frame send() accepts and poll() delivers, no FCS */
	uint16_t tx_headroom;    /**< writable bytes the driver needs before a TX frame */
	uint32_t caps;           /**< enum nb_netdev_cap bits */
	uint32_t poll_interval_ns; /**< devices without NB_NETDEV_CAP_IRQ: poll period; 0 = 1 ms */

	/* core state */
	uint32_t flags;
	struct nb_netdev_stats stats;
	struct nb_link_state link;
	nb_netdev_rx_fn rx_fn;
	void *rx_ctx;
	nb_netdev_link_fn link_fn;
	void *link_ctx;
	nb_netdev_wake_fn wake_fn;
	void *wake_ctx;
	volatile bool irq_pending; /**< set by nb_netdev_irq(), cleared when poll completes */
	volatile bool irq_armed;   /**< the device may raise nb_netdev_irq() */
	bool registered;
};

/* ---- lifecycle ---------------------------------------------------------------------- */

/**
 * Check the identity and ops, reset the core state (flags = BROADCAST|MULTICAST, counters 0,
 * link down, IRQ armed). Called by the driver's init.
 * @retval -EINVAL a required op is missing, max_frame < NB_ETH_HLEN or mtu 0.
 */
NB_MUST_CHECK int nb_netdev_register(struct nb_netdev *dev);
/** Open the device and set NB_NETDEV_F_UP. -EALREADY if already up. */
NB_MUST_CHECK int nb_netdev_open(struct nb_netdev *dev);
/** Stop the device, clear UP (RUNNING stays with the link). Accepts a device not up. */
int nb_netdev_stop(struct nb_netdev *dev);

/* ---- data path ---------------------------------------------------------------------- */

/**
 * Send one frame (see nb_netdev_ops.send for ownership and headroom).
 * @retval -ENETDOWN device not UP (frame dropped, counted as NB_DROP_TX_LINK_DOWN)
 * @retval -EMSGSIZE len > max_frame (dropped, NB_DROP_TX_OVERSIZE) or < NB_ETH_HLEN
 *         (dropped, NB_DROP_TX_MALFORMED)
 * @retval -EAGAIN no room, frame not consumed
 */
NB_MUST_CHECK int nb_netdev_send(struct nb_netdev *dev, uint8_t *frame, size_t len);
/** Frames the device accepts now (>= 0); 0 when not UP. */
int nb_netdev_tx_space(struct nb_netdev *dev);
/**
 * Run the device's poll with @p budget (< 0 is -EINVAL). Returns frames processed, at most
 * @p budget; handler calls <= that. When the result is below @p budget the IRQ is re-armed
 * and pending work is cleared (NAPI complete), so a caller loops while the result equals
 * the budget or nb_netdev_work_pending() is true.
 */
int nb_netdev_poll(struct nb_netdev *dev, int budget);
/** Interrupt-context entry: mark work pending, mask, call the wake hook. Never blocks. */
void nb_netdev_irq(struct nb_netdev *dev);
/** True when an IRQ arrived (or poll ran out of budget) and poll should run. */
bool nb_netdev_work_pending(const struct nb_netdev *dev);
/** Time at which poll must run even without an IRQ (UINT64_MAX: none). */
uint64_t nb_netdev_next_deadline(struct nb_netdev *dev);

/**
 * Pull-style adapter (Option A): poll for one frame and copy it into @p dst.
 * @p cap must be >= dev->max_frame (-EINVAL otherwise), so no frame is ever truncated.
 * Uses its own handler for the duration of the call and restores the previous one.
 * @return frame length, 0 when none is waiting, or negative errno.
 */
int nb_netdev_recv(struct nb_netdev *dev, uint8_t *dst, size_t cap);

/* ---- handlers, link, identity ------------------------------------------------------- */

/**
 * Set (or clear with NULL) the RX handler. Quiescent: once this returns, the previous handler
 * is never called again, also when called from inside that handler during a poll; frames
 * that find no handler are counted as NB_DROP_RX_NO_HANDLER.
 */
int nb_netdev_set_rx_handler(struct nb_netdev *dev, nb_netdev_rx_fn fn, void *ctx);
/** Set (NULL clears) the link handler; a non-NULL one is called once before this returns. */
int nb_netdev_set_link_handler(struct nb_netdev *dev, nb_netdev_link_fn fn, void *ctx);
/** Set the wake hook called from nb_netdev_irq(). */
void nb_netdev_set_wake(struct nb_netdev *dev, nb_netdev_wake_fn fn, void *ctx);
/** Current link state (ops->get_link or the last state the driver reported). */
int nb_netdev_get_link(struct nb_netdev *dev, struct nb_link_state *st);
/** Promiscuous mode; -EOPNOTSUPP without NB_NETDEV_CAP_PROMISC. */
int nb_netdev_set_promisc(struct nb_netdev *dev, bool on);

static inline uint32_t nb_netdev_flags(const struct nb_netdev *dev) { return dev->flags; }
static inline uint32_t nb_netdev_caps(const struct nb_netdev *dev) { return dev->caps; }
static inline const struct nb_netdev_stats *nb_netdev_stats(const struct nb_netdev *dev)
{
	return &dev->stats;
}
/** Sum of all drop counters. */
uint64_t nb_netdev_drops_total(const struct nb_netdev *dev);

/* ---- for drivers ---------------------------------------------------------------------- */

/** From ops->poll: hand one good frame to the RX handler (or count NO_HANDLER). */
void nb_netdev_rx(struct nb_netdev *dev, const uint8_t *frame, size_t len);
/** Count one dropped frame. */
void nb_netdev_drop(struct nb_netdev *dev, enum nb_drop_reason reason);
/** From ops->send on success: count one transmitted frame of @p len bytes. */
void nb_netdev_tx_done(struct nb_netdev *dev, size_t len);
/** Report the link state; calls the link handler when it differs from the last one. */
void nb_netdev_link_changed(struct nb_netdev *dev, const struct nb_link_state *st);

#endif /* NB_NETDEV_H */
