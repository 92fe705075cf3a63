// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet receive: one page pool per RX queue, buffers carved from its pages
 * in one of three layouts (small, mergeable, big: see ppv.h), refilled
 * inside the NAPI poll with GFP_ATOMIC and published once per poll; skbs
 * are built over the pages without a copy, get their checksum and GSO
 * state from the virtio-net header (virtio_net_hdr_to_skb()) and go to
 * GRO. When the ring runs empty and atomic allocations keep failing, a
 * delayed work refills it with GFP_KERNEL so receive never stalls for good.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include <linux/virtio_net.h>
#include <uapi/linux/virtio_net.h>

#include "ppv.h"
#include "ppv_compat.h"
#include "ppv_fault.h"
#include "ppv_rxparse.h"

#define PPV_REFILL_DELAY	(HZ / 50)	/* between retries of the refill work */
#define PPV_FILL_TRIES		16		/* failed allocations one fill accepts */

/* Bytes the device may write into a buffer of @truesize. */
static unsigned int ppv_rx_room(const struct ppv_qp *qp, unsigned int truesize)
{
	return truesize - qp->rx_headroom - PPV_RX_TAILROOM;
}

/*
 * Mergeable buffer size: half a page or a whole one, from the average
 * packet length seen on this ring (an EWMA, as virtio_net keeps). Only
 * fractions of a page: a size in between would leave the rest of the page
 * unused while truesize claimed less, and the XDP headroom plus
 * skb_shared_info (576 bytes) make quarter pages too small to matter.
 * Small packets (ACKs, requests, 64-byte UDP) then take 2 KB of socket
 * memory instead of 4 KB; bulk receive, which guest TSO turns into 64 KB
 * frames, takes 19 page buffers a frame instead of 45 half pages.
 */
static unsigned int ppv_rx_mrg_truesize(struct ppv_qp *qp)
{
	unsigned long avg = ewma_ppv_pkt_len_read(&qp->rx_avg);

	return avg <= ppv_rx_room(qp, PAGE_SIZE / 2) ? PAGE_SIZE / 2 : PAGE_SIZE;
}

/*
 * Give back the references the page being carved still holds for
 * fragments it never handed out; the last reference returns it to the pool.
 */
static void ppv_rx_page_drop(struct ppv_qp *qp, bool allow_direct)
{
	for (; qp->rx_page_refs; qp->rx_page_refs--)
		page_pool_put_full_page(qp->pool, qp->rx_page, allow_direct);
	qp->rx_page = NULL;
}

/*
 * A buffer of @size bytes (a fraction of a page, or a whole one). Whole
 * pages come from page_pool_alloc_pages(), and the driver carves them
 * itself rather than with page_pool_alloc_frag(): a fresh page is split
 * into PAGE_SIZE / @size fragments at once (page_pool_fragment_page()),
 * each released by whoever holds it last, and the ones a size change
 * leaves unused are given back. The same count of pool calls (one a page),
 * through the pool's own entry point on every kernel: since 6.6,
 * page_pool_alloc_frag() goes around page_pool_alloc_pages(), the function
 * the kernel's fault injection and selftest (hw/pp_alloc_fail.py) target.
 */
static void *ppv_rx_alloc(struct ppv_qp *qp, unsigned int size, gfp_t gfp,
			  enum ppv_fault_site site)
{
	struct page *page = qp->rx_page;
	unsigned int nr;

	if (ppv_should_fail(site))
		goto fail;
	if (page && size == qp->rx_page_size) {
		unsigned int offset = qp->rx_page_off;

		qp->rx_page_off += size;
		if (!--qp->rx_page_refs)
			qp->rx_page = NULL;
		ppv_stat_inc(&qp->rx_stats, pp_alloc);
		return page_address(page) + offset;
	}
	if (page)
		ppv_rx_page_drop(qp, true);
	page = page_pool_alloc_pages(qp->pool, gfp | __GFP_NOWARN);
	if (unlikely(!page))
		goto fail;
	/* every page, whole ones too: before 6.7, a recycled page keeps the
	 * count its last release left, and a fresh one has none at all
	 */
	nr = PAGE_SIZE / size;
	page_pool_fragment_page(page, nr);
	if (nr > 1) {
		qp->rx_page = page;
		qp->rx_page_size = size;
		qp->rx_page_off = size;
		qp->rx_page_refs = nr - 1;
	}
	u64_stats_update_begin(&qp->rx_stats.syncp);
	u64_stats_inc(&qp->rx_stats.pp_alloc);
	u64_stats_inc(&qp->rx_stats.pp_pages);
	u64_stats_update_end(&qp->rx_stats.syncp);
	return page_address(page);
fail:
	ppv_stat_inc(&qp->rx_stats, refill_fail);
	return NULL;
}

/* A buffer the stack never saw, unmapped, back to its pool. */
static void ppv_rx_recycle(struct ppv_qp *qp, void *va)
{
	page_pool_recycle_direct(qp->pool, virt_to_page(va));
	ppv_stat_inc(&qp->rx_stats, pp_recycle);
}

/*
 * Each buffer is mapped while the device owns it and unmapped as soon as
 * the device hands it back, never by the pool: a page the stack still
 * holds after the driver is gone (a socket nobody reads while rmmod runs)
 * then holds no mapping of a device that has no driver. (With
 * PP_FLAG_DMA_MAP, DMA-API debug caught exactly that at rmmod under load.)
 */
static bool ppv_rx_map(struct ppv_qp *qp, void *va, unsigned int len,
		       dma_addr_t *addr)
{
	if (ppv_should_fail(PPV_FAULT_RX_MAP) ||
	    unlikely(!ppv_map(qp->priv, va, len, DMA_FROM_DEVICE, addr))) {
		ppv_stat_inc(&qp->rx_stats, map_fail);
		return false;
	}
	return true;
}

/* Small and mergeable buffers: one descriptor, metadata in the headroom. */
static int ppv_rx_add_buf(struct ppv_qp *qp, unsigned int truesize, gfp_t gfp)
{
	struct ppv_rx_meta *meta;
	struct ppv_vring_buf buf;
	void *va;

	va = ppv_rx_alloc(qp, truesize, gfp, qp->rx_mode == PPV_RX_MRG ?
			  PPV_FAULT_RX_MRG : PPV_FAULT_RX_PAGE);
	if (!va)
		return -ENOMEM;
	buf.len = ppv_rx_room(qp, truesize);
	if (!ppv_rx_map(qp, va + qp->rx_headroom, buf.len, &buf.addr)) {
		ppv_rx_recycle(qp, va);
		return -ENOMEM;
	}
	meta = va;
	meta->addr = buf.addr;
	meta->truesize = truesize;
	if (unlikely(ppv_vring_add(&qp->rxq.vr, &buf, 0, 1, va))) {
		/* only a broken ring refuses a buffer that fits */
		ppv_unmap(qp->priv, buf.addr, buf.len, DMA_FROM_DEVICE);
		ppv_rx_recycle(qp, va);
		return -EIO;
	}
	return 0;
}

static void ppv_rx_unmap_buf(struct ppv_qp *qp, void *va)
{
	struct ppv_rx_meta *meta = va;

	ppv_unmap(qp->priv, meta->addr, ppv_rx_room(qp, meta->truesize),
		  DMA_FROM_DEVICE);
}

/* Bytes the device may write into page @i of a big chain. */
static unsigned int ppv_rx_big_len(const struct ppv_qp *qp, unsigned int i)
{
	return i ? PAGE_SIZE : ppv_rx_room(qp, PAGE_SIZE);
}

static void ppv_rx_unmap_chain(struct ppv_qp *qp, struct ppv_rx_chain *c,
			       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ppv_unmap(qp->priv, c->addr[i], ppv_rx_big_len(qp, i),
			  DMA_FROM_DEVICE);
}

static void ppv_rx_recycle_chain(struct ppv_qp *qp, struct ppv_rx_chain *c,
				 unsigned int from)
{
	unsigned int i;

	for (i = from; i < PPV_BIG_PAGES; i++)
		ppv_rx_recycle(qp, c->va[i]);
}

/*
 * Big packets: a chain of PPV_BIG_PAGES whole pages, the first laid out
 * like a small buffer (headroom, then the header and the frame start,
 * room for skb_shared_info at its end). The chain's pages are kept in
 * rx_chains[] at the index of its head descriptor, which the token points
 * at.
 */
static int ppv_rx_add_chain(struct ppv_qp *qp, gfp_t gfp)
{
	struct ppv_vring *vr = &qp->rxq.vr;
	struct ppv_vring_buf bufs[PPV_BIG_PAGES];
	struct ppv_rx_chain *c = &qp->rx_chains[vr->free_head];
	unsigned int i, n;

	for (n = 0; n < PPV_BIG_PAGES; n++) {
		unsigned int off = n ? 0 : qp->rx_headroom;

		c->va[n] = ppv_rx_alloc(qp, PAGE_SIZE, gfp, PPV_FAULT_RX_BIG);
		if (!c->va[n])
			goto unwind;
		bufs[n].len = ppv_rx_big_len(qp, n);
		if (!ppv_rx_map(qp, c->va[n] + off, bufs[n].len, &bufs[n].addr)) {
			ppv_rx_recycle(qp, c->va[n]);
			goto unwind;
		}
		c->addr[n] = bufs[n].addr;
	}
	if (likely(!ppv_vring_add(vr, bufs, 0, PPV_BIG_PAGES, c)))
		return 0;
unwind:
	ppv_rx_unmap_chain(qp, c, n);
	for (i = 0; i < n; i++)
		ppv_rx_recycle(qp, c->va[i]);
	return -ENOMEM;
}

/*
 * Post buffers until the ring is full or allocations fail; publish them in
 * one batch and kick if the device asks for it. Returns false when the ring
 * is left empty. In NAPI or with NAPI disabled: the pool's cache is not
 * safe against both at once.
 */
bool ppv_rx_fill(struct ppv_qp *qp, gfp_t gfp)
{
	struct ppv_vring *vr = &qp->rxq.vr;
	unsigned int need = qp->rx_mode == PPV_RX_BIG ? PPV_BIG_PAGES : 1;
	unsigned int truesize = qp->rx_mode == PPV_RX_MRG ?
				ppv_rx_mrg_truesize(qp) : qp->rx_truesize;
	unsigned int added = 0, failed = 0;

	while (vr->num_free >= need && !vr->broken) {
		int err = qp->rx_mode == PPV_RX_BIG ?
			  ppv_rx_add_chain(qp, gfp) :
			  ppv_rx_add_buf(qp, truesize, gfp);

		/*
		 * One failure need not mean the next fails too; giving up at
		 * the first drained the ring under sporadic failures (10 %
		 * injected), and a drained ring drops at the host.
		 */
		if (err == -EIO)
			break;
		if (err) {
			if (++failed == PPV_FILL_TRIES)
				break;
			continue;
		}
		added++;
	}
	if (added) {
		ppv_vring_publish(vr);
		if (ppv_vring_kick_prepare(vr)) {
			ppv_notify(&qp->rxq);
			ppv_stat_inc(&qp->rx_stats, kicks);
		}
	}
	return ppv_vring_in_flight(vr) != 0;
}

void ppv_rx_schedule_refill(struct ppv_qp *qp, unsigned long delay)
{
	struct ppv_priv *priv = qp->priv;
	unsigned long flags;

	spin_lock_irqsave(&priv->work_lock, flags);
	if (priv->refill_enabled)
		schedule_delayed_work(&qp->refill, delay);
	spin_unlock_irqrestore(&priv->work_lock, flags);
}

/* The ring ran empty under GFP_ATOMIC: refill from process context. */
void ppv_rx_refill_work(struct work_struct *work)
{
	struct ppv_qp *qp = container_of(work, struct ppv_qp, refill.work);
	bool filled;

	napi_disable(&qp->napi);
	ppv_rx_fill(qp, GFP_KERNEL);
	filled = qp->rxq.vr.broken || !ppv_rx_low(qp);
	/* until a fill succeeds, the poll retries through here, not at once */
	WRITE_ONCE(qp->rx_starved, !filled);
	ppv_stat_inc(&qp->rx_stats, refill_work);
	napi_enable(&qp->napi);
	/*
	 * An interrupt that came while NAPI was disabled was lost, and with
	 * event index the device sends no other until the used ring is read:
	 * poll once. (Fault injection found this: RX stalled for good.)
	 */
	local_bh_disable();
	ppv_qp_schedule(qp);
	local_bh_enable();
	if (!filled)
		ppv_rx_schedule_refill(qp, PPV_REFILL_DELAY);
}

/* A used token back to the CPU: unmap what the device held. */
static void ppv_rx_unmap_token(struct ppv_qp *qp, void *token)
{
	if (qp->rx_mode == PPV_RX_BIG)
		ppv_rx_unmap_chain(qp, token, PPV_BIG_PAGES);
	else
		ppv_rx_unmap_buf(qp, token);
}

/* An unmapped token the stack never saw, dropped. */
static void ppv_rx_drop(struct ppv_qp *qp, void *token)
{
	if (qp->rx_mode == PPV_RX_BIG)
		ppv_rx_recycle_chain(qp, token, 0);
	else
		ppv_rx_recycle(qp, token);
	ppv_stat_inc(&qp->rx_stats, drops);
}

/* Count a malformed first buffer by what ppv_rx_parse() found. */
static void ppv_rx_bad(struct ppv_qp *qp, int err, u32 used_len)
{
	u64_stats_update_begin(&qp->rx_stats.syncp);
	if (err == -EMSGSIZE)
		u64_stats_inc(&qp->rx_stats.errors);
	else if (err == -ERANGE)
		u64_stats_inc(&qp->rx_stats.bad_nbuf);
	else
		u64_stats_inc(&qp->rx_stats.bad_hdr);
	u64_stats_update_end(&qp->rx_stats.syncp);
	net_dbg_ratelimited("%s: rx%u: malformed buffer from the device (len %u, err %d)\n",
			    qp->priv->dev->name, qp->index, used_len, err);
}

/*
 * The skb over a buffer that starts at @va (@truesize bytes of page): the
 * header and @len frame bytes after the headroom.
 */
static struct sk_buff *ppv_rx_build(struct ppv_qp *qp, void *va,
				    unsigned int truesize, u32 len)
{
	struct sk_buff *skb = NULL;

	if (!ppv_should_fail(PPV_FAULT_RX_SKB))
		skb = napi_build_skb(va, truesize);
	if (unlikely(!skb)) {
		ppv_stat_inc(&qp->rx_stats, skb_fail);
		return NULL;
	}
	skb_reserve(skb, qp->rx_headroom + ppv_rx_hdr_len(&qp->rx_caps));
	__skb_put(skb, len);
	skb_mark_for_recycle(skb);
	return skb;
}

/* VIRTIO_NET_HASH_REPORT_* (1..9, checked by ppv_rx_parse()) as skb hash types */
static const enum pkt_hash_types ppv_hash_type[PPV_HASH_REPORT_MAX + 1] = {
	[VIRTIO_NET_HASH_REPORT_NONE] = PKT_HASH_TYPE_NONE,
	[VIRTIO_NET_HASH_REPORT_IPv4] = PKT_HASH_TYPE_L3,
	[VIRTIO_NET_HASH_REPORT_TCPv4] = PKT_HASH_TYPE_L4,
	[VIRTIO_NET_HASH_REPORT_UDPv4] = PKT_HASH_TYPE_L4,
	[VIRTIO_NET_HASH_REPORT_IPv6] = PKT_HASH_TYPE_L3,
	[VIRTIO_NET_HASH_REPORT_TCPv6] = PKT_HASH_TYPE_L4,
	[VIRTIO_NET_HASH_REPORT_UDPv6] = PKT_HASH_TYPE_L4,
	[VIRTIO_NET_HASH_REPORT_IPv6_EX] = PKT_HASH_TYPE_L3,
	[VIRTIO_NET_HASH_REPORT_TCPv6_EX] = PKT_HASH_TYPE_L4,
	[VIRTIO_NET_HASH_REPORT_UDPv6_EX] = PKT_HASH_TYPE_L4,
};

/*
 * Checksum and GSO state from the header, the device's hash (HASH_REPORT,
 * unless ethtool -K rxhash off), then up the stack. @h is a copy:
 * virtio_net_hdr_to_skb() may pull, which can move the skb's head.
 */
static void ppv_rx_deliver(struct ppv_qp *qp, struct sk_buff *skb,
			   const struct ppv_net_hdr_hash *h)
{
	/* the first 10 bytes are struct virtio_net_hdr's */
	const struct virtio_net_hdr *hdr = (const struct virtio_net_hdr *)&h->hdr;
	struct net_device *dev = qp->priv->dev;
	unsigned int len = skb->len;

	if (unlikely(virtio_net_hdr_to_skb(skb, hdr, true))) {
		ppv_stat_inc(&qp->rx_stats, bad_hdr);
		net_dbg_ratelimited("%s: rx%u: header refused (flags %#x gso %#x)\n",
				    dev->name, qp->index, hdr->flags,
				    hdr->gso_type);
		kfree_skb(skb);
		ppv_stat_inc(&qp->rx_stats, drops);
		return;
	}
	/*
	 * NEEDS_CSUM wins over DATA_VALID, which a device may set with it
	 * (virtio_net does the same): the checksum is still to be filled in
	 * where the packet leaves (CHECKSUM_PARTIAL, from
	 * virtio_net_hdr_to_skb()); marked verified instead, a forwarded
	 * packet would leave with it unfinished.
	 */
	if ((hdr->flags & VIRTIO_NET_HDR_F_DATA_VALID) &&
	    !(hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	if (qp->rx_caps.hash && h->hash_report && (dev->features & NETIF_F_RXHASH))
		skb_set_hash(skb, le32_to_cpu(h->hash_value),
			     ppv_hash_type[le16_to_cpu(h->hash_report)]);
	skb->protocol = eth_type_trans(skb, dev);

	u64_stats_update_begin(&qp->rx_stats.syncp);
	u64_stats_inc(&qp->rx_stats.packets);
	u64_stats_add(&qp->rx_stats.bytes, len);
	if (hdr->flags & (VIRTIO_NET_HDR_F_DATA_VALID | VIRTIO_NET_HDR_F_NEEDS_CSUM))
		u64_stats_inc(&qp->rx_stats.csum);
	if (skb_is_gso(skb)) {
		u64_stats_inc(&qp->rx_stats.gso);
		if (skb_shinfo(skb)->gso_type & SKB_GSO_TCP_ECN)
			u64_stats_inc(&qp->rx_stats.gso_ecn);
	}
	u64_stats_update_end(&qp->rx_stats.syncp);

	napi_gro_receive(&qp->napi, skb);
}

/* The header out of the buffer: 12 bytes, or 20 with HASH_REPORT. */
static void ppv_rx_hdr_copy(struct ppv_qp *qp,
			    struct ppv_net_hdr_hash *hdr, const void *buf)
{
	if (qp->rx_caps.hash) {
		memcpy(hdr, buf, sizeof(*hdr));
	} else {
		memcpy(hdr, buf, sizeof(hdr->hdr));
		hdr->hash_report = 0;
	}
	/* fault point: a device that says DATA_VALID along with NEEDS_CSUM */
	if (IS_ENABLED(CONFIG_PPVNET_FAULT_INJECTION) &&
	    (hdr->hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	    ppv_should_fail(PPV_FAULT_RX_DATA_VALID))
		hdr->hdr.flags |= VIRTIO_NET_HDR_F_DATA_VALID;
}

static void ppv_rx_small(struct ppv_qp *qp, void *va, u32 used_len)
{
	unsigned int truesize = ((struct ppv_rx_meta *)va)->truesize;
	void *buf = va + qp->rx_headroom;
	struct ppv_net_hdr_hash hdr;
	struct sk_buff *skb;
	u32 pkt_len;
	u16 n;
	int err;

	err = ppv_rx_parse(buf, ppv_rx_room(qp, truesize), used_len,
			   &qp->rx_caps, &pkt_len, &n);
	if (unlikely(err)) {
		ppv_rx_bad(qp, err, used_len);
		ppv_rx_drop(qp, va);
		return;
	}
	ppv_rx_hdr_copy(qp, &hdr, buf);
	skb = ppv_rx_build(qp, va, truesize, pkt_len);
	if (unlikely(!skb)) {
		ppv_rx_drop(qp, va);
		return;
	}
	ppv_stat_inc(&qp->rx_stats, bufs);
	ppv_rx_deliver(qp, skb, &hdr);
}

static void ppv_rx_big(struct ppv_qp *qp, struct ppv_rx_chain *c, u32 used_len)
{
	void *buf = c->va[0] + qp->rx_headroom;
	u32 posted = PPV_BIG_PAGES * PAGE_SIZE - qp->rx_headroom -
		     PPV_RX_TAILROOM;
	struct ppv_net_hdr_hash hdr;
	struct sk_buff *skb;
	u32 pkt_len, first, rest;
	unsigned int i;
	u16 n;
	int err;

	err = ppv_rx_parse(buf, posted, used_len, &qp->rx_caps, &pkt_len, &n);
	if (unlikely(err)) {
		ppv_rx_bad(qp, err, used_len);
		ppv_rx_drop(qp, c);
		return;
	}
	ppv_rx_hdr_copy(qp, &hdr, buf);
	first = min_t(u32, used_len, ppv_rx_big_len(qp, 0));
	skb = ppv_rx_build(qp, c->va[0], PAGE_SIZE,
			   first - ppv_rx_hdr_len(&qp->rx_caps));
	if (unlikely(!skb)) {
		ppv_rx_drop(qp, c);
		return;
	}
	rest = used_len - first;
	for (i = 1; rest; i++) {
		u32 len = min_t(u32, rest, PAGE_SIZE);

		skb_add_rx_frag(skb, i - 1, virt_to_page(c->va[i]), 0, len,
				PAGE_SIZE);
		rest -= len;
	}
	/* the pages the frame did not reach go straight back */
	ppv_rx_recycle_chain(qp, c, i);
	ppv_stat_inc(&qp->rx_stats, bufs);
	ppv_rx_deliver(qp, skb, &hdr);
}

/*
 * Mergeable: after a bad buffer, take and drop the rest of its packet (up
 * to @left buffers) so that none is mistaken for the next packet's first.
 * Returns the ring error that stopped it, or 0.
 */
static int ppv_rx_mrg_drain(struct ppv_qp *qp, unsigned int left)
{
	void *token;
	u32 len;
	int r;

	while (left--) {
		token = NULL;
		r = ppv_vring_get_used(&qp->rxq.vr, &token, &len);
		if (!r)
			return 0;
		if (!token)
			return r;
		ppv_rx_unmap_buf(qp, token);
		ppv_rx_recycle(qp, token);
	}
	return 0;
}

/*
 * Mergeable: the first buffer says in num_buffers how many the packet
 * takes; the others follow on the used ring. They must be there: the
 * device publishes a packet's used entries with one used index update
 * (QEMU's virtqueue_flush()), so a missing one is a lie, and so is a count
 * above the buffers posted. Buffers past MAX_SKB_FRAGS go into frag_list
 * skbs. Returns a ring error (the ring is then broken) or 0.
 */
static int ppv_rx_mrg(struct ppv_qp *qp, void *va, u32 used_len)
{
	struct ppv_vring *vr = &qp->rxq.vr;
	unsigned int truesize = ((struct ppv_rx_meta *)va)->truesize;
	void *buf = va + qp->rx_headroom;
	struct sk_buff *head, *curr;
	struct ppv_net_hdr_hash hdr;
	unsigned int nfrags = 0;
	u32 pkt_len, total;
	u16 n = 1, i;
	int err;

	/*
	 * Fault point: claim more buffers than are posted. Only on a
	 * one-buffer packet, so that the lie costs exactly that packet and
	 * the test can count it; a real liar may also make the rest of a
	 * packet look like the next one's start, which the header checks
	 * then refuse (or, as with virtio_net, cannot tell).
	 */
	if (IS_ENABLED(CONFIG_PPVNET_FAULT_INJECTION) &&
	    used_len >= ppv_rx_hdr_len(&qp->rx_caps) &&
	    ((struct ppv_net_hdr *)buf)->num_buffers == cpu_to_le16(1) &&
	    ppv_should_fail(PPV_FAULT_RX_LIE_NBUF))
		((struct ppv_net_hdr *)buf)->num_buffers =
			cpu_to_le16(ppv_vring_in_flight(vr) + 2);
	err = ppv_rx_parse(buf, ppv_rx_room(qp, truesize), used_len,
			   &qp->rx_caps, &pkt_len, &n);
	/* more buffers than are posted: a lie, whatever the ring says */
	if ((!err || err == -EINVAL || err == -EPROTO) &&
	    n - 1 > ppv_vring_in_flight(vr))
		err = -ERANGE;
	if (unlikely(err)) {
		ppv_rx_bad(qp, err, used_len);
		ppv_rx_drop(qp, va);
		/*
		 * a refused header with a count we can trust: its other
		 * buffers go too, so none is taken for a packet's first
		 */
		return err == -EINVAL || err == -EPROTO ?
		       ppv_rx_mrg_drain(qp, n - 1) : 0;
	}
	ppv_rx_hdr_copy(qp, &hdr, buf);
	head = ppv_rx_build(qp, va, truesize, pkt_len);
	if (unlikely(!head)) {
		ppv_rx_drop(qp, va);
		return ppv_rx_mrg_drain(qp, n - 1);
	}
	curr = head;
	total = used_len;

	for (i = 1; i < n; i++) {
		struct page *page;
		void *token = NULL;
		u32 len;
		int r = ppv_vring_get_used(vr, &token, &len);

		if (token)
			ppv_rx_unmap_buf(qp, token);
		if (unlikely(r != 1)) {
			if (token)
				ppv_rx_recycle(qp, token);
			kfree_skb(head);
			ppv_stat_inc(&qp->rx_stats, drops);
			if (r == -EMSGSIZE) {
				ppv_stat_inc(&qp->rx_stats, bad_len);
				return ppv_rx_mrg_drain(qp, n - 1 - i);
			}
			if (r)
				return r;
			ppv_stat_inc(&qp->rx_stats, bad_nbuf);
			net_dbg_ratelimited("%s: rx%u: %u of %u buffers missing\n",
					    qp->priv->dev->name, qp->index,
					    n - i, n);
			return 0;
		}
		truesize = ((struct ppv_rx_meta *)token)->truesize;
		if (unlikely(nfrags == MAX_SKB_FRAGS)) {
			struct sk_buff *nskb = NULL;

			if (!ppv_should_fail(PPV_FAULT_RX_SKB))
				nskb = napi_alloc_skb(&qp->napi, 0);
			if (unlikely(!nskb)) {
				ppv_stat_inc(&qp->rx_stats, skb_fail);
				ppv_rx_recycle(qp, token);
				kfree_skb(head);
				ppv_stat_inc(&qp->rx_stats, drops);
				return ppv_rx_mrg_drain(qp, n - 1 - i);
			}
			skb_mark_for_recycle(nskb);
			if (curr == head)
				skb_shinfo(curr)->frag_list = nskb;
			else
				curr->next = nskb;
			curr = nskb;
			head->truesize += nskb->truesize;
			nfrags = 0;
		}
		if (curr != head) {
			head->data_len += len;
			head->len += len;
			head->truesize += truesize;
		}
		page = virt_to_page(token);
		skb_add_rx_frag(curr, nfrags++, page,
				token + qp->rx_headroom - page_address(page),
				len, truesize);
		total += len;
	}
	ewma_ppv_pkt_len_add(&qp->rx_avg, total);
	u64_stats_update_begin(&qp->rx_stats.syncp);
	u64_stats_add(&qp->rx_stats.bufs, n);
	u64_stats_update_end(&qp->rx_stats.syncp);
	ppv_rx_deliver(qp, head, &hdr);
	return 0;
}

/*
 * The device returned a buffer it was never given, or moved the used index
 * past what it was given: which buffers it really filled is unknown, so the
 * ring stays stopped until the reset work rebuilds it (and frees them).
 */
static void ppv_rx_broken(struct ppv_qp *qp, int r)
{
	u64_stats_update_begin(&qp->rx_stats.syncp);
	if (r == -EIO)
		u64_stats_inc(&qp->rx_stats.bad_idx);
	else
		u64_stats_inc(&qp->rx_stats.bad_id);
	u64_stats_update_end(&qp->rx_stats.syncp);
	netdev_err(qp->priv->dev, "rx%u: device reported %s (err %d): ring stopped, resetting the device\n",
		   qp->index, r == -EIO ? "a used index past the ring" :
		   "a used id it was not given", r);
	ppv_schedule_reset(qp->priv);
}

/* Receive up to @budget packets, then refill. Returns the packets taken. */
int ppv_rx_poll(struct ppv_qp *qp, int budget)
{
	struct ppv_vring *vr = &qp->rxq.vr;
	int done = 0;

	/* already reported: the reset work takes it from here */
	if (unlikely(vr->broken))
		return 0;
	ppv_fault_lie_used(vr, PPV_FAULT_RX_LIE);
	while (done < budget) {
		void *token = NULL;
		u32 len;
		int r = ppv_vring_get_used(vr, &token, &len);

		if (!r)
			break;
		done++;
		/* a token came back (r == 1 or -EMSGSIZE): the CPU owns it */
		if (token)
			ppv_rx_unmap_token(qp, token);
		if (likely(r == 1)) {
			if (qp->rx_mode == PPV_RX_MRG)
				r = ppv_rx_mrg(qp, token, len);
			else if (qp->rx_mode == PPV_RX_BIG)
				ppv_rx_big(qp, token, len);
			else
				ppv_rx_small(qp, token, len);
			if (likely(r >= 0))
				continue;
		} else if (r == -EMSGSIZE) {
			/* a length over the posted buffer: drop it, the ring goes on */
			ppv_stat_inc(&qp->rx_stats, bad_len);
			ppv_rx_drop(qp, token);
			net_dbg_ratelimited("%s: rx%u: used length %u over the buffer\n",
					    qp->priv->dev->name, qp->index, len);
			continue;
		}
		/* -ERANGE, -ENOENT, -EIO: the ring is broken */
		ppv_rx_broken(qp, r);
		return done;
	}

	/*
	 * An empty ring gets no packet, so no poll; nor does a ring with
	 * fewer buffers than the next packet needs (mergeable: up to 45 half
	 * pages for 64 KB), which the device leaves alone until it gets more
	 * (fault injection at 100 % found RX stalled so). Low after the fill
	 * (ppv_rx_low()), allocations are failing: refill from process
	 * context.
	 */
	if (!vr->broken && vr->num_free) {
		ppv_rx_fill(qp, GFP_ATOMIC);
		if (ppv_rx_low(qp))
			ppv_rx_schedule_refill(qp, READ_ONCE(qp->rx_starved) ?
						   PPV_REFILL_DELAY : 0);
	}
	return done;
}

/*
 * Fewer buffers posted than half a ring, or than the largest packet the
 * device may deliver needs (qp->rx_pkt_bufs: with ethtool -G rx 64 and
 * half-page mergeable buffers, a 64 KB frame needs 45 of the 64): the
 * refill work must top the ring up, as no packet may come to poll for.
 */
bool ppv_rx_low(const struct ppv_qp *qp)
{
	const struct ppv_vring *vr = &qp->rxq.vr;

	return ppv_vring_in_flight(vr) < max(vr->num / 2, qp->rx_pkt_bufs);
}

/*
 * Small buffers: bytes of page one takes for @mtu: headroom, header, frame
 * and the skb_shared_info that napi_build_skb() puts at the end. Half a
 * page or less shares pages; more takes a whole page.
 */
unsigned int ppv_rx_truesize(unsigned int mtu)
{
	unsigned int t = SKB_DATA_ALIGN(PPV_RX_HEADROOM + PPV_HDR_MAX +
					VLAN_ETH_HLEN + mtu) + PPV_RX_TAILROOM;

	/*
	 * a page splits into PAGE_SIZE / t buffers (ppv_rx_alloc()): each
	 * takes its share, the rest of the page included (1,984 bytes of
	 * frame room take a 2,048-byte half page), cache-aligned like t
	 */
	return ALIGN_DOWN(PAGE_SIZE / (PAGE_SIZE / t), SMP_CACHE_BYTES);
}

bool ppv_rx_small_fits(unsigned int mtu)
{
	return mtu <= PPV_SMALL_MAX_MTU;
}

/* What a used header may ask for, from the negotiated features. */
static void ppv_rx_set_caps(struct ppv_qp *qp)
{
	struct ppv_priv *priv = qp->priv;
	struct ppv_rx_caps *caps = &qp->rx_caps;

	memset(caps, 0, sizeof(*caps));
	if (ppv_has(priv, VIRTIO_NET_F_GUEST_CSUM))
		caps->flags |= PPV_NET_HDR_F_NEEDS_CSUM;
	if (ppv_has(priv, VIRTIO_NET_F_GUEST_TSO4))
		caps->gso |= 1u << PPV_NET_HDR_GSO_TCPV4;
	if (ppv_has(priv, VIRTIO_NET_F_GUEST_TSO6))
		caps->gso |= 1u << PPV_NET_HDR_GSO_TCPV6;
	caps->ecn = ppv_has(priv, VIRTIO_NET_F_GUEST_ECN);
	caps->mrg = qp->rx_mode == PPV_RX_MRG;
	caps->hash = ppv_has(priv, VIRTIO_NET_F_HASH_REPORT);
	caps->max_bufs = qp->rxq.num;
}

/*
 * Descriptors the largest packet the device may deliver takes: mergeable,
 * that many of the smallest buffers (half pages), capped at the ring;
 * else one buffer or big chain a packet.
 */
static unsigned int ppv_rx_pkt_bufs(const struct ppv_qp *qp)
{
	struct ppv_priv *priv = qp->priv;
	unsigned int max;

	if (qp->rx_mode == PPV_RX_BIG)
		return PPV_BIG_PAGES;
	if (qp->rx_mode == PPV_RX_SMALL)
		return 1;
	max = priv->hdr_len + VLAN_ETH_HLEN + priv->dev->mtu;
	if (qp->rx_caps.gso)
		max = PPV_BIG_BYTES;
	return min_t(unsigned int, qp->rxq.num,
		     DIV_ROUND_UP(max, ppv_rx_room(qp, PAGE_SIZE / 2)));
}

/* Create the queue's page pool; the ring itself comes from ppv_queue_setup(). */
int ppv_rx_open(struct ppv_qp *qp)
{
	struct ppv_priv *priv = qp->priv;
	unsigned int mtu = priv->dev->mtu;
	struct page_pool_params pp = {
		/* no PP_FLAG_DMA_MAP: buffers are mapped one by one (ppv_rx_map) */
		.flags = PP_FLAG_PAGE_FRAG,
		.order = 0,
		/* room to take back pages that sockets still hold */
		.pool_size = clamp_t(unsigned int, 4 * qp->rxq.num, 1024, 16384),
		.nid = dev_to_node(&priv->pdev->dev),
		.dev = &priv->pdev->dev,
	};

	/* a big chain's pages after the first are the skb's frags */
	BUILD_BUG_ON(PPV_BIG_PAGES - 1 > MAX_SKB_FRAGS);
	BUILD_BUG_ON((PPV_BIG_PAGES - 1) * PAGE_SIZE + PAGE_SIZE / 2 < PPV_BIG_BYTES);

	qp->rx_starved = false;
	qp->rx_page = NULL;
	qp->rx_page_refs = 0;
	if (ppv_has(priv, VIRTIO_NET_F_MRG_RXBUF)) {
		qp->rx_mode = PPV_RX_MRG;
		qp->rx_headroom = PPV_MRG_HEADROOM;
		ewma_ppv_pkt_len_init(&qp->rx_avg);
	} else if (ppv_has(priv, VIRTIO_NET_F_GUEST_TSO4) ||
		   ppv_has(priv, VIRTIO_NET_F_GUEST_TSO6) ||
		   !ppv_rx_small_fits(mtu)) {
		qp->rx_mode = PPV_RX_BIG;
		qp->rx_headroom = PPV_RX_HEADROOM;
		if (qp->rxq.num < PPV_BIG_PAGES) {
			netdev_err(priv->dev, "rx%u: %u descriptors cannot hold one %lu-page buffer\n",
				   qp->index, qp->rxq.num, PPV_BIG_PAGES);
			return -EINVAL;
		}
		qp->rx_chains = ppv_should_fail(PPV_FAULT_RING) ? NULL :
				kvcalloc(qp->rxq.num, sizeof(*qp->rx_chains),
					 GFP_KERNEL);
		if (!qp->rx_chains) {
			netdev_err(priv->dev, "rx%u: cannot allocate %u chain entries\n",
				   qp->index, qp->rxq.num);
			return -ENOMEM;
		}
	} else {
		qp->rx_mode = PPV_RX_SMALL;
		qp->rx_headroom = PPV_RX_HEADROOM;
		qp->rx_truesize = ppv_rx_truesize(mtu);
	}
	ppv_rx_set_caps(qp);
	qp->rx_pkt_bufs = ppv_rx_pkt_bufs(qp);

	ppv_pp_set_napi(&pp, &qp->napi, priv->dev);
	qp->pool = ppv_should_fail(PPV_FAULT_POOL) ? ERR_PTR(-ENOMEM) :
		   page_pool_create(&pp);
	if (IS_ERR(qp->pool)) {
		int err = PTR_ERR(qp->pool);

		qp->pool = NULL;
		netdev_err(priv->dev, "rx%u: cannot create page pool: %d\n",
			   qp->index, err);
		kvfree(qp->rx_chains);
		qp->rx_chains = NULL;
		return err;
	}
	return 0;
}

/*
 * After the device was reset and NAPI disabled: give every posted page back
 * to its pool and destroy the pool (it lingers until the stack returns the
 * pages still held by skbs).
 */
void ppv_rx_close(struct ppv_qp *qp)
{
	void *token;

	if (!qp->pool)
		return;
	if (qp->rxq.mem) {
		while ((token = ppv_vring_detach_unused(&qp->rxq.vr))) {
			struct ppv_rx_chain *c = token;
			unsigned int i;

			ppv_rx_unmap_token(qp, token);
			if (qp->rx_mode != PPV_RX_BIG) {
				page_pool_put_full_page(qp->pool,
							virt_to_page(token), false);
				continue;
			}
			for (i = 0; i < PPV_BIG_PAGES; i++)
				page_pool_put_full_page(qp->pool,
							virt_to_page(c->va[i]), false);
		}
	}
	ppv_rx_page_drop(qp, false);
	qp->pp_fresh_done += READ_ONCE(qp->pool->pages_state_hold_cnt);
	page_pool_destroy(qp->pool);
	qp->pool = NULL;
	kvfree(qp->rx_chains);
	qp->rx_chains = NULL;
}
