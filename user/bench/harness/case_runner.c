// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: one case in isolation (see case_runner.h).
 *
 * Each case runs in its own forked coordinator, in its own process group,
 * so a mechanism that hangs or crashes costs one case, not the run: the
 * main process kills the group when the time limit passes and removes the
 * SysV objects the case noted (bench_note_sysv), which outlive processes.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case_runner.h"
#include "payload.h"
#include "stats.h"

static struct case_shared *current;

void *bench_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void bench_shared_free(void *p, size_t size)
{
	munmap(p, size);
}

void bench_fail(const char *fmt, ...)
{
	int expected = 0;
	va_list ap;

	if (!current || !atomic_compare_exchange_strong(&current->failed, &expected, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(current->fail_text, sizeof(current->fail_text), fmt, ap);
	va_end(ap);
}

void case_fail_errno(const char *what)
{
	bench_fail("%s: %s", what, strerror(errno));
}

int case_verify_payload(struct payload_tracker *t, const void *buf, size_t len)
{
	char why[200];

	if (payload_expect(t, buf, len, why, sizeof(why)) == 0)
		return 0;
	bench_fail("VERIFY FAILED: %s", why);
	return -1;
}

void bench_note_sysv(char kind, int id)
{
	unsigned int i;

	if (!current)
		return;
	i = atomic_fetch_add(&current->nsysv, 1);
	if (i < CASE_MAX_SYSV) {
		current->sysv[i].kind = kind;
		current->sysv[i].id = id;
	}
}

static void remove_sysv_leftovers(struct case_shared *sh)
{
	unsigned int i, n = atomic_load(&sh->nsysv);

	for (i = 0; i < n && i < CASE_MAX_SYSV; i++) {
		switch (sh->sysv[i].kind) {
		case 'm':
			msgctl(sh->sysv[i].id, IPC_RMID, NULL);
			break;
		case 's':
			semctl(sh->sysv[i].id, 0, IPC_RMID);
			break;
		case 'h':
			shmctl(sh->sysv[i].id, IPC_RMID, NULL);
			break;
		}
	}
}

/* Why @c cannot run, or NULL. */
static const char *not_applicable(const struct bench_case *c, char *buf, size_t len)
{
	const struct bench_mech *m = c->mech;
	size_t max;

	if (c->cfg.threads && !(m->caps & BENCH_CAP_THREADS))
		return "no thread mode";
	if (c->cfg.producers > 1 && !(m->caps & BENCH_CAP_MULTI_PRODUCER))
		return "one producer only (a byte stream keeps no boundaries across writers)";
	max = m->max_msg_size ? m->max_msg_size(&c->cfg) : 0;
	if (max && c->cfg.msg_size > max) {
		snprintf(buf, len, "messages up to %zu B", max);
		return buf;
	}
	return NULL;
}

static void coordinator(const struct bench_case *c, struct case_shared *sh)
{
	int rc;

	setpgid(0, 0);
	rc = c->cfg.pattern == BENCH_ROUND_TRIP ? latency_case_run(c, sh)
						: throughput_case_run(c, sh);
	_exit(rc ? 1 : 0);
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* Wait for the coordinator, killing its group at the time limit. */
static int wait_coordinator(pid_t pid, unsigned int limit, char *why, size_t len)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	int status = 0;
	pid_t w;

	timed_out = 0;
	sigaction(SIGALRM, &sa, &old);
	alarm(limit);
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
		if (timed_out) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	/* Participants of a dead coordinator may linger in its group. */
	kill(-pid, SIGKILL);
	if (timed_out) {
		snprintf(why, len, "timed out after %u s", limit);
		return -1;
	}
	if (w < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (w >= 0 && WIFSIGNALED(status))
			snprintf(why, len, "coordinator died of signal %d", WTERMSIG(status));
		else
			snprintf(why, len, "failed");
		return -1;
	}
	return 0;
}

static void fill_result(const struct bench_case *c, struct case_shared *sh,
			double clock_read_ns, struct bench_result *r)
{
	unsigned int i, n = c->cfg.pattern == BENCH_ROUND_TRIP ? 2 : c->cfg.producers + 1;
	uint64_t msgs = c->cfg.pattern == BENCH_ROUND_TRIP ? c->iterations
							    : c->iterations * c->cfg.producers;
	double total = 0, user = 0, sys = 0, switches = 0, syscalls = 0;

	r->messages = msgs;
	r->warmup = c->warmup;
	for (i = 0; i < n; i++) {
		total += (double)sh->part[i].cpu.total_ns;
		user += (double)sh->part[i].cpu.user_ns;
		sys += (double)sh->part[i].cpu.sys_ns;
		switches += (double)(sh->part[i].cpu.voluntary_switches +
				     sh->part[i].cpu.involuntary_switches);
		syscalls += (double)sh->part[i].cpu.syscalls;
	}
	r->cpu_ns_per_msg = total / (double)msgs;
	/* The exact total, split as the tick samples of getrusage() split it. */
	if (user + sys > 0) {
		r->user_ns_per_msg = r->cpu_ns_per_msg * user / (user + sys);
		r->sys_ns_per_msg = r->cpu_ns_per_msg - r->user_ns_per_msg;
	} else {
		r->user_ns_per_msg = r->sys_ns_per_msg = -1;
	}
	r->switches_per_msg = switches / (double)msgs;
	r->syscalls_per_msg = (c->mech->caps & BENCH_CAP_SYSCALLS) ? syscalls / (double)msgs : -1;
	if (c->cfg.pattern == BENCH_ROUND_TRIP) {
		struct latency_stats st = latency_stats(sh->samples, sh->nsamples, clock_read_ns);
		double sum = 0;

		for (i = 0; i < sh->nsamples; i++)
			sum += (double)sh->samples[i];
		r->elapsed_ns = sum;
		r->mean_ns = st.mean;
		r->p50_ns = st.p50;
		r->p99_ns = st.p99;
		r->p999_ns = st.p999;
		r->max_ns = st.max;
		r->min_ns = st.min;
	} else {
		r->elapsed_ns = (double)sh->elapsed_ns;
		r->msgs_per_s = (double)msgs * 1e9 / r->elapsed_ns;
		r->mb_per_s = r->msgs_per_s * (double)c->cfg.msg_size / 1e6;
	}
}

void case_run(const struct bench_case *c, const struct bench_options *o,
	      double clock_read_ns, struct bench_result *r)
{
	size_t nsamples = c->cfg.pattern == BENCH_ROUND_TRIP ? c->iterations : 0;
	size_t size = sizeof(struct case_shared) + nsamples * sizeof(uint64_t);
	const char *why;
	char buf[160];
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->mech = c->mech;
	r->section = c->section;
	r->pattern = c->cfg.pattern;
	r->msg_size = c->cfg.msg_size;
	r->producers = c->cfg.producers;
	r->threads = c->cfg.threads;
	r->verified = c->verify;

	why = c->mech->unavailable ? c->mech->unavailable() : NULL;
	if (why) {
		r->status = RESULT_MISSING;
		snprintf(r->note, sizeof(r->note), "%s", why);
		return;
	}
	why = not_applicable(c, buf, sizeof(buf));
	if (why) {
		r->status = RESULT_NA;
		snprintf(r->note, sizeof(r->note), "%s", why);
		return;
	}

	current = bench_shared_alloc(size);
	if (!current) {
		r->status = RESULT_FAILED;
		snprintf(r->note, sizeof(r->note), "cannot map %zu bytes of shared memory", size);
		return;
	}
	current->nsamples = nsamples;
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		coordinator(c, current);
	if (pid < 0) {
		r->status = RESULT_FAILED;
		snprintf(r->note, sizeof(r->note), "fork: %s", strerror(errno));
	} else if (wait_coordinator(pid, o->case_timeout, buf, sizeof(buf))) {
		r->status = RESULT_FAILED;
		snprintf(r->note, sizeof(r->note), "%s",
			 atomic_load(&current->failed) ? current->fail_text : buf);
		remove_sysv_leftovers(current);
	} else {
		r->status = RESULT_OK;
		fill_result(c, current, clock_read_ns, r);
	}
	bench_shared_free(current, size);
	current = NULL;
}
