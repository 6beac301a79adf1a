/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: what the kipc mechanisms report until their file is filled in.
 * A kipc mechanism that is not built yet sets .unavailable = kipc_not_built;
 * the harness then prints "<title>: not yet implemented in this build" in
 * every table instead of a figure.
 */
#ifndef KIPC_BENCH_KIPC_MISSING_H
#define KIPC_BENCH_KIPC_MISSING_H

static inline const char *kipc_not_built(void)
{
	return "not yet implemented in this build";
}

#endif
