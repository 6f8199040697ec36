/* SPDX-License-Identifier: MIT */
/**
 * @file log.h
 * @brief The program's struct nb_log sink: one line per message on a stdio stream.
 *
 * Line format: "[  12.345678] src: level: msg a=0x.. b=0x..", the time being the simulation
 * clock in seconds (wall time before a clock exists). Negative integers print in decimal
 * (errno values). Not for interrupt context (see drivers/bus/log.h).
 */
#ifndef NB_PROG_LOG_H
#define NB_PROG_LOG_H

#include <stdarg.h>
#include <stdio.h>

#include "drivers/bus/clock.h"
#include "drivers/bus/log.h"

struct nb_logger {
	FILE *out;                   /**< borrowed; stderr in the program */
	enum nb_log_level level;     /**< messages above this level are dropped */
	const struct nb_clock *clock; /**< optional time stamp source, borrowed */
	struct nb_log log;           /**< hand this to drivers and models */
};

/** Set up @p lg writing to @p out at @p level; lg->log then points back at @p lg. */
void nb_logger_init(struct nb_logger *lg, FILE *out, enum nb_log_level level);
/** Time-stamp later lines with @p clock (NULL: no time stamp). */
void nb_logger_set_clock(struct nb_logger *lg, const struct nb_clock *clock);
/** printf-style line from host code, same format as driver messages. */
void nb_logf(const struct nb_logger *lg, enum nb_log_level level, const char *src,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif /* NB_PROG_LOG_H */
