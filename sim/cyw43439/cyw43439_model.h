/* SPDX-License-Identifier: MIT */
/**
 * @file cyw43439_model.h
 * @brief Register-level model of the Infineon/Broadcom CYW43439 Wi-Fi chip on its gSPI bus.
 *
 * Facts: shared/reference/cyw43439.md (section numbers below refer to it). The model sits
 * behind the gSPI bus interface (drivers/bus/gspi.h) and two GPIO pins (drivers/bus/gpio.h),
 * so an unmodified driver brings it up exactly as it would the real chip:
 *
 *  - gSPI front end (§1): raw wire bytes are decoded in the word mode the chip is in
 *    (power-up 16-bit mode, 32-bit mode with or without ENDIAN_BIG once the host wrote bus
 *    control; the change takes effect on the next transaction). F0 registers with their
 *    power-up values (bus control 0x30, status enable 0x01, test pattern 0xFEEDBEAD at 0x14,
 *    R/W test register 0x18, response delays 0x01/0x1D, W1C interrupt register, interrupt
 *    enable, status register). The status word is appended when STATUS_ENABLE is set; with
 *    it off the status phase reads 0x00 bytes (the line is pulled down on a Pico W).
 *    Bytes past the length in an F0 read are the following registers.
 *  - F1 backplane (§2): window registers, the bit-15 access flag (ignored, §2.1.1), 512 KB
 *    RAM at 0, chipcommon chip ID 0xA9AF, core wrappers (ioctrl/resetctrl/resetstatus) of
 *    the WLAN ARM and SOCSRAM cores, SOCSRAM bank registers, SDIO core intstatus /
 *    hostintmask, and the local F1 registers 0x10000..0x1001F (chip clock CSR with ALP/HT
 *    timing, pull-ups, F2 watermark, frame control, wake-up control, sleep CSR/KSO).
 *  - Firmware (§2.6, §4.11): boots after the ARM core is released from reset with a valid
 *    image and NVRAM, then speaks SDPCM/CDC/BDC on F2 (§3): ioctls and iovars, events
 *    filtered by the host's event mask, data frames both ways, credit flow control.
 *  - Radio: access points in range (sim/cyw43439/ap.h) for escan and join (open and
 *    WPA2-PSK, with honest PMK comparison), link loss, and the data path through the AP to
 *    a wire.
 *
 * Firmware images. netbench ships no vendor blob. By default the model only boots images
 * made by tools/mkfw (format in sim/cyw43439/fwimage.h): it regenerates the image from the
 * seed in its header and names the first byte that differs. With cfg.fw_verify_off any
 * image (a real vendor blob) is accepted without verification.
 *
 * Strict mode (default) reports what the real chip would not accept (§2.10 and the list in
 * nb_cyw43439_model_set_violation_cb()) through the violation callback and the counter, and
 * does not serve the offending transaction (a write is not performed, a read returns 0xFF
 * bytes). Lax mode serves it as well as it can and still counts it.
 *
 * Virtual time: every transaction is charged on the sim at cfg.gspi_hz (command, data,
 * response-delay pad and the 4-byte status phase, 1 bit per clock), so throughput at a given
 * SPI clock can be predicted. Model timers (ALP, boot, ioctl latency, join, scan, air time)
 * run on the same sim.
 *
 * Context: not thread-safe; call from the sim's run loop only. The GPIO interrupt callback
 * runs from inside bus transactions and sim timers (it is the "ISR": only mark work).
 */
#ifndef NB_SIM_CYW43439_MODEL_H
#define NB_SIM_CYW43439_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/gpio.h"
#include "drivers/bus/gspi.h"
#include "sim/core/sim.h"

struct nb_wifi_ap;

/** Pins of the model's GPIO chip (nb_cyw43439_model_gpio()). */
enum {
	/** Input (host drives it). Low: chip unpowered. A rising edge power-cycles the chip. */
	NB_CYW43439_PIN_WL_REG_ON = 0,
	/**
	 * Output (chip drives it): active while (F0 interrupt & F0 interrupt enable) != 0, high
	 * when active if bus control INTERRUPT_POLARITY_HIGH (power-up value) is set, else low.
	 * Low while the chip is unpowered. Keeps working while the bus sleeps (KSO off).
	 */
	NB_CYW43439_PIN_HOST_WAKE = 1,
};

/** Documented defaults (used for a zero field of the config). */
#define NB_CYW43439_DEFAULT_GSPI_HZ 31250000u
#define NB_CYW43439_DEFAULT_CREDIT_WINDOW 8u
#define NB_CYW43439_MAX_CREDIT_WINDOW 20u /**< §3.0 R7: CD ignores jumps above 20 */
#define NB_CYW43439_DEFAULT_BOOT_NS (30ull * 1000000ull)
#define NB_CYW43439_DEFAULT_ALP_NS (1ull * 1000000ull)
#define NB_CYW43439_DEFAULT_POWER_ON_NS (1ull * 1000000ull)
#define NB_CYW43439_DEFAULT_IOCTL_NS (500ull * 1000ull)
#define NB_CYW43439_DEFAULT_JOIN_SCAN_NS (3000ull * 1000000ull)
#define NB_CYW43439_DEFAULT_SCAN_NS (2500ull * 1000000ull)
#define NB_CYW43439_DEFAULT_BEACON_LOSS_NS (1000ull * 1000000ull)
#define NB_CYW43439_DEFAULT_AIR_MBPS 40u
#define NB_CYW43439_DEFAULT_RX_QUEUE 32u
/** Default OTP MAC: a Raspberry Pi OUI (§4.2.4), locally chosen tail. */
#define NB_CYW43439_DEFAULT_MAC { 0x28, 0xCD, 0xC1, 0x00, 0x43, 0x39 }

struct nb_cyw43439_model_cfg {
	bool lax;            /**< strict mode off: serve what the chip would reject (still counted) */
	bool fw_verify_off;  /**< boot any image (real vendor blobs) without verification */
	bool fw_seed_check;  /**< also require the image's seed to equal fw_seed */
	uint64_t fw_seed;
	/** Host frames the chip buffers (credit window, §3.2.6); 0 = 8, capped at 20. */
	uint8_t credit_window;
	/** ARM release → HT_AVAIL and F2 ready; 0 = 30 ms (CD: HT takes about 29 ms). */
	uint64_t boot_ns;
	/** First ALP request after power-up → ALP_AVAIL; 0 = 1 ms (CD gives up after ~10 ms). */
	uint64_t alp_ns;
	/** WL_REG_ON rising → bus answers (reads return 0x00 before); 0 = 1 ms. */
	uint64_t power_on_ns;
	/** gSPI clock charged per transaction; 0 = 31.25 MHz (Pico SDK default). */
	uint32_t gspi_hz;
	/** OTP MAC reported by cur_etheraddr; all zero = NB_CYW43439_DEFAULT_MAC. */
	uint8_t mac[6];
	/** Country abbreviation at boot; "" = "XX" (worldwide). */
	char country[4];
	/** Firmware's ioctl latency (request fully written → reply queued); 0 = 500 us. */
	uint64_t ioctl_ns;
	/** SET_SSID/join → first join event (the firmware's join scan, §4.4.1); 0 = 3 s. */
	uint64_t join_scan_ns;
	/** Duration of an escan (results spread over it); 0 = 2.5 s. */
	uint64_t scan_ns;
	/** AP silent (off air) → LINK down with reason beacon loss; 0 = 1 s. */
	uint64_t beacon_loss_ns;
	/** Uplink air rate: a data frame occupies its credit slot for its air time; 0 = 40. */
	uint32_t air_mbps;
	/** Chip→host F2 frames buffered; data beyond it is dropped and counted; 0 = 32. */
	uint16_t rx_queue;
	/**
	 * Real firmware extends control replies and events shorter than 256 bytes by whole
	 * words to 256..259 bytes (§3.3.3, zero padding). true = send natural lengths.
	 */
	bool no_short_pad;
	/** Firmware sets SR_CONTROL1 (BP 0x18000508) non-zero: WHD then takes its KSO path. */
	bool save_restore;
};

enum nb_cyw43439_fw_state {
	NB_CYW43439_FW_OFF = 0,   /**< unpowered, or powered and not started */
	NB_CYW43439_FW_BOOTING,   /**< ARM released, boot_ns not yet elapsed */
	NB_CYW43439_FW_RUNNING,   /**< HT up, F2 ready, SDPCM served */
	NB_CYW43439_FW_REJECTED,  /**< image failed verification: never comes up (no HT) */
	NB_CYW43439_FW_NO_NVRAM,  /**< runs (HT up) but never signals F2 ready (§2.6.3) */
	NB_CYW43439_FW_HALTED,    /**< released wrongly (CPUHALT, no clock): nothing happens */
};

/** Back-door bus faults (nb_cyw43439_model_inject_fault()). */
enum nb_cyw43439_fault {
	NB_CYW43439_FAULT_NONE = 0,
	/** The chip does not answer: read data and status read 0xFF, writes are lost. */
	NB_CYW43439_FAULT_READ_ONES,
	/** F2 reads report an underflow (status bit 1, F0 interrupt bit 1), data read 0x00,
	 *  the frame stays queued. Other transactions are unaffected. */
	NB_CYW43439_FAULT_STATUS_UNDERFLOW,
	/** Read data (and status) arrive shifted left by one bit: a sampling-phase error (§1.3). */
	NB_CYW43439_FAULT_SHIFT1,
	/** The bus operation itself fails with -EIO; the chip sees nothing. */
	NB_CYW43439_FAULT_EIO,
};

/** An asynchronous event as the firmware would send it (§3.7.1); integers host order. */
struct nb_cyw43439_event {
	uint32_t type;
	uint32_t status;
	uint32_t reason;
	uint32_t auth_type;
	uint16_t flags;
	uint8_t ifidx;
	uint8_t bsscfgidx;
	uint8_t addr[6];
	const uint8_t *data; /**< event data (datalen bytes); may be NULL when datalen is 0 */
	size_t datalen;
};

/** One gSPI transaction as the chip saw it (for golden traces and captures). */
struct nb_cyw43439_trace {
	uint64_t t_ns;        /**< sim time when the transaction started */
	uint32_t cmd;         /**< command word decoded in the word mode in force */
	bool write;
	bool incr;
	uint8_t func;         /**< 0..3 */
	uint32_t addr;        /**< 17-bit address field */
	uint32_t bp_addr;     /**< F1 below 0x10000: window + offset; otherwise 0 */
	uint16_t len;         /**< length field with 0 meaning 2048 */
	const uint8_t *data;  /**< payload in chip memory order, pad bytes excluded */
	size_t data_len;      /**< payload bytes the host clocked (capped at len) */
	uint32_t status;      /**< status word of this transaction (after it) */
	bool status_sent;     /**< STATUS_ENABLE was on: the status phase carried it */
	uint8_t word_bits;    /**< 16 or 32: the mode the command was decoded in */
	bool big_endian;      /**< ENDIAN_BIG was set */
	/** 0 served, 1 rejected (strict violation), 2 chip unpowered or not ready yet,
	 *  3 changed by an injected fault, -EIO injected bus failure */
	int result;
};

/** Counters; monotonic since nb_cyw43439_model_new(). */
struct nb_cyw43439_model_stats {
	uint64_t transactions, bus_bytes;
	uint64_t violations;     /**< strict-mode reports (served or not) */
	uint64_t warnings;       /**< unconfirmed rules (§2.10 I5): reported, not counted above */
	uint64_t power_cycles;
	uint64_t fw_boots, fw_rejects;
	uint64_t f2_host_frames; /**< SDPCM frames the host wrote */
	uint64_t f2_chip_frames; /**< SDPCM frames the host read */
	uint64_t f2_read_empty;  /**< F2 reads with nothing queued */
	uint64_t ioctls, ioctl_errors;
	uint64_t events_sent, events_masked, events_dropped;
	uint64_t data_tx;         /**< host data frames sent over the air */
	uint64_t data_tx_no_link; /**< host data frames dropped: not associated */
	uint64_t data_tx_src_rewritten; /**< station mode sends as its own MAC (3-address frames) */
	uint64_t data_rx;         /**< frames from the AP queued to the host */
	uint64_t data_rx_dropped; /**< frames from the AP lost: RX queue full */
	uint64_t data_rx_filtered;/**< multicast the host did not list in mcast_list */
	uint64_t seq_gaps;        /**< host SDPCM sequence numbers that skipped */
	uint64_t credit_frames;   /**< header-only credit updates sent (§3.9) */
	uint64_t frames_discarded;/**< dropped by the host through F1 frame control */
	uint64_t faults_injected;
	uint64_t joins, join_failures, link_downs;
};

/**
 * Violation report: @p what names the offending transaction (function, address, length,
 * backplane address) and the rule, e.g. "F1 W 0x0c010 len 4 (BP 0x18004010): backplane
 * access before the ALP clock is available (§2.10 I1)". Warnings start with "warning: ";
 * they count in stats.warnings, not in stats.violations.
 */
typedef void (*nb_cyw43439_violation_fn)(void *ctx, const char *what, uint64_t t_ns);
/** Called after every transaction, also rejected and faulted ones. */
typedef void (*nb_cyw43439_trace_fn)(void *ctx, const struct nb_cyw43439_trace *t);

struct nb_cyw43439_model;

/**
 * @return a new model in the unpowered state (WL_REG_ON low), or NULL when out of memory.
 * @p cfg may be NULL (all defaults); it is copied.
 */
struct nb_cyw43439_model *nb_cyw43439_model_new(struct nb_sim *sim,
						const struct nb_cyw43439_model_cfg *cfg);
/** Accepts NULL. Detaches from the APs it was associated with. */
void nb_cyw43439_model_free(struct nb_cyw43439_model *m);

/** The gSPI bus the driver talks to. Valid for the model's lifetime. */
struct nb_gspi_bus nb_cyw43439_model_gspi(struct nb_cyw43439_model *m);
/**
 * The model's pins (NB_CYW43439_PIN_*). WL_REG_ON must be set as an output by the host;
 * HOST_WAKE is an input for the host (set_dir output → -EPERM, write → -EPERM). set_irq
 * works on HOST_WAKE only: edge modes fire on changes; level modes fire when the line
 * becomes active and, from a zero-delay sim timer, when armed while already active.
 */
struct nb_gpio nb_cyw43439_model_gpio(struct nb_cyw43439_model *m);

/** Put @p ap in radio range (scan and join can see it). It must outlive the model or be
 *  removed. @retval -ENOSPC more than 8 APs. @retval -EEXIST already added. */
int nb_cyw43439_model_add_ap(struct nb_cyw43439_model *m, struct nb_wifi_ap *ap);
/** Take @p ap out of range (an association with it ends as if it vanished silently). */
void nb_cyw43439_model_remove_ap(struct nb_cyw43439_model *m, struct nb_wifi_ap *ap);

/* ---- back door (tests and scenarios) -------------------------------------------------- */

void nb_cyw43439_model_set_violation_cb(struct nb_cyw43439_model *m,
					nb_cyw43439_violation_fn fn, void *ctx);
void nb_cyw43439_model_set_trace_cb(struct nb_cyw43439_model *m, nb_cyw43439_trace_fn fn,
				    void *ctx);
/**
 * One-line text form of a trace, stable for golden files, e.g.
 * "R F0 0x00014 len 4 [4: be ad fe ed] st -" or, for payloads over 16 bytes,
 * "W F1 0x08000 len 64 bp 0x00000000 [64: 00 00 00 00 65 14 00 00 .. crc32 1a2b3c4d] st -".
 * Time is not included. @return the length it wanted (snprintf semantics).
 */
size_t nb_cyw43439_trace_format(const struct nb_cyw43439_trace *t, char *buf, size_t cap);

/**
 * Queue an event frame to the host as the firmware would (respecting the event mask).
 * @retval 1 queued. @retval 0 masked off by the host (counted in events_masked).
 * @retval -ENODEV firmware not running. @retval -ENOSPC RX queue full. @retval -EMSGSIZE.
 */
int nb_cyw43439_model_inject_event(struct nb_cyw43439_model *m,
				   const struct nb_cyw43439_event *ev);
/**
 * Queue raw F2 bytes to the host exactly as given (no header fix-ups: for malformed-frame
 * tests). The status register reports @p len as the packet length.
 * @retval 0 queued. @retval -ENODEV firmware not running. @retval -ENOSPC, -EMSGSIZE (>2048).
 */
int nb_cyw43439_model_inject_f2(struct nb_cyw43439_model *m, const uint8_t *frame, size_t len);
/** Apply @p kind to the next @p count transactions (NONE clears). */
void nb_cyw43439_model_inject_fault(struct nb_cyw43439_model *m, enum nb_cyw43439_fault kind,
				    unsigned count);
/**
 * Change the credit window (1..20). 0 freezes it: no new credit is granted until the window
 * is set again. The advertised credit never decreases (§3.0 R7).
 */
void nb_cyw43439_model_set_credit_window(struct nb_cyw43439_model *m, unsigned window);
/** wireless_flow_control byte in chip→host headers (0 normally; CD stalls TX while ≠ 0). */
void nb_cyw43439_model_set_flow_control(struct nb_cyw43439_model *m, uint8_t fc);

const struct nb_cyw43439_model_stats *nb_cyw43439_model_stats(const struct nb_cyw43439_model *m);
bool nb_cyw43439_model_powered(const struct nb_cyw43439_model *m);
enum nb_cyw43439_fw_state nb_cyw43439_model_fw_state(const struct nb_cyw43439_model *m);
/** Why the firmware did not come up ("" if it did or was not started). */
const char *nb_cyw43439_model_fw_error(const struct nb_cyw43439_model *m);
/** Associated and (for WPA2) keyed: data flows. */
bool nb_cyw43439_model_link_up(const struct nb_cyw43439_model *m);
/** MAC in use (OTP, or what the host set through cur_etheraddr). */
void nb_cyw43439_model_mac(const struct nb_cyw43439_model *m, uint8_t mac[6]);
/** Value of @p key in the NVRAM the firmware booted with, or NULL. */
const char *nb_cyw43439_model_nvram_get(const struct nb_cyw43439_model *m, const char *key);
/** Chip GPIO outputs set through the gpioout iovar (bit 0 = the Pico W LED). */
uint32_t nb_cyw43439_model_wl_gpio(const struct nb_cyw43439_model *m);
/** Copy backplane memory/registers without side effects. @retval -EINVAL unmapped. */
int nb_cyw43439_model_peek_backplane(const struct nb_cyw43439_model *m, uint32_t addr,
				     uint8_t *buf, size_t len);
/** F0 register bytes as a read would return them (dynamic bits included), no side effects. */
int nb_cyw43439_model_peek_f0(const struct nb_cyw43439_model *m, uint32_t addr, uint8_t *buf,
			      size_t len);
/** Frames queued to the host on F2. */
unsigned nb_cyw43439_model_rx_pending(const struct nb_cyw43439_model *m);

#endif /* NB_SIM_CYW43439_MODEL_H */
