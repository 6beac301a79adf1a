/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipcctl - control and observe kipc objects over the "kipc" generic netlink
 * family (and, for send/recv, through a queue descriptor). This header ties
 * the command files (list/show/stats, create/rm/set, monitor, limits,
 * send/recv) to the shared pieces: options, exit codes, argument parsing.
 */
#ifndef KIPCCTL_H
#define KIPCCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes scripts can rely on (documented in kipcctl.1 and netlink.rst). */
enum kipcctl_exit {
	KIPCCTL_EXIT_OK = 0,		/* the operation succeeded */
	KIPCCTL_EXIT_FAILED = 1,	/* the kernel (or the system) refused */
	KIPCCTL_EXIT_USAGE = 2,		/* bad command line */
	KIPCCTL_EXIT_NO_KIPC = 3,	/* family not found: module not loaded */
	KIPCCTL_EXIT_AGAIN = 4,		/* send/recv --nonblock: queue full/empty */
	KIPCCTL_EXIT_TIMEDOUT = 5,	/* send/recv --timeout: the deadline passed */
};

/* Global options, set once by main() before a command runs. */
struct kipcctl_opts {
	bool json;	/* -j: JSON instead of tables */
	bool pretty;	/* -p: indented JSON (implies -j) */
};

extern struct kipcctl_opts opts;

/* One command: "list", "create", ...; argv[0] is the command's name. */
struct kipcctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;	/* one or more lines after "kipcctl " */
};

int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_limits(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_recv(int argc, char **argv);

/* main.c: print the usage of command @name on stdout; returns 0. */
int command_help(const char *name);

/*
 * args.c: command-line checking. The option parsers of the commands return
 * KIPCCTL_CONTINUE to go on, or an exit code to stop with (0 after -h, 2
 * after a usage error, which they print).
 */
#define KIPCCTL_CONTINUE	(-1)
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int bad_option(char **argv, int c);
int want_args(int argc, char **argv, int nargs);
int parse_u32(const char *opt, const char *s, uint32_t *out);
/* A decimal number from @min to @max. */
int parse_range(const char *opt, const char *s, uint32_t min, uint32_t max, uint32_t *out);
int parse_size(const char *opt, const char *s, uint64_t *out);
int parse_mode(const char *opt, const char *s, uint32_t *out);

/* show.c, shared with the commands that change objects. */
struct json_object;
struct knl;
struct nl_msg;
int plain_options(int argc, char **argv, int nargs);
/*
 * plain_options(), then knl_open(@nl): KIPCCTL_CONTINUE with @nl open, or
 * the exit code to stop with.
 */
int plain_command(int argc, char **argv, int nargs, struct knl *nl);
int object_request(struct knl *nl, struct nl_msg *msg, const char *verb, const char *name,
		   struct json_object **out);
int print_object(struct json_object *obj);
struct nlattr;
/* A knl_reply_fn that keeps the object of a reply in *(json_object **)arg. */
int keep_object(uint8_t cmd, struct nlattr **tb, void *arg);
/* The same for the namespace totals and the caller's account (STATS_GET). */
int keep_stats(uint8_t cmd, struct nlattr **tb, void *arg);

/*
 * The operands of "show" and "rm": NAMEs, "id:N" and --id N, in order.
 * *@out is to be freed whatever the result.
 */
struct selector {
	const char *arg;	/* the name, or the id as written */
	bool by_id;
	uint32_t id;
};
int parse_selectors(int argc, char **argv, struct selector **out, size_t *n);
/*
 * The object of id @sel->id in *@dump (borrowed; the dump is made on first
 * use), or the exit code with the reason printed.
 */
int select_by_id(struct knl *nl, const char *verb, const struct selector *sel,
		 struct json_object **dump, struct json_object **obj);

/* edit.c: a request for object @name with the options in @a (NULL: none); NULL on ENOMEM. */
struct obj_args;
struct nl_msg *object_msg(struct knl *nl, uint8_t cmd, const char *name,
			  const struct obj_args *a);

#endif /* KIPCCTL_H */
