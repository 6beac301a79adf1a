/* SPDX-License-Identifier: GPL-2.0 */
/*
 * obj.c: what the attributes of the "kipc" family mean to kipcctl. Every
 * reply becomes a json-c object whose keys are the field names below; the
 * tables, the JSON output and the monitor lines are all printed from it, so
 * they always agree. A field's name is its attribute's name in lower case
 * (KIPC_A_MAXMSG is "maxmsg"); a table header is the name in upper case.
 */
#ifndef KIPCCTL_OBJ_H
#define KIPCCTL_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>
#include <netlink/attr.h>

#include <linux/kipc.h>

enum kipc_field_kind {
	KF_U32,
	KF_U64,
	KF_MODE,	/* u32 printed as octal: "0600" */
	KF_TYPE,	/* u32 printed as "mq" or "shm" */
	KF_NAME,	/* string; null (JSON) or "-" (table) when anonymous */
	KF_EVENT,	/* u32 printed as "created", "unlinked", ... */
	KF_OPTIONS,	/* u32 of KIPC_QUEUE_* printed as "creds,track" or "none" */
};

struct kipc_field {
	const char *key;	/* JSON key; table header in upper case */
	int attr;		/* KIPC_A_* */
	enum kipc_field_kind kind;
	bool column;		/* a column of "kipcctl list" */
};

extern const struct kipc_field kipc_obj_fields[];
extern const size_t kipc_obj_nfields;
extern const struct kipc_field kipc_stats_fields[];
extern const size_t kipc_stats_nfields;

/* Every field of @fields, null when @tb lacks it; NULL on ENOMEM. */
struct json_object *kipc_attrs_json(struct nlattr **tb, const struct kipc_field *fields,
				    size_t nfields);

/*
 * An event: {"event": "created", then the object's fields, then
 * "events_lost" (null unless the kernel says events were missed before
 * this one)}.
 */
struct json_object *kipc_event_json(struct nlattr **tb);

/* Lower-case name of KIPC_A_* @attr ("maxmsg"), or "#N" if unknown. */
const char *kipc_attr_name(int attr);

/* "mq" or "shm" for the command line's "create mq" / "create shm". */
const char *kipc_type_name(uint32_t type);

#endif /* KIPCCTL_OBJ_H */
