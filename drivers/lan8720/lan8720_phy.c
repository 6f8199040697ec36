/* SPDX-License-Identifier: MIT */
/* LAN8720A vendor layer over the clause-22 core: straps, MDIX, EDPD, interrupts, HCDSPEED. */
#include "drivers/lan8720/lan8720_priv.h"
#include "drivers/lan8720/lan8720_regs.h"
#include "drivers/util/nb_errno.h"

/* EDPD energy look (Linux smsc.c): EDPD off for up to 640 ms, ENERGYON checked every 10 ms. */
#define EDPD_LOOK_NS (640ull * NB_NS_PER_MS)
#define EDPD_CHECK_NS (10ull * NB_NS_PER_MS)
/* ENERGYON falls 256 ms after energy is lost (reference §6); check at a fraction of that. */
#define INT7_CHECK_NS (100ull * NB_NS_PER_MS)

static uint64_t link_poll_ns(const struct nb_lan8720 *d)
{
	return d->cfg.link_poll_ns ? d->cfg.link_poll_ns : NB_NS_PER_S;
}

/* Reference §3: MODE latches from RXD0/RXD1/CRS_DV at nRST release; an RP2040 whose pads still
 * have their reset pull-downs makes it 000 (forced 10 Mb/s half duplex, AN off) or 110
 * (power-down). A soft reset takes MODE from reg 18, so rewriting it there before the reset
 * gives the "all capable" defaults. */
static int lan_pre_reset(struct nb_phy *phy)
{
	struct nb_lan8720 *d = nb_lan8720_of_phy(phy);
	int smr = nb_phy_read(phy, LAN8720_SMR);
	unsigned mode;
	int ret;

	if (smr < 0)
		return smr;
	mode = ((unsigned)smr & LAN8720_SMR_MODE_MASK) >> LAN8720_SMR_MODE_SHIFT;
	d->stats.mode_found = (uint8_t)mode;
	if (mode == LAN8720_SMR_MODE_ALL)
		return 0;
	nb_lan8720_log(d, NB_LOG_WARN, "MODE strap not 111 (pulled low at reset?), fixing: mode, smr",
		       mode, smr);
	ret = nb_phy_write(phy, LAN8720_SMR,
			   (uint16_t)((smr & ~LAN8720_SMR_MODE_MASK) |
				      (LAN8720_SMR_MODE_ALL << LAN8720_SMR_MODE_SHIFT)));
	if (ret < 0)
		return ret;
	d->stats.mode_fixups++;
	return 0;
}

/* MODE and PHYAD are not affected by a soft reset: if MODE is not 111 now, the write above
 * did not take and the defaults we rely on (AN on, all abilities) are not there. */
static int lan_post_reset(struct nb_phy *phy)
{
	struct nb_lan8720 *d = nb_lan8720_of_phy(phy);
	int smr = nb_phy_read(phy, LAN8720_SMR);

	if (smr < 0)
		return smr;
	if ((((unsigned)smr & LAN8720_SMR_MODE_MASK) >> LAN8720_SMR_MODE_SHIFT) !=
	    LAN8720_SMR_MODE_ALL) {
		nb_lan8720_log(d, NB_LOG_ERR, "MODE still not 111 after fix-up and reset: smr", smr,
			       0);
		return -NB_EIO;
	}
	return 0;
}

static int lan_config_init(struct nb_phy *phy)
{
	struct nb_lan8720 *d = nb_lan8720_of_phy(phy);
	enum nb_lan8720_mdix mdix = d->cfg.mdix;
	uint16_t set = 0;
	int ret;

	/* Reg 27 on the LAN8720A: bit 15 set turns Auto-MDIX off and bit 13 picks the pairs
	 * (Microchip's driver; the bit meanings Linux uses for LAN8700-class parts differ).
	 * Bits 3:0 read 1011 and must be kept, so read-modify-write. */
	if (mdix == NB_LAN8720_MDIX_AUTO && d->cfg.no_autoneg)
		mdix = NB_LAN8720_MDIX_MDI;
	if (mdix == NB_LAN8720_MDIX_MDI)
		set = LAN8720_SCSIR_AMDIXCTRL;
	else if (mdix == NB_LAN8720_MDIX_MDIX)
		set = LAN8720_SCSIR_AMDIXCTRL | LAN8720_SCSIR_CH_SELECT;
	ret = nb_phy_modify(phy, LAN8720_SCSIR, LAN8720_SCSIR_AMDIXCTRL | LAN8720_SCSIR_CH_SELECT,
			    set);
	if (ret < 0)
		return ret;
	ret = nb_phy_modify(phy, LAN8720_MCSR, LAN8720_MCSR_EDPWRDOWN | LAN8720_MCSR_ALTINT,
			    d->cfg.edpd ? LAN8720_MCSR_EDPWRDOWN : 0);
	if (ret < 0)
		return ret;
	nb_lan8720_vendor_reset(d);
	if (d->cfg.edpd)
		d->edpd_next = nb_clock_deadline(&d->cfg.clock, link_poll_ns(d));
	return 0;
}

static int lan_config_intr(struct nb_phy *phy, bool enable)
{
	struct nb_lan8720 *d = nb_lan8720_of_phy(phy);
	uint16_t imr = 0;
	int ret;

	if (enable) {
		imr = LAN8720_INT4_LINK_DOWN | LAN8720_INT6_AN_COMPLETE;
		if (d->cfg.irq_energyon)
			imr |= LAN8720_INT7_ENERGYON;
	}
	ret = nb_phy_write(phy, LAN8720_IMR, imr);
	if (ret < 0)
		return ret;
	d->imr = imr;
	d->int7_masked = false;
	d->int7_check = NB_DEADLINE_NONE;
	return 0;
}

static int write_imr(struct nb_lan8720 *d, uint16_t imr)
{
	int ret = nb_phy_write(&d->phy, LAN8720_IMR, imr);

	if (ret < 0)
		return ret;
	d->imr = imr;
	return 0;
}

/* Primary interrupt mode: one read of reg 29 clears every flag and releases nINT. */
static int lan_ack_interrupt(struct nb_phy *phy)
{
	struct nb_lan8720 *d = nb_lan8720_of_phy(phy);
	int isf = nb_phy_read_live(phy, LAN8720_ISF);
	int ret;

	if (isf < 0)
		return isf;
	d->stats.isf_reads++;
	d->stats.isf_seen |= (uint16_t)isf;
	if (isf & LAN8720_INT7_ENERGYON) {
		d->stats.energyon_events++;
		/* ENERGYON quirk (reference §4): with INT7 unmasked, releasing nINT while ENERGYON
		 * is still 1 makes nINT pulse for 256 ms about 1 s after the cable is pulled.
		 * Mask INT7 now; it is unmasked once ENERGYON has fallen. */
		if (d->imr & LAN8720_INT7_ENERGYON) {
			ret = write_imr(d, d->imr & (uint16_t)~LAN8720_INT7_ENERGYON);
			if (ret < 0)
				return ret;
			d->int7_masked = true;
		}
	}
	if ((isf & LAN8720_INT4_LINK_DOWN) && d->int7_masked)
		d->int7_check = nb_clock_deadline(&d->cfg.clock, INT7_CHECK_NS);
	return isf;
}

static bool hcd_decode(unsigned hcd, uint16_t *speed, bool *fd)
{
	switch (hcd) {
	case LAN8720_HCD_10HD:
		*speed = 10;
		*fd = false;
		return true;
	case LAN8720_HCD_10FD:
		*speed = 10;
		*fd = true;
		return true;
	case LAN8720_HCD_100HD:
		*speed = 100;
		*fd = false;
		return true;
	case LAN8720_HCD_100FD:
		*speed = 100;
		*fd = true;
		return true;
	default:
		return false;
	}
}

/* Reg 31 HCDSPEED is what the PHY actually runs (it also covers parallel detection, where
 * ANLPAR need not name the technology). It is valid once Autodone is set, or in forced mode. */
static int lan_read_status(struct nb_phy *phy, struct nb_phy_status *st)
{
	struct nb_lan8720 *d = nb_lan8720_of_phy(phy);
	int pscsr = nb_phy_read_live(phy, LAN8720_PSCSR);
	uint16_t speed;
	bool fd;

	if (pscsr < 0)
		return pscsr;
	if (st->autoneg && !(pscsr & LAN8720_PSCSR_AUTODONE))
		return 0;
	if (!hcd_decode(((unsigned)pscsr & LAN8720_PSCSR_HCD_MASK) >> LAN8720_PSCSR_HCD_SHIFT,
			&speed, &fd)) {
		d->stats.hcd_unknown++;
		nb_lan8720_log(d, NB_LOG_WARN, "HCDSPEED holds no valid code: pscsr", pscsr, 0);
		return 0;
	}
	if (st->speed_mbps && (st->speed_mbps != speed || st->full_duplex != fd)) {
		d->stats.speed_mismatch++;
		nb_lan8720_log(d, NB_LOG_WARN, "HCDSPEED differs from ANAR&ANLPAR: pscsr, lpa", pscsr,
			       st->lpa);
	}
	st->speed_mbps = speed;
	st->full_duplex = fd;
	return 0;
}

const struct nb_phy_quirks nb_lan8720_quirks = {
	.name = "LAN8720A",
	.pre_reset = lan_pre_reset,
	.post_reset = lan_post_reset,
	.config_init = lan_config_init,
	.config_intr = lan_config_intr,
	.ack_interrupt = lan_ack_interrupt,
	.read_status = lan_read_status,
};

void nb_lan8720_vendor_reset(struct nb_lan8720 *d)
{
	d->int7_masked = false;
	d->int7_check = NB_DEADLINE_NONE;
	d->edpd_looking = false;
	d->edpd_next = NB_DEADLINE_NONE;
	d->edpd_check = NB_DEADLINE_NONE;
	d->edpd_look_end = NB_DEADLINE_NONE;
	d->vendor_retry = NB_DEADLINE_NONE;
}

static int edpd_set(struct nb_lan8720 *d, bool on)
{
	int ret = nb_phy_modify(&d->phy, LAN8720_MCSR, LAN8720_MCSR_EDPWRDOWN,
				on ? LAN8720_MCSR_EDPWRDOWN : 0);

	return ret < 0 ? ret : 0;
}

/* Linux smsc.c: LAN87xx parts sometimes miss ENERGYON on plug-in while in EDPD, so with the
 * link down EDPD is switched off now and then until energy shows up or 640 ms pass. Done as
 * timers instead of Linux's blocking poll. */
static int edpd_step(struct nb_lan8720 *d)
{
	const struct nb_clock *clk = &d->cfg.clock;
	bool link = nb_phy_state(&d->phy) == NB_PHY_ST_RUNNING;
	int mcsr, ret;

	if (!d->edpd_looking) {
		if (link || !nb_clock_expired(clk, d->edpd_next))
			return 0;
		ret = edpd_set(d, false);
		if (ret < 0)
			return ret;
		d->stats.edpd_wakes++;
		d->edpd_looking = true;
		d->edpd_look_end = nb_clock_deadline(clk, EDPD_LOOK_NS);
		d->edpd_check = nb_clock_deadline(clk, EDPD_CHECK_NS);
		return 0;
	}
	if (!link && !nb_clock_expired(clk, d->edpd_check) &&
	    !nb_clock_expired(clk, d->edpd_look_end))
		return 0;
	mcsr = link ? (int)LAN8720_MCSR_ENERGYON : nb_phy_read(&d->phy, LAN8720_MCSR);
	if (mcsr < 0)
		return mcsr;
	if (!(mcsr & LAN8720_MCSR_ENERGYON) && !nb_clock_expired(clk, d->edpd_look_end)) {
		d->edpd_check = nb_clock_deadline(clk, EDPD_CHECK_NS);
		return 0;
	}
	ret = edpd_set(d, true);
	if (ret < 0)
		return ret;
	d->edpd_looking = false;
	d->edpd_check = NB_DEADLINE_NONE;
	d->edpd_look_end = NB_DEADLINE_NONE;
	d->edpd_next = nb_clock_deadline(clk, link_poll_ns(d));
	return 0;
}

static int int7_step(struct nb_lan8720 *d)
{
	int mcsr;

	if (!d->int7_masked || !nb_clock_expired(&d->cfg.clock, d->int7_check))
		return 0;
	mcsr = nb_phy_read(&d->phy, LAN8720_MCSR);
	if (mcsr < 0)
		return mcsr;
	if (mcsr & LAN8720_MCSR_ENERGYON) {
		d->int7_check = nb_clock_deadline(&d->cfg.clock, INT7_CHECK_NS);
		return 0;
	}
	d->int7_masked = false;
	d->int7_check = NB_DEADLINE_NONE;
	return write_imr(d, d->imr | LAN8720_INT7_ENERGYON);
}

void nb_lan8720_vendor_step(struct nb_lan8720 *d)
{
	enum nb_phy_state st = nb_phy_state(&d->phy);
	int ret = 0;

	if (st != NB_PHY_ST_NOLINK && st != NB_PHY_ST_RUNNING)
		return;
	if (d->vendor_retry != NB_DEADLINE_NONE) {
		if (!nb_clock_expired(&d->cfg.clock, d->vendor_retry))
			return;
		d->vendor_retry = NB_DEADLINE_NONE;
	}
	if (d->cfg.edpd)
		ret = edpd_step(d);
	if (ret == 0)
		ret = int7_step(d);
	if (ret < 0) {
		/* A bus error in supervision, as in the core: counted, the timers that were due
		 * stay due and are looked at again one poll period later. */
		nb_phy_note_bus_error(&d->phy, ret);
		d->vendor_retry = nb_clock_deadline(&d->cfg.clock, link_poll_ns(d));
	}
}

uint64_t nb_lan8720_vendor_deadline(const struct nb_lan8720 *d)
{
	enum nb_phy_state st = nb_phy_state(&d->phy);
	uint64_t t = NB_DEADLINE_NONE;

	if (st != NB_PHY_ST_NOLINK && st != NB_PHY_ST_RUNNING)
		return t;
	if (d->cfg.edpd) {
		if (d->edpd_looking)
			t = NB_MIN(d->edpd_check, d->edpd_look_end);
		else if (st == NB_PHY_ST_NOLINK)
			t = d->edpd_next;
	}
	if (d->int7_masked)
		t = NB_MIN(t, d->int7_check);
	if (t != NB_DEADLINE_NONE && d->vendor_retry != NB_DEADLINE_NONE)
		t = NB_MAX(t, d->vendor_retry);
	return t;
}
