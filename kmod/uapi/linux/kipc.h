/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kipc - kernel-managed message queues and shared buffers behind /dev/kipc.
 *
 * This header is the userspace ABI of the kipc module. Every ioctl argument
 * that may grow starts with a __u32 @size field that the caller sets to
 * sizeof() of the struct it was compiled with; the kernel accepts older
 * (shorter, down to the struct's *_SIZE_VER0) and newer (longer, with a
 * zero tail; E2BIG otherwise) layouts.
 *
 * The command numbers below encode sizeof() of today's structs, and a
 * program built against another layout calls another number. The kernel
 * finds a command by magic and number (_IOC_TYPE, _IOC_NR), checks its
 * direction (ENOTTY otherwise) and requires _IOC_SIZE(cmd) to equal the
 * @size field (EINVAL otherwise, whichever is larger). To pass a layout of
 * S bytes: _IOC(_IOC_DIR(KIPC_IOC_X), KIPC_IOC_MAGIC, _IOC_NR(KIPC_IOC_X), S)
 * with @size = S. %KIPC_IOC_VERSION has no size field: only its exact
 * number works. Documentation/uapi.rst, "Conventions", has the rules.
 */
#ifndef _UAPI_LINUX_KIPC_H
#define _UAPI_LINUX_KIPC_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KIPC_DEVICE_PATH	"/dev/kipc"

/* Version of the module and its ABI; dkms.conf must agree (make check). */
#define KIPC_VERSION_MAJOR	0
#define KIPC_VERSION_MINOR	4
#define KIPC_VERSION_PATCH	0
/* Bumped whenever an ioctl or struct gains a member userspace may test for. */
#define KIPC_ABI_VERSION	6

/**
 * struct kipc_version - reply of %KIPC_IOC_VERSION
 * @major: module version, major part (%KIPC_VERSION_MAJOR)
 * @minor: module version, minor part
 * @patch: module version, patch level
 * @abi: ABI revision (%KIPC_ABI_VERSION) the module implements
 */
struct kipc_version {
	__u32 major;
	__u32 minor;
	__u32 patch;
	__u32 abi;
};

#define KIPC_IOC_MAGIC		0xBA

/* Valid on any open file, bound or not; exact: kipc_version never grows. */
#define KIPC_IOC_VERSION	_IOR(KIPC_IOC_MAGIC, 0x00, struct kipc_version)

/*
 * Objects and names
 * =================
 *
 * An open /dev/kipc file is unbound until an open ioctl binds it, once, to
 * an object: a message queue (%KIPC_IOC_QUEUE_OPEN) or a shared buffer
 * (%KIPC_IOC_SHBUF_OPEN). Objects are named or anonymous. A name is 1 to %KIPC_NAME_MAX - 1
 * bytes of printable ASCII other than space and '/', NUL-terminated inside
 * the name array; it lives in the IPC namespace of the caller, so the same
 * name in two namespaces means two objects. Names of queues and buffers
 * share one table: a name belongs to one object at a time.
 *
 * Permissions are checked against whoever opened the /dev/kipc file (or
 * the netlink socket), not whoever calls. A new object is owned by the
 * opener's effective uid and gid, and reserves what it may come to hold
 * from the opener's budgets (Documentation/security.rst): creating one
 * fails with EMFILE past a per-user count (max_queues_per_user,
 * max_shbufs_per_user), EDQUOT past the per-user byte budget
 * (user_bytes_max, charged to the user and to the owner of every
 * ancestor user namespace) and ENOSPC past the ceiling for all users
 * (total_bytes_max). CAP_SYS_RESOURCE in the initial user namespace
 * passes those limits.
 */
#define KIPC_NAME_MAX		64	/* bytes, including the NUL */

/* Flags of the open ioctls. */
#define KIPC_OPEN_CREATE	0x1	/* create if the name is free */
#define KIPC_OPEN_EXCL		0x2	/* with CREATE: fail if it exists */
#define KIPC_OPEN_ANON		0x4	/* new anonymous object, empty name */
#define KIPC_OPEN_FLAGS		(KIPC_OPEN_CREATE | KIPC_OPEN_EXCL | KIPC_OPEN_ANON)

/**
 * struct kipc_queue_open - argument of %KIPC_IOC_QUEUE_OPEN
 * @size: sizeof(struct kipc_queue_open) as the caller knows it
 * @flags: %KIPC_OPEN_* flags
 * @mode: permission bits (0777 mask) for a new object; the umask applies
 * @maxmsg: capacity in messages of a new queue; 0 means the default
 * @msgsize: largest message of a new queue in bytes; 0 means the default
 * @send_lowat: a new queue's send low-water mark, at most the capacity: a
 *	sender that had to wait for room is woken, and poll reports
 *	%EPOLLOUT, only once this many messages fit (%SO_SNDLOWAT's rule;
 *	fewer once the capacity is lowered below it). A sender that finds
 *	room sends at once. 0 or 1: the first free slot will do. Before ABI
 *	3 this was a reserved zero field, so an older module refuses a
 *	non-zero value with %EINVAL.
 * @name: NUL-terminated name; all zero with %KIPC_OPEN_ANON
 * @options: ABI 5: %KIPC_QUEUE_* options of a new queue (%EINVAL for
 *	unknown bits; an older module refuses a non-zero value with %E2BIG)
 * @__reserved: must be zero
 *
 * Opening an existing queue ignores @mode, @maxmsg, @msgsize,
 * @send_lowat and @options.
 */
struct kipc_queue_open {
	__u32 size;
	__u32 flags;
	__u32 mode;
	__u32 maxmsg;
	__u32 msgsize;
	__u32 send_lowat;
	char name[KIPC_NAME_MAX];
	/* ABI 5 */
	__u32 options;
	__u32 __reserved;
};

#define KIPC_QUEUE_OPEN_SIZE_VER0	88
#define KIPC_QUEUE_OPEN_SIZE_VER1	96

/*
 * Options of a queue (ABI 5), chosen when it is created and fixed for its
 * life. A queue without options pays nothing for them: its messages carry
 * no more than before and its data path tests nothing more per message.
 *
 * %KIPC_QUEUE_CREDS: every message carries its sender's credentials, taken
 * by the kernel when it is sent (the sending process's thread-group id and
 * real uid and gid, as SCM_CREDENTIALS), and translated when it is
 * received into the receiving task's pid and user namespaces;
 * %KIPC_IOC_RECVMSG returns them. Userspace cannot set them.
 *
 * %KIPC_QUEUE_TRACK: a request sent on this queue with %KIPC_IOC_SENDRECV
 * is tracked to the file that receives it, and its client is told, rather
 * than left waiting, when no reply can come: %ECONNRESET if that file is
 * closed (or its process exits) before the client received a reply, and
 * %EPIPE, the request discarded unread, if the last file that could
 * receive it goes first. Documentation/queue.rst, "Replies you can rely
 * on", has the rules.
 *
 * %KIPC_QUEUE_FDS (ABI 6): a message may carry up to %KIPC_FDS_MAX open
 * file descriptors, sent with %KIPC_IOC_SENDMSG and installed in the
 * receiver by %KIPC_IOC_RECVMSG, as SCM_RIGHTS does over a UNIX socket.
 * Descriptors that could close a reference cycle (another /dev/kipc file,
 * an AF_UNIX socket, an io_uring instance) are refused with %ELOOP, so
 * no queue can come to hold itself: Documentation/queue.rst, "Descriptors
 * in messages", has the rules and the reasons.
 *
 * %KIPC_QUEUE_BROADCAST (ABI 6): every message reaches every subscriber.
 * Each file bound to the queue and opened for reading is a subscriber
 * from the moment it is bound, with its own read position: it receives
 * the messages sent after that, in the order they were sent (priorities
 * are carried, not ordered). A message is held until every subscriber
 * has read it or, with %KIPC_QUEUE_DROP_OLDEST, until a send needs its
 * room. A message sent while there is no subscriber reaches no one.
 * Documentation/broadcast.rst has the rules.
 *
 * %KIPC_QUEUE_DROP_OLDEST (ABI 6, with %KIPC_QUEUE_BROADCAST only): a
 * subscriber that falls @maxmsg messages behind loses its oldest unread
 * message to each new send, counted in its @sub_dropped
 * (struct kipc_stats), instead of making senders wait for it (the
 * default: the slowest subscriber paces the senders).
 *
 * %KIPC_QUEUE_BROADCAST cannot be combined with %KIPC_QUEUE_CREDS,
 * %KIPC_QUEUE_TRACK or %KIPC_QUEUE_FDS (%EINVAL).
 */
#define KIPC_QUEUE_CREDS	0x1
#define KIPC_QUEUE_TRACK	0x2
#define KIPC_QUEUE_FDS		0x4
#define KIPC_QUEUE_BROADCAST	0x8
#define KIPC_QUEUE_DROP_OLDEST	0x10
#define KIPC_QUEUE_OPTIONS	(KIPC_QUEUE_CREDS | KIPC_QUEUE_TRACK | \
				 KIPC_QUEUE_FDS | KIPC_QUEUE_BROADCAST | \
				 KIPC_QUEUE_DROP_OLDEST)

/**
 * struct kipc_unlink - argument of %KIPC_IOC_UNLINK
 * @size: sizeof(struct kipc_unlink) as the caller knows it
 * @flags: must be zero
 * @name: NUL-terminated name to remove from the caller's IPC namespace
 *
 * The object itself lives on until its last file is closed.
 */
struct kipc_unlink {
	__u32 size;
	__u32 flags;
	char name[KIPC_NAME_MAX];
};

#define KIPC_UNLINK_SIZE_VER0		72

/*
 * Message queues
 * ==============
 *
 * write() sends one message of priority 0, read() receives the oldest
 * message of the highest priority. The ioctls below add priorities,
 * deadlines, batches and a combined send-and-receive.
 *
 * A queue reserves, when created, the memory its messages may take (its
 * capacity in buffers, each rounded up to the allocator's size, plus a
 * few in flight) and never holds more, however many senders wait for
 * room: past the reservation a sender waits for a buffer to come back,
 * holding none (EAGAIN when it may not block).
 */
/*
 * Priorities are 0 .. KIPC_PRIO_MAX - 1, the range of POSIX mq on Linux
 * (MQ_PRIO_MAX). Modules before ABI 4 take 0 .. 31 only and refuse more
 * with EINVAL; KIPC_PRIO_MAX_V3 names that range.
 */
#define KIPC_PRIO_MAX		32768
#define KIPC_PRIO_MAX_V3	32
#define KIPC_BATCH_MAX		1024	/* messages per batch ioctl */

/* Flags of the message ioctls. */
#define KIPC_MSG_NONBLOCK	0x1	/* EAGAIN instead of blocking */
#define KIPC_MSG_DEADLINE	0x2	/* @deadline_ns is valid */
#define KIPC_MSG_REALTIME	0x4	/* ABI 4: @deadline_ns is CLOCK_REALTIME */
#define KIPC_MSG_FLAGS		(KIPC_MSG_NONBLOCK | KIPC_MSG_DEADLINE | \
				 KIPC_MSG_REALTIME)

/**
 * struct kipc_msg - argument of %KIPC_IOC_SEND and %KIPC_IOC_RECV
 * @size: sizeof(struct kipc_msg) as the caller knows it
 * @flags: %KIPC_MSG_* flags
 * @buf: user address of the message (send) or of the buffer (receive)
 * @len: message length (send) or buffer capacity (receive)
 * @prio: priority to send with; on receive, set to the message's priority
 * @deadline_ns: with %KIPC_MSG_DEADLINE, give up with ETIMEDOUT once
 *	CLOCK_MONOTONIC (of the caller's time namespace) reaches this
 *	absolute time, in nanoseconds; with %KIPC_MSG_REALTIME as well, once
 *	CLOCK_REALTIME does (as mq_timedsend(3): a clock set forward or back
 *	while the caller waits moves the wake-up with it). %KIPC_MSG_REALTIME
 *	without %KIPC_MSG_DEADLINE is %EINVAL.
 *
 * %KIPC_IOC_RECV returns the length of the message it received.
 */
struct kipc_msg {
	__u32 size;
	__u32 flags;
	__u64 buf;
	__u32 len;
	__u32 prio;
	__s64 deadline_ns;
};

#define KIPC_MSG_SIZE_VER0		32

/**
 * struct kipc_mvec - one message of a batch
 * @buf: user address of the message or of the receive buffer
 * @len: message length or buffer capacity; receive sets the message length
 * @prio: priority to send with; receive sets the message's priority
 */
struct kipc_mvec {
	__u64 buf;
	__u32 len;
	__u32 prio;
};

/**
 * struct kipc_batch - argument of %KIPC_IOC_SEND_BATCH and %KIPC_IOC_RECV_BATCH
 * @size: sizeof(struct kipc_batch) as the caller knows it
 * @flags: %KIPC_MSG_* flags
 * @vec: user address of an array of @count struct kipc_mvec
 * @count: number of messages to move, at most %KIPC_BATCH_MAX
 * @__reserved: must be zero
 * @deadline_ns: as in struct kipc_msg
 *
 * A batch blocks, if it blocks at all, only until its first message can
 * move; the rest move while there is room (send) or messages (receive). The
 * ioctl returns how many moved. An error on a later message ends the batch
 * early and is not reported: the count tells where it stopped, and the next
 * call reports the error. An error on the first message is returned.
 */
struct kipc_batch {
	__u32 size;
	__u32 flags;
	__u64 vec;
	__u32 count;
	__u32 __reserved;
	__s64 deadline_ns;
};

#define KIPC_BATCH_SIZE_VER0		32

/* kipc_sendrecv.result bits */
#define KIPC_SENDRECV_SENT	0x1	/* the send half completed */
#define KIPC_SENDRECV_PENDING	0x2	/* interrupted after the send: resume */

/**
 * struct kipc_sendrecv - argument of %KIPC_IOC_SENDRECV
 * @size: sizeof(struct kipc_sendrecv) as the caller knows it
 * @flags: %KIPC_MSG_* flags, for both halves
 * @recv_fd: descriptor of the queue to receive from (may be the same file)
 * @result: set by the kernel: %KIPC_SENDRECV_SENT once the send completed,
 *	with %KIPC_SENDRECV_PENDING while its reply is still to be received;
 *	read by the kernel: %KIPC_SENDRECV_PENDING makes the call receive only
 * @send_buf: user address of the message to send
 * @send_len: its length
 * @send_prio: its priority
 * @recv_buf: user address of the receive buffer
 * @recv_len: its capacity; set to the length of the message received
 * @recv_prio: set to the priority of the message received
 * @deadline_ns: as in struct kipc_msg, for both halves
 *
 * Sends one message on the queue of the file the ioctl is called on, then
 * waits for one message on the queue of @recv_fd: a request and its reply
 * in one system call. Returns the length received. If the receive fails
 * after the send completed, the error is returned with
 * %KIPC_SENDRECV_SENT set in @result.
 *
 * On a queue created with %KIPC_QUEUE_TRACK the request is tracked (ABI
 * 5): the call fails at once, with %KIPC_SENDRECV_SENT set, with
 * %ECONNRESET when the file that received the request was closed by the
 * process that received it (or that process exited, or the file was
 * released) before the client received a reply on @recv_fd, and with
 * %EPIPE when the last file able to receive from the queue went while
 * the request was still queued (the request is then discarded, never to
 * be received). A reply already queued on @recv_fd is received first. A
 * reply that cannot be reported
 * (EFAULT: @recv_buf, or this struct unmapped or made read-only while the
 * call waited) stays at the head of its queue; if the struct cannot be
 * written, @result cannot say the request was sent, and reads as during
 * the wait.
 *
 * A signal during the receive half never sends the request twice: the
 * kernel sets %KIPC_SENDRECV_SENT | %KIPC_SENDRECV_PENDING in @result, and
 * a call whose @result has %KIPC_SENDRECV_PENDING skips the send. So a
 * stop and continue, a ptrace attach, the freezer or a handler with
 * SA_RESTART resume the wait transparently (the call restarts, receiving
 * only), and a handler without SA_RESTART gets EINTR, after which calling
 * again with the same struct waits for the reply. Zero @result (or leave
 * it as a completed call left it) to send a new request. The receive half
 * is non-blocking if @recv_fd's file is (or %KIPC_MSG_NONBLOCK is given);
 * the send half if the ioctl's file is.
 */
struct kipc_sendrecv {
	__u32 size;
	__u32 flags;
	__s32 recv_fd;
	__u32 result;
	__u64 send_buf;
	__u32 send_len;
	__u32 send_prio;
	__u64 recv_buf;
	__u32 recv_len;
	__u32 recv_prio;
	__s64 deadline_ns;
};

#define KIPC_SENDRECV_SIZE_VER0		56

/* kipc_recvmsg.hdr_flags */
#define KIPC_HDR_CREDS		0x1	/* @pid, @uid and @gid are the sender's */
#define KIPC_HDR_TRACKED	0x2	/* its client waits in SENDRECV for a reply */
#define KIPC_HDR_FDS_TRUNC	0x4	/* ABI 6: descriptors were closed, not installed */

/* Most descriptors one message carries (%KIPC_QUEUE_FDS). */
#define KIPC_FDS_MAX		8

/* kipc_recvmsg.fd_flags */
#define KIPC_FD_CLOEXEC		0x1	/* install with O_CLOEXEC */
#define KIPC_FD_FLAGS		KIPC_FD_CLOEXEC

/**
 * struct kipc_recvmsg - argument of %KIPC_IOC_RECVMSG (ABI 5)
 * @size: sizeof(struct kipc_recvmsg) as the caller knows it
 * @flags: %KIPC_MSG_* flags, as for %KIPC_IOC_RECV
 * @buf: user address of the buffer
 * @len: its capacity; set to the length of the message received
 * @prio: set to the message's priority
 * @deadline_ns: as in struct kipc_msg
 * @hdr_flags: set to %KIPC_HDR_* flags
 * @pid: with %KIPC_HDR_CREDS, the sender's thread-group id in the pid
 *	namespace of the receiving task (0 if not visible there); else 0
 * @uid: with %KIPC_HDR_CREDS, the sender's real uid in the user namespace
 *	of the receiving task (overflowuid if unmapped); else 0
 * @gid: with %KIPC_HDR_CREDS, the sender's real gid, likewise
 *	(overflowgid if unmapped); else 0
 * @fds: ABI 6: user address of an array of @nfds __s32, to receive the
 *	descriptors the message carries (%KIPC_QUEUE_FDS); 0 with @nfds 0
 * @nfds: ABI 6: capacity of @fds, at most %KIPC_FDS_MAX; set to the
 *	number of descriptors installed
 * @fd_flags: ABI 6: %KIPC_FD_* flags of the installed descriptors
 *
 * %KIPC_IOC_RECV with a header: receives one message as %KIPC_IOC_RECV
 * does, on any queue, and returns its length. The header is written
 * before the message is let go (a fault leaves it queued).
 *
 * The descriptors a message carries are installed in the receiving
 * process, lowest free numbers first, after its payload and header were
 * written; @fds[0 .. @nfds - 1] are set to them. A message carrying more
 * than @nfds, or received by read(), %KIPC_IOC_RECV or a batch, has the
 * descriptors that do not fit closed, as recvmsg(2) closes SCM_RIGHTS
 * that find no room (MSG_CTRUNC), and %KIPC_HDR_FDS_TRUNC set. When the
 * receiver's descriptor table cannot take them (%EMFILE) the receive
 * fails and the message stays queued.
 */
struct kipc_recvmsg {
	__u32 size;
	__u32 flags;
	__u64 buf;
	__u32 len;
	__u32 prio;
	__s64 deadline_ns;
	__u32 hdr_flags;
	__s32 pid;
	__u32 uid;
	__u32 gid;
	/* ABI 6 */
	__u64 fds;
	__u32 nfds;
	__u32 fd_flags;
};

#define KIPC_RECVMSG_SIZE_VER0		48
#define KIPC_RECVMSG_SIZE_VER1		64

/**
 * struct kipc_sendmsg - argument of %KIPC_IOC_SENDMSG (ABI 6)
 * @size: sizeof(struct kipc_sendmsg) as the caller knows it
 * @flags: %KIPC_MSG_* flags, as for %KIPC_IOC_SEND
 * @buf: user address of the message
 * @len: its length
 * @prio: its priority
 * @deadline_ns: as in struct kipc_msg
 * @fds: user address of an array of @nfds __s32 open descriptors
 * @nfds: 0 .. %KIPC_FDS_MAX; non-zero only on a queue created with
 *	%KIPC_QUEUE_FDS (%EINVAL otherwise)
 * @__reserved: must be zero
 *
 * %KIPC_IOC_SEND with descriptors: the message holds a reference to each
 * open file until it is received (then installed, see struct
 * kipc_recvmsg) or dropped (closed: the queue destroyed, the message
 * discarded). Errors, besides those of %KIPC_IOC_SEND: %EBADF (a
 * descriptor is not open), %ELOOP (a /dev/kipc file, an AF_UNIX socket or
 * an io_uring instance), %ETOOMANYREFS (the opener's user already has
 * RLIMIT_NOFILE descriptors in flight in kipc messages, as for
 * SCM_RIGHTS), %EINVAL (@nfds over %KIPC_FDS_MAX, descriptors on a queue
 * without %KIPC_QUEUE_FDS, a non-zero @__reserved).
 */
struct kipc_sendmsg {
	__u32 size;
	__u32 flags;
	__u64 buf;
	__u32 len;
	__u32 prio;
	__s64 deadline_ns;
	__u64 fds;
	__u32 nfds;
	__u32 __reserved;
};

#define KIPC_SENDMSG_SIZE_VER0		48

/*
 * Notifications (ABI 4): mq_notify(3) for kipc queues.
 *
 * A queue holds at most one registration, owned by the process (thread
 * group) that made it. It fires when a message arrives on the queue while
 * the queue was empty and no receiver was blocked in a receive on it; it
 * fires once, and firing ends it. It also ends when its owner closes any
 * descriptor of the queue (close(2) or exit), when the owner removes it,
 * or when the queue is destroyed.
 *
 * Firing either only ends the registration (%KIPC_NOTIFY_NONE, as
 * SIGEV_NONE), or also puts a struct kipc_notification on a notification
 * channel (%KIPC_NOTIFY_CHANNEL): a /dev/kipc file bound with
 * %KIPC_IOC_CHANNEL_OPEN, from which read(2) returns whole records and
 * which poll reports readable while it holds one. Each registration's
 * record is allocated when it is made (and charged to its maker), so
 * firing never fails and never drops one. The kernel cannot raise a
 * process-directed signal with its siginfo from a module (kill_pid_info()
 * is not exported), so SIGEV_SIGNAL and SIGEV_THREAD are delivered by a
 * thread in the caller's process that reads the channel (libkipc-mq does
 * this, as glibc does for SIGEV_THREAD over its netlink socket).
 */
#define KIPC_NOTIFY_REMOVE	0	/* end the calling process's registration */
#define KIPC_NOTIFY_NONE	1	/* register; firing only ends it */
#define KIPC_NOTIFY_CHANNEL	2	/* register; firing posts to @channel_fd */
/* Registrations and unread records one channel may carry at once. */
#define KIPC_CHANNEL_MAX	4096

/**
 * struct kipc_notify - argument of %KIPC_IOC_NOTIFY
 * @size: sizeof(struct kipc_notify) as the caller knows it
 * @how: %KIPC_NOTIFY_REMOVE, %KIPC_NOTIFY_NONE or %KIPC_NOTIFY_CHANNEL
 * @channel_fd: with %KIPC_NOTIFY_CHANNEL, a file bound as a channel
 * @__reserved: must be zero
 * @cookie: with %KIPC_NOTIFY_CHANNEL, returned in the notification
 *
 * Errors: %EBUSY when the queue already has a registration (also the
 * caller's own: remove it first, as mq_notify(3)); %EBADF or %EINVAL for a
 * @channel_fd that is not a channel; %ENOSPC when the channel already
 * carries %KIPC_CHANNEL_MAX registrations and unread records (read it);
 * %EINVAL for an unknown @how or a non-zero @__reserved.
 * %KIPC_NOTIFY_REMOVE succeeds whether or not the caller had a
 * registration, and never ends another process's.
 */
struct kipc_notify {
	__u32 size;
	__u32 how;
	__s32 channel_fd;
	__u32 __reserved;
	__u64 cookie;
};

#define KIPC_NOTIFY_SIZE_VER0		24

/**
 * struct kipc_notification - a record read from a notification channel
 * @cookie: the registration's @cookie
 * @queue_id: id of the queue that fired (as struct kipc_stats @id)
 * @pid: the sender of the message that fired it, its thread-group id in
 *	the pid namespace of the registration's owner (0 if not visible)
 * @uid: the sender's real uid in the user namespace of the registration's
 *	owner (overflowuid if unmapped)
 * @__reserved: zero
 */
struct kipc_notification {
	__u64 cookie;
	__u32 queue_id;
	__s32 pid;
	__u32 uid;
	__u32 __reserved;
};

/**
 * struct kipc_channel_open - argument of %KIPC_IOC_CHANNEL_OPEN
 * @size: sizeof(struct kipc_channel_open) as the caller knows it
 * @flags: must be zero
 *
 * Binds an unbound /dev/kipc file as a notification channel.
 */
struct kipc_channel_open {
	__u32 size;
	__u32 flags;
};

#define KIPC_CHANNEL_OPEN_SIZE_VER0	8

/*
 * Shared buffers and semaphores
 * =============================
 *
 * A shared buffer is kernel memory that mmap() maps MAP_SHARED, plus a set
 * of counting semaphores. The mmap offsets of a buffer are laid out as:
 *
 *	0			control area: one struct kipc_sem_ctl per
 *				semaphore, rounded up to whole pages (no pages
 *				at all for a buffer without semaphores)
 *	shbuf_data_offset	data: shbuf_size bytes (struct kipc_stats)
 *
 * Each semaphore's count lives in its control slot, so that uncontended
 * wait and post are atomic operations in userspace with no system call;
 * the kernel is entered only to sleep (%KIPC_IOC_SEM_WAIT) or, when
 * @waiters says someone sleeps, to wake (%KIPC_IOC_SEM_POST with count 0).
 * Documentation/shbuf.rst gives the protocol and its memory ordering. The
 * kernel never relies on what it reads from the control area for its own
 * safety: garbage written there only confuses the buffer's users.
 */
#define KIPC_SEM_VALUE_MAX	0x3fffffff	/* largest semaphore value */
#define KIPC_SEMOP_MAX		64		/* operations per %KIPC_IOC_SEMOP */
#define KIPC_STATS_SEMS		16		/* values reported by %KIPC_IOC_STATS */

/**
 * struct kipc_sem_ctl - control slot of one semaphore, in the mapping
 * @value: units available, 0 .. %KIPC_SEM_VALUE_MAX; changed by userspace
 *	only with compare-and-swap, and by the kernel with atomic operations
 *	that may leave it out of that range for an instant
 * @waiters: written by the kernel only: non-zero while a task sleeps in
 *	the kernel on this semaphore, so a poster must enter the kernel
 * @__reserved: padding to a cache line; the kernel leaves it alone
 */
struct kipc_sem_ctl {
	__u32 value;
	__u32 waiters;
	__u32 __reserved[14];
};

#define KIPC_SEM_CTL_SIZE	64	/* sizeof(struct kipc_sem_ctl) */

/**
 * struct kipc_shbuf_open - argument of %KIPC_IOC_SHBUF_OPEN
 * @size: sizeof(struct kipc_shbuf_open) as the caller knows it
 * @flags: %KIPC_OPEN_* flags, as for queues
 * @mode: permission bits (0777 mask) for a new buffer; the umask applies
 * @nsems: number of semaphores of a new buffer, at most the module's
 *	sems_max parameter
 * @bufsize: bytes of data of a new buffer, rounded up to whole pages, at
 *	most the module's shbuf_size_max parameter; 0 with @nsems > 0 makes a
 *	set of semaphores without data
 * @init_values: user address of @nsems __u32 initial values (each at most
 *	%KIPC_SEM_VALUE_MAX), or 0 to start every semaphore at 0
 * @name: NUL-terminated name; all zero with %KIPC_OPEN_ANON
 *
 * Opening an existing buffer ignores @mode, @nsems, @bufsize and
 * @init_values. A name belongs to one object: opening a queue's name as a
 * buffer fails with EINVAL.
 */
struct kipc_shbuf_open {
	__u32 size;
	__u32 flags;
	__u32 mode;
	__u32 nsems;
	__u64 bufsize;
	__u64 init_values;
	char name[KIPC_NAME_MAX];
};

#define KIPC_SHBUF_OPEN_SIZE_VER0	96

/* Flags of the semaphore ioctls. */
#define KIPC_SEM_NONBLOCK	0x1	/* EAGAIN instead of blocking */
#define KIPC_SEM_DEADLINE	0x2	/* @deadline_ns is valid */
#define KIPC_SEM_UNDO		0x4	/* undo when the file is closed */
#define KIPC_SEM_FLAGS		(KIPC_SEM_NONBLOCK | KIPC_SEM_DEADLINE | KIPC_SEM_UNDO)

/**
 * struct kipc_sem_arg - argument of %KIPC_IOC_SEM_WAIT and %KIPC_IOC_SEM_POST
 * @size: sizeof(struct kipc_sem_arg) as the caller knows it
 * @flags: %KIPC_SEM_* flags; a post takes %KIPC_SEM_UNDO only
 * @sem: index of the semaphore
 * @count: units to take (wait, 1 .. %KIPC_SEM_VALUE_MAX) or to add (post,
 *	0 .. %KIPC_SEM_VALUE_MAX; 0 adds nothing and only hands units already
 *	in the control slot to sleepers: the fast path's way into the kernel)
 * @deadline_ns: with %KIPC_SEM_DEADLINE, a wait gives up with ETIMEDOUT
 *	once CLOCK_MONOTONIC (of the caller's time namespace) reaches this
 *	absolute time, in nanoseconds
 *
 * With %KIPC_SEM_UNDO the units taken (or given) are recorded for the
 * calling process and given back (or taken back) when it closes the file
 * or exits: see Documentation/shbuf.rst.
 */
struct kipc_sem_arg {
	__u32 size;
	__u32 flags;
	__u32 sem;
	__u32 count;
	__s64 deadline_ns;
};

#define KIPC_SEM_ARG_SIZE_VER0		24

/**
 * struct kipc_sem_value - argument of %KIPC_IOC_SEM_GETVALUE
 * @size: sizeof(struct kipc_sem_value) as the caller knows it
 * @sem: index of the semaphore
 * @value: set to its value, clamped to 0 .. %KIPC_SEM_VALUE_MAX
 * @waiters: set to the number of tasks asleep in the kernel on it
 */
struct kipc_sem_value {
	__u32 size;
	__u32 sem;
	__u32 value;
	__u32 waiters;
};

#define KIPC_SEM_VALUE_SIZE_VER0	16

/**
 * struct kipc_sembuf - one operation of %KIPC_IOC_SEMOP
 * @sem: index of the semaphore
 * @delta: units to add (> 0) or to take (< 0); never 0; magnitude at most
 *	%KIPC_SEM_VALUE_MAX
 * @flags: 0 or %KIPC_SEM_UNDO
 * @__reserved: must be zero
 */
struct kipc_sembuf {
	__u32 sem;
	__s32 delta;
	__u32 flags;
	__u32 __reserved;
};

/**
 * struct kipc_semop - argument of %KIPC_IOC_SEMOP
 * @size: sizeof(struct kipc_semop) as the caller knows it
 * @flags: %KIPC_SEM_NONBLOCK, %KIPC_SEM_DEADLINE
 * @ops: user address of @nops struct kipc_sembuf
 * @nops: 1 .. %KIPC_SEMOP_MAX (more: E2BIG)
 * @__reserved: must be zero
 * @deadline_ns: as in struct kipc_sem_arg
 *
 * Applies all the operations, in order, or none: the call sleeps until
 * every take can be satisfied at once (as semop() in SysV IPC). A post
 * that would push a value past %KIPC_SEM_VALUE_MAX fails the whole call
 * with EOVERFLOW.
 */
struct kipc_semop {
	__u32 size;
	__u32 flags;
	__u64 ops;
	__u32 nops;
	__u32 __reserved;
	__s64 deadline_ns;
};

#define KIPC_SEMOP_SIZE_VER0		32

/**
 * DOC: shared buffer ioctls
 *
 * %KIPC_IOC_SHBUF_OPEN (struct kipc_shbuf_open) binds an unbound file to a
 * new or existing shared buffer. Errors: EBUSY (bound already), EEXIST,
 * ENOENT, EACCES, EINVAL (flags, mode, name; size or semaphores over the
 * limits; an initial value over %KIPC_SEM_VALUE_MAX; the name is a queue),
 * ENAMETOOLONG, EFAULT, EMFILE (per-user count), EDQUOT (per-user byte
 * budget), ENOSPC (ceiling for all users), ENOMEM.
 *
 * The others need a file bound to a shared buffer (EBADFD unbound, EINVAL
 * for a queue), opened for writing (EBADF), except %KIPC_IOC_SEM_GETVALUE,
 * which needs it opened for reading. A bad semaphore index is EINVAL.
 *
 * %KIPC_IOC_SEM_WAIT (struct kipc_sem_arg) takes @count units, sleeping
 * until they are there. Errors: EAGAIN (%KIPC_SEM_NONBLOCK or O_NONBLOCK),
 * ETIMEDOUT, EINVAL (a negative deadline, when it would sleep), EINTR (a
 * signal, when the handler has no SA_RESTART; with it the call restarts,
 * and an absolute deadline keeps it exact), ENOMEM, EDQUOT or ENOSPC (undo
 * record, charged to the file's opener).
 *
 * %KIPC_IOC_SEM_POST (struct kipc_sem_arg) adds @count units and hands them
 * to sleepers. Errors: EOVERFLOW (the value would pass
 * %KIPC_SEM_VALUE_MAX; nothing is added).
 *
 * %KIPC_IOC_SEM_GETVALUE (struct kipc_sem_value) reads a value and the
 * number of sleepers.
 *
 * %KIPC_IOC_SEMOP (struct kipc_semop) applies several operations, all or
 * none. Errors: as wait and post, plus E2BIG (@nops over %KIPC_SEMOP_MAX).
 *
 * read(), write() and poll() are not for shared buffers (EINVAL, EPOLLERR).
 * mmap() maps MAP_SHARED only (EINVAL for MAP_PRIVATE, EPERM for PROT_EXEC,
 * EINVAL for a range past the end); see Documentation/shbuf.rst.
 */

/* kipc_stats.type */
#define KIPC_TYPE_QUEUE		1
#define KIPC_TYPE_SHBUF		2

/**
 * struct kipc_stats - reply of %KIPC_IOC_STATS
 * @size: set by the caller to sizeof(struct kipc_stats) as it knows it;
 *	the kernel fills that many bytes at most and zeroes what it does not
 *	know
 * @type: %KIPC_TYPE_* of the bound object
 * @id: object id, unique while the module is loaded
 * @mode: permission bits
 * @uid: owner user id, in the caller's user namespace
 * @gid: owner group id, in the caller's user namespace
 * @maxmsg: queue capacity in messages
 * @msgsize: largest message in bytes
 * @curmsgs: messages queued now
 * @hwm: the most messages ever queued at once
 * @bytes: payload bytes queued now
 * @sent: messages sent since creation
 * @received: messages received since creation
 * @send_waits: times a sender had to sleep for room (or for a buffer of
 *	the queue's reservation to come back)
 * @recv_waits: times a receiver had to sleep for a message
 * @shbuf_size: shared buffer: bytes of data (page-rounded)
 * @shbuf_data_offset: shared buffer: mmap offset of the data, which follows
 *	the control area
 * @shbuf_nsems: shared buffer: number of semaphores
 * @shbuf_mappings: shared buffer: memory mappings (VMAs) of it now
 * @sem_sleepers: tasks asleep in the kernel on its semaphores now
 * @sem_waits: times a task had to sleep in the kernel on a semaphore
 * @sem_wakeups: times a sleeper was handed its units and woken
 * @sem_posts: %KIPC_IOC_SEM_POST calls (the fast path posts without one)
 * @sem_values: values of the first %KIPC_STATS_SEMS semaphores, read from
 *	the control area and clamped to 0 .. %KIPC_SEM_VALUE_MAX
 * @send_lowat: queue: its send low-water mark (1 unless set at creation)
 * @options: queue: its %KIPC_QUEUE_* options (ABI 5; zero before)
 * @subscribers: broadcast queue (ABI 6): files subscribed to it now
 * @sub_pending: broadcast queue, this file: messages it has yet to read
 * @dropped: broadcast queue: messages subscribers lost to
 *	%KIPC_QUEUE_DROP_OLDEST, all subscribers together, since creation
 * @sub_received: broadcast queue, this file: messages it received
 * @sub_dropped: broadcast queue, this file: messages it lost to
 *	%KIPC_QUEUE_DROP_OLDEST
 *
 * Fields of the other kind of object read zero. On a broadcast queue
 * @curmsgs, @bytes and @hwm count the messages held for subscribers (each
 * once, however many have yet to read it) and @received counts the
 * messages all subscribers received together.
 */
struct kipc_stats {
	__u32 size;
	__u32 type;
	__u32 id;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	__u32 maxmsg;
	__u32 msgsize;
	__u32 curmsgs;
	__u32 hwm;
	__u64 bytes;
	__u64 sent;
	__u64 received;
	__u64 send_waits;
	__u64 recv_waits;
	/* ABI 2: shared buffers */
	__u64 shbuf_size;
	__u32 shbuf_data_offset;
	__u32 shbuf_nsems;
	__u32 shbuf_mappings;
	__u32 sem_sleepers;
	__u64 sem_waits;
	__u64 sem_wakeups;
	__u64 sem_posts;
	__u32 sem_values[KIPC_STATS_SEMS];
	/* ABI 3 */
	__u32 send_lowat;
	/* ABI 5; a reserved zero before */
	__u32 options;
	/* ABI 6: broadcast queues */
	__u32 subscribers;
	__u32 sub_pending;
	__u64 dropped;
	__u64 sub_received;
	__u64 sub_dropped;
};

#define KIPC_STATS_SIZE_VER0		80
#define KIPC_STATS_SIZE_VER1		192
#define KIPC_STATS_SIZE_VER2		200
#define KIPC_STATS_SIZE_VER3		232

/*
 * The extensible ioctls. Each number encodes today's sizeof(); the same
 * _IOC_NR with the size of another layout of the struct, equal to its
 * @size field, reaches the same ioctl (see the top of this file).
 */
#define KIPC_IOC_QUEUE_OPEN	_IOW(KIPC_IOC_MAGIC, 0x01, struct kipc_queue_open)
#define KIPC_IOC_UNLINK		_IOW(KIPC_IOC_MAGIC, 0x02, struct kipc_unlink)
#define KIPC_IOC_STATS		_IOWR(KIPC_IOC_MAGIC, 0x03, struct kipc_stats)
#define KIPC_IOC_SEND		_IOW(KIPC_IOC_MAGIC, 0x10, struct kipc_msg)
#define KIPC_IOC_RECV		_IOWR(KIPC_IOC_MAGIC, 0x11, struct kipc_msg)
#define KIPC_IOC_SEND_BATCH	_IOW(KIPC_IOC_MAGIC, 0x12, struct kipc_batch)
#define KIPC_IOC_RECV_BATCH	_IOW(KIPC_IOC_MAGIC, 0x13, struct kipc_batch)
#define KIPC_IOC_SENDRECV	_IOWR(KIPC_IOC_MAGIC, 0x14, struct kipc_sendrecv)
#define KIPC_IOC_NOTIFY		_IOW(KIPC_IOC_MAGIC, 0x15, struct kipc_notify)
#define KIPC_IOC_CHANNEL_OPEN	_IOW(KIPC_IOC_MAGIC, 0x16, struct kipc_channel_open)
#define KIPC_IOC_RECVMSG	_IOWR(KIPC_IOC_MAGIC, 0x17, struct kipc_recvmsg)
#define KIPC_IOC_SENDMSG	_IOW(KIPC_IOC_MAGIC, 0x18, struct kipc_sendmsg)
#define KIPC_IOC_SHBUF_OPEN	_IOW(KIPC_IOC_MAGIC, 0x20, struct kipc_shbuf_open)
#define KIPC_IOC_SEM_WAIT	_IOW(KIPC_IOC_MAGIC, 0x21, struct kipc_sem_arg)
#define KIPC_IOC_SEM_POST	_IOW(KIPC_IOC_MAGIC, 0x22, struct kipc_sem_arg)
#define KIPC_IOC_SEM_GETVALUE	_IOWR(KIPC_IOC_MAGIC, 0x23, struct kipc_sem_value)
#define KIPC_IOC_SEMOP		_IOW(KIPC_IOC_MAGIC, 0x24, struct kipc_semop)

/*
 * io_uring passthrough (ABI 6)
 * ============================
 *
 * IORING_OP_URING_CMD on a queue's file runs a queue ioctl
 * asynchronously: sqe->cmd_op is the ioctl's command (%KIPC_IOC_SEND,
 * %KIPC_IOC_RECV, %KIPC_IOC_SEND_BATCH, %KIPC_IOC_RECV_BATCH,
 * %KIPC_IOC_RECVMSG or %KIPC_IOC_SENDMSG, any size layout the ioctl
 * takes), the SQE's command area holds a struct kipc_uring_cmd, and the
 * completion's res is what the ioctl would return (a negative errno on
 * failure). Other commands complete with %EOPNOTSUPP. A command that
 * would block waits in io_uring's worker, as a blocking read on a pipe
 * does; it completes with %ECANCELED when io_uring cancels it
 * (IORING_OP_ASYNC_CANCEL, the ring's teardown, the submitting task's
 * exit), with %EINTR when another interruption of the worker (a stop of
 * the whole process, the freezer) ends its wait. Documentation/uring.rst
 * has the rules; <kipc_uring.h> in libkipc prepares the SQEs.
 */

/**
 * struct kipc_uring_cmd - the command area of a kipc IORING_OP_URING_CMD
 * @arg: user address of the ioctl's argument (struct kipc_msg, ...),
 *	which must stay valid until the command completes
 * @__reserved: must be zero
 */
struct kipc_uring_cmd {
	__u64 arg;
	__u64 __reserved;
};

/*
 * Generic netlink family "kipc"
 * =============================
 *
 * Control and observation of the objects of the caller's IPC namespace.
 * Documentation/netlink.rst describes it and Documentation/netlink/kipc.yaml
 * is its YNL-style spec; make check keeps them in step with this header.
 */
#define KIPC_GENL_NAME		"kipc"
#define KIPC_GENL_VERSION	1

/**
 * enum kipc_cmd - commands of the "kipc" generic netlink family
 * @KIPC_CMD_UNSPEC: unused
 * @KIPC_CMD_OBJ_GET: do: the object named %KIPC_A_NAME (EACCES if the
 *	caller may not see it); dump: every object of the caller's IPC
 *	namespace the caller may see: its own, those whose mode bits let it
 *	read them, all with CAP_IPC_OWNER
 * @KIPC_CMD_OBJ_NEW: create a named object (%KIPC_A_TYPE, %KIPC_A_NAME,
 *	optional %KIPC_A_MODE; a queue's %KIPC_A_MAXMSG and %KIPC_A_MSGSIZE,
 *	or a shared buffer's %KIPC_A_SIZE, %KIPC_A_NSEMS and
 *	%KIPC_A_SEM_VALUES); replies with the object
 * @KIPC_CMD_OBJ_DEL: unlink %KIPC_A_NAME (owner or CAP_SYS_ADMIN)
 * @KIPC_CMD_OBJ_SET: change %KIPC_A_MODE or (a queue's) %KIPC_A_MAXMSG of
 *	%KIPC_A_NAME (owner or CAP_SYS_ADMIN); replies with the object
 * @KIPC_CMD_STATS_GET: totals of the objects of the caller's IPC namespace
 *	the caller may see, and the caller's budget usage and limits
 * @KIPC_CMD_SUBSCRIBE: deliver events of the caller's IPC namespace, about
 *	objects the caller may see, to this socket until it closes or
 *	unsubscribes (EMFILE past max_subscriptions_per_user)
 * @KIPC_CMD_UNSUBSCRIBE: stop delivering events to this socket
 * @KIPC_CMD_EVENT: notification carrying %KIPC_A_EVENT and the object
 * @__KIPC_CMD_MAX: one past the last command
 */
enum kipc_cmd {
	KIPC_CMD_UNSPEC,
	KIPC_CMD_OBJ_GET,
	KIPC_CMD_OBJ_NEW,
	KIPC_CMD_OBJ_DEL,
	KIPC_CMD_OBJ_SET,
	KIPC_CMD_STATS_GET,
	KIPC_CMD_SUBSCRIBE,
	KIPC_CMD_UNSUBSCRIBE,
	KIPC_CMD_EVENT,
	__KIPC_CMD_MAX,
};

#define KIPC_CMD_MAX		(__KIPC_CMD_MAX - 1)

/**
 * enum kipc_attr - attributes of the "kipc" family
 * @KIPC_A_UNSPEC: unused
 * @KIPC_A_PAD: padding for 64-bit attributes
 * @KIPC_A_ID: u32, object id
 * @KIPC_A_TYPE: u32, %KIPC_TYPE_*
 * @KIPC_A_NAME: NUL-terminated string of 1 to %KIPC_NAME_MAX - 1 bytes
 * @KIPC_A_ANON: flag, the object has no name
 * @KIPC_A_MODE: u32, permission bits (0 to 0777)
 * @KIPC_A_UID: u32, owner, in the caller's user namespace
 * @KIPC_A_GID: u32, owning group, in the caller's user namespace
 * @KIPC_A_MAXMSG: u32, queue capacity in messages
 * @KIPC_A_MSGSIZE: u32, largest message in bytes
 * @KIPC_A_CURMSGS: u32, messages queued
 * @KIPC_A_HWM: u32, most messages ever queued at once
 * @KIPC_A_BYTES: u64, payload bytes queued
 * @KIPC_A_SENT: u64, messages sent
 * @KIPC_A_RECEIVED: u64, messages received
 * @KIPC_A_SEND_WAITS: u64, times a sender slept for room
 * @KIPC_A_RECV_WAITS: u64, times a receiver slept for a message
 * @KIPC_A_MEM_BYTES: u64, kernel memory the object (or all objects) holds
 * @KIPC_A_EVENT: u32, %KIPC_EVENT_*
 * @KIPC_A_NR_QUEUES: u32, queues in the namespace
 * @KIPC_A_NR_SHBUFS: u32, shared buffers in the namespace
 * @KIPC_A_SIZE: u64, shared buffer: bytes of data; a request's size is
 *	rounded up to whole pages, a reply's is rounded already
 * @KIPC_A_NSEMS: u32, shared buffer: number of semaphores
 * @KIPC_A_SEM_VALUES: binary, shared buffer: %KIPC_A_NSEMS __u32 initial
 *	semaphore values, each at most %KIPC_SEM_VALUE_MAX (request only)
 * @KIPC_A_DATA_OFFSET: u32, shared buffer: mmap offset of the data
 * @KIPC_A_MAPPINGS: u32, shared buffer: memory mappings (VMAs) of it now
 * @KIPC_A_SEM_SLEEPERS: u32, shared buffer: tasks asleep on its semaphores
 * @KIPC_A_SEM_WAITS: u64, shared buffer: times a task slept on a semaphore
 * @KIPC_A_SEM_WAKEUPS: u64, shared buffer: times a sleeper was woken with
 *	its units
 * @KIPC_A_SEM_POSTS: u64, shared buffer: %KIPC_IOC_SEM_POST calls
 * @KIPC_A_EVENTS_LOST: u64, in an event: events this subscriber missed
 *	(allocation failure or a full socket) since the previous one it got
 * @KIPC_A_USER_BYTES: u64, %KIPC_CMD_STATS_GET: bytes of the byte budget
 *	charged to the caller (the socket's opener, in its user namespace)
 * @KIPC_A_USER_BYTES_MAX: u64, the per-user byte budget (user_bytes_max)
 * @KIPC_A_TOTAL_BYTES: u64, bytes charged by all users together
 * @KIPC_A_TOTAL_BYTES_MAX: u64, the ceiling for all users (total_bytes_max)
 * @KIPC_A_USER_QUEUES: u32, queues charged to the caller
 * @KIPC_A_USER_SHBUFS: u32, shared buffers charged to the caller
 * @KIPC_A_USER_SUBS: u32, event subscriptions charged to the caller
 * @KIPC_A_SEND_LOWAT: u32, a queue's send low-water mark (see
 *	struct kipc_queue_open)
 * @KIPC_A_OPTIONS: u32, a queue's %KIPC_QUEUE_* options (ABI 5); in
 *	%KIPC_CMD_OBJ_NEW, those of the new queue
 * @KIPC_A_SUBSCRIBERS: u32, broadcast queue (ABI 6): files subscribed now
 * @KIPC_A_DROPPED: u64, broadcast queue: messages lost to
 *	%KIPC_QUEUE_DROP_OLDEST, all subscribers together
 * @KIPC_A_SUB: nest of &enum kipc_sub_attr, one per subscriber of a
 *	broadcast queue, in %KIPC_CMD_OBJ_GET's reply (not in dumps)
 * @__KIPC_A_MAX: one past the last attribute
 *
 * New attributes are only ever appended: the values are ABI.
 */
enum kipc_attr {
	KIPC_A_UNSPEC,
	KIPC_A_PAD,
	KIPC_A_ID,
	KIPC_A_TYPE,
	KIPC_A_NAME,
	KIPC_A_ANON,
	KIPC_A_MODE,
	KIPC_A_UID,
	KIPC_A_GID,
	KIPC_A_MAXMSG,
	KIPC_A_MSGSIZE,
	KIPC_A_CURMSGS,
	KIPC_A_HWM,
	KIPC_A_BYTES,
	KIPC_A_SENT,
	KIPC_A_RECEIVED,
	KIPC_A_SEND_WAITS,
	KIPC_A_RECV_WAITS,
	KIPC_A_MEM_BYTES,
	KIPC_A_EVENT,
	KIPC_A_NR_QUEUES,
	KIPC_A_NR_SHBUFS,
	KIPC_A_SIZE,
	KIPC_A_NSEMS,
	KIPC_A_SEM_VALUES,
	KIPC_A_DATA_OFFSET,
	KIPC_A_MAPPINGS,
	KIPC_A_SEM_SLEEPERS,
	KIPC_A_SEM_WAITS,
	KIPC_A_SEM_WAKEUPS,
	KIPC_A_SEM_POSTS,
	KIPC_A_EVENTS_LOST,
	KIPC_A_USER_BYTES,
	KIPC_A_USER_BYTES_MAX,
	KIPC_A_TOTAL_BYTES,
	KIPC_A_TOTAL_BYTES_MAX,
	KIPC_A_USER_QUEUES,
	KIPC_A_USER_SHBUFS,
	KIPC_A_USER_SUBS,
	KIPC_A_SEND_LOWAT,
	KIPC_A_OPTIONS,
	KIPC_A_SUBSCRIBERS,
	KIPC_A_DROPPED,
	KIPC_A_SUB,
	__KIPC_A_MAX,
};

#define KIPC_A_MAX		(__KIPC_A_MAX - 1)

/**
 * enum kipc_sub_attr - attributes of one subscriber (%KIPC_A_SUB), ABI 6
 * @KIPC_SUB_A_UNSPEC: unused
 * @KIPC_SUB_A_PAD: padding for 64-bit attributes
 * @KIPC_SUB_A_ID: u32, the subscription's id, unique within its queue
 * @KIPC_SUB_A_UID: u32, the subscribed file's opener (effective uid), in
 *	the caller's user namespace
 * @KIPC_SUB_A_PENDING: u32, messages it has yet to read
 * @KIPC_SUB_A_RECEIVED: u64, messages it received
 * @KIPC_SUB_A_DROPPED: u64, messages it lost to %KIPC_QUEUE_DROP_OLDEST
 * @__KIPC_SUB_A_MAX: one past the last attribute
 */
enum kipc_sub_attr {
	KIPC_SUB_A_UNSPEC,
	KIPC_SUB_A_PAD,
	KIPC_SUB_A_ID,
	KIPC_SUB_A_UID,
	KIPC_SUB_A_PENDING,
	KIPC_SUB_A_RECEIVED,
	KIPC_SUB_A_DROPPED,
	__KIPC_SUB_A_MAX,
};

#define KIPC_SUB_A_MAX		(__KIPC_SUB_A_MAX - 1)

/**
 * enum kipc_event - values of %KIPC_A_EVENT
 * @KIPC_EVENT_UNSPEC: unused
 * @KIPC_EVENT_CREATED: an object was created
 * @KIPC_EVENT_UNLINKED: a name was removed; the object may live on
 * @KIPC_EVENT_DESTROYED: an object's last reference went away
 * @KIPC_EVENT_QUEUE_FULL: a sender found the queue full (once per episode:
 *	reported again only after a message was received)
 */
enum kipc_event {
	KIPC_EVENT_UNSPEC,
	KIPC_EVENT_CREATED,
	KIPC_EVENT_UNLINKED,
	KIPC_EVENT_DESTROYED,
	KIPC_EVENT_QUEUE_FULL,
};

#endif /* _UAPI_LINUX_KIPC_H */
