/* SPDX-License-Identifier: MIT */
/**
 * @file ftdi_mpsse.h
 * @brief FT232H / FT2232H / FT4232H in MPSSE mode (libftdi1): gSPI bus, clause-22 MDIO and
 *        GPIO for hardware-in-the-loop runs.
 *
 * One struct nb_ftdi is one MPSSE channel (FT2232H: A or B). On it you attach at most one
 * clocked function, gSPI (nb_ftdi_gspi_attach()) or MDIO (nb_ftdi_mdio_attach()), both on the
 * MPSSE pins, and use every other pin as GPIO (nb_ftdi_gpio()).
 *
 * Pins: 0..7 are ADBUS0..7 (AD0 = SK/TCK, AD1 = DO/TDI, AD2 = DI/TDO, AD3 = CS/TMS,
 * AD4..7 = GPIOL0..3), 8..15 are ACBUS0..7 (GPIOH0..7; an FT4232H channel has none). Right
 * after open every pin is an input.
 *
 * Wiring, gSPI (CYW43439, as on the Pico W: one bidirectional data line):
 *   AD0 SK  → chip SDIO_CLK
 *   AD1 DO  → 470 Ω → data line (chip SDIO_CMD/DATA0). The backend drives DO only while it
 *             clocks out command and write data; it releases DO (makes it an input) for the
 *             turnaround, the read data and the status phase, and keeps it released between
 *             transactions. The resistor only protects against a wiring mistake.
 *   AD2 DI  ← data line directly.
 *   CS      → chip SDIO_DATA3 (any free pin, default AD3), active low.
 *   The data line needs a pull-down (10..100 kΩ; the Pico W has the RP2040 pad pull-down):
 *   it must read low when WL_REG_ON rises, which selects gSPI instead of SDIO (reference §1.1).
 *   HOST_WAKE may share the data line (as on the Pico W, through 10 kΩ): then name AD2 as the
 *   HOST_WAKE pin; it is only read between transactions, when the chip does not drive data.
 * Clocking: command and write data change on the falling edge of SK (the chip samples on the
 * rising edge), read data and status are sampled on the rising edge (reference §1.3); SK
 * idles low. No turnaround clock: releasing DO between two clock commands is the turnaround.
 *
 * Wiring, MDIO (LAN8720): AD0 SK → MDC, AD1 DO → 470 Ω → MDIO, AD2 DI ← MDIO. MDIO keeps its
 * pull-up (1.5 kΩ on most modules). Frames are made of MPSSE clock-bits commands, one USB
 * round trip per frame: the station changes MDIO on the falling edge of MDC and samples the
 * PHY on the rising edge (IEEE 802.3 22.3.4); DO is released from the first turnaround bit of a
 * read until the next frame.
 *
 * Interrupts: an FTDI chip has none. set_irq() arms a software detector that
 * nb_ftdi_irq_poll() evaluates: it reads the pins (one USB round trip) and calls the handler
 * for every armed pin whose edge was seen since the last poll or whose level is active. The
 * owner calls nb_ftdi_irq_poll() every poll interval (nb_hil does, from its work()): so a
 * device on an FTDI adapter may still claim NB_NETDEV_CAP_IRQ; its interrupt latency is one
 * poll interval plus one USB round trip, and a pulse shorter than the interval can be missed
 * (HOST_WAKE and nINT are levels that stay active until serviced, so they are not).
 *
 * Errors: every libftdi call is checked. A failed or short USB transfer returns -EIO, logs
 * one line and leaves the text in nb_ftdi_last_error() ("ftdi_write_data: usb bulk write
 * failed (-1)"); a failed open returns its reason in @p err only. A read that does not
 * complete within io_timeout_ms (CLOCK_MONOTONIC: USB timeouts are real time even in a
 * simulated run) also returns -EIO; nothing blocks forever.
 * After an I/O error the command stream position is unknown, so the next transfer purges the
 * chip's buffers first.
 *
 * Context: not thread-safe; one run loop owns a struct nb_ftdi. Calls block for one USB round
 * trip (typically 0.15..1 ms on a high-speed port with latency 1 ms).
 */
#ifndef NB_HIL_FTDI_MPSSE_H
#define NB_HIL_FTDI_MPSSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/gpio.h"
#include "drivers/bus/gspi.h"
#include "drivers/bus/log.h"
#include "drivers/bus/mdio.h"

#define NB_FTDI_VID 0x0403u
#define NB_FTDI_PID_FT2232H 0x6010u
#define NB_FTDI_PID_FT4232H 0x6011u
#define NB_FTDI_PID_FT232H 0x6014u

#define NB_FTDI_PINS 16u
#define NB_FTDI_ADBUS(n) (n)
#define NB_FTDI_ACBUS(n) (8u + (n))
#define NB_FTDI_PIN_SK NB_FTDI_ADBUS(0)
#define NB_FTDI_PIN_DO NB_FTDI_ADBUS(1)
#define NB_FTDI_PIN_DI NB_FTDI_ADBUS(2)
#define NB_FTDI_PIN_CS NB_FTDI_ADBUS(3)

/** MPSSE base clock with the divide-by-5 prescaler off (H-series chips): 60 MHz. */
#define NB_FTDI_BASE_HZ 60000000u
/** Fastest SK: 60 MHz / 2. */
#define NB_FTDI_MAX_HZ 30000000u

#define NB_FTDI_DEFAULT_GSPI_HZ 10000000u
#define NB_FTDI_DEFAULT_MDC_HZ 1000000u
#define NB_FTDI_MAX_MDC_HZ 2500000u /**< IEEE 802.3 22.2.2.11: MDC period >= 400 ns */

/** Which adapter to open. A zeroed struct opens the first FT232H/FT2232H/FT4232H, channel A. */
struct nb_ftdi_cfg {
	uint16_t vid;            /**< 0 = 0x0403 */
	uint16_t pid;            /**< 0 = try 0x6014, 0x6010, 0x6011 in that order */
	const char *serial;      /**< USB serial number; NULL = any (copied) */
	const char *description; /**< USB product string; NULL = any (copied) */
	unsigned index;          /**< the n-th matching adapter (0 = first) */
	char channel;            /**< 'A' or 'B' (MPSSE channels); 0 = 'A' */
	uint8_t latency_ms;      /**< latency timer 1..255; 0 = 1 */
	uint32_t io_timeout_ms;  /**< a read that takes longer fails (-EIO); 0 = 1000 */
	struct nb_log log;       /**< error lines (one per failure); copied */
};

/** Counters since open; monotonic. */
struct nb_ftdi_stats {
	uint64_t usb_writes;     /**< ftdi_write_data() calls */
	uint64_t usb_reads;      /**< completed read phases (each may take several libftdi calls) */
	uint64_t bytes_out, bytes_in;
	uint64_t gspi_transactions;
	uint64_t mdio_frames;
	uint64_t mdio_ta_errors; /**< reads whose turnaround no PHY drove low */
	uint64_t gpio_ops;
	uint64_t irq_polls, irqs_fired;
	uint64_t errors;         /**< failed libftdi calls and timeouts */
};

struct nb_ftdi;

/**
 * Open the adapter, reset it, enter MPSSE mode and check that the MPSSE answers (an invalid
 * opcode must echo 0xFA + opcode), then: divide-by-5 off (60 MHz base), adaptive clocking off,
 * three-phase clocking off, loopback off, every pin an input.
 * @param err  receives a one-line reason on failure (may be NULL).
 * @retval 0 *out holds the handle (nb_ftdi_close() frees it).
 * @retval -ENODEV no matching adapter (the message names VID:PID, serial, description, index).
 * @retval -EACCES the USB device cannot be opened (permissions: a udev rule is needed).
 * @retval -EBUSY the interface is claimed by another program or driver.
 * @retval -EOPNOTSUPP the chip is not an H-series MPSSE part (FT232R, FT2232D, ...) or the
 *         channel has no MPSSE.
 * @retval -EINVAL bad config (channel). @retval -EIO USB failure or no MPSSE answer.
 * @retval -ENOMEM.
 */
int nb_ftdi_open(const struct nb_ftdi_cfg *cfg, struct nb_ftdi **out, char *err, size_t errlen);
/** Every pin back to input, MPSSE off, USB closed. Accepts NULL. */
void nb_ftdi_close(struct nb_ftdi *f);

/** Last error text ("" if none); valid until the next call on @p f. */
const char *nb_ftdi_last_error(const struct nb_ftdi *f);
const struct nb_ftdi_stats *nb_ftdi_stats(const struct nb_ftdi *f);
/** "FT232H", "FT2232H" or "FT4232H". */
const char *nb_ftdi_chip_name(const struct nb_ftdi *f);
/** Pins of the channel: 16, or 8 on an FT4232H (ADBUS only). */
unsigned nb_ftdi_pin_count(const struct nb_ftdi *f);

/**
 * SK frequency for a request: the fastest 30 MHz / (1 + div) that does not exceed @p hz
 * (div 0..65535). @p hz 0 or above 30 MHz gives 30 MHz. @return the frequency; *div set.
 */
uint32_t nb_ftdi_clock_for(uint32_t hz, uint16_t *div);

/** gSPI function. A zeroed struct means 10 MHz, CS on AD3. */
struct nb_ftdi_gspi_cfg {
	uint32_t clock_hz; /**< 0 = NB_FTDI_DEFAULT_GSPI_HZ; rounded down (nb_ftdi_clock_for()) */
	unsigned cs_pin;   /**< 0 = AD3 (AD0 is SK, so 0 cannot be meant) */
};

/**
 * Claim SK, DO, DI and the CS pin for gSPI (CS high, SK low, DO released) and fill @p bus.
 * Each transaction is one USB write (CS low, command, data or turnaround + read, 4-byte
 * status phase, CS high, send-immediate) and one read of the bytes clocked in.
 * @retval -EBUSY a pin is taken (by MDIO or used as a GPIO output). @retval -EINVAL bad pin.
 * @retval -EIO the pin set-up write failed.
 */
int nb_ftdi_gspi_attach(struct nb_ftdi *f, const struct nb_ftdi_gspi_cfg *cfg,
			struct nb_gspi_bus *bus);
/** The SK frequency gSPI runs at (0 when not attached). */
uint32_t nb_ftdi_gspi_clock(const struct nb_ftdi *f);

/** MDIO function. A zeroed struct means MDC at 1 MHz, a read without turnaround → 0xFFFF. */
struct nb_ftdi_mdio_cfg {
	uint32_t mdc_hz;      /**< 0 = 1 MHz; above 2.5 MHz → -EINVAL */
	bool ta_error_is_eio; /**< a read no PHY answered fails with -EIO instead of the line */
};

/**
 * Claim SK, DO, DI for MDIO (SK low, DO released) and fill @p bus (nb_mdio_ops: one frame
 * per call, one USB round trip for a read, one USB write for a write).
 * @retval -EINVAL mdc_hz above 2.5 MHz. @retval -EBUSY pins taken. @retval -EIO.
 */
int nb_ftdi_mdio_attach(struct nb_ftdi *f, const struct nb_ftdi_mdio_cfg *cfg,
			struct nb_mdio_bus *bus);
/** The MDC frequency in use (0 when not attached). */
uint32_t nb_ftdi_mdio_clock(const struct nb_ftdi *f);

/**
 * GPIO on the pins no function claimed (0..15, see above). Levels are physical. set_dir and
 * write are one USB write each, read is one round trip. Pins claimed by gSPI/MDIO: -EBUSY,
 * except that DI (AD2) may be read, set as an input and armed (the shared HOST_WAKE line).
 * set_irq: see "Interrupts" above; every mode of enum nb_gpio_irq_mode is supported, arming
 * reads the pin once to know its level.
 */
struct nb_gpio nb_ftdi_gpio(struct nb_ftdi *f);

/**
 * Evaluate the armed pins (one USB round trip when any is armed, none otherwise). Edge modes
 * fire once per change seen between two polls; level modes fire on every poll while active.
 * Call from the run loop (the handlers run there, as "interrupt context").
 * @return handlers called (>= 0), or -EIO.
 */
int nb_ftdi_irq_poll(struct nb_ftdi *f);
/** True while at least one pin is armed (the owner needs to call nb_ftdi_irq_poll()). */
bool nb_ftdi_irq_armed(const struct nb_ftdi *f);

#endif /* NB_HIL_FTDI_MPSSE_H */
