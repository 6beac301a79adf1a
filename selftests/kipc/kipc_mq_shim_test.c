// SPDX-License-Identifier: GPL-2.0
/*
 * libkipc-mq linked directly (the static library ahead of libc): the POSIX
 * mq API over kipc queues, each errno mq_open(3), mq_send(3),
 * mq_receive(3), mq_getattr(3) and mq_notify(3) list, Linux's name rules,
 * the fallback to the real queues (KIPC_MQ_NAMES, or a descriptor that is
 * not kipc's), descriptors across fork, dup and close(2), poll, restarts
 * after a signal, and mq_notify's three kinds of notification.
 */
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "kipc_test.h"
#include "kipc_mq.h"

/* A name of this test's own: "/mqs-TAG-PID". */
static const char *qname(const char *tag)
{
	static char buf[4][64];
	static int i;
	char *b = buf[i++ % 4];

	snprintf(b, sizeof(buf[0]), "/mqs-%s-%d", tag, getpid());
	return b;
}

static int err_of(long ret)
{
	return ret < 0 ? errno : 0;
}

static mqd_t mk(const char *name, int oflag, long maxmsg, long msgsize)
{
	struct mq_attr a = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };

	mq_unlink(name);
	return mq_open(name, oflag | O_CREAT | O_EXCL, 0600, &a);
}

/* The descriptor is a kipc file: kipc's own ioctl answers on it. */
static int is_kipc(int fd)
{
	struct kipc_stats st;

	return kt_stats(fd, &st) == 0 && st.type == KIPC_TYPE_QUEUE;
}

static struct timespec in_ms(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

TEST(open_is_kipc_with_linux_defaults)
{
	const char *n = qname("def");
	struct kipc_stats st;
	struct mq_attr a;
	mqd_t q;
	int k;

	mq_unlink(n);
	q = mq_open(n, O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
	ASSERT_LE(0, q);
	ASSERT_TRUE(is_kipc(q));
	/* "/NAME" is kipc's NAME: libkipc's way reaches the same queue. */
	k = kt_queue(n + 1, O_RDWR, 0, 0, 0, 0);
	ASSERT_LE(0, k);
	ASSERT_EQ(0, kt_stats(k, &st));
	ASSERT_EQ(0, mq_getattr(q, &a));
	EXPECT_EQ(kt_param("msg_default"), a.mq_maxmsg);
	EXPECT_EQ(kt_param("msgsize_default"), a.mq_msgsize);
	EXPECT_EQ(st.maxmsg, a.mq_maxmsg);
	EXPECT_EQ(0, a.mq_flags);
	EXPECT_EQ(0, a.mq_curmsgs);
	/* Close-on-exec, as Linux's mq_open descriptors are. */
	EXPECT_EQ(FD_CLOEXEC, fcntl(q, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(0, mq_send(q, "hi", 2, 3));
	ASSERT_EQ(0, kt_stats(k, &st));
	EXPECT_EQ(1, st.curmsgs);
	close(k);
	EXPECT_EQ(0, mq_close(q));
	EXPECT_EQ(0, mq_unlink(n));
	EXPECT_EQ(ENOENT, err_of(mq_unlink(n)));
}

TEST(names_as_linux_answers_them)
{
	char lng[300], kipc_max[70];

	EXPECT_EQ(EINVAL, err_of(mq_open("noslash", O_CREAT | O_RDWR, 0600, NULL)));
	EXPECT_EQ(ENOENT, err_of(mq_open("/", O_CREAT | O_RDWR, 0600, NULL)));
	EXPECT_EQ(EACCES, err_of(mq_open("/a/b", O_CREAT | O_RDWR, 0600, NULL)));
	EXPECT_EQ(EACCES, err_of(mq_open("/.", O_CREAT | O_RDWR, 0600, NULL)));
	EXPECT_EQ(EACCES, err_of(mq_open("/..", O_CREAT | O_RDWR, 0600, NULL)));
	memset(lng, 'n', sizeof(lng));
	lng[0] = '/';
	lng[NAME_MAX + 2] = '\0';	/* NAME_MAX + 1 after the '/' */
	EXPECT_EQ(ENAMETOOLONG, err_of(mq_open(lng, O_CREAT | O_RDWR, 0600, NULL)));
	EXPECT_EQ(ENAMETOOLONG, err_of(mq_unlink(lng)));
	/* What kipc cannot hold: over KIPC_NAME_MAX - 1 bytes, or a space. */
	memset(kipc_max, 'k', sizeof(kipc_max));
	kipc_max[0] = '/';
	kipc_max[KIPC_NAME_MAX + 1] = '\0';
	EXPECT_EQ(ENAMETOOLONG, err_of(mq_open(kipc_max, O_CREAT | O_RDWR, 0600, NULL)));
	kipc_max[KIPC_NAME_MAX] = '\0';	/* 63 bytes: fits */
	mq_unlink(kipc_max);
	mqd_t q = mq_open(kipc_max, O_CREAT | O_EXCL | O_RDWR, 0600, NULL);

	ASSERT_LE(0, q);
	EXPECT_EQ(0, mq_close(q));
	EXPECT_EQ(0, mq_unlink(kipc_max));
	EXPECT_EQ(EINVAL, err_of(mq_open("/sp ace", O_CREAT | O_RDWR, 0600, NULL)));
	EXPECT_EQ(EINVAL, err_of(mq_open("/tab\there", O_CREAT | O_RDWR, 0600, NULL)));
	EXPECT_EQ(EINVAL, err_of(mq_open("/\x80hi", O_CREAT | O_RDWR, 0600, NULL)));
	EXPECT_EQ(EINVAL, err_of(mq_unlink("noslash")));
	EXPECT_EQ(ENOENT, err_of(mq_unlink("/")));
	EXPECT_EQ(EACCES, err_of(mq_unlink("/a/b")));
}

TEST(create_exclusive_and_missing)
{
	const char *n = qname("excl");
	mqd_t q, q2;

	q = mk(n, O_RDWR, 4, 16);
	ASSERT_LE(0, q);
	EXPECT_EQ(EEXIST, err_of(mq_open(n, O_CREAT | O_EXCL | O_RDWR, 0600, NULL)));
	/* O_CREAT alone opens the one there, its attributes unchanged. */
	struct mq_attr big = { .mq_maxmsg = 7, .mq_msgsize = 77 }, a;

	q2 = mq_open(n, O_CREAT | O_RDWR, 0600, &big);
	ASSERT_LE(0, q2);
	ASSERT_EQ(0, mq_getattr(q2, &a));
	EXPECT_EQ(4, a.mq_maxmsg);
	EXPECT_EQ(16, a.mq_msgsize);
	EXPECT_EQ(0, mq_close(q2));
	EXPECT_EQ(0, mq_close(q));
	EXPECT_EQ(0, mq_unlink(n));
	EXPECT_EQ(ENOENT, err_of(mq_open(n, O_RDWR)));
	EXPECT_EQ(ENOENT, err_of(mq_unlink(n)));
}

TEST(attr_validation)
{
	const char *n = qname("attr");
	struct mq_attr a;
	mqd_t q;

	mq_unlink(n);
	a = (struct mq_attr){ .mq_maxmsg = 0, .mq_msgsize = 8 };
	EXPECT_EQ(EINVAL, err_of(mq_open(n, O_CREAT | O_RDWR, 0600, &a)));
	a = (struct mq_attr){ .mq_maxmsg = 8, .mq_msgsize = 0 };
	EXPECT_EQ(EINVAL, err_of(mq_open(n, O_CREAT | O_RDWR, 0600, &a)));
	a = (struct mq_attr){ .mq_maxmsg = -1, .mq_msgsize = 8 };
	EXPECT_EQ(EINVAL, err_of(mq_open(n, O_CREAT | O_RDWR, 0600, &a)));
	a = (struct mq_attr){ .mq_maxmsg = 8, .mq_msgsize = -5 };
	EXPECT_EQ(EINVAL, err_of(mq_open(n, O_CREAT | O_RDWR, 0600, &a)));
	a = (struct mq_attr){ .mq_maxmsg = kt_param("msg_max") + 1, .mq_msgsize = 8 };
	EXPECT_EQ(EINVAL, err_of(mq_open(n, O_CREAT | O_RDWR, 0600, &a)));
	a = (struct mq_attr){ .mq_maxmsg = 1, .mq_msgsize = kt_param("msgsize_max") + 1 };
	EXPECT_EQ(EINVAL, err_of(mq_open(n, O_CREAT | O_RDWR, 0600, &a)));
	a = (struct mq_attr){ .mq_maxmsg = 1L << 40, .mq_msgsize = 8 };
	EXPECT_EQ(EINVAL, err_of(mq_open(n, O_CREAT | O_RDWR, 0600, &a)));
	EXPECT_EQ(ENOENT, err_of(mq_unlink(n)));
	/* No access mode (O_ACCMODE): refused. */
	EXPECT_EQ(EINVAL, err_of(mq_open(n, O_CREAT | O_ACCMODE, 0600, NULL)));
	/* Bad attributes for a queue that exists are ignored, as on Linux... */
	q = mk(n, O_RDWR, 2, 8);
	ASSERT_LE(0, q);
	a = (struct mq_attr){ .mq_maxmsg = 0, .mq_msgsize = 0 };
	mqd_t q2 = mq_open(n, O_CREAT | O_RDWR, 0600, &a);

	ASSERT_LE(0, q2);
	EXPECT_TRUE(is_kipc(q2));
	EXPECT_EQ(0, mq_close(q2));
	/* ...but O_EXCL still says it exists. */
	EXPECT_EQ(EEXIST, err_of(mq_open(n, O_CREAT | O_EXCL | O_RDWR, 0600, &a)));
	EXPECT_EQ(0, mq_close(q));
	EXPECT_EQ(0, mq_unlink(n));
}

TEST(access_modes_mode_and_umask)
{
	const char *n = qname("acc");
	struct kipc_stats st;
	char buf[64];
	mqd_t w, r, rw;
	mode_t old;

	mq_unlink(n);
	old = umask(027);
	w = mq_open(n, O_CREAT | O_EXCL | O_WRONLY, 0666, NULL);
	umask(old);
	ASSERT_LE(0, w);
	ASSERT_EQ(0, kt_stats(w, &st));
	EXPECT_EQ(0640, st.mode);
	mq_close(w);
	mq_unlink(n);

	struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 64 };

	w = mq_open(n, O_CREAT | O_EXCL | O_WRONLY, 0600, &a);
	ASSERT_LE(0, w);
	r = mq_open(n, O_RDONLY);
	ASSERT_LE(0, r);
	rw = mq_open(n, O_RDWR);
	ASSERT_LE(0, rw);
	/* The kernel refuses a send on a read-only file and the reverse. */
	EXPECT_EQ(EBADF, err_of(mq_send(r, "x", 1, 0)));
	EXPECT_EQ(EBADF, err_of(mq_receive(w, buf, sizeof(buf), NULL)));
	/* The kernel too, asked directly on the same descriptors. */
	EXPECT_EQ(-EBADF, kt_send(r, "x", 1, 0, 0, 0));
	EXPECT_EQ(-EBADF, kt_recv(w, buf, sizeof(buf), NULL, 0, 0));
	/* Linux checks the access mode before the length. */
	EXPECT_EQ(EBADF, err_of(mq_send(r, buf, 65, 0)));
	EXPECT_EQ(EBADF, err_of(mq_receive(w, buf, 1, NULL)));
	EXPECT_EQ(0, mq_send(w, "x", 1, 0));
	EXPECT_EQ(1, mq_receive(r, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, mq_send(rw, "y", 1, 0));
	EXPECT_EQ(1, mq_receive(rw, buf, sizeof(buf), NULL));
	mq_close(w);
	mq_close(r);
	mq_close(rw);
	mq_unlink(n);
}

TEST(permission_denied_for_another_user)
{
	const char *n = qname("perm");
	int status;
	pid_t pid;
	mqd_t q;

	if (geteuid())
		SKIP(return, "needs root to become nobody");
	q = mk(n, O_RDWR, 2, 8);
	ASSERT_LE(0, q);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		if (mq_open(n, O_RDONLY) >= 0)
			_exit(101);
		if (errno != EACCES)
			_exit(102);
		/* Unlink is the owner's. */
		_exit(mq_unlink(n) == 0 ? 103 : errno == EACCES ? 0 : 104);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	mq_close(q);
	EXPECT_EQ(0, mq_unlink(n));
}

/*
 * kipc's budgets give POSIX mq's errnos: a per-user count or byte budget
 * (what RLIMIT_MSGQUEUE is to Linux) is EMFILE, kipc's EDQUOT included;
 * the ceiling for all users is ENOSPC. As nobody: root passes the limits.
 */
/* The errno of the first of two creations as nobody that fails; 0: none. */
static int nobody_creates_two(const char *a, const char *b)
{
	struct mq_attr at = { .mq_maxmsg = 10, .mq_msgsize = 64 };
	int status, err;
	pid_t pid;
	mqd_t q1, q2;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		q1 = mq_open(a, O_CREAT | O_EXCL | O_RDWR, 0600, &at);
		if (q1 < 0)
			_exit(errno);
		q2 = mq_open(b, O_CREAT | O_EXCL | O_RDWR, 0600, &at);
		err = q2 < 0 ? errno : 0;
		mq_close(q1);
		mq_unlink(a);
		if (q2 >= 0) {
			mq_close(q2);
			mq_unlink(b);
		}
		_exit(err);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(budget_errnos_as_posix_mq)
{
	const char *a = qname("bud1"), *b = qname("bud2");
	long queues = kt_param("max_queues_per_user");
	long user = kt_param("user_bytes_max");
	long total = kt_param("total_bytes_max");
	int got;

	if (geteuid())
		SKIP(return, "needs root to set the module's limits");
	ASSERT_LT(0, queues);
	ASSERT_LT(0, user);
	ASSERT_LT(0, total);
	EXPECT_EQ(0, nobody_creates_two(a, b));
	ASSERT_EQ(0, kt_set_param("max_queues_per_user", 1));
	got = nobody_creates_two(a, b);
	kt_set_param("max_queues_per_user", queues);
	EXPECT_EQ(EMFILE, got);
	ASSERT_EQ(0, kt_set_param("user_bytes_max", 1));
	got = nobody_creates_two(a, b);
	kt_set_param("user_bytes_max", user);
	EXPECT_EQ(EMFILE, got);
	ASSERT_EQ(0, kt_set_param("total_bytes_max", 1));
	got = nobody_creates_two(a, b);
	kt_set_param("total_bytes_max", total);
	EXPECT_EQ(ENOSPC, got);
}

TEST(send_receive_order_and_sizes)
{
	const char *n = qname("sr");
	unsigned int prio;
	char buf[32];
	mqd_t q;

	q = mk(n, O_RDWR, 8, 16);
	ASSERT_LE(0, q);
	EXPECT_EQ(EMSGSIZE, err_of(mq_send(q, buf, 17, 0)));
	EXPECT_EQ(EINVAL, err_of(mq_send(q, "x", 1, MQ_PRIO_MAX)));
	EXPECT_EQ(EINVAL, err_of(mq_send(q, "x", 1, UINT_MAX)));
	ASSERT_EQ(0, mq_send(q, "low", 3, 0));
	ASSERT_EQ(0, mq_send(q, "high", 4, 31));
	ASSERT_EQ(0, mq_send(q, "low2", 4, 0));
	ASSERT_EQ(0, mq_send(q, "", 0, 5));
	/* POSIX: a buffer shorter than mq_msgsize is EMSGSIZE, even for 3 bytes. */
	EXPECT_EQ(EMSGSIZE, err_of(mq_receive(q, buf, 15, NULL)));
	EXPECT_EQ(4, mq_receive(q, buf, 16, &prio));
	EXPECT_EQ(31, prio);
	EXPECT_EQ(0, memcmp(buf, "high", 4));
	EXPECT_EQ(0, mq_receive(q, buf, 16, &prio));
	EXPECT_EQ(5, prio);
	EXPECT_EQ(3, mq_receive(q, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, memcmp(buf, "low", 3));
	EXPECT_EQ(4, mq_receive(q, buf, sizeof(buf), &prio));
	EXPECT_EQ(0, memcmp(buf, "low2", 4));
	EXPECT_EQ(0, prio);
	mq_close(q);
	mq_unlink(n);
}

/*
 * Priorities 32 .. 32767 need a module of ABI 4 (KIPC_PRIO_MAX); before
 * it the kernel refuses them with EINVAL, so the test skips there.
 */
TEST(priorities_up_to_mq_prio_max)
{
	const char *n = qname("prio");
	unsigned int prio;
	char buf[8];
	mqd_t q;

	q = mk(n, O_RDWR, 4, 8);
	ASSERT_LE(0, q);
	if (mq_send(q, "a", 1, 32) && errno == EINVAL) {
		mq_close(q);
		mq_unlink(n);
		SKIP(return, "the module takes priorities 0..31 only (before ABI 4)");
	}
	ASSERT_EQ(0, mq_send(q, "b", 1, MQ_PRIO_MAX - 1));
	ASSERT_EQ(0, mq_send(q, "c", 1, 1000));
	EXPECT_EQ(1, mq_receive(q, buf, 8, &prio));
	EXPECT_EQ(MQ_PRIO_MAX - 1, prio);
	EXPECT_EQ(1, mq_receive(q, buf, 8, &prio));
	EXPECT_EQ(1000, prio);
	EXPECT_EQ(1, mq_receive(q, buf, 8, &prio));
	EXPECT_EQ(32, prio);
	mq_close(q);
	mq_unlink(n);
}

TEST(nonblock_getattr_setattr)
{
	const char *n = qname("nb");
	struct mq_attr a, old, set;
	char buf[8];
	mqd_t q, q2;

	q = mk(n, O_RDWR | O_NONBLOCK, 1, 8);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, mq_getattr(q, &a));
	EXPECT_EQ(O_NONBLOCK, a.mq_flags);
	EXPECT_EQ(1, a.mq_maxmsg);
	EXPECT_EQ(8, a.mq_msgsize);
	EXPECT_EQ(EAGAIN, err_of(mq_receive(q, buf, 8, NULL)));
	ASSERT_EQ(0, mq_send(q, "x", 1, 0));
	EXPECT_EQ(EAGAIN, err_of(mq_send(q, "y", 1, 0)));
	ASSERT_EQ(0, mq_getattr(q, &a));
	EXPECT_EQ(1, a.mq_curmsgs);
	/* Flags other than O_NONBLOCK: EINVAL, nothing changes. */
	set = (struct mq_attr){ .mq_flags = O_NONBLOCK | O_APPEND };
	EXPECT_EQ(EINVAL, err_of(mq_setattr(q, &set, &old)));
	/* Clearing O_NONBLOCK returns the old attributes; the rest is ignored. */
	set = (struct mq_attr){ .mq_flags = 0, .mq_maxmsg = 99, .mq_msgsize = 99 };
	ASSERT_EQ(0, mq_setattr(q, &set, &old));
	EXPECT_EQ(O_NONBLOCK, old.mq_flags);
	EXPECT_EQ(1, old.mq_maxmsg);
	EXPECT_EQ(1, old.mq_curmsgs);
	ASSERT_EQ(0, mq_getattr(q, &a));
	EXPECT_EQ(0, a.mq_flags);
	EXPECT_EQ(1, a.mq_maxmsg);
	EXPECT_EQ(8, a.mq_msgsize);
	/* Per descriptor: another open of the queue keeps its own flags. */
	q2 = mq_open(n, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, q2);
	ASSERT_EQ(0, mq_getattr(q2, &a));
	EXPECT_EQ(O_NONBLOCK, a.mq_flags);
	EXPECT_EQ(EAGAIN, err_of(mq_send(q2, "y", 1, 0)));
	set.mq_flags = O_NONBLOCK;
	ASSERT_EQ(0, mq_setattr(q, &set, NULL));
	EXPECT_EQ(EAGAIN, err_of(mq_send(q, "y", 1, 0)));
	mq_close(q2);
	mq_close(q);
	mq_unlink(n);
}

TEST(bad_descriptors)
{
	struct mq_attr a;
	char buf[8192];
	int fd;

	EXPECT_EQ(EBADF, err_of(mq_send(-1, "x", 1, 0)));
	EXPECT_EQ(EBADF, err_of(mq_receive(-1, buf, sizeof(buf), NULL)));
	EXPECT_EQ(EBADF, err_of(mq_getattr(-1, &a)));
	EXPECT_EQ(EBADF, err_of(mq_setattr(-1, &a, NULL)));
	EXPECT_EQ(EBADF, err_of(mq_notify(-1, NULL)));
	EXPECT_EQ(EBADF, err_of(mq_close(-1)));
	fd = open("/proc/self/stat", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EBADF, err_of(mq_send(fd, "x", 1, 0)));
	EXPECT_EQ(EBADF, err_of(mq_receive(fd, buf, sizeof(buf), NULL)));
	EXPECT_EQ(EBADF, err_of(mq_getattr(fd, &a)));
	close(fd);
	/* A kipc file that is not a queue (unbound) is no mqd either. */
	fd = kt_open_dev(O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EBADF, err_of(mq_getattr(fd, &a)));
	EXPECT_EQ(EBADF, err_of(mq_send(fd, "x", 1, 0)));
	close(fd);
}

TEST(timed_send_and_receive)
{
	const char *n = qname("timed");
	struct timespec ts, t0;
	char buf[8];
	long ms;
	mqd_t q;

	q = mk(n, O_RDWR, 1, 8);
	ASSERT_LE(0, q);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ts = in_ms(100);
	EXPECT_EQ(ETIMEDOUT, err_of(mq_timedreceive(q, buf, 8, NULL, &ts)));
	ms = ms_since(&t0);
	EXPECT_LE(95, ms);
	EXPECT_GT(5000, ms);
	/* Linux checks the timeout first, even when nothing would block. */
	ts = in_ms(100);
	ts.tv_nsec = 1000000000;
	EXPECT_EQ(EINVAL, err_of(mq_timedsend(q, "x", 1, 0, &ts)));
	ts.tv_nsec = -1;
	EXPECT_EQ(EINVAL, err_of(mq_timedsend(q, "x", 1, 0, &ts)));
	ts = (struct timespec){ .tv_sec = -1 };
	EXPECT_EQ(EINVAL, err_of(mq_timedsend(q, "x", 1, 0, &ts)));
	/* A deadline in the past is fine when nothing has to wait. */
	ts = (struct timespec){ .tv_sec = 1 };
	ASSERT_EQ(0, mq_timedsend(q, "x", 1, 0, &ts));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ts = in_ms(100);
	EXPECT_EQ(ETIMEDOUT, err_of(mq_timedsend(q, "y", 1, 0, &ts)));
	EXPECT_LE(95, ms_since(&t0));
	ts = in_ms(100);
	ts.tv_nsec = 1000000000;
	EXPECT_EQ(EINVAL, err_of(mq_timedreceive(q, buf, 8, NULL, &ts)));
	ts = (struct timespec){ .tv_sec = 1 };
	EXPECT_EQ(1, mq_timedreceive(q, buf, 8, NULL, &ts));
	EXPECT_EQ(ETIMEDOUT, err_of(mq_timedreceive(q, buf, 8, NULL, &ts)));
	/* Far in the future (no overflow): a message ends the wait. */
	ts = (struct timespec){ .tv_sec = LONG_MAX, .tv_nsec = 999999999 };
	ASSERT_EQ(0, mq_send(q, "z", 1, 0));
	EXPECT_EQ(1, mq_timedreceive(q, buf, 8, NULL, &ts));
	mq_close(q);
	mq_unlink(n);
}

TEST(poll_on_an_mqd)
{
	const char *n = qname("poll");
	struct pollfd p;
	mqd_t q;

	q = mk(n, O_RDWR, 1, 8);
	ASSERT_LE(0, q);
	p = (struct pollfd){ .fd = q, .events = POLLIN | POLLOUT };
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents & (POLLIN | POLLOUT));
	ASSERT_EQ(0, mq_send(q, "x", 1, 0));
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN, p.revents & (POLLIN | POLLOUT));
	mq_close(q);
	mq_unlink(n);
}

/* A real POSIX queue, made behind the library's back: the raw system call. */
static int sys_mq_open(const char *name, int oflag)
{
	return syscall(SYS_mq_open, name + 1, oflag | O_CREAT, 0600, NULL);
}

TEST(fallback_by_name_list)
{
	const char *in = qname("in"), *out = qname("out");
	char mnt[] = "/tmp/mqs-fs-XXXXXX", path[128];
	struct mq_attr a = { .mq_maxmsg = 3, .mq_msgsize = 32 };
	char buf[32];
	int mounted;
	mqd_t qi, qo;

	ASSERT_EQ(0, setenv("KIPC_MQ_NAMES", "/nomatch:/mqs-in", 1));
	mq_unlink(in);
	mq_unlink(out);
	qi = mq_open(in, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
	ASSERT_LE(0, qi);
	qo = mq_open(out, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
	ASSERT_LE(0, qo);
	EXPECT_TRUE(is_kipc(qi));
	EXPECT_FALSE(is_kipc(qo));
	/* kipc has no queue of the other name... */
	EXPECT_EQ(-ENOENT, kt_queue(out + 1, O_RDWR, 0, 0, 0, 0));
	/* ...the mqueue file system has it, and not the kipc one. */
	ASSERT_NE(NULL, mkdtemp(mnt));
	mounted = mount("mqueue", mnt, "mqueue", 0, NULL) == 0;
	if (mounted) {
		snprintf(path, sizeof(path), "%s%s", mnt, out);
		EXPECT_EQ(0, access(path, F_OK));
		snprintf(path, sizeof(path), "%s%s", mnt, in);
		EXPECT_EQ(-1, access(path, F_OK));
		umount(mnt);
	} else {
		TH_LOG("no mqueue mount (%s): the kipc ioctl's answer alone", strerror(errno));
	}
	rmdir(mnt);
	/* Each descriptor goes where it belongs. */
	ASSERT_EQ(0, mq_send(qo, "real", 4, 7));
	ASSERT_EQ(0, mq_getattr(qo, &a));
	EXPECT_EQ(3, a.mq_maxmsg);
	EXPECT_EQ(1, a.mq_curmsgs);
	EXPECT_EQ(4, mq_receive(qo, buf, sizeof(buf), NULL));
	EXPECT_EQ(EMSGSIZE, err_of(mq_send(qo, buf, 33, 0)));
	ASSERT_EQ(0, mq_send(qi, "kipc", 4, 7));
	EXPECT_EQ(4, mq_receive(qi, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, mq_close(qo));
	EXPECT_EQ(0, mq_close(qi));
	EXPECT_EQ(0, mq_unlink(out));
	EXPECT_EQ(0, mq_unlink(in));
	/* Set and empty: no name is kipc's. */
	ASSERT_EQ(0, setenv("KIPC_MQ_NAMES", "", 1));
	qi = mq_open(in, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
	ASSERT_LE(0, qi);
	EXPECT_FALSE(is_kipc(qi));
	EXPECT_EQ(-ENOENT, kt_queue(in + 1, O_RDWR, 0, 0, 0, 0));
	mq_close(qi);
	EXPECT_EQ(0, mq_unlink(in));
	/* A name the real queues take and kipc cannot hold: real's answer. */
	EXPECT_EQ(EACCES, err_of(mq_open("/a/b", O_CREAT | O_RDWR, 0600, NULL)));
	qo = mq_open("/sp ace", O_CREAT | O_RDWR, 0600, &a);
	EXPECT_LE(0, qo);
	mq_close(qo);
	mq_unlink("/sp ace");
	ASSERT_EQ(0, unsetenv("KIPC_MQ_NAMES"));
	qi = mq_open(in, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
	ASSERT_LE(0, qi);
	EXPECT_TRUE(is_kipc(qi));
	mq_close(qi);
	mq_unlink(in);
}

/*
 * With /dev/kipc out of reach (no module, here an empty /dev in a mount
 * namespace), every name goes to the real queues, even one kipc could not
 * hold.
 */
TEST(fallback_without_dev_kipc)
{
	const char *n = qname("nodev");
	char lng[80];
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 16 };
		char buf[16];
		mqd_t q;

		if (unshare(CLONE_NEWNS))
			_exit(errno == EPERM ? 99 : 10);
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("tmpfs", "/dev", "tmpfs", 0, NULL))
			_exit(11);
		if (open(KIPC_DEVICE_PATH, O_RDWR) >= 0 || errno != ENOENT)
			_exit(12);
		errno = 0;
		q = mq_open(n, O_CREAT | O_EXCL | O_RDWR, 0600, &a);
		if (q < 0)
			_exit(13);
		/* As if kipc had never been asked: no errno of its open. */
		if (errno)
			_exit(14);
		if (is_kipc(q))
			_exit(15);
		if (mq_send(q, "real", 4, 3) || mq_receive(q, buf, sizeof(buf), NULL) != 4)
			_exit(16);
		if (mq_close(q) || mq_unlink(n))
			_exit(17);
		memset(lng, 'r', sizeof(lng));
		lng[0] = '/';
		lng[sizeof(lng) - 1] = '\0';
		q = mq_open(lng, O_CREAT | O_RDWR, 0600, NULL);
		if (q < 0 || mq_close(q) || mq_unlink(lng))
			_exit(18);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	if (WEXITSTATUS(status) == 99)
		SKIP(return, "no mount namespace for this user");
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* And kipc never had it. */
	EXPECT_EQ(-ENOENT, kt_queue(n + 1, O_RDWR, 0, 0, 0, 0));
}

TEST(close_behind_the_back_dup_and_libkipc_fds)
{
	const char *n = qname("cl"), *r = qname("real");
	struct mq_attr a;
	char buf[8192];
	mqd_t q, d, k, fd;

	q = mk(n, O_RDWR, 4, 64);
	ASSERT_LE(0, q);
	/* A dup is a kipc queue too: learnt on its first use. */
	d = dup(q);
	ASSERT_LE(0, d);
	ASSERT_EQ(0, mq_send(d, "dup", 3, 1));
	ASSERT_EQ(0, mq_getattr(d, &a));
	EXPECT_EQ(64, a.mq_msgsize);
	EXPECT_EQ(EMSGSIZE, err_of(mq_receive(d, buf, 63, NULL)));
	EXPECT_EQ(3, mq_receive(d, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, mq_close(d));
	/* So is a queue libkipc's way opened. */
	k = kt_queue(n + 1, O_RDONLY, 0, 0, 0, 0);
	ASSERT_LE(0, k);
	ASSERT_EQ(0, mq_send(q, "k", 1, 0));
	EXPECT_EQ(1, mq_receive(k, buf, sizeof(buf), NULL));
	EXPECT_EQ(EBADF, err_of(mq_send(k, "k", 1, 0)));
	close(k);
	/* close(2) behind the library's back, the number reused by a real queue. */
	ASSERT_EQ(0, close(q));
	syscall(SYS_mq_unlink, r + 1);
	fd = sys_mq_open(r, O_RDWR);
	ASSERT_EQ(q, fd);
	/* Whichever call comes first finds out. */
	ASSERT_EQ(0, mq_getattr(fd, &a));
	EXPECT_EQ(0, a.mq_curmsgs);
	EXPECT_EQ(0, mq_send(fd, "real", 4, 0));
	ASSERT_EQ(0, mq_getattr(fd, &a));
	EXPECT_EQ(1, a.mq_curmsgs);
	EXPECT_EQ(4, mq_receive(fd, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, mq_close(fd));
	EXPECT_EQ(0, syscall(SYS_mq_unlink, r + 1));
	/* And a reused number's first call may be mq_setattr or mq_notify. */
	q = mk(n, O_RDWR, 4, 64);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, close(q));
	fd = sys_mq_open(r, O_RDWR);
	ASSERT_EQ(q, fd);
	a = (struct mq_attr){ .mq_flags = O_NONBLOCK };
	EXPECT_EQ(0, mq_setattr(fd, &a, NULL));
	EXPECT_EQ(EAGAIN, err_of(mq_receive(fd, buf, sizeof(buf), NULL)));
	EXPECT_EQ(0, close(fd));
	fd = mk(n, O_RDWR, 4, 64);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(fd, sys_mq_open(r, O_RDWR));
	EXPECT_EQ(0, mq_notify(fd, NULL));
	EXPECT_EQ(0, mq_close(fd));
	EXPECT_EQ(0, syscall(SYS_mq_unlink, r + 1));
	mq_unlink(n);
}

TEST(descriptors_across_fork)
{
	const char *n = qname("fork");
	char buf[16];
	int status;
	pid_t pid;
	mqd_t q;

	q = mk(n, O_RDWR, 4, 16);
	ASSERT_LE(0, q);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(mq_send(q, "child", 5, 2) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(5, mq_receive(q, buf, sizeof(buf), NULL));
	mq_close(q);
	mq_unlink(n);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void arm(int flags, long ms)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = flags };
	struct itimerval it = { .it_value = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 } };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
}

struct late_send {
	mqd_t q;
	long ms;
};

static void *send_later(void *arg)
{
	struct late_send *l = arg;

	usleep(l->ms * 1000);
	mq_send(l->q, "late", 4, 0);
	return NULL;
}

/* signal(7): mq_* calls restart under SA_RESTART, and end with EINTR without. */
TEST(signals_eintr_and_sa_restart)
{
	const char *n = qname("intr");
	struct late_send l;
	struct timespec ts, t0;
	sigset_t set;
	pthread_t t;
	char buf[16];
	mqd_t q;

	q = mk(n, O_RDWR, 1, 16);
	ASSERT_LE(0, q);
	/* Only this thread takes SIGALRM. */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	arm(0, 50);
	EXPECT_EQ(EINTR, err_of(mq_receive(q, buf, sizeof(buf), NULL)));
	EXPECT_EQ(1, alarms);
	ts = in_ms(5000);
	arm(0, 50);
	EXPECT_EQ(EINTR, err_of(mq_timedreceive(q, buf, sizeof(buf), NULL, &ts)));

	l = (struct late_send){ .q = q, .ms = 300 };
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	ASSERT_EQ(0, pthread_create(&t, NULL, send_later, &l));
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	arm(SA_RESTART, 50);
	EXPECT_EQ(4, mq_receive(q, buf, sizeof(buf), NULL));
	EXPECT_EQ(1, alarms);
	pthread_join(t, NULL);

	/* A restarted timed wait keeps its absolute deadline. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ts = in_ms(300);
	arm(SA_RESTART, 50);
	EXPECT_EQ(ETIMEDOUT, err_of(mq_timedreceive(q, buf, sizeof(buf), NULL, &ts)));
	EXPECT_EQ(1, alarms);
	EXPECT_LE(295, ms_since(&t0));
	EXPECT_GT(3000, ms_since(&t0));

	/* The send side too: a full queue. */
	ASSERT_EQ(0, mq_send(q, "full", 4, 0));
	arm(0, 50);
	EXPECT_EQ(EINTR, err_of(mq_send(q, "more", 4, 0)));
	signal(SIGALRM, SIG_DFL);
	mq_close(q);
	mq_unlink(n);
}

#define THREADS		4
#define ROUNDS		200

static void *open_close_loop(void *arg)
{
	char name[64], buf[8192];
	long i, bad = 0;
	mqd_t q;

	for (i = 0; i < ROUNDS; i++) {
		snprintf(name, sizeof(name), "/mqs-thr-%d-%ld", getpid(), (long)(intptr_t)arg);
		q = mq_open(name, O_CREAT | O_RDWR, 0600, NULL);
		if (q < 0 || mq_send(q, name, 8, 1) ||
		    mq_receive(q, buf, sizeof(buf), NULL) != 8 ||
		    memcmp(buf, name, 8)) {
			bad++;
		}
		if (q >= 0)
			mq_close(q);
		mq_unlink(name);
	}
	return (void *)bad;
}

TEST(threads_open_and_close_while_others_send)
{
	pthread_t t[THREADS];
	void *bad;
	long i;

	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, open_close_loop, (void *)i));
	for (i = 0; i < THREADS; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &bad));
		EXPECT_EQ(0, (long)bad);
	}
}

struct pong {
	mqd_t req, rep;
	long n;
	int raw;	/* kipc's ioctls themselves, not the library */
};

static int pp_send(const struct pong *p, mqd_t q, const char *buf)
{
	return p->raw ? kt_send(q, buf, 16, 0, 0, 0) : mq_send(q, buf, 16, 0);
}

static long pp_recv(const struct pong *p, mqd_t q, char *buf, size_t len)
{
	return p->raw ? kt_recv(q, buf, len, NULL, 0, 0) :
			mq_receive(q, buf, len, NULL);
}

static void *ponger(void *arg)
{
	struct pong *p = arg;
	char buf[64];
	long i;

	for (i = 0; i < p->n; i++) {
		if (pp_recv(p, p->req, buf, sizeof(buf)) < 0 ||
		    pp_send(p, p->rep, buf))
			break;
	}
	return NULL;
}

/* Round trips between two threads, in nanoseconds each; -1 on failure. */
static long round_trip_ns(const char *tag, long n, int raw)
{
	char req[64], rep[64], buf[64] = "";
	struct timespec t0, t1;
	struct pong p = { .n = n, .raw = raw };
	pthread_t t;
	long i;

	snprintf(req, sizeof(req), "%s-req", qname(tag));
	snprintf(rep, sizeof(rep), "%s-rep", qname(tag));
	p.req = mk(req, O_RDWR, 4, 64);
	p.rep = mk(rep, O_RDWR, 4, 64);
	if (p.req < 0 || p.rep < 0 || pthread_create(&t, NULL, ponger, &p))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		if (pp_send(&p, p.req, buf) ||
		    pp_recv(&p, p.rep, buf, sizeof(buf)) != 16)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(t, NULL);
	mq_close(p.req);
	mq_close(p.rep);
	mq_unlink(req);
	mq_unlink(rep);
	if (i < n)
		return -1;
	return ((t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec) / n;
}

/*
 * The same ping-pong over kipc and over real POSIX queues (by
 * KIPC_MQ_NAMES). Timings in a TCG VM say little: they are logged, not
 * judged (kipc-bench's posix-mq-on-kipc does that on real hardware), so
 * the rounds are few enough for the debug kernel on a loaded host (three
 * times 5000 outran the harness's timeout there once).
 */
#define PP_ROUNDS	1000

TEST(ping_pong_kipc_and_real)
{
	long kipc_ns, raw_ns, real_ns;

	kipc_ns = round_trip_ns("ppk", PP_ROUNDS, 0);
	ASSERT_LT(0, kipc_ns);
	raw_ns = round_trip_ns("ppi", PP_ROUNDS, 1);
	ASSERT_LT(0, raw_ns);
	ASSERT_EQ(0, setenv("KIPC_MQ_NAMES", "/none", 1));
	real_ns = round_trip_ns("ppr", PP_ROUNDS, 0);
	unsetenv("KIPC_MQ_NAMES");
	ASSERT_LT(0, real_ns);
	TH_LOG("round trip: mq_* on kipc %ld ns, kipc ioctls %ld ns, real POSIX mq %ld ns (%.2fx real)",
	       kipc_ns, raw_ns, real_ns, (double)kipc_ns / real_ns);
}

static void *receive_once(void *arg)
{
	struct late_send *l = arg;
	struct timespec ts = in_ms(l->ms);
	char buf[16];

	return (void *)(long)err_of(mq_timedreceive(l->q, buf, sizeof(buf), NULL, &ts));
}

/*
 * mq_timedreceive(3)'s deadline is on CLOCK_REALTIME: setting the clock
 * past it ends the wait. Needs KIPC_MSG_REALTIME (ABI 4).
 */
TEST(deadline_follows_the_realtime_clock)
{
	const char *n = qname("rt");
	struct late_send l;
	struct timespec now, t0;
	pthread_t t;
	char buf[16];
	void *ret;
	mqd_t q;

	q = mk(n, O_RDWR, 1, 16);
	ASSERT_LE(0, q);
	if (kt_recv(q, buf, sizeof(buf), NULL,
		    KIPC_MSG_NONBLOCK | KIPC_MSG_DEADLINE | KIPC_MSG_REALTIME, 0) == -EINVAL) {
		mq_close(q);
		mq_unlink(n);
		SKIP(return, "the module has no KIPC_MSG_REALTIME (before ABI 4)");
	}
	l = (struct late_send){ .q = q, .ms = 20000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, pthread_create(&t, NULL, receive_once, &l));
	usleep(200000);
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec += 60;
	ASSERT_EQ(0, clock_settime(CLOCK_REALTIME, &now));
	pthread_join(t, &ret);
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec -= 60;
	clock_settime(CLOCK_REALTIME, &now);
	EXPECT_EQ(ETIMEDOUT, (long)ret);
	EXPECT_GT(10000, ms_since(&t0));
	mq_close(q);
	mq_unlink(n);
}

/* mq_notify: what needs no kernel support is checked first. */
TEST(notify_argument_errors)
{
	const char *n = qname("nargs");
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	mqd_t q;

	q = mk(n, O_RDWR, 2, 8);
	ASSERT_LE(0, q);
	sev.sigev_notify = 77;
	EXPECT_EQ(EINVAL, err_of(mq_notify(q, &sev)));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = _NSIG;
	EXPECT_EQ(EINVAL, err_of(mq_notify(q, &sev)));
	sev.sigev_signo = -1;
	EXPECT_EQ(EINVAL, err_of(mq_notify(q, &sev)));
	/* Linux checks the sigevent before the descriptor. */
	EXPECT_EQ(EINVAL, err_of(mq_notify(-1, &sev)));
	sev.sigev_signo = SIGUSR1;
	EXPECT_EQ(EBADF, err_of(mq_notify(-1, &sev)));
	EXPECT_EQ(EBADF, err_of(mq_notify(1000, NULL)));
	mq_close(q);
	mq_unlink(n);
}

/* SKIP unless the module has KIPC_IOC_NOTIFY (ABI 4). */
#define NEED_NOTIFY(q, n) do {							\
	struct sigevent none_ = { .sigev_notify = SIGEV_NONE };			\
	if (mq_notify((q), &none_) && errno == ENOSYS) {			\
		mq_close(q);							\
		mq_unlink(n);							\
		SKIP(return, "the module has no KIPC_IOC_NOTIFY (before ABI 4)"); \
	}									\
	ASSERT_EQ(0, mq_notify((q), NULL));					\
} while (0)

/* The signal, if it comes within @ms; 0 if none. */
static int wait_sig(int sig, siginfo_t *si, long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigtimedwait(&set, si, &ts) == sig ? sig : 0;
}

static pid_t send_from_child(mqd_t q)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(mq_send(q, "ping", 4, 0) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || WEXITSTATUS(status))
		return -1;
	return pid;
}

TEST(notify_signal_once_with_siginfo)
{
	const char *n = qname("nsig");
	struct sigevent sev = {
		.sigev_notify = SIGEV_SIGNAL,
		.sigev_signo = SIGUSR1,
		.sigev_value.sival_int = 4242,
	};
	siginfo_t si;
	sigset_t set;
	char buf[8];
	pid_t child;
	mqd_t q;

	q = mk(n, O_RDWR, 4, 8);
	ASSERT_LE(0, q);
	NEED_NOTIFY(q, n);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &set, NULL));
	ASSERT_EQ(0, mq_notify(q, &sev));
	/* One registration per queue, even the caller's own. */
	EXPECT_EQ(EBUSY, err_of(mq_notify(q, &sev)));
	child = send_from_child(q);
	ASSERT_LT(0, child);
	ASSERT_EQ(SIGUSR1, wait_sig(SIGUSR1, &si, 5000));
	EXPECT_EQ(SI_MESGQ, si.si_code);
	EXPECT_EQ(4242, si.si_value.sival_int);
	EXPECT_EQ(child, si.si_pid);
	EXPECT_EQ(getuid(), si.si_uid);
	/* Firing ended it: the next message raises nothing. */
	EXPECT_EQ(4, mq_receive(q, buf, sizeof(buf), NULL));
	ASSERT_EQ(0, mq_send(q, "again", 5, 0));
	EXPECT_EQ(0, wait_sig(SIGUSR1, &si, 300));
	/* Only a message on an empty queue fires it. */
	ASSERT_EQ(0, mq_notify(q, &sev));
	ASSERT_EQ(0, mq_send(q, "more", 4, 0));
	EXPECT_EQ(0, wait_sig(SIGUSR1, &si, 300));
	EXPECT_EQ(5, mq_receive(q, buf, sizeof(buf), NULL));
	EXPECT_EQ(4, mq_receive(q, buf, sizeof(buf), NULL));
	ASSERT_EQ(0, mq_send(q, "now", 3, 0));
	ASSERT_EQ(SIGUSR1, wait_sig(SIGUSR1, &si, 5000));
	EXPECT_EQ(getpid(), si.si_pid);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	mq_close(q);
	mq_unlink(n);
}

TEST(notify_not_while_a_receiver_waits)
{
	const char *n = qname("nrcv");
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
	struct late_send l;
	siginfo_t si;
	sigset_t set;
	pthread_t t;
	void *ret;
	mqd_t q;

	q = mk(n, O_RDWR, 4, 16);
	ASSERT_LE(0, q);
	NEED_NOTIFY(q, n);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &set, NULL));
	ASSERT_EQ(0, mq_notify(q, &sev));
	l = (struct late_send){ .q = q, .ms = 5000 };
	ASSERT_EQ(0, pthread_create(&t, NULL, receive_once, &l));
	usleep(300000);
	ASSERT_EQ(0, mq_send(q, "taken", 5, 0));
	pthread_join(t, &ret);
	EXPECT_EQ(0, (long)ret);
	EXPECT_EQ(0, wait_sig(SIGUSR2, &si, 300));
	/* Still registered: the next message, with no receiver, fires it. */
	EXPECT_EQ(EBUSY, err_of(mq_notify(q, &sev)));
	ASSERT_EQ(0, mq_send(q, "fires", 5, 0));
	EXPECT_EQ(SIGUSR2, wait_sig(SIGUSR2, &si, 5000));
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	mq_close(q);
	mq_unlink(n);
}

TEST(notify_owner_removal_and_close)
{
	const char *n = qname("nown");
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	int status;
	pid_t pid;
	mqd_t q, q2;

	q = mk(n, O_RDWR, 4, 16);
	ASSERT_LE(0, q);
	NEED_NOTIFY(q, n);
	ASSERT_EQ(0, mq_notify(q, &sev));
	/* Another process: EBUSY, and its NULL removes nothing of ours. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (!mq_notify(q, &sev) || errno != EBUSY)
			_exit(1);
		if (mq_notify(q, NULL))
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(EBUSY, err_of(mq_notify(q, &sev)));
	/* The owner's NULL removes it. */
	ASSERT_EQ(0, mq_notify(q, NULL));
	ASSERT_EQ(0, mq_notify(q, &sev));
	/* SIGEV_NONE fires silently, which ends it. */
	ASSERT_EQ(0, mq_send(q, "x", 1, 0));
	ASSERT_EQ(0, mq_notify(q, &sev));
	/* Closing any descriptor of the queue ends the owner's registration. */
	q2 = mq_open(n, O_RDONLY);
	ASSERT_LE(0, q2);
	ASSERT_EQ(0, mq_close(q2));
	ASSERT_EQ(0, mq_notify(q, &sev));
	/* Signal 0 is accepted, as Linux does, and sends nothing. */
	ASSERT_EQ(0, mq_notify(q, NULL));
	sev = (struct sigevent){ .sigev_notify = SIGEV_SIGNAL, .sigev_signo = 0 };
	ASSERT_EQ(0, mq_notify(q, &sev));
	EXPECT_EQ(EBUSY, err_of(mq_notify(q, &sev)));
	mq_close(q);
	mq_unlink(n);
}

struct thread_note {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int calls;
	int value;
	pthread_t self;
	size_t stack;
	int detached;
	int usr1_blocked;
};

static void on_note(union sigval v)
{
	struct thread_note *tn = v.sival_ptr;
	pthread_attr_t a;
	sigset_t cur;
	int ds = 0;

	pthread_getattr_np(pthread_self(), &a);
	pthread_attr_getstacksize(&a, &tn->stack);
	pthread_attr_getdetachstate(&a, &ds);
	pthread_attr_destroy(&a);
	pthread_sigmask(SIG_SETMASK, NULL, &cur);
	pthread_mutex_lock(&tn->lock);
	tn->detached = ds == PTHREAD_CREATE_DETACHED;
	tn->usr1_blocked = sigismember(&cur, SIGUSR1);
	tn->self = pthread_self();
	tn->calls++;
	pthread_cond_signal(&tn->cond);
	pthread_mutex_unlock(&tn->lock);
}

static int wait_note(struct thread_note *tn, int calls, long ms)
{
	struct timespec ts = in_ms(ms);
	int ok;

	pthread_mutex_lock(&tn->lock);
	while (tn->calls < calls &&
	       pthread_cond_timedwait(&tn->cond, &tn->lock, &ts) == 0)
		;
	ok = tn->calls >= calls;
	pthread_mutex_unlock(&tn->lock);
	return ok;
}

TEST(notify_thread_with_attributes)
{
	const char *n = qname("nthr");
	struct thread_note tn = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD,
		.sigev_notify_function = on_note,
		.sigev_value.sival_ptr = &tn,
	};
	pthread_attr_t attr;
	sigset_t set, old;
	mqd_t q;

	q = mk(n, O_RDWR, 4, 16);
	ASSERT_LE(0, q);
	NEED_NOTIFY(q, n);
	/* Copied at registration: destroying ours afterwards is fine. */
	ASSERT_EQ(0, pthread_attr_init(&attr));
	ASSERT_EQ(0, pthread_attr_setstacksize(&attr, 1 << 20));
	sev.sigev_notify_attributes = &attr;
	/* The thread starts with the registering thread's signal mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	ASSERT_EQ(0, mq_notify(q, &sev));
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	ASSERT_LT(0, send_from_child(q));
	ASSERT_TRUE(wait_note(&tn, 1, 5000));
	EXPECT_FALSE(pthread_equal(tn.self, pthread_self()));
	EXPECT_LE(1 << 20, tn.stack);
	EXPECT_TRUE(tn.detached);
	EXPECT_TRUE(tn.usr1_blocked);
	/* Once: a second message on an emptied queue calls nothing. */
	char buf[16];

	EXPECT_EQ(4, mq_receive(q, buf, sizeof(buf), NULL));
	ASSERT_EQ(0, mq_send(q, "x", 1, 0));
	EXPECT_FALSE(wait_note(&tn, 2, 300));
	EXPECT_EQ(1, mq_receive(q, buf, sizeof(buf), NULL));
	/* Without attributes, and a second time. */
	sev.sigev_notify_attributes = NULL;
	ASSERT_EQ(0, mq_notify(q, &sev));
	ASSERT_EQ(0, mq_send(q, "y", 1, 0));
	EXPECT_TRUE(wait_note(&tn, 2, 5000));
	EXPECT_FALSE(tn.usr1_blocked);
	mq_close(q);
	mq_unlink(n);
}

/*
 * A forked child has no notification thread and none of the parent's
 * registrations: it starts its own, and the parent's go on working.
 */
TEST(notify_across_fork)
{
	const char *n = qname("nfk"), *cn = qname("nfkc");
	struct thread_note tn = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD,
		.sigev_notify_function = on_note,
		.sigev_value.sival_ptr = &tn,
	};
	int status;
	pid_t pid;
	mqd_t q, cq;

	q = mk(n, O_RDWR, 4, 16);
	ASSERT_LE(0, q);
	cq = mk(cn, O_RDWR, 4, 16);
	ASSERT_LE(0, cq);
	NEED_NOTIFY(q, n);
	ASSERT_EQ(0, mq_notify(q, &sev));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct sigevent csev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
		siginfo_t si;
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		if (mq_notify(cq, &csev))
			_exit(1);
		if (mq_send(cq, "c", 1, 0))
			_exit(2);
		if (wait_sig(SIGUSR1, &si, 5000) != SIGUSR1 || si.si_code != SI_MESGQ)
			_exit(3);
		/* The parent's registration is not the child's to fire. */
		_exit(tn.calls ? 4 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, mq_send(q, "p", 1, 0));
	EXPECT_TRUE(wait_note(&tn, 1, 5000));
	mq_close(cq);
	mq_close(q);
	mq_unlink(cn);
	mq_unlink(n);
}

TEST_HARNESS_MAIN
