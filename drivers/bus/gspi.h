/* SPDX-License-Identifier: MIT */
/**
 * @file gspi.h
 * @brief Broadcom/Infineon gSPI bus: half-duplex, one CS-low transaction per call.
 *
 * The ops move bytes exactly as they appear on the data line, first byte first, each byte
 * MSB first. Word order (16-bit vs 32-bit word mode, endianness) is the driver's business,
 * because it depends on chip state the driver configured; a backend never reorders bytes.
 * This is what lets the chip model detect a driver that talks in the wrong word mode.
 *
 * After the data phase of every transaction the backend clocks 4 more bytes (the status
 * phase) and keeps them for last_status(). With the chip's status word disabled these bytes
 * are whatever the line floats at; the driver only interprets them when it enabled status.
 */
#ifndef NB_BUS_GSPI_H
#define NB_BUS_GSPI_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/util/compiler.h"

#define NB_GSPI_STATUS_LEN 4u

struct nb_gspi_ops {
	/**
	 * CS low; shift out the 4 command bytes; release the line (turnaround); shift in
	 * @p rx_len bytes (response-delay pad bytes and data words); status phase; CS high.
	 * @return 0 or negative errno (-EIO: adapter/transfer failure).
	 */
	int (*cmd_read)(void *ctx, const uint8_t cmd[4], uint8_t *rx, size_t rx_len);
	/** CS low; shift out the 4 command bytes and @p tx_len data bytes; status phase; CS high. */
	int (*cmd_write)(void *ctx, const uint8_t cmd[4], const uint8_t *tx, size_t tx_len);
	/** The 4 status-phase bytes of the last transaction, as they came off the wire. */
	int (*last_status)(void *ctx, uint8_t status[NB_GSPI_STATUS_LEN]);
};

struct nb_gspi_bus {
	const struct nb_gspi_ops *ops;
	void *ctx;
};

NB_MUST_CHECK static inline int nb_gspi_cmd_read(const struct nb_gspi_bus *bus,
						 const uint8_t cmd[4], uint8_t *rx, size_t rx_len)
{
	return bus->ops->cmd_read(bus->ctx, cmd, rx, rx_len);
}
NB_MUST_CHECK static inline int nb_gspi_cmd_write(const struct nb_gspi_bus *bus,
						  const uint8_t cmd[4], const uint8_t *tx,
						  size_t tx_len)
{
	return bus->ops->cmd_write(bus->ctx, cmd, tx, tx_len);
}
NB_MUST_CHECK static inline int nb_gspi_last_status(const struct nb_gspi_bus *bus,
						    uint8_t status[NB_GSPI_STATUS_LEN])
{
	return bus->ops->last_status(bus->ctx, status);
}

#endif /* NB_BUS_GSPI_H */
