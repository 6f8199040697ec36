/* SPDX-License-Identifier: MIT */
/* Assertions during and after a run: frame counts and latencies from the observation points,
 * link samples from simulation timers, counters from the final report. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "src/assert.h"
#include "src/run.h"

struct item_state {
	const struct nb_assert_cfg *cfg;
	struct nb_assert_run *a;
	int point, from, to;
	uint64_t frames;
	struct nb_match *match;
	uint64_t *lat;
	size_t n_lat, cap_lat;
	uint64_t unmatched;
	bool lat_oom;
	struct nb_sim_timer timer;
	bool sampled, link_up;
};

struct nb_assert_run {
	struct nb_run *run;
	struct nb_observer obs;
	unsigned n;
	struct item_state items[];
};

static void on_frame(void *ctx, enum nb_point point, uint64_t t_ns, const uint8_t *frame,
		     size_t len)
{
	struct nb_assert_run *a = ctx;

	for (unsigned i = 0; i < a->n; i++) {
		struct item_state *s = &a->items[i];
		uint64_t lat;

		switch (s->cfg->kind) {
		case NB_ASSERT_FRAMES:
			if ((int)point == s->point &&
			    (!s->cfg->bpf || nb_bpf_match(s->cfg->bpf, frame, len)))
				s->frames++;
			break;
		case NB_ASSERT_LATENCY:
			if ((int)point == s->from) {
				nb_match_from(s->match, t_ns, frame, len);
			} else if ((int)point == s->to) {
				if (!nb_match_to(s->match, t_ns, frame, len, &lat)) {
					s->unmatched++;
					break;
				}
				if (s->n_lat == s->cap_lat) {
					size_t cap = s->cap_lat ? s->cap_lat * 2 : 1024;
					uint64_t *p = realloc(s->lat, cap * sizeof(*p));

					if (!p) {
						s->lat_oom = true;
						break;
					}
					s->lat = p;
					s->cap_lat = cap;
				}
				s->lat[s->n_lat++] = lat;
			}
			break;
		default:
			break;
		}
	}
}

static void link_sample(void *ctx)
{
	struct item_state *s = ctx;
	struct nb_link_state st;

	if (nb_netdev_get_link(s->a->run->nd, &st) < 0)
		st = s->a->run->nd->link;
	s->sampled = true;
	s->link_up = st.up;
}

struct nb_assert_run *nb_assert_start(struct nb_run *r, char *err, size_t len)
{
	const struct nb_assert_list *l = &r->scn->asserts;
	struct nb_assert_run *a;

	err[0] = '\0';
	if (!l->n)
		return NULL;
	a = calloc(1, sizeof(*a) + l->n * sizeof(a->items[0]));
	if (!a)
		goto err_oom;
	a->run = r;
	a->n = l->n;
	for (unsigned i = 0; i < l->n; i++) {
		struct item_state *s = &a->items[i];

		s->cfg = &l->items[i];
		s->a = a;
		switch (s->cfg->kind) {
		case NB_ASSERT_FRAMES:
			s->point = nb_point_parse(s->cfg->point);
			break;
		case NB_ASSERT_LATENCY:
			s->from = nb_point_parse(s->cfg->from);
			s->to = nb_point_parse(s->cfg->to);
			s->match = nb_match_new();
			if (!s->match)
				goto err_oom;
			break;
		case NB_ASSERT_LINK:
			/* Armed after the timeline's timers: at the same instant the sample sees
			 * the state after the timeline's events. */
			nb_sim_timer_init(&s->timer, link_sample, s);
			if (s->cfg->at <= r->end_at &&
			    nb_sim_timer_arm(r->sim, &s->timer, s->cfg->at) < 0)
				goto err_oom;
			break;
		default:
			break;
		}
	}
	a->obs = (struct nb_observer){ .frame = on_frame, .ctx = a };
	nb_observe_add(r, &a->obs);
	return a;
err_oom:
	snprintf(err, len, "%s", strerror(ENOMEM));
	nb_assert_free(a);
	return NULL;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static void describe_cmp(char *buf, size_t len, const struct nb_assert_cfg *c)
{
	size_t u = strlen(buf);

	if (c->has_eq)
		snprintf(buf + u, len - u, " eq %" PRIu64, c->eq);
	if (c->has_min)
		u = strlen(buf), snprintf(buf + u, len - u, " min %" PRIu64, c->min);
	if (c->has_max)
		u = strlen(buf), snprintf(buf + u, len - u, " max %" PRIu64, c->max);
}

static bool cmp_ok(const struct nb_assert_cfg *c, uint64_t v)
{
	return (!c->has_eq || v == c->eq) && (!c->has_min || v >= c->min) &&
	       (!c->has_max || v <= c->max);
}

static void fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns >= NB_NS_PER_S)
		snprintf(buf, len, "%.3f s", (double)ns / 1e9);
	else if (ns >= NB_NS_PER_MS)
		snprintf(buf, len, "%.3f ms", (double)ns / 1e6);
	else if (ns >= 1000)
		snprintf(buf, len, "%.3f us", (double)ns / 1e3);
	else
		snprintf(buf, len, "%" PRIu64 " ns", ns);
}

static void eval_counter(struct item_state *s, const char *report, struct nb_assert_result *o)
{
	uint64_t v;
	char *names;

	snprintf(o->what, sizeof(o->what), "counter %s", s->cfg->counter);
	describe_cmp(o->what, sizeof(o->what), s->cfg);
	if (nb_report_lookup(report, s->cfg->counter, &v) == 0) {
		o->ok = cmp_ok(s->cfg, v);
		snprintf(o->measured, sizeof(o->measured), "%" PRIu64, v);
		return;
	}
	o->ok = false;
	names = malloc(8192);
	if (names)
		nb_report_names(report, names, 8192);
	snprintf(o->measured, sizeof(o->measured),
		 "no counter '%s' in the report (known: %.180s%s)", s->cfg->counter,
		 names ? names : "?", names && strlen(names) > 180 ? ", ..." : "");
	/* the full list goes to the log: it is long */
	if (names)
		nb_logf(&s->a->run->logger, NB_LOG_ERR, "assert",
			"line %zu: unknown counter '%s'; the report has: %s", s->cfg->line,
			s->cfg->counter, names);
	free(names);
}

static void eval_latency(struct item_state *s, struct nb_assert_result *o)
{
	const struct nb_assert_cfg *c = s->cfg;
	char lim[32], got[32];
	uint64_t v;
	size_t idx;

	fmt_ns(lim, sizeof(lim), c->max);
	if (c->percentile)
		snprintf(o->what, sizeof(o->what), "latency %s -> %s p%u max %s", c->from, c->to,
			 c->percentile, lim);
	else
		snprintf(o->what, sizeof(o->what), "latency %s -> %s max %s", c->from, c->to, lim);
	if (!s->n_lat) {
		o->ok = false;
		snprintf(o->measured, sizeof(o->measured), "no frame seen at %s arrived at %s "
			 "(%" PRIu64 " unmatched at %s)", c->from, c->to, s->unmatched, c->to);
		return;
	}
	qsort(s->lat, s->n_lat, sizeof(*s->lat), cmp_u64);
	/* nearest-rank percentile */
	idx = c->percentile ? (s->n_lat * c->percentile + 99) / 100 : s->n_lat;
	if (idx < 1)
		idx = 1;
	v = s->lat[idx - 1];
	o->ok = v <= c->max && !s->lat_oom;
	fmt_ns(got, sizeof(got), v);
	snprintf(o->measured, sizeof(o->measured), "%s%s over %zu frames%s", got,
		 c->percentile ? "" : " (largest)", s->n_lat,
		 s->lat_oom ? "; out of memory: some latencies were not recorded" : "");
}

int nb_assert_finish(struct nb_assert_run *a, const char *report, struct nb_assert_result *out)
{
	int failed = 0;

	for (unsigned i = 0; i < (a ? a->n : 0); i++) {
		struct item_state *s = &a->items[i];
		const struct nb_assert_cfg *c = s->cfg;
		struct nb_assert_result *o = &out[i];
		char t[32];

		memset(o, 0, sizeof(*o));
		switch (c->kind) {
		case NB_ASSERT_COUNTER:
			eval_counter(s, report, o);
			break;
		case NB_ASSERT_FRAMES:
			snprintf(o->what, sizeof(o->what), "frames %s%s%s%s", c->point,
				 c->filter ? " \"" : "", c->filter ? c->filter : "",
				 c->filter ? "\"" : "");
			describe_cmp(o->what, sizeof(o->what), c);
			o->ok = cmp_ok(c, s->frames);
			snprintf(o->measured, sizeof(o->measured), "%" PRIu64 " frame%s", s->frames,
				 s->frames == 1 ? "" : "s");
			break;
		case NB_ASSERT_LATENCY:
			eval_latency(s, o);
			break;
		case NB_ASSERT_LINK:
			fmt_ns(t, sizeof(t), c->at);
			snprintf(o->what, sizeof(o->what), "link %s at %s",
				 c->link == NB_LINK_UP ? "up" : "down", t);
			if (!s->sampled) {
				o->ok = false;
				fmt_ns(t, sizeof(t), nb_sim_now(a->run->sim));
				snprintf(o->measured, sizeof(o->measured),
					 "the run ended at %s, before that moment", t);
			} else {
				o->ok = s->link_up == (c->link == NB_LINK_UP);
				snprintf(o->measured, sizeof(o->measured), "link %s",
					 s->link_up ? "up" : "down");
			}
			break;
		default:
			break;
		}
		failed += !o->ok;
	}
	return failed;
}

void nb_assert_free(struct nb_assert_run *a)
{
	if (!a)
		return;
	for (unsigned i = 0; i < a->n; i++) {
		nb_match_free(a->items[i].match);
		free(a->items[i].lat);
		/* items past a failed start have no cfg and no timer */
		if (a->items[i].cfg && a->items[i].cfg->kind == NB_ASSERT_LINK)
			nb_sim_timer_cancel(a->run->sim, &a->items[i].timer);
	}
	free(a);
}
