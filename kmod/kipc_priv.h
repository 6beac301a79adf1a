/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc - private declarations shared by the module's source files.
 */
#ifndef _KIPC_PRIV_H
#define _KIPC_PRIV_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/rhashtable-types.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/stringify.h>
#include <linux/time_namespace.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/kipc.h>

#include "compat.h"
#include "usercopy.h"

#define KIPC_VERSION_STRING			\
	__stringify(KIPC_VERSION_MAJOR) "."	\
	__stringify(KIPC_VERSION_MINOR) "."	\
	__stringify(KIPC_VERSION_PATCH)

/* Kinds of object: %KIPC_TYPE_* values run from 1 to KIPC_NR_TYPES. */
#define KIPC_NR_TYPES	2

/* Shared buffer ceilings no module parameter can raise (netlink's policy too). */
#define KIPC_HARD_SHBUF_SIZE_MAX	((u64)SZ_1G)
#define KIPC_HARD_SEMS_MAX		4096U

struct cred;
struct ipc_namespace;
struct kipc_obj;
struct kipc_ns;
struct sk_buff;
struct user_namespace;
struct vm_area_struct;

/**
 * struct kipc_who - whose rights an operation is checked against
 * @cred: credentials of whoever opened the file or socket the request
 *	came through, never of whoever happens to write to it
 * @file: the /dev/kipc file of an ioctl, or NULL
 * @skb: the netlink request, whose socket's opener is asking, or NULL
 *
 * A process gains no rights by writing into a descriptor someone else
 * opened (the CVE-2014-0181 pattern): capabilities are checked with
 * file_ns_capable() or netlink_ns_capable(), which look at the opener.
 */
struct kipc_who {
	const struct cred *cred;
	struct file *file;
	const struct sk_buff *skb;
};

/* perm.c */
void kipc_who_init_file(struct kipc_who *who, struct file *file);
void kipc_who_init_skb(struct kipc_who *who, const struct sk_buff *skb);
bool kipc_who_capable(const struct kipc_who *who, struct user_namespace *ns,
		      int cap);

/**
 * struct kipc_perm - who owns an object and what its mode bits allow
 * @uid: owner
 * @gid: owning group
 * @cuid: creator
 * @cgid: creator's group
 * @mode: permission bits
 * @anon: the object has no name
 */
struct kipc_perm {
	kuid_t uid;
	kgid_t gid;
	kuid_t cuid;
	kgid_t cgid;
	umode_t mode;
	bool anon;
};

#define KIPC_MAY_READ	4
#define KIPC_MAY_WRITE	2

bool kipc_perm_mode_allows(const struct kipc_perm *perm,
			   const struct cred *cred, int want);
bool kipc_perm_is_owner(const struct kipc_perm *perm, const struct cred *cred);
bool kipc_perm_visible(const struct kipc_perm *perm, const struct cred *cred,
		       bool ipc_owner);

/* What a charge counts besides bytes (budget.c). */
enum kipc_charge_kind {
	KIPC_CHARGE_QUEUE,
	KIPC_CHARGE_SHBUF,
	KIPC_CHARGE_SUB,
	KIPC_CHARGE_BYTES,	/* bytes only: undo records */
};

#define KIPC_NR_COUNTED	KIPC_CHARGE_BYTES

/**
 * struct kipc_charge - what one object or record holds of the budgets
 * @ns: user namespace of the first account charged, with a reference;
 *	NULL while nothing is charged
 * @uid: the user of that account
 * @bytes: bytes reserved
 * @kind: %KIPC_CHARGE_* counted
 */
struct kipc_charge {
	struct user_namespace *ns;
	kuid_t uid;
	u64 bytes;
	enum kipc_charge_kind kind;
};

/**
 * struct kipc_budget_info - one account's usage and the limits
 * @bytes: bytes charged to the account
 * @count: objects and subscriptions charged, by %KIPC_CHARGE_* kind
 * @bytes_max: the per-user byte budget
 * @total: bytes charged by everyone
 * @total_max: the ceiling for everyone
 */
struct kipc_budget_info {
	u64 bytes;
	u32 count[KIPC_NR_COUNTED];
	u64 bytes_max;
	u64 total;
	u64 total_max;
};

/* budget.c */
int kipc_charge(struct kipc_charge *c, const struct kipc_who *who,
		enum kipc_charge_kind kind, u64 bytes);
int kipc_charge_more(struct kipc_charge *c, const struct kipc_who *who,
		     u64 bytes);
void kipc_uncharge(struct kipc_charge *c);
void kipc_budget_read(const struct cred *cred, struct kipc_budget_info *info);
struct kipc_acct;
struct kipc_acct *kipc_fds_charge(const struct kipc_who *who, unsigned int n,
				  unsigned long limit);
void kipc_fds_uncharge(struct kipc_acct *a, unsigned int n);
void kipc_budget_init(void);
void kipc_budget_exit(void);

/**
 * struct kipc_ns_events - a namespace's event subscribers and queue
 * @mutex: serialises delivery, and guards @subs and @nsubs
 * @subs: subscribers (struct kipc_sub)
 * @nsubs: entries of @subs; read without the mutex to skip posting
 * @lock: guards @fifo
 * @fifo: events posted, not yet delivered, oldest first
 * @pending: on the list of namespaces with events to deliver (events.c)
 * @pending_link: entry in that list
 * @unposted: events that could not be posted (no memory), to report
 */
struct kipc_ns_events {
	struct mutex mutex;	/* see above */
	struct list_head subs;
	unsigned int nsubs;
	spinlock_t lock;	/* see above */
	struct list_head fifo;
	bool pending;
	struct list_head pending_link;
	atomic64_t unposted;
};

/**
 * struct kipc_snap - an object as netlink shows it, at one moment
 * @perm: ownership and mode, for the visibility check and for the owner
 *	fields of a reply (translated for each reader)
 * @st: statistics; @st.uid and @st.gid are left zero
 * @mem_bytes: kernel memory the object held
 * @name: its name, empty when anonymous
 */
struct kipc_snap {
	struct kipc_perm perm;
	struct kipc_stats st;
	u64 mem_bytes;
	char name[KIPC_NAME_MAX];
};

/**
 * struct kipc_ev - one event, as posted
 * @link: entry in its namespace's fifo
 * @type: %KIPC_EVENT_*
 * @snap: the object when the event happened
 */
struct kipc_ev {
	struct list_head link;
	u32 type;
	struct kipc_snap snap;
};

/**
 * struct kipc_sub - a subscriber to a namespace's events
 * @link: entry in the namespace's subscriber list
 * @kns: the namespace, with a reference
 * @cred: the subscriber's credentials (its socket's opener), with a reference
 * @ipc_owner: it had CAP_IPC_OWNER in the namespace's user namespace
 * @lost: events it missed since the last one it got
 * @deliver: hand it one event; @lost to report with it; non-zero if lost
 * @charge: what the subscription holds of its user's budget
 */
struct kipc_sub {
	struct list_head link;
	struct kipc_ns *kns;
	const struct cred *cred;
	bool ipc_owner;
	u64 lost;
	int (*deliver)(struct kipc_sub *sub, const struct kipc_ev *ev, u64 lost);
	struct kipc_charge charge;
};

/* events.c */
void kipc_events_ns_init(struct kipc_ns *kns);
void kipc_events_ns_free(struct kipc_ns *kns);
bool kipc_event_post(struct kipc_obj *obj, u32 type);
void kipc_events_flush(void);
int kipc_sub_add(struct kipc_sub *sub, const struct kipc_who *who);
void kipc_sub_del(struct kipc_sub *sub);

/* kipc_trace.c */
void kipc_trace_obj_create(struct kipc_obj *obj);

/**
 * struct kipc_ns - kipc's view of one IPC namespace
 * @ipc_ns: the namespace; kipc holds one reference on it while this lives
 * @ref: objects and subscribers of this namespace, pending event
 *	deliveries, plus the registry's own reference
 * @link: entry in the list of namespaces (object.c, under kipc_registry_lock)
 * @names: its linked objects (object.c, under kipc_registry_lock), so
 *	reaping it need not walk every name of every namespace
 * @dead: set once the namespace had no user left and its names were reaped
 * @ev: its event subscribers and undelivered events (events.c)
 */
struct kipc_ns {
	struct ipc_namespace *ipc_ns;
	struct kref ref;
	struct list_head link;
	struct list_head names;
	bool dead;
	struct kipc_ns_events ev;
};

/**
 * struct kipc_obj_ops - what differs between kinds of object
 * @type: %KIPC_TYPE_* value
 * @free: release the object's memory once its last reference is gone
 * @fill_stats: fill the kind-specific part of struct kipc_stats; must not
 *	sleep or touch user memory
 * @mem_bytes: kernel memory the object holds now
 * @flush: optional: a descriptor of a bound file is being closed by the
 *	process whose descriptor table is @id (file_operations.flush)
 * @release: optional: the last reference to a bound file is going, before
 *	the file's reference to the object is dropped
 * @put: optional: drop a released file's reference in place of
 *	kipc_obj_put(), for what a file is bound to outside the object
 *	table (a notification channel)
 * @bind: optional: @file is about to be bound to the object (new or
 *	existing), which may refuse it; nothing else sees @file bound yet
 * @file_stats: optional: fill what struct kipc_stats says of @file itself
 *	(a broadcast queue's subscriber); must not sleep or touch user memory
 */
struct kipc_obj_ops {
	u32 type;
	void (*free)(struct kipc_obj *obj);
	void (*fill_stats)(struct kipc_obj *obj, struct kipc_stats *st);
	u64 (*mem_bytes)(struct kipc_obj *obj);
	void (*flush)(struct kipc_obj *obj, struct file *file, fl_owner_t id);
	void (*release)(struct kipc_obj *obj, struct file *file);
	void (*put)(struct kipc_obj *obj);
	int (*bind)(struct kipc_obj *obj, struct file *file);
	void (*file_stats)(struct kipc_obj *obj, struct file *file,
			   struct kipc_stats *st);
};

/**
 * struct kipc_obj - what queues and shared buffers have in common
 * @ref: one per bound file, one for the name while linked
 * @ops: kind of object
 * @id: id in the object table, unique while the module is loaded
 * @ns: namespace the object was created in
 * @name_node: entry in the name table while linked
 * @ns_node: entry in its namespace's list of names while linked
 * @linked: the name is in the table (under kipc_registry_lock)
 * @perm: owner, creator and mode bits (mode changes under
 *	kipc_registry_lock; readers without it use READ_ONCE)
 * @charge: what the object holds of its creator's budgets; set by the
 *	kind's create function, released when the object is freed
 * @name: NUL-terminated name, empty for an anonymous object
 */
struct kipc_obj {
	struct kref ref;
	const struct kipc_obj_ops *ops;
	u32 id;
	struct kipc_ns *ns;
	struct rhash_head name_node;
	struct list_head ns_node;
	bool linked;
	struct kipc_perm perm;
	struct kipc_charge charge;
	char name[KIPC_NAME_MAX];
};

/**
 * struct kipc_open_req - the common part of an open request
 * @flags: %KIPC_OPEN_* flags
 * @mode: permission bits for a new object
 * @who: whose rights the request is checked against, and who is charged
 * @name: validated, NUL-terminated name (empty when anonymous)
 */
struct kipc_open_req {
	u32 flags;
	umode_t mode;
	const struct kipc_who *who;
	char name[KIPC_NAME_MAX];
};

/* object.c */
int kipc_open_req_init(struct kipc_open_req *req, const struct kipc_who *who,
		       u32 flags, u32 mode, const char *name);
int kipc_obj_open(struct file *file, const struct kipc_open_req *req,
		  const struct kipc_obj_ops *ops,
		  struct kipc_obj *(*create)(const void *arg), const void *arg);
struct kipc_obj *kipc_obj_get_or_create(const struct kipc_open_req *req,
					fmode_t fmode,
					const struct kipc_obj_ops *ops,
					struct kipc_obj *(*create)(const void *arg),
					const void *arg);
void kipc_obj_put(struct kipc_obj *obj);
int kipc_bind_file(struct file *file, struct kipc_obj *obj);
int kipc_obj_unlink(const struct kipc_who *who, const char *name);
struct kipc_obj *kipc_obj_lookup(const char *name);
bool kipc_obj_owned(const struct kipc_obj *obj, const struct kipc_who *who);
bool kipc_obj_visible(const struct kipc_obj *obj, const struct kipc_who *who,
		      bool ipc_owner);
bool kipc_who_ipc_owner(const struct kipc_who *who);
void kipc_obj_set_mode(struct kipc_obj *obj, umode_t mode);
void kipc_obj_snap(struct kipc_obj *obj, struct kipc_snap *snap);
int kipc_obj_iterate(unsigned long *pos,
		     int (*fn)(struct kipc_obj *obj, void *data), void *data);
struct kipc_ns *kipc_ns_current_get(void);
void kipc_ns_put(struct kipc_ns *kns);
void kipc_obj_fill_stats(struct kipc_obj *obj, struct kipc_stats *st,
			 struct user_namespace *userns);
int kipc_objects_init(void);
void kipc_objects_exit(void);

extern const struct file_operations kipc_fops;

/* private_data of a file while an ioctl binds it: not an object yet. */
#define KIPC_BINDING		((void *)1)

/**
 * kipc_file_obj() - the object a file is bound to
 * @file: an open /dev/kipc file
 *
 * Inline: every read, write and data ioctl starts here.
 *
 * Return: the object, or NULL while the file is unbound.
 */
static inline struct kipc_obj *kipc_file_obj(struct file *file)
{
	/* Pairs with kipc_bind_commit(): the object is set up before we see it. */
	struct kipc_obj *obj = smp_load_acquire(&file->private_data);

	return obj == KIPC_BINDING ? NULL : obj;
}

/* A command without its size: magic, number and direction. */
#define KIPC_IOC_NOSIZE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

/**
 * kipc_get_arg() - read an extensible ioctl argument
 * @karg: kernel copy, @ksize bytes
 * @ksize: sizeof the kernel's struct
 * @ver0: size of the struct's first published version
 * @uarg: user pointer to a struct whose first member is its __u32 size
 * @usize: the size the caller's command number encodes, _IOC_SIZE(cmd)
 *
 * The struct's size field must equal @usize (-EINVAL otherwise, however
 * the two differ: a mismatch is a caller's bug, and E2BIG would tell it to
 * retry with an older struct). Then, as copy_struct_from_user() users do:
 * shorter than @ver0 is -EINVAL; above a page, or longer than @ksize with
 * a non-zero tail, -E2BIG.
 *
 * Inline so that the common case, userspace built against this very
 * header, is one copy of constant size, word by word (usercopy.h), and
 * one compare: no second read of the size field, no hardened-usercopy
 * lookup and no byte loop on the data path.
 *
 * Return: 0; -EFAULT; -EINVAL; -E2BIG.
 */
static __always_inline int kipc_get_arg(void *karg, size_t ksize, size_t ver0,
					const void __user *uarg, u32 usize)
{
	u32 field;

	if (likely(usize == ksize)) {
		int ret = ksize <= KIPC_SMALL_COPY ?
			  kipc_copy_from_user_small(karg, uarg, ksize) :
			  (copy_from_user(karg, uarg, ksize) ? -EFAULT : 0);

		if (ret)
			return ret;
		return *(u32 *)karg == usize ? 0 : -EINVAL;
	}
	if (get_user(field, (const u32 __user *)uarg))
		return -EFAULT;
	if (field != usize || usize < ver0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(karg, ksize, uarg, usize);
}

/* netlink.c */
int kipc_nl_init(void);
void kipc_nl_exit(void);

/* queue.c */
long kipc_queue_open_ioctl(struct file *file, struct kipc_queue_open __user *uarg,
			   u32 usize);
long kipc_queue_ioctl(struct file *file, unsigned int cmd, void __user *uarg);
long kipc_queue_cmd(struct file *file, unsigned int cmd, void __user *uarg,
		    bool nonblock);
struct io_uring_cmd;
int kipc_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);
long kipc_queue_notify_ioctl(struct file *file, struct kipc_notify __user *uarg,
			     u32 usize);
ssize_t kipc_queue_read(struct file *file, char __user *buf, size_t len);
ssize_t kipc_queue_write(struct file *file, const char __user *buf, size_t len);
__poll_t kipc_queue_poll(struct file *file, struct poll_table_struct *pt);
int kipc_queue_check_maxmsg(struct kipc_obj *obj, u32 maxmsg);
int kipc_queue_set_maxmsg(struct kipc_obj *obj, u32 maxmsg,
			  const struct kipc_who *who);
struct kipc_obj *kipc_queue_get_or_create(const struct kipc_open_req *req,
					  u32 maxmsg, u32 msgsize, u32 send_lowat,
					  u32 options);
extern const struct kipc_obj_ops kipc_queue_ops;

/* bcast.c */
extern const struct kipc_obj_ops kipc_bcast_ops;
bool kipc_is_bcast(const struct kipc_obj *obj);
struct kipc_obj *kipc_bcast_create(u32 maxmsg, u32 msgsize, u32 send_lowat,
				   u32 options, const struct kipc_who *who);
ssize_t kipc_bcast_read(struct file *file, char __user *buf, size_t len);
ssize_t kipc_bcast_write(struct file *file, const char __user *buf, size_t len);
__poll_t kipc_bcast_poll(struct file *file, struct poll_table_struct *pt);
long kipc_bcast_ioctl(struct file *file, unsigned int cmd, void __user *uarg,
		      bool nonblock);
size_t kipc_bcast_nl_size(struct kipc_obj *obj);
void kipc_bcast_nl_put_subs(struct sk_buff *skb, struct kipc_obj *obj,
			    struct user_namespace *userns);

/* notify.c */
struct kipc_notify_reg;
extern const struct kipc_obj_ops kipc_channel_ops;
bool kipc_is_channel(const struct kipc_obj *obj);
long kipc_channel_open_ioctl(struct file *file,
			     struct kipc_channel_open __user *uarg, u32 usize);
ssize_t kipc_channel_read(struct file *file, char __user *buf, size_t len);
__poll_t kipc_channel_poll(struct file *file, struct poll_table_struct *pt);
struct kipc_notify_reg *kipc_notify_reg_new(const struct kipc_notify *arg,
					    u32 queue_id);
void kipc_notify_reg_free(struct kipc_notify_reg *reg);
bool kipc_notify_owned(const struct kipc_notify_reg *reg);
bool kipc_notify_stale(const struct kipc_notify_reg *reg);
void kipc_notify_fire(struct kipc_notify_reg *reg);

/* shbuf.c */
long kipc_shbuf_open_ioctl(struct file *file, struct kipc_shbuf_open __user *uarg,
			   u32 usize);
long kipc_shbuf_ioctl(struct file *file, unsigned int cmd, void __user *uarg);
int kipc_shbuf_mmap(struct file *file, struct vm_area_struct *vma);
struct kipc_obj *kipc_shbuf_get_or_create(const struct kipc_open_req *req,
					  u64 bufsize, u32 nsems,
					  const u32 *values, u32 *bad);
extern const struct kipc_obj_ops kipc_shbuf_ops;

/*
 * A deadline from userspace is an absolute CLOCK_MONOTONIC time of the
 * caller's time namespace; hrtimers run on the host's. Convert it once, as
 * it enters, the way timens_ktime_to_host() does (its out-of-line helper is
 * not exported, so the namespace's offset is applied here): a deadline
 * before the offset has passed (0), one beyond KTIME_MAX saturates, and a
 * negative one stays negative for the caller's EINVAL check. The initial
 * namespace's offset is 0, so outside a time namespace this is a load and a
 * test; without CONFIG_TIME_NS it is nothing.
 */
static __always_inline ktime_t kipc_deadline_to_host(s64 deadline_ns)
{
	ktime_t off, host;

	if (!IS_ENABLED(CONFIG_TIME_NS) || deadline_ns < 0)
		return deadline_ns;
	off = timespec64_to_ktime(current->nsproxy->time_ns->offsets.monotonic);
	if (likely(!off))
		return deadline_ns;
	if (deadline_ns < off)
		return 0;
	if (check_sub_overflow(deadline_ns, off, &host))
		return KTIME_MAX;
	return host;
}

#endif /* _KIPC_PRIV_H */
