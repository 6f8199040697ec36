/* SPDX-License-Identifier: MIT */
#include "tests/unit/hil/gpiod_emu.h"

#include <errno.h>
#include <gpiod.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

enum req { R_NONE, R_IN, R_OUT, R_EV_RISING, R_EV_FALLING, R_EV_BOTH };

#define QCAP 64u

struct gpiod_line {
	unsigned offset;
	bool wired, host_drives;
	struct nb_gpio g;
	unsigned model_pin;
	enum req req;
	bool value;             /* output value */
	bool level;             /* last level seen (events) */
	char holder[32];        /* another consumer holds it */
	int fd;                 /* eventfd while requested for events */
	int q[QCAP];
	unsigned qh, qn;
};

struct gpiod_chip {
	int unused;
};

static struct {
	struct gpiod_chip chip;
	bool open, deny;
	struct gpiod_line lines[EMU_GPIOD_LINES];
	struct emu_gpiod_state st;
} G;

static void perr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void perr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(G.st.last_error, sizeof(G.st.last_error), fmt, ap);
	va_end(ap);
	G.st.protocol_errors++;
}

void emu_gpiod_reset(void)
{
	for (unsigned i = 0; i < EMU_GPIOD_LINES; i++)
		if (G.lines[i].req >= R_EV_RISING)
			close(G.lines[i].fd);
	memset(&G, 0, sizeof(G));
	for (unsigned i = 0; i < EMU_GPIOD_LINES; i++) {
		G.lines[i].offset = i;
		G.lines[i].fd = -1;
	}
}

void emu_gpiod_connect(unsigned offset, struct nb_gpio g, unsigned model_pin, bool host_drives)
{
	struct gpiod_line *l = &G.lines[offset];

	l->wired = true;
	l->g = g;
	l->model_pin = model_pin;
	l->host_drives = host_drives;
}

void emu_gpiod_hold(unsigned offset, const char *consumer)
{
	snprintf(G.lines[offset].holder, sizeof(G.lines[offset].holder), "%s", consumer);
}

void emu_gpiod_deny(bool deny)
{
	G.deny = deny;
}

const struct emu_gpiod_state *emu_gpiod_state(void)
{
	return &G.st;
}

static int line_level(struct gpiod_line *l)
{
	if (l->req == R_OUT)
		return l->value;
	if (!l->wired)
		return 0;
	/* an input reads the line: the chip's output, or a host pin the far side may pull
	 * (a released WL_REG_ON reads its pull-down; MDIO reads what the PHY drives) */
	return nb_gpio_read(&l->g, l->model_pin) > 0;
}

/* The model pin changed (its set_irq callback): queue what the kernel would. */
static void on_model_edge(void *ctx)
{
	struct gpiod_line *l = ctx;
	bool now = line_level(l) > 0;
	int type;
	uint64_t one = 1;

	if (now == l->level)
		return;
	l->level = now;
	type = now ? GPIOD_LINE_EVENT_RISING_EDGE : GPIOD_LINE_EVENT_FALLING_EDGE;
	if ((l->req == R_EV_RISING && !now) || (l->req == R_EV_FALLING && now))
		return;
	if (l->qn == QCAP) {
		perr("line %u: event queue overflow", l->offset);
		return;
	}
	l->q[(l->qh + l->qn++) % QCAP] = type;
	G.st.events_queued++;
	if (write(l->fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		perr("eventfd write");
}

static void to_model(struct gpiod_line *l)
{
	if (!l->wired)
		return;
	if (!l->host_drives) {
		if (l->req == R_OUT)
			perr("line %u drives against the chip's output", l->offset);
		return;
	}
	if (nb_gpio_set_dir(&l->g, l->model_pin, l->req == R_OUT, l->req == R_OUT && l->value) < 0)
		perr("model refused set_dir on pin %u", l->model_pin);
}

static int request(struct gpiod_line *line, enum req r, int value)
{
	struct gpiod_line *l = line;

	if (!G.open)
		return errno = ENODEV, -1;
	if (l->holder[0] || l->req != R_NONE)
		return errno = EBUSY, -1;
	G.st.requests++;
	l->req = r;
	l->value = value != 0;
	if (r >= R_EV_RISING) {
		l->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		l->qh = l->qn = 0;
		l->level = line_level(l) > 0;
		if (l->wired && !l->host_drives &&
		    nb_gpio_set_irq(&l->g, l->model_pin, NB_GPIO_IRQ_BOTH, on_model_edge, l) < 0)
			perr("model refused set_irq on pin %u", l->model_pin);
	}
	to_model(l);
	return 0;
}

/* ---- libgpiod wraps ---------------------------------------------------------------------- */

#define W(ret, name, ...) ret __wrap_##name(__VA_ARGS__)

W(struct gpiod_chip *, gpiod_chip_open, const char *path);
W(struct gpiod_chip *, gpiod_chip_open_by_name, const char *name);
W(struct gpiod_chip *, gpiod_chip_open_by_label, const char *label);
W(struct gpiod_chip *, gpiod_chip_open_by_number, unsigned int num);
W(void, gpiod_chip_close, struct gpiod_chip *chip);
W(unsigned int, gpiod_chip_num_lines, struct gpiod_chip *chip);
W(struct gpiod_line *, gpiod_chip_get_line, struct gpiod_chip *chip, unsigned int offset);
W(int, gpiod_line_request_input, struct gpiod_line *line, const char *consumer);
W(int, gpiod_line_request_output, struct gpiod_line *line, const char *consumer, int value);
W(int, gpiod_line_request_rising_edge_events, struct gpiod_line *line, const char *consumer);
W(int, gpiod_line_request_falling_edge_events, struct gpiod_line *line, const char *consumer);
W(int, gpiod_line_request_both_edges_events, struct gpiod_line *line, const char *consumer);
W(void, gpiod_line_release, struct gpiod_line *line);
W(int, gpiod_line_get_value, struct gpiod_line *line);
W(int, gpiod_line_set_value, struct gpiod_line *line, int value);
W(int, gpiod_line_set_direction_input, struct gpiod_line *line);
W(int, gpiod_line_set_direction_output, struct gpiod_line *line, int value);
W(int, gpiod_line_event_get_fd, struct gpiod_line *line);
W(int, gpiod_line_event_wait, struct gpiod_line *line, const struct timespec *timeout);
W(int, gpiod_line_event_read, struct gpiod_line *line, struct gpiod_line_event *event);
W(const char *, gpiod_line_consumer, struct gpiod_line *line);

static struct gpiod_chip *open_if(bool match)
{
	if (!match)
		return errno = ENOENT, NULL;
	if (G.deny)
		return errno = EACCES, NULL;
	G.open = true;
	return &G.chip;
}

W(struct gpiod_chip *, gpiod_chip_open, const char *path)
{
	return open_if(strcmp(path, "/dev/gpiochip3") == 0);
}

W(struct gpiod_chip *, gpiod_chip_open_by_name, const char *name)
{
	return open_if(strcmp(name, "gpiochip3") == 0);
}

W(struct gpiod_chip *, gpiod_chip_open_by_label, const char *label)
{
	return open_if(strcmp(label, "emu-gpio") == 0);
}

W(struct gpiod_chip *, gpiod_chip_open_by_number, unsigned int num)
{
	return open_if(num == 3);
}

W(void, gpiod_chip_close, struct gpiod_chip *chip)
{
	for (unsigned i = 0; i < EMU_GPIOD_LINES; i++)
		if (G.lines[i].req != R_NONE)
			__wrap_gpiod_line_release(&G.lines[i]);
	G.open = false;
}

W(unsigned int, gpiod_chip_num_lines, struct gpiod_chip *chip)
{
	return EMU_GPIOD_LINES;
}

W(struct gpiod_line *, gpiod_chip_get_line, struct gpiod_chip *chip, unsigned int offset)
{
	if (offset >= EMU_GPIOD_LINES)
		return errno = EINVAL, NULL;
	return &G.lines[offset];
}

W(int, gpiod_line_request_input, struct gpiod_line *line, const char *consumer)
{
	return request(line, R_IN, 0);
}

W(int, gpiod_line_request_output, struct gpiod_line *line, const char *consumer, int value)
{
	return request(line, R_OUT, value);
}

W(int, gpiod_line_request_rising_edge_events, struct gpiod_line *line, const char *consumer)
{
	return request(line, R_EV_RISING, 0);
}

W(int, gpiod_line_request_falling_edge_events, struct gpiod_line *line, const char *consumer)
{
	return request(line, R_EV_FALLING, 0);
}

W(int, gpiod_line_request_both_edges_events, struct gpiod_line *line, const char *consumer)
{
	return request(line, R_EV_BOTH, 0);
}

W(void, gpiod_line_release, struct gpiod_line *line)
{
	struct gpiod_line *l = line;

	if (l->req == R_NONE)
		return;
	G.st.releases++;
	if (l->req >= R_EV_RISING) {
		if (l->wired && !l->host_drives &&
		    nb_gpio_set_irq(&l->g, l->model_pin, NB_GPIO_IRQ_NONE, NULL, NULL) < 0)
			perr("model refused to disarm pin %u", l->model_pin);
		close(l->fd);
		l->fd = -1;
	}
	/* the kernel leaves a released output where it was (GPIO v1 ABI) */
	l->req = R_NONE;
}

W(int, gpiod_line_get_value, struct gpiod_line *line)
{
	if (line->req == R_NONE)
		return errno = EPERM, -1;
	return line_level(line);
}

W(int, gpiod_line_set_value, struct gpiod_line *line, int value)
{
	if (line->req != R_OUT)
		return errno = EPERM, -1;
	line->value = value != 0;
	if (line->wired && line->host_drives &&
	    nb_gpio_write(&line->g, line->model_pin, line->value) < 0)
		perr("model refused write on pin %u", line->model_pin);
	return 0;
}

W(int, gpiod_line_set_direction_input, struct gpiod_line *line)
{
	if (line->req != R_IN && line->req != R_OUT)
		return errno = EPERM, -1;
	line->req = R_IN;
	to_model(line);
	return 0;
}

W(int, gpiod_line_set_direction_output, struct gpiod_line *line, int value)
{
	if (line->req != R_IN && line->req != R_OUT)
		return errno = EPERM, -1;
	line->req = R_OUT;
	line->value = value != 0;
	to_model(line);
	return 0;
}

W(int, gpiod_line_event_get_fd, struct gpiod_line *line)
{
	if (line->req < R_EV_RISING)
		return errno = EPERM, -1;
	return line->fd;
}

W(int, gpiod_line_event_wait, struct gpiod_line *line, const struct timespec *timeout)
{
	if (line->req < R_EV_RISING)
		return errno = EPERM, -1;
	return line->qn ? 1 : 0;
}

W(int, gpiod_line_event_read, struct gpiod_line *line, struct gpiod_line_event *event)
{
	uint64_t count;

	if (line->req < R_EV_RISING || !line->qn)
		return errno = EAGAIN, -1;
	memset(event, 0, sizeof(*event));
	clock_gettime(CLOCK_MONOTONIC, &event->ts);
	event->event_type = line->q[line->qh];
	line->qh = (line->qh + 1) % QCAP;
	line->qn--;
	G.st.events_read++;
	if (!line->qn && read(line->fd, &count, sizeof(count)) < 0)
		perr("eventfd read");
	return 0;
}

W(const char *, gpiod_line_consumer, struct gpiod_line *line)
{
	return line->holder[0] ? line->holder : NULL;
}
