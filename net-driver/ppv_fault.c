// SPDX-License-Identifier: GPL-2.0
/*
 * ppvnet fault injection: one fault_attr per failure site, configured from
 * debugfs (see Documentation/fault-injection/fault-injection.rst). All start
 * with probability 0, so loading the module changes nothing until a test
 * turns a site on.
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>

#include "ppv_fault.h"

static const char * const ppv_fault_names[PPV_FAULT_NR] = {
	[PPV_FAULT_PROBE_ALLOC]	= "fail_probe_alloc",
	[PPV_FAULT_VECTORS]	= "fail_vectors",
	[PPV_FAULT_RING]	= "fail_ring",
	[PPV_FAULT_POOL]	= "fail_pool",
	[PPV_FAULT_IRQ]		= "fail_irq",
	[PPV_FAULT_RX_PAGE]	= "fail_rx_page",
	[PPV_FAULT_TX_OBJ]	= "fail_tx_obj",
	[PPV_FAULT_TX_MAP]	= "fail_tx_map",
	[PPV_FAULT_RX_MAP]	= "fail_rx_map",
	[PPV_FAULT_RX_LIE]	= "lie_rx_used_id",
	[PPV_FAULT_TX_LIE]	= "lie_tx_used_id",
	[PPV_FAULT_RX_MRG]	= "fail_rx_mrg",
	[PPV_FAULT_RX_BIG]	= "fail_rx_big",
	[PPV_FAULT_RX_SKB]	= "fail_rx_skb",
	[PPV_FAULT_TX_INDIR]	= "fail_tx_indir",
	[PPV_FAULT_RX_LIE_NBUF]	= "lie_rx_num_buffers",
	[PPV_FAULT_CTRL]	= "fail_ctrl",
	[PPV_FAULT_CTRL_LOST]	= "lose_ctrl",
	[PPV_FAULT_POLL_TAIL]	= "delay_poll_tail",
	[PPV_FAULT_RESET]	= "fail_reset",
	[PPV_FAULT_TX_KICK]	= "lose_tx_kick",
	[PPV_FAULT_TX_REKICK]	= "lose_tx_rekick",
	[PPV_FAULT_TX_STALL]	= "stall_tx_used",
	[PPV_FAULT_RX_DATA_VALID] = "lie_rx_data_valid",
	[PPV_FAULT_CC_GUEST]	= "fake_cc_guest",
	[PPV_FAULT_CPUHP]	= "fail_cpuhp",
};

static struct fault_attr ppv_fault_attr[PPV_FAULT_NR];

bool ppv_should_fail(enum ppv_fault_site site)
{
	return should_fail(&ppv_fault_attr[site], 1);
}

/* @dir: ppvnet's debugfs directory (ppv_debugfs.c), which goes with the module */
void ppv_fault_init(struct dentry *dir)
{
	static const struct fault_attr init = FAULT_ATTR_INITIALIZER;
	unsigned int i;

	/* debugfs failures only lose the knobs, never the driver */
	for (i = 0; i < PPV_FAULT_NR; i++) {
		ppv_fault_attr[i] = init;
		fault_create_debugfs_attr(ppv_fault_names[i], dir,
					  &ppv_fault_attr[i]);
	}
}

void ppv_fault_exit(void)
{
}
