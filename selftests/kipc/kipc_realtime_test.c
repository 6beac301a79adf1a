// SPDX-License-Identifier: GPL-2.0
/*
 * CLOCK_REALTIME deadlines (KIPC_MSG_REALTIME with KIPC_MSG_DEADLINE), as
 * mq_timedsend(3) and mq_timedreceive(3) take them: the deadline is an
 * absolute CLOCK_REALTIME time, and setting the clock while a call waits
 * moves its wake-up (forward past the deadline: it times out at once). A
 * CLOCK_MONOTONIC deadline ignores the same change. REALTIME alone is
 * EINVAL. Receive, send, batches and SENDRECV take it; a signal with
 * SA_RESTART restarts the wait with the same absolute deadline.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define MS	1000000LL
#define SEC	1000000000LL
#define RT	(KIPC_MSG_DEADLINE | KIPC_MSG_REALTIME)

static __s64 rt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (__s64)ts.tv_sec * SEC + ts.tv_nsec;
}

static int rt_set(__s64 ns)
{
	struct timespec ts = { .tv_sec = ns / SEC, .tv_nsec = ns % SEC };

	return clock_settime(CLOCK_REALTIME, &ts) ? -errno : 0;
}

static int recv_rt(int q, __u32 flags, __s64 deadline)
{
	char buf[64];

	return kt_recv(q, buf, sizeof(buf), NULL, flags, deadline);
}

TEST(receive_times_out_at_the_realtime_deadline)
{
	int q = kt_anon(O_RDWR, 4, 64);
	__s64 t0;

	ASSERT_LE(0, q);
	t0 = kt_now_ns();
	ASSERT_EQ(-ETIMEDOUT, recv_rt(q, RT, rt_now() + 300 * MS));
	EXPECT_LE(290 * MS, kt_now_ns() - t0);
	EXPECT_GT(2 * SEC, kt_now_ns() - t0);
	close(q);
}

TEST(realtime_without_deadline_is_einval)
{
	struct kipc_mvec v = { .buf = (uintptr_t)"x", .len = 1 };
	struct kipc_batch b = {
		.size = sizeof(b),
		.flags = KIPC_MSG_REALTIME,
		.vec = (uintptr_t)&v,
		.count = 1,
	};
	struct kipc_sendrecv sr = {
		.size = sizeof(sr),
		.flags = KIPC_MSG_REALTIME,
		.send_buf = (uintptr_t)"x",
		.send_len = 1,
	};
	int q = kt_anon(O_RDWR, 4, 64);

	ASSERT_LE(0, q);
	sr.recv_fd = q;
	EXPECT_EQ(-EINVAL, kt_send(q, "x", 1, 0, KIPC_MSG_REALTIME, 0));
	EXPECT_EQ(-EINVAL, recv_rt(q, KIPC_MSG_REALTIME | KIPC_MSG_NONBLOCK, 0));
	EXPECT_EQ(-EINVAL, kt_err(ioctl(q, KIPC_IOC_SEND_BATCH, &b)));
	EXPECT_EQ(-EINVAL, kt_err(ioctl(q, KIPC_IOC_RECV_BATCH, &b)));
	EXPECT_EQ(-EINVAL, kt_err(ioctl(q, KIPC_IOC_SENDRECV, &sr)));
	EXPECT_EQ(0, sr.result);
	/* Nothing was sent by any of them; an unknown flag is refused too. */
	EXPECT_EQ(-EINVAL, kt_send(q, "x", 1, 0, 0x8 | KIPC_MSG_DEADLINE, 0));
	EXPECT_EQ(-EAGAIN, recv_rt(q, KIPC_MSG_NONBLOCK, 0));
	close(q);
}

TEST(past_deadline_fails_only_when_it_would_wait)
{
	int q = kt_anon(O_RDWR, 1, 64);

	ASSERT_LE(0, q);
	ASSERT_EQ(-ETIMEDOUT, recv_rt(q, RT, rt_now() - SEC));
	ASSERT_EQ(0, kt_send(q, "x", 1, 0, RT, rt_now() - SEC));
	ASSERT_EQ(-ETIMEDOUT, kt_send(q, "y", 1, 0, RT, rt_now() - SEC));
	ASSERT_EQ(1, recv_rt(q, RT, rt_now() - SEC));
	/* A negative one is EINVAL when it would wait, as a monotonic one. */
	ASSERT_EQ(-EINVAL, recv_rt(q, RT, -1));
	ASSERT_EQ(0, kt_send(q, "x", 1, 0, RT, -1));
	close(q);
}

TEST(send_times_out_on_a_full_queue)
{
	int q = kt_anon(O_RDWR, 1, 64);
	__s64 t0;

	ASSERT_LE(0, q);
	ASSERT_EQ(0, kt_send(q, "x", 1, 0, 0, 0));
	t0 = kt_now_ns();
	ASSERT_EQ(-ETIMEDOUT, kt_send(q, "y", 1, 0, RT, rt_now() + 200 * MS));
	EXPECT_LE(190 * MS, kt_now_ns() - t0);
	close(q);
}

TEST(batches_and_sendrecv)
{
	char buf[64];
	struct kipc_mvec v = { .buf = (uintptr_t)buf, .len = sizeof(buf) };
	struct kipc_batch b = {
		.size = sizeof(b),
		.flags = RT,
		.vec = (uintptr_t)&v,
		.count = 1,
	};
	struct kipc_sendrecv sr = {
		.size = sizeof(sr),
		.flags = RT,
		.send_buf = (uintptr_t)"req",
		.send_len = 3,
		.recv_buf = (uintptr_t)buf,
		.recv_len = sizeof(buf),
	};
	int q = kt_anon(O_RDWR, 4, 64);
	int reply = kt_anon(O_RDWR, 4, 64);
	__s64 t0;

	ASSERT_LE(0, q);
	ASSERT_LE(0, reply);
	t0 = kt_now_ns();
	b.deadline_ns = rt_now() + 200 * MS;
	ASSERT_EQ(-ETIMEDOUT, kt_err(ioctl(q, KIPC_IOC_RECV_BATCH, &b)));
	EXPECT_LE(190 * MS, kt_now_ns() - t0);

	sr.recv_fd = reply;
	sr.deadline_ns = rt_now() + 200 * MS;
	t0 = kt_now_ns();
	ASSERT_EQ(-ETIMEDOUT, kt_err(ioctl(q, KIPC_IOC_SENDRECV, &sr)));
	EXPECT_LE(190 * MS, kt_now_ns() - t0);
	EXPECT_EQ(KIPC_SENDRECV_SENT, sr.result);
	ASSERT_EQ(3, recv_rt(q, KIPC_MSG_NONBLOCK, 0));

	/* And a batch send that fits goes at once. */
	v.buf = (uintptr_t)"abc";
	v.len = 3;
	b.deadline_ns = rt_now() + SEC;
	ASSERT_EQ(1, kt_err(ioctl(q, KIPC_IOC_SEND_BATCH, &b)));
	close(q);
	close(reply);
}

struct jump {
	__s64 delay;
	__s64 by;
	int ret;
};

static void *jump_clock(void *arg)
{
	struct jump *j = arg;

	usleep(j->delay / 1000);
	j->ret = rt_set(rt_now() + j->by);
	return NULL;
}

/* Undo a jump: the clock goes back by as much as it was moved. */
static void jump_back(struct jump *j)
{
	if (!j->ret)
		rt_set(rt_now() - j->by);
}

TEST(a_clock_set_forward_wakes_a_realtime_wait)
{
	struct jump j = { .delay = 300 * MS, .by = 10 * SEC, .ret = -1 };
	int q = kt_anon(O_RDWR, 4, 64);
	pthread_t t;
	__s64 t0, waited;
	int ret;

	ASSERT_LE(0, q);
	if (geteuid())
		SKIP(return, "needs root to set the clock");
	t0 = kt_now_ns();
	ASSERT_EQ(0, pthread_create(&t, NULL, jump_clock, &j));
	ret = recv_rt(q, RT, rt_now() + 2 * SEC);
	waited = kt_now_ns() - t0;
	ASSERT_EQ(0, pthread_join(t, NULL));
	jump_back(&j);
	ASSERT_EQ(0, j.ret);
	ASSERT_EQ(-ETIMEDOUT, ret);
	/* At the jump (300 ms), not at the 2 s it had to wait before it. */
	EXPECT_LE(250 * MS, waited);
	EXPECT_GT(1500 * MS, waited);
	close(q);
}

TEST(a_clock_set_back_delays_a_realtime_wait)
{
	struct jump j = { .delay = 100 * MS, .by = -1 * SEC, .ret = -1 };
	int q = kt_anon(O_RDWR, 4, 64);
	pthread_t t;
	__s64 t0, waited;
	int ret;

	ASSERT_LE(0, q);
	if (geteuid())
		SKIP(return, "needs root to set the clock");
	t0 = kt_now_ns();
	ASSERT_EQ(0, pthread_create(&t, NULL, jump_clock, &j));
	ret = recv_rt(q, RT, rt_now() + 400 * MS);
	waited = kt_now_ns() - t0;
	ASSERT_EQ(0, pthread_join(t, NULL));
	jump_back(&j);
	ASSERT_EQ(0, j.ret);
	ASSERT_EQ(-ETIMEDOUT, ret);
	/* 400 ms of realtime, plus the second the clock went back. */
	EXPECT_LE(1300 * MS, waited);
	close(q);
}

TEST(a_monotonic_wait_ignores_the_clock)
{
	struct jump j = { .delay = 200 * MS, .by = 10 * SEC, .ret = -1 };
	int q = kt_anon(O_RDWR, 4, 64);
	pthread_t t;
	__s64 t0, waited;
	int ret;

	ASSERT_LE(0, q);
	if (geteuid())
		SKIP(return, "needs root to set the clock");
	t0 = kt_now_ns();
	ASSERT_EQ(0, pthread_create(&t, NULL, jump_clock, &j));
	ret = recv_rt(q, KIPC_MSG_DEADLINE, t0 + 800 * MS);
	waited = kt_now_ns() - t0;
	ASSERT_EQ(0, pthread_join(t, NULL));
	jump_back(&j);
	ASSERT_EQ(0, j.ret);
	ASSERT_EQ(-ETIMEDOUT, ret);
	EXPECT_LE(790 * MS, waited);
	close(q);
}

static void on_usr1(int sig)
{
	(void)sig;
}

struct poke {
	pthread_t target;
	__s64 delay;
};

static void *poke(void *arg)
{
	struct poke *p = arg;

	usleep(p->delay / 1000);
	pthread_kill(p->target, SIGUSR1);
	return NULL;
}

/* SA_RESTART: the call restarts with the same absolute deadline. */
TEST(restart_keeps_the_absolute_deadline)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	struct poke p = { .target = pthread_self(), .delay = 300 * MS };
	int q = kt_anon(O_RDWR, 4, 64);
	pthread_t t;
	__s64 t0, waited;

	ASSERT_LE(0, q);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	t0 = kt_now_ns();
	ASSERT_EQ(0, pthread_create(&t, NULL, poke, &p));
	ASSERT_EQ(-ETIMEDOUT, recv_rt(q, RT, rt_now() + 600 * MS));
	waited = kt_now_ns() - t0;
	ASSERT_EQ(0, pthread_join(t, NULL));
	/* 600 ms, not 300 ms more after the restart. */
	EXPECT_LE(590 * MS, waited);
	EXPECT_GT(850 * MS, waited);
	/* Without SA_RESTART: EINTR. */
	sa.sa_flags = 0;
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pthread_create(&t, NULL, poke, &p));
	ASSERT_EQ(-EINTR, recv_rt(q, RT, rt_now() + 2 * SEC));
	ASSERT_EQ(0, pthread_join(t, NULL));
	close(q);
}

TEST_HARNESS_MAIN
