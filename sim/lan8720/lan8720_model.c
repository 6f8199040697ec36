/* SPDX-License-Identifier: MIT */
/* LAN8720A model: construction, bus attachment, back door and strict-mode reports. */
#include "sim/lan8720/lan8720_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The partner until set_partner(): a switch advertising all four abilities and symmetric
 * pause, with Auto-MDIX. */
static const struct nb_lan8720_partner default_partner = {
	.autoneg = true,
	.ability = 0x05E1,
};

void lan_violation(struct nb_lan8720_model *m, const char *fmt, ...)
{
	uint64_t t = nb_sim_now(m->sim);
	va_list ap;
	int n;

	if (m->cfg.lax)
		return;
	m->stats.violations++;
	n = snprintf(m->last_violation, sizeof(m->last_violation), "LAN8720A at %llu.%06llu ms: ",
		     (unsigned long long)(t / NB_NS_PER_MS),
		     (unsigned long long)(t % NB_NS_PER_MS));
	if (n < 0 || (size_t)n >= sizeof(m->last_violation))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(m->last_violation + n, sizeof(m->last_violation) - (size_t)n, fmt, ap);
	va_end(ap);
	if (m->vfn)
		m->vfn(m->vctx, m->last_violation, t);
}

/* Energy from the partner reaches our receive pair: cable in, far end transmitting, and the
 * pairs line up (a fixed-MDI partner needs us on the other channel, or a crossover cable). */
bool lan_signal(const struct nb_lan8720_model *m)
{
	bool carrier;

	if (m->nrst_low)
		return false;
	carrier = m->wire ? nb_wire_carrier(m->wire, m->end) : m->cable;
	if (!carrier)
		return false;
	if (m->partner.fixed_mdi && (m->r[LAN_SCSIR] & SCSIR_AMDIXCTRL)) {
		bool we_mdix = (m->r[LAN_SCSIR] & SCSIR_CH_SELECT) != 0;

		return we_mdix != m->partner.crossover;
	}
	return true;
}

/* ---- MDIO device ---------------------------------------------------------------------- */

static bool mdio_answers(void *ctx, uint8_t addr)
{
	struct nb_lan8720_model *m = ctx;
	uint8_t own = m->r[LAN_SMR] & SMR_PHYAD;
	bool mine = addr == own || (m->cfg.addr0_broadcast && addr == 0);

	if (!mine)
		return false;
	if (m->nrst_low) {
		/* Held in reset the SMI does not answer; the line floats. */
		m->stats.mdio_in_reset++;
		lan_violation(m, "MDIO frame for PHY address %u while nRST is low: no answer", addr);
		return false;
	}
	return true;
}

static uint16_t mdio_read(void *ctx, uint8_t reg)
{
	return lan_reg_read(ctx, reg);
}

static void mdio_write(void *ctx, uint8_t reg, uint16_t val)
{
	lan_reg_write(ctx, reg, val);
}

static const struct nb_sim_mdio_dev_ops lan_mdio_ops = {
	.answers = mdio_answers,
	.read = mdio_read,
	.write = mdio_write,
};

/* ---- lifecycle ------------------------------------------------------------------------ */

const char *nb_lan8720_model_cfg_check(const struct nb_lan8720_model_cfg *cfg)
{
	if (!cfg)
		return NULL;
	if (cfg->phy_addr > 31)
		return "lan8720 model: phy_addr above 31";
	if (cfg->mode_strap_set && cfg->mode_strap > 7)
		return "lan8720 model: mode_strap above 7 (MODE is 3 bits)";
	if (cfg->revision > 15)
		return "lan8720 model: revision above 15 (PHYID2 has 4 revision bits)";
	if (cfg->soft_reset_ns > 500 * NB_NS_PER_MS)
		return "lan8720 model: soft_reset_ns above 0.5 s (IEEE/datasheet maximum)";
	return NULL;
}

struct nb_lan8720_model *nb_lan8720_model_new(struct nb_sim *sim,
					      const struct nb_lan8720_model_cfg *cfg)
{
	struct nb_lan8720_model *m;

	if (!sim || nb_lan8720_model_cfg_check(cfg)) {
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		errno = ENOMEM;
		return NULL;
	}
	m->sim = sim;
	if (cfg)
		m->cfg = *cfg;
	if (!m->cfg.revision)
		m->cfg.revision = 1;
	if (!m->cfg.soft_reset_ns)
		m->cfg.soft_reset_ns = NB_NS_PER_MS;
	if (!m->cfg.an_ns)
		m->cfg.an_ns = 1500 * NB_NS_PER_MS;
	if (!m->cfg.an_restart_ns)
		m->cfg.an_restart_ns = 1200 * NB_NS_PER_MS;
	if (!m->cfg.energy_off_ns)
		m->cfg.energy_off_ns = 256 * NB_NS_PER_MS;
	if (!m->cfg.rx_queue)
		m->cfg.rx_queue = 16;
	if (!m->cfg.tx_queue)
		m->cfg.tx_queue = 4;
	if (!m->cfg.forced_link_ns)
		m->cfg.forced_link_ns = 330 * NB_NS_PER_MS;
	if (!m->cfg.link_fail_10_ns)
		m->cfg.link_fail_10_ns = 100 * NB_NS_PER_MS;
	if (!m->cfg.forced_anar)
		m->cfg.forced_anar = 0x01A1;
	m->strap_mode = m->cfg.mode_strap_set ? m->cfg.mode_strap : 7;
	m->strap_phyad = m->cfg.phy_addr;
	m->partner = default_partner;
	m->nint_line = true;
	lan_phy_init_timers(m);
	if (lan_rmii_init(m) < 0) {
		lan_rmii_free(m);
		free(m);
		errno = ENOMEM;
		return NULL;
	}
	/* Power-on reset. */
	lan_hw_reset(m);
	return m;
}

void nb_lan8720_model_free(struct nb_lan8720_model *m)
{
	if (!m)
		return;
	if (m->mdio)
		nb_sim_mdio_detach(m->mdio, m);
	if (m->wire) {
		nb_wire_set_end_up(m->wire, m->end, false);
		nb_wire_attach(m->wire, m->end, NULL, NULL);
	}
	lan_phy_cancel_timers(m);
	lan_rmii_free(m);
	free(m);
}

int nb_lan8720_model_attach_mdio(struct nb_lan8720_model *m, struct nb_sim_mdio *bus)
{
	int ret;

	if (m->mdio)
		return -EBUSY;
	ret = nb_sim_mdio_attach(bus, &lan_mdio_ops, m);
	if (ret == 0)
		m->mdio = bus;
	return ret;
}

struct nb_rmii_port nb_lan8720_model_rmii(struct nb_lan8720_model *m)
{
	return (struct nb_rmii_port){ .ops = &lan_rmii_ops, .ctx = m };
}

struct nb_gpio nb_lan8720_model_gpio(struct nb_lan8720_model *m)
{
	return (struct nb_gpio){ .ops = &lan_gpio_ops, .ctx = m };
}

void nb_lan8720_model_attach_wire(struct nb_lan8720_model *m, struct nb_wire *wire, int end)
{
	m->wire = wire;
	m->end = end & 1;
	m->end_up = lan_pma_active(m);
	nb_wire_attach(wire, m->end, &lan_wire_ops, m);
	nb_wire_set_end_up(wire, m->end, m->end_up);
	lan_signal_changed(m);
}

/* ---- back door ------------------------------------------------------------------------ */

void nb_lan8720_model_set_cable(struct nb_lan8720_model *m, bool plugged)
{
	if (m->wire) {
		nb_wire_set_plugged(m->wire, plugged); /* carrier callbacks follow */
		return;
	}
	m->cable = plugged;
	lan_signal_changed(m);
}

void nb_lan8720_model_set_partner(struct nb_lan8720_model *m, const struct nb_lan8720_partner *p)
{
	m->partner = p ? *p : default_partner;
	lan_signal_changed(m);
}

int nb_lan8720_model_inject_rx(struct nb_lan8720_model *m, const uint8_t *frame, size_t len,
			       uint32_t wire_flags)
{
	return lan_rx_from_line(m, frame, len, wire_flags);
}

void nb_lan8720_model_corrupt_rx(struct nb_lan8720_model *m, unsigned n)
{
	m->corrupt_rx += n;
}

void nb_lan8720_model_inject_jabber(struct nb_lan8720_model *m)
{
	m->lh_jabber = true;
	lan_irq_eval(m);
}

void nb_lan8720_model_set_straps(struct nb_lan8720_model *m, uint8_t mode, uint8_t phy_addr)
{
	m->strap_mode = mode & 7;
	m->strap_phyad = phy_addr & 0x1F;
}

uint16_t nb_lan8720_model_peek(const struct nb_lan8720_model *m, uint8_t reg)
{
	return lan_reg_peek(m, reg);
}

bool nb_lan8720_model_link_up(const struct nb_lan8720_model *m)
{
	return m->link;
}

bool nb_lan8720_model_nint_asserted(const struct nb_lan8720_model *m)
{
	return lan_nint_asserted(m);
}

const struct nb_lan8720_model_stats *nb_lan8720_model_stats(const struct nb_lan8720_model *m)
{
	return &m->stats;
}

void nb_lan8720_model_set_violation_cb(struct nb_lan8720_model *m, nb_lan8720_violation_fn fn,
				       void *ctx)
{
	m->vfn = fn;
	m->vctx = ctx;
}

const char *nb_lan8720_model_last_violation(const struct nb_lan8720_model *m)
{
	return m->last_violation;
}
