// SPDX-License-Identifier: 0BSD
/*
 * Request/reply: one server, several clients, a reply queue per client.
 *
 *   request_reply [CLIENTS [REQUESTS]]
 *
 * The server reads requests from the named queue "example-requests". Each
 * client creates its own reply queue, "example-reply-PID", and names it in
 * every request; the server opens that queue write-only, sends the reply
 * (the request's text in upper case) and closes it. A client sends and
 * waits with kipc_sendrecv(), one system call per round trip, with a
 * deadline on CLOCK_MONOTONIC (kipc_deadline()), never CLOCK_REALTIME.
 * Why a queue per client: with one shared reply queue a client could take
 * another's reply; with its own, the kernel's permission check (mode 0600)
 * also keeps other users from reading it.
 *
 * The requests queue has two options (kipc 0.3): KIPC_QUEUE_CREDS, so the
 * server knows which process sent each request and answers only on that
 * process's own reply queue (a client cannot have replies sent to
 * another's), and KIPC_QUEUE_TRACK, so that a client whose request was
 * taken by a server that then dies fails at once with ECONNRESET instead
 * of waiting for its deadline.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libkipc.h>

#define REQUESTS_QUEUE	"example-requests"
#define MSGSIZE		128

/* A request is "REPLY-QUEUE TEXT"; "stop" ends the server. */
static int server(int req_fd)
{
	char msg[MSGSIZE + 1], own[64], *text;
	int served = 0, reply_fd;
	struct kipc_sender from;
	ssize_t len;

	for (;;) {
		len = kipc_receive_from(req_fd, msg, MSGSIZE, NULL, &from);
		if (len < 0) {
			perror("server: kipc_receive_from");
			return 1;
		}
		msg[len] = 0;
		if (!strcmp(msg, "stop"))
			break;
		text = strchr(msg, ' ');
		if (!text)
			continue;	/* malformed: nowhere to answer */
		*text++ = 0;
		/* The kernel says who sent it: only its own queue gets the answer. */
		snprintf(own, sizeof(own), "example-reply-%d", (int)from.pid);
		if (!(from.flags & KIPC_HDR_CREDS) || strcmp(msg, own)) {
			fprintf(stderr, "server: %s is not the sender's queue\n", msg);
			continue;
		}
		for (char *p = text; *p; p++)
			*p = toupper((unsigned char)*p);
		/* O_NONBLOCK: a client that stopped reading cannot stall us */
		reply_fd = kipc_queue_open(msg, O_WRONLY | O_NONBLOCK, 0, NULL);
		if (reply_fd < 0 || kipc_send(reply_fd, text, strlen(text), 0) < 0)
			fprintf(stderr, "server: no reply to %s: %s\n", msg, strerror(errno));
		if (reply_fd >= 0)
			close(reply_fd);
		served++;
	}
	printf("server: answered %d requests\n", served);
	return 0;
}

static int client(int id, int requests)
{
	struct kipc_queue_attr attr = { .maxmsg = 1, .msgsize = MSGSIZE };
	char name[64], req[MSGSIZE], reply[MSGSIZE + 1], want[MSGSIZE];
	struct timespec deadline;
	int req_fd, reply_fd, ok = 0;
	ssize_t len;

	snprintf(name, sizeof(name), "example-reply-%d", (int)getpid());
	reply_fd = kipc_queue_open(name, O_RDONLY | O_CREAT | O_EXCL, 0600, &attr);
	req_fd = kipc_queue_open(REQUESTS_QUEUE, O_WRONLY, 0, NULL);
	if (reply_fd < 0 || req_fd < 0) {
		perror("client: kipc_queue_open");
		return 1;
	}
	for (int i = 0; i < requests; i++) {
		int n = snprintf(req, sizeof(req), "%s hello %d from client %d", name, i, id);

		kipc_deadline(&deadline, 5000);	/* 5 s from now, CLOCK_MONOTONIC */
		len = kipc_sendrecv(req_fd, req, n, 0, reply_fd, reply, MSGSIZE,
				    NULL, &deadline, NULL);
		if (len < 0) {
			/* ECONNRESET: the server that took the request died */
			perror("client: kipc_sendrecv");
			break;
		}
		reply[len] = 0;
		snprintf(want, sizeof(want), "HELLO %d FROM CLIENT %d", i, id);
		ok += !strcmp(reply, want);
	}
	close(req_fd);
	close(reply_fd);
	kipc_unlink(name);
	printf("client %d: %d of %d replies right\n", id, ok, requests);
	return ok != requests;
}

int main(int argc, char **argv)
{
	struct kipc_queue_how how = {
		.maxmsg = 16,
		.msgsize = MSGSIZE,
		.options = KIPC_QUEUE_CREDS | KIPC_QUEUE_TRACK,
	};
	int clients = argc > 1 ? atoi(argv[1]) : 3;
	int requests = argc > 2 ? atoi(argv[2]) : 100;
	int req_fd, status, failed = 0;
	pid_t server_pid, pids[64];

	if (clients < 1 || clients > 64 || requests < 1) {
		fprintf(stderr, "usage: request_reply [CLIENTS (1-64) [REQUESTS]]\n");
		return 2;
	}

	req_fd = kipc_queue_open2(REQUESTS_QUEUE, O_RDWR | O_CREAT | O_EXCL, 0600,
				  &how, sizeof(how));
	if (req_fd < 0) {
		perror("kipc_queue_open " REQUESTS_QUEUE);
		return 1;
	}
	fflush(stdout);
	server_pid = fork();
	if (server_pid == 0) {
		status = server(req_fd);
		fflush(stdout);
		_exit(status);
	}
	for (int id = 1; id <= clients; id++) {
		pids[id - 1] = fork();
		if (pids[id - 1] == 0) {
			status = client(id, requests);
			fflush(stdout);
			_exit(status);
		}
	}
	/* every client first, then stop the server */
	for (int i = 0; i < clients; i++)
		if (pids[i] < 0 || waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	kipc_send(req_fd, "stop", 4, 0);
	if (waitpid(server_pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		failed++;
	close(req_fd);
	kipc_unlink(REQUESTS_QUEUE);
	printf("request_reply: %d clients, %d requests each, %d failed\n",
	       clients, requests, failed);
	return failed != 0;
}
