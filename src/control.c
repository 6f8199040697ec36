/* SPDX-License-Identifier: MIT */
#include "src/control.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "src/loop.h"

#define MAX_CLIENTS 16
#define LINE_MAX_BYTES 1024
#define OUT_MAX_BYTES (1u << 20)

struct client {
	struct nb_control *ctl;
	int fd;
	struct nb_watch watch;
	char in[LINE_MAX_BYTES];
	size_t in_len;
	char *out;
	size_t out_len, out_off;
	bool closing; /* reply pending, then close */
};

struct nb_control {
	struct nb_loop *loop;
	int fd;
	struct nb_watch watch;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	nb_control_fn fn;
	void *ctx;
	struct client *clients[MAX_CLIENTS];
};

static void client_close(struct client *cl)
{
	struct nb_control *ctl = cl->ctl;

	for (int i = 0; i < MAX_CLIENTS; i++)
		if (ctl->clients[i] == cl)
			ctl->clients[i] = NULL;
	nb_loop_watch_remove(&cl->watch);
	close(cl->fd);
	free(cl->out);
	free(cl);
}

/* @return false when the client was closed. */
static bool client_flush(struct client *cl)
{
	while (cl->out_off < cl->out_len) {
		ssize_t n = send(cl->fd, cl->out + cl->out_off, cl->out_len - cl->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			client_close(cl);
			return false;
		}
		cl->out_off += (size_t)n;
	}
	if (cl->out_off == cl->out_len) {
		cl->out_off = cl->out_len = 0;
		if (cl->closing) {
			client_close(cl);
			return false;
		}
	}
	(void)nb_loop_watch_set(&cl->watch, cl->out_len ? EPOLLOUT : (cl->closing ? 0 : EPOLLIN));
	return true;
}

static void client_reply(struct client *cl, const char *data, size_t len)
{
	char *grown;

	if (cl->out_len + len > OUT_MAX_BYTES) {
		/* A client that does not read its replies is dropped, not buffered forever. */
		cl->closing = true;
		cl->out_len = cl->out_off;
		return;
	}
	grown = realloc(cl->out, cl->out_len + len);
	if (!grown) {
		cl->closing = true;
		return;
	}
	cl->out = grown;
	memcpy(cl->out + cl->out_len, data, len);
	cl->out_len += len;
}

static void client_line(struct client *cl, char *line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	size_t n = strlen(line);

	if (n && line[n - 1] == '\r')
		line[n - 1] = '\0';
	f = open_memstream(&buf, &len);
	if (!f) {
		cl->closing = true;
		return;
	}
	cl->ctl->fn(cl->ctl->ctx, line, f);
	fclose(f);
	client_reply(cl, buf, len);
	free(buf);
}

static void client_event(void *ctx, uint32_t events)
{
	struct client *cl = ctx;

	if ((events & EPOLLIN) && !cl->closing) {
		for (;;) {
			ssize_t n = recv(cl->fd, cl->in + cl->in_len, sizeof(cl->in) - cl->in_len,
					 MSG_DONTWAIT);
			char *nl;

			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			if (n <= 0) {
				/* Peer closed or failed: send what is pending, then close. */
				cl->closing = true;
				break;
			}
			cl->in_len += (size_t)n;
			while ((nl = memchr(cl->in, '\n', cl->in_len))) {
				size_t used = (size_t)(nl - cl->in) + 1;

				*nl = '\0';
				client_line(cl, cl->in);
				memmove(cl->in, cl->in + used, cl->in_len - used);
				cl->in_len -= used;
			}
			if (cl->in_len == sizeof(cl->in)) {
				static const char msg[] = "error: line too long\n";

				client_reply(cl, msg, sizeof(msg) - 1);
				cl->closing = true;
				break;
			}
		}
	}
	if (events & (EPOLLERR | EPOLLHUP) && !(events & EPOLLIN))
		cl->closing = true;
	(void)client_flush(cl);
}

static void listen_event(void *ctx, uint32_t events)
{
	struct nb_control *ctl = ctx;

	(void)events;
	for (;;) {
		int fd = accept4(ctl->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct client *cl;
		int slot = -1;

		if (fd < 0)
			return;
		for (int i = 0; i < MAX_CLIENTS; i++)
			if (!ctl->clients[i] && slot < 0)
				slot = i;
		cl = slot >= 0 ? calloc(1, sizeof(*cl)) : NULL;
		if (!cl) {
			static const char msg[] = "error: too many clients\n";

			(void)!send(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			continue;
		}
		cl->ctl = ctl;
		cl->fd = fd;
		if (nb_loop_watch_add(ctl->loop, &cl->watch, fd, EPOLLIN, client_event, cl) < 0) {
			close(fd);
			free(cl);
			continue;
		}
		ctl->clients[slot] = cl;
	}
}

/* Replace the file only if nobody answers on it. */
static int claim_path(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int probe, ret;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe < 0)
		return -errno;
	ret = connect(probe, (const struct sockaddr *)sa, sizeof(*sa));
	close(probe);
	if (ret == 0)
		return -EADDRINUSE;
	return unlink(path) < 0 ? -errno : 0;
}

struct nb_control *nb_control_open(struct nb_loop *loop, const char *path, nb_control_fn fn,
				   void *ctx, char *err, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct nb_control *ctl;
	int ret;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, len, "control socket path too long (at most %zu bytes): %s",
			 sizeof(sa.sun_path) - 1, path);
		return NULL;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	ctl->loop = loop;
	ctl->fn = fn;
	ctl->ctx = ctx;
	snprintf(ctl->path, sizeof(ctl->path), "%s", path);
	ret = claim_path(path, &sa);
	if (ret < 0) {
		snprintf(err, len, "control socket %s: %s", path,
			 ret == -EADDRINUSE ? "another process is listening on it"
			 : ret == -EEXIST ? "exists and is not a socket" : strerror(-ret));
		goto err_free;
	}
	ctl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ctl->fd < 0) {
		ret = -errno;
		goto err_sys;
	}
	if (bind(ctl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ctl->fd, 8) < 0) {
		ret = -errno;
		goto err_fd;
	}
	ret = nb_loop_watch_add(loop, &ctl->watch, ctl->fd, EPOLLIN, listen_event, ctl);
	if (ret < 0)
		goto err_bound;
	return ctl;
err_bound:
	unlink(path);
err_fd:
	close(ctl->fd);
err_sys:
	snprintf(err, len, "control socket %s: %s", path, strerror(-ret));
err_free:
	free(ctl);
	return NULL;
}

void nb_control_close(struct nb_control *ctl)
{
	if (!ctl)
		return;
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *cl = ctl->clients[i];

		if (!cl)
			continue;
		/* Last replies (e.g. to "stop") go out before the socket closes. */
		(void)send(cl->fd, cl->out + cl->out_off, cl->out_len - cl->out_off,
			   MSG_NOSIGNAL | MSG_DONTWAIT);
		client_close(cl);
	}
	nb_loop_watch_remove(&ctl->watch);
	close(ctl->fd);
	unlink(ctl->path);
	free(ctl);
}
