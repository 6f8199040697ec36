/* SPDX-License-Identifier: MIT */
/**
 * @file scenario.h
 * @brief A scenario file: what to build and run (README.md, "Scenario files").
 *
 * Loading checks the whole file against the schema (scenario.c, devices, endpoints) and the
 * rules that span sections, so a run never starts from a file with a mistake in it. Every
 * error is reported as "file:line:column: what was expected".
 */
#ifndef NB_PROG_SCENARIO_H
#define NB_PROG_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "src/assert.h"
#include "src/capture.h"
#include "src/conf.h"
#include "src/devices.h"
#include "src/endpoint.h"
#include "src/impair_conf.h"

#define NB_SCENARIO_MAX_EVENTS 256u

enum nb_time_choice { NB_TIME_AUTO = 0, NB_TIME_VIRTUAL, NB_TIME_REALTIME };
enum nb_link_action { NB_LINK_DOWN = 0, NB_LINK_UP = 1 };
enum nb_pace { NB_PACE_LINE_RATE = 0, NB_PACE_UNPACED };
enum nb_traffic_action { NB_TRAFFIC_STOP = 0, NB_TRAFFIC_START = 1 };

/** `traffic: {side: host|far, action: stop|start}` (side: enum nb_endpoint_side). */
struct nb_traffic_cfg {
	uint32_t side;
	uint32_t action;
};

struct nb_event_cfg {
	uint64_t at;       /**< ns from the start */
	bool has_link;
	uint32_t link;     /**< enum nb_link_action */
	bool has_impair;
	struct nb_impair_cfg impair; /**< `impair:` (src/impair_conf.h) */
	bool has_fault;
	const char *fault; /**< a name the device's fault op knows (src/timeline.c) */
	bool has_count;
	uint32_t count;    /**< repetitions of a counted fault; 0 = the fault's default */
	bool has_traffic;
	struct nb_traffic_cfg traffic;
	yaml_node_t *node; /**< for messages */
};

struct nb_expect_cfg {
	bool all_delivered; /**< every frame a pcap source sent arrived at the other side */
	bool has_drops;
	uint64_t drops;     /**< device drop counters, summed, must equal this */
	bool has_link;
	uint32_t link;      /**< link state at the end */
	bool has_link_changes;
	uint64_t link_changes; /**< link changes the device reported, exactly */
	bool losses_accounted;  /**< frames missing = frames the wire lost (src/impair_run.c) */
	bool fcs_matches_corrupted; /**< FCS drops = frames the wire corrupted */
};

struct nb_wire_scn_cfg {
	struct nb_partner_cfg partner;
	struct nb_endpoint_cfg far;
	uint32_t pace;     /**< enum nb_pace */
	uint64_t delay_ns; /**< propagation delay */
	uint32_t queue;    /**< frames per direction */
	uint32_t cable;    /**< initial: NB_LINK_UP = plugged */
	struct nb_impair_cfg impair; /**< src/impair_conf.h */
};

struct nb_scenario {
	struct nb_conf conf;
	uint64_t seed;
	uint64_t duration;
	bool has_duration;
	bool duration_from_cli; /**< duration replaced by --duration */
	uint64_t timeout;       /**< without duration: a finite run must end by then */
	uint32_t time; /**< enum nb_time_choice */
	struct nb_device_common dev;
	const struct nb_device_type *dev_type;
	void *dev_cfg; /**< the type's config struct (allocated) */
	struct nb_endpoint_cfg host;
	struct nb_wire_scn_cfg wire;
	struct nb_event_cfg timeline[NB_SCENARIO_MAX_EVENTS];
	unsigned n_events;
	struct nb_assert_list asserts; /**< `assert:` (src/assert.h) */
	struct nb_expect_cfg expect;
	struct nb_capture_cfg capture; /**< src/capture.h */
	char *owned[8]; /**< resolved paths */
	unsigned n_owned;
};

/**
 * Load and check @p path. A non-NULL @p duration (ns, > 0) replaces the file's duration
 * before the checks (the command line's --duration).
 * @retval 0 ok. @retval -EINVAL the file is wrong (s->conf.err holds "file:line:column: ...").
 * Other negative errno: unreadable (s->conf.err says so).
 */
int nb_scenario_load(struct nb_scenario *s, const char *path, const uint64_t *duration);
void nb_scenario_free(struct nb_scenario *s);
/** True when either side is a TAP (the run must follow real time). */
bool nb_scenario_has_tap(const struct nb_scenario *s);

#endif /* NB_PROG_SCENARIO_H */
