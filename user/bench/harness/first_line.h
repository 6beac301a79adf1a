/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: first lines of small files (/proc, /sys), for env and provenance. */
#ifndef KIPC_BENCH_FIRST_LINE_H
#define KIPC_BENCH_FIRST_LINE_H

#include <stddef.h>

/* @buf gets @path's first line without its newline; "" if it cannot be read. */
void read_first_line(const char *path, char *buf, size_t len);

/*
 * Every file of @dir but dot files, in name order, as "NAME<between>LINE"
 * (LINE its first line), joined by @sep into @buf and cut to fit; "" when
 * @dir cannot be read. As /sys/module/M/parameters or .../vulnerabilities.
 */
void read_dir_lines(const char *dir, const char *between, const char *sep, char *buf,
		    size_t len);

#endif /* KIPC_BENCH_FIRST_LINE_H */
