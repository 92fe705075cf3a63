/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A software virtio device for the split ring, playing QEMU's part against
 * ppv_vring.c: it takes chains from the avail ring, returns them on the used
 * ring in whatever order a test asks, and decides kicks and interrupts the
 * way the spec says (2.7.7, 2.7.10). It checks the driver on the way: a
 * descriptor in two chains, a chain that loops or runs off the table, a
 * readable buffer after a writable one all count as driver errors.
 *
 * Indirect descriptors (2.7.5.3), once dm_set_indirect() negotiated them,
 * are followed as QEMU's virtqueue_split_pop() does: only on the head of a
 * chain, never with NEXT, a table of len / 16 entries (len a nonzero
 * multiple of 16, no more than the ring size) lying wholly in the memory
 * given to dm_set_indirect(), whose entries chain with next < len / 16,
 * without a loop and without a nested INDIRECT. Anything else is a driver
 * error, and so is a table that overlaps the table of a chain the device
 * still holds.
 *
 * It touches only the shared memory, never struct ppv_vring, so what it sees
 * is what a real device would see.
 */
#ifndef _DEVMODEL_H
#define _DEVMODEL_H

#include "ppv_vring.h"

/* One chain the device took from the avail ring and holds. */
struct dm_chain {
	u16 head;
	u16 ndesc;		/* ring descriptors held: 1 for an indirect chain */
	u16 nbufs;		/* buffers: ring descriptors or table entries */
	bool indirect;		/* the head referred to an indirect table */
	u32 out_len;		/* device-readable bytes */
	u32 in_len;		/* device-writable bytes */
	u64 table_addr;		/* indirect: the table, len / 16 entries */
	u32 table_n;
};

struct devmodel {
	struct ppv_vring_desc *desc;
	struct ppv_vring_avail *avail;
	struct ppv_vring_used *used;
	unsigned int num;
	bool event_idx;
	/* VIRTIO_RING_F_INDIRECT_DESC: tables must lie in [mem, mem + mem_len) */
	bool indirect;
	const u8 *mem;
	size_t mem_len;

	u16 last_avail;		/* next avail entry to take */
	u16 used_idx;		/* next used entry to write (not yet visible) */
	u16 signalled;		/* used->idx at the last interrupt decision */

	u8 *busy;		/* per descriptor: held in a chain by the device */
	struct dm_chain *held;	/* chains taken and not yet returned */
	unsigned int nheld;

	unsigned int errors;	/* driver protocol violations seen */
	bool quiet;		/* errors expected: count them, print nothing */
	unsigned int irqs;	/* interrupts the device would have sent */
};

void dm_init(struct devmodel *dm, void *mem, unsigned int num, bool event_idx);
void dm_free(struct devmodel *dm);
/* Negotiate indirect descriptors, their tables in @mem (the test's memory). */
void dm_set_indirect(struct devmodel *dm, const void *mem, size_t len);

/* Take one chain from the avail ring: 1 taken (into held[]), 0 none. */
int dm_pop(struct devmodel *dm);
/* Take everything available; returns how many chains. */
unsigned int dm_pop_all(struct devmodel *dm);

/* Return held[i] with @len written; the used index is not yet visible. */
void dm_complete(struct devmodel *dm, unsigned int i, u32 len);
/* Write a used entry with any id and len (a misbehaving device). */
void dm_push_raw(struct devmodel *dm, u32 id, u32 len);
/* Publish the used index; returns whether the device would interrupt. */
bool dm_flush(struct devmodel *dm);
/* Write used->idx as is (a misbehaving device). */
void dm_set_used_idx(struct devmodel *dm, u16 idx);

/* The device's notification suppression (2.7.10). */
void dm_set_avail_event(struct devmodel *dm, u16 idx);
void dm_set_no_notify(struct devmodel *dm, bool on);

/* What the driver wrote for the device: used_event and avail->flags. */
u16 dm_used_event(const struct devmodel *dm);
u16 dm_avail_flags(const struct devmodel *dm);

#endif
