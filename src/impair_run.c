/* SPDX-License-Identifier: MIT */
/* Link impairments in a run (impair_run.h). */
#include "src/impair_run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "src/run.h"

static const char *const dir_key[2] = { "to_far", "to_device" };

int nb_impair_run_setup(struct nb_run *r)
{
	/* Always installed: with nothing configured the stage passes every frame with no extra
	 * delay (the wire's own order and timing), and the counters are there to read. */
	r->impair = nb_impair_new(r->sim, r->wire, r->scn->wire.impair.dir);
	return r->impair ? 0 : -errno;
}

static void describe(const struct nb_impair_dir_cfg *d, char *buf, size_t len)
{
	size_t used = 0;

#define ADD(...) do { \
		int n_ = snprintf(buf + used, len - used, __VA_ARGS__); \
		if (n_ > 0 && (size_t)n_ < len - used) \
			used += (size_t)n_; \
	} while (0)
	buf[0] = '\0';
	if (d->loss > 0)
		ADD(" loss %.4g%%", d->loss * 100);
	if (d->loss > 0 && d->loss_burst > 1)
		ADD(" (bursts of %.3g)", d->loss_burst);
	if (d->delay_ns)
		ADD(" delay %.3f ms", (double)d->delay_ns / 1e6);
	if (d->jitter_ns)
		ADD(" +- %.3f ms", (double)d->jitter_ns / 1e6);
	if (d->reorder > 0)
		ADD(" reorder %.4g%% gap %u", d->reorder * 100, d->reorder_gap);
	if (d->rate_bps)
		ADD(" rate %" PRIu64 " b/s (queue %u)", d->rate_bps, d->rate_queue);
	if (d->corrupt > 0)
		ADD(" corrupt %.4g%% (up to %u bits)", d->corrupt * 100, d->corrupt_bits);
	if (d->duplicate > 0)
		ADD(" duplicate %.4g%%", d->duplicate * 100);
	if (d->mtu)
		ADD(" mtu %u", d->mtu);
#undef ADD
	if (!buf[0])
		snprintf(buf, len, " none");
}

void nb_impair_run_apply(struct nb_run *r, const struct nb_impair_cfg *ic, const char *why)
{
	char text[256];

	for (int d = 0; d < 2; d++) {
		int ret;

		if (!ic->given[d])
			continue;
		ret = nb_impair_set(r->impair, d, &ic->dir[d]);
		if (ret < 0) {
			nb_logf(&r->logger, NB_LOG_ERR, "netbench", "%s: impair %s: %s", why,
				dir_key[d], strerror(-ret));
			continue;
		}
		describe(nb_impair_get(r->impair, d), text, sizeof(text));
		nb_logf(&r->logger, NB_LOG_INFO, "netbench", "%s: impair %s:%s", why, dir_key[d],
			text);
	}
}

void nb_impair_run_command(struct nb_run *r, const char *text, FILE *out)
{
	struct nb_conf c = { .path = "impair" };
	struct nb_field f = { .key = "impair" };
	struct nb_impair_cfg ic;
	yaml_parser_t parser;
	char desc[256], *line, *word;

	if (!yaml_parser_initialize(&parser)) {
		fputs("error: out of memory\n", out);
		return;
	}
	/* Parse the whole line with the command word blanked, so columns in messages count
	 * from the start of what was typed. */
	line = strdup(text);
	if (!line || !(word = strstr(line, "impair"))) {
		fputs("error: out of memory\n", out);
		yaml_parser_delete(&parser);
		free(line);
		return;
	}
	memset(word, ' ', 6);
	yaml_parser_set_input_string(&parser, (const unsigned char *)line, strlen(line));
	if (!yaml_parser_load(&parser, &c.doc)) {
		fprintf(out, "error: impair:%zu:%zu: YAML syntax error: %s\n",
			parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			parser.problem ? parser.problem : "unknown");
		yaml_parser_delete(&parser);
		free(line);
		return;
	}
	yaml_parser_delete(&parser);
	free(line);
	c.loaded = true;
	if (!nb_conf_root(&c))
		nb_conf_error(&c, NULL, "expected a mapping such as {to_device: {loss: 2%%}}");
	else if (nb_impair_conf_parse(&c, nb_conf_root(&c), &ic, &f) == 0 &&
		 nb_impair_conf_check_queue(&c, &ic, r->scn->wire.queue) == 0)
		nb_impair_run_apply(r, &ic, "control");
	if (c.err[0]) {
		fprintf(out, "error: %s\n", c.err);
	} else {
		fputs("ok", out);
		for (int d = 0; d < 2; d++) {
			if (!ic.given[d])
				continue;
			describe(nb_impair_get(r->impair, d), desc, sizeof(desc));
			fprintf(out, "; %s:%s", dir_key[d], desc);
		}
		fputc('\n', out);
	}
	nb_conf_free(&c);
}

void nb_impair_run_json(struct nb_run *r, struct nb_json *j)
{
	nb_json_begin(j, "impair");
	for (int d = 0; d < 2; d++) {
		const struct nb_impair_stats *s = nb_impair_stats(r->impair, d);

		nb_json_begin(j, dir_key[d]);
		nb_json_u64(j, "frames", s->frames);
		nb_json_u64(j, "lost", s->lost);
		nb_json_u64(j, "burst_lost", s->burst_lost);
		nb_json_u64(j, "bursts", s->bursts);
		nb_json_u64(j, "corrupted", s->corrupted);
		nb_json_u64(j, "duplicated", s->duplicated);
		nb_json_u64(j, "reordered", s->reordered);
		nb_json_u64(j, "mtu_dropped", s->mtu_dropped);
		nb_json_u64(j, "rate_dropped", s->rate_dropped);
		nb_json_u64(j, "delayed", s->delayed);
		nb_json_u64(j, "dropped", nb_impair_dropped(r->impair, d));
		nb_json_end(j);
	}
	nb_json_end(j);
}

static bool any(const struct nb_impair_stats *s)
{
	return s->lost || s->burst_lost || s->corrupted || s->duplicated || s->reordered ||
	       s->mtu_dropped || s->rate_dropped || s->delayed;
}

static bool configured(const struct nb_impair_dir_cfg *c)
{
	return c->loss > 0 || c->delay_ns || c->reorder > 0 || c->rate_bps || c->corrupt > 0 ||
	       c->duplicate > 0 || c->mtu;
}

void nb_impair_run_summary(struct nb_run *r, FILE *f)
{
	bool shown = false;

	for (int d = 0; d < 2; d++) {
		const struct nb_impair_stats *s = nb_impair_stats(r->impair, d);
		const struct nb_impair_dir_cfg *c = nb_impair_get(r->impair, d);

		if (!any(s) && !configured(c))
			continue;
		fprintf(f, "%-10s %s: %" PRIu64 " of %" PRIu64 " frames lost (%" PRIu64
			" in %" PRIu64 " bursts), %" PRIu64 " corrupted, %" PRIu64 " duplicated, %"
			PRIu64 " reordered, %" PRIu64 " delayed, %" PRIu64 " over mtu, %" PRIu64
			" over rate\n", shown ? "" : "impair", dir_key[d],
			s->lost + s->burst_lost, s->frames, s->burst_lost, s->bursts, s->corrupted,
			s->duplicated, s->reordered, s->delayed, s->mtu_dropped, s->rate_dropped);
		shown = true;
	}
}

/* ---- checks --------------------------------------------------------------------------- */

static int report(struct nb_run *r, bool ok, const char *name, const char *detail)
{
	nb_run_add_check(r, ok, name, detail, 0);
	return ok ? 0 : 1;
}

/* Frames a source sent that did not arrive must be the ones the wire lost: dropped by the
 * impairments, corrupted (CRC-32 catches every error of up to 3 bits, so the receiving MAC
 * drops them; fcs_matches_corrupted checks that it counted them), or in flight when the
 * cable was pulled; a duplicate arrives once more than sent. Counting the corrupted frames
 * here rather than the receiver's FCS drops keeps the check the same for a device whose
 * wired side ends elsewhere (a Wi-Fi device: at the simulated AP). */
static int check_accounted(struct nb_run *r, int d, const struct nb_endpoint *src,
			   const struct nb_endpoint *dst)
{
	const struct nb_impair_stats *s = nb_impair_stats(r->impair, d);
	uint64_t sent = src->stats.sent_frames, got = dst->stats.recv_frames;
	uint64_t dropped = nb_impair_dropped(r->impair, d);
	uint64_t unplugged = nb_wire_stats(r->wire, d)->lost_unplugged;
	int64_t missing = (int64_t)sent - (int64_t)got;
	int64_t counted = (int64_t)(dropped + s->corrupted + unplugged) - (int64_t)s->duplicated;
	char name[64], detail[256];

	snprintf(name, sizeof(name), "losses_accounted %s", dir_key[d]);
	snprintf(detail, sizeof(detail), "%" PRIu64 " sent, %" PRIu64 " arrived: %" PRId64
		 " missing; the wire dropped %" PRIu64 ", corrupted %" PRIu64 ", lost %" PRIu64
		 " unplugged and duplicated %" PRIu64, sent, got, missing, dropped, s->corrupted,
		 unplugged, s->duplicated);
	if (!src->exhausted)
		return report(r, false, name, "the source was not finished");
	return report(r, missing == counted, name, detail);
}

int nb_impair_run_check(struct nb_run *r)
{
	const struct nb_expect_cfg *e = &r->scn->expect;
	uint64_t dev_fcs = nb_netdev_stats(r->nd)->drops[NB_DROP_RX_FCS];
	uint64_t far_fcs = nb_peer_mac_stats(r->peer)->rx_fcs_errors;
	int failures = 0;
	char detail[160];

	if (e->losses_accounted) {
		if (r->host->finite)
			failures += check_accounted(r, NB_IMPAIR_TO_FAR, r->host, r->far);
		if (r->far->finite)
			failures += check_accounted(r, NB_IMPAIR_TO_DEVICE, r->far, r->host);
	}
	if (e->fcs_matches_corrupted) {
		uint64_t c0 = nb_impair_stats(r->impair, NB_IMPAIR_TO_FAR)->corrupted;
		uint64_t c1 = nb_impair_stats(r->impair, NB_IMPAIR_TO_DEVICE)->corrupted;

		snprintf(detail, sizeof(detail), "device FCS drops %" PRIu64 ", corrupted to_device %"
			 PRIu64, dev_fcs, c1);
		failures += report(r, dev_fcs == c1, "fcs_matches_corrupted to_device", detail);
		snprintf(detail, sizeof(detail), "partner FCS errors %" PRIu64 ", corrupted to_far %"
			 PRIu64, far_fcs, c0);
		failures += report(r, far_fcs == c0, "fcs_matches_corrupted to_far", detail);
	}
	return failures;
}
