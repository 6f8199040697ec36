/* SPDX-License-Identifier: MIT */
/* The stack wrapper over the contract suite's reference device. */
#include <errno.h>
#include <string.h>

#include "drivers/stack/stack.h"
#include "tests/unit/contract/contract.h"
#include "tests/unit/support/test_support.h"

extern const struct nb_contract_dev nb_contract_dev_fake;
static const struct nb_contract_dev *fk = &nb_contract_dev_fake;

#define PORT_Q 64

struct port {
	/* up: frames delivered to the stack */
	unsigned up_count, up_limit; /* deliver() refuses with -EAGAIN beyond up_limit */
	uint8_t up_first[PORT_Q];
	/* down: frames the stack wants to send */
	uint8_t down[PORT_Q][128];
	size_t down_len[PORT_Q];
	unsigned down_head, down_count;
	unsigned link_calls;
	bool link_up;
};

static int port_deliver(void *ctx, const uint8_t *frame, size_t len)
{
	struct port *p = ctx;

	(void)len;
	if (p->up_count >= p->up_limit)
		return -EAGAIN;
	p->up_first[p->up_count++ % PORT_Q] = frame[20];
	return 0;
}

static int port_next_tx(void *ctx, uint8_t *buf, size_t cap)
{
	struct port *p = ctx;
	size_t len;

	if (!p->down_count)
		return 0;
	len = p->down_len[p->down_head];
	if (len > cap)
		return -EMSGSIZE;
	memcpy(buf, p->down[p->down_head], len);
	p->down_head = (p->down_head + 1) % PORT_Q;
	p->down_count--;
	return (int)len;
}

static void port_link(void *ctx, const struct nb_link_state *st)
{
	struct port *p = ctx;

	p->link_calls++;
	p->link_up = st->up;
}

static const struct nb_stack_port_ops port_ops = {
	.deliver = port_deliver, .next_tx = port_next_tx, .link = port_link,
};

struct rig {
	void *h;
	struct nb_netdev *dev;
	struct port port;
	struct nb_stack st;
	uint8_t tx_buf[2048];
	uint8_t hold[8 * NB_STACK_HOLD_SLOT(NB_ETH_MAX_FRAME)];
};

static void rig_init(struct rig *r, unsigned hold_slots, uint16_t budget)
{
	struct nb_stack_cfg cfg = {
		.port = { .ops = &port_ops, .ctx = &r->port },
		.tx_buf = r->tx_buf,
		.tx_buf_len = sizeof(r->tx_buf),
		.rx_hold = r->hold,
		.rx_hold_len = hold_slots * NB_STACK_HOLD_SLOT(NB_ETH_MAX_FRAME),
		.rx_budget = budget,
	};

	memset(&r->port, 0, sizeof(r->port));
	r->port.up_limit = 1000;
	r->h = fk->setup();
	assert_non_null(r->h);
	r->dev = fk->netdev(r->h);
	assert_int_equal(nb_stack_init(&r->st, r->dev, &cfg), 0);
}

static void inject(struct rig *r, unsigned n, unsigned tag0)
{
	uint8_t f[100];
	static const uint8_t src[6] = { 2, 9, 9, 9, 9, 9 };

	for (unsigned i = 0; i < n; i++) {
		nb_test_frame(f, sizeof(f), r->dev->mac, src, 0);
		f[20] = (uint8_t)(tag0 + i);
		assert_int_equal(fk->inject(r->h, f, sizeof(f)), 0);
	}
}

static void test_stack_link_reaches_port_at_init(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, 8, 4);
	assert_int_equal(r.port.link_calls, 1);
	assert_true(r.port.link_up);
	nb_stack_deinit(&r.st);
	fk->teardown(r.h);
}

static void test_stack_rx_backpressure_keeps_order_and_loses_nothing(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, 4, 16);
	r.port.up_limit = 3; /* the stack takes 3, then is full */
	inject(&r, 10, 0);
	assert_int_equal(nb_stack_poll_rx(&r.st), 4); /* budget capped by the 4 hold slots */
	assert_int_equal(r.port.up_count, 3);
	assert_true(nb_stack_rx_blocked(&r.st)); /* frame 4 waits in the ring */
	assert_int_equal(nb_stack_poll_rx(&r.st), 3); /* only as many as free slots */
	assert_int_equal(nb_stack_poll_rx(&r.st), 0); /* ring full: device not polled */
	assert_int_equal(nb_stack_stats(&r.st)->rx_held, 4);
	r.port.up_limit = 1000;
	while (nb_stack_poll_rx(&r.st) > 0 || nb_stack_rx_blocked(&r.st) ||
	       nb_netdev_work_pending(r.dev))
		;
	assert_int_equal(r.port.up_count, 10);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(r.port.up_first[i], i);
	assert_int_equal(nb_stack_stats(&r.st)->rx_delivered, 10);
	assert_int_equal(nb_netdev_drops_total(r.dev), 0);
	nb_stack_deinit(&r.st);
	fk->teardown(r.h);
}

static void test_stack_tx_retries_deferred_frame(void **state)
{
	struct rig r;
	uint8_t got[2048];

	(void)state;
	rig_init(&r, 8, 16);
	for (unsigned i = 0; i < 6; i++) {
		memset(r.port.down[i], 0, 60);
		r.port.down[i][0] = 0x02;
		r.port.down[i][20] = (uint8_t)i;
		r.port.down_len[i] = 60;
	}
	r.port.down_count = 6;
	/* the reference device takes 4 frames before it needs time to pass */
	assert_int_equal(nb_stack_pump_tx(&r.st), 4);
	assert_false(nb_stack_tx_ready(&r.st));
	assert_int_equal(r.port.down_count, 2); /* not read while the device is full */
	fk->settle(r.h);
	nb_stack_poll_rx(&r.st);
	assert_int_equal(nb_stack_pump_tx(&r.st), 2);
	fk->settle(r.h);
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(fk->far_take(r.h, got, sizeof(got)), 60);
		assert_int_equal(got[20], i);
	}
	assert_int_equal(nb_stack_stats(&r.st)->tx_sent, 6);
	nb_stack_deinit(&r.st);
	fk->teardown(r.h);
}

static void test_stack_rejects_small_buffers(void **state)
{
	struct rig r;
	struct nb_stack s2;
	struct nb_stack_cfg cfg = {
		.port = { .ops = &port_ops, .ctx = &r.port },
		.tx_buf = r.tx_buf, .tx_buf_len = 100,
		.rx_hold = r.hold, .rx_hold_len = sizeof(r.hold),
	};

	(void)state;
	rig_init(&r, 8, 4);
	assert_int_equal(nb_stack_init(&s2, r.dev, &cfg), -EINVAL);
	cfg.tx_buf_len = sizeof(r.tx_buf);
	cfg.rx_hold_len = 10;
	assert_int_equal(nb_stack_init(&s2, r.dev, &cfg), -EINVAL);
	nb_stack_deinit(&r.st);
	fk->teardown(r.h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stack_link_reaches_port_at_init),
		cmocka_unit_test(test_stack_rx_backpressure_keeps_order_and_loses_nothing),
		cmocka_unit_test(test_stack_tx_retries_deferred_frame),
		cmocka_unit_test(test_stack_rejects_small_buffers),
	};
	return cmocka_run_group_tests_name("stack", tests, NULL, NULL);
}
