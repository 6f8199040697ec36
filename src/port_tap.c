/* SPDX-License-Identifier: MIT */
/*
 * TAP endpoint: the host kernel's side of a frame path. As the stack port the interface is
 * the firmware's stack seen from Linux (its MAC defaults to the device's, so frames for the
 * stack pass the device's address filter); on the far side it is the partner host.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/uio.h>
#include <unistd.h>

#include "src/capture.h"
#include "src/endpoint.h"
#include "src/log.h"
#include "src/loop.h"
#include "src/pcapng.h"
#include "src/tapdev.h"

/* Big enough for anything a TAP can hand out without GSO (MTU <= 9000 + headers). */
#define OVERSIZE_SCRATCH 9216u

struct tap_port {
	struct nb_endpoint ep;
	int fd;
	struct nb_watch watch;
	bool watching;
	bool readable;    /* EPOLLIN seen and no EAGAIN since */
	bool out_blocked; /* a write answered EAGAIN; waiting for EPOLLOUT */
	uint64_t oversize, write_errors, carrier_errors;
	const struct nb_logger *log;
	struct nb_pcapng *rec; /* tap: {record: ...} */
	uint64_t (*now)(void *ctx);
	void *now_ctx;
	nb_tap_capture_fn cap_fn; /* src/capture.h */
	void *cap_ctx;
	char name[16];
	uint8_t scratch[OVERSIZE_SCRATCH];
};

static struct tap_port *tap_of(struct nb_endpoint *ep)
{
	return (struct tap_port *)ep;
}

/* The interface went away (deleted, namespace gone): stop watching it, or the loop would
 * spin on its error condition; the run sees ep.failed and ends. */
static void tap_broken(struct tap_port *t, int err)
{
	if (t->ep.failed)
		return;
	t->ep.failed = err;
	t->readable = false;
	t->out_blocked = false;
	if (t->watching) {
		nb_loop_watch_remove(&t->watch);
		t->watching = false;
	}
	nb_logf(t->log, NB_LOG_ERR, "tap", "%s: %s", t->name, strerror(-err));
}

static int tap_deliver(struct nb_endpoint *ep, const uint8_t *frame, size_t len)
{
	struct tap_port *t = tap_of(ep);
	ssize_t n = write(t->fd, frame, len);

	if (n == (ssize_t)len) {
		if (t->cap_fn)
			t->cap_fn(t->cap_ctx, false, frame, len);
		return 0;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		t->out_blocked = true;
		return -EAGAIN;
	}
	t->write_errors++;
	if (n < 0 && errno != EIO && errno != EINVAL)
		tap_broken(t, -errno); /* EIO: interface down, a state the user may change back */
	return n < 0 ? -errno : -EIO;
}

static int tap_next_tx(struct nb_endpoint *ep, uint8_t *buf, size_t cap)
{
	struct tap_port *t = tap_of(ep);
	/* The second piece only catches frames longer than the caller's buffer, so those are
	 * refused whole instead of silently cut (a TAP truncates to the buffer). */
	struct iovec iov[2] = { { buf, cap }, { t->scratch, sizeof(t->scratch) } };
	ssize_t n;

	if (!t->readable)
		return 0;
	n = readv(t->fd, iov, 2);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
			t->readable = false;
			return 0;
		}
		tap_broken(t, -errno);
		return 0;
	}
	if ((size_t)n > cap) {
		t->oversize++;
		return -EMSGSIZE;
	}
	/* A failed write is sticky in the writer and reported by flush() at the end. */
	if (t->rec)
		(void)nb_pcapng_write(t->rec, 0, t->now(t->now_ctx), buf, (size_t)n, (size_t)n, 0);
	if (t->cap_fn)
		t->cap_fn(t->cap_ctx, true, buf, (size_t)n);
	return (int)n;
}

static void tap_carrier(struct nb_endpoint *ep, bool up)
{
	struct tap_port *t = tap_of(ep);
	int ret = nb_tapdev_set_carrier(t->fd, up);

	if (ret < 0) {
		t->carrier_errors++;
		nb_logf(t->log, NB_LOG_WARN, "tap", "%s: setting carrier %s: %s", t->name,
			up ? "on" : "off", strerror(-ret));
	}
}

static void tap_arm(struct nb_endpoint *ep, bool want_in, bool want_out)
{
	struct tap_port *t = tap_of(ep);
	uint32_t ev = 0;

	if (!t->watching)
		return;
	if (want_in && !t->readable)
		ev |= EPOLLIN;
	if (want_out && t->out_blocked)
		ev |= EPOLLOUT;
	(void)nb_loop_watch_set(&t->watch, ev);
}

static bool tap_tx_pending(struct nb_endpoint *ep)
{
	return tap_of(ep)->readable;
}

static bool tap_writable(struct nb_endpoint *ep)
{
	return !tap_of(ep)->out_blocked;
}

static void tap_event(void *ctx, uint32_t events)
{
	struct tap_port *t = ctx;

	if (events & (EPOLLERR | EPOLLHUP)) {
		tap_broken(t, -ENODEV);
		return;
	}
	if (events & EPOLLIN)
		t->readable = true;
	if (events & EPOLLOUT)
		t->out_blocked = false;
}

static void tap_status(struct nb_endpoint *ep, struct nb_json *j)
{
	struct tap_port *t = tap_of(ep);

	nb_json_str(j, "interface", t->name);
	nb_json_u64(j, "oversize", t->oversize);
	nb_json_u64(j, "write_errors", t->write_errors);
	if (t->rec)
		nb_json_u64(j, "recorded", nb_pcapng_packets(t->rec));
}

static int tap_flush(struct nb_endpoint *ep)
{
	struct tap_port *t = tap_of(ep);

	return t->rec ? nb_pcapng_flush(t->rec) : 0;
}

static void tap_free(struct nb_endpoint *ep)
{
	struct tap_port *t = tap_of(ep);

	if (t->watching)
		nb_loop_watch_remove(&t->watch);
	if (t->fd >= 0)
		close(t->fd);
	(void)nb_pcapng_close(t->rec); /* its errors were reported by tap_flush() */
	free(t);
}

static const struct nb_endpoint_ops tap_ops;

int nb_port_tap_set_capture(struct nb_endpoint *ep, nb_tap_capture_fn fn, void *ctx)
{
	struct tap_port *t;

	if (!ep || ep->ops != &tap_ops)
		return -EINVAL;
	t = tap_of(ep);
	t->cap_fn = fn;
	t->cap_ctx = ctx;
	return 0;
}

static const struct nb_endpoint_ops tap_ops = {
	.deliver = tap_deliver,
	.next_tx = tap_next_tx,
	.carrier = tap_carrier,
	.arm = tap_arm,
	.tx_pending = tap_tx_pending,
	.writable = tap_writable,
	.status = tap_status,
	.flush = tap_flush,
	.free = tap_free,
};

struct nb_endpoint *nb_port_tap_open(const struct nb_tap_cfg *cfg,
				     const struct nb_endpoint_env *env, char *err, size_t len)
{
	struct nb_tapdev_cfg tc = {
		.name = cfg->name,
		.netns = cfg->netns,
		.mtu = cfg->mtu,
		.addr = cfg->has_address ? &cfg->address : NULL,
	};
	struct tap_port *t;
	int ret;

	if (cfg->has_mac)
		tc.mac = cfg->mac;
	else if (env->side == NB_SIDE_HOST)
		tc.mac = env->dev_mac;
	if (!tc.mtu)
		tc.mtu = env->side == NB_SIDE_HOST ? env->dev_mtu : 1500;
	if (tc.mtu + 14u > env->max_frame) {
		snprintf(err, len, "tap %s: mtu %u needs %u-byte frames, but the device carries at "
			 "most %u", cfg->name, tc.mtu, tc.mtu + 14u, env->max_frame);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	t->ep.ops = &tap_ops;
	t->ep.kind_name = "tap";
	t->log = env->log;
	snprintf(t->name, sizeof(t->name), "%s", cfg->name);
	if (cfg->netns)
		snprintf(t->ep.label, sizeof(t->ep.label), "tap %s (netns %s)", cfg->name,
			 cfg->netns);
	else
		snprintf(t->ep.label, sizeof(t->ep.label), "tap %s", cfg->name);
	t->fd = nb_tapdev_open(&tc, err, len);
	if (t->fd < 0)
		goto err_free;
	if (cfg->record) {
		/* The kernel's frames with their arrival times: a later run replays them in
		 * virtual time (pcap: {read: ..., timing: absolute}). */
		t->now = env->now;
		t->now_ctx = env->now_ctx;
		t->rec = nb_pcapng_open(cfg->record, "netbench");
		if (!t->rec) {
			snprintf(err, len, "tap %s: record: %s: %s", cfg->name, cfg->record,
				 strerror(errno));
			goto err_free;
		}
		ret = nb_pcapng_add_if(t->rec, NB_PCAPNG_LINKTYPE_ETHERNET, 65535, cfg->name,
				       "frames the kernel sent into the TAP");
		if (ret < 0) {
			snprintf(err, len, "tap %s: record: %s: %s", cfg->name, cfg->record,
				 strerror(-ret));
			goto err_free;
		}
	}
	ret = nb_loop_watch_add(env->loop, &t->watch, t->fd, EPOLLIN, tap_event, t);
	if (ret < 0) {
		snprintf(err, len, "tap %s: epoll: %s", cfg->name, strerror(-ret));
		goto err_free;
	}
	t->watching = true;
	return &t->ep;
err_free:
	tap_free(&t->ep);
	return NULL;
}
