// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - events: what the core posts, and its delivery to subscribers.
 *
 * The core (object.c, queue.c) posts an event about an object; whoever
 * subscribed to the object's IPC namespace (netlink.c, through struct
 * kipc_sub) gets it. The core depends on this layer only, never on the
 * control plane.
 *
 * Posting takes a snapshot of the object and appends it to its
 * namespace's fifo; it may happen under kipc_registry_lock, so the order
 * of the fifo is the order in which the registry changed: a CREATED is
 * always ahead of the UNLINKED and DESTROYED of the same object. Nothing
 * is posted to a namespace without subscribers. Delivery happens later,
 * in kipc_events_flush(), which every path that posts calls once it holds
 * no lock: the namespaces with undelivered events are on a list, each
 * with a reference, and each namespace's fifo is delivered under its own
 * mutex, in order. So fan-out never runs under the registry lock, and a
 * namespace with many subscribers slows only its own events.
 *
 * A subscriber receives an event only if it may see the object
 * (kipc_perm_visible(), with the credentials it subscribed with). An
 * event that could not be posted (no memory) or delivered (no memory, or
 * the subscriber's socket was full) is counted, and the count goes out
 * with the next event the subscriber gets.
 *
 * Locking: kipc_ev_pending_lock and each namespace's ev.lock are
 * spinlocks around list operations only; ev.mutex serialises delivery and
 * guards the subscriber list. Lock order: kipc_registry_lock, then
 * ev.lock or kipc_ev_pending_lock (never both); ev.mutex is never taken
 * under the registry lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "kipc_priv.h"

static DEFINE_SPINLOCK(kipc_ev_pending_lock);
static LIST_HEAD(kipc_ev_pending);

/**
 * kipc_events_ns_init() - set up a new namespace record's event state
 * @kns: the record
 */
void kipc_events_ns_init(struct kipc_ns *kns)
{
	struct kipc_ns_events *ev = &kns->ev;

	mutex_init(&ev->mutex);
	INIT_LIST_HEAD(&ev->subs);
	spin_lock_init(&ev->lock);
	INIT_LIST_HEAD(&ev->fifo);
	INIT_LIST_HEAD(&ev->pending_link);
	atomic64_set(&ev->unposted, 0);
}

/**
 * kipc_events_ns_free() - a namespace record is being freed
 * @kns: the record; nobody subscribes to it and nobody delivers its events
 *
 * Events left undelivered had nobody to go to.
 */
void kipc_events_ns_free(struct kipc_ns *kns)
{
	struct kipc_ev *e, *tmp;

	WARN_ON_ONCE(!list_empty(&kns->ev.subs));
	list_for_each_entry_safe(e, tmp, &kns->ev.fifo, link)
		kfree(e);
	mutex_destroy(&kns->ev.mutex);
}

/**
 * kipc_event_post() - post an event about @obj to its namespace
 * @obj: the object, alive for the duration of the call
 * @type: %KIPC_EVENT_*
 *
 * Process context; may be called with kipc_registry_lock held, not with
 * any spinlock. The caller calls kipc_events_flush() once it holds no lock
 * (if it posted: the data path skips it when nobody listens).
 *
 * Return: true if an event was queued for delivery.
 */
bool kipc_event_post(struct kipc_obj *obj, u32 type)
{
	struct kipc_ns *kns = obj->ns;
	struct kipc_ev *e;
	bool first;

	if (!READ_ONCE(kns->ev.nsubs))
		return false;
	e = kmalloc(sizeof(*e), GFP_KERNEL | __GFP_NOWARN);
	if (!e) {
		atomic64_inc(&kns->ev.unposted);
		return false;
	}
	e->type = type;
	kipc_obj_snap(obj, &e->snap);

	spin_lock(&kns->ev.lock);
	list_add_tail(&e->link, &kns->ev.fifo);
	spin_unlock(&kns->ev.lock);

	spin_lock(&kipc_ev_pending_lock);
	first = !kns->ev.pending;
	if (first) {
		kns->ev.pending = true;
		kref_get(&kns->ref);
		list_add_tail(&kns->ev.pending_link, &kipc_ev_pending);
	}
	spin_unlock(&kipc_ev_pending_lock);
	return true;
}

static struct kipc_ev *kipc_event_pop(struct kipc_ns *kns)
{
	struct kipc_ev *e;

	spin_lock(&kns->ev.lock);
	e = list_first_entry_or_null(&kns->ev.fifo, struct kipc_ev, link);
	if (e)
		list_del(&e->link);
	spin_unlock(&kns->ev.lock);
	return e;
}

/* Deliver @kns's fifo, in order; its ev.mutex is held. */
static void kipc_events_deliver(struct kipc_ns *kns)
{
	struct kipc_ev *e;
	struct kipc_sub *sub;
	s64 unposted;

	while ((e = kipc_event_pop(kns))) {
		unposted = atomic64_xchg(&kns->ev.unposted, 0);
		list_for_each_entry(sub, &kns->ev.subs, link) {
			sub->lost += unposted;
			if (!kipc_perm_visible(&e->snap.perm, sub->cred,
					       sub->ipc_owner))
				continue;
			if (sub->deliver(sub, e, sub->lost))
				sub->lost++;
			else
				sub->lost = 0;
		}
		kfree(e);
		cond_resched();
	}
}

/**
 * kipc_events_flush() - deliver every posted event
 *
 * Process context, no lock held. Whoever posts calls it; it delivers
 * whatever is pending, its own events and others'.
 */
void kipc_events_flush(void)
{
	struct kipc_ns *kns;

	for (;;) {
		spin_lock(&kipc_ev_pending_lock);
		kns = list_first_entry_or_null(&kipc_ev_pending, struct kipc_ns,
					       ev.pending_link);
		if (kns) {
			list_del_init(&kns->ev.pending_link);
			kns->ev.pending = false;
		}
		spin_unlock(&kipc_ev_pending_lock);
		if (!kns)
			return;
		mutex_lock(&kns->ev.mutex);
		kipc_events_deliver(kns);
		mutex_unlock(&kns->ev.mutex);
		kipc_ns_put(kns);
	}
}

/**
 * kipc_sub_add() - subscribe to the events of the caller's IPC namespace
 * @sub: the subscriber; @sub->deliver set, the rest filled in here
 * @who: the subscriber's opener: its user is charged one subscription,
 *	and its credentials decide what it may see
 *
 * Return: 0; -EMFILE over max_subscriptions_per_user; -ENOMEM.
 */
int kipc_sub_add(struct kipc_sub *sub, const struct kipc_who *who)
{
	struct kipc_ns *kns;
	int err;

	err = kipc_charge(&sub->charge, who, KIPC_CHARGE_SUB, sizeof(*sub));
	if (err)
		return err;
	kns = kipc_ns_current_get();
	if (IS_ERR(kns)) {
		kipc_uncharge(&sub->charge);
		return PTR_ERR(kns);
	}
	sub->kns = kns;
	sub->cred = get_cred(who->cred);
	sub->ipc_owner = kipc_who_ipc_owner(who);
	sub->lost = 0;
	mutex_lock(&kns->ev.mutex);
	list_add_tail(&sub->link, &kns->ev.subs);
	WRITE_ONCE(kns->ev.nsubs, kns->ev.nsubs + 1);
	mutex_unlock(&kns->ev.mutex);
	return 0;
}

/**
 * kipc_sub_del() - end a subscription
 * @sub: a subscriber added by kipc_sub_add(); no event is delivered to it
 *	once this returns
 */
void kipc_sub_del(struct kipc_sub *sub)
{
	struct kipc_ns *kns = sub->kns;

	mutex_lock(&kns->ev.mutex);
	list_del(&sub->link);
	WRITE_ONCE(kns->ev.nsubs, kns->ev.nsubs - 1);
	mutex_unlock(&kns->ev.mutex);
	put_cred(sub->cred);
	kipc_uncharge(&sub->charge);
	kipc_ns_put(kns);
}
