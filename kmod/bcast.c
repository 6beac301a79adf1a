// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - broadcast queues (%KIPC_QUEUE_BROADCAST): every message reaches
 * every subscriber.
 *
 * A broadcast queue is its own kind of object behind the queue type: the
 * plain queue's receive is destructive and tuned for one consumer per
 * message, a broadcast queue is a ring of messages with one read position
 * per subscriber. The plain queue's entry points reach it only through
 * their error path (kq_from_file() refuses other objects), so the plain
 * data path is unchanged. Documentation/broadcast.rst has the rules.
 *
 * Model: messages get consecutive 64-bit sequence numbers. b->ring holds
 * the messages tail .. head - 1 in slot seq % maxmsg; a subscriber (struct
 * kb_sub, one per file opened for reading, from its bind) reads from its
 * position pos, tail <= pos <= head. The ring drops its oldest message once
 * every subscriber read it (tail = the lowest pos), or with
 * %KIPC_QUEUE_DROP_OLDEST when a send needs its slot: then each subscriber
 * behind the new tail moves up to it and counts what it lost. With no
 * subscriber nothing is kept: tail = head.
 *
 * Messages are refcounted buffers: the ring holds one reference, a receiver
 * takes one per message under the lock, copies out without it, and moves
 * its position only past what it copied out (and reported) without a
 * fault, so a bad buffer loses nothing. One receive at a time per
 * subscriber (sub->read_lock, a mutex taken before the spinlock): two
 * threads reading one file take turns rather than both delivering the same
 * message. A send allocates and copies its messages before it takes the
 * lock, as the plain queue's does.
 *
 * Locking: b->wq.lock guards the ring, head, tail, the subscriber list and
 * every counter; nothing sleeps, allocates or touches user memory under it,
 * and buffers whose last reference goes under it are freed after it is
 * dropped (kb_free_list()). One wait queue serves senders (for room),
 * receivers (for a message) and pollers, non-exclusively: a message is for
 * every subscriber, so a send wakes every receiver.
 *
 * Memory: the queue reserves at creation its ring and maxmsg buffers plus
 * slack for those in flight (a sender's copy-in, a receiver's copy-out of
 * messages a %KIPC_QUEUE_DROP_OLDEST send pushed out of the ring), charged
 * to its creator and to the creator's memory cgroup, and never holds more:
 * past the reservation a sender waits on b->memwq, holding nothing, for a
 * buffer to come back (%EAGAIN when it may not block). A subscriber's
 * record is charged to its file's opener when it binds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/refcount.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <net/netlink.h>

#include "kipc_priv.h"
#include "trace/kipc.h"

/* Most messages moved per lock hold. */
#define KB_CHUNK		16
/* Largest msgsize whose messages move KB_CHUNK at a time. */
#define KB_SMALL_MSGSIZE	4096
/* Subscribers listed in one %KIPC_CMD_OBJ_GET reply. */
#define KB_NL_SUBS_MAX		256

/* The options a broadcast queue may have. */
#define KB_OPTIONS		(KIPC_QUEUE_BROADCAST | KIPC_QUEUE_DROP_OLDEST)

struct kb_msg {
	struct kb_msg *next;	/* on a list to free, once unreferenced */
	refcount_t ref;		/* the ring's, and each receiver's copying it */
	u32 len;
	u32 prio;
	u32 footprint;		/* bytes counted in b->mem */
	u8 data[];
};

struct kb_sub {
	struct list_head link;
	struct file *file;
	struct mutex read_lock;	/* one receive at a time */
	u64 pos;		/* sequence number of the next message to read */
	u64 received;
	u64 dropped;
	u32 id;
	kuid_t uid;
	struct kipc_charge charge;
};

struct kipc_bcast {
	struct kipc_obj obj;
	wait_queue_head_t wq;		/* its lock guards all below but mem */
	struct kb_msg **ring;		/* maxmsg slots */
	u64 head;			/* sequence number of the next send */
	u64 tail;			/* of the oldest message held */
	unsigned int maxmsg;
	unsigned int msgsize;
	unsigned int send_lowat;	/* >= 1 */
	u32 options;
	struct list_head subs;
	unsigned int nsubs;
	u32 next_id;
	unsigned int hwm;
	bool full_reported;		/* QUEUE_FULL sent; cleared by room */
	u64 bytes;
	u64 sent;
	u64 received;
	u64 send_waits;
	u64 recv_waits;
	u64 dropped;
	atomic_long_t mem;		/* footprint of buffers allocated */
	unsigned long mem_max;		/* the reservation */
	wait_queue_head_t memwq;	/* senders waiting for a buffer */
	struct mem_cgroup *memcg;
};

/* How a caller is prepared to wait. */
struct kb_wait {
	bool nonblock;
	u8 has_deadline;	/* 0, or KIPC_MSG_DEADLINE [| KIPC_MSG_REALTIME] */
	ktime_t deadline;
};

static const struct kb_wait kb_nowait = { .nonblock = true };

/* What a receive writes back to userspace before it lets a message go. */
enum kb_report_kind { KB_REPORT_NONE, KB_REPORT_MSG, KB_REPORT_MVEC,
		      KB_REPORT_RECVMSG };

struct kb_report {
	enum kb_report_kind kind;
	u32 usize;			/* RECVMSG: the caller's struct size */
	union {
		struct kipc_msg __user *msg;
		struct kipc_mvec __user *mvec;	/* the first message's entry */
		struct kipc_recvmsg __user *rm;
	};
};

/* A sleeping sender or receiver, woken only for its direction. */
struct kb_waiter {
	wait_queue_entry_t entry;
	__poll_t wants;
};

const struct kipc_obj_ops kipc_bcast_ops;

static struct kipc_bcast *to_bcast(struct kipc_obj *obj)
{
	return container_of(obj, struct kipc_bcast, obj);
}

/**
 * kipc_is_bcast() - is @obj a broadcast queue?
 * @obj: an object
 *
 * Return: true for a broadcast queue.
 */
bool kipc_is_bcast(const struct kipc_obj *obj)
{
	return obj && obj->ops == &kipc_bcast_ops;
}

static struct kipc_bcast *kb_from_file(struct file *file)
{
	struct kipc_obj *obj = kipc_file_obj(file);

	if (!obj)
		return ERR_PTR(-EBADFD);
	if (obj->ops != &kipc_bcast_ops)
		return ERR_PTR(-EINVAL);
	return to_bcast(obj);
}

/* @file's subscription, or NULL (not opened for reading). */
static struct kb_sub *kb_sub_find(struct kipc_bcast *b, struct file *file)
	__must_hold(&b->wq.lock)
{
	struct kb_sub *s;

	list_for_each_entry(s, &b->subs, link)
		if (s->file == file)
			return s;
	return NULL;
}

static struct kb_sub *kb_sub_of(struct kipc_bcast *b, struct file *file)
{
	struct kb_sub *s;

	/* A subscription lives as long as its file, which the caller holds. */
	spin_lock_irq(&b->wq.lock);
	s = kb_sub_find(b, file);
	spin_unlock_irq(&b->wq.lock);
	return s;
}

/* --- buffers --- */

static unsigned int kb_footprint(u32 len)
{
	return kmalloc_size_roundup(sizeof(struct kb_msg) + (size_t)len);
}

static u64 kb_reservation(u32 maxmsg, u32 msgsize)
{
	u32 slack = msgsize <= KB_SMALL_MSGSIZE ? 2 * KB_CHUNK : 2;

	return ((u64)maxmsg + slack) * kb_footprint(msgsize);
}

/* Is there room in the reservation for @foot more bytes? */
static bool kb_mem_available(struct kipc_bcast *b, unsigned int foot)
{
	return atomic_long_read(&b->mem) + foot <= b->mem_max;
}

static void kb_msg_free(struct kipc_bcast *b, struct kb_msg *m)
{
	atomic_long_sub(m->footprint, &b->mem);
	kvfree(m);
	smp_mb();	/* the memory returned before the check for waiters */
	if (waitqueue_active(&b->memwq))
		wake_up(&b->memwq);
}

static void kb_msg_put(struct kipc_bcast *b, struct kb_msg *m)
{
	if (refcount_dec_and_test(&m->ref))
		kb_msg_free(b, m);
}

/* The ring lets @m go under the lock: freed later, by kb_free_list(). */
static void kb_msg_put_locked(struct kb_msg *m, struct kb_msg **freed)
{
	if (refcount_dec_and_test(&m->ref)) {
		m->next = *freed;
		*freed = m;
	}
}

static void kb_free_list(struct kipc_bcast *b, struct kb_msg *m)
{
	struct kb_msg *next;

	for (; m; m = next) {
		next = m->next;
		kb_msg_free(b, m);
	}
}

/* A buffer for @len bytes out of the reservation; NULL if it is used up. */
static struct kb_msg *kb_msg_alloc(struct kipc_bcast *b, u32 len, int *err)
{
	unsigned int foot = kb_footprint(len);
	struct mem_cgroup *old;
	struct kb_msg *m;

	if (atomic_long_add_return(foot, &b->mem) > b->mem_max) {
		atomic_long_sub(foot, &b->mem);
		*err = -ENOBUFS;
		return NULL;
	}
	/* The queue's creator pays, whoever sends. */
	old = set_active_memcg(b->memcg);
	m = kvmalloc(sizeof(*m) + (size_t)len, GFP_KERNEL_ACCOUNT);
	set_active_memcg(old);
	if (!m) {
		atomic_long_sub(foot, &b->mem);
		*err = -ENOMEM;
		return NULL;
	}
	m->next = NULL;
	refcount_set(&m->ref, 1);
	m->len = len;
	m->footprint = foot;
	return m;
}

/* --- waiting --- */

static int kb_wait_init(struct kb_wait *w, struct file *file, u32 flags,
			s64 deadline_ns, bool nonblock)
{
	if (flags & ~KIPC_MSG_FLAGS)
		return -EINVAL;
	if ((flags & KIPC_MSG_REALTIME) && !(flags & KIPC_MSG_DEADLINE))
		return -EINVAL;
	w->nonblock = nonblock || (file->f_flags & O_NONBLOCK) ||
		      (flags & KIPC_MSG_NONBLOCK);
	w->has_deadline = flags & (KIPC_MSG_DEADLINE | KIPC_MSG_REALTIME);
	w->deadline = 0;
	/* CLOCK_REALTIME is not namespaced; CLOCK_MONOTONIC is. */
	if (flags & KIPC_MSG_REALTIME)
		w->deadline = deadline_ns;
	else if (flags & KIPC_MSG_DEADLINE)
		w->deadline = kipc_deadline_to_host(deadline_ns);
	return 0;
}

/* Sleep until woken, a signal, or @w's deadline: true once it has passed. */
static bool kb_sleep(const struct kb_wait *w)
{
	ktime_t expires = w->deadline;

	if (!w->has_deadline) {
		schedule();
		return false;
	}
	return !schedule_hrtimeout_range_clock(&expires, current->timer_slack_ns,
					       HRTIMER_MODE_ABS,
					       (w->has_deadline & KIPC_MSG_REALTIME) ?
					       CLOCK_REALTIME : CLOCK_MONOTONIC);
}

/*
 * Why a waiter must stop, or 0 to sleep on. A signal restarts the call
 * (SA_RESTART, the freezer, ptrace): a deadline is absolute, so a
 * restarted wait ends when the first would have.
 */
static int kb_wait_over(bool timed_out)
{
	if (signal_pending(current))
		return -ERESTARTSYS;
	return timed_out ? -ETIMEDOUT : 0;
}

static int kb_wake_fn(wait_queue_entry_t *entry, unsigned int mode, int flags,
		      void *key)
{
	struct kb_waiter *w = container_of(entry, struct kb_waiter, entry);
	int ret;

	if (key && !(key_to_poll(key) & w->wants))
		return 0;
	ret = default_wake_function(entry, mode, flags, key);
	/*
	 * Off the queue once woken (as autoremove_wake_function()): the sends
	 * that follow before it runs walk past no one it already woke.
	 */
	if (ret)
		list_del_init_careful(&entry->entry);
	return ret;
}

static void kb_wake_locked(struct kipc_bcast *b, __poll_t events)
	__must_hold(&b->wq.lock)
{
	/* Safe under b->wq.lock: waiters queue themselves under it. */
	if (waitqueue_active(&b->wq))
		wake_up_locked_poll(&b->wq, events);
}

/* Can a send link a message now? */
static bool kb_has_room(const struct kipc_bcast *b)
{
	return !b->nsubs || (b->options & KIPC_QUEUE_DROP_OLDEST) ||
	       b->head - b->tail < b->maxmsg;
}

/* Room enough to wake a sender that waited, or to report EPOLLOUT. */
static bool kb_room_wakes(const struct kipc_bcast *b)
{
	return !b->nsubs || (b->options & KIPC_QUEUE_DROP_OLDEST) ||
	       b->maxmsg - (b->head - b->tail) >= min(b->send_lowat, b->maxmsg);
}

static bool kb_ready(const struct kipc_bcast *b, const struct kb_sub *s)
{
	return s ? b->head != s->pos : kb_has_room(b);
}

/*
 * Sleep until @s has a message to read or, for a sender (@s NULL), there
 * is room. Called and returns with b->wq.lock held.
 */
static int kb_wait_locked(struct kipc_bcast *b, const struct kb_sub *s,
			  const struct kb_wait *w)
	__must_hold(&b->wq.lock)
{
	u32 dir = s ? KIPC_TRACE_RECV : KIPC_TRACE_SEND;
	struct kb_waiter waiter = {
		.entry.private = current,
		.entry.func = kb_wake_fn,
		.entry.entry = LIST_HEAD_INIT(waiter.entry.entry),
		.wants = s ? EPOLLIN : EPOLLOUT,
	};
	bool timed_out = false;
	u64 start = 0;
	int ret = 0;

	if (w->nonblock)
		return -EAGAIN;
	if (w->has_deadline && w->deadline < 0)
		return -EINVAL;
	if (s)
		b->recv_waits++;
	else
		b->send_waits++;
	__add_wait_queue_entry_tail(&b->wq, &waiter.entry);
	if (static_branch_unlikely(&kipc_trace_waits))
		start = kipc_trace_wait_begin(b->obj.id, dir);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kb_ready(b, s))
			break;
		ret = kb_wait_over(timed_out);
		if (ret)
			break;
		spin_unlock_irq(&b->wq.lock);
		timed_out = kb_sleep(w);
		spin_lock_irq(&b->wq.lock);
		/* Woken, and off the queue: back on it, to wait again if need be. */
		if (list_empty(&waiter.entry.entry))
			__add_wait_queue_entry_tail(&b->wq, &waiter.entry);
	}
	if (!list_empty(&waiter.entry.entry))
		__remove_wait_queue(&b->wq, &waiter.entry);
	__set_current_state(TASK_RUNNING);
	if (static_branch_unlikely(&kipc_trace_waits))
		kipc_trace_wait_end(b->obj.id, dir, start, ret);
	return ret;
}

/* The reservation is used up by buffers in flight: wait for one to come back. */
static int kb_wait_mem(struct kipc_bcast *b, unsigned int foot,
		       const struct kb_wait *w)
{
	DEFINE_WAIT(wait);
	bool timed_out = false;
	int ret = 0;

	if (w->nonblock)
		return -EAGAIN;
	if (w->has_deadline && w->deadline < 0)
		return -EINVAL;
	spin_lock_irq(&b->wq.lock);
	b->send_waits++;
	spin_unlock_irq(&b->wq.lock);
	for (;;) {
		prepare_to_wait(&b->memwq, &wait, TASK_INTERRUPTIBLE);
		if (kb_mem_available(b, foot))
			break;
		ret = kb_wait_over(timed_out);
		if (ret)
			break;
		timed_out = kb_sleep(w);
	}
	finish_wait(&b->memwq, &wait);
	return ret;
}

/* --- the ring --- */

/*
 * Let go of the messages every subscriber has read: tail becomes the lowest
 * position (head with no subscriber). A sender waiting for room is woken.
 */
static void kb_trim(struct kipc_bcast *b, struct kb_msg **freed)
	__must_hold(&b->wq.lock)
{
	u64 low = b->head, old = b->tail;
	struct kb_sub *s;
	struct kb_msg *m;

	list_for_each_entry(s, &b->subs, link)
		low = min(low, s->pos);
	for (; b->tail < low; b->tail++) {
		m = b->ring[b->tail % b->maxmsg];
		b->ring[b->tail % b->maxmsg] = NULL;
		b->bytes -= m->len;
		kb_msg_put_locked(m, freed);
	}
	if (b->tail != old && kb_room_wakes(b)) {
		b->full_reported = false;
		kb_wake_locked(b, EPOLLOUT | EPOLLWRNORM);
	}
}

/*
 * %KIPC_QUEUE_DROP_OLDEST: the ring is full and a send needs a slot; the
 * oldest message goes, and whoever had yet to read it loses it.
 */
static void kb_drop_oldest(struct kipc_bcast *b, struct kb_msg **freed)
	__must_hold(&b->wq.lock)
{
	struct kb_msg *m = b->ring[b->tail % b->maxmsg];
	struct kb_sub *s;
	u64 lost = 0;

	b->ring[b->tail % b->maxmsg] = NULL;
	b->tail++;
	b->bytes -= m->len;
	kb_msg_put_locked(m, freed);
	list_for_each_entry(s, &b->subs, link)
		if (s->pos < b->tail) {
			s->dropped += b->tail - s->pos;
			lost += b->tail - s->pos;
			s->pos = b->tail;
		}
	b->dropped += lost;
}

/* Tell event subscribers a sender found the queue full, once until room. */
static void kb_report_full(struct kipc_bcast *b)
	__must_hold(&b->wq.lock)
{
	b->full_reported = true;
	spin_unlock_irq(&b->wq.lock);
	if (kipc_event_post(&b->obj, KIPC_EVENT_QUEUE_FULL))
		kipc_events_flush();
	spin_lock_irq(&b->wq.lock);
}

/* --- send and receive --- */

/*
 * Send up to @n messages of @vec (at most KB_CHUNK); wait, if @w allows,
 * only until the first can go. Return how many were sent, or an errno if
 * none was.
 */
static int kb_send_many(struct kipc_bcast *b, const struct kipc_mvec *vec,
			unsigned int n, const struct kb_wait *w)
{
	struct kb_msg *msgs[KB_CHUNK];
	struct kb_msg *freed = NULL;
	unsigned int got, fit = 0, i;
	struct kb_msg *m;
	int ret = 0;

	for (got = 0; got < n; got++) {
		if (vec[got].len > b->msgsize) {
			ret = -EMSGSIZE;
			break;
		}
		if (vec[got].prio >= KIPC_PRIO_MAX) {
			ret = -EINVAL;
			break;
		}
		m = kb_msg_alloc(b, vec[got].len, &ret);
		/* Only the first waits for a buffer, holding none. */
		while (!m && ret == -ENOBUFS && !got) {
			ret = kb_wait_mem(b, kb_footprint(vec[got].len), w);
			if (ret)
				break;
			m = kb_msg_alloc(b, vec[got].len, &ret);
		}
		if (!m) {
			if (ret == -ENOBUFS)
				ret = -EAGAIN;
			break;
		}
		m->prio = vec[got].prio;
		if (copy_from_user(m->data, u64_to_user_ptr(vec[got].buf),
				   vec[got].len)) {
			kb_msg_free(b, m);
			ret = -EFAULT;
			break;
		}
		msgs[got] = m;
	}
	if (!got)
		return ret;

	spin_lock_irq(&b->wq.lock);
	if (!kb_has_room(b) && !b->full_reported)
		kb_report_full(b);
	if (!kb_has_room(b)) {
		ret = kb_wait_locked(b, NULL, w);
		if (ret) {
			spin_unlock_irq(&b->wq.lock);
			trace_kipc_queue_drop(b->obj.id, ret == -EAGAIN ? got : 0,
					      KIPC_TRACE_DROP_FULL);
			goto out;
		}
	}
	if (!b->nsubs) {
		/* No one to reach: sent, and nothing is held. */
		b->sent += got;
		spin_unlock_irq(&b->wq.lock);
		ret = got;
		goto out;
	}
	fit = got;
	if (!(b->options & KIPC_QUEUE_DROP_OLDEST))
		fit = min_t(u64, got, b->maxmsg - (b->head - b->tail));
	for (i = 0; i < fit; i++) {
		if (b->head - b->tail == b->maxmsg)
			kb_drop_oldest(b, &freed);
		b->ring[b->head % b->maxmsg] = msgs[i];
		b->head++;
		b->bytes += msgs[i]->len;
		if (trace_kipc_queue_send_enabled())
			trace_kipc_queue_send(b->obj.id, msgs[i]->len,
					      msgs[i]->prio, b->head - b->tail);
	}
	b->sent += fit;
	b->hwm = max_t(unsigned int, b->hwm, b->head - b->tail);
	kb_wake_locked(b, EPOLLIN | EPOLLRDNORM);
	spin_unlock_irq(&b->wq.lock);
	kb_free_list(b, freed);
	ret = fit;
out:
	/* Those not linked, or sent to no one, go back. */
	for (i = fit; i < got; i++)
		kb_msg_free(b, msgs[i]);
	return ret;
}

static int kb_report_recvmsg(const struct kb_report *to, const struct kb_msg *m)
{
	struct kipc_recvmsg __user *u = to->rm;
	u32 zero = 0;

	if (put_user(m->len, &u->len) || put_user(m->prio, &u->prio) ||
	    put_user(zero, &u->hdr_flags) || put_user(zero, &u->pid) ||
	    put_user(zero, &u->uid) || put_user(zero, &u->gid))
		return -EFAULT;
	/* No descriptors ever ride a broadcast message. */
	if (to->usize >= KIPC_RECVMSG_SIZE_VER1 && put_user(zero, &u->nfds))
		return -EFAULT;
	return 0;
}

/* Write back what @to asks about @m, the @i-th message received. */
static int kb_report(const struct kb_report *to, unsigned int i,
		     const struct kb_msg *m)
{
	switch (to->kind) {
	case KB_REPORT_MSG:
		return put_user(m->prio, &to->msg->prio);
	case KB_REPORT_MVEC:
		if (put_user(m->len, &to->mvec[i].len) ||
		    put_user(m->prio, &to->mvec[i].prio))
			return -EFAULT;
		return 0;
	case KB_REPORT_RECVMSG:
		return kb_report_recvmsg(to, m);
	default:
		return 0;
	}
}

/*
 * @s delivered @done messages from @start: its position moves past them,
 * and the ring lets go of what everyone has read. A %KIPC_QUEUE_DROP_OLDEST
 * send may have moved @s past some of them meanwhile and counted them
 * lost: they were delivered after all.
 */
static void kb_advance(struct kipc_bcast *b, struct kb_sub *s, u64 start,
		       unsigned int done, struct kb_msg **freed)
	__must_hold(&b->wq.lock)
{
	u64 end = start + done, back;

	if (s->pos > start) {
		back = min(s->pos, end) - start;
		s->dropped -= back;
		b->dropped -= back;
	}
	s->received += done;
	b->received += done;
	if (end > s->pos) {
		bool slowest = s->pos == b->tail;

		s->pos = end;
		if (slowest)
			kb_trim(b, freed);
	}
}

/*
 * Receive up to @n messages (at most KB_CHUNK) for @s into @vec, setting
 * each one's length and priority; wait, if @w allows, until the first is
 * there. Return how many, or an errno if none.
 */
static int kb_recv_many(struct kipc_bcast *b, struct kb_sub *s,
			struct kipc_mvec *vec, unsigned int n,
			const struct kb_wait *w, const struct kb_report *to)
{
	struct kb_msg *msgs[KB_CHUNK];
	struct kb_msg *freed = NULL;
	unsigned int got, done, i;
	int ret = 0;
	u64 start;

	spin_lock_irq(&b->wq.lock);
	if (b->head == s->pos) {
		ret = kb_wait_locked(b, s, w);
		if (ret) {
			spin_unlock_irq(&b->wq.lock);
			return ret;
		}
	}
	start = s->pos;
	got = min_t(u64, n, b->head - start);
	for (i = 0; i < got; i++) {
		msgs[i] = b->ring[(start + i) % b->maxmsg];
		refcount_inc(&msgs[i]->ref);
	}
	spin_unlock_irq(&b->wq.lock);

	for (done = 0; done < got; done++) {
		struct kb_msg *m = msgs[done];

		if (m->len > vec[done].len) {
			ret = -EMSGSIZE;
			break;
		}
		if (copy_to_user(u64_to_user_ptr(vec[done].buf), m->data, m->len)) {
			ret = -EFAULT;
			break;
		}
		/* Reported before it is let go: a fault here loses nothing. */
		ret = kb_report(to, done, m);
		if (ret)
			break;
		vec[done].len = m->len;
		vec[done].prio = m->prio;
	}

	spin_lock_irq(&b->wq.lock);
	kb_advance(b, s, start, done, &freed);
	if (trace_kipc_queue_recv_enabled())
		for (i = 0; i < done; i++)
			trace_kipc_queue_recv(b->obj.id, msgs[i]->len,
					      msgs[i]->prio, b->head - s->pos);
	spin_unlock_irq(&b->wq.lock);
	for (i = 0; i < got; i++)
		kb_msg_put(b, msgs[i]);
	kb_free_list(b, freed);
	return done ? done : ret;
}

/* One receive at a time per subscriber; none for a file not reading. */
static int kb_recv_begin(struct kipc_bcast *b, struct file *file,
			 const struct kb_wait *w, struct kb_sub **sp)
{
	struct kb_sub *s;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	s = kb_sub_of(b, file);
	if (!s)
		return -EBADF;
	if (w->nonblock) {
		if (!mutex_trylock(&s->read_lock))
			return -EAGAIN;
	} else if (mutex_lock_interruptible(&s->read_lock)) {
		return -ERESTARTSYS;
	}
	*sp = s;
	return 0;
}

static ssize_t kb_recv(struct kipc_bcast *b, struct file *file,
		       void __user *ubuf, u32 cap, const struct kb_wait *w,
		       const struct kb_report *to)
{
	struct kipc_mvec v = { .buf = (unsigned long)ubuf, .len = cap };
	struct kb_sub *s;
	int ret;

	ret = kb_recv_begin(b, file, w, &s);
	if (ret)
		return ret;
	ret = kb_recv_many(b, s, &v, 1, w, to);
	mutex_unlock(&s->read_lock);
	if (ret < 0)
		return ret;
	return v.len;
}

/* --- file operations --- */

/**
 * kipc_bcast_write() - write() on a broadcast queue: one message, priority 0
 * @file: a file bound to a broadcast queue
 * @buf: the message
 * @len: its length
 *
 * Return: @len, or a negative errno.
 */
ssize_t kipc_bcast_write(struct file *file, const char __user *buf, size_t len)
{
	struct kipc_bcast *b = kb_from_file(file);
	struct kipc_mvec v = { .buf = (unsigned long)buf, .len = len };
	struct kb_wait w;
	int ret;

	if (IS_ERR(b))
		return PTR_ERR(b);
	if (len > b->msgsize)
		return -EMSGSIZE;
	kb_wait_init(&w, file, 0, 0, false);
	ret = kb_send_many(b, &v, 1, &w);
	if (ret < 0)
		return ret;
	return len;
}

/**
 * kipc_bcast_read() - read() on a broadcast queue: this subscriber's next
 * @file: a file bound to a broadcast queue
 * @buf: the buffer
 * @len: its capacity
 *
 * Return: the message's length, or a negative errno.
 */
ssize_t kipc_bcast_read(struct file *file, char __user *buf, size_t len)
{
	const struct kb_report to = { .kind = KB_REPORT_NONE };
	struct kipc_bcast *b = kb_from_file(file);
	struct kb_wait w;

	if (IS_ERR(b))
		return PTR_ERR(b);
	kb_wait_init(&w, file, 0, 0, false);
	return kb_recv(b, file, buf, min_t(size_t, len, U32_MAX), &w, &to);
}

/**
 * kipc_bcast_poll() - poll() on a broadcast queue, per subscriber
 * @file: a file bound to a broadcast queue
 * @pt: the poll table
 *
 * Return: %EPOLLIN when this file has unread messages, %EPOLLOUT when a
 * send would not block, %EPOLLERR for other files.
 */
__poll_t kipc_bcast_poll(struct file *file, struct poll_table_struct *pt)
{
	struct kipc_bcast *b = kb_from_file(file);
	__poll_t mask = 0;
	struct kb_sub *s;

	if (IS_ERR(b))
		return EPOLLERR;
	poll_wait(file, &b->wq, pt);
	spin_lock_irq(&b->wq.lock);
	s = kb_sub_find(b, file);
	if (s && b->head != s->pos)
		mask |= EPOLLIN | EPOLLRDNORM;
	if ((file->f_mode & FMODE_WRITE) && kb_room_wakes(b))
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock_irq(&b->wq.lock);
	return mask;
}

/* --- ioctls --- */

static long kb_ioctl_send(struct file *file, struct kipc_bcast *b,
			  struct kipc_msg __user *uarg, u32 usize, bool nonblock)
{
	struct kipc_mvec v;
	struct kipc_msg m;
	struct kb_wait w;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = kipc_get_arg(&m, sizeof(m), KIPC_MSG_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	ret = kb_wait_init(&w, file, m.flags, m.deadline_ns, nonblock);
	if (ret)
		return ret;
	v.buf = m.buf;
	v.len = m.len;
	v.prio = m.prio;
	ret = kb_send_many(b, &v, 1, &w);
	return ret < 0 ? ret : 0;
}

static long kb_ioctl_recv(struct file *file, struct kipc_bcast *b,
			  struct kipc_msg __user *uarg, u32 usize, bool nonblock)
{
	const struct kb_report to = { .kind = KB_REPORT_MSG, .msg = uarg };
	struct kipc_msg m;
	struct kb_wait w;
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	ret = kipc_get_arg(&m, sizeof(m), KIPC_MSG_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	ret = kb_wait_init(&w, file, m.flags, m.deadline_ns, nonblock);
	if (ret)
		return ret;
	return kb_recv(b, file, u64_to_user_ptr(m.buf), m.len, &w, &to);
}

static long kb_ioctl_recvmsg(struct file *file, struct kipc_bcast *b,
			     struct kipc_recvmsg __user *uarg, u32 usize,
			     bool nonblock)
{
	const struct kb_report to = {
		.kind = KB_REPORT_RECVMSG, .rm = uarg, .usize = usize,
	};
	struct kipc_recvmsg m;
	struct kb_wait w;
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	ret = kipc_get_arg(&m, sizeof(m), KIPC_RECVMSG_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	/* Descriptors never ride a broadcast message: there is none to take. */
	if (m.nfds > KIPC_FDS_MAX || (m.fd_flags & ~KIPC_FD_FLAGS))
		return -EINVAL;
	ret = kb_wait_init(&w, file, m.flags, m.deadline_ns, nonblock);
	if (ret)
		return ret;
	return kb_recv(b, file, u64_to_user_ptr(m.buf), m.len, &w, &to);
}

static int kb_vec_read(struct kipc_mvec *vec, struct kipc_mvec __user *uvec,
		       u32 n)
{
	return copy_from_user(vec, uvec, n * sizeof(*vec)) ? -EFAULT : 0;
}

static long kb_ioctl_batch(struct file *file, struct kipc_bcast *b,
			   struct kipc_batch __user *uarg, u32 usize, bool send,
			   bool nonblock)
{
	struct kb_report to = { .kind = KB_REPORT_MVEC };
	struct kipc_mvec vec[KB_CHUNK];
	struct kipc_mvec __user *uvec;
	struct kb_sub *s = NULL;
	struct kipc_batch bt;
	struct kb_wait w;
	u32 done = 0, n, chunk;
	int ret;

	if (!(file->f_mode & (send ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	ret = kipc_get_arg(&bt, sizeof(bt), KIPC_BATCH_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	if (bt.__reserved || bt.count > KIPC_BATCH_MAX)
		return -EINVAL;
	ret = kb_wait_init(&w, file, bt.flags, bt.deadline_ns, nonblock);
	if (ret)
		return ret;
	uvec = u64_to_user_ptr(bt.vec);
	chunk = b->msgsize <= KB_SMALL_MSGSIZE ? KB_CHUNK : 1;
	if (!send) {
		ret = kb_recv_begin(b, file, &w, &s);
		if (ret)
			return ret;
	}
	while (done < bt.count) {
		n = min(bt.count - done, chunk);
		ret = kb_vec_read(vec, uvec + done, n);
		if (ret)
			break;
		if (send) {
			ret = kb_send_many(b, vec, n, done ? &kb_nowait : &w);
		} else {
			to.mvec = uvec + done;
			ret = kb_recv_many(b, s, vec, n, done ? &kb_nowait : &w,
					   &to);
		}
		if (ret < 0)
			break;
		done += ret;
		if (ret < n)
			break;
	}
	if (s)
		mutex_unlock(&s->read_lock);
	return done ? done : ret;
}

/**
 * kipc_bcast_ioctl() - the message ioctls of a file bound to a broadcast queue
 * @file: the file
 * @cmd: the caller's command, whose size the struct's must be
 * @uarg: its argument
 * @nonblock: never block, whatever the flags and the file say (io_uring)
 *
 * Return: as each ioctl documents in <linux/kipc.h>; -EINVAL for
 * %KIPC_IOC_SENDRECV and %KIPC_IOC_SENDMSG; -ENOTTY for commands that are
 * not queue commands.
 */
long kipc_bcast_ioctl(struct file *file, unsigned int cmd, void __user *uarg,
		      bool nonblock)
{
	struct kipc_bcast *b = kb_from_file(file);
	u32 usize = _IOC_SIZE(cmd);

	if (IS_ERR(b))
		return PTR_ERR(b);
	switch (KIPC_IOC_NOSIZE(cmd)) {
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEND):
		return kb_ioctl_send(file, b, uarg, usize, nonblock);
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECV):
		return kb_ioctl_recv(file, b, uarg, usize, nonblock);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEND_BATCH):
		return kb_ioctl_batch(file, b, uarg, usize, true, nonblock);
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECV_BATCH):
		return kb_ioctl_batch(file, b, uarg, usize, false, nonblock);
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECVMSG):
		return kb_ioctl_recvmsg(file, b, uarg, usize, nonblock);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SENDRECV):
	case KIPC_IOC_NOSIZE(KIPC_IOC_SENDMSG):
		/* A request has one server to answer it; descriptors one receiver. */
		return -EINVAL;
	default:
		return -ENOTTY;
	}
}

/* --- subscribers --- */

/* A file opened for reading is bound: it subscribes from the next message. */
static int kb_bind(struct kipc_obj *obj, struct file *file)
{
	struct kipc_bcast *b = to_bcast(obj);
	struct kipc_who who;
	struct kb_sub *s;
	int err;

	if (!(file->f_mode & FMODE_READ))
		return 0;
	kipc_who_init_file(&who, file);
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		return -ENOMEM;
	err = kipc_charge(&s->charge, &who, KIPC_CHARGE_BYTES, sizeof(*s));
	if (err) {
		kfree(s);
		return err;
	}
	mutex_init(&s->read_lock);
	s->file = file;
	s->uid = file->f_cred->euid;
	spin_lock_irq(&b->wq.lock);
	s->id = b->next_id++;
	s->pos = b->head;
	list_add_tail(&s->link, &b->subs);
	b->nsubs++;
	spin_unlock_irq(&b->wq.lock);
	return 0;
}

/* The file goes: its subscription no longer holds anything back. */
static void kb_release(struct kipc_obj *obj, struct file *file)
{
	struct kipc_bcast *b = to_bcast(obj);
	struct kb_msg *freed = NULL;
	struct kb_sub *s;

	spin_lock_irq(&b->wq.lock);
	s = kb_sub_find(b, file);
	if (s) {
		list_del(&s->link);
		b->nsubs--;
		kb_trim(b, &freed);
	}
	spin_unlock_irq(&b->wq.lock);
	kb_free_list(b, freed);
	if (!s)
		return;
	kipc_uncharge(&s->charge);
	mutex_destroy(&s->read_lock);
	kfree(s);
}

/* --- creation, stats, netlink --- */

/**
 * kipc_bcast_create() - a new broadcast queue, not yet in the table
 * @maxmsg: capacity in messages, checked against the module's limits
 * @msgsize: largest message, checked likewise
 * @send_lowat: send low-water mark, 0 for 1
 * @options: %KIPC_QUEUE_BROADCAST, maybe with %KIPC_QUEUE_DROP_OLDEST
 * @who: the creator, charged for it
 *
 * Return: the object, or an ERR_PTR: -EINVAL (other options, @send_lowat
 * above @maxmsg), -EMFILE, -EDQUOT, -ENOSPC (budget.c), -ENOMEM.
 */
struct kipc_obj *kipc_bcast_create(u32 maxmsg, u32 msgsize, u32 send_lowat,
				   u32 options, const struct kipc_who *who)
{
	u64 mem_max = kb_reservation(maxmsg, msgsize);
	struct kipc_charge charge;
	struct kipc_bcast *b;
	int err;

	if ((options & ~KB_OPTIONS) || send_lowat > maxmsg)
		return ERR_PTR(-EINVAL);
	err = kipc_charge(&charge, who, KIPC_CHARGE_QUEUE,
			  sizeof(*b) + (u64)maxmsg * sizeof(*b->ring) + mem_max);
	if (err)
		return ERR_PTR(err);
	err = -ENOMEM;
	b = kzalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		goto err_uncharge;
	b->ring = kvcalloc(maxmsg, sizeof(*b->ring), GFP_KERNEL_ACCOUNT);
	if (!b->ring)
		goto err_free;
	b->obj.ops = &kipc_bcast_ops;
	b->obj.charge = charge;
	init_waitqueue_head(&b->wq);
	init_waitqueue_head(&b->memwq);
	INIT_LIST_HEAD(&b->subs);
	b->maxmsg = maxmsg;
	b->msgsize = msgsize;
	b->send_lowat = max(send_lowat, 1U);
	b->options = options;
	b->mem_max = mem_max;
	b->memcg = get_mem_cgroup_from_mm(current->mm);
	return &b->obj;

err_free:
	kfree(b);
err_uncharge:
	kipc_uncharge(&charge);
	return ERR_PTR(err);
}

static void kb_free(struct kipc_obj *obj)
{
	struct kipc_bcast *b = to_bcast(obj);
	u64 seq;

	/* No file is left: the ring holds the only references. */
	trace_kipc_queue_drop(obj->id, b->head - b->tail, KIPC_TRACE_DROP_DESTROYED);
	for (seq = b->tail; seq < b->head; seq++)
		kb_msg_put(b, b->ring[seq % b->maxmsg]);
	WARN_ON_ONCE(!list_empty(&b->subs));
	WARN_ON_ONCE(atomic_long_read(&b->mem));
	kvfree(b->ring);
	mem_cgroup_put(b->memcg);
	kfree(b);
}

static void kb_fill_stats(struct kipc_obj *obj, struct kipc_stats *st)
{
	struct kipc_bcast *b = to_bcast(obj);

	spin_lock_irq(&b->wq.lock);
	st->maxmsg = b->maxmsg;
	st->msgsize = b->msgsize;
	st->send_lowat = b->send_lowat;
	st->options = b->options;
	st->curmsgs = b->head - b->tail;
	st->hwm = b->hwm;
	st->bytes = b->bytes;
	st->sent = b->sent;
	st->received = b->received;
	st->send_waits = b->send_waits;
	st->recv_waits = b->recv_waits;
	st->subscribers = b->nsubs;
	st->dropped = b->dropped;
	spin_unlock_irq(&b->wq.lock);
}

/* %KIPC_IOC_STATS: the subscriber's own fields, for the file that asks. */
static void kb_file_stats(struct kipc_obj *obj, struct file *file,
			  struct kipc_stats *st)
{
	struct kipc_bcast *b = to_bcast(obj);
	struct kb_sub *s;

	spin_lock_irq(&b->wq.lock);
	s = kb_sub_find(b, file);
	if (s) {
		st->sub_pending = b->head - s->pos;
		st->sub_received = s->received;
		st->sub_dropped = s->dropped;
	}
	spin_unlock_irq(&b->wq.lock);
}

static u64 kb_mem_bytes(struct kipc_obj *obj)
{
	struct kipc_bcast *b = to_bcast(obj);

	return sizeof(*b) + (u64)b->maxmsg * sizeof(*b->ring) +
	       atomic_long_read(&b->mem) +
	       (u64)READ_ONCE(b->nsubs) * sizeof(struct kb_sub);
}

static size_t kb_nl_sub_size(void)
{
	return nla_total_size(0) + nla_total_size(sizeof(u32)) * 3 +
	       nla_total_size_64bit(sizeof(u64)) * 2;
}

/**
 * kipc_bcast_nl_size() - room %KIPC_A_SUB nests of @obj take in a reply
 * @obj: any object
 *
 * Return: bytes, 0 for an object that is not a broadcast queue.
 */
size_t kipc_bcast_nl_size(struct kipc_obj *obj)
{
	if (!kipc_is_bcast(obj))
		return 0;
	return kb_nl_sub_size() *
	       min_t(unsigned int, READ_ONCE(to_bcast(obj)->nsubs), KB_NL_SUBS_MAX);
}

/**
 * kipc_bcast_nl_put_subs() - a %KIPC_A_SUB nest per subscriber
 * @skb: the reply, with the object's attributes
 * @obj: any object
 * @userns: whose view of the subscribers' uids
 *
 * The first %KB_NL_SUBS_MAX subscribers, as many of them as fit in @skb
 * (%KIPC_A_SUBSCRIBERS has their number): a subscriber that came after the
 * reply was sized is left out rather than failing the request.
 */
void kipc_bcast_nl_put_subs(struct sk_buff *skb, struct kipc_obj *obj,
			    struct user_namespace *userns)
{
	struct kipc_bcast *b;
	unsigned int n = 0;
	struct nlattr *nest;
	struct kb_sub *s;

	if (!kipc_is_bcast(obj))
		return;
	b = to_bcast(obj);
	spin_lock_irq(&b->wq.lock);
	list_for_each_entry(s, &b->subs, link) {
		if (n++ == KB_NL_SUBS_MAX || skb_tailroom(skb) < kb_nl_sub_size())
			break;
		nest = nla_nest_start(skb, KIPC_A_SUB);
		if (!nest)
			break;
		if (nla_put_u32(skb, KIPC_SUB_A_ID, s->id) ||
		    nla_put_u32(skb, KIPC_SUB_A_UID, from_kuid_munged(userns, s->uid)) ||
		    nla_put_u32(skb, KIPC_SUB_A_PENDING, b->head - s->pos) ||
		    nla_put_u64_64bit(skb, KIPC_SUB_A_RECEIVED, s->received,
				      KIPC_SUB_A_PAD) ||
		    nla_put_u64_64bit(skb, KIPC_SUB_A_DROPPED, s->dropped,
				      KIPC_SUB_A_PAD)) {
			nla_nest_cancel(skb, nest);
			break;
		}
		nla_nest_end(skb, nest);
	}
	spin_unlock_irq(&b->wq.lock);
}

const struct kipc_obj_ops kipc_bcast_ops = {
	.type		= KIPC_TYPE_QUEUE,
	.free		= kb_free,
	.fill_stats	= kb_fill_stats,
	.mem_bytes	= kb_mem_bytes,
	.bind		= kb_bind,
	.release	= kb_release,
	.file_stats	= kb_file_stats,
};
