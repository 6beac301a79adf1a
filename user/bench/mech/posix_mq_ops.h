/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: the POSIX mq calls mech_posix_mq.c makes, as a table, so that
 * the same program measures libc's mq_* (posix-mq) and libkipc-mq's
 * (posix-mq-on-kipc): the functions LD_PRELOAD=libkipc-mq.so.0 would reach,
 * found with dlopen()/dlsym(). The table is picked at setup; a call through
 * it costs one indirect call.
 */
#ifndef KIPC_BENCH_POSIX_MQ_OPS_H
#define KIPC_BENCH_POSIX_MQ_OPS_H

#include <mqueue.h>
#include <stdbool.h>
#include <sys/types.h>

struct posix_mq_ops {
	mqd_t (*open)(const char *name, int oflag, ...);
	int (*close)(mqd_t q);
	int (*unlink)(const char *name);
	int (*send)(mqd_t q, const char *buf, size_t len, unsigned int prio);
	ssize_t (*receive)(mqd_t q, char *buf, size_t len, unsigned int *prio);
	/* The limits on a queue's depth and message size: files to read. */
	const char *msg_max, *msgsize_max;
	unsigned long msg_max_default, msgsize_max_default;
	bool rlimit;		/* RLIMIT_MSGQUEUE bounds a user's queues */
};

extern const struct posix_mq_ops posix_mq_libc_ops;

/* libkipc-mq's table, or NULL (and *why says so) when it cannot be used. */
const struct posix_mq_ops *posix_mq_kipc_ops(const char **why);

#endif
