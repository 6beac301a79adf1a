// SPDX-License-Identifier: GPL-2.0
/*
 * kipc's tracepoints (kmod/trace/kipc.h), read back from tracefs: each
 * event with the ids KIPC_IOC_STATS gives, the lengths, priorities,
 * depths, directions and counts the operations imply, in order; and none
 * once the events are disabled. The events go to a trace instance of the
 * test's own, so that nothing else tracing on the machine sees them or
 * disturbs them. A kernel without tracefs (CONFIG_TRACING off) skips.
 */
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define KT_TRACEFS	"/sys/kernel/tracing"
#define KT_INSTANCE	KT_TRACEFS "/instances/kipc_trace_test"
#define KT_TRACE_MAX	(1 << 20)

/* Write @val to the instance's file @rel; 0 or -errno. */
static int kt_tr_write(const char *rel, const char *val)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), KT_INSTANCE "/%s", rel);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

/* The instance's trace buffer as text, NUL-terminated; NULL on error. */
static char *kt_tr_read(void)
{
	char *buf = calloc(1, KT_TRACE_MAX);
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(KT_INSTANCE "/trace", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while (len < KT_TRACE_MAX - 1 &&
	       (n = read(fd, buf + len, KT_TRACE_MAX - 1 - len)) > 0)
		len += n;
	close(fd);
	return buf;
}

/*
 * The kipc events of object @id in @buf, one per line, each as
 * "event: fields" with the task prefix cut; @pids gets each one's task id.
 */
static int kt_tr_events(const char *buf, __u32 id, char lines[][160],
			pid_t *pids, int max)
{
	char key[32];
	int n = 0;

	snprintf(key, sizeof(key), ": id=%u ", id);
	for (const char *l = buf; *l && n < max; ) {
		const char *end = strchrnul(l, '\n');
		char line[512];
		char *ev, *k, *dash;

		snprintf(line, sizeof(line), "%.*s", (int)(end - l), l);
		l = *end ? end + 1 : end;
		if (line[0] == '#')
			continue;
		/* "id=N" then a space, or the end of the line. */
		strcat(line, " ");
		k = strstr(line, key);
		/* After the timestamp's colon: the task's name may be kipc_... */
		ev = strstr(line, ": kipc_");
		if (!k || !ev || ev > k)
			continue;
		/* "<comm>-<pid> [cpu] ...": the pid ends at the first " [". */
		dash = strstr(line, " [");
		pids[n] = 0;
		if (dash) {
			*dash = 0;
			dash = strrchr(line, '-');
			pids[n] = dash ? atoi(dash + 1) : 0;
		}
		snprintf(lines[n], 160, "%s", ev + 2);
		lines[n][strlen(lines[n]) - 1] = 0;	/* the space added */
		n++;
	}
	return n;
}

static __u32 kt_id(int fd)
{
	struct kipc_stats st;

	return kt_stats(fd, &st) ? 0 : st.id;
}

/* Wait (up to ~10 s) until queue @fd has counted @n waits of a direction. */
static int kt_wait_waits(int fd, bool send, __u64 n)
{
	struct kipc_stats st;

	for (int i = 0; i < 10000; i++) {
		if (!kt_stats(fd, &st) && (send ? st.send_waits : st.recv_waits) >= n)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

static void kt_on_signal(int sig)
{
	(void)sig;
}

FIXTURE(trace) {
	bool instance;
};

FIXTURE_SETUP(trace)
{
	struct stat sb;

	self->instance = false;
	if (stat(KT_TRACEFS, &sb))
		SKIP(return, "no %s: a kernel without tracefs (CONFIG_TRACING off)",
		     KT_TRACEFS);
	if (stat(KT_TRACEFS "/instances", &sb) &&
	    mount("nodev", KT_TRACEFS, "tracefs", 0, NULL))
		SKIP(return, "tracefs does not mount on %s: %s", KT_TRACEFS,
		     strerror(errno));
	/* A left-over instance of an interrupted run goes first. */
	rmdir(KT_INSTANCE);
	ASSERT_EQ(0, mkdir(KT_INSTANCE, 0700)) TH_LOG("mkdir %s: %s", KT_INSTANCE,
						       strerror(errno));
	self->instance = true;
	ASSERT_EQ(0, stat(KT_INSTANCE "/events/kipc", &sb))
		TH_LOG("no kipc events in tracefs: is kipc.ko loaded, with tracepoints?");
	ASSERT_EQ(0, kt_tr_write("buffer_size_kb", "1024"));
}

FIXTURE_TEARDOWN(trace)
{
	if (!self->instance)
		return;
	kt_tr_write("events/kipc/enable", "0");
	rmdir(KT_INSTANCE);
}

/* Every queue event, each with its fields, in the order they happened. */
TEST_F(trace, queue_events)
{
	static const char payload[64] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+";
	static const struct { __u32 len, prio; } sends[] = { { 5, 1 }, { 17, 3 }, { 33, 0 } };
	char lines[64][160], exp[160], buf[64];
	pid_t pids[64], child, sleeper = 0;
	unsigned long long waited;
	char *trace;
	__u32 id, prio;
	int fd, n, i = 0;

	ASSERT_EQ(0, kt_tr_write("trace", ""));
	ASSERT_EQ(0, kt_tr_write("events/kipc/enable", "1"));

	fd = kt_anon(O_RDWR, 4, 64);
	ASSERT_LE(0, fd);
	id = kt_id(fd);
	ASSERT_NE(0, id);
	for (int k = 0; k < 3; k++)
		ASSERT_EQ(0, kt_send(fd, payload, sends[k].len, sends[k].prio, 0, 0));
	/* Highest priority first: 17/3, 5/1, 33/0. */
	ASSERT_EQ(17, kt_recv(fd, buf, sizeof(buf), &prio, 0, 0));
	ASSERT_EQ(5, kt_recv(fd, buf, sizeof(buf), &prio, 0, 0));
	ASSERT_EQ(33, kt_recv(fd, buf, sizeof(buf), &prio, 0, 0));

	/* A receiver blocks on the empty queue; a send wakes it. */
	child = fork();
	ASSERT_LE(0, child);
	if (!child)
		_exit(kt_recv(fd, buf, sizeof(buf), NULL, 0, 0) == 7 ? 0 : 1);
	ASSERT_EQ(0, kt_wait_waits(fd, false, 1));
	usleep(20000);	/* asleep for a while: waited_ns is more than that */
	ASSERT_EQ(0, kt_send(fd, payload, 7, 2, 0, 0));
	ASSERT_EQ(0, kt_wait_child(child));

	/* A timed receive gives up at its deadline, 20 ms away. */
	ASSERT_EQ(-ETIMEDOUT, kt_recv(fd, buf, sizeof(buf), NULL, KIPC_MSG_DEADLINE,
				      kt_now_ns() + 20000000));

	/* A receiver leaves for a signal whose handler does not restart. */
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct sigaction sa = { .sa_handler = kt_on_signal };

		sigaction(SIGUSR1, &sa, NULL);
		_exit(kt_recv(fd, buf, sizeof(buf), NULL, 0, 0) == -EINTR ? 0 : 1);
	}
	ASSERT_EQ(0, kt_wait_waits(fd, false, 3));
	ASSERT_EQ(0, kill(child, SIGUSR1));
	ASSERT_EQ(0, kt_wait_child(child));
	sleeper = child;

	/* Full: a non-blocking send is refused, a blocking one waits for room. */
	for (int k = 0; k < 4; k++)
		ASSERT_EQ(0, kt_send(fd, payload, 1, 0, 0, 0));
	ASSERT_EQ(-EAGAIN, kt_send(fd, payload, 1, 0, KIPC_MSG_NONBLOCK, 0));
	child = fork();
	ASSERT_LE(0, child);
	if (!child)
		_exit(kt_send(fd, payload, 2, 0, 0, 0) ? 1 : 0);
	ASSERT_EQ(0, kt_wait_waits(fd, true, 1));
	ASSERT_EQ(1, kt_recv(fd, buf, sizeof(buf), NULL, 0, 0));
	ASSERT_EQ(0, kt_wait_child(child));
	for (int k = 0; k < 3; k++)
		ASSERT_EQ(1, kt_recv(fd, buf, sizeof(buf), NULL, 0, 0));
	/* Destroyed with the blocked sender's message in it. */
	close(fd);

	trace = kt_tr_read();
	ASSERT_NE(NULL, trace);
	n = kt_tr_events(trace, id, lines, pids, 64);
	for (int k = 0; k < n; k++)
		TH_LOG("%d: %s", pids[k], lines[k]);

#define EXPECT_LINE(fmt, ...) do {					\
		snprintf(exp, sizeof(exp), fmt, ##__VA_ARGS__);		\
		ASSERT_LT(i, n) TH_LOG("missing: %s", exp);		\
		EXPECT_STREQ(exp, lines[i]);				\
		i++;							\
	} while (0)
/* An event whose waited_ns varies: at least @min_ns. */
#define EXPECT_WAIT(ev, dir, min_ns) do {				\
		snprintf(exp, sizeof(exp), ev ": id=%u dir=" dir " waited_ns=", id); \
		ASSERT_LT(i, n) TH_LOG("missing: %s", exp);		\
		ASSERT_EQ(0, strncmp(exp, lines[i], strlen(exp)))	\
			TH_LOG("%s, not %s", lines[i], exp);		\
		waited = strtoull(lines[i] + strlen(exp), NULL, 10);	\
		EXPECT_LE((unsigned long long)(min_ns), waited);	\
		EXPECT_GT(10000000000ULL, waited);			\
		i++;							\
	} while (0)

	EXPECT_LINE("kipc_obj_create: id=%u type=queue maxmsg=4 msgsize=64 size=0 nsems=0", id);
	EXPECT_LINE("kipc_queue_send: id=%u len=5 prio=1 depth=1", id);
	EXPECT_LINE("kipc_queue_send: id=%u len=17 prio=3 depth=2", id);
	EXPECT_LINE("kipc_queue_send: id=%u len=33 prio=0 depth=3", id);
	EXPECT_LINE("kipc_queue_recv: id=%u len=17 prio=3 depth=2", id);
	EXPECT_LINE("kipc_queue_recv: id=%u len=5 prio=1 depth=1", id);
	EXPECT_LINE("kipc_queue_recv: id=%u len=33 prio=0 depth=0", id);
	EXPECT_LINE("kipc_queue_block: id=%u dir=recv", id);
	EXPECT_NE(getpid(), pids[i - 1]);	/* the child's */
	EXPECT_LINE("kipc_queue_send: id=%u len=7 prio=2 depth=1", id);
	EXPECT_EQ(getpid(), pids[i - 1]);
	EXPECT_WAIT("kipc_queue_wake", "recv", 20000000);
	EXPECT_EQ(pids[i - 3], pids[i - 1]);
	EXPECT_LINE("kipc_queue_recv: id=%u len=7 prio=2 depth=0", id);
	EXPECT_LINE("kipc_queue_block: id=%u dir=recv", id);
	EXPECT_WAIT("kipc_queue_timeout", "recv", 15000000);
	EXPECT_LINE("kipc_queue_block: id=%u dir=recv", id);
	EXPECT_EQ(sleeper, pids[i - 1]);
	EXPECT_WAIT("kipc_queue_signal", "recv", 0);
	EXPECT_EQ(sleeper, pids[i - 1]);
	for (int k = 1; k <= 4; k++)
		EXPECT_LINE("kipc_queue_send: id=%u len=1 prio=0 depth=%d", id, k);
	EXPECT_LINE("kipc_queue_drop: id=%u count=1 reason=full", id);
	EXPECT_LINE("kipc_queue_block: id=%u dir=send", id);
	EXPECT_LINE("kipc_queue_recv: id=%u len=1 prio=0 depth=3", id);
	EXPECT_WAIT("kipc_queue_wake", "send", 0);
	EXPECT_LINE("kipc_queue_send: id=%u len=2 prio=0 depth=4", id);
	for (int k = 3; k >= 1; k--)
		EXPECT_LINE("kipc_queue_recv: id=%u len=1 prio=0 depth=%d", id, k);
	EXPECT_LINE("kipc_obj_destroy: id=%u type=queue", id);
	EXPECT_LINE("kipc_queue_drop: id=%u count=1 reason=destroyed", id);
	EXPECT_EQ(n, i) TH_LOG("unexpected: %s", i < n ? lines[i] : "");
	free(trace);
}

/* A batch each way and a SENDRECV: one event per message, in order. */
TEST_F(trace, batch_and_sendrecv_events)
{
	static const struct { __u32 len, prio; } m[] = { { 3, 0 }, { 9, 2 }, { 6, 0 } };
	char lines[16][160], exp[160], out[3][16], in[3][16], rbuf[16];
	struct kipc_mvec sv[3], rv[3];
	struct kipc_batch b = { .size = sizeof(b), .count = 3 };
	struct kipc_sendrecv sr = { .size = sizeof(sr) };
	pid_t pids[16];
	char *trace;
	int fd, n, i = 0;
	__u32 id;

	ASSERT_EQ(0, kt_tr_write("trace", ""));
	ASSERT_EQ(0, kt_tr_write("events/kipc/enable", "1"));
	fd = kt_anon(O_RDWR, 8, 16);
	ASSERT_LE(0, fd);
	id = kt_id(fd);
	ASSERT_NE(0, id);
	for (int k = 0; k < 3; k++) {
		memset(out[k], 'a' + k, sizeof(out[k]));
		sv[k] = (struct kipc_mvec){ .buf = (uintptr_t)out[k], .len = m[k].len,
					    .prio = m[k].prio };
		rv[k] = (struct kipc_mvec){ .buf = (uintptr_t)in[k], .len = sizeof(in[k]) };
	}
	b.vec = (uintptr_t)sv;
	ASSERT_EQ(3, kt_err(ioctl(fd, KIPC_IOC_SEND_BATCH, &b)));
	b.vec = (uintptr_t)rv;
	ASSERT_EQ(3, kt_err(ioctl(fd, KIPC_IOC_RECV_BATCH, &b)));
	/* A call to itself: the request is its own reply. */
	sr.recv_fd = fd;
	sr.send_buf = (uintptr_t)"sendrecv";
	sr.send_len = 8;
	sr.send_prio = 5;
	sr.recv_buf = (uintptr_t)rbuf;
	sr.recv_len = sizeof(rbuf);
	ASSERT_EQ(8, kt_err(ioctl(fd, KIPC_IOC_SENDRECV, &sr)));
	close(fd);

	trace = kt_tr_read();
	ASSERT_NE(NULL, trace);
	n = kt_tr_events(trace, id, lines, pids, 16);
	for (int k = 0; k < n; k++)
		TH_LOG("%d: %s", pids[k], lines[k]);
	EXPECT_LINE("kipc_obj_create: id=%u type=queue maxmsg=8 msgsize=16 size=0 nsems=0", id);
	EXPECT_LINE("kipc_queue_send: id=%u len=3 prio=0 depth=1", id);
	EXPECT_LINE("kipc_queue_send: id=%u len=9 prio=2 depth=2", id);
	EXPECT_LINE("kipc_queue_send: id=%u len=6 prio=0 depth=3", id);
	EXPECT_LINE("kipc_queue_recv: id=%u len=9 prio=2 depth=2", id);
	EXPECT_LINE("kipc_queue_recv: id=%u len=3 prio=0 depth=1", id);
	EXPECT_LINE("kipc_queue_recv: id=%u len=6 prio=0 depth=0", id);
	EXPECT_LINE("kipc_queue_send: id=%u len=8 prio=5 depth=1", id);
	EXPECT_LINE("kipc_queue_recv: id=%u len=8 prio=5 depth=0", id);
	EXPECT_LINE("kipc_obj_destroy: id=%u type=queue", id);
	EXPECT_EQ(n, i);
	free(trace);
}

/* A shared buffer's creation, and a semaphore wait that times out. */
TEST_F(trace, shbuf_sem_events)
{
	char lines[16][160], exp[160];
	unsigned long long waited;
	pid_t pids[16];
	char *trace;
	int fd, n, i = 0;
	__u32 id;

	ASSERT_EQ(0, kt_tr_write("trace", ""));
	ASSERT_EQ(0, kt_tr_write("events/kipc/enable", "1"));
	fd = kt_shbuf_anon(4096, 2);
	ASSERT_LE(0, fd);
	id = kt_id(fd);
	ASSERT_NE(0, id);
	ASSERT_EQ(-ETIMEDOUT, kt_sem_wait(fd, 1, 1, KIPC_MSG_DEADLINE,
					  kt_now_ns() + 20000000));
	close(fd);
	trace = kt_tr_read();
	ASSERT_NE(NULL, trace);
	n = kt_tr_events(trace, id, lines, pids, 16);
	for (int k = 0; k < n; k++)
		TH_LOG("%d: %s", pids[k], lines[k]);
	EXPECT_LINE("kipc_obj_create: id=%u type=shbuf maxmsg=0 msgsize=0 size=%ld nsems=2",
		    id, sysconf(_SC_PAGESIZE) > 4096 ? sysconf(_SC_PAGESIZE) : 4096L);
	EXPECT_LINE("kipc_sem_block: id=%u sem=1 nops=1", id);
	snprintf(exp, sizeof(exp), "kipc_sem_wake: id=%u sem=1 ret=%d waited_ns=", id,
		 -ETIMEDOUT);
	ASSERT_LT(i, n);
	ASSERT_EQ(0, strncmp(exp, lines[i], strlen(exp))) TH_LOG("%s", lines[i]);
	waited = strtoull(lines[i] + strlen(exp), NULL, 10);
	EXPECT_LE(15000000ULL, waited);
	i++;
	EXPECT_LINE("kipc_obj_destroy: id=%u type=shbuf", id);
	EXPECT_EQ(n, i);
	free(trace);
}

/* Disabled, the same operations leave nothing in the buffer. */
TEST_F(trace, disabled_events_are_silent)
{
	char buf[8], *trace;
	int fd;

	ASSERT_EQ(0, kt_tr_write("events/kipc/enable", "1"));
	ASSERT_EQ(0, kt_tr_write("events/kipc/enable", "0"));
	ASSERT_EQ(0, kt_tr_write("trace", ""));
	fd = kt_anon(O_RDWR, 2, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_send(fd, "abc", 3, 1, 0, 0));
	ASSERT_EQ(3, kt_recv(fd, buf, sizeof(buf), NULL, 0, 0));
	ASSERT_EQ(-ETIMEDOUT, kt_recv(fd, buf, sizeof(buf), NULL, KIPC_MSG_DEADLINE,
				      kt_now_ns() + 1000000));
	ASSERT_EQ(0, kt_send(fd, "abc", 3, 1, 0, 0));
	close(fd);
	trace = kt_tr_read();
	ASSERT_NE(NULL, trace);
	EXPECT_EQ(NULL, strstr(trace, "kipc_")) TH_LOG("%s", trace);
	free(trace);
}

TEST_HARNESS_MAIN
