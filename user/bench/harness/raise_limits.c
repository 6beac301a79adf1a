// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: lifting kernel limits as root (see limits.h). */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"
#include "raise_limits.h"

#define MSGMAX_WANT		(1024ul * 1024)
#define MSGMNB_WANT		(4ul * 1024 * 1024)
#define DGRAM_QLEN_WANT		512ul
#define MQ_MSGSIZE_WANT		(1024ul * 1024)
#define MQ_MSG_WANT		1024ul

static bool may_raise;

/* Raised outside our own namespaces: put back at exit. */
static const char *restore_path;
static unsigned long restore_value;

bool bench_may_raise_limits(void)
{
	return may_raise;
}

static int read_ulong(const char *path, unsigned long *v)
{
	FILE *f = fopen(path, "r");
	int rc = -1;

	if (f) {
		rc = fscanf(f, "%lu", v) == 1 ? 0 : -1;
		fclose(f);
	}
	return rc;
}

static int write_ulong(const char *path, unsigned long v)
{
	FILE *f = fopen(path, "w");
	int rc = -1;

	if (f) {
		rc = fprintf(f, "%lu\n", v) > 0 ? 0 : -1;
		if (fclose(f))
			rc = -1;
	}
	return rc;
}

static void note(struct bench_env *env, const char *fmt, const char *name, unsigned long from,
		 unsigned long to)
{
	size_t used = strlen(env->limits);

	snprintf(env->limits + used, sizeof(env->limits) - used, fmt,
		 used ? "; " : "", name, from, to);
}

/* Raise sysctl @path to at least @want; return the old value or 0 if unchanged. */
static unsigned long raise_sysctl(struct bench_env *env, const char *path, const char *name,
				  unsigned long want)
{
	unsigned long cur;

	if (read_ulong(path, &cur) || cur >= want)
		return 0;
	if (write_ulong(path, want)) {
		note(env, "%s%s stays %lu (cannot raise to %lu)", name, cur, want);
		return 0;
	}
	note(env, "%s%s %lu->%lu", name, cur, want);
	return cur;
}

static void restore_limits(void)
{
	if (restore_path)
		write_ulong(restore_path, restore_value);
	restore_path = NULL;
}

static void restore_and_die(int sig)
{
	restore_limits();
	signal(sig, SIG_DFL);
	raise(sig);
}

void limits_raise(struct bench_env *env, bool allowed)
{
	static const char qlen_path[] = "/proc/sys/net/unix/max_dgram_qlen";
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	unsigned long old;
	size_t used;

	may_raise = allowed && geteuid() == 0;
	env->raised_limits = may_raise;
	if (!may_raise) {
		snprintf(env->limits, sizeof(env->limits), "stock limits (%s)",
			 geteuid() ? "not root" : "--no-raise-limits");
		return;
	}
	/* Our own IPC namespace: SysV and mqueue sysctls change for us alone. */
	if (unshare(CLONE_NEWIPC) == 0)
		snprintf(env->limits, sizeof(env->limits), "private IPC namespace");
	raise_sysctl(env, "/proc/sys/kernel/msgmax", "kernel.msgmax", MSGMAX_WANT);
	raise_sysctl(env, "/proc/sys/kernel/msgmnb", "kernel.msgmnb", MSGMNB_WANT);
	raise_sysctl(env, "/proc/sys/fs/mqueue/msgsize_max", "fs.mqueue.msgsize_max",
		     MQ_MSGSIZE_WANT);
	raise_sysctl(env, "/proc/sys/fs/mqueue/msg_max", "fs.mqueue.msg_max", MQ_MSG_WANT);
	old = raise_sysctl(env, qlen_path, "net.unix.max_dgram_qlen", DGRAM_QLEN_WANT);
	if (old) {
		restore_path = qlen_path;
		restore_value = old;
		atexit(restore_limits);
		signal(SIGINT, restore_and_die);
		signal(SIGTERM, restore_and_die);
		signal(SIGHUP, restore_and_die);
	}
	if (setrlimit(RLIMIT_MSGQUEUE, &unlimited) == 0) {
		used = strlen(env->limits);
		snprintf(env->limits + used, sizeof(env->limits) - used,
			 "%sRLIMIT_MSGQUEUE unlimited", used ? "; " : "");
	}
}
