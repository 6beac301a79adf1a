// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: results.json, built with json-c: the environment, the options,
 * every case, the costs, the textbook table and its claims.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cases.h"
#include "json_put.h"
#include "process_report.h"
#include "report.h"
#include "targets.h"
#include "textbook.h"

static json_object *environment(const struct bench_env *e)
{
	json_object *o = json_object_new_object();

	put_str(o, "kernel", e->kernel);
	put_str(o, "machine", e->machine);
	put_str(o, "cpu_model", e->cpu_model);
	put_int(o, "vcpus", e->vcpus);
	put_str(o, "where", e->where);
	put_str(o, "clock", e->clock);
	put_bool(o, "icount", !strcmp(e->clock, "icount"));
	put_bool(o, "told_by_env_flag", e->env_told);
	put_int(o, "pinned_cpu", e->pin_cpu);
	put_num(o, "clock_read_ns", e->clock_read_ns);
	put_str(o, "clocksource", e->clocksource);
	put_bool(o, "root", e->root);
	put_bool(o, "raised_limits", e->raised_limits);
	put_str(o, "limits", e->limits);
	put_str(o, "date", e->date);
	put_str(o, "kipc_bench_version", e->version);
	put_str(o, "kipc_params", e->kipc_params);
	put_str(o, "queue_send_lowat", *e->send_lowat ? e->send_lowat : "half");
	put_str(o, "kipc_version", e->prov.kipc_version);
	put_int(o, "kipc_abi", e->prov.kipc_abi);
	put_str(o, "kernel_cmdline", e->prov.cmdline);
	put_str(o, "qemu_version", e->prov.qemu);
	put_str(o, "compiler", e->prov.compiler);
	put_str(o, "cpu_flags", e->prov.cpu_flags);
	put_str(o, "cpu_vulnerabilities", e->prov.mitigations);
	return o;
}

static json_object *options(const struct bench_options *opt)
{
	json_object *o = json_object_new_object(), *sizes = json_object_new_array();
	unsigned int i;

	for (i = 0; i < opt->nsizes; i++)
		json_object_array_add(sizes, json_object_new_int64((int64_t)opt->sizes[i]));
	put_bool(o, "quick", opt->quick);
	put_bool(o, "verify", opt->verify);
	put_bool(o, "threads", opt->threads);
	json_object_object_add(o, "sizes", sizes);
	put_int(o, "max_producers", opt->max_producers);
	put_int(o, "batch", opt->batch);
	put_num(o, "scale", opt->scale);
	put_int(o, "repeat", opt->repeat);
	return o;
}

static json_object *spread(const struct bench_result *r);

static json_object *result(const struct bench_result *r)
{
	json_object *o = json_object_new_object(), *lat;

	put_str(o, "mechanism", r->mech->name);
	put_str(o, "title", r->mech->title);
	put_str(o, "kind", bench_kind_name(r->mech->kind));
	put_str(o, "section", result_section_name(r->section));
	put_str(o, "pattern", r->pattern == BENCH_ROUND_TRIP ? "round-trip" : "one-way");
	put_int(o, "msg_size", (int64_t)r->msg_size);
	put_int(o, "producers", r->producers);
	put_str(o, "mode", r->threads ? "threads" : "processes");
	put_str(o, "status", result_status_name(r->status));
	if (r->repeat)
		put_int(o, "repeat", r->repeat);
	else
		put_int(o, "repeats", r->repeats);
	if (r->status != RESULT_OK) {
		put_str(o, "note", r->note);
		return o;
	}
	put_bool(o, "verified", r->verified);
	put_int(o, "messages", (int64_t)r->messages);
	put_int(o, "warmup", (int64_t)r->warmup);
	put_num(o, "elapsed_ns", r->elapsed_ns);
	if (r->pattern == BENCH_ROUND_TRIP) {
		lat = json_object_new_object();
		put_num(lat, "mean", r->mean_ns);
		put_num(lat, "p50", r->p50_ns);
		put_num(lat, "p99", r->p99_ns);
		put_num(lat, "p99_9", r->p999_ns);
		put_num(lat, "max", r->max_ns);
		put_num(lat, "min", r->min_ns);
		json_object_object_add(o, "round_trip_ns", lat);
	} else {
		put_num(o, "msgs_per_s", r->msgs_per_s);
		put_num(o, "mb_per_s", r->mb_per_s);
	}
	put_num(o, "cpu_ns_per_msg", r->cpu_ns_per_msg);
	put_num(o, "user_ns_per_msg", r->user_ns_per_msg);
	put_num(o, "sys_ns_per_msg", r->sys_ns_per_msg);
	put_num(o, "switches_per_msg", r->switches_per_msg);
	if (r->syscalls_per_msg >= 0)
		put_num(o, "syscalls_per_msg", r->syscalls_per_msg);
	if (!r->repeat && r->repeats > 1)
		json_object_object_add(o, "sd", spread(r));
	return o;
}

/* The aggregate's sample standard deviations over its repeats. */
static json_object *spread(const struct bench_result *r)
{
	json_object *o = json_object_new_object();

	if (r->pattern == BENCH_ROUND_TRIP) {
		put_num(o, "round_trip_mean_ns", r->sd_mean_ns);
		put_num(o, "round_trip_p50_ns", r->sd_p50_ns);
		put_num(o, "round_trip_p99_ns", r->sd_p99_ns);
	} else {
		put_num(o, "msgs_per_s", r->sd_msgs_per_s);
		put_num(o, "mb_per_s", r->sd_mb_per_s);
	}
	put_num(o, "cpu_ns_per_msg", r->sd_cpu_ns_per_msg);
	return o;
}

/* Every repeat's full results, repeat by repeat. */
static json_object *repeats(const struct bench_run *run)
{
	json_object *a = json_object_new_array();
	unsigned int k;
	size_t i;

	for (k = 0; k < run->nrepeats; k++) {
		json_object *o = json_object_new_object(), *rs = json_object_new_array();

		put_int(o, "repeat", k + 1);
		for (i = 0; i < run->nresults; i++)
			json_object_array_add(rs,
				result(&run->repeat_results[(size_t)k * run->nresults + i]));
		json_object_object_add(o, "results", rs);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *mark(const struct speed_mark *s)
{
	json_object *o;

	if (!s->measured)
		return NULL;
	o = json_object_new_object();
	put_int(o, "rank", s->rank);
	put_int(o, "of", s->of);
	put_num(o, "times_slower_than_fastest", s->times_slower);
	return o;
}

static json_object *textbook(const struct bench_run *run)
{
	json_object *rows = json_object_new_array();
	size_t i;

	for (i = 0; i < run->nmechs; i++) {
		const struct bench_mech *m = run->mechs[i];
		json_object *o = json_object_new_object(), *speed = json_object_new_object();
		struct textbook_row row;

		textbook_row(run, m, &row);
		put_str(o, "row", m->textbook.row);
		put_str(o, "mechanism", m->name);
		put_str(o, "data_volume", m->textbook.volume);
		put_str(o, "related_processes", m->textbook.related);
		put_str(o, "textbook_speed", m->textbook.speed);
		json_object_object_add(speed, "round_trip", mark(&row.round_trip));
		json_object_object_add(speed, "small_msgs_per_s", mark(&row.small));
		json_object_object_add(speed, "bulk_mb_per_s", mark(&row.large));
		json_object_object_add(o, "measured_speed", speed);
		put_str(o, "typical_use", m->textbook.use);
		json_object_array_add(rows, o);
	}
	return rows;
}

static json_object *claims(const struct bench_run *run)
{
	struct textbook_claim c[MAX_CLAIMS];
	unsigned int n = textbook_claims(run, c), i;
	json_object *a = json_object_new_array();

	for (i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		put_str(o, "claim", c[i].claim);
		put_str(o, "verdict", claim_verdict_name(c[i].verdict));
		put_str(o, "evidence", c[i].evidence);
		put_int(o, "held_in_repeats", c[i].held_in);
		put_int(o, "repeats", c[i].repeats);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *targets(const struct bench_run *run)
{
	struct target_result t[MAX_TARGETS];
	unsigned int n = targets_judge(run, t), i;
	json_object *a = json_object_new_array();

	for (i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		put_str(o, "target", t[i].target);
		put_str(o, "verdict", target_verdict_name(t[i].verdict));
		if (t[i].verdict != TARGET_UNTESTED) {
			put_num(o, "ratio", t[i].ratio);
			put_int(o, "met_in_repeats", t[i].met_in);
			put_int(o, "repeats", t[i].repeats);
		}
		put_str(o, "evidence", t[i].evidence);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *costs(const struct bench_run *run)
{
	json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < run->ncosts; i++) {
		const struct cost_result *c = &run->costs[i];
		json_object *o = json_object_new_object();

		put_str(o, "operation", c->name);
		put_str(o, "between", c->between);
		put_bool(o, "ok", c->ok);
		put_num(o, "ns", c->ns);
		put_num(o, "switches_per_op", c->switches);
		if (c->note[0])
			put_str(o, "note", c->note);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *mechanisms(const struct bench_run *run)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < run->nmechs; i++) {
		const struct bench_mech *m = run->mechs[i];
		json_object *o = json_object_new_object();

		put_str(o, "name", m->name);
		put_str(o, "title", m->title);
		put_str(o, "kind", bench_kind_name(m->kind));
		put_str(o, "how", m->how);
		put_bool(o, "threads", m->caps & BENCH_CAP_THREADS);
		put_bool(o, "multi_producer", m->caps & BENCH_CAP_MULTI_PRODUCER);
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *document(const struct bench_run *run)
{
	json_object *root = json_object_new_object(), *results = json_object_new_array();
	size_t i;

	put_str(root, "tool", "kipc-bench");
	put_int(root, "schema_version", BENCH_SCHEMA_VERSION);
	put_str(root, "kipc_bench_version", run->env.version);
	json_object_object_add(root, "environment", environment(&run->env));
	json_object_object_add(root, "options", options(run->opts));
	json_object_object_add(root, "mechanisms", mechanisms(run));
	for (i = 0; i < run->nresults; i++)
		json_object_array_add(results, result(&run->results[i]));
	json_object_object_add(root, "results", results);
	json_object_object_add(root, "repeats", repeats(run));
	json_object_object_add(root, "costs", costs(run));
	json_object_object_add(root, "textbook", textbook(run));
	json_object_object_add(root, "claims", claims(run));
	json_object_object_add(root, "targets", targets(run));
	process_json(root, run);
	if (run->growth)
		json_object_object_add(root, "growth", report_growth_json(run->growth));
	return root;
}

int report_json_to(FILE *f, const struct bench_run *run)
{
	json_object *root = document(run);
	int rc = fprintf(f, "%s\n", json_object_to_json_string_ext(root,
						JSON_C_TO_STRING_PRETTY)) < 0;

	json_object_put(root);
	return rc ? -1 : 0;
}

int report_json(const char *dir, const struct bench_run *run)
{
	json_object *root = document(run);
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/results.json", dir);
	rc = json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
	if (rc)
		fprintf(stderr, "kipc-bench: cannot write %s: %s\n", path, json_util_get_last_err());
	json_object_put(root);
	return rc ? -1 : 0;
}
