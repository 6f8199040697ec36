/* SPDX-License-Identifier: MIT */
#include "drivers/stack/stack.h"

#include <string.h>

#include "drivers/util/nb_errno.h"

#define DEFAULT_BUDGET 16u

static uint8_t *hold_slot(struct nb_stack *s, unsigned idx)
{
	return s->cfg.rx_hold + (size_t)(idx % s->hold_slots) * s->slot_size;
}

static void hold_push(struct nb_stack *s, const uint8_t *frame, size_t len)
{
	uint8_t *slot = hold_slot(s, s->hold_head + s->hold_count);

	/* poll budgets never exceed the free slots, so there is always room here */
	nb_put_le16(slot, (unsigned)len);
	memcpy(slot + 2, frame, len);
	s->hold_count++;
	s->stats.rx_held++;
}

static void stack_rx(struct nb_netdev *dev, const uint8_t *frame, size_t len, void *ctx)
{
	struct nb_stack *s = ctx;
	int ret;

	(void)dev;
	if (s->hold_count > 0) {
		/* keep order behind frames already waiting */
		hold_push(s, frame, len);
		return;
	}
	ret = s->cfg.port.ops->deliver(s->cfg.port.ctx, frame, len);
	if (ret == -NB_EAGAIN)
		hold_push(s, frame, len);
	else if (ret < 0)
		s->stats.port_rx_errors++;
	else
		s->stats.rx_delivered++;
}

static void stack_link(struct nb_netdev *dev, const struct nb_link_state *st, void *ctx)
{
	struct nb_stack *s = ctx;

	(void)dev;
	if (s->cfg.port.ops->link)
		s->cfg.port.ops->link(s->cfg.port.ctx, st);
}

int nb_stack_init(struct nb_stack *s, struct nb_netdev *dev, const struct nb_stack_cfg *cfg)
{
	if (!s || !dev || !cfg || !cfg->port.ops || !cfg->port.ops->deliver ||
	    !cfg->port.ops->next_tx || !cfg->tx_buf || !cfg->rx_hold)
		return -NB_EINVAL;
	if (cfg->tx_buf_len < NB_STACK_TX_BUF(dev))
		return -NB_EINVAL;
	memset(s, 0, sizeof(*s));
	s->dev = dev;
	s->cfg = *cfg;
	if (!s->cfg.rx_budget)
		s->cfg.rx_budget = DEFAULT_BUDGET;
	if (!s->cfg.tx_budget)
		s->cfg.tx_budget = DEFAULT_BUDGET;
	s->slot_size = NB_STACK_HOLD_SLOT(dev->max_frame);
	s->hold_slots = (unsigned)(cfg->rx_hold_len / s->slot_size);
	if (s->hold_slots == 0)
		return -NB_EINVAL;
	(void)nb_netdev_set_rx_handler(dev, stack_rx, s);
	(void)nb_netdev_set_link_handler(dev, stack_link, s);
	return 0;
}

void nb_stack_deinit(struct nb_stack *s)
{
	if (!s || !s->dev)
		return;
	(void)nb_netdev_set_rx_handler(s->dev, NULL, NULL);
	(void)nb_netdev_set_link_handler(s->dev, NULL, NULL);
	s->dev = NULL;
}

static void hold_flush(struct nb_stack *s)
{
	while (s->hold_count > 0) {
		uint8_t *slot = hold_slot(s, s->hold_head);
		int ret = s->cfg.port.ops->deliver(s->cfg.port.ctx, slot + 2, nb_get_le16(slot));

		if (ret == -NB_EAGAIN)
			return;
		if (ret < 0)
			s->stats.port_rx_errors++;
		else
			s->stats.rx_delivered++;
		s->hold_head = (s->hold_head + 1) % s->hold_slots;
		s->hold_count--;
	}
}

int nb_stack_poll_rx(struct nb_stack *s)
{
	unsigned budget;

	hold_flush(s);
	budget = NB_MIN((unsigned)s->cfg.rx_budget, s->hold_slots - s->hold_count);
	if (budget == 0)
		return 0; /* port full: leave frames in the device */
	return nb_netdev_poll(s->dev, (int)budget);
}

bool nb_stack_tx_ready(struct nb_stack *s)
{
	return s->tx_pending == 0 && nb_netdev_tx_space(s->dev) > 0;
}

int nb_stack_pump_tx(struct nb_stack *s)
{
	uint8_t *frame = s->cfg.tx_buf + s->dev->tx_headroom;
	int sent = 0;

	for (unsigned i = 0; i < s->cfg.tx_budget; i++) {
		int ret;

		if (s->tx_pending == 0) {
			if (nb_netdev_tx_space(s->dev) <= 0)
				break;
			ret = s->cfg.port.ops->next_tx(s->cfg.port.ctx, frame, s->dev->max_frame);
			if (ret == 0 || ret == -NB_EAGAIN)
				break;
			if (ret < 0) {
				s->stats.port_tx_errors++;
				continue;
			}
			s->tx_pending = (size_t)ret;
		}
		ret = nb_netdev_send(s->dev, frame, s->tx_pending);
		if (ret == -NB_EAGAIN) {
			s->stats.tx_deferred++;
			break;
		}
		s->tx_pending = 0;
		if (ret < 0) {
			s->stats.tx_dropped++;
			continue;
		}
		s->stats.tx_sent++;
		sent++;
	}
	return sent;
}
