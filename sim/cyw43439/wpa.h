/* SPDX-License-Identifier: MIT */
/**
 * @file wpa.h
 * @brief SHA-1, HMAC-SHA1 and PBKDF2-HMAC-SHA1: what WPA2-PSK needs to turn a passphrase
 *        and an SSID into the 256-bit PMK (IEEE 802.11i, 4096 iterations).
 *
 * Written by hand because none of the packages the project installs (tools/lib/bootstrap.sh)
 * provides these functions to C code; checked against the FIPS 180 SHA-1, RFC 2202 HMAC,
 * RFC 6070 PBKDF2 and IEEE 802.11i PSK test vectors (tests/unit/cyw43439_model). For
 * simulation only: not constant-time, not for protecting secrets.
 */
#ifndef NB_SIM_WPA_H
#define NB_SIM_WPA_H

#include <stddef.h>
#include <stdint.h>

#define NB_SHA1_LEN 20u
#define NB_WPA_PMK_LEN 32u

void nb_sha1(const void *data, size_t len, uint8_t out[NB_SHA1_LEN]);
void nb_hmac_sha1(const void *key, size_t key_len, const void *data, size_t len,
		  uint8_t out[NB_SHA1_LEN]);
/** PBKDF2 (RFC 8018) with HMAC-SHA1; @p out_len any length. */
void nb_pbkdf2_sha1(const void *pass, size_t pass_len, const void *salt, size_t salt_len,
		    unsigned iterations, uint8_t *out, size_t out_len);
/** WPA2-PSK PMK = PBKDF2-HMAC-SHA1(passphrase, SSID, 4096, 32). */
void nb_wpa_pmk(const void *pass, size_t pass_len, const void *ssid, size_t ssid_len,
		uint8_t pmk[NB_WPA_PMK_LEN]);
/** Parse 64 hex digits (a PMK given directly). @return 0, or -EINVAL. */
int nb_wpa_parse_hex_pmk(const char *hex, size_t len, uint8_t pmk[NB_WPA_PMK_LEN]);

#endif /* NB_SIM_WPA_H */
