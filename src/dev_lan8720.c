/* SPDX-License-Identifier: MIT */
/*
 * The lan8720 device: the real driver (drivers/lan8720) on a simulated MDIO bus
 * (sim/bus/mdio_bus.h: register-level frames, or the bit-bang driver on the bus's pins)
 * and the RMII port, nRST and nINT pins of the register-level model (sim/lan8720), whose
 * MDI side is the wire. The wire's partner description goes to the model, which negotiates
 * with it once something is powered at the far end of the wire.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/bus/mdio_bitbang.h"
#include "drivers/lan8720/lan8720.h"
#include "sim/bus/mdio_bus.h"
#include "sim/lan8720/lan8720_model.h"
#include "src/capture_bus.h"
#include "src/devices.h"
#include "src/log.h"

enum { MDIO_REGISTER = 0, MDIO_BITBANG };
enum { IRQ_NINT = 0, IRQ_POLL };
enum { CRC_SLICE8 = 0, CRC_TABLE };
enum { DUPLEX_FULL = 0, DUPLEX_HALF };

struct lan8720_cfg {
	uint32_t mdio, irq, crc, mdix, duplex;
	uint32_t phy_address, strap_mode, speed, advertise, mdc_hz, rx_queue, tx_queue;
	bool scan_address, nrst, autoneg, edpd, irq_energyon, promisc, strict;
	uint64_t link_poll_ns, an_ns, soft_reset_ns;
};

struct lan8720_dev {
	struct nb_device base;
	struct nb_sim_mdio *mdio;
	struct nb_lan8720_model *model;
	struct nb_mdio_bitbang bb;
	struct nb_lan8720 drv;
	bool drv_ready;
	const struct nb_logger *logger;
	uint64_t violations;
	/* Fault injection (timeline `fault:`): the driver's MDIO bus passes through here. */
	struct nb_mdio_bus mdio_real;
	uint32_t mdio_timeouts, mdio_all_ones;
	uint64_t mdio_injected; /* accesses the fault layer answered instead of the PHY */
	uint8_t phy_addr;
	uint8_t mac[NB_ETH_ALEN];
};

static struct lan8720_dev *lan_of(struct nb_device *d)
{
	return nb_container_of(d, struct lan8720_dev, base);
}

static void on_violation(void *ctx, const char *what, uint64_t t_ns)
{
	struct lan8720_dev *d = ctx;

	d->violations++;
	nb_logf(d->logger, NB_LOG_WARN, "lan8720.model", "strict mode at %llu ns: %s",
		(unsigned long long)t_ns, what);
}

static int lan_set_cable(struct nb_device *base, bool plugged)
{
	nb_lan8720_model_set_cable(lan_of(base)->model, plugged);
	return 0;
}

static const char *const state_names[] = {
	[NB_LAN8720_ST_DOWN] = "down",         [NB_LAN8720_ST_HW_RESET] = "hw_reset",
	[NB_LAN8720_ST_PHY_RESET] = "phy_reset", [NB_LAN8720_ST_NOLINK] = "nolink",
	[NB_LAN8720_ST_RUNNING] = "running",   [NB_LAN8720_ST_FAILED] = "failed",
};

static void lan_status(struct nb_device *base, struct nb_json *j)
{
	struct lan8720_dev *d = lan_of(base);
	const struct nb_lan8720_model_stats *ms = nb_lan8720_model_stats(d->model);
	const struct nb_sim_mdio_stats *bs = nb_sim_mdio_stats(d->mdio);
	const struct nb_lan8720_stats *ds = nb_lan8720_stats(&d->drv);
	enum nb_lan8720_state st = nb_lan8720_state(&d->drv);

	nb_json_str(j, "driver_state", (unsigned)st < NB_ARRAY_SIZE(state_names) ? state_names[st]
									      : "?");
	nb_json_i64(j, "driver_error", nb_lan8720_error(&d->drv));
	nb_json_u64(j, "phy_address", nb_lan8720_phy(&d->drv)->addr);
	nb_json_u64(j, "mode_fixups", ds->mode_fixups);
	nb_json_u64(j, "nint_irqs", ds->nint_irqs);
	nb_json_u64(j, "isf_reads", ds->isf_reads);
	nb_json_u64(j, "rmii_tx_frames", ms->rmii_tx_frames);
	nb_json_u64(j, "rmii_rx_frames", ms->rmii_rx_frames);
	nb_json_u64(j, "rx_fcs_errors", ms->rx_fcs_errors);
	nb_json_u64(j, "rx_overflow", ms->rx_overflow);
	nb_json_u64(j, "rx_no_link", ms->rx_no_link);
	nb_json_u64(j, "tx_no_link", ms->tx_no_link);
	nb_json_u64(j, "soft_resets", ms->soft_resets);
	nb_json_u64(j, "an_completions", ms->an_completions);
	nb_json_u64(j, "link_ups", ms->link_ups);
	nb_json_u64(j, "link_downs", ms->link_downs);
	nb_json_u64(j, "violations", ms->violations);
	nb_json_u64(j, "mdio_reads", bs->reads);
	nb_json_u64(j, "mdio_writes", bs->writes);
	nb_json_u64(j, "mdio_bad_frames", bs->bad_frames);
	nb_json_u64(j, "mdio_unanswered", bs->unanswered);
	nb_json_u64(j, "mdio_injected_faults", d->mdio_injected);
	nb_json_u64(j, "mdio_errors", nb_lan8720_phy(&d->drv)->stats.bus_errors);
}

/* The bus monitor's turnaround probe: frames nobody answered (a read's TA stayed high). */
static uint64_t lan_mdio_misses(void *ctx)
{
	return nb_sim_mdio_stats(ctx)->unanswered;
}

static bool lan_partner_link(struct nb_device *base)
{
	return nb_lan8720_model_link_up(lan_of(base)->model);
}

static uint64_t lan_violations(struct nb_device *base)
{
	return lan_of(base)->violations;
}

static void lan_free(struct nb_device *base)
{
	struct lan8720_dev *d = lan_of(base);

	if (d->drv_ready)
		nb_lan8720_deinit(&d->drv);
	nb_lan8720_model_free(d->model);
	nb_sim_mdio_free(d->mdio);
	free(d);
}

/* ---- faults ------------------------------------------------------------------------ */

/* A PHY that does not answer leaves MDIO to its pull-up: reads shift in all ones and writes
 * go nowhere (802.3 22.2.4.5 turnaround with nobody driving). A bus adapter that gives up
 * reports a timeout instead. Either way for the next N accesses. */
enum mdio_fault { MDIO_FAULT_NONE, MDIO_FAULT_TIMEOUT, MDIO_FAULT_ALL_ONES };

/* Which injected fault, if any, this access meets (and use it up). */
static enum mdio_fault take_mdio_fault(struct lan8720_dev *d)
{
	if (d->mdio_timeouts) {
		d->mdio_timeouts--;
		d->mdio_injected++;
		return MDIO_FAULT_TIMEOUT;
	}
	if (d->mdio_all_ones) {
		d->mdio_all_ones--;
		d->mdio_injected++;
		return MDIO_FAULT_ALL_ONES;
	}
	return MDIO_FAULT_NONE;
}

static int fault_mdio_read(void *ctx, uint8_t phy, uint8_t reg)
{
	struct lan8720_dev *d = ctx;

	switch (take_mdio_fault(d)) {
	case MDIO_FAULT_TIMEOUT:
		return -ETIMEDOUT;
	case MDIO_FAULT_ALL_ONES:
		return 0xFFFF;
	default:
		return nb_mdio_read(&d->mdio_real, phy, reg);
	}
}

static int fault_mdio_write(void *ctx, uint8_t phy, uint8_t reg, uint16_t val)
{
	struct lan8720_dev *d = ctx;

	switch (take_mdio_fault(d)) {
	case MDIO_FAULT_TIMEOUT:
		return -ETIMEDOUT;
	case MDIO_FAULT_ALL_ONES:
		return 0; /* the write went nowhere; nothing on the bus says so */
	default:
		return nb_mdio_write(&d->mdio_real, phy, reg, val);
	}
}

static const struct nb_mdio_ops fault_mdio_ops = {
	.read = fault_mdio_read,
	.write = fault_mdio_write,
};

/* A short frame to us with RXER raised on the line (a burst of bad code groups). */
static int inject_rxer(struct lan8720_dev *d)
{
	static const uint8_t src[NB_ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xfe };
	uint8_t f[64] = { 0 };
	uint32_t fcs;

	memcpy(f, d->mac, NB_ETH_ALEN);
	memcpy(f + 6, src, NB_ETH_ALEN);
	f[12] = 0x88; /* 0x88B5: IEEE local experimental EtherType */
	f[13] = 0xB5;
	fcs = nb_crc32(0, f, 60);
	for (int i = 0; i < 4; i++)
		f[60 + i] = (uint8_t)(fcs >> (8 * i));
	return nb_lan8720_model_inject_rx(d->model, f, sizeof(f), NB_WIRE_F_SYMBOL_ERR);
}

/* Every name lan_fault() accepts, for the scenario check at load time. */
static const char *const lan_fault_names[] = {
	"mdio-timeout", "mdio-all-ones", "rxer", "fcs-errors", "jabber", "phy-reset", NULL,
};

static const char fault_names[] =
	"mdio-timeout[:N], mdio-all-ones[:N], rxer[:N], fcs-errors[:N], jabber, phy-reset";

static int lan_fault(struct nb_device *base, const char *name, char *err, size_t len)
{
	struct lan8720_dev *d = lan_of(base);
	const char *colon = strchr(name, ':');
	size_t nlen = colon ? (size_t)(colon - name) : strlen(name);
	unsigned long n = colon ? strtoul(colon + 1, NULL, 10) : 0;
	int ret;

#define IS(s) (nlen == sizeof(s) - 1 && !strncmp(name, s, nlen))
	if (IS("mdio-timeout")) {
		d->mdio_timeouts = n ? (uint32_t)n : 1;
	} else if (IS("mdio-all-ones")) {
		d->mdio_all_ones = n ? (uint32_t)n : 1;
	} else if (IS("fcs-errors")) {
		nb_lan8720_model_corrupt_rx(d->model, n ? (unsigned)n : 1);
	} else if (IS("rxer")) {
		for (unsigned long i = 0; i < (n ? n : 1); i++) {
			ret = inject_rxer(d);
			if (ret < 0) {
				snprintf(err, len, "rxer: the PHY does not receive (%s)",
					 strerror(-ret));
				return ret;
			}
		}
	} else if (IS("jabber") && !colon) {
		nb_lan8720_model_inject_jabber(d->model);
	} else if (IS("phy-reset") && !colon) {
		/* As after a supply glitch: BMCR.15 through the bus's back door, so the registers
		 * go back to their defaults without the driver asking. */
		struct nb_mdio_bus bus = nb_sim_mdio_bus(d->mdio);

		ret = nb_mdio_write(&bus, d->phy_addr, 0, 0x8000);
		if (ret < 0) {
			snprintf(err, len, "phy-reset: %s", strerror(-ret));
			return ret;
		}
	} else {
		snprintf(err, len, "unknown fault '%s' for lan8720 (known: %s)", name,
			 fault_names);
		return -ENOENT;
	}
#undef IS
	return 0;
}

static const struct nb_device_ops lan_dev_ops = {
	.fault = lan_fault,
	.set_cable = lan_set_cable,
	.status = lan_status,
	.partner_link = lan_partner_link,
	.violations = lan_violations,
	.free = lan_free,
};

/* Partner description in the ANLPAR layout the model takes. */
static uint16_t partner_page(const struct nb_partner_cfg *p)
{
	uint16_t page = 0x0001; /* selector: IEEE 802.3 */

	if (p->ability & NB_NETDEV_CAP_10HD)
		page |= 0x0020;
	if (p->ability & NB_NETDEV_CAP_10FD)
		page |= 0x0040;
	if (p->ability & NB_NETDEV_CAP_100HD)
		page |= 0x0080;
	if (p->ability & NB_NETDEV_CAP_100FD)
		page |= 0x0100;
	if (p->pause)
		page |= 0x0400;
	return page;
}

static struct nb_device *lan_build(const struct nb_device_common *common, const void *cfgp,
				   const struct nb_device_env *env, char *err, size_t len)
{
	const struct lan8720_cfg *cfg = cfgp;
	struct nb_lan8720_model_cfg mc = {
		.phy_addr = (uint8_t)cfg->phy_address,
		.mode_strap_set = true,
		.mode_strap = (uint8_t)cfg->strap_mode,
		.an_ns = cfg->an_ns,
		.soft_reset_ns = cfg->soft_reset_ns,
		.rx_queue = (uint16_t)cfg->rx_queue,
		.tx_queue = (uint16_t)cfg->tx_queue,
		.lax = !cfg->strict,
	};
	struct nb_sim_mdio_cfg bc = { .mdc_hz = cfg->mdc_hz };
	struct nb_lan8720_partner partner = {
		.autoneg = env->partner->autoneg,
		.ability = partner_page(env->partner),
	};
	struct nb_lan8720_cfg dc = { 0 };
	struct lan8720_dev *d = calloc(1, sizeof(*d));
	const char *bad;
	int ret;

	if (!d) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	d->base.ops = &lan_dev_ops;
	d->base.type_name = "lan8720";
	d->logger = env->logger;
	bad = nb_lan8720_model_cfg_check(&mc);
	if (bad) {
		snprintf(err, len, "lan8720 model: %s", bad);
		goto err_free;
	}
	d->model = nb_lan8720_model_new(env->sim, &mc);
	d->mdio = nb_sim_mdio_new(env->sim, &bc);
	if (!d->model || !d->mdio) {
		snprintf(err, len, "lan8720: creating the model: %s", strerror(errno));
		goto err_free;
	}
	nb_lan8720_model_set_violation_cb(d->model, on_violation, d);
	ret = nb_lan8720_model_attach_mdio(d->model, d->mdio);
	if (ret < 0) {
		snprintf(err, len, "lan8720: attaching the model to MDIO: %s", strerror(-ret));
		goto err_free;
	}
	nb_lan8720_model_attach_wire(d->model, env->wire, 0);
	nb_lan8720_model_set_partner(d->model, &partner);

	if (cfg->mdio == MDIO_BITBANG) {
		struct nb_mdio_bitbang_cfg bbc = {
			.gpio = nb_sim_mdio_gpio(d->mdio),
			.mdc_pin = NB_SIM_MDIO_PIN_MDC,
			.mdio_pin = NB_SIM_MDIO_PIN_MDIO,
		};

		ret = nb_mdio_bitbang_init(&d->bb, &bbc);
		if (ret < 0) {
			snprintf(err, len, "lan8720: bit-bang MDIO: %s", strerror(-ret));
			goto err_free;
		}
		d->mdio_real = d->bb.bus;
	} else {
		d->mdio_real = nb_sim_mdio_bus(d->mdio);
	}
	dc.mdio = (struct nb_mdio_bus){ .ops = &fault_mdio_ops, .ctx = d };
	d->phy_addr = (uint8_t)cfg->phy_address;
	memcpy(d->mac, common->mac, NB_ETH_ALEN);
	dc.rmii = nb_lan8720_model_rmii(d->model);
	if ((ret = nb_capture_mdio(env->capture, "lan8720.mdio", &dc.mdio, cfg->mdc_hz,
				   lan_mdio_misses, d->mdio)) < 0 ||
	    (ret = nb_capture_rmii(env->capture, "lan8720.rmii", &dc.rmii)) < 0) {
		snprintf(err, len, "lan8720: bus monitor: %s", strerror(-ret));
		goto err_free;
	}
	dc.clock = *nb_sim_clock(env->sim);
	dc.log = *env->log;
	dc.gpio = nb_lan8720_model_gpio(d->model);
	dc.has_nrst = cfg->nrst;
	dc.nrst_pin = NB_LAN8720_PIN_NRST;
	dc.has_nint = cfg->irq == IRQ_NINT;
	dc.nint_pin = NB_LAN8720_PIN_NINT;
	dc.phy_addr = (uint8_t)cfg->phy_address;
	dc.scan_addr = cfg->scan_address;
	memcpy(dc.mac, common->mac, NB_ETH_ALEN);
	dc.crc32 = cfg->crc == CRC_TABLE ? nb_crc32 : nb_crc32_slice8;
	dc.advertise = cfg->advertise;
	dc.no_autoneg = !cfg->autoneg;
	dc.forced_speed = (uint16_t)cfg->speed;
	dc.forced_full_duplex = cfg->duplex == DUPLEX_FULL;
	dc.edpd = cfg->edpd;
	dc.irq_energyon = cfg->irq_energyon;
	dc.mdix = (enum nb_lan8720_mdix)cfg->mdix;
	dc.link_poll_ns = (uint32_t)cfg->link_poll_ns;
	dc.promisc = cfg->promisc;
	dc.name = common->name;
	ret = nb_lan8720_init(&d->drv, &dc);
	if (ret < 0) {
		snprintf(err, len, "lan8720: driver init: %s (the driver log says why)",
			 strerror(-ret));
		goto err_free;
	}
	d->drv_ready = true;
	d->base.netdev = nb_lan8720_netdev(&d->drv);
	return &d->base;
err_free:
	lan_free(&d->base);
	return NULL;
}

static void lan_defaults(void *cfgp)
{
	struct lan8720_cfg *cfg = cfgp;

	memset(cfg, 0, sizeof(*cfg));
	cfg->strap_mode = 7;
	cfg->nrst = true;
	cfg->autoneg = true;
	cfg->speed = 100;
	cfg->strict = true;
	cfg->mdc_hz = 2500000;
	cfg->link_poll_ns = NB_NS_PER_S;
}

static const struct nb_conf_name mdio_names[] = {
	{ "register", MDIO_REGISTER }, { "bitbang", MDIO_BITBANG }, { NULL, 0 } };
static const struct nb_conf_name irq_names[] = {
	{ "nint", IRQ_NINT }, { "poll", IRQ_POLL }, { NULL, 0 } };
static const struct nb_conf_name crc_names[] = {
	{ "slice8", CRC_SLICE8 }, { "table", CRC_TABLE }, { NULL, 0 } };
static const struct nb_conf_name duplex_names[] = {
	{ "full", DUPLEX_FULL }, { "half", DUPLEX_HALF }, { NULL, 0 } };
static const struct nb_conf_name speed_names[] = {
	{ "10", 10 }, { "100", 100 }, { NULL, 0 } };
static const struct nb_conf_name mdix_names[] = {
	{ "auto", NB_LAN8720_MDIX_AUTO }, { "mdi", NB_LAN8720_MDIX_MDI },
	{ "mdix", NB_LAN8720_MDIX_MDIX }, { NULL, 0 } };

#define F(k, kind_, member, ...)                                                            \
	{ .key = k, .kind = kind_, .offset = offsetof(struct lan8720_cfg, member),          \
	  .size = sizeof(((struct lan8720_cfg *)0)->member), __VA_ARGS__ }

static const struct nb_field lan_fields[] = {
	F("mdio", NB_FIELD_ENUM, mdio, .names = mdio_names, .what = "an MDIO access method"),
	F("irq", NB_FIELD_ENUM, irq, .names = irq_names,
	  .what = "how link changes are noticed"),
	F("phy_address", NB_FIELD_UINT, phy_address, .max = 31),
	F("scan_address", NB_FIELD_BOOL, scan_address),
	F("strap_mode", NB_FIELD_UINT, strap_mode, .max = 7),
	F("nrst", NB_FIELD_BOOL, nrst),
	F("autoneg", NB_FIELD_BOOL, autoneg),
	F("advertise", NB_FIELD_FLAGS, advertise, .names = nb_speed_names),
	F("speed", NB_FIELD_ENUM, speed, .names = speed_names),
	F("duplex", NB_FIELD_ENUM, duplex, .names = duplex_names),
	F("mdix", NB_FIELD_ENUM, mdix, .names = mdix_names),
	F("edpd", NB_FIELD_BOOL, edpd),
	F("irq_energyon", NB_FIELD_BOOL, irq_energyon),
	F("link_poll", NB_FIELD_DURATION, link_poll_ns, .min = NB_NS_PER_MS, .max = 4 * NB_NS_PER_S),
	F("promisc", NB_FIELD_BOOL, promisc),
	F("crc", NB_FIELD_ENUM, crc, .names = crc_names),
	F("strict", NB_FIELD_BOOL, strict),
	F("mdc_hz", NB_FIELD_UINT, mdc_hz, .min = 1000, .max = 25000000),
	F("an_time", NB_FIELD_DURATION, an_ns),
	F("soft_reset_time", NB_FIELD_DURATION, soft_reset_ns),
	F("rx_queue", NB_FIELD_UINT, rx_queue, .min = 1, .max = 1024),
	F("tx_queue", NB_FIELD_UINT, tx_queue, .min = 1, .max = 1024),
	{ 0 },
};

const struct nb_device_type nb_device_lan8720 = {
	.name = "lan8720",
	.summary = "LAN8720A PHY driver + software MAC over MDIO/RMII, register-level model",
	.fields = lan_fields,
	.cfg_size = sizeof(struct lan8720_cfg),
	.defaults = lan_defaults,
	.build = lan_build,
	.fault_names = lan_fault_names,
};
