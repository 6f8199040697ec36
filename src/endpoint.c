/* SPDX-License-Identifier: MIT */
#include "src/endpoint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/bus/clock.h"
#include "drivers/netdev/netdev.h"
#include "src/replay.h"

#define FNV_OFFSET 0xCBF29CE484222325ull
#define FNV_PRIME 0x100000001B3ull

static const struct nb_field tap_fields[] = {
	{ .key = "name", .kind = NB_FIELD_STRING, .offset = offsetof(struct nb_tap_cfg, name),
	  .required = true, .max = 15, .what = "an interface name" },
	{ .key = "netns", .kind = NB_FIELD_STRING, .offset = offsetof(struct nb_tap_cfg, netns),
	  .max = 200, .what = "a network namespace name" },
	{ .key = "address", .kind = NB_FIELD_IPV4_PREFIX,
	  .offset = offsetof(struct nb_tap_cfg, address), .has_present = true,
	  .present_offset = offsetof(struct nb_tap_cfg, has_address) },
	{ .key = "mac", .kind = NB_FIELD_MAC, .offset = offsetof(struct nb_tap_cfg, mac), .min = 1,
	  .has_present = true, .present_offset = offsetof(struct nb_tap_cfg, has_mac) },
	{ .key = "mtu", .kind = NB_FIELD_UINT, .offset = offsetof(struct nb_tap_cfg, mtu),
	  .size = sizeof(uint32_t), .min = 68, .max = 9000 },
	{ .key = "record", .kind = NB_FIELD_STRING, .offset = offsetof(struct nb_tap_cfg, record),
	  .what = "a file name" },
	{ 0 },
};

static const struct nb_field pcap_fields[] = {
	{ .key = "read", .kind = NB_FIELD_STRING, .offset = offsetof(struct nb_pcap_cfg, read),
	  .what = "a file name" },
	{ .key = "write", .kind = NB_FIELD_STRING, .offset = offsetof(struct nb_pcap_cfg, write),
	  .what = "a file name" },
	{ .key = "timing", .kind = NB_FIELD_CUSTOM, .parse = nb_replay_parse_timing,
	  .has_present = true, .present_offset = offsetof(struct nb_pcap_cfg, has_timing) },
	{ .key = "loop", .kind = NB_FIELD_UINT, .offset = offsetof(struct nb_pcap_cfg, loop),
	  .size = sizeof(uint32_t), .max = UINT32_MAX, .has_present = true,
	  .present_offset = offsetof(struct nb_pcap_cfg, has_loop) },
	{ 0 },
};

const struct nb_conf_choice nb_endpoint_choices[] = {
	{ .name = "tap", .value = NB_EP_TAP, .fields = tap_fields,
	  .offset = offsetof(struct nb_endpoint_cfg, tap) },
	{ .name = "pcap", .value = NB_EP_PCAP, .fields = pcap_fields,
	  .offset = offsetof(struct nb_endpoint_cfg, pcap) },
	{ .name = "none", .value = NB_EP_NONE },
	{ 0 },
};

/* ---- the "none" kind: sends nothing, takes and discards every frame ------------------ */

static int none_deliver(struct nb_endpoint *ep, const uint8_t *frame, size_t len)
{
	(void)ep;
	(void)frame;
	(void)len;
	return 0;
}

static int none_next_tx(struct nb_endpoint *ep, uint8_t *buf, size_t cap)
{
	(void)ep;
	(void)buf;
	(void)cap;
	return 0;
}

static void none_free(struct nb_endpoint *ep)
{
	free(ep);
}

static const struct nb_endpoint_ops none_ops = {
	.deliver = none_deliver,
	.next_tx = none_next_tx,
	.free = none_free,
};

struct nb_endpoint *nb_port_none_open(void)
{
	struct nb_endpoint *ep = calloc(1, sizeof(*ep));

	if (!ep)
		return NULL;
	ep->ops = &none_ops;
	ep->kind_name = "none";
	snprintf(ep->label, sizeof(ep->label), "none");
	return ep;
}

/* ---- generic layer ----------------------------------------------------------------- */

struct nb_endpoint *nb_endpoint_open(const struct nb_endpoint_cfg *cfg,
				     const struct nb_endpoint_env *env, char *err, size_t len)
{
	struct nb_endpoint *ep = NULL;

	switch (cfg->kind) {
	case NB_EP_TAP:
		ep = nb_port_tap_open(&cfg->tap, env, err, len);
		break;
	case NB_EP_PCAP:
		ep = nb_port_pcap_open(&cfg->pcap, env, err, len);
		break;
	case NB_EP_NONE:
		ep = nb_port_none_open();
		if (!ep)
			snprintf(err, len, "out of memory");
		break;
	default:
		snprintf(err, len, "unknown endpoint kind %d", cfg->kind);
		break;
	}
	if (ep)
		ep->stats.sent_digest = ep->stats.recv_digest = FNV_OFFSET;
	return ep;
}

void nb_endpoint_free(struct nb_endpoint *ep)
{
	if (ep)
		ep->ops->free(ep);
}

/* The wire carries at least 60 bytes before the FCS; hash what it carries. */
static uint64_t digest(uint64_t h, const uint8_t *frame, size_t len)
{
	size_t wire_len = len < NB_ETH_MIN_FRAME ? NB_ETH_MIN_FRAME : len;

	h = (h ^ (wire_len & 0xFF)) * FNV_PRIME;
	h = (h ^ (wire_len >> 8)) * FNV_PRIME;
	for (size_t i = 0; i < wire_len; i++)
		h = (h ^ (i < len ? frame[i] : 0)) * FNV_PRIME;
	return h;
}

int nb_endpoint_deliver(struct nb_endpoint *ep, const uint8_t *frame, size_t len)
{
	int ret = ep->ops->deliver(ep, frame, len);

	if (ret == 0) {
		ep->stats.recv_frames++;
		ep->stats.recv_bytes += len;
		if (ep->digest)
			ep->stats.recv_digest = digest(ep->stats.recv_digest, frame, len);
	} else if (ret == -EAGAIN) {
		ep->stats.recv_busy++;
	} else {
		ep->stats.recv_errors++;
	}
	return ret;
}

int nb_endpoint_next_tx(struct nb_endpoint *ep, uint8_t *buf, size_t cap)
{
	int ret;

	/* A replayed capture stands for a host, and a host does not transmit without carrier:
	 * its frames wait for the link instead of being thrown at a dead one. */
	if ((ep->finite && !ep->carrier) || ep->held)
		return 0;
	ret = ep->ops->next_tx(ep, buf, cap);

	if (ret > 0) {
		ep->stats.sent_frames++;
		ep->stats.sent_bytes += (uint64_t)ret;
		if (ep->digest)
			ep->stats.sent_digest = digest(ep->stats.sent_digest, buf, (size_t)ret);
	} else if (ret < 0 && ret != -EAGAIN) {
		ep->stats.send_errors++;
	}
	return ret;
}

void nb_endpoint_set_carrier(struct nb_endpoint *ep, bool up)
{
	if (up == ep->carrier)
		return;
	ep->carrier = up;
	ep->stats.carrier_changes++;
	if (ep->ops->carrier)
		ep->ops->carrier(ep, up);
}

void nb_endpoint_arm(struct nb_endpoint *ep, bool want_in, bool want_out)
{
	if (ep->ops->arm)
		ep->ops->arm(ep, want_in && !ep->held, want_out);
}

bool nb_endpoint_tx_pending(struct nb_endpoint *ep)
{
	if ((ep->finite && !ep->carrier) || ep->held)
		return false;
	return ep->ops->tx_pending ? ep->ops->tx_pending(ep) : false;
}

bool nb_endpoint_writable(struct nb_endpoint *ep)
{
	return ep->ops->writable ? ep->ops->writable(ep) : true;
}

uint64_t nb_endpoint_deadline(struct nb_endpoint *ep)
{
	if ((ep->finite && !ep->carrier) || ep->held)
		return NB_DEADLINE_NONE;
	return ep->ops->deadline ? ep->ops->deadline(ep) : NB_DEADLINE_NONE;
}

void nb_endpoint_summary(const struct nb_endpoint *ep, FILE *f)
{
	if (ep->ops->summary)
		ep->ops->summary(ep, f);
}

int nb_endpoint_flush(struct nb_endpoint *ep)
{
	return ep->ops->flush ? ep->ops->flush(ep) : 0;
}

void nb_endpoint_status(struct nb_endpoint *ep, struct nb_json *j)
{
	const struct nb_endpoint_stats *s = &ep->stats;

	nb_json_str(j, "kind", ep->kind_name);
	nb_json_str(j, "label", ep->label);
	nb_json_bool(j, "carrier", ep->carrier);
	nb_json_u64(j, "sent_frames", s->sent_frames);
	nb_json_u64(j, "sent_bytes", s->sent_bytes);
	nb_json_u64(j, "recv_frames", s->recv_frames);
	nb_json_u64(j, "recv_bytes", s->recv_bytes);
	nb_json_u64(j, "recv_busy", s->recv_busy);
	nb_json_u64(j, "recv_errors", s->recv_errors);
	nb_json_u64(j, "send_errors", s->send_errors);
	if (ep->finite)
		nb_json_bool(j, "exhausted", ep->exhausted);
	if (ep->ops->status)
		ep->ops->status(ep, j);
}
