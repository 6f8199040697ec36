/* SPDX-License-Identifier: MIT */
/* Clause-22 PHY core: lifecycle, identification, soft reset and the state machine. */
#include "drivers/phy/c22.h"

#include "drivers/phy/c22_priv.h"
#include "drivers/util/nb_errno.h"

#include <string.h>

int nb_phy_read(const struct nb_phy *phy, uint8_t reg)
{
	return nb_mdio_read(&phy->cfg.mdio, phy->addr, reg);
}

int nb_phy_read_live(const struct nb_phy *phy, uint8_t reg)
{
	int v = nb_mdio_read(&phy->cfg.mdio, phy->addr, reg);

	return v == 0xFFFF ? -NB_EIO : v;
}

void nb_phy_note_bus_error(struct nb_phy *phy, int err)
{
	phy->stats.bus_errors++;
	if (phy->bus_error_run++ == 0)
		nb_phy_log(phy, NB_LOG_WARN, "MDIO error in link supervision, retrying: err, state",
			   err, phy->state);
}

void nb_phy_note_bus_ok(struct nb_phy *phy)
{
	if (!phy->bus_error_run)
		return;
	nb_phy_log(phy, NB_LOG_INFO, "MDIO answers again after errors: count", phy->bus_error_run,
		   0);
	phy->bus_error_run = 0;
}

int nb_phy_write(const struct nb_phy *phy, uint8_t reg, uint16_t val)
{
	return nb_mdio_write(&phy->cfg.mdio, phy->addr, reg, val);
}

int nb_phy_modify(const struct nb_phy *phy, uint8_t reg, uint16_t clear, uint16_t set)
{
	int old = nb_phy_read(phy, reg);
	uint16_t val;
	int ret;

	if (old < 0)
		return old;
	val = (uint16_t)(((unsigned)old & ~(unsigned)clear) | set);
	if (val == (uint16_t)old)
		return 0;
	ret = nb_phy_write(phy, reg, val);
	return ret < 0 ? ret : 1;
}

void nb_phy_log(const struct nb_phy *phy, enum nb_log_level level, const char *msg, int64_t a,
		int64_t b)
{
	nb_log(phy->cfg.log, level, phy->cfg.log_src ? phy->cfg.log_src : "phy", msg, a, b);
}

int nb_phy_init(struct nb_phy *phy, const struct nb_phy_cfg *cfg)
{
	if (!phy || !cfg || !cfg->mdio.ops || !cfg->mdio.ops->read || !cfg->mdio.ops->write ||
	    !cfg->clock.ops || !cfg->clock.ops->now_ns)
		return -NB_EINVAL;
	if (cfg->addr > NB_MDIO_MAX_ADDR)
		return -NB_EINVAL;
	if (cfg->forced && cfg->forced_speed != 10 && cfg->forced_speed != 100)
		return -NB_EINVAL;
	if (cfg->advertise & ~(uint32_t)(NB_PHY_SPEED_MASK | NB_PHY_PAUSE | NB_PHY_ASYM_PAUSE))
		return -NB_EINVAL;
	memset(phy, 0, sizeof(*phy));
	phy->cfg = *cfg;
	if (!phy->cfg.link_poll_ns)
		phy->cfg.link_poll_ns = NB_PHY_DEFAULT_LINK_POLL_NS;
	if (!phy->cfg.reset_timeout_ns)
		phy->cfg.reset_timeout_ns = NB_PHY_DEFAULT_RESET_TIMEOUT_NS;
	if (!phy->cfg.reset_poll_ns)
		phy->cfg.reset_poll_ns = NB_PHY_DEFAULT_RESET_POLL_NS;
	phy->addr = cfg->addr;
	phy->state = NB_PHY_ST_DOWN;
	phy->timer = NB_DEADLINE_NONE;
	phy->reset_deadline = NB_DEADLINE_NONE;
	return 0;
}

/* Linux (phy_device.c) treats an ID with the low 29 bits all ones as "nobody there"; an
 * undriven line without a pull-up reads zeros instead (reference §1: RP2040 pads default to
 * pull-down), so an all-zero ID means the same. */
static bool id_absent(uint32_t id)
{
	return (id & 0x1FFFFFFFu) == 0x1FFFFFFFu || id == 0;
}

int nb_phy_read_id(const struct nb_mdio_bus *bus, uint8_t addr, uint32_t *id)
{
	int hi, lo;

	if (!bus || !id || addr > NB_MDIO_MAX_ADDR)
		return -NB_EINVAL;
	hi = nb_mdio_read(bus, addr, NB_MII_PHYID1);
	if (hi < 0)
		return hi;
	lo = nb_mdio_read(bus, addr, NB_MII_PHYID2);
	if (lo < 0)
		return lo;
	*id = ((uint32_t)hi << 16) | (uint32_t)lo;
	return id_absent(*id) ? -NB_ENODEV : 0;
}

int nb_phy_scan(const struct nb_mdio_bus *bus, uint8_t first, uint32_t id, uint32_t mask,
		uint8_t *addr, uint32_t *found_id)
{
	if (!addr || !found_id)
		return -NB_EINVAL;
	for (unsigned a = first; a <= NB_MDIO_MAX_ADDR; a++) {
		uint32_t got;
		int ret = nb_phy_read_id(bus, (uint8_t)a, &got);

		if (ret == -NB_ENODEV)
			continue;
		if (ret < 0)
			return ret;
		if ((got & mask) != (id & mask))
			continue;
		*addr = (uint8_t)a;
		*found_id = got;
		return 0;
	}
	return -NB_ENODEV;
}

int nb_phy_probe(struct nb_phy *phy, bool scan)
{
	uint32_t id = 0;
	int ret;

	if (scan) {
		uint8_t addr;

		ret = nb_phy_scan(&phy->cfg.mdio, 0, phy->cfg.id, phy->cfg.id_mask, &addr, &id);
		if (ret == -NB_ENODEV) {
			nb_phy_log(phy, NB_LOG_ERR, "scan: no matching PHY at any address",
				   phy->cfg.id, phy->cfg.id_mask);
			return ret;
		}
		if (ret < 0)
			return ret;
		phy->addr = addr;
	} else {
		ret = nb_phy_read_id(&phy->cfg.mdio, phy->addr, &id);
		if (ret == -NB_ENODEV) {
			nb_phy_log(phy, NB_LOG_ERR, "no PHY answers: addr, id", phy->addr, id);
			return ret;
		}
		if (ret < 0)
			return ret;
		if ((id & phy->cfg.id_mask) != (phy->cfg.id & phy->cfg.id_mask)) {
			nb_phy_log(phy, NB_LOG_ERR, "PHY ID does not match: read, expected", id,
				   phy->cfg.id);
			phy->id = id;
			return -NB_ENXIO;
		}
	}
	phy->id = id;
	nb_phy_log(phy, NB_LOG_INFO, "PHY found: addr, id", phy->addr, id);
	return 0;
}

static void phy_fail(struct nb_phy *phy, int err, const char *why)
{
	nb_phy_log(phy, NB_LOG_ERR, why, err, phy->state);
	nb_phy_report_down(phy);
	phy->state = NB_PHY_ST_FAILED;
	phy->error = err;
	phy->timer = NB_DEADLINE_NONE;
	phy->irq_pending = false;
	phy->ack_retry = false;
}

int nb_phy_start(struct nb_phy *phy)
{
	const struct nb_phy_quirks *q = phy->cfg.quirks;
	int ret;

	nb_phy_report_down(phy);
	phy->error = 0;
	phy->irq_pending = false;
	phy->ack_retry = false;
	phy->bus_error_run = 0;
	phy->an_restarting = false;
	if (q && q->pre_reset) {
		ret = q->pre_reset(phy);
		if (ret < 0) {
			phy_fail(phy, ret, "pre-reset fix-up failed");
			return ret;
		}
	}
	/* The reset bit goes alone: the LAN8720A datasheet asks that no other BMCR bit be set
	 * in the same write, and a combined write would be undone by the reset anyway. */
	ret = nb_phy_write(phy, NB_MII_BMCR, NB_BMCR_RESET);
	if (ret < 0) {
		phy_fail(phy, ret, "soft reset write failed");
		return ret;
	}
	phy->stats.soft_resets++;
	phy->state = NB_PHY_ST_RESET;
	phy->reset_deadline = nb_clock_deadline(&phy->cfg.clock, phy->cfg.reset_timeout_ns);
	phy->timer = nb_clock_deadline(&phy->cfg.clock, phy->cfg.reset_poll_ns);
	return 0;
}

/* Everything after the self-clear, in order: vendor fix-ups, abilities, stale interrupt
 * flags, interrupt mask, advertisement. All synchronous bus transactions. */
static int phy_configure(struct nb_phy *phy)
{
	const struct nb_phy_quirks *q = phy->cfg.quirks;
	int ret, bmsr;

	if (q && q->post_reset) {
		ret = q->post_reset(phy);
		if (ret < 0)
			return ret;
	}
	bmsr = nb_phy_read(phy, NB_MII_BMSR);
	if (bmsr < 0)
		return bmsr;
	phy->supported = nb_phy_modes_from_bmsr((uint16_t)bmsr);
	if (!phy->cfg.forced && !(bmsr & NB_BMSR_ANEGCAPABLE)) {
		nb_phy_log(phy, NB_LOG_ERR, "PHY cannot autonegotiate: bmsr", bmsr, 0);
		return -NB_EOPNOTSUPP;
	}
	if (q && q->config_init) {
		ret = q->config_init(phy);
		if (ret < 0)
			return ret;
	}
	if (phy->cfg.use_irq && q && q->ack_interrupt && q->config_intr) {
		ret = q->ack_interrupt(phy);
		if (ret < 0)
			return ret;
		ret = q->config_intr(phy, true);
		if (ret < 0)
			return ret;
	}
	return nb_phy_config_aneg(phy);
}

static int phy_reset_poll(struct nb_phy *phy)
{
	int bmcr = nb_phy_read(phy, NB_MII_BMCR);
	int ret;

	if (bmcr < 0)
		return bmcr;
	if (bmcr & NB_BMCR_RESET) {
		if (nb_clock_expired(&phy->cfg.clock, phy->reset_deadline)) {
			nb_phy_log(phy, NB_LOG_ERR, "soft reset did not self-clear: bmcr, ms", bmcr,
				   (int64_t)(phy->cfg.reset_timeout_ns / NB_NS_PER_MS));
			return -NB_ETIMEDOUT;
		}
		phy->timer = nb_clock_deadline(&phy->cfg.clock, phy->cfg.reset_poll_ns);
		return 0;
	}
	phy->reset_deadline = NB_DEADLINE_NONE;
	ret = phy_configure(phy);
	if (ret < 0)
		return ret;
	phy->state = NB_PHY_ST_NOLINK;
	/* Look at the link at once: it may already be up (forced mode, fast partner). */
	return nb_phy_update_link(phy);
}

int nb_phy_step(struct nb_phy *phy)
{
	const struct nb_phy_quirks *q = phy->cfg.quirks;
	int ret = 0;

	switch (phy->state) {
	case NB_PHY_ST_RESET:
		if (!nb_clock_expired(&phy->cfg.clock, phy->timer))
			return 0;
		ret = phy_reset_poll(phy);
		if (ret < 0)
			phy_fail(phy, ret, "bring-up failed");
		return ret;
	case NB_PHY_ST_NOLINK:
	case NB_PHY_ST_RUNNING:
		if (!phy->irq_pending && !nb_clock_expired(&phy->cfg.clock, phy->timer))
			return 0;
		if (phy->irq_pending)
			phy->stats.irqs++;
		if (phy->irq_pending || phy->ack_retry) {
			phy->irq_pending = false;
			phy->ack_retry = false;
			if (q && q->ack_interrupt) {
				ret = q->ack_interrupt(phy);
				if (ret < 0) {
					/* nINT stays asserted and raises no new edge: only a retry
					 * of the acknowledge releases it. */
					phy->ack_retry = true;
					goto err_bus;
				}
				phy->irq_flags = (uint32_t)ret;
			}
		}
		ret = nb_phy_update_link(phy);
		if (ret < 0)
			goto err_bus;
		nb_phy_note_bus_ok(phy);
		return 0;
	case NB_PHY_ST_DOWN:
	case NB_PHY_ST_FAILED:
	default:
		return 0;
	}
err_bus:
	/* After bring-up a bus error is transient (a glitch, a PHY busy in a reset of its own):
	 * keep the last known link and look again one poll period later, interrupt or not. */
	nb_phy_note_bus_error(phy, ret);
	phy->timer = nb_clock_deadline(&phy->cfg.clock, phy->cfg.link_poll_ns);
	return 0;
}

void nb_phy_trigger(struct nb_phy *phy)
{
	if (phy->state == NB_PHY_ST_NOLINK || phy->state == NB_PHY_ST_RUNNING)
		phy->irq_pending = true;
}

uint64_t nb_phy_next_deadline(const struct nb_phy *phy)
{
	switch (phy->state) {
	case NB_PHY_ST_RESET:
	case NB_PHY_ST_NOLINK:
	case NB_PHY_ST_RUNNING:
		return phy->timer;
	default:
		return NB_DEADLINE_NONE;
	}
}

int nb_phy_stop(struct nb_phy *phy, bool power_down)
{
	const struct nb_phy_quirks *q;
	int ret = 0, r;
	bool configured;

	if (!phy)
		return 0;
	q = phy->cfg.quirks;
	configured = phy->state == NB_PHY_ST_NOLINK || phy->state == NB_PHY_ST_RUNNING;
	if (configured && phy->cfg.use_irq && q && q->config_intr) {
		r = q->config_intr(phy, false);
		if (r < 0)
			ret = r;
	}
	/* Power-down drops the link at the partner too, so frames stop arriving while nobody
	 * listens; a later start resets the PHY, which clears BMCR.11 again. */
	if (power_down && configured) {
		r = nb_phy_modify(phy, NB_MII_BMCR, 0, NB_BMCR_PDOWN);
		if (r < 0 && ret == 0)
			ret = r;
	}
	nb_phy_report_down(phy);
	phy->state = NB_PHY_ST_DOWN;
	phy->timer = NB_DEADLINE_NONE;
	phy->reset_deadline = NB_DEADLINE_NONE;
	phy->irq_pending = false;
	phy->ack_retry = false;
	phy->an_restarting = false;
	return ret;
}
