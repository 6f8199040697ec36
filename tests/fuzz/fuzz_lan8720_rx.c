/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the LAN8720 receive path: arbitrary frames arrive from the wire at the PHY model,
 * cross its RMII port and reach the driver's MAC (length, FCS, RXER, address filter).
 * Input: records of [flags:1][len:2 LE][bytes]. flags bit 0 appends a correct FCS (so the
 * fuzzer gets past the CRC check), bit 1 marks a symbol error (RXER), bit 2 puts the
 * device's MAC in the destination field.
 * Invariant besides "no crash, no sanitizer report": every frame the port handed to the
 * driver or lost for want of room is accounted for by the device, delivered or dropped
 * under a reason; and nothing delivered is shorter than a header or longer than max_frame.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/lan8720/bench.h"

static struct bench *bench_once(void)
{
	static struct bench *b;

	if (b)
		return b;
	b = bench_new(NULL);
	bench_open(b);
	if (!bench_run_until_up(b, 5ull * NB_NS_PER_S)) {
		fprintf(stderr, "fuzz_lan8720_rx: link did not come up\n");
		abort();
	}
	return b;
}

static uint64_t dev_accounted(const struct nb_netdev *dev)
{
	return nb_netdev_stats(dev)->rx_frames + nb_netdev_drops_total(dev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bench *b = bench_once();
	const struct nb_lan8720_model_stats *ms = nb_lan8720_model_stats(b->m);
	uint64_t dev0 = dev_accounted(b->dev) - nb_netdev_stats(b->dev)->drops[NB_DROP_TX_LINK_DOWN];
	uint64_t port0 = ms->rmii_rx_frames + ms->rx_overflow;
	unsigned calls0 = b->rx_calls;
	uint8_t buf[2048];

	while (size >= 3) {
		unsigned flags = data[0];
		size_t len = (size_t)data[1] | ((size_t)data[2] << 8);

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		if (len > 1600)
			len = 1600;
		memcpy(buf, data, len);
		data += len;
		size -= len;
		if ((flags & 4) && len >= 6)
			memcpy(buf, bench_dev_mac, 6);
		if (flags & 1)
			len = bench_add_fcs(buf, len);
		if (bench_peer_send_raw(b, buf, len, (flags & 2) ? NB_WIRE_F_SYMBOL_ERR : 0) < 0) {
			bench_run(b, NB_NS_PER_MS); /* wire queue full: let it drain */
			(void)bench_peer_send_raw(b, buf, len, 0);
		}
	}
	bench_run(b, 2 * NB_NS_PER_MS);

	uint64_t dev = dev_accounted(b->dev) - nb_netdev_stats(b->dev)->drops[NB_DROP_TX_LINK_DOWN];
	uint64_t port = ms->rmii_rx_frames + ms->rx_overflow;

	if (dev - dev0 != port - port0) {
		fprintf(stderr, "accounting: port gave %llu frames, device accounted for %llu\n",
			(unsigned long long)(port - port0), (unsigned long long)(dev - dev0));
		abort();
	}
	for (unsigned i = calls0; i < b->rx_calls && i < BENCH_RX_MAX; i++) {
		if (b->rx_len[i] < NB_ETH_HLEN || b->rx_len[i] > b->dev->max_frame) {
			fprintf(stderr, "delivered a frame of %zu bytes\n", b->rx_len[i]);
			abort();
		}
	}
	if (b->rx_calls > BENCH_RX_MAX / 2)
		b->rx_calls = 0; /* keep the record window open */
	return 0;
}
