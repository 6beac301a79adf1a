/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libkipc-mq: what the library's files share. Not installed, not exported
 * (-fvisibility=hidden): the library's ABI is the mq_* names of <mqueue.h>.
 */
#ifndef KIPC_MQ_INTERNAL_H
#define KIPC_MQ_INTERNAL_H

#include <errno.h>
#include <limits.h>
#include <mqueue.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <linux/kipc.h>

#define KMQ_HIDDEN __attribute__((visibility("hidden")))
#define KMQ_EXPORT __attribute__((visibility("default")))

/*
 * The descriptor table: one 64-bit word per descriptor number the library
 * opened a kipc queue on (an mqd_t is the kipc file's descriptor). Zero
 * means "not ours": the call goes to the real function. Readers take no
 * lock, so the send and receive paths cost two loads: a chunk pointer and
 * the word. Chunks are allocated on first use and never freed (a fork's
 * child gets a copy with its memory).
 */
#define KMQ_VALID	(1ULL << 63)
#define KMQ_READ	(1ULL << 33)	/* opened O_RDONLY or O_RDWR */
#define KMQ_WRITE	(1ULL << 32)	/* opened O_WRONLY or O_RDWR */
#define KMQ_MSGSIZE(e)	((uint32_t)(e))

#define KMQ_CHUNK_BITS	10
#define KMQ_CHUNKS	1024	/* descriptors below 1 << 20, Linux's nr_open */
#define KMQ_FD_LIMIT	(KMQ_CHUNKS << KMQ_CHUNK_BITS)

extern KMQ_HIDDEN _Atomic(_Atomic uint64_t *) kmq_table[KMQ_CHUNKS];

static inline uint64_t kmq_lookup(int fd)
{
	_Atomic uint64_t *chunk;

	if ((unsigned int)fd >= KMQ_FD_LIMIT)
		return 0;
	chunk = atomic_load_explicit(&kmq_table[fd >> KMQ_CHUNK_BITS],
				     memory_order_acquire);
	if (!chunk)
		return 0;
	return atomic_load_explicit(&chunk[fd & ((1 << KMQ_CHUNK_BITS) - 1)],
				    memory_order_relaxed);
}

/* Record @fd as a kipc queue; -1 with EMFILE past KMQ_FD_LIMIT, ENOMEM. */
KMQ_HIDDEN int kmq_table_set(int fd, uint64_t entry);
KMQ_HIDDEN void kmq_table_clear(int fd);

/*
 * @fd is not (or no longer) a descriptor the table knows as a kipc queue,
 * and a real mq_* function refused it with EBADF, or the kernel answered
 * ENOTTY to a kipc ioctl on it. If it is a kipc queue after all (a dup, or
 * a queue libkipc opened), record it and return its entry; otherwise
 * forget it and return 0. Keeps errno.
 */
KMQ_HIDDEN uint64_t kmq_adopt(int fd);

/* The entry for an open kipc queue @fd opened with @oflag's access mode. */
KMQ_HIDDEN int kmq_entry_of(int fd, int oflag, uint64_t *entry);

/* The kernel's statistics of the queue @fd; -1 with errno. */
KMQ_HIDDEN int kmq_stats(int fd, struct kipc_stats *st);

/*
 * The real (libc) functions, found with dlsym(RTLD_NEXT) on first use.
 * NULL when there is none (a static program): the callers fail with
 * ENOSYS.
 */
enum kmq_real_fn {
	KMQ_REAL_OPEN,
	KMQ_REAL_CLOSE,
	KMQ_REAL_UNLINK,
	KMQ_REAL_TIMEDSEND,
	KMQ_REAL_TIMEDRECEIVE,
	KMQ_REAL_GETATTR,
	KMQ_REAL_SETATTR,
	KMQ_REAL_NOTIFY,
	KMQ_REAL_NR
};

KMQ_HIDDEN void *kmq_real(enum kmq_real_fn fn);

/*
 * Names. kmq_name_check() applies Linux's rules to a POSIX name: -1 with
 * EINVAL (no leading '/'), ENOENT ("/" alone), EACCES (another '/', "/."
 * or "/.."), ENAMETOOLONG (over NAME_MAX). kmq_name_taken() says whether
 * KIPC_MQ_NAMES gives the name to kipc. kmq_name_map() writes the kipc
 * name (the POSIX name without its '/') into a zeroed KIPC_NAME_MAX field:
 * -1 with ENAMETOOLONG (over KIPC_NAME_MAX - 1 bytes) or EINVAL (a byte
 * that is not printable ASCII, or a space).
 */
KMQ_HIDDEN int kmq_name_check(const char *name);
KMQ_HIDDEN int kmq_name_taken(const char *name);
KMQ_HIDDEN int kmq_name_map(char *dst, const char *name);

/*
 * An unbound /dev/kipc descriptor, close-on-exec, with @oflag's access
 * mode and O_NONBLOCK; -1 with errno. *@absent is set when the failure
 * means kipc is not there for this process (no device, no driver, no
 * access): the caller falls back to the real function.
 */
KMQ_HIDDEN int kmq_device_open(int oflag, int *absent);

/* The module's ABI revision (KIPC_IOC_VERSION), asked once; 0 if unknown. */
KMQ_HIDDEN unsigned int kmq_abi(void);

/*
 * A struct timespec as mq_timedsend(3) takes it, checked as Linux checks it
 * (EINVAL for a negative tv_sec, or tv_nsec outside 0 .. 999999999,
 * whether or not the call would block), into @m's deadline.
 */
KMQ_HIDDEN int kmq_deadline(struct kipc_msg *m, const struct timespec *ts);

/* Notifications: the registrations of a queue end when it is mq_close()d. */
KMQ_HIDDEN void kmq_notify_forget_fd(int fd);

#endif
