// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "tap.h"

static int n_run, n_failed;
static int check_fails;		/* failed CHECK()s since the last tap_result() */

bool tap_check(bool cond, const char *what, const char *file, int line)
{
	/* a failing loop would repeat itself; the first few tell the story */
	if (!cond && check_fails++ < 5)
		printf("# %s:%d: CHECK(%s) failed\n", file, line, what);
	return cond;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void tap_result(const char *fmt, ...)
{
	va_list ap;

	n_run++;
	if (check_fails)
		n_failed++;
	printf("%sok %d - ", check_fails ? "not " : "", n_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	check_fails = 0;
}

void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	n_run++;
	printf("ok %d - ", n_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
	check_fails = 0;
}

int tap_done(void)
{
	printf("1..%d\n%d passed, %d failed\n", n_run, n_run - n_failed,
	       n_failed);
	return n_failed ? 1 : 0;
}
