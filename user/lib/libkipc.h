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

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The library is built with -fvisibility=hidden; what this header declares
 * is its API, exported (and listed in libkipc.map, its version script).
 */
#pragma GCC visibility push(default)

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
 * (per-user queue limit), EDQUOT (the queue's reservation is over the
 * user's byte budget, user_bytes_max), ENOSPC (over the ceiling for all
 * users, total_bytes_max), ENOMEM.
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
 * struct kipc_queue_how - how to make a new queue, extensible
 * @maxmsg: capacity in messages (0: the module's default, msg_default)
 * @msgsize: largest message in bytes (0: the module's default)
 * @send_lowat: send low-water mark (0 or 1: the first free slot): a sender
 *	that had to wait for room is woken, and poll(2) reports POLLOUT,
 *	only once this many messages fit; at most @maxmsg. Several senders
 *	feeding one receiver are then woken once per @send_lowat messages
 *	instead of once per message.
 * @options: %KIPC_QUEUE_CREDS, %KIPC_QUEUE_TRACK (<linux/kipc.h>), fixed
 *	for the queue's life (libkipc 0.3; needs a module of ABI 5, an older
 *	one refuses non-zero options with E2BIG); %KIPC_QUEUE_FDS: messages
 *	may carry descriptors, kipc_send_fds() (ABI 6; a module of ABI 5
 *	refuses it with EINVAL)
 *
 * Members are only ever appended; pass sizeof() of the struct you were
 * built with, as openat2(2) takes struct open_how.
 */
struct kipc_queue_how {
	unsigned int maxmsg;
	unsigned int msgsize;
	unsigned int send_lowat;
	/* libkipc 0.3 */
	unsigned int options;
};

/**
 * kipc_queue_open2() - kipc_queue_open() with a struct kipc_queue_how
 * @name: as for kipc_queue_open()
 * @oflag: as for kipc_queue_open()
 * @mode: as for kipc_queue_open()
 * @how: a new queue's parameters, or NULL for the defaults; ignored when
 *	the queue exists
 * @size: sizeof(*@how) as the caller was built with it
 *
 * Return: as kipc_queue_open(); also EINVAL for a @size shorter than the
 * first version of the struct or a @send_lowat above @maxmsg (or a module
 * older than ABI 3 asked for a @send_lowat), E2BIG for a longer @size with
 * non-zero members this library does not know, EINVAL for unknown
 * @options.
 */
int kipc_queue_open2(const char *name, int oflag, mode_t mode,
		     const struct kipc_queue_how *how, size_t size);

/**
 * kipc_queue_anon2() - kipc_queue_anon() with a struct kipc_queue_how
 * @oflag: as for kipc_queue_anon()
 * @how: as for kipc_queue_open2()
 * @size: as for kipc_queue_open2()
 *
 * Return: a descriptor, or -1 with errno as kipc_queue_open2().
 */
int kipc_queue_anon2(int oflag, const struct kipc_queue_how *how, size_t size);

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
 * @prio: 0 (lowest) to KIPC_PRIO_MAX - 1 (32767, as POSIX mq); a module
 *	before ABI 4 takes 0 to KIPC_PRIO_MAX_V3 - 1 (31) only
 *
 * Blocks while the queue is full unless the descriptor is non-blocking.
 *
 * Return: 0, or -1 with errno: EAGAIN, EMSGSIZE, EINVAL (priority of
 * KIPC_PRIO_MAX or more, or of 32 or more before ABI 4), EBADF, EFAULT,
 * EINTR.
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
 * struct kipc_sender - who sent a message, as kipc_receive_from() reports it
 * @flags: %KIPC_HDR_* (<linux/kipc.h>): %KIPC_HDR_CREDS when @pid, @uid
 *	and @gid are the sender's (a queue made with %KIPC_QUEUE_CREDS)
 * @pid: the sending process, as the receiver's pid namespace sees it (0
 *	if it is not visible there); 0 without %KIPC_HDR_CREDS
 * @uid: the sender's real uid, as the receiver's user namespace sees it
 *	(the overflow uid, 65534, if unmapped); 0 without %KIPC_HDR_CREDS
 * @gid: its real gid, likewise
 *
 * The kernel takes them when the message is sent, from the process that
 * sent it (not the one that opened the descriptor it was sent on), as
 * SCM_CREDENTIALS: no sender can choose them.
 */
struct kipc_sender {
	unsigned int flags;
	pid_t pid;
	uid_t uid;
	gid_t gid;
};

/**
 * kipc_receive_from() - kipc_receive() that also says who sent the message
 * @fd: queue descriptor with read access
 * @buf: buffer
 * @len: its capacity
 * @prio: if not NULL, set to the message's priority
 * @from: if not NULL, set to the sender (all zero on a queue made without
 *	%KIPC_QUEUE_CREDS)
 *
 * Since libkipc 0.3 (LIBKIPC_0.3). With a module older than ABI 5 it
 * receives as kipc_receive() and reports no sender (no queue there can
 * carry one).
 *
 * Return: as kipc_receive().
 */
ssize_t kipc_receive_from(int fd, void *buf, size_t len, unsigned int *prio,
			  struct kipc_sender *from);

/**
 * kipc_timedreceive_from() - kipc_receive_from() with a deadline
 * @fd: queue descriptor with read access
 * @buf: buffer
 * @len: its capacity
 * @prio: if not NULL, set to the message's priority
 * @from: as for kipc_receive_from()
 * @abs_timeout: absolute CLOCK_MONOTONIC deadline, or NULL to wait forever
 *
 * Since libkipc 0.3 (LIBKIPC_0.3).
 *
 * Return: as kipc_receive_from(), plus ETIMEDOUT.
 */
ssize_t kipc_timedreceive_from(int fd, void *buf, size_t len,
			       unsigned int *prio, struct kipc_sender *from,
			       const struct timespec *abs_timeout);

/**
 * kipc_send_fds() - kipc_send() with open descriptors, as SCM_RIGHTS
 * @fd: queue descriptor with write access; a queue made with
 *	%KIPC_QUEUE_FDS if @nfds is not 0
 * @buf: the message
 * @len: its length
 * @prio: its priority
 * @fds: @nfds open descriptors; the message holds the files they refer to
 *	until it is received (kipc_receive_fds() installs them) or dropped
 *	(closed)
 * @nfds: 0 to %KIPC_FDS_MAX (8)
 *
 * Since libkipc 0.4 (LIBKIPC_0.4); needs a module of ABI 6 (an older one
 * fails with ENOTTY).
 *
 * Return: 0, or -1 with errno: as kipc_send(), plus EBADF (a descriptor
 * is not open), ELOOP (a kipc descriptor, an AF_UNIX socket or an
 * io_uring instance: they could make a queue hold itself), ETOOMANYREFS
 * (your user already has RLIMIT_NOFILE descriptors in flight in kipc
 * messages), EINVAL (@nfds over %KIPC_FDS_MAX, or descriptors on a queue
 * without %KIPC_QUEUE_FDS).
 */
int kipc_send_fds(int fd, const void *buf, size_t len, unsigned int prio,
		  const int *fds, unsigned int nfds);

/**
 * kipc_receive_fds() - kipc_receive_from() that installs the descriptors
 *	a message carries
 * @fd: queue descriptor with read access
 * @buf: buffer
 * @len: its capacity
 * @prio: if not NULL, set to the message's priority
 * @from: if not NULL, the sender as for kipc_receive_from(); its @flags
 *	have %KIPC_HDR_FDS_TRUNC when descriptors were closed for want of
 *	room in @fds
 * @fds: room for *@nfds descriptors, set to those received, lowest free
 *	numbers first
 * @nfds: in: the room in @fds, at most %KIPC_FDS_MAX; out: how many were
 *	installed
 * @fd_flags: %KIPC_FD_CLOEXEC to install them close-on-exec
 *
 * Since libkipc 0.4 (LIBKIPC_0.4); needs a module of ABI 6. Every other
 * receive (kipc_receive(), a batch, kipc_receive_from()) closes the
 * descriptors a message carries.
 *
 * Return: the message's length, or -1 with errno: as kipc_receive(), plus
 * EMFILE (your descriptor table cannot take them: the message stays
 * queued), EINVAL (*@nfds over %KIPC_FDS_MAX, unknown @fd_flags), ENOTTY
 * (a module older than ABI 6).
 */
ssize_t kipc_receive_fds(int fd, void *buf, size_t len, unsigned int *prio,
			 struct kipc_sender *from, int *fds,
			 unsigned int *nfds, unsigned int fd_flags);

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
 * kipc_timedsend_batch() - kipc_send_batch() with a deadline
 * @fd: queue descriptor with write access
 * @vec: the messages (buf, len, prio)
 * @count: how many, at most KIPC_BATCH_MAX
 * @flags: KIPC_MSG_NONBLOCK (EAGAIN rather than wait for the first message
 *	to fit) or 0
 * @abs_timeout: absolute CLOCK_MONOTONIC deadline for the first message,
 *	or NULL to wait forever
 *
 * The full form of the batch send; kipc_ring_timedsend_batch() takes the
 * same @flags and @abs_timeout.
 *
 * Return: as kipc_send_batch(), plus ETIMEDOUT, and EINVAL for other
 * @flags.
 */
int kipc_timedsend_batch(int fd, const struct kipc_mvec *vec, unsigned int count,
			 unsigned int flags, const struct timespec *abs_timeout);

/**
 * kipc_timedreceive_batch() - kipc_receive_batch() with a deadline
 * @fd: queue descriptor with read access
 * @vec: buffers; each entry's len and prio are set from its message
 * @count: how many, at most KIPC_BATCH_MAX
 * @flags: KIPC_MSG_NONBLOCK or 0
 * @abs_timeout: deadline for the first message, or NULL
 *
 * Return: as kipc_receive_batch(), plus ETIMEDOUT, and EINVAL for other
 * @flags.
 */
int kipc_timedreceive_batch(int fd, struct kipc_mvec *vec, unsigned int count,
			    unsigned int flags, const struct timespec *abs_timeout);

/**
 * kipc_sendrecv() - send a request and wait for the reply, in one system call
 * @send_fd: queue to send on (write access)
 * @sbuf: request
 * @slen: its length
 * @sprio: its priority, as kipc_send()'s @prio
 * @recv_fd: queue to receive from (read access; may equal @send_fd)
 * @rbuf: reply buffer
 * @rlen: its capacity
 * @rprio: if not NULL, set to the reply's priority
 * @abs_timeout: absolute CLOCK_MONOTONIC deadline, or NULL
 * @sent: if not NULL, set to 1 once the request was sent (also on error)
 *
 * Return: the reply length, or -1 with errno. A stop, a ptrace attach, the
 * freezer or a handler with SA_RESTART never interrupt the wait; a handler
 * without SA_RESTART gives EINTR with *@sent set, and the reply is then to
 * be received with kipc_receive() on @recv_fd: the request is never sent
 * twice. On a queue created with KIPC_QUEUE_TRACK: ECONNRESET (*@sent set)
 * if the process that received the request closed its descriptor or
 * exited before replying, EPIPE (*@sent set) if the last reader of
 * @send_fd's queue went with the request still queued (the request is
 * discarded); a reply already sent is received first.
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

/*
 * Shared buffers and semaphores
 * =============================
 *
 * A shared buffer is kernel memory that every process holding a descriptor
 * can map, plus a set of counting semaphores whose counts live in a control
 * area of the same mapping. kipc_shbuf_map() maps both; the semaphore
 * functions then wait and post with atomic operations in the caller's
 * address space, entering the kernel only to sleep (the count is zero) or
 * to wake a sleeper. Documentation/shbuf.rst describes the protocol.
 *
 * Semaphore functions take a struct kipc_shbuf filled by kipc_shbuf_map()
 * from a descriptor opened O_RDWR. They are async-signal-safe and
 * thread-safe; a struct kipc_shbuf may be shared by threads.
 */

/**
 * struct kipc_shbuf_attr - size and semaphores of a new shared buffer
 * @size: bytes of data, rounded up to pages (0: semaphores only)
 * @nsems: number of semaphores (at most the module's sems_max)
 * @values: @nsems initial values (each at most KIPC_SEM_VALUE_MAX), or NULL
 *	to start every semaphore at 0
 */
struct kipc_shbuf_attr {
	size_t size;
	unsigned int nsems;
	const unsigned int *values;
};

/**
 * struct kipc_shbuf - a mapped shared buffer (filled by kipc_shbuf_map())
 * @fd: the descriptor it was mapped from; still the caller's to close
 * @nsems: number of semaphores
 * @size: bytes of data at @data
 * @data: the data, shared with every process that maps the buffer
 * @sems: the control area: one slot per semaphore
 * @map: the whole mapping
 * @map_len: its length
 */
struct kipc_shbuf {
	int fd;
	unsigned int nsems;
	size_t size;
	void *data;
	struct kipc_sem_ctl *sems;
	void *map;
	size_t map_len;
};

/**
 * kipc_shbuf_open() - open or create a named shared buffer
 * @name: 1 to 63 printable ASCII characters, no space, no '/'
 * @oflag: O_RDONLY or O_RDWR, optionally with O_CREAT, O_EXCL; O_CLOEXEC
 *	is always set
 * @mode: permission bits for a new buffer (the umask applies)
 * @attr: size and semaphores of a new buffer (required with O_CREAT)
 *
 * As shm_open(3), with the size and the semaphores fixed at creation. An
 * existing buffer keeps its size and semaphores whatever @attr says. Names
 * of queues and buffers share one namespace.
 *
 * Return: a descriptor, or -1 with errno: ENOENT, EEXIST, EACCES, EINVAL
 * (bad name or flags, size or nsems over the module's limits, an initial
 * value over KIPC_SEM_VALUE_MAX, or the name is a queue), ENAMETOOLONG,
 * EMFILE (per-user limit of buffers), EDQUOT (over the user's byte budget,
 * user_bytes_max), ENOSPC (over the ceiling for all users,
 * total_bytes_max), ENOMEM.
 */
int kipc_shbuf_open(const char *name, int oflag, mode_t mode,
		    const struct kipc_shbuf_attr *attr);

/**
 * kipc_shbuf_anon() - create an anonymous shared buffer
 * @oflag: O_RDWR or O_RDONLY (without O_CREAT and O_EXCL)
 * @attr: size and semaphores
 *
 * The buffer is shared by fork or by passing the descriptor, and lives
 * until the last descriptor and the last mapping are gone.
 *
 * Return: a descriptor, or -1 with errno as kipc_shbuf_open().
 */
int kipc_shbuf_anon(int oflag, const struct kipc_shbuf_attr *attr);

/**
 * kipc_shbuf_map() - map a whole shared buffer, control area and data
 * @fd: a descriptor bound to a shared buffer
 * @sb: filled in
 *
 * Maps MAP_SHARED, readable, and writable if @fd was opened O_RDWR. The
 * mapping keeps the buffer alive after @fd is closed, and is inherited by
 * fork(). Only a writable mapping can use the semaphore functions.
 *
 * Return: 0, or -1 with errno: EINVAL (@fd is not a shared buffer), EBADFD
 * (unbound), ENOMEM, or what mmap(2) gives.
 */
int kipc_shbuf_map(int fd, struct kipc_shbuf *sb);

/**
 * kipc_shbuf_unmap() - undo kipc_shbuf_map(); leaves @sb->fd open
 * @sb: a mapped buffer
 *
 * Return: 0, or -1 with errno from munmap(2).
 */
int kipc_shbuf_unmap(struct kipc_shbuf *sb);

/**
 * kipc_sem_take() - take units from a semaphore: the general form
 * @sb: a mapped buffer
 * @sem: semaphore index, below @sb->nsems
 * @count: units to take at once, 1 to KIPC_SEM_VALUE_MAX
 * @flags: KIPC_SEM_NONBLOCK (fail with EAGAIN rather than sleep),
 *	KIPC_SEM_UNDO (give the units back when this process closes the
 *	descriptor or exits; such a take always enters the kernel, which
 *	keeps the record)
 * @abs_timeout: absolute CLOCK_MONOTONIC deadline, or NULL to wait forever
 *
 * Without KIPC_SEM_UNDO and with @count units available, no system call is
 * made. Sleepers in the kernel are served first come, first served; a
 * caller that finds units available takes them even if others sleep.
 *
 * Return: 0, or -1 with errno: EAGAIN (KIPC_SEM_NONBLOCK), ETIMEDOUT,
 * EINTR (a signal handler without SA_RESTART ran; with SA_RESTART the wait
 * resumes), EINVAL (bad index, count or flags, or a deadline with tv_nsec
 * out of range or negative, when the call would block), EBADF (descriptor
 * not open for writing), ENOMEM (the undo record).
 */
int kipc_sem_take(const struct kipc_shbuf *sb, unsigned int sem,
		  unsigned int count, unsigned int flags,
		  const struct timespec *abs_timeout);

/**
 * kipc_sem_give() - add units to a semaphore: the general form
 * @sb: a mapped buffer
 * @sem: semaphore index
 * @count: units to add, 1 to KIPC_SEM_VALUE_MAX
 * @flags: 0, or KIPC_SEM_UNDO to cancel units taken with KIPC_SEM_UNDO
 *	(they will then not be given back again at close)
 *
 * Without KIPC_SEM_UNDO, a compare-and-swap in the control area, plus a
 * system call only if someone sleeps on the semaphore.
 *
 * Return: 0, or -1 with errno: EOVERFLOW (the value would pass
 * KIPC_SEM_VALUE_MAX; nothing is added), EINVAL, EBADF.
 */
int kipc_sem_give(const struct kipc_shbuf *sb, unsigned int sem,
		  unsigned int count, unsigned int flags);

/**
 * kipc_sem_getvalue() - a semaphore's value, read without a system call
 * @sb: a mapped buffer
 * @sem: semaphore index
 * @value: set to the value (a snapshot; it may change at once)
 *
 * Return: 0, or -1 with errno EINVAL for a bad index.
 */
int kipc_sem_getvalue(const struct kipc_shbuf *sb, unsigned int sem,
		      unsigned int *value);

/**
 * kipc_semop() - several semaphore operations, all or none
 * @sb: a mapped buffer
 * @ops: the operations: for each, a semaphore, a delta (> 0 adds, < 0
 *	takes) and flags (KIPC_SEM_UNDO)
 * @nops: 1 to KIPC_SEMOP_MAX
 * @flags: KIPC_SEM_NONBLOCK or 0
 * @abs_timeout: absolute CLOCK_MONOTONIC deadline, or NULL
 *
 * As semop(2): waits until every take can be satisfied at once, then
 * applies all. Always a system call.
 *
 * Return: 0, or -1 with errno as kipc_sem_take(), plus E2BIG (@nops) and
 * EOVERFLOW (an addition would pass KIPC_SEM_VALUE_MAX).
 */
int kipc_semop(const struct kipc_shbuf *sb, const struct kipc_sembuf *ops,
	       unsigned int nops, unsigned int flags,
	       const struct timespec *abs_timeout);

/* The kernel entry of kipc_sem_post(): wake sleepers of @sem. */
int kipc__sem_wake(const struct kipc_shbuf *sb, unsigned int sem);

/*
 * The semaphore fast paths. Each of kipc_sem_wait(), kipc_sem_trywait(),
 * kipc_sem_timedwait(), kipc_sem_take_upto() and kipc_sem_post() is both an
 * exported function of the library (for other languages, dlsym(3), and a
 * pointer to it) and, in C, a macro of the same name that expands to the
 * inline form below, so that an uncontended call costs no call into the
 * shared library. Both forms behave the same (libkipc(3), "Inline fast
 * paths"). Define KIPC_NO_INLINE before including this header to call the
 * exported functions from C too; (kipc_sem_wait)(sb, sem) calls one.
 */

/**
 * kipc_sem_wait() - take one unit, sleeping until there is one
 * @sb: a mapped buffer
 * @sem: semaphore index
 *
 * Return: 0, or -1 with errno as kipc_sem_take().
 */
int kipc_sem_wait(const struct kipc_shbuf *sb, unsigned int sem);

/**
 * kipc_sem_trywait() - take one unit if there is one; never a system call
 * @sb: a mapped buffer
 * @sem: semaphore index
 *
 * Return: 0, or -1 with errno EAGAIN (none available) or EINVAL.
 */
int kipc_sem_trywait(const struct kipc_shbuf *sb, unsigned int sem);

/**
 * kipc_sem_timedwait() - take one unit, waiting at most until a deadline
 * @sb: a mapped buffer
 * @sem: semaphore index
 * @abs_timeout: absolute CLOCK_MONOTONIC deadline
 *
 * Return: 0, or -1 with errno as kipc_sem_take().
 */
int kipc_sem_timedwait(const struct kipc_shbuf *sb, unsigned int sem,
		       const struct timespec *abs_timeout);

/**
 * kipc_sem_take_upto() - take up to @max units, as many as are available
 * @sb: a mapped buffer
 * @sem: semaphore index
 * @max: most units wanted
 *
 * Never sleeps and never makes a system call: the batching primitive.
 *
 * Return: units taken, 0 to @max; 0 with errno EINVAL for an index not
 * below @sb->nsems (errno is left alone otherwise).
 */
unsigned int kipc_sem_take_upto(const struct kipc_shbuf *sb, unsigned int sem,
				unsigned int max);

/**
 * kipc_sem_post() - add @count units and wake sleepers that can now go
 * @sb: a mapped buffer
 * @sem: semaphore index
 * @count: units to add, 1 to KIPC_SEM_VALUE_MAX
 *
 * A compare-and-swap; a system call only if someone sleeps on @sem.
 * Async-signal-safe, as sem_post(3).
 *
 * Return: 0, or -1 with errno EOVERFLOW (nothing added) or EINVAL.
 */
int kipc_sem_post(const struct kipc_shbuf *sb, unsigned int sem,
		  unsigned int count);

/* The kernel entry of kipc_sem_post(): wake sleepers of @sem. */
int kipc__sem_wake(const struct kipc_shbuf *sb, unsigned int sem);

/* Take @count units if available, in userspace. Return: 1 taken, 0 not. */
static inline int kipc__sem_trytake(struct kipc_sem_ctl *c, unsigned int count)
{
	__u32 v = __atomic_load_n(&c->value, __ATOMIC_RELAXED);

	while ((__s32)v >= (__s32)count) {
		/* Acquire: what the poster wrote before posting is visible. */
		if (__atomic_compare_exchange_n(&c->value, &v, v - count, 1,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return 1;
	}
	return 0;
}

static inline int kipc__sem_wait_inline(const struct kipc_shbuf *sb, unsigned int sem)
{
	if (sem < sb->nsems && kipc__sem_trytake(&sb->sems[sem], 1))
		return 0;
	return kipc_sem_take(sb, sem, 1, 0, NULL);
}

static inline int kipc__sem_trywait_inline(const struct kipc_shbuf *sb, unsigned int sem)
{
	if (sem < sb->nsems && kipc__sem_trytake(&sb->sems[sem], 1))
		return 0;
	return kipc_sem_take(sb, sem, 1, KIPC_SEM_NONBLOCK, NULL);
}

static inline int kipc__sem_timedwait_inline(const struct kipc_shbuf *sb, unsigned int sem,
					     const struct timespec *abs_timeout)
{
	if (sem < sb->nsems && kipc__sem_trytake(&sb->sems[sem], 1))
		return 0;
	return kipc_sem_take(sb, sem, 1, 0, abs_timeout);
}

static inline unsigned int kipc__sem_take_upto_inline(const struct kipc_shbuf *sb,
						      unsigned int sem, unsigned int max)
{
	struct kipc_sem_ctl *c;
	__u32 v, n;

	/* The one check: an index past the control area is not read. */
	if (sem >= sb->nsems) {
		errno = EINVAL;
		return 0;
	}
	c = &sb->sems[sem];
	v = __atomic_load_n(&c->value, __ATOMIC_RELAXED);
	while ((__s32)v > 0) {
		n = (__u32)v < max ? (__u32)v : max;
		if (__atomic_compare_exchange_n(&c->value, &v, v - n, 1,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return n;
	}
	return 0;
}

static inline int kipc__sem_post_inline(const struct kipc_shbuf *sb, unsigned int sem,
					unsigned int count)
{
	struct kipc_sem_ctl *c;
	__u32 v;

	if (sem >= sb->nsems || !count || count > KIPC_SEM_VALUE_MAX) {
		errno = EINVAL;
		return -1;
	}
	c = &sb->sems[sem];
	v = __atomic_load_n(&c->value, __ATOMIC_RELAXED);
	do {
		if ((__s32)v > (__s32)(KIPC_SEM_VALUE_MAX - count)) {
			errno = EOVERFLOW;
			return -1;
		}
		/* Sequentially consistent: ordered before the load of waiters. */
	} while (!__atomic_compare_exchange_n(&c->value, &v, v + count, 1,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	if (__atomic_load_n(&c->waiters, __ATOMIC_SEQ_CST))
		return kipc__sem_wake(sb, sem);
	return 0;
}

#ifndef KIPC_NO_INLINE
#define kipc_sem_wait(sb, sem) kipc__sem_wait_inline(sb, sem)
#define kipc_sem_trywait(sb, sem) kipc__sem_trywait_inline(sb, sem)
#define kipc_sem_timedwait(sb, sem, abs_timeout) \
	kipc__sem_timedwait_inline(sb, sem, abs_timeout)
#define kipc_sem_take_upto(sb, sem, max) kipc__sem_take_upto_inline(sb, sem, max)
#define kipc_sem_post(sb, sem, count) kipc__sem_post_inline(sb, sem, count)
#endif

/*
 * Rings
 * =====
 *
 * A ring carries messages of up to a fixed size through a shared buffer,
 * in fixed slots, from any number of producers to one consumer, with two
 * semaphores counting free and filled slots: an uncontended send or
 * receive makes no system call. Besides copying calls it offers zero-copy
 * ones: kipc_ring_reserve() hands a producer a slot to write in place and
 * kipc_ring_commit() publishes it; kipc_ring_peek() hands the consumer the
 * next message in place and kipc_ring_release() frees its slot.
 * Documentation/shbuf.rst gives the layout.
 *
 * A struct kipc_ring is allocated by the library; each process (and each
 * thread that produces) uses its own, from kipc_ring_create(),
 * kipc_ring_open() or kipc_ring_attach(). Only one consumer at a time.
 */
struct kipc_ring;

/**
 * struct kipc_ring_attr - geometry of a new ring
 * @slot_size: largest message in bytes, 1 to 1 GiB
 * @nslots: number of slots, 1 to 1048576
 */
struct kipc_ring_attr {
	unsigned int slot_size;
	unsigned int nslots;
};

/**
 * kipc_ring_create() - create a ring on a new shared buffer
 * @name: name of the buffer, or NULL for an anonymous one (shared by fork,
 *	or by passing kipc_ring_fd())
 * @mode: permission bits of a named buffer
 * @attr: geometry
 *
 * Allocates the returned ring (kipc_ring_close() frees it). The buffer has
 * two semaphores and the slots; it must fit the module's shbuf_size_max.
 *
 * Return: the ring, or NULL with errno: EEXIST, EINVAL, ENOMEM, and those
 * of kipc_shbuf_open().
 */
struct kipc_ring *kipc_ring_create(const char *name, mode_t mode,
				   const struct kipc_ring_attr *attr);

/**
 * kipc_ring_open() - attach to the named ring another process created
 * @name: the buffer's name
 *
 * Return: the ring, or NULL with errno: ENOENT, EACCES, EAGAIN (its creator
 * has not finished setting it up: try again), EBADMSG (not a ring).
 */
struct kipc_ring *kipc_ring_open(const char *name);

/**
 * kipc_ring_attach() - attach to a ring through a descriptor
 * @fd: a descriptor of the ring's buffer, opened O_RDWR (duplicated: the
 *	caller keeps its own)
 *
 * Return: the ring, or NULL with errno as kipc_ring_open().
 */
struct kipc_ring *kipc_ring_attach(int fd);

/**
 * kipc_ring_close() - unmap, close and free a ring handle
 * @r: the ring, or NULL
 */
void kipc_ring_close(struct kipc_ring *r);

/**
 * kipc_ring_fd() - the descriptor of a ring's buffer, for fork or passing
 * @r: the ring
 *
 * Return: the descriptor, owned by @r.
 */
int kipc_ring_fd(const struct kipc_ring *r);

/**
 * kipc_ring_slot_size() - largest message of a ring
 * @r: the ring
 *
 * Return: the slot size in bytes.
 */
size_t kipc_ring_slot_size(const struct kipc_ring *r);

/**
 * kipc_ring_send() - copy one message into the ring
 * @r: the ring
 * @buf: the message
 * @len: its length, 0 to the slot size
 * @abs_timeout: absolute CLOCK_MONOTONIC deadline while the ring is full,
 *	or NULL to wait forever
 *
 * On a full ring the producer sleeps until half the ring is free
 * (Documentation/shbuf.rst), or until @abs_timeout, when it takes a slot
 * if one is free by then.
 *
 * Return: 0, or -1 with errno: EMSGSIZE, ETIMEDOUT, EINTR, EINVAL.
 */
int kipc_ring_send(struct kipc_ring *r, const void *buf, size_t len,
		   const struct timespec *abs_timeout);

/**
 * kipc_ring_receive() - copy the oldest message out of the ring
 * @r: the ring (its consumer)
 * @buf: buffer
 * @cap: its capacity
 * @abs_timeout: deadline while the ring is empty, or NULL
 *
 * Return: the message length, or -1 with errno: EMSGSIZE (longer than @cap;
 * it stays in the ring), ETIMEDOUT, EINTR, EBADMSG (a producer wrote a bad
 * length; the slot is dropped).
 */
ssize_t kipc_ring_receive(struct kipc_ring *r, void *buf, size_t cap,
			  const struct timespec *abs_timeout);

/**
 * kipc_ring_send_batch() - copy up to @n messages in with one semaphore
 *	operation each way
 * @r: the ring
 * @iov: the messages
 * @n: how many
 * @abs_timeout: deadline for the first message, or NULL
 *
 * Waits, if at all, for room for the first message; sends as many as fit.
 *
 * Return: messages sent (>= 1 for @n >= 1), or -1 with errno as
 * kipc_ring_send() for the first.
 */
int kipc_ring_send_batch(struct kipc_ring *r, const struct iovec *iov,
			 unsigned int n, const struct timespec *abs_timeout);

/**
 * kipc_ring_receive_batch() - copy up to @n messages out
 * @r: the ring (its consumer)
 * @iov: buffers; each iov_len is set to its message's length
 * @n: how many
 * @abs_timeout: deadline for the first message, or NULL
 *
 * Waits, if at all, for the first message; takes what is there after it.
 * A message longer than its buffer ends the batch and stays in the ring.
 *
 * Return: messages received, or -1 with errno as kipc_ring_receive() for
 * the first.
 */
int kipc_ring_receive_batch(struct kipc_ring *r, struct iovec *iov,
			    unsigned int n, const struct timespec *abs_timeout);

/**
 * kipc_ring_timedsend_batch() - kipc_ring_send_batch() with flags
 * @r: the ring
 * @iov: the messages
 * @n: how many
 * @flags: KIPC_MSG_NONBLOCK (EAGAIN rather than wait for a free slot) or 0
 * @abs_timeout: deadline for the first message, or NULL
 *
 * The full form of the batch send, with the flags and deadline of
 * kipc_timedsend_batch().
 *
 * Return: as kipc_ring_send_batch(), plus EAGAIN, and EINVAL for other
 * @flags.
 */
int kipc_ring_timedsend_batch(struct kipc_ring *r, const struct iovec *iov,
			      unsigned int n, unsigned int flags,
			      const struct timespec *abs_timeout);

/**
 * kipc_ring_timedreceive_batch() - kipc_ring_receive_batch() with flags
 * @r: the ring (its consumer)
 * @iov: buffers; each iov_len is set to its message's length
 * @n: how many
 * @flags: KIPC_MSG_NONBLOCK (EAGAIN rather than wait for a message) or 0
 * @abs_timeout: deadline for the first message, or NULL
 *
 * Return: as kipc_ring_receive_batch(), plus EAGAIN, and EINVAL for other
 * @flags.
 */
int kipc_ring_timedreceive_batch(struct kipc_ring *r, struct iovec *iov,
				 unsigned int n, unsigned int flags,
				 const struct timespec *abs_timeout);

/**
 * kipc_ring_reserve() - zero copy: a free slot to write a message in place
 * @r: the ring
 * @abs_timeout: deadline while the ring is full, or NULL
 *
 * The slot (kipc_ring_slot_size() bytes, 64-byte aligned) belongs to the
 * caller until kipc_ring_commit(); meanwhile the consumer stops at it.
 *
 * Return: the slot's payload, or NULL with errno: ETIMEDOUT, EINTR.
 */
void *kipc_ring_reserve(struct kipc_ring *r, const struct timespec *abs_timeout);

/**
 * kipc_ring_commit() - zero copy: publish a reserved slot
 * @r: the ring
 * @slot: what kipc_ring_reserve() returned
 * @len: the message length, 0 to the slot size
 *
 * Return: 0, or -1 with errno EINVAL (not a reserved slot) or EMSGSIZE.
 */
int kipc_ring_commit(struct kipc_ring *r, void *slot, size_t len);

/**
 * kipc_ring_peek() - zero copy: the oldest message, in place
 * @r: the ring (its consumer)
 * @len: set to the message length
 * @abs_timeout: deadline while the ring is empty, or NULL
 *
 * The message stays valid, and stays the oldest, until kipc_ring_release().
 *
 * Return: the message, or NULL with errno as kipc_ring_receive().
 */
const void *kipc_ring_peek(struct kipc_ring *r, size_t *len,
			   const struct timespec *abs_timeout);

/**
 * kipc_ring_release() - zero copy: done with the message kipc_ring_peek() gave
 * @r: the ring (its consumer)
 *
 * Return: 0, or -1 with errno EINVAL if no message was peeked.
 */
int kipc_ring_release(struct kipc_ring *r);

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

/**
 * kipc_channel_open() - open a notification channel
 * @oflag: 0 or O_NONBLOCK (read(2) then fails with EAGAIN when empty);
 *	O_CLOEXEC is always set
 *
 * read(2) of the channel returns whole struct kipc_notification records,
 * as many as fit (EINVAL for a buffer smaller than one), and blocks while
 * there are none; poll(2) reports POLLIN while one waits. Since libkipc
 * 0.2 (LIBKIPC_0.2); needs a module of ABI 4.
 *
 * Return: a descriptor, or -1 with errno: EINVAL (other flags), ENOTTY (a
 * module older than ABI 4), ENOENT (the module is not loaded), EMFILE,
 * ENOMEM.
 */
int kipc_channel_open(int oflag);

/**
 * kipc_notify() - mq_notify(3) for a queue
 * @fd: a descriptor of the queue, opened for anything
 * @how: %KIPC_NOTIFY_NONE or %KIPC_NOTIFY_CHANNEL to register the calling
 *	process, %KIPC_NOTIFY_REMOVE to end its registration
 * @channel_fd: with %KIPC_NOTIFY_CHANNEL, a channel (kipc_channel_open())
 * @cookie: with %KIPC_NOTIFY_CHANNEL, copied into the record
 *
 * A queue holds one registration. It fires, once, when a message arrives
 * on the empty queue while no receiver is blocked on it: with
 * %KIPC_NOTIFY_CHANNEL it puts a record on the channel saying which queue
 * and which sender. It ends when it fires, when its process closes any
 * descriptor of the queue or exits, or when the queue is destroyed. Since
 * libkipc 0.2 (LIBKIPC_0.2); needs a module of ABI 4.
 *
 * Return: 0, or -1 with errno: EBUSY (the queue has a registration, also
 * the caller's own), EBADF (@fd, or @channel_fd not an open /dev/kipc
 * descriptor), EINVAL (@fd not a queue, @channel_fd not a channel, an
 * unknown @how), ENOTTY (a module older than ABI 4), ENOMEM.
 */
int kipc_notify(int fd, unsigned int how, int channel_fd, uint64_t cookie);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif /* LIBKIPC_H */
