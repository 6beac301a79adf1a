// SPDX-License-Identifier: GPL-2.0
/*
 * Wake-ups reach every receiver that needs one. A send wakes receivers
 * only while one sleeps (a count the queue keeps) or someone has polled
 * it, and a batch stops waking once a wake-up finds nobody: these tests
 * check that no receiver is left asleep by that bookkeeping, whichever
 * way it left or re-entered the line (a batch to many sleepers, a
 * sleeper interrupted by a signal or its deadline, one woken for a
 * message another receiver took, pollers beside sleepers).
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define RECEIVERS	4
#define WAIT_NS		10000000000LL	/* a receiver's deadline: a lost wake-up fails */

/* Wait until @n receivers in all have slept for a message. */
static int wait_receivers(int fd, unsigned int n)
{
	struct kipc_stats st;

	for (int i = 0; i < 1000; i++) {
		if (kt_stats(fd, &st))
			return -1;
		if (st.recv_waits >= n)
			return 0;
		usleep(10000);
	}
	return -1;
}

static pid_t fork_receiver(int fd)
{
	pid_t pid = fork();
	char buf[8];

	if (pid == 0)
		_exit(kt_recv(fd, buf, sizeof(buf), NULL, KIPC_MSG_DEADLINE,
			      kt_now_ns() + WAIT_NS) == 1 ? 0 : 1);
	return pid;
}

static int send_batch(int fd, unsigned int n)
{
	struct kipc_mvec vec[RECEIVERS];
	struct kipc_batch b = {
		.size = sizeof(b),
		.vec = (uintptr_t)vec,
		.count = n,
	};

	for (unsigned int i = 0; i < n; i++)
		vec[i] = (struct kipc_mvec){ .buf = (uintptr_t)"m", .len = 1 };
	return ioctl(fd, KIPC_IOC_SEND_BATCH, &b);
}

TEST(one_batch_wakes_every_sleeping_receiver)
{
	pid_t pid[RECEIVERS];
	int fd = kt_anon(O_RDWR, 16, 8);

	ASSERT_LE(0, fd);
	for (int i = 0; i < RECEIVERS; i++) {
		pid[i] = fork_receiver(fd);
		ASSERT_LE(0, pid[i]);
		ASSERT_EQ(0, wait_receivers(fd, i + 1));
	}
	ASSERT_EQ(RECEIVERS, send_batch(fd, RECEIVERS));
	for (int i = 0; i < RECEIVERS; i++) {
		EXPECT_EQ(0, kt_wait_child(pid[i])) TH_LOG("receiver %d", i);
	}
	close(fd);
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST(sleepers_that_left_do_not_hide_the_next)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	char buf[8];
	pid_t pid;
	int fd = kt_anon(O_RDWR, 4, 8);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	/* one leaves with EINTR, one with ETIMEDOUT */
	alarm(1);
	EXPECT_EQ(-EINTR, kt_recv(fd, buf, sizeof(buf), NULL, 0, 0));
	EXPECT_EQ(-ETIMEDOUT, kt_recv(fd, buf, sizeof(buf), NULL, KIPC_MSG_DEADLINE,
				      kt_now_ns() + 100000000LL));
	/* the next sleeper is still woken by a single send and by a batch */
	for (int round = 0; round < 2; round++) {
		struct kipc_stats st;

		ASSERT_EQ(0, kt_stats(fd, &st));
		pid = fork_receiver(fd);
		ASSERT_LE(0, pid);
		ASSERT_EQ(0, wait_receivers(fd, st.recv_waits + 1));
		if (round) {
			ASSERT_EQ(1, send_batch(fd, 1));
		} else {
			ASSERT_EQ(0, kt_send(fd, "m", 1, 0, 0, 0));
		}
		EXPECT_EQ(0, kt_wait_child(pid)) TH_LOG("round %d", round);
	}
	close(fd);
}

/*
 * A receiver woken for a message that someone else takes first goes back
 * in line: the next send must find it there. Run many times: whether the
 * other receiver wins depends on the scheduler.
 */
TEST(receiver_that_lost_its_message_is_woken_again)
{
	int fd = kt_anon(O_RDWR, 4, 8);
	char buf[8];

	ASSERT_LE(0, fd);
	for (int round = 0; round < 50; round++) {
		struct kipc_stats st;
		int took = 0;
		pid_t pid;

		ASSERT_EQ(0, kt_stats(fd, &st));
		pid = fork_receiver(fd);
		ASSERT_LE(0, pid);
		ASSERT_EQ(0, wait_receivers(fd, st.recv_waits + 1));
		ASSERT_EQ(0, kt_send(fd, "m", 1, 0, 0, 0));
		if (kt_recv(fd, buf, sizeof(buf), NULL, KIPC_MSG_NONBLOCK, 0) == 1)
			took = 1;
		if (took) {
			ASSERT_EQ(0, kt_send(fd, "m", 1, 0, 0, 0));
		}
		ASSERT_EQ(0, kt_wait_child(pid)) TH_LOG("round %d, took %d", round, took);
		ASSERT_EQ(0, kt_stats(fd, &st));
		ASSERT_EQ(0, st.curmsgs);
	}
	close(fd);
}

struct poller {
	int fd;
	int revents;
	__s64 slept_ns;
};

/*
 * poll() looks once more when its timeout ends, and would then find the
 * message: what shows a wake-up is that it returned well before that.
 */
static void *poll_thread(void *arg)
{
	struct poller *p = arg;
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	__s64 t0 = kt_now_ns();

	if (poll(&pfd, 1, 20000) == 1)
		p->revents = pfd.revents;
	p->slept_ns = kt_now_ns() - t0;
	return NULL;
}

/*
 * No receiver sleeps, so only the queue's having been polled makes a send
 * wake anyone: a poller asleep on an empty queue hears of a single send
 * and of a batch.
 */
TEST(poller_without_sleepers_hears_each_send)
{
	int fd = kt_anon(O_RDWR, 4, 8);
	char buf[8];

	ASSERT_LE(0, fd);
	for (int round = 0; round < 2; round++) {
		struct poller p = { .fd = fd, .revents = 0 };
		pthread_t t;

		ASSERT_EQ(0, pthread_create(&t, NULL, poll_thread, &p));
		usleep(200000);		/* the poller is (most likely) asleep in poll */
		if (round) {
			ASSERT_EQ(1, send_batch(fd, 1));
		} else {
			ASSERT_EQ(0, kt_send(fd, "m", 1, 0, 0, 0));
		}
		ASSERT_EQ(0, pthread_join(t, NULL));
		EXPECT_TRUE(p.revents & POLLIN) TH_LOG("round %d", round);
		EXPECT_GT(10000000000LL, p.slept_ns) TH_LOG("round %d: not woken", round);
		ASSERT_EQ(1, kt_recv(fd, buf, sizeof(buf), NULL, KIPC_MSG_NONBLOCK, 0));
	}
	close(fd);
}

TEST_HARNESS_MAIN
