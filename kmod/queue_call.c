// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - replies you can rely on: KIPC_IOC_SENDRECV on a queue created
 * with KIPC_QUEUE_TRACK (Documentation/queue.rst has the rules and why).
 *
 * A tracked call is a small record (struct kq_call) shared by its client,
 * while the client waits in the ioctl or is parked between a restart and
 * its resumed call, and by its request message, from the send until the
 * message is let go. When a receive takes the request, the record notes
 * the file and the descriptor table (fl_owner_t, as POSIX locks and
 * mq_notify use) that took it; a close of that file by that process
 * (->flush: close(2), dup2(), exit) or the file's last release fails the
 * client with ECONNRESET. The last file able to receive going while the
 * request is still queued fails it with EPIPE, and marks the request for
 * the receive path to discard. The client is answered by any message on
 * its reply queue: its wait looks for one before it looks at the error.
 *
 * Everything is guarded by the request queue's lock (q->wq.lock, passed
 * in), but the reference count, which lets the client and the message
 * each drop the record without it. A client that leaves (reply, timeout,
 * error) takes the record off the live list: a request still queued then
 * goes as an untracked message, one held by a file stops being tracked.
 * So a record lives no longer than its client and its message: at most
 * one per client in the ioctl or parked (KQ_CALL_PARK_MAX per file) plus
 * one per message in the queue's reservation, and the queue's spare.
 */
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "queue_call.h"

/* Parked calls a client file keeps; past it the oldest loses its tracking. */
#define KQ_CALL_PARK_MAX	8

void kq_calls_init(struct kq_calls *c)
{
	INIT_LIST_HEAD(&c->live);
	INIT_LIST_HEAD(&c->parked);
	c->readers = 0;
	atomic_set(&c->nr, 0);
}

/* What the records of @c's queue take, for its memory figure. */
u64 kq_calls_mem(struct kq_calls *c)
{
	return (u64)atomic_read(&c->nr) * sizeof(struct kq_call);
}

/* The queue goes: its spare record with it. */
void kq_calls_free(struct kq_calls *c)
{
	if (!c->spare)
		return;
	kfree(c->spare);
	atomic_dec(&c->nr);
}

/*
 * A record for a new call: the queue's spare (a client calling in a loop
 * allocates nothing per call, as a queue recycles its buffers), or a new one.
 */
static struct kq_call *kq_call_alloc(struct kq_calls *c)
{
	struct kq_call *call = xchg(&c->spare, NULL);

	if (call) {
		memset(call, 0, sizeof(*call));
		return call;
	}
	call = kzalloc(sizeof(*call), GFP_KERNEL_ACCOUNT);
	if (call)
		atomic_inc(&c->nr);
	return call;
}

/* Drop a reference; the last one frees the record, which no list holds. */
void kq_call_put(struct kq_call *call)
{
	struct kq_calls *c = call->calls;

	if (!refcount_dec_and_test(&call->refs))
		return;
	if (!cmpxchg(&c->spare, NULL, call))
		return;
	atomic_dec(&c->nr);
	kfree(call);
}

/*
 * The client leaves, or loses its tracking: off the lists, tracked by no
 * file. The caller drops the client's reference (after the lock).
 */
static void kq_call_detach(struct kq_call *call)
{
	list_del_init(&call->link);
	list_del_init(&call->park);
	call->holder = NULL;
	call->client = NULL;
}

/* No reply can come: tell the client, which may be asleep. */
static void kq_call_abort(struct kq_call *call, int error)
{
	call->holder = NULL;
	WRITE_ONCE(call->error, error);
	/* Set only while the client is in the kernel, cleared under our lock. */
	if (call->client)
		wake_up_process(call->client);
}

/**
 * kq_call_begin() - a client starts or resumes a tracked SENDRECV
 * @c: the request queue's calls
 * @lock: the request queue's lock
 * @file: the ioctl's file
 * @uarg: the client's struct kipc_sendrecv
 * @resume: its result says %KIPC_SENDRECV_PENDING: find the parked call
 *
 * Return: the call, with the client's reference; NULL for a resumed call
 * that was not parked (it waits untracked, as before ABI 5); or
 * ERR_PTR(-ENOMEM).
 */
struct kq_call *kq_call_begin(struct kq_calls *c, spinlock_t *lock,
			      struct file *file, void __user *uarg, bool resume)
{
	struct kq_call *call;

	if (resume) {
		spin_lock_irq(lock);
		list_for_each_entry(call, &c->parked, park) {
			if (call->cfile == file && call->uarg == uarg) {
				list_del_init(&call->park);
				call->client = current;
				spin_unlock_irq(lock);
				return call;
			}
		}
		spin_unlock_irq(lock);
		return NULL;
	}
	call = kq_call_alloc(c);
	if (!call)
		return ERR_PTR(-ENOMEM);
	refcount_set(&call->refs, 1);
	INIT_LIST_HEAD(&call->park);
	call->calls = c;
	call->client = current;
	spin_lock_irq(lock);
	list_add_tail(&call->link, &c->live);
	spin_unlock_irq(lock);
	return call;
}

/**
 * kq_call_end() - the client's ioctl returns
 * @c: the request queue's calls
 * @lock: the request queue's lock
 * @call: its call
 * @file: the ioctl's file
 * @uarg: the client's struct kipc_sendrecv
 * @park: the call restarts (-ERESTARTSYS, result SENT | PENDING): keep it
 *	for the resumed call with the same @file and @uarg
 */
void kq_call_end(struct kq_calls *c, spinlock_t *lock, struct kq_call *call,
		 struct file *file, void __user *uarg, bool park)
{
	struct kq_call *old = NULL, *first = NULL, *p;
	unsigned int n = 0;

	spin_lock_irq(lock);
	call->client = NULL;
	if (!park) {
		kq_call_detach(call);
		spin_unlock_irq(lock);
		kq_call_put(call);
		return;
	}
	/* The same struct parked twice: only the newer can be resumed. */
	list_for_each_entry(p, &c->parked, park) {
		if (p->cfile != file)
			continue;
		if (p->uarg == uarg) {
			old = p;
			break;
		}
		if (!first)
			first = p;
		n++;
	}
	if (!old && n >= KQ_CALL_PARK_MAX)
		old = first;
	if (old)
		kq_call_detach(old);
	call->cfile = file;
	call->uarg = uarg;
	list_add_tail(&call->park, &c->parked);
	spin_unlock_irq(lock);
	if (old)
		kq_call_put(old);
}

/**
 * kq_call_take() - a receive of the request queue takes a tracked request
 * @call: the message's call
 * @file: the receiving file
 *
 * Called under the request queue's lock.
 *
 * Return: -EPIPE if the request was aborted while queued (the caller
 * discards it); else 0, the request held by @file and the calling
 * process if its client still waits.
 */
int kq_call_take(struct kq_call *call, struct file *file)
{
	if (call->error == -EPIPE)
		return -EPIPE;
	if (!call->error && !list_empty(&call->link) && file) {
		call->holder = file;
		call->owner = current->files;
	}
	return 0;
}

/**
 * kq_call_live() - does the client of a request still wait for a reply?
 * @call: the message's call
 *
 * Return: true if a client waits (or is parked) and no abort ended it.
 * Racy without the request queue's lock: a hint for a header flag.
 */
bool kq_call_live(const struct kq_call *call)
{
	return !READ_ONCE(call->error) && !list_empty_careful(&call->link);
}

/**
 * kq_calls_reader() - a file opened for reading was bound to the queue
 * @c: the queue's calls
 * @lock: the queue's lock
 */
void kq_calls_reader(struct kq_calls *c, spinlock_t *lock)
{
	spin_lock_irq(lock);
	c->readers++;
	spin_unlock_irq(lock);
}

/**
 * kq_calls_flush() - process @id closes a descriptor of @file
 * @c: the queue's calls
 * @lock: the queue's lock
 * @file: the file
 * @id: the closing process's descriptor table
 *
 * The requests that process received through @file will not be answered.
 */
void kq_calls_flush(struct kq_calls *c, spinlock_t *lock, struct file *file,
		    fl_owner_t id)
{
	struct kq_call *call;

	spin_lock_irq(lock);
	list_for_each_entry(call, &c->live, link)
		if (call->holder == file && call->owner == id)
			kq_call_abort(call, -ECONNRESET);
	spin_unlock_irq(lock);
}

/**
 * kq_calls_release() - the last reference to a file bound to the queue goes
 * @c: the queue's calls
 * @lock: the queue's lock
 * @file: the file
 *
 * The requests @file still holds will not be answered; if it was the last
 * reader, neither will those still queued. Its parked calls go.
 */
void kq_calls_release(struct kq_calls *c, spinlock_t *lock, struct file *file)
{
	struct kq_call *call, *next;
	LIST_HEAD(gone);
	bool last = false;

	spin_lock_irq(lock);
	if (file->f_mode & FMODE_READ)
		last = !--c->readers;
	list_for_each_entry(call, &c->live, link) {
		if (call->holder == file)
			kq_call_abort(call, -ECONNRESET);
		else if (last && !call->holder && !call->error)
			kq_call_abort(call, -EPIPE);
	}
	list_for_each_entry_safe(call, next, &c->parked, park) {
		if (call->cfile != file)
			continue;
		kq_call_detach(call);
		list_add(&call->park, &gone);
	}
	spin_unlock_irq(lock);
	list_for_each_entry_safe(call, next, &gone, park) {
		list_del(&call->park);
		kq_call_put(call);
	}
}
