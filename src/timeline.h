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

struct nb_conf;
struct nb_device_type;

/**
 * Load-time check of @p ev's `fault:` name against @p type->fault_names (the part before a
 * ':' count suffix). No-op for other actions and for types without a names list.
 * @retval 0 known. @retval -EINVAL reported with nb_conf_error() at the name, listing the
 * known names.
 */
int nb_timeline_check_fault(struct nb_conf *c, const struct nb_device_type *type,
			    const struct nb_event_cfg *ev);

/** Carry out @p ev's fault or traffic action (no-op for other actions). A fault the device
 *  refuses is logged and fails the run (a "timeline" check). */
void nb_timeline_fire(struct nb_run *r, const struct nb_event_cfg *ev);

#endif /* NB_PROG_TIMELINE_H */
