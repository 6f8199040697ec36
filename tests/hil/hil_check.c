/* SPDX-License-Identifier: MIT */
/*
 * nb-hil-check: runs one real-board scenario through hil/ and the real driver, for the hil
 * test suite (the netbench program gets --hil later).
 *
 *   nb-hil-check [--board FILE] [--timeout S] [--verbose] parse|bringup|link|ping
 *
 *   parse    load and check the board file, print what it says
 *   bringup  open the adapters, bring the chip up (CYW43439: firmware running, READY;
 *            LAN8720: PHY identified, reset and configured)
 *   link     bringup, then the link: CYW43439 joins NB_HIL_SSID (NB_HIL_PASSPHRASE for
 *            WPA2); LAN8720 autonegotiates with whatever the cable reaches
 *   ping     link, then ARP + 3 ICMP echoes from NB_HIL_IP to NB_HIL_PEER
 *
 * The board comes from --board or NB_HIL_BOARD. One JSON line on stdout says what happened.
 * Exit: 0 done, 1 the scenario failed (the line says why), 2 usage or board error,
 * 77 a setting the scenario needs is missing (the line names it).
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/cyw43439/cyw43439.h"
#include "drivers/lan8720/lan8720.h"
#include "hil/hil.h"
#include "tests/hil/hil_ping.h"

#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define EXIT_SKIP 77
#define MAX_FDS 16

struct run {
	struct nb_hil_board board;
	struct nb_hil *hil;
	const struct nb_clock *clock;
	struct nb_netdev *dev;
	struct nb_cyw43439 cyw;
	struct nb_lan8720 lan;
	uint64_t deadline;
	uint64_t last_poll;
	int join_result;
	bool joined;
	bool verbose;
};

static void log_line(void *ctx, enum nb_log_level level, const char *src, const char *msg,
		     int64_t a, int64_t b)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };

	(void)ctx;
	fprintf(stderr, "%s: %s: %s a=%lld b=%lld\n", src, names[level & 3], msg, (long long)a,
		(long long)b);
}

static void result(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One JSON object: "ok" plus the caller's members (already JSON, no braces). */
static void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("{\"ok\": %s, ", ok ? "true" : "false");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("}\n");
	fflush(stdout);
}

/* JSON string body: quotes and backslashes escaped, control characters dropped. */
static const char *js(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s && o + 3 < len; s++) {
		if (*s == '"' || *s == '\\')
			buf[o++] = '\\';
		if ((unsigned char)*s >= 0x20)
			buf[o++] = *s;
	}
	buf[o] = '\0';
	return buf;
}

static uint64_t now(const struct run *r)
{
	return nb_clock_now(r->clock);
}

/* One pass of the loop in real time: service the adapters, poll the device when it has
 * work, otherwise sleep in poll() until an fd, the device's deadline or the adapters'. */
static int step(struct run *r)
{
	struct pollfd p[MAX_FDS];
	int fds[MAX_FDS];
	uint64_t t = now(r), dl, d;
	unsigned n;
	int ret;

	ret = nb_hil_work(r->hil);
	if (ret < 0)
		return ret;
	dl = nb_netdev_next_deadline(r->dev);
	if (!(nb_netdev_caps(r->dev) & NB_NETDEV_CAP_IRQ)) {
		d = r->last_poll + (r->dev->poll_interval_ns ? r->dev->poll_interval_ns
							     : NB_NS_PER_MS);
		if (d < dl)
			dl = d;
	}
	if (nb_netdev_work_pending(r->dev) || dl <= t) {
		r->last_poll = t;
		ret = nb_netdev_poll(r->dev, 16);
		return ret < 0 ? ret : 0;
	}
	d = nb_hil_deadline(r->hil);
	if (d < dl)
		dl = d;
	if (r->deadline < dl)
		dl = r->deadline;
	n = nb_hil_fds(r->hil, fds, MAX_FDS);
	if (n > MAX_FDS)
		n = MAX_FDS;
	for (unsigned i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	d = dl > t ? (dl - t + NB_NS_PER_MS - 1) / NB_NS_PER_MS : 0;
	if (poll(p, n, d > 1000 ? 1000 : (int)d) < 0 && errno != EINTR)
		return -errno;
	return 0;
}

static bool expired(const struct run *r)
{
	return now(r) >= r->deadline;
}

/* ---- CYW43439 ----------------------------------------------------------------------------- */

static void on_join(struct nb_cyw43439 *d, int result_code, void *ctx)
{
	struct run *r = ctx;

	(void)d;
	r->join_result = result_code;
	r->joined = true;
}

static int cyw_bringup(struct run *r)
{
	struct nb_cyw43439_cfg c = { 0 };
	enum nb_cyw43439_state st;
	int ret;

	if (nb_hil_cyw43439_cfg(r->hil, &c) < 0 || nb_cyw43439_init(&r->cyw, &c) < 0) {
		result(false, "\"error\": \"driver init refused the board's configuration\"");
		return EXIT_FAIL;
	}
	r->dev = nb_cyw43439_netdev(&r->cyw);
	ret = nb_netdev_open(r->dev);
	if (ret < 0) {
		result(false, "\"error\": \"open: %s\"", strerror(-ret));
		return EXIT_FAIL;
	}
	do {
		ret = step(r);
		st = nb_cyw43439_state(&r->cyw);
	} while (ret == 0 && st == NB_CYW43439_STATE_BOOTING && !expired(r));
	if (st != NB_CYW43439_STATE_READY) {
		char e[300];

		result(false, "\"phase\": \"bringup\", \"state\": \"%s\", \"reason\": \"%s\", "
			      "\"adapter\": \"%s\"", nb_cyw43439_state_name(st),
		       nb_cyw43439_reason_name(nb_cyw43439_reason(&r->cyw)),
		       js(ret < 0 ? nb_hil_last_error(r->hil) : "", e, sizeof(e)));
		return EXIT_FAIL;
	}
	return 0;
}

static int cyw_link(struct run *r)
{
	const char *ssid = getenv("NB_HIL_SSID"), *pass = getenv("NB_HIL_PASSPHRASE");
	struct nb_cyw43439_join_params p = { 0 };
	int ret;

	if (!ssid || !ssid[0]) {
		result(false, "\"skip\": \"NB_HIL_SSID is not set (the network to join)\"");
		return EXIT_SKIP;
	}
	p.ssid = (const uint8_t *)ssid;
	p.ssid_len = strlen(ssid);
	if (pass && pass[0]) {
		p.security = NB_CYW43439_SEC_WPA2_PSK;
		p.passphrase = pass;
		p.passphrase_len = strlen(pass);
	}
	ret = nb_cyw43439_join(&r->cyw, &p, on_join, r);
	if (ret < 0) {
		result(false, "\"phase\": \"join\", \"error\": \"%s\"", strerror(-ret));
		return EXIT_FAIL;
	}
	while (!r->joined && !expired(r) && step(r) == 0)
		;
	if (!r->joined || r->join_result < 0) {
		result(false, "\"phase\": \"join\", \"reason\": \"%s\"",
		       r->joined ? nb_cyw43439_reason_name(nb_cyw43439_reason(&r->cyw))
				 : "timeout");
		return EXIT_FAIL;
	}
	return 0;
}

/* ---- LAN8720 ------------------------------------------------------------------------------ */

static int lan_bringup(struct run *r)
{
	struct nb_lan8720_cfg c = { 0 };
	enum nb_lan8720_state st;
	int ret;

	if (nb_hil_lan8720_cfg(r->hil, &c) < 0 || nb_lan8720_init(&r->lan, &c) < 0) {
		result(false, "\"error\": \"driver init refused the board's configuration\"");
		return EXIT_FAIL;
	}
	r->dev = nb_lan8720_netdev(&r->lan);
	ret = nb_netdev_open(r->dev);
	if (ret < 0) {
		result(false, "\"phase\": \"bringup\", \"error\": \"open: %s (no PHY answered?)\"",
		       strerror(-ret));
		return EXIT_FAIL;
	}
	do {
		ret = step(r);
		st = nb_lan8720_state(&r->lan);
	} while (ret == 0 && (st == NB_LAN8720_ST_HW_RESET || st == NB_LAN8720_ST_PHY_RESET) &&
		 !expired(r));
	if (st != NB_LAN8720_ST_NOLINK && st != NB_LAN8720_ST_RUNNING) {
		result(false, "\"phase\": \"bringup\", \"state\": %d, \"error\": \"%s\"", (int)st,
		       strerror(-nb_lan8720_error(&r->lan)));
		return EXIT_FAIL;
	}
	return 0;
}

static int lan_link(struct run *r)
{
	while (!r->dev->link.up && !expired(r) && step(r) == 0)
		;
	if (!r->dev->link.up) {
		result(false, "\"phase\": \"link\", \"error\": \"no link (cable, partner?)\"");
		return EXIT_FAIL;
	}
	return 0;
}

/* ---- ping ----------------------------------------------------------------------------- */

static uint64_t ping_now(void *ctx)
{
	return now(ctx);
}

static int do_ping(struct run *r)
{
	const char *ip = getenv("NB_HIL_IP"), *peer = getenv("NB_HIL_PEER");
	struct hil_ping p = { .dev = r->dev, .now = ping_now, .now_ctx = r };
	uint64_t next = 0;

	if (!ip || !peer || hil_ping_parse_ip(ip, p.ip) < 0 ||
	    hil_ping_parse_ip(peer, p.peer_ip) < 0) {
		result(false, "\"skip\": \"NB_HIL_IP and NB_HIL_PEER must hold IPv4 addresses "
			      "(this end, the host to ping)\"");
		return EXIT_SKIP;
	}
	memcpy(p.mac, r->dev->mac, 6);
	hil_ping_start(&p);
	while (p.replies < 3 && !expired(r)) {
		if (now(r) >= next) {
			next = now(r) + 500 * NB_NS_PER_MS;
			if (!p.peer_known)
				(void)hil_ping_arp(&p);
			else if (p.next_seq < 10)
				(void)hil_ping_echo(&p);
		}
		if (step(r) < 0)
			break;
	}
	if (p.replies < 3) {
		result(false, "\"phase\": \"ping\", \"arp\": %s, \"replies\": %u, \"sent\": %u, "
			      "\"frames_seen\": %u", p.peer_known ? "true" : "false", p.replies,
		       p.next_seq, p.frames_seen);
		return EXIT_FAIL;
	}
	result(true, "\"command\": \"ping\", \"replies\": %u, \"sent\": %u, \"rtt_ms\": %.3f",
	       p.replies, p.next_seq, (double)p.rtt_ns[p.next_seq - 1] / 1e6);
	return 0;
}

/* ---- main --------------------------------------------------------------------------------- */

static int usage(void)
{
	fprintf(stderr, "usage: nb-hil-check [--board FILE] [--timeout S] [--verbose] "
			"parse|bringup|link|ping\n");
	return EXIT_USAGE;
}

static int scenario(struct run *r, const char *cmd)
{
	bool cyw = r->board.chip == NB_HIL_CHIP_CYW43439;
	int ret = cyw ? cyw_bringup(r) : lan_bringup(r);

	if (ret || strcmp(cmd, "bringup") == 0) {
		if (!ret) {
			char mac[18];
			const uint8_t *m = r->dev->mac;

			snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
				 m[3], m[4], m[5]);
			result(true, "\"command\": \"bringup\", \"chip\": \"%s\", \"mac\": \"%s\"",
			       nb_hil_chip_name(r->board.chip), mac);
		}
		return ret;
	}
	ret = cyw ? cyw_link(r) : lan_link(r);
	if (ret || strcmp(cmd, "link") == 0) {
		if (!ret)
			result(true, "\"command\": \"link\", \"chip\": \"%s\", \"speed\": %u, "
				     "\"full_duplex\": %s",
			       nb_hil_chip_name(r->board.chip), r->dev->link.speed_mbps,
			       r->dev->link.full_duplex ? "true" : "false");
		return ret;
	}
	return do_ping(r);
}

int main(int argc, char **argv)
{
	static struct run r;
	const char *board = getenv("NB_HIL_BOARD"), *cmd = NULL;
	double timeout_s = 20;
	struct nb_log log = { .fn = log_line, .max_level = NB_LOG_WARN };
	char err[1024], e2[1100];
	int ret;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--board") == 0 && i + 1 < argc)
			board = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout_s = atof(argv[++i]);
		else if (strcmp(argv[i], "--verbose") == 0)
			log.max_level = NB_LOG_DEBUG;
		else if (!cmd && argv[i][0] != '-')
			cmd = argv[i];
		else
			return usage();
	}
	if (!cmd || (strcmp(cmd, "parse") && strcmp(cmd, "bringup") && strcmp(cmd, "link") &&
		     strcmp(cmd, "ping")) || timeout_s <= 0)
		return usage();
	if (!board) {
		result(false, "\"error\": \"no board: give --board or set NB_HIL_BOARD\"");
		return EXIT_USAGE;
	}
	if (nb_hil_board_load(board, &r.board, err, sizeof(err)) < 0) {
		result(false, "\"error\": \"%s\"", js(err, e2, sizeof(e2)));
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "parse") == 0) {
		result(true, "\"command\": \"parse\", \"board\": \"%s\", \"chip\": \"%s\"",
		       js(r.board.name, e2, sizeof(e2)), nb_hil_chip_name(r.board.chip));
		return 0;
	}
	ret = nb_hil_open(&r.board, &(struct nb_hil_cfg){ .log = log }, &r.hil, err, sizeof(err));
	if (ret < 0) {
		result(false, "\"phase\": \"open\", \"error\": \"%s\"", js(err, e2, sizeof(e2)));
		return EXIT_FAIL;
	}
	if (log.max_level >= NB_LOG_INFO)
		fprintf(stderr, "hil: %s\n", nb_hil_describe(r.hil));
	r.clock = nb_hil_clock(r.hil);
	r.deadline = now(&r) + (uint64_t)(timeout_s * 1e9);
	ret = scenario(&r, cmd);
	if (r.board.chip == NB_HIL_CHIP_CYW43439 && r.dev)
		nb_cyw43439_deinit(&r.cyw);
	else if (r.dev)
		nb_lan8720_deinit(&r.lan);
	nb_hil_close(r.hil);
	return ret;
}
