/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP output for the unit tests. A test makes any number of CHECK()s
 * and ends with tap_result("description"): one "ok N - ..." line, or
 * "not ok N - ..." after "# file:line: condition" lines for the first few
 * failed checks. tap_done() prints the plan and "N passed, M failed".
 */
#ifndef _TAP_H
#define _TAP_H

#include <stdbool.h>

bool tap_check(bool cond, const char *what, const char *file, int line);
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tap_result(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "ok N - ... # SKIP why": a test this machine cannot run */
void tap_skip(const char *why, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int tap_done(void);

/* Evaluates to the condition, so a long loop can stop at its first failure. */
#define CHECK(cond)	tap_check(!!(cond), #cond, __FILE__, __LINE__)

#endif
