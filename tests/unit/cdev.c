// SPDX-License-Identifier: GPL-2.0
/*
 * The concurrent device of cdev.h, after QEMU's hw/virtio/virtio.c (split
 * ring). Index, flags and event fields go through READ_ONCE/WRITE_ONCE,
 * descriptors, avail entries, used entries and buffers through plain
 * accesses, as QEMU's address_space accessors do; the barriers are the
 * shim's, so a ThreadSanitizer build (SHIM_TSAN) sees them too.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/compiler.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>

#include "cdev.h"

static void cdev_error(struct cdev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cdev_error(struct cdev *d, const char *fmt, ...)
{
	va_list ap;

	if (d->errors++)
		return;
	va_start(ap, fmt);
	vsnprintf(d->first_error, sizeof(d->first_error), fmt, ap);
	va_end(ap);
}

void cdev_init(struct cdev *d, void *mem, unsigned int num, bool event_idx,
	       bool rx, bool vhost, bool indirect, u8 *arena, size_t arena_len)
{
	*d = (struct cdev){
		.desc = mem,
		.avail = (void *)((char *)mem + ppv_vring_avail_off(num)),
		.used = (void *)((char *)mem + ppv_vring_used_off(num)),
		.num = num,
		.event_idx = event_idx,
		.rx = rx,
		.vhost = vhost,
		.indirect = indirect,
		.arena = arena,
		.arena_len = arena_len,
		.busy = calloc(num, 1),
		.held = calloc(num, sizeof(*d->held)),
	};
	if (!d->busy || !d->held)
		abort();
}

void cdev_free(struct cdev *d)
{
	free(d->busy);
	free(d->held);
}

static __le16 *cdev_used_event_p(const struct cdev *d)
{
	return &d->avail->ring[d->num];
}

static __le16 *cdev_avail_event_p(const struct cdev *d)
{
	return (__le16 *)&d->used->ring[d->num];
}

/* vring_avail_idx() */
static u16 cdev_avail_idx(struct cdev *d)
{
	d->shadow_avail_idx = le16_to_cpu(READ_ONCE(d->avail->idx));
	return d->shadow_avail_idx;
}

u16 cdev_avail_idx_now(const struct cdev *d)
{
	return le16_to_cpu(READ_ONCE(d->avail->idx));
}

/* virtio_queue_empty_rcu() */
bool cdev_queue_empty(struct cdev *d)
{
	if (d->shadow_avail_idx != d->last_avail_idx)
		return false;
	return cdev_avail_idx(d) == d->last_avail_idx;
}

/* A buffer's address, checked against guest memory; NULL when outside. */
static u8 *cdev_map(struct cdev *d, u64 addr, u32 len)
{
	u8 *p = (u8 *)(uintptr_t)addr;

	if (p < d->arena || len > d->arena_len ||
	    (size_t)(p - d->arena) > d->arena_len - len)
		return NULL;
	return p;
}

/* Read (transmit) or check the room of (receive) one buffer of a chain. */
static void cdev_take_buf(struct cdev *d, struct cdev_elem *e, u16 i, u16 flags,
			  u8 *p, u32 len)
{
	const struct cdev_stamp *st = (const void *)p;
	unsigned int k = e->ndesc, b;

	if (len != CDEV_BUF_LEN) {
		cdev_error(d, "descriptor %u: len %u", i, len);
		return;
	}
	if (d->rx) {
		if (!(flags & VRING_DESC_F_WRITE))
			cdev_error(d, "descriptor %u: readable in a receive chain", i);
		e->in_len += len;
		return;
	}
	if (flags & VRING_DESC_F_WRITE) {
		cdev_error(d, "descriptor %u: writable in a transmit chain", i);
		return;
	}
	/* what the driver wrote before publishing: must be there */
	if (st->serial != e->serial || st->len != k) {
		cdev_error(d, "chain %llu buffer %u: stamp says chain %llu buffer %u",
			   (unsigned long long)e->serial, k,
			   (unsigned long long)st->serial, st->len);
		return;
	}
	for (b = sizeof(*st); b < len; b++) {
		if (p[b] != cdev_pattern(e->serial, k, b)) {
			cdev_error(d, "chain %llu buffer %u: byte %u is %#x",
				   (unsigned long long)e->serial, k, b, p[b]);
			return;
		}
	}
}

/* The table the head @hd refers to: false when the chain cannot be taken. */
static bool cdev_pop_indirect(struct cdev *d, struct cdev_elem *e,
			      const struct ppv_vring_desc *hd, u16 hflags)
{
	u64 addr = le64_to_cpu(hd->addr);
	u32 len = le32_to_cpu(hd->len);
	unsigned int n, j = 0, k;
	const u8 *t;

	if (!d->indirect) {
		cdev_error(d, "descriptor %u: INDIRECT not negotiated", e->head);
		return false;
	}
	if (hflags & VRING_DESC_F_NEXT) {
		cdev_error(d, "descriptor %u: INDIRECT with NEXT", e->head);
		return false;
	}
	if (!len || len % sizeof(struct ppv_vring_desc)) {
		cdev_error(d, "descriptor %u: indirect table len %u", e->head, len);
		return false;
	}
	n = len / sizeof(struct ppv_vring_desc);
	if (n > CDEV_MAX_DESC || n > d->num) {
		cdev_error(d, "descriptor %u: indirect table of %u", e->head, n);
		return false;
	}
	if (d->busy[e->head]) {
		cdev_error(d, "descriptor %u in two chains", e->head);
		return false;
	}
	t = cdev_map(d, addr, len);
	if (!t) {
		cdev_error(d, "descriptor %u: table at %#llx outside memory",
			   e->head, (unsigned long long)addr);
		return false;
	}
	for (k = 0;; k++) {
		struct ppv_vring_desc ent;
		u16 flags;
		u8 *p;

		if (k == n) {
			cdev_error(d, "descriptor %u: indirect table loops", e->head);
			return false;
		}
		/* a plain read: published by the avail index like the ring */
		memcpy(&ent, t + j * sizeof(ent), sizeof(ent));
		flags = le16_to_cpu(ent.flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			cdev_error(d, "descriptor %u: INDIRECT in its table", e->head);
			return false;
		}
		p = cdev_map(d, le64_to_cpu(ent.addr), le32_to_cpu(ent.len));
		if (!p) {
			cdev_error(d, "descriptor %u entry %u: address %#llx outside memory",
				   e->head, j,
				   (unsigned long long)le64_to_cpu(ent.addr));
			return false;
		}
		cdev_take_buf(d, e, e->head, flags, p, le32_to_cpu(ent.len));
		e->buf[e->ndesc++] = p;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		j = le16_to_cpu(ent.next);
		if (j >= n) {
			cdev_error(d, "descriptor %u: indirect next %u of %u",
				   e->head, j, n);
			return false;
		}
	}
	d->busy[e->head] = 1;
	e->nring = 1;
	return true;
}

/* virtqueue_pop() */
bool cdev_pop(struct cdev *d)
{
	struct cdev_elem *e;
	u16 head, i, flags, n;

	if (cdev_queue_empty(d))
		return false;
	/* the avail index before the avail entry and descriptors it covers */
	smp_rmb();
	n = d->shadow_avail_idx - d->last_avail_idx;
	if (n > d->num) {
		cdev_error(d, "avail idx moved from %u to %u", d->last_avail_idx,
			   d->shadow_avail_idx);
		return false;
	}
	if (d->inuse >= d->num) {
		cdev_error(d, "virtqueue size exceeded");
		return false;
	}
	head = le16_to_cpu(d->avail->ring[d->last_avail_idx & (d->num - 1)]);
	d->last_avail_idx++;
	if (d->event_idx && !d->vhost)
		WRITE_ONCE(*cdev_avail_event_p(d), cpu_to_le16(d->last_avail_idx));
	if (head >= d->num) {
		cdev_error(d, "avail entry %u out of range", head);
		return false;
	}

	e = &d->held[d->nheld];
	*e = (struct cdev_elem){ .head = head, .serial = d->serial++ };
	flags = le16_to_cpu(d->desc[head].flags);
	if (flags & VRING_DESC_F_INDIRECT) {
		if (!cdev_pop_indirect(d, e, &d->desc[head], flags))
			return false;
		goto popped;
	}
	i = head;
	do {
		struct ppv_vring_desc *desc = &d->desc[i];
		u32 len = le32_to_cpu(desc->len);
		u8 *p;

		flags = le16_to_cpu(desc->flags);
		if (e->ndesc == CDEV_MAX_DESC) {
			cdev_error(d, "chain at %u longer than %u", head,
				   CDEV_MAX_DESC);
			return false;
		}
		if (d->busy[i]) {
			cdev_error(d, "descriptor %u in two chains", i);
			return false;
		}
		if (flags & VRING_DESC_F_INDIRECT) {
			cdev_error(d, "descriptor %u: INDIRECT past the head", i);
			return false;
		}
		p = cdev_map(d, le64_to_cpu(desc->addr), len);
		if (!p) {
			cdev_error(d, "descriptor %u: address %#llx outside memory",
				   i, (unsigned long long)le64_to_cpu(desc->addr));
			return false;
		}
		cdev_take_buf(d, e, i, flags, p, len);
		d->busy[i] = 1;
		e->nring++;
		e->buf[e->ndesc++] = p;
		i = le16_to_cpu(desc->next);
		if ((flags & VRING_DESC_F_NEXT) && i >= d->num) {
			cdev_error(d, "descriptor next %u out of range", i);
			return false;
		}
	} while (flags & VRING_DESC_F_NEXT);
popped:
	/* a transmit chain says how long it is */
	if (!d->rx &&
	    ((const struct cdev_stamp *)e->buf[0])->ndesc != e->ndesc)
		cdev_error(d, "chain %llu: %u buffers, its stamp says %u",
			   (unsigned long long)e->serial, e->ndesc,
			   ((const struct cdev_stamp *)e->buf[0])->ndesc);
	d->nheld++;
	d->inuse++;
	return true;
}

/* Receive: write @len bytes, a stamp and then the pattern. */
static void cdev_write(struct cdev_elem *e, u32 len)
{
	struct cdev_stamp st = { .serial = e->serial, .len = len };
	u32 off;

	memcpy(e->buf[0], &st, sizeof(st));
	for (off = sizeof(st); off < len; off++) {
		unsigned int k = off / CDEV_BUF_LEN, b = off % CDEV_BUF_LEN;

		e->buf[k][b] = cdev_pattern(e->serial, k, b);
	}
}

/* virtqueue_fill(), at the next place after those filled since the flush */
void cdev_fill(struct cdev *d, unsigned int i, u32 len)
{
	struct cdev_elem e = d->held[i];
	struct ppv_vring_used_elem *u;
	unsigned int n;
	u16 k = e.head;

	if (d->rx)
		cdev_write(&e, len);
	for (n = 0; n < e.nring; n++) {
		d->busy[k] = 0;
		k = le16_to_cpu(d->desc[k].next);
	}
	d->held[i] = d->held[--d->nheld];
	/* in place, ahead of used->idx: the filled-th entry since the flush */
	u = &d->used->ring[(u16)(d->used_idx + d->filled++) & (d->num - 1)];
	u->id = cpu_to_le32(e.head);
	u->len = cpu_to_le32(len);
}

/* virtqueue_flush() of every entry filled since the last one */
void cdev_flush(struct cdev *d)
{
	u16 old = d->used_idx, new = old + d->filled;

	/* the used entries before the used index that covers them */
	smp_wmb();
	WRITE_ONCE(d->used->idx, cpu_to_le16(new));
	d->used_idx = new;
	d->inuse -= d->filled;
	d->filled = 0;
	if ((s16)(new - d->signalled_used) < (u16)(new - old))
		d->signalled_used_valid = false;
}

/* virtio_should_notify(), split ring, no VIRTIO_F_NOTIFY_ON_EMPTY */
bool cdev_should_notify(struct cdev *d)
{
	bool v, ret;
	u16 old, new;

	/* the used index before reading used_event / avail->flags */
	smp_mb();
	if (!d->event_idx) {
		ret = !(le16_to_cpu(READ_ONCE(d->avail->flags)) &
			VRING_AVAIL_F_NO_INTERRUPT);
	} else {
		v = d->signalled_used_valid;
		d->signalled_used_valid = true;
		old = d->signalled_used;
		new = d->signalled_used = d->used_idx;
		ret = !v || vring_need_event(le16_to_cpu(READ_ONCE(*cdev_used_event_p(d))),
					     new, old);
	}
	if (ret)
		d->notifies++;
	else
		d->quiet++;
	return ret;
}

/*
 * virtio_queue_split_set_notification(); vhost_enable_notify() and
 * vhost_disable_notify() with @vhost
 */
void cdev_set_notification(struct cdev *d, bool enable)
{
	if (d->event_idx && d->vhost) {
		/* the last avail index it saw; nothing when disabling */
		if (enable)
			WRITE_ONCE(*cdev_avail_event_p(d),
				   cpu_to_le16(d->shadow_avail_idx));
	} else if (d->event_idx) {
		WRITE_ONCE(*cdev_avail_event_p(d), cpu_to_le16(cdev_avail_idx(d)));
	} else {
		u16 f = le16_to_cpu(READ_ONCE(d->used->flags));

		if (enable)
			f &= ~VRING_USED_F_NO_NOTIFY;
		else
			f |= VRING_USED_F_NO_NOTIFY;
		WRITE_ONCE(d->used->flags, cpu_to_le16(f));
	}
	/* avail_event / used->flags before the caller re-reads avail->idx */
	if (enable)
		smp_mb();
}
