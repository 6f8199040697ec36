/* SPDX-License-Identifier: MIT */
/**
 * @file impair_conf.h
 * @brief Schema of link impairments: `wire: impair:` and the timeline action `impair:`
 *        (docs/scenarios.md, "Impairments").
 *
 * An impair mapping gives settings for `both` directions, `to_far` (device → far peer) and
 * `to_device` (far peer → device); keys under to_far / to_device replace the same keys from
 * both. Settings written directly under impair (no direction) mean both. Per direction:
 *   loss: 0.02 | "2%" | {rate: 0.02, burst: 4}   (burst: mean burst length, Gilbert–Elliott)
 *   delay: 10ms, jitter: 2ms                     (uniform in delay ± jitter, order kept)
 *   reorder: 0.25 | {rate: 0.25, gap: 5}         (netem semantics; needs a delay)
 *   rate: 10mbit | {speed: 10mbit, burst: 3000, queue: 16}  (token bucket; burst in bytes)
 *   corrupt: 0.001 | {rate: 0.001, bits: 3}      (1..bits random bits, FCS included)
 *   duplicate: 0.01
 *   mtu: 1500                                    (frames over mtu + 14 bytes dropped)
 */
#ifndef NB_PROG_IMPAIR_CONF_H
#define NB_PROG_IMPAIR_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/medium/impair.h"
#include "src/conf.h"

/** Parsed `impair:` mapping. A direction not given keeps its settings (timeline). */
struct nb_impair_cfg {
	struct nb_impair_dir_cfg dir[2]; /**< enum nb_impair_dir */
	bool given[2];                   /**< the mapping set this direction */
	yaml_node_t *node;               /**< for messages */
};

/** Field table of one direction's settings (loss, delay, jitter, reorder, rate, ...);
 *  the base is a struct nb_impair_dir_cfg. */
extern const struct nb_field nb_impair_fields[];

/**
 * NB_FIELD_CUSTOM parser of an impair mapping; @p f->offset locates a struct nb_impair_cfg
 * from @p base. Starts from no impairment, applies both (or the direction-less keys), then
 * to_far / to_device, and checks each direction given (nb_impair_cfg_problem()).
 */
int nb_impair_conf_parse(struct nb_conf *c, yaml_node_t *node, void *base,
			 const struct nb_field *f);

/**
 * Cross-section rule: frames waiting for a rate limit occupy the wire's queue, so the rate
 * limit's queue must be shorter than @p wire_queue or the sender would be held back before
 * the limit could ever drop. @retval 0 or -EINVAL (error at the rate setting).
 */
int nb_impair_conf_check_queue(struct nb_conf *c, const struct nb_impair_cfg *ic,
			       uint32_t wire_queue);

#endif /* NB_PROG_IMPAIR_CONF_H */
