/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "tests/unit/support/test_support.h"

/* ICMP echo request, captured on a real NIC with rx-fcs enabled; last 4 bytes are the FCS. */
static const uint8_t nic_icmp[] = {
	0x08, 0x00, 0x27, 0x27, 0x1a, 0xd5, 0x52, 0x54, 0x00, 0x12, 0x35, 0x02, 0x08, 0x00, 0x45,
	0x00, 0x00, 0x54, 0x1e, 0x49, 0x40, 0x00, 0x40, 0x01, 0x04, 0x50, 0x0a, 0x00, 0x02, 0x02,
	0x0a, 0x00, 0x02, 0x0f, 0x00, 0x00, 0x59, 0xd6, 0x0f, 0xaf, 0x00, 0x01, 0xfd, 0xb5, 0xf5,
	0x5a, 0x00, 0x00, 0x00, 0x00, 0xe1, 0x95, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x11,
	0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20,
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0xe6, 0x4c, 0xb4, 0x86,
};

/* ARP request (broadcast, padded to 60), captured with rx-fcs enabled. */
static const uint8_t nic_arp[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x54, 0x83, 0x3a, 0x35, 0x4a, 0x50, 0x08, 0x06, 0x00,
	0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x54, 0x83, 0x3a, 0x35, 0x4a, 0x50, 0xc0, 0xa8,
	0x01, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc0, 0xa8, 0x01, 0xc5, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x26, 0x54, 0x4e, 0x8b,
};

static void check_captured(const uint8_t *frame, size_t len, nb_crc32_fn fn)
{
	uint32_t fcs = (uint32_t)frame[len - 4] | ((uint32_t)frame[len - 3] << 8) |
		       ((uint32_t)frame[len - 2] << 16) | ((uint32_t)frame[len - 1] << 24);

	assert_int_equal(fn(0, frame, len - 4), fcs);          /* FCS is sent low byte first */
	assert_int_equal(fn(0, frame, len), NB_CRC32_RESIDUE); /* receiver's check */
}

static void test_crc32_check_value(void **state)
{
	(void)state;
	assert_int_equal(nb_crc32(0, "123456789", 9), NB_CRC32_CHECK);
	assert_int_equal(nb_crc32_slice8(0, "123456789", 9), NB_CRC32_CHECK);
	assert_int_equal(nb_crc32(0, "", 0), 0);
}

static void test_crc32_matches_real_nic_frames(void **state)
{
	(void)state;
	check_captured(nic_icmp, sizeof(nic_icmp), nb_crc32);
	check_captured(nic_arp, sizeof(nic_arp), nb_crc32);
	check_captured(nic_icmp, sizeof(nic_icmp), nb_crc32_slice8);
	check_captured(nic_arp, sizeof(nic_arp), nb_crc32_slice8);
}

static void test_crc32_detects_single_bit_errors(void **state)
{
	uint8_t f[sizeof(nic_icmp)];

	(void)state;
	for (size_t bit = 0; bit < sizeof(f) * 8; bit++) {
		memcpy(f, nic_icmp, sizeof(f));
		f[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		assert_int_not_equal(nb_crc32(0, f, sizeof(f)), NB_CRC32_RESIDUE);
	}
}

static void test_crc32_incremental_and_variants_agree(void **state)
{
	uint8_t buf[3000 + 8];

	(void)state;
	srand(7);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; len < 3000; len += 1 + len / 3) {
			uint32_t whole = nb_crc32(0, buf + off, len);
			size_t cut = len / 3;

			assert_int_equal(nb_crc32_slice8(0, buf + off, len), whole);
			assert_int_equal(nb_crc32(nb_crc32(0, buf + off, cut), buf + off + cut,
						  len - cut),
					 whole);
			assert_int_equal(nb_crc32_slice8(nb_crc32(0, buf + off, cut),
							 buf + off + cut, len - cut),
					 whole);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_check_value),
		cmocka_unit_test(test_crc32_matches_real_nic_frames),
		cmocka_unit_test(test_crc32_detects_single_bit_errors),
		cmocka_unit_test(test_crc32_incremental_and_variants_agree),
	};
	return cmocka_run_group_tests_name("crc32", tests, NULL, NULL);
}
