/* SPDX-License-Identifier: MIT */
#include "tests/unit/hil/afpacket_emu.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drivers/util/compiler.h"
#include "drivers/util/crc32.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define PKT_MAX 4096u
#define SENT_MAX 64u

/* what travels through the socket pair in front of each frame */
struct pkt_hdr {
	int pkttype;
	int vlan_tci;  /* -1: none */
	uint32_t len;
};

static struct {
	struct emu_afp_opts o;
	struct emu_afp_state st;
	int fd, peer;          /* the backend's end, ours */
	struct { size_t len; uint8_t data[2048]; } sent[SENT_MAX];
	unsigned sent_head, sent_n;
	int fail_errno;
	unsigned fail_count;
	unsigned drops;
	bool rmii_on;
	struct nb_rmii_port rmii;
} A = { .fd = -1, .peer = -1 };

int __real_socket(int domain, int type, int protocol);
int __real_bind(int fd, const struct sockaddr *addr, socklen_t len);
int __real_setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int __real_getsockopt(int fd, int level, int name, void *val, socklen_t *len);
ssize_t __real_recv(int fd, void *buf, size_t len, int flags);
ssize_t __real_recvmsg(int fd, struct msghdr *msg, int flags);
ssize_t __real_sendmsg(int fd, const struct msghdr *msg, int flags);
unsigned int __real_if_nametoindex(const char *name);

int __wrap_socket(int domain, int type, int protocol);
int __wrap_bind(int fd, const struct sockaddr *addr, socklen_t len);
int __wrap_setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int __wrap_getsockopt(int fd, int level, int name, void *val, socklen_t *len);
ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags);
ssize_t __wrap_recvmsg(int fd, struct msghdr *msg, int flags);
ssize_t __wrap_sendmsg(int fd, const struct msghdr *msg, int flags);
unsigned int __wrap_if_nametoindex(const char *name);

static void perr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void perr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(A.st.last_error, sizeof(A.st.last_error), fmt, ap);
	va_end(ap);
	A.st.protocol_errors++;
}

void emu_afp_reset(const struct emu_afp_opts *o)
{
	if (A.peer >= 0)
		close(A.peer);
	memset(&A, 0, sizeof(A));
	A.fd = A.peer = -1;
	if (o)
		A.o = *o;
}

static void queue(const uint8_t *frame, size_t len, int pkttype, int vlan_tci)
{
	uint8_t pkt[sizeof(struct pkt_hdr) + PKT_MAX];
	struct pkt_hdr h = { .pkttype = pkttype, .vlan_tci = vlan_tci, .len = (uint32_t)len };

	if (A.peer < 0 || !A.st.bound)
		return; /* no socket on the interface: the kernel has nobody to give it to */
	if (pkttype == PACKET_OUTGOING && A.st.ignore_outgoing)
		return;
	if (len > PKT_MAX) {
		perr("frame of %zu bytes too long for the emulator", len);
		return;
	}
	memcpy(pkt, &h, sizeof(h));
	memcpy(pkt + sizeof(h), frame, len);
	if (write(A.peer, pkt, sizeof(h) + len) < 0)
		perr("socket pair write: %s", strerror(errno));
	else
		A.st.delivered++;
}

void emu_afp_inject(const uint8_t *frame, size_t len, int pkttype, int vlan_tci)
{
	queue(frame, len, pkttype, vlan_tci);
}

size_t emu_afp_take_sent(uint8_t *buf, size_t cap)
{
	size_t len;

	if (!A.sent_n)
		return 0;
	len = A.sent[A.sent_head].len;
	memcpy(buf, A.sent[A.sent_head].data, len < cap ? len : cap);
	A.sent_head = (A.sent_head + 1) % SENT_MAX;
	A.sent_n--;
	return len;
}

void emu_afp_fail_send(int err, unsigned count)
{
	A.fail_errno = err;
	A.fail_count = count;
}

void emu_afp_add_drops(unsigned n)
{
	A.drops += n;
}

const struct emu_afp_state *emu_afp_state(void)
{
	return &A.st;
}

/* ---- the NIC in front of a PHY model ---------------------------------------------------- */

static void nic_rx(void *ctx)
{
	struct nb_rmii_rx rx;

	(void)ctx;
	while (nb_rmii_rx_peek(&A.rmii, &rx) == 0) {
		/* a NIC checks and strips the FCS; bad frames go to its error counters */
		if (rx.len < 64 || nb_crc32(0, rx.data, rx.len) != NB_CRC32_RESIDUE ||
		    (rx.flags & NB_RMII_RX_ERR))
			A.st.nic_crc_errors++;
		else
			queue(rx.data, rx.len - 4, PACKET_HOST, -1);
		nb_rmii_rx_release(&A.rmii);
	}
}

void emu_afp_connect_rmii(struct nb_rmii_port port)
{
	A.rmii_on = true;
	A.rmii = port;
	if (nb_rmii_set_notify(&A.rmii, nic_rx, NULL) < 0)
		perr("model port refused set_notify");
	if (nb_rmii_set_speed(&A.rmii, 100, true) < 0)
		perr("model port refused set_speed");
}

/* ---- wraps ------------------------------------------------------------------------------- */

int __wrap_socket(int domain, int type, int protocol)
{
	int sv[2];

	if (domain != AF_PACKET)
		return __real_socket(domain, type, protocol);
	if (A.o.deny)
		return errno = EPERM, -1;
	if ((type & 0xF) != SOCK_RAW || protocol != (int)htons(ETH_P_ALL))
		perr("AF_PACKET socket type %d protocol 0x%x", type, protocol);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | (type & (SOCK_NONBLOCK | SOCK_CLOEXEC)), 0,
		       sv) < 0)
		return -1;
	if (A.peer >= 0)
		close(A.peer);
	A.fd = sv[0];
	A.peer = sv[1];
	return A.fd;
}

int __wrap_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	const struct sockaddr_ll *sll = (const struct sockaddr_ll *)(const void *)addr;

	if (fd != A.fd)
		return __real_bind(fd, addr, len);
	if (len < sizeof(*sll) || sll->sll_family != AF_PACKET)
		return errno = EINVAL, -1;
	if (sll->sll_ifindex != EMU_AFP_IFINDEX)
		return errno = ENODEV, -1;
	A.st.bound = true;
	A.st.bound_ifindex = sll->sll_ifindex;
	return 0;
}

int __wrap_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	if (fd != A.fd)
		return __real_setsockopt(fd, level, name, val, len);
	if (level != SOL_PACKET)
		return errno = ENOPROTOOPT, -1;
	switch (name) {
	case PACKET_AUXDATA:
		A.st.auxdata = *(const int *)val != 0;
		return 0;
	case PACKET_IGNORE_OUTGOING:
		if (A.o.old_kernel)
			return errno = ENOPROTOOPT, -1;
		A.st.ignore_outgoing = *(const int *)val != 0;
		return 0;
	case PACKET_ADD_MEMBERSHIP: {
		const struct packet_mreq *mr = val;

		if (mr->mr_ifindex != EMU_AFP_IFINDEX)
			return errno = ENODEV, -1;
		A.st.promisc = mr->mr_type == PACKET_MR_PROMISC;
		return 0;
	}
	default:
		return errno = ENOPROTOOPT, -1;
	}
}

int __wrap_getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	struct tpacket_stats st = { 0 };

	if (fd != A.fd)
		return __real_getsockopt(fd, level, name, val, len);
	if (level != SOL_PACKET || name != PACKET_STATISTICS || *len < sizeof(st))
		return errno = ENOPROTOOPT, -1;
	st.tp_drops = A.drops;
	A.drops = 0; /* the kernel resets them on read */
	memcpy(val, &st, sizeof(st));
	*len = sizeof(st);
	return 0;
}

/* Take one packet off the pair. @return frame length, or -1 with errno. */
static ssize_t take(struct pkt_hdr *h, uint8_t *frame)
{
	uint8_t pkt[sizeof(struct pkt_hdr) + PKT_MAX];
	ssize_t n = __real_recv(A.fd, pkt, sizeof(pkt), MSG_DONTWAIT);

	if (n < (ssize_t)sizeof(*h))
		return n < 0 ? -1 : (errno = EAGAIN, -1);
	memcpy(h, pkt, sizeof(*h));
	memcpy(frame, pkt + sizeof(*h), h->len);
	return (ssize_t)h->len;
}

ssize_t __wrap_recv(int fd, void *buf, size_t len, int flags)
{
	uint8_t frame[PKT_MAX];
	struct pkt_hdr h;
	ssize_t n;

	if (fd != A.fd)
		return __real_recv(fd, buf, len, flags);
	n = take(&h, frame);
	if (n < 0)
		return -1;
	memcpy(buf, frame, (size_t)n < len ? (size_t)n : len);
	return (flags & MSG_TRUNC) ? n : ((size_t)n < len ? n : (ssize_t)len);
}

ssize_t __wrap_recvmsg(int fd, struct msghdr *msg, int flags)
{
	uint8_t frame[PKT_MAX];
	struct pkt_hdr h;
	size_t copied = 0;
	ssize_t n;

	if (fd != A.fd)
		return __real_recvmsg(fd, msg, flags);
	n = take(&h, frame);
	if (n < 0)
		return -1;
	for (size_t i = 0; i < msg->msg_iovlen && copied < (size_t)n; i++) {
		size_t k = msg->msg_iov[i].iov_len;

		if (k > (size_t)n - copied)
			k = (size_t)n - copied;
		memcpy(msg->msg_iov[i].iov_base, frame + copied, k);
		copied += k;
	}
	msg->msg_flags = copied < (size_t)n ? MSG_TRUNC : 0;
	if (msg->msg_name && msg->msg_namelen >= sizeof(struct sockaddr_ll)) {
		struct sockaddr_ll *sll = msg->msg_name;

		memset(sll, 0, sizeof(*sll));
		sll->sll_family = AF_PACKET;
		sll->sll_ifindex = EMU_AFP_IFINDEX;
		sll->sll_pkttype = (unsigned char)h.pkttype;
		msg->msg_namelen = sizeof(*sll);
	}
	if (A.st.auxdata && msg->msg_control &&
	    msg->msg_controllen >= CMSG_SPACE(sizeof(struct tpacket_auxdata))) {
		struct cmsghdr *c = CMSG_FIRSTHDR(msg);
		struct tpacket_auxdata aux = { .tp_len = (uint32_t)n, .tp_snaplen = (uint32_t)n };

		if (h.vlan_tci >= 0) {
			aux.tp_status = TP_STATUS_VLAN_VALID | TP_STATUS_VLAN_TPID_VALID;
			aux.tp_vlan_tci = (uint16_t)h.vlan_tci;
			aux.tp_vlan_tpid = ETH_P_8021Q;
		}
		c->cmsg_level = SOL_PACKET;
		c->cmsg_type = PACKET_AUXDATA;
		c->cmsg_len = CMSG_LEN(sizeof(aux));
		memcpy(CMSG_DATA(c), &aux, sizeof(aux));
		msg->msg_controllen = CMSG_SPACE(sizeof(aux));
	} else {
		msg->msg_controllen = 0;
	}
	return (flags & MSG_TRUNC) ? n : (ssize_t)copied;
}

ssize_t __wrap_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	uint8_t frame[2048 + 4];
	size_t len = 0;

	if (fd != A.fd)
		return __real_sendmsg(fd, msg, flags);
	if (!A.st.bound)
		return errno = ENXIO, -1;
	if (A.fail_count) {
		A.fail_count--;
		return errno = A.fail_errno, -1;
	}
	for (size_t i = 0; i < msg->msg_iovlen; i++) {
		if (len + msg->msg_iov[i].iov_len > 2048)
			return errno = EMSGSIZE, -1;
		memcpy(frame + len, msg->msg_iov[i].iov_base, msg->msg_iov[i].iov_len);
		len += msg->msg_iov[i].iov_len;
	}
	if (len < 14)
		return errno = EINVAL, -1;
	if (A.rmii_on) {
		struct nb_iov iov = { .base = frame, .len = len + 4 };

		/* the NIC appends the FCS and puts the frame on the RMII TX side */
		nb_put_le32(frame + len, nb_crc32(0, frame, len));
		if (nb_rmii_tx(&A.rmii, &iov, 1) == -EAGAIN)
			return errno = EAGAIN, -1;
	} else if (A.sent_n < SENT_MAX) {
		unsigned i = (A.sent_head + A.sent_n++) % SENT_MAX;

		A.sent[i].len = len;
		memcpy(A.sent[i].data, frame, len);
	}
	A.st.sent++;
	queue(frame, len, PACKET_OUTGOING, -1);
	return (ssize_t)len;
}

unsigned int __wrap_if_nametoindex(const char *name)
{
	if (strcmp(name, EMU_AFP_IFNAME) == 0)
		return EMU_AFP_IFINDEX;
	errno = ENODEV;
	return 0;
}
