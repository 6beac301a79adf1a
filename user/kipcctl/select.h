/* SPDX-License-Identifier: GPL-2.0 */
/*
 * select.c: dumps of the namespace's objects, the filters of "list" and
 * "monitor", and objects named by "id:N" rather than by name.
 */
#ifndef KIPCCTL_SELECT_H
#define KIPCCTL_SELECT_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

struct knl;

/* Every object of the namespace as a JSON array in *@out; an exit code. */
int dump_objects(struct knl *nl, struct json_object **out);

/* What to keep; NULL or false: anything. */
struct obj_filter {
	const char *type;	/* "mq" or "shm" */
	const char *name;
	bool has_uid;
	uint32_t uid;
};

/* --type: "mq" or "shm"; --user: a name or a uid. 0, or usage_error()'s code. */
int parse_type(const char *opt, const char *s, const char **out);
int parse_user(const char *opt, const char *s, uint32_t *out);

bool object_matches(struct json_object *obj, const struct obj_filter *f);
/* Drop from the array @objs what @f does not match; 0 or -ENOMEM. */
int filter_objects(struct json_object *objs, const struct obj_filter *f);

/* An operand "id:N": 0 with *@id set; 1 when @s is a name; -1 (printed) when N is bad. */
int parse_id(const char *s, uint32_t *id);
/* The object of @objs with id @id (borrowed), or NULL. */
struct json_object *find_id(struct json_object *objs, uint32_t id);

#endif /* KIPCCTL_SELECT_H */
