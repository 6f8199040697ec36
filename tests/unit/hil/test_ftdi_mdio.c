/* SPDX-License-Identifier: MIT */
/*
 * Clause-22 MDIO over the FTDI (hil/ftdi_mdio.c: MPSSE clock-bits frames; and the portable
 * bit-bang driver over FTDI GPIO pins) against the LAN8720A model on the simulated MDIO bus,
 * which decodes every MDC edge as the PHY would. The PHY is identified, reset, and
 * autonegotiates with the partner on the wire; the frames the bus decoded are compared with
 * the same sequence issued on the register-level bus.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drivers/bus/mdio_bitbang.h"
#include "hil/ftdi_mpsse.h"
#include "tests/unit/hil/mpsse_emu.h"
#include "tests/unit/lan8720_model/rig.h"

#define PHY 1u

struct frame_log {
	char text[8192];
	size_t len;
	unsigned n;
};

static void on_frame(void *ctx, uint64_t t_ns, bool write, uint8_t phy, uint8_t reg,
		     uint16_t val, bool answered)
{
	struct frame_log *l = ctx;
	int k = snprintf(l->text + l->len, sizeof(l->text) - l->len, "%c %u %u %04x %d\n",
			 write ? 'W' : 'R', phy, reg, val, answered);

	(void)t_ns;
	if (k > 0 && l->len + (size_t)k < sizeof(l->text))
		l->len += (size_t)k;
	l->n++;
}

static struct nb_ftdi *ftdi_up(void)
{
	struct nb_ftdi_cfg c = { .io_timeout_ms = 50 };
	struct nb_ftdi *f;
	char err[256];

	assert_int_equal(nb_ftdi_open(&c, &f, err, sizeof(err)), 0);
	return f;
}

static void rd(const struct nb_mdio_bus *b, uint8_t reg, uint16_t *v)
{
	int r = nb_mdio_read(b, PHY, reg);

	assert_true(r >= 0 && r <= 0xFFFF);
	*v = (uint16_t)r;
}

/*
 * What a PHY driver does at bring-up: identify, soft reset (wait for the self-clear), set the
 * advertisement, restart AN, wait for link. Returns the link partner ability seen.
 */
static uint16_t bringup(struct rig *r, const struct nb_mdio_bus *b)
{
	uint16_t id1, id2, v;
	int i;

	rd(b, 2, &id1);
	rd(b, 3, &id2);
	assert_int_equal(id1, 0x0007);
	assert_int_equal(id2 & 0xFFF0, 0xC0F0);
	assert_int_equal(nb_mdio_write(b, PHY, 0, 0x8000), 0);
	for (i = 0; i < 10; i++) {
		rig_run(r, 1 * MS);
		rd(b, 0, &v);
		if (!(v & 0x8000))
			break;
	}
	assert_false(v & 0x8000);
	assert_int_equal(nb_mdio_write(b, PHY, 4, 0x01E1), 0);
	rd(b, 4, &v);
	assert_int_equal(v, 0x01E1);
	assert_int_equal(nb_mdio_write(b, PHY, 0, 0x1200), 0);
	nb_lan8720_model_set_cable(r->m, true);
	for (i = 0; i < 60; i++) {
		rig_run(r, 100 * MS);
		rd(b, 1, &v);
		if ((v & 0x0024) == 0x0024)
			break;
	}
	assert_int_equal(v & 0x0024, 0x0024); /* link up, AN complete */
	rd(b, 5, &v);
	rd(b, 31, &id1);
	assert_int_equal((id1 >> 2) & 7u, 6); /* 100BASE-TX full duplex resolved */
	return v;
}

static void test_ftdi_mdio_negotiates_like_the_register_bus(void **state)
{
	struct nb_lan8720_model_cfg mc = { .phy_addr = PHY };
	struct frame_log direct = { 0 }, ftdi = { 0 };
	const struct nb_sim_mdio_stats *bs;
	struct nb_mdio_bus bus;
	struct nb_ftdi *f;
	struct rig r;
	uint16_t lpa_direct, lpa_ftdi;

	(void)state;
	rig_up(&r, &mc, true);
	nb_sim_mdio_set_trace(r.bus, on_frame, &direct);
	lpa_direct = bringup(&r, &r.mdio);
	rig_down(&r);

	rig_up(&r, &mc, true);
	nb_sim_mdio_set_trace(r.bus, on_frame, &ftdi);
	emu_ftdi_reset(NULL);
	emu_ftdi_connect_mdio(nb_sim_mdio_gpio(r.bus));
	f = ftdi_up();
	assert_int_equal(nb_ftdi_mdio_attach(f, NULL, &bus), 0);
	lpa_ftdi = bringup(&r, &bus);
	bs = nb_sim_mdio_stats(r.bus);
	assert_int_equal(bs->bad_frames, 0);
	assert_int_equal(bs->contention, 0);
	assert_int_equal(bs->unanswered, 0);
	assert_int_equal(r.violations, 0);
	assert_int_equal(emu_ftdi_state()->protocol_errors, 0);
	/* MDC at the 1 MHz default, never above 2.5 MHz; 64 clocks per frame */
	assert_int_equal(nb_ftdi_mdio_clock(f), 1000000);
	assert_true(emu_ftdi_state()->max_mdio_hz <= 2500000);
	assert_int_equal(emu_ftdi_state()->mdio_bits, 64u * ftdi.n);
	assert_int_equal(nb_ftdi_stats(f)->mdio_frames, ftdi.n);
	assert_int_equal(nb_ftdi_stats(f)->mdio_ta_errors, 0);
	nb_ftdi_close(f);
	emu_ftdi_reset(NULL);
	rig_down(&r);

	assert_int_equal(lpa_ftdi, lpa_direct);
	assert_true(direct.n > 8);
	assert_string_equal(ftdi.text, direct.text);
}

static void test_ftdi_mdio_absent_phy(void **state)
{
	struct nb_lan8720_model_cfg mc = { .phy_addr = PHY };
	struct nb_mdio_bus bus;
	struct nb_ftdi *f;
	struct rig r;

	(void)state;
	rig_up(&r, &mc, false);
	emu_ftdi_reset(NULL);
	emu_ftdi_connect_mdio(nb_sim_mdio_gpio(r.bus));
	f = ftdi_up();
	assert_int_equal(nb_ftdi_mdio_attach(f, NULL, &bus), 0);
	/* nobody at address 7: the line's pull-up, and the turnaround nobody drove is counted */
	assert_int_equal(nb_mdio_read(&bus, 7, 2), 0xFFFF);
	assert_int_equal(nb_ftdi_stats(f)->mdio_ta_errors, 1);
	assert_int_equal(nb_sim_mdio_stats(r.bus)->unanswered, 1);
	assert_int_equal(nb_mdio_read(&bus, 32, 2), -EINVAL);
	assert_int_equal(nb_mdio_write(&bus, 1, 32, 0), -EINVAL);
	nb_ftdi_close(f);

	emu_ftdi_reset(NULL);
	emu_ftdi_connect_mdio(nb_sim_mdio_gpio(r.bus));
	f = ftdi_up();
	assert_int_equal(nb_ftdi_mdio_attach(f, &(struct nb_ftdi_mdio_cfg){
						       .ta_error_is_eio = true },
					     &bus),
			 0);
	assert_int_equal(nb_mdio_read(&bus, 7, 2), -EIO);
	assert_non_null(strstr(nb_ftdi_last_error(f), "no PHY drove the turnaround"));
	assert_int_equal(nb_mdio_read(&bus, PHY, 2), 0x0007);
	assert_int_equal(emu_ftdi_state()->protocol_errors, 0);
	nb_ftdi_close(f);
	emu_ftdi_reset(NULL);
	rig_down(&r);
}

static void test_ftdi_mdio_clock_limits(void **state)
{
	struct nb_mdio_bus bus;
	struct nb_ftdi *f;

	(void)state;
	emu_ftdi_reset(NULL);
	f = ftdi_up();
	assert_int_equal(nb_ftdi_mdio_attach(f, &(struct nb_ftdi_mdio_cfg){ .mdc_hz = 3000000 },
					     &bus),
			 -EINVAL);
	assert_non_null(strstr(nb_ftdi_last_error(f), "above the 2.5 MHz"));
	assert_int_equal(nb_ftdi_mdio_attach(f, &(struct nb_ftdi_mdio_cfg){ .mdc_hz = 2500000 },
					     &bus),
			 0);
	assert_int_equal(nb_ftdi_mdio_clock(f), 2500000);
	assert_int_equal(emu_ftdi_state()->sk_hz, 2500000);
	nb_ftdi_close(f);
	emu_ftdi_reset(NULL);
}

static void test_ftdi_mdio_usb_failure_is_eio(void **state)
{
	struct nb_lan8720_model_cfg mc = { .phy_addr = PHY };
	struct nb_mdio_bus bus;
	struct nb_ftdi *f;
	struct rig r;

	(void)state;
	rig_up(&r, &mc, false);
	emu_ftdi_reset(NULL);
	emu_ftdi_connect_mdio(nb_sim_mdio_gpio(r.bus));
	f = ftdi_up();
	assert_int_equal(nb_ftdi_mdio_attach(f, NULL, &bus), 0);
	emu_ftdi_fail_write(1, -1);
	assert_int_equal(nb_mdio_read(&bus, PHY, 2), -EIO);
	emu_ftdi_fail_write(1, -1);
	assert_int_equal(nb_mdio_write(&bus, PHY, 4, 0x01E1), -EIO);
	emu_ftdi_fail_read(1, 1); /* stalls after the TA byte */
	assert_int_equal(nb_mdio_read(&bus, PHY, 2), -EIO);
	assert_non_null(strstr(nb_ftdi_last_error(f), "short read: 1 of 3"));
	assert_int_equal(nb_mdio_read(&bus, PHY, 3) & 0xFFF0, 0xC0F0);
	nb_ftdi_close(f);
	emu_ftdi_reset(NULL);
	rig_down(&r);
}

/* The portable bit-bang driver (drivers/bus/mdio_bitbang.c) over two FTDI GPIO pins: for
 * boards whose MDIO is not on the MPSSE pins. Slow (one USB transfer per edge) but correct. */
static void test_ftdi_mdio_bitbang_over_ftdi_gpio(void **state)
{
	struct nb_lan8720_model_cfg mc = { .phy_addr = PHY };
	struct frame_log direct = { 0 }, bb_log = { 0 };
	struct nb_mdio_bitbang bb;
	struct nb_ftdi *f;
	struct rig r;
	uint16_t lpa_direct, lpa_bb;

	(void)state;
	rig_up(&r, &mc, true);
	nb_sim_mdio_set_trace(r.bus, on_frame, &direct);
	lpa_direct = bringup(&r, &r.mdio);
	rig_down(&r);

	rig_up(&r, &mc, true);
	nb_sim_mdio_set_trace(r.bus, on_frame, &bb_log);
	emu_ftdi_reset(NULL);
	emu_ftdi_connect_mdio_gpio(nb_sim_mdio_gpio(r.bus), NB_FTDI_ACBUS(0), NB_FTDI_ACBUS(1));
	f = ftdi_up();
	assert_int_equal(nb_mdio_bitbang_init(&bb, &(struct nb_mdio_bitbang_cfg){
						       .gpio = nb_ftdi_gpio(f),
						       .mdc_pin = NB_FTDI_ACBUS(0),
						       .mdio_pin = NB_FTDI_ACBUS(1) }),
			 0);
	lpa_bb = bringup(&r, &bb.bus);
	assert_int_equal(bb.ta_errors, 0);
	assert_int_equal(nb_sim_mdio_stats(r.bus)->bad_frames, 0);
	assert_int_equal(emu_ftdi_state()->protocol_errors, 0);
	nb_ftdi_close(f);
	emu_ftdi_reset(NULL);
	rig_down(&r);
	assert_int_equal(lpa_bb, lpa_direct);
	assert_string_equal(bb_log.text, direct.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ftdi_mdio_negotiates_like_the_register_bus),
		cmocka_unit_test(test_ftdi_mdio_absent_phy),
		cmocka_unit_test(test_ftdi_mdio_clock_limits),
		cmocka_unit_test(test_ftdi_mdio_usb_failure_is_eio),
		cmocka_unit_test(test_ftdi_mdio_bitbang_over_ftdi_gpio),
	};

	return cmocka_run_group_tests_name("hil_ftdi_mdio", tests, NULL, NULL);
}
