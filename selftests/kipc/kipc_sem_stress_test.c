// SPDX-License-Identifier: GPL-2.0
/*
 * The SEMOP hand-off under load: thousands of KIPC_IOC_SEMOP waiters of
 * KIPC_SEMOP_MAX operations each, queued so that granting them is the
 * worst case: each grant posts the units that let the waiter queued just
 * before it go, so the kernel goes back to the head of its list after
 * every grant and finds every older waiter still blocked.
 *
 * Waiter i (in queue order, 1 first; at most M) takes one unit 62 times
 * from semaphore P, then M + 1 - i units from the gate G, and posts
 * M + 2 - i to G. With G at 0 all sleep; with N queued, a post of
 * M + 1 - N lets waiter N go, whose post lets waiter N - 1 go, ..., down
 * to waiter 1. Every waiter must complete; G must end at M + 1 and P must
 * lose 62 units per waiter.
 *
 * The hand-off must neither take time quadratic in the waiters times their
 * operations nor hold the buffer's lock for all of it: a probe thread takes
 * the lock (KIPC_IOC_SEM_GETVALUE) every 100 us the whole time and records
 * the longest gap between two of its calls, which must be under half the
 * cascade's time (or under 1 s). On the debug kernel the soft-lockup
 * and RCU stall detectors watch the same thing.
 *
 * M is 3000 (fewer if the kernel's threads-max is low); N is M unless
 * queueing takes more than 30 s (a debug kernel creates a thread in tens
 * of milliseconds under TCG), then as many as were queued by then.
 * KIPC_SEM_STRESS_WAITERS=N sets M and N, with no time limit.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define SEM_P		0
#define SEM_G		1
#define P_TAKES		(KIPC_SEMOP_MAX - 2)
#define DEFAULT_WAITERS	3000
#define MIN_WAITERS	100
#define NS		1000000000LL
#define QUEUE_BUDGET_NS	(30 * NS)
/* Bounds on the normal and debug kernels under TCG, with a wide margin. */
#define CASCADE_MAX_NS	(30 * NS)
/*
 * The probe's longest gap: one hold of the lock for the whole cascade
 * shows as a gap as long as the cascade (5 to 10 s for 3000 waiters under
 * TCG before the fix); passes with the lock let go between them leave
 * gaps of scheduling noise (~20 ms; ~1.5 s on the debug kernel, whose
 * cascade takes ~20 s).
 */
#define GAP_MIN_BOUND_NS (1 * NS)

struct stress_waiter {
	pthread_t thread;
	int fd;
	unsigned int i, m;
	int ret;
};

struct probe {
	pthread_t thread;
	int fd;
	atomic_bool stop;
	long long max_gap_ns;
	long long calls;
};

static void *stress_waiter(void *arg)
{
	struct stress_waiter *w = arg;
	struct kipc_sembuf ops[KIPC_SEMOP_MAX] = {};
	int j;

	for (j = 0; j < P_TAKES; j++) {
		ops[j].sem = SEM_P;
		ops[j].delta = -1;
	}
	ops[j].sem = SEM_G;
	ops[j++].delta = -(int)(w->m + 1 - w->i);
	ops[j].sem = SEM_G;
	ops[j].delta = w->m + 2 - w->i;
	w->ret = kt_semop(w->fd, ops, KIPC_SEMOP_MAX, 0, 0);
	return NULL;
}

/* Take the buffer's lock over and over; note the longest wait between. */
static void *probe(void *arg)
{
	struct probe *p = arg;
	long long last = kt_now_ns(), now;

	while (!atomic_load(&p->stop)) {
		kt_sem_value(p->fd, SEM_G, NULL);
		now = kt_now_ns();
		if (now - last > p->max_gap_ns)
			p->max_gap_ns = now - last;
		last = now;
		p->calls++;
		/* Leave the CPU to the others; a hold still shows as a gap. */
		usleep(100);
	}
	return NULL;
}

static unsigned int stress_waiters(bool *budget)
{
	const char *env = getenv("KIPC_SEM_STRESS_WAITERS");
	unsigned int n = DEFAULT_WAITERS;
	long tmax = 0;
	FILE *f;

	*budget = !env;
	if (env)
		return strtoul(env, NULL, 0);
	f = fopen("/proc/sys/kernel/threads-max", "r");
	if (f) {
		if (fscanf(f, "%ld", &tmax) != 1)
			tmax = 0;
		fclose(f);
	}
	/* Leave room for the rest of the system (the debug kernel: 32K stacks). */
	if (tmax > 0 && tmax - 1000 < (long)n)
		n = tmax > 2000 ? tmax - 1000 : tmax / 2;
	return n;
}

FIXTURE(stress) {
	int fd;
	unsigned int m;
	bool budget;
	struct stress_waiter *w;
	struct probe probe;
	bool probing;
};

FIXTURE_SETUP(stress)
{
	__u32 values[2];

	self->m = stress_waiters(&self->budget);
	ASSERT_LT(0, self->m);
	values[SEM_P] = P_TAKES * self->m + 7;
	values[SEM_G] = 0;
	self->fd = kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, 4096, 2, values);
	ASSERT_LE(0, self->fd);
	self->w = calloc(self->m, sizeof(*self->w));
	ASSERT_NE(NULL, self->w);
}

FIXTURE_TEARDOWN(stress)
{
	if (self->probing) {
		atomic_store(&self->probe.stop, true);
		pthread_join(self->probe.thread, NULL);
	}
	free(self->w);
	close(self->fd);
}

TEST_F_TIMEOUT(stress, semop_reverse_cascade, 900)
{
	unsigned int m = self->m, n, i, queued = 0, done = 0;
	long long t0, t_queued, t_post, t_done, gap_max;
	pthread_attr_t attr;
	__u32 waiters = 0;
	int v;

	ASSERT_EQ(0, pthread_attr_init(&attr));
	ASSERT_EQ(0, pthread_attr_setstacksize(&attr, 64 * 1024));

	self->probe.fd = self->fd;
	ASSERT_EQ(0, pthread_create(&self->probe.thread, NULL, probe, &self->probe));
	self->probing = true;

	/* Queue them one by one, in order: waiter i sleeps before i + 1 comes. */
	t0 = kt_now_ns();
	for (i = 0; i < m; i++) {
		struct stress_waiter *w = &self->w[i];

		if (self->budget && kt_now_ns() - t0 > QUEUE_BUDGET_NS)
			break;
		w->fd = self->fd;
		w->i = i + 1;
		w->m = m;
		w->ret = 1;
		ASSERT_EQ(0, pthread_create(&w->thread, &attr, stress_waiter, w)) {
			TH_LOG("waiter %u of %u", i + 1, m);
		}
		queued++;
		for (;;) {
			v = kt_sem_value(self->fd, SEM_G, &waiters);
			ASSERT_LE(0, v);
			if (waiters == queued)
				break;
			ASSERT_GT(queued, waiters);
			if (kt_now_ns() - t0 > 600 * NS)
				ASSERT_EQ(queued, waiters);
			usleep(100);
		}
	}
	t_queued = kt_now_ns();
	n = queued;
	ASSERT_LE(MIN_WAITERS, n);
	ASSERT_EQ(0, kt_sem_value(self->fd, SEM_G, NULL));

	/* Units for the last one, through the kernel: the cascade runs here. */
	t_post = kt_now_ns();
	ASSERT_EQ(0, kt_sem_post(self->fd, SEM_G, m + 1 - n, 0));
	t_done = kt_now_ns();
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, pthread_join(self->w[i].thread, NULL));
		if (!self->w[i].ret)
			done++;
		else
			TH_LOG("waiter %u: %d", i + 1, self->w[i].ret);
	}
	atomic_store(&self->probe.stop, true);
	ASSERT_EQ(0, pthread_join(self->probe.thread, NULL));
	self->probing = false;

	TH_LOG("%u waiters x %d ops: queued in %lld ms, post's cascade %lld ms, all joined %lld ms later",
	       n, KIPC_SEMOP_MAX, (t_queued - t0) / 1000000,
	       (t_done - t_post) / 1000000, (kt_now_ns() - t_done) / 1000000);
	TH_LOG("probe: %lld GETVALUE calls, longest gap %lld ms",
	       self->probe.calls, self->probe.max_gap_ns / 1000000);
	EXPECT_EQ(n, done);
	EXPECT_EQ((int)m + 1, kt_sem_value(self->fd, SEM_G, &waiters));
	EXPECT_EQ(0, waiters);
	EXPECT_EQ(P_TAKES * (m - n) + 7, kt_sem_value(self->fd, SEM_P, &waiters));
	EXPECT_EQ(0, waiters);
	EXPECT_GT(CASCADE_MAX_NS, t_done - t_post);
	gap_max = (t_done - t_post) / 2;
	if (gap_max < GAP_MIN_BOUND_NS)
		gap_max = GAP_MIN_BOUND_NS;
	EXPECT_GT(gap_max, self->probe.max_gap_ns) {
		TH_LOG("the lock was held for most of the cascade");
	}
	pthread_attr_destroy(&attr);
}

TEST_HARNESS_MAIN
