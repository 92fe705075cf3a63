/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppvnet fault points. With CONFIG_PPVNET_FAULT_INJECTION each failure
 * site has a fault_attr under /sys/kernel/debug/ppvnet/<site>/ with the
 * standard probability, interval, times, space and verbose files; without
 * it every check compiles to false.
 */
#ifndef _PPV_FAULT_H
#define _PPV_FAULT_H

#include <linux/delay.h>
#include <linux/types.h>

#include "ppv_vring.h"

enum ppv_fault_site {
	PPV_FAULT_PROBE_ALLOC,	/* netdev and queue-pair arrays in probe */
	PPV_FAULT_VECTORS,	/* MSI-X / INTx vector allocation in probe */
	PPV_FAULT_RING,		/* ring memory, slot and big-chain arrays in open */
	PPV_FAULT_POOL,		/* page_pool creation in open */
	PPV_FAULT_IRQ,		/* request_irq in open */
	PPV_FAULT_RX_PAGE,	/* RX page allocation (NAPI and refill work) */
	PPV_FAULT_TX_OBJ,	/* TX object allocation */
	PPV_FAULT_TX_MAP,	/* each TX DMA mapping */
	PPV_FAULT_RX_MAP,	/* each RX buffer's DMA mapping */
	PPV_FAULT_RX_LIE,	/* RX: the device reports a used id past the ring */
	PPV_FAULT_TX_LIE,	/* TX: the same */
	PPV_FAULT_RX_MRG,	/* mergeable buffer (page pool fragment) allocation */
	PPV_FAULT_RX_BIG,	/* each page of a big-packet chain */
	PPV_FAULT_RX_SKB,	/* skb around a received buffer, frag_list skbs */
	PPV_FAULT_TX_INDIR,	/* mapping of a TX indirect table */
	PPV_FAULT_RX_LIE_NBUF,	/* RX: the device claims one buffer more than it used */
	PPV_FAULT_CTRL,		/* control command buffer: allocation, mapping */
	PPV_FAULT_CTRL_LOST,	/* control command: the device is never notified */
	PPV_FAULT_POLL_TAIL,	/* a poll stalls 30 ms after napi_complete_done() */
	PPV_FAULT_RESET,	/* the device never reads back 0 after a reset */
	PPV_FAULT_TX_KICK,	/* TX: the device misses a notification it asked for */
	PPV_FAULT_TX_REKICK,	/* TX: ... and one it did not (ppv_tx_rekick()) */
	PPV_FAULT_TX_STALL,	/* TX: the device returns no used entry any more */
	PPV_FAULT_RX_DATA_VALID, /* RX: DATA_VALID added to a NEEDS_CSUM header */
	PPV_FAULT_CC_GUEST,	/* probe: the guest's memory looks encrypted */
	PPV_FAULT_CPUHP,	/* probe: CPU hotplug instance registration */
	PPV_FAULT_NR
};

struct dentry;

#ifdef CONFIG_PPVNET_FAULT_INJECTION
bool ppv_should_fail(enum ppv_fault_site site);
void ppv_fault_init(struct dentry *dir);
void ppv_fault_exit(void);
#else
static inline bool ppv_should_fail(enum ppv_fault_site site)
{
	return false;
}

static inline void ppv_fault_init(struct dentry *dir)
{
}

static inline void ppv_fault_exit(void)
{
}
#endif

/*
 * Fault point: a delay of @ms, where a preempted or interrupted CPU could
 * stall: long enough for another CPU to tear down what follows (ppv_down()
 * takes a few ms on the debug kernel).
 */
static inline void ppv_fault_delay(enum ppv_fault_site site, unsigned int ms)
{
	if (IS_ENABLED(CONFIG_PPVNET_FAULT_INJECTION) && ppv_should_fail(site))
		mdelay(ms);
}

/*
 * Fault point: make the next used entry of @vr look as if the device had
 * reported an id past the ring, the lie of a broken or malicious device.
 * The entry is device-written and covered by used->idx already, so the
 * device does not write it again before the driver has read it.
 */
static inline void ppv_fault_lie_used(struct ppv_vring *vr,
				      enum ppv_fault_site site)
{
	if (IS_ENABLED(CONFIG_PPVNET_FAULT_INJECTION) &&
	    ppv_vring_has_used(vr) && ppv_should_fail(site)) {
		/* the used index before the entry it covers */
		dma_rmb();
		WRITE_ONCE(vr->used->ring[vr->last_used & vr->mask].id,
			   cpu_to_le32(vr->num));
	}
}

#endif /* _PPV_FAULT_H */
