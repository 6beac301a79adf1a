/* SPDX-License-Identifier: GPL-2.0 */
/* kipc-bench: command-line options. */
#ifndef KIPC_BENCH_OPTIONS_H
#define KIPC_BENCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define MAX_SIZES	16
#define MAX_PRODUCERS	16

/* Sections of a run (--only). */
#define SECTION_LATENCY		(1u << 0)	/* round trip at every size */
#define SECTION_THROUGHPUT	(1u << 1)	/* one-way at every size */
#define SECTION_PRODUCERS	(1u << 2)	/* one-way, 1..N producers */
#define SECTION_THREADS		(1u << 3)	/* round trip between threads */
#define SECTION_COSTS		(1u << 4)	/* system call, context switches */
#define SECTION_CREATION	(1u << 5)	/* creating processes against threads */
#define SECTION_CRASH		(1u << 6)	/* a crashing peer, a crashing thread */
#define SECTION_UNSYNC		(1u << 7)	/* shared memory without a lock */
#define SECTION_GROWTH		(1u << 8)	/* how cost grows (growth.h) */
#define SECTION_FANOUT		(1u << 9)	/* one publisher, N subscribers (fanout.h) */
#define SECTION_ALL		0x3ffu

struct bench_options {
	const char *out_dir;	/* NULL: no files */
	const char *mechs;	/* comma-separated names, NULL: every visible one */
	const char *env;	/* --env, else $KIPC_BENCH_ENV */
	bool quick;
	bool verify;
	bool threads;		/* every case between threads */
	bool raise_limits;	/* as root, lift limits (default on) */
	bool plot;		/* run gnuplot when it is installed */
	bool list;		/* --list: print the mechanisms and exit */
	bool stock;		/* --stock: leave the kipc mechanisms out */
	bool json;		/* -j: results.json on stdout instead of the tables */
	unsigned int repeat;	/* --repeat: times every case runs (default 1) */
	const char *qemu;	/* --qemu-version, else $KIPC_BENCH_QEMU: the VM's QEMU */
	unsigned int sections;
	size_t sizes[MAX_SIZES];
	unsigned int nsizes;
	unsigned int max_producers;
	unsigned int batch;
	double scale;		/* multiplies every iteration count */
	unsigned int case_timeout; /* seconds per case */
	int pin_cpu;		/* -1: not pinned */
	size_t producers_size;	/* message size of the producers section */
	size_t threads_size;	/* message size of the threads section */
};

/* Parse argv; exits with a message on a bad option, 0 after --help. */
void options_parse(struct bench_options *o, int argc, char **argv);
/* "64 KiB", "1 MiB", "8 B" */
const char *format_size(size_t size, char *buf, size_t len);

#endif
