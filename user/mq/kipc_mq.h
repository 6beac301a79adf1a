/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libkipc-mq: the POSIX message-queue API of <mqueue.h> (mq_open,
 * mq_close, mq_unlink, mq_send, mq_timedsend, mq_receive, mq_timedreceive,
 * mq_getattr, mq_setattr, mq_notify) served by kipc queues. It declares
 * nothing of its own: a program includes it (or just <mqueue.h>) and
 * either links with -lkipc-mq (pkg-config kipc-mq), whose definitions
 * come before libc's, or runs unchanged with
 * LD_PRELOAD=libkipc-mq.so.0.
 *
 * Which queues are kipc's (libkipc-mq(3), Documentation/mq-shim.rst):
 *   - KIPC_MQ_NAMES unset: every name; set: only the names that start
 *     with one of its colon-separated prefixes ("/app:/test"); set and
 *     empty: none. The rest, and every name while /dev/kipc cannot be
 *     opened (module not loaded, no access), are glibc's real POSIX
 *     queues, and the descriptors of those go to glibc's functions.
 *   - "/NAME" is kipc's queue NAME: kipcctl and libkipc see it, and
 *     /dev/mqueue does not. NAME must fit kipc (at most 63 bytes,
 *     ENAMETOOLONG; printable ASCII without space, EINVAL).
 * Limits are kipc's (its module parameters and per-user budgets), not
 * /proc/sys/fs/mqueue and RLIMIT_MSGQUEUE.
 */
#ifndef KIPC_MQ_H
#define KIPC_MQ_H

#include <mqueue.h>

/* The environment variable that picks the names kipc takes. */
#define KIPC_MQ_NAMES_ENV	"KIPC_MQ_NAMES"

#endif
