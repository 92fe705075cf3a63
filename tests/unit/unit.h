/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNIT_H
#define _UNIT_H

void test_vring(void);
void test_rxparse(void);
void test_conc(void);

#endif
