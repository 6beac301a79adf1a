// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - the message queue.
 *
 * A queue holds at most maxmsg messages of at most msgsize bytes each, in
 * one FIFO per priority: the receiver takes the oldest message of the
 * highest non-empty priority. Priorities are 0 .. KIPC_PRIO_MAX - 1, as
 * POSIX mq's, but nearly every user keeps to a handful of small ones, so
 * they are stored two ways:
 *  - 0 .. KQ_NLIST - 1 in a fixed array of lists, prio_bits saying which
 *    are non-empty: a send links at a list's tail, a receive finds the
 *    highest with one find-last-bit (the data path of ABI 3, unchanged);
 *  - KQ_NLIST and up in an rbtree of per-priority nodes (as ipc/mqueue.c
 *    keeps all of its priorities), highest priority leftmost. The highest
 *    one's FIFO sits in fifo[KQ_NLIST], above the lists, with a bit of
 *    prio_bits: the receive finds it as any list, with no test for the
 *    tree, and only a receive that empties it or a send to a priority not
 *    in use touches the tree (O(log p), p the priorities in use).
 * A send whose priorities are all below KQ_NLIST runs an instance of the
 * send path with nothing of the tree in it (kq_send_many_t()); a queue
 * that never uses a high priority pays nothing per message for them.
 * A node exists only while its priority holds a message, plus one spare
 * per queue, so a stream at one high priority allocates nothing. Nodes
 * are never allocated under the lock: a sender that needs more than it
 * holds drops the lock, allocates, retakes it and looks again; a message
 * put back after a failed copy-out gets its emptied node back from the
 * spare, or a new one that must not fail (kq_requeue_many()).
 * Their memory is counted in the reservation, as room for one node with
 * each buffer (kq_footprint()): there are never more nodes than buffers
 * (each node holds a message; a sender holds no more than it has
 * messages), plus the spare, charged with the queue, so the bound the
 * reservation gives (below) covers the nodes whatever the priorities,
 * and a queue full of messages at distinct high priorities holds no more
 * than it was charged for.
 *
 * Data path, designed for the fewest instructions per message (measured
 * with kipc-bench in the icount VM; see Documentation/queue.rst):
 *  - send copies the payload from userspace into the message's own buffer
 *    before taking the lock, and receive copies it out after dropping it:
 *    no bounce buffer, no copy under a spinlock. Small messages are copied
 *    word by word inside one user_access_begin() section (usercopy.h):
 *    the hardened-usercopy heap check of copy_*_user() costs more than the
 *    copy itself at these sizes, and kipc's bounds hold by construction;
 *  - buffers of queues with small messages (msgsize <= KIPC_CACHED_MSGSIZE)
 *    are recycled: one through q->spare with a single xchg() and no lock
 *    (the ping-pong case), the rest through a free list of up to maxmsg
 *    entries; a queue in steady state allocates nothing per message;
 *  - one wait queue serves senders, receivers and pollers, and its lock is
 *    the queue lock (as eventfd does): a send or receive takes one lock,
 *    once, and wakes under it with wake_up_locked_poll(), only when someone
 *    waits for that direction: a send only if a receiver sleeps (counted in
 *    msg_sleepers) or the queue was ever polled (as pipes keep waking
 *    EPOLLET pollers), and a batch stops waking once a wake-up finds no
 *    one. Senders blocked on a full queue would otherwise cost every
 *    message of a running sender a walk past them (4 producers: 27% more
 *    time per batched message, 3% per single one, in kipc-bench).
 *    Waiters sleep exclusively and in arrival order; their wake
 *    function skips wake-ups meant for the other direction, so a wake-one
 *    is never spent on a waiter that cannot use it, and takes the waiter
 *    off the queue, so a stream of sends into a queue whose receiver is
 *    already awake makes no wake-up calls (a woken waiter that finds
 *    nothing goes back first in line); a waiter that leaves with an error
 *    while its condition holds passes the wake-up on;
 *  - a batch moves up to KQ_VEC_CHUNK messages per lock hold: buffers and
 *    copies first, then one lock for all of them; its vector is read field
 *    by field rather than with copy_from_user(), which cost more than the
 *    64-byte messages themselves, and each received message's length is
 *    reported before the message is let go.
 *
 * Locking: q->wq.lock (irq-safe, as every wait queue lock) guards the
 * lists, the priority tree and its spare node, the free list, every
 * counter, the wait queue itself and the queue's notification
 * registration (q->notify, notify.c), which a send fires under it: a
 * notification channel's lock nests inside it. Nothing
 * sleeps or touches user memory under it. q->spare is only ever exchanged
 * atomically, never under the lock.
 *
 * Memory: a queue reserves, when it is created, what its buffers can come
 * to: maxmsg buffers and a little slack for those in flight between a
 * sender's copy and a receiver's (kq_reservation()); that is charged to
 * its creator's budget (budget.c), and the queue never holds more: every
 * buffer's footprint is counted in q->mem against q->mem_max before it is
 * allocated. A sender takes its buffers before it waits for room (so its
 * copy is done when room comes), out of the reservation; a sender that
 * finds the reservation used up waits on q->memwq, holding none, for a
 * buffer to come back (or gets EAGAIN). However many senders block, the
 * queue holds no more than it reserved. Message buffers and priority nodes
 * are charged with GFP_KERNEL_ACCOUNT to the memory cgroup of the queue's
 * creator (set_active_memcg()), whoever sends.
 * A message whose copy-out faults, or the write-back of what userspace is
 * told about it (a batch entry's length and priority, a struct kipc_msg's
 * priority, a sendrecv's result), goes back to the head of its priority:
 * the write-back comes before the message is let go, so a bad receive
 * buffer or a struct made read-only during the wait never loses data.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/file.h>
#include <linux/hrtimer.h>
#include <linux/jump_label.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "kipc_priv.h"
#include "queue_call.h"
#include "queue_fds.h"
#include "usercopy.h"
#include "trace/kipc.h"

#include <linux/rbtree.h>

/* Priorities kept in the fixed array of lists; those above, in the tree. */
#define KQ_NLIST		32
/* prio_bits has a bit for each list and one for the tree. */
static_assert(BITS_PER_LONG > KQ_NLIST);
/* A mask bounds an index into the lists. */
static_assert((KQ_NLIST & (KQ_NLIST - 1)) == 0);

/* The KIPC_QUEUE_* options this module implements so far. */
#define KQ_OPTIONS_BUILT	(KIPC_QUEUE_CREDS | KIPC_QUEUE_TRACK | KIPC_QUEUE_FDS)

/* Most messages moved per lock hold, and per copy of a batch's vector. */
#define KQ_VEC_CHUNK	16

/* Largest msgsize whose buffers are recycled rather than freed. */
#define KIPC_CACHED_MSGSIZE	4096
/* Ceilings no module parameter can raise. */
#define KIPC_HARD_MSG_MAX	65536U
#define KIPC_HARD_MSGSIZE_MAX	(16U << 20)

static unsigned int msg_default = 10;
module_param(msg_default, uint, 0644);
MODULE_PARM_DESC(msg_default, "maxmsg of a queue created with maxmsg 0 (default 10)");

static unsigned int msgsize_default = 8192;
module_param(msgsize_default, uint, 0644);
MODULE_PARM_DESC(msgsize_default, "msgsize of a queue created with msgsize 0 (default 8192)");

static unsigned int msg_max = 4096;
module_param(msg_max, uint, 0644);
MODULE_PARM_DESC(msg_max, "Largest maxmsg a queue may have (default 4096, at most 65536)");

static unsigned int msgsize_max = 1U << 20;
module_param(msgsize_max, uint, 0644);
MODULE_PARM_DESC(msgsize_max, "Largest msgsize a queue may have (default 1 MiB, at most 16 MiB)");

static unsigned long queue_bytes_max = 64UL << 20;
module_param(queue_bytes_max, ulong, 0644);
MODULE_PARM_DESC(queue_bytes_max, "Largest maxmsg * msgsize of a queue (default 64 MiB)");

/* Messages are kept on singly linked lists: a FIFO per priority, a stack of
 * free buffers. Only the head is ever removed, so nothing needs a back link
 * (nor the debug checks a list_head costs on every add and delete).
 */
struct kipc_qmsg {
	struct kipc_qmsg *next;
	u32 len;
	u32 prio;
	u32 cap;
	u32 footprint;		/* bytes counted in q->mem; keeps data 8-byte aligned */
	u8 data[];
};

/*
 * What a message of a queue with options carries besides its payload, in
 * the same buffer, after the payload's capacity (kq_ext()): a queue
 * without options allocates no room for it and never looks at it. A
 * KIPC_QUEUE_FDS queue's has a struct kq_fds after it (kq_fds_of()),
 * others' do not.
 */
struct kq_msg_ext {
	struct kq_call *call;	/* KIPC_QUEUE_TRACK: the SENDRECV call, or NULL */
	struct pid *pid;	/* KIPC_QUEUE_CREDS: the sender's thread group */
	kuid_t uid;		/* its real uid and gid */
	kgid_t gid;
};

/*
 * On while any queue with options exists (counted: each one's creation
 * and free): the data path tests a queue's options only behind it, so
 * that with none in use it pays a no-op per call, not a load and a test
 * (two of those per batched call cost 0.8% of kipc-bench's batched
 * one-way throughput, whose calls move a few messages each).
 */
static DEFINE_STATIC_KEY_FALSE(kq_options_used);

struct kq_fifo {
	struct kipc_qmsg *head;
	struct kipc_qmsg *tail;
};

/*
 * A priority of KQ_NLIST or more that holds messages; out of the tree, a
 * node a sender or receiver holds, on its pool: a list, one pointer on the
 * data path's stack (an array would be zeroed there on every call, under
 * CONFIG_INIT_STACK_ALL_ZERO).
 */
struct kq_pnode {
	union {
		struct rb_node rb;
		struct kq_pnode *next;
	};
	struct kq_fifo f;
	u32 prio;
};

struct kipc_queue {
	struct kipc_obj obj;
	wait_queue_head_t wq;		/* its lock guards all below but spare */
	unsigned long prio_bits;
	struct kq_fifo fifo[KQ_NLIST + 1];	/* + the tree's highest priority */
	struct rb_root_cached hi;	/* priorities >= KQ_NLIST, highest leftmost */
	struct kq_pnode *node_spare;
	struct kipc_qmsg *free;
	unsigned int nfree;
	unsigned int maxmsg;
	unsigned int msgsize;
	unsigned int send_lowat;	/* >= 1: free slots that wake a blocked sender */
	unsigned int cached_size;	/* msgsize if buffers are recycled, else 0 */
	unsigned int curmsgs;
	unsigned int hwm;
	u64 bytes;
	u64 sent;
	u64 received;
	u64 send_waits;
	u64 recv_waits;
	bool full_reported;		/* QUEUE_FULL sent; cleared by a receive */
	struct kipc_qmsg *spare;	/* one recycled buffer, by xchg() only */
	struct task_struct *woken;	/* the receiver the last send woke */
	unsigned int nwoken;		/* sleepers kq_wake_fn() has woken */
	unsigned int msg_sleepers;	/* receivers on wq, not yet woken */
	bool polled;			/* polled once: pollers may be on wq */
	struct kipc_notify_reg *notify;	/* the mq_notify registration, or NULL */
	atomic_long_t mem;		/* footprint of message buffers allocated */
	unsigned long mem_max;		/* what q->mem may reach: the reservation */
	unsigned int buf_bytes;		/* footprint of a recycled buffer */
	u32 options;			/* KIPC_QUEUE_*, fixed at creation */
	unsigned int ext_bytes;		/* sizeof(struct kq_msg_ext) if options */
	struct kq_calls calls;		/* KIPC_QUEUE_TRACK: tracked SENDRECVs */
	wait_queue_head_t memwq;	/* senders waiting for a buffer to come back */
	struct mutex resize_lock;	/* serialises maxmsg changes and their charge */
	struct mem_cgroup *memcg;
};

/* A blocked sender or receiver. */
struct kq_waiter {
	wait_queue_entry_t entry;
	__poll_t wants;			/* EPOLLOUT: room; EPOLLIN: a message */
	struct kipc_queue *q;
};

/* How a caller is prepared to wait. */
struct kq_wait {
	bool nonblock;
	u8 has_deadline;	/* 0, or KIPC_MSG_DEADLINE [| KIPC_MSG_REALTIME] */
	ktime_t deadline;	/* on the host's CLOCK_MONOTONIC, or CLOCK_REALTIME */
	struct kq_call *call;	/* a tracked SENDRECV's receive half, else NULL */
};

static const struct kq_wait kq_nowait = { .nonblock = true };

struct kq_params {
	u32 maxmsg;
	u32 msgsize;
	u32 send_lowat;
	u32 options;
	const struct kipc_who *who;
};

/* Does @q carry extensions on its messages? */
static __always_inline bool kq_has_ext(const struct kipc_queue *q)
{
	return static_branch_unlikely(&kq_options_used) && q->ext_bytes;
}

/* Does @q track its SENDRECV requests? */
static __always_inline bool kq_tracks(const struct kipc_queue *q)
{
	return static_branch_unlikely(&kq_options_used) &&
	       (q->options & KIPC_QUEUE_TRACK);
}

static struct kipc_queue *to_queue(struct kipc_obj *obj)
{
	return container_of(obj, struct kipc_queue, obj);
}

/* The queue a file is bound to, or an ERR_PTR for unbound or other files. */
static struct kipc_queue *kq_from_file(struct file *file)
{
	struct kipc_obj *obj = kipc_file_obj(file);

	if (!obj)
		return ERR_PTR(-EBADFD);
	if (obj->ops != &kipc_queue_ops)
		return ERR_PTR(-EINVAL);
	return to_queue(obj);
}

/* --- buffers --- */

/*
 * What a priority's node takes at most: kmalloc's caches up to a page are
 * powers of two or smaller (96, 192).
 */
#define KQ_NODE_BYTES	roundup_pow_of_two(sizeof(struct kq_pnode))

/*
 * What a buffer for @len bytes of payload counts against the reservation:
 * what it takes from the slab or pages, and the node its message's
 * priority may need (see the top of this file).
 */
static unsigned int kq_footprint(u32 len)
{
	return kmalloc_size_roundup(sizeof(struct kipc_qmsg) + (size_t)len) +
	       KQ_NODE_BYTES;
}

/*
 * The bytes after the header a buffer for @len bytes of payload takes:
 * with options, the payload rounded up to 8 and the extension after it.
 */
static __always_inline size_t kq_buf_len(unsigned int ext_bytes, u32 len)
{
	return ext_bytes ? ALIGN((size_t)len, 8) + ext_bytes : len;
}

/* The extension of a message of a queue with options. */
static struct kq_msg_ext *kq_ext(struct kipc_qmsg *msg)
{
	return (struct kq_msg_ext *)(msg->data + ALIGN((size_t)msg->cap, 8));
}

/* The files a message of a KIPC_QUEUE_FDS queue carries. */
static struct kq_fds *kq_fds_of(struct kipc_qmsg *msg)
{
	return (struct kq_fds *)(kq_ext(msg) + 1);
}

/* A message is sent: what its extension says of it; it takes @fds, if any. */
static void kq_ext_init(struct kipc_queue *q, struct kipc_qmsg *msg,
			struct kq_call *call, struct kq_fds *fds)
{
	struct kq_msg_ext *x = kq_ext(msg);

	if (fds)
		kq_fds_move(kq_fds_of(msg), fds);

	x->call = call;
	if (call)
		kq_call_get(call);
	if (q->options & KIPC_QUEUE_CREDS) {
		/* As SCM_CREDENTIALS: the real ids, which a setuid program keeps. */
		x->pid = get_pid(task_tgid(current));
		x->uid = current_uid();
		x->gid = current_gid();
	} else {
		x->pid = NULL;
	}
}

/* The @n messages a send copied in; only the first carries @call and @fds. */
static noinline void kq_ext_init_many(struct kipc_queue *q,
				      struct kipc_qmsg **msgs, unsigned int n,
				      struct kq_call *call, struct kq_fds *fds)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		kq_ext_init(q, msgs[i], i ? NULL : call, i ? NULL : fds);
}

/* A message left the queue, or was never sent: drop what its extension holds. */
static noinline void kq_ext_put_many(struct kipc_queue *q,
				     struct kipc_qmsg **msgs, unsigned int n)
{
	struct kq_msg_ext *x;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (q->options & KIPC_QUEUE_FDS)
			kq_fds_put(kq_fds_of(msgs[i]));
		x = kq_ext(msgs[i]);
		put_pid(x->pid);
		x->pid = NULL;
		if (x->call)
			kq_call_put(x->call);
		x->call = NULL;
	}
}

static void kq_msg_release(struct kipc_queue *q, struct kipc_qmsg *msg)
{
	atomic_long_sub(msg->footprint, &q->mem);
	kvfree(msg);
}

/*
 * Is there room enough to wake a sender that waits for it: send_lowat
 * free slots, or the whole queue if the capacity was lowered below that.
 * With the default of 1 this is kq_ready(q, true). A sender that finds
 * any room sends; only waking one is held back, so that several blocked
 * senders are not each woken, and each scheduled, for a single slot while
 * the receiver drains (as SO_SNDLOWAT holds back a socket's writers).
 */
static __always_inline bool kq_room_wakes(unsigned int curmsgs,
					  unsigned int maxmsg,
					  unsigned int send_lowat)
{
	return curmsgs + min(send_lowat, maxmsg) <= maxmsg;
}

/*
 * A buffer came back: the first sender waiting for one may try again, once
 * there is room to wake a sender for (it would only wait for room next;
 * the receive that makes that room returns buffers and comes here again).
 */
static __always_inline void kq_mem_returned(struct kipc_queue *q)
{
	/*
	 * Ordered after the return by the caller's full barrier; pairs with
	 * the one in kq_wait_mem()'s prepare_to_wait_exclusive().
	 */
	if (unlikely(waitqueue_active(&q->memwq)) &&
	    kq_room_wakes(READ_ONCE(q->curmsgs), READ_ONCE(q->maxmsg), q->send_lowat))
		wake_up(&q->memwq);
}

/*
 * Buffers for the messages @vec describes, as many as can be had, up to @n:
 * the spare, then the free list under one lock hold, then new ones, as
 * far as the reservation goes (*@capped is set if it stopped there).
 */
static __always_inline unsigned int kq_msg_alloc_many(struct kipc_queue *q,
						      struct kipc_qmsg **msgs,
						      const struct kipc_mvec *vec,
						      unsigned int n,
						      bool *capped)
{
	struct kipc_qmsg *msg;
	struct mem_cgroup *old;
	unsigned int got = 0, foot;
	size_t len;

	if (q->cached_size) {
		msg = xchg(&q->spare, NULL);
		if (msg)
			msgs[got++] = msg;
		if (got < n) {
			spin_lock_irq(&q->wq.lock);
			while (got < n && q->free) {
				msg = q->free;
				q->free = msg->next;
				q->nfree--;
				msgs[got++] = msg;
			}
			spin_unlock_irq(&q->wq.lock);
		}
	} else {
		/*
		 * Large buffers are not kept on a free list, but one spare is
		 * worth keeping: a new one is zeroed (init_on_alloc), a copy's
		 * worth of work for nothing at these sizes.
		 */
		msg = xchg(&q->spare, NULL);
		if (msg && msg->cap >= vec[0].len)
			msgs[got++] = msg;
		else if (msg)
			kq_msg_release(q, msg);
	}
	if (got == n)
		return got;
	*capped = false;
	old = set_active_memcg(q->memcg);
	for (; got < n; got++) {
		len = q->cached_size ?: vec[got].len;
		foot = q->cached_size ? q->buf_bytes :
		       kq_footprint(kq_buf_len(q->ext_bytes, len));
		/* Counted before it exists: racing senders cannot overshoot. */
		if (atomic_long_add_return(foot, &q->mem) > READ_ONCE(q->mem_max)) {
			atomic_long_sub(foot, &q->mem);
			*capped = true;
			break;
		}
		/* Its size is the sender's; failing is ENOMEM, not a log splat. */
		msg = kvmalloc(struct_size(msg, data,
					   kq_buf_len(q->ext_bytes, len)),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!msg) {
			atomic_long_sub(foot, &q->mem);
			break;
		}
		msg->cap = len;
		msg->footprint = foot;
		/* What kq_ext_put_many() drops if it is freed before it is sent. */
		if (kq_has_ext(q))
			memset(kq_ext(msg), 0, q->ext_bytes);
		msgs[got] = msg;
	}
	set_active_memcg(old);
	return got;
}

/* Recycle @n buffers: one as the spare, the rest on the free list if small. */
static __always_inline void kq_msg_free_many(struct kipc_queue *q,
					     struct kipc_qmsg **msgs,
					     unsigned int n)
{
	struct kipc_qmsg *old = NULL;
	unsigned int i = 0;

	if (!n)
		return;
	if (kq_has_ext(q))
		kq_ext_put_many(q, msgs, n);
	/* A full barrier: orders the return before kq_mem_returned(). */
	old = xchg(&q->spare, msgs[i++]);
	if (likely(!old && n == 1)) {
		kq_mem_returned(q);
		return;
	}
	if (q->cached_size) {
		spin_lock_irq(&q->wq.lock);
		if (old && q->nfree < q->maxmsg) {
			old->next = q->free;
			q->free = old;
			q->nfree++;
			old = NULL;
		}
		for (; i < n && q->nfree < q->maxmsg; i++) {
			msgs[i]->next = q->free;
			q->free = msgs[i];
			q->nfree++;
		}
		spin_unlock_irq(&q->wq.lock);
	}
	if (old)
		kq_msg_release(q, old);
	for (; i < n; i++)
		kq_msg_release(q, msgs[i]);
	smp_mb();	/* the free list and q->mem before kq_mem_returned() */
	kq_mem_returned(q);
}

/* --- the priority lists, under q->wq.lock --- */

/*
 * The index into fifo[] of a priority below KQ_NLIST, which the caller
 * made sure of. The mask keeps a mispredicted check from indexing past
 * fifo[] with a priority the sender chose (array_index_nospec() in one
 * instruction, KQ_NLIST being a power of two), hidden from the compiler,
 * which would drop it as redundant after a test.
 */
static __always_inline u32 kq_list_index(u32 prio)
{
	OPTIMIZER_HIDE_VAR(prio);
	return prio & (KQ_NLIST - 1);
}

static __always_inline void kq_fifo_add(struct kq_fifo *f, struct kipc_qmsg *msg,
					bool at_head)
{
	if (!f->head) {
		msg->next = NULL;
		f->head = msg;
		f->tail = msg;
	} else if (at_head) {
		msg->next = f->head;
		f->head = msg;
	} else {
		msg->next = NULL;
		f->tail->next = msg;
		f->tail = msg;
	}
}

static int kq_node_cmp(const void *key, const struct rb_node *rb)
{
	u32 prio = *(const u32 *)key, np = rb_entry(rb, struct kq_pnode, rb)->prio;

	/* Highest leftmost: the cached leftmost is the receiver's. */
	return prio > np ? -1 : prio < np;
}

static bool kq_node_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct kq_pnode, rb)->prio >
	       rb_entry(b, struct kq_pnode, rb)->prio;
}

static struct kq_pnode *kq_node_find(struct kipc_queue *q, u32 prio)
	__must_hold(&q->wq.lock)
{
	struct rb_node *rb = rb_find(&prio, &q->hi.rb_root, kq_node_cmp);

	return rb ? rb_entry(rb, struct kq_pnode, rb) : NULL;
}

/* How many nodes linking @msgs needs: one per high priority among them that the tree lacks. */
static unsigned int kq_nodes_needed(struct kipc_queue *q,
				    struct kipc_qmsg **msgs, unsigned int n)
	__must_hold(&q->wq.lock)
{
	unsigned int i, j, need = 0;
	u32 prio;

	for (i = 0; i < n; i++) {
		prio = msgs[i]->prio;
		if (prio < KQ_NLIST || kq_node_find(q, prio))
			continue;
		for (j = 0; j < i && msgs[j]->prio != prio; j++)
			;
		need += j == i;
	}
	return need;
}

static void kq_pool_push(struct kq_pnode **pool, struct kq_pnode *node)
{
	node->next = *pool;
	*pool = node;
}

static struct kq_pnode *kq_pool_pop(struct kq_pnode **pool)
{
	struct kq_pnode *node = *pool;

	*pool = node->next;
	return node;
}

/*
 * Make @pool hold the nodes linking @msgs needs, the queue's spare first.
 * If it must allocate, it drops the lock to do so: then the caller must
 * look again at whatever it decided under the lock.
 *
 * Return: 0 with the lock held throughout; 1 if the lock was dropped (and
 * is held again); -ENOMEM (lock held) if a node could not be had and
 * @gfp allows failure.
 */
static int kq_pool_fill(struct kipc_queue *q, struct kq_pnode **pool,
			struct kipc_qmsg **msgs, unsigned int n, gfp_t gfp)
	__must_hold(&q->wq.lock)
{
	unsigned int need = kq_nodes_needed(q, msgs, n), have = 0;
	struct kq_pnode *node;
	struct mem_cgroup *old;

	for (node = *pool; node; node = node->next)
		have++;
	if (need > have && q->node_spare) {
		kq_pool_push(pool, q->node_spare);
		q->node_spare = NULL;
		have++;
	}
	if (need <= have)
		return 0;
	spin_unlock_irq(&q->wq.lock);
	/* Charged as the buffers are: to the creator, whoever sends. */
	old = set_active_memcg(q->memcg);
	for (; have < need; have++) {
		node = kmalloc(sizeof(*node), gfp);
		if (!node)
			break;
		kq_pool_push(pool, node);
	}
	set_active_memcg(old);
	spin_lock_irq(&q->wq.lock);
	return have < need ? -ENOMEM : 1;
}

/* The nodes left in @pool: one becomes the queue's spare if it has none. */
static void kq_pool_keep_spare(struct kipc_queue *q, struct kq_pnode **pool)
	__must_hold(&q->wq.lock)
{
	if (*pool && !q->node_spare)
		q->node_spare = kq_pool_pop(pool);
}

/* And the rest are freed, after the lock. */
static void kq_pool_free(struct kq_pnode **pool)
{
	while (*pool)
		kfree(kq_pool_pop(pool));
}

/*
 * The FIFO of a tree node's priority: the highest one's is in fifo[KQ_NLIST]
 * (kq_first() finds it there as any other), the others' in their node.
 */
static struct kq_fifo *kq_node_fifo(struct kipc_queue *q, struct kq_pnode *node)
	__must_hold(&q->wq.lock)
{
	return &node->rb == rb_first_cached(&q->hi) ? &q->fifo[KQ_NLIST] : &node->f;
}

/*
 * The tree's highest priority changed from @old (NULL: the tree was empty)
 * to @node: store the old one's FIFO back in its node, load the new one's
 * into fifo[KQ_NLIST].
 */
static void kq_hi_top_changed(struct kipc_queue *q, struct kq_pnode *old,
			      struct kq_pnode *node)
	__must_hold(&q->wq.lock)
{
	if (old)
		old->f = q->fifo[KQ_NLIST];
	q->fifo[KQ_NLIST] = node->f;
	__set_bit(KQ_NLIST, &q->prio_bits);
}

/* Link @msg, of a priority of KQ_NLIST or more; @pool holds its node if new. */
static void kq_link_hi(struct kipc_queue *q, struct kipc_qmsg *msg, bool at_head,
		       struct kq_pnode **pool)
	__must_hold(&q->wq.lock)
{
	struct kq_pnode *node = kq_node_find(q, msg->prio);
	struct rb_node *top;

	if (node) {
		kq_fifo_add(kq_node_fifo(q, node), msg, at_head);
		return;
	}
	/* kq_pool_fill() made sure of it: a failure here would lose @msg. */
	node = kq_pool_pop(pool);
	node->prio = msg->prio;
	node->f.head = NULL;
	kq_fifo_add(&node->f, msg, at_head);
	top = rb_first_cached(&q->hi);
	if (rb_add_cached(&node->rb, &q->hi, kq_node_less))
		kq_hi_top_changed(q, top ? rb_entry(top, struct kq_pnode, rb) : NULL,
				  node);
}

/*
 * Link @msg, of priority @prio below KQ_NLIST, at the tail of its list.
 * The mask is kq_list_index()'s, but left to the compiler: it drops it
 * where @prio is a constant (write(2)'s 0) and where it sees the test that
 * bounds @prio (a single send's: so it did before there was a tree; the
 * buffer allocation, the user copy and the lock stand between that test
 * and this link). A batch keeps it: one instruction per message.
 */
static __always_inline void kq_link_low(struct kipc_queue *q, struct kipc_qmsg *msg,
					u32 prio)
{
	u32 i = prio & (KQ_NLIST - 1);

	kq_fifo_add(&q->fifo[i], msg, false);
	__set_bit(i, &q->prio_bits);
}

static __always_inline void kq_count_in(struct kipc_queue *q, struct kipc_qmsg *msg)
{
	q->curmsgs++;
	q->bytes += msg->len;
	if (q->curmsgs > q->hwm)
		q->hwm = q->curmsgs;
}

/*
 * Link @msg at the tail of its priority, or at its head (a message put
 * back). @pool holds the node a high priority without one needs.
 */
static void kq_link(struct kipc_queue *q, struct kipc_qmsg *msg, bool at_head,
		    struct kq_pnode **pool)
	__must_hold(&q->wq.lock)
{
	u32 i;

	if (msg->prio >= KQ_NLIST) {
		kq_link_hi(q, msg, at_head, pool);
	} else {
		i = kq_list_index(msg->prio);
		kq_fifo_add(&q->fifo[i], msg, at_head);
		__set_bit(i, &q->prio_bits);
	}
	kq_count_in(q, msg);
}

/*
 * The index into fifo[] of the highest priority that holds a message:
 * KQ_NLIST if it is the tree's. There must be one.
 */
static __always_inline unsigned long kq_first(struct kipc_queue *q)
{
	return __fls(q->prio_bits);
}

/*
 * The tree's highest priority is empty: out with its node, which becomes
 * the spare if there is none (freed under the lock otherwise: kfree()
 * does not sleep, and a receiver's data path carries no list of nodes to
 * free after it), in with the next one, if any.
 */
static void kq_hi_emptied(struct kipc_queue *q)
	__must_hold(&q->wq.lock)
{
	struct kq_pnode *node = rb_entry(rb_first_cached(&q->hi), struct kq_pnode, rb);
	struct rb_node *next;

	rb_erase_cached(&node->rb, &q->hi);
	if (!q->node_spare)
		q->node_spare = node;
	else
		kfree(node);
	next = rb_first_cached(&q->hi);
	if (next) {
		kq_hi_top_changed(q, NULL, rb_entry(next, struct kq_pnode, rb));
	} else {
		q->fifo[KQ_NLIST].tail = NULL;
		__clear_bit(KQ_NLIST, &q->prio_bits);
	}
}

/* Remove @msg, the head of fifo[@i], the highest priority (kq_first()). */
static __always_inline void kq_unlink(struct kipc_queue *q, unsigned long i,
				      struct kipc_qmsg *msg)
{
	struct kq_fifo *f = &q->fifo[i];

	f->head = msg->next;
	if (!f->head) {
		if (unlikely(i == KQ_NLIST)) {
			kq_hi_emptied(q);
		} else {
			f->tail = NULL;
			__clear_bit(i, &q->prio_bits);
		}
	}
	q->curmsgs--;
	q->bytes -= msg->len;
}

/* --- waiting --- */

static bool kq_ready(const struct kipc_queue *q, bool for_room)
{
	return for_room ? q->curmsgs < q->maxmsg : q->curmsgs > 0;
}

/* Sleep until woken, a signal, or @w's deadline: true once it has passed. */
static __always_inline bool kq_sleep(const struct kq_wait *w)
{
	ktime_t expires = w->deadline;

	if (!w->has_deadline) {
		schedule();
		return false;
	}
	/*
	 * An absolute CLOCK_REALTIME timer moves with the clock: set forward
	 * past the deadline, it fires at once (as mq_timedsend()'s).
	 */
	return !schedule_hrtimeout_range_clock(&expires, current->timer_slack_ns,
					       HRTIMER_MODE_ABS,
					       (w->has_deadline & KIPC_MSG_REALTIME) ?
					       CLOCK_REALTIME : CLOCK_MONOTONIC);
}

/* Why a waiter whose condition does not hold must stop, or 0 to sleep on. */
static __always_inline int kq_wait_over(bool timed_out)
{
	if (signal_pending(current))
		return -ERESTARTSYS;
	return timed_out ? -ETIMEDOUT : 0;
}

/* Wake one waiter that wants @events; q->wq.lock is held. */
static void kq_wake_locked(struct kipc_queue *q, __poll_t events)
{
	/* Safe under q->wq.lock: waiters queue themselves under it. */
	if (waitqueue_active(&q->wq))
		wake_up_locked_poll(&q->wq, events);
}

static int kq_wake_fn(wait_queue_entry_t *entry, unsigned int mode, int flags,
		      void *key)
{
	struct kq_waiter *w = container_of(entry, struct kq_waiter, entry);

	int ret;

	/* A wake-up for the other direction is not ours to take. */
	if (key && !(key_to_poll(key) & w->wants))
		return 0;
	ret = default_wake_function(entry, mode, flags, key);
	if (!ret)
		return 0;
	w->q->nwoken++;
	if (w->wants & EPOLLIN) {
		w->q->woken = entry->private;
		w->q->msg_sleepers--;
	}
	/*
	 * Off the queue once woken (as autoremove_wake_function()): the
	 * sends and receives that follow before it runs find no one to wake
	 * and skip the wake-up call, the common case of a stream into a
	 * queue whose receiver has been woken but not yet scheduled.
	 */
	list_del_init_careful(&entry->entry);
	return ret;
}

/*
 * Wake one sleeper that wants @events, for one of several messages (or
 * free slots) a call makes available; q->wq.lock is held. Returns whether
 * it woke one: once a wake-up finds none, none waits for that direction
 * (pollers were woken by it), and waking on for the rest of the call
 * would only walk the other direction's sleepers again, message after
 * message: producers blocked for room cost every message of a running
 * producer a walk past them.
 */
static __always_inline bool kq_wake_next(struct kipc_queue *q, __poll_t events)
	__must_hold(&q->wq.lock)
{
	unsigned int before = q->nwoken;

	wake_up_locked_poll(&q->wq, events);
	return q->nwoken != before;
}

/*
 * May anyone on wq want a message: a receiver asleep, or a poller (a queue
 * that was ever polled keeps testing the wait queue, as pipes do for
 * EPOLLET). Senders asleep for room do not count: with producers blocked
 * on a full queue, a running producer's every message would otherwise walk
 * past them for nothing.
 */
static __always_inline bool kq_msg_waiters(struct kipc_queue *q)
	__must_hold(&q->wq.lock)
{
	/* Safe under q->wq.lock: waiters queue themselves under it. */
	return q->msg_sleepers || (READ_ONCE(q->polled) && waitqueue_active(&q->wq));
}

/*
 * A send is about to link messages: the registration fires if the queue
 * is empty and no receiver waits (as mq_timedsend() notifies only when it
 * cannot hand the message to a receiver). A receiver woken by an earlier
 * send but not yet running is off the wait queue and does not count: in
 * mqueue it would already have been handed that earlier message.
 */
static noinline void kq_notify(struct kipc_queue *q)
	__must_hold(&q->wq.lock)
{
	struct kipc_notify_reg *reg = q->notify;

	if (q->curmsgs || q->msg_sleepers)
		return;
	WRITE_ONCE(q->notify, NULL);
	kipc_notify_fire(reg);
}

/* Senders asleep for room (not pollers); a slow path's count. */
static unsigned int kq_room_waiters(struct kipc_queue *q)
	__must_hold(&q->wq.lock)
{
	wait_queue_entry_t *e;
	unsigned int n = 0;

	list_for_each_entry(e, &q->wq.head, entry)
		if (e->func == kq_wake_fn &&
		    (container_of(e, struct kq_waiter, entry)->wants & EPOLLOUT))
			n++;
	return n;
}

/*
 * Put a waiter that a wake-up took off the queue back where it was: ahead
 * of every other exclusive waiter (it was the first of them when it was
 * woken), behind the pollers, which must all see every wake-up.
 */
static void kq_wait_again_first(struct kipc_queue *q, wait_queue_entry_t *entry)
	__must_hold(&q->wq.lock)
{
	wait_queue_entry_t *curr;

	list_for_each_entry(curr, &q->wq.head, entry)
		if (curr->flags & WQ_FLAG_EXCLUSIVE)
			break;
	list_add_tail(&entry->entry, &curr->entry);
}

/*
 * Sleep until the queue has room (@for_room) or a message. Called and
 * returns with q->wq.lock held; the lock is dropped while asleep.
 */
static int kq_wait_locked(struct kipc_queue *q, bool for_room,
			  const struct kq_wait *w)
	__must_hold(&q->wq.lock)
{
	struct kq_waiter waiter = {
		.entry.private = current,
		.entry.func = kq_wake_fn,
		.entry.flags = WQ_FLAG_EXCLUSIVE,
		.entry.entry = LIST_HEAD_INIT(waiter.entry.entry),
		.wants = for_room ? EPOLLOUT : EPOLLIN,
		.q = q,
	};
	bool timed_out = false;
	int ret = 0;
	u64 start = 0;

	/* A tracked call's server went: said even to a non-blocking call. */
	if (unlikely(w->call) && kq_call_error(w->call))
		return kq_call_error(w->call);
	if (w->nonblock)
		return -EAGAIN;
	if (w->has_deadline && w->deadline < 0)
		return -EINVAL;
	if (for_room) {
		q->send_waits++;
	} else {
		q->recv_waits++;
		q->msg_sleepers++;
	}
	__add_wait_queue_entry_tail(&q->wq, &waiter.entry);
	if (static_branch_unlikely(&kipc_trace_waits))
		start = kipc_trace_wait_begin(q->obj.id,
					      for_room ? KIPC_TRACE_SEND : KIPC_TRACE_RECV);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kq_ready(q, for_room))
			break;
		/* After the state is set: the abort's wake-up cannot be lost. */
		ret = unlikely(w->call) ? kq_call_error(w->call) : 0;
		if (!ret)
			ret = kq_wait_over(timed_out);
		if (ret)
			break;
		spin_unlock_irq(&q->wq.lock);
		timed_out = kq_sleep(w);
		spin_lock_irq(&q->wq.lock);
		/* Woken, but another task took what woke us: wait again, first. */
		if (list_empty(&waiter.entry.entry) && !kq_ready(q, for_room)) {
			kq_wait_again_first(q, &waiter.entry);
			q->msg_sleepers += !for_room;
		}
	}
	if (!list_empty(&waiter.entry.entry)) {
		list_del_init(&waiter.entry.entry);
		q->msg_sleepers -= !for_room;
	}
	__set_current_state(TASK_RUNNING);
	if (static_branch_unlikely(&kipc_trace_waits))
		kipc_trace_wait_end(q->obj.id, for_room ? KIPC_TRACE_SEND : KIPC_TRACE_RECV,
				    start, ret);
	/* We may have taken a wake-one meant for whoever can use it now. */
	if (ret && (for_room ? kq_room_wakes(q->curmsgs, q->maxmsg, q->send_lowat) :
			       kq_ready(q, false)))
		kq_wake_locked(q, waiter.wants);
	return ret;
}

/* Is there a buffer to take, or room in the reservation for @foot more? */
static bool kq_mem_available(struct kipc_queue *q, unsigned int foot)
{
	return READ_ONCE(q->spare) || READ_ONCE(q->free) ||
	       atomic_long_read(&q->mem) + foot <= READ_ONCE(q->mem_max);
}

/* A sender that got a buffer after waiting, or left: wake the next if there is more. */
static void kq_mem_pass(struct kipc_queue *q, unsigned int foot)
{
	smp_mb();	/* what we took or left before the check; rare path */
	if (waitqueue_active(&q->memwq) && kq_mem_available(q, foot) &&
	    kq_room_wakes(READ_ONCE(q->curmsgs), READ_ONCE(q->maxmsg), q->send_lowat))
		wake_up(&q->memwq);
}

/*
 * The reservation is taken by buffers in flight (senders copying in,
 * receivers copying out): wait until one comes back. Rare: the slack of
 * the reservation covers a batch in flight each way.
 */
static int kq_wait_mem(struct kipc_queue *q, unsigned int foot,
		       const struct kq_wait *w)
{
	DEFINE_WAIT(wait);
	bool timed_out = false;
	int ret = 0;
	u64 start = 0;

	if (w->nonblock)
		return -EAGAIN;
	if (w->has_deadline && w->deadline < 0)
		return -EINVAL;
	/* A sender asleep for a buffer is a sender asleep for room. */
	spin_lock_irq(&q->wq.lock);
	q->send_waits++;
	spin_unlock_irq(&q->wq.lock);
	if (static_branch_unlikely(&kipc_trace_waits))
		start = kipc_trace_wait_begin(q->obj.id, KIPC_TRACE_SEND_BUF);
	for (;;) {
		/* One at a time: a returned buffer is for one sender. */
		prepare_to_wait_exclusive(&q->memwq, &wait, TASK_INTERRUPTIBLE);
		if (kq_mem_available(q, foot))
			break;
		ret = kq_wait_over(timed_out);
		if (ret)
			break;
		timed_out = kq_sleep(w);
	}
	finish_wait(&q->memwq, &wait);
	if (static_branch_unlikely(&kipc_trace_waits))
		kipc_trace_wait_end(q->obj.id, KIPC_TRACE_SEND_BUF, start, ret);
	/* Leaving with an error: a wake-up we took goes to the next. */
	if (ret)
		kq_mem_pass(q, foot);
	return ret;
}

/* --- send and receive --- */

/*
 * The per-message events of a send or receive, once its messages are all
 * linked or taken, under the same lock hold (the depths are exact): one
 * static branch per call on the data path rather than one per message.
 */
static noinline void kq_trace_sent(struct kipc_queue *q, struct kipc_qmsg **msgs,
				   unsigned int n)
	__must_hold(&q->wq.lock)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		trace_kipc_queue_send(q->obj.id, msgs[i]->len, msgs[i]->prio,
				      q->curmsgs - n + i + 1);
}

static noinline void kq_trace_received(struct kipc_queue *q, struct kipc_qmsg **msgs,
				       unsigned int n)
	__must_hold(&q->wq.lock)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		trace_kipc_queue_recv(q->obj.id, msgs[i]->len, msgs[i]->prio,
				      q->curmsgs + n - i - 1);
}

/* Tell subscribers a sender met a full queue, once until the next receive. */
static void kq_report_full(struct kipc_queue *q)
{
	bool first;

	if (READ_ONCE(q->full_reported))
		return;
	spin_lock_irq(&q->wq.lock);
	first = !q->full_reported;
	WRITE_ONCE(q->full_reported, true);
	spin_unlock_irq(&q->wq.lock);
	if (first && kipc_event_post(&q->obj, KIPC_EVENT_QUEUE_FULL))
		kipc_events_flush();
}

static __always_inline int kq_copy_in(void *dst, const void __user *src, u32 len)
{
	if (len <= KIPC_SMALL_COPY)
		return kipc_copy_from_user_small(dst, src, len);
	return copy_from_user(dst, src, len) ? -EFAULT : 0;
}

static __always_inline int kq_copy_out(void __user *dst, const void *src, u32 len)
{
	if (len <= KIPC_SMALL_COPY)
		return kipc_copy_to_user_small(dst, src, len);
	return copy_to_user(dst, src, len) ? -EFAULT : 0;
}

/*
 * The locked half of kq_send_many(): wait for room, link what fits of the
 * @got messages @msgs (the first @n of them copied in), wake receivers.
 * Instantiated twice: with @hi false, for priorities below KQ_NLIST only,
 * it is the data path and carries nothing of the tree; with @hi true (out
 * of line, in kq_send_many_hi()), it first makes sure of the nodes new
 * high priorities need.
 */
static __always_inline int kq_send_locked(struct kipc_queue *q,
					  struct kipc_qmsg **msgs,
					  const struct kipc_mvec *vec,
					  unsigned int n, unsigned int got,
					  const struct kq_wait *w,
					  struct task_struct **woken, bool hi,
					  bool single)
{
	struct kq_pnode *pool = NULL;
	unsigned int i, fit;
	bool wake = true;
	int ret;

	spin_lock_irq(&q->wq.lock);
again:
	if (!kq_ready(q, true)) {
		if (!q->full_reported) {
			/* The event is sent without the lock. */
			spin_unlock_irq(&q->wq.lock);
			kq_report_full(q);
			spin_lock_irq(&q->wq.lock);
		}
		/* Room may have come while the lock was dropped. */
		ret = kq_ready(q, true) ? 0 : kq_wait_locked(q, true, w);
		if (ret)
			goto out_unlock;
	}
	/* kq_ready() held: there is room for at least one. */
	fit = min(n, q->maxmsg - q->curmsgs);
	if (hi) {
		ret = kq_pool_fill(q, &pool, msgs, fit,
				   GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (ret > 0)
			goto again;	/* the lock was dropped: look again */
		if (ret)
			goto out_unlock;
	}
	q->woken = NULL;
	if (unlikely(q->notify))
		kq_notify(q);
	for (i = 0; i < fit; i++) {
		if (hi) {
			kq_link(q, msgs[i], false, &pool);
		} else {
			/* A single send's priority is at hand, maybe a constant. */
			kq_link_low(q, msgs[i], single ? vec[0].prio : msgs[i]->prio);
			kq_count_in(q, msgs[i]);
		}
		if (wake && kq_msg_waiters(q))
			wake = kq_wake_next(q, EPOLLIN | EPOLLRDNORM);
	}
	if (trace_kipc_queue_send_enabled())
		kq_trace_sent(q, msgs, fit);
	if (woken && q->woken) {
		*woken = q->woken;
		get_task_struct(*woken);
	}
	q->sent += fit;
	if (hi)
		kq_pool_keep_spare(q, &pool);
	spin_unlock_irq(&q->wq.lock);
	if (hi)
		kq_pool_free(&pool);
	if (fit < n)
		kq_report_full(q);
	kq_msg_free_many(q, msgs + fit, got - fit);
	return fit;

out_unlock:
	/* EAGAIN: a non-blocking sender found the queue full. */
	trace_kipc_queue_drop(q->obj.id, ret == -EAGAIN ? n : 0, KIPC_TRACE_DROP_FULL);
	if (hi)
		kq_pool_keep_spare(q, &pool);
	spin_unlock_irq(&q->wq.lock);
	if (hi)
		kq_pool_free(&pool);
	kq_msg_free_many(q, msgs, got);
	return ret;
}

static int kq_send_many_hi(struct kipc_queue *q, const struct kipc_mvec *vec,
			   unsigned int n, const struct kq_wait *w,
			   struct task_struct **woken, struct kq_call *call,
			   struct kq_fds *fds);

/*
 * kq_send_many(), instantiated twice as kq_send_locked() is: the data
 * path (@hi false) hands a call with any priority of KQ_NLIST or more to
 * the other (@hi true), out of line, before it has done anything.
 */
static __always_inline int kq_send_many_t(struct kipc_queue *q,
					  const struct kipc_mvec *vec,
					  unsigned int n,
					  const struct kq_wait *w,
					  struct task_struct **woken,
					  struct kq_call *call,
					  struct kq_fds *fds, bool hi,
					  bool single)
{
	struct kipc_qmsg *msgs[KQ_VEC_CHUNK];
	bool capped = false, memwaited = false;
	unsigned int i, got, foot = 0;
	int ret = 0;

	for (i = 0; i < n; i++) {
		/* One test on the data path, where priorities are small. */
		if (unlikely(vec[i].prio >= KQ_NLIST)) {
			if (!hi)
				return kq_send_many_hi(q, vec, n, w, woken, call, fds);
			if (vec[i].prio >= KIPC_PRIO_MAX) {
				ret = -EINVAL;
				break;
			}
		}
		if (vec[i].len > q->msgsize) {
			ret = -EMSGSIZE;
			break;
		}
	}
	n = i;
	if (!n)
		return ret;
	/* Spare a full queue's non-blocking sender the copy. */
	if (w->nonblock && READ_ONCE(q->curmsgs) >= READ_ONCE(q->maxmsg)) {
		kq_report_full(q);
		trace_kipc_queue_drop(q->obj.id, n, KIPC_TRACE_DROP_FULL);
		return -EAGAIN;
	}

	/*
	 * Buffers come out of the queue's reservation: past it, a sender
	 * waits for one to come back, holding none. So however many senders
	 * wait for room, they hold no more than the reservation.
	 */
	for (;;) {
		got = kq_msg_alloc_many(q, msgs, vec, n, &capped);
		if (got || !capped)
			break;
		foot = q->cached_size ? q->buf_bytes :
		       kq_footprint(kq_buf_len(q->ext_bytes, vec[0].len));
		ret = kq_wait_mem(q, foot, w);
		if (ret)
			return ret;
		memwaited = true;
	}
	if (!got)
		return -ENOMEM;
	/* Woken for a buffer: if more came back, the next waiter's turn. */
	if (memwaited)
		kq_mem_pass(q, foot);
	for (n = 0; n < got; n++) {
		if (kq_copy_in(msgs[n]->data, u64_to_user_ptr(vec[n].buf), vec[n].len))
			break;
		msgs[n]->len = vec[n].len;
		msgs[n]->prio = vec[n].prio;
	}
	/* Once per call: the copies above make the compiler reload the test. */
	if (kq_has_ext(q))
		kq_ext_init_many(q, msgs, n, call, fds);
	if (!n) {
		kq_msg_free_many(q, msgs, got);
		return -EFAULT;
	}
	return kq_send_locked(q, msgs, vec, n, got, w, woken, hi, single);
}

static noinline int kq_send_many_hi(struct kipc_queue *q, const struct kipc_mvec *vec,
				    unsigned int n, const struct kq_wait *w,
				    struct task_struct **woken, struct kq_call *call,
				    struct kq_fds *fds)
{
	return kq_send_many_t(q, vec, n, w, woken, call, fds, true, false);
}

/*
 * Send up to @n (<= KQ_VEC_CHUNK) messages that @vec describes, in order:
 * those before the first invalid one, as many as get a buffer and copy in,
 * and as many of them as fit. Only the first may wait for room, as @w
 * says; the rest go only if there is room at once. Everything is copied
 * before the lock is taken, and the lock is taken once.
 *
 * Return: how many were sent (>= 1), or a negative errno for the first.
 */
static __always_inline int kq_send_many(struct kipc_queue *q,
					const struct kipc_mvec *vec,
					unsigned int n,
					const struct kq_wait *w,
					struct task_struct **woken)
{
	return kq_send_many_t(q, vec, n, w, woken, NULL, NULL, false, false);
}

static __always_inline int kq_send(struct kipc_queue *q,
				   const void __user *ubuf, u32 len, u32 prio,
				   const struct kq_wait *w,
				   struct task_struct **woken,
				   struct kq_call *call, struct kq_fds *fds)
{
	struct kipc_mvec v = {
		.buf = (__force unsigned long)ubuf,
		.len = len,
		.prio = prio,
	};
	int ret = kq_send_many_t(q, &v, 1, w, woken, call, fds, false, true);

	return ret < 0 ? ret : 0;
}

/*
 * Put back, in order, messages whose copy to the receiver failed, each at
 * the head of its priority. A high priority they emptied needs its node
 * again: the spare (where the node went, unless there was one), or a new
 * one, which must not fail, or the message would be lost. A small
 * allocation on this rare path (a receiver's fault) may wait for memory.
 */
static noinline void kq_requeue_many(struct kipc_queue *q, struct kipc_qmsg **msgs,
				     unsigned int n)
{
	struct kq_pnode *pool = NULL;
	bool wake = true;
	unsigned int i;

	spin_lock_irq(&q->wq.lock);
	while (kq_pool_fill(q, &pool, msgs, n, GFP_KERNEL_ACCOUNT | __GFP_NOFAIL))
		;
	for (i = n; i--; ) {
		/* Not received after all: no file holds its request. */
		if (kq_tracks(q) && kq_ext(msgs[i])->call)
			kq_call_untake(kq_ext(msgs[i])->call);
		kq_link(q, msgs[i], true, &pool);
		if (wake && kq_msg_waiters(q))
			wake = kq_wake_next(q, EPOLLIN | EPOLLRDNORM);
	}
	q->received -= n;
	trace_kipc_queue_requeue(q->obj.id, n);
	kq_pool_keep_spare(q, &pool);
	spin_unlock_irq(&q->wq.lock);
	kq_pool_free(&pool);
}

/*
 * Where a receive writes back what it took, before the message is let go:
 * a constant at each caller, so kq_recv_many() inlines only its own case.
 */
enum kq_report_kind {
	KQ_REPORT_NONE,		/* read(2): the length is the return value */
	KQ_REPORT_MVEC,		/* a batch: len and prio of its vector's entry */
	KQ_REPORT_MSG,		/* KIPC_IOC_RECV: prio of its struct kipc_msg */
	KQ_REPORT_SENDRECV,	/* KIPC_IOC_SENDRECV: result, recv_len, recv_prio */
	KQ_REPORT_RECVMSG,	/* KIPC_IOC_RECVMSG: len, prio and the header */
};

/*
 * What a KIPC_IOC_RECVMSG caller asked for, as it asked it; and why its
 * report failed when that was not a fault (the receive path returns
 * EFAULT for any, so that its code is what it was before descriptors).
 */
struct kq_rx {
	const struct kipc_queue *q;
	u32 usize;			/* its struct's size */
	u32 nfds;			/* room in @fds (0 before ABI 6) */
	u32 fd_flags;
	int err;			/* EMFILE: no room for the descriptors */
	s32 __user *fds;
};

struct kq_report {
	enum kq_report_kind kind;
	struct file *file;		/* the receiving file */
	union {
		struct kipc_mvec __user *mvec;	/* the first message's entry */
		struct kipc_msg __user *msg;
		struct kipc_sendrecv __user *sr;
		struct {
			struct kipc_recvmsg __user *rm;
			struct kq_rx *rx;
		};
	};
};

/*
 * Tell a batch receiver a message's length and priority. Inlined in each
 * instance of the receive path: out of line it cost a call per message
 * (3% of the batched one-way throughput in kipc-bench).
 */
static __always_inline int kq_report_mvec(struct kipc_mvec __user *u, const struct kipc_qmsg *msg)
{
	if (!user_write_access_begin(u, sizeof(*u)))
		return -EFAULT;
	unsafe_put_user(msg->len, &u->len, efault);
	unsafe_put_user(msg->prio, &u->prio, efault);
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

/* Report the receive half of a sendrecv; one user access section. */
static __always_inline int kq_sendrecv_report(struct kipc_sendrecv __user *uarg,
					      u32 result, u32 len, u32 prio)
{
	if (!user_write_access_begin(&uarg->result, sizeof(*uarg) -
				     offsetof(struct kipc_sendrecv, result)))
		return -EFAULT;
	unsafe_put_user(result, &uarg->result, efault);
	unsafe_put_user(len, &uarg->recv_len, efault);
	unsafe_put_user(prio, &uarg->recv_prio, efault);
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

/*
 * The KIPC_HDR_* flags of a message @q delivers. A tracked request's call
 * is held by the message until it is let go, after this report.
 */
static u32 kq_hdr_flags(const struct kipc_queue *q, struct kipc_qmsg *msg)
{
	u32 hdr = q->options & KIPC_QUEUE_CREDS ? KIPC_HDR_CREDS : 0;
	struct kq_call *call;

	if (q->options & KIPC_QUEUE_TRACK) {
		call = kq_ext(msg)->call;
		if (call && kq_call_live(call))
			hdr |= KIPC_HDR_TRACKED;
	}
	return hdr;
}

/*
 * Tell a KIPC_IOC_RECVMSG caller about @msg: its credentials translated
 * now, into the receiving task's namespaces (as scm_recv() does for
 * SCM_CREDENTIALS), then written in one user access section; then its
 * descriptors installed (queue_fds.c), once nothing can fail that would
 * leave the message queued.
 */
static noinline int kq_report_recvmsg(struct kipc_recvmsg __user *u,
				      struct kq_rx *rx,
				      struct kipc_qmsg *msg)
{
	const struct kipc_queue *q = rx->q;
	u32 hdr = kq_hdr_flags(q, msg);
	struct kq_fds *fds = NULL;
	struct kq_msg_ext *x;
	u32 uid = 0, gid = 0;
	u32 want = 0, done;
	pid_t pid = 0;
	int ret;

	if (hdr & KIPC_HDR_CREDS) {
		x = kq_ext(msg);
		pid = pid_vnr(x->pid);
		uid = from_kuid_munged(current_user_ns(), x->uid);
		gid = from_kgid_munged(current_user_ns(), x->gid);
	}
	if ((q->options & KIPC_QUEUE_FDS) && kq_fds_of(msg)->n) {
		fds = kq_fds_of(msg);
		want = min(fds->n, rx->nfds);
		if (want < fds->n)
			hdr |= KIPC_HDR_FDS_TRUNC;
		ret = want ? kq_fds_recv_prepare(fds, want, rx->fds) : 0;
		if (ret) {
			rx->err = ret;
			return ret;
		}
	}
	if (!user_write_access_begin(&u->len, rx->usize -
				     offsetof(struct kipc_recvmsg, len)))
		return -EFAULT;
	unsafe_put_user(msg->len, &u->len, efault);
	unsafe_put_user(msg->prio, &u->prio, efault);
	unsafe_put_user(hdr, &u->hdr_flags, efault);
	unsafe_put_user(pid, &u->pid, efault);
	unsafe_put_user(uid, &u->uid, efault);
	unsafe_put_user(gid, &u->gid, efault);
	if (rx->usize >= KIPC_RECVMSG_SIZE_VER1)
		unsafe_put_user(want, &u->nfds, efault);
	user_write_access_end();
	if (!want)
		return 0;
	/* Past the point of no return: what fails now is truncated. */
	done = kq_fds_recv_install(fds, want, rx->fds, rx->fd_flags);
	if (done < want &&
	    (put_user(done, &u->nfds) ||
	     put_user(hdr | KIPC_HDR_FDS_TRUNC, &u->hdr_flags)))
		pr_debug("a receiver's header went away while its descriptors were installed\n");
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

/* Write back what @to asks about @msg, the @i-th message received. */
static __always_inline int kq_report(const struct kq_report *to, unsigned int i,
				     struct kipc_qmsg *msg)
{
	switch (to->kind) {
	case KQ_REPORT_MVEC:
		return kq_report_mvec(to->mvec + i, msg);
	case KQ_REPORT_MSG:
		return put_user(msg->prio, &to->msg->prio);
	case KQ_REPORT_SENDRECV:
		return kq_sendrecv_report(to->sr, KIPC_SENDRECV_SENT, msg->len,
					  msg->prio);
	case KQ_REPORT_RECVMSG:
		return kq_report_recvmsg(to->rm, to->rx, msg);
	default:
		return 0;
	}
}

/*
 * A receive of a KIPC_QUEUE_TRACK queue took @got messages: each tracked
 * request is now held by @file and the calling process, but one whose
 * client was told EPIPE while it was queued, which goes on *@drop, never
 * delivered. Returns how many of @msgs are left to deliver, in order.
 */
static noinline unsigned int kq_recv_track(struct kipc_queue *q,
					   struct kipc_qmsg **msgs,
					   unsigned int got, struct file *file,
					   struct kipc_qmsg **drop)
	__must_hold(&q->wq.lock)
{
	struct kq_call *call;
	unsigned int i, kept = 0;

	for (i = 0; i < got; i++) {
		call = kq_ext(msgs[i])->call;
		if (call && kq_call_take(call, file)) {
			msgs[i]->next = *drop;
			*drop = msgs[i];
			continue;
		}
		msgs[kept++] = msgs[i];
	}
	return kept;
}

/* Free the discarded requests kq_recv_track() set aside, after the lock. */
static noinline void kq_drop_list(struct kipc_queue *q, struct kipc_qmsg *msg)
{
	struct kipc_qmsg *next;

	for (; msg; msg = next) {
		next = msg->next;
		kq_msg_free_many(q, &msg, 1);
	}
}

/*
 * Receive up to @n (<= KQ_VEC_CHUNK) messages into the buffers @vec
 * describes, setting each entry's len and prio: as many as are queued and
 * fit their buffer, in order. Only the first may wait, as @w says. The
 * messages are taken under one lock hold and copied out after it. What
 * the caller tells userspace about each message (@to: a batch's vector
 * entry, a struct kipc_msg's prio, a sendrecv's result) is written before
 * the message is let go. A message whose copy or report faults goes back
 * to the head of the queue with those after it: no message is taken
 * unless userspace can know it was.
 *
 * Instantiated twice, as kq_send_many_t() is: with @track false, the data
 * path, it carries nothing of KIPC_QUEUE_TRACK; with @track true (out of
 * line, kq_recv_many_track()), it notes the file that takes each tracked
 * request and discards those whose client was told EPIPE.
 *
 * Return: how many were received (>= 1), or a negative errno for the first.
 */
static __always_inline int kq_recv_many_t(struct kipc_queue *q,
					  struct kipc_mvec *vec,
					  unsigned int n,
					  const struct kq_wait *w,
					  const struct kq_report *to,
					  bool track)
{
	struct kipc_qmsg *msgs[KQ_VEC_CHUNK];
	struct kipc_qmsg *msg, *drop = NULL;
	unsigned int i, got = 0;
	unsigned long top;
	bool wake = true;
	int ret;

	spin_lock_irq(&q->wq.lock);
again:
	if (!kq_ready(q, false)) {
		ret = kq_wait_locked(q, false, w);
		if (ret)
			goto out_unlock;
	}
	while (got < n && q->curmsgs) {
		top = kq_first(q);
		msg = q->fifo[top].head;
		if (msg->len > vec[got].len)
			break;
		kq_unlink(q, top, msg);
		msgs[got++] = msg;
		/* Test for waiters first: the mark matters only to them. */
		if (wake && waitqueue_active(&q->wq) &&
		    kq_room_wakes(q->curmsgs, q->maxmsg, q->send_lowat))
			wake = kq_wake_next(q, EPOLLOUT | EPOLLWRNORM);
	}
	if (track && got) {
		got = kq_recv_track(q, msgs, got, to->file, &drop);
		if (!got)
			goto again;	/* all discarded: wait for another */
	}
	if (trace_kipc_queue_recv_enabled())
		kq_trace_received(q, msgs, got);
	if (!got) {
		ret = -EMSGSIZE;
		/* Another receiver may have room for it. */
		kq_wake_locked(q, EPOLLIN | EPOLLRDNORM);
		goto out_unlock;
	}
	q->received += got;
	WRITE_ONCE(q->full_reported, false);
	spin_unlock_irq(&q->wq.lock);
	if (track && drop)
		kq_drop_list(q, drop);

	for (i = 0; i < got; i++) {
		if (kq_copy_out(u64_to_user_ptr(vec[i].buf), msgs[i]->data,
				msgs[i]->len))
			break;
		if (kq_report(to, i, msgs[i]))
			break;
		vec[i].len = msgs[i]->len;
		vec[i].prio = msgs[i]->prio;
	}
	if (unlikely(i < got))
		kq_requeue_many(q, msgs + i, got - i);
	kq_msg_free_many(q, msgs, i);
	return i ? i : -EFAULT;

out_unlock:
	spin_unlock_irq(&q->wq.lock);
	if (track && drop)
		kq_drop_list(q, drop);
	return ret;
}

/*
 * The report in scalars, rebuilt here: neither its address nor the struct
 * itself leaves the data path's callers, which then keep its kind a
 * constant and its fields in registers (passed by value, the struct cost
 * the untracked batch receive 1% of its throughput in kipc-bench).
 */
static noinline int kq_recv_many_track(struct kipc_queue *q,
				       struct kipc_mvec *vec, unsigned int n,
				       const struct kq_wait *w,
				       enum kq_report_kind kind,
				       struct file *file, void __user *where,
				       struct kq_rx *rx)
{
	struct kq_report to = { .kind = kind, .file = file, .mvec = where };

	if (kind == KQ_REPORT_RECVMSG)
		to.rx = rx;
	return kq_recv_many_t(q, vec, n, w, &to, true);
}

/* kq_recv_many_t(): a queue without KIPC_QUEUE_TRACK pays one test per call. */
static __always_inline int kq_recv_many(struct kipc_queue *q,
					struct kipc_mvec *vec,
					unsigned int n,
					const struct kq_wait *w,
					const struct kq_report *to)
{
	if (kq_tracks(q))
		return kq_recv_many_track(q, vec, n, w, to->kind, to->file,
					  (void __user *)to->mvec,
					  to->kind == KQ_REPORT_RECVMSG ? to->rx : NULL);
	return kq_recv_many_t(q, vec, n, w, to, false);
}

/* Receive one message into @ubuf; return its length or a negative errno. */
static __always_inline ssize_t kq_recv(struct kipc_queue *q, void __user *ubuf,
				       u32 cap, const struct kq_wait *w,
				       const struct kq_report *to)
{
	struct kipc_mvec v = {
		.buf = (__force unsigned long)ubuf,
		.len = cap,
	};
	int ret = kq_recv_many(q, &v, 1, w, to);

	if (ret < 0)
		return ret;
	return v.len;
}

/* --- file operations --- */

static void kq_wait_from_file(struct kq_wait *w, struct file *file)
{
	w->nonblock = file->f_flags & O_NONBLOCK;
	w->has_deadline = 0;
	w->call = NULL;
}

/* Out of line: the data path without a deadline does not carry it. */
static noinline ktime_t kq_deadline(s64 deadline_ns)
{
	return kipc_deadline_to_host(deadline_ns);
}

/*
 * KIPC_MSG_REALTIME, or unknown flags: out of line, so that the data path
 * tests for both at once. CLOCK_REALTIME is not namespaced: the deadline
 * is the host's as it is, with no time-namespace offset to apply.
 */
static noinline int kq_wait_realtime(struct kq_wait *w, struct file *file,
				     u32 flags, s64 deadline_ns)
{
	if ((flags & ~KIPC_MSG_FLAGS) || !(flags & KIPC_MSG_DEADLINE))
		return -EINVAL;
	w->nonblock = (file->f_flags & O_NONBLOCK) || (flags & KIPC_MSG_NONBLOCK);
	w->has_deadline = KIPC_MSG_DEADLINE | KIPC_MSG_REALTIME;
	w->deadline = deadline_ns;
	w->call = NULL;
	return 0;
}

/*
 * @nonblock: the caller must not sleep whatever the flags say (an
 * io_uring command issued inline, kmod/uring.c); a constant false on the
 * ioctl path, where it folds away.
 */
static __always_inline int kq_wait_from_flags(struct kq_wait *w,
					      struct file *file, u32 flags,
					      s64 deadline_ns, bool nonblock)
{
	if (unlikely(flags & ~(KIPC_MSG_NONBLOCK | KIPC_MSG_DEADLINE))) {
		int ret = kq_wait_realtime(w, file, flags, deadline_ns);

		if (!ret)
			w->nonblock |= nonblock;
		return ret;
	}
	w->nonblock = nonblock || (file->f_flags & O_NONBLOCK) ||
		      (flags & KIPC_MSG_NONBLOCK);
	w->has_deadline = flags & KIPC_MSG_DEADLINE;
	w->deadline = unlikely(w->has_deadline) ? kq_deadline(deadline_ns) : 0;
	w->call = NULL;
	return 0;
}

ssize_t kipc_queue_write(struct file *file, const char __user *buf, size_t len)
{
	struct kipc_queue *q = kq_from_file(file);
	struct kq_wait w;
	int ret;

	if (IS_ERR(q))
		return kipc_bcast_write(file, buf, len);
	if (len > q->msgsize)
		return -EMSGSIZE;
	kq_wait_from_file(&w, file);
	ret = kq_send(q, buf, len, 0, &w, NULL, NULL, NULL);
	return ret ? ret : len;
}

ssize_t kipc_queue_read(struct file *file, char __user *buf, size_t len)
{
	const struct kq_report to = { .kind = KQ_REPORT_NONE, .file = file };
	struct kipc_queue *q = kq_from_file(file);
	struct kq_wait w;

	/* Not a queue: a broadcast queue's, a channel's records, or the error. */
	if (IS_ERR(q))
		return PTR_ERR(q) != -EINVAL ? PTR_ERR(q) :
		       kipc_is_bcast(kipc_file_obj(file)) ? kipc_bcast_read(file, buf, len) :
		       kipc_channel_read(file, buf, len);
	kq_wait_from_file(&w, file);
	return kq_recv(q, buf, min_t(size_t, len, U32_MAX), &w, &to);
}

__poll_t kipc_queue_poll(struct file *file, struct poll_table_struct *pt)
{
	struct kipc_queue *q = kq_from_file(file);
	__poll_t mask = 0;
	unsigned int n;

	if (IS_ERR(q))
		return kipc_is_bcast(kipc_file_obj(file)) ? kipc_bcast_poll(file, pt) :
							    kipc_channel_poll(file, pt);
	/* Before poll_wait() queues us: a sender that sees us sees the flag. */
	if (!poll_does_not_wait(pt) && !READ_ONCE(q->polled))
		WRITE_ONCE(q->polled, true);
	poll_wait(file, &q->wq, pt);
	n = READ_ONCE(q->curmsgs);
	if ((file->f_mode & FMODE_READ) && n)
		mask |= EPOLLIN | EPOLLRDNORM;
	if ((file->f_mode & FMODE_WRITE) &&
	    kq_room_wakes(n, READ_ONCE(q->maxmsg), q->send_lowat))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

/* --- ioctls --- */

static __always_inline long kq_cmd_send(struct file *file, struct kipc_queue *q,
					struct kipc_msg __user *uarg, u32 usize,
					bool nonblock)
{
	struct kipc_msg m;
	struct kq_wait w;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = kipc_get_arg(&m, sizeof(m), KIPC_MSG_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	ret = kq_wait_from_flags(&w, file, m.flags, m.deadline_ns, nonblock);
	if (ret)
		return ret;
	return kq_send(q, u64_to_user_ptr(m.buf), m.len, m.prio, &w, NULL, NULL,
		       NULL);
}

static_assert(sizeof(struct kipc_sendmsg) == KIPC_SENDMSG_SIZE_VER0);

/* KIPC_IOC_SENDMSG: KIPC_IOC_SEND with descriptors (queue_fds.c). */
static noinline long kq_ioctl_sendmsg(struct file *file, struct kipc_queue *q,
				      struct kipc_sendmsg __user *uarg, u32 usize,
				      bool nonblock)
{
	struct kipc_sendmsg m;
	struct kq_fds fds;
	struct kq_wait w;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = kipc_get_arg(&m, sizeof(m), KIPC_SENDMSG_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	if (m.__reserved || m.nfds > KIPC_FDS_MAX ||
	    (m.nfds && !(q->options & KIPC_QUEUE_FDS)))
		return -EINVAL;
	ret = kq_wait_from_flags(&w, file, m.flags, m.deadline_ns, nonblock);
	if (ret)
		return ret;
	/* As SEND would refuse it, before any file is taken. */
	if (m.len > q->msgsize)
		return -EMSGSIZE;
	ret = kq_fds_get(&fds, file, u64_to_user_ptr(m.fds), m.nfds);
	if (ret)
		return ret;
	/* The message takes the files once sent, or drops them if it fails after. */
	ret = kq_send(q, u64_to_user_ptr(m.buf), m.len, m.prio, &w, NULL, NULL,
		      m.nfds ? &fds : NULL);
	kq_fds_put(&fds);
	return ret;
}

static long kq_ioctl_send(struct file *file, struct kipc_queue *q,
			  struct kipc_msg __user *uarg, u32 usize)
{
	return kq_cmd_send(file, q, uarg, usize, false);
}

static __always_inline long kq_cmd_recv(struct file *file, struct kipc_queue *q,
					struct kipc_msg __user *uarg, u32 usize,
					bool nonblock)
{
	/* The priority is written back before the message is let go. */
	const struct kq_report to = {
		.kind = KQ_REPORT_MSG, .file = file, .msg = uarg,
	};
	struct kipc_msg m;
	struct kq_wait w;
	ssize_t ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	ret = kipc_get_arg(&m, sizeof(m), KIPC_MSG_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	ret = kq_wait_from_flags(&w, file, m.flags, m.deadline_ns, nonblock);
	if (ret)
		return ret;
	return kq_recv(q, u64_to_user_ptr(m.buf), m.len, &w, &to);
}

static long kq_ioctl_recv(struct file *file, struct kipc_queue *q,
			  struct kipc_msg __user *uarg, u32 usize)
{
	return kq_cmd_recv(file, q, uarg, usize, false);
}

static_assert(sizeof(struct kipc_recvmsg) == KIPC_RECVMSG_SIZE_VER1);

/* KIPC_IOC_RECVMSG: KIPC_IOC_RECV that also reports the message's header. */
static noinline long kq_ioctl_recvmsg(struct file *file, struct kipc_queue *q,
				      struct kipc_recvmsg __user *uarg, u32 usize,
				      bool nonblock)
{
	struct kq_rx rx = {
		.q = q, .usize = min_t(u32, usize, sizeof(struct kipc_recvmsg)),
	};
	const struct kq_report to = {
		.kind = KQ_REPORT_RECVMSG, .file = file, .rm = uarg, .rx = &rx,
	};
	struct kipc_recvmsg m;
	struct kq_wait w;
	ssize_t ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	ret = kipc_get_arg(&m, sizeof(m), KIPC_RECVMSG_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	if (m.nfds > KIPC_FDS_MAX || (m.fd_flags & ~KIPC_FD_FLAGS))
		return -EINVAL;
	rx.nfds = m.nfds;
	rx.fd_flags = m.fd_flags;
	rx.fds = u64_to_user_ptr(m.fds);
	ret = kq_wait_from_flags(&w, file, m.flags, m.deadline_ns, nonblock);
	if (ret)
		return ret;
	ret = kq_recv(q, u64_to_user_ptr(m.buf), m.len, &w, &to);
	return ret == -EFAULT && rx.err ? rx.err : ret;
}

/*
 * Read @n entries of a batch's vector, field by field in one user access
 * section (a copy_from_user() of the chunk cost more than the messages).
 * Not forced inline: called out of line (once per chunk of 16), the
 * batch ioctl ran fewer instructions per message than with it inlined
 * into both instances of kq_cmd_batch() (kipc-bench, icount, batched
 * one-way: 2.50M against 2.35M messages per second on 6.12).
 */
static int kq_vec_read(struct kipc_mvec *vec, struct kipc_mvec __user *uvec,
		       u32 n, bool send)
{
	u32 i;

	if (!user_read_access_begin(uvec, n * sizeof(*uvec)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		unsafe_get_user(vec[i].buf, &uvec[i].buf, efault);
		unsafe_get_user(vec[i].len, &uvec[i].len, efault);
		if (send)
			unsafe_get_user(vec[i].prio, &uvec[i].prio, efault);
	}
	user_read_access_end();
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

static __always_inline long kq_cmd_batch(struct file *file, struct kipc_queue *q,
					 struct kipc_batch __user *uarg, u32 usize,
					 bool send, bool nonblock)
{
	struct kipc_mvec vec[KQ_VEC_CHUNK];
	struct kq_report to = { .kind = KQ_REPORT_MVEC, .file = file };
	struct kipc_mvec __user *uvec;
	struct kipc_batch b;
	struct kq_wait w;
	u32 done = 0, n;
	ssize_t ret = 0;

	if (!(file->f_mode & (send ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	ret = kipc_get_arg(&b, sizeof(b), KIPC_BATCH_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	if (b.__reserved || b.count > KIPC_BATCH_MAX)
		return -EINVAL;
	ret = kq_wait_from_flags(&w, file, b.flags, b.deadline_ns, nonblock);
	if (ret)
		return ret;
	uvec = u64_to_user_ptr(b.vec);

	while (done < b.count) {
		/*
		 * Large messages one by one: their buffers are not kept on
		 * the free list, and one at a time they reuse the spare
		 * instead of each taking a freshly zeroed allocation.
		 */
		n = min_t(u32, b.count - done, q->cached_size ? KQ_VEC_CHUNK : 1);
		ret = kq_vec_read(vec, uvec + done, n, send);
		if (ret)
			break;
		if (send) {
			ret = kq_send_many(q, vec, n, done ? &kq_nowait : &w,
					   NULL);
		} else {
			to.mvec = uvec + done;
			ret = kq_recv_many(q, vec, n, done ? &kq_nowait : &w,
					   &to);
		}
		if (ret < 0)
			break;
		done += ret;
		if (ret < n)
			break;
	}
	return done ? done : ret;
}

static long kq_ioctl_batch(struct file *file, struct kipc_queue *q,
			   struct kipc_batch __user *uarg, u32 usize, bool send)
{
	return kq_cmd_batch(file, q, uarg, usize, send, false);
}

static bool sendrecv_yield_to = true;
module_param(sendrecv_yield_to, bool, 0644);
MODULE_PARM_DESC(sendrecv_yield_to,
		 "SENDRECV hands the CPU to the receiver its request woke on the same CPU, when the scheduler has not chosen it already (default Y)");

/*
 * A request just woke @p, which waits on this CPU: give it the CPU now,
 * before we wait for its answer, as RPC systems hand off to their server.
 * It runs at once, and its reply finds us still runnable and off the wait
 * queue: one wake-up per round trip instead of two, and the sleep/wake-up
 * path is skipped on our side (Documentation/benchmarks.rst gives the
 * round trip with and without it).
 *
 * yield_to() was written for KVM's directed yield; what it does here, and
 * why that is not a scheduling trick an unprivileged caller could abuse:
 * - it only marks @p as the next buddy and us as the skip buddy of this
 *   runqueue (CFS: honoured only within the wake-up granularity of the
 *   leftmost entity; EEVDF, 6.6 on: only while @p is eligible). It moves
 *   no vruntime or lag, so it gives @p nothing a sync wake-up preemption
 *   could not, and takes nothing from other tasks or cgroups: on each
 *   level of the hierarchy the buddy is still subject to that level's
 *   fairness check, so a group cannot gain share over its siblings.
 * - @p is a task we have just woken by handing it our message, and we are
 *   about to sleep until it answers: we give away only the rest of our
 *   own slice, which sched_yield() could give to anyone.
 * - The CPU check is racy on purpose: if @p moves between the check and
 *   the call, yield_to() (preempt false) marks it on its new runqueue,
 *   forcing no reschedule there, and we yield our own CPU once, as
 *   sched_yield() would: the cost is ours, and only this once.
 * - Real-time, deadline and idle-policy tasks are untouched: yield_to()
 *   does nothing across scheduling classes, and a task woken on another
 *   CPU runs there anyway.
 * Off (the sendrecv_yield_to parameter), SENDRECV is a send then a
 * receive, exactly as the two separate calls: the cond_resched() below
 * stands for the return to user space between them.
 */
static void kq_hand_off(struct task_struct *p)
{
	/*
	 * The wake-up already made the scheduler choose @p over us (EEVDF,
	 * 6.6 on, mostly does, once we have run past our eligibility; CFS
	 * when @p's vruntime trails ours by its wake-up granularity): then
	 * run it now, at a voluntary preemption point, as the return to user
	 * space after a separate send would. Under PREEMPT_VOLUNTARY nothing
	 * else on our way to the receive honours that decision, so @p would
	 * wait until we sleep and wake us again with its reply: two wake-ups
	 * per round trip. This takes nothing from anyone (the decision is
	 * the scheduler's) and costs less than yield_to(), which takes both
	 * runqueue locks and, on EEVDF, pushes our deadline.
	 */
	if (need_resched()) {
		cond_resched();
		return;
	}
	if (READ_ONCE(sendrecv_yield_to) && task_cpu(p) == raw_smp_processor_id())
		yield_to(p, false);
}

static long kq_ioctl_sendrecv(struct file *file, struct kipc_queue *sq,
			      struct kipc_sendrecv __user *uarg, u32 usize)
{
	/* The reply is reported (result, recv_len, recv_prio) before it is let go. */
	struct kq_report to = { .kind = KQ_REPORT_SENDRECV, .sr = uarg };
	struct task_struct *woken = NULL;
	struct kq_call *call = NULL;
	struct kq_wait w, rw;
	struct kipc_sendrecv sr;
	struct kipc_queue *rq;
	struct fd rf;
	ssize_t ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = kipc_get_arg(&sr, sizeof(sr), KIPC_SENDRECV_SIZE_VER0, uarg,
			   usize);
	if (ret)
		return ret;
	ret = kq_wait_from_flags(&w, file, sr.flags, sr.deadline_ns, false);
	if (ret)
		return ret;

	rf = fdget(sr.recv_fd);
	if (!fd_file(rf))
		return -EBADF;
	ret = -EBADF;
	if (fd_file(rf)->f_op != &kipc_fops || !(fd_file(rf)->f_mode & FMODE_READ))
		goto out;
	rq = kq_from_file(fd_file(rf));
	if (IS_ERR(rq)) {
		ret = PTR_ERR(rq);
		goto out;
	}
	/* The receive half waits as the reply queue's file says. */
	rw = w;
	rw.nonblock = (fd_file(rf)->f_flags & O_NONBLOCK) ||
		      (sr.flags & KIPC_MSG_NONBLOCK);
	to.file = fd_file(rf);
	if (kq_tracks(sq)) {
		call = kq_call_begin(&sq->calls, &sq->wq.lock, file, uarg,
				     sr.result & KIPC_SENDRECV_PENDING);
		if (IS_ERR(call)) {
			ret = PTR_ERR(call);
			call = NULL;
			goto out;
		}
		rw.call = call;
	}

	/* A call interrupted after its send resumes with the receive. */
	if (!(sr.result & KIPC_SENDRECV_PENDING)) {
		/* Every field we report must be writable before anything is sent. */
		ret = kq_sendrecv_report(uarg, 0, sr.recv_len, sr.recv_prio);
		if (ret)
			goto out;
		ret = kq_send(sq, u64_to_user_ptr(sr.send_buf), sr.send_len,
			      sr.send_prio, &w, &woken, call, NULL);
		if (ret)
			goto out;
		if (woken) {
			kq_hand_off(woken);
			put_task_struct(woken);
		}
	}
	ret = kq_recv(rq, u64_to_user_ptr(sr.recv_buf), sr.recv_len, &rw, &to);
	/* Restarting: the resumed call finds it parked, with its guarantee. */
	if (unlikely(call)) {
		kq_call_end(&sq->calls, &sq->wq.lock, call, file, uarg,
			    ret == -ERESTARTSYS);
		call = NULL;
	}
	if (ret >= 0)
		goto out;
	/*
	 * A signal: say the request is out, then let the call restart (no
	 * handler, or SA_RESTART: a stop, a ptrace attach, the freezer) or
	 * fail with EINTR (a handler without SA_RESTART). Either way the
	 * next call with this struct receives only: the request is never
	 * sent twice.
	 */
	if (ret == -ERESTARTSYS) {
		if (kq_sendrecv_report(uarg, KIPC_SENDRECV_SENT | KIPC_SENDRECV_PENDING,
				       sr.recv_len, sr.recv_prio))
			ret = -EFAULT;
		goto out;
	}
	/*
	 * No reply: the request is out all the same. If the reply's report
	 * faulted (the struct was unmapped or made read-only while we waited),
	 * the reply is back at the head of its queue and this faults too:
	 * EFAULT, result still as it was during the wait (0, or SENT |
	 * PENDING for a resumed call) though the request went out.
	 */
	if (kq_sendrecv_report(uarg, KIPC_SENDRECV_SENT, sr.recv_len,
			       sr.recv_prio))
		ret = -EFAULT;
out:
	if (unlikely(call))
		kq_call_end(&sq->calls, &sq->wq.lock, call, file, uarg, false);
	fdput(rf);
	return ret;
}

/**
 * kipc_queue_ioctl() - the ioctls of a file bound to a queue
 * @file: the file
 * @cmd: the caller's ioctl command, whose size the struct's must be
 * @uarg: its argument
 *
 * Return: as each ioctl documents in <linux/kipc.h>; -ENOTTY for commands
 * that are not queue commands.
 */
long kipc_queue_ioctl(struct file *file, unsigned int cmd, void __user *uarg)
{
	struct kipc_queue *q = kq_from_file(file);
	u32 usize = _IOC_SIZE(cmd);

	if (IS_ERR(q))
		return kipc_bcast_ioctl(file, cmd, uarg, false);
	switch (KIPC_IOC_NOSIZE(cmd)) {
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEND):
		return kq_ioctl_send(file, q, uarg, usize);
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECV):
		return kq_ioctl_recv(file, q, uarg, usize);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEND_BATCH):
		return kq_ioctl_batch(file, q, uarg, usize, true);
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECV_BATCH):
		return kq_ioctl_batch(file, q, uarg, usize, false);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SENDRECV):
		return kq_ioctl_sendrecv(file, q, uarg, usize);
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECVMSG):
		return kq_ioctl_recvmsg(file, q, uarg, usize, false);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SENDMSG):
		return kq_ioctl_sendmsg(file, q, uarg, usize, false);
	default:
		return -ENOTTY;
	}
}

/**
 * kipc_queue_cmd() - a queue's send and receive commands, for io_uring
 * @file: the file
 * @cmd: the command, as kipc_queue_ioctl() takes it
 * @uarg: its argument
 * @nonblock: fail with -EAGAIN rather than sleep, whatever the file and
 *	the call's flags say (issued inline or by the SQPOLL thread)
 *
 * Return: as kipc_queue_ioctl(); -ENOTTY for commands io_uring does not run.
 */
long kipc_queue_cmd(struct file *file, unsigned int cmd, void __user *uarg,
		    bool nonblock)
{
	struct kipc_queue *q = kq_from_file(file);
	u32 usize = _IOC_SIZE(cmd);

	if (IS_ERR(q))
		return kipc_bcast_ioctl(file, cmd, uarg, nonblock);
	switch (KIPC_IOC_NOSIZE(cmd)) {
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEND):
		return kq_cmd_send(file, q, uarg, usize, nonblock);
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECV):
		return kq_cmd_recv(file, q, uarg, usize, nonblock);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEND_BATCH):
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECV_BATCH):
		return kq_cmd_batch(file, q, uarg, usize,
				    KIPC_IOC_NOSIZE(cmd) == KIPC_IOC_NOSIZE(KIPC_IOC_SEND_BATCH),
				    nonblock);
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECVMSG):
		return kq_ioctl_recvmsg(file, q, uarg, usize, nonblock);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SENDMSG):
		return kq_ioctl_sendmsg(file, q, uarg, usize, nonblock);
	default:
		return -ENOTTY;
	}
}

/* --- creation, stats and release --- */

/* The module parameters' rules for a queue's limits. */
static int kq_check_limits(u32 maxmsg, u32 msgsize)
{
	size_t bytes;

	if (!maxmsg || maxmsg > min(READ_ONCE(msg_max), KIPC_HARD_MSG_MAX))
		return -EINVAL;
	if (!msgsize || msgsize > min(READ_ONCE(msgsize_max), KIPC_HARD_MSGSIZE_MAX))
		return -EINVAL;
	if (check_mul_overflow((size_t)maxmsg, (size_t)msgsize, &bytes))
		return -EOVERFLOW;
	if (bytes > READ_ONCE(queue_bytes_max))
		return -EINVAL;
	return 0;
}

/*
 * Buffers a queue of @maxmsg messages of @msgsize bytes may hold at once:
 * one per message, plus those in flight outside the lock, between a
 * sender's allocation and its link, or a receiver's unlink and the
 * buffer's return. Small buffers move in batches of up to KQ_VEC_CHUNK
 * (a sender takes no more than the room it saw): room for a batch each
 * way and a second sender's. Large ones move one at a time, one spare kept.
 */
static u64 kq_nbufs(u32 maxmsg, u32 msgsize)
{
	u32 slack = msgsize <= KIPC_CACHED_MSGSIZE ? min(maxmsg, 2 * KQ_VEC_CHUNK) : 1;

	return (u64)maxmsg + slack;
}

/* The message memory a queue reserves; with its struct, its budget charge. */
static u64 kq_reservation(u32 maxmsg, u32 msgsize, unsigned int ext_bytes)
{
	return kq_nbufs(maxmsg, msgsize) *
	       kq_footprint(kq_buf_len(ext_bytes, msgsize));
}

/* The extension of a queue's messages: only KIPC_QUEUE_FDS has room for files. */
static unsigned int kq_ext_bytes(u32 options)
{
	if (!options)
		return 0;
	return sizeof(struct kq_msg_ext) +
	       (options & KIPC_QUEUE_FDS ? sizeof(struct kq_fds) : 0);
}

static struct kipc_obj *kq_create(const void *arg)
{
	const struct kq_params *p = arg;
	u32 maxmsg = p->maxmsg ?: min(READ_ONCE(msg_default), READ_ONCE(msg_max));
	u32 msgsize = p->msgsize ?: min(READ_ONCE(msgsize_default), READ_ONCE(msgsize_max));
	unsigned int ext_bytes = kq_ext_bytes(p->options);
	u64 mem_max = kq_reservation(maxmsg, msgsize, ext_bytes);
	struct kipc_charge charge;
	struct kipc_queue *q;
	int err;

	err = kq_check_limits(maxmsg, msgsize);
	if (err)
		return ERR_PTR(err);
	if (p->options & KIPC_QUEUE_BROADCAST)
		return kipc_bcast_create(maxmsg, msgsize, p->send_lowat, p->options, p->who);
	if (p->send_lowat > maxmsg || (p->options & ~KQ_OPTIONS_BUILT))
		return ERR_PTR(-EINVAL);
	/* The spare node is the queue's own, as its struct is. */
	err = kipc_charge(&charge, p->who, KIPC_CHARGE_QUEUE,
			  sizeof(*q) + KQ_NODE_BYTES + mem_max);
	if (err)
		return ERR_PTR(err);

	q = kzalloc(sizeof(*q), GFP_KERNEL_ACCOUNT);
	if (!q) {
		kipc_uncharge(&charge);
		return ERR_PTR(-ENOMEM);
	}
	q->obj.charge = charge;
	init_waitqueue_head(&q->wq);
	q->hi = RB_ROOT_CACHED;
	init_waitqueue_head(&q->memwq);
	mutex_init(&q->resize_lock);
	q->maxmsg = maxmsg;
	q->msgsize = msgsize;
	q->send_lowat = max(p->send_lowat, 1U);
	q->cached_size = msgsize <= KIPC_CACHED_MSGSIZE ? msgsize : 0;
	q->options = p->options;
	q->ext_bytes = ext_bytes;
	if (q->options)
		static_branch_inc(&kq_options_used);
	kq_calls_init(&q->calls);
	q->buf_bytes = kq_footprint(kq_buf_len(ext_bytes, msgsize));
	q->mem_max = mem_max;
	q->memcg = get_mem_cgroup_from_mm(current->mm);
	return &q->obj;
}

/* A queued message goes with its queue, never received. */
static void kq_msg_drop(struct kipc_queue *q, struct kipc_qmsg *msg)
{
	if (q->ext_bytes)
		kq_ext_put_many(q, &msg, 1);
	kq_msg_release(q, msg);
}

static void kq_free(struct kipc_obj *obj)
{
	struct kipc_queue *q = to_queue(obj);
	struct kq_pnode *node, *nnode;
	struct kipc_qmsg *msg, *next;
	int i;

	trace_kipc_queue_drop(obj->id, q->curmsgs, KIPC_TRACE_DROP_DESTROYED);
	/* The highest tree priority's FIFO is fifo[KQ_NLIST], not its node's. */
	if (q->hi.rb_leftmost)
		rb_entry(q->hi.rb_leftmost, struct kq_pnode, rb)->f.head = NULL;
	for (i = 0; i <= KQ_NLIST; i++)
		for (msg = q->fifo[i].head; msg; msg = next) {
			next = msg->next;
			kq_msg_drop(q, msg);
		}
	rbtree_postorder_for_each_entry_safe(node, nnode, &q->hi.rb_root, rb) {
		for (msg = node->f.head; msg; msg = next) {
			next = msg->next;
			kq_msg_drop(q, msg);
		}
		kfree(node);
	}
	kfree(q->node_spare);
	for (msg = q->free; msg; msg = next) {
		next = msg->next;
		kq_msg_release(q, msg);
	}
	if (q->spare)
		kq_msg_release(q, q->spare);
	/* Clients and parked calls hold a file, hence the queue. */
	kq_calls_free(&q->calls);
	WARN_ON_ONCE(!list_empty(&q->calls.live) || atomic_read(&q->calls.nr));
	/* Destroyed: its registration ends. */
	if (q->notify)
		kipc_notify_reg_free(q->notify);
	WARN_ON_ONCE(atomic_long_read(&q->mem));
	mem_cgroup_put(q->memcg);
	mutex_destroy(&q->resize_lock);
	/* Process context: the last put holds kipc_registry_lock, a mutex. */
	if (q->options)
		static_branch_dec(&kq_options_used);
	kfree(q);
}

static void kq_fill_stats(struct kipc_obj *obj, struct kipc_stats *st)
{
	struct kipc_queue *q = to_queue(obj);

	spin_lock_irq(&q->wq.lock);
	st->maxmsg = q->maxmsg;
	st->msgsize = q->msgsize;
	st->send_lowat = q->send_lowat;
	st->options = q->options;
	st->curmsgs = q->curmsgs;
	st->hwm = q->hwm;
	st->bytes = q->bytes;
	st->sent = q->sent;
	st->received = q->received;
	st->send_waits = q->send_waits;
	st->recv_waits = q->recv_waits;
	spin_unlock_irq(&q->wq.lock);
}

static u64 kq_mem_bytes(struct kipc_obj *obj)
{
	struct kipc_queue *q = to_queue(obj);

	return sizeof(struct kipc_queue) + atomic_long_read(&q->mem) +
	       kq_calls_mem(&q->calls);
}

/**
 * kipc_queue_check_maxmsg() - may a queue's capacity change to @maxmsg?
 * @obj: a queue
 * @maxmsg: the new capacity
 *
 * Return: 0, or -EINVAL/-EOVERFLOW as for a new queue of that capacity.
 */
int kipc_queue_check_maxmsg(struct kipc_obj *obj, u32 maxmsg)
{
	return kq_check_limits(maxmsg, to_queue(obj)->msgsize);
}

/**
 * kipc_queue_set_maxmsg() - change a queue's capacity
 * @obj: a queue
 * @maxmsg: the new capacity, checked by kipc_queue_check_maxmsg()
 * @who: who asks (its CAP_SYS_RESOURCE passes the budget limits)
 *
 * Messages already queued stay; a smaller capacity only makes senders wait
 * until the queue drains below it. A larger one reserves more of the
 * creator's budget first; a smaller one keeps the reservation, which
 * buffers already allocated may still use.
 *
 * Return: 0; -EDQUOT, -ENOSPC or -ENOMEM (budget.c), changing nothing.
 */
int kipc_queue_set_maxmsg(struct kipc_obj *obj, u32 maxmsg,
			  const struct kipc_who *who)
{
	struct kipc_queue *q = to_queue(obj);
	u64 mem_max = kq_reservation(maxmsg, q->msgsize, q->ext_bytes);
	unsigned int room;
	int err;

	mutex_lock(&q->resize_lock);
	if (mem_max > q->mem_max) {
		err = kipc_charge_more(&obj->charge, who, mem_max - q->mem_max);
		if (err) {
			mutex_unlock(&q->resize_lock);
			return err;
		}
		WRITE_ONCE(q->mem_max, mem_max);
	}
	spin_lock_irq(&q->wq.lock);
	WRITE_ONCE(q->maxmsg, maxmsg);
	/*
	 * One wake-up per message that fits now, in arrival order: waking
	 * them all would send those that find no room back to the head of
	 * the line one after another, reversing their order.
	 */
	room = kq_room_wakes(q->curmsgs, maxmsg, q->send_lowat) ?
	       maxmsg - q->curmsgs : 0;
	for (room = min(room, kq_room_waiters(q)); room; room--)
		wake_up_locked_poll(&q->wq, EPOLLOUT | EPOLLWRNORM);
	spin_unlock_irq(&q->wq.lock);
	mutex_unlock(&q->resize_lock);
	/* And so do those waiting for memory: there may be more now. */
	wake_up_all(&q->memwq);
	return 0;
}

/* Detach the registration if @fn says so; the caller frees it. */
static struct kipc_notify_reg *kq_notify_take(struct kipc_queue *q,
					      bool (*fn)(const struct kipc_notify_reg *reg))
{
	struct kipc_notify_reg *reg = NULL;

	spin_lock_irq(&q->wq.lock);
	if (q->notify && fn(q->notify)) {
		reg = q->notify;
		WRITE_ONCE(q->notify, NULL);
	}
	spin_unlock_irq(&q->wq.lock);
	return reg;
}

/*
 * Any close of a descriptor of the queue by the registration's owner ends
 * the registration, as mqueue_flush_file() does: ->flush() runs in the
 * closing process (close(2), dup2() over it, exit), so a child that closes
 * a descriptor it inherited ends nothing of its parent's.
 */
static void kq_flush(struct kipc_obj *obj, struct file *file, fl_owner_t id)
{
	struct kipc_queue *q = to_queue(obj);
	struct kipc_notify_reg *reg;

	/* The requests this process took through @file will not be answered. */
	if (q->options & KIPC_QUEUE_TRACK)
		kq_calls_flush(&q->calls, &q->wq.lock, file, id);
	if (!READ_ONCE(q->notify))
		return;
	reg = kq_notify_take(q, kipc_notify_owned);
	if (reg)
		kipc_notify_reg_free(reg);
}

/**
 * kipc_queue_notify_ioctl() - %KIPC_IOC_NOTIFY
 * @file: a file bound to a queue, opened for anything (as mq_notify(3))
 * @uarg: struct kipc_notify
 * @usize: the size the caller's command encodes
 *
 * Return: 0; -EBADFD (unbound file); -EINVAL (not a queue, unknown @how,
 * non-zero @__reserved, or a @channel_fd that is not a channel); -EBADF
 * (@channel_fd is not an open /dev/kipc file); -EBUSY (the queue has a
 * registration); -EFAULT, -E2BIG as kipc_get_arg(); -ENOMEM.
 */
long kipc_queue_notify_ioctl(struct file *file, struct kipc_notify __user *uarg,
			     u32 usize)
{
	struct kipc_queue *q = kq_from_file(file);
	struct kipc_notify_reg *reg, *old = NULL;
	struct kipc_notify n;
	int ret;

	if (IS_ERR(q))
		return PTR_ERR(q);
	ret = kipc_get_arg(&n, sizeof(n), KIPC_NOTIFY_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	if (n.__reserved)
		return -EINVAL;
	switch (n.how) {
	case KIPC_NOTIFY_REMOVE:
		/* Another process's registration is not ours to end: no error. */
		reg = kq_notify_take(q, kipc_notify_owned);
		if (reg)
			kipc_notify_reg_free(reg);
		return 0;
	case KIPC_NOTIFY_NONE:
	case KIPC_NOTIFY_CHANNEL:
		break;
	default:
		return -EINVAL;
	}
	reg = kipc_notify_reg_new(&n, q->obj.id);
	if (IS_ERR(reg))
		return PTR_ERR(reg);
	ret = 0;
	spin_lock_irq(&q->wq.lock);
	/* One whose owner exited before its registering call returned is gone. */
	if (q->notify && kipc_notify_stale(q->notify))
		old = q->notify;
	else if (q->notify)
		ret = -EBUSY;
	if (!ret)
		WRITE_ONCE(q->notify, reg);
	spin_unlock_irq(&q->wq.lock);
	if (old)
		kipc_notify_reg_free(old);
	if (ret)
		kipc_notify_reg_free(reg);
	return ret;
}

/*
 * A file's last reference goes: the requests it holds will not be
 * answered; nor, if it was the last that could receive, those queued.
 * Only a tracking queue counts its readers: options never change.
 */
static void kq_release(struct kipc_obj *obj, struct file *file)
{
	struct kipc_queue *q = to_queue(obj);

	if (q->options & KIPC_QUEUE_TRACK)
		kq_calls_release(&q->calls, &q->wq.lock, file);
}

const struct kipc_obj_ops kipc_queue_ops = {
	.type		= KIPC_TYPE_QUEUE,
	.free		= kq_free,
	.fill_stats	= kq_fill_stats,
	.mem_bytes	= kq_mem_bytes,
	.flush		= kq_flush,
	.release	= kq_release,
};

/**
 * kipc_queue_get_or_create() - a named queue for the control plane
 * @req: checked request
 * @maxmsg: capacity of a new queue, 0 for the default
 * @msgsize: largest message of a new queue, 0 for the default
 * @send_lowat: send low-water mark of a new queue, 0 for 1
 * @options: %KIPC_QUEUE_* options of a new queue
 *
 * Return: the queue with a reference, or an ERR_PTR as
 * kipc_obj_get_or_create() gives.
 */
struct kipc_obj *kipc_queue_get_or_create(const struct kipc_open_req *req,
					  u32 maxmsg, u32 msgsize, u32 send_lowat,
					  u32 options)
{
	struct kq_params p = {
		.maxmsg = maxmsg,
		.msgsize = msgsize,
		.send_lowat = send_lowat,
		.options = options,
		.who = req->who,
	};

	return kipc_obj_get_or_create(req, 0, &kipc_queue_ops, kq_create, &p);
}

/**
 * kipc_queue_open_ioctl() - %KIPC_IOC_QUEUE_OPEN
 * @file: an unbound file
 * @uarg: struct kipc_queue_open
 * @usize: the size the caller's command encodes
 *
 * Return: 0, or an errno as kipc_obj_open() and kq_create() give.
 */
long kipc_queue_open_ioctl(struct file *file, struct kipc_queue_open __user *uarg,
			   u32 usize)
{
	struct kipc_open_req req;
	struct kipc_queue_open qo;
	struct kipc_queue *q;
	struct kq_params p;
	struct kipc_who who;
	int ret;

	ret = kipc_get_arg(&qo, sizeof(qo), KIPC_QUEUE_OPEN_SIZE_VER0, uarg,
			   usize);
	if (ret)
		return ret;
	kipc_who_init_file(&who, file);
	ret = kipc_open_req_init(&req, &who, qo.flags, qo.mode, qo.name);
	if (ret)
		return ret;
	p.maxmsg = qo.maxmsg;
	p.msgsize = qo.msgsize;
	p.send_lowat = qo.send_lowat;
	p.options = qo.options;
	p.who = &who;
	if (qo.__reserved)
		return -EINVAL;
	ret = kipc_obj_open(file, &req, &kipc_queue_ops, kq_create, &p);
	if (ret)
		return ret;
	q = kq_from_file(file);
	/* Who can still receive a tracked request (kq_release()). */
	if (!IS_ERR(q) && (q->options & KIPC_QUEUE_TRACK) && (file->f_mode & FMODE_READ))
		kq_calls_reader(&q->calls, &q->wq.lock);
	return 0;
}
