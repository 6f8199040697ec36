/* SPDX-License-Identifier: MIT */
#include "tests/unit/hil/spidev_emu.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/spi/spidev.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define XACT_CAP 8192u

static struct {
	struct emu_spidev_opts o;
	struct emu_spidev_state st;
	char path[256];
	dev_t dev;
	ino_t ino;
	bool on;
	struct nb_gspi_bus gspi;
	unsigned fail_at;
	int fail_errno;
} S;

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);

static void perr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void perr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(S.st.last_error, sizeof(S.st.last_error), fmt, ap);
	va_end(ap);
	S.st.protocol_errors++;
	if (getenv("NB_TEST_VERBOSE"))
		fprintf(stderr, "spidev emu: %s\n", S.st.last_error);
}

void emu_spidev_reset(const char *path, const struct emu_spidev_opts *o)
{
	struct stat sb;
	int fd;

	memset(&S, 0, sizeof(S));
	if (o)
		S.o = *o;
	if (!S.o.max_hz)
		S.o.max_hz = 50000000;
	if (!S.o.bufsiz)
		S.o.bufsiz = 4096;
	snprintf(S.path, sizeof(S.path), "%s", path);
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		perr("cannot create %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	S.dev = sb.st_dev;
	S.ino = sb.st_ino;
	S.on = true;
}

void emu_spidev_remove(void)
{
	if (S.on)
		unlink(S.path);
	S.on = false;
}

void emu_spidev_connect_gspi(struct nb_gspi_bus bus)
{
	S.gspi = bus;
}

void emu_spidev_fail_message(unsigned nth, int err)
{
	S.fail_at = S.st.messages + nth;
	S.fail_errno = err;
}

const struct emu_spidev_state *emu_spidev_state(void)
{
	return &S.st;
}

static bool ours(int fd)
{
	struct stat sb;

	return S.on && fstat(fd, &sb) == 0 && sb.st_dev == S.dev && sb.st_ino == S.ino;
}

static int fail(int e)
{
	errno = e;
	return -1;
}

/* The transaction: TX bytes (command, write data), then RX bytes (read data, status). */
static int message(struct spi_ioc_transfer *x, unsigned n)
{
	static uint8_t out[XACT_CAP], in[XACT_CAP];
	size_t nout = 0, nin = 0, total = 0, k;
	uint8_t status[NB_GSPI_STATUS_LEN] = { 0 };
	bool rx_seen = false;
	int ret = 0;

	S.st.messages++;
	if (S.fail_at && S.st.messages == S.fail_at) {
		S.fail_at = 0;
		return fail(S.fail_errno);
	}
	for (unsigned i = 0; i < n; i++) {
		total += x[i].len;
		/* drivers/spi/spi.c __spi_validate(): one direction per transfer on 3-wire */
		if ((S.st.mode & SPI_3WIRE) && x[i].tx_buf && x[i].rx_buf)
			return fail(EINVAL);
	}
	if (total > S.o.bufsiz)
		return fail(EMSGSIZE);
	for (unsigned i = 0; i < n; i++) {
		if (x[i].cs_change)
			perr("cs_change in transfer %u: CS would rise inside the transaction", i);
		if (x[i].bits_per_word && x[i].bits_per_word != 8)
			perr("%u bits per word", x[i].bits_per_word);
		S.st.xfer_hz = x[i].speed_hz ? x[i].speed_hz : S.st.hz;
		if (S.st.xfer_hz > S.o.max_hz)
			S.st.xfer_hz = S.o.max_hz;
		if (x[i].tx_buf) {
			if (rx_seen)
				perr("TX after RX in one message (half-duplex gSPI)");
			if (nout + x[i].len > XACT_CAP)
				return fail(EMSGSIZE);
			memcpy(out + nout, (const void *)(uintptr_t)x[i].tx_buf, x[i].len);
			nout += x[i].len;
		} else {
			rx_seen = true;
			nin += x[i].len;
		}
	}
	if (nout < 4 || nin < NB_GSPI_STATUS_LEN) {
		perr("gSPI transaction of %zu bytes out, %zu in", nout, nin);
		memset(in, 0, nin);
	} else if (nout > 4) {
		ret = S.gspi.ops->cmd_write(S.gspi.ctx, out, out + 4, nout - 4);
		memset(in, 0, nin);
		if (nin != NB_GSPI_STATUS_LEN)
			perr("gSPI write followed by %zu bytes in", nin);
		if (ret == 0 && S.gspi.ops->last_status(S.gspi.ctx, status) == 0)
			memcpy(in, status, NB_GSPI_STATUS_LEN);
	} else {
		ret = S.gspi.ops->cmd_read(S.gspi.ctx, out, in, nin - NB_GSPI_STATUS_LEN);
		if (ret == 0 && S.gspi.ops->last_status(S.gspi.ctx, status) == 0)
			memcpy(in + nin - NB_GSPI_STATUS_LEN, status, NB_GSPI_STATUS_LEN);
	}
	if (ret < 0)
		return fail(EIO);
	k = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!x[i].rx_buf)
			continue;
		memcpy((void *)(uintptr_t)x[i].rx_buf, in + k, x[i].len);
		k += x[i].len;
	}
	return (int)total;
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!ours(fd))
		return __real_ioctl(fd, req, arg);
	if (_IOC_TYPE(req) == SPI_IOC_MAGIC && _IOC_NR(req) == 0 && _IOC_DIR(req) == _IOC_WRITE) {
		unsigned n = _IOC_SIZE(req) / sizeof(struct spi_ioc_transfer);

		if (_IOC_SIZE(req) % sizeof(struct spi_ioc_transfer) || n == 0)
			return fail(EINVAL);
		return message(arg, n);
	}
	switch (req) {
	case SPI_IOC_WR_MODE32: {
		uint32_t m = *(uint32_t *)arg;

		if ((m & SPI_3WIRE) && S.o.no_3wire)
			return fail(EINVAL);
		S.st.mode = m;
		return 0;
	}
	case SPI_IOC_RD_MODE32:
		*(uint32_t *)arg = S.st.mode;
		return 0;
	case SPI_IOC_WR_BITS_PER_WORD:
		if (*(uint8_t *)arg != 8)
			return fail(EINVAL);
		S.st.bits = *(uint8_t *)arg;
		return 0;
	case SPI_IOC_RD_BITS_PER_WORD:
		*(uint8_t *)arg = S.st.bits;
		return 0;
	case SPI_IOC_WR_MAX_SPEED_HZ:
		S.st.hz = *(uint32_t *)arg;
		return 0;
	case SPI_IOC_RD_MAX_SPEED_HZ:
		*(uint32_t *)arg = S.st.hz;
		return 0;
	default:
		return fail(ENOTTY);
	}
}
