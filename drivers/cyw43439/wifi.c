/* SPDX-License-Identifier: MIT */
/*
 * Wi-Fi control: join (§4.3-4.5), leave (§4.8) and the link state from events (§4.4.2,
 * §4.6). One ioctl is outstanding at a time; each task keeps
 * the index of its next request and cyw_wifi_service() sends it when the channel is free.
 *
 * "Joined" (§4.4.2, our choice): LINK with status 0 and the link flag on interface 0, and for
 * WPA2 also PSK_SUP "keyed" (status 6, reason 0), in either order. SET_SSID success and JOIN
 * are not waited for (SET_SSID can come after the handshake, JOIN adds nothing), but a failed
 * SET_SSID ends the attempt: status 3 = no such network, others = refused.
 */
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "drivers/util/nb_errno.h"

#define JOIN_TIMEOUT_NS (15ull * NB_NS_PER_S)
#define REJOIN_NS (2ull * NB_NS_PER_S)
/** Nominal PHY rate reported as link speed: 802.11n, 1 stream, 20 MHz, long GI (MCS7). */
#define WIFI_SPEED_MBPS 65u
#define SUP_WPA_TMO_MS 2500u

enum join_step {
	J_NONE = 0, J_WSEC, J_SUP_WPA, J_EAPVER, J_TMO, J_PMK, J_INFRA, J_AUTH, J_MFP, J_WPA_AUTH,
	J_SSID, J_END,
};

static bool secure(const struct nb_cyw43439 *d)
{
	return d->wifi.security != NB_CYW43439_SEC_OPEN;
}

void cyw_wifi_set_link(struct nb_cyw43439 *d, bool up)
{
	struct nb_link_state st = { .up = up, .full_duplex = false,
				    .speed_mbps = up ? WIFI_SPEED_MBPS : 0 };

	d->wifi.link_reported = up;
	nb_netdev_link_changed(&d->base, &st);
	if (up)
		cyw_sdpcm_tx_check(d);
}

void cyw_wifi_reset(struct nb_cyw43439 *d)
{
	uint8_t gen = d->wifi.join_gen;

	memset(&d->wifi, 0, sizeof(d->wifi));
	d->wifi.join_gen = (uint8_t)(gen + 1u);
	d->wifi.join_deadline = NB_DEADLINE_NONE;
	d->wifi.rejoin_at = NB_DEADLINE_NONE;
	d->wifi.scan_deadline = NB_DEADLINE_NONE;
	d->boot.init_step = 0;
}

/* Completions carry the attempt they belong to, so an answer to a request of an abandoned
 * attempt cannot advance a newer one. */
static void *gen_ctx(const struct nb_cyw43439 *d)
{
	return (void *)(uintptr_t)d->wifi.join_gen;
}

/* ---- join --------------------------------------------------------------------------------- */

static void join_clear_events(struct nb_cyw43439 *d)
{
	d->wifi.ev_auth_ok = false;
	d->wifi.ev_link = false;
	d->wifi.ev_keyed = false;
	d->wifi.ev_auth_failed = false;
}

static bool join_active(const struct nb_cyw43439 *d)
{
	return d->wifi.join_step != J_NONE || d->wifi.join_waiting;
}

static void join_begin(struct nb_cyw43439 *d)
{
	uint64_t t = d->cfg.join_timeout_ns ? d->cfg.join_timeout_ns : JOIN_TIMEOUT_NS;

	join_clear_events(d);
	d->wifi.join_gen++;
	d->wifi.state = NB_CYW43439_STATE_JOINING;
	d->wifi.join_step = J_WSEC;
	d->wifi.join_waiting = false;
	d->wifi.join_deadline = cyw_now(d) + t;
	d->wifi.rejoin_at = NB_DEADLINE_NONE;
}

static void give_up(struct nb_cyw43439 *d)
{
	d->wifi.want_assoc = false;
	d->wifi.state = NB_CYW43439_STATE_READY;
}

/* Association lost or an automatic attempt failed: try again later, unless told not to. */
static void keep_or_give_up(struct nb_cyw43439 *d)
{
	if (!d->wifi.want_assoc || d->cfg.no_rejoin) {
		give_up(d);
		return;
	}
	d->wifi.state = NB_CYW43439_STATE_JOINING;
	d->wifi.rejoin_at = cyw_now(d) + (d->cfg.rejoin_interval_ns ? d->cfg.rejoin_interval_ns
								     : REJOIN_NS);
}

/* The attempt is over. Success brings the link up; failure either gives up or, while we are
 * keeping an association alive, schedules the next attempt. */
static void join_end(struct nb_cyw43439 *d, int result, enum nb_cyw43439_reason reason)
{
	nb_cyw43439_join_fn fn = d->wifi.join_fn;
	void *ctx = d->wifi.join_ctx;

	d->wifi.join_step = J_NONE;
	d->wifi.join_waiting = false;
	d->wifi.join_deadline = NB_DEADLINE_NONE;
	d->wifi.join_fn = NULL;
	if (result == 0) {
		d->wifi.state = NB_CYW43439_STATE_JOINED;
		d->wifi.reason = NB_CYW43439_REASON_NONE;
		cyw_log(d, NB_LOG_INFO, "joined", 0, 0);
		cyw_wifi_set_link(d, true);
	} else {
		d->wifi.reason = (uint8_t)reason;
		cyw_log(d, NB_LOG_WARN, "join failed", reason, result);
		/* make the firmware forget a half-finished association before the next try */
		d->wifi.leave_pending = true;
		if (!fn)
			keep_or_give_up(d);
		else
			give_up(d);
	}
	if (fn)
		fn(d, result, ctx);
}

static int join_errno(enum nb_cyw43439_reason r)
{
	switch (r) {
	case NB_CYW43439_REASON_NO_NETWORK:
		return -NB_ENOENT;
	case NB_CYW43439_REASON_WRONG_PASSPHRASE:
	case NB_CYW43439_REASON_AUTH_REJECTED:
	case NB_CYW43439_REASON_DEAUTHENTICATED:
		return -NB_EACCES;
	case NB_CYW43439_REASON_JOIN_TIMEOUT:
	case NB_CYW43439_REASON_IOCTL_TIMEOUT:
		return -NB_ETIMEDOUT;
	default:
		return -NB_EIO;
	}
}

static void join_fail(struct nb_cyw43439 *d, enum nb_cyw43439_reason r)
{
	join_end(d, join_errno(r), r);
}

static void join_done(struct nb_cyw43439 *d, int result, int32_t fw_status, void *ctx)
{
	if (d->wifi.join_step == J_NONE || (uintptr_t)ctx != d->wifi.join_gen)
		return; /* cancelled or superseded meanwhile */
	if (result < 0) {
		cyw_log(d, NB_LOG_WARN, "join ioctl failed", d->wifi.join_step, fw_status);
		join_fail(d, result == -NB_ETIMEDOUT ? NB_CYW43439_REASON_IOCTL_TIMEOUT
						     : NB_CYW43439_REASON_FIRMWARE_REJECTED);
		return;
	}
	do
		d->wifi.join_step++;
	while (!secure(d) && (d->wifi.join_step == J_EAPVER || d->wifi.join_step == J_TMO ||
			      d->wifi.join_step == J_PMK || d->wifi.join_step == J_MFP));
	if (d->wifi.join_step == J_END) {
		/* R12: events of this attempt come after the SET_SSID answer */
		d->wifi.join_step = J_NONE;
		d->wifi.join_waiting = true;
	}
}

static int join_send(struct nb_cyw43439 *d)
{
	uint8_t b[CYW_WSEC_PMK_LEN];
	bool sec = secure(d);

	switch (d->wifi.join_step) {
	case J_WSEC:
		return cyw_ioctl_set_u32(d, CYW_WLC_SET_WSEC, sec ? CYW_WSEC_AES : 0, join_done, gen_ctx(d));
	case J_SUP_WPA:
		return cyw_bsscfg_set_u32(d, "bsscfg:sup_wpa", sec ? 1 : 0, join_done, gen_ctx(d));
	case J_EAPVER:
		return cyw_bsscfg_set_u32(d, "bsscfg:sup_wpa2_eapver", 0xFFFFFFFFu, join_done, gen_ctx(d));
	case J_TMO:
		return cyw_bsscfg_set_u32(d, "bsscfg:sup_wpa_tmo", SUP_WPA_TMO_MS, join_done, gen_ctx(d));
	case J_PMK:
		/* §4.3.3 wsec_pmk: u16 key_len, u16 flags (1 = passphrase), key[64] */
		memset(b, 0, sizeof(b));
		nb_put_le16(b, d->wifi.key_len);
		nb_put_le16(b + 2, d->wifi.key_is_pmk ? 0 : CYW_WSEC_PASSPHRASE);
		memcpy(b + 4, d->wifi.key, d->wifi.key_len);
		return cyw_ctl_submit(d, CYW_WLC_SET_WSEC_PMK, true, 0, b, sizeof(b), NULL, 0,
				      join_done, gen_ctx(d));
	case J_INFRA:
		return cyw_ioctl_set_u32(d, CYW_WLC_SET_INFRA, 1, join_done, gen_ctx(d));
	case J_AUTH:
		return cyw_ioctl_set_u32(d, CYW_WLC_SET_AUTH, 0, join_done, gen_ctx(d));
	case J_MFP:
		return cyw_iovar_set_u32(d, "mfp", 1, join_done, gen_ctx(d));
	case J_WPA_AUTH:
		return cyw_ioctl_set_u32(d, CYW_WLC_SET_WPA_AUTH,
				     sec ? CYW_WPA_AUTH_WPA2_PSK : CYW_WPA_AUTH_DISABLED, join_done,
				     gen_ctx(d));
	case J_SSID:
		memset(b, 0, 36);
		nb_put_le32(b, d->wifi.ssid_len);
		memcpy(b + 4, d->wifi.ssid, d->wifi.ssid_len);
		return cyw_ctl_submit(d, CYW_WLC_SET_SSID, true, 0, b, 36, NULL, 0, join_done,
				      gen_ctx(d));
	default:
		return 0;
	}
}

static void hex_pmk(uint8_t *dst, const uint8_t *pmk)
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned i = 0; i < NB_CYW43439_PMK_LEN; i++) {
		dst[2 * i] = (uint8_t)hex[pmk[i] >> 4];
		dst[2 * i + 1] = (uint8_t)hex[pmk[i] & 0xFu];
	}
}

int nb_cyw43439_join(struct nb_cyw43439 *d, const struct nb_cyw43439_join_params *p,
		     nb_cyw43439_join_fn fn, void *ctx)
{
	struct nb_cyw43439_wifi *w = &d->wifi;

	if (!p || !p->ssid || p->ssid_len == 0 || p->ssid_len > NB_CYW43439_SSID_MAX)
		return -NB_EINVAL;
	if (p->security != NB_CYW43439_SEC_OPEN && p->security != NB_CYW43439_SEC_WPA2_PSK)
		return -NB_EINVAL;
	if (p->security == NB_CYW43439_SEC_WPA2_PSK && !p->pmk &&
	    (!p->passphrase || p->passphrase_len < 8 || p->passphrase_len > 63))
		return -NB_EINVAL;
	if (!cyw_fw_up(d))
		return -NB_ENETDOWN;
	if (w->join_fn)
		return -NB_EBUSY;
	if (w->state == NB_CYW43439_STATE_JOINED)
		cyw_wifi_set_link(d, false);
	memset(w->ssid, 0, sizeof(w->ssid));
	memcpy(w->ssid, p->ssid, p->ssid_len);
	w->ssid_len = (uint8_t)p->ssid_len;
	w->security = (uint8_t)p->security;
	w->key_is_pmk = false;
	w->key_len = 0;
	memset(w->key, 0, sizeof(w->key));
	if (p->security == NB_CYW43439_SEC_WPA2_PSK) {
		if (p->pmk) {
			/* a raw PMK goes as 64 hex digits with the passphrase flag clear */
			hex_pmk(w->key, p->pmk);
			w->key_len = 2 * NB_CYW43439_PMK_LEN;
			w->key_is_pmk = true;
		} else {
			memcpy(w->key, p->passphrase, p->passphrase_len);
			w->key_len = (uint8_t)p->passphrase_len;
		}
	}
	w->join_fn = fn;
	w->join_ctx = ctx;
	w->want_assoc = true;
	/* a join while (re)associated starts from a clean firmware state */
	w->leave_pending = w->state != NB_CYW43439_STATE_READY;
	join_begin(d);
	cyw_wifi_service(d);
	return 0;
}

int nb_cyw43439_leave(struct nb_cyw43439 *d)
{
	struct nb_cyw43439_wifi *w = &d->wifi;
	nb_cyw43439_join_fn fn = w->join_fn;
	void *ctx = w->join_ctx;

	if (!cyw_fw_up(d))
		return -NB_ENETDOWN;
	w->want_assoc = false;
	w->join_step = J_NONE;
	w->join_gen++;
	w->join_waiting = false;
	w->join_deadline = NB_DEADLINE_NONE;
	w->rejoin_at = NB_DEADLINE_NONE;
	w->join_fn = NULL;
	w->leave_pending = true;
	w->state = NB_CYW43439_STATE_READY;
	w->reason = NB_CYW43439_REASON_LEFT;
	join_clear_events(d);
	cyw_wifi_set_link(d, false);
	if (fn)
		fn(d, -NB_ECANCELED, ctx);
	cyw_wifi_service(d);
	return 0;
}

/* ---- events ------------------------------------------------------------------------------- */

static void link_lost(struct nb_cyw43439 *d, enum nb_cyw43439_reason reason)
{
	d->wifi.reason = (uint8_t)reason;
	join_clear_events(d);
	cyw_log(d, NB_LOG_WARN, "link lost", reason, 0);
	keep_or_give_up(d);
	cyw_wifi_set_link(d, false);
}

/* A failure indication while an attempt is running: what it means depends on how far the
 * association got (§4.5). */
static void join_event_failure(struct nb_cyw43439 *d, enum nb_cyw43439_reason dflt)
{
	if (secure(d) && d->wifi.ev_link && !d->wifi.ev_keyed)
		join_fail(d, NB_CYW43439_REASON_WRONG_PASSPHRASE);
	else
		join_fail(d, dflt);
}

void cyw_wifi_event(struct nb_cyw43439 *d, const struct cyw_event *ev)
{
	struct nb_cyw43439_wifi *w = &d->wifi;
	bool joined = w->state == NB_CYW43439_STATE_JOINED;
	bool active = w->state == NB_CYW43439_STATE_JOINING && join_active(d);

	if (ev->ifidx != 0)
		return; /* only the STA interface */
	switch (ev->type) {
	case CYW_E_AUTH:
		if (ev->status == CYW_E_STATUS_SUCCESS) {
			w->ev_auth_ok = true;
			w->ev_auth_failed = false;
		} else if (ev->status != CYW_E_STATUS_UNSOLICITED) {
			w->ev_auth_failed = true;
		}
		break;
	case CYW_E_LINK:
		if (ev->status != CYW_E_STATUS_SUCCESS)
			break;
		if (ev->flags & CYW_E_LINK_FLAG_UP) {
			w->ev_link = true;
		} else if (joined) {
			link_lost(d, ev->reason == CYW_LINK_REASON_BCN_LOSS
					     ? NB_CYW43439_REASON_AP_LOST
					     : NB_CYW43439_REASON_DEAUTHENTICATED);
			return;
		} else if (active && w->ev_link) {
			join_event_failure(d, NB_CYW43439_REASON_JOIN_FAILED);
			return;
		}
		break;
	case CYW_E_PSK_SUP:
		if (ev->status == CYW_SUP_KEYED && ev->reason == 0) {
			w->ev_keyed = true;
		} else if (active && secure(d) && !w->ev_keyed && ev->reason != 0) {
			/* handshake timed out (M3 never came) or the AP deauthenticated us during
			 * it: the passphrase/PMK does not match (§4.5) */
			join_fail(d, NB_CYW43439_REASON_WRONG_PASSPHRASE);
			return;
		}
		break;
	case CYW_E_SET_SSID:
		if (!active || ev->status == CYW_E_STATUS_SUCCESS)
			break;
		if (ev->status == CYW_E_STATUS_NO_NETWORKS)
			join_fail(d, NB_CYW43439_REASON_NO_NETWORK);
		else
			join_event_failure(d, w->ev_auth_failed ? NB_CYW43439_REASON_AUTH_REJECTED
								: NB_CYW43439_REASON_JOIN_FAILED);
		return;
	case CYW_E_DEAUTH:
	case CYW_E_DEAUTH_IND:
	case CYW_E_DISASSOC:
	case CYW_E_DISASSOC_IND:
		if (joined)
			link_lost(d, NB_CYW43439_REASON_DEAUTHENTICATED);
		else if (active && w->ev_link)
			join_event_failure(d, NB_CYW43439_REASON_DEAUTHENTICATED);
		return;
	default:
		return;
	}
	/* association complete? (also when the firmware re-associated on its own) */
	if (w->state == NB_CYW43439_STATE_JOINING && w->ev_link && (!secure(d) || w->ev_keyed))
		join_end(d, 0, NB_CYW43439_REASON_NONE);
}

/* ---- service ------------------------------------------------------------------------------ */

static void leave_done(struct nb_cyw43439 *d, int result, int32_t fw_status, void *ctx)
{
	(void)d;
	(void)result;
	(void)fw_status;
	(void)ctx; /* best effort: an error here means there was nothing to leave */
}

static void timers(struct nb_cyw43439 *d)
{
	struct nb_cyw43439_wifi *w = &d->wifi;

	if (join_active(d) && nb_clock_expired(&d->cfg.clock, w->join_deadline)) {
		join_fail(d, NB_CYW43439_REASON_JOIN_TIMEOUT);
		return;
	}
	if (w->state == NB_CYW43439_STATE_JOINING && !join_active(d) && w->want_assoc &&
	    nb_clock_expired(&d->cfg.clock, w->rejoin_at)) {
		d->stats.rejoins++;
		join_begin(d);
	}
}

void cyw_wifi_service(struct nb_cyw43439 *d)
{
	struct nb_cyw43439_wifi *w = &d->wifi;
	int ret = 0;

	if (w->state == NB_CYW43439_STATE_OFF || w->state == NB_CYW43439_STATE_FAILED)
		return;
	if (w->state != NB_CYW43439_STATE_BOOTING)
		timers(d);
	cyw_scan_timers(d);
	if (d->ctl.busy)
		return;
	if (w->state == NB_CYW43439_STATE_BOOTING) {
		if (d->boot.init_step != 0)
			ret = cyw_init_send(d);
		if (ret < 0)
			cyw_boot_fail(d, NB_CYW43439_REASON_BUS_ERROR, ret);
		return;
	}
	if (w->leave_pending) {
		ret = cyw_ctl_submit(d, CYW_WLC_DISASSOC, true, 0, NULL, 0, NULL, 0, leave_done,
				     NULL);
		if (ret == 0)
			w->leave_pending = false;
	} else if (w->join_step != J_NONE) {
		ret = join_send(d);
		if (ret < 0)
			join_fail(d, NB_CYW43439_REASON_BUS_ERROR);
	} else if (w->scan_pending) {
		ret = cyw_scan_submit(d);
	}
}

uint64_t cyw_wifi_deadline(const struct nb_cyw43439 *d)
{
	const struct nb_cyw43439_wifi *w = &d->wifi;
	uint64_t t = NB_DEADLINE_NONE;

	if (join_active(d) && w->join_deadline < t)
		t = w->join_deadline;
	if (w->state == NB_CYW43439_STATE_JOINING && !join_active(d) && w->want_assoc &&
	    w->rejoin_at < t)
		t = w->rejoin_at;
	if (w->scanning && w->scan_deadline < t)
		t = w->scan_deadline;
	return t;
}

void cyw_wifi_stop(struct nb_cyw43439 *d)
{
	struct nb_cyw43439_wifi *w = &d->wifi;
	nb_cyw43439_join_fn fn = w->join_fn;
	void *ctx = w->join_ctx;

	cyw_ctl_cancel(d);
	w->join_fn = NULL;
	w->join_step = J_NONE;
	w->join_waiting = false;
	w->want_assoc = false;
	w->leave_pending = false;
	if (w->link_reported)
		cyw_wifi_set_link(d, false);
	if (fn)
		fn(d, -NB_ECANCELED, ctx);
	cyw_scan_finish(d, -NB_ECANCELED);
}
