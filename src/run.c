/* SPDX-License-Identifier: MIT */
#include "src/run.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "src/capture.h"
#include "src/control.h"
#include "src/impair_run.h"
#include "src/observe.h"
#include "src/stack_heap.h"
#include "src/timeline.h"

/* Without a duration, a run with finite sources ends this long after the last source frame
 * was sent and the last timeline event happened: time for frames in flight to land. */
#define SETTLE_NS (1000ull * NB_NS_PER_MS)
#define DEFAULT_POLL_NS NB_NS_PER_MS
#define MAX_POLL_ERROR_LOGS 5

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NB_NS_PER_S + (uint64_t)ts.tv_nsec;
}

static uint64_t run_now(void *ctx)
{
	return nb_sim_now(ctx);
}

/* ---- host side: the stack port is the host endpoint ------------------------------------ */

static int port_deliver(void *ctx, const uint8_t *frame, size_t len)
{
	struct nb_run *r = ctx;
	int ret = nb_endpoint_deliver(r->host, frame, len);

	if (ret == 0)
		nb_observe_frame(r, NB_POINT_HOST_RX, frame, len);
	return ret;
}

static int port_next_tx(void *ctx, uint8_t *buf, size_t cap)
{
	struct nb_run *r = ctx;
	int ret = nb_endpoint_next_tx(r->host, buf, cap);

	if (ret > 0)
		nb_observe_frame(r, NB_POINT_HOST_TX, buf, (size_t)ret);
	return ret;
}

static void port_link(void *ctx, const struct nb_link_state *st)
{
	struct nb_run *r = ctx;

	nb_endpoint_set_carrier(r->host, st->up);
}

static const struct nb_stack_port_ops host_port_ops = {
	.deliver = port_deliver,
	.next_tx = port_next_tx,
	.link = port_link,
};

static void dev_wake(struct nb_netdev *dev, void *ctx)
{
	(void)dev;
	nb_loop_wake(ctx);
}

static bool hold_has_room(const struct nb_stack *s)
{
	return s->hold_count < s->hold_slots;
}

static int dev_work(void *ctx)
{
	struct nb_run *r = ctx;
	struct nb_stack *s = r->stack;
	struct nb_netdev *nd = r->nd;
	uint64_t now = nb_sim_now(r->sim);
	bool irq = nd->caps & NB_NETDEV_CAP_IRQ;
	int moved = 0;

	if (nb_netdev_work_pending(nd) || nb_netdev_next_deadline(nd) <= now ||
	    (nb_stack_rx_blocked(s) && nb_endpoint_writable(r->host)) ||
	    (!irq && now >= r->next_poll)) {
		unsigned held = s->hold_count;
		int ret = nb_stack_poll_rx(s);

		if (!irq)
			r->next_poll = now + (nd->poll_interval_ns ? nd->poll_interval_ns
								   : DEFAULT_POLL_NS);
		if (ret < 0) {
			if (r->poll_errors++ < MAX_POLL_ERROR_LOGS)
				nb_logf(&r->logger, NB_LOG_WARN, "netbench", "%s: poll failed: %s",
					nd->name, strerror(-ret));
		} else {
			moved += ret;
		}
		moved += s->hold_count < held;
	}
	if (r->dev->ops->service)
		r->dev->ops->service(r->dev);
	moved += nb_stack_pump_tx(s);
	return moved;
}

static uint64_t dev_deadline(void *ctx)
{
	struct nb_run *r = ctx;
	struct nb_stack *s = r->stack;
	uint64_t d;

	if (nb_netdev_work_pending(r->nd) && hold_has_room(s))
		return 0;
	if (nb_stack_rx_blocked(s) && nb_endpoint_writable(r->host))
		return 0;
	if (nb_stack_tx_ready(s) && nb_endpoint_tx_pending(r->host))
		return 0;
	d = nb_netdev_next_deadline(r->nd);
	if (!(r->nd->caps & NB_NETDEV_CAP_IRQ) && r->next_poll < d)
		d = r->next_poll;
	/* A paced replay's next frame: only while the wrapper would take it, or a frame due
	 * while the device is full would ask for work the device cannot do yet. */
	if (nb_stack_tx_ready(s) && nb_endpoint_deadline(r->host) < d)
		d = nb_endpoint_deadline(r->host);
	return d;
}

static void dev_arm(void *ctx)
{
	struct nb_run *r = ctx;

	nb_endpoint_arm(r->host, nb_stack_tx_ready(r->stack), nb_stack_rx_blocked(r->stack));
}

static const struct nb_agent_ops dev_agent_ops = {
	.work = dev_work,
	.deadline = dev_deadline,
	.arm = dev_arm,
};

/* ---- far side: the partner's MAC in front of the far endpoint ---------------------------- */

static int far_next_tx(void *ctx, uint8_t *buf, size_t cap)
{
	struct nb_run *r = ctx;
	int ret = nb_endpoint_next_tx(r->far, buf, cap);

	if (ret > 0)
		nb_observe_frame(r, NB_POINT_FAR_TX, buf, (size_t)ret);
	return ret;
}

static int far_deliver(void *ctx, const uint8_t *frame, size_t len)
{
	struct nb_run *r = ctx;
	int ret = nb_endpoint_deliver(r->far, frame, len);

	if (ret == 0)
		nb_observe_frame(r, NB_POINT_FAR_RX, frame, len);
	return ret;
}

static void far_carrier(void *ctx, bool present)
{
	struct nb_run *r = ctx;

	nb_endpoint_set_carrier(r->far, present);
}

static const struct nb_peer_mac_ops far_mac_ops = {
	.next_tx = far_next_tx,
	.deliver = far_deliver,
	.carrier = far_carrier,
};

static int far_work(void *ctx)
{
	struct nb_run *r = ctx;
	int moved = 0;

	/* Link changes happen inside simulation timers; every one is followed by a work pass,
	 * so looking here is enough for the partner (and a far TAP's carrier) to follow. */
	nb_peer_mac_set_link(r->peer, r->dev->ops->partner_link(r->dev));
	if (nb_peer_mac_rx_blocked(r->peer) && nb_endpoint_writable(r->far))
		moved += nb_peer_mac_flush_rx(r->peer);
	moved += nb_peer_mac_pump_tx(r->peer);
	return moved;
}

static uint64_t far_deadline(void *ctx)
{
	struct nb_run *r = ctx;

	if (nb_peer_mac_tx_ready(r->peer) && nb_endpoint_tx_pending(r->far))
		return 0;
	if (nb_peer_mac_rx_blocked(r->peer) && nb_endpoint_writable(r->far))
		return 0;
	if (nb_peer_mac_tx_ready(r->peer))
		return nb_endpoint_deadline(r->far);
	return NB_DEADLINE_NONE;
}

static void far_arm(void *ctx)
{
	struct nb_run *r = ctx;

	nb_endpoint_arm(r->far, nb_peer_mac_tx_ready(r->peer), nb_peer_mac_rx_blocked(r->peer));
}

static const struct nb_agent_ops far_agent_ops = {
	.work = far_work,
	.deadline = far_deadline,
	.arm = far_arm,
};

/* ---- end of the run ------------------------------------------------------------------ */

static bool sources_done(const struct nb_run *r)
{
	bool any = false;

	if (r->host->finite) {
		any = true;
		if (!r->host->exhausted || r->stack->tx_pending)
			return false;
	}
	if (r->far->finite) {
		any = true;
		if (!r->far->exhausted)
			return false;
	}
	return any;
}

static unsigned events_due(const struct nb_run *r)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->scn->n_events; i++)
		n += r->scn->timeline[i].at <= r->end_at;
	return n;
}

static int end_work(void *ctx)
{
	struct nb_run *r = ctx;
	uint64_t now = nb_sim_now(r->sim);

	if (r->host->failed || r->far->failed) {
		nb_loop_stop(r->loop);
		return 0;
	}
	if (now >= r->end_at || now >= r->settle_at) {
		if (now >= r->end_at && !r->scn->has_duration && now < r->settle_at)
			r->timed_out = true;
		nb_loop_stop(r->loop);
		return 0;
	}
	if (r->settle_at == NB_DEADLINE_NONE && sources_done(r) &&
	    r->events_fired == events_due(r) && !r->scn->has_duration) {
		r->settle_at = now + SETTLE_NS;
		nb_logf(&r->logger, NB_LOG_INFO, "netbench",
			"sources finished; stopping in %llu ms", SETTLE_NS / NB_NS_PER_MS);
	}
	return 0;
}

static uint64_t end_deadline(void *ctx)
{
	struct nb_run *r = ctx;

	return r->end_at < r->settle_at ? r->end_at : r->settle_at;
}

static const struct nb_agent_ops end_agent_ops = {
	.work = end_work,
	.deadline = end_deadline,
};

/* ---- timeline, control, signals ------------------------------------------------------ */

static void set_link(struct nb_run *r, bool up, const char *why)
{
	const struct nb_device_ops *ops = r->dev->ops;
	const char *words = up ? ops->link_up_words : ops->link_down_words;
	int ret = ops->set_cable(r->dev, up);

	if (ret < 0)
		nb_logf(&r->logger, NB_LOG_ERR, "netbench", "%s: link %s failed: %s", why,
			up ? "up" : "down", strerror(-ret));
	else
		nb_logf(&r->logger, NB_LOG_INFO, "netbench", "%s: %s", why,
			words ? words : up ? "cable plugged in" : "cable pulled");
}

static void timeline_fire(void *ctx)
{
	struct nb_timeline_timer *t = ctx;

	t->run->events_fired++;
	if (t->ev->has_link)
		set_link(t->run, t->ev->link == NB_LINK_UP, "timeline");
	if (t->ev->has_impair)
		nb_impair_run_apply(t->run, &t->ev->impair, "timeline");
	nb_timeline_fire(t->run, t->ev); /* fault, traffic (src/timeline.c) */
}

static void control_cmd(void *ctx, const char *line, FILE *out)
{
	struct nb_run *r = ctx;
	char cmd[32] = "", arg[32] = "", extra[8] = "";
	int n = sscanf(line, "%31s %31s %7s", cmd, arg, extra);

	if (n <= 0)
		return;
	if (!strcmp(cmd, "status") && n == 1) {
		nb_run_status_json(r, out, false);
		fputc('\n', out);
	} else if (!strcmp(cmd, "link") && n == 2 && (!strcmp(arg, "up") || !strcmp(arg, "down"))) {
		set_link(r, arg[0] == 'u', "control");
		fputs("ok\n", out);
	} else if (!strcmp(cmd, "promisc") && n == 2 &&
		   (!strcmp(arg, "on") || !strcmp(arg, "off"))) {
		int ret = nb_netdev_set_promisc(r->nd, !strcmp(arg, "on"));

		if (ret < 0)
			fprintf(out, "error: promisc %s: %s\n", arg, strerror(-ret));
		else
			fputs("ok\n", out);
	} else if (!strcmp(cmd, "impair") && n >= 2) {
		nb_impair_run_command(r, line, out);
	} else if ((!strcmp(cmd, "stop") || !strcmp(cmd, "quit")) && n == 1) {
		r->stopped_by_user = true;
		nb_loop_stop(r->loop);
		fputs("ok\n", out);
	} else if (!strcmp(cmd, "help") && n == 1) {
		fputs("commands: status | link up | link down | promisc on | promisc off | "
		      "impair {to_far|to_device|both: {loss: 2%, delay: 10ms, ...}} | stop\n", out);
	} else {
		fprintf(out, "error: unknown command '%s' (try: help)\n", line);
	}
}

static void on_signal(void *ctx, uint32_t events)
{
	struct nb_run *r = ctx;
	struct signalfd_siginfo si;

	(void)events;
	while (read(r->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		nb_logf(&r->logger, NB_LOG_INFO, "netbench", "%s: stopping",
			strsignal((int)si.ssi_signo));
		r->interrupted = true;
		nb_loop_stop(r->loop);
	}
}

static int setup_signals(struct nb_run *r)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	/* An ignored signal is discarded even while blocked, so it would never reach the
	 * signalfd: a shell starts background jobs with SIGINT ignored, and a stop request must
	 * still end the run cleanly. */
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	r->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (r->sigfd < 0)
		return -errno;
	return nb_loop_watch_add(r->loop, &r->sig_watch, r->sigfd, EPOLLIN, on_signal, r);
}

/* ---- build and tear down ------------------------------------------------------------- */

static int fail(struct nb_run *r, const char *what, const char *detail)
{
	nb_logf(&r->logger, NB_LOG_ERR, "netbench", "%s: %s", what, detail);
	if (!r->start_error[0])
		snprintf(r->start_error, sizeof(r->start_error), "%s: %s", what, detail);
	return -1;
}

static int build(struct nb_run *r)
{
	const struct nb_scenario *scn = r->scn;
	bool realtime = scn->time == NB_TIME_REALTIME ||
			(scn->time == NB_TIME_AUTO && nb_scenario_has_tap(scn));
	struct nb_sim_cfg sc = { .mode = realtime ? NB_SIM_REALTIME : NB_SIM_VIRTUAL,
				 .seed = scn->seed };
	struct nb_wire_cfg wc = {
		.prop_delay_ns = scn->wire.delay_ns ? scn->wire.delay_ns : 1,
		.queue_frames = (uint16_t)scn->wire.queue,
		.unpaced = scn->wire.pace == NB_PACE_UNPACED,
	};
	struct nb_device_env denv;
	struct nb_endpoint_env eenv;
	struct nb_stack_cfg stc = { 0 };
	char err[512];
	int ret;

	r->sim = nb_sim_new(&sc);
	if (!r->sim)
		return fail(r, "simulation", strerror(ENOMEM));
	nb_logger_set_clock(&r->logger, nb_sim_clock(r->sim));
	r->loop = nb_loop_new(r->sim);
	if (!r->loop)
		return fail(r, "run loop", strerror(errno));
	r->wire = nb_wire_new(r->sim, &wc);
	if (!r->wire)
		return fail(r, "wire", strerror(ENOMEM));
	if ((ret = nb_impair_run_setup(r)) < 0)
		return fail(r, "impairments", strerror(-ret));

	r->capture = nb_capture_new(&scn->capture, r->sim, &r->logger, err, sizeof(err));
	if (!r->capture)
		return fail(r, "capture", err);
	denv = (struct nb_device_env){
		.sim = r->sim,
		.wire = r->wire,
		.log = &r->logger.log,
		.logger = &r->logger,
		.partner = &scn->wire.partner,
		.capture = r->capture,
	};
	r->dev = scn->dev_type->build(&scn->dev, scn->dev_cfg, &denv, err, sizeof(err));
	if (!r->dev)
		return fail(r, "device", err);
	r->nd = r->dev->netdev;

	eenv = (struct nb_endpoint_env){
		.loop = r->loop,
		.log = &r->logger,
		.side = NB_SIDE_FAR,
		.dev_mac = r->nd->mac,
		.dev_mtu = r->nd->mtu,
		.max_frame = NB_ETH_MAX_FRAME_VLAN,
		.now = run_now,
		.now_ctx = r->sim,
	};
	r->far = nb_endpoint_open(&scn->wire.far, &eenv, err, sizeof(err));
	if (!r->far)
		return fail(r, "far side", err);
	r->far->digest = scn->expect.all_delivered;
	if (nb_capture_attach_tap(r->capture, r->far, "far", err, sizeof(err)) < 0)
		return fail(r, "far side", err);
	r->peer = nb_peer_mac_new(r->wire, 1, &far_mac_ops, r, NULL);
	if (!r->peer)
		return fail(r, "far side", strerror(ENOMEM));
	nb_peer_mac_set_link(r->peer, r->dev->ops->partner_link(r->dev));
	nb_peer_mac_set_up(r->peer, true);

	eenv.side = NB_SIDE_HOST;
	eenv.max_frame = r->nd->max_frame;
	r->host = nb_endpoint_open(&scn->host, &eenv, err, sizeof(err));
	if (!r->host)
		return fail(r, "host side", err);
	r->host->digest = scn->expect.all_delivered;
	if (nb_capture_attach_tap(r->capture, r->host, "host", err, sizeof(err)) < 0)
		return fail(r, "host side", err);
	nb_capture_attach_run(r->capture, r);
	stc.port.ops = &host_port_ops;
	stc.port.ctx = r;
	r->stack = nb_stack_new(r->nd, &stc);
	if (!r->stack)
		return fail(r, "stack wrapper", strerror(errno));
	nb_netdev_set_wake(r->nd, dev_wake, r->loop);

	if (scn->wire.cable == NB_LINK_DOWN && (ret = r->dev->ops->set_cable(r->dev, false)) < 0)
		return fail(r, "cable", strerror(-ret));
	r->timers = calloc(scn->n_events ? scn->n_events : 1, sizeof(*r->timers));
	if (!r->timers)
		return fail(r, "timeline", strerror(ENOMEM));
	for (unsigned i = 0; i < scn->n_events; i++) {
		struct nb_timeline_timer *t = &r->timers[i];

		t->run = r;
		t->ev = &scn->timeline[i];
		nb_sim_timer_init(&t->timer, timeline_fire, t);
		if (t->ev->at <= r->end_at &&
		    nb_sim_timer_arm(r->sim, &t->timer, t->ev->at) < 0)
			return fail(r, "timeline", strerror(ENOMEM));
	}
	if (nb_report_start(r) < 0)
		return -1;
	if (r->opts.control_path) {
		r->control = nb_control_open(r->loop, r->opts.control_path, control_cmd, r, err,
					     sizeof(err));
		if (!r->control)
			return fail(r, "control", err);
	}
	if ((ret = setup_signals(r)) < 0)
		return fail(r, "signals", strerror(-ret));

	r->dev_agent = (struct nb_agent){ .ops = &dev_agent_ops, .ctx = r, .name = "device" };
	r->far_agent = (struct nb_agent){ .ops = &far_agent_ops, .ctx = r, .name = "far side" };
	r->end_agent = (struct nb_agent){ .ops = &end_agent_ops, .ctx = r, .name = "end" };
	nb_loop_add_agent(r->loop, &r->dev_agent);
	nb_loop_add_agent(r->loop, &r->far_agent);
	nb_loop_add_agent(r->loop, &r->end_agent);

	ret = nb_netdev_open(r->nd);
	if (ret < 0)
		return fail(r, "opening the device", strerror(-ret));
	return 0;
}

static int teardown(struct nb_run *r)
{
	int ret = 0, fr;

	nb_control_close(r->control);
	nb_stack_free(r->stack);
	if (r->nd)
		(void)nb_netdev_stop(r->nd);
	nb_device_free(r->dev);
	nb_peer_mac_free(r->peer);
	if (r->host && (fr = nb_endpoint_flush(r->host)) < 0) {
		nb_logf(&r->logger, NB_LOG_ERR, "netbench", "host side: writing output: %s",
			strerror(-fr));
		ret = -1;
	}
	if (r->far && (fr = nb_endpoint_flush(r->far)) < 0) {
		nb_logf(&r->logger, NB_LOG_ERR, "netbench", "far side: writing output: %s",
			strerror(-fr));
		ret = -1;
	}
	nb_endpoint_free(r->host);
	nb_endpoint_free(r->far);
	/* After the device (its bus monitors) and the endpoints (TAP hooks) are gone. */
	if (nb_capture_close(r->capture) < 0)
		ret = -1;
	r->capture = NULL;
	nb_impair_free(r->impair);
	nb_wire_free(r->wire);
	free(r->timers);
	nb_report_free(r);
	if (r->sigfd > 0) {
		nb_loop_watch_remove(&r->sig_watch);
		close(r->sigfd);
	}
	nb_loop_free(r->loop);
	nb_logger_set_clock(&r->logger, NULL);
	nb_sim_free(r->sim);
	return ret;
}

int nb_run_scenario(const struct nb_scenario *scn, const struct nb_run_opts *opts)
{
	struct nb_run *r = calloc(1, sizeof(*r));
	int failures = 0, code;

	if (!r) {
		fprintf(stderr, "netbench: out of memory\n");
		return NB_EXIT_FAILED;
	}
	r->scn = scn;
	r->opts = *opts;
	r->sigfd = -1;
	nb_logger_init(&r->logger, stderr, opts->level);
	r->settle_at = NB_DEADLINE_NONE;
	r->finite = scn->has_duration || (scn->host.kind == NB_EP_PCAP && scn->host.pcap.read) ||
		    (scn->wire.far.kind == NB_EP_PCAP && scn->wire.far.pcap.read);
	if (scn->has_duration)
		r->end_at = scn->duration;
	else if (r->finite)
		r->end_at = scn->timeout;
	else
		r->end_at = NB_DEADLINE_NONE;
	if (build(r) < 0) {
		nb_report_not_started(r);
		teardown(r);
		free(r);
		return NB_EXIT_FAILED;
	}
	r->wall_start_ns = wall_ns();
	r->loop_ret = nb_loop_run(r->loop);
	r->wall_end_ns = wall_ns();
	if (r->loop_ret < 0) {
		const char *who = nb_loop_failed_agent(r->loop);

		nb_logf(&r->logger, NB_LOG_ERR, "netbench", "run failed%s%s: %s",
			who ? " in " : "", who ? who : "", strerror(-r->loop_ret));
	}
	/* checks, summary or JSON, report files (src/report_out.c) */
	failures += nb_report_finish(r);
	if (teardown(r) < 0)
		failures++;
	code = failures ? NB_EXIT_FAILED : NB_EXIT_OK;
	if (r->interrupted && r->finite)
		code = NB_EXIT_INTERRUPTED;
	free(r);
	return code;
}
