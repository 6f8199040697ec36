/* SPDX-License-Identifier: MIT */
/**
 * @file run.h
 * @brief One run of a scenario: builds sim, wire, device, stack wrapper, ports and peers,
 *        drives them with the run loop, then reports and checks the outcome.
 */
#ifndef NB_PROG_RUN_H
#define NB_PROG_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "drivers/stack/stack.h"
#include "sim/core/sim.h"
#include "sim/medium/peer_mac.h"
#include "sim/medium/wire.h"
#include "src/devices.h"
#include "src/endpoint.h"
#include "src/log.h"
#include "src/loop.h"
#include "src/observe.h"
#include "src/scenario.h"

/** Exit codes of the program. */
enum nb_exit {
	NB_EXIT_OK = 0,     /**< the run completed and every check passed */
	NB_EXIT_FAILED = 1, /**< runtime error, failed check, model violation */
	NB_EXIT_USAGE = 2,  /**< bad command line or scenario file */
};

struct nb_run_opts {
	const char *control_path; /**< NULL: no control socket */
	bool json;                /**< final report as JSON on stdout */
	bool quiet;               /**< no report at all */
	enum nb_log_level level;
};

struct nb_timeline_timer {
	struct nb_sim_timer timer;
	struct nb_run *run;
	const struct nb_event_cfg *ev;
};

struct nb_run {
	const struct nb_scenario *scn;
	struct nb_run_opts opts;
	struct nb_logger logger;
	struct nb_sim *sim;
	struct nb_loop *loop;
	struct nb_wire *wire;
	struct nb_device *dev;
	struct nb_netdev *nd;
	struct nb_endpoint *host;
	struct nb_stack *stack;
	struct nb_endpoint *far;
	struct nb_peer_mac *peer;
	struct nb_control *control;
	int sigfd;
	struct nb_watch sig_watch;
	struct nb_agent dev_agent, far_agent, end_agent;
	struct nb_observer *observers; /**< src/observe.h */
	struct nb_timeline_timer *timers;
	unsigned events_fired;
	uint64_t end_at;      /**< NB_DEADLINE_NONE: open-ended */
	uint64_t settle_at;   /**< sources done: stop at this time */
	uint64_t next_poll;   /**< devices without an IRQ line */
	int poll_errors;
	bool interrupted;     /**< SIGINT/SIGTERM */
	bool stopped_by_user; /**< control socket "stop" */
	bool finite;          /**< the run has a defined end */
	bool timed_out;       /**< no duration, and the sources did not finish by the timeout */
	uint64_t wall_start_ns, wall_end_ns;
	int loop_ret;
};

/** Build, run, report. @return an enum nb_exit value. */
int nb_run_scenario(const struct nb_scenario *scn, const struct nb_run_opts *opts);

/* report.c */
/** The whole state as one JSON object (control "status" and the --json report). */
void nb_run_status_json(struct nb_run *r, FILE *f, bool final);
/** Human-readable summary. */
void nb_run_summary(struct nb_run *r, FILE *f);
/** Evaluate expectations and failure conditions; print each check (only the failed ones
 *  with @p failures_only) to @p f. @return number of failures. */
int nb_run_check(struct nb_run *r, FILE *f, bool failures_only);

#endif /* NB_PROG_RUN_H */
