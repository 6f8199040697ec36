/* SPDX-License-Identifier: MIT */
/**
 * @file conf.h
 * @brief Schema layer over libyaml's document API: typed, table-driven parsing of YAML
 *        mappings with exact error positions.
 *
 * A schema is a table of struct nb_field (key, kind, where the value goes, required or not,
 * range, names). nb_conf_parse_map() fills a C struct from a YAML mapping with it: every key
 * must be in the table (unknown keys are errors), required keys must be present, absent
 * optional keys leave the struct as the caller initialised it (that is how defaults are
 * given), and every value is checked for type and range. Nested mappings (NB_FIELD_MAP),
 * a choice between kinds (NB_FIELD_ONEOF: `{tap: {...}}` or a bare `none`) and lists of
 * mappings (NB_FIELD_LIST) are fields like any other, so a new section is a new table.
 *
 * Errors: the first one is kept as "file:line:column: what was expected" (1-based, the
 * position of the offending node) in nb_conf.err; parsing stops there and returns -EINVAL.
 * Strings handed out point into the loaded document and live until nb_conf_free().
 */
#ifndef NB_PROG_CONF_H
#define NB_PROG_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

struct nb_conf {
	const char *path;   /**< as given; used in messages */
	yaml_document_t doc;
	bool loaded;
	char err[768];      /**< first error, "" when none */
};

/** A name for an NB_FIELD_ENUM / NB_FIELD_FLAGS value. Tables end with name NULL. */
struct nb_conf_name {
	const char *name;
	uint32_t value;
};

struct nb_field;

/** One choice of an NB_FIELD_ONEOF field. Tables end with name NULL. */
struct nb_conf_choice {
	const char *name;
	int value;                     /**< stored in the field's int */
	const struct nb_field *fields; /**< NULL: the bare scalar form only (`far: none`) */
	size_t offset;                 /**< the choice's struct, from the ONEOF field's struct */
};

enum nb_field_kind {
	NB_FIELD_UINT,        /**< unsigned integer (decimal or 0x), size 1/2/4/8, min..max */
	NB_FIELD_BOOL,        /**< true | false */
	NB_FIELD_STRING,      /**< const char *, non-empty, at most max bytes when max > 0 */
	NB_FIELD_DURATION,    /**< uint64_t ns from "10s", "1.5s", "500ms", "20us", "100ns" */
	NB_FIELD_MAC,         /**< uint8_t[6] from "02:00:00:00:00:01"; min=1: unicast only */
	NB_FIELD_ENUM,        /**< uint32_t (or int) from one of names */
	NB_FIELD_FLAGS,       /**< uint32_t: OR of the names in a sequence */
	NB_FIELD_IPV4_PREFIX, /**< struct nb_conf_ipv4 from "10.0.0.1/24" */
	NB_FIELD_MAP,         /**< nested mapping parsed with fields, base = base + offset */
	NB_FIELD_ONEOF,       /**< mapping with exactly one key from choices, or a bare name;
			       *   offset locates a struct starting with `int kind` */
	NB_FIELD_LIST,        /**< sequence of mappings, each parsed with fields */
	NB_FIELD_CUSTOM,      /**< parsed by the field's parse callback */
};

struct nb_conf_ipv4 {
	uint8_t addr[4];
	uint8_t prefix_len;
};

/**
 * Item check after a mapping has been parsed (NB_FIELD_MAP, NB_FIELD_LIST items, the top
 * level): cross-field rules. Report with nb_conf_error() on @p node.
 */
typedef int (*nb_conf_check_fn)(struct nb_conf *c, const yaml_node_t *node, void *obj);

/** NB_FIELD_CUSTOM parser: fill @p base from @p node, report errors with nb_conf_error(). */
typedef int (*nb_conf_parse_fn)(struct nb_conf *c, yaml_node_t *node, void *base,
				const struct nb_field *f);

struct nb_field {
	const char *key;
	enum nb_field_kind kind;
	size_t offset;        /**< value's offset from the base struct */
	size_t size;          /**< UINT: bytes of the target; LIST: bytes of one element */
	bool required;
	bool has_present;     /**< set the bool at present_offset when the key is there */
	size_t present_offset;
	uint64_t min, max;    /**< UINT range; DURATION range (ns, max 0 = none); STRING max
			       *   length; LIST max count; MAC min=1: unicast only */
	const struct nb_conf_name *names;      /**< ENUM, FLAGS */
	const struct nb_conf_choice *choices;  /**< ONEOF */
	const struct nb_field *fields;         /**< MAP, LIST */
	size_t count_offset;                   /**< LIST: unsigned count, from the base */
	nb_conf_check_fn check;                /**< MAP, LIST: per item */
	nb_conf_parse_fn parse;                /**< CUSTOM */
	const char *what;     /**< optional words for messages ("an MDIO access method") */
};

/** A group of fields and the struct they fill; arrays end with fields NULL. */
struct nb_conf_part {
	const struct nb_field *fields;
	void *base;
};

/**
 * Load and compose the YAML document at @p path.
 * @retval 0 loaded. @retval -EINVAL syntax error or empty file (c->err says where).
 * @retval other negative errno: the file could not be read (c->err names it).
 */
int nb_conf_load(struct nb_conf *c, const char *path);
/** Free the document; accepts a never-loaded or already freed conf. */
void nb_conf_free(struct nb_conf *c);
/** The document's root node (NULL when empty). */
yaml_node_t *nb_conf_root(struct nb_conf *c);

/**
 * Fill the structs of @p parts from the mapping @p node. @p what names the mapping in
 * messages ("device", "the scenario"). Keys are looked up in every part in order.
 * @retval 0 or -EINVAL (c->err set).
 */
int nb_conf_parse_map(struct nb_conf *c, yaml_node_t *node, const char *what,
		      const struct nb_conf_part *parts);

/** Record an error at @p node (the first one wins). @return -EINVAL. */
int nb_conf_error(struct nb_conf *c, const yaml_node_t *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** "file:line:column" of @p node into @p buf. */
void nb_conf_where(const struct nb_conf *c, const yaml_node_t *node, char *buf, size_t len);

/** Value node of @p key in mapping @p map, or NULL (also when @p map is not a mapping). */
yaml_node_t *nb_conf_find(struct nb_conf *c, yaml_node_t *map, const char *key);

/* Scalar converters, also for callers with their own rules. Each reports its own error. */
int nb_conf_duration(struct nb_conf *c, yaml_node_t *n, const char *key, uint64_t *ns);
int nb_conf_uint(struct nb_conf *c, yaml_node_t *n, const char *key, uint64_t min,
		 uint64_t max, uint64_t *out);
/** One of @p names; @p what (optional) describes the value in messages. */
int nb_conf_enum(struct nb_conf *c, yaml_node_t *n, const char *key,
		 const struct nb_conf_name *names, const char *what, uint32_t *out);
/** Parse "aa:bb:cc:dd:ee:ff" (no YAML involved). @return 0 or -EINVAL. */
int nb_parse_mac(const char *s, uint8_t mac[6]);
/** Parse "10s", "1.5ms", ... into ns. @return 0, -EINVAL (syntax), -ERANGE. */
int nb_parse_duration(const char *s, uint64_t *ns);

#endif /* NB_PROG_CONF_H */
