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
	/** SIGINT/SIGTERM before the end of a run that has one (128 + SIGINT, as a
	 *  shell reports it); an open-ended run stopped that way ends with NB_EXIT_OK */
	NB_EXIT_INTERRUPTED = 130,
};

struct nb_run_opts {
	const char *control_path; /**< NULL: no control socket */
	bool json;                /**< final report as JSON on stdout */
	bool quiet;               /**< no report at all */
	enum nb_log_level level;
	/* Reports (src/report_out.c; docs/scenarios.md, "Reports"). NULL: not written. */
	const char *report_path; /**< --report: JSON report with every check */
	const char *junit_path;  /**< --junit: one testcase per expect/assertion */
	const char *plot_path;   /**< --plot: SVG of throughput and latency over sim time */
	bool reproducible;       /**< leave the wall-clock section out of JSON output */
	bool status_line;        /**< live progress line on stderr (a TTY, not quiet/json) */
};

/** One check of a run's outcome (expectation, assertion, failure condition). */
struct nb_check {
	bool ok;
	size_t line;      /**< scenario line of an assertion, 0 for other checks */
	char name[200];   /**< "drops", "quickstart.yml:30: frames host.rx min 1" */
	char detail[320]; /**< measured value, or what went wrong */
};

struct nb_assert_run;
struct nb_report_state;

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
	struct nb_impair *impair; /**< src/impair_run.h */
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
	struct nb_capture *capture;    /**< src/capture.h: bus monitors, capture files */
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
	struct nb_check *checks;   /**< report.c: every check, in order */
	unsigned n_checks, cap_checks, checks_lost;
	struct nb_report_state *reports; /**< report_out.c: assertions, plot, status line */
	char start_error[640];     /**< why the run could not be built (for the reports) */
};

/** Build, run, report. @return an enum nb_exit value. */
int nb_run_scenario(const struct nb_scenario *scn, const struct nb_run_opts *opts);

/* report.c */
/** The whole state as one JSON object (control "status" and the --json report). */
void nb_run_status_json(struct nb_run *r, FILE *f, bool final);
/** Human-readable summary. */
void nb_run_summary(struct nb_run *r, FILE *f);
/** Evaluate expectations and failure conditions into r->checks. @return number of
 *  failures. */
int nb_run_check(struct nb_run *r);
/** Record a check (@p line: the scenario line it comes from, or 0). */
void nb_run_add_check(struct nb_run *r, bool ok, const char *name, const char *detail,
		      size_t line);
/** Print the recorded checks (only the failed ones with @p failures_only) to @p f. */
void nb_run_print_checks(struct nb_run *r, FILE *f, bool failures_only);

/* report_out.c: assertions, reports, plot and status line around a run. */
/** Before the loop: observers and timers of assertions, plot and status line.
 *  @return 0 or -1 (logged). */
int nb_report_start(struct nb_run *r);
/** After the loop, before teardown: evaluate every check, print the report and the checks,
 *  write the report files. @return number of failures. */
int nb_report_finish(struct nb_run *r);
void nb_report_free(struct nb_run *r);
/** The run could not be built: write the report files requested, with one failed "run"
 *  check saying why (r->start_error). */
void nb_report_not_started(struct nb_run *r);
/** The recorded checks as a "checks" array member of @p j. */
void nb_report_checks_json(struct nb_run *r, struct nb_json *j);

#endif /* NB_PROG_RUN_H */
