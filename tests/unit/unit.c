// SPDX-License-Identifier: GPL-2.0
/* Userspace unit tests of net-driver code, TAP on stdout. */
#include "tap.h"
#include "unit.h"

int main(void)
{
	test_vring();
	test_rxparse();
	test_conc();
	return tap_done();
}
