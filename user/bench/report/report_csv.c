// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: CSV files, one row per case (RFC 4180 quoting). Every results
 * row repeats the environment, so rows from different runs can be mixed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "textbook.h"

static void csv_text(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "kipc-bench: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

static int close_checked(FILE *f)
{
	int bad = ferror(f);

	return fclose(f) || bad ? -1 : 0;
}

static int results_csv(const char *dir, const struct bench_run *run)
{
	const struct bench_env *e = &run->env;
	FILE *f = open_in(dir, "results.csv");
	size_t i;

	if (!f)
		return -1;
	fputs("mechanism,title,kind,section,pattern,msg_size,producers,mode,status,verified,"
	      "messages,warmup,elapsed_ns,mean_ns,p50_ns,p99_ns,p999_ns,max_ns,min_ns,"
	      "msgs_per_s,mb_per_s,cpu_ns_per_msg,user_ns_per_msg,sys_ns_per_msg,"
	      "switches_per_msg,note,kernel,vcpus,where,clock,pinned_cpu\n", f);
	for (i = 0; i < run->nresults; i++) {
		const struct bench_result *r = &run->results[i];

		fprintf(f, "%s,", r->mech->name);
		csv_text(f, r->mech->title);
		fprintf(f, ",%s,%s,%s,%zu,%u,%s,%s,%d,%llu,%llu,%.0f,%.1f,%.1f,%.1f,%.1f,%.1f,"
			   "%.1f,%.1f,%.3f,%.1f,%.1f,%.1f,%.3f,",
			bench_kind_name(r->mech->kind), result_section_name(r->section),
			r->pattern == BENCH_ROUND_TRIP ? "round-trip" : "one-way", r->msg_size,
			r->producers, r->threads ? "threads" : "processes",
			result_status_name(r->status), r->verified,
			(unsigned long long)r->messages, (unsigned long long)r->warmup,
			r->elapsed_ns, r->mean_ns, r->p50_ns, r->p99_ns, r->p999_ns, r->max_ns,
			r->min_ns, r->msgs_per_s, r->mb_per_s, r->cpu_ns_per_msg,
			r->user_ns_per_msg, r->sys_ns_per_msg, r->switches_per_msg);
		csv_text(f, r->note);
		fprintf(f, ",%s,%d,%s,%s,%d\n", e->kernel, e->vcpus, e->where, e->clock, e->pin_cpu);
	}
	return close_checked(f);
}

static int costs_csv(const char *dir, const struct bench_run *run)
{
	FILE *f = open_in(dir, "costs.csv");
	unsigned int i;

	if (!f)
		return -1;
	fputs("operation,between,ns,switches_per_op,ok,note\n", f);
	for (i = 0; i < run->ncosts; i++) {
		const struct cost_result *c = &run->costs[i];

		csv_text(f, c->name);
		fprintf(f, ",%s,%.1f,%.3f,%d,", c->between, c->ns, c->switches, c->ok);
		csv_text(f, c->note);
		fputc('\n', f);
	}
	return close_checked(f);
}

static int textbook_csv(const char *dir, const struct bench_run *run)
{
	FILE *f = open_in(dir, "textbook.csv");
	size_t i;

	if (!f)
		return -1;
	fputs("textbook_row,mechanism,data_volume,related_processes,textbook_speed,"
	      "rt_rank,rt_times_slower,small_rank,small_times_slower,bulk_rank,"
	      "bulk_times_slower,typical_use\n", f);
	for (i = 0; i < run->nmechs; i++) {
		const struct bench_mech *m = run->mechs[i];
		const struct speed_mark *marks[3];
		struct textbook_row row;
		int k;

		textbook_row(run, m, &row);
		marks[0] = &row.round_trip;
		marks[1] = &row.small;
		marks[2] = &row.large;
		csv_text(f, m->textbook.row);
		fprintf(f, ",%s,", m->name);
		csv_text(f, m->textbook.volume);
		fprintf(f, ",%s,", m->textbook.related);
		csv_text(f, m->textbook.speed);
		for (k = 0; k < 3; k++) {
			if (marks[k]->measured)
				fprintf(f, ",%u,%.3f", marks[k]->rank, marks[k]->times_slower);
			else
				fputs(",,", f);
		}
		fputc(',', f);
		csv_text(f, m->textbook.use);
		fputc('\n', f);
	}
	return close_checked(f);
}

static int claims_csv(const char *dir, const struct bench_run *run)
{
	struct textbook_claim claims[MAX_CLAIMS];
	unsigned int n = textbook_claims(run, claims), i;
	FILE *f = open_in(dir, "claims.csv");

	if (!f)
		return -1;
	fputs("claim,verdict,evidence\n", f);
	for (i = 0; i < n; i++) {
		csv_text(f, claims[i].claim);
		fprintf(f, ",%s,", claim_verdict_name(claims[i].verdict));
		csv_text(f, claims[i].evidence);
		fputc('\n', f);
	}
	return close_checked(f);
}

int report_csv(const char *dir, const struct bench_run *run)
{
	int rc = results_csv(dir, run);

	rc |= costs_csv(dir, run);
	rc |= textbook_csv(dir, run);
	rc |= claims_csv(dir, run);
	rc |= report_growth_csv(dir, run->growth);
	return rc;
}
