/* SPDX-License-Identifier: MIT */
#include "src/devices.h"

/* Order matters: nb_device_type_names[i].value indexes this table. */
const struct nb_device_type *const nb_device_types[] = {
	&nb_device_lan8720,
	&nb_device_ideal,
	&nb_device_cyw43439,
	NULL,
};

const struct nb_conf_name nb_device_type_names[] = {
	{ "lan8720", 0 },
	{ "ideal", 1 },
	{ "cyw43439", 2 },
	{ NULL, 0 },
};
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
