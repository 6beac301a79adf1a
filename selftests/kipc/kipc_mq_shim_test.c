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
#include <signal.h>
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

TEST_HARNESS_MAIN
