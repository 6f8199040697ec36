/* SPDX-License-Identifier: MIT */
/* Firmware/NVRAM/CLM files into memory; NVRAM text to NUL-separated entries. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hil/fwfile.h"

int nb_hil_read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	size_t n;
	int ret;

	if (!f)
		return -errno;
	if (fstat(fileno(f), &st) < 0) {
		ret = -errno;
		goto err_file;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EISDIR;
		goto err_file;
	}
	if ((uint64_t)st.st_size > max) {
		ret = -EFBIG;
		goto err_file;
	}
	if (st.st_size == 0) {
		ret = -ENODATA;
		goto err_file;
	}
	/* one spare byte: NVRAM text may need a terminator the file lacks */
	b = malloc((size_t)st.st_size + 2);
	if (!b) {
		ret = -ENOMEM;
		goto err_file;
	}
	n = fread(b, 1, (size_t)st.st_size, f);
	if (n != (size_t)st.st_size) {
		ret = -EIO;
		free(b);
		goto err_file;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;

err_file:
	fclose(f);
	return ret;
}

static bool blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

long nb_hil_nvram_convert(uint8_t *buf, size_t len, unsigned *bad_line)
{
	size_t in = 0, out = 0;
	unsigned line = 0;

	if (memchr(buf, '\0', len)) {
		/* already entries: make sure the list is closed with an empty one */
		while (len && buf[len - 1] == '\0')
			len--;
		buf[len] = '\0';
		buf[len + 1] = '\0';
		return (long)len + 2;
	}
	while (in < len) {
		size_t start, end;

		line++;
		while (in < len && blank(buf[in]))
			in++;
		start = in;
		while (in < len && buf[in] != '\n')
			in++;
		end = in;
		in++; /* past the newline */
		while (end > start && blank(buf[end - 1]))
			end--;
		if (end == start || buf[start] == '#')
			continue;
		if (!memchr(buf + start, '=', end - start)) {
			if (bad_line)
				*bad_line = line;
			return -EINVAL;
		}
		/* out never passes start: each entry shrinks or stays */
		memmove(buf + out, buf + start, end - start);
		out += end - start;
		buf[out++] = '\0';
	}
	buf[out++] = '\0';
	return (long)out;
}
