/* SPDX-License-Identifier: MIT */
/* FTDI pins as nb_gpio_ops (SET/GET_BITS_LOW/HIGH) and the polled interrupt detector. */
#include <errno.h>
#include <string.h>

#include "hil/ftdi_priv.h"

static struct nb_ftdi *ftdi_of(void *ctx)
{
	return ctx;
}

/* The data-in pin of an attached function may be read and armed: on a Pico W-style wiring
 * HOST_WAKE shares it. Everything else the function owns is off limits. */
static bool readable_claimed(const struct nb_ftdi *f, unsigned pin)
{
	return pin == NB_FTDI_PIN_DI;
}

static int check_pin(struct nb_ftdi *f, unsigned pin, bool drive, const char *what)
{
	if (pin >= f->npins)
		return nb_ftdi_fail(f, -EINVAL, "ftdi gpio %s: pin %u out of range (0..%u on the %s)",
				    what, pin, f->npins - 1u, f->chip);
	if ((f->claimed & nb_ftdi_bit(pin)) && (drive || !readable_claimed(f, pin)))
		return nb_ftdi_fail(f, -EBUSY, "ftdi gpio %s: pin %u belongs to the %s function",
				    what, pin, f->fn == NB_FTDI_FN_GSPI ? "gSPI" : "MDIO");
	return 0;
}

static int send_pins(struct nb_ftdi *f, unsigned pin, const char *what)
{
	f->stats.gpio_ops++;
	nb_ftdi_q_pins(f, pin);
	return nb_ftdi_q_run(f, what);
}

static int gpio_set_dir(void *ctx, unsigned pin, bool output, bool level)
{
	struct nb_ftdi *f = ftdi_of(ctx);
	int ret = check_pin(f, pin, output, "set_dir");

	if (ret < 0)
		return ret;
	if (f->claimed & nb_ftdi_bit(pin))
		return 0; /* the function keeps DI an input already */
	nb_ftdi_shadow(f, pin, output, output && level);
	if (output)
		f->gpio_out |= nb_ftdi_bit(pin);
	else
		f->gpio_out &= (uint16_t)~nb_ftdi_bit(pin);
	return send_pins(f, pin, "gpio set_dir");
}

static int gpio_write(void *ctx, unsigned pin, bool level)
{
	struct nb_ftdi *f = ftdi_of(ctx);
	int ret = check_pin(f, pin, true, "write");

	if (ret < 0)
		return ret;
	if (!(f->gpio_out & nb_ftdi_bit(pin)))
		return nb_ftdi_fail(f, -EPERM, "ftdi gpio write: pin %u is not an output", pin);
	nb_ftdi_shadow(f, pin, true, level);
	return send_pins(f, pin, "gpio write");
}

static bool level_active(enum nb_gpio_irq_mode mode, bool level)
{
	return (mode == NB_GPIO_IRQ_LEVEL_HIGH && level) || (mode == NB_GPIO_IRQ_LEVEL_LOW && !level);
}

/* Every read of the pins feeds the edge detector, not only the poll: a driver that reads its
 * interrupt line while re-arming (the CYW43439 samples HOST_WAKE) must not hide from the next
 * poll an edge it has seen, nor make the detector miss a low it has seen between two highs. */
static void observe(struct nb_ftdi *f, uint16_t levels)
{
	for (unsigned pin = 0; pin < NB_FTDI_PINS; pin++) {
		struct nb_ftdi_irq *irq = &f->irq[pin];
		bool now = (levels & nb_ftdi_bit(pin)) != 0;

		if (!(f->armed & nb_ftdi_bit(pin)))
			continue;
		switch (irq->mode) {
		case NB_GPIO_IRQ_RISING:
			irq->pending |= now && !irq->level;
			break;
		case NB_GPIO_IRQ_FALLING:
			irq->pending |= !now && irq->level;
			break;
		case NB_GPIO_IRQ_BOTH:
			irq->pending |= now != irq->level;
			break;
		default:
			irq->pending = level_active(irq->mode, now);
			break;
		}
		irq->level = now;
	}
}

/* Read both bytes in one round trip: the poll needs them and a read of one pin is no cheaper. */
static int read_levels(struct nb_ftdi *f, uint16_t *levels, const char *what)
{
	uint8_t b[2] = { 0, 0 };
	int ret;

	nb_ftdi_q_byte(f, NB_MPSSE_GET_LOW);
	nb_ftdi_q_read(f, &b[0], 1);
	if (f->npins > 8u) {
		nb_ftdi_q_byte(f, NB_MPSSE_GET_HIGH);
		nb_ftdi_q_read(f, &b[1], 1);
	}
	ret = nb_ftdi_q_run(f, what);
	if (ret < 0)
		return ret;
	*levels = (uint16_t)(b[0] | (b[1] << 8));
	observe(f, *levels);
	return 0;
}

static int gpio_read(void *ctx, unsigned pin)
{
	struct nb_ftdi *f = ftdi_of(ctx);
	uint16_t lv;
	int ret = check_pin(f, pin, false, "read");

	if (ret < 0)
		return ret;
	f->stats.gpio_ops++;
	ret = read_levels(f, &lv, "gpio read");
	if (ret < 0)
		return ret;
	return (lv & nb_ftdi_bit(pin)) ? 1 : 0;
}

static int gpio_set_irq(void *ctx, unsigned pin, enum nb_gpio_irq_mode mode, nb_gpio_irq_fn fn,
			void *fn_ctx)
{
	struct nb_ftdi *f = ftdi_of(ctx);
	struct nb_ftdi_irq *irq;
	uint16_t lv;
	int ret = check_pin(f, pin, false, "set_irq");

	if (ret < 0)
		return ret;
	if (mode > NB_GPIO_IRQ_LEVEL_LOW || (mode != NB_GPIO_IRQ_NONE && !fn))
		return -EINVAL;
	irq = &f->irq[pin];
	if (mode == NB_GPIO_IRQ_NONE) {
		memset(irq, 0, sizeof(*irq));
		f->armed &= (uint16_t)~nb_ftdi_bit(pin);
		return 0;
	}
	/* Know the level now, so an edge between arming and the first poll is not lost and a
	 * level interrupt armed while active fires at the next poll (not inside this call). */
	f->armed &= (uint16_t)~nb_ftdi_bit(pin);
	ret = read_levels(f, &lv, "gpio set_irq");
	if (ret < 0)
		return ret;
	irq->mode = mode;
	irq->fn = fn;
	irq->ctx = fn_ctx;
	irq->level = (lv & nb_ftdi_bit(pin)) != 0;
	irq->pending = level_active(mode, irq->level);
	f->armed |= nb_ftdi_bit(pin);
	return 0;
}

int nb_ftdi_irq_poll(struct nb_ftdi *f)
{
	uint16_t lv;
	int fired = 0, ret;

	if (!f->armed)
		return 0;
	f->stats.irq_polls++;
	ret = read_levels(f, &lv, "irq poll");
	if (ret < 0)
		return ret;
	for (unsigned pin = 0; pin < NB_FTDI_PINS; pin++) {
		struct nb_ftdi_irq *irq = &f->irq[pin];

		if (!(f->armed & nb_ftdi_bit(pin)) || !irq->pending)
			continue;
		irq->pending = false;
		fired++;
		f->stats.irqs_fired++;
		/* the handler may disarm or re-arm pins (set_irq): the loop re-reads the mask */
		irq->fn(irq->ctx);
	}
	return fired;
}

bool nb_ftdi_irq_armed(const struct nb_ftdi *f)
{
	return f->armed != 0;
}

void nb_ftdi_gpio_release_all(struct nb_ftdi *f)
{
	memset(f->irq, 0, sizeof(f->irq));
	f->armed = 0;
	f->gpio_out = 0;
	memset(f->val, 0, sizeof(f->val));
	memset(f->dir, 0, sizeof(f->dir));
	nb_ftdi_q_pins(f, NB_FTDI_ADBUS(0));
	nb_ftdi_q_pins(f, NB_FTDI_ACBUS(0));
}

static const struct nb_gpio_ops ftdi_gpio_ops = {
	.set_dir = gpio_set_dir,
	.write = gpio_write,
	.read = gpio_read,
	.set_irq = gpio_set_irq,
};

struct nb_gpio nb_ftdi_gpio(struct nb_ftdi *f)
{
	struct nb_gpio g = { .ops = &ftdi_gpio_ops, .ctx = f };

	return g;
}
