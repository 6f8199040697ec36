/* SPDX-License-Identifier: MIT */
/* Statistics of the impairment stage. Every tolerance is a number of standard deviations of
 * the quantity measured (binomial, Gilbert–Elliott chain, uniform delay, renewal count),
 * computed from the configured parameters: a stage that is off by a few percent of its
 * setting falls outside. The seeds are fixed, so each run draws the same numbers. */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "sim/medium/impair.h"
#include "tests/unit/impair/impair_rig.h"
#include "tests/unit/support/test_support.h"

#define SIGMAS 5.0

static double binom_tol(double n, double p)
{
	return SIGMAS * sqrt(n * p * (1.0 - p));
}

/* ---- loss ------------------------------------------------------------------------------ */

static void test_impair_loss_rate_within_binomial_tolerance(void **state)
{
	struct nb_impair_dir_cfg c = { .loss = 0.02 };
	const unsigned n = 100000;
	unsigned dropped = 0;
	struct rig r;

	(void)state;
	rig_up(&r, 11, &c);
	for (unsigned i = 0; i < n; i++) {
		uint8_t f[64];
		size_t len = wire_frame(f, sizeof(f), i);

		dropped += pass(&r, NB_IMPAIR_TO_FAR, f, &len).drop == 1;
	}
	print_message("loss: configured 0.02, measured %.5f over %u frames (tolerance +-%.5f)\n",
		      (double)dropped / n, n, binom_tol(n, 0.02) / n);
	assert_true(fabs((double)dropped - n * 0.02) <= binom_tol(n, 0.02));
	assert_int_equal(nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR)->lost, dropped);
	assert_int_equal(nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR)->burst_lost, 0);
	assert_int_equal(nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR)->frames, n);
	/* the other direction is untouched */
	assert_int_equal(nb_impair_stats(r.ip, NB_IMPAIR_TO_DEVICE)->frames, 0);
	rig_down(&r);
}

static void test_impair_burst_loss_rate_and_mean_burst_length(void **state)
{
	const double p = 0.02, b = 4.0, n = 200000;
	struct nb_impair_dir_cfg c = { .loss = p, .loss_burst = b };
	/* Two-state chain: leave bad with r = 1/b, enter it with g = p r / (1 - p). The sum of
	 * n correlated indicators has variance n p (1 - p) (1 + l) / (1 - l), l = 1 - g - r. */
	double rr = 1.0 / b, g = p * rr / (1.0 - p), l = 1.0 - g - rr;
	double tol_loss = SIGMAS * sqrt(n * p * (1.0 - p) * (1.0 + l) / (1.0 - l));
	unsigned dropped = 0, runs = 0, run = 0;
	const struct nb_impair_stats *s;
	double mean_burst, tol_burst;
	struct rig r;

	(void)state;
	rig_up(&r, 12, &c);
	for (unsigned i = 0; i < (unsigned)n; i++) {
		uint8_t f[64];
		size_t len = wire_frame(f, sizeof(f), i);
		bool lost = pass(&r, NB_IMPAIR_TO_FAR, f, &len).drop == 1;

		dropped += lost;
		if (lost && !run)
			runs++;
		run = lost ? run + 1 : 0;
	}
	s = nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR);
	/* bursts are geometric with mean b, variance (1 - r) / r^2 */
	mean_burst = (double)dropped / runs;
	tol_burst = SIGMAS * sqrt((1.0 - rr) / (rr * rr) / runs);
	print_message("burst loss: configured rate %.3f burst %.1f, measured rate %.5f (+-%.5f), "
		      "mean burst %.3f (+-%.3f) over %u bursts\n", p, b, dropped / n,
		      tol_loss / n, mean_burst, tol_burst, runs);
	assert_true(fabs(dropped - n * p) <= tol_loss);
	assert_true(fabs(mean_burst - b) <= tol_burst);
	assert_int_equal(s->burst_lost, dropped);
	assert_int_equal(s->bursts, runs);
	assert_int_equal(s->lost, 0);
	rig_down(&r);
}

static void test_impair_independent_loss_has_no_bursts(void **state)
{
	/* Control for the test above: the same rate without burst gives runs of 1/(1-p). */
	struct nb_impair_dir_cfg c = { .loss = 0.02 };
	unsigned dropped = 0, runs = 0;
	bool prev = false;
	struct rig r;

	(void)state;
	rig_up(&r, 12, &c);
	for (unsigned i = 0; i < 100000; i++) {
		uint8_t f[64];
		size_t len = wire_frame(f, sizeof(f), i);
		bool lost = pass(&r, NB_IMPAIR_TO_FAR, f, &len).drop == 1;

		dropped += lost;
		runs += lost && !prev;
		prev = lost;
	}
	assert_true((double)dropped / runs < 1.1);
	rig_down(&r);
}

/* ---- delay, jitter, order ------------------------------------------------------------- */

static void test_impair_delay_jitter_bounds_and_mean(void **state)
{
	const uint64_t d = 10 * NB_NS_PER_MS, j = 2 * NB_NS_PER_MS;
	struct nb_impair_dir_cfg c = { .delay_ns = d, .jitter_ns = j };
	const unsigned n = 20000;
	uint64_t lo = UINT64_MAX, hi = 0;
	double sum = 0, tol;
	struct rig r;

	(void)state;
	rig_up(&r, 13, &c);
	for (unsigned i = 0; i < n; i++) {
		uint8_t f[64];
		size_t len = wire_frame(f, sizeof(f), i);
		struct verdict v;

		/* spaced wider than the jitter window: order never has to hold a frame back */
		nb_sim_advance_to(r.sim, (uint64_t)i * 5 * NB_NS_PER_MS);
		v = pass(&r, NB_IMPAIR_TO_FAR, f, &len);
		assert_int_equal(v.drop, 0);
		lo = v.extra < lo ? v.extra : lo;
		hi = v.extra > hi ? v.extra : hi;
		sum += (double)v.extra;
	}
	/* uniform on 2j: standard deviation 2j / sqrt(12) */
	tol = SIGMAS * (2.0 * j / sqrt(12.0)) / sqrt(n);
	print_message("delay: configured %llu ns +- %llu, measured mean %.0f ns (+-%.0f), "
		      "min %llu, max %llu\n", (unsigned long long)d, (unsigned long long)j,
		      sum / n, tol, (unsigned long long)lo, (unsigned long long)hi);
	assert_true(lo >= d - j && hi <= d + j);
	/* the whole window is used: the extremes come within 1 % of its edges */
	assert_true(lo < d - j + j / 50 && hi > d + j - j / 50);
	assert_true(fabs(sum / n - (double)d) <= tol);
	assert_int_equal(nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR)->delayed, n);
	rig_down(&r);
}

static void test_impair_jitter_without_reorder_keeps_order(void **state)
{
	/* frames 10 us apart, jitter 1 ms: without the order rule most would overtake */
	struct nb_impair_dir_cfg c = { .delay_ns = 5 * NB_NS_PER_MS, .jitter_ns = NB_NS_PER_MS };
	static struct wire_rig r;

	(void)state;
	wire_rig_up(&r, 14, &c);
	send_numbered(&r, 20000, 10000, 64);
	assert_int_equal(r.far.rx, 20000);
	assert_int_equal(r.far.early, 0);
	assert_int_equal(r.far.late, 0);
	assert_int_equal(nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR)->reordered, 0);
	wire_rig_down(&r);
}

static void test_impair_reorder_rate_gap_and_overtaking(void **state)
{
	const double p = 0.25, n = 50000;
	const uint32_t gap = 5;
	struct nb_impair_dir_cfg c = { .delay_ns = 2 * NB_NS_PER_MS, .reorder = p,
				       .reorder_gap = gap };
	/* A renewal process: cycles of gap - 1 frames plus a geometric number of tries. The
	 * count over n frames has mean n / m and variance n v / m^3. */
	double m = gap - 1 + 1.0 / p, v = (1.0 - p) / (p * p);
	double tol = SIGMAS * sqrt(n * v / (m * m * m));
	const struct nb_impair_stats *s;
	static struct wire_rig r;

	(void)state;
	wire_rig_up(&r, 15, &c);
	send_numbered(&r, (unsigned)n, 20000, 64);
	s = nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR);
	print_message("reorder: configured %.2f gap %u, expected %.0f reordered (+-%.0f), "
		      "counted %llu, arrived early %u\n", p, gap, n / m, tol,
		      (unsigned long long)s->reordered, r.far.early);
	assert_int_equal(r.far.rx, (unsigned)n);
	assert_true(fabs((double)s->reordered - n / m) <= tol);
	/* each reordered frame overtakes the 100 delayed ones ahead of it: all arrive early */
	assert_int_equal(r.far.early, s->reordered);
	assert_true(r.far.late >= s->reordered);
	wire_rig_down(&r);
}

/* ---- rate limit ----------------------------------------------------------------------- */

static void test_impair_rate_limit_achieves_rate_and_drops_over_queue(void **state)
{
	const uint64_t rate = 10000000;
	const size_t len = 1000;
	const unsigned n = 20000, limit = 16;
	struct nb_impair_dir_cfg c = { .rate_bps = rate, .rate_queue = limit };
	uint64_t first = 0, last = 0, departs[64];
	unsigned passed = 0, dropped = 0;
	double achieved, tol;
	struct rig r;

	(void)state;
	rig_up(&r, 16, &c);
	for (unsigned i = 0; i < n; i++) {
		uint8_t f[1000];
		size_t l = wire_frame(f, len, i);
		uint64_t now = (uint64_t)i * 400000; /* offered: 20 Mb/s */
		unsigned waiting = 0;
		struct verdict v;

		nb_sim_advance_to(r.sim, now);
		v = pass(&r, NB_IMPAIR_TO_FAR, f, &l);
		/* at most limit frames wait, so the last 64 departures hold all of them */
		for (unsigned k = 0; k < (passed < 64 ? passed : 64); k++)
			waiting += departs[k] > now;
		if (v.drop) {
			dropped++;
			/* only dropped when the queue really was full */
			assert_true(waiting >= limit);
			continue;
		}
		assert_true(waiting < limit);
		departs[passed % 64] = now + v.extra;
		if (!passed)
			first = now + v.extra;
		last = now + v.extra;
		passed++;
	}
	/* frames leave at the rate: (passed - 1) frames' bits between the first and the last
	 * departure; the rounding of each wait to whole ns is the only error */
	achieved = (double)(passed - 1) * len * 8 / ((double)(last - first) / 1e9);
	tol = (double)rate * (passed * 1.0) / (double)(last - first);
	print_message("rate: configured %llu b/s, achieved %.1f b/s (+-%.1f), %u passed, "
		      "%u dropped\n", (unsigned long long)rate, achieved, tol, passed, dropped);
	assert_true(fabs(achieved - (double)rate) <= tol);
	assert_int_equal(nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR)->rate_dropped, dropped);
	/* half of a 20 Mb/s load fits in 10 Mb/s */
	assert_true(fabs((double)dropped - n / 2.0) <= limit + 1);
	rig_down(&r);
}

static void test_impair_rate_limit_bucket_depth_lets_a_burst_through(void **state)
{
	struct nb_impair_dir_cfg c = { .rate_bps = 1000000, .rate_burst = 5000 };
	struct rig r;

	(void)state;
	rig_up(&r, 17, &c);
	for (unsigned i = 0; i < 7; i++) {
		uint8_t f[1000];
		size_t l = wire_frame(f, sizeof(f), i);
		struct verdict v = pass(&r, NB_IMPAIR_TO_FAR, f, &l);

		assert_int_equal(v.drop, 0);
		/* five frames fit the bucket; then 8000 bits at 1 Mb/s = 8 ms each */
		assert_int_equal(v.extra, i < 5 ? 0 : (uint64_t)(i - 4) * 8 * NB_NS_PER_MS);
	}
	rig_down(&r);
}

/* ---- corruption, duplication, MTU ------------------------------------------------------- */

static unsigned bits_differ(const uint8_t *a, const uint8_t *b, size_t len)
{
	unsigned n = 0;

	for (size_t i = 0; i < len; i++)
		n += (unsigned)__builtin_popcount((unsigned)(a[i] ^ b[i]));
	return n;
}

static void test_impair_corruption_makes_fcs_errors_in_exactly_the_corrupted_frames(void **state)
{
	struct nb_impair_dir_cfg c = { .corrupt = 0.05, .corrupt_bits = 3 };
	const unsigned n = 100000;
	unsigned bad_fcs = 0, by_bits[4] = { 0 }, in_fcs = 0;
	struct rig r;

	(void)state;
	rig_up(&r, 18, &c);
	for (unsigned i = 0; i < n; i++) {
		uint8_t f[128], orig[128];
		size_t len = wire_frame(f, 64 + i % 64, i);
		uint64_t before = nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR)->corrupted;
		bool counted, fcs_bad;
		unsigned flipped;

		memcpy(orig, f, len);
		assert_int_equal(pass(&r, NB_IMPAIR_TO_FAR, f, &len).drop, 0);
		counted = nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR)->corrupted != before;
		fcs_bad = nb_crc32_slice8(0, f, len) != NB_CRC32_RESIDUE;
		flipped = bits_differ(orig, f, len);
		assert_int_equal(counted, fcs_bad);
		assert_int_equal(counted, flipped != 0);
		assert_true(flipped <= 3);
		by_bits[flipped]++;
		in_fcs += counted && memcmp(orig + len - 4, f + len - 4, 4) != 0;
		bad_fcs += fcs_bad;
	}
	print_message("corrupt: configured 0.05, measured %.5f (+-%.5f); 1/2/3 bits %u/%u/%u; "
		      "FCS itself hit %u times\n", (double)bad_fcs / n, binom_tol(n, 0.05) / n,
		      by_bits[1], by_bits[2], by_bits[3], in_fcs);
	assert_true(fabs((double)bad_fcs - n * 0.05) <= binom_tol(n, 0.05));
	/* 1..3 bits, uniformly: each a third of the corrupted frames */
	for (int k = 1; k <= 3; k++)
		assert_true(fabs((double)by_bits[k] - bad_fcs / 3.0) <= binom_tol(bad_fcs, 1.0 / 3));
	assert_true(in_fcs > 0); /* the FCS bytes are part of what can be hit */
	rig_down(&r);
}

static void test_impair_duplicates_are_counted_and_arrive_twice(void **state)
{
	struct nb_impair_dir_cfg c = { .duplicate = 0.03 };
	const struct nb_impair_stats *s;
	static struct wire_rig r;

	(void)state;
	wire_rig_up(&r, 19, &c);
	send_numbered(&r, 50000, 20000, 64);
	s = nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR);
	print_message("duplicate: configured 0.03, measured %.5f (+-%.5f)\n",
		      (double)s->duplicated / 50000, binom_tol(50000, 0.03) / 50000);
	assert_int_equal(r.far.rx, 50000 + s->duplicated);
	assert_true(fabs((double)s->duplicated - 50000 * 0.03) <= binom_tol(50000, 0.03));
	assert_int_equal(r.far.early, 0); /* a copy follows its original */
	assert_int_equal(r.far.late, 0);
	wire_rig_down(&r);
}

static void test_impair_mtu_drops_frames_over_mtu_plus_header(void **state)
{
	struct nb_impair_dir_cfg c = { .mtu = 1500 };
	uint8_t f[1600];
	size_t len;
	struct rig r;

	(void)state;
	rig_up(&r, 20, &c);
	len = wire_frame(f, 1500 + 14 + 4, 1);
	assert_int_equal(pass(&r, NB_IMPAIR_TO_FAR, f, &len).drop, 0);
	len = wire_frame(f, 1500 + 14 + 4 + 1, 2);
	assert_int_equal(pass(&r, NB_IMPAIR_TO_FAR, f, &len).drop, 1);
	len = wire_frame(f, 1500 + 14 + 4 + 4, 3); /* an 802.1Q full-size frame */
	assert_int_equal(pass(&r, NB_IMPAIR_TO_FAR, f, &len).drop, 1);
	assert_int_equal(nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR)->mtu_dropped, 2);
	assert_int_equal(nb_impair_dropped(r.ip, NB_IMPAIR_TO_FAR), 2);
	rig_down(&r);
}

/* ---- determinism, independence, run-time changes, bad settings --------------------------- */

static uint64_t trace(uint64_t seed, const struct nb_impair_dir_cfg *c)
{
	uint64_t h = 0xCBF29CE484222325ull;
	struct rig r;

	rig_up(&r, seed, c);
	for (unsigned i = 0; i < 20000; i++) {
		uint8_t f[200];
		size_t len = wire_frame(f, 64 + i % 128, i);
		struct verdict v;

		nb_sim_advance_to(r.sim, (uint64_t)i * 50000);
		v = pass(&r, NB_IMPAIR_TO_FAR, f, &len);
		h = (h ^ (uint64_t)v.drop ^ (v.extra << 2) ^ ((uint64_t)v.dup << 1)) * 0x100000001B3ull;
		h = (h ^ nb_crc32_slice8(0, f, len)) * 0x100000001B3ull;
	}
	rig_down(&r);
	return h;
}

static const struct nb_impair_dir_cfg everything = {
	.loss = 0.05, .loss_burst = 3, .delay_ns = 1000000, .jitter_ns = 500000, .reorder = 0.1,
	.rate_bps = 50000000, .corrupt = 0.02, .corrupt_bits = 4, .duplicate = 0.02,
};

static void test_impair_same_seed_same_decisions(void **state)
{
	(void)state;
	assert_int_equal(trace(42, &everything), trace(42, &everything));
}

static void test_impair_different_seed_different_decisions(void **state)
{
	(void)state;
	assert_int_not_equal(trace(42, &everything), trace(43, &everything));
}

static void test_impair_concerns_draw_from_separate_streams(void **state)
{
	/* Adding corruption and jitter must not change which frames are lost. */
	struct nb_impair_dir_cfg a = { .loss = 0.1 }, b = { .loss = 0.1, .corrupt = 0.5,
							     .delay_ns = 1000, .jitter_ns = 1000 };
	struct rig ra, rb;

	(void)state;
	rig_up(&ra, 7, &a);
	rig_up(&rb, 7, &b);
	for (unsigned i = 0; i < 5000; i++) {
		uint8_t f[64];
		size_t la = wire_frame(f, 64, i), lb = la;

		assert_int_equal(pass(&ra, 0, f, &la).drop, pass(&rb, 0, f, &lb).drop);
	}
	rig_down(&ra);
	rig_down(&rb);
}

static void test_impair_set_replaces_one_direction_at_run_time(void **state)
{
	struct nb_impair_dir_cfg all = { .loss = 1.0 }, none = { 0 };
	uint8_t f[64];
	size_t len;
	struct rig r;

	(void)state;
	rig_up(&r, 21, NULL);
	len = wire_frame(f, 64, 1);
	assert_int_equal(pass(&r, NB_IMPAIR_TO_FAR, f, &len).drop, 0);
	assert_int_equal(nb_impair_set(r.ip, NB_IMPAIR_TO_FAR, &all), 0);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(pass(&r, NB_IMPAIR_TO_FAR, f, &len).drop, 1);
		assert_int_equal(pass(&r, NB_IMPAIR_TO_DEVICE, f, &len).drop, 0);
	}
	assert_int_equal(nb_impair_set(r.ip, NB_IMPAIR_TO_FAR, &none), 0);
	assert_int_equal(pass(&r, NB_IMPAIR_TO_FAR, f, &len).drop, 0);
	assert_int_equal(nb_impair_stats(r.ip, NB_IMPAIR_TO_FAR)->lost, 100);
	assert_int_equal(nb_impair_set(r.ip, 2, &none), -EINVAL);
	rig_down(&r);
}

static void test_impair_rejects_impossible_settings(void **state)
{
	static const struct nb_impair_dir_cfg bad[] = {
		{ .loss = 1.5 },
		{ .loss = -0.1 },
		{ .loss = NAN },
		{ .loss = 0.9, .loss_burst = 2 }, /* above b/(b+1) */
		{ .loss = 0.1, .loss_burst = 0.5 },
		{ .delay_ns = 10, .jitter_ns = 11 },
		{ .reorder = 0.1 },               /* no delay to skip */
		{ .corrupt = 0.1, .corrupt_bits = 17 },
		{ .duplicate = 2 },
		{ .rate_bps = 1000, .rate_queue = 5000 },
		{ .mtu = 10 },
	};
	struct nb_sim_cfg sc = { 0 };
	struct nb_sim *sim = nb_sim_new(&sc);
	struct nb_impair *ip = nb_impair_new(sim, NULL, NULL);

	(void)state;
	assert_non_null(ip);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nb_impair_dir_cfg two[2] = { bad[i] };

		assert_non_null(nb_impair_cfg_problem(&bad[i]));
		assert_int_equal(nb_impair_set(ip, 0, &bad[i]), -EINVAL);
		errno = 0;
		assert_null(nb_impair_new(sim, NULL, two));
		assert_int_equal(errno, EINVAL);
	}
	/* nothing changed by the refused settings */
	assert_true(nb_impair_get(ip, 0)->loss == 0.0);
	nb_impair_free(ip);
	nb_sim_free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_impair_loss_rate_within_binomial_tolerance),
		cmocka_unit_test(test_impair_burst_loss_rate_and_mean_burst_length),
		cmocka_unit_test(test_impair_independent_loss_has_no_bursts),
		cmocka_unit_test(test_impair_delay_jitter_bounds_and_mean),
		cmocka_unit_test(test_impair_jitter_without_reorder_keeps_order),
		cmocka_unit_test(test_impair_reorder_rate_gap_and_overtaking),
		cmocka_unit_test(test_impair_rate_limit_achieves_rate_and_drops_over_queue),
		cmocka_unit_test(test_impair_rate_limit_bucket_depth_lets_a_burst_through),
		cmocka_unit_test(test_impair_corruption_makes_fcs_errors_in_exactly_the_corrupted_frames),
		cmocka_unit_test(test_impair_duplicates_are_counted_and_arrive_twice),
		cmocka_unit_test(test_impair_mtu_drops_frames_over_mtu_plus_header),
		cmocka_unit_test(test_impair_same_seed_same_decisions),
		cmocka_unit_test(test_impair_different_seed_different_decisions),
		cmocka_unit_test(test_impair_concerns_draw_from_separate_streams),
		cmocka_unit_test(test_impair_set_replaces_one_direction_at_run_time),
		cmocka_unit_test(test_impair_rejects_impossible_settings),
	};

	return cmocka_run_group_tests_name("impair", tests, NULL, NULL);
}
