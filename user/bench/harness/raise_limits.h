/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: lifting the kernel limits that would keep a mechanism from
 * carrying messages up to 1 MiB, as root, and writing down what changed.
 */
#ifndef KIPC_BENCH_LIMITS_H
#define KIPC_BENCH_LIMITS_H

#include <stdbool.h>

#include "env.h"

/*
 * As root and when @allowed: move into a private IPC namespace (so SysV and
 * POSIX mq limits change for this run only), raise kernel.msgmax and
 * fs.mqueue.msgsize_max to 1 MiB, kernel.msgmnb to 4 MiB, fs.mqueue.msg_max
 * to 1024, net.unix.max_dgram_qlen to 512 (a network namespace setting:
 * restored at exit) and RLIMIT_MSGQUEUE to unlimited. Records the changes
 * in env.
 */
void limits_raise(struct bench_env *env, bool allowed);

#endif
