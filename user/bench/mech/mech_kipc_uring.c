// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanisms: kipc queue commands through io_uring
 * (IORING_OP_URING_CMD, <kipc_uring.h>), each participant with a ring of
 * its own, and the same with an SQPOLL ring, whose kernel thread picks
 * up the submissions.
 *
 * One-way: a producer's batch is cfg->batch linked KIPC_IOC_SEND commands
 * in one submission (links keep them in order when one has to wait in
 * io-wq for room); the consumer's is one KIPC_IOC_RECV_BATCH command.
 * Round trip: a send and a receive in one submission per side.
 *
 * Every io_uring_enter() the participant makes is counted
 * (bench_count_syscalls()): the rings are driven with raw io_uring_enter()
 * calls rather than liburing's submit functions, so the count is exact.
 * A submission enters only on a plain ring, or on an SQPOLL ring whose
 * thread went to sleep (IORING_SQ_NEED_WAKEUP); a wait enters only when
 * the completions it needs are not already in the CQ ring.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <kipc_uring.h>
#include <libkipc.h>

#include "bench.h"
#include "kipc_queue_link.h"

#define RING_ENTRIES	64
#define MAX_BATCH	32		/* commands per submission */
#define SQ_THREAD_IDLE_MS 10

/* A participant's ring: attach() runs in the participant itself. */
static __thread struct io_uring ring;
static __thread bool ring_up;

static int ring_init(bool sqpoll)
{
	struct io_uring_params p;
	int ret;

	memset(&p, 0, sizeof(p));
	if (sqpoll) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = SQ_THREAD_IDLE_MS;
	}
	ret = io_uring_queue_init_params(RING_ENTRIES, &ring, &p);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	ring_up = true;
	return 0;
}

/* Publish the SQEs prepared since the last call, as liburing's flush does. */
static unsigned int flush_sq(void)
{
	struct io_uring_sq *sq = &ring.sq;
	unsigned int tail = sq->sqe_tail;

	if (sq->sqe_head != tail) {
		sq->sqe_head = tail;
		io_uring_smp_store_release(sq->ktail, tail);
	}
	return tail - IO_URING_READ_ONCE(*sq->khead);
}

static int enter(unsigned int to_submit, unsigned int wait, unsigned int flags)
{
	int ret;

	do {
		bench_count_syscalls(1);
		ret = io_uring_enter(ring.ring_fd, to_submit, wait, flags, NULL);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -1 : 0;
}

/* Submit what was prepared; on an SQPOLL ring, enter only to wake its thread. */
static int submit(void)
{
	unsigned int n = flush_sq();

	if (!(ring.flags & IORING_SETUP_SQPOLL))
		return enter(n, 0, 0);
	/* The tail store before the flags load: the kernel's barrier pairs. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_NEED_WAKEUP)
		return enter(n, 0, IORING_ENTER_SQ_WAKEUP);
	return 0;
}

/* Submit and wait for @n completions in one enter on a plain ring. */
static int submit_and_wait(unsigned int n)
{
	unsigned int todo = flush_sq();

	if (ring.flags & IORING_SETUP_SQPOLL)
		return submit();
	return enter(todo, n, IORING_ENTER_GETEVENTS);
}

/*
 * Reap @n completions into @res (in user_data order), entering only to
 * wait, and then for all that are missing at once.
 */
static int reap(int *res, unsigned int n)
{
	struct io_uring_cqe *cqe;
	unsigned int got = 0;

	while (got < n) {
		if (io_uring_peek_cqe(&ring, &cqe) == 0) {
			if (cqe->user_data < n)
				res[cqe->user_data] = cqe->res;
			io_uring_cqe_seen(&ring, cqe);
			got++;
			continue;
		}
		if (enter(0, n - got, IORING_ENTER_GETEVENTS))
			return -1;
	}
	return 0;
}

static int attach(struct bench_link *link, enum bench_role role, unsigned int index,
		  struct bench_endpoint **ep, bool sqpoll)
{
	if (kipc_queue_attach(link, role, index, ep))
		return -1;
	if (ring_init(sqpoll)) {
		kipc_queue_detach(*ep);
		return -1;
	}
	return 0;
}

static int attach_plain(struct bench_link *link, enum bench_role role, unsigned int index,
			struct bench_endpoint **ep)
{
	return attach(link, role, index, ep, false);
}

static int attach_sqpoll(struct bench_link *link, enum bench_role role, unsigned int index,
			 struct bench_endpoint **ep)
{
	return attach(link, role, index, ep, true);
}

static void detach(struct bench_endpoint *ep)
{
	if (ring_up)
		io_uring_queue_exit(&ring);
	ring_up = false;
	kipc_queue_detach(ep);
}

static void msg_init(struct kipc_msg *m, const void *buf, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->size = sizeof(*m);
	m->buf = (uintptr_t)buf;
	m->len = len;
}

/* Fail with errno from a completion's res. */
static int res_error(const char *what, int res)
{
	errno = -res;
	bench_fail("%s: %s", what, strerror(-res));
	return -1;
}

static int uring_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
	struct kipc_msg m;
	int res = -EIO;

	msg_init(&m, buf, len);
	kipc_uring_prep_send(sqe, ep->out, &m);
	io_uring_sqe_set_data64(sqe, 0);
	if (submit_and_wait(1) || reap(&res, 1))
		return -1;
	return res < 0 ? res_error("send", res) : 0;
}

static int check_len(int res, size_t len)
{
	if (res < 0)
		return res_error("recv", res);
	if ((size_t)res != len) {
		bench_fail("a kipc receive through io_uring got %d bytes, expected %zu", res, len);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

static int uring_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
	struct kipc_msg m;
	int res = -EIO;

	msg_init(&m, buf, len);
	kipc_uring_prep_recv(sqe, ep->in, &m);
	io_uring_sqe_set_data64(sqe, 0);
	if (submit_and_wait(1) || reap(&res, 1))
		return -1;
	return check_len(res, len);
}

/* A send and the receive of the answer (or next request) in one submission. */
static int uring_send_recv(struct bench_endpoint *ep, const void *out, void *in, size_t len)
{
	struct io_uring_sqe *s = io_uring_get_sqe(&ring), *r = io_uring_get_sqe(&ring);
	struct kipc_msg sm, rm;
	int res[2] = { -EIO, -EIO };

	msg_init(&sm, out, len);
	msg_init(&rm, in, len);
	kipc_uring_prep_send(s, ep->out, &sm);
	io_uring_sqe_set_data64(s, 0);
	kipc_uring_prep_recv(r, ep->in, &rm);
	io_uring_sqe_set_data64(r, 1);
	if (submit_and_wait(2) || reap(res, 2))
		return -1;
	if (res[0] < 0)
		return res_error("send", res[0]);
	return check_len(res[1], len);
}

static int uring_send_batch(struct bench_endpoint *ep, const struct bench_msg *msgs,
			    unsigned int n)
{
	struct kipc_msg m[MAX_BATCH];
	int res[MAX_BATCH];
	unsigned int i;

	if (n > MAX_BATCH)
		n = MAX_BATCH;
	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

		msg_init(&m[i], msgs[i].buf, msgs[i].len);
		kipc_uring_prep_send(sqe, ep->out, &m[i]);
		io_uring_sqe_set_data64(sqe, i);
		if (i + 1 < n)
			io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK);
		res[i] = -EIO;
	}
	if (submit_and_wait(n) || reap(res, n))
		return -1;
	for (i = 0; i < n; i++)
		if (res[i] < 0)
			return res_error("send", res[i]);
	return 0;
}

static int uring_recv_batch(struct bench_endpoint *ep, struct bench_msg *msgs, unsigned int n)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
	struct kipc_mvec vec[MAX_BATCH];
	struct kipc_batch b;
	unsigned int i;
	int res = -EIO;

	if (n > MAX_BATCH)
		n = MAX_BATCH;
	for (i = 0; i < n; i++)
		vec[i] = (struct kipc_mvec){ (uintptr_t)msgs[i].buf, msgs[i].len, 0 };
	memset(&b, 0, sizeof(b));
	b.size = sizeof(b);
	b.vec = (uintptr_t)vec;
	b.count = n;
	kipc_uring_prep_recv_batch(sqe, ep->in, &b);
	io_uring_sqe_set_data64(sqe, 0);
	if (submit_and_wait(1) || reap(&res, 1))
		return -1;
	if (res < 0)
		return res_error("recv_batch", res);
	for (i = 0; i < (unsigned int)res; i++)
		if (vec[i].len != msgs[i].len) {
			bench_fail("batched receive got %u bytes, expected %zu",
				   vec[i].len, msgs[i].len);
			errno = EPROTO;
			return -1;
		}
	return res;
}

#define KIPC_URING_OPS(attach_fn)			\
	.unavailable = kipc_queue_unavailable,		\
	.max_msg_size = kipc_queue_max_msg_size,	\
	.setup = kipc_queue_setup,			\
	.teardown = kipc_queue_teardown,		\
	.attach = attach_fn,				\
	.detach = detach,				\
	.send = uring_send,				\
	.recv = uring_recv,				\
	.send_recv = uring_send_recv,			\
	.send_batch = uring_send_batch,			\
	.recv_batch = uring_recv_batch

const struct bench_mech bench_mech_kipc_uring = {
	.name = "kipc-uring",
	.title = "kipc queue io_uring",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER | BENCH_CAP_SYSCALLS,
	.how = "IORING_OP_URING_CMD queue commands: cfg->batch linked sends or one RECV_BATCH per io_uring_enter(); a round trip's send and receive in one",
	.textbook = KIPC_QUEUE_TEXTBOOK("fewer system calls than kipc-queue"),
	KIPC_URING_OPS(attach_plain),
};

const struct bench_mech bench_mech_kipc_uring_sqpoll = {
	.name = "kipc-uring-sqpoll",
	.title = "kipc queue io_uring SQPOLL",
	.kind = BENCH_KIND_MESSAGE,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER | BENCH_CAP_SYSCALLS,
	.how = "kipc-uring on an SQPOLL ring (sq_thread_idle 10 ms): io_uring_enter() only to wake the SQ thread or to wait for a completion not yet posted",
	.textbook = KIPC_QUEUE_TEXTBOOK("no system call per message while the SQ thread runs"),
	KIPC_URING_OPS(attach_sqpoll),
};
