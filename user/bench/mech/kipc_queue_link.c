// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: kipc queue plumbing shared by the write/read, batched and
 * send-and-receive mechanisms. Queues are anonymous (no name to clean up),
 * sized like the POSIX mq case: msgsize = message size, maxmsg for about
 * 256 KiB (2 for a round trip, which never has more in flight), within the
 * module's msg_max, msgsize_max and queue_bytes_max; a send low-water mark
 * of half of it (send_lowat() below).
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libkipc.h>

#include "kipc_queue_link.h"

#define DEPTH_BYTES	(256 * 1024)
#define ROUND_TRIP_DEPTH 2

static unsigned long module_param(const char *name, unsigned long dflt)
{
	char path[128];
	unsigned long v = dflt;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/kipc/parameters/%s", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = dflt;
		fclose(f);
	}
	return v;
}

const char *kipc_queue_unavailable(void)
{
	int fd = kipc_open_device(0);

	if (fd < 0)
		return "kipc.ko not loaded";
	close(fd);
	return NULL;
}

size_t kipc_queue_max_msg_size(const struct bench_config *cfg)
{
	(void)cfg;
	return module_param("msgsize_max", 1u << 20);
}

/*
 * Streams use a send low-water mark of half the queue: several producers
 * blocked on a full queue are then woken once per half queue the consumer
 * drains, not once per message (Documentation/queue.rst). A round trip
 * never fills its queue, so the mark changes nothing there.
 * $KIPC_BENCH_SEND_LOWAT overrides it (1: the kernel's default, wake on
 * the first free slot) to measure both ways.
 */
static unsigned int send_lowat(unsigned int maxmsg)
{
	const char *env = getenv("KIPC_BENCH_SEND_LOWAT");
	unsigned long v;

	if (env && *env) {
		v = strtoul(env, NULL, 0);
		return v > maxmsg ? maxmsg : (unsigned int)v;
	}
	return maxmsg / 2;
}

static int open_queue(const struct bench_config *cfg, unsigned int options)
{
	unsigned long depth = DEPTH_BYTES / cfg->msg_size;
	unsigned long msg_max = module_param("msg_max", 4096);
	unsigned long bytes_max = module_param("queue_bytes_max", 64ul << 20);
	struct kipc_queue_how how;

	if (depth < 10)
		depth = 10;
	if (cfg->pattern == BENCH_ROUND_TRIP)
		depth = ROUND_TRIP_DEPTH;
	if (depth > msg_max)
		depth = msg_max;
	if (depth * cfg->msg_size > bytes_max)
		depth = bytes_max / cfg->msg_size;
	how.maxmsg = depth ? depth : 1;
	how.msgsize = cfg->msg_size;
	how.send_lowat = send_lowat(how.maxmsg);
	how.options = options;
	return kipc_queue_anon2(O_RDWR, &how, sizeof(how));
}

void kipc_queue_teardown(struct bench_link *link)
{
	if (link->requests >= 0)
		close(link->requests);
	if (link->replies >= 0)
		close(link->replies);
	free(link);
}

/* The requests queue has @req_options, the replies queue @reply_options. */
static int setup(struct bench_link **linkp, const struct bench_config *cfg,
		 unsigned int req_options, unsigned int reply_options)
{
	struct bench_link *link = malloc(sizeof(*link));

	if (!link)
		return -1;
	link->replies = -1;
	link->requests = open_queue(cfg, req_options);
	if (link->requests < 0 ||
	    (cfg->pattern == BENCH_ROUND_TRIP &&
	     (link->replies = open_queue(cfg, reply_options)) < 0)) {
		kipc_queue_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
}

int kipc_queue_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	return setup(linkp, cfg, 0, 0);
}

int kipc_queue_creds_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	return setup(linkp, cfg, KIPC_QUEUE_CREDS, KIPC_QUEUE_CREDS);
}

/* Tracked requests; the replies queue, the client's own, has no option. */
int kipc_queue_setup_track(struct bench_link **linkp, const struct bench_config *cfg)
{
	return setup(linkp, cfg, KIPC_QUEUE_TRACK, 0);
}

int kipc_queue_attach(struct bench_link *link, enum bench_role role, unsigned int index,
		      struct bench_endpoint **epp)
{
	struct bench_endpoint *ep = malloc(sizeof(*ep));

	(void)index;
	if (!ep)
		return -1;
	ep->out = role == BENCH_PRODUCER ? link->requests : link->replies;
	ep->in = role == BENCH_PRODUCER ? link->replies : link->requests;
	*epp = ep;
	return 0;
}

void kipc_queue_detach(struct bench_endpoint *ep)
{
	free(ep);
}

int kipc_queue_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	ssize_t n;

	do {
		n = write(ep->out, buf, len);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}

int kipc_queue_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	ssize_t n;

	do {
		n = read(ep->in, buf, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		bench_fail("read() of a kipc queue returned %zd bytes, expected %zu", n, len);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* kipc_receive_from(), the sender known (@creds) or not. */
static int recv_from(struct bench_endpoint *ep, void *buf, size_t len, bool creds)
{
	struct kipc_sender from;
	ssize_t n;

	do {
		n = kipc_receive_from(ep->in, buf, len, NULL, &from);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len || !(from.flags & KIPC_HDR_CREDS) != !creds ||
	    (creds && from.pid <= 0)) {
		bench_fail("kipc_receive_from() returned %zd bytes (expected %zu), flags %#x, pid %d",
			   n, len, from.flags, (int)from.pid);
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* A receiver that wants to know who sent: each message's credentials checked. */
int kipc_queue_creds_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	return recv_from(ep, buf, len, true);
}

/* The same call on a queue without the option: what the ioctl alone costs. */
int kipc_queue_recvmsg_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	return recv_from(ep, buf, len, false);
}
