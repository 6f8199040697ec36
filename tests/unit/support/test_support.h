/* SPDX-License-Identifier: MIT */
/** @file test_support.h @brief Small helpers shared by the cmocka suites. */
#ifndef NB_TEST_SUPPORT_H
#define NB_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "drivers/bus/log.h"

/** Build a test Ethernet frame: dst, src, ethertype 0x88B5 (local experimental), payload
 *  bytes derived from @p seed so frames differ. @return len. */
size_t nb_test_frame(uint8_t *buf, size_t len, const uint8_t dst[6], const uint8_t src[6],
		     unsigned seed);

/** A log sink that writes to stderr only when NB_TEST_VERBOSE is set in the environment. */
extern const struct nb_log nb_test_log;

#endif
