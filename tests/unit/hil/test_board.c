/* SPDX-License-Identifier: MIT */
/*
 * Board description files (hil/board.c): the shipped examples load with the values they say,
 * and every kind of mistake is reported as "file:line:column: what was expected".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hil/board.h"
#include "hil/ftdi_mpsse.h"
#include "tests/unit/support/test_support.h"

#ifndef NB_BOARDS_DIR
#error "NB_BOARDS_DIR must name hil/boards"
#endif

static void load(const char *name, struct nb_hil_board *b)
{
	char path[512], err[768];
	int r;

	snprintf(path, sizeof(path), "%s/%s", NB_BOARDS_DIR, name);
	r = nb_hil_board_load(path, b, err, sizeof(err));
	if (r)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(r, 0);
}

static void test_board_picow_ft232h(void **state)
{
	struct nb_hil_board b;
	char want[600], pin[16];

	(void)state;
	load("picow-ft232h.yml", &b);
	assert_string_equal(b.name, "picow-ft232h");
	assert_int_equal(b.chip, NB_HIL_CHIP_CYW43439);
	assert_true(b.ftdi.set);
	assert_int_equal(b.ftdi.pid, NB_FTDI_PID_FT232H);
	assert_false(b.gpiod.set);
	assert_int_equal(b.gspi.via, NB_HIL_VIA_FTDI);
	assert_int_equal(b.gspi.clock_hz, 15000000);
	assert_int_equal(b.gspi.cs_pin, NB_FTDI_ADBUS(3));
	assert_int_equal(b.pins.wl_reg_on.via, NB_HIL_VIA_FTDI);
	assert_int_equal(b.pins.wl_reg_on.pin, NB_FTDI_ACBUS(0));
	assert_string_equal(nb_hil_pin_name(&b.pins.wl_reg_on, pin, sizeof(pin)), "ACBUS0");
	assert_int_equal(b.pins.host_wake.pin, NB_FTDI_PIN_DI); /* the shared data line */
	assert_int_equal(b.irq_poll_ns, 1000000);
	snprintf(want, sizeof(want), "%s/firmware/43439A0.bin", NB_BOARDS_DIR);
	assert_string_equal(b.cyw43439.firmware, want);
	assert_true(b.cyw43439.firmware_loc.line > 1);
	assert_string_equal(b.cyw43439.country, "XX");
	assert_false(b.cyw43439.mac_set);
}

static void test_board_other_examples(void **state)
{
	struct nb_hil_board b;

	(void)state;
	load("rpi-spidev-cyw43439.yml", &b);
	assert_int_equal(b.gspi.via, NB_HIL_VIA_SPIDEV);
	assert_string_equal(b.spidev.path, "/dev/spidev0.0");
	assert_int_equal(b.spidev.clock_hz, 20000000);
	assert_string_equal(b.gpiod.chip, "gpiochip0");
	assert_int_equal(b.pins.host_wake.via, NB_HIL_VIA_GPIOD);
	assert_int_equal(b.pins.host_wake.pin, 24);

	load("lan8720-ft232h-usbnic.yml", &b);
	assert_int_equal(b.chip, NB_HIL_CHIP_LAN8720);
	assert_int_equal(b.mdio.via, NB_HIL_VIA_FTDI);
	assert_int_equal(b.mdio.clock_hz, 1000000);
	assert_string_equal(b.frames.ifname, "enx00e04c680001");
	assert_true(b.frames.promisc);
	assert_false(b.frames.nic_keeps_fcs);
	assert_int_equal(b.pins.nrst.pin, NB_FTDI_ACBUS(1));
	assert_int_equal(b.pins.nint.pin, NB_FTDI_ACBUS(2));
	assert_int_equal(b.lan8720.phy_addr, 1);
	assert_memory_equal(b.lan8720.mac, ((uint8_t[]){ 0x02, 0x4e, 0x42, 0x87, 0x20, 0x01 }), 6);

	load("lan8720-rpi-bitbang.yml", &b);
	assert_int_equal(b.mdio.via, NB_HIL_VIA_BITBANG);
	assert_int_equal(b.mdio.mdc.via, NB_HIL_VIA_GPIOD);
	assert_int_equal(b.mdio.mdc.pin, 5);
	assert_int_equal(b.mdio.mdio.pin, 6);
}

#define CYW_HEAD "chip: cyw43439\nadapters:\n  ftdi: {}\n"
#define CYW_TAIL "cyw43439: {firmware: fw.bin, nvram: nv.txt}\n"
#define CYW_OK CYW_HEAD "gspi: {adapter: ftdi}\npins: {wl_reg_on: ftdi:ACBUS0}\n" CYW_TAIL
#define LAN_HEAD "chip: lan8720\nadapters:\n  ftdi: {}\n"
#define LAN_OK LAN_HEAD "mdio: {adapter: ftdi}\nframes: {interface: eth1}\n" \
	"lan8720: {mac: 02:00:00:00:00:01}\n"

static void test_board_minimal_boards_parse(void **state)
{
	struct nb_hil_board b;
	char err[768];

	(void)state;
	assert_int_equal(nb_hil_board_parse(CYW_OK, strlen(CYW_OK), "t.yml", &b, err,
					    sizeof(err)),
			 0);
	assert_string_equal(b.name, "t");
	assert_int_equal(b.gspi.cs_pin, 0); /* default: ADBUS3 at open */
	assert_int_equal(b.pins.host_wake.via, NB_HIL_VIA_NONE);
	assert_string_equal(b.cyw43439.firmware, "fw.bin");
	assert_int_equal(nb_hil_board_parse(LAN_OK, strlen(LAN_OK), "t.yml", &b, err,
					    sizeof(err)),
			 0);
}

static void test_board_mistakes_are_located(void **state)
{
	static const struct {
		const char *text, *want;
	} t[] = {
		{ "chip: cyw43439\nadapters: {}\ncolour: red\n",
		  "t.yml:3:1: unknown key 'colour' in the board (expected one of: board, chip" },
		{ "adapters: {}\n", "t.yml:1:1: the board: missing key 'chip'" },
		{ "chip: esp32\nadapters: {}\n", "t.yml:1:7: chip: expected cyw43439 or lan8720" },
		{ "chip: [\n", "t.yml:2:1:" },
		{ "", "t.yml:1:1: the file is empty" },
		{ CYW_HEAD "gspi: {adapter: ftdi, clock: 40MHz}\n",
		  "t.yml:4:30: clock: expected a frequency from 458 Hz to 30000000 Hz" },
		{ CYW_HEAD "gspi: {adapter: ftdi, cs: ADBUS1}\n",
		  "t.yml:4:27: cs: expected an FTDI pin other than SK/DO/DI" },
		{ CYW_HEAD "gspi: {adapter: usb}\n", "t.yml:4:17: adapter: expected ftdi or spidev" },
		{ CYW_HEAD "gspi: {adapter: ftdi}\npins: {wl_reg_on: ftdi:ACBUS9}\n" CYW_TAIL,
		  "t.yml:5:19: wl_reg_on: expected a pin like ftdi:ACBUS0" },
		{ CYW_HEAD "gspi: {adapter: ftdi}\npins: {wl_reg_on: gpiod:4}\n" CYW_TAIL,
		  "t.yml:5:1: pins.wl_reg_on: gpiod pin, but adapters has no gpiod" },
		{ CYW_HEAD "gspi: {adapter: ftdi}\npins: {wl_reg_on: ftdi:ADBUS3}\n" CYW_TAIL,
		  "t.yml:5:1: pins.wl_reg_on: ADBUS3 belongs to the FTDI's gSPI" },
		{ CYW_HEAD "gspi: {adapter: ftdi}\npins: {wl_reg_on: ftdi:ACBUS0, host_wake: "
			   "ftdi:ACBUS0}\n" CYW_TAIL,
		  "t.yml:5:1: pins.host_wake: ACBUS0 is already pins.wl_reg_on" },
		{ CYW_HEAD "gspi: {adapter: ftdi}\n" CYW_TAIL,
		  "pins.wl_reg_on is required for the cyw43439" },
		{ CYW_HEAD "gspi: {adapter: ftdi}\npins: {wl_reg_on: ftdi:ACBUS0}\n",
		  "missing key 'cyw43439'" },
		{ CYW_HEAD "gspi: {adapter: ftdi}\npins: {wl_reg_on: ftdi:ACBUS0}\n"
			   "cyw43439: {nvram: nv.txt}\n",
		  "t.yml:6:11: cyw43439: missing key 'firmware'" },
		{ CYW_HEAD "gspi: {adapter: spidev}\npins: {wl_reg_on: ftdi:ACBUS0}\n" CYW_TAIL,
		  "t.yml:4:1: gspi: adapter spidev, but adapters has no spidev" },
		{ CYW_OK "mdio: {adapter: ftdi}\n", "t.yml:7:1: mdio: not used by chip cyw43439" },
		{ CYW_OK "irq_poll: 3h\n", "t.yml:7:11: irq_poll: expected a duration" },
		{ CYW_OK "gspi: {adapter: ftdi}\n", "t.yml:7:1: key 'gspi' given twice" },
		{ LAN_HEAD "mdio: {adapter: ftdi, clock: 4MHz}\n",
		  "t.yml:4:30: clock: expected a frequency from 458 Hz to 2500000 Hz" },
		{ LAN_HEAD "mdio: {adapter: bitbang}\nframes: {interface: eth1}\n"
			   "lan8720: {mac: 02:00:00:00:00:01}\n",
		  "t.yml:4:1: mdio: adapter bitbang needs the mdc and mdio pins" },
		{ LAN_HEAD "mdio: {adapter: ftdi}\nframes: {interface: eth1}\n"
			   "lan8720: {mac: 03:00:00:00:00:01}\n",
		  "t.yml:6:16: mac: 03:00:00:00:00:01 is a multicast address" },
		{ LAN_HEAD "mdio: {adapter: ftdi}\nframes: {interface: eth1}\n"
			   "lan8720: {mac: 02:00:00:00:00:01, phy_addr: 32}\n",
		  "t.yml:6:45: phy_addr: expected an integer 0..31, got '32'" },
		{ LAN_HEAD "mdio: {adapter: ftdi}\nframes: {interface: eth1}\n"
			   "lan8720: {mac: 02:00:00:00:00:01}\npins: {nint: ftdi:ADBUS0}\n",
		  "pins.nint: ADBUS0 belongs to the FTDI's MDIO" },
		{ LAN_OK "pins: {wl_reg_on: ftdi:ACBUS0}\n", "wl_reg_on/host_wake are cyw43439 pins" },
		{ LAN_HEAD "mdio: {adapter: ftdi}\nlan8720: {mac: 02:00:00:00:00:01}\n",
		  "missing key 'frames'" },
	};
	struct nb_hil_board b;
	char err[768];

	(void)state;
	for (size_t i = 0; i < NB_ARRAY_SIZE(t); i++) {
		int r = nb_hil_board_parse(t[i].text, strlen(t[i].text), "t.yml", &b, err,
					   sizeof(err));

		if (r != -EINVAL || !strstr(err, t[i].want))
			fprintf(stderr, "case %zu: got %d '%s'\n  want '%s'\n", i, r, err,
				t[i].want);
		assert_int_equal(r, -EINVAL);
		assert_non_null(strstr(err, t[i].want));
	}
}

static void test_board_unreadable_file(void **state)
{
	struct nb_hil_board b;
	char err[768];

	(void)state;
	assert_int_equal(nb_hil_board_load("/nonexistent/board.yml", &b, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "/nonexistent/board.yml: cannot open: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board_picow_ft232h),
		cmocka_unit_test(test_board_other_examples),
		cmocka_unit_test(test_board_minimal_boards_parse),
		cmocka_unit_test(test_board_mistakes_are_located),
		cmocka_unit_test(test_board_unreadable_file),
	};

	return cmocka_run_group_tests_name("hil_board", tests, NULL, NULL);
}
