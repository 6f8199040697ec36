/* SPDX-License-Identifier: MIT */
/**
 * @file gpiod_emu.h
 * @brief A Linux GPIO chip as libgpiod v1.6 presents it, for the gpiod backend tests.
 *
 * The test executable links with -Wl,--wrap=gpiod_<fn> for every libgpiod function the
 * backend calls. One emulated chip (name, label, number, line count); its lines are wired to
 * model pins: a host-driven line (WL_REG_ON, nRST, MDC, MDIO) follows output requests and
 * values and reads the far side's level as an input, a
 * chip-driven line (HOST_WAKE, nINT) reports the model's level and, once requested for edge
 * events, queues a timestamped event on every change and makes its event descriptor (a real
 * eventfd) readable, as the kernel's line handle does. Requests follow the kernel's rules:
 * a line another consumer holds is EBUSY, one line cannot be requested twice, values are only
 * set on outputs. Driving a chip-driven line is recorded as a protocol error (contention).
 */
#ifndef NB_TEST_GPIOD_EMU_H
#define NB_TEST_GPIOD_EMU_H

#include <stdbool.h>

#include "drivers/bus/gpio.h"

#define EMU_GPIOD_LINES 32u

struct emu_gpiod_state {
	unsigned requests, releases, events_queued, events_read;
	unsigned protocol_errors;
	char last_error[256];
};

/** Fresh chip "gpiochip3", label "emu-gpio", number 3, 32 lines, nothing wired. */
void emu_gpiod_reset(void);
/** Line @p offset wired to @p model_pin of @p g (see above). */
void emu_gpiod_connect(unsigned offset, struct nb_gpio g, unsigned model_pin, bool host_drives);
/** Mark @p offset as held by another program (@p consumer). */
void emu_gpiod_hold(unsigned offset, const char *consumer);
/** Permission denied when opening the chip. */
void emu_gpiod_deny(bool deny);
const struct emu_gpiod_state *emu_gpiod_state(void);

#endif
