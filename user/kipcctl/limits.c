// SPDX-License-Identifier: GPL-2.0
/*
 * "kipcctl limits": the module's limits, as its parameters in
 * /sys/module/kipc/parameters/ say. They are the module's, the same in every
 * namespace, so they are read from sysfs rather than asked over netlink;
 * "kipcctl stats" shows how much of the budget the caller has used.
 * Parameters a module does not have (an older one) are left out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kipcctl.h"
#include "output.h"

#ifndef KIPC_PARAM_DIR
#define KIPC_PARAM_DIR	"/sys/module/kipc/parameters"
#endif

/* The order of the output: budgets, per-user counts, then per object. */
static const char *const kipc_params[] = {
	"user_bytes_max",
	"total_bytes_max",
	"max_queues_per_user",
	"max_shbufs_per_user",
	"max_subscriptions_per_user",
	"msg_max",
	"msgsize_max",
	"queue_bytes_max",
	"msg_default",
	"msgsize_default",
	"shbuf_size_max",
	"sems_max",
	"sendrecv_yield_to",
};

#define NPARAMS	(sizeof(kipc_params) / sizeof(kipc_params[0]))

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

int cmd_limits(int argc, char **argv)
{
	struct json_object *limits;
	size_t i;
	int ret;

	ret = plain_options(argc, argv, 0);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	if (access(KIPC_PARAM_DIR, F_OK)) {
		fprintf(stderr, "kipcctl: kipc is not available: no %s (is kipc.ko loaded?)\n",
			KIPC_PARAM_DIR);
		return KIPCCTL_EXIT_NO_KIPC;
	}
	limits = json_object_new_object();
	if (!limits)
		goto nomem;
	for (i = 0; i < NPARAMS; i++) {
		bool absent;
		struct json_object *v = read_param(kipc_params[i], &absent);

		if (absent)
			continue;
		if (json_object_object_add(limits, kipc_params[i], v)) {
			json_object_put(v);
			json_object_put(limits);
			goto nomem;
		}
	}
	ret = print_object(limits);
	json_object_put(limits);
	return ret;
nomem:
	fprintf(stderr, "kipcctl: limits: %s\n", strerror(ENOMEM));
	return KIPCCTL_EXIT_FAILED;
}
