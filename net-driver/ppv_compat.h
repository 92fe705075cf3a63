/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels ppvnet builds for (Debian's 6.1 and 6.12),
 * kept in this one file.
 */
#ifndef _PPV_COMPAT_H
#define _PPV_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#include <net/page_pool/helpers.h>
/* 6.6+: every pool hands out fragments */
#define PP_FLAG_PAGE_FRAG	0
/* 6.6+: a pool tied to its NAPI recycles directly from skb frees there. */
static inline void ppv_pp_set_napi(struct page_pool_params *pp,
				   struct napi_struct *napi,
				   struct net_device *dev)
{
	pp->napi = napi;
	pp->netdev = dev;
}
#else
#include <net/page_pool.h>
static inline void ppv_pp_set_napi(struct page_pool_params *pp,
				   struct napi_struct *napi,
				   struct net_device *dev)
{
}
#endif

/* 6.8 renamed PCI_IRQ_LEGACY */
#include <linux/pci.h>
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

#endif /* _PPV_COMPAT_H */
