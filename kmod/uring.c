// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - io_uring passthrough: IORING_OP_URING_CMD on a queue's file.
 *
 * A command is a queue ioctl run by io_uring (Documentation/uring.rst):
 * sqe->cmd_op is the ioctl's number, the SQE's command area a struct
 * kipc_uring_cmd whose @arg is the ioctl's argument, and what the handler
 * returns is the CQE's res. Nothing is left in flight in kipc: io_uring
 * holds the request and its file reference, kipc only runs the call.
 *
 * io_uring first issues a command inline (in io_uring_enter(), or in the
 * SQPOLL thread) with IO_URING_F_NONBLOCK: the call runs non-blocking and
 * -EAGAIN sends it to an io-wq worker, which issues it again without the
 * flag (6.1 and 6.12: io_uring_cmd() returns -EAGAIN to io_issue_sqe(),
 * io_queue_async() finds no poll handler for URING_CMD and punts it;
 * io_wq_submit_work() does not retry an -EAGAIN of an opcode without
 * pollin/pollout, so a call the user made non-blocking completes with
 * -EAGAIN there). The worker sleeps on the queue's wait queue as the
 * ioctl does.
 *
 * Every result but that -EAGAIN is posted with io_uring_cmd_done() (and
 * the handler returns -EIOCBQUEUED), not returned: 6.1's io_uring_cmd()
 * hands a positive return value to io_issue_sqe() as if it were an
 * error, which fails the request inline (breaking IOSQE_IO_LINK chains)
 * and, from io-wq, never posts it at all (the request and its file
 * reference leak). io_uring_cmd_done() called within the issue is what a
 * driver completing before its issue returns does: it posts the CQE
 * under the completion lock (6.1) or as task work / a deferred
 * completion, as @issue_flags say (6.12).
 *
 * io-wq workers block every signal but SIGKILL and SIGSTOP; io_uring
 * cancels a worker's request (IORING_OP_ASYNC_CANCEL, the ring's
 * teardown, its task's exit) with TIF_NOTIFY_SIGNAL, which the wait sees
 * as a signal. -ERESTARTSYS cannot restart anything here (nothing returns
 * to user space), so it becomes -ECANCELED for a cancellation or a fatal
 * signal and -EINTR otherwise (a group stop, the freezer), as io_uring's
 * own reads turn it into -EINTR.
 */
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "kipc_priv.h"

static_assert(sizeof(struct kipc_uring_cmd) == 16);

static int kipc_uring_errno(long ret)
{
	if (ret != -ERESTARTSYS && ret != -EINTR)
		return ret;
	if (test_thread_flag(TIF_NOTIFY_SIGNAL) || fatal_signal_pending(current))
		return -ECANCELED;
	return -EINTR;
}

/**
 * kipc_uring_cmd() - file_operations.uring_cmd of /dev/kipc
 * @ioucmd: the command
 * @issue_flags: IO_URING_F_*; with IO_URING_F_NONBLOCK, must not sleep
 *
 * Return: -EIOCBQUEUED once the CQE is posted with what the ioctl
 * @ioucmd->cmd_op returns; -EAGAIN to be issued again from io-wq;
 * -EOPNOTSUPP for a command io_uring does not run, -EINVAL for a
 * non-zero reserved field (io_uring posts those as the CQE's res).
 */
int kipc_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	const struct kipc_uring_cmd *area = kipc_uring_cmd_area(ioucmd);
	unsigned int cmd = READ_ONCE(ioucmd->cmd_op);
	void __user *uarg;
	long ret;

	switch (KIPC_IOC_NOSIZE(cmd)) {
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEND):
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECV):
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEND_BATCH):
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECV_BATCH):
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECVMSG):
	case KIPC_IOC_NOSIZE(KIPC_IOC_SENDMSG):
		break;
	default:
		return -EOPNOTSUPP;
	}
	/* The SQE is shared with user space until io_uring copies it. */
	if (READ_ONCE(area->__reserved))
		return -EINVAL;
	uarg = u64_to_user_ptr(READ_ONCE(area->arg));
	ret = kipc_queue_cmd(ioucmd->file, cmd, uarg,
			     issue_flags & IO_URING_F_NONBLOCK);
	/* Would block: io_uring issues it again from io-wq. */
	if (ret == -EAGAIN && (issue_flags & IO_URING_F_NONBLOCK))
		return -EAGAIN;
	io_uring_cmd_done(ioucmd, kipc_uring_errno(ret), 0, issue_flags);
	return -EIOCBQUEUED;
}
