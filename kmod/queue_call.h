/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc - the reply guarantee of KIPC_IOC_SENDRECV on KIPC_QUEUE_TRACK
 * queues (queue_call.c): what queue.c sees of it.
 */
#ifndef _KIPC_QUEUE_CALL_H
#define _KIPC_QUEUE_CALL_H

#include <linux/fs.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

/**
 * struct kq_call - a tracked SENDRECV: its client and its request
 * @refs: one for the client (while it waits or is parked), one for the
 *	request message that carries it (from the send until the message
 *	is let go)
 * @error: 0, -ECONNRESET or -EPIPE once no reply can come (WRITE_ONCE:
 *	the client's wait reads it without the lock)
 * @link: in kq_calls.live while the client holds it
 * @park: in kq_calls.parked while the client is between a restart and
 *	its resumed call, else empty
 * @holder: the file that received the request, NULL while it is queued
 * @owner: the descriptor table of the process that received it
 * @client: the client while it is inside the ioctl, else NULL: the
 *	aborter wakes it without holding a task reference
 * @cfile: parked: the client's file (the ioctl's)
 * @uarg: parked: the client's struct kipc_sendrecv
 * @calls: its queue's, which counts it (a record never outlives its queue)
 *
 * All but @refs is guarded by the request queue's lock.
 */
struct kq_call {
	refcount_t refs;
	int error;
	struct list_head link;
	struct list_head park;
	struct file *holder;
	fl_owner_t owner;
	struct task_struct *client;
	struct file *cfile;
	void __user *uarg;
	struct kq_calls *calls;
};

/**
 * struct kq_calls - the tracked calls of a request queue
 * @live: calls whose client holds them
 * @parked: the subset whose client is between a restart and its resume
 * @readers: files bound to the queue opened for reading
 * @nr: records allocated for the queue and not yet freed (its memory)
 * @spare: one record kept for the next call, exchanged atomically only
 *
 * Guarded by the queue's lock, but @nr and @spare.
 */
struct kq_calls {
	struct list_head live;
	struct list_head parked;
	unsigned int readers;
	atomic_t nr;
	struct kq_call *spare;
};

void kq_calls_init(struct kq_calls *c);
u64 kq_calls_mem(struct kq_calls *c);
void kq_calls_free(struct kq_calls *c);
struct kq_call *kq_call_begin(struct kq_calls *c, spinlock_t *lock,
			      struct file *file, void __user *uarg, bool resume);
void kq_call_end(struct kq_calls *c, spinlock_t *lock, struct kq_call *call,
		 struct file *file, void __user *uarg, bool park);
void kq_call_put(struct kq_call *call);
int kq_call_take(struct kq_call *call, struct file *file);
bool kq_call_live(const struct kq_call *call);
void kq_calls_reader(struct kq_calls *c, spinlock_t *lock);
void kq_calls_flush(struct kq_calls *c, spinlock_t *lock, struct file *file,
		    fl_owner_t id);
void kq_calls_release(struct kq_calls *c, spinlock_t *lock, struct file *file);

/* The request is in a message: that message holds the call too. */
static inline void kq_call_get(struct kq_call *call)
{
	refcount_inc(&call->refs);
}

/* A received request goes back to its queue: no file holds it any more. */
static inline void kq_call_untake(struct kq_call *call)
{
	call->holder = NULL;
}

/* Why the client's wait must end, or 0; read without the lock. */
static inline int kq_call_error(const struct kq_call *call)
{
	return READ_ONCE(call->error);
}

#endif /* _KIPC_QUEUE_CALL_H */
