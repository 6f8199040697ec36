/* SPDX-License-Identifier: MIT */
/* Board file values: strings, paths, numbers, frequencies, durations, MACs, pins. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/util/compiler.h"
#include "hil/board_priv.h"
#include "hil/ftdi_mpsse.h"

static int want_scalar(struct nb_board_ctx *c, const struct nb_ynode *v,
		       const struct nb_board_field *f)
{
	if (!nb_ynode_is_scalar(v) || !nb_ynode_text(v)[0])
		return nb_ydoc_error(c->d, v, "%s: expected %s", f->key, f->what);
	return 0;
}

int nb_board_p_string(struct nb_board_ctx *c, const struct nb_ynode *v,
		      const struct nb_board_field *f, void *dst)
{
	int r = want_scalar(c, v, f);

	if (r < 0)
		return r;
	if (strlen(nb_ynode_text(v)) >= f->size)
		return nb_ydoc_error(c->d, v, "%s: longer than %zu characters", f->key,
				     f->size - 1);
	snprintf(dst, f->size, "%s", nb_ynode_text(v));
	return 0;
}

int nb_board_p_path(struct nb_board_ctx *c, const struct nb_ynode *v,
		    const struct nb_board_field *f, void *dst)
{
	const char *t;
	int r = want_scalar(c, v, f), n;

	if (r < 0)
		return r;
	t = nb_ynode_text(v);
	if (t[0] == '/' || !c->dir[0])
		n = snprintf(dst, f->size, "%s", t);
	else
		n = snprintf(dst, f->size, "%s/%s", c->dir, t);
	if (n < 0 || (size_t)n >= f->size)
		return nb_ydoc_error(c->d, v, "%s: path too long", f->key);
	return 0;
}

int nb_board_p_uint(struct nb_board_ctx *c, const struct nb_ynode *v,
		    const struct nb_board_field *f, void *dst)
{
	const char *t;
	char *end;
	unsigned long long x;
	int r = want_scalar(c, v, f);

	if (r < 0)
		return r;
	t = nb_ynode_text(v);
	errno = 0;
	x = strtoull(t, &end, 0);
	if (!isdigit((unsigned char)t[0]) || *end || errno || x < f->min || x > f->max)
		return nb_ydoc_error(c->d, v, "%s: expected an integer %llu..%llu, got '%s'",
				     f->key, (unsigned long long)f->min, (unsigned long long)f->max,
				     t);
	if (f->size == 1)
		*(uint8_t *)dst = (uint8_t)x;
	else if (f->size == 2)
		*(uint16_t *)dst = (uint16_t)x;
	else
		*(unsigned *)dst = (unsigned)x;
	return 0;
}

int nb_board_p_bool(struct nb_board_ctx *c, const struct nb_ynode *v,
		    const struct nb_board_field *f, void *dst)
{
	const char *t = nb_ynode_text(v);

	if (t && strcmp(t, "true") == 0)
		*(bool *)dst = true;
	else if (t && strcmp(t, "false") == 0)
		*(bool *)dst = false;
	else
		return nb_ydoc_error(c->d, v, "%s: expected true or false", f->key);
	return 0;
}

/* "10MHz", "2.5 MHz", "400kHz", "1000000" */
int nb_board_p_freq(struct nb_board_ctx *c, const struct nb_ynode *v,
		    const struct nb_board_field *f, void *dst)
{
	const char *t;
	char *end;
	double x, mul = 1;
	int r = want_scalar(c, v, f);

	if (r < 0)
		return r;
	t = nb_ynode_text(v);
	x = strtod(t, &end);
	while (*end == ' ')
		end++;
	if (strcmp(end, "MHz") == 0)
		mul = 1e6;
	else if (strcmp(end, "kHz") == 0)
		mul = 1e3;
	else if (strcmp(end, "Hz") != 0 && *end)
		mul = -1;
	x *= mul;
	if (end == t || mul < 0 || x < (double)f->min || x > (double)f->max)
		return nb_ydoc_error(c->d, v,
				     "%s: expected a frequency from %llu Hz to %llu Hz "
				     "(\"10MHz\", \"400kHz\"), got '%s'",
				     f->key, (unsigned long long)f->min, (unsigned long long)f->max,
				     t);
	*(uint32_t *)dst = (uint32_t)(x + 0.5);
	return 0;
}

/* "1ms", "500us", "2s", "100ns" */
int nb_board_p_duration(struct nb_board_ctx *c, const struct nb_ynode *v,
			const struct nb_board_field *f, void *dst)
{
	static const struct {
		const char *u;
		double ns;
	} units[] = {
		{ "ns", 1 },
		{ "us", 1e3 },
		{ "ms", 1e6 },
		{ "s", 1e9 },
	};
	const char *t;
	char *end;
	double x;
	int r = want_scalar(c, v, f);

	if (r < 0)
		return r;
	t = nb_ynode_text(v);
	x = strtod(t, &end);
	for (size_t i = 0; end != t && i < NB_ARRAY_SIZE(units); i++) {
		double ns = x * units[i].ns;

		if (strcmp(end, units[i].u) == 0 && ns >= (double)f->min && ns <= (double)f->max) {
			*(uint64_t *)dst = (uint64_t)(ns + 0.5);
			return 0;
		}
	}
	return nb_ydoc_error(c->d, v,
			     "%s: expected a duration from %.0f us to %.0f ms (\"1ms\", "
			     "\"500us\"), got '%s'",
			     f->key, (double)f->min / 1e3, (double)f->max / 1e6, t);
}

int nb_board_p_mac(struct nb_board_ctx *c, const struct nb_ynode *v, const struct nb_board_field *f,
		   void *dst)
{
	const char *t = nb_ynode_text(v);
	unsigned m[6];
	uint8_t *out = dst;
	char tail;

	if (!t ||
	    sscanf(t, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
		   &tail) != 6 ||
	    strlen(t) != 17)
		return nb_ydoc_error(c->d, v, "%s: expected a MAC address like 02:00:00:00:00:01",
				     f->key);
	if (m[0] & 1u)
		return nb_ydoc_error(c->d, v, "%s: %s is a multicast address", f->key, t);
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)m[i];
	return 0;
}

/* FTDI pin names: ADBUS0..7, ACBUS0..7, or the short AD0..7 / AC0..7. @return pin or -1. */
static int ftdi_pin(const char *t)
{
	size_t n = strlen(t);
	char bank, *end;
	long k;

	if (n == 6 && (strncmp(t, "ADBUS", 5) == 0 || strncmp(t, "ACBUS", 5) == 0))
		bank = t[1], t += 5;
	else if (n == 3 && (strncmp(t, "AD", 2) == 0 || strncmp(t, "AC", 2) == 0))
		bank = t[1], t += 2;
	else
		return -1;
	k = strtol(t, &end, 10);
	if (*end || k < 0 || k > 7)
		return -1;
	return bank == 'D' ? (int)k : (int)NB_FTDI_ACBUS((unsigned)k);
}

int nb_board_p_pin(struct nb_board_ctx *c, const struct nb_ynode *v, const struct nb_board_field *f,
		   void *dst)
{
	struct nb_hil_pin *p = dst;
	const char *t = nb_ynode_text(v);
	char *end;
	long k;

	p->loc = nb_ynode_loc(v);
	if (t && strcmp(t, "none") == 0) {
		p->via = NB_HIL_VIA_NONE;
		return 0;
	}
	if (t && strncmp(t, "ftdi:", 5) == 0 && ftdi_pin(t + 5) >= 0) {
		p->via = NB_HIL_VIA_FTDI;
		p->pin = (unsigned)ftdi_pin(t + 5);
		return 0;
	}
	if (t && strncmp(t, "gpiod:", 6) == 0 && isdigit((unsigned char)t[6])) {
		k = strtol(t + 6, &end, 10);
		if (!*end && k >= 0 && k < 1024) {
			p->via = NB_HIL_VIA_GPIOD;
			p->pin = (unsigned)k;
			return 0;
		}
	}
	return nb_ydoc_error(c->d, v,
			     "%s: expected a pin like ftdi:ACBUS0, ftdi:ADBUS4, gpiod:23 "
			     "or none, got '%s'",
			     f->key, t ? t : "a mapping");
}

int nb_board_p_cs(struct nb_board_ctx *c, const struct nb_ynode *v, const struct nb_board_field *f,
		  void *dst)
{
	const char *t = nb_ynode_text(v);
	int pin = t ? ftdi_pin(t) : -1;

	if (pin < 0 || pin == (int)NB_FTDI_PIN_SK || pin == (int)NB_FTDI_PIN_DO ||
	    pin == (int)NB_FTDI_PIN_DI)
		return nb_ydoc_error(c->d, v,
				     "%s: expected an FTDI pin other than SK/DO/DI "
				     "(ADBUS3..7, ACBUS0..7)",
				     f->key);
	*(unsigned *)dst = (unsigned)pin;
	return 0;
}

int nb_board_p_channel(struct nb_board_ctx *c, const struct nb_ynode *v,
		       const struct nb_board_field *f, void *dst)
{
	const char *t = nb_ynode_text(v);

	if (!t || (strcmp(t, "A") != 0 && strcmp(t, "B") != 0))
		return nb_ydoc_error(c->d, v, "%s: expected A or B (the MPSSE channels)", f->key);
	*(char *)dst = t[0];
	return 0;
}

int nb_board_p_country(struct nb_board_ctx *c, const struct nb_ynode *v,
		       const struct nb_board_field *f, void *dst)
{
	const char *t = nb_ynode_text(v);

	if (!t || strlen(t) != 2 || !isupper((unsigned char)t[0]) || !isupper((unsigned char)t[1]))
		return nb_ydoc_error(c->d, v,
				     "%s: expected a two-letter country code (XX: "
				     "worldwide)",
				     f->key);
	memcpy(dst, t, 3);
	return 0;
}

static int p_enum(struct nb_board_ctx *c, const struct nb_ynode *v, const struct nb_board_field *f,
		  void *dst, const char *const *names, const int *values, size_t n)
{
	const char *t = nb_ynode_text(v);

	for (size_t i = 0; t && i < n; i++) {
		if (strcmp(t, names[i]) == 0) {
			*(int *)dst = values[i];
			return 0;
		}
	}
	return nb_ydoc_error(c->d, v, "%s: expected %s", f->key, f->what);
}

int nb_board_p_chip(struct nb_board_ctx *c, const struct nb_ynode *v,
		    const struct nb_board_field *f, void *dst)
{
	static const char *const n[] = { "cyw43439", "lan8720" };
	static const int val[] = { NB_HIL_CHIP_CYW43439, NB_HIL_CHIP_LAN8720 };

	return p_enum(c, v, f, dst, n, val, 2);
}

int nb_board_p_gspi_via(struct nb_board_ctx *c, const struct nb_ynode *v,
			const struct nb_board_field *f, void *dst)
{
	static const char *const n[] = { "ftdi", "spidev" };
	static const int val[] = { NB_HIL_VIA_FTDI, NB_HIL_VIA_SPIDEV };

	return p_enum(c, v, f, dst, n, val, 2);
}

int nb_board_p_mdio_via(struct nb_board_ctx *c, const struct nb_ynode *v,
			const struct nb_board_field *f, void *dst)
{
	static const char *const n[] = { "ftdi", "bitbang" };
	static const int val[] = { NB_HIL_VIA_FTDI, NB_HIL_VIA_BITBANG };

	return p_enum(c, v, f, dst, n, val, 2);
}
