/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kipc_uring.h - kipc queue commands as io_uring SQEs (liburing).
 *
 * Header-only: each function fills one IORING_OP_URING_CMD SQE that runs
 * a queue ioctl on a kipc queue's descriptor (Documentation/uring.rst).
 * libkipc itself does not link liburing; a program that includes this
 * header links -luring. As liburing's io_uring_prep_*() do, they clear the
 * SQE's flags (set IOSQE_* after) and leave its user_data as it was; @arg
 * must stay valid, and its buffers mapped,
 * until the command's completion, whose res is what the ioctl returns
 * (a negative errno on failure).
 */
#ifndef KIPC_URING_H
#define KIPC_URING_H

#include <linux/kipc.h>

#include <liburing.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * kipc_uring_prep_cmd() - an IORING_OP_URING_CMD running a queue ioctl
 * @sqe: the SQE to fill
 * @fd: the queue's descriptor (or its index, with IOSQE_FIXED_FILE)
 * @cmd_op: the ioctl's command (KIPC_IOC_SEND, ...)
 * @arg: the ioctl's argument
 */
static inline void kipc_uring_prep_cmd(struct io_uring_sqe *sqe, int fd,
				       unsigned int cmd_op, const void *arg)
{
	struct kipc_uring_cmd c = { .arg = (uint64_t)(uintptr_t)arg };

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = cmd_op;
	memcpy(sqe->cmd, &c, sizeof(c));
}

/** kipc_uring_prep_send() - KIPC_IOC_SEND of @m on @fd */
static inline void kipc_uring_prep_send(struct io_uring_sqe *sqe, int fd,
					struct kipc_msg *m)
{
	kipc_uring_prep_cmd(sqe, fd, KIPC_IOC_SEND, m);
}

/** kipc_uring_prep_recv() - KIPC_IOC_RECV into @m on @fd */
static inline void kipc_uring_prep_recv(struct io_uring_sqe *sqe, int fd,
					struct kipc_msg *m)
{
	kipc_uring_prep_cmd(sqe, fd, KIPC_IOC_RECV, m);
}

/** kipc_uring_prep_send_batch() - KIPC_IOC_SEND_BATCH of @b on @fd */
static inline void kipc_uring_prep_send_batch(struct io_uring_sqe *sqe, int fd,
					      struct kipc_batch *b)
{
	kipc_uring_prep_cmd(sqe, fd, KIPC_IOC_SEND_BATCH, b);
}

/** kipc_uring_prep_recv_batch() - KIPC_IOC_RECV_BATCH into @b on @fd */
static inline void kipc_uring_prep_recv_batch(struct io_uring_sqe *sqe, int fd,
					      struct kipc_batch *b)
{
	kipc_uring_prep_cmd(sqe, fd, KIPC_IOC_RECV_BATCH, b);
}

/** kipc_uring_prep_recvmsg() - KIPC_IOC_RECVMSG into @m on @fd */
static inline void kipc_uring_prep_recvmsg(struct io_uring_sqe *sqe, int fd,
					   struct kipc_recvmsg *m)
{
	kipc_uring_prep_cmd(sqe, fd, KIPC_IOC_RECVMSG, m);
}

/** kipc_uring_prep_sendmsg() - KIPC_IOC_SENDMSG of @m on @fd */
static inline void kipc_uring_prep_sendmsg(struct io_uring_sqe *sqe, int fd,
					   struct kipc_sendmsg *m)
{
	kipc_uring_prep_cmd(sqe, fd, KIPC_IOC_SENDMSG, m);
}

#ifdef __cplusplus
}
#endif

#endif /* KIPC_URING_H */
