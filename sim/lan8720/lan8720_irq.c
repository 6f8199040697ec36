/* SPDX-License-Identifier: MIT */
/* LAN8720A interrupt flags (reg 29), mask (reg 30), the nINT pin and the model's GPIO chip
 * (reference §4). */
#include "sim/lan8720/lan8720_priv.h"

#include <errno.h>

/*
 * Source vector in reg-29 bit positions, taken from the registers as they would read now:
 * 7 = 17.1, 6 = 1.5, 5 = 1.4, 4 = link down (the flag follows the falling link status; the
 * live one, so a flap is flagged even when BMSR was not read since the last one), 3 = 5.14,
 * 2 = 6.4, 1 = 6.1. A flag sets on a rising source. Using the read view of the latched bits
 * also gives the alternate system's rule "writing 1 clears the flag only if the source is
 * inactive" directly.
 */
static uint16_t sources(const struct nb_lan8720_model *m)
{
	uint16_t bmsr = lan_reg_peek(m, LAN_BMSR);
	uint16_t aner = lan_reg_peek(m, LAN_ANER);
	uint16_t v = 0;

	if (m->energyon)
		v |= INT7_ENERGYON;
	if (bmsr & BMSR_ANEGCOMPLETE)
		v |= INT6_ANCOMPLETE;
	if (bmsr & BMSR_RFAULT)
		v |= INT5_RFAULT;
	if (!m->link)
		v |= INT4_LINKDOWN;
	if (m->anlpar & ADV_ACK)
		v |= INT3_LPACK;
	if (aner & ANER_PDF)
		v |= INT2_PDF;
	if (aner & ANER_PAGE)
		v |= INT1_PAGE;
	return v;
}

bool lan_nint_asserted(const struct nb_lan8720_model *m)
{
	return !m->nrst_low && (m->isf & m->r[LAN_IMR] & INT_ALL) != 0;
}

static bool nint_line(const struct nb_lan8720_model *m)
{
	bool level = !lan_nint_asserted(m); /* open drain, external pull-up */

	if (m->nint_out && !m->nint_drive)
		level = false;
	return level;
}

static void irq_fire(struct nb_lan8720_model *m)
{
	if (m->irq_fn)
		m->irq_fn(m->irq_ctx);
}

void lan_nint_update(struct nb_lan8720_model *m)
{
	bool line = nint_line(m);

	if (line == m->nint_line)
		return;
	m->nint_line = line;
	switch (m->irq_mode) {
	case NB_GPIO_IRQ_RISING:
	case NB_GPIO_IRQ_LEVEL_HIGH:
		if (line)
			irq_fire(m);
		break;
	case NB_GPIO_IRQ_FALLING:
	case NB_GPIO_IRQ_LEVEL_LOW:
		if (!line)
			irq_fire(m);
		break;
	case NB_GPIO_IRQ_BOTH:
		irq_fire(m);
		break;
	default:
		break;
	}
}

void lan_irq_eval(struct nb_lan8720_model *m)
{
	uint16_t src, rise, fall;

	if (m->nrst_low) {
		lan_nint_update(m);
		return;
	}
	src = sources(m);
	rise = (uint16_t)(src & ~m->isf_src);
	fall = (uint16_t)(m->isf_src & ~src);
	m->isf_src = src;
	/* Flags latch even while masked (O: HW 0x0090 with mask 0). */
	m->isf |= rise;
	/* Primary system: INT7/6/5/3 also de-assert when their source falls (DS42 Table 3-2;
	 * whether the flag or only nINT clears is open, this model clears the flag). */
	if (!(m->r[LAN_MCSR] & MCSR_ALTINT))
		m->isf &= (uint16_t)~(fall & (INT7_ENERGYON | INT6_ANCOMPLETE | INT5_RFAULT | INT3_LPACK));
	lan_nint_update(m);
}

void lan_irq_reset(struct nb_lan8720_model *m)
{
	m->isf = 0;
	m->isf_src = sources(m);
}

void lan_irq_clear(struct nb_lan8720_model *m, uint16_t bits)
{
	m->isf &= (uint16_t)~bits;
}

void lan_isf_write(struct nb_lan8720_model *m, uint16_t val)
{
	/* Primary system: reg 29 is read-only, the write is ignored as on silicon. */
	if (!(m->r[LAN_MCSR] & MCSR_ALTINT))
		return;
	/* Alternate system: writing 1 clears a flag whose source is no longer active. */
	m->isf &= (uint16_t)~(val & INT_ALL & ~sources(m));
}

/* ---- GPIO chip: NRST (input to the PHY) and NINT (open-drain output) ----------------- */

static int gpio_set_dir(void *ctx, unsigned pin, bool output, bool level)
{
	struct nb_lan8720_model *m = ctx;

	switch (pin) {
	case NB_LAN8720_PIN_NRST:
		m->nrst_out = output;
		m->nrst_drive = level;
		/* Released, the pin is pulled up: the part runs. */
		lan_nrst_set(m, output ? level : true);
		return 0;
	case NB_LAN8720_PIN_NINT:
		m->nint_out = output;
		m->nint_drive = level;
		lan_nint_update(m);
		return 0;
	default:
		return -EINVAL;
	}
}

static int gpio_write(void *ctx, unsigned pin, bool level)
{
	struct nb_lan8720_model *m = ctx;

	switch (pin) {
	case NB_LAN8720_PIN_NRST:
		if (!m->nrst_out)
			return -EPERM;
		m->nrst_drive = level;
		lan_nrst_set(m, level);
		return 0;
	case NB_LAN8720_PIN_NINT:
		if (!m->nint_out)
			return -EPERM;
		m->nint_drive = level;
		lan_nint_update(m);
		return 0;
	default:
		return -EINVAL;
	}
}

static int gpio_read(void *ctx, unsigned pin)
{
	struct nb_lan8720_model *m = ctx;

	switch (pin) {
	case NB_LAN8720_PIN_NRST:
		return !m->nrst_low;
	case NB_LAN8720_PIN_NINT:
		return nint_line(m);
	default:
		return -EINVAL;
	}
}

static int gpio_set_irq(void *ctx, unsigned pin, enum nb_gpio_irq_mode mode, nb_gpio_irq_fn fn,
			void *fn_ctx)
{
	struct nb_lan8720_model *m = ctx;
	bool line;

	if (pin != NB_LAN8720_PIN_NINT || mode > NB_GPIO_IRQ_LEVEL_LOW)
		return -EINVAL;
	m->irq_mode = fn ? mode : NB_GPIO_IRQ_NONE;
	m->irq_fn = mode == NB_GPIO_IRQ_NONE ? NULL : fn;
	m->irq_ctx = fn_ctx;
	line = nint_line(m);
	m->nint_line = line;
	/* A level interrupt enabled while its level is active fires at once. */
	if ((m->irq_mode == NB_GPIO_IRQ_LEVEL_LOW && !line) ||
	    (m->irq_mode == NB_GPIO_IRQ_LEVEL_HIGH && line))
		irq_fire(m);
	return 0;
}

const struct nb_gpio_ops lan_gpio_ops = {
	.set_dir = gpio_set_dir,
	.write = gpio_write,
	.read = gpio_read,
	.set_irq = gpio_set_irq,
};
