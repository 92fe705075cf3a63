/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels ppvnet builds for, kept in this one file.
 * Built and checked (W=1, sparse) against every series Debian ships: 6.1
 * (bookworm), 6.12 (bookworm-backports), 7.2 (sid), 7.3 (trixie-backports).
 * Each gate names the upstream release that brought the change and the
 * commit that did it.
 */
#ifndef _PPV_COMPAT_H
#define _PPV_COMPAT_H

#include <linux/hrtimer.h>
#include <linux/pci.h>
#include <linux/version.h>

/*
 * 6.1 is the oldest: netif_napi_add() without the weight argument (6.1,
 * b48b89f9c189 "net: drop the weight argument from netif_napi_add"); every
 * other kernel interface ppvnet uses is in 6.1 with the signature used here
 * and unchanged up to 7.3 (get_ringparam() with kernel_ethtool_ringparam,
 * ethtool_sprintf(), napi_build_skb(), skb_mark_for_recycle(),
 * page_pool_alloc_frag(), page_pool_put_full_page(), u64_stats_t).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "ppvnet needs Linux 6.1 or later"
#endif

/*
 * 6.6: include/net/page_pool.h became net/page_pool/types.h plus
 * net/page_pool/helpers.h (a9ca9f9ceff3 "page_pool: split types and
 * declarations from page_pool.h"); the old name is gone.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

/*
 * 6.7: every pool hands out fragments and PP_FLAG_PAGE_FRAG is gone
 * (09d96ee5674a "page_pool: remove PP_FLAG_PAGE_FRAG"). Up to 6.6
 * page_pool_alloc_frag() WARNs and returns NULL on a pool created without
 * the flag, so it must stay the real one there.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#define PP_FLAG_PAGE_FRAG	0
#endif

/*
 * Tie a queue's pool to its NAPI context and its netdev:
 * - 6.4: page_pool_params.napi, the NAPI that is the pool's only consumer,
 *   lets skb frees in that NAPI recycle straight into the pool's cache
 *   (8c48eea3adf3 "page_pool: allow caching from safely localized NAPI").
 *   The pool must be destroyed with that NAPI disabled (ppv_rx_close()).
 * - 6.8: page_pool_params.netdev lists the pool under its netdev for the
 *   netlink page-pool introspection (083772c9f972 "net: page_pool: record
 *   pools per netdev"; the fast/slow split of the params, 5027ec19f104,
 *   came in the same release and keeps designated initialisers working).
 */
static inline void ppv_pp_set_napi(struct page_pool_params *pp,
				   struct napi_struct *napi,
				   struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	pp->napi = napi;
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	pp->netdev = dev;
#endif
}

/*
 * 6.8: PCI_IRQ_LEGACY renamed PCI_IRQ_INTX (58ff9c5acb4a "PCI: Rename
 * PCI_IRQ_LEGACY to PCI_IRQ_INTX"); the old name stayed as an alias until
 * 6.10 (0e1fdd222f0a "PCI: Remove PCI_IRQ_LEGACY"). Stable trees took the
 * rename along with later fixes (5.4.293 has it; 6.1.192 does not), so
 * below 6.8 it is defined only where the tree lacks it: a second
 * definition would be a warning.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0) && !defined(PCI_IRQ_INTX)
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/*
 * 6.13: hrtimer_setup() sets the callback along with the clock and mode
 * (908a1d775422 "hrtimers: Introduce hrtimer_setup() to replace
 * hrtimer_init()"); hrtimer_init() was later removed.
 */
static inline void ppv_hrtimer_setup(struct hrtimer *t,
				     enum hrtimer_restart (*fn)(struct hrtimer *))
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	hrtimer_setup(t, fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
#else
	hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	t->function = fn;
#endif
}

/*
 * 6.8: a queue names its NAPI, a NAPI its IRQ, for the netdev netlink's
 * queue-get and napi-get (2a502ff0c4e4 "net: Add queue and napi
 * association", 26793bfb5d60 "net: Add NAPI IRQ support"). Called under
 * rtnl, with @napi enabled, and with NULL before it is disabled.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
static inline void ppv_queue_set_napi(struct net_device *dev, unsigned int i,
				      struct napi_struct *rx, int rx_irq,
				      struct napi_struct *tx, int tx_irq)
{
	if (rx && rx_irq > 0)
		netif_napi_set_irq(rx, rx_irq);
	if (tx && tx != rx && tx_irq > 0)
		netif_napi_set_irq(tx, tx_irq);
	netif_queue_set_napi(dev, i, NETDEV_QUEUE_TYPE_RX, rx);
	netif_queue_set_napi(dev, i, NETDEV_QUEUE_TYPE_TX, tx);
}
#else
static inline void ppv_queue_set_napi(struct net_device *dev, unsigned int i,
				      struct napi_struct *rx, int rx_irq,
				      struct napi_struct *tx, int tx_irq)
{
}
#endif

/*
 * 6.10: per-queue statistics for the netdev netlink's qstats-get
 * (ab63a2387cb9 "netdev: add per-queue statistics"), with their
 * rx-alloc-fail, GRO/GSO and stop/wake counters.
 */
/*
 * Since 6.13 a NAPI gets its id at napi_enable() and loses it at
 * napi_disable(), unless it has a persistent config (its queue index):
 * without one, every disable/enable (ppv_rx_refill_work(), a rebuild)
 * gave the pair a new id, breaking busy polling's SO_INCOMING_NAPI_ID and
 * the order of the device's NAPI list, which netlink's napi-get dump
 * relies on (a WARN in netdev_nl_napi_dump_one() on 7.3). Before 6.13 the
 * id is taken once, at netif_napi_add().
 */
static inline void ppv_napi_add(struct net_device *dev,
				struct napi_struct *napi,
				int (*poll)(struct napi_struct *, int),
				unsigned int index)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	netif_napi_add_config(dev, napi, poll, index);
#else
	netif_napi_add(dev, napi, poll);
#endif
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define PPV_HAVE_QSTATS	1
#include <net/netdev_queues.h>
#endif

/*
 * 6.8: get_rxfh() and set_rxfh() take their parameters in one struct
 * (fb6e30a72539 "net: ethtool: pass a pointer to parameters to get/set_rxfh
 * ethtool ops").
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define PPV_RXFH_PARAM	1
#endif

/*
 * PPV_HAVE_RX_RING_COUNT (from Kbuild, which looks for it in the kernel's
 * ethtool.h: it came between 6.12 and 7.2): the RX ring count has an
 * ethtool op of its own, get_rx_ring_count(), instead of get_rxnfc()'s
 * ETHTOOL_GRXRINGS. ppvnet gives both where both exist.
 */

#endif /* _PPV_COMPAT_H */
