/* SPDX-License-Identifier: MIT */
/* BPF filters of `frames:` assertions, compiled and run by libpcap: the expressions are
 * tcpdump's and Wireshark's capture filters, so users write what they already know. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/assert.h"

struct nb_bpf {
	struct bpf_program prog;
};

struct nb_bpf *nb_bpf_compile(const char *expr, char *err, size_t len)
{
	/* Large enough for any Ethernet frame the run carries (VLAN tag included). */
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	struct nb_bpf *b;

	if (!dead) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(err, len, "out of memory");
		pcap_close(dead);
		return NULL;
	}
	if (pcap_compile(dead, &b->prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, len, "%s", pcap_geterr(dead));
		free(b);
		pcap_close(dead);
		return NULL;
	}
	pcap_close(dead);
	return b;
}

bool nb_bpf_match(const struct nb_bpf *b, const uint8_t *frame, size_t len)
{
	struct pcap_pkthdr h = { .caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len };

	return pcap_offline_filter(&b->prog, &h, frame) != 0;
}

void nb_bpf_free(struct nb_bpf *b)
{
	if (!b)
		return;
	pcap_freecode(&b->prog);
	free(b);
}
