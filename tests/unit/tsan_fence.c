// SPDX-License-Identifier: GPL-2.0
/*
 * Fences for ThreadSanitizer (build with -DSHIM_TSAN; see shim/asm/barrier.h).
 *
 * clang 14's TSan ignores __atomic_thread_fence(): a correct message passing
 * through a release fence, a relaxed store, a relaxed load and an acquire
 * fence is reported as a race, and a missing fence looks no different. This
 * file gives TSan the C11 rule instead (7.17.4): a release fence F before a
 * relaxed store S, and a relaxed load that reads S before an acquire fence
 * G, make everything before F happen before everything after G.
 *
 *  - each release fence of a thread gets a sync object of its own, and
 *    __tsan_release() stores the thread's clock at the fence in it;
 *  - WRITE_ONCE() notes, for its address, the writer's latest release fence
 *    (or none) before storing;
 *  - READ_ONCE() looks the address up after loading and remembers that
 *    fence, per writer thread the latest one;
 *  - an acquire fence __tsan_acquire()s the fences remembered since the last
 *    one. mb() is both, acquire first.
 *
 * So an access ordered only by a fence that is missing is a race TSan
 * reports, however the threads happened to interleave; plain data (buffers,
 * descriptors, avail entries, used entries) need that ordering. The note is
 * looked up after the load, so a reader can at worst pick up a newer fence
 * than the one its value came with: more ordering, never less, so no false
 * report. TSan has no model of store buffering: a missing mb() between a
 * store and a load of two flags is no race, and test_conc.c catches it by
 * running.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sanitizer/tsan_interface.h>

#include <linux/types.h>

#include <linux/compiler.h>
#include <asm/barrier.h>

#define MAX_THREADS	8
#define NGEN		(1u << 16)	/* sync objects per thread, reused */
#define TABLE		1024		/* addresses written with WRITE_ONCE */

static char sync_obj[MAX_THREADS][NGEN];
static unsigned int nthreads;

/* address -> (writer + 1) << 32 | release fence number; 0: none */
static uintptr_t tab_key[TABLE];
static u64 tab_val[TABLE];

static __thread unsigned int me;		/* thread number + 1 */
static __thread u32 rel_gen;			/* my last release fence */
static __thread u32 pending[MAX_THREADS];	/* fences read, not acquired */

static unsigned int self(void)
{
	if (!me) {
		me = __atomic_add_fetch(&nthreads, 1, __ATOMIC_RELAXED);
		if (me > MAX_THREADS)
			abort();
	}
	return me;
}

static u64 *slot(const volatile void *p, bool add)
{
	uintptr_t key = (uintptr_t)p, k;
	unsigned int h = (key >> 1) % TABLE, n;

	for (n = 0; n < TABLE; n++, h = (h + 1) % TABLE) {
		k = __atomic_load_n(&tab_key[h], __ATOMIC_RELAXED);
		if (k == key)
			return &tab_val[h];
		if (k)
			continue;
		if (!add)
			return NULL;
		if (__atomic_compare_exchange_n(&tab_key[h], &k, key, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED) ||
		    k == key)
			return &tab_val[h];
	}
	abort();
}

void shim_tsan_write(const volatile void *p)
{
	u64 v = rel_gen ? (u64)self() << 32 | rel_gen : 0;

	__atomic_store_n(slot(p, true), v, __ATOMIC_RELAXED);
}

void shim_tsan_read(const volatile void *p)
{
	u64 *s = slot(p, false), v;
	unsigned int t;

	if (!s)
		return;
	v = __atomic_load_n(s, __ATOMIC_RELAXED);
	if (!v)
		return;
	t = (v >> 32) - 1;
	if ((s32)((u32)v - pending[t]) > 0 || !pending[t])
		pending[t] = (u32)v;
}

void shim_tsan_fence(int order)
{
	unsigned int t;

	if (order != __ATOMIC_RELEASE) {
		for (t = 0; t < MAX_THREADS; t++) {
			if (!pending[t])
				continue;
			__tsan_acquire(&sync_obj[t][pending[t] % NGEN]);
			pending[t] = 0;
		}
	}
	if (order != __ATOMIC_ACQUIRE) {
		if (!++rel_gen)
			rel_gen = 1;
		__tsan_release(&sync_obj[self() - 1][rel_gen % NGEN]);
	}
	/* and the fence itself, for the hardware */
	if (order == __ATOMIC_SEQ_CST)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	else if (order == __ATOMIC_ACQUIRE)
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	else
		__atomic_thread_fence(__ATOMIC_RELEASE);
}
