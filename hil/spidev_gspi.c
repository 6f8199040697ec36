/* SPDX-License-Identifier: MIT */
/* gSPI over Linux spidev: one SPI_IOC_MESSAGE per transaction, half-duplex transfers. */
#include <errno.h>
#include <fcntl.h>
#include <linux/spi/spidev.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hil/spidev_gspi.h"

struct nb_spidev {
	int fd;
	struct nb_spidev_cfg cfg;
	char path[128];
	uint32_t hz;
	uint8_t status[NB_GSPI_STATUS_LEN];
	struct nb_spidev_stats stats;
	char err[256];
};

static int fail(struct nb_spidev *s, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct nb_spidev *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	s->stats.errors++;
	nb_log(&s->cfg.log, NB_LOG_ERR, "hil.spidev", s->err, err, 0);
	return err;
}

static struct nb_spidev *spidev_of(void *ctx)
{
	return ctx;
}

static void xfer_tx(struct spi_ioc_transfer *x, const struct nb_spidev *s, const uint8_t *p,
		    size_t n)
{
	memset(x, 0, sizeof(*x));
	x->tx_buf = (uintptr_t)p;
	x->len = (uint32_t)n;
	x->speed_hz = s->hz;
	x->bits_per_word = 8;
}

static void xfer_rx(struct spi_ioc_transfer *x, const struct nb_spidev *s, uint8_t *p, size_t n)
{
	memset(x, 0, sizeof(*x));
	x->rx_buf = (uintptr_t)p;
	x->len = (uint32_t)n;
	x->speed_hz = s->hz;
	x->bits_per_word = 8;
}

static int message(struct nb_spidev *s, struct spi_ioc_transfer *x, unsigned n, size_t total,
		   const char *what)
{
	int r;

	s->stats.messages++;
	/* every transfer is TX-only or RX-only: the direction switch of SPI_3WIRE (reference
	 * §1.3 turnaround) happens between them, CS stays asserted (cs_change 0) */
	r = ioctl(s->fd, SPI_IOC_MESSAGE(n), x);
	if (r < 0)
		return fail(s, -EIO, "%s: %s: SPI_IOC_MESSAGE: %s", s->path, what, strerror(errno));
	if ((size_t)r != total)
		return fail(s, -EIO, "%s: %s: SPI_IOC_MESSAGE moved %d of %zu bytes", s->path, what,
			    r, total);
	s->stats.bytes += total;
	return 0;
}

static int gspi_cmd_read(void *ctx, const uint8_t cmd[4], uint8_t *rx, size_t rx_len)
{
	struct nb_spidev *s = spidev_of(ctx);
	struct spi_ioc_transfer x[3];
	unsigned n = 0;

	if (rx_len && !rx)
		return -EINVAL;
	xfer_tx(&x[n++], s, cmd, 4);
	if (rx_len)
		xfer_rx(&x[n++], s, rx, rx_len);
	xfer_rx(&x[n++], s, s->status, NB_GSPI_STATUS_LEN);
	return message(s, x, n, 4 + rx_len + NB_GSPI_STATUS_LEN, "gspi read");
}

static int gspi_cmd_write(void *ctx, const uint8_t cmd[4], const uint8_t *tx, size_t tx_len)
{
	struct nb_spidev *s = spidev_of(ctx);
	struct spi_ioc_transfer x[3];
	unsigned n = 0;

	if (tx_len && !tx)
		return -EINVAL;
	xfer_tx(&x[n++], s, cmd, 4);
	if (tx_len)
		xfer_tx(&x[n++], s, tx, tx_len);
	xfer_rx(&x[n++], s, s->status, NB_GSPI_STATUS_LEN);
	return message(s, x, n, 4 + tx_len + NB_GSPI_STATUS_LEN, "gspi write");
}

static int gspi_last_status(void *ctx, uint8_t status[NB_GSPI_STATUS_LEN])
{
	memcpy(status, spidev_of(ctx)->status, NB_GSPI_STATUS_LEN);
	return 0;
}

static const struct nb_gspi_ops spidev_gspi_ops = {
	.cmd_read = gspi_cmd_read,
	.cmd_write = gspi_cmd_write,
	.last_status = gspi_last_status,
};

static int configure(struct nb_spidev *s)
{
	uint32_t mode = SPI_MODE_0 | (s->cfg.four_wire ? 0u : SPI_3WIRE), back = 0;
	uint8_t bits = 8, bits_back = 0;
	uint32_t hz = s->cfg.clock_hz ? s->cfg.clock_hz : NB_SPIDEV_DEFAULT_HZ;

	if (ioctl(s->fd, SPI_IOC_WR_MODE32, &mode) < 0) {
		if (errno == EINVAL && !s->cfg.four_wire)
			return fail(s, -EOPNOTSUPP,
				    "%s: the SPI controller refuses SPI_3WIRE; wire MOSI through a "
				    "470 ohm resistor and MISO to the data line and use four_wire",
				    s->path);
		return fail(s, -EIO, "%s: SPI_IOC_WR_MODE32 0x%x: %s", s->path, mode,
			    strerror(errno));
	}
	if (ioctl(s->fd, SPI_IOC_RD_MODE32, &back) < 0)
		return fail(s, -EIO, "%s: SPI_IOC_RD_MODE32: %s", s->path, strerror(errno));
	if ((back & (SPI_MODE_3 | SPI_3WIRE | SPI_LSB_FIRST | SPI_CS_HIGH)) != mode)
		return fail(s, -EOPNOTSUPP, "%s: mode 0x%x set, the driver reports 0x%x", s->path,
			    mode, back);
	if (ioctl(s->fd, SPI_IOC_WR_BITS_PER_WORD, &bits) < 0 ||
	    ioctl(s->fd, SPI_IOC_RD_BITS_PER_WORD, &bits_back) < 0 || bits_back != 8)
		return fail(s, -EOPNOTSUPP, "%s: 8 bits per word refused: %s", s->path,
			    strerror(errno));
	if (ioctl(s->fd, SPI_IOC_WR_MAX_SPEED_HZ, &hz) < 0)
		return fail(s, -EIO, "%s: SPI_IOC_WR_MAX_SPEED_HZ %u: %s", s->path, hz,
			    strerror(errno));
	if (ioctl(s->fd, SPI_IOC_RD_MAX_SPEED_HZ, &s->hz) < 0)
		return fail(s, -EIO, "%s: SPI_IOC_RD_MAX_SPEED_HZ: %s", s->path, strerror(errno));
	if (!s->hz || s->hz > hz)
		s->hz = hz;
	return 0;
}

int nb_spidev_open(const struct nb_spidev_cfg *cfg, struct nb_spidev **out, char *err,
		   size_t errlen)
{
	struct nb_spidev *s;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!out || !cfg || !cfg->path || !cfg->path[0]) {
		if (err)
			snprintf(err, errlen, "spidev: no device path given");
		return -EINVAL;
	}
	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		if (err)
			snprintf(err, errlen, "spidev: out of memory");
		return -ENOMEM;
	}
	s->cfg = *cfg;
	s->cfg.log.fn = NULL; /* open failures go to err; the log is for later ones */
	snprintf(s->path, sizeof(s->path), "%s", cfg->path);
	s->cfg.path = s->path;
	s->fd = open(s->path, O_RDWR | O_CLOEXEC);
	if (s->fd < 0) {
		int e = errno;

		if (e == ENOENT || e == ENXIO || e == ENODEV)
			ret = fail(s, -ENODEV, "%s: no such SPI device (%s): is the spidev driver "
				   "bound (Raspberry Pi: dtparam=spi=on)?", s->path, strerror(e));
		else if (e == EACCES || e == EPERM)
			ret = fail(s, -EACCES, "%s: %s (add the user to the spi group)", s->path,
				   strerror(e));
		else if (e == EBUSY)
			ret = fail(s, -EBUSY, "%s: %s", s->path, strerror(e));
		else
			ret = fail(s, -EIO, "%s: open: %s", s->path, strerror(e));
		goto err_open;
	}
	ret = configure(s);
	if (ret < 0)
		goto err_cfg;
	s->cfg.log = cfg->log;
	*out = s;
	return 0;

err_cfg:
	close(s->fd);
err_open:
	if (err)
		snprintf(err, errlen, "%s", s->err);
	free(s);
	return ret;
}

void nb_spidev_close(struct nb_spidev *s)
{
	if (!s)
		return;
	close(s->fd);
	free(s);
}

struct nb_gspi_bus nb_spidev_gspi(struct nb_spidev *s)
{
	struct nb_gspi_bus b = { .ops = &spidev_gspi_ops, .ctx = s };

	return b;
}

uint32_t nb_spidev_clock(const struct nb_spidev *s)
{
	return s->hz;
}

const char *nb_spidev_last_error(const struct nb_spidev *s)
{
	return s->err;
}

const struct nb_spidev_stats *nb_spidev_stats(const struct nb_spidev *s)
{
	return &s->stats;
}
