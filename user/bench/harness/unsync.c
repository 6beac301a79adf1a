// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: lost updates in unsynchronised shared memory (see unsync.h).
 * Each process adds for a fixed time rather than a fixed count, so that on
 * one CPU both are preempted many times whatever the speed, and counts its
 * own adds privately: their sum is what the shared counter should say.
 */
#include <errno.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "options.h"
#include "participants.h"
#include "timing.h"
#include "unsync.h"

enum way { PLAIN, APPEND, LOCKED_APPEND, ATOMIC };

/* Adds between two looks at the clock. */
#define CHUNK	1024
#define LOG_SLOTS	4096

/* One record of the shared log. */
struct record {
	uint64_t seq;
	uint32_t writer;
	uint32_t check;
	char data[48];
};

struct counter {
	pthread_barrier_t start;
	sem_t lock;
	enum way way;
	uint64_t run_ns;
	volatile uint64_t value;	/* volatile: one load and one store per add */
	struct record log[LOG_SLOTS];	/* the append rows' log, value its index */
	uint64_t adds[2];		/* each process's own count */
	uint64_t elapsed_ns[2];
	uint64_t preempted[2];
	int failed;
};

/*
 * Writing a record is a call, as it is in a real producer: the index is
 * read before it and stored after. Under TCG, which takes interrupts only
 * between translated blocks, a call also makes room for a preemption that
 * a three-instruction load-add-store in one block never gets.
 */
static __attribute__((noinline)) void write_record(struct record *r, uint64_t seq,
						   unsigned int writer)
{
	r->seq = seq;
	r->writer = writer;
	memset(r->data, (int)writer, sizeof(r->data));
	r->check = (uint32_t)(seq * 2654435761u) ^ writer;
}

static void append(struct counter *c, uint64_t seq, unsigned int writer)
{
	uint64_t at = c->value;

	write_record(&c->log[at % LOG_SLOTS], seq, writer);
	c->value = at + 1;
}

static int add_chunk(struct counter *c, uint64_t seq, unsigned int writer)
{
	unsigned int i;

	for (i = 0; i < CHUNK; i++) {
		switch (c->way) {
		case PLAIN:
			c->value = c->value + 1;	/* the race: load, add, store */
			break;
		case APPEND:
			append(c, seq + i, writer);
			break;
		case LOCKED_APPEND:
			while (sem_wait(&c->lock))
				if (errno != EINTR) {
					c->failed = errno;
					return -1;
				}
			append(c, seq + i, writer);
			sem_post(&c->lock);
			break;
		case ATOMIC:
			__atomic_fetch_add(&c->value, 1, __ATOMIC_RELAXED);
			break;
		}
	}
	return 0;
}

static int adder(void *arg, unsigned int index)
{
	struct counter *c = arg;
	struct cpu_time cpu;
	uint64_t t0, adds = 0;

	pthread_barrier_wait(&c->start);
	cpu = cpu_time_now();
	t0 = now_ns();
	do {
		if (add_chunk(c, adds, index))
			return 1;
		adds += CHUNK;
	} while (now_ns() - t0 < c->run_ns);
	c->elapsed_ns[index] = now_ns() - t0;
	c->adds[index] = adds;
	c->preempted[index] = cpu_time_since(cpu).involuntary_switches;
	return 0;
}

static void count(struct unsync_row *r, const char *name, enum way way, uint64_t run_ns)
{
	struct counter *c = bench_shared_alloc(sizeof(*c));

	r->name = name;
	if (!c) {
		snprintf(r->note, sizeof(r->note), "out of memory");
		return;
	}
	c->way = way;
	c->run_ns = run_ns;
	if (shared_barrier_init(&c->start, 2) || sem_init(&c->lock, 1, 1)) {
		snprintf(r->note, sizeof(r->note), "setup: %s", strerror(errno));
		goto out;
	}
	if (participants_run(false, 2, adder, c) || c->failed) {
		snprintf(r->note, sizeof(r->note), "failed: %s", strerror(c->failed));
		goto out_sem;
	}
	r->expected = c->adds[0] + c->adds[1];
	r->got = c->value;
	r->ns_per_add = (double)(c->elapsed_ns[0] > c->elapsed_ns[1] ? c->elapsed_ns[0]
								    : c->elapsed_ns[1]) /
			(double)r->expected;
	r->preemptions = c->preempted[0] + c->preempted[1];
	r->ok = true;
out_sem:
	sem_destroy(&c->lock);
out:
	bench_shared_free(c, sizeof(*c));
}

void unsync_measure(const struct bench_options *o, struct unsync_result *out)
{
	/* Many time slices (a few ms each) long, so one CPU preempts often. */
	uint64_t run_ns = (uint64_t)((o->quick ? 100e6 : 300e6) * o->scale);

	memset(out, 0, sizeof(*out));
	out->measured = true;
	out->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	count(&out->rows[out->nrows++], "plain ++ (load, add, store)", PLAIN, run_ns);
	count(&out->rows[out->nrows++], "plain append to a shared log", APPEND, run_ns);
	count(&out->rows[out->nrows++], "append under a POSIX semaphore", LOCKED_APPEND, run_ns);
	count(&out->rows[out->nrows++], "atomic ++ (no lock)", ATOMIC, run_ns);
}
