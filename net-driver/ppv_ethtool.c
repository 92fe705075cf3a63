// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet statistics: ndo_get_stats64 and ethtool -i / -S. Per-queue
 * counters are u64_stats_t read under their u64_stats_sync; ethtool names
 * them rx<N>_<counter> and tx<N>_<counter>.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "ppv.h"
#include "ppv_compat.h"

struct ppv_stat_desc {
	const char *name;
	size_t off;
};

#define PPV_RX_STAT(f)	{ #f, offsetof(struct ppv_rx_stats, f) }
#define PPV_TX_STAT(f)	{ #f, offsetof(struct ppv_tx_stats, f) }

static const struct ppv_stat_desc ppv_rx_stat_desc[] = {
	PPV_RX_STAT(packets), PPV_RX_STAT(bytes), PPV_RX_STAT(drops),
	PPV_RX_STAT(errors), PPV_RX_STAT(kicks), PPV_RX_STAT(polls),
	PPV_RX_STAT(refill_fail), PPV_RX_STAT(refill_work), PPV_RX_STAT(skb_fail),
	PPV_RX_STAT(map_fail),
	PPV_RX_STAT(pp_alloc), PPV_RX_STAT(pp_pages), PPV_RX_STAT(pp_recycle),
	PPV_RX_STAT(bad_id), PPV_RX_STAT(bad_len), PPV_RX_STAT(bad_idx),
	PPV_RX_STAT(bad_hdr), PPV_RX_STAT(bad_nbuf), PPV_RX_STAT(bufs),
	PPV_RX_STAT(csum), PPV_RX_STAT(gso), PPV_RX_STAT(gso_ecn),
};

static const struct ppv_stat_desc ppv_tx_stat_desc[] = {
	PPV_TX_STAT(packets), PPV_TX_STAT(bytes), PPV_TX_STAT(drops),
	PPV_TX_STAT(errors), PPV_TX_STAT(alloc_fail), PPV_TX_STAT(kicks),
	PPV_TX_STAT(stops), PPV_TX_STAT(wakes), PPV_TX_STAT(bad_id),
	PPV_TX_STAT(bad_len), PPV_TX_STAT(bad_idx), PPV_TX_STAT(netpoll),
	PPV_TX_STAT(csum), PPV_TX_STAT(tso), PPV_TX_STAT(tso_ecn),
	PPV_TX_STAT(indirect),
	PPV_TX_STAT(bad_gso), PPV_TX_STAT(rekicks), PPV_TX_STAT(timeouts),
};

#define PPV_RX_NSTATS	ARRAY_SIZE(ppv_rx_stat_desc)
#define PPV_TX_NSTATS	ARRAY_SIZE(ppv_tx_stat_desc)

/* named qp<N>_<counter>: the queue pair's interrupt and timer counts */
static const struct ppv_stat_desc ppv_irq_stat_desc[] = {
	{ "interrupts", offsetof(struct ppv_irq_stats, irqs) },
};

/* split vectors: TX's own (0 otherwise) */
static const struct ppv_stat_desc ppv_txirq_stat_desc[] = {
	{ "tx_interrupts", offsetof(struct ppv_irq_stats, irqs) },
};

static const struct ppv_stat_desc ppv_timer_stat_desc[] = {
	{ "tx_timer", offsetof(struct ppv_timer_stats, tx_timer) },
};

#define PPV_IRQ_NSTATS	ARRAY_SIZE(ppv_irq_stat_desc)
#define PPV_TXIRQ_NSTATS	ARRAY_SIZE(ppv_txirq_stat_desc)
#define PPV_TIMER_NSTATS	ARRAY_SIZE(ppv_timer_stat_desc)
/* per queue pair: rx, rx pp_fresh, tx, interrupts and timers */
#define PPV_QP_NSTATS	(PPV_RX_NSTATS + 1 + PPV_TX_NSTATS + PPV_IRQ_NSTATS + \
			 PPV_TXIRQ_NSTATS + PPV_TIMER_NSTATS)

/* device-wide counters, before the per-queue ones */
static const char * const ppv_dev_stat_names[] = {
	"resets",	/* device resets that brought the datapath back */
	"reset_fail",	/* resets and rebuilds that failed (retried) */
	"ctrl_cmds",	/* control commands the device answered */
	"ctrl_errors",	/* ... refused, or answered with a bad used entry */
	"ctrl_timeouts", /* ... not answered in time (the device was reset) */
	"announces",	/* announcements sent after the device asked */
};

#define PPV_DEV_NSTATS	ARRAY_SIZE(ppv_dev_stat_names)

/* Copy @n counters of the block at @base, consistently under @syncp. */
static void ppv_read_stats(const struct u64_stats_sync *syncp, const void *base,
			   const struct ppv_stat_desc *desc, unsigned int n,
			   u64 *out)
{
	unsigned int start, i;

	do {
		start = u64_stats_fetch_begin(syncp);
		for (i = 0; i < n; i++)
			out[i] = u64_stats_read((const u64_stats_t *)
						(base + desc[i].off));
	} while (u64_stats_fetch_retry(syncp, start));
}

void ppv_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s)
{
	static const struct ppv_stat_desc rx[] = {
		PPV_RX_STAT(packets), PPV_RX_STAT(bytes), PPV_RX_STAT(drops),
		PPV_RX_STAT(errors), PPV_RX_STAT(bad_hdr), PPV_RX_STAT(bad_nbuf),
	};
	static const struct ppv_stat_desc tx[] = {
		PPV_TX_STAT(packets), PPV_TX_STAT(bytes), PPV_TX_STAT(drops),
		PPV_TX_STAT(errors),
	};
	struct ppv_priv *priv = netdev_priv(dev);
	unsigned int i;
	u64 v[6];

	/* every pair that ever ran: totals never go back after ethtool -L */
	for (i = 0; i < priv->max_qp; i++) {
		const struct ppv_qp *qp = &priv->qp[i];

		ppv_read_stats(&qp->rx_stats.syncp, &qp->rx_stats, rx,
			       ARRAY_SIZE(rx), v);
		s->rx_packets += v[0];
		s->rx_bytes += v[1];
		s->rx_dropped += v[2];
		s->rx_errors += v[3] + v[4] + v[5];
		s->rx_length_errors += v[3] + v[5];
		ppv_read_stats(&qp->tx_stats.syncp, &qp->tx_stats, tx,
			       ARRAY_SIZE(tx), v);
		s->tx_packets += v[0];
		s->tx_bytes += v[1];
		s->tx_dropped += v[2];
		s->tx_errors += v[3];
	}
}

static void ppv_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	struct ppv_priv *priv = netdev_priv(dev);

	strscpy(info->driver, PPV_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, PPV_DRV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, pci_name(priv->pdev), sizeof(info->bus_info));
}

static int ppv_get_sset_count(struct net_device *dev, int sset)
{
	struct ppv_priv *priv = netdev_priv(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return PPV_DEV_NSTATS + priv->nqp * PPV_QP_NSTATS;
}

static void ppv_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct ppv_priv *priv = netdev_priv(dev);
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < PPV_DEV_NSTATS; i++)
		ethtool_sprintf(&data, "%s", ppv_dev_stat_names[i]);
	for (q = 0; q < priv->nqp; q++) {
		for (i = 0; i < PPV_RX_NSTATS; i++)
			ethtool_sprintf(&data, "rx%u_%s", q, ppv_rx_stat_desc[i].name);
		ethtool_sprintf(&data, "rx%u_pp_fresh", q);
		for (i = 0; i < PPV_TX_NSTATS; i++)
			ethtool_sprintf(&data, "tx%u_%s", q, ppv_tx_stat_desc[i].name);
		for (i = 0; i < PPV_IRQ_NSTATS; i++)
			ethtool_sprintf(&data, "qp%u_%s", q, ppv_irq_stat_desc[i].name);
		for (i = 0; i < PPV_TXIRQ_NSTATS; i++)
			ethtool_sprintf(&data, "qp%u_%s", q, ppv_txirq_stat_desc[i].name);
		for (i = 0; i < PPV_TIMER_NSTATS; i++)
			ethtool_sprintf(&data, "qp%u_%s", q, ppv_timer_stat_desc[i].name);
	}
}

static void ppv_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct ppv_priv *priv = netdev_priv(dev);
	unsigned int q;

	/* in the order of ppv_dev_stat_names */
	*data++ = atomic64_read(&priv->resets);
	*data++ = atomic64_read(&priv->reset_fail);
	*data++ = atomic64_read(&priv->ctrl_cmds);
	*data++ = atomic64_read(&priv->ctrl_errors);
	*data++ = atomic64_read(&priv->ctrl_timeouts);
	*data++ = atomic64_read(&priv->announces);
	for (q = 0; q < priv->nqp; q++) {
		const struct ppv_qp *qp = &priv->qp[q];

		ppv_read_stats(&qp->rx_stats.syncp, &qp->rx_stats,
			       ppv_rx_stat_desc, PPV_RX_NSTATS, data);
		data += PPV_RX_NSTATS;
		/*
		 * pages the pool took from the page allocator, not from its
		 * cache of recycled ones: 1 - pp_fresh / pp_pages is the
		 * recycling rate. The pool exists while up; ethtool and
		 * open/stop both hold rtnl.
		 */
		*data++ = qp->pp_fresh_done +
			  (qp->pool ? READ_ONCE(qp->pool->pages_state_hold_cnt) : 0);
		ppv_read_stats(&qp->tx_stats.syncp, &qp->tx_stats,
			       ppv_tx_stat_desc, PPV_TX_NSTATS, data);
		data += PPV_TX_NSTATS;
		ppv_read_stats(&qp->irq_stats.syncp, &qp->irq_stats,
			       ppv_irq_stat_desc, PPV_IRQ_NSTATS, data);
		data += PPV_IRQ_NSTATS;
		ppv_read_stats(&qp->tx_irq_stats.syncp, &qp->tx_irq_stats,
			       ppv_txirq_stat_desc, PPV_TXIRQ_NSTATS, data);
		data += PPV_TXIRQ_NSTATS;
		ppv_read_stats(&qp->timer_stats.syncp, &qp->timer_stats,
			       ppv_timer_stat_desc, PPV_TIMER_NSTATS, data);
		data += PPV_TIMER_NSTATS;
	}
}

static void ppv_get_ringparam(struct net_device *dev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct ppv_priv *priv = netdev_priv(dev);

	/* the device's sizes, known while the interface is up */
	ring->rx_max_pending = priv->rx_ring_max;
	ring->tx_max_pending = priv->tx_ring_max;
	ring->rx_pending = priv->rx_ring ?: priv->rx_ring_max;
	ring->tx_pending = priv->tx_ring ?: priv->tx_ring_max;
}

/*
 * ethtool -G: split rings take a power of two up to the device's size;
 * a running interface is rebuilt with them. The device's size is stored
 * as 0, "the device's", which is what a later rebuild asks for.
 */
static int ppv_set_ringparam(struct net_device *dev,
			     struct ethtool_ringparam *ring,
			     struct kernel_ethtool_ringparam *kring,
			     struct netlink_ext_ack *extack)
{
	struct ppv_priv *priv = netdev_priv(dev);
	u32 rx = ring->rx_pending, tx = ring->tx_pending;

	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	if (rx < PPV_RING_MIN || tx < PPV_RING_MIN ||
	    rx > priv->rx_ring_max || tx > priv->tx_ring_max) {
		NL_SET_ERR_MSG_MOD(extack, "ring size below "
				   __stringify(PPV_RING_MIN)
				   " or above the device's (ethtool -g)");
		return -EINVAL;
	}
	if (!is_power_of_2(rx) || !is_power_of_2(tx)) {
		NL_SET_ERR_MSG_MOD(extack, "ring sizes must be powers of two");
		return -EINVAL;
	}
	return ppv_reshape(dev, priv->nqp,
			   rx == priv->rx_ring_max ? 0 : rx,
			   tx == priv->tx_ring_max ? 0 : tx);
}

static void ppv_get_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	struct ppv_priv *priv = netdev_priv(dev);

	ch->max_combined = priv->max_qp;
	ch->combined_count = priv->nqp;
	/* the config interrupt, with MSI-X */
	ch->max_other = priv->irq_mode == PPV_IRQ_INTX ? 0 : 1;
	ch->other_count = ch->max_other;
}

/* ethtool -L combined N: the device is told at the rebuild's DRIVER_OK */
static int ppv_set_channels(struct net_device *dev,
			    struct ethtool_channels *ch)
{
	struct ppv_priv *priv = netdev_priv(dev);

	if (ch->rx_count || ch->tx_count)
		return -EINVAL;
	if (ch->other_count != (priv->irq_mode == PPV_IRQ_INTX ? 0 : 1))
		return -EINVAL;
	if (!ch->combined_count || ch->combined_count > priv->max_qp)
		return -EINVAL;
	if (ch->combined_count == priv->nqp)
		return 0;
	return ppv_reshape(dev, ch->combined_count, priv->rx_ring,
			   priv->tx_ring);
}

/*
 * tx-usecs: how long packets left in flight by a sender that paused wait
 * to be reaped (ppv_tx_arm()); 0 asks the device for an interrupt instead.
 * Takes effect at the next kick or poll.
 */
static int ppv_get_coalesce(struct net_device *dev,
			    struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kec,
			    struct netlink_ext_ack *extack)
{
	struct ppv_priv *priv = netdev_priv(dev);

	ec->tx_coalesce_usecs = READ_ONCE(priv->tx_usecs);
	return 0;
}

static int ppv_set_coalesce(struct net_device *dev,
			    struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kec,
			    struct netlink_ext_ack *extack)
{
	struct ppv_priv *priv = netdev_priv(dev);

	if (ec->tx_coalesce_usecs > PPV_TX_USECS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "tx-usecs over "
				   __stringify(PPV_TX_USECS_MAX));
		return -EINVAL;
	}
	WRITE_ONCE(priv->tx_usecs, ec->tx_coalesce_usecs);
	return 0;
}

#ifdef PPV_HAVE_QSTATS
/*
 * netdev netlink qstats: the active pairs' counters per queue, and the
 * pairs ethtool -L took away as the base, so that queues plus base add up
 * to ndo_get_stats64's totals (which count every pair that ever ran).
 */
static void ppv_qstats_rx_add(const struct ppv_qp *qp,
			      struct netdev_queue_stats_rx *rx)
{
	static const struct ppv_stat_desc f[] = {
		PPV_RX_STAT(packets), PPV_RX_STAT(bytes),
		PPV_RX_STAT(refill_fail), PPV_RX_STAT(gso),
	};
	u64 v[ARRAY_SIZE(f)];

	ppv_read_stats(&qp->rx_stats.syncp, &qp->rx_stats, f, ARRAY_SIZE(f), v);
	rx->packets += v[0];
	rx->bytes += v[1];
	rx->alloc_fail += v[2];
	rx->hw_gro_packets += v[3];
}

static void ppv_qstats_tx_add(const struct ppv_qp *qp,
			      struct netdev_queue_stats_tx *tx)
{
	static const struct ppv_stat_desc f[] = {
		PPV_TX_STAT(packets), PPV_TX_STAT(bytes), PPV_TX_STAT(csum),
		PPV_TX_STAT(tso), PPV_TX_STAT(stops), PPV_TX_STAT(wakes),
	};
	u64 v[ARRAY_SIZE(f)];

	ppv_read_stats(&qp->tx_stats.syncp, &qp->tx_stats, f, ARRAY_SIZE(f), v);
	tx->packets += v[0];
	tx->bytes += v[1];
	tx->needs_csum += v[2];
	tx->hw_gso_packets += v[3];
	tx->stop += v[4];
	tx->wake += v[5];
}

/* the fields ppvnet reports, zeroed (the core marks the others unset) */
static void ppv_qstats_zero(struct netdev_queue_stats_rx *rx,
			    struct netdev_queue_stats_tx *tx)
{
	if (rx) {
		rx->packets = 0;
		rx->bytes = 0;
		rx->alloc_fail = 0;
		rx->hw_gro_packets = 0;
	}
	if (tx) {
		tx->packets = 0;
		tx->bytes = 0;
		tx->needs_csum = 0;
		tx->hw_gso_packets = 0;
		tx->stop = 0;
		tx->wake = 0;
	}
}

static void ppv_get_queue_stats_rx(struct net_device *dev, int idx,
				   struct netdev_queue_stats_rx *rx)
{
	struct ppv_priv *priv = netdev_priv(dev);

	ppv_qstats_zero(rx, NULL);
	ppv_qstats_rx_add(&priv->qp[idx], rx);
}

static void ppv_get_queue_stats_tx(struct net_device *dev, int idx,
				   struct netdev_queue_stats_tx *tx)
{
	struct ppv_priv *priv = netdev_priv(dev);

	ppv_qstats_zero(NULL, tx);
	ppv_qstats_tx_add(&priv->qp[idx], tx);
}

static void ppv_get_base_stats(struct net_device *dev,
			       struct netdev_queue_stats_rx *rx,
			       struct netdev_queue_stats_tx *tx)
{
	struct ppv_priv *priv = netdev_priv(dev);
	unsigned int i;

	ppv_qstats_zero(rx, tx);
	for (i = priv->nqp; i < priv->max_qp; i++) {
		ppv_qstats_rx_add(&priv->qp[i], rx);
		ppv_qstats_tx_add(&priv->qp[i], tx);
	}
}

const struct netdev_stat_ops ppv_stat_ops = {
	.get_queue_stats_rx	= ppv_get_queue_stats_rx,
	.get_queue_stats_tx	= ppv_get_queue_stats_tx,
	.get_base_stats		= ppv_get_base_stats,
};
#endif

/*
 * RSS (ethtool -x/-X): a Toeplitz key and a table of queue pairs, when the
 * device does RSS (VIRTIO_NET_F_RSS, negotiated with multiqueue). The core
 * checks every entry against the RX rings, which are the active pairs.
 */
static u32 ppv_get_rx_ring_count(struct net_device *dev)
{
	return ((struct ppv_priv *)netdev_priv(dev))->nqp;
}

/*
 * ethtool -n/-N rx-flow-hash: the hash types (VIRTIO_NET_RSS_HASH_TYPE_*)
 * behind a flow type, as @l3 (addresses) and @l4 (addresses and ports; 0
 * for flows without ports). The device hashes a TCP or UDP packet by its
 * ports when @l4 is on, else by its addresses when @l3 is.
 */
static int ppv_flow_types(u32 flow, u32 *l3, u32 *l4)
{
	switch (flow) {
	case TCP_V4_FLOW:
		*l4 = VIRTIO_NET_RSS_HASH_TYPE_TCPv4;
		break;
	case UDP_V4_FLOW:
		*l4 = VIRTIO_NET_RSS_HASH_TYPE_UDPv4;
		break;
	case IPV4_FLOW:
		*l4 = 0;
		break;
	case TCP_V6_FLOW:
		*l4 = VIRTIO_NET_RSS_HASH_TYPE_TCPv6;
		break;
	case UDP_V6_FLOW:
		*l4 = VIRTIO_NET_RSS_HASH_TYPE_UDPv6;
		break;
	case IPV6_FLOW:
		*l4 = 0;
		break;
	default:
		return -EINVAL;
	}
	*l3 = flow == TCP_V4_FLOW || flow == UDP_V4_FLOW || flow == IPV4_FLOW ?
	      VIRTIO_NET_RSS_HASH_TYPE_IPv4 : VIRTIO_NET_RSS_HASH_TYPE_IPv6;
	return 0;
}

#define PPV_RXH_L3	(RXH_IP_SRC | RXH_IP_DST)
#define PPV_RXH_L4	(PPV_RXH_L3 | RXH_L4_B_0_1 | RXH_L4_B_2_3)

static int ppv_get_flow_hash(struct ppv_priv *priv, u32 flow, u64 *data)
{
	u32 l3, l4;

	if (!priv->hash_types_dev)
		return -EOPNOTSUPP;
	if (ppv_flow_types(flow, &l3, &l4))
		return -EINVAL;
	if (priv->hash_types & l4)
		*data = PPV_RXH_L4;
	else if (priv->hash_types & l3)
		*data = PPV_RXH_L3;
	else
		*data = 0;
	return 0;
}

/*
 * Ports and addresses (TCP, UDP), addresses only, or, for the IP flow
 * types, nothing; whatever the device supports. "Nothing" for TCP or UDP
 * alone cannot be told to the device while it hashes addresses.
 */
static int ppv_set_flow_hash(struct ppv_priv *priv, u32 flow, u64 data)
{
	u32 l3, l4, types = priv->hash_types;

	if (!priv->hash_types_dev)
		return -EOPNOTSUPP;
	if (ppv_flow_types(flow, &l3, &l4))
		return -EINVAL;
	if (data == PPV_RXH_L4 && l4)
		types |= l4;
	else if (data == PPV_RXH_L3)
		types = (types & ~l4) | l3;
	else if (!data && !l4)
		types &= ~l3;
	else
		return -EINVAL;
	if (types & ~priv->hash_types_dev)
		return -EINVAL;
	return ppv_ctrl_set_hash_types(priv, types);
}

static int ppv_get_rxnfc(struct net_device *dev, struct ethtool_rxnfc *info,
			 u32 *rule_locs)
{
	switch (info->cmd) {
	case ETHTOOL_GRXRINGS:
		info->data = ppv_get_rx_ring_count(dev);
		return 0;
#ifndef PPV_HAVE_RXFH_FIELDS
	case ETHTOOL_GRXFH:
		return ppv_get_flow_hash(netdev_priv(dev), info->flow_type,
					 &info->data);
#endif
	default:
		return -EOPNOTSUPP;
	}
}

#ifdef PPV_HAVE_RXFH_FIELDS
static int ppv_get_rxfh_fields(struct net_device *dev,
			       struct ethtool_rxfh_fields *f)
{
	u64 data = 0;
	int err = ppv_get_flow_hash(netdev_priv(dev), f->flow_type, &data);

	f->data = data;
	return err;
}

static int ppv_set_rxfh_fields(struct net_device *dev,
			       const struct ethtool_rxfh_fields *f,
			       struct netlink_ext_ack *extack)
{
	if (f->rss_context)
		return -EOPNOTSUPP;
	return ppv_set_flow_hash(netdev_priv(dev), f->flow_type, f->data);
}
#else
static int ppv_set_rxnfc(struct net_device *dev, struct ethtool_rxnfc *info)
{
	if (info->cmd != ETHTOOL_SRXFH)
		return -EOPNOTSUPP;
	return ppv_set_flow_hash(netdev_priv(dev), info->flow_type, info->data);
}
#endif

/* The key with RSS or hash report; the table with RSS only. */
static u32 ppv_get_rxfh_key_size(struct net_device *dev)
{
	struct ppv_priv *priv = netdev_priv(dev);

	return priv->hash_types_dev ? PPV_RSS_KEY_LEN : 0;
}

static u32 ppv_get_rxfh_indir_size(struct net_device *dev)
{
	struct ppv_priv *priv = netdev_priv(dev);

	return ppv_has(priv, VIRTIO_NET_F_RSS) ? PPV_RSS_TABLE_LEN : 0;
}

static int ppv_rss_get(struct ppv_priv *priv, u32 *indir, u8 *key, u8 *hfunc)
{
	unsigned int i;

	if (!priv->hash_types_dev)
		return -EOPNOTSUPP;
	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	for (i = 0; indir && i < PPV_RSS_TABLE_LEN; i++)
		indir[i] = priv->rss_indir[i];
	if (key)
		memcpy(key, priv->rss_key, PPV_RSS_KEY_LEN);
	return 0;
}

static int ppv_rss_set(struct ppv_priv *priv, const u32 *indir, const u8 *key,
		       u8 hfunc)
{
	if (!priv->hash_types_dev ||
	    (indir && !ppv_has(priv, VIRTIO_NET_F_RSS)))
		return -EOPNOTSUPP;
	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	return ppv_ctrl_set_rss(priv, indir, key);
}

#ifdef PPV_RXFH_PARAM
static int ppv_get_rxfh(struct net_device *dev, struct ethtool_rxfh_param *p)
{
	return ppv_rss_get(netdev_priv(dev), p->indir, p->key, &p->hfunc);
}

static int ppv_set_rxfh(struct net_device *dev, struct ethtool_rxfh_param *p,
			struct netlink_ext_ack *extack)
{
	if (p->rss_context) {
		NL_SET_ERR_MSG_MOD(extack, "one RSS context only");
		return -EOPNOTSUPP;
	}
	return ppv_rss_set(netdev_priv(dev), p->indir, p->key, p->hfunc);
}
#else
static int ppv_get_rxfh(struct net_device *dev, u32 *indir, u8 *key, u8 *hfunc)
{
	return ppv_rss_get(netdev_priv(dev), indir, key, hfunc);
}

static int ppv_set_rxfh(struct net_device *dev, const u32 *indir,
			const u8 *key, const u8 hfunc)
{
	return ppv_rss_set(netdev_priv(dev), indir, key, hfunc);
}
#endif

/* What the device says (SPEED_DUPLEX), read with the link state. */
static int ppv_get_link_ksettings(struct net_device *dev,
				  struct ethtool_link_ksettings *cmd)
{
	struct ppv_priv *priv = netdev_priv(dev);

	cmd->base.speed = READ_ONCE(priv->speed);
	cmd->base.duplex = READ_ONCE(priv->duplex);
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	return 0;
}

const struct ethtool_ops ppv_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_TX_USECS,
	.get_drvinfo		= ppv_get_drvinfo,
	.get_coalesce		= ppv_get_coalesce,
	.set_coalesce		= ppv_set_coalesce,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= ppv_get_link_ksettings,
	.get_ringparam		= ppv_get_ringparam,
	.set_ringparam		= ppv_set_ringparam,
	.get_channels		= ppv_get_channels,
	.set_channels		= ppv_set_channels,
	.get_sset_count		= ppv_get_sset_count,
	.get_strings		= ppv_get_strings,
	.get_ethtool_stats	= ppv_get_ethtool_stats,
	.get_rxnfc		= ppv_get_rxnfc,
#ifdef PPV_HAVE_RXFH_FIELDS
	.get_rxfh_fields	= ppv_get_rxfh_fields,
	.set_rxfh_fields	= ppv_set_rxfh_fields,
#else
	.set_rxnfc		= ppv_set_rxnfc,
#endif
#ifdef PPV_HAVE_RX_RING_COUNT
	.get_rx_ring_count	= ppv_get_rx_ring_count,
#endif
	.get_rxfh_key_size	= ppv_get_rxfh_key_size,
	.get_rxfh_indir_size	= ppv_get_rxfh_indir_size,
	.get_rxfh		= ppv_get_rxfh,
	.set_rxfh		= ppv_set_rxfh,
};
