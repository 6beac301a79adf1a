// SPDX-License-Identifier: GPL-2.0
/*
 * The commands that change objects: "create mq|shm NAME ...",
 * "rm NAME|id:N..." and "set NAME ...". Like iproute2 they are silent on
 * success; with -j they print the object as the kernel replied with it, in
 * a one-element array (rm replies with nothing).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kipcctl.h"
#include "nl.h"
#include "obj.h"
#include "output.h"

enum {
	OPT_MAXMSG = 256,
	OPT_MSGSIZE,
	OPT_MODE,
	OPT_SIZE,
	OPT_NSEMS,
	OPT_VALUES,
	OPT_SEND_LOWAT,
	OPT_CREDS,
	OPT_TRACK,
	OPT_FDS,
	OPT_BROADCAST,
	OPT_DROP_OLDEST,
};

/* Initial semaphore values "create shm --values" takes: the kernel's ceiling. */
#define MAX_VALUES	4096

/* What the options of create and set asked for; has_* says given. */
struct obj_args {
	uint32_t maxmsg, msgsize, mode, nsems, send_lowat;
	uint32_t options;	/* KIPC_QUEUE_*: --creds, --track, --fds, --broadcast, --drop-oldest */
	uint64_t size;
	uint32_t *values;	/* --values, nvalues of them; malloc'd */
	uint32_t nvalues;
	bool has_maxmsg, has_msgsize, has_mode, has_size, has_nsems, has_values;
	bool has_send_lowat;
};

static const struct option edit_longopts[] = {
	{ "maxmsg",	required_argument,	NULL, OPT_MAXMSG },
	{ "msgsize",	required_argument,	NULL, OPT_MSGSIZE },
	{ "mode",	required_argument,	NULL, OPT_MODE },
	{ "size",	required_argument,	NULL, OPT_SIZE },
	{ "nsems",	required_argument,	NULL, OPT_NSEMS },
	{ "values",	required_argument,	NULL, OPT_VALUES },
	{ "send-lowat",	required_argument,	NULL, OPT_SEND_LOWAT },
	{ "creds",	no_argument,		NULL, OPT_CREDS },
	{ "track",	no_argument,		NULL, OPT_TRACK },
	{ "fds",	no_argument,		NULL, OPT_FDS },
	{ "broadcast",	no_argument,		NULL, OPT_BROADCAST },
	{ "drop-oldest", no_argument,		NULL, OPT_DROP_OLDEST },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "--values 1,0,3": comma-separated u32s, at most MAX_VALUES of them. */
static int parse_values(const char *s, struct obj_args *a)
{
	char buf[16];
	const char *p = s;
	size_t len;
	int ret;

	free(a->values);
	a->nvalues = 0;
	a->values = calloc(MAX_VALUES, sizeof(*a->values));
	if (!a->values)
		return usage_error("--values: out of memory");
	for (;;) {
		len = strcspn(p, ",");
		if (!len || len >= sizeof(buf) || a->nvalues == MAX_VALUES)
			return usage_error("--values: expected up to %d numbers separated by commas, got '%s'",
					   MAX_VALUES, s);
		memcpy(buf, p, len);
		buf[len] = '\0';
		ret = parse_u32("--values", buf, &a->values[a->nvalues++]);
		if (ret != 0)
			return ret;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static void free_obj_args(struct obj_args *a)
{
	free(a->values);
	a->values = NULL;
}

/*
 * Options may come before, between or after the operands. Returns
 * KIPCCTL_CONTINUE with optind at the first operand, or an exit code.
 */
static int parse_obj_args(int argc, char **argv, struct obj_args *a)
{
	int c, ret = KIPCCTL_CONTINUE;

	memset(a, 0, sizeof(*a));
	optind = 0;	/* 0, not 1: glibc re-reads the optstring (main used "+") */
	opterr = 0;
	while (ret == KIPCCTL_CONTINUE &&
	       (c = getopt_long(argc, argv, ":h", edit_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_MAXMSG:
			a->has_maxmsg = true;
			ret = parse_u32("--maxmsg", optarg, &a->maxmsg);
			break;
		case OPT_MSGSIZE:
			a->has_msgsize = true;
			ret = parse_size("--msgsize", optarg, &a->size);
			if (ret == KIPCCTL_CONTINUE && a->size > UINT32_MAX)
				ret = usage_error("--msgsize: %s is too large", optarg);
			a->msgsize = a->size;
			a->size = 0;
			break;
		case OPT_MODE:
			a->has_mode = true;
			ret = parse_mode("--mode", optarg, &a->mode);
			break;
		case OPT_SIZE:
			a->has_size = true;
			ret = parse_size("--size", optarg, &a->size);
			break;
		case OPT_NSEMS:
			a->has_nsems = true;
			ret = parse_u32("--nsems", optarg, &a->nsems);
			break;
		case OPT_VALUES:
			a->has_values = true;
			ret = parse_values(optarg, a);
			break;
		case OPT_SEND_LOWAT:
			a->has_send_lowat = true;
			ret = parse_u32("--send-lowat", optarg, &a->send_lowat);
			break;
		case OPT_CREDS:
			a->options |= KIPC_QUEUE_CREDS;
			break;
		case OPT_TRACK:
			a->options |= KIPC_QUEUE_TRACK;
			break;
		case OPT_FDS:
			a->options |= KIPC_QUEUE_FDS;
			break;
		case OPT_BROADCAST:
			a->options |= KIPC_QUEUE_BROADCAST;
			break;
		case OPT_DROP_OLDEST:
			a->options |= KIPC_QUEUE_DROP_OLDEST;
			break;
		case 'h':
			return command_help(argv[0]);
		default:
			return bad_option(argv, c);
		}
		if (ret == 0)	/* the parse_* helpers return 0 for a good value */
			ret = KIPCCTL_CONTINUE;
	}
	return ret;
}

/*
 * Options that make no sense for @what, by name; --values goes with
 * --nsems, --send-lowat, --creds, --track and --fds with --msgsize (a new
 * queue's: fixed at creation).
 */
static int refuse_options(const struct obj_args *a, const char *what, bool maxmsg,
			  bool msgsize, bool size, bool nsems)
{
	const char *opt = (!maxmsg && a->has_maxmsg) ? "--maxmsg" :
			  (!msgsize && a->has_msgsize) ? "--msgsize" :
			  (!msgsize && a->has_send_lowat) ? "--send-lowat" :
			  (!msgsize && (a->options & KIPC_QUEUE_CREDS)) ? "--creds" :
			  (!msgsize && (a->options & KIPC_QUEUE_TRACK)) ? "--track" :
			  (!msgsize && (a->options & KIPC_QUEUE_FDS)) ? "--fds" :
			  (!msgsize && (a->options & KIPC_QUEUE_BROADCAST)) ? "--broadcast" :
			  (!msgsize && (a->options & KIPC_QUEUE_DROP_OLDEST)) ? "--drop-oldest" :
			  (!size && a->has_size) ? "--size" :
			  (!nsems && a->has_nsems) ? "--nsems" :
			  (!nsems && a->has_values) ? "--values" : NULL;

	if (opt)
		return usage_error("%s: %s does not apply", what, opt);
	return KIPCCTL_CONTINUE;
}

static int put_obj_args(struct nl_msg *msg, const struct obj_args *a)
{
	if (a->has_mode && nla_put_u32(msg, KIPC_A_MODE, a->mode) < 0)
		return -ENOMEM;
	if (a->has_maxmsg && nla_put_u32(msg, KIPC_A_MAXMSG, a->maxmsg) < 0)
		return -ENOMEM;
	if (a->has_msgsize && nla_put_u32(msg, KIPC_A_MSGSIZE, a->msgsize) < 0)
		return -ENOMEM;
	if (a->has_send_lowat && nla_put_u32(msg, KIPC_A_SEND_LOWAT, a->send_lowat) < 0)
		return -ENOMEM;
	if (a->options && nla_put_u32(msg, KIPC_A_OPTIONS, a->options) < 0)
		return -ENOMEM;
	if (a->has_size && nla_put_u64(msg, KIPC_A_SIZE, a->size) < 0)
		return -ENOMEM;
	if (a->has_nsems && nla_put_u32(msg, KIPC_A_NSEMS, a->nsems) < 0)
		return -ENOMEM;
	if (a->has_values &&
	    nla_put(msg, KIPC_A_SEM_VALUES, a->nvalues * sizeof(*a->values), a->values) < 0)
		return -ENOMEM;
	return 0;
}

struct nl_msg *object_msg(struct knl *nl, uint8_t cmd, const char *name,
			  const struct obj_args *a)
{
	struct nl_msg *msg = knl_msg(nl, cmd, false);

	if (msg && (nla_put_string(msg, KIPC_A_NAME, name) < 0 ||
		    (a && put_obj_args(msg, a) < 0))) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

/* The object the kernel replied with, for -j; text output stays silent. */
static int print_changed(int ret, struct json_object *obj)
{
	struct json_object *arr;

	/* An array, as from list and show: one shape for every object printer. */
	if (ret == KIPCCTL_EXIT_OK && opts.json && obj) {
		arr = json_object_new_array();
		if (arr && !json_object_array_add(arr, json_object_get(obj))) {
			ret = print_object(arr);
		} else {
			fprintf(stderr, "kipcctl: %s\n", strerror(ENOMEM));
			ret = KIPCCTL_EXIT_FAILED;
		}
		json_object_put(arr);
	}
	json_object_put(obj);
	return ret;
}

/*
 * An older module cannot create shared buffers: it answers EOPNOTSUPP for
 * the type, or its strict policy refuses the attributes it does not know
 * (EINVAL, "Unknown attribute type", aimed at one of them).
 */
static bool type_refused(const struct knl *nl, int err)
{
	if (err == -EOPNOTSUPP)
		return true;
	return err == -EINVAL && !nl->missing_attr &&
	       (nl->bad_attr == KIPC_A_SIZE || nl->bad_attr == KIPC_A_NSEMS ||
		nl->bad_attr == KIPC_A_SEM_VALUES) &&
	       strstr(nl->extack, "Unknown attribute");
}

static int create(int argc, char **argv, struct obj_args *a)
{
	struct json_object *obj = NULL;
	const char *kind, *name;
	struct nl_msg *msg;
	uint32_t type;
	struct knl nl;
	char detail[512];
	int ret;

	if (argc - optind < 1)
		return usage_error("create: missing object type (mq or shm)");
	kind = argv[optind];
	if (!strcmp(kind, "mq")) {
		type = KIPC_TYPE_QUEUE;
		ret = refuse_options(a, "create mq", true, true, false, false);
	} else if (!strcmp(kind, "shm")) {
		type = KIPC_TYPE_SHBUF;
		ret = refuse_options(a, "create shm", false, false, true, true);
		if (ret == KIPCCTL_CONTINUE && !a->has_size)
			ret = usage_error("create shm: --size is required");
		/* --values alone says how many semaphores there are. */
		if (a->has_values && !a->has_nsems) {
			a->nsems = a->nvalues;
			a->has_nsems = true;
		}
	} else {
		return usage_error("create: unknown object type '%s' (mq or shm)", kind);
	}
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	optind++;
	ret = want_args(argc, argv, 1);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	name = argv[optind];

	ret = knl_open(&nl);
	if (ret)
		return ret;
	msg = object_msg(&nl, KIPC_CMD_OBJ_NEW, name, a);
	if (msg && nla_put_u32(msg, KIPC_A_TYPE, type) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	ret = msg ? knl_transact(&nl, msg, keep_object, &obj) : -ENOMEM;
	if (ret < 0 && type == KIPC_TYPE_SHBUF && type_refused(&nl, ret)) {
		knl_detail(&nl, detail, sizeof(detail));
		fprintf(stderr, "kipcctl: create shm %s: not supported by this module%s%s%s\n",
			name, detail[0] ? " (" : "", detail, detail[0] ? ")" : "");
		ret = KIPCCTL_EXIT_FAILED;
	} else if (ret < 0) {
		ret = knl_report(&nl, ret, "create %s %s", kind, name);
	}
	knl_close(&nl);
	return print_changed(ret, obj);
}

int cmd_create(int argc, char **argv)
{
	struct obj_args a;
	int ret;

	ret = parse_obj_args(argc, argv, &a);
	if (ret == KIPCCTL_CONTINUE)
		ret = create(argc, argv, &a);
	free_obj_args(&a);
	return ret;
}

/*
 * "rm NAME|id:N...": each in turn; a failure is reported and the rest are
 * still removed. An id is resolved to its name (the kernel removes names);
 * an anonymous object has none, and goes when its last holder closes it.
 */
int cmd_rm(int argc, char **argv)
{
	struct json_object *dump = NULL, *obj, *v;
	struct selector *sel;
	int ret, failed = 0;
	const char *name;
	struct knl nl;
	size_t i, n;

	ret = parse_selectors(argc, argv, &sel, &n);
	if (ret == KIPCCTL_CONTINUE)
		ret = knl_open(&nl);
	if (ret) {
		free(sel);
		return ret;
	}
	for (i = 0; i < n; i++) {
		name = sel[i].arg;
		ret = KIPCCTL_EXIT_OK;
		if (sel[i].by_id) {
			ret = select_by_id(&nl, "rm", &sel[i], &dump, &obj);
			v = NULL;
			if (!ret && json_object_object_get_ex(obj, "name", &v) &&
			    json_object_is_type(v, json_type_string)) {
				name = json_object_get_string(v);
			} else if (!ret) {
				fprintf(stderr, "kipcctl: rm id:%u: the object is anonymous: it has no name to remove\n",
					sel[i].id);
				ret = KIPCCTL_EXIT_FAILED;
			}
		}
		if (!ret)
			ret = object_request(&nl, object_msg(&nl, KIPC_CMD_OBJ_DEL, name, NULL),
					     "rm", name, NULL);
		if (ret == KIPCCTL_EXIT_NO_KIPC) {
			failed = ret;
			break;
		}
		if (ret && !failed)
			failed = ret;
	}
	json_object_put(dump);
	knl_close(&nl);
	free(sel);
	return failed;
}

int cmd_set(int argc, char **argv)
{
	struct json_object *obj = NULL;
	struct obj_args a;
	struct knl nl;
	int ret;

	ret = parse_obj_args(argc, argv, &a);
	free_obj_args(&a);	/* set takes no --values: refused below */
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	ret = refuse_options(&a, "set", true, false, false, false);
	if (ret == KIPCCTL_CONTINUE && !a.has_maxmsg && !a.has_mode)
		ret = usage_error("set: nothing to change (--maxmsg or --mode)");
	if (ret == KIPCCTL_CONTINUE)
		ret = want_args(argc, argv, 1);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	ret = knl_open(&nl);
	if (ret)
		return ret;
	ret = object_request(&nl, object_msg(&nl, KIPC_CMD_OBJ_SET, argv[optind], &a),
			     "set", argv[optind], &obj);
	knl_close(&nl);
	return print_changed(ret, obj);
}
