// SPDX-License-Identifier: GPL-2.0
/*
 * kipcctl - control and observe kipc objects, iproute2 style:
 *
 *   kipcctl [-j] [-p] COMMAND [ARGS]
 *
 * main() takes the global options, finds the command and runs it; each
 * command parses its own options. Exit codes: 0 ok, 1 the operation failed,
 * 2 usage error, 3 kipc not available, 4 and 5 (send and recv) the queue
 * was full or empty with --nonblock, or stayed so until --timeout.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <linux/kipc.h>

#include "kipcctl.h"

#define STR_(x)	#x
#define STR(x)	STR_(x)
#define KIPCCTL_VERSION	STR(KIPC_VERSION_MAJOR) "." STR(KIPC_VERSION_MINOR) "." \
			STR(KIPC_VERSION_PATCH)

struct kipcctl_opts opts;

static const struct kipcctl_cmd commands[] = {
	{ "list",	cmd_list,	"list [--type mq|shm] [--user USER] [--brief]" },
	{ "show",	cmd_show,	"show NAME|id:N... [--id N]" },
	{ "create",	cmd_create,	"create mq NAME [--maxmsg N] [--msgsize BYTES] [--send-lowat N] [--creds] [--track] [--fds] [--broadcast [--drop-oldest]] [--mode OCTAL]\n"
					"create shm NAME --size BYTES [--nsems N] [--values V,...] [--mode OCTAL]" },
	{ "rm",		cmd_rm,		"rm NAME|id:N... [--id N]" },
	{ "set",	cmd_set,	"set NAME [--maxmsg N] [--mode OCTAL]" },
	{ "stats",	cmd_stats,	"stats" },
	{ "limits",	cmd_limits,	"limits" },
	{ "monitor",	cmd_monitor,	"monitor [--timestamp] [--type mq|shm] [--name NAME]" },
	{ "send",	cmd_send,	"send NAME [--prio N] [--timeout MS | --nonblock] [MESSAGE]" },
	{ "recv",	cmd_recv,	"recv NAME [--count N] [--timeout MS | --nonblock] [-j]" },
};

#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

/* One "usage:" line per line of @usage, the first one labelled with @first. */
static void print_usage_lines(FILE *f, const char *usage, const char *first)
{
	const char *p = usage, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		fprintf(f, "%-7s kipcctl [OPTIONS] %.*s\n", p == usage ? first : "",
			nl ? (int)(nl - p) : (int)strlen(p), p);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static void usage(FILE *f)
{
	size_t i;

	fputs("usage:  kipcctl [OPTIONS] COMMAND [ARGS]\n", f);
	for (i = 0; i < NCOMMANDS; i++)
		print_usage_lines(f, commands[i].usage, "");
	fputs("\nCommands act on the kipc objects of the caller's IPC namespace:\n"
	      "  list      every object, one line each       show     objects by name or id\n"
	      "  create    a message queue or shared buffer  rm       remove names\n"
	      "  set       change mode or queue capacity     stats    totals, your byte budget\n"
	      "  monitor   print events until interrupted    limits   limits and your usage\n"
	      "  send      put a message into a queue        recv     take messages out\n"
	      "\nOptions:\n"
	      "  -j, --json     JSON output, with the field names of the tables\n"
	      "  -p, --pretty   indented JSON (implies --json)\n"
	      "  -h, --help     this help; COMMAND --help for one command\n"
	      "  -V, --version  version of kipcctl and of the netlink family it speaks\n"
	      "\nExit status: 0 ok, 1 the operation failed (the kernel's reason is printed),\n"
	      "2 usage error, 3 kipc not available (module not loaded),\n"
	      "4 send/recv --nonblock: the queue is full/empty, 5 send/recv --timeout: timed out.\n"
	      "See kipcctl(1).\n", f);
}

int command_help(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			print_usage_lines(stdout, commands[i].usage, "usage:");
	return KIPCCTL_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json",	no_argument, NULL, 'j' },
		{ "pretty",	no_argument, NULL, 'p' },
		{ "help",	no_argument, NULL, 'h' },
		{ "version",	no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	size_t i;
	int c;

	opterr = 0;
	/* "+": stop at the command; what follows is the command's. */
	while ((c = getopt_long(argc, argv, "+:jphV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'p':
			opts.json = true;
			opts.pretty = true;
			break;
		case 'h':
			usage(stdout);
			return KIPCCTL_EXIT_OK;
		case 'V':
			printf("kipcctl %s (generic netlink family \"%s\" version %d)\n",
			       KIPCCTL_VERSION, KIPC_GENL_NAME, KIPC_GENL_VERSION);
			return KIPCCTL_EXIT_OK;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return KIPCCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return KIPCCTL_EXIT_OK;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, argv[optind]))
			return commands[i].run(argc - optind, argv + optind);
	return usage_error("unknown command '%s'", argv[optind]);
}
