/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: crash isolation (the crash section). A peer process crashes
 * with SIGSEGV (a real write through a null pointer) while talking to its
 * partner over one mechanism; the partner, this process, keeps running and
 * records what the mechanism told it. Then a thread crashes: its whole
 * process dies, the other thread with it.
 */
#ifndef KIPC_BENCH_CRASH_H
#define KIPC_BENCH_CRASH_H

#include <stdbool.h>

struct bench_options;

struct crash_row {
	const char *mechanism;	/* "pipe" */
	bool tested;		/* false: not available here (note says why) */
	bool peer_segv;		/* the peer died of SIGSEGV, as meant */
	bool survived;		/* the partner got an answer and went on */
	char receive[96];	/* what the partner's receive got after the crash */
	char send[96];		/* what its send got */
	char note[96];
};

#define MAX_CRASH_ROWS	6

struct crash_result {
	bool measured;
	struct crash_row rows[MAX_CRASH_ROWS];
	unsigned int nrows;
	/* The thread case: a child process whose second thread segfaults. */
	bool thread_tested;
	int thread_child_signal;	/* what killed the child, 0 if it exited */
	bool other_thread_finished;	/* the healthy thread reached its end */
	unsigned long other_thread_steps; /* how far it got */
	char thread_note[96];
	unsigned int timeout_ms;	/* how long a receive waited for a dead peer */
};

void crash_measure(const struct bench_options *o, struct crash_result *out);

#endif
