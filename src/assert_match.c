/* SPDX-License-Identifier: MIT */
/* Matching frames between two points by content, for latencies. A frame is identified by an
 * FNV-1a hash of its bytes as the wire carries them (padded with zeros to 60 bytes), so a
 * short frame padded on the way still matches. Identical frames (repeated pings with the
 * same payload) pair up first in, first out: each hash bucket keeps arrival order. */
#include <stdlib.h>
#include <string.h>

#include "src/assert.h"

#define MIN_WIRE 60u
#define BUCKETS 4096u
/* Frames that never arrive (lost, filtered) would pile up; beyond this many waiting frames
 * the oldest are forgotten. */
#define MAX_WAITING 65536u

struct waiting {
	uint64_t hash, t_ns;
	uint32_t next; /* in its bucket or the free list; 0 = none (index + 1) */
};

struct nb_match {
	struct waiting *w;
	uint32_t cap, used, free_head;
	uint32_t head[BUCKETS], tail[BUCKETS];
};

static uint64_t hash_frame(const uint8_t *frame, size_t len)
{
	size_t wire = len < MIN_WIRE ? MIN_WIRE : len;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < wire; i++)
		h = (h ^ (i < len ? frame[i] : 0)) * 0x100000001b3ull;
	return h ^ wire;
}

struct nb_match *nb_match_new(void)
{
	return calloc(1, sizeof(struct nb_match));
}

void nb_match_free(struct nb_match *m)
{
	if (!m)
		return;
	free(m->w);
	free(m);
}

static uint32_t alloc_slot(struct nb_match *m)
{
	uint32_t i;

	if (m->free_head) {
		i = m->free_head;
		m->free_head = m->w[i - 1].next;
		return i;
	}
	if (m->used == m->cap) {
		uint32_t cap = m->cap ? m->cap * 2 : 256;
		struct waiting *w;

		if (cap > MAX_WAITING)
			return 0;
		w = realloc(m->w, cap * sizeof(*w));
		if (!w)
			return 0;
		m->w = w;
		m->cap = cap;
	}
	return ++m->used;
}

void nb_match_from(struct nb_match *m, uint64_t t_ns, const uint8_t *frame, size_t len)
{
	uint64_t h = hash_frame(frame, len);
	uint32_t b = (uint32_t)(h % BUCKETS), i = alloc_slot(m);

	if (!i)
		return; /* too many frames waiting: this one is not timed */
	m->w[i - 1] = (struct waiting){ .hash = h, .t_ns = t_ns, .next = 0 };
	if (m->tail[b])
		m->w[m->tail[b] - 1].next = i;
	else
		m->head[b] = i;
	m->tail[b] = i;
}

bool nb_match_to(struct nb_match *m, uint64_t t_ns, const uint8_t *frame, size_t len,
		 uint64_t *lat_ns)
{
	uint64_t h = hash_frame(frame, len);
	uint32_t b = (uint32_t)(h % BUCKETS), prev = 0;

	for (uint32_t i = m->head[b]; i; prev = i, i = m->w[i - 1].next) {
		struct waiting *w = &m->w[i - 1];

		if (w->hash != h)
			continue;
		*lat_ns = t_ns >= w->t_ns ? t_ns - w->t_ns : 0;
		if (prev)
			m->w[prev - 1].next = w->next;
		else
			m->head[b] = w->next;
		if (m->tail[b] == i)
			m->tail[b] = prev;
		w->next = m->free_head;
		m->free_head = i;
		return true;
	}
	return false;
}
