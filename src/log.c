/* SPDX-License-Identifier: MIT */
#include "src/log.h"

#include <inttypes.h>

static const char *const level_names[] = {
	[NB_LOG_ERR] = "error",
	[NB_LOG_WARN] = "warning",
	[NB_LOG_INFO] = "info",
	[NB_LOG_DEBUG] = "debug",
};

static void prefix(const struct nb_logger *lg, enum nb_log_level level, const char *src)
{
	if (lg->clock) {
		uint64_t t = nb_clock_now(lg->clock);

		fprintf(lg->out, "[%4" PRIu64 ".%06" PRIu64 "] ", (uint64_t)(t / NB_NS_PER_S),
			(uint64_t)((t % NB_NS_PER_S) / NB_NS_PER_US));
	}
	fprintf(lg->out, "%s: %s: ", src ? src : "netbench",
		(unsigned)level <= NB_LOG_DEBUG ? level_names[level] : "?");
}

static void put_int(FILE *out, const char *name, int64_t v)
{
	if (v < 0)
		fprintf(out, " %s=%" PRId64, name, v);
	else
		fprintf(out, " %s=0x%" PRIx64, name, (uint64_t)v);
}

static void log_sink(void *ctx, enum nb_log_level level, const char *src, const char *msg,
		     int64_t a, int64_t b)
{
	const struct nb_logger *lg = ctx;

	prefix(lg, level, src);
	fputs(msg, lg->out);
	put_int(lg->out, "a", a);
	put_int(lg->out, "b", b);
	fputc('\n', lg->out);
}

void nb_logger_init(struct nb_logger *lg, FILE *out, enum nb_log_level level)
{
	lg->out = out;
	lg->level = level;
	lg->clock = NULL;
	lg->log.fn = log_sink;
	lg->log.ctx = lg;
	lg->log.max_level = level;
}

void nb_logger_set_clock(struct nb_logger *lg, const struct nb_clock *clock)
{
	lg->clock = clock;
}

void nb_logf(const struct nb_logger *lg, enum nb_log_level level, const char *src,
	     const char *fmt, ...)
{
	va_list ap;

	if (!lg || level > lg->level)
		return;
	prefix(lg, level, src);
	va_start(ap, fmt);
	vfprintf(lg->out, fmt, ap);
	va_end(ap);
	fputc('\n', lg->out);
}
