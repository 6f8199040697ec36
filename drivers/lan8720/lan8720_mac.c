/* SPDX-License-Identifier: MIT */
/* Software MAC over the RMII frame port: padding, FCS, receive checks and address filter. */
#include "drivers/lan8720/lan8720_priv.h"
#include "drivers/util/nb_errno.h"

#include <string.h>

#define ETH_MIN_WIRE (NB_ETH_MIN_FRAME + NB_ETH_FCS_LEN)          /* 64 */
#define ETH_MAX_WIRE (NB_ETH_MAX_FRAME + NB_ETH_FCS_LEN)          /* 1518 */
#define ETH_MAX_WIRE_VLAN (NB_ETH_MAX_FRAME_VLAN + NB_ETH_FCS_LEN) /* 1522 */
#define ETH_P_8021Q 0x8100u

static const uint8_t pad_zeros[NB_ETH_MIN_FRAME];

static bool vlan_tagged(const uint8_t *frame)
{
	return nb_get_be16(frame + 12) == ETH_P_8021Q;
}

int nb_lan8720_mac_send(struct nb_lan8720 *d, const uint8_t *frame, size_t len)
{
	struct nb_iov iov[3];
	unsigned n = 0;
	uint32_t crc;
	int ret;

	/* max_frame admits 1518 for tagged frames; an untagged one that long is not Ethernet. */
	if (len > NB_ETH_MAX_FRAME && !vlan_tagged(frame)) {
		nb_netdev_drop(&d->base, NB_DROP_TX_OVERSIZE);
		return -NB_EMSGSIZE;
	}
	/* No tx_space() check first: a refused tx() is what tells the port to notify when
	 * room comes back. */
	/* The frame goes out in place; pad and FCS follow as their own gather pieces. */
	iov[n++] = (struct nb_iov){ .base = frame, .len = len };
	crc = d->crc32(0, frame, len);
	if (len < NB_ETH_MIN_FRAME) {
		size_t pad = NB_ETH_MIN_FRAME - len;

		iov[n++] = (struct nb_iov){ .base = pad_zeros, .len = pad };
		crc = d->crc32(crc, pad_zeros, pad);
	}
	nb_put_le32(d->fcs, crc);
	iov[n++] = (struct nb_iov){ .base = d->fcs, .len = NB_ETH_FCS_LEN };
	ret = nb_rmii_tx(&d->cfg.rmii, iov, n);
	if (ret == -NB_EAGAIN) {
		nb_lan8720_tx_stalled(d);
		return ret;
	}
	if (ret < 0) {
		nb_netdev_drop(&d->base, NB_DROP_TX_BUS_ERROR);
		return ret;
	}
	nb_netdev_tx_done(&d->base, len);
	return 0;
}

static bool rx_wanted(const struct nb_lan8720 *d, const uint8_t *dst)
{
	if (d->promisc || (dst[0] & 1u)) /* multicast and broadcast: no hash filter */
		return true;
	return memcmp(dst, d->base.mac, NB_ETH_ALEN) == 0;
}

/* One received frame: deliver it from the port's buffer, or say why it is dropped. */
static int rx_classify(const struct nb_lan8720 *d, const struct nb_rmii_rx *rx)
{
	if (rx->flags & NB_RMII_RX_ERR)
		return NB_DROP_RX_PHY_ERROR;
	if (rx->flags & NB_RMII_RX_TRUNC)
		return NB_DROP_RX_OVERSIZE;
	if (rx->len < ETH_MIN_WIRE)
		return NB_DROP_RX_RUNT;
	if (rx->len > ETH_MAX_WIRE_VLAN || (rx->len > ETH_MAX_WIRE && !vlan_tagged(rx->data)))
		return NB_DROP_RX_OVERSIZE;
	if (d->crc32(0, rx->data, rx->len) != NB_CRC32_RESIDUE)
		return NB_DROP_RX_FCS;
	if (!rx_wanted(d, rx->data))
		return NB_DROP_RX_FILTERED;
	return -1;
}

/* The port's loss counter is cumulative (and may wrap): count its growth under @p why. */
static void rx_account_port_losses(struct nb_lan8720 *d, enum nb_drop_reason why)
{
	uint32_t now = nb_rmii_rx_dropped(&d->cfg.rmii);

	d->base.stats.drops[why] += (uint32_t)(now - d->rx_dropped_seen);
	d->rx_dropped_seen = now;
}

int nb_lan8720_mac_rx(struct nb_lan8720 *d, int budget)
{
	struct nb_rmii_rx rx;
	int done = 0;

	rx_account_port_losses(d, NB_DROP_RX_OVERFLOW);
	while (done < budget) {
		int why;

		if (nb_rmii_rx_peek(&d->cfg.rmii, &rx) < 0)
			break;
		why = rx_classify(d, &rx);
		if (why < 0)
			nb_netdev_rx(&d->base, rx.data, rx.len - NB_ETH_FCS_LEN);
		else
			nb_netdev_drop(&d->base, (enum nb_drop_reason)why);
		nb_rmii_rx_release(&d->cfg.rmii);
		done++;
	}
	return done;
}

/* Frames that reached the port while the device was down were never ours to deliver:
 * waiting ones and the ones the port lost meanwhile count as "no handler / not UP". */
void nb_lan8720_mac_drain(struct nb_lan8720 *d)
{
	struct nb_rmii_rx rx;

	rx_account_port_losses(d, NB_DROP_RX_NO_HANDLER);
	/* Bounded: a port that never lets go of a frame must not hang open(). */
	for (unsigned i = 0; i < 4096u && nb_rmii_rx_peek(&d->cfg.rmii, &rx) == 0; i++) {
		nb_netdev_drop(&d->base, NB_DROP_RX_NO_HANDLER);
		nb_rmii_rx_release(&d->cfg.rmii);
	}
}

void nb_lan8720_mac_baseline(struct nb_lan8720 *d)
{
	d->rx_dropped_seen = nb_rmii_rx_dropped(&d->cfg.rmii);
}

bool nb_lan8720_mac_rx_waiting(struct nb_lan8720 *d)
{
	struct nb_rmii_rx rx;

	return nb_rmii_rx_peek(&d->cfg.rmii, &rx) == 0;
}
