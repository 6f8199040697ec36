/* SPDX-License-Identifier: MIT */
/* Dotted counter names over the final JSON report. The report is this program's own output
 * (src/json.c: compact, keys and strings with \" and \\ escapes only, integers, booleans,
 * null), read back once at the end of a run; a walk over that subset is a few lines, where a
 * JSON library would be a new dependency for the same result. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "src/assert.h"

typedef void (*leaf_fn)(void *ctx, const char *name, const char *value);

static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

static const char *walk(const char *p, char *name, size_t used, size_t cap, leaf_fn fn,
			void *ctx);

static const char *walk_container(const char *p, char *name, size_t used, size_t cap,
				  leaf_fn fn, void *ctx)
{
	char close = *p == '{' ? '}' : ']';
	bool object = *p == '{';

	p++;
	while (*p && *p != close) {
		size_t u = used;

		if (object && *p == '"') {
			const char *end = skip_string(p);
			size_t klen = (size_t)(end - p) - 2;

			if (u && u < cap - 1)
				name[u++] = '.';
			if (u + klen < cap) {
				memcpy(name + u, p + 1, klen);
				u += klen;
			}
			name[u < cap ? u : cap - 1] = '\0';
			p = end;
			if (*p == ':')
				p++;
			p = walk(p, name, u, cap, object ? fn : NULL, ctx);
		} else {
			/* array elements have no dotted name: skipped */
			p = walk(p, name, used, cap, NULL, ctx);
		}
		if (*p == ',')
			p++;
	}
	return *p ? p + 1 : p;
}

static const char *walk(const char *p, char *name, size_t used, size_t cap, leaf_fn fn,
			void *ctx)
{
	const char *start = p;

	if (*p == '{' || *p == '[')
		return walk_container(p, name, used, cap, *p == '{' ? fn : NULL, ctx);
	if (*p == '"')
		return skip_string(p);
	while (*p && *p != ',' && *p != '}' && *p != ']')
		p++;
	if (fn && (*start == 't' || *start == 'f' || (*start >= '0' && *start <= '9'))) {
		name[used < cap ? used : cap - 1] = '\0';
		fn(ctx, name, start);
	}
	return p;
}

struct lookup {
	const char *want;
	bool found;
	uint64_t value;
};

static void lookup_leaf(void *ctx, const char *name, const char *value)
{
	struct lookup *l = ctx;

	if (l->found || strcmp(name, l->want))
		return;
	l->found = true;
	if (*value == 't')
		l->value = 1;
	else if (*value == 'f')
		l->value = 0;
	else
		l->value = strtoull(value, NULL, 10);
}

int nb_report_lookup(const char *json, const char *name, uint64_t *out)
{
	struct lookup l = { .want = name };
	char buf[256];

	walk(json, buf, 0, sizeof(buf), lookup_leaf, &l);
	if (!l.found)
		return -ENOENT;
	*out = l.value;
	return 0;
}

struct names {
	char *buf;
	size_t len, used;
};

static void names_leaf(void *ctx, const char *name, const char *value)
{
	struct names *n = ctx;
	int w;

	(void)value;
	if (n->used >= n->len)
		return;
	w = snprintf(n->buf + n->used, n->len - n->used, "%s%s", n->used ? ", " : "", name);
	if (w > 0)
		n->used += (size_t)w;
}

void nb_report_names(const char *json, char *buf, size_t len)
{
	struct names n = { .buf = buf, .len = len };
	char name[256];

	buf[0] = '\0';
	walk(json, name, 0, sizeof(name), names_leaf, &n);
}
