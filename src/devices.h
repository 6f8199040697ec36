/* SPDX-License-Identifier: MIT */
/**
 * @file devices.h
 * @brief Device registry: how each `device: {type: ...}` of a scenario is built.
 *
 * A device type brings its schema (the keys it accepts besides the common ones), a config
 * struct with defaults, and a builder that assembles driver, buses and chip model and hands
 * back the nb_netdev. One file per device type (dev_<type>.c) plus one line in devices.c.
 * Everything above (stack wrapper, ports, run loop) sees only struct nb_netdev.
 */
#ifndef NB_PROG_DEVICES_H
#define NB_PROG_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/bus/log.h"
#include "drivers/netdev/netdev.h"
#include "sim/core/sim.h"
#include "sim/medium/wire.h"
#include "src/conf.h"
#include "src/json.h"

struct nb_logger;

/** The link partner as the device's far side presents it (`wire.partner`). */
struct nb_partner_cfg {
	bool autoneg;     /**< false: forced, the PHY links by parallel detection */
	uint32_t ability; /**< NB_NETDEV_CAP_10HD..100FD bits */
	bool pause;       /**< advertises symmetric pause */
};

/** Keys every device has. */
struct nb_device_common {
	uint32_t type;          /**< index into nb_device_types */
	uint8_t mac[NB_ETH_ALEN];
	const char *name;       /**< interface name inside the driver; NULL = driver default */
};

struct nb_device_env {
	struct nb_sim *sim;
	struct nb_wire *wire;            /**< the device's MDI side attaches at end 0 */
	const struct nb_log *log;        /**< driver/model log sink */
	const struct nb_logger *logger;  /**< host-side messages */
	const struct nb_partner_cfg *partner;
	/** Bus monitors and the bus capture (src/capture_bus.h); NULL: none. */
	struct nb_capture *capture;
};

struct nb_device;

struct nb_device_ops {
	/** Back door: plug or pull the cable. @return 0 or -errno. */
	int (*set_cable)(struct nb_device *d, bool plugged);
	/** Device-specific counters (model, buses) as JSON members. Optional. */
	void (*status)(struct nb_device *d, struct nb_json *j);
	/** The link as the partner's PHY sees it. The partner's PHY is a description, not a
	 *  model: the two sides have link together once the device's PHY (model) has it. */
	bool (*partner_link)(struct nb_device *d);
	/** What the chip model rejected in strict mode so far (0 without a model). */
	uint64_t (*violations)(struct nb_device *d);
	/** Optional: inject a fault by name (scenario `fault:`). @return 0, -ENOENT unknown
	 *  name (err lists the known ones), other -errno. */
	int (*fault)(struct nb_device *d, const char *name, char *err, size_t len);
	/** Optional: device-level work after each pass over the device (run-loop context),
	 *  such as the Wi-Fi join a firmware-based chip leaves to its user. */
	void (*service)(struct nb_device *d);
	/** Optional: why the device failed at what the scenario asked of it (a Wi-Fi join that
	 *  failed, a bring-up that never finished), or NULL. The run's checks fail with it
	 *  unless the scenario expects the link to stay down. */
	const char *(*failure)(struct nb_device *d);
	void (*free)(struct nb_device *d);
	/** Optional: what `link: down` / `link: up` (timeline, control socket) mean for this
	 *  device, for the log ("AP went off air"); NULL: "cable pulled" / "cable plugged in". */
	const char *link_down_words;
	const char *link_up_words;
};

struct nb_device {
	const struct nb_device_ops *ops;
	struct nb_netdev *netdev;
	const char *type_name;
};

struct nb_device_type {
	const char *name;
	const char *summary;           /**< one line for --help */
	const struct nb_field *fields; /**< type-specific keys (offsets into its cfg) */
	size_t cfg_size;
	void (*defaults)(void *cfg);
	/** Build the device (registered, not opened). NULL on failure with @p err set. */
	struct nb_device *(*build)(const struct nb_device_common *common, const void *cfg,
				   const struct nb_device_env *env, char *err, size_t len);
	/** Optional: the fault names its fault op accepts, NULL-terminated; timeline `fault:`
	 *  entries are checked against them when the scenario loads. NULL: checked when the
	 *  fault fires. */
	const char *const *fault_names;
};

/** Every device type; ends with NULL. */
extern const struct nb_device_type *const nb_device_types[];
/** The same as names for the schema (value = index). */
extern const struct nb_conf_name nb_device_type_names[];

extern const struct nb_device_type nb_device_lan8720;
extern const struct nb_device_type nb_device_ideal;
extern const struct nb_device_type nb_device_cyw43439;

/** Names for the four 10/100 abilities (`ability: [100FD, 10HD]`), NB_NETDEV_CAP_* bits. */
extern const struct nb_conf_name nb_speed_names[];

void nb_device_free(struct nb_device *d);

#endif /* NB_PROG_DEVICES_H */
