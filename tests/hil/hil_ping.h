/* SPDX-License-Identifier: MIT */
/**
 * @file hil_ping.h
 * @brief The smallest IPv4 host that can ping: ARP for the peer, ICMP echo requests, echo
 *        replies matched by id/sequence; and it answers ARP requests for its own address so
 *        the peer can reply. Enough to prove a real link carries frames both ways, without a
 *        stack (the netbench program's lwIP port is the full one).
 */
#ifndef NB_TEST_HIL_PING_H
#define NB_TEST_HIL_PING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/netdev/netdev.h"

struct hil_ping {
	struct nb_netdev *dev;
	uint8_t mac[6];
	uint8_t ip[4], peer_ip[4];
	uint8_t peer_mac[6];
	bool peer_known;
	uint16_t id;
	uint16_t next_seq;
	unsigned replies;
	uint64_t sent_at[64];
	uint64_t rtt_ns[64];
	uint64_t (*now)(void *ctx);
	void *now_ctx;
	unsigned arp_answered;
	unsigned frames_seen;
};

/** Parse "a.b.c.d" (no prefix) or "a.b.c.d/len" (prefix ignored). @return 0 or -EINVAL. */
int hil_ping_parse_ip(const char *s, uint8_t ip[4]);
/** Start: install the RX handler on @p p->dev (fields dev, mac, ip, peer_ip, now set). */
void hil_ping_start(struct hil_ping *p);
/** Send an ARP request for the peer. @return 0 or the send error. */
int hil_ping_arp(struct hil_ping *p);
/** Send echo request number p->next_seq (needs the peer's MAC). @return 0 or error. */
int hil_ping_echo(struct hil_ping *p);

#endif
