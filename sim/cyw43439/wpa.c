/* SPDX-License-Identifier: MIT */
/* SHA-1 (FIPS 180-4), HMAC (RFC 2104), PBKDF2 (RFC 8018). See wpa.h for why by hand. */
#include <errno.h>
#include <string.h>

#include "sim/cyw43439/wpa.h"

struct sha1 {
	uint32_t h[5];
	uint64_t bytes;
	uint8_t block[64];
	size_t fill;
};

static uint32_t rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(struct sha1 *s, const uint8_t *p)
{
	uint32_t w[80], a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];

	for (int i = 0; i < 16; i++)
		w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
		       ((uint32_t)p[4 * i + 2] << 8) | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (int i = 0; i < 80; i++) {
		uint32_t f, k, t;

		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5A827999u;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ED9EBA1u;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8F1BBCDCu;
		} else {
			f = b ^ c ^ d;
			k = 0xCA62C1D6u;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
}

static void sha1_init(struct sha1 *s)
{
	static const uint32_t iv[5] = { 0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u,
					0xC3D2E1F0u };

	memcpy(s->h, iv, sizeof(iv));
	s->bytes = 0;
	s->fill = 0;
}

static void sha1_update(struct sha1 *s, const void *data, size_t len)
{
	const uint8_t *p = data;

	s->bytes += len;
	while (len) {
		size_t k = 64 - s->fill;

		if (k > len)
			k = len;
		memcpy(s->block + s->fill, p, k);
		s->fill += k;
		p += k;
		len -= k;
		if (s->fill == 64) {
			sha1_block(s, s->block);
			s->fill = 0;
		}
	}
}

static void sha1_final(struct sha1 *s, uint8_t out[NB_SHA1_LEN])
{
	uint64_t bits = s->bytes * 8;
	uint8_t pad = 0x80, zero = 0, len[8];

	sha1_update(s, &pad, 1);
	while (s->fill != 56)
		sha1_update(s, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_update(s, len, 8);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(s->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)s->h[i];
	}
}

void nb_sha1(const void *data, size_t len, uint8_t out[NB_SHA1_LEN])
{
	struct sha1 s;

	sha1_init(&s);
	sha1_update(&s, data, len);
	sha1_final(&s, out);
}

/* HMAC with the inner/outer states prepared once, so PBKDF2's 8192 MACs per block cost two
 * compressions each. */
struct hmac {
	struct sha1 inner, outer;
};

static void hmac_init(struct hmac *h, const void *key, size_t key_len)
{
	uint8_t k[64] = { 0 }, pad[64];

	if (key_len > 64)
		nb_sha1(key, key_len, k);
	else
		memcpy(k, key, key_len);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x36;
	sha1_init(&h->inner);
	sha1_update(&h->inner, pad, 64);
	for (int i = 0; i < 64; i++)
		pad[i] = k[i] ^ 0x5C;
	sha1_init(&h->outer);
	sha1_update(&h->outer, pad, 64);
}

static void hmac_run(const struct hmac *h, const void *data, size_t len,
		     uint8_t out[NB_SHA1_LEN])
{
	struct sha1 s = h->inner;
	uint8_t mid[NB_SHA1_LEN];

	sha1_update(&s, data, len);
	sha1_final(&s, mid);
	s = h->outer;
	sha1_update(&s, mid, sizeof(mid));
	sha1_final(&s, out);
}

void nb_hmac_sha1(const void *key, size_t key_len, const void *data, size_t len,
		  uint8_t out[NB_SHA1_LEN])
{
	struct hmac h;

	hmac_init(&h, key, key_len);
	hmac_run(&h, data, len, out);
}

void nb_pbkdf2_sha1(const void *pass, size_t pass_len, const void *salt, size_t salt_len,
		    unsigned iterations, uint8_t *out, size_t out_len)
{
	struct hmac h;
	uint8_t buf[256 + 4];

	hmac_init(&h, pass, pass_len);
	if (salt_len > 256)
		salt_len = 256; /* SSIDs are at most 32 bytes */
	memcpy(buf, salt, salt_len);
	for (uint32_t blk = 1; out_len; blk++) {
		uint8_t u[NB_SHA1_LEN], t[NB_SHA1_LEN];
		size_t k = out_len < NB_SHA1_LEN ? out_len : NB_SHA1_LEN;

		buf[salt_len] = (uint8_t)(blk >> 24);
		buf[salt_len + 1] = (uint8_t)(blk >> 16);
		buf[salt_len + 2] = (uint8_t)(blk >> 8);
		buf[salt_len + 3] = (uint8_t)blk;
		hmac_run(&h, buf, salt_len + 4, u);
		memcpy(t, u, sizeof(t));
		for (unsigned i = 1; i < iterations; i++) {
			hmac_run(&h, u, sizeof(u), u);
			for (size_t j = 0; j < sizeof(t); j++)
				t[j] ^= u[j];
		}
		memcpy(out, t, k);
		out += k;
		out_len -= k;
	}
}

void nb_wpa_pmk(const void *pass, size_t pass_len, const void *ssid, size_t ssid_len,
		uint8_t pmk[NB_WPA_PMK_LEN])
{
	nb_pbkdf2_sha1(pass, pass_len, ssid, ssid_len, 4096, pmk, NB_WPA_PMK_LEN);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int nb_wpa_parse_hex_pmk(const char *hex, size_t len, uint8_t pmk[NB_WPA_PMK_LEN])
{
	if (len != 2 * NB_WPA_PMK_LEN)
		return -EINVAL;
	for (size_t i = 0; i < NB_WPA_PMK_LEN; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		pmk[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
