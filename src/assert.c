/* SPDX-License-Identifier: MIT */
/* The `assert:` list: schema and load-time checks. */
#include "src/assert.h"

#include <errno.h>
#include <string.h>

#include "drivers/netdev/netdev.h"
#include "src/observe.h"
#include "src/scenario.h"

#define A(member) offsetof(struct nb_assert_cfg, member)
#define CMP_FIELDS                                                                          \
	{ .key = "eq", .kind = NB_FIELD_UINT, .offset = A(eq), .size = sizeof(uint64_t),    \
	  .has_present = true, .present_offset = A(has_eq) },                               \
	{ .key = "min", .kind = NB_FIELD_UINT, .offset = A(min), .size = sizeof(uint64_t),  \
	  .has_present = true, .present_offset = A(has_min) },                              \
	{ .key = "max", .kind = NB_FIELD_UINT, .offset = A(max), .size = sizeof(uint64_t),  \
	  .has_present = true, .present_offset = A(has_max) }

static const struct nb_field counter_fields[] = {
	{ .key = "counter", .kind = NB_FIELD_STRING, .offset = A(counter), .required = true,
	  .what = "a dotted counter name such as device.drops.rx_fcs" },
	CMP_FIELDS,
	{ 0 },
};

static const struct nb_field frames_fields[] = {
	{ .key = "frames", .kind = NB_FIELD_STRING, .offset = A(point), .required = true,
	  .what = "a point (host.tx, host.rx, far.tx, far.rx)" },
	{ .key = "filter", .kind = NB_FIELD_STRING, .offset = A(filter),
	  .what = "a BPF filter expression such as \"icmp\"" },
	CMP_FIELDS,
	{ 0 },
};

static const struct nb_field latency_points[] = {
	{ .key = "from", .kind = NB_FIELD_STRING, .offset = A(from), .required = true },
	{ .key = "to", .kind = NB_FIELD_STRING, .offset = A(to), .required = true },
	{ 0 },
};

static const struct nb_field latency_fields[] = {
	{ .key = "latency", .kind = NB_FIELD_MAP, .offset = 0, .fields = latency_points,
	  .required = true },
	{ .key = "max", .kind = NB_FIELD_DURATION, .offset = A(max), .required = true,
	  .has_present = true, .present_offset = A(has_max) },
	{ .key = "percentile", .kind = NB_FIELD_UINT, .offset = A(percentile),
	  .size = sizeof(uint32_t), .min = 1, .max = 100 },
	{ 0 },
};

static const struct nb_conf_name link_names[] = {
	{ "down", NB_LINK_DOWN }, { "up", NB_LINK_UP }, { NULL, 0 } };

static const struct nb_field link_fields[] = {
	{ .key = "link", .kind = NB_FIELD_ENUM, .offset = A(link), .required = true,
	  .names = link_names },
	{ .key = "at", .kind = NB_FIELD_DURATION, .offset = A(at), .required = true },
	{ 0 },
};

static int check_point(struct nb_conf *c, yaml_node_t *map, const char *key, const char *name)
{
	if (nb_point_parse(name) >= 0)
		return 0;
	return nb_conf_error(c, nb_conf_find(c, map, key),
			     "expected a point (one of: host.tx, host.rx, far.tx, far.rx) for "
			     "'%s', got '%s'", key, name);
}

/* Drop reasons are fixed by the device contract, so a misspelt one is caught before the
 * run; other names depend on the device type and are resolved in the final report. */
static int check_counter(struct nb_conf *c, yaml_node_t *map, const char *name)
{
	static const char prefix[] = "device.drops.";
	char known[512];
	size_t used = 0;

	if (strncmp(name, prefix, sizeof(prefix) - 1))
		return 0;
	for (int i = 0; i < NB_DROP__COUNT; i++) {
		const char *n = nb_drop_reason_name((enum nb_drop_reason)i);

		if (!strcmp(name + sizeof(prefix) - 1, n))
			return 0;
		used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s%s",
					 i ? ", " : "", prefix, n);
		if (used >= sizeof(known))
			break;
	}
	return nb_conf_error(c, nb_conf_find(c, map, "counter"),
			     "unknown counter '%s' (expected one of: %s)", name, known);
}

static int check_cmp(struct nb_conf *c, yaml_node_t *map, const struct nb_assert_cfg *a)
{
	if (!a->has_eq && !a->has_min && !a->has_max)
		return nb_conf_error(c, map, "expected 'eq', 'min' or 'max' in the assertion");
	if (a->has_eq && (a->has_min || a->has_max))
		return nb_conf_error(c, nb_conf_find(c, map, "eq"),
				     "expected either 'eq' or 'min'/'max', not both");
	if (a->has_min && a->has_max && a->min > a->max)
		return nb_conf_error(c, nb_conf_find(c, map, "min"),
				     "expected 'min' not above 'max'");
	return 0;
}

static int parse_entry(struct nb_conf *c, yaml_node_t *n, struct nb_assert_cfg *a)
{
	static const char *const kinds[] = { "counter", "frames", "latency", "link" };
	static const struct nb_field *const tables[] = { counter_fields, frames_fields,
							 latency_fields, link_fields };
	unsigned found = 0, kind = 0;
	char err[256];
	int ret;

	a->node = n;
	a->line = n->start_mark.line + 1;
	if (n->type != YAML_MAPPING_NODE)
		return nb_conf_error(c, n, "expected a mapping for an assertion "
				     "({counter: ...}, {frames: ...}, {latency: ...}, "
				     "{link: ...})");
	for (unsigned i = 0; i < 4; i++) {
		if (nb_conf_find(c, n, kinds[i])) {
			found++;
			kind = i;
		}
	}
	if (found != 1)
		return nb_conf_error(c, n, "expected exactly one of counter, frames, latency, link "
				     "in an assertion");
	a->kind = kind;
	{
		struct nb_conf_part parts[] = { { tables[kind], a }, { NULL, NULL } };

		ret = nb_conf_parse_map(c, n, "an assertion", parts);
		if (ret < 0)
			return ret;
	}
	switch (a->kind) {
	case NB_ASSERT_COUNTER:
		if ((ret = check_counter(c, n, a->counter)) < 0)
			return ret;
		return check_cmp(c, n, a);
	case NB_ASSERT_FRAMES:
		if ((ret = check_point(c, n, "frames", a->point)) < 0)
			return ret;
		if (a->filter) {
			a->bpf = nb_bpf_compile(a->filter, err, sizeof(err));
			if (!a->bpf)
				return nb_conf_error(c, nb_conf_find(c, n, "filter"),
						     "expected a valid BPF filter for 'filter': %s",
						     err);
		}
		return check_cmp(c, n, a);
	case NB_ASSERT_LATENCY: {
		yaml_node_t *l = nb_conf_find(c, n, "latency");

		if ((ret = check_point(c, l, "from", a->from)) < 0 ||
		    (ret = check_point(c, l, "to", a->to)) < 0)
			return ret;
		if (!strcmp(a->from, a->to))
			return nb_conf_error(c, nb_conf_find(c, l, "to"),
					     "expected 'to' to be another point than 'from'");
		return 0;
	}
	default:
		return 0;
	}
}

int nb_assert_parse(struct nb_conf *c, yaml_node_t *node, void *base, const struct nb_field *f)
{
	struct nb_assert_list *l = (struct nb_assert_list *)((char *)base + f->offset);
	int ret;

	if (node->type != YAML_SEQUENCE_NODE)
		return nb_conf_error(c, node, "expected a list of assertions for 'assert'");
	for (yaml_node_item_t *it = node->data.sequence.items.start;
	     it < node->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(&c->doc, *it);

		if (l->n == NB_ASSERT_MAX)
			return nb_conf_error(c, n, "expected at most %u assertions", NB_ASSERT_MAX);
		memset(&l->items[l->n], 0, sizeof(l->items[l->n]));
		ret = parse_entry(c, n, &l->items[l->n]);
		l->n++; /* counted even when wrong, so its compiled filter is freed */
		if (ret < 0)
			return ret;
	}
	return 0;
}

int nb_assert_check(struct nb_conf *c, const struct nb_assert_list *l, bool has_duration,
		    uint64_t duration)
{
	for (unsigned i = 0; i < l->n; i++) {
		const struct nb_assert_cfg *a = &l->items[i];

		if (a->kind == NB_ASSERT_LINK && has_duration && a->at > duration)
			return nb_conf_error(c, nb_conf_find(c, a->node, "at"),
					     "expected 'at' within the run's duration");
	}
	return 0;
}

void nb_assert_list_free(struct nb_assert_list *l)
{
	for (unsigned i = 0; i < l->n; i++) {
		nb_bpf_free(l->items[i].bpf);
		l->items[i].bpf = NULL;
	}
	l->n = 0;
}
