/* SPDX-License-Identifier: MIT */
/**
 * @file board_priv.h
 * @brief Inside of the board file parser: the schema table entry and the value parsers
 *        (board_values.c) the tables in board.c point at.
 */
#ifndef NB_HIL_BOARD_PRIV_H
#define NB_HIL_BOARD_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hil/board.h"
#include "hil/yaml_doc.h"

struct nb_board_ctx {
	struct nb_ydoc *d;
	struct nb_hil_board *b;
	char dir[NB_HIL_PATH_MAX]; /**< the board file's directory, "" for the cwd */
};

struct nb_board_field;
typedef int (*nb_board_parse_fn)(struct nb_board_ctx *c, const struct nb_ynode *v,
				 const struct nb_board_field *f, void *dst);

struct nb_board_field {
	const char *key;
	nb_board_parse_fn parse;
	size_t off;  /**< destination, from the board struct */
	size_t size; /**< strings: buffer size; uints: width in bytes */
	uint64_t min, max;
	bool required;
	size_t loc_off;			  /**< where to note the value's position (0: nowhere) */
	size_t set_off;			  /**< a bool to set when the key is there (0: none) */
	const char *what;		  /**< words for messages */
	const struct nb_board_field *sub; /**< nested mapping */
	size_t nsub;
};

#define OFF(s, m) offsetof(s, m)

/* Value parsers: each checks one scalar and stores it at @p dst (see struct nb_board_field). */
int nb_board_p_string(struct nb_board_ctx *c, const struct nb_ynode *v,
		      const struct nb_board_field *f, void *dst);
int nb_board_p_path(struct nb_board_ctx *c, const struct nb_ynode *v,
		    const struct nb_board_field *f, void *dst);
int nb_board_p_uint(struct nb_board_ctx *c, const struct nb_ynode *v,
		    const struct nb_board_field *f, void *dst);
int nb_board_p_bool(struct nb_board_ctx *c, const struct nb_ynode *v,
		    const struct nb_board_field *f, void *dst);
int nb_board_p_freq(struct nb_board_ctx *c, const struct nb_ynode *v,
		    const struct nb_board_field *f, void *dst);
int nb_board_p_duration(struct nb_board_ctx *c, const struct nb_ynode *v,
			const struct nb_board_field *f, void *dst);
int nb_board_p_mac(struct nb_board_ctx *c, const struct nb_ynode *v, const struct nb_board_field *f,
		   void *dst);
int nb_board_p_pin(struct nb_board_ctx *c, const struct nb_ynode *v, const struct nb_board_field *f,
		   void *dst);
int nb_board_p_cs(struct nb_board_ctx *c, const struct nb_ynode *v, const struct nb_board_field *f,
		  void *dst);
int nb_board_p_channel(struct nb_board_ctx *c, const struct nb_ynode *v,
		       const struct nb_board_field *f, void *dst);
int nb_board_p_country(struct nb_board_ctx *c, const struct nb_ynode *v,
		       const struct nb_board_field *f, void *dst);
int nb_board_p_chip(struct nb_board_ctx *c, const struct nb_ynode *v,
		    const struct nb_board_field *f, void *dst);
int nb_board_p_gspi_via(struct nb_board_ctx *c, const struct nb_ynode *v,
			const struct nb_board_field *f, void *dst);
int nb_board_p_mdio_via(struct nb_board_ctx *c, const struct nb_ynode *v,
			const struct nb_board_field *f, void *dst);

#endif /* NB_HIL_BOARD_PRIV_H */
