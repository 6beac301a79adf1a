// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring passthrough: queue commands as IORING_OP_URING_CMD SQEs
 * (<kipc_uring.h>). Each completion's res must be what the ioctl returns;
 * a command that must wait waits in io-wq and completes when the queue
 * allows, or with ECANCELED when io_uring cancels it, never with the
 * kernel-internal ERESTARTSYS; a command in flight holds its own
 * reference to the queue's file, and the ring's teardown releases it.
 */
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "kipc_test.h"
#include "kipc_uring.h"

#define UD_CMD		0x6b697063ULL	/* user_data of the command under test */
#define UD_CANCEL	0x63616e63ULL
#define SETTLE_MS	200		/* long enough for a worker to go to sleep */

/* Submit one prepared SQE and wait for its completion; return its res. */
static int run_one(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;
	int ret = io_uring_submit(ring);

	/*
	 * At least one: on an SQPOLL ring the count includes entries the SQ
	 * thread ran but has not yet marked consumed.
	 */
	if (ret < 1)
		return ret < 0 ? ret : -EIO;
	ret = io_uring_wait_cqe(ring, &cqe);
	if (ret)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

/* The next completion, or -ETIME if none comes within @ms. */
static int next_cqe(struct io_uring *ring, unsigned int ms, __u64 *ud)
{
	struct __kernel_timespec ts = {
		.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000LL,
	};
	struct io_uring_cqe *cqe;
	int ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

	if (ret)
		return ret;
	ret = cqe->res;
	if (ud)
		*ud = cqe->user_data;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

static int ring_send(struct io_uring *ring, int fd, const char *s, __u32 prio,
		     __u32 flags)
{
	struct kipc_msg m = {
		.size = sizeof(m), .flags = flags, .buf = (uintptr_t)s,
		.len = strlen(s), .prio = prio,
	};

	kipc_uring_prep_send(io_uring_get_sqe(ring), fd, &m);
	return run_one(ring);
}

/* Until @fd's queue has had @n receivers asleep, or -1 after 10 s. */
static int wait_recv_waits(int fd, __u64 n)
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

/* Until the module's reference count is back to @want, or -1 after 10 s. */
static int wait_refcnt(long want)
{
	for (int i = 0; i < 1000; i++) {
		if (kt_module_refcnt() == want)
			return 0;
		usleep(10000);
	}
	return -1;
}

FIXTURE(uring) {
	struct io_uring ring;
	int fd;
};

FIXTURE_SETUP(uring)
{
	int ret = io_uring_queue_init(8, &self->ring, 0);

	if (ret == -ENOSYS || ret == -EPERM)
		SKIP(return, "io_uring unavailable: %s", strerror(-ret));
	ASSERT_EQ(0, ret);
	self->fd = kt_anon(O_RDWR, 8, 64);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(uring)
{
	close(self->fd);
	io_uring_queue_exit(&self->ring);
}

TEST_F(uring, send_then_recv_data_and_priority)
{
	struct kipc_msg m = { .size = sizeof(m) };
	char buf[64] = "";

	ASSERT_EQ(0, ring_send(&self->ring, self->fd, "low", 1, 0));
	ASSERT_EQ(0, ring_send(&self->ring, self->fd, "hello", 5, 0));
	m.buf = (uintptr_t)buf;
	m.len = sizeof(buf);
	kipc_uring_prep_recv(io_uring_get_sqe(&self->ring), self->fd, &m);
	ASSERT_EQ(5, run_one(&self->ring));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(5U, m.prio);
	/* The ring's and the ioctl's messages are the same queue's. */
	ASSERT_EQ(3, kt_recv(self->fd, buf, sizeof(buf), &m.prio, 0, 0));
	EXPECT_EQ(0, memcmp(buf, "low", 3));
	EXPECT_EQ(1U, m.prio);
}

TEST_F(uring, recvmsg_reports_the_header)
{
	struct kipc_recvmsg rm = { .size = sizeof(rm) };
	char buf[16];

	ASSERT_EQ(0, kt_send(self->fd, "abc", 3, 7, 0, 0));
	rm.buf = (uintptr_t)buf;
	rm.len = sizeof(buf);
	kipc_uring_prep_recvmsg(io_uring_get_sqe(&self->ring), self->fd, &rm);
	ASSERT_EQ(3, run_one(&self->ring));
	EXPECT_EQ(7U, rm.prio);
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
}

TEST_F(uring, batches_move_count_messages)
{
	struct kipc_mvec vec[4], rvec[6];
	char rbuf[6][16];
	struct kipc_batch b = {
		.size = sizeof(b), .vec = (uintptr_t)vec, .count = 4,
	};

	for (int i = 0; i < 4; i++)
		vec[i] = (struct kipc_mvec){
			.buf = (uintptr_t)"0123", .len = i + 1, .prio = i,
		};
	kipc_uring_prep_send_batch(io_uring_get_sqe(&self->ring), self->fd, &b);
	ASSERT_EQ(4, run_one(&self->ring));
	for (int i = 0; i < 6; i++)
		rvec[i] = (struct kipc_mvec){
			.buf = (uintptr_t)rbuf[i], .len = sizeof(rbuf[i]),
		};
	b.vec = (uintptr_t)rvec;
	b.count = 6;
	kipc_uring_prep_recv_batch(io_uring_get_sqe(&self->ring), self->fd, &b);
	/* What the queue holds, not what was asked for. */
	ASSERT_EQ(4, run_one(&self->ring));
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(4U - i, rvec[i].len);
		EXPECT_EQ(3U - i, rvec[i].prio);
	}
}

TEST_F(uring, pending_recv_completes_on_write)
{
	struct kipc_msg m = { .size = sizeof(m) };
	char buf[16] = "";
	__u64 ud = 0;

	m.buf = (uintptr_t)buf;
	m.len = sizeof(buf);
	kipc_uring_prep_recv(io_uring_get_sqe(&self->ring), self->fd, &m);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	/* The receive waits, in io-wq, for a message. */
	ASSERT_EQ(0, wait_recv_waits(self->fd, 1));
	ASSERT_EQ(-ETIME, next_cqe(&self->ring, 50, NULL));
	ASSERT_EQ(4, write(self->fd, "wake", 4));
	ASSERT_EQ(4, next_cqe(&self->ring, 5000, &ud));
	EXPECT_EQ(0, memcmp(buf, "wake", 4));
}

TEST_F(uring, nonblock_is_eagain_not_a_wait)
{
	struct kipc_msg m = {
		.size = sizeof(m), .flags = KIPC_MSG_NONBLOCK, .len = 16,
	};
	struct io_uring_sqe *sqe;
	char buf[16];
	int nbfd;

	m.buf = (uintptr_t)buf;
	kipc_uring_prep_recv(io_uring_get_sqe(&self->ring), self->fd, &m);
	EXPECT_EQ(-EAGAIN, run_one(&self->ring));
	/* Forced to io-wq, where the issue may block: still EAGAIN. */
	sqe = io_uring_get_sqe(&self->ring);
	kipc_uring_prep_recv(sqe, self->fd, &m);
	io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	EXPECT_EQ(-EAGAIN, run_one(&self->ring));
	/* O_NONBLOCK on the file: the same. */
	nbfd = kt_anon(O_RDWR | O_NONBLOCK, 8, 64);
	ASSERT_LE(0, nbfd);
	m.flags = 0;
	kipc_uring_prep_recv(io_uring_get_sqe(&self->ring), nbfd, &m);
	EXPECT_EQ(-EAGAIN, run_one(&self->ring));
	close(nbfd);
}

TEST_F(uring, async_issue_blocks_and_sends)
{
	struct kipc_msg m = { .size = sizeof(m), .len = 16 };
	struct io_uring_sqe *sqe;
	char buf[16];

	/* IOSQE_ASYNC: issued in io-wq first, where it may sleep. */
	ASSERT_EQ(0, kt_send(self->fd, "x", 1, 0, 0, 0));
	m.buf = (uintptr_t)buf;
	sqe = io_uring_get_sqe(&self->ring);
	kipc_uring_prep_recv(sqe, self->fd, &m);
	io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	EXPECT_EQ(1, run_one(&self->ring));
	/* And one that has to wait there. */
	sqe = io_uring_get_sqe(&self->ring);
	kipc_uring_prep_recv(sqe, self->fd, &m);
	io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	ASSERT_EQ(0, wait_recv_waits(self->fd, 1));
	ASSERT_EQ(0, kt_send(self->fd, "yz", 2, 0, 0, 0));
	EXPECT_EQ(2, next_cqe(&self->ring, 5000, NULL));
}

TEST_F(uring, deadline_in_io_wq)
{
	struct kipc_msg m = {
		.size = sizeof(m), .flags = KIPC_MSG_DEADLINE, .len = 16,
	};
	char buf[16];

	m.buf = (uintptr_t)buf;
	m.deadline_ns = kt_now_ns() + 100000000LL;
	kipc_uring_prep_recv(io_uring_get_sqe(&self->ring), self->fd, &m);
	EXPECT_EQ(-ETIMEDOUT, run_one(&self->ring));
}

TEST_F(uring, unknown_command_is_eopnotsupp)
{
	struct kipc_stats st = { .size = sizeof(st) };
	struct kipc_msg m = { .size = sizeof(m) };
	const unsigned int ops[] = {
		KIPC_IOC_STATS, KIPC_IOC_SENDRECV, KIPC_IOC_VERSION,
		KIPC_IOC_SEM_POST, 0, _IOW('x', 0x10, struct kipc_msg),
		_IOR(KIPC_IOC_MAGIC, 0x10, struct kipc_msg),
	};

	for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		kipc_uring_prep_cmd(io_uring_get_sqe(&self->ring), self->fd,
				    ops[i], ops[i] == KIPC_IOC_STATS ? (void *)&st :
								    (void *)&m);
		EXPECT_EQ(-EOPNOTSUPP, run_one(&self->ring)) TH_LOG("cmd_op %#x", ops[i]);
	}
}

TEST_F(uring, reserved_nonzero_is_einval)
{
	struct kipc_uring_cmd c = { .__reserved = 1 };
	struct kipc_msg m = { .size = sizeof(m), .buf = (uintptr_t)"r", .len = 1 };
	struct io_uring_sqe *sqe = io_uring_get_sqe(&self->ring);
	struct kipc_stats st;

	kipc_uring_prep_send(sqe, self->fd, &m);
	c.arg = (uintptr_t)&m;
	memcpy(sqe->cmd, &c, sizeof(c));
	EXPECT_EQ(-EINVAL, run_one(&self->ring));
	ASSERT_EQ(0, kt_stats(self->fd, &st));
	EXPECT_EQ(0U, st.curmsgs);
}

TEST_F(uring, bad_argument_is_efault)
{
	kipc_uring_prep_send(io_uring_get_sqe(&self->ring), self->fd,
			     (struct kipc_msg *)8);
	EXPECT_EQ(-EFAULT, run_one(&self->ring));
	kipc_uring_prep_recv(io_uring_get_sqe(&self->ring), self->fd, NULL);
	EXPECT_EQ(-EFAULT, run_one(&self->ring));
}

TEST_F(uring, sizes_as_the_ioctl)
{
	struct kipc_msg m = { .size = 16, .buf = (uintptr_t)"s", .len = 1 };

	/* A layout shorter than the first published one. */
	kipc_uring_prep_cmd(io_uring_get_sqe(&self->ring), self->fd,
			    KT_IOC_SIZED(KIPC_IOC_SEND, 16), &m);
	EXPECT_EQ(-EINVAL, run_one(&self->ring));
	/* The size field must agree with the command's. */
	kipc_uring_prep_cmd(io_uring_get_sqe(&self->ring), self->fd,
			    KIPC_IOC_SEND, &m);
	EXPECT_EQ(-EINVAL, run_one(&self->ring));
}

TEST_F(uring, write_only_file_cannot_receive)
{
	struct kipc_msg m = { .size = sizeof(m), .len = 16 };
	char buf[16];
	int wfd = kt_anon(O_WRONLY, 8, 64);

	ASSERT_LE(0, wfd);
	m.buf = (uintptr_t)buf;
	kipc_uring_prep_recv(io_uring_get_sqe(&self->ring), wfd, &m);
	EXPECT_EQ(-EBADF, run_one(&self->ring));
	/* And a read-only one cannot send. */
	close(wfd);
	wfd = kt_anon(O_RDONLY, 8, 64);
	ASSERT_LE(0, wfd);
	EXPECT_EQ(-EBADF, ring_send(&self->ring, wfd, "no", 0, 0));
	close(wfd);
}

TEST_F(uring, cancel_pending_recv)
{
	struct kipc_msg m = { .size = sizeof(m), .len = 16 };
	struct io_uring_sqe *sqe;
	int res[2] = { 1, 1 };
	char buf[16];

	m.buf = (uintptr_t)buf;
	sqe = io_uring_get_sqe(&self->ring);
	kipc_uring_prep_recv(sqe, self->fd, &m);
	io_uring_sqe_set_data64(sqe, UD_CMD);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	/* Asleep in the worker, on the queue's wait queue. */
	ASSERT_EQ(0, wait_recv_waits(self->fd, 1));
	sqe = io_uring_get_sqe(&self->ring);
	io_uring_prep_cancel64(sqe, UD_CMD, 0);
	io_uring_sqe_set_data64(sqe, UD_CANCEL);
	ASSERT_EQ(1, io_uring_submit(&self->ring));
	for (int i = 0; i < 2; i++) {
		__u64 ud = 0;
		int r = next_cqe(&self->ring, 5000, &ud);

		ASSERT_NE(-ETIME, r);
		res[ud == UD_CANCEL] = r;
	}
	EXPECT_EQ(-ECANCELED, res[0]);
	/* io_uring found it running and signalled the worker. */
	EXPECT_TRUE(res[1] == 0 || res[1] == -EALREADY) TH_LOG("cancel res %d", res[1]);
	/* Nothing was taken: a message sent now stays in the queue. */
	ASSERT_EQ(0, kt_send(self->fd, "k", 1, 0, 0, 0));
	ASSERT_EQ(1, kt_recv(self->fd, buf, sizeof(buf), NULL, KIPC_MSG_NONBLOCK, 0));
}

/* A receive in flight on a closed descriptor still gets the next message. */
/* A queue with @options, anonymous or @name created, or a negative errno. */
static int q_with(const char *name, __u32 options, int oflag)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo), .mode = 0600, .maxmsg = 4, .msgsize = 64,
		.options = options,
		.flags = name ? KIPC_OPEN_CREATE : KIPC_OPEN_ANON,
	};
	int fd = kt_open_dev(oflag);
	int ret;

	if (fd < 0)
		return fd;
	if (name)
		snprintf(qo.name, sizeof(qo.name), "%s", name);
	ret = kt_err(ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo));
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/* SENDMSG and RECVMSG through the ring: a pipe's write end travels. */
TEST_F(uring, descriptors_through_the_ring)
{
	struct kipc_sendmsg sm = { .size = sizeof(sm) };
	struct kipc_recvmsg rm = { .size = sizeof(rm) };
	int q = q_with(NULL, KIPC_QUEUE_FDS, O_RDWR);
	int p[2], got[KIPC_FDS_MAX];
	char buf[16];

	ASSERT_LE(0, q);
	ASSERT_EQ(0, pipe(p));
	sm.buf = (uintptr_t)"fd";
	sm.len = 2;
	sm.fds = (uintptr_t)&p[1];
	sm.nfds = 1;
	kipc_uring_prep_sendmsg(io_uring_get_sqe(&self->ring), q, &sm);
	ASSERT_EQ(0, run_one(&self->ring));
	close(p[1]);

	rm.buf = (uintptr_t)buf;
	rm.len = sizeof(buf);
	rm.fds = (uintptr_t)got;
	rm.nfds = KIPC_FDS_MAX;
	rm.fd_flags = KIPC_FD_CLOEXEC;
	kipc_uring_prep_recvmsg(io_uring_get_sqe(&self->ring), q, &rm);
	ASSERT_EQ(2, run_one(&self->ring));
	ASSERT_EQ(1U, rm.nfds);
	EXPECT_EQ(FD_CLOEXEC, fcntl(got[0], F_GETFD));
	/* The installed descriptor is the pipe's write end: it writes. */
	ASSERT_EQ(1, write(got[0], "x", 1));
	ASSERT_EQ(1, read(p[0], buf, 1));
	close(got[0]);
	/* And it was the last: the reader sees the end. */
	EXPECT_EQ(0, read(p[0], buf, 1));
	close(p[0]);
	close(q);
}

/*
 * A broadcast queue through the ring: two subscribers' receives wait in
 * io-wq and both complete with the one message sent by write().
 */
TEST_F(uring, broadcast_receives_wait_and_complete)
{
	char name[KIPC_NAME_MAX];
	struct kipc_msg m[2];
	char buf[2][16];
	int pub, sub, done = 0;
	__u64 ud;

	snprintf(name, sizeof(name), "uring_bc_%d", getpid());
	kt_unlink(name);
	/* Two files of one queue: two subscribers (the first also publishes). */
	pub = q_with(name, KIPC_QUEUE_BROADCAST, O_RDWR);
	ASSERT_LE(0, pub);
	sub = q_with(name, 0, O_RDONLY);
	ASSERT_LE(0, sub);
	ASSERT_EQ(0, kt_unlink(name));
	for (int i = 0; i < 2; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&self->ring);

		m[i] = (struct kipc_msg){
			.size = sizeof(m[i]), .buf = (uintptr_t)buf[i],
			.len = sizeof(buf[i]),
		};
		kipc_uring_prep_recv(sqe, i ? sub : pub, &m[i]);
		io_uring_sqe_set_data64(sqe, i);
	}
	ASSERT_EQ(2, io_uring_submit(&self->ring));
	usleep(SETTLE_MS * 1000);
	EXPECT_EQ(-ETIME, next_cqe(&self->ring, 10, NULL));
	ASSERT_EQ(5, write(pub, "hello", 5));
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(5, next_cqe(&self->ring, 5000, &ud));
		ASSERT_GT(2ULL, ud);
		done |= 1 << ud;
		EXPECT_EQ(0, memcmp(buf[ud], "hello", 5));
	}
	EXPECT_EQ(3, done);
	close(sub);
	close(pub);
}

TEST(closed_fd_recv_completes_on_other_descriptor)
{
	struct kipc_msg m = { .size = sizeof(m), .len = 16 };
	char name[64], buf[16] = "";
	struct io_uring ring;
	int fd, fd2, ret;
	__u64 ud = 0;

	ret = io_uring_queue_init(4, &ring, 0);
	if (ret)
		SKIP(return, "io_uring unavailable: %s", strerror(-ret));
	snprintf(name, sizeof(name), "kipc_uring_%d", getpid());
	fd = kt_create(name, 8, 64);
	ASSERT_LE(0, fd);
	fd2 = kt_queue(name, O_RDWR, 0, 0, 0, 0);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, kt_unlink(name));
	m.buf = (uintptr_t)buf;
	kipc_uring_prep_recv(io_uring_get_sqe(&ring), fd, &m);
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, wait_recv_waits(fd2, 1));
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(-ETIME, next_cqe(&ring, 50, NULL));
	ASSERT_EQ(0, kt_send(fd2, "other", 5, 0, 0, 0));
	ASSERT_EQ(5, next_cqe(&ring, 5000, &ud));
	EXPECT_EQ(0, memcmp(buf, "other", 5));
	close(fd2);
	io_uring_queue_exit(&ring);
}

/*
 * Closing the ring with commands in flight, on a descriptor already
 * closed: the teardown cancels them and the last reference to the
 * queue's file goes (each open file holds one on the module).
 */
TEST(ring_teardown_releases_the_file)
{
	struct kipc_msg m[3];
	struct io_uring ring;
	char buf[3][16];
	long before, open_ref;
	int fd, ret;

	before = kt_module_refcnt();
	ASSERT_LE(0, before);
	ret = io_uring_queue_init(4, &ring, 0);
	if (ret)
		SKIP(return, "io_uring unavailable: %s", strerror(-ret));
	fd = kt_anon(O_RDWR, 8, 64);
	ASSERT_LE(0, fd);
	open_ref = kt_module_refcnt();
	ASSERT_LT(before, open_ref);
	for (int i = 0; i < 3; i++) {
		m[i] = (struct kipc_msg){
			.size = sizeof(m[i]), .buf = (uintptr_t)buf[i], .len = 16,
		};
		kipc_uring_prep_recv(io_uring_get_sqe(&ring), fd, &m[i]);
	}
	ASSERT_EQ(3, io_uring_submit(&ring));
	ASSERT_EQ(0, wait_recv_waits(fd, 3));
	ASSERT_EQ(0, close(fd));
	/* The commands hold the file. */
	usleep(SETTLE_MS * 1000);
	EXPECT_EQ(open_ref, kt_module_refcnt());
	io_uring_queue_exit(&ring);
	EXPECT_EQ(0, wait_refcnt(before)) TH_LOG("refcnt %ld, want %ld",
						 kt_module_refcnt(), before);
}

/* A child exits with a receive in flight: its exit cancels it. */
TEST(exit_with_recv_in_flight)
{
	long before = kt_module_refcnt();
	int fd = kt_anon(O_RDWR, 8, 64);
	pid_t pid;

	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_msg m = { .size = sizeof(m), .len = 16 };
		struct io_uring ring;
		char buf[16];

		if (io_uring_queue_init(4, &ring, 0))
			_exit(0);
		m.buf = (uintptr_t)buf;
		kipc_uring_prep_recv(io_uring_get_sqe(&ring), fd, &m);
		if (io_uring_submit(&ring) != 1)
			_exit(1);
		pause();
	}
	ASSERT_EQ(0, wait_recv_waits(fd, 1));
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, kt_wait_child(pid));
	close(fd);
	EXPECT_EQ(0, wait_refcnt(before));
}

TEST(sqpoll_ring)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 100 };
	struct kipc_msg m = { .size = sizeof(m), .len = 16 };
	struct io_uring ring;
	char buf[16] = "";
	int fd, ret;

	ret = io_uring_queue_init_params(4, &ring, &p);
	if (ret == -EPERM || ret == -EINVAL || ret == -ENOSYS)
		SKIP(return, "no SQPOLL ring: %s", strerror(-ret));
	ASSERT_EQ(0, ret);
	fd = kt_anon(O_RDWR, 8, 64);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ring_send(&ring, fd, "sq", 3, 0));
	m.buf = (uintptr_t)buf;
	kipc_uring_prep_recv(io_uring_get_sqe(&ring), fd, &m);
	ASSERT_EQ(2, run_one(&ring));
	EXPECT_EQ(3U, m.prio);
	/* The SQPOLL thread never sleeps on a queue: a wait goes to io-wq. */
	kipc_uring_prep_recv(io_uring_get_sqe(&ring), fd, &m);
	ASSERT_LE(1, io_uring_submit(&ring));
	ASSERT_EQ(0, wait_recv_waits(fd, 1));
	ASSERT_EQ(0, ring_send(&ring, fd, "late", 0, 0));
	ASSERT_EQ(4, next_cqe(&ring, 5000, NULL));
	EXPECT_EQ(0, memcmp(buf, "late", 4));
	m.flags = KIPC_MSG_NONBLOCK;
	kipc_uring_prep_recv(io_uring_get_sqe(&ring), fd, &m);
	EXPECT_EQ(-EAGAIN, run_one(&ring));
	close(fd);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
