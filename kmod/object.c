// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - objects, names, namespaces and binding files to objects.
 *
 * What this file owns:
 *  - the object table (kipc_objs, an allocating xarray: id -> object);
 *  - the name table (kipc_names: (namespace, name) -> object), an
 *    rhashtable: it grows with the names, so a lookup costs the same with
 *    ten names or a hundred thousand (a fixed table of 1024 chains walked
 *    ~100 names per lookup at 100k; Documentation/benchmarks.rst);
 *  - the namespace list (kipc_ns_list), each with the list of its names;
 *  - the binding of an open file to an object (file->private_data).
 *
 * Per-user limits and byte budgets are budget.c's: an object's kind
 * charges its creator when it makes the object (before it allocates what
 * the object will hold), and the charge is released here, with the object.
 * Permissions are checked against the opener of the file or socket a
 * request came through (perm.c), never against the calling task.
 *
 * Locking: kipc_registry_lock (a mutex) guards the name table, the
 * namespace list and obj->linked; it is never held on a data path. The
 * xarray has its own lock. An object is kept alive by its kref: one
 * reference per bound file and one for its name while it is linked; the
 * last put takes kipc_registry_lock (kref_put_mutex) so a name lookup
 * never finds an object whose count reached zero. Events (created,
 * unlinked, destroyed) are posted under the lock, so they are in the
 * order of the changes, and delivered once it is dropped
 * (kipc_registry_unlock()).
 *
 * Namespaces: kipc holds one reference on each IPC namespace it has seen,
 * so a namespace's address (the lookup key) can never be reused while kipc
 * remembers it, and a dead namespace's names can never show up in a new
 * one. New references to a namespace only come from tasks in it or nsfs
 * files, which hold one already; so once the count equals kipc's own
 * reference, nobody can reach the namespace any more. The reaper then
 * unlinks its names (objects still open live on, unreachable by name) and
 * drops kipc's reference through ns.ops->put (put_ipc_ns() is not exported
 * in 6.1). The trade-off: a dead namespace's memory is held until the
 * reaper runs, on the next namespace lookup miss or within
 * KIPC_REAP_INTERVAL.
 *
 * Binding: file->private_data goes NULL -> KIPC_BINDING -> object, once,
 * with release/acquire ordering, so an object is fully set up before a data
 * path can see it and two racing open ioctls cannot both bind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/ipc_namespace.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/proc_ns.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "kipc_priv.h"
#include "trace/kipc.h"

#define KIPC_REAP_INTERVAL	(5 * HZ)

static DEFINE_MUTEX(kipc_registry_lock);
static DEFINE_XARRAY_ALLOC1(kipc_objs);
static u32 kipc_next_id;
static struct rhashtable kipc_names;
static LIST_HEAD(kipc_ns_list);

/* The name table's key: a name in a namespace. */
struct kipc_name_key {
	const struct kipc_ns *ns;
	const char *name;
};

static u32 kipc_name_key_hashfn(const void *data, u32 len, u32 seed);
static u32 kipc_name_obj_hashfn(const void *data, u32 len, u32 seed);
static int kipc_name_obj_cmpfn(struct rhashtable_compare_arg *arg, const void *data);

static const struct rhashtable_params kipc_name_params = {
	.head_offset = offsetof(struct kipc_obj, name_node),
	.hashfn = kipc_name_key_hashfn,
	.obj_hashfn = kipc_name_obj_hashfn,
	.obj_cmpfn = kipc_name_obj_cmpfn,
	.automatic_shrinking = true,
};

static void kipc_reap_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(kipc_reap_work, kipc_reap_work_fn);

/* --- namespaces --- */

static void kipc_ns_release(struct kref *ref)
{
	struct kipc_ns *kns = container_of(ref, struct kipc_ns, ref);

	kipc_events_ns_free(kns);
	kfree(kns);
}

/**
 * kipc_ns_put() - drop a reference to a namespace record
 * @kns: the record
 */
void kipc_ns_put(struct kipc_ns *kns)
{
	kref_put(&kns->ref, kipc_ns_release);
}

/*
 * kipc's own reference is the only one left: no task, no nsfs file. A
 * plain read is enough (6.1 and 6.12 both keep ns.count a refcount_t):
 * every new reference is taken from one that exists (a task's nsproxy, an
 * nsfs inode, mqueuefs's short-lived one while a task mounts it), so once
 * ours is the only one, the count can only stay at 1 until we drop it.
 */
static bool kipc_ns_unused(struct kipc_ns *kns)
{
	return refcount_read(&kns->ipc_ns->ns.count) == 1;
}

/* --- objects --- */

/* Drop kipc_registry_lock, then deliver the events posted under it. */
static void kipc_registry_unlock(void)
{
	mutex_unlock(&kipc_registry_lock);
	kipc_events_flush();
}

/* Free an object and release its charge; nothing can reach it. */
static void kipc_obj_free(struct kipc_obj *obj)
{
	struct kipc_charge charge = obj->charge;

	obj->ops->free(obj);
	kipc_uncharge(&charge);
}

/* The last reference is gone and kipc_registry_lock is held. */
static void kipc_obj_destroy_locked(struct kipc_obj *obj)
{
	struct kipc_ns *kns = obj->ns;

	lockdep_assert_held(&kipc_registry_lock);
	kipc_event_post(obj, KIPC_EVENT_DESTROYED);
	trace_kipc_obj_destroy(obj->id, obj->ops->type);
	xa_erase(&kipc_objs, obj->id);
	kipc_obj_free(obj);
	kipc_ns_put(kns);
}

static void kipc_obj_release(struct kref *ref)
{
	kipc_obj_destroy_locked(container_of(ref, struct kipc_obj, ref));
	kipc_registry_unlock();
}

static void kipc_obj_release_locked(struct kref *ref)
{
	kipc_obj_destroy_locked(container_of(ref, struct kipc_obj, ref));
}

/**
 * kipc_obj_put() - drop a reference to an object
 * @obj: the object; freed with its last reference
 *
 * Must not be called with kipc_registry_lock held.
 */
void kipc_obj_put(struct kipc_obj *obj)
{
	kref_put_mutex(&obj->ref, kipc_obj_release, &kipc_registry_lock);
}

static void kipc_obj_unlink_locked(struct kipc_obj *obj)
{
	kipc_event_post(obj, KIPC_EVENT_UNLINKED);
	rhashtable_remove_fast(&kipc_names, &obj->name_node, kipc_name_params);
	list_del(&obj->ns_node);
	obj->linked = false;
	kref_put(&obj->ref, kipc_obj_release_locked);
}

/* --- namespaces, continued --- */

/* Called with kipc_registry_lock held. */
static void kipc_ns_reap_one(struct kipc_ns *kns)
{
	struct ipc_namespace *ipc_ns = kns->ipc_ns;
	struct kipc_obj *obj, *tmp;

	list_for_each_entry_safe(obj, tmp, &kns->names, ns_node)
		kipc_obj_unlink_locked(obj);
	kns->dead = true;
	kns->ipc_ns = NULL;
	list_del(&kns->link);
	ipc_ns->ns.ops->put(&ipc_ns->ns);
	kipc_ns_put(kns);
}

/* The initial IPC namespace never dies (init_ipc_ns is not exported). */
static bool kipc_ns_is_initial(const struct kipc_ns *kns)
{
	return kns->ipc_ns->ns.inum == PROC_IPC_INIT_INO;
}

/*
 * Reap every namespace nobody can reach; returns how many are left that
 * may die, so need watching.
 */
static unsigned int kipc_ns_reap(bool all)
{
	struct kipc_ns *kns, *tmp;
	unsigned int left = 0;

	lockdep_assert_held(&kipc_registry_lock);
	list_for_each_entry_safe(kns, tmp, &kipc_ns_list, link) {
		if (all || kipc_ns_unused(kns))
			kipc_ns_reap_one(kns);
		else if (!kipc_ns_is_initial(kns))
			left++;
	}
	return left;
}

static void kipc_reap_work_fn(struct work_struct *work)
{
	unsigned int left;

	mutex_lock(&kipc_registry_lock);
	left = kipc_ns_reap(false);
	kipc_registry_unlock();
	/* Until the last namespace that can die has died. */
	if (left)
		schedule_delayed_work(&kipc_reap_work, KIPC_REAP_INTERVAL);
}

/* The kipc_ns of the caller's IPC namespace, with a reference. */
static struct kipc_ns *kipc_ns_get_current(void)
{
	struct ipc_namespace *ipc_ns = current->nsproxy->ipc_ns;
	struct kipc_ns *kns;
	unsigned int left;

	lockdep_assert_held(&kipc_registry_lock);
	list_for_each_entry(kns, &kipc_ns_list, link) {
		if (kns->ipc_ns == ipc_ns) {
			kref_get(&kns->ref);
			return kns;
		}
	}
	left = kipc_ns_reap(false);

	kns = kzalloc(sizeof(*kns), GFP_KERNEL_ACCOUNT);
	if (!kns)
		return ERR_PTR(-ENOMEM);
	kipc_events_ns_init(kns);
	INIT_LIST_HEAD(&kns->names);
	kns->ipc_ns = get_ipc_ns(ipc_ns);
	kref_init(&kns->ref);		/* the list's reference */
	list_add(&kns->link, &kipc_ns_list);
	/* Watch every namespace that can die, the new one included. */
	if (left || !kipc_ns_is_initial(kns))
		schedule_delayed_work(&kipc_reap_work, KIPC_REAP_INTERVAL);
	kref_get(&kns->ref);		/* the caller's */
	return kns;
}

/* The caller's namespace record, if kipc has one; no reference taken. */
static struct kipc_ns *kipc_ns_find_current(void)
{
	struct ipc_namespace *ipc_ns = current->nsproxy->ipc_ns;
	struct kipc_ns *kns;

	lockdep_assert_held(&kipc_registry_lock);
	list_for_each_entry(kns, &kipc_ns_list, link)
		if (kns->ipc_ns == ipc_ns)
			return kns;
	return NULL;
}

/* --- names and permissions --- */

static u32 kipc_name_hash(const struct kipc_ns *kns, const char *name, u32 seed)
{
	return jhash(name, strlen(name), seed ^ hash_ptr(kns, 32));
}

static u32 kipc_name_key_hashfn(const void *data, u32 len, u32 seed)
{
	const struct kipc_name_key *key = data;

	return kipc_name_hash(key->ns, key->name, seed);
}

static u32 kipc_name_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct kipc_obj *obj = data;

	return kipc_name_hash(obj->ns, obj->name, seed);
}

static int kipc_name_obj_cmpfn(struct rhashtable_compare_arg *arg, const void *data)
{
	const struct kipc_name_key *key = arg->key;
	const struct kipc_obj *obj = data;

	return obj->ns != key->ns || strcmp(obj->name, key->name);
}

/*
 * Every lookup, insertion and removal is made under kipc_registry_lock,
 * so an object found cannot be freed under the finder, and an object is
 * freed only once it left the table: no RCU grace period is needed.
 */
static struct kipc_obj *kipc_name_lookup(struct kipc_ns *kns, const char *name)
{
	struct kipc_name_key key = { .ns = kns, .name = name };

	lockdep_assert_held(&kipc_registry_lock);
	return rhashtable_lookup_fast(&kipc_names, &key, kipc_name_params);
}

static struct user_namespace *kipc_current_userns(void)
{
	return current->nsproxy->ipc_ns->user_ns;
}

/* Mode bits against the opener, as ipcperms() does for SysV IPC. */
static bool kipc_obj_may_access(const struct kipc_obj *obj, fmode_t fmode,
				const struct kipc_who *who)
{
	int want = 0;

	if (fmode & FMODE_READ)
		want |= KIPC_MAY_READ;
	if (fmode & FMODE_WRITE)
		want |= KIPC_MAY_WRITE;
	if (kipc_perm_mode_allows(&obj->perm, who->cred, want))
		return true;
	return kipc_who_capable(who, kipc_current_userns(), CAP_IPC_OWNER);
}

static bool kipc_obj_is_owner(const struct kipc_obj *obj,
			      const struct kipc_who *who)
{
	return kipc_perm_is_owner(&obj->perm, who->cred) ||
	       kipc_who_capable(who, kipc_current_userns(), CAP_SYS_ADMIN);
}

/**
 * kipc_open_req_init() - check the common part of an open request
 * @req: filled on success
 * @who: the opener of the file or socket the request came through
 * @flags: %KIPC_OPEN_* flags from userspace
 * @mode: permission bits from userspace
 * @name: name array of %KIPC_NAME_MAX bytes from userspace
 *
 * Return: 0; -EINVAL for unknown flags, bad combinations, bad mode bits or
 * a bad character in the name; -ENAMETOOLONG without a NUL in the array.
 */
int kipc_open_req_init(struct kipc_open_req *req, const struct kipc_who *who,
		       u32 flags, u32 mode, const char *name)
{
	size_t len = strnlen(name, KIPC_NAME_MAX);
	size_t i;

	if (flags & ~KIPC_OPEN_FLAGS)
		return -EINVAL;
	if ((flags & KIPC_OPEN_EXCL) && !(flags & KIPC_OPEN_CREATE))
		return -EINVAL;
	if ((flags & KIPC_OPEN_ANON) && (flags & ~KIPC_OPEN_ANON))
		return -EINVAL;
	if (mode & ~0777)
		return -EINVAL;
	if (len == KIPC_NAME_MAX)
		return -ENAMETOOLONG;
	if (flags & KIPC_OPEN_ANON) {
		if (len)
			return -EINVAL;
	} else {
		if (!len)
			return -EINVAL;
		for (i = 0; i < len; i++)
			if (name[i] <= ' ' || name[i] > '~' || name[i] == '/')
				return -EINVAL;
	}
	req->flags = flags;
	req->who = who;
	req->mode = mode & ~current_umask();
	memcpy(req->name, name, len + 1);
	return 0;
}

/* --- binding --- */

static int kipc_bind_begin(struct file *file)
{
	if (cmpxchg(&file->private_data, NULL, KIPC_BINDING))
		return -EBUSY;
	return 0;
}

static void kipc_bind_abort(struct file *file)
{
	WRITE_ONCE(file->private_data, NULL);
}

static void kipc_bind_commit(struct file *file, struct kipc_obj *obj)
{
	/* Publish the fully set-up object; pairs with kipc_file_obj(). */
	smp_store_release(&file->private_data, obj);
}

/**
 * kipc_bind_file() - bind an unbound file to something made for it alone
 * @file: the file
 * @obj: fully set up, with a reference for the file; not in the object
 *	table (a notification channel), so its ops->put drops that reference
 *
 * Return: 0; -EBUSY if the file is bound already.
 */
int kipc_bind_file(struct file *file, struct kipc_obj *obj)
{
	int err = kipc_bind_begin(file);

	if (err)
		return err;
	kipc_bind_commit(file, obj);
	return 0;
}

/* Create an object of @ops's kind; kipc_registry_lock is held. */
static struct kipc_obj *kipc_obj_create(struct kipc_ns *kns,
					const struct kipc_open_req *req,
					const struct kipc_obj_ops *ops,
					struct kipc_obj *(*create)(const void *arg),
					const void *arg)
{
	const struct cred *cred = req->who->cred;
	struct kipc_obj *obj;
	int err;

	/* The kind charges the opener for what the object may hold. */
	obj = create(arg);
	if (IS_ERR(obj))
		return obj;
	kref_init(&obj->ref);
	/* A kind may make a variant of itself (a broadcast queue). */
	if (!obj->ops)
		obj->ops = ops;
	obj->perm.uid = cred->euid;
	obj->perm.cuid = cred->euid;
	obj->perm.gid = cred->egid;
	obj->perm.cgid = cred->egid;
	obj->perm.mode = req->mode;
	obj->perm.anon = req->flags & KIPC_OPEN_ANON;
	strscpy(obj->name, req->name, sizeof(obj->name));
	INIT_LIST_HEAD(&obj->ns_node);
	err = xa_alloc_cyclic(&kipc_objs, &obj->id, obj, xa_limit_31b,
			      &kipc_next_id, GFP_KERNEL);
	if (err < 0)
		goto err_free;
	kref_get(&kns->ref);
	obj->ns = kns;
	return obj;

err_free:
	kipc_obj_free(obj);
	return ERR_PTR(err);
}

/**
 * kipc_obj_get_or_create() - find or create an object for the caller
 * @req: checked request (kipc_open_req_init())
 * @fmode: access wanted from an existing object (FMODE_READ/FMODE_WRITE)
 * @ops: the kind of object wanted
 * @create: makes a new object of that kind from @arg, or an ERR_PTR
 * @arg: passed to @create
 *
 * Return: the object with a reference for the caller, or an ERR_PTR:
 * -EEXIST, -ENOENT, -EACCES, -EINVAL (the name is another kind of object),
 * or what @create returns (-EMFILE, -EDQUOT, -ENOSPC: budget.c).
 */
struct kipc_obj *kipc_obj_get_or_create(const struct kipc_open_req *req,
					fmode_t fmode,
					const struct kipc_obj_ops *ops,
					struct kipc_obj *(*create)(const void *arg),
					const void *arg)
{
	struct kipc_obj *obj;
	struct kipc_ns *kns;
	int err;

	mutex_lock(&kipc_registry_lock);
	kns = kipc_ns_get_current();
	if (IS_ERR(kns)) {
		err = PTR_ERR(kns);
		goto err_unlock;
	}
	if (req->flags & KIPC_OPEN_ANON) {
		obj = kipc_obj_create(kns, req, ops, create, arg);
		if (IS_ERR(obj)) {
			err = PTR_ERR(obj);
			goto err_ns;
		}
		kipc_event_post(obj, KIPC_EVENT_CREATED);
		if (trace_kipc_obj_create_enabled())
			kipc_trace_obj_create(obj);
		goto found;
	}

	obj = kipc_name_lookup(kns, req->name);
	if (obj) {
		err = -EEXIST;
		if ((req->flags & KIPC_OPEN_CREATE) && (req->flags & KIPC_OPEN_EXCL))
			goto err_ns;
		err = -EINVAL;
		if (obj->ops->type != ops->type)
			goto err_ns;
		err = -EACCES;
		if (!kipc_obj_may_access(obj, fmode, req->who))
			goto err_ns;
		kref_get(&obj->ref);
		goto found;
	}
	err = -ENOENT;
	if (!(req->flags & KIPC_OPEN_CREATE))
		goto err_ns;
	obj = kipc_obj_create(kns, req, ops, create, arg);
	if (IS_ERR(obj)) {
		err = PTR_ERR(obj);
		goto err_ns;
	}
	err = rhashtable_insert_fast(&kipc_names, &obj->name_node, kipc_name_params);
	if (err) {
		/* Never seen by anyone: no event, as kipc_obj_create() fails. */
		xa_erase(&kipc_objs, obj->id);
		kipc_obj_free(obj);
		kipc_ns_put(kns);
		goto err_ns;
	}
	/* The name holds a reference of its own. */
	kref_get(&obj->ref);
	list_add_tail(&obj->ns_node, &kns->names);
	obj->linked = true;
	kipc_event_post(obj, KIPC_EVENT_CREATED);
	if (trace_kipc_obj_create_enabled())
		kipc_trace_obj_create(obj);
found:
	kipc_ns_put(kns);
	kipc_registry_unlock();
	return obj;

err_ns:
	kipc_ns_put(kns);
err_unlock:
	kipc_registry_unlock();
	return ERR_PTR(err);
}

/**
 * kipc_obj_open() - bind a file to a new or existing object
 * @file: the unbound file
 * @req: checked request (kipc_open_req_init())
 * @ops: the kind of object wanted
 * @create: makes a new object of that kind from @arg, or an ERR_PTR
 * @arg: passed to @create
 *
 * Return: 0; -EBUSY if the file is bound already; or as
 * kipc_obj_get_or_create().
 */
int kipc_obj_open(struct file *file, const struct kipc_open_req *req,
		  const struct kipc_obj_ops *ops,
		  struct kipc_obj *(*create)(const void *arg), const void *arg)
{
	struct kipc_obj *obj;
	int err;

	err = kipc_bind_begin(file);
	if (err)
		return err;
	obj = kipc_obj_get_or_create(req, file->f_mode, ops, create, arg);
	if (IS_ERR(obj)) {
		kipc_bind_abort(file);
		return PTR_ERR(obj);
	}
	if (obj->ops->bind) {
		err = obj->ops->bind(obj, file);
		if (err) {
			kipc_obj_put(obj);
			kipc_bind_abort(file);
			return err;
		}
	}
	kipc_bind_commit(file, obj);
	return 0;
}

/**
 * kipc_obj_lookup() - find a name in the caller's IPC namespace
 * @name: validated name
 *
 * Return: the object with a reference, or NULL.
 */
struct kipc_obj *kipc_obj_lookup(const char *name)
{
	struct kipc_obj *obj = NULL;
	struct kipc_ns *kns;

	mutex_lock(&kipc_registry_lock);
	kns = kipc_ns_find_current();
	if (kns)
		obj = kipc_name_lookup(kns, name);
	if (obj)
		kref_get(&obj->ref);
	mutex_unlock(&kipc_registry_lock);
	return obj;
}

/**
 * kipc_obj_owned() - may @who change or remove @obj?
 * @obj: an object of the caller's IPC namespace
 * @who: the opener of the file or socket the request came through
 *
 * Return: true for the owner, the creator, or CAP_SYS_ADMIN in the
 * namespace's user namespace.
 */
bool kipc_obj_owned(const struct kipc_obj *obj, const struct kipc_who *who)
{
	return kipc_obj_is_owner(obj, who);
}

/**
 * kipc_who_ipc_owner() - may @who open every object of the caller's namespace?
 * @who: the opener of the file or socket the request came through
 *
 * Return: true with CAP_IPC_OWNER in the IPC namespace's user namespace.
 */
bool kipc_who_ipc_owner(const struct kipc_who *who)
{
	return kipc_who_capable(who, kipc_current_userns(), CAP_IPC_OWNER);
}

/**
 * kipc_obj_visible() - may @who see @obj's details (kipc_perm_visible())?
 * @obj: the object
 * @who: the opener of the socket asking
 * @ipc_owner: kipc_who_ipc_owner(@who), asked once per request
 *
 * Return: true if it may.
 */
bool kipc_obj_visible(const struct kipc_obj *obj, const struct kipc_who *who,
		      bool ipc_owner)
{
	return kipc_perm_visible(&obj->perm, who->cred, ipc_owner);
}

/**
 * kipc_obj_set_mode() - change the permission bits of an object
 * @obj: the object
 * @mode: new bits, 0 to 0777
 */
void kipc_obj_set_mode(struct kipc_obj *obj, umode_t mode)
{
	mutex_lock(&kipc_registry_lock);
	WRITE_ONCE(obj->perm.mode, mode);
	mutex_unlock(&kipc_registry_lock);
}

/**
 * kipc_obj_iterate() - visit the objects of the caller's IPC namespace
 * @pos: id to start from; on return, the id to resume from
 * @fn: called for each object, in id order, under kipc_registry_lock;
 *	a non-zero return stops the walk before that object (it is visited
 *	again on resumption) and is returned
 * @data: passed to @fn
 *
 * Return: 0 when every object was visited, or what @fn returned.
 */
int kipc_obj_iterate(unsigned long *pos,
		     int (*fn)(struct kipc_obj *obj, void *data), void *data)
{
	struct kipc_obj *obj;
	struct kipc_ns *kns;
	unsigned long id;
	int ret = 0;

	mutex_lock(&kipc_registry_lock);
	kns = kipc_ns_find_current();
	if (!kns)
		goto out;
	xa_for_each_start(&kipc_objs, id, obj, *pos) {
		if (obj->ns != kns)
			continue;
		ret = fn(obj, data);
		if (ret) {
			*pos = id;
			goto out;
		}
	}
	*pos = ULONG_MAX;
out:
	mutex_unlock(&kipc_registry_lock);
	return ret;
}

/**
 * kipc_ns_current_get() - the caller's namespace record, for subscriptions
 *
 * Return: the record with a reference (kipc_ns_put() drops it), or an ERR_PTR.
 */
struct kipc_ns *kipc_ns_current_get(void)
{
	struct kipc_ns *kns;

	mutex_lock(&kipc_registry_lock);
	kns = kipc_ns_get_current();
	kipc_registry_unlock();
	return kns;
}

/**
 * kipc_obj_unlink() - remove a name from the caller's IPC namespace
 * @who: the opener of the file or socket the request came through
 * @name: validated name
 *
 * Return: 0; -ENOENT if there is no such name; -EPERM unless @who owns
 * the object or has CAP_SYS_ADMIN in the namespace's user namespace.
 */
int kipc_obj_unlink(const struct kipc_who *who, const char *name)
{
	struct kipc_obj *obj;
	struct kipc_ns *kns;
	int err = -ENOENT;

	mutex_lock(&kipc_registry_lock);
	kns = kipc_ns_get_current();
	if (IS_ERR(kns)) {
		err = PTR_ERR(kns);
		goto out_unlock;
	}
	obj = kipc_name_lookup(kns, name);
	if (obj) {
		err = -EPERM;
		if (kipc_obj_is_owner(obj, who)) {
			kipc_obj_unlink_locked(obj);
			err = 0;
		}
	}
	kipc_ns_put(kns);
out_unlock:
	kipc_registry_unlock();
	return err;
}

/**
 * kipc_obj_fill_stats() - fill struct kipc_stats for an object
 * @obj: the object
 * @st: zeroed stats to fill
 * @userns: user namespace to express the owner in
 */
void kipc_obj_fill_stats(struct kipc_obj *obj, struct kipc_stats *st,
			 struct user_namespace *userns)
{
	st->type = obj->ops->type;
	st->id = obj->id;
	st->mode = READ_ONCE(obj->perm.mode);
	st->uid = from_kuid_munged(userns, obj->perm.uid);
	st->gid = from_kgid_munged(userns, obj->perm.gid);
	obj->ops->fill_stats(obj, st);
}

/**
 * kipc_obj_snap() - take a snapshot of an object for netlink
 * @obj: the object
 * @snap: filled in; the owner is in @snap->perm, not in @snap->st
 */
void kipc_obj_snap(struct kipc_obj *obj, struct kipc_snap *snap)
{
	memset(&snap->st, 0, sizeof(snap->st));
	snap->perm = obj->perm;
	snap->perm.mode = READ_ONCE(obj->perm.mode);
	snap->st.type = obj->ops->type;
	snap->st.id = obj->id;
	snap->st.mode = snap->perm.mode;
	obj->ops->fill_stats(obj, &snap->st);
	snap->mem_bytes = obj->ops->mem_bytes(obj);
	strscpy(snap->name, obj->name, sizeof(snap->name));
}

int kipc_objects_init(void)
{
	int err = rhashtable_init(&kipc_names, &kipc_name_params);

	if (err)
		return err;
	kipc_budget_init();
	return 0;
}

/* Module unload: every file is closed, so only names hold objects. */
void kipc_objects_exit(void)
{
	cancel_delayed_work_sync(&kipc_reap_work);
	mutex_lock(&kipc_registry_lock);
	kipc_ns_reap(true);
	kipc_registry_unlock();
	WARN_ON(!xa_empty(&kipc_objs));
	rhashtable_destroy(&kipc_names);
	kipc_budget_exit();
}
