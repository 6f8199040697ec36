/* SPDX-License-Identifier: MIT */
/**
 * @file bench.h
 * @brief The LAN8720 driver on its real far side for the unit tests and the contract factory:
 *        the LAN8720A model on the simulated MDIO bus (register level or bit-banged pins),
 *        its RMII port and pins, and a wire whose other end is a test peer.
 *
 * The peer keeps every frame it receives (FCS included, as the wire carries them) and sends
 * frames toward the device. bench_run() is a small run loop in virtual time: it polls the
 * device when work is pending or its deadline has come, and otherwise advances time to the
 * next timer or deadline.
 */
#ifndef NB_TEST_LAN8720_BENCH_H
#define NB_TEST_LAN8720_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/mdio_bitbang.h"
#include "drivers/lan8720/lan8720.h"
#include "sim/bus/mdio_bus.h"
#include "sim/lan8720/lan8720_model.h"
#include "sim/medium/wire.h"

#define BENCH_PEER_FRAMES 256
#define BENCH_FRAME_MAX 2048
#define BENCH_RX_MAX 64
#define BENCH_LINK_MAX 64

struct bench_frame {
	size_t len;
	uint32_t flags;
	uint64_t t_ns;
	uint8_t data[BENCH_FRAME_MAX];
};

struct bench_peer {
	struct nb_sim *sim;
	struct bench_frame *ring; /* BENCH_PEER_FRAMES */
	unsigned head, count;
	uint64_t received;         /* total, also those that did not fit */
	bool carrier;
};

struct bench_opts {
	struct nb_lan8720_model_cfg model;
	bool no_model;     /* nobody on the MDIO bus */
	bool no_pullup;    /* MDIO line floats low */
	bool bitbang;      /* the driver uses drivers/bus/mdio_bitbang.c over the sim pins */
	bool no_wire;      /* model without wire (built-in partner, starts unplugged) */
	bool peer_down;    /* peer end not transmitting at start */
};

struct bench {
	struct nb_sim *sim;
	struct nb_sim_mdio *bus;
	struct nb_mdio_bitbang bb;
	struct nb_lan8720_model *m;
	struct nb_wire *wire;
	struct bench_peer peer;
	struct nb_lan8720 drv;
	struct nb_lan8720_cfg cfg; /* filled by bench_new(); edit before bench_init() */
	struct nb_netdev *dev;
	/* what the device handed up */
	unsigned rx_calls;
	size_t rx_len[BENCH_RX_MAX];
	uint8_t rx_data[BENCH_RX_MAX][1600];
	unsigned link_calls;
	struct nb_link_state links[BENCH_LINK_MAX];
	/* model strict-mode reports */
	unsigned violations;
	char last_violation[256];
	/* MDIO trace (nb_sim_mdio_set_trace), when on */
	char *trace;
	size_t trace_len, trace_cap;
	uint64_t trace_t0;
	unsigned stalls;
};

/** MAC the bench gives the device. */
extern const uint8_t bench_dev_mac[6];
/** MAC of the peer. */
extern const uint8_t bench_peer_mac[6];

/** Build sim, bus, model, wire and peer; fill b->cfg with defaults (pins wired: none). */
struct bench *bench_new(const struct bench_opts *opts);
void bench_free(struct bench *b);
/** nb_lan8720_init() with b->cfg, handlers installed. @return its result. */
int bench_init(struct bench *b);
/** nb_lan8720_init + nb_netdev_open; asserts both succeed. */
void bench_open(struct bench *b);
/** Run the loop for @p ns of virtual time. */
void bench_run(struct bench *b, uint64_t ns);
/** Run until the device reports link up (or @p max_ns). @return true when up. */
bool bench_run_until_up(struct bench *b, uint64_t max_ns);
/** Run until the device reports link down (or @p max_ns). */
bool bench_run_until_down(struct bench *b, uint64_t max_ns);
/** Advance time without polling the device (frames/IRQs arrive, nobody looks). */
void bench_advance(struct bench *b, uint64_t ns);
/** Poll everything pending now (budget 16 until done). @return frames processed. */
int bench_poll_all(struct bench *b);

/** The peer sends @p len bytes (no FCS) plus a FCS (corrupted when @p bad_fcs). */
int bench_peer_send(struct bench *b, const uint8_t *frame, size_t len, bool bad_fcs,
		    uint32_t wire_flags);
/** The peer sends @p len raw bytes as they are (FCS is the caller's). */
int bench_peer_send_raw(struct bench *b, const uint8_t *frame, size_t len, uint32_t wire_flags);
/** Oldest frame the peer received (NULL when none); stays until bench_peer_pop(). */
const struct bench_frame *bench_peer_peek(struct bench *b);
void bench_peer_pop(struct bench *b);
/** Append FCS of @p len bytes at buf + len; @return len + 4. */
size_t bench_add_fcs(uint8_t *buf, size_t len);

/** Start recording MDIO transactions (time relative to now). */
void bench_trace_start(struct bench *b);
void bench_trace_stop(struct bench *b);

#endif
