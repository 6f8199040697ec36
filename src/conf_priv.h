/* SPDX-License-Identifier: MIT */
/* Internal to the schema layer (conf.c, conf_scalar.c). */
#ifndef NB_PROG_CONF_PRIV_H
#define NB_PROG_CONF_PRIV_H

#include "src/conf.h"

#define NB_CONF_DESCRIBE_MAX 40

/** Text of a scalar node, NULL for anything else. */
const char *nb_conf_text(const yaml_node_t *n);
/** How a node looks, for "got ..." in messages. */
const char *nb_conf_describe(const yaml_node_t *n, char *buf, size_t len);
/** Report "expected WHAT for 'KEY', got ..." at @p n. @return -EINVAL. */
int nb_conf_expected(struct nb_conf *c, const yaml_node_t *n, const char *key, const char *what);

int nb_conf_store_uint(void *dst, size_t size, uint64_t v);
int nb_conf_field_enum(struct nb_conf *c, yaml_node_t *n, const struct nb_field *f, void *dst);
int nb_conf_field_flags(struct nb_conf *c, yaml_node_t *n, const struct nb_field *f, void *dst);
int nb_conf_field_ipv4(struct nb_conf *c, yaml_node_t *n, const struct nb_field *f, void *dst);

#endif /* NB_PROG_CONF_PRIV_H */
