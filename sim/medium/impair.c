/* SPDX-License-Identifier: MIT */
#include "sim/medium/impair.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ETH_HDR 14u
#define ETH_FCS 4u

struct impair_dir {
	struct nb_impair_dir_cfg cfg;
	struct nb_impair_stats stats;
	/* one stream per concern: enabling one impairment leaves the others' picks alone */
	struct nb_rng rng_loss, rng_delay, rng_reorder, rng_corrupt, rng_dup;
	/* Gilbert–Elliott: probabilities of leaving the good and the bad state per frame */
	double p_gb, p_bg;
	bool bad;
	/* token bucket: tokens (bits) at time t0; frames leave FIFO, the last at last_depart */
	double tokens;
	uint64_t t0, last_depart;
	uint64_t ring[NB_IMPAIR_MAX_QUEUE]; /* departure times of frames still waiting */
	unsigned qhead, qcount;
	uint64_t last_arrive; /* latest arrival given so far: later frames never arrive before */
	uint32_t since_reorder;
	bool shaping;
};

struct nb_impair {
	struct nb_sim *sim;
	struct nb_wire *wire;
	struct nb_wire_stage stage;
	struct impair_dir dir[2];
};

static bool prob_ok(double p)
{
	return p >= 0.0 && p <= 1.0; /* false for NaN too */
}

const char *nb_impair_cfg_problem(const struct nb_impair_dir_cfg *c)
{
	if (!prob_ok(c->loss))
		return "expected loss to be a probability 0..1";
	if (!(c->loss_burst == 0.0 || c->loss_burst >= 1.0))
		return "expected a mean loss burst of at least 1 frame";
	/* With mean burst b the chain leaves the bad state with 1/b per frame; holding a
	 * stationary loss of p needs p_gb = p / (b (1 - p)) <= 1, i.e. p <= b / (b + 1). */
	if (c->loss_burst > 1.0 && c->loss > 0.0 &&
	    (c->loss >= 1.0 || c->loss / (c->loss_burst * (1.0 - c->loss)) > 1.0))
		return "expected a loss rate of at most b/(b+1) for bursts of mean length b (a "
		       "burst is always followed by a delivered frame)";
	if (c->jitter_ns > c->delay_ns)
		return "expected jitter at most delay (delays are uniform in delay +- jitter)";
	if (!prob_ok(c->reorder))
		return "expected reorder to be a probability 0..1";
	if (c->reorder > 0.0 && c->delay_ns == 0)
		return "expected a delay with reorder (a reordered frame is one that skips the delay)";
	if (!prob_ok(c->corrupt))
		return "expected corrupt to be a probability 0..1";
	if (c->corrupt_bits > NB_IMPAIR_MAX_BITS)
		return "expected corrupt bits 1..16";
	if (!prob_ok(c->duplicate))
		return "expected duplicate to be a probability 0..1";
	if (c->rate_queue > NB_IMPAIR_MAX_QUEUE)
		return "expected a rate limit queue of 1..4096 frames";
	if (c->mtu && (c->mtu < 68 || c->mtu > 65535))
		return "expected an mtu of 68..65535";
	return NULL;
}

static void dir_configure(struct impair_dir *d, const struct nb_impair_dir_cfg *cfg, uint64_t now)
{
	bool was_shaping = d->shaping;

	d->cfg = *cfg;
	d->p_gb = d->p_bg = 0.0;
	if (cfg->loss_burst > 1.0 && cfg->loss > 0.0) {
		d->p_bg = 1.0 / cfg->loss_burst;
		d->p_gb = cfg->loss * d->p_bg / (1.0 - cfg->loss);
	} else {
		d->bad = false;
	}
	d->shaping = cfg->rate_bps != 0;
	if (d->shaping && !was_shaping) {
		d->tokens = (double)cfg->rate_burst * 8.0;
		d->t0 = now;
	}
	if (!d->shaping)
		d->qcount = 0;
	if (cfg->reorder_gap == 0)
		d->cfg.reorder_gap = 1;
	if (cfg->corrupt_bits == 0)
		d->cfg.corrupt_bits = 1;
	if (cfg->rate_queue == 0)
		d->cfg.rate_queue = NB_IMPAIR_DEFAULT_QUEUE;
}

/* ---- the concerns, in the order a frame meets them --------------------------------------- */

static bool lose(struct impair_dir *d)
{
	if (d->cfg.loss <= 0.0)
		return false;
	if (d->p_bg > 0.0) {
		double u = nb_rng_unit(&d->rng_loss);

		if (d->bad && u < d->p_bg) {
			d->bad = false;
		} else if (!d->bad && u < d->p_gb) {
			d->bad = true;
			d->stats.bursts++;
		}
		if (d->bad)
			d->stats.burst_lost++;
		return d->bad;
	}
	if (nb_rng_unit(&d->rng_loss) < d->cfg.loss) {
		d->stats.lost++;
		return true;
	}
	return false;
}

static void queue_expire(struct impair_dir *d, uint64_t now)
{
	while (d->qcount && d->ring[d->qhead] <= now) {
		d->qhead = (d->qhead + 1) % NB_IMPAIR_MAX_QUEUE;
		d->qcount--;
	}
}

/* Token bucket: the frame leaves when the bucket holds its bits, not before the frame
 * ahead of it. The bucket may go short of a whole frame (depth below a frame): the frame
 * then waits until the missing bits have trickled in, so the long-run rate is rate_bps
 * whatever the depth. @return the departure time. */
static uint64_t shape(struct impair_dir *d, uint64_t now, double bits)
{
	double rate = (double)d->cfg.rate_bps, cap = (double)d->cfg.rate_burst * 8.0;
	uint64_t t = now > d->last_depart ? now : d->last_depart, depart = t;
	double tokens = d->tokens + (double)(t - d->t0) * rate / 1e9;

	if (tokens > cap)
		tokens = cap;
	if (tokens < bits) {
		uint64_t wait = (uint64_t)((bits - tokens) * 1e9 / rate);

		if ((double)wait * rate / 1e9 < bits - tokens)
			wait++; /* round up: never leave before the bits are there */

		depart = t + wait;
		tokens += (double)wait * rate / 1e9;
	}
	d->tokens = tokens - bits;
	d->t0 = depart;
	d->last_depart = depart;
	if (depart > now) {
		d->ring[(d->qhead + d->qcount) % NB_IMPAIR_MAX_QUEUE] = depart;
		d->qcount++;
	}
	return depart;
}

static void corrupt(struct impair_dir *d, uint8_t *frame, size_t len)
{
	uint64_t nbits = (uint64_t)len * 8u, pos[NB_IMPAIR_MAX_BITS];
	unsigned n = 1u + (unsigned)nb_rng_below(&d->rng_corrupt, d->cfg.corrupt_bits);

	if (n > nbits)
		n = (unsigned)nbits;
	/* Distinct bits: flipping one twice would undo the error. */
	for (unsigned k = 0; k < n; k++) {
		bool again;

		do {
			pos[k] = nb_rng_below(&d->rng_corrupt, nbits);
			again = false;
			for (unsigned i = 0; i < k; i++)
				again |= pos[i] == pos[k];
		} while (again);
		frame[pos[k] / 8] ^= (uint8_t)(1u << (pos[k] % 8));
	}
	d->stats.corrupted++;
}

static uint64_t draw_delay(struct impair_dir *d)
{
	uint64_t j = d->cfg.jitter_ns;

	if (!j)
		return d->cfg.delay_ns;
	/* integer offsets 0..2j, so the mean is exactly delay */
	return d->cfg.delay_ns - j + nb_rng_below(&d->rng_delay, 2 * j + 1);
}

static bool skip_delay(struct impair_dir *d)
{
	/* netem's gap: the first gap - 1 frames after a reordered one are delayed as usual */
	if (d->cfg.reorder <= 0.0)
		return false;
	if (d->since_reorder + 1 >= d->cfg.reorder_gap &&
	    nb_rng_unit(&d->rng_reorder) < d->cfg.reorder) {
		d->since_reorder = 0;
		d->stats.reordered++;
		return true;
	}
	d->since_reorder++;
	return false;
}

static int impair_apply(void *ctx, int from_end, uint8_t *frame, size_t *len, uint32_t *flags,
			uint64_t *extra_delay_ns, bool *dup)
{
	struct nb_impair *ip = ctx;
	struct impair_dir *d = &ip->dir[from_end & 1];
	uint64_t now = nb_sim_now(ip->sim), base, arrive, depart = now, last;
	size_t n = *len;
	bool twice = false, early;

	(void)flags;
	d->stats.frames++;
	if (d->cfg.mtu && n > (size_t)d->cfg.mtu + ETH_HDR + ETH_FCS) {
		d->stats.mtu_dropped++;
		return 1;
	}
	if (lose(d))
		return 1;
	if (d->shaping) {
		queue_expire(d, now);
		if (d->qcount >= d->cfg.rate_queue) {
			d->stats.rate_dropped++;
			return 1;
		}
	}
	if (d->cfg.duplicate > 0.0 && nb_rng_unit(&d->rng_dup) < d->cfg.duplicate) {
		twice = true;
		d->stats.duplicated++;
	}
	if (d->cfg.corrupt > 0.0 && n > 0 && nb_rng_unit(&d->rng_corrupt) < d->cfg.corrupt) {
		corrupt(d, frame, n);
		if (twice)
			d->stats.corrupted++; /* the copy carries the same error */
	}
	if (d->shaping)
		depart = shape(d, now, (double)n * 8.0 * (twice ? 2.0 : 1.0));

	early = skip_delay(d);
	base = ip->wire ? nb_wire_arrival_base(ip->wire, from_end, n) : now;
	arrive = base + (depart - now) + (early ? 0 : draw_delay(d));
	if (!early && arrive < d->last_arrive)
		arrive = d->last_arrive;
	last = arrive + (twice && ip->wire ? nb_wire_frame_ns(ip->wire, n) : 0);
	if (last > d->last_arrive)
		d->last_arrive = last;
	*extra_delay_ns = arrive - base;
	if (*extra_delay_ns)
		d->stats.delayed++;
	*dup = twice;
	return 0;
}

/* ---- lifecycle ------------------------------------------------------------------------ */

static const char *const dir_names[2] = { "impair.to_far", "impair.to_device" };

static void seed_dir(const struct nb_sim *sim, struct impair_dir *d, const char *dname)
{
	static const char *const concern[] = { "loss", "delay", "reorder", "corrupt", "dup" };
	struct nb_rng *rngs[] = { &d->rng_loss, &d->rng_delay, &d->rng_reorder, &d->rng_corrupt,
				  &d->rng_dup };
	char name[64];

	for (size_t i = 0; i < sizeof(rngs) / sizeof(rngs[0]); i++) {
		snprintf(name, sizeof(name), "%s.%s", dname, concern[i]);
		nb_sim_rng(sim, name, rngs[i]);
	}
}

struct nb_impair *nb_impair_new(struct nb_sim *sim, struct nb_wire *wire,
				const struct nb_impair_dir_cfg cfg[2])
{
	static const struct nb_impair_dir_cfg none;
	struct nb_impair *ip;

	for (int i = 0; cfg && i < 2; i++) {
		if (nb_impair_cfg_problem(&cfg[i])) {
			errno = EINVAL;
			return NULL;
		}
	}
	ip = calloc(1, sizeof(*ip));
	if (!ip) {
		errno = ENOMEM;
		return NULL;
	}
	ip->sim = sim;
	ip->wire = wire;
	ip->stage.apply = impair_apply;
	ip->stage.ctx = ip;
	for (int i = 0; i < 2; i++) {
		seed_dir(sim, &ip->dir[i], dir_names[i]);
		dir_configure(&ip->dir[i], cfg ? &cfg[i] : &none, nb_sim_now(sim));
	}
	if (wire)
		nb_wire_set_stage(wire, &ip->stage);
	return ip;
}

void nb_impair_free(struct nb_impair *ip)
{
	if (!ip)
		return;
	if (ip->wire)
		nb_wire_set_stage(ip->wire, NULL);
	free(ip);
}

int nb_impair_set(struct nb_impair *ip, int dir, const struct nb_impair_dir_cfg *cfg)
{
	if (dir < 0 || dir > 1 || !cfg || nb_impair_cfg_problem(cfg))
		return -EINVAL;
	dir_configure(&ip->dir[dir], cfg, nb_sim_now(ip->sim));
	return 0;
}

const struct nb_impair_dir_cfg *nb_impair_get(const struct nb_impair *ip, int dir)
{
	return &ip->dir[dir & 1].cfg;
}

const struct nb_wire_stage *nb_impair_stage(const struct nb_impair *ip)
{
	return &ip->stage;
}

const struct nb_impair_stats *nb_impair_stats(const struct nb_impair *ip, int dir)
{
	return &ip->dir[dir & 1].stats;
}

uint64_t nb_impair_dropped(const struct nb_impair *ip, int dir)
{
	const struct nb_impair_stats *s = &ip->dir[dir & 1].stats;

	return s->lost + s->burst_lost + s->mtu_dropped + s->rate_dropped;
}
