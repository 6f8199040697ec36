/* SPDX-License-Identifier: MIT */
/* Throughput and latency over simulated time as an SVG file. Written by hand: two panels of
 * polylines are a few dozen lines of SVG, and no plotting library is among the project's
 * dependencies (gnuplot or matplotlib would be a run-time dependency for one picture). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "src/assert.h"
#include "src/report_out.h"
#include "src/run.h"

#define MAX_BUCKETS 200u
#define W 860
#define PANEL_H 240
#define LEFT 80
#define RIGHT 20
#define TOP 40
#define GAP 70

enum { DIR_TO_FAR = 0, DIR_TO_HOST = 1 };

struct bucket {
	uint64_t bytes[NB_POINT__COUNT];
	uint64_t lat_max[2];
	uint32_t lat_n[2];
};

struct nb_plot {
	struct nb_run *run;
	struct nb_observer obs;
	struct nb_match *m[2];
	uint64_t width_ns;
	unsigned n;
	struct bucket b[MAX_BUCKETS];
};

static const char *const colours[NB_POINT__COUNT] = { "#1f77b4", "#2ca02c", "#ff7f0e", "#d62728" };
static const char *const dir_names[2] = { "host.tx -> far.rx", "far.tx -> host.rx" };

/* Buckets stay at most MAX_BUCKETS: a run longer than planned merges neighbours. */
static unsigned bucket_of(struct nb_plot *p, uint64_t t)
{
	while (t / p->width_ns >= MAX_BUCKETS) {
		for (unsigned i = 0; i < MAX_BUCKETS / 2; i++) {
			struct bucket *a = &p->b[2 * i], *c = &p->b[2 * i + 1], m = { 0 };

			for (int k = 0; k < NB_POINT__COUNT; k++)
				m.bytes[k] = a->bytes[k] + c->bytes[k];
			for (int d = 0; d < 2; d++) {
				m.lat_max[d] = a->lat_max[d] > c->lat_max[d] ? a->lat_max[d]
									     : c->lat_max[d];
				m.lat_n[d] = a->lat_n[d] + c->lat_n[d];
			}
			p->b[i] = m;
		}
		memset(&p->b[MAX_BUCKETS / 2], 0, sizeof(p->b) / 2);
		p->width_ns *= 2;
		p->n = (p->n + 1) / 2;
	}
	return (unsigned)(t / p->width_ns);
}

static void on_frame(void *ctx, enum nb_point point, uint64_t t, const uint8_t *frame, size_t len)
{
	struct nb_plot *p = ctx;
	unsigned i = bucket_of(p, t);
	uint64_t lat;
	int dir = -1;

	if (i + 1 > p->n)
		p->n = i + 1;
	p->b[i].bytes[point] += len;
	if (point == NB_POINT_HOST_TX)
		nb_match_from(p->m[DIR_TO_FAR], t, frame, len);
	else if (point == NB_POINT_FAR_TX)
		nb_match_from(p->m[DIR_TO_HOST], t, frame, len);
	else if (point == NB_POINT_FAR_RX)
		dir = DIR_TO_FAR;
	else
		dir = DIR_TO_HOST;
	if (dir >= 0 && nb_match_to(p->m[dir], t, frame, len, &lat)) {
		if (lat > p->b[i].lat_max[dir])
			p->b[i].lat_max[dir] = lat;
		p->b[i].lat_n[dir]++;
	}
}

struct nb_plot *nb_plot_start(struct nb_run *r)
{
	struct nb_plot *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->run = r;
	p->m[0] = nb_match_new();
	p->m[1] = nb_match_new();
	if (!p->m[0] || !p->m[1]) {
		nb_plot_free(p);
		return NULL;
	}
	p->width_ns = r->scn->has_duration ? r->scn->duration / MAX_BUCKETS : NB_NS_PER_MS;
	if (p->width_ns < 1000)
		p->width_ns = 1000;
	p->obs = (struct nb_observer){ .frame = on_frame, .ctx = p };
	nb_observe_add(r, &p->obs);
	return p;
}

void nb_plot_free(struct nb_plot *p)
{
	if (!p)
		return;
	nb_match_free(p->m[0]);
	nb_match_free(p->m[1]);
	free(p);
}

/* 1, 2 or 5 times a power of ten, at or above v. */
static double nice_ceil(double v)
{
	double m = 1;

	if (v <= 0)
		return 1;
	while (m * 10 <= v)
		m *= 10;
	while (m > v * 10)
		m /= 10;
	if (v <= m)
		return m;
	if (v <= 2 * m)
		return 2 * m;
	if (v <= 5 * m)
		return 5 * m;
	return 10 * m;
}

static void axes(FILE *f, int y0, const char *title, const char *unit, double ymax, double span_s)
{
	int plot_w = W - LEFT - RIGHT;

	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
		LEFT, y0 - 12, title);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
		"stroke=\"#888\"/>\n", LEFT, y0, plot_w, PANEL_H);
	for (int k = 0; k <= 4; k++) {
		int y = y0 + PANEL_H - k * PANEL_H / 4;
		int x = LEFT + k * plot_w / 4;

		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>\n",
			LEFT, y, LEFT + plot_w, y);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">"
			"%g</text>\n", LEFT - 6, y + 4, ymax * k / 4);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">"
			"%g</text>\n", x, y0 + PANEL_H + 16, span_s * k / 4);
	}
	fprintf(f, "<text x=\"14\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 14 %d)\" "
		"text-anchor=\"middle\">%s</text>\n", y0 + PANEL_H / 2, y0 + PANEL_H / 2, unit);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">simulated "
		"time (s)</text>\n", LEFT + plot_w / 2, y0 + PANEL_H + 32);
}

static void legend(FILE *f, int x, int y, const char *colour, const char *name)
{
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
		"stroke-width=\"2\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n",
		x, y, x + 18, y, colour, x + 22, y + 4, name);
}

int nb_plot_write(struct nb_plot *p, const char *path)
{
	uint64_t end = nb_sim_now(p->run->sim);
	unsigned n = p->n, end_b;
	int plot_w = W - LEFT - RIGHT, y1 = TOP, y2 = TOP + PANEL_H + GAP;
	double span_s, bucket_s = (double)p->width_ns / 1e9, tmax = 0, lmax = 0;
	FILE *f;
	int ret = 0;

	end_b = (unsigned)((end + p->width_ns - 1) / p->width_ns);
	if (end_b > n && end_b <= MAX_BUCKETS)
		n = end_b;
	if (!n)
		n = 1;
	span_s = n * bucket_s;
	for (unsigned i = 0; i < n; i++) {
		for (int k = 0; k < NB_POINT__COUNT; k++) {
			double mbps = (double)p->b[i].bytes[k] * 8 / bucket_s / 1e6;

			tmax = mbps > tmax ? mbps : tmax;
		}
		for (int d = 0; d < 2; d++)
			if ((double)p->b[i].lat_max[d] / 1e3 > lmax)
				lmax = (double)p->b[i].lat_max[d] / 1e3;
	}
	tmax = nice_ceil(tmax);
	lmax = nice_ceil(lmax);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"sans-serif\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		W, y2 + PANEL_H + 50);
	axes(f, y1, "Throughput per point (bucket average)", "Mb/s", tmax, span_s);
	for (int k = 0; k < NB_POINT__COUNT; k++) {
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"",
			colours[k]);
		for (unsigned i = 0; i < n; i++) {
			double mbps = (double)p->b[i].bytes[k] * 8 / bucket_s / 1e6;

			fprintf(f, "%.1f,%.1f ", LEFT + (i + 0.5) * plot_w / n,
				y1 + PANEL_H - mbps / tmax * PANEL_H);
		}
		fputs("\"/>\n", f);
		legend(f, LEFT + 10 + k * 100, y1 + 14, colours[k],
		       nb_point_name((enum nb_point)k));
	}
	axes(f, y2, "Latency, largest per bucket (frames matched by content)", "us", lmax, span_s);
	for (int d = 0; d < 2; d++) {
		bool open = false;

		fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" d=\"",
			colours[d == DIR_TO_FAR ? NB_POINT_FAR_RX : NB_POINT_HOST_RX]);
		for (unsigned i = 0; i < n; i++) {
			if (!p->b[i].lat_n[d]) {
				open = false;
				continue;
			}
			fprintf(f, "%c%.1f,%.1f ", open ? 'L' : 'M', LEFT + (i + 0.5) * plot_w / n,
				y2 + PANEL_H - (double)p->b[i].lat_max[d] / 1e3 / lmax * PANEL_H);
			open = true;
		}
		fputs("\"/>\n", f);
		legend(f, LEFT + 10 + d * 160, y2 + 14,
		       colours[d == DIR_TO_FAR ? NB_POINT_FAR_RX : NB_POINT_HOST_RX], dir_names[d]);
	}
	fputs("</svg>\n", f);
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) != 0 && !ret)
		ret = -errno;
	return ret;
}
