// SPDX-License-Identifier: GPL-2.0
/*
 * Message queues: the data path. Boundaries, sizes, priorities, blocking,
 * non-blocking, deadlines, signals, batches, send-and-receive, poll/epoll,
 * access modes and sharing across processes.
 */
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

/* An address no process maps; volatile so the compiler cannot see through. */
static void *volatile bad_ptr = (void *)8;

static int child_exit_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(write_sends_one_message_and_read_receives_one)
{
	char buf[64];
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 8, 64);

	ASSERT_LE(0, fd);
	ASSERT_EQ(3, write(fd, "one", 3));
	ASSERT_EQ(3, write(fd, "two", 3));
	ASSERT_EQ(5, write(fd, "three", 5));
	/* boundaries are kept: a large buffer still gets one message */
	EXPECT_EQ(3, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "one", 3));
	EXPECT_EQ(3, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "two", 3));
	EXPECT_EQ(5, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "three", 5));
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

TEST(message_over_msgsize_is_emsgsize)
{
	char buf[65] = { 0 };
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 8, 64);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, buf, 65));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-EMSGSIZE, kt_send(fd, buf, 65, 0, 0, 0));
	EXPECT_EQ(64, write(fd, buf, 64));
	close(fd);
}

TEST(short_read_buffer_is_emsgsize_and_message_stays)
{
	char buf[16];
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 8, 64);

	ASSERT_LE(0, fd);
	ASSERT_EQ(10, write(fd, "0123456789", 10));
	EXPECT_EQ(-1, read(fd, buf, 9));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(-EMSGSIZE, kt_recv(fd, buf, 0, NULL, 0, 0));
	EXPECT_EQ(10, read(fd, buf, 10));
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
	close(fd);
}

TEST(zero_length_messages_are_messages)
{
	struct kipc_stats st;
	char buf[8];
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 8, 64);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, write(fd, buf, 0));
	EXPECT_EQ(0, kt_send(fd, NULL, 0, 3, 0, 0));
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(2, st.curmsgs);
	EXPECT_EQ(0, kt_recv(fd, buf, sizeof(buf), NULL, 0, 0));
	EXPECT_EQ(0, read(fd, buf, 0));
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

TEST(higher_priority_first_fifo_within_a_priority)
{
	static const struct { __u32 prio; char c; } sent[] = {
		{ 1, 'a' }, { 5, 'b' }, { 3, 'c' }, { 5, 'd' }, { 0, 'e' },
		{ 31, 'f' }, { 3, 'g' },
	};
	static const char order[] = "fbdcgae";
	__u32 prio;
	char c;
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 16, 8);

	ASSERT_LE(0, fd);
	for (unsigned int i = 0; i < sizeof(sent) / sizeof(sent[0]); i++)
		ASSERT_EQ(0, kt_send(fd, &sent[i].c, 1, sent[i].prio, 0, 0));
	for (unsigned int i = 0; i < sizeof(order) - 1; i++) {
		ASSERT_EQ(1, kt_recv(fd, &c, 1, &prio, 0, 0));
		EXPECT_EQ(order[i], c);
		for (unsigned int j = 0; j < sizeof(sent) / sizeof(sent[0]); j++)
			if (sent[j].c == c)
				EXPECT_EQ(sent[j].prio, prio);
	}
	close(fd);
}

TEST(priority_out_of_range_is_einval)
{
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 8, 8);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, kt_send(fd, "x", 1, KIPC_PRIO_MAX, 0, 0));
	EXPECT_EQ(-EINVAL, kt_send(fd, "x", 1, 0xffffffffu, 0, 0));
	close(fd);
}

TEST(unknown_message_flags_are_einval)
{
	char c;
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 8, 8);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, kt_send(fd, "x", 1, 0, 0x100, 0));
	EXPECT_EQ(-EINVAL, kt_recv(fd, &c, 1, NULL, 0x100, 0));
	close(fd);
}

TEST(nonblocking_full_and_empty_are_eagain)
{
	char c = 'x';
	int fd = kt_anon(O_RDWR, 2, 8);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EAGAIN, kt_recv(fd, &c, 1, NULL, KIPC_MSG_NONBLOCK, 0));
	ASSERT_EQ(0, kt_send(fd, &c, 1, 0, 0, 0));
	ASSERT_EQ(0, kt_send(fd, &c, 1, 0, 0, 0));
	EXPECT_EQ(-EAGAIN, kt_send(fd, &c, 1, 0, KIPC_MSG_NONBLOCK, 0));
	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, write(fd, &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

TEST(send_with_bad_buffer_is_efault_and_queues_nothing)
{
	struct kipc_stats st;
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 4, 64);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, bad_ptr, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-EFAULT, kt_send(fd, bad_ptr, 16, 0, 0, 0));
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_SEND, bad_ptr));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(0, st.curmsgs);
	close(fd);
}

TEST(receive_into_bad_buffer_is_efault_and_message_stays)
{
	char buf[16];
	void *none = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 4, 64);

	ASSERT_LE(0, fd);
	ASSERT_NE(MAP_FAILED, none);
	ASSERT_EQ(5, write(fd, "first", 5));
	ASSERT_EQ(0, kt_send(fd, "second", 6, 0, 0, 0));
	EXPECT_EQ(-1, read(fd, none, 16));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-EFAULT, kt_recv(fd, bad_ptr, 16, NULL, 0, 0));
	/* a read-only struct cannot take the priority: nothing is taken */
	struct kipc_msg *m = none;

	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_RECV, m));
	EXPECT_EQ(EINVAL, errno);	/* its size field reads as 0 */
	/* order is kept: the first message is still first */
	EXPECT_EQ(5, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "first", 5));
	EXPECT_EQ(6, read(fd, buf, sizeof(buf)));
	munmap(none, 4096);
	close(fd);
}

TEST(read_only_file_cannot_send_write_only_cannot_receive)
{
	char c = 'x';
	int w, r = kt_create("access-mode", 4, 8);

	ASSERT_LE(0, r);
	close(r);
	r = kt_queue("access-mode", O_RDONLY, 0, 0, 0, 0);
	w = kt_queue("access-mode", O_WRONLY, 0, 0, 0, 0);
	ASSERT_LE(0, r);
	ASSERT_LE(0, w);
	EXPECT_EQ(-1, write(r, &c, 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-EBADF, kt_send(r, &c, 1, 0, 0, 0));
	EXPECT_EQ(-1, read(w, &c, 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-EBADF, kt_recv(w, &c, 1, NULL, 0, 0));
	EXPECT_EQ(0, kt_send(w, &c, 1, 0, 0, 0));
	EXPECT_EQ(1, kt_recv(r, &c, 1, NULL, 0, 0));
	EXPECT_EQ(0, kt_unlink("access-mode"));
	close(r);
	close(w);
}

TEST(blocked_read_wakes_on_send_from_another_process)
{
	char buf[16];
	int fd = kt_anon(O_RDWR, 4, 16);
	pid_t pid;

	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(100000);
		_exit(write(fd, "wake", 4) == 4 ? 0 : 1);
	}
	EXPECT_EQ(4, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "wake", 4));
	EXPECT_EQ(0, child_exit_status(pid));
	close(fd);
}

TEST(blocked_write_wakes_when_a_message_is_taken)
{
	char c = 'x';
	struct kipc_stats st;
	int fd = kt_anon(O_RDWR, 1, 8);
	pid_t pid;

	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, &c, 1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(100000);
		_exit(read(fd, &c, 1) == 1 ? 0 : 1);
	}
	EXPECT_EQ(1, write(fd, "y", 1));
	EXPECT_EQ(0, child_exit_status(pid));
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(1, st.curmsgs);
	EXPECT_LE(1, st.send_waits);
	close(fd);
}

TEST(deadline_expires_with_etimedout)
{
	char c = 'x';
	__s64 start, waited;
	int fd = kt_anon(O_RDWR, 1, 8);

	ASSERT_LE(0, fd);
	start = kt_now_ns();
	EXPECT_EQ(-ETIMEDOUT, kt_recv(fd, &c, 1, NULL, KIPC_MSG_DEADLINE,
				      start + 200000000));
	waited = kt_now_ns() - start;
	EXPECT_LE(200000000, waited);
	EXPECT_GT(20000000000LL, waited);	/* generous: TCG is slow */

	ASSERT_EQ(0, kt_send(fd, &c, 1, 0, 0, 0));
	start = kt_now_ns();
	EXPECT_EQ(-ETIMEDOUT, kt_send(fd, &c, 1, 0, KIPC_MSG_DEADLINE,
				      start + 200000000));
	EXPECT_LE(200000000, kt_now_ns() - start);
	close(fd);
}

TEST(past_deadline_does_not_matter_when_no_wait_is_needed)
{
	char c = 'x';
	int fd = kt_anon(O_RDWR, 1, 8);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, kt_send(fd, &c, 1, 0, KIPC_MSG_DEADLINE, 1));
	EXPECT_EQ(1, kt_recv(fd, &c, 1, NULL, KIPC_MSG_DEADLINE, 1));
	EXPECT_EQ(-ETIMEDOUT, kt_recv(fd, &c, 1, NULL, KIPC_MSG_DEADLINE, 1));
	/* a negative deadline is refused, but only when the call would block */
	EXPECT_EQ(-EINVAL, kt_recv(fd, &c, 1, NULL, KIPC_MSG_DEADLINE, -1));
	EXPECT_EQ(0, kt_send(fd, &c, 1, 0, KIPC_MSG_DEADLINE, -1));
	close(fd);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void set_alarm_handler(int flags)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

TEST(signal_interrupts_a_blocked_read_with_eintr)
{
	char c;
	int fd = kt_anon(O_RDWR, 1, 8);

	ASSERT_LE(0, fd);
	set_alarm_handler(0);
	ualarm(100000, 0);
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(EINTR, errno);
	ualarm(100000, 0);
	EXPECT_EQ(-EINTR, kt_recv(fd, &c, 1, NULL, 0, 0));
	signal(SIGALRM, SIG_DFL);
	close(fd);
}

TEST(signal_with_sa_restart_restarts_the_read)
{
	char buf[8];
	int fd = kt_anon(O_RDWR, 1, 8);
	pid_t pid;

	ASSERT_LE(0, fd);
	set_alarm_handler(SA_RESTART);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(400000);
		_exit(write(fd, "late", 4) == 4 ? 0 : 1);
	}
	ualarm(100000, 0);
	EXPECT_EQ(4, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, child_exit_status(pid));
	signal(SIGALRM, SIG_DFL);
	close(fd);
}

TEST(signal_interrupts_a_timed_wait_and_restart_keeps_the_deadline)
{
	char c;
	__s64 start;
	int fd = kt_anon(O_RDWR, 1, 8);

	ASSERT_LE(0, fd);
	set_alarm_handler(SA_RESTART);
	ualarm(100000, 0);
	start = kt_now_ns();
	/* restarted after the signal, the absolute deadline still holds */
	EXPECT_EQ(-ETIMEDOUT, kt_recv(fd, &c, 1, NULL, KIPC_MSG_DEADLINE,
				      start + 400000000));
	EXPECT_LE(400000000, kt_now_ns() - start);
	signal(SIGALRM, SIG_DFL);
	close(fd);
}

static int batch(int fd, unsigned long cmd, struct kipc_mvec *vec, __u32 count,
		 __u32 flags)
{
	struct kipc_batch b = {
		.size = sizeof(b),
		.flags = flags,
		.vec = (uintptr_t)vec,
		.count = count,
	};

	return kt_err(ioctl(fd, cmd, &b));
}

TEST(batch_send_and_receive_move_many_in_one_call)
{
	char out[40][8], in[40][8];
	struct kipc_mvec sv[40], rv[40];
	int fd = kt_anon(O_RDWR, 64, 8);

	ASSERT_LE(0, fd);
	for (int i = 0; i < 40; i++) {
		snprintf(out[i], sizeof(out[i]), "m%02d", i);
		sv[i] = (struct kipc_mvec){ (uintptr_t)out[i], 3 + (i % 2), i % 3 };
		rv[i] = (struct kipc_mvec){ (uintptr_t)in[i], sizeof(in[i]), 99 };
	}
	ASSERT_EQ(40, batch(fd, KIPC_IOC_SEND_BATCH, sv, 40, 0));
	ASSERT_EQ(40, batch(fd, KIPC_IOC_RECV_BATCH, rv, 40, 0));
	/* priority 2 first, then 1, then 0; FIFO within each */
	for (int i = 0, k = 0; k < 3; k++) {
		for (int j = 0; j < 40; j++) {
			if (j % 3 != 2 - k)
				continue;
			EXPECT_EQ(2 - k, rv[i].prio);
			EXPECT_EQ(3 + (j % 2), rv[i].len);
			EXPECT_EQ(0, memcmp(in[i], out[j], rv[i].len));
			i++;
		}
	}
	close(fd);
}

TEST(batch_moves_what_fits_and_reports_the_count)
{
	char c[10] = "abcdefghi";
	struct kipc_mvec v[10];
	int fd = kt_anon(O_RDWR, 4, 8);

	ASSERT_LE(0, fd);
	for (int i = 0; i < 10; i++)
		v[i] = (struct kipc_mvec){ (uintptr_t)&c[i], 1, 0 };
	/* only the first message may block; the rest go while there is room */
	EXPECT_EQ(4, batch(fd, KIPC_IOC_SEND_BATCH, v, 10, 0));
	EXPECT_EQ(-EAGAIN, batch(fd, KIPC_IOC_SEND_BATCH, v, 10, KIPC_MSG_NONBLOCK));
	EXPECT_EQ(4, batch(fd, KIPC_IOC_RECV_BATCH, v, 10, 0));
	EXPECT_EQ(-EAGAIN, batch(fd, KIPC_IOC_RECV_BATCH, v, 10, KIPC_MSG_NONBLOCK));
	EXPECT_EQ(0, batch(fd, KIPC_IOC_RECV_BATCH, v, 0, 0));
	EXPECT_EQ(-EINVAL, batch(fd, KIPC_IOC_RECV_BATCH, v, KIPC_BATCH_MAX + 1, 0));
	EXPECT_EQ(-EFAULT, batch(fd, KIPC_IOC_SEND_BATCH, bad_ptr, 4, 0));
	close(fd);
}

TEST(batch_stops_at_a_bad_entry_after_the_first)
{
	char c[4] = "abc";
	char big[16] = { 0 };
	struct kipc_mvec v[4];
	struct kipc_stats st;
	int fd = kt_anon(O_RDWR, 8, 8);

	ASSERT_LE(0, fd);
	v[0] = (struct kipc_mvec){ (uintptr_t)&c[0], 1, 0 };
	v[1] = (struct kipc_mvec){ (uintptr_t)&c[1], 1, 0 };
	v[2] = (struct kipc_mvec){ (uintptr_t)big, sizeof(big), 0 };	/* EMSGSIZE */
	v[3] = (struct kipc_mvec){ (uintptr_t)&c[2], 1, 0 };
	EXPECT_EQ(2, batch(fd, KIPC_IOC_SEND_BATCH, v, 4, 0));
	EXPECT_EQ(-EMSGSIZE, batch(fd, KIPC_IOC_SEND_BATCH, &v[2], 2, 0));
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(2, st.curmsgs);
	close(fd);
}

TEST(sendrecv_is_a_round_trip_in_one_call)
{
	struct kipc_sendrecv sr;
	char req[16], rep[16];
	int q1 = kt_anon(O_RDWR, 4, 16), q2 = kt_anon(O_RDWR, 4, 16);
	pid_t pid;

	ASSERT_LE(0, q1);
	ASSERT_LE(0, q2);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* server: reply to each request with its text upper-cased */
		for (int i = 0; i < 100; i++) {
			int n = read(q1, req, sizeof(req));

			if (n < 0)
				_exit(1);
			for (int j = 0; j < n; j++)
				req[j] -= 'a' - 'A';
			if (write(q2, req, n) != n)
				_exit(2);
		}
		_exit(0);
	}
	for (int i = 0; i < 100; i++) {
		memset(&sr, 0, sizeof(sr));
		sr.size = sizeof(sr);
		sr.recv_fd = q2;
		sr.send_buf = (uintptr_t)"ping";
		sr.send_len = 4;
		sr.recv_buf = (uintptr_t)rep;
		sr.recv_len = sizeof(rep);
		sr.recv_prio = 77;
		ASSERT_EQ(4, ioctl(q1, KIPC_IOC_SENDRECV, &sr));
		ASSERT_EQ(KIPC_SENDRECV_SENT, sr.result);
		ASSERT_EQ(4, sr.recv_len);
		ASSERT_EQ(0, sr.recv_prio);
		ASSERT_EQ(0, memcmp(rep, "PING", 4));
	}
	EXPECT_EQ(0, child_exit_status(pid));
	close(q1);
	close(q2);
}

TEST(sendrecv_checks_the_receive_descriptor)
{
	struct kipc_sendrecv sr = { .size = sizeof(sr), .send_buf = (uintptr_t)"x",
				    .send_len = 1 };
	struct kipc_stats st;
	int q = kt_create("sr-check", 4, 8);
	int wo = kt_queue("sr-check", O_WRONLY, 0, 0, 0, 0);
	int unbound = kt_open_dev(O_RDWR);

	ASSERT_LE(0, q);
	ASSERT_LE(0, wo);
	ASSERT_LE(0, unbound);
	sr.recv_fd = -1;
	EXPECT_EQ(-1, ioctl(q, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(EBADF, errno);
	sr.recv_fd = 0;	/* not a kipc file */
	EXPECT_EQ(-1, ioctl(q, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(EBADF, errno);
	sr.recv_fd = wo;	/* cannot receive */
	EXPECT_EQ(-1, ioctl(q, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(EBADF, errno);
	sr.recv_fd = unbound;
	EXPECT_EQ(-1, ioctl(q, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(EBADFD, errno);
	/* none of the refused calls sent anything */
	ASSERT_EQ(0, kt_stats(q, &st));
	EXPECT_EQ(0, st.sent);
	EXPECT_EQ(0, kt_unlink("sr-check"));
	close(q);
	close(wo);
	close(unbound);
}

TEST(sendrecv_timeout_after_send_reports_the_send)
{
	struct kipc_sendrecv sr = { .size = sizeof(sr) };
	char rep[8];
	int q1 = kt_anon(O_RDWR, 4, 8), q2 = kt_anon(O_RDWR, 4, 8);

	ASSERT_LE(0, q1);
	ASSERT_LE(0, q2);
	sr.flags = KIPC_MSG_DEADLINE;
	sr.deadline_ns = kt_now_ns() + 100000000;
	sr.recv_fd = q2;
	sr.send_buf = (uintptr_t)"req";
	sr.send_len = 3;
	sr.recv_buf = (uintptr_t)rep;
	sr.recv_len = sizeof(rep);
	EXPECT_EQ(-1, ioctl(q1, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(KIPC_SENDRECV_SENT, sr.result);
	/* the request went out exactly once */
	EXPECT_EQ(3, kt_recv(q1, rep, sizeof(rep), NULL, KIPC_MSG_NONBLOCK, 0));
	EXPECT_EQ(-EAGAIN, kt_recv(q1, rep, sizeof(rep), NULL, KIPC_MSG_NONBLOCK, 0));
	close(q1);
	close(q2);
}

TEST(sendrecv_on_one_queue_receives_its_own_message)
{
	char rep[8];
	struct kipc_sendrecv sr = { .size = sizeof(sr) };
	int q = kt_anon(O_RDWR, 4, 8);

	ASSERT_LE(0, q);
	sr.recv_fd = q;
	sr.send_buf = (uintptr_t)"self";
	sr.send_len = 4;
	sr.send_prio = 7;
	sr.recv_buf = (uintptr_t)rep;
	sr.recv_len = sizeof(rep);
	EXPECT_EQ(4, ioctl(q, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(7, sr.recv_prio);
	close(q);
}

TEST(poll_reports_readable_and_writable)
{
	struct pollfd pfd;
	char c = 'x';
	int fd = kt_anon(O_RDWR, 1, 8);

	ASSERT_LE(0, fd);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT };
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLOUT, pfd.revents);
	ASSERT_EQ(1, write(fd, &c, 1));
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN, pfd.revents);
	ASSERT_EQ(1, read(fd, &c, 1));
	pfd.events = POLLIN;
	EXPECT_EQ(0, poll(&pfd, 1, 50));
	close(fd);
}

TEST(poll_honours_the_access_mode)
{
	struct pollfd pfd;
	int rw = kt_create("poll-mode", 2, 8);
	int r = kt_queue("poll-mode", O_RDONLY, 0, 0, 0, 0);

	ASSERT_LE(0, rw);
	ASSERT_LE(0, r);
	ASSERT_EQ(1, write(rw, "x", 1));
	pfd = (struct pollfd){ .fd = r, .events = POLLIN | POLLOUT };
	ASSERT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN, pfd.revents);
	EXPECT_EQ(0, kt_unlink("poll-mode"));
	close(rw);
	close(r);
}

TEST(epoll_wakes_when_another_process_sends)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int fd = kt_anon(O_RDWR, 4, 8);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	pid_t pid;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(100000);
		_exit(write(fd, "e", 1) == 1 ? 0 : 1);
	}
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 20000));
	EXPECT_EQ(EPOLLIN, out.events);
	EXPECT_EQ(0, child_exit_status(pid));
	close(ep);
	close(fd);
}

TEST(epoll_reports_room_after_a_full_queue_drains)
{
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET }, out;
	char c = 'x';
	int fd = kt_anon(O_RDWR, 1, 8);
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_LE(0, ep);
	ASSERT_EQ(1, write(fd, &c, 1));
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 0));
	ASSERT_EQ(1, read(fd, &c, 1));
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 1000));
	EXPECT_EQ(EPOLLOUT, out.events);
	close(ep);
	close(fd);
}

TEST(anonymous_queue_is_shared_by_fork)
{
	char buf[16];
	int fd = kt_anon(O_RDWR, 4, 16);
	pid_t pid;

	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(write(fd, "from child", 10) == 10 ? 0 : 1);
	EXPECT_EQ(10, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, child_exit_status(pid));
	close(fd);
}

TEST(anonymous_queue_is_shared_by_fd_passing)
{
	char cbuf[CMSG_SPACE(sizeof(int))], buf[16];
	struct iovec iov = { .iov_base = buf, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int sv[2], fd, got;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	fd = kt_anon(O_RDWR, 4, 16);
	ASSERT_LE(0, fd);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	ASSERT_EQ(1, sendmsg(sv[0], &mh, 0));
	ASSERT_EQ(5, write(fd, "moved", 5));
	close(fd);	/* the queue lives on in the socket */

	mh.msg_controllen = sizeof(cbuf);
	ASSERT_EQ(1, recvmsg(sv[1], &mh, 0));
	cm = CMSG_FIRSTHDR(&mh);
	ASSERT_NE(NULL, cm);
	memcpy(&got, CMSG_DATA(cm), sizeof(int));
	EXPECT_EQ(5, read(got, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "moved", 5));
	close(got);
	close(sv[0]);
	close(sv[1]);
}

TEST(large_messages_cross_intact)
{
	size_t len = 256 * 1024;
	unsigned char *out = malloc(len), *in = malloc(len);
	int fd = kt_anon(O_RDWR, 2, len);

	ASSERT_NE(NULL, out);
	ASSERT_NE(NULL, in);
	ASSERT_LE(0, fd);
	for (size_t i = 0; i < len; i++)
		out[i] = (i * 131) ^ (i >> 9);
	ASSERT_EQ((ssize_t)len, write(fd, out, len));
	ASSERT_EQ((ssize_t)len, read(fd, in, len));
	EXPECT_EQ(0, memcmp(in, out, len));
	free(out);
	free(in);
	close(fd);
}

TEST_HARNESS_MAIN
