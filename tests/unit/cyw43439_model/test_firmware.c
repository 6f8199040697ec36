/* SPDX-License-Identifier: MIT */
/* CYW43439 model, firmware: NBFW images, download rules, release, NVRAM, boot (§2.5-§2.6). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/util/compiler.h"
#include "sim/cyw43439/fwimage.h"
#include "tests/unit/cyw43439_model/tb.h"
#include "tests/unit/support/test_support.h"

#define MS 1000000ull

static uint8_t img[256 * 1024];

static int setup(void **state)
{
	static struct tb t;

	tb_init(&t, NULL);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	tb_fini(*state);
	return 0;
}

static void test_cyw43439_model_fwimage_roundtrip_and_errors(void **state)
{
	char why[160];
	uint64_t seed = 0, want = 7;
	size_t len = 0;

	(void)state;
	assert_int_equal(nb_fwimage_build(7, 5000, img), 0);
	assert_int_equal(nb_fwimage_verify(img, sizeof(img), NULL, &seed, &len, why, sizeof(why)), 0);
	assert_int_equal(seed, 7);
	assert_int_equal(len, 5000);
	assert_non_null(memmem(img + 5000 - 800, 800, "Version: ", 9)); /* CD's host check */
	img[0x1234] ^= 0x40;
	assert_int_equal(nb_fwimage_verify(img, sizeof(img), NULL, NULL, NULL, why, sizeof(why)),
			 -EBADMSG);
	assert_non_null(strstr(why, "offset 0x01234"));
	img[0x1234] ^= 0x40;
	want = 8;
	assert_int_equal(nb_fwimage_verify(img, sizeof(img), &want, NULL, NULL, why, sizeof(why)),
			 -EBADMSG);
	assert_non_null(strstr(why, "seed"));
	img[9] ^= 1; /* the seed field itself: caught by the header check */
	assert_int_equal(nb_fwimage_verify(img, sizeof(img), NULL, NULL, NULL, why, sizeof(why)),
			 -EBADMSG);
	assert_non_null(strstr(why, "header check"));
	assert_int_equal(nb_fwimage_build(1, 10, img), -EINVAL);
}

/* tools/mkfw is an independent implementation of the format: both must agree byte for byte. */
static void test_cyw43439_model_mkfw_tool_agrees(void **state)
{
	const char *src = getenv("NB_SRC_ROOT");
	char path[] = "/tmp/nb-mkfw-XXXXXX", cmd[512];
	static uint8_t mine[70000];
	FILE *f;
	size_t n;
	int fd;

	(void)state;
	assert_non_null(src);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tools/mkfw --seed 0xC0FFEE --size 65557 -o %s",
		 src, path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(img, 1, sizeof(img), f);
	fclose(f);
	assert_int_equal(n, 65557);
	assert_int_equal(nb_fwimage_build(0xC0FFEE, 65557, mine), 0);
	assert_memory_equal(img, mine, n);
	/* and the tool's checker finds the same corruption the model does */
	mine[40000] ^= 0xFF;
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(mine, 1, n, f), n);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tools/mkfw --check %s 2>/dev/null", src,
		 path);
	assert_int_not_equal(system(cmd), 0);
	unlink(path);
}

/* Up to the release: bus, ALP, SOCSRAM, download of an image of @p seed / @p len. */
static void prepare(struct tb *t, uint64_t seed, size_t len)
{
	tb_power_on(t);
	tb_bus_up(t);
	tb_alp(t);
	assert_int_equal(nb_fwimage_build(seed, len, img), 0);
	tb_download(t, img, len, tb_nvram, tb_nvram_len);
}

/* §2.6.3: HT_AVAIL and F2 ready boot_ns after the release, not before. */
static void test_cyw43439_model_boot_timing(void **state)
{
	struct tb *t = *state;
	uint8_t b[8];

	prepare(t, 42, 224190);
	/* Embassy verifies samples of the download before starting the core (§2.6.2) */
	tb_bp_read(t, 77024, b, 8);
	assert_memory_equal(b, img + 77024, 8);
	/* §2.5.2 length word: (~n << 16) | n, n = words of NVRAM */
	assert_int_equal(tb_bp_r(t, 0x7FFFC, 4), 0xFFE90016u); /* 88 bytes, 22 words */
	tb_core_reset(t, 0x18103000);
	assert_int_equal(nb_cyw43439_model_fw_state(t->m), NB_CYW43439_FW_BOOTING);
	assert_int_equal(tb_bp_r(t, 0x18103408, 1) & 3, 1); /* is_up */
	assert_int_equal(tb_bp_r(t, 0x18103800, 1) & 1, 0);
	tb_advance(t, 26 * MS); /* 30 ms after the release minus the 2 ms of reset steps */
	assert_int_equal(tb_r(t, 1, 0x1000E, 1) & 0x80, 0);
	assert_int_equal(tb_r(t, 0, 0x08, 4) & 0x20, 0);
	tb_advance(t, 2 * MS);
	assert_int_equal(tb_r(t, 1, 0x1000E, 1) & 0x80, 0x80);
	assert_int_equal(t->status & 0x20, 0x20); /* F2 ready in every status word now */
	assert_int_equal(nb_cyw43439_model_fw_state(t->m), NB_CYW43439_FW_RUNNING);
	assert_int_equal(tb_r(t, 0, 0x04, 2) & 1, 1); /* CD finds DATA_UNAVAILABLE set */
	assert_string_equal(nb_cyw43439_model_nvram_get(t->m, "boardtype"), "0x0887");
	assert_null(nb_cyw43439_model_nvram_get(t->m, "board"));
	/* firmware shared area: pointer at 0x6FFFC, console via +20 (§2.9.2) */
	uint32_t p = tb_bp_r(t, 0x6FFFC, 4), con, buf;
	char text[8] = { 0 };

	assert_int_equal(p & 3, 0);
	con = tb_bp_r(t, p + 20, 4);
	buf = tb_bp_r(t, con + 8, 4);
	assert_true(tb_bp_r(t, con + 16, 4) < 0x400);
	tb_bp_read(t, buf, (uint8_t *)text, 4);
	assert_string_equal(text, "RTE ");
	assert_int_equal(t->nviol, 0);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->warnings, 0);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->fw_boots, 1);
}

static void test_cyw43439_model_corrupted_download_rejected(void **state)
{
	struct tb *t = *state;
	uint8_t b = 0;

	prepare(t, 42, 100000);
	tb_bp_read(t, 54321, &b, 1);
	b ^= 0x01;
	tb_bp_write(t, 54320 + 1, &b, 1);
	tb_core_reset(t, 0x18103000);
	assert_int_equal(nb_cyw43439_model_fw_state(t->m), NB_CYW43439_FW_REJECTED);
	assert_non_null(strstr(nb_cyw43439_model_fw_error(t->m), "offset 0x0d431"));
	assert_true(tb_has_violation(t, "firmware image rejected"));
	tb_advance(t, 200 * MS);
	assert_int_equal(tb_r(t, 1, 0x1000E, 1) & 0x80, 0); /* never comes up */
	assert_int_equal(tb_r(t, 0, 0x08, 4) & 0x20, 0);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->fw_rejects, 1);
}

static void test_cyw43439_model_wrong_seed_rejected(void **state)
{
	struct tb t;
	struct nb_cyw43439_model_cfg cfg = { .fw_seed_check = true, .fw_seed = 99 };

	(void)state;
	tb_init(&t, &cfg);
	prepare(&t, 98, 50000);
	tb_core_reset(&t, 0x18103000);
	assert_int_equal(nb_cyw43439_model_fw_state(t.m), NB_CYW43439_FW_REJECTED);
	assert_non_null(strstr(nb_cyw43439_model_fw_error(t.m), "expected seed"));
	tb_fini(&t);
}

/* §2.6.3 / I7: without the NVRAM length word the firmware runs but never says F2 ready. */
static void test_cyw43439_model_missing_nvram_length_word(void **state)
{
	struct tb *t = *state;

	prepare(t, 5, 60000);
	tb_bp_w(t, 0x7FFFC, 4, 0x00BA00BAu); /* not its complement */
	tb_core_reset(t, 0x18103000);
	assert_true(tb_has_violation(t, "no valid NVRAM length word at 0x7fffc"));
	tb_advance(t, 100 * MS);
	assert_int_equal(tb_r(t, 1, 0x1000E, 1) & 0x80, 0x80);
	assert_int_equal(tb_r(t, 0, 0x08, 4) & 0x20, 0);
	assert_int_equal(nb_cyw43439_model_fw_state(t->m), NB_CYW43439_FW_NO_NVRAM);
}

static void test_cyw43439_model_bad_nvram_text(void **state)
{
	struct tb *t = *state;
	static const char bad[] = "NVRAMRev=$Rev$\0boardtype\0\0";

	tb_power_on(t);
	tb_bus_up(t);
	tb_alp(t);
	assert_int_equal(nb_fwimage_build(5, 4000, img), 0);
	tb_download(t, img, 4000, bad, sizeof(bad) - 1);
	tb_core_reset(t, 0x18103000);
	assert_int_equal(nb_cyw43439_model_fw_state(t->m), NB_CYW43439_FW_NO_NVRAM);
	assert_non_null(strstr(nb_cyw43439_model_fw_error(t->m), "not key=value"));
}

/* I6: downloading while the ARM runs; I8: releasing with CPUHALT. */
static void test_cyw43439_model_download_while_arm_runs(void **state)
{
	struct tb *t = *state;
	uint8_t b[4] = { 1, 2, 3, 4 };

	prepare(t, 3, 4096);
	tb_core_reset(t, 0x18103000);
	assert_int_equal(t->nviol, 0);
	tb_bp_write(t, 0x100, b, 4);
	assert_true(tb_has_violation(t, "while the WLAN ARM core runs"));
	assert_int_equal(tb_bp_r(t, 0x100, 4), nb_get_le32(img + 0x100));
}

static void test_cyw43439_model_release_with_cpuhalt(void **state)
{
	struct tb *t = *state;

	prepare(t, 3, 4096);
	tb_bp_w(t, 0x18103408, 1, 0x23);
	tb_bp_w(t, 0x18103800, 1, 0x00);
	assert_int_equal(nb_cyw43439_model_fw_state(t->m), NB_CYW43439_FW_HALTED);
	assert_true(tb_has_violation(t, "CPUHALT"));
	tb_advance(t, 100 * MS);
	assert_int_equal(tb_r(t, 1, 0x1000E, 1) & 0x80, 0);
}

/* Real vendor blobs: accepted without verification in fw_verify_off mode. */
static void test_cyw43439_model_verify_off_accepts_blob(void **state)
{
	struct tb t;
	struct nb_cyw43439_model_cfg cfg = { .fw_verify_off = true };

	(void)state;
	tb_init(&t, &cfg);
	tb_power_on(&t);
	tb_bus_up(&t);
	tb_alp(&t);
	memset(img, 0, 4096);
	img[4] = 0x71; /* 0x00000000, 0x00001471: an ARM vector table start */
	img[5] = 0x14;
	tb_download(&t, img, 4096, tb_nvram, tb_nvram_len);
	tb_core_reset(&t, 0x18103000);
	tb_advance(&t, 50 * MS);
	assert_int_equal(nb_cyw43439_model_fw_state(t.m), NB_CYW43439_FW_RUNNING);
	tb_fini(&t);
}

/* The same blob is refused when verification is on, naming the magic. */
static void test_cyw43439_model_vendor_blob_refused_when_verifying(void **state)
{
	struct tb *t = *state;

	tb_power_on(t);
	tb_bus_up(t);
	tb_alp(t);
	memset(img, 0, 4096);
	img[4] = 0x71;
	tb_download(t, img, 4096, tb_nvram, tb_nvram_len);
	tb_core_reset(t, 0x18103000);
	assert_non_null(strstr(nb_cyw43439_model_fw_error(t->m), "no NBFW image"));
}

/* I5 is a warning only (effect unconfirmed): skipping the bank-3 PDA write still boots. */
static void test_cyw43439_model_missing_bank3_pda_is_warning(void **state)
{
	struct tb *t = *state;

	tb_power_on(t);
	tb_bus_up(t);
	tb_alp(t);
	tb_core_reset(t, 0x18104000);
	assert_int_equal(nb_fwimage_build(11, 2000, img), 0);
	tb_bp_write(t, 0, img, 2000);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->warnings, 1);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->violations, 0);
	assert_true(tb_has_violation(t, "warning: "));
	assert_true(tb_has_violation(t, "bank 3 PDA"));
}

/* Putting the core back into reset stops the firmware; a new download boots again. */
static void test_cyw43439_model_reinit_without_power_cycle(void **state)
{
	struct tb *t = *state;

	assert_true(tb_boot(t, 21));
	tb_bp_w(t, 0x18103408, 1, 0x00);
	tb_bp_w(t, 0x18103800, 1, 0x01);
	assert_int_equal(nb_cyw43439_model_fw_state(t->m), NB_CYW43439_FW_OFF);
	assert_int_equal(tb_r(t, 0, 0x08, 4) & 0x20, 0);
	tb_core_reset(t, 0x18103000);
	tb_advance(t, 40 * MS);
	assert_int_equal(nb_cyw43439_model_fw_state(t->m), NB_CYW43439_FW_RUNNING);
	assert_int_equal(nb_cyw43439_model_stats(t->m)->fw_boots, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		cmocka_unit_test(test_cyw43439_model_fwimage_roundtrip_and_errors),
		cmocka_unit_test(test_cyw43439_model_mkfw_tool_agrees),
		T(test_cyw43439_model_boot_timing),
		T(test_cyw43439_model_corrupted_download_rejected),
		cmocka_unit_test(test_cyw43439_model_wrong_seed_rejected),
		T(test_cyw43439_model_missing_nvram_length_word),
		T(test_cyw43439_model_bad_nvram_text),
		T(test_cyw43439_model_download_while_arm_runs),
		T(test_cyw43439_model_release_with_cpuhalt),
		cmocka_unit_test(test_cyw43439_model_verify_off_accepts_blob),
		T(test_cyw43439_model_vendor_blob_refused_when_verifying),
		T(test_cyw43439_model_missing_bank3_pda_is_warning),
		T(test_cyw43439_model_reinit_without_power_cycle),
#undef T
	};

	return cmocka_run_group_tests_name("cyw43439_model_firmware", tests, NULL, NULL);
}
