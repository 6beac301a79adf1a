// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the growth section's outputs (see harness/growth.h): its
 * tables with the ratio of the largest level to the smallest against the
 * 1.2x target, growth.csv, its part of results.json, and two plots in
 * plots.gp: cost per call against the objects in the namespace (log-log),
 * and the round trips with idle waiters and epoll sets (bars).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "json_put.h"
#include "report.h"
#include "report_file.h"

#define TARGET_RATIO	1.2

static const char *const op_names[] = { "create", "open", "unlink", "fill" };
#define NOPS	4

static const double *op_figures(const struct growth_mech_result *m, unsigned int op)
{
	switch (op) {
	case 0: return m->create_ns;
	case 1: return m->open_ns;
	case 2: return m->unlink_ns;
	default: return m->fill_ns;
	}
}

/* "  12.34" or "      -" in @width columns, microseconds. */
static void put_us(FILE *f, int width, double ns)
{
	if (ns < 0)
		fprintf(f, " %*s", width, "-");
	else
		fprintf(f, " %*.2f", width, ns / 1e3);
}

/* The ratio @last/@first and whether it meets the target, for kipc only. */
static void put_ratio(FILE *f, const struct growth_mech_result *m, double first, double last)
{
	if (first <= 0 || last <= 0) {
		fprintf(f, " %7s", "-");
		return;
	}
	fprintf(f, " %6.2fx", last / first);
	if (m->ops == &growth_kipc)
		fprintf(f, " %s", last / first <= TARGET_RATIO ? "ok" : "OVER 1.2x");
}

void report_growth_table(FILE *f, const struct growth_result *g)
{
	unsigned int i, j, op;

	if (!g)
		return;
	fprintf(f, "\nHow cost grows: us per call with N named queues in the namespace (mean of "
		   "%u creates of new names, %u opens and up to %u unlinks of old ones; fill: "
		   "a create while filling up to N, resizes included)\n", g->m[0].ops_per_point,
		g->m[0].ops_per_point, g->m[0].ops_per_point);
	fprintf(f, "%-12s %-7s", "mechanism", "call");
	for (j = 0; j < GROWTH_POINTS; j++)
		fprintf(f, " %8u", growth_points[j]);
	fprintf(f, " %7s\n", "100k/10");
	for (i = 0; i < g->n; i++) {
		const struct growth_mech_result *m = &g->m[i];

		for (op = 0; op < NOPS; op++) {
			const double *v = op_figures(m, op);

			fprintf(f, "%-12s %-7s", op ? "" : m->ops->title, op_names[op]);
			for (j = 0; j < GROWTH_POINTS; j++)
				put_us(f, 8, v[j]);
			put_ratio(f, m, v[0], v[GROWTH_POINTS - 1]);
			fputc('\n', f);
		}
	}
	fprintf(f, "\nHow cost grows: 64 B round trip, us (mean of %u), with idle waiters "
		   "blocked on other queues, and through epoll_wait on a set of queues\n",
		g->m[0].round_trips);
	fprintf(f, "%-12s %8s %8s %8s %7s   %8s %8s %7s\n", "mechanism", "0 wait", "100 wait",
		"1000 wait", "1000/0", "epoll 1", "ep 1000", "1000/1");
	for (i = 0; i < g->n; i++) {
		const struct growth_mech_result *m = &g->m[i];

		fprintf(f, "%-12s", m->ops->title);
		for (j = 0; j < GROWTH_WAITERS; j++)
			put_us(f, 8, m->waiters_ns[j]);
		put_ratio(f, m, m->waiters_ns[0], m->waiters_ns[GROWTH_WAITERS - 1]);
		fprintf(f, "  ");
		for (j = 0; j < GROWTH_EPOLL; j++)
			put_us(f, 8, m->epoll_ns[j]);
		put_ratio(f, m, m->epoll_ns[0], m->epoll_ns[GROWTH_EPOLL - 1]);
		fputc('\n', f);
	}
	fprintf(f, "\nHow cost grows: memory (Slab growth; queues of 10 x 8192 B, "
		   "messages of 64 B)\n%-12s %16s %16s\n", "mechanism", "B/empty queue",
		"B/queued msg");
	for (i = 0; i < g->n; i++) {
		const struct growth_mech_result *m = &g->m[i];

		fprintf(f, "%-12s", m->ops->title);
		if (m->bytes_per_queue < 0)
			fprintf(f, " %16s", "-");
		else
			fprintf(f, " %16.0f", m->bytes_per_queue);
		if (m->bytes_per_msg < 0)
			fprintf(f, " %16s", "-");
		else
			fprintf(f, " %16.0f", m->bytes_per_msg);
		fputc('\n', f);
	}
	for (i = 0; i < g->n; i++)
		if (g->m[i].note[0])
			fprintf(f, "  %s: %s\n", g->m[i].ops->title, g->m[i].note);
}

static void csv_ns(FILE *f, double ns)
{
	if (ns >= 0)
		fprintf(f, "%.1f", ns);
}

/* growth.csv: one row per figure: mechanism,measure,n,value,unit. */
int report_growth_csv(const char *dir, const struct growth_result *g)
{
	unsigned int i, j, op;
	FILE *f;

	if (!g)
		return 0;
	f = report_open(dir, "growth.csv");
	if (!f)
		return -1;
	fputs("mechanism,measure,n,value,unit\n", f);
	for (i = 0; i < g->n; i++) {
		const struct growth_mech_result *m = &g->m[i];

		for (op = 0; op < NOPS; op++)
			for (j = 0; j < GROWTH_POINTS; j++) {
				fprintf(f, "%s,%s,%u,", m->ops->name, op_names[op], growth_points[j]);
				csv_ns(f, op_figures(m, op)[j]);
				fputs(",ns\n", f);
			}
		for (j = 0; j < GROWTH_WAITERS; j++) {
			fprintf(f, "%s,round_trip_idle_waiters,%u,", m->ops->name, growth_waiters[j]);
			csv_ns(f, m->waiters_ns[j]);
			fputs(",ns\n", f);
		}
		for (j = 0; j < GROWTH_EPOLL; j++) {
			fprintf(f, "%s,round_trip_epoll_set,%u,", m->ops->name, growth_epoll_set[j]);
			csv_ns(f, m->epoll_ns[j]);
			fputs(",ns\n", f);
		}
		fprintf(f, "%s,memory_per_empty_queue,1,", m->ops->name);
		csv_ns(f, m->bytes_per_queue);
		fprintf(f, ",bytes\n%s,memory_per_queued_msg,1,", m->ops->name);
		csv_ns(f, m->bytes_per_msg);
		fputs(",bytes\n", f);
	}
	return report_close(f);
}

static json_object *json_figures(const double *v, const unsigned int *at, unsigned int n)
{
	json_object *o = json_object_new_object();
	unsigned int i;
	char key[16];

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%u", at[i]);
		json_object_object_add(o, key, v[i] < 0 ? NULL : json_object_new_double(v[i]));
	}
	return o;
}

/* The "growth" member of results.json: figures in ns and bytes, null when not measured. */
json_object *report_growth_json(const struct growth_result *g)
{
	json_object *a = json_object_new_array();
	unsigned int i, op;

	for (i = 0; g && i < g->n; i++) {
		const struct growth_mech_result *m = &g->m[i];
		json_object *o = json_object_new_object();

		put_str(o, "mechanism", m->ops->name);
		for (op = 0; op < NOPS; op++) {
			char key[32];

			snprintf(key, sizeof(key), "%s_ns", op_names[op]);
			json_object_object_add(o, key, json_figures(op_figures(m, op),
								    growth_points, GROWTH_POINTS));
		}
		json_object_object_add(o, "round_trip_idle_waiters_ns",
				       json_figures(m->waiters_ns, growth_waiters, GROWTH_WAITERS));
		json_object_object_add(o, "round_trip_epoll_set_ns",
				       json_figures(m->epoll_ns, growth_epoll_set, GROWTH_EPOLL));
		json_object_object_add(o, "bytes_per_empty_queue", m->bytes_per_queue < 0 ? NULL :
				       json_object_new_double(m->bytes_per_queue));
		json_object_object_add(o, "bytes_per_queued_msg", m->bytes_per_msg < 0 ? NULL :
				       json_object_new_double(m->bytes_per_msg));
		put_int(o, "calls_per_point", m->ops_per_point);
		put_int(o, "round_trips", m->round_trips);
		put_str(o, "note", m->note);
		json_object_array_add(a, o);
	}
	return a;
}

/*
 * growth.dat: one block per mechanism and call (gnuplot "index"), then
 * growth-rt.dat: one row per mechanism, '?' where not measured.
 */
int report_growth_dat(const char *dir, const struct growth_result *g)
{
	unsigned int i, j, op;
	FILE *f;

	if (!g)
		return 0;
	f = report_open(dir, "growth.dat");
	if (!f)
		return -1;
	for (i = 0; i < g->n; i++)
		for (op = 0; op < NOPS; op++) {
			fprintf(f, "%s# %s %s\n", i || op ? "\n\n" : "", g->m[i].ops->title,
				op_names[op]);
			for (j = 0; j < GROWTH_POINTS; j++)
				if (op_figures(&g->m[i], op)[j] >= 0)
					fprintf(f, "%u %.3f\n", growth_points[j],
						op_figures(&g->m[i], op)[j] / 1e3);
		}
	if (report_close(f))
		return -1;
	f = report_open(dir, "growth-rt.dat");
	if (!f)
		return -1;
	fputs("# mechanism, us: 0/100/1000 idle waiters, epoll set of 1/1000\n", f);
	for (i = 0; i < g->n; i++) {
		const struct growth_mech_result *m = &g->m[i];
		double v[] = { m->waiters_ns[0], m->waiters_ns[1], m->waiters_ns[2],
			       m->epoll_ns[0], m->epoll_ns[1] };

		fprintf(f, "\"%s\"", m->ops->title);
		for (j = 0; j < sizeof(v) / sizeof(v[0]); j++)
			if (v[j] < 0)
				fputs(" ?", f);
			else
				fprintf(f, " %.3f", v[j] / 1e3);
		fputc('\n', f);
	}
	return report_close(f);
}

/* The two growth plots, for the terminal plots.gp has just set. */
void report_growth_plot(FILE *f, const struct growth_result *g, const char *where,
			const char *ext)
{
	static const char *const dash[] = { "1", "2", "3", "4" };
	unsigned int i, op;

	if (!g)
		return;
	fprintf(f, "reset\nset grid\nset logscale xy\nset key outside right noenhanced\n"
		   "set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.02\n"
		   "set xlabel 'named queues in the namespace'\nset ylabel 'microseconds per call'\n"
		   "set title \"How cost grows: create, open by name, unlink (%s)\" noenhanced\n"
		   "set output 'growth.%s'\nplot ", where, ext);
	for (i = 0; i < g->n; i++)
		for (op = 0; op < NOPS; op++)
			fprintf(f, "%s'growth.dat' index %u using 1:2 with linespoints lw 2 "
				   "pt %u lc %u dt %s title \"%s %s\"", i || op ? ", \\\n     " : "",
				i * NOPS + op, op + 4, i + 1, dash[op], g->m[i].ops->title, op_names[op]);
	fprintf(f, "\nreset\nset grid ytics\nset datafile missing '?'\n"
		   "set style data histograms\nset style histogram clustered gap 1\n"
		   "set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
		   "set key top left noenhanced\nset yrange [0:*]\n"
		   "set ylabel 'microseconds per 64 B round trip'\n"
		   "set title \"How cost grows: round trip with idle waiters and epoll sets (%s)\" "
		   "noenhanced\nset output 'growth-rt.%s'\n"
		   "plot 'growth-rt.dat' using 2:xticlabels(1) title '0 idle waiters', "
		   "'' using 3 title '100 idle waiters', '' using 4 title '1000 idle waiters', "
		   "'' using 5 title 'epoll, 1 queue', '' using 6 title 'epoll, 1000 queues'\n",
		where, ext);
}
