/* SPDX-License-Identifier: MIT */
/*
 * Firmware initialisation after F2 is ready (§2.7, §4.2): CLM download through the clmload
 * iovar and its status, glomming off, APSTA, MAC, country, aggregation, event mask, UP. The
 * device stays BOOTING until the last answer; any error status or timeout fails the bring-up.
 */
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "drivers/util/nb_errno.h"

enum init_step {
	I_NONE = 0, I_CLM, I_CLM_STATUS, I_TXGLOM, I_APSTA, I_MAC_SET, I_MAC_GET, I_COUNTRY,
	I_ANTDIV, I_AMPDU_BA, I_AMPDU_MPDU, I_EVENTS, I_UP, I_GMODE, I_BAND, I_DONE,
};

static bool init_skip(const struct nb_cyw43439 *d, uint8_t step)
{
	if ((step == I_CLM || step == I_CLM_STATUS) && (!d->cfg.clm || !d->cfg.clm_len))
		return true;
	return step == I_MAC_SET && !d->cfg.mac_set;
}

static void init_advance(struct nb_cyw43439 *d)
{
	do
		d->boot.init_step++;
	while (d->boot.init_step < I_DONE && init_skip(d, d->boot.init_step));
	if (d->boot.init_step == I_DONE) {
		d->boot.init_step = I_NONE;
		d->wifi.state = NB_CYW43439_STATE_READY;
		cyw_log(d, NB_LOG_INFO, "firmware up", 0, 0);
	}
}

static bool mac_ok(const uint8_t *m)
{
	static const uint8_t zero[NB_ETH_ALEN];

	return memcmp(m, zero, NB_ETH_ALEN) != 0 && !(m[0] & 1u);
}

static void init_done(struct nb_cyw43439 *d, int result, int32_t fw_status, void *ctx)
{
	(void)ctx;
	if (d->wifi.state != NB_CYW43439_STATE_BOOTING)
		return;
	if (result < 0) {
		cyw_log(d, NB_LOG_ERR, "init ioctl failed", d->boot.init_step, fw_status);
		cyw_boot_fail(d, result == -NB_ETIMEDOUT ? NB_CYW43439_REASON_IOCTL_TIMEOUT
							 : NB_CYW43439_REASON_FIRMWARE_REJECTED,
			      result);
		return;
	}
	switch (d->boot.init_step) {
	case I_CLM:
		if (d->boot.clm_off < d->cfg.clm_len)
			return; /* next chunk */
		break;
	case I_CLM_STATUS:
		if (result < 4 || nb_get_le32(d->wifi.resp) != 0) {
			cyw_log(d, NB_LOG_ERR, "clmload_status", result, nb_get_le32(d->wifi.resp));
			cyw_boot_fail(d, NB_CYW43439_REASON_FIRMWARE_REJECTED, -NB_EIO);
			return;
		}
		break;
	case I_MAC_GET:
		if (result < (int)NB_ETH_ALEN || !mac_ok(d->wifi.resp) ||
		    (d->cfg.mac_set && memcmp(d->wifi.resp, d->cfg.mac, NB_ETH_ALEN) != 0)) {
			cyw_log(d, NB_LOG_ERR, "cur_etheraddr unusable", result, 0);
			cyw_boot_fail(d, NB_CYW43439_REASON_FIRMWARE_REJECTED, -NB_EIO);
			return;
		}
		memcpy(d->base.mac, d->wifi.resp, NB_ETH_ALEN);
		break;
	default:
		break;
	}
	init_advance(d);
}

/* §2.7: CLM in 1024-byte chunks, 12-byte download header after the iovar name */
static int send_clm_chunk(struct nb_cyw43439 *d)
{
	uint8_t *p = cyw_ctl_payload(d);
	size_t n = cyw_put_name(p, "clmload");
	size_t left = d->cfg.clm_len - d->boot.clm_off;
	size_t chunk = left < CYW_CLM_CHUNK ? left : CYW_CLM_CHUNK;
	unsigned flag = CYW_DL_HANDLER_VER;
	int ret;

	if (d->boot.clm_off == 0)
		flag |= CYW_DL_BEGIN;
	if (chunk == left)
		flag |= CYW_DL_END;
	nb_put_le16(p + n, flag);
	nb_put_le16(p + n + 2, CYW_DL_TYPE_CLM);
	nb_put_le32(p + n + 4, (uint32_t)chunk);
	nb_put_le32(p + n + 8, 0);
	memcpy(p + n + 12, d->cfg.clm + d->boot.clm_off, chunk);
	ret = cyw_ctl_submit_built(d, CYW_WLC_SET_VAR, true, 0, n + 12 + chunk, NULL, 0,
				   init_done, NULL);
	if (ret == 0)
		d->boot.clm_off += (uint32_t)chunk;
	return ret;
}

int cyw_init_send(struct nb_cyw43439 *d)
{
	uint8_t b[CYW_E_MASK_BYTES + 4];

	switch (d->boot.init_step) {
	case I_CLM:
		return send_clm_chunk(d);
	case I_CLM_STATUS:
		return cyw_iovar_get(d, "clmload_status", 4, d->wifi.resp, sizeof(d->wifi.resp),
				     init_done, NULL);
	case I_TXGLOM:
		return cyw_iovar_set_u32(d, "bus:txglom", 0, init_done, NULL);
	case I_APSTA:
		return cyw_iovar_set_u32(d, "apsta", 1, init_done, NULL);
	case I_MAC_SET:
		return cyw_iovar_set(d, "cur_etheraddr", d->cfg.mac, NB_ETH_ALEN, init_done, NULL);
	case I_MAC_GET:
		return cyw_iovar_get(d, "cur_etheraddr", NB_ETH_ALEN, d->wifi.resp,
				     sizeof(d->wifi.resp), init_done, NULL);
	case I_COUNTRY: {
		/* §3.5: abbrev[4], rev -1 (default), code[4] */
		const char *cc = d->cfg.country[0] ? d->cfg.country : "XX";

		memset(b, 0, 12);
		memcpy(b, cc, strlen(cc) < 3 ? strlen(cc) : 3);
		nb_put_le32(b + 4, 0xFFFFFFFFu);
		memcpy(b + 8, b, 4);
		return cyw_iovar_set(d, "country", b, 12, init_done, NULL);
	}
	case I_ANTDIV:
		return cyw_ioctl_set_u32(d, CYW_WLC_SET_ANTDIV, 0, init_done, NULL);
	case I_AMPDU_BA:
		return cyw_iovar_set_u32(d, "ampdu_ba_wsize", 8, init_done, NULL);
	case I_AMPDU_MPDU:
		return cyw_iovar_set_u32(d, "ampdu_mpdu", 4, init_done, NULL);
	case I_EVENTS:
		nb_put_le32(b, 0);
		cyw_event_mask(b + 4);
		return cyw_iovar_set(d, "bsscfg:event_msgs", b, sizeof(b), init_done, NULL);
	case I_UP:
		return cyw_ctl_submit(d, CYW_WLC_UP, true, 0, NULL, 0, NULL, 0, init_done, NULL);
	case I_GMODE:
		return cyw_ioctl_set_u32(d, CYW_WLC_SET_GMODE, 1, init_done, NULL);
	case I_BAND:
		return cyw_ioctl_set_u32(d, CYW_WLC_SET_BAND, 0, init_done, NULL);
	default:
		return 0;
	}
}

void cyw_wifi_start(struct nb_cyw43439 *d)
{
	d->boot.clm_off = 0;
	d->boot.init_step = I_NONE;
	init_advance(d);
}

