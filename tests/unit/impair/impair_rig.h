/* SPDX-License-Identifier: MIT */
/* Test rigs of the impairment suite: the stage alone (apply() called by hand) and the
 * stage on a real wire with numbered frames. */
#ifndef NB_TEST_IMPAIR_RIG_H
#define NB_TEST_IMPAIR_RIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/medium/impair.h"

struct rig {
	struct nb_sim *sim;
	struct nb_impair *ip;
};

struct verdict {
	int drop;
	uint64_t extra;
	bool dup;
};

#define SEQ_MAX 100000u

struct seq_end {
	struct nb_sim *sim;
	unsigned rx, early, late;
	uint32_t max_seen, next_missing; /* lowest number not received yet */
	bool any;
	uint8_t got[SEQ_MAX];
};

struct wire_rig {
	struct nb_sim *sim;
	struct nb_wire *w;
	struct nb_impair *ip;
	struct seq_end far, dev;
};

void rig_up(struct rig *r, uint64_t seed, const struct nb_impair_dir_cfg *to_far);
void rig_down(struct rig *r);
struct verdict pass(struct rig *r, int dir, uint8_t *f, size_t *len);
/* A frame as the wire carries it: header, payload, FCS. */
size_t wire_frame(uint8_t *buf, size_t len, unsigned seed);
uint32_t frame_seq(const uint8_t *f);
void seq_rx(void *ctx, const uint8_t *f, size_t len, uint32_t flags);
extern const struct nb_wire_end_ops seq_ops;
void wire_rig_up(struct wire_rig *r, uint64_t seed, const struct nb_impair_dir_cfg *to_far);
void wire_rig_down(struct wire_rig *r);
/* Send n numbered frames from the device's end, one every gap ns, and let them all land. */
void send_numbered(struct wire_rig *r, unsigned n, uint64_t gap, size_t len);

#endif
