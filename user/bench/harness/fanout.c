// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: fan-out, one publisher to N subscribers (see fanout.h). Every
 * subscriber is a process of its own that opens (or was given) its end
 * before the clock starts, says so on a pipe, receives every message in
 * order and exits 0. The clock runs from the publisher's first send to the
 * last subscriber's exit; the publisher's CPU time covers its send loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/kipc.h>

#include "bench.h"
#include "fanout.h"
#include "options.h"
#include "timing.h"

#define MAX_SUBS	16
/* Room each subscriber's queue or the ring has: the publisher runs ahead. */
#define FANOUT_MAXMSG	64

enum way { BROADCAST, QUEUES, DGRAM };

struct fanout_setup {
	enum way way;
	unsigned int n;
	char name[KIPC_NAME_MAX];	/* BROADCAST: the queue's */
	int pub[MAX_SUBS];		/* the publisher's ends (BROADCAST: pub[0]) */
	int sub[MAX_SUBS];		/* the subscribers' (not BROADCAST) */
};

static int kipc_open_queue(const char *name, int oflag, uint32_t flags, uint32_t options)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = flags,
		.mode = 0600,
		.maxmsg = FANOUT_MAXMSG,
		.msgsize = FANOUT_MSG_SIZE,
		.options = options,
	};
	int fd = open(KIPC_DEVICE_PATH, oflag | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (name)
		snprintf(qo.name, sizeof(qo.name), "%s", name);
	if (ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void close_all(struct fanout_setup *s)
{
	unsigned int i;

	for (i = 0; i < MAX_SUBS; i++) {
		if (s->pub[i] >= 0)
			close(s->pub[i]);
		if (s->sub[i] >= 0)
			close(s->sub[i]);
		s->pub[i] = s->sub[i] = -1;
	}
}

/* The publisher's ends, and the subscribers' where they are made before fork. */
static int setup(struct fanout_setup *s)
{
	unsigned int i;
	int sv[2], fd;

	for (i = 0; i < MAX_SUBS; i++)
		s->pub[i] = s->sub[i] = -1;
	switch (s->way) {
	case BROADCAST:
		snprintf(s->name, sizeof(s->name), "kipc-bench-fanout-%d", (int)getpid());
		fd = kipc_open_queue(s->name, O_WRONLY, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
				     KIPC_QUEUE_BROADCAST);
		if (fd < 0)
			return fd;
		s->pub[0] = fd;
		return 0;
	case QUEUES:
		for (i = 0; i < s->n; i++) {
			fd = kipc_open_queue(NULL, O_RDWR, KIPC_OPEN_ANON, 0);
			if (fd < 0) {
				close_all(s);
				return fd;
			}
			s->pub[i] = fd;
			s->sub[i] = dup(fd);
		}
		return 0;
	case DGRAM:
		for (i = 0; i < s->n; i++) {
			if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv)) {
				close_all(s);
				return -errno;
			}
			s->pub[i] = sv[0];
			s->sub[i] = sv[1];
		}
		return 0;
	}
	return -EINVAL;
}

static void unlink_queue(const char *name)
{
	struct kipc_unlink ul = { .size = sizeof(ul) };
	int fd = open(KIPC_DEVICE_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	snprintf(ul.name, sizeof(ul.name), "%s", name);
	ioctl(fd, KIPC_IOC_UNLINK, &ul);
	close(fd);
}

/* A subscriber: its end, ready on @ready, @count messages in order. */
static int subscriber(struct fanout_setup *s, unsigned int i, int ready, uint64_t count)
{
	char buf[FANOUT_MSG_SIZE];
	uint64_t seq, got;
	ssize_t n;
	int fd;

	if (s->way == BROADCAST) {
		/* Its own file: one opened before fork would be one subscriber. */
		fd = kipc_open_queue(s->name, O_RDONLY, 0, 0);
		if (fd < 0)
			return 10;
	} else {
		fd = s->sub[i];
	}
	if (write(ready, "r", 1) != 1)
		return 11;
	for (seq = 0; seq < count; seq++) {
		do
			n = s->way == DGRAM ? recv(fd, buf, sizeof(buf), 0) :
					      read(fd, buf, sizeof(buf));
		while (n < 0 && errno == EINTR);
		if (n != FANOUT_MSG_SIZE)
			return 12;
		memcpy(&got, buf, sizeof(got));
		if (got != seq)
			return 13;
	}
	return 0;
}

static int publish(struct fanout_setup *s, uint64_t count)
{
	char buf[FANOUT_MSG_SIZE];
	unsigned int i, n = s->way == BROADCAST ? 1 : s->n;
	uint64_t seq;
	ssize_t r;

	memset(buf, 'p', sizeof(buf));
	for (seq = 0; seq < count; seq++) {
		memcpy(buf, &seq, sizeof(seq));
		for (i = 0; i < n; i++) {
			do
				r = s->way == DGRAM ? send(s->pub[i], buf, sizeof(buf), 0) :
						      write(s->pub[i], buf, sizeof(buf));
			while (r < 0 && errno == EINTR);
			if (r != FANOUT_MSG_SIZE)
				return -1;
		}
	}
	return 0;
}

static void one(struct fanout_row *row, enum way way, unsigned int n, uint64_t count)
{
	static const char *const names[] = { "kipc-broadcast", "kipc-queue x N",
					     "unix-dgram x N" };
	struct fanout_setup s = { .way = way, .n = n };
	pid_t pids[MAX_SUBS];
	unsigned int i, started = 0, failed = 0;
	struct cpu_time cpu;
	int pipefd[2], ret, status;
	uint64_t t0, wall;
	char c;

	row->how = names[way];
	row->subscribers = n;
	ret = setup(&s);
	if (ret) {
		snprintf(row->note, sizeof(row->note), "setup: %s", strerror(-ret));
		return;
	}
	if (pipe2(pipefd, O_CLOEXEC)) {
		snprintf(row->note, sizeof(row->note), "pipe: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			break;
		if (pids[i] == 0) {
			close(pipefd[0]);
			_exit(subscriber(&s, i, pipefd[1], count));
		}
		started++;
	}
	close(pipefd[1]);
	for (i = 0; i < started; i++)
		if (read(pipefd[0], &c, 1) != 1)
			break;
	close(pipefd[0]);
	if (started < n || i < started) {
		snprintf(row->note, sizeof(row->note), "a subscriber did not start");
		for (i = 0; i < started; i++)
			kill(pids[i], SIGKILL);
		failed = 1;
	}
	t0 = now_ns();
	cpu = cpu_time_now();
	if (!failed && publish(&s, count)) {
		snprintf(row->note, sizeof(row->note), "send: %s", strerror(errno));
		for (i = 0; i < started; i++)
			kill(pids[i], SIGKILL);
		failed = 1;
	}
	row->pub_cpu_ns = (double)cpu_time_since(cpu).total_ns / (double)count;
	for (i = 0; i < started; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			if (!failed)
				snprintf(row->note, sizeof(row->note),
					 "subscriber %u: exit status %#x", i, status);
			failed = 1;
		}
	wall = now_ns() - t0;
	if (!failed) {
		row->published = count;
		row->delivered = count * n;
		row->delivered_per_s = (double)row->delivered * 1e9 / (double)(wall ? wall : 1);
		row->ok = true;
	}
out:
	close_all(&s);
	if (way == BROADCAST)
		unlink_queue(s.name);
}

void fanout_measure(const struct bench_options *o, struct fanout_result *out)
{
	static const unsigned int subs[] = { 1, 4, 16 };
	uint64_t count = (uint64_t)((o->quick ? 2000 : 10000) * o->scale);
	unsigned int w, k;

	if (count < 16)
		count = 16;
	memset(out, 0, sizeof(*out));
	out->measured = true;
	for (k = 0; k < 3; k++)
		for (w = 0; w < 3; w++) {
			struct fanout_row *row = &out->rows[out->nrows++];

			if (o->stock && w != DGRAM) {
				row->how = w == BROADCAST ? "kipc-broadcast" : "kipc-queue x N";
				row->subscribers = subs[k];
				snprintf(row->note, sizeof(row->note), "left out (--stock)");
				continue;
			}
			one(row, w, subs[k], count);
		}
}
