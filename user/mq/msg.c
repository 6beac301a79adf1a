// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libkipc-mq: mq_send, mq_timedsend, mq_receive, mq_timedreceive. The hot
 * path: one table lookup, one ioctl. Checks are in Linux's order
 * (ipc/mqueue.c): the timeout, the priority, the descriptor and its access
 * mode, the length.
 */
#include <sys/ioctl.h>

#include "mq_internal.h"

typedef int (*kmq_timedsend_fn)(mqd_t, const char *, size_t, unsigned int,
				const struct timespec *);
typedef ssize_t (*kmq_timedreceive_fn)(mqd_t, char *, size_t, unsigned int *,
				       const struct timespec *);

#define KMQ_NSEC_PER_SEC	1000000000LL

/* Set once a module refused KIPC_MSG_REALTIME: see kmq_realtime_refused(). */
static _Atomic int kmq_no_realtime;

/*
 * LEGACY FALLBACK, modules before ABI 4 only: they know no
 * KIPC_MSG_REALTIME (EINVAL), so the CLOCK_REALTIME deadline in @m is
 * turned into CLOCK_MONOTONIC here, once per call, and a clock change
 * during the wait is not followed. Remove with support for those modules.
 */
static void kmq_to_monotonic(struct kipc_msg *m)
{
	struct timespec rt, mono;
	int64_t delta;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	delta = (rt.tv_sec - mono.tv_sec) * KMQ_NSEC_PER_SEC +
		(rt.tv_nsec - mono.tv_nsec);
	/* A past deadline times out; a negative one would be EINVAL. */
	if (m->deadline_ns != INT64_MAX)
		m->deadline_ns = m->deadline_ns - delta < 0 ? 0 : m->deadline_ns - delta;
	m->flags &= ~KIPC_MSG_REALTIME;
}

/*
 * Deadlines are CLOCK_REALTIME as POSIX says; the kernel waits on that
 * clock (KIPC_MSG_REALTIME, ABI 4), so a clock set while a caller waits
 * moves its wake-up as Linux's mq_timedsend does.
 */
int kmq_deadline(struct kipc_msg *m, const struct timespec *ts)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= KMQ_NSEC_PER_SEC) {
		errno = EINVAL;
		return -1;
	}
	if (ts->tv_sec >= INT64_MAX / KMQ_NSEC_PER_SEC)
		m->deadline_ns = INT64_MAX;
	else
		m->deadline_ns = ts->tv_sec * KMQ_NSEC_PER_SEC + ts->tv_nsec;
	m->flags |= KIPC_MSG_DEADLINE | KIPC_MSG_REALTIME;
	if (atomic_load_explicit(&kmq_no_realtime, memory_order_relaxed))
		kmq_to_monotonic(m);
	return 0;
}

/*
 * The ioctl on @m failed: if it was a module before ABI 4 refusing
 * KIPC_MSG_REALTIME, remember that, convert @m and say to try again. The
 * module's version is asked only here, on the error path, and a module of
 * ABI 4 or later never takes this turn.
 */
static int kmq_realtime_refused(struct kipc_msg *m)
{
	/* Such a module's other EINVAL: a priority over its 0 .. 31. */
	if (errno != EINVAL || !(m->flags & KIPC_MSG_REALTIME) ||
	    m->prio >= KIPC_PRIO_MAX_V3 || kmq_abi() >= 4)
		return 0;
	atomic_store_explicit(&kmq_no_realtime, 1, memory_order_relaxed);
	kmq_to_monotonic(m);
	return 1;
}

static int kmq_real_send(mqd_t mqd, const char *msg, size_t len,
			 unsigned int prio, const struct timespec *ts)
{
	kmq_timedsend_fn fn = (kmq_timedsend_fn)kmq_real(KMQ_REAL_TIMEDSEND);

	return fn ? fn(mqd, msg, len, prio, ts) : -1;
}

static int kmq_send(mqd_t mqd, const char *msg, size_t len,
		    unsigned int prio, const struct timespec *ts)
{
	struct kipc_msg m = {
		.size = sizeof(m),
		.buf = (uintptr_t)msg,
		.len = len,
		.prio = prio,
	};
	uint64_t e = kmq_lookup(mqd);
	int ret;

	if (!e) {
		ret = kmq_real_send(mqd, msg, len, prio, ts);
		if (ret == 0 || errno != EBADF || !kmq_adopt(mqd))
			return ret;
		e = kmq_lookup(mqd);
	}
	if (ts && kmq_deadline(&m, ts))
		return -1;
	if (prio >= MQ_PRIO_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (!(e & KMQ_WRITE)) {
		errno = EBADF;
		return -1;
	}
	if (len > KMQ_MSGSIZE(e)) {
		errno = EMSGSIZE;
		return -1;
	}
	if (ioctl(mqd, KIPC_IOC_SEND, &m) == 0 ||
	    (kmq_realtime_refused(&m) && ioctl(mqd, KIPC_IOC_SEND, &m) == 0))
		return 0;
	/* The number was close(2)d and reused for something else: not ours. */
	if (errno == ENOTTY && !kmq_adopt(mqd))
		return kmq_real_send(mqd, msg, len, prio, ts);
	return -1;
}

static ssize_t kmq_real_receive(mqd_t mqd, char *buf, size_t len,
				unsigned int *prio, const struct timespec *ts)
{
	kmq_timedreceive_fn fn =
		(kmq_timedreceive_fn)kmq_real(KMQ_REAL_TIMEDRECEIVE);

	return fn ? fn(mqd, buf, len, prio, ts) : -1;
}

static ssize_t kmq_receive(mqd_t mqd, char *buf, size_t len,
			   unsigned int *prio, const struct timespec *ts)
{
	struct kipc_msg m = {
		.size = sizeof(m),
		.buf = (uintptr_t)buf,
		/* Never over the queue's msgsize: the check below saw to it. */
		.len = len > UINT32_MAX ? UINT32_MAX : len,
	};
	uint64_t e = kmq_lookup(mqd);
	ssize_t ret;

	if (!e) {
		ret = kmq_real_receive(mqd, buf, len, prio, ts);
		if (ret >= 0 || errno != EBADF || !kmq_adopt(mqd))
			return ret;
		e = kmq_lookup(mqd);
	}
	if (ts && kmq_deadline(&m, ts))
		return -1;
	if (!(e & KMQ_READ)) {
		errno = EBADF;
		return -1;
	}
	/* POSIX: a buffer smaller than the queue's msgsize is EMSGSIZE. */
	if (len < KMQ_MSGSIZE(e)) {
		errno = EMSGSIZE;
		return -1;
	}
	ret = ioctl(mqd, KIPC_IOC_RECV, &m);
	if (ret < 0 && kmq_realtime_refused(&m))
		ret = ioctl(mqd, KIPC_IOC_RECV, &m);
	if (ret >= 0) {
		if (prio)
			*prio = m.prio;
		return ret;
	}
	if (errno == ENOTTY && !kmq_adopt(mqd))
		return kmq_real_receive(mqd, buf, len, prio, ts);
	return -1;
}

KMQ_EXPORT int mq_send(mqd_t mqd, const char *msg, size_t len, unsigned int prio)
{
	return kmq_send(mqd, msg, len, prio, NULL);
}

KMQ_EXPORT int mq_timedsend(mqd_t mqd, const char *msg, size_t len,
			    unsigned int prio, const struct timespec *abs_timeout)
{
	return kmq_send(mqd, msg, len, prio, abs_timeout);
}

KMQ_EXPORT ssize_t mq_receive(mqd_t mqd, char *buf, size_t len, unsigned int *prio)
{
	return kmq_receive(mqd, buf, len, prio, NULL);
}

KMQ_EXPORT ssize_t mq_timedreceive(mqd_t mqd, char *buf, size_t len,
				   unsigned int *prio,
				   const struct timespec *abs_timeout)
{
	return kmq_receive(mqd, buf, len, prio, abs_timeout);
}
