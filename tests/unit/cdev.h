/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio device for the split ring that runs in a thread of its own,
 * concurrently with the driver (test_conc.c). Where devmodel.c lets a test
 * decide every step, this one does what QEMU does in hw/virtio/virtio.c, in
 * the same order and with the same barriers:
 *
 *   cdev_pop()              virtqueue_pop(): avail->idx, smp_rmb(), the avail
 *                           entry and its descriptors; with event index
 *                           avail_event = last_avail_idx afterwards
 *   cdev_fill/cdev_flush()  virtqueue_fill() + virtqueue_flush(): used entries,
 *                           smp_wmb(), used->idx
 *   cdev_should_notify()    virtio_should_notify(): smp_mb(), then used_event
 *                           (event index) or avail->flags (flags)
 *   cdev_set_notification() virtio_queue_set_notification(): avail_event =
 *                           avail->idx (event index) or used->flags
 *                           NO_NOTIFY, and smp_mb() when enabling
 *   cdev_queue_empty()      virtio_queue_empty()
 *
 * With @vhost, avail_event is written as drivers/vhost/vhost.c does it: only
 * when notifications are enabled (vhost_enable_notify()), not after every
 * pop. Both are what the spec allows, and a driver must work with both:
 * QEMU's refresh at every pop hides a driver's stale read of avail_event
 * that vhost's does not.
 *
 * Buffers are real memory in an arena the test gives (the device's "guest
 * memory"): it checks every address against it, as an IOMMU would, reads
 * what a transmit chain carries and writes what a receive chain gets. It
 * touches only the ring memory and the arena, never struct ppv_vring.
 *
 * With @indirect (VIRTIO_RING_F_INDIRECT_DESC), a head descriptor with
 * VRING_DESC_F_INDIRECT refers to a table in the arena, read as
 * virtqueue_split_pop() reads one: len a nonzero multiple of 16, no NEXT
 * beside INDIRECT, entries chained by next < len / 16 without a loop or a
 * nested INDIRECT, each buffer checked like a direct one. The table is
 * read with plain accesses: only ppv_vring_publish()'s barrier orders the
 * driver's writes to it before the device's reads.
 */
#ifndef _CDEV_H
#define _CDEV_H

#include "ppv_vring.h"

#define CDEV_BUF_LEN	32	/* every buffer the test posts */
#define CDEV_MAX_DESC	4	/* longest chain the test posts */

/* What a transmit buffer carries and a receive buffer gets, at its start. */
struct cdev_stamp {
	u64 serial;		/* chains are numbered in avail order from 0 */
	u32 len;		/* receive: bytes written; transmit: the chain's index k */
	u32 ndesc;		/* transmit: buffers in the chain */
};

/* Fill byte @i of chain @serial, buffer @k. */
static inline u8 cdev_pattern(u64 serial, unsigned int k, unsigned int i)
{
	return (u8)(serial * 31 + k * 7 + i);
}

/* One chain the device took and has not yet returned (VirtQueueElement). */
struct cdev_elem {
	u16 head;
	u16 nring;		/* ring descriptors held: 1 for an indirect chain */
	u16 ndesc;		/* buffers */
	u32 in_len;
	u64 serial;
	u8 *buf[CDEV_MAX_DESC];	/* checked addresses of the buffers */
};

struct cdev {
	struct ppv_vring_desc *desc;
	struct ppv_vring_avail *avail;
	struct ppv_vring_used *used;
	unsigned int num;
	bool event_idx;
	bool rx;		/* chains are device-writable, else device-readable */
	bool vhost;		/* avail_event as vhost sets it, see cdev_set_notification() */
	bool indirect;		/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	u8 *arena;		/* guest memory: buffers must lie here */
	size_t arena_len;

	/* VirtQueue */
	u16 last_avail_idx;
	u16 shadow_avail_idx;
	u16 used_idx;
	u16 signalled_used;
	bool signalled_used_valid;
	unsigned int inuse;
	u16 filled;		/* used entries written since the last flush */

	u64 serial;		/* chains popped so far */
	u8 *busy;		/* per descriptor: in a chain the device holds */
	struct cdev_elem *held;
	unsigned int nheld;

	unsigned long errors;	/* driver protocol violations */
	char first_error[160];
	unsigned long notifies, quiet;	/* should_notify true / false */
};

void cdev_init(struct cdev *d, void *mem, unsigned int num, bool event_idx,
	       bool rx, bool vhost, bool indirect, u8 *arena, size_t arena_len);
void cdev_free(struct cdev *d);

bool cdev_queue_empty(struct cdev *d);
/* Take one chain into held[]: true, or false when the ring is empty. */
bool cdev_pop(struct cdev *d);
/* Return held[i] (receive: write @len bytes into it first). */
void cdev_fill(struct cdev *d, unsigned int i, u32 len);
/* Publish the entries filled since the last flush. */
void cdev_flush(struct cdev *d);
bool cdev_should_notify(struct cdev *d);
void cdev_set_notification(struct cdev *d, bool enable);

/* For diagnostics, after the threads stopped. */
u16 cdev_avail_idx_now(const struct cdev *d);

#endif
