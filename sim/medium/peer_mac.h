/* SPDX-License-Identifier: MIT */
/**
 * @file peer_mac.h
 * @brief The link partner's MAC at one end of a wire, in front of any frame source/sink.
 *
 * A far-side peer (a TAP in another namespace, a pcap file, nothing) hands this object
 * plain Ethernet frames; it does what the partner's MAC would do to put them on the cable
 * and take them off:
 *  - transmit: pad runts to 60 bytes, append the FCS, send on the wire. When the wire's
 *    queue is full (-EAGAIN) the frame stays here and no further frame is taken from the
 *    source until the wire has room (nb_peer_mac_tx_ready() turns false), so nothing is
 *    dropped for lack of space. Without carrier frames are lost as on a real cable, and
 *    counted.
 *  - receive: drop and count frames shorter than 64 bytes, longer than max_frame + FCS,
 *    with a symbol error, or with a bad FCS; strip the FCS from good ones and deliver them.
 *    When the sink answers -EAGAIN the frame waits in a hold ring (order kept, later frames
 *    queue behind it); only when that ring is full is a frame dropped, and counted.
 *  - carrier: the partner has link when the wire gives it carrier (cable in, the other end
 *    powered) and its PHY has link (nb_peer_mac_set_link(): the partner's PHY is not
 *    simulated, so whoever models the device's PHY says when the two have negotiated).
 *    The sink hears every change of the two together; without it frames are not sent.
 *
 * Context: the run loop (wire callbacks run inside simulation timers of the same loop).
 */
#ifndef NB_SIM_PEER_MAC_H
#define NB_SIM_PEER_MAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/util/crc32.h"
#include "sim/medium/wire.h"

struct nb_peer_mac_ops {
	/** Next frame to send (no FCS) into @p buf: its length, 0 none now, negative errno
	 *  (the frame was discarded; counted as tx_source_errors). */
	int (*next_tx)(void *ctx, uint8_t *buf, size_t cap);
	/** A good frame from the wire (no FCS), borrowed for the call.
	 *  @retval 0 taken. @retval -EAGAIN keep it and retry. Other errno: refused, counted. */
	int (*deliver)(void *ctx, const uint8_t *frame, size_t len);
	/** Optional: carrier changed. */
	void (*carrier)(void *ctx, bool present);
};

struct nb_peer_mac_cfg {
	uint16_t hold_frames; /**< receive hold ring; 0 = 64 */
	uint16_t max_frame;   /**< longest frame without FCS, both ways; 0 = 1518 (802.1Q) */
	uint16_t tx_budget;   /**< frames per nb_peer_mac_pump_tx(); 0 = 32 */
	nb_crc32_fn crc32;    /**< NULL = nb_crc32_slice8 */
};

struct nb_peer_mac_stats {
	uint64_t tx_frames, tx_bytes; /**< put on the wire; bytes without pad and FCS */
	uint64_t tx_padded;           /**< runts padded to 60 bytes */
	uint64_t tx_deferred;         /**< wire queue full: frame kept and retried */
	uint64_t tx_no_carrier;       /**< lost because there was no carrier */
	uint64_t tx_oversize;         /**< longer than max_frame: not sent */
	uint64_t tx_source_errors;    /**< next_tx() errors */
	uint64_t rx_frames, rx_bytes; /**< delivered to the sink; bytes without FCS */
	uint64_t rx_fcs_errors, rx_symbol_errors, rx_runts, rx_oversize;
	uint64_t rx_held;             /**< had to wait in the hold ring */
	uint64_t rx_overflow;         /**< dropped: hold ring full */
	uint64_t rx_refused;          /**< the sink refused them for good */
};

struct nb_peer_mac;

/**
 * Attach a partner MAC to end @p end of @p wire. @p ops and @p ctx are borrowed. The end
 * starts down; nb_peer_mac_set_up() powers it.
 * @return the peer or NULL (out of memory).
 */
struct nb_peer_mac *nb_peer_mac_new(struct nb_wire *wire, int end,
				    const struct nb_peer_mac_ops *ops, void *ctx,
				    const struct nb_peer_mac_cfg *cfg);
/** Detach from the wire and free. Accepts NULL. */
void nb_peer_mac_free(struct nb_peer_mac *pm);

/** Power the partner's port up or down (its link pulses: the other end's carrier). */
void nb_peer_mac_set_up(struct nb_peer_mac *pm, bool up);
/** The partner PHY's link (negotiation done); starts false, so nothing is sent and no
 *  carrier reported until the owner says so. Cheap when unchanged. */
void nb_peer_mac_set_link(struct nb_peer_mac *pm, bool up);
/** Move frames from the source to the wire while it has room. @return frames moved
 *  (sent, or lost for lack of carrier). */
int nb_peer_mac_pump_tx(struct nb_peer_mac *pm);
/** Offer held frames to the sink again. @return frames it took. */
int nb_peer_mac_flush_rx(struct nb_peer_mac *pm);
/** True when nb_peer_mac_pump_tx() would take a frame from the source now. */
bool nb_peer_mac_tx_ready(const struct nb_peer_mac *pm);
/** True when received frames wait for the sink. */
bool nb_peer_mac_rx_blocked(const struct nb_peer_mac *pm);
/** True when the partner has link: wire carrier and nb_peer_mac_set_link(true). */
bool nb_peer_mac_carrier(const struct nb_peer_mac *pm);
const struct nb_peer_mac_stats *nb_peer_mac_stats(const struct nb_peer_mac *pm);

#endif /* NB_SIM_PEER_MAC_H */
