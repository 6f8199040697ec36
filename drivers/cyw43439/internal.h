/* SPDX-License-Identifier: MIT */
/**
 * @file internal.h
 * @brief Calls between the layers of the CYW43439 driver (not part of the public API).
 *
 * All of them run in the poll context. Bus-level calls return 0 or a negative errno and are
 * NB_MUST_CHECK; a failing transfer is counted in stats.bus_errors.
 */
#ifndef NB_CYW43439_INTERNAL_H
#define NB_CYW43439_INTERNAL_H

#include "drivers/cyw43439/cyw43439.h"
#include "drivers/cyw43439/regs.h"

#define CYW_LOG_SRC "cyw43439"

static inline uint64_t cyw_now(const struct nb_cyw43439 *d)
{
	return nb_clock_now(&d->cfg.clock);
}

/** Firmware up and answering ioctls (READY, JOINING or JOINED). */
static inline bool cyw_fw_up(const struct nb_cyw43439 *d)
{
	return d->wifi.state == NB_CYW43439_STATE_READY ||
	       d->wifi.state == NB_CYW43439_STATE_JOINING ||
	       d->wifi.state == NB_CYW43439_STATE_JOINED;
}

/** The chip is powered and its F2 path is ours: booting or firmware up. A handler that
 *  fails the bring-up or stops the device powers the chip down, after which the bus must
 *  not be touched (a transaction with WL_REG_ON low reaches nobody). */
static inline bool cyw_bus_live(const struct nb_cyw43439 *d)
{
	return d->opened && (d->wifi.state == NB_CYW43439_STATE_BOOTING || cyw_fw_up(d));
}

static inline void cyw_log(const struct nb_cyw43439 *d, enum nb_log_level lvl, const char *msg,
			   int64_t a, int64_t b)
{
	nb_log(&d->cfg.log, lvl, CYW_LOG_SRC, msg, a, b);
}

/* ---- bus.c: gSPI ---------------------------------------------------------------------- */

/** Back to the power-on view of the bus: 16-bit words, status not interpreted, no pad. */
void cyw_bus_reset(struct nb_cyw43439 *d);
/** Build a command word (§1.4). */
uint32_t cyw_bus_cmd(bool write, enum cyw_func func, uint32_t addr, uint32_t len);
/** Read a 1/2/4-byte register of F0 or F1. */
NB_MUST_CHECK int cyw_reg_read(struct nb_cyw43439 *d, enum cyw_func func, uint32_t addr,
			       unsigned len, uint32_t *val);
/** Write a 1/2/4-byte register of F0 or F1 (only @p len bytes are modified). */
NB_MUST_CHECK int cyw_reg_write(struct nb_cyw43439 *d, enum cyw_func func, uint32_t addr,
				unsigned len, uint32_t val);
/** F1 block read of @p len (<= 64) bytes into @p dst, through the response-delay pad. */
NB_MUST_CHECK int cyw_f1_read_block(struct nb_cyw43439 *d, uint32_t addr, uint8_t *dst,
				    size_t len);
/** F1 block write of @p len (<= 64) bytes (bounced so no byte past @p src is read). */
NB_MUST_CHECK int cyw_f1_write_block(struct nb_cyw43439 *d, uint32_t addr, const uint8_t *src,
				     size_t len);
/** F2 read of @p len bytes into @p dst, which has room for @p len rounded up to 4.
 *  @retval -ENODATA the status word read all ones: the chip did not answer, so the frame is
 *  still queued in it and @p dst holds nothing of it (counted in bus_errors). */
NB_MUST_CHECK int cyw_f2_read(struct nb_cyw43439 *d, uint8_t *dst, size_t len);
/** F2 write of an SDPCM frame of @p len bytes; @p src is readable to @p len rounded up to 4.
 *  @retval -EIO also when the status word read all ones: the chip did not take the frame
 *  (counted in bus_errors). Only detectable with the status word enabled. */
NB_MUST_CHECK int cyw_f2_write(struct nb_cyw43439 *d, const uint8_t *src, size_t len);
/**
 * Current status word: the appended one from the last transaction when status is on,
 * otherwise a fresh F0 0x08 read.
 */
NB_MUST_CHECK int cyw_bus_status(struct nb_cyw43439 *d, uint32_t *status);
/** Power-up test-pattern probe; see bus.c for the retry rules. 1 = retry later. */
NB_MUST_CHECK int cyw_bus_probe(struct nb_cyw43439 *d);
/** Switch to 32-bit mode with the configured status word, verify, set the F1 pad. */
NB_MUST_CHECK int cyw_bus_configure(struct nb_cyw43439 *d);

/* ---- backplane.c ------------------------------------------------------------------------ */

NB_MUST_CHECK int cyw_bp_read(struct nb_cyw43439 *d, uint32_t addr, unsigned len,
			      uint32_t *val);
NB_MUST_CHECK int cyw_bp_write(struct nb_cyw43439 *d, uint32_t addr, unsigned len,
			       uint32_t val);
/** Bytes of the next bulk transfer at @p addr: <= 64 and never across a 32 KB window. */
size_t cyw_bp_chunk(uint32_t addr, size_t remaining);
/** One bulk transfer; -EINVAL if it is longer than 64 bytes or crosses a window. */
NB_MUST_CHECK int cyw_bp_write_block(struct nb_cyw43439 *d, uint32_t addr, const uint8_t *src,
				     size_t len);
NB_MUST_CHECK int cyw_bp_read_block(struct nb_cyw43439 *d, uint32_t addr, uint8_t *dst,
				    size_t len);

enum cyw_core_op { CYW_CORE_DISABLE, CYW_CORE_RESET };
/**
 * One step of disabling or resetting the core whose wrapper is at @p wrapper; *phase starts
 * at 0. @return 0 done, 1 wait until *wait_ns from now and call again, negative errno.
 */
NB_MUST_CHECK int cyw_core_step(struct nb_cyw43439 *d, uint32_t wrapper, enum cyw_core_op op,
				uint8_t *phase, uint64_t *wait_ns);
/** 0 when the core is clocked and out of reset, -EIO otherwise. */
NB_MUST_CHECK int cyw_core_is_up(struct nb_cyw43439 *d, uint32_t wrapper);

/* ---- fwload.c: bring-up state machine ----------------------------------------------------- */

void cyw_boot_start(struct nb_cyw43439 *d);
/** True while the bring-up is before "F2 ready" (bus and firmware download phase). */
bool cyw_boot_bus_phase(const struct nb_cyw43439 *d);
/** Advance the bring-up as far as possible without waiting. */
void cyw_boot_run(struct nb_cyw43439 *d);
/** Time the bring-up next needs to run (NB_DEADLINE_NONE when not booting). */
uint64_t cyw_boot_deadline(const struct nb_cyw43439 *d);
/** Release HOST_WAKE and pull WL_REG_ON low. @return 0 or the first GPIO error. */
int cyw_power_down(struct nb_cyw43439 *d);
/** Bring-up failed: record @p reason, power the chip down, state FAILED. */
void cyw_boot_fail(struct nb_cyw43439 *d, enum nb_cyw43439_reason reason, int err);

/* ---- sdpcm.c -------------------------------------------------------------------------------- */

void cyw_sdpcm_reset(struct nb_cyw43439 *d);
/** True when a frame may be sent now (credit and, for data, flow control). */
bool cyw_sdpcm_can_send(const struct nb_cyw43439 *d, bool data);
/** Frames of data send() accepts now; a 0 answer arms the TX wake-up. */
int cyw_sdpcm_tx_space(struct nb_cyw43439 *d);
/** Something that could open the TX window happened: wake TX if it had stalled. */
void cyw_sdpcm_tx_check(struct nb_cyw43439 *d);
/** Fill the 12-byte SDPCM header at @p hdr for a frame of @p len bytes; takes a sequence. */
void cyw_sdpcm_fill(struct nb_cyw43439 *d, uint8_t *hdr, size_t len, unsigned chan,
		    unsigned hdrlen);
/** The F2 write of the frame just filled failed: give its sequence number back. */
void cyw_sdpcm_unsent(struct nb_cyw43439 *d);
/** Count a rejected chip->host frame: @p counter and NB_DROP_RX_MALFORMED. @return 1. */
int cyw_rx_malformed(struct nb_cyw43439 *d, uint64_t *counter);
/** Read and dispatch F2 frames until @p budget data frames were taken off or none is left.
 *  @return data frames taken off (delivered or dropped). */
int cyw_sdpcm_rx(struct nb_cyw43439 *d, int budget);

/* ---- ioctl.c -------------------------------------------------------------------------------- */

void cyw_ctl_reset(struct nb_cyw43439 *d);
/** Queue one ioctl; @p done runs once with the result (also on timeout and cancel). */
NB_MUST_CHECK int cyw_ctl_submit(struct nb_cyw43439 *d, uint32_t cmd, bool set, unsigned iface,
				 const void *data, size_t len, void *resp, size_t resp_cap,
				 nb_cyw43439_ctl_done_fn done, void *ctx);
/** Where the payload of the next request is built in place (valid while no ioctl is busy;
 *  NB_CYW43439_CTL_DATA_MAX bytes). */
uint8_t *cyw_ctl_payload(struct nb_cyw43439 *d);
/** Submit a request whose @p len payload bytes were built at cyw_ctl_payload(). */
NB_MUST_CHECK int cyw_ctl_submit_built(struct nb_cyw43439 *d, uint32_t cmd, bool set,
				       unsigned iface, size_t len, void *resp, size_t resp_cap,
				       nb_cyw43439_ctl_done_fn done, void *ctx);
/** Send a queued request if credit allows; check the timeout. */
void cyw_ctl_service(struct nb_cyw43439 *d);
/** A control frame arrived (@p p after the SDPCM header, @p len bytes).
 *  @return 1 when it was malformed (counted), else 0. */
int cyw_ctl_rx(struct nb_cyw43439 *d, const uint8_t *p, size_t len);
/** Drop the outstanding ioctl (device stopping); a raw ioctl's caller gets -ECANCELED. */
void cyw_ctl_cancel(struct nb_cyw43439 *d);
uint64_t cyw_ctl_deadline(const struct nb_cyw43439 *d);
/** Write "name\0" at @p p; @return its length. */
size_t cyw_put_name(uint8_t *p, const char *name);
/** SET_VAR @p name with @p len value bytes (interface 0). */
NB_MUST_CHECK int cyw_iovar_set(struct nb_cyw43439 *d, const char *name, const void *val,
				size_t len, nb_cyw43439_ctl_done_fn done, void *ctx);
NB_MUST_CHECK int cyw_iovar_set_u32(struct nb_cyw43439 *d, const char *name, uint32_t v,
				    nb_cyw43439_ctl_done_fn done, void *ctx);
/** "bsscfg:" iovar for bsscfg 0 with a u32 value. */
NB_MUST_CHECK int cyw_bsscfg_set_u32(struct nb_cyw43439 *d, const char *name, uint32_t v,
				     nb_cyw43439_ctl_done_fn done, void *ctx);
/** GET_VAR @p name; @p out_len zero bytes of room after the name. */
NB_MUST_CHECK int cyw_iovar_get(struct nb_cyw43439 *d, const char *name, size_t out_len,
				void *resp, size_t resp_cap, nb_cyw43439_ctl_done_fn done,
				void *ctx);
NB_MUST_CHECK int cyw_ioctl_set_u32(struct nb_cyw43439 *d, uint32_t cmd, uint32_t v,
				    nb_cyw43439_ctl_done_fn done, void *ctx);

/* ---- event.c -------------------------------------------------------------------------------- */

/** Parsed, validated event message (host byte order). */
struct cyw_event {
	uint32_t type, status, reason, auth_type;
	uint16_t flags;
	uint8_t ifidx, bsscfgidx;
	uint8_t addr[NB_ETH_ALEN];
	const uint8_t *data;  /* datalen bytes, inside the F2 buffer */
	uint32_t datalen;
};

/** An event-channel frame (@p p = BDC header, @p len bytes to the frame's end).
 *  @return 1 when it was rejected as malformed (counted), else 0. */
int cyw_event_rx(struct nb_cyw43439 *d, const uint8_t *p, size_t len);
/** Validate an Ethernet-framed event; 0 and *ev filled, or a negative errno. */
int cyw_event_parse(const uint8_t *eth, size_t len, struct cyw_event *ev);
/** Write the 24-byte event mask the driver enables. */
void cyw_event_mask(uint8_t mask[CYW_E_MASK_BYTES]);

/* ---- fwinit.c ----------------------------------------------------------------------------- */

/** Firmware is up (F2 ready): run the post-boot ioctl sequence. */
void cyw_wifi_start(struct nb_cyw43439 *d);
/** Send the next request of the post-boot sequence (boot.init_step != 0). */
NB_MUST_CHECK int cyw_init_send(struct nb_cyw43439 *d);

/* ---- wifi.c / scan.c ----------------------------------------------------------------------- */

void cyw_wifi_reset(struct nb_cyw43439 *d);
/** Issue whatever ioctl the pending tasks need next; run join/rejoin timers. */
void cyw_wifi_service(struct nb_cyw43439 *d);
void cyw_wifi_event(struct nb_cyw43439 *d, const struct cyw_event *ev);
uint64_t cyw_wifi_deadline(const struct nb_cyw43439 *d);
/** Stop: cancel join/scan callbacks with -ECANCELED, link down. */
void cyw_wifi_stop(struct nb_cyw43439 *d);
void cyw_wifi_set_link(struct nb_cyw43439 *d, bool up);

void cyw_scan_event(struct nb_cyw43439 *d, const struct cyw_event *ev);
/** Build the escan iovar in the control buffer and submit it. */
NB_MUST_CHECK int cyw_scan_submit(struct nb_cyw43439 *d);
void cyw_scan_finish(struct nb_cyw43439 *d, int status);
/** Fail a scan that outlived its deadline. */
void cyw_scan_timers(struct nb_cyw43439 *d);

#endif /* NB_CYW43439_INTERNAL_H */
