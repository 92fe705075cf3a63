// SPDX-License-Identifier: GPL-2.0
/*
 * 7. Driver and device in two threads at once (conc.c, cdev.c): in every
 * mode, no lost wakeup and every chain back once with its data; then the
 * proof that this sees ordering: with the mb() of ppv_vring_kick_prepare()
 * or of ppv_vring_enable_cb() deleted (build/mut/, made by mutate.awk), the
 * same test fails. make mutants and make tsan run the whole experiment.
 * Chains through indirect tables (ppv_vring_add_indirect()), alone and mixed
 * with direct ones, run through the same device, which follows the tables.
 */
#include <stdio.h>
#include <string.h>

#include "conc.h"
#include "tap.h"
#include "unit.h"

/* past 65536, so every index wraps; 0.05 to 0.3 s each here under ASan */
#define CONC_CHAINS	70000
#define CONC_CAP	20.0	/* seconds: stop adding (a slow machine fails) */
/*
 * In 50 runs of each (ASan build, a 2-CPU VM with a load average of 3) both
 * mutants were caught every time, after 4 to 160 ms; the cap only bounds a
 * failure.
 */
#define MUT_CAP		5.0

static void print_diag(struct conc_res *res)
{
	char *line, *save;

	for (line = strtok_r(res->diag, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		tap_diag("%s", line);
}

static const char *mode_name(const struct conc_cfg *cfg)
{
	if (!cfg->event_idx)
		return "flags";
	return cfg->vhost ? "event idx, vhost-style device" : "event idx";
}

static struct conc_cfg conc_cfg(bool rx, bool event_idx, bool vhost,
				unsigned int num, enum conc_desc desc)
{
	return (struct conc_cfg){
		.ops = &vring_ops_orig,
		.desc = desc,
		.rx = rx,
		.event_idx = event_idx,
		.vhost = vhost,
		.num = num,
		.seconds = CONC_CAP,
		.transfers = CONC_CHAINS,
		.seed = num + 2 * rx + 4 * event_idx + 8 * vhost + 16 * desc,
		.burst_lines = CONC_BURST_LINES,
		.spin_ns = CONC_SPIN_NS,
	};
}

static void test_conc_ok(bool rx, bool event_idx, bool vhost, unsigned int num,
			 enum conc_desc desc)
{
	struct conc_cfg cfg = conc_cfg(rx, event_idx, vhost, num, desc);
	struct conc_res res;

	conc_run(&cfg, &res);
	if (!CHECK(res.outcome == CONC_OK))
		tap_diag("%s after %.3f s", conc_outcome_name(res.outcome),
			 res.fail_after);
	print_diag(&res);
	/* every chain added came back once, its data intact */
	CHECK(res.returned == CONC_CHAINS);
	CHECK(res.clean_end);
	CHECK(!res.drv_errors && !res.dev_errors);
	/* both sides re-armed and waited for the other, and got woken */
	CHECK(res.irq_waits > 0 && res.kick_waits > 0);
	/* and notifications were really off at times */
	CHECK(res.kicks_saved > 0 && res.irqs_saved > 0);
	/* the chains went the way asked */
	if (desc == CONC_DIRECT)
		CHECK(res.indirect == 0);
	else if (desc == CONC_INDIRECT)
		CHECK(res.indirect == res.added);
	else
		CHECK(res.indirect > res.added / 4 &&
		      res.added - res.indirect > res.added / 4);
	tap_result("concurrent, %s, %s, ring %u%s%s: %llu chains in %.2f s, none lost; waits for interrupts %llu (slept %llu), for kicks %llu (slept %llu); kicks %llu (%llu saved), interrupts %llu (%llu saved)",
		   rx ? "receive" : "transmit", mode_name(&cfg), num,
		   desc == CONC_DIRECT ? "" : ", ",
		   desc == CONC_DIRECT ? "" : conc_desc_name(desc),
		   (unsigned long long)res.returned, res.seconds,
		   (unsigned long long)res.irq_waits,
		   (unsigned long long)res.irq_sleeps,
		   (unsigned long long)res.kick_waits,
		   (unsigned long long)res.kick_sleeps,
		   (unsigned long long)res.kicks,
		   (unsigned long long)res.kicks_saved,
		   (unsigned long long)res.irqs,
		   (unsigned long long)res.irqs_saved);
}

/* The test must fail on @ops, with a lost kick or a lost interrupt. */
static void test_conc_mutant(const struct vring_ops *ops, bool kick, bool rx,
			     bool event_idx, bool vhost, unsigned int num)
{
	struct conc_cfg cfg = conc_cfg(rx, event_idx, vhost, num, CONC_DIRECT);
	struct conc_res res;
	int cpu0, cpu1;

	if (conc_cpus(&cpu0, &cpu1) < 2) {
		tap_skip("one CPU: no store-load reordering to see",
			 "%s: concurrent test fails", ops->name);
		return;
	}
	cfg.ops = ops;
	cfg.transfers = 0;
	cfg.seconds = MUT_CAP;
	conc_run(&cfg, &res);
	print_diag(&res);
	CHECK(res.outcome == CONC_LOST_WAKEUP);
	CHECK(kick ? res.lost_kick : res.lost_irq);
	tap_result("%s: concurrent test fails: %s (lost %s) after %.3f s, %llu chains; %s, %s, ring %u",
		   ops->name, conc_outcome_name(res.outcome),
		   kick ? "kick" : "interrupt", res.fail_after,
		   (unsigned long long)res.returned,
		   rx ? "receive" : "transmit", mode_name(&cfg), num);
}

void test_conc(void)
{
	static const unsigned int nums[] = { 16, 256 };
	unsigned int i, rx, mode;

	for (rx = 0; rx < 2; rx++)
		for (mode = 0; mode < 3; mode++)
			for (i = 0; i < 2; i++)
				test_conc_ok(!rx, mode > 0, mode == 2, nums[i],
					     CONC_DIRECT);
	/* chains through indirect tables, alone and mixed with direct ones */
	test_conc_ok(true, false, false, 16, CONC_MIXED);
	test_conc_ok(true, true, false, 256, CONC_INDIRECT);
	test_conc_ok(false, true, true, 16, CONC_MIXED);
	test_conc_ok(false, false, false, 256, CONC_INDIRECT);
	test_conc_mutant(&vring_ops_kick_prepare__mb, true, false, true, true, 16);
	test_conc_mutant(&vring_ops_enable_cb__mb, false, true, true, false, 256);
}
