/* SPDX-License-Identifier: MIT */
/* Open a board: adapters, buses, pins and images for the driver; the run-loop hooks. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/bus/mdio_bitbang.h"
#include "drivers/cyw43439/cyw43439.h"
#include "drivers/lan8720/lan8720.h"
#include "hil/afpacket_rmii.h"
#include "hil/clock.h"
#include "hil/fwfile.h"
#include "hil/hil.h"
#include "hil/spidev_gspi.h"
#ifdef NB_HIL_HAVE_FTDI
#include "hil/ftdi_mpsse.h"
#endif
#ifdef NB_HIL_HAVE_GPIOD
#include "hil/gpiod_gpio.h"
#endif

struct nb_ftdi;
struct nb_gpiod;

struct nb_hil {
	struct nb_hil_board b;
	struct nb_hil_cfg cfg;
	struct nb_ftdi *ftdi;
	struct nb_gpiod *gpiod;
	struct nb_spidev *spidev;
	struct nb_afpacket *afp;
	struct nb_hil_pinmap pins;
	struct nb_gspi_bus gspi;
	struct nb_mdio_bus mdio;
	struct nb_mdio_bitbang bb;
	uint8_t *fw, *nvram, *clm;
	size_t fw_len, nvram_len, clm_len;
	uint64_t next_irq_poll;
	char desc[512];
	char err[768];
};

static int fail_at(struct nb_hil *h, int err, const struct nb_hil_loc *at, const char *what,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail_at(struct nb_hil *h, int err, const struct nb_hil_loc *at, const char *what,
		   const char *fmt, ...)
{
	va_list ap;
	int k = snprintf(h->err, sizeof(h->err), "%s:%u:%u: %s: ", h->b.path,
			 at && at->line ? at->line : 1, at && at->col ? at->col : 1, what);

	if (k > 0 && (size_t)k < sizeof(h->err)) {
		va_start(ap, fmt);
		vsnprintf(h->err + k, sizeof(h->err) - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return err; /* the caller reports it (err of nb_hil_open) */
}

static void describe(struct nb_hil *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void describe(struct nb_hil *h, const char *fmt, ...)
{
	size_t used = strlen(h->desc);
	va_list ap;

	if (used + 3 >= sizeof(h->desc))
		return;
	if (used) {
		memcpy(h->desc + used, "; ", 3);
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(h->desc + used, sizeof(h->desc) - used, fmt, ap);
	va_end(ap);
}

/* ---- adapters ------------------------------------------------------------------------- */

static bool pin_on(const struct nb_hil_board *b, enum nb_hil_via via)
{
	return b->pins.wl_reg_on.via == via || b->pins.host_wake.via == via ||
	       b->pins.nrst.via == via || b->pins.nint.via == via ||
	       (b->mdio.set && b->mdio.via == NB_HIL_VIA_BITBANG && b->mdio.mdc.via == via);
}

static int open_ftdi(struct nb_hil *h)
{
	const struct nb_hil_board *b = &h->b;

	if (!(b->gspi.via == NB_HIL_VIA_FTDI || b->mdio.via == NB_HIL_VIA_FTDI ||
	      pin_on(b, NB_HIL_VIA_FTDI)))
		return 0;
#ifdef NB_HIL_HAVE_FTDI
	{
		struct nb_ftdi_cfg c = {
			.vid = b->ftdi.vid, .pid = b->ftdi.pid, .index = b->ftdi.index,
			.serial = b->ftdi.serial[0] ? b->ftdi.serial : NULL,
			.description = b->ftdi.description[0] ? b->ftdi.description : NULL,
			.channel = b->ftdi.channel, .latency_ms = b->ftdi.latency_ms,
			.io_timeout_ms = h->cfg.io_timeout_ms, .log = h->cfg.log,
		};
		char e[256];
		int r = nb_ftdi_open(&c, &h->ftdi, e, sizeof(e));

		if (r < 0)
			return fail_at(h, r, &b->ftdi.loc, "adapters.ftdi", "%s", e);
		describe(h, "%s", nb_ftdi_chip_name(h->ftdi));
		return 0;
	}
#else
	return fail_at(h, -EOPNOTSUPP, &b->ftdi.loc, "adapters.ftdi",
		       "netbench was built without libftdi1 (meson option ftdi)");
#endif
}

static int open_gpiod(struct nb_hil *h)
{
	const struct nb_hil_board *b = &h->b;

	if (!pin_on(b, NB_HIL_VIA_GPIOD))
		return 0;
#ifdef NB_HIL_HAVE_GPIOD
	{
		char e[256];
		int r = nb_gpiod_open(&(struct nb_gpiod_cfg){ .chip = b->gpiod.chip,
							       .log = h->cfg.log },
				      &h->gpiod, e, sizeof(e));

		if (r < 0)
			return fail_at(h, r, &b->gpiod.loc, "adapters.gpiod", "%s", e);
		describe(h, "GPIO chip %s", b->gpiod.chip);
		return 0;
	}
#else
	return fail_at(h, -EOPNOTSUPP, &b->gpiod.loc, "adapters.gpiod",
		       "netbench was built without libgpiod (meson option gpiod)");
#endif
}

/* The adapter chip behind pins of kind @p via. */
static struct nb_gpio adapter_gpio(struct nb_hil *h, enum nb_hil_via via)
{
	struct nb_gpio none = { 0 };

#ifdef NB_HIL_HAVE_FTDI
	if (via == NB_HIL_VIA_FTDI && h->ftdi)
		return nb_ftdi_gpio(h->ftdi);
#endif
#ifdef NB_HIL_HAVE_GPIOD
	if (via == NB_HIL_VIA_GPIOD && h->gpiod)
		return nb_gpiod_gpio(h->gpiod);
#endif
	return none;
}

static int wire_pins(struct nb_hil *h)
{
	const struct nb_hil_board *b = &h->b;
	const struct {
		enum nb_hil_pin_id id;
		const struct nb_hil_pin *p;
		const char *name, *key;
	} m[] = {
		{ NB_HIL_PIN_WL_REG_ON, &b->pins.wl_reg_on, "WL_REG_ON", "pins.wl_reg_on" },
		{ NB_HIL_PIN_HOST_WAKE, &b->pins.host_wake, "HOST_WAKE", "pins.host_wake" },
		{ NB_HIL_PIN_NRST, &b->pins.nrst, "nRST", "pins.nrst" },
		{ NB_HIL_PIN_NINT, &b->pins.nint, "nINT", "pins.nint" },
		{ NB_HIL_PIN_MDC, &b->mdio.mdc, "MDC", "mdio.mdc" },
		{ NB_HIL_PIN_MDIO, &b->mdio.mdio, "MDIO", "mdio.mdio" },
	};
	char name[16];

	for (size_t i = 0; i < NB_ARRAY_SIZE(m); i++) {
		if (m[i].p->via == NB_HIL_VIA_NONE)
			continue;
#ifdef NB_HIL_HAVE_FTDI
		if (m[i].p->via == NB_HIL_VIA_FTDI && m[i].p->pin >= nb_ftdi_pin_count(h->ftdi))
			return fail_at(h, -EINVAL, &m[i].p->loc, m[i].key,
				       "the %s has no %s (ADBUS only)", nb_ftdi_chip_name(h->ftdi),
				       nb_hil_pin_name(m[i].p, name, sizeof(name)));
#endif
		nb_hil_pinmap_set(&h->pins, m[i].id, adapter_gpio(h, m[i].p->via), m[i].p->pin);
		describe(h, "%s %s%s", m[i].name, m[i].p->via == NB_HIL_VIA_FTDI ? "" : "line ",
			 nb_hil_pin_name(m[i].p, name, sizeof(name)));
	}
	return 0;
}

static int open_gspi(struct nb_hil *h)
{
	const struct nb_hil_board *b = &h->b;
	char e[256];
	int r;

	if (!b->gspi.set)
		return 0;
	if (b->gspi.via == NB_HIL_VIA_SPIDEV) {
		struct nb_spidev_cfg c = { .path = b->spidev.path, .clock_hz = b->spidev.clock_hz,
					   .four_wire = b->spidev.four_wire, .log = h->cfg.log };

		r = nb_spidev_open(&c, &h->spidev, e, sizeof(e));
		if (r < 0)
			return fail_at(h, r, &b->spidev.loc, "adapters.spidev", "%s", e);
		h->gspi = nb_spidev_gspi(h->spidev);
		describe(h, "gSPI on %s at %u Hz%s", b->spidev.path, nb_spidev_clock(h->spidev),
			 b->spidev.four_wire ? " (4-wire)" : " (3-wire)");
		return 0;
	}
#ifdef NB_HIL_HAVE_FTDI
	r = nb_ftdi_gspi_attach(h->ftdi, &(struct nb_ftdi_gspi_cfg){ .clock_hz = b->gspi.clock_hz,
								       .cs_pin = b->gspi.cs_pin },
				&h->gspi);
	if (r < 0)
		return fail_at(h, r, &b->gspi.loc, "gspi", "%s", nb_ftdi_last_error(h->ftdi));
	describe(h, "gSPI %u Hz CS %s%u", nb_ftdi_gspi_clock(h->ftdi),
		 (b->gspi.cs_pin ? b->gspi.cs_pin : 3u) < 8 ? "ADBUS" : "ACBUS",
		 (b->gspi.cs_pin ? b->gspi.cs_pin : 3u) & 7u);
	return 0;
#else
	return -EOPNOTSUPP; /* open_ftdi() already refused */
#endif
}

static int open_mdio(struct nb_hil *h)
{
	const struct nb_hil_board *b = &h->b;
	int r;

	if (!b->mdio.set)
		return 0;
	if (b->mdio.via == NB_HIL_VIA_BITBANG) {
		struct nb_mdio_bitbang_cfg c = { .gpio = nb_hil_pinmap_gpio(&h->pins),
						 .mdc_pin = NB_HIL_PIN_MDC,
						 .mdio_pin = NB_HIL_PIN_MDIO };

		r = nb_mdio_bitbang_init(&h->bb, &c);
		if (r < 0)
			return fail_at(h, r, &b->mdio.loc, "mdio", "bit-bang pins: set-up failed "
				       "(%s)", strerror(-r));
		h->mdio = h->bb.bus;
		describe(h, "MDIO bit-banged");
		return 0;
	}
#ifdef NB_HIL_HAVE_FTDI
	r = nb_ftdi_mdio_attach(h->ftdi, &(struct nb_ftdi_mdio_cfg){ .mdc_hz = b->mdio.clock_hz },
				&h->mdio);
	if (r < 0)
		return fail_at(h, r, &b->mdio.loc, "mdio", "%s", nb_ftdi_last_error(h->ftdi));
	describe(h, "MDIO MDC %u Hz", nb_ftdi_mdio_clock(h->ftdi));
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

static int open_frames(struct nb_hil *h)
{
	const struct nb_hil_board *b = &h->b;
	struct nb_afpacket_cfg c = { .ifname = b->frames.ifname, .promisc = b->frames.promisc,
				     .nic_keeps_fcs = b->frames.nic_keeps_fcs, .log = h->cfg.log };
	char e[256];
	int r;

	if (!b->frames.set)
		return 0;
	r = nb_afpacket_open(&c, &h->afp, e, sizeof(e));
	if (r < 0)
		return fail_at(h, r, &b->frames.loc, "frames", "%s", e);
	describe(h, "frames on %s%s", b->frames.ifname, b->frames.promisc ? " (promisc)" : "");
	return 0;
}

/* ---- images --------------------------------------------------------------------------- */

static int load(struct nb_hil *h, const char *path, const struct nb_hil_loc *at,
		const char *what, uint8_t **buf, size_t *len)
{
	int r = nb_hil_read_file(path, NB_HIL_FW_MAX, buf, len);

	if (r == -EFBIG)
		return fail_at(h, r, at, what, "'%s' is larger than the chip's %u KB RAM", path,
			       NB_HIL_FW_MAX / 1024u);
	if (r < 0)
		return fail_at(h, r, at, what, "cannot read '%s': %s", path,
			       r == -ENODATA ? "empty file" : strerror(-r));
	return 0;
}

static int load_images(struct nb_hil *h)
{
	const struct nb_hil_board *b = &h->b;
	unsigned bad = 0;
	long n;
	int r;

	if (b->chip != NB_HIL_CHIP_CYW43439)
		return 0;
	r = load(h, b->cyw43439.firmware, &b->cyw43439.firmware_loc, "cyw43439.firmware", &h->fw,
		 &h->fw_len);
	if (r == 0)
		r = load(h, b->cyw43439.nvram, &b->cyw43439.nvram_loc, "cyw43439.nvram", &h->nvram,
			 &h->nvram_len);
	if (r == 0 && b->cyw43439.clm[0])
		r = load(h, b->cyw43439.clm, &b->cyw43439.clm_loc, "cyw43439.clm", &h->clm,
			 &h->clm_len);
	if (r < 0)
		return r;
	n = nb_hil_nvram_convert(h->nvram, h->nvram_len, &bad);
	if (n < 0)
		return fail_at(h, -EINVAL, &b->cyw43439.nvram_loc, "cyw43439.nvram",
			       "'%s' line %u: expected key=value", b->cyw43439.nvram, bad);
	h->nvram_len = (size_t)n;
	describe(h, "firmware %zu bytes, NVRAM %zu, CLM %zu", h->fw_len, h->nvram_len,
		 h->clm_len);
	return 0;
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

int nb_hil_open(const struct nb_hil_board *b, const struct nb_hil_cfg *cfg, struct nb_hil **out,
		char *err, size_t errlen)
{
	struct nb_hil *h;
	int r;

	if (err && errlen)
		err[0] = '\0';
	if (!b || !out || b->chip == NB_HIL_CHIP_NONE) {
		if (err)
			snprintf(err, errlen, "hil: no board given");
		return -EINVAL;
	}
	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (!h) {
		if (err)
			snprintf(err, errlen, "hil: out of memory");
		return -ENOMEM;
	}
	h->b = *b;
	if (cfg)
		h->cfg = *cfg;
	if (!h->cfg.clock.ops)
		h->cfg.clock = *nb_hil_clock_monotonic();
	r = open_ftdi(h);
	if (r == 0)
		r = open_gpiod(h);
	if (r == 0)
		r = wire_pins(h);
	if (r == 0)
		r = open_gspi(h);
	if (r == 0)
		r = open_mdio(h);
	if (r == 0)
		r = open_frames(h);
	if (r == 0)
		r = load_images(h);
	if (r < 0) {
		if (err)
			snprintf(err, errlen, "%s", h->err);
		nb_hil_close(h);
		return r;
	}
	*out = h;
	return 0;
}

void nb_hil_close(struct nb_hil *h)
{
	if (!h)
		return;
	nb_afpacket_close(h->afp);
	nb_spidev_close(h->spidev);
#ifdef NB_HIL_HAVE_GPIOD
	nb_gpiod_close(h->gpiod);
#endif
#ifdef NB_HIL_HAVE_FTDI
	nb_ftdi_close(h->ftdi);
#endif
	free(h->fw);
	free(h->nvram);
	free(h->clm);
	free(h);
}

/* ---- what drivers get ------------------------------------------------------------------- */

int nb_hil_cyw43439_cfg(const struct nb_hil *h, struct nb_cyw43439_cfg *cfg)
{
	if (h->b.chip != NB_HIL_CHIP_CYW43439)
		return -EINVAL;
	cfg->gspi = h->gspi;
	cfg->gpio = nb_hil_gpio(h);
	cfg->pins_set = true;
	cfg->wl_reg_on_pin = NB_HIL_PIN_WL_REG_ON;
	cfg->host_wake_pin = NB_HIL_PIN_HOST_WAKE;
	/* no HOST_WAKE wired: the device polls (reference §1.8 allows either) */
	cfg->no_irq = h->b.pins.host_wake.via == NB_HIL_VIA_NONE;
	cfg->clock = h->cfg.clock;
	cfg->log = h->cfg.log;
	cfg->firmware = h->fw;
	cfg->firmware_len = h->fw_len;
	cfg->nvram = h->nvram;
	cfg->nvram_len = h->nvram_len;
	cfg->clm = h->clm;
	cfg->clm_len = h->clm_len;
	if (h->b.cyw43439.mac_set) {
		cfg->mac_set = true;
		memcpy(cfg->mac, h->b.cyw43439.mac, sizeof(cfg->mac));
	}
	if (h->b.cyw43439.country[0])
		memcpy(cfg->country, h->b.cyw43439.country, sizeof(cfg->country));
	return 0;
}

int nb_hil_lan8720_cfg(const struct nb_hil *h, struct nb_lan8720_cfg *cfg)
{
	if (h->b.chip != NB_HIL_CHIP_LAN8720)
		return -EINVAL;
	cfg->mdio = h->mdio;
	cfg->rmii = nb_hil_rmii(h);
	cfg->gpio = nb_hil_gpio(h);
	cfg->has_nrst = h->b.pins.nrst.via != NB_HIL_VIA_NONE;
	cfg->nrst_pin = NB_HIL_PIN_NRST;
	cfg->has_nint = h->b.pins.nint.via != NB_HIL_VIA_NONE;
	cfg->nint_pin = NB_HIL_PIN_NINT;
	cfg->phy_addr = h->b.lan8720.phy_addr;
	memcpy(cfg->mac, h->b.lan8720.mac, sizeof(cfg->mac));
	cfg->clock = h->cfg.clock;
	cfg->log = h->cfg.log;
	return 0;
}

struct nb_gspi_bus nb_hil_gspi(const struct nb_hil *h)
{
	return h->gspi;
}

struct nb_mdio_bus nb_hil_mdio(const struct nb_hil *h)
{
	return h->mdio;
}

struct nb_rmii_port nb_hil_rmii(const struct nb_hil *h)
{
	struct nb_rmii_port none = { 0 };

	return h->afp ? nb_afpacket_rmii(h->afp) : none;
}

struct nb_gpio nb_hil_gpio(const struct nb_hil *h)
{
	/* the map is only read through the ops; the handle stays logically const */
	return nb_hil_pinmap_gpio((struct nb_hil_pinmap *)&h->pins);
}

const struct nb_clock *nb_hil_clock(const struct nb_hil *h)
{
	return &h->cfg.clock;
}

const struct nb_hil_board *nb_hil_board(const struct nb_hil *h)
{
	return &h->b;
}

/* ---- run loop --------------------------------------------------------------------------- */

unsigned nb_hil_fds(const struct nb_hil *h, int *fds, unsigned cap)
{
	unsigned n = 0;

#ifdef NB_HIL_HAVE_GPIOD
	if (h->gpiod)
		n = nb_gpiod_fds(h->gpiod, fds, cap);
#endif
	if (h->afp) {
		if (n < cap)
			fds[n] = nb_afpacket_fd(h->afp);
		n++;
	}
	return n;
}

int nb_hil_work(struct nb_hil *h)
{
	int done = 0;

#ifdef NB_HIL_HAVE_GPIOD
	if (h->gpiod) {
		int r = nb_gpiod_dispatch(h->gpiod);

		if (r < 0) {
			snprintf(h->err, sizeof(h->err), "%s", nb_gpiod_last_error(h->gpiod));
			return r;
		}
		done += r;
	}
#endif
#ifdef NB_HIL_HAVE_FTDI
	if (h->ftdi && nb_ftdi_irq_armed(h->ftdi)) {
		uint64_t now = nb_clock_now(&h->cfg.clock);

		if (now >= h->next_irq_poll) {
			int r;

			h->next_irq_poll = now + h->b.irq_poll_ns;
			r = nb_ftdi_irq_poll(h->ftdi);
			if (r < 0) {
				snprintf(h->err, sizeof(h->err), "%s", nb_ftdi_last_error(h->ftdi));
				return r;
			}
			done += r;
		}
	}
#endif
	if (h->afp) {
		struct pollfd p = { .fd = nb_afpacket_fd(h->afp), .events = POLLIN };

		if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN))
			done += nb_afpacket_service(h->afp);
	}
	return done;
}

uint64_t nb_hil_deadline(const struct nb_hil *h)
{
#ifdef NB_HIL_HAVE_FTDI
	if (h->ftdi && nb_ftdi_irq_armed(h->ftdi))
		return h->next_irq_poll;
#endif
	return NB_DEADLINE_NONE;
}

const char *nb_hil_describe(const struct nb_hil *h)
{
	return h->desc;
}

const char *nb_hil_last_error(const struct nb_hil *h)
{
	return h->err;
}
