// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: participants as processes or threads (see participants.h). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "participants.h"

struct thread_arg {
	participant_fn fn;
	void *arg;
	unsigned int index;
};

static void *thread_main(void *p)
{
	struct thread_arg *t = p;

	if (t->fn(t->arg, t->index))
		_exit(1);
	return NULL;
}

static int run_threads(unsigned int n, participant_fn fn, void *arg)
{
	struct thread_arg *args = calloc(n, sizeof(*args));
	pthread_t *tids = calloc(n, sizeof(*tids));
	unsigned int i, started = 0;
	int rc = 0;

	if (!args || !tids) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		args[i] = (struct thread_arg){ fn, arg, i };
		errno = pthread_create(&tids[i], NULL, thread_main, &args[i]);
		if (errno) {
			bench_fail("pthread_create: %m");
			_exit(1);	/* started ones may wait for this one forever */
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
out:
	free(args);
	free(tids);
	return rc;
}

static int run_processes(unsigned int n, participant_fn fn, void *arg)
{
	pid_t *pids = calloc(n, sizeof(*pids));
	unsigned int i, left = 0;
	int rc = 0;

	if (!pids)
		return -1;
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(fn(arg, i) ? 1 : 0);
		if (pids[i] < 0) {
			bench_fail("fork: %m");
			rc = -1;
			break;
		}
		left++;
	}
	if (rc)
		for (i = 0; i < left; i++)
			kill(pids[i], SIGKILL);
	while (left > 0) {
		int status;
		pid_t pid = wait(&status);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		left--;
		for (i = 0; i < n; i++)
			if (pids[i] == pid)
				pids[i] = 0;	/* reaped: never signal its pid again */
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		if (WIFSIGNALED(status))
			bench_fail("a participant died of signal %d", WTERMSIG(status));
		if (rc == 0)	/* the others may wait for it forever */
			for (i = 0; i < n; i++)
				if (pids[i] > 0)
					kill(pids[i], SIGKILL);
		rc = -1;
	}
	free(pids);
	return rc;
}

int participants_run(bool threads, unsigned int n, participant_fn fn, void *arg)
{
	return threads ? run_threads(n, fn, arg) : run_processes(n, fn, arg);
}

int shared_barrier_init(pthread_barrier_t *b, unsigned int n)
{
	pthread_barrierattr_t attr;
	int rc;

	pthread_barrierattr_init(&attr);
	pthread_barrierattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	rc = pthread_barrier_init(b, &attr, n);
	pthread_barrierattr_destroy(&attr);
	return rc ? -1 : 0;
}
