/* SPDX-License-Identifier: MIT */
/* Control channel: CDC ioctl/iovar requests with ids and timeouts (§3.3, §4.1). */
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "drivers/util/nb_errno.h"

#define CTL_HDRS (CYW_SDPCM_HDR + CYW_CDC_HDR)
#define DEFAULT_TIMEOUT_NS NB_NS_PER_S

void cyw_ctl_reset(struct nb_cyw43439 *d)
{
	d->ctl.busy = false;
	d->ctl.queued = false;
	d->ctl.done = NULL;
	d->ctl.deadline = NB_DEADLINE_NONE;
	/* the id counter keeps running: a late answer to an old request never matches */
}

uint8_t *cyw_ctl_payload(struct nb_cyw43439 *d)
{
	return d->ctl.tx + CTL_HDRS;
}

static void complete(struct nb_cyw43439 *d, int result, int32_t fw_status)
{
	nb_cyw43439_ctl_done_fn done = d->ctl.done;
	void *ctx = d->ctl.done_ctx;

	d->ctl.busy = false;
	d->ctl.queued = false;
	d->ctl.done = NULL;
	d->ctl.deadline = NB_DEADLINE_NONE;
	cyw_sdpcm_tx_check(d);
	if (done)
		done(d, result, fw_status, ctx);
}

static int send_queued(struct nb_cyw43439 *d)
{
	int ret;

	if (!cyw_sdpcm_can_send(d, false))
		return 0;
	cyw_sdpcm_fill(d, d->ctl.tx, d->ctl.tx_len, CYW_CHAN_CONTROL, CYW_SDPCM_HDR);
	d->ctl.queued = false;
	ret = cyw_f2_write(d, d->ctl.tx, d->ctl.tx_len);
	if (ret < 0)
		cyw_sdpcm_unsent(d);
	cyw_sdpcm_tx_check(d);
	return ret;
}

int cyw_ctl_submit_built(struct nb_cyw43439 *d, uint32_t cmd, bool set, unsigned iface,
			 size_t len, void *resp, size_t resp_cap, nb_cyw43439_ctl_done_fn done,
			 void *ctx)
{
	uint8_t *cdc = d->ctl.tx + CYW_SDPCM_HDR;
	uint64_t timeout = d->cfg.ioctl_timeout_ns ? d->cfg.ioctl_timeout_ns : DEFAULT_TIMEOUT_NS;
	int ret;

	if (d->ctl.busy)
		return -NB_EBUSY;
	if (len > NB_CYW43439_CTL_DATA_MAX || iface > 15)
		return -NB_EMSGSIZE;
	/* §3.3.2: ids are pre-incremented per request, first one is 1 */
	d->ctl.id++;
	nb_put_le32(cdc, cmd);
	nb_put_le32(cdc + 4, (uint32_t)len);
	nb_put_le32(cdc + 8, ((uint32_t)d->ctl.id << CYW_CDCF_ID_SHIFT) |
				     ((uint32_t)iface << CYW_CDCF_IF_SHIFT) | (set ? CYW_CDCF_SET : 0u));
	nb_put_le32(cdc + 12, 0);
	d->ctl.tx_len = CTL_HDRS + len;
	d->ctl.cmd = cmd;
	d->ctl.resp = resp;
	d->ctl.resp_cap = resp ? resp_cap : 0;
	d->ctl.done = done;
	d->ctl.done_ctx = ctx;
	d->ctl.busy = true;
	d->ctl.queued = true;
	d->ctl.deadline = cyw_now(d) + timeout;
	d->stats.ioctls++;
	ret = send_queued(d);
	if (ret < 0) {
		d->ctl.busy = false;
		d->ctl.queued = false;
		d->ctl.done = NULL;
		d->ctl.deadline = NB_DEADLINE_NONE;
		return ret;
	}
	return 0;
}

int cyw_ctl_submit(struct nb_cyw43439 *d, uint32_t cmd, bool set, unsigned iface,
		   const void *data, size_t len, void *resp, size_t resp_cap,
		   nb_cyw43439_ctl_done_fn done, void *ctx)
{
	if (d->ctl.busy)
		return -NB_EBUSY;
	if (len > NB_CYW43439_CTL_DATA_MAX)
		return -NB_EMSGSIZE;
	if (len)
		memcpy(cyw_ctl_payload(d), data, len);
	return cyw_ctl_submit_built(d, cmd, set, iface, len, resp, resp_cap, done, ctx);
}

void cyw_ctl_service(struct nb_cyw43439 *d)
{
	if (!d->ctl.busy)
		return;
	if (d->ctl.queued && send_queued(d) < 0) {
		d->stats.ioctl_errors++;
		complete(d, -NB_EIO, 0);
		return;
	}
	if (nb_clock_expired(&d->cfg.clock, d->ctl.deadline)) {
		d->stats.ioctl_timeouts++;
		cyw_log(d, NB_LOG_WARN, "ioctl timed out", d->ctl.cmd, d->ctl.id);
		complete(d, -NB_ETIMEDOUT, 0);
	}
}

int cyw_ctl_rx(struct nb_cyw43439 *d, const uint8_t *p, size_t len)
{
	uint32_t flags, cdc_len;
	int32_t status;
	size_t n;

	if (len < CYW_CDC_HDR)
		return cyw_rx_malformed(d, &d->stats.rx_ctl_malformed);
	flags = nb_get_le32(p + 8);
	/* R5/§4.1: only the answer to the request we are waiting for counts */
	if (!d->ctl.busy || d->ctl.queued || (flags >> CYW_CDCF_ID_SHIFT) != d->ctl.id) {
		d->stats.rx_ctl_stale++;
		return 0;
	}
	cdc_len = nb_get_le32(p + 4) & 0xFFFFu;
	if (cdc_len > len - CYW_CDC_HDR) {
		complete(d, -NB_EPROTO, 0);
		return cyw_rx_malformed(d, &d->stats.rx_ctl_malformed);
	}
	status = (int32_t)nb_get_le32(p + 12);
	if ((flags & CYW_CDCF_ERROR) || status != 0) {
		d->stats.ioctl_errors++;
		cyw_log(d, NB_LOG_WARN, "ioctl failed in firmware", d->ctl.cmd, status);
		complete(d, -NB_EIO, status);
		return 0;
	}
	n = cdc_len < d->ctl.resp_cap ? cdc_len : d->ctl.resp_cap;
	if (n)
		memcpy(d->ctl.resp, p + CYW_CDC_HDR, n);
	complete(d, (int)n, 0);
	return 0;
}

void cyw_ctl_cancel(struct nb_cyw43439 *d)
{
	nb_cyw43439_ioctl_fn fn = d->ctl.user_fn;
	void *ctx = d->ctl.user_ctx;

	if (!d->ctl.busy)
		return;
	/* internal requests belong to tasks being torn down: drop them silently; the caller
	 * of a raw ioctl is told */
	d->ctl.busy = false;
	d->ctl.queued = false;
	d->ctl.done = NULL;
	d->ctl.user_fn = NULL;
	d->ctl.deadline = NB_DEADLINE_NONE;
	if (fn)
		fn(d, -NB_ECANCELED, 0, ctx);
}

/* ---- iovar helpers (§3.3.4): "name\0" then the value, built in place --------------------- */

size_t cyw_put_name(uint8_t *p, const char *name)
{
	size_t n = strlen(name) + 1u;

	memcpy(p, name, n);
	return n;
}

int cyw_iovar_set(struct nb_cyw43439 *d, const char *name, const void *val, size_t len,
		     nb_cyw43439_ctl_done_fn done, void *ctx)
{
	uint8_t *p = cyw_ctl_payload(d);
	size_t n = cyw_put_name(p, name);

	if (len)
		memcpy(p + n, val, len);
	return cyw_ctl_submit_built(d, CYW_WLC_SET_VAR, true, 0, n + len, NULL, 0, done, ctx);
}

int cyw_iovar_set_u32(struct nb_cyw43439 *d, const char *name, uint32_t v,
			 nb_cyw43439_ctl_done_fn done, void *ctx)
{
	uint8_t b[4];

	nb_put_le32(b, v);
	return cyw_iovar_set(d, name, b, sizeof(b), done, ctx);
}

/* "bsscfg:" iovars carry the bsscfg index before the value (§3.3.4) */
int cyw_bsscfg_set_u32(struct nb_cyw43439 *d, const char *name, uint32_t v,
			  nb_cyw43439_ctl_done_fn done, void *ctx)
{
	uint8_t b[8];

	nb_put_le32(b, 0);
	nb_put_le32(b + 4, v);
	return cyw_iovar_set(d, name, b, sizeof(b), done, ctx);
}

int cyw_iovar_get(struct nb_cyw43439 *d, const char *name, size_t out_len, void *resp,
		  size_t resp_cap, nb_cyw43439_ctl_done_fn done, void *ctx)
{
	uint8_t *p = cyw_ctl_payload(d);
	size_t n = cyw_put_name(p, name);

	memset(p + n, 0, out_len);
	return cyw_ctl_submit_built(d, CYW_WLC_GET_VAR, false, 0, n + out_len, resp, resp_cap,
				    done, ctx);
}

int cyw_ioctl_set_u32(struct nb_cyw43439 *d, uint32_t cmd, uint32_t v,
			 nb_cyw43439_ctl_done_fn done, void *ctx)
{
	uint8_t b[4];

	nb_put_le32(b, v);
	return cyw_ctl_submit(d, cmd, true, 0, b, sizeof(b), NULL, 0, done, ctx);
}

uint64_t cyw_ctl_deadline(const struct nb_cyw43439 *d)
{
	if (!d->ctl.busy)
		return NB_DEADLINE_NONE;
	/* a request still waiting for credit needs a poll as soon as possible */
	return d->ctl.deadline;
}
