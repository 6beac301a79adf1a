/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc - the shared buffer and its semaphores: what shbuf.c (memory,
 * mappings, creation) and sem.c (semaphores, undo) share.
 */
#ifndef _KIPC_SHBUF_H
#define _KIPC_SHBUF_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "kipc_priv.h"

/**
 * struct kipc_ksem - the kernel's own state of one semaphore
 * @waiters: single-semaphore waiters, oldest first
 * @nwait: tasks asleep that wait on this semaphore, single or in a
 *	%KIPC_IOC_SEMOP; mirrored into the control slot's @waiters
 */
struct kipc_ksem {
	struct list_head waiters;
	u32 nwait;
};

/**
 * struct kipc_shbuf - a shared buffer
 * @obj: common object part
 * @lock: guards the wait lists, @nwait counts, undo records and counters;
 *	never held around user memory or anything that sleeps
 * @complex: %KIPC_IOC_SEMOP waiters, oldest first
 * @undos: undo records (struct ks_undo)
 * @pages: @npages pages, the @nctl control pages first
 * @npages: pages in all
 * @nctl: control pages
 * @size: bytes of data
 * @ctl: the control area, mapped into the kernel (vmap)
 * @nsems: semaphores
 * @mappings: VMAs that map the buffer
 * @waits: times a task slept on a semaphore
 * @wakeups: times a sleeper was handed its units and woken
 * @posts: %KIPC_IOC_SEM_POST calls
 * @flushes: closes of descriptors of the buffer's files (->flush calls):
 *	an undo operation that sees it move looks whether its process still
 *	has a descriptor of its file (sem.c)
 * @sems: kernel state of each semaphore
 *
 * @pages, @npages, @nctl, @size, @ctl and @nsems never change after
 * creation: the mmap and fault paths read them without a lock.
 */
struct kipc_shbuf {
	struct kipc_obj obj;
	spinlock_t lock;	/* see above */
	struct list_head complex;
	struct list_head undos;
	struct page **pages;
	unsigned long npages;
	unsigned long nctl;
	u64 size;
	struct kipc_sem_ctl *ctl;
	u32 nsems;
	atomic_t mappings;
	u64 waits;
	u64 wakeups;
	u64 posts;
	u64 flushes;
	struct kipc_ksem sems[];
};

static inline struct kipc_shbuf *to_shbuf(struct kipc_obj *obj)
{
	return container_of(obj, struct kipc_shbuf, obj);
}

/* sem.c */
void ks_sems_init(struct kipc_shbuf *sb, const u32 *values);
void ks_sems_free(struct kipc_shbuf *sb);
u32 ks_sem_value(struct kipc_shbuf *sb, u32 idx);
long ks_sem_ioctl(struct file *file, struct kipc_shbuf *sb, unsigned int cmd,
		  void __user *uarg);
void ks_undo_flush(struct kipc_shbuf *sb, struct file *file, fl_owner_t owner);
void ks_undo_release(struct kipc_shbuf *sb, struct file *file);

#endif /* _KIPC_SHBUF_H */
