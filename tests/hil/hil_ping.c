/* SPDX-License-Identifier: MIT */
/* ARP and ICMP echo over an nb_netdev, for the real-board ping scenario. */
#include "tests/hil/hil_ping.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/util/compiler.h"

#define ETH_ARP 0x0806u
#define ETH_IP 0x0800u

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += nb_get_be16(p + i);
	if (n & 1u)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xFFFFu) + (s >> 16);
	return (uint16_t)~s;
}

int hil_ping_parse_ip(const char *s, uint8_t ip[4])
{
	unsigned a, b, c, d;
	char tail = 0;

	if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) < 4 || (tail && tail != '/') ||
	    a > 255 || b > 255 || c > 255 || d > 255)
		return -EINVAL;
	ip[0] = (uint8_t)a;
	ip[1] = (uint8_t)b;
	ip[2] = (uint8_t)c;
	ip[3] = (uint8_t)d;
	return 0;
}

static int send_frame(struct hil_ping *p, const uint8_t *frame, size_t len)
{
	uint8_t buf[NB_ETH_MAX_FRAME + 256];
	uint8_t *f = buf + p->dev->tx_headroom;

	if (len > NB_ETH_MAX_FRAME)
		return -EMSGSIZE;
	memset(f, 0, 60);
	memcpy(f, frame, len);
	return nb_netdev_send(p->dev, f, len < 60 ? 60 : len);
}

static void arp(struct hil_ping *p, uint16_t op, const uint8_t tha[6], const uint8_t tpa[4],
		const uint8_t dst[6])
{
	uint8_t f[60] = { 0 };

	memcpy(f, dst, 6);
	memcpy(f + 6, p->mac, 6);
	nb_put_be16(f + 12, ETH_ARP);
	nb_put_be16(f + 14, 1);      /* Ethernet */
	nb_put_be16(f + 16, ETH_IP); /* IPv4 */
	f[18] = 6;
	f[19] = 4;
	nb_put_be16(f + 20, op);
	memcpy(f + 22, p->mac, 6);
	memcpy(f + 28, p->ip, 4);
	memcpy(f + 32, tha, 6);
	memcpy(f + 38, tpa, 4);
	(void)send_frame(p, f, sizeof(f));
}

int hil_ping_arp(struct hil_ping *p)
{
	static const uint8_t bcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	static const uint8_t zero[6];

	arp(p, 1, zero, p->peer_ip, bcast);
	return 0;
}

int hil_ping_echo(struct hil_ping *p)
{
	uint8_t f[14 + 20 + 8 + 32];
	uint8_t *ip = f + 14, *icmp = ip + 20;
	uint16_t seq = p->next_seq;

	if (!p->peer_known || seq >= NB_ARRAY_SIZE(p->sent_at))
		return -EINVAL;
	memcpy(f, p->peer_mac, 6);
	memcpy(f + 6, p->mac, 6);
	nb_put_be16(f + 12, ETH_IP);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	nb_put_be16(ip + 2, 20 + 8 + 32);
	nb_put_be16(ip + 4, seq);
	ip[8] = 64;
	ip[9] = 1; /* ICMP */
	memcpy(ip + 12, p->ip, 4);
	memcpy(ip + 16, p->peer_ip, 4);
	nb_put_be16(ip + 10, csum(ip, 20));
	icmp[0] = 8; /* echo request */
	icmp[1] = 0;
	icmp[2] = icmp[3] = 0;
	nb_put_be16(icmp + 4, p->id);
	nb_put_be16(icmp + 6, seq);
	for (unsigned i = 0; i < 32; i++)
		icmp[8 + i] = (uint8_t)('a' + i % 26);
	nb_put_be16(icmp + 2, csum(icmp, 8 + 32));
	p->sent_at[seq] = p->now(p->now_ctx);
	p->next_seq++;
	return send_frame(p, f, sizeof(f));
}

static void on_rx(struct nb_netdev *dev, const uint8_t *f, size_t len, void *ctx)
{
	struct hil_ping *p = ctx;

	(void)dev;
	p->frames_seen++;
	if (len >= 42 && nb_get_be16(f + 12) == ETH_ARP && memcmp(f + 38, p->ip, 4) == 0) {
		uint16_t op = (uint16_t)nb_get_be16(f + 20);

		if (op == 1) { /* who has our address: answer, the peer needs it for its reply */
			arp(p, 2, f + 22, f + 28, f + 22);
			p->arp_answered++;
		}
		if (memcmp(f + 28, p->peer_ip, 4) == 0) {
			memcpy(p->peer_mac, f + 22, 6);
			p->peer_known = true;
		}
		return;
	}
	if (len >= 14 + 20 + 8 && nb_get_be16(f + 12) == ETH_IP && f[14 + 9] == 1) {
		const uint8_t *ip = f + 14, *icmp = ip + (ip[0] & 0x0Fu) * 4u;
		uint16_t seq;

		if (icmp + 8 > f + len || icmp[0] != 0 || nb_get_be16(icmp + 4) != p->id ||
		    memcmp(ip + 12, p->peer_ip, 4) != 0)
			return;
		seq = (uint16_t)nb_get_be16(icmp + 6);
		if (seq < p->next_seq && !p->rtt_ns[seq]) {
			p->rtt_ns[seq] = p->now(p->now_ctx) - p->sent_at[seq] + 1;
			p->replies++;
		}
	}
}

void hil_ping_start(struct hil_ping *p)
{
	p->id = 0x4E42;
	nb_netdev_set_rx_handler(p->dev, on_rx, p);
}
