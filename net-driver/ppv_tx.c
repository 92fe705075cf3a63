// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet transmit: one kmem_cache object per packet in flight (the skb, its
 * DMA mappings and the virtio-net header), BQL, doorbells batched with
 * xmit_more, completions reaped in NAPI.
 */
#include <linux/dma-mapping.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "ppv.h"
#include "ppv_fault.h"

static struct kmem_cache *ppv_tx_cache;

int ppv_tx_cache_create(void)
{
	ppv_tx_cache = kmem_cache_create("ppvnet_tx", sizeof(struct ppv_tx_obj),
					 0, SLAB_HWCACHE_ALIGN, NULL);
	return ppv_tx_cache ? 0 : -ENOMEM;
}

void ppv_tx_cache_destroy(void)
{
	kmem_cache_destroy(ppv_tx_cache);
}

static void ppv_tx_unmap(struct device *dma, struct ppv_tx_obj *obj)
{
	unsigned int i;

	for (i = 0; i < obj->nr_maps; i++) {
		if (obj->map[i].page)
			dma_unmap_page(dma, obj->map[i].addr, obj->map[i].len,
				       DMA_TO_DEVICE);
		else
			dma_unmap_single(dma, obj->map[i].addr, obj->map[i].len,
					 DMA_TO_DEVICE);
	}
	obj->nr_maps = 0;
}

static int ppv_tx_map_one(struct device *dma, struct ppv_tx_obj *obj,
			  dma_addr_t addr, u32 len, bool page)
{
	if (unlikely(dma_mapping_error(dma, addr)))
		return -ENOMEM;
	if (ppv_should_fail(PPV_FAULT_TX_MAP)) {
		/* an injected failure must not leak the real mapping */
		if (page)
			dma_unmap_page(dma, addr, len, DMA_TO_DEVICE);
		else
			dma_unmap_single(dma, addr, len, DMA_TO_DEVICE);
		return -ENOMEM;
	}
	obj->map[obj->nr_maps].addr = addr;
	obj->map[obj->nr_maps].len = len;
	obj->map[obj->nr_maps].page = page;
	obj->nr_maps++;
	return 0;
}

/*
 * Map the header and the packet. The header goes into the skb's headroom
 * when that is private to us (one descriptor less), else it is mapped from
 * the TX object.
 */
static int ppv_tx_map(struct device *dma, struct sk_buff *skb,
		      struct ppv_tx_obj *obj)
{
	bool push = !skb_header_cloned(skb) && skb_headroom(skb) >= PPV_HDR_LEN;
	unsigned int i;
	int err;

	obj->nr_maps = 0;
	if (push) {
		memset(__skb_push(skb, PPV_HDR_LEN), 0, PPV_HDR_LEN);
	} else {
		memset(obj->hdr, 0, PPV_HDR_LEN);
		err = ppv_tx_map_one(dma, obj,
				     dma_map_single(dma, obj->hdr, PPV_HDR_LEN,
						    DMA_TO_DEVICE),
				     PPV_HDR_LEN, false);
		if (err)
			return err;
	}
	err = ppv_tx_map_one(dma, obj,
			     dma_map_single(dma, skb->data, skb_headlen(skb),
					    DMA_TO_DEVICE),
			     skb_headlen(skb), false);
	if (err)
		goto unwind;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		err = ppv_tx_map_one(dma, obj,
				     skb_frag_dma_map(dma, frag, 0,
						      skb_frag_size(frag),
						      DMA_TO_DEVICE),
				     skb_frag_size(frag), true);
		if (err)
			goto unwind;
	}
	return 0;

unwind:
	ppv_tx_unmap(dma, obj);
	return err;
}

static void ppv_tx_kick(struct ppv_qp *qp)
{
	ppv_vring_publish(&qp->txq.vr);
	if (ppv_vring_kick_prepare(&qp->txq.vr)) {
		ppv_notify(&qp->txq);
		ppv_stat_inc(&qp->tx_stats, kicks);
	}
}

static void ppv_tx_free(struct ppv_qp *qp, struct ppv_tx_obj *obj, int budget)
{
	ppv_tx_unmap(&qp->priv->pdev->dev, obj);
	napi_consume_skb(obj->skb, budget);
	kmem_cache_free(ppv_tx_cache, obj);
}

/*
 * The device returned a chain it was never given, or moved the used index
 * past what it was given: the packets it really sent are unknown, so the
 * ring stays stopped until the reset work rebuilds it (and frees them).
 */
static void ppv_tx_broken(struct ppv_qp *qp, struct netdev_queue *txq, int r)
{
	u64_stats_update_begin(&qp->tx_stats.syncp);
	if (r == -EIO)
		u64_stats_inc(&qp->tx_stats.bad_idx);
	else
		u64_stats_inc(&qp->tx_stats.bad_id);
	u64_stats_update_end(&qp->tx_stats.syncp);
	netif_tx_stop_queue(txq);
	netdev_err(qp->priv->dev, "tx%u: device reported %s (err %d): ring stopped, resetting the device\n",
		   qp->index, r == -EIO ? "a used index past the ring" :
		   "a used id it was not given", r);
	ppv_schedule_reset(qp->priv);
}

/*
 * Reap completed packets; the caller holds the queue's xmit lock. @budget 0
 * outside NAPI.
 */
static void ppv_tx_reclaim(struct ppv_qp *qp, struct netdev_queue *txq,
			   int budget)
{
	struct ppv_vring *vr = &qp->txq.vr;
	unsigned int pkts = 0, bytes = 0;
	void *token;
	u32 len;
	int r;

	/* already reported: the reset work takes it from here */
	if (unlikely(vr->broken))
		return;
	ppv_fault_lie_used(vr, PPV_FAULT_TX_LIE);
	while ((r = ppv_vring_get_used(vr, &token, &len)) != 0) {
		if (unlikely(r == -ERANGE || r == -ENOENT || r == -EIO)) {
			ppv_tx_broken(qp, txq, r);
			break;
		}
		/* the device writes nothing into a TX chain: len must be 0 */
		if (r == -EMSGSIZE)
			ppv_stat_inc(&qp->tx_stats, bad_len);
		pkts++;
		bytes += ((struct ppv_tx_obj *)token)->bytes;
		ppv_tx_free(qp, token, budget);
	}
	if (pkts) {
		netdev_tx_completed_queue(txq, pkts, bytes);
		u64_stats_update_begin(&qp->tx_stats.syncp);
		u64_stats_add(&qp->tx_stats.packets, pkts);
		u64_stats_add(&qp->tx_stats.bytes, bytes);
		u64_stats_update_end(&qp->tx_stats.syncp);
	}
}

netdev_tx_t ppv_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ppv_priv *priv = netdev_priv(dev);
	u16 qidx = skb_get_queue_mapping(skb);
	struct ppv_qp *qp = &priv->qp[qidx];
	struct netdev_queue *txq = netdev_get_tx_queue(dev, qidx);
	struct device *dma = &priv->pdev->dev;
	struct ppv_vring_buf bufs[PPV_TX_MAX_DESC];
	struct ppv_tx_obj *obj;
	unsigned int i;
	bool kick;

	/*
	 * Completions are interrupt-driven only every few packets (see
	 * ppv_poll()): take what is done now, so skbs go back to their
	 * sockets without waiting for the interrupt.
	 */
	ppv_tx_reclaim(qp, txq, 0);

	/* the ring holds qp->tx_stop_at descriptors at least; a longer skb is linearised */
	if (unlikely(skb_shinfo(skb)->nr_frags + 2 > qp->tx_stop_at) &&
	    skb_linearize(skb))
		goto drop;

	obj = ppv_should_fail(PPV_FAULT_TX_OBJ) ? NULL :
	      kmem_cache_alloc(ppv_tx_cache, GFP_ATOMIC);
	if (unlikely(!obj)) {
		ppv_stat_inc(&qp->tx_stats, alloc_fail);
		goto drop;
	}
	obj->skb = skb;
	obj->bytes = skb->len;
	if (unlikely(ppv_tx_map(dma, skb, obj))) {
		ppv_stat_inc(&qp->tx_stats, errors);
		net_dbg_ratelimited("%s: tx%u: DMA mapping failed\n",
				    dev->name, qidx);
		kmem_cache_free(ppv_tx_cache, obj);
		goto drop;
	}
	for (i = 0; i < obj->nr_maps; i++) {
		bufs[i].addr = obj->map[i].addr;
		bufs[i].len = obj->map[i].len;
	}
	if (unlikely(ppv_vring_add(&qp->txq.vr, bufs, obj->nr_maps, 0, obj))) {
		/* the queue stops before the ring can fill: only a broken ring gets here */
		ppv_tx_unmap(dma, obj);
		kmem_cache_free(ppv_tx_cache, obj);
		ppv_stat_inc(&qp->tx_stats, errors);
		netif_tx_stop_queue(txq);
		goto drop;
	}
	skb_tx_timestamp(skb);

	kick = __netdev_tx_sent_queue(txq, obj->bytes, netdev_xmit_more());
	if (qp->txq.vr.num_free < qp->tx_stop_at) {
		netif_tx_stop_queue(txq);
		ppv_stat_inc(&qp->tx_stats, stops);
		kick = true;
		/*
		 * The completions that wake the queue may all have been reaped
		 * before the stop became visible; look once more.
		 */
		if (ppv_vring_has_used(&qp->txq.vr))
			napi_schedule(&qp->napi);
	}
	if (kick)
		ppv_tx_kick(qp);
	return NETDEV_TX_OK;

drop:
	dev_kfree_skb_any(skb);
	ppv_stat_inc(&qp->tx_stats, drops);
	/* earlier packets held back by xmit_more must still reach the device */
	if (!netdev_xmit_more())
		ppv_tx_kick(qp);
	return NETDEV_TX_OK;
}

/*
 * Reap completed packets and wake the queue if the ring had filled: from
 * ppv_poll(), @budget 0 when netpoll polls. The caller holds the xmit lock.
 */
void ppv_tx_complete(struct ppv_qp *qp, struct netdev_queue *txq, int budget)
{
	struct ppv_vring *vr = &qp->txq.vr;

	if (!budget)
		ppv_stat_inc(&qp->tx_stats, netpoll);
	ppv_tx_reclaim(qp, txq, budget);
	if (netif_tx_queue_stopped(txq) && !vr->broken &&
	    vr->num_free >= qp->tx_stop_at) {
		netif_tx_wake_queue(txq);
		ppv_stat_inc(&qp->tx_stats, wakes);
	}
}

/* After the device was reset: free every packet still on the ring. */
void ppv_tx_close(struct ppv_qp *qp)
{
	struct ppv_tx_obj *obj;

	if (!qp->txq.mem)
		return;
	while ((obj = ppv_vring_detach_unused(&qp->txq.vr))) {
		ppv_tx_unmap(&qp->priv->pdev->dev, obj);
		dev_kfree_skb_any(obj->skb);
		kmem_cache_free(ppv_tx_cache, obj);
		ppv_stat_inc(&qp->tx_stats, drops);
	}
	netdev_tx_reset_queue(netdev_get_tx_queue(qp->priv->dev, qp->index));
}
