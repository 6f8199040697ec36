/* SPDX-License-Identifier: MIT */
/*
 * Bring-up from power-on to "firmware answers on F2" (§1.2, §2.3-2.6, §2.8, §2.9): a state
 * machine stepped from poll(). Every wait is a deadline; the download is split into slices so
 * one poll never holds the run loop for the whole image.
 */
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "drivers/util/nb_errno.h"

#define POWER_OFF_NS (20u * NB_NS_PER_MS)
#define POWER_ON_NS (250u * NB_NS_PER_MS)
#define RETRY_NS NB_NS_PER_MS
#define PROBE_TIMEOUT_NS (100u * NB_NS_PER_MS)
#define ALP_TIMEOUT_NS (100u * NB_NS_PER_MS)
#define HT_TIMEOUT_NS (1000u * NB_NS_PER_MS)
#define F2_TIMEOUT_NS (1000u * NB_NS_PER_MS)
#define HT_REQ_TIMEOUT_NS (500u * NB_NS_PER_MS)
/** Bulk transfers per poll slice (64 x 64 bytes = 4 KB). */
#define SLICE_XFERS 64u

enum boot_step {
	B_IDLE = 0,
	B_POWER_OFF,
	B_POWER_ON,
	B_PROBE,
	B_CONFIGURE,
	B_ALP_WAIT,
	B_CHIP_ID,
	B_DISABLE_WLAN,
	B_DISABLE_SOCSRAM,
	B_RESET_SOCSRAM,
	B_SOCSRAM_SETUP,
	B_FW_WRITE,
	B_FW_VERIFY,
	B_NVRAM_WRITE,
	B_NVRAM_VERIFY,
	B_NVRAM_LEN,
	B_RESET_WLAN,
	B_HT_WAIT,
	B_F2_WAIT,
	B_HT_REQ_WAIT,
	B_DONE,
};

/* step results */
#define S_NEXT 0  /* step done, go on at once */
#define S_WAIT 1  /* wait_until set */
#define S_YIELD 2 /* slice used up: run again at the next poll */

static uint32_t l4(size_t n)
{
	return (uint32_t)((n + 3u) & ~(size_t)3u);
}

static uint32_t nvram_base(const struct nb_cyw43439 *d)
{
	return CYW_NVRAM_LEN_WORD - l4(d->cfg.nvram_len);
}

static void go(struct nb_cyw43439 *d, enum boot_step step)
{
	d->boot.step = (uint8_t)step;
	d->boot.core_phase = 0;
	d->boot.tries = 0;
	d->boot.off = 0;
	d->boot.timeout_at = NB_DEADLINE_NONE;
}

static int wait_ns(struct nb_cyw43439 *d, uint64_t ns)
{
	d->boot.wait_until = cyw_now(d) + ns;
	return S_WAIT;
}

/* Start a polled wait that gives up @p timeout from now. */
static void arm_timeout(struct nb_cyw43439 *d, uint64_t timeout)
{
	d->boot.timeout_at = cyw_now(d) + timeout;
}

void cyw_boot_fail(struct nb_cyw43439 *d, enum nb_cyw43439_reason reason, int err)
{
	cyw_log(d, NB_LOG_ERR, "bring-up failed", (int64_t)reason, err);
	d->wifi.reason = (uint8_t)reason;
	d->wifi.state = NB_CYW43439_STATE_FAILED;
	d->boot.step = B_IDLE;
	d->boot.wait_until = NB_DEADLINE_NONE;
	/* power down: a failed chip must not keep answering with stale state */
	(void)cyw_power_down(d);
	cyw_wifi_stop(d);
}

int cyw_power_down(struct nb_cyw43439 *d)
{
	int ret = 0, r;

	if (d->irq_hooked) {
		r = nb_gpio_set_irq(&d->cfg.gpio, d->cfg.host_wake_pin, NB_GPIO_IRQ_NONE, NULL,
				    NULL);
		if (r < 0) {
			cyw_log(d, NB_LOG_WARN, "HOST_WAKE irq release failed", r, 0);
			ret = r;
		}
		d->irq_hooked = false;
	}
	r = nb_gpio_write(&d->cfg.gpio, d->cfg.wl_reg_on_pin, false);
	if (r < 0) {
		cyw_log(d, NB_LOG_WARN, "WL_REG_ON low failed", r, 0);
		ret = r;
	}
	cyw_bus_reset(d);
	d->bp_window_valid = false;
	return ret;
}

void cyw_boot_start(struct nb_cyw43439 *d)
{
	go(d, B_POWER_OFF);
	d->boot.wait_until = 0;
	d->bp_window_valid = false;
	d->wifi.state = NB_CYW43439_STATE_BOOTING;
	d->wifi.reason = NB_CYW43439_REASON_NONE;
	cyw_bus_reset(d);
}

bool cyw_boot_bus_phase(const struct nb_cyw43439 *d)
{
	return d->boot.step != B_IDLE && d->boot.step != B_DONE;
}

uint64_t cyw_boot_deadline(const struct nb_cyw43439 *d)
{
	if (d->boot.step == B_IDLE || d->boot.step == B_DONE)
		return NB_DEADLINE_NONE;
	return d->boot.wait_until;
}

/* Image byte @p off, zero past the end: both images are moved in whole 4-byte words. */
static void image_chunk(const uint8_t *img, size_t img_len, uint32_t off, uint8_t *dst,
			size_t n)
{
	size_t have = off < img_len ? img_len - off : 0;

	if (have > n)
		have = n;
	memcpy(dst, img + off, have);
	memset(dst + have, 0, n - have);
}

static int write_slice(struct nb_cyw43439 *d, uint32_t base, const uint8_t *img, size_t len)
{
	uint32_t total = l4(len);
	uint8_t chunk[CYW_BP_MAX_XFER];

	for (unsigned i = 0; i < SLICE_XFERS && d->boot.off < total; i++) {
		uint32_t addr = base + d->boot.off;
		size_t n = cyw_bp_chunk(addr, total - d->boot.off);
		int ret;

		image_chunk(img, len, d->boot.off, chunk, n);
		ret = cyw_bp_write_block(d, addr, chunk, n);
		if (ret < 0)
			return ret;
		d->boot.off += (uint32_t)n;
	}
	return d->boot.off < total ? S_YIELD : S_NEXT;
}

/* Offsets checked by sampled verification: start, middle and end of the image. */
static uint32_t sample_off(uint32_t total, unsigned i)
{
	uint32_t last = total > CYW_BP_MAX_XFER ? (total - CYW_BP_MAX_XFER) & ~3u : 0;

	switch (i) {
	case 0:
		return 0;
	case 1:
		return total > 2u * CYW_BP_MAX_XFER ? (total / 2u - CYW_BP_MAX_XFER / 2u) & ~3u : 0;
	default:
		return last;
	}
}

static int verify_slice(struct nb_cyw43439 *d, uint32_t base, const uint8_t *img, size_t len)
{
	uint32_t total = l4(len);
	uint8_t want[CYW_BP_MAX_XFER], got[CYW_BP_MAX_XFER];

	if (d->cfg.verify == NB_CYW43439_VERIFY_NONE)
		return S_NEXT;
	for (unsigned i = 0; i < SLICE_XFERS; i++) {
		uint32_t off, addr;
		size_t n;
		int ret;

		if (d->cfg.verify == NB_CYW43439_VERIFY_SAMPLED) {
			if (d->boot.tries >= 3)
				return S_NEXT;
			off = sample_off(total, d->boot.tries++);
		} else {
			if (d->boot.off >= total)
				return S_NEXT;
			off = d->boot.off;
		}
		addr = base + off;
		n = cyw_bp_chunk(addr, total - off);
		image_chunk(img, len, off, want, n);
		ret = cyw_bp_read_block(d, addr, got, n);
		if (ret < 0)
			return ret;
		if (memcmp(want, got, n) != 0) {
			cyw_log(d, NB_LOG_ERR, "download read-back differs at", addr, 0);
			return -NB_EBADMSG;
		}
		d->boot.off = off + (uint32_t)n;
	}
	return S_YIELD;
}

/* A polled register wait: S_NEXT when (reg & mask) != 0, S_WAIT to retry, -ETIMEDOUT. */
static int poll_bit(struct nb_cyw43439 *d, enum cyw_func func, uint32_t reg, uint32_t mask)
{
	uint32_t v;
	int ret;

	if (func == CYW_F0 && reg == CYW_F0_STATUS)
		ret = cyw_bus_status(d, &v);
	else
		ret = cyw_reg_read(d, func, reg, func == CYW_F0 ? 4 : 1, &v);
	if (ret < 0 && ret != -NB_ENODATA)
		return ret;
	if (ret == 0 && (v & mask))
		return S_NEXT;
	if (nb_clock_expired(&d->cfg.clock, d->boot.timeout_at))
		return -NB_ETIMEDOUT;
	return wait_ns(d, RETRY_NS);
}

static int core(struct nb_cyw43439 *d, uint32_t wrapper, enum cyw_core_op op)
{
	uint64_t ns = 0;
	int ret = cyw_core_step(d, wrapper, op, &d->boot.core_phase, &ns);

	if (ret == 1)
		return wait_ns(d, ns);
	return ret;
}

static int step_configure(struct nb_cyw43439 *d)
{
	int ret = cyw_bus_configure(d);

	if (ret < 0)
		return ret;
	/* §2.8.1: clear stale interrupt bits; enable the error and F2 bits until F2 is ready */
	ret = cyw_reg_write(d, CYW_F0, CYW_F0_INT, 1, CYW_INT_CLEAR_AT_INIT);
	if (ret < 0)
		return ret;
	ret = cyw_reg_write(d, CYW_F0, CYW_F0_INT_ENABLE, 2, 0x00BEu);
	if (ret < 0)
		return ret;
	/* §2.4: request the ALP clock before any backplane access (invariant I1) */
	return cyw_reg_write(d, CYW_F1, CYW_F1_CHIP_CLOCK_CSR, 1, CYW_CLK_ALP_AVAIL_REQ);
}

static int step_chip_id(struct nb_cyw43439 *d)
{
	uint32_t v;
	int ret = cyw_reg_write(d, CYW_F1, CYW_F1_CHIP_CLOCK_CSR, 1, 0);

	if (ret < 0)
		return ret;
	ret = cyw_bp_read(d, CYW_BP_CHIPCOMMON, 2, &v);
	if (ret < 0)
		return ret;
	if (v != CYW_CHIP_ID) {
		cyw_log(d, NB_LOG_ERR, "chip id is not 43439", v, CYW_CHIP_ID);
		return -NB_ENODEV;
	}
	return S_NEXT;
}

static int step_socsram_setup(struct nb_cyw43439 *d)
{
	/* §2.5.1: bank 3 index / PDA for the 4343x SRAM remap */
	int ret = cyw_bp_write(d, CYW_BP_SOCSRAM_BANKX_INDEX, 4, 3);

	if (ret < 0)
		return ret;
	return cyw_bp_write(d, CYW_BP_SOCSRAM_BANKX_PDA, 4, 0);
}

static int step_nvram_len(struct nb_cyw43439 *d)
{
	uint32_t n = l4(d->cfg.nvram_len) / 4u;
	uint32_t word = ((~n & 0xFFFFu) << 16) | n, v;
	int ret = cyw_bp_write(d, CYW_NVRAM_LEN_WORD, 4, word);

	if (ret < 0)
		return ret;
	if (d->cfg.verify == NB_CYW43439_VERIFY_NONE)
		return S_NEXT;
	ret = cyw_bp_read(d, CYW_NVRAM_LEN_WORD, 4, &v);
	if (ret < 0)
		return ret;
	if (v != word) {
		cyw_log(d, NB_LOG_ERR, "NVRAM length word read-back", v, word);
		return -NB_EBADMSG;
	}
	return S_NEXT;
}

static int step_f2_setup(struct nb_cyw43439 *d)
{
	int ret = cyw_bp_write(d, CYW_BP_SDIO_HOSTINTMASK, 4, CYW_HOSTINTMASK_SW);

	if (ret < 0)
		return ret;
	/* only "F2 packet available" drives HOST_WAKE from now on */
	ret = cyw_reg_write(d, CYW_F0, CYW_F0_INT_ENABLE, 2, CYW_INT_F2_PACKET_AVAILABLE);
	if (ret < 0)
		return ret;
	return cyw_reg_write(d, CYW_F1, CYW_F1_WATERMARK, 1, CYW_F2_WATERMARK);
}

static int step_ht_request(struct nb_cyw43439 *d)
{
	uint32_t v;
	int ret = cyw_reg_write(d, CYW_F1, CYW_F1_PULL_UP, 1, 0);

	if (ret < 0)
		return ret;
	ret = cyw_reg_read(d, CYW_F1, CYW_F1_PULL_UP, 1, &v);
	if (ret < 0)
		return ret;
	return cyw_reg_write(d, CYW_F1, CYW_F1_CHIP_CLOCK_CSR, 1, CYW_CLK_HT_AVAIL_REQ);
}

static void host_wake_isr(void *ctx)
{
	struct nb_cyw43439 *d = ctx;

	nb_netdev_irq(&d->base);
}

static int step_sdpcm(struct nb_cyw43439 *d)
{
	uint32_t v;
	int ret = cyw_reg_read(d, CYW_F0, CYW_F0_INT, 2, &v);

	if (ret < 0)
		return ret;
	/* §2.6.3: DATA_UNAVAILABLE is usually found set at this point; it is W1C */
	if (v & CYW_INT_DATA_UNAVAILABLE) {
		ret = cyw_reg_write(d, CYW_F0, CYW_F0_INT, 2, v);
		if (ret < 0)
			return ret;
	}
	if (!d->cfg.no_irq) {
		/* rising edge: irq_rearm samples the level for packets that were already there */
		ret = nb_gpio_set_irq(&d->cfg.gpio, d->cfg.host_wake_pin, NB_GPIO_IRQ_RISING,
				      host_wake_isr, d);
		if (ret < 0)
			return ret;
		d->irq_hooked = true;
	}
	cyw_sdpcm_reset(d);
	cyw_ctl_reset(d);
	cyw_wifi_start(d);
	return S_NEXT;
}

static int step(struct nb_cyw43439 *d)
{
	const struct nb_cyw43439_cfg *c = &d->cfg;
	int ret;

	switch (d->boot.step) {
	case B_POWER_OFF:
		ret = nb_gpio_set_dir(&c->gpio, c->host_wake_pin, false, false);
		if (ret < 0)
			return ret;
		ret = nb_gpio_set_dir(&c->gpio, c->wl_reg_on_pin, true, false);
		if (ret < 0)
			return ret;
		go(d, B_POWER_ON);
		return wait_ns(d, POWER_OFF_NS);
	case B_POWER_ON:
		ret = nb_gpio_write(&c->gpio, c->wl_reg_on_pin, true);
		if (ret < 0)
			return ret;
		go(d, B_PROBE);
		arm_timeout(d, POWER_ON_NS + PROBE_TIMEOUT_NS);
		return wait_ns(d, POWER_ON_NS);
	case B_PROBE:
		ret = cyw_bus_probe(d);
		if (ret < 0)
			return ret;
		if (ret == 0) {
			go(d, B_CONFIGURE);
			return S_NEXT;
		}
		if (nb_clock_expired(&c->clock, d->boot.timeout_at))
			return -NB_ENODEV;
		return ret == 2 ? S_NEXT : wait_ns(d, RETRY_NS);
	case B_CONFIGURE:
		ret = step_configure(d);
		if (ret < 0)
			return ret;
		go(d, B_ALP_WAIT);
		arm_timeout(d, ALP_TIMEOUT_NS);
		return S_NEXT;
	case B_ALP_WAIT:
		ret = poll_bit(d, CYW_F1, CYW_F1_CHIP_CLOCK_CSR, CYW_CLK_ALP_AVAIL);
		if (ret == S_NEXT)
			go(d, B_CHIP_ID);
		return ret;
	case B_CHIP_ID:
		ret = step_chip_id(d);
		if (ret == S_NEXT)
			go(d, B_DISABLE_WLAN);
		return ret;
	case B_DISABLE_WLAN:
		ret = core(d, CYW_BP_WLAN_WRAPPER, CYW_CORE_DISABLE);
		if (ret == S_NEXT)
			go(d, B_DISABLE_SOCSRAM);
		return ret;
	case B_DISABLE_SOCSRAM:
		ret = core(d, CYW_BP_SOCSRAM_WRAPPER, CYW_CORE_DISABLE);
		if (ret == S_NEXT)
			go(d, B_RESET_SOCSRAM);
		return ret;
	case B_RESET_SOCSRAM:
		ret = core(d, CYW_BP_SOCSRAM_WRAPPER, CYW_CORE_RESET);
		if (ret == S_NEXT)
			go(d, B_SOCSRAM_SETUP);
		return ret;
	case B_SOCSRAM_SETUP:
		ret = step_socsram_setup(d);
		if (ret == S_NEXT)
			go(d, B_FW_WRITE);
		return ret;
	case B_FW_WRITE:
		ret = write_slice(d, 0, c->firmware, c->firmware_len);
		if (ret == S_NEXT)
			go(d, B_FW_VERIFY);
		return ret;
	case B_FW_VERIFY:
		ret = verify_slice(d, 0, c->firmware, c->firmware_len);
		if (ret == S_NEXT)
			go(d, B_NVRAM_WRITE);
		return ret;
	case B_NVRAM_WRITE:
		ret = write_slice(d, nvram_base(d), c->nvram, c->nvram_len);
		if (ret == S_NEXT)
			go(d, B_NVRAM_VERIFY);
		return ret;
	case B_NVRAM_VERIFY:
		ret = verify_slice(d, nvram_base(d), c->nvram, c->nvram_len);
		if (ret == S_NEXT)
			go(d, B_NVRAM_LEN);
		return ret;
	case B_NVRAM_LEN:
		ret = step_nvram_len(d);
		if (ret == S_NEXT)
			go(d, B_RESET_WLAN);
		return ret;
	case B_RESET_WLAN:
		ret = core(d, CYW_BP_WLAN_WRAPPER, CYW_CORE_RESET);
		if (ret != S_NEXT)
			return ret;
		ret = cyw_core_is_up(d, CYW_BP_WLAN_WRAPPER);
		if (ret < 0)
			return ret;
		go(d, B_HT_WAIT);
		arm_timeout(d, HT_TIMEOUT_NS);
		return S_NEXT;
	case B_HT_WAIT:
		ret = poll_bit(d, CYW_F1, CYW_F1_CHIP_CLOCK_CSR, CYW_CLK_HT_AVAIL);
		if (ret != S_NEXT)
			return ret;
		ret = step_f2_setup(d);
		if (ret < 0)
			return ret;
		go(d, B_F2_WAIT);
		arm_timeout(d, F2_TIMEOUT_NS);
		return S_NEXT;
	case B_F2_WAIT:
		ret = poll_bit(d, CYW_F0, CYW_F0_STATUS, CYW_ST_F2_RX_READY);
		if (ret != S_NEXT)
			return ret;
		ret = step_ht_request(d);
		if (ret < 0)
			return ret;
		go(d, B_HT_REQ_WAIT);
		arm_timeout(d, HT_REQ_TIMEOUT_NS);
		return S_NEXT;
	case B_HT_REQ_WAIT:
		ret = poll_bit(d, CYW_F1, CYW_F1_CHIP_CLOCK_CSR, CYW_CLK_HT_AVAIL);
		if (ret != S_NEXT)
			return ret;
		go(d, B_DONE);
		return step_sdpcm(d);
	default:
		return S_WAIT;
	}
}

static enum nb_cyw43439_reason reason_for(int err)
{
	if (err == -NB_EBADMSG)
		return NB_CYW43439_REASON_VERIFY_FAILED;
	if (err == -NB_ETIMEDOUT)
		return NB_CYW43439_REASON_FIRMWARE_TIMEOUT;
	if (err == -NB_ENODEV)
		return NB_CYW43439_REASON_NO_CHIP;
	return NB_CYW43439_REASON_BUS_ERROR;
}

void cyw_boot_run(struct nb_cyw43439 *d)
{
	/* bounded: a few slices per poll, then the loop gets control back */
	for (unsigned guard = 0; guard < 64; guard++) {
		uint8_t at = d->boot.step;
		int ret;

		if (at == B_IDLE || at == B_DONE)
			return;
		if (!nb_clock_expired(&d->cfg.clock, d->boot.wait_until) &&
		    d->boot.wait_until != 0)
			return;
		d->boot.wait_until = 0;
		ret = step(d);
		if (ret < 0) {
			cyw_boot_fail(d, reason_for(ret), ret);
			return;
		}
		if (ret == S_YIELD) {
			d->boot.wait_until = cyw_now(d);
			return;
		}
	}
}
