/* SPDX-License-Identifier: MIT */
/* Escan: request, ESCAN_RESULT parsing with every length checked, completion (§3.8, §4.7). */
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "drivers/util/nb_errno.h"

#define SCAN_TIMEOUT_NS (10ull * NB_NS_PER_S)
#define IE_RSN 48u
#define IE_VENDOR 221u

/* wl_bss_info offsets (§3.8.2) */
#define BSS_LENGTH 4u
#define BSS_BSSID 8u
#define BSS_CAPABILITY 16u
#define BSS_SSID_LEN 18u
#define BSS_SSID 19u
#define BSS_CHANSPEC 72u
#define BSS_RSSI 78u
#define BSS_IE_OFFSET 116u
#define BSS_IE_LENGTH 120u
#define CAP_PRIVACY 0x0010u

int nb_cyw43439_scan(struct nb_cyw43439 *d, nb_cyw43439_scan_fn fn, void *ctx)
{
	if (!fn)
		return -NB_EINVAL;
	if (!cyw_fw_up(d))
		return -NB_ENETDOWN;
	if (d->wifi.scan_fn)
		return -NB_EBUSY;
	d->wifi.scan_fn = fn;
	d->wifi.scan_ctx = ctx;
	d->wifi.scan_pending = true;
	d->wifi.scanning = false;
	cyw_wifi_service(d);
	return 0;
}

void cyw_scan_finish(struct nb_cyw43439 *d, int status)
{
	nb_cyw43439_scan_fn fn = d->wifi.scan_fn;
	void *ctx = d->wifi.scan_ctx;

	d->wifi.scan_fn = NULL;
	d->wifi.scan_pending = false;
	d->wifi.scanning = false;
	d->wifi.scan_deadline = NB_DEADLINE_NONE;
	if (fn)
		fn(d, NULL, status, ctx);
}

void cyw_scan_timers(struct nb_cyw43439 *d)
{
	if (d->wifi.scanning && nb_clock_expired(&d->cfg.clock, d->wifi.scan_deadline))
		cyw_scan_finish(d, -NB_ETIMEDOUT);
}

static void scan_done(struct nb_cyw43439 *d, int result, int32_t fw_status, void *ctx)
{
	(void)fw_status;
	if ((uintptr_t)ctx != d->wifi.scan_sync || !d->wifi.scan_fn)
		return;
	if (result < 0) {
		cyw_scan_finish(d, result);
		return;
	}
	d->wifi.scanning = true;
	d->wifi.scan_deadline = cyw_now(d) + SCAN_TIMEOUT_NS;
}

int cyw_scan_submit(struct nb_cyw43439 *d)
{
	uint8_t *p = cyw_ctl_payload(d);
	uint8_t *q;
	int ret;

	memcpy(p, "escan", 6);
	q = p + 6;
	memset(q, 0, CYW_ESCAN_PARAMS);
	d->wifi.scan_sync++;
	nb_put_le32(q, 1);                /* version */
	nb_put_le16(q + 4, 1);            /* action: start */
	nb_put_le16(q + 6, d->wifi.scan_sync);
	memset(q + 44, 0xFF, NB_ETH_ALEN); /* any BSSID */
	q[50] = 2;                        /* any BSS type */
	q[51] = 0;                        /* active scan */
	nb_put_le32(q + 52, 0xFFFFFFFFu); /* nprobes, active, passive, home: firmware defaults */
	nb_put_le32(q + 56, 0xFFFFFFFFu);
	nb_put_le32(q + 60, 0xFFFFFFFFu);
	nb_put_le32(q + 64, 0xFFFFFFFFu);
	ret = cyw_ctl_submit_built(d, CYW_WLC_SET_VAR, true, 0, 6 + CYW_ESCAN_PARAMS, NULL, 0,
				   scan_done, (void *)(uintptr_t)d->wifi.scan_sync);
	if (ret < 0) {
		cyw_scan_finish(d, ret);
		return ret;
	}
	d->wifi.scan_pending = false;
	return 0;
}

/* Walk the IEs; an IE running past the end stops the walk (what was found so far stands). */
static void scan_ies(struct nb_cyw43439_scan_result *r, const uint8_t *ie, size_t len)
{
	static const uint8_t wpa_oui[4] = { 0x00, 0x50, 0xF2, 0x01 };
	size_t pos = 0;

	while (pos + 2u <= len) {
		uint8_t id = ie[pos], n = ie[pos + 1];

		if (pos + 2u + n > len)
			break;
		if (id == IE_RSN)
			r->wpa2 = true;
		else if (id == IE_VENDOR && n >= 4 && memcmp(ie + pos + 2, wpa_oui, 4) == 0)
			r->wpa = true;
		pos += 2u + n;
	}
}

static int parse_result(const struct cyw_event *ev, struct nb_cyw43439_scan_result *r)
{
	const uint8_t *bss;
	uint32_t blen, ie_off, ie_len;
	size_t room;

	if (ev->datalen < CYW_ESCAN_RESULT_HDR)
		return -NB_EMSGSIZE;
	if (nb_get_le16(ev->data + 10) == 0)
		return 0; /* no BSS in this one */
	room = ev->datalen - CYW_ESCAN_RESULT_HDR;
	if (room < CYW_BSS_INFO_MIN)
		return -NB_EMSGSIZE;
	bss = ev->data + CYW_ESCAN_RESULT_HDR;
	blen = nb_get_le32(bss + BSS_LENGTH);
	ie_off = nb_get_le16(bss + BSS_IE_OFFSET);
	ie_len = nb_get_le32(bss + BSS_IE_LENGTH);
	if (blen < CYW_BSS_INFO_MIN || blen > room || bss[BSS_SSID_LEN] > NB_CYW43439_SSID_MAX)
		return -NB_EMSGSIZE;
	if (ie_off > blen || ie_len > blen - ie_off)
		return -NB_EMSGSIZE;
	memset(r, 0, sizeof(*r));
	memcpy(r->bssid, bss + BSS_BSSID, NB_ETH_ALEN);
	r->ssid_len = bss[BSS_SSID_LEN];
	memcpy(r->ssid, bss + BSS_SSID, r->ssid_len);
	r->channel = (uint8_t)(nb_get_le16(bss + BSS_CHANSPEC) & 0xFFu);
	r->rssi_dbm = (int16_t)nb_get_le16(bss + BSS_RSSI);
	r->privacy = (nb_get_le16(bss + BSS_CAPABILITY) & CAP_PRIVACY) != 0;
	scan_ies(r, bss + ie_off, ie_len);
	return 1;
}

void cyw_scan_event(struct nb_cyw43439 *d, const struct cyw_event *ev)
{
	struct nb_cyw43439_scan_result r;
	int ret;

	if (!d->wifi.scanning || !d->wifi.scan_fn)
		return;
	if (ev->status != CYW_E_STATUS_PARTIAL) {
		/* §3.8.2: SUCCESS ends the scan; any other status ends it too, as a failure */
		cyw_scan_finish(d, ev->status == CYW_E_STATUS_SUCCESS ? 0 : -NB_EIO);
		return;
	}
	ret = parse_result(ev, &r);
	if (ret < 0) {
		d->stats.scan_results_bad++;
		return;
	}
	if (ret == 0)
		return;
	d->stats.scan_results++;
	d->wifi.scan_fn(d, &r, 0, d->wifi.scan_ctx);
}
