// SPDX-License-Identifier: GPL-2.0
/*
 * Driver and device running at the same time, for the ordering bugs the
 * single-threaded tests cannot see.
 *
 * The driver thread uses ppv_vring.c (through a vring_ops table) the way
 * ppvnet does:
 *  - chains directly on the ring, or through an indirect table (each
 *    record has one after its buffers, in the device's memory), or each
 *    either way at random (conc_cfg.desc);
 *  - receive-style: device-writable chains of 1..4 buffers; NAPI-like
 *    polls with a budget, a refill in one batch (publish, kick_prepare())
 *    once 1, a quarter, half or all of the ring is free, then enable_cb():
 *    if it says entries are waiting, disable_cb() and poll again, else wait
 *    for an interrupt, then disable_cb() (the interrupt handler) and poll;
 *  - transmit-style: reap completions, send batches of 1..8 device-readable
 *    chains published and kicked once (xmit_more); when the ring cannot take
 *    the longest chain, or now and then when idle, enable_cb_delayed(): poll
 *    again if it says so, else wait for an interrupt.
 * The device thread does what QEMU's virtio-net does on a kick (cdev.h):
 * notifications off, pop/fill/flush/notify in batches of 1..4 up to a
 * burst, then notifications on (smp_mb()) and a last look at the avail
 * ring; if it is empty, wait for the next kick.
 *
 * An interrupt or a kick is a counter and a futex, like an eventfd: the
 * waiter notes the count before it looks at the ring for the last time and
 * sleeps only while the count has not moved, so a signal sent in between is
 * never lost by the harness. A lost wakeup is therefore the ring's: the
 * driver asleep after enable_cb*() said "nothing waiting" with no interrupt
 * since, and the device asleep after it re-armed notifications with no kick
 * since. The watchdog reports that state as soon as it holds twice in a row
 * 2 ms apart (neither side can leave it), and any other lack of progress
 * after CONC_STALL_SECONDS.
 *
 * Every chain carries its serial number in its buffers: a transmit chain
 * from the driver (checked by the device), a receive chain from the device
 * (checked by the driver, with the length it returned). The token is the
 * driver's record of the chain: it must be in flight when it comes back, so
 * each chain comes back exactly once.
 *
 * What makes a missing barrier show within milliseconds rather than hours
 * (see drv_store_burst(), jitter(), wq_wait()) changes how often the two
 * sides meet, never what either may do.
 *
 * Harness atomics are relaxed with explicit fences: ThreadSanitizer sees no
 * ordering from them (it ignores the fences), so under SHIM_TSAN only the
 * ring's own barriers order the ring's data.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <asm/byteorder.h>

#include "cdev.h"
#include "conc.h"

#define NAPI_BUDGET	64
#define CONC_SCRATCH	64	/* cache lines both sides write */
#define CONC_JITTER	1000	/* longest pause of jitter(), loop turns */
#define DEV_BURST	64	/* QEMU's tx_burst is 256 */
#define REC_BUF_BYTES	(CDEV_MAX_DESC * CDEV_BUF_LEN)
/* a record's buffers, then room for its indirect table */
#define REC_BYTES	(REC_BUF_BYTES + CDEV_MAX_DESC * sizeof(struct ppv_vring_desc))

#define LOAD(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* A kick or an interrupt: a count of signals and a futex on it. */
struct wq {
	u32 count;
	u32 sleeping;		/* the waiter is in wq_wait() */
	u32 seen;		/* the count it waits to move past */
	u32 sleeps;		/* times it went to sleep: tells two sleeps apart */
};

/* What the watchdog sees of both sides. */
struct sample {
	u32 d_sleeping, d_seen, d_sleeps, irqs;
	u32 v_sleeping, v_seen, v_sleeps, kicks;
	u64 progress;
};

/* The driver's record of one chain; the token is its address. */
struct rec {
	u64 serial;
	u16 ndesc;
	bool inflight;
	struct rec *next_free;
	u8 *buf;		/* REC_BUF_BYTES in the arena */
	struct ppv_vring_desc *table;	/* after them, for ppv_vring_add_indirect() */
};

struct rng {
	u64 s;
};

struct conc {
	const struct conc_cfg *cfg;
	const struct vring_ops *ops;
	unsigned int num;
	bool rx;
	void *mem;
	u8 *arena;
	int cpu[2];

	/* driver thread */
	struct ppv_vring vr;
	struct ppv_vring_slot *slot;
	struct rec *rec, *free_rec;
	struct rng drng;
	unsigned long drv_errors;
	char drv_error[160];
	u64 kicks, kicks_saved, irq_waits, repolls;
	u64 indirect;

	/* device thread */
	struct cdev dev;
	struct rng vrng;
	u64 kick_waits;

	/* shared, relaxed atomics */
	struct wq kick, irq;
	u64 *scratch;			/* CONC_SCRATCH cache lines */
	u64 added, returned, popped;	/* progress, for the watchdog */
	u32 enough;			/* stop adding chains */
	u32 stop;			/* threads: return */

	struct sample last;		/* watchdog's, at the end */
};

static u32 rnd(struct rng *r, u32 n)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (u32)((r->s * 0x2545f4914f6cdd1dull) >> 32) % n;
}

/*
 * Half the time, a pause of up to about a microsecond: the other side's
 * steps land at ever different points of this side's, instead of the few
 * the two loops would settle into.
 */
static void jitter(struct rng *r)
{
	unsigned int n = rnd(r, 2 * CONC_JITTER);

	while (n-- > CONC_JITTER)
		__asm__ __volatile__("" ::: "memory");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void futex_wait(u32 *addr, u32 val, long ns)
{
	struct timespec ts = { .tv_nsec = ns };

	syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, &ts, NULL, 0);
}

static void futex_wake(u32 *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static void wq_signal(struct wq *q)
{
	__atomic_fetch_add(&q->count, 1, __ATOMIC_RELAXED);
	/* the count before looking for a sleeper; pairs with wq_wait() */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (LOAD(q->sleeping))
		futex_wake(&q->count);
}

/*
 * Wait while the count is @seen: three times in four spin for up to
 * spin_ns first (QEMU's iothreads poll before they block, NAPI busy-polls),
 * then sleep. Spinning changes nothing about what wakes a waiter, only how
 * soon: many more arm-and-wait rounds a second, each a chance for a race;
 * the fourth wait sleeps at once, so sleeping is exercised as often. On
 * one CPU, spinning only delays the other side: always sleep. Returns false
 * when told to stop.
 */
static bool wq_wait(struct conc *c, struct wq *q, u32 seen, struct rng *r)
{
	double until = now() + c->cfg->spin_ns * 1e-9;
	bool spin = c->cfg->spin_ns && c->cpu[1] >= 0 && rnd(r, 4);
	unsigned int i;

	while (spin) {
		for (i = 0; i < 64; i++)
			if (LOAD(q->count) != seen || LOAD(c->stop))
				return !LOAD(c->stop);
		if (now() >= until)
			break;
	}
	STORE(q->seen, seen);
	STORE(q->sleeps, q->sleeps + 1);
	STORE(q->sleeping, 1);
	/* sleeping before the count; pairs with wq_signal() */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	while (LOAD(q->count) == seen && !LOAD(c->stop))
		futex_wait(&q->count, seen, 50 * 1000 * 1000);
	STORE(q->sleeping, 0);
	return !LOAD(c->stop);
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

int conc_cpus(int *cpu0, int *cpu1)
{
	cpu_set_t set;
	int i, n = 0;

	*cpu0 = *cpu1 = -1;
	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	for (i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &set))
			continue;
		if (n == 0)
			*cpu0 = i;
		else if (n == 1)
			*cpu1 = i;
		n++;
	}
	if (n < 2)
		*cpu0 = *cpu1 = -1;
	return n;
}

const char *conc_desc_name(enum conc_desc d)
{
	switch (d) {
	case CONC_DIRECT:
		return "direct";
	case CONC_MIXED:
		return "direct and indirect";
	default:
		return "indirect";
	}
}

const char *conc_outcome_name(enum conc_outcome o)
{
	switch (o) {
	case CONC_OK:
		return "ok";
	case CONC_LOST_WAKEUP:
		return "lost wakeup";
	case CONC_STALL:
		return "stall";
	default:
		return "error";
	}
}

static void drv_error(struct conc *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void drv_error(struct conc *c, const char *fmt, ...)
{
	va_list ap;

	if (c->drv_errors++)
		return;
	va_start(ap, fmt);
	vsnprintf(c->drv_error, sizeof(c->drv_error), fmt, ap);
	va_end(ap);
}

/* ---- driver ---- */

/*
 * Add one chain of 1..CDEV_MAX_DESC buffers, directly or through the
 * record's indirect table (cfg->desc); false when there is no room.
 */
static bool drv_add(struct conc *c)
{
	struct ppv_vring_buf bufs[CDEV_MAX_DESC];
	unsigned int n = 1 + rnd(&c->drng, CDEV_MAX_DESC), k, b;
	struct rec *r = c->free_rec;
	bool ind = c->cfg->desc == CONC_INDIRECT ||
		   (c->cfg->desc == CONC_MIXED && rnd(&c->drng, 2));
	int ret;

	if ((ind ? 1 : n) > c->vr.num_free || !r)
		return false;
	r->serial = c->added;
	r->ndesc = n;
	for (k = 0; k < n; k++) {
		u8 *p = r->buf + k * CDEV_BUF_LEN;

		bufs[k] = (struct ppv_vring_buf){ .addr = (uintptr_t)p,
						  .len = CDEV_BUF_LEN };
		if (c->rx)
			continue;
		/* what the device must read */
		memcpy(p, &(struct cdev_stamp){ .serial = r->serial, .len = k,
						.ndesc = n },
		       sizeof(struct cdev_stamp));
		for (b = sizeof(struct cdev_stamp); b < CDEV_BUF_LEN; b++)
			p[b] = cdev_pattern(r->serial, k, b);
	}
	if (ind)
		ret = c->ops->add_indirect(&c->vr, r->table, (uintptr_t)r->table,
					   bufs, c->rx ? 0 : n, c->rx ? n : 0, r);
	else
		ret = c->ops->add(&c->vr, bufs, c->rx ? 0 : n, c->rx ? n : 0, r);
	if (ret) {
		drv_error(c, "add%s of %u with %u free: %d",
			  ind ? "_indirect" : "", n, c->vr.num_free, ret);
		return false;
	}
	c->indirect += ind;
	c->free_rec = r->next_free;
	r->inflight = true;
	STORE(c->added, c->added + 1);
	return true;
}

static bool drv_may_add(struct conc *c)
{
	return !LOAD(c->enough) &&
	       (!c->cfg->transfers || c->added < c->cfg->transfers);
}

static void drv_kick(struct conc *c)
{
	if (c->ops->kick_prepare(&c->vr)) {
		c->kicks++;
		wq_signal(&c->kick);
	} else {
		c->kicks_saved++;
	}
}

/* Check what the device wrote into a receive chain of @len bytes. */
static bool drv_check_rx(struct conc *c, struct rec *r, u32 len)
{
	struct cdev_stamp st;
	u32 off;

	if (len < sizeof(st) || len > r->ndesc * CDEV_BUF_LEN) {
		drv_error(c, "chain %llu: used len %u of %u",
			  (unsigned long long)r->serial, len,
			  r->ndesc * CDEV_BUF_LEN);
		return false;
	}
	memcpy(&st, r->buf, sizeof(st));
	if (st.serial != r->serial || st.len != len) {
		drv_error(c, "chain %llu len %u: buffer says chain %llu len %u",
			  (unsigned long long)r->serial, len,
			  (unsigned long long)st.serial, st.len);
		return false;
	}
	for (off = sizeof(st); off < len; off++) {
		unsigned int k = off / CDEV_BUF_LEN, b = off % CDEV_BUF_LEN;

		if (r->buf[off] != cdev_pattern(r->serial, k, b)) {
			drv_error(c, "chain %llu: byte %u is %#x",
				  (unsigned long long)r->serial, off,
				  r->buf[off]);
			return false;
		}
	}
	return true;
}

/* Take one used chain: 1, or 0 when none (or on an error). */
static int drv_reap(struct conc *c)
{
	struct rec *r;
	void *t = NULL;
	u32 len = 0;
	int ret;

	ret = c->ops->get_used(&c->vr, &t, &len);
	if (ret == 0)
		return 0;
	if (ret != 1) {
		drv_error(c, "get_used: %d", ret);
		if (ret != -EMSGSIZE)
			return 0;
	}
	r = t;
	if ((u8 *)r < (u8 *)c->rec || r >= c->rec + c->num ||
	    ((u8 *)r - (u8 *)c->rec) % sizeof(*r)) {
		drv_error(c, "token %p is no record", t);
		return 0;
	}
	if (!r->inflight) {
		drv_error(c, "chain %llu came back twice",
			  (unsigned long long)r->serial);
		return 0;
	}
	if (c->rx)
		drv_check_rx(c, r, len);
	else if (len)
		drv_error(c, "transmit chain %llu: used len %u",
			  (unsigned long long)r->serial, len);
	r->inflight = false;
	r->next_free = c->free_rec;
	c->free_rec = r;
	STORE(c->returned, c->returned + 1);
	return 1;
}

/*
 * The window a missing mb() opens lasts as long as the re-arming store
 * waits in the store buffer: with the buffer empty, one cache miss, so short
 * that the other side's store-fence-load must land in it almost exactly. On
 * the 2-CPU AMD EPYC VM this was written on, a bare store-buffering litmus
 * test (flags on lines of their own, both threads released together)
 * reordered in 0 to 18 of 200000 tries; with 64 stores to lines the other
 * CPU owns just before the flag store, in 473. A driver that has just
 * written packet data has such a buffer. Do that before re-arming: store to
 * lines the device keeps writing. With the barrier in place, the fence
 * drains them and nothing changes.
 */
static void drv_store_burst(struct conc *c)
{
	unsigned int i;

	for (i = 0; i < c->cfg->burst_lines; i++)
		STORE(c->scratch[(i % CONC_SCRATCH) * 8], i);
}

static bool drv_done(struct conc *c)
{
	return !drv_may_add(c) && c->returned == c->added;
}

/*
 * Fill the ring in one batch, publish and kick, as ppv_rx_fill() does; only
 * once @thresh descriptors are free (virtio_net waits for half the ring), so
 * the device often runs dry just as the driver refills or re-arms. An empty
 * ring is always refilled: with nothing posted no interrupt can come.
 */
static void drv_refill(struct conc *c, unsigned int thresh)
{
	unsigned int n = 0;

	if (c->vr.num_free < thresh && ppv_vring_in_flight(&c->vr))
		return;
	while (drv_may_add(c) && drv_add(c))
		n++;
	if (n) {
		jitter(&c->drng);
		drv_store_burst(c);
		c->ops->publish(&c->vr);
		drv_kick(c);
	}
}

static void drv_rx(struct conc *c)
{
	unsigned int thresh = 1;

	drv_refill(c, 1);
	while (!LOAD(c->stop)) {
		u32 seen = LOAD(c->irq.count);
		unsigned int n = 0;

		while (n < NAPI_BUDGET && drv_reap(c))
			n++;
		drv_refill(c, thresh);
		if (drv_done(c))
			break;
		if (n == NAPI_BUDGET)
			continue;
		/* napi_complete: re-arm, and poll again if anything came */
		jitter(&c->drng);
		drv_store_burst(c);
		if (c->ops->enable_cb(&c->vr)) {
			c->ops->disable_cb(&c->vr);
			c->repolls++;
			continue;
		}
		c->irq_waits++;
		if (!wq_wait(c, &c->irq, seen, &c->drng))
			break;
		c->ops->disable_cb(&c->vr);	/* the interrupt handler */
		/* 1, a quarter, half or all of the ring free before refilling */
		thresh = (const unsigned int[]){ 1, c->num / 4, c->num / 2,
						 c->num }[rnd(&c->drng, 4)];
	}
}

/*
 * Send batches of 1..8 chains, published and kicked once (xmit_more), with
 * pauses of the application in between. Wait for completions when the ring
 * cannot take the longest chain (the queue stops), and now and then when
 * the application has nothing to send (NAPI completing: ppv_poll() re-arms
 * transmit completions too).
 */
static void drv_tx(struct conc *c)
{
	c->ops->disable_cb(&c->vr);	/* completions are reaped when sending */
	while (!LOAD(c->stop)) {
		u32 seen = LOAD(c->irq.count);
		unsigned int batch = 1 + rnd(&c->drng, 8), n = 0;

		while (drv_reap(c))
			;
		if (drv_done(c))
			break;
		while (n < batch && drv_may_add(c) &&
		       c->vr.num_free >= CDEV_MAX_DESC && drv_add(c))
			n++;
		if (n) {
			jitter(&c->drng);
			drv_store_burst(c);
			c->ops->publish(&c->vr);
			drv_kick(c);
		}
		if (drv_may_add(c) && c->vr.num_free >= CDEV_MAX_DESC &&
		    (rnd(&c->drng, 4) || !ppv_vring_in_flight(&c->vr))) {
			jitter(&c->drng);
			continue;
		}
		/* stopped, idle or draining: wait for completions */
		jitter(&c->drng);
		drv_store_burst(c);
		if (c->ops->enable_cb_delayed(&c->vr)) {
			c->ops->disable_cb(&c->vr);
			c->repolls++;
			continue;
		}
		c->irq_waits++;
		if (!wq_wait(c, &c->irq, seen, &c->drng))
			break;
		c->ops->disable_cb(&c->vr);	/* the interrupt handler */
	}
}

static void *drv_thread(void *arg)
{
	struct conc *c = arg;

	pin(c->cpu[0]);
	if (c->rx)
		drv_rx(c);
	else
		drv_tx(c);
	/* done (or told to stop): let the device go too */
	STORE(c->stop, 1);
	wq_signal(&c->kick);
	return NULL;
}

/* ---- device ---- */

/* Up to @burst chains in batches of 1..4, returned in random order. */
static unsigned int dev_process(struct conc *c, unsigned int burst)
{
	struct cdev *d = &c->dev;
	unsigned int n = 0, i;

	while (n < burst) {
		unsigned int b = 1 + rnd(&c->vrng, 4), got = 0;

		while (got < b && cdev_pop(d))
			got++;
		if (!got)
			break;
		while (d->nheld) {
			u32 len = 0;

			i = rnd(&c->vrng, d->nheld);
			if (c->rx)
				len = sizeof(struct cdev_stamp) +
				      rnd(&c->vrng, d->held[i].in_len -
						    sizeof(struct cdev_stamp) + 1);
			cdev_fill(d, i, len);
		}
		for (i = 0; i < CONC_SCRATCH; i++)
			STORE(c->scratch[i * 8], i);
		jitter(&c->vrng);
		cdev_flush(d);
		if (cdev_should_notify(d))
			wq_signal(&c->irq);
		n += got;
		STORE(c->popped, c->popped + got);
	}
	return n;
}

static void *dev_thread(void *arg)
{
	struct conc *c = arg;
	struct cdev *d = &c->dev;

	pin(c->cpu[1]);
	for (;;) {
		u32 seen = LOAD(c->kick.count);	/* the eventfd, cleared */

		if (LOAD(c->stop))
			break;
		/* virtio_net_handle_tx_bh() / virtio_net_tx_bh() */
		cdev_set_notification(d, false);
		for (;;) {
			unsigned int burst = 1 + rnd(&c->vrng, DEV_BURST);

			if (dev_process(c, burst) >= burst)
				continue;
			jitter(&c->vrng);
			cdev_set_notification(d, true);
			if (cdev_queue_empty(d))
				break;
			cdev_set_notification(d, false);
		}
		c->kick_waits++;
		if (!wq_wait(c, &c->kick, seen, &c->vrng))
			break;
	}
	return NULL;
}

/* ---- watchdog ---- */

static void take_sample(struct conc *c, struct sample *s)
{
	s->d_sleeping = LOAD(c->irq.sleeping);
	s->d_seen = LOAD(c->irq.seen);
	s->d_sleeps = LOAD(c->irq.sleeps);
	s->irqs = LOAD(c->irq.count);
	s->v_sleeping = LOAD(c->kick.sleeping);
	s->v_seen = LOAD(c->kick.seen);
	s->v_sleeps = LOAD(c->kick.sleeps);
	s->kicks = LOAD(c->kick.count);
	s->progress = LOAD(c->added) + LOAD(c->returned) + LOAD(c->popped);
}

/* Both asleep, no signal since either looked: nothing can wake them. */
static bool deadlocked(const struct sample *s)
{
	return s->d_sleeping && s->irqs == s->d_seen &&
	       s->v_sleeping && s->kicks == s->v_seen;
}

static enum conc_outcome watch(struct conc *c, double start, double *when)
{
	double last_change = start, t;
	struct sample prev, cur;
	struct timespec tick = { .tv_nsec = 2 * 1000 * 1000 };

	take_sample(c, &prev);
	for (;;) {
		nanosleep(&tick, NULL);
		t = now();
		*when = t - start;
		if (LOAD(c->stop))
			return CONC_OK;
		if (t - start >= c->cfg->seconds)
			STORE(c->enough, 1);
		take_sample(c, &cur);
		c->last = cur;
		if (deadlocked(&cur) && !memcmp(&cur, &prev, sizeof(cur)))
			return CONC_LOST_WAKEUP;
		if (cur.progress != prev.progress)
			last_change = t;
		else if (t - last_change > CONC_STALL_SECONDS)
			return CONC_STALL;
		prev = cur;
	}
}

/* ---- the run ---- */

static void diag(struct conc_res *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void diag(struct conc_res *res, const char *fmt, ...)
{
	size_t n = strlen(res->diag);
	va_list ap;

	if (n + 2 >= sizeof(res->diag))
		return;
	va_start(ap, fmt);
	vsnprintf(res->diag + n, sizeof(res->diag) - n - 1, fmt, ap);
	va_end(ap);
	strcat(res->diag, "\n");
}

/*
 * After the threads are gone (they leave the ring as it was when told to
 * stop): who waited for what, as the watchdog saw it last.
 */
static void explain(struct conc *c, struct conc_res *res)
{
	bool drv_asleep = c->last.d_sleeping, dev_asleep = c->last.v_sleeping;
	struct ppv_vring *vr = &c->vr;
	struct cdev *d = &c->dev;
	u16 avail_idx = cdev_avail_idx_now(d);
	u16 used_idx = le16_to_cpu(vr->used->idx);
	u16 used_event = le16_to_cpu(vr->avail->ring[c->num]);
	__le16 ae;
	u16 avail_event;

	memcpy(&ae, &vr->used->ring[c->num], sizeof(ae));
	avail_event = le16_to_cpu(ae);
	diag(res, "driver: %s, avail_idx %u kicked_idx %u last_used %u in flight %u, avail->flags %#x used_event %u",
	     drv_asleep ? "asleep until interrupted" : "awake",
	     vr->avail_idx, vr->kicked_idx, vr->last_used,
	     ppv_vring_in_flight(vr), le16_to_cpu(vr->avail->flags),
	     used_event);
	diag(res, "device: %s, last_avail_idx %u used_idx %u signalled_used %u, used->flags %#x avail_event %u",
	     dev_asleep ? "asleep until kicked" : "awake",
	     d->last_avail_idx, d->used_idx, d->signalled_used,
	     le16_to_cpu(vr->used->flags), avail_event);
	diag(res, "ring: avail->idx %u used->idx %u; %llu kicks, %llu interrupts",
	     avail_idx, used_idx, (unsigned long long)c->kick.count,
	     (unsigned long long)c->irq.count);
	/* asleep while the device has what it asked to be kicked for */
	res->lost_kick = dev_asleep && avail_idx != d->last_avail_idx;
	/* asleep while the device used what the driver asked to hear of */
	if (vr->event_idx)
		res->lost_irq = drv_asleep && (u16)(used_idx - vr->last_used) >
					      (u16)(used_event - vr->last_used);
	else
		res->lost_irq = drv_asleep && used_idx != vr->last_used &&
				!(vr->avail_flags & VRING_AVAIL_F_NO_INTERRUPT);
	if (res->lost_kick)
		diag(res, "lost kick: %u chains published, the device sleeps without a kick",
		     (u16)(avail_idx - d->last_avail_idx));
	if (res->lost_irq)
		diag(res, "lost interrupt: %u chains used, the driver asked to hear of %s, sleeps without an interrupt",
		     (u16)(used_idx - vr->last_used),
		     vr->event_idx ? "them (used_event)" : "any");
	if (d->errors)
		diag(res, "device saw %lu driver errors, first: %s", d->errors,
		     d->first_error);
	if (c->drv_errors)
		diag(res, "driver saw %lu errors, first: %s", c->drv_errors,
		     c->drv_error);
}

void conc_run(const struct conc_cfg *cfg, struct conc_res *res)
{
	unsigned int num = cfg->num, i;
	size_t bytes = (ppv_vring_bytes(num) + 63) & ~(size_t)63;
	size_t arena_len = (size_t)num * REC_BYTES;
	struct conc *c = calloc(1, sizeof(*c));
	pthread_t drv, dev;
	double start;

	memset(res, 0, sizeof(*res));
	if (!c)
		abort();
	c->cfg = cfg;
	c->ops = cfg->ops;
	c->num = num;
	c->rx = cfg->rx;
	c->mem = aligned_alloc(64, bytes);
	c->arena = aligned_alloc(64, arena_len);
	c->slot = calloc(num, sizeof(*c->slot));
	c->rec = calloc(num, sizeof(*c->rec));
	c->scratch = aligned_alloc(64, CONC_SCRATCH * 64);
	if (!c->mem || !c->arena || !c->slot || !c->rec || !c->scratch)
		abort();
	memset(c->mem, 0, bytes);
	memset(c->arena, 0, arena_len);
	for (i = 0; i < num; i++) {
		c->rec[i].buf = c->arena + (size_t)i * REC_BYTES;
		c->rec[i].table = (void *)(c->rec[i].buf + REC_BUF_BYTES);
		c->rec[i].next_free = i + 1 < num ? &c->rec[i + 1] : NULL;
	}
	c->free_rec = &c->rec[0];
	c->drng.s = cfg->seed * 0x9e3779b97f4a7c15ull + 1;
	c->vrng.s = cfg->seed * 0xbf58476d1ce4e5b9ull + 2;
	if (c->ops->init(&c->vr, num, c->mem, c->slot, cfg->event_idx))
		abort();
	cdev_init(&c->dev, c->mem, num, cfg->event_idx, cfg->rx, cfg->vhost,
		  cfg->desc != CONC_DIRECT, c->arena, arena_len);
	conc_cpus(&c->cpu[0], &c->cpu[1]);

	start = now();
	if (pthread_create(&dev, NULL, dev_thread, c) ||
	    pthread_create(&drv, NULL, drv_thread, c))
		abort();
	res->outcome = watch(c, start, &res->fail_after);
	STORE(c->stop, 1);
	wq_signal(&c->kick);
	wq_signal(&c->irq);
	pthread_join(drv, NULL);
	pthread_join(dev, NULL);
	res->seconds = now() - start;

	res->added = c->added;
	res->returned = c->returned;
	res->indirect = c->indirect;
	res->kicks = c->kicks;
	res->kicks_saved = c->kicks_saved;
	res->irq_waits = c->irq_waits;
	res->irq_sleeps = c->irq.sleeps;
	res->repolls = c->repolls;
	res->kick_waits = c->kick_waits;
	res->kick_sleeps = c->kick.sleeps;
	res->irqs = c->dev.notifies;
	res->irqs_saved = c->dev.quiet;
	res->drv_errors = c->drv_errors;
	res->dev_errors = c->dev.errors;
	res->clean_end = c->returned == c->added && c->popped == c->added &&
			 c->vr.num_free == num && !c->dev.inuse &&
			 !c->dev.nheld && c->dev.last_avail_idx == c->vr.avail_idx &&
			 c->dev.used_idx == c->vr.last_used;
	for (i = 0; i < num; i++)
		res->clean_end &= !c->rec[i].inflight;
	if (res->outcome == CONC_OK && (res->drv_errors || res->dev_errors))
		res->outcome = CONC_ERROR;
	if (res->outcome != CONC_OK)
		explain(c, res);

	cdev_free(&c->dev);
	free(c->mem);
	free(c->arena);
	free(c->slot);
	free(c->rec);
	free(c->scratch);
	free(c);
}
