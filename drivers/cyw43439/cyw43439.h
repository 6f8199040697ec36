/* SPDX-License-Identifier: MIT */
/**
 * @file cyw43439.h
 * @brief Infineon CYW43439 (Raspberry Pi Pico W) Wi-Fi station over gSPI, as one nb_netdev.
 *
 * Layers (one file each): gSPI bus (command word, word modes, status word, F1 response
 * delay), backplane (window, 64-byte transfers, core reset), firmware load (chip ID, SOCSRAM,
 * firmware + NVRAM download with read-back verification, ARM release, HT clock, F2 ready),
 * SDPCM (sequence numbers, credit flow control), control channel (CDC ioctl/iovar with
 * request ids and timeouts), event channel, data channel (BDC), Wi-Fi control (escan, join,
 * leave, link state) and the netdev glue. Facts: shared/reference/cyw43439.md.
 *
 * Nothing blocks. nb_netdev_open() powers the chip up (WL_REG_ON) and starts the bring-up as
 * a state machine that nb_netdev_poll() advances; waits are deadlines advertised through
 * nb_netdev_next_deadline(). When the bring-up finishes the state is
 * NB_CYW43439_STATE_READY (firmware up, not associated); nb_cyw43439_join() then associates
 * and the netdev link goes up when the firmware reports the link (and, for WPA2, the keys).
 *
 * Firmware, NVRAM and CLM are not part of netbench: the caller passes them as pointer +
 * length (the host maps files given at run time; a microcontroller links them into flash).
 *
 * Data path: send() builds SDPCM(12) + pad(2) + BDC(4) = 18 bytes in the headroom in front
 * of the caller's frame and writes header and frame to F2 in one transaction, without a
 * copy. gSPI moves whole 32-bit words, so up to 3 bytes after the frame are read (never
 * written) and clocked out as padding the chip ignores: the buffer must extend to
 * tx_headroom + len rounded up to a multiple of 4 (a buffer of tx_headroom + max_frame bytes,
 * which the stack wrapper uses, always does). Received frames are handed to the RX handler
 * straight from the driver's F2 buffer.
 *
 * Context: every call from the run loop (the poll context), except that the HOST_WAKE GPIO
 * interrupt calls nb_netdev_irq(). Callbacks (join, scan, ioctl) run inside nb_netdev_poll()
 * or inside the call that completes them; they may call back into the driver.
 */
#ifndef NB_CYW43439_H
#define NB_CYW43439_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/clock.h"
#include "drivers/bus/gpio.h"
#include "drivers/bus/gspi.h"
#include "drivers/bus/log.h"
#include "drivers/netdev/netdev.h"
#include "drivers/util/compiler.h"

/** Read-back verification of the firmware and NVRAM download. */
enum nb_cyw43439_verify {
	NB_CYW43439_VERIFY_FULL = 0, /**< default: every byte is read back and compared */
	NB_CYW43439_VERIFY_SAMPLED,  /**< first, middle and last 64 bytes of each image */
	NB_CYW43439_VERIFY_NONE,
};

/**
 * Configuration. A zeroed struct (apart from the buses and images) means: WL_REG_ON on pin
 * 23 and HOST_WAKE on pin 24 (Pico W wiring), status word enabled, F1 response delay 4
 * bytes, full read-back verification, ioctl timeout 1 s, join timeout 15 s, automatic
 * re-join every 2 s after the AP is lost, country "XX" (worldwide), MAC from the chip,
 * interface name "wlan0".
 */
struct nb_cyw43439_cfg {
	struct nb_gspi_bus gspi;
	struct nb_gpio gpio;        /**< WL_REG_ON output and HOST_WAKE input */
	bool pins_set;              /**< false: the Pico W pins 23/24 below are ignored */
	unsigned wl_reg_on_pin;
	unsigned host_wake_pin;
	bool no_irq;                /**< HOST_WAKE not wired: the device is polled (poll_interval) */
	uint32_t poll_interval_ns;  /**< no_irq only; 0 = 1 ms */
	struct nb_clock clock;
	struct nb_log log;

	const uint8_t *firmware;    /**< WLAN firmware image (borrowed until READY) */
	size_t firmware_len;
	const uint8_t *nvram;       /**< NVRAM text (key=value\0 ... \0\0), borrowed until READY */
	size_t nvram_len;
	const uint8_t *clm;         /**< optional CLM blob (NULL: none is loaded) */
	size_t clm_len;
	enum nb_cyw43439_verify verify;

	bool mac_set;               /**< use @ref mac instead of the chip's cur_etheraddr */
	uint8_t mac[NB_ETH_ALEN];
	uint8_t f1_resp_delay;      /**< F1 read pad bytes: 4, 8, 12 or 16; 0 = 4 */
	bool status_disabled;       /**< turn the appended status word off (read F0 0x08) */
	uint32_t ioctl_timeout_ns;  /**< 0 = 1 s */
	uint32_t join_timeout_ns;   /**< whole association incl. handshake; 0 = 15 s */
	uint32_t rejoin_interval_ns;/**< after AP loss; 0 = 2 s */
	bool no_rejoin;             /**< do not re-join by itself after the AP is lost */
	char country[3];            /**< ISO code; "" = "XX" */
	const char *name;           /**< interface name; NULL = "wlan0" */
};

/** Where the device is. */
enum nb_cyw43439_state {
	NB_CYW43439_STATE_OFF = 0,  /**< not opened, or stopped */
	NB_CYW43439_STATE_BOOTING,  /**< bus, firmware download, firmware init in progress */
	NB_CYW43439_STATE_READY,    /**< firmware up, not associated */
	NB_CYW43439_STATE_JOINING,  /**< association / handshake in progress */
	NB_CYW43439_STATE_JOINED,   /**< associated and keyed: link up */
	NB_CYW43439_STATE_FAILED,   /**< bring-up failed; see the reason; nb_netdev_stop + open retries */
};

/** Why the last bring-up, join or link ended (NONE while all is well). */
enum nb_cyw43439_reason {
	NB_CYW43439_REASON_NONE = 0,
	NB_CYW43439_REASON_BUS_ERROR,        /**< a gSPI transfer failed or the chip never answered */
	NB_CYW43439_REASON_NO_CHIP,          /**< wrong chip ID or test pattern */
	NB_CYW43439_REASON_VERIFY_FAILED,    /**< download read-back differs */
	NB_CYW43439_REASON_FIRMWARE_TIMEOUT, /**< ALP/HT clock or F2 ready never came */
	NB_CYW43439_REASON_FIRMWARE_REJECTED,/**< an ioctl was answered with an error status */
	NB_CYW43439_REASON_IOCTL_TIMEOUT,    /**< the firmware did not answer an ioctl */
	NB_CYW43439_REASON_NO_NETWORK,       /**< no such network (SET_SSID: no networks) */
	NB_CYW43439_REASON_WRONG_PASSPHRASE, /**< 4-way handshake failed after association */
	NB_CYW43439_REASON_AUTH_REJECTED,    /**< 802.11 authentication/association refused */
	NB_CYW43439_REASON_JOIN_FAILED,      /**< SET_SSID failed for another reason */
	NB_CYW43439_REASON_JOIN_TIMEOUT,     /**< no result within join_timeout_ns */
	NB_CYW43439_REASON_AP_LOST,          /**< beacons lost / link down reported by firmware */
	NB_CYW43439_REASON_DEAUTHENTICATED,  /**< the AP deauthenticated or disassociated us */
	NB_CYW43439_REASON_LEFT,             /**< nb_cyw43439_leave() */
	NB_CYW43439_REASON__COUNT
};

/** Short stable name ("wrong_passphrase", "no_network", ...); "unknown" out of range. */
const char *nb_cyw43439_reason_name(enum nb_cyw43439_reason reason);
/** Short stable name of a state ("ready", ...). */
const char *nb_cyw43439_state_name(enum nb_cyw43439_state state);

enum nb_cyw43439_security {
	NB_CYW43439_SEC_OPEN = 0,
	NB_CYW43439_SEC_WPA2_PSK, /**< WPA2-Personal, AES-CCMP */
};

#define NB_CYW43439_SSID_MAX 32u
#define NB_CYW43439_PMK_LEN 32u

struct nb_cyw43439_join_params {
	const uint8_t *ssid;      /**< 1..32 bytes, copied */
	size_t ssid_len;
	enum nb_cyw43439_security security;
	const char *passphrase;   /**< WPA2: 8..63 printable characters (copied) ... */
	size_t passphrase_len;
	const uint8_t *pmk;       /**< ... or the 32-byte PMK instead (copied); wins if both */
};

/** One BSS seen by a scan. */
struct nb_cyw43439_scan_result {
	uint8_t bssid[NB_ETH_ALEN];
	uint8_t ssid[NB_CYW43439_SSID_MAX];
	uint8_t ssid_len;
	uint8_t channel;
	int16_t rssi_dbm;
	bool privacy;  /**< capability privacy bit */
	bool wpa2;     /**< RSN IE present */
	bool wpa;      /**< WPA vendor IE present */
};

struct nb_cyw43439;

/**
 * Join outcome: @p result 0 when the link came up; otherwise negative errno and
 * nb_cyw43439_reason() tells why (-ENOENT no network, -EACCES wrong passphrase or refused,
 * -ETIMEDOUT, -EIO firmware error). Called once per nb_cyw43439_join().
 */
typedef void (*nb_cyw43439_join_fn)(struct nb_cyw43439 *d, int result, void *ctx);
/**
 * Scan progress: once per BSS sighting with @p res set (borrowed for the call, duplicates
 * possible), then once with @p res NULL and @p status 0 (complete) or negative errno.
 */
typedef void (*nb_cyw43439_scan_fn)(struct nb_cyw43439 *d,
				    const struct nb_cyw43439_scan_result *res, int status,
				    void *ctx);
/**
 * ioctl completion: @p result is the number of response bytes copied into the caller's
 * buffer, or -ETIMEDOUT, -EIO (firmware answered with an error; @p fw_status holds the
 * BCME code), -ECANCELED (device stopped).
 */
typedef void (*nb_cyw43439_ioctl_fn)(struct nb_cyw43439 *d, int result, int32_t fw_status,
				     void *ctx);

/** Driver counters beyond the netdev ones; all monotonic. */
struct nb_cyw43439_stats {
	uint64_t bus_transactions;
	uint64_t bus_errors;
	uint64_t f2_no_answer;          /**< F2 transfers whose status read all ones (in bus_errors) */
	uint64_t test_pattern_retries;
	uint64_t test_pattern_shifted;  /**< first-read quirk seen (value shifted by 1 bit) */
	uint64_t f2_frames_rx;          /**< F2 frames read, any channel */
	uint64_t f2_frames_tx;
	uint64_t rx_bad_complement;     /**< SDPCM size != ~size_com */
	uint64_t rx_bad_size;           /**< SDPCM size differs from the F2 length or < 12 */
	uint64_t rx_bad_hdrlen;         /**< header_length < 12 or past the frame */
	uint64_t rx_f2_len_bad;         /**< F2 length 0 or over 1536: frame discarded unread */
	uint64_t rx_bdc_bad;            /**< BDC header or data_offset past the frame */
	uint64_t rx_bad_channel;        /**< channel other than control, event, data */
	uint64_t rx_event_truncated;    /**< event shorter than 72 bytes or datalen past the end */
	uint64_t rx_event_invalid;      /**< wrong ethertype, OUI or subtypes */
	uint64_t rx_ctl_malformed;      /**< control frame without room for its CDC header/data */
	uint64_t rx_ctl_stale;          /**< control frame whose id is not the one awaited */
	uint64_t rx_credit_only;        /**< header-only frames (credit updates) */
	uint64_t rx_seq_gaps;           /**< chip->host sequence number jumped */
	uint64_t credit_bogus;          /**< credit more than 64 ahead: ignored */
	uint64_t tx_credit_stalls;      /**< times TX ran into the credit window */
	uint64_t ioctls;
	uint64_t ioctl_timeouts;
	uint64_t ioctl_errors;
	uint64_t events;
	uint64_t scan_results;
	uint64_t scan_results_bad;      /**< ESCAN_RESULT with inconsistent lengths */
	uint64_t rejoins;
};

/* Callers allocate struct nb_cyw43439 (its definition follows, with private fields). */
#include "drivers/cyw43439/cyw43439_priv.h"

/**
 * Initialise and register the device; nothing touches the bus yet.
 * @retval -EINVAL missing bus/gpio/clock ops, no firmware or NVRAM, bad f1_resp_delay,
 *         bad country.
 */
NB_MUST_CHECK int nb_cyw43439_init(struct nb_cyw43439 *d, const struct nb_cyw43439_cfg *cfg);
/** Stop (chip powered down through WL_REG_ON) and unhook the IRQ. Accepts NULL. */
void nb_cyw43439_deinit(struct nb_cyw43439 *d);

/** The unified interface of this device. */
static inline struct nb_netdev *nb_cyw43439_netdev(struct nb_cyw43439 *d)
{
	return &d->base;
}

enum nb_cyw43439_state nb_cyw43439_state(const struct nb_cyw43439 *d);
enum nb_cyw43439_reason nb_cyw43439_reason(const struct nb_cyw43439 *d);
const struct nb_cyw43439_stats *nb_cyw43439_stats(const struct nb_cyw43439 *d);

/**
 * Start an escan of all channels. Results arrive through @p fn from nb_netdev_poll().
 * @retval -EBUSY a scan is running. @retval -ENETDOWN firmware not READY/JOINING/JOINED.
 */
NB_MUST_CHECK int nb_cyw43439_scan(struct nb_cyw43439 *d, nb_cyw43439_scan_fn fn, void *ctx);

/**
 * Associate with a network (non-blocking). The parameters are copied. @p fn (may be NULL)
 * reports the outcome once; the netdev link handler fires when the link comes up, and
 * again on every later loss and recovery (the driver re-joins by itself unless no_rejoin).
 * A join while joined first leaves.
 * @retval -EINVAL bad SSID length, passphrase not 8..63 characters, missing key.
 * @retval -ENETDOWN the firmware is not up. @retval -EBUSY a join is already running.
 */
NB_MUST_CHECK int nb_cyw43439_join(struct nb_cyw43439 *d,
				   const struct nb_cyw43439_join_params *p,
				   nb_cyw43439_join_fn fn, void *ctx);

/**
 * Disassociate (WLC_DISASSOC) and stop re-joining. A pending join completes with
 * -ECANCELED. The link goes down at once. @retval -ENETDOWN firmware not up.
 */
NB_MUST_CHECK int nb_cyw43439_leave(struct nb_cyw43439 *d);

/**
 * Raw CDC ioctl (asynchronous). @p data (@p len bytes, copied) is the request buffer; the
 * response is copied into @p resp (up to @p resp_cap bytes; may be NULL) before @p fn runs.
 * @p resp must stay valid until then. One ioctl is outstanding at a time; internal ones
 * (join, scan) share the channel.
 * @retval -EBUSY another ioctl is outstanding. @retval -EMSGSIZE request too long.
 * @retval -ENETDOWN firmware not up.
 */
NB_MUST_CHECK int nb_cyw43439_ioctl(struct nb_cyw43439 *d, uint32_t cmd, bool set,
				    unsigned iface, const void *data, size_t len, void *resp,
				    size_t resp_cap, nb_cyw43439_ioctl_fn fn, void *ctx);

/** True while an ioctl is outstanding (a caller waits for it before submitting another). */
bool nb_cyw43439_ioctl_busy(const struct nb_cyw43439 *d);

#endif /* NB_CYW43439_H */
