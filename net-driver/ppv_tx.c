// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet transmit: one kmem_cache object per packet in flight (the skb, its
 * DMA mappings, the virtio-net header and the indirect descriptor table),
 * checksum and TSO through the header, BQL, doorbells batched with
 * xmit_more, completions reaped in NAPI.
 */
#include <linux/dma-mapping.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/virtio_net.h>
#include <uapi/linux/virtio_net.h>
#include <uapi/linux/virtio_ring.h>

#include "ppv.h"
#include "ppv_fault.h"

static struct kmem_cache *ppv_tx_cache;

int ppv_tx_cache_create(void)
{
	ppv_tx_cache = kmem_cache_create("ppvnet_tx", sizeof(struct ppv_tx_obj),
					 0, SLAB_HWCACHE_ALIGN, NULL);
	return ppv_tx_cache ? 0 : -ENOMEM;
}

/* Objects of a dead device's packets are in it: ppv_tx_abandon() */
static bool ppv_tx_cache_leaked;

void ppv_tx_cache_destroy(void)
{
	if (ppv_tx_cache_leaked) {
		pr_warn("ppvnet: a dead device's TX packets are still allocated: kmem_cache ppvnet_tx leaked with them\n");
		return;
	}
	kmem_cache_destroy(ppv_tx_cache);
}

/*
 * TX objects come from ppv_tx_cache. A queue keeps the ones it frees, up to
 * a ring's worth, on a list of its own and takes from it first: in steady
 * state no packet allocates or frees. That is cheaper than the slab fast
 * path, and much cheaper where init_on_alloc is on (Debian's default):
 * there every kmem_cache_alloc() zeroes the whole object, indirect table
 * included, some 650 bytes a packet. Every user holds the queue's xmit
 * lock (or the queue is torn down: ppv_tx_close()).
 */
static struct ppv_tx_obj *ppv_tx_obj_get(struct ppv_qp *qp)
{
	struct ppv_tx_obj *obj = qp->tx_free;

	if (ppv_should_fail(PPV_FAULT_TX_OBJ))
		return NULL;
	if (likely(obj)) {
		qp->tx_free = obj->next;
		qp->tx_nfree--;
		return obj;
	}
	return kmem_cache_alloc(ppv_tx_cache, GFP_ATOMIC);
}

static void ppv_tx_obj_put(struct ppv_qp *qp, struct ppv_tx_obj *obj)
{
	if (unlikely(qp->tx_nfree >= qp->txq.num)) {
		kmem_cache_free(ppv_tx_cache, obj);
		return;
	}
	obj->next = qp->tx_free;
	qp->tx_free = obj;
	qp->tx_nfree++;
}

static void ppv_tx_unmap(struct ppv_priv *priv, struct ppv_tx_obj *obj)
{
	struct device *dma = &priv->pdev->dev;
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
	if (obj->indir_mapped) {
		dma_unmap_single(dma, obj->indir_addr, sizeof(obj->indir),
				 DMA_TO_DEVICE);
		obj->indir_mapped = false;
	}
}

/* One linear piece of the packet, for the device to read. */
static int ppv_tx_map_va(struct ppv_priv *priv, struct ppv_tx_obj *obj,
			 struct ppv_vring_buf *buf, void *va, u32 len)
{
	if (ppv_should_fail(PPV_FAULT_TX_MAP) ||
	    unlikely(!ppv_map(priv, va, len, DMA_TO_DEVICE, &buf->addr)))
		return -ENOMEM;
	buf->len = len;
	if (priv->dma_api) {
		obj->map[obj->nr_maps].addr = buf->addr;
		obj->map[obj->nr_maps].len = len;
		obj->map[obj->nr_maps].page = false;
		obj->nr_maps++;
	}
	return 0;
}

/* One page fragment: its physical address, or a DMA API mapping. */
static int ppv_tx_map_frag(struct ppv_priv *priv, struct ppv_tx_obj *obj,
			   struct ppv_vring_buf *buf, const skb_frag_t *frag)
{
	struct device *dma = &priv->pdev->dev;
	u32 len = skb_frag_size(frag);

	if (ppv_should_fail(PPV_FAULT_TX_MAP))
		return -ENOMEM;
	buf->len = len;
	if (!priv->dma_api) {
		buf->addr = page_to_phys(skb_frag_page(frag)) + skb_frag_off(frag);
		return 0;
	}
	buf->addr = skb_frag_dma_map(dma, frag, 0, len, DMA_TO_DEVICE);
	if (unlikely(dma_mapping_error(dma, buf->addr)))
		return -ENOMEM;
	obj->map[obj->nr_maps].addr = buf->addr;
	obj->map[obj->nr_maps].len = len;
	obj->map[obj->nr_maps].page = true;
	obj->nr_maps++;
	return 0;
}

/*
 * Map the header and the packet into @bufs; returns how many. The header
 * goes into the skb's headroom when that is private to us (one piece
 * less), else it is read from the TX object.
 */
static int ppv_tx_map(struct ppv_priv *priv, struct sk_buff *skb,
		      struct ppv_tx_obj *obj, struct ppv_vring_buf *bufs)
{
	unsigned int i, n = 0, hlen = priv->hdr_len;
	bool push = !skb_header_cloned(skb) && skb_headroom(skb) >= hlen;
	int err;

	obj->nr_maps = 0;
	obj->indir_mapped = false;
	if (push) {
		memcpy(__skb_push(skb, hlen), obj->hdr, hlen);
	} else {
		err = ppv_tx_map_va(priv, obj, &bufs[n++], obj->hdr, hlen);
		if (err)
			return err;
	}
	if (skb_headlen(skb)) {
		err = ppv_tx_map_va(priv, obj, &bufs[n++], skb->data,
				    skb_headlen(skb));
		if (err)
			goto unwind;
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		err = ppv_tx_map_frag(priv, obj, &bufs[n++],
				      &skb_shinfo(skb)->frags[i]);
		if (err)
			goto unwind;
	}
	return n;

unwind:
	ppv_tx_unmap(priv, obj);
	return err;
}

/*
 * The virtio-net header for @skb into obj->hdr: checksum and GSO requests
 * the device negotiated. Software fallbacks for what it did not: the
 * checksum here; GSO the stack does before us (the netdev advertises TSO
 * only with HOST_TSO4/6), so a GSO skb the device cannot take is a bug
 * upstream of us and is dropped, counted.
 */
static int ppv_tx_hdr(struct ppv_qp *qp, struct sk_buff *skb,
		      struct ppv_tx_obj *obj)
{
	struct ppv_priv *priv = qp->priv;
	struct virtio_net_hdr *h = (struct virtio_net_hdr *)obj->hdr;
	u8 gso;

	if (skb->ip_summed == CHECKSUM_PARTIAL && !skb_is_gso(skb) &&
	    !ppv_has(priv, VIRTIO_NET_F_CSUM) && skb_checksum_help(skb))
		return -EINVAL;
	/* with HASH_REPORT, a hash of 0 and report NONE (virtio 1.x 5.1.6.2) */
	memset(obj->hdr, 0, sizeof(obj->hdr));
	if (virtio_net_hdr_from_skb(skb, h, true, false, 0))
		goto bad_gso;
	gso = h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;
	if (gso == VIRTIO_NET_HDR_GSO_NONE)
		return 0;
	if ((gso == VIRTIO_NET_HDR_GSO_TCPV4 &&
	     !ppv_has(priv, VIRTIO_NET_F_HOST_TSO4)) ||
	    (gso == VIRTIO_NET_HDR_GSO_TCPV6 &&
	     !ppv_has(priv, VIRTIO_NET_F_HOST_TSO6)) ||
	    (gso != VIRTIO_NET_HDR_GSO_TCPV4 && gso != VIRTIO_NET_HDR_GSO_TCPV6) ||
	    ((h->gso_type & VIRTIO_NET_HDR_GSO_ECN) &&
	     !ppv_has(priv, VIRTIO_NET_F_HOST_ECN)) ||
	    !(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		goto bad_gso;
	return 0;

bad_gso:
	ppv_stat_inc(&qp->tx_stats, bad_gso);
	net_dbg_ratelimited("%s: tx%u: GSO type %#x the device cannot take\n",
			    priv->dev->name, qp->index, skb_shinfo(skb)->gso_type);
	return -EINVAL;
}

/*
 * Publish and notify the device if it asked for it, or regardless when
 * @force: a notification the device missed would otherwise strand what is
 * in flight (ppv_tx_rekick()).
 */
/*
 * A notification the device did not ask for: the safety net of a lost one
 * (ppv_tx_arm()), txN_rekicks. Restarts ppv_tx_watch()'s clock.
 */
static void ppv_tx_rekick(struct ppv_qp *qp)
{
	qp->tx_watch_at = jiffies;
	ppv_stat_inc(&qp->tx_stats, rekicks);
	if (!ppv_should_fail(PPV_FAULT_TX_REKICK))
		ppv_notify(&qp->txq);
}

static void ppv_tx_kick(struct ppv_qp *qp, bool force)
{
	ppv_vring_publish(&qp->txq.vr);
	qp->tx_watch_at = jiffies;
	if (ppv_vring_kick_prepare(&qp->txq.vr)) {
		ppv_stat_inc(&qp->tx_stats, kicks);
		/* fault point: the device misses it (see ppv_tx_arm()) */
		if (!ppv_should_fail(PPV_FAULT_TX_KICK))
			ppv_notify(&qp->txq);
	} else if (force) {
		ppv_tx_rekick(qp);
	}
}

/*
 * In every poll: packets in flight, and the device used none of them for
 * PPV_TX_STALL since the last publish or the last one it used: it may have
 * missed a notification (ppv_tx_arm() says how), so notify regardless.
 * Whatever the poll is for: while packets are received, polls come all
 * the time and push the TX timer back, whose own check would never run.
 */
static void ppv_tx_watch(struct ppv_qp *qp)
{
	struct ppv_vring *vr = &qp->txq.vr;

	if (vr->published == vr->last_used || vr->last_used != qp->tx_watch_used) {
		qp->tx_watch_used = vr->last_used;
		qp->tx_watch_at = jiffies;
		return;
	}
	if (!vr->broken && time_after(jiffies, qp->tx_watch_at + PPV_TX_STALL))
		ppv_tx_rekick(qp);
}

static void ppv_tx_free(struct ppv_qp *qp, struct ppv_tx_obj *obj, int budget)
{
	ppv_tx_unmap(qp->priv, obj);
	napi_consume_skb(obj->skb, budget);
	ppv_tx_obj_put(qp, obj);
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
 * Reap completed packets; the caller holds the queue's xmit lock. @budget
 * as napi_consume_skb() takes it: 0 unless BHs are off and IRQs on.
 */
static unsigned int ppv_tx_reclaim(struct ppv_qp *qp,
				   struct netdev_queue *txq, int budget)
{
	struct ppv_vring *vr = &qp->txq.vr;
	unsigned int pkts = 0, bytes = 0;
	void *token;
	u32 len;
	int r;

	/* already reported: the reset work takes it from here */
	if (unlikely(vr->broken))
		return 0;
	/* fault point: a device that stops serving the queue (no used entry) */
	if (ppv_should_fail(PPV_FAULT_TX_STALL))
		return 0;
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
	return pkts;
}

/*
 * Put the packet on the ring: through an indirect table in the TX object
 * when the device offers them (one ring slot a packet, whatever its
 * fragments), else as a chain of descriptors.
 */
static int ppv_tx_add(struct ppv_qp *qp, struct ppv_tx_obj *obj,
		      struct ppv_vring_buf *bufs, unsigned int n)
{
	struct ppv_priv *priv = qp->priv;
	struct device *dma = &priv->pdev->dev;
	dma_addr_t addr;
	int err;

	if (n == 1 || !ppv_has(priv, VIRTIO_RING_F_INDIRECT_DESC))
		return ppv_vring_add(&qp->txq.vr, bufs, n, 0, obj);

	/*
	 * Mapped before it is written, then synced: a bounce buffer
	 * (swiotlb) gets the table's contents only from the sync.
	 */
	if (ppv_should_fail(PPV_FAULT_TX_INDIR) ||
	    unlikely(!ppv_map(priv, obj->indir, sizeof(obj->indir),
			      DMA_TO_DEVICE, &addr)))
		return -ENOMEM;
	if (priv->dma_api) {
		obj->indir_addr = addr;
		obj->indir_mapped = true;
	}
	err = ppv_vring_add_indirect(&qp->txq.vr, obj->indir, addr, bufs, n, 0,
				     obj);
	if (!err && priv->dma_api)
		dma_sync_single_for_device(dma, addr, n * sizeof(obj->indir[0]),
					   DMA_TO_DEVICE);
	if (!err)
		ppv_stat_inc(&qp->tx_stats, indirect);
	return err;
}

/*
 * End of a batch: publish and kick, then see to the reaping. A stopped
 * queue sends nothing more that would kick again, so it notifies even when
 * the event index says the device is busy (see ppv_tx_arm()); the
 * completions that wake it may all be used already, before the interrupt
 * was asked for: poll for them then.
 */
static void ppv_tx_flush(struct ppv_qp *qp, struct netdev_queue *txq)
{
	ppv_tx_kick(qp, netif_xmit_stopped(txq));
	if (ppv_tx_arm(qp, txq, PPV_TX_KICKED, false))
		ppv_tx_schedule(qp);
}

/* Poll for TX completions: the TX NAPI if split, else the pair's. */
void ppv_tx_schedule(struct ppv_qp *qp)
{
	if (ppv_split(qp->priv))
		napi_schedule(&qp->tx_napi);
	else
		ppv_qp_schedule(qp);
}

netdev_tx_t ppv_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ppv_priv *priv = netdev_priv(dev);
	u16 qidx = skb_get_queue_mapping(skb);
	struct ppv_qp *qp = &priv->qp[qidx];
	struct netdev_queue *txq = netdev_get_tx_queue(dev, qidx);
	struct ppv_vring_buf *bufs = qp->tx_bufs;	/* under the xmit lock */
	struct ppv_tx_obj *obj;
	bool kick, csum, gso, ecn;
	int n, err;

	/*
	 * No interrupt comes for completions while packets keep coming (see
	 * ppv_tx_arm()): take what is done now, so skbs go back to their
	 * sockets without waiting for the timer. BHs are off here, as in
	 * NAPI, so the skbs may go to the CPU's NAPI cache and back to the
	 * slab in bulk (napi_consume_skb() with a budget); not from netpoll,
	 * which sends with IRQs off.
	 */
	ppv_tx_reclaim(qp, txq, irqs_disabled() ? 0 : 1);

	/* the ring holds qp->tx_stop_at descriptors at least; a longer skb is linearised */
	if (unlikely(skb_shinfo(skb)->nr_frags + 2 > qp->tx_stop_at) &&
	    skb_linearize(skb))
		goto drop;

	obj = ppv_tx_obj_get(qp);
	if (unlikely(!obj)) {
		ppv_stat_inc(&qp->tx_stats, alloc_fail);
		goto drop;
	}
	if (unlikely(ppv_tx_hdr(qp, skb, obj))) {
		ppv_tx_obj_put(qp, obj);
		goto drop;
	}
	obj->skb = skb;
	obj->bytes = skb->len;
	csum = skb->ip_summed == CHECKSUM_PARTIAL;
	gso = skb_is_gso(skb);
	/* read now: once on the ring, the skb may be completed and freed */
	ecn = gso && (skb_shinfo(skb)->gso_type & SKB_GSO_TCP_ECN);
	/*
	 * before ppv_tx_map() pushes the virtio-net header: the error
	 * queue's copy of the packet (SO_TIMESTAMPING) starts at the
	 * Ethernet header
	 */
	skb_tx_timestamp(skb);
	n = ppv_tx_map(priv, skb, obj, bufs);
	if (unlikely(n < 0)) {
		ppv_stat_inc(&qp->tx_stats, errors);
		net_dbg_ratelimited("%s: tx%u: DMA mapping failed\n",
				    dev->name, qidx);
		ppv_tx_obj_put(qp, obj);
		goto drop;
	}
	err = ppv_tx_add(qp, obj, bufs, n);
	if (unlikely(err)) {
		ppv_tx_unmap(priv, obj);
		ppv_tx_obj_put(qp, obj);
		ppv_stat_inc(&qp->tx_stats, errors);
		/* the queue stops before the ring can fill: only a broken ring says -ENOSPC */
		if (err == -ENOSPC)
			netif_tx_stop_queue(txq);
		goto drop;
	}
	if (csum || gso) {
		u64_stats_update_begin(&qp->tx_stats.syncp);
		if (csum)
			u64_stats_inc(&qp->tx_stats.csum);
		if (gso)
			u64_stats_inc(&qp->tx_stats.tso);
		if (ecn)
			u64_stats_inc(&qp->tx_stats.tso_ecn);
		u64_stats_update_end(&qp->tx_stats.syncp);
	}
	kick = __netdev_tx_sent_queue(txq, obj->bytes, netdev_xmit_more());
	if (qp->txq.vr.num_free < qp->tx_stop_at) {
		netif_tx_stop_queue(txq);
		ppv_stat_inc(&qp->tx_stats, stops);
		kick = true;
	}
	if (kick)
		ppv_tx_flush(qp, txq);
	return NETDEV_TX_OK;

drop:
	dev_kfree_skb_any(skb);
	ppv_stat_inc(&qp->tx_stats, drops);
	/*
	 * earlier packets held back by xmit_more must still reach the
	 * device, and be reaped
	 */
	if (!netdev_xmit_more())
		ppv_tx_flush(qp, txq);
	return NETDEV_TX_OK;
}

/*
 * Reap completed packets and wake the queue if the ring had filled: from
 * ppv_poll(), @budget 0 when netpoll polls. The caller holds the xmit lock.
 * Returns the packets reaped.
 */
unsigned int ppv_tx_complete(struct ppv_qp *qp, struct netdev_queue *txq,
			     int budget)
{
	struct ppv_vring *vr = &qp->txq.vr;
	unsigned int pkts;

	if (!budget)
		ppv_stat_inc(&qp->tx_stats, netpoll);
	pkts = ppv_tx_reclaim(qp, txq, budget);
	ppv_tx_watch(qp);
	if (netif_tx_queue_stopped(txq) && !vr->broken &&
	    vr->num_free >= qp->tx_stop_at) {
		netif_tx_wake_queue(txq);
		ppv_stat_inc(&qp->tx_stats, wakes);
	}
	return pkts;
}

/* ppv_tx_arm()'s timer: poll for the completions no interrupt reports. */
enum hrtimer_restart ppv_tx_timer(struct hrtimer *t)
{
	struct ppv_qp *qp = container_of(t, struct ppv_qp, tx_timer);

	ppv_stat_inc(&qp->timer_stats, tx_timer);
	WRITE_ONCE(qp->tx_timer_fired, true);
	ppv_tx_schedule(qp);
	return HRTIMER_NORESTART;
}

/*
 * At the end of the poll that reaps TX (the pair's, or the TX NAPI when
 * split): whether it is the TX timer's, and ppv_tx_arm(). Under the xmit
 * lock.
 */
bool ppv_tx_poll_arm(struct ppv_qp *qp, struct netdev_queue *txq, int reaped)
{
	bool timer = READ_ONCE(qp->tx_timer_fired);

	if (timer)
		WRITE_ONCE(qp->tx_timer_fired, false);
	return ppv_tx_arm(qp, txq, reaped, timer);
}

/*
 * Split vectors: the TX NAPI, scheduled by the TX interrupt, the TX timer,
 * a kick that found its completions already there, and the RX poll.
 * Reaps, wakes the queue, and decides how the rest will be reaped; its
 * work does not count against the budget (as virtio_net's TX NAPI).
 */
int ppv_tx_poll(struct napi_struct *napi, int budget)
{
	struct ppv_qp *qp = container_of(napi, struct ppv_qp, tx_napi);
	struct netdev_queue *txq = netdev_get_tx_queue(qp->priv->dev, qp->index);
	unsigned int reaped;
	bool more;

	if (unlikely(!budget)) {
		/* netpoll, maybe from inside ppv_start_xmit(): see ppv_poll() */
		if (__netif_tx_trylock(txq)) {
			ppv_tx_complete(qp, txq, 0);
			__netif_tx_unlock(txq);
		}
		return 0;
	}
	__netif_tx_lock(txq, smp_processor_id());
	reaped = ppv_tx_complete(qp, txq, budget);
	more = ppv_tx_poll_arm(qp, txq, reaped);
	__netif_tx_unlock(txq);
	if (more)
		return budget;
	napi_complete_done(napi, 0);
	return 0;
}

/**
 * ppv_tx_arm - decide how the packets in flight will be reaped
 * @qp: queue pair
 * @txq: its netdev queue, whose xmit lock the caller holds
 * @reaped: packets the poll just reaped, or PPV_TX_KICKED after a kick
 * @timer: the poll is the TX timer's
 *
 * After a kick and at the end of a poll. The next ppv_start_xmit() reaps
 * what the device has used, so while the sender keeps sending no
 * interrupt is needed; the packets it leaves in flight when it pauses are
 * reaped by a timer tx_usecs after (ethtool -C tx-usecs), one poll for
 * all of them. The device's TX interrupt, once three quarters of what is
 * in flight are used, is asked for only:
 *  - while the queue is stopped (ring full, or BQL's limit): no xmit
 *    comes to reap;
 *  - while the device is slow: the timer's poll found packets in flight
 *    but none used (it would only run again for nothing), until a poll
 *    reaps;
 *  - at tx_usecs 0, always.
 *
 * Measured under -icount with 64-byte UDP: QEMU uses each kick's packets
 * before the guest sends the next, so an interrupt asked for at every
 * poll came every 3 packets.
 *
 * A notification can be lost: the event-index handshake needs a full
 * barrier on both sides between publishing and reading the other side's
 * index, and QEMU's TCG without parallel vCPUs (-icount; QEMU 7.2, Debian
 * 12's) drops the guest's barriers (QEMU 8.1 keeps them). A device that
 * missed one waits for a kick while the driver, whose next checks all say
 * the device is busy, waits for the device: seen here as a queue stopped
 * by BQL for good, 17 packets published and never used. So the driver
 * notifies regardless when a queue stops, when the timer finds packets
 * in flight of which the device used none (@timer), and when any poll
 * finds none used for PPV_TX_STALL (ppv_tx_watch()): txN_rekicks. A queue
 * that stays stuck all the same is the stack's watchdog's
 * (ppv_tx_timeout()).
 *
 * Returns true when the interrupt was asked for and the entries it waits
 * for are used already: the caller must schedule a poll.
 */
bool ppv_tx_arm(struct ppv_qp *qp, struct netdev_queue *txq, int reaped,
		bool timer)
{
	struct ppv_vring *vr = &qp->txq.vr;
	u32 usecs = READ_ONCE(qp->priv->tx_usecs);
	bool in_flight = vr->published != vr->last_used;

	if (reaped > 0) {
		qp->tx_slow = false;
	} else if (!reaped && in_flight && timer && !vr->broken) {
		qp->tx_slow = true;
		ppv_tx_rekick(qp);
	}
	if (!usecs || qp->tx_slow || netif_xmit_stopped(txq)) {
		/*
		 * The interrupt reaps. While packets are in flight a slow
		 * timer still polls now and then: if the device missed the
		 * notification, no interrupt comes, and a queue BQL did not
		 * stop (TCP's small queues hold the senders back first)
		 * would wait for ever, unseen by the watchdog; its poll
		 * rekicks (ppv_tx_watch()).
		 */
		if (!in_flight) {
			hrtimer_try_to_cancel(&qp->tx_timer);
		} else if (!hrtimer_is_queued(&qp->tx_timer)) {
			hrtimer_start(&qp->tx_timer,
				      ns_to_ktime(PPV_TX_WATCH_NS),
				      HRTIMER_MODE_REL);
			qp->tx_timer_watch = true;
		}
		return ppv_vring_enable_cb_delayed(vr);
	}
	/* without event index a flag; with it used_event stays behind */
	ppv_vring_disable_cb(vr);
	/*
	 * After a kick the timer is started once and runs out: a sender
	 * that keeps sending meets it every tx_usecs. After a poll it is
	 * pushed back: while polls come (for received packets, as TCP's
	 * ACKs come back) they reap what is sent, and it never runs.
	 */
	if (in_flight && (reaped != PPV_TX_KICKED || qp->tx_timer_watch ||
			  !hrtimer_is_queued(&qp->tx_timer))) {
		/* (the slow timer of the branch above must not hold it back) */
		hrtimer_start(&qp->tx_timer,
			      ns_to_ktime((u64)usecs * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
		qp->tx_timer_watch = false;
	}
	return false;
}

/*
 * After the device was reset: free every packet still on the ring, and the
 * objects kept for reuse.
 */
void ppv_tx_close(struct ppv_qp *qp)
{
	struct ppv_tx_obj *obj;

	if (qp->txq.mem) {
		while ((obj = ppv_vring_detach_unused(&qp->txq.vr))) {
			ppv_tx_unmap(qp->priv, obj);
			dev_kfree_skb_any(obj->skb);
			kmem_cache_free(ppv_tx_cache, obj);
			ppv_stat_inc(&qp->tx_stats, drops);
		}
		netdev_tx_reset_queue(netdev_get_tx_queue(qp->priv->dev,
							  qp->index));
	}
	while ((obj = qp->tx_free)) {
		qp->tx_free = obj->next;
		kmem_cache_free(ppv_tx_cache, obj);
	}
	qp->tx_nfree = 0;
}

/*
 * The device is dead (ppv_reset() failed): the packets on the ring stay
 * allocated, since it may still read them (and follow their indirect
 * tables); the objects kept for reuse, which it never saw, are freed.
 * Returns the descriptors left in flight.
 */
unsigned int ppv_tx_abandon(struct ppv_qp *qp)
{
	unsigned int n = qp->txq.mem ? ppv_vring_in_flight(&qp->txq.vr) : 0;
	struct ppv_tx_obj *obj;

	while ((obj = qp->tx_free)) {
		qp->tx_free = obj->next;
		kmem_cache_free(ppv_tx_cache, obj);
	}
	qp->tx_nfree = 0;
	if (n)
		ppv_tx_cache_leaked = true;
	return n;
}

/*
 * ndo_tx_timeout: queue @txqueue was stopped for the watchdog's time (5 s)
 * without a completion, whatever the rekicks did. Count it, say where the
 * ring stands, and reset the device (the reset work rebuilds the
 * datapath and frees what was in flight).
 */
void ppv_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct ppv_priv *priv = netdev_priv(dev);
	struct netdev_queue *txq = netdev_get_tx_queue(dev, txqueue);
	struct ppv_qp *qp = &priv->qp[txqueue];
	struct ppv_vring *vr = &qp->txq.vr;

	/*
	 * The watchdog froze the queue, it holds no xmit lock: take it, as
	 * every writer of the ring and of tx_stats does. ppv_down() clears
	 * up before its netif_tx_disable() takes this lock: with up set, the
	 * ring is there until we let go.
	 */
	__netif_tx_lock(txq, smp_processor_id());
	if (priv->up && txqueue < priv->nqp) {
		ppv_stat_inc(&qp->tx_stats, timeouts);
		netdev_err(dev, "tx%u: transmit timed out: avail idx %u (device sees %u), used idx %u, last used %u, %u descriptors in flight, event index %u%s: resetting the device\n",
			   txqueue, vr->avail_idx,
			   le16_to_cpu(READ_ONCE(vr->avail->idx)),
			   le16_to_cpu(READ_ONCE(vr->used->idx)), vr->last_used,
			   ppv_vring_in_flight(vr),
			   le16_to_cpu(READ_ONCE(*(__le16 *)&vr->used->ring[vr->num])),
			   vr->broken ? ", ring broken" : "");
		ppv_schedule_reset(priv);
	}
	__netif_tx_unlock(txq);
}
