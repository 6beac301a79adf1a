// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: measure kipc and the stock Linux IPC mechanisms side by side.
 * This file only sequences a run: options, environment, limits, the cases
 * one by one, N times with --repeat (progress and time left on stderr), the
 * costs, then every output. See bench.h for the mechanism interface and
 * kipc-bench.1 for the command.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case_runner.h"
#include "cases.h"
#include "costs.h"
#include "eta.h"
#include "process_model.h"
#include "growth.h"
#include "raise_limits.h"
#include "repeats.h"
#include "report.h"
#include "report_file.h"

#define MAX_MECHS	64

static void list_mechs(void)
{
	const struct bench_mech *const *m;

	for (m = bench_mechs; *m; m++) {
		const char *why = (*m)->unavailable ? (*m)->unavailable() : NULL;

		printf("%-20s %-14s %s%s%s%s\n", (*m)->name, bench_kind_name((*m)->kind),
		       (*m)->how, why ? " [" : "", why ? why : "", why ? "]" : "");
		if ((*m)->caps & BENCH_CAP_NAMED_ONLY)
			printf("%-20s %-14s (slow, or a variant: runs only when named in --mech)\n", "", "");
		if ((*m)->caps & BENCH_CAP_HIDDEN)
			printf("%-20s %-14s (test only: runs only when named in --mech)\n", "", "");
	}
}

static int mkdir_p(const char *dir)
{
	char path[4096], *p;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0755) && errno != EEXIST ? -1 : 0;
}

/* "~12m05s", "~40s", or "?" before the first case gives a rate. */
static const char *time_left(double s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "?");
	else if (s >= 60)
		snprintf(buf, len, "~%um%02us", (unsigned int)s / 60, (unsigned int)s % 60);
	else
		snprintf(buf, len, "~%.0fs", s);
	return buf;
}

static void progress(size_t i, size_t n, const struct bench_case *c,
		     const struct bench_result *r, unsigned int k, unsigned int repeats,
		     double left_s)
{
	char size[32], what[256], left[32], rep[32] = "";

	format_size(c->cfg.msg_size, size, sizeof(size));
	if (r->status != RESULT_OK)
		snprintf(what, sizeof(what), "%s: %s", result_status_name(r->status), r->note);
	else if (c->cfg.pattern == BENCH_ROUND_TRIP)
		snprintf(what, sizeof(what), "mean %.2f us, p99 %.2f us", r->mean_ns / 1e3,
			 r->p99_ns / 1e3);
	else
		snprintf(what, sizeof(what), "%.0f msgs/s, %.1f MB/s", r->msgs_per_s,
			 r->mb_per_s);
	if (repeats > 1)
		snprintf(rep, sizeof(rep), "repeat %u/%u, ", k + 1, repeats);
	fprintf(stderr, "kipc-bench: [%s%zu/%zu, %zu left, %s] %s %s %s x%u %s: %s\n", rep,
		i + 1, n, n - i - 1 + (size_t)(repeats - k - 1) * n,
		time_left(left_s, left, sizeof(left)), result_section_name(c->section),
		c->mech->name, size, c->cfg.producers, c->cfg.threads ? "threads" : "processes",
		what);
}

static int write_files(const struct bench_run *run, const char *dir)
{
	FILE *f;
	int rc = 0;

	if (mkdir_p(dir)) {
		fprintf(stderr, "kipc-bench: cannot create %s: %s\n", dir, strerror(errno));
		return -1;
	}
	f = report_open(dir, "table.txt");
	if (!f)
		return -1;
	report_tables(f, run);
	if (fclose(f))
		rc = -1;
	rc |= report_csv(dir, run);
	rc |= report_json(dir, run);
	rc |= report_plots(dir, run, run->opts->plot);
	return rc;
}

int main(int argc, char **argv)
{
	const struct bench_mech *mechs[MAX_MECHS];
	struct bench_options o;
	struct bench_run run;
	struct case_list cases;
	struct eta eta;
	size_t i, failed = 0;
	unsigned int k;

	/* What the creation section's vfork+exec and posix_spawn start. */
	if (argc == 2 && !strcmp(argv[1], CREATION_EXIT_ARG))
		return 0;
	options_parse(&o, argc, argv);
	if (o.list) {
		list_mechs();
		return 0;
	}
	memset(&run, 0, sizeof(run));
	run.opts = &o;
	run.mechs = mechs;
	run.nmechs = cases_select_mechs(&o, mechs, MAX_MECHS);
	if (o.pin_cpu >= 0) {
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(o.pin_cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one)) {
			fprintf(stderr, "kipc-bench: cannot pin to CPU %d: %s\n", o.pin_cpu,
				strerror(errno));
			return 1;
		}
	}
	env_collect(&run.env, &o);
	limits_raise(&run.env, o.raise_limits);
	if (cases_build(&o, mechs, run.nmechs, &cases)) {
		fprintf(stderr, "kipc-bench: out of memory\n");
		return 1;
	}
	run.nrepeats = o.repeat;
	run.results = calloc(cases.n ? cases.n : 1, sizeof(*run.results));
	run.repeat_results = calloc(cases.n ? cases.n * o.repeat : 1, sizeof(*run.results));
	if (!run.results || !run.repeat_results || eta_init(&eta, &cases, o.repeat)) {
		fprintf(stderr, "kipc-bench: out of memory\n");
		return 1;
	}
	/* Repeat by repeat, so that drift over the run shows in the spread. */
	for (k = 0; k < o.repeat; k++)
		for (i = 0; i < cases.n; i++) {
			struct bench_result *r = &run.repeat_results[k * cases.n + i];

			eta_case_start(&eta);
			case_run(&cases.v[i], &o, run.env.clock_read_ns, r);
			r->repeat = k + 1;
			r->repeats = o.repeat;
			eta_case_done(&eta, k, i);
			progress(i, cases.n, &cases.v[i], r, k, o.repeat, eta_left(&eta, k, i));
			failed += r->status == RESULT_FAILED;
		}
	eta_free(&eta);
	run.nresults = cases.n;
	repeats_aggregate(&run);
	if (o.sections & SECTION_COSTS) {
		fprintf(stderr, "kipc-bench: costs: system call, context switches\n");
		run.ncosts = costs_measure(&o, run.env.clock_read_ns, run.costs);
	}
	process_model_measure(&run);
	if (o.sections & SECTION_GROWTH)
		run.growth = growth_measure(&o, mechs, run.nmechs);
	if (o.json)
		report_json_to(stdout, &run);
	else
		report_tables(stdout, &run);
	if (o.out_dir && write_files(&run, o.out_dir)) {
		fprintf(stderr, "kipc-bench: writing results to %s failed\n", o.out_dir);
		failed++;
	}
	if (failed) {
		fprintf(stderr, "kipc-bench: %zu case%s FAILED:\n", failed, failed == 1 ? "" : "s");
		for (i = 0; i < run.nresults; i++)
			if (run.results[i].status == RESULT_FAILED)
				fprintf(stderr, "  %s %s %zu B: %s\n", run.results[i].mech->name,
					result_section_name(run.results[i].section),
					run.results[i].msg_size, run.results[i].note);
	}
	cases_free(&cases);
	free(run.results);
	free(run.repeat_results);
	free(run.growth);
	return failed ? 1 : 0;
}
