/* SPDX-License-Identifier: MIT */
/**
 * @file pinmap.h
 * @brief One GPIO chip made of the board's named pins, each forwarded to the adapter it is
 *        wired to (FTDI pin, gpiod line) — so a driver that takes one struct nb_gpio can have
 *        WL_REG_ON on an FTDI and HOST_WAKE on a Raspberry Pi line.
 *
 * A pin that is not wired accepts set_dir(input) and set_irq(NONE) (there is nothing to
 * configure) and answers everything else with -ENODEV.
 */
#ifndef NB_HIL_PINMAP_H
#define NB_HIL_PINMAP_H

#include <stdbool.h>

#include "drivers/bus/gpio.h"

/** The pins, as numbered in the struct nb_gpio handed to drivers. */
enum nb_hil_pin_id {
	NB_HIL_PIN_WL_REG_ON = 0,
	NB_HIL_PIN_HOST_WAKE,
	NB_HIL_PIN_NRST,
	NB_HIL_PIN_NINT,
	NB_HIL_PIN_MDC,
	NB_HIL_PIN_MDIO,
	NB_HIL_PINS
};

struct nb_hil_pinmap {
	struct {
		bool wired;
		struct nb_gpio gpio; /**< the adapter's chip */
		unsigned pin;        /**< the pin on it */
	} pins[NB_HIL_PINS];
};

/** Wire logical pin @p id to @p pin of @p gpio. */
void nb_hil_pinmap_set(struct nb_hil_pinmap *m, enum nb_hil_pin_id id, struct nb_gpio gpio,
		       unsigned pin);
/** The chip (valid as long as @p m). */
struct nb_gpio nb_hil_pinmap_gpio(struct nb_hil_pinmap *m);

#endif /* NB_HIL_PINMAP_H */
