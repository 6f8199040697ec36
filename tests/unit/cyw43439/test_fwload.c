/* SPDX-License-Identifier: MIT */
/*
 * Bring-up of the CYW43439 driver against the chip model: power sequence as deadlines, chip
 * ID, firmware + NVRAM download with read-back verification (and its failure), NVRAM length
 * word, ARM release, HT clock, F2 ready, CLM load, MAC, and the failure reasons.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "tests/unit/cyw43439/rig.h"
#include "tests/unit/support/test_support.h"

static bool booted(struct rig *r, void *arg)
{
	enum nb_cyw43439_state st = nb_cyw43439_state(&r->drv);

	(void)arg;
	return st != NB_CYW43439_STATE_BOOTING && st != NB_CYW43439_STATE_OFF;
}

static bool powered(struct rig *r, void *arg)
{
	(void)arg;
	return nb_cyw43439_model_powered(r->m);
}

/* Open and run until WL_REG_ON is high (a power cycle clears the model's injected faults). */
static void open_until_powered(struct rig *r)
{
	assert_int_equal(nb_netdev_open(rig_dev(r)), 0);
	assert_true(rig_run_until(r, powered, NULL, NB_NS_PER_S));
}

static void test_fwload_boots_to_ready(void **state)
{
	struct rig *r = rig_new(NULL);
	uint8_t mac[6];
	uint8_t ram[64];
	const struct nb_cyw43439_model_stats *ms = nb_cyw43439_model_stats(r->m);

	(void)state;
	rig_boot(r);
	assert_int_equal(nb_cyw43439_model_fw_state(r->m), NB_CYW43439_FW_RUNNING);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_NONE);
	assert_int_equal(r->violations, 0);
	/* MAC came from the chip (cur_etheraddr) */
	nb_cyw43439_model_mac(r->m, mac);
	assert_memory_equal(rig_dev(r)->mac, mac, 6);
	/* the image and the NVRAM are where the firmware looks for them */
	assert_int_equal(nb_cyw43439_model_peek_backplane(r->m, 0, ram, sizeof(ram)), 0);
	assert_memory_equal(ram, r->fw, sizeof(ram));
	assert_string_equal(nb_cyw43439_model_nvram_get(r->m, "boardtype"), "0x0887");
	/* not associated: link down, and no data frames were sent */
	assert_false(nb_netdev_flags(rig_dev(r)) & NB_NETDEV_F_RUNNING);
	assert_int_equal(ms->seq_gaps, 0);
	assert_int_equal(nb_cyw43439_stats(&r->drv)->ioctl_errors, 0);
	rig_free(r);
}

static void test_fwload_power_sequence_is_deadlines(void **state)
{
	struct rig *r = rig_new(NULL);
	struct nb_netdev *dev = rig_dev(r);
	uint64_t t0 = nb_sim_now(r->sim);

	(void)state;
	assert_int_equal(nb_netdev_open(dev), 0);
	assert_int_equal(nb_netdev_poll(dev, 16), 0);
	/* WL_REG_ON low for 20 ms: the poll returned at once with a deadline */
	assert_false(nb_cyw43439_model_powered(r->m));
	assert_int_equal(nb_netdev_next_deadline(dev), t0 + 20 * NB_NS_PER_MS);
	assert_true(nb_sim_now(r->sim) - t0 < NB_NS_PER_MS);
	nb_sim_advance_to(r->sim, t0 + 20 * NB_NS_PER_MS);
	assert_int_equal(nb_netdev_poll(dev, 16), 0);
	assert_true(nb_cyw43439_model_powered(r->m));
	/* then 250 ms before the first bus access */
	assert_int_equal(nb_netdev_next_deadline(dev), t0 + 270 * NB_NS_PER_MS);
	assert_int_equal(nb_cyw43439_model_stats(r->m)->transactions, 0);
	/* the download is sliced: no single poll moves more than a slice over the bus */
	for (int i = 0; i < 100000 && nb_cyw43439_state(&r->drv) == NB_CYW43439_STATE_BOOTING;
	     i++) {
		uint64_t before = nb_cyw43439_model_stats(r->m)->bus_bytes;

		if (!rig_step(r))
			break;
		assert_true(nb_cyw43439_model_stats(r->m)->bus_bytes - before < 12000);
	}
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_READY);
	rig_free(r);
}

static void boot_with(const struct rig_opts *o)
{
	struct rig *r = rig_new(o);

	rig_boot(r);
	assert_int_equal(nb_cyw43439_model_fw_state(r->m), NB_CYW43439_FW_RUNNING);
	assert_int_equal(r->violations, 0);
	rig_free(r);
}

static void test_fwload_variants_boot(void **state)
{
	struct rig_opts o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.drv.status_disabled = true;
	o.drv.f1_resp_delay = 16;
	boot_with(&o);
	memset(&o, 0, sizeof(o));
	o.drv.verify = NB_CYW43439_VERIFY_SAMPLED;
	o.fw_len = 70001; /* odd length, three windows */
	boot_with(&o);
	memset(&o, 0, sizeof(o));
	o.drv.verify = NB_CYW43439_VERIFY_NONE;
	o.clm_len = SIZE_MAX; /* no CLM */
	boot_with(&o);
	memset(&o, 0, sizeof(o));
	o.clm_len = 4752; /* five chunks, like soypat's blob */
	boot_with(&o);
}

static void corrupt_reads_once_verifying(void *ctx, const struct nb_cyw43439_trace *t)
{
	struct rig *r = ctx;

	/* the first RAM read of the verification pass: make the next read come back as 0xFF */
	if (!t->write && t->func == 1 && t->addr < 0x10000 && t->bp_addr < 0x80000 &&
	    t->len == 64 && r->trace_lines == 0) {
		r->trace_lines = 1;
		nb_cyw43439_model_inject_fault(r->m, NB_CYW43439_FAULT_READ_ONES, 1);
	}
}

static void test_fwload_verification_failure_is_reported(void **state)
{
	struct rig *r = rig_new(NULL);

	(void)state;
	nb_cyw43439_model_set_trace_cb(r->m, corrupt_reads_once_verifying, r);
	assert_int_equal(nb_netdev_open(rig_dev(r)), 0);
	rig_run_until(r, booted, NULL, 5ull * NB_NS_PER_S);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_FAILED);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_VERIFY_FAILED);
	assert_string_equal(nb_cyw43439_reason_name(nb_cyw43439_reason(&r->drv)), "verify_failed");
	/* the ARM was never released and the chip is powered down */
	assert_false(nb_cyw43439_model_powered(r->m));
	assert_int_equal(nb_cyw43439_model_stats(r->m)->fw_boots, 0);
	/* stop + open retries from scratch and succeeds */
	nb_cyw43439_model_set_trace_cb(r->m, NULL, NULL);
	assert_int_equal(nb_netdev_stop(rig_dev(r)), 0);
	rig_boot(r);
	rig_free(r);
}

static void test_fwload_corrupt_image_times_out(void **state)
{
	struct rig *r = rig_new(NULL);

	(void)state;
	r->fw[5000] ^= 0x40; /* the model regenerates the image and refuses to boot it */
	assert_int_equal(nb_netdev_open(rig_dev(r)), 0);
	rig_run_until(r, booted, NULL, 5ull * NB_NS_PER_S);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_FAILED);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_FIRMWARE_TIMEOUT);
	assert_int_equal(nb_cyw43439_model_stats(r->m)->fw_rejects, 1);
	rig_free(r);
}

static void test_fwload_no_chip_answer(void **state)
{
	struct rig *r = rig_new(NULL);

	(void)state;
	open_until_powered(r);
	nb_cyw43439_model_inject_fault(r->m, NB_CYW43439_FAULT_READ_ONES, 100000);
	rig_run_until(r, booted, NULL, 5ull * NB_NS_PER_S);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_FAILED);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_NO_CHIP);
	assert_true(nb_cyw43439_stats(&r->drv)->test_pattern_retries >= 10);
	rig_free(r);
}

static void test_fwload_bus_error(void **state)
{
	struct rig *r = rig_new(NULL);

	(void)state;
	open_until_powered(r);
	nb_cyw43439_model_inject_fault(r->m, NB_CYW43439_FAULT_EIO, 1);
	rig_run_until(r, booted, NULL, 5ull * NB_NS_PER_S);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_FAILED);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_BUS_ERROR);
	assert_string_equal(nb_cyw43439_reason_name(NB_CYW43439_REASON_BUS_ERROR), "bus_error");
	assert_int_equal(nb_cyw43439_stats(&r->drv)->bus_errors, 1);
	rig_free(r);
}

static void test_fwload_bad_clm_is_firmware_rejected(void **state)
{
	struct rig *r = rig_new(NULL);

	(void)state;
	memcpy(r->clm, "BLOX", 4); /* the firmware checks the blob's magic */
	assert_int_equal(nb_netdev_open(rig_dev(r)), 0);
	rig_run_until(r, booted, NULL, 5ull * NB_NS_PER_S);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_FAILED);
	assert_int_equal(nb_cyw43439_reason(&r->drv), NB_CYW43439_REASON_FIRMWARE_REJECTED);
	assert_string_equal(nb_cyw43439_reason_name(nb_cyw43439_reason(&r->drv)),
			    "firmware_rejected");
	assert_int_equal(nb_cyw43439_stats(&r->drv)->ioctl_errors, 1);
	assert_false(nb_cyw43439_model_powered(r->m));
	rig_free(r);
}

/*
 * The refusal arrives as an ioctl answer read off F2; the driver powers the chip down from
 * inside that receive. Nothing may touch the bus afterwards: the model, in strict mode,
 * reports any transaction while WL_REG_ON is low.
 */
static void test_fwload_refused_ioctl_leaves_the_unpowered_bus_alone(void **state)
{
	struct rig *r = rig_new(NULL);
	const struct nb_cyw43439_model_stats *ms = nb_cyw43439_model_stats(r->m);
	uint64_t transactions;

	(void)state;
	memcpy(r->clm, "BLOX", 4);
	assert_int_equal(nb_netdev_open(rig_dev(r)), 0);
	rig_run_until(r, booted, NULL, 5ull * NB_NS_PER_S);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_FAILED);
	assert_false(nb_cyw43439_model_powered(r->m));
	if (r->violations)
		fprintf(stderr, "violation: %s\n", r->last_violation);
	assert_int_equal(r->violations, 0);
	assert_int_equal(ms->violations, 0);
	/* the loop keeps polling a failed device: still no bus traffic */
	transactions = ms->transactions;
	nb_netdev_irq(rig_dev(r));
	assert_true(nb_netdev_poll(rig_dev(r), 16) >= 0);
	rig_run_for(r, NB_NS_PER_S);
	assert_int_equal(ms->transactions, transactions);
	assert_int_equal(r->violations, 0);
	assert_int_equal(nb_netdev_next_deadline(rig_dev(r)), NB_DEADLINE_NONE);
	rig_free(r);
}

static void test_fwload_configured_mac_is_set_in_chip(void **state)
{
	static const uint8_t want[6] = { 0x02, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE };
	struct rig_opts o = { .drv = { .mac_set = true, .mac = { 0x02, 0xAA, 0xBB, 0xCC, 0xDD,
								   0xEE } } };
	struct rig *r = rig_new(&o);
	uint8_t mac[6];

	(void)state;
	rig_boot(r);
	nb_cyw43439_model_mac(r->m, mac);
	assert_memory_equal(mac, want, 6);
	assert_memory_equal(rig_dev(r)->mac, want, 6);
	rig_free(r);
}

static void test_fwload_init_rejects_bad_config(void **state)
{
	struct rig *r = rig_new(NULL);
	struct nb_cyw43439 d;
	struct nb_cyw43439_cfg c = r->cfg;

	(void)state;
	c.firmware = NULL;
	assert_int_equal(nb_cyw43439_init(&d, &c), -NB_EINVAL);
	c = r->cfg;
	c.nvram_len = 0;
	assert_int_equal(nb_cyw43439_init(&d, &c), -NB_EINVAL);
	c = r->cfg;
	c.f1_resp_delay = 5;
	assert_int_equal(nb_cyw43439_init(&d, &c), -NB_EINVAL);
	c = r->cfg;
	c.firmware_len = 0x7FFFF;
	assert_int_equal(nb_cyw43439_init(&d, &c), -NB_EINVAL);
	c = r->cfg;
	memcpy(c.country, "D", 2);
	assert_int_equal(nb_cyw43439_init(&d, &c), -NB_EINVAL);
	c = r->cfg;
	assert_int_equal(nb_cyw43439_init(&d, &c), 0);
	assert_int_equal(rig_dev(r)->tx_headroom, 18);
	assert_int_equal(nb_cyw43439_netdev(&d)->max_frame, 1514);
	assert_int_equal(nb_cyw43439_netdev(&d)->mtu, 1500);
	assert_true(nb_netdev_caps(nb_cyw43439_netdev(&d)) & NB_NETDEV_CAP_WIRELESS);
	assert_true(nb_netdev_caps(nb_cyw43439_netdev(&d)) & NB_NETDEV_CAP_IRQ);
	assert_string_equal(nb_cyw43439_netdev(&d)->name, "wlan0");
	nb_cyw43439_deinit(&d);
	nb_cyw43439_deinit(NULL);
	rig_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fwload_boots_to_ready),
		cmocka_unit_test(test_fwload_power_sequence_is_deadlines),
		cmocka_unit_test(test_fwload_variants_boot),
		cmocka_unit_test(test_fwload_verification_failure_is_reported),
		cmocka_unit_test(test_fwload_corrupt_image_times_out),
		cmocka_unit_test(test_fwload_no_chip_answer),
		cmocka_unit_test(test_fwload_bus_error),
		cmocka_unit_test(test_fwload_bad_clm_is_firmware_rejected),
		cmocka_unit_test(test_fwload_refused_ioctl_leaves_the_unpowered_bus_alone),
		cmocka_unit_test(test_fwload_configured_mac_is_set_in_chip),
		cmocka_unit_test(test_fwload_init_rejects_bad_config),
	};

	return cmocka_run_group_tests_name("cyw43439_fwload", tests, NULL, NULL);
}
