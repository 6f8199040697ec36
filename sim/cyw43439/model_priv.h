/* SPDX-License-Identifier: MIT */
/**
 * @file model_priv.h
 * @brief Internal state of the CYW43439 model, shared by its files (one concern each):
 *        model.c (lifecycle, pins, power, reports), gspi.c (wire, F0, status, faults),
 *        backplane.c (F1: window, local registers, cores, RAM), firmware.c (download,
 *        release, verification, boot), sdpcm.c (F2 framing, queues, credit), ioctl.c
 *        (CDC commands and iovars), events.c (event frames, escan results), join.c (scan,
 *        join, leave, link loss, data path).
 */
#ifndef NB_SIM_CYW43439_MODEL_PRIV_H
#define NB_SIM_CYW43439_MODEL_PRIV_H

#include <stdarg.h>

#include "drivers/util/compiler.h"
#include "sim/cyw43439/ap.h"
#include "sim/cyw43439/cyw43439_model.h"

#define CY_RAM_SIZE 0x80000u
#define CY_MAX_APS 8
#define CY_F2_MAX 2048u          /* gSPI F2 transfer limit (§1.4) */
#define CY_HOST_FRAME_MAX 1536u  /* chip→host frame limit drivers accept (§3.0 R2) */
#define CY_ETH_MAX 1514u         /* Ethernet part of a data frame (§3.0 R10) */
#define CY_TX_SLOT 1600u         /* host→chip frames the firmware buffers */
#define CY_SCHED_MAX 48
#define CY_RXQ_RESERVE 4u        /* slots only control replies may use */

/* ---- F0 (§1.7-§1.10) -------------------------------------------------------------------- */
#define F0_BUS_CTRL 0x00
#define F0_RESP_DELAY 0x01
#define F0_STATUS_EN 0x02
#define F0_RESET_BP 0x03
#define F0_INT 0x04
#define F0_INT_EN 0x06
#define F0_STATUS 0x08
#define F0_F1_INFO 0x0C
#define F0_F2_INFO 0x0E
#define F0_F3_INFO 0x10
#define F0_TEST_RO 0x14
#define F0_TEST_RW 0x18
#define F0_RESP_DELAY_F1 0x1D
#define F0_REGS 0x20
#define F0_CCCR_CARDCAP 0xF0

#define BUSCTL_WORD32 0x01
#define BUSCTL_ENDIAN_BIG 0x02
#define BUSCTL_INT_POL_HIGH 0x20
#define STATEN_STATUS 0x01

#define INT_DATA_UNAVAIL 0x0001
#define INT_RD_UNDERFLOW 0x0002
#define INT_WR_OVERFLOW 0x0004
#define INT_CMD_ERROR 0x0008
#define INT_DATA_ERROR 0x0010
#define INT_F2_PKT_AVAIL 0x0020
#define INT_F1_INTR 0x2000

#define ST_DATA_UNAVAIL 0x00000001u
#define ST_UNDERFLOW 0x00000002u
#define ST_OVERFLOW 0x00000004u
#define ST_F2_INTR 0x00000008u
#define ST_F2_RX_READY 0x00000020u
#define ST_CMD_DATA_ERR 0x00000080u
#define ST_F2_PKT_AVAIL 0x00000100u
#define ST_F2_LEN_SHIFT 9

/* ---- F1 local registers (§2.1.2) and backplane map (§2.2) --------------------------------- */
#define F1_LOCAL_BASE 0x10000u
#define F1_LOCAL_END 0x10020u
#define F1_WATERMARK 0x10008u
#define F1_DEVCTL 0x10009u
#define F1_WIN_LOW 0x1000Au
#define F1_WIN_MID 0x1000Bu
#define F1_WIN_HIGH 0x1000Cu
#define F1_FRAME_CTRL 0x1000Du
#define F1_CLOCK_CSR 0x1000Eu
#define F1_PULLUP 0x1000Fu
#define F1_RFC_LOW 0x1001Bu
#define F1_RFC_HIGH 0x1001Cu
#define F1_WAKEUP_CTRL 0x1001Eu
#define F1_SLEEP_CSR 0x1001Fu

#define CSR_FORCE_ALP 0x01
#define CSR_FORCE_HT 0x02
#define CSR_ALP_REQ 0x08
#define CSR_HT_REQ 0x10
#define CSR_ALP_AVAIL 0x40
#define CSR_HT_AVAIL 0x80
#define SLEEP_KSO 0x01
#define SLEEP_DEVON 0x02

#define BP_CHIPCOMMON 0x18000000u
#define BP_SR_CONTROL1 0x18000508u
#define BP_SDIO 0x18002000u
#define BP_SOCSRAM 0x18004000u
#define BP_ARM_WRAP 0x18103000u
#define BP_SRAM_WRAP 0x18104000u
#define WRAP_IOCTRL 0x408u
#define WRAP_RESETCTRL 0x800u
#define WRAP_RESETSTATUS 0x804u
#define IOCTRL_CLOCK_EN 0x01
#define IOCTRL_FGC 0x02
#define IOCTRL_CPUHALT 0x20

/* Firmware-side RAM layout (the shared-area pointer the hosts read at 0x6FFFC, §2.5.2). */
#define FW_SHARED_PTR 0x6FFFCu
#define FW_SHARED 0x6FF00u
#define FW_CONSOLE 0x6FE00u
#define FW_CONSOLE_BUF 0x6F800u
#define FW_CONSOLE_SIZE 0x400u
#define NVRAM_LEN_WORD 0x7FFFCu

/* ---- firmware error codes in CDC replies (§3.3.1, Broadcom bcmutils.h) ------------------ */
#define BCME_ERROR (-1)
#define BCME_BADARG (-2)
#define BCME_NOTUP (-4)
#define BCME_BUFTOOSHORT (-14)
#define BCME_BUSY (-16)
#define BCME_NOTASSOCIATED (-17)
#define BCME_BADSSIDLEN (-18)
#define BCME_BADADDR (-21)
#define BCME_UNSUPPORTED (-23)
#define BCME_BADLEN (-24)
#define BCME_NOTFOUND (-30)

/* ---- chip→host queue ---------------------------------------------------------------------- */
enum cy_rx_kind {
	RX_BUILT = 0, /* header seq/credit/flow filled when the host reads it */
	RX_RAW = 1,   /* back door: delivered byte for byte */
};

struct cy_rx_slot {
	uint16_t len;
	uint8_t kind;
	uint8_t buf[CY_F2_MAX];
};

struct cy_tx_slot {
	uint16_t len;
	uint8_t buf[CY_TX_SLOT];
};

/* ---- scheduled firmware actions (join/scan/link timelines) --------------------------------- */
enum cy_group { GRP_JOIN = 1, GRP_SCAN = 2, GRP_LINK = 3 };
enum cy_action {
	ACT_EVENT = 0,      /* send event ev */
	ACT_JOIN_DECIDE,    /* join scan over: find the AP, associate, schedule the rest */
	ACT_ASSOCIATED,     /* association complete (send LINK up event ev) */
	ACT_SUP_TIMEOUT,    /* station supplicant gave up waiting for M3 */
	ACT_BEACON_LOSS,    /* AP silent long enough: link down */
	ACT_SCAN_RESULT,    /* ESCAN_RESULT for AP index arg */
	ACT_SCAN_DONE,      /* final ESCAN_RESULT */
	ACT_HANDSHAKE,      /* 4-way handshake with the AP */
};

struct cy_sched {
	uint64_t when;
	uint64_t order;
	uint8_t group;
	uint8_t action;
	uint32_t arg;
	uint32_t type, status, reason;
	uint16_t flags;
};

enum cy_join_state {
	JOIN_IDLE = 0,
	JOIN_SCANNING,   /* SET_SSID accepted, join scan running */
	JOIN_ASSOC,      /* associated, handshake pending (WPA2) */
	JOIN_UP,         /* associated and keyed (or open): data flows */
	JOIN_FAILING,    /* associated but the handshake failed; waiting for a timeout */
};

struct cy_wifi {
	bool up;
	uint8_t mac[6];
	char country[4];
	int32_t country_rev;
	uint32_t infra, auth, wsec, wpa_auth, pm, gmode, band, antdiv, channel, dtimprd;
	uint32_t apsta, ampdu_ba_wsize, ampdu_mpdu, ampdu_rx_factor, mfp;
	uint32_t pm2_sleep_ret, bcn_li_bcn, bcn_li_dtim, assoc_listen;
	uint32_t sup_wpa, sup_eapver, sup_wpa_tmo;
	uint8_t event_mask[24];
	bool pmk_set;
	uint8_t pmk_passphrase[64];
	uint8_t pmk_passphrase_len;
	bool pmk_is_raw;
	uint8_t pmk_raw[32];
	uint8_t mcast[64];
	uint32_t gpio_out;
	/* CLM download (§2.7) */
	bool clm_in_progress, clm_loaded;
	uint32_t clm_total, clm_status;
	uint8_t clm_magic[4];
	/* join */
	enum cy_join_state join;
	uint8_t join_ssid[32];
	uint8_t join_ssid_len;
	bool join_bssid_set;
	uint8_t join_bssid[6];
	uint32_t join_chan;
	struct nb_wifi_ap *ap; /* associated AP */
	uint8_t bssid[6];
	/* escan */
	bool scanning;
	uint16_t scan_sync_id;
	uint8_t scan_ssid[32];
	uint8_t scan_ssid_len;
};

struct nb_cyw43439_model {
	struct nb_sim *sim;
	struct nb_cyw43439_model_cfg cfg; /* defaults applied */

	/* pins */
	bool reg_on_output, reg_on_level;
	bool wake_level;
	enum nb_gpio_irq_mode wake_mode;
	nb_gpio_irq_fn wake_fn;
	void *wake_ctx;
	struct nb_sim_timer wake_timer;

	/* power */
	bool powered;
	uint64_t bus_ready_at;

	/* F0 */
	uint8_t f0[F0_REGS];
	uint16_t int_latched;
	uint8_t last_status[NB_GSPI_STATUS_LEN];
	bool resp_delay_f1_written;
	enum nb_cyw43439_fault fault;
	unsigned fault_count;

	/* F1 local registers and clocks */
	uint8_t f1[F1_LOCAL_END - F1_LOCAL_BASE];
	bool alp_requested, alp_avail, ht_avail;
	struct nb_sim_timer alp_timer;
	bool kso, devon;
	struct nb_sim_timer kso_timer;

	/* backplane */
	uint8_t *ram;
	uint8_t arm_ioctrl, arm_resetctrl, sram_ioctrl, sram_resetctrl;
	uint32_t sram_bankidx, sram_bankpda;
	bool bank3_pda_done;
	uint32_t sdio_intstatus, sdio_hostintmask, sdio_fnintmask;
	uint32_t sdio_tosbmb, sdio_tosbmbdata, sdio_tohostmbdata;
	uint32_t sr_control1;

	/* firmware */
	enum nb_cyw43439_fw_state fw;
	char fw_error[200];
	bool ram_written;
	struct nb_sim_timer boot_timer;
	char *nvram;      /* copy of the NVRAM the firmware booted with (NUL-separated) */
	size_t nvram_len;
	bool f2_ready;

	/* SDPCM (§3.2) */
	struct cy_rx_slot *rxq;
	unsigned rxq_cap, rxq_head, rxq_count;
	uint8_t rx_seq;             /* chip→host sequence */
	uint8_t tx_expect;          /* next host sequence expected */
	uint8_t credit_adv;         /* last credit value the host was given */
	bool credit_frozen;
	uint8_t window;
	uint8_t flow_control;
	struct cy_tx_slot ctrlq[NB_CYW43439_MAX_CREDIT_WINDOW];
	unsigned ctrlq_head, ctrlq_count;
	struct nb_sim_timer ioctl_timer;
	struct cy_tx_slot airq[NB_CYW43439_MAX_CREDIT_WINDOW];
	unsigned airq_head, airq_count;
	struct nb_sim_timer air_timer;

	/* firmware behaviour */
	struct cy_wifi wifi;
	struct nb_wifi_ap *aps[CY_MAX_APS];
	unsigned n_aps;
	struct cy_sched sched[CY_SCHED_MAX];
	unsigned n_sched;
	uint64_t sched_order;
	struct nb_sim_timer sched_timer;

	/* reports */
	nb_cyw43439_violation_fn viol_fn;
	void *viol_ctx;
	nb_cyw43439_trace_fn trace_fn;
	void *trace_ctx;
	char where[96]; /* the transaction being served, for violation texts */
	uint8_t xbuf[4 + CY_F2_MAX + 256 + 8]; /* one transaction's data in memory order */
	uint8_t sbuf[CY_F2_MAX + 256 + 8];     /* wire bytes of a faulted read */
	uint8_t evbuf[CY_HOST_FRAME_MAX];      /* event frame being built */
	uint8_t escanbuf[512];                 /* escan result data being built */
	uint8_t iobuf[CY_TX_SLOT];             /* ioctl reply being built */
	uint8_t rxbuild[4 + CY_TX_SLOT];       /* data frame being built / forwarded */
	struct nb_cyw43439_model_stats stats;
};

static inline bool cy_associated(const struct cy_wifi *w)
{
	return w->join == JOIN_ASSOC || w->join == JOIN_UP || w->join == JOIN_FAILING;
}

/* model.c */
/** Report a strict-mode violation about the current transaction. @return true when the
 *  offending operation must be refused (strict mode), false to serve it (lax). */
bool cy_violation(struct nb_cyw43439_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cy_warning(struct nb_cyw43439_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** Recompute HOST_WAKE and fire the interrupt callback on a change. */
void cy_update_irq(struct nb_cyw43439_model *m);
uint64_t cy_now(const struct nb_cyw43439_model *m);

/* gspi.c */
extern const struct nb_gspi_ops cy_gspi_ops;
void cy_f0_reset(struct nb_cyw43439_model *m);
uint16_t cy_f0_interrupts(const struct nb_cyw43439_model *m);
uint32_t cy_f0_status(const struct nb_cyw43439_model *m);
void cy_f0_read_bytes(const struct nb_cyw43439_model *m, uint32_t addr, uint8_t *out,
		      size_t n);

/* backplane.c */
void cy_f1_init(struct nb_cyw43439_model *m);
void cy_f1_reset(struct nb_cyw43439_model *m);
/** F1 transaction; data in chip memory order. @return false when refused. */
bool cy_f1_read(struct nb_cyw43439_model *m, uint32_t addr, uint8_t *out, size_t n);
bool cy_f1_write(struct nb_cyw43439_model *m, uint32_t addr, const uint8_t *in, size_t n);
uint32_t cy_window(const struct nb_cyw43439_model *m);
int cy_bp_peek(const struct nb_cyw43439_model *m, uint32_t addr, uint8_t *buf, size_t len);
bool cy_bus_asleep(const struct nb_cyw43439_model *m);

/* firmware.c */
void cy_fw_init(struct nb_cyw43439_model *m);
void cy_fw_reset(struct nb_cyw43439_model *m);
/** WLAN ARM wrapper written: detect the release/reset edges (§2.2.4). */
void cy_fw_arm_changed(struct nb_cyw43439_model *m, uint8_t old_ioctrl, uint8_t old_resetctrl);
/** A RAM write is about to happen at [addr, addr+n): @return false when refused. */
bool cy_fw_ram_write_ok(struct nb_cyw43439_model *m, uint32_t addr, size_t n);
bool cy_fw_running(const struct nb_cyw43439_model *m);

/* sdpcm.c */
void cy_sdpcm_reset(struct nb_cyw43439_model *m);
void cy_sdpcm_free(struct nb_cyw43439_model *m);
int cy_sdpcm_alloc(struct nb_cyw43439_model *m);
/** Host wrote an F2 frame (the first @p n bytes the host clocked, @p cmd_len the length
 *  field). */
void cy_sdpcm_host_write(struct nb_cyw43439_model *m, const uint8_t *buf, size_t n,
			 size_t cmd_len);
/** Host reads F2: copies the head frame into @p out (up to @p n bytes, zero beyond it). */
void cy_sdpcm_host_read(struct nb_cyw43439_model *m, uint8_t *out, size_t n, size_t cmd_len);
/** Length of the frame at the head of the chip→host queue, 0 when none. */
size_t cy_sdpcm_pending_len(const struct nb_cyw43439_model *m);
void cy_sdpcm_discard_head(struct nb_cyw43439_model *m);
/** Queue a frame for the host. @p chan 0..2, @p hdrlen offset of the payload; payload is
 *  copied after a zeroed header. @retval 0, -ENOSPC, -EMSGSIZE */
int cy_sdpcm_queue(struct nb_cyw43439_model *m, unsigned chan, unsigned hdrlen,
		   const uint8_t *payload, size_t len, bool pad_short);
int cy_sdpcm_queue_raw(struct nb_cyw43439_model *m, const uint8_t *frame, size_t len);
/** Host frame slot freed (ioctl answered, data on the air): maybe grant credit. */
void cy_sdpcm_slot_freed(struct nb_cyw43439_model *m);
void cy_sdpcm_set_window(struct nb_cyw43439_model *m, unsigned window);

/* ioctl.c */
/** Handle one control frame (CDC header at @p cdc, @p n bytes incl. header). */
void cy_ioctl_handle(struct nb_cyw43439_model *m, const uint8_t *cdc, size_t n);
void cy_wifi_reset(struct nb_cyw43439_model *m);

/* events.c */
/** Build and queue an event if the mask allows it. @retval 1 queued, 0 masked, <0 error. */
int cy_event_send(struct nb_cyw43439_model *m, const struct nb_cyw43439_event *ev);
int cy_event_simple(struct nb_cyw43439_model *m, uint32_t type, uint32_t status,
		    uint32_t reason, uint16_t flags, const uint8_t *data, size_t datalen);
bool cy_event_enabled(const struct nb_cyw43439_model *m, uint32_t type);
/** ESCAN_RESULT data for @p ap (status PARTIAL) or the final one (ap NULL). */
int cy_event_escan(struct nb_cyw43439_model *m, struct nb_wifi_ap *ap, uint32_t status);

/* join.c */
void cy_sched_add(struct nb_cyw43439_model *m, uint64_t delay, uint8_t group, uint8_t action,
		  uint32_t arg, uint32_t type, uint32_t status, uint32_t reason, uint16_t flags);
void cy_sched_cancel(struct nb_cyw43439_model *m, uint8_t group);
void cy_sched_fire(void *ctx);
/** @retval 0 accepted (events follow), or a negative BCME status for the ioctl reply. */
int cy_join_start(struct nb_cyw43439_model *m);
int cy_scan_start(struct nb_cyw43439_model *m);
/** Host asked to leave (WLC_DISASSOC) or went DOWN (@p down). */
void cy_join_leave(struct nb_cyw43439_model *m, bool down);
/** Host data frame (Ethernet @p eth, @p len) to send on the air. Consumes a credit slot
 *  until sent; @return false when dropped at once (slot already free). */
bool cy_data_tx(struct nb_cyw43439_model *m, const uint8_t *eth, size_t len);
/** A host data frame finished its air time: hand it to the AP. */
void cy_data_air_done(struct nb_cyw43439_model *m, const uint8_t *eth, size_t len);
void cy_join_detach(struct nb_cyw43439_model *m);


#endif /* NB_SIM_CYW43439_MODEL_PRIV_H */
