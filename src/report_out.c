/* SPDX-License-Identifier: MIT */
/* The end of a run: every check evaluated and recorded, the summary or JSON on stdout, the
 * report files; and what has to be attached before the loop for them. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "src/assert.h"
#include "src/report_out.h"
#include "src/run.h"

struct nb_report_state {
	struct nb_assert_run *asserts;
	struct nb_plot *plot;
	struct nb_status *status;
};

int nb_report_start(struct nb_run *r)
{
	char err[128];

	r->reports = calloc(1, sizeof(*r->reports));
	if (!r->reports)
		goto err_oom;
	r->reports->asserts = nb_assert_start(r, err, sizeof(err));
	if (!r->reports->asserts && err[0]) {
		nb_logf(&r->logger, NB_LOG_ERR, "netbench", "assertions: %s", err);
		return -1;
	}
	if (r->opts.plot_path && !(r->reports->plot = nb_plot_start(r)))
		goto err_oom;
	if (r->opts.status_line && !(r->reports->status = nb_status_start(r)))
		goto err_oom;
	return 0;
err_oom:
	nb_logf(&r->logger, NB_LOG_ERR, "netbench", "reports: %s", strerror(ENOMEM));
	return -1;
}

void nb_report_free(struct nb_run *r)
{
	if (r->reports) {
		nb_assert_free(r->reports->asserts);
		nb_plot_free(r->reports->plot);
		nb_status_free(r->reports->status);
		free(r->reports);
		r->reports = NULL;
	}
	free(r->checks);
	r->checks = NULL;
	r->n_checks = r->cap_checks = 0;
}

void nb_report_checks_json(struct nb_run *r, struct nb_json *j)
{
	nb_json_begin_array(j, "checks");
	for (unsigned i = 0; i < r->n_checks; i++) {
		const struct nb_check *c = &r->checks[i];

		nb_json_begin(j, NULL);
		nb_json_str(j, "name", c->name);
		nb_json_str(j, "result", c->ok ? "pass" : "fail");
		nb_json_str(j, "detail", c->detail);
		if (c->line)
			nb_json_u64(j, "line", c->line);
		nb_json_end(j);
	}
	nb_json_end_array(j);
}

/* Counters of assertions are read from the report as the user sees it in --json. */
static void eval_asserts(struct nb_run *r)
{
	const struct nb_assert_list *l = &r->scn->asserts;
	struct nb_assert_result *res;
	char *text = NULL;
	size_t len = 0;
	FILE *mf;

	if (!l->n)
		return;
	res = calloc(l->n, sizeof(*res));
	mf = open_memstream(&text, &len);
	if (!res || !mf) {
		if (mf)
			fclose(mf);
		free(res);
		nb_run_add_check(r, false, "assertions", strerror(ENOMEM), 0);
		return;
	}
	nb_run_status_json(r, mf, true);
	fclose(mf);
	nb_assert_finish(r->reports ? r->reports->asserts : NULL, text, res);
	for (unsigned i = 0; i < l->n; i++) {
		char name[200];

		snprintf(name, sizeof(name), "%s:%zu: %s", r->scn->conf.path, l->items[i].line,
			 res[i].what);
		nb_run_add_check(r, res[i].ok, name, res[i].measured, l->items[i].line);
	}
	free(text);
	free(res);
}

static void points_table(struct nb_run *r, FILE *f)
{
	const struct nb_endpoint_stats *h = &r->host->stats, *fa = &r->far->stats;

	fprintf(f, "\n%-10s %12s %14s %12s\n", "point", "frames", "bytes", "not arrived");
	fprintf(f, "%-10s %12" PRIu64 " %14" PRIu64 " %12s\n", "host.tx", h->sent_frames,
		h->sent_bytes, "");
	fprintf(f, "%-10s %12" PRIu64 " %14" PRIu64 " %12" PRId64 "\n", "far.rx", fa->recv_frames,
		fa->recv_bytes, (int64_t)(h->sent_frames - fa->recv_frames));
	fprintf(f, "%-10s %12" PRIu64 " %14" PRIu64 " %12s\n", "far.tx", fa->sent_frames,
		fa->sent_bytes, "");
	fprintf(f, "%-10s %12" PRIu64 " %14" PRIu64 " %12" PRId64 "\n\n", "host.rx",
		h->recv_frames, h->recv_bytes, (int64_t)(fa->sent_frames - h->recv_frames));
}

static int write_json(struct nb_run *r, const char *path)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	nb_run_status_json(r, f, true);
	fputc('\n', f);
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) != 0 && !ret)
		ret = -errno;
	return ret;
}

static int write_files(struct nb_run *r)
{
	const struct nb_run_opts *o = &r->opts;
	int failures = 0, ret;

	if (o->report_path && (ret = write_json(r, o->report_path)) < 0) {
		nb_logf(&r->logger, NB_LOG_ERR, "netbench", "writing %s: %s", o->report_path,
			strerror(-ret));
		failures++;
	}
	if (o->junit_path && (ret = nb_report_junit_write(r, o->junit_path)) < 0) {
		nb_logf(&r->logger, NB_LOG_ERR, "netbench", "writing %s: %s", o->junit_path,
			strerror(-ret));
		failures++;
	}
	if (o->plot_path && r->reports && r->reports->plot &&
	    (ret = nb_plot_write(r->reports->plot, o->plot_path)) < 0) {
		nb_logf(&r->logger, NB_LOG_ERR, "netbench", "writing %s: %s", o->plot_path,
			strerror(-ret));
		failures++;
	}
	return failures;
}

int nb_report_finish(struct nb_run *r)
{
	const struct nb_run_opts *o = &r->opts;
	int failures = 0;

	if (r->reports && r->reports->status)
		nb_status_stop(r->reports->status);
	if (r->loop_ret < 0)
		nb_run_add_check(r, false, "run", strerror(-r->loop_ret), 0);
	nb_run_check(r);
	eval_asserts(r);
	for (unsigned i = 0; i < r->n_checks; i++)
		failures += !r->checks[i].ok;
	failures += (int)r->checks_lost;

	if (!o->quiet) {
		if (o->json) {
			nb_run_status_json(r, stdout, true);
			fputc('\n', stdout);
		} else {
			nb_run_summary(r, stdout);
			points_table(r, stdout);
		}
	}
	if (o->json || o->quiet)
		nb_run_print_checks(r, stderr, true);
	else
		nb_run_print_checks(r, stdout, false);
	failures += write_files(r);
	if (!o->json && !o->quiet)
		printf("result: %s\n", failures ? "FAIL" : "PASS");
	fflush(stdout);
	return failures;
}

void nb_report_not_started(struct nb_run *r)
{
	const struct nb_run_opts *o = &r->opts;
	const char *why = r->start_error[0] ? r->start_error : "the run could not be started";
	struct nb_json j;
	FILE *f;
	int ret;

	nb_run_add_check(r, false, "run", why, 0);
	if (o->report_path) {
		f = fopen(o->report_path, "w");
		if (!f) {
			nb_logf(&r->logger, NB_LOG_ERR, "netbench", "writing %s: %s",
				o->report_path, strerror(errno));
		} else {
			nb_json_init(&j, f);
			nb_json_begin(&j, NULL);
			nb_json_str(&j, "scenario", r->scn->conf.path);
			nb_json_u64(&j, "seed", r->scn->seed);
			nb_json_str(&j, "state", "not started");
			nb_json_str(&j, "error", why);
			nb_report_checks_json(r, &j);
			nb_json_end(&j);
			fputc('\n', f);
			if (fclose(f) != 0)
				nb_logf(&r->logger, NB_LOG_ERR, "netbench", "writing %s: %s",
					o->report_path, strerror(errno));
		}
	}
	if (o->junit_path && (ret = nb_report_junit_write(r, o->junit_path)) < 0)
		nb_logf(&r->logger, NB_LOG_ERR, "netbench", "writing %s: %s", o->junit_path,
			strerror(-ret));
}
