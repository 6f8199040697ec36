/* SPDX-License-Identifier: MIT */
/*
 * Malformed chip->host frames, injected raw through the model's back door: each is rejected,
 * counted under NB_DROP_RX_MALFORMED (or the netdev reason that fits) and its own driver
 * counter, never delivered, and never read past — the rig poisons the driver's F2 buffer
 * past every frame, so under ASan (tools/test unit-asan) an over-read aborts the test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "tests/unit/cyw43439/rig.h"
#include "tests/unit/support/test_support.h"

static struct rig *r;

static int setup(void **state)
{
	(void)state;
	r = rig_new(&(struct rig_opts){ .fast = true, .guard_rx = true });
	rig_boot_join(r);
	rig_record_rx(r);
	rig_run_for(r, 20 * NB_NS_PER_MS);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rig_free(r);
	r = NULL;
	return 0;
}

/* SDPCM header with the credit the driver already has (so credit is not disturbed). */
static void sdpcm(uint8_t *f, unsigned size, unsigned chan, unsigned hl)
{
	nb_put_le16(f, size);
	nb_put_le16(f + 2, ~size & 0xFFFFu);
	f[4] = r->drv.sdpcm.rx_seq;
	f[5] = (uint8_t)chan;
	f[6] = 0;
	f[7] = (uint8_t)hl;
	f[8] = 0;
	f[9] = r->drv.sdpcm.credit;
	f[10] = 0;
	f[11] = 0;
}

/* A valid event frame: SDPCM(14) + BDC(4, offset 1) + pad(4) + Ethernet/event(72+datalen). */
static size_t event_frame(uint8_t *f, uint32_t type, uint32_t datalen, size_t datalen_real)
{
	uint8_t *e = f + 22, *m = e + 24;
	size_t size = 22 + 72 + datalen_real;

	memset(f, 0, size);
	sdpcm(f, (unsigned)size, CYW_CHAN_EVENT, 14);
	f[14] = 0x20;
	f[17] = 1;
	memset(e, 0xFF, 6);
	memcpy(e + 6, "\x02\x00\x00\x00\x00\x01", 6);
	nb_put_be16(e + 12, 0x886C);
	nb_put_be16(e + 14, 0x8001);
	nb_put_be16(e + 16, (unsigned)(8 + 48 + datalen));
	e[18] = 0;
	e[19] = 0x00;
	e[20] = 0x10;
	e[21] = 0x18;
	nb_put_be16(e + 22, 1);
	nb_put_be16(m, 2);
	m[4] = (uint8_t)(type >> 24);
	m[5] = (uint8_t)(type >> 16);
	m[6] = (uint8_t)(type >> 8);
	m[7] = (uint8_t)type;
	m[20] = (uint8_t)(datalen >> 24);
	m[21] = (uint8_t)(datalen >> 16);
	m[22] = (uint8_t)(datalen >> 8);
	m[23] = (uint8_t)datalen;
	memcpy(m + 30, "wl0", 3);
	return size;
}

/* Inject an exactly-sized copy (so the model sees precisely these bytes) and let it arrive. */
static void inject(const uint8_t *f, size_t len)
{
	uint8_t *copy = malloc(len);

	assert_non_null(copy);
	memcpy(copy, f, len);
	assert_int_equal(nb_cyw43439_model_inject_f2(r->m, copy, len), 0);
	free(copy);
	rig_run_for(r, 10 * NB_NS_PER_MS);
}

static const struct nb_cyw43439_stats *st(void)
{
	return nb_cyw43439_stats(&r->drv);
}

static uint64_t malformed(void)
{
	return nb_netdev_stats(rig_dev(r))->drops[NB_DROP_RX_MALFORMED];
}

/* After a rejected frame the link and the data path still work. */
static void still_works(void)
{
	uint8_t f[100];
	unsigned before = r->rx_count;

	nb_test_frame(f, sizeof(f), rig_dev(r)->mac, rig_peer_mac, 77);
	assert_int_equal(rig_peer_send(r, f, sizeof(f)), 0);
	rig_run_for(r, 20 * NB_NS_PER_MS);
	assert_int_equal(r->rx_count, before + 1);
	assert_memory_equal(r->last_rx.data, f, sizeof(f));
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_JOINED);
}

static void test_malformed_bad_complement(void **state)
{
	uint8_t f[100] = { 0 };

	(void)state;
	sdpcm(f, sizeof(f), CYW_CHAN_DATA, 14);
	f[2] ^= 0x01;
	inject(f, sizeof(f));
	assert_int_equal(st()->rx_bad_complement, 1);
	assert_int_equal(malformed(), 1);
	assert_int_equal(r->rx_count, 0);
	still_works();
}

static void test_malformed_size_differs_from_f2_length(void **state)
{
	uint8_t f[120] = { 0 };

	(void)state;
	sdpcm(f, 100, CYW_CHAN_DATA, 14); /* says 100, the chip reported 120 (rule R1) */
	inject(f, sizeof(f));
	sdpcm(f, 200, CYW_CHAN_DATA, 14); /* says more than was read */
	inject(f, sizeof(f));
	assert_int_equal(st()->rx_bad_size, 2);
	assert_int_equal(malformed(), 2);
	assert_int_equal(r->rx_count, 0);
	still_works();
}

static void test_malformed_header_length_past_frame(void **state)
{
	uint8_t f[64] = { 0 };

	(void)state;
	sdpcm(f, sizeof(f), CYW_CHAN_DATA, 200);
	inject(f, sizeof(f));
	sdpcm(f, sizeof(f), CYW_CHAN_CONTROL, 65);
	inject(f, sizeof(f));
	sdpcm(f, sizeof(f), CYW_CHAN_EVENT, 8); /* shorter than the SDPCM header itself */
	inject(f, sizeof(f));
	assert_int_equal(st()->rx_bad_hdrlen, 3);
	assert_int_equal(malformed(), 3);
	assert_int_equal(r->rx_count, 0);
	still_works();
}

static void test_malformed_bdc_offset_past_frame(void **state)
{
	uint8_t f[80] = { 0 };

	(void)state;
	sdpcm(f, sizeof(f), CYW_CHAN_DATA, 14);
	f[14] = 0x20;
	f[17] = 16; /* 64 bytes of signals after an 18-byte header: past 80 */
	inject(f, sizeof(f));
	sdpcm(f, 16, CYW_CHAN_DATA, 14); /* not even room for the BDC header */
	inject(f, 16);
	sdpcm(f, sizeof(f), CYW_CHAN_EVENT, 14);
	f[17] = 20;
	inject(f, sizeof(f));
	assert_int_equal(st()->rx_bdc_bad, 3);
	assert_int_equal(malformed(), 3);
	assert_int_equal(r->rx_count, 0);
	still_works();
}

static void test_malformed_oversize_f2_length_discarded_unread(void **state)
{
	static uint8_t f[1600];
	uint64_t discarded = nb_cyw43439_model_stats(r->m)->frames_discarded;

	(void)state;
	memset(f, 0, sizeof(f));
	sdpcm(f, sizeof(f), CYW_CHAN_DATA, 14);
	inject(f, sizeof(f));
	assert_int_equal(st()->rx_f2_len_bad, 1);
	assert_int_equal(malformed(), 1);
	/* the driver told the chip to drop it (F1 frame control) instead of reading it */
	assert_int_equal(nb_cyw43439_model_stats(r->m)->frames_discarded, discarded + 1);
	assert_int_equal(r->rx_count, 0);
	still_works();
}

static void test_malformed_truncated_events(void **state)
{
	uint8_t f[256];
	size_t n;

	(void)state;
	/* 40 bytes of a 72-byte event message */
	n = event_frame(f, CYW_E_LINK, 0, 0);
	sdpcm(f, (unsigned)(n - 32), CYW_CHAN_EVENT, 14);
	inject(f, n - 32);
	/* datalen claims 100 bytes, 10 are there */
	n = event_frame(f, CYW_E_LINK, 100, 10);
	inject(f, n);
	assert_int_equal(st()->rx_event_truncated, 2);
	assert_int_equal(malformed(), 2);
	/* a complete one of the same shape is accepted */
	n = event_frame(f, CYW_E_JOIN, 10, 10);
	inject(f, n);
	assert_int_equal(malformed(), 2);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_JOINED);
	still_works();
}

static void test_malformed_invalid_events(void **state)
{
	uint8_t f[256];
	size_t n;
	uint64_t events = st()->events;

	(void)state;
	n = event_frame(f, CYW_E_DEAUTH_IND, 0, 0);
	f[22 + 12] = 0x08; /* ethertype 0x086C */
	inject(f, n);
	n = event_frame(f, CYW_E_DEAUTH_IND, 0, 0);
	f[22 + 21] = 0x19; /* OUI 00:10:19 */
	inject(f, n);
	n = event_frame(f, CYW_E_DEAUTH_IND, 0, 0);
	f[22 + 23] = 2; /* usr_subtype 2 */
	inject(f, n);
	n = event_frame(f, CYW_E_DEAUTH_IND, 0, 0);
	f[22 + 15] = 0x02; /* subtype 0x8002 */
	inject(f, n);
	assert_int_equal(st()->rx_event_invalid, 4);
	assert_int_equal(malformed(), 4);
	/* none of those deauthentications was believed */
	assert_int_equal(st()->events, events);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_JOINED);
	still_works();
}

static void test_malformed_control_and_channel(void **state)
{
	uint8_t f[64] = { 0 };

	(void)state;
	sdpcm(f, 20, CYW_CHAN_CONTROL, 12); /* 8 bytes where a 16-byte CDC header belongs */
	inject(f, 20);
	sdpcm(f, sizeof(f), 5, 12); /* no such channel */
	inject(f, sizeof(f));
	assert_int_equal(st()->rx_ctl_malformed, 1);
	assert_int_equal(st()->rx_bad_channel, 1);
	assert_int_equal(malformed(), 2);
	/* a well-formed control frame nobody asked for is counted, not dropped as malformed */
	memset(f, 0, sizeof(f));
	sdpcm(f, 40, CYW_CHAN_CONTROL, 12);
	nb_put_le32(f + 12 + 8, 0x7777u << 16);
	inject(f, 40);
	assert_int_equal(st()->rx_ctl_stale, 1);
	assert_int_equal(malformed(), 2);
	still_works();
}

static void test_malformed_runt_data_frame(void **state)
{
	uint8_t f[30] = { 0 };

	(void)state;
	sdpcm(f, sizeof(f), CYW_CHAN_DATA, 14);
	f[14] = 0x20; /* 30 - 18 = 12 bytes: less than an Ethernet header */
	inject(f, sizeof(f));
	assert_int_equal(nb_netdev_stats(rig_dev(r))->drops[NB_DROP_RX_RUNT], 1);
	assert_int_equal(r->rx_count, 0);
	still_works();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_malformed_bad_complement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_size_differs_from_f2_length, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_malformed_header_length_past_frame, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_malformed_bdc_offset_past_frame, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_malformed_oversize_f2_length_discarded_unread,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_truncated_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_invalid_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_control_and_channel, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_malformed_runt_data_frame, setup, teardown),
	};

	return cmocka_run_group_tests_name("cyw43439_malformed", tests, NULL, NULL);
}
