// SPDX-License-Identifier: GPL-2.0
/*
 * bare-pingpong: an outside cross-check for kipc-bench's round trips.
 *
 * It shares no code with kipc-bench, on purpose: one forked server echoes
 * every request, the client times the round trips between two clock reads
 * (or, with --clock-each, reads the clock after every round trip as
 * kipc-bench does), and each side reports its CPU time and its voluntary and
 * involuntary context switches per round trip. The involuntary ones count
 * the round trips in which a woken side preempted its waker: in the icount
 * VM that choice, not the mechanism, moves a message queue's mean by
 * several percent (Documentation/benchmarks.rst, "Cross-checks against
 * outside programs").
 *
 *   bare-pingpong MECH SIZE ROUNDS [--warmup N] [--clock-each] [--ipc-ns]
 *                 [--server-parent]
 *   MECH: sysv-msg (one queue, mtype 1 requests, 2 replies), posix-mq (one
 *   queue each way, 2 messages deep), pipe (one each way); SIZE may be 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIZE	65536

struct sysv_msgbuf {
	long mtype;
	char mtext[MAX_SIZE];
};

struct link {
	int qid;		/* sysv-msg */
	mqd_t request_q, reply_q; /* posix-mq */
	int request_pipe[2], reply_pipe[2];
	size_t size;
};

static struct sysv_msgbuf request, reply;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void write_sysctl(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(value, f) < 0 || fclose(f))
		die(path);
}

/* What kipc-bench does as root: its own IPC namespace, limits raised there. */
static void enter_ipc_namespace(void)
{
	if (unshare(CLONE_NEWIPC))
		die("unshare(CLONE_NEWIPC)");
	write_sysctl("/proc/sys/kernel/msgmax", "1048576\n");
	write_sysctl("/proc/sys/kernel/msgmnb", "4194304\n");
	write_sysctl("/proc/sys/fs/mqueue/msgsize_max", "1048576\n");
	write_sysctl("/proc/sys/fs/mqueue/msg_max", "1024\n");
}

static void link_setup(struct link *l, const char *mech, size_t size)
{
	memset(l, 0, sizeof(*l));
	l->qid = -1;
	l->request_q = l->reply_q = (mqd_t)-1;
	l->size = size;
	if (!strcmp(mech, "sysv-msg")) {
		l->qid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		if (l->qid < 0)
			die("msgget");
	} else if (!strcmp(mech, "posix-mq")) {
		struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = size ? (long)size : 1 };
		char name[64];

		snprintf(name, sizeof(name), "/bare-pingpong-rq-%d", getpid());
		l->request_q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
		mq_unlink(name);
		snprintf(name, sizeof(name), "/bare-pingpong-rp-%d", getpid());
		l->reply_q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
		mq_unlink(name);
		if (l->request_q == (mqd_t)-1 || l->reply_q == (mqd_t)-1)
			die("mq_open");
	} else if (!strcmp(mech, "pipe")) {
		if (!size) {
			fprintf(stderr, "bare-pingpong: a pipe cannot carry a 0-byte message\n");
			exit(2);
		}
		if (pipe(l->request_pipe) || pipe(l->reply_pipe))
			die("pipe");
	} else {
		fprintf(stderr, "bare-pingpong: unknown mechanism %s\n", mech);
		exit(2);
	}
}

static void link_teardown(struct link *l)
{
	if (l->qid >= 0)
		msgctl(l->qid, IPC_RMID, NULL);
}

static void serve_one(struct link *l)
{
	ssize_t n;

	if (l->qid >= 0) {
		/* The request goes back as it came, retyped, as kipc-bench echoes it. */
		n = msgrcv(l->qid, &request, l->size, 1, 0);
		request.mtype = 2;
		if (n != (ssize_t)l->size || msgsnd(l->qid, &request, l->size, 0))
			die("server: msgrcv/msgsnd");
	} else if (l->request_q != (mqd_t)-1) {
		n = mq_receive(l->request_q, request.mtext, l->size ? l->size : 1, NULL);
		if (n != (ssize_t)l->size || mq_send(l->reply_q, request.mtext, l->size, 0))
			die("server: mq_receive/mq_send");
	} else {
		n = read(l->request_pipe[0], request.mtext, l->size);
		if (n != (ssize_t)l->size ||
		    write(l->reply_pipe[1], request.mtext, l->size) != (ssize_t)l->size)
			die("server: read/write");
	}
}

static void call_one(struct link *l)
{
	ssize_t n;

	if (l->qid >= 0) {
		request.mtype = 1;
		if (msgsnd(l->qid, &request, l->size, 0))
			die("client: msgsnd");
		n = msgrcv(l->qid, &reply, l->size, 2, 0);
	} else if (l->request_q != (mqd_t)-1) {
		if (mq_send(l->request_q, request.mtext, l->size, 0))
			die("client: mq_send");
		n = mq_receive(l->reply_q, reply.mtext, l->size ? l->size : 1, NULL);
	} else {
		if (write(l->request_pipe[1], request.mtext, l->size) != (ssize_t)l->size)
			die("client: write");
		n = read(l->reply_pipe[0], reply.mtext, l->size);
	}
	if (n != (ssize_t)l->size)
		die("client: receive");
}

struct side_usage {
	struct rusage ru;
	uint64_t cpu_ns;
};

static struct side_usage usage_now(void)
{
	struct side_usage u;

	getrusage(RUSAGE_SELF, &u.ru);
	u.cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	return u;
}

static void usage_print(const char *side, struct side_usage start, uint64_t rounds)
{
	struct side_usage end = usage_now();

	printf("  %s: cpu %.1f ns, voluntary switches %.3f, involuntary %.3f per round trip\n",
	       side, (double)(end.cpu_ns - start.cpu_ns) / (double)rounds,
	       (double)(end.ru.ru_nvcsw - start.ru.ru_nvcsw) / (double)rounds,
	       (double)(end.ru.ru_nivcsw - start.ru.ru_nivcsw) / (double)rounds);
	fflush(stdout);
}

static void server(struct link *l, uint64_t warmup, uint64_t rounds)
{
	struct side_usage start = usage_now();
	uint64_t i;

	for (i = 0; i < warmup + rounds; i++) {
		if (i == warmup)
			start = usage_now();
		serve_one(l);
	}
	usage_print("server", start, rounds);
}

/* The clock's own cost, measured as kipc-bench measures it. */
static double clock_read_ns(void)
{
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC), i;

	for (i = 0; i < 10000; i++)
		clock_ns(CLOCK_MONOTONIC);
	return (double)(clock_ns(CLOCK_MONOTONIC) - t0) / 10000;
}

static void client(struct link *l, uint64_t warmup, uint64_t rounds, bool clock_each,
		   const char *mech)
{
	uint64_t *samples = clock_each ? calloc(rounds, sizeof(*samples)) : NULL;
	uint64_t i, t0, t, t2, d, sum;
	struct side_usage start;
	double clk;

	if (clock_each && !samples)
		die("calloc");
	for (i = 0; i < warmup; i++)
		call_one(l);
	start = usage_now();
	t0 = t = clock_ns(CLOCK_MONOTONIC);
	for (i = 0; i < rounds; i++) {
		call_one(l);
		if (clock_each) {
			t2 = clock_ns(CLOCK_MONOTONIC);
			samples[i] = t2 - t;
			t = t2;
		}
	}
	t = clock_ns(CLOCK_MONOTONIC);
	usage_print("client", start, rounds);
	clk = clock_read_ns();
	printf("%s %zu B, %llu round trips after %llu: %.2f ns per round trip", mech, l->size,
	       (unsigned long long)rounds, (unsigned long long)warmup,
	       (double)(t - t0) / (double)rounds);
	if (clock_each)
		printf(" (less one clock read: %.2f)", (double)(t - t0) / (double)rounds - clk);
	printf("; clock read %.1f ns\n", clk);
	fflush(stdout);
	if (clock_each && rounds >= 10) {
		/* Where in the run the fast round trips fell: start-up or throughout. */
		printf("  mean by tenth of the run:");
		for (d = 0; d < 10; d++) {
			sum = 0;
			for (i = rounds * d / 10; i < rounds * (d + 1) / 10; i++)
				sum += samples[i];
			printf(" %.0f", (double)sum / (double)(rounds * (d + 1) / 10 - rounds * d / 10));
		}
		printf("\n");
	}
	fflush(stdout);
	free(samples);
}

int main(int argc, char **argv)
{
	bool clock_each = false, ipc_ns = false, server_parent = false;
	uint64_t rounds, warmup;
	struct link l;
	size_t size;
	pid_t pid;
	int i;

	if (argc < 4) {
		fprintf(stderr, "usage: bare-pingpong sysv-msg|posix-mq|pipe SIZE ROUNDS "
			"[--warmup N] [--clock-each] [--ipc-ns] [--server-parent]\n");
		return 2;
	}
	size = strtoul(argv[2], NULL, 0);
	rounds = strtoull(argv[3], NULL, 0);
	warmup = rounds / 10;	/* kipc-bench's share */
	if (size > MAX_SIZE || rounds == 0) {
		fprintf(stderr, "bare-pingpong: SIZE up to %d, ROUNDS at least 1\n", MAX_SIZE);
		return 2;
	}
	for (i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "--warmup") && i + 1 < argc)
			warmup = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--clock-each"))
			clock_each = true;
		else if (!strcmp(argv[i], "--ipc-ns"))
			ipc_ns = true;
		else if (!strcmp(argv[i], "--server-parent"))
			server_parent = true;
		else {
			fprintf(stderr, "bare-pingpong: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (ipc_ns)
		enter_ipc_namespace();
	link_setup(&l, argv[1], size);
	memset(request.mtext, 0x5a, size);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if ((pid == 0) != server_parent) {
		server(&l, warmup, rounds);
		if (pid == 0)
			_exit(0);
	} else {
		client(&l, warmup, rounds, clock_each, argv[1]);
		if (pid == 0)
			_exit(0);
	}
	waitpid(pid, NULL, 0);
	link_teardown(&l);
	return 0;
}
