// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: real-time signals carrying a payload. The sender
 * queues a signal with sigqueue() (pthread_sigqueue() between threads) whose
 * union sigval carries the 8-byte message; the receiver keeps the signal
 * blocked and takes it synchronously with sigwaitinfo(), so no handler runs.
 * Requests and replies use two different signals. Messages larger than a
 * union sigval (8 bytes) cannot be carried and are reported n/a. When the
 * queue of pending signals is full (RLIMIT_SIGPENDING) sigqueue() fails with
 * EAGAIN and the sender yields and retries.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* Shared (bench_shared_alloc): attach() records who is where. */
struct bench_link {
	bool threads;
	pid_t pid[2];			/* [role]: producer 0 and the consumer */
	pthread_t thread[2];
};

struct bench_endpoint {
	struct bench_link *link;
	enum bench_role role;
	int send_sig, recv_sig;
	sigset_t recv_set;
};

static int request_signal(void)
{
	return SIGRTMIN + 1;
}

static int reply_signal(void)
{
	return SIGRTMIN + 2;
}

static size_t signal_max_msg_size(const struct bench_config *cfg)
{
	(void)cfg;
	return sizeof(union sigval);
}

static int signal_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = bench_shared_alloc(sizeof(*link));

	if (!link)
		return -1;
	link->threads = cfg->threads;
	*linkp = link;
	return 0;
}

static void signal_teardown(struct bench_link *link)
{
	bench_shared_free(link, sizeof(*link));
}

static int signal_attach(struct bench_link *link, enum bench_role role, unsigned int index,
			 struct bench_endpoint **epp)
{
	struct bench_endpoint *ep = malloc(sizeof(*ep));
	sigset_t both;

	if (!ep)
		return -1;
	ep->link = link;
	ep->role = role;
	ep->send_sig = role == BENCH_PRODUCER ? request_signal() : reply_signal();
	ep->recv_sig = role == BENCH_PRODUCER ? reply_signal() : request_signal();
	sigemptyset(&ep->recv_set);
	sigaddset(&ep->recv_set, ep->recv_sig);
	/* Blocked before the start barrier, so no signal finds it unblocked. */
	sigemptyset(&both);
	sigaddset(&both, request_signal());
	sigaddset(&both, reply_signal());
	errno = pthread_sigmask(SIG_BLOCK, &both, NULL);
	if (errno) {
		free(ep);
		return -1;
	}
	if (role == BENCH_CONSUMER || index == 0) {
		link->pid[role] = getpid();
		link->thread[role] = pthread_self();
	}
	*epp = ep;
	return 0;
}

static void signal_detach(struct bench_endpoint *ep)
{
	free(ep);
}

static int signal_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	enum bench_role peer = ep->role == BENCH_PRODUCER ? BENCH_CONSUMER : BENCH_PRODUCER;
	union sigval val = { 0 };
	int rc;

	memcpy(&val, buf, len);
	for (;;) {
		if (ep->link->threads)
			rc = errno = pthread_sigqueue(ep->link->thread[peer], ep->send_sig, val);
		else
			rc = sigqueue(ep->link->pid[peer], ep->send_sig, val);
		if (rc == 0)
			return 0;
		if (errno != EAGAIN)
			return -1;
		sched_yield();		/* the receiver's queue is full */
	}
}

static int signal_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	siginfo_t info;
	int sig;

	do {
		sig = sigwaitinfo(&ep->recv_set, &info);
	} while (sig < 0 && errno == EINTR);
	if (sig < 0)
		return -1;
	if (info.si_code != SI_QUEUE) {
		bench_fail("signal %d arrived without a sigqueue() payload (si_code %d)",
			   sig, info.si_code);
		errno = EPROTO;
		return -1;
	}
	memcpy(buf, &info.si_value, len);
	return 0;
}

const struct bench_mech bench_mech_signal = {
	.name = "signal",
	.title = "RT signal",
	.kind = BENCH_KIND_SIGNAL,
	.caps = BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER,
	.how = "sigqueue()/pthread_sigqueue() of SIGRTMIN+1/+2 with the 8-byte message as "
	       "sigval, received blocked with sigwaitinfo()",
	.textbook = { "Signal", "none to tiny (a number)", "no",
		      "notification, asynchronous events, job control",
		      "fast, cheap" },
	.max_msg_size = signal_max_msg_size,
	.setup = signal_setup,
	.teardown = signal_teardown,
	.attach = signal_attach,
	.detach = signal_detach,
	.send = signal_send,
	.recv = signal_recv,
};
