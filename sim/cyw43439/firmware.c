/* SPDX-License-Identifier: MIT */
/* CYW43439 model: firmware download rules, WLAN ARM release/reset (§2.2.4, §2.6), image
 * verification, NVRAM (§2.5.2) and boot (HT clock, F2 ready, shared area). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cyw43439/fwimage.h"
#include "sim/cyw43439/model_priv.h"

#define FW_ERR(...) snprintf(m->fw_error, sizeof(m->fw_error), __VA_ARGS__)

static void boot_done(void *ctx);

void cy_fw_init(struct nb_cyw43439_model *m)
{
	nb_sim_timer_init(&m->boot_timer, boot_done, m);
}

static void fw_stop(struct nb_cyw43439_model *m)
{
	nb_sim_timer_cancel(m->sim, &m->boot_timer);
	m->f2_ready = false;
	m->ht_avail = false; /* HT is the firmware's request; it goes with the core */
	m->sr_control1 = 0;
}

void cy_fw_reset(struct nb_cyw43439_model *m)
{
	fw_stop(m);
	m->fw = NB_CYW43439_FW_OFF;
	m->fw_error[0] = '\0';
	m->ram_written = false;
	free(m->nvram);
	m->nvram = NULL;
	m->nvram_len = 0;
}

bool cy_fw_running(const struct nb_cyw43439_model *m)
{
	return m->fw == NB_CYW43439_FW_RUNNING;
}

bool cy_fw_ram_write_ok(struct nb_cyw43439_model *m, uint32_t addr, size_t n)
{
	(void)addr;
	(void)n;
	if (!(m->arm_resetctrl & 1) &&
	    cy_violation(m, "RAM write while the WLAN ARM core runs: download only with the core "
			 "in reset (§2.10 I6)"))
		return false;
	if (!m->ram_written && !m->bank3_pda_done)
		cy_warning(m, "download starts before SOCSRAM bank 3 PDA was cleared (§2.5.1, I5)");
	m->ram_written = true;
	return true;
}

/* NVRAM: NUL-separated "key=value" text strings ending with an empty string (§2.5.2). */
static int nvram_check(struct nb_cyw43439_model *m, uint32_t base, size_t len)
{
	const uint8_t *p = m->ram + base;
	size_t off = 0, entries = 0, end = len;

	while (off < len) {
		size_t s = off;
		bool eq = false;

		if (!p[off]) { /* empty string: end of the list */
			end = off;
			break;
		}
		for (; off < len && p[off]; off++) {
			uint8_t c = p[off];

			if (c == '=')
				eq = true;
			if ((c < 0x20 || c > 0x7E) && c != '\t' && c != '\n' && c != '\r') {
				FW_ERR("NVRAM at 0x%05x: byte 0x%02x is not text",
				       (unsigned)(base + off), c);
				return -EBADMSG;
			}
		}
		if (!eq || p[s] == '=') {
			FW_ERR("NVRAM at 0x%05x: entry is not key=value", (unsigned)(base + s));
			return -EBADMSG;
		}
		entries++;
		off++;
	}
	if (!entries) {
		FW_ERR("NVRAM at 0x%05x (%zu bytes) is empty", (unsigned)base, len);
		return -EBADMSG;
	}
	free(m->nvram);
	m->nvram = malloc(NB_MIN(end, len) + 1);
	if (!m->nvram)
		return -ENOMEM;
	memcpy(m->nvram, p, NB_MIN(end, len));
	m->nvram[NB_MIN(end, len)] = '\0';
	m->nvram_len = NB_MIN(end, len);
	return 0;
}

static int nvram_find(struct nb_cyw43439_model *m, uint32_t *base_out)
{
	uint32_t w = nb_get_le32(m->ram + NVRAM_LEN_WORD);
	uint32_t n = w & 0xFFFF;

	if ((w >> 16) != (~n & 0xFFFF) || !n) {
		FW_ERR("no valid NVRAM length word at 0x%05x (0x%08x: low half must be the word "
		       "count, high half its complement)",
		       NVRAM_LEN_WORD, (unsigned)w);
		return -ENOENT;
	}
	if ((size_t)n * 4 > NVRAM_LEN_WORD - FW_SHARED_PTR - 4) {
		FW_ERR("NVRAM length word 0x%08x describes %u bytes: too large", (unsigned)w, n * 4);
		return -ENOENT;
	}
	*base_out = NVRAM_LEN_WORD - n * 4;
	return nvram_check(m, *base_out, (size_t)n * 4);
}

static int image_check(struct nb_cyw43439_model *m, uint32_t nvram_base)
{
	char why[160];
	size_t len = 0;
	uint64_t seed;
	int rc;

	if (m->cfg.fw_verify_off) {
		for (size_t i = 0; i < 4096; i++)
			if (m->ram[i])
				return 0;
		FW_ERR("firmware image rejected: RAM at 0 is empty");
		return -EBADMSG;
	}
	rc = nb_fwimage_verify(m->ram, nvram_base ? nvram_base : FW_CONSOLE_BUF,
			       m->cfg.fw_seed_check ? &m->cfg.fw_seed : NULL, &seed, &len, why,
			       sizeof(why));
	if (rc) {
		FW_ERR("firmware image rejected: %s", why);
		return rc;
	}
	return 0;
}

static void release(struct nb_cyw43439_model *m)
{
	uint32_t nvram_base = 0;
	int nv;

	m->fw_error[0] = '\0';
	if (!(m->arm_ioctrl & IOCTRL_CLOCK_EN) || (m->arm_ioctrl & IOCTRL_CPUHALT)) {
		m->fw = NB_CYW43439_FW_HALTED;
		FW_ERR("WLAN ARM released with ioctrl 0x%02x (needs CLOCK_EN, no CPUHALT): the "
		       "core does not run", m->arm_ioctrl);
		cy_violation(m, "%s (§2.10 I8)", m->fw_error);
		return;
	}
	nv = nvram_find(m, &nvram_base);
	if (image_check(m, nv ? 0 : nvram_base)) {
		/* A corrupt image crashes: the core never requests HT. Always refused, in lax
		 * mode too: no image, no firmware. */
		m->fw = NB_CYW43439_FW_REJECTED;
		m->stats.fw_rejects++;
		cy_violation(m, "%s", m->fw_error);
		return;
	}
	if (nv) {
		/* The firmware runs but cannot find its NVRAM: never signals F2 ready (§2.6.3). */
		char msg[sizeof(m->fw_error)];

		memcpy(msg, m->fw_error, sizeof(msg));
		cy_violation(m, "WLAN ARM released: %s (§2.10 I7)", msg);
		m->fw = NB_CYW43439_FW_NO_NVRAM;
	} else {
		m->fw = NB_CYW43439_FW_BOOTING;
	}
	nb_sim_timer_arm_in(m->sim, &m->boot_timer, m->cfg.boot_ns);
}

void cy_fw_arm_changed(struct nb_cyw43439_model *m, uint8_t old_ioctrl, uint8_t old_resetctrl)
{
	bool was_reset = old_resetctrl & 1, in_reset = m->arm_resetctrl & 1;

	if (was_reset && !in_reset) {
		release(m);
	} else if (!was_reset && in_reset) {
		/* Back into reset (a driver re-initialising without a power cycle): the
		 * firmware stops and forgets its host-side state. */
		fw_stop(m);
		cy_join_detach(m);
		cy_sdpcm_reset(m);
		cy_wifi_reset(m);
		m->fw = NB_CYW43439_FW_OFF;
		cy_update_irq(m);
	} else if (!in_reset && ((m->arm_ioctrl ^ old_ioctrl) & IOCTRL_CPUHALT)) {
		cy_warning(m, "CPUHALT changed while the WLAN core runs: not modelled");
	}
}

static void put_console(struct nb_cyw43439_model *m)
{
	char text[160];
	int n;

	/* Shared area the firmware-log readers use (§2.9.2): pointer at 0x6FFFC → 32-byte
	 * struct, console address at +20 → {.., .., buf, size, idx, out_idx} (layout of the
	 * fields read by the hosts; the other fields are zero). */
	n = snprintf(text, sizeof(text),
		     "RTE (gSPI-CDC) 7.95.49 (netbench model) on BCM43439 r0 @ 37.4/96 MHz\n");
	memset(m->ram + FW_CONSOLE_BUF, 0, FW_CONSOLE_SIZE);
	memcpy(m->ram + FW_CONSOLE_BUF, text, (size_t)n);
	memset(m->ram + FW_CONSOLE, 0, 32);
	nb_put_le32(m->ram + FW_CONSOLE + 8, FW_CONSOLE_BUF);
	nb_put_le32(m->ram + FW_CONSOLE + 12, FW_CONSOLE_SIZE);
	nb_put_le32(m->ram + FW_CONSOLE + 16, (uint32_t)n);
	memset(m->ram + FW_SHARED, 0, 32);
	nb_put_le32(m->ram + FW_SHARED + 20, FW_CONSOLE);
	nb_put_le32(m->ram + FW_SHARED_PTR, FW_SHARED);
}

static void boot_done(void *ctx)
{
	struct nb_cyw43439_model *m = ctx;

	m->ht_avail = true;
	if (m->fw == NB_CYW43439_FW_NO_NVRAM)
		return;
	if (m->fw != NB_CYW43439_FW_BOOTING)
		return;
	m->fw = NB_CYW43439_FW_RUNNING;
	m->f2_ready = true;
	m->stats.fw_boots++;
	/* CD finds DATA_UNAVAILABLE set right after F2 ready and clears it (§2.6.3). */
	m->int_latched |= INT_DATA_UNAVAIL;
	if (m->cfg.save_restore)
		m->sr_control1 = 0x00000001u; /* value unconfirmed: WHD only tests for non-zero */
	put_console(m);
	cy_sdpcm_reset(m);
	cy_wifi_reset(m);
	cy_update_irq(m);
}
