// SPDX-License-Identifier: GPL-2.0
/*
 * The concurrent test on its own, for longer runs and the mutation
 * experiment (make mutants, make tsan):
 *   conc [-i IMPL] [-m rx|tx|all] [-e 0|1|all] [-v] [-n NUM] [-t SECONDS]
 *        [-c CHAINS] [-r RUNS] [-s SEED] [-b LINES] [-p SPIN_NS]
 *        [-d direct|mixed|indirect]
 * -v: the device sets avail_event as vhost does (with -e 1); -d: chains
 * directly on the ring (default), through indirect tables, or each either
 * way at random; -t: stop adding
 * after SECONDS (default 1), -c: or after CHAINS; -b, -p: the amplifiers of
 * conc.c (drv_store_burst(), wq_wait()), 0 to turn them off.
 * IMPL is orig (default) or a mutant (publish__dma_wmb, kick_prepare__mb,
 * get_used__dma_rmb, enable_cb__mb, enable_cb_delayed__mb). One TAP line per
 * run: ok when the outcome is what the implementation deserves (orig: no
 * failure; a mutant: a failure), then a summary line per configuration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conc.h"
#include "tap.h"

static const struct vring_ops *const impls[] = {
	&vring_ops_orig,
#define MUT_PTR(fn, b) &vring_ops_##fn##__##b,
	MUTANTS(MUT_PTR)
#undef MUT_PTR
};

static const char *const impl_names[] = {
	"orig",
#define MUT_NAME(fn, b) #fn "__" #b,
	MUTANTS(MUT_NAME)
#undef MUT_NAME
};

static const char *impl_name(const struct vring_ops *ops)
{
	unsigned int i;

	for (i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
		if (impls[i] == ops)
			return impl_names[i];
	return "?";
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void run(const struct conc_cfg *cfg, bool mutant, unsigned int runs)
{
	double *t = calloc(runs, sizeof(double)), total = 0;
	unsigned int r, failed = 0, n_out[CONC_ERROR + 1] = { 0 };
	unsigned long long chains = 0;
	struct conc_cfg c = *cfg;
	struct conc_res res;
	char *line;

	if (!t)
		abort();
	for (r = 0; r < runs; r++) {
		c.seed = cfg->seed + r;
		conc_run(&c, &res);
		n_out[res.outcome]++;
		total += res.seconds;
		chains += res.returned;
		if (res.outcome != CONC_OK)
			t[failed++] = res.fail_after;
		if ((res.outcome != CONC_OK) != mutant || getenv("CONC_VERBOSE"))
			for (line = strtok(res.diag, "\n"); line;
			     line = strtok(NULL, "\n"))
				tap_diag("%s", line);
		CHECK((res.outcome != CONC_OK) == mutant);
		tap_result("%s, %s%s%s%s, ring %u: %s after %.3f s, %llu chains back, %llu kicks (%llu saved), %llu irqs (%llu saved), driver waited %llu (slept %llu), device waited %llu (slept %llu)",
			   c.ops->name, c.rx ? "rx" : "tx",
			   c.event_idx ? " event idx" : " flags",
			   c.vhost ? " vhost" : "",
			   c.desc == CONC_DIRECT ? "" :
			   c.desc == CONC_MIXED ? " mixed" : " indirect", c.num,
			   conc_outcome_name(res.outcome),
			   res.outcome == CONC_OK ? res.seconds : res.fail_after,
			   (unsigned long long)res.returned,
			   (unsigned long long)res.kicks,
			   (unsigned long long)res.kicks_saved,
			   (unsigned long long)res.irqs,
			   (unsigned long long)res.irqs_saved,
			   (unsigned long long)res.irq_waits,
			   (unsigned long long)res.irq_sleeps,
			   (unsigned long long)res.kick_waits,
			   (unsigned long long)res.kick_sleeps);
	}
	qsort(t, failed, sizeof(double), cmp_double);
	printf("# SUMMARY %s %s %s%s ring %u: %u runs, %u ok %u lost-wakeup %u stall %u error; caught in %u/%u, median %.3f s max %.3f s; %.0f chains/s\n",
	       impl_name(c.ops),
	       c.rx ? "rx" : "tx", c.event_idx ? "event" : "flags",
	       c.vhost ? " vhost" : "", c.num,
	       runs, n_out[CONC_OK], n_out[CONC_LOST_WAKEUP], n_out[CONC_STALL],
	       n_out[CONC_ERROR], failed, runs, failed ? t[failed / 2] : 0,
	       failed ? t[failed - 1] : 0, total > 0 ? chains / total : 0);
	free(t);
}

int main(int argc, char **argv)
{
	struct conc_cfg cfg = { .ops = &vring_ops_orig, .num = 256,
				.seconds = 1, .seed = 1,
				.burst_lines = CONC_BURST_LINES,
				.spin_ns = CONC_SPIN_NS };
	const char *mode = "all", *ev = "all";
	unsigned int runs = 1, i, m, e;
	int opt;

	while ((opt = getopt(argc, argv, "i:m:e:n:t:c:r:s:b:p:d:v")) != -1) {
		switch (opt) {
		case 'd':
			if (!strcmp(optarg, "direct")) {
				cfg.desc = CONC_DIRECT;
			} else if (!strcmp(optarg, "mixed")) {
				cfg.desc = CONC_MIXED;
			} else if (!strcmp(optarg, "indirect")) {
				cfg.desc = CONC_INDIRECT;
			} else {
				fprintf(stderr, "conc: -d direct|mixed|indirect\n");
				return 2;
			}
			break;
		case 'i':
			for (i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
				if (!strcmp(optarg, impl_names[i]))
					break;
			if (i == sizeof(impls) / sizeof(impls[0])) {
				fprintf(stderr, "conc: no implementation %s\n", optarg);
				return 2;
			}
			cfg.ops = impls[i];
			break;
		case 'm':
			mode = optarg;
			break;
		case 'e':
			ev = optarg;
			break;
		case 'n':
			cfg.num = atoi(optarg);
			break;
		case 't':
			cfg.seconds = atof(optarg);
			break;
		case 'c':
			cfg.transfers = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 's':
			cfg.seed = atoi(optarg);
			break;
		case 'v':
			cfg.vhost = true;
			break;
		case 'p':
			cfg.spin_ns = atoi(optarg);
			break;
		case 'b':
			cfg.burst_lines = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: see conc_main.c\n");
			return 2;
		}
	}
	for (m = 0; m < 2; m++) {
		cfg.rx = m == 0;
		if (strcmp(mode, "all") && strcmp(mode, cfg.rx ? "rx" : "tx"))
			continue;
		for (e = 0; e < 2; e++) {
			cfg.event_idx = e;
			if (strcmp(ev, "all") && atoi(ev) != (int)e)
				continue;
			run(&cfg, cfg.ops != &vring_ops_orig, runs);
		}
	}
	return tap_done();
}
