/* SPDX-License-Identifier: MIT */
/**
 * @file clock.h
 * @brief The one time source drivers see. Injected; drivers never sleep or read ambient time.
 *
 * In simulation this is the virtual clock (sim/core/sim.h), on hardware the host's monotonic
 * clock or a microcontroller timer. Drivers wait by recording a deadline and checking it in
 * their next poll; they tell the run loop when that is through nb_netdev_ops.next_deadline.
 */
#ifndef NB_BUS_CLOCK_H
#define NB_BUS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define NB_NS_PER_US 1000ull
#define NB_NS_PER_MS 1000000ull
#define NB_NS_PER_S 1000000000ull
#define NB_DEADLINE_NONE UINT64_MAX

struct nb_clock_ops {
	/** Monotonic time in ns. Any context; never fails. */
	uint64_t (*now_ns)(void *ctx);
};

struct nb_clock {
	const struct nb_clock_ops *ops;
	void *ctx;
};

static inline uint64_t nb_clock_now(const struct nb_clock *clk)
{
	return clk->ops->now_ns(clk->ctx);
}

/** Absolute deadline @p delay_ns from now. */
static inline uint64_t nb_clock_deadline(const struct nb_clock *clk, uint64_t delay_ns)
{
	return nb_clock_now(clk) + delay_ns;
}

/** True once @p deadline has been reached. NB_DEADLINE_NONE never expires. */
static inline bool nb_clock_expired(const struct nb_clock *clk, uint64_t deadline)
{
	return deadline != NB_DEADLINE_NONE && nb_clock_now(clk) >= deadline;
}

#endif /* NB_BUS_CLOCK_H */
