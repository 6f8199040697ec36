/* SPDX-License-Identifier: MIT */
/*
 * AF_PACKET frame port (hil/afpacket_rmii.c) through the emulated interface: socket set-up,
 * the FCS appended on receive and checked/stripped on transmit, padding, VLAN tags restored,
 * our own frames skipped on kernels without PACKET_IGNORE_OUTGOING, truncation, drops, and
 * the failures of a Linux host.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "hil/afpacket_rmii.h"
#include "tests/unit/hil/afpacket_emu.h"
#include "tests/unit/support/test_support.h"

static const uint8_t dst[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

static struct nb_afpacket *afp_open(const struct nb_afpacket_cfg *c0)
{
	struct nb_afpacket_cfg c = c0 ? *c0 : (struct nb_afpacket_cfg){ 0 };
	struct nb_afpacket *a = NULL;
	char err[256];
	int ret;

	c.ifname = EMU_AFP_IFNAME;
	ret = nb_afpacket_open(&c, &a, err, sizeof(err));
	if (ret)
		fprintf(stderr, "afpacket open: %s\n", err);
	assert_int_equal(ret, 0);
	return a;
}

static bool readable(struct nb_afpacket *a)
{
	struct pollfd p = { .fd = nb_afpacket_fd(a), .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

static void test_afpacket_rmii_socket_setup(void **state)
{
	struct nb_afpacket *a;
	char err[256];

	(void)state;
	emu_afp_reset(NULL);
	a = afp_open(&(struct nb_afpacket_cfg){ .promisc = true });
	assert_true(emu_afp_state()->bound);
	assert_int_equal(emu_afp_state()->bound_ifindex, EMU_AFP_IFINDEX);
	assert_true(emu_afp_state()->auxdata);
	assert_true(emu_afp_state()->ignore_outgoing);
	assert_true(emu_afp_state()->promisc);
	nb_afpacket_close(a);
	/* failures a host gives */
	assert_int_equal(nb_afpacket_open(&(struct nb_afpacket_cfg){ .ifname = "enx99" }, &a,
					  err, sizeof(err)),
			 -ENODEV);
	assert_non_null(strstr(err, "no network interface 'enx99'"));
	assert_int_equal(nb_afpacket_open(&(struct nb_afpacket_cfg){ 0 }, &a, err, sizeof(err)),
			 -EINVAL);
	emu_afp_reset(&(struct emu_afp_opts){ .deny = true });
	assert_int_equal(nb_afpacket_open(&(struct nb_afpacket_cfg){ .ifname = EMU_AFP_IFNAME },
					  &a, err, sizeof(err)),
			 -EPERM);
	assert_non_null(strstr(err, "CAP_NET_RAW"));
}

static void test_afpacket_rmii_receive_appends_fcs(void **state)
{
	struct nb_afpacket *a;
	struct nb_rmii_port p;
	struct nb_rmii_rx rx;
	uint8_t f[1514];

	(void)state;
	emu_afp_reset(NULL);
	a = afp_open(NULL);
	p = nb_afpacket_rmii(a);
	assert_int_equal(nb_rmii_rx_peek(&p, &rx), -EAGAIN);
	assert_false(readable(a));
	assert_int_equal(nb_afpacket_service(a), 0); /* no notify set */
	nb_test_frame(f, sizeof(f), dst, src, 1);
	emu_afp_inject(f, sizeof(f), PACKET_HOST, -1);
	assert_true(readable(a));
	assert_int_equal(nb_rmii_rx_peek(&p, &rx), 0);
	assert_int_equal(rx.len, sizeof(f) + 4);
	assert_int_equal(rx.flags, 0);
	assert_memory_equal(rx.data, f, sizeof(f));
	assert_int_equal(nb_crc32(0, rx.data, rx.len), NB_CRC32_RESIDUE);
	/* peek again without release: the same frame */
	assert_int_equal(nb_rmii_rx_peek(&p, &rx), 0);
	assert_int_equal(rx.len, sizeof(f) + 4);
	nb_rmii_rx_release(&p);
	assert_int_equal(nb_rmii_rx_peek(&p, &rx), -EAGAIN);
	/* a 42-byte ARP from a veth: padded to 60, then the FCS */
	nb_test_frame(f, 42, dst, src, 2);
	emu_afp_inject(f, 42, PACKET_BROADCAST, -1);
	assert_int_equal(nb_rmii_rx_peek(&p, &rx), 0);
	assert_int_equal(rx.len, 64);
	assert_memory_equal(rx.data, f, 42);
	assert_int_equal(rx.data[59], 0);
	assert_int_equal(nb_crc32(0, rx.data, rx.len), NB_CRC32_RESIDUE);
	nb_rmii_rx_release(&p);
	assert_int_equal(nb_afpacket_stats(a)->rx_padded, 1);
	nb_afpacket_close(a);
}

static void test_afpacket_rmii_vlan_truncation_and_nic_fcs(void **state)
{
	struct nb_afpacket *a;
	struct nb_rmii_port p;
	struct nb_rmii_rx rx;
	static uint8_t f[3000];

	(void)state;
	emu_afp_reset(NULL);
	a = afp_open(NULL);
	p = nb_afpacket_rmii(a);
	/* the NIC stripped an 802.1Q tag into the metadata: it goes back at offset 12 */
	nb_test_frame(f, 100, dst, src, 3);
	emu_afp_inject(f, 100, PACKET_HOST, 0x2064);
	assert_int_equal(nb_rmii_rx_peek(&p, &rx), 0);
	assert_int_equal(rx.len, 100 + 4 + 4);
	assert_memory_equal(rx.data, f, 12);
	assert_memory_equal(rx.data + 12, ((uint8_t[]){ 0x81, 0x00, 0x20, 0x64 }), 4);
	assert_memory_equal(rx.data + 16, f + 12, 88);
	assert_int_equal(nb_crc32(0, rx.data, rx.len), NB_CRC32_RESIDUE);
	nb_rmii_rx_release(&p);
	/* longer than the port's buffer: cut and flagged */
	nb_test_frame(f, sizeof(f), dst, src, 4);
	emu_afp_inject(f, sizeof(f), PACKET_HOST, -1);
	assert_int_equal(nb_rmii_rx_peek(&p, &rx), 0);
	assert_int_equal(rx.len, NB_AFPACKET_FRAME_MAX);
	assert_true(rx.flags & NB_RMII_RX_TRUNC);
	nb_rmii_rx_release(&p);
	assert_int_equal(nb_afpacket_stats(a)->rx_truncated, 1);
	nb_afpacket_close(a);

	/* a NIC with rx-fcs on hands the FCS over itself: nothing is added */
	a = afp_open(&(struct nb_afpacket_cfg){ .nic_keeps_fcs = true });
	p = nb_afpacket_rmii(a);
	nb_test_frame(f, 100, dst, src, 5);
	nb_put_le32(f + 100, nb_crc32(0, f, 100) ^ 1u); /* and a bad one stays bad */
	emu_afp_inject(f, 104, PACKET_HOST, -1);
	assert_int_equal(nb_rmii_rx_peek(&p, &rx), 0);
	assert_int_equal(rx.len, 104);
	assert_memory_equal(rx.data, f, 104);
	nb_rmii_rx_release(&p);
	nb_afpacket_close(a);
}

static void test_afpacket_rmii_transmit_strips_fcs(void **state)
{
	struct nb_afpacket *a;
	struct nb_rmii_port p;
	uint8_t f[200], fcs[4], pad[60], got[2048];
	struct nb_iov iov[3];
	struct nb_rmii_rx rx;

	(void)state;
	emu_afp_reset(&(struct emu_afp_opts){ .old_kernel = true });
	a = afp_open(NULL);
	p = nb_afpacket_rmii(a);
	assert_false(emu_afp_state()->ignore_outgoing);
	assert_int_equal(nb_rmii_tx_space(&p), 1);
	/* body, then a pad and the FCS as separate pieces (the LAN8720 driver's gather) */
	nb_test_frame(f, 50, dst, src, 6);
	memset(pad, 0, sizeof(pad));
	memcpy(got, f, 50);
	memset(got + 50, 0, 10);
	nb_put_le32(fcs, nb_crc32(0, got, 60));
	iov[0] = (struct nb_iov){ f, 50 };
	iov[1] = (struct nb_iov){ pad, 10 };
	iov[2] = (struct nb_iov){ fcs, 4 };
	assert_int_equal(nb_rmii_tx(&p, iov, 3), 0);
	assert_int_equal(emu_afp_take_sent(got, sizeof(got)), 60);
	assert_memory_equal(got, f, 50);
	/* an FCS split across the last two pieces */
	nb_test_frame(f, 200, dst, src, 7);
	nb_put_le32(fcs, nb_crc32(0, f, 198));
	memcpy(f + 198, fcs, 2);
	iov[0] = (struct nb_iov){ f, 200 };
	iov[1] = (struct nb_iov){ fcs + 2, 2 };
	assert_int_equal(nb_rmii_tx(&p, iov, 2), 0);
	assert_int_equal(emu_afp_take_sent(got, sizeof(got)), 198);
	/* a bad FCS is not "repaired" by the NIC: not sent, counted */
	fcs[3] ^= 0x80;
	iov[1] = (struct nb_iov){ fcs + 2, 2 };
	assert_int_equal(nb_rmii_tx(&p, iov, 2), 0);
	assert_int_equal(emu_afp_take_sent(got, sizeof(got)), 0);
	assert_int_equal(nb_afpacket_stats(a)->tx_bad_fcs, 1);
	/* the old kernel echoed our two frames: skipped, nothing to receive */
	assert_true(readable(a));
	assert_int_equal(nb_rmii_rx_peek(&p, &rx), -EAGAIN);
	assert_int_equal(nb_afpacket_stats(a)->rx_outgoing_skipped, 2);
	/* below 64 bytes with FCS is not a frame */
	iov[0] = (struct nb_iov){ f, 63 };
	assert_int_equal(nb_rmii_tx(&p, iov, 1), -EINVAL);
	nb_afpacket_close(a);
}

static void test_afpacket_rmii_transmit_failures(void **state)
{
	struct nb_afpacket *a;
	struct nb_rmii_port p;
	uint8_t f[100];
	struct nb_iov iov = { f, sizeof(f) };

	(void)state;
	emu_afp_reset(NULL);
	a = afp_open(NULL);
	p = nb_afpacket_rmii(a);
	nb_test_frame(f, 96, dst, src, 8);
	nb_put_le32(f + 96, nb_crc32(0, f, 96));
	emu_afp_fail_send(EAGAIN, 1);
	assert_int_equal(nb_rmii_tx(&p, &iov, 1), -EAGAIN);
	emu_afp_fail_send(ENOBUFS, 1);
	assert_int_equal(nb_rmii_tx(&p, &iov, 1), -EAGAIN);
	assert_int_equal(nb_afpacket_stats(a)->tx_busy, 2);
	/* interface down: the frame is lost as on a dead link, counted, logged once */
	emu_afp_fail_send(ENETDOWN, 2);
	assert_int_equal(nb_rmii_tx(&p, &iov, 1), 0);
	assert_int_equal(nb_rmii_tx(&p, &iov, 1), 0);
	assert_int_equal(nb_afpacket_stats(a)->tx_errors, 2);
	assert_non_null(strstr(nb_afpacket_last_error(a), "sendmsg: Network is down"));
	assert_int_equal(nb_rmii_tx(&p, &iov, 1), 0);
	assert_int_equal(nb_afpacket_stats(a)->tx_frames, 1);
	nb_afpacket_close(a);
}

static unsigned notified;

static void on_notify(void *ctx)
{
	(void)ctx;
	notified++;
}

static void test_afpacket_rmii_notify_speed_and_drops(void **state)
{
	struct nb_afpacket *a;
	struct nb_rmii_port p;
	uint8_t f[100];
	bool fd;

	(void)state;
	notified = 0;
	emu_afp_reset(NULL);
	a = afp_open(NULL);
	p = nb_afpacket_rmii(a);
	assert_int_equal(nb_rmii_set_notify(&p, on_notify, NULL), 0);
	nb_test_frame(f, sizeof(f), dst, src, 9);
	emu_afp_inject(f, sizeof(f), PACKET_HOST, -1);
	assert_true(readable(a));
	assert_int_equal(nb_afpacket_service(a), 1);
	assert_int_equal(notified, 1);
	assert_int_equal(nb_rmii_set_speed(&p, 10, false), 0);
	assert_int_equal(nb_afpacket_speed(a, &fd), 10);
	assert_false(fd);
	assert_int_equal(nb_rmii_set_speed(&p, 1000, true), -EINVAL);
	/* kernel drops accumulate although each read resets them */
	assert_int_equal(nb_rmii_rx_dropped(&p), 0);
	emu_afp_add_drops(3);
	assert_int_equal(nb_rmii_rx_dropped(&p), 3);
	emu_afp_add_drops(2);
	assert_int_equal(nb_rmii_rx_dropped(&p), 5);
	assert_int_equal(nb_rmii_rx_dropped(&p), 5);
	assert_int_equal(emu_afp_state()->protocol_errors, 0);
	nb_afpacket_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_afpacket_rmii_socket_setup),
		cmocka_unit_test(test_afpacket_rmii_receive_appends_fcs),
		cmocka_unit_test(test_afpacket_rmii_vlan_truncation_and_nic_fcs),
		cmocka_unit_test(test_afpacket_rmii_transmit_strips_fcs),
		cmocka_unit_test(test_afpacket_rmii_transmit_failures),
		cmocka_unit_test(test_afpacket_rmii_notify_speed_and_drops),
	};

	return cmocka_run_group_tests_name("hil_afpacket_rmii", tests, NULL, NULL);
}
