// SPDX-License-Identifier: GPL-2.0
/* net-driver/ppv_vring.c as it is, as a vring_ops table. */
#include "vring_ops.h"

const struct vring_ops vring_ops_orig = VRING_OPS("ppv_vring.c");
