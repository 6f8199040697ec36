/* SPDX-License-Identifier: MIT */
/* Unit tests of src/assert*.c: dotted names over the report, content matching, BPF filters
 * and the `assert:` schema through nb_scenario_load(). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "src/assert.h"
#include "src/scenario.h"

static const char report[] =
	"{\"scenario\":\"a \\\"b\\\".yml\",\"seed\":7,\"time\":{\"mode\":\"virtual\",\"sim_ns\":"
	"5000},\"device\":{\"link\":{\"up\":true,\"full_duplex\":false},\"drops\":{\"rx_fcs\":3,"
	"\"rx_runt\":0},\"driver_error\":-110},\"checks\":[{\"name\":\"x\",\"line\":4}],"
	"\"wall\":{\"elapsed_ns\":12}}";

static void test_assert_lookup_dotted_names(void **state)
{
	uint64_t v = 99;

	(void)state;
	assert_int_equal(nb_report_lookup(report, "device.drops.rx_fcs", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(nb_report_lookup(report, "device.drops.rx_runt", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(nb_report_lookup(report, "device.link.up", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(nb_report_lookup(report, "device.link.full_duplex", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(nb_report_lookup(report, "seed", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(nb_report_lookup(report, "wall.elapsed_ns", &v), 0);
	assert_int_equal(v, 12);
	/* strings, objects, negative numbers and array members are no counters */
	assert_int_equal(nb_report_lookup(report, "scenario", &v), -ENOENT);
	assert_int_equal(nb_report_lookup(report, "device.drops", &v), -ENOENT);
	assert_int_equal(nb_report_lookup(report, "device.driver_error", &v), -ENOENT);
	assert_int_equal(nb_report_lookup(report, "checks.line", &v), -ENOENT);
	assert_int_equal(nb_report_lookup(report, "device.drops.rx_fc", &v), -ENOENT);
}

static void test_assert_names_lists_every_counter(void **state)
{
	char buf[512];

	(void)state;
	nb_report_names(report, buf, sizeof(buf));
	assert_string_equal(buf, "seed, time.sim_ns, device.link.up, device.link.full_duplex, "
				 "device.drops.rx_fcs, device.drops.rx_runt, wall.elapsed_ns");
}

static void frame(uint8_t *f, size_t len, uint8_t tag)
{
	memset(f, 0, len);
	memset(f, 0xff, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	f[20] = tag;
}

static void test_assert_match_pairs_first_in_first_out(void **state)
{
	struct nb_match *m = nb_match_new();
	uint8_t a[100], b[100], padded[60];
	uint64_t lat = 0;

	(void)state;
	assert_non_null(m);
	frame(a, sizeof(a), 1);
	frame(b, sizeof(b), 2);
	nb_match_from(m, 100, a, sizeof(a));
	nb_match_from(m, 150, b, sizeof(b));
	nb_match_from(m, 200, a, sizeof(a)); /* the same bytes again */
	assert_true(nb_match_to(m, 1000, a, sizeof(a), &lat));
	assert_int_equal(lat, 900);
	assert_true(nb_match_to(m, 1000, a, sizeof(a), &lat));
	assert_int_equal(lat, 800);
	assert_false(nb_match_to(m, 1000, a, sizeof(a), &lat));
	assert_true(nb_match_to(m, 1010, b, sizeof(b), &lat));
	assert_int_equal(lat, 860);
	/* a 42-byte frame arrives padded to 60 with zeros: still the same frame */
	frame(padded, sizeof(padded), 3);
	nb_match_from(m, 5, padded, 42);
	assert_true(nb_match_to(m, 25, padded, sizeof(padded), &lat));
	assert_int_equal(lat, 20);
	/* a different byte is a different frame */
	nb_match_from(m, 5, a, sizeof(a));
	a[50] ^= 1;
	assert_false(nb_match_to(m, 30, a, sizeof(a), &lat));
	nb_match_free(m);
}

static void test_assert_bpf_filters_frames(void **state)
{
	/* Ethernet + IPv4 + ICMP echo request */
	static const uint8_t icmp[] = {
		0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00,
		0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		8, 0, 0, 0, 0, 1, 0, 1,
	};
	uint8_t arp[60];
	char err[256] = "";
	struct nb_bpf *b = nb_bpf_compile("icmp[icmptype] == icmp-echo", err, sizeof(err));

	(void)state;
	assert_non_null(b);
	frame(arp, sizeof(arp), 0);
	assert_true(nb_bpf_match(b, icmp, sizeof(icmp)));
	assert_false(nb_bpf_match(b, arp, sizeof(arp)));
	nb_bpf_free(b);
	b = nb_bpf_compile("arp", err, sizeof(err));
	assert_true(nb_bpf_match(b, arp, sizeof(arp)));
	nb_bpf_free(b);
	assert_null(nb_bpf_compile("icmp and", err, sizeof(err)));
	assert_string_equal(err, "can't parse filter expression: syntax error");
	nb_bpf_free(NULL);
}

static int load(struct nb_scenario *s, const char *body, char *path)
{
	int fd;

	strcpy(path, "/tmp/test_assert_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, body, strlen(body)), (ssize_t)strlen(body));
	close(fd);
	return nb_scenario_load(s, path, NULL);
}

#define HEAD "duration: 2s\ndevice: {type: ideal}\nhost: none\n"

static void test_assert_parse_each_kind(void **state)
{
	struct nb_scenario *s = calloc(1, sizeof(*s));
	char path[64];
	const struct nb_assert_cfg *a;

	(void)state;
	assert_int_equal(load(s, HEAD "assert:\n"
			      "  - {counter: device.drops.rx_fcs, eq: 0}\n"
			      "  - {frames: far.rx, filter: arp, min: 1, max: 4}\n"
			      "  - {latency: {from: far.tx, to: host.rx}, max: 2ms, percentile: 99}\n"
			      "  - {link: down, at: 1500ms}\n", path), 0);
	assert_int_equal(s->asserts.n, 4);
	a = s->asserts.items;
	assert_int_equal(a[0].kind, NB_ASSERT_COUNTER);
	assert_string_equal(a[0].counter, "device.drops.rx_fcs");
	assert_true(a[0].has_eq && !a[0].has_min && !a[0].has_max);
	assert_int_equal(a[0].line, 5);
	assert_int_equal(a[1].kind, NB_ASSERT_FRAMES);
	assert_non_null(a[1].bpf);
	assert_int_equal(a[1].min, 1);
	assert_int_equal(a[1].max, 4);
	assert_int_equal(a[2].kind, NB_ASSERT_LATENCY);
	assert_string_equal(a[2].from, "far.tx");
	assert_string_equal(a[2].to, "host.rx");
	assert_int_equal(a[2].max, 2000000);
	assert_int_equal(a[2].percentile, 99);
	assert_int_equal(a[3].kind, NB_ASSERT_LINK);
	assert_int_equal(a[3].link, NB_LINK_DOWN);
	assert_int_equal(a[3].at, 1500000000);
	nb_scenario_free(s);
	unlink(path);
	free(s);
}

static void expect_error(const char *body, const char *msg)
{
	struct nb_scenario *s = calloc(1, sizeof(*s));
	char path[64], want[512];

	assert_int_equal(load(s, body, path), -EINVAL);
	snprintf(want, sizeof(want), "%s:%s", path, msg);
	assert_string_equal(s->conf.err, want);
	nb_scenario_free(s);
	unlink(path);
	free(s);
}

static void test_assert_parse_errors_name_the_position(void **state)
{
	(void)state;
	expect_error(HEAD "assert:\n  - {counter: x, eq: 1, min: 0}\n",
		     "5:22: expected either 'eq' or 'min'/'max', not both");
	expect_error(HEAD "assert:\n  - {frames: host.rx, min: 5, max: 4}\n",
		     "5:28: expected 'min' not above 'max'");
	expect_error(HEAD "assert:\n  - {link: up}\n", "5:5: missing required key 'at' in an "
		     "assertion");
	expect_error(HEAD "assert:\n  - {link: up, at: 1s, frames: host.rx}\n",
		     "5:5: expected exactly one of counter, frames, latency, link in an assertion");
	expect_error(HEAD "assert:\n  - {latency: {from: host.tx, to: host.tx}, max: 1ms}\n",
		     "5:35: expected 'to' to be another point than 'from'");
	expect_error(HEAD "assert:\n  - {latency: {from: host.tx, to: far.rx}, max: 1ms, "
		     "percentile: 0}\n",
		     "5:66: expected an integer 1..100 for 'percentile', got '0'");
	expect_error(HEAD "assert:\n  - {frames: host.rx, min: 1, colour: red}\n",
		     "5:31: unknown key 'colour' in an assertion (expected one of: frames, filter, "
		     "eq, min, max)");
	expect_error(HEAD "assert: {counter: x}\n", "4:9: expected a list of assertions for "
		     "'assert'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assert_lookup_dotted_names),
		cmocka_unit_test(test_assert_names_lists_every_counter),
		cmocka_unit_test(test_assert_match_pairs_first_in_first_out),
		cmocka_unit_test(test_assert_bpf_filters_frames),
		cmocka_unit_test(test_assert_parse_each_kind),
		cmocka_unit_test(test_assert_parse_errors_name_the_position),
	};

	return cmocka_run_group_tests_name("assert", tests, NULL, NULL);
}
