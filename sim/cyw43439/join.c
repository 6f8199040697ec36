/* SPDX-License-Identifier: MIT */
/* CYW43439 model: what the firmware does on the air. Join (§4.3-§4.5) with the real event
 * order, WPA2 key check through the AP, supplicant timeout, AP deauth and beacon loss (§4.6),
 * leave (§4.8), escan (§4.7), and the data path to and from the AP. Timelines run on a small
 * list of scheduled actions so a leave or a power cycle can cancel them as a group. */
#include <errno.h>
#include <string.h>

#include "sim/cyw43439/model_priv.h"
#include "sim/cyw43439/wpa.h"

enum {
	EV_SET_SSID = 0, EV_JOIN = 1, EV_AUTH = 3, EV_DEAUTH = 5, EV_DEAUTH_IND = 6,
	EV_ASSOC = 7, EV_DISASSOC = 11, EV_LINK = 16, EV_TXFAIL = 20, EV_PRUNE = 23,
	EV_PSK_SUP = 46, EV_ASSOC_REQ_IE = 87, EV_ASSOC_RESP_IE = 88,
};
enum { ST_SUCCESS = 0, ST_FAIL = 1, ST_TIMEOUT = 2, ST_NO_NETWORKS = 3, ST_ABORT = 4,
       ST_PARTIAL = 8 };
enum { SUP_WAIT_M3 = 8, SUP_KEYED = 6 };
enum { REASON_SUP_DEAUTH = 14, REASON_SUP_TMO = 15 };
enum { LINK_BCN_LOSS = 1, LINK_DISASSOC = 2, LINK_BSSCFG_DOWN = 4 };
enum { PRUNE_ENCR_MISMATCH = 1, PRUNE_RSN_MISMATCH = 8 };
#define WPA_AUTH_WPA_PSK 0x0004u
#define WPA_AUTH_WPA2_PSK 0x0080u
#define WSEC_AES 0x4u
#define MS (1000ull * 1000ull)

/* ---- scheduled actions ---------------------------------------------------------------- */

static void sched_arm(struct nb_cyw43439_model *m)
{
	uint64_t t = UINT64_MAX;

	for (unsigned i = 0; i < m->n_sched; i++)
		t = NB_MIN(t, m->sched[i].when);
	if (m->n_sched)
		nb_sim_timer_arm(m->sim, &m->sched_timer, t);
	else
		nb_sim_timer_cancel(m->sim, &m->sched_timer);
}

void cy_sched_add(struct nb_cyw43439_model *m, uint64_t delay, uint8_t group, uint8_t action,
		  uint32_t arg, uint32_t type, uint32_t status, uint32_t reason, uint16_t flags)
{
	struct cy_sched *s;

	if (m->n_sched >= CY_SCHED_MAX) {
		cy_warning(m, "firmware action list full: action %u dropped", action);
		return;
	}
	s = &m->sched[m->n_sched++];
	*s = (struct cy_sched){ .when = cy_now(m) + delay, .order = m->sched_order++,
				.group = group, .action = action, .arg = arg, .type = type,
				.status = status, .reason = reason, .flags = flags };
	sched_arm(m);
}

void cy_sched_cancel(struct nb_cyw43439_model *m, uint8_t group)
{
	unsigned j = 0;

	for (unsigned i = 0; i < m->n_sched; i++)
		if (m->sched[i].group != group)
			m->sched[j++] = m->sched[i];
	m->n_sched = j;
	sched_arm(m);
}

static void ev(struct nb_cyw43439_model *m, uint32_t type, uint32_t status, uint32_t reason,
	       uint16_t flags)
{
	const uint8_t *data = NULL;
	size_t len = 0;

	if (type == EV_SET_SSID) { /* SET_SSID carries the SSID (§3.7.1) */
		data = m->wifi.join_ssid;
		len = m->wifi.join_ssid_len;
	}
	cy_event_simple(m, type, status, reason, flags, data, len);
}

static void later(struct nb_cyw43439_model *m, uint64_t delay, uint32_t type, uint32_t status,
		  uint32_t reason, uint16_t flags)
{
	cy_sched_add(m, delay, GRP_JOIN, ACT_EVENT, 0, type, status, reason, flags);
}

/* ---- association state ------------------------------------------------------------------- */

static void teardown(struct nb_cyw43439_model *m)
{
	struct cy_wifi *w = &m->wifi;

	cy_sched_cancel(m, GRP_JOIN);
	cy_sched_cancel(m, GRP_LINK);
	w->ap = NULL;
	w->join = JOIN_IDLE;
	memset(w->bssid, 0, 6);
}

void cy_join_detach(struct nb_cyw43439_model *m)
{
	/* The firmware is gone (power, reset, free): leave the AP without any event. */
	if (m->wifi.ap)
		nb_wifi_ap_sta_leave(m->wifi.ap, m->wifi.mac);
	teardown(m);
}

static void sta_rx(void *ctx, const uint8_t *frame, size_t len)
{
	struct nb_cyw43439_model *m = ctx;
	const uint8_t *mc = m->wifi.mcast;
	bool wanted = !(frame[0] & 1) || !memcmp(frame, "\xff\xff\xff\xff\xff\xff", 6);

	if (m->wifi.join != JOIN_UP || len > CY_ETH_MAX)
		return;
	/* Multicast other than broadcast passes only if the host listed it (mcast_list). */
	for (uint32_t i = 0; !wanted && i < nb_get_le32(mc) && i < 10; i++)
		wanted = !memcmp(frame, mc + 4 + 6 * i, 6);
	if (!wanted) {
		m->stats.data_rx_filtered++;
		return;
	}
	m->rxbuild[0] = 0x20; /* BDC v2, priority 0, interface 0, data offset 0 */
	m->rxbuild[1] = m->rxbuild[2] = m->rxbuild[3] = 0;
	memcpy(m->rxbuild + 4, frame, len);
	if (cy_sdpcm_queue(m, 2, 18, m->rxbuild, 4 + len, false))
		m->stats.data_rx_dropped++;
	else
		m->stats.data_rx++;
}

static void sta_lost(void *ctx, bool deauth, uint16_t reason)
{
	struct nb_cyw43439_model *m = ctx;
	struct cy_wifi *w = &m->wifi;
	bool secure, was_up = w->join == JOIN_UP;

	if (!w->ap)
		return;
	secure = nb_wifi_ap_security(w->ap) != NB_WIFI_SEC_OPEN;
	w->ap = NULL; /* the AP has forgotten us already */
	if (!deauth) {
		/* Silent AP: the firmware notices when beacons stay away (§4.6). */
		cy_sched_cancel(m, GRP_JOIN);
		cy_sched_add(m, m->cfg.beacon_loss_ns, GRP_LINK, ACT_BEACON_LOSS, was_up, 0, 0, 0,
			     0);
		return;
	}
	/* Deauthenticated: controlled shutdown order PSK_SUP(6, 14), DEAUTH_IND, LINK down
	 * (§4.6, T4); during a failing handshake DEAUTH_IND, PSK_SUP(state, 14), LINK down
	 * (§4.5 (b)). */
	if (was_up && secure)
		ev(m, EV_PSK_SUP, SUP_KEYED, REASON_SUP_DEAUTH, 0);
	ev(m, EV_DEAUTH_IND, ST_SUCCESS, reason, 0);
	if (!was_up && secure)
		ev(m, EV_PSK_SUP, SUP_WAIT_M3, REASON_SUP_DEAUTH, 0);
	ev(m, EV_LINK, ST_SUCCESS, LINK_DISASSOC, 0);
	if (was_up)
		m->stats.link_downs++;
	else
		m->stats.join_failures++;
	teardown(m);
}

static const struct nb_wifi_sta_ops sta_ops = { .rx = sta_rx, .lost = sta_lost };

/* ---- join ------------------------------------------------------------------------------ */

int cy_join_start(struct nb_cyw43439_model *m)
{
	struct cy_wifi *w = &m->wifi;

	if (!w->up)
		return BCME_NOTUP;
	if (cy_associated(w)) { /* joining elsewhere drops the current association first */
		if (w->ap)
			nb_wifi_ap_sta_leave(w->ap, w->mac);
		if (w->join == JOIN_UP)
			m->stats.link_downs++;
		ev(m, EV_LINK, ST_SUCCESS, LINK_DISASSOC, 0);
		teardown(m);
	}
	cy_sched_cancel(m, GRP_JOIN);
	w->join = JOIN_SCANNING;
	m->stats.joins++;
	/* The reply goes out first; events follow the join scan (§3.0 R12, T10). */
	cy_sched_add(m, m->cfg.join_scan_ns, GRP_JOIN, ACT_JOIN_DECIDE, 0, 0, 0, 0, 0);
	return 0;
}

static struct nb_wifi_ap *find_ap(struct nb_cyw43439_model *m)
{
	struct cy_wifi *w = &m->wifi;
	struct nb_wifi_ap *best = NULL;

	for (unsigned i = 0; i < m->n_aps; i++) {
		struct nb_wifi_ap *ap = m->aps[i];
		size_t slen;
		const char *ssid = nb_wifi_ap_ssid(ap, &slen);
		uint8_t bssid[6];

		nb_wifi_ap_bssid(ap, bssid);
		if (!nb_wifi_ap_on_air(ap) || slen != w->join_ssid_len ||
		    memcmp(ssid, w->join_ssid, slen))
			continue;
		if (w->join_bssid_set && memcmp(bssid, w->join_bssid, 6))
			continue;
		if (w->join_chan && w->join_chan != nb_wifi_ap_channel(ap))
			continue;
		if (!best || nb_wifi_ap_rssi(ap) > nb_wifi_ap_rssi(best))
			best = ap;
	}
	return best;
}

/* @return 0, or the PRUNE reason when the host's security settings cannot join @p ap. */
static unsigned security_mismatch(const struct cy_wifi *w, struct nb_wifi_ap *ap)
{
	if (nb_wifi_ap_security(ap) == NB_WIFI_SEC_OPEN)
		return (w->wpa_auth || (w->wsec & 7)) ? PRUNE_ENCR_MISMATCH : 0;
	/* WPA2-PSK/CCMP: needs WPA2-PSK key management, AES, open-system 802.11 auth. SAE-only
	 * settings (WPA3, also Embassy's WPA2/WPA3 default) do not match a WPA2-only AP here;
	 * what the real firmware does then is unconfirmed (§4.3.1). */
	if ((w->wpa_auth & WPA_AUTH_WPA2_PSK) && (w->wsec & WSEC_AES) && w->auth == 0)
		return 0;
	if (!w->wpa_auth)
		return PRUNE_ENCR_MISMATCH;
	return PRUNE_RSN_MISMATCH;
}

static void join_decide(struct nb_cyw43439_model *m)
{
	struct cy_wifi *w = &m->wifi;
	struct nb_wifi_ap *ap = find_ap(m);
	unsigned prune;

	w->join = JOIN_IDLE;
	if (!ap) {
		ev(m, EV_SET_SSID, ST_NO_NETWORKS, 0, 0);
		m->stats.join_failures++;
		return;
	}
	prune = security_mismatch(w, ap);
	if (prune) {
		ev(m, EV_PRUNE, ST_SUCCESS, prune, 0);
		ev(m, EV_SET_SSID, ST_NO_NETWORKS, 0, 0);
		m->stats.join_failures++;
		return;
	}
	nb_wifi_ap_bssid(ap, w->bssid);
	if (nb_wifi_ap_sta_assoc(ap, w->mac, &sta_ops, m)) {
		ev(m, EV_AUTH, ST_TIMEOUT, 0, 0); /* no answer to 802.11 auth (§4.5, T3) */
		ev(m, EV_SET_SSID, ST_FAIL, 0, 0);
		memset(w->bssid, 0, 6);
		m->stats.join_failures++;
		return;
	}
	w->ap = ap;
	w->join = JOIN_ASSOC;
	/* §4.4.1 (T1/T2 timing): ASSOC_REQ_IE, AUTH, ASSOC_RESP_IE, ASSOC, LINK up, [4-way
	 * handshake → PSK_SUP keyed], JOIN, SET_SSID. */
	later(m, 0, EV_ASSOC_REQ_IE, ST_SUCCESS, 0, 0);
	later(m, 1 * MS, EV_AUTH, ST_SUCCESS, 0, 0);
	later(m, 7 * MS, EV_ASSOC_RESP_IE, ST_SUCCESS, 0, 0);
	later(m, 7 * MS, EV_ASSOC, ST_SUCCESS, 0, 0);
	cy_sched_add(m, 7 * MS, GRP_JOIN, ACT_ASSOCIATED, 0, 0, 0, 0, 0);
	if (nb_wifi_ap_security(ap) != NB_WIFI_SEC_OPEN)
		cy_sched_add(m, 17 * MS, GRP_JOIN, ACT_HANDSHAKE, 0, 0, 0, 0, 0);
	later(m, 34 * MS, EV_JOIN, ST_SUCCESS, 0, 0);
	later(m, 34 * MS, EV_SET_SSID, ST_SUCCESS, 0, 0);
}

static bool host_pmk(struct nb_cyw43439_model *m, uint8_t pmk[32])
{
	struct cy_wifi *w = &m->wifi;

	if (!w->pmk_set)
		return false;
	if (w->pmk_is_raw)
		memcpy(pmk, w->pmk_raw, 32);
	else
		nb_wpa_pmk(w->pmk_passphrase, w->pmk_passphrase_len, w->join_ssid,
			   w->join_ssid_len, pmk);
	return true;
}

static void handshake(struct nb_cyw43439_model *m)
{
	struct cy_wifi *w = &m->wifi;
	uint8_t pmk[32];
	bool have;

	if (w->join != JOIN_ASSOC || !w->ap)
		return;
	/* Without the firmware supplicant (sup_wpa 0) or a key, nobody answers the AP's M1. */
	have = w->sup_wpa && host_pmk(m, pmk);
	if (!nb_wifi_ap_sta_handshake(w->ap, w->mac, have ? pmk : NULL)) {
		w->join = JOIN_UP;
		ev(m, EV_PSK_SUP, SUP_KEYED, 0, 0);
		return;
	}
	/* Wrong key: M2's MIC fails at the AP, M3 never comes. Whoever times out first ends
	 * it: our supplicant (sup_wpa_tmo) or the AP (its deauth, through sta_lost). */
	w->join = JOIN_FAILING;
	if (w->sup_wpa)
		cy_sched_add(m, (uint64_t)w->sup_wpa_tmo * MS, GRP_JOIN, ACT_SUP_TIMEOUT, 0, 0, 0, 0,
			     0);
}

static void sup_timeout(struct nb_cyw43439_model *m)
{
	struct cy_wifi *w = &m->wifi;

	if (w->join != JOIN_FAILING)
		return;
	/* §4.5 (a): PSK_SUP(WAIT_M3, handshake timeout); the station then deauthenticates. */
	ev(m, EV_PSK_SUP, SUP_WAIT_M3, REASON_SUP_TMO, 0);
	ev(m, EV_DEAUTH, ST_SUCCESS, REASON_SUP_TMO, 0);
	ev(m, EV_LINK, ST_SUCCESS, LINK_DISASSOC, 0);
	if (w->ap)
		nb_wifi_ap_sta_leave(w->ap, w->mac);
	m->stats.join_failures++;
	teardown(m);
}

void cy_join_leave(struct nb_cyw43439_model *m, bool down)
{
	struct cy_wifi *w = &m->wifi;

	if (w->join == JOIN_SCANNING) {
		cy_sched_cancel(m, GRP_JOIN);
		w->join = JOIN_IDLE;
		ev(m, EV_SET_SSID, ST_ABORT, 0, 0);
	} else if (cy_associated(w)) {
		if (w->ap)
			nb_wifi_ap_sta_leave(w->ap, w->mac);
		if (w->join == JOIN_UP)
			m->stats.link_downs++;
		/* §4.8: DISASSOC then LINK down (reason disassoc, or bsscfg down for WLC_DOWN). */
		ev(m, EV_DISASSOC, ST_SUCCESS, 0, 0);
		ev(m, EV_LINK, ST_SUCCESS, down ? LINK_BSSCFG_DOWN : LINK_DISASSOC, 0);
		teardown(m);
	}
	if (down && w->scanning) {
		cy_sched_cancel(m, GRP_SCAN);
		w->scanning = false;
		cy_event_escan(m, NULL, ST_ABORT);
	}
}

/* ---- escan -------------------------------------------------------------------------------- */

int cy_scan_start(struct nb_cyw43439_model *m)
{
	uint64_t step = m->cfg.scan_ns / (m->n_aps + 1u);

	if (!m->wifi.up)
		return BCME_NOTUP;
	if (m->wifi.scanning)
		return BCME_BUSY; /* behaviour of a second escan is unconfirmed (§4.7) */
	m->wifi.scanning = true;
	for (unsigned i = 0; i < m->n_aps; i++)
		cy_sched_add(m, step * (i + 1), GRP_SCAN, ACT_SCAN_RESULT, i, 0, 0, 0, 0);
	cy_sched_add(m, m->cfg.scan_ns, GRP_SCAN, ACT_SCAN_DONE, 0, 0, 0, 0, 0);
	return 0;
}

static void scan_result(struct nb_cyw43439_model *m, unsigned i)
{
	struct cy_wifi *w = &m->wifi;
	size_t slen;
	const char *ssid;

	if (i >= m->n_aps || !nb_wifi_ap_on_air(m->aps[i]))
		return;
	ssid = nb_wifi_ap_ssid(m->aps[i], &slen);
	if (w->scan_ssid_len && (slen != w->scan_ssid_len || memcmp(ssid, w->scan_ssid, slen)))
		return;
	cy_event_escan(m, m->aps[i], ST_PARTIAL);
}

/* ---- data path ------------------------------------------------------------------------ */

bool cy_data_tx(struct nb_cyw43439_model *m, const uint8_t *eth, size_t len)
{
	(void)eth;
	(void)len;
	if (m->wifi.join != JOIN_UP) {
		m->stats.data_tx_no_link++;
		return false;
	}
	return true;
}

void cy_data_air_done(struct nb_cyw43439_model *m, const uint8_t *eth, size_t len)
{
	struct cy_wifi *w = &m->wifi;
	uint8_t *f = m->rxbuild;

	if (w->join != JOIN_UP) {
		m->stats.data_tx_no_link++;
		return;
	}
	if (!w->ap) { /* the AP went silent: no ACK (§4.6) */
		ev(m, EV_TXFAIL, ST_TIMEOUT, 0, 0);
		return;
	}
	memcpy(f, eth, len);
	/* A station sends 3-address frames: the source is always its own MAC. */
	if (memcmp(f + 6, w->mac, 6)) {
		memcpy(f + 6, w->mac, 6);
		m->stats.data_tx_src_rewritten++;
	}
	if (nb_wifi_ap_sta_send(w->ap, w->mac, f, len))
		ev(m, EV_TXFAIL, ST_TIMEOUT, 0, 0);
	else
		m->stats.data_tx++;
}

/* ---- dispatcher --------------------------------------------------------------------------- */

static void run(struct nb_cyw43439_model *m, const struct cy_sched *s)
{
	switch (s->action) {
	case ACT_EVENT:
		ev(m, s->type, s->status, s->reason, s->flags);
		break;
	case ACT_JOIN_DECIDE:
		join_decide(m);
		break;
	case ACT_ASSOCIATED:
		ev(m, EV_LINK, ST_SUCCESS, 0, 1);
		if (m->wifi.join == JOIN_ASSOC && m->wifi.ap &&
		    nb_wifi_ap_security(m->wifi.ap) == NB_WIFI_SEC_OPEN)
			m->wifi.join = JOIN_UP;
		break;
	case ACT_HANDSHAKE:
		handshake(m);
		break;
	case ACT_SUP_TIMEOUT:
		sup_timeout(m);
		break;
	case ACT_BEACON_LOSS:
		ev(m, EV_LINK, ST_SUCCESS, LINK_BCN_LOSS, 0);
		if (s->arg)
			m->stats.link_downs++;
		else
			m->stats.join_failures++;
		teardown(m);
		break;
	case ACT_SCAN_RESULT:
		scan_result(m, s->arg);
		break;
	case ACT_SCAN_DONE:
		m->wifi.scanning = false;
		cy_event_escan(m, NULL, ST_SUCCESS);
		break;
	default:
		break;
	}
}

void cy_sched_fire(void *ctx)
{
	struct nb_cyw43439_model *m = ctx;
	uint64_t now = cy_now(m);

	for (;;) {
		int best = -1;

		for (unsigned i = 0; i < m->n_sched; i++) {
			const struct cy_sched *s = &m->sched[i];

			if (s->when <= now &&
			    (best < 0 || s->when < m->sched[best].when ||
			     (s->when == m->sched[best].when && s->order < m->sched[best].order)))
				best = (int)i;
		}
		if (best < 0)
			break;
		struct cy_sched s = m->sched[best];

		m->sched[best] = m->sched[--m->n_sched];
		run(m, &s);
	}
	sched_arm(m);
	cy_update_irq(m);
}
