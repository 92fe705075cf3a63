// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/compiler.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>

#include "devmodel.h"

static void dm_error(struct devmodel *dm, const char *what, unsigned int v)
{
	if (dm->errors++ < 5 && !dm->quiet)
		printf("# devmodel: driver error: %s (%u)\n", what, v);
}

void dm_init(struct devmodel *dm, void *mem, unsigned int num, bool event_idx)
{
	*dm = (struct devmodel){
		.desc = mem,
		.avail = (void *)((char *)mem + ppv_vring_avail_off(num)),
		.used = (void *)((char *)mem + ppv_vring_used_off(num)),
		.num = num,
		.event_idx = event_idx,
		.busy = calloc(num, 1),
		.held = calloc(num, sizeof(*dm->held)),
	};
	if (!dm->busy || !dm->held)
		abort();
}

void dm_free(struct devmodel *dm)
{
	free(dm->busy);
	free(dm->held);
}

static __le16 *dm_used_event_p(const struct devmodel *dm)
{
	return &dm->avail->ring[dm->num];
}

static __le16 *dm_avail_event_p(const struct devmodel *dm)
{
	return (__le16 *)&dm->used->ring[dm->num];
}

void dm_set_indirect(struct devmodel *dm, const void *mem, size_t len)
{
	dm->indirect = true;
	dm->mem = mem;
	dm->mem_len = len;
}

/* One buffer of a chain, from the ring or from a table. */
static void dm_buf(struct devmodel *dm, struct dm_chain *c, bool *writable,
		   u16 flags, u32 len, unsigned int i)
{
	c->nbufs++;
	if (flags & VRING_DESC_F_WRITE) {
		*writable = true;
		c->in_len += len;
	} else {
		if (*writable)
			dm_error(dm, "readable after writable", i);
		c->out_len += len;
	}
}

/*
 * The table a head descriptor refers to (virtqueue_split_pop() with
 * VRING_DESC_F_INDIRECT): false when it cannot be walked at all.
 */
static bool dm_table(struct devmodel *dm, struct dm_chain *c, bool *writable,
		     const struct ppv_vring_desc *d, u16 flags)
{
	u64 addr = le64_to_cpu(d->addr);
	u32 len = le32_to_cpu(d->len);
	unsigned int n, j = 0, k, h;
	const u8 *t;

	if (!dm->indirect) {
		dm_error(dm, "INDIRECT not negotiated", c->head);
		return false;
	}
	if (flags & VRING_DESC_F_NEXT)
		dm_error(dm, "INDIRECT with NEXT", c->head);
	if (!len || len % sizeof(struct ppv_vring_desc)) {
		dm_error(dm, "indirect table len not a multiple of 16", len);
		return false;
	}
	n = len / sizeof(struct ppv_vring_desc);
	if (n > dm->num) {
		dm_error(dm, "indirect table longer than the ring", n);
		return false;
	}
	t = (const u8 *)(uintptr_t)addr;
	if (t < dm->mem || len > dm->mem_len ||
	    (size_t)(t - dm->mem) > dm->mem_len - len) {
		dm_error(dm, "indirect table outside memory", c->head);
		return false;
	}
	/* a table is the driver's until used: not in two chains at once */
	for (h = 0; h < dm->nheld; h++) {
		const struct dm_chain *o = &dm->held[h];

		if (o->indirect && addr < o->table_addr + o->table_n * 16ull &&
		    o->table_addr < addr + len)
			dm_error(dm, "indirect table in two chains", c->head);
	}
	c->indirect = true;
	c->table_addr = addr;
	c->table_n = n;
	for (k = 0;; k++) {
		struct ppv_vring_desc e;
		u16 f;

		if (k == n) {
			dm_error(dm, "indirect table loops", c->head);
			break;
		}
		/* guest memory: no alignment to rely on */
		memcpy(&e, t + j * sizeof(e), sizeof(e));
		f = le16_to_cpu(e.flags);
		if (f & VRING_DESC_F_INDIRECT)
			dm_error(dm, "INDIRECT in an indirect table", j);
		dm_buf(dm, c, writable, f, le32_to_cpu(e.len), j);
		if (!(f & VRING_DESC_F_NEXT))
			break;
		j = le16_to_cpu(e.next);
		if (j >= n) {
			dm_error(dm, "indirect next past the table", j);
			break;
		}
	}
	return true;
}

int dm_pop(struct devmodel *dm)
{
	u16 avail_idx = le16_to_cpu(READ_ONCE(dm->avail->idx));
	struct dm_chain c = { 0 };
	bool writable = false;
	unsigned int i;
	u16 flags;

	if (avail_idx == dm->last_avail)
		return 0;
	if (dm->nheld == dm->num) {
		/* each chain holds a descriptor: the driver reused one */
		dm_error(dm, "more chains than descriptors", avail_idx);
		return 0;
	}
	if ((u16)(avail_idx - dm->last_avail) > dm->num)
		dm_error(dm, "avail index ran ahead", avail_idx);
	/* the avail index before the entries it covers */
	dma_rmb();
	i = le16_to_cpu(dm->avail->ring[dm->last_avail & (dm->num - 1)]);
	dm->last_avail++;
	c.head = i;
	if (i >= dm->num) {
		dm_error(dm, "avail entry out of range", i);
		return 1;
	}
	do {
		struct ppv_vring_desc *d = &dm->desc[i];

		if (c.ndesc == dm->num) {
			dm_error(dm, "chain longer than the ring", c.head);
			break;
		}
		if (dm->busy[i])
			dm_error(dm, "descriptor in two chains", i);
		dm->busy[i] = 1;
		c.ndesc++;
		flags = le16_to_cpu(d->flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			/* QEMU looks for a table at the head only */
			if (c.ndesc > 1)
				dm_error(dm, "INDIRECT past the head", i);
			else
				dm_table(dm, &c, &writable, d, flags);
			break;
		}
		dm_buf(dm, &c, &writable, flags, le32_to_cpu(d->len), i);
		i = le16_to_cpu(d->next);
		if ((flags & VRING_DESC_F_NEXT) && i >= dm->num) {
			dm_error(dm, "next out of range", i);
			break;
		}
	} while (flags & VRING_DESC_F_NEXT);
	dm->held[dm->nheld++] = c;
	return 1;
}

unsigned int dm_pop_all(struct devmodel *dm)
{
	unsigned int n = 0;

	while (dm_pop(dm))
		n++;
	return n;
}

void dm_push_raw(struct devmodel *dm, u32 id, u32 len)
{
	struct ppv_vring_used_elem *e;

	e = &dm->used->ring[dm->used_idx & (dm->num - 1)];
	WRITE_ONCE(e->id, cpu_to_le32(id));
	WRITE_ONCE(e->len, cpu_to_le32(len));
	dm->used_idx++;
}

void dm_complete(struct devmodel *dm, unsigned int i, u32 len)
{
	struct dm_chain c = dm->held[i];
	unsigned int n;
	u16 d = c.head;

	/* the chain is the device's until used: its links are still there */
	for (n = 0; n < c.ndesc && d < dm->num; n++) {
		dm->busy[d] = 0;
		d = le16_to_cpu(dm->desc[d].next);
	}
	dm->held[i] = dm->held[--dm->nheld];
	dm_push_raw(dm, c.head, len);
}

bool dm_flush(struct devmodel *dm)
{
	u16 old = dm->signalled, new = dm->used_idx;
	bool irq;

	/* the used entries before the used index that covers them */
	dma_wmb();
	WRITE_ONCE(dm->used->idx, cpu_to_le16(new));
	/* the used index before reading the driver's suppression (2.7.10) */
	mb();
	dm->signalled = new;
	if (dm->event_idx)
		irq = vring_need_event(le16_to_cpu(READ_ONCE(*dm_used_event_p(dm))),
				       new, old);
	else
		irq = !(dm_avail_flags(dm) & VRING_AVAIL_F_NO_INTERRUPT);
	dm->irqs += irq;
	return irq;
}

void dm_set_used_idx(struct devmodel *dm, u16 idx)
{
	dm->used_idx = idx;
	dm->signalled = idx;
	WRITE_ONCE(dm->used->idx, cpu_to_le16(idx));
}

void dm_set_avail_event(struct devmodel *dm, u16 idx)
{
	WRITE_ONCE(*dm_avail_event_p(dm), cpu_to_le16(idx));
}

void dm_set_no_notify(struct devmodel *dm, bool on)
{
	WRITE_ONCE(dm->used->flags, cpu_to_le16(on ? VRING_USED_F_NO_NOTIFY : 0));
}

u16 dm_used_event(const struct devmodel *dm)
{
	return le16_to_cpu(READ_ONCE(*dm_used_event_p(dm)));
}

u16 dm_avail_flags(const struct devmodel *dm)
{
	return le16_to_cpu(READ_ONCE(dm->avail->flags));
}
