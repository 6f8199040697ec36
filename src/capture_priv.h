/* SPDX-License-Identifier: MIT */
/* Internals shared by capture.c (files, frames, report) and capture_bus.c (bus monitors). */
#ifndef NB_PROG_CAPTURE_PRIV_H
#define NB_PROG_CAPTURE_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/gspi.h"
#include "drivers/bus/mdio.h"
#include "drivers/bus/rmii.h"
#include "src/capture.h"
#include "src/capture_bus.h"
#include "src/observe.h"
#include "src/pcapng.h"

enum nb_bus_kind { NB_BUS_MDIO = 1, NB_BUS_GSPI = 2, NB_BUS_RMII = 3 };

/* Bus record (docs/capture.md): common header, little-endian. */
#define NB_BUSREC_VERSION 1u
#define NB_BUSREC_MDIO_LEN 16u
#define NB_BUSREC_GSPI_HDR 28u
#define NB_BUSREC_MAX_DATA 4096u

struct nb_bus_mon {
	struct nb_capture *cap;
	struct nb_bus_mon *next;
	char name[32];
	enum nb_bus_kind kind;
	uint32_t clock_hz;
	int ifid; /* in the bus capture; -1: none */
	uint64_t transactions, bytes, busy_ns, errors;
	/* MDIO */
	struct nb_mdio_bus mdio;
	nb_capture_ta_misses_fn ta_misses;
	void *ta_ctx;
	/* gSPI */
	struct nb_gspi_bus gspi;
	uint8_t mode; /* bit0 32-bit words, bit1 ENDIAN_BIG: as the host selected it */
	/* RMII */
	struct nb_rmii_port rmii;
	uint16_t mbps;
	bool peeked;
	size_t peek_len;
	uint8_t rec[NB_BUSREC_GSPI_HDR + NB_BUSREC_MAX_DATA];
};

struct nb_tap_hook {
	struct nb_capture *cap;
	int ifid;
	uint64_t from_kernel, to_kernel;
	char side[8];
};

struct nb_capture {
	struct nb_sim *sim;
	const struct nb_logger *log;
	struct nb_capture_cfg cfg;
	char dir[PATH_MAX];
	struct nb_pcapng *bus, *frames, *tap;
	char bus_path[PATH_MAX + 16], frames_path[PATH_MAX + 16], tap_path[PATH_MAX + 16];
	int frame_if[NB_POINT__COUNT];
	uint64_t frame_count[NB_POINT__COUNT];
	struct nb_observer obs;
	struct nb_tap_hook taps[2];
	unsigned n_taps;
	struct nb_bus_mon *buses;
	bool write_error_logged;
};

/* capture_bus.c */
void nb_capture_buses_free(struct nb_capture *c);
/* capture.c: a write to a capture file failed (logged once). */
void nb_capture_write_failed(struct nb_capture *c, const char *path, int err);

#endif /* NB_PROG_CAPTURE_PRIV_H */
