// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet debugfs: /sys/kernel/debug/ppvnet/<PCI address>/rings shows, for
 * each ring of a device that is up, the driver's indices next to the
 * device's (what a stall left behind: a used index that no longer moves, a
 * queue stopped with buffers in flight, an event index parked far ahead),
 * and each RX queue's page pool. Fault points (ppv_fault.c) live in the
 * same ppvnet directory. Read under rtnl, so the rings cannot go away
 * meanwhile; the values themselves may move while they are printed.
 */
#include <linux/debugfs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>

#include "ppv.h"
#include "ppv_compat.h"

static struct dentry *ppv_debugfs_root;

static const char * const ppv_rx_mode_names[] = {
	[PPV_RX_SMALL] = "small",
	[PPV_RX_MRG] = "mergeable",
	[PPV_RX_BIG] = "big",
};

struct dentry *ppv_debugfs_dir(void)
{
	return ppv_debugfs_root;
}

static void ppv_debugfs_ring(struct seq_file *m, const char *name,
			     const struct ppv_queue *q)
{
	const struct ppv_vring *vr = &q->vr;

	if (!q->mem) {
		seq_printf(m, "%-6s (none)\n", name);
		return;
	}
	seq_printf(m, "%-6s queue %u size %u: avail idx %u (device sees %u) flags %#x used_event %u | used idx %u flags %#x avail_event %u | last used %u, free %u, in flight %u%s%s\n",
		   name, q->index, vr->num, vr->avail_idx,
		   le16_to_cpu(READ_ONCE(vr->avail->idx)),
		   le16_to_cpu(READ_ONCE(vr->avail->flags)),
		   le16_to_cpu(READ_ONCE(vr->avail->ring[vr->num])),
		   le16_to_cpu(READ_ONCE(vr->used->idx)),
		   le16_to_cpu(READ_ONCE(vr->used->flags)),
		   le16_to_cpu(READ_ONCE(*(__le16 *)&vr->used->ring[vr->num])),
		   vr->last_used, vr->num_free, ppv_vring_in_flight(vr),
		   vr->event_idx ? ", event index" : "",
		   vr->broken ? ", BROKEN" : "");
}

static int ppv_debugfs_rings_show(struct seq_file *m, void *v)
{
	struct ppv_priv *priv = m->private;
	struct net_device *dev = priv->dev;
	unsigned int i, bufsz;
	char name[16];

	rtnl_lock();
	seq_printf(m, "%s: %s, %u of %u queue pairs, %s, features %#llx\n",
		   netdev_name(dev), priv->up ? "up" : "down", priv->nqp,
		   priv->max_qp, ppv_irq_mode_name(priv), priv->features);
	if (!priv->up)
		goto out;
	for (i = 0; i < priv->nqp; i++) {
		struct ppv_qp *qp = &priv->qp[i];
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);

		snprintf(name, sizeof(name), "rx%u", i);
		ppv_debugfs_ring(m, name, &qp->rxq);
		snprintf(name, sizeof(name), "tx%u", i);
		ppv_debugfs_ring(m, name, &qp->txq);
		seq_printf(m, "       tx%u %s, timer %s; rx%u %s\n", i,
			   netif_tx_queue_stopped(txq) ? "STOPPED" : "running",
			   hrtimer_active(&qp->tx_timer) ? "armed" : "idle", i,
			   READ_ONCE(qp->rx_starved) ? "STARVED (refill work retries)" :
			   "fed");
		if (qp->pool)
			seq_printf(m, "       rx%u page pool: %u pages taken from the page allocator\n",
				   i, READ_ONCE(qp->pool->pages_state_hold_cnt));
		/* mergeable: half a page at least (ppv_rx_mrg_truesize()) */
		bufsz = qp->rx_mode == PPV_RX_SMALL ? qp->rx_truesize :
			qp->rx_mode == PPV_RX_BIG ? PPV_BIG_PAGES * PAGE_SIZE :
			PAGE_SIZE / 2;
		seq_printf(m, "       rx%u %s buffers, truesize %u, %u for the largest packet\n",
			   i, ppv_rx_mode_names[qp->rx_mode], bufsz,
			   qp->rx_pkt_bufs);
	}
	ppv_debugfs_ring(m, "ctrl", &priv->ctrlq);
	if (priv->ctrl_broken)
		seq_puts(m, "       ctrl BROKEN: a command went unanswered, reset pending\n");
out:
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ppv_debugfs_rings);

void ppv_debugfs_add(struct ppv_priv *priv)
{
	/* debugfs failures lose the view, never the driver */
	priv->debugfs = debugfs_create_dir(pci_name(priv->pdev),
					   ppv_debugfs_root);
	debugfs_create_file("rings", 0400, priv->debugfs, priv,
			    &ppv_debugfs_rings_fops);
}

void ppv_debugfs_remove(struct ppv_priv *priv)
{
	debugfs_remove_recursive(priv->debugfs);
	priv->debugfs = NULL;
}

void ppv_debugfs_init(void)
{
	ppv_debugfs_root = debugfs_create_dir(PPV_DRV_NAME, NULL);
}

void ppv_debugfs_exit(void)
{
	debugfs_remove_recursive(ppv_debugfs_root);
}
