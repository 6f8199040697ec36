/* SPDX-License-Identifier: MIT */
/**
 * @file yaml_doc.h
 * @brief A composed YAML document (libyaml) with positions, for the board file parser: the
 *        one place hil/ touches libyaml.
 *
 * Nodes are handed out as opaque pointers valid until nb_ydoc_free(). Errors are kept as
 * "name:line:column: message" (1-based, the position of the node); the first one wins.
 */
#ifndef NB_HIL_YAML_DOC_H
#define NB_HIL_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "hil/board.h"

struct nb_ydoc;
struct nb_ynode;

/** Parse @p len bytes of @p text; @p name stands for the file in messages.
 *  @retval 0 *out set. @retval -EINVAL syntax error or empty document (@p err says where).
 *  @retval -ENOMEM. */
int nb_ydoc_parse(const char *text, size_t len, const char *name, struct nb_ydoc **out,
		  char *err, size_t errlen);
void nb_ydoc_free(struct nb_ydoc *d);

const struct nb_ynode *nb_ydoc_root(const struct nb_ydoc *d);
bool nb_ynode_is_map(const struct nb_ynode *n);
bool nb_ynode_is_scalar(const struct nb_ynode *n);
/** Scalar text (NUL-terminated), or NULL for other nodes. */
const char *nb_ynode_text(const struct nb_ynode *n);
/** Pairs of a mapping (0 for other nodes). */
size_t nb_ynode_map_len(const struct nb_ynode *n);
/** Key node / value node of pair @p i of mapping @p n. */
const struct nb_ynode *nb_ynode_map_key(const struct nb_ydoc *d, const struct nb_ynode *n,
					size_t i);
const struct nb_ynode *nb_ynode_map_value(const struct nb_ydoc *d, const struct nb_ynode *n,
					  size_t i);
struct nb_hil_loc nb_ynode_loc(const struct nb_ynode *n);

/** Record an error at @p n (NULL: the document start); the first one is kept.
 *  @return -EINVAL. */
int nb_ydoc_error(struct nb_ydoc *d, const struct nb_ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** The first error ("" when none). */
const char *nb_ydoc_errmsg(const struct nb_ydoc *d);
const char *nb_ydoc_name(const struct nb_ydoc *d);

#endif /* NB_HIL_YAML_DOC_H */
