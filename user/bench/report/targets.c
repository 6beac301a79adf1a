// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: kipc's targets against this run's numbers (see targets.h). */
#include <stdio.h>
#include <string.h>

#include "appendf.h"
#include "report.h"
#include "targets.h"

enum target_metric {
	ROUND_TRIP,	/* mean us per round trip: kipc's over the other's, at most */
	MSGS_PER_S,	/* one-way messages/s: kipc's over the other's, at least */
	MB_PER_S,	/* one-way MB/s, at least */
};

struct target {
	const char *text;
	const char *kipc, *stock;
	enum target_metric metric;
	size_t size;		/* the message size it is stated at */
	double bound;
	unsigned int producers;	/* of kipc's figure; the other's has one */
};

/*
 * The targets Documentation/benchmarks.rst states, judged on every kernel
 * alike; "N producers >= 1" compares kipc's own one-way figure with four
 * producers against one (several producers must not collapse it).
 */
static const struct target targets[] = {
	{ "queue round trip <= 0.97x POSIX mq", "kipc-queue", "posix-mq", ROUND_TRIP, 64, 0.97, 1 },
	{ "queue round trip <= 1.03x eventfd", "kipc-queue", "eventfd", ROUND_TRIP, 64, 1.03, 1 },
	{ "send+recv round trip <= 0.85x eventfd", "kipc-queue-sendrecv", "eventfd", ROUND_TRIP,
	  64, 0.85, 1 },
	{ "queue one-way >= 1.3x pipe", "kipc-queue", "pipe", MSGS_PER_S, 64, 1.3, 1 },
	{ "queue one-way with 4 producers >= 1", "kipc-queue", "kipc-queue", MSGS_PER_S, 64, 1, 4 },
	{ "batched queue one-way >= 5x pipe", "kipc-queue-batch", "pipe", MSGS_PER_S, 64, 5, 1 },
	{ "batched one-way with 4 producers >= 1", "kipc-queue-batch", "kipc-queue-batch", MSGS_PER_S,
	  64, 1, 4 },
	{ "ring one-way >= 20x pipe", "kipc-ring", "pipe", MSGS_PER_S, 64, 20, 1 },
	{ "ring >= 2x pipe MB/s at 64 KiB", "kipc-ring", "pipe", MB_PER_S, 65536, 2, 1 },
	{ "ring >= 5x pipe MB/s at 1 MiB", "kipc-ring", "pipe", MB_PER_S, 1048576, 5, 1 },
	/* The POSIX mq shim (issue 18): the same program, no slower on kipc. */
	{ "posix-mq-on-kipc round trip <= 1.0x posix-mq", "posix-mq-on-kipc", "posix-mq",
	  ROUND_TRIP, 64, 1.0, 1 },
};

/* The figure of @name with @producers for @t in @run, or -1 when not measured. */
static double figure(const struct bench_run *run, const struct target *t, const char *name,
		     unsigned int producers)
{
	const struct bench_mech *m = run_find_mech(run, name);
	const struct bench_result *r;

	if (!m)
		return -1;
	/* Several producers: both figures from the producers section, alike. */
	r = run_find(run, m, t->producers > 1 ? RESULT_PRODUCERS :
			     t->metric == ROUND_TRIP ? RESULT_LATENCY : RESULT_THROUGHPUT,
		     t->size, producers);
	if (!r || r->status != RESULT_OK)
		return -1;
	switch (t->metric) {
	case ROUND_TRIP:
		return r->mean_ns / 1e3;
	case MSGS_PER_S:
		return r->msgs_per_s;
	case MB_PER_S:
		return r->mb_per_s;
	}
	return -1;
}

/* kipc's figure over the stock one, or -1 when either is missing. */
static double ratio(const struct bench_run *run, const struct target *t)
{
	double k = figure(run, t, t->kipc, t->producers);
	double s = figure(run, t, t->stock, 1);

	return k > 0 && s > 0 ? k / s : -1;
}

static bool met(const struct target *t, double r)
{
	return t->metric == ROUND_TRIP ? r <= t->bound : r >= t->bound;
}

static void shown(const struct target *t, double v, char *buf, size_t len)
{
	char rate[32];

	if (t->metric == ROUND_TRIP)
		snprintf(buf, len, "%.2f us", v);
	else if (t->metric == MSGS_PER_S)
		snprintf(buf, len, "%s msgs/s", format_rate(v, rate, sizeof(rate)));
	else
		snprintf(buf, len, "%.0f MB/s", v);
}

static void judge(const struct bench_run *run, const struct target *t, struct target_result *o)
{
	unsigned int k, n = run->nrepeats > 1 ? run->nrepeats : 1;
	char a[32], b[32];

	memset(o, 0, sizeof(*o));
	o->target = t->text;
	o->repeats = n;
	o->ratio = ratio(run, t);
	if (o->ratio < 0) {
		o->verdict = TARGET_UNTESTED;
		snprintf(o->evidence, sizeof(o->evidence), "needs %s and %s measured at %zu B",
			 t->kipc, t->stock, t->size);
		return;
	}
	shown(t, figure(run, t, t->kipc, t->producers), a, sizeof(a));
	shown(t, figure(run, t, t->stock, 1), b, sizeof(b));
	appendf(o->evidence, sizeof(o->evidence), "%.3fx (%s vs %s)", o->ratio, a, b);
	if (n == 1) {
		o->met_in = met(t, o->ratio);
	} else {
		appendf(o->evidence, sizeof(o->evidence), "; per repeat:");
		for (k = 0; k < n; k++) {
			struct bench_run view = run_repeat_view(run, k);
			double r = ratio(&view, t);

			o->met_in += r > 0 && met(t, r);
			appendf(o->evidence, sizeof(o->evidence), " %.3fx", r);
		}
		appendf(o->evidence, sizeof(o->evidence), ", met in %u of %u", o->met_in, n);
	}
	o->verdict = o->met_in == n ? TARGET_MET : TARGET_NOT_MET;
}

unsigned int targets_judge(const struct bench_run *run, struct target_result *out)
{
	unsigned int i, n = sizeof(targets) / sizeof(targets[0]);

	for (i = 0; i < n && i < MAX_TARGETS; i++)
		judge(run, &targets[i], &out[i]);
	return i;
}

const char *target_verdict_name(enum target_verdict v)
{
	switch (v) {
	case TARGET_MET:
		return "met";
	case TARGET_NOT_MET:
		return "NOT MET";
	case TARGET_UNTESTED:
		return "untested";
	}
	return "?";
}
