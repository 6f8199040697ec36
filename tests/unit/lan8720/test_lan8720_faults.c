/* SPDX-License-Identifier: MIT */
/* LAN8720 driver under MDIO faults: bus timeouts and all-ones reads (nobody drives MDIO)
 * after the link came up are counted and retried, never taken for a link change, and the
 * link keeps working once the bus answers again; the same faults during bring-up still fail
 * it. A fault layer sits between the driver and the simulated bus in front of the model. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/lan8720/bench.h"
#include "tests/unit/support/test_support.h"

#define MS NB_NS_PER_MS

struct fault_bus {
	struct nb_mdio_bus real;
	unsigned timeouts; /* next N accesses fail with -ETIMEDOUT */
	unsigned all_ones; /* next N reads return 0xFFFF, writes are lost */
	unsigned injected;
};

static int fb_read(void *ctx, uint8_t phy, uint8_t reg)
{
	struct fault_bus *f = ctx;

	if (f->timeouts) {
		f->timeouts--;
		f->injected++;
		return -ETIMEDOUT;
	}
	if (f->all_ones) {
		f->all_ones--;
		f->injected++;
		return 0xFFFF;
	}
	return nb_mdio_read(&f->real, phy, reg);
}

static int fb_write(void *ctx, uint8_t phy, uint8_t reg, uint16_t val)
{
	struct fault_bus *f = ctx;

	if (f->timeouts) {
		f->timeouts--;
		f->injected++;
		return -ETIMEDOUT;
	}
	if (f->all_ones) {
		f->all_ones--;
		f->injected++;
		return 0;
	}
	return nb_mdio_write(&f->real, phy, reg, val);
}

static const struct nb_mdio_ops fb_ops = { .read = fb_read, .write = fb_write };

static struct bench *faulty_bench(struct fault_bus *f, bool nint)
{
	struct bench *b = bench_new(NULL);

	memset(f, 0, sizeof(*f));
	f->real = b->cfg.mdio;
	b->cfg.mdio = (struct nb_mdio_bus){ .ops = &fb_ops, .ctx = f };
	b->cfg.link_poll_ns = 100 * MS;
	b->cfg.has_nint = nint;
	return b;
}

static uint32_t bus_errors(struct bench *b)
{
	return nb_lan8720_phy(&b->drv)->stats.bus_errors;
}

/* A frame from the device reaches the peer. */
static void assert_frames_flow(struct bench *b)
{
	uint8_t frame[60] = { 0 };
	uint64_t before = b->peer.received;

	memcpy(frame, bench_peer_mac, 6);
	memcpy(frame + 6, bench_dev_mac, 6);
	frame[12] = 0x88;
	frame[13] = 0xB5;
	assert_int_equal(nb_netdev_send(b->dev, frame, sizeof(frame)), 0);
	bench_run(b, 5 * MS);
	assert_int_equal(b->peer.received, before + 1);
}

static void test_lan8720_faults_timeouts_after_link_up_are_retried(void **state)
{
	struct fault_bus f;
	struct bench *b = faulty_bench(&f, false);

	(void)state;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(b->link_calls, 1);
	assert_int_equal(bus_errors(b), 0);

	f.timeouts = 5;
	bench_run(b, 2000 * MS);
	assert_int_equal(f.injected, 5);
	assert_int_equal(bus_errors(b), 5);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_RUNNING);
	assert_int_equal(nb_lan8720_error(&b->drv), 0);
	assert_int_equal(b->link_calls, 1); /* the last known state held, no flap */
	assert_true(b->dev->link.up);
	assert_true(nb_netdev_next_deadline(b->dev) != NB_DEADLINE_NONE);
	assert_frames_flow(b);

	/* supervision still works: a real drop is seen within a poll period */
	nb_lan8720_model_set_cable(b->m, false);
	assert_true(bench_run_until_down(b, 150 * MS));
	nb_lan8720_model_set_cable(b->m, true);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(b->link_calls, 3);
	assert_int_equal(b->violations, 0);
	bench_free(b);
}

/* 0xFFFF is what a read shifts in when nobody drives MDIO. As a BMSR it would say "link up,
 * AN complete" (and as ANLPAR "partner can do everything"): it must not bring a link up,
 * nor take one down. */
static void test_lan8720_faults_all_ones_reads_are_not_link_changes(void **state)
{
	struct fault_bus f;
	struct bench *b = faulty_bench(&f, false);

	(void)state;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	f.all_ones = 4;
	bench_run(b, 1000 * MS);
	assert_int_equal(f.injected, 4);
	assert_int_equal(bus_errors(b), 4);
	assert_int_equal(b->link_calls, 1);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_RUNNING);

	nb_lan8720_model_set_cable(b->m, false);
	assert_true(bench_run_until_down(b, 150 * MS));
	assert_int_equal(b->link_calls, 2);
	f.all_ones = 6;
	f.injected = 0;
	bench_run(b, 1000 * MS);
	assert_int_equal(f.injected, 6);
	assert_int_equal(bus_errors(b), 10);
	assert_int_equal(b->link_calls, 2); /* no phantom link up */
	assert_false(b->dev->link.up);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_NOLINK);

	nb_lan8720_model_set_cable(b->m, true);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_int_equal(b->link_calls, 3);
	assert_int_equal(b->links[2].speed_mbps, 100);
	assert_true(b->links[2].full_duplex);
	assert_frames_flow(b);
	bench_free(b);
}

/* With nINT the interrupt source read can fail: nINT stays asserted and no new edge comes,
 * so the driver has to retry by itself and still see the link go. */
static void test_lan8720_faults_failed_interrupt_ack_is_retried(void **state)
{
	struct fault_bus f;
	struct bench *b = faulty_bench(&f, true);

	(void)state;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	f.timeouts = 3;
	nb_lan8720_model_set_cable(b->m, false);
	assert_true(bench_run_until_down(b, 1000 * MS));
	assert_int_equal(f.injected, 3);
	assert_int_equal(bus_errors(b), 3);
	assert_int_equal(b->link_calls, 2);
	assert_false(nb_lan8720_model_nint_asserted(b->m));
	nb_lan8720_model_set_cable(b->m, true);
	assert_true(bench_run_until_up(b, 3000 * MS));
	assert_frames_flow(b);
	/* back to interrupts only: no timer left running */
	bench_run(b, 10 * MS);
	assert_int_equal(nb_netdev_next_deadline(b->dev), NB_DEADLINE_NONE);
	bench_free(b);
}

/* A long outage: the driver keeps its last state and keeps trying, at the poll period (no
 * busy loop), and takes up again when the bus is back. */
static void test_lan8720_faults_long_outage_retries_at_poll_period(void **state)
{
	struct fault_bus f;
	struct bench *b = faulty_bench(&f, false);

	(void)state;
	bench_open(b);
	assert_true(bench_run_until_up(b, 3000 * MS));
	f.timeouts = 1000000;
	bench_run(b, 10000 * MS);
	/* one failed BMSR read per 100 ms poll */
	assert_in_range(f.injected, 95, 105);
	assert_int_equal(bus_errors(b), f.injected);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_RUNNING);
	f.timeouts = 0;
	nb_lan8720_model_set_cable(b->m, false);
	assert_true(bench_run_until_down(b, 150 * MS));
	assert_int_equal(b->link_calls, 2);
	bench_free(b);
}

/* Bring-up failures stay failures: a PHY that stops answering in the middle of the soft
 * reset leaves the device FAILED with the bus error, not retrying forever. */
static void test_lan8720_faults_bringup_failure_still_fails(void **state)
{
	struct fault_bus f;
	struct bench *b = faulty_bench(&f, false);

	(void)state;
	bench_open(b);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_PHY_RESET);
	f.timeouts = 1000;
	bench_run(b, 100 * MS);
	assert_int_equal(nb_lan8720_state(&b->drv), NB_LAN8720_ST_FAILED);
	assert_int_equal(nb_lan8720_error(&b->drv), -ETIMEDOUT);
	assert_int_equal(f.injected, 1);
	assert_int_equal(bus_errors(b), 0);
	assert_int_equal(nb_netdev_next_deadline(b->dev), NB_DEADLINE_NONE);
	assert_int_equal(b->link_calls, 0);
	bench_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lan8720_faults_timeouts_after_link_up_are_retried),
		cmocka_unit_test(test_lan8720_faults_all_ones_reads_are_not_link_changes),
		cmocka_unit_test(test_lan8720_faults_failed_interrupt_ack_is_retried),
		cmocka_unit_test(test_lan8720_faults_long_outage_retries_at_poll_period),
		cmocka_unit_test(test_lan8720_faults_bringup_failure_still_fails),
	};

	return cmocka_run_group_tests_name("lan8720_faults", tests, NULL, NULL);
}
