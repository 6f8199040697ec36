/* SPDX-License-Identifier: MIT */
#include "src/loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define MAX_EVENTS 32
/* Work passes before fds get a look again, so a busy device cannot starve the others. */
#define MAX_PASSES 64
/* A stalled agent (deadline in the past, nothing done) is retried after this long. */
#define STALL_RETRY_VIRTUAL_NS 1000u
#define STALL_RETRY_REAL_NS 1000000u
/* Real time: let the kernel merge timer wake-ups this close together (default is 50 us,
 * which would blur 100 Mb/s frame pacing of ~6-120 us per frame). */
#define TIMER_SLACK_NS 5000ul
/* Real time: event times run one by one per catch-up round, at most this many. */
#define MAX_CATCH_UP 4096
/* Real time: a due event run later than this counts as late (stats). */
#define LATE_NS 100000u

struct nb_loop {
	struct nb_sim *sim;
	int epfd;
	int wakefd;
	int timerfd;
	struct nb_watch wake_watch;
	struct nb_watch timer_watch;
	uint64_t timer_armed_for; /* absolute sim time the timerfd is set to, or NONE */
	struct nb_agent *agents;
	struct nb_agent **agents_tail;
	const struct nb_agent *failed;
	volatile bool stop;
	struct nb_loop_stats stats;
};

static void drain_fd(int fd, uint64_t *counter)
{
	uint64_t v;

	while (read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		*counter += v;
}

static void on_wake(void *ctx, uint32_t events)
{
	struct nb_loop *loop = ctx;

	(void)events;
	drain_fd(loop->wakefd, &loop->stats.wakeups);
}

static void on_timer(void *ctx, uint32_t events)
{
	struct nb_loop *loop = ctx;

	(void)events;
	drain_fd(loop->timerfd, &loop->stats.timer_fires);
	loop->timer_armed_for = NB_DEADLINE_NONE;
}

struct nb_loop *nb_loop_new(struct nb_sim *sim)
{
	struct nb_loop *loop = calloc(1, sizeof(*loop));
	int err;

	if (!loop)
		return NULL;
	loop->sim = sim;
	loop->agents_tail = &loop->agents;
	loop->timer_armed_for = NB_DEADLINE_NONE;
	loop->wakefd = loop->timerfd = -1;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		goto err_sys;
	loop->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (loop->wakefd < 0)
		goto err_sys;
	loop->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (loop->timerfd < 0)
		goto err_sys;
	if (nb_loop_watch_add(loop, &loop->wake_watch, loop->wakefd, EPOLLIN, on_wake, loop) < 0 ||
	    nb_loop_watch_add(loop, &loop->timer_watch, loop->timerfd, EPOLLIN, on_timer, loop) < 0)
		goto err_sys;
	return loop;
err_sys:
	err = errno;
	nb_loop_free(loop);
	errno = err;
	return NULL;
}

void nb_loop_free(struct nb_loop *loop)
{
	if (!loop)
		return;
	if (loop->timerfd >= 0)
		close(loop->timerfd);
	if (loop->wakefd >= 0)
		close(loop->wakefd);
	if (loop->epfd >= 0)
		close(loop->epfd);
	free(loop);
}

int nb_loop_watch_add(struct nb_loop *loop, struct nb_watch *w, int fd, uint32_t events,
		      nb_loop_fd_fn fn, void *ctx)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	w->loop = loop;
	w->fd = fd;
	w->events = events;
	w->fn = fn;
	w->ctx = ctx;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		w->loop = NULL;
		return -errno;
	}
	return 0;
}

int nb_loop_watch_set(struct nb_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (!w->loop || w->events == events)
		return 0;
	if (epoll_ctl(w->loop->epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0)
		return -errno;
	w->events = events;
	return 0;
}

void nb_loop_watch_remove(struct nb_watch *w)
{
	if (!w || !w->loop)
		return;
	(void)epoll_ctl(w->loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	w->loop = NULL;
}

void nb_loop_add_agent(struct nb_loop *loop, struct nb_agent *a)
{
	a->next = NULL;
	*loop->agents_tail = a;
	loop->agents_tail = &a->next;
}

void nb_loop_wake(struct nb_loop *loop)
{
	uint64_t one = 1;

	/* EAGAIN means the counter is already non-zero: the loop will wake anyway. */
	(void)!write(loop->wakefd, &one, sizeof(one));
}

void nb_loop_stop(struct nb_loop *loop)
{
	loop->stop = true;
}

bool nb_loop_stopped(const struct nb_loop *loop)
{
	return loop->stop;
}

const char *nb_loop_failed_agent(const struct nb_loop *loop)
{
	return loop->failed ? loop->failed->name : NULL;
}

const struct nb_loop_stats *nb_loop_stats(const struct nb_loop *loop)
{
	return &loop->stats;
}

struct nb_sim *nb_loop_sim(struct nb_loop *loop)
{
	return loop->sim;
}

/* One round of work over all agents. @return agents that moved something, or -errno. */
static int work_pass(struct nb_loop *loop)
{
	int moved = 0;

	for (struct nb_agent *a = loop->agents; a && !loop->stop; a = a->next) {
		int r = a->ops->work(a->ctx);

		if (r < 0) {
			loop->failed = a;
			return r;
		}
		moved += r > 0;
	}
	return moved;
}

/*
 * Run due simulation events. In real time the loop may come back late (the host scheduled
 * something else); events that came due meanwhile were spread out in simulated time, so
 * they are run one event time at a time with a work pass after each, as if the loop had
 * been there: a frame that arrived is polled before the next one lands, instead of the
 * whole backlog hitting the device's receive ring at once. @return agents that moved
 * something, or -errno from an agent.
 */
static int run_due(struct nb_loop *loop, bool realtime)
{
	int moved = 0;

	if (!realtime) {
		nb_sim_run_due(loop->sim);
		return 0;
	}
	for (int i = 0; i < MAX_CATCH_UP && !loop->stop; i++) {
		uint64_t next = nb_sim_next_event(loop->sim), now = nb_sim_now(loop->sim);
		int r;

		if (next > now)
			break;
		if (now - next > loop->stats.max_lag_ns)
			loop->stats.max_lag_ns = now - next;
		if (now - next > LATE_NS)
			loop->stats.late_events++;
		nb_sim_run_until(loop->sim, next);
		r = work_pass(loop);
		if (r < 0)
			return r;
		moved += r;
	}
	return moved;
}

static uint64_t next_deadline(struct nb_loop *loop)
{
	uint64_t next = nb_sim_next_event(loop->sim);

	for (struct nb_agent *a = loop->agents; a; a = a->next) {
		uint64_t d = a->ops->deadline(a->ctx);

		if (d < next)
			next = d;
	}
	return next;
}

static int arm_timer(struct nb_loop *loop, uint64_t when, uint64_t now)
{
	struct itimerspec its = { 0 };
	uint64_t delta;

	if (when == loop->timer_armed_for)
		return 0;
	if (when != NB_DEADLINE_NONE) {
		delta = when > now ? when - now : 1;
		its.it_value.tv_sec = (time_t)(delta / 1000000000u);
		its.it_value.tv_nsec = (long)(delta % 1000000000u);
	}
	if (timerfd_settime(loop->timerfd, 0, &its, NULL) < 0)
		return -errno;
	loop->timer_armed_for = when;
	return 0;
}

static int wait_events(struct nb_loop *loop, int timeout_ms)
{
	struct epoll_event evs[MAX_EVENTS];
	int n = epoll_wait(loop->epfd, evs, MAX_EVENTS, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	/* A callback may remove only its own watch: each fd appears once per batch. */
	for (int i = 0; i < n; i++) {
		struct nb_watch *w = evs[i].data.ptr;

		w->fn(w->ctx, evs[i].events);
	}
	return n;
}

int nb_loop_run(struct nb_loop *loop)
{
	bool realtime = nb_sim_mode(loop->sim) == NB_SIM_REALTIME;
	int ret = 0;

	if (realtime)
		(void)prctl(PR_SET_TIMERSLACK, TIMER_SLACK_NS, 0, 0, 0);
	while (!loop->stop) {
		uint64_t now, next;
		int moved = 0, n;
		bool busy;

		moved = run_due(loop, realtime);
		if (moved < 0)
			return moved;
		for (int pass = 0; pass < MAX_PASSES && !loop->stop; pass++) {
			int r = work_pass(loop);

			if (r < 0)
				return r;
			moved = r;
			if (!r)
				break;
			r = run_due(loop, realtime);
			if (r < 0)
				return r;
		}
		if (loop->stop)
			break;
		loop->stats.iterations++;
		now = nb_sim_now(loop->sim);
		next = next_deadline(loop);
		if (!moved && next <= now && nb_sim_next_event(loop->sim) > now) {
			/* An agent asks for work it then does not do: do not spin on it. */
			next = now + (realtime ? STALL_RETRY_REAL_NS : STALL_RETRY_VIRTUAL_NS);
		}
		busy = moved > 0 || next <= now;
		for (struct nb_agent *a = loop->agents; a; a = a->next)
			if (a->ops->arm)
				a->ops->arm(a->ctx);
		if (!realtime) {
			n = wait_events(loop, busy || next != NB_DEADLINE_NONE ? 0 : -1);
			if (n < 0)
				return n;
			if (n == 0 && !busy && next != NB_DEADLINE_NONE) {
				nb_sim_advance_to(loop->sim, next);
				loop->stats.time_jumps++;
			}
			continue;
		}
		if (!busy) {
			ret = arm_timer(loop, next, now);
			if (ret < 0)
				return ret;
			loop->stats.waits++;
		}
		n = wait_events(loop, busy ? 0 : -1);
		if (n < 0)
			return n;
	}
	return 0;
}
