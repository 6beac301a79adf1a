// SPDX-License-Identifier: GPL-2.0
/*
 * Broadcast queues (KIPC_QUEUE_BROADCAST, KIPC_QUEUE_DROP_OLDEST): every
 * subscriber gets every message sent after it subscribed, in order; the
 * slowest subscriber paces the senders, or loses its oldest messages with
 * DROP_OLDEST; per-subscriber poll, stats and netlink; what is refused.
 */
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kipc_test.h"
#include "kipc_nl.h"

#define BC	KIPC_QUEUE_BROADCAST
#define DROP	KIPC_QUEUE_DROP_OLDEST

/* An address no process maps; volatile so the compiler cannot see through. */
static void *volatile bad_ptr = (void *)8;

/* KIPC_IOC_QUEUE_OPEN with @options on a new descriptor, or -errno. */
static int kb_open(const char *name, int oflag, __u32 flags, __u32 maxmsg,
		   __u32 msgsize, __u32 options)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = flags,
		.mode = 0666,
		.maxmsg = maxmsg,
		.msgsize = msgsize,
		.options = options,
	};
	int fd = kt_open_dev(oflag);

	if (fd < 0)
		return fd;
	if (name)
		strncpy(qo.name, name, sizeof(qo.name) - 1);
	if (ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* A new anonymous broadcast queue has no name to open again: use a name. */
static int kb_named(const char *name, int oflag, __u32 maxmsg, __u32 options)
{
	kt_unlink(name);
	return kb_open(name, oflag, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, maxmsg,
		       64, options);
}

static int kb_sub(const char *name, int oflag)
{
	return kb_open(name, oflag, 0, 0, 0, 0);
}

/* Read one message without blocking and check its text and priority. */
static int recv_is(int fd, const char *text, __u32 prio)
{
	char buf[64];
	__u32 p = ~0u;
	int n = kt_recv(fd, buf, sizeof(buf), &p, KIPC_MSG_NONBLOCK, 0);

	if (n != (int)strlen(text))
		return n < 0 ? n : -1000 - n;
	if (memcmp(buf, text, n) || p != prio)
		return -2000;
	return 0;
}

TEST(every_subscriber_gets_every_message_in_order)
{
	static const char *const text[] = { "a", "bb", "ccc", "", "eeeee" };
	int w, s[3], i, j;

	w = kb_named("kb_every", O_WRONLY, 8, BC);
	ASSERT_LE(0, w);
	for (j = 0; j < 3; j++) {
		s[j] = kb_sub("kb_every", O_RDONLY);
		ASSERT_LE(0, s[j]);
	}
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, kt_send(w, text[i], strlen(text[i]), 100 - i * 7, 0, 0));
	for (j = 0; j < 3; j++) {
		for (i = 0; i < 5; i++)
			EXPECT_EQ(0, recv_is(s[j], text[i], 100 - i * 7));
		/* Priorities are carried, not ordered; nothing more is there. */
		EXPECT_EQ(-EAGAIN, recv_is(s[j], "", 0));
	}
	for (j = 0; j < 3; j++)
		close(s[j]);
	close(w);
	kt_unlink("kb_every");
}

TEST(late_subscriber_sees_only_later_messages)
{
	int w, a, b;

	w = kb_named("kb_late", O_WRONLY, 8, BC);
	ASSERT_LE(0, w);
	a = kb_sub("kb_late", O_RDONLY);
	ASSERT_LE(0, a);
	ASSERT_EQ(0, kt_send(w, "early", 5, 0, 0, 0));
	b = kb_sub("kb_late", O_RDONLY);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, kt_send(w, "late", 4, 0, 0, 0));
	EXPECT_EQ(0, recv_is(a, "early", 0));
	EXPECT_EQ(0, recv_is(a, "late", 0));
	EXPECT_EQ(0, recv_is(b, "late", 0));
	EXPECT_EQ(-EAGAIN, recv_is(b, "", 0));
	close(a);
	close(b);
	close(w);
	kt_unlink("kb_late");
}

TEST(write_only_file_is_not_a_subscriber)
{
	struct kipc_stats st;
	char buf[8];
	int w, r;

	w = kb_named("kb_wo", O_WRONLY, 4, BC);
	ASSERT_LE(0, w);
	ASSERT_EQ(0, kt_stats(w, &st));
	EXPECT_EQ(0, st.subscribers);
	EXPECT_EQ(KIPC_TYPE_QUEUE, st.type);
	EXPECT_EQ(BC, st.options);
	/* No one to reach: the sends succeed, and nothing is held. */
	for (int i = 0; i < 10; i++)
		ASSERT_EQ(0, kt_send(w, "x", 1, 0, KIPC_MSG_NONBLOCK, 0));
	ASSERT_EQ(0, kt_stats(w, &st));
	EXPECT_EQ(10, st.sent);
	EXPECT_EQ(0, st.curmsgs);
	EXPECT_EQ(-1, read(w, buf, sizeof(buf)));
	EXPECT_EQ(EBADF, errno);
	r = kb_sub("kb_wo", O_RDWR);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, kt_stats(w, &st));
	EXPECT_EQ(1, st.subscribers);
	/* The one before it subscribed does not reach it. */
	EXPECT_EQ(-EAGAIN, recv_is(r, "", 0));
	ASSERT_EQ(1, write(r, "y", 1));
	EXPECT_EQ(0, recv_is(r, "y", 0));
	close(r);
	ASSERT_EQ(0, kt_stats(w, &st));
	EXPECT_EQ(0, st.subscribers);
	close(w);
	kt_unlink("kb_wo");
}

TEST(slowest_subscriber_paces_the_sender)
{
	struct kipc_stats st;
	int w, fast, slow, i;
	pid_t pid;
	__s64 t0;

	w = kb_named("kb_pace", O_WRONLY, 4, BC);
	ASSERT_LE(0, w);
	fast = kb_sub("kb_pace", O_RDONLY);
	slow = kb_sub("kb_pace", O_RDONLY);
	ASSERT_LE(0, fast);
	ASSERT_LE(0, slow);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, kt_send(w, "m", 1, 0, KIPC_MSG_NONBLOCK, 0));
		ASSERT_EQ(0, recv_is(fast, "m", 0));
	}
	/* The fast one read all four: the slow one, four behind, holds them. */
	EXPECT_EQ(-EAGAIN, kt_send(w, "n", 1, 0, KIPC_MSG_NONBLOCK, 0));
	t0 = kt_now_ns();
	EXPECT_EQ(-ETIMEDOUT, kt_send(w, "n", 1, 0, KIPC_MSG_DEADLINE,
				      t0 + 50 * 1000000LL));
	EXPECT_LE(t0 + 50 * 1000000LL, kt_now_ns());
	ASSERT_EQ(0, kt_stats(w, &st));
	EXPECT_EQ(4, st.curmsgs);
	EXPECT_LE(1, st.send_waits);
	/* A blocked sender resumes once the slow one reads. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(kt_send(w, "n", 1, 0, 0, 0) ? 1 : 0);
	usleep(100 * 1000);
	EXPECT_EQ(0, waitpid(pid, NULL, WNOHANG));
	EXPECT_EQ(0, recv_is(slow, "m", 0));
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(0, recv_is(fast, "n", 0));
	close(fast);
	close(slow);
	close(w);
	kt_unlink("kb_pace");
}

TEST(closed_subscriber_no_longer_holds_the_sender)
{
	int w, fast, slow, i;

	w = kb_named("kb_close", O_WRONLY, 2, BC);
	ASSERT_LE(0, w);
	fast = kb_sub("kb_close", O_RDONLY);
	slow = kb_sub("kb_close", O_RDONLY);
	ASSERT_LE(0, fast);
	ASSERT_LE(0, slow);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, kt_send(w, "m", 1, 0, KIPC_MSG_NONBLOCK, 0));
	EXPECT_EQ(-EAGAIN, kt_send(w, "m", 1, 0, KIPC_MSG_NONBLOCK, 0));
	ASSERT_EQ(0, recv_is(fast, "m", 0));
	ASSERT_EQ(0, recv_is(fast, "m", 0));
	EXPECT_EQ(-EAGAIN, kt_send(w, "m", 1, 0, KIPC_MSG_NONBLOCK, 0));
	close(slow);
	EXPECT_EQ(0, kt_send(w, "m", 1, 0, KIPC_MSG_NONBLOCK, 0));
	EXPECT_EQ(0, kt_send(w, "m", 1, 0, KIPC_MSG_NONBLOCK, 0));
	close(fast);
	close(w);
	kt_unlink("kb_close");
}

TEST(drop_oldest_never_blocks_and_counts_what_is_lost)
{
	struct kipc_stats st;
	int w, fast, slow, i;
	char text[8];

	w = kb_named("kb_drop", O_WRONLY, 4, BC | DROP);
	ASSERT_LE(0, w);
	fast = kb_sub("kb_drop", O_RDONLY);
	slow = kb_sub("kb_drop", O_RDONLY);
	ASSERT_LE(0, fast);
	ASSERT_LE(0, slow);
	for (i = 0; i < 10; i++) {
		snprintf(text, sizeof(text), "m%d", i);
		ASSERT_EQ(0, kt_send(w, text, strlen(text), i, KIPC_MSG_NONBLOCK, 0));
		ASSERT_EQ(0, recv_is(fast, text, i));
	}
	ASSERT_EQ(0, kt_stats(slow, &st));
	EXPECT_EQ(4, st.sub_pending);
	EXPECT_EQ(6, st.sub_dropped);
	EXPECT_EQ(0, st.sub_received);
	EXPECT_EQ(6, st.dropped);
	EXPECT_EQ(4, st.curmsgs);
	EXPECT_EQ(0, st.send_waits);
	/* The slow one gets the newest four. */
	for (i = 6; i < 10; i++) {
		snprintf(text, sizeof(text), "m%d", i);
		EXPECT_EQ(0, recv_is(slow, text, i));
	}
	EXPECT_EQ(-EAGAIN, recv_is(slow, "", 0));
	ASSERT_EQ(0, kt_stats(fast, &st));
	EXPECT_EQ(0, st.sub_dropped);
	EXPECT_EQ(10, st.sub_received);
	EXPECT_EQ(0, st.sub_pending);
	EXPECT_EQ(14, st.received);
	/* Everyone read everything: nothing is held. */
	EXPECT_EQ(0, st.curmsgs);
	close(fast);
	close(slow);
	close(w);
	kt_unlink("kb_drop");
}

TEST(poll_and_epoll_are_per_subscriber)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct pollfd pf[2];
	int w, a, b, ep;

	w = kb_named("kb_poll", O_WRONLY, 1, BC);
	ASSERT_LE(0, w);
	a = kb_sub("kb_poll", O_RDONLY);
	b = kb_sub("kb_poll", O_RDONLY);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev));
	pf[0] = (struct pollfd){ .fd = w, .events = POLLOUT };
	ASSERT_EQ(1, poll(pf, 1, 0));
	EXPECT_EQ(POLLOUT, pf[0].revents);
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	ASSERT_EQ(0, kt_send(w, "x", 1, 0, 0, 0));
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 1000));
	pf[0] = (struct pollfd){ .fd = w, .events = POLLOUT };
	EXPECT_EQ(0, poll(pf, 1, 0));
	ASSERT_EQ(0, recv_is(a, "x", 0));
	pf[0] = (struct pollfd){ .fd = a, .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = b, .events = POLLIN };
	ASSERT_EQ(1, poll(pf, 2, 0));
	EXPECT_EQ(0, pf[0].revents);
	EXPECT_EQ(POLLIN, pf[1].revents);
	/* b still holds the sender back */
	pf[0] = (struct pollfd){ .fd = w, .events = POLLOUT };
	EXPECT_EQ(0, poll(pf, 1, 0));
	ASSERT_EQ(0, recv_is(b, "x", 0));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	EXPECT_EQ(1, poll(pf, 1, 0));
	close(ep);
	close(a);
	close(b);
	close(w);
	kt_unlink("kb_poll");
}

TEST(drop_oldest_is_always_writable)
{
	struct pollfd pf;
	int w, r;

	w = kb_named("kb_pollw", O_WRONLY, 1, BC | DROP);
	ASSERT_LE(0, w);
	r = kb_sub("kb_pollw", O_RDONLY);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, kt_send(w, "x", 1, 0, 0, 0));
	ASSERT_EQ(0, kt_send(w, "y", 1, 0, 0, 0));
	pf = (struct pollfd){ .fd = w, .events = POLLOUT };
	EXPECT_EQ(1, poll(&pf, 1, 0));
	EXPECT_EQ(0, recv_is(r, "y", 0));
	close(r);
	close(w);
	kt_unlink("kb_pollw");
}

TEST(blocked_receiver_is_woken_by_a_send)
{
	int w, r;
	pid_t pid;

	w = kb_named("kb_wake", O_WRONLY, 4, BC);
	ASSERT_LE(0, w);
	r = kb_sub("kb_wake", O_RDONLY);
	ASSERT_LE(0, r);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[8];

		_exit(read(r, buf, sizeof(buf)) == 4 && !memcmp(buf, "wake", 4) ? 0 : 1);
	}
	usleep(50 * 1000);
	ASSERT_EQ(0, kt_send(w, "wake", 4, 0, 0, 0));
	EXPECT_EQ(0, kt_wait_child(pid));
	/* The child shared the file: one subscriber, which has read it. */
	EXPECT_EQ(-EAGAIN, recv_is(r, "", 0));
	close(r);
	close(w);
	kt_unlink("kb_wake");
}

TEST(batches)
{
	struct kipc_mvec vec[40];
	char in[40][64], out[40][8];
	struct kipc_batch bt = { .size = sizeof(bt) };
	int w, a, b, i, n;

	w = kb_named("kb_batch", O_WRONLY, 32, BC);
	ASSERT_LE(0, w);
	a = kb_sub("kb_batch", O_RDONLY);
	b = kb_sub("kb_batch", O_RDONLY);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	for (i = 0; i < 40; i++) {
		snprintf(out[i], sizeof(out[i]), "b%d", i);
		vec[i] = (struct kipc_mvec){ (uintptr_t)out[i], strlen(out[i]), i };
	}
	bt.vec = (uintptr_t)vec;
	bt.count = 40;
	bt.flags = KIPC_MSG_NONBLOCK;
	/* Room for 32: the batch stops there. */
	EXPECT_EQ(32, ioctl(w, KIPC_IOC_SEND_BATCH, &bt));
	for (int s = 0; s < 2; s++) {
		for (i = 0; i < 40; i++)
			vec[i] = (struct kipc_mvec){ (uintptr_t)in[i], sizeof(in[i]), 0 };
		n = ioctl(s ? b : a, KIPC_IOC_RECV_BATCH, &bt);
		ASSERT_EQ(32, n);
		for (i = 0; i < n; i++) {
			EXPECT_EQ(strlen(out[i]), vec[i].len);
			EXPECT_EQ((__u32)i, vec[i].prio);
			EXPECT_EQ(0, memcmp(in[i], out[i], vec[i].len));
		}
	}
	close(a);
	close(b);
	close(w);
	kt_unlink("kb_batch");
}

TEST(efault_on_receive_loses_nothing)
{
	struct kipc_msg *m;
	char buf[8];
	int w, r;

	w = kb_named("kb_fault", O_WRONLY, 4, BC);
	ASSERT_LE(0, w);
	r = kb_sub("kb_fault", O_RDONLY);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, kt_send(w, "keep", 4, 7, 0, 0));
	EXPECT_EQ(-1, read(r, bad_ptr, 8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-EMSGSIZE, kt_recv(r, buf, 3, NULL, KIPC_MSG_NONBLOCK, 0));
	/* The struct read-only: the priority cannot be reported. */
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, m);
	*m = (struct kipc_msg){ .size = sizeof(*m), .flags = KIPC_MSG_NONBLOCK,
				.buf = (uintptr_t)buf, .len = sizeof(buf) };
	ASSERT_EQ(0, mprotect(m, 4096, PROT_READ));
	EXPECT_EQ(-1, ioctl(r, KIPC_IOC_RECV, m));
	EXPECT_EQ(EFAULT, errno);
	munmap(m, 4096);
	EXPECT_EQ(0, recv_is(r, "keep", 7));
	close(r);
	close(w);
	kt_unlink("kb_fault");
}

TEST(recvmsg_reports_no_header)
{
	struct kipc_recvmsg rm;
	char buf[8];
	int w, r;

	w = kb_named("kb_rmsg", O_WRONLY, 4, BC);
	ASSERT_LE(0, w);
	r = kb_sub("kb_rmsg", O_RDONLY);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, kt_send(w, "hdr", 3, 5, 0, 0));
	memset(&rm, 0xff, sizeof(rm));
	rm.size = sizeof(rm);
	rm.flags = KIPC_MSG_NONBLOCK;
	rm.buf = (uintptr_t)buf;
	rm.len = sizeof(buf);
	rm.nfds = 0;
	rm.fd_flags = 0;
	rm.fds = 0;
	rm.deadline_ns = 0;
	EXPECT_EQ(3, ioctl(r, KIPC_IOC_RECVMSG, &rm));
	EXPECT_EQ(3, rm.len);
	EXPECT_EQ(5, rm.prio);
	EXPECT_EQ(0, rm.hdr_flags);
	EXPECT_EQ(0, rm.pid);
	EXPECT_EQ(0, rm.nfds);
	close(r);
	close(w);
	kt_unlink("kb_rmsg");
}

TEST(stats_of_a_subscriber)
{
	struct kipc_stats st;
	int w, r;

	w = kb_named("kb_stats", O_RDWR, 4, BC);
	ASSERT_LE(0, w);
	r = kb_sub("kb_stats", O_RDONLY);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, kt_send(w, "abc", 3, 0, 0, 0));
	ASSERT_EQ(0, kt_send(w, "de", 2, 0, 0, 0));
	ASSERT_EQ(0, recv_is(w, "abc", 0));
	ASSERT_EQ(0, kt_stats(w, &st));
	EXPECT_EQ(2, st.subscribers);
	EXPECT_EQ(1, st.sub_pending);
	EXPECT_EQ(1, st.sub_received);
	EXPECT_EQ(2, st.curmsgs);
	EXPECT_EQ(5, st.bytes);
	EXPECT_EQ(2, st.hwm);
	EXPECT_EQ(2, st.sent);
	EXPECT_EQ(1, st.received);
	ASSERT_EQ(0, kt_stats(r, &st));
	EXPECT_EQ(2, st.sub_pending);
	EXPECT_EQ(0, st.sub_received);
	close(r);
	/* The reader that held both is gone; w read the first. */
	ASSERT_EQ(0, kt_stats(w, &st));
	EXPECT_EQ(1, st.curmsgs);
	EXPECT_EQ(2, st.bytes);
	close(w);
	kt_unlink("kb_stats");
}

struct subs_seen {
	__u32 subscribers;
	__u64 dropped;
	int nsubs;
	__u32 pending[4];
	__u64 received[4];
	__u64 sub_dropped[4];
	__u32 uid[4];
};

static void subs_cb(struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	int left = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	struct subs_seen *s = data;

	s->subscribers = nl_u32(nlh, KIPC_A_SUBSCRIBERS);
	s->dropped = nl_u64(nlh, KIPC_A_DROPPED);
	while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left) {
		if ((a->nla_type & NLA_TYPE_MASK) == KIPC_A_SUB && s->nsubs < 4) {
			struct nlattr *b = (struct nlattr *)((char *)a + NLA_HDRLEN);
			int l = a->nla_len - NLA_HDRLEN;

			while (l >= NLA_HDRLEN && b->nla_len >= NLA_HDRLEN && b->nla_len <= l) {
				void *v = (char *)b + NLA_HDRLEN;

				switch (b->nla_type) {
				case KIPC_SUB_A_PENDING:
					memcpy(&s->pending[s->nsubs], v, 4);
					break;
				case KIPC_SUB_A_UID:
					memcpy(&s->uid[s->nsubs], v, 4);
					break;
				case KIPC_SUB_A_RECEIVED:
					memcpy(&s->received[s->nsubs], v, 8);
					break;
				case KIPC_SUB_A_DROPPED:
					memcpy(&s->sub_dropped[s->nsubs], v, 8);
					break;
				}
				l -= NLA_ALIGN(b->nla_len);
				b = (struct nlattr *)((char *)b + NLA_ALIGN(b->nla_len));
			}
			s->nsubs++;
		}
		left -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

TEST(netlink_lists_subscribers)
{
	struct subs_seen seen = { 0 };
	struct nl_sock s;
	struct nl_req r;
	int w, a, b, i;

	w = kb_named("kb_nl", O_WRONLY, 2, BC | DROP);
	ASSERT_LE(0, w);
	a = kb_sub("kb_nl", O_RDONLY);
	b = kb_sub("kb_nl", O_RDONLY);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, kt_send(w, "n", 1, 0, 0, 0));
	ASSERT_EQ(0, recv_is(a, "n", 0));
	ASSERT_EQ(0, nl_open(&s));
	nl_init(&s, &r, s.family, KIPC_CMD_OBJ_GET, 0);
	nl_put_str(&r, KIPC_A_NAME, "kb_nl");
	ASSERT_EQ(0, nl_talk(&s, &r, subs_cb, &seen));
	EXPECT_EQ(2, seen.subscribers);
	EXPECT_EQ(6, seen.dropped);
	ASSERT_EQ(2, seen.nsubs);
	EXPECT_EQ(1, seen.pending[0]);
	EXPECT_EQ(1, seen.received[0]);
	EXPECT_EQ(3, seen.sub_dropped[0]);
	EXPECT_EQ(2, seen.pending[1]);
	EXPECT_EQ(0, seen.received[1]);
	EXPECT_EQ(3, seen.sub_dropped[1]);
	EXPECT_EQ(getuid(), seen.uid[1]);
	/* A broadcast queue's capacity is fixed. */
	nl_init(&s, &r, s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, "kb_nl");
	nl_put_u32(&r, KIPC_A_MAXMSG, 8);
	EXPECT_EQ(-EINVAL, nl_talk(&s, &r, NULL, NULL));
	nl_close(&s);
	close(a);
	close(b);
	close(w);
	kt_unlink("kb_nl");
}

TEST(netlink_creates_a_broadcast_queue)
{
	struct kipc_stats st;
	struct nl_sock s;
	struct nl_req r;
	int a, w;

	kt_unlink("kb_nlnew");
	ASSERT_EQ(0, nl_open(&s));
	nl_init(&s, &r, s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&r, KIPC_A_NAME, "kb_nlnew");
	nl_put_u32(&r, KIPC_A_OPTIONS, BC);
	ASSERT_EQ(0, nl_talk(&s, &r, NULL, NULL));
	nl_close(&s);
	a = kb_sub("kb_nlnew", O_RDONLY);
	w = kb_sub("kb_nlnew", O_WRONLY);
	ASSERT_LE(0, a);
	ASSERT_LE(0, w);
	ASSERT_EQ(0, kt_stats(a, &st));
	EXPECT_EQ(BC, st.options);
	EXPECT_EQ(1, st.subscribers);
	close(a);
	close(w);
	kt_unlink("kb_nlnew");
}

TEST(what_is_refused)
{
	struct kipc_sendrecv sr = { .size = sizeof(sr) };
	struct kipc_notify n = { .size = sizeof(n), .how = KIPC_NOTIFY_NONE };
	struct kipc_sendmsg sm = { .size = sizeof(sm) };
	int fd;

	EXPECT_EQ(-EINVAL, kb_open(NULL, O_RDWR, KIPC_OPEN_ANON, 4, 64, BC | KIPC_QUEUE_CREDS));
	EXPECT_EQ(-EINVAL, kb_open(NULL, O_RDWR, KIPC_OPEN_ANON, 4, 64, BC | KIPC_QUEUE_TRACK));
	EXPECT_EQ(-EINVAL, kb_open(NULL, O_RDWR, KIPC_OPEN_ANON, 4, 64, BC | KIPC_QUEUE_FDS));
	EXPECT_EQ(-EINVAL, kb_open(NULL, O_RDWR, KIPC_OPEN_ANON, 4, 64, DROP));
	fd = kb_named("kb_inval", O_RDWR, 4, BC);
	ASSERT_LE(0, fd);
	sr.recv_fd = fd;
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_NOTIFY, &n));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_SENDMSG, &sm));
	EXPECT_EQ(EINVAL, errno);
	/* The name is a queue's: not a shared buffer's. */
	EXPECT_EQ(-EINVAL, kt_shbuf("kb_inval", O_RDWR, 0, 0, 4096, 0, NULL));
	close(fd);
	kt_unlink("kb_inval");
}

TEST(sendrecv_into_a_broadcast_queue_is_refused)
{
	struct kipc_sendrecv sr = { .size = sizeof(sr) };
	char buf[8];
	int q, b;

	q = kt_anon(O_RDWR, 4, 64);
	ASSERT_LE(0, q);
	b = kb_named("kb_srrecv", O_RDWR, 4, BC);
	ASSERT_LE(0, b);
	sr.recv_fd = b;
	sr.send_buf = (uintptr_t)"x";
	sr.send_len = 1;
	sr.recv_buf = (uintptr_t)buf;
	sr.recv_len = sizeof(buf);
	sr.flags = KIPC_MSG_NONBLOCK;
	EXPECT_EQ(-1, ioctl(q, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(EINVAL, errno);
	close(q);
	close(b);
	kt_unlink("kb_srrecv");
}

TEST(destroyed_with_messages_held)
{
	int w, r, i;

	/* The debug lane's kmemleak checks that nothing stays behind. */
	w = kb_open(NULL, O_RDWR, KIPC_OPEN_ANON, 8, 4096, BC);
	ASSERT_LE(0, w);
	r = dup(w);
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, kt_send(w, "held", 4, 0, KIPC_MSG_NONBLOCK, 0));
	close(r);
	close(w);
	w = kb_open(NULL, O_RDWR, KIPC_OPEN_ANON, 8, 100000, BC | DROP);
	ASSERT_LE(0, w);
	for (i = 0; i < 20; i++)
		ASSERT_EQ(0, kt_send(w, "held", 4, 0, KIPC_MSG_NONBLOCK, 0));
	close(w);
}

TEST(subscriber_records_are_charged)
{
	long saved = kt_param("user_bytes_max");
	int fds[2048], n = 0, err = 0, w, status;
	pid_t pid;

	if (saved < 0)
		SKIP(return, "no user_bytes_max parameter");
	umask(0);
	w = kb_named("kb_budget", O_WRONLY, 4, BC);
	ASSERT_LE(0, w);
	ASSERT_EQ(0, kt_set_param("user_bytes_max", 8192));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct rlimit rl = { 2100, 2100 };

		setrlimit(RLIMIT_NOFILE, &rl);
		kt_become_nobody(-1);
		while (n < 2048) {
			fds[n] = kb_sub("kb_budget", O_RDONLY);
			if (fds[n] < 0) {
				err = -fds[n];
				break;
			}
			n++;
		}
		/* Some fit, then the budget is used up; writers cost nothing. */
		if (err != EDQUOT || n < 2 || n > 1000)
			_exit(10 + (err == EDQUOT));
		w = kb_sub("kb_budget", O_WRONLY);
		if (w < 0)
			_exit(3);
		/* Closing one gives its record back. */
		close(fds[0]);
		fds[0] = kb_sub("kb_budget", O_RDONLY);
		_exit(fds[0] < 0 ? 4 : 0);
	}
	status = kt_wait_child(pid);
	kt_set_param("user_bytes_max", saved);
	EXPECT_EQ(0, status);
	close(w);
	kt_unlink("kb_budget");
}

TEST_HARNESS_MAIN
