// SPDX-License-Identifier: GPL-2.0
/*
 * Queue notifications (KIPC_IOC_NOTIFY) and notification channels
 * (KIPC_IOC_CHANNEL_OPEN): the mq_notify(3) rules as ipc/mqueue.c keeps
 * them. One registration per queue, owned by a process: EBUSY for any
 * second one; removal by its owner only; it fires once, when a message
 * arrives on the empty queue while no receiver is blocked on it; any close
 * of a descriptor of the queue by its owner ends it, a child's does not.
 * The record names the sender as the owner's pid and user namespaces see
 * it. A channel reads whole records, blocks, polls and fails as read(2)
 * and poll(2) should.
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "kipc_test.h"
#include "libkipc.h"

#define REC	((int)sizeof(struct kipc_notification))

static int chan_open(bool nonblock)
{
	return kt_err(kipc_channel_open(nonblock ? O_NONBLOCK : 0));
}

static int notify(int fd, unsigned int how, int chan, __u64 cookie)
{
	return kt_err(kipc_notify(fd, how, chan, cookie));
}

/* Records on @chan now (non-blocking descriptor): how many, into @recs. */
static int drain(int chan, struct kipc_notification *recs, int max)
{
	int ret = kt_err(read(chan, recs, (size_t)max * REC));

	if (ret == -EAGAIN)
		return 0;
	return ret < 0 ? ret : ret / REC;
}

static __u32 queue_id(int fd)
{
	struct kipc_stats st;

	return kt_stats(fd, &st) ? 0 : st.id;
}

static int send1(int fd)
{
	return kt_send(fd, "m", 1, 0, KIPC_MSG_NONBLOCK, 0);
}

static int recv1(int fd)
{
	char buf[64];

	return kt_recv(fd, buf, sizeof(buf), NULL, KIPC_MSG_NONBLOCK, 0);
}

TEST(fires_once_with_the_sender)
{
	struct kipc_notification r[4];
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 0x1234567890abcdefULL));
	ASSERT_EQ(0, drain(c, r, 4));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(1, drain(c, r, 4));
	EXPECT_EQ(0x1234567890abcdefULL, r[0].cookie);
	EXPECT_EQ(queue_id(q), r[0].queue_id);
	EXPECT_EQ(getpid(), r[0].pid);
	EXPECT_EQ(getuid(), r[0].uid);
	EXPECT_EQ(0, r[0].__reserved);
	/* One-shot: emptied and refilled, nothing more. */
	ASSERT_EQ(1, recv1(q));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(0, drain(c, r, 4));
	/* Ended by firing: a new registration is taken. */
	ASSERT_EQ(1, recv1(q));
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 7));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(1, drain(c, r, 4));
	EXPECT_EQ(7, r[0].cookie);
	close(q);
	close(c);
}

TEST(only_when_the_queue_was_empty)
{
	struct kipc_notification r[2];
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(0, drain(c, r, 2));
	ASSERT_EQ(1, recv1(q));
	ASSERT_EQ(1, recv1(q));
	ASSERT_EQ(0, drain(c, r, 2));
	/* Still registered: the next message into the empty queue fires. */
	ASSERT_EQ(0, kt_err(write(q, "w", 1)) - 1);
	ASSERT_EQ(1, drain(c, r, 2));
	close(q);
	close(c);
}

TEST(ebusy_for_any_second_registration)
{
	struct kipc_notification r[2];
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	pid_t pid;

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	EXPECT_EQ(-EBUSY, notify(q, KIPC_NOTIFY_CHANNEL, c, 2));
	EXPECT_EQ(-EBUSY, notify(q, KIPC_NOTIFY_NONE, -1, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (notify(q, KIPC_NOTIFY_CHANNEL, c, 3) != -EBUSY)
			_exit(1);
		if (notify(q, KIPC_NOTIFY_NONE, -1, 0) != -EBUSY)
			_exit(2);
		/* Not the owner: succeeds, and ends nothing. */
		if (notify(q, KIPC_NOTIFY_REMOVE, -1, 0))
			_exit(3);
		/* Its exit closes its copy of q: not the owner's close. */
		_exit(0);
	}
	ASSERT_EQ(0, kt_wait_child(pid));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(1, drain(c, r, 2));
	EXPECT_EQ(1, r[0].cookie);
	close(q);
	close(c);
}

TEST(remove_by_the_owner)
{
	struct kipc_notification r[2];
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	/* Nothing to remove: still fine. */
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_REMOVE, -1, 0));
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_REMOVE, -1, 0));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(0, drain(c, r, 2));
	ASSERT_EQ(1, recv1(q));
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 2));
	close(q);
	close(c);
}

TEST(none_ends_at_firing_without_a_record)
{
	struct kipc_notification r[2];
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_NONE, -1, 0));
	ASSERT_EQ(-EBUSY, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(0, drain(c, r, 2));
	/* Fired, so ended. */
	ASSERT_EQ(1, recv1(q));
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	close(q);
	close(c);
}

TEST(a_batch_fires_once)
{
	struct kipc_notification r[4];
	struct kipc_mvec v[5];
	struct kipc_batch b = {
		.size = sizeof(b),
		.vec = (uintptr_t)v,
		.count = 5,
	};
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	int i;

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	for (i = 0; i < 5; i++)
		v[i] = (struct kipc_mvec){ .buf = (uintptr_t)"abc", .len = 3 };
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 9));
	ASSERT_EQ(5, kt_err(ioctl(q, KIPC_IOC_SEND_BATCH, &b)));
	ASSERT_EQ(1, drain(c, r, 4));
	EXPECT_EQ(9, r[0].cookie);
	close(q);
	close(c);
}

struct receiver {
	int q;
	int ret;
	char buf[64];
};

static void *receive_blocking(void *arg)
{
	struct receiver *rc = arg;

	rc->ret = kt_recv(rc->q, rc->buf, sizeof(rc->buf), NULL, 0, 0);
	return NULL;
}

TEST(not_while_a_receiver_is_blocked)
{
	struct receiver rc = { .ret = -1 };
	struct kipc_notification r[2];
	struct kipc_stats st;
	pthread_t t;
	int c = chan_open(true);
	int i;

	rc.q = kt_anon(O_RDWR, 8, 64);
	ASSERT_LE(0, rc.q);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, notify(rc.q, KIPC_NOTIFY_CHANNEL, c, 1));
	ASSERT_EQ(0, pthread_create(&t, NULL, receive_blocking, &rc));
	/* recv_waits counts it under the lock it queues itself under. */
	for (i = 0; i < 500; i++) {
		ASSERT_EQ(0, kt_stats(rc.q, &st));
		if (st.recv_waits)
			break;
		usleep(10000);
	}
	ASSERT_EQ(1, st.recv_waits);
	ASSERT_EQ(0, kt_send(rc.q, "direct", 6, 0, 0, 0));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(6, rc.ret);
	EXPECT_EQ(0, memcmp(rc.buf, "direct", 6));
	ASSERT_EQ(0, drain(c, r, 2));
	/* It did not fire, so it is still there. */
	ASSERT_EQ(-EBUSY, notify(rc.q, KIPC_NOTIFY_NONE, -1, 0));
	ASSERT_EQ(0, send1(rc.q));
	ASSERT_EQ(1, drain(c, r, 2));
	close(rc.q);
	close(c);
}

TEST(owner_closing_a_dup_ends_it)
{
	struct kipc_notification r[2];
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	int d;

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	d = dup(q);
	ASSERT_LE(0, d);
	ASSERT_EQ(0, close(d));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(0, drain(c, r, 2));
	ASSERT_EQ(1, recv1(q));
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_NONE, -1, 0));
	close(q);
	close(c);
}

/* Another open file of the same queue counts as well, as in mqueue. */
TEST(owner_closing_another_open_of_the_queue_ends_it)
{
	struct kipc_notification r[2];
	int c = chan_open(true);
	int q, q2;

	ASSERT_LE(0, c);
	kt_unlink("kipc_notify_t2");
	q = kt_create("kipc_notify_t2", 8, 64);
	ASSERT_LE(0, q);
	q2 = kt_queue("kipc_notify_t2", O_RDONLY, 0, 0, 0, 0);
	ASSERT_LE(0, q2);
	ASSERT_EQ(0, kt_unlink("kipc_notify_t2"));
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	ASSERT_EQ(0, close(q2));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(0, drain(c, r, 2));
	close(q);
	close(c);
}

static void *close_fd(void *arg)
{
	close(*(int *)arg);
	return NULL;
}

TEST(another_thread_of_the_owner_closing_ends_it)
{
	struct kipc_notification r[2];
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	pthread_t t;
	int d;

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	d = dup(q);
	ASSERT_LE(0, d);
	ASSERT_EQ(0, pthread_create(&t, NULL, close_fd, &d));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(0, drain(c, r, 2));
	close(q);
	close(c);
}

TEST(owner_exit_ends_it_child_close_does_not)
{
	struct kipc_notification r[2];
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	pid_t pid;

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	/* The child's registration ends with it. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(notify(q, KIPC_NOTIFY_CHANNEL, c, 1) ? 1 : 0);
	ASSERT_EQ(0, kt_wait_child(pid));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(0, drain(c, r, 2));
	ASSERT_EQ(1, recv1(q));
	/* The parent's survives a child closing its inherited descriptor. */
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 2));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(close(q) ? 1 : 0);
	ASSERT_EQ(0, kt_wait_child(pid));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(1, drain(c, r, 2));
	EXPECT_EQ(2, r[0].cookie);
	close(q);
	close(c);
}

TEST(queue_gone_channel_stays_readable)
{
	struct kipc_notification r[2];
	struct pollfd pfd;
	int c = chan_open(true);
	int q, q2;

	ASSERT_LE(0, c);
	kt_unlink("kipc_notify_t");
	q = kt_create("kipc_notify_t", 8, 64);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	ASSERT_EQ(0, kt_unlink("kipc_notify_t"));
	ASSERT_EQ(0, close(q));
	ASSERT_EQ(0, drain(c, r, 2));
	pfd = (struct pollfd){ .fd = c, .events = POLLIN };
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	/* The channel still works for another queue. */
	q2 = kt_anon(O_RDWR, 8, 64);
	ASSERT_LE(0, q2);
	ASSERT_EQ(0, notify(q2, KIPC_NOTIFY_CHANNEL, c, 2));
	ASSERT_EQ(0, send1(q2));
	ASSERT_EQ(1, drain(c, r, 2));
	EXPECT_EQ(2, r[0].cookie);
	close(q2);
	close(c);
}

TEST(channel_closed_with_registrations_alive)
{
	struct kipc_notification r[2];
	int q = kt_anon(O_RDWR, 8, 64);
	int q2 = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	int c2;

	ASSERT_LE(0, q);
	ASSERT_LE(0, q2);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	ASSERT_EQ(0, notify(q2, KIPC_NOTIFY_CHANNEL, c, 2));
	ASSERT_EQ(0, send1(q2));	/* a record left unread */
	ASSERT_EQ(0, close(c));
	/* Fires into the closed channel: dropped, and the registration ends. */
	ASSERT_EQ(0, send1(q));
	c2 = chan_open(true);
	ASSERT_LE(0, c2);
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c2, 3));
	ASSERT_EQ(0, drain(c2, r, 2));
	ASSERT_EQ(1, recv1(q));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(1, drain(c2, r, 2));
	EXPECT_EQ(3, r[0].cookie);
	close(q);
	close(q2);
	close(c2);
}

TEST(channel_read_sizes_and_order)
{
	struct kipc_notification r[4];
	char small[REC - 1];
	int c = chan_open(true);
	int q[3], i;

	ASSERT_LE(0, c);
	ASSERT_EQ(-EINVAL, kt_err(read(c, small, sizeof(small))));
	for (i = 0; i < 3; i++) {
		q[i] = kt_anon(O_RDWR, 8, 64);
		ASSERT_LE(0, q[i]);
		ASSERT_EQ(0, notify(q[i], KIPC_NOTIFY_CHANNEL, c, 100 + i));
	}
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, send1(q[i]));
	ASSERT_EQ(-EINVAL, kt_err(read(c, small, sizeof(small))));
	/* Whole records only: room for two and a half reads two. */
	ASSERT_EQ(2 * REC, kt_err(read(c, r, 2 * REC + REC / 2)));
	EXPECT_EQ(100, r[0].cookie);
	EXPECT_EQ(101, r[1].cookie);
	EXPECT_EQ(queue_id(q[1]), r[1].queue_id);
	ASSERT_EQ(REC, kt_err(read(c, r, sizeof(r))));
	EXPECT_EQ(102, r[0].cookie);
	ASSERT_EQ(-EAGAIN, kt_err(read(c, r, sizeof(r))));
	/* A buffer that faults keeps the records. */
	ASSERT_EQ(0, recv1(q[0]) - 1);
	ASSERT_EQ(0, notify(q[0], KIPC_NOTIFY_CHANNEL, c, 200));
	ASSERT_EQ(0, send1(q[0]));
	ASSERT_EQ(-EFAULT, kt_err(syscall(SYS_read, c, 8UL, sizeof(r))));
	ASSERT_EQ(1, drain(c, r, 4));
	EXPECT_EQ(200, r[0].cookie);
	for (i = 0; i < 3; i++)
		close(q[i]);
	close(c);
}

/*
 * Registering again after each firing, never reading: the channel stops
 * at KIPC_CHANNEL_MAX registrations and unread records (ENOSPC), so the
 * records cannot pile up; reading one makes room for one.
 */
TEST(an_unread_channel_is_bounded)
{
	struct kipc_notification r[4];
	int q = kt_anon(O_RDWR, 8, 64);
	int q2 = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	int i, err = 0;

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	for (i = 0; i < KIPC_CHANNEL_MAX; i++) {
		err = notify(q, KIPC_NOTIFY_CHANNEL, c, i);
		if (err || send1(q) || recv1(q) != 1)
			break;
	}
	ASSERT_EQ(0, err) TH_LOG("registration %d", i);
	ASSERT_EQ(KIPC_CHANNEL_MAX, i);
	ASSERT_EQ(-ENOSPC, notify(q, KIPC_NOTIFY_CHANNEL, c, 9999));
	/* KIPC_NOTIFY_NONE holds nothing on a channel: still allowed. */
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_NONE, -1, 0));
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_REMOVE, -1, 0));
	ASSERT_EQ(REC, kt_err(read(c, r, REC)));
	EXPECT_EQ(0, r[0].cookie);
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 9999));
	/* Room for one only: another queue's registration is refused. */
	ASSERT_LE(0, q2);
	ASSERT_EQ(-ENOSPC, notify(q2, KIPC_NOTIFY_CHANNEL, c, 10000));
	close(q2);
	close(q);
	close(c);
}

TEST(poll_and_epoll_readiness)
{
	struct kipc_notification r[2];
	struct epoll_event ev = { .events = EPOLLIN };
	struct pollfd pfd;
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev));
	pfd = (struct pollfd){ .fd = c, .events = POLLIN | POLLOUT };
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN, pfd.revents);
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 1000));
	EXPECT_TRUE(ev.events & EPOLLIN);
	ASSERT_EQ(1, drain(c, r, 2));
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	close(ep);
	close(q);
	close(c);
}

struct late_send {
	int q;
	int delay_ms;
};

static void *send_later(void *arg)
{
	struct late_send *ls = arg;

	usleep(ls->delay_ms * 1000);
	send1(ls->q);
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST(blocking_read_wakes_and_is_interruptible)
{
	struct late_send ls = { .delay_ms = 100 };
	struct kipc_notification r[2];
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value.tv_usec = 200000 };
	pthread_t t;
	int c = chan_open(false);
	__s64 t0;

	ls.q = kt_anon(O_RDWR, 8, 64);
	ASSERT_LE(0, ls.q);
	ASSERT_LE(0, c);
	ASSERT_EQ(0, notify(ls.q, KIPC_NOTIFY_CHANNEL, c, 5));
	ASSERT_EQ(0, pthread_create(&t, NULL, send_later, &ls));
	ASSERT_EQ(REC, kt_err(read(c, r, sizeof(r))));
	EXPECT_EQ(5, r[0].cookie);
	ASSERT_EQ(0, pthread_join(t, NULL));
	/* A signal whose handler has no SA_RESTART: EINTR. */
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	t0 = kt_now_ns();
	ASSERT_EQ(-EINTR, kt_err(read(c, r, sizeof(r))));
	EXPECT_LE(150000000LL, kt_now_ns() - t0);
	signal(SIGALRM, SIG_DFL);
	close(ls.q);
	close(c);
}

TEST(wrong_files)
{
	struct kipc_notify n = { .size = sizeof(n), .how = KIPC_NOTIFY_NONE };
	struct kipc_channel_open co = { .size = sizeof(co) };
	struct kipc_stats st;
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	int dev = kt_open_dev(O_RDWR);
	int sb = kt_shbuf_anon(4096, 0);
	int p[2];
	char buf[64];

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	ASSERT_LE(0, dev);
	ASSERT_LE(0, sb);
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	/* The queue side. */
	EXPECT_EQ(-EBADFD, notify(dev, KIPC_NOTIFY_NONE, -1, 0));
	EXPECT_EQ(-EINVAL, notify(sb, KIPC_NOTIFY_NONE, -1, 0));
	EXPECT_EQ(-EINVAL, notify(c, KIPC_NOTIFY_NONE, -1, 0));
	EXPECT_EQ(-ENOTTY, notify(p[0], KIPC_NOTIFY_NONE, -1, 0));
	EXPECT_EQ(-EINVAL, notify(q, 3, -1, 0));
	EXPECT_EQ(-EBADF, notify(q, KIPC_NOTIFY_CHANNEL, -1, 0));
	EXPECT_EQ(-EBADF, notify(q, KIPC_NOTIFY_CHANNEL, 999, 0));
	EXPECT_EQ(-EBADF, notify(q, KIPC_NOTIFY_CHANNEL, p[0], 0));
	EXPECT_EQ(-EINVAL, notify(q, KIPC_NOTIFY_CHANNEL, q, 0));
	EXPECT_EQ(-EINVAL, notify(q, KIPC_NOTIFY_CHANNEL, dev, 0));
	EXPECT_EQ(-EINVAL, notify(q, KIPC_NOTIFY_CHANNEL, sb, 0));
	n.__reserved = 1;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(q, KIPC_IOC_NOTIFY, &n)));
	n.__reserved = 0;
	n.size = 16;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(q, KT_IOC_SIZED(KIPC_IOC_NOTIFY, 16), &n)));
	/* Nothing was registered by the failures. */
	EXPECT_EQ(0, notify(q, KIPC_NOTIFY_NONE, -1, 0));
	/* The channel side. */
	EXPECT_EQ(-EBUSY, kt_err(ioctl(c, KIPC_IOC_CHANNEL_OPEN, &co)));
	EXPECT_EQ(-EBUSY, kt_err(ioctl(q, KIPC_IOC_CHANNEL_OPEN, &co)));
	co.flags = 1;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(dev, KIPC_IOC_CHANNEL_OPEN, &co)));
	EXPECT_EQ(-EBADFD, kt_err(read(dev, buf, sizeof(buf))));
	/* Opened for reading only: the VFS refuses a write. */
	EXPECT_EQ(-EBADF, kt_err(write(c, buf, 1)));
	/* A channel bound on a read-write descriptor: not for writing either. */
	co.flags = 0;
	EXPECT_EQ(0, kt_err(ioctl(dev, KIPC_IOC_CHANNEL_OPEN, &co)));
	EXPECT_EQ(-EINVAL, kt_err(write(dev, buf, 1)));
	{
		struct pollfd pfd = { .fd = dev, .events = POLLIN | POLLOUT };

		EXPECT_EQ(0, poll(&pfd, 1, 0));
	}
	EXPECT_EQ(-EINVAL, kt_send(c, buf, 1, 0, 0, 0));
	EXPECT_EQ(-EINVAL, kt_err(ioctl(c, KIPC_IOC_STATS, &st)));
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(c, _IO(KIPC_IOC_MAGIC, 0x7f))));
	EXPECT_EQ(-EINVAL, kt_err(read(sb, buf, sizeof(buf))));
	EXPECT_EQ(-1, kipc_channel_open(O_RDWR));
	EXPECT_EQ(EINVAL, errno);
	close(p[0]);
	close(p[1]);
	close(sb);
	close(dev);
	close(q);
	close(c);
}

/* Pid namespaces: the sender as the owner's namespace sees it. */
TEST(pid_seen_from_the_owner_namespace)
{
	struct kipc_notification r[2];
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	int up[2], down[2];
	pid_t pid;

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	if (geteuid())
		SKIP(return, "needs root for CLONE_NEWPID");
	ASSERT_EQ(0, pipe2(up, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(down, O_CLOEXEC));

	/* Sender in a child pid namespace, owner (us) in the parent one. */
	ASSERT_EQ(0, notify(q, KIPC_NOTIFY_CHANNEL, c, 1));
	pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(getpid() == 1 && send1(q) == 0 ? 0 : 1);
	ASSERT_EQ(0, kt_wait_child(pid));
	ASSERT_EQ(1, drain(c, r, 2));
	EXPECT_EQ(pid, r[0].pid);
	ASSERT_EQ(1, recv1(q));

	/*
	 * Owner in a child pid namespace, sender (us) outside it: not
	 * visible there, so 0; a sender in its own namespace is itself.
	 */
	pid = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, NULL);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_notification cr[2];
		char x;

		if (notify(q, KIPC_NOTIFY_CHANNEL, c, 2))
			_exit(1);
		if (write(up[1], "r", 1) != 1)
			_exit(2);
		/* Wait until the parent has sent; the channel is shared. */
		if (read(down[0], &x, 1) != 1)
			_exit(3);
		if (drain(c, cr, 2) != 1 || cr[0].cookie != 2)
			_exit(4);
		if (cr[0].pid != 0)
			_exit(5);
		if (recv1(q) != 1 || notify(q, KIPC_NOTIFY_CHANNEL, c, 3))
			_exit(6);
		if (send1(q) || drain(c, cr, 2) != 1 || cr[0].pid != 1)
			_exit(7);
		_exit(0);
	}
	{
		char x;

		ASSERT_EQ(1, read(up[0], &x, 1));
		ASSERT_EQ(0, send1(q));
		ASSERT_EQ(1, write(down[1], "s", 1));
	}
	ASSERT_EQ(0, kt_wait_child(pid));
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	close(q);
	close(c);
}

/* User namespaces: the sender's uid as the owner's namespace maps it. */
TEST(uid_seen_from_the_owner_user_namespace)
{
	int q = kt_anon(O_RDWR, 8, 64);
	int c = chan_open(true);
	int to_child[2], to_parent[2];
	char path[64], x;
	pid_t pid;
	int fd;

	ASSERT_LE(0, q);
	ASSERT_LE(0, c);
	if (geteuid())
		SKIP(return, "needs root to map a user namespace");
	ASSERT_EQ(0, pipe2(to_child, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(to_parent, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_notification cr[2];

		if (unshare(CLONE_NEWUSER))
			_exit(10);
		if (write(to_parent[1], "u", 1) != 1 || read(to_child[0], &x, 1) != 1)
			_exit(11);
		/* Mapped now: host root is 100 here. */
		if (notify(q, KIPC_NOTIFY_CHANNEL, c, 1))
			_exit(12);
		if (write(to_parent[1], "r", 1) != 1 || read(to_child[0], &x, 1) != 1)
			_exit(13);
		if (drain(c, cr, 2) != 1)
			_exit(14);
		if (cr[0].uid != 100)
			_exit(15);
		/* Then a sender this namespace cannot map: the overflow uid. */
		if (recv1(q) != 1 || notify(q, KIPC_NOTIFY_CHANNEL, c, 2))
			_exit(16);
		if (write(to_parent[1], "r", 1) != 1 || read(to_child[0], &x, 1) != 1)
			_exit(17);
		if (drain(c, cr, 2) != 1 || cr[0].uid != KT_NOBODY)
			_exit(18);
		_exit(0);
	}
	ASSERT_EQ(1, read(to_parent[0], &x, 1));
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, write(fd, "100 0 1\n", 8));
	close(fd);
	ASSERT_EQ(1, write(to_child[1], "m", 1));
	ASSERT_EQ(1, read(to_parent[0], &x, 1));
	ASSERT_EQ(0, send1(q));
	ASSERT_EQ(1, write(to_child[1], "s", 1));
	ASSERT_EQ(1, read(to_parent[0], &x, 1));
	/* uid 1000 on the host is unmapped in the child's namespace. */
	{
		pid_t s = fork();

		ASSERT_LE(0, s);
		if (s == 0) {
			if (setuid(1000))
				_exit(1);
			_exit(send1(q) ? 2 : 0);
		}
		ASSERT_EQ(0, kt_wait_child(s));
	}
	ASSERT_EQ(1, write(to_child[1], "s", 1));
	ASSERT_EQ(0, kt_wait_child(pid));
	close(q);
	close(c);
}

TEST_HARNESS_MAIN
