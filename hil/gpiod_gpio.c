/* SPDX-License-Identifier: MIT */
/* Linux GPIO lines through libgpiod v1.6: requests, values, edge events for the run loop. */
#include <ctype.h>
#include <errno.h>
#include <gpiod.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "hil/gpiod_gpio.h"

enum req { REQ_NONE = 0, REQ_IN, REQ_OUT, REQ_EVENTS };

struct line {
	struct gpiod_line *l;   /**< owned by the chip */
	enum req req;
	enum nb_gpio_irq_mode edges;  /**< RISING, FALLING or BOTH: what the kernel reports */
	enum nb_gpio_irq_mode mode;
	nb_gpio_irq_fn fn;
	void *ctx;
	bool kick;              /**< level interrupt armed while active: fire at next dispatch */
};

struct nb_gpiod {
	struct gpiod_chip *chip;
	struct nb_gpiod_cfg cfg;
	char chip_name[64], consumer[64];
	unsigned nlines;
	struct line *lines;
	int kick_fd;            /**< eventfd: a kick is waiting */
	struct nb_gpiod_stats stats;
	char err[256];
};

static int fail(struct nb_gpiod *g, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct nb_gpiod *g, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g->err, sizeof(g->err), fmt, ap);
	va_end(ap);
	g->stats.errors++;
	nb_log(&g->cfg.log, NB_LOG_ERR, "hil.gpiod", g->err, err, 0);
	return err;
}

static struct nb_gpiod *gpiod_of(void *ctx)
{
	return ctx;
}

static int line_of(struct nb_gpiod *g, unsigned pin, struct line **out, const char *what)
{
	struct line *ln;

	if (pin >= g->nlines)
		return fail(g, -EINVAL, "%s line %u %s: the chip has %u lines", g->chip_name, pin,
			    what, g->nlines);
	ln = &g->lines[pin];
	if (!ln->l) {
		ln->l = gpiod_chip_get_line(g->chip, pin);
		if (!ln->l)
			return fail(g, -EIO, "%s line %u: gpiod_chip_get_line: %s", g->chip_name,
				    pin, strerror(errno));
	}
	*out = ln;
	return 0;
}

/* One message for every refused request, naming who holds a busy line. */
static int request_failed(struct nb_gpiod *g, unsigned pin, struct line *ln, const char *what)
{
	int e = errno;

	if (e == EBUSY) {
		const char *who = gpiod_line_consumer(ln->l);

		return fail(g, -EBUSY, "%s line %u: %s: busy (held by '%s')", g->chip_name, pin,
			    what, who ? who : "another consumer");
	}
	if (e == EACCES || e == EPERM)
		return fail(g, -EACCES, "%s line %u: %s: %s", g->chip_name, pin, what, strerror(e));
	return fail(g, -EIO, "%s line %u: %s: %s", g->chip_name, pin, what, strerror(e));
}

static void release(struct line *ln)
{
	if (ln->req != REQ_NONE)
		gpiod_line_release(ln->l);
	ln->req = REQ_NONE;
}

static int gpio_set_dir(void *ctx, unsigned pin, bool output, bool level)
{
	struct nb_gpiod *g = gpiod_of(ctx);
	struct line *ln;
	int r = line_of(g, pin, &ln, "set_dir");

	if (r < 0)
		return r;
	if (output && ln->req == REQ_EVENTS)
		return fail(g, -EBUSY, "%s line %u: armed as an interrupt, cannot drive it",
			    g->chip_name, pin);
	if (!output && ln->req == REQ_EVENTS)
		return 0; /* an event line is an input already */
	if (ln->req == REQ_NONE) {
		g->stats.requests++;
		r = output ? gpiod_line_request_output(ln->l, g->consumer, level)
			   : gpiod_line_request_input(ln->l, g->consumer);
		if (r < 0)
			return request_failed(g, pin, ln, output ? "request output" : "request input");
	} else if (output) {
		if (gpiod_line_set_direction_output(ln->l, level) < 0)
			return request_failed(g, pin, ln, "set direction output");
	} else if (ln->req == REQ_OUT) {
		if (gpiod_line_set_direction_input(ln->l) < 0)
			return request_failed(g, pin, ln, "set direction input");
	}
	ln->req = output ? REQ_OUT : REQ_IN;
	return 0;
}

static int gpio_write(void *ctx, unsigned pin, bool level)
{
	struct nb_gpiod *g = gpiod_of(ctx);
	struct line *ln;
	int r = line_of(g, pin, &ln, "write");

	if (r < 0)
		return r;
	if (ln->req != REQ_OUT)
		return fail(g, -EPERM, "%s line %u: write to a line that is not an output",
			    g->chip_name, pin);
	if (gpiod_line_set_value(ln->l, level) < 0)
		return fail(g, -EIO, "%s line %u: gpiod_line_set_value: %s", g->chip_name, pin,
			    strerror(errno));
	return 0;
}

static int gpio_read(void *ctx, unsigned pin)
{
	struct nb_gpiod *g = gpiod_of(ctx);
	struct line *ln;
	int r = line_of(g, pin, &ln, "read");

	if (r < 0)
		return r;
	if (ln->req == REQ_NONE) {
		g->stats.requests++;
		if (gpiod_line_request_input(ln->l, g->consumer) < 0)
			return request_failed(g, pin, ln, "request input");
		ln->req = REQ_IN;
	}
	r = gpiod_line_get_value(ln->l);
	if (r < 0)
		return fail(g, -EIO, "%s line %u: gpiod_line_get_value: %s", g->chip_name, pin,
			    strerror(errno));
	return r ? 1 : 0;
}

static bool level_active(enum nb_gpio_irq_mode mode, int level)
{
	return (mode == NB_GPIO_IRQ_LEVEL_HIGH && level > 0) ||
	       (mode == NB_GPIO_IRQ_LEVEL_LOW && level == 0);
}

static int gpio_set_irq(void *ctx, unsigned pin, enum nb_gpio_irq_mode mode, nb_gpio_irq_fn fn,
			void *fn_ctx)
{
	struct nb_gpiod *g = gpiod_of(ctx);
	enum nb_gpio_irq_mode edges;
	struct line *ln;
	int r = line_of(g, pin, &ln, "set_irq");

	if (r < 0)
		return r;
	if (mode > NB_GPIO_IRQ_LEVEL_LOW || (mode != NB_GPIO_IRQ_NONE && !fn))
		return -EINVAL;
	if (ln->req == REQ_OUT)
		return fail(g, -EBUSY, "%s line %u: an output cannot be an interrupt", g->chip_name,
			    pin);
	ln->mode = NB_GPIO_IRQ_NONE;
	ln->fn = NULL;
	ln->kick = false;
	if (mode == NB_GPIO_IRQ_NONE) {
		if (ln->req == REQ_EVENTS) {
			release(ln);
			g->stats.requests++;
			if (gpiod_line_request_input(ln->l, g->consumer) < 0)
				return request_failed(g, pin, ln, "request input");
			ln->req = REQ_IN;
		}
		return 0;
	}
	edges = mode == NB_GPIO_IRQ_RISING || mode == NB_GPIO_IRQ_FALLING ? mode : NB_GPIO_IRQ_BOTH;
	if (ln->req != REQ_EVENTS || ln->edges != edges) {
		release(ln);
		g->stats.requests++;
		if (edges == NB_GPIO_IRQ_RISING)
			r = gpiod_line_request_rising_edge_events(ln->l, g->consumer);
		else if (edges == NB_GPIO_IRQ_FALLING)
			r = gpiod_line_request_falling_edge_events(ln->l, g->consumer);
		else
			r = gpiod_line_request_both_edges_events(ln->l, g->consumer);
		if (r < 0)
			return request_failed(g, pin, ln, "request edge events");
		ln->req = REQ_EVENTS;
		ln->edges = edges;
	}
	ln->mode = mode;
	ln->fn = fn;
	ln->ctx = fn_ctx;
	if (mode >= NB_GPIO_IRQ_LEVEL_HIGH) {
		/* drivers/bus/gpio.h: a level interrupt armed while active fires — from the loop,
		 * not from inside this call */
		r = gpiod_line_get_value(ln->l);
		if (r < 0)
			return fail(g, -EIO, "%s line %u: gpiod_line_get_value: %s", g->chip_name,
				    pin, strerror(errno));
		if (level_active(mode, r)) {
			uint64_t one = 1;

			ln->kick = true;
			if (write(g->kick_fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
				return fail(g, -EIO, "gpiod: eventfd write: %s", strerror(errno));
		}
	}
	return 0;
}

static bool wanted(enum nb_gpio_irq_mode mode, int type)
{
	switch (mode) {
	case NB_GPIO_IRQ_RISING:
	case NB_GPIO_IRQ_LEVEL_HIGH:
		return type == GPIOD_LINE_EVENT_RISING_EDGE;
	case NB_GPIO_IRQ_FALLING:
	case NB_GPIO_IRQ_LEVEL_LOW:
		return type == GPIOD_LINE_EVENT_FALLING_EDGE;
	case NB_GPIO_IRQ_BOTH:
		return true;
	default:
		return false;
	}
}

static int dispatch_line(struct nb_gpiod *g, unsigned pin, struct line *ln)
{
	static const struct timespec now = { 0, 0 };
	int fired = 0;

	/* bounded: a line toggling faster than we read must not keep us here */
	for (unsigned n = 0; n < 64 && ln->req == REQ_EVENTS; n++) {
		struct gpiod_line_event ev;
		int r = gpiod_line_event_wait(ln->l, &now);

		if (r == 0)
			break;
		if (r < 0 || gpiod_line_event_read(ln->l, &ev) < 0)
			return fail(g, -EIO, "%s line %u: reading edge events: %s", g->chip_name,
				    pin, strerror(errno));
		g->stats.events++;
		if (ln->fn && wanted(ln->mode, ev.event_type)) {
			fired++;
			g->stats.irqs_fired++;
			ln->fn(ln->ctx);
		}
	}
	return fired;
}

int nb_gpiod_dispatch(struct nb_gpiod *g)
{
	uint64_t count;
	int fired = 0;

	if (read(g->kick_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		return fail(g, -EIO, "gpiod: eventfd read: %s", strerror(errno));
	for (unsigned pin = 0; pin < g->nlines; pin++) {
		struct line *ln = &g->lines[pin];
		int r;

		if (ln->req != REQ_EVENTS)
			continue;
		if (ln->kick && ln->fn) {
			ln->kick = false;
			fired++;
			g->stats.irqs_fired++;
			ln->fn(ln->ctx);
		}
		r = dispatch_line(g, pin, ln);
		if (r < 0)
			return r;
		fired += r;
	}
	return fired;
}

unsigned nb_gpiod_fds(const struct nb_gpiod *g, int *fds, unsigned cap)
{
	unsigned n = 0;

	if (cap)
		fds[0] = g->kick_fd;
	n++;
	for (unsigned pin = 0; pin < g->nlines; pin++) {
		int fd;

		if (g->lines[pin].req != REQ_EVENTS)
			continue;
		fd = gpiod_line_event_get_fd(g->lines[pin].l);
		if (fd < 0)
			continue;
		if (n < cap)
			fds[n] = fd;
		n++;
	}
	return n;
}

static const struct nb_gpio_ops gpiod_gpio_ops = {
	.set_dir = gpio_set_dir,
	.write = gpio_write,
	.read = gpio_read,
	.set_irq = gpio_set_irq,
};

struct nb_gpio nb_gpiod_gpio(struct nb_gpiod *g)
{
	struct nb_gpio gp = { .ops = &gpiod_gpio_ops, .ctx = g };

	return gp;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* The ways users name a chip: /dev/gpiochip0, gpiochip0, its label, its number. */
static struct gpiod_chip *open_chip(const char *name)
{
	struct gpiod_chip *c;

	if (name[0] == '/')
		return gpiod_chip_open(name);
	c = gpiod_chip_open_by_name(name);
	/* a chip that exists but may not be opened is the answer: do not look further */
	if (c || errno == EACCES || errno == EPERM)
		return c;
	c = gpiod_chip_open_by_label(name);
	if (c || errno == EACCES || errno == EPERM)
		return c;
	if (all_digits(name))
		c = gpiod_chip_open_by_number((unsigned)strtoul(name, NULL, 10));
	return c;
}

int nb_gpiod_open(const struct nb_gpiod_cfg *cfg, struct nb_gpiod **out, char *err,
		  size_t errlen)
{
	struct nb_gpiod *g;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!out || !cfg || !cfg->chip || !cfg->chip[0]) {
		if (err)
			snprintf(err, errlen, "gpiod: no GPIO chip given");
		return -EINVAL;
	}
	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g) {
		if (err)
			snprintf(err, errlen, "gpiod: out of memory");
		return -ENOMEM;
	}
	g->cfg = *cfg;
	g->cfg.log.fn = NULL; /* open failures go to err; the log is for later ones */
	snprintf(g->chip_name, sizeof(g->chip_name), "%s", cfg->chip);
	snprintf(g->consumer, sizeof(g->consumer), "%s", cfg->consumer ? cfg->consumer : "netbench");
	g->cfg.chip = g->chip_name;
	g->cfg.consumer = g->consumer;
	g->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (g->kick_fd < 0) {
		ret = fail(g, -EIO, "gpiod: eventfd: %s", strerror(errno));
		goto err_kick;
	}
	g->chip = open_chip(g->chip_name);
	if (!g->chip) {
		if (errno == EACCES || errno == EPERM)
			ret = fail(g, -EACCES, "GPIO chip '%s': %s", g->chip_name, strerror(errno));
		else
			ret = fail(g, -ENODEV, "no GPIO chip '%s' (looked for a path, a name like "
				   "gpiochip0, a label and a number)", g->chip_name);
		goto err_chip;
	}
	g->nlines = gpiod_chip_num_lines(g->chip);
	g->lines = calloc(g->nlines ? g->nlines : 1, sizeof(*g->lines));
	if (!g->lines) {
		ret = fail(g, -ENOMEM, "gpiod: out of memory for %u lines", g->nlines);
		goto err_lines;
	}
	g->cfg.log = cfg->log;
	*out = g;
	return 0;

err_lines:
	gpiod_chip_close(g->chip);
err_chip:
	close(g->kick_fd);
err_kick:
	if (err)
		snprintf(err, errlen, "%s", g->err);
	free(g);
	return ret;
}

void nb_gpiod_close(struct nb_gpiod *g)
{
	if (!g)
		return;
	for (unsigned pin = 0; pin < g->nlines; pin++)
		if (g->lines[pin].l)
			release(&g->lines[pin]);
	gpiod_chip_close(g->chip);
	close(g->kick_fd);
	free(g->lines);
	free(g);
}

unsigned nb_gpiod_lines(const struct nb_gpiod *g)
{
	return g->nlines;
}

const char *nb_gpiod_last_error(const struct nb_gpiod *g)
{
	return g->err;
}

const struct nb_gpiod_stats *nb_gpiod_stats(const struct nb_gpiod *g)
{
	return &g->stats;
}
