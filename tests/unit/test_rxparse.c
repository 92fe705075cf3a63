// SPDX-License-Identifier: GPL-2.0
/*
 * ppv_rx_parse(): which used receive buffers the driver accepts, for the
 * capabilities it negotiated (struct ppv_rx_caps), and what it reports in
 * *pkt_len and *num_bufs.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ppv_rxparse.h"
#include "tap.h"
#include "unit.h"

#define POSTED	1526	/* header + a 1514-byte frame */
#define UNSET32	0xdeadbeefu
#define UNSET16	0xbeefu

static u8 buf[POSTED];

/* nothing negotiated: the first ppvnet, virtio 1.x without offloads */
static const struct ppv_rx_caps caps_none = { .max_bufs = 256 };
/* everything the parser knows of */
static const struct ppv_rx_caps caps_all = {
	.flags = PPV_NET_HDR_F_NEEDS_CSUM | PPV_NET_HDR_F_RSC_INFO,
	.gso = 1u << PPV_NET_HDR_GSO_TCPV4 | 1u << PPV_NET_HDR_GSO_UDP |
	       1u << PPV_NET_HDR_GSO_TCPV6 | 1u << PPV_NET_HDR_GSO_UDP_L4,
	.ecn = true,
	.mrg = true,
	.max_bufs = 256,
};

static u32 pkt_len;
static u16 num_bufs;

/* A clean header: no flags, no GSO, one buffer; the frame poisoned. */
static struct ppv_net_hdr *hdr_reset(void)
{
	struct ppv_net_hdr *h = (struct ppv_net_hdr *)buf;

	memset(buf, 0xa5, sizeof(buf));
	memset(h, 0, sizeof(*h));
	h->num_buffers = cpu_to_le16(1);
	return h;
}

/* Parse with the outputs reset to values the parser never writes. */
static int parse_caps(u32 used_len, const struct ppv_rx_caps *caps)
{
	pkt_len = UNSET32;
	num_bufs = UNSET16;
	return ppv_rx_parse(buf, POSTED, used_len, caps, &pkt_len, &num_bufs);
}

static int parse(u32 used_len)
{
	return parse_caps(used_len, &caps_none);
}

/* accepted: pkt_len the frame bytes, num_bufs @n */
static bool ok_with(int ret, u32 used_len, u16 n)
{
	return CHECK(ret == 0) && CHECK(pkt_len == used_len - PPV_NET_HDR_LEN) &&
	       CHECK(num_bufs == n);
}

/* refused with @err after reading num_buffers: num_bufs @n, pkt_len unset */
static bool refused_with(int ret, int err, u16 n)
{
	return CHECK(ret == err) && CHECK(pkt_len == UNSET32) &&
	       CHECK(num_bufs == n);
}

static void test_layout(void)
{
	/* the device's layout, struct virtio_net_hdr_v1 */
	CHECK(sizeof(struct ppv_net_hdr) == PPV_NET_HDR_LEN);
	CHECK(offsetof(struct ppv_net_hdr, gso_type) == 1);
	CHECK(offsetof(struct ppv_net_hdr, hdr_len) == 2);
	CHECK(offsetof(struct ppv_net_hdr, gso_size) == 4);
	CHECK(offsetof(struct ppv_net_hdr, csum_start) == 6);
	CHECK(offsetof(struct ppv_net_hdr, csum_offset) == 8);
	CHECK(offsetof(struct ppv_net_hdr, num_buffers) == 10);
	tap_result("rx parse: struct ppv_net_hdr is the 12-byte virtio_net_hdr_v1");
}

static void test_good(void)
{
	struct ppv_net_hdr *h = hdr_reset();

	ok_with(parse(12 + 60), 12 + 60, 1);
	ok_with(parse(POSTED), POSTED, 1);
	/* the shortest: a bare Ethernet header */
	ok_with(parse(12 + 14), 12 + 14, 1);
	h->flags = PPV_NET_HDR_F_DATA_VALID;
	ok_with(parse(100), 100, 1);
	/* fields that only matter with offloads are ignored */
	h->hdr_len = cpu_to_le16(54);
	h->csum_start = cpu_to_le16(0xffff);
	h->csum_offset = cpu_to_le16(0xffff);
	h->gso_size = cpu_to_le16(1448);
	ok_with(parse(100), 100, 1);
	/* and so it is with everything negotiated */
	h->num_buffers = cpu_to_le16(1);
	ok_with(parse_caps(100, &caps_all), 100, 1);
	tap_result("rx parse: accepts flags 0 or DATA_VALID, pkt_len = used_len - 12, num_bufs 1");
}

/* Without MRG_RXBUF num_buffers is never read: whatever the page held. */
static void test_num_buffers_ignored(void)
{
	static const u16 poison[] = { 0, 2, 0xcccc, 0xa5a5, 0xffff, 257 };
	struct ppv_rx_caps caps = caps_all;
	struct ppv_net_hdr *h;
	unsigned int i;

	caps.mrg = false;
	caps.max_bufs = 4;
	for (i = 0; i < sizeof(poison) / sizeof(poison[0]); i++) {
		h = hdr_reset();
		h->num_buffers = cpu_to_le16(poison[i]);
		ok_with(parse(100), 100, 1);
		ok_with(parse_caps(100, &caps), 100, 1);
		/* refused for something else: still one buffer */
		h->flags = PPV_NET_HDR_F_NEEDS_CSUM;
		h->csum_offset = cpu_to_le16(16);
		refused_with(parse(100), -EPROTO, 1);
		h->flags = 8;
		refused_with(parse_caps(100, &caps), -EINVAL, 1);
	}
	/* the whole field poisoned, as the debug kernel's pages are */
	h = hdr_reset();
	memset(&h->num_buffers, 0x6b, sizeof(h->num_buffers));
	ok_with(parse(POSTED), POSTED, 1);
	tap_result("rx parse: without MRG_RXBUF num_buffers is ignored (0, poison, > max_bufs), num_bufs 1");
}

static void test_num_buffers_mrg(void)
{
	struct ppv_rx_caps caps = caps_none;
	struct ppv_net_hdr *h = hdr_reset();

	caps.mrg = true;
	caps.max_bufs = 64;
	h->num_buffers = cpu_to_le16(1);
	ok_with(parse_caps(100, &caps), 100, 1);
	h->num_buffers = cpu_to_le16(17);
	ok_with(parse_caps(POSTED, &caps), POSTED, 17);
	h->num_buffers = cpu_to_le16(64);			/* max_bufs */
	ok_with(parse_caps(100, &caps), 100, 64);
	h->num_buffers = cpu_to_le16(65);			/* max_bufs + 1 */
	CHECK(parse_caps(100, &caps) == -ERANGE && pkt_len == UNSET32);
	h->num_buffers = 0;
	CHECK(parse_caps(100, &caps) == -ERANGE && pkt_len == UNSET32);
	h->num_buffers = cpu_to_le16(0xffff);
	CHECK(parse_caps(100, &caps) == -ERANGE);
	/* little endian: 0x0100 is 256, not 1 */
	h->num_buffers = cpu_to_le16(0x100);
	CHECK(parse_caps(100, &caps) == -ERANGE);
	caps.max_bufs = 256;
	ok_with(parse_caps(100, &caps), 100, 256);
	/* the largest ring */
	caps.max_bufs = 32768;
	h->num_buffers = cpu_to_le16(32768);
	ok_with(parse_caps(100, &caps), 100, 32768);
	h->num_buffers = cpu_to_le16(32769);
	CHECK(parse_caps(100, &caps) == -ERANGE);
	caps.max_bufs = 1;
	h->num_buffers = cpu_to_le16(1);
	ok_with(parse_caps(100, &caps), 100, 1);
	h->num_buffers = cpu_to_le16(2);
	CHECK(parse_caps(100, &caps) == -ERANGE);
	tap_result("rx parse: with MRG_RXBUF num_buffers 0 and > max_bufs are -ERANGE, 1..max_bufs reported in num_bufs");

	/* checked before the flags: -ERANGE wins over -EINVAL and -EPROTO */
	caps.max_bufs = 8;
	h = hdr_reset();
	h->num_buffers = 0;
	h->flags = 0x80;
	CHECK(parse_caps(100, &caps) == -ERANGE);
	h->gso_type = 2;
	h->num_buffers = cpu_to_le16(9);
	CHECK(parse_caps(100, &caps) == -ERANGE);
	h = hdr_reset();
	h->gso_type = PPV_NET_HDR_GSO_TCPV4;		/* not negotiated */
	h->gso_size = cpu_to_le16(1448);
	h->num_buffers = cpu_to_le16(9);
	CHECK(parse_caps(100, &caps) == -ERANGE);
	/* a count in range comes out with the refusal, for the drain */
	h->num_buffers = cpu_to_le16(8);
	refused_with(parse_caps(100, &caps), -EPROTO, 8);
	h->flags = 0x40;
	refused_with(parse_caps(100, &caps), -EINVAL, 8);
	h = hdr_reset();
	h->num_buffers = cpu_to_le16(3);
	h->gso_type = PPV_NET_HDR_GSO_ECN;
	refused_with(parse_caps(100, &caps), -EINVAL, 3);
	h->gso_type = PPV_NET_HDR_GSO_UDP;
	refused_with(parse_caps(100, &caps), -EINVAL, 3);	/* gso_size 0 */
	h = hdr_reset();
	h->num_buffers = cpu_to_le16(5);
	h->flags = PPV_NET_HDR_F_NEEDS_CSUM;
	h->csum_offset = cpu_to_le16(100);
	refused_with(parse_caps(100, &caps), -EINVAL, 5);	/* past the end */
	h->csum_offset = cpu_to_le16(16);
	refused_with(parse_caps(100, &caps), -EPROTO, 5);	/* not negotiated */
	tap_result("rx parse: num_buffers checked before the flags; num_bufs set on -EINVAL and -EPROTO");
}

static void test_lengths(void)
{
	u32 len = UNSET32;
	u16 n = UNSET16;
	u8 *small;

	hdr_reset();
	CHECK(parse(12 + 13) == -EMSGSIZE && pkt_len == UNSET32);
	CHECK(parse(0) == -EMSGSIZE);
	CHECK(parse(POSTED + 1) == -EMSGSIZE);
	CHECK(parse(0xffffffff) == -EMSGSIZE);
	CHECK(parse_caps(POSTED + 1, &caps_all) == -EMSGSIZE);
	CHECK(ppv_rx_parse(buf, 20, 26, &caps_none, &len, &n) == -EMSGSIZE);
	CHECK(ppv_rx_parse(buf, 26, 26, &caps_none, &len, &n) == 0 && len == 14);
	len = UNSET32;
	CHECK(ppv_rx_parse(buf, 26, 27, &caps_none, &len, &n) == -EMSGSIZE);
	CHECK(len == UNSET32);
	/* too short to hold a header: it is not even read (ASan watches) */
	small = malloc(5);
	if (small) {
		memset(small, 0xff, 5);
		CHECK(ppv_rx_parse(small, 5, 5, &caps_all, &len, &n) ==
		      -EMSGSIZE);
		free(small);
	}
	CHECK(ppv_rx_parse(NULL, 0, 0, &caps_all, &len, &n) == -EMSGSIZE);
	CHECK(ppv_rx_parse(NULL, 0, 25, &caps_all, &len, &n) == -EMSGSIZE);
	CHECK(len == UNSET32);
	tap_result("rx parse: -EMSGSIZE below header + ETH_HLEN or above posted, header unread");
}

/* Spec-defined, well-formed, but not negotiated: -EPROTO. */
static void test_not_negotiated(void)
{
	static const u8 types[] = { PPV_NET_HDR_GSO_TCPV4, PPV_NET_HDR_GSO_UDP,
				    PPV_NET_HDR_GSO_TCPV6,
				    PPV_NET_HDR_GSO_UDP_L4 };
	struct ppv_rx_caps caps;
	struct ppv_net_hdr *h;
	unsigned int t, bit;

	/* NEEDS_CSUM without GUEST_CSUM, its position well inside */
	h = hdr_reset();
	h->flags = PPV_NET_HDR_F_NEEDS_CSUM;
	h->csum_start = cpu_to_le16(34);
	h->csum_offset = cpu_to_le16(16);
	refused_with(parse(100), -EPROTO, 1);
	caps = caps_all;
	caps.flags = PPV_NET_HDR_F_RSC_INFO;		/* the other flag only */
	refused_with(parse_caps(100, &caps), -EPROTO, 1);
	caps.flags = PPV_NET_HDR_F_NEEDS_CSUM;
	ok_with(parse_caps(100, &caps), 100, 1);
	h->flags |= PPV_NET_HDR_F_DATA_VALID;
	ok_with(parse_caps(100, &caps), 100, 1);
	/* RSC_INFO without RSC_EXT, with or without DATA_VALID */
	h = hdr_reset();
	h->flags = PPV_NET_HDR_F_RSC_INFO | PPV_NET_HDR_F_DATA_VALID;
	refused_with(parse(100), -EPROTO, 1);
	caps = caps_all;
	caps.flags = PPV_NET_HDR_F_NEEDS_CSUM;
	refused_with(parse_caps(100, &caps), -EPROTO, 1);
	caps.flags = PPV_NET_HDR_F_RSC_INFO;
	ok_with(parse_caps(100, &caps), 100, 1);
	/* DATA_VALID needs no feature */
	caps.flags = 0;
	h->flags = PPV_NET_HDR_F_DATA_VALID;
	ok_with(parse_caps(100, &caps), 100, 1);
	tap_result("rx parse: NEEDS_CSUM without GUEST_CSUM, RSC_INFO without RSC_EXT are -EPROTO; DATA_VALID always allowed");

	/* each GSO type is allowed by its own bit, and no other */
	for (t = 0; t < sizeof(types); t++) {
		for (bit = 0; bit < 8; bit++) {
			int want = bit == types[t] ? 0 : -EPROTO;

			caps = caps_all;
			caps.gso = 1u << bit;
			h = hdr_reset();
			h->gso_type = types[t];
			h->gso_size = cpu_to_le16(1448);
			if (!CHECK(parse_caps(100, &caps) == want))
				tap_diag("gso_type %u, caps.gso %#x", types[t],
					 caps.gso);
			/* all the others, not this one */
			caps.gso = (u8)~(1u << types[t]);
			CHECK(parse_caps(100, &caps) == -EPROTO);
			/* and nothing at all */
			refused_with(parse(100), -EPROTO, 1);
		}
	}
	/* TSO4 without GUEST_TSO4, as ppv_rx_set_caps() builds it */
	caps = caps_none;
	caps.flags = PPV_NET_HDR_F_NEEDS_CSUM;
	caps.gso = 1u << PPV_NET_HDR_GSO_TCPV6;
	h = hdr_reset();
	h->gso_type = PPV_NET_HDR_GSO_TCPV4;
	h->gso_size = cpu_to_le16(1448);
	refused_with(parse_caps(100, &caps), -EPROTO, 1);
	h->gso_type = PPV_NET_HDR_GSO_TCPV6;
	ok_with(parse_caps(100, &caps), 100, 1);
	tap_result("rx parse: a GSO type is -EPROTO unless its own bit is in caps.gso (TSO4 without GUEST_TSO4)");

	/* ECN without GUEST_ECN, on a GSO type that is negotiated */
	caps = caps_all;
	caps.ecn = false;
	h = hdr_reset();
	h->gso_type = PPV_NET_HDR_GSO_TCPV4 | PPV_NET_HDR_GSO_ECN;
	h->gso_size = cpu_to_le16(1448);
	refused_with(parse_caps(100, &caps), -EPROTO, 1);
	h->gso_type = PPV_NET_HDR_GSO_TCPV6 | PPV_NET_HDR_GSO_ECN;
	refused_with(parse_caps(100, &caps), -EPROTO, 1);
	caps.ecn = true;
	ok_with(parse_caps(100, &caps), 100, 1);
	/* ECN allowed does not allow the type it comes with */
	caps.gso = 1u << PPV_NET_HDR_GSO_TCPV4;
	refused_with(parse_caps(100, &caps), -EPROTO, 1);
	h->gso_type = PPV_NET_HDR_GSO_TCPV4 | PPV_NET_HDR_GSO_ECN;
	ok_with(parse_caps(100, &caps), 100, 1);
	tap_result("rx parse: GSO_ECN without GUEST_ECN is -EPROTO, and ECN does not allow its GSO type");
}

/* Malformed whatever was negotiated: -EINVAL, before -EPROTO. */
static void test_malformed(void)
{
	struct ppv_rx_caps caps = caps_all;
	struct ppv_net_hdr *h;
	unsigned int v;

	/* ECN marks a GSO packet: with GSO_NONE it means nothing */
	h = hdr_reset();
	h->gso_type = PPV_NET_HDR_GSO_ECN;
	h->gso_size = cpu_to_le16(1448);
	refused_with(parse_caps(100, &caps), -EINVAL, 1);
	refused_with(parse(100), -EINVAL, 1);	/* not -EPROTO */
	tap_result("rx parse: GSO_ECN with GSO_NONE is -EINVAL, even with GUEST_ECN");

	/* GSO without a segment size */
	for (v = 1; v <= PPV_NET_HDR_GSO_UDP_L4; v++) {
		if (v == 2)
			continue;
		h = hdr_reset();
		h->gso_type = v;
		h->gso_size = 0;
		refused_with(parse_caps(100, &caps), -EINVAL, 1);
		h->gso_type = v | PPV_NET_HDR_GSO_ECN;
		refused_with(parse_caps(100, &caps), -EINVAL, 1);
		/* not negotiated either: still malformed first */
		refused_with(parse(100), -EINVAL, 1);
		h->gso_size = cpu_to_le16(1);
		ok_with(parse_caps(100, &caps), 100, 1);
		h->gso_size = cpu_to_le16(0xffff);
		ok_with(parse_caps(100, &caps), 100, 1);
		/* 0x100 is 256 in little endian, nonzero either way */
		h->gso_size = cpu_to_le16(0x100);
		ok_with(parse_caps(100, &caps), 100, 1);
	}
	/* without GSO the size is not looked at */
	h = hdr_reset();
	h->gso_size = 0;
	ok_with(parse_caps(100, &caps), 100, 1);
	tap_result("rx parse: GSO with gso_size 0 is -EINVAL (before -EPROTO), any other size accepted");

	/* flag bits and GSO types the spec does not define, all of them */
	for (v = 0; v < 256; v++) {
		bool defined = !(v & ~7u);

		h = hdr_reset();
		h->flags = v;
		h->csum_offset = cpu_to_le16(6);	/* for NEEDS_CSUM */
		if (!CHECK(parse_caps(100, &caps) == (defined ? 0 : -EINVAL)))
			tap_diag("flags %#x", v);
		if (!defined)
			refused_with(parse(100), -EINVAL, 1);
	}
	for (v = 0; v < 256; v++) {
		unsigned int t = v & ~PPV_NET_HDR_GSO_ECN;
		bool defined = t == 0 || t == 1 || t == 3 || t == 4 || t == 5;
		int want = !defined || v == PPV_NET_HDR_GSO_ECN ? -EINVAL : 0;

		h = hdr_reset();
		h->gso_type = v;
		h->gso_size = cpu_to_le16(1448);
		if (!CHECK(parse_caps(100, &caps) == want))
			tap_diag("gso_type %#x", v);
		if (!defined)
			refused_with(parse(100), -EINVAL, 1);
	}
	tap_result("rx parse: -EINVAL for each flag bit and GSO type the spec does not define (all 256 of each)");
}

/*
 * NEEDS_CSUM: the 16-bit checksum at csum_start + csum_offset lies in the
 * frame bytes of this buffer (used_len - 12): the last two are the last
 * place it may be.
 */
static void test_csum_position(void)
{
	static const u32 lens[] = { 26, 27, 100, POSTED };
	struct ppv_rx_caps caps = caps_all;
	struct ppv_net_hdr *h;
	unsigned int i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		u32 used = lens[i], frame = used - PPV_NET_HDR_LEN;

		h = hdr_reset();
		h->flags = PPV_NET_HDR_F_NEEDS_CSUM;
		/* exactly at the end: accepted, however split */
		h->csum_start = cpu_to_le16(frame - 2);
		h->csum_offset = 0;
		ok_with(parse_caps(used, &caps), used, 1);
		h->csum_start = 0;
		h->csum_offset = cpu_to_le16(frame - 2);
		ok_with(parse_caps(used, &caps), used, 1);
		/* TCP's checksum (offset 16) ending at the last byte */
		if (frame >= 18) {
			h->csum_start = cpu_to_le16(frame - 18);
			h->csum_offset = cpu_to_le16(16);
			ok_with(parse_caps(used, &caps), used, 1);
			/* one byte further: past the buffer */
			h->csum_start = cpu_to_le16(frame - 17);
			refused_with(parse_caps(used, &caps), -EINVAL, 1);
			/* the same header fits a buffer one byte longer */
			if (used < POSTED)
				ok_with(parse_caps(used + 1, &caps), used + 1, 1);
		}
		/* one byte further: past the buffer, however split */
		h->csum_start = cpu_to_le16(frame - 1);
		h->csum_offset = 0;
		refused_with(parse_caps(used, &caps), -EINVAL, 1);
		h->csum_start = 0;
		h->csum_offset = cpu_to_le16(frame - 1);
		refused_with(parse_caps(used, &caps), -EINVAL, 1);
		h->csum_start = cpu_to_le16(1);
		h->csum_offset = cpu_to_le16(frame - 2);
		refused_with(parse_caps(used, &caps), -EINVAL, 1);
		/* malformed comes before not negotiated */
		refused_with(parse(used), -EINVAL, 1);
	}
	/* no 16-bit wrap-around: each alone in range, the sum is not */
	h = hdr_reset();
	h->flags = PPV_NET_HDR_F_NEEDS_CSUM;
	h->csum_start = cpu_to_le16(0xffff);
	h->csum_offset = cpu_to_le16(0xffff);
	refused_with(parse_caps(POSTED, &caps), -EINVAL, 1);
	h->csum_start = cpu_to_le16(0xfffe);
	h->csum_offset = cpu_to_le16(2);
	refused_with(parse_caps(POSTED, &caps), -EINVAL, 1);
	h->csum_start = cpu_to_le16(0x8000);
	h->csum_offset = cpu_to_le16(0x7ffe);
	refused_with(parse_caps(POSTED, &caps), -EINVAL, 1);
	/* little endian: 0x0100 is 256, past a 100-byte buffer */
	h->csum_start = cpu_to_le16(0x100);
	h->csum_offset = 0;
	refused_with(parse_caps(100, &caps), -EINVAL, 1);
	/* without NEEDS_CSUM the position is not looked at */
	h->flags = PPV_NET_HDR_F_DATA_VALID;
	ok_with(parse_caps(100, &caps), 100, 1);
	/* with mergeable buffers: this buffer's frame bytes, not the packet's */
	caps.mrg = true;
	h = hdr_reset();
	h->flags = PPV_NET_HDR_F_NEEDS_CSUM;
	h->num_buffers = cpu_to_le16(4);
	h->csum_start = cpu_to_le16(88);
	refused_with(parse_caps(100, &caps), -EINVAL, 4);
	h->csum_start = cpu_to_le16(86);
	ok_with(parse_caps(100, &caps), 100, 4);
	tap_result("rx parse: NEEDS_CSUM with csum_start + csum_offset + 2 past this buffer's frame is -EINVAL, exactly at its end accepted");
}

/* A GSO packet as QEMU hands one up with everything negotiated. */
static void test_offload_packet(void)
{
	struct ppv_rx_caps caps = caps_none;
	struct ppv_net_hdr *h = hdr_reset();

	caps.flags = PPV_NET_HDR_F_NEEDS_CSUM;
	caps.gso = 1u << PPV_NET_HDR_GSO_TCPV4 | 1u << PPV_NET_HDR_GSO_TCPV6;
	caps.ecn = true;
	caps.mrg = true;
	caps.max_bufs = 256;
	h->flags = PPV_NET_HDR_F_NEEDS_CSUM;
	h->gso_type = PPV_NET_HDR_GSO_TCPV4 | PPV_NET_HDR_GSO_ECN;
	h->hdr_len = cpu_to_le16(66);
	h->gso_size = cpu_to_le16(1448);
	h->csum_start = cpu_to_le16(34);
	h->csum_offset = cpu_to_le16(16);
	h->num_buffers = cpu_to_le16(44);
	ok_with(parse_caps(POSTED, &caps), POSTED, 44);
	/* the caps are only read */
	CHECK(caps.flags == PPV_NET_HDR_F_NEEDS_CSUM && caps.ecn && caps.mrg &&
	      caps.max_bufs == 256);
	/* each feature taken away in turn */
	caps.flags = 0;
	refused_with(parse_caps(POSTED, &caps), -EPROTO, 44);
	caps.flags = PPV_NET_HDR_F_NEEDS_CSUM;
	caps.gso = 1u << PPV_NET_HDR_GSO_TCPV6;
	refused_with(parse_caps(POSTED, &caps), -EPROTO, 44);
	caps.gso |= 1u << PPV_NET_HDR_GSO_TCPV4;
	caps.ecn = false;
	refused_with(parse_caps(POSTED, &caps), -EPROTO, 44);
	caps.ecn = true;
	caps.max_bufs = 43;
	CHECK(parse_caps(POSTED, &caps) == -ERANGE);
	caps.mrg = false;
	ok_with(parse_caps(POSTED, &caps), POSTED, 1);
	tap_result("rx parse: a TSO4+ECN packet over 44 mergeable buffers, accepted, refused as each feature goes");
}

/* HASH_REPORT: the 20-byte header, struct virtio_net_hdr_v1_hash */
static void test_hash_report(void)
{
	struct ppv_rx_caps caps = caps_all;
	struct ppv_net_hdr_hash *hh;
	struct ppv_net_hdr *h;
	unsigned int r;

	CHECK(sizeof(struct ppv_net_hdr_hash) == PPV_NET_HDR_HASH_LEN);
	CHECK(offsetof(struct ppv_net_hdr_hash, hash_value) == 12);
	CHECK(offsetof(struct ppv_net_hdr_hash, hash_report) == 16);
	caps.hash = true;
	h = hdr_reset();
	hh = (struct ppv_net_hdr_hash *)buf;
	hh->hash_value = cpu_to_le32(0x12345678);
	hh->hash_report = 0;
	hh->padding = 0;
	/* pkt_len counts from byte 20; the shortest is 20 + 14 */
	CHECK(parse_caps(100, &caps) == 0 && pkt_len == 80 && num_bufs == 1);
	CHECK(parse_caps(20 + 14, &caps) == 0 && pkt_len == 14);
	CHECK(parse_caps(20 + 13, &caps) == -EMSGSIZE && pkt_len == UNSET32);
	/* every report type the spec defines, none past it */
	for (r = 0; r <= 9; r++) {
		hh->hash_report = cpu_to_le16(r);
		CHECK(parse_caps(100, &caps) == 0 && pkt_len == 80);
	}
	for (r = 10; r <= 0xffff; r++) {
		hh->hash_report = cpu_to_le16(r);
		if (!CHECK(parse_caps(100, &caps) == -EINVAL && num_bufs == 1))
			break;
	}
	/* without HASH_REPORT those bytes are the frame's: never read */
	caps.hash = false;
	CHECK(parse_caps(100, &caps) == 0 && pkt_len == 88);
	/* the checksum position is bounded by the frame after 20 bytes */
	caps.hash = true;
	hh->hash_report = cpu_to_le16(2);
	h->flags = PPV_NET_HDR_F_NEEDS_CSUM;
	h->csum_start = cpu_to_le16(34);
	h->csum_offset = cpu_to_le16(16);
	CHECK(parse_caps(20 + 52, &caps) == 0);
	CHECK(parse_caps(20 + 51, &caps) == -EINVAL);
	caps.hash = false;
	CHECK(parse_caps(12 + 52, &caps) == 0);
	tap_result("rx parse: with HASH_REPORT the header is 20 bytes, hash_report 0..9 accepted, 10..65535 -EINVAL");
}

void test_rxparse(void)
{
	test_layout();
	test_hash_report();
	test_good();
	test_num_buffers_ignored();
	test_num_buffers_mrg();
	test_lengths();
	test_not_negotiated();
	test_malformed();
	test_csum_position();
	test_offload_packet();
}
