// SPDX-License-Identifier: GPL-2.0
/*
 * Attributes of the "kipc" family as kipcctl names and prints them: the
 * field tables of an object and of the namespace totals, the names of
 * types and events, and the conversion of a parsed reply into json-c.
 */
#include <stdio.h>

#include "obj.h"

/* The order is the order of "show" and of the "list" columns. */
const struct kipc_field kipc_obj_fields[] = {
	{ "name",	KIPC_A_NAME,		KF_NAME,	true },
	{ "type",	KIPC_A_TYPE,		KF_TYPE,	true },
	{ "id",		KIPC_A_ID,		KF_U32,		true },
	{ "mode",	KIPC_A_MODE,		KF_MODE,	true },
	{ "uid",	KIPC_A_UID,		KF_U32,		true },
	{ "gid",	KIPC_A_GID,		KF_U32,		true },
	{ "maxmsg",	KIPC_A_MAXMSG,		KF_U32,		true },
	{ "msgsize",	KIPC_A_MSGSIZE,		KF_U32,		true },
	{ "send_lowat",	KIPC_A_SEND_LOWAT,	KF_U32,		false },
	{ "options",	KIPC_A_OPTIONS,		KF_OPTIONS,	false },
	{ "curmsgs",	KIPC_A_CURMSGS,		KF_U32,		true },
	{ "hwm",	KIPC_A_HWM,		KF_U32,		false },
	{ "bytes",	KIPC_A_BYTES,		KF_U64,		true },
	{ "sent",	KIPC_A_SENT,		KF_U64,		true },
	{ "received",	KIPC_A_RECEIVED,	KF_U64,		true },
	{ "send_waits",	KIPC_A_SEND_WAITS,	KF_U64,		false },
	{ "recv_waits",	KIPC_A_RECV_WAITS,	KF_U64,		false },
	/* A broadcast queue's own: see optional_attr(). */
	{ "subscribers", KIPC_A_SUBSCRIBERS,	KF_U32,		false },
	{ "dropped",	KIPC_A_DROPPED,		KF_U64,		false },
	{ "size",	KIPC_A_SIZE,		KF_U64,		true },
	{ "nsems",	KIPC_A_NSEMS,		KF_U32,		true },
	{ "data_offset", KIPC_A_DATA_OFFSET,	KF_U32,		false },
	{ "mappings",	KIPC_A_MAPPINGS,	KF_U32,		false },
	{ "sem_sleepers", KIPC_A_SEM_SLEEPERS,	KF_U32,		false },
	{ "sem_waits",	KIPC_A_SEM_WAITS,	KF_U64,		false },
	{ "sem_wakeups", KIPC_A_SEM_WAKEUPS,	KF_U64,		false },
	{ "sem_posts",	KIPC_A_SEM_POSTS,	KF_U64,		false },
	{ "mem_bytes",	KIPC_A_MEM_BYTES,	KF_U64,		true },
};

const size_t kipc_obj_nfields = sizeof(kipc_obj_fields) / sizeof(kipc_obj_fields[0]);

const struct kipc_field kipc_stats_fields[] = {
	{ "nr_queues",	KIPC_A_NR_QUEUES,	KF_U32,		true },
	{ "nr_shbufs",	KIPC_A_NR_SHBUFS,	KF_U32,		true },
	{ "mem_bytes",	KIPC_A_MEM_BYTES,	KF_U64,		true },
	{ "sent",	KIPC_A_SENT,		KF_U64,		true },
	{ "received",	KIPC_A_RECEIVED,	KF_U64,		true },
	/* The caller's account (an older module sends none of these). */
	{ "user_bytes",	KIPC_A_USER_BYTES,	KF_U64,		true },
	{ "user_bytes_max", KIPC_A_USER_BYTES_MAX, KF_U64,	true },
	{ "user_queues", KIPC_A_USER_QUEUES,	KF_U32,		true },
	{ "user_shbufs", KIPC_A_USER_SHBUFS,	KF_U32,		true },
	{ "user_subs",	KIPC_A_USER_SUBS,	KF_U32,		true },
	{ "total_bytes", KIPC_A_TOTAL_BYTES,	KF_U64,		true },
	{ "total_bytes_max", KIPC_A_TOTAL_BYTES_MAX, KF_U64,	true },
};

const size_t kipc_stats_nfields = sizeof(kipc_stats_fields) / sizeof(kipc_stats_fields[0]);

static const char *const attr_names[KIPC_A_MAX + 1] = {
	[KIPC_A_UNSPEC]		= "unspec",
	[KIPC_A_PAD]		= "pad",
	[KIPC_A_ID]		= "id",
	[KIPC_A_TYPE]		= "type",
	[KIPC_A_NAME]		= "name",
	[KIPC_A_ANON]		= "anon",
	[KIPC_A_MODE]		= "mode",
	[KIPC_A_UID]		= "uid",
	[KIPC_A_GID]		= "gid",
	[KIPC_A_MAXMSG]		= "maxmsg",
	[KIPC_A_MSGSIZE]	= "msgsize",
	[KIPC_A_CURMSGS]	= "curmsgs",
	[KIPC_A_HWM]		= "hwm",
	[KIPC_A_BYTES]		= "bytes",
	[KIPC_A_SENT]		= "sent",
	[KIPC_A_RECEIVED]	= "received",
	[KIPC_A_SEND_WAITS]	= "send_waits",
	[KIPC_A_RECV_WAITS]	= "recv_waits",
	[KIPC_A_MEM_BYTES]	= "mem_bytes",
	[KIPC_A_EVENT]		= "event",
	[KIPC_A_NR_QUEUES]	= "nr_queues",
	[KIPC_A_NR_SHBUFS]	= "nr_shbufs",
	[KIPC_A_SIZE]		= "size",
	[KIPC_A_NSEMS]		= "nsems",
	[KIPC_A_SEM_VALUES]	= "sem_values",
	[KIPC_A_DATA_OFFSET]	= "data_offset",
	[KIPC_A_MAPPINGS]	= "mappings",
	[KIPC_A_SEM_SLEEPERS]	= "sem_sleepers",
	[KIPC_A_SEM_WAITS]	= "sem_waits",
	[KIPC_A_SEM_WAKEUPS]	= "sem_wakeups",
	[KIPC_A_SEM_POSTS]	= "sem_posts",
	[KIPC_A_EVENTS_LOST]	= "events_lost",
	[KIPC_A_USER_BYTES]	= "user_bytes",
	[KIPC_A_USER_BYTES_MAX]	= "user_bytes_max",
	[KIPC_A_TOTAL_BYTES]	= "total_bytes",
	[KIPC_A_TOTAL_BYTES_MAX] = "total_bytes_max",
	[KIPC_A_USER_QUEUES]	= "user_queues",
	[KIPC_A_USER_SHBUFS]	= "user_shbufs",
	[KIPC_A_USER_SUBS]	= "user_subs",
	[KIPC_A_SEND_LOWAT]	= "send_lowat",
	[KIPC_A_OPTIONS]	= "options",
	[KIPC_A_SUBSCRIBERS]	= "subscribers",
	[KIPC_A_DROPPED]	= "dropped",
	[KIPC_A_SUB]		= "sub",
};

static const char *const event_names[] = {
	[KIPC_EVENT_CREATED]	= "created",
	[KIPC_EVENT_UNLINKED]	= "unlinked",
	[KIPC_EVENT_DESTROYED]	= "destroyed",
	[KIPC_EVENT_QUEUE_FULL]	= "queue_full",
};

const char *kipc_attr_name(int attr)
{
	static char buf[16];

	if (attr >= 0 && attr <= KIPC_A_MAX && attr_names[attr])
		return attr_names[attr];
	snprintf(buf, sizeof(buf), "#%d", attr);
	return buf;
}

const char *kipc_type_name(uint32_t type)
{
	switch (type) {
	case KIPC_TYPE_QUEUE:
		return "mq";
	case KIPC_TYPE_SHBUF:
		return "shm";
	default:
		return NULL;
	}
}

/* A queue's options by name, "creds,track,fds"; bits kipcctl does not know in hex. */
static struct json_object *options_json(uint32_t v)
{
	char buf[96] = "";
	size_t n = 0;

	if (!v)
		return json_object_new_string("none");
	if (v & KIPC_QUEUE_CREDS)
		n += snprintf(buf + n, sizeof(buf) - n, "creds,");
	if (v & KIPC_QUEUE_TRACK)
		n += snprintf(buf + n, sizeof(buf) - n, "track,");
	if (v & KIPC_QUEUE_FDS)
		n += snprintf(buf + n, sizeof(buf) - n, "fds,");
	if (v & KIPC_QUEUE_BROADCAST)
		n += snprintf(buf + n, sizeof(buf) - n, "broadcast,");
	if (v & KIPC_QUEUE_DROP_OLDEST)
		n += snprintf(buf + n, sizeof(buf) - n, "drop_oldest,");
	v &= ~(uint32_t)KIPC_QUEUE_OPTIONS;
	if (v)
		n += snprintf(buf + n, sizeof(buf) - n, "%#x,", v);
	buf[n - 1] = '\0';
	return json_object_new_string(buf);
}

/* A name for a number the tables do not know: the number itself. */
static struct json_object *unknown_u32(uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", v);
	return json_object_new_string(buf);
}

static struct json_object *field_json(const struct kipc_field *f, struct nlattr *nla)
{
	int len = nla_len(nla);
	const char *s;
	char buf[16];
	uint32_t v;

	if (f->kind == KF_U64)
		return len == 8 ? json_object_new_uint64(nla_get_u64(nla)) : NULL;
	if (f->kind == KF_NAME)
		return json_object_new_string(nla_get_string(nla));
	if (len != 4)
		return NULL;
	v = nla_get_u32(nla);
	switch (f->kind) {
	case KF_MODE:
		snprintf(buf, sizeof(buf), "%04o", v);
		return json_object_new_string(buf);
	case KF_TYPE:
		s = kipc_type_name(v);
		return s ? json_object_new_string(s) : unknown_u32(v);
	case KF_OPTIONS:
		return options_json(v);
	case KF_EVENT:
		if (v < sizeof(event_names) / sizeof(event_names[0]) && event_names[v])
			return json_object_new_string(event_names[v]);
		return unknown_u32(v);
	default:
		return json_object_new_uint64(v);
	}
}

/*
 * A broadcast queue's own keys are there only when the kernel sent them, so
 * that every other object keeps the shape it always had (the README's
 * session shows one).
 */
static bool optional_attr(int attr)
{
	return attr == KIPC_A_SUBSCRIBERS || attr == KIPC_A_DROPPED;
}

struct json_object *kipc_attrs_json(struct nlattr **tb, const struct kipc_field *fields,
				    size_t nfields)
{
	struct json_object *obj = json_object_new_object();
	size_t i;

	if (!obj)
		return NULL;
	for (i = 0; i < nfields; i++) {
		const struct kipc_field *f = &fields[i];
		struct json_object *v = NULL;

		if (!f->attr || (optional_attr(f->attr) && !tb[f->attr]))
			continue;
		/*
		 * Every key, always: null when the kind of object has no such
		 * field (a queue's "size"), the object is anonymous ("name"),
		 * or the value is malformed. JSON consumers get one shape.
		 */
		if (tb[f->attr])
			v = field_json(f, tb[f->attr]);
		if (json_object_object_add(obj, f->key, v)) {
			json_object_put(v);
			json_object_put(obj);
			return NULL;
		}
	}
	return obj;
}

struct json_object *kipc_event_json(struct nlattr **tb)
{
	static const struct kipc_field event = { "event", KIPC_A_EVENT, KF_EVENT, true };
	static const struct kipc_field lost = { "events_lost", KIPC_A_EVENTS_LOST, KF_U64, false };
	struct json_object *obj, *ev, *extra;

	ev = kipc_attrs_json(tb, &event, 1);
	obj = kipc_attrs_json(tb, kipc_obj_fields, kipc_obj_nfields);
	extra = kipc_attrs_json(tb, &lost, 1);
	if (!ev || !obj || !extra) {
		json_object_put(ev);
		json_object_put(obj);
		json_object_put(extra);
		return NULL;
	}
	json_object_object_foreach(obj, key, val) {
		json_object_object_add(ev, key, json_object_get(val));
	}
	/* Last, so the object's fields keep their place after "event". */
	json_object_object_foreach(extra, xkey, xval) {
		json_object_object_add(ev, xkey, json_object_get(xval));
	}
	json_object_put(obj);
	json_object_put(extra);
	return ev;
}
