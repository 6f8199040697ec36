/* SPDX-License-Identifier: MIT */
/* CLOCK_MONOTONIC behind struct nb_clock. */
#include <time.h>

#include "hil/clock.h"

static uint64_t mono_now_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NB_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static const struct nb_clock_ops mono_ops = { .now_ns = mono_now_ns };
static const struct nb_clock mono = { .ops = &mono_ops, .ctx = NULL };

const struct nb_clock *nb_hil_clock_monotonic(void)
{
	return &mono;
}
