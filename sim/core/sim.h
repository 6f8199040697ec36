/* SPDX-License-Identifier: MIT */
/**
 * @file sim.h
 * @brief Simulation core: one clock, one timer queue, seeded random streams.
 *
 * Time modes:
 *  - NB_SIM_VIRTUAL (default): time only moves when the run loop advances it to the next
 *    event or a bus model charges the cost of a transaction. Runs as fast as the host allows
 *    and is deterministic: timers fire in (time, arming order), random streams are seeded.
 *  - NB_SIM_REALTIME: now() follows CLOCK_MONOTONIC from the start of the run; charges are
 *    only accounted. Used when a TAP (a real-time peer) is attached.
 *
 * Models never read host time; they take it from here. Drivers see it as struct nb_clock.
 * Not thread-safe: one run loop owns a sim.
 */
#ifndef NB_SIM_H
#define NB_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/clock.h"

enum nb_sim_time_mode {
	NB_SIM_VIRTUAL = 0,
	NB_SIM_REALTIME = 1,
};

struct nb_sim_cfg {
	enum nb_sim_time_mode mode;
	uint64_t seed; /**< 0 is a valid seed */
};

typedef void (*nb_sim_timer_fn)(void *ctx);

/** A timer; embed it in the model's state. Initialise with nb_sim_timer_init(). */
struct nb_sim_timer {
	uint64_t when;
	uint64_t seq;
	nb_sim_timer_fn fn;
	void *ctx;
	size_t heap_idx; /**< position in the queue, SIZE_MAX when not armed */
};

/** Independent random stream (xoshiro256**). */
struct nb_rng {
	uint64_t s[4];
};

struct nb_sim;

/** @return a new sim, or NULL when out of memory. */
struct nb_sim *nb_sim_new(const struct nb_sim_cfg *cfg);
/** Accepts NULL. Timers still armed are simply forgotten. */
void nb_sim_free(struct nb_sim *sim);

enum nb_sim_time_mode nb_sim_mode(const struct nb_sim *sim);
uint64_t nb_sim_seed(const struct nb_sim *sim);
/** Current time in ns since the start of the run. */
uint64_t nb_sim_now(const struct nb_sim *sim);
/** The clock as drivers see it; valid as long as the sim. */
const struct nb_clock *nb_sim_clock(struct nb_sim *sim);

/**
 * Account @p ns of bus/wire time spent by a transaction. Virtual mode: time advances and due
 * timers run (unless already inside a timer callback: then the outer dispatch runs them in
 * order). Real-time mode: only the total is accounted.
 */
void nb_sim_charge(struct nb_sim *sim, uint64_t ns);
/** Total ns charged so far. */
uint64_t nb_sim_charged(const struct nb_sim *sim);

/** Virtual mode: move time forward to @p t (never backwards) and run due timers. */
void nb_sim_advance_to(struct nb_sim *sim, uint64_t t);
/** Run every timer due at or before now, in order. @return how many ran. */
unsigned nb_sim_run_due(struct nb_sim *sim);
/**
 * Run the timers due at or before min(now, @p limit), in order. A real-time loop that fell
 * behind catches up one event time at a time with it, doing its own work in between, so
 * events that were spread out in time are not handled as one burst. @return how many ran.
 */
unsigned nb_sim_run_until(struct nb_sim *sim, uint64_t limit);
/** Time of the earliest armed timer, or NB_DEADLINE_NONE. */
uint64_t nb_sim_next_event(const struct nb_sim *sim);

void nb_sim_timer_init(struct nb_sim_timer *t, nb_sim_timer_fn fn, void *ctx);
/** Arm (or re-arm) @p t at absolute time @p when. A time in the past fires at the next run. */
int nb_sim_timer_arm(struct nb_sim *sim, struct nb_sim_timer *t, uint64_t when);
/** Arm @p t @p delay ns from now. */
int nb_sim_timer_arm_in(struct nb_sim *sim, struct nb_sim_timer *t, uint64_t delay);
/** Disarm; harmless on a disarmed timer. */
void nb_sim_timer_cancel(struct nb_sim *sim, struct nb_sim_timer *t);
static inline bool nb_sim_timer_armed(const struct nb_sim_timer *t)
{
	return t->heap_idx != SIZE_MAX;
}

/**
 * Seed a random stream for component @p name from the sim's seed. Streams of different names
 * are independent, so adding a component does not change the numbers another one draws.
 */
void nb_sim_rng(const struct nb_sim *sim, const char *name, struct nb_rng *rng);
void nb_rng_seed(struct nb_rng *rng, uint64_t seed);
uint64_t nb_rng_next(struct nb_rng *rng);
/** Uniform in [0, 1). */
double nb_rng_unit(struct nb_rng *rng);
/** Uniform in [0, n) without modulo bias; n > 0. */
uint64_t nb_rng_below(struct nb_rng *rng, uint64_t n);

#endif /* NB_SIM_H */
