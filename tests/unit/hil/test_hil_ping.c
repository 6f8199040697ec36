/* SPDX-License-Identifier: MIT */
/*
 * The ping of the real-board scenarios (tests/hil/hil_ping.c) against a simulated host: the
 * LAN8720 driver on its model, and at the far end of the wire a peer that answers ARP and
 * ICMP echo as an IPv4 host does (and asks ARP for us first, as Linux does before replying).
 */
#include <errno.h>
#include <string.h>

#include "drivers/util/compiler.h"
#include "tests/hil/hil_ping.h"
#include "tests/unit/lan8720/bench.h"
#include "tests/unit/support/test_support.h"

static const uint8_t our_ip[4] = { 192, 168, 7, 2 }, peer_ip[4] = { 192, 168, 7, 1 };

struct peer_host {
	bool knows_us;      /* has our MAC from an ARP exchange */
	unsigned arp_sent, echoes;
	bool corrupt_reply; /* answer with a wrong ICMP id */
};

static uint16_t sum16(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += nb_get_be16(p + i);
	while (s >> 16)
		s = (s & 0xFFFFu) + (s >> 16);
	return (uint16_t)~s;
}

static void send60(struct bench *b, uint8_t *f, size_t len)
{
	if (len < 60) {
		memset(f + len, 0, 60 - len);
		len = 60;
	}
	assert_int_equal(bench_peer_send(b, f, len, false, 0), 0);
}

static void answer(struct bench *b, struct peer_host *ph)
{
	const struct bench_frame *fr;
	uint8_t out[1600];

	while ((fr = bench_peer_peek(b))) {
		const uint8_t *f = fr->data;
		size_t len = fr->len - 4;

		if (len >= 42 && nb_get_be16(f + 12) == 0x0806 && nb_get_be16(f + 20) == 1 &&
		    memcmp(f + 38, peer_ip, 4) == 0) {
			memcpy(out, f + 6, 6);
			memcpy(out + 6, bench_peer_mac, 6);
			memcpy(out + 12, f + 12, 8);
			nb_put_be16(out + 20, 2);
			memcpy(out + 22, bench_peer_mac, 6);
			memcpy(out + 28, peer_ip, 4);
			memcpy(out + 32, f + 22, 10);
			send60(b, out, 42);
		} else if (len >= 42 && nb_get_be16(f + 12) == 0x0806 && nb_get_be16(f + 20) == 2 &&
			   memcmp(f + 28, our_ip, 4) == 0) {
			ph->knows_us = true;
		} else if (len >= 42 && nb_get_be16(f + 12) == 0x0800 && f[23] == 1 &&
			   f[34] == 8 && memcmp(f + 30, peer_ip, 4) == 0) {
			if (!ph->knows_us) {
				/* a host asks who we are before it answers */
				static const uint8_t bcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

				memcpy(out, bcast, 6);
				memcpy(out + 6, bench_peer_mac, 6);
				nb_put_be16(out + 12, 0x0806);
				nb_put_be16(out + 14, 1);
				nb_put_be16(out + 16, 0x0800);
				out[18] = 6;
				out[19] = 4;
				nb_put_be16(out + 20, 1);
				memcpy(out + 22, bench_peer_mac, 6);
				memcpy(out + 28, peer_ip, 4);
				memset(out + 32, 0, 6);
				memcpy(out + 38, our_ip, 4);
				send60(b, out, 42);
				ph->arp_sent++;
				bench_peer_pop(b);
				continue; /* the request is dropped, as an unresolved one is */
			}
			memcpy(out, f, len);
			memcpy(out, f + 6, 6);
			memcpy(out + 6, bench_peer_mac, 6);
			memcpy(out + 26, f + 30, 4);
			memcpy(out + 30, f + 26, 4);
			out[34] = 0;
			if (ph->corrupt_reply)
				out[38] ^= 0xFF;
			out[36] = out[37] = 0;
			nb_put_be16(out + 36, sum16(out + 34, len - 34));
			send60(b, out, len);
			ph->echoes++;
		}
		bench_peer_pop(b);
	}
}

static uint64_t sim_now(void *ctx)
{
	return nb_sim_now(ctx);
}

static unsigned ping(bool corrupt, struct hil_ping *p, struct peer_host *ph)
{
	struct bench *b = bench_new(&(struct bench_opts){ .model = { .phy_addr = 1 } });

	memset(p, 0, sizeof(*p));
	memset(ph, 0, sizeof(*ph));
	ph->corrupt_reply = corrupt;
	bench_open(b);
	assert_true(bench_run_until_up(b, 5 * NB_NS_PER_S));
	p->dev = b->dev;
	memcpy(p->mac, bench_dev_mac, 6);
	memcpy(p->ip, our_ip, 4);
	memcpy(p->peer_ip, peer_ip, 4);
	p->now = sim_now;
	p->now_ctx = b->sim;
	hil_ping_start(p);
	for (unsigned i = 0; i < 40 && p->replies < 3; i++) {
		if (!p->peer_known)
			assert_int_equal(hil_ping_arp(p), 0);
		else
			assert_int_equal(hil_ping_echo(p), 0);
		for (unsigned k = 0; k < 10; k++) {
			bench_run(b, NB_NS_PER_MS);
			answer(b, ph);
		}
	}
	bench_free(b);
	return p->replies;
}

static void test_hil_ping_arp_then_echoes(void **state)
{
	struct hil_ping p;
	struct peer_host ph;

	(void)state;
	assert_int_equal(ping(false, &p, &ph), 3);
	assert_true(p.peer_known);
	assert_memory_equal(p.peer_mac, bench_peer_mac, 6);
	assert_int_equal(ph.arp_sent, 1);      /* the host asked for us once ... */
	assert_int_equal(p.arp_answered, 1);   /* ... and got its answer */
	assert_true(p.next_seq >= 4);          /* the first echo was lost to that exchange */
	for (unsigned s = 1; s < p.next_seq; s++)
		assert_true(p.rtt_ns[s] > 0);
}

static void test_hil_ping_ignores_foreign_replies(void **state)
{
	struct hil_ping p;
	struct peer_host ph;

	(void)state;
	/* replies with another id are not ours: nothing counts */
	assert_int_equal(ping(true, &p, &ph), 0);
	assert_true(ph.echoes > 0);
}

static void test_hil_ping_parses_addresses(void **state)
{
	uint8_t ip[4];

	(void)state;
	assert_int_equal(hil_ping_parse_ip("10.0.0.2/24", ip), 0);
	assert_memory_equal(ip, ((uint8_t[]){ 10, 0, 0, 2 }), 4);
	assert_int_equal(hil_ping_parse_ip("10.0.0.256", ip), -EINVAL);
	assert_int_equal(hil_ping_parse_ip("10.0.0", ip), -EINVAL);
	assert_int_equal(hil_ping_parse_ip("10.0.0.1x", ip), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hil_ping_arp_then_echoes),
		cmocka_unit_test(test_hil_ping_ignores_foreign_replies),
		cmocka_unit_test(test_hil_ping_parses_addresses),
	};

	return cmocka_run_group_tests_name("hil_ping", tests, NULL, NULL);
}
