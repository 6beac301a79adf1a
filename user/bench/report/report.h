/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: the outputs of a run. */
#ifndef KIPC_BENCH_REPORT_H
#define KIPC_BENCH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "run.h"

/* report_table.c: the aligned tables, the textbook table and its claims. */
void report_tables(FILE *f, const struct bench_run *run);
/* report_csv.c: results.csv, costs.csv, textbook.csv, claims.csv in @dir. */
int report_csv(const char *dir, const struct bench_run *run);
/* report_json.c: results.json in @dir (json-c). */
int report_json(const char *dir, const struct bench_run *run);
/* The same JSON on @f (--json). */
int report_json_to(FILE *f, const struct bench_run *run);
/*
 * report_plot.c: *.dat and *.gp in @dir; runs gnuplot there when
 * @run_gnuplot and gnuplot is installed, making PNG and SVG files.
 */
int report_plots(const char *dir, const struct bench_run *run, bool run_gnuplot);

/*
 * report_growth.c: the growth section's tables, growth.csv, growth.dat and
 * growth-rt.dat, its plots (written into plots.gp) and its JSON member.
 * Each does nothing when @g is NULL.
 */
struct json_object;
void report_growth_table(FILE *f, const struct growth_result *g);
int report_growth_csv(const char *dir, const struct growth_result *g);
int report_growth_dat(const char *dir, const struct growth_result *g);
void report_growth_plot(FILE *f, const struct growth_result *g, const char *where,
			const char *ext);
struct json_object *report_growth_json(const struct growth_result *g);

/* "1.25M", "310k", "950" */
const char *format_rate(double v, char *buf, size_t len);

#endif
