/* SPDX-License-Identifier: MIT */
/*
 * The unified-interface contract (drivers/netdev/netdev.h), run against every device that
 * implements it. One parametrised suite: each factory in contract_sources becomes one cmocka
 * group named contract_<device>.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/contract/contract.h"
#include "tests/unit/support/test_support.h"

/* Factories are weak: a device whose directory did not add its factory is simply absent. */
extern const struct nb_contract_dev nb_contract_dev_fake;
extern const struct nb_contract_dev nb_contract_dev_lan8720 __attribute__((weak));
extern const struct nb_contract_dev nb_contract_dev_cyw43439 __attribute__((weak));

static const struct nb_contract_dev *cur;

#define MAX_SEEN 64

struct ctx {
	void *h;
	struct nb_netdev *dev;
	/* RX handler record */
	unsigned calls;
	size_t lens[MAX_SEEN];
	uint8_t first_bytes[MAX_SEEN][NB_ETH_MAX_FRAME_VLAN];
	/* link handler record */
	unsigned link_calls;
	struct nb_link_state last_link;
	unsigned wakes;
	bool remove_on_first;
	bool replace_on_first;
	unsigned second_calls;
};

static const uint8_t far_mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

static void on_rx(struct nb_netdev *dev, const uint8_t *frame, size_t len, void *arg)
{
	struct ctx *c = arg;

	if (c->calls < MAX_SEEN) {
		c->lens[c->calls] = len;
		memcpy(c->first_bytes[c->calls], frame, len);
	}
	c->calls++;
	if (c->remove_on_first && c->calls == 1)
		nb_netdev_set_rx_handler(dev, NULL, NULL);
}

static void on_rx_second(struct nb_netdev *dev, const uint8_t *frame, size_t len, void *arg)
{
	struct ctx *c = arg;

	(void)dev;
	(void)frame;
	(void)len;
	c->second_calls++;
}

static void on_rx_replacing(struct nb_netdev *dev, const uint8_t *frame, size_t len, void *arg)
{
	struct ctx *c = arg;

	on_rx(dev, frame, len, arg);
	if (c->calls == 1)
		nb_netdev_set_rx_handler(dev, on_rx_second, c);
}

static void on_link(struct nb_netdev *dev, const struct nb_link_state *st, void *arg)
{
	struct ctx *c = arg;

	(void)dev;
	c->link_calls++;
	c->last_link = *st;
}

static void on_wake(struct nb_netdev *dev, void *arg)
{
	(void)dev;
	((struct ctx *)arg)->wakes++;
}

static int setup(void **state)
{
	static struct ctx c;

	memset(&c, 0, sizeof(c));
	c.h = cur->setup();
	if (!c.h)
		return -1;
	c.dev = cur->netdev(c.h);
	nb_netdev_set_rx_handler(c.dev, on_rx, &c);
	nb_netdev_set_wake(c.dev, on_wake, &c);
	*state = &c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	cur->teardown(c->h);
	return 0;
}

/* Poll until the device has nothing left; returns frames processed. */
static int poll_all(struct ctx *c)
{
	int total = 0;

	for (int guard = 0; guard < 10000; guard++) {
		int n = nb_netdev_poll(c->dev, 16);

		assert_true(n >= 0);
		total += n;
		if (n < 16 && !nb_netdev_work_pending(c->dev))
			break;
	}
	return total;
}

static size_t make_frame(uint8_t *buf, size_t len, unsigned seed, const uint8_t *dst)
{
	return nb_test_frame(buf, len, dst, far_mac, seed);
}

/* A frame the device sends: from its own MAC, as every stack sends them. A Wi-Fi station
 * (3-address frames) cannot send any other source address; the AP sees its own. */
static size_t make_tx_frame(struct ctx *c, uint8_t *buf, size_t len, unsigned seed)
{
	return nb_test_frame(buf, len, far_mac, c->dev->mac, seed);
}

static void inject_n(struct ctx *c, unsigned n, size_t len)
{
	uint8_t buf[NB_ETH_MAX_FRAME];

	for (unsigned i = 0; i < n; i++) {
		make_frame(buf, len, 100 + i, c->dev->mac);
		assert_int_equal(cur->inject(c->h, buf, len), 0);
	}
	cur->settle(c->h);
}

static void test_contract_identity(void **state)
{
	struct ctx *c = *state;
	static const uint8_t zero[6];

	assert_true(c->dev->name[0] != '\0');
	assert_memory_not_equal(c->dev->mac, zero, 6);
	assert_false(c->dev->mac[0] & 1); /* unicast */
	assert_true(c->dev->max_frame >= NB_ETH_MAX_FRAME);
	assert_int_equal(c->dev->mtu, 1500);
	assert_true(nb_netdev_flags(c->dev) & NB_NETDEV_F_UP);
	assert_true(nb_netdev_flags(c->dev) & NB_NETDEV_F_RUNNING);
	assert_true(nb_netdev_flags(c->dev) & NB_NETDEV_F_BROADCAST);
}

static void test_contract_budget_zero_delivers_nothing(void **state)
{
	struct ctx *c = *state;

	inject_n(c, 3, 100);
	assert_int_equal(nb_netdev_poll(c->dev, 0), 0);
	assert_int_equal(c->calls, 0);
	assert_int_equal(nb_netdev_stats(c->dev)->rx_frames, 0);
	/* the frames are still there */
	assert_int_equal(poll_all(c), 3);
	assert_int_equal(c->calls, 3);
}

static void test_contract_budget_bounds_delivery(void **state)
{
	struct ctx *c = *state;

	inject_n(c, 5, 64);
	assert_int_equal(nb_netdev_poll(c->dev, 2), 2);
	assert_int_equal(c->calls, 2);
	assert_true(nb_netdev_work_pending(c->dev)); /* budget used up: more to do */
	assert_int_equal(poll_all(c), 3);
	assert_int_equal(c->calls, 5);
}

static void test_contract_rx_frames_intact_in_order(void **state)
{
	struct ctx *c = *state;
	uint8_t want[NB_ETH_MAX_FRAME];
	static const size_t lens[] = { 60, 61, 333, NB_ETH_MAX_FRAME };

	for (unsigned i = 0; i < 4; i++) {
		make_frame(want, lens[i], 7 + i, c->dev->mac);
		assert_int_equal(cur->inject(c->h, want, lens[i]), 0);
	}
	cur->settle(c->h);
	poll_all(c);
	assert_int_equal(c->calls, 4);
	for (unsigned i = 0; i < 4; i++) {
		make_frame(want, lens[i], 7 + i, c->dev->mac);
		assert_int_equal(c->lens[i], lens[i]);
		assert_memory_equal(c->first_bytes[i], want, lens[i]);
	}
}

static void test_contract_tx_reaches_far_side(void **state)
{
	struct ctx *c = *state;
	uint8_t buf[2048], got[2048], want[NB_ETH_MAX_FRAME];
	uint8_t *frame = buf + c->dev->tx_headroom;
	static const size_t lens[] = { 14, 60, 1000, NB_ETH_MAX_FRAME };

	for (unsigned i = 0; i < 4; i++) {
		make_tx_frame(c, frame, lens[i], 50 + i);
		assert_int_equal(nb_netdev_send(c->dev, frame, lens[i]), 0);
		cur->settle(c->h);
		poll_all(c);
	}
	assert_int_equal(nb_netdev_stats(c->dev)->tx_frames, 4);
	for (unsigned i = 0; i < 4; i++) {
		int n = cur->far_take(c->h, got, sizeof(got));

		make_tx_frame(c, want, lens[i], 50 + i);
		/* Ethernet pads runts to 60 bytes; the first len bytes must be the frame. */
		assert_int_equal(n, lens[i] < 60 ? 60 : lens[i]);
		assert_memory_equal(got, want, lens[i]);
	}
	assert_int_equal(cur->far_take(c->h, got, sizeof(got)), 0);
}

static void test_contract_eagain_leaves_frame_with_caller(void **state)
{
	struct ctx *c = *state;
	uint8_t buf[2048], copy[NB_ETH_MAX_FRAME], got[2048];
	uint8_t *frame = buf + c->dev->tx_headroom;
	const size_t len = 200;
	unsigned sent = 0, limit = cur->tx_fill_hint ? cur->tx_fill_hint + 64 : 4096;
	int ret = 0;
	uint64_t busy0 = nb_netdev_stats(c->dev)->tx_busy;

	/* Without time passing the far side takes nothing, so the device must fill up. */
	while (sent < limit) {
		int space = nb_netdev_tx_space(c->dev);

		make_tx_frame(c, frame, len, sent);
		memcpy(copy, frame, len);
		ret = nb_netdev_send(c->dev, frame, len);
		if (ret == -EAGAIN) {
			assert_int_equal(space, 0); /* tx_space predicted it */
			break;
		}
		assert_int_equal(ret, 0);
		assert_true(space > 0); /* it said there was room */
		sent++;
	}
	assert_int_equal(ret, -EAGAIN);
	assert_memory_equal(frame, copy, len); /* frame untouched, still the caller's */
	assert_int_equal(nb_netdev_stats(c->dev)->tx_frames, sent);
	assert_int_equal(nb_netdev_stats(c->dev)->tx_busy, busy0 + 1);
	assert_int_equal(nb_netdev_drops_total(c->dev), 0);

	/* Time passes, the device reports space again and the same frame goes out intact. */
	for (int i = 0; i < 100 && nb_netdev_tx_space(c->dev) == 0; i++) {
		cur->settle(c->h);
		poll_all(c);
	}
	assert_true(nb_netdev_tx_space(c->dev) > 0);
	assert_int_equal(nb_netdev_send(c->dev, frame, len), 0);
	for (int i = 0; i < 100; i++) {
		cur->settle(c->h);
		poll_all(c);
	}
	for (unsigned i = 0; i <= sent; i++) {
		int n = cur->far_take(c->h, got, sizeof(got));

		assert_int_equal(n, len);
		if (i == sent)
			assert_memory_equal(got, copy, len);
	}
}

/* Frames sent from exactly-sized heap buffers: headroom, frame, and the tail a word-wide
 * bus may read. Under ASan (unit-asan) any access outside that fails the test. */
static void test_contract_tx_stays_within_buffer(void **state)
{
	struct ctx *c = *state;
	const size_t lens[] = { NB_ETH_HLEN, 61, 1001, NB_ETH_MAX_FRAME };
	uint8_t got[2048];

	for (unsigned i = 0; i < NB_ARRAY_SIZE(lens); i++) {
		size_t sz = c->dev->tx_headroom + lens[i] + NB_NETDEV_TX_TAIL_READ;
		uint8_t *buf = malloc(sz);
		uint8_t *frame = buf + c->dev->tx_headroom;

		assert_non_null(buf);
		make_tx_frame(c, frame, lens[i], 300 + i);
		assert_int_equal(nb_netdev_send(c->dev, frame, lens[i]), 0);
		free(buf); /* consumed: the device must not touch it any more */
		cur->settle(c->h);
		poll_all(c);
		assert_int_equal(cur->far_take(c->h, got, sizeof(got)),
				 lens[i] < 60 ? 60 : lens[i]);
	}
}

static void test_contract_handler_removal_is_quiescent(void **state)
{
	struct ctx *c = *state;

	c->remove_on_first = true;
	inject_n(c, 4, 80);
	poll_all(c);
	assert_int_equal(c->calls, 1); /* never again after removal */
	assert_int_equal(nb_netdev_stats(c->dev)->rx_frames, 1);
	assert_int_equal(nb_netdev_stats(c->dev)->drops[NB_DROP_RX_NO_HANDLER], 3);
}

static void test_contract_handler_replacement_is_quiescent(void **state)
{
	struct ctx *c = *state;

	nb_netdev_set_rx_handler(c->dev, on_rx_replacing, c);
	inject_n(c, 4, 80);
	poll_all(c);
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->second_calls, 3);
}

static void test_contract_counters_add_up(void **state)
{
	struct ctx *c = *state;
	uint8_t buf[NB_ETH_MAX_FRAME];
	enum nb_drop_reason why = NB_DROP__COUNT;
	unsigned good = 6, bad = cur->inject_bad ? 3 : 0;
	uint64_t bytes = 0;
	const struct nb_netdev_stats *st = nb_netdev_stats(c->dev);

	for (unsigned i = 0; i < good + bad; i++) {
		size_t len = 60 + i * 37;

		make_frame(buf, len, i, c->dev->mac);
		if (i % 3 == 2 && cur->inject_bad) {
			assert_int_equal(cur->inject_bad(c->h, buf, len, &why), 0);
		} else {
			assert_int_equal(cur->inject(c->h, buf, len), 0);
			bytes += len;
		}
	}
	cur->settle(c->h);
	poll_all(c);
	assert_int_equal(st->rx_frames, good);
	assert_int_equal(st->rx_bytes, bytes);
	assert_int_equal(c->calls, good);
	assert_int_equal(nb_netdev_drops_total(c->dev), bad);
	if (bad)
		assert_int_equal(st->drops[why], bad);
}

static void test_contract_irq_only_marks_pending(void **state)
{
	struct ctx *c = *state;

	if (!(nb_netdev_caps(c->dev) & NB_NETDEV_CAP_IRQ))
		skip();
	poll_all(c);
	c->wakes = 0;
	inject_n(c, 2, 64);
	assert_true(nb_netdev_work_pending(c->dev));
	assert_true(c->wakes >= 1);
	assert_int_equal(c->calls, 0); /* nothing delivered from interrupt context */
	poll_all(c);
	assert_int_equal(c->calls, 2);
	assert_false(nb_netdev_work_pending(c->dev));
	/* poll < budget re-armed the IRQ: the next frame wakes the loop again */
	c->wakes = 0;
	inject_n(c, 1, 64);
	assert_true(c->wakes >= 1);
	assert_true(nb_netdev_work_pending(c->dev));
}

static void test_contract_link_handler_fires_on_registration_and_change(void **state)
{
	struct ctx *c = *state;

	nb_netdev_set_link_handler(c->dev, on_link, c);
	assert_int_equal(c->link_calls, 1);
	assert_true(c->last_link.up);
	assert_true(c->last_link.speed_mbps > 0);

	cur->set_link(c->h, false);
	for (int i = 0; i < 50 && c->last_link.up; i++) {
		cur->settle(c->h);
		poll_all(c);
	}
	assert_false(c->last_link.up);
	assert_false(nb_netdev_flags(c->dev) & NB_NETDEV_F_RUNNING);
	unsigned down_calls = c->link_calls;

	cur->set_link(c->h, true);
	for (int i = 0; i < 50 && !c->last_link.up; i++) {
		cur->settle(c->h);
		poll_all(c);
	}
	assert_true(c->last_link.up);
	assert_true(nb_netdev_flags(c->dev) & NB_NETDEV_F_RUNNING);
	assert_int_equal(c->link_calls, down_calls + 1);
}

static void test_contract_send_errors_are_counted(void **state)
{
	struct ctx *c = *state;
	static uint8_t buf[4096];
	uint8_t *frame = buf + 64;

	make_frame(frame, c->dev->max_frame + 1u, 1, far_mac);
	assert_int_equal(nb_netdev_send(c->dev, frame, c->dev->max_frame + 1u), -EMSGSIZE);
	assert_int_equal(nb_netdev_stats(c->dev)->drops[NB_DROP_TX_OVERSIZE], 1);

	cur->set_link(c->h, false);
	for (int i = 0; i < 50 && (nb_netdev_flags(c->dev) & NB_NETDEV_F_RUNNING); i++) {
		cur->settle(c->h);
		poll_all(c);
	}
	make_frame(frame, 100, 2, far_mac);
	assert_int_equal(nb_netdev_send(c->dev, frame, 100), -ENETDOWN);
	assert_int_equal(nb_netdev_stats(c->dev)->drops[NB_DROP_TX_LINK_DOWN], 1);
	assert_int_equal(nb_netdev_stats(c->dev)->tx_frames, 0);
}

static void test_contract_pull_adapter(void **state)
{
	struct ctx *c = *state;
	uint8_t dst[2048], want[NB_ETH_MAX_FRAME];

	assert_int_equal(nb_netdev_recv(c->dev, dst, c->dev->max_frame - 1u), -EINVAL);
	poll_all(c);
	assert_int_equal(nb_netdev_recv(c->dev, dst, sizeof(dst)), 0);
	inject_n(c, 2, 99);
	for (unsigned i = 0; i < 2; i++) {
		make_frame(want, 99, 100 + i, c->dev->mac);
		assert_int_equal(nb_netdev_recv(c->dev, dst, sizeof(dst)), 99);
		assert_memory_equal(dst, want, 99);
	}
	assert_int_equal(nb_netdev_recv(c->dev, dst, sizeof(dst)), 0);
	assert_int_equal(c->calls, 0); /* the installed handler was bypassed, then restored */
	inject_n(c, 1, 70);
	poll_all(c);
	assert_int_equal(c->calls, 1);
}

static int run_device(const struct nb_contract_dev *dev)
{
	char group[64];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_contract_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contract_budget_zero_delivers_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contract_budget_bounds_delivery, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contract_rx_frames_intact_in_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contract_tx_reaches_far_side, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contract_eagain_leaves_frame_with_caller, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contract_tx_stays_within_buffer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contract_handler_removal_is_quiescent, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contract_handler_replacement_is_quiescent,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_contract_counters_add_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contract_irq_only_marks_pending, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_contract_link_handler_fires_on_registration_and_change, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_contract_send_errors_are_counted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_contract_pull_adapter, setup, teardown),
	};

	cur = dev;
	snprintf(group, sizeof(group), "contract_%s", dev->name);
	return _cmocka_run_group_tests(group, tests, sizeof(tests) / sizeof(tests[0]), NULL,
				       NULL);
}

int main(void)
{
	const struct nb_contract_dev *devs[] = {
		&nb_contract_dev_fake,
		&nb_contract_dev_lan8720,
		&nb_contract_dev_cyw43439,
	};
	int failed = 0;

	for (unsigned i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
		if (devs[i])
			failed += run_device(devs[i]);
	return failed ? 1 : 0;
}
