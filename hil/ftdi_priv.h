/* SPDX-License-Identifier: MIT */
/**
 * @file ftdi_priv.h
 * @brief Inside of the FTDI backend: the handle, the MPSSE command queue that ftdi_mpsse.c
 *        sends over libftdi, and the opcodes the function files (ftdi_gspi.c, ftdi_mdio.c,
 *        ftdi_gpio.c) put into it. Only ftdi_mpsse.c talks to libftdi.
 */
#ifndef NB_HIL_FTDI_PRIV_H
#define NB_HIL_FTDI_PRIV_H

#include <stdarg.h>

#include "hil/ftdi_mpsse.h"

/* MPSSE opcodes (FTDI AN_108). Shift commands are built from the flag bits. */
enum {
	NB_MPSSE_WRITE_NEG = 0x01, /**< DO changes on the falling edge of SK */
	NB_MPSSE_BITS = 0x02,      /**< length counts bits (1..8), not bytes */
	NB_MPSSE_READ_NEG = 0x04,  /**< DI sampled on the falling edge */
	NB_MPSSE_LSB = 0x08,
	NB_MPSSE_DO_WRITE = 0x10,
	NB_MPSSE_DO_READ = 0x20,
	NB_MPSSE_SET_LOW = 0x80,   /**< value, direction of ADBUS */
	NB_MPSSE_GET_LOW = 0x81,
	NB_MPSSE_SET_HIGH = 0x82,  /**< value, direction of ACBUS */
	NB_MPSSE_GET_HIGH = 0x83,
	NB_MPSSE_LOOPBACK_OFF = 0x85,
	NB_MPSSE_DIVISOR = 0x86,   /**< low, high byte */
	NB_MPSSE_SEND_IMMEDIATE = 0x87,
	NB_MPSSE_DIV5_OFF = 0x8A,
	NB_MPSSE_3PHASE_OFF = 0x8D,
	NB_MPSSE_ADAPTIVE_OFF = 0x97,
	NB_MPSSE_BAD_COMMAND = 0xFA, /**< the MPSSE's answer to an opcode it does not know */
};

/* The shift commands the backend uses: MSB first, SK idle low (SPI mode 0). */
#define NB_MPSSE_OUT_BYTES (NB_MPSSE_DO_WRITE | NB_MPSSE_WRITE_NEG)               /* 0x11 */
#define NB_MPSSE_OUT_BITS (NB_MPSSE_DO_WRITE | NB_MPSSE_WRITE_NEG | NB_MPSSE_BITS) /* 0x13 */
#define NB_MPSSE_IN_BYTES (NB_MPSSE_DO_READ)                                       /* 0x20 */
#define NB_MPSSE_IN_BITS (NB_MPSSE_DO_READ | NB_MPSSE_BITS)                        /* 0x22 */

/** One shift command moves at most this many bytes. */
#define NB_MPSSE_MAX_SHIFT 65536u

struct ftdi_context;

struct nb_ftdi_irq {
	enum nb_gpio_irq_mode mode;
	nb_gpio_irq_fn fn;
	void *ctx;
	bool level;      /**< level at the last read of the pins */
	bool pending;    /**< an edge (or an active level) seen since the last poll fired */
};

/** A destination for bytes the queued commands clock in, in queue order. */
struct nb_ftdi_rd {
	uint8_t *dst;
	size_t len;
};

#define NB_FTDI_MAX_RD 8u

struct nb_ftdi {
	struct ftdi_context *ctx;
	struct nb_ftdi_cfg cfg;
	char serial[64];
	char description[128];
	const char *chip;
	uint16_t pid;
	unsigned npins;           /**< 16, or 8 on the FT4232H (no ACBUS on its channels) */

	uint8_t val[2], dir[2];   /**< shadow of the ADBUS / ACBUS data and direction bytes */
	uint16_t claimed;         /**< pins owned by the clocked function */
	uint16_t gpio_out;        /**< pins the GPIO ops made outputs */
	bool div_valid;
	uint16_t div;             /**< divisor last sent */
	bool dirty;               /**< an I/O error left the stream in an unknown state */

	uint8_t *q;               /**< queued command bytes */
	size_t qlen, qcap;
	bool q_nomem;
	struct nb_ftdi_rd rd[NB_FTDI_MAX_RD];
	unsigned nrd;
	size_t rd_total;

	struct nb_ftdi_irq irq[NB_FTDI_PINS];
	uint16_t armed;

	enum { NB_FTDI_FN_NONE = 0, NB_FTDI_FN_GSPI, NB_FTDI_FN_MDIO } fn;
	uint16_t fn_div;
	uint32_t fn_hz;
	unsigned cs_pin;
	bool ta_error_is_eio;
	uint8_t status[NB_GSPI_STATUS_LEN];
	uint8_t mdio_in[3];

	struct nb_ftdi_stats stats;
	char err[256];
};

/* ---- command queue (ftdi_mpsse.c) ------------------------------------------------------- */

/** Append bytes to the queue (allocation failure is reported by nb_ftdi_q_run()). */
void nb_ftdi_q_bytes(struct nb_ftdi *f, const uint8_t *p, size_t n);
static inline void nb_ftdi_q_byte(struct nb_ftdi *f, uint8_t b)
{
	nb_ftdi_q_bytes(f, &b, 1);
}
/** Queue SET_LOW or SET_HIGH with the shadow of the byte holding @p pin. */
void nb_ftdi_q_pins(struct nb_ftdi *f, unsigned pin);
/** Queue the clock divisor unless it is already in force. */
void nb_ftdi_q_divisor(struct nb_ftdi *f, uint16_t div);
/** Queue a shift of @p n bytes (1..65536) out of @p p and/or into @p dst (opcode flags). */
void nb_ftdi_q_shift_bytes(struct nb_ftdi *f, uint8_t op, const uint8_t *p, uint8_t *dst,
			   size_t n);
/** Queue a shift of @p nbits (1..8) bits (MSB-first: the top bits of @p bits go out; bits
 *  read land in the low @p nbits of the byte at @p dst, first bit highest). */
void nb_ftdi_q_shift_bits(struct nb_ftdi *f, uint8_t op, uint8_t bits, uint8_t *dst,
			  unsigned nbits);
/** Register @p dst for @p len bytes the queued commands send back (GET_LOW/GET_HIGH). */
void nb_ftdi_q_read(struct nb_ftdi *f, uint8_t *dst, size_t len);
/**
 * Send the queue in one USB write (plus SEND_IMMEDIATE when it reads) and read every byte
 * it clocks in into the registered destinations. The queue is empty afterwards either way.
 * @p what names the operation in error messages. @retval 0, -EIO, -ENOMEM.
 */
int nb_ftdi_q_run(struct nb_ftdi *f, const char *what);
/** Drop whatever is queued (on an error while building). */
void nb_ftdi_q_discard(struct nb_ftdi *f);

/** Record and log an error; @return @p err. */
int nb_ftdi_fail(struct nb_ftdi *f, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline uint16_t nb_ftdi_bit(unsigned pin)
{
	return (uint16_t)(1u << pin);
}

/** Set a pin's shadow direction/level (nothing is sent). */
void nb_ftdi_shadow(struct nb_ftdi *f, unsigned pin, bool output, bool level);

/** Release every pin (used by close). */
void nb_ftdi_gpio_release_all(struct nb_ftdi *f);

#endif /* NB_HIL_FTDI_PRIV_H */
