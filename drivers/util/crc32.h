/* SPDX-License-Identifier: MIT */
/**
 * @file crc32.h
 * @brief IEEE 802.3 CRC-32 (the Ethernet FCS).
 *
 * Polynomial 0x04C11DB7 processed LSB first (reflected 0xEDB88320), initial value
 * 0xFFFFFFFF, final complement; the FCS goes on the wire low byte first. Check value of
 * "123456789" is 0xCBF43926. Running the CRC over a frame *including* a correct FCS gives the
 * constant NB_CRC32_RESIDUE.
 *
 * Drivers take an nb_crc32_fn in their config so a platform can plug in faster hardware
 * (RP2040 DMA sniffer) or a host can pass a wider software variant; NULL means nb_crc32().
 */
#ifndef NB_CRC32_H
#define NB_CRC32_H

#include <stddef.h>
#include <stdint.h>

#define NB_CRC32_CHECK 0xCBF43926u
/** nb_crc32() over data followed by its own FCS. */
#define NB_CRC32_RESIDUE 0x2144DF1Cu

/**
 * Continue a CRC: @p crc is the value returned by a previous call (0 to start), so
 * f(f(0, a), b) == f(0, a||b). Returns the finished (complemented) CRC of everything so far.
 */
typedef uint32_t (*nb_crc32_fn)(uint32_t crc, const void *data, size_t len);

/** Table-driven byte-at-a-time CRC-32 (1 KiB const table, fits in flash). */
uint32_t nb_crc32(uint32_t crc, const void *data, size_t len);

/** Slicing-by-8 variant: 8 KiB of tables, about 4x faster on a host CPU. */
uint32_t nb_crc32_slice8(uint32_t crc, const void *data, size_t len);

#endif /* NB_CRC32_H */
