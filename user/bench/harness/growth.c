// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: how cost grows (see growth.h). One mechanism at a time, in
 * a private IPC namespace when root (limits_raise() made it):
 *
 *  1. round trips with the namespace empty: 64 B request and reply between
 *     two processes on two anonymous queues, with 0, 100 and 1000 threads
 *     of a third process blocked in receive on queues of their own; then
 *     the replier waiting in epoll_wait on a set of 1 and of 1000 queues;
 *  2. names: the namespace is filled to 10, 1k, 10k and 100k named empty
 *     queues; at each level ops_per_point fresh names are created, as many
 *     existing names opened and up to as many unlinked (see time_names()),
 *     each loop timed as a whole (the mean per call); the fill itself is
 *     timed too: creates with every table resize they cause included;
 *  3. memory: Slab before and after the fill from 1k to 10k queues
 *     (9000 empty queues), and before and after sending ten 64 B messages
 *     to each of those 10k queues, divided by the count (see
 *     kernel_mem_bytes()); the same method for all three mechanisms.
 *
 * A mechanism that cannot reach a level (SysV: IPCMNI, 32768 queues) stops
 * there and says why in its note.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "growth.h"
#include "timing.h"

const unsigned int growth_points[GROWTH_POINTS] = { 10, 1000, 10000, 100000 };
const unsigned int growth_waiters[GROWTH_WAITERS] = { 0, 100, 1000 };
const unsigned int growth_epoll_set[GROWTH_EPOLL] = { 1, 1000 };

#define MSG_SIZE	64
#define BUF_SIZE	8192	/* mq_receive wants the queue's msgsize */
#define TEST_ID_BASE	1000000u /* the timed names; the filler is 0.. */
#define MEM_MSG_QUEUES	10000u	/* every filler queue at the 10k level */
#define MEM_MSG_EACH	10u	/* each full: 100k messages, ~13 MB with headers */
#define WAITER_STACK	(64u * 1024)
#define STOP_BYTE	'q'
#define SETTLE_US	200000

/* --- limits --- */

static void write_sysctl(const char *path, unsigned long v)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%lu\n", v);
		fclose(f);
	}
}

/*
 * In the private IPC namespace only (bench_may_raise_limits()): SysV's
 * msgmni to its ceiling, IPCMNI; POSIX queues_max past 100k (root passes
 * it anyway, through CAP_SYS_RESOURCE). Descriptors: 2000 queues at once.
 */
static void growth_raise_limits(void)
{
	struct rlimit nofile;

	if (bench_may_raise_limits()) {
		write_sysctl("/proc/sys/kernel/msgmni", 32768);
		write_sysctl("/proc/sys/fs/mqueue/queues_max", 200000);
	}
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
		if (geteuid() == 0 && nofile.rlim_max < 65536)
			nofile.rlim_max = 65536;
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
}

/*
 * The kernel's slab memory (Slab in /proc/meminfo), with the per-CPU
 * counter deltas folded in first (as root: vm.stat_refresh). Not MemFree:
 * pages taken from the per-CPU free lists leave MemFree as it was (they
 * left it when they went onto the list), and a 2 GiB VM keeps megabytes
 * there, so 100k messages could show as nothing. Everything an empty
 * queue or a small message of these three mechanisms holds is slab
 * (queue structures, mqueue inodes and dentries, message headers and
 * buffers up to a page, hash and id tables); the counts (9000 queues,
 * 100k messages) are large against the partly used slab pages.
 */
static long long kernel_mem_bytes(void)
{
	char line[128];
	long long kb = -1;
	FILE *f;

	write_sysctl("/proc/sys/vm/stat_refresh", 1);
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

static void add_note(struct growth_mech_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_note(struct growth_mech_result *r, const char *fmt, ...)
{
	size_t used = strlen(r->note);
	va_list ap;

	if (used && used + 2 < sizeof(r->note)) {
		strcpy(r->note + used, "; ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(r->note + used, sizeof(r->note) - used, fmt, ap);
	va_end(ap);
}

/* --- round trips --- */

/* The replier: answer every request until the stop byte; @ep >= 0: wait in epoll. */
static void replier(const struct growth_ops *ops, int req, int rep, int ep)
{
	char buf[BUF_SIZE];
	ssize_t n;

	for (;;) {
		int h = req;

		if (ep >= 0) {
			struct epoll_event ev;

			if (epoll_wait(ep, &ev, 1, -1) != 1)
				_exit(errno == EINTR ? 0 : 1);
			h = ev.data.fd;
		}
		n = ops->recv(h, buf, sizeof(buf));
		if (n <= 0)
			_exit(1);
		if (buf[0] == STOP_BYTE)
			_exit(0);
		if (ops->send(rep, buf, (size_t)n))
			_exit(1);
	}
}

/* Mean ns of one 64 B round trip; the replier runs in a child; -1 on failure. */
static double round_trip(const struct growth_ops *ops, int req, int rep, int ep,
			 unsigned int iterations)
{
	char buf[BUF_SIZE];
	unsigned int i, warmup = iterations / 10 + 1;
	uint64_t t0 = 0;
	double mean = -1;
	int status;
	pid_t pid;

	memset(buf, 'r', MSG_SIZE);
	/*
	 * Let the last measurement's teardown finish first (1000 threads and
	 * queues, freed after RCU grace periods): it ran inside the next
	 * round trips and made the first epoll figure 2 us dearer.
	 */
	usleep(SETTLE_US);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		replier(ops, req, rep, ep);
	for (i = 0; i < warmup + iterations; i++) {
		if (i == warmup)
			t0 = now_ns();
		if (ops->send(req, buf, MSG_SIZE) || ops->recv(rep, buf, sizeof(buf)) != MSG_SIZE)
			break;
	}
	if (i == warmup + iterations)
		mean = (double)(now_ns() - t0) / iterations;
	buf[0] = STOP_BYTE;
	if (ops->send(req, buf, 1))
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? mean : -1;
}

struct waiter {
	const struct growth_ops *ops;
	int h;
	unsigned int *asleep;	/* in shared memory: counted before blocking */
};

static void *waiter_thread(void *arg)
{
	struct waiter *w = arg;
	char buf[BUF_SIZE];

	__atomic_add_fetch(w->asleep, 1, __ATOMIC_SEQ_CST);
	w->ops->recv(w->h, buf, sizeof(buf));	/* nobody sends: blocks until killed */
	return NULL;
}

/* A process whose @n threads each block in receive on queue @h[i]. */
static pid_t start_waiters(const struct growth_ops *ops, const int *h, unsigned int n,
			   unsigned int *asleep)
{
	pthread_attr_t attr;
	struct waiter *w;
	pthread_t t;
	unsigned int i;
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	w = calloc(n, sizeof(*w));
	if (!w || pthread_attr_init(&attr) || pthread_attr_setstacksize(&attr, WAITER_STACK))
		_exit(1);
	for (i = 0; i < n; i++) {
		w[i] = (struct waiter){ ops, h[i], asleep };
		if (pthread_create(&t, &attr, waiter_thread, &w[i]))
			_exit(1);
	}
	for (;;)
		pause();
}

static double round_trip_waiters(const struct growth_ops *ops, unsigned int nwaiters,
				 unsigned int iterations, struct growth_mech_result *r)
{
	unsigned int *asleep = mmap(NULL, sizeof(*asleep), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *h = calloc(nwaiters + 2, sizeof(*h));
	unsigned int i, made = 0;
	double mean = -1;
	pid_t pid = -1;

	if (asleep == MAP_FAILED || !h)
		goto out;
	*asleep = 0;
	for (made = 0; made < nwaiters + 2; made++) {
		h[made] = ops->anon();
		if (h[made] < 0) {
			add_note(r, "%u waiters: queue %u: %s", nwaiters, made, strerror(errno));
			goto out;
		}
	}
	if (nwaiters) {
		pid = start_waiters(ops, h + 2, nwaiters, asleep);
		if (pid < 0)
			goto out;
		/* Every thread counted itself, then a moment to be asleep for sure. */
		for (i = 0; __atomic_load_n(asleep, __ATOMIC_SEQ_CST) < nwaiters && i < 20000; i++)
			usleep(1000);
		if (i == 20000) {
			add_note(r, "%u waiters did not start", nwaiters);
			goto out;
		}
		usleep(50000);
	}
	mean = round_trip(ops, h[0], h[1], -1, iterations);
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	for (i = 0; i < made; i++)
		ops->destroy(h[i]);
	free(h);
	if (asleep != MAP_FAILED)
		munmap(asleep, sizeof(*asleep));
	return mean;
}

/* The replier waits in epoll_wait on @set queues; requests come on the first. */
static double round_trip_epoll(const struct growth_ops *ops, unsigned int set,
			       unsigned int iterations, struct growth_mech_result *r)
{
	int *h = calloc(set + 1, sizeof(*h));
	int ep = epoll_create1(EPOLL_CLOEXEC);
	unsigned int i, made = 0;
	double mean = -1;

	if (!h || ep < 0)
		goto out;
	for (made = 0; made < set + 1; made++) {
		struct epoll_event ev = { .events = EPOLLIN };

		h[made] = ops->anon();
		if (h[made] < 0) {
			add_note(r, "epoll set of %u: queue %u: %s", set, made, strerror(errno));
			goto out;
		}
		ev.data.fd = h[made];
		/* h[set] is the reply queue, outside the set. */
		if (made < set && epoll_ctl(ep, EPOLL_CTL_ADD, h[made], &ev)) {
			add_note(r, "epoll_ctl: %s", strerror(errno));
			made++;
			goto out;
		}
	}
	mean = round_trip(ops, h[0], h[set], ep, iterations);
out:
	for (i = 0; i < made; i++)
		ops->destroy(h[i]);
	if (ep >= 0)
		close(ep);
	free(h);
	return mean;
}

/* --- names --- */

/* Create filler names @from..@to-1 (closed at once); false on failure. */
static bool fill(const struct growth_ops *ops, unsigned int from, unsigned int to,
		 double *ns_per_create, struct growth_mech_result *r)
{
	uint64_t t0 = now_ns();
	unsigned int id;

	for (id = from; id < to; id++) {
		int h = ops->create(id);

		if (h < 0) {
			add_note(r, "stops at %u queues: %s", id, strerror(errno));
			return false;
		}
		ops->close(h);
	}
	*ns_per_create = (double)(now_ns() - t0) / (to - from);
	return true;
}

/*
 * At level @p, with @filled names: time @k creates of fresh names (each a
 * lookup that misses), @k opens of filler names spread evenly over all of
 * them, and unlinks of up to @k distinct spread filler names, which are
 * then made again. Old names, not the fresh ones: a table that puts new
 * names first in a chain would find those at once and hide the walk.
 */
static bool time_names(const struct growth_ops *ops, unsigned int p, unsigned int filled,
		       unsigned int k, int *h, struct growth_mech_result *r)
{
	unsigned int i, nunlink = k < filled ? k : filled;
	uint64_t t0;

	t0 = now_ns();
	for (i = 0; i < k; i++)
		if ((h[i] = ops->create(TEST_ID_BASE + i)) < 0)
			break;
	r->create_ns[p] = (double)(now_ns() - t0) / k;
	if (i < k) {
		add_note(r, "create at %u: %s", growth_points[p], strerror(errno));
		r->create_ns[p] = -1;
		while (i--)
			ops->close(h[i]), ops->unlink(TEST_ID_BASE + i);
		return false;
	}
	for (i = 0; i < k; i++) {
		ops->close(h[i]);
		ops->unlink(TEST_ID_BASE + i);
	}
	t0 = now_ns();
	for (i = 0; i < k; i++)
		if ((h[i] = ops->open((unsigned int)((uint64_t)i * filled / k))) < 0)
			break;
	r->open_ns[p] = i == k ? (double)(now_ns() - t0) / k : -1;
	while (i--)
		ops->close(h[i]);
	t0 = now_ns();
	for (i = 0; i < nunlink; i++)
		if (ops->unlink((unsigned int)((uint64_t)i * filled / nunlink)))
			break;
	r->unlink_ns[p] = i == nunlink ? (double)(now_ns() - t0) / nunlink : -1;
	for (i = 0; i < nunlink; i++) {
		int made = ops->create((unsigned int)((uint64_t)i * filled / nunlink));

		if (made < 0) {
			add_note(r, "cannot make unlinked names again: %s", strerror(errno));
			return false;
		}
		ops->close(made);
	}
	return r->open_ns[p] >= 0 && r->unlink_ns[p] >= 0;
}

/* Ten 64 B messages into each of the first MEM_MSG_QUEUES filler queues. */
static void message_memory(const struct growth_ops *ops, struct growth_mech_result *r)
{
	long long before = kernel_mem_bytes(), after;
	char buf[MSG_SIZE];
	unsigned int q, m;

	memset(buf, 'm', sizeof(buf));
	for (q = 0; q < MEM_MSG_QUEUES; q++) {
		int h = ops->open(q);

		if (h < 0)
			return;
		for (m = 0; m < MEM_MSG_EACH; m++)
			if (ops->send(h, buf, sizeof(buf))) {
				ops->close(h);
				return;
			}
		ops->close(h);
	}
	after = kernel_mem_bytes();
	if (before > 0 && after > 0)
		r->bytes_per_msg = (double)(after - before) / (MEM_MSG_QUEUES * MEM_MSG_EACH);
}

static void names(const struct growth_ops *ops, unsigned int k, struct growth_mech_result *r)
{
	unsigned int p, filled = 0, id;
	long long before = -1, after;
	int *h = calloc(k, sizeof(*h));

	if (!h)
		return;
	for (p = 0; p < GROWTH_POINTS; p++) {
		if (p == 2)
			before = kernel_mem_bytes();
		if (!fill(ops, filled, growth_points[p], &r->fill_ns[p], r))
			break;
		if (p == 2) {
			after = kernel_mem_bytes();
			if (before > 0 && after > 0)
				r->bytes_per_queue = (double)(after - before) /
						     (growth_points[2] - filled);
		}
		filled = growth_points[p];
		fprintf(stderr, "kipc-bench: growth: %s, %u names\n", ops->name, filled);
		/* A table resize the fill set off finishes before the timing. */
		usleep(SETTLE_US);
		if (!time_names(ops, p, filled, k, h, r))
			break;
		if (p == 2)
			message_memory(ops, r);
	}
	/* fill() stopped at the first failure: every id below the next is ours. */
	for (id = 0; id < growth_points[GROWTH_POINTS - 1]; id++)
		if (ops->unlink(id) && id >= filled)
			break;
	free(h);
}

static void measure_one(const struct growth_ops *ops, const struct bench_options *o,
			struct growth_mech_result *r)
{
	unsigned int i;

	r->ops = ops;
	r->bytes_per_queue = r->bytes_per_msg = -1;
	for (i = 0; i < GROWTH_POINTS; i++)
		r->create_ns[i] = r->open_ns[i] = r->unlink_ns[i] = r->fill_ns[i] = -1;
	r->round_trips = (unsigned int)(2000 * o->scale);
	r->round_trips = r->round_trips < 100 ? 100 : r->round_trips;
	r->ops_per_point = (unsigned int)(200 * o->scale);
	r->ops_per_point = r->ops_per_point < 20 ? 20 :
			   r->ops_per_point > 10000 ? 10000 : r->ops_per_point;

	for (i = 0; i < GROWTH_WAITERS; i++) {
		fprintf(stderr, "kipc-bench: growth: %s, round trip, %u idle waiters\n",
			ops->name, growth_waiters[i]);
		r->waiters_ns[i] = round_trip_waiters(ops, growth_waiters[i], r->round_trips, r);
	}
	for (i = 0; i < GROWTH_EPOLL; i++) {
		r->epoll_ns[i] = -1;
		if (!ops->pollable)
			continue;
		fprintf(stderr, "kipc-bench: growth: %s, round trip, epoll set of %u\n",
			ops->name, growth_epoll_set[i]);
		r->epoll_ns[i] = round_trip_epoll(ops, growth_epoll_set[i], r->round_trips, r);
	}
	if (!ops->pollable)
		add_note(r, "no descriptor to poll");
	names(ops, r->ops_per_point, r);
}

struct growth_result *growth_measure(const struct bench_options *o,
				     const struct bench_mech *const *mechs, size_t nmechs)
{
	static const struct growth_ops *const all[] = {
		&growth_kipc, &growth_posix_mq, &growth_sysv_msg,
	};
	struct growth_result *g = calloc(1, sizeof(*g));
	size_t i, j;

	if (!g)
		return NULL;
	growth_raise_limits();
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		for (j = 0; j < nmechs; j++) {
			const char *why;

			if (strcmp(all[i]->name, mechs[j]->name))
				continue;
			why = mechs[j]->unavailable ? mechs[j]->unavailable() : NULL;
			if (why)
				fprintf(stderr, "kipc-bench: growth: %s left out: %s\n",
					all[i]->name, why);
			else
				measure_one(all[i], o, &g->m[g->n++]);
		}
	if (!g->n) {
		free(g);
		return NULL;
	}
	return g;
}
