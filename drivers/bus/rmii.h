/* SPDX-License-Identifier: MIT */
/**
 * @file rmii.h
 * @brief RMII frame port: the MAC side of a PHY, at frame granularity.
 *
 * On an RP2040 this is the PIO program plus DMA that shifts dibits on TXD/RXD; the port
 * strips/adds preamble and SFD (the PIO's job), nothing else. Frames through this port carry
 * their FCS: TX frames arrive complete (padded, FCS appended by the MAC driver), RX frames are
 * handed over as received, FCS included and unchecked. In simulation the port is the wire
 * side of the PHY model; in HIL an AF_PACKET socket or an FPGA/PIO bridge.
 */
#ifndef NB_BUS_RMII_H
#define NB_BUS_RMII_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/util/compiler.h"
#include "drivers/util/nb_errno.h"

/** Gather element for TX: frame body plus pad/FCS trailer without a copy. */
struct nb_iov {
	const uint8_t *base;
	size_t len;
};

enum nb_rmii_rx_flag {
	NB_RMII_RX_ERR = 1u << 0,   /**< RXER asserted during the frame */
	NB_RMII_RX_TRUNC = 1u << 1, /**< receive buffer overran, frame cut short */
};

/** A received frame, borrowed from the port until rx_release(). */
struct nb_rmii_rx {
	const uint8_t *data; /**< destination MAC first, FCS last */
	size_t len;
	uint32_t flags; /**< enum nb_rmii_rx_flag */
};

/** Port event (frame received, TX space freed); interrupt context. */
typedef void (*nb_rmii_notify_fn)(void *ctx);

struct nb_rmii_ops {
	/**
	 * Transmit one frame given as @p niov pieces (together: DA..FCS, >= 64 bytes).
	 * @retval 0 taken; the pieces may be reused at once.
	 * @retval -EAGAIN TX FIFO/DMA busy; nothing taken.
	 */
	int (*tx)(void *ctx, const struct nb_iov *iov, unsigned niov);
	/** Frames tx() accepts now (>= 0). */
	int (*tx_space)(void *ctx);
	/** Oldest received frame. @retval 0 filled @p rx. @retval -EAGAIN none waiting. */
	int (*rx_peek)(void *ctx, struct nb_rmii_rx *rx);
	/** Give back the frame from the last successful rx_peek(). */
	void (*rx_release)(void *ctx);
	/** Set (NULL clears) the event callback. */
	int (*set_notify)(void *ctx, nb_rmii_notify_fn fn, void *fn_ctx);
	/** Tell the port the resolved line speed (10: each dibit lasts 10 REF_CLK cycles). */
	int (*set_speed)(void *ctx, uint16_t mbps, bool full_duplex);
	/** Optional: frames the port itself lost so far because its receive ring was full
	 *  (cumulative). The driver adds the growth to NB_DROP_RX_OVERFLOW. */
	uint32_t (*rx_dropped)(void *ctx);
};

struct nb_rmii_port {
	const struct nb_rmii_ops *ops;
	void *ctx;
};

NB_MUST_CHECK static inline int nb_rmii_tx(const struct nb_rmii_port *p, const struct nb_iov *iov,
					   unsigned niov)
{
	return p->ops->tx(p->ctx, iov, niov);
}
static inline int nb_rmii_tx_space(const struct nb_rmii_port *p)
{
	return p->ops->tx_space(p->ctx);
}
static inline int nb_rmii_rx_peek(const struct nb_rmii_port *p, struct nb_rmii_rx *rx)
{
	return p->ops->rx_peek(p->ctx, rx);
}
static inline void nb_rmii_rx_release(const struct nb_rmii_port *p)
{
	p->ops->rx_release(p->ctx);
}
NB_MUST_CHECK static inline int nb_rmii_set_notify(const struct nb_rmii_port *p,
						   nb_rmii_notify_fn fn, void *fn_ctx)
{
	return p->ops->set_notify(p->ctx, fn, fn_ctx);
}
NB_MUST_CHECK static inline int nb_rmii_set_speed(const struct nb_rmii_port *p, uint16_t mbps,
						  bool full_duplex)
{
	if (!p->ops->set_speed)
		return 0;
	return p->ops->set_speed(p->ctx, mbps, full_duplex);
}

static inline uint32_t nb_rmii_rx_dropped(const struct nb_rmii_port *p)
{
	return p->ops->rx_dropped ? p->ops->rx_dropped(p->ctx) : 0;
}

#endif /* NB_BUS_RMII_H */
