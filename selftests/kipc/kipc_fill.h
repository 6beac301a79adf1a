/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hostile user's greedy fill: create the biggest queues (or shared
 * buffers) the module allows, then smaller and smaller ones, until even the
 * smallest is refused, and put real memory behind each (messages sent,
 * pages touched), the way a user bent on exhausting the machine would.
 *
 * A kernel without a budget would let this eat all memory; so the fill
 * stops on its own once it has been granted more than @guard bytes or
 * MemAvailable falls under @mem_floor, and says so: the test then fails
 * instead of the VM.
 */
#ifndef KIPC_FILL_H
#define KIPC_FILL_H

#include "kipc_hostile.h"

enum kh_kind { KH_QUEUE, KH_SHBUF };

#define KH_FILL_MAX_FDS		1024

struct kh_fill {
	/* what to do */
	enum kh_kind kind;
	const char *prefix;	/* named objects "PREFIX-N" (mode 0600); NULL: anonymous */
	bool fill;		/* send maxmsg messages / touch every page */
	__u64 cap;		/* stop once this many bytes were granted (0: no cap) */
	__u64 guard;		/* granted more than this: the bound failed, stop */
	long long mem_floor;	/* MemAvailable under this: stop filling */
	/* what happened */
	int created;
	__u64 granted;		/* sum of maxmsg * msgsize or buffer sizes: a lower bound */
	__u64 filled;		/* message or page bytes put in */
	int refusals;		/* creations refused with EDQUOT, EMFILE or ENOSPC */
	int edquot, emfile, enospc;
	int last_errno;		/* of the last refusal */
	int other_errno;	/* a refusal that is none of the three: a bug */
	int fill_errno;		/* a send into reserved room failed: a bug */
	bool over_guard;	/* granted past @guard */
	bool mem_low;		/* MemAvailable fell under @mem_floor */
	int fds[KH_FILL_MAX_FDS];	/* anonymous objects stay open here */
};

/* Largest first: queue capacities, in messages of msgsize_max (<= 1 MiB). */
static const unsigned int kh_queue_shapes[] = { 64, 32, 16, 8, 4, 2, 1 };
/* Buffer sizes in MiB. */
static const unsigned int kh_shbuf_shapes[] = { 64, 32, 16, 8, 4, 2, 1 };

static inline __u32 kh_msgsize(const struct kh_limits *l)
{
	return l->msgsize_max < (long long)KH_MIB ? (__u32)l->msgsize_max : KH_MIB;
}

/* Put maxmsg messages into a new queue: the reservation promised the room. */
static inline int kh_fill_queue(struct kh_fill *f, int fd, __u32 maxmsg, __u32 msgsize,
				char *buf)
{
	for (__u32 i = 0; i < maxmsg; i++) {
		int ret;

		if (f->mem_floor && kh_mem_available() < f->mem_floor) {
			f->mem_low = true;
			return 0;
		}
		memcpy(buf, &i, sizeof(i));
		ret = kt_send(fd, buf, msgsize, 0, KIPC_MSG_NONBLOCK, 0);
		if (ret < 0)
			return ret;
		f->filled += msgsize;
	}
	return 0;
}

/* Touch every data page of a new buffer so that it is really there. */
static inline int kh_fill_shbuf(struct kh_fill *f, int fd)
{
	struct kipc_stats st;
	long page = sysconf(_SC_PAGESIZE);
	size_t len;
	char *p;
	int ret = kt_stats(fd, &st);

	if (ret < 0)
		return ret;
	len = st.shbuf_data_offset + st.shbuf_size;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	for (size_t off = st.shbuf_data_offset; off < len; off += page) {
		if (f->mem_floor && (off & (KH_MIB - 1)) == 0 &&
		    kh_mem_available() < f->mem_floor) {
			f->mem_low = true;
			break;
		}
		p[off] = 1;
		f->filled += page;
	}
	munmap(p, len);
	return 0;
}

static inline int kh_fill_create(const struct kh_fill *f, const struct kh_limits *l,
				 unsigned int shape, int n)
{
	char name[KIPC_NAME_MAX] = "";
	__u32 flags = KIPC_OPEN_ANON;

	if (f->prefix) {
		snprintf(name, sizeof(name), "%s-%d", f->prefix, n);
		flags = KIPC_OPEN_CREATE | KIPC_OPEN_EXCL;
	}
	if (f->kind == KH_QUEUE)
		return kt_queue(f->prefix ? name : NULL, O_RDWR, flags, 0600, shape,
				kh_msgsize(l));
	return kt_shbuf(f->prefix ? name : NULL, O_RDWR, flags, 0600,
			(__u64)shape * KH_MIB, 0, NULL);
}

/*
 * Run the fill as the calling user. Named objects are closed as they are
 * made (they outlive their creator); anonymous ones stay open in f->fds.
 */
static inline void kh_fill_run(struct kh_fill *f, const struct kh_limits *l)
{
	const unsigned int *shapes = f->kind == KH_QUEUE ? kh_queue_shapes : kh_shbuf_shapes;
	unsigned int nshapes = f->kind == KH_QUEUE ?
		sizeof(kh_queue_shapes) / sizeof(kh_queue_shapes[0]) :
		sizeof(kh_shbuf_shapes) / sizeof(kh_shbuf_shapes[0]);
	__u32 msgsize = kh_msgsize(l);
	char *buf = malloc(msgsize);

	for (int i = 0; i < KH_FILL_MAX_FDS; i++)
		f->fds[i] = -1;
	for (unsigned int s = 0; s < nshapes && buf; s++) {
		__u64 bytes = f->kind == KH_QUEUE ? (__u64)shapes[s] * msgsize
						  : (__u64)shapes[s] * KH_MIB;

		if (f->kind == KH_QUEUE && (shapes[s] > l->msg_max ||
					    (long long)bytes > l->queue_bytes_max))
			continue;
		if (f->kind == KH_SHBUF && (long long)bytes > l->shbuf_size_max)
			continue;
		while (!f->cap || f->granted + bytes <= f->cap) {
			int fd, ret;

			if (f->created >= KH_FILL_MAX_FDS)
				goto out;
			fd = kh_fill_create(f, l, shapes[s], f->created);
			if (fd < 0) {
				f->last_errno = -fd;
				if (fd == -EDQUOT || fd == -EMFILE || fd == -ENOSPC) {
					f->refusals++;
					f->edquot += fd == -EDQUOT;
					f->emfile += fd == -EMFILE;
					f->enospc += fd == -ENOSPC;
				} else {
					f->other_errno = -fd;
					goto out;
				}
				if (fd == -EMFILE)
					goto out;	/* counts, not bytes: smaller will not help */
				break;
			}
			f->created++;
			f->granted += bytes;
			if (f->guard && f->granted > f->guard) {
				f->over_guard = true;
				close(fd);
				goto out;
			}
			ret = 0;
			if (f->fill && !f->mem_low)
				ret = f->kind == KH_QUEUE ?
					kh_fill_queue(f, fd, shapes[s], msgsize, buf) :
					kh_fill_shbuf(f, fd);
			if (ret < 0 && !f->fill_errno)
				f->fill_errno = -ret;
			if (f->prefix)
				close(fd);
			else
				f->fds[f->created - 1] = fd;
		}
	}
out:
	free(buf);
}

/* Unlink "PREFIX-0" .. "PREFIX-(n-1)", as root; how many were there. */
static inline int kh_fill_unlink(const char *prefix, int n)
{
	char name[KIPC_NAME_MAX];
	int gone = 0;

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s-%d", prefix, i);
		gone += kt_unlink(name) == 0;
	}
	return gone;
}

#endif /* KIPC_FILL_H */
