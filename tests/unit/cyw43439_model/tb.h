/* SPDX-License-Identifier: MIT */
/**
 * @file tb.h
 * @brief Test bench for the CYW43439 model: a minimal host written from the reference, that
 *        formats wire bytes itself (so the tests check the model's decoding, not a copy of
 *        it), records violations, events and data frames.
 */
#ifndef NB_TEST_CYW_TB_H
#define NB_TEST_CYW_TB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/cyw43439/ap.h"
#include "sim/cyw43439/cyw43439_model.h"

enum tb_mode { TB_16 = 0, TB_32BE = 1, TB_32LE = 2 };

struct tb_event {
	uint32_t type, status, reason, auth_type, datalen;
	uint16_t flags;
	uint8_t addr[6];
	uint8_t ifidx;
	uint8_t data[600];
};

struct tb {
	struct nb_sim *sim;
	struct nb_cyw43439_model *m;
	struct nb_gspi_bus bus;
	struct nb_gpio gpio;
	enum tb_mode mode;
	unsigned pad;      /* F1 read pad bytes the host skips */
	bool status_on;    /* the chip appends the status word */
	uint32_t status;   /* status word of the last transaction (decoded) */
	uint32_t window;   /* cached backplane window */
	/* violations */
	unsigned nviol;
	char viol[32][320];
	/* SDPCM host state */
	uint8_t seq, credit;
	uint16_t ioctl_id;
	unsigned nframes_rx;
	uint8_t last_frame[2048];
	size_t last_frame_len;
	/* events and data received */
	unsigned nev;
	struct tb_event ev[64];
	unsigned ndata;
	uint8_t data[16][1600];
	size_t data_len[16];
	unsigned irqs;
};

void tb_init(struct tb *t, const struct nb_cyw43439_model_cfg *cfg);
void tb_fini(struct tb *t);
void tb_advance(struct tb *t, uint64_t ns);
/** WL_REG_ON low→high and wait 250 ms (as the Pico SDK does). */
void tb_power_on(struct tb *t);
bool tb_has_violation(const struct tb *t, const char *needle);

uint32_t tb_cmd(bool write, bool incr, unsigned func, uint32_t addr, unsigned len);
void tb_word_to_wire(enum tb_mode mode, uint32_t w, uint8_t out[4]);
uint32_t tb_wire_to_word(enum tb_mode mode, const uint8_t in[4]);

/** Read @p len bytes (memory order) from @p func/@p addr; F1 skips t->pad bytes. */
int tb_read(struct tb *t, unsigned func, uint32_t addr, size_t len, uint8_t *out);
int tb_write(struct tb *t, unsigned func, uint32_t addr, const uint8_t *in, size_t len);
uint32_t tb_r(struct tb *t, unsigned func, uint32_t addr, size_t len);
void tb_w(struct tb *t, unsigned func, uint32_t addr, size_t len, uint32_t v);

/** Embassy-style bus set-up: test pattern, 32-bit MSB-first mode with status, 4 pad bytes. */
void tb_bus_up(struct tb *t);
/** cyw43-driver style: 32-bit ENDIAN_BIG mode, status off, 16 pad bytes. */
void tb_bus_up_cd(struct tb *t);
/** ALP request and wait. */
void tb_alp(struct tb *t);
void tb_bp_write(struct tb *t, uint32_t bp, const uint8_t *buf, size_t len);
void tb_bp_read(struct tb *t, uint32_t bp, uint8_t *buf, size_t len);
uint32_t tb_bp_r(struct tb *t, uint32_t bp, size_t len);
void tb_bp_w(struct tb *t, uint32_t bp, size_t len, uint32_t v);
/** The reset(core) sequence of §2.2.3 on wrapper @p wrap (0x18103000 or 0x18104000). */
void tb_core_reset(struct tb *t, uint32_t wrap);
/** Everything up to (not including) the WLAN release: SOCSRAM, download, NVRAM. */
void tb_download(struct tb *t, const uint8_t *fw, size_t fw_len, const char *nvram,
		 size_t nv_len);
/** Full bring-up with an NBFW image of @p seed: returns when F2 is ready (or 1 s passed). */
bool tb_boot(struct tb *t, uint64_t seed);
/** Standard NVRAM text (NUL-separated, double NUL). */
extern const char tb_nvram[];
extern const size_t tb_nvram_len;

/* ---- SDPCM ------------------------------------------------------------------------------- */
int tb_f2_send(struct tb *t, unsigned chan, unsigned hdrlen, const uint8_t *payload, size_t len);
/** Read one frame if the status says one is pending: @return its length, 0 if none. Events
 *  and data frames are recorded; the last frame stays in t->last_frame. */
size_t tb_f2_poll(struct tb *t);
/** Drain everything pending, advancing time in 100 us steps for @p ns. */
void tb_pump(struct tb *t, uint64_t ns);
/**
 * One ioctl: send, wait up to 1 s for the reply with our id. @p buf is the request data
 * (len bytes) and gets the reply data. @return the CDC status (0 or BCME), or 1000 on
 * timeout.
 */
int tb_ioctl(struct tb *t, uint32_t cmd, bool set, uint8_t *buf, size_t len);
int tb_iovar_set(struct tb *t, const char *name, const void *val, size_t vlen);
int tb_iovar_set_u32(struct tb *t, const char *name, uint32_t v);
int tb_iovar_get(struct tb *t, const char *name, void *out, size_t out_len);
int tb_ioctl_u32(struct tb *t, uint32_t cmd, uint32_t v);
/** CLM load, txglom 0, apsta 1, event mask (all but 19, 40, 44, 54, 71), UP. */
void tb_wifi_init(struct tb *t);
/** Find the first recorded event of @p type at or after index @p from; -1 if none. */
int tb_find_event(const struct tb *t, uint32_t type, unsigned from);

#endif
