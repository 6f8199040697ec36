/* SPDX-License-Identifier: MIT */
#include "drivers/util/crc32.h"

#include "drivers/util/crc32_tables.h"

uint32_t nb_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	while (len--)
		crc = (crc >> 8) ^ nb_crc32_table[(crc ^ *p++) & 0xFFu];
	return ~crc;
}

uint32_t nb_crc32_slice8(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	crc = ~crc;
	/* Bytes are assembled explicitly, so this is correct whatever the alignment or
	 * endianness; the compiler turns the loads into word loads where it can. */
	while (len >= 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | ((uint32_t)p[1] << 8) |
				     ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
		uint32_t hi = (uint32_t)p[4] | ((uint32_t)p[5] << 8) | ((uint32_t)p[6] << 16) |
			      ((uint32_t)p[7] << 24);

		crc = nb_crc32_slice_table[7][lo & 0xFFu] ^ nb_crc32_slice_table[6][(lo >> 8) & 0xFFu] ^
		      nb_crc32_slice_table[5][(lo >> 16) & 0xFFu] ^ nb_crc32_slice_table[4][lo >> 24] ^
		      nb_crc32_slice_table[3][hi & 0xFFu] ^ nb_crc32_slice_table[2][(hi >> 8) & 0xFFu] ^
		      nb_crc32_slice_table[1][(hi >> 16) & 0xFFu] ^ nb_crc32_slice_table[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ nb_crc32_slice_table[0][(crc ^ *p++) & 0xFFu];
	return ~crc;
}
