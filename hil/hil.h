/* SPDX-License-Identifier: MIT */
/**
 * @file hil.h
 * @brief Hardware in the loop: open a board (hil/board.h) and get what its driver needs —
 *        buses, pins, firmware — plus the hooks the run loop calls. The library API the
 *        netbench program uses for `--hil board.yml`.
 *
 * Typical use (error handling shortened):
 *
 *   struct nb_hil_board board;
 *   struct nb_hil *hil;
 *   nb_hil_board_load("board.yml", &board, err, sizeof(err));
 *   nb_hil_open(&board, &(struct nb_hil_cfg){ .log = log, .clock = clock }, &hil, err, n);
 *   if (board.chip == NB_HIL_CHIP_CYW43439) {
 *           struct nb_cyw43439_cfg c = { 0 };     // driver knobs stay the caller's
 *           nb_hil_cyw43439_cfg(hil, &c);         // buses, pins, images, MAC, clock, log
 *           nb_cyw43439_init(&dev, &c);
 *   }
 *   // run loop: watch nb_hil_fds() for readability, call nb_hil_work() when one is readable
 *   // and at nb_hil_deadline(), then poll the device as usual
 *   nb_hil_close(hil);                            // after the driver's deinit
 *
 * What is opened: only the adapters the board uses. For the CYW43439: the gSPI bus (FTDI
 * MPSSE or spidev), WL_REG_ON and HOST_WAKE (FTDI pins or gpiod lines), the firmware, NVRAM
 * (text converted, hil/fwfile.h) and CLM files. Without HOST_WAKE the device is configured as
 * polled (no_irq). For the LAN8720: MDIO (FTDI MPSSE frames, or the portable bit-bang driver
 * on two pins), nRST/nINT if wired, the AF_PACKET frame port.
 *
 * Interrupts: gpiod lines deliver edges through file descriptors (nb_hil_fds()); FTDI pins are
 * sampled every board irq_poll while armed (nb_hil_deadline() says when) — see
 * hil/ftdi_mpsse.h. Frames waiting on the AF_PACKET socket make its descriptor readable; work()
 * then runs the port's notify, i.e. the driver's interrupt.
 *
 * Errors of nb_hil_open() name the board file position that asked for the failing thing:
 * "board.yml:12:3: adapters.ftdi: no FTDI adapter 0403:6014 serial FT6ABCDE index 0 channel A
 * found", "board.yml:30:13: cyw43439.firmware: cannot read 'fw/43439A0.bin': No such file or
 * directory".
 *
 * Context: not thread-safe; the run loop's thread owns a struct nb_hil.
 */
#ifndef NB_HIL_HIL_H
#define NB_HIL_HIL_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/clock.h"
#include "drivers/bus/gpio.h"
#include "drivers/bus/gspi.h"
#include "drivers/bus/log.h"
#include "drivers/bus/mdio.h"
#include "drivers/bus/rmii.h"
#include "hil/board.h"
#include "hil/pinmap.h"

struct nb_cyw43439_cfg;
struct nb_lan8720_cfg;

#define NB_HIL_FW_MAX (512u * 1024u) /**< the CYW43439's RAM: no image can be larger */

struct nb_hil_cfg {
	struct nb_log log;        /**< backends' and nb_hil's messages (copied) */
	struct nb_clock clock;    /**< the drivers' clock; ops NULL: nb_hil_clock_monotonic() */
	uint32_t io_timeout_ms;   /**< FTDI USB read timeout; 0 = 1000 */
};

struct nb_hil;

/**
 * Open what @p b uses. @p b is copied.
 * @retval 0 *out set. @retval -ENODEV, -EACCES, -EBUSY, -EPERM, -EOPNOTSUPP, -EIO from the
 * adapters (also -EOPNOTSUPP when netbench was built without libftdi1/libgpiod), -errno of a
 * file, -EINVAL a bad NVRAM line or a board that does not say what the chip needs, -ENOMEM.
 * @p err gets the one-line reason.
 */
int nb_hil_open(const struct nb_hil_board *b, const struct nb_hil_cfg *cfg, struct nb_hil **out,
		char *err, size_t errlen);
/** Close adapters and free images. Deinit the driver first. Accepts NULL. */
void nb_hil_close(struct nb_hil *h);

/**
 * Fill the bus, pin, image, MAC, country, clock and log fields of @p cfg; everything else
 * (timeouts, verification, name) is left as the caller set it. Images stay valid until
 * nb_hil_close(). @retval -EINVAL the board is not a cyw43439.
 */
int nb_hil_cyw43439_cfg(const struct nb_hil *h, struct nb_cyw43439_cfg *cfg);
/** The same for the LAN8720 driver (mdio, rmii, gpio, nRST/nINT, phy_addr, mac, clock, log).
 *  @retval -EINVAL the board is not a lan8720. */
int nb_hil_lan8720_cfg(const struct nb_hil *h, struct nb_lan8720_cfg *cfg);

/** The pieces, for callers wiring something else (ops NULL when the board has none). */
struct nb_gspi_bus nb_hil_gspi(const struct nb_hil *h);
struct nb_mdio_bus nb_hil_mdio(const struct nb_hil *h);
struct nb_rmii_port nb_hil_rmii(const struct nb_hil *h);
/** The board's pins, numbered by enum nb_hil_pin_id (hil/pinmap.h). */
struct nb_gpio nb_hil_gpio(const struct nb_hil *h);
const struct nb_clock *nb_hil_clock(const struct nb_hil *h);
const struct nb_hil_board *nb_hil_board(const struct nb_hil *h);

/** File descriptors to watch for readability (at most @p cap written); @return how many
 *  there are. They change when interrupts are armed: ask again after each work(). */
unsigned nb_hil_fds(const struct nb_hil *h, int *fds, unsigned cap);
/** Service what is ready: GPIO edge events, polled FTDI interrupts that are due, frames
 *  waiting on the socket (never blocks). @return > 0 something happened, 0 idle, -errno
 *  (the adapter failed; nb_hil_last_error() says how). */
int nb_hil_work(struct nb_hil *h);
/** When work() must run again without an fd event (NB_DEADLINE_NONE: only on events). */
uint64_t nb_hil_deadline(const struct nb_hil *h);

/** One line describing what was opened ("FT232H: gSPI 15 MHz CS ADBUS3; ..."). */
const char *nb_hil_describe(const struct nb_hil *h);
const char *nb_hil_last_error(const struct nb_hil *h);

#endif /* NB_HIL_HIL_H */
