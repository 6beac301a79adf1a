// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the shared-memory ring (see shm_ring.h).
 *
 * Who writes what: a producer takes a SPACES token, then claims the next
 * slot by an atomic add on head; holding a token guarantees that slot's
 * previous message was released. It fills the slot, publishes it by storing
 * the slot's sequence number (position + 1, release order) and posts ITEMS.
 * The consumer alone moves tail: it takes an ITEMS token and reads the slot
 * at tail once its sequence number says it is published. With several
 * producers a later slot can be published before an earlier one whose
 * producer was preempted mid-copy; the consumer then yields the CPU to it
 * until the slot is ready (this never happens with one producer).
 */
#include <errno.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "shm_ring.h"

#define CACHELINE	64
/* A one-way ring holds about this many bytes, within the depth bounds below. */
#define RING_BYTES	(256 * 1024)
#define RING_MIN_DEPTH	4
#define RING_MAX_DEPTH	1024
/* A round trip never has more than one message in flight each way. */
#define RING_ROUND_TRIP_DEPTH	2

struct ring_slot {
	_Atomic uint64_t seq;	/* position + 1 once published */
	uint64_t len;
	unsigned char data[];
};

struct shm_ring {
	uint32_t depth;
	uint32_t slot_size;	/* sizeof(struct ring_slot) + data, cache-aligned */
	_Atomic int32_t count[RING_SEMS_PER_RING]; /* fast path (fast_path_in_ring) */
	alignas(CACHELINE) _Atomic uint64_t head;	/* next position to claim */
	alignas(CACHELINE) uint64_t tail;		/* consumer */
	alignas(CACHELINE) unsigned char slots[];
};

struct bench_endpoint {
	const struct ring_link *rl;
	struct shm_ring *out, *in;	/* ring we fill, ring we drain (NULL: none) */
	unsigned int out_sem, in_sem;	/* first semaphore index of each ring */
	struct ring_slot *reserved;
	uint64_t reserved_pos;
};

static size_t align_up(size_t n, size_t a)
{
	return (n + a - 1) / a * a;
}

static size_t slot_bytes(size_t msg_size)
{
	return align_up(sizeof(struct ring_slot) + msg_size, CACHELINE);
}

static unsigned int ring_depth(const struct bench_config *cfg)
{
	size_t depth;

	if (cfg->pattern == BENCH_ROUND_TRIP)
		return RING_ROUND_TRIP_DEPTH;
	depth = RING_BYTES / slot_bytes(cfg->msg_size);
	if (depth < RING_MIN_DEPTH)
		depth = RING_MIN_DEPTH;
	if (depth > RING_MAX_DEPTH)
		depth = RING_MAX_DEPTH;
	return (unsigned int)depth;
}

static size_t one_ring_bytes(const struct bench_config *cfg)
{
	return align_up(sizeof(struct shm_ring) + (size_t)ring_depth(cfg) * slot_bytes(cfg->msg_size),
			4096);
}

size_t ring_region_size(const struct bench_config *cfg)
{
	return one_ring_bytes(cfg) * (cfg->pattern == BENCH_ROUND_TRIP ? 2 : 1);
}

static struct shm_ring *ring_at(const struct ring_link *rl, unsigned int i)
{
	return (struct shm_ring *)((char *)rl->region + i * (rl->region_size / rl->nrings));
}

void *ring_link_map(struct ring_link *rl, const struct bench_config *cfg, size_t head,
		    void *(*map)(size_t size))
{
	rl->map_size = head + ring_region_size(cfg);
	rl->map = map(rl->map_size);
	return rl->map;
}

void *ring_map_fd(int fd, size_t size)
{
	void *map = NULL;

	if (fd < 0)
		return NULL;
	if (ftruncate(fd, (off_t)size) == 0) {
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			map = NULL;
	}
	close(fd);
	return map;
}

void ring_teardown(struct bench_link *link)
{
	struct ring_link *rl = (struct ring_link *)link;

	if (rl->map)
		munmap(rl->map, rl->map_size);
	free(link);
}

int ring_link_init(struct ring_link *rl, void *region, const struct bench_config *cfg,
		   const struct ring_sem_ops *ops, void *ctx)
{
	unsigned int i, depth = ring_depth(cfg);

	rl->region = region;
	rl->region_size = ring_region_size(cfg);
	rl->nrings = cfg->pattern == BENCH_ROUND_TRIP ? 2 : 1;
	rl->ops = ops;
	rl->ctx = ctx;
	for (i = 0; i < rl->nrings; i++) {
		struct shm_ring *r = ring_at(rl, i);
		unsigned int base = i * RING_SEMS_PER_RING;

		r->depth = depth;
		r->slot_size = (uint32_t)slot_bytes(cfg->msg_size);
		atomic_init(&r->count[RING_SEM_ITEMS], 0);
		atomic_init(&r->count[RING_SEM_SPACES], (int32_t)depth);
		atomic_init(&r->head, 0);
		/* With the fast path the kernel semaphores only count sleepers. */
		if (ops->init(ctx, base + RING_SEM_ITEMS, 0) ||
		    ops->init(ctx, base + RING_SEM_SPACES, ops->fast_path_in_ring ? 0 : depth))
			return -1;
	}
	return 0;
}

static int sem_wait_one(const struct ring_link *rl, struct shm_ring *r, unsigned int base,
			unsigned int which)
{
	if (rl->ops->fast_path_in_ring &&
	    atomic_fetch_sub(&r->count[which], 1) > 0)
		return 0;
	return rl->ops->wait(rl->ctx, base + which);
}

static int sem_post_one(const struct ring_link *rl, struct shm_ring *r, unsigned int base,
			unsigned int which)
{
	/* A count below zero before the increment means a sleeper to wake. */
	if (rl->ops->fast_path_in_ring &&
	    atomic_fetch_add(&r->count[which], 1) >= 0)
		return 0;
	return rl->ops->post(rl->ctx, base + which);
}

static struct ring_slot *slot_at(struct shm_ring *r, uint64_t pos)
{
	return (struct ring_slot *)(r->slots + (size_t)(pos % r->depth) * r->slot_size);
}

int ring_attach(struct bench_link *link, enum bench_role role, unsigned int index,
		struct bench_endpoint **epp)
{
	const struct ring_link *rl = (const struct ring_link *)link;
	struct bench_endpoint *ep = calloc(1, sizeof(*ep));

	(void)index;
	if (!ep)
		return -1;
	ep->rl = rl;
	if (role == BENCH_PRODUCER) {
		ep->out = ring_at(rl, 0);
		ep->out_sem = 0;
		ep->in = rl->nrings > 1 ? ring_at(rl, 1) : NULL;
		ep->in_sem = RING_SEMS_PER_RING;
	} else {
		ep->in = ring_at(rl, 0);
		ep->in_sem = 0;
		ep->out = rl->nrings > 1 ? ring_at(rl, 1) : NULL;
		ep->out_sem = RING_SEMS_PER_RING;
	}
	*epp = ep;
	return 0;
}

void ring_detach(struct bench_endpoint *ep)
{
	free(ep);
}

void *ring_send_reserve(struct bench_endpoint *ep, size_t len)
{
	struct shm_ring *r = ep->out;

	if (!r || len + sizeof(struct ring_slot) > r->slot_size) {
		errno = r ? EMSGSIZE : EBADF;
		return NULL;
	}
	if (sem_wait_one(ep->rl, r, ep->out_sem, RING_SEM_SPACES))
		return NULL;
	ep->reserved_pos = atomic_fetch_add(&r->head, 1);
	ep->reserved = slot_at(r, ep->reserved_pos);
	return ep->reserved->data;
}

int ring_send_commit(struct bench_endpoint *ep, size_t len)
{
	struct shm_ring *r = ep->out;

	ep->reserved->len = len;
	atomic_store_explicit(&ep->reserved->seq, ep->reserved_pos + 1, memory_order_release);
	ep->reserved = NULL;
	return sem_post_one(ep->rl, r, ep->out_sem, RING_SEM_ITEMS);
}

const void *ring_recv_acquire(struct bench_endpoint *ep, size_t len)
{
	struct shm_ring *r = ep->in;
	struct ring_slot *s;

	if (!r) {
		errno = EBADF;
		return NULL;
	}
	if (sem_wait_one(ep->rl, r, ep->in_sem, RING_SEM_ITEMS))
		return NULL;
	s = slot_at(r, r->tail);
	/* Published out of order by a producer preempted mid-copy: let it finish. */
	while (atomic_load_explicit(&s->seq, memory_order_acquire) != r->tail + 1)
		sched_yield();
	if (s->len != len) {
		bench_fail("ring slot holds %llu bytes, expected %zu",
			   (unsigned long long)s->len, len);
		errno = EPROTO;
		return NULL;
	}
	return s->data;
}

int ring_recv_release(struct bench_endpoint *ep)
{
	struct shm_ring *r = ep->in;

	r->tail++;
	return sem_post_one(ep->rl, r, ep->in_sem, RING_SEM_SPACES);
}

int ring_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	void *slot = ring_send_reserve(ep, len);

	if (!slot)
		return -1;
	memcpy(slot, buf, len);
	return ring_send_commit(ep, len);
}

int ring_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	const void *slot = ring_recv_acquire(ep, len);

	if (!slot)
		return -1;
	memcpy(buf, slot, len);
	return ring_recv_release(ep);
}
