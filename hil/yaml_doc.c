/* SPDX-License-Identifier: MIT */
/* libyaml's document API behind a small node interface with positions. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "hil/yaml_doc.h"

struct nb_ydoc {
	yaml_document_t doc;
	char name[NB_HIL_PATH_MAX];
	char err[768];
};

/* struct nb_ynode is never defined: the opaque pointers are yaml_node_t pointers */
static const yaml_node_t *yn(const struct nb_ynode *n)
{
	return (const yaml_node_t *)(const void *)n;
}

static const struct nb_ynode *wrap(const yaml_node_t *n)
{
	return (const struct nb_ynode *)(const void *)n;
}

int nb_ydoc_error(struct nb_ydoc *d, const struct nb_ynode *n, const char *fmt, ...)
{
	struct nb_hil_loc at = nb_ynode_loc(n);
	va_list ap;
	int k;

	if (d->err[0])
		return -EINVAL;
	k = snprintf(d->err, sizeof(d->err), "%s:%u:%u: ", d->name, at.line ? at.line : 1,
		     at.col ? at.col : 1);
	if (k < 0 || (size_t)k >= sizeof(d->err))
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(d->err + k, sizeof(d->err) - (size_t)k, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int nb_ydoc_parse(const char *text, size_t len, const char *name, struct nb_ydoc **out,
		  char *err, size_t errlen)
{
	yaml_parser_t p;
	struct nb_ydoc *d = calloc(1, sizeof(*d));
	int ret = 0;

	*out = NULL;
	if (!d) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -ENOMEM;
	}
	snprintf(d->name, sizeof(d->name), "%s", name);
	if (!yaml_parser_initialize(&p)) {
		snprintf(err, errlen, "%s: out of memory", name);
		free(d);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &d->doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: %s%s%s", name, p.problem_mark.line + 1,
			 p.problem_mark.column + 1, p.problem ? p.problem : "YAML syntax error",
			 p.context ? " " : "", p.context ? p.context : "");
		yaml_parser_delete(&p);
		free(d);
		return -EINVAL;
	}
	yaml_parser_delete(&p);
	if (!yaml_document_get_root_node(&d->doc)) {
		snprintf(err, errlen, "%s:1:1: the file is empty (expected a board description)",
			 name);
		ret = -EINVAL;
		yaml_document_delete(&d->doc);
		free(d);
		return ret;
	}
	*out = d;
	return 0;
}

void nb_ydoc_free(struct nb_ydoc *d)
{
	if (!d)
		return;
	yaml_document_delete(&d->doc);
	free(d);
}

const struct nb_ynode *nb_ydoc_root(const struct nb_ydoc *d)
{
	return wrap(yaml_document_get_root_node((yaml_document_t *)&d->doc));
}

bool nb_ynode_is_map(const struct nb_ynode *n)
{
	return n && yn(n)->type == YAML_MAPPING_NODE;
}

bool nb_ynode_is_scalar(const struct nb_ynode *n)
{
	return n && yn(n)->type == YAML_SCALAR_NODE;
}

const char *nb_ynode_text(const struct nb_ynode *n)
{
	return nb_ynode_is_scalar(n) ? (const char *)yn(n)->data.scalar.value : NULL;
}

size_t nb_ynode_map_len(const struct nb_ynode *n)
{
	if (!nb_ynode_is_map(n))
		return 0;
	return (size_t)(yn(n)->data.mapping.pairs.top - yn(n)->data.mapping.pairs.start);
}

const struct nb_ynode *nb_ynode_map_key(const struct nb_ydoc *d, const struct nb_ynode *n,
					size_t i)
{
	return wrap(yaml_document_get_node((yaml_document_t *)&d->doc,
					   yn(n)->data.mapping.pairs.start[i].key));
}

const struct nb_ynode *nb_ynode_map_value(const struct nb_ydoc *d, const struct nb_ynode *n,
					  size_t i)
{
	return wrap(yaml_document_get_node((yaml_document_t *)&d->doc,
					   yn(n)->data.mapping.pairs.start[i].value));
}

struct nb_hil_loc nb_ynode_loc(const struct nb_ynode *n)
{
	struct nb_hil_loc l = { 1, 1 };

	if (n) {
		l.line = (unsigned)yn(n)->start_mark.line + 1;
		l.col = (unsigned)yn(n)->start_mark.column + 1;
	}
	return l;
}

const char *nb_ydoc_errmsg(const struct nb_ydoc *d)
{
	return d->err;
}

const char *nb_ydoc_name(const struct nb_ydoc *d)
{
	return d->name;
}
