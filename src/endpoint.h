/* SPDX-License-Identifier: MIT */
/**
 * @file endpoint.h
 * @brief Frame endpoints: where frames come from and go to on either side of the device.
 *
 * An endpoint is a TAP interface, a pcap reader/writer pair, or nothing. The same endpoint
 * kinds serve both sides of a run:
 *  - host side: it is the stack port of the stack wrapper (deliver = the device received a
 *    frame, next_tx = the stack's next frame for the device, carrier = the device's link);
 *  - far side: it is what sits behind the link partner's MAC on the wire (sim/medium/
 *    peer_mac.h: deliver = a frame came off the wire, next_tx = a frame to put on it,
 *    carrier = the wire's carrier).
 *
 * Counting and the content digest are done here, around the kind's ops, so every kind counts
 * the same way. The digest (only when asked for: it reads every byte) chains FNV-1a over
 * each frame as the wire carries it (padded with zeros to 60 bytes), so "what left one side"
 * can be compared with "what reached the other".
 *
 * Context: the run loop only. Endpoints that have file descriptors register them with the
 * loop (src/loop.h) and say through arm() which events they wait for.
 */
#ifndef NB_PROG_ENDPOINT_H
#define NB_PROG_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "src/conf.h"
#include "src/json.h"

struct nb_loop;
struct nb_logger;
struct nb_endpoint;

enum nb_endpoint_kind {
	NB_EP_NONE = 0,
	NB_EP_TAP,
	NB_EP_PCAP,
};

/** Which side an endpoint is on (only changes defaults such as the TAP's MAC). */
enum nb_endpoint_side {
	NB_SIDE_HOST = 0,
	NB_SIDE_FAR = 1,
};

struct nb_tap_cfg {
	const char *name;           /**< interface name (required) */
	const char *netns;          /**< network namespace name (/run/netns/NAME); NULL = ours */
	struct nb_conf_ipv4 address; /**< IPv4 address and prefix */
	bool has_address;
	uint8_t mac[6];             /**< host side: default the device's MAC */
	bool has_mac;
	uint32_t mtu;               /**< 0 = the device's MTU (host) or 1500 (far) */
	const char *record;         /**< pcapng of every frame the kernel sent into the TAP,
				     *   time-stamped in ns since the run's start; NULL = none */
};

/** How a pcap source paces its frames (src/replay.h, docs/scenarios.md "Replay"). */
enum nb_replay_timing {
	NB_REPLAY_ASAP = 0,  /**< as fast as the path takes them (default) */
	NB_REPLAY_RECORDED,  /**< the recorded gaps, divided by rate_milli / 1000 */
	NB_REPLAY_ABSOLUTE,  /**< each frame at its time stamp read as time since the run's start */
};

struct nb_pcap_cfg {
	const char *read;  /**< frames to send (pcap or pcapng, Ethernet) */
	const char *write; /**< frames received, written as pcap (nanosecond time stamps) */
	uint32_t timing;     /**< enum nb_replay_timing */
	uint32_t rate_milli; /**< NB_REPLAY_RECORDED: speed-up x 1000; 0 = 1000 (as recorded) */
	bool has_timing;
	uint32_t loop;       /**< passes over the file when has_loop; 0 = until the run ends */
	bool has_loop;       /**< absent: one pass */
};

struct nb_endpoint_cfg {
	int kind; /**< enum nb_endpoint_kind */
	struct nb_tap_cfg tap;
	struct nb_pcap_cfg pcap;
};

/** Counters kept by the generic layer for every endpoint. */
struct nb_endpoint_stats {
	uint64_t sent_frames, sent_bytes;   /**< frames next_tx() handed out */
	uint64_t recv_frames, recv_bytes;   /**< frames deliver() accepted */
	uint64_t recv_busy;                 /**< deliver() answered -EAGAIN (frame kept, retried) */
	uint64_t recv_errors;               /**< deliver() refused a frame for good */
	uint64_t send_errors;               /**< next_tx() errors (oversize frames discarded) */
	uint64_t sent_digest, recv_digest;  /**< FNV-1a chains over padded frames */
	uint64_t carrier_changes;
};

struct nb_endpoint_ops {
	/** Take a frame (no FCS). 0 taken, -EAGAIN full (retry later), other errno refused. */
	int (*deliver)(struct nb_endpoint *ep, const uint8_t *frame, size_t len);
	/** Next frame into @p buf: length, 0 none now, -EMSGSIZE discarded (too big). */
	int (*next_tx)(struct nb_endpoint *ep, uint8_t *buf, size_t cap);
	/** Carrier of the link this endpoint sits behind. */
	void (*carrier)(struct nb_endpoint *ep, bool up);
	/** Before the loop sleeps: wait for input (@p want_in) and/or writability. */
	void (*arm)(struct nb_endpoint *ep, bool want_in, bool want_out);
	/** True when next_tx() may have a frame without waiting for an event. */
	bool (*tx_pending)(struct nb_endpoint *ep);
	/** True when a deliver() that answered -EAGAIN may succeed now. */
	bool (*writable)(struct nb_endpoint *ep);
	/** Kind-specific fields for status/summary (optional). */
	void (*status)(struct nb_endpoint *ep, struct nb_json *j);
	/** Optional: push buffered output to its file. @return 0 or -errno (data lost). */
	int (*flush)(struct nb_endpoint *ep);
	/** Optional: clock time at which next_tx() will have a frame (a paced replay);
	 *  NB_DEADLINE_NONE when only an event can give it one. */
	uint64_t (*deadline)(struct nb_endpoint *ep);
	/** Optional: extra words for the end-of-run summary line (no newline). */
	void (*summary)(const struct nb_endpoint *ep, FILE *f);
	void (*free)(struct nb_endpoint *ep);
};

struct nb_endpoint {
	const struct nb_endpoint_ops *ops;
	const char *kind_name;      /**< "tap", "pcap", "none" */
	char label[64];             /**< e.g. "tap nbA (netns nbtA)" */
	bool finite;                /**< a source that ends (pcap read) */
	bool exhausted;             /**< finite source: everything sent */
	bool carrier;
	int failed;                 /**< negative errno once the endpoint broke for good */
	bool digest;                /**< keep sent_digest/recv_digest (set by the owner) */
	bool held;                  /**< timeline `traffic: stop`: input held back (a TAP's
				     *   frames wait in the kernel, a replay pauses) */
	struct nb_endpoint_stats stats;
};

/** Everything an endpoint kind needs to open. */
struct nb_endpoint_env {
	struct nb_loop *loop;
	const struct nb_logger *log;
	struct nb_conf *conf;     /**< for positions in messages */
	enum nb_endpoint_side side;
	const uint8_t *dev_mac;   /**< the device's MAC (host side default for a TAP) */
	uint16_t dev_mtu;
	uint16_t max_frame;       /**< longest frame without FCS this endpoint must carry */
	uint64_t (*now)(void *ctx); /**< time stamps (pcap), ns since the start of the run */
	void *now_ctx;
};

/** Schema of the host/far choice (`tap: {...}`, `pcap: {...}`, `none`); offsets are from a
 *  struct nb_endpoint_cfg. */
extern const struct nb_conf_choice nb_endpoint_choices[];

/**
 * Open the endpoint @p cfg describes. On failure prints nothing; @p err (len bytes) says why.
 * @return the endpoint or NULL.
 */
struct nb_endpoint *nb_endpoint_open(const struct nb_endpoint_cfg *cfg,
				     const struct nb_endpoint_env *env, char *err, size_t len);
void nb_endpoint_free(struct nb_endpoint *ep);

int nb_endpoint_deliver(struct nb_endpoint *ep, const uint8_t *frame, size_t len);
/** Next frame from the endpoint (counted). A finite source (capture replay) gives nothing
 *  while it has no carrier. */
int nb_endpoint_next_tx(struct nb_endpoint *ep, uint8_t *buf, size_t cap);
void nb_endpoint_set_carrier(struct nb_endpoint *ep, bool up);
void nb_endpoint_arm(struct nb_endpoint *ep, bool want_in, bool want_out);
bool nb_endpoint_tx_pending(struct nb_endpoint *ep);
bool nb_endpoint_writable(struct nb_endpoint *ep);
/** When a paced source's next frame is due (only meaningful while the caller would take a
 *  frame); NB_DEADLINE_NONE for sources that are not paced or have no carrier. */
uint64_t nb_endpoint_deadline(struct nb_endpoint *ep);
/** Kind-specific words for the summary line (nothing for most kinds). */
void nb_endpoint_summary(const struct nb_endpoint *ep, FILE *f);
/** Flush buffered output (pcap files). @return 0 or -errno when written data was lost. */
int nb_endpoint_flush(struct nb_endpoint *ep);
/** Counters and kind-specific fields as JSON members of the current object. */
void nb_endpoint_status(struct nb_endpoint *ep, struct nb_json *j);

/** Kind constructors (port_tap.c, port_pcap.c, endpoint.c). */
struct nb_endpoint *nb_port_tap_open(const struct nb_tap_cfg *cfg,
				     const struct nb_endpoint_env *env, char *err, size_t len);
struct nb_endpoint *nb_port_pcap_open(const struct nb_pcap_cfg *cfg,
				      const struct nb_endpoint_env *env, char *err, size_t len);
struct nb_endpoint *nb_port_none_open(void);

#endif /* NB_PROG_ENDPOINT_H */
