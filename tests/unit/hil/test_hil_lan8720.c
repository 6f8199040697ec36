/* SPDX-License-Identifier: MIT */
/*
 * The LAN8720 driver (drivers/lan8720) on the HIL backends a real bench would use: MDIO as
 * MPSSE clock-bits frames on an FT232H, nRST and nINT on FTDI pins (nINT polled), frames
 * through an AF_PACKET socket on the NIC in front of the PHY — every one emulated at the OS
 * edge, the PHY being the LAN8720A model with a partner on the wire. The MDIO transactions
 * (with their times) are compared with the same driver on the model's own buses.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hil/afpacket_rmii.h"
#include "hil/ftdi_mpsse.h"
#include "tests/unit/hil/afpacket_emu.h"
#include "tests/unit/hil/mpsse_emu.h"
#include "tests/unit/lan8720/bench.h"
#include "tests/unit/support/test_support.h"

#define NRST_PIN NB_FTDI_ACBUS(1)
#define NINT_PIN NB_FTDI_ACBUS(2)

struct hil {
	struct bench *b;
	struct nb_ftdi *f;
	struct nb_afpacket *a;
	uint64_t next_irq_poll;
	unsigned svc_errors;
};

static void hil_up(struct hil *h, bool nint)
{
	struct bench_opts o = { .model = { .phy_addr = 1 } };
	struct nb_ftdi_cfg fc = { .io_timeout_ms = 50 };
	struct nb_gpio mg;
	char err[256];

	memset(h, 0, sizeof(*h));
	h->b = bench_new(&o);
	assert_non_null(h->b);
	mg = nb_lan8720_model_gpio(h->b->m);
	emu_ftdi_reset(NULL);
	emu_ftdi_connect_mdio(nb_sim_mdio_gpio(h->b->bus));
	emu_ftdi_connect_pin(NRST_PIN, mg, NB_LAN8720_PIN_NRST, true);
	emu_ftdi_connect_pin(NINT_PIN, mg, NB_LAN8720_PIN_NINT, false);
	emu_afp_reset(NULL);
	assert_int_equal(nb_ftdi_open(&fc, &h->f, err, sizeof(err)), 0);
	assert_int_equal(nb_ftdi_mdio_attach(h->f, NULL, &h->b->cfg.mdio), 0);
	assert_int_equal(nb_afpacket_open(&(struct nb_afpacket_cfg){ .ifname = EMU_AFP_IFNAME,
								      .promisc = true },
					  &h->a, err, sizeof(err)),
			 0);
	emu_afp_connect_rmii(nb_lan8720_model_rmii(h->b->m));
	h->b->cfg.rmii = nb_afpacket_rmii(h->a);
	h->b->cfg.gpio = nb_ftdi_gpio(h->f);
	h->b->cfg.has_nrst = true;
	h->b->cfg.nrst_pin = NRST_PIN;
	h->b->cfg.has_nint = nint;
	h->b->cfg.nint_pin = NINT_PIN;
}

static void hil_down(struct hil *h)
{
	assert_int_equal(emu_ftdi_state()->protocol_errors, 0);
	assert_int_equal(emu_afp_state()->protocol_errors, 0);
	if (h->b->dev)
		nb_lan8720_deinit(&h->b->drv);
	h->b->dev = NULL;
	nb_afpacket_close(h->a);
	nb_ftdi_close(h->f);
	emu_ftdi_reset(NULL);
	emu_afp_reset(NULL);
	bench_free(h->b);
}

/* The run loop with the backends' services: socket readable → port notify; FTDI pins
 * polled every 1 ms while an interrupt is armed. */
static void service(struct hil *h)
{
	struct pollfd p = { .fd = nb_afpacket_fd(h->a), .events = POLLIN };
	uint64_t now = nb_sim_now(h->b->sim);

	if (poll(&p, 1, 0) == 1)
		(void)nb_afpacket_service(h->a);
	if (nb_ftdi_irq_armed(h->f) && now >= h->next_irq_poll) {
		h->next_irq_poll = now + NB_NS_PER_MS;
		if (nb_ftdi_irq_poll(h->f) < 0)
			h->svc_errors++;
	}
}

static void run(struct hil *h, uint64_t ns, bool until_up)
{
	struct bench *b = h->b;
	uint64_t end = nb_sim_now(b->sim) + ns;

	for (;;) {
		uint64_t now, next, dl;

		service(h);
		now = nb_sim_now(b->sim);
		if (until_up && b->dev->link.up)
			return;
		dl = nb_netdev_next_deadline(b->dev);
		if (nb_netdev_work_pending(b->dev) || dl <= now) {
			bench_poll_all(b);
			continue;
		}
		if (now >= end)
			return;
		next = nb_sim_next_event(b->sim);
		if (dl < next)
			next = dl;
		if (nb_ftdi_irq_armed(h->f) && h->next_irq_poll < next)
			next = h->next_irq_poll;
		if (next > end)
			next = end;
		if (next <= now)
			nb_sim_run_due(b->sim);
		else
			nb_sim_advance_to(b->sim, next);
	}
}

static void exchange(struct hil *h, unsigned frames)
{
	struct bench *b = h->b;
	uint8_t f[1514];

	for (unsigned i = 0; i < frames; i++) {
		size_t len = 60 + (i * 313u) % 1455u;
		const struct bench_frame *got;
		unsigned rx0 = b->rx_calls;

		/* wire peer → PHY → NIC → socket → driver (FCS appended by the port) */
		nb_test_frame(f, len, bench_dev_mac, bench_peer_mac, 40 + i);
		assert_int_equal(bench_peer_send(b, f, len, false, 0), 0);
		run(h, 5 * NB_NS_PER_MS, false);
		assert_int_equal(b->rx_calls, rx0 + 1);
		assert_int_equal(b->rx_len[rx0], len);
		assert_memory_equal(b->rx_data[rx0], f, len);
		/* driver → socket → NIC → PHY → wire peer (FCS checked, stripped, re-added) */
		nb_test_frame(f, len, bench_peer_mac, bench_dev_mac, 80 + i);
		assert_int_equal(nb_netdev_send(b->dev, f, len), 0);
		run(h, 5 * NB_NS_PER_MS, false);
		got = bench_peer_peek(b);
		assert_non_null(got);
		assert_int_equal(got->len, len + 4);
		assert_memory_equal(got->data, f, len);
		bench_peer_pop(b);
	}
}

static char *direct_trace(void)
{
	struct bench_opts o = { .model = { .phy_addr = 1 } };
	struct bench *b = bench_new(&o);
	char *t;

	b->cfg.has_nrst = true;
	bench_trace_start(b);
	bench_open(b);
	assert_true(bench_run_until_up(b, 5 * NB_NS_PER_S));
	bench_run(b, 3 * NB_NS_PER_S);
	t = strdup(b->trace);
	bench_free(b);
	return t;
}

static void test_hil_lan8720_bringup_same_mdio_as_direct(void **state)
{
	char *direct = direct_trace();
	struct hil h;

	(void)state;
	hil_up(&h, false);
	bench_trace_start(h.b);
	assert_int_equal(bench_init(h.b), 0);
	assert_int_equal(nb_netdev_open(h.b->dev), 0);
	run(&h, 5 * NB_NS_PER_S, true);
	assert_true(h.b->dev->link.up);
	assert_int_equal(h.b->dev->link.speed_mbps, 100);
	assert_true(h.b->dev->link.full_duplex);
	run(&h, 3 * NB_NS_PER_S, false);
	assert_int_equal(nb_lan8720_state(&h.b->drv), NB_LAN8720_ST_RUNNING);
	/* the same MDIO frames at the same times as on the model's own bus */
	assert_true(strlen(direct) > 200);
	assert_string_equal(h.b->trace, direct);
	assert_int_equal(nb_sim_mdio_stats(h.b->bus)->bad_frames, 0);
	assert_int_equal(nb_sim_mdio_stats(h.b->bus)->contention, 0);
	/* the port told the NIC side nothing it could not do; the driver set 100 full */
	{
		bool fd = false;

		assert_int_equal(nb_afpacket_speed(h.a, &fd), 100);
		assert_true(fd);
	}
	exchange(&h, 4);
	assert_int_equal(nb_netdev_drops_total(h.b->dev), 0);
	assert_int_equal(h.b->violations, 0);
	free(direct);
	hil_down(&h);
}

static void test_hil_lan8720_nint_polled_link_events(void **state)
{
	struct hil h;

	(void)state;
	hil_up(&h, true);
	assert_int_equal(bench_init(h.b), 0);
	assert_int_equal(nb_netdev_open(h.b->dev), 0);
	run(&h, 5 * NB_NS_PER_S, true);
	assert_true(h.b->dev->link.up);
	exchange(&h, 2);
	/* cable out: nINT falls, the polled FTDI pin reports it, the driver sees link down */
	nb_lan8720_model_set_cable(h.b->m, false);
	run(&h, 200 * NB_NS_PER_MS, false);
	assert_false(h.b->dev->link.up);
	assert_true(nb_lan8720_stats(&h.b->drv)->nint_irqs > 0);
	assert_true(nb_ftdi_stats(h.f)->irqs_fired > 0);
	assert_int_equal(h.svc_errors, 0);
	hil_down(&h);
}

static void test_hil_lan8720_adapter_unplugged(void **state)
{
	struct hil h;

	(void)state;
	hil_up(&h, false);
	assert_int_equal(bench_init(h.b), 0);
	assert_int_equal(nb_netdev_open(h.b->dev), 0);
	run(&h, 5 * NB_NS_PER_S, true);
	/* the adapter is pulled: every USB transfer fails from now on. After bring-up a bus
	 * error is transient for the driver: each failed link poll is counted and retried a
	 * poll period later, the last known link is kept (MDIO is not the data path), the loop
	 * keeps running, nothing hangs, and the adapter's error is named. */
	emu_ftdi_unplug();
	run(&h, 3 * NB_NS_PER_S, false);
	assert_int_equal(nb_lan8720_state(&h.b->drv), NB_LAN8720_ST_RUNNING);
	assert_int_equal(nb_lan8720_error(&h.b->drv), 0);
	assert_in_range(nb_lan8720_phy(&h.b->drv)->stats.bus_errors, 2, 4);
	assert_true(nb_netdev_next_deadline(h.b->dev) != NB_DEADLINE_NONE);
	/* later retries fail earlier in the transfer (ftdi_tcioflush), so only the MDIO
	 * access and the USB cause are fixed */
	assert_true(strncmp(nb_ftdi_last_error(h.f), "mdio read: ftdi_", 16) == 0);
	assert_non_null(strstr(nb_ftdi_last_error(h.f), "usb device unavailable"));
	hil_down(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hil_lan8720_bringup_same_mdio_as_direct),
		cmocka_unit_test(test_hil_lan8720_nint_polled_link_events),
		cmocka_unit_test(test_hil_lan8720_adapter_unplugged),
	};

	return cmocka_run_group_tests_name("hil_lan8720", tests, NULL, NULL);
}
