/* SPDX-License-Identifier: MIT */
/* Clause-22 PHY core: advertisement, autonegotiation, forced mode, link and resolution. */
#include "drivers/phy/c22.h"

#include "drivers/phy/c22_priv.h"
#include "drivers/util/nb_errno.h"

/* Technology bits the core owns in ANAR; remote fault and next page are left as they are. */
#define ADV_OWNED                                                                            \
	(NB_ADV_SELECTOR_MASK | NB_ADV_10HALF | NB_ADV_10FULL | NB_ADV_100HALF |              \
	 NB_ADV_100FULL | NB_ADV_100T4 | NB_ADV_PAUSE | NB_ADV_ASYM_PAUSE)

uint32_t nb_phy_modes_from_bmsr(uint16_t bmsr)
{
	uint32_t m = 0;

	if (bmsr & NB_BMSR_10HALF)
		m |= NB_PHY_10HD;
	if (bmsr & NB_BMSR_10FULL)
		m |= NB_PHY_10FD;
	if (bmsr & NB_BMSR_100HALF)
		m |= NB_PHY_100HD;
	if (bmsr & NB_BMSR_100FULL)
		m |= NB_PHY_100FD;
	return m;
}

uint16_t nb_phy_adv_from_modes(uint32_t modes)
{
	uint16_t adv = NB_ADV_SELECTOR_8023;

	if (modes & NB_PHY_10HD)
		adv |= NB_ADV_10HALF;
	if (modes & NB_PHY_10FD)
		adv |= NB_ADV_10FULL;
	if (modes & NB_PHY_100HD)
		adv |= NB_ADV_100HALF;
	if (modes & NB_PHY_100FD)
		adv |= NB_ADV_100FULL;
	if (modes & NB_PHY_PAUSE)
		adv |= NB_ADV_PAUSE;
	if (modes & NB_PHY_ASYM_PAUSE)
		adv |= NB_ADV_ASYM_PAUSE;
	return adv;
}

uint32_t nb_phy_modes_from_adv(uint16_t adv)
{
	uint32_t m = 0;

	if (adv & NB_ADV_10HALF)
		m |= NB_PHY_10HD;
	if (adv & NB_ADV_10FULL)
		m |= NB_PHY_10FD;
	if (adv & NB_ADV_100HALF)
		m |= NB_PHY_100HD;
	if (adv & NB_ADV_100FULL)
		m |= NB_PHY_100FD;
	if (adv & NB_ADV_PAUSE)
		m |= NB_PHY_PAUSE;
	if (adv & NB_ADV_ASYM_PAUSE)
		m |= NB_PHY_ASYM_PAUSE;
	return m;
}

/* Priority of IEEE 802.3 Annex 28B.3 for the 10/100 technologies. */
int nb_phy_resolve(uint16_t adv, uint16_t lpa, uint16_t *speed_mbps, bool *full_duplex)
{
	uint16_t common = adv & lpa;

	if (common & NB_ADV_100FULL) {
		*speed_mbps = 100;
		*full_duplex = true;
	} else if (common & NB_ADV_100HALF) {
		*speed_mbps = 100;
		*full_duplex = false;
	} else if (common & NB_ADV_10FULL) {
		*speed_mbps = 10;
		*full_duplex = true;
	} else if (common & NB_ADV_10HALF) {
		*speed_mbps = 10;
		*full_duplex = false;
	} else {
		return -NB_ENOENT;
	}
	return 0;
}

void nb_phy_report_down(struct nb_phy *phy)
{
	struct nb_phy_status st = { 0 };

	if (phy->state == NB_PHY_ST_RUNNING)
		phy->state = NB_PHY_ST_NOLINK;
	if (!phy->status.link)
		return;
	phy->status = st;
	phy->stats.link_downs++;
	nb_phy_log(phy, NB_LOG_INFO, "link down", 0, 0);
	if (phy->cfg.link_fn)
		phy->cfg.link_fn(phy, &phy->status, phy->cfg.link_ctx);
}

void nb_phy_arm_link_timer(struct nb_phy *phy)
{
	bool need_poll;

	if (phy->state != NB_PHY_ST_NOLINK && phy->state != NB_PHY_ST_RUNNING) {
		phy->timer = NB_DEADLINE_NONE;
		return;
	}
	/* With an interrupt line only what raises no interrupt is polled: a forced-mode link
	 * coming up (the vendor sources are link-down and AN-complete), a link still down
	 * after AN completed (100BASE-TX link-ready can trail AN), and our own AN restart. */
	need_poll = !phy->cfg.use_irq || phy->an_restarting ||
		    (!phy->status.link &&
		     (phy->cfg.forced || (phy->bmsr & NB_BMSR_ANEGCOMPLETE)));
	phy->timer = need_poll ? nb_clock_deadline(&phy->cfg.clock, phy->cfg.link_poll_ns)
			       : NB_DEADLINE_NONE;
}

static int config_forced(struct nb_phy *phy)
{
	uint16_t bmcr = 0;
	int ret;

	if (phy->cfg.forced_speed == 100)
		bmcr |= NB_BMCR_SPEED100;
	if (phy->cfg.forced_full_duplex)
		bmcr |= NB_BMCR_FULLDPLX;
	/* Keep loopback/isolate/power-down as they are (genphy_setup_forced does the same);
	 * everything else, AN enable included, is ours. */
	ret = nb_phy_modify(phy, NB_MII_BMCR,
			    (uint16_t) ~(NB_BMCR_LOOPBACK | NB_BMCR_ISOLATE | NB_BMCR_PDOWN), bmcr);
	return ret < 0 ? ret : 0;
}

static int restart_aneg(struct nb_phy *phy, int bmcr)
{
	int ret;

	bmcr &= ~(NB_BMCR_ISOLATE | NB_BMCR_PDOWN | NB_BMCR_RESET);
	bmcr |= NB_BMCR_ANENABLE | NB_BMCR_ANRESTART;
	ret = nb_phy_write(phy, NB_MII_BMCR, (uint16_t)bmcr);
	if (ret < 0)
		return ret;
	phy->an_restarting = true;
	phy->stats.an_restarts++;
	return 0;
}

int nb_phy_config_aneg(struct nb_phy *phy)
{
	uint32_t modes;
	int changed, bmcr;

	if (phy->cfg.forced) {
		uint32_t want = phy->cfg.forced_speed == 100
					? (phy->cfg.forced_full_duplex ? NB_PHY_100FD : NB_PHY_100HD)
					: (phy->cfg.forced_full_duplex ? NB_PHY_10FD : NB_PHY_10HD);

		if (!(phy->supported & want)) {
			nb_phy_log(phy, NB_LOG_ERR, "forced mode not supported: mode, supported",
				   want, phy->supported);
			return -NB_EINVAL;
		}
		phy->adv = 0;
		return config_forced(phy);
	}
	modes = phy->cfg.advertise & NB_PHY_SPEED_MASK;
	if (!modes)
		modes = phy->supported;
	modes &= phy->supported;
	if (!modes) {
		nb_phy_log(phy, NB_LOG_ERR, "nothing to advertise: wanted, supported",
			   phy->cfg.advertise, phy->supported);
		return -NB_EINVAL;
	}
	modes |= phy->cfg.advertise & (NB_PHY_PAUSE | NB_PHY_ASYM_PAUSE);
	phy->adv = nb_phy_adv_from_modes(modes);
	/* Writing ANAR does not restart AN (LAN8720A datasheet p.21, IEEE 22.2.4.1.7): restart
	 * only when the page changed or AN is off, so a PHY that already negotiates what we
	 * want (the usual case right after reset) is not sent through the break-link wait. */
	changed = nb_phy_modify(phy, NB_MII_ANAR, ADV_OWNED, phy->adv);
	if (changed < 0)
		return changed;
	bmcr = nb_phy_read(phy, NB_MII_BMCR);
	if (bmcr < 0)
		return bmcr;
	if (changed || !(bmcr & NB_BMCR_ANENABLE) || (bmcr & (NB_BMCR_ISOLATE | NB_BMCR_PDOWN)))
		return restart_aneg(phy, bmcr);
	return 0;
}

int nb_phy_restart_aneg(struct nb_phy *phy)
{
	int bmcr;

	if (phy->cfg.forced ||
	    (phy->state != NB_PHY_ST_NOLINK && phy->state != NB_PHY_ST_RUNNING))
		return -NB_EINVAL;
	bmcr = nb_phy_read(phy, NB_MII_BMCR);
	if (bmcr < 0)
		return bmcr;
	bmcr = restart_aneg(phy, bmcr);
	if (bmcr < 0)
		return bmcr;
	nb_phy_arm_link_timer(phy);
	return 0;
}

/* Speed and duplex of a link that just came up. Leaves speed 0 when unresolved. */
static int resolve(struct nb_phy *phy, struct nb_phy_status *st)
{
	const struct nb_phy_quirks *q = phy->cfg.quirks;
	int lpa, aner;

	st->link = true;
	if (phy->cfg.forced) {
		st->speed_mbps = phy->cfg.forced_speed;
		st->full_duplex = phy->cfg.forced_full_duplex;
	} else {
		st->autoneg = true;
		lpa = nb_phy_read_live(phy, NB_MII_ANLPAR);
		if (lpa < 0)
			return lpa;
		st->lpa = (uint16_t)lpa;
		aner = nb_phy_read_live(phy, NB_MII_ANER);
		if (aner < 0)
			return aner;
		if (aner & NB_ANER_LPANEGABLE) {
			if (nb_phy_resolve(phy->adv, (uint16_t)lpa, &st->speed_mbps,
					   &st->full_duplex) < 0)
				st->speed_mbps = 0;
		} else {
			/* Partner without AN: parallel detection found its technology, always
			 * half duplex (IEEE 28.2.3.1). PHYs may show it in ANLPAR; otherwise
			 * the vendor speed indication has to tell. */
			st->parallel_detect = true;
			st->full_duplex = false;
			if (lpa & (NB_ADV_100HALF | NB_ADV_100FULL))
				st->speed_mbps = 100;
			else if (lpa & (NB_ADV_10HALF | NB_ADV_10FULL))
				st->speed_mbps = 10;
		}
	}
	if (q && q->read_status)
		return q->read_status(phy, st);
	return 0;
}

int nb_phy_update_link(struct nb_phy *phy)
{
	struct nb_phy_status st = { 0 };
	int bmsr, bmcr, ret;
	bool link;

	phy->stats.link_polls++;
	if (phy->an_restarting) {
		/* Until the PHY clears BMCR.9 it may still show the link of before the restart. */
		bmcr = nb_phy_read_live(phy, NB_MII_BMCR);
		if (bmcr < 0)
			return bmcr;
		if (bmcr & NB_BMCR_ANRESTART) {
			nb_phy_report_down(phy);
			nb_phy_arm_link_timer(phy);
			return 0;
		}
		phy->an_restarting = false;
	}
	bmsr = nb_phy_read_live(phy, NB_MII_BMSR);
	if (bmsr < 0)
		return bmsr;
	if (!(bmsr & NB_BMSR_LSTATUS)) {
		/* Latched low: the link failed at least once since the last read. Report that
		 * drop, then read again for the state of now. */
		nb_phy_report_down(phy);
		bmsr = nb_phy_read_live(phy, NB_MII_BMSR);
		if (bmsr < 0)
			return bmsr;
	}
	phy->bmsr = (uint16_t)bmsr;
	link = (bmsr & NB_BMSR_LSTATUS) && (phy->cfg.forced || (bmsr & NB_BMSR_ANEGCOMPLETE));
	if (!link) {
		nb_phy_report_down(phy);
		nb_phy_arm_link_timer(phy);
		return 0;
	}
	if (phy->status.link) {
		/* Up since the last read without a break: nothing new to resolve. */
		nb_phy_arm_link_timer(phy);
		return 0;
	}
	ret = resolve(phy, &st);
	if (ret < 0)
		return ret;
	if (!st.speed_mbps) {
		nb_phy_log(phy, NB_LOG_WARN, "link up but speed unresolved: lpa, bmsr", st.lpa,
			   bmsr);
		phy->status.link = false;
		phy->timer = nb_clock_deadline(&phy->cfg.clock, phy->cfg.link_poll_ns);
		return 0;
	}
	phy->status = st;
	phy->state = NB_PHY_ST_RUNNING;
	phy->stats.link_ups++;
	nb_phy_log(phy, NB_LOG_INFO, "link up: Mb/s, full duplex", st.speed_mbps, st.full_duplex);
	if (phy->cfg.link_fn)
		phy->cfg.link_fn(phy, &phy->status, phy->cfg.link_ctx);
	nb_phy_arm_link_timer(phy);
	return 0;
}
