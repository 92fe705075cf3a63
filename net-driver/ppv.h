/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppvnet: structures shared by the driver's files.
 *
 * One queue pair (RX queue 2n, TX queue 2n+1 in virtio-net numbering) has
 * a NAPI context for both rings, and with an MSI-X vector per queue one
 * more for TX completions (ppv_irq.c says which layout when). Ring memory,
 * page pools and IRQs
 * exist only while the interface is up; statistics live as long as the
 * netdev, so they survive down/up.
 */
#ifndef _PPV_H
#define _PPV_H

#include <linux/average.h>
#include <linux/cpuhotplug.h>
#include <linux/dma-mapping.h>
#include <linux/hrtimer.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <uapi/linux/virtio_net.h>
#include <uapi/linux/virtio_pci.h>

#include "ppv_rxparse.h"
#include "ppv_vring.h"

#define PPV_DRV_NAME	"ppvnet"
#define PPV_DRV_VERSION	"0.3"

/* Queue pairs ppvnet uses at most, whatever the device offers. */
#define PPV_MAX_QP	16
/* Smallest ring ethtool -G takes: room for the longest TX chain twice. */
#define PPV_RING_MIN	64

/*
 * RSS (VIRTIO_NET_F_RSS): ppvnet gives the device a table of 128 entries
 * and a 40-byte Toeplitz key, the least a device that offers RSS must take
 * (virtio 1.x 5.1.4.2), and hashes on what the stack's own flow hash uses:
 * IPv4 and IPv6 addresses, TCP and UDP ports.
 */
#define PPV_RSS_TABLE_LEN	128
#define PPV_RSS_KEY_LEN		40
#define PPV_RSS_HASH_TYPES	(VIRTIO_NET_RSS_HASH_TYPE_IPv4 |	\
				 VIRTIO_NET_RSS_HASH_TYPE_TCPv4 |	\
				 VIRTIO_NET_RSS_HASH_TYPE_UDPv4 |	\
				 VIRTIO_NET_RSS_HASH_TYPE_IPv6 |	\
				 VIRTIO_NET_RSS_HASH_TYPE_TCPv6 |	\
				 VIRTIO_NET_RSS_HASH_TYPE_UDPv6)

/*
 * The virtio-net header of VIRTIO_F_VERSION_1 (virtio 1.x 5.1.6): 12 bytes,
 * 20 with HASH_REPORT (priv->hdr_len). Buffer sizes below allow for 20.
 */
#define PPV_HDR_MAX	20

/*
 * RX buffers are carved from page pool pages. Every buffer starts with a
 * headroom, CPU-owned and outside what the device may write, that holds
 * the buffer's metadata (struct ppv_rx_meta) while the device owns it; the
 * device writes the header and the frame after it; the skb is built over
 * the buffer, so its tail keeps room for skb_shared_info. Three layouts,
 * chosen per ring from the features and the MTU (ppv_rx_open()):
 *  - small: one buffer per frame, sized for the MTU (two per page up to
 *    ~1.7 KB frames), headroom NET_SKB_PAD: neither MRG_RXBUF nor guest
 *    GSO, and a frame that fits a page;
 *  - mergeable (MRG_RXBUF): a frame spans num_buffers buffers of half a
 *    page or a page, headroom XDP_PACKET_HEADROOM so that XDP can later
 *    run on the same layout (ppv_rx_mrg_truesize() says how the size is
 *    chosen);
 *  - big: guest GSO (or a frame over a page) without MRG_RXBUF: each
 *    buffer is a chain of whole pages that holds 64 KB plus the header.
 */
#define PPV_RX_HEADROOM		NET_SKB_PAD
#define PPV_MRG_HEADROOM	XDP_PACKET_HEADROOM
#define PPV_RX_TAILROOM		SKB_DATA_ALIGN(sizeof(struct skb_shared_info))
/* largest MTU whose frames fit one small buffer */
#define PPV_SMALL_MAX_MTU	(PAGE_SIZE - PPV_RX_HEADROOM - PPV_RX_TAILROOM - \
				 PPV_HDR_MAX - VLAN_ETH_HLEN)
/* a big buffer: the header and a 64 KB GSO frame with a VLAN tag */
#define PPV_BIG_BYTES		(PPV_HDR_MAX + VLAN_ETH_HLEN + 65535)
/* pages of one: page 0 holds more than half a page of it, the rest whole */
#define PPV_BIG_PAGES		(1 + DIV_ROUND_UP(PPV_BIG_BYTES - PAGE_SIZE / 2, \
						  PAGE_SIZE))

enum ppv_rx_mode {
	PPV_RX_SMALL,
	PPV_RX_MRG,
	PPV_RX_BIG,
};

/* In a buffer's headroom while the device owns it. */
struct ppv_rx_meta {
	dma_addr_t addr;		/* what ppv_map() returned */
	u32 truesize;			/* bytes of page the buffer takes */
};

/* A big-packet buffer in flight: its pages, page 0 first. */
struct ppv_rx_chain {
	void *va[PPV_BIG_PAGES];	/* page 0: buffer start; then whole pages */
	dma_addr_t addr[PPV_BIG_PAGES];
};

/* Average received packet length, for the mergeable buffer size. */
DECLARE_EWMA(ppv_pkt_len, 0, 64)

/* Descriptors a TX packet may take: header, linear part, frags. */
#define PPV_TX_MAX_DESC	(MAX_SKB_FRAGS + 2)

struct ppv_rx_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t drops;		/* packets dropped (bad header, no skb) */
	u64_stats_t errors;		/* malformed frames from the device */
	u64_stats_t kicks;
	u64_stats_t polls;
	u64_stats_t refill_fail;	/* page allocations that failed */
	u64_stats_t refill_work;	/* process-context refills run */
	u64_stats_t skb_fail;		/* napi_build_skb() failed: dropped */
	u64_stats_t map_fail;		/* buffer DMA mappings that failed */
	u64_stats_t pp_alloc;		/* buffers (fragments) taken from the pool */
	u64_stats_t pp_pages;		/* pages they came from (fragment at offset 0) */
	u64_stats_t pp_recycle;		/* pages handed back by the driver */
	u64_stats_t bad_id;		/* used id out of range or not posted */
	u64_stats_t bad_len;		/* used length over the posted buffer */
	u64_stats_t bad_idx;		/* used index ran ahead: ring stopped */
	u64_stats_t bad_hdr;		/* virtio-net header we did not ask for */
	u64_stats_t bad_nbuf;		/* num_buffers the ring did not back */
	u64_stats_t bufs;		/* buffers taken (mergeable: > packets) */
	u64_stats_t csum;		/* checksum offloaded (DATA_VALID, NEEDS_CSUM) */
	u64_stats_t gso;		/* GSO packets (guest TSO) */
	u64_stats_t gso_ecn;		/* of them, with CWR (GSO_ECN: GUEST_ECN) */
};

struct ppv_tx_stats {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t drops;
	u64_stats_t errors;		/* DMA mapping failures */
	u64_stats_t alloc_fail;		/* TX object allocations that failed */
	u64_stats_t kicks;
	u64_stats_t stops;		/* queue stopped: ring full */
	u64_stats_t wakes;
	u64_stats_t bad_id;
	u64_stats_t bad_len;
	u64_stats_t bad_idx;
	u64_stats_t netpoll;		/* completions reaped by netpoll (budget 0) */
	u64_stats_t csum;		/* checksum left to the device */
	u64_stats_t tso;		/* GSO packets left to the device */
	u64_stats_t tso_ecn;		/* of them, with CWR (GSO_ECN: HOST_ECN) */
	u64_stats_t indirect;		/* packets sent through an indirect table */
	u64_stats_t bad_gso;		/* GSO the device did not negotiate: dropped */
	u64_stats_t rekicks;		/* notified although the device did not ask */
	u64_stats_t timeouts;		/* the stack's watchdog found the queue stuck */
};

/*
 * Written from hard interrupt context, one writer each (a u64_stats_sync
 * takes one at a time): the queue pair's interrupt handler, its TX timer,
 * which may run at the same time on another CPU.
 */
struct ppv_irq_stats {
	struct u64_stats_sync syncp;
	u64_stats_t irqs;
};

struct ppv_timer_stats {
	struct u64_stats_sync syncp;
	u64_stats_t tx_timer;		/* TX completion timer expired */
};

/*
 * ethtool -C tx-usecs: default and largest TX completion delay. 1 ms: on
 * 7.3 under -icount (3 rounds) 200 us cost 2.42 us/kB of TCP received, its
 * timer running between the polls of a busy RX ring, 1 ms 2.38 (as
 * interrupts alone, tx-usecs 0), and 64-byte UDP sent 24.5 us a packet
 * against 25.7 (30.6 with interrupts alone).
 */
#define PPV_TX_USECS_DEFAULT	1000
#define PPV_TX_USECS_MAX	10000
/*
 * Packets in flight and none used for this long since the last
 * notification: notify again (ppv_tx_watch()). Far above what QEMU takes
 * to serve a kick, even the debug guest's under TCG.
 */
#define PPV_TX_STALL		(HZ / 50 + 1)
/* ... and the timer that polls for that while an interrupt is awaited */
#define PPV_TX_WATCH_NS		(100 * NSEC_PER_MSEC)

/* One virtqueue's ring while the interface is up. */
struct ppv_queue {
	struct ppv_vring vr;
	void *mem;			/* coherent: desc, avail, used */
	dma_addr_t mem_dma;
	unsigned long mem_attrs;	/* dma_alloc_attrs() attributes */
	u64 dev_addr;			/* what the device is given for @mem */
	size_t mem_bytes;
	struct ppv_vring_slot *slot;
	void __iomem *notify;		/* doorbell, written with the queue index */
	u16 index;			/* virtio queue index */
	u16 num;
};

struct ppv_priv;

enum ppv_irq_mode {
	PPV_IRQ_SPLIT,		/* MSI-X: config, then RX and TX of each pair */
	PPV_IRQ_PER_QP,		/* MSI-X: config, then one vector per pair */
	PPV_IRQ_SHARED,		/* MSI-X: config, one vector for all queues */
	PPV_IRQ_INTX,
};

/*
 * A TX packet in flight: one kmem_cache object, holding what the device
 * reads besides the skb: the virtio-net header when the skb has no private
 * headroom for it, and the indirect descriptor table.
 */
struct ppv_tx_obj {
	struct sk_buff *skb;
	struct ppv_tx_obj *next;	/* on ppv_qp.tx_free */
	unsigned int bytes;		/* skb->len as the stack gave it */
	u8 nr_maps;			/* DMA API mappings to undo */
	bool indir_mapped;		/* @indir is mapped at @indir_addr */
	dma_addr_t indir_addr;
	struct {
		dma_addr_t addr;
		u32 len;
		bool page;		/* skb_frag_dma_map(), not dma_map_single() */
	} map[PPV_TX_MAX_DESC];
	struct ppv_vring_desc indir[PPV_TX_MAX_DESC];
	u8 hdr[PPV_HDR_MAX];
};

struct ppv_qp {
	struct ppv_priv *priv;
	struct napi_struct napi;
	unsigned int index;		/* queue pair number */
	char irq_name[IFNAMSIZ + 16];
	int irq;			/* requested MSI-X IRQ (RX's if split), or 0 */
	/* PPV_IRQ_SPLIT: TX completions have a vector and a NAPI of their own */
	struct napi_struct tx_napi;
	char tx_irq_name[IFNAMSIZ + 16];
	int tx_irq;			/* requested MSI-X IRQ, or 0 */

	struct ppv_queue rxq;
	struct page_pool *pool;
	enum ppv_rx_mode rx_mode;
	struct ppv_rx_caps rx_caps;	/* what a used header may ask for */
	unsigned int rx_headroom;	/* bytes before the device's part */
	unsigned int rx_truesize;	/* small: bytes of page per buffer */
	struct ewma_ppv_pkt_len rx_avg;	/* mergeable: packet length seen */
	struct ppv_rx_chain *rx_chains;	/* big: one per ring entry */
	struct page *rx_page;		/* page being carved (ppv_rx_alloc()) */
	unsigned int rx_page_size;	/* its fragments' size */
	unsigned int rx_page_off;	/* offset of its next fragment */
	unsigned int rx_page_refs;	/* references of fragments not handed out */
	u64 pp_fresh_done;		/* pp_fresh of the pools already destroyed */
	unsigned int rx_pkt_bufs;	/* descriptors the largest packet takes */
	struct delayed_work refill;	/* GFP_KERNEL refill of an empty ring */
	bool rx_starved;		/* the refill work found no memory either */

	struct ppv_queue txq;
	unsigned int tx_stop_at;	/* stop when fewer descriptors are free */
	/*
	 * ppv_start_xmit()'s list of a packet's pieces, here rather than on
	 * its stack: with CONFIG_INIT_STACK_ALL_ZERO (Debian's kernels) a
	 * local array is zeroed on every call, 300 bytes a packet.
	 */
	struct ppv_vring_buf tx_bufs[PPV_TX_MAX_DESC];
	struct ppv_tx_obj *tx_free;	/* freed TX objects kept for reuse */
	unsigned int tx_nfree;		/* how many: at most a ring's worth */
	struct hrtimer tx_timer;	/* reaps what no interrupt was asked for */
	bool tx_slow;			/* the device is slow: TX interrupt, no timer */
	bool tx_timer_fired;		/* the coming poll is the TX timer's */
	bool tx_timer_watch;		/* it runs PPV_TX_WATCH_NS, not tx_usecs */
	u16 tx_watch_used;		/* ppv_tx_watch(): last_used it saw, */
	unsigned long tx_watch_at;	/* and jiffies of its last progress */

	struct ppv_rx_stats rx_stats;
	struct ppv_tx_stats tx_stats;
	struct ppv_irq_stats irq_stats;
	struct ppv_irq_stats tx_irq_stats;	/* PPV_IRQ_SPLIT: TX's vector */
	struct ppv_timer_stats timer_stats;
};

struct ppv_priv {
	struct net_device *dev;
	struct pci_dev *pdev;

	/* Transport: the windows the vendor capabilities point at. */
	struct virtio_pci_common_cfg __iomem *common;
	void __iomem *notify_base;
	size_t notify_len;
	u32 notify_mult;
	u8 __iomem *isr;
	void __iomem *device;
	size_t device_len;
	int bars;			/* mask of requested BARs */

	u64 features;			/* negotiated */
	u8 hdr_len;			/* virtio-net header: 12, 20 with HASH_REPORT */
	bool dma_api;			/* ACCESS_PLATFORM: addresses from the DMA API */
	u16 dev_mtu;			/* VIRTIO_NET_F_MTU: the device's MTU, or 0 */
	u32 speed;			/* SPEED_DUPLEX: Mb/s, or SPEED_UNKNOWN */
	u8 duplex;			/* DUPLEX_FULL, _HALF or _UNKNOWN */
	u32 tx_usecs;			/* ethtool -C tx-usecs: see ppv_tx_arm() */
	enum ppv_irq_mode irq_mode;	/* vectors taken at probe (ppv_irq.c) */
	int config_irq;			/* requested config/INTx IRQ, or 0 */
	int queue_irq;			/* PPV_IRQ_SHARED: the queues' IRQ, or 0 */
	char queue_irq_name[IFNAMSIZ + 16];
	struct work_struct config_work;
	/*
	 * The IRQs' CPUs and the XPS map follow the online CPUs
	 * (ppv_irq_spread()): from ppv_up() and from the CPU hotplug
	 * callbacks, which take no rtnl. irq_lock (after the CPU hotplug
	 * lock) guards irqs_spread: set while the IRQs are requested and
	 * nqp is stable.
	 */
	struct hlist_node cpuhp_node;
	bool cpuhp_added;
	struct mutex irq_lock;		/* guards irqs_spread */
	bool irqs_spread;

	/*
	 * Refill works may be scheduled only while refill_enabled is set,
	 * the reset work only while reset_enabled is: both are checked and
	 * changed under work_lock, so that ppv_down() and ppv_remove() can
	 * cancel them for good.
	 */
	spinlock_t work_lock;
	bool refill_enabled;
	bool reset_enabled;

	/*
	 * Device reset from process context (ppv_reset_work()): after the
	 * device broke the ring protocol or asked for a reset, or after a
	 * rebuild failed. At most one per PPV_RESET_INTERVAL.
	 */
	struct delayed_work reset_work;
	unsigned long last_reset;	/* jiffies of the last reset attempt */
	atomic64_t resets;		/* resets that brought the datapath back */
	atomic64_t reset_fail;		/* resets (and rebuilds) that failed */

	/*
	 * The control queue (ppv_ctrl.c), up with the data queues. Its works
	 * take rtnl, so they are never cancelled under it: they may be
	 * scheduled only while ctrl_work_enabled (under work_lock), which
	 * ppv_remove() clears before it cancels them.
	 */
	struct ppv_queue ctrlq;
	bool ctrl_broken;		/* a command went unanswered: wait for reset */
	void *ctrl_lost;		/* its buffer, freed after the reset */
	bool ctrl_work_enabled;
	struct work_struct rx_mode_work;
	struct work_struct announce_work;
	DECLARE_BITMAP(vlans, VLAN_N_VID);	/* ndo_vlan_rx_add_vid()'s */
	atomic64_t ctrl_cmds;		/* commands answered */
	atomic64_t ctrl_errors;		/* refused, or a bad used entry */
	atomic64_t ctrl_timeouts;	/* not answered in time */
	atomic64_t announces;		/* announcements sent and acknowledged */

	/*
	 * RSS and hash report (ppv_ctrl_hash()): the hash types in use (0
	 * without either; ethtool -N rx-flow-hash), those the device
	 * supports; the indirection table (queue pairs), from ethtool -X or
	 * spread evenly over the active pairs; the key, random unless
	 * ethtool -X hkey set it.
	 */
	u32 hash_types;
	u32 hash_types_dev;
	bool hash_types_set;		/* by ethtool -N: kept across resets */
	u16 rss_indir[PPV_RSS_TABLE_LEN];
	u8 rss_key[PPV_RSS_KEY_LEN];

	bool up;			/* ppv_up() built everything */
	/*
	 * The device did not complete a reset (ppv_reset()): it may still
	 * write to what it was given, so nothing is freed or reused, no
	 * ppv_up() succeeds, and remove() leaks it all. Set once.
	 */
	bool dead;
	unsigned int nqp;		/* active queue pairs (ethtool -L) */
	unsigned int max_qp;		/* pairs ppvnet may use: qp[] */
	unsigned int dev_max_qp;	/* max_virtqueue_pairs, 1 without MQ */
	u16 rx_ring, tx_ring;		/* ethtool -G sizes, 0: the device's */
	u16 rx_ring_max, tx_ring_max;	/* the device's, read at probe */
	struct ppv_qp *qp;
	u64 bad_config;			/* config reads that never settled */
	struct dentry *debugfs;		/* ppvnet/<PCI address>/ */
};

static inline bool ppv_has(const struct ppv_priv *priv, unsigned int bit)
{
	return priv->features & BIT_ULL(bit);
}

/* ppv_pci.c: the virtio 1.x PCI transport */
int ppv_transport_init(struct ppv_priv *priv);
void ppv_transport_release(struct ppv_priv *priv);
int ppv_reset(struct ppv_priv *priv);
void ppv_schedule_reset(struct ppv_priv *priv);
int ppv_negotiate(struct ppv_priv *priv);
void ppv_add_status(struct ppv_priv *priv, u8 bits);
int ppv_read_config(struct ppv_priv *priv, u8 *mac, u16 *status);
u16 ppv_queue_max(struct ppv_priv *priv, u16 index);
int ppv_queue_setup(struct ppv_priv *priv, struct ppv_queue *q, u16 index,
		    u16 vector, u16 want);
void ppv_queue_free(struct ppv_priv *priv, struct ppv_queue *q);
int ppv_set_config_vector(struct ppv_priv *priv, u16 vector);

/*
 * The address the device uses for a buffer, the virtio rule (virtio 1.x
 * 6.1, and the virtio core's vring_use_dma_api()): with ACCESS_PLATFORM the
 * device goes through the platform's DMA translation, so the DMA API maps
 * the buffer; without it the device uses guest-physical addresses and
 * bypasses any IOMMU, so the buffer's physical address is the one (and
 * nothing needs unmapping). Buffers are lowmem: page pool pages, skb heads
 * and frags, kmem_cache objects.
 */
static inline bool ppv_map(struct ppv_priv *priv, void *va, size_t len,
			   enum dma_data_direction dir, dma_addr_t *addr)
{
	struct device *dma = &priv->pdev->dev;

	if (!priv->dma_api) {
		*addr = virt_to_phys(va);
		return true;
	}
	*addr = dma_map_single(dma, va, len, dir);
	return !dma_mapping_error(dma, *addr);
}

static inline void ppv_unmap(struct ppv_priv *priv, dma_addr_t addr,
			     size_t len, enum dma_data_direction dir)
{
	if (priv->dma_api)
		dma_unmap_single(&priv->pdev->dev, addr, len, dir);
}

static inline void ppv_notify(struct ppv_queue *q)
{
	iowrite16(q->index, q->notify);
}

/*
 * From the IRQ handlers, the TX timer, ppv_poll(), the refill work and
 * ppv_up(): IRQs are not always off here, so not __napi_schedule_irqoff()
 * (lockdep caught that in open). Only RX's interrupt is turned off until
 * the poll ends: TX's is turned on and off under the xmit lock alone
 * (ppv_tx_arm()), as ppv_start_xmit() does it too.
 */
static inline void ppv_qp_schedule(struct ppv_qp *qp)
{
	if (napi_schedule_prep(&qp->napi)) {
		ppv_vring_disable_cb(&qp->rxq.vr);
		__napi_schedule(&qp->napi);
	}
}

/* TX completions have their own vector and NAPI (ppv_irq.c) */
static inline bool ppv_split(const struct ppv_priv *priv)
{
	return priv->irq_mode == PPV_IRQ_SPLIT;
}

/* ppv_main.c */
int ppv_reshape(struct net_device *dev, unsigned int nqp, u16 rx_ring,
		u16 tx_ring);

/* ppv_ctrl.c */
void ppv_ctrl_init(struct ppv_priv *priv);
void ppv_ctrl_schedule(struct ppv_priv *priv, struct work_struct *work);
void ppv_ctrl_disable(struct ppv_priv *priv);
u16 ppv_ctrl_index(const struct ppv_priv *priv);
int ppv_ctrl_open(struct ppv_priv *priv);
void ppv_ctrl_close(struct ppv_priv *priv);
int ppv_ctrl_cmd(struct ppv_priv *priv, u8 class, u8 cmd, const void *data,
		 size_t len);
int ppv_ctrl_apply(struct ppv_priv *priv);
int ppv_ctrl_set_pairs(struct ppv_priv *priv, unsigned int n);
int ppv_ctrl_set_rss(struct ppv_priv *priv, const u32 *indir, const u8 *key);
int ppv_ctrl_set_hash_types(struct ppv_priv *priv, u32 types);
void ppv_ctrl_announce(struct ppv_priv *priv);
void ppv_set_rx_mode(struct net_device *dev);
int ppv_set_mac_address(struct net_device *dev, void *p);
int ppv_vlan_rx_add_vid(struct net_device *dev, __be16 proto, u16 vid);
int ppv_vlan_rx_kill_vid(struct net_device *dev, __be16 proto, u16 vid);
int ppv_set_features(struct net_device *dev, netdev_features_t features);

/* ppv_debugfs.c */
void ppv_debugfs_init(void);
void ppv_debugfs_exit(void);
struct dentry *ppv_debugfs_dir(void);
void ppv_debugfs_add(struct ppv_priv *priv);
void ppv_debugfs_remove(struct ppv_priv *priv);

/* ppv_irq.c */
int ppv_cpuhp_init(void);
void ppv_cpuhp_exit(void);
int ppv_cpuhp_add(struct ppv_priv *priv);
void ppv_cpuhp_remove(struct ppv_priv *priv);
int ppv_alloc_vectors(struct ppv_priv *priv, unsigned int max_qp);
const char *ppv_irq_mode_name(const struct ppv_priv *priv);
u16 ppv_qp_vector(const struct ppv_priv *priv, unsigned int i);
u16 ppv_tx_vector(const struct ppv_priv *priv, unsigned int i);
u16 ppv_config_vector(const struct ppv_priv *priv);
int ppv_qp_irq(const struct ppv_priv *priv, unsigned int i);
int ppv_request_irqs(struct ppv_priv *priv);
void ppv_irq_spread_start(struct ppv_priv *priv);
void ppv_free_irqs(struct ppv_priv *priv);

/* ppv_rx.c */
int ppv_rx_open(struct ppv_qp *qp);
void ppv_rx_close(struct ppv_qp *qp);
int ppv_rx_poll(struct ppv_qp *qp, int budget);
void ppv_rx_refill_work(struct work_struct *work);
void ppv_rx_schedule_refill(struct ppv_qp *qp, unsigned long delay);
bool ppv_rx_fill(struct ppv_qp *qp, gfp_t gfp);
bool ppv_rx_low(const struct ppv_qp *qp);
unsigned int ppv_rx_truesize(unsigned int mtu);
bool ppv_rx_small_fits(unsigned int mtu);

/* ppv_tx.c */
int ppv_tx_cache_create(void);
void ppv_tx_cache_destroy(void);
netdev_tx_t ppv_start_xmit(struct sk_buff *skb, struct net_device *dev);
unsigned int ppv_tx_complete(struct ppv_qp *qp, struct netdev_queue *txq,
			     int budget);
int ppv_tx_poll(struct napi_struct *napi, int budget);
void ppv_tx_schedule(struct ppv_qp *qp);
/* ppv_tx_arm()'s @reaped after a kick */
#define PPV_TX_KICKED	(-1)
bool ppv_tx_arm(struct ppv_qp *qp, struct netdev_queue *txq, int reaped,
		bool timer);
bool ppv_tx_poll_arm(struct ppv_qp *qp, struct netdev_queue *txq, int reaped);
void ppv_tx_close(struct ppv_qp *qp);
unsigned int ppv_tx_abandon(struct ppv_qp *qp);
enum hrtimer_restart ppv_tx_timer(struct hrtimer *t);
void ppv_tx_timeout(struct net_device *dev, unsigned int txqueue);

/* ppv_ethtool.c */
extern const struct ethtool_ops ppv_ethtool_ops;
extern const struct netdev_stat_ops ppv_stat_ops;	/* 6.10+ */
void ppv_get_stats64(struct net_device *dev, struct rtnl_link_stats64 *s);

/* Count one event in a per-queue statistics block. */
#define ppv_stat_inc(st, field) do {			\
	u64_stats_update_begin(&(st)->syncp);		\
	u64_stats_inc(&(st)->field);			\
	u64_stats_update_end(&(st)->syncp);		\
} while (0)

#endif /* _PPV_H */
