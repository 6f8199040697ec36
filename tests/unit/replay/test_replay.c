/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "drivers/bus/clock.h"
#include "src/endpoint.h"
#include "src/replay.h"

#define MS 1000000ull

static void test_replay_asap_has_no_schedule(void **state)
{
	struct nb_replay rp;

	(void)state;
	nb_replay_init(&rp, NB_REPLAY_ASAP, 0);
	assert_false(nb_replay_paced(&rp));
	assert_int_equal(nb_replay_due(&rp, 5 * MS, 100), 0);
	nb_replay_taken(&rp, 0, 7 * MS);
	assert_int_equal(rp.frames, 0);
	assert_int_equal(rp.lag_max, 0);
}

static void test_replay_recorded_starts_when_first_asked(void **state)
{
	struct nb_replay rp;

	(void)state;
	nb_replay_init(&rp, NB_REPLAY_RECORDED, 0);
	/* capture stamps at 1000 s; the source first may send at 3 ms of run time */
	assert_int_equal(nb_replay_due(&rp, 1000000 * MS, 3 * MS), 3 * MS);
	assert_int_equal(nb_replay_due(&rp, 1000000 * MS + 1 * MS, 9 * MS), 4 * MS);
	assert_int_equal(nb_replay_due(&rp, 1000000 * MS + 5 * MS, 9 * MS), 8 * MS);
}

static void test_replay_rate_divides_the_gaps(void **state)
{
	struct nb_replay fast, slow;

	(void)state;
	nb_replay_init(&fast, NB_REPLAY_RECORDED, 10000);
	nb_replay_init(&slow, NB_REPLAY_RECORDED, 500);
	assert_int_equal(nb_replay_due(&fast, 0, 100), 100);
	assert_int_equal(nb_replay_due(&fast, 1 * MS, 100), 100 + 100000);
	assert_int_equal(nb_replay_due(&fast, 3 * MS + 7, 100), 100 + 300000);
	assert_int_equal(nb_replay_due(&slow, 0, 0), 0);
	assert_int_equal(nb_replay_due(&slow, 1 * MS, 0), 2 * MS);
}

static void test_replay_backwards_stamps_count_as_no_gap(void **state)
{
	struct nb_replay rp;

	(void)state;
	nb_replay_init(&rp, NB_REPLAY_RECORDED, 0);
	assert_int_equal(nb_replay_due(&rp, 10 * MS, 0), 0);
	assert_int_equal(nb_replay_due(&rp, 14 * MS, 0), 4 * MS);
	/* a merged capture going back in time: the frame goes right after the previous */
	assert_int_equal(nb_replay_due(&rp, 12 * MS, 0), 4 * MS);
	assert_int_equal(nb_replay_due(&rp, 5 * MS, 0), 4 * MS);
	assert_int_equal(nb_replay_due(&rp, 15 * MS, 0), 5 * MS);
}

static void test_replay_passes_continue_from_the_last_frame(void **state)
{
	struct nb_replay rp;

	(void)state;
	nb_replay_init(&rp, NB_REPLAY_RECORDED, 2000);
	assert_int_equal(nb_replay_due(&rp, 50 * MS, 1 * MS), 1 * MS);
	assert_int_equal(nb_replay_due(&rp, 54 * MS, 1 * MS), 3 * MS);
	nb_replay_next_pass(&rp);
	/* the clock has moved on (late frames); the schedule does not */
	assert_int_equal(nb_replay_due(&rp, 50 * MS, 40 * MS), 3 * MS);
	assert_int_equal(nb_replay_due(&rp, 54 * MS, 40 * MS), 5 * MS);
}

static void test_replay_absolute_uses_the_stamps(void **state)
{
	struct nb_replay rp;

	(void)state;
	nb_replay_init(&rp, NB_REPLAY_ABSOLUTE, 0);
	assert_int_equal(nb_replay_due(&rp, 1500 * MS, 1700 * MS), 1500 * MS);
	assert_int_equal(nb_replay_due(&rp, 2000 * MS, 1700 * MS), 2000 * MS);
	nb_replay_next_pass(&rp);
	assert_int_equal(nb_replay_due(&rp, 1500 * MS, 0), 3500 * MS);
}

static void test_replay_far_future_stays_below_deadline_none(void **state)
{
	struct nb_replay abs, rec;

	(void)state;
	nb_replay_init(&abs, NB_REPLAY_ABSOLUTE, 0);
	assert_true(nb_replay_due(&abs, UINT64_MAX, 0) < NB_DEADLINE_NONE);
	nb_replay_next_pass(&abs);
	assert_true(nb_replay_due(&abs, UINT64_MAX, 0) < NB_DEADLINE_NONE);
	nb_replay_init(&rec, NB_REPLAY_RECORDED, 1);
	assert_int_equal(nb_replay_due(&rec, 0, 5), 5);
	assert_true(nb_replay_due(&rec, UINT64_MAX, 5) < NB_DEADLINE_NONE);
}

static void test_replay_lag_and_late_frames(void **state)
{
	struct nb_replay rp;

	(void)state;
	nb_replay_init(&rp, NB_REPLAY_RECORDED, 0);
	nb_replay_taken(&rp, 1000, 1000);
	nb_replay_taken(&rp, 2000, 2000 + NB_REPLAY_LATE_NS);     /* on the bound: not late */
	nb_replay_taken(&rp, 3000, 3000 + NB_REPLAY_LATE_NS + 1); /* late */
	nb_replay_taken(&rp, 9000, 8000);                         /* early cannot be negative */
	assert_int_equal(rp.frames, 4);
	assert_int_equal(rp.late, 1);
	assert_int_equal(rp.lag_max, NB_REPLAY_LATE_NS + 1);
	assert_int_equal(rp.lag_sum, 2 * NB_REPLAY_LATE_NS + 1);
}

/* `timing:` through the schema layer, as a scenario's pcap section uses it. */
static int parse(const char *value, struct nb_pcap_cfg *cfg, char *err, size_t len)
{
	static const struct nb_field fields[] = {
		{ .key = "timing", .kind = NB_FIELD_CUSTOM, .parse = nb_replay_parse_timing },
		{ 0 },
	};
	char path[] = "/tmp/test_replay_XXXXXX";
	struct nb_conf c = { 0 };
	int fd = mkstemp(path), ret;
	FILE *f = fdopen(fd, "w");

	assert_non_null(f);
	fprintf(f, "timing: %s\n", value);
	fclose(f);
	memset(cfg, 0, sizeof(*cfg));
	ret = nb_conf_load(&c, path);
	if (ret == 0) {
		struct nb_conf_part parts[] = { { fields, cfg }, { NULL, NULL } };

		ret = nb_conf_parse_map(&c, nb_conf_root(&c), "pcap", parts);
	}
	snprintf(err, len, "%s", c.err);
	nb_conf_free(&c);
	unlink(path);
	return ret;
}

static void test_replay_timing_key(void **state)
{
	struct nb_pcap_cfg cfg;
	char err[768];

	(void)state;
	assert_int_equal(parse("recorded", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.timing, NB_REPLAY_RECORDED);
	assert_int_equal(parse("absolute", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.timing, NB_REPLAY_ABSOLUTE);
	assert_int_equal(parse("asap", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.timing, NB_REPLAY_ASAP);
	assert_int_equal(parse("{rate: 10}", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.timing, NB_REPLAY_RECORDED);
	assert_int_equal(cfg.rate_milli, 10000);
	assert_int_equal(parse("{rate: 0.125}", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.rate_milli, 125);
	assert_int_equal(parse("{rate: 1000000}", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.rate_milli, 1000000000u);

	assert_int_equal(parse("{rate: 1000000.001}", &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":1:16: expected 'rate' to be a speed-up factor"));
	assert_int_equal(parse("{rate: 0.0001}", &cfg, err, sizeof(err)), -EINVAL);
	assert_int_equal(parse("{rate: 0}", &cfg, err, sizeof(err)), -EINVAL);
	assert_int_equal(parse("{rate: -1}", &cfg, err, sizeof(err)), -EINVAL);
	assert_int_equal(parse("{rate: .}", &cfg, err, sizeof(err)), -EINVAL);
	assert_int_equal(parse("{rate: 1e3}", &cfg, err, sizeof(err)), -EINVAL);
	assert_int_equal(parse("{rate: [1]}", &cfg, err, sizeof(err)), -EINVAL);
	assert_int_equal(parse("{speed: 2}", &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":1:9: expected 'timing' to be asap, recorded, absolute or "
				    "{rate: N}"));
	assert_int_equal(parse("realtime", &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "got 'realtime'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_asap_has_no_schedule),
		cmocka_unit_test(test_replay_recorded_starts_when_first_asked),
		cmocka_unit_test(test_replay_rate_divides_the_gaps),
		cmocka_unit_test(test_replay_backwards_stamps_count_as_no_gap),
		cmocka_unit_test(test_replay_passes_continue_from_the_last_frame),
		cmocka_unit_test(test_replay_absolute_uses_the_stamps),
		cmocka_unit_test(test_replay_far_future_stays_below_deadline_none),
		cmocka_unit_test(test_replay_lag_and_late_frames),
		cmocka_unit_test(test_replay_timing_key),
	};

	return cmocka_run_group_tests_name("replay", tests, NULL, NULL);
}
