/* SPDX-License-Identifier: MIT */
/* Unified device interface: the part every driver shares (counters, handlers, NAPI rules). */
#include "drivers/netdev/netdev.h"

#include "drivers/util/nb_errno.h"
#include <string.h>

static const char *const drop_names[NB_DROP__COUNT] = {
	[NB_DROP_RX_NO_HANDLER] = "rx_no_handler",
	[NB_DROP_RX_FCS] = "rx_fcs",
	[NB_DROP_RX_RUNT] = "rx_runt",
	[NB_DROP_RX_OVERSIZE] = "rx_oversize",
	[NB_DROP_RX_PHY_ERROR] = "rx_phy_error",
	[NB_DROP_RX_MALFORMED] = "rx_malformed",
	[NB_DROP_RX_OVERFLOW] = "rx_overflow",
	[NB_DROP_RX_FILTERED] = "rx_filtered",
	[NB_DROP_RX_BUS_ERROR] = "rx_bus_error",
	[NB_DROP_TX_LINK_DOWN] = "tx_link_down",
	[NB_DROP_TX_OVERSIZE] = "tx_oversize",
	[NB_DROP_TX_BUS_ERROR] = "tx_bus_error",
	[NB_DROP_TX_MALFORMED] = "tx_malformed",
};

const char *nb_drop_reason_name(enum nb_drop_reason reason)
{
	if ((unsigned)reason >= NB_DROP__COUNT)
		return "unknown";
	return drop_names[reason];
}

int nb_netdev_register(struct nb_netdev *dev)
{
	const struct nb_netdev_ops *ops;

	if (!dev || !dev->ops)
		return -NB_EINVAL;
	ops = dev->ops;
	if (!ops->open || !ops->stop || !ops->send || !ops->tx_space || !ops->poll)
		return -NB_EINVAL;
	if (dev->max_frame < NB_ETH_HLEN || dev->mtu == 0)
		return -NB_EINVAL;
	if ((dev->caps & NB_NETDEV_CAP_IRQ) && !ops->irq_rearm)
		return -NB_EINVAL;
	dev->name[NB_NETDEV_NAME_MAX - 1] = '\0';
	dev->flags = NB_NETDEV_F_BROADCAST | NB_NETDEV_F_MULTICAST;
	memset(&dev->stats, 0, sizeof(dev->stats));
	memset(&dev->link, 0, sizeof(dev->link));
	dev->rx_fn = NULL;
	dev->rx_ctx = NULL;
	dev->link_fn = NULL;
	dev->link_ctx = NULL;
	dev->wake_fn = NULL;
	dev->wake_ctx = NULL;
	dev->irq_pending = false;
	dev->irq_armed = true;
	dev->registered = true;
	return 0;
}

int nb_netdev_open(struct nb_netdev *dev)
{
	int ret;

	if (!dev->registered)
		return -NB_ENODEV;
	if (dev->flags & NB_NETDEV_F_UP)
		return -NB_EALREADY;
	ret = dev->ops->open(dev);
	if (ret < 0)
		return ret;
	dev->flags |= NB_NETDEV_F_UP;
	/* The first poll after open picks up whatever the bring-up left pending. */
	dev->irq_pending = true;
	return 0;
}

int nb_netdev_stop(struct nb_netdev *dev)
{
	int ret;

	if (!dev || !dev->registered || !(dev->flags & NB_NETDEV_F_UP))
		return 0;
	ret = dev->ops->stop(dev);
	dev->flags &= ~(uint32_t)NB_NETDEV_F_UP;
	return ret;
}

int nb_netdev_send(struct nb_netdev *dev, uint8_t *frame, size_t len)
{
	int ret;

	if (!(dev->flags & NB_NETDEV_F_UP) || !(dev->flags & NB_NETDEV_F_RUNNING)) {
		nb_netdev_drop(dev, NB_DROP_TX_LINK_DOWN);
		return -NB_ENETDOWN;
	}
	if (len > dev->max_frame) {
		nb_netdev_drop(dev, NB_DROP_TX_OVERSIZE);
		return -NB_EMSGSIZE;
	}
	if (len < NB_ETH_HLEN || !frame) {
		nb_netdev_drop(dev, NB_DROP_TX_MALFORMED);
		return -NB_EMSGSIZE;
	}
	ret = dev->ops->send(dev, frame, len);
	if (ret == -NB_EAGAIN)
		dev->stats.tx_busy++;
	return ret;
}

int nb_netdev_tx_space(struct nb_netdev *dev)
{
	if (!(dev->flags & NB_NETDEV_F_UP))
		return 0;
	return dev->ops->tx_space(dev);
}

int nb_netdev_poll(struct nb_netdev *dev, int budget)
{
	int done;

	if (budget < 0)
		return -NB_EINVAL;
	dev->stats.polls++;
	done = dev->ops->poll(dev, budget);
	if (done < 0)
		return done;
	if (done > budget)
		done = budget; /* a driver bug must not break the caller's accounting */
	if (done < budget) {
		/* NAPI complete: clear pending before re-arming, so an IRQ raised by the re-arm
		 * (work arrived meanwhile) is not lost. */
		dev->irq_pending = false;
		dev->irq_armed = true;
		if (dev->ops->irq_rearm)
			dev->ops->irq_rearm(dev);
	}
	return done;
}

void nb_netdev_irq(struct nb_netdev *dev)
{
	dev->stats.irqs++;
	dev->irq_pending = true;
	if (!dev->irq_armed)
		return;
	dev->irq_armed = false;
	if (dev->wake_fn)
		dev->wake_fn(dev, dev->wake_ctx);
}

bool nb_netdev_work_pending(const struct nb_netdev *dev)
{
	return dev->irq_pending;
}

uint64_t nb_netdev_next_deadline(struct nb_netdev *dev)
{
	if (!dev->ops->next_deadline)
		return UINT64_MAX;
	return dev->ops->next_deadline(dev);
}

struct recv_slot {
	uint8_t *dst;
	size_t len;
};

static void recv_copy(struct nb_netdev *dev, const uint8_t *frame, size_t len, void *ctx)
{
	struct recv_slot *slot = ctx;

	(void)dev;
	memcpy(slot->dst, frame, len);
	slot->len = len;
}

int nb_netdev_recv(struct nb_netdev *dev, uint8_t *dst, size_t cap)
{
	struct recv_slot slot = { .dst = dst, .len = 0 };
	nb_netdev_rx_fn saved_fn = dev->rx_fn;
	void *saved_ctx = dev->rx_ctx;
	int ret;

	if (!dst || cap < dev->max_frame)
		return -NB_EINVAL;
	dev->rx_fn = recv_copy;
	dev->rx_ctx = &slot;
	/* Frames dropped by the driver (FCS, ...) use up the budget without a copy; keep
	 * polling until one arrives or the device has nothing left. */
	do {
		ret = nb_netdev_poll(dev, 1);
	} while (ret == 1 && slot.len == 0);
	dev->rx_fn = saved_fn;
	dev->rx_ctx = saved_ctx;
	if (ret < 0)
		return ret;
	return (int)slot.len;
}

int nb_netdev_set_rx_handler(struct nb_netdev *dev, nb_netdev_rx_fn fn, void *ctx)
{
	/* Single context: nb_netdev_rx() reads rx_fn afresh for every frame, so once this
	 * store is done the old handler cannot be reached again. */
	dev->rx_fn = NULL;
	dev->rx_ctx = ctx;
	dev->rx_fn = fn;
	return 0;
}

int nb_netdev_set_link_handler(struct nb_netdev *dev, nb_netdev_link_fn fn, void *ctx)
{
	struct nb_link_state st;

	dev->link_fn = fn;
	dev->link_ctx = ctx;
	if (fn) {
		st = dev->link;
		fn(dev, &st, ctx);
	}
	return 0;
}

void nb_netdev_set_wake(struct nb_netdev *dev, nb_netdev_wake_fn fn, void *ctx)
{
	dev->wake_fn = fn;
	dev->wake_ctx = ctx;
}

int nb_netdev_get_link(struct nb_netdev *dev, struct nb_link_state *st)
{
	if (!st)
		return -NB_EINVAL;
	if (dev->ops->get_link)
		return dev->ops->get_link(dev, st);
	*st = dev->link;
	return 0;
}

int nb_netdev_set_promisc(struct nb_netdev *dev, bool on)
{
	int ret;

	if (!(dev->caps & NB_NETDEV_CAP_PROMISC) || !dev->ops->set_promisc)
		return -NB_EOPNOTSUPP;
	ret = dev->ops->set_promisc(dev, on);
	if (ret < 0)
		return ret;
	if (on)
		dev->flags |= NB_NETDEV_F_PROMISC;
	else
		dev->flags &= ~(uint32_t)NB_NETDEV_F_PROMISC;
	return 0;
}

uint64_t nb_netdev_drops_total(const struct nb_netdev *dev)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < NB_DROP__COUNT; i++)
		sum += dev->stats.drops[i];
	return sum;
}

void nb_netdev_rx(struct nb_netdev *dev, const uint8_t *frame, size_t len)
{
	nb_netdev_rx_fn fn = dev->rx_fn;

	if (!fn || !(dev->flags & NB_NETDEV_F_UP)) {
		nb_netdev_drop(dev, NB_DROP_RX_NO_HANDLER);
		return;
	}
	dev->stats.rx_frames++;
	dev->stats.rx_bytes += len;
	fn(dev, frame, len, dev->rx_ctx);
}

void nb_netdev_drop(struct nb_netdev *dev, enum nb_drop_reason reason)
{
	if ((unsigned)reason >= NB_DROP__COUNT)
		reason = NB_DROP_RX_MALFORMED;
	dev->stats.drops[reason]++;
}

void nb_netdev_tx_done(struct nb_netdev *dev, size_t len)
{
	dev->stats.tx_frames++;
	dev->stats.tx_bytes += len;
}

void nb_netdev_link_changed(struct nb_netdev *dev, const struct nb_link_state *st)
{
	struct nb_link_state now = *st;

	if (!now.up) {
		now.speed_mbps = 0;
		now.full_duplex = false;
	}
	if (now.up == dev->link.up && now.speed_mbps == dev->link.speed_mbps &&
	    now.full_duplex == dev->link.full_duplex)
		return;
	dev->link = now;
	dev->stats.link_changes++;
	if (now.up)
		dev->flags |= NB_NETDEV_F_RUNNING;
	else
		dev->flags &= ~(uint32_t)NB_NETDEV_F_RUNNING;
	if (dev->link_fn)
		dev->link_fn(dev, &now, dev->link_ctx);
}
