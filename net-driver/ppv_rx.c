// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet receive: one page pool per RX queue, buffers carved from its pages
 * (two per page at the default MTU, a whole page for jumbo frames),
 * refilled inside the NAPI poll with GFP_ATOMIC and published once per poll;
 * skbs are built over the page without a copy and go to GRO. When the ring
 * runs empty and atomic allocations keep failing, a delayed work refills it
 * with GFP_KERNEL so receive never stalls for good.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/skbuff.h>

#include "ppv.h"
#include "ppv_compat.h"
#include "ppv_fault.h"
#include "ppv_rxparse.h"

#define PPV_REFILL_DELAY	(HZ / 50)	/* between retries of the refill work */
#define PPV_FILL_TRIES		16		/* failed allocations one fill accepts */

/*
 * A buffer is known by the address of its first byte: the page and the
 * offset in it follow from that (pool pages are order-0 lowmem pages).
 */
static void *ppv_rx_alloc(struct ppv_qp *qp, gfp_t gfp)
{
	struct page *page = NULL;
	unsigned int offset;

	if (!ppv_should_fail(PPV_FAULT_RX_PAGE))
		page = page_pool_alloc_frag(qp->pool, &offset, qp->rx_truesize,
					    gfp | __GFP_NOWARN);
	if (unlikely(!page)) {
		ppv_stat_inc(&qp->rx_stats, refill_fail);
		return NULL;
	}
	ppv_stat_inc(&qp->rx_stats, pp_alloc);
	return page_address(page) + offset;
}

/*
 * Each buffer is mapped while the device owns it, and unmapped as soon as
 * the device hands it back (ppv_rx_unmap()), never by the pool: a page the
 * stack still holds after the driver is gone (a socket nobody reads while
 * rmmod runs) then holds no mapping of a device that has no driver. (With
 * PP_FLAG_DMA_MAP, DMA-API debug caught exactly that at rmmod under load.)
 * The address is kept in the buffer's headroom, outside the mapping.
 */
static bool ppv_rx_map(struct ppv_qp *qp, void *va, dma_addr_t *addr)
{
	struct device *dma = &qp->priv->pdev->dev;
	dma_addr_t a;

	if (ppv_should_fail(PPV_FAULT_RX_MAP)) {
		ppv_stat_inc(&qp->rx_stats, map_fail);
		return false;
	}
	a = dma_map_single(dma, va + PPV_RX_HEADROOM, qp->rx_buf_len,
			   DMA_FROM_DEVICE);
	if (unlikely(dma_mapping_error(dma, a))) {
		ppv_stat_inc(&qp->rx_stats, map_fail);
		return false;
	}
	*(dma_addr_t *)va = a;
	*addr = a;
	return true;
}

static void ppv_rx_unmap(struct ppv_qp *qp, void *va)
{
	dma_unmap_single(&qp->priv->pdev->dev, *(dma_addr_t *)va,
			 qp->rx_buf_len, DMA_FROM_DEVICE);
}

/* A buffer the stack never saw, unmapped, back to its pool. */
static void ppv_rx_recycle(struct ppv_qp *qp, void *va)
{
	page_pool_recycle_direct(qp->pool, virt_to_page(va));
	ppv_stat_inc(&qp->rx_stats, pp_recycle);
}

/*
 * Post pages until the ring is full or an allocation fails; publish them in
 * one batch and kick if the device asks for it. Returns false when the ring
 * is left empty. In NAPI or with NAPI disabled: the pool's cache is not
 * safe against both at once.
 */
bool ppv_rx_fill(struct ppv_qp *qp, gfp_t gfp)
{
	struct ppv_vring *vr = &qp->rxq.vr;
	unsigned int added = 0, failed = 0;

	while (vr->num_free) {
		struct ppv_vring_buf buf;
		void *va = ppv_rx_alloc(qp, gfp);

		/*
		 * One failure need not mean the next fails too; giving up at
		 * the first drained the ring under sporadic failures (10 %
		 * injected), and a drained ring drops at the host.
		 */
		if (va && unlikely(!ppv_rx_map(qp, va, &buf.addr))) {
			ppv_rx_recycle(qp, va);
			va = NULL;
		}
		if (!va) {
			if (++failed == PPV_FILL_TRIES)
				break;
			continue;
		}
		buf.len = qp->rx_buf_len;
		if (unlikely(ppv_vring_add(vr, &buf, 0, 1, va))) {
			/* only a broken ring refuses a buffer that fits */
			ppv_rx_unmap(qp, va);
			ppv_rx_recycle(qp, va);
			break;
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
	filled = ppv_rx_fill(qp, GFP_KERNEL);
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

static void ppv_rx_drop(struct ppv_qp *qp, void *va)
{
	ppv_rx_recycle(qp, va);
	ppv_stat_inc(&qp->rx_stats, drops);
}

static void ppv_rx_one(struct ppv_qp *qp, void *va, u32 used_len)
{
	struct net_device *dev = qp->priv->dev;
	struct sk_buff *skb;
	u32 pkt_len;
	int err;

	err = ppv_rx_parse(va + PPV_RX_HEADROOM, qp->rx_buf_len, used_len,
			   &pkt_len);
	if (unlikely(err)) {
		u64_stats_update_begin(&qp->rx_stats.syncp);
		if (err == -EMSGSIZE)
			u64_stats_inc(&qp->rx_stats.errors);
		else
			u64_stats_inc(&qp->rx_stats.bad_hdr);
		u64_stats_update_end(&qp->rx_stats.syncp);
		net_dbg_ratelimited("%s: rx%u: malformed buffer from the device (len %u, err %d)\n",
				    dev->name, qp->index, used_len, err);
		ppv_rx_drop(qp, va);
		return;
	}

	skb = napi_build_skb(va, qp->rx_truesize);
	if (unlikely(!skb)) {
		ppv_stat_inc(&qp->rx_stats, skb_fail);
		ppv_rx_drop(qp, va);
		return;
	}
	skb_reserve(skb, PPV_RX_HEADROOM + PPV_HDR_LEN);
	__skb_put(skb, pkt_len);
	skb_mark_for_recycle(skb);
	skb->protocol = eth_type_trans(skb, dev);

	u64_stats_update_begin(&qp->rx_stats.syncp);
	u64_stats_inc(&qp->rx_stats.packets);
	u64_stats_add(&qp->rx_stats.bytes, pkt_len);
	u64_stats_update_end(&qp->rx_stats.syncp);

	napi_gro_receive(&qp->napi, skb);
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
			ppv_rx_unmap(qp, token);
		if (likely(r == 1)) {
			ppv_rx_one(qp, token, len);
			continue;
		}
		if (r != -EMSGSIZE) {
			/* -ERANGE, -ENOENT, -EIO: the ring is broken */
			ppv_rx_broken(qp, r);
			return done;
		}
		/* a length over the posted buffer: drop it, the ring goes on */
		ppv_stat_inc(&qp->rx_stats, bad_len);
		ppv_rx_drop(qp, token);
		net_dbg_ratelimited("%s: rx%u: used length %u over the buffer\n",
				    qp->priv->dev->name, qp->index, len);
	}

	/* an empty ring gets no packet, so no poll: refill from process context now */
	if (!vr->broken && vr->num_free && !ppv_rx_fill(qp, GFP_ATOMIC))
		ppv_rx_schedule_refill(qp, READ_ONCE(qp->rx_starved) ?
					   PPV_REFILL_DELAY : 0);
	return done;
}

/*
 * Bytes of page one buffer takes for @mtu: headroom, header, frame and the
 * skb_shared_info that napi_build_skb() puts at the end. Half a page or
 * less shares pages; more takes a whole page.
 */
unsigned int ppv_rx_truesize(unsigned int mtu)
{
	unsigned int t = SKB_DATA_ALIGN(PPV_RX_HEADROOM + PPV_HDR_LEN +
					VLAN_ETH_HLEN + mtu) +
			 SKB_DATA_ALIGN(sizeof(struct skb_shared_info));

	return t <= PAGE_SIZE / 2 ? t : PAGE_SIZE;
}

/* Create the queue's page pool; the ring itself comes from ppv_queue_setup(). */
int ppv_rx_open(struct ppv_qp *qp)
{
	struct ppv_priv *priv = qp->priv;
	struct page_pool_params pp = {
		/* no PP_FLAG_DMA_MAP: buffers are mapped one by one (ppv_rx_map) */
		.flags = PP_FLAG_PAGE_FRAG,
		.order = 0,
		/* room to take back pages that sockets still hold */
		.pool_size = clamp_t(unsigned int, 4 * qp->rxq.num, 1024, 16384),
		.nid = dev_to_node(&priv->pdev->dev),
		.dev = &priv->pdev->dev,
	};

	qp->rx_starved = false;
	qp->rx_truesize = ppv_rx_truesize(priv->dev->mtu);
	qp->rx_buf_len = qp->rx_truesize - PPV_RX_HEADROOM -
			 SKB_DATA_ALIGN(sizeof(struct skb_shared_info));

	ppv_pp_set_napi(&pp, &qp->napi, priv->dev);
	qp->pool = ppv_should_fail(PPV_FAULT_POOL) ? ERR_PTR(-ENOMEM) :
		   page_pool_create(&pp);
	if (IS_ERR(qp->pool)) {
		int err = PTR_ERR(qp->pool);

		qp->pool = NULL;
		netdev_err(priv->dev, "rx%u: cannot create page pool: %d\n",
			   qp->index, err);
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
	void *va;

	if (!qp->pool)
		return;
	if (qp->rxq.mem) {
		while ((va = ppv_vring_detach_unused(&qp->rxq.vr))) {
			ppv_rx_unmap(qp, va);
			page_pool_put_full_page(qp->pool, virt_to_page(va), false);
		}
	}
	page_pool_destroy(qp->pool);
	qp->pool = NULL;
}
