/* SPDX-License-Identifier: MIT */
/* CYW43439 model, F2: SDPCM framing, credit, CDC ioctls/iovars, events (reference §3). */
#include <errno.h>
#include <string.h>

#include "tests/unit/cyw43439_model/tb.h"
#include "tests/unit/support/test_support.h"

#define MS 1000000ull

static int setup(void **state)
{
	static struct tb t;

	tb_init(&t, NULL);
	assert_true(tb_boot(&t, 1));
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	tb_fini(*state);
	return 0;
}

/* §3.3/§4.1: one reply, same id, CDC len = request len, value at offset 0, padded frame. */
static void test_cyw43439_model_ioctl_reply_matches_request(void **state)
{
	struct tb *t = *state;
	uint8_t b[20] = "cur_etheraddr";
	const uint8_t *f, *c;

	assert_int_equal(tb_ioctl(t, 262, false, b, 20), 0);
	assert_memory_equal(b, ((uint8_t[]){ 0x28, 0xCD, 0xC1, 0x00, 0x43, 0x39 }), 6);
	f = t->last_frame;
	c = f + f[7];
	assert_int_equal(f[0] | f[1] << 8, t->last_frame_len);
	assert_int_equal((f[0] | f[1] << 8) ^ (f[2] | f[3] << 8), 0xFFFF);
	assert_int_equal(f[5] & 0x0F, 0);
	assert_int_equal(f[7], 12);
	/* short replies are padded to 256..259 bytes like the real firmware (§3.3.3) */
	assert_int_equal(t->last_frame_len, 256);
	assert_int_equal(c[0] | c[1] << 8, 262);
	assert_int_equal(c[4] | c[5] << 8, 20);
	assert_int_equal(c[10] | c[11] << 8, t->ioctl_id);
	assert_int_equal(c[8] & 1, 0);
	/* the rest of the buffer is the echoed request (the name past the MAC) */
	assert_memory_equal(c + 16 + 6, "heraddr", 8);
	assert_int_equal(t->nviol, 0);
	assert_int_equal(nb_cyw43439_model_rx_pending(t->m), 0);
}

static void test_cyw43439_model_ioctl_errors(void **state)
{
	struct tb *t = *state;
	uint8_t b[8] = { 0 };
	const uint8_t *c;

	assert_int_equal(tb_ioctl(t, 999, true, b, 4), -23);
	c = t->last_frame + t->last_frame[7];
	assert_int_equal(c[8] & 1, 1); /* ERROR flag */
	assert_int_equal(tb_iovar_get(t, "no_such_iovar", b, 8), -23);
	assert_int_equal(tb_ioctl(t, 127, false, b, 4), -17); /* GET_RSSI, not associated */
	assert_int_equal(tb_ioctl(t, 23, false, b, 6), -17);  /* GET_BSSID */
	assert_int_equal(tb_ioctl_u32(t, 86, 7), -2);         /* SET_PM out of range */
	assert_int_equal(tb_iovar_set_u32(t, "bus:txglom", 1), -23); /* no glomming */
	/* SET_SSID before UP */
	uint8_t ssid[36] = { 4, 0, 0, 0, 'n', 'e', 't', 'x' };

	assert_int_equal(tb_ioctl(t, 26, true, ssid, 36), -4);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->ioctl_errors, 7);
}

/* §2.7: clmload chunks and clmload_status; a blob without the BLOB magic fails. */
static void test_cyw43439_model_clm_load(void **state)
{
	struct tb *t = *state;
	uint8_t st[4];
	uint8_t c1[12 + 8] = { 0x02, 0x10, 2, 0, 8, 0, 0, 0, 0, 0, 0, 0, 'B', 'L', 'O', 'B' };
	uint8_t c2[12 + 8] = { 0x04, 0x10, 2, 0, 8, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t bad[12 + 8] = { 0x06, 0x10, 2, 0, 8, 0, 0, 0, 0, 0, 0, 0, 'J', 'U', 'N', 'K' };

	assert_int_equal(tb_iovar_get(t, "clmload_status", st, 4), 0);
	assert_int_not_equal(st[0], 0); /* nothing loaded yet */
	assert_int_equal(tb_iovar_set(t, "clmload", c2, sizeof(c2)), -2); /* no DL_BEGIN */
	assert_int_equal(tb_iovar_set(t, "clmload", c1, sizeof(c1)), 0);
	/* CD pads the ioctl with junk: the chunk length comes from the header */
	uint8_t c2pad[sizeof(c2) + 4];

	memcpy(c2pad, c2, sizeof(c2));
	memset(c2pad + sizeof(c2), 0x5A, 4);
	assert_int_equal(tb_iovar_set(t, "clmload", c2pad, sizeof(c2pad)), 0);
	assert_int_equal(tb_iovar_get(t, "clmload_status", st, 4), 0);
	assert_memory_equal(st, ((uint8_t[]){ 0, 0, 0, 0 }), 4);
	assert_int_equal(tb_iovar_set(t, "clmload", bad, sizeof(bad)), -1);
	assert_int_equal(tb_iovar_get(t, "clmload_status", st, 4), 0);
	assert_int_not_equal(st[0], 0);
}

/* §3.2.3: size/~size mismatch → no reply, violation; a good frame afterwards works. */
static void test_cyw43439_model_sdpcm_complement_mismatch(void **state)
{
	struct tb *t = *state;
	uint8_t f[32] = { 28, 0, 0x00, 0x00, 0, 0, 0, 12 };

	f[4] = t->seq++;
	assert_int_equal(tb_write(t, 2, 0, f, 28), 0);
	assert_true(tb_has_violation(t, "length/complement mismatch"));
	tb_pump(t, 5 * MS);
	assert_int_equal(t->nframes_rx, 0);
	/* The chip could not read the header, so it did not take sequence 0: a host that
	 * knows the frame was lost sends it again with the same number. */
	t->seq--;
	uint8_t b[20] = "cur_etheraddr";

	assert_int_equal(tb_ioctl(t, 262, false, b, 20), 0);
}

/* §3.2.6: a host frame with a sequence number at or past the credit is a violation. */
static void test_cyw43439_model_sequence_past_credit(void **state)
{
	struct tb *t = *state;
	uint8_t b[20] = "cur_etheraddr";

	assert_int_equal(tb_ioctl(t, 262, false, b, 20), 0);
	assert_int_equal(t->credit, (uint8_t)(t->seq + 8)); /* default window 8 */
	t->seq = t->credit;
	assert_int_equal(tb_ioctl(t, 262, false, b, 20), 1000); /* dropped: no reply */
	assert_true(tb_has_violation(t, "past the credit"));
}

/* Credit window: after the first reply 8 frames may be in flight; the 9th is a violation. */
static void test_cyw43439_model_credit_window(void **state)
{
	struct tb *t = *state;
	uint8_t b[20] = "cur_etheraddr";
	uint8_t p[16 + 20] = { 6, 1, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0 };
	unsigned before;

	/* Before hearing from the chip a host may send one frame (credit 1, §3.2.6). */
	assert_int_equal(tb_ioctl(t, 262, false, b, 20), 0);
	assert_int_equal(t->credit, (uint8_t)(t->seq + 8));
	memcpy(p + 16, "cur_etheraddr", 14);
	before = t->nframes_rx;
	for (int i = 0; i < 8; i++) {
		p[10] = (uint8_t)(100 + i);
		assert_int_equal(tb_f2_send(t, 0, 12, p, sizeof(p)), 0);
	}
	assert_int_equal(t->nviol, 0);
	assert_int_equal(tb_f2_send(t, 0, 12, p, sizeof(p)), 0);
	assert_true(tb_has_violation(t, "past the credit"));
	tb_pump(t, 20 * MS);
	assert_int_equal(t->nframes_rx - before, 8); /* the 9th got no reply */
	/* all answered: 8 more from the last sequence the chip accepted (the 9th was not) */
	assert_int_equal(t->credit, (uint8_t)(t->seq - 1 + 8));
	assert_int_equal(nb_cyw43439_model_stats(t->m)->seq_gaps, 0);
	t->nviol = 0;
	memcpy(b, "cur_etheraddr", 14);
	assert_int_equal(tb_ioctl(t, 262, false, b, 20), 0);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->seq_gaps, 1);
}

/* Freezing the credit stalls the host; thawing sends a header-only credit frame (§3.9). */
static void test_cyw43439_model_credit_freeze_and_update_frame(void **state)
{
	struct tb *t = *state;
	uint8_t b[20] = "cur_etheraddr";

	assert_int_equal(tb_ioctl(t, 262, false, b, 20), 0);
	nb_cyw43439_model_set_credit_window(t->m, 0);
	while ((uint8_t)(t->credit - t->seq) != 0) {
		memcpy(b, "cur_etheraddr", 14);
		assert_int_equal(tb_ioctl(t, 262, false, b, 20), 0);
	}
	assert_int_equal(t->credit, t->seq); /* stalled */
	nb_cyw43439_model_set_credit_window(t->m, 4);
	assert_int_equal(tb_f2_poll(t), 12);
	assert_int_equal(t->last_frame[7], 12);
	assert_int_equal(t->credit, (uint8_t)(t->seq + 4));
	assert_int_equal(nb_cyw43439_model_stats(t->m)->credit_frames, 1);
}

/* §3.7: event frames and the event mask; R9: nothing at or above 192. */
static void test_cyw43439_model_event_layout_and_mask(void **state)
{
	struct tb *t = *state;
	struct nb_cyw43439_event ev = { .type = 16, .status = 0, .reason = 0, .flags = 1,
					.addr = { 1, 2, 3, 4, 5, 6 } };
	uint8_t mask[4 + 24] = { 0 };
	const uint8_t *f, *e;

	assert_int_equal(nb_cyw43439_model_inject_event(t->m, &ev), 0); /* mask is empty */
	mask[4 + 2] = 0x01; /* type 16 */
	assert_int_equal(tb_iovar_set(t, "bsscfg:event_msgs", mask, sizeof(mask)), 0);
	assert_int_equal(nb_cyw43439_model_inject_event(t->m, &ev), 1);
	ev.type = 200;
	assert_int_equal(nb_cyw43439_model_inject_event(t->m, &ev), 0);
	tb_pump(t, MS);
	assert_int_equal(t->nev, 1);
	assert_int_equal(t->ev[0].type, 16);
	assert_int_equal(t->ev[0].flags, 1);
	assert_memory_equal(t->ev[0].addr, ev.addr, 6);
	f = t->last_frame;
	e = f + f[7] + 4 + 4 * f[f[7] + 3];
	assert_int_equal((size_t)(e - f) % 4, 2); /* Ethernet at ≡ 2 mod 4 (§3.0 R3) */
	assert_int_equal(f[f[7]] >> 4, 2);          /* BDC version 2 */
	assert_memory_equal(e + 12, ((uint8_t[]){ 0x88, 0x6C, 0x80, 0x01 }), 4);
	assert_memory_equal(e + 19, ((uint8_t[]){ 0x00, 0x10, 0x18, 0x00, 0x01 }), 5);
	assert_memory_equal(e + 24, ((uint8_t[]){ 0x00, 0x02 }), 2); /* message version 2 */
	assert_memory_equal(e + 24 + 30, "wl0", 4);
	assert_true(t->last_frame_len - (size_t)(f[7] + 4) >= 72); /* R11 */
}

static void test_cyw43439_model_inject_raw_and_discard(void **state)
{
	struct tb *t = *state;
	uint8_t junk[16] = { 0x10, 0x00, 0x00, 0x00 };

	assert_int_equal(nb_cyw43439_model_inject_f2(t->m, junk, 16), 0);
	assert_int_equal(tb_r(t, 0, 0x08, 4) & 0x1FFF00, (16u << 9) | 0x100);
	assert_int_equal(tb_f2_poll(t), 16);
	assert_memory_equal(t->last_frame, junk, 16);
	assert_int_equal(nb_cyw43439_model_inject_f2(t->m, junk, 16), 0);
	tb_w(t, 1, 0x1000D, 1, 0x01); /* CD drops a frame it does not like */
	assert_int_equal(tb_r(t, 0, 0x08, 4) & 0x100, 0);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->frames_discarded, 1);
}

/* §1.9: F2_PACKET_AVAILABLE is a level that follows the queue; HOST_WAKE follows it. */
static void test_cyw43439_model_packet_available_level(void **state)
{
	struct tb *t = *state;
	uint8_t junk[16] = { 0x10, 0x00, 0xEF, 0xFF };

	assert_int_equal(nb_gpio_read(&t->gpio, NB_CYW43439_PIN_HOST_WAKE), 0);
	assert_int_equal(nb_cyw43439_model_inject_f2(t->m, junk, 16), 0);
	assert_int_equal(nb_gpio_read(&t->gpio, NB_CYW43439_PIN_HOST_WAKE), 1);
	tb_w(t, 0, 0x04, 2, 0x0020); /* W1C has no effect while a frame waits */
	assert_int_equal(tb_r(t, 0, 0x04, 2) & 0x20, 0x20);
	assert_int_equal(tb_f2_poll(t), 16);
	assert_int_equal(tb_r(t, 0, 0x04, 2) & 0x20, 0);
	assert_int_equal(nb_gpio_read(&t->gpio, NB_CYW43439_PIN_HOST_WAKE), 0);
}

static void test_cyw43439_model_f2_underflow_fault(void **state)
{
	struct tb *t = *state;
	uint8_t junk[16] = { 0x10, 0x00, 0xEF, 0xFF }, rx[16];

	assert_int_equal(nb_cyw43439_model_inject_f2(t->m, junk, 16), 0);
	nb_cyw43439_model_inject_fault(t->m, NB_CYW43439_FAULT_STATUS_UNDERFLOW, 1);
	assert_int_equal(tb_read(t, 2, 0, 16, rx), 0);
	assert_int_equal(t->status & 0x2, 0x2);
	assert_int_equal(tb_f2_poll(t), 16); /* the frame is still there */
	assert_memory_equal(t->last_frame, junk, 16);
}

/* §2.10 I9: F2 traffic before F2 ready. */
static void test_cyw43439_model_f2_write_before_ready(void **state)
{
	struct tb t;
	uint8_t f[16] = { 16, 0, 0xEF, 0xFF, 0, 0, 0, 12 };

	(void)state;
	tb_init(&t, NULL);
	tb_power_on(&t);
	tb_bus_up(&t);
	assert_int_equal(tb_write(&t, 2, 0, f, 16), 0);
	assert_true(tb_has_violation(&t, "before the chip reported F2 ready"));
	tb_fini(&t);
}

static void test_cyw43439_model_data_frame_checks(void **state)
{
	struct tb *t = *state;
	uint8_t p[4 + 20] = { 0x10 }; /* BDC version 1 */

	/* Each rejected frame still used a sequence number: the chip sends a header-only credit
	 * update, which the host reads before it may send again. */
	assert_int_equal(tb_f2_send(t, 2, 14, p, sizeof(p)), 0);
	assert_true(tb_has_violation(t, "BDC version 1"));
	assert_int_equal(tb_f2_poll(t), 12);
	p[0] = 0x20;
	assert_int_equal(tb_f2_send(t, 2, 12, p, sizeof(p)), 0);
	assert_true(tb_has_violation(t, "header_length 12"));
	assert_int_equal(tb_f2_send(t, 1, 12, p, sizeof(p)), 0);
	assert_true(tb_has_violation(t, "channel 1 from the host"));
	/* not associated: a good data frame is dropped and counted, no violation */
	unsigned before = t->nviol;

	assert_int_equal(tb_f2_send(t, 2, 14, p, sizeof(p)), 0);
	assert_int_equal(t->nviol, before);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->data_tx_no_link, 1);
}

static void test_cyw43439_model_settings_roundtrip(void **state)
{
	struct tb *t = *state;
	uint8_t b[128] = { 0 }, mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	uint8_t country[12] = { 'D', 'E', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 'D', 'E', 0, 0 };

	assert_int_equal(tb_iovar_set(t, "cur_etheraddr", mac, 6), 0);
	assert_int_equal(tb_iovar_get(t, "cur_etheraddr", b, 6), 0);
	assert_memory_equal(b, mac, 6);
	assert_int_equal(tb_iovar_set(t, "country", country, 12), 0);
	assert_int_equal(tb_iovar_get(t, "country", b, 12), 0);
	assert_memory_equal(b, "DE", 2);
	assert_int_equal(tb_iovar_set_u32(t, "pm2_sleep_ret", 200), 0);
	assert_int_equal(tb_iovar_get(t, "pm2_sleep_ret", b, 4), 0);
	assert_int_equal(b[0], 200);
	assert_int_equal(tb_ioctl_u32(t, 86, 1), 0);
	memset(b, 0, 4);
	assert_int_equal(tb_ioctl(t, 85, false, b, 4), 0);
	assert_int_equal(b[0], 1);
	uint8_t gpio[8] = { 1, 0, 0, 0, 1, 0, 0, 0 };

	assert_int_equal(tb_iovar_set(t, "gpioout", gpio, 8), 0);
	assert_int_equal(nb_cyw43439_model_wl_gpio(t->m), 1); /* the Pico W LED is on */
	assert_int_equal(tb_iovar_get(t, "ver", b, 12), -14); /* BCME_BUFTOOSHORT */
	assert_int_equal(tb_iovar_get(t, "ver", b, 128), 0);
	assert_memory_equal(b, "wl0: ", 5);
}

/* Reading less than the frame loses the rest (strict report); a sleeping bus has no F2. */
static void test_cyw43439_model_f2_short_read_and_sleep(void **state)
{
	struct tb *t = *state;
	uint8_t junk[32] = { 0x20, 0x00, 0xDF, 0xFF }, rx[32];

	assert_int_equal(nb_cyw43439_model_inject_f2(t->m, junk, 32), 0);
	assert_int_equal(tb_read(t, 2, 0, 16, rx), 0);
	assert_true(tb_has_violation(t, "F2 read of 16 bytes for a 32-byte frame"));
	assert_int_equal(nb_cyw43439_model_rx_pending(t->m), 0);
	/* a write that clocks fewer bytes than its length field */
	uint8_t cmd[4], wire[8] = { 0 };

	tb_word_to_wire(t->mode, tb_cmd(true, true, 1, 0x10008, 12), cmd);
	assert_int_equal(nb_gspi_cmd_write(&t->bus, cmd, wire, 8), 0);
	assert_true(tb_has_violation(t, "host clocked 8 data bytes for a 12-byte write"));
	/* KSO off: F2 goes away (no F2_RX_READY) and F2 access is a violation */
	t->nviol = 0;
	tb_w(t, 1, 0x1001F, 1, 0x00);
	tb_advance(t, MS);
	assert_int_equal(tb_r(t, 0, 0x08, 4) & 0x20, 0);
	assert_int_equal(tb_read(t, 2, 0, 4, rx), 0);
	assert_true(tb_has_violation(t, "F2 read while the bus sleeps"));
	tb_w(t, 1, 0x1001F, 1, 0x01);
	tb_advance(t, MS);
	assert_int_equal(tb_r(t, 0, 0x08, 4) & 0x20, 0x20);
}

static void test_cyw43439_model_inject_needs_firmware(void **state)
{
	struct tb t;
	struct nb_cyw43439_event ev = { .type = 16 };
	uint8_t f[16] = { 0 };

	(void)state;
	tb_init(&t, NULL);
	tb_power_on(&t);
	assert_int_equal(nb_cyw43439_model_inject_event(t.m, &ev), -ENODEV);
	assert_int_equal(nb_cyw43439_model_inject_f2(t.m, f, 16), -ENODEV);
	tb_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_cyw43439_model_ioctl_reply_matches_request),
		T(test_cyw43439_model_ioctl_errors),
		T(test_cyw43439_model_clm_load),
		T(test_cyw43439_model_sdpcm_complement_mismatch),
		T(test_cyw43439_model_sequence_past_credit),
		T(test_cyw43439_model_credit_window),
		T(test_cyw43439_model_credit_freeze_and_update_frame),
		T(test_cyw43439_model_event_layout_and_mask),
		T(test_cyw43439_model_inject_raw_and_discard),
		T(test_cyw43439_model_packet_available_level),
		T(test_cyw43439_model_f2_underflow_fault),
		cmocka_unit_test(test_cyw43439_model_f2_write_before_ready),
		T(test_cyw43439_model_data_frame_checks),
		T(test_cyw43439_model_settings_roundtrip),
		T(test_cyw43439_model_f2_short_read_and_sleep),
		cmocka_unit_test(test_cyw43439_model_inject_needs_firmware),
#undef T
	};

	return cmocka_run_group_tests_name("cyw43439_model_sdpcm", tests, NULL, NULL);
}
