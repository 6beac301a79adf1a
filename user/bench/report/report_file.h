/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: the files a report writes into the output directory, and the
 * CSV quoting they share, so every writer opens, quotes and checks alike.
 */
#ifndef KIPC_BENCH_REPORT_FILE_H
#define KIPC_BENCH_REPORT_FILE_H

#include <stdio.h>

/* Open @dir/@name for writing; NULL after saying why on stderr. */
FILE *report_open(const char *dir, const char *name);

/* Close @f; -1 if any write to it failed or the close did. */
int report_close(FILE *f);

/* Write @s as one CSV field, quoted only when it must be (RFC 4180). */
void report_csv_field(FILE *f, const char *s);

#endif /* KIPC_BENCH_REPORT_FILE_H */
