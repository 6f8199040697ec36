/* SPDX-License-Identifier: MIT */
#include "tests/unit/impair/impair_rig.h"

#include <string.h>

#include "drivers/util/crc32.h"
#include "tests/unit/support/test_support.h"

void rig_up(struct rig *r, uint64_t seed, const struct nb_impair_dir_cfg *to_far)
{
	struct nb_sim_cfg sc = { .seed = seed };
	struct nb_impair_dir_cfg cfg[2] = { { 0 } };

	if (to_far)
		cfg[NB_IMPAIR_TO_FAR] = *to_far;
	r->sim = nb_sim_new(&sc);
	assert_non_null(r->sim);
	r->ip = nb_impair_new(r->sim, NULL, cfg);
	assert_non_null(r->ip);
}

void rig_down(struct rig *r)
{
	nb_impair_free(r->ip);
	nb_sim_free(r->sim);
}

struct verdict pass(struct rig *r, int dir, uint8_t *f, size_t *len)
{
	const struct nb_wire_stage *st = nb_impair_stage(r->ip);
	struct verdict v = { 0 };
	uint32_t flags = 0;

	v.drop = st->apply(st->ctx, dir, f, len, &flags, &v.extra, &v.dup);
	return v;
}

/* A frame as the wire carries it: header, payload, FCS. */
size_t wire_frame(uint8_t *buf, size_t len, unsigned seed)
{
	static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 1 }, src[6] = { 0x02, 0, 0, 0, 0, 2 };
	uint32_t fcs;

	nb_test_frame(buf, len - 4, dst, src, seed);
	fcs = nb_crc32_slice8(0, buf, len - 4);
	memcpy(buf + len - 4, &fcs, 4); /* little-endian host: FCS bytes in wire order */
	return len;
}

uint32_t frame_seq(const uint8_t *f)
{
	uint32_t s;

	memcpy(&s, f + 14, 4);
	return s;
}

void seq_rx(void *ctx, const uint8_t *f, size_t len, uint32_t flags)
{
	struct seq_end *e = ctx;
	uint32_t s = frame_seq(f);

	(void)len;
	(void)flags;
	e->rx++;
	assert_true(s < SEQ_MAX);
	if (s > e->next_missing)
		e->early++; /* overtook a frame sent before it */
	if (e->any && s < e->max_seen)
		e->late++;  /* was overtaken (or is a copy arriving after later frames) */
	if (!e->any || s > e->max_seen)
		e->max_seen = s;
	e->any = true;
	e->got[s] = 1;
	while (e->next_missing < SEQ_MAX && e->got[e->next_missing])
		e->next_missing++;
}

const struct nb_wire_end_ops seq_ops = { .rx = seq_rx };

void wire_rig_up(struct wire_rig *r, uint64_t seed, const struct nb_impair_dir_cfg *to_far)
{
	struct nb_sim_cfg sc = { .seed = seed };
	struct nb_wire_cfg wc = { .queue_frames = 4096 };
	struct nb_impair_dir_cfg cfg[2] = { *to_far };

	memset(r, 0, sizeof(*r));
	r->sim = nb_sim_new(&sc);
	r->w = nb_wire_new(r->sim, &wc);
	assert_non_null(r->w);
	r->far.sim = r->dev.sim = r->sim;
	nb_wire_attach(r->w, 0, &seq_ops, &r->dev);
	nb_wire_attach(r->w, 1, &seq_ops, &r->far);
	nb_wire_set_end_up(r->w, 0, true);
	nb_wire_set_end_up(r->w, 1, true);
	r->ip = nb_impair_new(r->sim, r->w, cfg);
	assert_non_null(r->ip);
}

void wire_rig_down(struct wire_rig *r)
{
	nb_impair_free(r->ip);
	nb_wire_free(r->w);
	nb_sim_free(r->sim);
}

/* Send n numbered frames from the device's end, one every gap ns, and let them all land. */
void send_numbered(struct wire_rig *r, unsigned n, uint64_t gap, size_t len)
{
	uint8_t f[1600] = { 0x02, 0, 0, 0, 0, 2 };

	for (uint32_t i = 0; i < n; i++) {
		nb_sim_advance_to(r->sim, (uint64_t)i * gap);
		memcpy(f + 14, &i, 4);
		assert_int_equal(nb_wire_send(r->w, 0, f, len, 0), 0);
	}
	nb_sim_advance_to(r->sim, nb_sim_now(r->sim) + NB_NS_PER_S);
}

