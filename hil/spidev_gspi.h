/* SPDX-License-Identifier: MIT */
/**
 * @file spidev_gspi.h
 * @brief gSPI over a Linux spidev device (Raspberry Pi and other SoC hosts).
 *
 * One transaction is one SPI_IOC_MESSAGE: a TX-only transfer with the 4 command bytes (and,
 * for a write, a second TX-only transfer with the data), then RX-only transfers for the read
 * data and the 4-byte status phase, chip select held by the controller for the whole message
 * (cs_change 0). SPI mode 0, 8 bits per word, MSB first.
 *
 * Wiring: by default the controller runs in SPI_3WIRE mode: MOSI is the single bidirectional
 * data line and the controller turns it around between the TX and RX transfers (the Pico W's
 * shared data line, reference §1.1). A controller that refuses SPI_3WIRE makes open() fail
 * with -EOPNOTSUPP; then wire MOSI through a 470 Ω resistor to the data line and MISO
 * directly to it, and set four_wire: MOSI then keeps driving (zeros) through the resistor
 * during the chip's turn and the chip wins. The data line needs a pull-down so it reads low
 * when WL_REG_ON rises (gSPI mode strap).
 *
 * Limits: spidev copies a whole message through its bounce buffer, whose size is the module
 * parameter bufsiz (4096 by default); the largest gSPI transaction (F2 read of 2048 bytes +
 * 16 pad + status) fits. The clock the controller actually uses can be lower than asked;
 * nb_spidev_clock() tells what the driver accepted.
 *
 * Errors: open(): -ENODEV no such device node (the SPI overlay/driver is not loaded),
 * -EACCES permission, -EOPNOTSUPP mode refused, -EIO another ioctl failure. A failed message
 * returns -EIO and leaves "SPI_IOC_MESSAGE: <strerror>" in nb_spidev_last_error().
 *
 * Context: not thread-safe; calls block for one message (the kernel's SPI transfer).
 */
#ifndef NB_HIL_SPIDEV_GSPI_H
#define NB_HIL_SPIDEV_GSPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/gspi.h"
#include "drivers/bus/log.h"

#define NB_SPIDEV_DEFAULT_HZ 10000000u

struct nb_spidev_cfg {
	const char *path;   /**< "/dev/spidev0.0" (required; copied) */
	uint32_t clock_hz;  /**< 0 = 10 MHz */
	bool four_wire;     /**< false: SPI_3WIRE on MOSI; true: MOSI via resistor + MISO */
	struct nb_log log;  /**< one line per failure; copied */
};

struct nb_spidev_stats {
	uint64_t messages;  /**< SPI_IOC_MESSAGE calls */
	uint64_t bytes;     /**< bytes clocked */
	uint64_t errors;
};

struct nb_spidev;

/**
 * Open @p cfg->path and set mode 0 (+ SPI_3WIRE), 8 bits, the clock; read the settings back.
 * @param err receives a one-line reason on failure (may be NULL).
 * @retval 0, -EINVAL (no path), -ENODEV, -EACCES, -EBUSY, -EOPNOTSUPP, -EIO, -ENOMEM.
 */
int nb_spidev_open(const struct nb_spidev_cfg *cfg, struct nb_spidev **out, char *err,
		   size_t errlen);
/** Close the device. Accepts NULL. */
void nb_spidev_close(struct nb_spidev *s);
/** The bus (valid until close). */
struct nb_gspi_bus nb_spidev_gspi(struct nb_spidev *s);
/** The clock the spidev driver accepted (SPI_IOC_RD_MAX_SPEED_HZ). */
uint32_t nb_spidev_clock(const struct nb_spidev *s);
const char *nb_spidev_last_error(const struct nb_spidev *s);
const struct nb_spidev_stats *nb_spidev_stats(const struct nb_spidev *s);

#endif /* NB_HIL_SPIDEV_GSPI_H */
