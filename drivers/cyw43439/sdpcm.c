/* SPDX-License-Identifier: MIT */
/* SDPCM framing on F2: sequence numbers, credit window, RX validation and dispatch (§3.1-3.2). */
#include "drivers/cyw43439/internal.h"
#include "drivers/util/nb_errno.h"

/** Control/event frames read per poll on top of the data budget (bounds one poll's work). */
#define RX_OTHER_MAX 32

void cyw_sdpcm_reset(struct nb_cyw43439 *d)
{
	/* §3.2.6: seq 0, and the host may send exactly one frame before hearing from the chip */
	d->sdpcm.tx_seq = 0;
	d->sdpcm.credit = 1;
	d->sdpcm.flow = 0;
	d->sdpcm.rx_seq = 0;
	d->sdpcm.rx_seq_valid = false;
	d->sdpcm.tx_stalled = false;
	d->sdpcm.tx_wake = false;
}

static unsigned window(const struct nb_cyw43439 *d)
{
	uint8_t w = (uint8_t)(d->sdpcm.credit - d->sdpcm.tx_seq);

	/* "may send s iff s != credit and (credit - s) mod 256 < 128" */
	return (w & 0x80u) ? 0u : w;
}

bool cyw_sdpcm_can_send(const struct nb_cyw43439 *d, bool data)
{
	if (window(d) == 0)
		return false;
	/* data yields to a waiting control request and honours the firmware's XOFF byte */
	return !data || (!d->ctl.queued && d->sdpcm.flow == 0);
}

int cyw_sdpcm_tx_space(struct nb_cyw43439 *d)
{
	unsigned w = window(d);

	if (d->wifi.state != NB_CYW43439_STATE_JOINED || d->ctl.queued || d->sdpcm.flow)
		w = 0;
	if (w == 0) {
		if (!d->sdpcm.tx_stalled)
			d->stats.tx_credit_stalls++;
		d->sdpcm.tx_stalled = true;
	}
	return (int)w;
}

void cyw_sdpcm_tx_check(struct nb_cyw43439 *d)
{
	if (d->sdpcm.tx_stalled && d->wifi.state == NB_CYW43439_STATE_JOINED &&
	    cyw_sdpcm_can_send(d, true)) {
		d->sdpcm.tx_stalled = false;
		d->sdpcm.tx_wake = true;
	}
}

void cyw_sdpcm_fill(struct nb_cyw43439 *d, uint8_t *hdr, size_t len, unsigned chan,
		    unsigned hdrlen)
{
	nb_put_le16(hdr, (unsigned)len);
	nb_put_le16(hdr + 2, (unsigned)(~len & 0xFFFFu));
	hdr[4] = d->sdpcm.tx_seq++;
	hdr[5] = (uint8_t)chan;
	hdr[6] = 0;
	hdr[7] = (uint8_t)hdrlen;
	hdr[8] = 0;
	hdr[9] = 0;
	hdr[10] = 0;
	hdr[11] = 0;
}

/*
 * The chip never saw the frame, so the sequence number it expects next is still this one:
 * reusing it keeps the host's credit window equal to the chip's. Burning it would leave
 * the host one frame short for good if it was the last credit (the chip only sends a
 * credit update to a host it sees stalled at its credit, §3.2.6).
 */
void cyw_sdpcm_unsent(struct nb_cyw43439 *d)
{
	d->sdpcm.tx_seq--;
}

static void update_credit(struct nb_cyw43439 *d, uint8_t credit, uint8_t flow)
{
	/* R7: a window more than 64 ahead of our next sequence number is not believable */
	if ((uint8_t)(credit - d->sdpcm.tx_seq) > CYW_CREDIT_SANE) {
		d->stats.credit_bogus++;
	} else {
		d->sdpcm.credit = credit;
	}
	d->sdpcm.flow = flow;
	cyw_sdpcm_tx_check(d);
}

int cyw_rx_malformed(struct nb_cyw43439 *d, uint64_t *counter)
{
	(*counter)++;
	nb_netdev_drop(&d->base, NB_DROP_RX_MALFORMED);
	return 1;
}

/* Channel 2 (§3.6): BDC header, then the Ethernet frame data_offset words further. */
static int rx_data(struct nb_cyw43439 *d, const uint8_t *f, size_t size, size_t hl)
{
	size_t off, len;

	if (size - hl < CYW_BDC_HDR)
		return cyw_rx_malformed(d, &d->stats.rx_bdc_bad);
	off = hl + CYW_BDC_HDR + 4u * (size_t)f[hl + 3];
	if (off > size)
		return cyw_rx_malformed(d, &d->stats.rx_bdc_bad);
	len = size - off;
	if (len < NB_ETH_HLEN) {
		nb_netdev_drop(&d->base, NB_DROP_RX_RUNT);
		return 1;
	}
	if (len > d->base.max_frame) {
		nb_netdev_drop(&d->base, NB_DROP_RX_OVERSIZE);
		return 1;
	}
	nb_netdev_rx(&d->base, f + off, len);
	return 1;
}

/*
 * One F2 frame of @p flen bytes in d->rx. Every length field is checked against what was
 * actually read before it is used (§3.2.3, rules R1-R3). @return frames taken off in the
 * netdev sense: 1 for a data frame (delivered or dropped) or a rejected frame, 0 otherwise.
 */
static int rx_frame(struct nb_cyw43439 *d, size_t flen)
{
	const uint8_t *f = d->rx;
	unsigned size, com, chan, hl;

	d->stats.f2_frames_rx++;
	if (flen < CYW_SDPCM_HDR)
		return cyw_rx_malformed(d, &d->stats.rx_bad_size);
	size = nb_get_le16(f);
	com = nb_get_le16(f + 2);
	if ((size ^ com) != 0xFFFFu)
		return cyw_rx_malformed(d, &d->stats.rx_bad_complement);
	if (size != flen || size < CYW_SDPCM_HDR)
		return cyw_rx_malformed(d, &d->stats.rx_bad_size);
	hl = f[7];
	if (hl < CYW_SDPCM_HDR || hl > size)
		return cyw_rx_malformed(d, &d->stats.rx_bad_hdrlen);
	chan = f[5] & CYW_CHAN_MASK;
	if (d->sdpcm.rx_seq_valid && f[4] != d->sdpcm.rx_seq)
		d->stats.rx_seq_gaps++;
	d->sdpcm.rx_seq = (uint8_t)(f[4] + 1u);
	d->sdpcm.rx_seq_valid = true;
	if (chan > CYW_CHAN_DATA)
		return cyw_rx_malformed(d, &d->stats.rx_bad_channel);
	update_credit(d, f[9], f[8]);
	if (size == hl) {
		d->stats.rx_credit_only++;
		return 0;
	}
	switch (chan) {
	case CYW_CHAN_CONTROL:
		return cyw_ctl_rx(d, f + hl, size - hl);
	case CYW_CHAN_EVENT:
		return cyw_event_rx(d, f + hl, size - hl);
	default:
		return rx_data(d, f, size, hl);
	}
}

/* §1.11: discard a frame we will not read by terminating the read frame (F1 0x1000D). */
static int discard(struct nb_cyw43439 *d)
{
	return cyw_reg_write(d, CYW_F1, CYW_F1_FRAME_CONTROL, 1, CYW_FRAME_CONTROL_RF_TERM);
}

int cyw_sdpcm_rx(struct nb_cyw43439 *d, int budget)
{
	int done = 0, other = 0;
	uint32_t st;
	int ret;

	if (budget <= 0)
		return 0;
	ret = cyw_bus_status(d, &st);
	if (ret < 0)
		return ret == -NB_ENODATA ? 0 : ret;
	while (done < budget && other < RX_OTHER_MAX && (st & CYW_ST_F2_PKT_AVAILABLE)) {
		size_t len = (st >> CYW_ST_F2_PKT_LEN_SHIFT) & CYW_ST_F2_PKT_LEN_MASK;
		int n;

		if (len == 0 || len > CYW_F2_RX_MAX) {
			/* R2: never read a length we cannot trust into the buffer */
			cyw_rx_malformed(d, &d->stats.rx_f2_len_bad);
			done++;
			ret = discard(d);
		} else {
			ret = cyw_f2_read(d, d->rx, len);
			if (ret == -NB_ENODATA)
				return done; /* still queued in the chip: read again next poll */
			if (ret < 0) {
				nb_netdev_drop(&d->base, NB_DROP_RX_BUS_ERROR);
				return ret;
			}
			n = rx_frame(d, len);
			done += n;
			if (n == 0)
				other++;
		}
		if (ret < 0)
			return ret;
		/* handlers may have failed the bring-up or stopped the device: chip powered down */
		if (!cyw_bus_live(d)) {
			st = 0;
			break;
		}
		if (d->bus.status_on && d->bus.status_valid) {
			st = d->bus.status;
		} else {
			ret = cyw_bus_status(d, &st);
			if (ret < 0)
				return ret == -NB_ENODATA ? done : ret;
		}
	}
	d->f2_pending = (st & CYW_ST_F2_PKT_AVAILABLE) != 0;
	return done;
}
