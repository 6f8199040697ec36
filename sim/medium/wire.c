/* SPDX-License-Identifier: MIT */
#include "sim/medium/wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_MAX_FRAME 2048u
/* preamble + SFD before the frame, inter-frame gap after it (bytes) */
#define WIRE_OVERHEAD 20u

struct wire_slot {
	uint64_t arrive;
	uint64_t seq;
	size_t len;
	uint32_t flags;
	uint8_t data[WIRE_MAX_FRAME];
};

struct wire_dir {
	struct wire_slot *slots;
	unsigned *order; /* indices of used slots, sorted by (arrive, seq) */
	unsigned used;
	unsigned *free_list;
	unsigned nfree;
	uint64_t busy_until; /* transmitter busy serialising until this time */
	struct nb_sim_timer timer;
	struct nb_wire_dir_stats stats;
	struct nb_wire *wire;
	int from;
};

struct wire_end {
	const struct nb_wire_end_ops *ops;
	void *ctx;
	bool up;
	bool carrier; /* last value reported */
};

struct nb_wire {
	struct nb_sim *sim;
	struct nb_wire_cfg cfg;
	struct wire_end end[2];
	struct wire_dir dir[2]; /* dir[i] carries frames from end i to end 1-i */
	bool plugged;
	uint16_t speed;
	uint64_t seq;
	struct nb_wire_stage stage;
	bool has_stage;
	uint8_t scratch[WIRE_MAX_FRAME];
};

static void dir_deliver(void *ctx);

static int dir_init(struct nb_wire *w, int from)
{
	struct wire_dir *d = &w->dir[from];
	/* One slot more than the queue: a stage's duplicate always has room behind its
	 * original, and senders still see queue_frames of space. */
	unsigned n = w->cfg.queue_frames + 1u;

	d->slots = calloc(n, sizeof(*d->slots));
	d->order = calloc(n, sizeof(*d->order));
	d->free_list = calloc(n, sizeof(*d->free_list));
	if (!d->slots || !d->order || !d->free_list)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++)
		d->free_list[i] = n - 1 - i;
	d->nfree = n;
	d->wire = w;
	d->from = from;
	nb_sim_timer_init(&d->timer, dir_deliver, d);
	return 0;
}

struct nb_wire *nb_wire_new(struct nb_sim *sim, const struct nb_wire_cfg *cfg)
{
	struct nb_wire *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->sim = sim;
	if (cfg)
		w->cfg = *cfg;
	if (!w->cfg.prop_delay_ns)
		w->cfg.prop_delay_ns = 500;
	if (!w->cfg.queue_frames)
		w->cfg.queue_frames = 32;
	w->speed = w->cfg.speed_mbps ? w->cfg.speed_mbps : 100;
	w->plugged = true;
	if (dir_init(w, 0) < 0 || dir_init(w, 1) < 0) {
		nb_wire_free(w);
		return NULL;
	}
	return w;
}

void nb_wire_free(struct nb_wire *w)
{
	if (!w)
		return;
	for (int i = 0; i < 2; i++) {
		nb_sim_timer_cancel(w->sim, &w->dir[i].timer);
		free(w->dir[i].slots);
		free(w->dir[i].order);
		free(w->dir[i].free_list);
	}
	free(w);
}

bool nb_wire_carrier(const struct nb_wire *w, int end)
{
	return w->plugged && w->end[1 - end].up && w->end[1 - end].ops != NULL;
}

static void report_carrier(struct nb_wire *w)
{
	for (int i = 0; i < 2; i++) {
		bool c = nb_wire_carrier(w, i);

		if (c == w->end[i].carrier)
			continue;
		w->end[i].carrier = c;
		if (w->end[i].ops && w->end[i].ops->carrier)
			w->end[i].ops->carrier(w->end[i].ctx, c);
	}
}

static void dir_flush(struct wire_dir *d)
{
	bool was_full = d->nfree <= 1;

	while (d->used) {
		d->free_list[d->nfree++] = d->order[--d->used];
		d->stats.lost_unplugged++;
	}
	nb_sim_timer_cancel(d->wire->sim, &d->timer);
	if (was_full && d->wire->end[d->from].ops && d->wire->end[d->from].ops->tx_space)
		d->wire->end[d->from].ops->tx_space(d->wire->end[d->from].ctx);
}

void nb_wire_attach(struct nb_wire *w, int end, const struct nb_wire_end_ops *ops, void *ctx)
{
	w->end[end & 1].ops = ops;
	w->end[end & 1].ctx = ctx;
	w->end[end & 1].carrier = false; /* a new end hears the current carrier state */
	report_carrier(w);
}

void nb_wire_set_end_up(struct nb_wire *w, int end, bool up)
{
	w->end[end & 1].up = up;
	if (!up)
		dir_flush(&w->dir[end & 1]);
	report_carrier(w);
}

void nb_wire_set_plugged(struct nb_wire *w, bool plugged)
{
	w->plugged = plugged;
	if (!plugged) {
		dir_flush(&w->dir[0]);
		dir_flush(&w->dir[1]);
	}
	report_carrier(w);
}

bool nb_wire_plugged(const struct nb_wire *w)
{
	return w->plugged;
}

void nb_wire_set_speed(struct nb_wire *w, uint16_t mbps)
{
	if (mbps)
		w->speed = mbps;
}

uint16_t nb_wire_speed(const struct nb_wire *w)
{
	return w->speed;
}

uint64_t nb_wire_frame_ns(const struct nb_wire *w, size_t len)
{
	if (w->cfg.unpaced)
		return 0;
	/* 8 bits per byte at speed Mb/s: 8000/speed ns per byte (80 ns at 100M, 800 at 10M) */
	return (uint64_t)(len + WIRE_OVERHEAD) * 8000u / w->speed;
}

uint64_t nb_wire_arrival_base(const struct nb_wire *w, int end, size_t len)
{
	const struct wire_dir *d = &w->dir[end & 1];
	uint64_t now = nb_sim_now(w->sim);
	uint64_t start = d->busy_until > now ? d->busy_until : now;

	return start + nb_wire_frame_ns(w, len) + w->cfg.prop_delay_ns;
}

int nb_wire_tx_space(const struct nb_wire *w, int end)
{
	return w->dir[end & 1].nfree ? (int)w->dir[end & 1].nfree - 1 : 0;
}

void nb_wire_set_stage(struct nb_wire *w, const struct nb_wire_stage *stage)
{
	w->has_stage = stage != NULL;
	if (stage)
		w->stage = *stage;
}

const struct nb_wire_dir_stats *nb_wire_stats(const struct nb_wire *w, int end)
{
	return &w->dir[end & 1].stats;
}

static bool slot_before(const struct wire_slot *a, const struct wire_slot *b)
{
	return a->arrive < b->arrive || (a->arrive == b->arrive && a->seq < b->seq);
}

static void dir_enqueue(struct wire_dir *d, const uint8_t *frame, size_t len, uint32_t flags,
			uint64_t arrive)
{
	struct nb_wire *w = d->wire;
	unsigned idx = d->free_list[--d->nfree];
	struct wire_slot *s = &d->slots[idx];
	unsigned pos = d->used;

	s->arrive = arrive;
	s->seq = w->seq++;
	s->len = len;
	s->flags = flags;
	memcpy(s->data, frame, len);
	/* order[] is sorted with the earliest arrival at the end, so delivery pops. */
	while (pos > 0 && slot_before(&d->slots[d->order[pos - 1]], s)) {
		d->order[pos] = d->order[pos - 1];
		pos--;
	}
	d->order[pos] = idx;
	d->used++;
	(void)nb_sim_timer_arm(w->sim, &d->timer, d->slots[d->order[d->used - 1]].arrive);
}

int nb_wire_send(struct nb_wire *w, int end, const uint8_t *frame, size_t len, uint32_t flags)
{
	struct wire_dir *d = &w->dir[end & 1];
	uint64_t now = nb_sim_now(w->sim), start, extra = 0;
	bool dup = false;
	uint8_t *buf = w->scratch;

	if (len > WIRE_MAX_FRAME)
		return -EMSGSIZE;
	if (!nb_wire_carrier(w, end) || !w->end[end & 1].up) {
		d->stats.lost_unplugged++;
		return -ENOLINK;
	}
	if (d->nfree <= 1) {
		d->stats.busy++;
		return -EAGAIN;
	}
	memcpy(buf, frame, len);
	if (w->has_stage && w->stage.apply(w->stage.ctx, end & 1, buf, &len, &flags, &extra, &dup)) {
		d->stats.dropped_by_stage++;
		return 0;
	}
	start = d->busy_until > now ? d->busy_until : now;
	d->busy_until = start + nb_wire_frame_ns(w, len);
	dir_enqueue(d, buf, len, flags, d->busy_until + w->cfg.prop_delay_ns + extra);
	if (dup && d->nfree > 0) {
		d->busy_until += nb_wire_frame_ns(w, len);
		dir_enqueue(d, buf, len, flags, d->busy_until + w->cfg.prop_delay_ns + extra);
	}
	return 0;
}

static void dir_deliver(void *ctx)
{
	struct wire_dir *d = ctx;
	struct nb_wire *w = d->wire;
	struct wire_end *to = &w->end[1 - d->from];
	struct wire_end *from = &w->end[d->from];
	/* Deliver what is due at this event's time, not everything due by now: a real-time
	 * loop that fell behind then gets each arrival separately and can let the receiver
	 * work in between, instead of the receiver getting the backlog as one burst. In
	 * virtual time both are the same. */
	uint64_t now = d->timer.when;
	bool freed = false;

	while (d->used) {
		unsigned idx = d->order[d->used - 1];
		struct wire_slot *s = &d->slots[idx];

		if (s->arrive > now)
			break;
		d->used--;
		d->stats.frames++;
		d->stats.bytes += s->len;
		/* The slot goes back only after rx returns: the receiver reads it in place. */
		if (to->ops && to->ops->rx)
			to->ops->rx(to->ctx, s->data, s->len, s->flags);
		d->free_list[d->nfree++] = idx;
		freed = true;
	}
	if (d->used)
		(void)nb_sim_timer_arm(w->sim, &d->timer, d->slots[d->order[d->used - 1]].arrive);
	if (freed && from->ops && from->ops->tx_space)
		from->ops->tx_space(from->ctx);
}
