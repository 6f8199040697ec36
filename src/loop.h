/* SPDX-License-Identifier: MIT */
/**
 * @file loop.h
 * @brief The run loop: epoll over file descriptors, an eventfd for device wake-ups, a timerfd
 *        for the next deadline, and the simulation clock.
 *
 * Participants are agents: each has work() (do everything possible now, say whether anything
 * moved), deadline() (the clock time at which it must work again without an fd event) and
 * arm() (before the loop sleeps: choose which fd events to wait for). The loop repeats work
 * passes until nothing moves, then waits:
 *  - NB_SIM_VIRTUAL: file descriptors are checked without blocking, then simulated time jumps
 *    to the earliest of the next simulation event and the agents' deadlines.
 *  - NB_SIM_REALTIME: the timerfd is armed for that instant and the loop blocks in
 *    epoll_wait() until it, an fd event or a device wake-up comes. An idle run sleeps.
 *
 * nb_loop_wake() is the one call safe from any context (a device's interrupt path): it
 * writes the eventfd. Everything else runs in the loop's thread.
 */
#ifndef NB_PROG_LOOP_H
#define NB_PROG_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/core/sim.h"

struct nb_loop;

/** fd event callback (EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP bits). */
typedef void (*nb_loop_fd_fn)(void *ctx, uint32_t events);

/** An fd the loop watches. Embed it; initialise with nb_loop_watch_add(). */
struct nb_watch {
	struct nb_loop *loop;
	int fd;
	uint32_t events; /**< currently registered */
	nb_loop_fd_fn fn;
	void *ctx;
};

struct nb_agent_ops {
	/** Do all work possible now. @return > 0 something moved, 0 idle, < 0 fatal (-errno). */
	int (*work)(void *ctx);
	/** Clock time (ns) at which work() must run again without an fd event;
	 *  NB_DEADLINE_NONE when only an event can give it work. */
	uint64_t (*deadline)(void *ctx);
	/** Optional: set fd interests before the loop waits. */
	void (*arm)(void *ctx);
};

struct nb_agent {
	const struct nb_agent_ops *ops;
	void *ctx;
	const char *name;        /**< for error messages */
	struct nb_agent *next;   /**< owned by the loop */
};

struct nb_loop_stats {
	uint64_t iterations;  /**< wait cycles */
	uint64_t waits;       /**< blocking epoll_wait() calls (real time) */
	uint64_t wakeups;     /**< eventfd wake-ups consumed */
	uint64_t timer_fires; /**< timerfd expirations */
	uint64_t time_jumps;  /**< virtual-time advances */
	uint64_t late_events; /**< real time: due simulation events found more than 100 us late */
	uint64_t max_lag_ns;  /**< real time: the latest a due event was run */
};

/** @return a loop over @p sim (borrowed), or NULL with errno set. */
struct nb_loop *nb_loop_new(struct nb_sim *sim);
/** Closes the loop's own fds; watches must have been removed. Accepts NULL. */
void nb_loop_free(struct nb_loop *loop);

/** Watch @p fd (not owned) with @p events (0 allowed). @return 0 or -errno. */
int nb_loop_watch_add(struct nb_loop *loop, struct nb_watch *w, int fd, uint32_t events,
		      nb_loop_fd_fn fn, void *ctx);
/** Change the events; no system call when unchanged. @return 0 or -errno. */
int nb_loop_watch_set(struct nb_watch *w, uint32_t events);
/** Stop watching (harmless on a watch never added). */
void nb_loop_watch_remove(struct nb_watch *w);

/** Register an agent (not owned); agents run in registration order. */
void nb_loop_add_agent(struct nb_loop *loop, struct nb_agent *a);

/** Any context, never blocks: make the loop run a work pass soon. */
void nb_loop_wake(struct nb_loop *loop);
/** Make nb_loop_run() return after the current pass. */
void nb_loop_stop(struct nb_loop *loop);
bool nb_loop_stopped(const struct nb_loop *loop);

/**
 * Run until nb_loop_stop() or an agent fails.
 * @retval 0 stopped. @retval negative errno from an agent or the system (message logged by
 * the caller: nb_loop_failed_agent() names the agent, NULL for a system call).
 */
int nb_loop_run(struct nb_loop *loop);
const char *nb_loop_failed_agent(const struct nb_loop *loop);
const struct nb_loop_stats *nb_loop_stats(const struct nb_loop *loop);
struct nb_sim *nb_loop_sim(struct nb_loop *loop);

#endif /* NB_PROG_LOOP_H */
