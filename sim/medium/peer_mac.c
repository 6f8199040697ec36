/* SPDX-License-Identifier: MIT */
#include "sim/medium/peer_mac.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/netdev/netdev.h"
#include "drivers/util/compiler.h"

struct nb_peer_mac {
	struct nb_wire *wire;
	int end;
	const struct nb_peer_mac_ops *ops;
	void *ctx;
	struct nb_peer_mac_cfg cfg;
	struct nb_peer_mac_stats stats;
	bool up;
	bool link;         /* the partner PHY's link, as set_link() says */
	bool reported;     /* carrier last reported to the sink */
	size_t tx_pending;  /* length (with pad and FCS) of a frame waiting in tx_buf, 0: none */
	size_t tx_body;     /* its length as the source gave it */
	uint8_t *tx_buf;    /* max_frame + FCS */
	size_t slot_size;   /* hold slot: 2-byte length + frame */
	uint8_t *hold;
	unsigned hold_head, hold_count;
};

static uint8_t *hold_slot(struct nb_peer_mac *pm, unsigned idx)
{
	return pm->hold + (size_t)(idx % pm->cfg.hold_frames) * pm->slot_size;
}

static int hold_push(struct nb_peer_mac *pm, const uint8_t *frame, size_t len)
{
	uint8_t *slot;

	if (pm->hold_count == pm->cfg.hold_frames) {
		pm->stats.rx_overflow++;
		return -ENOBUFS;
	}
	slot = hold_slot(pm, pm->hold_head + pm->hold_count);
	nb_put_le16(slot, (unsigned)len);
	memcpy(slot + 2, frame, len);
	pm->hold_count++;
	pm->stats.rx_held++;
	return 0;
}

static void count_delivered(struct nb_peer_mac *pm, int ret, size_t len)
{
	if (ret < 0) {
		pm->stats.rx_refused++;
		return;
	}
	pm->stats.rx_frames++;
	pm->stats.rx_bytes += len;
}

int nb_peer_mac_flush_rx(struct nb_peer_mac *pm)
{
	int taken = 0;

	while (pm->hold_count > 0) {
		uint8_t *slot = hold_slot(pm, pm->hold_head);
		size_t len = nb_get_le16(slot);
		int ret = pm->ops->deliver(pm->ctx, slot + 2, len);

		if (ret == -EAGAIN)
			break;
		count_delivered(pm, ret, len);
		taken += ret == 0;
		pm->hold_head = (pm->hold_head + 1) % pm->cfg.hold_frames;
		pm->hold_count--;
	}
	return taken;
}

static void wire_rx(void *ctx, const uint8_t *frame, size_t len, uint32_t flags)
{
	struct nb_peer_mac *pm = ctx;
	size_t body;
	int ret;

	if (flags & NB_WIRE_F_SYMBOL_ERR) {
		pm->stats.rx_symbol_errors++;
		return;
	}
	if (len < NB_ETH_MIN_FRAME + NB_ETH_FCS_LEN) {
		pm->stats.rx_runts++;
		return;
	}
	if (len > (size_t)pm->cfg.max_frame + NB_ETH_FCS_LEN) {
		pm->stats.rx_oversize++;
		return;
	}
	if (pm->cfg.crc32(0, frame, len) != NB_CRC32_RESIDUE) {
		pm->stats.rx_fcs_errors++;
		return;
	}
	body = len - NB_ETH_FCS_LEN;
	if (pm->hold_count > 0) {
		(void)nb_peer_mac_flush_rx(pm);
		if (pm->hold_count > 0) {
			(void)hold_push(pm, frame, body); /* behind the others; counted if full */
			return;
		}
	}
	ret = pm->ops->deliver(pm->ctx, frame, body);
	if (ret == -EAGAIN)
		(void)hold_push(pm, frame, body);
	else
		count_delivered(pm, ret, body);
}

static void report_carrier(struct nb_peer_mac *pm)
{
	bool now = nb_peer_mac_carrier(pm);

	if (now == pm->reported)
		return;
	pm->reported = now;
	if (pm->ops->carrier)
		pm->ops->carrier(pm->ctx, now);
}

static void wire_carrier(void *ctx, bool present)
{
	(void)present;
	report_carrier(ctx);
}

static const struct nb_wire_end_ops peer_end_ops = {
	.rx = wire_rx,
	.carrier = wire_carrier,
};

struct nb_peer_mac *nb_peer_mac_new(struct nb_wire *wire, int end,
				    const struct nb_peer_mac_ops *ops, void *ctx,
				    const struct nb_peer_mac_cfg *cfg)
{
	struct nb_peer_mac *pm = calloc(1, sizeof(*pm));

	if (!pm)
		return NULL;
	if (cfg)
		pm->cfg = *cfg;
	if (!pm->cfg.hold_frames)
		pm->cfg.hold_frames = 64;
	if (!pm->cfg.max_frame)
		pm->cfg.max_frame = NB_ETH_MAX_FRAME_VLAN;
	if (!pm->cfg.tx_budget)
		pm->cfg.tx_budget = 32;
	if (!pm->cfg.crc32)
		pm->cfg.crc32 = nb_crc32_slice8;
	pm->slot_size = (2u + pm->cfg.max_frame + 3u) & ~(size_t)3u;
	pm->tx_buf = malloc((size_t)pm->cfg.max_frame + NB_ETH_FCS_LEN);
	pm->hold = malloc(pm->slot_size * pm->cfg.hold_frames);
	if (!pm->tx_buf || !pm->hold) {
		nb_peer_mac_free(pm);
		return NULL;
	}
	pm->wire = wire;
	pm->end = end & 1;
	pm->ops = ops;
	pm->ctx = ctx;
	nb_wire_attach(wire, pm->end, &peer_end_ops, pm);
	return pm;
}

void nb_peer_mac_free(struct nb_peer_mac *pm)
{
	if (!pm)
		return;
	if (pm->wire) {
		nb_wire_set_end_up(pm->wire, pm->end, false);
		nb_wire_attach(pm->wire, pm->end, NULL, NULL);
	}
	free(pm->tx_buf);
	free(pm->hold);
	free(pm);
}

void nb_peer_mac_set_up(struct nb_peer_mac *pm, bool up)
{
	pm->up = up;
	nb_wire_set_end_up(pm->wire, pm->end, up);
}

void nb_peer_mac_set_link(struct nb_peer_mac *pm, bool up)
{
	if (up == pm->link)
		return;
	pm->link = up;
	report_carrier(pm);
}

bool nb_peer_mac_carrier(const struct nb_peer_mac *pm)
{
	return pm->link && nb_wire_carrier(pm->wire, pm->end);
}

bool nb_peer_mac_tx_ready(const struct nb_peer_mac *pm)
{
	if (pm->tx_pending)
		return false;
	/* Without carrier frames are taken and lost (counted), as a MAC with its link down
	 * would; a source is never left to pile up stale frames. */
	return !nb_peer_mac_carrier(pm) || nb_wire_tx_space(pm->wire, pm->end) > 0;
}

bool nb_peer_mac_rx_blocked(const struct nb_peer_mac *pm)
{
	return pm->hold_count > 0;
}

int nb_peer_mac_pump_tx(struct nb_peer_mac *pm)
{
	int moved = 0;

	for (unsigned i = 0; i < pm->cfg.tx_budget; i++) {
		int ret;

		if (!pm->tx_pending) {
			size_t len;

			if (!nb_peer_mac_tx_ready(pm))
				break;
			ret = pm->ops->next_tx(pm->ctx, pm->tx_buf, pm->cfg.max_frame);
			if (ret == 0 || ret == -EAGAIN)
				break;
			if (ret < 0) {
				pm->stats.tx_source_errors++;
				continue;
			}
			len = (size_t)ret;
			if (len > pm->cfg.max_frame) {
				pm->stats.tx_oversize++;
				continue;
			}
			pm->tx_body = len;
			if (len < NB_ETH_MIN_FRAME) {
				memset(pm->tx_buf + len, 0, NB_ETH_MIN_FRAME - len);
				len = NB_ETH_MIN_FRAME;
				pm->stats.tx_padded++;
			}
			nb_put_le32(pm->tx_buf + len, pm->cfg.crc32(0, pm->tx_buf, len));
			pm->tx_pending = len + NB_ETH_FCS_LEN;
		}
		/* The wire only knows about signal; the partner's MAC also needs its PHY's link. */
		ret = nb_peer_mac_carrier(pm)
			      ? nb_wire_send(pm->wire, pm->end, pm->tx_buf, pm->tx_pending, 0)
			      : -ENOLINK;
		if (ret == -EAGAIN) {
			pm->stats.tx_deferred++;
			break;
		}
		pm->tx_pending = 0;
		moved++;
		if (ret < 0) {
			pm->stats.tx_no_carrier++;
		} else {
			pm->stats.tx_frames++;
			pm->stats.tx_bytes += pm->tx_body;
		}
	}
	return moved;
}

const struct nb_peer_mac_stats *nb_peer_mac_stats(const struct nb_peer_mac *pm)
{
	return &pm->stats;
}
