/* SPDX-License-Identifier: MIT */
/**
 * @file stack_heap.h
 * @brief Heap helper over nb_stack_init(): the wrapper with its buffers allocated
 *        (DESIGN.md: NewStack(dev, cfg)). One helper for every device.
 */
#ifndef NB_PROG_STACK_HEAP_H
#define NB_PROG_STACK_HEAP_H

#include "drivers/stack/stack.h"

/** Hold-ring slots when the config leaves rx_hold_len at 0. */
#define NB_STACK_DEFAULT_HOLD_FRAMES 64u

/**
 * Allocate a wrapper for @p dev and join it to cfg->port (see nb_stack_init()).
 * @p cfg gives the port and budgets; its buffer pointers must be NULL: the TX buffer
 * (NB_STACK_TX_BUF(dev) bytes) and the hold ring are allocated here. cfg->rx_hold_len is the
 * hold ring size in bytes, 0 for NB_STACK_DEFAULT_HOLD_FRAMES frames.
 * @return the wrapper, or NULL with errno (EINVAL bad config, ENOMEM).
 */
struct nb_stack *nb_stack_new(struct nb_netdev *dev, const struct nb_stack_cfg *cfg);
/** Detach (nb_stack_deinit()) and free. Accepts NULL. */
void nb_stack_free(struct nb_stack *s);

#endif /* NB_PROG_STACK_HEAP_H */
