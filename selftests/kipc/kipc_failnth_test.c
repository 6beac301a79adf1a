// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: a systematic /proc/thread-self/fail-nth sweep of every
 * /dev/kipc entry point but the shared buffer's (kipc_shbuf_failnth_test.c)
 * and the netlink family's (kipc_netlink_failnth_test.c): open, close, the
 * calls on an unbound file, the queue open ioctl (anonymous, named, opening
 * an existing name), unlink, and on a bound queue write, read, poll, epoll,
 * stats and every message ioctl (send and receive, plain and with a
 * deadline, batched, send-and-receive).
 *
 * The sweep itself is failnth.h's: for N = 1, 2, ... fail the Nth fault
 * site of the call until it runs untouched; every injected failure must
 * give a clean errno (or be absorbed by a fallback) and leave no
 * descriptor and no module reference behind. Each queue call runs on a new
 * queue with known messages queued (prepare, outside the injection
 * window); after it the queue is drained and compared with what the call
 * says it did: a failed send queued nothing and lost nothing, a failed
 * receive took nothing, a partial batch moved exactly the messages it
 * counts, intact and in order. Queues of 8 KiB messages allocate every
 * message buffer (only smaller ones are recycled) and 300-byte payloads go
 * through copy_{from,to}_user() (smaller ones are copied word by word,
 * which fail-nth cannot fail), so allocation and copy faults both land.
 *
 * Kernels without CONFIG_FAULT_INJECTION (Debian's) have no fail-nth file:
 * every case is skipped there.
 *
 * Adding an entry point is one line: SWEEP_IOCTL() for an ioctl of an
 * unbound file, SWEEP_QUEUE() with a call for a bound queue, or SWEEP()
 * with a struct failnth_op's hooks for anything else.
 */
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/kipc.h>

#include "failnth.h"
#include "kipc_test.h"

#define Q_MSGSIZE	8192	/* above KIPC_CACHED_MSGSIZE: no recycling */
#define Q_MAXMSG	8
#define Q_LEN		300	/* above KIPC_SMALL_COPY: copy_*_user() */
#define Q_SMALL_LEN	40
#define MAX_MSGS	16

/* A message as the test knows it: its bytes are a function of its tag. */
struct tmsg {
	__u32 len;
	__u32 prio;
	__u32 tag;
};

struct failnth_ctx {
	int fd;			/* an unbound kipc file, open for the whole sweep */
	int victim;		/* a file opened per call, for close */
	void *map;		/* what a successful mmap returned */
	unsigned char buf[4096];

	/* Per queue call: the queue, its peer for sendrecv, an epoll file. */
	int q, q2, epfd;
	struct tmsg queued[MAX_MSGS];	/* what q holds before the call, in order */
	unsigned int nqueued;
	struct tmsg queued2[MAX_MSGS];	/* and q2 */
	unsigned int nqueued2;
	struct tmsg out[4];		/* what the call sends */
	unsigned int nout;
	__s64 soon, later;		/* deadlines: 20 ms and 1 s after prepare */
	struct kipc_mvec vec[4];
	struct kipc_sendrecv sr;
	unsigned char data[4][Q_MSGSIZE];	/* payloads and receive buffers */
	unsigned int tag;
};

/* ------------------------------------------------------------------ */
/* The device: open, close and the calls of an unbound file. */

static int open_kipc(void)
{
	return open(KIPC_DEVICE_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

static long call_open(struct failnth_ctx *c)
{
	(void)c;
	return open_kipc();
}

static void undo_close(struct failnth_ctx *c, long ret)
{
	(void)c;
	close(ret);
}

static int prepare_victim(struct failnth_ctx *c)
{
	c->victim = open_kipc();
	return c->victim < 0 ? -1 : 0;
}

static long call_close(struct failnth_ctx *c)
{
	return close(c->victim);
}

/*
 * An ioctl of an unbound file: a zeroed argument of the command's size
 * whose leading __u32 is the size, as extensible kipc structs expect.
 */
static long unbound_ioctl(struct failnth_ctx *c, unsigned long cmd, __u32 size)
{
	memset(c->buf, 0, sizeof(c->buf));
	if (size >= sizeof(size))
		memcpy(c->buf, &size, sizeof(size));
	return ioctl(c->fd, cmd, c->buf);
}

static long call_read(struct failnth_ctx *c)
{
	return read(c->fd, c->buf, sizeof(c->buf));
}

static long call_write(struct failnth_ctx *c)
{
	memset(c->buf, 'k', 64);
	return write(c->fd, c->buf, 64);
}

static long call_poll(struct failnth_ctx *c)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN | POLLOUT };

	return poll(&pfd, 1, 0);
}

static long call_mmap(struct failnth_ctx *c)
{
	c->map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	return c->map == MAP_FAILED ? -1 : 0;
}

static void undo_munmap(struct failnth_ctx *c, long ret)
{
	(void)ret;
	munmap(c->map, 4096);
}

/* ------------------------------------------------------------------ */
/* Opening and unlinking queues. */

#define NAME_NEW	"fn-q-new"
#define NAME_EXISTING	"fn-q-existing"
#define NAME_UNLINK	"fn-q-unlink"

/* Is @name a queue of this namespace? 1, 0, or -1 if the lookup failed. */
static int queue_exists(const char *name)
{
	int fd = kt_queue(name, O_RDWR, 0, 0, 0, 0);

	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return fd == -ENOENT ? 0 : -1;
}

/* The file of the call, unbound; the open ioctl binds it. */
static int prepare_unbound(struct failnth_ctx *c)
{
	c->q = open(KIPC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	return c->q < 0 ? -1 : 0;
}

static void cleanup_q(struct failnth_ctx *c)
{
	if (c->q >= 0)
		close(c->q);
	if (c->q2 >= 0)
		close(c->q2);
	if (c->epfd >= 0)
		close(c->epfd);
	c->q = c->q2 = c->epfd = -1;
}

static long queue_open(struct failnth_ctx *c, const char *name, __u32 flags)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = flags,
		.mode = 0600,
		.maxmsg = Q_MAXMSG,
		.msgsize = Q_MSGSIZE,
	};

	if (name)
		strcpy(qo.name, name);
	return ioctl(c->q, KIPC_IOC_QUEUE_OPEN, &qo);
}

static long call_queue_anon(struct failnth_ctx *c)
{
	return queue_open(c, NULL, KIPC_OPEN_ANON);
}

static long call_queue_create(struct failnth_ctx *c)
{
	return queue_open(c, NAME_NEW, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL);
}

static long call_queue_existing(struct failnth_ctx *c)
{
	return queue_open(c, NAME_EXISTING, KIPC_OPEN_CREATE);
}

/* After an open ioctl: bound to a working queue, or still unbound. */
static int check_bound(struct failnth_ctx *c, long ret, int err, char *why)
{
	struct kipc_stats st;
	int r = kt_stats(c->q, &st), e;

	(void)err;
	if (ret >= 0 && (r || st.type != KIPC_TYPE_QUEUE)) {
		snprintf(why, FAILNTH_WHY, "bound file has no queue: stats %d type %u", r, st.type);
		return -1;
	}
	if (ret < 0) {
		if (r != -EBADFD) {
			snprintf(why, FAILNTH_WHY, "a failed open left the file bound (stats %d)", r);
			return -1;
		}
		/* ... and bindable. */
		e = kt_queue_ioctl(c->q, NULL, KIPC_OPEN_ANON, 0600, 1, 16);
		if (e) {
			snprintf(why, FAILNTH_WHY, "a failed open left the file unbindable: %s",
				 strerror(-e));
			return -1;
		}
	}
	return 0;
}

/* The name exists after a success and not after a failure. */
static int check_new(struct failnth_ctx *c, long ret, int err, char *why)
{
	int e = queue_exists(NAME_NEW);

	if (check_bound(c, ret, err, why))
		return -1;
	if (e != (ret >= 0)) {
		snprintf(why, FAILNTH_WHY, "%s: exists %d after %s", NAME_NEW, e,
			 ret >= 0 ? "success" : "failure");
		return -1;
	}
	return 0;
}

static void undo_new(struct failnth_ctx *c, long ret)
{
	(void)c; (void)ret;
	kt_unlink(NAME_NEW);
}

static int prepare_unlink(struct failnth_ctx *c)
{
	int fd = kt_create(NAME_UNLINK, 2, 16);

	(void)c;
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static long call_unlink(struct failnth_ctx *c)
{
	struct kipc_unlink ul = { .size = sizeof(ul), .name = NAME_UNLINK };

	return ioctl(c->fd, KIPC_IOC_UNLINK, &ul);
}

static int check_unlink(struct failnth_ctx *c, long ret, int err, char *why)
{
	int e = queue_exists(NAME_UNLINK);

	(void)c; (void)err;
	if (e != (ret < 0)) {
		snprintf(why, FAILNTH_WHY, "%s: exists %d after %s", NAME_UNLINK, e,
			 ret >= 0 ? "success" : "failure");
		return -1;
	}
	return 0;
}

static void cleanup_unlink(struct failnth_ctx *c)
{
	(void)c;
	kt_unlink(NAME_UNLINK);
}

/* ------------------------------------------------------------------ */
/* Calls on a bound queue. */

static void tmsg_fill(unsigned char *p, const struct tmsg *m)
{
	for (__u32 i = 0; i < m->len; i++)
		p[i] = (unsigned char)(m->tag * 131 + i * 7 + (i >> 8));
}

static bool tmsg_same(const unsigned char *p, __u32 len, __u32 prio, const struct tmsg *m)
{
	unsigned char want[Q_MSGSIZE];

	if (len != m->len || prio != m->prio)
		return false;
	tmsg_fill(want, m);
	return !memcmp(p, want, len);
}

/* Queue @m on @fd and remember it in @list. */
static int preload(struct failnth_ctx *c, int fd, struct tmsg *list, unsigned int *n,
		   __u32 len, __u32 prio)
{
	unsigned char p[Q_MSGSIZE];
	struct tmsg m = { .len = len, .prio = prio, .tag = ++c->tag };

	tmsg_fill(p, &m);
	if (kt_send(fd, p, len, prio, KIPC_MSG_NONBLOCK, 0))
		return -1;
	list[(*n)++] = m;
	return 0;
}

/* A message the call will send, its payload in c->data[i]. */
static void outgoing(struct failnth_ctx *c, __u32 len, __u32 prio)
{
	struct tmsg *m = &c->out[c->nout];

	*m = (struct tmsg){ .len = len, .prio = prio, .tag = ++c->tag };
	tmsg_fill(c->data[c->nout], m);
	c->nout++;
}

/* A new queue (and its peer), empty. */
static int prepare_queue(struct failnth_ctx *c)
{
	c->q = kt_anon(O_RDWR | O_NONBLOCK, Q_MAXMSG, Q_MSGSIZE);
	c->q2 = kt_anon(O_RDWR | O_NONBLOCK, Q_MAXMSG, Q_MSGSIZE);
	c->epfd = -1;
	c->nqueued = c->nqueued2 = c->nout = 0;
	/*
	 * Deadlines are read here, outside the injection window: under TCG
	 * clock_gettime() is a real system call whose copy-out fail-nth fails.
	 */
	c->soon = kt_now_ns() + 20000000;
	c->later = kt_now_ns() + 1000000000;
	memset(c->vec, 0, sizeof(c->vec));
	return c->q < 0 || c->q2 < 0 ? -1 : 0;
}

/* Where the queue's receiver takes from: highest priority, then FIFO. */
static void sort_by_delivery(struct tmsg *list, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j > 0 && list[j].prio > list[j - 1].prio; j--) {
			struct tmsg t = list[j];

			list[j] = list[j - 1];
			list[j - 1] = t;
		}
}

/* Drain @fd and compare with @list (in delivery order). */
static int drain_same(int fd, struct tmsg *list, unsigned int n, const char *what, char *why)
{
	unsigned char p[Q_MSGSIZE];
	struct kipc_stats st;
	unsigned int i;
	__u32 prio = 0;
	int len;

	if (kt_stats(fd, &st) || st.curmsgs != n) {
		snprintf(why, FAILNTH_WHY, "%s holds %u messages, expected %u", what,
			 st.curmsgs, n);
		return -1;
	}
	sort_by_delivery(list, n);
	for (i = 0; i < n; i++) {
		len = kt_recv(fd, p, sizeof(p), &prio, KIPC_MSG_NONBLOCK, 0);
		if (len < 0 || !tmsg_same(p, len, prio, &list[i])) {
			snprintf(why, FAILNTH_WHY,
				 "%s message %u: got %d bytes prio %u, expected %u bytes prio %u tag %u",
				 what, i, len, prio, list[i].len, list[i].prio, list[i].tag);
			return -1;
		}
	}
	return 0;
}

/*
 * The queue after the call: the messages it held before, minus the first
 * @took (in delivery order), plus the first @sent the call sent; received
 * messages (c->vec, or c->data for a single one) must be the ones taken.
 */
static int check_queue(struct failnth_ctx *c, unsigned int took, unsigned int sent, char *why)
{
	struct tmsg want[MAX_MSGS];
	unsigned int i, n = 0;

	sort_by_delivery(c->queued, c->nqueued);
	for (i = 0; i < took; i++) {
		if (!tmsg_same(c->data[i], c->vec[i].len, c->vec[i].prio, &c->queued[i])) {
			snprintf(why, FAILNTH_WHY,
				 "received message %u: %u bytes prio %u, expected %u bytes prio %u",
				 i, c->vec[i].len, c->vec[i].prio, c->queued[i].len,
				 c->queued[i].prio);
			return -1;
		}
	}
	for (i = took; i < c->nqueued; i++)
		want[n++] = c->queued[i];
	for (i = 0; i < sent; i++)
		want[n++] = c->out[i];
	return drain_same(c->q, want, n, "the queue", why);
}

/* Sends: one message on a queue holding two; a failure queued nothing. */
static int prepare_send(struct failnth_ctx *c)
{
	if (prepare_queue(c) || preload(c, c->q, c->queued, &c->nqueued, Q_LEN, 0) ||
	    preload(c, c->q, c->queued, &c->nqueued, Q_LEN, 3))
		return -1;
	outgoing(c, Q_LEN, 2);
	return 0;
}

static int prepare_send_small(struct failnth_ctx *c)
{
	if (prepare_queue(c) || preload(c, c->q, c->queued, &c->nqueued, Q_SMALL_LEN, 1))
		return -1;
	outgoing(c, Q_SMALL_LEN, 0);
	return 0;
}

/* A full queue: a timed send gives up with ETIMEDOUT. */
static int prepare_send_full(struct failnth_ctx *c)
{
	if (prepare_queue(c))
		return -1;
	while (c->nqueued < Q_MAXMSG)
		if (preload(c, c->q, c->queued, &c->nqueued, Q_LEN, c->nqueued % 3))
			return -1;
	outgoing(c, Q_LEN, 1);
	return 0;
}

static int check_send(struct failnth_ctx *c, long ret, int err, char *why)
{
	(void)err;
	return check_queue(c, 0, ret >= 0 ? c->nout : 0, why);
}

static long call_write_q(struct failnth_ctx *c)
{
	c->out[0].prio = 0;	/* write() sends at priority 0 */
	return write(c->q, c->data[0], c->out[0].len);
}

static long send_ioctl(struct failnth_ctx *c, __u32 flags, __s64 deadline)
{
	struct kipc_msg m = {
		.size = sizeof(m),
		.flags = flags,
		.buf = (uintptr_t)c->data[0],
		.len = c->out[0].len,
		.prio = c->out[0].prio,
		.deadline_ns = deadline,
	};

	return ioctl(c->q, KIPC_IOC_SEND, &m);
}

static long call_send(struct failnth_ctx *c)
{
	return send_ioctl(c, KIPC_MSG_NONBLOCK, 0);
}

/* Blocking, with a deadline a second ahead (the queue has room). */
static long call_send_timed(struct failnth_ctx *c)
{
	struct kipc_msg m = {
		.size = sizeof(m),
		.flags = KIPC_MSG_DEADLINE,
		.buf = (uintptr_t)c->data[0],
		.len = c->out[0].len,
		.prio = c->out[0].prio,
		.deadline_ns = c->later,
	};

	fcntl(c->q, F_SETFL, 0);
	return ioctl(c->q, KIPC_IOC_SEND, &m);
}

/* Blocking on a full queue until a deadline 20 ms ahead. */
static long call_send_timed_full(struct failnth_ctx *c)
{
	fcntl(c->q, F_SETFL, 0);
	return send_ioctl(c, KIPC_MSG_DEADLINE, c->soon);
}

/* Receives: from a queue holding three of two priorities. */
static int prepare_recv(struct failnth_ctx *c)
{
	if (prepare_queue(c) || preload(c, c->q, c->queued, &c->nqueued, Q_LEN, 0) ||
	    preload(c, c->q, c->queued, &c->nqueued, Q_LEN + 8, 4) ||
	    preload(c, c->q, c->queued, &c->nqueued, Q_LEN + 16, 0))
		return -1;
	for (unsigned int i = 0; i < 4; i++)
		c->vec[i] = (struct kipc_mvec){ .buf = (uintptr_t)c->data[i],
						.len = Q_MSGSIZE, .prio = 99 };
	return 0;
}

static int prepare_recv_small(struct failnth_ctx *c)
{
	if (prepare_queue(c) || preload(c, c->q, c->queued, &c->nqueued, Q_SMALL_LEN, 0))
		return -1;
	c->vec[0] = (struct kipc_mvec){ .buf = (uintptr_t)c->data[0], .len = Q_MSGSIZE };
	return 0;
}

static int prepare_empty(struct failnth_ctx *c)
{
	if (prepare_queue(c))
		return -1;
	c->vec[0] = (struct kipc_mvec){ .buf = (uintptr_t)c->data[0], .len = Q_MSGSIZE };
	return 0;
}

static int check_recv(struct failnth_ctx *c, long ret, int err, char *why)
{
	(void)err;
	if (ret >= 0 && (long)c->vec[0].len != ret) {
		snprintf(why, FAILNTH_WHY, "received %ld bytes, the message has %u", ret,
			 c->vec[0].len);
		return -1;
	}
	return check_queue(c, ret >= 0, 0, why);
}

static long call_read_q(struct failnth_ctx *c)
{
	long ret = read(c->q, c->data[0], Q_MSGSIZE);

	if (ret >= 0) {
		/* read() does not say the priority: take the expected one. */
		sort_by_delivery(c->queued, c->nqueued);
		c->vec[0].len = ret;
		c->vec[0].prio = c->queued[0].prio;
	}
	return ret;
}

static long recv_ioctl(struct failnth_ctx *c, __u32 flags, __s64 deadline)
{
	struct kipc_msg m = {
		.size = sizeof(m),
		.flags = flags,
		.buf = (uintptr_t)c->data[0],
		.len = Q_MSGSIZE,
		.prio = 99,
		.deadline_ns = deadline,
	};
	long ret = ioctl(c->q, KIPC_IOC_RECV, &m);

	if (ret >= 0) {
		c->vec[0].len = ret;
		c->vec[0].prio = m.prio;
	}
	return ret;
}

static long call_recv(struct failnth_ctx *c)
{
	return recv_ioctl(c, KIPC_MSG_NONBLOCK, 0);
}

static long call_recv_timed(struct failnth_ctx *c)
{
	fcntl(c->q, F_SETFL, 0);
	return recv_ioctl(c, KIPC_MSG_DEADLINE, c->later);
}

static long call_recv_timed_empty(struct failnth_ctx *c)
{
	fcntl(c->q, F_SETFL, 0);
	return recv_ioctl(c, KIPC_MSG_DEADLINE, c->soon);
}

/* Batches: three messages each way; a fault on a later one ends it early. */
static int prepare_send_batch(struct failnth_ctx *c)
{
	if (prepare_queue(c) || preload(c, c->q, c->queued, &c->nqueued, Q_LEN, 1))
		return -1;
	outgoing(c, Q_LEN, 0);
	outgoing(c, Q_LEN + 8, 2);
	outgoing(c, Q_LEN + 16, 0);
	for (unsigned int i = 0; i < c->nout; i++)
		c->vec[i] = (struct kipc_mvec){ .buf = (uintptr_t)c->data[i],
						.len = c->out[i].len, .prio = c->out[i].prio };
	return 0;
}

static long batch_ioctl(struct failnth_ctx *c, unsigned long cmd, __u32 count)
{
	struct kipc_batch b = {
		.size = sizeof(b),
		.flags = KIPC_MSG_NONBLOCK,
		.vec = (uintptr_t)c->vec,
		.count = count,
	};

	return ioctl(c->q, cmd, &b);
}

static long call_send_batch(struct failnth_ctx *c)
{
	return batch_ioctl(c, KIPC_IOC_SEND_BATCH, c->nout);
}

static int check_send_batch(struct failnth_ctx *c, long ret, int err, char *why)
{
	(void)err;
	if (ret > (long)c->nout) {
		snprintf(why, FAILNTH_WHY, "sent %ld of %u", ret, c->nout);
		return -1;
	}
	return check_queue(c, 0, ret >= 0 ? ret : 0, why);
}

static int prepare_recv_batch(struct failnth_ctx *c)
{
	if (prepare_recv(c) || preload(c, c->q, c->queued, &c->nqueued, Q_LEN + 24, 2))
		return -1;
	return 0;
}

static long call_recv_batch(struct failnth_ctx *c)
{
	return batch_ioctl(c, KIPC_IOC_RECV_BATCH, 3);
}

static int check_recv_batch(struct failnth_ctx *c, long ret, int err, char *why)
{
	(void)err;
	if (ret > 3) {
		snprintf(why, FAILNTH_WHY, "received %ld of 3", ret);
		return -1;
	}
	return check_queue(c, ret >= 0 ? ret : 0, 0, why);
}

/* Send-and-receive: a request on q, the reply waiting on q2. */
static int prepare_sendrecv(struct failnth_ctx *c)
{
	if (prepare_queue(c) || preload(c, c->q, c->queued, &c->nqueued, Q_LEN, 0) ||
	    preload(c, c->q2, c->queued2, &c->nqueued2, Q_LEN + 8, 1) ||
	    preload(c, c->q2, c->queued2, &c->nqueued2, Q_LEN + 16, 0))
		return -1;
	outgoing(c, Q_LEN, 3);
	c->sr = (struct kipc_sendrecv){
		.size = sizeof(c->sr),
		.flags = KIPC_MSG_NONBLOCK,
		.recv_fd = c->q2,
		.send_buf = (uintptr_t)c->data[0],
		.send_len = c->out[0].len,
		.send_prio = c->out[0].prio,
		.recv_buf = (uintptr_t)c->data[1],
		.recv_len = Q_MSGSIZE,
		.recv_prio = 99,
	};
	return 0;
}

static long call_sendrecv(struct failnth_ctx *c)
{
	return ioctl(c->q, KIPC_IOC_SENDRECV, &c->sr);
}

/*
 * Success: the request queued, the first reply received. Failure: with
 * KIPC_SENDRECV_SENT the request is queued and no reply was taken; without
 * it, nothing happened.
 */
static int check_sendrecv(struct failnth_ctx *c, long ret, int err, char *why)
{
	bool sent = ret >= 0 || (c->sr.result & KIPC_SENDRECV_SENT);
	unsigned int took = ret >= 0;
	struct tmsg want[MAX_MSGS];
	unsigned int i, n = 0;

	(void)err;
	if (ret >= 0 && !(c->sr.result & KIPC_SENDRECV_SENT)) {
		snprintf(why, FAILNTH_WHY, "success without KIPC_SENDRECV_SENT");
		return -1;
	}
	sort_by_delivery(c->queued2, c->nqueued2);
	if (took && ((long)c->sr.recv_len != ret ||
		     !tmsg_same(c->data[1], c->sr.recv_len, c->sr.recv_prio, &c->queued2[0]))) {
		snprintf(why, FAILNTH_WHY, "the reply received is not the one queued");
		return -1;
	}
	for (i = took; i < c->nqueued2; i++)
		want[n++] = c->queued2[i];
	if (drain_same(c->q2, want, n, "the reply queue", why))
		return -1;
	return check_queue(c, 0, sent, why);
}

/* Stats, poll and epoll of a queue holding a message: nothing changes. */
static int prepare_one(struct failnth_ctx *c)
{
	return prepare_queue(c) || preload(c, c->q, c->queued, &c->nqueued, Q_LEN, 1) ? -1 : 0;
}

static int check_unchanged(struct failnth_ctx *c, long ret, int err, char *why)
{
	(void)ret; (void)err;
	return check_queue(c, 0, 0, why);
}

static long call_stats_q(struct failnth_ctx *c)
{
	struct kipc_stats st = { .size = sizeof(st) };
	long ret = ioctl(c->q, KIPC_IOC_STATS, &st);

	if (ret == 0 && (st.type != KIPC_TYPE_QUEUE || st.curmsgs != c->nqueued ||
			 st.maxmsg != Q_MAXMSG || st.msgsize != Q_MSGSIZE)) {
		errno = EPROTO;		/* not an errno the sweep accepts */
		return -1;
	}
	return ret;
}

static long call_poll_q(struct failnth_ctx *c)
{
	struct pollfd pfd = { .fd = c->q, .events = POLLIN | POLLOUT };
	long ret = poll(&pfd, 1, 0);

	if (ret == 1 && pfd.revents != (POLLIN | POLLOUT)) {
		errno = EPROTO;
		return -1;
	}
	return ret;
}

static int prepare_epoll(struct failnth_ctx *c)
{
	if (prepare_one(c))
		return -1;
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	return c->epfd < 0 ? -1 : 0;
}

static long call_epoll_add(struct failnth_ctx *c)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };

	return epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->q, &ev);
}

/* Registered: epoll reports the queue ready; not registered: not at all. */
static int check_epoll(struct failnth_ctx *c, long ret, int err, char *why)
{
	struct epoll_event ev;
	int n = epoll_wait(c->epfd, &ev, 1, 0);

	if (n != (ret >= 0) || (n == 1 && ev.events != (EPOLLIN | EPOLLOUT))) {
		snprintf(why, FAILNTH_WHY, "epoll_wait gave %d (events %#x)", n,
			 n == 1 ? ev.events : 0);
		return -1;
	}
	return check_unchanged(c, ret, err, why);
}

/* ------------------------------------------------------------------ */

#define SWEEP(name, ...)						\
	FIXTURE_VARIANT_ADD(failnth, name) {				\
		.op = &(const struct failnth_op){ __VA_ARGS__ },	\
	}

#define SWEEP_IOCTL(name, ioc, type)					\
	static long call_##name(struct failnth_ctx *c)			\
	{								\
		return unbound_ioctl(c, (ioc), sizeof(type));		\
	}								\
	SWEEP(name, .call = call_##name)

/* A call on a new queue, checked against what it says it did. */
#define SWEEP_QUEUE(name, ...)						\
	SWEEP(name, .cleanup = cleanup_q, .must_succeed = true, __VA_ARGS__)

FIXTURE(failnth) {
	struct failnth_state st;
	struct failnth_ctx c;
};

FIXTURE_VARIANT(failnth) {
	const struct failnth_op *op;
};

/* The device, and the calls of an unbound file. */
SWEEP(open, .call = call_open, .undo = undo_close, .errnos = { ENFILE, EMFILE });
SWEEP(close, .prepare = prepare_victim, .call = call_close, .never_fails = true);
SWEEP(read, .call = call_read, .errnos = { EAGAIN });
SWEEP(write, .call = call_write, .errnos = { EAGAIN });
SWEEP(poll, .call = call_poll);
SWEEP(mmap, .call = call_mmap, .undo = undo_munmap, .errnos = { EAGAIN });
/* One line per ioctl of <linux/kipc.h> that an unbound file answers. */
SWEEP_IOCTL(ioctl_version, KIPC_IOC_VERSION, struct kipc_version);
SWEEP_IOCTL(ioctl_stats_unbound, KIPC_IOC_STATS, struct kipc_stats);

/* Opening and unlinking queues. */
SWEEP_QUEUE(queue_open_anon, .prepare = prepare_unbound, .call = call_queue_anon,
	    .check = check_bound);
SWEEP_QUEUE(queue_create_named, .prepare = prepare_unbound, .call = call_queue_create,
	    .check = check_new, .undo = undo_new);
SWEEP_QUEUE(queue_open_existing, .prepare = prepare_unbound, .call = call_queue_existing,
	    .check = check_bound);
SWEEP(ioctl_unlink, .prepare = prepare_unlink, .call = call_unlink, .check = check_unlink,
      .cleanup = cleanup_unlink, .must_succeed = true);

/* A bound queue: every message call, and the calls that only look. */
SWEEP_QUEUE(queue_write, .prepare = prepare_send, .call = call_write_q, .check = check_send,
	    .same_ret = true);
SWEEP_QUEUE(queue_write_small, .prepare = prepare_send_small, .call = call_write_q,
	    .check = check_send, .same_ret = true);
SWEEP_QUEUE(queue_read, .prepare = prepare_recv, .call = call_read_q, .check = check_recv,
	    .same_ret = true);
SWEEP_QUEUE(queue_read_small, .prepare = prepare_recv_small, .call = call_read_q,
	    .check = check_recv, .same_ret = true);
SWEEP_QUEUE(queue_send, .prepare = prepare_send, .call = call_send, .check = check_send);
SWEEP_QUEUE(queue_send_timed, .prepare = prepare_send, .call = call_send_timed,
	    .check = check_send);
SWEEP_QUEUE(queue_recv, .prepare = prepare_recv, .call = call_recv, .check = check_recv,
	    .same_ret = true);
SWEEP_QUEUE(queue_recv_timed, .prepare = prepare_recv, .call = call_recv_timed,
	    .check = check_recv, .same_ret = true);
SWEEP_QUEUE(queue_send_batch, .prepare = prepare_send_batch, .call = call_send_batch,
	    .check = check_send_batch, .same_ret = true);
SWEEP_QUEUE(queue_recv_batch, .prepare = prepare_recv_batch, .call = call_recv_batch,
	    .check = check_recv_batch, .same_ret = true);
SWEEP_QUEUE(queue_sendrecv, .prepare = prepare_sendrecv, .call = call_sendrecv,
	    .check = check_sendrecv, .same_ret = true);
SWEEP_QUEUE(queue_stats, .prepare = prepare_one, .call = call_stats_q,
	    .check = check_unchanged);
SWEEP_QUEUE(queue_poll, .prepare = prepare_one, .call = call_poll_q, .check = check_unchanged,
	    .same_ret = true);
SWEEP_QUEUE(queue_epoll_add, .prepare = prepare_epoll, .call = call_epoll_add,
	    .check = check_epoll, .errnos = { ENOSPC });
/* Calls that fail anyway: a full queue, an empty one, until a deadline. */
SWEEP(queue_send_timed_full, .prepare = prepare_send_full, .call = call_send_timed_full,
      .check = check_send, .cleanup = cleanup_q);
SWEEP(queue_recv_timed_empty, .prepare = prepare_empty, .call = call_recv_timed_empty,
      .check = check_recv, .cleanup = cleanup_q);

FIXTURE_SETUP(failnth)
{
	int fd;

	self->c.fd = self->c.q = self->c.q2 = self->c.epfd = -1;
	failnth_knobs_set(_metadata, &self->st);
	if (self->st.skip)
		return;
	self->c.fd = open_kipc();
	ASSERT_LE(0, self->c.fd);
	kt_unlink(NAME_NEW);
	kt_unlink(NAME_UNLINK);
	kt_unlink(NAME_EXISTING);
	fd = kt_create(NAME_EXISTING, Q_MAXMSG, Q_MSGSIZE);
	ASSERT_LE(0, fd);
	close(fd);
}

FIXTURE_TEARDOWN(failnth)
{
	if (self->st.skip)
		return;
	cleanup_q(&self->c);
	if (self->c.fd >= 0)
		close(self->c.fd);
	kt_unlink(NAME_EXISTING);
	failnth_knobs_restore(&self->st);
}

FAILNTH_SWEEP_TEST()

TEST_HARNESS_MAIN
