/* SPDX-License-Identifier: MIT */
/**
 * @file mpsse_emu.h
 * @brief An FT232H/FT2232H as libftdi1 would present it, for the HIL backend tests.
 *
 * The test executables link with -Wl,--wrap=ftdi_<fn> for every libftdi function the
 * backend calls, so the backend's calls land here (the OS edge: nothing of hil/ is faked).
 * The emulator interprets the MPSSE command stream the backend writes — pin set/read commands,
 * clock divisor and mode commands, byte and bit shifts on either edge — and drives the
 * simulated chips:
 *
 *  - gSPI: while the CS pin is low, bytes shifted out on the falling edge (0x11) are the
 *    command and write data, bytes shifted in on the rising edge (0x20) are the chip's turn.
 *    When CS rises the transaction's wire bytes go to the CYW43439 model's gSPI bus (a write
 *    when data followed the command, else a read of the bytes clocked in minus the 4-byte
 *    status phase) and the model's bytes become the FTDI read data. The emulator evaluates a
 *    transaction when CS rises, so a read of the FTDI data while CS is still low gets nothing
 *    (recorded as an emulator error; the backend never does that).
 *  - MDIO: every clock bit toggles the simulated MDIO bus pins: DO (when it is an output)
 *    drives MDIO, SK is MDC, DI reads the MDIO line, sampled before the rising edge for
 *    rising-edge reads (0x20/0x22) and after it for falling-edge reads.
 *  - GPIO: pins connected to model pins follow the SET_LOW/SET_HIGH commands (host-driven
 *    pins) or feed GET_LOW/GET_HIGH (chip-driven pins).
 *
 * Everything the real chip or the wiring would not accept is recorded as a protocol error
 * with a text (wrong edge, LSB first, shift with DO released / driven at the wrong time,
 * contention on the data line, data line high when WL_REG_ON rises, commands outside MPSSE
 * mode, loopback on, a gSPI transaction that is not command + data + 4 status bytes): tests
 * require none.
 *
 * Test code, one emulated adapter per process (the wrapped functions are global).
 */
#ifndef NB_TEST_MPSSE_EMU_H
#define NB_TEST_MPSSE_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/gpio.h"
#include "drivers/bus/gspi.h"

struct emu_ftdi_opts {
	bool absent;          /**< no adapter on the bus: open fails with -3 */
	int chip_type;        /**< libftdi enum ftdi_chip_type; 0 = TYPE_232H */
	uint16_t pid;         /**< 0 = 0x6014 */
	const char *serial;   /**< the adapter's serial; NULL = "NB000001" */
	int open_error;       /**< non-zero: ftdi_usb_open_desc_index returns this */
	bool no_sync_answer;  /**< the MPSSE ignores bad opcodes (a stuck adapter) */
};

/** Counters and what the backend configured. */
struct emu_ftdi_state {
	bool opened, mpsse;
	int interface;
	unsigned latency;
	bool div5, three_phase, adaptive, loopback;
	bool synced;             /**< a bad-opcode sync was answered */
	uint16_t div;
	uint32_t sk_hz;          /**< SK frequency of the divisor in force */
	uint32_t max_mdio_hz;    /**< fastest SK seen while clocking MDIO */
	unsigned writes, reads;  /**< ftdi_write_data / ftdi_read_data calls */
	unsigned transactions;   /**< gSPI CS-low transactions evaluated */
	unsigned max_writes_per_transaction;
	unsigned mdio_bits;
	unsigned flushes;
	unsigned protocol_errors;
	char last_error[256];
	uint8_t lo_val, lo_dir, hi_val, hi_dir;
};

/** Fresh emulator (nothing connected). */
void emu_ftdi_reset(const struct emu_ftdi_opts *o);
/** The CYW43439 model's gSPI bus behind the data line; CS on FTDI pin @p cs_pin. */
void emu_ftdi_connect_gspi(struct nb_gspi_bus bus, unsigned cs_pin);
/** FTDI pin @p pin wired to pin @p model_pin of @p g. @p host_drives: the host's output
 *  (WL_REG_ON, nRST); else the chip drives it (HOST_WAKE, nINT). A chip-driven pin may be DI:
 *  then it is read through the data line while neither side drives data. */
void emu_ftdi_connect_pin(unsigned pin, struct nb_gpio g, unsigned model_pin, bool host_drives);
/** The simulated MDIO bus pins (sim/bus/mdio_bus.h) on SK (MDC) and DO/DI (MDIO). */
void emu_ftdi_connect_mdio(struct nb_gpio mdio_pins);
/** The simulated MDIO pins on two GPIO pins (bit-bang through the GPIO ops). */
void emu_ftdi_connect_mdio_gpio(struct nb_gpio mdio_pins, unsigned mdc_pin, unsigned mdio_pin);

/** ftdi_write_data call number @p nth (1-based, counted from now) fails: returns @p ret
 *  (negative: error, >= 0: short write of that many bytes). */
void emu_ftdi_fail_write(unsigned nth, int ret);
/** ftdi_read_data call number @p nth fails with @p ret (< 0) or, for @p ret >= 0, the
 *  emulator delivers only @p ret bytes of what is due and then nothing more (a stalled chip). */
void emu_ftdi_fail_read(unsigned nth, int ret);

/** The adapter is pulled out: every later USB transfer fails (libftdi's -4 / -666). */
void emu_ftdi_unplug(void);

const struct emu_ftdi_state *emu_ftdi_state(void);
/** Record an emulator-side protocol error (also used by the emulator itself). */
void emu_ftdi_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
