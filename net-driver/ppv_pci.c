// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet: the virtio 1.x PCI transport (virtio 1.x, section 4.1), spoken
 * directly: vendor capabilities, the status handshake, feature negotiation,
 * queue setup. Nothing here trusts the device: capability windows are
 * bounds-checked against their BARs, read-backs are verified, config reads
 * retry under the generation counter.
 */
#include <linux/cc_platform.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/ethtool.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/pci.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_net.h>
#include <uapi/linux/virtio_ring.h>
#include <xen/xen.h>

#include "ppv.h"
#include "ppv_fault.h"

/* Features ppvnet implements, and so the only ones it accepts. */
#define PPV_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) |			\
			 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |		\
			 BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |		\
			 BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |		\
			 BIT_ULL(VIRTIO_NET_F_MAC) |			\
			 BIT_ULL(VIRTIO_NET_F_STATUS) |			\
			 BIT_ULL(VIRTIO_NET_F_MTU) |			\
			 BIT_ULL(VIRTIO_NET_F_CSUM) |			\
			 BIT_ULL(VIRTIO_NET_F_HOST_TSO4) |		\
			 BIT_ULL(VIRTIO_NET_F_HOST_TSO6) |		\
			 BIT_ULL(VIRTIO_NET_F_HOST_ECN) |		\
			 BIT_ULL(VIRTIO_NET_F_GUEST_CSUM) |		\
			 BIT_ULL(VIRTIO_NET_F_GUEST_TSO4) |		\
			 BIT_ULL(VIRTIO_NET_F_GUEST_TSO6) |		\
			 BIT_ULL(VIRTIO_NET_F_GUEST_ECN) |		\
			 BIT_ULL(VIRTIO_NET_F_MRG_RXBUF) |		\
			 BIT_ULL(VIRTIO_NET_F_CTRL_VQ) |		\
			 BIT_ULL(VIRTIO_NET_F_CTRL_RX) |		\
			 BIT_ULL(VIRTIO_NET_F_CTRL_VLAN) |		\
			 BIT_ULL(VIRTIO_NET_F_CTRL_MAC_ADDR) |		\
			 BIT_ULL(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) |	\
			 BIT_ULL(VIRTIO_NET_F_GUEST_ANNOUNCE) |	\
			 BIT_ULL(VIRTIO_NET_F_MQ) |			\
			 BIT_ULL(VIRTIO_NET_F_RSS) |			\
			 BIT_ULL(VIRTIO_NET_F_HASH_REPORT) |		\
			 BIT_ULL(VIRTIO_NET_F_SPEED_DUPLEX))

/* Feature bits and the one they require (virtio 1.x 5.1.3.1). */
static const struct {
	u8 bit, needs, or_needs;
} ppv_feature_deps[] = {
	{ VIRTIO_NET_F_HOST_TSO4, VIRTIO_NET_F_CSUM, VIRTIO_NET_F_CSUM },
	{ VIRTIO_NET_F_HOST_TSO6, VIRTIO_NET_F_CSUM, VIRTIO_NET_F_CSUM },
	{ VIRTIO_NET_F_HOST_ECN, VIRTIO_NET_F_HOST_TSO4, VIRTIO_NET_F_HOST_TSO6 },
	{ VIRTIO_NET_F_GUEST_TSO4, VIRTIO_NET_F_GUEST_CSUM, VIRTIO_NET_F_GUEST_CSUM },
	{ VIRTIO_NET_F_GUEST_TSO6, VIRTIO_NET_F_GUEST_CSUM, VIRTIO_NET_F_GUEST_CSUM },
	{ VIRTIO_NET_F_GUEST_ECN, VIRTIO_NET_F_GUEST_TSO4, VIRTIO_NET_F_GUEST_TSO6 },
	{ VIRTIO_NET_F_CTRL_RX, VIRTIO_NET_F_CTRL_VQ, VIRTIO_NET_F_CTRL_VQ },
	{ VIRTIO_NET_F_CTRL_VLAN, VIRTIO_NET_F_CTRL_VQ, VIRTIO_NET_F_CTRL_VQ },
	{ VIRTIO_NET_F_CTRL_MAC_ADDR, VIRTIO_NET_F_CTRL_VQ, VIRTIO_NET_F_CTRL_VQ },
	{ VIRTIO_NET_F_CTRL_GUEST_OFFLOADS, VIRTIO_NET_F_CTRL_VQ, VIRTIO_NET_F_CTRL_VQ },
	{ VIRTIO_NET_F_GUEST_ANNOUNCE, VIRTIO_NET_F_CTRL_VQ, VIRTIO_NET_F_CTRL_VQ },
	{ VIRTIO_NET_F_MQ, VIRTIO_NET_F_CTRL_VQ, VIRTIO_NET_F_CTRL_VQ },
	{ VIRTIO_NET_F_RSS, VIRTIO_NET_F_CTRL_VQ, VIRTIO_NET_F_CTRL_VQ },
	{ VIRTIO_NET_F_HASH_REPORT, VIRTIO_NET_F_CTRL_VQ, VIRTIO_NET_F_CTRL_VQ },
};

/* How long a reset may take before the device is taken for dead. */
#define PPV_RESET_WAIT	HZ

#define PPV_CFG(priv, field)	(&(priv)->common->field)

/* In probe (the netdev not there or not registered yet): say more. */
static bool ppv_probing(const struct ppv_priv *priv)
{
	return !priv->dev || priv->dev->reg_state == NETREG_UNINITIALIZED;
}

struct ppv_cap {
	u8 bar;
	u32 offset;
	u32 length;
	u8 pos;			/* config space offset of the capability */
};

/*
 * Find the first vendor capability of @type whose window lies inside a
 * memory BAR (the spec lets a device offer several; the driver takes the
 * first it can use).
 */
static bool ppv_find_cap(struct pci_dev *pdev, u8 type, struct ppv_cap *cap)
{
	u8 pos;

	for (pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		u8 cfg_type, bar;
		u32 offset, length;

		pci_read_config_byte(pdev, pos + offsetof(struct virtio_pci_cap,
							  cfg_type), &cfg_type);
		pci_read_config_byte(pdev, pos + offsetof(struct virtio_pci_cap,
							  bar), &bar);
		pci_read_config_dword(pdev, pos + offsetof(struct virtio_pci_cap,
							   offset), &offset);
		pci_read_config_dword(pdev, pos + offsetof(struct virtio_pci_cap,
							   length), &length);
		if (cfg_type != type || bar > PCI_STD_NUM_BARS - 1 || !length)
			continue;
		if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
			continue;
		if ((u64)offset + length > pci_resource_len(pdev, bar)) {
			dev_warn(&pdev->dev,
				 "capability type %u: window %#x+%#x outside BAR%u, skipped\n",
				 type, offset, length, bar);
			continue;
		}
		cap->bar = bar;
		cap->offset = offset;
		cap->length = length;
		cap->pos = pos;
		return true;
	}
	return false;
}

static void __iomem *ppv_map_cap(struct ppv_priv *priv, u8 type,
				 const char *name, size_t min_len,
				 struct ppv_cap *cap)
{
	struct pci_dev *pdev = priv->pdev;
	void __iomem *p;

	if (!ppv_find_cap(pdev, type, cap)) {
		dev_err(&pdev->dev, "no usable %s capability: not a virtio 1.x device\n",
			name);
		return NULL;
	}
	if (cap->length < min_len) {
		dev_err(&pdev->dev, "%s window is %u bytes, need %zu\n",
			name, cap->length, min_len);
		return NULL;
	}
	if (!(priv->bars & BIT(cap->bar))) {
		if (pci_request_selected_regions(pdev, BIT(cap->bar),
						 PPV_DRV_NAME)) {
			dev_err(&pdev->dev, "BAR%u is busy\n", cap->bar);
			return NULL;
		}
		priv->bars |= BIT(cap->bar);
	}
	p = pci_iomap_range(pdev, cap->bar, cap->offset, cap->length);
	if (!p)
		dev_err(&pdev->dev, "cannot map the %s window\n", name);
	return p;
}

/* Map the four windows of the transport. Undone by ppv_transport_release(). */
int ppv_transport_init(struct ppv_priv *priv)
{
	struct pci_dev *pdev = priv->pdev;
	struct ppv_cap cap;

	priv->common = ppv_map_cap(priv, VIRTIO_PCI_CAP_COMMON_CFG, "common config",
				   sizeof(struct virtio_pci_common_cfg), &cap);
	if (!priv->common)
		goto err;

	priv->isr = ppv_map_cap(priv, VIRTIO_PCI_CAP_ISR_CFG, "ISR", 1, &cap);
	if (!priv->isr)
		goto err;

	priv->notify_base = ppv_map_cap(priv, VIRTIO_PCI_CAP_NOTIFY_CFG, "notify",
					sizeof(u16), &cap);
	if (!priv->notify_base)
		goto err;
	priv->notify_len = cap.length;
	pci_read_config_dword(pdev, cap.pos + sizeof(struct virtio_pci_cap),
			      &priv->notify_mult);

	/* The device config window is optional: without it, no MAC or status. */
	if (ppv_find_cap(pdev, VIRTIO_PCI_CAP_DEVICE_CFG, &cap)) {
		priv->device = ppv_map_cap(priv, VIRTIO_PCI_CAP_DEVICE_CFG,
					   "device config", 1, &cap);
		if (!priv->device)
			goto err;
		priv->device_len = cap.length;
	}
	return 0;

err:
	ppv_transport_release(priv);
	return -ENODEV;
}

void ppv_transport_release(struct ppv_priv *priv)
{
	struct pci_dev *pdev = priv->pdev;

	if (priv->device)
		pci_iounmap(pdev, priv->device);
	if (priv->notify_base)
		pci_iounmap(pdev, priv->notify_base);
	if (priv->isr)
		pci_iounmap(pdev, priv->isr);
	if (priv->common)
		pci_iounmap(pdev, priv->common);
	priv->device = NULL;
	priv->notify_base = NULL;
	priv->isr = NULL;
	priv->common = NULL;
	if (priv->bars)
		pci_release_selected_regions(pdev, priv->bars);
	priv->bars = 0;
}

/*
 * A device that does not come back from a reset may still write to the
 * rings and buffers it was given: they must never be freed or reused.
 * Once only: the carrier goes off, bus mastering too (where the platform
 * honours it, the device can no longer reach memory at all), and
 * everything it was given stays allocated until the driver unbinds,
 * which then leaks it (ppv_main.c's ppv_abandon()).
 */
static void ppv_mark_dead(struct ppv_priv *priv)
{
	if (READ_ONCE(priv->dead))
		return;
	WRITE_ONCE(priv->dead, true);
	dev_err(&priv->pdev->dev, "device did not complete reset within %u ms: marked dead; what it was given stays allocated (leaked at unbind); unbind and bind it again, or reboot\n",
		jiffies_to_msecs(PPV_RESET_WAIT));
	pci_clear_master(priv->pdev);
	if (priv->dev)
		netif_carrier_off(priv->dev);
}

/**
 * ppv_reset - reset the device and wait until it has
 * @priv: device
 *
 * The reset is complete when device_status reads back 0 (virtio 1.x
 * 4.1.4.3.2); only then has the device stopped using the rings. QEMU
 * resets at once, hardware and vDPA devices need not: up to
 * PPV_RESET_WAIT. A device that does not get there is marked dead.
 *
 * Return: 0, or -EIO for a dead device (the caller frees nothing the
 * device was given).
 */
int ppv_reset(struct ppv_priv *priv)
{
	unsigned long end = jiffies + PPV_RESET_WAIT;
	bool fail;

	if (READ_ONCE(priv->dead))
		return -EIO;
	iowrite8(0, PPV_CFG(priv, device_status));
	fail = ppv_should_fail(PPV_FAULT_RESET);
	while (!fail) {
		if (!ioread8(PPV_CFG(priv, device_status)))
			return 0;
		if (time_after(jiffies, end))
			break;
		usleep_range(100, 1000);
	}
	ppv_mark_dead(priv);
	return -EIO;
}

/* Device resets from the reset work: at most one a second. */
#define PPV_RESET_INTERVAL	HZ

/**
 * ppv_schedule_reset - reset the device and rebuild the datapath, soon
 * @priv: device
 *
 * For a device that broke the ring protocol (a used id or index it was
 * never given: the chains it really consumed are unknown, so the rings
 * are stopped), that set NEEDS_RESET, or after a rebuild that failed. From
 * any context; at most one reset per PPV_RESET_INTERVAL. Here, below the
 * datapath and control files that ask for it: they reach the reset work
 * (ppv_main.c's ppv_reset_work()) through priv, never by calling up.
 */
void ppv_schedule_reset(struct ppv_priv *priv)
{
	unsigned long next = READ_ONCE(priv->last_reset) + PPV_RESET_INTERVAL;
	unsigned long now = jiffies;
	unsigned long flags;

	spin_lock_irqsave(&priv->work_lock, flags);
	/* a dead device stays as it is: no reset would bring it back */
	if (priv->reset_enabled && !READ_ONCE(priv->dead))
		schedule_delayed_work(&priv->reset_work,
				      time_after(next, now) ? next - now : 0);
	spin_unlock_irqrestore(&priv->work_lock, flags);
}

void ppv_add_status(struct ppv_priv *priv, u8 bits)
{
	u8 status = ioread8(PPV_CFG(priv, device_status));

	iowrite8(status | bits, PPV_CFG(priv, device_status));
}

static u64 ppv_device_features(struct ppv_priv *priv)
{
	u64 f;

	iowrite32(0, PPV_CFG(priv, device_feature_select));
	f = ioread32(PPV_CFG(priv, device_feature));
	iowrite32(1, PPV_CFG(priv, device_feature_select));
	f |= (u64)ioread32(PPV_CFG(priv, device_feature)) << 32;
	return f;
}

/*
 * A device must not offer a feature without the one it requires; one that
 * does gets neither used (in table order, so that a dropped TSO takes ECN
 * with it). Logged at probe only: every open negotiates again.
 */
static u64 ppv_negotiate_deps(struct ppv_priv *priv, u64 wanted)
{
	struct device *dev = &priv->pdev->dev;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ppv_feature_deps); i++) {
		u64 bit = BIT_ULL(ppv_feature_deps[i].bit);

		if ((wanted & bit) &&
		    !(wanted & (BIT_ULL(ppv_feature_deps[i].needs) |
				BIT_ULL(ppv_feature_deps[i].or_needs)))) {
			wanted &= ~bit;
			if (ppv_probing(priv))
				dev_info(dev, "feature %u offered without feature %u it requires: not used\n",
					 ppv_feature_deps[i].bit,
					 ppv_feature_deps[i].needs);
		}
	}
	return wanted;
}

/*
 * VIRTIO_NET_F_MTU: the device's MTU is the largest it takes; below
 * the minimum Ethernet MTU it is nonsense and the feature is not
 * used (as virtio_net does). Read before FEATURES_OK: config space is
 * readable once the features are read (virtio 1.x 3.1.1).
 */
static u64 ppv_negotiate_mtu(struct ppv_priv *priv, u64 wanted)
{
	struct device *dev = &priv->pdev->dev;

	priv->dev_mtu = 0;
	if (wanted & BIT_ULL(VIRTIO_NET_F_MTU)) {
		u16 mtu = 0;

		if (priv->device && priv->device_len >=
		    offsetofend(struct virtio_net_config, mtu))
			mtu = ioread16(priv->device +
				       offsetof(struct virtio_net_config, mtu));
		if (mtu < ETH_MIN_MTU) {
			wanted &= ~BIT_ULL(VIRTIO_NET_F_MTU);
			if (ppv_probing(priv))
				dev_warn(dev, "device MTU %u is below %u: ignored\n",
					 mtu, ETH_MIN_MTU);
		} else {
			priv->dev_mtu = mtu;
		}
	}
	return wanted;
}

/*
 * VIRTIO_NET_F_MQ: max_virtqueue_pairs must be 1..0x8000 (virtio 1.x
 * 5.1.4.1); outside, the feature is not used. It places the control
 * queue (at 2 * max_virtqueue_pairs), so it is the device's number;
 * ppvnet uses up to PPV_MAX_QP of them.
 */
static u64 ppv_negotiate_mq(struct ppv_priv *priv, u64 wanted)
{
	struct device *dev = &priv->pdev->dev;

	priv->dev_max_qp = 1;
	if (wanted & BIT_ULL(VIRTIO_NET_F_MQ)) {
		u16 n = 0;

		if (priv->device && priv->device_len >=
		    offsetofend(struct virtio_net_config, max_virtqueue_pairs))
			n = ioread16(priv->device +
				     offsetof(struct virtio_net_config,
					      max_virtqueue_pairs));
		if (n < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN ||
		    n > VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX) {
			wanted &= ~BIT_ULL(VIRTIO_NET_F_MQ);
			if (ppv_probing(priv))
				dev_warn(dev, "device offers %u queue pairs: multiqueue not used\n",
					 n);
		} else {
			priv->dev_max_qp = n;
		}
	}
	return wanted;
}

/*
 * VIRTIO_NET_F_RSS: used with multiqueue only, when the device takes
 * ppvnet's table and key (a device must take at least those sizes,
 * virtio 1.x 5.1.4.2) and supports one of its hash types.
 * VIRTIO_NET_F_HASH_REPORT: when it supports one of them and a key of
 * ppvnet's size (the hash needs no table).
 */
static u64 ppv_negotiate_hash(struct ppv_priv *priv, u64 wanted)
{
	struct device *dev = &priv->pdev->dev;

	priv->hash_types_dev = 0;
	if (wanted & (BIT_ULL(VIRTIO_NET_F_RSS) | BIT_ULL(VIRTIO_NET_F_HASH_REPORT))) {
		u32 types = 0;
		u16 tlen = 0;
		u8 klen = 0;

		if (priv->device && priv->device_len >=
		    offsetofend(struct virtio_net_config, supported_hash_types)) {
			klen = ioread8(priv->device +
				       offsetof(struct virtio_net_config,
						rss_max_key_size));
			tlen = ioread16(priv->device +
					offsetof(struct virtio_net_config,
						 rss_max_indirection_table_length));
			types = ioread32(priv->device +
					 offsetof(struct virtio_net_config,
						  supported_hash_types));
		}
		types &= PPV_RSS_HASH_TYPES;
		if ((wanted & BIT_ULL(VIRTIO_NET_F_RSS)) &&
		    (!(wanted & BIT_ULL(VIRTIO_NET_F_MQ)) ||
		     klen < PPV_RSS_KEY_LEN || tlen < PPV_RSS_TABLE_LEN ||
		     !types)) {
			wanted &= ~BIT_ULL(VIRTIO_NET_F_RSS);
			if (ppv_probing(priv))
				dev_warn(dev, "device offers RSS with %u-byte keys, %u table entries, hash types %#x%s: RSS not used\n",
					 klen, tlen, types,
					 wanted & BIT_ULL(VIRTIO_NET_F_MQ) ?
					 "" : ", no multiqueue");
		}
		if ((wanted & BIT_ULL(VIRTIO_NET_F_HASH_REPORT)) &&
		    (klen < PPV_RSS_KEY_LEN || !types)) {
			wanted &= ~BIT_ULL(VIRTIO_NET_F_HASH_REPORT);
			if (ppv_probing(priv))
				dev_warn(dev, "device offers hash report with %u-byte keys, hash types %#x: not used\n",
					 klen, types);
		}
		if (wanted & (BIT_ULL(VIRTIO_NET_F_RSS) |
			      BIT_ULL(VIRTIO_NET_F_HASH_REPORT)))
			priv->hash_types_dev = types;
	}
	/*
	 * all it supports until ethtool -N chooses; that choice (none, too)
	 * across resets
	 */
	if (!priv->hash_types_set)
		priv->hash_types = priv->hash_types_dev;
	else
		priv->hash_types &= priv->hash_types_dev;
	return wanted;
}

/*
 * Without ACCESS_PLATFORM the device would get guest-physical
 * addresses: on a guest whose memory is encrypted (SEV, SNP, TDX)
 * those reach private memory, garbage to the device. Refused, with
 * the virtio core's words (virtio_features_ok()).
 */
static bool ppv_negotiate_cc(struct ppv_priv *priv, u64 wanted)
{
	bool encrypted = cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT) ||
			 ppv_should_fail(PPV_FAULT_CC_GUEST);

	if (!encrypted || (wanted & BIT_ULL(VIRTIO_F_ACCESS_PLATFORM)))
		return true;
	dev_warn(&priv->pdev->dev, "device must provide VIRTIO_F_ACCESS_PLATFORM\n");
	return false;
}

/* Tell the device what is used; it may still refuse (FEATURES_OK). */
static bool ppv_features_ok(struct ppv_priv *priv, u64 wanted)
{
	iowrite32(0, PPV_CFG(priv, guest_feature_select));
	iowrite32(lower_32_bits(wanted), PPV_CFG(priv, guest_feature));
	iowrite32(1, PPV_CFG(priv, guest_feature_select));
	iowrite32(upper_32_bits(wanted), PPV_CFG(priv, guest_feature));

	ppv_add_status(priv, VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(ioread8(PPV_CFG(priv, device_status)) & VIRTIO_CONFIG_S_FEATURES_OK)) {
		dev_err(&priv->pdev->dev, "device refused FEATURES_OK for features %#llx\n",
			wanted);
		return false;
	}
	return true;
}

/*
 * Reset, then ACKNOWLEDGE, DRIVER, feature negotiation and FEATURES_OK.
 * Leaves the device ready for queue setup and DRIVER_OK.
 */
int ppv_negotiate(struct ppv_priv *priv)
{
	struct device *dev = &priv->pdev->dev;
	u64 offered, wanted;
	int err;

	err = ppv_reset(priv);
	if (err)
		return err;
	ppv_add_status(priv, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	ppv_add_status(priv, VIRTIO_CONFIG_S_DRIVER);

	offered = ppv_device_features(priv);
	if (!(offered & BIT_ULL(VIRTIO_F_VERSION_1))) {
		dev_err(dev, "device does not offer VIRTIO_F_VERSION_1 (features %#llx)\n",
			offered);
		goto fail;
	}
	wanted = ppv_negotiate_deps(priv, offered & PPV_FEATURES);
	wanted = ppv_negotiate_mtu(priv, wanted);
	wanted = ppv_negotiate_mq(priv, wanted);
	wanted = ppv_negotiate_hash(priv, wanted);
	if (!ppv_negotiate_cc(priv, wanted) || !ppv_features_ok(priv, wanted))
		goto fail;
	priv->features = wanted;
	/*
	 * the virtio core's vring_use_dma_api(): Xen's grant mappings need
	 * the DMA API with or without ACCESS_PLATFORM
	 */
	priv->dma_api = (wanted & BIT_ULL(VIRTIO_F_ACCESS_PLATFORM)) ||
			xen_domain();
	priv->hdr_len = wanted & BIT_ULL(VIRTIO_NET_F_HASH_REPORT) ?
			sizeof(struct virtio_net_hdr_v1_hash) :
			sizeof(struct virtio_net_hdr_mrg_rxbuf);
	return 0;

fail:
	ppv_add_status(priv, VIRTIO_CONFIG_S_FAILED);
	return -ENODEV;
}

/*
 * Read the MAC (zeroed without VIRTIO_NET_F_MAC), link status (LINK_UP
 * without VIRTIO_NET_F_STATUS), and speed and duplex (SPEED_DUPLEX; into
 * priv, for ethtool) consistently: the device bumps
 * config_generation when it changes a field, so retry until one generation
 * covers every read.
 */
int ppv_read_config(struct ppv_priv *priv, u8 *mac, u16 *status)
{
	bool has_mac = ppv_has(priv, VIRTIO_NET_F_MAC);
	bool has_status = ppv_has(priv, VIRTIO_NET_F_STATUS);
	bool has_speed = ppv_has(priv, VIRTIO_NET_F_SPEED_DUPLEX);
	u32 speed = SPEED_UNKNOWN;
	u8 duplex = DUPLEX_UNKNOWN;
	size_t need = has_status ? offsetofend(struct virtio_net_config, status) :
		      has_mac ? offsetofend(struct virtio_net_config, mac) : 0;
	int tries, i;
	u8 gen;

	if (need && (!priv->device || priv->device_len < need)) {
		dev_err(&priv->pdev->dev, "device config window of %zu bytes, need %zu\n",
			priv->device_len, need);
		return -ENODEV;
	}
	if (has_speed && (!priv->device || priv->device_len <
			  offsetofend(struct virtio_net_config, duplex)))
		has_speed = false;
	for (tries = 0; tries < 100; tries++) {
		gen = ioread8(PPV_CFG(priv, config_generation));
		if (has_speed) {
			speed = ioread32(priv->device +
					 offsetof(struct virtio_net_config, speed));
			duplex = ioread8(priv->device +
					 offsetof(struct virtio_net_config, duplex));
		}
		for (i = 0; has_mac && i < ETH_ALEN; i++)
			mac[i] = ioread8(priv->device +
					 offsetof(struct virtio_net_config, mac) + i);
		*status = has_status ?
			ioread16(priv->device +
				 offsetof(struct virtio_net_config, status)) :
			VIRTIO_NET_S_LINK_UP;
		if (gen == ioread8(PPV_CFG(priv, config_generation))) {
			/* anything ethtool does not know is "unknown" */
			priv->speed = has_speed && ethtool_validate_speed(speed) ?
				      speed : SPEED_UNKNOWN;
			priv->duplex = has_speed &&
				       ethtool_validate_duplex(duplex) ?
				       duplex : DUPLEX_UNKNOWN;
			return 0;
		}
	}
	priv->bad_config++;
	dev_err(&priv->pdev->dev, "config generation never settled\n");
	return -EIO;
}

/* Route config-change interrupts to MSI-X @vector; checks the read-back. */
int ppv_set_config_vector(struct ppv_priv *priv, u16 vector)
{
	iowrite16(vector, PPV_CFG(priv, msix_config));
	if (ioread16(PPV_CFG(priv, msix_config)) != vector) {
		dev_err(&priv->pdev->dev, "device refused MSI-X vector %u for config changes\n",
			vector);
		return -EBUSY;
	}
	return 0;
}

/*
 * Allocate queue @index's ring in coherent memory, sized from the device's
 * queue_size or @want if smaller (0: the device's), and hand it to the device with MSI-X @vector
 * (VIRTIO_MSI_NO_VECTOR for INTx). The queue is enabled; the device may use
 * it once DRIVER_OK is set.
 */
/* The size the device offers for queue @index (read after FEATURES_OK). */
u16 ppv_queue_max(struct ppv_priv *priv, u16 index)
{
	iowrite16(index, PPV_CFG(priv, queue_select));
	return ioread16(PPV_CFG(priv, queue_size));
}

int ppv_queue_setup(struct ppv_priv *priv, struct ppv_queue *q, u16 index,
		    u16 vector, u16 want)
{
	struct device *dev = &priv->pdev->dev;
	u16 num, off;
	int err;

	num = ppv_queue_max(priv, index);
	if (!num || num > PPV_VRING_MAX || (num & (num - 1))) {
		dev_err(dev, "queue %u: device offers size %u, need a power of two in 1..%u\n",
			index, num, PPV_VRING_MAX);
		return -ENODEV;
	}
	/* ethtool -G: a smaller power of two (virtio 1.x 4.1.4.3.2) */
	if (want && want < num)
		num = want;
	if (ioread16(PPV_CFG(priv, queue_enable))) {
		dev_err(dev, "queue %u is already enabled after reset\n", index);
		return -EBUSY;
	}
	off = ioread16(PPV_CFG(priv, queue_notify_off));
	if ((size_t)off * priv->notify_mult + sizeof(u16) > priv->notify_len) {
		dev_err(dev, "queue %u: notify offset %u * %u outside the %zu-byte window\n",
			index, off, priv->notify_mult, priv->notify_len);
		return -ENODEV;
	}

	q->index = index;
	q->num = num;
	q->notify = priv->notify_base + (size_t)off * priv->notify_mult;
	q->mem_bytes = ppv_vring_bytes(num);
	/*
	 * Rings live in coherent memory either way. With ACCESS_PLATFORM the
	 * device reads them through the platform's translation: it gets the
	 * DMA handle. Without it the device bypasses any IOMMU and needs the
	 * guest-physical address, which the DMA handle is only when nothing
	 * translates; so the memory is asked physically contiguous (an IOMMU
	 * would otherwise build it from scattered pages, vmapped) and the
	 * device gets its physical address.
	 */
	q->mem = ppv_should_fail(PPV_FAULT_RING) ? NULL :
		 dma_alloc_attrs(dev, q->mem_bytes, &q->mem_dma, GFP_KERNEL,
				 priv->dma_api ? 0 : DMA_ATTR_FORCE_CONTIGUOUS);
	if (!q->mem) {
		dev_err(dev, "queue %u: cannot allocate %zu bytes of ring\n",
			index, q->mem_bytes);
		return -ENOMEM;
	}
	q->mem_attrs = priv->dma_api ? 0 : DMA_ATTR_FORCE_CONTIGUOUS;
	q->dev_addr = q->mem_dma;
	if (!priv->dma_api) {
		if (is_vmalloc_addr(q->mem)) {
			dev_err(dev, "queue %u: ring memory is not physically contiguous\n",
				index);
			err = -ENOMEM;
			goto err_mem;
		}
		q->dev_addr = virt_to_phys(q->mem);
	}
	q->slot = ppv_should_fail(PPV_FAULT_RING) ? NULL :
		  kvcalloc(num, sizeof(*q->slot), GFP_KERNEL);
	if (!q->slot) {
		dev_err(dev, "queue %u: cannot allocate %u slots\n", index, num);
		err = -ENOMEM;
		goto err_mem;
	}
	err = ppv_vring_init(&q->vr, num, q->mem, q->slot,
			     ppv_has(priv, VIRTIO_RING_F_EVENT_IDX));
	if (err)
		goto err_slot;

	iowrite16(num, PPV_CFG(priv, queue_size));
	lo_hi_writeq(q->dev_addr, PPV_CFG(priv, queue_desc_lo));
	lo_hi_writeq(q->dev_addr + ppv_vring_avail_off(num),
		     PPV_CFG(priv, queue_avail_lo));
	lo_hi_writeq(q->dev_addr + ppv_vring_used_off(num),
		     PPV_CFG(priv, queue_used_lo));
	if (vector != VIRTIO_MSI_NO_VECTOR) {
		iowrite16(vector, PPV_CFG(priv, queue_msix_vector));
		if (ioread16(PPV_CFG(priv, queue_msix_vector)) != vector) {
			dev_err(dev, "queue %u: device refused MSI-X vector %u\n",
				index, vector);
			err = -EBUSY;
			goto err_slot;
		}
	}
	iowrite16(1, PPV_CFG(priv, queue_enable));
	return 0;

err_slot:
	kvfree(q->slot);
	q->slot = NULL;
err_mem:
	dma_free_attrs(dev, q->mem_bytes, q->mem, q->mem_dma, q->mem_attrs);
	q->mem = NULL;
	return err;
}

/* Free a queue's ring; the device must have been reset first. */
void ppv_queue_free(struct ppv_priv *priv, struct ppv_queue *q)
{
	if (!q->mem)
		return;
	kvfree(q->slot);
	q->slot = NULL;
	dma_free_attrs(&priv->pdev->dev, q->mem_bytes, q->mem, q->mem_dma,
		       q->mem_attrs);
	q->mem = NULL;
	/* no pointer into the freed ring survives a failed rebuild */
	memset(&q->vr, 0, sizeof(q->vr));
}
