// SPDX-License-Identifier: GPL-2.0
/*
 * Shared buffer semaphores: errnos, deadlines, FIFO hand-off, signals and
 * restart, undo on exit and on close, the all-or-nothing SEMOP, the
 * syscall-free fast path, counts conserved under concurrency, and garbage
 * in the control area.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <libkipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define MS	1000000LL

/* An anonymous buffer of @nsems semaphores, mapped (sb.fd is the fd). */
static int new_sems(struct kipc_shbuf *sb, unsigned int nsems,
		    const unsigned int *values)
{
	struct kipc_shbuf_attr a = { .size = 4096, .nsems = nsems, .values = values };
	int fd = kipc_shbuf_anon(O_RDWR, &a);

	if (fd < 0)
		return -errno;
	if (kipc_shbuf_map(fd, sb) < 0) {
		close(fd);
		return -errno;
	}
	return 0;
}

static void free_sems(struct kipc_shbuf *sb)
{
	kipc_shbuf_unmap(sb);
	close(sb->fd);
}

static struct kipc_stats sem_stats(int fd)
{
	struct kipc_stats st;

	kt_stats(fd, &st);
	return st;
}

FIXTURE(sem) {
	struct kipc_shbuf sb;
	int fd;
};

FIXTURE_SETUP(sem)
{
	ASSERT_EQ(0, new_sems(&self->sb, 4, NULL));
	self->fd = self->sb.fd;
}

FIXTURE_TEARDOWN(sem)
{
	free_sems(&self->sb);
}

TEST_F(sem, trywait_on_zero_is_eagain)
{
	EXPECT_EQ(-EAGAIN, kt_sem_wait(self->fd, 0, 1, KIPC_SEM_NONBLOCK, 0));
	EXPECT_EQ(-1, kipc_sem_trywait(&self->sb, 0));
	EXPECT_EQ(EAGAIN, errno);
	/* O_NONBLOCK on the descriptor means the same */
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-EAGAIN, kt_sem_wait(self->fd, 0, 1, 0, 0));
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, 0));
}

TEST_F(sem, post_then_wait_by_ioctl_and_by_library)
{
	unsigned int v;

	EXPECT_EQ(0, kt_sem_post(self->fd, 1, 5, 0));
	EXPECT_EQ(5, kt_sem_value(self->fd, 1, NULL));
	EXPECT_EQ(0, kipc_sem_getvalue(&self->sb, 1, &v));
	EXPECT_EQ(5, v);
	EXPECT_EQ(0, kt_sem_wait(self->fd, 1, 3, 0, 0));
	EXPECT_EQ(-EAGAIN, kt_sem_wait(self->fd, 1, 3, KIPC_SEM_NONBLOCK, 0));
	EXPECT_EQ(2, kt_sem_value(self->fd, 1, NULL));
	EXPECT_EQ(0, kipc_sem_wait(&self->sb, 1));
	EXPECT_EQ(0, kipc_sem_post(&self->sb, 1, 10));
	EXPECT_EQ(11, kt_sem_value(self->fd, 1, NULL));
	EXPECT_EQ(0, kipc_sem_take(&self->sb, 1, 11, 0, NULL));
	EXPECT_EQ(0, kt_sem_value(self->fd, 1, NULL));
	/* other semaphores untouched */
	EXPECT_EQ(0, kt_sem_value(self->fd, 0, NULL));
	EXPECT_EQ(0, kt_sem_value(self->fd, 2, NULL));
}

TEST_F(sem, post_past_the_maximum_is_eoverflow)
{
	EXPECT_EQ(0, kt_sem_post(self->fd, 0, KIPC_SEM_VALUE_MAX, 0));
	EXPECT_EQ(-EOVERFLOW, kt_sem_post(self->fd, 0, 1, 0));
	EXPECT_EQ(-1, kipc_sem_post(&self->sb, 0, 1));
	EXPECT_EQ(EOVERFLOW, errno);
	EXPECT_EQ(KIPC_SEM_VALUE_MAX, kt_sem_value(self->fd, 0, NULL));
	EXPECT_EQ(0, kt_sem_wait(self->fd, 0, 10, 0, 0));
	EXPECT_EQ(-EOVERFLOW, kt_sem_post(self->fd, 0, 11, 0));
	EXPECT_EQ(0, kt_sem_post(self->fd, 0, 10, 0));
	EXPECT_EQ(KIPC_SEM_VALUE_MAX, kt_sem_value(self->fd, 0, NULL));
}

TEST_F(sem, bad_arguments_are_refused)
{
	struct kipc_sem_arg a = { .size = sizeof(a), .count = 1 };

	EXPECT_EQ(-EINVAL, kt_sem_wait(self->fd, 4, 1, KIPC_SEM_NONBLOCK, 0));
	EXPECT_EQ(-EINVAL, kt_sem_wait(self->fd, ~0U, 1, KIPC_SEM_NONBLOCK, 0));
	EXPECT_EQ(-EINVAL, kt_sem_post(self->fd, 4, 1, 0));
	EXPECT_EQ(-EINVAL, kt_sem_value(self->fd, 4, NULL));
	EXPECT_EQ(-EINVAL, kt_sem_wait(self->fd, 0, 0, KIPC_SEM_NONBLOCK, 0));
	EXPECT_EQ(-EINVAL, kt_sem_wait(self->fd, 0, KIPC_SEM_VALUE_MAX + 1, 0, 0));
	EXPECT_EQ(-EINVAL, kt_sem_wait(self->fd, 0, ~0U, 0, 0));
	EXPECT_EQ(-EINVAL, kt_sem_post(self->fd, 0, KIPC_SEM_VALUE_MAX + 1, 0));
	EXPECT_EQ(-EINVAL, kt_sem_post(self->fd, 0, ~0U, 0));
	EXPECT_EQ(-EINVAL, kt_sem_wait(self->fd, 0, 1, 0x8, 0));
	EXPECT_EQ(-EINVAL, kt_sem_post(self->fd, 0, 1, KIPC_SEM_NONBLOCK));
	EXPECT_EQ(-EINVAL, kt_sem_post(self->fd, 0, 1, KIPC_SEM_DEADLINE));
	EXPECT_EQ(-EFAULT, kt_err(ioctl(self->fd, KIPC_IOC_SEM_WAIT, (void *)16)));
	EXPECT_EQ(-EFAULT, kt_err(ioctl(self->fd, KIPC_IOC_SEM_GETVALUE, NULL)));
	a.size = KIPC_SEM_ARG_SIZE_VER0 - 4;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(self->fd, KT_IOC_SIZED(KIPC_IOC_SEM_POST, a.size), &a)));
	a.size = 8192;
	EXPECT_EQ(-E2BIG, kt_err(ioctl(self->fd, KT_IOC_SIZED(KIPC_IOC_SEM_POST, 8192), &a)));
	/* a size field that is not the command's */
	EXPECT_EQ(-EINVAL, kt_err(ioctl(self->fd, KIPC_IOC_SEM_POST, &a)));
	/* nothing changed */
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(0, kt_sem_value(self->fd, i, NULL));
	/* the library checks too */
	EXPECT_EQ(-1, kipc_sem_post(&self->sb, 9, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, kipc_sem_wait(&self->sb, 9));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(sem, deadlines)
{
	struct timespec ts;
	__s64 t0;

	/* in the past: times out at once, but only when it would block */
	EXPECT_EQ(-ETIMEDOUT, kt_sem_wait(self->fd, 0, 1, KIPC_SEM_DEADLINE, 0));
	EXPECT_EQ(-ETIMEDOUT, kt_sem_wait(self->fd, 0, 1, KIPC_SEM_DEADLINE, kt_now_ns() - MS));
	EXPECT_EQ(-EINVAL, kt_sem_wait(self->fd, 0, 1, KIPC_SEM_DEADLINE, -1));
	EXPECT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
	EXPECT_EQ(0, kt_sem_wait(self->fd, 0, 1, KIPC_SEM_DEADLINE, -1));
	/* in the future: sleeps until then */
	t0 = kt_now_ns();
	EXPECT_EQ(-ETIMEDOUT, kt_sem_wait(self->fd, 0, 1, KIPC_SEM_DEADLINE, t0 + 50 * MS));
	EXPECT_LE(t0 + 50 * MS, kt_now_ns());
	EXPECT_EQ(0, sem_stats(self->fd).sem_sleepers);
	/* the library's timespec */
	kipc_deadline(&ts, 30);
	EXPECT_EQ(-1, kipc_sem_timedwait(&self->sb, 0, &ts));
	EXPECT_EQ(ETIMEDOUT, errno);
	ts.tv_nsec = 1000000000;
	EXPECT_EQ(-1, kipc_sem_timedwait(&self->sb, 0, &ts));
	EXPECT_EQ(EINVAL, errno);
	/* not validated when a unit is there */
	EXPECT_EQ(0, kipc_sem_post(&self->sb, 0, 1));
	EXPECT_EQ(0, kipc_sem_timedwait(&self->sb, 0, &ts));
}

TEST_F(sem, a_post_from_another_process_wakes_a_sleeper)
{
	struct kipc_stats st;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(kipc_sem_wait(&self->sb, 2) ? 1 : 0);
	ASSERT_EQ(0, kt_wait_sleepers(self->fd, 2, 1));
	/* the control slot says someone sleeps, so the post enters the kernel */
	EXPECT_EQ(1, self->sb.sems[2].waiters);
	EXPECT_EQ(0, kipc_sem_post(&self->sb, 2, 1));
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(0, self->sb.sems[2].waiters);
	EXPECT_EQ(0, kt_sem_value(self->fd, 2, NULL));
	st = sem_stats(self->fd);
	EXPECT_EQ(1, st.sem_waits);
	EXPECT_EQ(1, st.sem_wakeups);
	EXPECT_EQ(1, st.sem_posts);
	EXPECT_EQ(0, st.sem_sleepers);
}

/* Children that each wait for @count[i] units, in order; returns read end. */
static int start_waiters(int fd,
			 const __u32 *count, int n, pid_t *pids)
{
	int pfd[2];

	if (pipe(pfd))
		return -1;
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			char c = 'a' + i;

			close(pfd[0]);
			if (kt_sem_wait(fd, 0, count[i], 0, 0))
				_exit(1);
			_exit(write(pfd[1], &c, 1) == 1 ? 0 : 2);
		}
		/* let it queue before the next one comes */
		if (kt_wait_sleepers(fd, 0, i + 1))
			return -1;
	}
	close(pfd[1]);
	return pfd[0];
}

TEST_F(sem, sleepers_are_served_in_fifo_order)
{
	__u32 count[4] = { 1, 1, 1, 1 };
	pid_t pids[4];
	char order[5] = "";
	int rd;

	rd = start_waiters(self->fd, count, 4, pids);
	ASSERT_LE(0, rd);
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
		ASSERT_EQ(1, read(rd, &order[i], 1));
	}
	EXPECT_STREQ("abcd", order);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(0, kt_wait_child(pids[i]));
	close(rd);
}

TEST_F(sem, a_big_request_at_the_head_is_not_passed)
{
	__u32 count[2] = { 3, 1 };
	pid_t pids[2];
	char c;
	int rd;

	rd = start_waiters(self->fd, count, 2, pids);
	ASSERT_LE(0, rd);
	/* one unit: the head wants three, and the second may not pass it */
	ASSERT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
	usleep(100000);
	EXPECT_EQ(1, kt_sem_value(self->fd, 0, NULL));
	EXPECT_EQ(2, sem_stats(self->fd).sem_sleepers);
	/* three units in all: the head goes */
	ASSERT_EQ(0, kipc_sem_post(&self->sb, 0, 2));
	ASSERT_EQ(1, read(rd, &c, 1));
	EXPECT_EQ('a', c);
	ASSERT_EQ(0, kipc_sem_post(&self->sb, 0, 1));
	ASSERT_EQ(1, read(rd, &c, 1));
	EXPECT_EQ('b', c);
	EXPECT_EQ(0, kt_wait_child(pids[0]));
	EXPECT_EQ(0, kt_wait_child(pids[1]));
	close(rd);
}

TEST_F(sem, a_head_that_gives_up_lets_the_next_go)
{
	__u32 count[2] = { 3, 1 };
	pid_t pids[2];
	char c;
	int rd;

	rd = start_waiters(self->fd, count, 2, pids);
	ASSERT_LE(0, rd);
	ASSERT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
	kill(pids[0], SIGKILL);
	EXPECT_EQ(128 + SIGKILL, kt_wait_child(pids[0]));
	ASSERT_EQ(1, read(rd, &c, 1));
	EXPECT_EQ('b', c);
	EXPECT_EQ(0, kt_wait_child(pids[1]));
	EXPECT_EQ(0, kt_sem_value(self->fd, 0, NULL));
	close(rd);
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* A child that waits on semaphore 0 with or without SA_RESTART. */
static int signalled_wait(struct kipc_shbuf *sb, int restart, __s64 deadline)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_signal,
					.sa_flags = restart ? SA_RESTART : 0 };
		int ret;

		sigaction(SIGUSR1, &sa, NULL);
		ret = kt_sem_wait(sb->fd, 0, 1, deadline ? KIPC_SEM_DEADLINE : 0, deadline);
		if (!got_signal)
			_exit(10);
		if (ret == -EINTR)
			_exit(20);
		if (ret == -ETIMEDOUT)
			_exit(30);
		_exit(ret ? 40 : 0);
	}
	if (kt_wait_sleepers(sb->fd, 0, 1))
		return -1;
	kill(pid, SIGUSR1);
	if (restart && !deadline) {
		/* the wait resumes after the handler: wait for it to sleep again */
		usleep(200000);
		if (kt_wait_sleepers(sb->fd, 0, 1))
			return -1;
		kipc_sem_post(sb, 0, 1);
	}
	return kt_wait_child(pid);
}

TEST_F(sem, a_signal_interrupts_a_wait_without_sa_restart)
{
	EXPECT_EQ(20, signalled_wait(&self->sb, 0, 0));
	EXPECT_EQ(0, kt_sem_value(self->fd, 0, NULL));
	EXPECT_EQ(0, sem_stats(self->fd).sem_sleepers);
}

TEST_F(sem, a_wait_restarts_after_an_sa_restart_handler)
{
	EXPECT_EQ(0, signalled_wait(&self->sb, 1, 0));
	EXPECT_EQ(0, kt_sem_value(self->fd, 0, NULL));
}

TEST_F(sem, a_restarted_timed_wait_keeps_its_deadline)
{
	__s64 t0 = kt_now_ns();

	EXPECT_EQ(30, signalled_wait(&self->sb, 1, t0 + 400 * MS));
	EXPECT_LE(t0 + 400 * MS, kt_now_ns());
	EXPECT_EQ(0, sem_stats(self->fd).sem_sleepers);
}

TEST_F(sem, undo_gives_units_back_when_the_taker_dies)
{
	pid_t pid;
	int pfd[2];
	char c;

	ASSERT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
	/* a child takes the only unit with undo and is killed holding it */
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (kipc_sem_take(&self->sb, 0, 1, KIPC_SEM_UNDO, NULL))
			_exit(1);
		c = 'x';
		if (write(pfd[1], &c, 1) != 1)
			_exit(2);
		pause();
		_exit(3);
	}
	ASSERT_EQ(1, read(pfd[0], &c, 1));
	EXPECT_EQ(0, kt_sem_value(self->fd, 0, NULL));
	/* the parent waits for the unit; the child's death gives it back */
	kill(pid, SIGKILL);
	EXPECT_EQ(0, kt_sem_wait(self->fd, 0, 1, KIPC_SEM_DEADLINE, kt_now_ns() + 5000 * MS));
	EXPECT_EQ(128 + SIGKILL, kt_wait_child(pid));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F(sem, undo_wakes_a_peer_already_asleep)
{
	pid_t holder, waiter;
	int pfd[2];
	char c;

	ASSERT_EQ(0, kt_sem_post(self->fd, 1, 2, 0));
	ASSERT_EQ(0, pipe(pfd));
	holder = fork();
	ASSERT_LE(0, holder);
	if (holder == 0) {
		if (kt_sem_wait(self->fd, 1, 2, KIPC_SEM_UNDO, 0))
			_exit(1);
		c = 'x';
		if (write(pfd[1], &c, 1) != 1)
			_exit(2);
		usleep(300000);
		_exit(0);	/* exits without posting */
	}
	ASSERT_EQ(1, read(pfd[0], &c, 1));
	waiter = fork();
	ASSERT_LE(0, waiter);
	if (waiter == 0)
		_exit(kipc_sem_take(&self->sb, 1, 2, 0, NULL) ? 1 : 0);
	EXPECT_EQ(0, kt_wait_child(holder));
	EXPECT_EQ(0, kt_wait_child(waiter));
	EXPECT_EQ(0, kt_sem_value(self->fd, 1, NULL));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F(sem, undo_records_are_per_process_and_cancel_out)
{
	pid_t pid;

	/* taken with undo and given back with undo: nothing left to undo */
	ASSERT_EQ(0, kt_sem_post(self->fd, 0, 3, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (kt_sem_wait(self->fd, 0, 2, KIPC_SEM_UNDO, 0) ||
		    kt_sem_post(self->fd, 0, 2, KIPC_SEM_UNDO) ||
		    kt_sem_wait(self->fd, 0, 1, 0, 0))	/* no undo: stays taken */
			_exit(1);
		_exit(0);
	}
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(2, kt_sem_value(self->fd, 0, NULL));

	/* the parent's undo is not the child's: a child's exit gives nothing back */
	ASSERT_EQ(0, kt_sem_wait(self->fd, 0, 2, KIPC_SEM_UNDO, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(0, kt_sem_value(self->fd, 0, NULL));

	/* an undo of a post takes units back, but never below zero */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (kt_sem_post(self->fd, 3, 5, KIPC_SEM_UNDO) ||
		    kt_sem_wait(self->fd, 3, 4, 0, 0))
			_exit(1);
		_exit(0);
	}
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(0, kt_sem_value(self->fd, 3, NULL));
}

TEST(undo_applies_at_close_of_the_descriptor)
{
	int fd2;

	fd2 = kt_shbuf("sb-undo-close", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
		       0600, 0, 1, (const __u32 []){ 4 });
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, kt_sem_wait(fd2, 0, 3, KIPC_SEM_UNDO, 0));
	EXPECT_EQ(1, kt_sem_value(fd2, 0, NULL));
	{
		int fd3 = kt_shbuf("sb-undo-close", O_RDWR, 0, 0, 0, 0, NULL);

		ASSERT_LE(0, fd3);
		/* a close of another file of the buffer does not undo */
		close(fd3);
		EXPECT_EQ(1, kt_sem_value(fd2, 0, NULL));
		fd3 = kt_shbuf("sb-undo-close", O_RDWR, 0, 0, 0, 0, NULL);
		ASSERT_LE(0, fd3);
		close(fd2);
		EXPECT_EQ(4, kt_sem_value(fd3, 0, NULL));
		close(fd3);
	}
	EXPECT_EQ(0, kt_unlink("sb-undo-close"));
}

struct closer {
	int fd;
	int ret;
};

static void *wait_with_undo(void *arg)
{
	struct closer *c = arg;

	c->ret = kt_sem_wait(c->fd, 0, 1, KIPC_SEM_UNDO, 0);
	return NULL;
}

TEST(undo_survives_a_close_while_a_thread_sleeps)
{
	int fd = kt_shbuf("sb-undo-thread", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
			  0600, 0, 1, NULL);
	int peer = kt_shbuf("sb-undo-thread", O_RDWR, 0, 0, 0, 0, NULL);
	struct closer c = { .fd = fd };
	pthread_t t;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, peer);
	EXPECT_EQ(0, kt_unlink("sb-undo-thread"));
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_with_undo, &c));
	ASSERT_EQ(0, kt_wait_sleepers(peer, 0, 1));
	/* the descriptor goes while the thread sleeps on its file */
	close(fd);
	EXPECT_EQ(0, kt_sem_post(peer, 0, 1, 0));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(0, c.ret);
	/* the grant came after the close, with no descriptor left: undone at once */
	EXPECT_EQ(1, kt_sem_value(peer, 0, NULL));
	close(peer);
}

TEST_F(sem, semop_is_all_or_nothing)
{
	struct kipc_sembuf ops[3] = {
		{ .sem = 0, .delta = -1 },
		{ .sem = 1, .delta = -2 },
		{ .sem = 2, .delta = 5 },
	};
	pid_t pid;

	ASSERT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
	ASSERT_EQ(0, kt_sem_post(self->fd, 1, 1, 0));
	/* sem 1 has too few: nothing happens */
	EXPECT_EQ(-EAGAIN, kt_semop(self->fd, ops, 3, KIPC_SEM_NONBLOCK, 0));
	EXPECT_EQ(1, kt_sem_value(self->fd, 0, NULL));
	EXPECT_EQ(1, kt_sem_value(self->fd, 1, NULL));
	EXPECT_EQ(0, kt_sem_value(self->fd, 2, NULL));
	EXPECT_EQ(-ETIMEDOUT, kt_semop(self->fd, ops, 3, KIPC_SEM_DEADLINE,
				       kt_now_ns() + 20 * MS));
	/* a child blocks on it; a post of the missing unit lets it through */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(kt_semop(self->fd, ops, 3, 0, 0) ? 1 : 0);
	ASSERT_EQ(0, kt_wait_sleepers(self->fd, 1, 1));
	/* its wait counts on both semaphores it takes from */
	EXPECT_EQ(1, self->sb.sems[0].waiters);
	EXPECT_EQ(0, kipc_sem_post(&self->sb, 1, 1));
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(0, kt_sem_value(self->fd, 0, NULL));
	EXPECT_EQ(0, kt_sem_value(self->fd, 1, NULL));
	EXPECT_EQ(5, kt_sem_value(self->fd, 2, NULL));
	/* a post that would overflow fails the whole operation */
	ASSERT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
	ASSERT_EQ(0, kt_sem_post(self->fd, 1, 2, 0));
	ops[2].delta = KIPC_SEM_VALUE_MAX;
	EXPECT_EQ(-EOVERFLOW, kt_semop(self->fd, ops, 3, 0, 0));
	EXPECT_EQ(1, kt_sem_value(self->fd, 0, NULL));
	EXPECT_EQ(2, kt_sem_value(self->fd, 1, NULL));
	EXPECT_EQ(5, kt_sem_value(self->fd, 2, NULL));
}

TEST_F(sem, semop_posts_wake_single_waiters)
{
	struct kipc_sembuf ops[2] = {
		{ .sem = 0, .delta = -1 },
		{ .sem = 3, .delta = 2 },
	};
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(kipc_sem_take(&self->sb, 3, 2, 0, NULL) ? 1 : 0);
	ASSERT_EQ(0, kt_wait_sleepers(self->fd, 3, 1));
	ASSERT_EQ(0, kt_sem_post(self->fd, 0, 1, 0));
	EXPECT_EQ(0, kipc_semop(&self->sb, ops, 2, 0, NULL));
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(0, kt_sem_value(self->fd, 3, NULL));
}

TEST_F(sem, semop_checks_its_arguments)
{
	struct kipc_sembuf ops[KIPC_SEMOP_MAX + 1] = {};
	struct kipc_semop so = { .size = sizeof(so), .nops = 1 };

	for (int i = 0; i <= KIPC_SEMOP_MAX; i++)
		ops[i].delta = 1;
	EXPECT_EQ(-E2BIG, kt_semop(self->fd, ops, KIPC_SEMOP_MAX + 1, 0, 0));
	EXPECT_EQ(-EINVAL, kt_semop(self->fd, ops, 0, 0, 0));
	EXPECT_EQ(-EFAULT, kt_semop(self->fd, (void *)8, 2, 0, 0));
	EXPECT_EQ(-EINVAL, kt_semop(self->fd, ops, 1, KIPC_SEM_UNDO, 0));
	ops[0].delta = 0;
	EXPECT_EQ(-EINVAL, kt_semop(self->fd, ops, 1, 0, 0));
	ops[0].delta = -KIPC_SEM_VALUE_MAX - 1;
	EXPECT_EQ(-EINVAL, kt_semop(self->fd, ops, 1, 0, 0));
	ops[0].delta = (__s32)0x80000000;
	EXPECT_EQ(-EINVAL, kt_semop(self->fd, ops, 1, 0, 0));
	ops[0].delta = 1;
	ops[0].sem = 4;
	EXPECT_EQ(-EINVAL, kt_semop(self->fd, ops, 1, 0, 0));
	ops[0].sem = 0;
	ops[0].flags = 0x100;
	EXPECT_EQ(-EINVAL, kt_semop(self->fd, ops, 1, 0, 0));
	ops[0].flags = 0;
	ops[0].__reserved = 1;
	EXPECT_EQ(-EINVAL, kt_semop(self->fd, ops, 1, 0, 0));
	so.ops = (uintptr_t)ops;
	so.__reserved = 1;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(self->fd, KIPC_IOC_SEMOP, &so)));
	/* nothing was applied by any of these */
	EXPECT_EQ(0, kt_sem_value(self->fd, 0, NULL));
	/* a full-size valid one: the same semaphore many times */
	for (int i = 0; i < KIPC_SEMOP_MAX; i++) {
		ops[i].sem = 0;
		ops[i].delta = (i % 2) ? -1 : 1;
		ops[i].flags = 0;
		ops[i].__reserved = 0;
	}
	EXPECT_EQ(0, kt_semop(self->fd, ops, KIPC_SEMOP_MAX, 0, 0));
	EXPECT_EQ(0, kt_sem_value(self->fd, 0, NULL));
}

TEST_F(sem, uncontended_operations_make_no_system_call)
{
	struct kipc_stats st;

	for (int i = 0; i < 1000; i++) {
		ASSERT_EQ(0, kipc_sem_post(&self->sb, 0, 1));
		ASSERT_EQ(0, kipc_sem_wait(&self->sb, 0));
		ASSERT_EQ(-1, kipc_sem_trywait(&self->sb, 0));
	}
	EXPECT_EQ(0, kipc_sem_post(&self->sb, 1, 100));
	EXPECT_EQ(60, kipc_sem_take_upto(&self->sb, 1, 60));
	EXPECT_EQ(40, kipc_sem_take_upto(&self->sb, 1, 60));
	EXPECT_EQ(0, kipc_sem_take_upto(&self->sb, 1, 60));
	st = sem_stats(self->fd);
	EXPECT_EQ(0, st.sem_posts);
	EXPECT_EQ(0, st.sem_waits);
}

/*
 * Counts are conserved: workers take and give back units through every
 * path (fast path, ioctl, SEMOP, batches) for many rounds, and a producer
 * feeds a consumer an exact number of units. Nothing is lost or made up.
 */
#define WORKERS		4
#define ROUNDS		3000
#define UNITS		3
#define PRODUCED	20000

static int worker(struct kipc_shbuf *sb, int id)
{
	struct kipc_sembuf op[2] = {
		{ .sem = 0, .delta = -1 },
		{ .sem = 3, .delta = 1 },
	};

	for (int i = 0; i < ROUNDS; i++) {
		switch ((i + id) % 4) {
		case 0:
			if (kipc_sem_wait(sb, 0) || kipc_sem_post(sb, 0, 1))
				return 1;
			break;
		case 1:
			if (kt_sem_wait(sb->fd, 0, 1, 0, 0) || kt_sem_post(sb->fd, 0, 1, 0))
				return 2;
			break;
		case 2:
			/* move a unit to sem 3 atomically, then back */
			if (kt_semop(sb->fd, op, 2, 0, 0) || kipc_sem_wait(sb, 3) ||
			    kipc_sem_post(sb, 0, 1))
				return 3;
			break;
		case 3:
			if (kipc_sem_take(sb, 0, 2, 0, NULL) || kipc_sem_post(sb, 0, 2))
				return 4;
			break;
		}
		if (i % 64 == 0)
			sched_yield();
	}
	return 0;
}

TEST(counts_are_conserved_under_concurrency)
{
	unsigned int values[4] = { UNITS, 0, 0, 0 };
	struct kipc_shbuf sb;
	pid_t pids[WORKERS + 2];

	ASSERT_EQ(0, new_sems(&sb, 4, values));
	for (int i = 0; i < WORKERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			_exit(worker(&sb, i));
	}
	/* producer: posts PRODUCED units on sem 1 in batches of 1..7 */
	pids[WORKERS] = fork();
	if (pids[WORKERS] == 0) {
		for (int left = PRODUCED, n; left > 0; left -= n) {
			n = left < 7 ? left : 1 + left % 7;
			if (kipc_sem_post(&sb, 1, n))
				_exit(1);
		}
		_exit(0);
	}
	/* consumer: takes them back one or a batch at a time */
	pids[WORKERS + 1] = fork();
	if (pids[WORKERS + 1] == 0) {
		long got = 0;
		unsigned int n;

		while (got < PRODUCED) {
			n = kipc_sem_take_upto(&sb, 1, 5);
			if (!n) {
				if (kipc_sem_wait(&sb, 1))
					_exit(1);
				n = 1;
			}
			got += n;
		}
		_exit(got == PRODUCED ? 0 : 2);
	}
	for (int i = 0; i < WORKERS + 2; i++) {
		EXPECT_EQ(0, kt_wait_child(pids[i])) TH_LOG("child %d", i);
	}
	EXPECT_EQ(UNITS, kt_sem_value(sb.fd, 0, NULL));
	EXPECT_EQ(0, kt_sem_value(sb.fd, 1, NULL));
	EXPECT_EQ(0, kt_sem_value(sb.fd, 3, NULL));
	EXPECT_EQ(0, sem_stats(sb.fd).sem_sleepers);
	free_sems(&sb);
}

/*
 * Garbage in the control area: the kernel reads it only as numbers, so
 * every call still returns, with some errno or success, and the kernel
 * stays sound (make check fails on any kernel report). Then sane values
 * make the semaphores work again.
 */
TEST_F(sem, garbage_in_the_control_area_only_confuses_peers)
{
	static const __u32 garbage[] = {
		0xffffffff, 0x80000000, 0x7fffffff, KIPC_SEM_VALUE_MAX + 1, 0xdeadbeef, 1,
	};
	struct kipc_sembuf ops[2] = {
		{ .sem = 0, .delta = -1, .flags = KIPC_SEM_UNDO },
		{ .sem = 1, .delta = 2 },
	};
	volatile __u32 *raw = (volatile __u32 *)self->sb.sems;
	struct kipc_stats st;
	pid_t pid;

	for (unsigned int g = 0; g < sizeof(garbage) / sizeof(garbage[0]); g++) {
		/* every word of the area, waiters and padding included */
		for (unsigned int i = 0; i < 4096 / 4; i++)
			raw[i] = garbage[g] + i;
		kt_sem_wait(self->fd, 0, 1, KIPC_SEM_NONBLOCK, 0);
		kt_sem_wait(self->fd, 1, 5, KIPC_SEM_UNDO | KIPC_SEM_DEADLINE,
			    kt_now_ns() + MS);
		kt_sem_post(self->fd, 2, 1, 0);
		kt_sem_post(self->fd, 3, 0, 0);
		kt_sem_post(self->fd, 0, KIPC_SEM_VALUE_MAX, KIPC_SEM_UNDO);
		kt_semop(self->fd, ops, 2, KIPC_SEM_DEADLINE, kt_now_ns() + MS);
		for (int s = 0; s < 4; s++) {
			int v = kt_sem_value(self->fd, s, NULL);

			EXPECT_TRUE(v >= 0 && v <= KIPC_SEM_VALUE_MAX);
		}
		ASSERT_EQ(0, kt_stats(self->fd, &st));
		EXPECT_EQ(0, st.sem_sleepers);
	}
	/* a peer scribbles while this process sleeps and posts through the kernel */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (int i = 0; i < 20000; i++)
			raw[(i * 17) % 64] = i * 2654435761u;
		_exit(0);
	}
	for (int i = 0; i < 200; i++) {
		kt_sem_wait(self->fd, i % 4, 1 + i % 3, KIPC_SEM_DEADLINE | (i & 1 ? KIPC_SEM_UNDO : 0),
			    kt_now_ns() + MS / 4);
		kt_sem_post(self->fd, (i + 1) % 4, 1 + i % 2, 0);
	}
	EXPECT_EQ(0, kt_wait_child(pid));

	/* sane values again: the semaphores work */
	for (unsigned int i = 0; i < 4096 / 4; i++)
		raw[i] = 0;
	for (int s = 0; s < 4; s++) {
		EXPECT_EQ(0, kipc_sem_post(&self->sb, s, 2));
		EXPECT_EQ(0, kipc_sem_wait(&self->sb, s));
		EXPECT_EQ(0, kt_sem_wait(self->fd, s, 1, 0, 0));
		EXPECT_EQ(-EAGAIN, kt_sem_wait(self->fd, s, 1, KIPC_SEM_NONBLOCK, 0));
	}
}

TEST_HARNESS_MAIN
