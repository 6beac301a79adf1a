/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: the process-model sections in the outputs (creation, crash,
 * unsync): their tables, CSV files, JSON members and textbook claims.
 */
#ifndef KIPC_BENCH_PROCESS_REPORT_H
#define KIPC_BENCH_PROCESS_REPORT_H

#include <stdio.h>

#include "run.h"
#include "textbook.h"

struct json_object;

/* The tables of every process-model section this run measured. */
void process_tables(FILE *f, const struct bench_run *run);
/* creation.csv, crash.csv, unsync.csv in @dir for those measured. */
int process_csv(const char *dir, const struct bench_run *run);
/* "creation", "crash", "unsync" members of @root for those measured. */
void process_json(struct json_object *root, const struct bench_run *run);
/* The claims these sections judge, appended at @out; returns how many. */
unsigned int process_claims(const struct bench_run *run, struct textbook_claim *out);

#endif
