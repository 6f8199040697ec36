/* SPDX-License-Identifier: MIT */
/*
 * Fuzz the scenario parser: arbitrary bytes as a scenario file (written to a memfd and
 * loaded by path, as the program does) through nb_scenario_load().
 * Invariants besides "no crash, no leak, no sanitizer report":
 *  - a refused file has an error message in the "file:line:column: ..." form (or names the
 *    file when it could not be read);
 *  - an accepted file satisfies every rule the run relies on without checking again
 *    (src/run.c opens what the scenario says): a device type with a config, endpoint
 *    kinds in range, a pcap endpoint with a file, replay keys only with 'read', a rate in
 *    range, loop 0 only with a duration, a way to end the run, timeline entries within
 *    the duration and in range, and no virtual time with a TAP;
 *  - loading the same bytes again gives the same answer (no hidden state).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "src/replay.h"
#include "src/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *err)
{
	fprintf(stderr, "fuzz_scenario: %s (%s)\n", what, err);
	abort();
}

static void check_endpoint(const struct nb_scenario *s, const struct nb_endpoint_cfg *ep)
{
	const struct nb_pcap_cfg *p = &ep->pcap;

	if (ep->kind != NB_EP_NONE && ep->kind != NB_EP_TAP && ep->kind != NB_EP_PCAP)
		fail("endpoint kind out of range", "");
	if (ep->kind == NB_EP_TAP && (!ep->tap.name || !ep->tap.name[0]))
		fail("TAP without a name", "");
	if (ep->kind != NB_EP_PCAP)
		return;
	if (!p->read && !p->write)
		fail("pcap endpoint with neither read nor write", "");
	if (!p->read && (p->has_timing || p->has_loop))
		fail("replay keys without read", "");
	if (p->timing > NB_REPLAY_ABSOLUTE)
		fail("timing out of range", "");
	if (p->rate_milli > NB_REPLAY_MAX_RATE * 1000u)
		fail("rate out of range", "");
	if (p->has_loop && p->loop == 0 && !s->has_duration)
		fail("loop 0 without a duration", "");
}

static void check_accepted(const struct nb_scenario *s)
{
	bool source = (s->host.kind == NB_EP_PCAP && s->host.pcap.read) ||
		      (s->wire.far.kind == NB_EP_PCAP && s->wire.far.pcap.read);

	if (!s->dev_type || !s->dev_cfg)
		fail("accepted without a device type", "");
	check_endpoint(s, &s->host);
	check_endpoint(s, &s->wire.far);
	if (s->has_duration && s->duration == 0)
		fail("zero duration", "");
	if (!s->has_duration && !source && !nb_scenario_has_tap(s))
		fail("nothing ends the run", "");
	if (nb_scenario_has_tap(s) && s->time == NB_TIME_VIRTUAL)
		fail("virtual time with a TAP", "");
	if (s->n_events > NB_SCENARIO_MAX_EVENTS)
		fail("too many events", "");
	for (unsigned i = 0; i < s->n_events; i++)
		if (s->has_duration && s->timeline[i].at > s->duration)
			fail("event after the end", "");
	if (s->expect.all_delivered && !source)
		fail("all_delivered without a source", "");
}

static int load(int fd, struct nb_scenario *s, char *path, size_t len)
{
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return nb_scenario_load(s, path, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nb_scenario s1, s2; /* large (timeline array): not on the stack */
	char path[64], where[80];
	int fd = memfd_create("scenario", MFD_CLOEXEC);
	int r1, r2;

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	r1 = load(fd, &s1, path, sizeof(path));
	if (r1 < 0) {
		snprintf(where, sizeof(where), "%s:", path);
		if (!s1.conf.err[0] || strncmp(s1.conf.err, where, strlen(where)))
			fail("refused without a positioned message", s1.conf.err);
	} else {
		check_accepted(&s1);
	}
	r2 = load(fd, &s2, path, sizeof(path));
	if (r1 != r2 || strcmp(s1.conf.err, s2.conf.err))
		fail("a second load gave another answer", s2.conf.err);
	nb_scenario_free(&s1);
	nb_scenario_free(&s2);
	close(fd);
	return 0;
}
