/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver side of the ring as a table, so test_conc.c can run the same
 * test against net-driver/ppv_vring.c and against copies of it with one
 * barrier deleted (mutate.awk makes them; the Makefile compiles each with
 * its functions renamed by vring_mut.h and a table at the end).
 */
#ifndef _VRING_OPS_H
#define _VRING_OPS_H

#include "ppv_vring.h"

struct vring_ops {
	const char *name;	/* "ppv_vring.c", or the barrier deleted */
	int (*init)(struct ppv_vring *vr, unsigned int num, void *mem,
		    struct ppv_vring_slot *slot, bool event_idx);
	int (*add)(struct ppv_vring *vr, const struct ppv_vring_buf *bufs,
		   unsigned int out, unsigned int in, void *token);
	int (*add_indirect)(struct ppv_vring *vr, struct ppv_vring_desc *table,
			    u64 table_addr, const struct ppv_vring_buf *bufs,
			    unsigned int out, unsigned int in, void *token);
	void (*publish)(struct ppv_vring *vr);
	bool (*kick_prepare)(struct ppv_vring *vr);
	int (*get_used)(struct ppv_vring *vr, void **token, u32 *len);
	void (*disable_cb)(struct ppv_vring *vr);
	bool (*enable_cb)(struct ppv_vring *vr);
	bool (*enable_cb_delayed)(struct ppv_vring *vr);
};

#define VRING_OPS(n) {					\
	.name = n,					\
	.init = ppv_vring_init,				\
	.add = ppv_vring_add,				\
	.add_indirect = ppv_vring_add_indirect,		\
	.publish = ppv_vring_publish,			\
	.kick_prepare = ppv_vring_kick_prepare,		\
	.get_used = ppv_vring_get_used,			\
	.disable_cb = ppv_vring_disable_cb,		\
	.enable_cb = ppv_vring_enable_cb,		\
	.enable_cb_delayed = ppv_vring_enable_cb_delayed, \
}

/* The barriers of ppv_vring.c: function and barrier (see ppv_vring.h). */
#define MUTANTS(X)				\
	X(publish, dma_wmb)			\
	X(kick_prepare, mb)			\
	X(get_used, dma_rmb)			\
	X(enable_cb, mb)			\
	X(enable_cb_delayed, mb)

extern const struct vring_ops vring_ops_orig;
#define MUT_DECL(fn, b) extern const struct vring_ops vring_ops_##fn##__##b;
MUTANTS(MUT_DECL)
#undef MUT_DECL

#endif
