/* SPDX-License-Identifier: MIT */
/**
 * @file mpsse_emu_priv.h
 * @brief Inside of the MPSSE emulator: its state, shared by the command interpreter
 *        (mpsse_emu.c) and the libftdi wraps that feed it (ftdi_wraps.c).
 */
#ifndef NB_TEST_MPSSE_EMU_PRIV_H
#define NB_TEST_MPSSE_EMU_PRIV_H

#include "hil/ftdi_mpsse.h"
#include "tests/unit/hil/mpsse_emu.h"

#define PIN_SK 0u
#define PIN_DO 1u
#define PIN_DI 2u
#define FIFO_CAP (1u << 16)
#define XACT_CAP 8192u

struct conn {
	bool used, host_drives;
	struct nb_gpio g;
	unsigned model_pin;
	bool sent_out;  /* host pin: the model has been told it is an output */
	bool out, level;
};

struct seg {
	size_t fifo_off, len;
};

struct emu {
	struct emu_ftdi_opts o;
	struct emu_ftdi_state st;
	struct conn pins[NB_FTDI_PINS];
	/* gSPI target */
	bool gspi_on;
	struct nb_gspi_bus gspi;
	unsigned cs_pin;
	bool cs_low, chip_turn;
	uint8_t xout[XACT_CAP];
	size_t xout_len, xin_len;
	struct seg segs[16];
	unsigned nsegs;
	unsigned writes_in_xact;
	bool bus_failed;
	/* MDIO target */
	bool mdio_on, mdio_gpio;
	struct nb_gpio mdio;
	unsigned mdc_pin, mdio_pin;
	bool mdc_level, mdio_driven, mdio_level;
	/* read FIFO: [0, ready) readable, [ready, len) waits for a gSPI transaction */
	uint8_t fifo[FIFO_CAP];
	size_t head, ready, len;
	/* partial command carried to the next write */
	uint8_t carry[FIFO_CAP + 16];
	size_t carry_len;
	/* fault injection */
	unsigned fail_write_at, fail_read_at;
	int fail_write_ret, fail_read_ret;
	bool read_stalled;
	bool unplugged;
	size_t stall_left;
};


extern struct emu emu_ftdi_state_all;
#define E emu_ftdi_state_all

/** Interpret one command at @p p. @return bytes consumed, 0 when it is incomplete. */
size_t emu_ftdi_command(const uint8_t *p, size_t avail);

#endif
