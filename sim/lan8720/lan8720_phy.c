/* SPDX-License-Identifier: MIT */
/* LAN8720A resets, straps, autonegotiation, link and energy detect, in simulated time. */
#include "sim/lan8720/lan8720_priv.h"

bool lan_powered_down(const struct nb_lan8720_model *m)
{
	return (m->r[LAN_BMCR] & BMCR_PDOWN) || m->mode110;
}

/* The PMA transmits on the line (link pulses, FLPs, idles). Near-end loopback turns the
 * transmitter off (S: DS42), so does EDPD with no energy. */
bool lan_pma_active(const struct nb_lan8720_model *m)
{
	return !m->nrst_low && !m->soft_reset && !lan_powered_down(m) &&
	       !(m->r[LAN_BMCR] & BMCR_LOOPBACK) && !m->edpd_sleep;
}

static void update_end(struct nb_lan8720_model *m)
{
	bool up = lan_pma_active(m);

	if (up == m->end_up)
		return;
	m->end_up = up;
	if (m->wire)
		nb_wire_set_end_up(m->wire, m->end, up);
}

static uint8_t hcd_of(uint16_t speed, bool full)
{
	return (uint8_t)((full ? 4u : 0u) | (speed == 100 ? 2u : 1u));
}

/* PSCSR 4:2 shows the forced setting when AN is off (O: HW 0x0044), the resolved one after
 * AN, and 000 while AN has not resolved (the reference leaves that value open). */
static void update_hcd(struct nb_lan8720_model *m)
{
	uint16_t bmcr = m->r[LAN_BMCR];

	if (!(bmcr & BMCR_ANENABLE))
		m->hcd = hcd_of(bmcr & BMCR_SPEED100 ? 100 : 10, bmcr & BMCR_FULLDPLX);
	else if (m->link)
		m->hcd = hcd_of(m->speed, m->full);
	else
		m->hcd = 0;
}

static void link_set_down(struct nb_lan8720_model *m)
{
	nb_sim_timer_cancel(m->sim, &m->t_linkfail);
	m->an_complete = false;
	m->rf_src = false;
	if (m->link) {
		m->link = false;
		m->ll_link = true;
		m->stats.link_downs++;
	}
	update_hcd(m);
	lan_rmii_state_changed(m);
}

static void link_set_up(struct nb_lan8720_model *m, uint16_t speed, bool full)
{
	m->link = true;
	m->speed = speed;
	m->full = full;
	m->step = LS_UP;
	m->stats.link_ups++;
	update_hcd(m);
	if (m->wire)
		nb_wire_set_speed(m->wire, speed);
	lan_rmii_state_changed(m);
}

static void neg_begin(struct nb_lan8720_model *m)
{
	m->step = LS_NEGOTIATE;
	nb_sim_timer_cancel(m->sim, &m->t_link);
	if (!lan_signal(m))
		return; /* FLPs go out; nothing comes back yet */
	m->neg_start = nb_sim_now(m->sim);
	/* The page exchange takes a fraction of the whole (FLP bursts every 16 ms, then
	 * link_fail_inhibit and the 100BASE-TX link-ready time): a quarter of an_ns. */
	(void)nb_sim_timer_arm(m->sim, &m->t_link, m->neg_start + m->cfg.an_ns / 4);
}

static void forced_begin(struct nb_lan8720_model *m)
{
	m->step = LS_FORCED;
	nb_sim_timer_cancel(m->sim, &m->t_link);
	if (lan_signal(m))
		(void)nb_sim_timer_arm_in(m->sim, &m->t_link, m->cfg.forced_link_ns);
}

/* AN start events (reference §5): reset, soft reset, power-down exit, link down, BMCR.9. */
void lan_link_restart(struct nb_lan8720_model *m, bool break_link)
{
	update_end(m);
	link_set_down(m);
	nb_sim_timer_cancel(m->sim, &m->t_link);
	/* Nothing is received from the partner yet: a stale page (and its ACK, INT3's source)
	 * would hide the next exchange. */
	m->anlpar = ADV_SELECTOR;
	m->lp_an_able = false;
	m->lp_np_able = false;
	/* Reference §4: an AN restart or link down de-asserts INT2/INT1 (primary system). */
	if (!(m->r[LAN_MCSR] & MCSR_ALTINT))
		lan_irq_clear(m, INT2_PDF | INT1_PAGE);
	if (!lan_pma_active(m)) {
		m->step = LS_IDLE;
		return;
	}
	if (!(m->r[LAN_BMCR] & BMCR_ANENABLE)) {
		forced_begin(m);
		return;
	}
	if (break_link) {
		/* DS20v1 p.31: TX/RX stop for the break-link time, then FLPs start again. */
		m->step = LS_BREAK;
		(void)nb_sim_timer_arm_in(m->sim, &m->t_link, m->cfg.an_restart_ns);
		return;
	}
	neg_begin(m);
}

static void page_exchanged(struct nb_lan8720_model *m)
{
	const struct nb_lan8720_partner *p = &m->partner;

	if (p->autoneg) {
		/* The partner's base page arrives and it acknowledges ours. */
		m->anlpar = (uint16_t)(p->ability | ADV_ACK);
		m->lp_an_able = true;
		m->lp_np_able = (p->ability & ADV_NP) != 0;
		m->lh_page = true;
	}
	m->step = LS_PAGE;
	(void)nb_sim_timer_arm(m->sim, &m->t_link, m->neg_start + m->cfg.an_ns);
}

static void no_link(struct nb_lan8720_model *m)
{
	m->step = LS_NO_LINK;
}

/* Priority resolution (28B.3, DS20 p.21) or parallel detection for a forced partner. */
static void an_resolve(struct nb_lan8720_model *m)
{
	const struct nb_lan8720_partner *p = &m->partner;
	uint16_t tech = p->ability & ADV_TECH;

	if (p->autoneg) {
		uint16_t common = m->r[LAN_ANAR] & tech;

		if (!common) {
			no_link(m);
			return;
		}
		m->an_complete = true;
		m->stats.an_completions++;
		m->rf_src = (p->ability & ADV_RF) != 0;
		if (m->rf_src)
			m->lh_rfault = true;
		if (common & ADV_100FD)
			link_set_up(m, 100, true);
		else if (common & ADV_100HD)
			link_set_up(m, 100, false);
		else if (common & ADV_10FD)
			link_set_up(m, 10, true);
		else
			link_set_up(m, 10, false);
		return;
	}
	/* Parallel detection sees which signalling arrives, not the duplex: half duplex,
	 * ANER.0 = 0. It does not depend on our advertisement (IEEE 28.2.3.1 looks at the
	 * PMAs' link status). A partner showing both 10 and 100 is a parallel detection
	 * fault; this model raises it for a forced partner with both speeds set. */
	bool is100 = (tech & (ADV_100FD | ADV_100HD)) != 0;
	bool is10 = (tech & (ADV_10FD | ADV_10HD)) != 0;

	m->lp_an_able = false;
	m->lp_np_able = false;
	if (is100 && is10) {
		m->lh_pdf = true;
		no_link(m);
		return;
	}
	if (!is100 && !is10) {
		no_link(m);
		return;
	}
	/* ANLPAR shows the detected technology (DS20v1 p.31); the bit layout is our choice. */
	m->anlpar = (uint16_t)((is100 ? ADV_100HD : ADV_10HD) | ADV_SELECTOR);
	m->an_complete = true;
	m->stats.an_completions++;
	if (tech & (ADV_100FD | ADV_10FD))
		m->stats.duplex_mismatch++;
	link_set_up(m, is100 ? 100 : 10, false);
}

static void forced_resolve(struct nb_lan8720_model *m)
{
	const struct nb_lan8720_partner *p = &m->partner;
	uint16_t bmcr = m->r[LAN_BMCR];
	uint16_t speed = bmcr & BMCR_SPEED100 ? 100 : 10;
	bool full = (bmcr & BMCR_FULLDPLX) != 0;
	uint16_t tech = p->ability & ADV_TECH;
	bool partner_full;

	if (m->cfg.forced_mdix_hazard && !(m->r[LAN_SCSIR] & SCSIR_AMDIXCTRL)) {
		/* Reported for LAN87xx-family parts: Auto-MDIX keeps swapping pairs when AN
		 * is off, and the link never comes up. */
		if (!m->hazard_reported)
			lan_violation(m, "BMCR 0x%04X: AN off with Auto-MDIX on (27.15 = 0): pairs keep "
				      "swapping, no link; force MDI/MDIX when AN is off", bmcr);
		m->hazard_reported = true;
		no_link(m);
		return;
	}
	if (p->autoneg) {
		/* The partner parallel-detects our speed, and ends up half duplex. */
		if (!(tech & (speed == 100 ? ADV_100HD | ADV_100FD : ADV_10HD | ADV_10FD)) && tech) {
			no_link(m);
			return;
		}
		partner_full = false;
	} else {
		uint16_t fd = speed == 100 ? ADV_100FD : ADV_10FD;
		uint16_t hd = speed == 100 ? ADV_100HD : ADV_10HD;

		if (!(tech & (fd | hd))) {
			no_link(m);
			return;
		}
		partner_full = (tech & fd) != 0;
	}
	if (partner_full != full)
		m->stats.duplex_mismatch++;
	link_set_up(m, speed, full);
}

static void link_timer(void *ctx)
{
	struct nb_lan8720_model *m = ctx;

	switch (m->step) {
	case LS_BREAK:
		neg_begin(m);
		break;
	case LS_NEGOTIATE:
		page_exchanged(m);
		break;
	case LS_PAGE:
		an_resolve(m);
		break;
	case LS_FORCED:
		forced_resolve(m);
		break;
	default:
		break;
	}
	lan_irq_eval(m);
}

static void linkfail_timer(void *ctx)
{
	struct nb_lan8720_model *m = ctx;

	/* 10BASE-T link fail: no pulses for link_fail_10_ns. Link loss restarts AN. */
	lan_link_restart(m, false);
	lan_irq_eval(m);
}

/* ---- energy detect and EDPD (reference §5) -------------------------------------------- */

static void energy_timer(void *ctx)
{
	struct nb_lan8720_model *m = ctx;

	m->energyon = false;
	if (m->r[LAN_MCSR] & MCSR_EDPWRDOWN) {
		m->edpd_sleep = true;
		lan_link_restart(m, false);
	}
	lan_irq_eval(m);
}

static void energy_eval(struct nb_lan8720_model *m)
{
	if (m->nrst_low)
		return;
	if (lan_signal(m)) {
		nb_sim_timer_cancel(m->sim, &m->t_energy);
		m->energyon = true;
		if (m->edpd_sleep) {
			/* Energy wakes the PHY into its earlier state; AN starts over. */
			m->edpd_sleep = false;
			lan_link_restart(m, false);
		}
	} else if (m->energyon && !nb_sim_timer_armed(&m->t_energy)) {
		(void)nb_sim_timer_arm_in(m->sim, &m->t_energy, m->cfg.energy_off_ns);
	}
}

void lan_mcsr_written(struct nb_lan8720_model *m, uint16_t old)
{
	uint16_t now = m->r[LAN_MCSR];

	if ((old ^ now) & MCSR_EDPWRDOWN) {
		if ((now & MCSR_EDPWRDOWN) && !m->energyon) {
			m->edpd_sleep = true;
			lan_link_restart(m, false);
		} else if (!(now & MCSR_EDPWRDOWN) && m->edpd_sleep) {
			m->edpd_sleep = false;
			lan_link_restart(m, false);
		}
	}
	if ((old ^ now) & MCSR_FARLOOP)
		lan_rmii_state_changed(m);
}

/* ---- signal on the line --------------------------------------------------------------- */

/* Waiting for (or re-evaluating) the link with the current BMCR: AN or forced. */
static void link_wait(struct nb_lan8720_model *m)
{
	if (m->r[LAN_BMCR] & BMCR_ANENABLE)
		neg_begin(m);
	else
		forced_begin(m);
}

void lan_signal_changed(struct nb_lan8720_model *m)
{
	bool sig = lan_signal(m);

	if (m->nrst_low || sig == m->signal)
		return;
	m->signal = sig;
	energy_eval(m);
	switch (m->step) {
	case LS_UP:
		if (sig) {
			nb_sim_timer_cancel(m->sim, &m->t_linkfail);
		} else if (m->speed == 10) {
			/* 10BASE-T: link fail after link_fail_10_ns without pulses. */
			if (!nb_sim_timer_armed(&m->t_linkfail))
				(void)nb_sim_timer_arm_in(m->sim, &m->t_linkfail,
							  m->cfg.link_fail_10_ns);
		} else {
			/* 100BASE-TX drops as soon as valid data stops; link loss restarts AN. */
			lan_link_restart(m, false);
		}
		break;
	case LS_NEGOTIATE:
	case LS_PAGE:
	case LS_FORCED:
	case LS_NO_LINK:
		/* Negotiation interrupted, or a (new) partner appeared: start over. */
		link_wait(m);
		break;
	default:
		break; /* PMA off, or in the break-link wait */
	}
	lan_irq_eval(m);
}

/* A new MDI/MDIX setting: the pairs may now line up; a PHY stuck without link retries
 * with it (silicon keeps retrying; the model does so at once). */
void lan_mdix_changed(struct nb_lan8720_model *m)
{
	bool before = m->signal;

	lan_signal_changed(m);
	if (m->signal == before && m->step == LS_NO_LINK) {
		link_wait(m);
		lan_irq_eval(m);
	}
}

/* ---- BMCR ----------------------------------------------------------------------------- */

void lan_bmcr_written(struct nb_lan8720_model *m, uint16_t old, uint16_t val)
{
	uint16_t now = m->r[LAN_BMCR];
	uint16_t changed = old ^ now;
	bool restart;

	if (m->mode110 && (old & BMCR_PDOWN) && !(now & BMCR_PDOWN))
		lan_violation(m,
			      "reg 0 (BMCR) write 0x%04X: power-up with MODE=110 latched; the part "
			      "stays powered down until reg 18 MODE is changed and a soft reset "
			      "is done",
			      val);
	restart = (changed & (BMCR_PDOWN | BMCR_LOOPBACK | BMCR_ANENABLE)) ||
		  (!(now & BMCR_ANENABLE) && (changed & (BMCR_SPEED100 | BMCR_FULLDPLX)));
	/* BMCR.9 only acts with AN enabled (22.2.4.1.7); it reads back 0 at once because
	 * the arbitration starts with the break-link state. */
	if ((val & BMCR_ANRESTART) && (now & BMCR_ANENABLE))
		lan_link_restart(m, true);
	else if (restart)
		lan_link_restart(m, false);
	else
		update_hcd(m);
	if (changed & (BMCR_ISOLATE | BMCR_LOOPBACK | BMCR_PDOWN))
		lan_rmii_state_changed(m);
}

/* ---- resets --------------------------------------------------------------------------- */

static void report_mode110(struct nb_lan8720_model *m, const char *when)
{
	lan_violation(m,
		      "MODE[2:0]=110 latched at %s: the part wakes powered down and cannot be "
		      "used; write another MODE to reg 18 and soft reset",
		      when);
}

void lan_hw_reset(struct nb_lan8720_model *m)
{
	m->stats.hw_resets++;
	lan_phy_cancel_timers(m);
	m->soft_reset = false;
	m->edpd_sleep = false;
	m->link = false;
	m->an_complete = false;
	m->rf_src = false;
	m->hazard_reported = false;
	lan_regs_reset(m, true, m->strap_mode);
	m->mode110 = m->strap_mode == 6;
	if (m->mode110)
		report_mode110(m, "reset (straps)");
	/* ENERGYON is 1 after a hardware reset and falls 256 ms later without energy. */
	m->energyon = true;
	m->signal = lan_signal(m);
	lan_irq_reset(m);
	lan_link_restart(m, false);
	energy_eval(m);
	lan_irq_eval(m);
}

static void soft_reset_done(void *ctx)
{
	struct nb_lan8720_model *m = ctx;

	m->soft_reset = false;
	lan_link_restart(m, false);
	energy_eval(m);
	lan_irq_eval(m);
}

void lan_soft_reset_start(struct nb_lan8720_model *m)
{
	uint8_t mode = (m->r[LAN_SMR] & SMR_MODE) >> SMR_MODE_SHIFT;

	m->stats.soft_resets++;
	m->soft_reset = true;
	m->edpd_sleep = false;
	lan_link_restart(m, false); /* data path in reset: link down, PMA silent */
	/* Every bit except NASR returns to its default; BMCR/ANAR follow reg-18 MODE, not the
	 * pins (S: DS42 3.8.6.2; O: HW). The registers show defaults while bit 15 reads 1.
	 * Reg 29 is among them, so the link loss above leaves no INT4 behind. */
	lan_regs_reset(m, false, mode);
	m->mode110 = mode == 6;
	if (m->mode110)
		report_mode110(m, "soft reset (reg 18)");
	lan_irq_reset(m);
	(void)nb_sim_timer_arm_in(m->sim, &m->t_soft, m->cfg.soft_reset_ns);
}

void lan_nrst_set(struct nb_lan8720_model *m, bool level)
{
	bool low = !level;

	if (low == m->nrst_low)
		return;
	if (low) {
		m->nrst_low = true;
		m->nrst_low_since = nb_sim_now(m->sim);
		lan_phy_cancel_timers(m);
		m->soft_reset = false;
		update_end(m);
		link_set_down(m);
		m->step = LS_IDLE;
		lan_nint_update(m); /* outputs float while in reset */
		return;
	}
	uint64_t held = nb_sim_now(m->sim) - m->nrst_low_since;

	m->nrst_low = false;
	if (held < LAN_NRST_MIN_NS)
		lan_violation(m, "nRST low for %llu ns, below t_rstia = 100 us",
			      (unsigned long long)held);
	/* Release re-latches the straps (S: DS42) and runs a full hardware reset. */
	lan_hw_reset(m);
}

void lan_phy_init_timers(struct nb_lan8720_model *m)
{
	nb_sim_timer_init(&m->t_soft, soft_reset_done, m);
	nb_sim_timer_init(&m->t_link, link_timer, m);
	nb_sim_timer_init(&m->t_energy, energy_timer, m);
	nb_sim_timer_init(&m->t_linkfail, linkfail_timer, m);
}

void lan_phy_cancel_timers(struct nb_lan8720_model *m)
{
	nb_sim_timer_cancel(m->sim, &m->t_soft);
	nb_sim_timer_cancel(m->sim, &m->t_link);
	nb_sim_timer_cancel(m->sim, &m->t_energy);
	nb_sim_timer_cancel(m->sim, &m->t_linkfail);
}
