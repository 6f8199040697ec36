/* SPDX-License-Identifier: MIT */
/* LAN8720A as an nb_netdev: lifecycle, bring-up stages, poll, IRQ and link reporting. */
#include "drivers/lan8720/lan8720_priv.h"
#include "drivers/util/nb_errno.h"

#include <string.h>

_Static_assert((unsigned)NB_PHY_10HD == (unsigned)NB_NETDEV_CAP_10HD &&
		       (unsigned)NB_PHY_10FD == (unsigned)NB_NETDEV_CAP_10FD &&
		       (unsigned)NB_PHY_100HD == (unsigned)NB_NETDEV_CAP_100HD &&
		       (unsigned)NB_PHY_100FD == (unsigned)NB_NETDEV_CAP_100FD,
	       "PHY mode bits must equal the netdev speed capabilities");

/* While the caller holds frames back, look at the port's TX space this often even without
 * an event: a port may signal freed space only after it refused a frame. */
#define TX_STALL_POLL_NS (1ull * NB_NS_PER_MS)

/* t_rstia is >= 100 us; ESP-IDF went to 150 us after LAN8720 parts came up flapping. */
#define NRST_ASSERT_NS (150ull * NB_NS_PER_US)
/* First MDIO access after nRST: not specified (reference §5); drivers wait 1-10 ms. */
#define NRST_SETTLE_NS (10ull * NB_NS_PER_MS)

enum stage {
	STAGE_DOWN = 0,
	STAGE_NRST_LOW,    /* nRST held low */
	STAGE_NRST_SETTLE, /* nRST released, waiting before the first MDIO frame */
	STAGE_PHY,         /* the PHY core runs (reset, AN, link) */
	STAGE_FAILED,      /* failed before the PHY core ran: d->error */
};

static const struct nb_netdev_ops lan_ops;

enum nb_lan8720_state nb_lan8720_state(const struct nb_lan8720 *d)
{
	switch (d->stage) {
	case STAGE_NRST_LOW:
	case STAGE_NRST_SETTLE:
		return NB_LAN8720_ST_HW_RESET;
	case STAGE_FAILED:
		return NB_LAN8720_ST_FAILED;
	case STAGE_PHY:
		switch (nb_phy_state(&d->phy)) {
		case NB_PHY_ST_RESET:
			return NB_LAN8720_ST_PHY_RESET;
		case NB_PHY_ST_NOLINK:
			return NB_LAN8720_ST_NOLINK;
		case NB_PHY_ST_RUNNING:
			return NB_LAN8720_ST_RUNNING;
		case NB_PHY_ST_FAILED:
			return NB_LAN8720_ST_FAILED;
		default:
			return NB_LAN8720_ST_DOWN;
		}
	default:
		return NB_LAN8720_ST_DOWN;
	}
}

int nb_lan8720_error(const struct nb_lan8720 *d)
{
	if (d->stage == STAGE_FAILED)
		return d->error;
	if (d->stage == STAGE_PHY && nb_phy_state(&d->phy) == NB_PHY_ST_FAILED)
		return nb_phy_error(&d->phy);
	return 0;
}

static void on_phy_link(struct nb_phy *phy, const struct nb_phy_status *st, void *ctx)
{
	struct nb_lan8720 *d = ctx;
	struct nb_link_state ls = {
		.up = st->link,
		.full_duplex = st->full_duplex,
		.speed_mbps = st->speed_mbps,
	};

	(void)phy;
	/* The port needs the speed before frames flow at it (10 Mb/s: 10 REF_CLKs a dibit). */
	if (st->link) {
		int ret = nb_rmii_set_speed(&d->cfg.rmii, st->speed_mbps, st->full_duplex);

		if (ret < 0)
			nb_lan8720_log(d, NB_LOG_ERR, "RMII port refused the speed: err, Mb/s", ret,
				       st->speed_mbps);
	}
	nb_netdev_link_changed(&d->base, &ls);
}

static void on_nint(void *ctx)
{
	struct nb_lan8720 *d = ctx;

	d->nint_seen = true;
	d->stats.nint_irqs++;
	nb_netdev_irq(&d->base);
}

static void on_rmii_notify(void *ctx)
{
	struct nb_lan8720 *d = ctx;

	nb_netdev_irq(&d->base);
}

static void fail_stage(struct nb_lan8720 *d, int err, const char *why)
{
	nb_lan8720_log(d, NB_LOG_ERR, why, err, 0);
	d->error = err;
	d->stage = STAGE_FAILED;
}

/* Identify and start the PHY core. */
static int bringup_phy(struct nb_lan8720 *d)
{
	int ret = nb_phy_probe(&d->phy, d->cfg.scan_addr);

	if (ret < 0)
		return ret;
	ret = nb_phy_start(&d->phy);
	if (ret < 0)
		return ret;
	d->stage = STAGE_PHY;
	return 0;
}

static void unhook(struct nb_lan8720 *d)
{
	int ret;

	if (d->notify_hooked) {
		ret = nb_rmii_set_notify(&d->cfg.rmii, NULL, NULL);
		if (ret < 0)
			nb_lan8720_log(d, NB_LOG_WARN, "RMII notify not cleared: err", ret, 0);
		d->notify_hooked = false;
	}
	if (d->nint_hooked) {
		ret = nb_gpio_set_irq(&d->cfg.gpio, d->cfg.nint_pin, NB_GPIO_IRQ_NONE, NULL, NULL);
		if (ret < 0)
			nb_lan8720_log(d, NB_LOG_WARN, "nINT interrupt not cleared: err", ret, 0);
		d->nint_hooked = false;
	}
}

static int lan_open(struct nb_netdev *dev)
{
	struct nb_lan8720 *d = nb_lan8720_of_dev(dev);
	int ret;

	d->error = 0;
	d->tx_stalled = false;
	d->nint_seen = false;
	nb_lan8720_vendor_reset(d);
	nb_lan8720_mac_drain(d);
	if (d->cfg.rmii.ops->set_notify) {
		ret = nb_rmii_set_notify(&d->cfg.rmii, on_rmii_notify, d);
		if (ret < 0)
			goto err_hook;
		d->notify_hooked = true;
	}
	if (d->cfg.has_nint) {
		ret = nb_gpio_set_dir(&d->cfg.gpio, d->cfg.nint_pin, false, true);
		if (ret < 0)
			goto err_hook;
		/* Falling edge, with the level checked again at every re-arm: nINT stays low
		 * while a flag is set, so nothing is lost between edges. */
		ret = nb_gpio_set_irq(&d->cfg.gpio, d->cfg.nint_pin, NB_GPIO_IRQ_FALLING, on_nint,
				      d);
		if (ret < 0)
			goto err_hook;
		d->nint_hooked = true;
	}
	if (d->cfg.has_nrst) {
		ret = nb_gpio_set_dir(&d->cfg.gpio, d->cfg.nrst_pin, true, false);
		if (ret < 0)
			goto err_hook;
		d->hw_deadline = nb_clock_deadline(&d->cfg.clock, NRST_ASSERT_NS);
		d->stage = STAGE_NRST_LOW;
		return 0;
	}
	ret = bringup_phy(d);
	if (ret < 0)
		goto err_phy;
	return 0;

err_phy:
	d->stage = STAGE_DOWN;
	(void)nb_phy_stop(&d->phy, false);
err_hook:
	nb_lan8720_log(d, NB_LOG_ERR, "open failed: err", ret, 0);
	unhook(d);
	return ret;
}

static int lan_stop(struct nb_netdev *dev)
{
	struct nb_lan8720 *d = nb_lan8720_of_dev(dev);
	struct nb_link_state down = { 0 };
	int ret = 0;

	if (d->stage == STAGE_NRST_LOW) {
		/* Do not leave the PHY held in reset. */
		ret = nb_gpio_write(&d->cfg.gpio, d->cfg.nrst_pin, true);
	}
	if (d->stage == STAGE_PHY) {
		int r = nb_phy_stop(&d->phy, true);

		if (r < 0)
			ret = r;
	}
	unhook(d);
	nb_lan8720_vendor_reset(d);
	d->stage = STAGE_DOWN;
	d->nint_seen = false;
	nb_netdev_link_changed(&d->base, &down);
	return ret;
}

static int lan_send(struct nb_netdev *dev, uint8_t *frame, size_t len)
{
	return nb_lan8720_mac_send(nb_lan8720_of_dev(dev), frame, len);
}

void nb_lan8720_tx_stalled(struct nb_lan8720 *d)
{
	d->tx_stalled = true;
	d->tx_stall_poll = nb_clock_deadline(&d->cfg.clock, TX_STALL_POLL_NS);
}

static int lan_tx_space(struct nb_netdev *dev)
{
	struct nb_lan8720 *d = nb_lan8720_of_dev(dev);
	int n = nb_rmii_tx_space(&d->cfg.rmii);

	if (n <= 0) {
		/* The caller will hold back; it learns of space again through an IRQ. */
		nb_lan8720_tx_stalled(d);
		return 0;
	}
	return n;
}

/* Fallback for ports that stay silent: once space is back, the re-arm raises the IRQ. */
static void check_tx_stall(struct nb_lan8720 *d)
{
	if (!d->tx_stalled || !nb_clock_expired(&d->cfg.clock, d->tx_stall_poll))
		return;
	if (nb_rmii_tx_space(&d->cfg.rmii) > 0)
		d->tx_stall_poll = NB_DEADLINE_NONE;
	else
		d->tx_stall_poll = nb_clock_deadline(&d->cfg.clock, TX_STALL_POLL_NS);
}

static void step_bringup(struct nb_lan8720 *d)
{
	const struct nb_clock *clk = &d->cfg.clock;
	int ret;

	switch (d->stage) {
	case STAGE_NRST_LOW:
		if (!nb_clock_expired(clk, d->hw_deadline))
			return;
		ret = nb_gpio_write(&d->cfg.gpio, d->cfg.nrst_pin, true);
		if (ret < 0) {
			fail_stage(d, ret, "nRST release failed: err");
			return;
		}
		d->hw_deadline = nb_clock_deadline(clk, NRST_SETTLE_NS);
		d->stage = STAGE_NRST_SETTLE;
		return;
	case STAGE_NRST_SETTLE:
		if (!nb_clock_expired(clk, d->hw_deadline))
			return;
		ret = bringup_phy(d);
		if (ret < 0 && nb_phy_state(&d->phy) != NB_PHY_ST_FAILED)
			fail_stage(d, ret, "PHY bring-up failed after nRST: err");
		else if (ret < 0)
			d->stage = STAGE_PHY; /* the core holds the error */
		return;
	case STAGE_PHY:
		/* Bring-up errors leave the core FAILED, visible through
		 * nb_lan8720_state()/error(); poll itself keeps serving the port. Bus errors
		 * after bring-up are counted and retried by the core and the vendor step. */
		if (nb_phy_step(&d->phy) < 0)
			return;
		nb_lan8720_vendor_step(d);
		return;
	default:
		return;
	}
}

static int lan_poll(struct nb_netdev *dev, int budget)
{
	struct nb_lan8720 *d = nb_lan8720_of_dev(dev);

	if (d->stage == STAGE_DOWN)
		return 0;
	if (d->nint_seen) {
		d->nint_seen = false;
		nb_phy_trigger(&d->phy);
	}
	step_bringup(d);
	check_tx_stall(d);
	if (budget <= 0)
		return 0;
	return nb_lan8720_mac_rx(d, budget);
}

static bool nint_asserted(struct nb_lan8720 *d)
{
	enum nb_phy_state st = nb_phy_state(&d->phy);

	/* Only while we acknowledge flags; otherwise a held-low line would wake us forever. */
	if (!d->nint_hooked || d->stage != STAGE_PHY ||
	    (st != NB_PHY_ST_NOLINK && st != NB_PHY_ST_RUNNING))
		return false;
	return nb_gpio_read(&d->cfg.gpio, d->cfg.nint_pin) == 0;
}

static void lan_irq_rearm(struct nb_netdev *dev)
{
	struct nb_lan8720 *d = nb_lan8720_of_dev(dev);
	bool raise = false;

	if (d->stage == STAGE_DOWN)
		return;
	if (nint_asserted(d)) {
		d->nint_seen = true;
		raise = true;
	}
	if (d->notify_hooked && nb_lan8720_mac_rx_waiting(d))
		raise = true;
	if (d->tx_stalled && nb_rmii_tx_space(&d->cfg.rmii) > 0) {
		d->tx_stalled = false;
		raise = true;
	}
	if (raise)
		nb_netdev_irq(dev);
}

static uint64_t lan_next_deadline(struct nb_netdev *dev)
{
	struct nb_lan8720 *d = nb_lan8720_of_dev(dev);
	uint64_t t = d->tx_stalled ? d->tx_stall_poll : NB_DEADLINE_NONE;

	switch (d->stage) {
	case STAGE_NRST_LOW:
	case STAGE_NRST_SETTLE:
		return NB_MIN(t, d->hw_deadline);
	case STAGE_PHY:
		t = NB_MIN(t, nb_phy_next_deadline(&d->phy));
		return NB_MIN(t, nb_lan8720_vendor_deadline(d));
	default:
		return NB_DEADLINE_NONE;
	}
}

static int lan_set_promisc(struct nb_netdev *dev, bool on)
{
	nb_lan8720_of_dev(dev)->promisc = on;
	return 0;
}

static const struct nb_netdev_ops lan_ops = {
	.open = lan_open,
	.stop = lan_stop,
	.send = lan_send,
	.tx_space = lan_tx_space,
	.poll = lan_poll,
	.irq_rearm = lan_irq_rearm,
	.next_deadline = lan_next_deadline,
	.set_promisc = lan_set_promisc,
};

static int check_cfg(const struct nb_lan8720_cfg *cfg)
{
	static const uint8_t zero_mac[NB_ETH_ALEN];
	const struct nb_gpio_ops *g = cfg->gpio.ops;

	if (!cfg->mdio.ops || !cfg->mdio.ops->read || !cfg->mdio.ops->write)
		return 1;
	if (!cfg->rmii.ops || !cfg->rmii.ops->tx || !cfg->rmii.ops->tx_space ||
	    !cfg->rmii.ops->rx_peek || !cfg->rmii.ops->rx_release)
		return 2;
	if (!cfg->clock.ops || !cfg->clock.ops->now_ns)
		return 3;
	if ((cfg->mac[0] & 1u) || memcmp(cfg->mac, zero_mac, NB_ETH_ALEN) == 0)
		return 4;
	if (cfg->phy_addr > NB_MDIO_MAX_ADDR)
		return 5;
	if (cfg->no_autoneg && cfg->forced_speed != 10 && cfg->forced_speed != 100)
		return 6;
	if (cfg->advertise & ~(uint32_t)NB_PHY_SPEED_MASK)
		return 7;
	if ((cfg->has_nrst || cfg->has_nint) && (!g || !g->set_dir || !g->write || !g->read))
		return 8;
	if (cfg->has_nint && !g->set_irq)
		return 9;
	if (cfg->edpd && cfg->has_nint)
		return 10;
	if (cfg->irq_energyon && !cfg->has_nint)
		return 11;
	if (cfg->has_nrst && cfg->has_nint && cfg->nrst_pin == cfg->nint_pin)
		return 12;
	return 0;
}

static uint32_t speed_caps(const struct nb_lan8720_cfg *cfg)
{
	if (cfg->no_autoneg) {
		if (cfg->forced_speed == 100)
			return cfg->forced_full_duplex ? NB_NETDEV_CAP_100FD : NB_NETDEV_CAP_100HD;
		return cfg->forced_full_duplex ? NB_NETDEV_CAP_10FD : NB_NETDEV_CAP_10HD;
	}
	return cfg->advertise ? cfg->advertise : NB_PHY_SPEED_MASK;
}

int nb_lan8720_init(struct nb_lan8720 *d, const struct nb_lan8720_cfg *cfg)
{
	struct nb_phy_cfg pc = { 0 };
	const char *name;
	size_t n;
	int bad, ret;

	if (!d || !cfg)
		return -NB_EINVAL;
	memset(d, 0, sizeof(*d));
	bad = check_cfg(cfg);
	if (bad) {
		/* a = which check (see check_cfg order: 1 mdio ops, 2 rmii ops, 3 clock, 4 MAC,
		 * 5 phy_addr, 6 forced speed, 7 advertise, 8 gpio ops, 9 set_irq, 10 edpd with
		 * nINT, 11 irq_energyon without nINT, 12 nRST and nINT on one pin). */
		nb_log(&cfg->log, NB_LOG_ERR, NB_LAN8720_LOG_SRC, "bad config: check", bad, 0);
		return -NB_EINVAL;
	}
	d->cfg = *cfg;
	d->crc32 = cfg->crc32 ? cfg->crc32 : nb_crc32;
	d->promisc = cfg->promisc;

	pc.mdio = cfg->mdio;
	pc.clock = cfg->clock;
	pc.log = &d->cfg.log;
	pc.log_src = NB_LAN8720_LOG_SRC;
	pc.addr = cfg->phy_addr;
	pc.id = NB_LAN8720_PHY_ID;
	pc.id_mask = NB_LAN8720_PHY_ID_MASK;
	pc.advertise = cfg->advertise;
	pc.forced = cfg->no_autoneg;
	pc.forced_speed = cfg->forced_speed;
	pc.forced_full_duplex = cfg->forced_full_duplex;
	pc.use_irq = cfg->has_nint;
	pc.link_poll_ns = cfg->link_poll_ns;
	pc.quirks = &nb_lan8720_quirks;
	pc.link_fn = on_phy_link;
	pc.link_ctx = d;
	ret = nb_phy_init(&d->phy, &pc);
	if (ret < 0)
		return ret;
	nb_lan8720_vendor_reset(d);
	nb_lan8720_mac_baseline(d);

	d->base.ops = &lan_ops;
	name = cfg->name ? cfg->name : "eth0";
	n = strlen(name);
	if (n >= NB_NETDEV_NAME_MAX) {
		nb_log(&cfg->log, NB_LOG_ERR, NB_LAN8720_LOG_SRC, "name too long: len, max", (int64_t)n,
		       NB_NETDEV_NAME_MAX - 1);
		return -NB_EINVAL;
	}
	memcpy(d->base.name, name, n + 1);
	memcpy(d->base.mac, cfg->mac, NB_ETH_ALEN);
	d->base.mtu = 1500;
	d->base.max_frame = NB_ETH_MAX_FRAME_VLAN;
	d->base.tx_headroom = 0;
	d->base.caps = speed_caps(cfg) | NB_NETDEV_CAP_PROMISC | NB_NETDEV_CAP_FCS_CHECKED;
	if (!cfg->no_autoneg)
		d->base.caps |= NB_NETDEV_CAP_AUTONEG;
	if (cfg->rmii.ops->set_notify)
		d->base.caps |= NB_NETDEV_CAP_IRQ;
	ret = nb_netdev_register(&d->base);
	if (ret < 0)
		return ret;
	if (cfg->promisc)
		d->base.flags |= NB_NETDEV_F_PROMISC;
	return 0;
}

void nb_lan8720_deinit(struct nb_lan8720 *d)
{
	if (!d || !d->base.registered)
		return;
	(void)nb_netdev_stop(&d->base);
	unhook(d);
	d->base.registered = false;
}
