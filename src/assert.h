/* SPDX-License-Identifier: MIT */
/**
 * @file assert.h
 * @brief The scenario's `assert:` list (docs/scenarios.md, "Assertions"): schema, checks
 *        at load time, and evaluation during and after a run.
 *
 * Four kinds of entry:
 *   {counter: device.drops.rx_fcs, eq|min|max: N}   a number of the JSON report
 *   {frames: host.rx, filter: "icmp", eq|min|max: N} frames at a point matching a BPF filter
 *   {latency: {from: P, to: Q}, max: 2ms, percentile: 99}  P -> Q, frames matched by content
 *   {link: up|down, at: 3s}                          the device's link at a moment
 *
 * Loading (nb_assert_parse, the NB_FIELD_CUSTOM parser of the top-level `assert` key) checks
 * every entry, compiles filters (libpcap; an invalid expression is reported at the filter's
 * position with libpcap's message) and rejects counter names that cannot exist in any report
 * (device drop reasons are known at load time). The other counter names are resolved in the
 * final report; an unknown one fails with the list of known names.
 */
#ifndef NB_PROG_ASSERT_H
#define NB_PROG_ASSERT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "src/conf.h"

#define NB_ASSERT_MAX 64u

enum nb_assert_kind { NB_ASSERT_COUNTER = 0, NB_ASSERT_FRAMES, NB_ASSERT_LATENCY, NB_ASSERT_LINK };

struct nb_bpf;

struct nb_assert_cfg {
	uint32_t kind;          /**< enum nb_assert_kind */
	const char *counter;    /**< COUNTER: dotted name */
	const char *point;      /**< FRAMES: point name */
	const char *filter;     /**< FRAMES: BPF expression; NULL = every frame */
	struct nb_bpf *bpf;     /**< FRAMES: compiled filter (owned) */
	bool has_eq, has_min, has_max;
	uint64_t eq, min, max;  /**< COUNTER, FRAMES; LATENCY: max (ns) */
	const char *from, *to;  /**< LATENCY: point names */
	uint32_t percentile;    /**< LATENCY: 1..100; 0 = the largest latency */
	uint32_t link;          /**< LINK: enum nb_link_action */
	uint64_t at;            /**< LINK: ns from the start */
	size_t line;            /**< of the entry, for messages */
	yaml_node_t *node;
};

/** The outcome of one assertion after a run. */
struct nb_assert_result {
	bool ok;
	char what[160];     /**< the assertion in words: "frames host.rx \"icmp\" min 1" */
	char measured[256]; /**< the measured value, or why nothing could be measured */
};

/** Everything about the list, stored in the scenario. */
struct nb_assert_list {
	struct nb_assert_cfg items[NB_ASSERT_MAX];
	unsigned n;
};

/** NB_FIELD_CUSTOM parser for the top-level `assert` key: @p base is the struct
 *  nb_assert_list. */
int nb_assert_parse(struct nb_conf *c, yaml_node_t *node, void *base, const struct nb_field *f);
/** Checks against the rest of the scenario: a `link ... at` past @p duration (ns, when
 *  @p has_duration) is an error at its 'at'. */
int nb_assert_check(struct nb_conf *c, const struct nb_assert_list *l, bool has_duration,
		    uint64_t duration);
/** Free compiled filters; accepts an empty or partly parsed list. */
void nb_assert_list_free(struct nb_assert_list *l);

/* ---- BPF filters (assert_bpf.c: the one file that uses libpcap's compiler) ------------- */

/** Compile @p expr for Ethernet frames. NULL on error with libpcap's message in @p err. */
struct nb_bpf *nb_bpf_compile(const char *expr, char *err, size_t len);
/** True when @p frame (no FCS) matches. */
bool nb_bpf_match(const struct nb_bpf *b, const uint8_t *frame, size_t len);
void nb_bpf_free(struct nb_bpf *b);

/* ---- during and after a run (assert_run.c) ---------------------------------------------- */

struct nb_run;
struct nb_assert_run;

/** Register the observers and timers the assertions need on @p r (before the loop runs).
 *  @return the state (NULL when the scenario has no assertions or out of memory: then
 *  @p err says so when non-empty). */
struct nb_assert_run *nb_assert_start(struct nb_run *r, char *err, size_t len);
/**
 * Evaluate every assertion (after the loop ended, before teardown). @p report is the final
 * JSON report's text (counters are read from it). Results go to @p out (n entries, in file
 * order). @return number of failed assertions.
 */
int nb_assert_finish(struct nb_assert_run *a, const char *report, struct nb_assert_result *out);
void nb_assert_free(struct nb_assert_run *a);

/**
 * Look up a dotted name ("device.drops.rx_fcs") in a JSON text written by src/json.c.
 * Numbers and booleans (1/0) count. @retval 0 found. @retval -ENOENT not there.
 */
int nb_report_lookup(const char *json, const char *name, uint64_t *out);
/** Every numeric/boolean dotted name of @p json, comma separated, into @p buf. */
void nb_report_names(const char *json, char *buf, size_t len);

/* ---- content matching between two points (latency assertions, the plot) ----------------- */

struct nb_match;

/** Frames seen at the `from` point wait (by a hash of their bytes, padded to 60 as the wire
 *  carries them) for the same bytes at the `to` point. */
struct nb_match *nb_match_new(void);
void nb_match_free(struct nb_match *m);
void nb_match_from(struct nb_match *m, uint64_t t_ns, const uint8_t *frame, size_t len);
/** @return true and the latency in @p lat_ns when a waiting frame had the same bytes. */
bool nb_match_to(struct nb_match *m, uint64_t t_ns, const uint8_t *frame, size_t len,
		 uint64_t *lat_ns);

#endif /* NB_PROG_ASSERT_H */
