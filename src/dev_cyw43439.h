/* SPDX-License-Identifier: MIT */
/**
 * @file dev_cyw43439.h
 * @brief The cyw43439 device's configuration (schema in dev_cyw43439_conf.c, device in
 *        dev_cyw43439.c) and the loading of its firmware, NVRAM and CLM images.
 */
#ifndef NB_PROG_DEV_CYW43439_H
#define NB_PROG_DEV_CYW43439_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/conf.h"

enum { CYW_IRQ_HOST_WAKE = 0, CYW_IRQ_POLL };
enum { CYW_SEC_OPEN = 0, CYW_SEC_WPA2_PSK };
enum { CYW_OFF_AIR_SILENT = 0, CYW_OFF_AIR_DEAUTH };

/** An image given as a file, or (firmware only) generated from a seed like tools/mkfw. */
struct cyw_image_src {
	bool set;
	bool generate;
	uint64_t seed;
	uint32_t size;       /**< generated image length; 0 = the tools/mkfw default */
	char path[PATH_MAX]; /**< resolved next to the scenario file */
	char where[160];     /**< "file:line:column" of the key, for messages */
};

struct cyw_wifi_cfg {
	const char *ssid;
	const char *passphrase;
	uint32_t security;
};

struct cyw_ap_cfg {
	const char *ssid;
	const char *passphrase;
	uint32_t security;
	uint32_t channel;
	int32_t rssi;       /**< dBm */
	uint32_t off_air;   /**< how `link: down` takes it off the air */
	uint64_t handshake_timeout_ns;
};

struct cyw43439_cfg {
	struct cyw_image_src firmware, nvram, clm;
	bool verify;              /**< the model boots only images it can regenerate */
	uint32_t download_verify; /**< enum nb_cyw43439_verify */
	uint32_t spi_hz;
	uint32_t credit_window;
	uint32_t irq;
	bool strict;
	struct cyw_wifi_cfg wifi;
	struct cyw_ap_cfg ap;
	uint64_t join_scan_ns, beacon_loss_ns, rejoin_ns, join_timeout_ns, boot_ns;
};

extern const struct nb_field nb_cyw43439_fields[];
void nb_cyw43439_defaults(void *cfg);

/** An image in memory (heap). */
struct cyw_blob {
	uint8_t *data;
	size_t len;
};

/**
 * Load the firmware (file or generated) and check it when @p verify: a file that is not a
 * netbench image, or a corrupted one, is refused with the file and the offset named.
 * @return 0, or -1 with @p err set.
 */
int nb_cyw43439_load_firmware(const struct cyw43439_cfg *cfg, struct cyw_blob *out, char *err,
			      size_t len);
/** NVRAM file (key=value lines or NUL-separated) or the standard test NVRAM. */
int nb_cyw43439_load_nvram(const struct cyw43439_cfg *cfg, struct cyw_blob *out, char *err,
			   size_t len);
/** CLM blob if configured (out->data NULL otherwise). */
int nb_cyw43439_load_clm(const struct cyw43439_cfg *cfg, struct cyw_blob *out, char *err,
			 size_t len);

struct nb_cyw43439_model;
struct nb_wifi_ap;

/** The fault names nb_cyw43439_inject() accepts, NULL-terminated (nb_device_type). */
extern const char *const nb_cyw43439_fault_names[];

/**
 * Inject the fault @p spec ("name" or "name:count") into @p m / @p ap; @p credit_window is
 * what `credits-restore` sets back. @p what gets a description for the log.
 * @retval 0 done. @retval -ENOENT unknown name (@p err lists the known ones).
 * @retval -EINVAL bad count. Other -errno: the fault could not be applied (@p err says why).
 */
int nb_cyw43439_inject(struct nb_cyw43439_model *m, struct nb_wifi_ap *ap,
		       unsigned credit_window, const char *spec, const char **what, char *err,
		       size_t len);

#endif /* NB_PROG_DEV_CYW43439_H */
