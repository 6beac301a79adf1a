// SPDX-License-Identifier: GPL-2.0
/*
 * The reading commands: "list" (dump every object of the caller's IPC
 * namespace), "show NAME" (one object) and "stats" (the namespace's totals).
 * Text output is an aligned table; -j prints the same fields as JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "kipcctl.h"
#include "nl.h"
#include "obj.h"
#include "output.h"

/* A dump may be cut short by concurrent changes; try this often. */
#define LIST_TRIES	5

/* Columns of "list", and the longest cell: a name or a 20-digit number. */
#define LIST_MAX_COLS	32
#define LIST_CELL_MAX	(KIPC_NAME_MAX + 16)

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

static int keep_reply(uint8_t cmd, struct nlattr **tb, const struct kipc_field *fields,
		      size_t nfields, void *arg)
{
	struct json_object **out = arg;

	(void)cmd;
	json_object_put(*out);	/* one reply is expected; keep the last */
	*out = kipc_attrs_json(tb, fields, nfields);
	return *out ? 0 : -ENOMEM;
}

int keep_object(uint8_t cmd, struct nlattr **tb, void *arg)
{
	return keep_reply(cmd, tb, kipc_obj_fields, kipc_obj_nfields, arg);
}

static int keep_stats(uint8_t cmd, struct nlattr **tb, void *arg)
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

/* "show" and "stats": one aligned "field value" line per field present. */
static int print_fields(struct json_object *obj)
{
	struct table *t = table_new(2);
	int ret = 0;

	if (!t)
		return -ENOMEM;
	json_object_object_foreach(obj, key, val) {
		const char *cells[2] = { key, json_cell(val) };

		ret = table_add(t, cells);
		if (ret)
			break;
	}
	if (!ret)
		table_print(t);
	table_free(t);
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

int cmd_list(int argc, char **argv)
{
	struct json_object *objs = NULL;
	struct nl_msg *msg;
	struct knl nl;
	int ret, tries;

	ret = plain_command(argc, argv, 0, &nl);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	for (tries = 0; tries < LIST_TRIES; tries++) {
		json_object_put(objs);
		objs = json_object_new_array();
		msg = knl_msg(&nl, KIPC_CMD_OBJ_GET, true);
		if (!objs || !msg) {
			nlmsg_free(msg);
			ret = -ENOMEM;
			break;
		}
		ret = knl_transact(&nl, msg, collect_object, objs);
		if (ret != KNL_DUMP_INTR)
			break;
	}
	if (ret == KNL_DUMP_INTR)
		fprintf(stderr, "kipcctl: list: objects kept changing; the list may be inconsistent\n");
	if (ret < 0)
		ret = knl_report(&nl, ret, "list");
	else
		ret = print_result(objs, print_object_table);
	json_object_put(objs);
	knl_close(&nl);
	return ret;
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

int cmd_show(int argc, char **argv)
{
	struct json_object *obj = NULL;
	struct knl nl;
	int ret;

	ret = plain_command(argc, argv, 1, &nl);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	ret = object_request(&nl, object_msg(&nl, KIPC_CMD_OBJ_GET, argv[optind], NULL),
			     "show", argv[optind], &obj);
	if (!ret && !obj) {
		fprintf(stderr, "kipcctl: show %s: the kernel sent no object\n", argv[optind]);
		ret = KIPCCTL_EXIT_FAILED;
	}
	if (!ret)
		ret = print_object(obj);
	json_object_put(obj);
	knl_close(&nl);
	return ret;
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
