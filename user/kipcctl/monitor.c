// SPDX-License-Identifier: GPL-2.0
/*
 * "kipcctl monitor": subscribe this socket to the events of the caller's IPC
 * namespace (KIPC_CMD_SUBSCRIBE; the kernel unicasts KIPC_CMD_EVENT to each
 * subscriber, it does not multicast) and print one line per event until
 * SIGINT or SIGTERM. libnl retries reads interrupted by signals, so the
 * signals are taken through a signalfd polled beside the socket.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "kipcctl.h"
#include "nl.h"
#include "obj.h"
#include "output.h"

/*
 * "created mq demo id 3 mode 0600 ...": event, type, name, then the rest;
 * " (N events lost before this one)" at the end when the kernel reports
 * that this subscriber missed events.
 */
static int print_event_line(struct json_object *ev)
{
	struct json_object *v, *lost = NULL;
	const char *first[] = { "event", "type", "name" };
	size_t i;

	for (i = 0; i < 3; i++) {
		v = NULL;
		json_object_object_get_ex(ev, first[i], &v);
		printf("%s%s", i ? " " : "", json_cell(v));
	}
	json_object_object_foreach(ev, key, val) {
		if (!strcmp(key, "event") || !strcmp(key, "type") || !strcmp(key, "name"))
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
	struct json_object *ev;
	int ret;

	(void)arg;
	if (cmd != KIPC_CMD_EVENT)
		return 0;
	ev = kipc_event_json(tb);
	if (!ev)
		return -ENOMEM;
	ret = opts.json ? json_print(ev) : print_event_line(ev);
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

static int subscribe(struct knl *nl)
{
	struct nl_msg *msg = knl_msg(nl, KIPC_CMD_SUBSCRIBE, false);
	int ret;

	/* Events may overtake the ack: they are printed as they come. */
	ret = msg ? knl_transact(nl, msg, print_event, NULL) : -ENOMEM;
	if (ret < 0)
		return knl_report(nl, ret, "monitor: subscribe");
	return KIPCCTL_EXIT_OK;
}

static int watch(struct knl *nl, int sigfd)
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
		ret = knl_receive(nl, print_event, NULL);
		if (ret == -ENOBUFS) {
			/* The socket overflowed: the kernel dropped events. */
			fprintf(stderr, "kipcctl: monitor: events were lost (receive buffer overrun)\n");
			continue;
		}
		if (ret < 0)
			return knl_report(nl, ret, "monitor");
	}
}

int cmd_monitor(int argc, char **argv)
{
	struct knl nl;
	int ret, sigfd;

	ret = plain_options(argc, argv, 0);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	sigfd = open_signalfd();
	if (sigfd < 0) {
		fprintf(stderr, "kipcctl: monitor: signalfd: %s\n", strerror(errno));
		return KIPCCTL_EXIT_FAILED;
	}
	ret = knl_open(&nl);
	if (!ret)
		ret = subscribe(&nl);
	if (!ret && nl_socket_set_nonblocking(nl.sk) < 0) {
		fprintf(stderr, "kipcctl: monitor: cannot make the socket non-blocking\n");
		ret = KIPCCTL_EXIT_FAILED;
	}
	if (!ret)
		ret = watch(&nl, sigfd);
	if (nl.sk)
		knl_close(&nl);
	close(sigfd);
	return ret;
}
