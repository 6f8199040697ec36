/* SPDX-License-Identifier: MIT */
/* CYW43439 model: function 1. The backplane window and its address decoding (§2.1), the
 * local F1 registers (chip clock CSR §2.4, watermark, frame control, wake-up/KSO §2.8), the
 * chipcommon / SDIO / SOCSRAM cores and the WLAN ARM and SOCSRAM wrappers (§2.2), and RAM. */
#include <errno.h>
#include <string.h>

#include "sim/cyw43439/model_priv.h"

/* KSO write → DEVON follows. Not documented; CD re-polls 1 ms apart (§2.8.4), so a short lag
 * exercises its retry without costing it more than one poll. */
#define KSO_LAG_NS (100ull * 1000ull)

/* Chip ID register: low 16 bits 43439 (§2.3). The upper bits (revision, package, core count,
 * backplane type) are unconfirmed; the model reports type 1 (AXI) and zeros elsewhere. */
#define CHIPID_VALUE 0x1000A9AFu

static void local_reset(struct nb_cyw43439_model *m);

static uint8_t *loc(struct nb_cyw43439_model *m, uint32_t a)
{
	return &m->f1[a - F1_LOCAL_BASE];
}

static void alp_up(void *ctx)
{
	struct nb_cyw43439_model *m = ctx;

	m->alp_avail = true;
}

static void kso_settle(void *ctx)
{
	struct nb_cyw43439_model *m = ctx;

	m->devon = m->kso;
	cy_update_irq(m);
}

void cy_f1_init(struct nb_cyw43439_model *m)
{
	nb_sim_timer_init(&m->alp_timer, alp_up, m);
	nb_sim_timer_init(&m->kso_timer, kso_settle, m);
}

void cy_f1_reset(struct nb_cyw43439_model *m)
{
	nb_sim_timer_cancel(m->sim, &m->alp_timer);
	nb_sim_timer_cancel(m->sim, &m->kso_timer);
	/* Window bytes read 0 at power-up (§2.1.2); the other reset values are unconfirmed and
	 * chosen as 0. KSO/DEVON start on (the bus is awake after power-up). */
	local_reset(m);
	m->alp_requested = m->alp_avail = m->ht_avail = false;
	m->kso = m->devon = true;
	/* Both cores start in reset (§2.2.4: CD relies on the WLAN core being in reset). */
	m->arm_ioctrl = 0;
	m->arm_resetctrl = 1;
	m->sram_ioctrl = 0;
	m->sram_resetctrl = 1;
	m->sram_bankidx = m->sram_bankpda = 0;
	m->bank3_pda_done = false;
	m->sdio_intstatus = m->sdio_hostintmask = m->sdio_fnintmask = 0;
	m->sdio_tosbmb = m->sdio_tosbmbdata = m->sdio_tohostmbdata = 0;
	m->sr_control1 = 0;
}

uint32_t cy_window(const struct nb_cyw43439_model *m)
{
	/* Only bit 7 of the LOW byte (address bit 15) is significant (§2.1.2). */
	return ((uint32_t)m->f1[F1_WIN_HIGH - F1_LOCAL_BASE] << 24) |
	       ((uint32_t)m->f1[F1_WIN_MID - F1_LOCAL_BASE] << 16) |
	       ((uint32_t)(m->f1[F1_WIN_LOW - F1_LOCAL_BASE] & 0x80) << 8);
}

bool cy_bus_asleep(const struct nb_cyw43439_model *m)
{
	return !m->kso && !m->devon;
}

/* ---- local registers ------------------------------------------------------------------
 * One row per byte of 0x10000..0x1001F (§2.1.2): reset value, writable bits, kind. Reset
 * values other than the window bytes are unconfirmed (§2.11) and chosen as 0. Clock, frame
 * count and sleep bits that the chip drives are computed on read (local_read). */
enum f1_kind { F1K_NONE = 0, F1K_RW, F1K_RO, F1K_SC /* self-clearing command bits */ };

struct f1_reg {
	uint8_t reset, rw;
	uint8_t kind;
};

#define L(a) ((a) - F1_LOCAL_BASE)
static const struct f1_reg f1_regs[F1_LOCAL_END - F1_LOCAL_BASE] = {
	[L(0x10005)] = { 0, 0xFF, F1K_RW }, /* GPIO select */
	[L(0x10006)] = { 0, 0xFF, F1K_RW }, /* GPIO output */
	[L(0x10007)] = { 0, 0xFF, F1K_RW }, /* GPIO enable */
	[L(F1_WATERMARK)] = { 0, 0xFF, F1K_RW },
	[L(F1_DEVCTL)] = { 0, 0xFF, F1K_RW },
	[L(F1_WIN_LOW)] = { 0, 0xFF, F1K_RW }, /* only bit 7 is used (cy_window) */
	[L(F1_WIN_MID)] = { 0, 0xFF, F1K_RW },
	[L(F1_WIN_HIGH)] = { 0, 0xFF, F1K_RW },
	[L(F1_FRAME_CTRL)] = { 0, 0x0F, F1K_SC },
	[L(F1_CLOCK_CSR)] = { 0, 0x3F, F1K_RW }, /* bits 6/7 ALP/HT_AVAIL: chip-driven */
	[L(F1_PULLUP)] = { 0, 0xFF, F1K_RW },
	[L(F1_RFC_LOW)] = { 0, 0, F1K_RO },
	[L(F1_RFC_HIGH)] = { 0, 0, F1K_RO },
	[L(F1_WAKEUP_CTRL)] = { 0, 0x3F, F1K_RW },
	[L(F1_SLEEP_CSR)] = { 0, SLEEP_KSO, F1K_RW }, /* bit1 DEVON: chip-driven */
};

static void local_reset(struct nb_cyw43439_model *m)
{
	for (unsigned i = 0; i < NB_ARRAY_SIZE(f1_regs); i++)
		m->f1[i] = f1_regs[i].reset;
}

static uint8_t local_read(struct nb_cyw43439_model *m, uint32_t a)
{
	switch (a) {
	case F1_CLOCK_CSR:
		return (uint8_t)(*loc(m, a) | (m->alp_avail ? CSR_ALP_AVAIL : 0) |
				 (m->ht_avail ? CSR_HT_AVAIL : 0));
	case F1_RFC_LOW:
		return (uint8_t)cy_sdpcm_pending_len(m);
	case F1_RFC_HIGH:
		return (uint8_t)(cy_sdpcm_pending_len(m) >> 8);
	case F1_SLEEP_CSR:
		/* Never 0xFF: CD and WHD treat that as "no answer" (§2.8.4). */
		return (uint8_t)((m->kso ? SLEEP_KSO : 0) | (m->devon ? SLEEP_DEVON : 0));
	default:
		return f1_regs[L(a)].kind == F1K_SC ? 0 : *loc(m, a);
	}
}

static bool local_write(struct nb_cyw43439_model *m, uint32_t a, uint8_t v)
{
	const struct f1_reg *r = &f1_regs[L(a)];

	if (r->kind == F1K_RO)
		return !cy_violation(m, "write to read-only F1 register 0x%05x", (unsigned)a);
	if (a == F1_CLOCK_CSR && (v & (CSR_ALP_AVAIL | CSR_HT_AVAIL)) &&
	    cy_violation(m, "write of 0x%02x sets read-only ALP_AVAIL/HT_AVAIL bits", v))
		return false;
	*loc(m, a) = (uint8_t)((*loc(m, a) & ~r->rw) | (v & r->rw));
	switch (a) {
	case F1_CLOCK_CSR:
		if ((v & (CSR_ALP_REQ | CSR_FORCE_ALP)) && !m->alp_requested) {
			m->alp_requested = true;
			nb_sim_timer_arm_in(m->sim, &m->alp_timer, m->cfg.alp_ns);
		}
		break;
	case F1_FRAME_CTRL:
		/* bit0 read-frame terminate: the host discards the pending F2 frame (§3.9). */
		if (v & 0x01)
			cy_sdpcm_discard_head(m);
		*loc(m, a) = 0;
		break;
	case F1_SLEEP_CSR:
		if (!!(v & SLEEP_KSO) != m->kso) {
			m->kso = v & SLEEP_KSO;
			nb_sim_timer_arm_in(m->sim, &m->kso_timer, KSO_LAG_NS);
		}
		break;
	default:
		break;
	}
	return true;
}

static bool local_access(struct nb_cyw43439_model *m, uint32_t a, uint8_t *out,
			 const uint8_t *in, size_t n)
{
	if (a + n > F1_LOCAL_END &&
	    cy_violation(m, "F1 access beyond the local register block (ends at 0x1001F)"))
		return false;
	for (size_t i = 0; i < n; i++) {
		uint32_t r = a + (uint32_t)i;

		if (r >= F1_LOCAL_END) {
			if (out)
				out[i] = 0;
			continue;
		}
		if (f1_regs[L(r)].kind == F1K_NONE && !(out && i > 0) &&
		    cy_violation(m, "access to unmodelled F1 register 0x%05x", (unsigned)r))
			return false;
		if (out)
			out[i] = local_read(m, r);
		else if (!local_write(m, r, in[i]))
			return false;
	}
	return true;
}

/* ---- backplane registers -------------------------------------------------------------- */

enum bp_region { BP_NONE, BP_RAM, BP_REG };

/* 32-bit registers; @return false for an unmodelled address. */
static bool reg_read32(struct nb_cyw43439_model *m, uint32_t a, uint32_t *v)
{
	switch (a) {
	case BP_CHIPCOMMON:
		*v = CHIPID_VALUE;
		return true;
	case BP_SR_CONTROL1:
		*v = m->sr_control1;
		return true;
	case BP_SDIO + 0x20:
		*v = m->sdio_intstatus;
		return true;
	case BP_SDIO + 0x24:
		*v = m->sdio_hostintmask;
		return true;
	case BP_SDIO + 0x34:
		*v = m->sdio_fnintmask;
		return true;
	case BP_SDIO + 0x40:
		*v = m->sdio_tosbmb;
		return true;
	case BP_SDIO + 0x48:
		*v = m->sdio_tosbmbdata;
		return true;
	case BP_SDIO + 0x4C:
		*v = m->sdio_tohostmbdata;
		return true;
	case BP_SOCSRAM + 0x10:
		*v = m->sram_bankidx;
		return true;
	case BP_SOCSRAM + 0x44:
		*v = m->sram_bankpda;
		return true;
	case BP_ARM_WRAP + WRAP_IOCTRL:
		*v = m->arm_ioctrl;
		return true;
	case BP_ARM_WRAP + WRAP_RESETCTRL:
		*v = m->arm_resetctrl;
		return true;
	case BP_SRAM_WRAP + WRAP_IOCTRL:
		*v = m->sram_ioctrl;
		return true;
	case BP_SRAM_WRAP + WRAP_RESETCTRL:
		*v = m->sram_resetctrl;
		return true;
	case BP_ARM_WRAP + WRAP_RESETSTATUS:
	case BP_SRAM_WRAP + WRAP_RESETSTATUS:
		*v = 0; /* no backplane operation ever pending (inference, §2.2.4) */
		return true;
	default:
		return false;
	}
}

static bool reg_write32(struct nb_cyw43439_model *m, uint32_t a, uint32_t v, uint32_t mask)
{
	uint32_t old;

	if (!reg_read32(m, a, &old))
		return !cy_violation(m, "write to unmodelled backplane register 0x%08x",
				     (unsigned)a);
	v = (old & ~mask) | (v & mask);
	switch (a) {
	case BP_CHIPCOMMON:
	case BP_SR_CONTROL1:
	case BP_ARM_WRAP + WRAP_RESETSTATUS:
	case BP_SRAM_WRAP + WRAP_RESETSTATUS:
		return !cy_violation(m, "write to read-only backplane register 0x%08x",
				     (unsigned)a);
	case BP_SDIO + 0x20:
		m->sdio_intstatus &= ~(v & mask); /* W1C */
		return true;
	case BP_SDIO + 0x24:
		m->sdio_hostintmask = v;
		return true;
	case BP_SDIO + 0x34:
		m->sdio_fnintmask = v;
		return true;
	case BP_SDIO + 0x40:
		m->sdio_tosbmb = v;
		return true;
	case BP_SDIO + 0x48:
		m->sdio_tosbmbdata = v;
		return true;
	case BP_SDIO + 0x4C:
		m->sdio_tohostmbdata = v;
		return true;
	case BP_SOCSRAM + 0x10:
		m->sram_bankidx = v;
		return true;
	case BP_SOCSRAM + 0x44:
		m->sram_bankpda = v;
		if (m->sram_bankidx == 3 && v == 0)
			m->bank3_pda_done = true; /* §2.5.1 */
		return true;
	case BP_ARM_WRAP + WRAP_IOCTRL: {
		uint8_t oi = m->arm_ioctrl, orst = m->arm_resetctrl;

		m->arm_ioctrl = (uint8_t)v;
		cy_fw_arm_changed(m, oi, orst);
		return true;
	}
	case BP_ARM_WRAP + WRAP_RESETCTRL: {
		uint8_t oi = m->arm_ioctrl, orst = m->arm_resetctrl;

		m->arm_resetctrl = (uint8_t)(v & 1);
		cy_fw_arm_changed(m, oi, orst);
		return true;
	}
	case BP_SRAM_WRAP + WRAP_IOCTRL:
		m->sram_ioctrl = (uint8_t)v;
		return true;
	case BP_SRAM_WRAP + WRAP_RESETCTRL:
		m->sram_resetctrl = (uint8_t)(v & 1);
		return true;
	default:
		return false;
	}
}

static enum bp_region region(uint32_t bp)
{
	if (bp < CY_RAM_SIZE)
		return BP_RAM;
	if (bp >= 0x18000000u && bp < 0x18200000u)
		return BP_REG;
	return BP_NONE;
}

static bool sram_usable(const struct nb_cyw43439_model *m)
{
	return !(m->sram_resetctrl & 1) && (m->sram_ioctrl & IOCTRL_CLOCK_EN) &&
	       !(m->sram_ioctrl & IOCTRL_FGC);
}

/* Registers are accessed by byte lanes of their aligned 32-bit word. */
static bool reg_access(struct nb_cyw43439_model *m, uint32_t bp, uint8_t *out,
		       const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t a = bp + (uint32_t)i, w = a & ~3u, v = 0, mask = 0, val = 0;
		unsigned lane = a & 3;
		size_t k = NB_MIN(n - i, (size_t)(4 - lane));

		if (out) {
			if (!reg_read32(m, w, &v)) {
				if (cy_violation(m, "read of unmodelled backplane register 0x%08x",
						 (unsigned)w))
					return false;
				v = 0;
			}
			for (size_t j = 0; j < k; j++)
				out[i + j] = (uint8_t)(v >> (8 * (lane + j)));
		} else {
			for (size_t j = 0; j < k; j++) {
				mask |= 0xFFu << (8 * (lane + j));
				val |= (uint32_t)in[i + j] << (8 * (lane + j));
			}
			if (!reg_write32(m, w, val, mask))
				return false;
		}
		i += k;
	}
	return true;
}

static bool bp_access(struct nb_cyw43439_model *m, uint32_t addr, uint8_t *out,
		      const uint8_t *in, size_t n)
{
	uint32_t off = addr & 0x7FFF, bp = cy_window(m) + off;

	if (!m->alp_avail &&
	    cy_violation(m, "backplane access before the ALP clock is available (§2.10 I1)"))
		return false;
	if (cy_bus_asleep(m) && cy_violation(m, "backplane access while the bus sleeps (KSO off)"))
		return false;
	if (off + n > 0x8000 &&
	    cy_violation(m, "transfer crosses the 32 KB backplane window (offset 0x%04x + %zu)",
			 (unsigned)off, n))
		return false;
	if (((n == 2 && (bp & 1)) || (n >= 4 && (bp & 3))) &&
	    cy_violation(m, "%zu-byte backplane access at unaligned address 0x%08x", n,
			 (unsigned)bp))
		return false;
	switch (region(bp)) {
	case BP_RAM:
		if (bp + n > CY_RAM_SIZE &&
		    cy_violation(m, "transfer runs past the end of RAM"))
			return false;
		n = NB_MIN(n, (size_t)(CY_RAM_SIZE - bp));
		if (!sram_usable(m) &&
		    cy_violation(m, "RAM access while SOCSRAM is in reset or unclocked (§2.10 I4)"))
			return false;
		if (out) {
			memcpy(out, m->ram + bp, n);
			return true;
		}
		if (!cy_fw_ram_write_ok(m, bp, n))
			return false;
		memcpy(m->ram + bp, in, n);
		return true;
	case BP_REG:
		return reg_access(m, bp, out, in, n);
	default:
		if (cy_violation(m, "access to unmapped backplane address 0x%08x", (unsigned)bp))
			return false;
		if (out)
			memset(out, 0, n);
		return true;
	}
}

bool cy_f1_read(struct nb_cyw43439_model *m, uint32_t addr, uint8_t *out, size_t n)
{
	if (addr >= F1_LOCAL_BASE)
		return local_access(m, addr, out, NULL, n);
	return bp_access(m, addr, out, NULL, n);
}

bool cy_f1_write(struct nb_cyw43439_model *m, uint32_t addr, const uint8_t *in, size_t n)
{
	if (addr >= F1_LOCAL_BASE)
		return local_access(m, addr, NULL, in, n);
	return bp_access(m, addr, NULL, in, n);
}

int cy_bp_peek(const struct nb_cyw43439_model *m, uint32_t addr, uint8_t *buf, size_t len)
{
	struct nb_cyw43439_model *mm = (struct nb_cyw43439_model *)m;

	if (region(addr) == BP_RAM) {
		if (len > CY_RAM_SIZE - addr)
			return -EINVAL;
		memcpy(buf, m->ram + addr, len);
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		uint32_t a = addr + (uint32_t)i, v;

		if (region(a) != BP_REG || !reg_read32(mm, a & ~3u, &v))
			return -EINVAL;
		buf[i] = (uint8_t)(v >> (8 * (a & 3)));
	}
	return 0;
}
