// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: crash isolation (see crash.h). For every mechanism the
 * partner (this process) first sends one message the peer never reads, the
 * peer sends one message and then writes through a null pointer. Once the
 * peer is reaped, so the order is always the same, the partner receives
 * (the peer's last message, then whatever comes next, waiting at most
 * timeout_ms) and sends once more; what each call returned is the row.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libkipc.h>

#include "bench.h"
#include "crash.h"
#include "options.h"
#include "timing.h"

#define MSG		"hello"
#define MSG_LEN		sizeof(MSG)
#define TIMEOUT_MS	300

/* Read through a volatile, so the compiler cannot see the null and trap. */
static int *volatile nowhere;

static void segfault(void)
{
	struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);	/* no core file from a crash on purpose */
	*nowhere = 1;
	_exit(3);	/* not reached */
}

/* Fork a peer that runs @act(@arg) and then crashes. */
static pid_t crasher(void (*act)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		act(arg);
		segfault();
	}
	return pid;
}

static void reap_peer(pid_t pid, struct crash_row *r)
{
	int status;

	if (pid < 0) {
		snprintf(r->note, sizeof(r->note), "fork: %s", strerror(errno));
		return;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return;
	r->tested = true;
	r->peer_segv = WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
	if (!r->peer_segv)
		snprintf(r->note, sizeof(r->note), "the peer did not die of SIGSEGV (status %#x)",
			 status);
}

static const char *err_name(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "?";
}

/* What one receive call got, in words. */
static void said(char *buf, size_t len, const char *first, ssize_t got, int err,
		 const char *on_timeout)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s", used ? ", then " : "");
	used = strlen(buf);
	if (first && got > 0)
		snprintf(buf + used, len - used, "%s", first);
	else if (got == 0)
		snprintf(buf + used, len - used, "EOF");
	else if (err == ETIMEDOUT || err == EAGAIN)
		snprintf(buf + used, len - used, "%s", on_timeout);
	else
		snprintf(buf + used, len - used, "%s", err_name(err));
}

/* A read on @fd, waiting at most TIMEOUT_MS; sets errno ETIMEDOUT on none. */
static ssize_t read_waiting(int fd, void *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, TIMEOUT_MS);

	if (n == 0)
		errno = ETIMEDOUT;
	if (n <= 0)
		return -1;
	return read(fd, buf, len);
}

static void fd_outcome(struct crash_row *r, int in, int out)
{
	char buf[64];
	ssize_t n = read_waiting(in, buf, MSG_LEN);

	said(r->receive, sizeof(r->receive), "the last message", n, errno, "");
	if (n > 0) {
		n = read_waiting(in, buf, sizeof(buf));
		said(r->receive, sizeof(r->receive), "more data", n, errno,
		     "nothing (still blocked at the timeout)");
	}
	n = write(out, MSG, MSG_LEN);
	if (n < 0)
		snprintf(r->send, sizeof(r->send), "%s", err_name(errno));
	else
		snprintf(r->send, sizeof(r->send), "accepted (nobody will read it)");
	r->survived = true;
}

static void write_fd(void *arg)
{
	if (write(*(int *)arg, MSG, MSG_LEN) != MSG_LEN)
		_exit(4);
}

static void crash_pipe(struct crash_row *r)
{
	int to_peer[2], from_peer[2];

	r->mechanism = "pipe";
	if (pipe(to_peer) || pipe(from_peer)) {
		snprintf(r->note, sizeof(r->note), "pipe: %s", strerror(errno));
		return;
	}
	if (write(to_peer[1], MSG, MSG_LEN) != MSG_LEN)
		goto out;
	reap_peer(crasher(write_fd, &from_peer[1]), r);
	close(to_peer[0]);	/* the peer held the only other ends */
	close(from_peer[1]);
	if (r->tested)
		fd_outcome(r, from_peer[0], to_peer[1]);
	close(to_peer[1]);
	close(from_peer[0]);
	return;
out:
	close(to_peer[0]);
	close(to_peer[1]);
	close(from_peer[0]);
	close(from_peer[1]);
}

static void crash_unix_stream(struct crash_row *r)
{
	int sv[2];

	r->mechanism = "UNIX stream socket";
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		snprintf(r->note, sizeof(r->note), "socketpair: %s", strerror(errno));
		return;
	}
	/* Unread data in the peer's socket when it dies makes it a reset. */
	if (write(sv[0], MSG, MSG_LEN) == MSG_LEN) {
		reap_peer(crasher(write_fd, &sv[1]), r);
		close(sv[1]);
		if (r->tested)
			fd_outcome(r, sv[0], sv[0]);
	} else {
		close(sv[1]);
	}
	close(sv[0]);
}

static void mq_send_one(void *arg)
{
	if (mq_send(*(mqd_t *)arg, MSG, MSG_LEN, 0))
		_exit(4);
}

static void crash_posix_mq(struct crash_row *r)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	char name[64], buf[64];
	struct timespec deadline;
	mqd_t to_peer, from_peer;
	ssize_t n;

	r->mechanism = "POSIX mq";
	snprintf(name, sizeof(name), "/kipc-bench-crash-%d-a", (int)getpid());
	to_peer = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	mq_unlink(name);
	name[strlen(name) - 1] = 'b';
	from_peer = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	mq_unlink(name);
	if (to_peer == (mqd_t)-1 || from_peer == (mqd_t)-1) {
		snprintf(r->note, sizeof(r->note), "mq_open: %s", strerror(errno));
		goto out;
	}
	if (mq_send(to_peer, MSG, MSG_LEN, 0))
		goto out;
	reap_peer(crasher(mq_send_one, &from_peer), r);
	if (!r->tested)
		goto out;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec += TIMEOUT_MS * 1000000L;
	deadline.tv_sec += deadline.tv_nsec / 1000000000L;
	deadline.tv_nsec %= 1000000000L;
	n = mq_timedreceive(from_peer, buf, sizeof(buf), NULL, &deadline);
	said(r->receive, sizeof(r->receive), "the last message", n, errno, "");
	if (n > 0) {
		n = mq_timedreceive(from_peer, buf, sizeof(buf), NULL, &deadline);
		said(r->receive, sizeof(r->receive), "more", n, errno,
		     "nothing (blocks until the timeout: ETIMEDOUT)");
	}
	if (mq_send(to_peer, MSG, MSG_LEN, 0))
		snprintf(r->send, sizeof(r->send), "%s", err_name(errno));
	else
		snprintf(r->send, sizeof(r->send), "accepted (the queue outlives the peer)");
	r->survived = true;
out:
	if (to_peer != (mqd_t)-1)
		mq_close(to_peer);
	if (from_peer != (mqd_t)-1)
		mq_close(from_peer);
}

/* SysV shm + two semaphores: 0 counts posted messages, 1 is a mutex. */
struct sysv_link {
	int shm, sem;
	char *mem;
};

static int sem_change(int sem, unsigned short num, short by, bool wait_limited)
{
	struct sembuf op = { .sem_num = num, .sem_op = by, .sem_flg = 0 };
	struct timespec t = { 0, TIMEOUT_MS * 1000000L };

	return semtimedop(sem, &op, 1, wait_limited ? &t : NULL);
}

static void sysv_post(void *arg)
{
	struct sysv_link *l = arg;

	/* Takes the mutex (no SEM_UNDO, as a plain lock is), writes, posts. */
	if (sem_change(l->sem, 1, -1, true))
		_exit(4);
	memcpy(l->mem, MSG, MSG_LEN);
	if (sem_change(l->sem, 0, 1, false))
		_exit(4);
}

static void crash_sysv(struct crash_row *r)
{
	struct sysv_link l = { -1, -1, NULL };
	unsigned short init[2] = { 0, 1 };
	int rc;

	r->mechanism = "SysV shm + sem";
	l.shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	l.sem = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	if (l.shm < 0 || l.sem < 0 || semctl(l.sem, 0, SETALL, init) ||
	    (l.mem = shmat(l.shm, NULL, 0)) == (void *)-1) {
		l.mem = NULL;
		snprintf(r->note, sizeof(r->note), "shm/sem: %s", strerror(errno));
		goto out;
	}
	reap_peer(crasher(sysv_post, &l), r);
	if (!r->tested)
		goto out;
	rc = sem_change(l.sem, 0, -1, true);
	said(r->receive, sizeof(r->receive), "the last message", rc ? -1 : 1, errno, "");
	if (!rc) {
		rc = sem_change(l.sem, 0, -1, true);
		said(r->receive, sizeof(r->receive), "more", rc ? -1 : 1, errno,
		     "nothing (semtimedop blocks until the timeout)");
	}
	/* To write the shared memory the partner must take the mutex. */
	if (sem_change(l.sem, 1, -1, true))
		snprintf(r->send, sizeof(r->send), "%s",
			 errno == EAGAIN ? "blocks: the dead peer still holds the mutex"
					 : err_name(errno));
	else
		snprintf(r->send, sizeof(r->send), "took the mutex and wrote");
	r->survived = true;
	snprintf(r->note, sizeof(r->note), "SEM_UNDO on the mutex would have released it");
out:
	if (l.mem)
		shmdt(l.mem);
	if (l.shm >= 0)
		shmctl(l.shm, IPC_RMID, NULL);
	if (l.sem >= 0)
		semctl(l.sem, 0, IPC_RMID);
}

static void kipc_send_one(void *arg)
{
	if (kipc_send(*(int *)arg, MSG, MSG_LEN, 0))
		_exit(4);
}

static void crash_kipc_queue(struct crash_row *r)
{
	struct kipc_queue_attr attr = { .maxmsg = 4, .msgsize = 64 };
	int to_peer = -1, from_peer = -1;
	struct timespec deadline;
	char buf[64];
	ssize_t n;

	r->mechanism = "kipc queue";
	to_peer = kipc_queue_anon(O_RDWR, &attr);
	from_peer = kipc_queue_anon(O_RDWR, &attr);
	if (to_peer < 0 || from_peer < 0) {
		snprintf(r->note, sizeof(r->note), "n/a: %s",
			 errno == ENOENT ? "kipc.ko not loaded" : strerror(errno));
		goto out;
	}
	if (kipc_send(to_peer, MSG, MSG_LEN, 0))
		goto out;
	reap_peer(crasher(kipc_send_one, &from_peer), r);
	if (!r->tested)
		goto out;
	kipc_deadline(&deadline, TIMEOUT_MS);
	n = kipc_timedreceive(from_peer, buf, sizeof(buf), NULL, &deadline);
	said(r->receive, sizeof(r->receive), "the last message", n, errno, "");
	if (n > 0) {
		n = kipc_timedreceive(from_peer, buf, sizeof(buf), NULL, &deadline);
		said(r->receive, sizeof(r->receive), "more", n, errno,
		     "nothing (blocks until the timeout: ETIMEDOUT)");
	}
	if (kipc_send(to_peer, MSG, MSG_LEN, 0))
		snprintf(r->send, sizeof(r->send), "%s", err_name(errno));
	else
		snprintf(r->send, sizeof(r->send), "accepted (the queue outlives the peer)");
	r->survived = true;
out:
	if (to_peer >= 0)
		close(to_peer);
	if (from_peer >= 0)
		close(from_peer);
}

/* The thread case: shared with the child, so it survives the child's death. */
struct thread_case {
	volatile unsigned long steps;
	volatile int finished;
};

static void *steady_thread(void *arg)
{
	struct thread_case *tc = arg;
	uint64_t end = now_ns() + 200 * 1000000ull;

	while (now_ns() < end) {
		tc->steps++;
		usleep(1000);
	}
	tc->finished = 1;
	return NULL;
}

static void *crashing_thread(void *arg)
{
	(void)arg;
	usleep(20000);
	segfault();
	return NULL;
}

static void thread_case(struct crash_result *out)
{
	struct thread_case *tc = bench_shared_alloc(sizeof(*tc));
	pthread_t a, b;
	int status;
	pid_t pid;

	if (!tc) {
		snprintf(out->thread_note, sizeof(out->thread_note), "out of memory");
		return;
	}
	pid = fork();
	if (pid == 0) {
		if (pthread_create(&a, NULL, steady_thread, tc) ||
		    pthread_create(&b, NULL, crashing_thread, NULL))
			_exit(4);
		pthread_join(a, NULL);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		snprintf(out->thread_note, sizeof(out->thread_note), "fork/wait: %s",
			 strerror(errno));
		goto out;
	}
	out->thread_tested = true;
	out->thread_child_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	out->other_thread_finished = tc->finished;
	out->other_thread_steps = tc->steps;
	if (!WIFSIGNALED(status))
		snprintf(out->thread_note, sizeof(out->thread_note), "the child exited with %d",
			 WEXITSTATUS(status));
out:
	bench_shared_free(tc, sizeof(*tc));
}

void crash_measure(const struct bench_options *o, struct crash_result *out)
{
	void (*const cases[])(struct crash_row *) = { crash_pipe, crash_unix_stream,
						      crash_posix_mq, crash_sysv,
						      crash_kipc_queue };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	unsigned int i;

	(void)o;
	memset(out, 0, sizeof(*out));
	out->measured = true;
	out->timeout_ms = TIMEOUT_MS;
	/* A write to a dead pipe must report EPIPE, not kill the partner. */
	sigaction(SIGPIPE, &ign, &old);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cases[i](&out->rows[out->nrows++]);
	sigaction(SIGPIPE, &old, NULL);
	thread_case(out);
}
