/* SPDX-License-Identifier: MIT */
/*
 * pcap endpoint (libpcap): frames to send come from a capture file (pcap or pcapng,
 * Ethernet link type), replayed on a schedule (src/replay.h) for as many passes as asked;
 * frames received go to a pcap file with nanosecond time stamps taken from the simulation
 * clock, so a virtual-time run writes the same bytes every time.
 *
 * libpcap parses the file; what it refuses is reported with the 1-based number of the
 * record it was reading (Wireshark's frame number). A frame the path cannot carry is
 * skipped and counted (next_tx() answers a negative errno, which the run counts as an
 * unreadable frame and fails on); a file libpcap cannot read on ends the source there.
 */
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/bus/clock.h"
#include "drivers/netdev/netdev.h"
#include "src/endpoint.h"
#include "src/log.h"
#include "src/replay.h"

struct pcap_port {
	struct nb_endpoint ep;
	pcap_t *in;
	pcap_t *dead;
	pcap_dumper_t *out;
	uint64_t (*now)(void *ctx);
	void *now_ctx;
	const struct nb_logger *log;
	struct nb_replay sched;
	uint32_t passes;   /* 0: until the run ends */
	uint32_t pass;     /* 1-based */
	uint64_t index;    /* 1-based number of the record last read in this pass */
	bool have;         /* a record is read ahead: hdr/data (libpcap's until the next read) */
	int bad;           /* ... and it cannot be sent: the negative errno next_tx() answers */
	struct pcap_pkthdr *hdr;
	const u_char *data;
	uint64_t due;
	uint16_t max_frame;
	uint64_t skipped, read_errors, written;
	char read_path[256], write_path[256];
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static struct pcap_port *pcap_of(struct nb_endpoint *ep)
{
	return (struct pcap_port *)ep;
}

static const struct pcap_port *pcap_of_const(const struct nb_endpoint *ep)
{
	return (const struct pcap_port *)ep;
}

static int pcap_deliver(struct nb_endpoint *ep, const uint8_t *frame, size_t len)
{
	struct pcap_port *p = pcap_of(ep);
	struct pcap_pkthdr h;
	uint64_t t;

	if (!p->out)
		return 0;
	t = p->now(p->now_ctx);
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(t / 1000000000u);
	/* The dumper was opened with nanosecond precision: this field holds ns. */
	h.ts.tv_usec = (suseconds_t)(t % 1000000000u);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)p->out, &h, frame);
	p->written++;
	return 0;
}

static uint64_t stamp_ns(const struct pcap_pkthdr *h)
{
	if (h->ts.tv_sec < 0)
		return 0;
	/* Opened with nanosecond precision: tv_usec holds ns. */
	return (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
}

static int open_input(struct pcap_port *p, char *err, size_t len)
{
	char errbuf[PCAP_ERRBUF_SIZE];

	p->in = pcap_open_offline_with_tstamp_precision(p->read_path, PCAP_TSTAMP_PRECISION_NANO,
							errbuf);
	if (!p->in) {
		/* libpcap names the file itself only for system errors ("x: No such file"). */
		if (strstr(errbuf, p->read_path))
			snprintf(err, len, "pcap: %s", errbuf);
		else
			snprintf(err, len, "pcap: %s: file header: %s", p->read_path, errbuf);
		return -EINVAL;
	}
	if (pcap_datalink(p->in) != DLT_EN10MB) {
		int dlt = pcap_datalink(p->in);

		snprintf(err, len, "pcap: %s: file header: link type %s (%s), expected Ethernet "
			 "(EN10MB)", p->read_path, pcap_datalink_val_to_name(dlt) ?: "?",
			 pcap_datalink_val_to_description(dlt) ?: "unknown");
		return -EINVAL;
	}
	return 0;
}

/* A record the path cannot carry is logged here, once, and skipped by next_tx(). */
static int check_frame(struct pcap_port *p)
{
	const struct pcap_pkthdr *h = p->hdr;

	if (h->caplen < h->len) {
		nb_logf(p->log, NB_LOG_ERR, "pcap",
			"%s: packet %" PRIu64 ": only %u of the frame's %u bytes are in the file "
			"(snaplen %d): skipped", p->read_path, p->index, h->caplen, h->len,
			pcap_snapshot(p->in));
		return -EBADMSG;
	}
	if (h->caplen > p->max_frame) {
		nb_logf(p->log, NB_LOG_ERR, "pcap",
			"%s: packet %" PRIu64 ": %u-byte frame, longer than the %u bytes the path "
			"carries: skipped", p->read_path, p->index, h->caplen, p->max_frame);
		return -EMSGSIZE;
	}
	if (h->caplen < NB_ETH_HLEN) {
		nb_logf(p->log, NB_LOG_ERR, "pcap",
			"%s: packet %" PRIu64 ": %u-byte frame, shorter than an Ethernet header "
			"(%u bytes): skipped", p->read_path, p->index, h->caplen, NB_ETH_HLEN);
		return -EINVAL;
	}
	return 0;
}

static bool next_pass(struct pcap_port *p)
{
	char err[PCAP_ERRBUF_SIZE + 300];

	if (p->passes && p->pass >= p->passes)
		return false;
	if (p->index == 0)
		return false; /* an empty file gives nothing however often it is read */
	pcap_close(p->in);
	p->in = NULL;
	if (open_input(p, err, sizeof(err)) < 0) {
		nb_logf(p->log, NB_LOG_ERR, "pcap", "pass %u: %s", p->pass + 1, err);
		p->read_errors++;
		return false;
	}
	p->pass++;
	p->index = 0;
	nb_replay_next_pass(&p->sched);
	return true;
}

/* Read the next record into hdr/data. @return true when one is there (possibly bad). */
static bool read_ahead(struct pcap_port *p)
{
	while (!p->have && p->in && !p->ep.exhausted) {
		int r = pcap_next_ex(p->in, &p->hdr, &p->data);

		if (r == 1) {
			p->index++;
			p->have = true;
			p->due = nb_replay_due(&p->sched, stamp_ns(p->hdr), p->now(p->now_ctx));
			p->bad = check_frame(p);
			break;
		}
		if (r == PCAP_ERROR_BREAK) {
			if (!next_pass(p))
				p->ep.exhausted = true;
			continue;
		}
		/* libpcap cannot go on past a damaged record: the source ends here. */
		nb_logf(p->log, NB_LOG_ERR, "pcap", "%s: packet %" PRIu64 ": %s; the rest of the "
			"file is not replayed", p->read_path, p->index + 1, pcap_geterr(p->in));
		p->read_errors++;
		p->have = true;
		p->bad = -EIO;
		p->ep.exhausted = true;
	}
	return p->have;
}

static int pcap_next_tx(struct nb_endpoint *ep, uint8_t *buf, size_t cap)
{
	struct pcap_port *p = pcap_of(ep);
	uint64_t now = p->now(p->now_ctx);
	int ret;

	if (!read_ahead(p))
		return 0;
	if (p->bad) {
		ret = p->bad;
		p->have = false;
		p->bad = 0;
		p->skipped += ret != -EIO;
		return ret;
	}
	if (nb_replay_paced(&p->sched) && now < p->due)
		return 0;
	if (p->hdr->caplen > cap) {
		p->have = false;
		p->skipped++;
		nb_logf(p->log, NB_LOG_ERR, "pcap",
			"%s: packet %" PRIu64 ": %u-byte frame, longer than the %zu bytes the path "
			"carries: skipped", p->read_path, p->index, p->hdr->caplen, cap);
		return -EMSGSIZE;
	}
	memcpy(buf, p->data, p->hdr->caplen);
	p->have = false;
	nb_replay_taken(&p->sched, p->due, now);
	return (int)p->hdr->caplen;
}

static bool pcap_tx_pending(struct nb_endpoint *ep)
{
	struct pcap_port *p = pcap_of(ep);

	if (!read_ahead(p))
		return false;
	return p->bad || !nb_replay_paced(&p->sched) || p->now(p->now_ctx) >= p->due;
}

static uint64_t pcap_deadline(struct nb_endpoint *ep)
{
	struct pcap_port *p = pcap_of(ep);

	if (!nb_replay_paced(&p->sched) || !read_ahead(p))
		return NB_DEADLINE_NONE;
	return p->bad ? 0 : p->due;
}

static void pcap_status(struct nb_endpoint *ep, struct nb_json *j)
{
	struct pcap_port *p = pcap_of(ep);

	nb_json_str(j, "read", p->in ? p->read_path : NULL);
	nb_json_str(j, "write", p->out ? p->write_path : NULL);
	nb_json_u64(j, "skipped", p->skipped);
	nb_json_u64(j, "read_errors", p->read_errors);
	if (p->in) {
		nb_json_u64(j, "pass", p->pass);
		nb_json_u64(j, "passes", p->passes);
		nb_replay_status(&p->sched, j);
	}
}

static void pcap_summary(const struct nb_endpoint *ep, FILE *f)
{
	const struct pcap_port *p = pcap_of_const(ep);
	const struct nb_replay *s = &p->sched;

	if (!p->in)
		return;
	fprintf(f, "; replay %s", nb_replay_timing_name(s->timing));
	if (s->timing == NB_REPLAY_RECORDED && s->rate_milli != 1000)
		fprintf(f, " x%g", s->rate_milli / 1000.0);
	if (p->passes > 1)
		fprintf(f, ", pass %u of %u", p->pass, p->passes);
	else if (!p->passes)
		fprintf(f, ", pass %u (looping)", p->pass);
	if (nb_replay_paced(s))
		fprintf(f, ", %" PRIu64 " late, lag max %.1f us mean %.1f us", s->late,
			(double)s->lag_max / 1e3,
			s->frames ? (double)s->lag_sum / (double)s->frames / 1e3 : 0.0);
	if (p->skipped || p->read_errors)
		fprintf(f, ", %" PRIu64 " skipped, %" PRIu64 " read errors", p->skipped,
			p->read_errors);
}

static int pcap_flush(struct nb_endpoint *ep)
{
	struct pcap_port *p = pcap_of(ep);

	if (!p->out)
		return 0;
	return pcap_dump_flush(p->out) == 0 && !ferror(pcap_dump_file(p->out)) ? 0 : -EIO;
}

static void pcap_free(struct nb_endpoint *ep)
{
	struct pcap_port *p = pcap_of(ep);

	if (p->out)
		pcap_dump_close(p->out);
	if (p->dead)
		pcap_close(p->dead);
	if (p->in)
		pcap_close(p->in);
	free(p);
}

static const struct nb_endpoint_ops pcap_ops = {
	.deliver = pcap_deliver,
	.next_tx = pcap_next_tx,
	.tx_pending = pcap_tx_pending,
	.deadline = pcap_deadline,
	.status = pcap_status,
	.summary = pcap_summary,
	.flush = pcap_flush,
	.free = pcap_free,
};

struct nb_endpoint *nb_port_pcap_open(const struct nb_pcap_cfg *cfg,
				      const struct nb_endpoint_env *env, char *err, size_t len)
{
	struct pcap_port *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	p->ep.ops = &pcap_ops;
	p->ep.kind_name = "pcap";
	p->now = env->now;
	p->now_ctx = env->now_ctx;
	p->log = env->log;
	p->max_frame = env->max_frame;
	p->passes = cfg->has_loop ? cfg->loop : 1;
	p->pass = 1;
	nb_replay_init(&p->sched, cfg->timing, cfg->rate_milli);
	snprintf(p->ep.label, sizeof(p->ep.label), "pcap");
	if (cfg->read) {
		snprintf(p->read_path, sizeof(p->read_path), "%s", cfg->read);
		if (open_input(p, err, len) < 0)
			goto err_free;
		p->ep.finite = true;
	}
	if (cfg->write) {
		snprintf(p->write_path, sizeof(p->write_path), "%s", cfg->write);
		p->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535,
							       PCAP_TSTAMP_PRECISION_NANO);
		if (!p->dead) {
			snprintf(err, len, "pcap: out of memory");
			goto err_free;
		}
		p->out = pcap_dump_open(p->dead, cfg->write);
		if (!p->out) {
			snprintf(err, len, "pcap: %s", pcap_geterr(p->dead));
			goto err_free;
		}
	}
	snprintf(p->ep.label, sizeof(p->ep.label), "pcap%s%.26s%s%.26s", cfg->read ? " < " : "",
		 cfg->read ? base_name(cfg->read) : "", cfg->write ? " > " : "",
		 cfg->write ? base_name(cfg->write) : "");
	return &p->ep;
err_free:
	pcap_free(&p->ep);
	return NULL;
}
