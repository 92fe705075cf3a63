// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet control queue (VIRTIO_NET_F_CTRL_VQ, virtio 1.x 5.1.6.5): receive
 * mode and MAC filter, MAC address, VLAN filter, guest offloads, the
 * announcement's acknowledgment, the number of queue pairs and RSS. (virtio 1.x
 * fields are little endian: the __virtio types are set as such.)
 *
 * The queue is a split ring like RX and TX (ppv_vring.c) and lives while
 * the interface is up, as they do. Commands are synchronous, under rtnl:
 * one buffer (header, data, then the device's one-byte answer) goes out,
 * the device answers it when notified, and the driver polls the used ring
 * with a deadline. The state the commands set lives in the netdev (flags,
 * address lists, features) and in priv->vlans, so ppv_ctrl_apply() replays
 * all of it after every DRIVER_OK: open and every rebuild or reset start
 * from a device that forgot it.
 *
 * A command the device never answers: its buffer stays the device's, the
 * queue takes no more commands, and the device is reset (ppv_schedule_reset(),
 * which rebuilds and replays); the buffer is freed once the reset is done.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <uapi/linux/virtio_net.h>

#include "ppv.h"
#include "ppv_fault.h"

/* How long a command may take. QEMU answers during the notify itself. */
#define PPV_CTRL_TIMEOUT_MS	1000

/*
 * One command in flight. The device writes @ack only, in a cache line of
 * its own; it reads the header and the data after it. The first line is
 * the CPU's: what to unmap, also when the buffer outlives the command
 * (ppv_ctrl_close()).
 */
struct ppv_ctrl_buf {
	struct ppv_vring_buf map[2];	/* out: header and data; in: ack */
	u8 ack ____cacheline_aligned;
	struct virtio_net_ctrl_hdr hdr ____cacheline_aligned;
	u8 data[];
};

static const struct {
	u8 class, cmd;
	const char *name;
} ppv_ctrl_names[] = {
	{ VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC, "rx promisc" },
	{ VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLMULTI, "rx allmulti" },
	{ VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET, "mac table" },
	{ VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, "mac address" },
	{ VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD, "vlan add" },
	{ VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_DEL, "vlan del" },
	{ VIRTIO_NET_CTRL_ANNOUNCE, VIRTIO_NET_CTRL_ANNOUNCE_ACK, "announce ack" },
	{ VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, "queue pairs" },
	{ VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_RSS_CONFIG, "rss" },
	{ VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_HASH_CONFIG, "hash" },
	{ VIRTIO_NET_CTRL_GUEST_OFFLOADS, VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET,
	  "guest offloads" },
};

static const char *ppv_ctrl_name(u8 class, u8 cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ppv_ctrl_names); i++)
		if (ppv_ctrl_names[i].class == class &&
		    ppv_ctrl_names[i].cmd == cmd)
			return ppv_ctrl_names[i].name;
	return "unknown";
}

/* The queue's index: after every data queue the device has (5.1.2). */
u16 ppv_ctrl_index(const struct ppv_priv *priv)
{
	return 2 * priv->dev_max_qp;
}

int ppv_ctrl_open(struct ppv_priv *priv)
{
	priv->ctrl_broken = false;
	if (!ppv_has(priv, VIRTIO_NET_F_CTRL_VQ))
		return 0;
	/* polled: no vector */
	return ppv_queue_setup(priv, &priv->ctrlq, ppv_ctrl_index(priv),
			       VIRTIO_MSI_NO_VECTOR, 0);
}

static void ppv_ctrl_unmap(struct ppv_priv *priv, struct ppv_ctrl_buf *buf)
{
	ppv_unmap(priv, buf->map[1].addr, buf->map[1].len, DMA_FROM_DEVICE);
	ppv_unmap(priv, buf->map[0].addr, buf->map[0].len, DMA_TO_DEVICE);
}

/* After the device reset: the buffer of an unanswered command is ours again. */
void ppv_ctrl_close(struct ppv_priv *priv)
{
	struct ppv_ctrl_buf *buf = priv->ctrl_lost;

	if (buf) {
		ppv_ctrl_unmap(priv, buf);
		kfree(buf);
		priv->ctrl_lost = NULL;
	}
	ppv_queue_free(priv, &priv->ctrlq);
}

/**
 * ppv_ctrl_cmd - send a control command and wait for its answer
 * @priv: device, up; rtnl held
 * @class: VIRTIO_NET_CTRL_*
 * @cmd: command of @class
 * @data: command-specific data
 * @len: its length
 *
 * Return: 0 when the device answered VIRTIO_NET_OK; -EIO when it refused
 * (or answered nonsense); -ETIMEDOUT when it did not answer in time (the
 * device is then reset); -ENOMEM; -ENETDOWN when the queue is not there.
 */
int ppv_ctrl_cmd(struct ppv_priv *priv, u8 class, u8 cmd, const void *data,
		 size_t len)
{
	struct ppv_vring *vr = &priv->ctrlq.vr;
	struct ppv_vring_buf *bufs;
	struct ppv_ctrl_buf *buf;
	unsigned long deadline;
	void *token = NULL;
	u32 used_len = 0;
	int ret, err;
	u8 ack;

	ASSERT_RTNL();
	if (!priv->up || !priv->ctrlq.mem)
		return -ENETDOWN;
	if (priv->ctrl_broken)
		return -EIO;

	buf = ppv_should_fail(PPV_FAULT_CTRL) ? NULL :
	      kmalloc(sizeof(*buf) + len, GFP_KERNEL);
	if (!buf) {
		netdev_err(priv->dev, "control command %s: no memory\n",
			   ppv_ctrl_name(class, cmd));
		return -ENOMEM;
	}
	buf->hdr.class = class;
	buf->hdr.cmd = cmd;
	memcpy(buf->data, data, len);
	buf->ack = 0xff;	/* neither VIRTIO_NET_OK nor VIRTIO_NET_ERR */
	bufs = buf->map;

	bufs[0].len = sizeof(buf->hdr) + len;
	bufs[1].len = sizeof(buf->ack);
	if (ppv_should_fail(PPV_FAULT_CTRL) ||
	    !ppv_map(priv, &buf->hdr, bufs[0].len, DMA_TO_DEVICE, &bufs[0].addr)) {
		netdev_err(priv->dev, "control command %s: cannot map it\n",
			   ppv_ctrl_name(class, cmd));
		err = -ENOMEM;
		goto free;
	}
	if (!ppv_map(priv, &buf->ack, bufs[1].len, DMA_FROM_DEVICE,
		     &bufs[1].addr)) {
		netdev_err(priv->dev, "control command %s: cannot map its answer\n",
			   ppv_ctrl_name(class, cmd));
		err = -ENOMEM;
		goto unmap_out;
	}

	/* one command at a time: the ring is empty here */
	err = ppv_vring_add(vr, bufs, 1, 1, buf);
	if (err) {
		netdev_err(priv->dev, "control command %s: ring full (%d)\n",
			   ppv_ctrl_name(class, cmd), err);
		goto unmap_in;
	}
	ppv_vring_publish(vr);
	/* fault point: as if the device never saw it */
	if (!ppv_should_fail(PPV_FAULT_CTRL_LOST))
		ppv_notify(&priv->ctrlq);

	deadline = jiffies + msecs_to_jiffies(PPV_CTRL_TIMEOUT_MS);
	while (!(ret = ppv_vring_get_used(vr, &token, &used_len))) {
		if (time_after(jiffies, deadline)) {
			netdev_err(priv->dev, "control command %s: no answer from the device in %u ms: resetting it\n",
				   ppv_ctrl_name(class, cmd),
				   PPV_CTRL_TIMEOUT_MS);
			atomic64_inc(&priv->ctrl_timeouts);
			priv->ctrl_broken = true;
			/* the device's until the reset: ppv_ctrl_close() frees it */
			priv->ctrl_lost = buf;
			ppv_schedule_reset(priv);
			return -ETIMEDOUT;
		}
		usleep_range(20, 100);
	}
	if (ret < 0 || token != buf) {
		/* an id it was never given: the ring is broken, reset */
		netdev_err(priv->dev, "control command %s: bad used entry from the device (%d): resetting it\n",
			   ppv_ctrl_name(class, cmd), ret);
		atomic64_inc(&priv->ctrl_errors);
		priv->ctrl_broken = true;
		priv->ctrl_lost = buf;
		ppv_schedule_reset(priv);
		return -EIO;
	}
	ppv_ctrl_unmap(priv, buf);
	ack = READ_ONCE(buf->ack);
	kfree(buf);
	atomic64_inc(&priv->ctrl_cmds);
	if (used_len < sizeof(ack) || ack != VIRTIO_NET_OK) {
		atomic64_inc(&priv->ctrl_errors);
		netdev_warn(priv->dev, "device refused control command %s (answer %u, %u bytes)\n",
			    ppv_ctrl_name(class, cmd), ack, used_len);
		return -EIO;
	}
	return 0;

unmap_in:
	ppv_unmap(priv, bufs[1].addr, bufs[1].len, DMA_FROM_DEVICE);
unmap_out:
	ppv_unmap(priv, bufs[0].addr, bufs[0].len, DMA_TO_DEVICE);
free:
	kfree(buf);
	return err;
}

static int ppv_ctrl_rx(struct ppv_priv *priv, u8 cmd, bool on)
{
	u8 v = on;

	return ppv_ctrl_cmd(priv, VIRTIO_NET_CTRL_RX, cmd, &v, sizeof(v));
}

/*
 * Receive mode: promiscuous and all-multicast flags, then the unicast and
 * multicast filter (virtio 1.x 5.1.6.5.2: two virtio_net_ctrl_mac tables,
 * unicast first). The device filters on its own MAC plus these.
 */
static int ppv_ctrl_rx_mode(struct ppv_priv *priv)
{
	struct net_device *dev = priv->dev;
	struct virtio_net_ctrl_mac *uc, *mc;
	struct netdev_hw_addr *ha;
	unsigned int nuc, nmc, i;
	size_t len;
	void *data;
	int err;

	if (!ppv_has(priv, VIRTIO_NET_F_CTRL_RX))
		return 0;
	err = ppv_ctrl_rx(priv, VIRTIO_NET_CTRL_RX_PROMISC,
			  dev->flags & IFF_PROMISC);
	if (err)
		return err;
	err = ppv_ctrl_rx(priv, VIRTIO_NET_CTRL_RX_ALLMULTI,
			  dev->flags & IFF_ALLMULTI);
	if (err)
		return err;

	netif_addr_lock_bh(dev);
	nuc = netdev_uc_count(dev);
	nmc = netdev_mc_count(dev);
	len = 2 * sizeof(*uc) + (nuc + nmc) * ETH_ALEN;
	data = ppv_should_fail(PPV_FAULT_CTRL) ? NULL : kzalloc(len, GFP_ATOMIC);
	if (data) {
		uc = data;
		uc->entries = (__force __virtio32)cpu_to_le32(nuc);
		i = 0;
		netdev_for_each_uc_addr(ha, dev)
			ether_addr_copy(uc->macs[i++], ha->addr);
		mc = (void *)&uc->macs[nuc];
		mc->entries = (__force __virtio32)cpu_to_le32(nmc);
		i = 0;
		netdev_for_each_mc_addr(ha, dev)
			ether_addr_copy(mc->macs[i++], ha->addr);
	}
	netif_addr_unlock_bh(dev);
	if (!data) {
		netdev_err(dev, "cannot allocate a MAC filter of %u addresses\n",
			   nuc + nmc);
		return -ENOMEM;
	}
	err = ppv_ctrl_cmd(priv, VIRTIO_NET_CTRL_MAC,
			   VIRTIO_NET_CTRL_MAC_TABLE_SET, data, len);
	kfree(data);
	return err;
}

/* ndo_set_rx_mode runs under the address lock: the commands wait here. */
static void ppv_rx_mode_work(struct work_struct *work)
{
	struct ppv_priv *priv = container_of(work, struct ppv_priv,
					     rx_mode_work);

	rtnl_lock();
	if (priv->up)
		ppv_ctrl_rx_mode(priv);
	rtnl_unlock();
}

void ppv_set_rx_mode(struct net_device *dev)
{
	struct ppv_priv *priv = netdev_priv(dev);

	if (ppv_has(priv, VIRTIO_NET_F_CTRL_RX))
		ppv_ctrl_schedule(priv, &priv->rx_mode_work);
}

static int ppv_ctrl_mac(struct ppv_priv *priv, const u8 *addr)
{
	if (!ppv_has(priv, VIRTIO_NET_F_CTRL_MAC_ADDR))
		return 0;
	return ppv_ctrl_cmd(priv, VIRTIO_NET_CTRL_MAC,
			    VIRTIO_NET_CTRL_MAC_ADDR_SET, addr, ETH_ALEN);
}

/* ip link set address: while up only with CTRL_MAC_ADDR (IFF_LIVE_ADDR_CHANGE). */
int ppv_set_mac_address(struct net_device *dev, void *p)
{
	struct ppv_priv *priv = netdev_priv(dev);
	struct sockaddr *sa = p;
	int err;

	err = eth_prepare_mac_addr_change(dev, p);
	if (err)
		return err;
	if (priv->up) {
		err = ppv_ctrl_mac(priv, sa->sa_data);
		if (err)
			return err;
	}
	eth_commit_mac_addr_change(dev, p);
	return 0;
}

static int ppv_ctrl_vlan(struct ppv_priv *priv, u8 cmd, u16 vid)
{
	__le16 v = cpu_to_le16(vid);

	return ppv_ctrl_cmd(priv, VIRTIO_NET_CTRL_VLAN, cmd, &v, sizeof(v));
}

int ppv_vlan_rx_add_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct ppv_priv *priv = netdev_priv(dev);
	int err;

	if (priv->up) {
		err = ppv_ctrl_vlan(priv, VIRTIO_NET_CTRL_VLAN_ADD, vid);
		if (err)
			return err;
	}
	set_bit(vid, priv->vlans);
	return 0;
}

int ppv_vlan_rx_kill_vid(struct net_device *dev, __be16 proto, u16 vid)
{
	struct ppv_priv *priv = netdev_priv(dev);
	int err;

	if (priv->up) {
		err = ppv_ctrl_vlan(priv, VIRTIO_NET_CTRL_VLAN_DEL, vid);
		if (err)
			return err;
	}
	clear_bit(vid, priv->vlans);
	return 0;
}

/* The guest offloads @features ask for, of those negotiated. */
static u64 ppv_guest_offloads(struct ppv_priv *priv, netdev_features_t features)
{
	u64 off = priv->features & (BIT_ULL(VIRTIO_NET_F_GUEST_CSUM) |
				    BIT_ULL(VIRTIO_NET_F_GUEST_TSO4) |
				    BIT_ULL(VIRTIO_NET_F_GUEST_TSO6) |
				    BIT_ULL(VIRTIO_NET_F_GUEST_ECN));

	/* no checksum, no GSO either: a GSO packet comes checksummed partial */
	if (!(features & NETIF_F_RXCSUM))
		return 0;
	if (!(features & NETIF_F_GRO_HW))
		off &= BIT_ULL(VIRTIO_NET_F_GUEST_CSUM);
	return off;
}

static int ppv_ctrl_offloads(struct ppv_priv *priv, netdev_features_t features)
{
	__le64 v = cpu_to_le64(ppv_guest_offloads(priv, features));

	if (!ppv_has(priv, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS))
		return 0;
	return ppv_ctrl_cmd(priv, VIRTIO_NET_CTRL_GUEST_OFFLOADS,
			    VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, &v, sizeof(v));
}

/* ethtool -K rx / rx-gro-hw at run time: CTRL_GUEST_OFFLOADS. */
int ppv_set_features(struct net_device *dev, netdev_features_t features)
{
	struct ppv_priv *priv = netdev_priv(dev);

	if (!((dev->features ^ features) & (NETIF_F_RXCSUM | NETIF_F_GRO_HW)))
		return 0;
	if (!priv->up)
		return 0;	/* ppv_ctrl_apply() at the next up */
	return ppv_ctrl_offloads(priv, features);
}

/* The device asked for an announcement (after a migration): send it, ack. */
static void ppv_announce_work(struct work_struct *work)
{
	struct ppv_priv *priv = container_of(work, struct ppv_priv,
					     announce_work);

	rtnl_lock();
	if (priv->up) {
		netdev_info(priv->dev, "device asked for an announcement\n");
		__netdev_notify_peers(priv->dev);	/* gratuitous ARP, NA */
		if (!ppv_ctrl_cmd(priv, VIRTIO_NET_CTRL_ANNOUNCE,
				  VIRTIO_NET_CTRL_ANNOUNCE_ACK, NULL, 0))
			atomic64_inc(&priv->announces);
	}
	rtnl_unlock();
}

void ppv_ctrl_announce(struct ppv_priv *priv)
{
	if (ppv_has(priv, VIRTIO_NET_F_GUEST_ANNOUNCE))
		ppv_ctrl_schedule(priv, &priv->announce_work);
}

int ppv_ctrl_set_pairs(struct ppv_priv *priv, unsigned int n)
{
	struct virtio_net_ctrl_mq mq = {
		.virtqueue_pairs = (__force __virtio16)cpu_to_le16(n),
	};

	if (!ppv_has(priv, VIRTIO_NET_F_MQ))
		return 0;
	return ppv_ctrl_cmd(priv, VIRTIO_NET_CTRL_MQ,
			    VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, &mq, sizeof(mq));
}

/*
 * RSS (VIRTIO_NET_CTRL_MQ_RSS_CONFIG, virtio 1.x 5.1.6.5.7.1): hash types,
 * indirection table, TX queues in use and key in one command, which also
 * sets the number of queue pairs as VQ_PAIRS_SET does. The layout with
 * ppvnet's fixed table and key sizes.
 */
struct ppv_rss_cmd {
	__le32 hash_types;
	__le16 table_mask;
	__le16 unclassified_queue;
	__le16 table[PPV_RSS_TABLE_LEN];
	__le16 max_tx_vq;
	u8 key_len;
	u8 key[PPV_RSS_KEY_LEN];
} __packed;

static int ppv_ctrl_rss(struct ppv_priv *priv)
{
	struct ppv_rss_cmd cmd;
	unsigned int i;

	cmd.hash_types = cpu_to_le32(priv->hash_types);
	cmd.table_mask = cpu_to_le16(PPV_RSS_TABLE_LEN - 1);
	cmd.unclassified_queue = 0;
	for (i = 0; i < PPV_RSS_TABLE_LEN; i++)
		cmd.table[i] = cpu_to_le16(priv->rss_indir[i]);
	cmd.max_tx_vq = cpu_to_le16(priv->nqp);
	cmd.key_len = PPV_RSS_KEY_LEN;
	memcpy(cmd.key, priv->rss_key, PPV_RSS_KEY_LEN);
	return ppv_ctrl_cmd(priv, VIRTIO_NET_CTRL_MQ,
			    VIRTIO_NET_CTRL_MQ_RSS_CONFIG, &cmd, sizeof(cmd));
}

/*
 * Before the table goes to a device with priv->nqp pairs: a table no one
 * set spreads the flows evenly over the pairs; one set with ethtool -X
 * stays (the core refuses an ethtool -L that would leave an entry of it
 * without its queue), unless an entry names a pair not in use after all.
 */
static void ppv_rss_fit(struct ppv_priv *priv)
{
	bool keep = netif_is_rxfh_configured(priv->dev);
	unsigned int i;

	for (i = 0; keep && i < PPV_RSS_TABLE_LEN; i++) {
		if (priv->rss_indir[i] >= priv->nqp) {
			netdev_warn(priv->dev, "RSS table entry %u names queue %u of %u: spreading over all queues\n",
				    i, priv->rss_indir[i], priv->nqp);
			keep = false;
		}
	}
	if (keep)
		return;
	for (i = 0; i < PPV_RSS_TABLE_LEN; i++)
		priv->rss_indir[i] = ethtool_rxfh_indir_default(i, priv->nqp);
}

/*
 * Hash report without RSS (VIRTIO_NET_CTRL_MQ_HASH_CONFIG, virtio 1.x
 * 5.1.6.5.6.4): hash types and key; the queue stays the device's choice.
 */
struct ppv_hash_cmd {
	__le32 hash_types;
	__le16 reserved[4];
	u8 key_len;
	u8 key[PPV_RSS_KEY_LEN];
} __packed;

/* Hash types, table and key to the device: with RSS the RSS command. */
static int ppv_ctrl_hash(struct ppv_priv *priv)
{
	struct ppv_hash_cmd cmd = {};

	if (ppv_has(priv, VIRTIO_NET_F_RSS))
		return ppv_ctrl_rss(priv);
	if (!ppv_has(priv, VIRTIO_NET_F_HASH_REPORT))
		return 0;
	cmd.hash_types = cpu_to_le32(priv->hash_types);
	cmd.key_len = PPV_RSS_KEY_LEN;
	memcpy(cmd.key, priv->rss_key, PPV_RSS_KEY_LEN);
	return ppv_ctrl_cmd(priv, VIRTIO_NET_CTRL_MQ,
			    VIRTIO_NET_CTRL_MQ_HASH_CONFIG, &cmd, sizeof(cmd));
}

/**
 * ppv_ctrl_set_rss - ethtool -X: a new table and/or key
 * @priv: device with RSS or hash report; rtnl held
 * @indir: PPV_RSS_TABLE_LEN entries, each below priv->nqp, or NULL (always
 *	NULL without RSS: the core asks for no table of size 0)
 * @key: PPV_RSS_KEY_LEN bytes, or NULL
 *
 * Down, they wait for the next up; up, the device takes them now, or
 * refuses and nothing changes.
 *
 * Return: 0, -EINVAL for an entry past the active pairs, or the command's error.
 */
int ppv_ctrl_set_rss(struct ppv_priv *priv, const u32 *indir, const u8 *key)
{
	u16 old_indir[PPV_RSS_TABLE_LEN];
	u8 old_key[PPV_RSS_KEY_LEN];
	unsigned int i;
	int err;

	for (i = 0; indir && i < PPV_RSS_TABLE_LEN; i++)
		if (indir[i] >= priv->nqp)
			return -EINVAL;
	memcpy(old_indir, priv->rss_indir, sizeof(old_indir));
	memcpy(old_key, priv->rss_key, sizeof(old_key));
	for (i = 0; indir && i < PPV_RSS_TABLE_LEN; i++)
		priv->rss_indir[i] = indir[i];
	if (key)
		memcpy(priv->rss_key, key, PPV_RSS_KEY_LEN);
	if (!priv->up)
		return 0;
	err = ppv_ctrl_hash(priv);
	if (err) {
		memcpy(priv->rss_indir, old_indir, sizeof(old_indir));
		memcpy(priv->rss_key, old_key, sizeof(old_key));
	}
	return err;
}

/**
 * ppv_ctrl_set_hash_types - ethtool -N rx-flow-hash: what the device hashes
 * @priv: device with RSS or hash report; rtnl held
 * @types: VIRTIO_NET_RSS_HASH_TYPE_* bits, a subset of priv->hash_types_dev
 *
 * Return: 0, or the command's error (nothing changes then).
 */
int ppv_ctrl_set_hash_types(struct ppv_priv *priv, u32 types)
{
	u32 old = priv->hash_types;
	int err;

	priv->hash_types_set = true;
	if (types == old)
		return 0;
	priv->hash_types = types;
	if (!priv->up)
		return 0;
	err = ppv_ctrl_hash(priv);
	if (err)
		priv->hash_types = old;
	return err;
}

/**
 * ppv_ctrl_apply - tell a device that starts from reset what it must know
 * @priv: device, after DRIVER_OK; rtnl held
 *
 * Queue pairs (with RSS: the RSS configuration), MAC address, receive
 * mode and filter, VLANs, guest offloads. The queue pairs are essential
 * (the device would use one pair); the rest is logged when refused, and the interface comes up
 * anyway with the device's defaults (QEMU: promiscuous).
 *
 * Return: 0, or the error of the queue-pair command.
 */
int ppv_ctrl_apply(struct ppv_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int vid;
	int err;

	if (!ppv_has(priv, VIRTIO_NET_F_CTRL_VQ))
		return 0;
	if (ppv_has(priv, VIRTIO_NET_F_RSS)) {
		ppv_rss_fit(priv);
		err = ppv_ctrl_rss(priv);
		if (err) {
			netdev_err(dev, "device refused RSS over %u queue pairs: %d\n",
				   priv->nqp, err);
			return err;
		}
	} else {
		if (priv->nqp > 1) {
			err = ppv_ctrl_set_pairs(priv, priv->nqp);
			if (err) {
				netdev_err(dev, "device refused %u queue pairs: %d\n",
					   priv->nqp, err);
				return err;
			}
		}
		err = ppv_ctrl_hash(priv);
		if (err)
			netdev_warn(dev, "device refused hash types %#x: no hash reported: %d\n",
				    priv->hash_types, err);
	}
	err = ppv_ctrl_mac(priv, dev->dev_addr);
	if (err)
		netdev_warn(dev, "device keeps its own MAC address: %d\n", err);
	err = ppv_ctrl_rx_mode(priv);
	if (err)
		netdev_warn(dev, "receive mode not set: %d\n", err);
	if (ppv_has(priv, VIRTIO_NET_F_CTRL_VLAN)) {
		for_each_set_bit(vid, priv->vlans, VLAN_N_VID) {
			err = ppv_ctrl_vlan(priv, VIRTIO_NET_CTRL_VLAN_ADD, vid);
			if (err) {
				netdev_warn(dev, "VLAN %u not set: %d\n", vid,
					    err);
				break;
			}
		}
	}
	if (ppv_guest_offloads(priv, dev->features) !=
	    ppv_guest_offloads(priv, NETIF_F_RXCSUM | NETIF_F_GRO_HW)) {
		err = ppv_ctrl_offloads(priv, dev->features);
		if (err)
			netdev_warn(dev, "guest offloads not set: %d\n", err);
	}
	return 0;
}

void ppv_ctrl_init(struct ppv_priv *priv)
{
	INIT_WORK(&priv->rx_mode_work, ppv_rx_mode_work);
	INIT_WORK(&priv->announce_work, ppv_announce_work);
	priv->ctrl_work_enabled = true;
	netdev_rss_key_fill(priv->rss_key, PPV_RSS_KEY_LEN);
}

/* From any context; a no-op once ppv_ctrl_disable() ran. */
void ppv_ctrl_schedule(struct ppv_priv *priv, struct work_struct *work)
{
	unsigned long flags;

	spin_lock_irqsave(&priv->work_lock, flags);
	if (priv->ctrl_work_enabled)
		schedule_work(work);
	spin_unlock_irqrestore(&priv->work_lock, flags);
}

/* Without rtnl (the works take it): none runs or starts after this. */
void ppv_ctrl_disable(struct ppv_priv *priv)
{
	spin_lock_irq(&priv->work_lock);
	priv->ctrl_work_enabled = false;
	spin_unlock_irq(&priv->work_lock);
	cancel_work_sync(&priv->rx_mode_work);
	cancel_work_sync(&priv->announce_work);
}
