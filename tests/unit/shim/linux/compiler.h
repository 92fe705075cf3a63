/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for the parts of <linux/compiler.h> ppv_vring.c uses. */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* One untorn access the compiler may neither drop, repeat nor merge. */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { \
		*(volatile __typeof__(x) *)&(x) = (val); \
	} while (0)

#endif
