// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - queue notifications (mq_notify(3)) and notification channels.
 *
 * A registration (struct kipc_notify_reg) is made by %KIPC_IOC_NOTIFY on a
 * queue and hangs off the queue (queue.c keeps the pointer, under the
 * queue's lock, and decides when it fires or ends); this file makes,
 * fires and frees them, and owns the channels they post to.
 *
 * Everything a registration needs to fire is taken when it is made: the
 * record itself (allocated with it, charged to its maker's memory cgroup),
 * a reference on its owner's struct pid and user namespace, a reference
 * on its channel. So firing, which happens in a sender's path under the
 * queue's lock with interrupts off, allocates nothing and cannot fail;
 * what it drops there (a pid, a user namespace, a channel, a kfree) never
 * sleeps.
 *
 * Registrations are not counted against a per-user limit of budget.c: a
 * queue holds at most one, so there are never more than there are queues,
 * which are counted (max_queues_per_user) and charged; the record is a few
 * dozen bytes charged to the maker's memory cgroup. A channel is an open
 * file (RLIMIT_NOFILE bounds them), and carries at most KIPC_CHANNEL_MAX
 * registrations and unread records (@held): one record per registration,
 * but a process that registers again after each firing and never reads
 * would otherwise pile records up on it without end.
 *
 * A channel is a /dev/kipc file bound with %KIPC_IOC_CHANNEL_OPEN. Its
 * struct kipc_obj only serves the binding (file->private_data): a channel
 * has no name, id, owner or namespace, is not in the object table and is
 * invisible to netlink. Its reference count (obj.ref) counts its file and
 * every registration or record that points to it: a channel whose file is
 * closed lives on, closed, until the registrations on it end, and a
 * registration that fires into a closed channel is simply dropped.
 *
 * Locking: chan->wq.lock guards the channel's records and @closed. A
 * registration fires under its queue's q->wq.lock, so chan->wq.lock nests
 * inside it (never the other way round); readers take only chan->wq.lock.
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/wait.h>

#include "kipc_priv.h"

/**
 * struct kipc_channel - a notification channel
 * @obj: the binding to its file; @obj.ref counts the file and every
 *	registration or record on the channel
 * @wq: readers and pollers; its lock guards @records, @nrecords, @closed
 * @records: fired registrations, oldest first
 * @nrecords: entries of @records; read without the lock by poll
 * @held: registrations and unread records pointing to the channel, at most
 *	%KIPC_CHANNEL_MAX: a record is made per registration, and a process
 *	that registers again after each firing and never reads would
 *	otherwise pile them up without end
 * @closed: its file was released: firing posts nothing more
 */
struct kipc_channel {
	struct kipc_obj obj;
	wait_queue_head_t wq;
	struct list_head records;
	unsigned int nrecords;
	unsigned int held;
	bool closed;
};

/**
 * struct kipc_notify_reg - a registration, and once fired its record
 * @owner: thread-group struct pid of the process that made it, referenced
 *	until it fires or ends
 * @user_ns: its maker's user namespace, referenced likewise: the sender's
 *	uid is shown as that namespace sees it
 * @chan: the channel to post to (referenced), or NULL (%KIPC_NOTIFY_NONE)
 * @link: entry in @chan's records once posted
 * @rec: the record; @cookie and @queue_id are set when it is made, @pid
 *	and @uid when it fires
 */
struct kipc_notify_reg {
	struct pid *owner;
	struct user_namespace *user_ns;
	struct kipc_channel *chan;
	struct list_head link;
	struct kipc_notification rec;
};

static_assert(sizeof(struct kipc_notify) == KIPC_NOTIFY_SIZE_VER0);
static_assert(sizeof(struct kipc_channel_open) == KIPC_CHANNEL_OPEN_SIZE_VER0);
static_assert(sizeof(struct kipc_notification) == 24);

static struct kipc_channel *to_channel(struct kipc_obj *obj)
{
	return container_of(obj, struct kipc_channel, obj);
}

/* The channel a file is bound to, or NULL. */
static struct kipc_channel *kipc_channel_from_file(struct file *file)
{
	struct kipc_obj *obj = kipc_file_obj(file);

	if (!obj || obj->ops != &kipc_channel_ops)
		return NULL;
	return to_channel(obj);
}

/* The last reference is gone: no file, no registration, no record. */
static void kipc_channel_release(struct kref *ref)
{
	struct kipc_channel *chan = to_channel(container_of(ref, struct kipc_obj, ref));

	WARN_ON_ONCE(!list_empty(&chan->records));
	kfree(chan);
}

/* Never sleeps: may run under a queue's lock (a record dropped on firing). */
static void kipc_channel_put(struct kipc_channel *chan)
{
	kref_put(&chan->obj.ref, kipc_channel_release);
}

/* Free a record that was posted, or a registration that fired or ended. */
static void kipc_notify_reg_destroy(struct kipc_notify_reg *reg)
{
	struct kipc_channel *chan = reg->chan;
	unsigned long flags;

	if (chan) {
		/* May run under a queue's lock: the channel's nests inside. */
		spin_lock_irqsave(&chan->wq.lock, flags);
		chan->held--;
		spin_unlock_irqrestore(&chan->wq.lock, flags);
		kipc_channel_put(chan);
	}
	kfree(reg);
}

/* The file's reference: mark the channel closed and drop its records. */
static void kipc_channel_file_put(struct kipc_obj *obj)
{
	struct kipc_channel *chan = to_channel(obj);
	struct kipc_notify_reg *reg, *tmp;
	LIST_HEAD(dead);

	spin_lock_irq(&chan->wq.lock);
	chan->closed = true;
	list_splice_init(&chan->records, &dead);
	chan->nrecords = 0;
	spin_unlock_irq(&chan->wq.lock);
	list_for_each_entry_safe(reg, tmp, &dead, link)
		kipc_notify_reg_destroy(reg);
	kipc_channel_put(chan);
}

static void kipc_channel_free(struct kipc_obj *obj)
{
	/* Never called: a channel is freed by kipc_channel_release(). */
	WARN_ON_ONCE(1);
}

static void kipc_channel_fill_stats(struct kipc_obj *obj, struct kipc_stats *st)
{
}

static u64 kipc_channel_mem_bytes(struct kipc_obj *obj)
{
	return sizeof(struct kipc_channel);
}

const struct kipc_obj_ops kipc_channel_ops = {
	.type		= 0,	/* not an object of the table: no %KIPC_TYPE_* */
	.free		= kipc_channel_free,
	.fill_stats	= kipc_channel_fill_stats,
	.mem_bytes	= kipc_channel_mem_bytes,
	.put		= kipc_channel_file_put,
};

/**
 * kipc_is_channel() - is @obj a notification channel?
 * @obj: the object a file is bound to
 *
 * Return: true for a channel.
 */
bool kipc_is_channel(const struct kipc_obj *obj)
{
	return obj->ops == &kipc_channel_ops;
}

/**
 * kipc_channel_open_ioctl() - %KIPC_IOC_CHANNEL_OPEN
 * @file: the file to bind
 * @uarg: struct kipc_channel_open
 * @usize: the size the caller's command encodes
 *
 * Return: 0; -EBUSY if the file is bound already; -EINVAL for non-zero
 * flags; -EFAULT, -E2BIG as kipc_get_arg(); -ENOMEM.
 */
long kipc_channel_open_ioctl(struct file *file,
			     struct kipc_channel_open __user *uarg, u32 usize)
{
	struct kipc_channel_open co;
	struct kipc_channel *chan;
	int ret;

	ret = kipc_get_arg(&co, sizeof(co), KIPC_CHANNEL_OPEN_SIZE_VER0, uarg,
			   usize);
	if (ret)
		return ret;
	if (co.flags)
		return -EINVAL;
	chan = kzalloc(sizeof(*chan), GFP_KERNEL_ACCOUNT);
	if (!chan)
		return -ENOMEM;
	kref_init(&chan->obj.ref);	/* the file's */
	chan->obj.ops = &kipc_channel_ops;
	init_waitqueue_head(&chan->wq);
	INIT_LIST_HEAD(&chan->records);
	ret = kipc_bind_file(file, &chan->obj);
	if (ret)
		kfree(chan);
	return ret;
}

/* Take up to @max records off the channel, oldest first, onto @out. */
static unsigned int kipc_channel_take(struct kipc_channel *chan,
				      struct list_head *out, size_t max)
	__must_hold(&chan->wq.lock)
{
	unsigned int n = 0;

	while (n < max && !list_empty(&chan->records)) {
		list_move_tail(chan->records.next, out);
		n++;
	}
	chan->nrecords -= n;
	return n;
}

/**
 * kipc_channel_read() - read(2) of a channel: whole records
 * @file: the file
 * @buf: user buffer
 * @len: its size
 *
 * Return: bytes read, a multiple of sizeof(struct kipc_notification);
 * -EINVAL if @file is not a channel or @len is below one record; -EAGAIN
 * (O_NONBLOCK, nothing to read); -ERESTARTSYS; -EFAULT (the records stay).
 */
ssize_t kipc_channel_read(struct file *file, char __user *buf, size_t len)
{
	struct kipc_channel *chan = kipc_channel_from_file(file);
	const size_t rsize = sizeof(struct kipc_notification);
	struct kipc_notify_reg *reg, *tmp;
	unsigned int i = 0, n;
	LIST_HEAD(got);
	int ret;

	if (!chan || len < rsize)
		return -EINVAL;
	spin_lock_irq(&chan->wq.lock);
	if (list_empty(&chan->records)) {
		ret = -EAGAIN;
		if (file->f_flags & O_NONBLOCK)
			goto out_unlock;
		ret = wait_event_interruptible_locked_irq(chan->wq,
							  !list_empty(&chan->records));
		if (ret)
			goto out_unlock;
	}
	n = kipc_channel_take(chan, &got, len / rsize);
	spin_unlock_irq(&chan->wq.lock);

	list_for_each_entry_safe(reg, tmp, &got, link) {
		if (copy_to_user(buf + i * rsize, &reg->rec, rsize))
			break;
		list_del(&reg->link);
		kipc_notify_reg_destroy(reg);
		i++;
	}
	/* Records that could not be copied go back to the head, in order. */
	if (i < n) {
		/* Our file is open: the channel cannot have been closed. */
		spin_lock_irq(&chan->wq.lock);
		chan->nrecords += n - i;
		list_splice(&got, &chan->records);
		spin_unlock_irq(&chan->wq.lock);
	}
	return i ? (ssize_t)i * rsize : -EFAULT;

out_unlock:
	spin_unlock_irq(&chan->wq.lock);
	return ret;
}

/**
 * kipc_channel_poll() - poll of a file that is not a queue
 * @file: the file
 * @pt: poll table
 *
 * Return: %EPOLLIN while a channel holds a record; %EPOLLERR for files
 * that are neither queues nor channels.
 */
__poll_t kipc_channel_poll(struct file *file, struct poll_table_struct *pt)
{
	struct kipc_channel *chan = kipc_channel_from_file(file);

	if (!chan)
		return EPOLLERR;
	poll_wait(file, &chan->wq, pt);
	return READ_ONCE(chan->nrecords) ? EPOLLIN | EPOLLRDNORM : 0;
}

/**
 * kipc_notify_reg_new() - make a registration for the calling process
 * @arg: the request; @arg->how is %KIPC_NOTIFY_NONE or %KIPC_NOTIFY_CHANNEL
 * @queue_id: id of the queue, for the record
 *
 * The channel descriptor must be one the caller holds.
 *
 * Return: the registration, or an ERR_PTR: -EBADF (@channel_fd is not an
 * open /dev/kipc file), -EINVAL (it is not a channel), -ENOSPC (the
 * channel holds %KIPC_CHANNEL_MAX registrations and unread records),
 * -ENOMEM.
 */
struct kipc_notify_reg *kipc_notify_reg_new(const struct kipc_notify *arg,
					    u32 queue_id)
{
	struct kipc_channel *chan = NULL;
	struct kipc_notify_reg *reg;

	if (arg->how == KIPC_NOTIFY_CHANNEL) {
		struct fd f = fdget(arg->channel_fd);
		int err = -EBADF;

		if (!fd_file(f))
			return ERR_PTR(-EBADF);
		if (fd_file(f)->f_op == &kipc_fops) {
			chan = kipc_channel_from_file(fd_file(f));
			err = -EINVAL;
			if (chan) {
				spin_lock_irq(&chan->wq.lock);
				err = chan->held < KIPC_CHANNEL_MAX ? 0 : -ENOSPC;
				if (!err)
					chan->held++;
				spin_unlock_irq(&chan->wq.lock);
				if (err)
					chan = NULL;
				else
					kref_get(&chan->obj.ref);
			}
		}
		fdput(f);
		if (!chan)
			return ERR_PTR(err);
	}
	reg = kzalloc(sizeof(*reg), GFP_KERNEL_ACCOUNT);
	if (!reg) {
		if (chan) {
			spin_lock_irq(&chan->wq.lock);
			chan->held--;
			spin_unlock_irq(&chan->wq.lock);
			kipc_channel_put(chan);
		}
		return ERR_PTR(-ENOMEM);
	}
	reg->owner = get_pid(task_tgid(current));
	reg->user_ns = get_user_ns(current_user_ns());
	reg->chan = chan;
	INIT_LIST_HEAD(&reg->link);
	reg->rec.cookie = arg->cookie;
	reg->rec.queue_id = queue_id;
	return reg;
}

/* Drop what only an unfired registration holds. */
static void kipc_notify_reg_unpin(struct kipc_notify_reg *reg)
{
	put_pid(reg->owner);
	reg->owner = NULL;
	put_user_ns(reg->user_ns);
	reg->user_ns = NULL;
}

/**
 * kipc_notify_reg_free() - end a registration that did not fire
 * @reg: the registration, detached from its queue
 *
 * Never sleeps.
 */
void kipc_notify_reg_free(struct kipc_notify_reg *reg)
{
	kipc_notify_reg_unpin(reg);
	kipc_notify_reg_destroy(reg);
}

/**
 * kipc_notify_owned() - did the calling process make @reg?
 * @reg: a registration
 *
 * Return: true if the caller's thread group owns it.
 */
bool kipc_notify_owned(const struct kipc_notify_reg *reg)
{
	return reg->owner == task_tgid(current);
}

/**
 * kipc_notify_stale() - is @reg's owner gone?
 * @reg: a registration
 *
 * A registration made while another thread of its owner closed the last
 * descriptor of the queue missed that close's ->flush(); once its owner
 * has exited, nothing else would end it.
 *
 * Return: true if no task of the owner's thread group is left.
 */
bool kipc_notify_stale(const struct kipc_notify_reg *reg)
{
	return !pid_has_task(reg->owner, PIDTYPE_TGID);
}

/**
 * kipc_notify_fire() - a message arrived: fire a registration
 * @reg: the registration, just detached from its queue by the caller
 *
 * Called in the sender's context, under the queue's lock with interrupts
 * off. Fills in the sender's thread-group id and real uid as the owner's
 * pid and user namespaces see them, then posts the record to the channel
 * (or drops it: %KIPC_NOTIFY_NONE, or the channel was closed).
 */
void kipc_notify_fire(struct kipc_notify_reg *reg)
{
	struct kipc_channel *chan = reg->chan;
	bool posted = false;

	reg->rec.pid = task_tgid_nr_ns(current, ns_of_pid(reg->owner));
	reg->rec.uid = from_kuid_munged(reg->user_ns, current_uid());
	kipc_notify_reg_unpin(reg);
	if (chan) {
		spin_lock(&chan->wq.lock);
		if (!chan->closed) {
			list_add_tail(&reg->link, &chan->records);
			chan->nrecords++;
			wake_up_locked_poll(&chan->wq, EPOLLIN | EPOLLRDNORM);
			posted = true;
		}
		spin_unlock(&chan->wq.lock);
	}
	if (!posted)
		kipc_notify_reg_destroy(reg);
}
