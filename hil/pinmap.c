/* SPDX-License-Identifier: MIT */
/* Named board pins forwarded to the adapters they are wired to. */
#include <errno.h>

#include "hil/pinmap.h"

static struct nb_hil_pinmap *map_of(void *ctx)
{
	return ctx;
}

static int route(struct nb_hil_pinmap *m, unsigned id, const struct nb_gpio **g, unsigned *pin)
{
	if (id >= NB_HIL_PINS)
		return -EINVAL;
	if (!m->pins[id].wired)
		return -ENODEV;
	*g = &m->pins[id].gpio;
	*pin = m->pins[id].pin;
	return 0;
}

static int map_set_dir(void *ctx, unsigned id, bool output, bool level)
{
	const struct nb_gpio *g;
	unsigned pin;
	int r = route(map_of(ctx), id, &g, &pin);

	if (r == -ENODEV && !output)
		return 0;
	return r < 0 ? r : nb_gpio_set_dir(g, pin, output, level);
}

static int map_write(void *ctx, unsigned id, bool level)
{
	const struct nb_gpio *g;
	unsigned pin;
	int r = route(map_of(ctx), id, &g, &pin);

	return r < 0 ? r : nb_gpio_write(g, pin, level);
}

static int map_read(void *ctx, unsigned id)
{
	const struct nb_gpio *g;
	unsigned pin;
	int r = route(map_of(ctx), id, &g, &pin);

	return r < 0 ? r : nb_gpio_read(g, pin);
}

static int map_set_irq(void *ctx, unsigned id, enum nb_gpio_irq_mode mode, nb_gpio_irq_fn fn,
		       void *fn_ctx)
{
	const struct nb_gpio *g;
	unsigned pin;
	int r = route(map_of(ctx), id, &g, &pin);

	if (r == -ENODEV && mode == NB_GPIO_IRQ_NONE)
		return 0;
	return r < 0 ? r : nb_gpio_set_irq(g, pin, mode, fn, fn_ctx);
}

static const struct nb_gpio_ops pinmap_ops = {
	.set_dir = map_set_dir,
	.write = map_write,
	.read = map_read,
	.set_irq = map_set_irq,
};

void nb_hil_pinmap_set(struct nb_hil_pinmap *m, enum nb_hil_pin_id id, struct nb_gpio gpio,
		       unsigned pin)
{
	m->pins[id].wired = true;
	m->pins[id].gpio = gpio;
	m->pins[id].pin = pin;
}

struct nb_gpio nb_hil_pinmap_gpio(struct nb_hil_pinmap *m)
{
	struct nb_gpio g = { .ops = &pinmap_ops, .ctx = m };

	return g;
}
