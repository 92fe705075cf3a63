// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: net-driver/ppv_vring.c against a device whose every
 * write comes from the input, checked step by step against a shadow model.
 *
 * Input: one config byte (ring size 1 << (b % 8), event index if b & 8),
 * then operations, an opcode byte and its argument bytes (missing bytes read
 * as 0):
 *   0 ADD a b      chain of a & 7 buffers, (a >> 3 & 7) % (n + 1) readable,
 *                  each b bytes long; NULL token if a >> 6 == 3
 *   1 PUBLISH
 *   2 KICK         publish, then kick_prepare
 *   3 GET a        get_used up to 1 + a % 16 times
 *   4 ENABLE_CB
 *   5 DISABLE_CB
 *   6 USED a b ... used->ring[a] = { id, len }: id b, or if b >= 0xf0 the
 *                  next 4 bytes (LE); len the next 2 bytes (LE)
 *   7 IDX_ADD a    used->idx += (s8)a
 *   8 IDX_SET a b  used->idx = a | b << 8
 *   9 EVENT a      avail_event = last kick's avail index + (s8)a
 *  10 FLAGS a      used->flags = a
 *  11 COMPLETE a   an honest device: next avail entry used with len 4 * a
 *  12 RESET        device reset: detach_unused everything, init again
 *  13 ENABLE_CB_DELAYED
 *  14 ADD_INDIRECT a b  chain of a & 15 buffers through an indirect table,
 *                  (a >> 4 & 3) * n / 3 readable, each b bytes long;
 *                  NULL token if a >> 6 == 3
 *
 * Every driver call is compared with what the model says it must do
 * (get_used's result, token and length; kick and interrupt decisions); after
 * every step num_free must match the model and the chains in flight must be
 * disjoint in the descriptor table; an indirect chain holds one descriptor,
 * INDIRECT with len n * 16 and its table's address, and its table holds
 * what was added, not a byte more. Any mismatch is __builtin_trap().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>
#include <asm/byteorder.h>

#include "ppv_vring.h"

#define MAX_NUM		128
#define MAX_TOKENS	4096
#define MAX_BUFS	7
#define MAX_IND		15	/* buffers of an indirect chain */
#define TABLE_POISON	0xe7

enum { T_UNUSED, T_IN_FLIGHT, T_DONE };

/* One chain added: its token is a pointer to this. */
struct rec {
	u8 state;
	bool indirect;
	u16 head;
	u16 ndesc;		/* ring descriptors */
	u32 in_len;
	u16 nbufs, out;		/* indirect: the table's entries */
	u8 len;			/* indirect: each buffer's */
};

static struct {
	const u8 *data;
	size_t size, pos;

	struct ppv_vring vr;
	struct ppv_vring_slot slot[MAX_NUM];
	void *mem;
	unsigned int num;
	bool event_idx;

	/* the model */
	struct rec rec[MAX_TOKENS];
	/* the indirect table of rec[i], one entry more than the longest */
	struct ppv_vring_desc table[MAX_TOKENS][MAX_IND + 1];
	unsigned int nrec, done;	/* chains added, chains given back */
	struct rec *by_head[MAX_NUM];	/* chain in flight heading each index */
	unsigned int free;		/* descriptors not in flight */
	u16 avail, published, kicked, last_used;
	bool broken;
	u16 dev_avail;			/* honest device: next avail entry */
} f;

#define CHECK(c)	do { if (!(c)) __builtin_trap(); } while (0)

static u8 in8(void)
{
	return f.pos < f.size ? f.data[f.pos++] : 0;
}

static __le16 *avail_event(void)
{
	return (__le16 *)&f.vr.used->ring[f.num];
}

static __le16 *used_event(void)
{
	return &f.vr.avail->ring[f.num];
}

static u16 used_idx(void)
{
	return le16_to_cpu(f.vr.used->idx);
}

static void ring_reset(void)
{
	memset(f.mem, 0, ppv_vring_bytes(f.num));
	CHECK(ppv_vring_init(&f.vr, f.num, f.mem, f.slot, f.event_idx) == 0);
	memset(f.by_head, 0, sizeof(f.by_head));
	f.free = f.num;
	f.avail = f.published = f.kicked = f.last_used = f.dev_avail = 0;
	f.broken = false;
}

static void give_back(struct rec *r)
{
	CHECK(r->state == T_IN_FLIGHT);
	r->state = T_DONE;
	f.by_head[r->head] = NULL;
	f.free += r->ndesc;
	f.done++;
}

static void op_add(void)
{
	u8 a = in8(), len = in8();
	unsigned int n = a & 7, out = ((a >> 3) & 7) % (n + 1), k;
	struct ppv_vring_buf bufs[MAX_BUFS];
	bool null_token = (a >> 6) == 3;
	struct rec *r;
	int ret;

	if (f.nrec == MAX_TOKENS)
		return;
	r = &f.rec[f.nrec];
	for (k = 0; k < n; k++)
		bufs[k] = (struct ppv_vring_buf){ .addr = 0x1000 * k, .len = len };
	ret = ppv_vring_add(&f.vr, bufs, out, n - out, null_token ? NULL : r);
	if (!n || n > f.free || null_token || f.broken) {
		CHECK(ret == -ENOSPC);
		return;
	}
	CHECK(ret == 0);
	*r = (struct rec){
		.state = T_IN_FLIGHT,
		.head = le16_to_cpu(f.vr.avail->ring[f.avail & (f.num - 1)]),
		.ndesc = n,
		.in_len = (n - out) * len,
	};
	CHECK(r->head < f.num && !f.by_head[r->head]);
	f.by_head[r->head] = r;
	f.nrec++;
	f.free -= n;
	f.avail++;
}

/* The address the device would read rec[i]'s table at: any 64 bits. */
static u64 table_addr(unsigned int i)
{
	return 0xfedcba9800000000ull + 0x100ull * i;
}

/* The ring descriptor and table of an indirect chain are what was added. */
static void check_indirect(const struct rec *r)
{
	const struct ppv_vring_desc *d = &f.vr.desc[r->head];
	const struct ppv_vring_desc *t = f.table[r - f.rec];
	const u8 *raw = (const u8 *)t;
	unsigned int k;

	CHECK(le16_to_cpu(d->flags) == VRING_DESC_F_INDIRECT);
	CHECK(le32_to_cpu(d->len) == r->nbufs * 16u);
	CHECK(le64_to_cpu(d->addr) == table_addr(r - f.rec));
	for (k = 0; k < r->nbufs; k++) {
		u16 flags = le16_to_cpu(t[k].flags);

		CHECK(le64_to_cpu(t[k].addr) == 0x1000ull * k);
		CHECK(le32_to_cpu(t[k].len) == r->len);
		CHECK(!(flags & VRING_DESC_F_WRITE) == (k < r->out));
		CHECK(!(flags & VRING_DESC_F_NEXT) == (k + 1 == r->nbufs));
		CHECK(!(flags & ~(VRING_DESC_F_WRITE | VRING_DESC_F_NEXT)));
		if (flags & VRING_DESC_F_NEXT)
			CHECK(le16_to_cpu(t[k].next) == k + 1);
	}
	for (k = r->nbufs * 16; k < sizeof(f.table[0]); k++)
		CHECK(raw[k] == TABLE_POISON);
}

static void op_add_indirect(void)
{
	u8 a = in8(), len = in8();
	unsigned int n = a & 15, out = ((a >> 4) & 3) * n / 3, k;
	struct ppv_vring_buf bufs[MAX_IND];
	bool null_token = (a >> 6) == 3;
	struct ppv_vring_desc *t;
	struct rec *r;
	int ret;

	if (f.nrec == MAX_TOKENS)
		return;
	r = &f.rec[f.nrec];
	t = f.table[f.nrec];
	memset(t, TABLE_POISON, sizeof(f.table[0]));
	for (k = 0; k < n; k++)
		bufs[k] = (struct ppv_vring_buf){ .addr = 0x1000 * k, .len = len };
	ret = ppv_vring_add_indirect(&f.vr, t, table_addr(f.nrec), bufs, out,
				     n - out, null_token ? NULL : r);
	/* one descriptor, whatever n; a table no longer than the ring */
	if (!n || n > f.num || !f.free || null_token || f.broken) {
		CHECK(ret == -ENOSPC);
		return;
	}
	CHECK(ret == 0);
	*r = (struct rec){
		.state = T_IN_FLIGHT,
		.indirect = true,
		.head = le16_to_cpu(f.vr.avail->ring[f.avail & (f.num - 1)]),
		.ndesc = 1,
		.in_len = (n - out) * len,
		.nbufs = n,
		.out = out,
		.len = len,
	};
	CHECK(r->head < f.num && !f.by_head[r->head]);
	check_indirect(r);
	f.by_head[r->head] = r;
	f.nrec++;
	f.free--;
	f.avail++;
}

static void op_kick(void)
{
	u16 ev = le16_to_cpu(*avail_event());
	bool want;

	ppv_vring_publish(&f.vr);
	f.published = f.avail;
	if (f.event_idx)
		want = (u16)(ev - f.kicked) < (u16)(f.avail - f.kicked);
	else
		want = !(le16_to_cpu(f.vr.used->flags) & VRING_USED_F_NO_NOTIFY);
	CHECK(ppv_vring_kick_prepare(&f.vr) == want);
	f.kicked = f.avail;
}

/* One get_used, and what the model says it must have done. */
static int get_one(void)
{
	u16 idx = used_idx();
	struct ppv_vring_used_elem e;
	void *token = NULL;
	u32 len = 0;
	struct rec *r;
	int ret;

	e = f.vr.used->ring[f.last_used & (f.num - 1)];
	ret = ppv_vring_get_used(&f.vr, &token, &len);
	if (f.broken) {
		CHECK(ret == -EIO);
		return 0;
	}
	if (idx == f.last_used) {
		CHECK(ret == 0);
		return 0;
	}
	if ((u16)(idx - f.last_used) > (u16)(f.published - f.last_used)) {
		CHECK(ret == -EIO && f.vr.broken);
		f.broken = true;
		return 0;
	}
	f.last_used++;
	/* a lie about the id breaks the ring: what was consumed is unknown */
	if (le32_to_cpu(e.id) >= f.num) {
		CHECK(ret == -ERANGE && !token && f.vr.broken);
		f.broken = true;
		return 1;
	}
	r = f.by_head[le32_to_cpu(e.id)];
	if (!r) {
		CHECK(ret == -ENOENT && !token && f.vr.broken);
		f.broken = true;
		return 1;
	}
	/* the token in flight at that head, and the device's length */
	CHECK(token == r && len == le32_to_cpu(e.len));
	CHECK(ret == (len > r->in_len ? -EMSGSIZE : 1));
	give_back(r);
	return 1;
}

static void op_get(void)
{
	unsigned int n = 1 + in8() % 16;

	while (n-- && get_one())
		;
}

/* interrupt once 3/4 of the published chains in flight are used */
static void op_enable_cb_delayed(void)
{
	u16 wait = (u16)(f.published - f.last_used) * 3 / 4;
	bool ret = ppv_vring_enable_cb_delayed(&f.vr);

	if (!f.event_idx) {
		CHECK(ret == (!f.broken && used_idx() != f.last_used));
		return;
	}
	CHECK(le16_to_cpu(*used_event()) == (u16)(f.last_used + wait));
	CHECK(ret == (!f.broken && (u16)(used_idx() - f.last_used) > wait));
}

static void op_enable_cb(void)
{
	bool pending = !f.broken && used_idx() != f.last_used;

	CHECK(ppv_vring_enable_cb(&f.vr) == pending);
	if (f.event_idx)
		CHECK(le16_to_cpu(*used_event()) == f.last_used);
	CHECK(!(le16_to_cpu(f.vr.avail->flags) & VRING_AVAIL_F_NO_INTERRUPT));
}

static void op_disable_cb(void)
{
	u16 ue = le16_to_cpu(*used_event());

	ppv_vring_disable_cb(&f.vr);
	/* with event index avail->flags stays 0 (2.7.7.2) */
	CHECK(le16_to_cpu(f.vr.avail->flags) ==
	      (f.event_idx ? 0 : VRING_AVAIL_F_NO_INTERRUPT));
	CHECK(le16_to_cpu(*used_event()) == ue);
}

static void op_used_entry(void)
{
	struct ppv_vring_used_elem *e = &f.vr.used->ring[in8() & (f.num - 1)];
	u32 id = in8(), len;

	if (id >= 0xf0) {
		id = in8();
		id |= in8() << 8;
		id |= in8() << 16;
		id |= (u32)in8() << 24;
	}
	len = in8();
	len |= in8() << 8;
	e->id = cpu_to_le32(id);
	e->len = cpu_to_le32(len);
}

/* An honest device returns the next chain it has not taken yet. */
static void op_complete(void)
{
	u32 len = 4 * in8();
	u16 idx = used_idx(), head;

	if (f.dev_avail == le16_to_cpu(f.vr.avail->idx))
		return;
	head = le16_to_cpu(f.vr.avail->ring[f.dev_avail++ & (f.num - 1)]);
	f.vr.used->ring[idx & (f.num - 1)].id = cpu_to_le32(head);
	f.vr.used->ring[idx & (f.num - 1)].len = cpu_to_le32(len);
	f.vr.used->idx = cpu_to_le16(idx + 1);
}

/* Device reset: everything still posted comes back, exactly once. */
static void detach_all(void)
{
	void *t;

	while ((t = ppv_vring_detach_unused(&f.vr))) {
		struct rec *r = t;

		CHECK(r >= f.rec && r < f.rec + f.nrec);
		give_back(r);
	}
	CHECK(f.free == f.num && f.vr.num_free == f.num);
}

/* The model's free count, and chains in flight disjoint in the table. */
static void check_invariants(void)
{
	u8 seen[MAX_NUM] = { 0 };
	unsigned int h, used = 0;

	CHECK(f.vr.num_free == f.free);
	CHECK(f.vr.broken == f.broken);
	for (h = 0; h < f.num; h++) {
		struct rec *r = f.by_head[h];
		unsigned int k;
		u16 i = h;

		if (!r)
			continue;
		if (r->indirect)
			check_indirect(r);
		for (k = 0; k < r->ndesc; k++) {
			u16 flags = le16_to_cpu(f.vr.desc[i].flags);

			CHECK(i < f.num && !seen[i]);
			seen[i] = 1;
			CHECK(!(flags & VRING_DESC_F_NEXT) == (k + 1 == r->ndesc));
			CHECK(!(flags & VRING_DESC_F_INDIRECT) == !r->indirect);
			i = le16_to_cpu(f.vr.desc[i].next);
		}
		used += r->ndesc;
	}
	CHECK(used == f.num - f.free);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 cfg;

	if (!size)
		return 0;
	f.data = data;
	f.size = size;
	f.pos = 0;
	cfg = in8();
	f.num = 1u << (cfg % 8);
	f.event_idx = cfg & 8;
	f.nrec = f.done = 0;
	f.mem = aligned_alloc(64, (ppv_vring_bytes(f.num) + 63) & ~63ul);
	if (!f.mem)
		return 0;
	ring_reset();

	while (f.pos < f.size) {
		switch (in8() % 15) {
		case 0:
			op_add();
			break;
		case 1:
			ppv_vring_publish(&f.vr);
			f.published = f.avail;
			break;
		case 2:
			op_kick();
			break;
		case 3:
			op_get();
			break;
		case 4:
			op_enable_cb();
			break;
		case 5:
			op_disable_cb();
			break;
		case 6:
			op_used_entry();
			break;
		case 7:
			f.vr.used->idx = cpu_to_le16(used_idx() + (s8)in8());
			break;
		case 8:
			f.vr.used->idx = cpu_to_le16(in8() | in8() << 8);
			break;
		case 9:
			*avail_event() = cpu_to_le16(f.kicked + (s8)in8());
			break;
		case 10:
			f.vr.used->flags = cpu_to_le16(in8());
			break;
		case 11:
			op_complete();
			break;
		case 12:
			detach_all();
			ring_reset();
			break;
		case 13:
			op_enable_cb_delayed();
			break;
		case 14:
			op_add_indirect();
			break;
		}
		check_invariants();
	}

	/* none lost: every chain added came back once, here or before */
	detach_all();
	CHECK(f.done == f.nrec);
	free(f.mem);
	return 0;
}
