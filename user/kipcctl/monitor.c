// SPDX-License-Identifier: GPL-2.0
/*
 * "kipcctl monitor": subscribe this socket to the events of the caller's IPC
 * namespace (KIPC_CMD_SUBSCRIBE; the kernel unicasts KIPC_CMD_EVENT to each
 * subscriber, it does not multicast) and print one line per event until
 * SIGINT or SIGTERM. libnl retries reads interrupted by signals, so the
 * signals are taken through a signalfd polled beside the socket.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "kipcctl.h"
#include "nl.h"
#include "obj.h"
#include "output.h"
#include "select.h"

/* Options of "monitor": which events to print, and how. */
struct mon_opts {
	struct obj_filter filter;
	bool timestamp;		/* text lines start with the time */
};

/*
 * The time an event is printed (the kernel does not stamp events):
 * CLOCK_REALTIME in ISO 8601 with microseconds and the UTC offset,
 * "2026-12-07T01:02:03.000004+00:00".
 */
static struct json_object *now_iso8601(void)
{
	char buf[64], zone[8];
	struct timespec ts;
	struct tm tm;

	if (clock_gettime(CLOCK_REALTIME, &ts) || !localtime_r(&ts.tv_sec, &tm))
		return NULL;
	strftime(zone, sizeof(zone), "%z", &tm);	/* "+0000": ISO wants "+00:00" */
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06ld%.3s:%s",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, ts.tv_nsec / 1000, zone, zone + 3);
	return json_object_new_string(buf);
}

/*
 * "created mq demo id 3 mode 0600 ...": event, type, name, then the rest;
 * " (N events lost before this one)" at the end when the kernel reports
 * that this subscriber missed events.
 */
static int print_event_line(struct json_object *ev, bool timestamp)
{
	struct json_object *v, *lost = NULL;
	const char *first[] = { "event", "type", "name" };
	size_t i;

	if (timestamp && json_object_object_get_ex(ev, "time", &v))
		printf("%s ", json_cell(v));
	for (i = 0; i < 3; i++) {
		v = NULL;
		json_object_object_get_ex(ev, first[i], &v);
		printf("%s%s", i ? " " : "", json_cell(v));
	}
	json_object_object_foreach(ev, key, val) {
		if (!strcmp(key, "event") || !strcmp(key, "type") || !strcmp(key, "name") ||
		    !strcmp(key, "time"))
			continue;
		/* Fields the object has not (JSON's nulls) stay out of the line. */
		if (json_object_is_type(val, json_type_null))
			continue;
		if (!strcmp(key, "events_lost")) {
			lost = val;
			continue;
		}
		printf(" %s %s", key, json_cell(val));
	}
	if (lost)
		printf(" (%s event%s lost before this one)", json_cell(lost),
		       json_object_get_uint64(lost) == 1 ? "" : "s");
	putchar('\n');
	return fflush(stdout) ? -EIO : 0;
}

static int print_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	const struct mon_opts *mo = arg;
	struct json_object *ev;
	int ret;

	if (cmd != KIPC_CMD_EVENT)
		return 0;
	ev = kipc_event_json(tb);
	if (!ev)
		return -ENOMEM;
	if (!object_matches(ev, &mo->filter)) {
		json_object_put(ev);
		return 0;
	}
	/* Last, so "event" and "name" keep the front of each JSON line. */
	if (json_object_object_add(ev, "time", now_iso8601())) {
		json_object_put(ev);
		return -ENOMEM;
	}
	ret = opts.json ? json_print(ev) : print_event_line(ev, mo->timestamp);
	json_object_put(ev);
	return ret;
}

static int open_signalfd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC);
}

static int subscribe(struct knl *nl, struct mon_opts *mo)
{
	struct nl_msg *msg = knl_msg(nl, KIPC_CMD_SUBSCRIBE, false);
	int ret;

	/* Events may overtake the ack: they are printed as they come. */
	ret = msg ? knl_transact(nl, msg, print_event, mo) : -ENOMEM;
	if (ret < 0)
		return knl_report(nl, ret, "monitor: subscribe");
	return KIPCCTL_EXIT_OK;
}

static int watch(struct knl *nl, int sigfd, struct mon_opts *mo)
{
	struct pollfd pfd[2] = {
		{ .fd = nl_socket_get_fd(nl->sk), .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};
	int ret;

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "kipcctl: monitor: poll: %s\n", strerror(errno));
			return KIPCCTL_EXIT_FAILED;
		}
		if (pfd[1].revents)
			return KIPCCTL_EXIT_OK;	/* SIGINT or SIGTERM */
		if (!pfd[0].revents)
			continue;
		ret = knl_receive(nl, print_event, mo);
		if (ret == -ENOBUFS) {
			/* The socket overflowed: the kernel dropped events. */
			fprintf(stderr, "kipcctl: monitor: events were lost (receive buffer overrun)\n");
			continue;
		}
		if (ret < 0)
			return knl_report(nl, ret, "monitor");
	}
}

static int monitor_options(int argc, char **argv, struct mon_opts *mo)
{
	static const struct option longopts[] = {
		{ "timestamp",	no_argument,	   NULL, 't' },
		{ "type",	required_argument, NULL, 'T' },
		{ "name",	required_argument, NULL, 'n' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":tn:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			mo->timestamp = true;
			break;
		case 'T':
			if (parse_type("--type", optarg, &mo->filter.type))
				return KIPCCTL_EXIT_USAGE;
			break;
		case 'n':
			mo->filter.name = optarg;
			break;
		case 'h':
			return command_help(argv[0]);
		default:
			return bad_option(argv, c);
		}
	}
	return want_args(argc, argv, 0);
}

int cmd_monitor(int argc, char **argv)
{
	struct mon_opts mo = { 0 };
	struct knl nl;
	int ret, sigfd;

	ret = monitor_options(argc, argv, &mo);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	sigfd = open_signalfd();
	if (sigfd < 0) {
		fprintf(stderr, "kipcctl: monitor: signalfd: %s\n", strerror(errno));
		return KIPCCTL_EXIT_FAILED;
	}
	ret = knl_open(&nl);
	if (!ret)
		ret = subscribe(&nl, &mo);
	if (!ret && nl_socket_set_nonblocking(nl.sk) < 0) {
		fprintf(stderr, "kipcctl: monitor: cannot make the socket non-blocking\n");
		ret = KIPCCTL_EXIT_FAILED;
	}
	if (!ret)
		ret = watch(&nl, sigfd, &mo);
	if (nl.sk)
		knl_close(&nl);
	close(sigfd);
	return ret;
}
