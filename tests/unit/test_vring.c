// SPDX-License-Identifier: GPL-2.0
/*
 * ppv_vring.c against the software device of devmodel.c: index wrap-around,
 * kick and interrupt suppression, free-list integrity, a lying device,
 * argument checks, and chains through indirect tables mixed with direct
 * ones.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <asm/byteorder.h>
#include <linux/errno.h>

#include "ppv_vring.h"
#include "devmodel.h"
#include "tap.h"
#include "unit.h"

#define MAX_CHAIN	5
#define IND_MAX		16	/* entries of each indirect table */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct ring {
	struct ppv_vring vr;
	struct devmodel dm;
	void *mem;
	struct ppv_vring_slot *slot;
	unsigned int num;
	/* num indirect tables of IND_MAX entries, the device's to read */
	struct ppv_vring_desc *tables;
};

static u64 rnd_state;

static void rnd_seed(u64 seed)
{
	rnd_state = seed * 0x9e3779b97f4a7c15ull + 1;
}

/* xorshift64*: reproducible across runs and compilers */
static unsigned int rnd(unsigned int n)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (unsigned int)((rnd_state * 0x2545f4914f6cdd1dull) >> 32) % n;
}

static void *tok(unsigned long serial)
{
	return (void *)(uintptr_t)(serial + 1);	/* never NULL */
}

static void ring_setup(struct ring *r, unsigned int num, bool event_idx)
{
	size_t bytes = (ppv_vring_bytes(num) + 63) & ~(size_t)63;

	r->num = num;
	r->mem = aligned_alloc(64, bytes);
	r->slot = calloc(num, sizeof(*r->slot));
	if (!r->mem || !r->slot)
		abort();
	memset(r->mem, 0, bytes);
	if (ppv_vring_init(&r->vr, num, r->mem, r->slot, event_idx))
		abort();
	dm_init(&r->dm, r->mem, num, event_idx);
	r->tables = calloc((size_t)num * IND_MAX, sizeof(*r->tables));
	if (!r->tables)
		abort();
	dm_set_indirect(&r->dm, r->tables,
			(size_t)num * IND_MAX * sizeof(*r->tables));
}

static void ring_free(struct ring *r)
{
	dm_free(&r->dm);
	free(r->mem);
	free(r->slot);
	free(r->tables);
}

static struct ppv_vring_desc *table_of(struct ring *r, unsigned int t)
{
	return r->tables + (size_t)t * IND_MAX;
}

/* Head index of the chain the last ppv_vring_add() put on the avail ring. */
static u16 last_head(struct ring *r)
{
	return le16_to_cpu(r->vr.avail->ring[(u16)(r->vr.avail_idx - 1) &
					     (r->num - 1)]);
}

/* Add one chain of @out readable and @in writable buffers of @len each. */
static int add_chain(struct ring *r, unsigned int out, unsigned int in,
		     u32 len, void *token)
{
	struct ppv_vring_buf bufs[MAX_CHAIN + 1];
	unsigned int k;

	for (k = 0; k < out + in && k <= MAX_CHAIN; k++)
		bufs[k] = (struct ppv_vring_buf){ .addr = 0x1000 * (k + 1),
						  .len = len };
	return ppv_vring_add(&r->vr, bufs, out, in, token);
}

/*
 * The same through indirect table @t (of r->tables): buffer k at
 * 0x1000 * (k + 1), @len bytes; at most IND_MAX buffers.
 */
static int add_ind(struct ring *r, unsigned int t, unsigned int out,
		   unsigned int in, u32 len, void *token)
{
	struct ppv_vring_buf bufs[IND_MAX];
	struct ppv_vring_desc *table = table_of(r, t);
	unsigned int k;

	for (k = 0; k < out + in && k < IND_MAX; k++)
		bufs[k] = (struct ppv_vring_buf){ .addr = 0x1000 * (k + 1),
						  .len = len };
	return ppv_vring_add_indirect(&r->vr, table, (uintptr_t)table, bufs,
				      out, in, token);
}

/*
 * Is desc[@h] the head of an indirect chain of @n buffers through table
 * @t, the table still holding what add_ind() wrote for @out readable ones
 * of @len bytes?
 */
static bool is_ind_chain(struct ring *r, u16 h, unsigned int t,
			 unsigned int n, unsigned int out, u32 len)
{
	const struct ppv_vring_desc *d = &r->vr.desc[h], *e = table_of(r, t);
	unsigned int k;

	if (!CHECK(le16_to_cpu(d->flags) == VRING_DESC_F_INDIRECT) ||
	    !CHECK(le32_to_cpu(d->len) == n * sizeof(*d)) ||
	    !CHECK(le64_to_cpu(d->addr) == (uintptr_t)e))
		return false;
	for (k = 0; k < n; k++) {
		u16 flags = (k + 1 < n ? VRING_DESC_F_NEXT : 0) |
			    (k >= out ? VRING_DESC_F_WRITE : 0);

		if (!CHECK(le64_to_cpu(e[k].addr) == 0x1000 * (k + 1)) ||
		    !CHECK(le32_to_cpu(e[k].len) == len) ||
		    !CHECK(le16_to_cpu(e[k].flags) == flags) ||
		    !CHECK(!(flags & VRING_DESC_F_NEXT) ||
			   le16_to_cpu(e[k].next) == k + 1))
			return false;
	}
	return true;
}

/* Device takes and returns every chain in order, writing @len. */
static void device_echo(struct ring *r, u32 len)
{
	dm_pop_all(&r->dm);
	while (r->dm.nheld)
		dm_complete(&r->dm, 0, len);
	dm_flush(&r->dm);
}

/* Driver takes everything used; returns how many, or -1 on a bad entry. */
static int drain(struct ring *r)
{
	void *t;
	u32 len;
	int n = 0, ret;

	while ((ret = ppv_vring_get_used(&r->vr, &t, &len)) == 1)
		n++;
	return ret ? -1 : n;
}

/*
 * 1. Many add/publish/complete rounds, so the free-running avail, used and
 * last_used indices wrap past 2^16 several times. The device returns chains
 * in a random order; the driver must see exactly that order and the lengths
 * the device wrote. With @indirect, half the chains go through an indirect
 * table (1..min(IND_MAX, num) buffers, one ring descriptor), mixed with the
 * direct ones on the same ring.
 */
static void test_wrap(unsigned int num, unsigned int rounds, bool event_idx,
		      bool indirect)
{
	struct ring r;
	void **tok_of = calloc(num, sizeof(void *));	/* by head index */
	u32 *out_of = calloc(num, sizeof(u32)), *in_of = calloc(num, sizeof(u32));
	u16 *nbufs_of = calloc(num, sizeof(u16));
	u8 *ind_of = calloc(num, 1);
	void **want_tok = calloc(num, sizeof(void *));
	u32 *want_len = calloc(num, sizeof(u32));
	unsigned long serial = 0, n_ind = 0;
	unsigned int round, max_direct = num < 3 ? num : 3;
	unsigned int max_ind = num < IND_MAX ? num : IND_MAX;

	if (!tok_of || !out_of || !in_of || !nbufs_of || !ind_of || !want_tok ||
	    !want_len)
		abort();
	rnd_seed(num + 1000 * indirect);
	ring_setup(&r, num, event_idx);
	for (round = 0; round < rounds; round++) {
		unsigned int want = 1 + rnd(num), added = 0, used = 0, k;

		/* chains of 1..3 buffers, readable and writable mixed */
		while (added < want) {
			bool ind = indirect && rnd(2);
			unsigned int n = 1 + rnd(ind ? max_ind : max_direct);
			unsigned int out = rnd(n + 1);
			u32 len = 100 + rnd(1000);
			int ret;
			u16 h;

			if ((ind ? 1 : n) > r.vr.num_free)
				break;
			/* a round holds at most num chains: table = added */
			if (ind)
				ret = add_ind(&r, added, out, n - out, len,
					      tok(serial));
			else
				ret = add_chain(&r, out, n - out, len,
						tok(serial));
			if (!CHECK(ret == 0))
				goto out;
			h = last_head(&r);
			if (ind && !is_ind_chain(&r, h, added, n, out, len))
				goto out;
			tok_of[h] = tok(serial++);
			out_of[h] = out * len;
			in_of[h] = (n - out) * len;
			nbufs_of[h] = n;
			ind_of[h] = ind;
			n_ind += ind;
			added++;
		}
		ppv_vring_publish(&r.vr);
		/* the device asked to hear of anything past what it took */
		if (event_idx && !CHECK(ppv_vring_kick_prepare(&r.vr)))
			goto out;

		if (!CHECK(dm_pop_all(&r.dm) == added))
			goto out;
		/* as QEMU does: notify me of anything past what I took */
		dm_set_avail_event(&r.dm, r.dm.last_avail);
		while (r.dm.nheld) {
			unsigned int i = rnd(r.dm.nheld);
			struct dm_chain *c = &r.dm.held[i];
			u32 len = rnd(c->in_len + 1);

			/* the device sees what was posted, readable or not */
			if (!CHECK(c->out_len == out_of[c->head]) ||
			    !CHECK(c->in_len == in_of[c->head]) ||
			    !CHECK(c->nbufs == nbufs_of[c->head]) ||
			    !CHECK(c->indirect == ind_of[c->head]) ||
			    !CHECK(c->ndesc == (c->indirect ? 1 : c->nbufs)) ||
			    !CHECK(!c->indirect || c->table_n == c->nbufs))
				goto out;

			want_tok[used] = tok_of[r.dm.held[i].head];
			want_len[used++] = len;
			dm_complete(&r.dm, i, len);
		}
		dm_flush(&r.dm);

		for (k = 0; k < used; k++) {
			void *t = NULL;
			u32 len = ~0u;

			if (!CHECK(ppv_vring_get_used(&r.vr, &t, &len) == 1) ||
			    !CHECK(t == want_tok[k]) || !CHECK(len == want_len[k]))
				goto out;
		}
		if (!CHECK(drain(&r) == 0) || !CHECK(r.vr.num_free == num) ||
		    !CHECK(r.dm.errors == 0))
			goto out;
	}
	/* the indices really went round: more chains than 2^16 */
	CHECK(serial > 65536);
	CHECK(r.vr.last_used == (u16)serial);
	CHECK(r.vr.avail_idx == (u16)serial);
	/* and both kinds of chain went round them */
	if (indirect)
		CHECK(n_ind > serial / 3 && serial - n_ind > serial / 3);
out:
	if (indirect)
		tap_result("wrap-around: ring of %u%s, %u rounds, %lu chains (%lu indirect, 1..%u buffers), device order kept",
			   num, event_idx ? " (event idx)" : "", rounds, serial,
			   n_ind, max_ind);
	else
		tap_result("wrap-around: ring of %u%s, %u rounds, %lu chains, device order kept",
			   num, event_idx ? " (event idx)" : "", rounds, serial);
	ring_free(&r);
	free(tok_of);
	free(out_of);
	free(in_of);
	free(nbufs_of);
	free(ind_of);
	free(want_tok);
	free(want_len);
}

/*
 * 2. Kick decisions. With event index the driver must kick exactly when the
 * device's avail_event lies in [old, new), the entries published since the
 * last decision; computed here as an offset from old, independently of
 * vring_need_event().
 */
static void test_kick_event_idx(void)
{
	unsigned int it, kicks = 0, quiet = 0;
	unsigned long total = 0;
	u16 old = 0, pub = 0;
	struct ring r;

	rnd_seed(2);
	ring_setup(&r, 256, true);
	for (it = 0; it < 40000; it++) {
		unsigned int b = rnd(9), k;
		u16 ev, span;
		bool want;

		for (k = 0; k < b; k++)
			add_chain(&r, 1, 0, 64, tok(k));
		ppv_vring_publish(&r.vr);
		pub += b;
		total += b;
		span = pub - old;
		switch (rnd(4)) {
		case 0:		/* in the window, when there is one */
			ev = old + (span ? rnd(span) : 0);
			break;
		case 1:		/* behind it */
			ev = old - 1 - rnd(1000);
			break;
		case 2:		/* ahead of it */
			ev = pub + rnd(1000);
			break;
		default:
			ev = rnd(65536);
		}
		dm_set_avail_event(&r.dm, ev);
		want = (u16)(ev - old) < span;
		if (!CHECK(ppv_vring_kick_prepare(&r.vr) == want)) {
			tap_diag("old %u new %u avail_event %u", old, pub, ev);
			break;
		}
		kicks += want;
		quiet += !want;
		old = pub;
		device_echo(&r, 0);
		if (!CHECK(drain(&r) == (int)b))
			break;
	}
	/* both answers were exercised, and the index wrapped */
	CHECK(kicks > 1000 && quiet > 1000);
	CHECK(total > 65536);
	tap_result("kick with event idx = avail_event in published window (%u kicks, %u not, %lu chains)",
		   kicks, quiet, total);
	ring_free(&r);
}

static void test_kick_edges(void)
{
	struct ring r;

	ring_setup(&r, 16, true);
	/* the device took nothing yet and asks to hear of entry 0 */
	dm_set_avail_event(&r.dm, 0);
	add_chain(&r, 1, 0, 64, tok(0));
	add_chain(&r, 1, 0, 64, tok(1));
	ppv_vring_publish(&r.vr);
	CHECK(ppv_vring_kick_prepare(&r.vr));		/* window [0, 2) */
	/* it has not run since: a third entry needs no second kick */
	add_chain(&r, 1, 0, 64, tok(2));
	ppv_vring_publish(&r.vr);
	CHECK(!ppv_vring_kick_prepare(&r.vr));		/* window [2, 3) */
	/* nothing new: never a kick, wherever avail_event is */
	dm_set_avail_event(&r.dm, 3);
	CHECK(!ppv_vring_kick_prepare(&r.vr));
	/* window [3, 5): 5 is one past it, 2 one before it */
	add_chain(&r, 1, 0, 64, tok(3));
	add_chain(&r, 1, 0, 64, tok(4));
	ppv_vring_publish(&r.vr);
	dm_set_avail_event(&r.dm, 5);
	CHECK(!ppv_vring_kick_prepare(&r.vr));
	add_chain(&r, 1, 0, 64, tok(5));
	ppv_vring_publish(&r.vr);
	dm_set_avail_event(&r.dm, 4);			/* window [5, 6) */
	CHECK(!ppv_vring_kick_prepare(&r.vr));
	add_chain(&r, 1, 0, 64, tok(6));
	ppv_vring_publish(&r.vr);
	dm_set_avail_event(&r.dm, 6);			/* window [6, 7) */
	CHECK(ppv_vring_kick_prepare(&r.vr));
	/* event index ignores NO_NOTIFY (the device must not set it anyway) */
	dm_set_no_notify(&r.dm, true);
	add_chain(&r, 1, 0, 64, tok(7));
	ppv_vring_publish(&r.vr);
	dm_set_avail_event(&r.dm, 7);
	CHECK(ppv_vring_kick_prepare(&r.vr));
	tap_result("kick with event idx: edges of the window, none without new entries");
	ring_free(&r);

	ring_setup(&r, 16, false);
	add_chain(&r, 1, 0, 64, tok(0));
	ppv_vring_publish(&r.vr);
	CHECK(ppv_vring_kick_prepare(&r.vr));
	dm_set_no_notify(&r.dm, true);
	add_chain(&r, 1, 0, 64, tok(1));
	ppv_vring_publish(&r.vr);
	CHECK(!ppv_vring_kick_prepare(&r.vr));
	/* avail_event means nothing without event index */
	dm_set_avail_event(&r.dm, 1);
	CHECK(!ppv_vring_kick_prepare(&r.vr));
	dm_set_no_notify(&r.dm, false);
	add_chain(&r, 1, 0, 64, tok(2));
	ppv_vring_publish(&r.vr);
	CHECK(ppv_vring_kick_prepare(&r.vr));
	tap_result("kick without event idx: VRING_USED_F_NO_NOTIFY suppresses it");
	ring_free(&r);
}

/* 3. Interrupt suppression, as the device sees it. */
static void test_irq_flags(void)
{
	struct ring r;

	ring_setup(&r, 8, false);
	add_chain(&r, 0, 1, 64, tok(0));
	ppv_vring_publish(&r.vr);
	dm_pop_all(&r.dm);
	dm_complete(&r.dm, 0, 10);
	CHECK(dm_flush(&r.dm));				/* enabled by default */
	CHECK(drain(&r) == 1);

	ppv_vring_disable_cb(&r.vr);
	CHECK(dm_avail_flags(&r.dm) == VRING_AVAIL_F_NO_INTERRUPT);
	add_chain(&r, 0, 1, 64, tok(1));
	ppv_vring_publish(&r.vr);
	device_echo(&r, 10);
	CHECK(r.dm.irqs == 1);				/* suppressed */
	CHECK(ppv_vring_has_used(&r.vr));
	/* an entry is waiting: the caller must poll again */
	CHECK(ppv_vring_enable_cb(&r.vr));
	CHECK(dm_avail_flags(&r.dm) == 0);
	CHECK(drain(&r) == 1);
	CHECK(!ppv_vring_enable_cb(&r.vr));
	add_chain(&r, 0, 1, 64, tok(2));
	ppv_vring_publish(&r.vr);
	device_echo(&r, 10);
	CHECK(r.dm.irqs == 2);
	CHECK(drain(&r) == 1);
	CHECK(r.dm.errors == 0);
	tap_result("interrupts without event idx: VRING_AVAIL_F_NO_INTERRUPT, enable_cb sees pending");
	ring_free(&r);
}

static void test_irq_event_idx(void)
{
	struct ring r;
	int i;

	ring_setup(&r, 8, true);
	for (i = 0; i < 3; i++)
		add_chain(&r, 0, 1, 64, tok(i));
	ppv_vring_publish(&r.vr);
	device_echo(&r, 10);
	CHECK(drain(&r) == 3);

	/* with event index the driver must leave avail->flags 0 (2.7.7.2) */
	ppv_vring_disable_cb(&r.vr);
	CHECK(dm_avail_flags(&r.dm) == 0);
	CHECK(!ppv_vring_enable_cb(&r.vr));
	CHECK(dm_used_event(&r.dm) == 3);		/* = last_used */
	CHECK(dm_avail_flags(&r.dm) == 0);
	r.dm.irqs = 0;

	/* the next used entry interrupts, the one after it does not */
	add_chain(&r, 0, 1, 64, tok(3));
	add_chain(&r, 0, 1, 64, tok(4));
	ppv_vring_publish(&r.vr);
	dm_pop_all(&r.dm);
	dm_complete(&r.dm, 0, 10);
	CHECK(dm_flush(&r.dm));
	dm_complete(&r.dm, 0, 10);
	CHECK(!dm_flush(&r.dm));
	CHECK(drain(&r) == 2);

	/* disabled: used_event stays behind, the device stays quiet */
	ppv_vring_disable_cb(&r.vr);
	CHECK(dm_used_event(&r.dm) == 3);
	add_chain(&r, 0, 1, 64, tok(5));
	ppv_vring_publish(&r.vr);
	device_echo(&r, 10);
	CHECK(r.dm.irqs == 1);
	/* re-enabled with an entry waiting: poll again */
	CHECK(ppv_vring_enable_cb(&r.vr));
	CHECK(dm_used_event(&r.dm) == 5);
	CHECK(drain(&r) == 1);
	CHECK(!ppv_vring_enable_cb(&r.vr));
	CHECK(dm_used_event(&r.dm) == 6);
	/* two entries in one flush: one interrupt */
	add_chain(&r, 0, 1, 64, tok(6));
	add_chain(&r, 0, 1, 64, tok(7));
	ppv_vring_publish(&r.vr);
	device_echo(&r, 10);
	CHECK(r.dm.irqs == 2);
	CHECK(drain(&r) == 2);
	CHECK(r.dm.errors == 0);
	tap_result("interrupts with event idx: used_event = last_used, flags 0, enable_cb sees pending");
	ring_free(&r);
}

/*
 * Walk every chain in flight through the descriptor table, as the device
 * would: no index in two chains, and together they are what num_free misses.
 */
static bool chains_disjoint(struct ring *r, void **tok_of, u8 *seen)
{
	unsigned int h, used = 0;

	memset(seen, 0, r->num);
	for (h = 0; h < r->num; h++) {
		u16 i = h, flags;

		if (!tok_of[h])
			continue;
		do {
			if (!CHECK(i < r->num && !seen[i]))
				return false;
			seen[i] = 1;
			used++;
			flags = le16_to_cpu(r->vr.desc[i].flags);
			i = le16_to_cpu(r->vr.desc[i].next);
		} while ((flags & VRING_DESC_F_NEXT) && used <= r->num);
	}
	return CHECK(used == r->num - r->vr.num_free);
}

/*
 * 4. Random adds (1..5 buffers, out/in mixed) against a device that takes
 * chains when it likes and returns them in random order. The shadow model
 * here knows which tokens are in flight and how many descriptors they hold.
 * With @indirect, a third of the adds go through an indirect table of
 * 1..IND_MAX buffers; their tables must stay as written while in flight.
 */
static void test_random(unsigned int num, unsigned int seed, bool indirect)
{
	void **tok_of = calloc(num, sizeof(void *));	/* by head, in flight */
	u8 *ndesc_of = calloc(num, 1), *seen = calloc(num, 1);
	/* indirect chains by head: table, buffers, readable ones, length */
	u8 *ind_of = calloc(num, 1), *tbl_busy = calloc(num, 1);
	u16 *tbl_of = calloc(num, sizeof(u16)), *nb_of = calloc(num, sizeof(u16));
	u16 *out_of = calloc(num, sizeof(u16));
	u32 *len_of = calloc(num, sizeof(u32));
	unsigned long serial = 0, steps, completed = 0, n_ind = 0;
	unsigned int desc_busy = 0;	/* descriptors in chains in flight */
	unsigned int h, detached = 0;
	struct ring r;
	void *t;

	if (!tok_of || !ndesc_of || !seen || !ind_of || !tbl_busy || !tbl_of ||
	    !nb_of || !out_of || !len_of)
		abort();
	rnd_seed(seed);
	ring_setup(&r, num, seed & 1);
	for (steps = 0; steps < 50000; steps++) {
		unsigned int n = 1 + rnd(MAX_CHAIN), out = rnd(n + 1), tb;
		int ret;
		u32 len;

		switch (rnd(indirect ? 7 : 6)) {
		case 0: case 1:
			ret = add_chain(&r, out, n - out, 1 + rnd(2000),
					tok(serial));
			if (n > num - desc_busy) {
				CHECK(ret == -ENOSPC);
				break;
			}
			if (!CHECK(ret == 0))
				goto out;
			h = last_head(&r);
			if (!CHECK(!tok_of[h]))
				goto out;
			tok_of[h] = tok(serial++);
			ndesc_of[h] = n;
			ind_of[h] = 0;
			desc_busy += n;
			break;
		case 6:
			/* a free table (there is one while a descriptor is) */
			for (tb = 0; tb < num && tbl_busy[tb]; tb++)
				;
			n = 1 + rnd(num < IND_MAX ? num : IND_MAX);
			out = rnd(n + 1);
			len = 1 + rnd(2000);
			ret = add_ind(&r, tb < num ? tb : 0, out, n - out, len,
				      tok(serial));
			if (desc_busy == num) {
				CHECK(ret == -ENOSPC);
				break;
			}
			if (!CHECK(tb < num) || !CHECK(ret == 0))
				goto out;
			h = last_head(&r);
			if (!CHECK(!tok_of[h]))
				goto out;
			tok_of[h] = tok(serial++);
			ndesc_of[h] = 1;
			ind_of[h] = 1;
			tbl_of[h] = tb;
			tbl_busy[tb] = 1;
			nb_of[h] = n;
			out_of[h] = out;
			len_of[h] = len;
			desc_busy++;
			n_ind++;
			break;
		case 2:
			ppv_vring_publish(&r.vr);
			break;
		case 3:
			dm_pop_all(&r.dm);
			break;
		case 4:
			if (r.dm.nheld) {
				unsigned int i = rnd(r.dm.nheld);

				dm_complete(&r.dm, i, rnd(r.dm.held[i].in_len + 1));
			}
			if (rnd(2))
				dm_flush(&r.dm);
			break;
		default:
			while ((ret = ppv_vring_get_used(&r.vr, &t, &len)) == 1) {
				for (h = 0; h < num && tok_of[h] != t; h++)
					;
				if (!CHECK(h < num))
					goto out;
				tok_of[h] = NULL;
				if (ind_of[h])
					tbl_busy[tbl_of[h]] = 0;
				desc_busy -= ndesc_of[h];
				completed++;
			}
			if (!CHECK(ret == 0))
				goto out;
		}
		if (!CHECK(r.vr.num_free == num - desc_busy) ||
		    !chains_disjoint(&r, tok_of, seen) || !CHECK(!r.dm.errors))
			goto out;
		for (h = 0; h < num; h++)
			if (tok_of[h] && ind_of[h] &&
			    !is_ind_chain(&r, h, tbl_of[h], nb_of[h], out_of[h],
					  len_of[h]))
				goto out;
	}

	/* device reset: every chain still posted comes back exactly once */
	while ((t = ppv_vring_detach_unused(&r.vr))) {
		for (h = 0; h < num && tok_of[h] != t; h++)
			;
		if (!CHECK(h < num))
			break;
		tok_of[h] = NULL;
		desc_busy -= ndesc_of[h];
		detached++;
	}
	for (h = 0; h < num; h++)
		CHECK(!tok_of[h]);
	CHECK(desc_busy == 0);
	CHECK(r.vr.num_free == num);
	if (indirect)
		CHECK(n_ind > 1000);
out:
	tap_result("random add/complete, ring of %u, seed %u: %lu added (%lu indirect), %lu completed, %u detached, free list intact",
		   num, seed, serial, n_ind, completed, detached);
	ring_free(&r);
	free(tok_of);
	free(ndesc_of);
	free(seen);
	free(ind_of);
	free(tbl_busy);
	free(tbl_of);
	free(nb_of);
	free(out_of);
	free(len_of);
}

/* One good round trip (one descriptor, fits any ring): the ring works. */
static bool still_works(struct ring *r)
{
	void *t = NULL;
	u32 len = 0;

	if (add_chain(r, 0, 1, 100, tok(99)))
		return false;
	ppv_vring_publish(&r->vr);
	device_echo(r, 42);
	return ppv_vring_get_used(&r->vr, &t, &len) == 1 && t == tok(99) &&
	       len == 42 && r->vr.num_free == r->num;
}

/* Publish @n chains the device takes and will answer with lies. */
static void publish_victims(struct ring *r, int n)
{
	int i;

	for (i = 0; i < n; i++)
		CHECK(add_chain(r, 0, 1, 100, tok(60 + i)) == 0);
	ppv_vring_publish(&r->vr);
	dm_pop_all(&r->dm);
}

/* Take every chain in flight back, as after a reset; the device forgets. */
static int reclaim_victims(struct ring *r)
{
	int n = 0;

	while (ppv_vring_detach_unused(&r->vr))
		n++;
	r->dm.nheld = 0;
	return n;
}

/* 5. A device that lies in the used ring. */
static void test_malicious(void)
{
	struct ring r;
	void *t;
	u32 len;
	u16 head, mid;
	int i;

	/*
	 * A lying used entry takes the place of a chain the device was given
	 * (the driver refuses more used entries than it published), so each
	 * case publishes victims for the lies and takes them back afterwards
	 * as the driver does after a reset.
	 */
	ring_setup(&r, 8, false);
	publish_victims(&r, 2);
	dm_push_raw(&r.dm, 8, 0);
	dm_push_raw(&r.dm, 0xffffffff, 0);
	dm_flush(&r.dm);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -ERANGE);
	/* which chain it consumed is unknown: the ring is broken for good */
	CHECK(r.vr.broken);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EIO);
	CHECK(!ppv_vring_has_used(&r.vr));
	CHECK(add_chain(&r, 0, 1, 100, tok(5)) == -ENOSPC);
	/* after the reset every chain the device was given comes back */
	CHECK(reclaim_victims(&r) == 2);
	CHECK(r.vr.num_free == 8);
	ring_free(&r);
	tap_result("malicious device: used id >= num is -ERANGE, ring broken, chains recovered");

	/* chain of three: heads at free_head, the middle one is not a head */
	ring_setup(&r, 8, false);
	CHECK(add_chain(&r, 1, 2, 100, tok(1)) == 0);
	ppv_vring_publish(&r.vr);
	dm_pop_all(&r.dm);
	head = r.dm.held[0].head;
	mid = le16_to_cpu(r.vr.desc[head].next);
	publish_victims(&r, 1);
	dm_push_raw(&r.dm, mid, 0);
	dm_flush(&r.dm);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -ENOENT);
	CHECK(r.vr.broken);
	CHECK(r.vr.num_free == 8 - 3 - 1);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EIO);
	CHECK(reclaim_victims(&r) == 2);
	CHECK(r.vr.num_free == 8);
	ring_free(&r);

	/* the same id twice: no longer in flight the second time */
	ring_setup(&r, 8, false);
	CHECK(add_chain(&r, 0, 1, 100, tok(1)) == 0);
	ppv_vring_publish(&r.vr);
	dm_pop_all(&r.dm);
	head = r.dm.held[0].head;
	publish_victims(&r, 1);
	dm_complete(&r.dm, 0, 20);
	dm_push_raw(&r.dm, head, 0);
	dm_flush(&r.dm);
	t = NULL;
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == 1 && t == tok(1) &&
	      len == 20);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -ENOENT);
	CHECK(r.vr.broken);
	CHECK(reclaim_victims(&r) == 1);
	ring_free(&r);

	/* an id heading nothing in flight */
	ring_setup(&r, 8, false);
	publish_victims(&r, 1);
	for (i = 0; i < 8 && r.vr.slot[i].token; i++)
		;
	dm_push_raw(&r.dm, i, 0);
	dm_flush(&r.dm);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -ENOENT);
	CHECK(r.vr.broken);
	CHECK(reclaim_victims(&r) == 1);
	CHECK(r.vr.num_free == 8);
	tap_result("malicious device: used id not heading a chain in flight is -ENOENT, ring broken");

	/* a fresh ring after the reset works */
	ring_free(&r);
	ring_setup(&r, 8, false);
	CHECK(still_works(&r));

	/* 2 writable buffers of 100: 201 bytes is one too many */
	CHECK(add_chain(&r, 1, 2, 100, tok(2)) == 0);
	ppv_vring_publish(&r.vr);
	device_echo(&r, 201);
	t = NULL;
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EMSGSIZE);
	CHECK(t == tok(2) && len == 201);
	CHECK(r.vr.num_free == 8);
	/* a transmit chain has nothing writable */
	CHECK(add_chain(&r, 2, 0, 100, tok(3)) == 0);
	ppv_vring_publish(&r.vr);
	device_echo(&r, 1);
	t = NULL;
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EMSGSIZE && t == tok(3));
	CHECK(r.vr.num_free == 8);
	CHECK(still_works(&r));
	tap_result("malicious device: used len > writable bytes is -EMSGSIZE, token returned");

	/* one chain more used than published: stale entries are never read */
	CHECK(add_chain(&r, 0, 1, 100, tok(6)) == 0);
	CHECK(add_chain(&r, 0, 1, 100, tok(7)) == 0);
	ppv_vring_publish(&r.vr);
	CHECK(add_chain(&r, 0, 1, 100, tok(8)) == 0);	/* added, not published */
	dm_set_used_idx(&r.dm, r.vr.last_used + 3);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EIO);
	CHECK(r.vr.broken);
	for (i = 0; i < 3; i++)
		CHECK(ppv_vring_detach_unused(&r.vr) != NULL);
	CHECK(!ppv_vring_detach_unused(&r.vr));
	CHECK(r.vr.num_free == 8);
	tap_result("malicious device: used->idx past the published avail idx is -EIO");
	ring_free(&r);

	ring_setup(&r, 8, false);
	CHECK(add_chain(&r, 0, 1, 100, tok(4)) == 0);
	ppv_vring_publish(&r.vr);
	dm_set_used_idx(&r.dm, r.vr.last_used + 9);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EIO);
	CHECK(r.vr.broken);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EIO);
	CHECK(!ppv_vring_has_used(&r.vr));
	/* broken for good, even when the index looks sane again */
	dm_set_used_idx(&r.dm, r.vr.last_used + 1);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EIO);
	CHECK(!ppv_vring_has_used(&r.vr));
	CHECK(!ppv_vring_enable_cb(&r.vr));
	CHECK(add_chain(&r, 0, 1, 100, tok(5)) == -ENOSPC);
	/* after reset the posted buffer is still recovered */
	CHECK(ppv_vring_detach_unused(&r.vr) == tok(4));
	CHECK(!ppv_vring_detach_unused(&r.vr));
	CHECK(r.vr.num_free == 8);
	ring_free(&r);

	ring_setup(&r, 8, false);
	CHECK(still_works(&r));
	dm_set_used_idx(&r.dm, r.vr.last_used - 1);	/* backwards */
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EIO);
	CHECK(r.vr.broken);
	tap_result("malicious device: used->idx > num ahead (or backwards) is -EIO, ring broken");
	ring_free(&r);
}

/* 6. Ring sizes */
static void test_init(void)
{
	static const unsigned int bad[] = { 0, 3, 6, 100, 255, 32767, 32769,
					    65536, 1u << 31 };
	static const unsigned int good[] = { 1, 2, 4, 256, 32768 };
	struct ppv_vring vr;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (!CHECK(ppv_vring_init(&vr, bad[i], NULL, NULL, false) ==
			   -EINVAL))
			tap_diag("num %u accepted", bad[i]);
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		struct ring r;

		ring_setup(&r, good[i], i & 1);
		CHECK(r.vr.num_free == good[i]);
		CHECK(still_works(&r));
		CHECK(r.dm.errors == 0);
		ring_free(&r);
	}
	tap_result("ppv_vring_init rejects 0, non-powers of two and > 32768");
}

/* 7. Adds that cannot be done leave the ring as it was. */
static void test_enospc(void)
{
	struct ppv_vring_buf bufs[9] = { { 0x1000, 100 } };
	u16 free_head, avail_idx;
	struct ring r;

	ring_setup(&r, 8, false);
	CHECK(add_chain(&r, 2, 1, 100, tok(0)) == 0);
	free_head = r.vr.free_head;
	avail_idx = r.vr.avail_idx;
	CHECK(ppv_vring_add(&r.vr, bufs, 3, 3, tok(1)) == -ENOSPC);
	CHECK(ppv_vring_add(&r.vr, bufs, 9, 0, tok(1)) == -ENOSPC);
	CHECK(ppv_vring_add(&r.vr, bufs, 1, 1, NULL) == -ENOSPC);
	CHECK(ppv_vring_add(&r.vr, bufs, 0, 0, tok(1)) == -ENOSPC);
	CHECK(r.vr.num_free == 5 && r.vr.free_head == free_head &&
	      r.vr.avail_idx == avail_idx);
	/* exactly the free count fits */
	CHECK(ppv_vring_add(&r.vr, bufs, 5, 0, tok(1)) == 0);
	CHECK(r.vr.num_free == 0);
	CHECK(ppv_vring_add(&r.vr, bufs, 1, 0, tok(2)) == -ENOSPC);
	ppv_vring_publish(&r.vr);
	device_echo(&r, 0);
	CHECK(drain(&r) == 2);
	CHECK(r.vr.num_free == 8 && r.dm.errors == 0);
	tap_result("-ENOSPC: chain longer than free descriptors, NULL token, no buffers");
	ring_free(&r);
}

/*
 * 8. ppv_vring_add_indirect(): what it writes into the table and the ring,
 * what it takes from the free list, and the chain's way back.
 */
static void test_indirect(void)
{
	static const u64 fake_addr = 0xfedcba9876543210ull;
	struct ppv_vring_buf bufs[IND_MAX];
	struct ppv_vring_desc *table;
	u16 head, next_free, avail_idx;
	unsigned int k;
	struct ring r;
	void *t;
	u32 len;

	ring_setup(&r, 8, false);
	table = table_of(&r, 0);
	/* a direct chain first, so the indirect one heads index 2 */
	CHECK(add_chain(&r, 1, 1, 64, tok(0)) == 0);
	head = r.vr.free_head;
	next_free = r.slot[head].next;
	avail_idx = r.vr.avail_idx;
	for (k = 0; k < 5; k++)
		bufs[k] = (struct ppv_vring_buf){
			.addr = 0x123456789abc0000ull + 0x1000 * k,
			.len = k < 2 ? 100 + k : 1000 + k };
	memset(table, 0xee, IND_MAX * sizeof(*table));
	CHECK(ppv_vring_add_indirect(&r.vr, table, fake_addr, bufs, 2, 3,
				     tok(1)) == 0);
	/* the table: the buffers, NEXT but on the last, WRITE on the in ones */
	for (k = 0; k < 5; k++) {
		CHECK(le64_to_cpu(table[k].addr) == bufs[k].addr);
		CHECK(le32_to_cpu(table[k].len) == bufs[k].len);
		CHECK(le16_to_cpu(table[k].flags) ==
		      ((k < 4 ? VRING_DESC_F_NEXT : 0) |
		       (k >= 2 ? VRING_DESC_F_WRITE : 0)));
		if (k < 4)
			CHECK(le16_to_cpu(table[k].next) == k + 1);
	}
	/* and not a byte past its 5 entries */
	for (k = 5 * sizeof(*table); k < IND_MAX * sizeof(*table); k++)
		if (!CHECK(((u8 *)table)[k] == 0xee))
			break;
	/* one ring descriptor, INDIRECT alone, len n * 16, the table's address */
	CHECK(last_head(&r) == head);
	CHECK(le16_to_cpu(r.vr.desc[head].flags) == VRING_DESC_F_INDIRECT);
	CHECK(le32_to_cpu(r.vr.desc[head].len) == 5 * 16);
	CHECK(le64_to_cpu(r.vr.desc[head].addr) == fake_addr);
	CHECK(r.vr.num_free == 8 - 2 - 1);
	CHECK(ppv_vring_in_flight(&r.vr) == 3);
	CHECK(r.vr.free_head == next_free);
	CHECK(r.vr.avail_idx == (u16)(avail_idx + 1));
	CHECK(r.slot[head].token == tok(1));
	/* not published: the device sees nothing of it */
	CHECK(dm_pop(&r.dm) == 0);
	tap_result("add_indirect: table entries with NEXT/WRITE and next = k + 1, one ring descriptor INDIRECT with len n * 16 and the table's address, num_free - 1");

	/* a device reset takes both back, the indirect one once */
	t = ppv_vring_detach_unused(&r.vr);
	CHECK(t == tok(0));
	t = ppv_vring_detach_unused(&r.vr);
	CHECK(t == tok(1));
	CHECK(!ppv_vring_detach_unused(&r.vr));
	CHECK(r.vr.num_free == 8);
	/* the free list is whole: a chain of 8 takes every descriptor */
	CHECK(ppv_vring_add(&r.vr, bufs, 4, 4, tok(2)) == 0 &&
	      r.vr.num_free == 0);
	CHECK(ppv_vring_detach_unused(&r.vr) == tok(2));
	CHECK(!ppv_vring_detach_unused(&r.vr));
	tap_result("add_indirect: detach_unused returns its token once, the free list whole after");
	ring_free(&r);

	/* through the device: it follows the table */
	ring_setup(&r, 8, true);
	CHECK(add_chain(&r, 1, 0, 64, tok(0)) == 0);
	CHECK(add_ind(&r, 0, 2, 3, 100, tok(1)) == 0);
	CHECK(add_chain(&r, 0, 2, 64, tok(2)) == 0);
	CHECK(r.vr.num_free == 8 - 1 - 1 - 2);
	ppv_vring_publish(&r.vr);
	CHECK(dm_pop_all(&r.dm) == 3);
	CHECK(r.dm.held[1].indirect && r.dm.held[1].ndesc == 1 &&
	      r.dm.held[1].nbufs == 5 && r.dm.held[1].table_n == 5 &&
	      r.dm.held[1].out_len == 200 && r.dm.held[1].in_len == 300);
	CHECK(!r.dm.held[0].indirect && !r.dm.held[2].indirect &&
	      r.dm.held[2].ndesc == 2);
	/* all 300 writable bytes: fine; returned out of order */
	dm_complete(&r.dm, 1, 300);
	dm_complete(&r.dm, 0, 0);
	dm_complete(&r.dm, 0, 128);
	dm_flush(&r.dm);
	t = NULL;
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == 1 && t == tok(1) &&
	      len == 300);
	CHECK(r.vr.num_free == 8 - 1 - 2);
	CHECK(drain(&r) == 2 && r.vr.num_free == 8);
	/* one byte more than the table's writable buffers: -EMSGSIZE */
	CHECK(add_ind(&r, 1, 1, 2, 100, tok(3)) == 0);
	ppv_vring_publish(&r.vr);
	device_echo(&r, 201);
	t = NULL;
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EMSGSIZE && t == tok(3) &&
	      len == 201);
	CHECK(r.vr.num_free == 8 && !r.vr.broken);
	CHECK(add_ind(&r, 2, 1, 2, 100, tok(4)) == 0);
	ppv_vring_publish(&r.vr);
	device_echo(&r, 200);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == 1 && t == tok(4) &&
	      len == 200);
	/* a transmit table has nothing writable: any length is too long */
	CHECK(add_ind(&r, 3, 4, 0, 100, tok(5)) == 0);
	ppv_vring_publish(&r.vr);
	device_echo(&r, 1);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -EMSGSIZE && t == tok(5));
	CHECK(add_ind(&r, 4, 4, 0, 100, tok(6)) == 0);
	ppv_vring_publish(&r.vr);
	device_echo(&r, 0);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == 1 && t == tok(6) && !len);
	CHECK(r.vr.num_free == 8 && r.dm.errors == 0);
	CHECK(still_works(&r));
	tap_result("add_indirect: the device follows the table; get_used returns the token, -EMSGSIZE past the table's writable bytes");
	ring_free(&r);
}

/* Ring state an add that failed must leave as it was. */
struct ring_state {
	u16 free_head, num_free, avail_idx, avail0;
};

static struct ring_state ring_state(struct ring *r)
{
	return (struct ring_state){ r->vr.free_head, r->vr.num_free,
				    r->vr.avail_idx,
				    le16_to_cpu(r->vr.avail->ring[r->vr.avail_idx &
								  (r->num - 1)]) };
}

static bool same_state(struct ring *r, struct ring_state s)
{
	struct ring_state now = ring_state(r);

	return CHECK(!memcmp(&now, &s, sizeof(s)));
}

/* 9. Indirect adds that cannot be done. */
static void test_indirect_enospc(void)
{
	struct ppv_vring_buf bufs[IND_MAX] = { { 0x1000, 100 } };
	struct ppv_vring_desc *table;
	struct ring_state st;
	struct ring r;
	void *t;
	u32 len;
	int i;

	ring_setup(&r, 4, false);
	table = table_of(&r, 0);
	st = ring_state(&r);
	CHECK(add_ind(&r, 0, 0, 0, 100, tok(1)) == -ENOSPC);	/* n == 0 */
	CHECK(add_ind(&r, 0, 1, 1, 100, NULL) == -ENOSPC);
	/* more entries than the ring has descriptors */
	CHECK(add_ind(&r, 0, 5, 0, 100, tok(1)) == -ENOSPC);
	CHECK(add_ind(&r, 0, 0, 5, 100, tok(1)) == -ENOSPC);
	CHECK(add_ind(&r, 0, 3, 2, 100, tok(1)) == -ENOSPC);
	CHECK(add_ind(&r, 0, IND_MAX, 0, 100, tok(1)) == -ENOSPC);
	/* counts whose sum wraps to something small */
	CHECK(ppv_vring_add_indirect(&r.vr, table, (uintptr_t)table, bufs,
				     0xffffffffu, 1, tok(1)) == -ENOSPC);
	CHECK(ppv_vring_add_indirect(&r.vr, table, (uintptr_t)table, bufs,
				     2, 0xffffffffu, tok(1)) == -ENOSPC);
	CHECK(ppv_vring_add_indirect(&r.vr, table, (uintptr_t)table, bufs,
				     0x80000000u, 0x80000001u, tok(1)) == -ENOSPC);
	same_state(&r, st);
	/* exactly the ring size fits */
	CHECK(add_ind(&r, 0, 2, 2, 100, tok(1)) == 0);
	CHECK(r.vr.num_free == 3);
	tap_result("add_indirect: -ENOSPC for n == 0, n > ring size (also when out + in wraps), NULL token; ring unchanged; n == ring size fits");

	/* no descriptor free: even a one-entry table has no room */
	CHECK(add_chain(&r, 2, 1, 100, tok(2)) == 0 && r.vr.num_free == 0);
	st = ring_state(&r);
	CHECK(add_ind(&r, 1, 1, 0, 100, tok(3)) == -ENOSPC);
	same_state(&r, st);
	ppv_vring_publish(&r.vr);
	device_echo(&r, 0);
	CHECK(drain(&r) == 2 && r.vr.num_free == 4);
	/* one free: a direct chain of 4 does not fit, an indirect one does */
	CHECK(add_chain(&r, 3, 0, 100, tok(4)) == 0);
	CHECK(add_chain(&r, 4, 0, 100, tok(5)) == -ENOSPC);
	CHECK(add_ind(&r, 1, 4, 0, 100, tok(5)) == 0 && r.vr.num_free == 0);
	CHECK(add_ind(&r, 2, 1, 0, 100, tok(6)) == -ENOSPC);
	ppv_vring_publish(&r.vr);
	device_echo(&r, 0);
	CHECK(drain(&r) == 2 && r.vr.num_free == 4 && r.dm.errors == 0);
	tap_result("add_indirect: -ENOSPC with no descriptor free; with one free a table of 4 fits where a chain of 4 does not");

	/* a broken ring takes nothing, and gives every chain back */
	CHECK(add_ind(&r, 0, 1, 1, 100, tok(7)) == 0);
	CHECK(add_chain(&r, 0, 1, 100, tok(8)) == 0);
	ppv_vring_publish(&r.vr);
	dm_pop_all(&r.dm);
	dm_push_raw(&r.dm, 4, 0);		/* id out of range */
	dm_flush(&r.dm);
	CHECK(ppv_vring_get_used(&r.vr, &t, &len) == -ERANGE && r.vr.broken);
	st = ring_state(&r);
	CHECK(add_ind(&r, 1, 1, 0, 100, tok(9)) == -ENOSPC);
	same_state(&r, st);
	for (i = 0; i < 2 && (t = ppv_vring_detach_unused(&r.vr)); i++)
		CHECK(t == tok(7) || t == tok(8));
	CHECK(i == 2 && !ppv_vring_detach_unused(&r.vr));
	CHECK(r.vr.num_free == 4);
	tap_result("add_indirect: -ENOSPC on a broken ring; detach_unused returns its chains");
	ring_free(&r);
}

/*
 * 10. The device model refuses malformed indirect tables, so that the tests
 * above, where it found none, mean something. Each case is one chain of one
 * ring descriptor written by hand, its table at the start of r.tables.
 */
struct bad_table {
	const char *what;
	u16 flags;		/* of the ring descriptor */
	u32 len;
	long addr_off;		/* from r.tables, in bytes */
	struct ppv_vring_desc e[3];	/* the table's first entries */
	bool no_feature;	/* INDIRECT_DESC not negotiated */
};

#define E(f, n)	{ .addr = 0x1000, .len = 10, .flags = (f), .next = (n) }
#define NX	VRING_DESC_F_NEXT
#define WR	VRING_DESC_F_WRITE
#define IN	VRING_DESC_F_INDIRECT

static unsigned int dm_errors_for(const struct bad_table *b)
{
	unsigned int errors;
	struct ring r;

	ring_setup(&r, 4, false);
	r.dm.quiet = true;
	if (b->no_feature)
		r.dm.indirect = false;
	memcpy(r.tables, b->e, sizeof(b->e));
	r.vr.desc[0].addr = cpu_to_le64((uintptr_t)r.tables + b->addr_off);
	r.vr.desc[0].len = cpu_to_le32(b->len);
	r.vr.desc[0].flags = cpu_to_le16(b->flags);
	r.vr.desc[0].next = cpu_to_le16(1);
	r.vr.avail->ring[0] = 0;
	r.vr.avail->idx = cpu_to_le16(1);
	dm_pop(&r.dm);
	errors = r.dm.errors;
	ring_free(&r);
	return errors;
}

static void test_devmodel_indirect(void)
{
	static const struct bad_table bad[] = {
		{ "not negotiated", IN, 32, 0, { E(NX, 1), E(0, 0) }, true },
		{ "INDIRECT with NEXT", IN | NX, 32, 0, { E(NX, 1), E(0, 0) }, false },
		{ "len 24", IN, 24, 0, { E(NX, 1), E(0, 0) }, false },
		{ "len 0", IN, 0, 0, { E(0, 0) }, false },
		{ "longer than the ring", IN, 5 * 16, 0, { E(0, 0) }, false },
		{ "nested INDIRECT", IN, 32, 0, { E(NX, 1), E(IN, 0) }, false },
		{ "next past the table", IN, 32, 0, { E(NX, 2), E(0, 0) }, false },
		{ "a loop", IN, 32, 0, { E(NX, 1), E(NX, 0) }, false },
		{ "readable after writable", IN, 32, 0, { E(NX | WR, 1), E(0, 0) }, false },
		{ "below memory", IN, 32, -16, { E(NX, 1), E(0, 0) }, false },
		{ "past the end of memory", IN, 32, 4 * IND_MAX * 16 - 16,
		  { E(0, 0) }, false },
	};
	static const struct bad_table good[] = {
		{ "two entries", IN, 32, 0, { E(NX, 1), E(WR, 0) }, false },
		{ "last in memory", IN, 32, 4 * IND_MAX * 16 - 32, { E(0, 0) }, false },
		{ "the ring's size", IN, 4 * 16, 0, { E(0, 0) }, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (!CHECK(dm_errors_for(&bad[i]) == 1))
			tap_diag("devmodel took a table with %s", bad[i].what);
	for (i = 0; i < ARRAY_SIZE(good); i++)
		if (!CHECK(dm_errors_for(&good[i]) == 0))
			tap_diag("devmodel refused a table: %s", good[i].what);
	tap_result("devmodel refuses indirect tables that are malformed (len, nesting, next, loop, bounds, NEXT, not negotiated)");
}

#undef E
#undef NX
#undef WR
#undef IN

void test_vring(void)
{
	test_wrap(4, 70000, false, false);
	test_wrap(4, 70000, true, false);
	test_wrap(256, 70000, true, false);
	test_wrap(1, 70000, false, true);
	test_wrap(4, 70000, true, true);
	test_wrap(8, 70000, false, true);
	test_wrap(256, 2000, true, true);
	test_kick_event_idx();
	test_kick_edges();
	test_irq_flags();
	test_irq_event_idx();
	test_random(8, 1, false);
	test_random(8, 2, false);
	test_random(64, 3, false);
	test_random(64, 4, false);
	test_random(8, 5, true);
	test_random(64, 6, true);
	test_malicious();
	test_init();
	test_enospc();
	test_indirect();
	test_indirect_enospc();
	test_devmodel_indirect();
}
