// SPDX-License-Identifier: 0BSD
/*
 * A pool of worker processes sharing one job queue.
 *
 *   worker_pool [WORKERS [JOBS]]
 *
 * The parent sends JOBS jobs (a number n each) into an anonymous job queue
 * and reads the results (n * n) from a result queue; WORKERS forked workers
 * each take the next job, whoever is free first: a queue hands every
 * message to exactly one receiver, so there is no dispatcher. The parent
 * fills the job queue in batches (kipc_send_batch(), one system call for up
 * to 32 jobs) and ends with one "stop" per worker at priority 0, below every
 * job, so no worker stops while jobs are left.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libkipc.h>

#define PRIO_JOB	1
#define PRIO_STOP	0
#define BATCH		32

struct result {
	uint64_t n, square;
	int worker;
};

static int worker(int id, int jobs_fd, int results_fd)
{
	struct result r = { .worker = id };
	uint64_t n;
	ssize_t len;

	for (;;) {
		len = kipc_receive(jobs_fd, &n, sizeof(n), NULL);
		if (len != sizeof(n))
			break;		/* "stop", or an error */
		r.n = n;
		r.square = n * n;
		if (kipc_send(results_fd, &r, sizeof(r), 0) < 0) {
			perror("worker: kipc_send");
			return 1;
		}
	}
	return len == 4 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct kipc_queue_attr job_attr = { .maxmsg = 64, .msgsize = sizeof(uint64_t) };
	struct kipc_queue_attr res_attr = { .maxmsg = 64, .msgsize = sizeof(struct result) };
	int workers = argc > 1 ? atoi(argv[1]) : 4;
	long jobs = argc > 2 ? atol(argv[2]) : 1000;
	struct kipc_mvec vec[BATCH];
	uint64_t nums[BATCH], sum = 0, want = 0;
	int jobs_fd, results_fd, status, failed = 0;
	long sent = 0, received = 0;
	struct result r;

	if (workers < 1 || workers > 64 || jobs < 0) {
		fprintf(stderr, "usage: worker_pool [WORKERS (1-64) [JOBS]]\n");
		return 2;
	}
	jobs_fd = kipc_queue_anon(O_RDWR, &job_attr);
	results_fd = kipc_queue_anon(O_RDWR, &res_attr);
	if (jobs_fd < 0 || results_fd < 0) {
		perror("kipc_queue_anon");
		return 1;
	}
	for (int w = 1; w <= workers; w++)
		if (fork() == 0)
			_exit(worker(w, jobs_fd, results_fd));

	/*
	 * Send without blocking and read results whenever the job queue is
	 * full: a parent blocked on a full job queue while the workers block
	 * on a full result queue would be a deadlock.
	 */
	while (received < jobs) {
		int n = 0;

		while (sent + n < jobs && n < BATCH) {
			nums[n] = sent + n + 1;
			vec[n] = (struct kipc_mvec){ .buf = (__u64)(uintptr_t)&nums[n],
						     .len = sizeof(nums[n]), .prio = PRIO_JOB };
			n++;
		}
		if (n) {
			n = kipc_send_batch(jobs_fd, vec, n, KIPC_MSG_NONBLOCK);
			sent += n > 0 ? n : 0;
		}
		while (received < sent &&
		       kipc_receive(results_fd, &r, sizeof(r), NULL) == sizeof(r)) {
			sum += r.square;
			received++;
			if (sent < jobs && received % BATCH == 0)
				break;	/* go back to feeding */
		}
	}
	for (int w = 0; w < workers; w++)
		kipc_send(jobs_fd, "stop", 4, PRIO_STOP);
	while (wait(&status) > 0)
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
	for (long n = 1; n <= jobs; n++)
		want += (uint64_t)n * n;
	printf("worker_pool: %d workers, %ld jobs, sum of squares %s, %d workers failed\n",
	       workers, jobs, sum == want ? "right" : "WRONG", failed);
	return sum != want || failed;
}
