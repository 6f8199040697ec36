/* SPDX-License-Identifier: MIT */
#include "src/stack_heap.h"

#include <errno.h>
#include <stdlib.h>

struct nb_stack *nb_stack_new(struct nb_netdev *dev, const struct nb_stack_cfg *cfg)
{
	struct nb_stack_cfg c;
	struct nb_stack *s;
	size_t tx_len, hold_len;
	int ret;

	if (!dev || !cfg || cfg->tx_buf || cfg->rx_hold) {
		errno = EINVAL;
		return NULL;
	}
	c = *cfg;
	tx_len = NB_STACK_TX_BUF(dev);
	hold_len = c.rx_hold_len ? c.rx_hold_len
				 : NB_STACK_DEFAULT_HOLD_FRAMES * NB_STACK_HOLD_SLOT(dev->max_frame);
	/* One block: the struct, then the hold ring (4-byte slots), then the TX buffer. */
	s = calloc(1, sizeof(*s) + hold_len + tx_len);
	if (!s)
		return NULL;
	c.rx_hold = (uint8_t *)(s + 1);
	c.rx_hold_len = hold_len;
	c.tx_buf = c.rx_hold + hold_len;
	c.tx_buf_len = tx_len;
	ret = nb_stack_init(s, dev, &c);
	if (ret < 0) {
		free(s);
		errno = -ret;
		return NULL;
	}
	return s;
}

void nb_stack_free(struct nb_stack *s)
{
	if (!s)
		return;
	nb_stack_deinit(s);
	free(s);
}
