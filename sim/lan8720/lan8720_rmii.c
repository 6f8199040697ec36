/* SPDX-License-Identifier: MIT */
/* LAN8720A frame side: the MAC-facing RMII port and the MDI end on the wire (reference §7). */
#include "sim/lan8720/lan8720_priv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/util/crc32.h"

#define ETH_MIN_FRAME 64u
#define ETH_MAX_FRAME 1522u /* 1518 + 802.1Q tag */
#define WIRE_OVERHEAD 20u   /* preamble + SFD + IFG bytes, as the wire counts them */

static void notify(struct nb_lan8720_model *m)
{
	if (m->notify)
		m->notify(m->notify_ctx);
}

/* RMII side switched off: its inputs are ignored and its outputs idle. */
static const char *rmii_off_reason(const struct nb_lan8720_model *m)
{
	if (m->nrst_low)
		return "nRST is low";
	if (m->soft_reset)
		return "soft reset in progress";
	if (lan_powered_down(m))
		return m->mode110 ? "powered down (MODE=110)" : "powered down (BMCR.11)";
	if (m->r[LAN_BMCR] & BMCR_ISOLATE)
		return "isolated (BMCR.10)";
	return NULL;
}

static bool loop_mode(const struct nb_lan8720_model *m)
{
	return (m->r[LAN_BMCR] & BMCR_LOOPBACK) && !rmii_off_reason(m);
}

static void tx_pop(struct nb_lan8720_model *m)
{
	m->tx_head = (m->tx_head + 1) % m->cfg.tx_queue;
	m->tx_count--;
}

static void tx_space_back(struct nb_lan8720_model *m)
{
	if (m->tx_blocked && m->tx_count < m->cfg.tx_queue) {
		m->tx_blocked = false;
		notify(m);
	}
}

static struct lan_rx_slot *rx_push(struct nb_lan8720_model *m, const uint8_t *data, size_t len,
				   uint32_t flags)
{
	struct lan_rx_slot *s;

	if (m->rx_count == m->cfg.rx_queue) {
		m->stats.rx_overflow++;
		return NULL;
	}
	s = &m->rx[(m->rx_head + m->rx_count) % m->cfg.rx_queue];
	memcpy(s->data, data, len);
	s->len = len;
	s->flags = flags;
	m->rx_count++;
	m->stats.rmii_rx_frames++;
	return s;
}

/* Frames waiting when the path changes (link down, loopback on/off) are lost. */
void lan_rmii_state_changed(struct nb_lan8720_model *m)
{
	bool loop = loop_mode(m);

	if (m->tx_count && (loop != m->tx_loop || (!loop && !m->link))) {
		while (m->tx_count) {
			tx_pop(m);
			m->stats.tx_no_link++;
		}
		nb_sim_timer_cancel(m->sim, &m->t_loop);
	}
	m->tx_loop = loop;
	tx_space_back(m);
}

static void tx_drain(struct nb_lan8720_model *m)
{
	uint64_t now = nb_sim_now(m->sim);

	while (m->tx_count) {
		struct lan_tx_slot *s = &m->tx[m->tx_head];

		if (m->tx_loop) {
			if (s->due > now) {
				(void)nb_sim_timer_arm(m->sim, &m->t_loop, s->due);
				break;
			}
			if (rx_push(m, s->data, s->len, 0))
				notify(m);
		} else {
			int ret;

			/* The wire reports room before it reports a pulled cable: frames wait
			 * for the link-down that follows, which counts them once. */
			if (!m->wire || nb_wire_tx_space(m->wire, m->end) == 0 ||
			    !nb_wire_carrier(m->wire, m->end))
				break;
			ret = nb_wire_send(m->wire, m->end, s->data, s->len, 0);
			if (ret == -EAGAIN)
				break;
			if (ret < 0)
				m->stats.tx_no_link++;
		}
		tx_pop(m);
	}
	tx_space_back(m);
}

static void loop_timer(void *ctx)
{
	tx_drain(ctx);
}

/* ---- MAC side ------------------------------------------------------------------------- */

static int rmii_tx(void *ctx, const struct nb_iov *iov, unsigned niov)
{
	struct nb_lan8720_model *m = ctx;
	const char *off;
	struct lan_tx_slot *s;
	size_t total = 0;

	if (!iov || niov == 0)
		return -EINVAL;
	for (unsigned i = 0; i < niov; i++) {
		if (!iov[i].base && iov[i].len)
			return -EINVAL;
		total += iov[i].len;
	}
	if (total > LAN_FRAME_MAX) {
		lan_violation(m, "RMII TX frame of %zu bytes: longer than the 2048 the model carries",
			      total);
		return -EMSGSIZE;
	}
	if (total < ETH_MIN_FRAME || total > ETH_MAX_FRAME)
		lan_violation(m, "RMII TX frame of %zu bytes, outside 64..1522 (FCS included)",
			      total);
	off = rmii_off_reason(m);
	if (off || (m->r[LAN_MCSR] & MCSR_FARLOOP)) {
		/* TX_EN/TXD are ignored: the frame is lost, as on silicon. */
		if (off)
			lan_violation(m, "RMII TX (%zu bytes) while %s: frame lost", total, off);
		m->stats.rmii_tx_frames++;
		m->stats.tx_no_link++;
		return 0;
	}
	if (m->tx_count == m->cfg.tx_queue) {
		m->tx_blocked = true;
		return -EAGAIN;
	}
	m->stats.rmii_tx_frames++;
	if (!m->tx_loop) {
		if (!m->link) {
			m->stats.tx_no_link++;
			return 0;
		}
		if (m->port_speed != m->speed) {
			/* The MAC clocks dibits at the other rate: garbage on the line. */
			m->stats.rmii_speed_mismatch++;
			return 0;
		}
		if (!m->wire)
			return 0; /* the built-in partner takes it */
	}
	s = &m->tx[(m->tx_head + m->tx_count) % m->cfg.tx_queue];
	s->len = 0;
	for (unsigned i = 0; i < niov; i++) {
		if (iov[i].len)
			memcpy(s->data + s->len, iov[i].base, iov[i].len);
		s->len += iov[i].len;
	}
	if (m->tx_loop) {
		/* Near-end loopback: back to RXD after the frame's time at the BMCR speed. */
		uint64_t now = nb_sim_now(m->sim);
		unsigned speed = m->r[LAN_BMCR] & BMCR_SPEED100 ? 100 : 10;
		uint64_t start = m->loop_busy > now ? m->loop_busy : now;

		m->loop_busy = start + (uint64_t)(total + WIRE_OVERHEAD) * 8000u / speed;
		s->due = m->loop_busy;
		m->tx_count++;
		if (!nb_sim_timer_armed(&m->t_loop))
			(void)nb_sim_timer_arm(m->sim, &m->t_loop, m->tx[m->tx_head].due);
		return 0;
	}
	if (m->tx_count == 0 && nb_wire_tx_space(m->wire, m->end) > 0) {
		int ret = nb_wire_send(m->wire, m->end, s->data, s->len, 0);

		if (ret == 0)
			return 0;
		if (ret != -EAGAIN) {
			m->stats.tx_no_link++;
			return 0;
		}
	}
	m->tx_count++; /* waits in the FIFO for room on the line */
	return 0;
}

static int rmii_tx_space(void *ctx)
{
	struct nb_lan8720_model *m = ctx;
	int space = m->cfg.tx_queue - m->tx_count;

	if (!m->tx_loop && m->tx_count == 0 && m->wire && m->link)
		space += nb_wire_tx_space(m->wire, m->end);
	/* A MAC that saw a full FIFO waits for the TX-complete interrupt, as it would after a
	 * refused frame: arm the same notification. */
	if (space <= 0)
		m->tx_blocked = true;
	return space;
}

static int rmii_rx_peek(void *ctx, struct nb_rmii_rx *rx)
{
	struct nb_lan8720_model *m = ctx;
	const struct lan_rx_slot *s;

	if (!m->rx_count)
		return -EAGAIN;
	s = &m->rx[m->rx_head];
	rx->data = s->data;
	rx->len = s->len;
	rx->flags = s->flags;
	m->rx_peeked = true;
	return 0;
}

static void rmii_rx_release(void *ctx)
{
	struct nb_lan8720_model *m = ctx;

	if (!m->rx_peeked || !m->rx_count)
		return;
	m->rx_peeked = false;
	m->rx_head = (m->rx_head + 1) % m->cfg.rx_queue;
	m->rx_count--;
}

static int rmii_set_notify(void *ctx, nb_rmii_notify_fn fn, void *fn_ctx)
{
	struct nb_lan8720_model *m = ctx;

	m->notify = fn;
	m->notify_ctx = fn ? fn_ctx : NULL;
	return 0;
}

static int rmii_set_speed(void *ctx, uint16_t mbps, bool full_duplex)
{
	struct nb_lan8720_model *m = ctx;

	(void)full_duplex; /* RMII carries no duplex; the PHY's CRS_DV handles it */
	if (mbps != 10 && mbps != 100)
		return -EINVAL;
	m->port_speed = mbps;
	return 0;
}

static uint32_t rmii_rx_dropped(void *ctx)
{
	const struct nb_lan8720_model *m = ctx;

	return (uint32_t)m->stats.rx_overflow;
}

const struct nb_rmii_ops lan_rmii_ops = {
	.tx = rmii_tx,
	.tx_space = rmii_tx_space,
	.rx_peek = rmii_rx_peek,
	.rx_release = rmii_rx_release,
	.set_notify = rmii_set_notify,
	.set_speed = rmii_set_speed,
	.rx_dropped = rmii_rx_dropped,
};

/* ---- line side ------------------------------------------------------------------------ */

int lan_rx_from_line(struct nb_lan8720_model *m, const uint8_t *frame, size_t len,
		     uint32_t wire_flags)
{
	struct lan_rx_slot *s;
	uint32_t flags = 0;

	if (!frame)
		return -EINVAL;
	if (len > LAN_FRAME_MAX)
		return -EMSGSIZE;
	if (!m->link || !lan_pma_active(m)) {
		m->stats.rx_no_link++;
		return -ENOLINK;
	}
	if (wire_flags & NB_WIRE_F_SYMBOL_ERR) {
		flags |= NB_RMII_RX_ERR;
		m->stats.rx_symbol_errors++;
		/* Reg 26 counts bad code groups at 100BASE-TX only, at most once a frame. */
		if (m->speed == 100)
			m->secr++;
	}
	if (m->r[LAN_MCSR] & MCSR_FARLOOP) {
		/* Far loopback (100BASE-TX only): the frame goes back out, the RMII side is
		 * isolated. */
		if (m->speed == 100 && m->wire &&
		    nb_wire_send(m->wire, m->end, frame, len, wire_flags) == 0)
			m->stats.far_loopback++;
		else
			m->stats.rx_no_link++;
		return -ENOLINK;
	}
	if (m->r[LAN_BMCR] & BMCR_ISOLATE) {
		m->stats.rx_no_link++;
		return -ENOLINK;
	}
	if (m->port_speed != m->speed) {
		m->stats.rmii_speed_mismatch++;
		return -ENOLINK;
	}
	s = rx_push(m, frame, len, flags);
	if (!s)
		return -ENOBUFS;
	if (m->corrupt_rx && len) {
		m->corrupt_rx--;
		s->data[len - 1] ^= 0xA5;
	}
	/* What the MAC's FCS check will say (CRC over frame + FCS = residue). */
	if (len < 4 || nb_crc32_slice8(0, s->data, len) != NB_CRC32_RESIDUE)
		m->stats.rx_fcs_errors++;
	notify(m);
	return 0;
}

static void wire_rx(void *ctx, const uint8_t *frame, size_t len, uint32_t flags)
{
	(void)lan_rx_from_line(ctx, frame, len, flags);
}

static void wire_carrier(void *ctx, bool present)
{
	(void)present; /* lan_signal() asks the wire */
	lan_signal_changed(ctx);
}

static void wire_tx_space(void *ctx)
{
	tx_drain(ctx);
}

const struct nb_wire_end_ops lan_wire_ops = {
	.rx = wire_rx,
	.carrier = wire_carrier,
	.tx_space = wire_tx_space,
};

int lan_rmii_init(struct nb_lan8720_model *m)
{
	m->rx = calloc(m->cfg.rx_queue, sizeof(*m->rx));
	m->tx = calloc(m->cfg.tx_queue, sizeof(*m->tx));
	if (!m->rx || !m->tx)
		return -ENOMEM;
	nb_sim_timer_init(&m->t_loop, loop_timer, m);
	m->port_speed = 100;
	return 0;
}

void lan_rmii_free(struct nb_lan8720_model *m)
{
	nb_sim_timer_cancel(m->sim, &m->t_loop);
	free(m->rx);
	free(m->tx);
}
