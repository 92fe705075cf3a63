// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: ppv_rx_parse() (net-driver/ppv_rxparse.h) on the first
 * used buffer of a received packet, for capabilities from the input too.
 * Input (13 bytes, then the bytes the device wrote):
 *   0  posted_len, 4 bytes LE
 *   4  used_len, 4 bytes LE
 *   8  caps.flags (PPV_NET_HDR_F_* the device may set), any byte
 *   9  caps.gso (bit n: GSO type n allowed), any byte
 *  10  bit 0: caps.ecn, bit 1: caps.mrg, bit 2: caps.hash (the other
 *      bits ignored)
 *  11  caps.max_bufs, 2 bytes LE
 *  13  the buffer
 *
 * The buffer is allocated with exactly min(used_len, posted_len) bytes, so
 * ASan reports any read past what the device could have written. The result,
 * *pkt_len and *num_bufs are compared with expect(), a second reading of
 * the header bytes that recomputes the whole contract of the kernel-doc
 * without calling the parser or using its macros.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ppv_rxparse.h"

#define CHECK(c)	do { if (!(c)) __builtin_trap(); } while (0)
#define PREFIX		13
#define UNSET32		0xdeadbeefu
#define UNSET16		0xbeefu

static u32 le32_at(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static u16 le16_at(const u8 *p)
{
	return p[0] | p[1] << 8;
}

/*
 * What ppv_rx_parse() must answer, from the raw bytes: the return value,
 * and in *nb the buffers it must report (-1: nothing promised). The spec's
 * numbers (virtio 1.x 5.1.6), written out: header 12 bytes (20 with
 * HASH_REPORT, hash_report at 16-17, 0..9 defined), Ethernet 14;
 * flags NEEDS_CSUM 1, DATA_VALID 2, RSC_INFO 4; GSO types 0 (none), 1
 * (TCPv4), 3 (UDP), 4 (TCPv6), 5 (UDP_L4), each with ECN 0x80 or not.
 */
static int expect(const u8 *b, u32 posted_len, u32 used_len,
		  const struct ppv_rx_caps *caps, long *nb)
{
	static const bool gso_defined[128] = { [0] = 1, [1] = 1, [3] = 1,
					       [4] = 1, [5] = 1 };
	u8 flags, type;
	bool ecn, csum, rsc;
	u16 gso_size, nbuf;
	u64 csum_end, frame;
	u32 hl = caps->hash ? 20 : 12;

	*nb = -1;
	/* the lengths alone; the header is not read */
	if (used_len > posted_len || used_len < hl + 14)
		return -EMSGSIZE;

	/* num_buffers (bytes 10-11) counts only with MRG_RXBUF */
	nbuf = le16_at(b + 10);
	if (caps->mrg && (nbuf < 1 || nbuf > caps->max_bufs))
		return -ERANGE;
	*nb = caps->mrg ? nbuf : 1;

	flags = b[0];
	type = b[1] & 0x7f;
	ecn = b[1] & 0x80;
	csum = flags & 1;
	rsc = flags & 4;
	gso_size = le16_at(b + 4);
	/* csum_start (6-7) + csum_offset (8-9) + the 2-byte checksum */
	csum_end = (u64)le16_at(b + 6) + le16_at(b + 8) + 2;
	frame = (u64)used_len - hl;

	/* malformed, whatever was negotiated */
	if (flags > 7 || !gso_defined[type])
		return -EINVAL;
	if (ecn && !type)
		return -EINVAL;
	if (type && !gso_size)
		return -EINVAL;
	if (csum && csum_end > frame)
		return -EINVAL;
	if (caps->hash && le16_at(b + 16) > 9)
		return -EINVAL;

	/* well-formed but not negotiated; DATA_VALID needs nothing */
	if (csum && !(caps->flags & 1))
		return -EPROTO;
	if (rsc && !(caps->flags & 4))
		return -EPROTO;
	if (type && !((caps->gso >> type) & 1))
		return -EPROTO;
	if (ecn && !caps->ecn)
		return -EPROTO;
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u32 posted_len, used_len, n, pkt_len = UNSET32;
	u16 num_bufs = UNSET16;
	struct ppv_rx_caps caps;
	long want_nb;
	u8 *buf;
	int ret, want;

	if (size < PREFIX)
		return 0;
	posted_len = le32_at(data);
	used_len = le32_at(data + 4);
	caps = (struct ppv_rx_caps){
		.flags = data[8],
		.gso = data[9],
		.ecn = data[10] & 1,
		.mrg = data[10] & 2,
		.hash = data[10] & 4,
		.max_bufs = le16_at(data + 11),
	};
	data += PREFIX;
	size -= PREFIX;
	n = used_len < posted_len ? used_len : posted_len;
	if (n > 1 << 16)
		return 0;	/* lengths are what matter, not the memory */
	/* exactly n bytes (ASan's malloc(0) too): an over-read is a report */
	buf = malloc(n);
	if (!buf && n)
		return 0;
	if (n)
		memset(buf, 0, n);
	memcpy(buf, data, size < n ? size : n);

	ret = ppv_rx_parse(buf, posted_len, used_len, &caps, &pkt_len,
			   &num_bufs);
	want = expect(buf, posted_len, used_len, &caps, &want_nb);
	CHECK(ret == want);
	if (ret == 0)
		CHECK(pkt_len == used_len - (caps.hash ? 20 : 12) &&
		      pkt_len >= 14 &&
		      pkt_len + (caps.hash ? 20 : 12) <= posted_len);
	else
		CHECK(pkt_len == UNSET32);
	/* num_bufs: on success and on a refused header (-EINVAL, -EPROTO) */
	if (ret == 0 || ret == -EINVAL || ret == -EPROTO)
		CHECK(num_bufs == want_nb && num_bufs >= 1 &&
		      (!caps.mrg || num_bufs <= caps.max_bufs));
	free(buf);
	return 0;
}
