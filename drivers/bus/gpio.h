/* SPDX-License-Identifier: MIT */
/**
 * @file gpio.h
 * @brief GPIO pins: direction, level, edge/level interrupt. One ops table per GPIO chip.
 *
 * Backends: the simulated pins of the chip models (sim/), libgpiod v1.6 and FTDI (hil/).
 * Levels are physical (true = high); drivers apply active-low themselves.
 */
#ifndef NB_BUS_GPIO_H
#define NB_BUS_GPIO_H

#include <stdbool.h>

#include "drivers/util/compiler.h"
#include "drivers/util/nb_errno.h"

enum nb_gpio_irq_mode {
	NB_GPIO_IRQ_NONE = 0,
	NB_GPIO_IRQ_RISING,
	NB_GPIO_IRQ_FALLING,
	NB_GPIO_IRQ_BOTH,
	NB_GPIO_IRQ_LEVEL_HIGH, /**< fires while high; the handler must mask or clear the cause */
	NB_GPIO_IRQ_LEVEL_LOW,
};

/** Interrupt callback; runs in interrupt context (see nb_netdev_irq()). */
typedef void (*nb_gpio_irq_fn)(void *ctx);

struct nb_gpio_ops {
	/** Make @p pin an output driving @p level, or an input (level ignored). */
	int (*set_dir)(void *ctx, unsigned pin, bool output, bool level);
	/** Drive an output pin. */
	int (*write)(void *ctx, unsigned pin, bool level);
	/** @return 0 or 1, or negative errno. */
	int (*read)(void *ctx, unsigned pin);
	/** Optional: set (mode NONE clears) the interrupt for @p pin. */
	int (*set_irq)(void *ctx, unsigned pin, enum nb_gpio_irq_mode mode, nb_gpio_irq_fn fn,
		       void *fn_ctx);
};

struct nb_gpio {
	const struct nb_gpio_ops *ops;
	void *ctx;
};

NB_MUST_CHECK static inline int nb_gpio_set_dir(const struct nb_gpio *g, unsigned pin,
						bool output, bool level)
{
	return g->ops->set_dir(g->ctx, pin, output, level);
}
NB_MUST_CHECK static inline int nb_gpio_write(const struct nb_gpio *g, unsigned pin, bool level)
{
	return g->ops->write(g->ctx, pin, level);
}
NB_MUST_CHECK static inline int nb_gpio_read(const struct nb_gpio *g, unsigned pin)
{
	return g->ops->read(g->ctx, pin);
}
NB_MUST_CHECK static inline int nb_gpio_set_irq(const struct nb_gpio *g, unsigned pin,
						enum nb_gpio_irq_mode mode, nb_gpio_irq_fn fn,
						void *fn_ctx)
{
	if (!g->ops->set_irq)
		return -NB_EOPNOTSUPP;
	return g->ops->set_irq(g->ctx, pin, mode, fn, fn_ctx);
}

#endif /* NB_BUS_GPIO_H */
