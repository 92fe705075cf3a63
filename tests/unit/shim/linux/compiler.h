/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the parts of <linux/compiler.h> ppv_vring.c uses. */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#ifdef SHIM_TSAN
/*
 * For ThreadSanitizer: relaxed atomics (what the kernel memory model says
 * READ_ONCE/WRITE_ONCE are), so it reports no race on them, and hooks that
 * let tsan_fence.c carry the fences' ordering through them.
 */
void shim_tsan_write(const volatile void *p);
void shim_tsan_read(const volatile void *p);
#define READ_ONCE(x)	({ \
		__typeof__(x) __r = __atomic_load_n(&(x), __ATOMIC_RELAXED); \
		__atomic_signal_fence(__ATOMIC_SEQ_CST); \
		shim_tsan_read(&(x)); \
		__r; \
	})
#define WRITE_ONCE(x, val)	do { \
		shim_tsan_write(&(x)); \
		__atomic_signal_fence(__ATOMIC_SEQ_CST); \
		__atomic_store_n(&(x), (val), __ATOMIC_RELAXED); \
	} while (0)
#else
/* One untorn access the compiler may neither drop, repeat nor merge. */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { \
		*(volatile __typeof__(x) *)&(x) = (val); \
	} while (0)
#endif

#endif
