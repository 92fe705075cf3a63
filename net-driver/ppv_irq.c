// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet interrupts: the vectors taken at probe, the IRQs requested while
 * the interface is up, the CPUs they go to, and the handlers, which only
 * schedule NAPI (or the config work).
 *
 * Vectors, best first (as the virtio core's vp_find_vqs() falls back):
 *  - split: MSI-X vector 0 for config changes, 1 + 2n for queue pair n's
 *    RX queue and its NAPI, 2 + 2n for its TX queue, whose completions
 *    have a NAPI of their own (ppv_tx_poll()). QEMU's default (vectors =
 *    2 * queues + 2) has them;
 *  - per pair: vector 0 for config changes, 1 + n for queue pair n (its
 *    RX and TX queue, one NAPI for both);
 *  - shared: vector 0 for config changes, vector 1 for every queue (QEMU
 *    vectors=2, or a platform short of vectors): its handler schedules
 *    every pair's NAPI;
 *  - INTx: one shared line for everything; the ISR read says why.
 * The control queue is polled and has no vector.
 *
 * Split is taken whenever the device has the vectors, also where pairs >=
 * CPUs and both IRQs of a pair go to one CPU; against one vector per pair
 * it is measured on 1 pair and 2 vCPUs only (issue 24's notes), not yet
 * where pairs >= CPUs. ppv_irq_spread() says which CPUs.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/interrupt.h>
#include <linux/pci.h>
#include <uapi/linux/virtio_pci.h>

#include "ppv.h"
#include "ppv_compat.h"
#include "ppv_fault.h"

#define PPV_CONFIG_VECTOR	0

static irqreturn_t ppv_qp_interrupt(int irq, void *data)
{
	struct ppv_qp *qp = data;

	ppv_stat_inc(&qp->irq_stats, irqs);
	ppv_qp_schedule(qp);
	return IRQ_HANDLED;
}

/*
 * Split: TX completions. The TX interrupt is turned on and off under the
 * xmit lock (ppv_tx_arm()), never here.
 */
static irqreturn_t ppv_tx_interrupt(int irq, void *data)
{
	struct ppv_qp *qp = data;

	ppv_stat_inc(&qp->tx_irq_stats, irqs);
	napi_schedule(&qp->tx_napi);
	return IRQ_HANDLED;
}

/* shared vector and INTx: any active pair may have work */
static void ppv_schedule_all(struct ppv_priv *priv)
{
	unsigned int i;

	for (i = 0; i < priv->nqp; i++) {
		ppv_stat_inc(&priv->qp[i].irq_stats, irqs);
		ppv_qp_schedule(&priv->qp[i]);
	}
}

static irqreturn_t ppv_shared_interrupt(int irq, void *data)
{
	ppv_schedule_all(data);
	return IRQ_HANDLED;
}

static irqreturn_t ppv_config_interrupt(int irq, void *data)
{
	struct ppv_priv *priv = data;

	schedule_work(&priv->config_work);
	return IRQ_HANDLED;
}

/* INTx: one shared line; reading the ISR says why and deasserts it. */
static irqreturn_t ppv_intx_interrupt(int irq, void *data)
{
	struct ppv_priv *priv = data;
	u8 isr = ioread8(priv->isr);

	if (!isr)
		return IRQ_NONE;
	if (isr & VIRTIO_PCI_ISR_CONFIG)
		schedule_work(&priv->config_work);
	if (isr & 1)
		ppv_schedule_all(priv);
	return IRQ_HANDLED;
}

/* The MSI-X vector of queue pair @i's RX queue (and TX's but split). */
u16 ppv_qp_vector(const struct ppv_priv *priv, unsigned int i)
{
	switch (priv->irq_mode) {
	case PPV_IRQ_SPLIT:
		return 1 + 2 * i;
	case PPV_IRQ_PER_QP:
		return 1 + i;
	case PPV_IRQ_SHARED:
		return 1;
	default:
		return VIRTIO_MSI_NO_VECTOR;
	}
}

/* The MSI-X vector of queue pair @i's TX queue. */
u16 ppv_tx_vector(const struct ppv_priv *priv, unsigned int i)
{
	return priv->irq_mode == PPV_IRQ_SPLIT ? 2 + 2 * i :
	       ppv_qp_vector(priv, i);
}

/* The IRQ that schedules queue pair @i's NAPI, while up. */
int ppv_qp_irq(const struct ppv_priv *priv, unsigned int i)
{
	switch (priv->irq_mode) {
	case PPV_IRQ_SPLIT:
	case PPV_IRQ_PER_QP:
		return priv->qp[i].irq;
	case PPV_IRQ_SHARED:
		return priv->queue_irq;
	default:
		return priv->config_irq;
	}
}

/* The config vector, VIRTIO_MSI_NO_VECTOR with INTx. */
u16 ppv_config_vector(const struct ppv_priv *priv)
{
	return priv->irq_mode == PPV_IRQ_INTX ? VIRTIO_MSI_NO_VECTOR :
	       PPV_CONFIG_VECTOR;
}

/**
 * ppv_alloc_vectors - take interrupt vectors for up to @max_qp pairs
 * @priv: device, in probe
 * @max_qp: queue pairs the device offers
 *
 * Return: 0 with priv->irq_mode set, or a negative errno.
 */
int ppv_alloc_vectors(struct ppv_priv *priv, unsigned int max_qp)
{
	static const char * const why[] = {
		[PPV_IRQ_PER_QP] = "one per queue pair",
		[PPV_IRQ_SHARED] = "queues share one",
	};
	const int want[] = {
		[PPV_IRQ_SPLIT] = 1 + 2 * max_qp,
		[PPV_IRQ_PER_QP] = 1 + max_qp,
		[PPV_IRQ_SHARED] = 2,
	};
	struct pci_dev *pdev = priv->pdev;
	int mode, got = -ENOSPC, tried = 0;

	for (mode = PPV_IRQ_SPLIT; mode <= PPV_IRQ_SHARED; mode++) {
		int n = want[mode];

		/* one pair: per pair and shared take the same 2 */
		if (n == tried)
			continue;
		tried = n;
		got = ppv_should_fail(PPV_FAULT_VECTORS) ? -ENOSPC :
		      pci_alloc_irq_vectors(pdev, n, n, PCI_IRQ_MSIX);
		if (got == n) {
			if (mode != PPV_IRQ_SPLIT)
				dev_info(&pdev->dev, "no %d MSI-X vectors: %s\n",
					 want[PPV_IRQ_SPLIT], why[mode]);
			priv->irq_mode = mode;
			return 0;
		}
	}
	got = ppv_should_fail(PPV_FAULT_VECTORS) ? -ENOSPC :
	      pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_INTX);
	if (got == 1) {
		dev_info(&pdev->dev, "no %d MSI-X vectors: using INTx\n",
			 want[PPV_IRQ_SHARED]);
		priv->irq_mode = PPV_IRQ_INTX;
		return 0;
	}
	dev_err(&pdev->dev, "neither MSI-X vectors nor INTx: %d\n", got);
	return got < 0 ? got : -ENOSPC;
}

const char *ppv_irq_mode_name(const struct ppv_priv *priv)
{
	static const char * const names[] = {
		[PPV_IRQ_SPLIT] = "MSI-X per queue",
		[PPV_IRQ_PER_QP] = "MSI-X per queue pair",
		[PPV_IRQ_SHARED] = "MSI-X shared",
		[PPV_IRQ_INTX] = "INTx",
	};

	return names[priv->irq_mode];
}

static void ppv_irq_release(int *irq, void *data)
{
	if (*irq) {
		irq_update_affinity_hint(*irq, NULL);
		free_irq(*irq, data);
		*irq = 0;
	}
}

void ppv_free_irqs(struct ppv_priv *priv)
{
	unsigned int i;

	/* the CPU hotplug callbacks leave them alone from here */
	mutex_lock(&priv->irq_lock);
	priv->irqs_spread = false;
	mutex_unlock(&priv->irq_lock);
	for (i = 0; i < priv->max_qp; i++) {
		struct ppv_qp *qp = &priv->qp[i];

		ppv_irq_release(&qp->tx_irq, qp);
		ppv_irq_release(&qp->irq, qp);
	}
	ppv_irq_release(&priv->queue_irq, priv);
	if (priv->config_irq) {
		free_irq(priv->config_irq, priv);
		priv->config_irq = 0;
	}
}

static void ppv_irq_pin(int irq, unsigned int cpu)
{
	/* a hint: irqbalance or the admin may move it */
	if (irq)
		irq_set_affinity_and_hint(irq, cpumask_of(cpu));
}

/*
 * ppv_irq_spread - give the queue pairs' IRQs and XPS their CPUs
 * @priv: device, IRQs requested (irqs_spread), irq_lock and the CPU
 *	  hotplug lock held
 * @gone: a CPU about to go offline, or -1
 *
 * As virtio_net's virtnet_set_affinity(): the online CPUs, in order, are
 * cut into one group per active pair, ncpu / nqp CPUs each (the first
 * ncpu % nqp groups one more); with more pairs than CPUs each group is
 * one CPU, and the CPUs wrap. A pair's group is its XPS map: what its
 * CPUs send goes out on it. Its RX IRQ goes to the group's first CPU,
 * its TX IRQ (split) to the second, or to the first when the group is one
 * CPU. virtio_net gives both of a pair's IRQs the whole group and lets
 * the x86 vector allocator pick (in practice RX and TX then land on
 * different CPUs too); naming one CPU each makes the layout the same on
 * every boot, and testable (tests/vm/affinity.sh).
 *
 * Why RX and TX apart: with one vector on one CPU for both, a TCP
 * receiver ran the interrupt, NAPI for both rings, the TX timer and, by
 * wake-up affinity, the application on that CPU while the other idled
 * (78 % and 2 % busy; virtio_net's 47 % and 65 %).
 */
static void ppv_irq_spread(struct ppv_priv *priv, int gone)
{
	struct net_device *dev = priv->dev;
	unsigned int i, j, ncpu, stride, extra, cpu, rx_cpu, tx_cpu;
	cpumask_var_t online, group;

	if (!alloc_cpumask_var(&online, GFP_KERNEL))
		return;
	if (!alloc_cpumask_var(&group, GFP_KERNEL)) {
		free_cpumask_var(online);
		return;
	}
	cpumask_copy(online, cpu_online_mask);
	if (gone >= 0)
		cpumask_clear_cpu(gone, online);
	ncpu = cpumask_weight(online);
	if (!ncpu || !priv->nqp)
		goto out;
	stride = max(ncpu / priv->nqp, 1u);
	extra = ncpu >= priv->nqp ? ncpu % priv->nqp : 0;
	cpu = cpumask_first(online);
	for (i = 0; i < priv->nqp; i++) {
		struct ppv_qp *qp = &priv->qp[i];
		unsigned int size = stride + (i < extra);

		cpumask_clear(group);
		rx_cpu = cpu;
		tx_cpu = cpu;
		for (j = 0; j < size; j++) {
			if (j == 1)
				tx_cpu = cpu;
			cpumask_set_cpu(cpu, group);
			cpu = cpumask_next(cpu, online);
			if (cpu >= nr_cpu_ids)
				cpu = cpumask_first(online);
		}
		ppv_irq_pin(qp->irq, rx_cpu);
		ppv_irq_pin(qp->tx_irq, tx_cpu);
		/* the CPU hotplug lock is held: not netif_set_xps_queue() */
		if (priv->nqp > 1 &&
		    __netif_set_xps_queue(dev, cpumask_bits(group), i, XPS_CPUS))
			netdev_warn(dev, "no XPS map for queue %u\n", i);
	}
out:
	free_cpumask_var(group);
	free_cpumask_var(online);
}

/* After ppv_request_irqs(), with nqp settled: spread, and follow the CPUs. */
void ppv_irq_spread_start(struct ppv_priv *priv)
{
	cpus_read_lock();
	mutex_lock(&priv->irq_lock);
	priv->irqs_spread = true;
	ppv_irq_spread(priv, -1);
	mutex_unlock(&priv->irq_lock);
	cpus_read_unlock();
}

static int ppv_request(struct ppv_priv *priv, int irq, irq_handler_t fn,
		       unsigned long flags, const char *name, void *data,
		       const char *what)
{
	int err = ppv_should_fail(PPV_FAULT_IRQ) ? -EBUSY :
		  request_irq(irq, fn, flags, name, data);

	if (err)
		netdev_err(priv->dev, "cannot request %s IRQ %d: %d\n", what,
			   irq, err);
	return err;
}

/* The IRQs of the active pairs; all or none. */
int ppv_request_irqs(struct ppv_priv *priv)
{
	struct net_device *dev = priv->dev;
	struct pci_dev *pdev = priv->pdev;
	bool split = priv->irq_mode == PPV_IRQ_SPLIT;
	unsigned int i;
	int irq, err;

	if (priv->irq_mode == PPV_IRQ_INTX) {
		irq = pci_irq_vector(pdev, 0);
		err = ppv_request(priv, irq, ppv_intx_interrupt, IRQF_SHARED,
				  dev->name, priv, "INTx");
		if (!err)
			priv->config_irq = irq;
		return err;
	}

	irq = pci_irq_vector(pdev, PPV_CONFIG_VECTOR);
	err = ppv_request(priv, irq, ppv_config_interrupt, 0, dev->name, priv,
			  "config");
	if (err)
		return err;
	priv->config_irq = irq;

	if (priv->irq_mode == PPV_IRQ_SHARED) {
		snprintf(priv->queue_irq_name, sizeof(priv->queue_irq_name),
			 "%s-queues", dev->name);
		irq = pci_irq_vector(pdev, 1);
		err = ppv_request(priv, irq, ppv_shared_interrupt, 0,
				  priv->queue_irq_name, priv, "queue");
		if (err)
			goto err;
		priv->queue_irq = irq;
		return 0;
	}

	for (i = 0; i < priv->nqp; i++) {
		struct ppv_qp *qp = &priv->qp[i];

		snprintf(qp->irq_name, sizeof(qp->irq_name),
			 split ? "%s-rx%u" : "%s-qp%u", dev->name, i);
		irq = pci_irq_vector(pdev, ppv_qp_vector(priv, i));
		err = ppv_request(priv, irq, ppv_qp_interrupt, 0, qp->irq_name,
				  qp, split ? "RX queue" : "queue pair");
		if (err)
			goto err;
		qp->irq = irq;
		if (!split)
			continue;
		snprintf(qp->tx_irq_name, sizeof(qp->tx_irq_name), "%s-tx%u",
			 dev->name, i);
		irq = pci_irq_vector(pdev, ppv_tx_vector(priv, i));
		err = ppv_request(priv, irq, ppv_tx_interrupt, 0,
				  qp->tx_irq_name, qp, "TX queue");
		if (err)
			goto err;
		qp->tx_irq = irq;
	}
	return 0;
err:
	ppv_free_irqs(priv);
	return err;
}

/*
 * CPU hotplug: the IRQs and XPS follow the online CPUs. A CPU going down
 * is still online when ppv_cpu_down_prep() runs: the spread leaves it
 * out, so its IRQs move to where the code says, not where the kernel's
 * migration puts them. No rtnl here (a CPU hotplug under rtnl would
 * deadlock): irq_lock, and irqs_spread, say whether the IRQs are there.
 */
static int ppv_cpuhp_state = -1;

static int ppv_cpu_update(struct hlist_node *node, int gone)
{
	struct ppv_priv *priv = hlist_entry_safe(node, struct ppv_priv,
						 cpuhp_node);

	mutex_lock(&priv->irq_lock);
	if (priv->irqs_spread)
		ppv_irq_spread(priv, gone);
	mutex_unlock(&priv->irq_lock);
	return 0;
}

static int ppv_cpu_online(unsigned int cpu, struct hlist_node *node)
{
	return ppv_cpu_update(node, -1);
}

static int ppv_cpu_down_prep(unsigned int cpu, struct hlist_node *node)
{
	return ppv_cpu_update(node, cpu);
}

int ppv_cpuhp_init(void)
{
	int ret = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "net/ppvnet:online",
					  ppv_cpu_online, ppv_cpu_down_prep);

	if (ret < 0) {
		pr_err("ppvnet: cannot set up a CPU hotplug state: %d\n", ret);
		return ret;
	}
	ppv_cpuhp_state = ret;
	return 0;
}

void ppv_cpuhp_exit(void)
{
	cpuhp_remove_multi_state(ppv_cpuhp_state);
}

int ppv_cpuhp_add(struct ppv_priv *priv)
{
	int err = ppv_should_fail(PPV_FAULT_CPUHP) ? -ENOMEM :
		  cpuhp_state_add_instance_nocalls(ppv_cpuhp_state,
						   &priv->cpuhp_node);

	if (err) {
		dev_err(&priv->pdev->dev, "cannot register for CPU hotplug: %d\n",
			err);
		return err;
	}
	priv->cpuhp_added = true;
	return 0;
}

void ppv_cpuhp_remove(struct ppv_priv *priv)
{
	if (priv->cpuhp_added)
		cpuhp_state_remove_instance_nocalls(ppv_cpuhp_state,
						    &priv->cpuhp_node);
	priv->cpuhp_added = false;
}
