// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: the per-participant system call count (bench.h). */
#include "bench.h"

__thread uint64_t bench_syscalls;
