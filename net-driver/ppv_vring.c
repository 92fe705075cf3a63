// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet split virtqueue: the driver side of the ring protocol. No kernel
 * dependency beyond types, byte order, READ_ONCE and barriers (see
 * ppv_vring.h); tests/unit builds this very file in userspace.
 *
 * Nothing the device writes is trusted: the used index may not run ahead by
 * more than the ring size, a used id must head a chain in flight, a used
 * length may not exceed the device-writable bytes posted.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>

#include "ppv_vring.h"

static __le16 *ppv_vring_used_event(struct ppv_vring *vr)
{
	return &vr->avail->ring[vr->num];
}

static __le16 *ppv_vring_avail_event(struct ppv_vring *vr)
{
	return (__le16 *)&vr->used->ring[vr->num];
}

/* Put the chain headed by @head back on the free list, its links intact. */
static void ppv_vring_free_chain(struct ppv_vring *vr, u16 head)
{
	struct ppv_vring_slot *s = &vr->slot[head];

	s->token = NULL;
	vr->slot[s->last].next = vr->free_head;
	vr->free_head = head;
	vr->num_free += s->ndesc;
}

/**
 * ppv_vring_init - lay a ring out in @mem and reset the driver's state
 * @vr: ring
 * @num: entries, a power of two up to PPV_VRING_MAX
 * @mem: ppv_vring_bytes(@num) zeroed bytes shared with the device
 * @slot: @num entries of driver-private state
 * @event_idx: VIRTIO_RING_F_EVENT_IDX was negotiated
 */
int ppv_vring_init(struct ppv_vring *vr, unsigned int num, void *mem,
		   struct ppv_vring_slot *slot, bool event_idx)
{
	unsigned int i;

	if (!num || num > PPV_VRING_MAX || (num & (num - 1)))
		return -EINVAL;

	vr->desc = mem;
	vr->avail = (struct ppv_vring_avail *)((char *)mem + ppv_vring_avail_off(num));
	vr->used = (struct ppv_vring_used *)((char *)mem + ppv_vring_used_off(num));
	vr->slot = slot;
	vr->num = num;
	vr->mask = num - 1;
	vr->event_idx = event_idx;
	vr->broken = false;
	vr->free_head = 0;
	vr->num_free = num;
	vr->avail_idx = 0;
	vr->published = 0;
	vr->kicked_idx = 0;
	vr->avail_flags = 0;
	vr->last_used = 0;
	for (i = 0; i < num; i++) {
		slot[i].token = NULL;
		slot[i].next = (i + 1) & vr->mask;
	}
	return 0;
}

/**
 * ppv_vring_add - put one chain on the ring (not yet visible to the device)
 * @vr: ring
 * @bufs: @out device-readable buffers, then @in device-writable ones
 * @out: count of device-readable buffers
 * @in: count of device-writable buffers
 * @token: returned by ppv_vring_get_used() with this chain; not NULL
 *
 * Return: 0, or -ENOSPC when the free descriptors do not suffice.
 */
int ppv_vring_add(struct ppv_vring *vr, const struct ppv_vring_buf *bufs,
		  unsigned int out, unsigned int in, void *token)
{
	unsigned int n = out + in, k;
	u16 head, i, last = 0;
	u32 in_len = 0;

	if (unlikely(!n || out > vr->num || in > vr->num ||
		     n > vr->num_free || !token || vr->broken))
		return -ENOSPC;

	head = vr->free_head;
	i = head;
	for (k = 0; k < n; k++) {
		struct ppv_vring_desc *d = &vr->desc[i];
		u16 flags = 0;

		if (k >= out) {
			flags |= VRING_DESC_F_WRITE;
			in_len += bufs[k].len;
		}
		if (k + 1 < n)
			flags |= VRING_DESC_F_NEXT;
		d->addr = cpu_to_le64(bufs[k].addr);
		d->len = cpu_to_le32(bufs[k].len);
		d->flags = cpu_to_le16(flags);
		d->next = cpu_to_le16(vr->slot[i].next);
		last = i;
		i = vr->slot[i].next;
	}
	vr->free_head = i;
	vr->num_free -= n;

	vr->slot[head].token = token;
	vr->slot[head].in_len = in_len;
	vr->slot[head].last = last;
	vr->slot[head].ndesc = n;

	vr->avail->ring[vr->avail_idx & vr->mask] = cpu_to_le16(head);
	vr->avail_idx++;
	return 0;
}

/**
 * ppv_vring_add_indirect - put one chain on the ring through an indirect table
 * @vr: ring
 * @table: room for @out + @in descriptors, written here; the device reads
 *	it at @table_addr once the chain is published (ppv_vring_publish()'s
 *	barrier orders these writes too)
 * @table_addr: the address the device reads @table at
 * @bufs: @out device-readable buffers, then @in device-writable ones
 * @out: count of device-readable buffers
 * @in: count of device-writable buffers
 * @token: returned by ppv_vring_get_used() with this chain; not NULL
 *
 * The chain takes one ring descriptor, whatever its length (virtio 1.x
 * 2.7.5.3). Return: 0, or -ENOSPC when no descriptor is free, and (as
 * ppv_vring_add()) for an empty chain, one longer than the ring, a NULL
 * token or a broken ring.
 */
int ppv_vring_add_indirect(struct ppv_vring *vr, struct ppv_vring_desc *table,
			   u64 table_addr, const struct ppv_vring_buf *bufs,
			   unsigned int out, unsigned int in, void *token)
{
	unsigned int n = out + in, k;
	struct ppv_vring_desc *d;
	u32 in_len = 0;
	u16 head;

	/* the device takes at most a ring's worth of entries in a table */
	if (unlikely(!n || out > vr->num || in > vr->num || n > vr->num ||
		     !vr->num_free || !token || vr->broken))
		return -ENOSPC;

	for (k = 0; k < n; k++) {
		u16 flags = 0;

		if (k >= out) {
			flags |= VRING_DESC_F_WRITE;
			in_len += bufs[k].len;
		}
		if (k + 1 < n)
			flags |= VRING_DESC_F_NEXT;
		table[k].addr = cpu_to_le64(bufs[k].addr);
		table[k].len = cpu_to_le32(bufs[k].len);
		table[k].flags = cpu_to_le16(flags);
		table[k].next = cpu_to_le16(k + 1 < n ? k + 1 : 0);
	}

	head = vr->free_head;
	d = &vr->desc[head];
	d->addr = cpu_to_le64(table_addr);
	d->len = cpu_to_le32(n * sizeof(*table));
	d->flags = cpu_to_le16(VRING_DESC_F_INDIRECT);
	d->next = cpu_to_le16(vr->slot[head].next);
	vr->free_head = vr->slot[head].next;
	vr->num_free--;

	vr->slot[head].token = token;
	vr->slot[head].in_len = in_len;
	vr->slot[head].last = head;
	vr->slot[head].ndesc = 1;

	vr->avail->ring[vr->avail_idx & vr->mask] = cpu_to_le16(head);
	vr->avail_idx++;
	return 0;
}

/* Make every chain added so far visible to the device. */
void ppv_vring_publish(struct ppv_vring *vr)
{
	/* descriptors and avail entries before the avail index that covers them */
	dma_wmb();
	WRITE_ONCE(vr->avail->idx, cpu_to_le16(vr->avail_idx));
	vr->published = vr->avail_idx;
}

/* After ppv_vring_publish(): does the device want a notification? */
bool ppv_vring_kick_prepare(struct ppv_vring *vr)
{
	u16 old = vr->kicked_idx, new = vr->published;

	vr->kicked_idx = new;
	/*
	 * the published avail index before reading avail_event / used->flags;
	 * pairs with the device's barrier between writing avail_event and
	 * re-reading avail->idx
	 */
	mb();
	if (vr->event_idx)
		return vring_need_event(le16_to_cpu(READ_ONCE(*ppv_vring_avail_event(vr))),
					new, old);
	return !(le16_to_cpu(READ_ONCE(vr->used->flags)) & VRING_USED_F_NO_NOTIFY);
}

bool ppv_vring_has_used(const struct ppv_vring *vr)
{
	return !vr->broken &&
	       le16_to_cpu(READ_ONCE(vr->used->idx)) != vr->last_used;
}

/**
 * ppv_vring_get_used - take the next used entry
 * @vr: ring
 * @token: the chain's token, when one is returned
 * @len: bytes the device says it wrote
 *
 * Return: 1 with *@token and *@len set; 0 when nothing is used;
 * -EMSGSIZE with *@token set when the length exceeds what was posted (the
 * caller drops and recycles the buffer); -ERANGE (id out of range) or
 * -ENOENT (id not heading a chain in flight): the chain the device really
 * consumed is unknown and stays posted for ever, so the ring is marked
 * broken; -EIO when the used index ran past the published avail index
 * (more used than ever offered, or backwards), or on a ring already
 * broken. Nothing more is taken from a broken ring: the caller resets the
 * device and takes every chain back with ppv_vring_detach_unused().
 */
int ppv_vring_get_used(struct ppv_vring *vr, void **token, u32 *len)
{
	struct ppv_vring_used_elem *e;
	struct ppv_vring_slot *s;
	u16 used_idx;
	u32 id;

	if (unlikely(vr->broken))
		return -EIO;
	used_idx = le16_to_cpu(READ_ONCE(vr->used->idx));
	if (used_idx == vr->last_used)
		return 0;
	/* the device cannot have used more chains than it was given */
	if (unlikely((u16)(used_idx - vr->last_used) >
		     (u16)(vr->published - vr->last_used))) {
		vr->broken = true;
		return -EIO;
	}
	/* the used index before the used entries it covers */
	dma_rmb();

	e = &vr->used->ring[vr->last_used & vr->mask];
	id = le32_to_cpu(READ_ONCE(e->id));
	*len = le32_to_cpu(READ_ONCE(e->len));
	vr->last_used++;

	if (unlikely(id >= vr->num)) {
		vr->broken = true;
		return -ERANGE;
	}
	s = &vr->slot[id];
	if (unlikely(!s->token)) {
		vr->broken = true;
		return -ENOENT;
	}

	*token = s->token;
	ppv_vring_free_chain(vr, id);
	return *len > s->in_len ? -EMSGSIZE : 1;
}

/* Ask the device not to interrupt (a hint: it may still do so). */
void ppv_vring_disable_cb(struct ppv_vring *vr)
{
	/*
	 * With event index the device interrupts only when the used index
	 * passes used_event, which stays behind until ppv_vring_enable_cb().
	 */
	if (vr->event_idx || (vr->avail_flags & VRING_AVAIL_F_NO_INTERRUPT))
		return;
	vr->avail_flags |= VRING_AVAIL_F_NO_INTERRUPT;
	WRITE_ONCE(vr->avail->flags, cpu_to_le16(vr->avail_flags));
}

/*
 * Ask for an interrupt at the next used entry. Returns true when entries are
 * already waiting: the caller must poll again, or it would miss them.
 */
bool ppv_vring_enable_cb(struct ppv_vring *vr)
{
	if (vr->event_idx) {
		WRITE_ONCE(*ppv_vring_used_event(vr), cpu_to_le16(vr->last_used));
	} else if (vr->avail_flags & VRING_AVAIL_F_NO_INTERRUPT) {
		vr->avail_flags &= ~VRING_AVAIL_F_NO_INTERRUPT;
		WRITE_ONCE(vr->avail->flags, cpu_to_le16(vr->avail_flags));
	}
	/*
	 * used_event / avail->flags before re-reading the used index; pairs
	 * with the device's barrier between writing used->idx and reading
	 * used_event
	 */
	mb();
	return ppv_vring_has_used(vr);
}

/*
 * Like ppv_vring_enable_cb(), but with event index ask for the interrupt
 * only once three quarters of the chains in flight are used: for TX
 * completions, where one interrupt per packet is pure overhead. Returns true
 * when that many are already used.
 */
bool ppv_vring_enable_cb_delayed(struct ppv_vring *vr)
{
	u16 wait;

	if (!vr->event_idx)
		return ppv_vring_enable_cb(vr);
	wait = (u16)(vr->published - vr->last_used) * 3 / 4;
	WRITE_ONCE(*ppv_vring_used_event(vr), cpu_to_le16(vr->last_used + wait));
	/* used_event before re-reading the used index, as in enable_cb */
	mb();
	return !vr->broken &&
	       (u16)(le16_to_cpu(READ_ONCE(vr->used->idx)) - vr->last_used) > wait;
}

/*
 * After the device was reset: take back one chain still posted, or NULL
 * when none is left. Not for a live ring.
 */
void *ppv_vring_detach_unused(struct ppv_vring *vr)
{
	unsigned int i;

	for (i = 0; i < vr->num; i++) {
		struct ppv_vring_slot *s = &vr->slot[i];
		void *token = s->token;

		if (!token)
			continue;
		ppv_vring_free_chain(vr, i);
		return token;
	}
	return NULL;
}
