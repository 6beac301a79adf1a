// SPDX-License-Identifier: GPL-2.0
/*
 * "kipcctl limits": the module's limits, as its parameters in
 * /sys/module/kipc/parameters/ say, grouped and with units as "ipcs -l"
 * prints System V's, and then how much of them the caller uses (STATS_GET,
 * the figures of "kipcctl stats"). The limits are the module's, the same in
 * every namespace, so they are read from sysfs rather than asked over
 * netlink. What a module does not have (an older one) is "-", null in JSON.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kipcctl.h"
#include "nl.h"
#include "obj.h"
#include "output.h"

#ifndef KIPC_PARAM_DIR
#define KIPC_PARAM_DIR	"/sys/module/kipc/parameters"
#endif

/* How a value reads to a person: a byte count, a count, or a flag. */
enum lim_unit { LU_BYTES, LU_COUNT, LU_FLAG };

struct lim_row {
	const char *key;	/* the parameter, or the stats field of usage */
	enum lim_unit unit;
	const char *what;
};

/* Groups as in "ipcs -l": the budgets, then per user, then per object. */
struct lim_group {
	const char *title;
	bool usage;		/* from STATS_GET (the caller's account), not sysfs */
	const struct lim_row *rows;
	size_t nrows;
};

static const struct lim_row budget_rows[] = {
	{ "user_bytes_max",	LU_BYTES, "bytes one user may reserve (EDQUOT over it)" },
	{ "total_bytes_max",	LU_BYTES, "bytes all users together may reserve (ENOSPC over it)" },
};

static const struct lim_row user_rows[] = {
	{ "max_queues_per_user", LU_COUNT, "queues one user may own" },
	{ "max_shbufs_per_user", LU_COUNT, "shared buffers one user may own" },
	{ "max_subscriptions_per_user", LU_COUNT, "event subscriptions one user may hold" },
};

static const struct lim_row queue_rows[] = {
	{ "msg_max",		LU_COUNT, "largest maxmsg" },
	{ "msgsize_max",	LU_BYTES, "largest msgsize" },
	{ "queue_bytes_max",	LU_BYTES, "largest maxmsg * msgsize" },
	{ "msg_default",	LU_COUNT, "maxmsg of a queue created with maxmsg 0" },
	{ "msgsize_default",	LU_BYTES, "msgsize of a queue created with msgsize 0" },
	{ "sendrecv_yield_to",	LU_FLAG,  "SENDRECV hands the CPU to the receiver it woke" },
};

static const struct lim_row shbuf_rows[] = {
	{ "shbuf_size_max",	LU_BYTES, "largest data size" },
	{ "sems_max",		LU_COUNT, "most semaphores" },
};

static const struct lim_row usage_rows[] = {
	{ "user_bytes",		LU_BYTES, "bytes you reserve, of user_bytes_max" },
	{ "user_queues",	LU_COUNT, "queues you own, of max_queues_per_user" },
	{ "user_shbufs",	LU_COUNT, "shared buffers you own, of max_shbufs_per_user" },
	{ "user_subs",		LU_COUNT, "subscriptions you hold, of max_subscriptions_per_user" },
	{ "total_bytes",	LU_BYTES, "bytes all users reserve, of total_bytes_max" },
};

#define ROWS(r)	(r), sizeof(r) / sizeof((r)[0])

static const struct lim_group groups[] = {
	{ "Byte budgets",	false,	ROWS(budget_rows) },
	{ "Per-user limits",	false,	ROWS(user_rows) },
	{ "Message queues",	false,	ROWS(queue_rows) },
	{ "Shared buffers",	false,	ROWS(shbuf_rows) },
	{ "Your usage",		true,	ROWS(usage_rows) },
};

#define NGROUPS	(sizeof(groups) / sizeof(groups[0]))

/*
 * The value of parameter @name: a number, a string if it is not one, NULL
 * (JSON null, "-" in the table) if it cannot be read or is empty. *@absent is set when the module has no
 * such parameter.
 */
static struct json_object *read_param(const char *name, bool *absent)
{
	char path[sizeof(KIPC_PARAM_DIR) + 64], buf[64], *end;
	unsigned long long v;
	size_t len;
	FILE *f;

	*absent = false;
	snprintf(path, sizeof(path), "%s/%s", KIPC_PARAM_DIR, name);
	f = fopen(path, "re");
	if (!f) {
		*absent = errno == ENOENT;
		return NULL;
	}
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (buf[0] >= '0' && buf[0] <= '9' && !*end && !errno)
		return json_object_new_uint64(v);
	return buf[0] ? json_object_new_string(buf) : NULL;
}

/* "64 MiB", "1.5 GiB", "912 B": binary units, one decimal when not whole. */
static void human_bytes(uint64_t v, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned int u = 0;
	double d = v;

	while (d >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		d /= 1024;
		u++;
	}
	if (!u || d == (double)(uint64_t)d)
		snprintf(buf, len, "%.0f %s", d, units[u]);
	else
		snprintf(buf, len, "%.1f %s", d, units[u]);
}

/* The caller's account from STATS_GET; NULL (a message printed) if none. */
static struct json_object *usage_stats(int *ret)
{
	struct json_object *stats = NULL;
	struct nl_msg *msg;
	struct knl nl;

	*ret = knl_open(&nl);
	if (*ret)
		return NULL;
	msg = knl_msg(&nl, KIPC_CMD_STATS_GET, false);
	*ret = msg ? knl_transact(&nl, msg, keep_stats, &stats) : -ENOMEM;
	if (*ret < 0)
		*ret = knl_report(&nl, *ret, "limits: stats");
	knl_close(&nl);
	return stats;
}

/*
 * One "KEY  VALUE  HUMAN  WHAT" row; KEY and VALUE lead so that scripts can
 * still read "KEY VALUE" off the start of the line.
 */
static int add_row(struct table *t, const struct lim_row *r, struct json_object *v)
{
	char value[32], human[32] = "";
	const char *cells[4] = { r->key, value, human, r->what };

	snprintf(value, sizeof(value), "%s", json_cell(v));
	if (json_object_is_type(v, json_type_int)) {
		if (r->unit == LU_BYTES)
			human_bytes(json_object_get_uint64(v), human, sizeof(human));
	} else if (r->unit == LU_FLAG && json_object_is_type(v, json_type_string)) {
		snprintf(human, sizeof(human), "%s",
			 !strcmp(json_object_get_string(v), "Y") ? "on" : "off");
	}
	return table_add(t, cells);
}

/* ipcs -l's layout: "------ TITLE ------", the rows, a blank line. */
static int print_limits(struct json_object *all)
{
	size_t g, i;
	int ret = 0;

	for (g = 0; !ret && g < NGROUPS; g++) {
		struct table *t = table_new(4);

		if (!t)
			return -ENOMEM;
		table_align_right(t, 1);
		table_align_right(t, 2);
		for (i = 0; !ret && i < groups[g].nrows; i++) {
			struct json_object *v = NULL;

			json_object_object_get_ex(all, groups[g].rows[i].key, &v);
			ret = add_row(t, &groups[g].rows[i], v);
		}
		if (!ret) {
			printf("%s------ %s ------\n", g ? "\n" : "", groups[g].title);
			table_print(t);
		}
		table_free(t);
	}
	return ret;
}

int cmd_limits(int argc, char **argv)
{
	struct json_object *limits, *stats;
	size_t g, i;
	int ret;

	ret = plain_options(argc, argv, 0);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	if (access(KIPC_PARAM_DIR, F_OK)) {
		fprintf(stderr, "kipcctl: kipc is not available: no %s (is kipc.ko loaded?)\n",
			KIPC_PARAM_DIR);
		return KIPCCTL_EXIT_NO_KIPC;
	}
	stats = usage_stats(&ret);
	if (ret)
		return ret;
	limits = json_object_new_object();
	if (!limits)
		goto nomem;
	/* Every key, always: null for what this module does not have. */
	for (g = 0; g < NGROUPS; g++)
		for (i = 0; i < groups[g].nrows; i++) {
			const char *key = groups[g].rows[i].key;
			struct json_object *v = NULL;
			bool absent;

			if (groups[g].usage) {
				json_object_object_get_ex(stats, key, &v);
				json_object_get(v);
			} else {
				v = read_param(key, &absent);
			}
			if (json_object_object_add(limits, key, v)) {
				json_object_put(v);
				json_object_put(limits);
				goto nomem;
			}
		}
	ret = opts.json ? json_print(limits) : print_limits(limits);
	if (ret) {
		fprintf(stderr, "kipcctl: limits: %s\n", strerror(-ret));
		ret = KIPCCTL_EXIT_FAILED;
	}
	json_object_put(limits);
	json_object_put(stats);
	return ret;
nomem:
	json_object_put(stats);
	fprintf(stderr, "kipcctl: limits: %s\n", strerror(ENOMEM));
	return KIPCCTL_EXIT_FAILED;
}
