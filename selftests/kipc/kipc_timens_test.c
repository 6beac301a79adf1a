// SPDX-License-Identifier: GPL-2.0
/*
 * Deadlines in a time namespace: a deadline is an absolute CLOCK_MONOTONIC
 * time of the caller's time namespace. Each test unshares a time namespace,
 * gives it a monotonic offset (a day ahead, or as far back as the kernel
 * allows: its clock may not go below 0), and runs the call in a child that
 * lives in it; a deadline of "now + 300 ms" there must wait about 300 ms,
 * not a day (positive offset) or nothing (negative), for a queue receive,
 * SENDRECV's receive half, a semaphore wait and a SEMOP.
 */
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif

#define MS	1000000LL
#define SEC	1000000000LL
#define WAIT	(300 * MS)
/* A wait that went wrong ends here (EINTR), not at the harness's timeout. */
#define LIMIT_MS	5000

/* What the child in the namespace saw, sent back through a pipe. */
struct report {
	int ret;		/* the call's return value or -errno */
	__u32 result;		/* SENDRECV's result */
	__s64 waited;		/* ns the call took, on the namespace's clock */
	__s64 skew;		/* namespace clock - host clock, as the child saw it */
};

enum op { OP_RECV, OP_SENDRECV, OP_SEM_WAIT, OP_SEMOP };

/*
 * Enter a new time namespace (for the children) whose monotonic clock is
 * @offset ns off the host's. Returns 0, or -errno (EINVAL/EPERM: no time
 * namespaces here).
 */
static int timens_enter(__s64 offset)
{
	char buf[64];
	int fd, len, ret = 0;
	__s64 sec = offset / SEC, nsec = offset % SEC;

	if (nsec < 0) {
		nsec += SEC;
		sec--;
	}
	if (unshare(CLONE_NEWTIME) < 0)
		return -errno;
	fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "monotonic %lld %lld\n",
		       (long long)sec, (long long)nsec);
	if (write(fd, buf, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

/*
 * The largest offset back that keeps the namespace's clock above 1 s (the
 * kernel refuses one that would make it negative): the guest's uptime less
 * a second, at least 2 s of it.
 */
static __s64 negative_offset(void)
{
	while (kt_now_ns() < 3 * SEC)
		usleep(100000);
	return -(kt_now_ns() / SEC - 1) * SEC;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* In the namespace: run @op with @deadline (relative to now if @rel). */
static struct report timens_call(enum op op, __s64 deadline, bool rel,
				 __s64 host_then)
{
	struct report r = { .skew = kt_now_ns() - host_then };
	struct kipc_sembuf ops[2] = {
		{ .sem = 0, .delta = -1 },
		{ .sem = 1, .delta = 1 },
	};
	char buf[16];
	__s64 t0;
	int q1 = -1, q2 = -1, sb = -1;

	switch (op) {
	case OP_RECV:
		q1 = kt_anon(O_RDWR, 4, 16);
		r.ret = q1;
		break;
	case OP_SENDRECV:
		q1 = kt_anon(O_RDWR, 4, 16);
		q2 = kt_anon(O_RDWR, 4, 16);
		r.ret = q1 < 0 ? q1 : q2;
		break;
	case OP_SEM_WAIT:
	case OP_SEMOP:
		sb = kt_shbuf_anon(4096, 2);
		r.ret = sb;
		break;
	}
	if (r.ret < 0)
		return r;

	t0 = kt_now_ns();
	if (rel)
		deadline += t0;
	switch (op) {
	case OP_RECV:
		r.ret = kt_recv(q1, buf, sizeof(buf), NULL, KIPC_MSG_DEADLINE,
				deadline);
		break;
	case OP_SENDRECV: {
		struct kipc_sendrecv sr = {
			.size = sizeof(sr),
			.flags = KIPC_MSG_DEADLINE,
			.recv_fd = q2,
			.send_buf = (uintptr_t)"ping",
			.send_len = 4,
			.recv_buf = (uintptr_t)buf,
			.recv_len = sizeof(buf),
			.deadline_ns = deadline,
		};

		r.ret = kt_err(ioctl(q1, KIPC_IOC_SENDRECV, &sr));
		r.result = sr.result;
		break;
	}
	case OP_SEM_WAIT:
		r.ret = kt_sem_wait(sb, 0, 1, KIPC_SEM_DEADLINE, deadline);
		break;
	case OP_SEMOP:
		r.ret = kt_semop(sb, ops, 2, KIPC_SEM_DEADLINE, deadline);
		break;
	}
	r.waited = kt_now_ns() - t0;
	return r;
}

/*
 * Unshare a time namespace @offset ns off, then run timens_call() in a
 * child that lives in it; its report in *@r. With @alarm_ms, the child
 * gets a SIGALRM (handler, no SA_RESTART) after that long. Returns 0,
 * -errno from entering the namespace, or 1 if the child did not report.
 */
static int run_in_timens(__s64 offset, enum op op, __s64 deadline, bool rel,
			 int alarm_ms, struct report *r)
{
	int fds[2], ret;
	__s64 host_then;
	pid_t pid;

	ret = timens_enter(offset);
	if (ret)
		return ret;
	if (pipe(fds) < 0)
		return 1;
	host_then = kt_now_ns();
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		struct report rep;

		close(fds[0]);
		if (alarm_ms) {
			struct sigaction sa = { .sa_handler = on_alarm };
			struct itimerval it = {
				.it_value.tv_sec = alarm_ms / 1000,
				.it_value.tv_usec = alarm_ms % 1000 * 1000,
			};

			sigaction(SIGALRM, &sa, NULL);
			setitimer(ITIMER_REAL, &it, NULL);
		}
		rep = timens_call(op, deadline, rel, host_then);
		_exit(write(fds[1], &rep, sizeof(rep)) == sizeof(rep) ? 0 : 1);
	}
	close(fds[1]);
	ret = read(fds[0], r, sizeof(*r)) == sizeof(*r) ? 0 : 1;
	close(fds[0]);
	if (kt_wait_child(pid) != 0)
		ret = 1;
	return ret;
}

FIXTURE(timens) {
	__s64 offset;
};

FIXTURE_VARIANT(timens) {
	bool negative;
};

/* A day ahead: an unconverted deadline of now + 300 ms waits a day. */
FIXTURE_VARIANT_ADD(timens, ahead) {
	.negative = false,
};

/* As far back as allowed: an unconverted deadline has passed already. */
FIXTURE_VARIANT_ADD(timens, behind) {
	.negative = true,
};

FIXTURE_SETUP(timens)
{
	self->offset = variant->negative ? negative_offset() : 86400 * SEC;
}

FIXTURE_TEARDOWN(timens)
{
}

/* Enter the namespace, run @op, check the child really was @offset off. */
#define TIMENS_RUN(op, deadline, rel, alarm_ms, r)				\
	do {									\
		int _ret = run_in_timens(self->offset, op, deadline, rel,	\
					 alarm_ms, r);				\
		if (_ret == -EINVAL || _ret == -EPERM || _ret == -ENOENT)	\
			SKIP(return, "no time namespaces (%d)", _ret);		\
		ASSERT_EQ(0, _ret);						\
		TH_LOG("offset %lld s: ret %d, waited %lld ms, skew %lld ms",	\
		       (long long)(self->offset / SEC), (r)->ret,		\
		       (long long)((r)->waited / MS),				\
		       (long long)((r)->skew / MS));				\
		ASSERT_LE(self->offset, (r)->skew);				\
		ASSERT_GT(self->offset + SEC, (r)->skew);			\
	} while (0)

TEST_F(timens, recv_deadline_is_the_namespace_clock)
{
	struct report r;

	TIMENS_RUN(OP_RECV, WAIT, true, LIMIT_MS, &r);
	EXPECT_EQ(-ETIMEDOUT, r.ret);
	EXPECT_LE(WAIT - 50 * MS, r.waited);
	EXPECT_GT(LIMIT_MS * MS, r.waited);
}

TEST_F(timens, sendrecv_deadline_is_the_namespace_clock)
{
	struct report r;

	TIMENS_RUN(OP_SENDRECV, WAIT, true, LIMIT_MS, &r);
	EXPECT_EQ(-ETIMEDOUT, r.ret);
	EXPECT_EQ(KIPC_SENDRECV_SENT, r.result);
	EXPECT_LE(WAIT - 50 * MS, r.waited);
	EXPECT_GT(LIMIT_MS * MS, r.waited);
}

TEST_F(timens, sem_wait_deadline_is_the_namespace_clock)
{
	struct report r;

	TIMENS_RUN(OP_SEM_WAIT, WAIT, true, LIMIT_MS, &r);
	EXPECT_EQ(-ETIMEDOUT, r.ret);
	EXPECT_LE(WAIT - 50 * MS, r.waited);
	EXPECT_GT(LIMIT_MS * MS, r.waited);
}

TEST_F(timens, semop_deadline_is_the_namespace_clock)
{
	struct report r;

	TIMENS_RUN(OP_SEMOP, WAIT, true, LIMIT_MS, &r);
	EXPECT_EQ(-ETIMEDOUT, r.ret);
	EXPECT_LE(WAIT - 50 * MS, r.waited);
	EXPECT_GT(LIMIT_MS * MS, r.waited);
}

/* Before the namespace's offset: passed, not EINVAL; negative: EINVAL. */
TEST_F(timens, early_deadlines_have_passed_negative_ones_are_invalid)
{
	struct report r;

	TIMENS_RUN(OP_RECV, 1, false, 0, &r);
	EXPECT_EQ(-ETIMEDOUT, r.ret);
	EXPECT_GT(WAIT, r.waited);
	TIMENS_RUN(OP_SEM_WAIT, 1, false, 0, &r);
	EXPECT_EQ(-ETIMEDOUT, r.ret);
	EXPECT_GT(WAIT, r.waited);
	TIMENS_RUN(OP_RECV, -1, false, 0, &r);
	EXPECT_EQ(-EINVAL, r.ret);
	TIMENS_RUN(OP_SEM_WAIT, -1, false, 0, &r);
	EXPECT_EQ(-EINVAL, r.ret);
}

/* The furthest deadline saturates instead of wrapping into the past. */
TEST_F(timens, the_furthest_deadline_never_comes)
{
	struct report r;

	TIMENS_RUN(OP_RECV, LLONG_MAX, false, 300, &r);
	EXPECT_EQ(-EINTR, r.ret);
	EXPECT_LE(WAIT - 50 * MS, r.waited);
	TIMENS_RUN(OP_SEM_WAIT, LLONG_MAX, false, 300, &r);
	EXPECT_EQ(-EINTR, r.ret);
	EXPECT_LE(WAIT - 50 * MS, r.waited);
}

TEST_HARNESS_MAIN
