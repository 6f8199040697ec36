/* SPDX-License-Identifier: MIT */
/* CYW43439 model: asynchronous event frames on channel 1 (§3.7) and escan results (§3.8). */
#include <errno.h>
#include <string.h>

#include "sim/cyw43439/model_priv.h"

/* Event and data frames put the Ethernet header at frame offset 22 (≡ 2 mod 4, §3.2.4):
 * header_length 18 (12 + 6 pad) and BDC data_offset 0. Which split the real firmware uses
 * is unconfirmed; every host computes the offset from the two fields. */
#define EV_HDRLEN 18u
#define BDC_LEN 4u
#define ETH_LEN 14u
#define BCMETH_LEN 10u
#define MSG_LEN 48u
#define EV_FIXED (BDC_LEN + ETH_LEN + BCMETH_LEN + MSG_LEN)

#define BSS_INFO_LEN 128u
#define BSS_INFO_VERSION 109u
#define ESCAN_HDR_LEN 12u
#define EV_ESCAN_RESULT 69u
#define CHANSPEC_2G_20 0x1000u /* CD's join constant; the firmware's encoding is unconfirmed */

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

bool cy_event_enabled(const struct nb_cyw43439_model *m, uint32_t type)
{
	/* §3.0 R9: nothing at or above 192 ever goes out. */
	return type < 192 && (m->wifi.event_mask[type / 8] >> (type % 8)) & 1;
}

int cy_event_send(struct nb_cyw43439_model *m, const struct nb_cyw43439_event *ev)
{
	uint8_t *f = m->evbuf, *e, *msg;
	size_t len = EV_FIXED + ev->datalen + 2;
	int rc;

	if (!cy_fw_running(m))
		return -ENODEV;
	if (len > CY_HOST_FRAME_MAX - EV_HDRLEN)
		return -EMSGSIZE;
	if (!cy_event_enabled(m, ev->type)) {
		m->stats.events_masked++;
		return 0;
	}
	memset(f, 0, len);
	f[0] = 0x20; /* BDC version 2, no checksum flags, priority 0, interface 0, offset 0 */
	e = f + BDC_LEN;
	/* Destination is the interface MAC; the source is the same MAC with the locally
	 * administered bit toggled (what Broadcom firmware does when the two would match). */
	memcpy(e, m->wifi.mac, 6);
	memcpy(e + 6, m->wifi.mac, 6);
	e[6] ^= 0x02;
	nb_put_be16(e + 12, 0x886C);
	nb_put_be16(e + 14, 0x8001);
	/* bcmeth length: unread by every host (§3.7.1); the model uses 8 + 48 + datalen. */
	nb_put_be16(e + 16, (unsigned)(8 + MSG_LEN + ev->datalen));
	e[18] = 0;
	e[19] = 0x00;
	e[20] = 0x10;
	e[21] = 0x18;
	nb_put_be16(e + 22, 1);
	msg = e + ETH_LEN + BCMETH_LEN;
	nb_put_be16(msg, 2);
	nb_put_be16(msg + 2, ev->flags);
	put_be32(msg + 4, ev->type);
	put_be32(msg + 8, ev->status);
	put_be32(msg + 12, ev->reason);
	put_be32(msg + 16, ev->auth_type);
	put_be32(msg + 20, (uint32_t)ev->datalen);
	memcpy(msg + 24, ev->addr, 6);
	memcpy(msg + 30, "wl0", 3);
	msg[46] = ev->ifidx;
	msg[47] = ev->bsscfgidx;
	if (ev->datalen)
		memcpy(msg + MSG_LEN, ev->data, ev->datalen);
	/* two zero bytes after the data: "no further ethertypes" */
	rc = cy_sdpcm_queue(m, 1, EV_HDRLEN, f, len, true);
	if (rc) {
		m->stats.events_dropped++;
		return rc;
	}
	m->stats.events_sent++;
	return 1;
}

int cy_event_simple(struct nb_cyw43439_model *m, uint32_t type, uint32_t status,
		    uint32_t reason, uint16_t flags, const uint8_t *data, size_t datalen)
{
	struct nb_cyw43439_event ev = {
		.type = type,
		.status = status,
		.reason = reason,
		.flags = flags,
		.data = data,
		.datalen = datalen,
	};

	memcpy(ev.addr, m->wifi.bssid, 6);
	return cy_event_send(m, &ev);
}

/* ---- escan (§3.8) ------------------------------------------------------------------------ */

static size_t put_ie(uint8_t *p, uint8_t id, const void *data, size_t len)
{
	p[0] = id;
	p[1] = (uint8_t)len;
	memcpy(p + 2, data, len);
	return len + 2;
}

static size_t bss_ies(struct nb_wifi_ap *ap, uint8_t *p)
{
	static const uint8_t rates[8] = { 0x82, 0x84, 0x8B, 0x96, 0x0C, 0x12, 0x18, 0x24 };
	/* RSN: version 1, group CCMP, 1 pairwise CCMP, 1 AKM PSK, capabilities 0 */
	static const uint8_t rsn[] = { 0x01, 0x00, 0x00, 0x0F, 0xAC, 0x04, 0x01, 0x00,
				       0x00, 0x0F, 0xAC, 0x04, 0x01, 0x00, 0x00, 0x0F,
				       0xAC, 0x02, 0x00, 0x00 };
	size_t n = 0, slen;
	const char *ssid = nb_wifi_ap_ssid(ap, &slen);
	uint8_t ch = nb_wifi_ap_channel(ap);

	n += put_ie(p + n, 0, ssid, slen);
	n += put_ie(p + n, 1, rates, sizeof(rates));
	n += put_ie(p + n, 3, &ch, 1);
	if (nb_wifi_ap_security(ap) == NB_WIFI_SEC_WPA2_PSK)
		n += put_ie(p + n, 48, rsn, sizeof(rsn));
	return n;
}

int cy_event_escan(struct nb_cyw43439_model *m, struct nb_wifi_ap *ap, uint32_t status)
{
	uint8_t *d = m->escanbuf;
	size_t len = ESCAN_HDR_LEN;
	struct nb_cyw43439_event ev = { .type = EV_ESCAN_RESULT, .status = status, .data = d };

	memset(d, 0, ESCAN_HDR_LEN + BSS_INFO_LEN);
	nb_put_le32(d + 4, BSS_INFO_VERSION);
	nb_put_le16(d + 8, m->wifi.scan_sync_id);
	if (ap) {
		uint8_t *b = d + ESCAN_HDR_LEN;
		size_t slen, ies = bss_ies(ap, b + BSS_INFO_LEN);
		const char *ssid = nb_wifi_ap_ssid(ap, &slen);
		int8_t rssi = nb_wifi_ap_rssi(ap);
		uint8_t ch = nb_wifi_ap_channel(ap);
		bool secure = nb_wifi_ap_security(ap) != NB_WIFI_SEC_OPEN;

		nb_put_le16(d + 10, 1);
		nb_put_le32(b, BSS_INFO_VERSION);
		nb_put_le32(b + 4, (uint32_t)(BSS_INFO_LEN + ies));
		nb_wifi_ap_bssid(ap, b + 8);
		nb_put_le16(b + 14, nb_wifi_ap_beacon_tu(ap));
		/* ESS, short slot time; privacy when secured */
		nb_put_le16(b + 16, 0x0401u | (secure ? 0x0010u : 0));
		b[18] = (uint8_t)slen;
		memcpy(b + 19, ssid, slen);
		nb_put_le32(b + 52, 8);
		memcpy(b + 56, "\x82\x84\x8b\x96\x0c\x12\x18\x24", 8);
		nb_put_le16(b + 72, CHANSPEC_2G_20 | ch);
		b[76] = 1; /* DTIM period */
		nb_put_le16(b + 78, (unsigned)(uint16_t)(int16_t)rssi);
		b[80] = (uint8_t)(int8_t)-92; /* noise floor */
		b[81] = 1;                    /* 802.11n capable */
		b[88] = ch;
		nb_put_le16(b + 116, BSS_INFO_LEN);
		nb_put_le32(b + 120, (uint32_t)ies);
		nb_put_le16(b + 124, (unsigned)(uint16_t)(int16_t)(rssi + 92));
		memcpy(ev.addr, b + 8, 6);
		len += BSS_INFO_LEN + ies;
		nb_put_le32(d, (uint32_t)(len)); /* buflen = 12 + bss length */
	} else {
		nb_put_le32(d, ESCAN_HDR_LEN);
	}
	ev.datalen = len;
	return cy_event_send(m, &ev);
}
