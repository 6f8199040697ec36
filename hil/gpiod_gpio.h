/* SPDX-License-Identifier: MIT */
/**
 * @file gpiod_gpio.h
 * @brief GPIO lines of a Linux GPIO chip through libgpiod v1.6, with real edge interrupts.
 *
 * Pins are line offsets of one chip. A line is requested from the kernel the first time it
 * is used (set_dir, read, set_irq), under the consumer name given (shown by gpioinfo):
 * set_dir(output) → gpiod_line_request_output(), set_dir(input) → request_input(); a later
 * direction change uses gpiod_line_set_direction_output/input() without releasing the line.
 *
 * Interrupts: set_irq() re-requests the line for edge events (rising, falling or both; the
 * level modes use both edges) and the kernel timestamps every edge. Each armed line has an
 * event file descriptor; nb_gpiod_fds() lists them plus one descriptor of the backend's own
 * (for level interrupts armed while already active, which must fire without an edge). The run
 * loop watches them for readability and calls nb_gpiod_dispatch(), which reads the events and
 * calls the handlers there (the "interrupt context" of drivers/bus/gpio.h). An edge that
 * arrives while the handler runs is kept by the kernel and dispatched on the next call.
 * set_irq(NONE) releases the event request and takes the line back as an input.
 *
 * Errors: open(): -ENODEV no such chip (looked up as a path, a name "gpiochip0", a label
 * "pinctrl-bcm2711" and a number, in that order), -EACCES permission. Line requests: -EBUSY
 * when another consumer holds the line (the message names it), -EINVAL offset out of range,
 * -EIO other failures. Every failure leaves one line in nb_gpiod_last_error() and the log.
 *
 * Context: not thread-safe; one run loop owns a struct nb_gpiod.
 */
#ifndef NB_HIL_GPIOD_GPIO_H
#define NB_HIL_GPIOD_GPIO_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/gpio.h"
#include "drivers/bus/log.h"

struct nb_gpiod_cfg {
	const char *chip;      /**< path, name, label or number (required; copied) */
	const char *consumer;  /**< request label; NULL = "netbench" (copied) */
	struct nb_log log;
};

struct nb_gpiod_stats {
	uint64_t requests;     /**< line requests made */
	uint64_t events;       /**< edge events read */
	uint64_t irqs_fired;   /**< handler calls */
	uint64_t errors;
};

struct nb_gpiod;

/** @retval 0, -EINVAL (no chip given), -ENODEV, -EACCES, -EIO, -ENOMEM. */
int nb_gpiod_open(const struct nb_gpiod_cfg *cfg, struct nb_gpiod **out, char *err,
		  size_t errlen);
/** Release every line and close the chip. Accepts NULL. */
void nb_gpiod_close(struct nb_gpiod *g);
struct nb_gpio nb_gpiod_gpio(struct nb_gpiod *g);
/** Number of lines of the chip. */
unsigned nb_gpiod_lines(const struct nb_gpiod *g);

/** File descriptors the run loop watches for readability (at most @p cap written).
 *  @return how many there are (may exceed @p cap). They change with set_irq(). */
unsigned nb_gpiod_fds(const struct nb_gpiod *g, int *fds, unsigned cap);
/** Read every pending event and call the handlers. @return handlers called, or -EIO. */
int nb_gpiod_dispatch(struct nb_gpiod *g);

const char *nb_gpiod_last_error(const struct nb_gpiod *g);
const struct nb_gpiod_stats *nb_gpiod_stats(const struct nb_gpiod *g);

#endif /* NB_HIL_GPIOD_GPIO_H */
