/* SPDX-License-Identifier: MIT */
/*
 * Golden bus trace: the driver's bring-up against the model, transaction by transaction (the
 * model's own trace format), compared with golden/bringup.trace. Any change in what the
 * driver puts on the bus shows up here with the first transaction that differs.
 *
 * Regenerate on purpose with NB_REGEN_GOLDEN=1 (the test then writes the file and passes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/cyw43439/rig.h"
#include "tests/unit/support/test_support.h"

#ifndef NB_GOLDEN_DIR
#error "NB_GOLDEN_DIR must name tests/unit/cyw43439/golden"
#endif
#define GOLDEN_FILE NB_GOLDEN_DIR "/bringup.trace"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Print the first differing line (transaction) with its number and both versions. */
static void report_first_difference(const char *want, const char *got)
{
	unsigned line = 1;

	while (*want && *got) {
		const char *we = strchr(want, '\n'), *ge = strchr(got, '\n');
		size_t wl = we ? (size_t)(we - want) : strlen(want);
		size_t gl = ge ? (size_t)(ge - got) : strlen(got);

		if (wl != gl || memcmp(want, got, wl) != 0) {
			fprintf(stderr, "golden trace differs at transaction %u:\n  want: %.*s\n"
					"  got:  %.*s\n", line, (int)wl, want, (int)gl, got);
			return;
		}
		want += wl + (we ? 1 : 0);
		got += gl + (ge ? 1 : 0);
		line++;
	}
	if (*want)
		fprintf(stderr, "golden trace: the run ended at transaction %u; golden continues "
				"with: %.*s\n", line, (int)strcspn(want, "\n"), want);
	else if (*got)
		fprintf(stderr, "golden trace: the golden ends at transaction %u; the run continues "
				"with: %.*s\n", line, (int)strcspn(got, "\n"), got);
}

static void test_golden_bringup_trace(void **state)
{
	/* small, odd-sized image and a short CLM keep the file readable; verification on */
	struct rig *r = rig_new(&(struct rig_opts){ .fw_len = 3001, .clm_len = 100 });
	char *want;
	size_t want_len = 0;
	const char *regen = getenv("NB_REGEN_GOLDEN");

	(void)state;
	rig_trace_start(r);
	rig_boot(r);
	assert_non_null(r->trace);
	assert_int_equal(r->violations, 0);
	if (regen && strcmp(regen, "1") == 0) {
		FILE *f = fopen(GOLDEN_FILE, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(r->trace, 1, r->trace_len, f), r->trace_len);
		assert_int_equal(fclose(f), 0);
		fprintf(stderr, "golden trace regenerated: %s (%u transactions)\n", GOLDEN_FILE,
			r->trace_lines);
		rig_free(r);
		return;
	}
	want = slurp(GOLDEN_FILE, &want_len);
	if (!want)
		fail_msg("no golden trace at %s (run with NB_REGEN_GOLDEN=1 to create it)",
			 GOLDEN_FILE);
	if (want_len != r->trace_len || memcmp(want, r->trace, want_len) != 0) {
		report_first_difference(want, r->trace);
		free(want);
		rig_free(r);
		fail_msg("bring-up bus trace differs from %s", GOLDEN_FILE);
	}
	free(want);
	rig_free(r);
}

/* The comparison itself must be able to fail: a one-byte change in what the driver sends
 * (here a different F1 response delay) changes the trace. */
static void test_golden_detects_a_changed_bringup(void **state)
{
	struct rig *a = rig_new(&(struct rig_opts){ .fw_len = 3001, .clm_len = 100 });
	struct rig *b = rig_new(&(struct rig_opts){ .fw_len = 3001, .clm_len = 100,
						    .drv = { .f1_resp_delay = 8 } });

	(void)state;
	rig_trace_start(a);
	rig_trace_start(b);
	rig_boot(a);
	rig_boot(b);
	assert_true(a->trace_len != b->trace_len || memcmp(a->trace, b->trace, a->trace_len));
	rig_free(a);
	rig_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_bringup_trace),
		cmocka_unit_test(test_golden_detects_a_changed_bringup),
	};

	return cmocka_run_group_tests_name("cyw43439_golden", tests, NULL, NULL);
}
