/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced in (-include) when compiling a mutant of ppv_vring.c, with
 * -DMUT=<function>__<barrier>: its functions get that prefix, so every
 * mutant links into one binary next to the real ppv_vring.c.
 */
#define MUT_CAT2(a, b)	mut_##a##_##b
#define MUT_CAT(a, b)	MUT_CAT2(a, b)
#define MUT_STR2(a)	#a
#define MUT_STR(a)	MUT_STR2(a)

#define ppv_vring_init			MUT_CAT(MUT, ppv_vring_init)
#define ppv_vring_add			MUT_CAT(MUT, ppv_vring_add)
#define ppv_vring_add_indirect		MUT_CAT(MUT, ppv_vring_add_indirect)
#define ppv_vring_publish		MUT_CAT(MUT, ppv_vring_publish)
#define ppv_vring_kick_prepare		MUT_CAT(MUT, ppv_vring_kick_prepare)
#define ppv_vring_has_used		MUT_CAT(MUT, ppv_vring_has_used)
#define ppv_vring_get_used		MUT_CAT(MUT, ppv_vring_get_used)
#define ppv_vring_disable_cb		MUT_CAT(MUT, ppv_vring_disable_cb)
#define ppv_vring_enable_cb		MUT_CAT(MUT, ppv_vring_enable_cb)
#define ppv_vring_enable_cb_delayed	MUT_CAT(MUT, ppv_vring_enable_cb_delayed)
#define ppv_vring_detach_unused		MUT_CAT(MUT, ppv_vring_detach_unused)
