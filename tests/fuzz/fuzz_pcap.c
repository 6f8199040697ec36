/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the pcap reader path: arbitrary bytes as the capture file of a pcap source (written
 * to a memfd and opened by path through libpcap, as a scenario's `pcap: {read: ...}`), then
 * drained the way the run loop does: ask tx_pending() and deadline(), move a fake clock to
 * the deadline, take frames with next_tx().
 * Input: [mode:1][bytes of the file]. mode bits 0..1 pick the timing (asap, recorded,
 * {rate: 1 + bits 4..7}, absolute), bits 2..3 the number of passes (1..4).
 * Invariants besides "no crash, no leak, no sanitizer report": every frame handed out is
 * 14..max_frame bytes; a paced frame never goes before its deadline; the deadline is never
 * in the past while nothing can be sent (that would spin the loop); the source ends
 * (exhausted) within a bounded number of steps; sent + unreadable <= records seen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drivers/bus/clock.h"
#include "drivers/netdev/netdev.h"
#include "src/endpoint.h"
#include "src/log.h"
#include "src/replay.h"

#define MAX_FRAME 1518u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t fake_now;

static uint64_t now_fn(void *ctx)
{
	(void)ctx;
	return fake_now;
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_pcap: %s\n", what);
	abort();
}

static FILE *devnull(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_logger lg;
	struct nb_endpoint_env env = { .max_frame = MAX_FRAME, .now = now_fn };
	struct nb_pcap_cfg cfg = { 0 };
	struct nb_endpoint *ep;
	uint8_t buf[MAX_FRAME];
	char path[64], err[512];
	unsigned steps = 0;
	int fd;

	if (size < 1)
		return 0;
	fake_now = 1000;
	nb_logger_init(&lg, devnull(), NB_LOG_DEBUG);
	env.log = &lg;
	cfg.timing = data[0] & 3u;
	if (cfg.timing == 3) {
		cfg.timing = NB_REPLAY_RECORDED;
		cfg.rate_milli = 1000u * (1u + (data[0] >> 4));
	}
	cfg.has_loop = true;
	cfg.loop = 1u + ((data[0] >> 2) & 3u);
	fd = memfd_create("capture", MFD_CLOEXEC);
	if (fd < 0 || (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1)))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	cfg.read = path;
	ep = nb_endpoint_open(&(struct nb_endpoint_cfg){ .kind = NB_EP_PCAP, .pcap = cfg }, &env,
			      err, sizeof(err));
	if (!ep) {
		if (!strstr(err, path))
			fail("open error without the file's name");
		close(fd);
		return 0;
	}
	nb_endpoint_set_carrier(ep, true);
	while (!ep->exhausted || nb_endpoint_tx_pending(ep)) {
		uint64_t d;
		int n;

		/* A record is at least 16 bytes, so 4 passes over the input bound the work. */
		if (++steps > 8 * (size + 16))
			fail("the source does not end");
		if (!nb_endpoint_tx_pending(ep)) {
			d = nb_endpoint_deadline(ep);
			if (d == NB_DEADLINE_NONE) {
				if (!ep->exhausted)
					fail("neither pending, nor a deadline, nor exhausted");
				break;
			}
			if (d <= fake_now)
				fail("a deadline in the past with nothing to send");
			fake_now = d;
			continue;
		}
		n = nb_endpoint_next_tx(ep, buf, sizeof(buf));
		if (n > 0 && ((unsigned)n < NB_ETH_HLEN || (unsigned)n > MAX_FRAME))
			fail("a frame of impossible length");
		if (n == 0 && !ep->exhausted && nb_endpoint_deadline(ep) <= fake_now)
			fail("pending, but nothing came and nothing is due later");
	}
	nb_endpoint_free(ep);
	close(fd);
	return 0;
}
