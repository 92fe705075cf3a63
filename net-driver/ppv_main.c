// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet: a network driver for QEMU's virtio-net PCI device (1af4:1041)
 * that speaks the virtio 1.x transport itself, owns its rings in coherent
 * DMA memory and receives into page_pool pages.
 *
 * Life cycle: probe negotiates features, reads the MAC and registers the
 * netdev with the device reset. ndo_open brings the device up from scratch
 * (negotiation, rings, page pools, IRQs, RX fill, DRIVER_OK); ndo_stop
 * resets it and frees all of that again, so a down interface holds no ring
 * memory, page or IRQ.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_vlan.h>
#include <linux/kmemleak.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_net.h>

#include "ppv.h"
#include "ppv_compat.h"
#include "ppv_fault.h"

/*
 * Split vectors: the RX poll takes the TX completions it finds on its way,
 * as virtio_net's virtnet_poll_cleantx() does, when the xmit lock is free:
 * fewer TX interrupts and timer runs, no waiting on the sending CPU.
 */
static void ppv_poll_cleantx(struct ppv_qp *qp, struct netdev_queue *txq,
			     int budget)
{
	unsigned int reaped;
	bool more = false;

	if (!ppv_vring_has_used(&qp->txq.vr) || !__netif_tx_trylock(txq))
		return;
	reaped = ppv_tx_complete(qp, txq, budget);
	if (reaped)
		more = ppv_tx_arm(qp, txq, reaped, false);
	__netif_tx_unlock(txq);
	if (more)
		napi_schedule(&qp->tx_napi);
}

/*
 * The TX ring is shared with ppv_start_xmit(), which reaps completions and
 * publishes on any CPU: everything NAPI does to it, reaping and re-arming
 * the interrupt, runs under the queue's xmit lock. (Re-armed without it, a
 * stale published index next to a fresh last_used could park used_event
 * some 49 k entries ahead: a queue stopped by BQL would then wait for an
 * interrupt that never comes.)
 *
 * Both rings are re-armed, and checked once more, before
 * napi_complete_done(): once it clears NAPI_STATE_SCHED, napi_disable()
 * returns and ppv_down() may free the rings, and another poll (the TX
 * timer's, the refill work's, busy polling, threaded NAPI) may run. So
 * nothing after it touches a ring: entries that came meanwhile keep the
 * poll going (return @budget) instead of being rescheduled afterwards.
 */
static int ppv_poll(struct napi_struct *napi, int budget)
{
	struct ppv_qp *qp = container_of(napi, struct ppv_qp, napi);
	struct netdev_queue *txq = netdev_get_tx_queue(qp->priv->dev, qp->index);
	unsigned int reaped;
	bool more;
	int done;

	if (unlikely(!budget)) {
		/*
		 * netpoll (netconsole): TX completions only. It may call us
		 * from inside ppv_start_xmit() on this CPU, with the xmit lock
		 * held (a message printed there): only try the lock.
		 */
		if (__netif_tx_trylock(txq)) {
			ppv_tx_complete(qp, txq, 0);
			__netif_tx_unlock(txq);
		}
		return 0;
	}

	ppv_stat_inc(&qp->rx_stats, polls);
	if (ppv_split(qp->priv)) {
		ppv_poll_cleantx(qp, txq, budget);
		reaped = 0;
	} else {
		/* softirq: ppv_start_xmit() runs with BHs off, never under us */
		__netif_tx_lock(txq, smp_processor_id());
		reaped = ppv_tx_complete(qp, txq, budget);
		__netif_tx_unlock(txq);
	}

	done = ppv_rx_poll(qp, budget);
	if (done >= budget)
		return budget;
	more = ppv_vring_enable_cb(&qp->rxq.vr);
	if (!ppv_split(qp->priv)) {
		/*
		 * both rings, always: either may have work waiting. TX asks
		 * for an interrupt only while its queue is stopped; else
		 * ppv_start_xmit() and the TX timer reap (ppv_tx_arm()).
		 */
		__netif_tx_lock(txq, smp_processor_id());
		more |= ppv_tx_poll_arm(qp, txq, reaped);
		__netif_tx_unlock(txq);
	}
	if (more) {
		/* poll again at once, without the interrupt meanwhile */
		ppv_vring_disable_cb(&qp->rxq.vr);
		return budget;
	}
	/*
	 * An interrupt between the re-arm and here finds NAPI still ours:
	 * napi_complete_done() sees it (NAPI_STATE_MISSED) and polls again.
	 */
	if (napi_complete_done(napi, done))
		ppv_fault_delay(PPV_FAULT_POLL_TAIL, 30);
	return done;
}

static void ppv_update_carrier(struct ppv_priv *priv)
{
	u8 mac[ETH_ALEN];
	u16 status;

	if (ppv_read_config(priv, mac, &status))
		return;
	if (status & VIRTIO_NET_S_ANNOUNCE)
		ppv_ctrl_announce(priv);
	if (status & VIRTIO_NET_S_LINK_UP) {
		if (!netif_carrier_ok(priv->dev))
			netdev_info(priv->dev, "link up\n");
		netif_carrier_on(priv->dev);
	} else {
		if (netif_carrier_ok(priv->dev))
			netdev_info(priv->dev, "link down\n");
		netif_carrier_off(priv->dev);
	}
}

static void ppv_config_work(struct work_struct *work)
{
	struct ppv_priv *priv = container_of(work, struct ppv_priv, config_work);

	/*
	 * No rtnl here: ppv_stop() cancels this work under rtnl, after freeing
	 * the IRQ that schedules it.
	 */
	if (ioread8(&priv->common->device_status) & VIRTIO_CONFIG_S_NEEDS_RESET) {
		netdev_err(priv->dev, "device needs a reset: resetting it\n");
		ppv_schedule_reset(priv);
	}
	ppv_update_carrier(priv);
}

/* Free what ppv_open() built; the device must be reset and NAPI disabled. */
static void ppv_free_queues(struct ppv_priv *priv)
{
	unsigned int i;

	for (i = 0; i < priv->nqp; i++) {
		struct ppv_qp *qp = &priv->qp[i];

		ppv_tx_close(qp);
		ppv_rx_close(qp);
		ppv_queue_free(priv, &qp->txq);
		ppv_queue_free(priv, &qp->rxq);
	}
	ppv_ctrl_close(priv);
}

static int ppv_setup_queues(struct ppv_priv *priv)
{
	unsigned int i;
	int err;

	for (i = 0; i < priv->nqp; i++) {
		struct ppv_qp *qp = &priv->qp[i];

		err = ppv_queue_setup(priv, &qp->rxq, 2 * i,
				      ppv_qp_vector(priv, i), priv->rx_ring);
		if (err)
			return err;
		err = ppv_queue_setup(priv, &qp->txq, 2 * i + 1,
				      ppv_tx_vector(priv, i), priv->tx_ring);
		if (err)
			return err;
		/*
		 * Stop while a packet of the most fragments still fits: one
		 * descriptor with indirect tables, but a few packets' worth
		 * of headroom keeps stops and wakes from alternating per
		 * packet on a full ring.
		 */
		qp->tx_stop_at = min_t(unsigned int, PPV_TX_MAX_DESC, qp->txq.num);
		qp->tx_slow = false;
		err = ppv_rx_open(qp);
		if (err)
			return err;
	}
	return ppv_ctrl_open(priv);
}

static void ppv_refill_enable(struct ppv_priv *priv, bool on)
{
	spin_lock_irq(&priv->work_lock);
	priv->refill_enabled = on;
	spin_unlock_irq(&priv->work_lock);
}

static void ppv_down(struct ppv_priv *priv, bool rebuild);

/* Build the datapath and start it: ndo_open and every rebuild. rtnl held. */
static int ppv_up(struct ppv_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int i;
	int err;

	if (READ_ONCE(priv->dead)) {
		netdev_err(dev, "the device did not complete a reset: it stays down until ppvnet is unbound from it and bound again\n");
		return -EIO;
	}
	err = ppv_negotiate(priv);
	if (err)
		return err;
	if (priv->irq_mode != PPV_IRQ_INTX) {
		err = ppv_set_config_vector(priv, ppv_config_vector(priv));
		if (err)
			goto err_reset;
	}
	err = ppv_setup_queues(priv);
	if (err)
		goto err_queues;
	err = ppv_request_irqs(priv);
	if (err)
		goto err_queues;

	ppv_add_status(priv, VIRTIO_CONFIG_S_DRIVER_OK);

	/*
	 * Fill after DRIVER_OK (no doorbell may ring before it) and before
	 * NAPI runs, so the pools may be used from here with GFP_KERNEL.
	 */
	ppv_refill_enable(priv, true);
	for (i = 0; i < priv->nqp; i++) {
		struct ppv_qp *qp = &priv->qp[i];

		/* as in ppv_rx_poll(): while low, keep refilling */
		ppv_rx_fill(qp, GFP_KERNEL);
		if (ppv_rx_low(qp))
			ppv_rx_schedule_refill(qp, HZ / 50);
		napi_enable(&qp->napi);
		if (ppv_split(priv)) {
			napi_enable(&qp->tx_napi);
			ppv_queue_set_napi(dev, i, &qp->napi, qp->irq,
					   &qp->tx_napi, qp->tx_irq);
		} else {
			ppv_queue_set_napi(dev, i, &qp->napi, ppv_qp_irq(priv, i),
					   &qp->napi, ppv_qp_irq(priv, i));
		}
		/*
		 * An interrupt that came while NAPI was disabled was lost, and
		 * with event index none comes again until the used ring is
		 * read: poll once.
		 */
		local_bh_disable();
		ppv_qp_schedule(qp);
		local_bh_enable();
	}
	ppv_update_carrier(priv);
	priv->up = true;
	/* a device that starts from reset: pairs, MAC, filters, offloads */
	err = ppv_ctrl_apply(priv);
	if (err) {
		ppv_down(priv, false);
		return err;
	}
	ppv_irq_spread_start(priv);
	/*
	 * Wake, not start: after a rebuild the qdisc holds packets that
	 * ppv_down()'s netif_tx_disable() kept back, and only a wake
	 * reschedules it.
	 */
	netif_tx_wake_all_queues(dev);
	return 0;

err_queues:
	if (!ppv_reset(priv))
		ppv_free_queues(priv);
	return err;
err_reset:
	ppv_reset(priv);
	return err;
}

/*
 * Stop the datapath and free it: ndo_stop and every rebuild. rtnl held.
 * The order is what makes a rebuild under traffic safe:
 *  1. no refill work may start, the running one finishes (it polls);
 *  2. NAPI off and every poll returned (synchronize_net()): nothing can
 *     wake a TX queue; netpoll skips a disabled NAPI too;
 *  3. netif_tx_disable() takes each xmit lock: a ppv_start_xmit() (or
 *     netpoll's) in progress has finished, and no new one starts;
 *  4. the device reset: it stops touching the rings;
 * only then are IRQs, rings, packets, pages and BQL state freed.
 */
static void ppv_down(struct ppv_priv *priv, bool rebuild)
{
	struct net_device *dev = priv->dev;
	unsigned int i;
	bool dead;

	if (!priv->up)
		return;
	priv->up = false;
	ppv_refill_enable(priv, false);
	for (i = 0; i < priv->nqp; i++)
		cancel_delayed_work_sync(&priv->qp[i].refill);
	for (i = 0; i < priv->nqp; i++) {
		ppv_queue_set_napi(dev, i, NULL, 0, NULL, 0);
		napi_disable(&priv->qp[i].napi);
		if (ppv_split(priv))
			napi_disable(&priv->qp[i].tx_napi);
	}
	/*
	 * napi_disable() waits for NAPI_STATE_SCHED only: a poll past its
	 * napi_complete_done() may still be running (ppv_poll() touches no
	 * ring there, but the NAPI core still returns through it). Polls run
	 * in softirq, threaded NAPI with BHs off, busy polling under
	 * rcu_read_lock(): all RCU readers, so this waits for every one.
	 */
	synchronize_net();
	netif_tx_disable(dev);
	/* nothing arms it now; a run in progress finds NAPI disabled */
	for (i = 0; i < priv->nqp; i++)
		hrtimer_cancel(&priv->qp[i].tx_timer);

	dead = ppv_reset(priv);
	ppv_free_irqs(priv);
	cancel_work_sync(&priv->config_work);
	/* a rebuild keeps the link: ppv_up() reads it again */
	if (!rebuild || dead)
		netif_carrier_off(dev);
	/* a dead device may still write to them: kept, leaked at remove */
	if (!dead)
		ppv_free_queues(priv);
}

static int ppv_open(struct net_device *dev)
{
	return ppv_up(netdev_priv(dev));
}

static int ppv_stop(struct net_device *dev)
{
	/* after a failed rebuild nothing is up: ppv_down() returns at once */
	ppv_down(netdev_priv(dev), false);
	netif_carrier_off(dev);
	return 0;
}

/* What a rebuild may change: everything that sizes rings and buffers. */
struct ppv_shape {
	unsigned int mtu;
	unsigned int nqp;
	u16 rx_ring, tx_ring;
};

static void ppv_get_shape(struct ppv_priv *priv, struct ppv_shape *sh)
{
	sh->mtu = priv->dev->mtu;
	sh->nqp = priv->nqp;
	sh->rx_ring = priv->rx_ring;
	sh->tx_ring = priv->tx_ring;
}

/* Down or in a rebuild: the stack's queues follow the pairs. */
static int ppv_set_shape(struct ppv_priv *priv, const struct ppv_shape *sh)
{
	int err;

	if (sh->nqp != priv->nqp) {
		err = netif_set_real_num_queues(priv->dev, sh->nqp, sh->nqp);
		if (err)
			return err;
		priv->nqp = sh->nqp;
	}
	WRITE_ONCE(priv->dev->mtu, sh->mtu);
	priv->rx_ring = sh->rx_ring;
	priv->tx_ring = sh->tx_ring;
	return 0;
}

/**
 * ppv_rebuild - take a running interface down and up again, safely
 * @dev: netdev, running; rtnl held
 * @sh: MTU, queue pairs and ring sizes of the rebuilt datapath
 *
 * The one path for every change that needs new rings or buffers (MTU,
 * ethtool -L, ethtool -G) and for the device reset. The carrier stays on
 * and the qdisc keeps its packets meanwhile. If the new datapath cannot be
 * built, the old shape is tried again; if that fails too, the interface
 * stays running without carrier, its queues stopped, and the reset work
 * retries.
 *
 * Return: 0, or the error of the attempt with @sh.
 */
static int ppv_rebuild(struct net_device *dev, const struct ppv_shape *sh)
{
	struct ppv_priv *priv = netdev_priv(dev);
	struct ppv_shape old;
	int err;

	ppv_get_shape(priv, &old);
	ppv_down(priv, true);
	/* said in dmesg already; nothing can be rebuilt on it */
	if (READ_ONCE(priv->dead))
		return -EIO;
	err = ppv_set_shape(priv, sh);
	if (!err)
		err = ppv_up(priv);
	if (!err)
		return 0;
	if (memcmp(sh, &old, sizeof(old))) {
		netdev_err(dev, "cannot restart with MTU %u, %u queue pairs, rings %u/%u (%d): keeping MTU %u, %u pairs, rings %u/%u\n",
			   sh->mtu, sh->nqp, sh->rx_ring, sh->tx_ring, err,
			   old.mtu, old.nqp, old.rx_ring, old.tx_ring);
		if (!ppv_set_shape(priv, &old) && !ppv_up(priv))
			return err;
	}
	netdev_err(dev, "cannot restart the datapath (%d): retrying\n", err);
	netif_carrier_off(dev);
	atomic64_inc(&priv->reset_fail);
	ppv_schedule_reset(priv);
	return err;
}

/* ethtool -L combined N and -G rx N tx N: rebuild when running. */
int ppv_reshape(struct net_device *dev, unsigned int nqp, u16 rx_ring,
		u16 tx_ring)
{
	struct ppv_priv *priv = netdev_priv(dev);
	struct ppv_shape sh;

	ppv_get_shape(priv, &sh);
	sh.nqp = nqp;
	sh.rx_ring = rx_ring;
	sh.tx_ring = tx_ring;
	if (!netif_running(dev))
		return ppv_set_shape(priv, &sh);
	return ppv_rebuild(dev, &sh);
}

static void ppv_reset_work(struct work_struct *work)
{
	struct ppv_priv *priv = container_of(to_delayed_work(work),
					     struct ppv_priv, reset_work);
	struct net_device *dev = priv->dev;

	rtnl_lock();
	/* a down interface comes up from scratch anyway; so does a suspended one */
	if (netif_running(dev) && netif_device_present(dev)) {
		WRITE_ONCE(priv->last_reset, jiffies);
		netdev_warn(dev, "resetting the device\n");
		struct ppv_shape sh;

		ppv_get_shape(priv, &sh);
		if (!ppv_rebuild(dev, &sh)) {
			atomic64_inc(&priv->resets);
			netdev_info(dev, "device reset: datapath back\n");
		}
	}
	rtnl_unlock();
}

/*
 * RX buffers are sized for the MTU (two per page up to ~1.7 KB frames), so a
 * running interface is rebuilt with the new size.
 */
static int ppv_change_mtu(struct net_device *dev, int mtu)
{
	struct ppv_shape sh;

	if (!netif_running(dev)) {
		WRITE_ONCE(dev->mtu, mtu);
		return 0;
	}
	ppv_get_shape(netdev_priv(dev), &sh);
	sh.mtu = mtu;
	return ppv_rebuild(dev, &sh);
}

static const struct net_device_ops ppv_netdev_ops = {
	.ndo_open		= ppv_open,
	.ndo_stop		= ppv_stop,
	.ndo_start_xmit		= ppv_start_xmit,
	.ndo_tx_timeout		= ppv_tx_timeout,
	.ndo_get_stats64	= ppv_get_stats64,
	.ndo_change_mtu		= ppv_change_mtu,
	.ndo_set_mac_address	= ppv_set_mac_address,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_set_rx_mode	= ppv_set_rx_mode,
	.ndo_set_features	= ppv_set_features,
	.ndo_vlan_rx_add_vid	= ppv_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= ppv_vlan_rx_kill_vid,
};

/*
 * netdev features from the negotiated ones. Transmit offloads are the
 * stack's to switch (ethtool -K tx/sg/tso): they only decide what skbs we
 * get. Receive offloads are fixed while the device has no control queue
 * to renegotiate them.
 */
static void ppv_set_netdev_features(struct ppv_priv *priv)
{
	struct net_device *dev = priv->dev;
	netdev_features_t hw = 0, rx = 0;

	if (ppv_has(priv, VIRTIO_NET_F_CSUM)) {
		hw |= NETIF_F_HW_CSUM | NETIF_F_SG;
		if (ppv_has(priv, VIRTIO_NET_F_HOST_TSO4))
			hw |= NETIF_F_TSO;
		if (ppv_has(priv, VIRTIO_NET_F_HOST_TSO6))
			hw |= NETIF_F_TSO6;
		if (ppv_has(priv, VIRTIO_NET_F_HOST_ECN))
			hw |= NETIF_F_TSO_ECN;
	}
	if (ppv_has(priv, VIRTIO_NET_F_GUEST_CSUM))
		rx |= NETIF_F_RXCSUM;
	if (ppv_has(priv, VIRTIO_NET_F_GUEST_TSO4) ||
	    ppv_has(priv, VIRTIO_NET_F_GUEST_TSO6))
		rx |= NETIF_F_GRO_HW;
	/* with CTRL_GUEST_OFFLOADS ethtool -K rx / rx-gro-hw switch them */
	if (ppv_has(priv, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS))
		hw |= rx;
	/* the device's hash in the skb (ppv_rx_deliver()), ethtool -K rxhash */
	if (ppv_has(priv, VIRTIO_NET_F_HASH_REPORT))
		hw |= NETIF_F_RXHASH;
	dev->hw_features |= hw;
	dev->features |= hw | rx | NETIF_F_HIGHDMA;
	if (ppv_has(priv, VIRTIO_NET_F_CTRL_VLAN))
		dev->features |= NETIF_F_HW_VLAN_CTAG_FILTER;
	if (ppv_has(priv, VIRTIO_NET_F_CTRL_RX))
		dev->priv_flags |= IFF_UNICAST_FLT;
	if (ppv_has(priv, VIRTIO_NET_F_CTRL_MAC_ADDR))
		dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	/*
	 * Room for the virtio-net header in front of the frame: the stack
	 * then leaves it in every skb it builds, and a packet whose headroom
	 * is private takes one descriptor instead of two (64-byte UDP: 4 %
	 * fewer guest instructions a packet, measured under icount).
	 */
	dev->needed_headroom = priv->hdr_len;
	dev->vlan_features = dev->features;
}

/*
 * Probe, step 1: the transport in an early copy of the state, before the
 * netdev exists. The device tells its number of queue pairs once
 * negotiated, and the netdev is allocated for that many (a netdev with 16
 * TX queues gets 16 qdiscs, used or not). Leaves the device reset; undone
 * by ppv_early_release().
 */
static int ppv_early_init(struct ppv_priv *early, u8 *mac)
{
	struct pci_dev *pdev = early->pdev;
	u16 status;
	int err;

	err = pci_enable_device(pdev);
	if (err) {
		dev_err(&pdev->dev, "cannot enable PCI device: %d\n", err);
		return err;
	}
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err) {
		dev_err(&pdev->dev, "no usable DMA mask: %d\n", err);
		goto err_disable;
	}
	pci_set_master(pdev);

	err = ppv_transport_init(early);
	if (err)
		goto err_disable;
	err = ppv_negotiate(early);
	if (err)
		goto err_transport;
	err = ppv_read_config(early, mac, &status);
	/* the rings' largest sizes, for ethtool -g while down */
	early->rx_ring_max = ppv_queue_max(early, 0);
	early->tx_ring_max = ppv_queue_max(early, 1);
	if (ppv_reset(early) && !err)
		err = -EIO;
	if (err)
		goto err_transport;
	return 0;

err_transport:
	ppv_transport_release(early);
err_disable:
	pci_disable_device(pdev);
	return err;
}

static void ppv_early_release(struct ppv_priv *priv)
{
	ppv_transport_release(priv);
	pci_disable_device(priv->pdev);
}

/* Step 2: the state moves into the netdev's, and gets its works. */
static void ppv_init_priv(struct ppv_priv *priv, const struct ppv_priv *early,
			  struct net_device *dev, unsigned int max_qp)
{
	*priv = *early;		/* nothing in it points into itself yet */
	priv->dev = dev;
	priv->max_qp = max_qp;
	/* as many pairs as CPUs to start with, as virtio_net does */
	priv->nqp = min(max_qp, num_online_cpus());
	spin_lock_init(&priv->work_lock);
	mutex_init(&priv->irq_lock);
	priv->tx_usecs = PPV_TX_USECS_DEFAULT;
	INIT_WORK(&priv->config_work, ppv_config_work);
	INIT_DELAYED_WORK(&priv->reset_work, ppv_reset_work);
	priv->reset_enabled = true;
	ppv_ctrl_init(priv);
}

/* The device's MAC, or a random one when it has none or a bad one. */
static void ppv_set_mac(struct ppv_priv *priv, const u8 *mac)
{
	struct device *d = &priv->pdev->dev;
	struct net_device *dev = priv->dev;

	if (ppv_has(priv, VIRTIO_NET_F_MAC) && is_valid_ether_addr(mac)) {
		eth_hw_addr_set(dev, mac);
		return;
	}
	if (ppv_has(priv, VIRTIO_NET_F_MAC))
		dev_warn(d, "device MAC %pM is not a unicast address\n", mac);
	eth_hw_addr_random(dev);
	dev_info(d, "using random MAC %pM\n", dev->dev_addr);
}

/* Step 3: the queue pairs' state, which lives as long as the netdev. */
static int ppv_alloc_qps(struct ppv_priv *priv)
{
	unsigned int i;

	priv->qp = ppv_should_fail(PPV_FAULT_PROBE_ALLOC) ? NULL :
		   kcalloc(priv->max_qp, sizeof(*priv->qp), GFP_KERNEL);
	if (!priv->qp) {
		dev_err(&priv->pdev->dev, "cannot allocate %u queue pairs\n",
			priv->max_qp);
		return -ENOMEM;
	}
	for (i = 0; i < priv->max_qp; i++) {
		struct ppv_qp *qp = &priv->qp[i];

		qp->priv = priv;
		qp->index = i;
		u64_stats_init(&qp->rx_stats.syncp);
		u64_stats_init(&qp->tx_stats.syncp);
		u64_stats_init(&qp->irq_stats.syncp);
		u64_stats_init(&qp->tx_irq_stats.syncp);
		u64_stats_init(&qp->timer_stats.syncp);
		INIT_DELAYED_WORK(&qp->refill, ppv_rx_refill_work);
		ppv_hrtimer_setup(&qp->tx_timer, ppv_tx_timer);
		ppv_napi_add(priv->dev, &qp->napi, ppv_poll, i);
	}
	return 0;
}

/* Split vectors: each pair's TX NAPI (after ppv_alloc_vectors()). */
static void ppv_add_tx_napis(struct ppv_priv *priv)
{
	unsigned int i;

	if (ppv_split(priv))
		for (i = 0; i < priv->max_qp; i++)
			netif_napi_add_tx(priv->dev, &priv->qp[i].tx_napi,
					  ppv_tx_poll);
}

static void ppv_del_napis(struct ppv_priv *priv)
{
	unsigned int i;

	for (i = 0; i < priv->max_qp; i++) {
		netif_napi_del(&priv->qp[i].napi);
		if (ppv_split(priv))
			netif_napi_del(&priv->qp[i].tx_napi);
	}
}

static void ppv_free_qps(struct ppv_priv *priv)
{
	ppv_del_napis(priv);
	kfree(priv->qp);
	priv->qp = NULL;
}

/* Step 4: what the stack sees of the netdev. */
static void ppv_init_netdev(struct ppv_priv *priv)
{
	struct net_device *dev = priv->dev;

	dev->netdev_ops = &ppv_netdev_ops;
	dev->ethtool_ops = &ppv_ethtool_ops;
#ifdef PPV_HAVE_QSTATS
	dev->stat_ops = &ppv_stat_ops;
#endif
	ppv_set_netdev_features(priv);
	dev->min_mtu = ETH_MIN_MTU;
	/*
	 * Any MTU has receive buffers: mergeable ones, or big-packet chains
	 * when a frame outgrows a small buffer. The device's MTU, when it
	 * gives one, is both the largest and the one to start with (it knows
	 * its link), as virtio_net does.
	 */
	dev->max_mtu = ETH_MAX_MTU;
	if (priv->dev_mtu) {
		dev->max_mtu = priv->dev_mtu;
		dev->mtu = priv->dev_mtu;
	}
	netif_carrier_off(dev);
}

static int ppv_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ppv_priv *priv, *early;
	u8 mac[ETH_ALEN] = {};
	struct net_device *dev;
	unsigned int max_qp;
	int err;

	early = ppv_should_fail(PPV_FAULT_PROBE_ALLOC) ? NULL :
		kzalloc(sizeof(*early), GFP_KERNEL);
	if (!early) {
		dev_err(&pdev->dev, "cannot allocate the device state\n");
		return -ENOMEM;
	}
	early->pdev = pdev;
	err = ppv_early_init(early, mac);
	if (err)
		goto err_free_early;
	max_qp = min_t(unsigned int, early->dev_max_qp, PPV_MAX_QP);

	dev = ppv_should_fail(PPV_FAULT_PROBE_ALLOC) ? NULL :
	      alloc_etherdev_mq(sizeof(*priv), max_qp);
	if (!dev) {
		dev_err(&pdev->dev, "cannot allocate the netdev\n");
		err = -ENOMEM;
		goto err_early;
	}
	SET_NETDEV_DEV(dev, &pdev->dev);
	priv = netdev_priv(dev);
	ppv_init_priv(priv, early, dev, max_qp);
	kfree(early);
	pci_set_drvdata(pdev, priv);
	err = netif_set_real_num_queues(dev, priv->nqp, priv->nqp);
	if (err)
		goto err_netdev;
	ppv_set_mac(priv, mac);
	err = ppv_alloc_qps(priv);
	if (err)
		goto err_netdev;
	err = ppv_alloc_vectors(priv, priv->max_qp);
	if (err)
		goto err_qps;
	ppv_add_tx_napis(priv);
	ppv_init_netdev(priv);
	/* before the netdev can go up: ppv_up() may spread the IRQs */
	err = ppv_cpuhp_add(priv);
	if (err)
		goto err_vectors;

	err = register_netdev(dev);
	if (err) {
		dev_err(&pdev->dev, "cannot register netdev: %d\n", err);
		goto err_cpuhp;
	}
	ppv_debugfs_add(priv);
	netdev_info(dev, "ppvnet %s at %s, MAC %pM, features %#llx, %u of %u queue pairs, %s\n",
		    PPV_DRV_VERSION, pci_name(pdev), dev->dev_addr,
		    priv->features, priv->nqp, priv->max_qp,
		    ppv_irq_mode_name(priv));
	return 0;

err_cpuhp:
	ppv_cpuhp_remove(priv);
err_vectors:
	pci_free_irq_vectors(pdev);
err_qps:
	ppv_free_qps(priv);
err_netdev:
	ppv_early_release(priv);
	free_netdev(dev);
	return err;

err_early:
	ppv_early_release(early);
err_free_early:
	kfree(early);
	return err;
}

/* No reset work may start after this; a running one finishes. */
static void ppv_reset_disable(struct ppv_priv *priv)
{
	spin_lock_irq(&priv->work_lock);
	priv->reset_enabled = false;
	spin_unlock_irq(&priv->work_lock);
	cancel_delayed_work_sync(&priv->reset_work);
}

/*
 * Remove of a dead device (ppv_reset()): it may still write to its rings,
 * RX pages, TX packets and control buffer, so they are leaked, not freed:
 * the queue pairs (which point at all of it but the control queue's) stay
 * allocated, and kmemleak is told not to report them.
 */
static void ppv_abandon(struct ppv_priv *priv)
{
	unsigned int i, tx = 0;

	for (i = 0; i < priv->max_qp; i++)
		tx += ppv_tx_abandon(&priv->qp[i]);
	kmemleak_not_leak(priv->qp);
	if (priv->ctrlq.slot)
		kmemleak_not_leak(priv->ctrlq.slot);
	if (priv->ctrl_lost)
		kmemleak_not_leak(priv->ctrl_lost);
	dev_warn(&priv->pdev->dev, "dead device: leaking its rings, page pools and %u TX descriptors' packets rather than freeing memory it may still write to\n",
		 tx);
}

static void ppv_remove(struct pci_dev *pdev)
{
	struct ppv_priv *priv = pci_get_drvdata(pdev);

	ppv_debugfs_remove(priv);
	ppv_reset_disable(priv);
	ppv_ctrl_disable(priv);
	unregister_netdev(priv->dev);	/* runs ppv_stop() if up */
	ppv_cpuhp_remove(priv);
	ppv_reset(priv);
	cancel_work_sync(&priv->config_work);
	pci_free_irq_vectors(pdev);
	if (priv->dead) {
		ppv_del_napis(priv);
		ppv_abandon(priv);
	} else {
		ppv_free_qps(priv);
	}
	ppv_early_release(priv);
	free_netdev(priv->dev);
}

/* Quiesce DMA for kexec and power-off. */
static void ppv_shutdown(struct pci_dev *pdev)
{
	struct ppv_priv *priv = pci_get_drvdata(pdev);

	ppv_reset_disable(priv);
	ppv_ctrl_disable(priv);
	rtnl_lock();
	netif_device_detach(priv->dev);
	if (netif_running(priv->dev))
		dev_close(priv->dev);
	rtnl_unlock();
	ppv_reset(priv);
}

/*
 * Suspend, hibernation (freeze, poweroff) and resume (thaw, restore) are a
 * rebuild, as in virtio_net: the way down detaches the netdev (the stack
 * sends nothing, ethtool and ip link get -ENODEV, the reset work does
 * nothing) and takes the datapath down, which resets the device; the way
 * up renegotiates from a reset and replays the control state (pairs, RSS,
 * MAC, filters, VLANs, offloads: ppv_ctrl_apply()), because firmware or
 * the hypervisor may have reset the device meanwhile (QEMU does on an S3
 * wake-up). The PCI core saves and restores config space and MSI-X.
 */
static int ppv_suspend(struct device *d)
{
	struct ppv_priv *priv = dev_get_drvdata(d);
	struct net_device *dev = priv->dev;

	rtnl_lock();
	netif_device_detach(dev);
	/* a down interface left the device reset; a dead one stays as it is */
	if (priv->up)
		ppv_down(priv, false);
	else
		ppv_reset(priv);
	rtnl_unlock();
	return 0;
}

static int ppv_resume(struct device *d)
{
	struct ppv_priv *priv = dev_get_drvdata(d);
	struct net_device *dev = priv->dev;
	int err = 0;

	rtnl_lock();
	if (netif_running(dev)) {
		err = ppv_up(priv);
		if (err) {
			/* running without carrier: the reset work retries */
			netdev_err(dev, "cannot restart the datapath after resume (%d): retrying\n",
				   err);
			atomic64_inc(&priv->reset_fail);
		}
	}
	netif_device_attach(dev);
	if (err)
		ppv_schedule_reset(priv);
	rtnl_unlock();
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(ppv_pm_ops, ppv_suspend, ppv_resume);

static const struct pci_device_id ppv_pci_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT_QUMRANET, 0x1041) },	/* virtio 1.x net */
	{ }
};
MODULE_DEVICE_TABLE(pci, ppv_pci_ids);

static struct pci_driver ppv_pci_driver = {
	.name		= PPV_DRV_NAME,
	.id_table	= ppv_pci_ids,
	.probe		= ppv_probe,
	.remove		= ppv_remove,
	.shutdown	= ppv_shutdown,
	.driver.pm	= pm_sleep_ptr(&ppv_pm_ops),
};

static int __init ppv_init(void)
{
	int err;

	err = ppv_tx_cache_create();
	if (err)
		return err;
	err = ppv_cpuhp_init();
	if (err)
		goto err_cache;
	ppv_debugfs_init();
	ppv_fault_init(ppv_debugfs_dir());
	err = pci_register_driver(&ppv_pci_driver);
	if (err)
		goto err_debugfs;
	return 0;

err_debugfs:
	ppv_fault_exit();
	ppv_debugfs_exit();
	ppv_cpuhp_exit();
err_cache:
	ppv_tx_cache_destroy();
	return err;
}

static void __exit ppv_exit(void)
{
	pci_unregister_driver(&ppv_pci_driver);
	ppv_fault_exit();
	ppv_debugfs_exit();
	ppv_cpuhp_exit();
	ppv_tx_cache_destroy();
}

module_init(ppv_init);
module_exit(ppv_exit);
MODULE_DESCRIPTION("ppvnet: virtio-net PCI driver with page_pool receive buffers");
MODULE_VERSION(PPV_DRV_VERSION);
MODULE_LICENSE("GPL");
