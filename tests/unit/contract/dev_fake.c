/* SPDX-License-Identifier: MIT */
/*
 * Reference device for the contract suite: an in-memory NIC with a 4-frame TX ring, a
 * 16-frame RX ring, 8 bytes of TX headroom and an IRQ. It is the smallest honest
 * implementation of the contract, so the suite's expectations are checked against something
 * simple before they are applied to the chip drivers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/contract/contract.h"

#define FAKE_TX_SLOTS 4
#define FAKE_RX_SLOTS 16
#define FAKE_HEADROOM 8
#define FAKE_FAR_SLOTS 64

struct fake_frame {
	size_t len;
	bool bad;
	uint8_t data[NB_ETH_MAX_FRAME];
};

struct fake {
	struct nb_netdev base;
	struct fake_frame tx[FAKE_TX_SLOTS]; /* sent by the host, not yet on the "wire" */
	unsigned tx_count;
	struct fake_frame rx[FAKE_RX_SLOTS]; /* arrived, waiting for poll */
	unsigned rx_head, rx_count;
	struct fake_frame far[FAKE_FAR_SLOTS]; /* what the far side received */
	unsigned far_head, far_count;
	bool link_up;
	bool link_dirty;
	bool tx_was_full;
};

static struct fake *fake_of(struct nb_netdev *dev)
{
	return nb_container_of(dev, struct fake, base);
}

static int fake_open(struct nb_netdev *dev)
{
	(void)dev;
	return 0;
}

static int fake_stop(struct nb_netdev *dev)
{
	(void)dev;
	return 0;
}

static int fake_send(struct nb_netdev *dev, uint8_t *frame, size_t len)
{
	struct fake *f = fake_of(dev);

	if (f->tx_count == FAKE_TX_SLOTS) {
		f->tx_was_full = true;
		return -EAGAIN;
	}
	/* use the headroom like a bus header would */
	memset(frame - FAKE_HEADROOM, 0xA5, FAKE_HEADROOM);
	f->tx[f->tx_count].len = len;
	memcpy(f->tx[f->tx_count].data, frame, len);
	f->tx_count++;
	nb_netdev_tx_done(dev, len);
	return 0;
}

static int fake_tx_space(struct nb_netdev *dev)
{
	return FAKE_TX_SLOTS - (int)fake_of(dev)->tx_count;
}

static int fake_poll(struct nb_netdev *dev, int budget)
{
	struct fake *f = fake_of(dev);
	int done = 0;

	if (f->link_dirty) {
		struct nb_link_state st = { .up = f->link_up, .full_duplex = true,
					    .speed_mbps = 100 };

		f->link_dirty = false;
		nb_netdev_link_changed(dev, &st);
	}
	while (done < budget && f->rx_count) {
		struct fake_frame *fr = &f->rx[f->rx_head];

		f->rx_head = (f->rx_head + 1) % FAKE_RX_SLOTS;
		f->rx_count--;
		if (fr->bad)
			nb_netdev_drop(dev, NB_DROP_RX_FCS);
		else
			nb_netdev_rx(dev, fr->data, fr->len);
		done++;
	}
	return done;
}

static void fake_irq_rearm(struct nb_netdev *dev)
{
	struct fake *f = fake_of(dev);

	if (f->rx_count || f->link_dirty)
		nb_netdev_irq(dev);
}

static const struct nb_netdev_ops fake_ops = {
	.open = fake_open,
	.stop = fake_stop,
	.send = fake_send,
	.tx_space = fake_tx_space,
	.poll = fake_poll,
	.irq_rearm = fake_irq_rearm,
};

static void *fake_setup(void)
{
	struct fake *f = calloc(1, sizeof(*f));
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

	if (!f)
		return NULL;
	f->base.ops = &fake_ops;
	memcpy(f->base.name, "fake0", 6);
	memcpy(f->base.mac, mac, 6);
	f->base.mtu = 1500;
	f->base.max_frame = NB_ETH_MAX_FRAME;
	f->base.tx_headroom = FAKE_HEADROOM;
	f->base.caps = NB_NETDEV_CAP_IRQ | NB_NETDEV_CAP_100FD;
	if (nb_netdev_register(&f->base) < 0 || nb_netdev_open(&f->base) < 0) {
		free(f);
		return NULL;
	}
	f->link_up = true;
	f->link_dirty = true;
	nb_netdev_irq(&f->base);
	while (nb_netdev_poll(&f->base, 16) == 16)
		;
	return f;
}

static void fake_teardown(void *h)
{
	free(h);
}

static struct nb_netdev *fake_netdev(void *h)
{
	return &((struct fake *)h)->base;
}

static int fake_queue_rx(struct fake *f, const uint8_t *frame, size_t len, bool bad)
{
	struct fake_frame *fr;

	if (f->rx_count == FAKE_RX_SLOTS)
		return -ENOSPC;
	fr = &f->rx[(f->rx_head + f->rx_count) % FAKE_RX_SLOTS];
	fr->len = len;
	fr->bad = bad;
	memcpy(fr->data, frame, len);
	f->rx_count++;
	nb_netdev_irq(&f->base);
	return 0;
}

static int fake_inject(void *h, const uint8_t *frame, size_t len)
{
	return fake_queue_rx(h, frame, len, false);
}

static int fake_inject_bad(void *h, const uint8_t *frame, size_t len,
			   enum nb_drop_reason *expected)
{
	*expected = NB_DROP_RX_FCS;
	return fake_queue_rx(h, frame, len, true);
}

static void fake_settle(void *h)
{
	struct fake *f = h;

	for (unsigned i = 0; i < f->tx_count && f->far_count < FAKE_FAR_SLOTS; i++) {
		struct fake_frame *fr = &f->far[(f->far_head + f->far_count) % FAKE_FAR_SLOTS];

		*fr = f->tx[i];
		if (fr->len < NB_ETH_MIN_FRAME) { /* a MAC pads runts on the wire */
			memset(fr->data + fr->len, 0, NB_ETH_MIN_FRAME - fr->len);
			fr->len = NB_ETH_MIN_FRAME;
		}
		f->far_count++;
	}
	f->tx_count = 0;
	if (f->tx_was_full) {
		f->tx_was_full = false;
		nb_netdev_irq(&f->base); /* TX completion */
	}
}

static int fake_far_take(void *h, uint8_t *buf, size_t cap)
{
	struct fake *f = h;
	struct fake_frame *fr;

	if (!f->far_count)
		return 0;
	fr = &f->far[f->far_head];
	f->far_head = (f->far_head + 1) % FAKE_FAR_SLOTS;
	f->far_count--;
	if (fr->len > cap)
		return -EMSGSIZE;
	memcpy(buf, fr->data, fr->len);
	return (int)fr->len;
}

static void fake_set_link(void *h, bool up)
{
	struct fake *f = h;

	f->link_up = up;
	f->link_dirty = true;
	nb_netdev_irq(&f->base);
}

const struct nb_contract_dev nb_contract_dev_fake = {
	.name = "fake",
	.setup = fake_setup,
	.teardown = fake_teardown,
	.netdev = fake_netdev,
	.inject = fake_inject,
	.inject_bad = fake_inject_bad,
	.settle = fake_settle,
	.far_take = fake_far_take,
	.set_link = fake_set_link,
	.tx_fill_hint = FAKE_TX_SLOTS,
};
