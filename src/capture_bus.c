/* SPDX-License-Identifier: MIT */
/*
 * Bus monitors: decorators that sit between a driver and its bus backend, like a logic
 * analyser on the lines. They never change what passes; they count it and, with a bus
 * capture open, write one record per transaction (layout: docs/capture.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/sim.h"
#include "src/capture_priv.h"

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static struct nb_bus_mon *mon_new(struct nb_capture *c, const char *name, enum nb_bus_kind kind,
				  uint32_t hz, const char *desc)
{
	struct nb_bus_mon *m = calloc(1, sizeof(*m)), **p;

	if (!m)
		return NULL;
	m->cap = c;
	m->kind = kind;
	m->clock_hz = hz;
	m->ifid = -1;
	snprintf(m->name, sizeof(m->name), "%s", name);
	if (c->bus && kind != NB_BUS_RMII) {
		m->ifid = nb_pcapng_add_if(c->bus, NB_CAPTURE_LINKTYPE_BUS, 65535, name, desc);
		if (m->ifid < 0) {
			int err = m->ifid;

			nb_capture_write_failed(c, c->bus_path, err);
			free(m);
			errno = -err;
			return NULL;
		}
	}
	for (p = &c->buses; *p; p = &(*p)->next)
		;
	*p = m;
	return m;
}

void nb_capture_buses_free(struct nb_capture *c)
{
	while (c->buses) {
		struct nb_bus_mon *m = c->buses;

		c->buses = m->next;
		free(m);
	}
}

static void mon_record(struct nb_bus_mon *m, uint64_t t_ns, size_t len, bool write)
{
	int ret;

	if (m->ifid < 0)
		return;
	ret = nb_pcapng_write(m->cap->bus, (uint32_t)m->ifid, t_ns, m->rec, len, len,
			      write ? NB_PCAPNG_DIR_OUTBOUND : NB_PCAPNG_DIR_INBOUND);
	if (ret < 0)
		nb_capture_write_failed(m->cap, m->cap->bus_path, ret);
}

static void rec_head(struct nb_bus_mon *m, size_t len, uint64_t busy)
{
	m->rec[0] = NB_BUSREC_VERSION;
	m->rec[1] = (uint8_t)m->kind;
	le16(&m->rec[2], (uint16_t)len);
	le32(&m->rec[4], busy > UINT32_MAX ? UINT32_MAX : (uint32_t)busy);
}

/* ---- MDIO (clause 22) ----------------------------------------------------------------- */

#define MDIO_OP_WRITE 1u /* OP field 01 */
#define MDIO_OP_READ 2u  /* OP field 10 */
#define MDIO_F_ANSWERED 1u
#define MDIO_F_ERROR 2u

static void mdio_done(struct nb_bus_mon *m, uint64_t t0, uint64_t c0, uint64_t miss0, bool write,
		      uint8_t phy, uint8_t reg, uint16_t val, int ret)
{
	struct nb_sim *sim = m->cap->sim;
	uint64_t busy = nb_sim_charged(sim) - c0;
	uint8_t flags = 0;

	m->transactions++;
	m->busy_ns += busy;
	if (ret < 0)
		m->errors++;
	else
		m->bytes += 2;
	if (ret >= 0 && (!m->ta_misses || m->ta_misses(m->ta_ctx) == miss0))
		flags |= MDIO_F_ANSWERED;
	if (ret < 0)
		flags |= MDIO_F_ERROR;
	if (m->ifid < 0)
		return;
	rec_head(m, NB_BUSREC_MDIO_LEN, busy);
	m->rec[8] = write ? MDIO_OP_WRITE : MDIO_OP_READ;
	m->rec[9] = phy;
	m->rec[10] = reg;
	m->rec[11] = flags;
	le16(&m->rec[12], val);
	le16(&m->rec[14], (uint16_t)(int16_t)(ret < 0 ? ret : 0));
	mon_record(m, t0, NB_BUSREC_MDIO_LEN, write);
}

static int mon_mdio_read(void *ctx, uint8_t phy, uint8_t reg)
{
	struct nb_bus_mon *m = ctx;
	struct nb_sim *sim = m->cap->sim;
	uint64_t t0 = nb_sim_now(sim), c0 = nb_sim_charged(sim);
	uint64_t miss0 = m->ta_misses ? m->ta_misses(m->ta_ctx) : 0;
	int ret = nb_mdio_read(&m->mdio, phy, reg);

	mdio_done(m, t0, c0, miss0, false, phy, reg, ret < 0 ? 0 : (uint16_t)ret, ret);
	return ret;
}

static int mon_mdio_write(void *ctx, uint8_t phy, uint8_t reg, uint16_t val)
{
	struct nb_bus_mon *m = ctx;
	struct nb_sim *sim = m->cap->sim;
	uint64_t t0 = nb_sim_now(sim), c0 = nb_sim_charged(sim);
	uint64_t miss0 = m->ta_misses ? m->ta_misses(m->ta_ctx) : 0;
	int ret = nb_mdio_write(&m->mdio, phy, reg, val);

	mdio_done(m, t0, c0, miss0, true, phy, reg, val, ret);
	return ret;
}

static const struct nb_mdio_ops mon_mdio_ops = {
	.read = mon_mdio_read,
	.write = mon_mdio_write,
};

int nb_capture_mdio(struct nb_capture *c, const char *name, struct nb_mdio_bus *bus,
		    uint32_t mdc_hz, nb_capture_ta_misses_fn ta_misses, void *ta_ctx)
{
	char desc[64];
	struct nb_bus_mon *m;

	if (!c)
		return 0;
	snprintf(desc, sizeof(desc), "MDIO clause 22, MDC %u Hz", mdc_hz);
	m = mon_new(c, name, NB_BUS_MDIO, mdc_hz, desc);
	if (!m)
		return -errno;
	m->mdio = *bus;
	m->ta_misses = ta_misses;
	m->ta_ctx = ta_ctx;
	bus->ops = &mon_mdio_ops;
	bus->ctx = m;
	return 0;
}

/* ---- gSPI ------------------------------------------------------------------------------ */

#define GSPI_MODE_32 1u
#define GSPI_MODE_BIG 2u
#define GSPI_F_WRITE 1u
#define GSPI_F_STATUS 2u
#define GSPI_F_ERROR 4u

/* One 32-bit word from its 4 wire bytes in the word mode in force (reference §1.5). */
static uint32_t wire_word(const uint8_t *b, uint8_t mode)
{
	if (!(mode & GSPI_MODE_32))
		return (uint32_t)b[0] << 8 | b[1] | (uint32_t)b[2] << 24 | (uint32_t)b[3] << 16;
	if (mode & GSPI_MODE_BIG)
		return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t cmd_len(uint32_t cmd)
{
	uint32_t len = cmd & 0x7FFu;

	return len ? len : 2048u;
}

/* The host reads the test register in 16-bit mode after every power-up; a monitor that
 * only sees the bus learns of the power cycle from that command. */
static void gspi_begin(struct nb_bus_mon *m, const uint8_t wire[4], uint32_t *cmd)
{
	uint32_t cmd16 = wire_word(wire, 0);

	if (m->mode && (cmd16 & ~(1u << 30)) == ((0x14u << 11) | 4u))
		m->mode = 0;
	*cmd = wire_word(wire, m->mode);
}

static void gspi_done(struct nb_bus_mon *m, uint64_t t0, uint64_t c0, uint32_t cmd,
		      const uint8_t *data, size_t len, int ret)
{
	struct nb_sim *sim = m->cap->sim;
	uint64_t busy = nb_sim_charged(sim) - c0;
	bool write = cmd >> 31;
	unsigned func = (cmd >> 28) & 3u;
	uint32_t addr = (cmd >> 11) & 0x1FFFFu;
	uint8_t st[NB_GSPI_STATUS_LEN], flags = write ? GSPI_F_WRITE : 0, mode = m->mode;
	uint32_t status = 0;
	size_t pad = 0, n, words;

	if (!write && func == 1 && len > ((cmd_len(cmd) + 3u) & ~3u))
		pad = len - ((cmd_len(cmd) + 3u) & ~3u);
	n = len - pad;
	m->transactions++;
	m->busy_ns += busy;
	if (ret < 0) {
		m->errors++;
		flags |= GSPI_F_ERROR;
	} else {
		m->bytes += n;
		if (nb_gspi_last_status(&m->gspi, st) == 0) {
			status = wire_word(st, mode);
			flags |= GSPI_F_STATUS;
		}
		/* The bus-control write takes effect on the next transaction (§1.5). */
		if (write && func == 0 && addr == 0 && len >= 4)
			m->mode = (uint8_t)(wire_word(data, mode) & 3u);
		else if (write && func == 0 && addr == 0 && len >= 2 && !(mode & GSPI_MODE_32))
			m->mode = data[1] & 3u;
	}
	if (m->ifid < 0)
		return;
	if (n > NB_BUSREC_MAX_DATA)
		n = NB_BUSREC_MAX_DATA;
	rec_head(m, NB_BUSREC_GSPI_HDR + n, busy);
	le32(&m->rec[8], cmd);
	m->rec[12] = mode;
	m->rec[13] = flags;
	le16(&m->rec[14], (uint16_t)pad);
	le32(&m->rec[16], status);
	le32(&m->rec[20], (uint32_t)ret);
	le32(&m->rec[24], (uint32_t)n);
	/* Data in chip memory order: each whole wire word as a little-endian value. */
	words = ret < 0 ? 0 : n / 4u;
	for (size_t i = 0; i < words; i++)
		le32(&m->rec[NB_BUSREC_GSPI_HDR + 4 * i], wire_word(data + pad + 4 * i, mode));
	if (ret < 0)
		memset(&m->rec[NB_BUSREC_GSPI_HDR], 0, n);
	else
		memcpy(&m->rec[NB_BUSREC_GSPI_HDR + 4 * words], data + pad + 4 * words,
		       n - 4 * words);
	mon_record(m, t0, NB_BUSREC_GSPI_HDR + n, write);
}

static int mon_gspi_read(void *ctx, const uint8_t cmd[4], uint8_t *rx, size_t rx_len)
{
	struct nb_bus_mon *m = ctx;
	struct nb_sim *sim = m->cap->sim;
	uint64_t t0 = nb_sim_now(sim), c0 = nb_sim_charged(sim);
	uint32_t word;
	int ret;

	gspi_begin(m, cmd, &word);
	ret = nb_gspi_cmd_read(&m->gspi, cmd, rx, rx_len);
	gspi_done(m, t0, c0, word, rx, rx_len, ret);
	return ret;
}

static int mon_gspi_write(void *ctx, const uint8_t cmd[4], const uint8_t *tx, size_t tx_len)
{
	struct nb_bus_mon *m = ctx;
	struct nb_sim *sim = m->cap->sim;
	uint64_t t0 = nb_sim_now(sim), c0 = nb_sim_charged(sim);
	uint32_t word;
	int ret;

	gspi_begin(m, cmd, &word);
	ret = nb_gspi_cmd_write(&m->gspi, cmd, tx, tx_len);
	gspi_done(m, t0, c0, word, tx, tx_len, ret);
	return ret;
}

static int mon_gspi_status(void *ctx, uint8_t status[NB_GSPI_STATUS_LEN])
{
	struct nb_bus_mon *m = ctx;

	return nb_gspi_last_status(&m->gspi, status);
}

static const struct nb_gspi_ops mon_gspi_ops = {
	.cmd_read = mon_gspi_read,
	.cmd_write = mon_gspi_write,
	.last_status = mon_gspi_status,
};

int nb_capture_gspi(struct nb_capture *c, const char *name, struct nb_gspi_bus *bus,
		    uint32_t hz)
{
	char desc[64];
	struct nb_bus_mon *m;

	if (!c)
		return 0;
	snprintf(desc, sizeof(desc), "gSPI, clock %u Hz", hz);
	m = mon_new(c, name, NB_BUS_GSPI, hz, desc);
	if (!m)
		return -errno;
	m->gspi = *bus;
	bus->ops = &mon_gspi_ops;
	bus->ctx = m;
	return 0;
}

/* ---- RMII ------------------------------------------------------------------------------ */

/* Preamble (7) + SFD (1): RMII carries them, the frame port does not show them. */
#define RMII_PREAMBLE 8u

static void rmii_count(struct nb_bus_mon *m, size_t len)
{
	m->transactions++;
	m->bytes += len;
	/* 2 bits per 50 MHz REF_CLK at 100 Mb/s; each dibit held 10 clocks at 10 Mb/s. */
	m->busy_ns += (uint64_t)(len + RMII_PREAMBLE) * 8u * 1000u / (m->mbps ? m->mbps : 100u);
}

static int mon_rmii_tx(void *ctx, const struct nb_iov *iov, unsigned niov)
{
	struct nb_bus_mon *m = ctx;
	int ret = nb_rmii_tx(&m->rmii, iov, niov);
	size_t len = 0;

	if (ret == 0) {
		for (unsigned i = 0; i < niov; i++)
			len += iov[i].len;
		rmii_count(m, len);
	}
	return ret;
}

static int mon_rmii_tx_space(void *ctx)
{
	struct nb_bus_mon *m = ctx;

	return nb_rmii_tx_space(&m->rmii);
}

static int mon_rmii_rx_peek(void *ctx, struct nb_rmii_rx *rx)
{
	struct nb_bus_mon *m = ctx;
	int ret = nb_rmii_rx_peek(&m->rmii, rx);

	if (ret == 0) {
		m->peeked = true;
		m->peek_len = rx->len;
	}
	return ret;
}

static void mon_rmii_rx_release(void *ctx)
{
	struct nb_bus_mon *m = ctx;

	if (m->peeked)
		rmii_count(m, m->peek_len);
	m->peeked = false;
	nb_rmii_rx_release(&m->rmii);
}

static int mon_rmii_set_notify(void *ctx, nb_rmii_notify_fn fn, void *fn_ctx)
{
	struct nb_bus_mon *m = ctx;

	return nb_rmii_set_notify(&m->rmii, fn, fn_ctx);
}

static int mon_rmii_set_speed(void *ctx, uint16_t mbps, bool full_duplex)
{
	struct nb_bus_mon *m = ctx;
	int ret = nb_rmii_set_speed(&m->rmii, mbps, full_duplex);

	if (ret == 0)
		m->mbps = mbps;
	return ret;
}

static uint32_t mon_rmii_rx_dropped(void *ctx)
{
	struct nb_bus_mon *m = ctx;

	return nb_rmii_rx_dropped(&m->rmii);
}

static const struct nb_rmii_ops mon_rmii_ops = {
	.tx = mon_rmii_tx,
	.tx_space = mon_rmii_tx_space,
	.rx_peek = mon_rmii_rx_peek,
	.rx_release = mon_rmii_rx_release,
	.set_notify = mon_rmii_set_notify,
	.set_speed = mon_rmii_set_speed,
	.rx_dropped = mon_rmii_rx_dropped,
};

int nb_capture_rmii(struct nb_capture *c, const char *name, struct nb_rmii_port *port)
{
	struct nb_bus_mon *m;

	if (!c)
		return 0;
	m = mon_new(c, name, NB_BUS_RMII, 50000000u, NULL);
	if (!m)
		return -errno;
	m->rmii = *port;
	m->mbps = 100;
	port->ops = &mon_rmii_ops;
	port->ctx = m;
	return 0;
}
