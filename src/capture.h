/* SPDX-License-Identifier: MIT */
/**
 * @file capture.h
 * @brief Captures of a run (docs/capture.md) and the bus monitors behind the bus report.
 *
 * Scenario key (top level):
 *   capture: {dir: out/, bus: true, frames: true, tap: true}
 * writes, in @c dir (relative to the current directory, created if missing; default "."):
 *  - bus.pcapng:    every MDIO / gSPI transaction (link type NB_CAPTURE_LINKTYPE_BUS),
 *                   one interface per bus;
 *  - frames.pcapng: Ethernet frames at the four observation points (src/observe.h), one
 *                   interface per point;
 *  - tap.pcapng:    frames as a TAP endpoint exchanged them with the kernel, one interface
 *                   per TAP.
 * Every packet carries its direction in epb_flags (outbound: host.tx, far.tx, bus writes,
 * frames the kernel sent into a TAP; inbound: the others). Time stamps are simulation ns
 * from the start of the run, so a virtual-time run writes the same bytes every time.
 *
 * Bus monitors (capture_bus.h) exist with or without `capture:`: they count transactions,
 * bytes and busy time for the report.
 *
 * Context: the run loop only. Lifetime: create before the device is built, close after it
 * is freed (the decorators the device holds point into the capture).
 */
#ifndef NB_PROG_CAPTURE_H
#define NB_PROG_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "src/conf.h"
#include "src/json.h"

/** LINKTYPE_USER5 (152): the bus capture record, docs/capture.md. */
#define NB_CAPTURE_LINKTYPE_BUS 152u

struct nb_capture_cfg {
	bool present;     /**< the scenario has `capture:` */
	const char *dir;  /**< NULL: current directory */
	bool bus, frames, tap;
};

/** Schema of `capture:` (offsets from struct nb_capture_cfg). */
extern const struct nb_field nb_capture_fields[];
/** Cross-field check of the parsed `capture:` mapping. */
int nb_capture_cfg_check(struct nb_conf *c, const yaml_node_t *node, void *obj);

struct nb_sim;
struct nb_run;
struct nb_logger;
struct nb_endpoint;
struct nb_capture;

/**
 * Open the files @p cfg asks for (bus.pcapng, frames.pcapng; tap.pcapng on the first
 * nb_capture_attach_tap()). @p cfg may be NULL or not present: monitors only.
 * @return the capture, or NULL with @p err (len bytes) saying which file and why.
 */
struct nb_capture *nb_capture_new(const struct nb_capture_cfg *cfg, struct nb_sim *sim,
				  const struct nb_logger *log, char *err, size_t len);
/** Start recording frames at the observation points of @p r (when frames are asked for). */
void nb_capture_attach_run(struct nb_capture *c, struct nb_run *r);
/**
 * Record what TAP endpoint @p ep exchanges with the kernel (when tap is asked for; a
 * non-TAP endpoint is ignored). @p side names the interface ("host", "far").
 * @return 0 or negative errno (the file could not be written).
 */
int nb_capture_attach_tap(struct nb_capture *c, struct nb_endpoint *ep, const char *side,
			  char *err, size_t len);
/** Flush every file, close and free (accepts NULL). @return 0, or negative errno when
 *  captured data was lost (logged with the file name). */
int nb_capture_close(struct nb_capture *c);

/** "buses" and "capture" members of the report object (@p sim_ns: the run's length). */
void nb_capture_json(const struct nb_capture *c, struct nb_json *j, uint64_t sim_ns);
/** Summary lines ("bus ...", "capture ..."). */
void nb_capture_summary(const struct nb_capture *c, FILE *f, uint64_t sim_ns);

/* ---- implemented by port_tap.c --------------------------------------------------------- */

/** A TAP endpoint exchanged a frame: @p from_kernel (read from the TAP) or written to it. */
typedef void (*nb_tap_capture_fn)(void *ctx, bool from_kernel, const uint8_t *frame,
				  size_t len);
/** Hook @p fn on TAP endpoint @p ep. @retval -EINVAL @p ep is not a TAP. */
int nb_port_tap_set_capture(struct nb_endpoint *ep, nb_tap_capture_fn fn, void *ctx);

#endif /* NB_PROG_CAPTURE_H */
