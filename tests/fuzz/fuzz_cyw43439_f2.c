/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the CYW43439 receive path: arbitrary bytes arrive as F2 frames from the chip model
 * (SDPCM header, CDC control replies, BDC data, events) and the driver reads them over gSPI.
 * Input: records of [len:2 LE][bytes]. The rig poisons the driver's F2 buffer past each
 * frame's length (ASan), so a read beyond what the chip reported fails at once.
 * Invariants besides "no crash, no sanitizer report": poll never fails, and nothing the
 * driver delivers is shorter than an Ethernet header or longer than max_frame.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/cyw43439/rig.h"

static struct rig *rig_once(void)
{
	static struct rig *r;
	struct rig_opts o = { .fast = true, .guard_rx = true };

	if (r)
		return r;
	r = rig_new(&o);
	rig_boot_join(r);
	rig_record_rx(r);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rig *r = rig_once();
	unsigned rx0 = r->rx_count;

	while (size >= 2) {
		size_t len = (size_t)data[0] | ((size_t)data[1] << 8);

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		if (len > 2048)
			len = 2048;
		if (len && nb_cyw43439_model_inject_f2(r->m, data, len) == -ENOSPC) {
			rig_run_for(r, NB_NS_PER_MS);
			(void)nb_cyw43439_model_inject_f2(r->m, data, len);
		}
		data += len;
		size -= len;
	}
	rig_run_for(r, 2 * NB_NS_PER_MS);
	if (r->poll_errors) {
		fprintf(stderr, "poll returned an error\n");
		abort();
	}
	if (r->rx_count != rx0 &&
	    (r->last_rx.len < NB_ETH_HLEN || r->last_rx.len > rig_dev(r)->max_frame)) {
		fprintf(stderr, "delivered a frame of %zu bytes\n", r->last_rx.len);
		abort();
	}
	return 0;
}
