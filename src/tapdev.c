/* SPDX-License-Identifier: MIT */
#include "src/tapdev.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(char *err, size_t len, int ret, const char *fmt, const char *a, const char *b)
{
	char msg[200];

	snprintf(msg, sizeof(msg), fmt, a, b);
	snprintf(err, len, "%s: %s", msg, strerror(-ret));
	return ret;
}

static int ifreq_ioctl(int sock, unsigned long req, struct ifreq *ifr)
{
	return ioctl(sock, req, ifr) < 0 ? -errno : 0;
}

static void set_sin(struct sockaddr *sa, const uint8_t addr[4])
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	memcpy(&sin.sin_addr, addr, 4);
	memcpy(sa, &sin, sizeof(sin));
}

/* Everything that must happen inside the target namespace. */
static int create_here(const struct nb_tapdev_cfg *cfg, char *err, size_t len)
{
	struct ifreq ifr;
	int fd, sock = -1, ret;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fail(err, len, -errno, "tap %s: /dev/net/tun%s", cfg->name, "");
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", cfg->name);
	ret = ifreq_ioctl(fd, TUNSETIFF, &ifr);
	if (ret < 0) {
		fail(err, len, ret, "tap %s: cannot create the interface (TUNSETIFF)%s",
		     cfg->name, ret == -EBUSY ? " - is the name in use by another device?" : "");
		goto err_fd;
	}
	ret = nb_tapdev_set_carrier(fd, false);
	if (ret < 0) {
		fail(err, len, ret, "tap %s: TUNSETCARRIER%s", cfg->name, "");
		goto err_fd;
	}
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		ret = fail(err, len, -errno, "tap %s: socket%s", cfg->name, "");
		goto err_fd;
	}
	if (cfg->mac) {
		ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
		memcpy(ifr.ifr_hwaddr.sa_data, cfg->mac, 6);
		ret = ifreq_ioctl(sock, SIOCSIFHWADDR, &ifr);
		if (ret < 0) {
			fail(err, len, ret, "tap %s: setting the MAC address%s", cfg->name, "");
			goto err_sock;
		}
	}
	if (cfg->mtu) {
		ifr.ifr_mtu = (int)cfg->mtu;
		ret = ifreq_ioctl(sock, SIOCSIFMTU, &ifr);
		if (ret < 0) {
			fail(err, len, ret, "tap %s: setting the MTU%s", cfg->name, "");
			goto err_sock;
		}
	}
	if (cfg->addr) {
		uint32_t mask = cfg->addr->prefix_len ? ~0u << (32 - cfg->addr->prefix_len) : 0;
		uint8_t m[4] = { (uint8_t)(mask >> 24), (uint8_t)(mask >> 16), (uint8_t)(mask >> 8),
				 (uint8_t)mask };

		set_sin(&ifr.ifr_addr, cfg->addr->addr);
		ret = ifreq_ioctl(sock, SIOCSIFADDR, &ifr);
		if (ret == 0) {
			set_sin(&ifr.ifr_netmask, m);
			ret = ifreq_ioctl(sock, SIOCSIFNETMASK, &ifr);
		}
		if (ret < 0) {
			fail(err, len, ret, "tap %s: setting the IPv4 address%s", cfg->name, "");
			goto err_sock;
		}
	}
	ret = ifreq_ioctl(sock, SIOCGIFFLAGS, &ifr);
	if (ret == 0) {
		ifr.ifr_flags |= IFF_UP;
		ret = ifreq_ioctl(sock, SIOCSIFFLAGS, &ifr);
	}
	if (ret < 0) {
		fail(err, len, ret, "tap %s: bringing the interface up%s", cfg->name, "");
		goto err_sock;
	}
	close(sock);
	return fd;
err_sock:
	close(sock);
err_fd:
	close(fd);
	return ret;
}

int nb_tapdev_open(const struct nb_tapdev_cfg *cfg, char *err, size_t len)
{
	char path[300];
	int self, target, fd, ret;

	if (!cfg->netns)
		return create_here(cfg, err, len);
	snprintf(path, sizeof(path), "/run/netns/%s", cfg->netns);
	target = open(path, O_RDONLY | O_CLOEXEC);
	if (target < 0) {
		ret = -errno;
		snprintf(err, len, "tap %s: network namespace '%s' (%s): %s%s%s", cfg->name,
			 cfg->netns, path, strerror(-ret),
			 ret == -ENOENT ? "; create it with: ip netns add " : "",
			 ret == -ENOENT ? cfg->netns : "");
		return ret;
	}
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		ret = fail(err, len, -errno, "tap %s: /proc/thread-self/ns/net%s", cfg->name, "");
		goto err_target;
	}
	if (setns(target, CLONE_NEWNET) < 0) {
		ret = fail(err, len, -errno, "tap %s: entering network namespace '%s'", cfg->name,
			   cfg->netns);
		goto err_self;
	}
	fd = create_here(cfg, err, len);
	/* Back home whatever happened; failing to return would leave every later socket in the
	 * wrong namespace, so that is fatal for the caller too. */
	if (setns(self, CLONE_NEWNET) < 0) {
		ret = fail(err, len, -errno, "tap %s: returning from network namespace '%s'",
			   cfg->name, cfg->netns);
		if (fd >= 0)
			close(fd);
		goto err_self;
	}
	ret = fd;
err_self:
	close(self);
err_target:
	close(target);
	return ret;
}

int nb_tapdev_set_carrier(int fd, bool on)
{
	int v = on;

	return ioctl(fd, TUNSETCARRIER, &v) < 0 ? -errno : 0;
}
