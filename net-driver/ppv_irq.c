// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet interrupts: the vectors taken at probe, the IRQs requested while
 * the interface is up, and the handlers, which only schedule NAPI (or the
 * config work).
 *
 * Vectors, best first (as the virtio core's vp_find_vqs() falls back):
 *  - per pair: MSI-X vector 0 for config changes, 1 + n for queue pair n
 *    (its RX and TX queue); each pair's IRQ gets a CPU of its own;
 *  - shared: vector 0 for config changes, vector 1 for every queue (QEMU
 *    vectors=2, or a platform short of vectors): its handler schedules
 *    every pair's NAPI;
 *  - INTx: one shared line for everything; the ISR read says why.
 * The control queue is polled and has no vector.
 */
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

/* The MSI-X vector of queue pair @i, or VIRTIO_MSI_NO_VECTOR. */
u16 ppv_qp_vector(const struct ppv_priv *priv, unsigned int i)
{
	switch (priv->irq_mode) {
	case PPV_IRQ_PER_QP:
		return 1 + i;
	case PPV_IRQ_SHARED:
		return 1;
	default:
		return VIRTIO_MSI_NO_VECTOR;
	}
}

/* The IRQ that schedules queue pair @i's NAPI, while up. */
int ppv_qp_irq(const struct ppv_priv *priv, unsigned int i)
{
	switch (priv->irq_mode) {
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
	struct pci_dev *pdev = priv->pdev;
	int n = 1 + max_qp, got;

	got = ppv_should_fail(PPV_FAULT_VECTORS) ? -ENOSPC :
	      pci_alloc_irq_vectors(pdev, n, n, PCI_IRQ_MSIX);
	if (got == n) {
		priv->irq_mode = PPV_IRQ_PER_QP;
		return 0;
	}
	if (n > 2) {
		got = ppv_should_fail(PPV_FAULT_VECTORS) ? -ENOSPC :
		      pci_alloc_irq_vectors(pdev, 2, 2, PCI_IRQ_MSIX);
		if (got == 2) {
			dev_info(&pdev->dev, "no %d MSI-X vectors: queues share one\n",
				 n);
			priv->irq_mode = PPV_IRQ_SHARED;
			return 0;
		}
	}
	got = ppv_should_fail(PPV_FAULT_VECTORS) ? -ENOSPC :
	      pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_INTX);
	if (got == 1) {
		dev_info(&pdev->dev, "no %d MSI-X vectors: using INTx\n",
			 min(n, 2));
		priv->irq_mode = PPV_IRQ_INTX;
		return 0;
	}
	dev_err(&pdev->dev, "neither MSI-X vectors nor INTx: %d\n", got);
	return got < 0 ? got : -ENOSPC;
}

const char *ppv_irq_mode_name(const struct ppv_priv *priv)
{
	static const char * const names[] = {
		[PPV_IRQ_PER_QP] = "MSI-X per queue pair",
		[PPV_IRQ_SHARED] = "MSI-X shared",
		[PPV_IRQ_INTX] = "INTx",
	};

	return names[priv->irq_mode];
}

void ppv_free_irqs(struct ppv_priv *priv)
{
	unsigned int i;

	for (i = 0; i < priv->max_qp; i++) {
		struct ppv_qp *qp = &priv->qp[i];

		if (qp->irq) {
			irq_update_affinity_hint(qp->irq, NULL);
			free_irq(qp->irq, qp);
			qp->irq = 0;
		}
	}
	if (priv->queue_irq) {
		free_irq(priv->queue_irq, priv);
		priv->queue_irq = 0;
	}
	if (priv->config_irq) {
		free_irq(priv->config_irq, priv);
		priv->config_irq = 0;
	}
}

/* CPU of queue pair @i: spread over the online CPUs, near the device. */
unsigned int ppv_qp_cpu(const struct ppv_priv *priv, unsigned int i)
{
	return cpumask_local_spread(i, dev_to_node(&priv->pdev->dev));
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

		snprintf(qp->irq_name, sizeof(qp->irq_name), "%s-qp%u",
			 dev->name, i);
		irq = pci_irq_vector(pdev, ppv_qp_vector(priv, i));
		err = ppv_request(priv, irq, ppv_qp_interrupt, 0, qp->irq_name,
				  qp, "queue pair");
		if (err)
			goto err;
		qp->irq = irq;
		/* a hint: irqbalance or the admin may move it */
		irq_set_affinity_and_hint(irq, cpumask_of(ppv_qp_cpu(priv, i)));
	}
	return 0;
err:
	ppv_free_irqs(priv);
	return err;
}
