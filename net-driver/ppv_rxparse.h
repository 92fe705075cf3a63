/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppvnet RX completion check: is a used receive buffer a well-formed
 * virtio-net packet for the features we negotiate (checksum and GSO
 * offloads, MRG_RXBUF, HASH_REPORT)? Pure function of the buffer and two lengths, so tests/unit
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

/*
 * struct virtio_net_hdr_v1_hash: with HASH_REPORT the header grows by the
 * hash the device computed and what it hashed (a VIRTIO_NET_HASH_REPORT_*
 * value, 0 for none, 9 the last the spec defines), in both directions.
 * 20 bytes.
 */
struct ppv_net_hdr_hash {
	struct ppv_net_hdr hdr;
	__le32 hash_value;
	__le16 hash_report;
	__le16 padding;
};

#define PPV_NET_HDR_HASH_LEN		20
#define PPV_HASH_REPORT_MAX		9

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

/*
 * What the driver negotiated, as the parser needs it: header flags and GSO
 * types the device may use, and whether num_buffers counts buffers
 * (MRG_RXBUF). Built once per ring from the features (ppv_rx_open()).
 */
struct ppv_rx_caps {
	u8 flags;		/* PPV_NET_HDR_F_* the device may set */
	u8 gso;			/* bit n: GSO type n allowed */
	bool ecn;		/* PPV_NET_HDR_GSO_ECN allowed (GUEST_ECN) */
	bool mrg;		/* num_buffers is valid (MRG_RXBUF) */
	bool hash;		/* 20-byte header (HASH_REPORT) */
	u16 max_bufs;		/* buffers a packet may span: the ring size */
};

static inline u32 ppv_rx_hdr_len(const struct ppv_rx_caps *caps)
{
	return caps->hash ? PPV_NET_HDR_HASH_LEN : PPV_NET_HDR_LEN;
}

/**
 * ppv_rx_parse - validate the first used buffer of a received packet
 * @buf: the buffer; only its first @used_len bytes were written by the device
 * @posted_len: bytes the driver posted for the device to write
 * @used_len: bytes the device says it wrote (untrusted)
 * @caps: what was negotiated
 * @pkt_len: set to the frame bytes in this buffer on success
 * @num_bufs: set to the buffers the packet spans (1 without MRG_RXBUF),
 *	also when the header is refused (-EINVAL, -EPROTO)
 *
 * The lengths are checked before the header is read: a buffer shorter than
 * a header is never touched. The first buffer holds the header and at least
 * the Ethernet header; checksum offsets must point into this buffer (the
 * kernel then re-checks them against the skb in virtio_net_hdr_to_skb()).
 *
 * Return: 0; -EMSGSIZE when @used_len exceeds @posted_len or cannot hold a
 * header and an Ethernet header; -EINVAL when the header is malformed (flag
 * bits or a GSO type the spec does not define, GSO without a segment size,
 * a checksum position outside the buffer, a hash report type past the
 * spec's); -EPROTO when it is well-formed
 * but asks for something not negotiated; -ERANGE when num_buffers is 0 or
 * larger than the ring.
 */
static inline int ppv_rx_parse(const void *buf, u32 posted_len, u32 used_len,
			       const struct ppv_rx_caps *caps, u32 *pkt_len,
			       u16 *num_bufs)
{
	const struct ppv_net_hdr *h = buf;
	u32 hlen = ppv_rx_hdr_len(caps);
	u8 gso, flags;
	u16 n = 1;

	if (used_len > posted_len || used_len < hlen + PPV_ETH_HLEN)
		return -EMSGSIZE;

	/*
	 * num_buffers is read only with MRG_RXBUF: without it QEMU leaves the
	 * field unwritten (the debug kernel's poisoned pages showed it). It
	 * is checked first, so that a caller can drop the other buffers of a
	 * packet whose header it refuses.
	 */
	if (caps->mrg) {
		n = le16_to_cpu(h->num_buffers);
		if (!n || n > caps->max_bufs)
			return -ERANGE;
	}
	*num_bufs = n;

	flags = h->flags;
	if (flags & ~(PPV_NET_HDR_F_NEEDS_CSUM | PPV_NET_HDR_F_DATA_VALID |
		      PPV_NET_HDR_F_RSC_INFO))
		return -EINVAL;
	gso = h->gso_type & ~PPV_NET_HDR_GSO_ECN;
	if (gso != PPV_NET_HDR_GSO_NONE && gso != PPV_NET_HDR_GSO_TCPV4 &&
	    gso != PPV_NET_HDR_GSO_UDP && gso != PPV_NET_HDR_GSO_TCPV6 &&
	    gso != PPV_NET_HDR_GSO_UDP_L4)
		return -EINVAL;
	if ((h->gso_type & PPV_NET_HDR_GSO_ECN) && gso == PPV_NET_HDR_GSO_NONE)
		return -EINVAL;
	if (gso != PPV_NET_HDR_GSO_NONE && !le16_to_cpu(h->gso_size))
		return -EINVAL;
	if (flags & PPV_NET_HDR_F_NEEDS_CSUM) {
		u32 start = le16_to_cpu(h->csum_start);
		u32 off = le16_to_cpu(h->csum_offset);

		/* the 16-bit checksum field lies inside this buffer's frame */
		if (start + off + 2 > used_len - hlen)
			return -EINVAL;
	}
	if (caps->hash &&
	    le16_to_cpu(((const struct ppv_net_hdr_hash *)buf)->hash_report) >
	    PPV_HASH_REPORT_MAX)
		return -EINVAL;

	/*
	 * DATA_VALID needs no feature: the spec was corrected in 2024 to let
	 * the device vouch for a checksum without GUEST_CSUM.
	 */
	if ((flags & ~PPV_NET_HDR_F_DATA_VALID & ~caps->flags) ||
	    (gso != PPV_NET_HDR_GSO_NONE && !(caps->gso & (1u << gso))) ||
	    ((h->gso_type & PPV_NET_HDR_GSO_ECN) && !caps->ecn))
		return -EPROTO;

	*pkt_len = used_len - hlen;
	return 0;
}

#endif /* _PPV_RXPARSE_H */
