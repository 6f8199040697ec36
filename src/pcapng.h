/* SPDX-License-Identifier: MIT */
/**
 * @file pcapng.h
 * @brief Minimal pcapng writer: one section, several interfaces, Enhanced Packet Blocks with
 *        direction flags and nanosecond time stamps.
 *
 * Blocks written (pcapng, draft-ietf-opsawg-pcapng):
 *  - Section Header Block with shb_userappl only (no host name, OS or time: two runs of the
 *    same scenario and seed give the same bytes);
 *  - Interface Description Block per nb_pcapng_add_if(): link type, snap length, if_name,
 *    if_description, if_tsresol = 9 (nanoseconds);
 *  - Enhanced Packet Block per nb_pcapng_write(), with epb_flags when flags are non-zero.
 * Numbers are written in host byte order (the SHB's byte-order magic says which).
 *
 * Context: one thread. Errors are sticky: after a failed write every later call returns the
 * same error, and nb_pcapng_close() reports it.
 */
#ifndef NB_PROG_PCAPNG_H
#define NB_PROG_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

#define NB_PCAPNG_BT_SHB 0x0A0D0D0Au
#define NB_PCAPNG_BT_IDB 0x00000001u
#define NB_PCAPNG_BT_EPB 0x00000006u
#define NB_PCAPNG_BOM 0x1A2B3C4Du

/** epb_flags bits 0..1: direction. */
#define NB_PCAPNG_DIR_INBOUND 1u
#define NB_PCAPNG_DIR_OUTBOUND 2u

#define NB_PCAPNG_LINKTYPE_ETHERNET 1u

struct nb_pcapng;

/**
 * Create (truncate) @p path and write the section header. @p appl goes into shb_userappl
 * (NULL: none). @return the writer, or NULL with errno set.
 */
struct nb_pcapng *nb_pcapng_open(const char *path, const char *appl);
/**
 * Describe the next interface. Interfaces are numbered from 0 in the order they are added;
 * add them before writing packets that use them.
 * @p name, @p desc may be NULL (option left out).
 * @return the interface id (>= 0) or negative errno.
 */
int nb_pcapng_add_if(struct nb_pcapng *p, uint16_t linktype, uint32_t snaplen,
		     const char *name, const char *desc);
/**
 * One Enhanced Packet Block: @p caplen bytes of @p data, original length @p origlen
 * (>= caplen), time @p t_ns (ns since the epoch the file uses: here, the start of the run),
 * @p flags for epb_flags (0: option left out).
 * @retval 0 written (buffered). @retval -EINVAL unknown interface or origlen < caplen.
 * @retval other negative errno: write error (sticky).
 */
int nb_pcapng_write(struct nb_pcapng *p, uint32_t ifid, uint64_t t_ns, const void *data,
		    size_t caplen, size_t origlen, uint32_t flags);
/** Push buffered blocks to the file. @return 0 or the (sticky) negative errno. */
int nb_pcapng_flush(struct nb_pcapng *p);
/** Flush, close and free (accepts NULL). @return 0, or negative errno if data was lost. */
int nb_pcapng_close(struct nb_pcapng *p);
/** Packets written so far. */
uint64_t nb_pcapng_packets(const struct nb_pcapng *p);

#endif /* NB_PROG_PCAPNG_H */
