/* SPDX-License-Identifier: MIT */
/* Backplane access through F1: window cache, single and bulk transfers, core reset (§2.1-2.2). */
#include "drivers/cyw43439/internal.h"
#include "drivers/util/nb_errno.h"

#define CORE_WAIT_NS NB_NS_PER_MS

/*
 * §2.1.3: the window is three byte registers; only the bytes that differ from the cached
 * window are written, HIGH first. After a failed write the cache is unknown, so the next
 * access rewrites all three.
 */
static int set_window(struct nb_cyw43439 *d, uint32_t addr)
{
	static const uint32_t regs[3] = { CYW_F1_WIN_HIGH, CYW_F1_WIN_MID, CYW_F1_WIN_LOW };
	static const unsigned shifts[3] = { 24, 16, 8 };
	uint32_t win = addr & ~CYW_BP_WIN_MASK;

	for (unsigned i = 0; i < 3; i++) {
		uint32_t b = (win >> shifts[i]) & 0xFFu;
		int ret;

		if (d->bp_window_valid && ((d->bp_window >> shifts[i]) & 0xFFu) == b)
			continue;
		ret = cyw_reg_write(d, CYW_F1, regs[i], 1, b);
		if (ret < 0) {
			d->bp_window_valid = false;
			return ret;
		}
	}
	d->bp_window = win;
	d->bp_window_valid = true;
	return 0;
}

/* §2.1.4: bit 15 marks 4-byte single accesses (the form every driver agrees on). */
static uint32_t f1_addr(uint32_t addr, unsigned len)
{
	return (addr & CYW_BP_WIN_MASK) | (len == 4 ? CYW_BP_32BIT_FLAG : 0u);
}

int cyw_bp_read(struct nb_cyw43439 *d, uint32_t addr, unsigned len, uint32_t *val)
{
	int ret;

	if ((len != 1 && len != 2 && len != 4) || (addr & (len - 1u)))
		return -NB_EINVAL;
	ret = set_window(d, addr);
	if (ret < 0)
		return ret;
	return cyw_reg_read(d, CYW_F1, f1_addr(addr, len), len, val);
}

int cyw_bp_write(struct nb_cyw43439 *d, uint32_t addr, unsigned len, uint32_t val)
{
	int ret;

	if ((len != 1 && len != 2 && len != 4) || (addr & (len - 1u)))
		return -NB_EINVAL;
	ret = set_window(d, addr);
	if (ret < 0)
		return ret;
	return cyw_reg_write(d, CYW_F1, f1_addr(addr, len), len, val);
}

size_t cyw_bp_chunk(uint32_t addr, size_t remaining)
{
	size_t to_edge = CYW_BP_WIN_SIZE - (addr & CYW_BP_WIN_MASK);
	size_t n = remaining < CYW_BP_MAX_XFER ? remaining : CYW_BP_MAX_XFER;

	return n < to_edge ? n : to_edge;
}

static int check_block(uint32_t addr, size_t len)
{
	if (len == 0 || len > CYW_BP_MAX_XFER || (addr & 3u))
		return -NB_EINVAL;
	if ((addr & CYW_BP_WIN_MASK) + len > CYW_BP_WIN_SIZE)
		return -NB_EINVAL;
	return 0;
}

int cyw_bp_write_block(struct nb_cyw43439 *d, uint32_t addr, const uint8_t *src, size_t len)
{
	int ret = check_block(addr, len);

	if (ret < 0)
		return ret;
	ret = set_window(d, addr);
	if (ret < 0)
		return ret;
	return cyw_f1_write_block(d, addr & CYW_BP_WIN_MASK, src, len);
}

int cyw_bp_read_block(struct nb_cyw43439 *d, uint32_t addr, uint8_t *dst, size_t len)
{
	int ret = check_block(addr, len);

	if (ret < 0)
		return ret;
	ret = set_window(d, addr);
	if (ret < 0)
		return ret;
	return cyw_f1_read_block(d, addr & CYW_BP_WIN_MASK, dst, len);
}

/*
 * §2.2.3. disable: if the core is already in reset nothing is written; otherwise clear
 * ioctrl, wait 1 ms, assert reset, wait 1 ms, and check that it took. reset: disable, then
 * ioctrl FGC|CLOCK_EN, release reset, wait 1 ms, ioctrl CLOCK_EN, wait 1 ms. The phases
 * below are those steps, split at the waits so nothing sleeps.
 */
enum {
	PH_START = 0,
	PH_DISABLE_ASSERT,   /* after the first 1 ms */
	PH_DISABLE_CHECK,    /* after the second 1 ms */
	PH_RESET_RELEASE,    /* core is in reset: start the release */
	PH_RESET_CLOCK,      /* after 1 ms: ioctrl = CLOCK_EN */
	PH_RESET_DONE,       /* after the final 1 ms */
};

/* Write a wrapper register, then read it back: the read makes sure the posted write reached
 * the core before the wait that follows starts (§2.2.3). */
static int wrap_write_flush(struct nb_cyw43439 *d, uint32_t addr, uint32_t val)
{
	uint32_t v;
	int ret = cyw_bp_write(d, addr, 1, val);

	if (ret < 0)
		return ret;
	return cyw_bp_read(d, addr, 1, &v);
}

int cyw_core_step(struct nb_cyw43439 *d, uint32_t wrapper, enum cyw_core_op op, uint8_t *phase,
		  uint64_t *wait_ns)
{
	uint32_t ioctrl = wrapper + CYW_WRAP_IOCTRL, resetctrl = wrapper + CYW_WRAP_RESETCTRL;
	uint32_t v;
	int ret;

	switch (*phase) {
	case PH_START:
		ret = cyw_bp_read(d, resetctrl, 1, &v);
		if (ret < 0)
			return ret;
		if (v & CYW_RESETCTRL_RESET) {
			if (op == CYW_CORE_DISABLE)
				return 0;
			*phase = PH_RESET_RELEASE;
			return cyw_core_step(d, wrapper, op, phase, wait_ns);
		}
		ret = wrap_write_flush(d, ioctrl, 0);
		if (ret < 0)
			return ret;
		*phase = PH_DISABLE_ASSERT;
		*wait_ns = CORE_WAIT_NS;
		return 1;
	case PH_DISABLE_ASSERT:
		ret = cyw_bp_write(d, resetctrl, 1, CYW_RESETCTRL_RESET);
		if (ret < 0)
			return ret;
		*phase = PH_DISABLE_CHECK;
		*wait_ns = CORE_WAIT_NS;
		return 1;
	case PH_DISABLE_CHECK:
		ret = cyw_bp_read(d, resetctrl, 1, &v);
		if (ret < 0)
			return ret;
		if (!(v & CYW_RESETCTRL_RESET)) {
			cyw_log(d, NB_LOG_ERR, "core did not enter reset", (int64_t)wrapper, v);
			return -NB_EIO;
		}
		if (op == CYW_CORE_DISABLE)
			return 0;
		*phase = PH_RESET_RELEASE;
		return cyw_core_step(d, wrapper, op, phase, wait_ns);
	case PH_RESET_RELEASE:
		ret = wrap_write_flush(d, ioctrl, CYW_IOCTRL_FGC | CYW_IOCTRL_CLOCK_EN);
		if (ret < 0)
			return ret;
		ret = cyw_bp_write(d, resetctrl, 1, 0);
		if (ret < 0)
			return ret;
		*phase = PH_RESET_CLOCK;
		*wait_ns = CORE_WAIT_NS;
		return 1;
	case PH_RESET_CLOCK:
		ret = wrap_write_flush(d, ioctrl, CYW_IOCTRL_CLOCK_EN);
		if (ret < 0)
			return ret;
		*phase = PH_RESET_DONE;
		*wait_ns = CORE_WAIT_NS;
		return 1;
	case PH_RESET_DONE:
		return 0;
	default:
		return -NB_EINVAL;
	}
}

int cyw_core_is_up(struct nb_cyw43439 *d, uint32_t wrapper)
{
	uint32_t v;
	int ret = cyw_bp_read(d, wrapper + CYW_WRAP_IOCTRL, 1, &v);

	if (ret < 0)
		return ret;
	if ((v & (CYW_IOCTRL_FGC | CYW_IOCTRL_CLOCK_EN)) != CYW_IOCTRL_CLOCK_EN) {
		cyw_log(d, NB_LOG_ERR, "core not up: ioctrl", (int64_t)wrapper, v);
		return -NB_EIO;
	}
	ret = cyw_bp_read(d, wrapper + CYW_WRAP_RESETCTRL, 1, &v);
	if (ret < 0)
		return ret;
	if (v & CYW_RESETCTRL_RESET) {
		cyw_log(d, NB_LOG_ERR, "core not up: still in reset", (int64_t)wrapper, v);
		return -NB_EIO;
	}
	return 0;
}
