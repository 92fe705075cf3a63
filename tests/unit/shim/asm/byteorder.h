/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <asm/byteorder.h>: the host's uapi header defines
 * __cpu_to_le16() and friends (identity on x86, still typed __le16 etc.);
 * add the kernel's short names.
 */
#ifndef _SHIM_ASM_BYTEORDER_H
#define _SHIM_ASM_BYTEORDER_H

#include_next <asm/byteorder.h>

#define cpu_to_le16	__cpu_to_le16
#define cpu_to_le32	__cpu_to_le32
#define cpu_to_le64	__cpu_to_le64
#define le16_to_cpu	__le16_to_cpu
#define le32_to_cpu	__le32_to_cpu
#define le64_to_cpu	__le64_to_cpu

#endif
