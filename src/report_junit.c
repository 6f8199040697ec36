/* SPDX-License-Identifier: MIT */
/* JUnit XML (the format CI servers read: Jenkins, GitLab, GitHub test reporters): the
 * scenario is one testsuite, each expectation, assertion and failure condition a testcase. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "src/report_out.h"
#include "src/run.h"

static void put_xml(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			/* XML 1.0 allows no other control characters than tab, LF, CR */
			if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
				fputc('?', f);
			else
				fputc(ch, f);
		}
	}
}

int nb_report_junit_write(struct nb_run *r, const char *path)
{
	double wall = (double)(r->wall_end_ns - r->wall_start_ns) / 1e9;
	unsigned failed = 0;
	char *copy = strdup(r->scn->conf.path);
	const char *base;
	FILE *f;
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	base = basename(copy);
	f = fopen(path, "w");
	if (!f) {
		ret = -errno;
		free(copy);
		return ret;
	}
	for (unsigned i = 0; i < r->n_checks; i++)
		failed += !r->checks[i].ok;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"", f);
	put_xml(f, r->scn->conf.path);
	fprintf(f, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" time=\"%.3f\">\n", r->n_checks,
		failed, wall);
	for (unsigned i = 0; i < r->n_checks; i++) {
		const struct nb_check *c = &r->checks[i];

		fputs("    <testcase classname=\"netbench.", f);
		put_xml(f, base);
		fputs("\" name=\"", f);
		put_xml(f, c->name);
		fputs("\"", f);
		if (c->ok) {
			fputs("/>\n", f);
			continue;
		}
		fputs(">\n      <failure message=\"", f);
		put_xml(f, c->detail);
		fputs("\">", f);
		put_xml(f, c->name);
		fputs(": ", f);
		put_xml(f, c->detail);
		fputs("</failure>\n    </testcase>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	free(copy);
	if (ferror(f))
		ret = -EIO;
	if (fclose(f) != 0 && !ret)
		ret = -errno;
	return ret;
}
