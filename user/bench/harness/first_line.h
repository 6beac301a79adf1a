/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: the first line of a small file (/proc, /sys), for env and provenance. */
#ifndef KIPC_BENCH_FIRST_LINE_H
#define KIPC_BENCH_FIRST_LINE_H

#include <stddef.h>

/* @buf gets @path's first line without its newline; "" if it cannot be read. */
void read_first_line(const char *path, char *buf, size_t len);

#endif /* KIPC_BENCH_FIRST_LINE_H */
