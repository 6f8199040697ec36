/* SPDX-License-Identifier: MIT */
#include "src/conf.h"
#include "src/conf_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static size_t line_of(const yaml_node_t *n)
{
	return n ? n->start_mark.line + 1 : 1;
}

static size_t col_of(const yaml_node_t *n)
{
	return n ? n->start_mark.column + 1 : 1;
}

void nb_conf_where(const struct nb_conf *c, const yaml_node_t *node, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%zu:%zu", c->path, line_of(node), col_of(node));
}

static int verror_at(struct nb_conf *c, size_t line, size_t col, const char *fmt, va_list ap)
{
	int n;

	if (c->err[0])
		return -EINVAL;
	n = snprintf(c->err, sizeof(c->err), "%s:%zu:%zu: ", c->path, line, col);
	if (n > 0 && (size_t)n < sizeof(c->err))
		vsnprintf(c->err + n, sizeof(c->err) - (size_t)n, fmt, ap);
	return -EINVAL;
}

static int error_at(struct nb_conf *c, size_t line, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int error_at(struct nb_conf *c, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = verror_at(c, line, col, fmt, ap);
	va_end(ap);
	return ret;
}

int nb_conf_error(struct nb_conf *c, const yaml_node_t *node, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = verror_at(c, line_of(node), col_of(node), fmt, ap);
	va_end(ap);
	return ret;
}

/* ---- loading ------------------------------------------------------------------------ */

static int syntax_error(struct nb_conf *c, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "malformed YAML";

	if (p->context)
		return error_at(c, p->problem_mark.line + 1, p->problem_mark.column + 1,
				"YAML syntax error: %s (%s at %zu:%zu)", problem, p->context,
				p->context_mark.line + 1, p->context_mark.column + 1);
	return error_at(c, p->problem_mark.line + 1, p->problem_mark.column + 1,
			"YAML syntax error: %s", problem);
}

int nb_conf_load(struct nb_conf *c, const char *path)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	FILE *f;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	c->path = path;
	f = fopen(path, "rb");
	if (!f) {
		ret = -errno;
		snprintf(c->err, sizeof(c->err), "%s: cannot open: %s", path, strerror(-ret));
		return ret;
	}
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		snprintf(c->err, sizeof(c->err), "%s: out of memory", path);
		return -ENOMEM;
	}
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &c->doc)) {
		ret = syntax_error(c, &parser);
		goto err_parse;
	}
	c->loaded = true;
	if (!yaml_document_get_root_node(&c->doc)) {
		ret = error_at(c, 1, 1, "the file is empty: expected a scenario (a mapping)");
		goto err_parse;
	}
	/* A second document would be silently ignored otherwise. */
	if (!yaml_parser_load(&parser, &extra)) {
		ret = syntax_error(c, &parser);
		goto err_parse;
	}
	if (yaml_document_get_root_node(&extra)) {
		yaml_node_t *n = yaml_document_get_root_node(&extra);

		ret = error_at(c, n->start_mark.line + 1, n->start_mark.column + 1,
			       "a second YAML document: expected one scenario per file");
	}
	yaml_document_delete(&extra);
err_parse:
	yaml_parser_delete(&parser);
	fclose(f);
	return ret;
}

void nb_conf_free(struct nb_conf *c)
{
	if (!c || !c->loaded)
		return;
	yaml_document_delete(&c->doc);
	c->loaded = false;
}

yaml_node_t *nb_conf_root(struct nb_conf *c)
{
	return c->loaded ? yaml_document_get_root_node(&c->doc) : NULL;
}

/* ---- scalars ------------------------------------------------------------------------ */

const char *nb_conf_text(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* How a node looks, for "got ..." in messages. */
const char *nb_conf_describe(const yaml_node_t *n, char *buf, size_t len)
{
	const char *s;

	if (!n)
		return "nothing";
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	s = nb_conf_text(n);
	if (!s[0] && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		return "nothing";
	if (strlen(s) > NB_CONF_DESCRIBE_MAX)
		snprintf(buf, len, "'%.*s...'", NB_CONF_DESCRIBE_MAX, s);
	else
		snprintf(buf, len, "'%s'", s);
	return buf;
}

int nb_conf_expected(struct nb_conf *c, const yaml_node_t *n, const char *key, const char *what)
{
	char buf[NB_CONF_DESCRIBE_MAX + 8];

	return nb_conf_error(c, n, "expected %s for '%s', got %s", what, key,
			     nb_conf_describe(n, buf, sizeof(buf)));
}

static int parse_value(struct nb_conf *c, yaml_node_t *n, const struct nb_field *f, void *base);

static int parse_oneof(struct nb_conf *c, yaml_node_t *n, const struct nb_field *f, void *base)
{
	char *obj = (char *)base + f->offset;
	const struct nb_conf_choice *ch;
	yaml_node_t *val = NULL;
	const char *name = nb_conf_text(n);
	char list[256] = "", what[sizeof(list) + 80];
	size_t used = 0;

	for (ch = f->choices; ch->name; ch++) {
		int k = snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "",
				 ch->name);

		if (k > 0 && (size_t)k < sizeof(list) - used)
			used += (size_t)k;
	}
	if (n->type == YAML_MAPPING_NODE &&
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start == 1) {
		yaml_node_pair_t *p = n->data.mapping.pairs.start;

		name = nb_conf_text(yaml_document_get_node(&c->doc, p->key));
		val = yaml_document_get_node(&c->doc, p->value);
	}
	for (ch = f->choices; name && ch->name; ch++) {
		struct nb_conf_part parts[] = { { ch->fields, obj + ch->offset }, { NULL, NULL } };

		if (strcmp(ch->name, name))
			continue;
		*(int *)obj = ch->value;
		if (!val)
			return 0; /* the bare form: defaults */
		if (!ch->fields)
			return nb_conf_error(c, n, "expected '%s' on its own for '%s' (it takes no "
					     "settings)", ch->name, f->key);
		snprintf(what, sizeof(what), "%s.%s", f->key, ch->name);
		return nb_conf_parse_map(c, val, what, parts);
	}
	if (name && val)
		return nb_conf_error(c, n, "unknown kind '%s' for '%s' (expected one of: %s)", name,
				     f->key, list);
	snprintf(what, sizeof(what), "one of %s (a bare name, or a mapping with one of them as "
		 "its only key)", list);
	return nb_conf_expected(c, n, f->key, what);
}

static int parse_list(struct nb_conf *c, yaml_node_t *n, const struct nb_field *f, void *base)
{
	unsigned *count = (unsigned *)((char *)base + f->count_offset);
	char *arr = (char *)base + f->offset;
	char what[64];

	if (n->type != YAML_SEQUENCE_NODE)
		return nb_conf_expected(c, n, f->key, "a list");
	*count = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = yaml_document_get_node(&c->doc, *it);
		struct nb_conf_part parts[] = { { f->fields, arr + (size_t)*count * f->size },
						{ NULL, NULL } };
		int ret;

		if (*count >= f->max)
			return nb_conf_error(c, item, "too many entries in '%s' (at most %llu)",
					     f->key, (unsigned long long)f->max);
		snprintf(what, sizeof(what), "a %s entry", f->key);
		ret = nb_conf_parse_map(c, item, what, parts);
		if (ret < 0)
			return ret;
		if (f->check && (ret = f->check(c, item, parts[0].base)) < 0)
			return ret;
		(*count)++;
	}
	return 0;
}

static int parse_value(struct nb_conf *c, yaml_node_t *n, const struct nb_field *f, void *base)
{
	void *dst = (char *)base + f->offset;
	const char *s = nb_conf_text(n);
	uint64_t v;
	int ret;

	switch (f->kind) {
	case NB_FIELD_UINT:
		/* Without an explicit maximum the target's width is the limit: never truncate. */
		ret = nb_conf_uint(c, n, f->key, f->min,
				   f->max ? f->max
				   : f->size && f->size < 8 ? (1ull << (8 * f->size)) - 1 : UINT64_MAX,
				   &v);
		if (ret == 0 && nb_conf_store_uint(dst, f->size, v) < 0)
			return nb_conf_error(c, n, "internal: no size for '%s'", f->key);
		return ret;
	case NB_FIELD_BOOL:
		if (s && (!strcmp(s, "true") || !strcmp(s, "false"))) {
			*(bool *)dst = s[0] == 't';
			return 0;
		}
		return nb_conf_expected(c, n, f->key, "true or false");
	case NB_FIELD_STRING:
		if (!s || !s[0] || (f->max && strlen(s) > f->max)) {
			char what[64];

			if (f->max)
				snprintf(what, sizeof(what), "%s of 1..%llu characters",
					 f->what ? f->what : "a string", (unsigned long long)f->max);
			else
				snprintf(what, sizeof(what), "%s", f->what ? f->what : "a string");
			return nb_conf_expected(c, n, f->key, what);
		}
		*(const char **)dst = s;
		return 0;
	case NB_FIELD_DURATION:
		ret = nb_conf_duration(c, n, f->key, dst);
		if (ret == 0 && ((f->max && *(uint64_t *)dst > f->max) ||
				 *(uint64_t *)dst < f->min)) {
			char what[96];

			snprintf(what, sizeof(what), "a duration from %.9gs to %.9gs",
				 (double)f->min / 1e9, (double)(f->max ? f->max : UINT64_MAX) / 1e9);
			return nb_conf_expected(c, n, f->key, what);
		}
		return ret;
	case NB_FIELD_MAC:
		if (!s || nb_parse_mac(s, dst) < 0)
			return nb_conf_expected(c, n, f->key, "a MAC address such as 02:00:00:00:00:01");
		if (f->min && (((uint8_t *)dst)[0] & 1))
			return nb_conf_expected(c, n, f->key,
					"a unicast MAC address (first octet even), such as "
					"02:00:00:00:00:01");
		return 0;
	case NB_FIELD_ENUM:
		return nb_conf_field_enum(c, n, f, dst);
	case NB_FIELD_FLAGS:
		return nb_conf_field_flags(c, n, f, dst);
	case NB_FIELD_IPV4_PREFIX:
		return nb_conf_field_ipv4(c, n, f, dst);
	case NB_FIELD_MAP: {
		struct nb_conf_part parts[] = { { f->fields, dst }, { NULL, NULL } };

		ret = nb_conf_parse_map(c, n, f->key, parts);
		if (ret == 0 && f->check)
			ret = f->check(c, n, dst);
		return ret;
	}
	case NB_FIELD_ONEOF:
		return parse_oneof(c, n, f, base);
	case NB_FIELD_LIST:
		return parse_list(c, n, f, base);
	case NB_FIELD_CUSTOM:
		return f->parse(c, n, base, f);
	}
	return nb_conf_error(c, n, "internal: unknown field kind for '%s'", f->key);
}

/* ---- mappings ----------------------------------------------------------------------- */

static const struct nb_field *find_field(const struct nb_conf_part *parts, const char *key,
					 void **base)
{
	for (; parts->fields; parts++) {
		for (const struct nb_field *f = parts->fields; f->key; f++) {
			if (!strcmp(f->key, key)) {
				*base = parts->base;
				return f;
			}
		}
	}
	return NULL;
}

static void join_keys(const struct nb_conf_part *parts, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; parts->fields; parts++) {
		for (const struct nb_field *f = parts->fields; f->key && used < len; f++) {
			int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", f->key);

			if (n > 0)
				used += (size_t)n;
		}
	}
}

static yaml_node_t *value_of(struct nb_conf *c, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = nb_conf_text(yaml_document_get_node(&c->doc, p->key));

		if (k && !strcmp(k, key))
			return yaml_document_get_node(&c->doc, p->value);
	}
	return NULL;
}

yaml_node_t *nb_conf_find(struct nb_conf *c, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	return value_of(c, map, key);
}

int nb_conf_parse_map(struct nb_conf *c, yaml_node_t *node, const char *what,
		      const struct nb_conf_part *parts)
{
	yaml_node_pair_t *start, *top;
	char keys[512];

	if (!node || node->type != YAML_MAPPING_NODE) {
		char buf[NB_CONF_DESCRIBE_MAX + 8];

		return nb_conf_error(c, node, "expected a mapping for %s, got %s", what,
				     nb_conf_describe(node, buf, sizeof(buf)));
	}
	start = node->data.mapping.pairs.start;
	top = node->data.mapping.pairs.top;
	for (yaml_node_pair_t *p = start; p < top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&c->doc, p->key);
		const char *k = nb_conf_text(kn);

		if (!k) {
			char buf[NB_CONF_DESCRIBE_MAX + 8];

			return nb_conf_error(c, kn, "expected a key name in %s, got %s", what,
					     nb_conf_describe(kn, buf, sizeof(buf)));
		}
		for (yaml_node_pair_t *q = start; q < p; q++) {
			yaml_node_t *qk = yaml_document_get_node(&c->doc, q->key);

			if (nb_conf_text(qk) && !strcmp(nb_conf_text(qk), k))
				return nb_conf_error(c, kn,
						     "duplicate key '%s' in %s (first at line %zu)",
						     k, what, line_of(qk));
		}
	}
	for (yaml_node_pair_t *p = start; p < top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&c->doc, p->key);
		const char *k = nb_conf_text(kn);
		void *base = NULL;
		const struct nb_field *f = find_field(parts, k, &base);
		int ret;

		if (!f) {
			join_keys(parts, keys, sizeof(keys));
			return nb_conf_error(c, kn, "unknown key '%s' in %s (expected one of: %s)", k,
					     what, keys);
		}
		ret = parse_value(c, yaml_document_get_node(&c->doc, p->value), f, base);
		if (ret < 0)
			return ret;
		if (f->has_present)
			*(bool *)((char *)base + f->present_offset) = true;
	}
	for (; parts->fields; parts++) {
		for (const struct nb_field *f = parts->fields; f->key; f++) {
			if (f->required && !value_of(c, node, f->key))
				return nb_conf_error(c, node, "missing required key '%s' in %s",
						     f->key, what);
		}
	}
	return 0;
}
