/* SPDX-License-Identifier: MIT */
/*
 * Schema of the cyw43439 device and the loading of its images. netbench ships no vendor
 * blob: `firmware: {generate: {seed: N}}` builds the same verifiable image tools/mkfw writes,
 * and a file is checked against that format before the run (unless `verify: false`, for a
 * real blob), so a bad image is named here instead of showing up as a bring-up timeout.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "drivers/cyw43439/cyw43439.h"
#include "sim/cyw43439/cyw43439_model.h"
#include "sim/cyw43439/fwimage.h"
#include "src/dev_cyw43439.h"

/* The size tools/mkfw writes by default (about the size of the Pico W's 43439A0 image). */
#define GENERATED_FW_SIZE 224190u
#define IMAGE_MAX (4u * 1024u * 1024u)

/* The NVRAM text the unit tests and `tools/mkfw --nvram` use. */
static const char test_nvram[] = "NVRAMRev=$Rev$\0"
				 "manfid=0x2d0\0"
				 "boardtype=0x0887\0"
				 "macaddr=00:A0:50:b5:59:5e\0"
				 "xtalfreq=37400\0"
				 "\0";

static const char *scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* ---- images -------------------------------------------------------------------------------- */

static int image_path(struct nb_conf *c, yaml_node_t *n, const char *key,
		      struct cyw_image_src *img)
{
	const char *s = scalar(n);
	char *copy;
	int w;

	if (!s || !s[0])
		return nb_conf_error(c, n, "expected a file path for '%s'", key);
	nb_conf_where(c, n, img->where, sizeof(img->where));
	if (s[0] == '/') {
		w = snprintf(img->path, sizeof(img->path), "%s", s);
	} else {
		copy = strdup(c->path);
		if (!copy)
			return nb_conf_error(c, n, "out of memory");
		/* looked up next to the scenario, like the pcaps it replays */
		w = snprintf(img->path, sizeof(img->path), "%s/%s", dirname(copy), s);
		free(copy);
	}
	if (w < 0 || (size_t)w >= sizeof(img->path))
		return nb_conf_error(c, n, "path of '%s' too long", key);
	img->set = true;
	img->generate = false;
	return 0;
}

static int parse_file(struct nb_conf *c, yaml_node_t *n, void *base, const struct nb_field *f)
{
	return image_path(c, n, f->key, (struct cyw_image_src *)((char *)base + f->offset));
}

static const struct nb_field generate_fields[] = {
	{ .key = "seed", .kind = NB_FIELD_UINT, .offset = offsetof(struct cyw_image_src, seed),
	  .size = sizeof(uint64_t), .required = true },
	{ .key = "size", .kind = NB_FIELD_UINT, .offset = offsetof(struct cyw_image_src, size),
	  .size = sizeof(uint32_t), .min = NB_FWIMAGE_MIN, .max = NB_FWIMAGE_MAX },
	{ 0 },
};

static const struct nb_field firmware_map_fields[] = {
	{ .key = "generate", .kind = NB_FIELD_MAP, .fields = generate_fields, .required = true },
	{ 0 },
};

static int parse_firmware(struct nb_conf *c, yaml_node_t *n, void *base,
			  const struct nb_field *f)
{
	struct cyw_image_src *img = (struct cyw_image_src *)((char *)base + f->offset);
	struct nb_conf_part parts[] = { { firmware_map_fields, img }, { NULL, NULL } };
	int ret;

	if (n->type != YAML_MAPPING_NODE)
		return image_path(c, n, f->key, img);
	img->size = 0;
	ret = nb_conf_parse_map(c, n, "firmware", parts);
	if (ret < 0)
		return ret;
	nb_conf_where(c, n, img->where, sizeof(img->where));
	img->set = true;
	img->generate = true;
	if (!img->size)
		img->size = GENERATED_FW_SIZE;
	return 0;
}

static int parse_rssi(struct nb_conf *c, yaml_node_t *n, void *base, const struct nb_field *f)
{
	const char *s = scalar(n);
	char *end;
	long v;

	errno = 0;
	v = s ? strtol(s, &end, 10) : 0;
	if (!s || !s[0] || *end || errno || v < -100 || v > -1)
		return nb_conf_error(c, n, "expected a signal strength in dBm from -100 to -1 for "
				     "'%s', got '%s'", f->key, s ? s : "a non-scalar");
	*(int32_t *)((char *)base + f->offset) = (int32_t)v;
	return 0;
}

/* ---- cross-field checks ------------------------------------------------------------------ */

static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7E)
			return false;
	return true;
}

static bool hex64(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!strchr("0123456789abcdefABCDEF", *s))
			return false;
	return true;
}

static int check_key(struct nb_conf *c, const yaml_node_t *node, const char *what,
		     uint32_t security, const char *pass, bool pmk_ok)
{
	yaml_node_t *pn = nb_conf_find(c, (yaml_node_t *)node, "passphrase");
	size_t len = pass ? strlen(pass) : 0;

	if (security == CYW_SEC_OPEN) {
		if (pass)
			return nb_conf_error(c, pn, "%s: a passphrase was given for security: open "
					     "(remove it, or use security: wpa2-psk)", what);
		return 0;
	}
	if (!pass)
		return nb_conf_error(c, node, "%s: security wpa2-psk needs a 'passphrase'", what);
	if (pmk_ok && hex64(pass))
		return 0;
	if (len < 8 || len > 63 || !printable(pass))
		return nb_conf_error(c, pn, "%s: expected a WPA2 passphrase of 8..63 printable "
				     "characters%s, got %zu characters", what,
				     pmk_ok ? " or a 64-hex-digit PMK" : "", len);
	return 0;
}

static int check_wifi(struct nb_conf *c, const yaml_node_t *node, void *obj)
{
	const struct cyw_wifi_cfg *w = obj;

	return check_key(c, node, "wifi", w->security, w->passphrase, false);
}

static int check_ap(struct nb_conf *c, const yaml_node_t *node, void *obj)
{
	const struct cyw_ap_cfg *a = obj;

	return check_key(c, node, "ap", a->security, a->passphrase, true);
}

/* ---- schema ---------------------------------------------------------------------------- */

static const struct nb_conf_name security_names[] = {
	{ "open", CYW_SEC_OPEN }, { "wpa2-psk", CYW_SEC_WPA2_PSK }, { NULL, 0 } };
static const struct nb_conf_name irq_names[] = {
	{ "host_wake", CYW_IRQ_HOST_WAKE }, { "poll", CYW_IRQ_POLL }, { NULL, 0 } };
static const struct nb_conf_name off_air_names[] = {
	{ "silent", CYW_OFF_AIR_SILENT }, { "deauth", CYW_OFF_AIR_DEAUTH }, { NULL, 0 } };
static const struct nb_conf_name download_verify_names[] = {
	{ "full", NB_CYW43439_VERIFY_FULL }, { "sampled", NB_CYW43439_VERIFY_SAMPLED },
	{ "none", NB_CYW43439_VERIFY_NONE }, { NULL, 0 } };

#define W(k, kind_, member, ...)                                                            \
	{ .key = k, .kind = kind_, .offset = offsetof(struct cyw_wifi_cfg, member),         \
	  .size = sizeof(((struct cyw_wifi_cfg *)0)->member), __VA_ARGS__ }
#define A(k, kind_, member, ...)                                                            \
	{ .key = k, .kind = kind_, .offset = offsetof(struct cyw_ap_cfg, member),           \
	  .size = sizeof(((struct cyw_ap_cfg *)0)->member), __VA_ARGS__ }
#define F(k, kind_, member, ...)                                                            \
	{ .key = k, .kind = kind_, .offset = offsetof(struct cyw43439_cfg, member),         \
	  .size = sizeof(((struct cyw43439_cfg *)0)->member), __VA_ARGS__ }

static const struct nb_field wifi_fields[] = {
	W("ssid", NB_FIELD_STRING, ssid, .required = true, .max = NB_CYW43439_SSID_MAX,
	  .what = "an SSID"),
	W("passphrase", NB_FIELD_STRING, passphrase, .max = 64, .what = "a passphrase"),
	W("security", NB_FIELD_ENUM, security, .names = security_names,
	  .what = "a security mode"),
	{ 0 },
};

static const struct nb_field ap_fields[] = {
	A("ssid", NB_FIELD_STRING, ssid, .required = true, .max = NB_CYW43439_SSID_MAX,
	  .what = "an SSID"),
	A("passphrase", NB_FIELD_STRING, passphrase, .max = 64, .what = "a passphrase"),
	A("security", NB_FIELD_ENUM, security, .names = security_names,
	  .what = "a security mode"),
	A("channel", NB_FIELD_UINT, channel, .min = 1, .max = 14),
	A("rssi", NB_FIELD_CUSTOM, rssi, .parse = parse_rssi),
	A("off_air", NB_FIELD_ENUM, off_air, .names = off_air_names,
	  .what = "how the AP leaves the air"),
	A("handshake_timeout", NB_FIELD_DURATION, handshake_timeout_ns, .min = NB_NS_PER_MS,
	  .max = 60 * NB_NS_PER_S),
	{ 0 },
};

const struct nb_field nb_cyw43439_fields[] = {
	F("firmware", NB_FIELD_CUSTOM, firmware, .required = true, .parse = parse_firmware),
	F("nvram", NB_FIELD_CUSTOM, nvram, .parse = parse_file),
	F("clm", NB_FIELD_CUSTOM, clm, .parse = parse_file),
	F("verify", NB_FIELD_BOOL, verify),
	F("download_verify", NB_FIELD_ENUM, download_verify, .names = download_verify_names,
	  .what = "a read-back verification mode"),
	F("spi_hz", NB_FIELD_UINT, spi_hz, .min = 100000, .max = 50000000),
	F("credit_window", NB_FIELD_UINT, credit_window, .min = 1,
	  .max = NB_CYW43439_MAX_CREDIT_WINDOW),
	F("irq", NB_FIELD_ENUM, irq, .names = irq_names, .what = "how the host is woken"),
	F("strict", NB_FIELD_BOOL, strict),
	F("wifi", NB_FIELD_MAP, wifi, .required = true, .fields = wifi_fields,
	  .check = check_wifi),
	F("ap", NB_FIELD_MAP, ap, .required = true, .fields = ap_fields, .check = check_ap),
	F("join_scan_time", NB_FIELD_DURATION, join_scan_ns, .min = NB_NS_PER_MS,
	  .max = 60 * NB_NS_PER_S),
	F("beacon_loss_time", NB_FIELD_DURATION, beacon_loss_ns, .min = NB_NS_PER_MS,
	  .max = 60 * NB_NS_PER_S),
	/* the driver keeps these two in 32-bit nanoseconds */
	F("rejoin_interval", NB_FIELD_DURATION, rejoin_ns, .min = NB_NS_PER_MS,
	  .max = 4 * NB_NS_PER_S),
	F("join_timeout", NB_FIELD_DURATION, join_timeout_ns, .min = 10 * NB_NS_PER_MS,
	  .max = 4 * NB_NS_PER_S),
	F("boot_time", NB_FIELD_DURATION, boot_ns, .min = NB_NS_PER_MS, .max = 10 * NB_NS_PER_S),
	{ 0 },
};

void nb_cyw43439_defaults(void *cfgp)
{
	struct cyw43439_cfg *cfg = cfgp;

	memset(cfg, 0, sizeof(*cfg));
	cfg->verify = true;
	cfg->strict = true;
	cfg->spi_hz = NB_CYW43439_DEFAULT_GSPI_HZ;
	cfg->credit_window = NB_CYW43439_DEFAULT_CREDIT_WINDOW;
	cfg->wifi.security = CYW_SEC_WPA2_PSK;
	cfg->ap.security = CYW_SEC_WPA2_PSK;
	cfg->ap.channel = 6;
	cfg->ap.rssi = -50;
}

/* ---- loading ------------------------------------------------------------------------------- */

static int read_file(const char *what, const struct cyw_image_src *img, struct cyw_blob *out,
		     char *err, size_t len)
{
	FILE *f = fopen(img->path, "rb");
	struct stat st;
	size_t got;

	if (!f || fstat(fileno(f), &st) < 0) {
		snprintf(err, len, "cyw43439: %s '%s' (%s): %s", what, img->path, img->where,
			 strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 || (uint64_t)st.st_size > IMAGE_MAX) {
		snprintf(err, len, "cyw43439: %s '%s' (%s): expected a regular file of 1 byte to "
			 "%u MiB, got %lld bytes", what, img->path, img->where, IMAGE_MAX >> 20,
			 (long long)st.st_size);
		fclose(f);
		return -1;
	}
	out->len = (size_t)st.st_size;
	out->data = malloc(out->len + 2); /* room for the NVRAM terminator */
	if (!out->data) {
		fclose(f);
		snprintf(err, len, "cyw43439: %s: out of memory", what);
		return -1;
	}
	got = fread(out->data, 1, out->len, f);
	if (got != out->len) {
		snprintf(err, len, "cyw43439: %s '%s': short read (%zu of %zu bytes)", what,
			 img->path, got, out->len);
		fclose(f);
		free(out->data);
		out->data = NULL;
		return -1;
	}
	fclose(f);
	return 0;
}

int nb_cyw43439_load_firmware(const struct cyw43439_cfg *cfg, struct cyw_blob *out, char *err,
			      size_t len)
{
	char why[200];
	uint64_t seed;

	memset(out, 0, sizeof(*out));
	if (cfg->firmware.generate) {
		out->len = cfg->firmware.size;
		out->data = malloc(out->len);
		if (!out->data || nb_fwimage_build(cfg->firmware.seed, out->len, out->data) < 0) {
			snprintf(err, len, "cyw43439: firmware (%s): cannot generate a %zu-byte image",
				 cfg->firmware.where, out->len);
			free(out->data);
			out->data = NULL;
			return -1;
		}
		return 0;
	}
	if (read_file("firmware", &cfg->firmware, out, err, len) < 0)
		return -1;
	if (!cfg->verify)
		return 0;
	if (nb_fwimage_verify(out->data, out->len, NULL, &seed, NULL, why, sizeof(why)) < 0) {
		snprintf(err, len, "cyw43439: firmware '%s' (%s): not a valid netbench test image: "
			 "%s (make one with tools/mkfw, or set 'verify: false' for a vendor image)",
			 cfg->firmware.path, cfg->firmware.where, why);
		free(out->data);
		out->data = NULL;
		return -1;
	}
	return 0;
}

/*
 * Vendor NVRAM files are text, one key=value per line, with comments; the chip wants the
 * entries NUL-separated with a double NUL at the end (what the Pico SDK's build step makes).
 * Files already in that form pass through unchanged.
 */
static size_t nvram_from_text(uint8_t *buf, size_t len)
{
	size_t o = 0, i = 0;

	while (i < len) {
		size_t start = i, end;

		while (i < len && buf[i] != '\n' && buf[i] != '\0')
			i++;
		end = i++;
		while (start < end && (buf[start] == ' ' || buf[start] == '\t'))
			start++;
		while (end > start && (buf[end - 1] == '\r' || buf[end - 1] == ' ' ||
				       buf[end - 1] == '\t'))
			end--;
		if (end == start || buf[start] == '#')
			continue;
		memmove(buf + o, buf + start, end - start);
		o += end - start;
		buf[o++] = '\0';
	}
	buf[o++] = '\0';
	return o;
}

int nb_cyw43439_load_nvram(const struct cyw43439_cfg *cfg, struct cyw_blob *out, char *err,
			   size_t len)
{
	memset(out, 0, sizeof(*out));
	if (!cfg->nvram.set) {
		out->len = sizeof(test_nvram) - 1;
		out->data = malloc(out->len);
		if (!out->data) {
			snprintf(err, len, "cyw43439: nvram: out of memory");
			return -1;
		}
		memcpy(out->data, test_nvram, out->len);
		return 0;
	}
	if (read_file("nvram", &cfg->nvram, out, err, len) < 0)
		return -1;
	out->len = nvram_from_text(out->data, out->len);
	if (out->len < 2 || !strchr((const char *)out->data, '=')) {
		snprintf(err, len, "cyw43439: nvram '%s' (%s): no key=value entries", cfg->nvram.path,
			 cfg->nvram.where);
		free(out->data);
		out->data = NULL;
		return -1;
	}
	return 0;
}

int nb_cyw43439_load_clm(const struct cyw43439_cfg *cfg, struct cyw_blob *out, char *err,
			 size_t len)
{
	memset(out, 0, sizeof(*out));
	if (!cfg->clm.set)
		return 0;
	return read_file("clm", &cfg->clm, out, err, len);
}
