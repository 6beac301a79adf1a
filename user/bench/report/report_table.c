// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the aligned tables on stdout (and in table.txt). A case that
 * did not run says why in its cell: "n/a" (the mechanism cannot), "missing"
 * (not in this build) or "FAILED"; the reasons follow each table.
 */
#include <stdio.h>
#include <string.h>

#include "cases.h"
#include "process_report.h"
#include "report.h"
#include "targets.h"
#include "textbook.h"

#define NAME_W	22
#define CELL_W	10
#define SPREAD_W 17	/* a cell with its spread: "2.29M±11k", "11.01±0.02" */

/* With --repeat N > 1 cells say "mean±sd" over the repeats; with one, as before. */
static bool spread_shown(const struct bench_run *run)
{
	return run->nrepeats > 1;
}

static int cell_width(const struct bench_run *run)
{
	return spread_shown(run) ? SPREAD_W : CELL_W;
}

/* Right-align @s in @width columns; "±" is two bytes but one column. */
static void put_cell(FILE *f, int width, const char *s)
{
	int cols = 0;
	const char *p;

	for (p = s; *p; p++)
		cols += ((unsigned char)*p & 0xc0) != 0x80;
	fprintf(f, " %*s%s", width > cols ? width - cols : 0, "", s);
}

const char *format_rate(double v, char *buf, size_t len)
{
	if (v >= 1e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else if (v >= 1e3)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
	return buf;
}

static const char *status_cell(const struct bench_result *r)
{
	if (!r)
		return "-";
	switch (r->status) {
	case RESULT_NA:
		return "n/a";
	case RESULT_MISSING:
		return "missing";
	case RESULT_FAILED:
		return "FAILED";
	case RESULT_OK:
		break;
	}
	return NULL;
}

static void print_env(FILE *f, const struct bench_run *run)
{
	const struct bench_env *e = &run->env;
	char abi[16] = "";

	fprintf(f, "kipc-bench %s: kernel %s, %d vCPU%s, %s%s%s%s, %s\n", e->version, e->kernel,
		e->vcpus, e->vcpus == 1 ? "" : "s", e->where,
		strcmp(e->where, "vm") ? "" : " (", strcmp(e->where, "vm") ? "" : e->clock,
		strcmp(e->where, "vm") ? "" : " clock)",
		e->pin_cpu >= 0 ? "pinned to one CPU" : "not pinned");
	fprintf(f, "mode: %s%s%s; clock read %.0f ns, subtracted from each latency sample\n",
		e->threads ? "threads" : "processes", e->quick ? ", quick" : "",
		e->verify ? ", verify (every payload checked; timings include the checks)" : "",
		e->clock_read_ns);
	fprintf(f, "limits: %s\n", e->limits);
	if (e->prov.kipc_abi >= 0)
		snprintf(abi, sizeof(abi), " ABI %d", e->prov.kipc_abi);
	fprintf(f, "provenance: kipc.ko %s%s, %s, built by %s, cpu flags: %s\n"
		   "  kernel cmdline: %s\n  cpu vulnerabilities: %s\n",
		e->prov.kipc_version[0] ? e->prov.kipc_version : "not loaded", abi,
		e->prov.qemu[0] ? e->prov.qemu : "QEMU not told", e->prov.compiler,
		e->prov.cpu_flags[0] ? e->prov.cpu_flags : "-", e->prov.cmdline,
		e->prov.mitigations[0] ? e->prov.mitigations : "-");
	if (spread_shown(run))
		fprintf(f, "repeats: every case ran %u times, each in fresh processes; a cell is "
			   "mean±sd over the repeats\n  (sample standard deviation); a claim holds "
			   "only if it holds in every repeat\n", run->nrepeats);
	if (*e->send_lowat)
		fprintf(f, "kipc queues: send_lowat %s (KIPC_BENCH_SEND_LOWAT), not half the queue\n",
			e->send_lowat);
	if (strstr(e->kipc_params, "sendrecv_yield_to=N"))
		fprintf(f, "kipc.ko: sendrecv_yield_to=N (SENDRECV is a send then a receive)\n");
	if (!strcmp(e->clock, "icount"))
		fprintf(f, "icount: guest time counts instructions. The kernel copies with rep movsb, "
			   "one instruction per byte;\n  glibc's memcpy uses vector loops for some "
			   "sizes (see the memcpy costs): bulk ratios are distorted,\n  compare bulk "
			   "natively (make bench-native)\n");
}

/* Reasons for the n/a, missing and failed cells of one table. */
struct reasons {
	char text[4096];
	const struct bench_mech *last;
};

static void note_reason(struct reasons *why, const struct bench_result *r)
{
	size_t used = strlen(why->text);

	if (!r || r->status == RESULT_OK || r->mech == why->last)
		return;
	why->last = r->mech;
	snprintf(why->text + used, sizeof(why->text) - used, "  %s %s: %s\n", r->mech->title,
		 result_status_name(r->status), r->note);
}

static void print_reasons(FILE *f, const struct reasons *why)
{
	if (why->text[0])
		fputs(why->text, f);
}

static void title_line(FILE *f, const char *title)
{
	fprintf(f, "\n%s\n", title);
}

/* A whole row that did not run (missing mechanism), or false. */
static bool missing_row(FILE *f, const struct bench_mech *m, const struct bench_result *r)
{
	if (!r || r->status != RESULT_MISSING)
		return false;
	fprintf(f, "%-*s %s: %s\n", NAME_W, m->title, m->title, r->note);
	return true;
}

static void latency_table(FILE *f, const struct bench_run *run)
{
	size_t size = run_headline_size(run), i;
	struct reasons why = { "", NULL };
	double best = 0;
	char buf[96];

	for (i = 0; i < run->nmechs; i++) {
		const struct bench_result *r =
			run_find(run, run->mechs[i], RESULT_LATENCY, size, 1);

		if (r && r->status == RESULT_OK && (best == 0 || r->mean_ns < best))
			best = r->mean_ns;
	}
	snprintf(buf, sizeof(buf), "Round-trip latency, %zu B messages, two %s (us)", size,
		 run->opts->threads ? "threads" : "processes");
	title_line(f, buf);
	fprintf(f, "%-*s", NAME_W, "mechanism");
	put_cell(f, spread_shown(run) ? SPREAD_W - 2 : 8, spread_shown(run) ? "mean±sd" : "mean");
	fprintf(f, " %8s %8s %8s %9s %8s %8s %8s\n", "p50",
		"p99", "p99.9", "max", "cpu/rt", "vs best", "threads");
	for (i = 0; i < run->nmechs; i++) {
		const struct bench_mech *m = run->mechs[i];
		const struct bench_result *r = run_find(run, m, RESULT_LATENCY, size, 1);
		const struct bench_result *t = run_find(run, m, RESULT_THREADS, size, 1);
		char tcell[32], mean[48];

		if (!r || missing_row(f, m, r))
			continue;
		if (r->status != RESULT_OK) {
			fprintf(f, "%-*s %s: %s\n", NAME_W, m->title, status_cell(r), r->note);
			continue;
		}
		if (t && t->status == RESULT_OK)
			snprintf(tcell, sizeof(tcell), "%.2f", t->mean_ns / 1e3);
		else
			snprintf(tcell, sizeof(tcell), "%s", t ? status_cell(t) : "-");
		note_reason(&why, t);
		if (spread_shown(run))
			snprintf(mean, sizeof(mean), "%.2f±%.2f", r->mean_ns / 1e3,
				 r->sd_mean_ns / 1e3);
		else
			snprintf(mean, sizeof(mean), "%.2f", r->mean_ns / 1e3);
		fprintf(f, "%-*s", NAME_W, m->title);
		put_cell(f, spread_shown(run) ? SPREAD_W - 2 : 8, mean);
		fprintf(f, " %8.2f %8.2f %8.2f %9.2f %8.2f %7.2fx %8s\n",
			r->p50_ns / 1e3, r->p99_ns / 1e3,
			r->p999_ns / 1e3, r->max_ns / 1e3, r->cpu_ns_per_msg / 1e3,
			r->mean_ns / best, tcell);
	}
	if (spread_shown(run))
		fprintf(f, "  (mean±sd: the mean of the %u repeats' means, and their sample "
			   "standard deviation; the other columns: means over the repeats)\n",
			run->nrepeats);
	fprintf(f, "  (mean: time per round trip, the figure ratios use; cpu/rt: CPU time of "
		   "both sides per round trip;\n   vs best: mean over the lowest mean; threads: "
		   "mean between two threads of one process)\n");
	print_reasons(f, &why);
}

enum matrix_value { LAT_MEAN, THR_MSGS, THR_MB, THR_CPU };

static void spread_cell(char *buf, size_t len, const struct bench_result *r,
			enum matrix_value v)
{
	char a[24], b[24];

	switch (v) {
	case LAT_MEAN:
		snprintf(buf, len, "%.2f±%.2f", r->mean_ns / 1e3, r->sd_mean_ns / 1e3);
		break;
	case THR_MSGS:
		snprintf(buf, len, "%s±%s", format_rate(r->msgs_per_s, a, sizeof(a)),
			 format_rate(r->sd_msgs_per_s, b, sizeof(b)));
		break;
	case THR_MB:
		snprintf(buf, len, r->mb_per_s >= 100 ? "%.0f±%.0f" : "%.2f±%.2f", r->mb_per_s,
			 r->sd_mb_per_s);
		break;
	case THR_CPU:
		snprintf(buf, len, "%.2f±%.2f", r->cpu_ns_per_msg / 1e3,
			 r->sd_cpu_ns_per_msg / 1e3);
		break;
	}
}

static void matrix_cell(char *buf, size_t len, const struct bench_result *r,
			enum matrix_value v)
{
	const char *s = status_cell(r);

	if (s) {
		snprintf(buf, len, "%s", s);
		return;
	}
	if (r->repeats > 1) {
		spread_cell(buf, len, r, v);
		return;
	}
	switch (v) {
	case LAT_MEAN:
		snprintf(buf, len, "%.2f", r->mean_ns / 1e3);
		break;
	case THR_MSGS:
		format_rate(r->msgs_per_s, buf, len);
		break;
	case THR_MB:
		snprintf(buf, len, r->mb_per_s >= 100 ? "%.0f" : "%.2f", r->mb_per_s);
		break;
	case THR_CPU:
		snprintf(buf, len, "%.2f", r->cpu_ns_per_msg / 1e3);
		break;
	}
}

static void size_matrix(FILE *f, const struct bench_run *run, const char *title,
			enum result_section section, enum matrix_value v)
{
	const struct bench_options *o = run->opts;
	struct reasons why = { "", NULL };
	unsigned int j;
	size_t i;
	char buf[48];

	title_line(f, title);
	fprintf(f, "%-*s", NAME_W, "mechanism");
	for (j = 0; j < o->nsizes; j++) {
		format_size(o->sizes[j], buf, sizeof(buf));
		put_cell(f, cell_width(run), buf);
	}
	fputc('\n', f);
	for (i = 0; i < run->nmechs; i++) {
		const struct bench_mech *m = run->mechs[i];

		if (missing_row(f, m, run_find(run, m, section, o->sizes[0], 1)))
			continue;
		fprintf(f, "%-*s", NAME_W, m->title);
		for (j = 0; j < o->nsizes; j++) {
			const struct bench_result *r = run_find(run, m, section, o->sizes[j], 1);

			matrix_cell(buf, sizeof(buf), r, v);
			note_reason(&why, r);
			put_cell(f, cell_width(run), buf);
		}
		fputc('\n', f);
	}
	print_reasons(f, &why);
}

static void producers_table(FILE *f, const struct bench_run *run)
{
	const struct bench_options *o = run->opts;
	unsigned int counts[MAX_PRODUCERS], n = cases_producer_counts(o, counts, MAX_PRODUCERS);
	struct reasons why = { "", NULL };
	unsigned int j;
	size_t i;
	char buf[96];

	snprintf(buf, sizeof(buf), "One-way throughput (msgs/s), %zu B, N producers to one consumer",
		 o->producers_size);
	title_line(f, buf);
	fprintf(f, "%-*s", NAME_W, "mechanism");
	for (j = 0; j < n; j++) {
		snprintf(buf, sizeof(buf), "N=%u", counts[j]);
		put_cell(f, cell_width(run), buf);
	}
	fputc('\n', f);
	for (i = 0; i < run->nmechs; i++) {
		const struct bench_mech *m = run->mechs[i];

		if (missing_row(f, m, run_find(run, m, RESULT_PRODUCERS, o->producers_size, 1)))
			continue;
		fprintf(f, "%-*s", NAME_W, m->title);
		for (j = 0; j < n; j++) {
			const struct bench_result *r =
				run_find(run, m, RESULT_PRODUCERS, o->producers_size, counts[j]);

			matrix_cell(buf, sizeof(buf), r, THR_MSGS);
			note_reason(&why, r);
			put_cell(f, cell_width(run), buf);
		}
		fputc('\n', f);
	}
	print_reasons(f, &why);
}

static void costs_table(FILE *f, const struct bench_run *run)
{
	unsigned int i;

	title_line(f, "Costs underneath (ping-pongs: both parties on one CPU)");
	fprintf(f, "%-36s %-10s %10s %10s\n", "operation", "between", "ns", "switches");
	for (i = 0; i < run->ncosts; i++) {
		const struct cost_result *c = &run->costs[i];

		if (!c->ok) {
			fprintf(f, "%-36s %-10s FAILED: %s\n", c->name, c->between, c->note);
			continue;
		}
		fprintf(f, "%-36s %-10s %10.0f", c->name, c->between, c->ns);
		if (strcmp(c->between, "-"))
			fprintf(f, " %10.2f", c->switches);
		fputc('\n', f);
		if (c->note[0])
			fprintf(f, "  note: %s\n", c->note);
	}
}

static void claims_list(FILE *f, const struct bench_run *run);

static void textbook_table(FILE *f, const struct bench_run *run)
{
	size_t k;

	title_line(f, "The textbook table, measured (speed: rank and times slower than the "
		      "fastest; rt = round trip, small = one-way msgs/s, bulk = one-way MB/s "
		      "at the largest size)");
	fprintf(f, "%-18s %-20s %-25s %-7s %-18s %-45s %s\n", "textbook row", "mechanism",
		"data volume", "related", "textbook speed", "measured speed", "typical use");
	for (k = 0; k < run->nmechs; k++) {
		const struct bench_mech *m = run->mechs[k];
		struct textbook_row row;
		const struct bench_result *r =
			run_find(run, m, RESULT_LATENCY, run_headline_size(run), 1);

		textbook_row(run, m, &row);
		fprintf(f, "%-18s %-20s %-25s %-7s %-18s %-45s %s\n", m->textbook.row, m->title,
			m->textbook.volume, m->textbook.related, m->textbook.speed,
			r && r->status == RESULT_MISSING ? r->note : row.measured,
			m->textbook.use);
	}
	claims_list(f, run);
}

static void claims_list(FILE *f, const struct bench_run *run)
{
	struct textbook_claim claims[MAX_CLAIMS];
	unsigned int n, i;

	title_line(f, "Textbook claims against these numbers");
	n = textbook_claims(run, claims);
	for (i = 0; i < n; i++)
		fprintf(f, "  [%s] %s\n      %s\n", claim_verdict_name(claims[i].verdict),
			claims[i].claim, claims[i].evidence);
}

/* kipc's targets the run can judge (both mechanisms measured), if any. */
static void targets_table(FILE *f, const struct bench_run *run)
{
	struct target_result t[MAX_TARGETS];
	unsigned int n = targets_judge(run, t), i, tested = 0;

	for (i = 0; i < n; i++)
		tested += t[i].verdict != TARGET_UNTESTED;
	if (!tested)
		return;
	title_line(f, run->nrepeats > 1 ?
		   "kipc's targets (a target is met only if it is met in every repeat)" :
		   "kipc's targets");
	for (i = 0; i < n; i++)
		if (t[i].verdict != TARGET_UNTESTED)
			fprintf(f, "  [%s] %s: %s\n", target_verdict_name(t[i].verdict),
				t[i].target, t[i].evidence);
}

void report_tables(FILE *f, const struct bench_run *run)
{
	const struct bench_options *o = run->opts;
	char title[128];

	print_env(f, run);
	if (o->sections & SECTION_LATENCY) {
		latency_table(f, run);
		size_matrix(f, run, "Round-trip latency (us per round trip, mean) by message size",
			    RESULT_LATENCY, LAT_MEAN);
	}
	if (o->sections & SECTION_THROUGHPUT) {
		size_matrix(f, run, "One-way throughput (msgs/s) by message size, one producer",
			    RESULT_THROUGHPUT, THR_MSGS);
		snprintf(title, sizeof(title), "One-way throughput (MB/s) by message size%s",
			 strcmp(run->env.clock, "icount") ? "" :
			 " (icount: bulk distorted, see above)");
		size_matrix(f, run, title, RESULT_THROUGHPUT, THR_MB);
		size_matrix(f, run, "CPU time per message (us), one-way, all participants",
			    RESULT_THROUGHPUT, THR_CPU);
	}
	if (o->sections & SECTION_PRODUCERS)
		producers_table(f, run);
	if (o->sections & SECTION_COSTS)
		costs_table(f, run);
	process_tables(f, run);
	if (o->sections & SECTION_GROWTH)
		report_growth_table(f, run->growth);
	if ((o->sections & (SECTION_LATENCY | SECTION_THROUGHPUT)) ==
	    (SECTION_LATENCY | SECTION_THROUGHPUT))
		textbook_table(f, run);
	else if (o->sections & (SECTION_CREATION | SECTION_CRASH | SECTION_UNSYNC))
		claims_list(f, run);
	targets_table(f, run);
}
