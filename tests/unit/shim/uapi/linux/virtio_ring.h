/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's <uapi/linux/virtio_ring.h> is the host's <linux/virtio_ring.h>
 * (linux-libc-dev): VRING_* flags and vring_need_event().
 */
#ifndef _SHIM_UAPI_LINUX_VIRTIO_RING_H
#define _SHIM_UAPI_LINUX_VIRTIO_RING_H

#include <linux/virtio_ring.h>

#endif
