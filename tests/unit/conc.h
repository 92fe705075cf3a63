/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver side of ppv_vring.c and the device of cdev.c, each in a thread
 * of its own, pinned to a CPU of its own, kicks and interrupts as real
 * blocking waits (futex, counted like an eventfd). See conc.c.
 */
#ifndef _CONC_H
#define _CONC_H

#include "vring_ops.h"

/* How the driver puts chains on the ring. */
enum conc_desc {
	CONC_DIRECT,		/* ppv_vring_add() */
	CONC_MIXED,		/* each chain either way, at random */
	CONC_INDIRECT,		/* ppv_vring_add_indirect() */
};

struct conc_cfg {
	const struct vring_ops *ops;
	enum conc_desc desc;
	bool rx;		/* receive-style, else transmit-style */
	bool event_idx;
	bool vhost;		/* the device sets avail_event as vhost does */
	unsigned int num;	/* ring size */
	double seconds;		/* stop adding after this long */
	u64 transfers;		/* or after this many chains (0: no limit) */
	unsigned int seed;
	unsigned int burst_lines;	/* stores before each re-arm, see conc.c */
	unsigned int spin_ns;		/* spin before sleeping, see conc.c */
};

enum conc_outcome {
	CONC_OK,
	CONC_LOST_WAKEUP,	/* both sides asleep, nothing pending to wake them */
	CONC_STALL,		/* no progress for CONC_STALL_SECONDS, not both asleep */
	CONC_ERROR,		/* data or protocol error, every chain back */
};

#define CONC_STALL_SECONDS	2.0
#define CONC_BURST_LINES	64	/* the defaults, see conc.c */
#define CONC_SPIN_NS		50000

struct conc_res {
	enum conc_outcome outcome;
	double seconds;		/* run time, to the end or the failure */
	double fail_after;	/* seconds from the start to the failure seen */
	u64 added, returned;	/* chains */
	u64 indirect;		/* of the added, through an indirect table */
	u64 kicks, kicks_saved;	/* driver: kick_prepare true / false */
	u64 irq_waits;		/* driver re-armed and waited for an interrupt */
	u64 irq_sleeps;		/* of those, got as far as sleeping (futex) */
	u64 repolls;		/* enable_cb*() said: poll again */
	u64 kick_waits;		/* device re-armed and waited for a kick */
	u64 kick_sleeps;	/* of those, got as far as sleeping */
	u64 irqs, irqs_saved;	/* device: should_notify true / false */
	unsigned long drv_errors, dev_errors;
	bool clean_end;		/* every chain back, ring and device idle */
	bool lost_kick;		/* at a lost wakeup: the device sleeps, chains posted */
	bool lost_irq;		/* at a lost wakeup: the driver sleeps, chains used */
	char diag[1024];	/* lines for tap_diag() */
};

void conc_run(const struct conc_cfg *cfg, struct conc_res *res);
/* CPUs the threads may use, and the two they are pinned to. */
int conc_cpus(int *cpu0, int *cpu1);
const char *conc_outcome_name(enum conc_outcome o);
const char *conc_desc_name(enum conc_desc d);

#endif
