/* SPDX-License-Identifier: MIT */
#include "tests/unit/lan8720/bench.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "tests/unit/support/test_support.h"

const uint8_t bench_dev_mac[6] = { 0x02, 0x4C, 0x41, 0x4E, 0x87, 0x20 };
const uint8_t bench_peer_mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

static void peer_rx(void *ctx, const uint8_t *frame, size_t len, uint32_t flags)
{
	struct bench_peer *p = ctx;
	struct bench_frame *f;

	p->received++;
	if (p->count == BENCH_PEER_FRAMES || len > BENCH_FRAME_MAX)
		return;
	f = &p->ring[(p->head + p->count) % BENCH_PEER_FRAMES];
	memcpy(f->data, frame, len);
	f->len = len;
	f->flags = flags;
	f->t_ns = nb_sim_now(p->sim);
	p->count++;
}

static void peer_carrier(void *ctx, bool present)
{
	((struct bench_peer *)ctx)->carrier = present;
}

static const struct nb_wire_end_ops peer_ops = { .rx = peer_rx, .carrier = peer_carrier };

static void on_violation(void *ctx, const char *what, uint64_t t)
{
	struct bench *b = ctx;

	(void)t;
	b->violations++;
	snprintf(b->last_violation, sizeof(b->last_violation), "%s", what);
	if (getenv("NB_TEST_VERBOSE"))
		fprintf(stderr, "model violation: %s\n", what);
}

static void on_rx(struct nb_netdev *dev, const uint8_t *frame, size_t len, void *ctx)
{
	struct bench *b = ctx;

	(void)dev;
	if (b->rx_calls < BENCH_RX_MAX && len <= sizeof(b->rx_data[0])) {
		b->rx_len[b->rx_calls] = len;
		memcpy(b->rx_data[b->rx_calls], frame, len);
	}
	b->rx_calls++;
}

static void on_link(struct nb_netdev *dev, const struct nb_link_state *st, void *ctx)
{
	struct bench *b = ctx;

	(void)dev;
	if (b->link_calls < BENCH_LINK_MAX)
		b->links[b->link_calls] = *st;
	b->link_calls++;
}

static void on_trace(void *ctx, uint64_t t_ns, bool write, uint8_t phy, uint8_t reg, uint16_t val,
		     bool answered)
{
	struct bench *b = ctx;
	char line[96];
	int n;

	n = snprintf(line, sizeof(line), "%10.3f us %s phy=%2u reg=%2u val=0x%04x%s\n",
		     (double)(t_ns - b->trace_t0) / 1000.0, write ? "W" : "R", phy, reg, val,
		     answered ? "" : " (no answer)");
	if (n <= 0)
		return;
	if (b->trace_len + (size_t)n + 1 > b->trace_cap) {
		size_t cap = b->trace_cap ? b->trace_cap * 2 : 4096;
		char *t = realloc(b->trace, cap);

		if (!t)
			return;
		b->trace = t;
		b->trace_cap = cap;
	}
	memcpy(b->trace + b->trace_len, line, (size_t)n + 1);
	b->trace_len += (size_t)n;
}

struct bench *bench_new(const struct bench_opts *opts)
{
	static const struct bench_opts none;
	struct nb_sim_cfg sc = { 0 };
	struct nb_sim_mdio_cfg mc = { 0 };
	struct bench *b = calloc(1, sizeof(*b));

	if (!opts)
		opts = &none;
	if (!b)
		return NULL;
	b->sim = nb_sim_new(&sc);
	mc.no_pullup = opts->no_pullup;
	b->bus = nb_sim_mdio_new(b->sim, &mc);
	b->m = nb_lan8720_model_new(b->sim, &opts->model);
	b->peer.ring = calloc(BENCH_PEER_FRAMES, sizeof(*b->peer.ring));
	if (!b->sim || !b->bus || !b->m || !b->peer.ring) {
		bench_free(b);
		return NULL;
	}
	nb_lan8720_model_set_violation_cb(b->m, on_violation, b);
	if (!opts->no_model && nb_lan8720_model_attach_mdio(b->m, b->bus) < 0) {
		bench_free(b);
		return NULL;
	}
	b->peer.sim = b->sim;
	if (!opts->no_wire) {
		b->wire = nb_wire_new(b->sim, NULL);
		if (!b->wire) {
			bench_free(b);
			return NULL;
		}
		nb_wire_attach(b->wire, 1, &peer_ops, &b->peer);
		nb_wire_set_end_up(b->wire, 1, !opts->peer_down);
		nb_lan8720_model_attach_wire(b->m, b->wire, 0);
	}
	if (opts->bitbang) {
		struct nb_mdio_bitbang_cfg bc = {
			.gpio = nb_sim_mdio_gpio(b->bus),
			.mdc_pin = NB_SIM_MDIO_PIN_MDC,
			.mdio_pin = NB_SIM_MDIO_PIN_MDIO,
		};

		if (nb_mdio_bitbang_init(&b->bb, &bc) < 0) {
			bench_free(b);
			return NULL;
		}
		b->cfg.mdio = b->bb.bus;
	} else {
		b->cfg.mdio = nb_sim_mdio_bus(b->bus);
	}
	b->cfg.rmii = nb_lan8720_model_rmii(b->m);
	b->cfg.clock = *nb_sim_clock(b->sim);
	b->cfg.log = nb_test_log;
	b->cfg.gpio = nb_lan8720_model_gpio(b->m);
	b->cfg.nrst_pin = NB_LAN8720_PIN_NRST;
	b->cfg.nint_pin = NB_LAN8720_PIN_NINT;
	b->cfg.phy_addr = opts->model.phy_addr;
	memcpy(b->cfg.mac, bench_dev_mac, 6);
	return b;
}

void bench_free(struct bench *b)
{
	if (!b)
		return;
	if (b->dev)
		nb_lan8720_deinit(&b->drv);
	nb_lan8720_model_free(b->m);
	nb_wire_free(b->wire);
	nb_sim_mdio_free(b->bus);
	nb_sim_free(b->sim);
	free(b->peer.ring);
	free(b->trace);
	free(b);
}

int bench_init(struct bench *b)
{
	int ret = nb_lan8720_init(&b->drv, &b->cfg);

	if (ret < 0)
		return ret;
	b->dev = nb_lan8720_netdev(&b->drv);
	nb_netdev_set_rx_handler(b->dev, on_rx, b);
	nb_netdev_set_link_handler(b->dev, on_link, b);
	b->link_calls = 0; /* the registration call is not a change */
	return 0;
}

void bench_open(struct bench *b)
{
	assert_int_equal(bench_init(b), 0);
	assert_int_equal(nb_netdev_open(b->dev), 0);
}

int bench_poll_all(struct bench *b)
{
	int total = 0;

	for (int guard = 0; guard < 10000; guard++) {
		int n = nb_netdev_poll(b->dev, 16);

		assert_true(n >= 0);
		total += n;
		if (n < 16 && !nb_netdev_work_pending(b->dev))
			break;
	}
	return total;
}

static void run_loop(struct bench *b, uint64_t end, int until_link)
{
	for (;;) {
		uint64_t now = nb_sim_now(b->sim), next, dl;

		if (until_link >= 0 && b->dev && (bool)b->dev->link.up == (until_link == 1))
			return;
		dl = b->dev ? nb_netdev_next_deadline(b->dev) : NB_DEADLINE_NONE;
		if (b->dev && (nb_netdev_work_pending(b->dev) || dl <= now)) {
			bench_poll_all(b);
			/* A deadline that stays in the past after a poll is a driver bug. */
			if (nb_netdev_next_deadline(b->dev) <= nb_sim_now(b->sim) &&
			    !nb_netdev_work_pending(b->dev)) {
				assert_true(++b->stalls < 1000);
			} else {
				b->stalls = 0;
			}
			continue;
		}
		if (now >= end)
			return;
		next = nb_sim_next_event(b->sim);
		if (dl < next)
			next = dl;
		if (next > end)
			next = end;
		if (next <= now)
			nb_sim_run_due(b->sim);
		else
			nb_sim_advance_to(b->sim, next);
	}
}

void bench_run(struct bench *b, uint64_t ns)
{
	run_loop(b, nb_sim_now(b->sim) + ns, -1);
}

bool bench_run_until_up(struct bench *b, uint64_t max_ns)
{
	run_loop(b, nb_sim_now(b->sim) + max_ns, 1);
	return b->dev->link.up;
}

bool bench_run_until_down(struct bench *b, uint64_t max_ns)
{
	run_loop(b, nb_sim_now(b->sim) + max_ns, 0);
	return !b->dev->link.up;
}

void bench_advance(struct bench *b, uint64_t ns)
{
	nb_sim_advance_to(b->sim, nb_sim_now(b->sim) + ns);
}

size_t bench_add_fcs(uint8_t *buf, size_t len)
{
	nb_put_le32(buf + len, nb_crc32(0, buf, len));
	return len + 4;
}

int bench_peer_send_raw(struct bench *b, const uint8_t *frame, size_t len, uint32_t wire_flags)
{
	return nb_wire_send(b->wire, 1, frame, len, wire_flags);
}

int bench_peer_send(struct bench *b, const uint8_t *frame, size_t len, bool bad_fcs,
		    uint32_t wire_flags)
{
	uint8_t buf[BENCH_FRAME_MAX + 4];

	assert_true(len <= BENCH_FRAME_MAX);
	memcpy(buf, frame, len);
	bench_add_fcs(buf, len);
	if (bad_fcs)
		buf[len] ^= 0xFF;
	return bench_peer_send_raw(b, buf, len + 4, wire_flags);
}

const struct bench_frame *bench_peer_peek(struct bench *b)
{
	return b->peer.count ? &b->peer.ring[b->peer.head] : NULL;
}

void bench_peer_pop(struct bench *b)
{
	if (!b->peer.count)
		return;
	b->peer.head = (b->peer.head + 1) % BENCH_PEER_FRAMES;
	b->peer.count--;
}

void bench_trace_start(struct bench *b)
{
	b->trace_len = 0;
	if (b->trace)
		b->trace[0] = '\0';
	b->trace_t0 = nb_sim_now(b->sim);
	nb_sim_mdio_set_trace(b->bus, on_trace, b);
}

void bench_trace_stop(struct bench *b)
{
	nb_sim_mdio_set_trace(b->bus, NULL, NULL);
}
