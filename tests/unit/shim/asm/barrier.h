/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/barrier.h>: real fences, as the concurrent test
 * (test_conc.c) runs the device in another thread on another CPU. On x86 the
 * acquire and release fences emit no instruction, like the kernel's
 * dma_rmb()/dma_wmb() there, but still keep the compiler from moving memory
 * accesses across them; mb() is a full fence (a locked instruction or
 * mfence), like the kernel's. smp_*() are for the device models, as QEMU
 * spells them.
 *
 * ThreadSanitizer (clang 14) ignores __atomic_thread_fence(), so under
 * SHIM_TSAN the barriers go through tsan_fence.c, which tells it what they
 * order.
 */
#ifndef _SHIM_ASM_BARRIER_H
#define _SHIM_ASM_BARRIER_H

#ifdef SHIM_TSAN
void shim_tsan_fence(int order);
#define mb()		shim_tsan_fence(__ATOMIC_SEQ_CST)
#define dma_rmb()	shim_tsan_fence(__ATOMIC_ACQUIRE)
#define dma_wmb()	shim_tsan_fence(__ATOMIC_RELEASE)
#else
#define mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dma_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define dma_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#endif

#define smp_mb()	mb()
#define smp_rmb()	dma_rmb()
#define smp_wmb()	dma_wmb()

#endif
