// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libkipc: a message ring over a shared buffer.
 *
 * Layout of the buffer's data (Documentation/shbuf.rst):
 *
 *	0	struct ring_hdr: geometry, then the producers' tail and the
 *		consumer's head, each on a cache line of its own
 *	256	nslots slots of @stride bytes: a 64-byte struct ring_slot,
 *		then up to slot_size bytes of payload (64-byte aligned)
 *
 * Semaphore 0 counts free slots (starts at nslots), semaphore 1 counts
 * filled ones (starts at 0). A producer takes a free unit, claims the
 * position tail++ (fetch_add: any number of producers), writes the slot,
 * stores seq = position + 1 with release order and posts a filled unit.
 * The consumer takes filled units and consumes positions in order: the slot
 * at head is ready when its seq is head + 1 (acquire). With several
 * producers, commits can come out of order: a filled unit may stand for a
 * later slot than head. The consumer keeps such units as credit and, when
 * head is not ready yet, waits for another unit instead of spinning: the
 * producer of head posts one when it commits. After reading a slot the
 * consumer posts a free unit, so a producer reuses a slot only after that.
 *
 * Cost: an uncontended send or receive is a handful of atomic operations
 * and the copy; a batch takes and posts each semaphore once. A side that
 * finds the ring full (empty) yields the CPU once before it parks in the
 * kernel: on a busy CPU the other side then fills (drains) the ring in one
 * go instead of being woken for every message. A producer that parks all
 * the same waits for half the ring to be free (park_free units; it takes
 * only what it needs), and the consumer enters the kernel to wake it only
 * once that many are free: one wake-up per half ring, not one per batch
 * the consumer frees (CFS's sched_yield() often returns without switching,
 * and wake-up preemption would then switch at every such wake-up). The
 * consumer still parks for one message, so latency is not traded away.
 *
 * Every field the peers share is checked before use: a peer that scribbles
 * on the ring can garble messages, never make this library read or write
 * outside the mapping.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libkipc.h"

#define RING_MAGIC	0x474e526bU	/* "kRNG" */
#define RING_VERSION	2	/* 2: producers park for park_free units */
#define RING_HDR_SIZE	256
#define RING_SLOT_HDR	64
#define RING_SEM_FREE	0
#define RING_SEM_FILLED	1
#define RING_SLOT_MAX	(1U << 30)
#define RING_NSLOTS_MAX	(1U << 20)

struct ring_hdr {
	uint32_t magic;
	uint32_t version;
	uint32_t slot_size;
	uint32_t nslots;
	uint32_t stride;
	uint32_t sem_free;
	uint32_t sem_filled;
	uint32_t __pad0;
	uint64_t slots_offset;
	uint8_t __pad1[24];
	uint64_t tail __attribute__((aligned(64)));
	uint64_t head __attribute__((aligned(64)));
};

struct ring_slot {
	uint64_t seq;		/* position + 1 once committed */
	uint64_t pos;		/* position, while reserved (zero copy) */
	uint32_t len;
	uint32_t __pad[11];
};

_Static_assert(sizeof(struct ring_hdr) <= RING_HDR_SIZE, "ring header too big");
_Static_assert(sizeof(struct ring_slot) == RING_SLOT_HDR, "ring slot header size");

struct kipc_ring {
	struct kipc_shbuf sb;
	struct ring_hdr *hdr;
	char *slots;
	uint32_t slot_size;
	uint32_t nslots;
	uint32_t stride;
	uint32_t sem_free;
	uint32_t sem_filled;
	uint32_t park_free;	/* free units a parked producer waits for */
	char *slots_end;
	uint64_t head;		/* consumer: next position to consume */
	struct ring_slot *cur;	/* consumer: the slot of head */
	uint32_t credit;	/* consumer: filled units taken, not consumed */
	int peeked;		/* consumer: kipc_ring_peek() gave head out */
};

static struct ring_slot *ring_slot(const struct kipc_ring *r, uint64_t pos)
{
	return (struct ring_slot *)(r->slots + (size_t)(pos % r->nslots) * r->stride);
}

/* The slot after @s, around the ring. */
static struct ring_slot *ring_next(const struct kipc_ring *r, struct ring_slot *s)
{
	char *p = (char *)s + r->stride;

	return (struct ring_slot *)(p == r->slots_end ? r->slots : p);
}

/*
 * Copy a message. From 8 to 64 bytes it is a few moves in line, which
 * for small messages is most of the cost of the library's memcpy call
 * (call, PLT jump, size dispatch); larger ones go to memcpy.
 */
static inline void ring_copy(void *dst, const void *src, size_t len)
{
	char *d = dst;
	const char *s = src;
	char a[16], b[16], c[16], e[16];

	/* Two (four) 16-byte pieces that may overlap: 16..32 (33..64) bytes. */
	if (len - 16 <= 48) {
		__builtin_memcpy(a, s, 16);
		__builtin_memcpy(b, s + len - 16, 16);
		if (len > 32) {
			__builtin_memcpy(c, s + 16, 16);
			__builtin_memcpy(e, s + len - 32, 16);
			__builtin_memcpy(d + 16, c, 16);
			__builtin_memcpy(d + len - 32, e, 16);
		}
		__builtin_memcpy(d, a, 16);
		__builtin_memcpy(d + len - 16, b, 16);
	} else if (len - 8 < 8) {
		__builtin_memcpy(a, s, 8);
		__builtin_memcpy(b, s + len - 8, 8);
		__builtin_memcpy(d, a, 8);
		__builtin_memcpy(d + len - 8, b, 8);
	} else {
		memcpy(d, s, len);
	}
}

/* Geometry of a ring: the stride and the data size it needs. */
static int ring_geometry(uint32_t slot_size, uint32_t nslots, uint32_t *stride,
			 size_t *size)
{
	uint64_t s, total;

	if (!slot_size || slot_size > RING_SLOT_MAX || !nslots || nslots > RING_NSLOTS_MAX)
		return -1;
	s = RING_SLOT_HDR + (((uint64_t)slot_size + 63) & ~63ULL);
	total = RING_HDR_SIZE + s * nslots;	/* < 2^31 * 2^20: no overflow */
	if (s > UINT32_MAX || total > SIZE_MAX)
		return -1;
	*stride = s;
	*size = total;
	return 0;
}

/* Check the header of @r's mapped buffer and set @r up from it. */
static int ring_setup(struct kipc_ring *r)
{
	struct ring_hdr *h = r->sb.data;
	uint32_t stride;
	size_t need;

	if (r->sb.size < RING_HDR_SIZE || r->sb.nsems < 2) {
		errno = EBADMSG;
		return -1;
	}
	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != RING_MAGIC) {
		errno = EAGAIN;
		return -1;
	}
	r->slot_size = h->slot_size;
	r->nslots = h->nslots;
	r->stride = h->stride;
	r->sem_free = h->sem_free;
	r->sem_filled = h->sem_filled;
	if (h->version != RING_VERSION || h->slots_offset != RING_HDR_SIZE ||
	    ring_geometry(r->slot_size, r->nslots, &stride, &need) ||
	    stride != r->stride || need > r->sb.size ||
	    r->sem_free >= r->sb.nsems || r->sem_filled >= r->sb.nsems ||
	    r->sem_free == r->sem_filled) {
		errno = EBADMSG;
		return -1;
	}
	r->hdr = h;
	r->slots = (char *)h + RING_HDR_SIZE;
	r->slots_end = r->slots + (size_t)r->nslots * r->stride;
	r->park_free = r->nslots > 1 ? r->nslots / 2 : 1;
	r->head = __atomic_load_n(&h->head, __ATOMIC_ACQUIRE);
	r->cur = ring_slot(r, r->head);
	return 0;
}

/*
 * A ring handle for @fd, which it takes over (closed on failure). With
 * @attr, the buffer is new and zeroed and the header is written first.
 */
static struct kipc_ring *ring_attach_fd(int fd, const struct kipc_ring_attr *attr,
					uint32_t stride)
{
	struct kipc_ring *r = calloc(1, sizeof(*r));
	struct ring_hdr *h;
	int saved;

	if (!r)
		goto err_close;
	if (kipc_shbuf_map(fd, &r->sb) < 0)
		goto err_free;
	if (attr) {
		h = r->sb.data;
		h->version = RING_VERSION;
		h->slot_size = attr->slot_size;
		h->nslots = attr->nslots;
		h->stride = stride;
		h->sem_free = RING_SEM_FREE;
		h->sem_filled = RING_SEM_FILLED;
		h->slots_offset = RING_HDR_SIZE;
		/* Openers check the magic last (acquire): publish it last. */
		__atomic_store_n(&h->magic, RING_MAGIC, __ATOMIC_RELEASE);
	}
	if (ring_setup(r) < 0)
		goto err_unmap;
	return r;

err_unmap:
	saved = errno;
	kipc_shbuf_unmap(&r->sb);
	errno = saved;
err_free:
	free(r);
err_close:
	saved = errno;
	close(fd);
	errno = saved;
	return NULL;
}

struct kipc_ring *kipc_ring_create(const char *name, mode_t mode,
				   const struct kipc_ring_attr *attr)
{
	unsigned int values[2];
	struct kipc_shbuf_attr a = { .nsems = 2, .values = values };
	struct kipc_ring *r;
	uint32_t stride;
	int fd, saved;

	if (!attr || ring_geometry(attr->slot_size, attr->nslots, &stride, &a.size)) {
		errno = EINVAL;
		return NULL;
	}
	values[RING_SEM_FREE] = attr->nslots;
	values[RING_SEM_FILLED] = 0;
	if (name)
		fd = kipc_shbuf_open(name, O_RDWR | O_CREAT | O_EXCL, mode, &a);
	else
		fd = kipc_shbuf_anon(O_RDWR, &a);
	if (fd < 0)
		return NULL;
	r = ring_attach_fd(fd, attr, stride);
	if (!r && name) {
		/* Nobody can use a ring its creator could not set up. */
		saved = errno;
		kipc_unlink(name);
		errno = saved;
	}
	return r;
}

struct kipc_ring *kipc_ring_open(const char *name)
{
	int fd = kipc_shbuf_open(name, O_RDWR, 0, NULL);

	return fd < 0 ? NULL : ring_attach_fd(fd, NULL, 0);
}

struct kipc_ring *kipc_ring_attach(int fd)
{
	int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	return dup_fd < 0 ? NULL : ring_attach_fd(dup_fd, NULL, 0);
}

void kipc_ring_close(struct kipc_ring *r)
{
	if (!r)
		return;
	kipc_shbuf_unmap(&r->sb);
	close(r->sb.fd);
	free(r);
}

int kipc_ring_fd(const struct kipc_ring *r)
{
	return r->sb.fd;
}

size_t kipc_ring_slot_size(const struct kipc_ring *r)
{
	return r->slot_size;
}

/*
 * Give @n free units back: the consumer's post, and a producer's give-back.
 * As kipc_sem_post(), except that sleepers are woken only once there are
 * park_free units: a parked producer waits for that many (ring_park()), so
 * a wake for fewer would be a system call for nothing. On one CPU that
 * also lets the consumer drain half the ring before the producer runs.
 */
static inline int ring_post_free(struct kipc_ring *r, unsigned int n)
{
	struct kipc_sem_ctl *c = &r->sb.sems[r->sem_free];
	__u32 v = __atomic_load_n(&c->value, __ATOMIC_RELAXED);

	do {
		if ((__s32)v > (__s32)(KIPC_SEM_VALUE_MAX - n)) {
			errno = EOVERFLOW;
			return -1;
		}
		/* Sequentially consistent: ordered before the load of waiters. */
	} while (!__atomic_compare_exchange_n(&c->value, &v, v + n, 1,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	if (__atomic_load_n(&c->waiters, __ATOMIC_SEQ_CST) &&
	    (__s32)(v + n) >= (__s32)r->park_free)
		return kipc__sem_wake(&r->sb, r->sem_free);
	return 0;
}

/* --- producers --- */

/*
 * Sleep until park_free slots are free, then take up to @max of them. As a
 * socket writer waits for a third of its buffer, waiting for half the ring
 * rather than one slot makes one wake-up (and, on a busy CPU, one switch
 * each way) per half ring instead of one per batch the consumer frees.
 * With a deadline, whatever is free when it passes is still taken.
 */
static int ring_park(struct kipc_ring *r, unsigned int max,
		     const struct timespec *abs_timeout)
{
	unsigned int want = r->park_free, got;
	struct kipc_sembuf ops[2] = {
		{ .sem = r->sem_free, .delta = -(__s32)want },
		/* All or nothing in the kernel: no units are out for an instant. */
		{ .sem = r->sem_free, .delta = (__s32)(want - max) },
	};
	int ret;

	if (max >= want) {
		ret = kipc_sem_take(&r->sb, r->sem_free, want, 0, abs_timeout);
		got = want;
		if (!ret && max > want)
			got += kipc_sem_take_upto(&r->sb, r->sem_free, max - want);
	} else {
		ret = kipc_semop(&r->sb, ops, 2, 0, abs_timeout);
		got = max;
	}
	if (!ret)
		return got;
	if (errno == ETIMEDOUT && (got = kipc_sem_take_upto(&r->sb, r->sem_free, max)))
		return got;
	return -1;
}

/* ring_take_free() found no free slot: yield, then park. */
static int ring_wait_free(struct kipc_ring *r, unsigned int max,
			  const struct timespec *abs_timeout)
{
	unsigned int got;

	/* Let the consumer run before parking: see ring_ready(). */
	sched_yield();
	got = kipc_sem_take_upto(&r->sb, r->sem_free, max);
	if (got)
		return got;
	return ring_park(r, max, abs_timeout);
}

/* Take between 1 and @max free slots; the first may wait. */
static inline int ring_take_free(struct kipc_ring *r, unsigned int max,
				 const struct timespec *abs_timeout)
{
	unsigned int got = kipc_sem_take_upto(&r->sb, r->sem_free, max);

	return got ? (int)got : ring_wait_free(r, max, abs_timeout);
}

static void ring_fill(struct ring_slot *s, uint64_t pos, const void *buf, size_t len)
{
	ring_copy(s + 1, buf, len);
	s->len = len;
	__atomic_store_n(&s->seq, pos + 1, __ATOMIC_RELEASE);
}

int kipc_ring_send(struct kipc_ring *r, const void *buf, size_t len,
		   const struct timespec *abs_timeout)
{
	uint64_t pos;

	if (len > r->slot_size) {
		errno = EMSGSIZE;
		return -1;
	}
	if (ring_take_free(r, 1, abs_timeout) < 0)
		return -1;
	pos = __atomic_fetch_add(&r->hdr->tail, 1, __ATOMIC_RELAXED);
	ring_fill(ring_slot(r, pos), pos, buf, len);
	return kipc_sem_post(&r->sb, r->sem_filled, 1);
}

int kipc_ring_timedsend_batch(struct kipc_ring *r, const struct iovec *iov,
			      unsigned int n, unsigned int flags,
			      const struct timespec *abs_timeout)
{
	uint32_t slot_size = r->slot_size, len;
	struct ring_slot *slot;
	unsigned int i;
	uint64_t pos;
	int got;

	if (flags & ~KIPC_MSG_NONBLOCK) {
		errno = EINVAL;
		return -1;
	}
	if (!n)
		return 0;
	if (iov[0].iov_len > slot_size) {
		errno = EMSGSIZE;
		return -1;
	}
	if (flags & KIPC_MSG_NONBLOCK) {
		got = kipc_sem_take_upto(&r->sb, r->sem_free, n < r->nslots ? n : r->nslots);
		if (!got) {
			errno = EAGAIN;
			return -1;
		}
	} else {
		got = ring_take_free(r, n < r->nslots ? n : r->nslots, abs_timeout);
		if (got < 0)
			return -1;
	}
	/*
	 * Only messages that fit go in this batch; the next call reports.
	 * Checked after the take so that only the slots we got are looked at.
	 */
	for (i = 1; i < (unsigned int)got; i++)
		if (iov[i].iov_len > slot_size)
			break;
	if (i < (unsigned int)got) {
		if (ring_post_free(r, got - i) < 0)
			return -1;
		got = i;
	}
	pos = __atomic_fetch_add(&r->hdr->tail, got, __ATOMIC_RELAXED);
	slot = ring_slot(r, pos);
	for (i = 0; i < (unsigned int)got; i++) {
		len = iov[i].iov_len;
		ring_copy(slot + 1, iov[i].iov_base, len);
		slot->len = len;
		__atomic_store_n(&slot->seq, pos + i + 1, __ATOMIC_RELEASE);
		slot = ring_next(r, slot);
	}
	if (kipc_sem_post(&r->sb, r->sem_filled, got) < 0)
		return -1;
	return got;
}

int kipc_ring_send_batch(struct kipc_ring *r, const struct iovec *iov,
			 unsigned int n, const struct timespec *abs_timeout)
{
	return kipc_ring_timedsend_batch(r, iov, n, 0, abs_timeout);
}

void *kipc_ring_reserve(struct kipc_ring *r, const struct timespec *abs_timeout)
{
	struct ring_slot *s;
	uint64_t pos;

	if (ring_take_free(r, 1, abs_timeout) < 0)
		return NULL;
	pos = __atomic_fetch_add(&r->hdr->tail, 1, __ATOMIC_RELAXED);
	s = ring_slot(r, pos);
	s->pos = pos;
	return s + 1;
}

int kipc_ring_commit(struct kipc_ring *r, void *slot, size_t len)
{
	char *p = (char *)slot - RING_SLOT_HDR;
	struct ring_slot *s;
	size_t off;

	if (p < r->slots || (off = p - r->slots) % r->stride ||
	    off / r->stride >= r->nslots) {
		errno = EINVAL;
		return -1;
	}
	if (len > r->slot_size) {
		errno = EMSGSIZE;
		return -1;
	}
	s = (struct ring_slot *)p;
	if (s->pos % r->nslots != off / r->stride ||
	    __atomic_load_n(&s->seq, __ATOMIC_RELAXED) == s->pos + 1) {
		errno = EINVAL;
		return -1;
	}
	s->len = len;
	__atomic_store_n(&s->seq, s->pos + 1, __ATOMIC_RELEASE);
	return kipc_sem_post(&r->sb, r->sem_filled, 1);
}

/* --- the consumer --- */

/* Is the slot at head committed, and do we hold a filled unit for it? */
static int ring_head_ready(const struct kipc_ring *r)
{
	return r->credit &&
	       __atomic_load_n(&r->cur->seq, __ATOMIC_ACQUIRE) == r->head + 1;
}

/* Make the slot at head ready to read; wait for it only if @block. */
static int ring_ready(struct kipc_ring *r, int block,
		      const struct timespec *abs_timeout)
{
	unsigned int got;
	int yielded = 0;

	while (!ring_head_ready(r)) {
		/* Units beyond what we hold stand for commits we have not seen. */
		got = kipc_sem_take_upto(&r->sb, r->sem_filled, r->nslots);
		if (got) {
			r->credit += got;
			continue;
		}
		if (!block) {
			errno = EAGAIN;
			return -1;
		}
		/*
		 * Before parking in the kernel, give the producer the CPU once:
		 * on a busy single CPU it then fills the ring rather than
		 * waking us for every message (wake-up preemption), and on
		 * several CPUs it is a short spin.
		 */
		if (!yielded++) {
			sched_yield();
			continue;
		}
		if (kipc_sem_take(&r->sb, r->sem_filled, 1, 0, abs_timeout) < 0)
			return -1;
		r->credit++;
	}
	return 0;
}

/* Length of the message at head, or -1 with EBADMSG for a garbled one. */
static ssize_t ring_len(const struct kipc_ring *r)
{
	uint32_t len = r->cur->len;

	if (len > r->slot_size) {
		errno = EBADMSG;
		return -1;
	}
	return len;
}

/* Consume head; the caller posts its free unit and publishes head. */
static void ring_advance(struct kipc_ring *r)
{
	r->head++;
	r->cur = ring_next(r, r->cur);
	r->credit--;
	r->peeked = 0;
}

/* Publish head for observers (it is not used to synchronise). */
static void ring_publish_head(struct kipc_ring *r)
{
	__atomic_store_n(&r->hdr->head, r->head, __ATOMIC_RELEASE);
}

ssize_t kipc_ring_receive(struct kipc_ring *r, void *buf, size_t cap,
			  const struct timespec *abs_timeout)
{
	ssize_t len;

	if (ring_ready(r, 1, abs_timeout) < 0)
		return -1;
	len = ring_len(r);
	if (len >= 0 && (size_t)len > cap) {
		errno = EMSGSIZE;
		return -1;
	}
	if (len > 0)
		ring_copy(buf, r->cur + 1, len);
	ring_advance(r);
	ring_publish_head(r);
	if (ring_post_free(r, 1) < 0)
		return -1;
	return len;
}

int kipc_ring_timedreceive_batch(struct kipc_ring *r, struct iovec *iov,
				 unsigned int n, unsigned int flags,
				 const struct timespec *abs_timeout)
{
	unsigned int done = 0, freed = 0, credit;
	uint32_t slot_size = r->slot_size, len;
	int block = !(flags & KIPC_MSG_NONBLOCK);
	struct ring_slot *s;
	uint64_t head;
	int err = 0;

	if (flags & ~KIPC_MSG_NONBLOCK) {
		errno = EINVAL;
		return -1;
	}
	if (!n)
		return 0;
	while (done < n) {
		if (!ring_head_ready(r) && ring_ready(r, block && !freed, abs_timeout) < 0) {
			/* After the first message, "no more now" ends the batch. */
			if (!freed)
				err = errno;
			break;
		}
		/*
		 * Run through the ready slots with the consumer's state in
		 * locals: this loop is the per-message cost of a batch.
		 */
		s = r->cur;
		head = r->head;
		credit = r->credit;
		do {
			len = s->len;
			if (len > slot_size) {
				/* A garbled slot is dropped; reported if nothing came. */
				err = EBADMSG;
			} else if (len > iov[done].iov_len) {
				err = EMSGSIZE;
				break;
			} else {
				ring_copy(iov[done].iov_base, s + 1, len);
				iov[done++].iov_len = len;
			}
			head++;
			credit--;
			freed++;
			s = ring_next(r, s);
		} while (done < n && credit &&
			 __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) == head + 1);
		r->cur = s;
		r->head = head;
		r->credit = credit;
		r->peeked = 0;
		if (err == EMSGSIZE)
			break;
	}
	if (freed) {
		ring_publish_head(r);
		if (ring_post_free(r, freed) < 0)
			return -1;
	}
	if (!done) {
		errno = err;
		return -1;
	}
	return done;
}

int kipc_ring_receive_batch(struct kipc_ring *r, struct iovec *iov,
			    unsigned int n, const struct timespec *abs_timeout)
{
	return kipc_ring_timedreceive_batch(r, iov, n, 0, abs_timeout);
}

const void *kipc_ring_peek(struct kipc_ring *r, size_t *len,
			   const struct timespec *abs_timeout)
{
	ssize_t l;

	if (ring_ready(r, 1, abs_timeout) < 0)
		return NULL;
	l = ring_len(r);
	if (l < 0) {
		ring_advance(r);
		ring_publish_head(r);
		ring_post_free(r, 1);
		errno = EBADMSG;
		return NULL;
	}
	*len = l;
	r->peeked = 1;
	return r->cur + 1;
}

int kipc_ring_release(struct kipc_ring *r)
{
	if (!r->peeked) {
		errno = EINVAL;
		return -1;
	}
	ring_advance(r);
	ring_publish_head(r);
	return ring_post_free(r, 1);
}
