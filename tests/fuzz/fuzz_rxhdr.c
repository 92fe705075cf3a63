// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: ppv_rx_parse() (net-driver/ppv_rxparse.h) on a used
 * receive buffer. Input: posted_len (4 bytes LE), used_len (4 bytes LE), then
 * the bytes the device wrote.
 *
 * The buffer is allocated with exactly min(used_len, posted_len) bytes, so
 * ASan reports any read past what the device could have written. The result
 * is compared with a second, independent reading of the header bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ppv_rxparse.h"

#define CHECK(c)	do { if (!(c)) __builtin_trap(); } while (0)

static u32 le32_at(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* What ppv_rx_parse() must answer, from the raw bytes. */
static int expect(const u8 *b, u32 posted_len, u32 used_len)
{
	u8 flags, gso;
	u16 nbuf;

	if (used_len > posted_len || used_len < 12 + 14)
		return -EMSGSIZE;
	flags = b[0];
	gso = b[1];
	nbuf = b[10] | b[11] << 8;
	/* defined: flags 1, 2, 4; gso 0, 1, 3, 4, 5, each optionally | 0x80 */
	if (flags > 7 || (gso & 0x7f) == 2 || (gso & 0x7f) > 5)
		return -EINVAL;
	(void)nbuf;	/* unwritten without MRG_RXBUF: never judged */
	if ((flags != 0 && flags != 2) || gso != 0)
		return -EPROTO;
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u32 posted_len, used_len, n, pkt_len = 0xdeadbeef;
	u8 *buf;
	int ret;

	if (size < 8)
		return 0;
	posted_len = le32_at(data);
	used_len = le32_at(data + 4);
	data += 8;
	size -= 8;
	n = used_len < posted_len ? used_len : posted_len;
	if (n > 1 << 16)
		return 0;	/* lengths are what matter, not the memory */
	/* exactly n bytes (ASan's malloc(0) too): an over-read is a report */
	buf = malloc(n);
	if (!buf && n)
		return 0;
	memset(buf, 0, n);
	memcpy(buf, data, size < n ? size : n);

	ret = ppv_rx_parse(buf, posted_len, used_len, &pkt_len);
	CHECK(ret == expect(buf, posted_len, used_len));
	if (ret == 0)
		CHECK(pkt_len == used_len - 12 && pkt_len >= 14 &&
		      pkt_len + 12 <= posted_len);
	else
		CHECK(pkt_len == 0xdeadbeef);
	free(buf);
	return 0;
}
