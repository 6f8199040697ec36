/* SPDX-License-Identifier: MIT */
#include "tests/unit/cyw43439/rig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "sim/cyw43439/fwimage.h"
#include "tests/unit/support/test_support.h"

#if defined(__SANITIZE_ADDRESS__)
#define RIG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RIG_ASAN 1
#endif
#endif
#ifdef RIG_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#endif

const uint8_t rig_peer_mac[6] = { 0x02, 0x50, 0x45, 0x45, 0x52, 0x01 };

static const char nvram_text[] = "NVRAMRev=$Rev$\0"
				 "manfid=0x2d0\0"
				 "boardtype=0x0887\0"
				 "macaddr=00:A0:50:b5:59:5e\0"
				 "xtalfreq=37400\0"
				 "\0";

static void peer_rx(void *ctx, const uint8_t *frame, size_t len, uint32_t flags)
{
	struct rig *r = ctx;
	struct rig_frame *f;

	(void)flags;
	if (len < 4 || nb_crc32(0, frame, len) != NB_CRC32_RESIDUE) {
		r->peer_bad_fcs++;
		return;
	}
	if (r->peer_count == RIG_PEER_SLOTS)
		return;
	f = &r->peer[(r->peer_head + r->peer_count) % RIG_PEER_SLOTS];
	f->len = len - 4;
	memcpy(f->data, frame, len - 4);
	r->peer_count++;
}

static const struct nb_wire_end_ops peer_ops = { .rx = peer_rx };

static void on_violation(void *ctx, const char *what, uint64_t t_ns)
{
	struct rig *r = ctx;

	if (strncmp(what, "warning: ", 9) == 0)
		return;
	r->violations++;
	snprintf(r->last_violation, sizeof(r->last_violation), "%s", what);
	if (getenv("NB_TEST_VERBOSE"))
		fprintf(stderr, "model violation at %llu ns: %s\n", (unsigned long long)t_ns, what);
}

static void on_trace(void *ctx, const struct nb_cyw43439_trace *t)
{
	struct rig *r = ctx;
	char line[512];
	size_t n;

	if (!r->tracing)
		return;
	n = nb_cyw43439_trace_format(t, line, sizeof(line));
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	if (r->trace_len + n + 2 > r->trace_cap) {
		r->trace_cap = (r->trace_cap + n + 2) * 2;
		r->trace = realloc(r->trace, r->trace_cap);
		assert_non_null(r->trace);
	}
	memcpy(r->trace + r->trace_len, line, n);
	r->trace_len += n;
	r->trace[r->trace_len++] = '\n';
	r->trace[r->trace_len] = '\0';
	r->trace_lines++;
}

static void unpoison(struct rig *r)
{
	if (r->poisoned) {
		ASAN_UNPOISON_MEMORY_REGION(r->poisoned, r->poisoned_len);
		r->poisoned = NULL;
	}
}

/*
 * The driver reads F2 frames into its own 2048-byte buffer, so ASan alone cannot see a read
 * past the frame. This wrapper poisons the buffer from the length in the F2 command to its
 * end after every F2 read (and lifts it before the next transaction).
 */
static int guard_read(void *ctx, const uint8_t cmd[4], uint8_t *rx, size_t rx_len)
{
	struct rig *r = ctx;
	uint32_t c = (uint32_t)cmd[0] | ((uint32_t)cmd[1] << 8) | ((uint32_t)cmd[2] << 16) |
		     ((uint32_t)cmd[3] << 24);
	int ret;

	unpoison(r);
	ret = r->inner.ops->cmd_read(r->inner.ctx, cmd, rx, rx_len);
	if (ret == 0 && r->drv.bus.word32 && ((c >> 28) & 3u) == 2 && rx == r->drv.rx) {
		size_t len = c & 0x7FFu;

		r->poisoned = r->drv.rx + len;
		r->poisoned_len = sizeof(r->drv.rx) - len;
		ASAN_POISON_MEMORY_REGION(r->poisoned, r->poisoned_len);
	}
	return ret;
}

static int guard_write(void *ctx, const uint8_t cmd[4], const uint8_t *tx, size_t tx_len)
{
	struct rig *r = ctx;

	unpoison(r);
	return r->inner.ops->cmd_write(r->inner.ctx, cmd, tx, tx_len);
}

static int guard_status(void *ctx, uint8_t st[NB_GSPI_STATUS_LEN])
{
	struct rig *r = ctx;

	return r->inner.ops->last_status(r->inner.ctx, st);
}

struct rig *rig_new(const struct rig_opts *o)
{
	static const struct rig_opts dflt;
	struct nb_sim_cfg sc = { .mode = NB_SIM_VIRTUAL, .seed = 1 };
	struct nb_cyw43439_model_cfg mc;
	struct nb_wifi_ap_cfg ac;
	struct rig *r = calloc(1, sizeof(*r));

	if (!o)
		o = &dflt;
	assert_non_null(r);
	r->peer = calloc(RIG_PEER_SLOTS, sizeof(*r->peer));
	assert_non_null(r->peer);
	r->sim = nb_sim_new(&sc);
	assert_non_null(r->sim);

	mc = o->model;
	if (o->fast) {
		if (!mc.join_scan_ns)
			mc.join_scan_ns = 20ull * NB_NS_PER_MS;
		if (!mc.scan_ns)
			mc.scan_ns = 50ull * NB_NS_PER_MS;
		if (!mc.beacon_loss_ns)
			mc.beacon_loss_ns = 100ull * NB_NS_PER_MS;
	}
	r->m = nb_cyw43439_model_new(r->sim, &mc);
	assert_non_null(r->m);
	nb_cyw43439_model_set_violation_cb(r->m, on_violation, r);
	nb_cyw43439_model_set_trace_cb(r->m, on_trace, r);

	memset(&ac, 0, sizeof(ac));
	ac.ssid = RIG_SSID;
	ac.channel = 6;
	ac.security = o->open_ap ? NB_WIFI_SEC_OPEN : NB_WIFI_SEC_WPA2_PSK;
	ac.passphrase = o->open_ap ? NULL : (o->ap_passphrase ? o->ap_passphrase : RIG_PASSPHRASE);
	if (o->ap_handshake_ns)
		ac.handshake_timeout_ns = o->ap_handshake_ns;
	else if (o->fast)
		ac.handshake_timeout_ns = 200ull * NB_NS_PER_MS;
	r->ap = nb_wifi_ap_new(r->sim, &ac);
	assert_non_null(r->ap);
	if (!o->no_ap)
		assert_int_equal(nb_cyw43439_model_add_ap(r->m, r->ap), 0);
	r->wire = nb_wire_new(r->sim, &(struct nb_wire_cfg){ .queue_frames = 256 });
	assert_non_null(r->wire);
	nb_wifi_ap_attach_wire(r->ap, r->wire, 0);
	nb_wire_attach(r->wire, 1, &peer_ops, r);
	nb_wire_set_end_up(r->wire, 1, true);

	r->fw_len = o->fw_len ? o->fw_len : 40000;
	r->fw = malloc(r->fw_len);
	assert_non_null(r->fw);
	assert_int_equal(nb_fwimage_build(0x5EED, r->fw_len, r->fw), 0);
	memcpy(r->nvram, nvram_text, sizeof(nvram_text) - 1);
	r->nvram_len = sizeof(nvram_text) - 1;
	if (o->clm_len != SIZE_MAX) {
		r->clm_len = o->clm_len ? o->clm_len : 1500;
		r->clm = malloc(r->clm_len);
		assert_non_null(r->clm);
		for (size_t i = 0; i < r->clm_len; i++)
			r->clm[i] = (uint8_t)(i * 13u + 7u);
		memcpy(r->clm, "BLOB", r->clm_len < 4 ? r->clm_len : 4);
	}

	r->cfg = o->drv;
	r->cfg.gspi = nb_cyw43439_model_gspi(r->m);
	if (o->guard_rx) {
		r->inner = r->cfg.gspi;
		r->guard_ops.cmd_read = guard_read;
		r->guard_ops.cmd_write = guard_write;
		r->guard_ops.last_status = guard_status;
		r->cfg.gspi.ops = &r->guard_ops;
		r->cfg.gspi.ctx = r;
	}
	r->cfg.gpio = nb_cyw43439_model_gpio(r->m);
	r->cfg.pins_set = true;
	r->cfg.wl_reg_on_pin = NB_CYW43439_PIN_WL_REG_ON;
	r->cfg.host_wake_pin = NB_CYW43439_PIN_HOST_WAKE;
	r->cfg.clock = *nb_sim_clock(r->sim);
	r->cfg.log = nb_test_log;
	r->cfg.firmware = r->fw;
	r->cfg.firmware_len = r->fw_len;
	r->cfg.nvram = r->nvram;
	r->cfg.nvram_len = r->nvram_len;
	r->cfg.clm = r->clm;
	r->cfg.clm_len = r->clm_len;
	if (o->fast && !r->cfg.rejoin_interval_ns)
		r->cfg.rejoin_interval_ns = 100u * (uint32_t)NB_NS_PER_MS;
	assert_int_equal(nb_cyw43439_init(&r->drv, &r->cfg), 0);
	return r;
}

void rig_free(struct rig *r)
{
	if (!r)
		return;
	unpoison(r);
	nb_cyw43439_deinit(&r->drv);
	unpoison(r);
	nb_cyw43439_model_free(r->m);
	nb_wifi_ap_free(r->ap);
	nb_wire_free(r->wire);
	nb_sim_free(r->sim);
	free(r->fw);
	free(r->clm);
	free(r->peer);
	free(r->trace);
	free(r);
}

struct nb_netdev *rig_dev(struct rig *r)
{
	return nb_cyw43439_netdev(&r->drv);
}

bool rig_step(struct rig *r)
{
	struct nb_netdev *dev = rig_dev(r);
	uint64_t now = nb_sim_now(r->sim);
	uint64_t dl = nb_netdev_next_deadline(dev), ev;

	/* like the run loop: a device without an IRQ line is also polled every interval */
	if (!(nb_netdev_caps(dev) & NB_NETDEV_CAP_IRQ) && (nb_netdev_flags(dev) & NB_NETDEV_F_UP)) {
		uint64_t t = r->last_poll + (dev->poll_interval_ns ? dev->poll_interval_ns
								    : NB_NS_PER_MS);

		if (t < dl)
			dl = t;
	}
	if (nb_netdev_work_pending(dev) || dl <= now) {
		int n = nb_netdev_poll(dev, 16);

		r->last_poll = now;
		if (n < 0)
			r->poll_errors++;
		/* a device that keeps asking for "now" without progress must not hang the test */
		if (!nb_netdev_work_pending(dev) && nb_netdev_next_deadline(dev) <= now)
			nb_sim_advance_to(r->sim, now + 1000);
		return true;
	}
	ev = nb_sim_next_event(r->sim);
	if (dl < ev)
		ev = dl;
	if (ev == NB_DEADLINE_NONE)
		return false;
	nb_sim_advance_to(r->sim, ev);
	return true;
}

bool rig_run_until(struct rig *r, bool (*cond)(struct rig *r, void *arg), void *arg,
		   uint64_t max_ns)
{
	uint64_t end = nb_sim_now(r->sim) + max_ns;

	while (!cond(r, arg)) {
		if (nb_sim_now(r->sim) >= end)
			return cond(r, arg);
		if (!rig_step(r)) {
			nb_sim_advance_to(r->sim, end);
			return cond(r, arg);
		}
		if (nb_sim_now(r->sim) > end)
			return cond(r, arg);
	}
	return true;
}

static bool never(struct rig *r, void *arg)
{
	(void)r;
	(void)arg;
	return false;
}

void rig_run_for(struct rig *r, uint64_t ns)
{
	uint64_t end = nb_sim_now(r->sim) + ns;

	(void)rig_run_until(r, never, NULL, ns);
	if (nb_sim_now(r->sim) < end)
		nb_sim_advance_to(r->sim, end);
}

static bool is_ready(struct rig *r, void *arg)
{
	enum nb_cyw43439_state st = nb_cyw43439_state(&r->drv);

	(void)arg;
	return st == NB_CYW43439_STATE_READY || st == NB_CYW43439_STATE_FAILED;
}

void rig_boot(struct rig *r)
{
	assert_int_equal(nb_netdev_open(rig_dev(r)), 0);
	rig_run_until(r, is_ready, NULL, 5ull * NB_NS_PER_S);
	if (nb_cyw43439_state(&r->drv) != NB_CYW43439_STATE_READY)
		fprintf(stderr, "boot ended in %s (%s); model: %s; violation: %s\n",
			nb_cyw43439_state_name(nb_cyw43439_state(&r->drv)),
			nb_cyw43439_reason_name(nb_cyw43439_reason(&r->drv)),
			nb_cyw43439_model_fw_error(r->m), r->last_violation);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_READY);
}

static void on_join(struct nb_cyw43439 *d, int result, void *ctx)
{
	struct rig *r = ctx;

	(void)d;
	r->join_result = result;
	r->join_calls++;
}

int rig_join(struct rig *r, const char *passphrase)
{
	struct nb_cyw43439_join_params p = {
		.ssid = (const uint8_t *)RIG_SSID,
		.ssid_len = strlen(RIG_SSID),
	};

	if (nb_wifi_ap_security(r->ap) == NB_WIFI_SEC_WPA2_PSK) {
		p.security = NB_CYW43439_SEC_WPA2_PSK;
		p.passphrase = passphrase ? passphrase : RIG_PASSPHRASE;
		p.passphrase_len = strlen(p.passphrase);
	}
	return nb_cyw43439_join(&r->drv, &p, on_join, r);
}

static bool join_called(struct rig *r, void *arg)
{
	(void)arg;
	return r->join_calls > 0;
}

void rig_boot_join(struct rig *r)
{
	rig_boot(r);
	assert_int_equal(rig_join(r, NULL), 0);
	rig_run_until(r, join_called, NULL, 30ull * NB_NS_PER_S);
	assert_int_equal(r->join_calls, 1);
	assert_int_equal(r->join_result, 0);
	assert_int_equal(nb_cyw43439_state(&r->drv), NB_CYW43439_STATE_JOINED);
	assert_true(nb_netdev_flags(rig_dev(r)) & NB_NETDEV_F_RUNNING);
}

int rig_peer_send(struct rig *r, const uint8_t *frame, size_t len)
{
	uint8_t buf[2048];
	uint32_t fcs;

	if (len + 4 > sizeof(buf))
		return -EMSGSIZE;
	memcpy(buf, frame, len);
	fcs = nb_crc32(0, frame, len);
	buf[len] = (uint8_t)fcs;
	buf[len + 1] = (uint8_t)(fcs >> 8);
	buf[len + 2] = (uint8_t)(fcs >> 16);
	buf[len + 3] = (uint8_t)(fcs >> 24);
	return nb_wire_send(r->wire, 1, buf, len + 4, 0);
}

int rig_peer_take(struct rig *r, uint8_t *buf, size_t cap)
{
	struct rig_frame *f;

	if (!r->peer_count)
		return 0;
	f = &r->peer[r->peer_head];
	r->peer_head = (r->peer_head + 1) % RIG_PEER_SLOTS;
	r->peer_count--;
	if (f->len > cap)
		return -EMSGSIZE;
	memcpy(buf, f->data, f->len);
	return (int)f->len;
}

static void record_rx(struct nb_netdev *dev, const uint8_t *frame, size_t len, void *ctx)
{
	struct rig *r = ctx;

	(void)dev;
	r->rx_count++;
	r->last_rx.len = len;
	memcpy(r->last_rx.data, frame, len);
}

void rig_record_rx(struct rig *r)
{
	nb_netdev_set_rx_handler(rig_dev(r), record_rx, r);
}

void rig_trace_start(struct rig *r)
{
	r->tracing = true;
	r->trace_len = 0;
	r->trace_lines = 0;
}
