/* SPDX-License-Identifier: MIT */
/**
 * @file json.h
 * @brief Minimal streaming JSON writer (status lines, reports). No parsing.
 *
 * Members are written in call order; the writer tracks nesting and commas. A NULL key writes
 * a bare value (array elements, the top-level object). Strings are escaped.
 */
#ifndef NB_PROG_JSON_H
#define NB_PROG_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define NB_JSON_MAX_DEPTH 16

struct nb_json {
	FILE *f;
	unsigned depth;
	bool need_comma[NB_JSON_MAX_DEPTH];
};

void nb_json_init(struct nb_json *j, FILE *f);
void nb_json_begin(struct nb_json *j, const char *key);  /**< '{' */
void nb_json_end(struct nb_json *j);                     /**< '}' */
void nb_json_begin_array(struct nb_json *j, const char *key);
void nb_json_end_array(struct nb_json *j);
void nb_json_u64(struct nb_json *j, const char *key, uint64_t v);
void nb_json_i64(struct nb_json *j, const char *key, int64_t v);
void nb_json_double(struct nb_json *j, const char *key, double v);
void nb_json_bool(struct nb_json *j, const char *key, bool v);
void nb_json_str(struct nb_json *j, const char *key, const char *s); /**< NULL writes null */
/** "02:00:00:00:00:01" */
void nb_json_mac(struct nb_json *j, const char *key, const uint8_t mac[6]);

#endif /* NB_PROG_JSON_H */
