/* SPDX-License-Identifier: MIT */
/**
 * @file fwfile.h
 * @brief Files a real chip needs at bring-up (CYW43439 firmware, NVRAM, CLM), read into
 *        memory, and the NVRAM text turned into the form the chip takes.
 *
 * NVRAM: vendors ship it as text, one "key=value" per line with comments and blank lines
 * (cyw43-driver's wifi_nvram_43439.h holds the same content as a C string). The chip wants
 * "key=value\0" entries ended by an empty one ("\0\0", reference §2.6). Text is converted
 * like Linux's brcmfmac does: lines trimmed, '#' comments and blank lines dropped, CR
 * ignored. A file that already holds NUL-separated entries is kept as it is.
 */
#ifndef NB_HIL_FWFILE_H
#define NB_HIL_FWFILE_H

#include <stddef.h>
#include <stdint.h>

/**
 * Read the whole file at @p path (at most @p max bytes) into a new buffer (free() it).
 * @retval 0 *buf / *len set. @retval -errno of open/read, -EFBIG over @p max, -ENODATA empty.
 */
int nb_hil_read_file(const char *path, size_t max, uint8_t **buf, size_t *len);

/**
 * Convert NVRAM text in place (see above). @return the new length (entries + final NUL), or
 * -EINVAL when a non-comment line has no '=' (the line number in *bad_line).
 */
long nb_hil_nvram_convert(uint8_t *buf, size_t len, unsigned *bad_line);

#endif /* NB_HIL_FWFILE_H */
