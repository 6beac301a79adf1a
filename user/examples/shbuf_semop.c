// SPDX-License-Identifier: 0BSD
/*
 * Processes updating a shared buffer under a semaphore, with semop.
 *
 *   shbuf_semop [PROCS [ROUNDS]]
 *
 * A shared buffer holds a counter and two semaphores: 0 is a mutex (starts
 * at 1), 1 counts the processes that finished (starts at 0). PROCS forked
 * processes each add 1 to the counter ROUNDS times, each time taking the
 * mutex with KIPC_SEM_UNDO, as semop(2)'s SEM_UNDO: if a process dies
 * holding it, the kernel gives it back. One extra process does die holding
 * it, to show that. The parent then waits with one kipc_semop() for both
 * "every process finished" (semaphore 1 down by PROCS) and the mutex, all or
 * none, and checks the counter.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libkipc.h>

#define SEM_MUTEX	0
#define SEM_DONE	1

struct shared {
	long counter;
};

/* Take (-1) or give (+1) the mutex; a take waits 10 s at most. */
static int lock(const struct kipc_shbuf *sb, int delta)
{
	struct kipc_sembuf op = { .sem = SEM_MUTEX, .delta = delta, .flags = KIPC_SEM_UNDO };
	struct timespec deadline;

	kipc_deadline(&deadline, 10000);	/* CLOCK_MONOTONIC */
	if (kipc_semop(sb, &op, 1, 0, &deadline) == 0)
		return 0;
	perror("kipc_semop (mutex)");
	return -1;
}

static int adder(const struct kipc_shbuf *sb, int rounds)
{
	struct shared *s = sb->data;
	long v;

	for (int i = 0; i < rounds; i++) {
		if (lock(sb, -1))
			return 1;
		/* a read, a yield and a write: wrong without the mutex */
		v = s->counter;
		sched_yield();
		s->counter = v + 1;
		if (lock(sb, +1))
			return 1;
	}
	/* no undo: this unit is meant to stay after the process exits */
	return kipc_sem_give(sb, SEM_DONE, 1, 0) ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned int values[] = { [SEM_MUTEX] = 1, [SEM_DONE] = 0 };
	struct kipc_shbuf_attr attr = { .size = sizeof(struct shared), .nsems = 2,
					.values = values };
	int procs = argc > 1 ? atoi(argv[1]) : 4;
	int rounds = argc > 2 ? atoi(argv[2]) : 1000;
	struct kipc_sembuf all[2];
	struct timespec deadline;
	struct kipc_shbuf sb;
	struct shared *s;
	long counter;
	int fd, status, failed = 0;
	pid_t pid;

	if (procs < 1 || rounds < 0) {
		fprintf(stderr, "usage: shbuf_semop [PROCS [ROUNDS]]\n");
		return 2;
	}
	fd = kipc_shbuf_anon(O_RDWR, &attr);
	if (fd < 0 || kipc_shbuf_map(fd, &sb) < 0) {
		perror("kipc_shbuf");
		return 1;
	}
	s = sb.data;

	/* one that takes the mutex and exits without giving it back */
	pid = fork();
	if (pid == 0)
		_exit(lock(&sb, -1) ? 1 : 0);
	waitpid(pid, &status, 0);
	failed += !WIFEXITED(status) || WEXITSTATUS(status);

	for (int p = 0; p < procs; p++)
		if (fork() == 0)
			_exit(adder(&sb, rounds));

	all[0] = (struct kipc_sembuf){ .sem = SEM_DONE, .delta = -procs };
	all[1] = (struct kipc_sembuf){ .sem = SEM_MUTEX, .delta = -1 };
	kipc_deadline(&deadline, 60000);
	if (kipc_semop(&sb, all, 2, 0, &deadline) < 0) {
		perror("kipc_semop (done and mutex)");
		return 1;
	}
	while (wait(&status) > 0)
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	counter = s->counter;
	printf("shbuf_semop: %d processes, %d rounds each: counter %ld (%s), %d failed\n",
	       procs, rounds, counter, counter == (long)procs * rounds ? "right" : "WRONG",
	       failed);
	kipc_shbuf_unmap(&sb);
	close(fd);
	return counter != (long)procs * rounds || failed;
}
