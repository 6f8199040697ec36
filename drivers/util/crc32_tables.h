/* SPDX-License-Identifier: MIT */
#ifndef NB_CRC32_TABLES_H
#define NB_CRC32_TABLES_H
#include <stdint.h>
/** Byte table for nb_crc32(). */
extern const uint32_t nb_crc32_table[256];
/** [0] repeats the byte table; [k] is a byte's contribution k bytes further on (slicing-by-8). */
extern const uint32_t nb_crc32_slice_table[8][256];
#endif
