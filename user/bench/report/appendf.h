/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: building a verdict's evidence text a piece at a time. */
#ifndef KIPC_BENCH_APPENDF_H
#define KIPC_BENCH_APPENDF_H

#include <stddef.h>

/* printf onto the end of the string in @buf (@len bytes), cut to fit. */
void appendf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif /* KIPC_BENCH_APPENDF_H */
