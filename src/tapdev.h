/* SPDX-License-Identifier: MIT */
/**
 * @file tapdev.h
 * @brief Linux TAP interfaces, created and configured inside a named network namespace.
 *
 * The interface is created in the namespace /run/netns/NAME (as `ip netns add NAME` makes
 * it): the calling thread enters the namespace, opens /dev/net/tun (IFF_TAP | IFF_NO_PI,
 * non-blocking), sets MAC, MTU, IPv4 address and UP with ioctls on a socket of that
 * namespace, and returns to its own namespace. The descriptor stays bound to the interface.
 * Closing it deletes the interface. Needs CAP_NET_ADMIN (and CAP_SYS_ADMIN for setns).
 */
#ifndef NB_PROG_TAPDEV_H
#define NB_PROG_TAPDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/conf.h"

struct nb_tapdev_cfg {
	const char *name;                  /**< interface name, < IFNAMSIZ */
	const char *netns;                 /**< namespace name or NULL for the current one */
	const uint8_t *mac;                /**< NULL: keep the kernel's random one */
	uint32_t mtu;                      /**< 0: keep 1500 */
	const struct nb_conf_ipv4 *addr;   /**< NULL: no address */
};

/**
 * Create the interface. Carrier starts off (the caller turns it on when its link is up).
 * @return the non-blocking fd, or negative errno with a message in @p err.
 */
int nb_tapdev_open(const struct nb_tapdev_cfg *cfg, char *err, size_t len);
/** Set the interface's carrier (TUNSETCARRIER). @return 0 or -errno. */
int nb_tapdev_set_carrier(int fd, bool on);

#endif /* NB_PROG_TAPDEV_H */
