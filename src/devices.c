/* SPDX-License-Identifier: MIT */
#include "src/devices.h"

#ifdef NB_HAVE_LAN8720
#define LAN8720_ENTRY &nb_device_lan8720,
#else
#define LAN8720_ENTRY
#endif

/* Order matters: nb_device_type_names[i].value indexes this table. */
const struct nb_device_type *const nb_device_types[] = {
	LAN8720_ENTRY
	&nb_device_ideal,
	NULL,
};

#ifdef NB_HAVE_LAN8720
const struct nb_conf_name nb_device_type_names[] = {
	{ "lan8720", 0 },
	{ "ideal", 1 },
	{ NULL, 0 },
};
#else
const struct nb_conf_name nb_device_type_names[] = {
	{ "ideal", 0 },
	{ NULL, 0 },
};
#endif

const struct nb_conf_name nb_speed_names[] = {
	{ "100FD", NB_NETDEV_CAP_100FD },
	{ "100HD", NB_NETDEV_CAP_100HD },
	{ "10FD", NB_NETDEV_CAP_10FD },
	{ "10HD", NB_NETDEV_CAP_10HD },
	{ NULL, 0 },
};

void nb_device_free(struct nb_device *d)
{
	if (d)
		d->ops->free(d);
}
