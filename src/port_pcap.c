/* SPDX-License-Identifier: MIT */
/*
 * pcap endpoint (libpcap): frames to send come from a capture file (pcap or pcapng,
 * Ethernet link type), frames received go to a pcap file with nanosecond time stamps taken
 * from the simulation clock, so a virtual-time run writes the same bytes every time.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "src/endpoint.h"
#include "src/log.h"

struct pcap_port {
	struct nb_endpoint ep;
	pcap_t *in;
	pcap_t *dead;
	pcap_dumper_t *out;
	uint64_t (*now)(void *ctx);
	void *now_ctx;
	const struct nb_logger *log;
	uint64_t truncated, read_errors, written;
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

static int pcap_next_tx(struct nb_endpoint *ep, uint8_t *buf, size_t cap)
{
	struct pcap_port *p = pcap_of(ep);

	while (p->in && !ep->exhausted) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int r = pcap_next_ex(p->in, &h, &data);

		if (r == PCAP_ERROR_BREAK) {
			ep->exhausted = true;
			break;
		}
		if (r != 1) {
			/* A damaged file ends the source; the error is counted and logged. */
			nb_logf(p->log, NB_LOG_ERR, "pcap", "%s: %s", p->read_path,
				pcap_geterr(p->in));
			p->read_errors++;
			ep->exhausted = true;
			return -EIO;
		}
		if (h->caplen < h->len) {
			/* Sending a cut frame would put different bytes on the wire than were
			 * captured; skip it and say so. */
			p->truncated++;
			nb_logf(p->log, NB_LOG_WARN, "pcap",
				"%s: skipping a frame captured with %u of %u bytes", p->read_path,
				h->caplen, h->len);
			continue;
		}
		if (h->caplen > cap)
			return -EMSGSIZE;
		memcpy(buf, data, h->caplen);
		return (int)h->caplen;
	}
	return 0;
}

static bool pcap_tx_pending(struct nb_endpoint *ep)
{
	return pcap_of(ep)->in && !ep->exhausted;
}

static void pcap_status(struct nb_endpoint *ep, struct nb_json *j)
{
	struct pcap_port *p = pcap_of(ep);

	nb_json_str(j, "read", p->in ? p->read_path : NULL);
	nb_json_str(j, "write", p->out ? p->write_path : NULL);
	nb_json_u64(j, "truncated_skipped", p->truncated);
	nb_json_u64(j, "read_errors", p->read_errors);
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
	.status = pcap_status,
	.flush = pcap_flush,
	.free = pcap_free,
};

struct nb_endpoint *nb_port_pcap_open(const struct nb_pcap_cfg *cfg,
				      const struct nb_endpoint_env *env, char *err, size_t len)
{
	char errbuf[PCAP_ERRBUF_SIZE];
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
	snprintf(p->ep.label, sizeof(p->ep.label), "pcap");
	if (cfg->read) {
		snprintf(p->read_path, sizeof(p->read_path), "%s", cfg->read);
		p->in = pcap_open_offline_with_tstamp_precision(cfg->read,
								PCAP_TSTAMP_PRECISION_NANO, errbuf);
		if (!p->in) {
			snprintf(err, len, "pcap: %s", errbuf);
			goto err_free;
		}
		if (pcap_datalink(p->in) != DLT_EN10MB) {
			snprintf(err, len, "pcap: %s: link type %s, expected Ethernet (EN10MB)",
				 cfg->read, pcap_datalink_val_to_name(pcap_datalink(p->in)));
			goto err_free;
		}
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

