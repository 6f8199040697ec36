/* SPDX-License-Identifier: MIT */
#include "tests/unit/hil/hil_rig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/support/test_support.h"

struct hrig *hrig_new(const struct rig_opts *o)
{
	struct hrig *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	h->r = rig_new(o);
	return h;
}

void hrig_swap(struct hrig *h, struct nb_gspi_bus gspi, struct nb_gpio gpio, unsigned wl_reg_on,
	       unsigned host_wake)
{
	struct rig *r = h->r;

	nb_cyw43439_deinit(&r->drv);
	r->cfg.gspi = gspi;
	r->cfg.gpio = gpio;
	r->cfg.pins_set = true;
	r->cfg.wl_reg_on_pin = wl_reg_on;
	r->cfg.host_wake_pin = host_wake;
	assert_int_equal(nb_cyw43439_init(&r->drv, &r->cfg), 0);
	h->swapped = true;
}

void hrig_stop(struct hrig *h)
{
	struct rig *r = h->r;

	if (!h->swapped)
		return;
	nb_cyw43439_deinit(&r->drv);
	/* back on the model's own buses, so rig_free()'s deinit touches nothing freed */
	r->cfg.gspi = nb_cyw43439_model_gspi(r->m);
	r->cfg.gpio = nb_cyw43439_model_gpio(r->m);
	r->cfg.wl_reg_on_pin = NB_CYW43439_PIN_WL_REG_ON;
	r->cfg.host_wake_pin = NB_CYW43439_PIN_HOST_WAKE;
	assert_int_equal(nb_cyw43439_init(&r->drv, &r->cfg), 0);
	h->swapped = false;
}

void hrig_free(struct hrig *h)
{
	if (!h)
		return;
	hrig_stop(h);
	rig_free(h->r);
	free(h);
}

/* netbench's loop in miniature: backend service, then the device (IRQ work, deadlines, the
 * poll timer of devices without an IRQ line), then time moves to the next event. */
bool hrig_step(struct hrig *h)
{
	struct rig *r = h->r;
	struct nb_netdev *dev = rig_dev(r);
	uint64_t now = nb_sim_now(r->sim), dl, ev;

	if (h->svc.work && h->svc.work(h->svc.ctx) < 0)
		h->svc_errors++;
	dl = nb_netdev_next_deadline(dev);
	if (!(nb_netdev_caps(dev) & NB_NETDEV_CAP_IRQ) && (nb_netdev_flags(dev) & NB_NETDEV_F_UP)) {
		uint64_t t = h->last_poll +
			     (dev->poll_interval_ns ? dev->poll_interval_ns : NB_NS_PER_MS);

		if (t < dl)
			dl = t;
	}
	if (nb_netdev_work_pending(dev) || dl <= now) {
		int n = nb_netdev_poll(dev, 16);

		h->last_poll = now;
		if (n < 0)
			r->poll_errors++;
		if (!nb_netdev_work_pending(dev) && nb_netdev_next_deadline(dev) <= now)
			nb_sim_advance_to(r->sim, now + 1000);
		return true;
	}
	ev = nb_sim_next_event(r->sim);
	if (dl < ev)
		ev = dl;
	if (h->svc.deadline) {
		uint64_t s = h->svc.deadline(h->svc.ctx);

		if (s <= now)
			s = now + 1000;
		if (s < ev)
			ev = s;
	}
	if (ev == NB_DEADLINE_NONE)
		return false;
	nb_sim_advance_to(r->sim, ev);
	return true;
}

bool hrig_run_until(struct hrig *h, bool (*cond)(struct rig *r, void *arg), void *arg,
		    uint64_t max_ns)
{
	struct rig *r = h->r;
	uint64_t end = nb_sim_now(r->sim) + max_ns;

	while (!cond(r, arg)) {
		if (nb_sim_now(r->sim) >= end)
			return cond(r, arg);
		if (!hrig_step(h)) {
			nb_sim_advance_to(r->sim, end);
			return cond(r, arg);
		}
	}
	return true;
}

static bool never(struct rig *r, void *arg)
{
	(void)r;
	(void)arg;
	return false;
}

void hrig_run_for(struct hrig *h, uint64_t ns)
{
	uint64_t end = nb_sim_now(h->r->sim) + ns;

	(void)hrig_run_until(h, never, NULL, ns);
	if (nb_sim_now(h->r->sim) < end)
		nb_sim_advance_to(h->r->sim, end);
}

static bool boot_done(struct rig *r, void *arg)
{
	enum nb_cyw43439_state st = nb_cyw43439_state(&r->drv);

	(void)arg;
	return st == NB_CYW43439_STATE_READY || st == NB_CYW43439_STATE_FAILED;
}

enum nb_cyw43439_state hrig_boot(struct hrig *h)
{
	struct rig *r = h->r;

	assert_int_equal(nb_netdev_open(rig_dev(r)), 0);
	hrig_run_until(h, boot_done, NULL, 5ull * NB_NS_PER_S);
	if (nb_cyw43439_state(&r->drv) != NB_CYW43439_STATE_READY && getenv("NB_TEST_VERBOSE"))
		fprintf(stderr, "boot ended in %s (%s); model: %s; violation: %s\n",
			nb_cyw43439_state_name(nb_cyw43439_state(&r->drv)),
			nb_cyw43439_reason_name(nb_cyw43439_reason(&r->drv)),
			nb_cyw43439_model_fw_error(r->m), r->last_violation);
	return nb_cyw43439_state(&r->drv);
}

static bool joined(struct rig *r, void *arg)
{
	(void)arg;
	return r->join_calls > 0;
}

void hrig_boot_join(struct hrig *h)
{
	struct rig *r = h->r;

	assert_int_equal(hrig_boot(h), NB_CYW43439_STATE_READY);
	assert_int_equal(rig_join(r, NULL), 0);
	hrig_run_until(h, joined, NULL, 30ull * NB_NS_PER_S);
	assert_int_equal(r->join_calls, 1);
	assert_int_equal(r->join_result, 0);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_JOINED);
	assert_true(nb_netdev_flags(rig_dev(r)) & NB_NETDEV_F_RUNNING);
}

void hrig_exchange(struct hrig *h, unsigned frames)
{
	struct rig *r = h->r;
	struct nb_netdev *dev = rig_dev(r);
	uint8_t buf[2048], want[2048], got[2048];
	uint8_t *frame = buf + dev->tx_headroom;
	unsigned rx0 = r->rx_count;

	rig_record_rx(r);
	for (unsigned i = 0; i < frames; i++) {
		size_t len = 60 + (i * 397u) % 1455u;
		int n;

		nb_test_frame(want, len, dev->mac, rig_peer_mac, 100 + i);
		assert_int_equal(rig_peer_send(r, want, len), 0);
		hrig_run_for(h, 20 * NB_NS_PER_MS);
		assert_int_equal(r->rx_count, rx0 + i + 1);
		assert_int_equal(r->last_rx.len, len);
		assert_memory_equal(r->last_rx.data, want, len);

		nb_test_frame(frame, len, rig_peer_mac, dev->mac, 200 + i);
		memcpy(want, frame, len);
		assert_int_equal(nb_netdev_send(dev, frame, len), 0);
		hrig_run_for(h, 20 * NB_NS_PER_MS);
		n = rig_peer_take(r, got, sizeof(got));
		assert_int_equal(n, (int)len);
		assert_memory_equal(got, want, len);
	}
	assert_int_equal(r->peer_bad_fcs, 0);
}
