/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppvnet split virtqueue (virtio 1.x, section 2.7): the device-visible ring
 * layout and the driver's side of the protocol.
 *
 * This file and ppv_vring.c use nothing from the kernel but types, byte
 * order, READ_ONCE/WRITE_ONCE and barriers, so tests/unit builds them in
 * userspace with shim headers (the pattern of the kernel's tools/virtio).
 *
 * Barrier policy, decided here once (the "X before Y" of each call site is
 * commented there):
 *   publish:      dma_wmb() - descriptors and avail entries before avail->idx
 *   kick check:   mb()      - avail->idx before reading the device's
 *                             avail_event / used->flags
 *   get used:     dma_rmb() - used->idx before the used entries it covers
 *   re-enable cb: mb()      - used_event / avail->flags before re-reading
 *                             used->idx
 * The device (QEMU's virtqueue_* in hw/virtio/virtio.c) keeps the matching
 * barriers on its side.
 */
#ifndef _PPV_VRING_H
#define _PPV_VRING_H

#include <linux/types.h>
#include <uapi/linux/virtio_ring.h>

/* Device-visible layout, little endian (virtio 1.x). */
struct ppv_vring_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

struct ppv_vring_avail {
	__le16 flags;
	__le16 idx;
	__le16 ring[];		/* then __le16 used_event */
};

struct ppv_vring_used_elem {
	__le32 id;
	__le32 len;
};

struct ppv_vring_used {
	__le16 flags;
	__le16 idx;
	struct ppv_vring_used_elem ring[];	/* then __le16 avail_event */
};

#define PPV_VRING_MAX		32768	/* largest split ring size */
#define PPV_VRING_USED_ALIGN	64	/* keep the device's writes off our lines */

/* One buffer of a chain: a DMA address and its length. */
struct ppv_vring_buf {
	u64 addr;
	u32 len;
};

/* Driver-private state of one descriptor index. */
struct ppv_vring_slot {
	void *token;		/* non-NULL while this index heads a chain in flight */
	u32 in_len;		/* head only: device-writable bytes posted */
	u16 next;		/* free-list link; a chain follows these links */
	u16 last;		/* head only: last index of the chain */
	u16 ndesc;		/* head only: descriptors in the chain */
};

struct ppv_vring {
	/* Shared with the device, in coherent DMA memory. */
	struct ppv_vring_desc *desc;
	struct ppv_vring_avail *avail;
	struct ppv_vring_used *used;

	struct ppv_vring_slot *slot;	/* num entries, driver-private */
	u16 num;			/* ring size, a power of two */
	u16 mask;			/* num - 1 */
	bool event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool broken;			/* device broke the protocol: stop */

	/* Written by the producer (add/publish/kick). */
	u16 free_head;		/* first free descriptor index (masked) */
	u16 num_free;		/* descriptors on the free list */
	u16 avail_idx;		/* next avail index, free-running (wraps at 2^16) */
	u16 published;		/* avail index the device has seen */
	u16 kicked_idx;		/* published at the last kick decision, free-running */
	u16 avail_flags;	/* shadow of avail->flags */

	/* Written by the consumer (get_used/enable_cb). */
	u16 last_used;		/* next used entry to read, free-running */
};

/* Bytes of coherent memory a ring of @num entries takes (desc, avail, used). */
static inline size_t ppv_vring_avail_off(unsigned int num)
{
	return sizeof(struct ppv_vring_desc) * num;
}

static inline size_t ppv_vring_used_off(unsigned int num)
{
	size_t end = ppv_vring_avail_off(num) + sizeof(__le16) * (3 + num);

	return (end + PPV_VRING_USED_ALIGN - 1) & ~(size_t)(PPV_VRING_USED_ALIGN - 1);
}

static inline size_t ppv_vring_bytes(unsigned int num)
{
	return ppv_vring_used_off(num) + sizeof(__le16) * 3 +
	       sizeof(struct ppv_vring_used_elem) * num;
}

int ppv_vring_init(struct ppv_vring *vr, unsigned int num, void *mem,
		   struct ppv_vring_slot *slot, bool event_idx);
int ppv_vring_add(struct ppv_vring *vr, const struct ppv_vring_buf *bufs,
		  unsigned int out, unsigned int in, void *token);
int ppv_vring_add_indirect(struct ppv_vring *vr, struct ppv_vring_desc *table,
			   u64 table_addr, const struct ppv_vring_buf *bufs,
			   unsigned int out, unsigned int in, void *token);
void ppv_vring_publish(struct ppv_vring *vr);
bool ppv_vring_kick_prepare(struct ppv_vring *vr);
int ppv_vring_get_used(struct ppv_vring *vr, void **token, u32 *len);
bool ppv_vring_has_used(const struct ppv_vring *vr);
void ppv_vring_disable_cb(struct ppv_vring *vr);
bool ppv_vring_enable_cb(struct ppv_vring *vr);
bool ppv_vring_enable_cb_delayed(struct ppv_vring *vr);
void *ppv_vring_detach_unused(struct ppv_vring *vr);

/* Buffers in flight: posted and not yet returned. */
static inline unsigned int ppv_vring_in_flight(const struct ppv_vring *vr)
{
	return vr->num - vr->num_free;
}

#endif /* _PPV_VRING_H */
