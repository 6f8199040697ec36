/* SPDX-License-Identifier: MIT */
/**
 * @file report_out.h
 * @brief Internal pieces of the reports (src/report_*.c): JUnit XML, the SVG plot and the
 *        live status line. The run-facing calls are in src/run.h (nb_report_*).
 */
#ifndef NB_PROG_REPORT_OUT_H
#define NB_PROG_REPORT_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct nb_run;
struct nb_plot;
struct nb_status;

/** One testcase per check; the scenario is the testsuite. @return 0 or -errno. */
int nb_report_junit_write(struct nb_run *r, const char *path);

/** Samples throughput at the four points and latency both ways in sim-time buckets. */
struct nb_plot *nb_plot_start(struct nb_run *r);
/** Write the SVG. @return 0 or -errno. */
int nb_plot_write(struct nb_plot *p, const char *path);
void nb_plot_free(struct nb_plot *p);

/** The live status line on stderr (the caller decides it is wanted: a TTY). */
struct nb_status *nb_status_start(struct nb_run *r);
/** Erase the line (before the final report). */
void nb_status_stop(struct nb_status *s);
void nb_status_free(struct nb_status *s);

#endif /* NB_PROG_REPORT_OUT_H */
