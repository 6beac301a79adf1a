/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: message buffers with the headroom a mechanism asked for. */
#ifndef KIPC_BENCH_MSGBUF_H
#define KIPC_BENCH_MSGBUF_H

#include <stddef.h>

#include "bench.h"

/* A cache-aligned buffer of @size bytes with mech->headroom writable before it. */
void *msgbuf_alloc(const struct bench_mech *mech, size_t size);
void msgbuf_free(const struct bench_mech *mech, void *buf);

#endif
