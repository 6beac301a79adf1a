// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - the semaphores of a shared buffer, and undo on close.
 *
 * Where the counts live: each semaphore's count is the @value of its
 * struct kipc_sem_ctl in the buffer's control area, which userspace maps.
 * Userspace waits and posts with compare-and-swap on it and enters the
 * kernel only to sleep (KIPC_IOC_SEM_WAIT) or, when the slot's @waiters is
 * non-zero, to wake (KIPC_IOC_SEM_POST, count 0). The protocol, in the
 * terms of Documentation/shbuf.rst:
 *
 *   poster (user):  CAS value += n;  [full barrier]  if (waiters) ioctl(wake)
 *   sleeper (here): waiters = nwait; smp_mb();       try to take from value
 *
 * Either the poster sees the sleeper's @waiters and calls in, or the sleeper
 * sees the poster's units: a Dekker pair, so no wake-up is lost.
 *
 * The control area is untrusted. The kernel reads and changes @value only
 * with single atomic instructions on its own mapping of the page (vmap):
 * a take is fetch_sub and, if there was not enough, add back; a post is
 * fetch_add and, past KIPC_SEM_VALUE_MAX, subtract back. No loop ever runs
 * on a value read from the page and no value read from it is used as a
 * size, index or pointer; @waiters is written by the kernel and never read.
 * The kernel's own truth is in struct kipc_ksem. While sb->lock is held a
 * value may be off for an instant (a failed take or post being undone);
 * userspace only ever sees such a transient as "not available now" and
 * enters the kernel, which then waits for sb->lock. So a process that
 * scribbles on the page can make its peers' semaphores wrong, never the
 * kernel.
 *
 * Waiting: sleepers queue on their semaphore's FIFO list (single waits) or
 * on sb->complex (KIPC_IOC_SEMOP). Units are handed off under sb->lock:
 * whoever makes units available (a post, a waiter that leaves, an undo)
 * takes them out of @value for the oldest waiters that can be satisfied,
 * marks each done and wakes it. A single wait never jumps the queue of
 * its semaphore in the kernel; the userspace fast path can (no convoys),
 * as POSIX allows. SEMOP waiters are served after the single waiters of
 * each semaphore, in arrival order, skipping those that cannot go yet.
 *
 * Lifetime of a woken waiter: its struct ks_waiter lives on its own stack,
 * and it reads @done only under sb->lock; the waker marks it done and
 * calls wake_up_process() under that same lock, so neither the waiter's
 * stack nor its task can go away under the waker (no wake_q needed).
 *
 * Undo: an operation flagged KIPC_SEM_UNDO records its units in a ks_undo
 * record keyed by (file, current->files, thread-group pid): the file it
 * came through, the POSIX-lock owner of the descriptor, and the process,
 * whose struct pid the record pins. ->flush() runs on every close of a
 * descriptor (close, dup2 over it, exit, exec of O_CLOEXEC descriptors)
 * with the closing table as owner: the owner's records for the file give
 * their units back, and those no operation is using are freed. As with
 * POSIX locks, closing any descriptor of the file in the owning process
 * releases the process's record. ->release() gives back and frees
 * whatever is left on the file.
 *
 * The race with close: close removes the descriptor from the table before
 * ->flush() runs, while an ioctl that looked it up earlier holds the file;
 * so an operation (a sleeper granted later, or one that makes its record
 * only now) may record units after the owner's last flush of the file.
 * Nothing would then give them back before the file's last release, which
 * a peer holding the file (fork, SCM_RIGHTS) can put off for ever. So
 * every ->flush() counts in sb->flushes, and an operation that made its
 * record, or that sees the count move while it used the record, looks in
 * its own descriptor table (iterate_fd(), under the table's file_lock,
 * which close takes to remove a descriptor) when it ends: if no descriptor
 * of the file is left, it gives the record back at once and retires it
 * (@dead: no longer found, given back again by each user as it leaves,
 * freed by the last); if one is left, that descriptor's close will. This
 * is how fcntl_setlk() recovers from the same race. A record therefore
 * never outlives its owner's use of the file, and the pinned pid keeps a
 * process whose descriptor table lands at a freed table's address from
 * finding a record that is not its own. The look costs one walk of the
 * caller's descriptor table, once per record made and after closes of
 * the buffer's files; it runs without sb->lock. No unexported symbol is
 * needed (there is no exported task-exit notifier in 6.1).
 *
 * Locking: sb->lock (a spinlock, never taken from interrupts) guards the
 * wait lists, nwait counts, undo records and the counters. Nothing under
 * it touches user memory, allocates or sleeps. It is not held for longer
 * than one pass over the SEMOP waiters: releasing W of them one after the
 * other (each one's posts letting an older one go) takes W passes, and
 * ks_grant_complex() lets sb->lock go between two passes when another task
 * wants it or the CPU (cond_resched_lock()). So ks_grant_complex() and its
 * callers (ks_after_posts(), ks_wake(), ks_do(), the undo flush and
 * release) may sleep, and keep no pointer across it that another holder
 * of sb->lock could unlink or free: a waiter is re-found from the list
 * head, an undo record is done with before the call. Each pass costs one
 * read per waiter still short of the units its last failed take wanted
 * (struct ks_waiter @blk_need), and the full operations only for the
 * others.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/minmax.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "shbuf.h"
#include "trace/kipc.h"

/**
 * struct ks_undo - units a process took (or gave) with %KIPC_SEM_UNDO
 * @link: entry in sb->undos
 * @file: the file the operations came through; compared, never used
 * @owner: current->files of the process; compared, never dereferenced
 * @tgid: the process's thread-group pid, pinned: no other process can
 *	have it while the record exists, so a record is never found by a
 *	process whose descriptor table took @owner's address after it
 * @users: operations under way that account into it
 * @dead: given back for good: no longer found; its last user gives back
 *	what was added since and frees it
 * @charge: its size, charged to the file's opener (budget.c): a process
 *	per record, so a user forking many of them pays for them
 * @adj: per semaphore, units to give back (> 0) or take back (< 0)
 */
struct ks_undo {
	struct list_head link;
	struct file *file;
	fl_owner_t owner;
	struct pid *tgid;
	unsigned int users;
	bool dead;
	struct kipc_charge charge;
	s64 adj[];
};

/**
 * struct ks_undo_ref - an operation's use of its undo record
 * @u: the record, with a use counted
 * @flushes: sb->flushes when the operation found it
 * @made: the operation made it
 */
struct ks_undo_ref {
	struct ks_undo *u;
	u64 flushes;
	bool made;
};

/**
 * struct ks_waiter - a task asleep in a semaphore operation
 * @link: entry in its semaphore's list or sb->complex
 * @task: the task to wake
 * @ops: the operations, checked
 * @nops: how many
 * @undo: undo record, if an operation has %KIPC_SEM_UNDO
 * @blk_sem: a %KIPC_IOC_SEMOP waiter's operations last failed at a take
 *	from this semaphore ...
 * @blk_need: ... and cannot go while its value is below this (the take,
 *	less what the operations before it add to that semaphore); exact,
 *	not a guess (ks_blocked())
 * @done: set under sb->lock once @result is final
 * @result: 0, or -EOVERFLOW for a post that no longer fits
 */
struct ks_waiter {
	struct list_head link;
	struct task_struct *task;
	const struct kipc_sembuf *ops;
	u32 nops;
	struct ks_undo *undo;
	u32 blk_sem;
	s64 blk_need;
	bool done;
	int result;
};

/* How a caller is prepared to wait. */
struct ks_wait {
	bool nonblock;
	bool has_deadline;
	ktime_t deadline;
};

/* --- the control area --- */

static atomic_t *ks_val(struct kipc_shbuf *sb, u32 idx)
{
	return (atomic_t *)&sb->ctl[idx].value;
}

/* Take @n units if there are as many; one fetch_sub, maybe one add back. */
static bool ks_take(atomic_t *v, u32 n)
{
	int old = atomic_fetch_sub(n, v);

	if (old >= 0 && (u32)old >= n)
		return true;
	atomic_add(n, v);
	return false;
}

/* Add @n units unless the value would pass KIPC_SEM_VALUE_MAX. */
static bool ks_give(atomic_t *v, u32 n)
{
	int old = atomic_fetch_add(n, v);

	if ((s64)old + n <= KIPC_SEM_VALUE_MAX)
		return true;
	atomic_sub(n, v);
	return false;
}

/* Undo's give-back: add up to @n units, stopping at the maximum. */
static void ks_give_clamped(atomic_t *v, u32 n)
{
	s64 over = (s64)atomic_fetch_add(n, v) + n - KIPC_SEM_VALUE_MAX;

	if (over > 0)
		atomic_sub(min_t(s64, over, n), v);
}

/* Undo's take-back: take up to @n units, stopping at zero. */
static void ks_take_clamped(atomic_t *v, u32 n)
{
	s64 old = atomic_fetch_sub(n, v);

	if (old < n)
		atomic_add(n - max_t(s64, old, 0), v);
}

/* Mirror the kernel's count of sleepers into the slot, for posters. */
static void ks_publish_waiters(struct kipc_shbuf *sb, u32 idx)
{
	WRITE_ONCE(sb->ctl[idx].waiters, sb->sems[idx].nwait);
}

/**
 * ks_sem_value() - a semaphore's value, for reports
 * @sb: the buffer
 * @idx: a valid index
 *
 * Return: the value in the control slot, clamped to 0 .. KIPC_SEM_VALUE_MAX.
 */
u32 ks_sem_value(struct kipc_shbuf *sb, u32 idx)
{
	return clamp(atomic_read(ks_val(sb, idx)), 0, KIPC_SEM_VALUE_MAX);
}

/* --- applying operations, under sb->lock --- */

/*
 * Operation @bad of @w, a take, found too few units: note what @w needs
 * before it is worth trying again. The take at @bad sees the value the
 * semaphore had before @w's operations plus what the earlier ones added
 * to it (posts) or took; so it fails exactly while that value is below
 * the take less that net change. The operations before @bad failing too
 * only keeps @w waiting longer.
 */
static void ks_note_block(struct ks_waiter *w, u32 bad)
{
	const struct kipc_sembuf *ops = w->ops;
	s64 need = -(s64)ops[bad].delta;
	u32 i;

	for (i = 0; i < bad; i++)
		if (ops[i].sem == ops[bad].sem)
			need -= ops[i].delta;
	w->blk_sem = ops[bad].sem;
	w->blk_need = need;
}

/*
 * All of @ops or none. Return: 0, -EAGAIN (a take must wait), -EOVERFLOW.
 * On -EAGAIN, the waiter @blk whose @ops these are, if not NULL, notes the
 * take that failed (ks_note_block()).
 */
static int __ks_apply(struct kipc_shbuf *sb, const struct kipc_sembuf *ops,
		      u32 nops, struct ks_undo *undo, struct ks_waiter *blk)
{
	int ret = 0;
	u32 i;

	lockdep_assert_held(&sb->lock);
	for (i = 0; i < nops; i++) {
		atomic_t *v = ks_val(sb, ops[i].sem);

		if (ops[i].delta < 0 && !ks_take(v, -ops[i].delta)) {
			ret = -EAGAIN;
			break;
		}
		if (ops[i].delta > 0 && !ks_give(v, ops[i].delta)) {
			ret = -EOVERFLOW;
			break;
		}
	}
	if (ret) {
		if (blk && ret == -EAGAIN)
			ks_note_block(blk, i);
		while (i--) {
			if (ops[i].delta < 0)
				atomic_add(-ops[i].delta, ks_val(sb, ops[i].sem));
			else
				atomic_sub(ops[i].delta, ks_val(sb, ops[i].sem));
		}
		return ret;
	}
	if (undo)
		for (i = 0; i < nops; i++)
			if (ops[i].flags & KIPC_SEM_UNDO)
				undo->adj[ops[i].sem] -= ops[i].delta;
	return 0;
}

/* The single waits' apply: nothing to note. */
static int ks_apply(struct kipc_shbuf *sb, const struct kipc_sembuf *ops,
		    u32 nops, struct ks_undo *undo)
{
	return __ks_apply(sb, ops, nops, undo, NULL);
}

/* A SEMOP waiter's apply: on -EAGAIN, note what it waits for. */
static int ks_apply_semop(struct kipc_shbuf *sb, struct ks_waiter *w)
{
	return __ks_apply(sb, w->ops, w->nops, w->undo, w);
}

/*
 * Whether SEMOP waiter @w surely cannot go yet: the take it failed at last
 * still lacks units. One read of the control slot instead of up to
 * %KIPC_SEMOP_MAX atomic takes and their undoing. The value read is only
 * compared; a scribbled one can only make the full try run (it then fails
 * and notes again) or skip a waiter that the full try would fail too.
 */
static bool ks_blocked(struct kipc_shbuf *sb, const struct ks_waiter *w)
{
	return atomic_read(ks_val(sb, w->blk_sem)) < w->blk_need;
}

/* Count @w as a sleeper on the semaphores it takes from (@d = 1 or -1). */
static void ks_nwait(struct kipc_shbuf *sb, const struct ks_waiter *w, int d)
{
	u32 i;

	for (i = 0; i < w->nops; i++) {
		if (w->ops[i].delta < 0) {
			sb->sems[w->ops[i].sem].nwait += d;
			ks_publish_waiters(sb, w->ops[i].sem);
		}
	}
}

static void ks_waiter_done(struct kipc_shbuf *sb, struct ks_waiter *w, int result)
{
	list_del_init(&w->link);
	ks_nwait(sb, w, -1);
	w->result = result;
	w->done = true;
	sb->wakeups++;
	/* Under sb->lock, which @w's task takes before it may leave. */
	wake_up_process(w->task);
}

/* Hand units of semaphore @idx to its single waiters, oldest first. */
static void ks_grant_simple(struct kipc_shbuf *sb, u32 idx)
{
	struct ks_waiter *w, *tmp;

	list_for_each_entry_safe(w, tmp, &sb->sems[idx].waiters, link) {
		if (ks_apply(sb, w->ops, w->nops, w->undo))
			break;
		ks_waiter_done(sb, w, 0);
	}
}

static void ks_grant_complex(struct kipc_shbuf *sb) __must_hold(&sb->lock);

/*
 * After @ops added units: let the waiters of those semaphores go. May drop
 * and retake sb->lock (ks_grant_complex()).
 */
static void ks_after_posts(struct kipc_shbuf *sb, const struct kipc_sembuf *ops,
			   u32 nops)
	__must_hold(&sb->lock)
{
	bool posted = false;
	u32 i;

	for (i = 0; i < nops; i++) {
		if (ops[i].delta > 0) {
			ks_grant_simple(sb, ops[i].sem);
			posted = true;
		}
	}
	if (posted)
		ks_grant_complex(sb);
}

/*
 * Serve the SEMOP waiters in arrival order, skipping those that cannot go.
 * One that posts may let an earlier one go: start over. Every round ends
 * a waiter, so this ends.
 *
 * The cost is bounded two ways. A waiter that still lacks the units it
 * failed at last is skipped with one read (ks_blocked()), so a round costs
 * O(waiters), not O(waiters x operations). And between rounds, where every
 * waiter is either on the list or done and nothing points into the list,
 * sb->lock is dropped if another task wants the CPU or the lock
 * (cond_resched_lock()): W waiters released one by one cost O(W^2) reads,
 * but the lock is never held for more than one round. So callers must hold
 * no pointer across this call that a holder of sb->lock could free or
 * unlink (an undo record, an entry of a list they walk).
 */
static void ks_grant_complex(struct kipc_shbuf *sb)
	__must_hold(&sb->lock)
{
	struct ks_waiter *w, *tmp;
	bool posted;
	int ret;
	u32 i;

again:
	list_for_each_entry_safe(w, tmp, &sb->complex, link) {
		if (ks_blocked(sb, w))
			continue;
		ret = ks_apply_semop(sb, w);
		if (ret == -EAGAIN)
			continue;
		ks_waiter_done(sb, w, ret);
		if (ret)
			continue;
		posted = false;
		for (i = 0; i < w->nops; i++) {
			if (w->ops[i].delta > 0) {
				ks_grant_simple(sb, w->ops[i].sem);
				posted = true;
			}
		}
		if (posted) {
			/* @w is not looked at again; @tmp is not used. */
			cond_resched_lock(&sb->lock);
			goto again;
		}
	}
}

/*
 * Units of semaphore @idx may have become available: serve its waiters.
 * May drop and retake sb->lock (ks_grant_complex()).
 */
static void ks_wake(struct kipc_shbuf *sb, u32 idx)
	__must_hold(&sb->lock)
{
	ks_grant_simple(sb, idx);
	if (!list_empty(&sb->complex))
		ks_grant_complex(sb);
}

/* --- sleeping --- */

/* Sleep until @w is done; called and returns with sb->lock held. */
static int ks_sleep(struct kipc_shbuf *sb, struct ks_waiter *w,
		    const struct ks_wait *wt)
	__must_hold(&sb->lock)
{
	bool timed_out = false;
	int ret;

	for (;;) {
		/* A grant wins over a signal or a timeout that came with it. */
		if (w->done)
			return w->result;
		if (signal_pending(current)) {
			/* Nothing was taken: restarting repeats the call exactly. */
			ret = -ERESTARTSYS;
			break;
		}
		if (timed_out) {
			ret = -ETIMEDOUT;
			break;
		}
		/* Before the unlock: a grant after it wakes us from schedule(). */
		set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock(&sb->lock);
		if (wt->has_deadline) {
			ktime_t expires = wt->deadline;

			timed_out = !schedule_hrtimeout_range(&expires,
							      current->timer_slack_ns,
							      HRTIMER_MODE_ABS);
		} else {
			schedule();
		}
		spin_lock(&sb->lock);
	}
	list_del_init(&w->link);
	ks_nwait(sb, w, -1);
	/* We may have been the head that held others back. */
	if (w->nops == 1)
		ks_grant_simple(sb, w->ops[0].sem);
	return ret;
}

/* Apply @w's operations now, or queue and sleep until they can be. */
static int ks_do(struct kipc_shbuf *sb, struct ks_waiter *w,
		 const struct ks_wait *wt)
{
	bool simple = w->nops == 1 && w->ops[0].delta < 0;
	struct list_head *queue;
	u64 start;
	int ret;

	queue = simple ? &sb->sems[w->ops[0].sem].waiters : &sb->complex;
	spin_lock(&sb->lock);
	/* A single wait does not pass older sleepers of its semaphore. */
	if (!simple || list_empty(queue)) {
		ret = simple ? ks_apply(sb, w->ops, w->nops, w->undo) :
			       ks_apply_semop(sb, w);
		if (ret != -EAGAIN) {
			if (!ret)
				ks_after_posts(sb, w->ops, w->nops);
			goto out_unlock;
		}
	}
	ret = -EAGAIN;
	if (wt->nonblock)
		goto out_unlock;
	ret = -EINVAL;
	if (wt->has_deadline && wt->deadline < 0)
		goto out_unlock;

	w->task = current;
	w->done = false;
	list_add_tail(&w->link, queue);
	ks_nwait(sb, w, 1);
	sb->waits++;
	/*
	 * @waiters is published before the values are read again: a poster
	 * that added units before it could see @waiters is seen here.
	 */
	smp_mb();
	if (simple)
		ks_grant_simple(sb, w->ops[0].sem);
	else
		ks_grant_complex(sb);	/* may drop sb->lock: @w may be done */
	start = kipc_trace_sem_start();
	trace_kipc_sem_block(sb->obj.id, w->ops[0].sem, w->nops);
	ret = ks_sleep(sb, w, wt);
	trace_kipc_sem_wake(sb->obj.id, w->ops[0].sem, ret, start);
out_unlock:
	spin_unlock(&sb->lock);
	return ret;
}

/* --- undo records --- */

static void ks_undo_free(struct ks_undo *u)
{
	if (!u)
		return;
	put_pid(u->tgid);
	kipc_uncharge(&u->charge);
	kvfree(u);
}

static struct ks_undo *ks_undo_find(struct kipc_shbuf *sb, struct file *file,
				    fl_owner_t owner, struct pid *tgid)
{
	struct ks_undo *u;

	list_for_each_entry(u, &sb->undos, link)
		if (u->file == file && u->owner == owner && u->tgid == tgid &&
		    !u->dead)
			return u;
	return NULL;
}

/* Count a use of @u for the caller's operation; under sb->lock. */
static void ks_undo_hold(struct kipc_shbuf *sb, struct ks_undo *u, bool made,
			 struct ks_undo_ref *ref)
{
	lockdep_assert_held(&sb->lock);
	u->users++;
	ref->u = u;
	ref->flushes = sb->flushes;
	ref->made = made;
}

/* The caller's undo record for @file, found or made, with a use counted. */
static int ks_undo_get(struct kipc_shbuf *sb, struct file *file,
		       struct ks_undo_ref *ref)
{
	struct pid *tgid = task_tgid(current);
	fl_owner_t owner = current->files;
	struct ks_undo *u, *new;
	struct kipc_charge charge;
	struct kipc_who who;
	size_t size;
	int err;

	spin_lock(&sb->lock);
	u = ks_undo_find(sb, file, owner, tgid);
	if (u) {
		ks_undo_hold(sb, u, false, ref);
		spin_unlock(&sb->lock);
		return 0;
	}
	spin_unlock(&sb->lock);

	size = struct_size(new, adj, sb->nsems);
	kipc_who_init_file(&who, file);
	err = kipc_charge(&charge, &who, KIPC_CHARGE_BYTES, size);
	if (err)
		return err;
	new = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!new) {
		kipc_uncharge(&charge);
		return -ENOMEM;
	}
	new->charge = charge;
	new->file = file;
	new->owner = owner;
	new->tgid = get_pid(tgid);

	spin_lock(&sb->lock);
	u = ks_undo_find(sb, file, owner, tgid);
	if (u) {
		ks_undo_hold(sb, u, false, ref);
	} else {
		list_add(&new->link, &sb->undos);
		ks_undo_hold(sb, new, true, ref);
		new = NULL;
	}
	spin_unlock(&sb->lock);
	ks_undo_free(new);
	return 0;
}

/*
 * Give back what @u recorded and serve the single waiters that lets go.
 * Return: whether units were given back; the caller then serves the
 * SEMOP waiters (ks_grant_complex()) once it is done with @u.
 */
static bool ks_undo_apply(struct kipc_shbuf *sb, struct ks_undo *u)
{
	bool posted = false;
	s64 adj;
	u32 i;

	lockdep_assert_held(&sb->lock);
	for (i = 0; i < sb->nsems; i++) {
		adj = u->adj[i];
		if (!adj)
			continue;
		u->adj[i] = 0;
		if (adj > 0) {
			ks_give_clamped(ks_val(sb, i), min_t(s64, adj, KIPC_SEM_VALUE_MAX));
			ks_grant_simple(sb, i);
			posted = true;
		} else {
			ks_take_clamped(ks_val(sb, i), min_t(s64, -adj, KIPC_SEM_VALUE_MAX));
		}
	}
	return posted;
}

static int ks_same_file(const void *file, struct file *f, unsigned int fd)
{
	return f == file;
}

/**
 * ks_undo_put() - an operation is done with its undo record
 * @sb: the buffer
 * @file: the file the operation came through
 * @ref: its use of the record
 *
 * A close of this process's last descriptor of @file may have come while
 * the operation held the file (the descriptor is gone from the table
 * before ->flush runs): if the operation made the record, or any ->flush
 * ran since it found it, look in the descriptor table. With no descriptor
 * of @file left, nothing else would give the record back, so do it now,
 * as that close would have, and retire the record; a descriptor still
 * there was not closed yet, and its close will (fs/locks.c fcntl_setlk()
 * recovers from the same race the same way).
 */
static void ks_undo_put(struct kipc_shbuf *sb, struct file *file,
			const struct ks_undo_ref *ref)
{
	struct ks_undo *u = ref->u, *gone = NULL;
	bool held, posted = false;

	spin_lock(&sb->lock);
	if (!u->dead && (ref->made || ref->flushes != sb->flushes)) {
		spin_unlock(&sb->lock);
		/* Under files->file_lock, which close takes to remove a descriptor. */
		held = iterate_fd(current->files, 0, ks_same_file, file);
		spin_lock(&sb->lock);
		if (!held)
			u->dead = true;
	}
	/* A retired record is given back by each of its users as it leaves. */
	if (u->dead)
		posted = ks_undo_apply(sb, u);
	if (!--u->users && u->dead) {
		list_del(&u->link);
		gone = u;
	}
	/* Last: it may drop sb->lock, and @u is not looked at again. */
	if (posted && !list_empty(&sb->complex))
		ks_grant_complex(sb);
	spin_unlock(&sb->lock);
	ks_undo_free(gone);
}

/**
 * ks_undo_flush() - a descriptor of @file was closed by @owner
 * @sb: the buffer @file is bound to
 * @file: the file
 * @owner: the closing process's descriptor table (->flush's id)
 *
 * Gives back the records of @owner for @file (one per process sharing the
 * table) and frees those no operation uses; an operation still under way
 * sees that a flush ran and settles its record when it ends.
 */
void ks_undo_flush(struct kipc_shbuf *sb, struct file *file, fl_owner_t owner)
{
	struct ks_undo *u, *tmp;
	bool posted = false;
	LIST_HEAD(gone);

	spin_lock(&sb->lock);
	sb->flushes++;
	list_for_each_entry_safe(u, tmp, &sb->undos, link) {
		if (u->file != file || u->owner != owner || u->dead)
			continue;
		posted |= ks_undo_apply(sb, u);
		if (!u->users)
			list_move(&u->link, &gone);
	}
	/* After the walk of sb->undos: it may drop sb->lock. */
	if (posted && !list_empty(&sb->complex))
		ks_grant_complex(sb);
	spin_unlock(&sb->lock);
	list_for_each_entry_safe(u, tmp, &gone, link)
		ks_undo_free(u);
}

/**
 * ks_undo_release() - the last reference to @file is going
 * @sb: the buffer @file is bound to
 * @file: the file
 *
 * Gives back whatever is still recorded through @file and frees the records.
 */
void ks_undo_release(struct kipc_shbuf *sb, struct file *file)
{
	struct ks_undo *u, *tmp;
	bool posted = false;
	LIST_HEAD(gone);

	spin_lock(&sb->lock);
	list_for_each_entry_safe(u, tmp, &sb->undos, link) {
		if (u->file != file)
			continue;
		WARN_ON_ONCE(u->users);
		posted |= ks_undo_apply(sb, u);
		list_move(&u->link, &gone);
	}
	/* After the walk of sb->undos: it may drop sb->lock. */
	if (posted && !list_empty(&sb->complex))
		ks_grant_complex(sb);
	spin_unlock(&sb->lock);
	list_for_each_entry_safe(u, tmp, &gone, link)
		ks_undo_free(u);
}

/* --- ioctls --- */

static int ks_sem_index(struct kipc_shbuf *sb, u32 sem, u32 *idx)
{
	if (sem >= sb->nsems)
		return -EINVAL;
	*idx = array_index_nospec(sem, sb->nsems);
	return 0;
}

static void ks_wait_init(struct ks_wait *wt, struct file *file, u32 flags,
			 s64 deadline_ns)
{
	wt->nonblock = (file->f_flags & O_NONBLOCK) || (flags & KIPC_SEM_NONBLOCK);
	wt->has_deadline = flags & KIPC_SEM_DEADLINE;
	wt->deadline = wt->has_deadline ? kipc_deadline_to_host(deadline_ns) : 0;
}

/* Run checked operations, with an undo record if one of them asks. */
static int ks_run(struct file *file, struct kipc_shbuf *sb,
		  const struct kipc_sembuf *ops, u32 nops, const struct ks_wait *wt)
{
	struct ks_waiter w = { .ops = ops, .nops = nops, .blk_need = S64_MIN };
	struct ks_undo_ref ref;
	int ret;
	u32 i;

	INIT_LIST_HEAD(&w.link);
	for (i = 0; i < nops; i++) {
		if (ops[i].flags & KIPC_SEM_UNDO) {
			ret = ks_undo_get(sb, file, &ref);
			if (ret)
				return ret;
			w.undo = ref.u;
			break;
		}
	}
	ret = ks_do(sb, &w, wt);
	if (w.undo)
		ks_undo_put(sb, file, &ref);
	return ret;
}

static long ks_ioctl_wait(struct file *file, struct kipc_shbuf *sb,
			  struct kipc_sem_arg __user *uarg, u32 usize)
{
	struct kipc_sembuf op = {};
	struct kipc_sem_arg a;
	struct ks_wait wt;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = kipc_get_arg(&a, sizeof(a), KIPC_SEM_ARG_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	if (a.flags & ~KIPC_SEM_FLAGS)
		return -EINVAL;
	if (!a.count || a.count > KIPC_SEM_VALUE_MAX)
		return -EINVAL;
	ret = ks_sem_index(sb, a.sem, &op.sem);
	if (ret)
		return ret;
	op.delta = -(s32)a.count;
	op.flags = a.flags & KIPC_SEM_UNDO;
	ks_wait_init(&wt, file, a.flags, a.deadline_ns);
	return ks_run(file, sb, &op, 1, &wt);
}

static long ks_ioctl_post(struct file *file, struct kipc_shbuf *sb,
			  struct kipc_sem_arg __user *uarg, u32 usize)
{
	static const struct ks_wait nowait = { .nonblock = true };
	struct kipc_sembuf op = {};
	struct kipc_sem_arg a;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = kipc_get_arg(&a, sizeof(a), KIPC_SEM_ARG_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	if ((a.flags & ~KIPC_SEM_UNDO) || a.count > KIPC_SEM_VALUE_MAX)
		return -EINVAL;
	ret = ks_sem_index(sb, a.sem, &op.sem);
	if (ret)
		return ret;
	if (!a.count) {
		/* The fast path added units itself: hand them to sleepers. */
		spin_lock(&sb->lock);
		sb->posts++;
		ks_wake(sb, op.sem);
		spin_unlock(&sb->lock);
		return 0;
	}
	op.delta = a.count;
	op.flags = a.flags;
	spin_lock(&sb->lock);
	sb->posts++;
	spin_unlock(&sb->lock);
	return ks_run(file, sb, &op, 1, &nowait);
}

static long ks_ioctl_getvalue(struct file *file, struct kipc_shbuf *sb,
			      struct kipc_sem_value __user *uarg, u32 usize)
{
	struct kipc_sem_value sv;
	u32 idx;
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	ret = kipc_get_arg(&sv, sizeof(sv), KIPC_SEM_VALUE_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	ret = ks_sem_index(sb, sv.sem, &idx);
	if (ret)
		return ret;
	sv.value = ks_sem_value(sb, idx);
	spin_lock(&sb->lock);
	sv.waiters = sb->sems[idx].nwait;
	spin_unlock(&sb->lock);
	if (put_user(sv.value, &uarg->value) || put_user(sv.waiters, &uarg->waiters))
		return -EFAULT;
	return 0;
}

static long ks_ioctl_semop(struct file *file, struct kipc_shbuf *sb,
			   struct kipc_semop __user *uarg, u32 usize)
{
	struct kipc_sembuf *ops;
	struct kipc_semop so;
	struct ks_wait wt;
	u32 i;
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	ret = kipc_get_arg(&so, sizeof(so), KIPC_SEMOP_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	if ((so.flags & ~(KIPC_SEM_NONBLOCK | KIPC_SEM_DEADLINE)) || so.__reserved ||
	    !so.nops)
		return -EINVAL;
	if (so.nops > KIPC_SEMOP_MAX)
		return -E2BIG;
	ops = memdup_user(u64_to_user_ptr(so.ops), array_size(so.nops, sizeof(*ops)));
	if (IS_ERR(ops))
		return PTR_ERR(ops);
	ret = -EINVAL;
	for (i = 0; i < so.nops; i++) {
		if (ks_sem_index(sb, ops[i].sem, &ops[i].sem))
			goto out;
		if (!ops[i].delta || ops[i].delta < -KIPC_SEM_VALUE_MAX ||
		    ops[i].delta > KIPC_SEM_VALUE_MAX)
			goto out;
		if ((ops[i].flags & ~KIPC_SEM_UNDO) || ops[i].__reserved)
			goto out;
	}
	ks_wait_init(&wt, file, so.flags, so.deadline_ns);
	ret = ks_run(file, sb, ops, so.nops, &wt);
out:
	kfree(ops);
	return ret;
}

/**
 * ks_sem_ioctl() - the semaphore ioctls of a file bound to a shared buffer
 * @file: the file
 * @sb: its buffer
 * @cmd: the caller's ioctl command, whose size the struct's must be
 * @uarg: its argument
 *
 * Return: as each ioctl documents in <linux/kipc.h>; -ENOTTY otherwise.
 */
long ks_sem_ioctl(struct file *file, struct kipc_shbuf *sb, unsigned int cmd,
		  void __user *uarg)
{
	u32 usize = _IOC_SIZE(cmd);

	switch (KIPC_IOC_NOSIZE(cmd)) {
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEM_WAIT):
		return ks_ioctl_wait(file, sb, uarg, usize);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEM_POST):
		return ks_ioctl_post(file, sb, uarg, usize);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEM_GETVALUE):
		return ks_ioctl_getvalue(file, sb, uarg, usize);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEMOP):
		return ks_ioctl_semop(file, sb, uarg, usize);
	default:
		return -ENOTTY;
	}
}

/* --- creation and teardown --- */

/**
 * ks_sems_init() - set up the semaphores of a new buffer
 * @sb: the buffer, with its control area mapped and zeroed
 * @values: @sb->nsems initial values, checked, or NULL for zeroes
 */
void ks_sems_init(struct kipc_shbuf *sb, const u32 *values)
{
	u32 i;

	INIT_LIST_HEAD(&sb->complex);
	INIT_LIST_HEAD(&sb->undos);
	for (i = 0; i < sb->nsems; i++) {
		INIT_LIST_HEAD(&sb->sems[i].waiters);
		if (values)
			atomic_set(ks_val(sb, i), values[i]);
	}
}

/**
 * ks_sems_free() - free what the semaphores still hold
 * @sb: the buffer, with no file left
 *
 * Every file's ->release freed its undo records; none should be left.
 */
void ks_sems_free(struct kipc_shbuf *sb)
{
	struct ks_undo *u, *tmp;

	list_for_each_entry_safe(u, tmp, &sb->undos, link) {
		WARN_ON_ONCE(1);
		list_del(&u->link);
		ks_undo_free(u);
	}
}
