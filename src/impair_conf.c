/* SPDX-License-Identifier: MIT */
/* Schema of link impairments (impair_conf.h). */
#include "src/impair_conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *scalar_text(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int expected(struct nb_conf *c, const yaml_node_t *n, const char *key, const char *what)
{
	const char *s = scalar_text(n);

	if (!s)
		return nb_conf_error(c, n, "expected %s for '%s', got %s", what, key,
				     n && n->type == YAML_MAPPING_NODE ? "a mapping" : "a list");
	return nb_conf_error(c, n, "expected %s for '%s', got '%.40s'", what, key, s);
}

/* A plain decimal: digits, optionally a fraction. strtod alone would also take signs,
 * spaces, hex, "inf" and "nan", none of which is a sensible setting here. */
static bool parse_decimal(const char *s, size_t len, double *out)
{
	char buf[64];
	size_t i = 0;

	if (!len || len >= sizeof(buf) || s[0] < '0' || s[0] > '9')
		return false;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i != len)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtod(buf, NULL);
	return true;
}

static int parse_prob(struct nb_conf *c, yaml_node_t *n, void *base, const struct nb_field *f)
{
	const char *s = scalar_text(n);
	size_t len = s ? strlen(s) : 0;
	bool pct = len && s[len - 1] == '%';
	double v;

	if (!s || !parse_decimal(s, len - pct, &v) || v > (pct ? 100.0 : 1.0))
		return expected(c, n, f->key, "a probability 0..1 such as 0.02, or a percentage "
				"0%..100% such as 2%");
	*(double *)((char *)base + f->offset) = pct ? v / 100.0 : v;
	return 0;
}

static int parse_burst(struct nb_conf *c, yaml_node_t *n, void *base, const struct nb_field *f)
{
	const char *s = scalar_text(n);
	double v;

	if (!s || !parse_decimal(s, strlen(s), &v) || v < 1.0 || v > 1e6)
		return expected(c, n, f->key, "a mean burst length in frames, 1..1000000, such "
				"as 4");
	*(double *)((char *)base + f->offset) = v;
	return 0;
}

static int parse_bits(struct nb_conf *c, yaml_node_t *n, void *base, const struct nb_field *f)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = {
		{ "", 1 }, { "bit", 1 }, { "bps", 1 }, { "kbit", 1e3 }, { "kbps", 1e3 },
		{ "mbit", 1e6 }, { "mbps", 1e6 }, { "gbit", 1e9 }, { "gbps", 1e9 },
	};
	const char *s = scalar_text(n);
	size_t num = 0;
	double v;

	while (s && ((s[num] >= '0' && s[num] <= '9') || s[num] == '.'))
		num++;
	if (!s || !parse_decimal(s, num, &v))
		goto bad;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(s + num, units[i].unit))
			continue;
		v *= units[i].scale;
		if (v < 1e3 || v > 1e11)
			goto bad;
		*(uint64_t *)((char *)base + f->offset) = (uint64_t)(v + 0.5);
		return 0;
	}
bad:
	return expected(c, n, f->key, "a bit rate 1kbit..100gbit such as 10mbit, 512kbit or "
			"2000000 (bits/s)");
}

/* ---- scalar or mapping: `loss: 2%` is `loss: {rate: 2%}` ---------------------------------- */

#define DIR_OFF(m) offsetof(struct nb_impair_dir_cfg, m)

static const struct nb_field loss_fields[] = {
	{ .key = "rate", .kind = NB_FIELD_CUSTOM, .offset = DIR_OFF(loss), .required = true,
	  .parse = parse_prob },
	{ .key = "burst", .kind = NB_FIELD_CUSTOM, .offset = DIR_OFF(loss_burst),
	  .parse = parse_burst },
	{ 0 },
};

static const struct nb_field reorder_fields[] = {
	{ .key = "rate", .kind = NB_FIELD_CUSTOM, .offset = DIR_OFF(reorder), .required = true,
	  .parse = parse_prob },
	{ .key = "gap", .kind = NB_FIELD_UINT, .offset = DIR_OFF(reorder_gap),
	  .size = sizeof(uint32_t), .min = 1, .max = 1000000 },
	{ 0 },
};

static const struct nb_field rate_fields[] = {
	{ .key = "speed", .kind = NB_FIELD_CUSTOM, .offset = DIR_OFF(rate_bps), .required = true,
	  .parse = parse_bits },
	{ .key = "burst", .kind = NB_FIELD_UINT, .offset = DIR_OFF(rate_burst),
	  .size = sizeof(uint32_t), .min = 0, .max = 16u << 20 },
	{ .key = "queue", .kind = NB_FIELD_UINT, .offset = DIR_OFF(rate_queue),
	  .size = sizeof(uint32_t), .min = 1, .max = NB_IMPAIR_MAX_QUEUE },
	{ 0 },
};

static const struct nb_field corrupt_fields[] = {
	{ .key = "rate", .kind = NB_FIELD_CUSTOM, .offset = DIR_OFF(corrupt), .required = true,
	  .parse = parse_prob },
	{ .key = "bits", .kind = NB_FIELD_UINT, .offset = DIR_OFF(corrupt_bits),
	  .size = sizeof(uint32_t), .min = 1, .max = NB_IMPAIR_MAX_BITS },
	{ 0 },
};

static int parse_short_or_map(struct nb_conf *c, yaml_node_t *n, void *base,
			      const struct nb_field *f)
{
	/* f->fields: the long form; its first entry parses the short form. */
	struct nb_conf_part parts[] = { { f->fields, base }, { NULL, NULL } };
	struct nb_field first = f->fields[0];

	if (n && n->type == YAML_MAPPING_NODE)
		return nb_conf_parse_map(c, n, f->key, parts);
	first.key = f->key;
	return first.parse(c, n, base, &first);
}

const struct nb_field nb_impair_fields[] = {
	{ .key = "loss", .kind = NB_FIELD_CUSTOM, .fields = loss_fields,
	  .parse = parse_short_or_map },
	{ .key = "delay", .kind = NB_FIELD_DURATION, .offset = DIR_OFF(delay_ns),
	  .max = 60 * NB_NS_PER_S },
	{ .key = "jitter", .kind = NB_FIELD_DURATION, .offset = DIR_OFF(jitter_ns),
	  .max = 60 * NB_NS_PER_S },
	{ .key = "reorder", .kind = NB_FIELD_CUSTOM, .fields = reorder_fields,
	  .parse = parse_short_or_map },
	{ .key = "rate", .kind = NB_FIELD_CUSTOM, .fields = rate_fields,
	  .parse = parse_short_or_map },
	{ .key = "corrupt", .kind = NB_FIELD_CUSTOM, .fields = corrupt_fields,
	  .parse = parse_short_or_map },
	{ .key = "duplicate", .kind = NB_FIELD_CUSTOM, .offset = DIR_OFF(duplicate),
	  .parse = parse_prob },
	{ .key = "mtu", .kind = NB_FIELD_UINT, .offset = DIR_OFF(mtu), .size = sizeof(uint32_t),
	  .min = 68, .max = 65535 },
	{ 0 },
};

/* ---- directions ------------------------------------------------------------------------ */

struct dir_nodes {
	yaml_node_t *both, *to_far, *to_device;
};

static int keep_node(struct nb_conf *c, yaml_node_t *n, void *base, const struct nb_field *f)
{
	(void)c;
	*(yaml_node_t **)((char *)base + f->offset) = n;
	return 0;
}

static const struct nb_field dir_key_fields[] = {
	{ .key = "both", .kind = NB_FIELD_CUSTOM, .offset = offsetof(struct dir_nodes, both),
	  .parse = keep_node },
	{ .key = "to_far", .kind = NB_FIELD_CUSTOM, .offset = offsetof(struct dir_nodes, to_far),
	  .parse = keep_node },
	{ .key = "to_device", .kind = NB_FIELD_CUSTOM,
	  .offset = offsetof(struct dir_nodes, to_device), .parse = keep_node },
	{ 0 },
};

static const char *const dir_key[2] = { "to_far", "to_device" };

static bool has_flat_keys(struct nb_conf *c, yaml_node_t *map)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = scalar_text(yaml_document_get_node(&c->doc, p->key));
		bool dir = false;

		for (const struct nb_field *f = dir_key_fields; f->key; f++)
			dir |= k && !strcmp(k, f->key);
		if (!dir)
			return true;
	}
	return false;
}

static int parse_dir(struct nb_conf *c, yaml_node_t *n, const char *what,
		     struct nb_impair_dir_cfg *d)
{
	struct nb_conf_part parts[] = { { nb_impair_fields, d }, { NULL, NULL } };

	return nb_conf_parse_map(c, n, what, parts);
}

int nb_impair_conf_parse(struct nb_conf *c, yaml_node_t *node, void *base,
			 const struct nb_field *f)
{
	struct nb_impair_cfg *ic = (struct nb_impair_cfg *)((char *)base + f->offset);
	struct dir_nodes dn = { 0 };
	struct nb_conf_part flat[] = {
		{ dir_key_fields, &dn }, { nb_impair_fields, &ic->dir[0] }, { NULL, NULL },
	};
	yaml_node_t *own[2];
	int ret;

	memset(ic, 0, sizeof(*ic));
	ic->node = node;
	if ((ret = nb_conf_parse_map(c, node, "impair", flat)) < 0)
		return ret;
	if (!node->data.mapping.pairs.top || node->data.mapping.pairs.top ==
						      node->data.mapping.pairs.start)
		return nb_conf_error(c, node, "expected settings in impair: both, to_far, to_device "
				     "or settings for both directions such as loss: 2%%");
	if (has_flat_keys(c, node)) {
		if (dn.both)
			return nb_conf_error(c, dn.both, "expected the settings for both directions "
					     "either directly under impair or under 'both', not in "
					     "both places");
		flat[1].base = &ic->dir[1];
		if ((ret = nb_conf_parse_map(c, node, "impair", flat)) < 0)
			return ret;
		ic->given[0] = ic->given[1] = true;
	}
	if (dn.both) {
		if ((ret = parse_dir(c, dn.both, "both", &ic->dir[0])) < 0 ||
		    (ret = parse_dir(c, dn.both, "both", &ic->dir[1])) < 0)
			return ret;
		ic->given[0] = ic->given[1] = true;
	}
	own[0] = dn.to_far;
	own[1] = dn.to_device;
	for (int d = 0; d < 2; d++) {
		const char *problem;

		if (own[d]) {
			if ((ret = parse_dir(c, own[d], dir_key[d], &ic->dir[d])) < 0)
				return ret;
			ic->given[d] = true;
		}
		if (ic->given[d] && (problem = nb_impair_cfg_problem(&ic->dir[d])))
			return nb_conf_error(c, own[d] ? own[d] : dn.both ? dn.both : node,
					     "%s, in %s", problem, own[d] ? dir_key[d] :
					     dn.both ? "both" : "impair");
	}
	return 0;
}

static yaml_node_t *rate_node(struct nb_conf *c, const struct nb_impair_cfg *ic, int d)
{
	yaml_node_t *n;

	if ((n = nb_conf_find(c, nb_conf_find(c, ic->node, dir_key[d]), "rate")) ||
	    (n = nb_conf_find(c, nb_conf_find(c, ic->node, "both"), "rate")) ||
	    (n = nb_conf_find(c, ic->node, "rate")))
		return n;
	return ic->node;
}

int nb_impair_conf_check_queue(struct nb_conf *c, const struct nb_impair_cfg *ic,
			       uint32_t wire_queue)
{
	for (int d = 0; d < 2; d++) {
		const struct nb_impair_dir_cfg *dc = &ic->dir[d];
		uint32_t q = dc->rate_queue ? dc->rate_queue : NB_IMPAIR_DEFAULT_QUEUE;

		if (!ic->given[d] || !dc->rate_bps || q < wire_queue)
			continue;
		return nb_conf_error(c, rate_node(c, ic, d),
				     "expected a rate limit queue (%u frames) shorter than the wire's "
				     "queue (%u frames), in %s: frames waiting for the rate limit "
				     "occupy the wire's queue; raise wire: queue or lower the rate's "
				     "queue", q, wire_queue, dir_key[d]);
	}
	return 0;
}
