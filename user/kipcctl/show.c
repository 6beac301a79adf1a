// SPDX-License-Identifier: GPL-2.0
/*
 * The reading commands: "list" (dump every object of the caller's IPC
 * namespace, filtered by --type and --user, or only their names with
 * --brief), "show NAME|id:N..." (objects by name or id) and "stats" (the
 * namespace's totals). Text output is an aligned table; -j prints the same
 * fields as JSON, objects always in an array.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "kipcctl.h"
#include "nl.h"
#include "obj.h"
#include "output.h"
#include "select.h"

/* Columns of "list", and the longest cell: a name or a 20-digit number. */
#define LIST_MAX_COLS	32
#define LIST_CELL_MAX	(KIPC_NAME_MAX + 16)

static int keep_reply(uint8_t cmd, struct nlattr **tb, const struct kipc_field *fields,
		      size_t nfields, void *arg)
{
	struct json_object **out = arg;

	(void)cmd;
	json_object_put(*out);	/* one reply is expected; keep the last */
	*out = kipc_attrs_json(tb, fields, nfields);
	return *out ? 0 : -ENOMEM;
}

static const struct kipc_field sub_fields[] = {
	{ "id",		KIPC_SUB_A_ID,		KF_U32,		true },
	{ "uid",	KIPC_SUB_A_UID,		KF_U32,		true },
	{ "pending",	KIPC_SUB_A_PENDING,	KF_U32,		true },
	{ "received",	KIPC_SUB_A_RECEIVED,	KF_U64,		true },
	{ "dropped",	KIPC_SUB_A_DROPPED,	KF_U64,		true },
};

#define NSUB_FIELDS	(sizeof(sub_fields) / sizeof(sub_fields[0]))

/* One KIPC_A_SUB nest of a broadcast queue onto the array @arg. */
static int add_sub(struct nlattr *nla, void *arg)
{
	static struct nla_policy policy[KIPC_SUB_A_MAX + 1] = {
		[KIPC_SUB_A_ID]		= { .type = NLA_U32 },
		[KIPC_SUB_A_UID]	= { .type = NLA_U32 },
		[KIPC_SUB_A_PENDING]	= { .type = NLA_U32 },
		[KIPC_SUB_A_RECEIVED]	= { .type = NLA_U64 },
		[KIPC_SUB_A_DROPPED]	= { .type = NLA_U64 },
	};
	struct nlattr *tb[KIPC_SUB_A_MAX + 1];
	struct json_object *sub;

	if (nla_parse_nested(tb, KIPC_SUB_A_MAX, nla, policy) < 0)
		return -EBADMSG;
	sub = kipc_attrs_json(tb, sub_fields, NSUB_FIELDS);
	if (!sub || json_object_array_add(arg, sub)) {
		json_object_put(sub);
		return -ENOMEM;
	}
	return 0;
}

/*
 * An object as a do request returns it; a broadcast queue's has its
 * subscribers under "subs", an array (other objects have no such key, nor
 * do dumps, which carry no subscribers).
 */
int keep_object(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct json_object **out = arg, *subs = NULL;
	int ret = keep_reply(cmd, tb, kipc_obj_fields, kipc_obj_nfields, arg);

	if (ret || !tb[KIPC_A_SUBSCRIBERS])
		return ret;
	subs = json_object_new_array();
	if (!subs)
		return -ENOMEM;
	ret = knl_each_attr(KIPC_A_SUB, add_sub, subs);
	if (ret) {
		json_object_put(subs);
		return ret;
	}
	if (json_object_object_add(*out, "subs", subs)) {
		json_object_put(subs);
		return -ENOMEM;
	}
	return 0;
}

int keep_stats(uint8_t cmd, struct nlattr **tb, void *arg)
{
	return keep_reply(cmd, tb, kipc_stats_fields, kipc_stats_nfields, arg);
}

static bool numeric(const struct kipc_field *f)
{
	return f->kind == KF_U32 || f->kind == KF_U64;
}

/* "list": one row per object, the column fields, headers in upper case. */
static int print_object_table(struct json_object *objs)
{
	const char *cells[LIST_MAX_COLS];
	char headers[LIST_MAX_COLS][LIST_CELL_MAX];
	size_t i, c, n = 0, cols[LIST_MAX_COLS];
	struct table *t;
	int ret = 0;

	for (i = 0; i < kipc_obj_nfields && n < LIST_MAX_COLS; i++) {
		const struct kipc_field *f = &kipc_obj_fields[i];
		size_t k;

		if (!f->column || !f->attr)
			continue;
		for (k = 0; f->key[k] && k < sizeof(headers[n]) - 1; k++)
			headers[n][k] = f->key[k] >= 'a' && f->key[k] <= 'z' ?
					f->key[k] - 'a' + 'A' : f->key[k];
		headers[n][k] = '\0';
		cells[n] = headers[n];
		cols[n++] = i;
	}
	t = table_new(n);
	if (!t)
		return -ENOMEM;
	for (c = 0; c < n; c++)
		if (numeric(&kipc_obj_fields[cols[c]]))
			table_align_right(t, c);
	ret = table_add(t, cells);
	for (i = 0; !ret && i < json_object_array_length(objs); i++) {
		struct json_object *obj = json_object_array_get_idx(objs, i);
		char row[LIST_MAX_COLS][LIST_CELL_MAX];

		for (c = 0; c < n; c++) {
			struct json_object *v = NULL;

			json_object_object_get_ex(obj, kipc_obj_fields[cols[c]].key, &v);
			snprintf(row[c], sizeof(row[c]), "%s", json_cell(v));
			cells[c] = row[c];
		}
		ret = table_add(t, cells);
	}
	if (!ret)
		table_print(t);
	table_free(t);
	return ret;
}

/* A broadcast queue's subscribers, after its fields: one row each. */
static int print_subs(struct json_object *subs)
{
	const char *cells[NSUB_FIELDS] = { "SUB", "UID", "PENDING", "RECEIVED", "DROPPED" };
	char row[NSUB_FIELDS][24];
	struct table *t;
	size_t i, c;
	int ret;

	if (!json_object_array_length(subs))
		return 0;
	t = table_new(NSUB_FIELDS);
	if (!t)
		return -ENOMEM;
	for (c = 0; c < NSUB_FIELDS; c++)
		table_align_right(t, c);
	ret = table_add(t, cells);
	for (i = 0; !ret && i < json_object_array_length(subs); i++) {
		for (c = 0; c < NSUB_FIELDS; c++) {
			struct json_object *v = NULL;

			json_object_object_get_ex(json_object_array_get_idx(subs, i),
						  sub_fields[c].key, &v);
			snprintf(row[c], sizeof(row[c]), "%s", json_cell(v));
			cells[c] = row[c];
		}
		ret = table_add(t, cells);
	}
	if (!ret) {
		putchar('\n');
		table_print(t);
	}
	table_free(t);
	return ret;
}

/* "show" and "stats": one aligned "field value" line per field present. */
static int print_fields(struct json_object *obj)
{
	struct table *t = table_new(2);
	struct json_object *subs = NULL;
	int ret = 0;

	if (!t)
		return -ENOMEM;
	json_object_object_foreach(obj, key, val) {
		const char *cells[2] = { key, json_cell(val) };

		/* JSON has every key; the text shows what this object has. */
		if (json_object_is_type(val, json_type_null) && strcmp(key, "name"))
			continue;
		if (!strcmp(key, "subs")) {
			subs = val;
			continue;
		}
		ret = table_add(t, cells);
		if (ret)
			break;
	}
	if (!ret)
		table_print(t);
	table_free(t);
	if (!ret && subs)
		ret = print_subs(subs);
	return ret;
}

/* Print what a command got back: JSON, or the text form @text. */
static int print_result(struct json_object *obj, int (*text)(struct json_object *))
{
	int ret = opts.json ? json_print(obj) : text(obj);

	if (ret) {
		fprintf(stderr, "kipcctl: cannot print the result: %s\n", strerror(-ret));
		return KIPCCTL_EXIT_FAILED;
	}
	return KIPCCTL_EXIT_OK;
}

int print_object(struct json_object *obj)
{
	return print_result(obj, print_fields);
}

/* Commands without options of their own still take -h. */
int plain_options(int argc, char **argv, int nargs)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* 0, not 1: glibc re-reads the optstring (main used "+") */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h')
			return command_help(argv[0]);
		return bad_option(argv, c);
	}
	return want_args(argc, argv, nargs);
}

int plain_command(int argc, char **argv, int nargs, struct knl *nl)
{
	int ret = plain_options(argc, argv, nargs);

	if (ret != KIPCCTL_CONTINUE)
		return ret;
	ret = knl_open(nl);
	return ret ? ret : KIPCCTL_CONTINUE;
}

/* "list --brief": names only, one a line; "-" for an anonymous object. */
static int print_names(struct json_object *objs)
{
	size_t i;

	for (i = 0; i < json_object_array_length(objs); i++) {
		struct json_object *v = NULL;

		json_object_object_get_ex(json_object_array_get_idx(objs, i), "name", &v);
		puts(json_cell(v));
	}
	return fflush(stdout) ? -EIO : 0;
}

static int list_options(int argc, char **argv, struct obj_filter *f, bool *brief)
{
	static const struct option longopts[] = {
		{ "type",	required_argument, NULL, 't' },
		{ "user",	required_argument, NULL, 'u' },
		{ "brief",	no_argument,	   NULL, 'b' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":t:u:bh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_type("--type", optarg, &f->type))
				return KIPCCTL_EXIT_USAGE;
			break;
		case 'u':
			if (parse_user("--user", optarg, &f->uid))
				return KIPCCTL_EXIT_USAGE;
			f->has_uid = true;
			break;
		case 'b':
			*brief = true;
			break;
		case 'h':
			return command_help(argv[0]);
		default:
			return bad_option(argv, c);
		}
	}
	return want_args(argc, argv, 0);
}

int cmd_list(int argc, char **argv)
{
	struct json_object *objs = NULL;
	struct obj_filter f = { 0 };
	bool brief = false;
	struct knl nl;
	int ret;

	ret = list_options(argc, argv, &f, &brief);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	ret = knl_open(&nl);
	if (ret)
		return ret;
	ret = dump_objects(&nl, &objs);
	if (!ret && filter_objects(objs, &f))
		ret = knl_report(&nl, -ENOMEM, "list");
	if (!ret)
		ret = print_result(objs, brief && !opts.json ? print_names : print_object_table);
	json_object_put(objs);
	knl_close(&nl);
	return ret;
}

int parse_selectors(int argc, char **argv, struct selector **out, size_t *n)
{
	static const struct option longopts[] = {
		{ "id",		required_argument, NULL, 'i' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct selector *sel = calloc(argc, sizeof(*sel));
	int c, ret;

	*out = sel;
	*n = 0;
	if (!sel) {
		fprintf(stderr, "kipcctl: %s: %s\n", argv[0], strerror(ENOMEM));
		return KIPCCTL_EXIT_FAILED;
	}
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (parse_u32("--id", optarg, &sel[*n].id))
				return KIPCCTL_EXIT_USAGE;
			sel[*n].by_id = true;
			sel[(*n)++].arg = optarg;
			break;
		case 'h':
			return command_help(argv[0]);
		default:
			return bad_option(argv, c);
		}
	}
	for (; optind < argc; optind++) {
		sel[*n].arg = argv[optind];
		ret = parse_id(argv[optind], &sel[*n].id);
		if (ret < 0)
			return KIPCCTL_EXIT_USAGE;
		sel[(*n)++].by_id = !ret;
	}
	if (!*n)
		return usage_error("%s: missing argument", argv[0]);
	return KIPCCTL_CONTINUE;
}

int select_by_id(struct knl *nl, const char *verb, const struct selector *sel,
		 struct json_object **dump, struct json_object **obj)
{
	int ret;

	if (!*dump) {
		ret = dump_objects(nl, dump);
		if (ret)
			return ret;
	}
	*obj = find_id(*dump, sel->id);
	if (!*obj) {
		fprintf(stderr, "kipcctl: %s id:%u: no object with this id\n", verb, sel->id);
		return KIPCCTL_EXIT_FAILED;
	}
	return KIPCCTL_EXIT_OK;
}

/* A request of @cmd for object @name; the reply, if any, lands in @out. */
int object_request(struct knl *nl, struct nl_msg *msg, const char *verb, const char *name,
		   struct json_object **out)
{
	int ret;

	if (!msg)
		return knl_report(nl, -ENOMEM, "%s %s", verb, name);
	ret = knl_transact(nl, msg, keep_object, out);
	if (ret < 0)
		return knl_report(nl, ret, "%s %s", verb, name);
	return KIPCCTL_EXIT_OK;
}

/* "show": each object named, in order; the text forms a blank line apart. */
int cmd_show(int argc, char **argv)
{
	struct json_object *found, *dump = NULL, *obj;
	struct selector *sel;
	int ret, failed = 0;
	struct knl nl;
	size_t i, n;

	ret = parse_selectors(argc, argv, &sel, &n);
	if (ret == KIPCCTL_CONTINUE)
		ret = knl_open(&nl);
	if (ret) {
		free(sel);
		return ret;
	}
	found = json_object_new_array();
	for (i = 0; found && i < n; i++) {
		obj = NULL;
		if (sel[i].by_id) {
			ret = select_by_id(&nl, "show", &sel[i], &dump, &obj);
			json_object_get(obj);
		} else {
			ret = object_request(&nl, object_msg(&nl, KIPC_CMD_OBJ_GET, sel[i].arg,
							     NULL),
					     "show", sel[i].arg, &obj);
			if (!ret && !obj) {
				fprintf(stderr, "kipcctl: show %s: the kernel sent no object\n",
					sel[i].arg);
				ret = KIPCCTL_EXIT_FAILED;
			}
		}
		if (ret == KIPCCTL_EXIT_NO_KIPC || ret == KIPCCTL_EXIT_USAGE) {
			json_object_put(obj);
			failed = ret;
			break;
		}
		if (ret) {
			failed = failed ? failed : ret;
			continue;
		}
		if (!opts.json) {
			if (json_object_array_length(found))
				putchar('\n');
			print_fields(obj);
		}
		json_object_array_add(found, obj);
	}
	if (!found)
		failed = knl_report(&nl, -ENOMEM, "show");
	else if (opts.json && json_object_array_length(found) && json_print(found))
		failed = KIPCCTL_EXIT_FAILED;
	json_object_put(found);
	json_object_put(dump);
	knl_close(&nl);
	free(sel);
	return failed;
}

int cmd_stats(int argc, char **argv)
{
	struct json_object *stats = NULL;
	struct nl_msg *msg;
	struct knl nl;
	int ret;

	ret = plain_command(argc, argv, 0, &nl);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	msg = knl_msg(&nl, KIPC_CMD_STATS_GET, false);
	ret = msg ? knl_transact(&nl, msg, keep_stats, &stats) : -ENOMEM;
	if (ret < 0)
		ret = knl_report(&nl, ret, "stats");
	else if (!stats)
		ret = knl_report(&nl, -EBADMSG, "stats");
	else
		ret = print_result(stats, print_fields);
	json_object_put(stats);
	knl_close(&nl);
	return ret;
}
