/* SPDX-License-Identifier: MIT */
/* The netdev glue: lifecycle, data TX built in place, poll, IRQ, deadlines, accessors. */
#include <string.h>

#include "drivers/cyw43439/internal.h"
#include "drivers/util/nb_errno.h"

#define PICO_W_WL_REG_ON 23u
#define PICO_W_HOST_WAKE 24u
#define DATA_HDRLEN (CYW_SDPCM_HDR + CYW_SDPCM_DATA_PAD)

static struct nb_cyw43439 *cyw_of(struct nb_netdev *dev)
{
	return nb_container_of(dev, struct nb_cyw43439, base);
}

static int cyw_open(struct nb_netdev *dev)
{
	struct nb_cyw43439 *d = cyw_of(dev);

	d->opened = true;
	cyw_sdpcm_reset(d);
	cyw_ctl_reset(d);
	cyw_wifi_reset(d);
	cyw_boot_start(d);
	return 0;
}

static int cyw_stop(struct nb_netdev *dev)
{
	struct nb_cyw43439 *d = cyw_of(dev);

	if (!d->opened)
		return 0;
	d->opened = false;
	cyw_wifi_stop(d);
	d->boot.step = 0;
	d->wifi.state = NB_CYW43439_STATE_OFF;
	return cyw_power_down(d);
}

/*
 * §3.1/§3.6: SDPCM header, 2 pad bytes (so the IP header ends up 4-byte aligned in the chip)
 * and the BDC header go into the headroom; header and frame leave in one F2 write.
 */
static int cyw_send(struct nb_netdev *dev, uint8_t *frame, size_t len)
{
	struct nb_cyw43439 *d = cyw_of(dev);
	uint8_t *h = frame - NB_CYW43439_TX_HEADROOM;
	size_t size = NB_CYW43439_TX_HEADROOM + len;
	int ret;

	if (d->wifi.state != NB_CYW43439_STATE_JOINED) {
		nb_netdev_drop(dev, NB_DROP_TX_LINK_DOWN);
		return -NB_ENETDOWN;
	}
	if (!cyw_sdpcm_can_send(d, true)) {
		(void)cyw_sdpcm_tx_space(d); /* arms the wake-up for when credit returns */
		return -NB_EAGAIN;
	}
	cyw_sdpcm_fill(d, h, size, CYW_CHAN_DATA, DATA_HDRLEN);
	h[12] = 0;
	h[13] = 0;
	h[DATA_HDRLEN] = CYW_BDC_VERSION;
	h[DATA_HDRLEN + 1] = 0; /* priority */
	h[DATA_HDRLEN + 2] = 0; /* interface 0: STA */
	h[DATA_HDRLEN + 3] = 0; /* data_offset */
	ret = cyw_f2_write(d, h, size);
	if (ret < 0) {
		cyw_sdpcm_unsent(d);
		nb_netdev_drop(dev, NB_DROP_TX_BUS_ERROR);
		return ret;
	}
	nb_netdev_tx_done(dev, len);
	return 0;
}

static int cyw_tx_space(struct nb_netdev *dev)
{
	return cyw_sdpcm_tx_space(cyw_of(dev));
}

static void service(struct nb_cyw43439 *d)
{
	cyw_ctl_service(d);
	if (d->opened)
		cyw_wifi_service(d);
}

static int cyw_poll(struct nb_netdev *dev, int budget)
{
	struct nb_cyw43439 *d = cyw_of(dev);
	int done;

	if (!d->opened)
		return 0;
	if (cyw_boot_bus_phase(d)) {
		cyw_boot_run(d);
		if (cyw_boot_bus_phase(d))
			return 0; /* F2 is not ready yet: nothing to receive */
	}
	if (!cyw_bus_live(d))
		return 0;
	service(d);
	/* an ioctl timeout in service() may have failed the bring-up and powered down */
	if (!cyw_bus_live(d))
		return 0;
	done = cyw_sdpcm_rx(d, budget);
	if (done < 0) {
		cyw_log(d, NB_LOG_ERR, "F2 receive failed", done, 0);
		return done;
	}
	if (cyw_bus_live(d))
		service(d);
	return done;
}

static void cyw_irq_rearm(struct nb_netdev *dev)
{
	struct nb_cyw43439 *d = cyw_of(dev);
	int level;

	if (!d->opened)
		return;
	if (d->sdpcm.tx_wake) {
		d->sdpcm.tx_wake = false;
		nb_netdev_irq(dev);
		return;
	}
	if (d->f2_pending) {
		nb_netdev_irq(dev);
		return;
	}
	if (!d->irq_hooked)
		return;
	/* edge-triggered line: a packet that arrived while we were masked left it high */
	level = nb_gpio_read(&d->cfg.gpio, d->cfg.host_wake_pin);
	if (level > 0)
		nb_netdev_irq(dev);
}

static uint64_t cyw_next_deadline(struct nb_netdev *dev)
{
	struct nb_cyw43439 *d = cyw_of(dev);
	uint64_t t, u;

	if (!d->opened)
		return NB_DEADLINE_NONE;
	t = cyw_boot_deadline(d);
	u = cyw_ctl_deadline(d);
	if (u < t)
		t = u;
	u = cyw_wifi_deadline(d);
	return u < t ? u : t;
}

static const struct nb_netdev_ops cyw_ops = {
	.open = cyw_open,
	.stop = cyw_stop,
	.send = cyw_send,
	.tx_space = cyw_tx_space,
	.poll = cyw_poll,
	.irq_rearm = cyw_irq_rearm,
	.next_deadline = cyw_next_deadline,
};

int nb_cyw43439_init(struct nb_cyw43439 *d, const struct nb_cyw43439_cfg *cfg)
{
	const char *name;
	size_t nvram_l4;
	int ret;

	if (!d || !cfg || !cfg->gspi.ops || !cfg->gspi.ops->cmd_read ||
	    !cfg->gspi.ops->cmd_write || !cfg->gspi.ops->last_status || !cfg->gpio.ops ||
	    !cfg->gpio.ops->set_dir || !cfg->gpio.ops->write || !cfg->gpio.ops->read ||
	    !cfg->clock.ops || !cfg->clock.ops->now_ns)
		return -NB_EINVAL;
	if (!cfg->firmware || !cfg->firmware_len || !cfg->nvram || !cfg->nvram_len)
		return -NB_EINVAL;
	nvram_l4 = (cfg->nvram_len + 3u) & ~(size_t)3u;
	/* the NVRAM sits just below the length word at the top of RAM; the image below it */
	if (nvram_l4 + 4u > CYW_RAM_SIZE / 2u ||
	    cfg->firmware_len > CYW_RAM_SIZE - 4u - nvram_l4)
		return -NB_EINVAL;
	if (cfg->f1_resp_delay && (cfg->f1_resp_delay > 16 || (cfg->f1_resp_delay & 3u)))
		return -NB_EINVAL;
	if (cfg->verify > NB_CYW43439_VERIFY_NONE)
		return -NB_EINVAL;
	if (cfg->country[0] && (!cfg->country[1] || cfg->country[2]))
		return -NB_EINVAL;
	if (!cfg->no_irq && !cfg->gpio.ops->set_irq)
		return -NB_EINVAL;
	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	if (!cfg->pins_set) {
		d->cfg.wl_reg_on_pin = PICO_W_WL_REG_ON;
		d->cfg.host_wake_pin = PICO_W_HOST_WAKE;
	}
	d->base.ops = &cyw_ops;
	name = cfg->name ? cfg->name : "wlan0";
	for (size_t i = 0; i < NB_NETDEV_NAME_MAX - 1u && name[i]; i++)
		d->base.name[i] = name[i];
	if (cfg->mac_set)
		memcpy(d->base.mac, cfg->mac, NB_ETH_ALEN);
	d->base.mtu = 1500;
	d->base.max_frame = NB_ETH_MAX_FRAME;
	d->base.tx_headroom = NB_CYW43439_TX_HEADROOM;
	d->base.caps = NB_NETDEV_CAP_WIRELESS | (cfg->no_irq ? 0u : NB_NETDEV_CAP_IRQ);
	d->base.poll_interval_ns = cfg->no_irq ? cfg->poll_interval_ns : 0;
	ret = nb_netdev_register(&d->base);
	if (ret < 0)
		return ret;
	d->wifi.state = NB_CYW43439_STATE_OFF;
	return 0;
}

void nb_cyw43439_deinit(struct nb_cyw43439 *d)
{
	if (!d)
		return;
	(void)nb_netdev_stop(&d->base);
	(void)cyw_stop(&d->base);
}

enum nb_cyw43439_state nb_cyw43439_state(const struct nb_cyw43439 *d)
{
	return (enum nb_cyw43439_state)d->wifi.state;
}

enum nb_cyw43439_reason nb_cyw43439_reason(const struct nb_cyw43439 *d)
{
	return (enum nb_cyw43439_reason)d->wifi.reason;
}

const struct nb_cyw43439_stats *nb_cyw43439_stats(const struct nb_cyw43439 *d)
{
	return &d->stats;
}

static void user_done(struct nb_cyw43439 *d, int result, int32_t fw_status, void *ctx)
{
	nb_cyw43439_ioctl_fn fn = d->ctl.user_fn;

	(void)ctx;
	d->ctl.user_fn = NULL;
	if (fn)
		fn(d, result, fw_status, d->ctl.user_ctx);
}

int nb_cyw43439_ioctl(struct nb_cyw43439 *d, uint32_t cmd, bool set, unsigned iface,
		      const void *data, size_t len, void *resp, size_t resp_cap,
		      nb_cyw43439_ioctl_fn fn, void *ctx)
{
	int ret;

	if (!d->opened || !cyw_fw_up(d))
		return -NB_ENETDOWN;
	if (len && !data)
		return -NB_EINVAL;
	if (d->ctl.busy)
		return -NB_EBUSY;
	d->ctl.user_fn = fn;
	d->ctl.user_ctx = ctx;
	ret = cyw_ctl_submit(d, cmd, set, iface, data, len, resp, resp_cap, user_done, NULL);
	if (ret < 0)
		d->ctl.user_fn = NULL;
	return ret;
}

bool nb_cyw43439_ioctl_busy(const struct nb_cyw43439 *d)
{
	return d->ctl.busy;
}

const char *nb_cyw43439_reason_name(enum nb_cyw43439_reason reason)
{
	static const char *const names[NB_CYW43439_REASON__COUNT] = {
		[NB_CYW43439_REASON_NONE] = "none",
		[NB_CYW43439_REASON_BUS_ERROR] = "bus_error",
		[NB_CYW43439_REASON_NO_CHIP] = "no_chip",
		[NB_CYW43439_REASON_VERIFY_FAILED] = "verify_failed",
		[NB_CYW43439_REASON_FIRMWARE_TIMEOUT] = "firmware_timeout",
		[NB_CYW43439_REASON_FIRMWARE_REJECTED] = "firmware_rejected",
		[NB_CYW43439_REASON_IOCTL_TIMEOUT] = "ioctl_timeout",
		[NB_CYW43439_REASON_NO_NETWORK] = "no_network",
		[NB_CYW43439_REASON_WRONG_PASSPHRASE] = "wrong_passphrase",
		[NB_CYW43439_REASON_AUTH_REJECTED] = "auth_rejected",
		[NB_CYW43439_REASON_JOIN_FAILED] = "join_failed",
		[NB_CYW43439_REASON_JOIN_TIMEOUT] = "join_timeout",
		[NB_CYW43439_REASON_AP_LOST] = "ap_lost",
		[NB_CYW43439_REASON_DEAUTHENTICATED] = "deauthenticated",
		[NB_CYW43439_REASON_LEFT] = "left",
	};

	if ((unsigned)reason >= NB_CYW43439_REASON__COUNT)
		return "unknown";
	return names[reason];
}

const char *nb_cyw43439_state_name(enum nb_cyw43439_state state)
{
	static const char *const names[] = {
		[NB_CYW43439_STATE_OFF] = "off",
		[NB_CYW43439_STATE_BOOTING] = "booting",
		[NB_CYW43439_STATE_READY] = "ready",
		[NB_CYW43439_STATE_JOINING] = "joining",
		[NB_CYW43439_STATE_JOINED] = "joined",
		[NB_CYW43439_STATE_FAILED] = "failed",
	};

	if ((unsigned)state >= NB_ARRAY_SIZE(names))
		return "unknown";
	return names[state];
}
