/* SPDX-License-Identifier: MIT */
/* NBFW test firmware images: generation and byte-exact verification (format in fwimage.h).
 * tools/mkfw is an independent Python implementation of the same format; the unit tests
 * check that the two agree. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "drivers/util/compiler.h"
#include "drivers/util/crc32.h"
#include "sim/cyw43439/fwimage.h"

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void trailer(uint64_t seed, uint8_t out[NB_FWIMAGE_TRAILER_LEN])
{
	memset(out, 0, NB_FWIMAGE_TRAILER_LEN);
	snprintf((char *)out, NB_FWIMAGE_TRAILER_LEN, "Version: 7.95.49 (netbench mkfw %016" PRIx64 ")",
		 seed);
}

int nb_fwimage_build(uint64_t seed, size_t len, uint8_t *buf)
{
	uint64_t st = seed;
	size_t body = len - NB_FWIMAGE_MIN;

	if (len < NB_FWIMAGE_MIN || len > NB_FWIMAGE_MAX || !buf)
		return -EINVAL;
	memset(buf, 0, NB_FWIMAGE_HEADER_LEN);
	memcpy(buf, NB_FWIMAGE_MAGIC, 4);
	nb_put_le16(buf + 4, NB_FWIMAGE_VERSION);
	nb_put_le16(buf + 6, NB_FWIMAGE_HEADER_LEN);
	put_le64(buf + 8, seed);
	nb_put_le32(buf + 16, (uint32_t)len);
	for (size_t i = 0; i < body; i += 8) {
		uint8_t w[8];

		put_le64(w, splitmix64(&st));
		memcpy(buf + NB_FWIMAGE_HEADER_LEN + i, w, NB_MIN((size_t)8, body - i));
	}
	trailer(seed, buf + len - NB_FWIMAGE_TRAILER_LEN);
	nb_put_le32(buf + 20, nb_crc32(0, buf + NB_FWIMAGE_HEADER_LEN, len - NB_FWIMAGE_HEADER_LEN));
	nb_put_le32(buf + 28, nb_crc32(0, buf, 28));
	return 0;
}

#define WHY(...) snprintf(why, why_cap, __VA_ARGS__)

int nb_fwimage_verify(const uint8_t *img, size_t len, const uint64_t *want_seed,
		      uint64_t *seed_out, size_t *len_out, char *why, size_t why_cap)
{
	char dummy[1];
	uint64_t seed, st;
	size_t total, body;
	uint8_t tr[NB_FWIMAGE_TRAILER_LEN];

	if (!why) {
		why = dummy;
		why_cap = sizeof(dummy);
	}
	if (why_cap)
		why[0] = '\0';
	if (!img)
		return -EINVAL;
	if (len < NB_FWIMAGE_HEADER_LEN || memcmp(img, NB_FWIMAGE_MAGIC, 4)) {
		WHY("no NBFW image: magic at offset 0 is %02x %02x %02x %02x, not \"NBFW\"",
		    len > 0 ? img[0] : 0, len > 1 ? img[1] : 0, len > 2 ? img[2] : 0,
		    len > 3 ? img[3] : 0);
		return -EBADMSG;
	}
	if (nb_get_le32(img + 28) != nb_crc32(0, img, 28)) {
		WHY("header check value at offset 0x1c is 0x%08x, header bytes 0..0x1b give 0x%08x",
		    (unsigned)nb_get_le32(img + 28), (unsigned)nb_crc32(0, img, 28));
		return -EBADMSG;
	}
	if (nb_get_le16(img + 4) != NB_FWIMAGE_VERSION ||
	    nb_get_le16(img + 6) != NB_FWIMAGE_HEADER_LEN) {
		WHY("unsupported image format version %u / header length %u",
		    nb_get_le16(img + 4), nb_get_le16(img + 6));
		return -EBADMSG;
	}
	seed = get_le64(img + 8);
	total = nb_get_le32(img + 16);
	if (total < NB_FWIMAGE_MIN || total > NB_FWIMAGE_MAX || total > len) {
		WHY("image length %zu in the header is outside %u..%zu", total, NB_FWIMAGE_MIN,
		    NB_MIN(len, (size_t)NB_FWIMAGE_MAX));
		return -EBADMSG;
	}
	if (want_seed && seed != *want_seed) {
		WHY("image was made from seed 0x%016" PRIx64 ", expected seed 0x%016" PRIx64, seed,
		    *want_seed);
		return -EBADMSG;
	}
	/* Regenerate and compare byte by byte, so the report names the first bad offset. */
	st = seed;
	body = total - NB_FWIMAGE_MIN;
	for (size_t i = 0; i < body; i += 8) {
		uint8_t w[8];

		put_le64(w, splitmix64(&st));
		for (size_t j = 0; j < 8 && i + j < body; j++) {
			size_t off = NB_FWIMAGE_HEADER_LEN + i + j;

			if (img[off] != w[j]) {
				WHY("image differs at offset 0x%05zx: 0x%02x, expected 0x%02x", off,
				    img[off], w[j]);
				return -EBADMSG;
			}
		}
	}
	trailer(seed, tr);
	for (size_t j = 0; j < NB_FWIMAGE_TRAILER_LEN; j++) {
		size_t off = total - NB_FWIMAGE_TRAILER_LEN + j;

		if (img[off] != tr[j]) {
			WHY("image differs at offset 0x%05zx (trailer): 0x%02x, expected 0x%02x", off,
			    img[off], tr[j]);
			return -EBADMSG;
		}
	}
	if (nb_get_le32(img + 20) != nb_crc32(0, img + NB_FWIMAGE_HEADER_LEN,
					      total - NB_FWIMAGE_HEADER_LEN)) {
		WHY("body check value at offset 0x14 is 0x%08x, does not match the body",
		    (unsigned)nb_get_le32(img + 20));
		return -EBADMSG;
	}
	if (seed_out)
		*seed_out = seed;
	if (len_out)
		*len_out = total;
	return 0;
}
