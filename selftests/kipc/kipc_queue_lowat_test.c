// SPDX-License-Identifier: GPL-2.0
/*
 * A queue's send low-water mark (struct kipc_queue_open.send_lowat): a
 * sender that had to wait for room is woken, and poll reports EPOLLOUT,
 * only once that many messages fit; a sender that finds room sends at once;
 * the mark is at most the capacity and 0 means 1.
 */
#include <poll.h>
#include <pthread.h>

#include "kselftest_harness.h"
#include "kipc_test.h"
#include "libkipc.h"

#define DEPTH	8
#define LOWAT	4

static int lowat_queue(__u32 maxmsg, __u32 send_lowat)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = KIPC_OPEN_ANON,
		.mode = 0600,
		.maxmsg = maxmsg,
		.msgsize = 8,
		.send_lowat = send_lowat,
	};
	int fd = kt_open_dev(O_RDWR);

	if (fd < 0)
		return fd;
	if (ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int stats(int fd, struct kipc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return kt_err(ioctl(fd, KIPC_IOC_STATS, st));
}

static bool writable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLOUT);
}

struct sender {
	int fd;
	int ret;
	volatile bool done;
};

static void *blocked_send(void *arg)
{
	struct sender *s = arg;
	__u64 v = 99;

	s->ret = kt_send(s->fd, &v, sizeof(v), 0, 0, 0);
	s->done = true;
	return NULL;
}

static void fill(struct __test_metadata *_metadata, int fd, int n)
{
	for (__u64 i = 0; i < (__u64)n; i++)
		ASSERT_EQ(0, kt_send(fd, &i, sizeof(i), 0, KIPC_MSG_NONBLOCK, 0));
}

static void take(struct __test_metadata *_metadata, int fd, int n)
{
	__u64 v;

	for (int i = 0; i < n; i++)
		ASSERT_EQ((int)sizeof(v), kt_recv(fd, &v, sizeof(v), NULL,
						  KIPC_MSG_NONBLOCK, 0));
}

TEST(mark_is_at_most_the_capacity)
{
	struct kipc_stats st;
	int fd;

	EXPECT_EQ(-EINVAL, lowat_queue(DEPTH, DEPTH + 1));
	fd = lowat_queue(DEPTH, DEPTH);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, stats(fd, &st));
	EXPECT_EQ(DEPTH, st.send_lowat);
	close(fd);
	/* 0, what every caller before ABI 3 passes, is 1: any room. */
	fd = lowat_queue(DEPTH, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, stats(fd, &st));
	EXPECT_EQ(1, st.send_lowat);
	close(fd);
}

TEST(poll_reports_room_only_at_the_mark)
{
	int fd = lowat_queue(DEPTH, LOWAT);

	ASSERT_LE(0, fd);
	EXPECT_TRUE(writable(fd));
	fill(_metadata, fd, DEPTH - LOWAT);
	EXPECT_TRUE(writable(fd));
	fill(_metadata, fd, 1);
	EXPECT_FALSE(writable(fd));
	take(_metadata, fd, 1);
	EXPECT_TRUE(writable(fd));
	close(fd);
}

TEST(a_sender_that_finds_room_sends)
{
	__u64 v = 7;
	int fd = lowat_queue(DEPTH, LOWAT);

	ASSERT_LE(0, fd);
	fill(_metadata, fd, DEPTH - 1);
	/* One slot, below the mark: still enough for a sender already here. */
	EXPECT_EQ(0, kt_send(fd, &v, sizeof(v), 0, KIPC_MSG_NONBLOCK, 0));
	EXPECT_EQ(-EAGAIN, kt_send(fd, &v, sizeof(v), 0, KIPC_MSG_NONBLOCK, 0));
	close(fd);
}

TEST(a_blocked_sender_wakes_at_the_mark)
{
	struct sender s = { .ret = 1 };
	struct kipc_stats st;
	pthread_t t;
	int i;

	s.fd = lowat_queue(DEPTH, LOWAT);
	ASSERT_LE(0, s.fd);
	fill(_metadata, s.fd, DEPTH);
	ASSERT_EQ(0, pthread_create(&t, NULL, blocked_send, &s));
	for (i = 0; i < 2000; i++) {
		ASSERT_EQ(0, stats(s.fd, &st));
		if (st.send_waits)
			break;
		usleep(1000);
	}
	ASSERT_EQ(1, st.send_waits);

	/* Room for LOWAT - 1: the sender sleeps on. */
	take(_metadata, s.fd, LOWAT - 1);
	usleep(200 * 1000);
	EXPECT_FALSE(s.done);
	ASSERT_EQ(0, stats(s.fd, &st));
	EXPECT_EQ(DEPTH - (LOWAT - 1), st.curmsgs);

	/* Room for LOWAT: it is woken and sends. */
	take(_metadata, s.fd, 1);
	for (i = 0; i < 2000 && !s.done; i++)
		usleep(1000);
	EXPECT_TRUE(s.done);
	EXPECT_EQ(0, s.ret);
	pthread_join(t, NULL);
	ASSERT_EQ(0, stats(s.fd, &st));
	EXPECT_EQ(DEPTH - LOWAT + 1, st.curmsgs);
	close(s.fd);
}

/* kipc_queue_anon2() takes the struct's size as openat2() does. */
TEST(libkipc_how_is_extensible)
{
	struct {
		struct kipc_queue_how how;
		unsigned int newer;
	} big = { .how = { .maxmsg = DEPTH, .msgsize = 8, .send_lowat = LOWAT } };
	struct kipc_stats st;
	int fd;

	fd = kipc_queue_anon2(O_RDWR, &big.how, sizeof(big.how));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, stats(fd, &st));
	EXPECT_EQ(LOWAT, st.send_lowat);
	close(fd);
	/* an older caller's struct, without send_lowat */
	fd = kipc_queue_anon2(O_RDWR, &big.how, 2 * sizeof(unsigned int));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, stats(fd, &st));
	EXPECT_EQ(1, st.send_lowat);
	EXPECT_EQ(DEPTH, st.maxmsg);
	close(fd);
	/* a newer caller's: zero beyond what the library knows, or E2BIG */
	fd = kipc_queue_anon2(O_RDWR, &big.how, sizeof(big));
	ASSERT_LE(0, fd);
	close(fd);
	big.newer = 1;
	EXPECT_EQ(-1, kipc_queue_anon2(O_RDWR, &big.how, sizeof(big)));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(-1, kipc_queue_anon2(O_RDWR, &big.how, sizeof(unsigned int)));
	EXPECT_EQ(EINVAL, errno);
}

TEST_HARNESS_MAIN
