/* SPDX-License-Identifier: MIT */
/**
 * @file observe.h
 * @brief Frame observation points of a run, and the observers that hang off them
 *        (frame captures, assertions on frames and latency, the plot's samples).
 *
 * A run has four points where whole Ethernet frames (no FCS) cross between the simulated
 * side and the outside world:
 *  - host.tx: the stack port handed the frame to the stack wrapper (towards the device);
 *  - host.rx: the stack port took a frame the device received;
 *  - far.tx:  the far endpoint handed a frame to the partner's MAC (towards the wire);
 *  - far.rx:  the far endpoint took a frame that came off the wire.
 * A frame refused with -EAGAIN is observed once, when it is finally taken.
 *
 * Context: the run loop only. Observers must not call back into the run.
 */
#ifndef NB_PROG_OBSERVE_H
#define NB_PROG_OBSERVE_H

#include <stddef.h>
#include <stdint.h>

enum nb_point {
	NB_POINT_HOST_TX = 0,
	NB_POINT_HOST_RX,
	NB_POINT_FAR_TX,
	NB_POINT_FAR_RX,
	NB_POINT__COUNT
};

/** A frame passed @p point at simulation time @p t_ns; @p frame is borrowed for the call. */
typedef void (*nb_observe_frame_fn)(void *ctx, enum nb_point point, uint64_t t_ns,
				    const uint8_t *frame, size_t len);

/** An observer. Embed it; register with nb_observe_add(); it stays registered until the
 *  run is torn down (observers are owned by their creators, who free them after the run). */
struct nb_observer {
	nb_observe_frame_fn frame;
	void *ctx;
	struct nb_observer *next; /**< owned by the run */
};

struct nb_run;

/** Register @p o on run @p r (observers are called in registration order). */
void nb_observe_add(struct nb_run *r, struct nb_observer *o);
/** Tell every observer of @p r that @p frame passed @p point now. */
void nb_observe_frame(struct nb_run *r, enum nb_point point, const uint8_t *frame, size_t len);
/** "host.tx", "host.rx", "far.tx", "far.rx"; "?" out of range. */
const char *nb_point_name(enum nb_point point);
/** Inverse of nb_point_name(). @return the point, or -1 for an unknown name. */
int nb_point_parse(const char *name);

#endif /* NB_PROG_OBSERVE_H */
