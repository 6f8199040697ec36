/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/pcapng.h"
#include "tests/unit/support/test_support.h"

struct file {
	uint8_t *data;
	size_t len;
};

static char path[64];

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/nb-pcapng-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static struct file slurp(void)
{
	struct file f = { 0 };
	FILE *fp = fopen(path, "rb");
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	f.data = malloc((size_t)n + 1);
	assert_non_null(f.data);
	f.len = fread(f.data, 1, (size_t)n, fp);
	assert_int_equal(f.len, (size_t)n);
	fclose(fp);
	return f;
}

static uint32_t u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* Length at both ends, a multiple of 4: @return the block length. */
static size_t check_block(const struct file *f, size_t off, uint32_t type)
{
	uint32_t len;

	assert_true(off + 12 <= f->len);
	assert_int_equal(u32(f->data + off), type);
	len = u32(f->data + off + 4);
	assert_int_equal(len % 4, 0);
	assert_true(off + len <= f->len);
	assert_int_equal(u32(f->data + off + len - 4), len);
	return len;
}

static void test_pcapng_shb_layout(void **state)
{
	struct nb_pcapng *p = nb_pcapng_open(path, "netbench");
	struct file f;
	size_t len;

	(void)state;
	assert_non_null(p);
	assert_int_equal(nb_pcapng_close(p), 0);
	f = slurp();
	len = check_block(&f, 0, NB_PCAPNG_BT_SHB);
	/* 28 fixed bytes + shb_userappl "netbench" (4 + 8) + opt_endofopt (4) */
	assert_int_equal(len, 44);
	assert_int_equal(f.len, 44);
	assert_int_equal(u32(f.data + 8), NB_PCAPNG_BOM);
	assert_int_equal(u16(f.data + 12), 1);
	assert_int_equal(u16(f.data + 14), 0);
	assert_memory_equal(f.data + 16, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
	assert_int_equal(u16(f.data + 24), 4);
	assert_int_equal(u16(f.data + 26), 8);
	assert_memory_equal(f.data + 28, "netbench", 8);
	assert_int_equal(u32(f.data + 36), 0);
	free(f.data);
}

static void test_pcapng_idb_options_padded(void **state)
{
	struct nb_pcapng *p = nb_pcapng_open(path, NULL);
	struct file f;
	size_t off, len;

	(void)state;
	assert_non_null(p);
	assert_int_equal(nb_pcapng_add_if(p, 1, 65535, "host.tx", "d"), 0);
	assert_int_equal(nb_pcapng_add_if(p, 152, 1000, NULL, NULL), 1);
	assert_int_equal(nb_pcapng_close(p), 0);
	f = slurp();
	off = check_block(&f, 0, NB_PCAPNG_BT_SHB);
	assert_int_equal(off, 28); /* no options: no opt_endofopt either */
	len = check_block(&f, off, NB_PCAPNG_BT_IDB);
	/* 20 + if_name (4 + 8) + if_description (4 + 4) + if_tsresol (4 + 4) + end (4) */
	assert_int_equal(len, 52);
	assert_int_equal(u16(f.data + off + 8), 1);
	assert_int_equal(u16(f.data + off + 10), 0);
	assert_int_equal(u32(f.data + off + 12), 65535);
	assert_int_equal(u16(f.data + off + 16), 2);
	assert_int_equal(u16(f.data + off + 18), 7);
	assert_memory_equal(f.data + off + 20, "host.tx\0", 8);
	assert_int_equal(u16(f.data + off + 28), 3);
	assert_int_equal(u16(f.data + off + 30), 1);
	assert_memory_equal(f.data + off + 32, "d\0\0\0", 4);
	assert_int_equal(u16(f.data + off + 36), 9);
	assert_int_equal(u16(f.data + off + 38), 1);
	assert_memory_equal(f.data + off + 40, "\x09\0\0\0", 4);
	assert_int_equal(u32(f.data + off + 44), 0);
	off += len;
	len = check_block(&f, off, NB_PCAPNG_BT_IDB);
	assert_int_equal(len, 32);
	assert_int_equal(u16(f.data + off + 8), 152);
	assert_int_equal(off + len, f.len);
	free(f.data);
}

static void test_pcapng_epb_padding_and_flags(void **state)
{
	struct nb_pcapng *p = nb_pcapng_open(path, NULL);
	const uint8_t five[5] = { 1, 2, 3, 4, 5 };
	uint64_t t = 0x123456789ull;
	struct file f;
	size_t off, len;

	(void)state;
	assert_non_null(p);
	assert_int_equal(nb_pcapng_add_if(p, 1, 65535, NULL, NULL), 0);
	assert_int_equal(nb_pcapng_write(p, 0, t, five, 5, 5, NB_PCAPNG_DIR_OUTBOUND), 0);
	assert_int_equal(nb_pcapng_write(p, 0, t + 1, five, 4, 60, 0), 0);
	assert_int_equal(nb_pcapng_packets(p), 2);
	assert_int_equal(nb_pcapng_close(p), 0);
	f = slurp();
	off = 28;
	off += check_block(&f, off, NB_PCAPNG_BT_IDB);
	len = check_block(&f, off, NB_PCAPNG_BT_EPB);
	/* 32 + data padded to 8 + epb_flags (4 + 4) + end (4) */
	assert_int_equal(len, 52);
	assert_int_equal(u32(f.data + off + 8), 0);
	assert_int_equal(u32(f.data + off + 12), 0x1);
	assert_int_equal(u32(f.data + off + 16), 0x23456789);
	assert_int_equal(u32(f.data + off + 20), 5);
	assert_int_equal(u32(f.data + off + 24), 5);
	assert_memory_equal(f.data + off + 28, "\1\2\3\4\5\0\0\0", 8);
	assert_int_equal(u16(f.data + off + 36), 2);
	assert_int_equal(u16(f.data + off + 38), 4);
	assert_int_equal(u32(f.data + off + 40), NB_PCAPNG_DIR_OUTBOUND);
	assert_int_equal(u32(f.data + off + 44), 0);
	off += len;
	len = check_block(&f, off, NB_PCAPNG_BT_EPB);
	assert_int_equal(len, 36); /* no flags: no options */
	assert_int_equal(u32(f.data + off + 20), 4);
	assert_int_equal(u32(f.data + off + 24), 60);
	assert_int_equal(off + len, f.len);
	free(f.data);
}

static void test_pcapng_libpcap_reads_back(void **state)
{
	struct nb_pcapng *p = nb_pcapng_open(path, "netbench");
	char errbuf[PCAP_ERRBUF_SIZE];
	uint8_t frames[3][61];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *in;

	(void)state;
	assert_non_null(p);
	assert_int_equal(nb_pcapng_add_if(p, 1, 65535, "a", "first"), 0);
	assert_int_equal(nb_pcapng_add_if(p, 1, 65535, "b", "second"), 1);
	for (unsigned i = 0; i < 3; i++) {
		for (unsigned k = 0; k < sizeof(frames[i]); k++)
			frames[i][k] = (uint8_t)(i * 31 + k);
		assert_int_equal(nb_pcapng_write(p, i % 2, 1500000000ull * i + 7,
						 frames[i], 60 + i % 2, 60 + i % 2,
						 i % 2 ? NB_PCAPNG_DIR_INBOUND
						       : NB_PCAPNG_DIR_OUTBOUND), 0);
	}
	assert_int_equal(nb_pcapng_close(p), 0);

	in = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	assert_non_null(in);
	assert_int_equal(pcap_datalink(in), DLT_EN10MB);
	for (unsigned i = 0; i < 3; i++) {
		uint64_t t = 1500000000ull * i + 7;

		assert_int_equal(pcap_next_ex(in, &h, &data), 1);
		assert_int_equal(h->caplen, 60 + i % 2);
		assert_int_equal(h->len, 60 + i % 2);
		assert_int_equal(h->ts.tv_sec, t / 1000000000u);
		assert_int_equal(h->ts.tv_usec, t % 1000000000u);
		assert_memory_equal(data, frames[i], h->caplen);
	}
	assert_int_equal(pcap_next_ex(in, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(in);
}

static void test_pcapng_rejects_bad_arguments(void **state)
{
	struct nb_pcapng *p = nb_pcapng_open(path, NULL);
	uint8_t b[4] = { 0 };

	(void)state;
	assert_non_null(p);
	assert_int_equal(nb_pcapng_write(p, 0, 0, b, 4, 4, 0), -EINVAL); /* no interface yet */
	assert_int_equal(nb_pcapng_add_if(p, 1, 65535, NULL, NULL), 0);
	assert_int_equal(nb_pcapng_write(p, 1, 0, b, 4, 4, 0), -EINVAL);
	assert_int_equal(nb_pcapng_write(p, 0, 0, b, 4, 3, 0), -EINVAL);
	assert_int_equal(nb_pcapng_write(p, 0, 0, b, 4, 4, 0), 0);
	assert_int_equal(nb_pcapng_packets(p), 1);
	assert_int_equal(nb_pcapng_close(p), 0);
	assert_null(nb_pcapng_open("/nonexistent-dir/x.pcapng", NULL));
	assert_int_equal(errno, ENOENT);
}

static void test_pcapng_write_error_reported_on_close(void **state)
{
	struct nb_pcapng *p = nb_pcapng_open("/dev/full", NULL);
	uint8_t b[1500] = { 0 };
	int ret = 0;

	(void)state;
	if (!p)
		skip();
	assert_int_equal(nb_pcapng_add_if(p, 1, 65535, NULL, NULL), 0);
	for (int i = 0; i < 100 && ret == 0; i++)
		ret = nb_pcapng_write(p, 0, 0, b, sizeof(b), sizeof(b), 0);
	/* Buffered writes fail once the buffer is pushed out, and stay failed. */
	assert_int_equal(ret, -ENOSPC);
	assert_int_equal(nb_pcapng_write(p, 0, 0, b, 1, 1, 0), -ENOSPC);
	assert_int_equal(nb_pcapng_close(p), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pcapng_shb_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_idb_options_padded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_epb_padding_and_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_libpcap_reads_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pcapng_rejects_bad_arguments, setup, teardown),
		cmocka_unit_test(test_pcapng_write_error_reported_on_close),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
