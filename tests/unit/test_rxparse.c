// SPDX-License-Identifier: GPL-2.0
/* ppv_rx_parse(): which used receive buffers the driver accepts. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ppv_rxparse.h"
#include "tap.h"
#include "unit.h"

#define POSTED	1526	/* header + a 1514-byte frame */

static u8 buf[POSTED];

/* A clean header: no flags, no GSO, one buffer. */
static struct ppv_net_hdr *hdr_reset(void)
{
	struct ppv_net_hdr *h = (struct ppv_net_hdr *)buf;

	memset(buf, 0xa5, sizeof(buf));
	memset(h, 0, sizeof(*h));
	h->num_buffers = cpu_to_le16(1);
	return h;
}

static int parse(u32 used_len, u32 *pkt_len)
{
	return ppv_rx_parse(buf, POSTED, used_len, pkt_len);
}

static void test_layout(void)
{
	/* the device's layout, struct virtio_net_hdr_v1 */
	CHECK(sizeof(struct ppv_net_hdr) == PPV_NET_HDR_LEN);
	CHECK(offsetof(struct ppv_net_hdr, gso_type) == 1);
	CHECK(offsetof(struct ppv_net_hdr, hdr_len) == 2);
	CHECK(offsetof(struct ppv_net_hdr, csum_start) == 6);
	CHECK(offsetof(struct ppv_net_hdr, num_buffers) == 10);
	tap_result("rx parse: struct ppv_net_hdr is the 12-byte virtio_net_hdr_v1");
}

static void test_good(void)
{
	struct ppv_net_hdr *h = hdr_reset();
	u32 pkt_len = 0;

	CHECK(parse(12 + 60, &pkt_len) == 0 && pkt_len == 60);
	CHECK(parse(POSTED, &pkt_len) == 0 && pkt_len == POSTED - 12);
	/* the shortest: a bare Ethernet header */
	CHECK(parse(12 + 14, &pkt_len) == 0 && pkt_len == 14);
	h->num_buffers = 0;
	CHECK(parse(100, &pkt_len) == 0 && pkt_len == 88);
	/* unwritten without MRG_RXBUF: any value, even poison, is ignored */
	h->num_buffers = cpu_to_le16(0xcccc);
	CHECK(parse(100, &pkt_len) == 0 && pkt_len == 88);
	h->num_buffers = cpu_to_le16(1);
	h->flags = PPV_NET_HDR_F_DATA_VALID;
	CHECK(parse(100, &pkt_len) == 0);
	/* fields that only matter with offloads are ignored */
	h->hdr_len = cpu_to_le16(54);
	h->csum_start = cpu_to_le16(34);
	CHECK(parse(100, &pkt_len) == 0);
	tap_result("rx parse: accepts flags 0 or DATA_VALID, ignores num_buffers, pkt_len = used_len - 12");
}

static void test_lengths(void)
{
	u32 pkt_len = 7;
	u8 *small;

	hdr_reset();
	CHECK(parse(12 + 13, &pkt_len) == -EMSGSIZE);
	CHECK(parse(0, &pkt_len) == -EMSGSIZE);
	CHECK(parse(POSTED + 1, &pkt_len) == -EMSGSIZE);
	CHECK(parse(0xffffffff, &pkt_len) == -EMSGSIZE);
	CHECK(ppv_rx_parse(buf, 20, 26, &pkt_len) == -EMSGSIZE);
	CHECK(pkt_len == 7);
	/* too short to hold a header: it is not even read (ASan watches) */
	small = malloc(5);
	if (small) {
		memset(small, 0xff, 5);
		CHECK(ppv_rx_parse(small, 5, 5, &pkt_len) == -EMSGSIZE);
		free(small);
	}
	CHECK(ppv_rx_parse(NULL, 0, 0, &pkt_len) == -EMSGSIZE);
	tap_result("rx parse: -EMSGSIZE below header + ETH_HLEN or above posted, header unread");
}

static void test_bad_header(void)
{
	struct ppv_net_hdr *h;
	u32 pkt_len = 7;

	/* defined by the spec but not negotiated */
	h = hdr_reset();
	h->flags = PPV_NET_HDR_F_NEEDS_CSUM;
	CHECK(parse(100, &pkt_len) == -EPROTO);
	h->flags = PPV_NET_HDR_F_RSC_INFO | PPV_NET_HDR_F_DATA_VALID;
	CHECK(parse(100, &pkt_len) == -EPROTO);
	h = hdr_reset();
	h->gso_type = PPV_NET_HDR_GSO_TCPV4;
	CHECK(parse(100, &pkt_len) == -EPROTO);
	h->gso_type = PPV_NET_HDR_GSO_UDP;
	CHECK(parse(100, &pkt_len) == -EPROTO);
	h->gso_type = PPV_NET_HDR_GSO_TCPV6 | PPV_NET_HDR_GSO_ECN;
	CHECK(parse(100, &pkt_len) == -EPROTO);
	h->gso_type = PPV_NET_HDR_GSO_UDP_L4;
	CHECK(parse(100, &pkt_len) == -EPROTO);
	h->gso_type = PPV_NET_HDR_GSO_ECN;
	CHECK(parse(100, &pkt_len) == -EPROTO);
	tap_result("rx parse: -EPROTO for NEEDS_CSUM, RSC_INFO, GSO");

	/* not defined at all */
	h = hdr_reset();
	h->flags = 8;
	CHECK(parse(100, &pkt_len) == -EINVAL);
	h->flags = 0x80 | PPV_NET_HDR_F_DATA_VALID;
	CHECK(parse(100, &pkt_len) == -EINVAL);
	h = hdr_reset();
	h->gso_type = 2;
	CHECK(parse(100, &pkt_len) == -EINVAL);
	h->gso_type = 0x7f;
	CHECK(parse(100, &pkt_len) == -EINVAL);
	CHECK(pkt_len == 7);
	tap_result("rx parse: -EINVAL for flag bits and GSO types the spec does not define");
}

void test_rxparse(void)
{
	test_layout();
	test_good();
	test_lengths();
	test_bad_header();
}
