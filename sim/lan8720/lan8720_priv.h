/* SPDX-License-Identifier: MIT */
/**
 * @file lan8720_priv.h
 * @brief Internals of the LAN8720A model shared by its files (not a public API).
 *
 * Files: lan8720_regs.c (register table and MDIO-visible behaviour), lan8720_phy.c (resets,
 * straps, autonegotiation, link, energy detect), lan8720_irq.c (interrupt flags, nINT, the
 * GPIO chip), lan8720_rmii.c (MAC-side frame port and the wire end), lan8720_model.c
 * (construction, back door, strict-mode reports).
 */
#ifndef NB_SIM_LAN8720_PRIV_H
#define NB_SIM_LAN8720_PRIV_H

#include <stdarg.h>

#include "sim/lan8720/lan8720_model.h"

/* Register numbers (reference §2). */
enum {
	LAN_BMCR = 0,
	LAN_BMSR = 1,
	LAN_PHYID1 = 2,
	LAN_PHYID2 = 3,
	LAN_ANAR = 4,
	LAN_ANLPAR = 5,
	LAN_ANER = 6,
	LAN_MCSR = 17,
	LAN_SMR = 18,
	LAN_SECR = 26,
	LAN_SCSIR = 27,
	LAN_ISF = 29,
	LAN_IMR = 30,
	LAN_PSCSR = 31,
	LAN_NREGS = 32,
};

#define BMCR_RESET 0x8000u
#define BMCR_LOOPBACK 0x4000u
#define BMCR_SPEED100 0x2000u
#define BMCR_ANENABLE 0x1000u
#define BMCR_PDOWN 0x0800u
#define BMCR_ISOLATE 0x0400u
#define BMCR_ANRESTART 0x0200u
#define BMCR_FULLDPLX 0x0100u

#define BMSR_STATIC 0x7809u /* 10/100 abilities, AN ability, extended capability */
#define BMSR_ANEGCOMPLETE 0x0020u
#define BMSR_RFAULT 0x0010u
#define BMSR_LSTATUS 0x0004u
#define BMSR_JABBER 0x0002u

#define ADV_NP 0x8000u
#define ADV_ACK 0x4000u
#define ADV_RF 0x2000u
#define ADV_100FD 0x0100u
#define ADV_100HD 0x0080u
#define ADV_10FD 0x0040u
#define ADV_10HD 0x0020u
#define ADV_TECH (ADV_100FD | ADV_100HD | ADV_10FD | ADV_10HD)
#define ADV_SELECTOR 0x0001u

#define ANER_PDF 0x0010u
#define ANER_LPNP 0x0008u
#define ANER_PAGE 0x0002u
#define ANER_LPAN 0x0001u

#define MCSR_EDPWRDOWN 0x2000u
#define MCSR_FARLOOP 0x0200u
#define MCSR_ALTINT 0x0040u
#define MCSR_ENERGYON 0x0002u

#define SMR_UPPER 0x6000u /* reads 0x60xx on silicon (reference §2, reg 18) */
#define SMR_MODE_SHIFT 5
#define SMR_MODE 0x00E0u
#define SMR_PHYAD 0x001Fu

#define SCSIR_AMDIXCTRL 0x8000u
#define SCSIR_CH_SELECT 0x2000u
#define SCSIR_XPOL 0x0010u
#define SCSIR_LOW 0x000Bu /* bits 3:0 read 1011b on silicon */

#define PSCSR_AUTODONE 0x1000u
#define PSCSR_RESV_MASK 0x0FE0u
#define PSCSR_RESV_VALUE 0x0040u /* "write as 0000010b" */
#define PSCSR_HCD_SHIFT 2

/* Interrupt flags (reg 29) and mask (reg 30). */
#define INT7_ENERGYON 0x0080u
#define INT6_ANCOMPLETE 0x0040u
#define INT5_RFAULT 0x0020u
#define INT4_LINKDOWN 0x0010u
#define INT3_LPACK 0x0008u
#define INT2_PDF 0x0004u
#define INT1_PAGE 0x0002u
#define INT_ALL 0x00FEu

#define LAN_FRAME_MAX 2048u
#define LAN_NRST_MIN_NS (100u * NB_NS_PER_US) /* t_rstia */

/** One register: what a write may change and how the bits behave (reference §2). */
struct lan_reg_desc {
	const char *name;  /**< NULL: not implemented (reads 0xFFFF) */
	uint16_t reset;    /**< fixed reset value (strap-derived ones are computed) */
	uint16_t rw;       /**< bits a write stores */
	uint16_t sc;       /**< self-clearing (act, then read back 0) */
	uint16_t lh;       /**< latched high, cleared by a read */
	uint16_t ll;       /**< latched low, cleared by a read */
	uint16_t nasr;     /**< not affected by soft reset */
	uint16_t resv0;    /**< reserved: must be written as 0 (strict mode) */
	uint16_t keep;     /**< reserved: must be written back as read (strict mode) */
};

extern const struct lan_reg_desc lan_regs[LAN_NREGS];

enum lan_step {
	LS_IDLE,      /* PMA off (reset, power-down, loopback, EDPD): nothing on the line */
	LS_BREAK,     /* break-link wait after BMCR.9 */
	LS_NEGOTIATE, /* AN on, waiting for signal or for the page exchange */
	LS_PAGE,      /* pages exchanged, waiting for the link to come up */
	LS_FORCED,    /* AN off, waiting for signal or for the link to come up */
	LS_UP,
	LS_NO_LINK,   /* signal but no usable result (no common ability, PDF, speed mismatch) */
};

struct lan_rx_slot {
	size_t len;
	uint32_t flags;
	uint8_t data[LAN_FRAME_MAX];
};

struct lan_tx_slot {
	size_t len;
	uint64_t due; /* loopback delivery time */
	uint8_t data[LAN_FRAME_MAX];
};

struct nb_lan8720_model {
	struct nb_sim *sim;
	struct nb_lan8720_model_cfg cfg; /* defaults filled in */
	struct nb_lan8720_model_stats stats;
	nb_lan8720_violation_fn vfn;
	void *vctx;
	char last_violation[256];

	/* straps, latched at power-on and nRST release */
	uint8_t strap_mode, strap_phyad;

	/* register file: stored RW bits; read-only bits come from the state below */
	uint16_t r[LAN_NREGS];
	bool ll_link;           /* BMSR.2 latched low since the last BMSR read */
	bool lh_rfault, lh_jabber, lh_pdf, lh_page;
	uint16_t anlpar;
	bool lp_an_able, lp_np_able;
	uint16_t isf;
	uint16_t isf_src;       /* last interrupt source vector (see lan_irq_eval) */
	uint16_t secr;

	/* state */
	bool nrst_low;
	uint64_t nrst_low_since;
	bool soft_reset;
	bool mode110;           /* MODE=110 latched: stays powered down */
	bool energyon;
	bool edpd_sleep;
	bool signal;            /* last evaluated lan_signal() */
	bool link;
	uint16_t speed;         /* resolved, when link */
	bool full;
	bool an_complete;
	bool rf_src;            /* partner signals remote fault */
	uint8_t hcd;            /* PSCSR 4:2 */
	enum lan_step step;
	uint64_t neg_start;
	bool hazard_reported;
	struct nb_lan8720_partner partner;
	struct nb_sim_timer t_soft, t_link, t_energy, t_linkfail;

	/* pins */
	bool nrst_out, nrst_drive;
	bool nint_out, nint_drive;  /* the MCU side may drive the nINT line too */
	bool nint_line;             /* last line level reported */
	enum nb_gpio_irq_mode irq_mode;
	nb_gpio_irq_fn irq_fn;
	void *irq_ctx;

	/* buses */
	struct nb_sim_mdio *mdio;
	struct nb_wire *wire;
	int end;
	bool end_up;
	bool cable;             /* no wire attached: the built-in partner's cable */

	/* RMII port */
	struct lan_rx_slot *rx;
	unsigned rx_head, rx_count;
	bool rx_peeked;
	struct lan_tx_slot *tx;
	unsigned tx_head, tx_count;
	bool tx_loop;           /* FIFO entries are near-end loopback frames */
	bool tx_blocked;        /* tx() answered -EAGAIN: notify when room returns */
	uint64_t loop_busy;
	struct nb_sim_timer t_loop;
	nb_rmii_notify_fn notify;
	void *notify_ctx;
	uint16_t port_speed;
	unsigned corrupt_rx;
};

/* lan8720_model.c */
void lan_violation(struct nb_lan8720_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool lan_signal(const struct nb_lan8720_model *m);

/* lan8720_regs.c */
uint16_t lan_reg_peek(const struct nb_lan8720_model *m, uint8_t reg);
uint16_t lan_reg_read(struct nb_lan8720_model *m, uint8_t reg);
void lan_reg_write(struct nb_lan8720_model *m, uint8_t reg, uint16_t val);
void lan_regs_reset(struct nb_lan8720_model *m, bool hard, uint8_t mode);
const char *lan_reg_name(uint8_t reg);

/* lan8720_phy.c */
void lan_hw_reset(struct nb_lan8720_model *m);
void lan_nrst_set(struct nb_lan8720_model *m, bool level);
void lan_soft_reset_start(struct nb_lan8720_model *m);
void lan_phy_init_timers(struct nb_lan8720_model *m);
void lan_phy_cancel_timers(struct nb_lan8720_model *m);
void lan_bmcr_written(struct nb_lan8720_model *m, uint16_t old, uint16_t val);
void lan_mcsr_written(struct nb_lan8720_model *m, uint16_t old);
void lan_signal_changed(struct nb_lan8720_model *m);
void lan_mdix_changed(struct nb_lan8720_model *m);
void lan_link_restart(struct nb_lan8720_model *m, bool break_link);
bool lan_pma_active(const struct nb_lan8720_model *m);
bool lan_powered_down(const struct nb_lan8720_model *m);

/* lan8720_irq.c */
void lan_irq_eval(struct nb_lan8720_model *m);
void lan_irq_reset(struct nb_lan8720_model *m);
void lan_irq_clear(struct nb_lan8720_model *m, uint16_t bits);
void lan_isf_write(struct nb_lan8720_model *m, uint16_t val);
bool lan_nint_asserted(const struct nb_lan8720_model *m);
void lan_nint_update(struct nb_lan8720_model *m);
extern const struct nb_gpio_ops lan_gpio_ops;

/* lan8720_rmii.c */
int lan_rmii_init(struct nb_lan8720_model *m);
void lan_rmii_free(struct nb_lan8720_model *m);
void lan_rmii_state_changed(struct nb_lan8720_model *m);
int lan_rx_from_line(struct nb_lan8720_model *m, const uint8_t *frame, size_t len,
		     uint32_t wire_flags);
extern const struct nb_rmii_ops lan_rmii_ops;
extern const struct nb_wire_end_ops lan_wire_ops;

#endif /* NB_SIM_LAN8720_PRIV_H */
