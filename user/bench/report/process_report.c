// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: tables, CSV and JSON of the process-model sections. */
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "json_put.h"
#include "process_report.h"
#include "report.h"
#include "report_file.h"

static void title(FILE *f, const char *t)
{
	fprintf(f, "\n== %s ==\n", t);
}

static void kib(char *buf, size_t len, long v)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%ld", v);
}

static void creation_table(FILE *f, const struct creation_result *c)
{
	const struct creation_memory *m = &c->mem;
	char a[24], b[24], d[24], e[24];
	unsigned int i;

	title(f, "Creating processes and threads (mean per creation, start to reaped/joined)");
	fprintf(f, "%-42s %-8s %8s %12s\n", "how", "creates", "count", "us each");
	for (i = 0; i < c->nrows; i++) {
		const struct creation_row *r = &c->rows[i];

		if (!r->ok)
			fprintf(f, "%-42s %-8s FAILED: %s\n", r->name, r->what, r->note);
		else
			fprintf(f, "%-42s %-8s %8u %12.1f\n", r->name, r->what, r->n, r->us);
		if (r->ok && r->note[0])
			fprintf(f, "  note: %s\n", r->note);
	}
	fprintf(f, "exec and spawn start kipc-bench itself with %s (it exits at once)\n",
		CREATION_EXIT_ARG);
	fprintf(f, "%-42s %10s %10s %10s %10s\n", "memory (KiB)", "resident", "PSS", "private",
		"page tbl");
	kib(a, sizeof(a), m->parent_rss);
	kib(b, sizeof(b), m->parent_pss);
	kib(e, sizeof(e), m->parent_pte);
	fprintf(f, "%-42s %10s %10s %10s %10s\n", "the parent (this process)", a, b, "-", e);
	kib(a, sizeof(a), m->child_rss);
	kib(b, sizeof(b), m->child_pss);
	kib(d, sizeof(d), m->child_private);
	kib(e, sizeof(e), m->child_pte);
	fprintf(f, "%-42s %10s %10s %10s %10s\n", "a forked child, idle", a, b, d, e);
	kib(a, sizeof(a), m->thread_rss);
	kib(e, sizeof(e), m->thread_pte);
	fprintf(f, "%-42s %10s %10s %10s %10s\n", "one more thread, idle (growth)", a, "-", "-",
		e);
	if (m->thread_vm >= 0)
		fprintf(f, "  a thread also reserves %ld KiB of address space (its stack)\n",
			m->thread_vm);
	if (m->note[0])
		fprintf(f, "  note: %s\n", m->note);
}

static void crash_table(FILE *f, const struct crash_result *c)
{
	unsigned int i;

	title(f, "Crash isolation: the peer process segfaults, what its partner saw");
	fprintf(f, "%-20s %-8s %-9s %-66s %s\n", "mechanism", "peer", "partner",
		"partner's receive", "partner's send");
	for (i = 0; i < c->nrows; i++) {
		const struct crash_row *r = &c->rows[i];

		if (!r->tested) {
			fprintf(f, "%-20s not tested: %s\n", r->mechanism, r->note);
			continue;
		}
		fprintf(f, "%-20s %-8s %-9s %-66s %s\n", r->mechanism,
			r->peer_segv ? "SIGSEGV" : "?", r->survived ? "runs on" : "STOPPED",
			r->receive, r->send);
		if (r->note[0])
			fprintf(f, "  note: %s\n", r->note);
	}
	fprintf(f, "(a receive waits at most %u ms for a dead peer)\n", c->timeout_ms);
	if (!c->thread_tested) {
		fprintf(f, "thread case not tested: %s\n", c->thread_note);
		return;
	}
	fprintf(f, "a thread segfaults: its process %s; the other thread %s (%lu steps of ~200)\n",
		c->thread_child_signal ? strsignal(c->thread_child_signal) : "was not killed",
		c->other_thread_finished ? "finished" : "never finished",
		c->other_thread_steps);
	if (c->thread_note[0])
		fprintf(f, "  note: %s\n", c->thread_note);
}

static void unsync_table(FILE *f, const struct unsync_result *u)
{
	unsigned int i;

	title(f, "Shared memory without synchronisation: two processes update one shared index");
	fprintf(f, "%-32s %12s %12s %12s %10s %10s\n", "how", "updates", "index", "lost",
		"ns/add", "preempted");
	for (i = 0; i < u->nrows; i++) {
		const struct unsync_row *r = &u->rows[i];

		if (!r->ok) {
			fprintf(f, "%-32s FAILED: %s\n", r->name, r->note);
			continue;
		}
		fprintf(f, "%-32s %12llu %12llu %12llu %10.1f %10llu\n", r->name,
			(unsigned long long)r->expected, (unsigned long long)r->got,
			(unsigned long long)unsync_lost(r), r->ns_per_add,
			(unsigned long long)r->preemptions);
	}
	fprintf(f, "(%ld CPU%s online: %s)\n", u->cpus, u->cpus == 1 ? "" : "s",
		u->cpus == 1 ? "a race needs a preemption between a load and its store"
			     : "the two processes also run at the same time");
}

static void fanout_table(FILE *f, const struct fanout_result *u)
{
	unsigned int i;

	title(f, "Fan-out: one publisher, N subscriber processes, 64 B messages");
	fprintf(f, "%-18s %4s %10s %14s %16s\n", "how", "N", "published", "delivered/s",
		"pub CPU ns/msg");
	for (i = 0; i < u->nrows; i++) {
		const struct fanout_row *r = &u->rows[i];

		if (!r->ok) {
			fprintf(f, "%-18s %4u FAILED: %s\n", r->how, r->subscribers, r->note);
			continue;
		}
		fprintf(f, "%-18s %4u %10llu %14.0f %16.0f\n", r->how, r->subscribers,
			(unsigned long long)r->published, r->delivered_per_s, r->pub_cpu_ns);
	}
}

void process_tables(FILE *f, const struct bench_run *run)
{
	if (run->creation.measured)
		creation_table(f, &run->creation);
	if (run->crash.measured)
		crash_table(f, &run->crash);
	if (run->unsync.measured)
		unsync_table(f, &run->unsync);
	if (run->fanout.measured)
		fanout_table(f, &run->fanout);
}

static int creation_csv(const char *dir, const struct creation_result *c)
{
	const struct creation_memory *m = &c->mem;
	FILE *f = report_open(dir, "creation.csv");
	unsigned int i;

	if (!f)
		return -1;
	fputs("how,creates,count,us_each,ok,note\n", f);
	for (i = 0; i < c->nrows; i++) {
		report_csv_field(f, c->rows[i].name);
		fprintf(f, ",%s,%u,%.3f,%d,", c->rows[i].what, c->rows[i].n, c->rows[i].us,
			c->rows[i].ok);
		report_csv_field(f, c->rows[i].note);
		fputc('\n', f);
	}
	/* The memory as rows of the same file: what, in KiB. */
	fprintf(f, "parent resident KiB,memory,1,%ld,1,\n", m->parent_rss);
	fprintf(f, "parent PSS KiB,memory,1,%ld,1,\n", m->parent_pss);
	fprintf(f, "parent page tables KiB,memory,1,%ld,1,\n", m->parent_pte);
	fprintf(f, "forked child resident KiB,memory,1,%ld,1,\n", m->child_rss);
	fprintf(f, "forked child PSS KiB,memory,1,%ld,1,\n", m->child_pss);
	fprintf(f, "forked child private KiB,memory,1,%ld,1,\n", m->child_private);
	fprintf(f, "forked child page tables KiB,memory,1,%ld,1,\n", m->child_pte);
	fprintf(f, "one more thread resident KiB,memory,1,%ld,1,\n", m->thread_rss);
	fprintf(f, "one more thread page tables KiB,memory,1,%ld,1,\n", m->thread_pte);
	fprintf(f, "one more thread address space KiB,memory,1,%ld,1,\n", m->thread_vm);
	return report_close(f);
}

static int crash_csv(const char *dir, const struct crash_result *c)
{
	FILE *f = report_open(dir, "crash.csv");
	unsigned int i;

	if (!f)
		return -1;
	fputs("mechanism,tested,peer_sigsegv,partner_survived,receive,send,note\n", f);
	for (i = 0; i < c->nrows; i++) {
		const struct crash_row *r = &c->rows[i];

		report_csv_field(f, r->mechanism);
		fprintf(f, ",%d,%d,%d,", r->tested, r->peer_segv, r->survived);
		report_csv_field(f, r->receive);
		fputc(',', f);
		report_csv_field(f, r->send);
		fputc(',', f);
		report_csv_field(f, r->note);
		fputc('\n', f);
	}
	fprintf(f, "a thread segfaults,%d,%d,%d,", c->thread_tested,
		c->thread_child_signal == SIGSEGV, c->other_thread_finished);
	fprintf(f, "process killed by signal %d,other thread %lu steps,", c->thread_child_signal,
		c->other_thread_steps);
	report_csv_field(f, c->thread_note);
	fputc('\n', f);
	return report_close(f);
}

static int unsync_csv(const char *dir, const struct unsync_result *u)
{
	FILE *f = report_open(dir, "unsync.csv");
	unsigned int i;

	if (!f)
		return -1;
	fputs("how,expected,got,lost,ns_per_add,preemptions,cpus,ok,note\n", f);
	for (i = 0; i < u->nrows; i++) {
		const struct unsync_row *r = &u->rows[i];

		report_csv_field(f, r->name);
		fprintf(f, ",%llu,%llu,%llu,%.3f,%llu,%ld,%d,", (unsigned long long)r->expected,
			(unsigned long long)r->got, (unsigned long long)unsync_lost(r),
			r->ns_per_add, (unsigned long long)r->preemptions, u->cpus, r->ok);
		report_csv_field(f, r->note);
		fputc('\n', f);
	}
	return report_close(f);
}

static int fanout_csv(const char *dir, const struct fanout_result *u)
{
	FILE *f = report_open(dir, "fanout.csv");
	unsigned int i;

	if (!f)
		return -1;
	fputs("how,subscribers,published,delivered,delivered_per_s,pub_cpu_ns_per_msg,ok,note\n", f);
	for (i = 0; i < u->nrows; i++) {
		const struct fanout_row *r = &u->rows[i];

		report_csv_field(f, r->how);
		fprintf(f, ",%u,%llu,%llu,%.0f,%.1f,%d,", r->subscribers,
			(unsigned long long)r->published, (unsigned long long)r->delivered,
			r->delivered_per_s, r->pub_cpu_ns, r->ok);
		report_csv_field(f, r->note);
		fputc('\n', f);
	}
	return report_close(f);
}

int process_csv(const char *dir, const struct bench_run *run)
{
	int rc = 0;

	if (run->creation.measured)
		rc |= creation_csv(dir, &run->creation);
	if (run->crash.measured)
		rc |= crash_csv(dir, &run->crash);
	if (run->unsync.measured)
		rc |= unsync_csv(dir, &run->unsync);
	if (run->fanout.measured)
		rc |= fanout_csv(dir, &run->fanout);
	return rc;
}

static json_object *creation_json(const struct creation_result *c)
{
	json_object *o = json_object_new_object(), *rows = json_object_new_array();
	json_object *mem = json_object_new_object();
	const struct creation_memory *m = &c->mem;
	unsigned int i;

	for (i = 0; i < c->nrows; i++) {
		json_object *r = json_object_new_object();

		put_str(r, "how", c->rows[i].name);
		put_str(r, "creates", c->rows[i].what);
		put_int(r, "count", c->rows[i].n);
		put_bool(r, "ok", c->rows[i].ok);
		put_num(r, "us_each", c->rows[i].us);
		if (c->rows[i].note[0])
			put_str(r, "note", c->rows[i].note);
		json_object_array_add(rows, r);
	}
	json_object_object_add(o, "creations", rows);
	put_str(o, "exec_target", "kipc-bench " CREATION_EXIT_ARG);
	put_int(mem, "parent_rss_kib", m->parent_rss);
	put_int(mem, "parent_pss_kib", m->parent_pss);
	put_int(mem, "parent_page_tables_kib", m->parent_pte);
	put_int(mem, "child_rss_kib", m->child_rss);
	put_int(mem, "child_pss_kib", m->child_pss);
	put_int(mem, "child_private_kib", m->child_private);
	put_int(mem, "child_page_tables_kib", m->child_pte);
	put_int(mem, "thread_rss_kib", m->thread_rss);
	put_int(mem, "thread_page_tables_kib", m->thread_pte);
	put_int(mem, "thread_address_space_kib", m->thread_vm);
	if (m->note[0])
		put_str(mem, "note", m->note);
	json_object_object_add(o, "memory", mem);
	return o;
}

static json_object *crash_json(const struct crash_result *c)
{
	json_object *o = json_object_new_object(), *rows = json_object_new_array();
	json_object *t = json_object_new_object();
	unsigned int i;

	for (i = 0; i < c->nrows; i++) {
		const struct crash_row *r = &c->rows[i];
		json_object *j = json_object_new_object();

		put_str(j, "mechanism", r->mechanism);
		put_bool(j, "tested", r->tested);
		put_bool(j, "peer_sigsegv", r->peer_segv);
		put_bool(j, "partner_survived", r->survived);
		put_str(j, "receive", r->receive);
		put_str(j, "send", r->send);
		if (r->note[0])
			put_str(j, "note", r->note);
		json_object_array_add(rows, j);
	}
	json_object_object_add(o, "peers", rows);
	put_int(o, "timeout_ms", c->timeout_ms);
	put_bool(t, "tested", c->thread_tested);
	put_int(t, "process_killed_by_signal", c->thread_child_signal);
	put_bool(t, "other_thread_finished", c->other_thread_finished);
	put_int(t, "other_thread_steps", (int64_t)c->other_thread_steps);
	if (c->thread_note[0])
		put_str(t, "note", c->thread_note);
	json_object_object_add(o, "thread", t);
	return o;
}

static json_object *unsync_json(const struct unsync_result *u)
{
	json_object *o = json_object_new_object(), *rows = json_object_new_array();
	unsigned int i;

	for (i = 0; i < u->nrows; i++) {
		const struct unsync_row *r = &u->rows[i];
		json_object *j = json_object_new_object();

		put_str(j, "how", r->name);
		put_bool(j, "ok", r->ok);
		put_int(j, "expected", (int64_t)r->expected);
		put_int(j, "got", (int64_t)r->got);
		put_int(j, "lost", (int64_t)unsync_lost(r));
		put_num(j, "ns_per_add", r->ns_per_add);
		put_int(j, "preemptions", (int64_t)r->preemptions);
		if (r->note[0])
			put_str(j, "note", r->note);
		json_object_array_add(rows, j);
	}
	json_object_object_add(o, "counters", rows);
	put_int(o, "cpus", u->cpus);
	return o;
}

static json_object *fanout_json(const struct fanout_result *u)
{
	json_object *rows = json_object_new_array();
	unsigned int i;

	for (i = 0; i < u->nrows; i++) {
		const struct fanout_row *r = &u->rows[i];
		json_object *j = json_object_new_object();

		put_str(j, "how", r->how);
		put_int(j, "subscribers", r->subscribers);
		put_bool(j, "ok", r->ok);
		put_int(j, "published", (int64_t)r->published);
		put_int(j, "delivered", (int64_t)r->delivered);
		put_num(j, "delivered_per_s", r->delivered_per_s);
		put_num(j, "pub_cpu_ns_per_msg", r->pub_cpu_ns);
		if (r->note[0])
			put_str(j, "note", r->note);
		json_object_array_add(rows, j);
	}
	return rows;
}

void process_json(struct json_object *root, const struct bench_run *run)
{
	if (run->creation.measured)
		json_object_object_add(root, "creation", creation_json(&run->creation));
	if (run->crash.measured)
		json_object_object_add(root, "crash", crash_json(&run->crash));
	if (run->unsync.measured)
		json_object_object_add(root, "unsync", unsync_json(&run->unsync));
	if (run->fanout.measured)
		json_object_object_add(root, "fanout", fanout_json(&run->fanout));
}
