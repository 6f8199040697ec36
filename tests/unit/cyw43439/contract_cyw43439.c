/* SPDX-License-Identifier: MIT */
/*
 * Contract-suite factory for the CYW43439 driver: the chip model with a WPA2 access point
 * in range whose wired side is a wire peer (the far side). setup() boots the firmware and
 * joins the AP; inject() is the peer sending toward the station; settle() lets simulated time
 * pass; set_link() takes the AP off the air (silently: the firmware notices by beacon loss)
 * and back. The model runs with short radio timings so link tests take little virtual time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "tests/unit/contract/contract.h"
#include "tests/unit/cyw43439/rig.h"
#include "tests/unit/support/test_support.h"

/** One settle: long enough for frames to cross air and wire, short next to the timeouts. */
#define SETTLE_NS (50ull * NB_NS_PER_MS)

static void *cyw_setup(void)
{
	struct rig *r = rig_new(&(struct rig_opts){ .fast = true });

	rig_boot_join(r);
	/* let the join's trailing events and credit updates arrive */
	rig_run_for(r, 20 * NB_NS_PER_MS);
	return r;
}

static void cyw_teardown(void *h)
{
	struct rig *r = h;

	/* the chip model must not have seen anything the real chip would refuse */
	assert_int_equal(r->violations, 0);
	rig_free(r);
}

static struct nb_netdev *cyw_netdev(void *h)
{
	return rig_dev(h);
}

static int cyw_inject(void *h, const uint8_t *frame, size_t len)
{
	return rig_peer_send(h, frame, len);
}

/* A data frame whose BDC data_offset points past its end (or, for frames too long for
 * that, whose SDPCM complement is wrong): the driver must reject it as malformed. */
static int cyw_inject_bad(void *h, const uint8_t *frame, size_t len,
			  enum nb_drop_reason *expected)
{
	struct rig *r = h;
	uint8_t f[2048];
	size_t size = 18 + len;

	if (size > 1536)
		return -EMSGSIZE;
	memset(f, 0, 18);
	nb_put_le16(f, (unsigned)size);
	nb_put_le16(f + 2, (unsigned)(~size & 0xFFFFu));
	f[5] = CYW_CHAN_DATA;
	f[7] = 14;
	f[9] = r->drv.sdpcm.credit;
	f[14] = 0x20;
	if (len < 1020)
		f[17] = 0xFF; /* 1020 bytes of "signals" */
	else
		f[2] ^= 0x10;
	memcpy(f + 18, frame, len);
	*expected = NB_DROP_RX_MALFORMED;
	return nb_cyw43439_model_inject_f2(r->m, f, size);
}

static void cyw_settle(void *h)
{
	struct rig *r = h;

	nb_sim_advance_to(r->sim, nb_sim_now(r->sim) + SETTLE_NS);
}

static int cyw_far_take(void *h, uint8_t *buf, size_t cap)
{
	return rig_peer_take(h, buf, cap);
}

static void cyw_set_link(void *h, bool up)
{
	struct rig *r = h;

	nb_wifi_ap_set_on_air(r->ap, up, NB_WIFI_AP_SILENT);
}

const struct nb_contract_dev nb_contract_dev_cyw43439 = {
	.name = "cyw43439",
	.setup = cyw_setup,
	.teardown = cyw_teardown,
	.netdev = cyw_netdev,
	.inject = cyw_inject,
	.inject_bad = cyw_inject_bad,
	.settle = cyw_settle,
	.far_take = cyw_far_take,
	.set_link = cyw_set_link,
	.tx_fill_hint = NB_CYW43439_DEFAULT_CREDIT_WINDOW,
};
