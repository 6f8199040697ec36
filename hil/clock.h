/* SPDX-License-Identifier: MIT */
/**
 * @file clock.h
 * @brief The host's monotonic clock as a struct nb_clock, for drivers talking to real chips
 *        when no other clock (a real-time simulation clock) is given.
 */
#ifndef NB_HIL_CLOCK_H
#define NB_HIL_CLOCK_H

#include "drivers/bus/clock.h"

/** CLOCK_MONOTONIC in ns; stateless, valid for the whole program. */
const struct nb_clock *nb_hil_clock_monotonic(void);

#endif /* NB_HIL_CLOCK_H */
