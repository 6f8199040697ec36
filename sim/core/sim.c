/* SPDX-License-Identifier: MIT */
#include "sim/core/sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct nb_sim {
	struct nb_sim_cfg cfg;
	uint64_t now;     /* virtual time */
	uint64_t t0_real; /* real-time mode: monotonic ns at start */
	uint64_t charged;
	uint64_t next_seq;
	struct nb_sim_timer **heap;
	size_t heap_len;
	size_t heap_cap;
	bool dispatching;
	struct nb_clock clock;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NB_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static uint64_t clock_now(void *ctx)
{
	return nb_sim_now(ctx);
}

static const struct nb_clock_ops sim_clock_ops = { .now_ns = clock_now };

struct nb_sim *nb_sim_new(const struct nb_sim_cfg *cfg)
{
	struct nb_sim *sim = calloc(1, sizeof(*sim));

	if (!sim)
		return NULL;
	if (cfg)
		sim->cfg = *cfg;
	sim->t0_real = mono_ns();
	sim->clock.ops = &sim_clock_ops;
	sim->clock.ctx = sim;
	return sim;
}

void nb_sim_free(struct nb_sim *sim)
{
	if (!sim)
		return;
	for (size_t i = 0; i < sim->heap_len; i++)
		sim->heap[i]->heap_idx = SIZE_MAX;
	free(sim->heap);
	free(sim);
}

enum nb_sim_time_mode nb_sim_mode(const struct nb_sim *sim)
{
	return sim->cfg.mode;
}

uint64_t nb_sim_seed(const struct nb_sim *sim)
{
	return sim->cfg.seed;
}

uint64_t nb_sim_now(const struct nb_sim *sim)
{
	if (sim->cfg.mode == NB_SIM_REALTIME)
		return mono_ns() - sim->t0_real;
	return sim->now;
}

const struct nb_clock *nb_sim_clock(struct nb_sim *sim)
{
	return &sim->clock;
}

/* ---- timer queue: binary min-heap ordered by (when, seq) ------------------------------ */

static bool before(const struct nb_sim_timer *a, const struct nb_sim_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_set(struct nb_sim *sim, size_t i, struct nb_sim_timer *t)
{
	sim->heap[i] = t;
	t->heap_idx = i;
}

static void sift_up(struct nb_sim *sim, size_t i)
{
	struct nb_sim_timer *t = sim->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!before(t, sim->heap[parent]))
			break;
		heap_set(sim, i, sim->heap[parent]);
		i = parent;
	}
	heap_set(sim, i, t);
}

static void sift_down(struct nb_sim *sim, size_t i)
{
	struct nb_sim_timer *t = sim->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct nb_sim_timer *best = t;

		if (l < sim->heap_len && before(sim->heap[l], best)) {
			m = l;
			best = sim->heap[l];
		}
		if (r < sim->heap_len && before(sim->heap[r], best))
			m = r;
		if (m == i)
			break;
		heap_set(sim, i, sim->heap[m]);
		i = m;
	}
	heap_set(sim, i, t);
}

static void heap_remove(struct nb_sim *sim, size_t i)
{
	struct nb_sim_timer *gone = sim->heap[i];
	struct nb_sim_timer *last = sim->heap[--sim->heap_len];

	gone->heap_idx = SIZE_MAX;
	if (i == sim->heap_len)
		return;
	heap_set(sim, i, last);
	if (i > 0 && before(last, sim->heap[(i - 1) / 2]))
		sift_up(sim, i);
	else
		sift_down(sim, i);
}

void nb_sim_timer_init(struct nb_sim_timer *t, nb_sim_timer_fn fn, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->ctx = ctx;
	t->heap_idx = SIZE_MAX;
}

int nb_sim_timer_arm(struct nb_sim *sim, struct nb_sim_timer *t, uint64_t when)
{
	if (nb_sim_timer_armed(t))
		heap_remove(sim, t->heap_idx);
	if (sim->heap_len == sim->heap_cap) {
		size_t cap = sim->heap_cap ? sim->heap_cap * 2 : 64;
		struct nb_sim_timer **h = realloc(sim->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		sim->heap = h;
		sim->heap_cap = cap;
	}
	t->when = when;
	t->seq = sim->next_seq++;
	sim->heap[sim->heap_len] = t;
	t->heap_idx = sim->heap_len++;
	sift_up(sim, t->heap_idx);
	return 0;
}

int nb_sim_timer_arm_in(struct nb_sim *sim, struct nb_sim_timer *t, uint64_t delay)
{
	return nb_sim_timer_arm(sim, t, nb_sim_now(sim) + delay);
}

void nb_sim_timer_cancel(struct nb_sim *sim, struct nb_sim_timer *t)
{
	if (nb_sim_timer_armed(t))
		heap_remove(sim, t->heap_idx);
}

uint64_t nb_sim_next_event(const struct nb_sim *sim)
{
	return sim->heap_len ? sim->heap[0]->when : NB_DEADLINE_NONE;
}

unsigned nb_sim_run_until(struct nb_sim *sim, uint64_t limit)
{
	unsigned ran = 0;

	if (sim->dispatching)
		return 0;
	sim->dispatching = true;
	while (sim->heap_len) {
		struct nb_sim_timer *t = sim->heap[0];
		uint64_t now = nb_sim_now(sim);

		if (t->when > now || t->when > limit)
			break;
		heap_remove(sim, 0);
		t->fn(t->ctx);
		ran++;
	}
	sim->dispatching = false;
	return ran;
}

unsigned nb_sim_run_due(struct nb_sim *sim)
{
	return nb_sim_run_until(sim, UINT64_MAX);
}

void nb_sim_advance_to(struct nb_sim *sim, uint64_t t)
{
	if (sim->cfg.mode == NB_SIM_VIRTUAL && t > sim->now) {
		/* Step through timers one time point at a time, so a timer sees now == its own
		 * deadline, as it would on a real clock. */
		while (sim->heap_len && sim->heap[0]->when <= t && !sim->dispatching) {
			if (sim->heap[0]->when > sim->now)
				sim->now = sim->heap[0]->when;
			nb_sim_run_due(sim);
		}
		sim->now = t;
	}
	nb_sim_run_due(sim);
}

void nb_sim_charge(struct nb_sim *sim, uint64_t ns)
{
	sim->charged += ns;
	if (sim->cfg.mode == NB_SIM_VIRTUAL)
		nb_sim_advance_to(sim, sim->now + ns);
}

uint64_t nb_sim_charged(const struct nb_sim *sim)
{
	return sim->charged;
}

/* ---- random streams: splitmix64 seeds xoshiro256** ------------------------------------ */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void nb_rng_seed(struct nb_rng *rng, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&seed);
}

void nb_sim_rng(const struct nb_sim *sim, const char *name, struct nb_rng *rng)
{
	/* FNV-1a of the name, mixed with the run's seed. */
	uint64_t h = 0xCBF29CE484222325ull;

	for (const char *p = name ? name : ""; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001B3ull;
	nb_rng_seed(rng, h ^ (sim->cfg.seed * 0x9E3779B97F4A7C15ull));
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t nb_rng_next(struct nb_rng *rng)
{
	uint64_t *s = rng->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double nb_rng_unit(struct nb_rng *rng)
{
	return (double)(nb_rng_next(rng) >> 11) * 0x1.0p-53;
}

uint64_t nb_rng_below(struct nb_rng *rng, uint64_t n)
{
	uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
	uint64_t x;

	do {
		x = nb_rng_next(rng);
	} while (x >= limit);
	return x % n;
}
