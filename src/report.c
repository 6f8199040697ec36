/* SPDX-License-Identifier: MIT */
/* Status (JSON), the end-of-run summary and the checks that decide the exit code. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/impair_run.h"
#include "src/run.h"

static void link_json(struct nb_json *j, const char *key, const struct nb_link_state *st)
{
	nb_json_begin(j, key);
	nb_json_bool(j, "up", st->up);
	nb_json_u64(j, "speed_mbps", st->speed_mbps);
	nb_json_bool(j, "full_duplex", st->full_duplex);
	nb_json_end(j);
}

static void device_json(struct nb_run *r, struct nb_json *j)
{
	const struct nb_netdev_stats *st = nb_netdev_stats(r->nd);
	struct nb_link_state link;

	if (nb_netdev_get_link(r->nd, &link) < 0)
		link = r->nd->link;
	nb_json_begin(j, "device");
	nb_json_str(j, "type", r->dev->type_name);
	nb_json_str(j, "name", r->nd->name);
	nb_json_mac(j, "mac", r->nd->mac);
	nb_json_bool(j, "up", nb_netdev_flags(r->nd) & NB_NETDEV_F_UP);
	nb_json_bool(j, "running", nb_netdev_flags(r->nd) & NB_NETDEV_F_RUNNING);
	link_json(j, "link", &link);
	nb_json_u64(j, "rx_frames", st->rx_frames);
	nb_json_u64(j, "rx_bytes", st->rx_bytes);
	nb_json_u64(j, "tx_frames", st->tx_frames);
	nb_json_u64(j, "tx_bytes", st->tx_bytes);
	nb_json_u64(j, "tx_busy", st->tx_busy);
	nb_json_u64(j, "irqs", st->irqs);
	nb_json_u64(j, "polls", st->polls);
	nb_json_u64(j, "link_changes", st->link_changes);
	nb_json_begin(j, "drops");
	for (int i = 0; i < NB_DROP__COUNT; i++)
		nb_json_u64(j, nb_drop_reason_name((enum nb_drop_reason)i), st->drops[i]);
	nb_json_end(j);
	nb_json_u64(j, "drops_total", nb_netdev_drops_total(r->nd));
	nb_json_u64(j, "poll_errors", (uint64_t)r->poll_errors);
	nb_json_u64(j, "violations", r->dev->ops->violations(r->dev));
	if (r->dev->ops->status) {
		nb_json_begin(j, "model");
		r->dev->ops->status(r->dev, j);
		nb_json_end(j);
	}
	nb_json_end(j);
}

static void stack_json(struct nb_run *r, struct nb_json *j)
{
	const struct nb_stack_stats *s = nb_stack_stats(r->stack);

	nb_json_begin(j, "stack");
	nb_json_u64(j, "rx_delivered", s->rx_delivered);
	nb_json_u64(j, "rx_held", s->rx_held);
	nb_json_u64(j, "rx_holding", r->stack->hold_count);
	nb_json_u64(j, "port_rx_errors", s->port_rx_errors);
	nb_json_u64(j, "tx_sent", s->tx_sent);
	nb_json_u64(j, "tx_deferred", s->tx_deferred);
	nb_json_u64(j, "tx_dropped", s->tx_dropped);
	nb_json_u64(j, "port_tx_errors", s->port_tx_errors);
	nb_json_end(j);
}

static void peer_json(struct nb_run *r, struct nb_json *j)
{
	const struct nb_peer_mac_stats *p = nb_peer_mac_stats(r->peer);

	nb_json_begin(j, "partner_mac");
	nb_json_u64(j, "tx_frames", p->tx_frames);
	nb_json_u64(j, "tx_bytes", p->tx_bytes);
	nb_json_u64(j, "tx_padded", p->tx_padded);
	nb_json_u64(j, "tx_deferred", p->tx_deferred);
	nb_json_u64(j, "tx_no_carrier", p->tx_no_carrier);
	nb_json_u64(j, "tx_oversize", p->tx_oversize);
	nb_json_u64(j, "tx_source_errors", p->tx_source_errors);
	nb_json_u64(j, "rx_frames", p->rx_frames);
	nb_json_u64(j, "rx_bytes", p->rx_bytes);
	nb_json_u64(j, "rx_fcs_errors", p->rx_fcs_errors);
	nb_json_u64(j, "rx_symbol_errors", p->rx_symbol_errors);
	nb_json_u64(j, "rx_runts", p->rx_runts);
	nb_json_u64(j, "rx_oversize", p->rx_oversize);
	nb_json_u64(j, "rx_held", p->rx_held);
	nb_json_u64(j, "rx_overflow", p->rx_overflow);
	nb_json_u64(j, "rx_refused", p->rx_refused);
	nb_json_end(j);
}

static void wire_dir_json(struct nb_json *j, const char *key, const struct nb_wire_dir_stats *d)
{
	nb_json_begin(j, key);
	nb_json_u64(j, "frames", d->frames);
	nb_json_u64(j, "bytes", d->bytes);
	nb_json_u64(j, "lost_unplugged", d->lost_unplugged);
	nb_json_u64(j, "dropped_by_stage", d->dropped_by_stage);
	nb_json_u64(j, "busy", d->busy);
	nb_json_end(j);
}

void nb_run_status_json(struct nb_run *r, FILE *f, bool final)
{
	const struct nb_loop_stats *ls = nb_loop_stats(r->loop);
	uint64_t wall = (final ? r->wall_end_ns : 0) - r->wall_start_ns;
	struct nb_json j;

	if (!final) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		wall = (uint64_t)ts.tv_sec * NB_NS_PER_S + (uint64_t)ts.tv_nsec - r->wall_start_ns;
	}
	nb_json_init(&j, f);
	nb_json_begin(&j, NULL);
	nb_json_str(&j, "scenario", r->scn->conf.path);
	nb_json_u64(&j, "seed", r->scn->seed);
	nb_json_str(&j, "state", final ? "finished" : "running");
	nb_json_begin(&j, "time");
	nb_json_str(&j, "mode", nb_sim_mode(r->sim) == NB_SIM_REALTIME ? "realtime" : "virtual");
	nb_json_u64(&j, "sim_ns", nb_sim_now(r->sim));
	nb_json_u64(&j, "bus_charged_ns", nb_sim_charged(r->sim));
	nb_json_end(&j);
	device_json(r, &j);
	stack_json(r, &j);
	nb_json_begin(&j, "host");
	nb_endpoint_status(r->host, &j);
	nb_json_end(&j);
	nb_json_begin(&j, "far");
	nb_endpoint_status(r->far, &j);
	peer_json(r, &j);
	nb_json_end(&j);
	nb_json_begin(&j, "wire");
	nb_json_bool(&j, "plugged", nb_wire_plugged(r->wire));
	nb_json_u64(&j, "speed_mbps", nb_wire_speed(r->wire));
	wire_dir_json(&j, "to_far", nb_wire_stats(r->wire, 0));
	wire_dir_json(&j, "to_host", nb_wire_stats(r->wire, 1));
	nb_impair_run_json(r, &j);
	nb_json_end(&j);
	nb_capture_json(r->capture, &j, nb_sim_now(r->sim));
	nb_json_begin(&j, "loop");
	nb_json_u64(&j, "iterations", ls->iterations);
	nb_json_u64(&j, "waits", ls->waits);
	nb_json_u64(&j, "wakeups", ls->wakeups);
	nb_json_u64(&j, "timer_fires", ls->timer_fires);
	nb_json_u64(&j, "time_jumps", ls->time_jumps);
	nb_json_u64(&j, "late_events", ls->late_events);
	nb_json_u64(&j, "max_lag_ns", ls->max_lag_ns);
	nb_json_end(&j);
	if (final) {
		nb_json_bool(&j, "interrupted", r->interrupted);
		nb_json_bool(&j, "stopped_by_control", r->stopped_by_user);
		nb_json_bool(&j, "timed_out", r->timed_out);
		nb_report_checks_json(r, &j);
	}
	/* Measured on the host's clock: the one section that differs between two runs of the
	 * same scenario and seed (left out with --reproducible). */
	if (!r->opts.reproducible) {
		nb_json_begin(&j, "wall");
		nb_json_u64(&j, "elapsed_ns", wall);
		nb_json_end(&j);
	}
	nb_json_end(&j);
}

/* ---- text summary ---------------------------------------------------------------------- */

static void endpoint_line(FILE *f, const char *side, const struct nb_endpoint *ep)
{
	const struct nb_endpoint_stats *s = &ep->stats;

	fprintf(f, "%-10s %s: sent %" PRIu64 " frames (%" PRIu64 " B), received %" PRIu64
		" frames (%" PRIu64 " B)", side, ep->label, s->sent_frames, s->sent_bytes,
		s->recv_frames, s->recv_bytes);
	if (s->recv_errors || s->send_errors)
		fprintf(f, ", %" PRIu64 " refused, %" PRIu64 " unreadable", s->recv_errors,
			s->send_errors);
	nb_endpoint_summary(ep, f);
	fputc('\n', f);
}

void nb_run_summary(struct nb_run *r, FILE *f)
{
	const struct nb_netdev_stats *st = nb_netdev_stats(r->nd);
	const struct nb_wire_dir_stats *w0 = nb_wire_stats(r->wire, 0), *w1 = nb_wire_stats(r->wire, 1);
	double sim_s = (double)nb_sim_now(r->sim) / 1e9;
	double wall_s = (double)(r->wall_end_ns - r->wall_start_ns) / 1e9;
	struct nb_link_state link = r->nd->link;
	const uint8_t *m = r->nd->mac;
	bool any = false;
	char *model = NULL;
	size_t model_len = 0;
	FILE *mf;

	fprintf(f, "%-10s %s (seed %" PRIu64 ")\n", "scenario", r->scn->conf.path, r->scn->seed);
	fprintf(f, "%-10s %s %s %02x:%02x:%02x:%02x:%02x:%02x, link ", "device",
		r->dev->type_name, r->nd->name, m[0], m[1], m[2], m[3], m[4], m[5]);
	if (link.up)
		fprintf(f, "up %u Mb/s %s duplex", link.speed_mbps,
			link.full_duplex ? "full" : "half");
	else
		fputs("down", f);
	fprintf(f, " (%" PRIu64 " change%s)\n", st->link_changes, st->link_changes == 1 ? "" : "s");
	if (nb_sim_mode(r->sim) == NB_SIM_VIRTUAL)
		fprintf(f, "%-10s virtual %.6f s in %.6f s wall (%.0fx)\n", "time", sim_s, wall_s,
			wall_s > 0 ? sim_s / wall_s : 0.0);
	else
		fprintf(f, "%-10s real time %.3f s\n", "time", sim_s);
	endpoint_line(f, "host", r->host);
	endpoint_line(f, "far", r->far);
	fprintf(f, "%-10s tx %" PRIu64 " frames (%" PRIu64 " B), rx %" PRIu64 " frames (%" PRIu64
		" B), %" PRIu64 " IRQs, %" PRIu64 " polls\n", "device", st->tx_frames, st->tx_bytes,
		st->rx_frames, st->rx_bytes, st->irqs, st->polls);
	fprintf(f, "%-10s", "drops");
	for (int i = 0; i < NB_DROP__COUNT; i++) {
		if (!st->drops[i])
			continue;
		fprintf(f, "%s %s %" PRIu64, any ? "," : "", nb_drop_reason_name((enum nb_drop_reason)i),
			st->drops[i]);
		any = true;
	}
	fprintf(f, "%s\n", any ? "" : " none");
	fprintf(f, "%-10s to far %" PRIu64 " frames (%" PRIu64 " lost unplugged), to host %" PRIu64
		" frames (%" PRIu64 " lost unplugged)\n", "wire", w0->frames, w0->lost_unplugged,
		w1->frames, w1->lost_unplugged);
	nb_impair_run_summary(r, f);
	nb_capture_summary(r->capture, f, nb_sim_now(r->sim));
	mf = open_memstream(&model, &model_len);
	if (mf && r->dev->ops->status) {
		struct nb_json j;

		nb_json_init(&j, mf);
		nb_json_begin(&j, NULL);
		r->dev->ops->status(r->dev, &j);
		nb_json_end(&j);
	}
	if (mf) {
		fclose(mf);
		if (model_len > 2)
			fprintf(f, "%-10s %s\n", "model", model);
		free(model);
	}
}

/* ---- checks ---------------------------------------------------------------------------- */

/* Every check is recorded in the run (for the reports) and, when @p o has a file, printed. */
struct check_out {
	FILE *f;
	struct nb_run *r;
};

static int check(struct check_out *o, bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int check(struct check_out *o, bool ok, const char *name, const char *fmt, ...)
{
	char detail[320] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	nb_run_add_check(o->r, ok, name, detail, 0);
	return ok ? 0 : 1;
}

static int check_delivery(struct check_out *f, struct check_out *ok_f, const char *dir,
			  const struct nb_endpoint *src,
			  const struct nb_endpoint *dst)
{
	const struct nb_endpoint_stats *a = &src->stats, *b = &dst->stats;
	bool counts = a->sent_frames == b->recv_frames;
	bool content = a->sent_digest == b->recv_digest;
	char name[48];

	snprintf(name, sizeof(name), "all_delivered %s", dir);
	if (!src->exhausted)
		return check(f, false, name, "the source was not finished (%" PRIu64 " frames sent)",
			     a->sent_frames);
	if (!counts)
		return check(f, false, name, "%" PRIu64 " frames sent, %" PRIu64 " arrived",
			     a->sent_frames, b->recv_frames);
	if (!content)
		return check(f, false, name, "%" PRIu64 " frames arrived but their bytes or order "
			     "differ from what was sent", b->recv_frames);
	return check(ok_f, true, name, "%" PRIu64 " of %" PRIu64 " frames, identical",
		     b->recv_frames, a->sent_frames);
}

void nb_run_add_check(struct nb_run *r, bool ok, const char *name, const char *detail,
		      size_t line)
{
	struct nb_check *c;

	if (r->n_checks == r->cap_checks) {
		unsigned cap = r->cap_checks ? r->cap_checks * 2 : 16;
		struct nb_check *p = realloc(r->checks, cap * sizeof(*p));

		if (!p) {
			r->checks_lost += !ok;
			return;
		}
		r->checks = p;
		r->cap_checks = cap;
	}
	c = &r->checks[r->n_checks++];
	c->ok = ok;
	c->line = line;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->detail, sizeof(c->detail), "%s", detail ? detail : "");
}

void nb_run_print_checks(struct nb_run *r, FILE *f, bool failures_only)
{
	for (unsigned i = 0; i < r->n_checks; i++) {
		const struct nb_check *c = &r->checks[i];

		if (failures_only && c->ok)
			continue;
		fprintf(f, "%-10s %s: %s", "check", c->name, c->ok ? "ok" : "FAILED");
		if (c->detail[0])
			fprintf(f, " - %s", c->detail);
		fputc('\n', f);
	}
	if (r->checks_lost)
		fprintf(f, "%-10s %u failed check(s) not recorded: out of memory\n", "check",
			r->checks_lost);
}

int nb_run_check(struct nb_run *r)
{
	struct check_out out = { .r = r };
	struct check_out *f = &out, *ok_f = &out;
	const struct nb_expect_cfg *e = &r->scn->expect;
	uint64_t violations = r->dev->ops->violations(r->dev);
	const char *why;
	int failures = 0;

	if (violations)
		failures += check(f, false, "model", "the chip model reported %" PRIu64
				  " strict-mode violation(s); see the log", violations);
	if (r->dev->ops->failure && (why = r->dev->ops->failure(r->dev))) {
		bool expected = e->has_link && e->link == NB_LINK_DOWN;

		failures += check(expected ? ok_f : f, expected, "device", "%s%s", why,
				  expected ? " (expected: link down)" : "");
	}
	if (r->interrupted && r->finite)
		failures += check(f, false, "run", "interrupted before its end");
	if (r->host->failed)
		failures += check(f, false, "host side", "%s: %s", r->host->label,
				  strerror(-r->host->failed));
	if (r->far->failed)
		failures += check(f, false, "far side", "%s: %s", r->far->label,
				  strerror(-r->far->failed));
	if (r->timed_out)
		failures += check(f, false, "run", "the sources had not finished after the timeout "
				  "(%.3f s)", (double)r->scn->timeout / 1e9);
	if (r->host->finite && r->host->stats.send_errors)
		failures += check(f, false, "host source", "%" PRIu64 " frames could not be read",
				  r->host->stats.send_errors);
	if (r->far->finite && r->far->stats.send_errors)
		failures += check(f, false, "far source", "%" PRIu64 " frames could not be read",
				  r->far->stats.send_errors);
	if (e->all_delivered) {
		if (r->host->finite)
			failures += check_delivery(f, ok_f, "host->far", r->host, r->far);
		if (r->far->finite)
			failures += check_delivery(f, ok_f, "far->host", r->far, r->host);
	}
	if (e->has_drops) {
		uint64_t d = nb_netdev_drops_total(r->nd);

		failures += check(d == e->drops ? ok_f : f, d == e->drops, "drops",
				  "%" PRIu64 " dropped, expected %" PRIu64, d, e->drops);
	}
	if (e->has_link) {
		bool up = r->nd->link.up;

		failures += check(up == (e->link == NB_LINK_UP) ? ok_f : f, up == (e->link == NB_LINK_UP),
				  "link", "link is %s, expected %s",
				  up ? "up" : "down", e->link == NB_LINK_UP ? "up" : "down");
	}
	if (e->has_link_changes) {
		uint64_t n = nb_netdev_stats(r->nd)->link_changes;

		failures += check(n == e->link_changes ? ok_f : f, n == e->link_changes, "link_changes",
				  "%" PRIu64 " link changes, expected %" PRIu64, n, e->link_changes);
	}
	failures += nb_impair_run_check(r);
	return failures;
}
