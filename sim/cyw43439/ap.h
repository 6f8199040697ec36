/* SPDX-License-Identifier: MIT */
/**
 * @file ap.h
 * @brief A simulated Wi-Fi access point: SSID, BSSID, channel, RSSI, open or WPA2-PSK, with
 *        a wired side bridged to a wire (sim/medium/wire.h).
 *
 * Stations are chip models (sim/cyw43439/cyw43439_model.h) that associate through the
 * station interface below; the AP does not model 802.11 frames on the air, only what the
 * station firmware and the wired side can observe:
 *
 *  - Security: WPA2-PSK keys are compared honestly. The AP derives its PMK from passphrase
 *    and SSID with PBKDF2-HMAC-SHA1 (4096 iterations, IEEE 802.11i), or takes a 64-hex-digit
 *    PMK; the station derives its own from what its host configured; the 4-way handshake
 *    succeeds only when the two PMKs are equal. On a mismatch the AP keeps retrying M1 and
 *    deauthenticates the station after handshake_timeout_ns (reason deauth_reason), unless
 *    the station gave up first.
 *  - Bridge: 802.3 frames from the wire (FCS included) are checked, stripped of their FCS
 *    and forwarded to authorized stations (unicast by destination, group frames to all);
 *    frames from stations go to other stations and/or the wire, padded to 60 bytes and given
 *    an FCS like a MAC would. Downlink frames wait in a per-station queue drained at the
 *    air rate.
 *  - Radio: the AP can go off air (out of range, power cut) silently or after
 *    deauthenticating its stations, and come back. It never re-associates anyone by itself.
 *
 * Context: sim run loop only; not thread-safe.
 */
#ifndef NB_SIM_WIFI_AP_H
#define NB_SIM_WIFI_AP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/core/sim.h"
#include "sim/medium/wire.h"

enum nb_wifi_security {
	NB_WIFI_SEC_OPEN = 0,
	NB_WIFI_SEC_WPA2_PSK = 1, /**< RSN, CCMP pairwise and group, AKM PSK */
};

struct nb_wifi_ap_cfg {
	const char *ssid;            /**< 1..32 bytes, required (copied) */
	uint8_t bssid[6];            /**< all zero = 02:4E:42:00:00:01 (locally administered) */
	uint8_t channel;             /**< 1..14; 0 = 6 */
	int8_t rssi_dbm;             /**< as seen by stations; 0 = -50 */
	enum nb_wifi_security security;
	/** WPA2: 8..63 printable ASCII characters, or 64 hex digits (the PMK). Copied. */
	const char *passphrase;
	uint64_t handshake_timeout_ns; /**< failed 4-way handshake → deauth; 0 = 3 s */
	uint16_t deauth_reason;      /**< 802.11 reason code of that deauth; 0 = 15 */
	uint32_t air_mbps;           /**< downlink air rate; 0 = 40 */
	uint16_t queue_frames;       /**< per-station downlink queue; 0 = 64 */
	uint16_t beacon_tu;          /**< beacon interval in TU reported by scans; 0 = 100 */
};

/** How the AP leaves the air (nb_wifi_ap_set_on_air()). */
enum nb_wifi_ap_gone {
	NB_WIFI_AP_SILENT = 0, /**< out of range / power cut: stations notice by beacon loss */
	NB_WIFI_AP_DEAUTH = 1, /**< controlled shutdown: stations are deauthenticated first */
};

/** What a station learns from the AP. Callbacks run from sim timers or AP calls. */
struct nb_wifi_sta_ops {
	/** An 802.3 frame (no FCS) for the station; borrowed for the call. */
	void (*rx)(void *ctx, const uint8_t *frame, size_t len);
	/**
	 * The association ended from the AP side: @p deauth true = the AP sent a
	 * deauthentication with 802.11 @p reason; false = the AP went silent (the station's
	 * firmware notices by beacon loss). The AP has already forgotten the station.
	 */
	void (*lost)(void *ctx, bool deauth, uint16_t reason);
};

struct nb_wifi_ap_stats {
	uint64_t wire_rx, wire_rx_bad_fcs, wire_rx_runt, wire_tx, wire_tx_busy;
	uint64_t to_sta, to_sta_dropped; /**< downlink frames delivered / lost (queue full) */
	uint64_t from_sta;               /**< uplink frames from stations */
	uint64_t no_destination;         /**< unicast frames for nobody we know (dropped) */
	uint64_t assocs, handshake_failures, deauths;
};

struct nb_wifi_ap;

/** @return NULL on bad config (no SSID, bad passphrase) or out of memory. */
struct nb_wifi_ap *nb_wifi_ap_new(struct nb_sim *sim, const struct nb_wifi_ap_cfg *cfg);
/** Accepts NULL. Stations still associated are told nothing: detach them first. */
void nb_wifi_ap_free(struct nb_wifi_ap *ap);

/** Attach the wired side to @p end of @p wire and mark that end up. */
void nb_wifi_ap_attach_wire(struct nb_wifi_ap *ap, struct nb_wire *wire, int end);

/* ---- what scans see ---------------------------------------------------------------------- */
const char *nb_wifi_ap_ssid(const struct nb_wifi_ap *ap, size_t *len);
void nb_wifi_ap_bssid(const struct nb_wifi_ap *ap, uint8_t bssid[6]);
uint8_t nb_wifi_ap_channel(const struct nb_wifi_ap *ap);
int8_t nb_wifi_ap_rssi(const struct nb_wifi_ap *ap);
uint16_t nb_wifi_ap_beacon_tu(const struct nb_wifi_ap *ap);
enum nb_wifi_security nb_wifi_ap_security(const struct nb_wifi_ap *ap);
bool nb_wifi_ap_on_air(const struct nb_wifi_ap *ap);

/* ---- back door -------------------------------------------------------------------------- */
void nb_wifi_ap_set_rssi(struct nb_wifi_ap *ap, int8_t rssi_dbm);
/** Leave (@p on false, in the manner @p how) or return to the air. */
void nb_wifi_ap_set_on_air(struct nb_wifi_ap *ap, bool on, enum nb_wifi_ap_gone how);
/** Deauthenticate one station (reason @p reason), as an AP reaping an idle client does. */
int nb_wifi_ap_kick(struct nb_wifi_ap *ap, const uint8_t sta[6], uint16_t reason);
unsigned nb_wifi_ap_station_count(const struct nb_wifi_ap *ap);
const struct nb_wifi_ap_stats *nb_wifi_ap_stats(const struct nb_wifi_ap *ap);

/* ---- station interface (used by chip models) ------------------------------------------ */
/**
 * 802.11 authentication + association of @p sta. Open networks are authorized at once.
 * @retval 0 associated. @retval -ENETDOWN off air. @retval -EEXIST already associated.
 * @retval -ENOSPC too many stations (16).
 */
int nb_wifi_ap_sta_assoc(struct nb_wifi_ap *ap, const uint8_t sta[6],
			 const struct nb_wifi_sta_ops *ops, void *ctx);
/**
 * The 4-way handshake with the station's PMK (NULL: the station never answers M1, e.g. no
 * supplicant or no key configured).
 * @retval 0 keys match: the port opens (frames flow).
 * @retval -EACCES mismatch: the AP deauthenticates the station after handshake_timeout_ns
 *         (through ops->lost) unless it leaves first.
 * @retval -ENOENT not associated. @retval -EINVAL open network.
 */
int nb_wifi_ap_sta_handshake(struct nb_wifi_ap *ap, const uint8_t sta[6], const uint8_t pmk[32]);
/** The station leaves (deauth/disassoc from its side); no callback. Harmless if unknown. */
void nb_wifi_ap_sta_leave(struct nb_wifi_ap *ap, const uint8_t sta[6]);
/**
 * Uplink frame (802.3, no FCS, 14..1514 bytes) from @p sta.
 * @retval 0 bridged. @retval -ENOENT not associated or port closed. @retval -ENETDOWN
 * off air. @retval -EMSGSIZE.
 */
int nb_wifi_ap_sta_send(struct nb_wifi_ap *ap, const uint8_t sta[6], const uint8_t *frame,
			size_t len);

#endif /* NB_SIM_WIFI_AP_H */
