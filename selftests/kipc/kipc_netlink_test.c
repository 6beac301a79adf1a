// SPDX-License-Identifier: GPL-2.0
/*
 * The "kipc" generic netlink family: commands, strict policies with extack
 * messages, permissions, events, large dumps and namespace isolation; shared
 * buffers created over netlink and used through /dev/kipc.
 */
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kipc_test.h"
#include "kipc_nl.h"

#define NOBODY 65534

struct obj_reply {
	int n;
	__u32 id, maxmsg, msgsize, mode, type, curmsgs, send_lowat;
	__u32 nsems, data_offset, mappings;
	__u64 size;
	char name[KIPC_NAME_MAX];
};

static void obj_cb(struct nlmsghdr *nlh, void *data)
{
	struct obj_reply *o = data;
	const char *name = nl_str(nlh, KIPC_A_NAME);

	o->n++;
	o->id = nl_u32(nlh, KIPC_A_ID);
	o->type = nl_u32(nlh, KIPC_A_TYPE);
	o->mode = nl_u32(nlh, KIPC_A_MODE);
	o->maxmsg = nl_u32(nlh, KIPC_A_MAXMSG);
	o->msgsize = nl_u32(nlh, KIPC_A_MSGSIZE);
	o->curmsgs = nl_u32(nlh, KIPC_A_CURMSGS);
	o->send_lowat = nl_u32(nlh, KIPC_A_SEND_LOWAT);
	o->size = nl_u64(nlh, KIPC_A_SIZE);
	o->nsems = nl_u32(nlh, KIPC_A_NSEMS);
	o->data_offset = nl_u32(nlh, KIPC_A_DATA_OFFSET);
	o->mappings = nl_u32(nlh, KIPC_A_MAPPINGS);
	snprintf(o->name, sizeof(o->name), "%s", name ? name : "");
}

static int nl_new_queue(struct nl_sock *s, const char *name, __u32 maxmsg,
			__u32 msgsize, struct obj_reply *o)
{
	struct nl_req r;

	nl_init(s, &r, s->family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&r, KIPC_A_NAME, name);
	if (maxmsg)
		nl_put_u32(&r, KIPC_A_MAXMSG, maxmsg);
	if (msgsize)
		nl_put_u32(&r, KIPC_A_MSGSIZE, msgsize);
	return nl_talk(s, &r, obj_cb, o);
}

/* OBJ_NEW of a shared buffer; @values (if any) has @nvalues entries. */
static int nl_new_shbuf(struct nl_sock *s, const char *name, __u64 size,
			__u32 nsems, const __u32 *values, __u32 nvalues,
			struct obj_reply *o)
{
	struct nl_req r;

	nl_init(s, &r, s->family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_SHBUF);
	nl_put_str(&r, KIPC_A_NAME, name);
	if (size)
		nl_put_u64(&r, KIPC_A_SIZE, size);
	if (nsems)
		nl_put_u32(&r, KIPC_A_NSEMS, nsems);
	if (values)
		nl_put(&r, KIPC_A_SEM_VALUES, values, nvalues * sizeof(*values));
	return nl_talk(s, &r, o ? obj_cb : NULL, o);
}

static int nl_by_name(struct nl_sock *s, __u8 cmd, const char *name,
		      struct obj_reply *o)
{
	struct nl_req r;

	nl_init(s, &r, s->family, cmd, 0);
	nl_put_str(&r, KIPC_A_NAME, name);
	return nl_talk(s, &r, o ? obj_cb : NULL, o);
}

static int nl_simple(struct nl_sock *s, __u8 cmd)
{
	struct nl_req r;

	nl_init(s, &r, s->family, cmd, 0);
	return nl_talk(s, &r, NULL, NULL);
}

FIXTURE(nl) {
	struct nl_sock s;
};

FIXTURE_SETUP(nl)
{
	ASSERT_EQ(0, nl_open(&self->s));
}

FIXTURE_TEARDOWN(nl)
{
	nl_close(&self->s);
}

TEST_F(nl, family_resolves)
{
	EXPECT_NE(0, self->s.family);
}

TEST_F(nl, create_get_set_delete)
{
	struct obj_reply o = {};
	struct nl_req r;
	int fd;

	ASSERT_EQ(0, nl_new_queue(&self->s, "nl-demo", 8, 64, &o));
	EXPECT_EQ(1, o.n);
	EXPECT_STREQ("nl-demo", o.name);
	EXPECT_EQ(8, o.maxmsg);
	EXPECT_EQ(64, o.msgsize);
	EXPECT_EQ(1, o.send_lowat);
	EXPECT_EQ(KIPC_TYPE_QUEUE, o.type);

	/* the queue is real: the ioctl side sees it */
	fd = kt_queue("nl-demo", O_RDWR | O_NONBLOCK, 0, 0, 0, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(2, write(fd, "hi", 2));

	memset(&o, 0, sizeof(o));
	ASSERT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_GET, "nl-demo", &o));
	EXPECT_EQ(1, o.curmsgs);

	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, "nl-demo");
	nl_put_u32(&r, KIPC_A_MAXMSG, 16);
	nl_put_u32(&r, KIPC_A_MODE, 0640);
	memset(&o, 0, sizeof(o));
	ASSERT_EQ(0, nl_talk(&self->s, &r, obj_cb, &o));
	EXPECT_EQ(16, o.maxmsg);
	EXPECT_EQ(0640, o.mode);

	EXPECT_EQ(-EEXIST, nl_new_queue(&self->s, "nl-demo", 0, 0, &o));
	EXPECT_STREQ("an object of that name exists", self->s.errmsg);
	ASSERT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_DEL, "nl-demo", NULL));
	EXPECT_EQ(-ENOENT, nl_by_name(&self->s, KIPC_CMD_OBJ_GET, "nl-demo", &o));
	EXPECT_STREQ("no object of that name in this IPC namespace", self->s.errmsg);
	/* unlinked, but open: still usable */
	EXPECT_EQ(2, read(fd, o.name, sizeof(o.name)));
	close(fd);
}

TEST_F(nl, every_rejection_has_an_extack_message)
{
	static const char long_name[] =
		"a-name-that-is-far-too-long-for-kipc-names-which-stop-at-63-chars";
	struct obj_reply o;
	struct nl_req r;
	__u16 u16 = 1;

	/* missing name */
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_GET, 0);
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("a name is required", self->s.errmsg);
	/* missing type */
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_str(&r, KIPC_A_NAME, "nl-x");
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("a type is required", self->s.errmsg);
	/* bad characters */
	EXPECT_EQ(-EINVAL, nl_new_queue(&self->s, "bad/name", 0, 0, &o));
	EXPECT_NE(0, self->s.errmsg[0]);
	/* a string longer than the policy allows */
	EXPECT_EQ(-EINVAL, nl_new_queue(&self->s, long_name, 0, 0, &o));
	EXPECT_NE(0, self->s.errmsg[0]);
	/* out of range */
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, 99);
	nl_put_str(&r, KIPC_A_NAME, "nl-x");
	EXPECT_EQ(-ERANGE, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_NE(0, self->s.errmsg[0]);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&r, KIPC_A_NAME, "nl-x");
	nl_put_u32(&r, KIPC_A_MODE, 01000);
	EXPECT_EQ(-ERANGE, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_NE(0, self->s.errmsg[0]);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&r, KIPC_A_NAME, "nl-x");
	nl_put_u32(&r, KIPC_A_MAXMSG, 0);
	EXPECT_EQ(-ERANGE, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_NE(0, self->s.errmsg[0]);
	/* wrong length for a u32 */
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put(&r, KIPC_A_TYPE, &u16, sizeof(u16));
	nl_put_str(&r, KIPC_A_NAME, "nl-x");
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_NE(0, self->s.errmsg[0]);
	/* an output-only attribute as input */
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_GET, 0);
	nl_put_str(&r, KIPC_A_NAME, "nl-x");
	nl_put_u32(&r, KIPC_A_CURMSGS, 1);
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_NE(0, self->s.errmsg[0]);
	/* limits the module parameters refuse */
	EXPECT_EQ(-EINVAL, nl_new_queue(&self->s, "nl-x", 65536, 16 << 20, &o));
	EXPECT_STREQ("limits refused by msg_max, msgsize_max or queue_bytes_max",
		     self->s.errmsg);
	/* a send low-water mark above the capacity */
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&r, KIPC_A_NAME, "nl-x");
	nl_put_u32(&r, KIPC_A_MAXMSG, 4);
	nl_put_u32(&r, KIPC_A_SEND_LOWAT, 5);
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("send-lowat is above maxmsg", self->s.errmsg);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&r, KIPC_A_NAME, "nl-lowat");
	nl_put_u32(&r, KIPC_A_MAXMSG, 4);
	nl_put_u32(&r, KIPC_A_SEND_LOWAT, 3);
	memset(&o, 0, sizeof(o));
	EXPECT_EQ(0, nl_talk(&self->s, &r, obj_cb, &o));
	EXPECT_EQ(3, o.send_lowat);
	kt_unlink("nl-lowat");
	/* set with nothing to set, or msgsize */
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, "nl-x");
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("nothing to change: give a mode or maxmsg", self->s.errmsg);
	/* unknown command */
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_MAX + 5, 0);
	EXPECT_EQ(-EOPNOTSUPP, nl_talk(&self->s, &r, NULL, NULL));
	/* none of it created anything */
	EXPECT_EQ(-ENOENT, nl_by_name(&self->s, KIPC_CMD_OBJ_GET, "nl-x", &o));
}

TEST_F(nl, set_maxmsg_is_checked_and_applied_atomically)
{
	struct obj_reply o = {};
	struct nl_req r;

	ASSERT_EQ(0, nl_new_queue(&self->s, "nl-set", 4, 1024, &o));
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, "nl-set");
	nl_put_u32(&r, KIPC_A_MODE, 0600);
	nl_put_u32(&r, KIPC_A_MAXMSG, 65536);	/* over queue_bytes_max with msgsize 1024 */
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("refused by msg_max or queue_bytes_max", self->s.errmsg);
	memset(&o, 0, sizeof(o));
	ASSERT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_GET, "nl-set", &o));
	EXPECT_EQ(4, o.maxmsg);
	EXPECT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_DEL, "nl-set", NULL));
}

static int child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(nl, unprivileged_users_cannot_change_others_objects)
{
	struct obj_reply o = {};
	pid_t pid;

	ASSERT_EQ(0, nl_new_queue(&self->s, "nl-root", 0, 0, &o));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nl_sock s;
		struct nl_req r;

		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(100);
		if (nl_open(&s))
			_exit(101);
		if (nl_by_name(&s, KIPC_CMD_OBJ_DEL, "nl-root", NULL) != -EPERM ||
		    strcmp(s.errmsg, "only the owner or CAP_SYS_ADMIN may unlink"))
			_exit(1);
		nl_init(&s, &r, s.family, KIPC_CMD_OBJ_SET, 0);
		nl_put_str(&r, KIPC_A_NAME, "nl-root");
		nl_put_u32(&r, KIPC_A_MODE, 0666);
		if (nl_talk(&s, &r, NULL, NULL) != -EPERM ||
		    strcmp(s.errmsg, "only the owner or CAP_SYS_ADMIN may change it"))
			_exit(2);
		/* nor read a 0600 object of someone else's */
		if (nl_by_name(&s, KIPC_CMD_OBJ_GET, "nl-root", NULL) != -EACCES ||
		    strcmp(s.errmsg, "no permission to read this object"))
			_exit(3);
		/* and nobody's own object is nobody's to remove */
		if (nl_new_queue(&s, "nl-nobody", 0, 0, &o) ||
		    nl_by_name(&s, KIPC_CMD_OBJ_DEL, "nl-nobody", NULL))
			_exit(4);
		_exit(0);
	}
	EXPECT_EQ(0, child_status(pid));
	EXPECT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_GET, "nl-root", &o));
	EXPECT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_DEL, "nl-root", NULL));
}

struct event_log {
	int n;
	__u32 event[16];
	char name[16][KIPC_NAME_MAX];
};

/* Read events for up to @ms, stopping once @want have arrived. */
static void read_events(struct nl_sock *s, struct event_log *log, int want, int ms)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

	while (log->n < want && poll(&pfd, 1, ms) == 1) {
		int n = recv(s->fd, s->buf, sizeof(s->buf), 0);
		struct nlmsghdr *nlh;

		if (n <= 0)
			return;
		for (nlh = (struct nlmsghdr *)s->buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			const char *name = nl_str(nlh, KIPC_A_NAME);

			if (nlh->nlmsg_type != s->family || log->n >= 16)
				continue;
			log->event[log->n] = nl_u32(nlh, KIPC_A_EVENT);
			snprintf(log->name[log->n], KIPC_NAME_MAX, "%s", name ? name : "");
			log->n++;
		}
	}
}

TEST_F(nl, subscribers_get_events)
{
	struct event_log log = {};
	char c = 'x';
	int fd;

	ASSERT_EQ(0, nl_simple(&self->s, KIPC_CMD_SUBSCRIBE));
	EXPECT_EQ(-EEXIST, nl_simple(&self->s, KIPC_CMD_SUBSCRIBE));
	EXPECT_STREQ("this socket is subscribed already", self->s.errmsg);

	fd = kt_create("nl-events", 1, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_send(fd, &c, 1, 0, 0, 0));
	EXPECT_EQ(-EAGAIN, kt_send(fd, &c, 1, 0, KIPC_MSG_NONBLOCK, 0));
	/* more hits on the full queue in the same episode are not reported again */
	EXPECT_EQ(-ETIMEDOUT, kt_send(fd, &c, 1, 0, KIPC_MSG_DEADLINE, kt_now_ns() + 1000000));
	EXPECT_EQ(-EAGAIN, kt_send(fd, &c, 1, 0, KIPC_MSG_NONBLOCK, 0));
	ASSERT_EQ(0, kt_unlink("nl-events"));
	close(fd);

	read_events(&self->s, &log, 4, 2000);
	ASSERT_EQ(4, log.n);
	EXPECT_EQ(KIPC_EVENT_CREATED, log.event[0]);
	EXPECT_EQ(KIPC_EVENT_QUEUE_FULL, log.event[1]);
	EXPECT_EQ(KIPC_EVENT_UNLINKED, log.event[2]);
	EXPECT_EQ(KIPC_EVENT_DESTROYED, log.event[3]);
	for (int i = 0; i < 4; i++)
		EXPECT_STREQ("nl-events", log.name[i]);

	EXPECT_EQ(0, nl_simple(&self->s, KIPC_CMD_UNSUBSCRIBE));
	EXPECT_EQ(-ENOENT, nl_simple(&self->s, KIPC_CMD_UNSUBSCRIBE));
	fd = kt_anon(O_RDWR, 0, 0);
	close(fd);
	memset(&log, 0, sizeof(log));
	read_events(&self->s, &log, 1, 200);
	EXPECT_EQ(0, log.n);
}

struct dump_count {
	int n;
	int dups;
	unsigned char *seen;	/* by id */
};

static void dump_cb(struct nlmsghdr *nlh, void *data)
{
	struct dump_count *d = data;
	const char *name = nl_str(nlh, KIPC_A_NAME);
	__u32 id = nl_u32(nlh, KIPC_A_ID);

	if (!name || strncmp(name, "dump-", 5) || id >= (1u << 20))
		return;
	if (d->seen[id]++)
		d->dups++;
	d->n++;
}

static int dump_all(struct nl_sock *s, struct dump_count *d)
{
	struct nl_req r;

	nl_init(s, &r, s->family, KIPC_CMD_OBJ_GET, NLM_F_DUMP);
	return nl_talk(s, &r, dump_cb, d);
}

/* Slow on a KASAN kernel under TCG: minutes, not seconds. */
TEST_F_TIMEOUT(nl, dump_of_two_thousand_objects_is_complete_without_duplicates, 900)
{
	long old = kt_param("max_queues_per_user");
	struct dump_count d = { .seen = calloc(1u << 20, 1) };
	struct obj_reply o;
	char name[KIPC_NAME_MAX];

	ASSERT_NE(NULL, d.seen);
	ASSERT_EQ(0, kt_set_param("max_queues_per_user", 4000));
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "dump-%04d", i);
		ASSERT_EQ(0, nl_new_queue(&self->s, name, 1, 8, &o)) TH_LOG("%s: %s", name, self->s.errmsg);
	}
	ASSERT_EQ(0, dump_all(&self->s, &d));
	EXPECT_EQ(2000, d.n);
	EXPECT_EQ(0, d.dups);
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "dump-%04d", i);
		ASSERT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_DEL, name, NULL));
	}
	memset(d.seen, 0, 1u << 20);
	d.n = 0;
	ASSERT_EQ(0, dump_all(&self->s, &d));
	EXPECT_EQ(0, d.n);
	ASSERT_EQ(0, kt_set_param("max_queues_per_user", old));
	free(d.seen);
}

static void stats_cb(struct nlmsghdr *nlh, void *data)
{
	__u64 *v = data;

	v[0] = nl_u32(nlh, KIPC_A_NR_QUEUES);
	v[1] = nl_u64(nlh, KIPC_A_SENT);
	v[2] = nl_u64(nlh, KIPC_A_MEM_BYTES);
}

TEST_F(nl, stats_count_the_namespace)
{
	__u64 before[3], after[3];
	struct nl_req r;
	int fd;

	nl_init(&self->s, &r, self->s.family, KIPC_CMD_STATS_GET, 0);
	ASSERT_EQ(0, nl_talk(&self->s, &r, stats_cb, before));
	fd = kt_anon(O_RDWR, 4, 8);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_STATS_GET, 0);
	ASSERT_EQ(0, nl_talk(&self->s, &r, stats_cb, after));
	EXPECT_EQ(before[0] + 1, after[0]);
	EXPECT_EQ(before[1] + 1, after[1]);
	EXPECT_LT(before[2], after[2]);
	close(fd);
}

TEST_F(nl, namespaces_are_isolated)
{
	struct event_log log = {};
	struct obj_reply o = {};
	pid_t pid;

	ASSERT_EQ(0, nl_new_queue(&self->s, "nl-outer", 0, 0, &o));
	ASSERT_EQ(0, nl_simple(&self->s, KIPC_CMD_SUBSCRIBE));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct dump_count d = { .seen = calloc(1u << 20, 1) };
		struct nl_sock s;

		if (unshare(CLONE_NEWIPC) || nl_open(&s))
			_exit(100);
		if (nl_by_name(&s, KIPC_CMD_OBJ_GET, "nl-outer", NULL) != -ENOENT)
			_exit(1);
		if (nl_by_name(&s, KIPC_CMD_OBJ_DEL, "nl-outer", NULL) != -ENOENT)
			_exit(2);
		if (nl_new_queue(&s, "dump-inner", 0, 0, &o))
			_exit(3);
		if (dump_all(&s, &d) || d.n != 1)
			_exit(4);
		_exit(0);
	}
	EXPECT_EQ(0, child_status(pid));
	/* the inner namespace's create reached no outer subscriber */
	read_events(&self->s, &log, 1, 300);
	EXPECT_EQ(0, log.n);
	EXPECT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_DEL, "nl-outer", NULL));
}

/* The dump's message for one name, as obj_cb reads it. */
struct find_one {
	const char *name;
	struct obj_reply o;
};

static void find_cb(struct nlmsghdr *nlh, void *data)
{
	struct find_one *f = data;
	const char *name = nl_str(nlh, KIPC_A_NAME);

	if (name && !strcmp(name, f->name))
		obj_cb(nlh, &f->o);
}

TEST_F(nl, shbuf_created_over_netlink_opens_and_maps_through_the_device)
{
	static const __u32 values[3] = { 1, 2, 3 };
	struct find_one f = { .name = "nl-shm" };
	struct obj_reply o = {};
	struct kipc_stats st;
	size_t len, page = getpagesize();
	struct nl_req r;
	char *p;
	int fd;

	ASSERT_EQ(0, nl_new_shbuf(&self->s, "nl-shm", 2 * page + 100, 3, values, 3, &o))
		TH_LOG("%s", self->s.errmsg);
	EXPECT_EQ(1, o.n);
	EXPECT_STREQ("nl-shm", o.name);
	EXPECT_EQ(KIPC_TYPE_SHBUF, o.type);
	EXPECT_EQ(0600, o.mode);
	EXPECT_EQ(3 * page, o.size);		/* rounded up to whole pages */
	EXPECT_EQ(3, o.nsems);
	EXPECT_EQ(page, o.data_offset);		/* one page of control slots */
	EXPECT_EQ(0, o.mappings);
	EXPECT_EQ(0xffffffff, o.maxmsg);	/* no queue attributes */

	/* the buffer is real: opened by name through the device ... */
	fd = kt_shbuf("nl-shm", O_RDWR, 0, 0, 0, 0, NULL);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(KIPC_TYPE_SHBUF, st.type);
	EXPECT_EQ(o.id, st.id);
	EXPECT_EQ(3 * page, st.shbuf_size);
	EXPECT_EQ(3, st.shbuf_nsems);
	EXPECT_EQ(page, st.shbuf_data_offset);
	/* ... with the initial values asked for ... */
	for (int i = 0; i < 3; i++)
		EXPECT_EQ(values[i], kt_sem_value(fd, i, NULL));
	/* ... and mapped whole, but no further */
	len = o.data_offset + o.size;
	EXPECT_EQ(MAP_FAILED, mmap(NULL, len + page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p + o.data_offset, 0xa5, o.size);
	EXPECT_EQ(0xa5, (unsigned char)p[len - 1]);

	/* get and dump report the mapping */
	memset(&o, 0, sizeof(o));
	ASSERT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_GET, "nl-shm", &o));
	EXPECT_EQ(1, o.mappings);
	EXPECT_EQ(3 * page, o.size);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_GET, NLM_F_DUMP);
	ASSERT_EQ(0, nl_talk(&self->s, &r, find_cb, &f));
	EXPECT_EQ(1, f.o.n);
	EXPECT_EQ(3, f.o.nsems);
	EXPECT_EQ(3 * page, f.o.size);
	EXPECT_EQ(1, f.o.mappings);

	/* the mode may change; the shape may not */
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, "nl-shm");
	nl_put_u32(&r, KIPC_A_MODE, 0640);
	memset(&o, 0, sizeof(o));
	ASSERT_EQ(0, nl_talk(&self->s, &r, obj_cb, &o));
	EXPECT_EQ(0640, o.mode);
	EXPECT_EQ(3, o.nsems);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, "nl-shm");
	nl_put_u64(&r, KIPC_A_SIZE, page);
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("size cannot change after creation", self->s.errmsg);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, "nl-shm");
	nl_put_u32(&r, KIPC_A_MODE, 0600);
	nl_put_u32(&r, KIPC_A_NSEMS, 4);
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("nsems cannot change after creation", self->s.errmsg);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, "nl-shm");
	nl_put(&r, KIPC_A_SEM_VALUES, values, sizeof(values));
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("semaphore values change through the semaphore ioctls only",
		     self->s.errmsg);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, "nl-shm");
	nl_put_u32(&r, KIPC_A_MAXMSG, 4);
	EXPECT_EQ(-EOPNOTSUPP, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("only queues have maxmsg", self->s.errmsg);
	memset(&o, 0, sizeof(o));
	ASSERT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_GET, "nl-shm", &o));
	EXPECT_EQ(0640, o.mode);		/* the refusals changed nothing */

	EXPECT_EQ(-EEXIST, nl_new_shbuf(&self->s, "nl-shm", page, 0, NULL, 0, NULL));
	EXPECT_STREQ("an object of that name exists", self->s.errmsg);
	/* unlinked, the mapping lives on */
	ASSERT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_DEL, "nl-shm", NULL));
	EXPECT_EQ(-ENOENT, kt_shbuf("nl-shm", O_RDWR, 0, 0, 0, 0, NULL));
	EXPECT_EQ(0xa5, (unsigned char)p[o.data_offset]);
	EXPECT_EQ(0, munmap(p, len));
	close(fd);
}

TEST_F(nl, shbuf_semaphores_only_and_default_values)
{
	struct obj_reply o = {};
	int fd;

	ASSERT_EQ(0, nl_new_shbuf(&self->s, "nl-sems", 0, 2, NULL, 0, &o));
	EXPECT_EQ(0, o.size);
	EXPECT_EQ(2, o.nsems);
	fd = kt_shbuf("nl-sems", O_RDWR, 0, 0, 0, 0, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, kt_sem_value(fd, 0, NULL));
	EXPECT_EQ(0, kt_sem_value(fd, 1, NULL));
	EXPECT_EQ(-EINVAL, kt_sem_value(fd, 2, NULL));
	close(fd);
	EXPECT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_DEL, "nl-sems", NULL));
}

/* OBJ_NEW of "nl-shx" with @size, @nsems and @nvalues of @values: -errno. */
static int new_shx(struct nl_sock *s, __u64 size, __u32 nsems, const __u32 *values,
		   __u32 nvalues)
{
	return nl_new_shbuf(s, "nl-shx", size, nsems, values, nvalues, NULL);
}

/* KIPC_IOC_SHBUF_OPEN creating "nl-shx" the same way: -errno, or 0 (removed). */
static int ioctl_shx(__u64 size, __u32 nsems, const __u32 *values)
{
	int fd = kt_shbuf("nl-shx", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600,
			  size, nsems, values);

	if (fd < 0)
		return fd;
	close(fd);
	return kt_unlink("nl-shx");
}

TEST_F(nl, shbuf_rejections_match_the_ioctl_and_have_extack_messages)
{
	static const __u32 big[2] = { 1, KIPC_SEM_VALUE_MAX + 1 };
	static const __u32 three[3] = { 0, 0, 0 };
	long old = kt_param("max_shbufs_per_user");
	struct obj_reply o;
	struct nl_req r;
	__u32 u32 = 4096;
	pid_t pid;

	/* policy: out of range, wrong length */
	EXPECT_EQ(-ERANGE, new_shx(&self->s, (1ull << 30) + 1, 0, NULL, 0));
	EXPECT_NE(0, self->s.errmsg[0]);
	EXPECT_EQ(-ERANGE, new_shx(&self->s, 4096, 4097, NULL, 0));
	EXPECT_NE(0, self->s.errmsg[0]);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_SHBUF);
	nl_put_str(&r, KIPC_A_NAME, "nl-shx");
	nl_put(&r, KIPC_A_SIZE, &u32, sizeof(u32));	/* a u64 sent as u32 */
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_NE(0, self->s.errmsg[0]);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_SHBUF);
	nl_put_str(&r, KIPC_A_NAME, "nl-shx");
	nl_put_u32(&r, KIPC_A_NSEMS, 1);
	nl_put(&r, KIPC_A_SEM_VALUES, &u32, 2);		/* shorter than one value */
	EXPECT_EQ(-ERANGE, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_NE(0, self->s.errmsg[0]);

	/* the ioctl's limits, with the ioctl's errno */
	EXPECT_EQ(-EINVAL, new_shx(&self->s, 128 << 20, 0, NULL, 0));
	EXPECT_STREQ("size refused by shbuf_size_max", self->s.errmsg);
	EXPECT_EQ(-EINVAL, ioctl_shx(128 << 20, 0, NULL));
	EXPECT_EQ(-EINVAL, new_shx(&self->s, 4096, 300, NULL, 0));
	EXPECT_STREQ("nsems refused by sems_max", self->s.errmsg);
	EXPECT_EQ(-EINVAL, ioctl_shx(4096, 300, NULL));
	EXPECT_EQ(-EINVAL, new_shx(&self->s, 0, 0, NULL, 0));
	EXPECT_STREQ("a shared buffer needs a size, semaphores or both", self->s.errmsg);
	EXPECT_EQ(-EINVAL, ioctl_shx(0, 0, NULL));
	EXPECT_EQ(-EINVAL, new_shx(&self->s, 4096, 2, big, 2));
	EXPECT_STREQ("an initial value is over KIPC_SEM_VALUE_MAX", self->s.errmsg);
	EXPECT_EQ(-EINVAL, ioctl_shx(4096, 2, big));
	EXPECT_EQ(-EINVAL, new_shx(&self->s, 4096, 2, three, 3));
	EXPECT_STREQ("give one u32 initial value per semaphore (nsems)", self->s.errmsg);
	EXPECT_EQ(-EINVAL, new_shx(&self->s, 4096, 0, three, 1));
	EXPECT_STREQ("give one u32 initial value per semaphore (nsems)", self->s.errmsg);

	/* attributes of the other type */
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_SHBUF);
	nl_put_str(&r, KIPC_A_NAME, "nl-shx");
	nl_put_u64(&r, KIPC_A_SIZE, 4096);
	nl_put_u32(&r, KIPC_A_MAXMSG, 4);
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("only queues have maxmsg and msgsize", self->s.errmsg);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_SHBUF);
	nl_put_str(&r, KIPC_A_NAME, "nl-shx");
	nl_put_u64(&r, KIPC_A_SIZE, 4096);
	nl_put_u32(&r, KIPC_A_SEND_LOWAT, 2);
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("only queues have a send-lowat", self->s.errmsg);
	nl_init(&self->s, &r, self->s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&r, KIPC_A_NAME, "nl-shx");
	nl_put_u32(&r, KIPC_A_NSEMS, 1);
	EXPECT_EQ(-EINVAL, nl_talk(&self->s, &r, NULL, NULL));
	EXPECT_STREQ("only shared buffers have size, nsems and semaphore values",
		     self->s.errmsg);

	/* the per-user limit, which binds users without CAP_SYS_RESOURCE */
	ASSERT_EQ(0, kt_set_param("max_shbufs_per_user", 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nl_sock s;

		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(100);
		if (nl_open(&s))
			_exit(101);
		if (new_shx(&s, 4096, 0, NULL, 0) != -EMFILE ||
		    strcmp(s.errmsg, "too many objects for this user"))
			_exit(1);
		if (ioctl_shx(4096, 0, NULL) != -EMFILE)
			_exit(2);
		_exit(0);
	}
	EXPECT_EQ(0, child_status(pid));
	ASSERT_EQ(0, kt_set_param("max_shbufs_per_user", old));

	/* none of it created anything */
	EXPECT_EQ(-ENOENT, nl_by_name(&self->s, KIPC_CMD_OBJ_GET, "nl-shx", &o));
}

TEST_F(nl, unprivileged_users_cannot_change_others_shbufs)
{
	struct obj_reply o = {};
	pid_t pid;

	ASSERT_EQ(0, nl_new_shbuf(&self->s, "nl-shm-root", 4096, 1, NULL, 0, &o));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nl_sock s;
		struct nl_req r;
		int fd;

		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(100);
		if (nl_open(&s))
			_exit(101);
		if (nl_by_name(&s, KIPC_CMD_OBJ_DEL, "nl-shm-root", NULL) != -EPERM ||
		    strcmp(s.errmsg, "only the owner or CAP_SYS_ADMIN may unlink"))
			_exit(1);
		nl_init(&s, &r, s.family, KIPC_CMD_OBJ_SET, 0);
		nl_put_str(&r, KIPC_A_NAME, "nl-shm-root");
		nl_put_u32(&r, KIPC_A_MODE, 0666);
		if (nl_talk(&s, &r, NULL, NULL) != -EPERM ||
		    strcmp(s.errmsg, "only the owner or CAP_SYS_ADMIN may change it"))
			_exit(2);
		/* neither reading nor opening root's 0600 buffer is */
		if (nl_by_name(&s, KIPC_CMD_OBJ_GET, "nl-shm-root", NULL) != -EACCES)
			_exit(3);
		if (kt_shbuf("nl-shm-root", O_RDWR, 0, 0, 0, 0, NULL) != -EACCES)
			_exit(4);
		/* nobody's own buffer is nobody's to open, change and remove */
		if (nl_new_shbuf(&s, "nl-shm-nobody", 4096, 0, NULL, 0, &o))
			_exit(5);
		fd = kt_shbuf("nl-shm-nobody", O_RDWR, 0, 0, 0, 0, NULL);
		if (fd < 0)
			_exit(6);
		close(fd);
		nl_init(&s, &r, s.family, KIPC_CMD_OBJ_SET, 0);
		nl_put_str(&r, KIPC_A_NAME, "nl-shm-nobody");
		nl_put_u32(&r, KIPC_A_MODE, 0644);
		if (nl_talk(&s, &r, NULL, NULL) ||
		    nl_by_name(&s, KIPC_CMD_OBJ_DEL, "nl-shm-nobody", NULL))
			_exit(7);
		_exit(0);
	}
	EXPECT_EQ(0, child_status(pid));
	memset(&o, 0, sizeof(o));
	EXPECT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_GET, "nl-shm-root", &o));
	EXPECT_EQ(0600, o.mode);
	EXPECT_EQ(0, nl_by_name(&self->s, KIPC_CMD_OBJ_DEL, "nl-shm-root", NULL));
}

TEST_HARNESS_MAIN
