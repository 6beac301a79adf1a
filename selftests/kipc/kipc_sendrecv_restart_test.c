// SPDX-License-Identifier: GPL-2.0
/*
 * KIPC_IOC_SENDRECV and signals: a request is never sent twice, and only a
 * handler installed without SA_RESTART interrupts the wait for its reply.
 * A stop and continue (as a ptrace attach or the cgroup freezer) and an
 * SA_RESTART handler resume the wait; after EINTR, calling again with the
 * same struct receives only. The receive half blocks or not as the reply
 * queue's descriptor says, not as the request queue's.
 *
 * Each test has a server child that receives the request, disturbs the
 * client (the test process), then replies, and reports how many requests
 * it saw in all.
 */
#include <poll.h>
#include <signal.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define MSG	16

FIXTURE(sr) {
	int req;		/* requests: client writes, server reads */
	int rep;		/* replies: server writes, client reads */
	int report[2];		/* server -> client: requests it saw */
	pid_t server;
};

FIXTURE_SETUP(sr)
{
	self->server = -1;
	self->req = kt_anon(O_RDWR, 8, MSG);
	self->rep = kt_anon(O_RDWR, 8, MSG);
	ASSERT_LE(0, self->req);
	ASSERT_LE(0, self->rep);
	ASSERT_EQ(0, pipe(self->report));
}

FIXTURE_TEARDOWN(sr)
{
	if (self->server > 0)
		kt_wait_child(self->server);
	close(self->req);
	close(self->rep);
}

enum disturbance { STOP_CONT, SIGNAL, NOTHING };

static int handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

/*
 * The server: take one request, disturb the client (now waiting for the
 * reply), reply after @delay_ms, then count any further request for a
 * while and report how many it saw.
 */
static pid_t serve(struct _test_data_sr *self, enum disturbance d, int delay_ms)
{
	pid_t client = getpid(), pid = fork();
	char buf[MSG];
	int seen = 0;

	if (pid)
		return pid;
	/* The request queue's descriptor may be non-blocking: poll first. */
	struct pollfd p = { .fd = self->req, .events = POLLIN };

	if (poll(&p, 1, 10000) != 1 ||
	    kt_recv(self->req, buf, sizeof(buf), NULL, 0, 0) < 0)
		_exit(1);
	seen++;
	usleep(100000);		/* the client is asleep in its receive */
	if (d == STOP_CONT) {
		kill(client, SIGSTOP);
		usleep(100000);
		kill(client, SIGCONT);
	} else if (d == SIGNAL) {
		kill(client, SIGUSR1);
	}
	usleep(delay_ms * 1000);
	if (kt_send(self->rep, "reply", 5, 3, 0, 0))
		_exit(2);
	/* a second request would be the bug */
	while (poll(&p, 1, 500) == 1 &&
	       kt_recv(self->req, buf, sizeof(buf), NULL, KIPC_MSG_NONBLOCK, 0) >= 0)
		seen++;
	if (write(self->report[1], &seen, sizeof(seen)) != sizeof(seen))
		_exit(3);
	_exit(0);
}

static int requests_seen(struct _test_data_sr *self)
{
	int seen = -1;

	if (read(self->report[0], &seen, sizeof(seen)) != sizeof(seen))
		return -1;
	return seen;
}

static void sr_init(struct kipc_sendrecv *sr, int recv_fd, char *rbuf)
{
	*sr = (struct kipc_sendrecv){
		.size = sizeof(*sr),
		.recv_fd = recv_fd,
		.send_buf = (uintptr_t)"request",
		.send_len = 7,
		.recv_buf = (uintptr_t)rbuf,
		.recv_len = MSG,
	};
}

static void handle_usr1(int flags)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	handled = 0;
}

TEST_F(sr, stop_and_continue_do_not_interrupt_the_wait)
{
	struct kipc_sendrecv sr;
	char rbuf[MSG];

	sr_init(&sr, self->rep, rbuf);
	self->server = serve(self, STOP_CONT, 100);
	ASSERT_LT(0, self->server);
	EXPECT_EQ(5, ioctl(self->req, KIPC_IOC_SENDRECV, &sr))
		TH_LOG("sendrecv: %s", strerror(errno));
	EXPECT_EQ(KIPC_SENDRECV_SENT, sr.result);
	EXPECT_EQ(3, sr.recv_prio);
	EXPECT_EQ(0, memcmp(rbuf, "reply", 5));
	EXPECT_EQ(1, requests_seen(self));
}

TEST_F(sr, a_restarting_handler_does_not_interrupt_the_wait)
{
	struct kipc_sendrecv sr;
	char rbuf[MSG];

	handle_usr1(SA_RESTART);
	sr_init(&sr, self->rep, rbuf);
	self->server = serve(self, SIGNAL, 100);
	ASSERT_LT(0, self->server);
	EXPECT_EQ(5, ioctl(self->req, KIPC_IOC_SENDRECV, &sr))
		TH_LOG("sendrecv: %s", strerror(errno));
	EXPECT_EQ(1, handled);
	EXPECT_EQ(KIPC_SENDRECV_SENT, sr.result);
	EXPECT_EQ(1, requests_seen(self));
}

TEST_F(sr, eintr_then_the_same_call_receives_only)
{
	struct kipc_sendrecv sr;
	char rbuf[MSG];

	handle_usr1(0);
	sr_init(&sr, self->rep, rbuf);
	self->server = serve(self, SIGNAL, 300);
	ASSERT_LT(0, self->server);
	ASSERT_EQ(-1, ioctl(self->req, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(1, handled);
	EXPECT_EQ(KIPC_SENDRECV_SENT | KIPC_SENDRECV_PENDING, sr.result);
	/* the same struct again: the reply, not a second request */
	EXPECT_EQ(5, ioctl(self->req, KIPC_IOC_SENDRECV, &sr))
		TH_LOG("resumed sendrecv: %s", strerror(errno));
	EXPECT_EQ(KIPC_SENDRECV_SENT, sr.result);
	EXPECT_EQ(0, memcmp(rbuf, "reply", 5));
	EXPECT_EQ(1, requests_seen(self));
	/* a completed call's struct sends again */
	EXPECT_EQ(0, kt_send(self->rep, "again", 5, 0, 0, 0));
	EXPECT_EQ(5, ioctl(self->req, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(7, kt_recv(self->req, rbuf, sizeof(rbuf), NULL, KIPC_MSG_NONBLOCK, 0));
}

TEST_F(sr, the_receive_half_blocks_as_the_reply_descriptor_says)
{
	int req_nb = kt_anon(O_RDWR | O_NONBLOCK, 8, MSG);
	int rep_nb = kt_anon(O_RDWR | O_NONBLOCK, 8, MSG);
	struct kipc_sendrecv sr;
	char rbuf[MSG];

	ASSERT_LE(0, req_nb);
	ASSERT_LE(0, rep_nb);
	/* a non-blocking request queue, a blocking reply queue: it waits */
	close(self->req);
	self->req = req_nb;
	sr_init(&sr, self->rep, rbuf);
	self->server = serve(self, NOTHING, 100);
	ASSERT_LT(0, self->server);
	EXPECT_EQ(5, ioctl(self->req, KIPC_IOC_SENDRECV, &sr))
		TH_LOG("sendrecv: %s", strerror(errno));
	EXPECT_EQ(1, requests_seen(self));
	kt_wait_child(self->server);
	self->server = -1;

	/* and a non-blocking reply queue does not wait */
	sr_init(&sr, rep_nb, rbuf);
	EXPECT_EQ(-1, ioctl(self->req, KIPC_IOC_SENDRECV, &sr));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(KIPC_SENDRECV_SENT, sr.result);
	close(rep_nb);
}

TEST_HARNESS_MAIN
