/* SPDX-License-Identifier: MIT */
/**
 * @file log.h
 * @brief Injected logging for freestanding code: no printf in drivers.
 *
 * A driver passes a static message and up to two integers; the host side formats them (the
 * netbench log prints "msg a=0x.. b=0x.."). A NULL sink or NULL fn discards everything, so
 * logging costs one branch when off. Never call from interrupt context.
 */
#ifndef NB_BUS_LOG_H
#define NB_BUS_LOG_H

#include <stdint.h>

enum nb_log_level {
	NB_LOG_ERR = 0,
	NB_LOG_WARN = 1,
	NB_LOG_INFO = 2,
	NB_LOG_DEBUG = 3,
};

/** @p src names the emitting module ("lan8720", "cyw43.sdpcm"); @p msg is a static string. */
typedef void (*nb_log_fn)(void *ctx, enum nb_log_level level, const char *src, const char *msg,
			  int64_t a, int64_t b);

struct nb_log {
	nb_log_fn fn;
	void *ctx;
	enum nb_log_level max_level; /**< messages above this level are not emitted */
};

static inline void nb_log(const struct nb_log *log, enum nb_log_level level, const char *src,
			  const char *msg, int64_t a, int64_t b)
{
	if (log && log->fn && level <= log->max_level)
		log->fn(log->ctx, level, src, msg, a, b);
}

#endif /* NB_BUS_LOG_H */
