/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libkipc - C API for the kipc kernel module (/dev/kipc).
 *
 * Conventions, as in libc: functions return 0 (or a count, or an fd) on
 * success and -1 with errno set on failure. Nothing here allocates behind the
 * caller's back except where a function says so.
 */
#ifndef LIBKIPC_H
#define LIBKIPC_H

#include <linux/kipc.h>

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/**
 * struct kipc_queue_attr - limits of a new queue
 * @maxmsg: capacity in messages (0: the module's default, msg_default)
 * @msgsize: largest message in bytes (0: the module's default)
 */
struct kipc_queue_attr {
	unsigned int maxmsg;
	unsigned int msgsize;
};

/**
 * kipc_queue_open() - open or create a named message queue
 * @name: 1 to 63 printable ASCII characters, no space, no '/'
 * @oflag: O_RDONLY, O_WRONLY or O_RDWR, optionally with O_CREAT, O_EXCL,
 *	O_NONBLOCK; O_CLOEXEC is always set
 * @mode: permission bits for a new queue (the umask applies)
 * @attr: limits of a new queue, or NULL for the defaults
 *
 * As mq_open(3): the descriptor's access mode decides whether it may send
 * (write access) and receive (read access).
 *
 * Return: a descriptor, or -1 with errno: ENOENT (no such queue, or the
 * module is not loaded), EEXIST (O_CREAT|O_EXCL and it exists), EACCES
 * (mode bits), EINVAL (bad name, flags or limits), ENAMETOOLONG, EMFILE
 * (per-user queue limit), ENOMEM.
 */
int kipc_queue_open(const char *name, int oflag, mode_t mode,
		    const struct kipc_queue_attr *attr);

/**
 * kipc_queue_anon() - create an anonymous queue, shared by fork or fd passing
 * @oflag: as for kipc_queue_open(), without O_CREAT and O_EXCL
 * @attr: limits, or NULL for the defaults
 *
 * Return: a descriptor, or -1 with errno.
 */
int kipc_queue_anon(int oflag, const struct kipc_queue_attr *attr);

/**
 * kipc_unlink() - remove a name; the object lives until its last close
 * @name: the name
 *
 * Return: 0, or -1 with errno: ENOENT, EPERM (not the owner), EINVAL.
 */
int kipc_unlink(const char *name);

/**
 * kipc_send() - send one message
 * @fd: queue descriptor with write access
 * @buf: the message
 * @len: its length, at most the queue's msgsize
 * @prio: 0 (lowest) to KIPC_PRIO_MAX - 1
 *
 * Blocks while the queue is full unless the descriptor is non-blocking.
 *
 * Return: 0, or -1 with errno: EAGAIN, EMSGSIZE, EINVAL (priority), EBADF,
 * EFAULT, EINTR.
 */
int kipc_send(int fd, const void *buf, size_t len, unsigned int prio);

/**
 * kipc_timedsend() - send one message, waiting at most until a deadline
 * @fd: queue descriptor with write access
 * @buf: the message
 * @len: its length
 * @prio: its priority
 * @abs_timeout: absolute CLOCK_MONOTONIC deadline, or NULL to wait forever
 *
 * Return: 0, or -1 with errno as kipc_send(), plus ETIMEDOUT, and EINVAL
 * for a negative deadline when the call would block.
 */
int kipc_timedsend(int fd, const void *buf, size_t len, unsigned int prio,
		   const struct timespec *abs_timeout);

/**
 * kipc_receive() - receive the oldest message of the highest priority
 * @fd: queue descriptor with read access
 * @buf: buffer
 * @len: its capacity
 * @prio: if not NULL, set to the message's priority
 *
 * Return: the message length, or -1 with errno: EMSGSIZE (the message is
 * longer than @len and stays queued), EAGAIN, EBADF, EFAULT, EINTR.
 */
ssize_t kipc_receive(int fd, void *buf, size_t len, unsigned int *prio);

/**
 * kipc_timedreceive() - receive, waiting at most until a deadline
 * @fd: queue descriptor with read access
 * @buf: buffer
 * @len: its capacity
 * @prio: if not NULL, set to the message's priority
 * @abs_timeout: absolute CLOCK_MONOTONIC deadline, or NULL to wait forever
 *
 * Return: as kipc_receive(), plus ETIMEDOUT.
 */
ssize_t kipc_timedreceive(int fd, void *buf, size_t len, unsigned int *prio,
			  const struct timespec *abs_timeout);

/**
 * kipc_send_batch() - send up to @count messages in one system call
 * @fd: queue descriptor with write access
 * @vec: the messages (buf, len, prio)
 * @count: how many, at most KIPC_BATCH_MAX
 * @flags: KIPC_MSG_NONBLOCK or 0
 *
 * Blocks, if at all, only until the first message fits; then sends while
 * there is room.
 *
 * Return: how many were sent (>= 1, or 0 for @count 0), or -1 with errno
 * for a failure on the first message.
 */
int kipc_send_batch(int fd, const struct kipc_mvec *vec, unsigned int count,
		    unsigned int flags);

/**
 * kipc_receive_batch() - receive up to @count messages in one system call
 * @fd: queue descriptor with read access
 * @vec: buffers; each entry's len and prio are set from its message
 * @count: how many, at most KIPC_BATCH_MAX
 * @flags: KIPC_MSG_NONBLOCK or 0
 *
 * Blocks, if at all, only until the first message arrives.
 *
 * Return: how many were received, or -1 with errno for the first message.
 */
int kipc_receive_batch(int fd, struct kipc_mvec *vec, unsigned int count,
		       unsigned int flags);

/**
 * kipc_sendrecv() - send a request and wait for the reply, in one system call
 * @send_fd: queue to send on (write access)
 * @sbuf: request
 * @slen: its length
 * @sprio: its priority
 * @recv_fd: queue to receive from (read access; may equal @send_fd)
 * @rbuf: reply buffer
 * @rlen: its capacity
 * @rprio: if not NULL, set to the reply's priority
 * @abs_timeout: absolute CLOCK_MONOTONIC deadline, or NULL
 * @sent: if not NULL, set to 1 once the request was sent (also on error)
 *
 * Return: the reply length, or -1 with errno. After the request was sent,
 * a signal gives EINTR (never a restart, which would send it again).
 */
ssize_t kipc_sendrecv(int send_fd, const void *sbuf, size_t slen,
		      unsigned int sprio, int recv_fd, void *rbuf, size_t rlen,
		      unsigned int *rprio, const struct timespec *abs_timeout,
		      int *sent);

/**
 * kipc_get_stats() - statistics and limits of the object @fd is bound to
 * @fd: a bound descriptor
 * @st: filled in
 *
 * Return: 0, or -1 with errno (EBADFD: the descriptor is not bound).
 */
int kipc_get_stats(int fd, struct kipc_stats *st);

/**
 * kipc_deadline() - absolute CLOCK_MONOTONIC time @ms milliseconds from now
 * @ts: filled in
 * @ms: milliseconds from now
 */
void kipc_deadline(struct timespec *ts, long ms);

#ifdef __cplusplus
extern "C" {
#endif

/**
 * kipc_open_device() - open /dev/kipc, unbound
 * @flags: extra open(2) flags (O_NONBLOCK, O_CLOEXEC is always set)
 *
 * Return: a file descriptor, or -1 with errno set (ENOENT: module not loaded).
 */
int kipc_open_device(int flags);

/**
 * kipc_get_version() - ask the loaded module for its version
 * @fd: any open /dev/kipc descriptor
 * @ver: filled with the module's version and ABI revision
 *
 * Return: 0, or -1 with errno set.
 */
int kipc_get_version(int fd, struct kipc_version *ver);

#ifdef __cplusplus
}
#endif

#endif /* LIBKIPC_H */
