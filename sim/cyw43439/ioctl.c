/* SPDX-License-Identifier: MIT */
/* CYW43439 model: the firmware's control channel. CDC ioctls (§3.3, §3.4) and iovars (§3.5):
 * one reply per request with the request id, CDC len = request len, the request buffer echoed
 * with GET results at offset 0 (§4.1), BCME error codes in the status word. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sim/cyw43439/model_priv.h"
#include "sim/cyw43439/wpa.h"

#define CDC_LEN 16u
#define CDCF_ERROR 0x1u
#define CDCF_SET 0x2u

enum {
	WLC_UP = 2, WLC_DOWN = 3, WLC_GET_INFRA = 19, WLC_SET_INFRA = 20, WLC_GET_AUTH = 21,
	WLC_SET_AUTH = 22, WLC_GET_BSSID = 23, WLC_GET_SSID = 25, WLC_SET_SSID = 26,
	WLC_GET_CHANNEL = 29, WLC_SET_CHANNEL = 30, WLC_DISASSOC = 52, WLC_GET_ANTDIV = 63,
	WLC_SET_ANTDIV = 64, WLC_SET_DTIMPRD = 78, WLC_GET_PM = 85, WLC_SET_PM = 86,
	WLC_GET_GMODE = 109, WLC_SET_GMODE = 110, WLC_GET_AP = 117, WLC_SET_AP = 118,
	WLC_GET_RSSI = 127, WLC_GET_WSEC = 133, WLC_SET_WSEC = 134, WLC_GET_BAND = 141,
	WLC_SET_BAND = 142, WLC_GET_ASSOCLIST = 159, WLC_GET_WPA_AUTH = 164,
	WLC_SET_WPA_AUTH = 165, WLC_GET_VAR = 262, WLC_SET_VAR = 263, WLC_SET_WSEC_PMK = 268,
};

struct req {
	uint8_t *buf; /* the reply buffer, initialised with the request bytes */
	size_t len;   /* request CDC len: the reply carries exactly this many bytes */
	unsigned iface;
};

#define W(field) offsetof(struct cy_wifi, field)

static uint32_t *wfield(struct nb_cyw43439_model *m, size_t off)
{
	return (uint32_t *)(void *)((char *)&m->wifi + off);
}

static int out(struct req *r, const void *v, size_t n)
{
	if (n > r->len)
		return BCME_BUFTOOSHORT;
	memcpy(r->buf, v, n);
	return 0;
}

static int out_u32(struct req *r, uint32_t v)
{
	uint8_t b[4];

	nb_put_le32(b, v);
	return out(r, b, 4);
}

static int arg_u32(const uint8_t *p, size_t n, uint32_t *v)
{
	if (n < 4)
		return BCME_BADLEN;
	*v = nb_get_le32(p);
	return 0;
}

void cy_wifi_reset(struct nb_cyw43439_model *m)
{
	struct cy_wifi *w = &m->wifi;

	cy_sched_cancel(m, GRP_JOIN);
	cy_sched_cancel(m, GRP_SCAN);
	cy_sched_cancel(m, GRP_LINK);
	memset(w, 0, sizeof(*w));
	memcpy(w->mac, m->cfg.mac, 6);
	memcpy(w->country, m->cfg.country, 4);
	w->country_rev = -1;
	/* Power-on values where a driver might read them back before setting them (§4.2). */
	w->infra = 1;
	w->pm = 2;
	w->gmode = 1;
	w->apsta = 0;
	w->ampdu_ba_wsize = 8;
	w->ampdu_mpdu = 4;
	w->pm2_sleep_ret = 200;
	w->bcn_li_bcn = 1;
	w->bcn_li_dtim = 1;
	w->assoc_listen = 10;
	w->sup_eapver = 0xFFFFFFFFu;
	w->sup_wpa_tmo = 2500; /* firmware default unconfirmed; EMB/SOY set 2500 */
	w->clm_status = 1;     /* no CLM loaded yet: "clmload_status" is not OK */
}

/* ---- u32 settings ------------------------------------------------------------------------ */

struct u32_cmd {
	uint16_t set, get;
	size_t off;
	uint32_t max;
};

static const struct u32_cmd u32_cmds[] = {
	{ WLC_SET_INFRA, WLC_GET_INFRA, W(infra), 1 },
	{ WLC_SET_AUTH, WLC_GET_AUTH, W(auth), 3 },
	{ WLC_SET_CHANNEL, 0, W(channel), 14 },
	{ WLC_SET_ANTDIV, WLC_GET_ANTDIV, W(antdiv), 3 },
	{ WLC_SET_DTIMPRD, 0, W(dtimprd), 255 },
	{ WLC_SET_PM, WLC_GET_PM, W(pm), 2 },
	{ WLC_SET_GMODE, WLC_GET_GMODE, W(gmode), 5 },
	{ WLC_SET_WSEC, WLC_GET_WSEC, W(wsec), 0xFFFFFFFFu },
	{ WLC_SET_BAND, WLC_GET_BAND, W(band), 2 },
	{ WLC_SET_WPA_AUTH, WLC_GET_WPA_AUTH, W(wpa_auth), 0xFFFFFFFFu },
};

struct u32_var {
	const char *name;
	size_t off;
	uint32_t max;
	bool bsscfg; /* "bsscfg:" form: a u32 bsscfg index precedes the value */
};

static const struct u32_var u32_vars[] = {
	{ "apsta", W(apsta), 1, false },
	{ "ampdu_ba_wsize", W(ampdu_ba_wsize), 64, false },
	{ "ampdu_mpdu", W(ampdu_mpdu), 64, false },
	{ "ampdu_rx_factor", W(ampdu_rx_factor), 3, false },
	{ "pm2_sleep_ret", W(pm2_sleep_ret), 2000, false },
	{ "bcn_li_bcn", W(bcn_li_bcn), 255, false },
	{ "bcn_li_dtim", W(bcn_li_dtim), 255, false },
	{ "assoc_listen", W(assoc_listen), 255, false },
	{ "mfp", W(mfp), 2, false },
	{ "bsscfg:sup_wpa", W(sup_wpa), 1, true },
	{ "bsscfg:sup_wpa2_eapver", W(sup_eapver), 0xFFFFFFFFu, true },
	{ "bsscfg:sup_wpa_tmo", W(sup_wpa_tmo), 60000, true },
};

/* ---- iovars ------------------------------------------------------------------------------ */

static int clmload(struct nb_cyw43439_model *m, const uint8_t *p, size_t n)
{
	struct cy_wifi *w = &m->wifi;
	unsigned flag, type;
	uint32_t len;

	/* {u16 flag, u16 type, u32 len, u32 crc} + chunk (§2.7); CD pads the ioctl to 8
	 * bytes with junk, so the chunk length comes from the header. */
	if (n < 12)
		return BCME_BADLEN;
	flag = nb_get_le16(p);
	type = nb_get_le16(p + 2);
	len = nb_get_le32(p + 4);
	if (type != 2 || (flag & 0xF000) != 0x1000 || len > n - 12)
		return BCME_BADARG;
	if (flag & 0x0002) {
		w->clm_in_progress = true;
		w->clm_total = 0;
		memset(w->clm_magic, 0, 4);
	} else if (!w->clm_in_progress) {
		return BCME_BADARG; /* a chunk without DL_BEGIN */
	}
	for (uint32_t i = 0; i < len && w->clm_total + i < 4; i++)
		w->clm_magic[w->clm_total + i] = p[12 + i];
	w->clm_total += len;
	if (flag & 0x0004) {
		w->clm_in_progress = false;
		w->clm_loaded = !memcmp(w->clm_magic, "BLOB", 4);
		w->clm_status = w->clm_loaded ? 0 : 1;
		if (!w->clm_loaded)
			return BCME_ERROR;
	}
	return 0;
}

static int set_country(struct nb_cyw43439_model *m, const uint8_t *p, size_t n)
{
	if (n < 4)
		return BCME_BADLEN;
	for (int i = 0; i < 2; i++)
		if (p[i] < 'A' || p[i] > 'Z')
			return BCME_BADARG;
	memcpy(m->wifi.country, p, 2);
	m->wifi.country[2] = '\0';
	m->wifi.country_rev = n >= 8 ? (int32_t)nb_get_le32(p + 4) : -1;
	return 0;
}

static int escan(struct nb_cyw43439_model *m, const uint8_t *p, size_t n)
{
	uint32_t ssid_len;

	if (n < 72)
		return BCME_BADLEN;
	if (nb_get_le32(p) != 1)
		return BCME_BADARG; /* version */
	if (nb_get_le16(p + 4) != 1)
		return BCME_UNSUPPORTED; /* only "start" is modelled */
	ssid_len = nb_get_le32(p + 8);
	if (ssid_len > 32)
		return BCME_BADSSIDLEN;
	m->wifi.scan_sync_id = (uint16_t)nb_get_le16(p + 6);
	m->wifi.scan_ssid_len = (uint8_t)ssid_len;
	memcpy(m->wifi.scan_ssid, p + 12, ssid_len);
	return cy_scan_start(m);
}

static int join_iovar(struct nb_cyw43439_model *m, const uint8_t *p, size_t n)
{
	static const uint8_t bcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	uint32_t ssid_len;

	/* extjoin: wlc_ssid (36), scan params (20), assoc params {bssid, pad, u32 chanspec_num,
	 * u16 chanspec[]} (§4.3.3) */
	if (n < 70)
		return BCME_BADLEN;
	ssid_len = nb_get_le32(p);
	if (!ssid_len || ssid_len > 32)
		return BCME_BADSSIDLEN;
	memcpy(m->wifi.join_ssid, p + 4, ssid_len);
	m->wifi.join_ssid_len = (uint8_t)ssid_len;
	memcpy(m->wifi.join_bssid, p + 56, 6);
	m->wifi.join_bssid_set = memcmp(p + 56, bcast, 6) && memcmp(p + 56, "\0\0\0\0\0\0", 6);
	m->wifi.join_chan = nb_get_le32(p + 64) ? (nb_get_le16(p + 68) & 0xFF) : 0;
	return cy_join_start(m);
}

static int get_var(struct nb_cyw43439_model *m, struct req *r, const char *name,
		   const uint8_t *arg, size_t an)
{
	struct cy_wifi *w = &m->wifi;
	uint32_t idx;

	for (size_t i = 0; i < NB_ARRAY_SIZE(u32_vars); i++) {
		if (strcmp(name, u32_vars[i].name))
			continue;
		if (u32_vars[i].bsscfg && (arg_u32(arg, an, &idx) || idx))
			return BCME_NOTFOUND;
		return out_u32(r, *wfield(m, u32_vars[i].off));
	}
	if (!strcmp(name, "cur_etheraddr"))
		return out(r, w->mac, 6);
	if (!strcmp(name, "clmload_status"))
		return out_u32(r, w->clm_status);
	if (!strcmp(name, "bus:txglom"))
		return out_u32(r, 0);
	if (!strcmp(name, "ver")) {
		static const char ver[] = "wl0: Jan  1 2024 00:00:00 version 7.95.49 (netbench "
					  "model) FWID 01-6e626677\n";
		return out(r, ver, sizeof(ver));
	}
	if (!strcmp(name, "clmver")) {
		static const char clmver[] = "API: 12.2 Data: netbench model Compiler: none";
		return w->clm_loaded ? out(r, clmver, sizeof(clmver)) : BCME_NOTFOUND;
	}
	if (!strcmp(name, "country")) {
		uint8_t c[12] = { 0 };

		memcpy(c, w->country, 2);
		nb_put_le32(c + 4, (uint32_t)w->country_rev);
		memcpy(c + 8, w->country, 2);
		return out(r, c, sizeof(c));
	}
	if (!strcmp(name, "event_msgs") || !strcmp(name, "bsscfg:event_msgs"))
		return out(r, w->event_mask, NB_MIN(r->len, sizeof(w->event_mask)));
	if (!strcmp(name, "mcast_list"))
		return out(r, w->mcast, NB_MIN(r->len, 4 + 6 * (size_t)nb_get_le32(w->mcast)));
	if (!strcmp(name, "gpioout"))
		return out_u32(r, w->gpio_out);
	if (!strcmp(name, "ccgpioin"))
		return out_u32(r, 0x04); /* WL_GPIO2 = VBUS sense: USB power present */
	if (!strcmp(name, "bss")) {
		/* STA bsscfg 0 is up while associated; bsscfg 1 (CD's AP) does not exist. */
		if (arg_u32(arg, an, &idx) || idx)
			return BCME_NOTFOUND;
		return out_u32(r, cy_associated(w));
	}
	return BCME_UNSUPPORTED;
}

static int set_var(struct nb_cyw43439_model *m, struct req *r, const char *name,
		   const uint8_t *v, size_t vn)
{
	struct cy_wifi *w = &m->wifi;
	uint32_t x, idx;
	int rc;

	for (size_t i = 0; i < NB_ARRAY_SIZE(u32_vars); i++) {
		const struct u32_var *d = &u32_vars[i];

		if (strcmp(name, d->name))
			continue;
		if (d->bsscfg) {
			if ((rc = arg_u32(v, vn, &idx)))
				return rc;
			if (idx)
				return BCME_NOTFOUND; /* only the STA bsscfg exists */
			v += 4;
			vn -= 4;
		}
		if ((rc = arg_u32(v, vn, &x)))
			return rc;
		if (x > d->max)
			return BCME_BADARG;
		*wfield(m, d->off) = x;
		return 0;
	}
	(void)r;
	if (!strcmp(name, "clmload"))
		return clmload(m, v, vn);
	if (!strcmp(name, "bus:txglom")) {
		if ((rc = arg_u32(v, vn, &x)))
			return rc;
		return x ? BCME_UNSUPPORTED : 0; /* glomming is not modelled (§3.2.7) */
	}
	if (!strcmp(name, "country"))
		return set_country(m, v, vn);
	if (!strcmp(name, "cur_etheraddr")) {
		if (vn < 6)
			return BCME_BADLEN;
		if (v[0] & 1 || !memcmp(v, "\0\0\0\0\0\0", 6))
			return BCME_BADADDR;
		memcpy(w->mac, v, 6);
		return 0;
	}
	if (!strcmp(name, "event_msgs") || !strcmp(name, "bsscfg:event_msgs")) {
		/* CD leaves the bsscfg index uninitialised (§3.7.6): any index is accepted. */
		if (name[0] == 'b') {
			if (vn < 4)
				return BCME_BADLEN;
			v += 4;
			vn -= 4;
		}
		if (vn < 18)
			return BCME_BADLEN;
		memset(w->event_mask, 0, sizeof(w->event_mask));
		memcpy(w->event_mask, v, NB_MIN(vn, sizeof(w->event_mask)));
		return 0;
	}
	if (!strcmp(name, "mcast_list")) {
		if ((rc = arg_u32(v, vn, &x)))
			return rc;
		if (x > 10 || vn < 4 + 6 * (size_t)x)
			return BCME_BADARG;
		memset(w->mcast, 0, sizeof(w->mcast));
		memcpy(w->mcast, v, 4 + 6 * (size_t)x);
		return 0;
	}
	if (!strcmp(name, "gpioout")) {
		uint32_t mask;

		if ((rc = arg_u32(v, vn, &mask)) || (rc = arg_u32(v + 4, vn - NB_MIN(vn, 4), &x)))
			return rc;
		w->gpio_out = (w->gpio_out & ~mask) | (x & mask);
		return 0;
	}
	if (!strcmp(name, "escan"))
		return escan(m, v, vn);
	if (!strcmp(name, "join"))
		return join_iovar(m, v, vn);
	if (!strcmp(name, "mkeep_alive"))
		return vn >= 11 ? 0 : BCME_BADLEN;
	if (!strcmp(name, "sae_password"))
		return vn >= 2 ? 0 : BCME_BADLEN; /* stored nowhere: WPA3 is not modelled */
	/* Access-point mode (bss, bsscfg:ssid/wsec/wpa_auth, 2g_mrate, ...) is not modelled. */
	return BCME_UNSUPPORTED;
}

static int do_var(struct nb_cyw43439_model *m, struct req *r, bool set)
{
	char name[64];
	const uint8_t *nul = memchr(r->buf, 0, r->len);
	size_t nlen;

	if (!nul)
		return BCME_BADARG;
	nlen = (size_t)(nul - r->buf);
	if (nlen >= sizeof(name))
		return BCME_UNSUPPORTED;
	memcpy(name, r->buf, nlen + 1);
	/* Parameters are read from a copy: a GET result overwrites the name in place. */
	uint8_t args[CY_TX_SLOT];
	size_t an = r->len - nlen - 1;

	memcpy(args, nul + 1, an);
	return set ? set_var(m, r, name, args, an) : get_var(m, r, name, args, an);
}

/* ---- ioctls --------------------------------------------------------------------------- */

static int set_pmk(struct nb_cyw43439_model *m, const uint8_t *p, size_t n)
{
	struct cy_wifi *w = &m->wifi;
	unsigned klen, flags;

	/* wsec_pmk {u16 key_len, u16 flags, u8 key[64]} (§4.3.3) */
	if (n < 4)
		return BCME_BADLEN;
	klen = nb_get_le16(p);
	flags = nb_get_le16(p + 2);
	if (cy_associated(w))
		return BCME_ERROR; /* real firmware answers -1 while associated (T8) */
	if (klen > 64 || n < 4 + (size_t)klen)
		return BCME_BADLEN;
	if (flags & 1) {
		if (klen < 8 || klen > 63)
			return BCME_BADARG; /* a 3-byte passphrase is refused (T9) */
		for (unsigned i = 0; i < klen; i++)
			if (p[4 + i] < 0x20 || p[4 + i] > 0x7E)
				return BCME_BADARG;
		memcpy(w->pmk_passphrase, p + 4, klen);
		w->pmk_passphrase_len = (uint8_t)klen;
		w->pmk_is_raw = false;
	} else {
		if (nb_wpa_parse_hex_pmk((const char *)p + 4, klen, w->pmk_raw))
			return BCME_BADARG; /* the raw form is the PMK as 64 hex digits */
		w->pmk_is_raw = true;
	}
	w->pmk_set = true;
	return 0;
}

static int set_ssid(struct nb_cyw43439_model *m, const uint8_t *p, size_t n)
{
	uint32_t len;

	if (n < 36)
		return BCME_BADLEN;
	len = nb_get_le32(p);
	if (len > 32)
		return BCME_BADSSIDLEN;
	if (!len) { /* an empty SSID disassociates */
		cy_join_leave(m, false);
		return 0;
	}
	memcpy(m->wifi.join_ssid, p + 4, len);
	m->wifi.join_ssid_len = (uint8_t)len;
	m->wifi.join_bssid_set = false;
	m->wifi.join_chan = 0;
	return cy_join_start(m);
}

static int dispatch(struct nb_cyw43439_model *m, uint32_t cmd, struct req *r)
{
	struct cy_wifi *w = &m->wifi;
	uint32_t x;
	int rc;

	for (size_t i = 0; i < NB_ARRAY_SIZE(u32_cmds); i++) {
		const struct u32_cmd *d = &u32_cmds[i];

		if (d->get && cmd == d->get)
			return out_u32(r, *wfield(m, d->off));
		if (cmd != d->set)
			continue;
		if ((rc = arg_u32(r->buf, r->len, &x)))
			return rc;
		if (x > d->max)
			return BCME_BADARG;
		*wfield(m, d->off) = x;
		return 0;
	}
	switch (cmd) {
	case WLC_UP:
		if (!w->clm_loaded)
			cy_warning(m, "WLC_UP without a CLM blob loaded (§2.7)");
		w->up = true;
		return 0;
	case WLC_DOWN:
		cy_join_leave(m, true);
		w->up = false;
		return 0;
	case WLC_GET_BSSID:
		return cy_associated(w) ? out(r, w->bssid, 6) : BCME_NOTASSOCIATED;
	case WLC_GET_SSID: {
		uint8_t s[36] = { 0 };

		if (cy_associated(w)) {
			nb_put_le32(s, w->join_ssid_len);
			memcpy(s + 4, w->join_ssid, w->join_ssid_len);
		}
		return out(r, s, sizeof(s));
	}
	case WLC_SET_SSID:
		return set_ssid(m, r->buf, r->len);
	case WLC_GET_CHANNEL: {
		uint8_t ci[12];
		uint32_t ch = w->ap ? nb_wifi_ap_channel(w->ap) : w->channel;

		nb_put_le32(ci, ch);
		nb_put_le32(ci + 4, ch);
		nb_put_le32(ci + 8, 0);
		return out(r, ci, sizeof(ci));
	}
	case WLC_DISASSOC:
		cy_join_leave(m, false);
		return 0;
	case WLC_GET_AP:
		return out_u32(r, 0);
	case WLC_SET_AP:
		if ((rc = arg_u32(r->buf, r->len, &x)))
			return rc;
		return x ? BCME_UNSUPPORTED : 0; /* access-point mode is not modelled */
	case WLC_GET_RSSI:
		if (!w->ap)
			return BCME_NOTASSOCIATED;
		return out_u32(r, (uint32_t)(int32_t)nb_wifi_ap_rssi(w->ap));
	case WLC_SET_WSEC_PMK:
		return set_pmk(m, r->buf, r->len);
	case WLC_GET_VAR:
	case WLC_SET_VAR:
		return do_var(m, r, cmd == WLC_SET_VAR);
	case WLC_GET_ASSOCLIST:
	default:
		return BCME_UNSUPPORTED;
	}
}

void cy_ioctl_handle(struct nb_cyw43439_model *m, const uint8_t *cdc, size_t n)
{
	uint32_t cmd = nb_get_le32(cdc), flags = nb_get_le32(cdc + 8);
	size_t len = nb_get_le32(cdc + 4) & 0xFFFF, avail = n - CDC_LEN;
	uint8_t *reply = m->iobuf;
	struct req r = { .buf = reply + CDC_LEN, .iface = (flags >> 12) & 0xF };
	int rc;

	m->stats.ioctls++;
	if (len > avail) {
		/* Announced more data than the frame carries: answered with an error so the
		 * host still gets its one reply. */
		rc = BCME_BADLEN;
		cy_violation(m, "ioctl %u: CDC length %zu exceeds the %zu bytes in the frame",
			     (unsigned)cmd, len, avail);
		len = 0;
	} else {
		memcpy(r.buf, cdc + CDC_LEN, len);
		r.len = len;
		rc = r.iface ? BCME_NOTFOUND : dispatch(m, cmd, &r); /* only interface 0 exists */
	}
	nb_put_le32(reply, cmd);
	nb_put_le32(reply + 4, (uint32_t)len);
	nb_put_le32(reply + 8, (flags & ~CDCF_ERROR) | (rc ? CDCF_ERROR : 0));
	nb_put_le32(reply + 12, (uint32_t)rc);
	if (rc)
		m->stats.ioctl_errors++;
	if (cy_sdpcm_queue(m, 0, 12, reply, CDC_LEN + len, true))
		cy_violation(m, "ioctl %u reply lost: chip→host queue full", (unsigned)cmd);
}
