// SPDX-License-Identifier: GPL-2.0
/*
 * The batch calls of queues (kipc_timedsend_batch(), kipc_timedreceive_batch())
 * and of rings (kipc_ring_timedsend_batch(), kipc_ring_timedreceive_batch())
 * take the same flags and deadline and answer alike: KIPC_MSG_NONBLOCK gives
 * EAGAIN on a full (send) or empty (receive) object, a deadline gives
 * ETIMEDOUT, any other flag EINVAL, a count of 0 returns 0, and a batch moves
 * what fits. The same sequence runs on a two-message queue and a two-slot
 * ring. Also kipc_sem_take_upto()'s index check on a real mapping.
 */
#include <sys/uio.h>

#include <libkipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

/* One object, queue or ring, behind the two calls under test. */
struct batch_obj {
	int fd;
	struct kipc_ring *r;
};

static int obj_send(struct batch_obj *o, unsigned int n, unsigned int flags,
		    const struct timespec *abs_timeout)
{
	static char msg[3][8] = { "one", "two", "three" };
	struct kipc_mvec vec[3];
	struct iovec iov[3];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		vec[i] = (struct kipc_mvec){ .buf = (uintptr_t)msg[i], .len = 6 };
		iov[i] = (struct iovec){ .iov_base = msg[i], .iov_len = 6 };
	}
	if (o->r)
		return kipc_ring_timedsend_batch(o->r, iov, n, flags, abs_timeout);
	return kipc_timedsend_batch(o->fd, vec, n, flags, abs_timeout);
}

static int obj_receive(struct batch_obj *o, unsigned int n, unsigned int flags,
		       const struct timespec *abs_timeout)
{
	static char buf[3][64];
	struct kipc_mvec vec[3];
	struct iovec iov[3];
	unsigned int i;

	for (i = 0; i < 3; i++) {
		vec[i] = (struct kipc_mvec){ .buf = (uintptr_t)buf[i], .len = 64 };
		iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = 64 };
	}
	if (o->r)
		return kipc_ring_timedreceive_batch(o->r, iov, n, flags, abs_timeout);
	return kipc_timedreceive_batch(o->fd, vec, n, flags, abs_timeout);
}

/* The sequence both objects must pass; each holds two messages at most. */
static void batch_sequence(struct __test_metadata *_metadata, struct batch_obj *o)
{
	struct timespec past = { 0, 0 }, soon;

	/* empty */
	EXPECT_EQ(0, obj_receive(o, 0, 0, NULL));
	EXPECT_EQ(-1, obj_receive(o, 3, KIPC_MSG_NONBLOCK, NULL));
	EXPECT_EQ(EAGAIN, errno);
	kipc_deadline(&soon, 30);
	EXPECT_EQ(-1, obj_receive(o, 3, 0, &soon));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(-1, obj_receive(o, 3, 0, &past));
	EXPECT_EQ(ETIMEDOUT, errno);
	/* flags other than KIPC_MSG_NONBLOCK */
	EXPECT_EQ(-1, obj_receive(o, 3, KIPC_MSG_DEADLINE, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, obj_send(o, 3, 0x80, NULL));
	EXPECT_EQ(EINVAL, errno);
	/* three offered, two fit */
	EXPECT_EQ(0, obj_send(o, 0, 0, NULL));
	EXPECT_EQ(2, obj_send(o, 3, KIPC_MSG_NONBLOCK, NULL));
	/* full */
	EXPECT_EQ(-1, obj_send(o, 1, KIPC_MSG_NONBLOCK, NULL));
	EXPECT_EQ(EAGAIN, errno);
	kipc_deadline(&soon, 30);
	EXPECT_EQ(-1, obj_send(o, 1, 0, &soon));
	EXPECT_EQ(ETIMEDOUT, errno);
	/* both come out, non-blocking or with a deadline */
	EXPECT_EQ(1, obj_receive(o, 1, KIPC_MSG_NONBLOCK, NULL));
	kipc_deadline(&soon, 1000);
	EXPECT_EQ(1, obj_receive(o, 3, 0, &soon));
	EXPECT_EQ(-1, obj_receive(o, 3, KIPC_MSG_NONBLOCK, NULL));
	EXPECT_EQ(EAGAIN, errno);
}

TEST(queue_batches)
{
	struct kipc_queue_attr attr = { .maxmsg = 2, .msgsize = 64 };
	struct batch_obj o = { .fd = kipc_queue_anon(O_RDWR, &attr) };

	ASSERT_LE(0, o.fd);
	batch_sequence(_metadata, &o);
	close(o.fd);
}

TEST(ring_batches)
{
	struct kipc_ring_attr attr = { .slot_size = 64, .nslots = 2 };
	struct batch_obj o = { .fd = -1, .r = kipc_ring_create(NULL, 0600, &attr) };

	ASSERT_NE(NULL, o.r);
	batch_sequence(_metadata, &o);
	kipc_ring_close(o.r);
}

/* The index check, inline and exported, on a real mapping. */
TEST(sem_take_upto_checks_the_index)
{
	unsigned int values[2] = { 5, 0 };
	struct kipc_shbuf_attr attr = { .nsems = 2, .values = values };
	struct kipc_shbuf sb;
	int fd = kipc_shbuf_anon(O_RDWR, &attr);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kipc_shbuf_map(fd, &sb));
	errno = 0;
	EXPECT_EQ(0, kipc_sem_take_upto(&sb, 2, 1));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(0, (kipc_sem_take_upto)(&sb, ~0U, 1));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(3, (kipc_sem_take_upto)(&sb, 0, 3));
	EXPECT_EQ(2, kipc_sem_take_upto(&sb, 0, 3));
	EXPECT_EQ(0, errno);
	kipc_shbuf_unmap(&sb);
	close(fd);
}

TEST_HARNESS_MAIN
