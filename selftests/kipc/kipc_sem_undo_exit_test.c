// SPDX-License-Identifier: GPL-2.0
/*
 * Undo when the holder's last close races an operation: a process P shares
 * a buffer's file with this test process (fork). In P, one thread is inside
 * an undo operation while another closes P's only descriptor of the file;
 * the operation then completes, and P exits. No descriptor of P is left to
 * close, and the file lives on here, so the close that ends P's use of the
 * file is the only one that can give the units back: they must come back
 * (the test process sees the value again) and no later process may find
 * P's record (whose descriptor table may land at the same address) and
 * inherit its units.
 *
 * Two ways in: a waiter asleep in KIPC_IOC_SEM_WAIT when the close comes
 * (its record exists, the close finds it in use, and the grant comes after
 * the close); and a KIPC_IOC_SEMOP held on a userfaultfd page while it
 * copies its operations in (the close finds no record; the operation then
 * makes one and takes at once).
 */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/userfaultfd.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define VALUE		3	/* the churn's starting value */
#define CHILDREN	200	/* processes made after P's exit */
#define POLL_MS		3000	/* how long the undo may take to show */

struct op_thread {
	int fd;
	const struct kipc_sembuf *ops;	/* SEMOP if set, else an undo wait */
	int ret;
};

static void *op_thread_run(void *p)
{
	struct op_thread *t = p;

	if (t->ops)
		t->ret = kt_semop(t->fd, t->ops, 1, KIPC_SEM_NONBLOCK, 0);
	else
		t->ret = kt_sem_wait(t->fd, 0, 1, KIPC_SEM_UNDO, 0);
	return NULL;
}

static void signal_fd(int fd)
{
	char c = 1;

	if (write(fd, &c, 1) != 1)
		_exit(90);
}

static bool wait_fd(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

/*
 * P, route one: a thread waits for a unit with undo (the value is 0); this
 * thread closes the only descriptor under it and tells the parent, which
 * posts one unit: the waiter gets it after the close. Exit 0 if it did.
 */
static void __attribute__((noreturn)) holder_wait(int fd, int to_parent)
{
	struct op_thread t = { .fd = fd };
	pthread_t thr;

	if (pthread_create(&thr, NULL, op_thread_run, &t))
		_exit(10);
	if (kt_wait_sleepers(fd, 0, 1))
		_exit(11);
	if (close(fd))
		_exit(12);
	signal_fd(to_parent);
	pthread_join(thr, NULL);
	_exit(t.ret == 0 ? 0 : 13);
}

/*
 * P, route two: a thread's SEMOP (take one unit with undo, the value is 1)
 * faults on its operations, in a userfaultfd page; while it waits there,
 * this thread closes the only descriptor, then lets the copy finish: the
 * operation makes its record after the close and takes the unit at once.
 * Exit 0 if it did.
 */
static void __attribute__((noreturn)) holder_fault(int fd, int to_parent)
{
	static const struct kipc_sembuf take = {
		.sem = 0, .delta = -1, .flags = KIPC_SEM_UNDO,
	};
	long page = sysconf(_SC_PAGESIZE);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {};
	struct uffdio_copy copy = {};
	struct op_thread t = { .fd = fd };
	struct uffd_msg msg;
	struct pollfd pfd;
	pthread_t thr;
	char *area, *src;
	int uffd;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		_exit(20);
	area = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || src == MAP_FAILED)
		_exit(21);
	reg.range.start = (uintptr_t)area;
	reg.range.len = page;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		_exit(22);
	memcpy(src, &take, sizeof(take));
	t.ops = (const struct kipc_sembuf *)area;
	if (pthread_create(&thr, NULL, op_thread_run, &t))
		_exit(23);
	pfd.fd = uffd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 10000) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		_exit(24);
	/* The SEMOP holds the file and has not looked for a record yet. */
	if (close(fd))
		_exit(25);
	copy.dst = (uintptr_t)area;
	copy.src = (uintptr_t)src;
	copy.len = page;
	if (ioctl(uffd, UFFDIO_COPY, &copy))
		_exit(26);
	pthread_join(thr, NULL);
	signal_fd(to_parent);
	_exit(t.ret == 0 ? 0 : 27);
}

/*
 * P, with a second descriptor of the file (dup): a thread waits for a unit
 * with undo, this thread closes the first descriptor, the parent posts;
 * the unit stays taken while the dup is open, and its close gives it back.
 */
static void __attribute__((noreturn)) holder_dup(int fd, int to_parent, int from_parent)
{
	struct op_thread t = { .fd = fd };
	pthread_t thr;
	int dup_fd = dup(fd);

	if (dup_fd < 0 || pthread_create(&thr, NULL, op_thread_run, &t))
		_exit(30);
	if (kt_wait_sleepers(fd, 0, 1))
		_exit(31);
	if (close(fd))
		_exit(32);
	signal_fd(to_parent);
	pthread_join(thr, NULL);
	if (t.ret)
		_exit(33);
	signal_fd(to_parent);
	if (!wait_fd(from_parent))
		_exit(34);
	close(dup_fd);
	signal_fd(to_parent);
	wait_fd(from_parent);
	_exit(0);
}

/*
 * P, stressed: RACERS threads take units with undo (waiting a little, or
 * not at all) and leave them to undo, through whatever descriptor P has
 * at the moment (posting them back with undo could make a take-back that
 * stops at zero, which the final count could not tell from a double
 * give-back); one thread keeps passing the file
 * through a socket of P's own, so that for moments P has no descriptor of
 * it while the others are inside their operations. Runs until the parent
 * says stop (a byte on @from_parent), then closes its last descriptor
 * while the others still run, and exits with the file in flight.
 */
#define RACERS		3

struct race {
	_Atomic int fd;		/* P's descriptor now, or -1 */
	_Atomic bool stop;
	int sock[2];
	long ops;
};

static void *racer(void *p)
{
	struct race *r = p;
	long n = 0;

	while (!atomic_load(&r->stop)) {
		int fd = atomic_load(&r->fd);

		if (fd < 0)
			continue;
		/* a descriptor number may be gone, or back, by now: EBADF */
		if (n % 3 == 0)
			kt_sem_wait(fd, 0, 1, KIPC_SEM_UNDO | KIPC_SEM_DEADLINE,
				    kt_now_ns() + 1000000);
		else
			kt_sem_wait(fd, 0, 1, KIPC_SEM_UNDO | KIPC_SEM_NONBLOCK, 0);
		n++;
	}
	__atomic_fetch_add(&r->ops, n, __ATOMIC_RELAXED);
	return NULL;
}

static int pass_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {}, c = 0;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

static int take_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {}, c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static void __attribute__((noreturn)) holder_race(int fd, int to_parent, int from_parent)
{
	struct race r = { .fd = fd };
	pthread_t thr[RACERS];
	struct pollfd pfd = { .fd = from_parent, .events = POLLIN };
	long passes = 0;
	int cur;

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, r.sock))
		_exit(50);
	for (int i = 0; i < RACERS; i++)
		if (pthread_create(&thr[i], NULL, racer, &r))
			_exit(51);
	while (poll(&pfd, 1, 0) == 0) {
		cur = atomic_exchange(&r.fd, -1);

		/* in flight: P has no descriptor of the file until it is back */
		if (pass_fd(r.sock[0], cur) || close(cur))
			_exit(52);
		usleep(passes % 7 * 100);
		cur = take_fd(r.sock[1]);
		if (cur < 0)
			_exit(53);
		atomic_store(&r.fd, cur);
		usleep(passes % 5 * 100);
		passes++;
	}
	/* The last close comes while the racers are still at it. */
	cur = atomic_exchange(&r.fd, -1);
	if (pass_fd(r.sock[0], cur) || close(cur))
		_exit(55);
	usleep(2000);
	atomic_store(&r.stop, true);
	for (int i = 0; i < RACERS; i++)
		pthread_join(thr[i], NULL);
	if (write(to_parent, &passes, sizeof(passes)) != sizeof(passes) ||
	    write(to_parent, &r.ops, sizeof(r.ops)) != sizeof(r.ops))
		_exit(54);
	_exit(0);
}

/* Poll semaphore 0 until it reads @want or POLL_MS pass; the last value. */
static int value_becomes(int fd, int want)
{
	int v = -1;

	for (int ms = 0; ms < POLL_MS; ms += 10) {
		v = kt_sem_value(fd, 0, NULL);
		if (v == want)
			break;
		usleep(10000);
	}
	return v;
}

static bool have_userfaultfd(void)
{
	int uffd = syscall(SYS_userfaultfd, O_CLOEXEC);

	if (uffd < 0)
		return false;
	close(uffd);
	return true;
}

FIXTURE(undo_exit) {
	int fd;
	int pipe[2];	/* from P */
	int down[2];	/* to P */
	pid_t holder;
};

FIXTURE_SETUP(undo_exit)
{
	self->holder = -1;
	self->fd = kt_shbuf_anon(0, 1);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pipe(self->pipe));
	ASSERT_EQ(0, pipe(self->down));
}

FIXTURE_TEARDOWN(undo_exit)
{
	if (self->holder > 0) {
		kill(self->holder, SIGKILL);
		kt_wait_child(self->holder);
	}
	close(self->pipe[0]);
	close(self->pipe[1]);
	close(self->down[0]);
	close(self->down[1]);
	close(self->fd);
}

/* Run P (route two if @fault); return its exit status (0: its operation succeeded). */
static int run_holder(FIXTURE_DATA(undo_exit) *self, bool fault)
{
	int status;

	self->holder = fork();
	if (self->holder < 0)
		return -1;
	if (self->holder == 0) {
		close(self->pipe[0]);
		if (fault)
			holder_fault(self->fd, self->pipe[1]);
		holder_wait(self->fd, self->pipe[1]);
	}
	if (!wait_fd(self->pipe[0]))
		return -2;
	/* Route one: P's descriptor is gone; its waiter gets this unit. */
	if (!fault && kt_sem_post(self->fd, 0, 1, 0))
		return -3;
	status = kt_wait_child(self->holder);
	self->holder = -1;
	return status;
}

/*
 * After P: CHILDREN processes, each forked here (the descriptor table of
 * one of them likely lands where P's was), take a unit with undo; every
 * other one posts it back with undo, the rest leave it to their exit.
 * Each must see its own take, and its exit must leave the value as it
 * found it: a child that inherited P's record would give back P's units
 * too.
 */
static void churn(struct __test_metadata *_metadata, int fd)
{
	int bad = 0, inherited = 0, before, after, status;
	pid_t pid;

	for (int i = 0; i < CHILDREN; i++) {
		before = kt_sem_value(fd, 0, NULL);
		ASSERT_LE(1, before);
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (kt_sem_wait(fd, 0, 1, KIPC_SEM_UNDO | KIPC_SEM_NONBLOCK, 0))
				_exit(1);
			if (kt_sem_value(fd, 0, NULL) != before - 1)
				_exit(2);
			if (i % 2 && kt_sem_post(fd, 0, 1, KIPC_SEM_UNDO))
				_exit(3);
			_exit(0);
		}
		status = kt_wait_child(pid);
		after = kt_sem_value(fd, 0, NULL);
		if (status)
			bad++;
		if (after != before) {
			if (!inherited)
				TH_LOG("child %d: exit left %d, found %d", i, after, before);
			inherited++;
		}
	}
	EXPECT_EQ(0, bad);
	EXPECT_EQ(0, inherited);
	EXPECT_EQ(VALUE, kt_sem_value(fd, 0, NULL));
}

/* The case: the grant comes after the close; P exits. */
TEST_F_TIMEOUT(undo_exit, waiter_granted_after_close_gives_back_at_exit, 60)
{
	ASSERT_EQ(0, run_holder(self, false));
	/* P's waiter took the unit posted; P's exit gives it back. */
	EXPECT_EQ(1, value_becomes(self->fd, 1));
}

/* Then no later process inherits P's units, or leaves its own. */
TEST_F_TIMEOUT(undo_exit, waiter_record_is_not_inherited, 240)
{
	int v;

	ASSERT_EQ(0, run_holder(self, false));
	v = value_becomes(self->fd, 1);
	EXPECT_EQ(1, v);
	if (v >= 0 && v < VALUE)
		ASSERT_EQ(0, kt_sem_post(self->fd, 0, VALUE - v, 0));
	churn(_metadata, self->fd);
}

/* A record made after the close (SEMOP held while copying its operations). */
TEST_F_TIMEOUT(undo_exit, record_made_after_close_gives_back_at_exit, 240)
{
	int v;

	if (!have_userfaultfd())
		SKIP(return, "no userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
	ASSERT_EQ(0, run_holder(self, true));
	v = value_becomes(self->fd, 1);
	EXPECT_EQ(1, v);
	if (v >= 0 && v < VALUE)
		ASSERT_EQ(0, kt_sem_post(self->fd, 0, VALUE - v, 0));
	churn(_metadata, self->fd);
}

/* A descriptor left in P: the close of the other one does not undo yet. */
TEST_F_TIMEOUT(undo_exit, waiter_keeps_units_while_a_descriptor_remains, 60)
{
	self->holder = fork();
	ASSERT_LE(0, self->holder);
	if (self->holder == 0) {
		close(self->pipe[0]);
		close(self->down[1]);
		holder_dup(self->fd, self->pipe[1], self->down[0]);
	}
	close(self->down[0]);
	self->down[0] = -1;
	ASSERT_TRUE(wait_fd(self->pipe[0]));
	ASSERT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
	/* P's waiter has the unit, and P still holds the file by the dup */
	ASSERT_TRUE(wait_fd(self->pipe[0]));
	usleep(100000);
	EXPECT_EQ(0, kt_sem_value(self->fd, 0, NULL));
	signal_fd(self->down[1]);
	/* closing the dup gives it back, before P exits */
	ASSERT_TRUE(wait_fd(self->pipe[0]));
	EXPECT_EQ(1, kt_sem_value(self->fd, 0, NULL));
	signal_fd(self->down[1]);
	EXPECT_EQ(0, kt_wait_child(self->holder));
	self->holder = -1;
	EXPECT_EQ(1, kt_sem_value(self->fd, 0, NULL));
}

/* exec closes an O_CLOEXEC descriptor: that gives the units back. */
TEST_F_TIMEOUT(undo_exit, exec_closing_the_descriptor_gives_back, 60)
{
	ASSERT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
	ASSERT_NE(0, fcntl(self->fd, F_GETFD) & FD_CLOEXEC);
	self->holder = fork();
	ASSERT_LE(0, self->holder);
	if (self->holder == 0) {
		if (kt_sem_wait(self->fd, 0, 1, KIPC_SEM_UNDO | KIPC_SEM_NONBLOCK, 0))
			_exit(40);
		signal_fd(self->pipe[1]);
		/* lives on, without the descriptor, until the test closes down */
		close(self->down[1]);
		dup2(self->down[0], 0);
		execl("/bin/sh", "sh", "-c", "read x; exit 0", (char *)NULL);
		_exit(41);
	}
	close(self->down[0]);
	self->down[0] = -1;
	ASSERT_TRUE(wait_fd(self->pipe[0]));
	EXPECT_EQ(1, value_becomes(self->fd, 1));
	/* P is still there, past its exec */
	EXPECT_EQ(0, waitpid(self->holder, NULL, WNOHANG));
	close(self->down[1]);
	self->down[1] = -1;
	EXPECT_EQ(0, kt_wait_child(self->holder));
	self->holder = -1;
}

/*
 * Undo operations race closes that leave P without a descriptor of the
 * file (passed through a socket and back): whatever happened, once P is
 * gone every unit it took is back, none twice. A stress for the debug
 * kernel more than a proof: whether an operation ends after the last
 * close depends on the scheduling.
 */
TEST_F_TIMEOUT(undo_exit, undo_races_closes_of_the_last_descriptor, 120)
{
	long passes = 0, ops = 0;

	ASSERT_EQ(0, kt_sem_post(self->fd, 0, VALUE, 0));
	self->holder = fork();
	ASSERT_LE(0, self->holder);
	if (self->holder == 0) {
		close(self->pipe[0]);
		close(self->down[1]);
		holder_race(self->fd, self->pipe[1], self->down[0]);
	}
	sleep(3);
	signal_fd(self->down[1]);
	ASSERT_EQ(sizeof(passes), read(self->pipe[0], &passes, sizeof(passes)));
	ASSERT_EQ(sizeof(ops), read(self->pipe[0], &ops, sizeof(ops)));
	EXPECT_EQ(0, kt_wait_child(self->holder));
	self->holder = -1;
	TH_LOG("%ld passes through the socket, %ld undo operations", passes, ops);
	EXPECT_LT(0, passes);
	EXPECT_EQ(VALUE, value_becomes(self->fd, VALUE));
}

TEST_HARNESS_MAIN
