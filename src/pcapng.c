/* SPDX-License-Identifier: MIT */
/*
 * pcapng writer, hand-written: Debian's libpcap (1.10) reads pcapng but its dumper only
 * writes classic pcap, which has one link type per file, no interface names and no
 * per-packet direction. The captures need all three (one interface per observation point
 * or bus, epb_flags inbound/outbound), and the few block types used here are simple to
 * produce; nothing else in Debian writes pcapng from a library.
 */
#include "src/pcapng.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPT_ENDOFOPT 0u
#define OPT_SHB_USERAPPL 4u
#define OPT_IF_NAME 2u
#define OPT_IF_DESCRIPTION 3u
#define OPT_IF_TSRESOL 9u
#define OPT_EPB_FLAGS 2u

/* Option values are padded to 32 bits; keep strings short enough for a block. */
#define MAX_OPT_STR 512u

struct nb_pcapng {
	FILE *f;
	int err;
	uint32_t n_if;
	uint64_t packets;
};

static size_t pad4(size_t n)
{
	return (n + 3u) & ~(size_t)3u;
}

static void put(struct nb_pcapng *p, const void *data, size_t len)
{
	if (p->err || !len)
		return;
	if (fwrite(data, 1, len, p->f) != len)
		p->err = errno ? -errno : -EIO;
}

static void put_u32(struct nb_pcapng *p, uint32_t v)
{
	put(p, &v, sizeof(v));
}

static void put_pad(struct nb_pcapng *p, size_t len)
{
	static const uint8_t zero[4];

	put(p, zero, pad4(len) - len);
}

static size_t str_opt_len(const char *s)
{
	size_t n;

	if (!s)
		return 0;
	n = strnlen(s, MAX_OPT_STR);
	return n ? 4u + pad4(n) : 0;
}

static void put_opt(struct nb_pcapng *p, uint16_t code, const void *val, size_t len)
{
	uint16_t h[2] = { code, (uint16_t)len };

	put(p, h, sizeof(h));
	put(p, val, len);
	put_pad(p, len);
}

static void put_str_opt(struct nb_pcapng *p, uint16_t code, const char *s)
{
	size_t n;

	if (!s)
		return;
	n = strnlen(s, MAX_OPT_STR);
	if (n)
		put_opt(p, code, s, n);
}

struct nb_pcapng *nb_pcapng_open(const char *path, const char *appl)
{
	struct nb_pcapng *p = calloc(1, sizeof(*p));
	size_t opts = str_opt_len(appl);
	uint32_t total;
	uint16_t ver[2] = { 1, 0 };
	uint64_t section_len = UINT64_MAX; /* not given: readers walk the blocks */

	if (!p)
		return NULL;
	p->f = fopen(path, "wb");
	if (!p->f) {
		int e = errno;

		free(p);
		errno = e;
		return NULL;
	}
	if (opts)
		opts += 4; /* opt_endofopt */
	total = (uint32_t)(28u + opts);
	put_u32(p, NB_PCAPNG_BT_SHB);
	put_u32(p, total);
	put_u32(p, NB_PCAPNG_BOM);
	put(p, ver, sizeof(ver));
	put(p, &section_len, sizeof(section_len));
	if (opts) {
		put_str_opt(p, OPT_SHB_USERAPPL, appl);
		put_opt(p, OPT_ENDOFOPT, NULL, 0);
	}
	put_u32(p, total);
	if (p->err) {
		errno = -p->err;
		fclose(p->f);
		free(p);
		return NULL;
	}
	return p;
}

int nb_pcapng_add_if(struct nb_pcapng *p, uint16_t linktype, uint32_t snaplen,
		     const char *name, const char *desc)
{
	uint16_t head[2] = { linktype, 0 };
	uint8_t tsresol[1] = { 9 }; /* 10^-9 s */
	size_t opts = str_opt_len(name) + str_opt_len(desc) + 8u + 4u;
	uint32_t total = (uint32_t)(20u + opts);

	if (p->err)
		return p->err;
	put_u32(p, NB_PCAPNG_BT_IDB);
	put_u32(p, total);
	put(p, head, sizeof(head));
	put_u32(p, snaplen);
	put_str_opt(p, OPT_IF_NAME, name);
	put_str_opt(p, OPT_IF_DESCRIPTION, desc);
	put_opt(p, OPT_IF_TSRESOL, tsresol, sizeof(tsresol));
	put_opt(p, OPT_ENDOFOPT, NULL, 0);
	put_u32(p, total);
	if (p->err)
		return p->err;
	return (int)p->n_if++;
}

int nb_pcapng_write(struct nb_pcapng *p, uint32_t ifid, uint64_t t_ns, const void *data,
		    size_t caplen, size_t origlen, uint32_t flags)
{
	size_t opts = flags ? 8u + 4u : 0u;
	size_t total = 32u + pad4(caplen) + opts;
	uint32_t head[5];

	if (p->err)
		return p->err;
	if (ifid >= p->n_if || origlen < caplen || total > UINT32_MAX || origlen > UINT32_MAX)
		return -EINVAL;
	head[0] = ifid;
	head[1] = (uint32_t)(t_ns >> 32);
	head[2] = (uint32_t)t_ns;
	head[3] = (uint32_t)caplen;
	head[4] = (uint32_t)origlen;
	put_u32(p, NB_PCAPNG_BT_EPB);
	put_u32(p, (uint32_t)total);
	put(p, head, sizeof(head));
	put(p, data, caplen);
	put_pad(p, caplen);
	if (flags) {
		put_opt(p, OPT_EPB_FLAGS, &flags, sizeof(flags));
		put_opt(p, OPT_ENDOFOPT, NULL, 0);
	}
	put_u32(p, (uint32_t)total);
	if (p->err)
		return p->err;
	p->packets++;
	return 0;
}

int nb_pcapng_flush(struct nb_pcapng *p)
{
	if (!p->err && fflush(p->f) != 0)
		p->err = errno ? -errno : -EIO;
	return p->err;
}

int nb_pcapng_close(struct nb_pcapng *p)
{
	int ret;

	if (!p)
		return 0;
	ret = nb_pcapng_flush(p);
	if (fclose(p->f) != 0 && !ret)
		ret = errno ? -errno : -EIO;
	free(p);
	return ret;
}

uint64_t nb_pcapng_packets(const struct nb_pcapng *p)
{
	return p->packets;
}
