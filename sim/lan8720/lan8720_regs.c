/* SPDX-License-Identifier: MIT */
/* LAN8720A register file: the table (reference §2) and what MDIO reads and writes do. */
#include "sim/lan8720/lan8720_priv.h"

/* Reset values of BMCR/ANAR, PHYID2, SMR and PSCSR depend on straps/state and are computed
 * in lan_regs_reset(); the table holds the fixed part. */
const struct lan_reg_desc lan_regs[LAN_NREGS] = {
	[LAN_BMCR] = { .name = "BMCR", .rw = 0x7F00, .sc = BMCR_RESET | BMCR_ANRESTART,
		       .resv0 = 0x00FF },
	[LAN_BMSR] = { .name = "BMSR", .reset = BMSR_STATIC, .lh = BMSR_RFAULT | BMSR_JABBER,
		       .ll = BMSR_LSTATUS },
	[LAN_PHYID1] = { .name = "PHYID1", .reset = 0x0007 },
	[LAN_PHYID2] = { .name = "PHYID2", .reset = 0xC0F0 },
	/* 15 NP is 0 on the LAN8720A (no next page, DS20 p.21); 14, 12, 9 reserved. */
	[LAN_ANAR] = { .name = "ANAR", .rw = ADV_RF | 0x0C00 | ADV_TECH | 0x001F,
		       .resv0 = ADV_NP | ADV_ACK | 0x1000 | 0x0200 },
	[LAN_ANLPAR] = { .name = "ANLPAR", .reset = ADV_SELECTOR },
	[LAN_ANER] = { .name = "ANER", .lh = ANER_PDF | ANER_PAGE },
	[LAN_MCSR] = { .name = "MCSR", .reset = MCSR_ENERGYON,
		       .rw = MCSR_EDPWRDOWN | MCSR_FARLOOP | MCSR_ALTINT | 0x0001,
		       .resv0 = 0xDDBC },
	[LAN_SMR] = { .name = "SMR", .rw = SMR_MODE | SMR_PHYAD, .nasr = SMR_MODE | SMR_PHYAD,
		      .keep = 0xFF00 },
	[LAN_SECR] = { .name = "SECR" },
	/* NASR for 15/13/11 is from the LAN8742A (S). Bits 3:0 read 1011b and are kept. */
	[LAN_SCSIR] = { .name = "SCSIR", .reset = SCSIR_LOW,
			.rw = SCSIR_AMDIXCTRL | SCSIR_CH_SELECT | 0x0800,
			.nasr = SCSIR_AMDIXCTRL | SCSIR_CH_SELECT | 0x0800, .resv0 = 0x57E0,
			.keep = 0x000F },
	[LAN_ISF] = { .name = "ISF", .lh = INT_ALL },
	[LAN_IMR] = { .name = "IMR", .rw = INT_ALL, .resv0 = 0xFF01 },
	[LAN_PSCSR] = { .name = "PSCSR", .reset = PSCSR_RESV_VALUE, .rw = PSCSR_RESV_MASK },
};

const char *lan_reg_name(uint8_t reg)
{
	if (reg < LAN_NREGS && lan_regs[reg].name)
		return lan_regs[reg].name;
	return "unimplemented";
}

/* MODE[2:0] → BMCR/ANAR (reference §3). MODE=110's values are not documented: this model
 * uses the all-capable values plus BMCR.11, so that writing 111 to reg 18 and a soft reset
 * give 0x3000 as on silicon. */
static void mode_defaults(const struct nb_lan8720_model *m, uint8_t mode, uint16_t *bmcr,
			  uint16_t *anar)
{
	static const uint16_t bmcr_of[8] = { 0x0000, 0x0100, 0x2000, 0x2100,
					     0x3000, 0x3000, 0x3800, 0x3000 };

	*bmcr = bmcr_of[mode & 7];
	if (mode < 4)
		*anar = m->cfg.forced_anar;
	else if (mode < 6)
		*anar = ADV_100HD | ADV_SELECTOR;
	else
		*anar = ADV_TECH | ADV_SELECTOR;
}

void lan_regs_reset(struct nb_lan8720_model *m, bool hard, uint8_t mode)
{
	uint16_t keep[LAN_NREGS];

	for (unsigned i = 0; i < LAN_NREGS; i++)
		keep[i] = hard ? 0 : (uint16_t)(m->r[i] & lan_regs[i].nasr);
	for (unsigned i = 0; i < LAN_NREGS; i++)
		m->r[i] = (uint16_t)((lan_regs[i].reset & ~lan_regs[i].nasr) | keep[i]);
	mode_defaults(m, mode, &m->r[LAN_BMCR], &m->r[LAN_ANAR]);
	m->r[LAN_MCSR] = 0; /* ENERGYON is state, not storage */
	m->r[LAN_SMR] |= SMR_UPPER;
	if (hard)
		m->r[LAN_SMR] |= (uint16_t)((m->strap_mode << SMR_MODE_SHIFT) | m->strap_phyad);
	m->r[LAN_SCSIR] |= SCSIR_LOW;
	m->ll_link = true; /* link has been down since reset */
	m->lh_rfault = m->lh_jabber = m->lh_pdf = m->lh_page = false;
	m->anlpar = ADV_SELECTOR;
	m->lp_an_able = m->lp_np_able = false;
	m->secr = 0;
	m->isf = 0;
}

static uint16_t bmsr_peek(const struct nb_lan8720_model *m)
{
	uint16_t v = BMSR_STATIC;

	if (m->an_complete)
		v |= BMSR_ANEGCOMPLETE;
	if (m->lh_rfault || m->rf_src)
		v |= BMSR_RFAULT;
	if (m->link && !m->ll_link)
		v |= BMSR_LSTATUS;
	if (m->lh_jabber)
		v |= BMSR_JABBER;
	return v;
}

uint16_t lan_reg_peek(const struct nb_lan8720_model *m, uint8_t reg)
{
	reg &= 0x1F;
	switch (reg) {
	case LAN_BMCR:
		return (uint16_t)(m->r[LAN_BMCR] | (m->soft_reset ? BMCR_RESET : 0));
	case LAN_BMSR:
		return bmsr_peek(m);
	case LAN_PHYID2:
		return (uint16_t)(lan_regs[reg].reset | (m->cfg.revision & 0xF));
	case LAN_ANLPAR:
		return m->anlpar;
	case LAN_ANER:
		return (uint16_t)((m->lh_pdf ? ANER_PDF : 0) | (m->lp_np_able ? ANER_LPNP : 0) |
				  (m->lh_page ? ANER_PAGE : 0) | (m->lp_an_able ? ANER_LPAN : 0));
	case LAN_MCSR:
		return (uint16_t)(m->r[LAN_MCSR] | (m->energyon ? MCSR_ENERGYON : 0));
	case LAN_SECR:
		return m->secr;
	case LAN_SCSIR:
		return (uint16_t)(m->r[LAN_SCSIR] |
				  (m->link && m->speed == 10 && m->partner.reversed_polarity
					   ? SCSIR_XPOL
					   : 0));
	case LAN_ISF:
		return m->isf;
	case LAN_PSCSR:
		return (uint16_t)(m->r[LAN_PSCSR] | (m->an_complete ? PSCSR_AUTODONE : 0) |
				  (m->hcd << PSCSR_HCD_SHIFT));
	default:
		break;
	}
	if (lan_regs[reg].name)
		return m->r[reg] | lan_regs[reg].reset;
	/* 7..15 read 0xFFFF (DS20, quoted in the netdev clause-45 thread); the vendor range
	 * 16, 19..25, 28 is not documented: same by default, 0 when configured. */
	if (reg >= 16 && m->cfg.vendor_regs_zero)
		return 0;
	return 0xFFFF;
}

uint16_t lan_reg_read(struct nb_lan8720_model *m, uint8_t reg)
{
	uint16_t v;

	reg &= 0x1F;
	v = lan_reg_peek(m, reg);
	switch (reg) {
	case LAN_BMSR:
		m->ll_link = false;
		m->lh_rfault = false;
		m->lh_jabber = false;
		/* Reference §4 (DS42 Table 3-2): a BMSR read also de-asserts INT5 and INT4. */
		if (!(m->r[LAN_MCSR] & MCSR_ALTINT))
			lan_irq_clear(m, INT5_RFAULT | INT4_LINKDOWN);
		break;
	case LAN_ANER:
		m->lh_pdf = false;
		m->lh_page = false;
		if (!(m->r[LAN_MCSR] & MCSR_ALTINT))
			lan_irq_clear(m, INT2_PDF | INT1_PAGE);
		break;
	case LAN_ISF:
		/* Primary interrupt system: the read clears every flag. The alternate one
		 * keeps them until written 1 (lan_isf_write). */
		if (!(m->r[LAN_MCSR] & MCSR_ALTINT))
			lan_irq_clear(m, INT_ALL);
		break;
	default:
		break;
	}
	lan_irq_eval(m);
	return v;
}

static void check_reserved(struct nb_lan8720_model *m, uint8_t reg, uint16_t val)
{
	const struct lan_reg_desc *d = &lan_regs[reg];

	if (val & d->resv0)
		lan_violation(m, "reg %u (%s) write 0x%04X: reserved bits 0x%04X must be written as 0",
			      reg, d->name, val, val & d->resv0);
	if ((val & d->keep) != (m->r[reg] & d->keep))
		lan_violation(m,
			      "reg %u (%s) write 0x%04X: reserved bits 0x%04X must be written back "
			      "as read (0x%04X)",
			      reg, d->name, val, d->keep, m->r[reg] & d->keep);
}

void lan_reg_write(struct nb_lan8720_model *m, uint8_t reg, uint16_t val)
{
	const struct lan_reg_desc *d;
	uint16_t old;

	reg &= 0x1F;
	d = &lan_regs[reg];
	if (!d->name) {
		lan_violation(m, "reg %u write 0x%04X: register not implemented on the LAN8720A", reg,
			      val);
		return;
	}
	if (m->soft_reset) {
		/* The registers are being reset; this model drops the write. */
		lan_violation(m, "reg %u (%s) write 0x%04X during soft reset (BMCR.15 still 1): lost",
			      reg, d->name, val);
		return;
	}
	old = m->r[reg];
	switch (reg) {
	case LAN_BMCR:
		if (val & BMCR_RESET) {
			/* DS20 (copied in MIIH): set no other bit together with soft reset. */
			if (val & ~BMCR_RESET)
				lan_violation(m,
					      "reg 0 (BMCR) write 0x%04X: soft reset set together "
					      "with other bits 0x%04X (datasheet: set no other bit "
					      "with 0.15; they are lost)",
					      val, val & ~BMCR_RESET);
			lan_soft_reset_start(m);
			break;
		}
		check_reserved(m, reg, val);
		m->r[reg] = (uint16_t)((old & ~d->rw) | (val & d->rw & ~d->sc));
		lan_bmcr_written(m, old, val);
		break;
	case LAN_MCSR:
		check_reserved(m, reg, val);
		m->r[reg] = (uint16_t)((old & ~d->rw) | (val & d->rw));
		lan_mcsr_written(m, old);
		break;
	case LAN_SMR:
		check_reserved(m, reg, val);
		/* PHYAD acts at once (the reference leaves it open; this is the simple reading),
		 * MODE at the next soft reset. */
		m->r[reg] = (uint16_t)((old & ~d->rw) | (val & d->rw));
		break;
	case LAN_SCSIR:
		check_reserved(m, reg, val);
		m->r[reg] = (uint16_t)((old & ~d->rw) | (val & d->rw));
		if ((old ^ m->r[reg]) & (SCSIR_AMDIXCTRL | SCSIR_CH_SELECT)) {
			m->hazard_reported = false;
			lan_mdix_changed(m);
		}
		break;
	case LAN_ISF:
		lan_isf_write(m, val);
		break;
	case LAN_PSCSR:
		if ((val & PSCSR_RESV_MASK) != PSCSR_RESV_VALUE)
			lan_violation(m,
				      "reg 31 (PSCSR) write 0x%04X: bits 11:5 must be written as "
				      "0000010b (0x0040), got 0x%04X",
				      val, val & PSCSR_RESV_MASK);
		m->r[reg] = (uint16_t)((old & ~d->rw) | (val & d->rw));
		break;
	default:
		/* Generic: read-only bits ignore the write silently, as on silicon. */
		check_reserved(m, reg, val);
		m->r[reg] = (uint16_t)((old & ~d->rw) | (val & d->rw));
		break;
	}
	lan_irq_eval(m);
}
