/* SPDX-License-Identifier: MIT */
/* Simulated Wi-Fi access point: association table, WPA2-PSK key check, downlink air queue
 * per station, and a bridge to the wired side that behaves like a MAC (FCS check/strip on
 * receive, pad to 60 bytes and append FCS on transmit). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/util/compiler.h"
#include "drivers/util/crc32.h"
#include "sim/cyw43439/ap.h"
#include "sim/cyw43439/wpa.h"

#define MAX_STA 16
#define ETH_MIN 60u
#define ETH_MAX 1514u
#define AIR_OVERHEAD_BYTES 60u

struct ap_frame {
	uint16_t len;
	uint8_t buf[ETH_MAX];
};

struct ap_sta {
	bool used;
	bool authorized;
	uint8_t mac[6];
	const struct nb_wifi_sta_ops *ops;
	void *ctx;
	struct nb_wifi_ap *ap;
	struct nb_sim_timer hs_timer;  /* failed handshake → deauth */
	struct nb_sim_timer air_timer; /* downlink queue drain */
	struct ap_frame *q;
	unsigned q_head, q_count;
};

struct nb_wifi_ap {
	struct nb_sim *sim;
	char ssid[33];
	size_t ssid_len;
	uint8_t bssid[6];
	uint8_t channel;
	int8_t rssi;
	enum nb_wifi_security security;
	uint8_t pmk[NB_WPA_PMK_LEN];
	uint64_t hs_timeout_ns;
	uint16_t deauth_reason;
	uint32_t air_mbps;
	uint16_t queue_frames;
	uint16_t beacon_tu;
	bool on_air;
	struct nb_wire *wire;
	int wire_end;
	struct ap_sta sta[MAX_STA];
	struct nb_wifi_ap_stats stats;
	uint8_t txbuf[ETH_MAX + 4];
	uint8_t rxtmp[ETH_MAX];
};

static void wire_rx(void *ctx, const uint8_t *frame, size_t len, uint32_t flags);

static const struct nb_wire_end_ops wire_ops = { .rx = wire_rx };

struct nb_wifi_ap *nb_wifi_ap_new(struct nb_sim *sim, const struct nb_wifi_ap_cfg *cfg)
{
	static const uint8_t def_bssid[6] = { 0x02, 0x4E, 0x42, 0x00, 0x00, 0x01 };
	struct nb_wifi_ap *ap;
	size_t plen;

	if (!cfg || !cfg->ssid || !cfg->ssid[0] || strlen(cfg->ssid) > 32)
		goto err_cfg;
	ap = calloc(1, sizeof(*ap));
	if (!ap)
		goto err_cfg;
	ap->sim = sim;
	ap->ssid_len = strlen(cfg->ssid);
	memcpy(ap->ssid, cfg->ssid, ap->ssid_len);
	memcpy(ap->bssid, cfg->bssid, 6);
	if (!memcmp(ap->bssid, "\0\0\0\0\0\0", 6))
		memcpy(ap->bssid, def_bssid, 6);
	ap->channel = cfg->channel ? cfg->channel : 6;
	if (ap->channel > 14)
		goto err_free;
	ap->rssi = cfg->rssi_dbm ? cfg->rssi_dbm : -50;
	ap->security = cfg->security;
	if (ap->security == NB_WIFI_SEC_WPA2_PSK) {
		if (!cfg->passphrase)
			goto err_free;
		plen = strlen(cfg->passphrase);
		/* 64 hex digits are the PMK itself; otherwise 8..63 characters (802.11i H.4). */
		if (plen == 64) {
			if (nb_wpa_parse_hex_pmk(cfg->passphrase, plen, ap->pmk))
				goto err_free;
		} else if (plen >= 8 && plen <= 63) {
			nb_wpa_pmk(cfg->passphrase, plen, ap->ssid, ap->ssid_len, ap->pmk);
		} else {
			goto err_free;
		}
	} else if (ap->security != NB_WIFI_SEC_OPEN) {
		goto err_free;
	}
	ap->hs_timeout_ns = cfg->handshake_timeout_ns ? cfg->handshake_timeout_ns :
							3000ull * 1000000ull;
	ap->deauth_reason = cfg->deauth_reason ? cfg->deauth_reason : 15;
	ap->air_mbps = cfg->air_mbps ? cfg->air_mbps : 40;
	ap->queue_frames = cfg->queue_frames ? cfg->queue_frames : 64;
	ap->beacon_tu = cfg->beacon_tu ? cfg->beacon_tu : 100;
	ap->on_air = true;
	return ap;

err_free:
	free(ap);
err_cfg:
	return NULL;
}

static void sta_forget(struct ap_sta *s)
{
	nb_sim_timer_cancel(s->ap->sim, &s->hs_timer);
	nb_sim_timer_cancel(s->ap->sim, &s->air_timer);
	free(s->q);
	s->q = NULL;
	s->used = false;
	s->authorized = false;
	s->q_head = s->q_count = 0;
}

void nb_wifi_ap_free(struct nb_wifi_ap *ap)
{
	if (!ap)
		return;
	for (unsigned i = 0; i < MAX_STA; i++)
		if (ap->sta[i].used)
			sta_forget(&ap->sta[i]);
	free(ap);
}

void nb_wifi_ap_attach_wire(struct nb_wifi_ap *ap, struct nb_wire *wire, int end)
{
	ap->wire = wire;
	ap->wire_end = end;
	nb_wire_attach(wire, end, &wire_ops, ap);
	nb_wire_set_end_up(wire, end, true);
}

const char *nb_wifi_ap_ssid(const struct nb_wifi_ap *ap, size_t *len)
{
	if (len)
		*len = ap->ssid_len;
	return ap->ssid;
}

void nb_wifi_ap_bssid(const struct nb_wifi_ap *ap, uint8_t bssid[6])
{
	memcpy(bssid, ap->bssid, 6);
}

uint8_t nb_wifi_ap_channel(const struct nb_wifi_ap *ap)
{
	return ap->channel;
}

int8_t nb_wifi_ap_rssi(const struct nb_wifi_ap *ap)
{
	return ap->rssi;
}

uint16_t nb_wifi_ap_beacon_tu(const struct nb_wifi_ap *ap)
{
	return ap->beacon_tu;
}

enum nb_wifi_security nb_wifi_ap_security(const struct nb_wifi_ap *ap)
{
	return ap->security;
}

bool nb_wifi_ap_on_air(const struct nb_wifi_ap *ap)
{
	return ap->on_air;
}

void nb_wifi_ap_set_rssi(struct nb_wifi_ap *ap, int8_t rssi_dbm)
{
	ap->rssi = rssi_dbm;
}

const struct nb_wifi_ap_stats *nb_wifi_ap_stats(const struct nb_wifi_ap *ap)
{
	return &ap->stats;
}

unsigned nb_wifi_ap_station_count(const struct nb_wifi_ap *ap)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MAX_STA; i++)
		n += ap->sta[i].used;
	return n;
}

static struct ap_sta *find_sta(struct nb_wifi_ap *ap, const uint8_t mac[6])
{
	for (unsigned i = 0; i < MAX_STA; i++)
		if (ap->sta[i].used && !memcmp(ap->sta[i].mac, mac, 6))
			return &ap->sta[i];
	return NULL;
}

/* Remove the station, then tell it (its callback may call back into the AP). */
static void drop_sta(struct ap_sta *s, bool deauth, uint16_t reason)
{
	const struct nb_wifi_sta_ops *ops = s->ops;
	void *ctx = s->ctx;

	sta_forget(s);
	if (deauth)
		s->ap->stats.deauths++;
	if (ops && ops->lost)
		ops->lost(ctx, deauth, reason);
}

void nb_wifi_ap_set_on_air(struct nb_wifi_ap *ap, bool on, enum nb_wifi_ap_gone how)
{
	if (on) {
		ap->on_air = true;
		return;
	}
	ap->on_air = false;
	/* Deauth reason 3: "deauthenticated because sending station is leaving". */
	for (unsigned i = 0; i < MAX_STA; i++)
		if (ap->sta[i].used)
			drop_sta(&ap->sta[i], how == NB_WIFI_AP_DEAUTH,
				 how == NB_WIFI_AP_DEAUTH ? 3 : 0);
}

int nb_wifi_ap_kick(struct nb_wifi_ap *ap, const uint8_t sta[6], uint16_t reason)
{
	struct ap_sta *s = find_sta(ap, sta);

	if (!s)
		return -ENOENT;
	drop_sta(s, true, reason);
	return 0;
}

/* ---- downlink ---------------------------------------------------------------------------- */

static uint64_t air_ns(const struct nb_wifi_ap *ap, size_t len)
{
	return ((uint64_t)(len + AIR_OVERHEAD_BYTES) * 8u * 1000u) / ap->air_mbps;
}

static void air_fire(void *ctx)
{
	struct ap_sta *s = ctx;
	struct nb_wifi_ap *ap = s->ap;
	struct ap_frame *f;

	if (!s->q_count)
		return;
	f = &s->q[s->q_head];
	s->q_head = (s->q_head + 1) % ap->queue_frames;
	s->q_count--;
	if (s->q_count)
		nb_sim_timer_arm_in(ap->sim, &s->air_timer, air_ns(ap, s->q[s->q_head].len));
	ap->stats.to_sta++;
	/* Copy out first: the station's callback may make the AP queue more frames. */
	memcpy(ap->rxtmp, f->buf, f->len);
	s->ops->rx(s->ctx, ap->rxtmp, f->len);
}

static void to_sta(struct ap_sta *s, const uint8_t *frame, size_t len)
{
	struct nb_wifi_ap *ap = s->ap;
	struct ap_frame *f;

	if (!s->authorized)
		return;
	if (s->q_count >= ap->queue_frames) {
		ap->stats.to_sta_dropped++;
		return;
	}
	f = &s->q[(s->q_head + s->q_count) % ap->queue_frames];
	memcpy(f->buf, frame, len);
	f->len = (uint16_t)len;
	if (!s->q_count++)
		nb_sim_timer_arm_in(ap->sim, &s->air_timer, air_ns(ap, len));
}

static void to_wire(struct nb_wifi_ap *ap, const uint8_t *frame, size_t len)
{
	size_t n = NB_MAX(len, (size_t)ETH_MIN);

	if (!ap->wire)
		return;
	memcpy(ap->txbuf, frame, len);
	memset(ap->txbuf + len, 0, n - len); /* pad runts like a MAC */
	nb_put_le32(ap->txbuf + n, nb_crc32(0, ap->txbuf, n));
	if (nb_wire_send(ap->wire, ap->wire_end, ap->txbuf, n + 4, 0))
		ap->stats.wire_tx_busy++;
	else
		ap->stats.wire_tx++;
}

static void wire_rx(void *ctx, const uint8_t *frame, size_t len, uint32_t flags)
{
	struct nb_wifi_ap *ap = ctx;
	bool group, delivered = false;

	ap->stats.wire_rx++;
	if (len < ETH_MIN + 4) {
		ap->stats.wire_rx_runt++;
		return;
	}
	if ((flags & NB_WIRE_F_SYMBOL_ERR) || nb_crc32(0, frame, len) != NB_CRC32_RESIDUE) {
		ap->stats.wire_rx_bad_fcs++;
		return;
	}
	len -= 4;
	if (len > ETH_MAX || !ap->on_air)
		return;
	group = frame[0] & 1;
	for (unsigned i = 0; i < MAX_STA; i++) {
		struct ap_sta *s = &ap->sta[i];

		if (s->used && (group || !memcmp(frame, s->mac, 6))) {
			to_sta(s, frame, len);
			delivered = true;
		}
	}
	if (!delivered && !group)
		ap->stats.no_destination++;
}

/* ---- station interface ------------------------------------------------------------------ */

static void hs_fire(void *ctx)
{
	struct ap_sta *s = ctx;

	if (s->used && !s->authorized)
		drop_sta(s, true, s->ap->deauth_reason);
}

int nb_wifi_ap_sta_assoc(struct nb_wifi_ap *ap, const uint8_t sta[6],
			 const struct nb_wifi_sta_ops *ops, void *ctx)
{
	struct ap_sta *s = NULL;

	if (!ap->on_air)
		return -ENETDOWN;
	if (find_sta(ap, sta))
		return -EEXIST;
	for (unsigned i = 0; i < MAX_STA && !s; i++)
		if (!ap->sta[i].used)
			s = &ap->sta[i];
	if (!s)
		return -ENOSPC;
	memset(s, 0, sizeof(*s));
	s->q = calloc(ap->queue_frames, sizeof(*s->q));
	if (!s->q)
		return -ENOMEM;
	s->used = true;
	memcpy(s->mac, sta, 6);
	s->ops = ops;
	s->ctx = ctx;
	s->ap = ap;
	nb_sim_timer_init(&s->hs_timer, hs_fire, s);
	nb_sim_timer_init(&s->air_timer, air_fire, s);
	s->authorized = ap->security == NB_WIFI_SEC_OPEN;
	ap->stats.assocs++;
	return 0;
}

int nb_wifi_ap_sta_handshake(struct nb_wifi_ap *ap, const uint8_t sta[6], const uint8_t pmk[32])
{
	struct ap_sta *s = find_sta(ap, sta);

	if (!s)
		return -ENOENT;
	if (ap->security == NB_WIFI_SEC_OPEN)
		return -EINVAL;
	if (pmk && !memcmp(pmk, ap->pmk, NB_WPA_PMK_LEN)) {
		nb_sim_timer_cancel(ap->sim, &s->hs_timer);
		s->authorized = true;
		return 0;
	}
	/* M2 with a MIC made from another PMK (or no M2): the AP retries M1 and gives up. */
	ap->stats.handshake_failures++;
	if (!nb_sim_timer_armed(&s->hs_timer))
		nb_sim_timer_arm_in(ap->sim, &s->hs_timer, ap->hs_timeout_ns);
	return -EACCES;
}

void nb_wifi_ap_sta_leave(struct nb_wifi_ap *ap, const uint8_t sta[6])
{
	struct ap_sta *s = find_sta(ap, sta);

	if (s)
		sta_forget(s);
}

int nb_wifi_ap_sta_send(struct nb_wifi_ap *ap, const uint8_t sta[6], const uint8_t *frame,
			size_t len)
{
	struct ap_sta *s = find_sta(ap, sta);
	bool group, local = false;

	if (len < 14 || len > ETH_MAX)
		return -EMSGSIZE;
	if (!ap->on_air)
		return -ENETDOWN;
	if (!s || !s->authorized)
		return -ENOENT;
	ap->stats.from_sta++;
	group = frame[0] & 1;
	/* Intra-BSS: another station gets it directly; group frames also go to the wire. */
	for (unsigned i = 0; i < MAX_STA; i++) {
		struct ap_sta *o = &ap->sta[i];

		if (o->used && o != s && (group || !memcmp(frame, o->mac, 6))) {
			to_sta(o, frame, len);
			local = !group;
		}
	}
	if (!local)
		to_wire(ap, frame, len);
	return 0;
}
