/* SPDX-License-Identifier: MIT */
/**
 * @file capture_bus.h
 * @brief Bus monitors: decorators around the bus interfaces a driver calls (MDIO, gSPI,
 *        RMII). Each one passes every call through unchanged and, after it, counts the
 *        transaction (transactions, payload bytes, busy time) and writes it to the bus
 *        capture when one is open. Device builders install them on the buses they hand to
 *        the driver (a few lines per device); the run reports them (capture.h).
 *
 * Busy time: MDIO and gSPI take the simulation time the bus backend charged during the call
 * (nb_sim_charged(); a sim MDIO frame costs 64 MDC clocks, a gSPI transaction its bits at the
 * model's clock), so the monitor shows what the scenario's clocks cost. RMII is not charged
 * again: the PHY forwards a frame while it is on the wire, whose serialisation time the wire
 * already charges; its busy time is computed (preamble + frame at 2 bits per 50 MHz REF_CLK,
 * 10 MHz-equivalent at 10 Mb/s).
 *
 * All functions accept a NULL capture and then leave the bus untouched (return 0).
 * The decorated bus stays valid until nb_capture_close().
 */
#ifndef NB_PROG_CAPTURE_BUS_H
#define NB_PROG_CAPTURE_BUS_H

#include <stdint.h>

#include "drivers/bus/gspi.h"
#include "drivers/bus/mdio.h"
#include "drivers/bus/rmii.h"

struct nb_capture;

/** Cumulative count of reads whose turnaround no PHY drove (compared before/after a read). */
typedef uint64_t (*nb_capture_ta_misses_fn)(void *ctx);

/**
 * Decorate @p bus (replaced in place by the monitor). @p mdc_hz: the MDC clock (for the
 * report). @p ta_misses (optional) tells whether a PHY drove the read turnaround.
 * @return 0 or -ENOMEM / write error of the capture file.
 */
int nb_capture_mdio(struct nb_capture *c, const char *name, struct nb_mdio_bus *bus,
		    uint32_t mdc_hz, nb_capture_ta_misses_fn ta_misses, void *ta_ctx);
/** Decorate @p bus; @p hz: the gSPI clock. The monitor decodes command words in the word
 *  mode it saw the host select (docs/capture.md), and reads the backend's last_status()
 *  after each transaction (a pure read of the kept status bytes, as gspi.h defines it). */
int nb_capture_gspi(struct nb_capture *c, const char *name, struct nb_gspi_bus *bus,
		    uint32_t hz);
/** Decorate @p port (statistics only: frames are in the frame capture). */
int nb_capture_rmii(struct nb_capture *c, const char *name, struct nb_rmii_port *port);

#endif /* NB_PROG_CAPTURE_BUS_H */
