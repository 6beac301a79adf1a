// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: creation costs (see creation.h). Every creation is timed from
 * its start until it is reaped (waitpid) or joined, so each row is one whole
 * life of an empty process or thread; the mean is over many.
 */
#include <errno.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "creation.h"
#include "options.h"
#include "timing.h"

extern char **environ;

#define BIG_PARENT_MIB	32

static char self_exe[4096];

/* The value of "@key:" in /proc/@pid/@file (0: self) in kB, or -1. */
static long proc_kib(pid_t pid, const char *file, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long v = -1;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	else
		snprintf(path, sizeof(path), "/proc/self/%s", file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = strtol(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static long sum_or_missing(long a, long b)
{
	return a < 0 || b < 0 ? -1 : a + b;
}

static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int one_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	return pid < 0 ? -1 : reap(pid);
}

/* Kept apart and small: after vfork the child borrows this stack frame. */
static pid_t vfork_exec(char *const argv[])
{
	pid_t pid = vfork();

	if (pid == 0) {
		execv(self_exe, argv);
		_exit(127);
	}
	return pid;
}

static int one_vfork_exec(void)
{
	char *argv[] = { self_exe, (char *)CREATION_EXIT_ARG, NULL };
	pid_t pid = vfork_exec(argv);

	return pid < 0 ? -1 : reap(pid);
}

static int one_spawn(void)
{
	char *argv[] = { self_exe, (char *)CREATION_EXIT_ARG, NULL };
	pid_t pid;

	errno = posix_spawn(&pid, self_exe, NULL, NULL, argv, environ);
	return errno ? -1 : reap(pid);
}

static void *empty_thread(void *arg)
{
	return arg;
}

static int one_thread(void)
{
	pthread_t t;

	errno = pthread_create(&t, NULL, empty_thread, NULL);
	if (errno)
		return -1;
	return pthread_join(t, NULL) ? -1 : 0;
}

static void timed(struct creation_row *r, const char *name, const char *what, unsigned int n,
		  int (*create)(void))
{
	uint64_t t0;
	unsigned int i;

	r->name = name;
	r->what = what;
	r->n = n;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (create()) {
			snprintf(r->note, sizeof(r->note), "failed at %u: %s", i,
				 errno ? strerror(errno) : "child did not exit 0");
			return;
		}
	r->us = (double)(now_ns() - t0) / n / 1e3;
	r->ok = true;
}

/* A forked child, idle on a pipe, measured from here; and the parent. */
static void child_memory(struct creation_memory *m)
{
	int ready[2], hold[2];
	pid_t pid;
	char c;

	if (pipe(ready) || pipe(hold)) {
		snprintf(m->note, sizeof(m->note), "pipe: %s", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(hold[1]);	/* else its read never sees the parent's close */
		c = 1;
		if (write(ready[1], &c, 1) == 1)
			while (read(hold[0], &c, 1) < 0 && errno == EINTR)
				;
		_exit(0);
	}
	if (pid > 0 && read(ready[0], &c, 1) == 1) {
		m->child_rss = proc_kib(pid, "smaps_rollup", "Rss");
		m->child_pss = proc_kib(pid, "smaps_rollup", "Pss");
		m->child_private = sum_or_missing(proc_kib(pid, "smaps_rollup", "Private_Clean"),
						  proc_kib(pid, "smaps_rollup", "Private_Dirty"));
		m->child_pte = proc_kib(pid, "status", "VmPTE");
	} else if (pid < 0) {
		snprintf(m->note, sizeof(m->note), "fork: %s", strerror(errno));
	}
	close(hold[1]);
	if (pid > 0)
		reap(pid);
	close(hold[0]);
	close(ready[0]);
	close(ready[1]);
}

static void *idle_thread(void *arg)
{
	char c;

	while (read(*(int *)arg, &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/* What the process grows by for one more idle thread. */
static void thread_memory(struct creation_memory *m)
{
	long rss = proc_kib(0, "smaps_rollup", "Rss"), pte = proc_kib(0, "status", "VmPTE");
	long vm = proc_kib(0, "status", "VmSize");
	int hold[2];
	pthread_t t;

	if (pipe(hold))
		return;
	if (pthread_create(&t, NULL, idle_thread, &hold[0]) == 0) {
		usleep(1000);	/* let it run into its read */
		m->thread_rss = proc_kib(0, "smaps_rollup", "Rss") - rss;
		m->thread_pte = proc_kib(0, "status", "VmPTE") - pte;
		m->thread_vm = proc_kib(0, "status", "VmSize") - vm;
		close(hold[1]);
		pthread_join(t, NULL);
	} else {
		close(hold[1]);
	}
	close(hold[0]);
}

void creation_measure(const struct bench_options *o, struct creation_result *out)
{
	unsigned int n = (unsigned int)((o->quick ? 100 : 400) * o->scale);
	struct creation_memory *m = &out->mem;
	ssize_t len;
	char *big;

	memset(out, 0, sizeof(*out));
	out->measured = true;
	if (n < 4)
		n = 4;
	len = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	self_exe[len > 0 ? len : 0] = '\0';

	/* Memory first, before the big buffer below exists. */
	m->parent_rss = m->parent_pss = m->parent_pte = -1;
	m->child_rss = m->child_pss = m->child_private = m->child_pte = -1;
	m->thread_rss = m->thread_pte = m->thread_vm = -1;
	m->parent_rss = proc_kib(0, "smaps_rollup", "Rss");
	m->parent_pss = proc_kib(0, "smaps_rollup", "Pss");
	m->parent_pte = proc_kib(0, "status", "VmPTE");
	child_memory(m);
	thread_memory(m);
	if (m->child_rss < 0 && !m->note[0])
		snprintf(m->note, sizeof(m->note), "no /proc/PID/smaps_rollup (kernel < 4.14?)");

	timed(&out->rows[out->nrows++], "fork + _exit + waitpid", "process", n, one_fork);
	timed(&out->rows[out->nrows++], "vfork + exec + waitpid", "process", n, one_vfork_exec);
	timed(&out->rows[out->nrows++], "posix_spawn + waitpid", "process", n, one_spawn);
	timed(&out->rows[out->nrows++], "pthread_create + pthread_join", "thread", n, one_thread);
	/* A fork copies the page tables: it costs more the bigger the parent. */
	big = malloc((size_t)BIG_PARENT_MIB << 20);
	if (big) {
		memset(big, 1, (size_t)BIG_PARENT_MIB << 20);
		out->big_parent_kib = BIG_PARENT_MIB * 1024;
		timed(&out->rows[out->nrows], "fork + _exit + waitpid, parent +32 MiB", "process",
		      n / 4 ? n / 4 : 1, one_fork);
		if (out->rows[out->nrows].ok)
			snprintf(out->rows[out->nrows].note, sizeof(out->rows[0].note),
				 "parent resident %ld KiB (32 MiB more, touched)",
				 proc_kib(0, "smaps_rollup", "Rss"));
		out->nrows++;
		free(big);
	}
}

const struct creation_row *creation_find(const struct creation_result *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nrows; i++)
		if (!strcmp(c->rows[i].name, name))
			return &c->rows[i];
	return NULL;
}
