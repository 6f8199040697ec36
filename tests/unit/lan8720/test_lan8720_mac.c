/* SPDX-License-Identifier: MIT */
/* LAN8720 software MAC (drivers/lan8720/lan8720_mac.c) over the model's RMII port and a wire:
 * padding and FCS as they appear on the wire, receive checks and their drop counters, the
 * address filter, zero-copy delivery, back-pressure. */
#include <errno.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "tests/unit/lan8720/bench.h"
#include "tests/unit/support/test_support.h"

#define MS NB_NS_PER_MS

static struct bench *up(const struct bench_opts *o, void (*tweak)(struct bench *))
{
	struct bench *b = bench_new(o);

	assert_non_null(b);
	b->cfg.has_nint = true;
	if (tweak)
		tweak(b);
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	return b;
}

static const uint64_t *drops(struct bench *b)
{
	return nb_netdev_stats(b->dev)->drops;
}

static void test_lan8720_mac_tx_pads_runts_and_appends_fcs(void **state)
{
	static const size_t lens[] = { 14, 42, 59, 60, 61, 333, NB_ETH_MAX_FRAME };
	struct bench *b = up(NULL, NULL);
	uint8_t frame[NB_ETH_MAX_FRAME], copy[NB_ETH_MAX_FRAME];

	(void)state;
	for (unsigned i = 0; i < 7; i++) {
		const struct bench_frame *f;
		size_t wire = (lens[i] < 60 ? 60 : lens[i]) + 4;
		uint32_t fcs;

		nb_test_frame(frame, lens[i], bench_peer_mac, bench_dev_mac, i);
		memcpy(copy, frame, lens[i]);
		assert_int_equal(nb_netdev_send(b->dev, frame, lens[i]), 0);
		assert_memory_equal(frame, copy, lens[i]); /* the caller's frame is not touched */
		bench_run(b, 2 * MS);
		f = bench_peer_peek(b);
		assert_non_null(f);
		assert_int_equal(f->len, wire);
		assert_memory_equal(f->data, copy, lens[i]);
		for (size_t k = lens[i]; k < wire - 4; k++)
			assert_int_equal(f->data[k], 0);
		fcs = nb_crc32(0, f->data, wire - 4);
		assert_int_equal(nb_get_le32(f->data + wire - 4), fcs);
		assert_int_equal(nb_crc32(0, f->data, wire), NB_CRC32_RESIDUE);
		bench_peer_pop(b);
	}
	assert_int_equal(nb_netdev_stats(b->dev)->tx_frames, 7);
	assert_int_equal(b->violations, 0); /* the model saw only 64..1518-byte frames */
	bench_free(b);
}

static void test_lan8720_mac_tx_vlan_and_oversize(void **state)
{
	struct bench *b = up(NULL, NULL);
	static uint8_t frame[2048];
	const struct bench_frame *f;

	(void)state;
	nb_test_frame(frame, 1518, bench_peer_mac, bench_dev_mac, 3);
	/* 1515..1518 bytes only with an 802.1Q tag */
	assert_int_equal(nb_netdev_send(b->dev, frame, 1515), -EMSGSIZE);
	assert_int_equal(nb_netdev_send(b->dev, frame, 1518), -EMSGSIZE);
	assert_int_equal(drops(b)[NB_DROP_TX_OVERSIZE], 2);
	frame[12] = 0x81;
	frame[13] = 0x00;
	assert_int_equal(nb_netdev_send(b->dev, frame, 1518), 0);
	assert_int_equal(nb_netdev_send(b->dev, frame, 1519), -EMSGSIZE); /* core: > max_frame */
	assert_int_equal(drops(b)[NB_DROP_TX_OVERSIZE], 3);
	bench_run(b, 2 * MS);
	f = bench_peer_peek(b);
	assert_non_null(f);
	assert_int_equal(f->len, 1522);
	assert_memory_equal(f->data, frame, 1518);
	assert_int_equal(nb_crc32(0, f->data, 1522), NB_CRC32_RESIDUE);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

static unsigned crc_calls;

static uint32_t counting_crc(uint32_t crc, const void *data, size_t len)
{
	crc_calls++;
	return nb_crc32_slice8(crc, data, len);
}

static void use_counting_crc(struct bench *b)
{
	b->cfg.crc32 = counting_crc;
}

static void test_lan8720_mac_uses_configured_crc(void **state)
{
	struct bench *b = up(NULL, use_counting_crc);
	uint8_t frame[100];

	(void)state;
	crc_calls = 0;
	nb_test_frame(frame, 40, bench_peer_mac, bench_dev_mac, 1);
	assert_int_equal(nb_netdev_send(b->dev, frame, 40), 0);
	assert_int_equal(crc_calls, 2); /* frame, then the pad */
	nb_test_frame(frame, 100, bench_dev_mac, bench_peer_mac, 2);
	assert_int_equal(bench_peer_send(b, frame, 100, false, 0), 0);
	bench_run(b, 2 * MS);
	assert_int_equal(b->rx_calls, 1);
	assert_int_equal(crc_calls, 3);
	bench_free(b);
}

struct zc {
	const uint8_t *seen;
	size_t len;
};

static void zc_rx(struct nb_netdev *dev, const uint8_t *frame, size_t len, void *ctx)
{
	struct zc *z = ctx;

	(void)dev;
	z->seen = frame;
	z->len = len;
}

static void test_lan8720_mac_rx_zero_copy_without_fcs(void **state)
{
	struct bench *b = up(NULL, NULL);
	struct nb_rmii_port port = nb_lan8720_model_rmii(b->m);
	struct nb_rmii_rx rx;
	struct zc z = { 0 };
	uint8_t frame[300];

	(void)state;
	nb_test_frame(frame, sizeof(frame), bench_dev_mac, bench_peer_mac, 9);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	bench_advance(b, 2 * MS);
	assert_true(nb_netdev_work_pending(b->dev)); /* the port's notify raised the IRQ */
	assert_int_equal(nb_rmii_rx_peek(&port, &rx), 0);
	assert_int_equal(rx.len, sizeof(frame) + 4);
	nb_netdev_set_rx_handler(b->dev, zc_rx, &z);
	assert_int_equal(nb_netdev_poll(b->dev, 0), 0); /* budget 0: no RX */
	assert_null(z.seen);
	assert_int_equal(nb_netdev_poll(b->dev, 4), 1);
	assert_ptr_equal(z.seen, rx.data); /* straight from the port's buffer */
	assert_int_equal(z.len, sizeof(frame));
	assert_int_equal(nb_netdev_stats(b->dev)->rx_bytes, sizeof(frame));
	assert_int_equal(nb_rmii_rx_peek(&port, &rx), -EAGAIN); /* released */
	bench_free(b);
}

static void test_lan8720_mac_rx_fcs_error_counted(void **state)
{
	struct bench *b = up(NULL, NULL);
	uint8_t frame[200];

	(void)state;
	nb_test_frame(frame, sizeof(frame), bench_dev_mac, bench_peer_mac, 1);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), true, 0), 0);
	bench_run(b, 2 * MS);
	nb_lan8720_model_corrupt_rx(b->m, 1);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	bench_run(b, 2 * MS);
	assert_int_equal(drops(b)[NB_DROP_RX_FCS], 2);
	assert_int_equal(nb_lan8720_model_stats(b->m)->rx_fcs_errors, 2);
	assert_int_equal(b->rx_calls, 1);
	assert_int_equal(nb_netdev_drops_total(b->dev), 2);
	bench_free(b);
}

static void test_lan8720_mac_rx_runt_and_oversize_counted(void **state)
{
	struct bench *b = up(NULL, NULL);
	static uint8_t frame[2048];

	(void)state;
	nb_test_frame(frame, 1600, bench_dev_mac, bench_peer_mac, 5);
	/* 63 bytes on the wire, FCS valid: a runt */
	assert_int_equal(bench_peer_send(b, frame, 59, false, 0), 0);
	/* 1519 untagged: too long */
	assert_int_equal(bench_peer_send(b, frame, 1515, false, 0), 0);
	/* 64 and 1518: the limits, delivered */
	assert_int_equal(bench_peer_send(b, frame, 60, false, 0), 0);
	assert_int_equal(bench_peer_send(b, frame, 1514, false, 0), 0);
	bench_run(b, 2 * MS);
	assert_int_equal(drops(b)[NB_DROP_RX_RUNT], 1);
	assert_int_equal(drops(b)[NB_DROP_RX_OVERSIZE], 1);
	assert_int_equal(b->rx_calls, 2);
	assert_int_equal(b->rx_len[0], 60);
	assert_int_equal(b->rx_len[1], 1514);
	/* tagged: 1522 on the wire passes, 1523 does not */
	frame[12] = 0x81;
	frame[13] = 0x00;
	assert_int_equal(bench_peer_send(b, frame, 1518, false, 0), 0);
	assert_int_equal(bench_peer_send(b, frame, 1519, false, 0), 0);
	bench_run(b, 2 * MS);
	assert_int_equal(b->rx_calls, 3);
	assert_int_equal(b->rx_len[2], 1518);
	assert_memory_equal(b->rx_data[2], frame, 1518);
	assert_int_equal(drops(b)[NB_DROP_RX_OVERSIZE], 2);
	assert_int_equal(nb_netdev_drops_total(b->dev), 3);
	bench_free(b);
}

static void test_lan8720_mac_rx_phy_error_counted(void **state)
{
	struct bench *b = up(NULL, NULL);
	uint8_t frame[100];

	(void)state;
	nb_test_frame(frame, sizeof(frame), bench_dev_mac, bench_peer_mac, 5);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, NB_WIRE_F_SYMBOL_ERR), 0);
	bench_run(b, 2 * MS);
	assert_int_equal(drops(b)[NB_DROP_RX_PHY_ERROR], 1);
	assert_int_equal(b->rx_calls, 0);
	bench_free(b);
}

static void test_lan8720_mac_rx_filter_and_promisc(void **state)
{
	static const uint8_t other[6] = { 0x02, 0x99, 0x99, 0x99, 0x99, 0x99 };
	static const uint8_t bcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5E, 0x00, 0x00, 0xFB };
	struct bench *b = up(NULL, NULL);
	uint8_t frame[80];

	(void)state;
	nb_test_frame(frame, sizeof(frame), other, bench_peer_mac, 1);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	nb_test_frame(frame, sizeof(frame), bcast, bench_peer_mac, 2);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	nb_test_frame(frame, sizeof(frame), mcast, bench_peer_mac, 3);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	nb_test_frame(frame, sizeof(frame), bench_dev_mac, bench_peer_mac, 4);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	bench_run(b, 2 * MS);
	assert_int_equal(drops(b)[NB_DROP_RX_FILTERED], 1);
	assert_int_equal(b->rx_calls, 3);
	assert_int_equal(b->rx_data[0][0], 0xFF);
	assert_int_equal(b->rx_data[1][0], 0x01);

	assert_int_equal(nb_netdev_set_promisc(b->dev, true), 0);
	assert_true(nb_netdev_flags(b->dev) & NB_NETDEV_F_PROMISC);
	nb_test_frame(frame, sizeof(frame), other, bench_peer_mac, 5);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	bench_run(b, 2 * MS);
	assert_int_equal(b->rx_calls, 4);
	assert_int_equal(drops(b)[NB_DROP_RX_FILTERED], 1);
	assert_int_equal(nb_netdev_set_promisc(b->dev, false), 0);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	bench_run(b, 2 * MS);
	assert_int_equal(drops(b)[NB_DROP_RX_FILTERED], 2);
	bench_free(b);
}

static void test_lan8720_mac_rx_overflow_counted(void **state)
{
	struct bench *b = up(NULL, NULL);
	uint8_t frame[100];

	(void)state;
	for (unsigned i = 0; i < 20; i++) {
		nb_test_frame(frame, sizeof(frame), bench_dev_mac, bench_peer_mac, i);
		assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	}
	bench_advance(b, 5 * MS); /* nobody polls: the 16-frame ring overflows */
	assert_int_equal(nb_lan8720_model_stats(b->m)->rx_overflow, 4);
	bench_poll_all(b);
	assert_int_equal(b->rx_calls, 16);
	assert_int_equal(drops(b)[NB_DROP_RX_OVERFLOW], 4);
	assert_int_equal(nb_netdev_drops_total(b->dev), 4);
	bench_free(b);
}

static void test_lan8720_mac_stale_frames_dropped_at_open(void **state)
{
	struct bench *b = bench_new(NULL);
	uint8_t frame[100];

	(void)state;
	assert_int_equal(bench_init(b), 0);
	bench_advance(b, 2000 * MS); /* the model links up on its own after power-on */
	assert_true(nb_lan8720_model_link_up(b->m));
	for (unsigned i = 0; i < 18; i++) {
		nb_test_frame(frame, sizeof(frame), bench_dev_mac, bench_peer_mac, i);
		assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	}
	bench_advance(b, 5 * MS);
	assert_int_equal(nb_netdev_open(b->dev), 0);
	assert_int_equal(drops(b)[NB_DROP_RX_NO_HANDLER], 18); /* 16 waiting + 2 lost */
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(b->rx_calls, 0);
	assert_int_equal(drops(b)[NB_DROP_RX_OVERFLOW], 0);
	bench_free(b);
}

static void test_lan8720_mac_tx_backpressure_and_irq(void **state)
{
	struct bench *b = up(NULL, NULL);
	uint8_t frame[200], copy[200];
	unsigned sent = 0;
	int ret;

	(void)state;
	bench_poll_all(b);
	for (;;) {
		int space = nb_netdev_tx_space(b->dev);

		nb_test_frame(frame, sizeof(frame), bench_peer_mac, bench_dev_mac, sent);
		memcpy(copy, frame, sizeof(frame));
		ret = nb_netdev_send(b->dev, frame, sizeof(frame));
		if (ret == -EAGAIN) {
			assert_int_equal(space, 0);
			break;
		}
		assert_int_equal(ret, 0);
		assert_true(space > 0);
		assert_true(++sent < 1000);
	}
	assert_memory_equal(frame, copy, sizeof(frame));
	assert_int_equal(nb_netdev_stats(b->dev)->tx_busy, 1);
	assert_false(nb_netdev_work_pending(b->dev));
	bench_advance(b, 2 * MS);
	assert_true(nb_netdev_work_pending(b->dev)); /* TX completion */
	bench_poll_all(b);
	assert_true(nb_netdev_tx_space(b->dev) > 0);
	assert_int_equal(nb_netdev_send(b->dev, frame, sizeof(frame)), 0);
	bench_run(b, 20 * MS);
	assert_int_equal(b->peer.count, sent + 1);
	assert_int_equal(nb_netdev_drops_total(b->dev), 0);

	/* A caller that stops at tx_space() == 0 and never sees -EAGAIN still hears when room
	 * is back: the port's TX-complete notification raises the IRQ. */
	while (nb_netdev_tx_space(b->dev) > 0)
		assert_int_equal(nb_netdev_send(b->dev, frame, sizeof(frame)), 0);
	assert_false(nb_netdev_work_pending(b->dev));
	bench_advance(b, 5 * MS);
	assert_true(nb_netdev_work_pending(b->dev));
	bench_poll_all(b);
	assert_true(nb_netdev_tx_space(b->dev) > 0);

	/* A port that never notifies (some HIL frame ports): the driver looks itself. */
	struct nb_rmii_port silent = nb_lan8720_model_rmii(b->m);
	assert_int_equal(nb_rmii_set_notify(&silent, NULL, NULL), 0);
	while (nb_netdev_tx_space(b->dev) > 0)
		assert_int_equal(nb_netdev_send(b->dev, frame, sizeof(frame)), 0);
	assert_true(nb_netdev_next_deadline(b->dev) <= nb_sim_now(b->sim) + MS);
	bench_advance(b, 5 * MS);
	assert_false(nb_netdev_work_pending(b->dev));
	assert_true(nb_netdev_next_deadline(b->dev) <= nb_sim_now(b->sim));
	assert_true(nb_netdev_poll(b->dev, 16) < 16);
	assert_true(nb_netdev_work_pending(b->dev)); /* raised at the re-arm */
	assert_true(nb_netdev_tx_space(b->dev) > 0);
	bench_poll_all(b);
	assert_int_equal(nb_netdev_next_deadline(b->dev), NB_DEADLINE_NONE);
	bench_free(b);
}

static void partner_10fd(struct bench *b)
{
	struct nb_lan8720_partner p = { .autoneg = true, .ability = 0x0061 };

	nb_lan8720_model_set_partner(b->m, &p);
}

static void test_lan8720_mac_frames_at_10mbps(void **state)
{
	struct bench *b = up(NULL, partner_10fd);
	uint8_t frame[500];
	const struct bench_frame *f;

	(void)state;
	assert_int_equal(b->links[0].speed_mbps, 10);
	nb_test_frame(frame, sizeof(frame), bench_dev_mac, bench_peer_mac, 1);
	assert_int_equal(bench_peer_send(b, frame, sizeof(frame), false, 0), 0);
	nb_test_frame(frame, sizeof(frame), bench_peer_mac, bench_dev_mac, 2);
	assert_int_equal(nb_netdev_send(b->dev, frame, sizeof(frame)), 0);
	bench_run(b, 10 * MS);
	assert_int_equal(b->rx_calls, 1);
	f = bench_peer_peek(b);
	assert_non_null(f);
	assert_memory_equal(f->data, frame, sizeof(frame));
	/* the port was told the speed, or frames would have been garbled */
	assert_int_equal(nb_lan8720_model_stats(b->m)->rmii_speed_mismatch, 0);
	bench_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lan8720_mac_tx_pads_runts_and_appends_fcs),
		cmocka_unit_test(test_lan8720_mac_tx_vlan_and_oversize),
		cmocka_unit_test(test_lan8720_mac_uses_configured_crc),
		cmocka_unit_test(test_lan8720_mac_rx_zero_copy_without_fcs),
		cmocka_unit_test(test_lan8720_mac_rx_fcs_error_counted),
		cmocka_unit_test(test_lan8720_mac_rx_runt_and_oversize_counted),
		cmocka_unit_test(test_lan8720_mac_rx_phy_error_counted),
		cmocka_unit_test(test_lan8720_mac_rx_filter_and_promisc),
		cmocka_unit_test(test_lan8720_mac_rx_overflow_counted),
		cmocka_unit_test(test_lan8720_mac_stale_frames_dropped_at_open),
		cmocka_unit_test(test_lan8720_mac_tx_backpressure_and_irq),
		cmocka_unit_test(test_lan8720_mac_frames_at_10mbps),
	};

	return cmocka_run_group_tests_name("lan8720_mac", tests, NULL, NULL);
}
