/* SPDX-License-Identifier: MIT */
/* Event channel: BDC + Broadcom event frames, validated field by field (§3.7). */
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "drivers/util/nb_errno.h"

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

int cyw_event_parse(const uint8_t *eth, size_t len, struct cyw_event *ev)
{
	static const uint8_t oui[3] = { 0x00, 0x10, 0x18 };
	const uint8_t *msg = eth + CYW_EVENT_MSG_OFF;

	if (len < CYW_EVENT_MIN)
		return -NB_EMSGSIZE;
	if (nb_get_be16(eth + 12) != CYW_ETHERTYPE_BRCM ||
	    nb_get_be16(eth + 14) != CYW_BCMILCP_SUBTYPE_VENDOR_LONG ||
	    memcmp(eth + 19, oui, sizeof(oui)) != 0 ||
	    nb_get_be16(eth + 22) != CYW_BCMILCP_BCM_SUBTYPE_EVENT)
		return -NB_EPROTO;
	/* version 2: the 48-byte message with ifidx/bsscfgidx that the 43439 firmware sends */
	if (nb_get_be16(msg) != 2)
		return -NB_EPROTO;
	ev->flags = (uint16_t)nb_get_be16(msg + 2);
	ev->type = be32(msg + 4);
	ev->status = be32(msg + 8);
	ev->reason = be32(msg + 12);
	ev->auth_type = be32(msg + 16);
	ev->datalen = be32(msg + 20);
	memcpy(ev->addr, msg + 24, NB_ETH_ALEN);
	ev->ifidx = msg[46];
	ev->bsscfgidx = msg[47];
	/* R11: datalen must fit in what was received */
	if (ev->datalen > len - CYW_EVENT_MIN)
		return -NB_EMSGSIZE;
	ev->data = eth + CYW_EVENT_MIN;
	return 0;
}

int cyw_event_rx(struct nb_cyw43439 *d, const uint8_t *p, size_t len)
{
	struct cyw_event ev;
	size_t off;
	int ret;

	if (len < CYW_BDC_HDR)
		return cyw_rx_malformed(d, &d->stats.rx_bdc_bad);
	off = CYW_BDC_HDR + 4u * (size_t)p[3];
	if (off > len)
		return cyw_rx_malformed(d, &d->stats.rx_bdc_bad);
	ret = cyw_event_parse(p + off, len - off, &ev);
	if (ret < 0)
		return cyw_rx_malformed(d, ret == -NB_EMSGSIZE ? &d->stats.rx_event_truncated
							       : &d->stats.rx_event_invalid);
	d->stats.events++;
	cyw_log(d, NB_LOG_DEBUG, "event", ev.type, ((int64_t)ev.status << 16) | ev.reason);
	if (ev.type == CYW_E_ESCAN_RESULT)
		cyw_scan_event(d, &ev);
	else
		cyw_wifi_event(d, &ev);
	return 0;
}

void cyw_event_mask(uint8_t mask[CYW_E_MASK_BYTES])
{
	/* everything except the noisy or unused ones (§3.7.6: the set EMB clears, plus TXFAIL) */
	static const uint8_t off[] = { CYW_E_ROAM, CYW_E_TXFAIL, CYW_E_RADIO, CYW_E_PROBREQ_MSG,
				       CYW_E_IF, CYW_E_PROBRESP_MSG, 137 };

	memset(mask, 0xFF, CYW_E_MASK_BYTES);
	for (unsigned i = 0; i < sizeof(off); i++)
		mask[off[i] / 8u] &= (uint8_t)~(1u << (off[i] % 8u));
}
