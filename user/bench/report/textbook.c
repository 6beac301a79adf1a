// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the textbook table and its claims, from the numbers (see
 * textbook.h). Claims are judged among the stock textbook mechanisms (not
 * the eventfd/futex floors, not kipc); the speed column ranks every
 * mechanism measured. A claim "holds" when every metric agrees, is
 * "contradicted" when none does, and is "mixed" otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "appendf.h"
#include "process_report.h"
#include "report.h"
#include "textbook.h"

enum metric {
	METRIC_ROUND_TRIP,	/* mean us per round trip, lower is better */
	METRIC_SMALL,		/* msgs/s at the headline size, higher is better */
	METRIC_LARGE,		/* MB/s at the largest size, higher is better */
	METRICS,
};

static const char *const metric_names[METRICS] = {
	"round trip", "one-way msgs/s", "one-way MB/s",
};

static bool is_kipc(const struct bench_mech *m)
{
	return bench_mech_is_kipc(m);
}

static bool is_textbook(const struct bench_mech *m)
{
	/* The claims are about kernel mechanisms, not what is built on them. */
	return !is_kipc(m) && m->kind != BENCH_KIND_WAKEUP && m->kind != BENCH_KIND_FRAMEWORK;
}

static bool is_socket(const struct bench_mech *m)
{
	return !strncmp(m->name, "unix-", 5) || !strcmp(m->name, "tcp");
}

static size_t metric_size(const struct bench_run *run, enum metric k)
{
	return k == METRIC_LARGE ? run_largest_size(run) : run_headline_size(run);
}

/* The metric's value (higher is better), or -1 when not measured. */
static double value(const struct bench_run *run, const struct bench_mech *m, enum metric k)
{
	const struct bench_result *r;

	if (k == METRIC_ROUND_TRIP) {
		r = run_find(run, m, RESULT_LATENCY, metric_size(run, k), 1);
		/* Round trips per microsecond, so that higher is better here too. */
		return r && r->status == RESULT_OK && r->mean_ns > 0 ? 1e3 / r->mean_ns : -1;
	}
	r = run_find(run, m, RESULT_THROUGHPUT, metric_size(run, k), 1);
	if (!r || r->status != RESULT_OK)
		return -1;
	return k == METRIC_SMALL ? r->msgs_per_s : r->mb_per_s;
}

/* A metric as people read it: "12.64 us", "1.25M msgs/s", "950 MB/s". */
static const char *shown(const struct bench_run *run, const struct bench_mech *m, enum metric k,
			 char *buf, size_t len)
{
	double v = value(run, m, k);
	char rate[32];

	if (k == METRIC_ROUND_TRIP)
		snprintf(buf, len, "%.2f us", 1.0 / v);
	else if (k == METRIC_SMALL)
		snprintf(buf, len, "%s msgs/s", format_rate(v, rate, sizeof(rate)));
	else
		snprintf(buf, len, "%.0f MB/s", v);
	return buf;
}

static struct speed_mark mark(const struct bench_run *run, const struct bench_mech *m,
			      enum metric k)
{
	struct speed_mark s = { false, 1, 0, 0 };
	double mine = value(run, m, k), best = 0;
	size_t i;

	if (mine <= 0)
		return s;
	for (i = 0; i < run->nmechs; i++) {
		double v = value(run, run->mechs[i], k);

		if (v <= 0)
			continue;
		s.of++;
		if (v > mine)
			s.rank++;
		if (v > best)
			best = v;
	}
	s.measured = true;
	s.times_slower = best / mine;
	return s;
}

static void format_mark(char *buf, size_t len, const char *label, struct speed_mark s)
{
	size_t used = strlen(buf);

	if (s.measured)
		snprintf(buf + used, len - used, "%s%s #%u %.2fx", used ? ", " : "", label,
			 s.rank, s.times_slower);
	else
		snprintf(buf + used, len - used, "%s%s -", used ? ", " : "", label);
}

void textbook_row(const struct bench_run *run, const struct bench_mech *mech,
		  struct textbook_row *row)
{
	memset(row, 0, sizeof(*row));
	row->mech = mech;
	row->round_trip = mark(run, mech, METRIC_ROUND_TRIP);
	row->small = mark(run, mech, METRIC_SMALL);
	row->large = mark(run, mech, METRIC_LARGE);
	if (!row->round_trip.measured && !row->small.measured && !row->large.measured) {
		const struct bench_result *r =
			run_find(run, mech, RESULT_LATENCY, metric_size(run, METRIC_ROUND_TRIP), 1);

		if (r && r->status == RESULT_NA) {
			snprintf(row->measured, sizeof(row->measured), "n/a at %zu B: %.60s",
				 r->msg_size, r->note);
			return;
		}
	}
	format_mark(row->measured, sizeof(row->measured), "rt", row->round_trip);
	format_mark(row->measured, sizeof(row->measured), "small", row->small);
	format_mark(row->measured, sizeof(row->measured), "bulk", row->large);
}

/* The best (or worst) textbook mechanism on metric @k; NULL if none measured. */
static const struct bench_mech *extreme(const struct bench_run *run, enum metric k, bool worst)
{
	const struct bench_mech *pick = NULL;
	double pv = 0;
	size_t i;

	for (i = 0; i < run->nmechs; i++) {
		const struct bench_mech *m = run->mechs[i];
		double v = value(run, m, k);

		if (!is_textbook(m) || v <= 0)
			continue;
		if (!pick || (worst ? v < pv : v > pv)) {
			pick = m;
			pv = v;
		}
	}
	return pick;
}

static void size_label(const struct bench_run *run, enum metric k, char *buf, size_t len)
{
	size_t s = metric_size(run, k);

	if (s >= 1024 * 1024)
		snprintf(buf, len, "%zu MiB", s >> 20);
	else if (s >= 1024)
		snprintf(buf, len, "%zu KiB", s >> 10);
	else
		snprintf(buf, len, "%zu B", s);
}

/* Textbook mechanisms measured on @k inside (@inside) or outside @in_group. */
static unsigned int measured_in(const struct bench_run *run, enum metric k,
				bool (*in_group)(const struct bench_mech *), bool inside)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < run->nmechs; i++)
		if (is_textbook(run->mechs[i]) && in_group(run->mechs[i]) == inside &&
		    value(run, run->mechs[i], k) > 0)
			n++;
	return n;
}

/* "X is the fastest" / "X is the slowest" over the three metrics. */
static void extreme_claim(const struct bench_run *run, struct textbook_claim *c,
			  bool (*in_group)(const struct bench_mech *), bool worst)
{
	unsigned int agree = 0, tested = 0;
	enum metric k;

	for (k = 0; k < METRICS; k++) {
		const struct bench_mech *m = extreme(run, k, worst);
		char sz[32], v[48];

		/* A contest needs the group and somebody else in it. */
		if (!m || !measured_in(run, k, in_group, true) ||
		    !measured_in(run, k, in_group, false))
			continue;
		tested++;
		if (in_group(m))
			agree++;
		size_label(run, k, sz, sizeof(sz));
		appendf(c->evidence, sizeof(c->evidence), "%s%s %s: %s is %s (%s)",
			tested > 1 ? "; " : "", metric_names[k], sz, m->title,
			worst ? "slowest" : "fastest", shown(run, m, k, v, sizeof(v)));
	}
	c->verdict = claim_verdict_of(agree, tested);
	if (!tested)
		snprintf(c->evidence, sizeof(c->evidence),
			 "needs both kinds of mechanism measured in this run");
}

static bool is_shared_memory(const struct bench_mech *m)
{
	return m->kind == BENCH_KIND_SHARED_MEMORY;
}

/* @a slower than @b by at least @margin on metric @k: 1 yes, 0 no, -1 unknown. */
static int slower(const struct bench_run *run, const struct bench_mech *a,
		  const struct bench_mech *b, enum metric k, double margin)
{
	double va, vb;

	if (!a || !b)
		return -1;
	va = value(run, a, k);
	vb = value(run, b, k);
	if (va <= 0 || vb <= 0)
		return -1;
	return vb / va >= margin;
}

/* "@slow is slower than @fast" for every pair given, on round trip and small. */
static void pair_claim(const struct bench_run *run, struct textbook_claim *c,
		       const char *const *slow, const char *fast, double margin)
{
	const struct bench_mech *f = run_find_mech(run, fast);
	unsigned int agree = 0, tested = 0;
	enum metric k;
	int i;

	for (i = 0; slow[i]; i++) {
		const struct bench_mech *s = run_find_mech(run, slow[i]);

		for (k = METRIC_ROUND_TRIP; k <= METRIC_SMALL; k++) {
			int r = slower(run, s, f, k, margin);
			char sz[32], vs[48], vf[48];

			if (r < 0)
				continue;
			tested++;
			agree += (unsigned int)r;
			size_label(run, k, sz, sizeof(sz));
			appendf(c->evidence, sizeof(c->evidence), "%s%s %s: %s %s vs %s %s",
				tested > 1 ? "; " : "", metric_names[k], sz, s->title,
				shown(run, s, k, vs, sizeof(vs)), f->title,
				shown(run, f, k, vf, sizeof(vf)));
		}
	}
	c->verdict = claim_verdict_of(agree, tested);
	if (!tested)
		snprintf(c->evidence, sizeof(c->evidence),
			 "needs %s and %s measured in this run", slow[0], fast);
}

static void signal_claim(const struct bench_run *run, struct textbook_claim *c)
{
	const struct bench_mech *sig = run_find_mech(run, "signal");
	const struct bench_mech *pipe = run_find_mech(run, "pipe");
	const struct bench_mech *efd = run_find_mech(run, "eventfd");
	const struct bench_result *rs = NULL, *rp = NULL, *re = NULL;

	c->verdict = CLAIM_UNTESTED;
	if (sig)
		rs = run_find(run, sig, RESULT_LATENCY, 8, 1);
	if (pipe)
		rp = run_find(run, pipe, RESULT_LATENCY, 8, 1);
	if (efd)
		re = run_find(run, efd, RESULT_LATENCY, 8, 1);
	if (!rs || !rp || rs->status != RESULT_OK || rp->status != RESULT_OK) {
		snprintf(c->evidence, sizeof(c->evidence),
			 "needs signal and pipe round trips at 8 B");
		return;
	}
	c->verdict = rs->mean_ns <= rp->mean_ns ? CLAIM_HOLDS : CLAIM_CONTRADICTED;
	appendf(c->evidence, sizeof(c->evidence),
		"round trip 8 B: signal %.2f us vs pipe %.2f us (%.2fx)", rs->mean_ns / 1e3,
		rp->mean_ns / 1e3, rs->mean_ns / rp->mean_ns);
	if (re && re->status == RESULT_OK)
		appendf(c->evidence, sizeof(c->evidence), ", eventfd %.2f us", re->mean_ns / 1e3);
	appendf(c->evidence, sizeof(c->evidence), "; and a signal carries 8 bytes at most");
}

static void threads_claim(const struct bench_run *run, struct textbook_claim *c)
{
	unsigned int i, agree = 0, tested = 0;

	for (i = 0; i + 1 < run->ncosts; i++) {
		const struct cost_result *p = &run->costs[i], *t = &run->costs[i + 1];

		if (strcmp(p->between, "processes") || strcmp(t->between, "threads") ||
		    strcmp(p->name, t->name) || !p->ok || !t->ok)
			continue;
		tested++;
		agree += t->ns * 1.02 <= p->ns;
		appendf(c->evidence, sizeof(c->evidence),
			"%s%s: processes %.2f us, threads %.2f us", tested > 1 ? "; " : "",
			p->name, p->ns / 1e3, t->ns / 1e3);
	}
	c->verdict = claim_verdict_of(agree, tested);
	if (!tested)
		snprintf(c->evidence, sizeof(c->evidence), "needs the costs section");
}

static unsigned int claims_of(const struct bench_run *run, struct textbook_claim *out)
{
	static const char *const queues[] = { "sysv-msg", "posix-mq", NULL };
	static const char *const tcp[] = { "tcp", NULL };
	static const char *const buses[] = { "dbus", "sd-bus", NULL };
	unsigned int n = 0;

	memset(out, 0, MAX_CLAIMS * sizeof(*out));
	out[n].claim = "Shared memory is the fastest IPC";
	extreme_claim(run, &out[n++], is_shared_memory, false);
	out[n].claim = "Sockets are the slowest IPC";
	extreme_claim(run, &out[n++], is_socket, true);
	out[n].claim = "Signals are cheap";
	signal_claim(run, &out[n++]);
	out[n].claim = "Message queues are slower than pipes";
	pair_claim(run, &out[n++], queues, "pipe", 1.0);
	out[n].claim = "TCP loopback is much slower (>= 1.2x) than a UNIX stream socket";
	pair_claim(run, &out[n++], tcp, "unix-stream", 1.2);
	out[n].claim = "Switching between threads is cheaper than between processes";
	threads_claim(run, &out[n++]);
	n += process_claims(run, &out[n]);
	/*
	 * D-Bus runs over a UNIX stream socket (its daemon's): what it adds
	 * is the framework's cost. Untested unless the slow rows are named.
	 */
	out[n].claim = "Frameworks (D-Bus) wrap an OS mechanism and cost more than it";
	pair_claim(run, &out[n++], buses, "unix-stream", 1.0);
	return n;
}

/* One repeat's verdicts folded into @out's tally. */
static void tally(struct textbook_claim *out, const struct textbook_claim *one, unsigned int n,
		  unsigned int *count)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[i].held_in += one[i].verdict == CLAIM_HOLDS;
		count[i * 4 + one[i].verdict]++;
	}
}

unsigned int textbook_claims(const struct bench_run *run, struct textbook_claim *out)
{
	unsigned int n = claims_of(run, out), i, k, count[MAX_CLAIMS * 4] = { 0 };
	struct textbook_claim one[MAX_CLAIMS];

	for (i = 0; i < n; i++) {
		out[i].repeats = run->nrepeats > 1 ? run->nrepeats : 1;
		out[i].held_in = run->nrepeats > 1 ? 0 : out[i].verdict == CLAIM_HOLDS;
	}
	if (run->nrepeats <= 1)
		return n;
	for (k = 0; k < run->nrepeats; k++) {
		struct bench_run view = run_repeat_view(run, k);

		claims_of(&view, one);
		tally(out, one, n, count);
	}
	for (i = 0; i < n; i++) {
		char evidence[sizeof(out[i].evidence)];
		unsigned int *c = &count[i * 4];

		if (c[CLAIM_HOLDS] == run->nrepeats)
			out[i].verdict = CLAIM_HOLDS;
		else if (c[CLAIM_CONTRADICTED] == run->nrepeats)
			out[i].verdict = CLAIM_CONTRADICTED;
		else if (c[CLAIM_UNTESTED] == run->nrepeats)
			out[i].verdict = CLAIM_UNTESTED;
		else
			out[i].verdict = CLAIM_MIXED;
		if (out[i].verdict == CLAIM_UNTESTED)
			continue;
		snprintf(evidence, sizeof(evidence), "held in %u of %u repeats; means: %s",
			 out[i].held_in, run->nrepeats, out[i].evidence);
		memcpy(out[i].evidence, evidence, sizeof(evidence));
	}
	return n;
}

/* Holds when every tested case agrees, contradicted when none does. */
enum claim_verdict claim_verdict_of(unsigned int agree, unsigned int tested)
{
	if (tested == 0)
		return CLAIM_UNTESTED;
	if (agree == tested)
		return CLAIM_HOLDS;
	return agree == 0 ? CLAIM_CONTRADICTED : CLAIM_MIXED;
}

const char *claim_verdict_name(enum claim_verdict v)
{
	switch (v) {
	case CLAIM_HOLDS:
		return "holds";
	case CLAIM_CONTRADICTED:
		return "CONTRADICTED";
	case CLAIM_MIXED:
		return "mixed";
	case CLAIM_UNTESTED:
		return "untested";
	}
	return "?";
}
