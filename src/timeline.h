/* SPDX-License-Identifier: MIT */
/**
 * @file timeline.h
 * @brief Timeline actions besides `link:` (docs/scenarios.md, "Timeline"): `fault:` through
 *        the device's fault op, `traffic:` holding back or releasing a side's input.
 *
 * Context: called from the timeline's simulation timers (run loop). Events at the same time
 * fire in file order (timers of equal time fire in arming order).
 */
#ifndef NB_PROG_TIMELINE_H
#define NB_PROG_TIMELINE_H

#include "src/scenario.h"

struct nb_run;

/** Carry out @p ev's fault or traffic action (no-op for other actions). A fault the device
 *  refuses is logged and fails the run (a "timeline" check). */
void nb_timeline_fire(struct nb_run *r, const struct nb_event_cfg *ev);

#endif /* NB_PROG_TIMELINE_H */
