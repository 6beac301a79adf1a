/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: what creating a process costs against a thread (the creation
 * section): fork, vfork+exec and posix_spawn against pthread_create, in time
 * per creation and in memory (resident size, proportional size and page
 * tables of a forked child against what one more thread adds).
 */
#ifndef KIPC_BENCH_CREATION_H
#define KIPC_BENCH_CREATION_H

#include <stdbool.h>

struct bench_options;

/*
 * The argument that makes kipc-bench exit at once: what vfork+exec and
 * posix_spawn start, so that their cost is that of the program this run
 * already is (dynamically linked, libc and json-c loaded), with no extra
 * file to ship into the VM.
 */
#define CREATION_EXIT_ARG	"--exit-at-once"

struct creation_row {
	const char *name;	/* "fork + _exit + waitpid" */
	const char *what;	/* "process", "thread" */
	unsigned int n;		/* creations timed */
	double us;		/* mean per creation, start to reaped/joined */
	bool ok;
	char note[96];
};

#define MAX_CREATION_ROWS	6

/* Sizes in KiB, -1 when not readable. */
struct creation_memory {
	long parent_rss, parent_pss, parent_pte;
	long child_rss, child_pss, child_private, child_pte;	/* a forked child, idle */
	long thread_rss, thread_pte, thread_vm;	/* what one more idle thread adds */
	char note[120];
};

struct creation_result {
	bool measured;
	struct creation_row rows[MAX_CREATION_ROWS];
	unsigned int nrows;
	struct creation_memory mem;
	long big_parent_kib;	/* resident size added for the "fork, big parent" row */
};

void creation_measure(const struct bench_options *o, struct creation_result *out);

/* The process row @name, or NULL. */
const struct creation_row *creation_find(const struct creation_result *c, const char *name);

#endif
