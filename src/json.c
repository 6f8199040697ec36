/* SPDX-License-Identifier: MIT */
#include "src/json.h"

#include <inttypes.h>
#include <math.h>

void nb_json_init(struct nb_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->need_comma[0] = false;
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void member(struct nb_json *j, const char *key)
{
	if (j->need_comma[j->depth])
		fputc(',', j->f);
	j->need_comma[j->depth] = true;
	if (key) {
		put_string(j->f, key);
		fputc(':', j->f);
	}
}

static void open_container(struct nb_json *j, const char *key, char ch)
{
	member(j, key);
	fputc(ch, j->f);
	if (j->depth + 1 < NB_JSON_MAX_DEPTH)
		j->depth++;
	j->need_comma[j->depth] = false;
}

void nb_json_begin(struct nb_json *j, const char *key)
{
	open_container(j, key, '{');
}

void nb_json_end(struct nb_json *j)
{
	fputc('}', j->f);
	if (j->depth)
		j->depth--;
}

void nb_json_begin_array(struct nb_json *j, const char *key)
{
	open_container(j, key, '[');
}

void nb_json_end_array(struct nb_json *j)
{
	fputc(']', j->f);
	if (j->depth)
		j->depth--;
}

void nb_json_u64(struct nb_json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void nb_json_i64(struct nb_json *j, const char *key, int64_t v)
{
	member(j, key);
	fprintf(j->f, "%" PRId64, v);
}

void nb_json_double(struct nb_json *j, const char *key, double v)
{
	member(j, key);
	if (isfinite(v))
		fprintf(j->f, "%.9g", v);
	else
		fputs("null", j->f);
}

void nb_json_bool(struct nb_json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void nb_json_str(struct nb_json *j, const char *key, const char *s)
{
	member(j, key);
	if (s)
		put_string(j->f, s);
	else
		fputs("null", j->f);
}

void nb_json_mac(struct nb_json *j, const char *key, const uint8_t mac[6])
{
	char buf[18];

	snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	nb_json_str(j, key, buf);
}
