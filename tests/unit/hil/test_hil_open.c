/* SPDX-License-Identifier: MIT */
/*
 * nb_hil_open() (hil/hil.c): from a board file to a running driver. Each board is opened on
 * emulated adapters (libftdi, spidev, libgpiod, AF_PACKET wrapped at the OS edge) in front of
 * the chip models; the driver gets its config from nb_hil_*_cfg(), the loop calls
 * nb_hil_work()/nb_hil_deadline() as netbench's loop would. Also: firmware files, NVRAM text,
 * and failures reported at the board file line that asked for the failing thing.
 */
#include <errno.h>
#include <ftdi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hil/fwfile.h"
#include "hil/hil.h"
#include "tests/unit/hil/afpacket_emu.h"
#include "tests/unit/hil/gpiod_emu.h"
#include "tests/unit/hil/hil_rig.h"
#include "tests/unit/hil/mpsse_emu.h"
#include "tests/unit/hil/spidev_emu.h"
#include "tests/unit/lan8720/bench.h"
#include "tests/unit/support/test_support.h"

static char dir[64];

static void write_file(const char *name, const void *data, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void write_text(const char *name, const char *text)
{
	write_file(name, text, strlen(text));
}

static const char nvram_text[] = "# Pico W style NVRAM, as vendors ship it\r\n"
				 "NVRAMRev=$Rev$\r\n"
				 "manfid=0x2d0\n"
				 "\n"
				 "   boardtype=0x0887   \n"
				 "xtalfreq=37400";

/* the rig's images as files next to the board */
static void write_images(struct rig *r)
{
	write_file("43439A0.bin", r->fw, r->fw_len);
	write_text("nvram.txt", nvram_text);
	write_file("clm.bin", r->clm, r->clm_len);
}

static struct nb_hil *open_board(const char *name, const char *text, struct nb_sim *sim)
{
	struct nb_hil_board b;
	struct nb_hil *h = NULL;
	char path[128], err[768];
	int r;

	write_text(name, text);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	r = nb_hil_board_load(path, &b, err, sizeof(err));
	if (r)
		fprintf(stderr, "board: %s\n", err);
	assert_int_equal(r, 0);
	r = nb_hil_open(&b, &(struct nb_hil_cfg){ .clock = *nb_sim_clock(sim), .log = nb_test_log,
						  .io_timeout_ms = 50 },
			&h, err, sizeof(err));
	if (r)
		fprintf(stderr, "open: %s\n", err);
	assert_int_equal(r, 0);
	return h;
}

static int svc_work(void *ctx)
{
	return nb_hil_work(ctx);
}

static uint64_t svc_deadline(void *ctx)
{
	return nb_hil_deadline(ctx);
}

static void run_cyw(struct hrig *hr, struct nb_hil *h)
{
	struct rig *r = hr->r;

	nb_cyw43439_deinit(&r->drv);
	assert_int_equal(nb_hil_cyw43439_cfg(h, &r->cfg), 0);
	assert_int_equal(nb_cyw43439_init(&r->drv, &r->cfg), 0);
	hr->swapped = true;
	hr->svc = (struct hrig_svc){ .work = svc_work, .deadline = svc_deadline, .ctx = h };
	hrig_boot_join(hr);
	hrig_exchange(hr, 2);
	/* the NVRAM text arrived as key=value entries */
	assert_string_equal(nb_cyw43439_model_nvram_get(r->m, "boardtype"), "0x0887");
	assert_string_equal(nb_cyw43439_model_nvram_get(r->m, "xtalfreq"), "37400");
	assert_int_equal(r->violations, 0);
	assert_int_equal(hr->svc_errors, 0);
}

#define CYW_IMAGES "cyw43439: {firmware: 43439A0.bin, nvram: nvram.txt, clm: clm.bin}\n"

static void test_hil_open_picow_on_ft232h(void **state)
{
	struct rig_opts o = { .fast = true, .fw_len = 3001, .clm_len = 100 };
	struct hrig *hr = hrig_new(&o);
	struct nb_gpio mg = nb_cyw43439_model_gpio(hr->r->m);
	struct nb_hil *h;

	(void)state;
	write_images(hr->r);
	emu_ftdi_reset(NULL);
	emu_ftdi_connect_gspi(nb_cyw43439_model_gspi(hr->r->m), 3);
	emu_ftdi_connect_pin(8, mg, NB_CYW43439_PIN_WL_REG_ON, true);
	emu_ftdi_connect_pin(2, mg, NB_CYW43439_PIN_HOST_WAKE, false);
	h = open_board("picow.yml", "chip: cyw43439\nadapters: {ftdi: {pid: 0x6014}}\n"
				    "gspi: {adapter: ftdi, clock: 15MHz}\n"
				    "pins: {wl_reg_on: ftdi:AC0, host_wake: ftdi:AD2}\n" CYW_IMAGES,
		       hr->r->sim);
	assert_non_null(strstr(nb_hil_describe(h), "FT232H; WL_REG_ON ACBUS0; HOST_WAKE ADBUS2; "
						   "gSPI 15000000 Hz CS ADBUS3; firmware 3001"));
	run_cyw(hr, h);
	/* HOST_WAKE was an FTDI pin: the loop had a poll deadline while it was armed */
	assert_true(nb_hil_deadline(h) != NB_DEADLINE_NONE);
	assert_int_equal(emu_ftdi_state()->protocol_errors, 0);
	hrig_stop(hr);
	nb_hil_close(h);
	emu_ftdi_reset(NULL);
	hrig_free(hr);
}

static void test_hil_open_cyw43439_on_raspberry_pi(void **state)
{
	struct rig_opts o = { .fast = true, .fw_len = 3001, .clm_len = 100 };
	struct hrig *hr = hrig_new(&o);
	struct nb_gpio mg = nb_cyw43439_model_gpio(hr->r->m);
	char board[512], node[96];
	struct nb_hil *h;
	int fds[4];

	(void)state;
	write_images(hr->r);
	snprintf(node, sizeof(node), "%s/spidev0.0", dir);
	emu_spidev_reset(node, NULL);
	emu_spidev_connect_gspi(nb_cyw43439_model_gspi(hr->r->m));
	emu_gpiod_reset();
	emu_gpiod_connect(23, mg, NB_CYW43439_PIN_WL_REG_ON, true);
	emu_gpiod_connect(24, mg, NB_CYW43439_PIN_HOST_WAKE, false);
	snprintf(board, sizeof(board),
		 "chip: cyw43439\nadapters: {spidev: {path: %s, clock: 20MHz}, gpiod: {chip: "
		 "gpiochip3}}\ngspi: {adapter: spidev}\npins: {wl_reg_on: gpiod:23, host_wake: "
		 "gpiod:24}\n" CYW_IMAGES, node);
	h = open_board("rpi.yml", board, hr->r->sim);
	run_cyw(hr, h);
	/* HOST_WAKE is a gpiod line: events through descriptors, no poll deadline */
	assert_int_equal(nb_hil_fds(h, fds, 4), 2);
	assert_int_equal(nb_hil_deadline(h), NB_DEADLINE_NONE);
	assert_true(emu_gpiod_state()->events_read > 0);
	assert_int_equal(emu_spidev_state()->protocol_errors, 0);
	assert_int_equal(emu_gpiod_state()->protocol_errors, 0);
	hrig_stop(hr);
	nb_hil_close(h);
	emu_spidev_remove();
	hrig_free(hr);
}

/* LAN8720 boards: the driver from nb_hil_lan8720_cfg(), the loop with nb_hil_work(). */
static void run_lan(struct bench *b, struct nb_hil *h, uint64_t ns, bool until_up)
{
	uint64_t end = nb_sim_now(b->sim) + ns;

	for (;;) {
		uint64_t now, next, dl;

		assert_true(nb_hil_work(h) >= 0);
		now = nb_sim_now(b->sim);
		if (until_up && b->dev->link.up)
			return;
		dl = nb_netdev_next_deadline(b->dev);
		if (nb_netdev_work_pending(b->dev) || dl <= now) {
			bench_poll_all(b);
			continue;
		}
		if (now >= end)
			return;
		next = nb_sim_next_event(b->sim);
		if (dl < next)
			next = dl;
		if (nb_hil_deadline(h) < next)
			next = nb_hil_deadline(h) > now ? nb_hil_deadline(h) : now + 1000;
		nb_sim_advance_to(b->sim, next > end ? end : next);
	}
}

static void lan_exchange(struct bench *b, struct nb_hil *h)
{
	uint8_t f[300];
	const struct bench_frame *got;

	nb_test_frame(f, sizeof(f), bench_dev_mac, bench_peer_mac, 1);
	assert_int_equal(bench_peer_send(b, f, sizeof(f), false, 0), 0);
	run_lan(b, h, 5 * NB_NS_PER_MS, false);
	assert_int_equal(b->rx_calls, 1);
	assert_memory_equal(b->rx_data[0], f, sizeof(f));
	nb_test_frame(f, sizeof(f), bench_peer_mac, bench_dev_mac, 2);
	assert_int_equal(nb_netdev_send(b->dev, f, sizeof(f)), 0);
	run_lan(b, h, 5 * NB_NS_PER_MS, false);
	got = bench_peer_peek(b);
	assert_non_null(got);
	assert_memory_equal(got->data, f, sizeof(f));
}

static void lan_board(const char *name, const char *text, bool bitbang)
{
	struct bench *b = bench_new(&(struct bench_opts){ .model = { .phy_addr = 1 } });
	struct nb_gpio mg = nb_lan8720_model_gpio(b->m);
	struct nb_hil *h;

	emu_afp_reset(NULL);
	if (bitbang) {
		emu_gpiod_reset();
		emu_gpiod_connect(5, nb_sim_mdio_gpio(b->bus), NB_SIM_MDIO_PIN_MDC, true);
		emu_gpiod_connect(6, nb_sim_mdio_gpio(b->bus), NB_SIM_MDIO_PIN_MDIO, true);
		emu_gpiod_connect(17, mg, NB_LAN8720_PIN_NRST, true);
		emu_gpiod_connect(27, mg, NB_LAN8720_PIN_NINT, false);
	} else {
		emu_ftdi_reset(NULL);
		emu_ftdi_connect_mdio(nb_sim_mdio_gpio(b->bus));
		emu_ftdi_connect_pin(9, mg, NB_LAN8720_PIN_NRST, true);
		emu_ftdi_connect_pin(10, mg, NB_LAN8720_PIN_NINT, false);
	}
	h = open_board(name, text, b->sim);
	emu_afp_connect_rmii(nb_lan8720_model_rmii(b->m));
	assert_int_equal(nb_hil_lan8720_cfg(h, &b->cfg), 0);
	assert_int_equal(nb_hil_cyw43439_cfg(h, &(struct nb_cyw43439_cfg){ 0 }), -EINVAL);
	memcpy(b->cfg.mac, bench_dev_mac, 6); /* the bench's peer addresses this MAC */
	assert_true(b->cfg.has_nrst && b->cfg.has_nint);
	assert_int_equal(b->cfg.phy_addr, 1);
	bench_open(b);
	run_lan(b, h, 5 * NB_NS_PER_S, true);
	assert_true(b->dev->link.up);
	lan_exchange(b, h);
	assert_int_equal(nb_sim_mdio_stats(b->bus)->bad_frames, 0);
	assert_int_equal(b->violations, 0);
	nb_lan8720_deinit(&b->drv);
	b->dev = NULL;
	nb_hil_close(h);
	assert_int_equal(emu_afp_state()->protocol_errors, 0);
	if (bitbang)
		assert_int_equal(emu_gpiod_state()->protocol_errors, 0);
	else
		assert_int_equal(emu_ftdi_state()->protocol_errors, 0);
	emu_ftdi_reset(NULL);
	emu_afp_reset(NULL);
	bench_free(b);
}

static void test_hil_open_lan8720_on_ft232h(void **state)
{
	(void)state;
	lan_board("lan-ftdi.yml",
		  "chip: lan8720\nadapters: {ftdi: {}}\nmdio: {adapter: ftdi, clock: 2.5MHz}\n"
		  "frames: {interface: nbeth0, promisc: true}\n"
		  "pins: {nrst: ftdi:ACBUS1, nint: ftdi:ACBUS2}\n"
		  "lan8720: {phy_addr: 1, mac: 02:4c:41:4e:87:20}\n",
		  false);
}

static void test_hil_open_lan8720_bitbang_on_raspberry_pi(void **state)
{
	(void)state;
	lan_board("lan-rpi.yml",
		  "chip: lan8720\nadapters: {gpiod: {chip: gpiochip3}}\n"
		  "mdio: {adapter: bitbang, mdc: gpiod:5, mdio: gpiod:6}\n"
		  "frames: {interface: nbeth0}\npins: {nrst: gpiod:17, nint: gpiod:27}\n"
		  "lan8720: {phy_addr: 1, mac: 02:4c:41:4e:87:20}\n",
		  true);
}

static int open_err(const char *name, const char *text, char *err, size_t len)
{
	struct nb_hil_board b;
	struct nb_hil *h = NULL;
	char path[128];
	int r;

	write_text(name, text);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(nb_hil_board_load(path, &b, err, len), 0);
	r = nb_hil_open(&b, &(struct nb_hil_cfg){ .io_timeout_ms = 50 }, &h, err, len);
	assert_null(h);
	return r;
}

static void test_hil_open_failures_point_at_the_board(void **state)
{
	char err[768], want[256];

	(void)state;
	emu_ftdi_reset(&(struct emu_ftdi_opts){ .absent = true });
	assert_int_equal(open_err("a.yml", "chip: cyw43439\nadapters:\n  ftdi: {serial: FTX1}\n"
					   "gspi: {adapter: ftdi}\npins: {wl_reg_on: ftdi:AC0}\n"
				     CYW_IMAGES, err, sizeof(err)),
			 -ENODEV);
	snprintf(want, sizeof(want), "%s/a.yml:3:9: adapters.ftdi: no FTDI adapter 0403:{6014,"
		 "6010,6011} serial FTX1", dir);
	assert_non_null(strstr(err, want));

	emu_ftdi_reset(NULL);
	assert_int_equal(open_err("b.yml", "chip: cyw43439\nadapters: {ftdi: {}}\n"
					   "gspi: {adapter: ftdi}\npins: {wl_reg_on: ftdi:AC0}\n"
					   "cyw43439: {firmware: nope.bin, nvram: nvram.txt}\n",
				     err, sizeof(err)),
			 -ENOENT);
	snprintf(want, sizeof(want), "%s/b.yml:5:22: cyw43439.firmware: cannot read '%s/nope.bin':"
		 " No such file or directory", dir, dir);
	assert_string_equal(err, want);
	assert_false(emu_ftdi_state()->opened); /* what was opened is closed again */

	emu_ftdi_reset(&(struct emu_ftdi_opts){ .chip_type = TYPE_4232H, .pid = 0x6011 });
	assert_int_equal(open_err("f.yml", "chip: cyw43439\nadapters: {ftdi: {pid: 0x6011}}\n"
					   "gspi: {adapter: ftdi}\npins: {wl_reg_on: ftdi:AC0}\n"
				     CYW_IMAGES, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "f.yml:4:19: pins.wl_reg_on: the FT4232H has no ACBUS0"));
	assert_int_equal(emu_ftdi_state()->protocol_errors, 0);

	emu_ftdi_reset(NULL);
	write_text("fw.bin", "firmware");
	write_text("bad-nvram.txt", "# fine\nboardtype=1\nthis line has no equals sign\n");
	assert_int_equal(open_err("c.yml", "chip: cyw43439\nadapters: {ftdi: {}}\n"
					   "gspi: {adapter: ftdi}\npins: {wl_reg_on: ftdi:AC0}\n"
					   "cyw43439: {firmware: fw.bin, nvram: bad-nvram.txt}\n",
				     err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "c.yml:5:37: cyw43439.nvram:"));
	assert_non_null(strstr(err, "bad-nvram.txt' line 3: expected key=value"));

	emu_afp_reset(NULL);
	assert_int_equal(open_err("d.yml", "chip: lan8720\nadapters: {ftdi: {}}\n"
					   "mdio: {adapter: ftdi}\nframes: {interface: wlan9}\n"
					   "lan8720: {mac: 02:00:00:00:00:01}\n",
				     err, sizeof(err)),
			 -ENODEV);
	assert_non_null(strstr(err, "d.yml:4:9: frames: no network interface 'wlan9'"));

	emu_gpiod_reset();
	assert_int_equal(open_err("e.yml", "chip: cyw43439\nadapters: {spidev: {path: "
					   "/nonexistent/spidev9.9}, gpiod: {chip: gpiochip3}}\n"
					   "gspi: {adapter: spidev}\npins: {wl_reg_on: gpiod:23}\n"
				     CYW_IMAGES, err, sizeof(err)),
			 -ENODEV);
	assert_non_null(strstr(err, "e.yml:2:20: adapters.spidev: /nonexistent/spidev9.9: no "
				    "such SPI device"));
	assert_int_equal(emu_gpiod_state()->releases, emu_gpiod_state()->requests);
	emu_ftdi_reset(NULL);
}

static void test_hil_open_nvram_text_conversion(void **state)
{
	uint8_t buf[64];
	unsigned bad = 0;
	long n;

	(void)state;
	memcpy(buf, "a=1\r\n# c\n\n  b = 2 \nc=3", 22);
	n = nb_hil_nvram_convert(buf, 22, &bad);
	assert_int_equal(n, 15);
	assert_memory_equal(buf, "a=1\0b = 2\0c=3\0\0", 15);
	/* already NUL-separated (a C-string NVRAM): closed with the empty entry */
	memcpy(buf, "a=1\0b=2\0", 8);
	assert_int_equal(nb_hil_nvram_convert(buf, 8, &bad), 9);
	assert_memory_equal(buf, "a=1\0b=2\0\0", 9);
	memcpy(buf, "a=1\nnonsense\n", 13);
	assert_int_equal(nb_hil_nvram_convert(buf, 13, &bad), -EINVAL);
	assert_int_equal(bad, 2);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nb-hil-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hil_open_picow_on_ft232h),
		cmocka_unit_test(test_hil_open_cyw43439_on_raspberry_pi),
		cmocka_unit_test(test_hil_open_lan8720_on_ft232h),
		cmocka_unit_test(test_hil_open_lan8720_bitbang_on_raspberry_pi),
		cmocka_unit_test(test_hil_open_failures_point_at_the_board),
		cmocka_unit_test(test_hil_open_nvram_text_conversion),
	};

	return cmocka_run_group_tests_name("hil_open", tests, setup, teardown);
}
