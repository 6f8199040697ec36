/* SPDX-License-Identifier: MIT */
#include "src/replay.h"

#include <string.h>

#include "drivers/bus/clock.h"
#include "src/endpoint.h"

/* Due times are capped here: ~292 years, far from NB_DEADLINE_NONE. */
#define FAR_FUTURE (UINT64_MAX / 2)

void nb_replay_init(struct nb_replay *rp, uint32_t timing, uint32_t rate_milli)
{
	memset(rp, 0, sizeof(*rp));
	rp->timing = timing;
	rp->rate_milli = rate_milli ? rate_milli : 1000u;
}

bool nb_replay_paced(const struct nb_replay *rp)
{
	return rp->timing != NB_REPLAY_ASAP;
}

void nb_replay_next_pass(struct nb_replay *rp)
{
	rp->anchored = false;
	rp->pass++;
}

uint64_t nb_replay_due(struct nb_replay *rp, uint64_t ts_ns, uint64_t now)
{
	uint64_t due, off;
	unsigned __int128 scaled;

	if (!nb_replay_paced(rp))
		return 0;
	if (!rp->anchored) {
		rp->anchored = true;
		rp->ts_first = ts_ns;
		/* The first pass of a recorded replay starts when the source may first send; later
		 * passes (and an absolute one) continue from the end of the previous pass. */
		if (rp->pass)
			rp->origin = rp->last_due;
		else
			rp->origin = rp->timing == NB_REPLAY_ABSOLUTE ? 0 : now;
	}
	if (rp->timing == NB_REPLAY_ABSOLUTE) {
		off = ts_ns;
	} else {
		off = ts_ns > rp->ts_first ? ts_ns - rp->ts_first : 0;
		/* Integer arithmetic: the same file and rate give the same schedule everywhere. */
		scaled = (unsigned __int128)off * 1000u / rp->rate_milli;
		off = scaled > FAR_FUTURE ? FAR_FUTURE : (uint64_t)scaled;
	}
	/* Absurd time stamps (centuries ahead) must not reach NB_DEADLINE_NONE, which would
	 * leave a frame that is neither due nor ever due. */
	due = off > FAR_FUTURE || rp->origin > FAR_FUTURE - off ? FAR_FUTURE : rp->origin + off;
	if (due < rp->last_due)
		due = rp->last_due;
	rp->last_due = due;
	return due;
}

void nb_replay_taken(struct nb_replay *rp, uint64_t due, uint64_t now)
{
	uint64_t lag = now > due ? now - due : 0;

	if (!nb_replay_paced(rp))
		return;
	rp->frames++;
	rp->lag_sum += lag;
	if (lag > rp->lag_max)
		rp->lag_max = lag;
	if (lag > NB_REPLAY_LATE_NS)
		rp->late++;
}

const char *nb_replay_timing_name(uint32_t timing)
{
	switch (timing) {
	case NB_REPLAY_ASAP:
		return "asap";
	case NB_REPLAY_RECORDED:
		return "recorded";
	case NB_REPLAY_ABSOLUTE:
		return "absolute";
	default:
		return "?";
	}
}

void nb_replay_status(const struct nb_replay *rp, struct nb_json *j)
{
	nb_json_str(j, "timing", nb_replay_timing_name(rp->timing));
	if (rp->timing == NB_REPLAY_RECORDED)
		nb_json_double(j, "rate", rp->rate_milli / 1000.0);
	if (!nb_replay_paced(rp))
		return;
	nb_json_u64(j, "late_frames", rp->late);
	nb_json_u64(j, "lag_max_ns", rp->lag_max);
	nb_json_u64(j, "lag_mean_ns", rp->frames ? rp->lag_sum / rp->frames : 0);
}

/* ---- `timing:` in a scenario ------------------------------------------------------------ */

/* "10", "2.5", "0.125": a decimal with at most three fractional digits, as thousandths. */
static int parse_rate(const char *s, uint32_t *milli)
{
	uint64_t v = 0;
	unsigned frac_digits = 0;
	bool dot = false, digits = false;

	for (const char *p = s; *p; p++) {
		if (*p == '.' && !dot) {
			dot = true;
			continue;
		}
		if (*p < '0' || *p > '9' || (dot && ++frac_digits > 3))
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		digits = true;
		if (v > (uint64_t)NB_REPLAY_MAX_RATE * 1000u)
			return -1;
	}
	if (!digits)
		return -1;
	while (frac_digits++ < 3)
		v *= 10;
	if (v < 1 || v > (uint64_t)NB_REPLAY_MAX_RATE * 1000u)
		return -1;
	*milli = (uint32_t)v;
	return 0;
}

static const struct nb_conf_name timing_names[] = {
	{ "asap", NB_REPLAY_ASAP },
	{ "recorded", NB_REPLAY_RECORDED },
	{ "absolute", NB_REPLAY_ABSOLUTE },
	{ NULL, 0 },
};

int nb_replay_parse_timing(struct nb_conf *c, yaml_node_t *node, void *base,
			   const struct nb_field *f)
{
	struct nb_pcap_cfg *cfg = base;
	yaml_node_t *rate;

	(void)f;
	if (node->type == YAML_SCALAR_NODE) {
		for (const struct nb_conf_name *n = timing_names; n->name; n++) {
			if (!strcmp((const char *)node->data.scalar.value, n->name)) {
				cfg->timing = n->value;
				return 0;
			}
		}
		return nb_conf_error(c, node, "expected 'timing' to be asap, recorded, absolute "
				     "or {rate: N}, got '%s'", (const char *)node->data.scalar.value);
	}
	if (node->type != YAML_MAPPING_NODE ||
	    node->data.mapping.pairs.top - node->data.mapping.pairs.start != 1 ||
	    !(rate = nb_conf_find(c, node, "rate")))
		return nb_conf_error(c, node, "expected 'timing' to be asap, recorded, absolute or "
				     "{rate: N}");
	if (rate->type != YAML_SCALAR_NODE ||
	    parse_rate((const char *)rate->data.scalar.value, &cfg->rate_milli) < 0)
		return nb_conf_error(c, rate, "expected 'rate' to be a speed-up factor 0.001.."
				     "%u (the recorded gaps are divided by it), e.g. 10 or 0.5",
				     NB_REPLAY_MAX_RATE);
	cfg->timing = NB_REPLAY_RECORDED;
	return 0;
}
