// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: clock read, system call and context-switch costs (see costs.h). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "costs.h"
#include "participants.h"
#include "timing.h"

struct pingpong {
	pthread_barrier_t start;
	int a_to_b[2], b_to_a[2];
	bool use_pipe;
	uint64_t iterations;
	uint64_t elapsed_ns[2];
	struct cpu_time cpu[2];
	int failed;
};

static int yield_or_pipe(void *arg, unsigned int index)
{
	struct pingpong *pp = arg;
	uint64_t i, t0;
	struct cpu_time cpu;
	char byte = 'x';
	int in = index == 0 ? pp->b_to_a[0] : pp->a_to_b[0];
	int out = index == 0 ? pp->a_to_b[1] : pp->b_to_a[1];

	pthread_barrier_wait(&pp->start);
	cpu = cpu_time_now();
	t0 = now_ns();
	for (i = 0; i < pp->iterations; i++) {
		if (!pp->use_pipe) {
			sched_yield();
			continue;
		}
		if (index == 0 && write(out, &byte, 1) != 1)
			goto fail;
		if (read(in, &byte, 1) != 1)
			goto fail;
		if (index == 1 && write(out, &byte, 1) != 1)
			goto fail;
	}
	pp->elapsed_ns[index] = now_ns() - t0;
	pp->cpu[index] = cpu_time_since(cpu);
	return 0;
fail:
	/* Reported through pp: a failed thread would take the whole run down. */
	pp->failed = errno ? errno : EIO;
	return 0;
}

static void pingpong(struct cost_result *r, bool threads, bool use_pipe, uint64_t iterations)
{
	struct pingpong *pp = bench_shared_alloc(sizeof(*pp));
	double elapsed, switches;

	r->between = threads ? "threads" : "processes";
	r->name = use_pipe ? "pipe ping-pong, per switch" : "sched_yield ping-pong, per switch";
	if (!pp) {
		snprintf(r->note, sizeof(r->note), "out of memory");
		return;
	}
	pp->use_pipe = use_pipe;
	pp->iterations = iterations;
	if (shared_barrier_init(&pp->start, 2) || pipe(pp->a_to_b) || pipe(pp->b_to_a)) {
		snprintf(r->note, sizeof(r->note), "setup: %s", strerror(errno));
		goto out;
	}
	if (participants_run(threads, 2, yield_or_pipe, pp) || pp->failed) {
		snprintf(r->note, sizeof(r->note), "failed: %s", strerror(pp->failed));
		goto out_pipes;
	}
	elapsed = (double)(pp->elapsed_ns[0] > pp->elapsed_ns[1] ? pp->elapsed_ns[0]
								  : pp->elapsed_ns[1]);
	switches = (double)(pp->cpu[0].voluntary_switches + pp->cpu[0].involuntary_switches +
			    pp->cpu[1].voluntary_switches + pp->cpu[1].involuntary_switches);
	/* Two switches per iteration: A to B and back. */
	r->ns = elapsed / (2.0 * (double)iterations);
	r->switches = switches / (2.0 * (double)iterations);
	r->ok = true;
	if (r->switches < 0.5)
		snprintf(r->note, sizeof(r->note),
			 "only %.2f switches per operation: the parties did not alternate",
			 r->switches);
out_pipes:
	close(pp->a_to_b[0]);
	close(pp->a_to_b[1]);
	close(pp->b_to_a[0]);
	close(pp->b_to_a[1]);
out:
	bench_shared_free(pp, sizeof(*pp));
}

/*
 * memcpy per KiB at @size: what producing a message into a shared slot
 * costs, and in the icount VM the reason bulk ratios move with the size
 * (glibc picks rep movsb for some sizes and vector loops for others).
 */
static void memcpy_cost(struct cost_result *r, size_t size, uint64_t bytes)
{
	static const char *const names[] = { "memcpy 4 KiB, per KiB", "memcpy 64 KiB, per KiB",
					     "memcpy 1 MiB, per KiB" };
	char *src = malloc(size), *dst = malloc(size);
	uint64_t i, n = bytes / size, t0;
	volatile unsigned char sink = 0;

	r->name = names[size == 4096 ? 0 : size == 65536 ? 1 : 2];
	r->between = "-";
	if (!src || !dst) {
		snprintf(r->note, sizeof(r->note), "out of memory");
		goto out;
	}
	memset(src, 1, size);
	memset(dst, 2, size);
	if (n == 0)
		n = 1;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		memcpy(dst, src, size);
		src[i % size]++;		/* a new source every time */
		sink ^= dst[(i * 7) % size];	/* and the copy is used */
	}
	r->ns = (double)(now_ns() - t0) / (double)n / (double)(size / 1024);
	r->ok = true;
out:
	free(src);
	free(dst);
}

static void syscall_cost(struct cost_result *r, uint64_t iterations)
{
	uint64_t i, t0 = now_ns();

	for (i = 0; i < iterations; i++)
		syscall(SYS_getppid);
	r->name = "system call (getppid)";
	r->between = "-";
	r->ns = (double)(now_ns() - t0) / (double)iterations;
	r->ok = true;
}

/* Both parties of a ping-pong must share one CPU, or nothing switches. */
static bool pin_to_one_cpu(const struct bench_options *o, cpu_set_t *old)
{
	cpu_set_t one;
	int cpu = o->pin_cpu >= 0 ? o->pin_cpu : sched_getcpu();

	if (sched_getaffinity(0, sizeof(*old), old) || cpu < 0)
		return false;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) == 0;
}

unsigned int costs_measure(const struct bench_options *o, double clock_read_ns,
			   struct cost_result *out)
{
	uint64_t n = (uint64_t)((o->quick ? 2000 : 20000) * o->scale);
	unsigned int k = 0, i;
	cpu_set_t old;
	bool pinned;

	if (n < 10)
		n = 10;
	memset(out, 0, MAX_COSTS * sizeof(*out));
	out[k].name = "clock read (clock_gettime)";
	out[k].between = "-";
	out[k].ns = clock_read_ns;
	out[k++].ok = true;
	syscall_cost(&out[k++], n * 10);
	memcpy_cost(&out[k++], 4096, n * 4096);
	memcpy_cost(&out[k++], 65536, n * 4096);
	memcpy_cost(&out[k++], 1 << 20, n * 4096);
	pinned = pin_to_one_cpu(o, &old);
	pingpong(&out[k++], false, false, n);
	pingpong(&out[k++], true, false, n);
	pingpong(&out[k++], false, true, n);
	pingpong(&out[k++], true, true, n);
	if (pinned)
		sched_setaffinity(0, sizeof(old), &old);
	/*
	 * A yield switch does less than a pipe wake-up and switch; when it
	 * costs more, sched_yield handed the CPU to other tasks on it.
	 */
	for (i = k - 4; i < k - 2; i++)
		if (out[i].ok && out[i + 2].ok && out[i].ns > out[i + 2].ns)
			snprintf(out[i].note, sizeof(out[i].note),
				 "slower than a pipe switch: other tasks ran on this CPU when it "
				 "yielded");
	return k;
}
