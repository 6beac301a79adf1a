// SPDX-License-Identifier: GPL-2.0
/*
 * KIPC_QUEUE_TRACK: a client in KIPC_IOC_SENDRECV is told ECONNRESET as
 * soon as the process that took its request closes the file it took it
 * through (or dies), EPIPE if the last reader goes with the request still
 * queued, and gets a reply already sent whatever happens after. Only the
 * process that took the request counts (a prefork worker's siblings do
 * not), the guarantee survives restarts, a queue without the option
 * behaves as before, and an unprivileged client cannot make the records
 * pile up.
 *
 * Clients and servers are children; they report through shared memory
 * (struct out), the test process watches and kills them.
 */
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "kipc_hostile.h"

#define MSG		16
#define QNAME		"track-test"
/*
 * kill() to the client's return: the server's exit tears its memory down
 * before it closes its files, which takes from 1 ms (TCG) to 50 ms (the
 * KASAN kernel); so the bound is what a process takes to die here, with
 * room for a loaded host (kill_cost_ns()).
 */
#define WAKE_SLACK_NS	(20 * 1000000LL)

/* What a client child did. */
struct out {
	volatile int done;
	int ret;
	int err;
	__u32 result;
	__s64 t_ns;		/* CLOCK_MONOTONIC at its return */
	int eintr;		/* the first call's errno, for the EINTR case */
	int handled;
	char buf[MSG];
};

/* A queue descriptor, with @options; named if @name. */
static int tq_sized(const char *name, int oflag, __u32 flags, __u32 options,
		    __u32 msgsize)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = flags | (name ? 0 : KIPC_OPEN_ANON),
		.mode = 0666,
		.maxmsg = 8,
		.msgsize = msgsize,
		.options = options,
	};
	int fd = kt_open_dev(oflag);

	if (fd < 0)
		return fd;
	if (name)
		memcpy(qo.name, name, strlen(name));
	if (ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo)) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int tq(const char *name, int oflag, __u32 flags, __u32 options)
{
	return tq_sized(name, oflag, flags, options, MSG);
}

static void sr_init(struct kipc_sendrecv *sr, int recv_fd, char *rbuf,
		    __s64 deadline_ns)
{
	*sr = (struct kipc_sendrecv){
		.size = sizeof(*sr),
		.recv_fd = recv_fd,
		.send_buf = (uintptr_t)"request",
		.send_len = 7,
		.recv_buf = (uintptr_t)rbuf,
		.recv_len = MSG,
		.flags = deadline_ns ? KIPC_MSG_DEADLINE : 0,
		.deadline_ns = deadline_ns,
	};
}

static struct out *o;

static void on_usr1(int sig)
{
	(void)sig;
	o->handled++;
}

enum handler { NO_HANDLER, RESTART_HANDLER, EINTR_HANDLER };

/* A client child: one SENDRECV on @req, the reply on @rep; result in *o. */
static pid_t client(int req, int rep, __s64 deadline_ns, enum handler h)
{
	struct kipc_sendrecv sr;
	pid_t pid = fork();
	int ret;

	if (pid)
		return pid;
	if (h != NO_HANDLER) {
		struct sigaction sa = {
			.sa_handler = on_usr1,
			.sa_flags = h == RESTART_HANDLER ? SA_RESTART : 0,
		};

		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR1, &sa, NULL);
	}
	sr_init(&sr, rep, o->buf, deadline_ns);
	ret = ioctl(req, KIPC_IOC_SENDRECV, &sr);
	if (ret < 0 && errno == EINTR) {
		o->eintr = EINTR;
		/* the same struct again: the reply, or what became of it */
		ret = ioctl(req, KIPC_IOC_SENDRECV, &sr);
	}
	o->t_ns = kt_now_ns();
	o->err = ret < 0 ? errno : 0;
	o->ret = ret;
	o->result = sr.result;
	__atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
	_exit(0);
}

/* Has the client returned within @ms? */
static bool client_done(int ms)
{
	for (int i = 0; i < ms; i++) {
		if (__atomic_load_n(&o->done, __ATOMIC_ACQUIRE))
			return true;
		usleep(1000);
	}
	return __atomic_load_n(&o->done, __ATOMIC_ACQUIRE);
}

/*
 * A server child: take one request from @fd, say so on @taken (its
 * pid), then do what @go says, byte by byte: 'r' reply on @rep, 'c'
 * close @fd, 'x' exit.
 */
static pid_t server(int fd, int rep, int taken, int go)
{
	pid_t pid = fork();
	char buf[MSG], c;
	pid_t me;

	if (pid)
		return pid;
	if (kt_recv(fd, buf, sizeof(buf), NULL, 0, 0) < 0)
		_exit(1);
	me = getpid();
	if (write(taken, &me, sizeof(me)) != sizeof(me))
		_exit(2);
	while (read(go, &c, 1) == 1) {
		if (c == 'r' && kt_send(rep, "reply", 5, 0, 0, 0))
			_exit(3);
		if (c == 'c')
			close(fd);
		if (c == 'x')
			_exit(0);
	}
	_exit(0);
}

FIXTURE(tr) {
	int req;		/* the tracked request queue */
	int rep;		/* the client's reply queue */
	int taken[2];		/* server -> test: its pid, request taken */
	int go[2];		/* test -> server(s): what to do next */
	pid_t pids[4];
	int npids;
};

FIXTURE_SETUP(tr)
{
	o = kh_shared(sizeof(*o));
	ASSERT_NE(NULL, o);
	self->req = tq(NULL, O_RDWR, 0, KIPC_QUEUE_TRACK);
	self->rep = tq(NULL, O_RDWR, 0, 0);
	ASSERT_LE(0, self->req);
	ASSERT_LE(0, self->rep);
	ASSERT_EQ(0, pipe(self->taken));
	ASSERT_EQ(0, pipe(self->go));
	self->npids = 0;
}

FIXTURE_TEARDOWN(tr)
{
	for (int i = 0; i < self->npids; i++) {
		kill(self->pids[i], SIGKILL);
		kt_wait_child(self->pids[i]);
	}
	close(self->req);
	close(self->rep);
	close(self->taken[0]);
	close(self->taken[1]);
	close(self->go[0]);
	close(self->go[1]);
	munmap(o, sizeof(*o));
}

static pid_t track(struct _test_data_tr *self, pid_t pid)
{
	if (pid > 0)
		self->pids[self->npids++] = pid;
	return pid;
}

static pid_t taken_by(struct _test_data_tr *self)
{
	struct pollfd p = { .fd = self->taken[0], .events = POLLIN };
	pid_t pid = -1;

	if (poll(&p, 1, 10000) != 1 ||
	    read(self->taken[0], &pid, sizeof(pid)) != sizeof(pid))
		return -1;
	return pid;
}

static void order(struct _test_data_tr *self, char c)
{
	if (write(self->go[1], &c, 1) != 1)
		abort();
}

/* Kill and reap @pid; returns when it is gone. */
static void kill_wait(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* kill() to waitpid()'s return for a child like the server. */
static __s64 kill_cost_ns(void)
{
	pid_t pid = fork();
	__s64 t0;

	if (pid == 0) {
		for (;;)
			pause();
	}
	if (pid < 0)
		return -1;
	usleep(20000);
	t0 = kt_now_ns();
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return kt_now_ns() - t0;
}

TEST_F(tr, a_server_killed_after_taking_the_request_fails_the_client_at_once)
{
	__s64 t0, dt, cost = kill_cost_ns();
	pid_t srv, cl;

	srv = track(self, server(self->req, self->rep, self->taken[1], self->go[0]));
	cl = track(self, client(self->req, self->rep, 0, NO_HANDLER));
	ASSERT_LT(0, srv);
	ASSERT_LT(0, cl);
	ASSERT_EQ(srv, taken_by(self));
	usleep(50000);		/* the client is asleep for its reply */
	ASSERT_FALSE(client_done(0));
	t0 = kt_now_ns();
	kill(srv, SIGKILL);
	ASSERT_TRUE(client_done(5000));
	dt = o->t_ns - t0;
	TH_LOG("kill() to the client's ECONNRESET: %lld us (kill() to reaping a child: %lld us)",
	       (long long)dt / 1000, (long long)cost / 1000);
	EXPECT_EQ(-1, o->ret);
	EXPECT_EQ(ECONNRESET, o->err);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
	ASSERT_LT(0, cost);
	EXPECT_GT(WAKE_SLACK_NS + 4 * cost, dt);
}

/*
 * A request taken with KIPC_IOC_RECVMSG says a client waits for it, and is
 * tracked to the file it came through as with read(); a plain message on
 * the same queue is not marked.
 */
TEST_F(tr, recvmsg_marks_a_tracked_request_and_tracks_it)
{
	char buf[MSG];
	struct kipc_recvmsg rm = {
		.size = sizeof(rm), .buf = (uintptr_t)buf, .len = MSG,
	};

	ASSERT_EQ(0, kt_send(self->req, "plain", 5, 0, 0, 0));
	ASSERT_EQ(5, ioctl(self->req, KIPC_IOC_RECVMSG, &rm));
	EXPECT_EQ(0, rm.hdr_flags);
	track(self, client(self->req, self->rep, 0, NO_HANDLER));
	rm.len = MSG;
	ASSERT_EQ(7, ioctl(self->req, KIPC_IOC_RECVMSG, &rm));
	EXPECT_EQ(KIPC_HDR_TRACKED, rm.hdr_flags);
	EXPECT_EQ(0, memcmp(buf, "request", 7));
	EXPECT_FALSE(client_done(100));
	/* The client holds its own copy of the descriptor: ours took it. */
	close(self->req);
	self->req = -1;
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(-1, o->ret);
	EXPECT_EQ(ECONNRESET, o->err);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
}

TEST_F(tr, the_death_of_a_server_that_did_not_take_it_changes_nothing)
{
	pid_t a, b, took, other;

	a = track(self, server(self->req, self->rep, self->taken[1], self->go[0]));
	b = track(self, server(self->req, self->rep, self->taken[1], self->go[0]));
	track(self, client(self->req, self->rep, 0, NO_HANDLER));
	took = taken_by(self);
	ASSERT_TRUE(took == a || took == b);
	other = took == a ? b : a;
	kill_wait(other);
	EXPECT_FALSE(client_done(200));
	order(self, 'r');
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(5, o->ret);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
	EXPECT_EQ(0, memcmp(o->buf, "reply", 5));
}

/* A prefork server: the parent forks a worker that shares its file. */
static pid_t prefork(struct _test_data_tr *self, pid_t *worker)
{
	int wp[2];
	pid_t pid;

	if (pipe(wp))
		return -1;
	pid = fork();
	if (pid == 0) {
		pid_t w = server(self->req, self->rep, self->taken[1], self->go[0]);

		if (write(wp[1], &w, sizeof(w)) != sizeof(w))
			_exit(1);
		/* the parent takes nothing; it waits to be killed */
		for (;;)
			pause();
	}
	if (pid < 0 || read(wp[0], worker, sizeof(*worker)) != sizeof(*worker))
		pid = -1;
	close(wp[0]);
	close(wp[1]);
	return pid;
}

TEST_F(tr, prefork_the_worker_that_took_it_dies)
{
	pid_t parent, worker = -1;

	parent = track(self, prefork(self, &worker));
	ASSERT_LT(0, parent);
	track(self, client(self->req, self->rep, 0, NO_HANDLER));
	ASSERT_EQ(worker, taken_by(self));
	EXPECT_FALSE(client_done(50));
	kill(worker, SIGKILL);
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(ECONNRESET, o->err);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
}

TEST_F(tr, prefork_the_parent_dies_the_worker_holds_it)
{
	pid_t parent, worker = -1;

	parent = track(self, prefork(self, &worker));
	ASSERT_LT(0, parent);
	track(self, client(self->req, self->rep, 0, NO_HANDLER));
	track(self, worker);
	ASSERT_EQ(worker, taken_by(self));
	kill_wait(parent);
	EXPECT_FALSE(client_done(200));
	/* the orphaned worker still answers */
	order(self, 'r');
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(5, o->ret);
	kill(worker, SIGKILL);
}

TEST_F(tr, a_reply_sent_before_the_server_died_wins)
{
	pid_t srv, cl;

	srv = track(self, server(self->req, self->rep, self->taken[1], self->go[0]));
	cl = track(self, client(self->req, self->rep, 0, NO_HANDLER));
	ASSERT_EQ(srv, taken_by(self));
	usleep(50000);
	/* the client is stopped while the server replies and dies */
	kill(cl, SIGSTOP);
	usleep(50000);
	order(self, 'r');
	order(self, 'x');
	waitpid(srv, NULL, 0);
	EXPECT_FALSE(client_done(50));
	kill(cl, SIGCONT);
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(5, o->ret);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
	EXPECT_EQ(0, memcmp(o->buf, "reply", 5));
}

TEST_F(tr, closing_the_receiving_descriptor_fails_the_client)
{
	pid_t srv;

	srv = track(self, server(self->req, self->rep, self->taken[1], self->go[0]));
	track(self, client(self->req, self->rep, 0, NO_HANDLER));
	ASSERT_EQ(srv, taken_by(self));
	/* another process closing its descriptor of the same file: nothing */
	close(dup(self->req));
	EXPECT_FALSE(client_done(200));
	order(self, 'c');
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(ECONNRESET, o->err);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
}

TEST_F(tr, stops_and_restarting_handlers_keep_the_guarantee)
{
	pid_t srv, cl;

	srv = track(self, server(self->req, self->rep, self->taken[1], self->go[0]));
	cl = track(self, client(self->req, self->rep, 0, RESTART_HANDLER));
	ASSERT_EQ(srv, taken_by(self));
	usleep(50000);
	kill(cl, SIGSTOP);
	usleep(50000);
	kill(cl, SIGCONT);
	usleep(50000);
	kill(cl, SIGUSR1);
	usleep(50000);
	EXPECT_FALSE(client_done(0));
	kill(srv, SIGKILL);
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(1, o->handled);
	EXPECT_EQ(0, o->eintr);
	EXPECT_EQ(ECONNRESET, o->err);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
}

TEST_F(tr, eintr_then_the_same_call_keeps_the_guarantee)
{
	pid_t srv, cl;

	srv = track(self, server(self->req, self->rep, self->taken[1], self->go[0]));
	cl = track(self, client(self->req, self->rep, 0, EINTR_HANDLER));
	ASSERT_EQ(srv, taken_by(self));
	usleep(50000);
	kill(cl, SIGUSR1);
	usleep(100000);
	EXPECT_FALSE(client_done(0));
	kill(srv, SIGKILL);
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(1, o->handled);
	EXPECT_EQ(EINTR, o->eintr);
	EXPECT_EQ(ECONNRESET, o->err);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
}

TEST_F(tr, a_queue_without_the_option_leaves_the_client_waiting)
{
	int plain = tq(NULL, O_RDWR, 0, 0);
	pid_t srv;
	__s64 t0;

	ASSERT_LE(0, plain);
	srv = track(self, server(plain, self->rep, self->taken[1], self->go[0]));
	t0 = kt_now_ns();
	track(self, client(plain, self->rep, t0 + 400 * 1000000LL, NO_HANDLER));
	ASSERT_EQ(srv, taken_by(self));
	kill(srv, SIGKILL);
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(ETIMEDOUT, o->err);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
	EXPECT_LE(400 * 1000000LL, o->t_ns - t0);
	close(plain);
}

/* A child that holds a reader of QNAME until told to go. */
static pid_t reader(int ready, int go)
{
	pid_t pid = fork();
	char c;
	int fd;

	if (pid)
		return pid;
	fd = tq(QNAME, O_RDONLY, 0, 0);
	if (fd < 0)
		_exit(1);
	if (write(ready, "x", 1) != 1)
		_exit(2);
	if (read(go, &c, 1) < 0)
		_exit(3);
	_exit(0);
}

TEST_F(tr, the_last_reader_going_fails_queued_requests_with_epipe)
{
	char buf[MSG];
	pid_t r;
	int w, rd;

	kt_unlink(QNAME);
	w = tq(QNAME, O_WRONLY, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, KIPC_QUEUE_TRACK);
	ASSERT_LE(0, w);
	r = track(self, reader(self->taken[1], self->go[0]));
	ASSERT_TRUE(kh_wait(self->taken[0]));
	track(self, client(w, self->rep, 0, NO_HANDLER));
	EXPECT_FALSE(client_done(200));
	order(self, 'x');
	waitpid(r, NULL, 0);
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(EPIPE, o->err);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
	/* discarded: a reader that comes afterwards never gets it */
	rd = tq(QNAME, O_RDONLY, 0, 0);
	ASSERT_LE(0, rd);
	EXPECT_EQ(-EAGAIN, kt_recv(rd, buf, sizeof(buf), NULL, KIPC_MSG_NONBLOCK, 0));
	close(rd);
	close(w);
	kt_unlink(QNAME);
}

TEST_F(tr, a_request_to_a_queue_without_a_reader_waits_as_before)
{
	char buf[MSG];
	int w, rd;

	kt_unlink(QNAME);
	w = tq(QNAME, O_WRONLY, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, KIPC_QUEUE_TRACK);
	ASSERT_LE(0, w);
	track(self, client(w, self->rep, kt_now_ns() + 300 * 1000000LL, NO_HANDLER));
	ASSERT_TRUE(client_done(5000));
	EXPECT_EQ(ETIMEDOUT, o->err);
	EXPECT_EQ(KIPC_SENDRECV_SENT, o->result);
	/* its client gone, the request is an ordinary message */
	rd = tq(QNAME, O_RDONLY, 0, 0);
	ASSERT_LE(0, rd);
	EXPECT_EQ(7, kt_recv(rd, buf, sizeof(buf), NULL, KIPC_MSG_NONBLOCK, 0));
	close(rd);
	close(w);
	kt_unlink(QNAME);
}

/* KIPC_A_MEM_BYTES of QNAME: the queue's buffers and its call records. */
static void mem_cb(struct nlmsghdr *nlh, void *data)
{
	*(long long *)data = (long long)nl_u64(nlh, KIPC_A_MEM_BYTES);
}

static long long queue_mem_bytes(void)
{
	struct nl_sock *s = malloc(sizeof(*s));
	long long mem = -1;
	struct nl_req r;

	if (s && !nl_open(s)) {
		nl_init(s, &r, s->family, KIPC_CMD_OBJ_GET, 0);
		nl_put_str(&r, KIPC_A_NAME, QNAME);
		if (nl_talk(s, &r, mem_cb, &mem))
			mem = -1;
		nl_close(s);
	}
	free(s);
	return mem;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Wait until the never-replying server has taken every request. */
static int drained(int fd)
{
	struct kipc_stats st;

	for (int i = 0; i < 5000; i++) {
		if (kt_stats(fd, &st) || !st.curmsgs)
			return 0;
		usleep(1000);
	}
	return -1;
}

#define HOSTILE_CALLS	3000
#define HOSTILE_SLOTS	64

/*
 * nobody, on a file of its own: HOSTILE_CALLS calls whose receive half
 * gives up at once, then calls interrupted by a timer (EINTR, parked)
 * from HOSTILE_SLOTS struct addresses, every other one resuming its
 * slot's call; its requests are taken by a server that never replies.
 * Says on @done when it is through, then waits to be killed, its calls
 * parked. fails[0] counts what went otherwise, fails[1] the calls parked.
 */
static pid_t hostile(int rep, int done, int *fails)
{
	static struct kipc_sendrecv sr[HOSTILE_SLOTS];
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = {
		.it_value.tv_usec = 2000,
		.it_interval.tv_usec = 2000,
	};
	pid_t pid = fork();
	char buf[MSG];
	int req;

	if (pid)
		return pid;
	kh_become(KT_NOBODY, 0);
	req = tq(QNAME, O_WRONLY, 0, 0);
	if (req < 0)
		_exit(1);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	for (int i = 0; i < HOSTILE_CALLS; i++) {
		sr_init(&sr[0], rep, buf, 0);
		sr[0].flags = KIPC_MSG_NONBLOCK;
		if (ioctl(req, KIPC_IOC_SENDRECV, &sr[0]) != -1 || errno != EAGAIN)
			(*fails)++;
	}
	memset(sr, 0, sizeof(sr));
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < 4 * HOSTILE_SLOTS; i++) {
		struct kipc_sendrecv *s = &sr[i % HOSTILE_SLOTS];

		if (!(i & 1) || !(s->result & KIPC_SENDRECV_PENDING))
			sr_init(s, rep, buf, 0);
		/* room for the request: the timer interrupts the receive half */
		if (drained(req))
			(*fails)++;
		if (ioctl(req, KIPC_IOC_SENDRECV, s) != -1 || errno != EINTR)
			(*fails)++;
		if (s->result & KIPC_SENDRECV_PENDING)
			fails[1]++;
	}
	it.it_value.tv_usec = 0;
	it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	kh_signal(done);
	for (;;)
		pause();
}

/* One round of the hostile client; the queue's memory while it is parked. */
static long long hostile_round(struct __test_metadata *_metadata, int req, int rep)
{
	int *fails = kh_shared(2 * sizeof(*fails)), done[2];
	long long peak;
	pid_t h;

	if (!fails || pipe(done))
		return -1;
	h = hostile(rep, done[1], fails);
	if (h < 0 || !kh_wait(done[0]))
		return -1;
	EXPECT_EQ(0, fails[0]);
	/* enough calls were parked to meet the bound */
	EXPECT_LE(2 * HOSTILE_SLOTS, fails[1]);
	drained(req);
	peak = queue_mem_bytes();
	kill_wait(h);
	munmap(fails, 2 * sizeof(*fails));
	close(done[0]);
	close(done[1]);
	return peak;
}

TEST(an_unprivileged_client_cannot_pile_up_call_records)
{
	long long base, peak, after;
	char buf[MSG];
	int req, rep;
	pid_t srv;

	umask(0);
	kt_unlink(QNAME);
	/*
	 * Messages too large to be recycled: an idle queue keeps exactly one
	 * spare buffer, so its memory is the same after each round but for
	 * call records.
	 */
	req = tq_sized(QNAME, O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
		       KIPC_QUEUE_TRACK, 8192);
	ASSERT_LE(0, req);
	rep = tq(NULL, O_RDWR, 0, 0);
	ASSERT_LE(0, rep);
	/* a server that takes every request and never replies */
	srv = fork();
	if (srv == 0) {
		for (;;)
			kt_recv(req, buf, sizeof(buf), NULL, 0, 0);
	}
	ASSERT_LT(0, srv);
	/* a first round leaves the queue's spare buffer and record */
	peak = hostile_round(_metadata, req, rep);
	ASSERT_LT(0, peak);
	TH_LOG("first round: %lld bytes with the client's calls parked", peak);
	ASSERT_EQ(0, drained(req));
	base = queue_mem_bytes();
	ASSERT_LT(0, base);
	peak = hostile_round(_metadata, req, rep);
	ASSERT_EQ(0, drained(req));
	after = queue_mem_bytes();
	TH_LOG("queue memory: %lld bytes idle, %lld with the client's calls parked, %lld after",
	       base, peak, after);
	/* parked calls are bounded per file (8), whatever it tried */
	EXPECT_GE(base + 4096, peak);
	EXPECT_LT(base, peak);
	/* the client gone, not one record left */
	EXPECT_EQ(base, after);
	kill_wait(srv);
	close(rep);
	close(req);
	kt_unlink(QNAME);
}

TEST_HARNESS_MAIN
