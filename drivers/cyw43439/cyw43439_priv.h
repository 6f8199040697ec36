/* SPDX-License-Identifier: MIT */
/**
 * @file cyw43439_priv.h
 * @brief Definition of struct nb_cyw43439 so callers can allocate it. The fields are private:
 *        use the functions in cyw43439.h. Included by cyw43439.h only.
 */
#ifndef NB_CYW43439_PRIV_H
#define NB_CYW43439_PRIV_H

#ifndef NB_CYW43439_H
#error "include drivers/cyw43439/cyw43439.h instead"
#endif

/** Largest CDC payload the driver sends (a 1024-byte CLM chunk + 20 bytes of header). */
#define NB_CYW43439_CTL_DATA_MAX 1104u
#define NB_CYW43439_CTL_BUF (12u + 16u + NB_CYW43439_CTL_DATA_MAX)
#define NB_CYW43439_RX_BUF 2048u
/** Bytes SDPCM + pad + BDC take in front of a TX frame. */
#define NB_CYW43439_TX_HEADROOM 18u

struct nb_cyw43439_bus_state {
	bool word32;          /* 32-bit word mode active (else the power-on 16-bit mode) */
	bool status_on;       /* appended status word enabled and interpreted */
	uint8_t f1_pad;       /* F1 read response delay in bytes */
	uint32_t status;      /* last status word (status_on) */
	bool status_valid;
	_Alignas(4) uint8_t scratch[16u + 64u + 4u];
};

struct nb_cyw43439_boot {
	uint8_t step;         /* enum in fwload.c */
	uint8_t core_phase;   /* sub-step of a core disable/reset */
	uint16_t tries;
	uint64_t wait_until;  /* nothing to do before this time */
	uint64_t timeout_at;  /* give up a polled wait at this time */
	uint32_t off;         /* download/verify offset */
	uint32_t clm_off;
	uint8_t init_step;    /* post-boot ioctl sequence */
};

struct nb_cyw43439_sdpcm {
	uint8_t tx_seq;       /* next host->chip sequence number */
	uint8_t credit;       /* first sequence number the host may not use */
	uint8_t flow;         /* wireless_flow_control byte of the last frame */
	uint8_t rx_seq;       /* expected chip->host sequence number */
	bool rx_seq_valid;
	bool tx_stalled;      /* data TX ran out of credit */
	bool tx_wake;         /* space came back: raise the IRQ at re-arm */
};

typedef void (*nb_cyw43439_ctl_done_fn)(struct nb_cyw43439 *d, int result, int32_t fw_status,
					void *ctx);

struct nb_cyw43439_ctl {
	bool busy;            /* an ioctl is outstanding */
	bool queued;          /* built in tx[] but not yet on the bus (no credit) */
	uint16_t id;          /* id of the outstanding request */
	uint32_t cmd;
	uint64_t deadline;
	void *resp;
	size_t resp_cap;
	nb_cyw43439_ctl_done_fn done;
	void *done_ctx;
	nb_cyw43439_ioctl_fn user_fn;
	void *user_ctx;
	size_t tx_len;        /* SDPCM frame length in tx[] */
	_Alignas(4) uint8_t tx[NB_CYW43439_CTL_BUF];
};

struct nb_cyw43439_wifi {
	uint8_t state;        /* enum nb_cyw43439_state */
	uint8_t reason;       /* enum nb_cyw43439_reason */
	/* join */
	uint8_t join_step;    /* next ioctl of the join sequence; 0 = none pending */
	uint8_t join_gen;     /* attempt number, tags the attempt's ioctl completions */
	bool join_waiting;    /* ioctls done, waiting for events */
	bool want_assoc;      /* stay associated: re-join after loss */
	bool leave_pending;
	bool ev_auth_ok, ev_link, ev_keyed, ev_auth_failed;
	bool link_reported;
	uint64_t join_deadline;
	uint64_t rejoin_at;
	nb_cyw43439_join_fn join_fn;
	void *join_ctx;
	uint8_t ssid[NB_CYW43439_SSID_MAX];
	uint8_t ssid_len;
	uint8_t security;
	uint8_t key[64];
	uint8_t key_len;
	bool key_is_pmk;
	/* scan */
	bool scan_pending;    /* escan not yet sent */
	bool scanning;        /* escan accepted, results arriving */
	uint16_t scan_sync;
	uint64_t scan_deadline;
	nb_cyw43439_scan_fn scan_fn;
	void *scan_ctx;
	_Alignas(4) uint8_t resp[32];
};

struct nb_cyw43439 {
	struct nb_netdev base;
	struct nb_cyw43439_cfg cfg;
	struct nb_cyw43439_stats stats;
	struct nb_cyw43439_bus_state bus;
	uint32_t bp_window;
	bool bp_window_valid;
	struct nb_cyw43439_boot boot;
	struct nb_cyw43439_sdpcm sdpcm;
	struct nb_cyw43439_ctl ctl;
	struct nb_cyw43439_wifi wifi;
	bool opened;
	bool irq_hooked;
	bool f2_pending;      /* the last status word announced an F2 packet */
	_Alignas(4) uint8_t rx[NB_CYW43439_RX_BUF];
};

#endif /* NB_CYW43439_PRIV_H */
