/* SPDX-License-Identifier: MIT */
#include "src/scenario.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "src/timeline.h"

static const struct nb_conf_name time_names[] = {
	{ "auto", NB_TIME_AUTO },
	{ "virtual", NB_TIME_VIRTUAL },
	{ "realtime", NB_TIME_REALTIME },
	{ NULL, 0 },
};

static const struct nb_conf_name link_names[] = {
	{ "down", NB_LINK_DOWN },
	{ "up", NB_LINK_UP },
	{ NULL, 0 },
};

static const struct nb_conf_name cable_names[] = {
	{ "unplugged", NB_LINK_DOWN },
	{ "plugged", NB_LINK_UP },
	{ NULL, 0 },
};

static const struct nb_conf_name pace_names[] = {
	{ "line-rate", NB_PACE_LINE_RATE },
	{ "unpaced", NB_PACE_UNPACED },
	{ NULL, 0 },
};

/* ---- wire ------------------------------------------------------------------------------ */

static int check_partner(struct nb_conf *c, const yaml_node_t *node, void *obj)
{
	const struct nb_partner_cfg *p = obj;

	if (!p->autoneg && (p->ability & (p->ability - 1)))
		return nb_conf_error(c, node,
				     "a partner without autoneg has exactly one mode: expected "
				     "one entry in 'ability'");
	if (!p->autoneg && p->pause)
		return nb_conf_error(c, node, "pause is negotiated: it needs autoneg: true");
	return 0;
}

static const struct nb_field partner_fields[] = {
	{ .key = "autoneg", .kind = NB_FIELD_BOOL, .offset = offsetof(struct nb_partner_cfg, autoneg) },
	{ .key = "ability", .kind = NB_FIELD_FLAGS,
	  .offset = offsetof(struct nb_partner_cfg, ability), .names = nb_speed_names },
	{ .key = "pause", .kind = NB_FIELD_BOOL, .offset = offsetof(struct nb_partner_cfg, pause) },
	{ 0 },
};

static const struct nb_field wire_fields[] = {
	{ .key = "partner", .kind = NB_FIELD_MAP, .offset = offsetof(struct nb_wire_scn_cfg, partner),
	  .fields = partner_fields, .check = check_partner },
	{ .key = "far", .kind = NB_FIELD_ONEOF, .offset = offsetof(struct nb_wire_scn_cfg, far),
	  .choices = nb_endpoint_choices },
	{ .key = "pace", .kind = NB_FIELD_ENUM, .offset = offsetof(struct nb_wire_scn_cfg, pace),
	  .names = pace_names },
	{ .key = "delay", .kind = NB_FIELD_DURATION,
	  .offset = offsetof(struct nb_wire_scn_cfg, delay_ns) },
	{ .key = "queue", .kind = NB_FIELD_UINT, .offset = offsetof(struct nb_wire_scn_cfg, queue),
	  .size = sizeof(uint32_t), .min = 1, .max = 4096 },
	{ .key = "cable", .kind = NB_FIELD_ENUM, .offset = offsetof(struct nb_wire_scn_cfg, cable),
	  .names = cable_names },
	{ .key = "impair", .kind = NB_FIELD_CUSTOM, .offset = offsetof(struct nb_wire_scn_cfg, impair),
	  .parse = nb_impair_conf_parse },
	{ 0 },
};

/* ---- timeline and expectations ------------------------------------------------------------ */

static int check_event(struct nb_conf *c, const yaml_node_t *node, void *obj)
{
	struct nb_event_cfg *e = obj;
	unsigned actions = e->has_link + e->has_fault + e->has_traffic;

	e->node = (yaml_node_t *)node;
	actions += e->has_impair;
	if (actions != 1)
		return nb_conf_error(c, node, "expected exactly one action (link, fault, traffic, impair) "
				     "in a timeline entry besides 'at'");
	if (e->has_count && !e->has_fault)
		return nb_conf_error(c, nb_conf_find(c, (yaml_node_t *)node, "count"),
				     "'count' belongs to a 'fault' entry");
	return 0;
}

static const struct nb_conf_name side_names[] = {
	{ "host", NB_SIDE_HOST }, { "far", NB_SIDE_FAR }, { NULL, 0 } };
static const struct nb_conf_name traffic_names[] = {
	{ "stop", NB_TRAFFIC_STOP }, { "start", NB_TRAFFIC_START }, { NULL, 0 } };

static const struct nb_field traffic_fields[] = {
	{ .key = "side", .kind = NB_FIELD_ENUM, .offset = offsetof(struct nb_traffic_cfg, side),
	  .names = side_names, .required = true },
	{ .key = "action", .kind = NB_FIELD_ENUM, .offset = offsetof(struct nb_traffic_cfg, action),
	  .names = traffic_names, .required = true },
	{ 0 },
};

static const struct nb_field event_fields[] = {
	{ .key = "at", .kind = NB_FIELD_DURATION, .offset = offsetof(struct nb_event_cfg, at),
	  .required = true },
	{ .key = "link", .kind = NB_FIELD_ENUM, .offset = offsetof(struct nb_event_cfg, link),
	  .names = link_names, .has_present = true,
	  .present_offset = offsetof(struct nb_event_cfg, has_link) },
	{ .key = "impair", .kind = NB_FIELD_CUSTOM, .offset = offsetof(struct nb_event_cfg, impair),
	  .parse = nb_impair_conf_parse, .has_present = true,
	  .present_offset = offsetof(struct nb_event_cfg, has_impair) },
	{ .key = "fault", .kind = NB_FIELD_STRING, .offset = offsetof(struct nb_event_cfg, fault),
	  .max = 63, .has_present = true, .present_offset = offsetof(struct nb_event_cfg, has_fault),
	  .what = "a fault name" },
	{ .key = "count", .kind = NB_FIELD_UINT, .offset = offsetof(struct nb_event_cfg, count),
	  .size = sizeof(uint32_t), .min = 1, .max = 1000000, .has_present = true,
	  .present_offset = offsetof(struct nb_event_cfg, has_count) },
	{ .key = "traffic", .kind = NB_FIELD_MAP, .offset = offsetof(struct nb_event_cfg, traffic),
	  .fields = traffic_fields, .has_present = true,
	  .present_offset = offsetof(struct nb_event_cfg, has_traffic) },
	{ 0 },
};

static const struct nb_field expect_fields[] = {
	{ .key = "all_delivered", .kind = NB_FIELD_BOOL,
	  .offset = offsetof(struct nb_expect_cfg, all_delivered) },
	{ .key = "drops", .kind = NB_FIELD_UINT, .offset = offsetof(struct nb_expect_cfg, drops),
	  .size = sizeof(uint64_t), .has_present = true,
	  .present_offset = offsetof(struct nb_expect_cfg, has_drops) },
	{ .key = "link", .kind = NB_FIELD_ENUM, .offset = offsetof(struct nb_expect_cfg, link),
	  .names = link_names, .has_present = true,
	  .present_offset = offsetof(struct nb_expect_cfg, has_link) },
	{ .key = "link_changes", .kind = NB_FIELD_UINT,
	  .offset = offsetof(struct nb_expect_cfg, link_changes), .size = sizeof(uint64_t),
	  .has_present = true, .present_offset = offsetof(struct nb_expect_cfg, has_link_changes) },
	{ .key = "losses_accounted", .kind = NB_FIELD_BOOL,
	  .offset = offsetof(struct nb_expect_cfg, losses_accounted) },
	{ .key = "fcs_matches_corrupted", .kind = NB_FIELD_BOOL,
	  .offset = offsetof(struct nb_expect_cfg, fcs_matches_corrupted) },
	{ 0 },
};

/* ---- device: the type decides which keys exist ----------------------------------------- */

static const struct nb_field device_common_fields[] = {
	{ .key = "type", .kind = NB_FIELD_ENUM, .offset = offsetof(struct nb_device_common, type),
	  .required = true, .names = nb_device_type_names, .what = "a device type" },
	{ .key = "mac", .kind = NB_FIELD_MAC, .offset = offsetof(struct nb_device_common, mac),
	  .min = 1 },
	{ .key = "name", .kind = NB_FIELD_STRING, .offset = offsetof(struct nb_device_common, name),
	  .max = 15, .what = "an interface name" },
	{ 0 },
};

static int parse_device(struct nb_conf *c, yaml_node_t *node, void *base,
			const struct nb_field *f)
{
	struct nb_scenario *s = base;
	yaml_node_t *type = nb_conf_find(c, node, "type");
	uint32_t idx;
	int ret;

	(void)f;
	if (node->type == YAML_MAPPING_NODE && !type)
		return nb_conf_error(c, node, "missing required key 'type' in device");
	if (type) {
		ret = nb_conf_enum(c, type, "type", nb_device_type_names, "a device type", &idx);
		if (ret < 0)
			return ret;
		s->dev_type = nb_device_types[idx];
		s->dev_cfg = calloc(1, s->dev_type->cfg_size ? s->dev_type->cfg_size : 1);
		if (!s->dev_cfg)
			return nb_conf_error(c, node, "out of memory");
		if (s->dev_type->defaults)
			s->dev_type->defaults(s->dev_cfg);
	}
	{
		struct nb_conf_part parts[] = {
			{ device_common_fields, &s->dev },
			{ s->dev_type ? s->dev_type->fields : NULL, s->dev_cfg },
			{ NULL, NULL },
		};

		return nb_conf_parse_map(c, node, "device", parts);
	}
}

/* ---- top level ------------------------------------------------------------------------ */

static const struct nb_field top_fields[] = {
	{ .key = "seed", .kind = NB_FIELD_UINT, .offset = offsetof(struct nb_scenario, seed),
	  .size = sizeof(uint64_t) },
	{ .key = "duration", .kind = NB_FIELD_DURATION,
	  .offset = offsetof(struct nb_scenario, duration), .has_present = true,
	  .present_offset = offsetof(struct nb_scenario, has_duration) },
	{ .key = "timeout", .kind = NB_FIELD_DURATION, .offset = offsetof(struct nb_scenario, timeout),
	  .min = 1 },
	{ .key = "time", .kind = NB_FIELD_ENUM, .offset = offsetof(struct nb_scenario, time),
	  .names = time_names },
	{ .key = "device", .kind = NB_FIELD_CUSTOM, .required = true, .parse = parse_device },
	{ .key = "host", .kind = NB_FIELD_ONEOF, .offset = offsetof(struct nb_scenario, host),
	  .required = true, .choices = nb_endpoint_choices },
	{ .key = "wire", .kind = NB_FIELD_MAP, .offset = offsetof(struct nb_scenario, wire),
	  .fields = wire_fields },
	{ .key = "timeline", .kind = NB_FIELD_LIST, .offset = offsetof(struct nb_scenario, timeline),
	  .size = sizeof(struct nb_event_cfg), .max = NB_SCENARIO_MAX_EVENTS,
	  .fields = event_fields, .count_offset = offsetof(struct nb_scenario, n_events),
	  .check = check_event },
	{ .key = "expect", .kind = NB_FIELD_MAP, .offset = offsetof(struct nb_scenario, expect),
	  .fields = expect_fields },
	{ .key = "capture", .kind = NB_FIELD_MAP, .offset = offsetof(struct nb_scenario, capture),
	  .fields = nb_capture_fields, .check = nb_capture_cfg_check },
	{ .key = "assert", .kind = NB_FIELD_CUSTOM, .offset = offsetof(struct nb_scenario, asserts),
	  .parse = nb_assert_parse },
	{ 0 },
};

static void defaults(struct nb_scenario *s)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

	memcpy(s->dev.mac, mac, sizeof(mac));
	s->timeout = 60 * NB_NS_PER_S;
	s->wire.partner.autoneg = true;
	s->wire.partner.ability = NB_NETDEV_CAP_100FD | NB_NETDEV_CAP_100HD | NB_NETDEV_CAP_10FD |
				  NB_NETDEV_CAP_10HD;
	s->wire.far.kind = NB_EP_NONE;
	s->wire.delay_ns = 500;
	s->wire.queue = 32;
	s->wire.cable = NB_LINK_UP;
}

bool nb_scenario_has_tap(const struct nb_scenario *s)
{
	return s->host.kind == NB_EP_TAP || s->wire.far.kind == NB_EP_TAP;
}

static yaml_node_t *path_node(struct nb_conf *c, const char *a, const char *b, const char *d)
{
	yaml_node_t *n = nb_conf_root(c), *m;

	if (a && (m = nb_conf_find(c, n, a)))
		n = m;
	if (b && (m = nb_conf_find(c, n, b)))
		n = m;
	if (d && (m = nb_conf_find(c, n, d)))
		n = m;
	return n;
}

/* Input files are looked up next to the scenario, so a scenario and its captures move
 * together; output files are written relative to the current directory. */
static int resolve_input(struct nb_scenario *s, const char **path)
{
	char dir[PATH_MAX], *copy, *joined;

	if (!*path || (*path)[0] == '/')
		return 0;
	if (s->n_owned == sizeof(s->owned) / sizeof(s->owned[0]))
		return -ENOSPC;
	copy = strdup(s->conf.path);
	if (!copy)
		return -ENOMEM;
	snprintf(dir, sizeof(dir), "%s", dirname(copy));
	free(copy);
	if (asprintf(&joined, "%s/%s", dir, *path) < 0)
		return -ENOMEM;
	s->owned[s->n_owned++] = joined;
	*path = joined;
	return 0;
}

static int check_pcap(struct nb_scenario *s, const struct nb_endpoint_cfg *ep, const char *a,
		      const char *b)
{
	struct nb_conf *c = &s->conf;

	if (ep->kind != NB_EP_PCAP)
		return 0;
	if (!ep->pcap.read && !ep->pcap.write)
		return nb_conf_error(c, path_node(c, a, b, "pcap"),
				     "expected 'read', 'write' or both in pcap");
	if (!ep->pcap.read && (ep->pcap.has_timing || ep->pcap.has_loop))
		return nb_conf_error(c, path_node(c, a, b, "pcap"),
				     "'timing' and 'loop' replay a file: expected 'read' in pcap");
	if (ep->pcap.has_loop && ep->pcap.loop == 0 && !s->has_duration)
		return nb_conf_error(c, nb_conf_find(c, path_node(c, a, b, "pcap"), "loop"),
				     "loop: 0 replays the file until the run ends: expected a "
				     "'duration'");
	return 0;
}

static int check_scenario(struct nb_scenario *s)
{
	struct nb_conf *c = &s->conf;
	bool tap = nb_scenario_has_tap(s);
	bool source = (s->host.kind == NB_EP_PCAP && s->host.pcap.read) ||
		      (s->wire.far.kind == NB_EP_PCAP && s->wire.far.pcap.read);
	int ret;

	if ((ret = check_pcap(s, &s->host, "host", NULL)) < 0 ||
	    (ret = check_pcap(s, &s->wire.far, "wire", "far")) < 0)
		return ret;
	if (tap && s->time == NB_TIME_VIRTUAL)
		return nb_conf_error(c, path_node(c, "time", NULL, NULL),
				     "expected realtime or auto: a TAP interface runs in real "
				     "time, so virtual time cannot be used with one");
	if (s->host.kind == NB_EP_TAP && s->wire.far.kind == NB_EP_TAP &&
	    !strcmp(s->host.tap.name, s->wire.far.tap.name) &&
	    !strcmp(s->host.tap.netns ? s->host.tap.netns : "",
		    s->wire.far.tap.netns ? s->wire.far.tap.netns : ""))
		return nb_conf_error(c, path_node(c, "wire", "far", "tap"),
				     "expected a different TAP name or namespace than the host's "
				     "'%s'", s->host.tap.name);
	if (!s->has_duration && !source && !tap)
		return nb_conf_error(c, nb_conf_root(c),
				     "nothing would end this run: expected a 'duration', a pcap "
				     "source (pcap: {read: ...}) or a TAP");
	if (s->capture.tap && !tap)
		return nb_conf_error(c, path_node(c, "capture", "tap", NULL),
				     "capture.tap needs a TAP endpoint (host or wire.far)");
	if (s->has_duration && s->duration == 0)
		return nb_conf_error(c, path_node(c, "duration", NULL, NULL),
				     "expected a duration above 0");
	if (s->expect.all_delivered && !source)
		return nb_conf_error(c, path_node(c, "expect", "all_delivered", NULL),
				     "all_delivered needs a pcap source (pcap: {read: ...}) on "
				     "the host or far side");
	if (s->expect.losses_accounted && !source)
		return nb_conf_error(c, path_node(c, "expect", "losses_accounted", NULL),
				     "losses_accounted needs a pcap source (pcap: {read: ...}) on "
				     "the host or far side");
	if ((ret = nb_impair_conf_check_queue(c, &s->wire.impair, s->wire.queue)) < 0)
		return ret;
	for (unsigned i = 0; i < s->n_events; i++) {
		if (s->timeline[i].has_impair &&
		    (ret = nb_impair_conf_check_queue(c, &s->timeline[i].impair, s->wire.queue)) < 0)
			return ret;
		if ((ret = nb_timeline_check_fault(c, s->dev_type, &s->timeline[i])) < 0)
			return ret;
	}
	/* A shorter duration on the command line simply ends the run before later events. */
	for (unsigned i = 0; i < s->n_events && !s->duration_from_cli; i++) {
		if (s->has_duration && s->timeline[i].at > s->duration)
			return nb_conf_error(c, nb_conf_find(c, s->timeline[i].node, "at"),
					     "expected 'at' within the run's duration");
	}
	if ((ret = nb_assert_check(c, &s->asserts, s->has_duration && !s->duration_from_cli,
				   s->duration)) < 0)
		return ret;
	if ((ret = resolve_input(s, &s->host.pcap.read)) < 0 ||
	    (ret = resolve_input(s, &s->wire.far.pcap.read)) < 0)
		return nb_conf_error(c, nb_conf_root(c), "resolving input paths: %s",
				     strerror(-ret));
	return 0;
}

int nb_scenario_load(struct nb_scenario *s, const char *path, const uint64_t *duration)
{
	struct nb_conf_part parts[] = { { top_fields, s }, { NULL, NULL } };
	int ret;

	memset(s, 0, sizeof(*s));
	defaults(s);
	ret = nb_conf_load(&s->conf, path);
	if (ret < 0)
		return ret;
	ret = nb_conf_parse_map(&s->conf, nb_conf_root(&s->conf), "the scenario", parts);
	if (ret < 0)
		return ret;
	if (duration) {
		s->duration = *duration;
		s->has_duration = true;
		s->duration_from_cli = true;
	}
	return check_scenario(s);
}

void nb_scenario_free(struct nb_scenario *s)
{
	if (!s)
		return;
	free(s->dev_cfg);
	s->dev_cfg = NULL;
	nb_assert_list_free(&s->asserts);
	for (unsigned i = 0; i < s->n_owned; i++)
		free(s->owned[i]);
	s->n_owned = 0;
	nb_conf_free(&s->conf);
}
