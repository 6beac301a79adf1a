// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: CSV files, one row per case (RFC 4180 quoting). Every results
 * row repeats the environment and the provenance, so rows from different
 * runs can be mixed; with --repeat, results.csv has one row per repeat of
 * each case (column repeat, 1..repeats). Every row of every file ends in
 * schema_version and kipc_bench_version.
 */
#include <stdio.h>
#include <string.h>

#include "process_report.h"
#include "report.h"
#include "report_file.h"
#include "targets.h"
#include "textbook.h"

/* The last columns of every row of every file, and the end of the row. */
static void version_columns(FILE *f, const struct bench_run *run)
{
	fprintf(f, ",%d,%s\n", BENCH_SCHEMA_VERSION, run->env.version);
}

static int results_csv(const char *dir, const struct bench_run *run)
{
	const struct bench_env *e = &run->env;
	FILE *f = report_open(dir, "results.csv");
	size_t i;

	if (!f)
		return -1;
	fputs("mechanism,title,kind,section,pattern,msg_size,producers,mode,status,verified,"
	      "messages,warmup,elapsed_ns,mean_ns,p50_ns,p99_ns,p999_ns,max_ns,min_ns,"
	      "msgs_per_s,mb_per_s,cpu_ns_per_msg,user_ns_per_msg,sys_ns_per_msg,"
	      "switches_per_msg,syscalls_per_msg,note,kernel,vcpus,where,clock,pinned_cpu,repeat,repeats,"
	      "schema_version,kipc_bench_version,kipc_version,kipc_abi,qemu_version,compiler,"
	      "cpu_flags,kernel_cmdline,cpu_vulnerabilities\n", f);
	/* One row per repeat of each case: repeat 1..N; the mean is the reader's. */
	for (i = 0; i < run->nresults * run->nrepeats; i++) {
		const struct bench_result *r = &run->repeat_results[i];

		fprintf(f, "%s,", r->mech->name);
		report_csv_field(f, r->mech->title);
		fprintf(f, ",%s,%s,%s,%zu,%u,%s,%s,%d,%llu,%llu,%.0f,%.1f,%.1f,%.1f,%.1f,%.1f,"
			   "%.1f,%.1f,%.3f,%.1f,%.1f,%.1f,%.3f,%.3f,",
			bench_kind_name(r->mech->kind), result_section_name(r->section),
			r->pattern == BENCH_ROUND_TRIP ? "round-trip" : "one-way", r->msg_size,
			r->producers, r->threads ? "threads" : "processes",
			result_status_name(r->status), r->verified,
			(unsigned long long)r->messages, (unsigned long long)r->warmup,
			r->elapsed_ns, r->mean_ns, r->p50_ns, r->p99_ns, r->p999_ns, r->max_ns,
			r->min_ns, r->msgs_per_s, r->mb_per_s, r->cpu_ns_per_msg,
			r->user_ns_per_msg, r->sys_ns_per_msg, r->switches_per_msg,
			r->syscalls_per_msg);
		report_csv_field(f, r->note);
		fprintf(f, ",%s,%d,%s,%s,%d,%u,%u,%d,%s,%s,%d,", e->kernel, e->vcpus, e->where,
			e->clock, e->pin_cpu, r->repeat, r->repeats, BENCH_SCHEMA_VERSION,
			e->version, e->prov.kipc_version, e->prov.kipc_abi);
		report_csv_field(f, e->prov.qemu);
		fputc(',', f);
		report_csv_field(f, e->prov.compiler);
		fprintf(f, ",%s,", e->prov.cpu_flags);
		report_csv_field(f, e->prov.cmdline);
		fputc(',', f);
		report_csv_field(f, e->prov.mitigations);
		fputc('\n', f);
	}
	return report_close(f);
}

static int costs_csv(const char *dir, const struct bench_run *run)
{
	FILE *f = report_open(dir, "costs.csv");
	unsigned int i;

	if (!f)
		return -1;
	fputs("operation,between,ns,switches_per_op,ok,note,schema_version,kipc_bench_version\n", f);
	for (i = 0; i < run->ncosts; i++) {
		const struct cost_result *c = &run->costs[i];

		report_csv_field(f, c->name);
		fprintf(f, ",%s,%.1f,%.3f,%d,", c->between, c->ns, c->switches, c->ok);
		report_csv_field(f, c->note);
		version_columns(f, run);
	}
	return report_close(f);
}

static int textbook_csv(const char *dir, const struct bench_run *run)
{
	FILE *f = report_open(dir, "textbook.csv");
	size_t i;

	if (!f)
		return -1;
	fputs("textbook_row,mechanism,data_volume,related_processes,textbook_speed,"
	      "rt_rank,rt_times_slower,small_rank,small_times_slower,bulk_rank,"
	      "bulk_times_slower,typical_use,schema_version,kipc_bench_version\n", f);
	for (i = 0; i < run->nmechs; i++) {
		const struct bench_mech *m = run->mechs[i];
		const struct speed_mark *marks[3];
		struct textbook_row row;
		int k;

		textbook_row(run, m, &row);
		marks[0] = &row.round_trip;
		marks[1] = &row.small;
		marks[2] = &row.large;
		report_csv_field(f, m->textbook.row);
		fprintf(f, ",%s,", m->name);
		report_csv_field(f, m->textbook.volume);
		fprintf(f, ",%s,", m->textbook.related);
		report_csv_field(f, m->textbook.speed);
		for (k = 0; k < 3; k++) {
			if (marks[k]->measured)
				fprintf(f, ",%u,%.3f", marks[k]->rank, marks[k]->times_slower);
			else
				fputs(",,", f);
		}
		fputc(',', f);
		report_csv_field(f, m->textbook.use);
		version_columns(f, run);
	}
	return report_close(f);
}

static int claims_csv(const char *dir, const struct bench_run *run)
{
	struct textbook_claim claims[MAX_CLAIMS];
	unsigned int n = textbook_claims(run, claims), i;
	FILE *f = report_open(dir, "claims.csv");

	if (!f)
		return -1;
	fputs("claim,verdict,evidence,held_in,repeats,schema_version,kipc_bench_version\n", f);
	for (i = 0; i < n; i++) {
		report_csv_field(f, claims[i].claim);
		fprintf(f, ",%s,", claim_verdict_name(claims[i].verdict));
		report_csv_field(f, claims[i].evidence);
		fprintf(f, ",%u,%u", claims[i].held_in, claims[i].repeats);
		version_columns(f, run);
	}
	return report_close(f);
}

static int targets_csv(const char *dir, const struct bench_run *run)
{
	struct target_result t[MAX_TARGETS];
	unsigned int n = targets_judge(run, t), i;
	FILE *f = report_open(dir, "targets.csv");

	if (!f)
		return -1;
	fputs("target,verdict,ratio,met_in,repeats,evidence,schema_version,kipc_bench_version\n", f);
	for (i = 0; i < n; i++) {
		report_csv_field(f, t[i].target);
		fprintf(f, ",%s,", target_verdict_name(t[i].verdict));
		if (t[i].verdict != TARGET_UNTESTED)
			fprintf(f, "%.4f", t[i].ratio);
		fprintf(f, ",%u,%u,", t[i].met_in, t[i].repeats);
		report_csv_field(f, t[i].evidence);
		version_columns(f, run);
	}
	return report_close(f);
}

int report_csv(const char *dir, const struct bench_run *run)
{
	int rc = results_csv(dir, run);

	rc |= targets_csv(dir, run);
	rc |= costs_csv(dir, run);
	rc |= textbook_csv(dir, run);
	rc |= claims_csv(dir, run);
	rc |= process_csv(dir, run);
	rc |= report_growth_csv(dir, run->growth);
	return rc;
}
