// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - the "kipc" generic netlink family: control, statistics, events.
 *
 * Every command works on the caller's IPC namespace: a dump lists only its
 * objects, a name is looked up only there, and events go only to sockets
 * that subscribed from a task in the same namespace.
 *
 * Permissions are the socket opener's, never the writer's (struct
 * kipc_who, perm.c): a socket handed to a setuid program as its stdout
 * lends nobody that program's rights. Anyone may create (charged to the
 * opener's budgets, budget.c); changing or unlinking an object needs its
 * ownership or CAP_SYS_ADMIN in the IPC namespace's user namespace; GET,
 * dumps, totals and events show an object only to those who may see it
 * (kipc_perm_visible(): the owner, those its mode lets read it,
 * CAP_IPC_OWNER). Every rejection carries an extack message.
 *
 * Events are unicast to subscribers rather than multicast. 6.1 offers no
 * per-listener filter for a multicast (netlink_broadcast_filtered() is gone
 * and generic netlink has no per-socket state before 6.10), so a multicast
 * group would leak one IPC namespace's events to another that shares its
 * network namespace, and objects to users who may not see them. A socket
 * subscribes with KIPC_CMD_SUBSCRIBE to events.c, which delivers through
 * kipc_nl_deliver(); its entry goes away when it unsubscribes or closes
 * (the NETLINK_URELEASE notifier), so the net pointer an entry holds is
 * valid as long as the entry.
 *
 * Locking: kipc_nl_lock (a mutex) guards the table of subscribed sockets,
 * for lookups by (net, port id) only; delivery runs under the namespace's
 * own event mutex (events.c), never under kipc_nl_lock or the registry lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "kipc_priv.h"

/**
 * struct kipc_nl_sub - a socket that subscribed to events
 * @sub: its subscription (events.c)
 * @node: entry in kipc_nl_subs, by (net, portid)
 * @net: the socket's network namespace; valid while the entry exists
 * @portid: the socket's port id
 */
struct kipc_nl_sub {
	struct kipc_sub sub;
	struct hlist_node node;
	struct net *net;
	u32 portid;
};

static DEFINE_MUTEX(kipc_nl_lock);
static DEFINE_HASHTABLE(kipc_nl_subs, 8);

static struct genl_family kipc_genl_family;

static struct netlink_range_validation kipc_nl_maxmsg_range = {
	.min = 1,
	.max = 65536,
};

static struct netlink_range_validation kipc_nl_msgsize_range = {
	.min = 1,
	.max = 16U << 20,
};

static struct netlink_range_validation kipc_nl_size_range = {
	.min = 0,
	.max = KIPC_HARD_SHBUF_SIZE_MAX,
};

/* Attributes not listed are output only, and strict validation refuses them. */
static const struct nla_policy kipc_nl_policy[KIPC_A_MAX + 1] = {
	[KIPC_A_TYPE]		= NLA_POLICY_RANGE(NLA_U32, KIPC_TYPE_QUEUE, KIPC_NR_TYPES),
	[KIPC_A_NAME]		= { .type = NLA_NUL_STRING, .len = KIPC_NAME_MAX - 1 },
	[KIPC_A_MODE]		= NLA_POLICY_MAX(NLA_U32, 0777),
	[KIPC_A_MAXMSG]		= NLA_POLICY_FULL_RANGE(NLA_U32, &kipc_nl_maxmsg_range),
	[KIPC_A_MSGSIZE]	= NLA_POLICY_FULL_RANGE(NLA_U32, &kipc_nl_msgsize_range),
	[KIPC_A_SIZE]		= NLA_POLICY_FULL_RANGE(NLA_U64, &kipc_nl_size_range),
	[KIPC_A_NSEMS]		= NLA_POLICY_MAX(NLA_U32, KIPC_HARD_SEMS_MAX),
	[KIPC_A_SEM_VALUES]	= NLA_POLICY_RANGE(NLA_BINARY, sizeof(u32),
						   KIPC_HARD_SEMS_MAX * sizeof(u32)),
	[KIPC_A_SEND_LOWAT]	= NLA_POLICY_FULL_RANGE(NLA_U32, &kipc_nl_maxmsg_range),
	[KIPC_A_OPTIONS]	= NLA_POLICY_MASK(NLA_U32, KIPC_QUEUE_OPTIONS),
};

/* --- messages --- */

/* Room for every attribute kipc_nl_fill() may put, of either kind. */
static size_t kipc_nl_obj_size(void)
{
	/* event .. sem-sleepers, send-lowat, subscribers; lost .. sem-posts, dropped */
	return nla_total_size(sizeof(u32)) * 16 +
	       nla_total_size(KIPC_NAME_MAX) +
	       nla_total_size_64bit(sizeof(u64)) * 14;
}

/* One object (@snap) as @userns sees its owner; @lost only in events. */
static int kipc_nl_fill(struct sk_buff *skb, const struct kipc_snap *snap,
			u32 portid, u32 seq, int flags, u8 cmd, u32 event,
			u64 lost, struct user_namespace *userns)
{
	const struct kipc_stats *st = &snap->st;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &kipc_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if ((event && nla_put_u32(skb, KIPC_A_EVENT, event)) ||
	    (lost && nla_put_u64_64bit(skb, KIPC_A_EVENTS_LOST, lost, KIPC_A_PAD)) ||
	    nla_put_u32(skb, KIPC_A_ID, st->id) ||
	    nla_put_u32(skb, KIPC_A_TYPE, st->type) ||
	    (snap->name[0] ? nla_put_string(skb, KIPC_A_NAME, snap->name) :
			     nla_put_flag(skb, KIPC_A_ANON)) ||
	    nla_put_u32(skb, KIPC_A_MODE, st->mode) ||
	    nla_put_u32(skb, KIPC_A_UID, from_kuid_munged(userns, snap->perm.uid)) ||
	    nla_put_u32(skb, KIPC_A_GID, from_kgid_munged(userns, snap->perm.gid)) ||
	    nla_put_u64_64bit(skb, KIPC_A_MEM_BYTES, snap->mem_bytes, KIPC_A_PAD))
		goto cancel;
	if (st->type == KIPC_TYPE_QUEUE &&
	    (nla_put_u32(skb, KIPC_A_MAXMSG, st->maxmsg) ||
	     nla_put_u32(skb, KIPC_A_MSGSIZE, st->msgsize) ||
	     nla_put_u32(skb, KIPC_A_SEND_LOWAT, st->send_lowat) ||
	     nla_put_u32(skb, KIPC_A_OPTIONS, st->options) ||
	     nla_put_u32(skb, KIPC_A_CURMSGS, st->curmsgs) ||
	     nla_put_u32(skb, KIPC_A_HWM, st->hwm) ||
	     nla_put_u64_64bit(skb, KIPC_A_BYTES, st->bytes, KIPC_A_PAD) ||
	     nla_put_u64_64bit(skb, KIPC_A_SENT, st->sent, KIPC_A_PAD) ||
	     nla_put_u64_64bit(skb, KIPC_A_RECEIVED, st->received, KIPC_A_PAD) ||
	     nla_put_u64_64bit(skb, KIPC_A_SEND_WAITS, st->send_waits, KIPC_A_PAD) ||
	     nla_put_u64_64bit(skb, KIPC_A_RECV_WAITS, st->recv_waits, KIPC_A_PAD)))
		goto cancel;
	if (st->type == KIPC_TYPE_QUEUE && (st->options & KIPC_QUEUE_BROADCAST) &&
	    (nla_put_u32(skb, KIPC_A_SUBSCRIBERS, st->subscribers) ||
	     nla_put_u64_64bit(skb, KIPC_A_DROPPED, st->dropped, KIPC_A_PAD)))
		goto cancel;
	if (st->type == KIPC_TYPE_SHBUF &&
	    (nla_put_u64_64bit(skb, KIPC_A_SIZE, st->shbuf_size, KIPC_A_PAD) ||
	     nla_put_u32(skb, KIPC_A_NSEMS, st->shbuf_nsems) ||
	     nla_put_u32(skb, KIPC_A_DATA_OFFSET, st->shbuf_data_offset) ||
	     nla_put_u32(skb, KIPC_A_MAPPINGS, st->shbuf_mappings) ||
	     nla_put_u32(skb, KIPC_A_SEM_SLEEPERS, st->sem_sleepers) ||
	     nla_put_u64_64bit(skb, KIPC_A_SEM_WAITS, st->sem_waits, KIPC_A_PAD) ||
	     nla_put_u64_64bit(skb, KIPC_A_SEM_WAKEUPS, st->sem_wakeups, KIPC_A_PAD) ||
	     nla_put_u64_64bit(skb, KIPC_A_SEM_POSTS, st->sem_posts, KIPC_A_PAD)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* A snapshot is large for a stack: replies take one from the heap. */
static int kipc_nl_fill_obj(struct sk_buff *skb, struct kipc_obj *obj,
			    struct genl_info *info, const struct kipc_who *who)
{
	struct kipc_snap *snap = kmalloc(sizeof(*snap), GFP_KERNEL);
	int err;

	if (!snap)
		return -ENOMEM;
	kipc_obj_snap(obj, snap);
	err = kipc_nl_fill(skb, snap, info->snd_portid, info->snd_seq, 0,
			   info->genlhdr->cmd, 0, 0, who->cred->user_ns);
	kfree(snap);
	if (!err && kipc_is_bcast(obj)) {
		/* The reply's only message: its subscribers go at its end. */
		kipc_bcast_nl_put_subs(skb, obj, who->cred->user_ns);
		nlmsg_end(skb, nlmsg_hdr(skb));
	}
	return err;
}

/* Reply to a do request with one object. */
static int kipc_nl_reply_obj(struct genl_info *info, struct kipc_obj *obj,
			     const struct kipc_who *who)
{
	struct sk_buff *skb = genlmsg_new(kipc_nl_obj_size() + kipc_bcast_nl_size(obj),
					  GFP_KERNEL);
	int err;

	if (!skb)
		return -ENOMEM;
	err = kipc_nl_fill_obj(skb, obj, info, who);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	return genlmsg_reply(skb, info);
}

/* A reply to a command that changes something, allocated before the change. */
struct kipc_nl_reply {
	struct sk_buff *skb;
	struct kipc_snap *snap;
};

static int kipc_nl_reply_alloc(struct kipc_nl_reply *r)
{
	r->skb = genlmsg_new(kipc_nl_obj_size(), GFP_KERNEL);
	r->snap = kmalloc(sizeof(*r->snap), GFP_KERNEL);
	if (r->skb && r->snap)
		return 0;
	nlmsg_free(r->skb);
	kfree(r->snap);
	return -ENOMEM;
}

static void kipc_nl_reply_free(struct kipc_nl_reply *r)
{
	nlmsg_free(r->skb);
	kfree(r->snap);
}

/*
 * Reply with one object to a request that changed it, with @r allocated
 * before the change: once the change is made, nothing may fail the
 * command, or userspace would read an error for a change that stays. A
 * reply lost to a full socket is that socket's overrun (it reads
 * ENOBUFS), not a failure of the command.
 */
static int kipc_nl_reply_changed(struct genl_info *info, struct kipc_nl_reply *r,
				 struct kipc_obj *obj, const struct kipc_who *who)
{
	kipc_obj_snap(obj, r->snap);
	/* kipc_nl_obj_size() holds every attribute of an object. */
	if (WARN_ON_ONCE(kipc_nl_fill(r->skb, r->snap, info->snd_portid,
				      info->snd_seq, 0, info->genlhdr->cmd, 0, 0,
				      who->cred->user_ns))) {
		kipc_nl_reply_free(r);
		return 0;
	}
	kfree(r->snap);
	genlmsg_reply(r->skb, info);
	return 0;
}

/* Is a required attribute missing? Says which, and why, in the extack. */
#define kipc_nl_missing(info, attr, msg) ({			\
	struct genl_info *__i = (info);				\
	bool __missing = GENL_REQ_ATTR_CHECK(__i, attr);	\
								\
	if (__missing)						\
		GENL_SET_ERR_MSG(__i, msg);			\
	__missing;						\
})

/* The validated name of a request, or NULL with extack and *err set. */
static const char *kipc_nl_name(struct genl_info *info, struct kipc_open_req *req,
				const struct kipc_who *who, u32 flags, u32 mode,
				int *err)
{
	if (kipc_nl_missing(info, KIPC_A_NAME, "a name is required")) {
		*err = -EINVAL;
		return NULL;
	}
	*err = kipc_open_req_init(req, who, flags, mode,
				  nla_data(info->attrs[KIPC_A_NAME]));
	if (*err) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPC_A_NAME],
				    "a name is 1 to 63 printable ASCII characters, no space or '/'");
		return NULL;
	}
	return req->name;
}

/* --- commands --- */

static int kipc_nl_obj_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipc_open_req req;
	struct kipc_obj *obj;
	struct kipc_who who;
	int err;

	kipc_who_init_skb(&who, skb);
	if (!kipc_nl_name(info, &req, &who, 0, 0, &err))
		return err;
	obj = kipc_obj_lookup(req.name);
	if (!obj) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPC_A_NAME],
				    "no object of that name in this IPC namespace");
		return -ENOENT;
	}
	if (kipc_obj_visible(obj, &who, kipc_who_ipc_owner(&who))) {
		err = kipc_nl_reply_obj(info, obj, &who);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPC_A_NAME],
				    "no permission to read this object");
		err = -EACCES;
	}
	kipc_obj_put(obj);
	return err;
}

struct kipc_nl_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct kipc_who who;
	bool ipc_owner;
	struct kipc_snap snap;
};

static int kipc_nl_dump_one(struct kipc_obj *obj, void *data)
{
	struct kipc_nl_dump *d = data;

	/* Objects the reader may not see are left out, not shown empty. */
	if (!kipc_obj_visible(obj, &d->who, d->ipc_owner))
		return 0;
	kipc_obj_snap(obj, &d->snap);
	return kipc_nl_fill(d->skb, &d->snap, NETLINK_CB(d->cb->skb).portid,
			    d->cb->nlh->nlmsg_seq, NLM_F_MULTI, KIPC_CMD_OBJ_GET,
			    0, 0, d->who.cred->user_ns);
}

static int kipc_nl_obj_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned long pos = cb->args[0];
	struct kipc_nl_dump *d;
	int err;

	if (pos == ULONG_MAX)
		return 0;
	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->skb = skb;
	d->cb = cb;
	/* The request's socket, whoever reads the dump's later parts. */
	kipc_who_init_skb(&d->who, cb->skb);
	d->ipc_owner = kipc_who_ipc_owner(&d->who);
	err = kipc_obj_iterate(&pos, kipc_nl_dump_one, d);
	kfree(d);
	cb->args[0] = pos;
	/* A full skb ends this part of the dump; the next resumes at pos. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	if (err)
		return err;
	return skb->len;
}

/* OBJ_NEW of a queue; extack set on failure. */
static struct kipc_obj *kipc_nl_new_queue(struct genl_info *info,
					  const struct kipc_open_req *req)
{
	struct nlattr **tb = info->attrs;
	struct nlattr *foreign = tb[KIPC_A_SIZE] ?: tb[KIPC_A_NSEMS] ?:
				 tb[KIPC_A_SEM_VALUES];
	u32 maxmsg = 0, msgsize = 0, send_lowat = 0, options = 0;
	struct kipc_obj *obj;

	if (foreign) {
		NL_SET_ERR_MSG_ATTR(info->extack, foreign,
				    "only shared buffers have size, nsems and semaphore values");
		return ERR_PTR(-EINVAL);
	}
	if (tb[KIPC_A_MAXMSG])
		maxmsg = nla_get_u32(tb[KIPC_A_MAXMSG]);
	if (tb[KIPC_A_MSGSIZE])
		msgsize = nla_get_u32(tb[KIPC_A_MSGSIZE]);
	if (tb[KIPC_A_SEND_LOWAT])
		send_lowat = nla_get_u32(tb[KIPC_A_SEND_LOWAT]);
	if (tb[KIPC_A_OPTIONS])
		options = nla_get_u32(tb[KIPC_A_OPTIONS]);
	if (maxmsg && send_lowat > maxmsg) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_SEND_LOWAT],
				    "send-lowat is above maxmsg");
		return ERR_PTR(-EINVAL);
	}
	obj = kipc_queue_get_or_create(req, maxmsg, msgsize, send_lowat, options);
	if (obj != ERR_PTR(-EINVAL) && obj != ERR_PTR(-EOVERFLOW))
		return obj;
	if (send_lowat && !maxmsg)
		NL_SET_ERR_MSG(info->extack,
			       "limits refused by msg_max, msgsize_max or queue_bytes_max, or send-lowat above the default maxmsg");
	else
		NL_SET_ERR_MSG(info->extack,
			       "limits refused by msg_max, msgsize_max or queue_bytes_max");
	return obj;
}

/*
 * OBJ_NEW of a shared buffer; extack set on failure. The limits are
 * checked, and the buffer made, by the code KIPC_IOC_SHBUF_OPEN uses.
 */
static struct kipc_obj *kipc_nl_new_shbuf(struct genl_info *info,
					  const struct kipc_open_req *req)
{
	struct nlattr **tb = info->attrs;
	struct nlattr *foreign = tb[KIPC_A_MAXMSG] ?: tb[KIPC_A_MSGSIZE];
	struct nlattr *values = tb[KIPC_A_SEM_VALUES];
	struct kipc_obj *obj;
	u32 nsems = 0, bad;
	u64 size = 0;

	if (foreign) {
		NL_SET_ERR_MSG_ATTR(info->extack, foreign,
				    "only queues have maxmsg and msgsize");
		return ERR_PTR(-EINVAL);
	}
	if (tb[KIPC_A_SEND_LOWAT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_SEND_LOWAT],
				    "only queues have a send-lowat");
		return ERR_PTR(-EINVAL);
	}
	if (tb[KIPC_A_OPTIONS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_OPTIONS],
				    "only queues have options");
		return ERR_PTR(-EINVAL);
	}
	if (tb[KIPC_A_SIZE])
		size = nla_get_u64(tb[KIPC_A_SIZE]);
	if (tb[KIPC_A_NSEMS])
		nsems = nla_get_u32(tb[KIPC_A_NSEMS]);
	if (values && nla_len(values) != nsems * sizeof(u32)) {
		NL_SET_ERR_MSG_ATTR(info->extack, values,
				    "give one u32 initial value per semaphore (nsems)");
		return ERR_PTR(-EINVAL);
	}
	obj = kipc_shbuf_get_or_create(req, size, nsems,
				       values ? nla_data(values) : NULL, &bad);
	if (obj != ERR_PTR(-EINVAL))
		return obj;
	switch (bad) {
	case KIPC_A_SIZE:
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_SIZE],
				    "size refused by shbuf_size_max");
		break;
	case KIPC_A_NSEMS:
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_NSEMS],
				    "nsems refused by sems_max");
		break;
	case KIPC_A_SEM_VALUES:
		NL_SET_ERR_MSG_ATTR(info->extack, values,
				    "an initial value is over KIPC_SEM_VALUE_MAX");
		break;
	default:
		NL_SET_ERR_MSG(info->extack,
			       "a shared buffer needs a size, semaphores or both");
		break;
	}
	return obj;
}

/* The extack of a refusal by the budgets (budget.c); true if it was one. */
static bool kipc_nl_budget_refused(struct genl_info *info, int err)
{
	switch (err) {
	case -EMFILE:
		NL_SET_ERR_MSG(info->extack, "too many objects for this user");
		return true;
	case -EDQUOT:
		NL_SET_ERR_MSG(info->extack,
			       "over the per-user byte budget (user_bytes_max)");
		return true;
	case -ENOSPC:
		NL_SET_ERR_MSG(info->extack,
			       "over the byte ceiling for all users (total_bytes_max)");
		return true;
	default:
		return false;
	}
}

static int kipc_nl_obj_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipc_nl_reply reply;
	struct kipc_open_req req;
	struct kipc_obj *obj;
	struct kipc_who who;
	u32 mode = 0600;
	int err;

	if (kipc_nl_missing(info, KIPC_A_TYPE, "a type is required"))
		return -EINVAL;
	if (info->attrs[KIPC_A_MODE])
		mode = nla_get_u32(info->attrs[KIPC_A_MODE]);
	kipc_who_init_skb(&who, skb);
	if (!kipc_nl_name(info, &req, &who, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
			  mode, &err))
		return err;
	/* Allocated first: no object is created only to fail with ENOMEM after. */
	err = kipc_nl_reply_alloc(&reply);
	if (err)
		return err;

	switch (nla_get_u32(info->attrs[KIPC_A_TYPE])) {
	case KIPC_TYPE_QUEUE:
		obj = kipc_nl_new_queue(info, &req);
		break;
	case KIPC_TYPE_SHBUF:
		obj = kipc_nl_new_shbuf(info, &req);
		break;
	default:
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPC_A_TYPE],
				    "this type cannot be created over netlink");
		obj = ERR_PTR(-EOPNOTSUPP);
		break;
	}
	if (IS_ERR(obj)) {
		kipc_nl_reply_free(&reply);
		err = PTR_ERR(obj);
		if (err == -EEXIST)
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPC_A_NAME],
					    "an object of that name exists");
		else
			kipc_nl_budget_refused(info, err);
		return err;
	}
	err = kipc_nl_reply_changed(info, &reply, obj, &who);
	/* The name keeps the object; the reference we got was for replying. */
	kipc_obj_put(obj);
	return err;
}

static int kipc_nl_obj_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipc_open_req req;
	struct kipc_who who;
	int err;

	kipc_who_init_skb(&who, skb);
	if (!kipc_nl_name(info, &req, &who, 0, 0, &err))
		return err;
	err = kipc_obj_unlink(&who, req.name);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPC_A_NAME],
				    "no object of that name in this IPC namespace");
	else if (err == -EPERM)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPC_A_NAME],
				    "only the owner or CAP_SYS_ADMIN may unlink");
	return err;
}

/* Was an attribute fixed at creation given to SET? Says which in the extack. */
static bool kipc_nl_immutable(struct genl_info *info)
{
	struct nlattr **tb = info->attrs;

	if (tb[KIPC_A_MSGSIZE])
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_MSGSIZE],
				    "msgsize cannot change after creation");
	else if (tb[KIPC_A_SIZE])
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_SIZE],
				    "size cannot change after creation");
	else if (tb[KIPC_A_NSEMS])
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_NSEMS],
				    "nsems cannot change after creation");
	else if (tb[KIPC_A_OPTIONS])
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_OPTIONS],
				    "options cannot change after creation");
	else if (tb[KIPC_A_SEM_VALUES])
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KIPC_A_SEM_VALUES],
				    "semaphore values change through the semaphore ioctls only");
	else
		return false;
	return true;
}

static int kipc_nl_obj_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *maxmsg = info->attrs[KIPC_A_MAXMSG];
	struct nlattr *mode = info->attrs[KIPC_A_MODE];
	struct kipc_nl_reply reply;
	struct kipc_open_req req;
	struct kipc_obj *obj;
	struct kipc_who who;
	int err;

	kipc_who_init_skb(&who, skb);
	if (!kipc_nl_name(info, &req, &who, 0, 0, &err))
		return err;
	if (kipc_nl_immutable(info))
		return -EINVAL;
	if (!maxmsg && !mode) {
		NL_SET_ERR_MSG(info->extack, "nothing to change: give a mode or maxmsg");
		return -EINVAL;
	}
	obj = kipc_obj_lookup(req.name);
	if (!obj) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPC_A_NAME],
				    "no object of that name in this IPC namespace");
		return -ENOENT;
	}
	err = -EPERM;
	if (!kipc_obj_owned(obj, &who)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KIPC_A_NAME],
				    "only the owner or CAP_SYS_ADMIN may change it");
		goto out;
	}
	if (maxmsg) {
		err = -EOPNOTSUPP;
		if (obj->ops->type != KIPC_TYPE_QUEUE) {
			NL_SET_ERR_MSG_ATTR(info->extack, maxmsg, "only queues have maxmsg");
			goto out;
		}
		err = -EINVAL;
		if (kipc_is_bcast(obj)) {
			NL_SET_ERR_MSG_ATTR(info->extack, maxmsg,
					    "a broadcast queue's maxmsg is fixed at creation");
			goto out;
		}
		err = kipc_queue_check_maxmsg(obj, nla_get_u32(maxmsg));
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, maxmsg,
					    "refused by msg_max or queue_bytes_max");
			goto out;
		}
	}
	/* The reply too: nothing may fail once a change is made. */
	err = kipc_nl_reply_alloc(&reply);
	if (err)
		goto out;
	/* The one change that can be refused (by the budget) goes first. */
	if (maxmsg) {
		err = kipc_queue_set_maxmsg(obj, nla_get_u32(maxmsg), &who);
		if (err) {
			kipc_nl_budget_refused(info, err);
			kipc_nl_reply_free(&reply);
			goto out;
		}
	}
	if (mode)
		kipc_obj_set_mode(obj, nla_get_u32(mode));
	err = kipc_nl_reply_changed(info, &reply, obj, &who);
out:
	kipc_obj_put(obj);
	return err;
}

struct kipc_nl_totals {
	const struct kipc_who *who;
	bool ipc_owner;
	u32 nr[KIPC_NR_TYPES];
	u64 mem;
	u64 sent;
	u64 received;
};

static int kipc_nl_add_totals(struct kipc_obj *obj, void *data)
{
	struct kipc_nl_totals *t = data;
	struct kipc_stats st = {};

	/* Totals of what the reader may see: no traffic of others' objects. */
	if (!kipc_obj_visible(obj, t->who, t->ipc_owner))
		return 0;
	obj->ops->fill_stats(obj, &st);
	t->nr[obj->ops->type - 1]++;
	t->mem += obj->ops->mem_bytes(obj);
	t->sent += st.sent;
	t->received += st.received;
	return 0;
}

static int kipc_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipc_nl_totals t = {};
	struct kipc_budget_info b;
	unsigned long pos = 0;
	struct kipc_who who;
	struct sk_buff *msg;
	void *hdr;

	kipc_who_init_skb(&who, skb);
	t.who = &who;
	t.ipc_owner = kipc_who_ipc_owner(&who);
	kipc_obj_iterate(&pos, kipc_nl_add_totals, &t);
	kipc_budget_read(who.cred, &b);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &kipc_genl_family, 0, KIPC_CMD_STATS_GET);
	if (!hdr ||
	    nla_put_u32(msg, KIPC_A_NR_QUEUES, t.nr[KIPC_TYPE_QUEUE - 1]) ||
	    nla_put_u32(msg, KIPC_A_NR_SHBUFS, t.nr[KIPC_TYPE_SHBUF - 1]) ||
	    nla_put_u64_64bit(msg, KIPC_A_MEM_BYTES, t.mem, KIPC_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPC_A_SENT, t.sent, KIPC_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPC_A_RECEIVED, t.received, KIPC_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPC_A_USER_BYTES, b.bytes, KIPC_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPC_A_USER_BYTES_MAX, b.bytes_max, KIPC_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPC_A_TOTAL_BYTES, b.total, KIPC_A_PAD) ||
	    nla_put_u64_64bit(msg, KIPC_A_TOTAL_BYTES_MAX, b.total_max, KIPC_A_PAD) ||
	    nla_put_u32(msg, KIPC_A_USER_QUEUES, b.count[KIPC_CHARGE_QUEUE]) ||
	    nla_put_u32(msg, KIPC_A_USER_SHBUFS, b.count[KIPC_CHARGE_SHBUF]) ||
	    nla_put_u32(msg, KIPC_A_USER_SUBS, b.count[KIPC_CHARGE_SUB])) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* --- events --- */

static u32 kipc_nl_sub_hash(const struct net *net, u32 portid)
{
	return hash_ptr(net, 32) ^ portid;
}

static struct kipc_nl_sub *kipc_nl_find_sub(struct net *net, u32 portid)
{
	struct kipc_nl_sub *ns;

	lockdep_assert_held(&kipc_nl_lock);
	hash_for_each_possible(kipc_nl_subs, ns, node, kipc_nl_sub_hash(net, portid))
		if (ns->net == net && ns->portid == portid)
			return ns;
	return NULL;
}

/* events.c hands us an event the subscriber may see; called under its mutex. */
static int kipc_nl_deliver(struct kipc_sub *sub, const struct kipc_ev *ev,
			   u64 lost)
{
	struct kipc_nl_sub *ns = container_of(sub, struct kipc_nl_sub, sub);
	struct sk_buff *skb;

	skb = genlmsg_new(kipc_nl_obj_size(), GFP_KERNEL | __GFP_NOWARN);
	if (!skb)
		return -ENOMEM;
	if (kipc_nl_fill(skb, &ev->snap, 0, 0, 0, KIPC_CMD_EVENT, ev->type, lost,
			 sub->cred->user_ns)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	/* A full socket drops it and reads ENOBUFS (netlink_overrun()). */
	return genlmsg_unicast(ns->net, skb, ns->portid);
}

static int kipc_nl_subscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct kipc_nl_sub *ns;
	struct kipc_who who;
	int err;

	ns = kzalloc(sizeof(*ns), GFP_KERNEL_ACCOUNT);
	if (!ns)
		return -ENOMEM;
	ns->net = net;
	ns->portid = info->snd_portid;
	ns->sub.deliver = kipc_nl_deliver;
	mutex_lock(&kipc_nl_lock);
	if (kipc_nl_find_sub(net, info->snd_portid)) {
		NL_SET_ERR_MSG(info->extack, "this socket is subscribed already");
		err = -EEXIST;
		goto err_unlock;
	}
	kipc_who_init_skb(&who, skb);
	err = kipc_sub_add(&ns->sub, &who);
	if (err) {
		if (err == -EMFILE)
			NL_SET_ERR_MSG(info->extack,
				       "too many subscriptions for this user (max_subscriptions_per_user)");
		goto err_unlock;
	}
	hash_add(kipc_nl_subs, &ns->node, kipc_nl_sub_hash(net, ns->portid));
	mutex_unlock(&kipc_nl_lock);
	return 0;

err_unlock:
	mutex_unlock(&kipc_nl_lock);
	kfree(ns);
	return err;
}

/* Take a socket's subscription out of the table; NULL if it had none. */
static struct kipc_nl_sub *kipc_nl_take_sub(struct net *net, u32 portid)
{
	struct kipc_nl_sub *ns;

	mutex_lock(&kipc_nl_lock);
	ns = kipc_nl_find_sub(net, portid);
	if (ns)
		hash_del(&ns->node);
	mutex_unlock(&kipc_nl_lock);
	return ns;
}

static void kipc_nl_free_sub(struct kipc_nl_sub *ns)
{
	kipc_sub_del(&ns->sub);
	kfree(ns);
}

static int kipc_nl_unsubscribe_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kipc_nl_sub *ns;

	ns = kipc_nl_take_sub(genl_info_net(info), info->snd_portid);
	if (!ns) {
		NL_SET_ERR_MSG(info->extack, "this socket is not subscribed");
		return -ENOENT;
	}
	kipc_nl_free_sub(ns);
	return 0;
}

/* A netlink socket is going away: forget its subscription. */
static int kipc_nl_notify(struct notifier_block *nb, unsigned long state,
			  void *data)
{
	struct netlink_notify *n = data;
	struct kipc_nl_sub *ns;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	ns = kipc_nl_take_sub(n->net, n->portid);
	if (ns)
		kipc_nl_free_sub(ns);
	return NOTIFY_DONE;
}

static struct notifier_block kipc_nl_notifier = {
	.notifier_call = kipc_nl_notify,
};

/* --- the family --- */

static const struct genl_small_ops kipc_nl_ops[] = {
	{
		.cmd	= KIPC_CMD_OBJ_GET,
		.doit	= kipc_nl_obj_get_doit,
		.dumpit	= kipc_nl_obj_get_dumpit,
	},
	{
		.cmd	= KIPC_CMD_OBJ_NEW,
		.doit	= kipc_nl_obj_new_doit,
	},
	{
		.cmd	= KIPC_CMD_OBJ_DEL,
		.doit	= kipc_nl_obj_del_doit,
	},
	{
		.cmd	= KIPC_CMD_OBJ_SET,
		.doit	= kipc_nl_obj_set_doit,
	},
	{
		.cmd	= KIPC_CMD_STATS_GET,
		.doit	= kipc_nl_stats_get_doit,
	},
	{
		.cmd	= KIPC_CMD_SUBSCRIBE,
		.doit	= kipc_nl_subscribe_doit,
	},
	{
		.cmd	= KIPC_CMD_UNSUBSCRIBE,
		.doit	= kipc_nl_unsubscribe_doit,
	},
};

static struct genl_family kipc_genl_family __ro_after_init = {
	.name		= KIPC_GENL_NAME,
	.version	= KIPC_GENL_VERSION,
	.maxattr	= KIPC_A_MAX,
	.policy		= kipc_nl_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.small_ops	= kipc_nl_ops,
	.n_small_ops	= ARRAY_SIZE(kipc_nl_ops),
};

int kipc_nl_init(void)
{
	int err;

	err = netlink_register_notifier(&kipc_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&kipc_genl_family);
	if (err)
		netlink_unregister_notifier(&kipc_nl_notifier);
	return err;
}

void kipc_nl_exit(void)
{
	struct kipc_nl_sub *ns;
	struct hlist_node *tmp;
	int bkt;

	genl_unregister_family(&kipc_genl_family);
	netlink_unregister_notifier(&kipc_nl_notifier);
	mutex_lock(&kipc_nl_lock);
	hash_for_each_safe(kipc_nl_subs, bkt, tmp, ns, node) {
		hash_del(&ns->node);
		kipc_nl_free_sub(ns);
	}
	mutex_unlock(&kipc_nl_lock);
}

/*
 * The first resolution of the family name (kipcctl, or genl ctrl getfamily
 * name kipc) loads the module: genetlink asks for this alias when the name
 * is unknown. /dev/kipc has no such path, since its minor is dynamic: a
 * fixed one would have to be allocated in devices.txt, and 243-254 are
 * reserved for the site's own use, not for a package
 * (Documentation/install.rst: loading at boot).
 */
MODULE_ALIAS_GENL_FAMILY(KIPC_GENL_NAME);
