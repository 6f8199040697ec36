/* SPDX-License-Identifier: MIT */
/**
 * @file wire.h
 * @brief A point-to-point Ethernet cable between two ends (0 and 1).
 *
 * Frames on the wire are what the MDI carries after line decoding: destination MAC first,
 * FCS last (no preamble/SFD). Each end is a PHY model or a peer (far TAP, pcap source/sink,
 * a link partner in a test). A frame sent at one end arrives at the other after its
 * serialisation time at the link speed (preamble + frame + FCS + IFG, 80 ns/byte at
 * 100 Mb/s) plus the propagation delay. Each direction has a bounded queue: send() answers
 * -EAGAIN when it is full, like a MAC whose FIFO is busy.
 *
 * Cable state: a wire can be unplugged (back door / scenario). Frames in flight when the
 * cable is pulled are lost and counted. Each end also says whether it is powered/up; an end
 * sees carrier when the cable is in and the other end is up.
 *
 * Impairments (loss, delay, corruption, ...) attach as a stage: see nb_wire_set_stage().
 */
#ifndef NB_WIRE_H
#define NB_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/core/sim.h"

enum nb_wire_flag {
	NB_WIRE_F_SYMBOL_ERR = 1u << 0, /**< invalid code group inside the frame (PHY raises RXER) */
};

struct nb_wire_end_ops {
	/** A frame arrives at this end; @p frame is borrowed for the call. */
	void (*rx)(void *ctx, const uint8_t *frame, size_t len, uint32_t flags);
	/** Optional: carrier (cable in and far end up) changed. */
	void (*carrier)(void *ctx, bool present);
	/** Optional: queue space freed in this end's TX direction. */
	void (*tx_space)(void *ctx);
};

struct nb_wire_cfg {
	uint64_t prop_delay_ns; /**< 0 = 500 ns (about 100 m of cable) */
	uint16_t queue_frames;  /**< per direction; 0 = 32 */
	uint16_t speed_mbps;    /**< initial speed; 0 = 100 */
	bool unpaced;           /**< no serialisation delay: frames arrive after prop delay only */
};

struct nb_wire_dir_stats {
	uint64_t frames;    /**< delivered to the far end */
	uint64_t bytes;
	uint64_t lost_unplugged; /**< in flight when the cable was pulled, or sent unplugged */
	uint64_t dropped_by_stage;
	uint64_t busy;      /**< send() answered -EAGAIN */
};

/**
 * Impairment stage. Called for every frame that enters the wire at @p from_end, with a
 * mutable copy. It decides what arrives: return 0 to pass (possibly modified, *extra_delay_ns
 * added), 1 to drop (counted), or ask for a duplicate through *dup (the queue keeps a spare
 * slot for it, so a duplicate is never refused). Owned by the caller.
 */
struct nb_wire_stage {
	int (*apply)(void *ctx, int from_end, uint8_t *frame, size_t *len, uint32_t *flags,
		     uint64_t *extra_delay_ns, bool *dup);
	void *ctx;
};

struct nb_wire;

struct nb_wire *nb_wire_new(struct nb_sim *sim, const struct nb_wire_cfg *cfg);
/** Frees queued frames; accepts NULL. */
void nb_wire_free(struct nb_wire *w);

/** Attach an end (0 or 1). The end starts down. */
void nb_wire_attach(struct nb_wire *w, int end, const struct nb_wire_end_ops *ops, void *ctx);
/** Say whether end @p end is up (transmitting link pulses). Carrier callbacks follow. */
void nb_wire_set_end_up(struct nb_wire *w, int end, bool up);
/** Plug (true) or pull (false) the cable. */
void nb_wire_set_plugged(struct nb_wire *w, bool plugged);
bool nb_wire_plugged(const struct nb_wire *w);
/** True when end @p end sees carrier: cable in and the other end up. */
bool nb_wire_carrier(const struct nb_wire *w, int end);
/** Speed both ends agreed on (10 or 100); affects serialisation time of later frames. */
void nb_wire_set_speed(struct nb_wire *w, uint16_t mbps);
uint16_t nb_wire_speed(const struct nb_wire *w);

/**
 * Put a frame on the wire at end @p end (copied).
 * @retval 0 queued. @retval -EAGAIN this direction's queue is full.
 * @retval -ENOLINK no carrier (frame lost, counted in lost_unplugged).
 * @retval -EMSGSIZE longer than 2048 bytes.
 */
int nb_wire_send(struct nb_wire *w, int end, const uint8_t *frame, size_t len, uint32_t flags);
/** Frames end @p end can still queue. */
int nb_wire_tx_space(const struct nb_wire *w, int end);
/** Install (NULL removes) the impairment stage. */
void nb_wire_set_stage(struct nb_wire *w, const struct nb_wire_stage *stage);
/** Stats of the direction that starts at @p end. */
const struct nb_wire_dir_stats *nb_wire_stats(const struct nb_wire *w, int end);
/** Wire time of one frame of @p len bytes (FCS included) at the current speed. */
uint64_t nb_wire_frame_ns(const struct nb_wire *w, size_t len);
/**
 * When a frame of @p len bytes sent now at end @p end would arrive with no extra delay from
 * the stage (after the frames already queued, its serialisation and the propagation delay).
 * A stage that keeps frames in order calls it from apply(): the frame being sent is not yet
 * counted there.
 */
uint64_t nb_wire_arrival_base(const struct nb_wire *w, int end, size_t len);

#endif /* NB_WIRE_H */
