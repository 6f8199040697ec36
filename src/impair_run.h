/* SPDX-License-Identifier: MIT */
/**
 * @file impair_run.h
 * @brief Link impairments in a run: the stage on the run's wire, timeline changes, the
 *        report (JSON `wire.impair`, summary line) and the checks of `expect:` that count
 *        what the impairments did.
 */
#ifndef NB_PROG_IMPAIR_RUN_H
#define NB_PROG_IMPAIR_RUN_H

#include <stdio.h>

#include "src/impair_conf.h"
#include "src/json.h"

struct nb_run;

/** Install the stage on r->wire with the scenario's `wire: impair:` (r->impair).
 *  @retval 0 or negative errno. */
int nb_impair_run_setup(struct nb_run *r);
/** Replace the settings of the directions @p ic gives (timeline); logs what changed. */
void nb_impair_run_apply(struct nb_run *r, const struct nb_impair_cfg *ic, const char *why);
/**
 * Control socket command @p text, "impair MAPPING": the same mapping as a timeline entry,
 * in YAML flow style (`impair {to_device: {loss: 5%}}`). Answers "ok; <direction>:
 * <settings>" or "error: impair:LINE:COLUMN: what was expected" (column in @p text) on
 * @p out; nothing changes on an error.
 */
void nb_impair_run_command(struct nb_run *r, const char *text, FILE *out);
/** "impair": {"to_far": {...}, "to_device": {...}} inside the wire object. */
void nb_impair_run_json(struct nb_run *r, struct nb_json *j);
/** One summary line when something was configured or counted. */
void nb_impair_run_summary(struct nb_run *r, FILE *f);
/** expect: losses_accounted / fcs_matches_corrupted, recorded with nb_run_add_check().
 *  @return failures. */
int nb_impair_run_check(struct nb_run *r);

#endif /* NB_PROG_IMPAIR_RUN_H */
