/* SPDX-License-Identifier: MIT */
/*
 * Captures of a run: the files (pcapng.c), the frame observer and the TAP hooks, and the
 * bus report. Bus monitors themselves are in capture_bus.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/core/sim.h"
#include "src/capture_priv.h"
#include "src/endpoint.h"
#include "src/log.h"
#include "src/run.h"

#define APPL "netbench"
#define SNAPLEN 65535u

/* ---- schema ---------------------------------------------------------------------------- */

const struct nb_field nb_capture_fields[] = {
	{ .key = "dir", .kind = NB_FIELD_STRING, .offset = offsetof(struct nb_capture_cfg, dir),
	  .max = 1024, .what = "a directory" },
	{ .key = "bus", .kind = NB_FIELD_BOOL, .offset = offsetof(struct nb_capture_cfg, bus) },
	{ .key = "frames", .kind = NB_FIELD_BOOL,
	  .offset = offsetof(struct nb_capture_cfg, frames) },
	{ .key = "tap", .kind = NB_FIELD_BOOL, .offset = offsetof(struct nb_capture_cfg, tap) },
	{ 0 },
};

int nb_capture_cfg_check(struct nb_conf *c, const yaml_node_t *node, void *obj)
{
	struct nb_capture_cfg *cfg = obj;

	cfg->present = true;
	if (!cfg->bus && !cfg->frames && !cfg->tap)
		return nb_conf_error(c, node, "expected at least one of 'bus', 'frames', 'tap' set "
				     "to true in capture");
	return 0;
}

/* ---- files ----------------------------------------------------------------------------- */

void nb_capture_write_failed(struct nb_capture *c, const char *path, int err)
{
	if (c->write_error_logged)
		return;
	c->write_error_logged = true;
	nb_logf(c->log, NB_LOG_ERR, "capture", "%s: %s (later packets are lost)", path,
		strerror(-err));
}

static int mkdirs(const char *dir)
{
	char tmp[PATH_MAX];
	size_t n = strlen(dir);

	if (n >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
			return -errno;
		tmp[i] = dir[i];
	}
	return 0;
}

static struct nb_pcapng *open_file(struct nb_capture *c, char *path, size_t cap,
				   const char *base, char *err, size_t len)
{
	struct nb_pcapng *p;

	snprintf(path, cap, "%s/%s", c->dir, base);
	p = nb_pcapng_open(path, APPL);
	if (!p)
		snprintf(err, len, "capture: %s: %s", path, strerror(errno));
	return p;
}

static void on_frame(void *ctx, enum nb_point point, uint64_t t_ns, const uint8_t *frame,
		     size_t len)
{
	struct nb_capture *c = ctx;
	bool tx = point == NB_POINT_HOST_TX || point == NB_POINT_FAR_TX;
	int ret;

	c->frame_count[point]++;
	ret = nb_pcapng_write(c->frames, (uint32_t)c->frame_if[point], t_ns, frame, len, len,
			      tx ? NB_PCAPNG_DIR_OUTBOUND : NB_PCAPNG_DIR_INBOUND);
	if (ret < 0)
		nb_capture_write_failed(c, c->frames_path, ret);
}

static const char *const point_desc[NB_POINT__COUNT] = {
	[NB_POINT_HOST_TX] = "stack port to device (what the driver is given to send)",
	[NB_POINT_HOST_RX] = "device to stack port (what the driver received)",
	[NB_POINT_FAR_TX] = "far endpoint to the wire (partner sends)",
	[NB_POINT_FAR_RX] = "wire to far endpoint (partner receives)",
};

struct nb_capture *nb_capture_new(const struct nb_capture_cfg *cfg, struct nb_sim *sim,
				  const struct nb_logger *log, char *err, size_t len)
{
	struct nb_capture *c = calloc(1, sizeof(*c));
	int ret;

	if (!c) {
		snprintf(err, len, "capture: out of memory");
		return NULL;
	}
	c->sim = sim;
	c->log = log;
	if (cfg)
		c->cfg = *cfg;
	if (!c->cfg.present)
		return c;
	snprintf(c->dir, sizeof(c->dir), "%s", c->cfg.dir ? c->cfg.dir : ".");
	if ((ret = mkdirs(c->dir)) < 0) {
		snprintf(err, len, "capture: creating directory %s: %s", c->dir, strerror(-ret));
		goto err_free;
	}
	if (c->cfg.bus &&
	    !(c->bus = open_file(c, c->bus_path, sizeof(c->bus_path), "bus.pcapng", err, len)))
		goto err_free;
	if (c->cfg.frames) {
		c->frames = open_file(c, c->frames_path, sizeof(c->frames_path), "frames.pcapng",
				      err, len);
		if (!c->frames)
			goto err_free;
		for (int i = 0; i < NB_POINT__COUNT; i++) {
			ret = nb_pcapng_add_if(c->frames, NB_PCAPNG_LINKTYPE_ETHERNET, SNAPLEN,
					       nb_point_name((enum nb_point)i), point_desc[i]);
			if (ret < 0) {
				snprintf(err, len, "capture: %s: %s", c->frames_path,
					 strerror(-ret));
				goto err_free;
			}
			c->frame_if[i] = ret;
		}
	}
	return c;
err_free:
	(void)nb_capture_close(c);
	return NULL;
}

void nb_capture_attach_run(struct nb_capture *c, struct nb_run *r)
{
	if (!c || !c->frames)
		return;
	c->obs.frame = on_frame;
	c->obs.ctx = c;
	nb_observe_add(r, &c->obs);
}

static void on_tap(void *ctx, bool from_kernel, const uint8_t *frame, size_t len)
{
	struct nb_tap_hook *h = ctx;
	struct nb_capture *c = h->cap;
	int ret;

	if (from_kernel)
		h->from_kernel++;
	else
		h->to_kernel++;
	/* Seen from the kernel's interface, as tcpdump on it would show them. */
	ret = nb_pcapng_write(c->tap, (uint32_t)h->ifid, nb_sim_now(c->sim), frame, len, len,
			      from_kernel ? NB_PCAPNG_DIR_OUTBOUND : NB_PCAPNG_DIR_INBOUND);
	if (ret < 0)
		nb_capture_write_failed(c, c->tap_path, ret);
}

int nb_capture_attach_tap(struct nb_capture *c, struct nb_endpoint *ep, const char *side,
			  char *err, size_t len)
{
	struct nb_tap_hook *h;
	char desc[96];
	int ret;

	if (!c || !c->cfg.tap || !ep || strcmp(ep->kind_name, "tap") != 0)
		return 0;
	if (c->n_taps == sizeof(c->taps) / sizeof(c->taps[0]))
		return 0;
	if (!c->tap &&
	    !(c->tap = open_file(c, c->tap_path, sizeof(c->tap_path), "tap.pcapng", err, len)))
		return -EIO;
	h = &c->taps[c->n_taps];
	snprintf(desc, sizeof(desc), "%s side: %s", side, ep->label);
	ret = nb_pcapng_add_if(c->tap, NB_PCAPNG_LINKTYPE_ETHERNET, SNAPLEN, side, desc);
	if (ret < 0) {
		snprintf(err, len, "capture: %s: %s", c->tap_path, strerror(-ret));
		return ret;
	}
	h->cap = c;
	h->ifid = ret;
	snprintf(h->side, sizeof(h->side), "%s", side);
	ret = nb_port_tap_set_capture(ep, on_tap, h);
	if (ret < 0) {
		snprintf(err, len, "capture: %s side: %s", side, strerror(-ret));
		return ret;
	}
	c->n_taps++;
	return 0;
}

static int close_file(struct nb_capture *c, struct nb_pcapng *p, const char *path)
{
	int ret = nb_pcapng_close(p);

	if (ret < 0)
		nb_logf(c->log, NB_LOG_ERR, "capture", "%s: %s: captured data lost", path,
			strerror(-ret));
	return ret;
}

int nb_capture_close(struct nb_capture *c)
{
	int ret = 0;

	if (!c)
		return 0;
	if (close_file(c, c->bus, c->bus_path) < 0)
		ret = -EIO;
	if (close_file(c, c->frames, c->frames_path) < 0)
		ret = -EIO;
	if (close_file(c, c->tap, c->tap_path) < 0)
		ret = -EIO;
	nb_capture_buses_free(c);
	free(c);
	return ret;
}

/* ---- report ---------------------------------------------------------------------------- */

static const char *kind_name(enum nb_bus_kind k)
{
	return k == NB_BUS_MDIO ? "mdio" : k == NB_BUS_GSPI ? "gspi" : "rmii";
}

/* Payload bits per second of bus busy time: the rate the bus itself would allow. */
static double bus_rate(const struct nb_bus_mon *m)
{
	return m->busy_ns ? (double)m->bytes * 8e9 / (double)m->busy_ns : 0.0;
}

void nb_capture_json(const struct nb_capture *c, struct nb_json *j, uint64_t sim_ns)
{
	if (!c)
		return;
	nb_json_begin(j, "buses");
	for (const struct nb_bus_mon *m = c->buses; m; m = m->next) {
		nb_json_begin(j, m->name);
		nb_json_str(j, "kind", kind_name(m->kind));
		nb_json_u64(j, "clock_hz", m->clock_hz);
		nb_json_u64(j, "transactions", m->transactions);
		nb_json_u64(j, "bytes", m->bytes);
		nb_json_u64(j, "errors", m->errors);
		nb_json_u64(j, "busy_ns", m->busy_ns);
		nb_json_double(j, "utilisation", sim_ns ? (double)m->busy_ns / (double)sim_ns : 0.0);
		nb_json_double(j, "throughput_bps", bus_rate(m));
		nb_json_end(j);
	}
	nb_json_end(j);
	if (!c->cfg.present)
		return;
	nb_json_begin(j, "capture");
	nb_json_str(j, "dir", c->dir);
	if (c->bus)
		nb_json_str(j, "bus", c->bus_path);
	if (c->frames) {
		nb_json_str(j, "frames", c->frames_path);
		nb_json_begin(j, "frame_counts");
		for (int i = 0; i < NB_POINT__COUNT; i++)
			nb_json_u64(j, nb_point_name((enum nb_point)i), c->frame_count[i]);
		nb_json_end(j);
	}
	if (c->tap) {
		nb_json_str(j, "tap", c->tap_path);
		nb_json_begin(j, "tap_counts");
		for (unsigned i = 0; i < c->n_taps; i++) {
			nb_json_begin(j, c->taps[i].side);
			nb_json_u64(j, "from_kernel", c->taps[i].from_kernel);
			nb_json_u64(j, "to_kernel", c->taps[i].to_kernel);
			nb_json_end(j);
		}
		nb_json_end(j);
	}
	nb_json_end(j);
}

void nb_capture_summary(const struct nb_capture *c, FILE *f, uint64_t sim_ns)
{
	if (!c)
		return;
	for (const struct nb_bus_mon *m = c->buses; m; m = m->next) {
		fprintf(f, "%-10s %s (%s %.3g MHz): %" PRIu64 " transactions, %" PRIu64
			" B, busy %.6f s (%.2f%%), allows %.2f Mb/s\n", "bus", m->name,
			kind_name(m->kind), m->clock_hz / 1e6, m->transactions, m->bytes,
			(double)m->busy_ns / 1e9,
			sim_ns ? 100.0 * (double)m->busy_ns / (double)sim_ns : 0.0, bus_rate(m) / 1e6);
	}
	if (!c->cfg.present)
		return;
	if (c->bus)
		fprintf(f, "%-10s %s (%" PRIu64 " transactions)\n", "capture", c->bus_path,
			nb_pcapng_packets(c->bus));
	if (c->frames)
		fprintf(f, "%-10s %s (%" PRIu64 " frames)\n", "capture", c->frames_path,
			nb_pcapng_packets(c->frames));
	if (c->tap)
		fprintf(f, "%-10s %s (%" PRIu64 " frames)\n", "capture", c->tap_path,
			nb_pcapng_packets(c->tap));
}
