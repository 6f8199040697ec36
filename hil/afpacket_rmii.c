/* SPDX-License-Identifier: MIT */
/* RMII frame port over an AF_PACKET socket: FCS added on receive, checked and stripped on
 * transmit (host NICs handle the FCS themselves; see afpacket_rmii.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drivers/util/compiler.h"
#include "hil/afpacket_rmii.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define VLAN_TAG_LEN 4u
#define ETH_MIN_NO_FCS 60u
#define FCS_LEN 4u
#define MAX_IOV 8u
/* frames skipped (our own) per rx_peek before giving the loop back */
#define SKIP_MAX 64u

struct nb_afpacket {
	int fd;
	int ifindex;
	struct nb_afpacket_cfg cfg;
	char ifname[IF_NAMESIZE];
	nb_crc32_fn crc32;
	bool ignore_outgoing;        /**< the kernel filters our own frames */
	/* the frame held between rx_peek and rx_release; room for a VLAN tag before it */
	uint8_t buf[VLAN_TAG_LEN + NB_AFPACKET_FRAME_MAX];
	struct nb_rmii_rx held;
	bool holding;
	nb_rmii_notify_fn notify;
	void *notify_ctx;
	uint16_t mbps;
	bool full_duplex;
	uint32_t drops;              /**< PACKET_STATISTICS drops so far */
	int last_tx_errno;
	struct nb_afpacket_stats stats;
	char err[256];
};

static int fail(struct nb_afpacket *a, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct nb_afpacket *a, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
	nb_log(&a->cfg.log, NB_LOG_ERR, "hil.afpacket", a->err, err, 0);
	return err;
}

static struct nb_afpacket *afp_of(void *ctx)
{
	return ctx;
}

/* ---- receive --------------------------------------------------------------------------- */

static void put_fcs(struct nb_afpacket *a, uint8_t *frame, size_t len)
{
	nb_put_le32(frame + len, a->crc32(0, frame, len));
}

/* One frame from the socket into a->held. @return 1 got one, 2 skipped one of ours, 0 none,
 * or negative errno. */
static int receive(struct nb_afpacket *a)
{
	uint8_t *data = a->buf + VLAN_TAG_LEN;
	/* keep room for the FCS we append */
	size_t room = NB_AFPACKET_FRAME_MAX - (a->cfg.nic_keeps_fcs ? 0u : FCS_LEN);
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = data, .iov_len = room };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
	};
	struct tpacket_auxdata *aux = NULL;
	uint32_t flags = 0;
	ssize_t n;
	size_t len;

	n = recvmsg(a->fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		a->stats.rx_errors++;
		return fail(a, -EIO, "%s: recvmsg: %s", a->ifname, strerror(errno));
	}
	if (!a->ignore_outgoing && from.sll_pkttype == PACKET_OUTGOING) {
		a->stats.rx_outgoing_skipped++;
		return 2;
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA &&
		    c->cmsg_len >= CMSG_LEN(sizeof(*aux)))
			aux = (struct tpacket_auxdata *)(void *)CMSG_DATA(c);
	len = (size_t)n;
	if (len > room || (msg.msg_flags & MSG_TRUNC)) {
		len = room;
		flags |= NB_RMII_RX_TRUNC;
		a->stats.rx_truncated++;
	}
	if (aux && (aux->tp_status & TP_STATUS_VLAN_VALID) && len >= 12) {
		/* the NIC stripped the tag into the metadata: the wire carried it at offset 12 */
		uint16_t tpid = (aux->tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux->tp_vlan_tpid
									    : ETH_P_8021Q;

		memmove(a->buf, data, 12);
		data = a->buf;
		nb_put_be16(data + 12, tpid);
		nb_put_be16(data + 14, aux->tp_vlan_tci);
		len += VLAN_TAG_LEN;
		if (len > room) {
			len = room;
			if (!(flags & NB_RMII_RX_TRUNC)) {
				flags |= NB_RMII_RX_TRUNC;
				a->stats.rx_truncated++;
			}
		}
		a->stats.rx_vlan_restored++;
	}
	if (!a->cfg.nic_keeps_fcs) {
		if (len < ETH_MIN_NO_FCS) {
			memset(data + len, 0, ETH_MIN_NO_FCS - len);
			len = ETH_MIN_NO_FCS;
			a->stats.rx_padded++;
		}
		put_fcs(a, data, len);
		len += FCS_LEN;
	}
	a->held.data = data;
	a->held.len = len;
	a->held.flags = flags;
	a->holding = true;
	a->stats.rx_frames++;
	a->stats.rx_bytes += len;
	return 1;
}

static int port_rx_peek(void *ctx, struct nb_rmii_rx *rx)
{
	struct nb_afpacket *a = afp_of(ctx);

	for (unsigned i = 0; !a->holding && i < SKIP_MAX; i++) {
		int r = receive(a);

		if (r < 0)
			return -EAGAIN; /* counted and logged; the port stays usable */
		if (r == 0)
			break;
	}
	if (!a->holding)
		return -EAGAIN;
	*rx = a->held;
	return 0;
}

static void port_rx_release(void *ctx)
{
	afp_of(ctx)->holding = false;
}

/* ---- transmit -------------------------------------------------------------------------- */

static int port_tx(void *ctx, const struct nb_iov *iov, unsigned niov)
{
	struct nb_afpacket *a = afp_of(ctx);
	struct iovec out[MAX_IOV];
	uint8_t fcs[FCS_LEN];
	size_t total = 0, body, pos = 0;
	uint32_t crc = 0;
	unsigned n = 0;
	ssize_t sent;

	if (!niov || niov > MAX_IOV)
		return -EINVAL;
	for (unsigned i = 0; i < niov; i++)
		total += iov[i].len;
	if (total < ETH_MIN_NO_FCS + FCS_LEN || total > NB_AFPACKET_FRAME_MAX)
		return -EINVAL;
	body = total - FCS_LEN;
	/* send the pieces without the trailing FCS, which may span pieces */
	for (unsigned i = 0; i < niov; i++) {
		size_t take = pos < body ? NB_MIN(iov[i].len, body - pos) : 0;

		if (take) {
			out[n].iov_base = (void *)(uintptr_t)iov[i].base;
			out[n].iov_len = take;
			crc = a->crc32(crc, iov[i].base, take);
			n++;
		}
		for (size_t k = take; k < iov[i].len; k++)
			fcs[pos + k - body] = iov[i].base[k];
		pos += iov[i].len;
	}
	if (nb_get_le32(fcs) != crc) {
		/* a NIC would send it with a fresh, correct FCS: the partner would see a good
		 * frame the driver never produced */
		a->stats.tx_bad_fcs++;
		return 0;
	}
	sent = sendmsg(a->fd, &(struct msghdr){ .msg_iov = out, .msg_iovlen = n }, MSG_DONTWAIT);
	if (sent < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
			a->stats.tx_busy++;
			return -EAGAIN;
		}
		a->stats.tx_errors++;
		if (errno != a->last_tx_errno) {
			a->last_tx_errno = errno;
			fail(a, -EIO, "%s: sendmsg: %s (frame lost)", a->ifname, strerror(errno));
		}
		return 0;
	}
	a->stats.tx_frames++;
	a->stats.tx_bytes += (size_t)sent;
	return 0;
}

static int port_tx_space(void *ctx)
{
	struct pollfd p = { .fd = afp_of(ctx)->fd, .events = POLLOUT };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLOUT) ? 1 : 0;
}

static int port_set_notify(void *ctx, nb_rmii_notify_fn fn, void *fn_ctx)
{
	struct nb_afpacket *a = afp_of(ctx);

	a->notify = fn;
	a->notify_ctx = fn_ctx;
	return 0;
}

static int port_set_speed(void *ctx, uint16_t mbps, bool full_duplex)
{
	struct nb_afpacket *a = afp_of(ctx);

	if (mbps != 10 && mbps != 100)
		return -EINVAL;
	a->mbps = mbps;
	a->full_duplex = full_duplex;
	return 0;
}

static uint32_t port_rx_dropped(void *ctx)
{
	struct nb_afpacket *a = afp_of(ctx);
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	/* reading the statistics resets the kernel's counters: keep the sum */
	if (getsockopt(a->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		a->drops += st.tp_drops;
	return a->drops;
}

static const struct nb_rmii_ops afpacket_ops = {
	.tx = port_tx,
	.tx_space = port_tx_space,
	.rx_peek = port_rx_peek,
	.rx_release = port_rx_release,
	.set_notify = port_set_notify,
	.set_speed = port_set_speed,
	.rx_dropped = port_rx_dropped,
};

/* ---- open ------------------------------------------------------------------------------ */

static int setup_socket(struct nb_afpacket *a)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int one = 1;
	uint8_t junk[64];

	a->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (a->fd < 0) {
		if (errno == EPERM || errno == EACCES)
			return fail(a, -EPERM, "%s: AF_PACKET socket: %s (needs CAP_NET_RAW: run as "
				    "root or setcap cap_net_raw+ep)", a->ifname, strerror(errno));
		return fail(a, -EIO, "%s: AF_PACKET socket: %s", a->ifname, strerror(errno));
	}
	sll.sll_ifindex = a->ifindex;
	if (bind(a->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return fail(a, errno == ENODEV ? -ENODEV : -EIO, "%s: bind: %s", a->ifname,
			    strerror(errno));
	if (setsockopt(a->fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0)
		return fail(a, -EIO, "%s: PACKET_AUXDATA: %s", a->ifname, strerror(errno));
	a->ignore_outgoing =
		setsockopt(a->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) == 0;
	if (a->cfg.promisc) {
		struct packet_mreq mr = { .mr_ifindex = a->ifindex, .mr_type = PACKET_MR_PROMISC };

		if (setsockopt(a->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
			return fail(a, -EIO, "%s: promiscuous mode: %s", a->ifname,
				    strerror(errno));
	}
	/* frames from every interface may have queued between socket() and bind() */
	for (unsigned i = 0; i < 4096; i++)
		if (recv(a->fd, junk, sizeof(junk), MSG_DONTWAIT | MSG_TRUNC) < 0)
			break;
	(void)port_rx_dropped(a);
	a->drops = 0;
	return 0;
}

int nb_afpacket_open(const struct nb_afpacket_cfg *cfg, struct nb_afpacket **out, char *err,
		     size_t errlen)
{
	struct nb_afpacket *a;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	if (!out || !cfg || !cfg->ifname || !cfg->ifname[0] ||
	    strlen(cfg->ifname) >= IF_NAMESIZE) {
		if (err)
			snprintf(err, errlen, "afpacket: no (valid) interface name given");
		return -EINVAL;
	}
	*out = NULL;
	a = calloc(1, sizeof(*a));
	if (!a) {
		if (err)
			snprintf(err, errlen, "afpacket: out of memory");
		return -ENOMEM;
	}
	a->fd = -1;
	a->cfg = *cfg;
	a->cfg.log.fn = NULL; /* open failures go to err; the log is for later ones */
	snprintf(a->ifname, sizeof(a->ifname), "%s", cfg->ifname);
	a->cfg.ifname = a->ifname;
	a->crc32 = cfg->crc32 ? cfg->crc32 : nb_crc32;
	a->ifindex = (int)if_nametoindex(a->ifname);
	if (!a->ifindex) {
		ret = fail(a, -ENODEV, "no network interface '%s'", a->ifname);
		goto err_if;
	}
	ret = setup_socket(a);
	if (ret < 0)
		goto err_sock;
	a->cfg.log = cfg->log;
	*out = a;
	return 0;

err_sock:
	if (a->fd >= 0)
		close(a->fd);
err_if:
	if (err)
		snprintf(err, errlen, "%s", a->err);
	free(a);
	return ret;
}

void nb_afpacket_close(struct nb_afpacket *a)
{
	if (!a)
		return;
	close(a->fd);
	free(a);
}

struct nb_rmii_port nb_afpacket_rmii(struct nb_afpacket *a)
{
	struct nb_rmii_port p = { .ops = &afpacket_ops, .ctx = a };

	return p;
}

int nb_afpacket_fd(const struct nb_afpacket *a)
{
	return a->fd;
}

int nb_afpacket_service(struct nb_afpacket *a)
{
	if (!a->notify)
		return 0;
	a->notify(a->notify_ctx);
	return 1;
}

uint16_t nb_afpacket_speed(const struct nb_afpacket *a, bool *full_duplex)
{
	if (full_duplex)
		*full_duplex = a->full_duplex;
	return a->mbps;
}

const struct nb_afpacket_stats *nb_afpacket_stats(const struct nb_afpacket *a)
{
	return &a->stats;
}

const char *nb_afpacket_last_error(const struct nb_afpacket *a)
{
	return a->err;
}
