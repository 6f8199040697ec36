/* SPDX-License-Identifier: MIT */
/**
 * @file board.h
 * @brief Board description files: which adapter, which pins, which chip (YAML, libyaml).
 *
 * A board file describes a bench: the adapters on the host (an FTDI MPSSE channel, a Linux
 * GPIO chip, a spidev device, a network interface for frames), how the chip's signals are
 * wired to them, the bus clocks, and for the CYW43439 the firmware, NVRAM and CLM files.
 * Examples: hil/boards/. Format (every key is checked; unknown keys are errors):
 *
 *   board: picow-ft232h            # a name for messages (default: the file name)
 *   chip: cyw43439                 # cyw43439 | lan8720
 *   adapters:                      # at most one of each kind
 *     ftdi: {serial: FT6ABCDE}     # vid, pid, serial, description, index, channel, latency
 *     gpiod: {chip: gpiochip0}     # path, name, label or number
 *     spidev: {path: /dev/spidev0.0, clock: 20MHz, four_wire: false}
 *   gspi: {adapter: ftdi, clock: 10MHz, cs: ADBUS3}   # cyw43439: adapter ftdi | spidev
 *   mdio: {adapter: ftdi, clock: 1MHz}                # lan8720: adapter ftdi (MPSSE) | bitbang
 *   mdio: {adapter: bitbang, mdc: gpiod:5, mdio: gpiod:6}
 *   frames: {interface: enx00e04c680001, promisc: true, nic_keeps_fcs: false}   # lan8720
 *   pins:                          # cyw43439: wl_reg_on (required), host_wake
 *     wl_reg_on: ftdi:ACBUS0       # lan8720: nrst, nint (optional)
 *     host_wake: ftdi:ADBUS2       # "none": not wired (the device is then polled)
 *   irq_poll: 1ms                  # FTDI pins used as interrupts are polled this often
 *   cyw43439: {firmware: fw/43439A0.bin, nvram: fw/nvram.txt, clm: fw/clm.bin,
 *              mac: 02:00:00:43:39:01, country: DE}
 *   lan8720: {phy_addr: 1, mac: 02:00:00:87:20:01}
 *
 * Pins are "<adapter>:<pin>": ftdi pins ADBUS0..7 / ACBUS0..7 (also AD0..7 / AC0..7), gpiod
 * pins are line offsets. Frequencies: "10MHz", "2.5 MHz", "400kHz" or Hz. Durations: "1ms",
 * "500us". Relative file paths are relative to the board file.
 *
 * Checks beyond the syntax: the sections the chip needs are there and the others are not;
 * every pin names an adapter the board declares; no pin is used twice or collides with a pin
 * the clocked function owns on the FTDI (SK, DO, DI, CS; HOST_WAKE may be DI, the Pico W's
 * shared data line); the FTDI clock is at most 30 MHz, MDC at most 2.5 MHz.
 *
 * Errors: "file:line:column: what was expected" (1-based, the offending node), as for
 * scenario files. The parsed struct remembers where each file path and pin came from, so a
 * later failure to open them (nb_hil_open()) points at the line too.
 */
#ifndef NB_HIL_BOARD_H
#define NB_HIL_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nb_hil_chip {
	NB_HIL_CHIP_NONE = 0,
	NB_HIL_CHIP_CYW43439,
	NB_HIL_CHIP_LAN8720,
};

/** What carries a bus or a pin. */
enum nb_hil_via {
	NB_HIL_VIA_NONE = 0,   /**< not wired */
	NB_HIL_VIA_FTDI,
	NB_HIL_VIA_GPIOD,
	NB_HIL_VIA_SPIDEV,
	NB_HIL_VIA_BITBANG,    /**< MDIO bit-banged on two pins (drivers/bus/mdio_bitbang.c) */
};

/** Where in the board file (1-based; 0 = not from the file). */
struct nb_hil_loc {
	unsigned line, col;
};

struct nb_hil_pin {
	enum nb_hil_via via;   /**< NONE, FTDI or GPIOD */
	unsigned pin;          /**< FTDI 0..15 (see ftdi_mpsse.h) or gpiod line offset */
	struct nb_hil_loc loc;
};

#define NB_HIL_PATH_MAX 512

struct nb_hil_board {
	char path[NB_HIL_PATH_MAX];  /**< the file, as given */
	char name[64];
	enum nb_hil_chip chip;

	struct {
		bool set;
		uint16_t vid, pid;   /**< 0: defaults of nb_ftdi_cfg */
		char serial[64], description[128];
		unsigned index;
		char channel;        /**< 0 = A */
		uint8_t latency_ms;
		struct nb_hil_loc loc;
	} ftdi;
	struct {
		bool set;
		char chip[64];
		struct nb_hil_loc loc;
	} gpiod;
	struct {
		bool set;
		char path[128];
		uint32_t clock_hz;   /**< 0 = backend default */
		bool four_wire;
		struct nb_hil_loc loc;
	} spidev;

	struct {
		bool set;
		enum nb_hil_via via; /**< FTDI or SPIDEV */
		uint32_t clock_hz;   /**< FTDI SK; 0 = default */
		unsigned cs_pin;     /**< FTDI; 0 = ADBUS3 */
		struct nb_hil_loc loc;
	} gspi;
	struct {
		bool set;
		enum nb_hil_via via; /**< FTDI or BITBANG */
		uint32_t clock_hz;   /**< FTDI MDC; 0 = default */
		struct nb_hil_pin mdc, mdio; /**< BITBANG */
		struct nb_hil_loc loc;
	} mdio;
	struct {
		bool set;
		char ifname[16];
		bool promisc, nic_keeps_fcs;
		struct nb_hil_loc loc;
	} frames;

	struct {
		struct nb_hil_pin wl_reg_on, host_wake, nrst, nint;
	} pins;
	uint64_t irq_poll_ns;        /**< 0 = 1 ms */

	struct {
		char firmware[NB_HIL_PATH_MAX], nvram[NB_HIL_PATH_MAX], clm[NB_HIL_PATH_MAX];
		struct nb_hil_loc firmware_loc, nvram_loc, clm_loc;
		bool mac_set;
		uint8_t mac[6];
		char country[3];
	} cyw43439;
	struct {
		uint8_t phy_addr;
		bool mac_set;
		uint8_t mac[6];
	} lan8720;
};

/**
 * Read and check the board file at @p path into @p b (caller-allocated; nothing to free).
 * @retval 0 @p b filled. @retval -EINVAL the file is wrong (@p err: "file:line:col: ...").
 * @retval other negative errno: the file could not be read (@p err names it).
 */
int nb_hil_board_load(const char *path, struct nb_hil_board *b, char *err, size_t errlen);
/** The same from memory; @p name stands for the file in messages and paths are relative
 *  to the current directory. */
int nb_hil_board_parse(const char *text, size_t len, const char *name, struct nb_hil_board *b,
		       char *err, size_t errlen);

/** "cyw43439", "lan8720". */
const char *nb_hil_chip_name(enum nb_hil_chip chip);
/** "ADBUS3", "ACBUS0" for FTDI pins, "23" for gpiod lines, "none". @return @p buf. */
const char *nb_hil_pin_name(const struct nb_hil_pin *p, char *buf, size_t len);

#endif /* NB_HIL_BOARD_H */
