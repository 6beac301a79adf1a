/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: how cost grows (--only growth). For kipc queues, POSIX
 * queues and SysV message queues: the cost of create, open-by-name and
 * unlink with 10, 1k, 10k and 100k named objects in the namespace; a 64 B
 * round trip with 0, 100 and 1000 idle waiters blocked on other queues,
 * and through epoll_wait on a set of 1 and of 1000 queues; the memory an
 * empty queue and a queued 64 B message take (Slab deltas over
 * thousands of them, the same method for all three).
 */
#ifndef KIPC_BENCH_GROWTH_H
#define KIPC_BENCH_GROWTH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "options.h"

#define GROWTH_POINTS	4	/* 10, 1k, 10k, 100k objects */
#define GROWTH_WAITERS	3	/* 0, 100, 1000 idle waiters */
#define GROWTH_EPOLL	2	/* 1, 1000 queues in the epoll set */
#define GROWTH_MAX_MECHS 3

extern const unsigned int growth_points[GROWTH_POINTS];
extern const unsigned int growth_waiters[GROWTH_WAITERS];
extern const unsigned int growth_epoll_set[GROWTH_EPOLL];

/*
 * The operations one mechanism offers the growth section. A handle is a
 * descriptor (kipc, POSIX mq) or a SysV queue id. Named objects are known
 * by a number; each mechanism makes its own name or key of it.
 */
struct growth_ops {
	const char *name;	/* as in --mech */
	const char *title;
	int (*create)(unsigned int id);		/* new named queue; handle or -1 */
	int (*open)(unsigned int id);		/* existing one by name */
	int (*unlink)(unsigned int id);		/* remove the name */
	void (*close)(int h);			/* drop a handle from create/open */
	int (*anon)(void);			/* a queue no name reaches */
	void (*destroy)(int h);			/* close (and remove) an anon queue */
	int (*send)(int h, const void *buf, size_t len); /* blocking */
	int (*send_nowait)(int h, const void *buf, size_t len);
	ssize_t (*recv)(int h, void *buf, size_t len);	/* blocking */
	bool pollable;				/* the handle works with epoll */
};

extern const struct growth_ops growth_kipc, growth_posix_mq, growth_sysv_msg;

/* What one mechanism measured; a negative figure was not measured. */
struct growth_mech_result {
	const struct growth_ops *ops;
	double create_ns[GROWTH_POINTS];
	double open_ns[GROWTH_POINTS];
	double unlink_ns[GROWTH_POINTS];
	double fill_ns[GROWTH_POINTS];		/* create, amortized over the fill */
	double waiters_ns[GROWTH_WAITERS];	/* mean 64 B round trip */
	double epoll_ns[GROWTH_EPOLL];
	double bytes_per_queue;
	double bytes_per_msg;
	unsigned int ops_per_point;	/* creates (opens, unlinks) timed per point */
	unsigned int round_trips;	/* timed per round-trip figure */
	char note[256];
};

struct growth_result {
	struct growth_mech_result m[GROWTH_MAX_MECHS];
	unsigned int n;
};

/*
 * Measure those of kipc-queue, posix-mq and sysv-msg that are among the
 * selected @mechs; NULL when none is.
 */
struct bench_mech;
struct growth_result *growth_measure(const struct bench_options *o,
				     const struct bench_mech *const *mechs, size_t nmechs);

#endif
