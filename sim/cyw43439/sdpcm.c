/* SPDX-License-Identifier: MIT */
/* CYW43439 model: SDPCM on F2 (§3.1, §3.2). One frame per F2 transaction both ways; the
 * chip→host queue (status-register packet length, F2_PACKET_AVAILABLE); host frame checks
 * (length/complement, sequence vs credit, channel, header length); the firmware's host frame
 * buffers (control frames until answered, data frames until on the air) and the credit window
 * computed from them (§3.2.6). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cyw43439/model_priv.h"

#define HDR_LEN 12u
#define AIR_OVERHEAD_BYTES 60u /* preamble, MAC header, FCS, IFS, ACK: a flat approximation */

static void ioctl_fire(void *ctx);
static void air_fire(void *ctx);

int cy_sdpcm_alloc(struct nb_cyw43439_model *m)
{
	m->rxq_cap = m->cfg.rx_queue + CY_RXQ_RESERVE;
	m->rxq = calloc(m->rxq_cap, sizeof(*m->rxq));
	if (!m->rxq)
		return -ENOMEM;
	nb_sim_timer_init(&m->ioctl_timer, ioctl_fire, m);
	nb_sim_timer_init(&m->air_timer, air_fire, m);
	return 0;
}

void cy_sdpcm_free(struct nb_cyw43439_model *m)
{
	nb_sim_timer_cancel(m->sim, &m->ioctl_timer);
	nb_sim_timer_cancel(m->sim, &m->air_timer);
	free(m->rxq);
	m->rxq = NULL;
}

void cy_sdpcm_reset(struct nb_cyw43439_model *m)
{
	nb_sim_timer_cancel(m->sim, &m->ioctl_timer);
	nb_sim_timer_cancel(m->sim, &m->air_timer);
	m->rxq_head = m->rxq_count = 0;
	m->rx_seq = 0;
	m->tx_expect = 0;
	m->credit_adv = 1; /* every host starts with "one frame allowed" (§3.2.6) */
	m->credit_frozen = false;
	m->window = m->cfg.credit_window;
	m->flow_control = 0;
	m->ctrlq_head = m->ctrlq_count = 0;
	m->airq_head = m->airq_count = 0;
}

/* ---- credit ------------------------------------------------------------------------------ */

/* What the firmware can grant now: the next expected host sequence plus its free buffers.
 * m->credit_adv is what the host was last told (stamped into a frame it read); a grant is
 * never below it (§3.0 R7). */
static uint8_t grant(const struct nb_cyw43439_model *m)
{
	unsigned busy = m->ctrlq_count + m->airq_count;
	uint8_t target = (uint8_t)(m->tx_expect + (m->window > busy ? m->window - busy : 0));

	if (m->credit_frozen || (uint8_t)(target - m->credit_adv) >= 128)
		return m->credit_adv;
	return target;
}

static bool host_stalled(const struct nb_cyw43439_model *m)
{
	return m->tx_expect == m->credit_adv;
}

void cy_sdpcm_slot_freed(struct nb_cyw43439_model *m)
{
	/* The host used its last credit and nothing queued or coming (an ioctl reply) would
	 * carry a new one: send a header-only frame (§3.9). Channel 1: Embassy only logs a
	 * warning for an empty event frame. soypat rejects such frames (§3.0 R8); real
	 * firmware sends them too. */
	if (!host_stalled(m) || grant(m) == m->credit_adv || m->rxq_count || m->ctrlq_count)
		return;
	if (!cy_sdpcm_queue(m, 1, HDR_LEN, NULL, 0, false))
		m->stats.credit_frames++;
}

void cy_sdpcm_set_window(struct nb_cyw43439_model *m, unsigned window)
{
	if (!window) {
		m->credit_frozen = true;
		return;
	}
	m->credit_frozen = false;
	m->window = (uint8_t)NB_MIN(window, (unsigned)NB_CYW43439_MAX_CREDIT_WINDOW);
	if (cy_fw_running(m))
		cy_sdpcm_slot_freed(m);
}

/* ---- chip → host -------------------------------------------------------------------------- */

static struct cy_rx_slot *slot_at(struct nb_cyw43439_model *m, unsigned i)
{
	return &m->rxq[(m->rxq_head + i) % m->rxq_cap];
}

size_t cy_sdpcm_pending_len(const struct nb_cyw43439_model *m)
{
	return m->rxq_count ? m->rxq[m->rxq_head].len : 0;
}

static unsigned limit_for(const struct nb_cyw43439_model *m, unsigned chan)
{
	/* Control replies must never be lost (§3.0 R5): they may use the reserve. */
	if (chan == 0)
		return m->rxq_cap;
	if (chan == 1)
		return m->rxq_cap - CY_RXQ_RESERVE / 2;
	return m->cfg.rx_queue;
}

static void frame_queued(struct nb_cyw43439_model *m)
{
	m->sdio_intstatus |= 0x40; /* I_HMB_FRAME_IND: F1_INTR in F0 0x04 as observed (§1.9) */
	cy_update_irq(m);
}

int cy_sdpcm_queue(struct nb_cyw43439_model *m, unsigned chan, unsigned hdrlen,
		   const uint8_t *payload, size_t len, bool pad_short)
{
	size_t total = hdrlen + len;
	struct cy_rx_slot *s;

	if (pad_short && !m->cfg.no_short_pad && total < 256)
		total += (256 - total + 3) & ~(size_t)3; /* 256..259 bytes (§3.3.3) */
	if (total > CY_HOST_FRAME_MAX)
		return -EMSGSIZE;
	if (m->rxq_count >= limit_for(m, chan))
		return -ENOSPC;
	s = slot_at(m, m->rxq_count++);
	memset(s->buf, 0, total);
	nb_put_le16(s->buf, (unsigned)total);
	nb_put_le16(s->buf + 2, (unsigned)(~total & 0xFFFF));
	s->buf[5] = (uint8_t)chan;
	s->buf[7] = (uint8_t)hdrlen;
	if (len)
		memcpy(s->buf + hdrlen, payload, len);
	s->len = (uint16_t)total;
	s->kind = RX_BUILT;
	frame_queued(m);
	return 0;
}

int cy_sdpcm_queue_raw(struct nb_cyw43439_model *m, const uint8_t *frame, size_t len)
{
	struct cy_rx_slot *s;

	if (len > CY_F2_MAX || !len)
		return -EMSGSIZE;
	if (m->rxq_count >= m->rxq_cap)
		return -ENOSPC;
	s = slot_at(m, m->rxq_count++);
	memcpy(s->buf, frame, len);
	s->len = (uint16_t)len;
	s->kind = RX_RAW;
	frame_queued(m);
	return 0;
}

static void pop_head(struct nb_cyw43439_model *m)
{
	m->rxq_head = (m->rxq_head + 1) % m->rxq_cap;
	m->rxq_count--;
}

void cy_sdpcm_discard_head(struct nb_cyw43439_model *m)
{
	if (!m->rxq_count)
		return;
	pop_head(m);
	m->stats.frames_discarded++;
	cy_update_irq(m);
}

void cy_sdpcm_host_read(struct nb_cyw43439_model *m, uint8_t *out, size_t n, size_t cmd_len)
{
	struct cy_rx_slot *s;

	if (cy_bus_asleep(m) && cy_violation(m, "F2 read while the bus sleeps (KSO off)"))
		return;
	if (!m->rxq_count) {
		/* Nothing to read: the chip reports "data not available" (§1.9). */
		m->int_latched |= INT_DATA_UNAVAIL;
		m->stats.f2_read_empty++;
		return;
	}
	s = slot_at(m, 0);
	if (s->kind == RX_BUILT) {
		/* Sequence and credit are stamped when the frame leaves, so it carries the
		 * newest credit. */
		s->buf[4] = m->rx_seq++;
		s->buf[8] = m->flow_control;
		s->buf[9] = m->credit_adv = grant(m);
	}
	memcpy(out, s->buf, NB_MIN(n, (size_t)s->len));
	if (cmd_len < s->len)
		cy_violation(m, "F2 read of %zu bytes for a %u-byte frame: the rest is lost", cmd_len,
			     s->len);
	else if (cmd_len > s->len)
		m->int_latched |= INT_RD_UNDERFLOW; /* read past the end of the frame */
	pop_head(m);
	m->stats.f2_chip_frames++;
}

/* ---- host → chip ---------------------------------------------------------------------- */

static void ctrl_push(struct nb_cyw43439_model *m, const uint8_t *f, size_t size)
{
	struct cy_tx_slot *s = &m->ctrlq[(m->ctrlq_head + m->ctrlq_count) % NB_ARRAY_SIZE(m->ctrlq)];

	memcpy(s->buf, f, size);
	s->len = (uint16_t)size;
	if (!m->ctrlq_count++)
		nb_sim_timer_arm_in(m->sim, &m->ioctl_timer, m->cfg.ioctl_ns);
}

static void ioctl_fire(void *ctx)
{
	struct nb_cyw43439_model *m = ctx;
	struct cy_tx_slot *s;

	if (!m->ctrlq_count)
		return;
	s = &m->ctrlq[m->ctrlq_head];
	cy_ioctl_handle(m, s->buf + s->buf[7], s->len - s->buf[7]);
	m->ctrlq_head = (m->ctrlq_head + 1) % NB_ARRAY_SIZE(m->ctrlq);
	m->ctrlq_count--;
	if (m->ctrlq_count)
		nb_sim_timer_arm_in(m->sim, &m->ioctl_timer, m->cfg.ioctl_ns);
	cy_sdpcm_slot_freed(m);
	cy_update_irq(m);
}

static uint64_t air_ns(const struct nb_cyw43439_model *m, size_t len)
{
	return ((uint64_t)(len + AIR_OVERHEAD_BYTES) * 8u * 1000u) / m->cfg.air_mbps;
}

static void air_push(struct nb_cyw43439_model *m, const uint8_t *eth, size_t len)
{
	struct cy_tx_slot *s = &m->airq[(m->airq_head + m->airq_count) % NB_ARRAY_SIZE(m->airq)];

	memcpy(s->buf, eth, len);
	s->len = (uint16_t)len;
	if (!m->airq_count++)
		nb_sim_timer_arm_in(m->sim, &m->air_timer, air_ns(m, len));
}

static void air_fire(void *ctx)
{
	struct nb_cyw43439_model *m = ctx;
	struct cy_tx_slot *s;

	if (!m->airq_count)
		return;
	s = &m->airq[m->airq_head];
	cy_data_air_done(m, s->buf, s->len);
	m->airq_head = (m->airq_head + 1) % NB_ARRAY_SIZE(m->airq);
	m->airq_count--;
	if (m->airq_count)
		nb_sim_timer_arm_in(m->sim, &m->air_timer, air_ns(m, m->airq[m->airq_head].len));
	cy_sdpcm_slot_freed(m);
}

static void host_data(struct nb_cyw43439_model *m, const uint8_t *f, unsigned size, unsigned hl)
{
	const uint8_t *bdc = f + hl;
	size_t eth_off, eth_len;

	if (hl != 14 &&
	    cy_violation(m, "data frame with header_length %u (hosts use 12 + 2 pad = 14)", hl))
		return;
	if (size < hl + 4u) {
		cy_violation(m, "data frame of %u bytes has no room for its BDC header", size);
		return;
	}
	if ((bdc[0] >> 4) != 2 &&
	    cy_violation(m, "BDC version %u in a data frame (must be 2)", bdc[0] >> 4))
		return;
	eth_off = hl + 4u + 4u * bdc[3];
	eth_len = size > eth_off ? size - eth_off : 0;
	if (eth_len < 14) {
		cy_violation(m, "data frame carries %zu bytes of Ethernet (BDC data offset %u)",
			     eth_len, bdc[3]);
		return;
	}
	if (eth_len > CY_ETH_MAX) {
		cy_violation(m, "Ethernet frame of %zu bytes is too long for the radio (max %u)",
			     eth_len, CY_ETH_MAX);
		return;
	}
	/* The Ethernet length comes from the SDPCM size ("clean" model, §3.1): a driver that
	 * rounds the gSPI length up does not grow the frame here. */
	if (cy_data_tx(m, f + eth_off, eth_len))
		air_push(m, f + eth_off, eth_len);
}

void cy_sdpcm_host_write(struct nb_cyw43439_model *m, const uint8_t *f, size_t n, size_t cmd_len)
{
	unsigned size, hl, chan;
	uint8_t seq;

	(void)cmd_len;
	m->stats.f2_host_frames++;
	if (!m->f2_ready) {
		cy_violation(m, "F2 write before the chip reported F2 ready (§2.10 I9)");
		return; /* no firmware to take it, in lax mode too */
	}
	if (cy_bus_asleep(m) && cy_violation(m, "F2 write while the bus sleeps (KSO off)"))
		return;
	if (n < HDR_LEN) {
		cy_violation(m, "F2 write of %zu bytes is shorter than an SDPCM header", n);
		return;
	}
	size = nb_get_le16(f);
	if ((size ^ nb_get_le16(f + 2)) != 0xFFFF) {
		if (cy_violation(m, "SDPCM length/complement mismatch (0x%04x / 0x%04x)", size,
				 nb_get_le16(f + 2)))
			return;
	}
	if (size > n) {
		if (cy_violation(m, "SDPCM size %u is larger than the %zu bytes written", size, n))
			return;
		size = (unsigned)n;
	}
	if (size < HDR_LEN || size > CY_TX_SLOT) {
		cy_violation(m, "SDPCM size %u outside %u..%u", size, HDR_LEN, CY_TX_SLOT);
		return;
	}
	seq = f[4];
	/* Past the credit: the firmware has no buffer for it (§3.2.6). */
	if ((uint8_t)(seq - m->credit_adv) < 128 &&
	    cy_violation(m, "host sequence %u is past the credit %u (§3.2.6)", seq,
			 m->credit_adv))
		return;
	if (m->ctrlq_count + m->airq_count >= NB_ARRAY_SIZE(m->ctrlq)) {
		cy_violation(m, "F2 frame while all %zu firmware buffers are busy: dropped",
			     NB_ARRAY_SIZE(m->ctrlq));
		return;
	}
	if (seq != m->tx_expect)
		m->stats.seq_gaps++;
	m->tx_expect = (uint8_t)(seq + 1);
	chan = f[5] & 0x0F;
	hl = f[7];
	if (hl < HDR_LEN || hl > size) {
		cy_violation(m, "SDPCM header_length %u outside 12..%u", hl, size);
		goto out;
	}
	switch (chan) {
	case 0:
		if (size - hl < 16) {
			cy_violation(m, "control frame without a complete CDC header (%u bytes)",
				     size - hl);
			goto out;
		}
		ctrl_push(m, f, size);
		break;
	case 2:
		host_data(m, f, size, hl);
		break;
	default:
		cy_violation(m, "SDPCM channel %u from the host (only 0 control and 2 data)", chan);
		break;
	}
out:
	cy_sdpcm_slot_freed(m);
}
