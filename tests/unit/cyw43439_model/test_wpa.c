/* SPDX-License-Identifier: MIT */
/* SHA-1 (FIPS 180), HMAC-SHA1 (RFC 2202), PBKDF2 (RFC 6070) and WPA2 PSK (IEEE 802.11i
 * Annex H.4) test vectors for the hand-written key derivation of the simulated AP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cyw43439/wpa.h"
#include "tests/unit/support/test_support.h"

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void check(const uint8_t *b, size_t n, const char *want)
{
	char s[160];

	hex(b, n, s);
	assert_string_equal(s, want);
}

static void test_cyw43439_model_sha1_vectors(void **state)
{
	uint8_t d[NB_SHA1_LEN];
	char *big;

	(void)state;
	nb_sha1("", 0, d);
	check(d, 20, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	nb_sha1("abc", 3, d);
	check(d, 20, "a9993e364706816aba3e25717850c26c9cd0d89d");
	nb_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	check(d, 20, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	big = malloc(1000000);
	assert_non_null(big);
	memset(big, 'a', 1000000);
	nb_sha1(big, 1000000, d);
	free(big);
	check(d, 20, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

static void test_cyw43439_model_hmac_sha1_vectors(void **state)
{
	uint8_t d[NB_SHA1_LEN], k[80];

	(void)state;
	memset(k, 0x0B, 20);
	nb_hmac_sha1(k, 20, "Hi There", 8, d);
	check(d, 20, "b617318655057264e28bc0b6fb378c8ef146be00");
	nb_hmac_sha1("Jefe", 4, "what do ya want for nothing?", 28, d);
	check(d, 20, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	memset(k, 0xAA, 80); /* key longer than the block: hashed first */
	nb_hmac_sha1(k, 80, "Test Using Larger Than Block-Size Key - Hash Key First", 54, d);
	check(d, 20, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

static void test_cyw43439_model_pbkdf2_rfc6070(void **state)
{
	uint8_t d[32];

	(void)state;
	nb_pbkdf2_sha1("password", 8, "salt", 4, 1, d, 20);
	check(d, 20, "0c60c80f961f0e71f3a9b524af6012062fe037a6");
	nb_pbkdf2_sha1("password", 8, "salt", 4, 2, d, 20);
	check(d, 20, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
	nb_pbkdf2_sha1("password", 8, "salt", 4, 4096, d, 20);
	check(d, 20, "4b007901b765489abead49d926f721d065a429c1");
	nb_pbkdf2_sha1("passwordPASSWORDpassword", 24, "saltSALTsaltSALTsaltSALTsaltSALTsalt", 36,
		       4096, d, 25);
	check(d, 25, "3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038");
	nb_pbkdf2_sha1("pass\0word", 9, "sa\0lt", 5, 4096, d, 16);
	check(d, 16, "56fa6aa75548099dcc37d7f03425e0c3");
}

static void test_cyw43439_model_wpa2_psk_vectors(void **state)
{
	uint8_t pmk[32], pmk2[32];

	(void)state;
	nb_wpa_pmk("password", 8, "IEEE", 4, pmk);
	check(pmk, 32, "f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e");
	nb_wpa_pmk("ThisIsAPassword", 15, "ThisIsASSID", 11, pmk);
	check(pmk, 32, "0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af");
	assert_int_equal(nb_wpa_parse_hex_pmk(
				 "0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721AF",
				 64, pmk2),
			 0);
	assert_memory_equal(pmk, pmk2, 32);
	assert_int_not_equal(nb_wpa_parse_hex_pmk("0dc0", 4, pmk2), 0);
	assert_int_not_equal(
		nb_wpa_parse_hex_pmk(
			"zdc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af", 64, pmk2),
		0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cyw43439_model_sha1_vectors),
		cmocka_unit_test(test_cyw43439_model_hmac_sha1_vectors),
		cmocka_unit_test(test_cyw43439_model_pbkdf2_rfc6070),
		cmocka_unit_test(test_cyw43439_model_wpa2_psk_vectors),
	};

	return cmocka_run_group_tests_name("cyw43439_model_wpa", tests, NULL, NULL);
}
