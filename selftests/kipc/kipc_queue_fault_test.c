// SPDX-License-Identifier: GPL-2.0
/*
 * A receive that cannot write back what it received keeps the message.
 *
 * A receiver thread sleeps in KIPC_IOC_RECV or KIPC_IOC_SENDRECV with its
 * struct on a page of its own; while it sleeps, the test makes that page
 * read-only (or unmaps it) and sends. The receiver cannot report the
 * message (struct kipc_msg's prio; struct kipc_sendrecv's result, recv_len
 * and recv_prio), so it must fail with EFAULT and leave the message at the
 * head of its priority: a later receive with a good struct gets the same
 * bytes and priority, before a message sent after it.
 */
#include <pthread.h>
#include <stdbool.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define MSG	64
#define PRIO	7

static const char first[] = "the message a faulting receiver must not lose";
static const char second[] = "sent with it, behind it";
static const char request[] = "request";

FIXTURE(fault) {
	int q;			/* the queue the receiver waits on */
	int req;		/* sendrecv: the request queue */
	char *page;		/* the receiver's struct, spoilt while it sleeps */
	size_t psz;
	char buf[MSG];		/* a good receive buffer */
};

FIXTURE_VARIANT(fault) {
	bool buf_on_page;	/* the receive buffer is on the spoilt page too */
	bool unmap;		/* unmapped rather than made read-only */
};

/* The data buffer is fine: only the write-back of the struct faults. */
FIXTURE_VARIANT_ADD(fault, struct_read_only) {
	.buf_on_page = false,
	.unmap = false,
};

/* The copy of the message faults first. */
FIXTURE_VARIANT_ADD(fault, struct_and_buffer_read_only) {
	.buf_on_page = true,
	.unmap = false,
};

FIXTURE_VARIANT_ADD(fault, struct_unmapped) {
	.buf_on_page = false,
	.unmap = true,
};

FIXTURE_SETUP(fault)
{
	self->psz = sysconf(_SC_PAGESIZE);
	self->q = kt_anon(O_RDWR, 8, MSG);
	self->req = kt_anon(O_RDWR, 8, MSG);
	ASSERT_LE(0, self->q);
	ASSERT_LE(0, self->req);
	self->page = mmap(NULL, self->psz, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->page);
}

FIXTURE_TEARDOWN(fault)
{
	munmap(self->page, self->psz);
	close(self->q);
	close(self->req);
}

struct receiver {
	pthread_t thread;
	pid_t tid;
	int fd;
	unsigned long cmd;	/* the ioctl, or 0: read(2) MSG bytes into arg */
	void *arg;
	long ret;
	int err;
};

static void *receive(void *p)
{
	struct receiver *r = p;

	__atomic_store_n(&r->tid, gettid(), __ATOMIC_RELEASE);
	if (r->cmd)
		r->ret = ioctl(r->fd, r->cmd, r->arg);
	else
		r->ret = read(r->fd, r->arg, MSG);
	r->err = errno;
	return NULL;
}

/* The state letter of thread @tid of this process, or 0. */
static char task_state(pid_t tid)
{
	char path[64], stat[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	stat[n] = 0;
	p = strrchr(stat, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Wait until @r sleeps in its receive on @fd: a wait counted, state S. */
static int wait_asleep(struct receiver *r, int fd)
{
	struct kipc_stats st;
	pid_t tid;

	for (int i = 0; i < 10000; i++) {
		tid = __atomic_load_n(&r->tid, __ATOMIC_ACQUIRE);
		if (tid && !kt_stats(fd, &st) && st.recv_waits >= 1 &&
		    task_state(tid) == 'S')
			return 0;
		usleep(1000);
	}
	return -1;
}

/* Spoil the page the sleeping receiver will write its report to. */
static int spoil(struct _test_data_fault *self,
		 const struct _fixture_variant_fault *variant)
{
	if (variant->unmap)
		return munmap(self->page, self->psz);
	return mprotect(self->page, self->psz, PROT_READ);
}

/* @first then @second, both at PRIO, linked under one lock hold. */
static int send_both(int fd)
{
	struct kipc_mvec v[2] = {
		{ (uintptr_t)first, sizeof(first), PRIO },
		{ (uintptr_t)second, sizeof(second), PRIO },
	};
	struct kipc_batch b = {
		.size = sizeof(b),
		.vec = (uintptr_t)v,
		.count = 2,
	};

	return kt_err(ioctl(fd, KIPC_IOC_SEND_BATCH, &b));
}

/* Receive with a good struct, without waiting: what the queue holds now. */
static int take(int fd, char *buf, __u32 *prio)
{
	return kt_recv(fd, buf, MSG, prio, KIPC_MSG_NONBLOCK, 0);
}

static void *recv_buf(struct _test_data_fault *self,
		      const struct _fixture_variant_fault *variant)
{
	return variant->buf_on_page ? self->page + self->psz / 2 : self->buf;
}

TEST_F(fault, recv_that_cannot_report_keeps_the_message)
{
	struct kipc_msg *m = (struct kipc_msg *)self->page;
	struct receiver r = { .fd = self->q, .cmd = KIPC_IOC_RECV, .arg = m };
	struct kipc_stats st;
	char buf[MSG];
	__u32 prio = 0;

	*m = (struct kipc_msg){
		.size = sizeof(*m),
		.buf = (uintptr_t)recv_buf(self, variant),
		.len = MSG,
	};
	ASSERT_EQ(0, pthread_create(&r.thread, NULL, receive, &r));
	ASSERT_EQ(0, wait_asleep(&r, self->q));
	ASSERT_EQ(0, spoil(self, variant));
	ASSERT_EQ(2, send_both(self->q));
	ASSERT_EQ(0, pthread_join(r.thread, NULL));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EFAULT, r.err);

	/* Both still queued; nothing counted as received. */
	ASSERT_EQ(0, kt_stats(self->q, &st));
	EXPECT_EQ(2, st.curmsgs);
	EXPECT_EQ(sizeof(first) + sizeof(second), st.bytes);
	EXPECT_EQ(2, st.sent);
	EXPECT_EQ(0, st.received);

	/* The message is back at the head, ahead of the one sent behind it. */
	EXPECT_EQ(sizeof(first), take(self->q, buf, &prio));
	EXPECT_EQ(PRIO, prio);
	EXPECT_EQ(0, memcmp(buf, first, sizeof(first)));
	EXPECT_EQ(sizeof(second), take(self->q, buf, &prio));
	EXPECT_EQ(0, memcmp(buf, second, sizeof(second)));
}

TEST_F(fault, sendrecv_that_cannot_report_keeps_the_reply)
{
	struct kipc_sendrecv *sr = (struct kipc_sendrecv *)self->page;
	struct receiver r = { .fd = self->req, .cmd = KIPC_IOC_SENDRECV, .arg = sr };
	struct kipc_sendrecv again;
	struct kipc_stats st;
	char buf[MSG];

	*sr = (struct kipc_sendrecv){
		.size = sizeof(*sr),
		.recv_fd = self->q,
		.send_buf = (uintptr_t)request,
		.send_len = sizeof(request),
		.send_prio = 1,
		.recv_buf = (uintptr_t)recv_buf(self, variant),
		.recv_len = MSG,
	};
	ASSERT_EQ(0, pthread_create(&r.thread, NULL, receive, &r));
	ASSERT_EQ(0, wait_asleep(&r, self->q));
	ASSERT_EQ(0, spoil(self, variant));
	ASSERT_EQ(2, send_both(self->q));
	ASSERT_EQ(0, pthread_join(r.thread, NULL));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EFAULT, r.err);
	/*
	 * The request went out. A struct the kernel could not write says
	 * nothing of it: result is as it was during the wait.
	 */
	if (!variant->unmap)
		EXPECT_EQ(0, sr->result);
	ASSERT_EQ(0, kt_stats(self->req, &st));
	EXPECT_EQ(1, st.curmsgs);

	/* Both replies still queued; nothing counted as received. */
	ASSERT_EQ(0, kt_stats(self->q, &st));
	EXPECT_EQ(2, st.curmsgs);
	EXPECT_EQ(sizeof(first) + sizeof(second), st.bytes);
	EXPECT_EQ(0, st.received);

	/* Receiving only (PENDING), with a good struct: the first reply. */
	again = (struct kipc_sendrecv){
		.size = sizeof(again),
		.flags = KIPC_MSG_NONBLOCK,
		.recv_fd = self->q,
		.result = KIPC_SENDRECV_PENDING,
		.recv_buf = (uintptr_t)buf,
		.recv_len = sizeof(buf),
	};
	EXPECT_EQ(sizeof(first), ioctl(self->req, KIPC_IOC_SENDRECV, &again))
		TH_LOG("sendrecv: %s", strerror(errno));
	EXPECT_EQ(KIPC_SENDRECV_SENT, again.result);
	EXPECT_EQ(sizeof(first), again.recv_len);
	EXPECT_EQ(PRIO, again.recv_prio);
	EXPECT_EQ(0, memcmp(buf, first, sizeof(first)));
	/* The request was sent once. */
	ASSERT_EQ(0, kt_stats(self->req, &st));
	EXPECT_EQ(1, st.curmsgs);
	EXPECT_EQ(1, st.sent);
	EXPECT_EQ(sizeof(second), take(self->q, buf, NULL));
	EXPECT_EQ(0, memcmp(buf, second, sizeof(second)));
}

/* read(2) reports nothing but its length: only its buffer can fault. */
TEST_F(fault, read_into_a_spoilt_buffer_keeps_the_message)
{
	struct receiver r = { .fd = self->q, .arg = self->page + self->psz / 2 };
	struct kipc_stats st;
	char buf[MSG];
	__u32 prio = 0;

	ASSERT_EQ(0, pthread_create(&r.thread, NULL, receive, &r));
	ASSERT_EQ(0, wait_asleep(&r, self->q));
	ASSERT_EQ(0, spoil(self, variant));
	ASSERT_EQ(2, send_both(self->q));
	ASSERT_EQ(0, pthread_join(r.thread, NULL));
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(EFAULT, r.err);
	ASSERT_EQ(0, kt_stats(self->q, &st));
	EXPECT_EQ(2, st.curmsgs);
	EXPECT_EQ(0, st.received);
	EXPECT_EQ(sizeof(first), take(self->q, buf, &prio));
	EXPECT_EQ(PRIO, prio);
	EXPECT_EQ(0, memcmp(buf, first, sizeof(first)));
	EXPECT_EQ(sizeof(second), take(self->q, buf, NULL));
}

TEST_HARNESS_MAIN
