/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: a bounded ring in shared memory, the way shared-memory IPC is
 * used in practice: messages are written once into a slot and read in place;
 * the kernel is entered only to sleep when the ring is empty (or full) and to
 * wake a sleeper. Two counting semaphores guard each ring: ITEMS (filled
 * slots) and SPACES (free slots). Several producers claim slots with one
 * atomic add and publish each slot with its own sequence number, so no
 * producer ever holds a lock another one could sleep on.
 *
 * The semaphores are the mechanism under test (SysV sem, POSIX sem, futex,
 * eventfd) and come in through struct ring_sem_ops. Kernel semaphores that
 * cost a system call on every operation (SysV, eventfd) get a fast path: the
 * ring keeps each count in shared memory and calls the kernel only when the
 * count says someone must sleep or be woken (a "benaphore", as PostgreSQL
 * uses its SysV semaphores); the futex mechanisms do the same with a bare
 * futex as the place to sleep. POSIX semaphores have that fast path built
 * in (glibc's sem_t), so the ring uses them as they are.
 *
 * A round trip uses two rings in one region: ring 0 carries requests from
 * the producer, ring 1 carries replies back.
 */
#ifndef KIPC_BENCH_SHM_RING_H
#define KIPC_BENCH_SHM_RING_H

#include <stdbool.h>
#include <stddef.h>

#include "bench.h"

enum ring_sem_index {
	RING_SEM_ITEMS,
	RING_SEM_SPACES,
	RING_SEMS_PER_RING,
};

/* Semaphores for both rings: index = ring * RING_SEMS_PER_RING + RING_SEM_*. */
#define RING_SEMS	(2 * RING_SEMS_PER_RING)

struct ring_sem_ops {
	/* Call the kernel only when the count in shared memory says so. */
	bool fast_path_in_ring;
	/* Initial value of semaphore @sem is @value (before any participant). */
	int (*init)(void *ctx, unsigned int sem, unsigned int value);
	int (*wait)(void *ctx, unsigned int sem);
	int (*post)(void *ctx, unsigned int sem);
};

/*
 * What a ring-based mechanism keeps in its struct bench_link, as the first
 * member (ring_attach and ring_teardown find it there).
 */
struct ring_link {
	void *map;			/* ring_link_map(): the whole mapping, or NULL */
	size_t map_size;
	void *region;			/* shared mapping holding the rings */
	size_t region_size;
	unsigned int nrings;		/* 1 one-way, 2 round trip */
	const struct ring_sem_ops *ops;
	void *ctx;			/* the mechanism's semaphores */
};

/* Bytes of shared memory the rings for @cfg need. */
size_t ring_region_size(const struct bench_config *cfg);

/*
 * Lay the rings out in @region (ring_region_size(cfg) bytes, zeroed, shared)
 * and give every semaphore its initial value through ops->init.
 */
int ring_link_init(struct ring_link *rl, void *region, const struct bench_config *cfg,
		   const struct ring_sem_ops *ops, void *ctx);

/*
 * Map @head bytes for the mechanism's semaphores (0: none) followed by the
 * rings for @cfg, with @map (bench_shared_alloc, or a function that maps a
 * file or shm object, see ring_map_fd). Returns the start of the mapping,
 * whose first @head bytes are the mechanism's; the rings start @head bytes
 * in. NULL on failure.
 */
void *ring_link_map(struct ring_link *rl, const struct bench_config *cfg, size_t head,
		    void *(*map)(size_t size));

/*
 * Size @fd (a new file or shm object) to @size bytes, map it MAP_SHARED and
 * close it. NULL on failure, also when @fd is negative.
 */
void *ring_map_fd(int fd, size_t size);

/*
 * The bench_mech operations, for mechanisms built on the ring, whose
 * struct bench_link starts with its struct ring_link. ring_teardown unmaps
 * what ring_link_map mapped and frees the link (allocated with calloc).
 */
void ring_teardown(struct bench_link *link);
int ring_attach(struct bench_link *link, enum bench_role role, unsigned int index,
		struct bench_endpoint **ep);
void ring_detach(struct bench_endpoint *ep);
int ring_send(struct bench_endpoint *ep, const void *buf, size_t len);
int ring_recv(struct bench_endpoint *ep, void *buf, size_t len);
void *ring_send_reserve(struct bench_endpoint *ep, size_t len);
int ring_send_commit(struct bench_endpoint *ep, size_t len);
const void *ring_recv_acquire(struct bench_endpoint *ep, size_t len);
int ring_recv_release(struct bench_endpoint *ep);

/* The struct bench_mech operations every ring mechanism shares (all but setup, teardown). */
#define RING_MECH_OPS					\
	.attach = ring_attach,				\
	.detach = ring_detach,				\
	.send = ring_send,				\
	.recv = ring_recv,				\
	.send_reserve = ring_send_reserve,		\
	.send_commit = ring_send_commit,		\
	.recv_acquire = ring_recv_acquire,		\
	.recv_release = ring_recv_release

#endif
