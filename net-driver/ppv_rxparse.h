/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppvnet RX completion check: is a used receive buffer a well-formed
 * virtio-net packet for the features we negotiate (virtio 1.x, no offloads,
 * no MRG_RXBUF)? Pure function of the buffer and two lengths, so tests/unit
 * and tests/fuzz build it in userspace unchanged.
 */
#ifndef _PPV_RXPARSE_H
#define _PPV_RXPARSE_H

#include <linux/types.h>
#include <linux/errno.h>
#include <asm/byteorder.h>

/*
 * struct virtio_net_hdr_v1 (virtio 1.x, 5.1.6), spelled out here so this
 * header needs nothing but types and byte order. 12 bytes.
 */
struct ppv_net_hdr {
	u8 flags;
	u8 gso_type;
	__le16 hdr_len;
	__le16 gso_size;
	__le16 csum_start;
	__le16 csum_offset;
	__le16 num_buffers;
};

#define PPV_NET_HDR_LEN			12
#define PPV_ETH_HLEN			14

/* flags and gso_type values the virtio spec defines (5.1.6) */
#define PPV_NET_HDR_F_NEEDS_CSUM	1
#define PPV_NET_HDR_F_DATA_VALID	2
#define PPV_NET_HDR_F_RSC_INFO		4
#define PPV_NET_HDR_GSO_NONE		0
#define PPV_NET_HDR_GSO_TCPV4		1
#define PPV_NET_HDR_GSO_UDP		3
#define PPV_NET_HDR_GSO_TCPV6		4
#define PPV_NET_HDR_GSO_UDP_L4		5
#define PPV_NET_HDR_GSO_ECN		0x80

/**
 * ppv_rx_parse - validate a used receive buffer
 * @buf: the buffer; only its first @used_len bytes were written by the device
 * @posted_len: bytes the driver posted for the device to write
 * @used_len: bytes the device says it wrote (untrusted)
 * @pkt_len: set to the Ethernet frame length on success
 *
 * The lengths are checked before the header is read: a buffer shorter than
 * a header is never touched.
 *
 * Return: 0; -EMSGSIZE when @used_len exceeds @posted_len or cannot hold a
 * header and an Ethernet header; -EINVAL when the header is malformed (flag
 * bits or a GSO type the spec does not define); -EPROTO when it is
 * well-formed but asks for something not negotiated (checksum offload, RSC,
 * GSO).
 */
static inline int ppv_rx_parse(const void *buf, u32 posted_len, u32 used_len,
			       u32 *pkt_len)
{
	const struct ppv_net_hdr *h = buf;
	u8 gso;

	if (used_len > posted_len ||
	    used_len < PPV_NET_HDR_LEN + PPV_ETH_HLEN)
		return -EMSGSIZE;

	if (h->flags & ~(PPV_NET_HDR_F_NEEDS_CSUM | PPV_NET_HDR_F_DATA_VALID |
			 PPV_NET_HDR_F_RSC_INFO))
		return -EINVAL;
	gso = h->gso_type & ~PPV_NET_HDR_GSO_ECN;
	if (gso != PPV_NET_HDR_GSO_NONE && gso != PPV_NET_HDR_GSO_TCPV4 &&
	    gso != PPV_NET_HDR_GSO_UDP && gso != PPV_NET_HDR_GSO_TCPV6 &&
	    gso != PPV_NET_HDR_GSO_UDP_L4)
		return -EINVAL;

	/*
	 * DATA_VALID needs no feature: the spec was corrected in 2024 to let
	 * the device vouch for a checksum without GUEST_CSUM. num_buffers is
	 * not read: without MRG_RXBUF QEMU leaves it unwritten (the debug
	 * kernel's poisoned pages showed it), so it holds whatever the page did.
	 */
	if ((h->flags & ~PPV_NET_HDR_F_DATA_VALID) ||
	    h->gso_type != PPV_NET_HDR_GSO_NONE)
		return -EPROTO;

	*pkt_len = used_len - PPV_NET_HDR_LEN;
	return 0;
}

#endif /* _PPV_RXPARSE_H */
