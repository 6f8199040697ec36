/* SPDX-License-Identifier: MIT */
#include "tests/unit/support/test_support.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t nb_test_frame(uint8_t *buf, size_t len, const uint8_t dst[6], const uint8_t src[6],
		     unsigned seed)
{
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = 0x88;
	buf[13] = 0xB5;
	for (size_t i = 14; i < len; i++)
		buf[i] = (uint8_t)(seed * 31u + i * 7u);
	return len;
}

static void test_log(void *ctx, enum nb_log_level level, const char *src, const char *msg,
		     int64_t a, int64_t b)
{
	(void)ctx;
	if (getenv("NB_TEST_VERBOSE"))
		fprintf(stderr, "[%d] %s: %s a=%" PRId64 " b=%" PRId64 "\n", (int)level, src, msg, a,
			b);
}

const struct nb_log nb_test_log = { .fn = test_log, .ctx = NULL, .max_level = NB_LOG_DEBUG };
