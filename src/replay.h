/* SPDX-License-Identifier: MIT */
/**
 * @file replay.h
 * @brief The schedule of a pcap replay: when each frame is due, and how late it went out.
 *
 * Timing modes (enum nb_replay_timing, scenario key `pcap: {timing: ...}`):
 *  - asap: no schedule; a frame goes whenever the path takes one (nb_replay_due() is 0).
 *  - recorded / {rate: N}: a pass's first frame is due when the source first may send (it
 *    has carrier); every later frame keeps its recorded distance to the first one, divided
 *    by N. Time stamps that go backwards count as no gap.
 *  - absolute: a frame's time stamp is its due time, read as time since the run's start
 *    (what a TAP recording holds, so its replay keeps the host and far sides aligned).
 * Passes after the first start where the previous one ended (its last frame's due time),
 * and keep the same spacing.
 *
 * Lag is the clock time a frame was taken minus its due time. A frame is late when its lag
 * is above NB_REPLAY_LATE_NS, the bound the run loop also uses for its late events.
 *
 * Pure arithmetic on the caller's clock values: no I/O, no allocation.
 */
#ifndef NB_PROG_REPLAY_H
#define NB_PROG_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "src/conf.h"
#include "src/json.h"

#define NB_REPLAY_LATE_NS 100000ull
/** Largest `rate:` (x 1000 in rate_milli); the smallest is 0.001. */
#define NB_REPLAY_MAX_RATE 1000000u

struct nb_replay {
	uint32_t timing;     /**< enum nb_replay_timing */
	uint32_t rate_milli; /**< 1000 = as recorded */
	unsigned pass;       /**< 0-based */
	bool anchored;       /**< this pass has its origin */
	uint64_t origin;     /**< clock time the pass's first frame is due */
	uint64_t ts_first;   /**< that frame's time stamp (ns) */
	uint64_t last_due;
	uint64_t frames;     /**< frames taken on a schedule */
	uint64_t late;       /**< ... of which more than NB_REPLAY_LATE_NS late */
	uint64_t lag_sum, lag_max; /**< ns */
};

/** Start a schedule; @p rate_milli 0 means 1000. */
void nb_replay_init(struct nb_replay *rp, uint32_t timing, uint32_t rate_milli);
/** True when frames have due times (timing is not asap). */
bool nb_replay_paced(const struct nb_replay *rp);
/** The next pass starts where this one ended. */
void nb_replay_next_pass(struct nb_replay *rp);
/**
 * Due time of the next frame of the pass, time-stamped @p ts_ns in the file; @p now is the
 * clock when it was read (anchors the first frame of a recorded pass). Due times never go
 * backwards. @return 0 for asap.
 */
uint64_t nb_replay_due(struct nb_replay *rp, uint64_t ts_ns, uint64_t now);
/** A frame due at @p due was taken at @p now: count its lag. */
void nb_replay_taken(struct nb_replay *rp, uint64_t due, uint64_t now);
/** "asap", "recorded", "absolute". */
const char *nb_replay_timing_name(uint32_t timing);
/** Schedule fields as JSON members of the current object. */
void nb_replay_status(const struct nb_replay *rp, struct nb_json *j);

/** NB_FIELD_CUSTOM parser of `timing:` into the struct nb_pcap_cfg at @p base:
 *  asap | recorded | absolute | {rate: N} (N in 0.001..1000000, up to 3 decimals). */
int nb_replay_parse_timing(struct nb_conf *c, yaml_node_t *node, void *base,
			   const struct nb_field *f);

#endif /* NB_PROG_REPLAY_H */
