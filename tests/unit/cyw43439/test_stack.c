/* SPDX-License-Identifier: MIT */
/*
 * Both chip drivers through the one stack wrapper: a LAN8720 (MDIO + RMII, wired peer) and a
 * CYW43439 (gSPI, AP, wired peer behind it) are each joined to a stack port with the same
 * nb_stack_init() call and driven by the same loop (nb_stack_poll_rx / nb_stack_pump_tx);
 * frames go port -> device -> far side and far side -> device -> port, byte for byte.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/lan8720/lan8720.h"
#include "drivers/stack/stack.h"
#include "drivers/util/crc32.h"
#include "sim/bus/mdio_bus.h"
#include "sim/lan8720/lan8720_model.h"
#include "tests/unit/cyw43439/rig.h"
#include "tests/unit/support/test_support.h"

#define FRAMES 24
#define PORT_SLOTS 64

/* ---- the stack port: what a TAP/lwIP port would be, as queues -------------------------- */

struct port {
	struct rig_frame *tx;   /* frames the "stack" wants sent */
	unsigned tx_head, tx_count;
	struct rig_frame *rx;   /* frames delivered up */
	unsigned rx_count;
	unsigned links;
	bool link_up;
};

static int port_deliver(void *ctx, const uint8_t *frame, size_t len)
{
	struct port *p = ctx;

	if (p->rx_count == PORT_SLOTS)
		return -EAGAIN;
	p->rx[p->rx_count].len = len;
	memcpy(p->rx[p->rx_count].data, frame, len);
	p->rx_count++;
	return 0;
}

static int port_next_tx(void *ctx, uint8_t *buf, size_t cap)
{
	struct port *p = ctx;
	struct rig_frame *f;

	if (!p->tx_count)
		return 0;
	f = &p->tx[p->tx_head];
	p->tx_head = (p->tx_head + 1) % PORT_SLOTS;
	p->tx_count--;
	if (f->len > cap)
		return -EMSGSIZE;
	memcpy(buf, f->data, f->len);
	return (int)f->len;
}

static void port_link(void *ctx, const struct nb_link_state *st)
{
	struct port *p = ctx;

	p->links++;
	p->link_up = st->up;
}

static const struct nb_stack_port_ops port_ops = {
	.deliver = port_deliver,
	.next_tx = port_next_tx,
	.link = port_link,
};

/* ---- a device under test, whatever it is ------------------------------------------------- */

struct dut {
	const char *name;
	struct nb_sim *sim;
	struct nb_netdev *dev;
	void *ctx;
	int (*peer_send)(void *ctx, const uint8_t *frame, size_t len);
	int (*peer_take)(void *ctx, uint8_t *buf, size_t cap);
};

/* The run loop of a netbench program, reduced: service the wrapper when the device has work
 * or a deadline, otherwise let virtual time run to the next event. */
static void run_for(const struct dut *u, struct nb_stack *s, const struct port *p, uint64_t ns)
{
	uint64_t end = nb_sim_now(u->sim) + ns, last_poll = 0;

	while (nb_sim_now(u->sim) < end) {
		uint64_t now = nb_sim_now(u->sim), t = nb_netdev_next_deadline(u->dev), ev;

		if (!(nb_netdev_caps(u->dev) & NB_NETDEV_CAP_IRQ)) {
			uint64_t next = last_poll + (u->dev->poll_interval_ns
							     ? u->dev->poll_interval_ns
							     : NB_NS_PER_MS);

			t = next < t ? next : t;
		}
		if (nb_netdev_work_pending(u->dev) || t <= now ||
		    (p->tx_count && nb_stack_tx_ready(s))) {
			assert_true(nb_stack_poll_rx(s) >= 0);
			assert_true(nb_stack_pump_tx(s) >= 0);
			last_poll = now;
			/* nothing may spin in place: a step that could not move time does so */
			if (nb_sim_now(u->sim) == now)
				nb_sim_advance_to(u->sim, now + 1000);
			continue;
		}
		ev = nb_sim_next_event(u->sim);
		ev = ev < t ? ev : t;
		nb_sim_advance_to(u->sim, ev < end ? ev : end);
	}
}

static void pass_frames(const struct dut *u)
{
	static const uint8_t peer[6] = { 0x02, 0x50, 0x45, 0x45, 0x52, 0x01 };
	struct port p = { 0 };
	struct nb_stack s;
	struct nb_stack_cfg cfg = { .port = { .ops = &port_ops, .ctx = &p } };
	uint8_t *tx_buf = malloc(NB_STACK_TX_BUF(u->dev));
	size_t hold_len = 8 * NB_STACK_HOLD_SLOT(u->dev->max_frame);
	uint8_t *hold = malloc(hold_len);
	uint8_t got[2048], want[2048];

	p.tx = calloc(PORT_SLOTS, sizeof(*p.tx));
	p.rx = calloc(PORT_SLOTS, sizeof(*p.rx));
	assert_true(tx_buf && hold && p.tx && p.rx);
	cfg.tx_buf = tx_buf;
	cfg.tx_buf_len = NB_STACK_TX_BUF(u->dev);
	cfg.rx_hold = hold;
	cfg.rx_hold_len = hold_len;
	assert_int_equal(nb_stack_init(&s, u->dev, &cfg), 0);
	assert_int_equal(p.links, 1);
	assert_true(p.link_up);

	/* stack -> device -> far side, lengths from runt to full size */
	for (unsigned i = 0; i < FRAMES; i++) {
		struct rig_frame *f = &p.tx[(p.tx_head + p.tx_count) % PORT_SLOTS];

		f->len = 14 + (i * 131) % (NB_ETH_MAX_FRAME - 13);
		nb_test_frame(f->data, f->len, peer, u->dev->mac, i);
		p.tx_count++;
	}
	run_for(u, &s, &p, 500 * NB_NS_PER_MS);
	assert_int_equal(p.tx_count, 0);
	assert_int_equal(nb_stack_stats(&s)->tx_sent, FRAMES);
	for (unsigned i = 0; i < FRAMES; i++) {
		size_t len = 14 + (i * 131) % (NB_ETH_MAX_FRAME - 13);
		int n = u->peer_take(u->ctx, got, sizeof(got));

		nb_test_frame(want, len, peer, u->dev->mac, i);
		assert_int_equal(n, len < 60 ? 60 : len);
		assert_memory_equal(got, want, len);
	}
	/* far side -> device -> stack */
	for (unsigned i = 0; i < FRAMES; i++) {
		size_t len = 60 + (i * 97) % (NB_ETH_MAX_FRAME - 59);

		nb_test_frame(want, len, u->dev->mac, peer, 100 + i);
		assert_int_equal(u->peer_send(u->ctx, want, len), 0);
		run_for(u, &s, &p, 2 * NB_NS_PER_MS);
	}
	run_for(u, &s, &p, 200 * NB_NS_PER_MS);
	assert_int_equal(p.rx_count, FRAMES);
	for (unsigned i = 0; i < FRAMES; i++) {
		size_t len = 60 + (i * 97) % (NB_ETH_MAX_FRAME - 59);

		nb_test_frame(want, len, u->dev->mac, peer, 100 + i);
		assert_int_equal(p.rx[i].len, len);
		assert_memory_equal(p.rx[i].data, want, len);
	}
	assert_int_equal(nb_stack_stats(&s)->rx_delivered, FRAMES);
	assert_int_equal(nb_netdev_drops_total(u->dev), 0);
	nb_stack_deinit(&s);
	free(tx_buf);
	free(hold);
	free(p.tx);
	free(p.rx);
}

/* ---- CYW43439 ------------------------------------------------------------------------------ */

static int cyw_send(void *ctx, const uint8_t *f, size_t len)
{
	return rig_peer_send(ctx, f, len);
}

static int cyw_take(void *ctx, uint8_t *buf, size_t cap)
{
	return rig_peer_take(ctx, buf, cap);
}

static void test_stack_cyw43439_through_the_wrapper(void **state)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });
	struct dut u = { .name = "cyw43439", .peer_send = cyw_send, .peer_take = cyw_take };

	(void)state;
	rig_boot_join(r);
	u.sim = r->sim;
	u.dev = rig_dev(r);
	u.ctx = r;
	pass_frames(&u);
	assert_int_equal(r->violations, 0);
	rig_free(r);
}

/* ---- LAN8720: PHY model on a simulated MDIO bus, RMII port, wire to a peer ---------------- */

struct lan {
	struct nb_sim *sim;
	struct nb_sim_mdio *bus;
	struct nb_lan8720_model *m;
	struct nb_wire *wire;
	struct nb_lan8720 drv;
	struct rig_frame *peer;
	unsigned peer_head, peer_count;
};

static void lan_peer_rx(void *ctx, const uint8_t *frame, size_t len, uint32_t flags)
{
	struct lan *l = ctx;
	struct rig_frame *f;

	(void)flags;
	if (l->peer_count == PORT_SLOTS || len < 4 || nb_crc32(0, frame, len) != NB_CRC32_RESIDUE)
		return;
	f = &l->peer[(l->peer_head + l->peer_count) % PORT_SLOTS];
	f->len = len - 4;
	memcpy(f->data, frame, len - 4);
	l->peer_count++;
}

static const struct nb_wire_end_ops lan_peer_ops = { .rx = lan_peer_rx };

static int lan_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct lan *l = ctx;
	uint8_t buf[2048];
	uint32_t fcs = nb_crc32(0, frame, len);

	memcpy(buf, frame, len);
	for (int i = 0; i < 4; i++)
		buf[len + (size_t)i] = (uint8_t)(fcs >> (8 * i));
	return nb_wire_send(l->wire, 1, buf, len + 4, 0);
}

static int lan_take(void *ctx, uint8_t *buf, size_t cap)
{
	struct lan *l = ctx;
	struct rig_frame *f;

	if (!l->peer_count)
		return 0;
	f = &l->peer[l->peer_head];
	l->peer_head = (l->peer_head + 1) % PORT_SLOTS;
	l->peer_count--;
	if (f->len > cap)
		return -EMSGSIZE;
	memcpy(buf, f->data, f->len);
	return (int)f->len;
}

static void test_stack_lan8720_through_the_wrapper(void **state)
{
	struct nb_sim_cfg sc = { .mode = NB_SIM_VIRTUAL, .seed = 2 };
	struct lan *l = calloc(1, sizeof(*l));
	struct nb_lan8720_cfg cfg = { 0 };
	struct dut u = { .name = "lan8720", .peer_send = lan_send, .peer_take = lan_take };
	struct nb_netdev *dev;
	static const uint8_t mac[6] = { 0x02, 0x4C, 0x41, 0x4E, 0x00, 0x01 };

	(void)state;
	assert_non_null(l);
	l->peer = calloc(PORT_SLOTS, sizeof(*l->peer));
	l->sim = nb_sim_new(&sc);
	l->bus = nb_sim_mdio_new(l->sim, NULL);
	l->m = nb_lan8720_model_new(l->sim, NULL);
	l->wire = nb_wire_new(l->sim, NULL);
	assert_true(l->peer && l->sim && l->bus && l->m && l->wire);
	assert_int_equal(nb_lan8720_model_attach_mdio(l->m, l->bus), 0);
	nb_lan8720_model_attach_wire(l->m, l->wire, 0);
	nb_wire_attach(l->wire, 1, &lan_peer_ops, l);
	nb_wire_set_end_up(l->wire, 1, true);
	cfg.mdio = nb_sim_mdio_bus(l->bus);
	cfg.rmii = nb_lan8720_model_rmii(l->m);
	cfg.clock = *nb_sim_clock(l->sim);
	cfg.log = nb_test_log;
	memcpy(cfg.mac, mac, 6);
	assert_int_equal(nb_lan8720_init(&l->drv, &cfg), 0);
	dev = nb_lan8720_netdev(&l->drv);
	assert_int_equal(nb_netdev_open(dev), 0);
	u.sim = l->sim;
	u.dev = dev;
	u.ctx = l;
	/* autonegotiation with the peer: run until the link is up */
	for (int i = 0; i < 5000 && !(nb_netdev_flags(dev) & NB_NETDEV_F_RUNNING); i++) {
		uint64_t t = nb_netdev_next_deadline(dev), ev = nb_sim_next_event(l->sim);

		(void)nb_netdev_poll(dev, 16);
		t = t < ev ? t : ev;
		if (t > nb_sim_now(l->sim) + 10 * NB_NS_PER_MS || t == NB_DEADLINE_NONE)
			t = nb_sim_now(l->sim) + 10 * NB_NS_PER_MS;
		nb_sim_advance_to(l->sim, t);
	}
	assert_true(nb_netdev_flags(dev) & NB_NETDEV_F_RUNNING);
	pass_frames(&u);
	nb_lan8720_deinit(&l->drv);
	nb_lan8720_model_free(l->m);
	nb_wire_free(l->wire);
	nb_sim_mdio_free(l->bus);
	nb_sim_free(l->sim);
	free(l->peer);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stack_cyw43439_through_the_wrapper),
		cmocka_unit_test(test_stack_lan8720_through_the_wrapper),
	};

	return cmocka_run_group_tests_name("cyw43439_stack", tests, NULL, NULL);
}
