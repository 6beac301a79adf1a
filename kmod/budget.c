// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - byte budgets and object counts per user, up the user-namespace
 * chain, and one ceiling for everyone.
 *
 * /dev/kipc is open to every local user, so whatever a user can make the
 * kernel hold through it is reserved here when it is created and released
 * when it is destroyed, whoever destroys it and whether or not its creator
 * still lives: a queue its capacity (maxmsg buffers and some slack), a
 * shared buffer its pages, an undo record its size, a subscription its
 * slot. The reservation is made before the memory is allocated.
 *
 * An account is (user namespace, uid). A charge is made at the account of
 * the opener's effective uid in the opener's user namespace, then at the
 * account of each ancestor namespace's owner in that owner's namespace,
 * up to the initial one, as the kernel's ucounts charge RLIMIT_MSGQUEUE
 * since 5.14 (their functions are not exported, so kipc keeps its own).
 * A rootless container owned by uid 1000 thus shares uid 1000's budget
 * among all its subordinate uids. Every account has the same limits:
 * user_bytes_max bytes (EDQUOT past it), max_queues_per_user queues and
 * max_shbufs_per_user buffers (EMFILE), max_subscriptions_per_user event
 * subscriptions (EMFILE); and all accounts together at most
 * total_bytes_max bytes (ENOSPC). CAP_SYS_RESOURCE in the initial user
 * namespace passes every limit, as it does for POSIX queues; its charges
 * are still counted.
 *
 * A charge holds a reference to the user namespace of its first account,
 * which pins every ancestor: no account's key can be freed and reused
 * while anything is charged to it. Accounts are freed once nothing is.
 *
 * Locking: kipc_budget_lock (a mutex) guards the accounts and the total.
 * It is taken only when objects, records and subscriptions come and go,
 * never on a data path, and nests inside kipc_registry_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "kipc_priv.h"

static unsigned long user_bytes_max = 64UL << 20;
module_param(user_bytes_max, ulong, 0644);
MODULE_PARM_DESC(user_bytes_max,
		 "Bytes one user may reserve through kipc (charged up the user-namespace chain); over it, creating fails with EDQUOT (default 64 MiB)");

static unsigned long total_bytes_max;
module_param(total_bytes_max, ulong, 0644);
MODULE_PARM_DESC(total_bytes_max,
		 "Bytes all users together may reserve; over it, creating fails with ENOSPC (default 0: a quarter of RAM, set at load)");

static unsigned int max_queues_per_user = 256;
module_param(max_queues_per_user, uint, 0644);
MODULE_PARM_DESC(max_queues_per_user,
		 "Queues one user may own at once; over it, creating fails with EMFILE (default 256)");

static unsigned int max_shbufs_per_user = 64;
module_param(max_shbufs_per_user, uint, 0644);
MODULE_PARM_DESC(max_shbufs_per_user,
		 "Shared buffers one user may own at once; over it, creating fails with EMFILE (default 64)");

static unsigned int max_subscriptions_per_user = 64;
module_param(max_subscriptions_per_user, uint, 0644);
MODULE_PARM_DESC(max_subscriptions_per_user,
		 "Netlink event subscriptions one user may hold; over it, subscribing fails with EMFILE (default 64)");

/**
 * struct kipc_acct - what one user of one user namespace has reserved
 * @node: entry in kipc_accts
 * @ns: the user namespace (no reference: the charges pin it)
 * @uid: the user
 * @bytes: bytes reserved
 * @count: queues, buffers and subscriptions, by %KIPC_CHARGE_* kind
 * @fds: descriptors in flight in messages sent on files this user opened
 *	(kipc_fds_charge()); while non-zero, the account holds a reference
 *	to @ns
 */
struct kipc_acct {
	struct hlist_node node;
	struct user_namespace *ns;
	kuid_t uid;
	u64 bytes;
	u32 count[KIPC_NR_COUNTED];
	u32 fds;
};

static DEFINE_MUTEX(kipc_budget_lock);
static DEFINE_HASHTABLE(kipc_accts, 8);
static u64 kipc_total_bytes;

static u32 kipc_count_max(enum kipc_charge_kind kind)
{
	switch (kind) {
	case KIPC_CHARGE_QUEUE:
		return READ_ONCE(max_queues_per_user);
	case KIPC_CHARGE_SHBUF:
		return READ_ONCE(max_shbufs_per_user);
	case KIPC_CHARGE_SUB:
		return READ_ONCE(max_subscriptions_per_user);
	default:
		return U32_MAX;
	}
}

static u32 kipc_acct_hash(const struct user_namespace *ns, kuid_t uid)
{
	return hash_ptr(ns, 32) ^ __kuid_val(uid);
}

static struct kipc_acct *kipc_acct_find(struct user_namespace *ns, kuid_t uid)
{
	struct kipc_acct *a;

	hash_for_each_possible(kipc_accts, a, node, kipc_acct_hash(ns, uid))
		if (a->ns == ns && uid_eq(a->uid, uid))
			return a;
	return NULL;
}

static bool kipc_acct_idle(const struct kipc_acct *a)
{
	unsigned int i;

	for (i = 0; i < KIPC_NR_COUNTED; i++)
		if (a->count[i])
			return false;
	return !a->bytes && !a->fds;
}

static void kipc_acct_put_if_idle(struct kipc_acct *a)
{
	if (a && kipc_acct_idle(a)) {
		hash_del(&a->node);
		kfree(a);
	}
}

/*
 * Step up the chain: the account above (ns, uid) is the namespace
 * owner's, in the parent namespace. Returns false past the top.
 */
static bool kipc_acct_up(struct user_namespace **ns, kuid_t *uid)
{
	if (*ns == &init_user_ns)
		return false;
	*uid = (*ns)->owner;
	*ns = (*ns)->parent;
	return true;
}

/* Forget the accounts the chain left idle (a refused or undone charge). */
static void kipc_chain_put_idle(struct user_namespace *ns, kuid_t uid)
{
	do {
		kipc_acct_put_if_idle(kipc_acct_find(ns, uid));
	} while (kipc_acct_up(&ns, &uid));
}

/*
 * Can the chain from (ns, uid) take @bytes more (and one more of @kind,
 * if @count)? Creates missing accounts. kipc_budget_lock is held.
 */
static int kipc_chain_check(struct user_namespace *ns, kuid_t uid,
			    enum kipc_charge_kind kind, bool count, u64 bytes)
{
	u64 bytes_max = READ_ONCE(user_bytes_max);
	int err = 0;
	struct kipc_acct *a;

	do {
		a = kipc_acct_find(ns, uid);
		if (!a) {
			a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
			if (!a)
				return -ENOMEM;
			a->ns = ns;
			a->uid = uid;
			hash_add(kipc_accts, &a->node, kipc_acct_hash(ns, uid));
		}
		if (count && kind < KIPC_NR_COUNTED &&
		    a->count[kind] >= kipc_count_max(kind))
			err = err ?: -EMFILE;
		if (a->bytes + bytes < a->bytes || a->bytes + bytes > bytes_max)
			err = err ?: -EDQUOT;
	} while (kipc_acct_up(&ns, &uid));
	if (kipc_total_bytes + bytes > READ_ONCE(total_bytes_max))
		err = err ?: -ENOSPC;
	return err;
}

/* Apply a checked charge (negative to undo) to the chain and the total. */
static void kipc_chain_apply(struct user_namespace *ns, kuid_t uid,
			     enum kipc_charge_kind kind, int count, s64 bytes)
{
	struct kipc_acct *a;

	do {
		a = kipc_acct_find(ns, uid);
		if (WARN_ON_ONCE(!a))
			continue;
		if (kind < KIPC_NR_COUNTED)
			a->count[kind] += count;
		a->bytes += bytes;
	} while (kipc_acct_up(&ns, &uid));
	kipc_total_bytes += bytes;
}

/* Check, and let CAP_SYS_RESOURCE pass; kipc_budget_lock is held. */
static int kipc_chain_reserve(struct user_namespace *ns, kuid_t uid,
			      const struct kipc_who *who,
			      enum kipc_charge_kind kind, bool count, u64 bytes)
{
	int err = kipc_chain_check(ns, uid, kind, count, bytes);

	/* Asked only when over a limit: no capability audit noise otherwise. */
	if (err && err != -ENOMEM &&
	    kipc_who_capable(who, &init_user_ns, CAP_SYS_RESOURCE))
		err = 0;
	if (err) {
		kipc_chain_put_idle(ns, uid);
		return err;
	}
	kipc_chain_apply(ns, uid, kind, count, bytes);
	return 0;
}

/**
 * kipc_charge() - reserve @bytes and one @kind for the opener
 * @c: the charge to fill; empty on failure
 * @who: the opener, whose user (and its namespace owners) pays
 * @kind: what is counted besides the bytes
 * @bytes: bytes the new object or record may come to hold
 *
 * Return: 0; -EMFILE over a per-user count; -EDQUOT over the per-user
 * byte budget; -ENOSPC over the ceiling for all users; -ENOMEM.
 */
int kipc_charge(struct kipc_charge *c, const struct kipc_who *who,
		enum kipc_charge_kind kind, u64 bytes)
{
	struct user_namespace *ns = who->cred->user_ns;
	kuid_t uid = who->cred->euid;
	int err;

	mutex_lock(&kipc_budget_lock);
	err = kipc_chain_reserve(ns, uid, who, kind, true, bytes);
	mutex_unlock(&kipc_budget_lock);
	if (err) {
		c->ns = NULL;
		return err;
	}
	c->ns = get_user_ns(ns);
	c->uid = uid;
	c->bytes = bytes;
	c->kind = kind;
	return 0;
}

/**
 * kipc_charge_more() - reserve @bytes more on an existing charge
 * @c: the charge; its account pays, whoever asks
 * @who: who asks: its CAP_SYS_RESOURCE passes the limits
 * @bytes: additional bytes
 *
 * Return: 0, or as kipc_charge().
 */
int kipc_charge_more(struct kipc_charge *c, const struct kipc_who *who,
		     u64 bytes)
{
	int err;

	if (!bytes)
		return 0;
	mutex_lock(&kipc_budget_lock);
	err = kipc_chain_reserve(c->ns, c->uid, who, c->kind, false, bytes);
	mutex_unlock(&kipc_budget_lock);
	if (!err)
		c->bytes += bytes;
	return err;
}

/**
 * kipc_uncharge() - release everything a charge holds
 * @c: the charge; empty afterwards (releasing an empty one does nothing)
 */
void kipc_uncharge(struct kipc_charge *c)
{
	if (!c->ns)
		return;
	mutex_lock(&kipc_budget_lock);
	kipc_chain_apply(c->ns, c->uid, c->kind, -1, -(s64)c->bytes);
	kipc_chain_put_idle(c->ns, c->uid);
	mutex_unlock(&kipc_budget_lock);
	put_user_ns(c->ns);
	c->ns = NULL;
}

/**
 * kipc_fds_charge() - count descriptors a message puts in flight
 * @who: the opener of the file they are sent on, whose account counts them
 *	(its effective uid in its user namespace, not up the chain)
 * @n: how many
 * @limit: how many the account may have in flight: the sending task's
 *	RLIMIT_NOFILE
 *
 * The bound SCM_RIGHTS puts on a user's descriptors in flight in AF_UNIX
 * sockets (too_many_unix_fds()): a message pins its files, out of every
 * descriptor table, until it is received or dropped. Past @limit only the
 * opener's CAP_SYS_RESOURCE or CAP_SYS_ADMIN passes. A message carries
 * its descriptors once it is charged, so the check is per message, and
 * ours is exact (never over @limit), where AF_UNIX lets the last batch
 * pass it.
 *
 * Return: the account, for kipc_fds_uncharge(); ERR_PTR(-ETOOMANYREFS)
 * past the limit; ERR_PTR(-ENOMEM).
 */
struct kipc_acct *kipc_fds_charge(const struct kipc_who *who, unsigned int n,
				  unsigned long limit)
{
	struct user_namespace *ns = who->cred->user_ns;
	kuid_t uid = who->cred->euid;
	struct kipc_acct *a;
	int err = 0;

	/* The namespace is pinned when the count leaves zero: never count none. */
	if (WARN_ON_ONCE(!n))
		return ERR_PTR(-EINVAL);
	mutex_lock(&kipc_budget_lock);
	a = kipc_acct_find(ns, uid);
	if (!a) {
		a = kzalloc(sizeof(*a), GFP_KERNEL_ACCOUNT);
		if (!a) {
			mutex_unlock(&kipc_budget_lock);
			return ERR_PTR(-ENOMEM);
		}
		a->ns = ns;
		a->uid = uid;
		hash_add(kipc_accts, &a->node, kipc_acct_hash(ns, uid));
	}
	/* Asked only when over the limit: no capability audit noise otherwise. */
	if ((u64)a->fds + n > limit &&
	    !kipc_who_capable(who, &init_user_ns, CAP_SYS_RESOURCE) &&
	    !kipc_who_capable(who, &init_user_ns, CAP_SYS_ADMIN))
		err = -ETOOMANYREFS;
	if (err) {
		kipc_acct_put_if_idle(a);
		a = ERR_PTR(err);
	} else {
		/* The account's key must outlive the files, which may outlive every charge. */
		if (!a->fds)
			get_user_ns(ns);
		a->fds += n;
	}
	mutex_unlock(&kipc_budget_lock);
	return a;
}

/**
 * kipc_fds_uncharge() - descriptors counted by kipc_fds_charge() were let go
 * @a: the account it returned
 * @n: how many it counted
 */
void kipc_fds_uncharge(struct kipc_acct *a, unsigned int n)
{
	struct user_namespace *unpin = NULL;

	mutex_lock(&kipc_budget_lock);
	if (!WARN_ON_ONCE(a->fds < n))
		a->fds -= n;
	if (!a->fds) {
		unpin = a->ns;
		kipc_acct_put_if_idle(a);
	}
	mutex_unlock(&kipc_budget_lock);
	put_user_ns(unpin);
}

/**
 * kipc_budget_read() - an account's usage and the limits
 * @cred: whose account: its effective uid in its user namespace
 * @info: filled in
 */
void kipc_budget_read(const struct cred *cred, struct kipc_budget_info *info)
{
	struct kipc_acct *a;

	memset(info, 0, sizeof(*info));
	mutex_lock(&kipc_budget_lock);
	a = kipc_acct_find(cred->user_ns, cred->euid);
	if (a) {
		info->bytes = a->bytes;
		memcpy(info->count, a->count, sizeof(info->count));
	}
	info->total = kipc_total_bytes;
	mutex_unlock(&kipc_budget_lock);
	info->bytes_max = READ_ONCE(user_bytes_max);
	info->total_max = READ_ONCE(total_bytes_max);
}

/**
 * kipc_budget_init() - set the ceiling for all users if not given
 */
void kipc_budget_init(void)
{
	if (!total_bytes_max)
		total_bytes_max = (totalram_pages() << PAGE_SHIFT) / 4;
}

/**
 * kipc_budget_exit() - module unload: everything was uncharged
 */
void kipc_budget_exit(void)
{
	WARN_ON(!hash_empty(kipc_accts));
	WARN_ON(kipc_total_bytes);
}
