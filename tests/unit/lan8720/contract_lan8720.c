/* SPDX-License-Identifier: MIT */
/*
 * Contract-suite factory for the LAN8720 driver: the driver on the LAN8720A model (register-
 * level MDIO, RMII port, nINT wired) with a wire to a test peer. The peer is the far side: it
 * sends frames with a FCS appended (a wrong one for inject_bad) and takes the device's frames
 * off the wire, checking and stripping their FCS.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "tests/unit/contract/contract.h"
#include "tests/unit/lan8720/bench.h"

#define MS NB_NS_PER_MS
/* Everything queued on the wire (32 frames of at most 1522 bytes at 100 Mb/s) lands in
 * about 4 ms; a few more let the port and the IRQ follow. */
#define SETTLE_NS (6 * MS)
/* Longest link change the model takes: break-link wait plus autonegotiation. */
#define LINK_CHANGE_MAX_NS (5000 * MS)

struct lan_h {
	struct bench *b;
	bool want_link;
};

static void *lan_setup(void)
{
	struct lan_h *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->b = bench_new(NULL);
	if (!h->b)
		goto err_bench;
	h->b->cfg.has_nint = true;
	if (bench_init(h->b) < 0 || nb_netdev_open(h->b->dev) < 0)
		goto err_open;
	if (!bench_run_until_up(h->b, 3000 * MS))
		goto err_open;
	h->want_link = true;
	return h;

err_open:
	bench_free(h->b);
err_bench:
	free(h);
	return NULL;
}

static void lan_teardown(void *p)
{
	struct lan_h *h = p;

	bench_free(h->b);
	free(h);
}

static struct nb_netdev *lan_netdev(void *p)
{
	return ((struct lan_h *)p)->b->dev;
}

static int lan_inject(void *p, const uint8_t *frame, size_t len)
{
	return bench_peer_send(((struct lan_h *)p)->b, frame, len, false, 0);
}

static int lan_inject_bad(void *p, const uint8_t *frame, size_t len, enum nb_drop_reason *expected)
{
	*expected = NB_DROP_RX_FCS;
	return bench_peer_send(((struct lan_h *)p)->b, frame, len, true, 0);
}

static void lan_settle(void *p)
{
	struct lan_h *h = p;

	/* A cable change first has to reach the PHY's link state (AN takes seconds). */
	for (uint64_t t = 0; t < LINK_CHANGE_MAX_NS &&
			     nb_lan8720_model_link_up(h->b->m) != h->want_link;
	     t += MS)
		bench_advance(h->b, MS);
	bench_advance(h->b, SETTLE_NS);
}

static int lan_far_take(void *p, uint8_t *buf, size_t cap)
{
	struct lan_h *h = p;
	const struct bench_frame *f = bench_peer_peek(h->b);
	size_t len;

	if (!f)
		return 0;
	if (f->len < 64 || nb_crc32(0, f->data, f->len) != NB_CRC32_RESIDUE) {
		bench_peer_pop(h->b);
		return -EBADMSG; /* the device put a frame with a wrong FCS or length on the wire */
	}
	len = f->len - 4;
	if (len > cap)
		return -EMSGSIZE;
	memcpy(buf, f->data, len);
	bench_peer_pop(h->b);
	return (int)len;
}

static void lan_set_link(void *p, bool up)
{
	struct lan_h *h = p;

	h->want_link = up;
	nb_lan8720_model_set_cable(h->b->m, up);
}

const struct nb_contract_dev nb_contract_dev_lan8720 = {
	.name = "lan8720",
	.setup = lan_setup,
	.teardown = lan_teardown,
	.netdev = lan_netdev,
	.inject = lan_inject,
	.inject_bad = lan_inject_bad,
	.settle = lan_settle,
	.far_take = lan_far_take,
	.set_link = lan_set_link,
	.tx_fill_hint = 0, /* port FIFO plus whatever the wire queues: let the suite find out */
};
