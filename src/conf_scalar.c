/* SPDX-License-Identifier: MIT */
/* Scalar values of the schema layer: integers, durations, MAC and IPv4 addresses, names. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "src/conf.h"
#include "src/conf_priv.h"

/* Decimal or 0x-hex digits only: no sign, no octal surprises, no trailing text. */
static int parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else if (*s == '_' && base == 10)
			continue;
		else
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int nb_conf_uint(struct nb_conf *c, yaml_node_t *n, const char *key, uint64_t min, uint64_t max,
		 uint64_t *out)
{
	const char *s = nb_conf_text(n);
	char what[96];
	uint64_t v;

	if (max == UINT64_MAX && min == 0)
		snprintf(what, sizeof(what), "a non-negative integer");
	else
		snprintf(what, sizeof(what), "an integer %llu..%llu", (unsigned long long)min,
			 (unsigned long long)max);
	if (!s || parse_u64(s, &v) < 0 || v < min || v > max)
		return nb_conf_expected(c, n, key, what);
	*out = v;
	return 0;
}

int nb_parse_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *unit;
		uint64_t scale;
	} units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
		{ "min", 60000000000ull },
	};
	uint64_t whole = 0, frac = 0, frac_div = 1;
	const char *p = s;

	if (!(*p >= '0' && *p <= '9'))
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (frac_div < 1000000000000ull) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_div *= 10;
			}
		}
	}
	if (!*p)
		return whole == 0 && frac == 0 ? (*ns = 0, 0) : -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit))
			continue;
		unsigned __int128 part = (unsigned __int128)frac * units[i].scale;

		if (part % frac_div)
			return -EINVAL; /* finer than a nanosecond */
		if (whole > (UINT64_MAX - (uint64_t)(part / frac_div)) / units[i].scale)
			return -ERANGE;
		*ns = whole * units[i].scale + (uint64_t)(part / frac_div);
		return 0;
	}
	return -EINVAL;
}

int nb_conf_duration(struct nb_conf *c, yaml_node_t *n, const char *key, uint64_t *ns)
{
	const char *s = nb_conf_text(n);

	if (!s || nb_parse_duration(s, ns) < 0)
		return nb_conf_expected(c, n, key, "a duration such as 10s, 1.5s, 250ms, 20us or 100ns");
	return 0;
}

int nb_parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned v = 0;

		for (int j = 0; j < 2; j++, s++) {
			char ch = *s;

			v <<= 4;
			if (ch >= '0' && ch <= '9')
				v |= (unsigned)(ch - '0');
			else if (ch >= 'a' && ch <= 'f')
				v |= (unsigned)(ch - 'a' + 10);
			else if (ch >= 'A' && ch <= 'F')
				v |= (unsigned)(ch - 'A' + 10);
			else
				return -EINVAL;
		}
		mac[i] = (uint8_t)v;
		if (i < 5 && *s++ != ':')
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

static int lookup_name(const struct nb_conf_name *names, const char *s, uint32_t *out)
{
	for (; names && names->name; names++) {
		if (!strcmp(names->name, s)) {
			*out = names->value;
			return 0;
		}
	}
	return -ENOENT;
}

static void join_names(const struct nb_conf_name *names, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; names && names->name && used < len; names++) {
		int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", names->name);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int nb_conf_store_uint(void *dst, size_t size, uint64_t v)
{
	switch (size) {
	case 1: *(uint8_t *)dst = (uint8_t)v; return 0;
	case 2: *(uint16_t *)dst = (uint16_t)v; return 0;
	case 4: *(uint32_t *)dst = (uint32_t)v; return 0;
	case 8: *(uint64_t *)dst = v; return 0;
	}
	return -EINVAL; /* a schema table without .size: a bug, not a user error */
}

int nb_conf_field_enum(struct nb_conf *c, yaml_node_t *n, const struct nb_field *f, void *dst)
{
	const char *s = nb_conf_text(n);
	char list[256], what[300];
	uint32_t v;

	if (s && lookup_name(f->names, s, &v) == 0) {
		*(uint32_t *)dst = v;
		return 0;
	}
	join_names(f->names, list, sizeof(list));
	if (f->what)
		snprintf(what, sizeof(what), "%s (one of: %s)", f->what, list);
	else
		snprintf(what, sizeof(what), "one of: %s", list);
	return nb_conf_expected(c, n, f->key, what);
}

int nb_conf_enum(struct nb_conf *c, yaml_node_t *n, const char *key,
		 const struct nb_conf_name *names, const char *what, uint32_t *out)
{
	struct nb_field f = { .key = key, .kind = NB_FIELD_ENUM, .names = names, .what = what };

	return nb_conf_field_enum(c, n, &f, out);
}

int nb_conf_field_flags(struct nb_conf *c, yaml_node_t *n, const struct nb_field *f, void *dst)
{
	char list[256], what[300];
	uint32_t acc = 0;

	join_names(f->names, list, sizeof(list));
	snprintf(what, sizeof(what), "a list of: %s", list);
	if (n->type != YAML_SEQUENCE_NODE || n->data.sequence.items.top ==
						     n->data.sequence.items.start)
		return nb_conf_expected(c, n, f->key, what);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = yaml_document_get_node(&c->doc, *it);
		const char *s = nb_conf_text(item);
		uint32_t v;

		snprintf(what, sizeof(what), "one of: %s", list);
		if (!s || lookup_name(f->names, s, &v) < 0)
			return nb_conf_expected(c, item, f->key, what);
		if (acc & v)
			return nb_conf_error(c, item, "'%s' appears twice in '%s'", s, f->key);
		acc |= v;
	}
	*(uint32_t *)dst = acc;
	return 0;
}

int nb_conf_field_ipv4(struct nb_conf *c, yaml_node_t *n, const struct nb_field *f, void *dst)
{
	const char *s = nb_conf_text(n);
	const char *slash = s ? strchr(s, '/') : NULL;
	struct nb_conf_ipv4 *out = dst;
	char addr[INET_ADDRSTRLEN];
	uint64_t len;

	if (!slash || (size_t)(slash - s) >= sizeof(addr) || parse_u64(slash + 1, &len) < 0 ||
	    len < 1 || len > 32)
		goto bad;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (inet_pton(AF_INET, addr, out->addr) != 1)
		goto bad;
	out->prefix_len = (uint8_t)len;
	return 0;
bad:
	return nb_conf_expected(c, n, f->key, "an IPv4 address with prefix length such as 10.0.0.1/24");
}
