// SPDX-License-Identifier: GPL-2.0
/*
 * Which objects a command acts on: a dump of the namespace narrowed by
 * "list"'s filters (--type, --user), and the operands of "show" and "rm",
 * each a NAME or "id:N". The kernel finds objects by name only, so an id
 * is looked up in a dump; an anonymous object has no name to remove it by.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kipcctl.h"
#include "nl.h"
#include "obj.h"
#include "select.h"

/* A dump may be cut short by concurrent changes; try this often. */
#define LIST_TRIES	5

static int collect_object(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct json_object *obj;

	(void)cmd;
	obj = kipc_attrs_json(tb, kipc_obj_fields, kipc_obj_nfields);
	if (!obj)
		return -ENOMEM;
	if (json_object_array_add(arg, obj)) {
		json_object_put(obj);
		return -ENOMEM;
	}
	return 0;
}

int dump_objects(struct knl *nl, struct json_object **out)
{
	struct json_object *objs = NULL;
	struct nl_msg *msg;
	int ret = 0, tries;

	for (tries = 0; tries < LIST_TRIES; tries++) {
		json_object_put(objs);
		objs = json_object_new_array();
		msg = knl_msg(nl, KIPC_CMD_OBJ_GET, true);
		if (!objs || !msg) {
			nlmsg_free(msg);
			ret = -ENOMEM;
			break;
		}
		ret = knl_transact(nl, msg, collect_object, objs);
		if (ret != KNL_DUMP_INTR)
			break;
	}
	if (ret == KNL_DUMP_INTR)
		fprintf(stderr, "kipcctl: objects kept changing; the list may be inconsistent\n");
	if (ret < 0) {
		json_object_put(objs);
		return knl_report(nl, ret, "list");
	}
	*out = objs;
	return KIPCCTL_EXIT_OK;
}

int parse_type(const char *opt, const char *s, const char **out)
{
	if (strcmp(s, "mq") && strcmp(s, "shm"))
		return usage_error("%s: expected mq or shm, got '%s'", opt, s);
	*out = s;
	return 0;
}

/* A user name, or a uid in decimal (which need not have a name). */
int parse_user(const char *opt, const char *s, uint32_t *out)
{
	struct passwd *pw = getpwnam(s);

	if (pw) {
		*out = pw->pw_uid;
		return 0;
	}
	if (s[0] >= '0' && s[0] <= '9')
		return parse_u32(opt, s, out);
	return usage_error("%s: no such user '%s'", opt, s);
}

static bool str_field_is(struct json_object *obj, const char *key, const char *want)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(obj, key, &v);
	return json_object_is_type(v, json_type_string) &&
	       !strcmp(json_object_get_string(v), want);
}

static bool u32_field_is(struct json_object *obj, const char *key, uint32_t want)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(obj, key, &v);
	return json_object_is_type(v, json_type_int) && json_object_get_uint64(v) == want;
}

bool object_matches(struct json_object *obj, const struct obj_filter *f)
{
	if (f->type && !str_field_is(obj, "type", f->type))
		return false;
	if (f->has_uid && !u32_field_is(obj, "uid", f->uid))
		return false;
	if (f->name && !str_field_is(obj, "name", f->name))
		return false;
	return true;
}

int filter_objects(struct json_object *objs, const struct obj_filter *f)
{
	size_t i = json_object_array_length(objs);

	/* Backwards, so deleting an element does not move the next one. */
	while (i--)
		if (!object_matches(json_object_array_get_idx(objs, i), f) &&
		    json_object_array_del_idx(objs, i, 1))
			return -ENOMEM;
	return 0;
}

int parse_id(const char *s, uint32_t *id)
{
	if (strncmp(s, "id:", 3))
		return 1;
	return parse_u32("id", s + 3, id) ? -1 : 0;
}

struct json_object *find_id(struct json_object *objs, uint32_t id)
{
	size_t i;

	for (i = 0; i < json_object_array_length(objs); i++) {
		struct json_object *obj = json_object_array_get_idx(objs, i);

		if (u32_field_is(obj, "id", id))
			return obj;
	}
	return NULL;
}
