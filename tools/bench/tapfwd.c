/* SPDX-License-Identifier: MIT */
/*
 * tapfwd: the bare baseline for tools/bench/throughput. Two TAP interfaces, created in two
 * network namespaces exactly as netbench creates them (src/tapdev.c), joined by a plain
 * user-space loop: epoll, read a frame from one side, write it to the other. No stack
 * wrapper, no driver, no bus or chip model, no wire. Backpressure: a frame the other side
 * refuses (EAGAIN) is kept and that direction stops reading until the write goes through.
 *
 *   tapfwd NAME_A NETNS_A ADDR_A/LEN NAME_B NETNS_B ADDR_B/LEN
 *
 * Runs until SIGINT/SIGTERM, then prints the frame counts on stderr. Prints "ready" on
 * stdout once both interfaces are up.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "src/conf.h"
#include "src/tapdev.h"

#define FRAME_MAX 9216

struct side {
	int fd;
	uint8_t held[FRAME_MAX]; /* frame read from this side, not yet written to the other */
	ssize_t held_len;
	unsigned long long frames, errors;
	int events;
};

static int parse_side(char **argv, struct nb_tapdev_cfg *cfg, struct nb_conf_ipv4 *addr,
		      uint8_t *mac)
{
	const char *slash = strchr(argv[2], '/');
	unsigned a, b, c, d, len;

	if (!slash || sscanf(argv[2], "%u.%u.%u.%u/%u", &a, &b, &c, &d, &len) != 5 || a > 255 ||
	    b > 255 || c > 255 || d > 255 || len < 1 || len > 32)
		return -EINVAL;
	addr->addr[0] = (uint8_t)a;
	addr->addr[1] = (uint8_t)b;
	addr->addr[2] = (uint8_t)c;
	addr->addr[3] = (uint8_t)d;
	addr->prefix_len = (uint8_t)len;
	cfg->name = argv[0];
	cfg->netns = argv[1];
	cfg->addr = addr;
	cfg->mac = mac;
	cfg->mtu = 1500;
	return 0;
}

static int set_events(int ep, struct side *s, int idx, int events)
{
	struct epoll_event ev = { .events = (uint32_t)events, .data.u32 = (uint32_t)idx };

	if (s->events == events)
		return 0;
	s->events = events;
	return epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
}

/* Move frames from side @p from to side @p to until one of them would block. */
static void forward(struct side *from, struct side *to)
{
	for (int budget = 64; budget > 0; budget--) {
		if (from->held_len == 0) {
			from->held_len = read(from->fd, from->held, sizeof(from->held));
			if (from->held_len <= 0) {
				from->held_len = 0;
				return;
			}
		}
		if (write(to->fd, from->held, (size_t)from->held_len) < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return; /* keep it; wait for EPOLLOUT on @p to */
			from->errors++;
		} else {
			from->frames++;
		}
		from->held_len = 0;
	}
}

int main(int argc, char **argv)
{
	static struct side sides[2];
	static const uint8_t macs[2][6] = { { 2, 0, 0, 0, 0, 1 }, { 2, 0, 0, 0, 0, 2 } };
	struct nb_tapdev_cfg cfg[2] = { { 0 } };
	struct nb_conf_ipv4 addr[2];
	struct epoll_event ev;
	sigset_t set;
	int ep, sfd;
	char err[512];

	if (argc != 7 || parse_side(argv + 1, &cfg[0], &addr[0], (uint8_t *)macs[0]) < 0 ||
	    parse_side(argv + 4, &cfg[1], &addr[1], (uint8_t *)macs[1]) < 0) {
		fprintf(stderr, "usage: tapfwd NAME_A NETNS_A ADDR_A/LEN NAME_B NETNS_B ADDR_B/LEN\n");
		return 2;
	}
	for (int i = 0; i < 2; i++) {
		sides[i].fd = nb_tapdev_open(&cfg[i], err, sizeof(err));
		if (sides[i].fd < 0) {
			fprintf(stderr, "tapfwd: %s\n", err);
			return 1;
		}
		if (nb_tapdev_set_carrier(sides[i].fd, true) < 0) {
			perror("tapfwd: TUNSETCARRIER");
			return 1;
		}
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0) {
		perror("tapfwd");
		return 1;
	}
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = 2 };
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	for (int i = 0; i < 2; i++) {
		ev = (struct epoll_event){ .events = EPOLLIN, .data.u32 = (uint32_t)i };
		sides[i].events = EPOLLIN;
		epoll_ctl(ep, EPOLL_CTL_ADD, sides[i].fd, &ev);
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct epoll_event evs[8];
		int n = epoll_wait(ep, evs, 8, -1);

		if (n < 0 && errno != EINTR) {
			perror("tapfwd: epoll_wait");
			return 1;
		}
		for (int k = 0; k < n; k++) {
			if (evs[k].data.u32 == 2)
				goto out;
		}
		/* Level-triggered: try both directions, then wait for what each one needs. */
		forward(&sides[0], &sides[1]);
		forward(&sides[1], &sides[0]);
		for (int i = 0; i < 2; i++) {
			struct side *s = &sides[i], *o = &sides[1 - i];

			/* read while our own held frame is gone; watch for room while the other
			 * side's frame waits to be written here */
			if (set_events(ep, s, i, (s->held_len ? 0 : EPOLLIN) |
						   (o->held_len ? EPOLLOUT : 0)) < 0) {
				perror("tapfwd: epoll_ctl");
				return 1;
			}
		}
	}
out:
	fprintf(stderr, "tapfwd: forwarded %llu frames a->b, %llu frames b->a, %llu write errors\n",
		sides[0].frames, sides[1].frames, sides[0].errors + sides[1].errors);
	close(sides[0].fd);
	close(sides[1].fd);
	return 0;
}
