/* SPDX-License-Identifier: MIT */
/* The libftdi functions the FTDI backend calls, answered by the MPSSE emulator. */
#include <ftdi.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/hil/mpsse_emu_priv.h"

struct ftdi_context *__wrap_ftdi_new(void);
void __wrap_ftdi_free(struct ftdi_context *ftdi);
int __wrap_ftdi_set_interface(struct ftdi_context *ftdi, enum ftdi_interface interface);
int __wrap_ftdi_usb_open_desc_index(struct ftdi_context *ftdi, int vendor, int product,
				    const char *description, const char *serial,
				    unsigned int index);
int __wrap_ftdi_usb_close(struct ftdi_context *ftdi);
int __wrap_ftdi_usb_reset(struct ftdi_context *ftdi);
int __wrap_ftdi_set_latency_timer(struct ftdi_context *ftdi, unsigned char latency);
int __wrap_ftdi_set_bitmode(struct ftdi_context *ftdi, unsigned char bitmask, unsigned char mode);
int __wrap_ftdi_tcioflush(struct ftdi_context *ftdi);
int __wrap_ftdi_write_data(struct ftdi_context *ftdi, const unsigned char *buf, int size);
int __wrap_ftdi_read_data(struct ftdi_context *ftdi, unsigned char *buf, int size);
const char *__wrap_ftdi_get_error_string(struct ftdi_context *ftdi);

struct ftdi_context *__wrap_ftdi_new(void)
{
	struct ftdi_context *c = calloc(1, sizeof(*c));

	if (c)
		c->error_str = "";
	return c;
}

void __wrap_ftdi_free(struct ftdi_context *ftdi)
{
	free(ftdi);
}

int __wrap_ftdi_set_interface(struct ftdi_context *ftdi, enum ftdi_interface interface)
{
	E.st.interface = (int)interface;
	return 0;
}

int __wrap_ftdi_usb_open_desc_index(struct ftdi_context *ftdi, int vendor, int product,
				    const char *description, const char *serial,
				    unsigned int index)
{
	if (E.o.absent || vendor != NB_FTDI_VID || product != E.o.pid || index != 0 ||
	    (serial && strcmp(serial, E.o.serial) != 0)) {
		ftdi->error_str = "usb device not found";
		return -3;
	}
	if (E.o.open_error) {
		ftdi->error_str = E.o.open_error == -4 ? "unable to open device"
						       : "unable to claim device";
		return E.o.open_error;
	}
	ftdi->type = (enum ftdi_chip_type)E.o.chip_type;
	E.st.opened = true;
	return 0;
}

int __wrap_ftdi_usb_close(struct ftdi_context *ftdi)
{
	E.st.opened = false;
	E.st.mpsse = false;
	return 0;
}

int __wrap_ftdi_usb_reset(struct ftdi_context *ftdi)
{
	return E.st.opened ? 0 : -2;
}

int __wrap_ftdi_set_latency_timer(struct ftdi_context *ftdi, unsigned char latency)
{
	if (latency < 1)
		return -1;
	E.st.latency = latency;
	return 0;
}

int __wrap_ftdi_set_bitmode(struct ftdi_context *ftdi, unsigned char bitmask, unsigned char mode)
{
	E.st.mpsse = mode == BITMODE_MPSSE;
	return 0;
}

int __wrap_ftdi_tcioflush(struct ftdi_context *ftdi)
{
	if (E.unplugged) {
		ftdi->error_str = "usb device unavailable";
		return -3;
	}
	E.st.flushes++;
	E.head = E.ready = E.len = 0;
	E.carry_len = 0;
	E.read_stalled = false;
	E.bus_failed = false;
	return 0;
}

int __wrap_ftdi_write_data(struct ftdi_context *ftdi, const unsigned char *buf, int size)
{
	size_t off = 0;

	E.st.writes++;
	if (E.unplugged) {
		ftdi->error_str = "usb device unavailable";
		return -666;
	}
	if (E.cs_low)
		E.writes_in_xact++;
	if (E.fail_write_at && E.st.writes == E.fail_write_at) {
		E.fail_write_at = 0;
		if (E.fail_write_ret < 0) {
			ftdi->error_str = "usb bulk write failed";
			return E.fail_write_ret;
		}
		size = E.fail_write_ret; /* the first bytes still reach the chip */
	}
	if (!E.st.mpsse) {
		emu_ftdi_error("%d bytes written outside MPSSE mode", size);
		return size;
	}
	if (E.head == E.len)
		E.head = E.ready = E.len = 0;
	if (E.carry_len + (size_t)size > sizeof(E.carry)) {
		emu_ftdi_error("write of %d bytes overflows the command buffer", size);
		return -1;
	}
	memcpy(E.carry + E.carry_len, buf, (size_t)size);
	E.carry_len += (size_t)size;
	while (off < E.carry_len) {
		size_t k = emu_ftdi_command(E.carry + off, E.carry_len - off);

		if (!k)
			break;
		off += k;
	}
	memmove(E.carry, E.carry + off, E.carry_len - off);
	E.carry_len -= off;
	return size;
}

int __wrap_ftdi_read_data(struct ftdi_context *ftdi, unsigned char *buf, int size)
{
	size_t n;

	E.st.reads++;
	if (E.unplugged) {
		ftdi->error_str = "usb device unavailable";
		return -666;
	}
	if (E.fail_read_at && E.st.reads == E.fail_read_at) {
		E.fail_read_at = 0;
		if (E.fail_read_ret < 0) {
			ftdi->error_str = "usb bulk read failed";
			return E.fail_read_ret;
		}
		E.read_stalled = true;
		E.stall_left = (size_t)E.fail_read_ret;
	}
	if (E.bus_failed) {
		E.bus_failed = false;
		ftdi->error_str = "usb bulk read failed";
		return -1;
	}
	if (E.head == E.ready && E.ready < E.len)
		emu_ftdi_error("FTDI data read while a gSPI transaction is still open");
	n = E.ready - E.head;
	if (n > (size_t)size)
		n = (size_t)size;
	if (E.read_stalled) {
		if (n > E.stall_left)
			n = E.stall_left;
		E.stall_left -= n;
	}
	memcpy(buf, E.fifo + E.head, n);
	E.head += n;
	return (int)n;
}

const char *__wrap_ftdi_get_error_string(struct ftdi_context *ftdi)
{
	return ftdi ? ftdi->error_str : "no context";
}
