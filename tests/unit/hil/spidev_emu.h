/* SPDX-License-Identifier: MIT */
/**
 * @file spidev_emu.h
 * @brief A Linux spidev device as the kernel presents it, for the spidev backend tests.
 *
 * The test executable links with -Wl,--wrap=ioctl. The device node is a real file the
 * emulator creates; ioctl() calls on a descriptor of that file are answered here (mode, bits,
 * speed, SPI_IOC_MESSAGE with the kernel's validation: a TX+RX transfer in SPI_3WIRE mode is
 * -EINVAL, a message above bufsiz is -EMSGSIZE, the speed is clamped to the controller's
 * maximum), every other ioctl goes to the C library. A message's TX bytes, then RX bytes, form
 * one gSPI transaction with CS held, handed to the CYW43439 model as in mpsse_emu.h. What the
 * wire would not carry (TX after RX inside one message, cs_change, bits other than 8) is
 * recorded as a protocol error.
 */
#ifndef NB_TEST_SPIDEV_EMU_H
#define NB_TEST_SPIDEV_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/gspi.h"

struct emu_spidev_opts {
	bool no_3wire;    /**< controller without SPI_3WIRE support */
	uint32_t max_hz;  /**< controller maximum; 0 = 50 MHz */
	size_t bufsiz;    /**< spidev bufsiz; 0 = 4096 */
};

struct emu_spidev_state {
	uint32_t mode;
	uint8_t bits;
	uint32_t hz;           /**< speed set with SPI_IOC_WR_MAX_SPEED_HZ */
	uint32_t xfer_hz;      /**< speed of the last transfer after the controller's clamp */
	unsigned messages;
	unsigned protocol_errors;
	char last_error[256];
};

/** Create the node at @p path (a regular file) and reset the emulator. */
void emu_spidev_reset(const char *path, const struct emu_spidev_opts *o);
/** Remove the node. */
void emu_spidev_remove(void);
void emu_spidev_connect_gspi(struct nb_gspi_bus bus);
/** SPI_IOC_MESSAGE number @p nth from now fails with errno @p err. */
void emu_spidev_fail_message(unsigned nth, int err);
const struct emu_spidev_state *emu_spidev_state(void);

#endif
