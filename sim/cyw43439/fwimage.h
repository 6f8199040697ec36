/* SPDX-License-Identifier: MIT */
/**
 * @file fwimage.h
 * @brief netbench test firmware images ("NBFW"): made by tools/mkfw, verified by the model.
 *
 * netbench ships no vendor firmware. A driver downloads one of these instead; the chip model
 * regenerates the whole image from the seed in its header and boots it only if every byte
 * matches, so a driver that drops, reorders or corrupts a chunk is caught (and the model
 * names the first offset that differs).
 *
 * Layout (all integers little-endian):
 *
 *   0x00  4  magic "NBFW"
 *   0x04  2  format version (1)
 *   0x06  2  header length (32)
 *   0x08  8  seed
 *   0x10  4  total image length in bytes (header + body + trailer)
 *   0x14  4  CRC-32 (IEEE 802.3) of bytes [32, total)
 *   0x18  4  reserved, 0
 *   0x1C  4  CRC-32 of bytes [0, 28)
 *   0x20  n  body: the splitmix64 stream seeded with `seed`, each 64-bit output stored
 *            little-endian (byte i of the body = byte i%8 of output i/8)
 *   end-64   trailer, 64 bytes: "Version: 7.95.49 (netbench mkfw <seed as 16 hex digits>)"
 *            followed by NUL bytes. Host drivers that look for a "Version: " string in the
 *            last 800 bytes (cyw43-driver does, §2.6.1) accept it.
 *
 * splitmix64: state += 0x9E3779B97F4A7C15; z = state; z = (z ^ (z >> 30)) *
 * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB; output z ^ (z >> 31).
 *
 * Size limits: NB_FWIMAGE_MIN..NB_FWIMAGE_MAX (the image must stay below the firmware's
 * shared area at 0x6F000 and the NVRAM at the top of RAM).
 */
#ifndef NB_SIM_FWIMAGE_H
#define NB_SIM_FWIMAGE_H

#include <stddef.h>
#include <stdint.h>

#define NB_FWIMAGE_HEADER_LEN 32u
#define NB_FWIMAGE_TRAILER_LEN 64u
#define NB_FWIMAGE_MIN (NB_FWIMAGE_HEADER_LEN + NB_FWIMAGE_TRAILER_LEN)
#define NB_FWIMAGE_MAX 0x6F000u
#define NB_FWIMAGE_MAGIC "NBFW"
#define NB_FWIMAGE_VERSION 1u

/**
 * Write the image of @p seed, @p len bytes long, into @p buf (at least @p len bytes).
 * @retval 0 done. @retval -EINVAL len outside NB_FWIMAGE_MIN..NB_FWIMAGE_MAX.
 */
int nb_fwimage_build(uint64_t seed, size_t len, uint8_t *buf);

/**
 * Check @p len bytes at @p img. On failure a message naming the offset (and expected /
 * found byte) goes to @p why (NUL-terminated, truncated to @p why_cap).
 * If @p want_seed is non-NULL the image must also have been made from *want_seed.
 * @retval 0 valid; *seed_out (if non-NULL) gets the seed and *len_out the image length.
 * @retval -EBADMSG not an image or corrupted. @retval -EINVAL bad arguments.
 */
int nb_fwimage_verify(const uint8_t *img, size_t len, const uint64_t *want_seed,
		      uint64_t *seed_out, size_t *len_out, char *why, size_t why_cap);

#endif /* NB_SIM_FWIMAGE_H */
