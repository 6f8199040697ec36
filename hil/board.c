/* SPDX-License-Identifier: MIT */
/* Board description files: the schema as tables, the walk over the document, the checks
 * across sections. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/util/compiler.h"
#include "hil/board_priv.h"
#include "hil/ftdi_mpsse.h"

/* ---- sections ---------------------------------------------------------------------------- */

static int section(struct nb_board_ctx *c, const struct nb_ynode *m, const char *what,
		   const struct nb_board_field *fields, size_t nfields);

static int p_map(struct nb_board_ctx *c, const struct nb_ynode *v, const struct nb_board_field *f,
		 void *dst)
{
	(void)dst; /* the nested fields carry offsets from the board itself */
	return section(c, v, f->key, f->sub, f->nsub);
}

#define B struct nb_hil_board
#define SZ(m) sizeof(((B *)0)->m)
#define STR(k, m, req, w) \
	{ .key = k, .parse = nb_board_p_string, .off = OFF(B, m), .size = SZ(m), \
	  .required = req, .what = w }
#define UINT(k, m, lo, hi) \
	{ .key = k, .parse = nb_board_p_uint, .off = OFF(B, m), .size = SZ(m), .min = lo, .max = hi }
#define FREQ(k, m, lo, hi) \
	{ .key = k, .parse = nb_board_p_freq, .off = OFF(B, m), .min = lo, .max = hi, \
	  .what = "a frequency" }
#define VAL(k, fn, m, req, w) \
	{ .key = k, .parse = fn, .off = OFF(B, m), .required = req, .what = w }
#define MAP(k, m, tbl, req) \
	{ .key = k, .parse = p_map, .required = req, .loc_off = OFF(B, m.loc), \
	  .set_off = OFF(B, m.set), .sub = tbl, .nsub = NB_ARRAY_SIZE(tbl) }
#define GROUP(k, tbl, req) \
	{ .key = k, .parse = p_map, .required = req, .sub = tbl, .nsub = NB_ARRAY_SIZE(tbl) }
#define PATH(k, m, req) \
	{ .key = k, .parse = nb_board_p_path, .off = OFF(B, cyw43439.m), \
	  .size = NB_HIL_PATH_MAX, .required = req, .loc_off = OFF(B, cyw43439.m##_loc), \
	  .what = "a file path" }

static const struct nb_board_field ftdi_fields[] = {
	UINT("vid", ftdi.vid, 1, 0xFFFF),
	UINT("pid", ftdi.pid, 1, 0xFFFF),
	STR("serial", ftdi.serial, false, "the adapter's USB serial number"),
	STR("description", ftdi.description, false, "the adapter's USB product string"),
	UINT("index", ftdi.index, 0, 255),
	VAL("channel", nb_board_p_channel, ftdi.channel, false, "A or B"),
	UINT("latency", ftdi.latency_ms, 1, 255),
};
static const struct nb_board_field gpiod_fields[] = {
	STR("chip", gpiod.chip, true, "a GPIO chip (gpiochip0, /dev/gpiochip0, a label, a number)"),
};
static const struct nb_board_field spidev_fields[] = {
	STR("path", spidev.path, true, "a spidev node like /dev/spidev0.0"),
	FREQ("clock", spidev.clock_hz, 1000, 100000000),
	VAL("four_wire", nb_board_p_bool, spidev.four_wire, false, "true or false"),
};
static const struct nb_board_field adapter_fields[] = {
	MAP("ftdi", ftdi, ftdi_fields, false),
	MAP("gpiod", gpiod, gpiod_fields, false),
	MAP("spidev", spidev, spidev_fields, false),
};
static const struct nb_board_field gspi_fields[] = {
	VAL("adapter", nb_board_p_gspi_via, gspi.via, true, "ftdi or spidev"),
	FREQ("clock", gspi.clock_hz, 458, NB_FTDI_MAX_HZ),
	VAL("cs", nb_board_p_cs, gspi.cs_pin, false, "an FTDI pin"),
};
static const struct nb_board_field mdio_fields[] = {
	VAL("adapter", nb_board_p_mdio_via, mdio.via, true, "ftdi or bitbang"),
	FREQ("clock", mdio.clock_hz, 458, NB_FTDI_MAX_MDC_HZ),
	VAL("mdc", nb_board_p_pin, mdio.mdc, false, "a pin"),
	VAL("mdio", nb_board_p_pin, mdio.mdio, false, "a pin"),
};
static const struct nb_board_field frames_fields[] = {
	STR("interface", frames.ifname, true, "a network interface name"),
	VAL("promisc", nb_board_p_bool, frames.promisc, false, "true or false"),
	VAL("nic_keeps_fcs", nb_board_p_bool, frames.nic_keeps_fcs, false, "true or false"),
};
static const struct nb_board_field pins_fields[] = {
	VAL("wl_reg_on", nb_board_p_pin, pins.wl_reg_on, false, "a pin"),
	VAL("host_wake", nb_board_p_pin, pins.host_wake, false, "a pin"),
	VAL("nrst", nb_board_p_pin, pins.nrst, false, "a pin"),
	VAL("nint", nb_board_p_pin, pins.nint, false, "a pin"),
};
static const struct nb_board_field cyw_fields[] = {
	PATH("firmware", firmware, true),
	PATH("nvram", nvram, true),
	PATH("clm", clm, false),
	{ .key = "mac", .parse = nb_board_p_mac, .off = OFF(B, cyw43439.mac),
	  .set_off = OFF(B, cyw43439.mac_set) },
	VAL("country", nb_board_p_country, cyw43439.country, false, "a country code"),
};
static const struct nb_board_field lan_fields[] = {
	UINT("phy_addr", lan8720.phy_addr, 0, 31),
	{ .key = "mac", .parse = nb_board_p_mac, .off = OFF(B, lan8720.mac), .required = true,
	  .set_off = OFF(B, lan8720.mac_set) },
};
static const struct nb_board_field top_fields[] = {
	STR("board", name, false, "a name"),
	VAL("chip", nb_board_p_chip, chip, true, "cyw43439 or lan8720"),
	GROUP("adapters", adapter_fields, true),
	MAP("gspi", gspi, gspi_fields, false),
	MAP("mdio", mdio, mdio_fields, false),
	MAP("frames", frames, frames_fields, false),
	GROUP("pins", pins_fields, false),
	{ .key = "irq_poll", .parse = nb_board_p_duration, .off = OFF(B, irq_poll_ns), .min = 100000,
	  .max = 1000000000 },
	GROUP("cyw43439", cyw_fields, false),
	GROUP("lan8720", lan_fields, false),
};

static int section(struct nb_board_ctx *c, const struct nb_ynode *m, const char *what,
		   const struct nb_board_field *fields, size_t nfields)
{
	char *base = (char *)c->b;
	bool seen[16] = { false }; /* no table has more keys (checked below) */
	char keys[256];
	size_t used = 0;

	keys[0] = '\0';
	if (nfields > NB_ARRAY_SIZE(seen))
		return nb_ydoc_error(c->d, m, "%s: schema table too long", what);
	for (size_t i = 0; i < nfields; i++) {
		int k = snprintf(keys + used, sizeof(keys) - used, "%s%s", i ? ", " : "",
				 fields[i].key);

		if (k > 0 && used + (size_t)k < sizeof(keys))
			used += (size_t)k;
	}
	if (!nb_ynode_is_map(m))
		return nb_ydoc_error(c->d, m, "%s: expected a mapping with: %s", what, keys);
	for (size_t p = 0; p < nb_ynode_map_len(m); p++) {
		const struct nb_ynode *k = nb_ynode_map_key(c->d, m, p);
		const struct nb_ynode *v = nb_ynode_map_value(c->d, m, p);
		const char *name = nb_ynode_text(k);
		size_t i;
		int r;

		for (i = 0; name && i < nfields; i++)
			if (strcmp(name, fields[i].key) == 0)
				break;
		if (!name || i == nfields)
			return nb_ydoc_error(c->d, k, "unknown key '%s' in %s (expected one of: %s)",
					     name ? name : "?", what, keys);
		if (seen[i])
			return nb_ydoc_error(c->d, k, "key '%s' given twice in %s", name, what);
		seen[i] = true;
		r = fields[i].parse(c, v, &fields[i], base + fields[i].off);
		if (r < 0)
			return r;
		if (fields[i].loc_off)
			*(struct nb_hil_loc *)(void *)(base + fields[i].loc_off) = nb_ynode_loc(v);
		if (fields[i].set_off)
			*(bool *)(void *)(base + fields[i].set_off) = true;
	}
	for (size_t i = 0; i < nfields; i++)
		if (fields[i].required && !seen[i])
			return nb_ydoc_error(c->d, m, "%s: missing key '%s'", what, fields[i].key);
	return 0;
}

/* ---- checks across sections ------------------------------------------------------------- */

static const struct nb_ynode *key_node(struct nb_board_ctx *c, const struct nb_ynode *m,
				       const char *key)
{
	for (size_t i = 0; i < nb_ynode_map_len(m); i++) {
		const char *k = nb_ynode_text(nb_ynode_map_key(c->d, m, i));

		if (k && strcmp(k, key) == 0)
			return nb_ynode_map_key(c->d, m, i);
	}
	return NULL;
}

struct use {
	const char *what;
	const struct nb_hil_pin *p;
};

static int check_pin(struct nb_board_ctx *c, const struct nb_ynode *root, const struct use *u,
		     uint16_t claimed)
{
	const struct nb_hil_board *b = c->b;
	const struct nb_ynode *at = key_node(c, root, "pins");
	char name[16];

	if (u->p->via == NB_HIL_VIA_FTDI && !b->ftdi.set)
		return nb_ydoc_error(c->d, at, "%s: ftdi pin, but adapters has no ftdi", u->what);
	if (u->p->via == NB_HIL_VIA_GPIOD && !b->gpiod.set)
		return nb_ydoc_error(c->d, at, "%s: gpiod pin, but adapters has no gpiod", u->what);
	if (u->p->via == NB_HIL_VIA_FTDI && (claimed & (1u << u->p->pin)) &&
	    !(u->p == &b->pins.host_wake && u->p->pin == NB_FTDI_PIN_DI &&
	      b->gspi.via == NB_HIL_VIA_FTDI))
		return nb_ydoc_error(c->d, at, "%s: %s belongs to the FTDI's %s (SK, DO, DI%s)",
				     u->what, nb_hil_pin_name(u->p, name, sizeof(name)),
				     b->gspi.set ? "gSPI" : "MDIO", b->gspi.set ? ", CS" : "");
	return 0;
}

static int check_pins(struct nb_board_ctx *c, const struct nb_ynode *root)
{
	const struct nb_hil_board *b = c->b;
	const struct use uses[] = {
		{ "pins.wl_reg_on", &b->pins.wl_reg_on }, { "pins.host_wake", &b->pins.host_wake },
		{ "pins.nrst", &b->pins.nrst },           { "pins.nint", &b->pins.nint },
		{ "mdio.mdc", &b->mdio.mdc },             { "mdio.mdio", &b->mdio.mdio },
	};
	uint16_t claimed = 0;
	char name[16];
	int r;

	if (b->gspi.set && b->gspi.via == NB_HIL_VIA_FTDI)
		claimed = (uint16_t)(0x7u | (1u << (b->gspi.cs_pin ? b->gspi.cs_pin : 3u)));
	if (b->mdio.set && b->mdio.via == NB_HIL_VIA_FTDI)
		claimed = 0x7u;
	for (size_t i = 0; i < NB_ARRAY_SIZE(uses); i++) {
		if (uses[i].p->via == NB_HIL_VIA_NONE)
			continue;
		r = check_pin(c, root, &uses[i], claimed);
		if (r < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			if (uses[j].p->via == uses[i].p->via && uses[j].p->pin == uses[i].p->pin)
				return nb_ydoc_error(c->d, key_node(c, root, "pins"),
						     "%s: %s is already %s", uses[i].what,
						     nb_hil_pin_name(uses[i].p, name, sizeof(name)),
						     uses[j].what);
	}
	return 0;
}

/* Sections one chip needs and the other must not have. */
static int check_chip(struct nb_board_ctx *c, const struct nb_ynode *root)
{
	const struct nb_hil_board *b = c->b;
	bool cyw = b->chip == NB_HIL_CHIP_CYW43439;
	static const char *const cyw_only[] = { "gspi", "cyw43439" };
	static const char *const lan_only[] = { "mdio", "frames", "lan8720" };
	const char *const *no = cyw ? lan_only : cyw_only;
	size_t nno = cyw ? NB_ARRAY_SIZE(lan_only) : NB_ARRAY_SIZE(cyw_only);
	const char *chip = nb_hil_chip_name(b->chip);

	for (size_t i = 0; i < nno; i++)
		if (key_node(c, root, no[i]))
			return nb_ydoc_error(c->d, key_node(c, root, no[i]),
					     "%s: not used by chip %s", no[i], chip);
	if (cyw) {
		if (!b->gspi.set)
			return nb_ydoc_error(c->d, root, "missing key 'gspi' (the cyw43439 is "
					     "reached over gSPI)");
		if (!key_node(c, root, "cyw43439"))
			return nb_ydoc_error(c->d, root, "missing key 'cyw43439' (firmware and "
					     "nvram files)");
		if (b->pins.wl_reg_on.via == NB_HIL_VIA_NONE)
			return nb_ydoc_error(c->d, root, "pins.wl_reg_on is required for the "
					     "cyw43439 (it powers the chip)");
		if (b->pins.nrst.via || b->pins.nint.via)
			return nb_ydoc_error(c->d, key_node(c, root, "pins"),
					     "pins: nrst/nint are lan8720 pins");
		if (b->gspi.via == NB_HIL_VIA_FTDI && !b->ftdi.set)
			return nb_ydoc_error(c->d, key_node(c, root, "gspi"),
					     "gspi: adapter ftdi, but adapters has no ftdi");
		if (b->gspi.via == NB_HIL_VIA_SPIDEV && !b->spidev.set)
			return nb_ydoc_error(c->d, key_node(c, root, "gspi"),
					     "gspi: adapter spidev, but adapters has no spidev");
		if (b->gspi.via == NB_HIL_VIA_SPIDEV && (b->gspi.clock_hz || b->gspi.cs_pin))
			return nb_ydoc_error(c->d, key_node(c, root, "gspi"),
					     "gspi: clock and cs are for the ftdi adapter; a "
					     "spidev's clock is adapters.spidev.clock, CS its own");
		return 0;
	}
	if (!b->mdio.set)
		return nb_ydoc_error(c->d, root, "missing key 'mdio' (the lan8720 is managed over "
				     "MDIO)");
	if (!b->frames.set)
		return nb_ydoc_error(c->d, root, "missing key 'frames' (the interface that carries "
				     "the lan8720's frames)");
	if (!key_node(c, root, "lan8720"))
		return nb_ydoc_error(c->d, root, "missing key 'lan8720' (at least its mac)");
	if (b->pins.wl_reg_on.via || b->pins.host_wake.via)
		return nb_ydoc_error(c->d, key_node(c, root, "pins"),
				     "pins: wl_reg_on/host_wake are cyw43439 pins");
	if (b->mdio.via == NB_HIL_VIA_FTDI && !b->ftdi.set)
		return nb_ydoc_error(c->d, key_node(c, root, "mdio"),
				     "mdio: adapter ftdi, but adapters has no ftdi");
	if (b->mdio.via == NB_HIL_VIA_BITBANG &&
	    (b->mdio.mdc.via == NB_HIL_VIA_NONE || b->mdio.mdio.via == NB_HIL_VIA_NONE))
		return nb_ydoc_error(c->d, key_node(c, root, "mdio"),
				     "mdio: adapter bitbang needs the mdc and mdio pins");
	if (b->mdio.via == NB_HIL_VIA_BITBANG && b->mdio.mdc.via != b->mdio.mdio.via)
		return nb_ydoc_error(c->d, key_node(c, root, "mdio"),
				     "mdio: mdc and mdio must be on the same adapter");
	if (b->mdio.via == NB_HIL_VIA_FTDI && (b->mdio.mdc.via || b->mdio.mdio.via))
		return nb_ydoc_error(c->d, key_node(c, root, "mdio"),
				     "mdio: adapter ftdi uses ADBUS0/1/2; mdc/mdio are for bitbang");
	return 0;
}

/* ---- entry points ----------------------------------------------------------------------- */

static void default_name(struct nb_hil_board *b, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strcspn(base, ".");
	if (n >= sizeof(b->name))
		n = sizeof(b->name) - 1;
	memcpy(b->name, base, n);
	b->name[n] = '\0';
}

static int parse(const char *text, size_t len, const char *name, const char *dir,
		 struct nb_hil_board *b, char *err, size_t errlen)
{
	struct nb_board_ctx c = { .b = b };
	const struct nb_ynode *root;
	int r;

	memset(b, 0, sizeof(*b));
	snprintf(b->path, sizeof(b->path), "%s", name);
	snprintf(c.dir, sizeof(c.dir), "%s", dir);
	r = nb_ydoc_parse(text, len, name, &c.d, err, errlen);
	if (r < 0)
		return r;
	root = nb_ydoc_root(c.d);
	r = section(&c, root, "the board", top_fields, NB_ARRAY_SIZE(top_fields));
	if (r == 0)
		r = check_chip(&c, root);
	if (r == 0)
		r = check_pins(&c, root);
	if (r < 0)
		snprintf(err, errlen, "%s", nb_ydoc_errmsg(c.d));
	if (!b->name[0])
		default_name(b, name);
	if (!b->irq_poll_ns)
		b->irq_poll_ns = 1000000;
	nb_ydoc_free(c.d);
	return r;
}

int nb_hil_board_parse(const char *text, size_t len, const char *name, struct nb_hil_board *b,
		       char *err, size_t errlen)
{
	return parse(text, len, name, "", b, err, errlen);
}

int nb_hil_board_load(const char *path, struct nb_hil_board *b, char *err, size_t errlen)
{
	char dir[NB_HIL_PATH_MAX], *text = NULL, *slash;
	size_t len = 0, cap = 0;
	FILE *f = fopen(path, "rb");
	int r;

	if (!f) {
		r = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return r;
	}
	for (;;) {
		size_t n;

		if (len + 4096 > cap) {
			char *t = realloc(text, cap ? cap * 2 : 8192);

			if (!t) {
				fclose(f);
				free(text);
				snprintf(err, errlen, "%s: out of memory", path);
				return -ENOMEM;
			}
			text = t;
			cap = cap ? cap * 2 : 8192;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	r = ferror(f) ? -EIO : 0;
	fclose(f);
	if (r < 0) {
		snprintf(err, errlen, "%s: read error", path);
		free(text);
		return r;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		dir[0] = '\0';
	r = parse(text, len, path, dir, b, err, errlen);
	free(text);
	return r;
}

const char *nb_hil_chip_name(enum nb_hil_chip chip)
{
	switch (chip) {
	case NB_HIL_CHIP_CYW43439:
		return "cyw43439";
	case NB_HIL_CHIP_LAN8720:
		return "lan8720";
	default:
		return "none";
	}
}

const char *nb_hil_pin_name(const struct nb_hil_pin *p, char *buf, size_t len)
{
	if (p->via == NB_HIL_VIA_FTDI)
		snprintf(buf, len, "%s%u", p->pin < 8 ? "ADBUS" : "ACBUS", p->pin & 7u);
	else if (p->via == NB_HIL_VIA_GPIOD)
		snprintf(buf, len, "%u", p->pin);
	else
		snprintf(buf, len, "none");
	return buf;
}
