/* SPDX-License-Identifier: MIT */
/*
 * The cyw43439 device: the real driver (drivers/cyw43439) on the gSPI bus and WL_REG_ON /
 * HOST_WAKE pins of the register-level chip model (sim/cyw43439), with a simulated access
 * point in radio range. The AP's wired side is end 0 of the run's wire, so the far side of
 * the scenario (partner MAC + TAP or pcap) is the distribution network behind the AP.
 *
 * A Wi-Fi chip does not bring its link up by itself: its user joins a network once the
 * firmware is up. That is this file's service() (the run loop calls it after each pass over
 * the device): it joins with the scenario's `wifi:` credentials when the driver is READY and
 * turns the driver's join result (event status and reason, as the driver classified them)
 * into one clear message, the JSON report and a failed check. After a successful join the
 * driver keeps the association alive by itself (re-join after AP loss).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/cyw43439/cyw43439.h"
#include "sim/cyw43439/ap.h"
#include "sim/cyw43439/cyw43439_model.h"
#include "src/capture_bus.h"
#include "src/dev_cyw43439.h"
#include "src/devices.h"
#include "src/log.h"

#define DEFAULT_REJOIN_NS (2ull * NB_NS_PER_S)

enum join_state { JOIN_WAITING = 0, JOIN_RUNNING, JOIN_JOINED, JOIN_FAILED };

struct cyw_dev {
	struct nb_device base;
	struct nb_sim *sim;
	struct nb_cyw43439_model *model;
	struct nb_wifi_ap *ap;
	struct nb_cyw43439 drv;
	bool drv_ready;
	struct cyw_blob fw, nvram, clm;
	const struct cyw43439_cfg *cfg;
	const struct nb_logger *logger;
	uint64_t violations;
	/* the join this device does for its user */
	enum join_state join;
	unsigned join_attempts;
	int join_result;
	enum nb_cyw43439_reason join_reason;
	bool join_failure_logged;
	bool bringup_failed;
	struct nb_sim_timer retry_timer;
	bool retry_due;
	char failure[320];
};

static struct cyw_dev *cyw_of(struct nb_device *d)
{
	return nb_container_of(d, struct cyw_dev, base);
}

static const char *const join_state_names[] = {
	[JOIN_WAITING] = "waiting", [JOIN_RUNNING] = "joining",
	[JOIN_JOINED] = "joined", [JOIN_FAILED] = "failed",
};

static const char *security_name(uint32_t s)
{
	return s == CYW_SEC_OPEN ? "open" : "wpa2-psk";
}

/* What the driver's classification of a failed join means to the person running it. */
static const char *reason_text(enum nb_cyw43439_reason r)
{
	switch (r) {
	case NB_CYW43439_REASON_NO_NETWORK:
		return "no network with this SSID in range";
	case NB_CYW43439_REASON_WRONG_PASSPHRASE:
		return "authentication failed (wrong passphrase?): the 4-way handshake did not "
		       "complete";
	case NB_CYW43439_REASON_AUTH_REJECTED:
		return "the access point refused authentication or association (security mode?)";
	case NB_CYW43439_REASON_DEAUTHENTICATED:
		return "the access point deauthenticated the station";
	case NB_CYW43439_REASON_JOIN_TIMEOUT:
		return "no join result within the join timeout";
	case NB_CYW43439_REASON_JOIN_FAILED:
		return "the firmware reported a join failure";
	case NB_CYW43439_REASON_IOCTL_TIMEOUT:
		return "the firmware stopped answering ioctls";
	case NB_CYW43439_REASON_FIRMWARE_REJECTED:
		return "the firmware answered an ioctl with an error status (see the driver log)";
	case NB_CYW43439_REASON_BUS_ERROR:
		return "gSPI bus error";
	case NB_CYW43439_REASON_NO_CHIP:
		return "no CYW43439 answered on the bus (chip ID / test pattern)";
	case NB_CYW43439_REASON_VERIFY_FAILED:
		return "firmware download read-back differs";
	case NB_CYW43439_REASON_FIRMWARE_TIMEOUT:
		return "the firmware did not come up (HT clock / F2 ready)";
	default:
		return nb_cyw43439_reason_name(r);
	}
}

static void on_violation(void *ctx, const char *what, uint64_t t_ns)
{
	struct cyw_dev *d = ctx;

	if (!strncmp(what, "warning: ", 9)) {
		nb_logf(d->logger, NB_LOG_DEBUG, "cyw43439.model", "at %llu ns: %s",
			(unsigned long long)t_ns, what);
		return;
	}
	d->violations++;
	nb_logf(d->logger, NB_LOG_WARN, "cyw43439.model", "strict mode at %llu ns: %s",
		(unsigned long long)t_ns, what);
}

/* ---- joining ------------------------------------------------------------------------------ */

static uint64_t rejoin_ns(const struct cyw_dev *d)
{
	return d->cfg->rejoin_ns ? d->cfg->rejoin_ns : DEFAULT_REJOIN_NS;
}

/* Nothing in range (yet) or no answer: worth another try, as the driver does after a loss.
 * A refused key or association will not get better by repeating it. */
static bool retryable(enum nb_cyw43439_reason r)
{
	return r == NB_CYW43439_REASON_NO_NETWORK || r == NB_CYW43439_REASON_JOIN_TIMEOUT;
}

static void on_join(struct nb_cyw43439 *drv, int result, void *ctx)
{
	struct cyw_dev *d = ctx;
	enum nb_cyw43439_reason r = nb_cyw43439_reason(drv);

	d->join_result = result;
	if (result == 0) {
		d->join = JOIN_JOINED;
		d->join_reason = NB_CYW43439_REASON_NONE;
		d->failure[0] = '\0';
		nb_logf(d->logger, NB_LOG_INFO, "cyw43439", "joined '%s' (%s) after %u attempt%s",
			d->cfg->wifi.ssid, security_name(d->cfg->wifi.security), d->join_attempts,
			d->join_attempts == 1 ? "" : "s");
		return;
	}
	d->join_reason = r;
	snprintf(d->failure, sizeof(d->failure), "cyw43439: join '%s' failed: %s [%s]",
		 d->cfg->wifi.ssid, reason_text(r), nb_cyw43439_reason_name(r));
	if (result == -ECANCELED) {
		d->join = JOIN_FAILED;
		return;
	}
	if (retryable(r)) {
		if (!d->join_failure_logged)
			nb_logf(d->logger, NB_LOG_WARN, "cyw43439", "%s; trying again every %.3g s",
				d->failure + strlen("cyw43439: "), (double)rejoin_ns(d) / 1e9);
		d->join_failure_logged = true;
		d->join = JOIN_WAITING;
		d->retry_due = false;
		(void)nb_sim_timer_arm(d->sim, &d->retry_timer, nb_sim_now(d->sim) + rejoin_ns(d));
		return;
	}
	d->join = JOIN_FAILED;
	nb_logf(d->logger, NB_LOG_ERR, "cyw43439", "%s", d->failure + strlen("cyw43439: "));
}

static void retry_fire(void *ctx)
{
	struct cyw_dev *d = ctx;

	d->retry_due = true;
}

static void start_join(struct cyw_dev *d)
{
	const struct cyw_wifi_cfg *w = &d->cfg->wifi;
	struct nb_cyw43439_join_params p = {
		.ssid = (const uint8_t *)w->ssid,
		.ssid_len = strlen(w->ssid),
		.security = w->security == CYW_SEC_OPEN ? NB_CYW43439_SEC_OPEN
							: NB_CYW43439_SEC_WPA2_PSK,
		.passphrase = w->passphrase,
		.passphrase_len = w->passphrase ? strlen(w->passphrase) : 0,
	};
	int ret;

	d->join_attempts++;
	d->join = JOIN_RUNNING;
	if (d->join_attempts == 1)
		nb_logf(d->logger, NB_LOG_INFO, "cyw43439", "firmware up; joining '%s' (%s)",
			w->ssid, security_name(w->security));
	ret = nb_cyw43439_join(&d->drv, &p, on_join, d);
	if (ret < 0) {
		d->join = JOIN_FAILED;
		d->join_result = ret;
		snprintf(d->failure, sizeof(d->failure), "cyw43439: join '%s' could not start: %s",
			 w->ssid, strerror(-ret));
		nb_logf(d->logger, NB_LOG_ERR, "cyw43439", "%s", d->failure + strlen("cyw43439: "));
	}
}

static void cyw_service(struct nb_device *base)
{
	struct cyw_dev *d = cyw_of(base);
	enum nb_cyw43439_state st = nb_cyw43439_state(&d->drv);

	if (st == NB_CYW43439_STATE_FAILED && !d->bringup_failed) {
		const char *fw = nb_cyw43439_model_fw_error(d->model);

		d->bringup_failed = true;
		snprintf(d->failure, sizeof(d->failure), "cyw43439: bring-up failed: %s [%s]%s%s",
			 reason_text(nb_cyw43439_reason(&d->drv)),
			 nb_cyw43439_reason_name(nb_cyw43439_reason(&d->drv)),
			 fw[0] ? "; chip model: " : "", fw);
		nb_logf(d->logger, NB_LOG_ERR, "cyw43439", "%s", d->failure + strlen("cyw43439: "));
		return;
	}
	if (st != NB_CYW43439_STATE_READY || d->join != JOIN_WAITING)
		return;
	if (d->join_attempts && !d->retry_due)
		return;
	d->retry_due = false;
	start_join(d);
}

static const char *cyw_failure(struct nb_device *base)
{
	struct cyw_dev *d = cyw_of(base);

	if (d->failure[0])
		return d->failure;
	if (d->join != JOIN_JOINED) {
		snprintf(d->failure, sizeof(d->failure), "cyw43439: never joined '%s' (driver "
			 "state %s)", d->cfg->wifi.ssid,
			 nb_cyw43439_state_name(nb_cyw43439_state(&d->drv)));
		return d->failure;
	}
	return NULL;
}

/* ---- device ops ---------------------------------------------------------------------------- */

static int cyw_set_cable(struct nb_device *base, bool plugged)
{
	struct cyw_dev *d = cyw_of(base);

	nb_wifi_ap_set_on_air(d->ap, plugged, d->cfg->ap.off_air == CYW_OFF_AIR_DEAUTH
						      ? NB_WIFI_AP_DEAUTH
						      : NB_WIFI_AP_SILENT);
	return 0;
}

static bool cyw_partner_link(struct nb_device *base)
{
	return nb_cyw43439_model_link_up(cyw_of(base)->model);
}

static uint64_t cyw_violations(struct nb_device *base)
{
	return cyw_of(base)->violations;
}

static int cyw_fault(struct nb_device *base, const char *spec, char *err, size_t len)
{
	struct cyw_dev *d = cyw_of(base);
	const char *what;
	int ret;

	ret = nb_cyw43439_inject(d->model, d->ap, d->cfg->credit_window, spec, &what, err, len);
	if (ret == 0)
		nb_logf(d->logger, NB_LOG_INFO, "cyw43439", "fault %s: %s", spec, what);
	return ret;
}

static void join_json(struct cyw_dev *d, struct nb_json *j)
{
	nb_json_begin(j, "join");
	nb_json_str(j, "ssid", d->cfg->wifi.ssid);
	nb_json_str(j, "security", security_name(d->cfg->wifi.security));
	nb_json_str(j, "state", join_state_names[d->join]);
	nb_json_u64(j, "attempts", d->join_attempts);
	nb_json_i64(j, "result", d->join_result);
	nb_json_str(j, "reason", nb_cyw43439_reason_name(d->join_reason));
	nb_json_str(j, "message", d->failure);
	nb_json_end(j);
}

static void ap_json(struct cyw_dev *d, struct nb_json *j)
{
	const struct nb_wifi_ap_stats *as = nb_wifi_ap_stats(d->ap);

	nb_json_begin(j, "ap");
	nb_json_str(j, "ssid", d->cfg->ap.ssid);
	nb_json_bool(j, "on_air", nb_wifi_ap_on_air(d->ap));
	nb_json_u64(j, "stations", nb_wifi_ap_station_count(d->ap));
	nb_json_u64(j, "assocs", as->assocs);
	nb_json_u64(j, "handshake_failures", as->handshake_failures);
	nb_json_u64(j, "deauths", as->deauths);
	nb_json_u64(j, "wire_rx", as->wire_rx);
	nb_json_u64(j, "wire_rx_bad_fcs", as->wire_rx_bad_fcs);
	nb_json_u64(j, "wire_tx", as->wire_tx);
	nb_json_u64(j, "wire_tx_busy", as->wire_tx_busy);
	nb_json_u64(j, "to_sta", as->to_sta);
	nb_json_u64(j, "to_sta_dropped", as->to_sta_dropped);
	nb_json_u64(j, "from_sta", as->from_sta);
	nb_json_u64(j, "no_destination", as->no_destination);
	nb_json_end(j);
}

static void cyw_status(struct nb_device *base, struct nb_json *j)
{
	struct cyw_dev *d = cyw_of(base);
	const struct nb_cyw43439_stats *ds = nb_cyw43439_stats(&d->drv);
	const struct nb_cyw43439_model_stats *ms = nb_cyw43439_model_stats(d->model);

	nb_json_str(j, "driver_state", nb_cyw43439_state_name(nb_cyw43439_state(&d->drv)));
	nb_json_str(j, "driver_reason", nb_cyw43439_reason_name(nb_cyw43439_reason(&d->drv)));
	join_json(d, j);
	nb_json_bool(j, "associated", nb_cyw43439_model_link_up(d->model));
	nb_json_str(j, "fw_error", nb_cyw43439_model_fw_error(d->model));
	nb_json_u64(j, "spi_hz", d->cfg->spi_hz);
	nb_json_u64(j, "credit_window", d->cfg->credit_window);
	nb_json_u64(j, "tx_credit_stalls", ds->tx_credit_stalls);
	nb_json_u64(j, "credit_updates", ms->credit_frames);
	nb_json_u64(j, "rejoins", ds->rejoins);
	nb_json_u64(j, "bus_transactions", ds->bus_transactions);
	nb_json_u64(j, "bus_errors", ds->bus_errors);
	nb_json_u64(j, "f2_no_answer", ds->f2_no_answer);
	nb_json_u64(j, "ioctls", ds->ioctls);
	nb_json_u64(j, "ioctl_timeouts", ds->ioctl_timeouts);
	nb_json_u64(j, "events", ds->events);
	nb_json_u64(j, "rx_seq_gaps", ds->rx_seq_gaps);
	nb_json_u64(j, "gspi_transactions", ms->transactions);
	nb_json_u64(j, "gspi_bytes", ms->bus_bytes);
	nb_json_u64(j, "violations", ms->violations);
	nb_json_u64(j, "warnings", ms->warnings);
	nb_json_u64(j, "fw_boots", ms->fw_boots);
	nb_json_u64(j, "fw_rejects", ms->fw_rejects);
	nb_json_u64(j, "data_tx", ms->data_tx);
	nb_json_u64(j, "data_tx_no_link", ms->data_tx_no_link);
	nb_json_u64(j, "data_rx", ms->data_rx);
	nb_json_u64(j, "data_rx_dropped", ms->data_rx_dropped);
	nb_json_u64(j, "data_rx_filtered", ms->data_rx_filtered);
	nb_json_u64(j, "events_dropped", ms->events_dropped);
	nb_json_u64(j, "joins", ms->joins);
	nb_json_u64(j, "join_failures", ms->join_failures);
	nb_json_u64(j, "link_downs", ms->link_downs);
	nb_json_u64(j, "faults_injected", ms->faults_injected);
	ap_json(d, j);
}

static void cyw_free(struct nb_device *base)
{
	struct cyw_dev *d = cyw_of(base);

	if (d->drv_ready)
		nb_cyw43439_deinit(&d->drv);
	if (d->sim)
		nb_sim_timer_cancel(d->sim, &d->retry_timer);
	nb_cyw43439_model_free(d->model);
	nb_wifi_ap_free(d->ap);
	free(d->fw.data);
	free(d->nvram.data);
	free(d->clm.data);
	free(d);
}

static const struct nb_device_ops cyw_dev_ops = {
	.set_cable = cyw_set_cable,
	.status = cyw_status,
	.partner_link = cyw_partner_link,
	.violations = cyw_violations,
	.fault = cyw_fault,
	.service = cyw_service,
	.failure = cyw_failure,
	.free = cyw_free,
	.link_down_words = "AP went off air",
	.link_up_words = "AP back on air",
};

/* ---- build --------------------------------------------------------------------------------- */

static int build_ap(struct cyw_dev *d, const struct nb_device_env *env, char *err, size_t len)
{
	const struct cyw_ap_cfg *a = &d->cfg->ap;
	struct nb_wifi_ap_cfg ac = {
		.ssid = a->ssid,
		.channel = (uint8_t)a->channel,
		.rssi_dbm = (int8_t)a->rssi,
		.security = a->security == CYW_SEC_OPEN ? NB_WIFI_SEC_OPEN : NB_WIFI_SEC_WPA2_PSK,
		.passphrase = a->passphrase,
		.handshake_timeout_ns = a->handshake_timeout_ns,
	};
	int ret;

	d->ap = nb_wifi_ap_new(env->sim, &ac);
	if (!d->ap) {
		snprintf(err, len, "cyw43439: creating the access point '%s' failed", a->ssid);
		return -1;
	}
	ret = nb_cyw43439_model_add_ap(d->model, d->ap);
	if (ret < 0) {
		snprintf(err, len, "cyw43439: putting the AP in range: %s", strerror(-ret));
		return -1;
	}
	nb_wifi_ap_attach_wire(d->ap, env->wire, 0);
	return 0;
}

static struct nb_device *cyw_build(const struct nb_device_common *common, const void *cfgp,
				   const struct nb_device_env *env, char *err, size_t len)
{
	const struct cyw43439_cfg *cfg = cfgp;
	struct nb_cyw43439_model_cfg mc = {
		.lax = !cfg->strict,
		.fw_verify_off = !cfg->verify,
		.credit_window = (uint8_t)cfg->credit_window,
		.gspi_hz = cfg->spi_hz,
		.join_scan_ns = cfg->join_scan_ns,
		.beacon_loss_ns = cfg->beacon_loss_ns,
		.boot_ns = cfg->boot_ns,
	};
	struct nb_cyw43439_cfg dc = { 0 };
	struct cyw_dev *d = calloc(1, sizeof(*d));
	int ret;

	if (!d) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	d->base.ops = &cyw_dev_ops;
	d->base.type_name = "cyw43439";
	d->cfg = cfg;
	d->logger = env->logger;
	nb_sim_timer_init(&d->retry_timer, retry_fire, d);
	if (nb_cyw43439_load_firmware(cfg, &d->fw, err, len) < 0 ||
	    nb_cyw43439_load_nvram(cfg, &d->nvram, err, len) < 0 ||
	    nb_cyw43439_load_clm(cfg, &d->clm, err, len) < 0)
		goto err_free;
	d->model = nb_cyw43439_model_new(env->sim, &mc);
	if (!d->model) {
		snprintf(err, len, "cyw43439: creating the model: %s", strerror(ENOMEM));
		goto err_free;
	}
	d->sim = env->sim;
	nb_cyw43439_model_set_violation_cb(d->model, on_violation, d);
	if (build_ap(d, env, err, len) < 0)
		goto err_free;

	dc.gspi = nb_cyw43439_model_gspi(d->model);
	ret = nb_capture_gspi(env->capture, "cyw43439.gspi", &dc.gspi, cfg->spi_hz);
	if (ret < 0) {
		snprintf(err, len, "cyw43439: bus monitor: %s", strerror(-ret));
		goto err_free;
	}
	dc.gpio = nb_cyw43439_model_gpio(d->model);
	dc.pins_set = true;
	dc.wl_reg_on_pin = NB_CYW43439_PIN_WL_REG_ON;
	dc.host_wake_pin = NB_CYW43439_PIN_HOST_WAKE;
	dc.no_irq = cfg->irq == CYW_IRQ_POLL;
	dc.clock = *nb_sim_clock(env->sim);
	dc.log = *env->log;
	dc.firmware = d->fw.data;
	dc.firmware_len = d->fw.len;
	dc.nvram = d->nvram.data;
	dc.nvram_len = d->nvram.len;
	dc.clm = d->clm.data;
	dc.clm_len = d->clm.len;
	dc.verify = (enum nb_cyw43439_verify)cfg->download_verify;
	dc.mac_set = true;
	memcpy(dc.mac, common->mac, NB_ETH_ALEN);
	dc.join_timeout_ns = (uint32_t)cfg->join_timeout_ns;
	dc.rejoin_interval_ns = (uint32_t)cfg->rejoin_ns;
	dc.name = common->name;
	ret = nb_cyw43439_init(&d->drv, &dc);
	if (ret < 0) {
		snprintf(err, len, "cyw43439: driver init: %s (the driver log says why)",
			 strerror(-ret));
		goto err_free;
	}
	d->drv_ready = true;
	d->base.netdev = nb_cyw43439_netdev(&d->drv);
	return &d->base;
err_free:
	cyw_free(&d->base);
	return NULL;
}

const struct nb_device_type nb_device_cyw43439 = {
	.name = "cyw43439",
	.summary = "CYW43439 Wi-Fi driver over gSPI, register-level chip model, simulated AP",
	.fields = nb_cyw43439_fields,
	.cfg_size = sizeof(struct cyw43439_cfg),
	.defaults = nb_cyw43439_defaults,
	.build = cyw_build,
	.fault_names = nb_cyw43439_fault_names,
};
