/* SPDX-License-Identifier: MIT */
/*
 * The "ideal" device: a NIC with no bus and no chip model. Frames go straight from send()
 * onto the simulated wire (padded, FCS appended) and from the wire into a receive ring
 * (FCS checked), with an IRQ on arrival, on TX space and on carrier changes. It measures
 * what the run loop, the stack wrapper and the ports cost without any driver, and serves
 * as the reference device for scenarios. Link: up whenever the wire gives carrier, at the
 * best mode the partner offers (parallel detection, i.e. half duplex, when it does not
 * negotiate).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/util/crc32.h"
#include "src/devices.h"

struct ideal_cfg {
	uint32_t rx_queue;
};

struct ideal_dev {
	struct nb_device base;
	struct nb_netdev nd;
	struct nb_wire *wire;
	struct nb_partner_cfg partner;
	size_t slot_size;
	uint8_t *ring;
	unsigned ring_frames, head, count;
	bool link_dirty;
	bool tx_was_full;
	uint8_t tx_buf[NB_ETH_MAX_FRAME_VLAN + NB_ETH_FCS_LEN];
};

static struct ideal_dev *ideal_of(struct nb_netdev *nd)
{
	return nb_container_of(nd, struct ideal_dev, nd);
}

static void link_state(struct ideal_dev *d, struct nb_link_state *st)
{
	uint32_t a = d->partner.ability;

	memset(st, 0, sizeof(*st));
	if (!(d->nd.flags & NB_NETDEV_F_UP) || !nb_wire_carrier(d->wire, 0))
		return;
	st->up = true;
	if (a & (NB_NETDEV_CAP_100FD | NB_NETDEV_CAP_100HD)) {
		st->speed_mbps = 100;
		st->full_duplex = (a & NB_NETDEV_CAP_100FD) != 0;
	} else {
		st->speed_mbps = 10;
		st->full_duplex = (a & NB_NETDEV_CAP_10FD) != 0;
	}
	if (!d->partner.autoneg)
		st->full_duplex = false;
}

static void update_link(struct ideal_dev *d)
{
	struct nb_link_state st;

	d->link_dirty = false;
	link_state(d, &st);
	if (st.up)
		nb_wire_set_speed(d->wire, st.speed_mbps);
	nb_netdev_link_changed(&d->nd, &st);
}

static int ideal_open(struct nb_netdev *nd)
{
	struct ideal_dev *d = ideal_of(nd);

	nb_wire_set_end_up(d->wire, 0, true);
	d->link_dirty = true;
	return 0;
}

static int ideal_stop(struct nb_netdev *nd)
{
	struct ideal_dev *d = ideal_of(nd);

	nb_wire_set_end_up(d->wire, 0, false);
	d->count = 0;
	d->link_dirty = true;
	return 0;
}

static int ideal_send(struct nb_netdev *nd, uint8_t *frame, size_t len)
{
	struct ideal_dev *d = ideal_of(nd);
	size_t wire_len = len < NB_ETH_MIN_FRAME ? NB_ETH_MIN_FRAME : len;
	int ret;

	if (nb_wire_tx_space(d->wire, 0) <= 0) {
		d->tx_was_full = true;
		return -EAGAIN;
	}
	memcpy(d->tx_buf, frame, len);
	memset(d->tx_buf + len, 0, wire_len - len);
	nb_put_le32(d->tx_buf + wire_len, nb_crc32_slice8(0, d->tx_buf, wire_len));
	ret = nb_wire_send(d->wire, 0, d->tx_buf, wire_len + NB_ETH_FCS_LEN, 0);
	if (ret == -EAGAIN) {
		d->tx_was_full = true;
		return ret;
	}
	if (ret < 0) {
		nb_netdev_drop(nd, NB_DROP_TX_LINK_DOWN);
		return -ENETDOWN;
	}
	nb_netdev_tx_done(nd, len);
	return 0;
}

static int ideal_tx_space(struct nb_netdev *nd)
{
	struct ideal_dev *d = ideal_of(nd);

	return nb_wire_tx_space(d->wire, 0);
}

static int ideal_poll(struct nb_netdev *nd, int budget)
{
	struct ideal_dev *d = ideal_of(nd);
	int done = 0;

	if (d->link_dirty)
		update_link(d);
	while (done < budget && d->count > 0) {
		uint8_t *slot = d->ring + (size_t)d->head * d->slot_size;
		size_t len = nb_get_le16(slot);

		if (nb_crc32_slice8(0, slot + 2, len) != NB_CRC32_RESIDUE)
			nb_netdev_drop(nd, NB_DROP_RX_FCS);
		else if (len - NB_ETH_FCS_LEN > nd->max_frame)
			nb_netdev_drop(nd, NB_DROP_RX_OVERSIZE);
		else
			nb_netdev_rx(nd, slot + 2, len - NB_ETH_FCS_LEN);
		d->head = (d->head + 1) % d->ring_frames;
		d->count--;
		done++;
	}
	return done;
}

static void ideal_irq_rearm(struct nb_netdev *nd)
{
	struct ideal_dev *d = ideal_of(nd);

	if (d->count > 0 || d->link_dirty)
		nb_netdev_irq(nd);
}

static int ideal_get_link(struct nb_netdev *nd, struct nb_link_state *st)
{
	*st = nd->link;
	return 0;
}

static const struct nb_netdev_ops ideal_ops = {
	.open = ideal_open,
	.stop = ideal_stop,
	.send = ideal_send,
	.tx_space = ideal_tx_space,
	.poll = ideal_poll,
	.irq_rearm = ideal_irq_rearm,
	.get_link = ideal_get_link,
};

/* ---- wire side ------------------------------------------------------------------------ */

static void wire_rx(void *ctx, const uint8_t *frame, size_t len, uint32_t flags)
{
	struct ideal_dev *d = ctx;
	uint8_t *slot;

	if (!(d->nd.flags & NB_NETDEV_F_UP)) {
		nb_netdev_drop(&d->nd, NB_DROP_RX_NO_HANDLER);
		return;
	}
	if (flags & NB_WIRE_F_SYMBOL_ERR) {
		nb_netdev_drop(&d->nd, NB_DROP_RX_PHY_ERROR);
		return;
	}
	if (len < NB_ETH_MIN_FRAME + NB_ETH_FCS_LEN) {
		nb_netdev_drop(&d->nd, NB_DROP_RX_RUNT);
		return;
	}
	if (len + 2 > d->slot_size) {
		nb_netdev_drop(&d->nd, NB_DROP_RX_OVERSIZE);
		return;
	}
	if (d->count == d->ring_frames) {
		nb_netdev_drop(&d->nd, NB_DROP_RX_OVERFLOW);
		return;
	}
	slot = d->ring + (size_t)((d->head + d->count) % d->ring_frames) * d->slot_size;
	nb_put_le16(slot, (unsigned)len);
	memcpy(slot + 2, frame, len);
	d->count++;
	nb_netdev_irq(&d->nd);
}

static void wire_carrier(void *ctx, bool present)
{
	struct ideal_dev *d = ctx;

	(void)present;
	d->link_dirty = true;
	nb_netdev_irq(&d->nd);
}

static void wire_tx_space(void *ctx)
{
	struct ideal_dev *d = ctx;

	if (d->tx_was_full) {
		d->tx_was_full = false;
		nb_netdev_irq(&d->nd);
	}
}

static const struct nb_wire_end_ops ideal_wire_ops = {
	.rx = wire_rx,
	.carrier = wire_carrier,
	.tx_space = wire_tx_space,
};

/* ---- registry entry --------------------------------------------------------------------- */

static int ideal_set_cable(struct nb_device *base, bool plugged)
{
	struct ideal_dev *d = nb_container_of(base, struct ideal_dev, base);

	nb_wire_set_plugged(d->wire, plugged);
	return 0;
}

static void ideal_status(struct nb_device *base, struct nb_json *j)
{
	struct ideal_dev *d = nb_container_of(base, struct ideal_dev, base);

	nb_json_u64(j, "rx_ring_used", d->count);
	nb_json_u64(j, "rx_ring_frames", d->ring_frames);
}

static bool ideal_partner_link(struct nb_device *base)
{
	struct ideal_dev *d = nb_container_of(base, struct ideal_dev, base);

	/* No negotiation to wait for: the partner has link whenever this NIC is powered. */
	return nb_wire_carrier(d->wire, 1);
}

static uint64_t ideal_violations(struct nb_device *base)
{
	(void)base;
	return 0;
}

static void ideal_free(struct nb_device *base)
{
	struct ideal_dev *d = nb_container_of(base, struct ideal_dev, base);

	(void)nb_netdev_stop(&d->nd);
	nb_wire_attach(d->wire, 0, NULL, NULL);
	free(d->ring);
	free(d);
}

static const struct nb_device_ops ideal_dev_ops = {
	.set_cable = ideal_set_cable,
	.status = ideal_status,
	.partner_link = ideal_partner_link,
	.violations = ideal_violations,
	.free = ideal_free,
};

static struct nb_device *ideal_build(const struct nb_device_common *common, const void *cfgp,
				     const struct nb_device_env *env, char *err, size_t len)
{
	const struct ideal_cfg *cfg = cfgp;
	struct ideal_dev *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		goto err_nomem;
	d->base.ops = &ideal_dev_ops;
	d->base.netdev = &d->nd;
	d->base.type_name = "ideal";
	d->wire = env->wire;
	d->partner = *env->partner;
	d->ring_frames = cfg->rx_queue;
	d->slot_size = (2u + NB_ETH_MAX_FRAME_VLAN + NB_ETH_FCS_LEN + 3u) & ~(size_t)3u;
	d->ring = malloc(d->slot_size * d->ring_frames);
	if (!d->ring)
		goto err_nomem;
	d->nd.ops = &ideal_ops;
	snprintf(d->nd.name, sizeof(d->nd.name), "%s", common->name ? common->name : "eth0");
	memcpy(d->nd.mac, common->mac, NB_ETH_ALEN);
	d->nd.mtu = 1500;
	d->nd.max_frame = NB_ETH_MAX_FRAME_VLAN;
	d->nd.caps = NB_NETDEV_CAP_IRQ | NB_NETDEV_CAP_10HD | NB_NETDEV_CAP_10FD |
		     NB_NETDEV_CAP_100HD | NB_NETDEV_CAP_100FD | NB_NETDEV_CAP_FCS_CHECKED;
	ret = nb_netdev_register(&d->nd);
	if (ret < 0) {
		snprintf(err, len, "ideal: registering the device: %s", strerror(-ret));
		free(d->ring);
		free(d);
		return NULL;
	}
	nb_wire_attach(d->wire, 0, &ideal_wire_ops, d);
	return &d->base;
err_nomem:
	if (d)
		free(d->ring);
	free(d);
	snprintf(err, len, "out of memory");
	return NULL;
}

static void ideal_defaults(void *cfgp)
{
	struct ideal_cfg *cfg = cfgp;

	cfg->rx_queue = 64;
}

static const struct nb_field ideal_fields[] = {
	{ .key = "rx_queue", .kind = NB_FIELD_UINT, .offset = offsetof(struct ideal_cfg, rx_queue),
	  .size = sizeof(uint32_t), .min = 1, .max = 4096 },
	{ 0 },
};

const struct nb_device_type nb_device_ideal = {
	.name = "ideal",
	.summary = "bus-less NIC straight on the wire (measures loop, wrapper and ports)",
	.fields = ideal_fields,
	.cfg_size = sizeof(struct ideal_cfg),
	.defaults = ideal_defaults,
	.build = ideal_build,
};
