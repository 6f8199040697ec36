/* SPDX-License-Identifier: MIT */
/**
 * @file control.h
 * @brief The control socket: a Unix stream socket that takes line commands while a run goes.
 *
 * Each received line (up to 1023 bytes, '\n'-terminated, an optional '\r' is ignored) is
 * handed to the command handler, which writes its reply (one or more complete lines) to a
 * stream; replies go back in order. Several clients may be connected at once. A stale
 * socket file (nobody listening) is replaced; a live one is an error. The file is removed
 * when the socket closes. Runs in the loop's context.
 */
#ifndef NB_PROG_CONTROL_H
#define NB_PROG_CONTROL_H

#include <stddef.h>
#include <stdio.h>

struct nb_loop;
struct nb_control;

/** Handle one command line (without the newline); write the reply to @p reply. */
typedef void (*nb_control_fn)(void *ctx, const char *line, FILE *reply);

struct nb_control *nb_control_open(struct nb_loop *loop, const char *path, nb_control_fn fn,
				   void *ctx, char *err, size_t len);
/** Close all clients and the socket, remove the file. Accepts NULL. */
void nb_control_close(struct nb_control *c);

#endif /* NB_PROG_CONTROL_H */
