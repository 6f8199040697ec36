/* SPDX-License-Identifier: MIT */
/* The live status line: progress in simulated time, frames per second, drops. Sampled by a
 * simulation timer and redrawn at most a few times per wall-clock second, so a virtual-time
 * run that covers minutes in a second does not spend its time printing. */
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "src/report_out.h"
#include "src/run.h"

#define SAMPLE_NS (10 * NB_NS_PER_MS)
#define REDRAW_WALL_NS (200 * NB_NS_PER_MS)

struct nb_status {
	struct nb_run *run;
	struct nb_sim_timer timer;
	uint64_t last_wall, last_sim, last_frames;
	bool drawn;
};

static uint64_t wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NB_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static uint64_t frames_now(const struct nb_run *r)
{
	return r->host->stats.sent_frames + r->host->stats.recv_frames +
	       r->far->stats.sent_frames + r->far->stats.recv_frames;
}

static void draw(struct nb_status *s)
{
	struct nb_run *r = s->run;
	uint64_t sim = nb_sim_now(r->sim), frames = frames_now(r);
	double dt = (double)(sim - s->last_sim) / 1e9;
	double rate = dt > 0 ? (double)(frames - s->last_frames) / dt : 0;

	fputs("\r\033[K", stderr);
	if (r->scn->has_duration)
		fprintf(stderr, "netbench %.3f/%.3f s sim (%3.0f%%)", (double)sim / 1e9,
			(double)r->scn->duration / 1e9,
			100.0 * (double)sim / (double)r->scn->duration);
	else
		fprintf(stderr, "netbench %.3f s sim", (double)sim / 1e9);
	fprintf(stderr, "  events %u/%u  frames %" PRIu64 "  %.0f frames/s (sim)  drops %" PRIu64,
		r->events_fired, r->scn->n_events, frames, rate, nb_netdev_drops_total(r->nd));
	fflush(stderr);
	s->drawn = true;
	s->last_sim = sim;
	s->last_frames = frames;
}

static void tick(void *ctx)
{
	struct nb_status *s = ctx;
	uint64_t w = wall_now();

	if (w - s->last_wall >= REDRAW_WALL_NS) {
		s->last_wall = w;
		draw(s);
	}
	(void)nb_sim_timer_arm(s->run->sim, &s->timer, nb_sim_now(s->run->sim) + SAMPLE_NS);
}

struct nb_status *nb_status_start(struct nb_run *r)
{
	struct nb_status *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->run = r;
	s->last_wall = wall_now();
	nb_sim_timer_init(&s->timer, tick, s);
	if (nb_sim_timer_arm(r->sim, &s->timer, SAMPLE_NS) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

void nb_status_stop(struct nb_status *s)
{
	nb_sim_timer_cancel(s->run->sim, &s->timer);
	if (s->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		s->drawn = false;
	}
}

void nb_status_free(struct nb_status *s)
{
	if (!s)
		return;
	nb_sim_timer_cancel(s->run->sim, &s->timer);
	free(s);
}
