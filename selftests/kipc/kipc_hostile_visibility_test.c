// SPDX-License-Identifier: GPL-2.0
/*
 * What an unprivileged user may learn over netlink about objects it may not
 * open (Documentation/security.rst, "Visibility"): an object is visible to
 * its owner or creator, to whoever its mode bits grant read, and to
 * CAP_IPC_OWNER; anonymous objects only to their owner and CAP_IPC_OWNER.
 * Invisible objects are left out of dumps, GET of one is EACCES, STATS_GET
 * totals leave them out, and no event about them reaches the subscriber.
 */
#include <poll.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "kipc_hostile.h"

#define NOBODY		KT_NOBODY

/* Root's objects, and whether nobody (no groups) may see each. */
static const struct {
	const char *name;
	__u32 type;
	__u32 mode;
	bool visible;
	bool visible_to_group;	/* to nobody in group 0 */
} roots[] = {
	{ "vis-0600", KIPC_TYPE_QUEUE, 0600, false, false },
	{ "vis-0602", KIPC_TYPE_QUEUE, 0602, false, false },	/* write is not read */
	/* group members get the group's bits, as ipcperms() and open do */
	{ "vis-0604", KIPC_TYPE_QUEUE, 0604, true, false },
	{ "vis-0640", KIPC_TYPE_QUEUE, 0640, false, true },
	{ "vis-b-0600", KIPC_TYPE_SHBUF, 0600, false, false },
	{ "vis-b-0444", KIPC_TYPE_SHBUF, 0444, true, true },
};

#define NROOTS		ARRAY_SIZE(roots)
#define OWN_NAME	"vis-own-0600"
#define MAX_SEEN	4096

/* One dump, as a set of ids and names. */
struct dump {
	int n;
	int queues;
	int shbufs;
	__u32 id[MAX_SEEN];
	char name[MAX_SEEN][KIPC_NAME_MAX];
};

static void dump_cb(struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	const char *name = nl_str(nlh, KIPC_A_NAME);
	__u32 type = nl_u32(nlh, KIPC_A_TYPE);

	d->queues += type == KIPC_TYPE_QUEUE;
	d->shbufs += type == KIPC_TYPE_SHBUF;
	if (d->n >= MAX_SEEN)
		return;
	d->id[d->n] = nl_u32(nlh, KIPC_A_ID);
	snprintf(d->name[d->n], KIPC_NAME_MAX, "%s", name ? name : "");
	d->n++;
}

static int dump_all(struct nl_sock *s, struct dump *d)
{
	struct nl_req r;

	memset(d, 0, sizeof(*d));
	nl_init(s, &r, s->family, KIPC_CMD_OBJ_GET, NLM_F_DUMP);
	return nl_talk(s, &r, dump_cb, d);
}

static bool dump_has_name(const struct dump *d, const char *name)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->name[i], name))
			return true;
	return false;
}

static bool dump_has_id(const struct dump *d, __u32 id)
{
	for (int i = 0; i < d->n; i++)
		if (d->id[i] == id)
			return true;
	return false;
}

static int get_by_name(struct nl_sock *s, const char *name)
{
	struct nl_req r;

	nl_init(s, &r, s->family, KIPC_CMD_OBJ_GET, 0);
	nl_put_str(&r, KIPC_A_NAME, name);
	return nl_talk(s, &r, NULL, NULL);
}

/* What a non-owner saw; filled by the child. */
struct view {
	int setup;		/* non-zero: the child failed before looking */
	struct dump dump;
	struct kh_account stats;
	int get[NROOTS];
	int open[NROOTS];	/* opening it for reading: 0 or -errno */
	char get_msg[NROOTS][256];
	int get_own;
	__u32 own_anon_id;
};

static void look(struct view *v)
{
	struct nl_sock *s = malloc(sizeof(*s));

	if (!s || nl_open(s)) {
		v->setup = 1;
		return;
	}
	if (dump_all(s, &v->dump) || kh_stats_get(s, &v->stats)) {
		v->setup = 2;
		return;
	}
	for (unsigned int i = 0; i < NROOTS; i++) {
		int fd = roots[i].type == KIPC_TYPE_QUEUE ?
			 kt_queue(roots[i].name, O_RDONLY, 0, 0, 0, 0) :
			 kt_shbuf(roots[i].name, O_RDONLY, 0, 0, 0, 0, NULL);

		v->open[i] = fd < 0 ? fd : 0;
		if (fd >= 0)
			close(fd);
		v->get[i] = get_by_name(s, roots[i].name);
		snprintf(v->get_msg[i], sizeof(v->get_msg[i]), "%s", s->errmsg);
	}
	v->get_own = get_by_name(s, OWN_NAME);
	nl_close(s);
	free(s);
}

FIXTURE(vis) {
	int fds[NROOTS];
	int anon;
	__u32 anon_id;
	struct view *v;
	int release[2];
	pid_t child;
};

FIXTURE_SETUP(vis)
{
	struct kipc_stats st;

	umask(0);
	self->v = kh_shared(sizeof(*self->v));
	ASSERT_NE(NULL, self->v);
	self->child = -1;
	for (unsigned int i = 0; i < NROOTS; i++) {
		kt_unlink(roots[i].name);
		self->fds[i] = roots[i].type == KIPC_TYPE_QUEUE ?
			kt_queue(roots[i].name, O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
				 roots[i].mode, 4, 64) :
			kt_shbuf(roots[i].name, O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
				 roots[i].mode, 4096, 1, NULL);
		ASSERT_LE(0, self->fds[i]) TH_LOG("%s: %s", roots[i].name,
						  strerror(-self->fds[i]));
	}
	self->anon = kt_anon(O_RDWR, 4, 64);
	ASSERT_LE(0, self->anon);
	ASSERT_EQ(0, kt_stats(self->anon, &st));
	self->anon_id = st.id;
	ASSERT_EQ(0, pipe(self->release));
}

FIXTURE_TEARDOWN(vis)
{
	close(self->release[1]);
	if (self->child > 0)
		kt_wait_child(self->child);
	for (unsigned int i = 0; i < NROOTS; i++) {
		kt_unlink(roots[i].name);
		if (self->fds[i] >= 0)
			close(self->fds[i]);
	}
	kt_unlink(OWN_NAME);
	close(self->anon);
	munmap(self->v, sizeof(*self->v));
}

/*
 * A child as nobody (in group 0 if @group): makes its own 0600 queue and an
 * anonymous one, looks, then holds the anonymous one until released.
 */
static pid_t nobody_looks(struct view *v, int group, const int release[2], int done)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct kipc_stats st;
		gid_t g = 0;
		int fd, anon;

		close(release[1]);	/* the parent's close is the release */
		if (setgroups(group ? 1 : 0, &g) || setgid(NOBODY) || setuid(NOBODY))
			_exit(100);
		fd = kt_queue(OWN_NAME, O_RDWR, KIPC_OPEN_CREATE, 0600, 4, 64);
		anon = kt_anon(O_RDWR, 4, 64);
		if (fd < 0 || anon < 0 || kt_stats(anon, &st)) {
			v->setup = 3;
			_exit(0);
		}
		v->own_anon_id = st.id;
		look(v);
		kh_signal(done);
		kh_wait(release[0]);
		_exit(0);
	}
	return pid;
}

TEST_F_TIMEOUT(vis, a_non_owner_sees_only_what_it_may_read, 300)
{
	struct view *v = self->v;
	struct kh_account root_stats;
	struct dump *mine = malloc(sizeof(*mine));
	struct nl_sock *s = malloc(sizeof(*s));
	int done[2];

	ASSERT_NE(NULL, mine);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, pipe(done));
	self->child = nobody_looks(v, 0, self->release, done[1]);
	ASSERT_LE(0, self->child);
	close(done[1]);
	ASSERT_TRUE(kh_wait(done[0]));
	ASSERT_EQ(0, v->setup);

	/* nobody's dump: what the mode grants, its own, nothing else */
	for (unsigned int i = 0; i < NROOTS; i++) {
		EXPECT_EQ(roots[i].visible, dump_has_name(&v->dump, roots[i].name))
			TH_LOG("%s in nobody's dump", roots[i].name);
		if (roots[i].visible) {
			EXPECT_EQ(0, v->get[i]) TH_LOG("GET %s", roots[i].name);
		} else {
			EXPECT_EQ(-EACCES, v->get[i]) TH_LOG("GET %s", roots[i].name);
			EXPECT_STREQ("no permission to read this object", v->get_msg[i]);
		}
		EXPECT_EQ(v->open[i], v->get[i]) TH_LOG("%s: GET and open disagree", roots[i].name);
	}
	EXPECT_FALSE(dump_has_id(&v->dump, self->anon_id)) TH_LOG("root's anonymous queue");
	EXPECT_TRUE(dump_has_name(&v->dump, OWN_NAME));
	EXPECT_TRUE(dump_has_id(&v->dump, v->own_anon_id));
	EXPECT_EQ(0, v->get_own);
	/* its totals count what its dump shows, no more */
	EXPECT_EQ(v->dump.queues, v->stats.nr_queues);
	EXPECT_EQ(v->dump.shbufs, v->stats.nr_shbufs);

	/* root sees everything, nobody's included */
	ASSERT_EQ(0, nl_open(s));
	ASSERT_EQ(0, dump_all(s, mine));
	for (unsigned int i = 0; i < NROOTS; i++) {
		EXPECT_TRUE(dump_has_name(mine, roots[i].name)) TH_LOG("%s", roots[i].name);
	}
	EXPECT_TRUE(dump_has_id(mine, self->anon_id));
	EXPECT_TRUE(dump_has_name(mine, OWN_NAME));
	EXPECT_TRUE(dump_has_id(mine, v->own_anon_id));
	ASSERT_EQ(0, kh_stats_get(s, &root_stats));
	/* root's totals include the four queues and the buffer nobody may not see */
	EXPECT_LE(v->stats.nr_queues + 4, root_stats.nr_queues);
	EXPECT_LE(v->stats.nr_shbufs + 1, root_stats.nr_shbufs);
	EXPECT_LE(v->stats.mem_bytes, root_stats.mem_bytes);
	nl_close(s);
	free(s);
	free(mine);
}

TEST_F_TIMEOUT(vis, group_read_bits_let_members_see, 300)
{
	struct view *v = self->v;
	int done[2];

	ASSERT_EQ(0, pipe(done));
	self->child = nobody_looks(v, 1, self->release, done[1]);
	ASSERT_LE(0, self->child);
	close(done[1]);
	ASSERT_TRUE(kh_wait(done[0]));
	ASSERT_EQ(0, v->setup);
	for (unsigned int i = 0; i < NROOTS; i++) {
		EXPECT_EQ(roots[i].visible_to_group, dump_has_name(&v->dump, roots[i].name))
			TH_LOG("%s in the dump of nobody in group 0", roots[i].name);
		EXPECT_EQ(roots[i].visible_to_group ? 0 : -EACCES, v->get[i])
			TH_LOG("GET %s", roots[i].name);
		/* seeing is what opening for reading allows */
		EXPECT_EQ(v->open[i], v->get[i]) TH_LOG("%s", roots[i].name);
	}
	EXPECT_FALSE(dump_has_id(&v->dump, self->anon_id));
	EXPECT_EQ(v->dump.queues, v->stats.nr_queues);
}

/* --- events --- */

struct ev {
	__u32 event;
	__u32 id;
	char name[KIPC_NAME_MAX];
};

struct evlog {
	int setup;
	int n;
	struct ev ev[256];
};

/* Read events until a DESTROYED of @until arrives or @ms pass. */
static void read_events(struct nl_sock *s, struct evlog *log, const char *until, int ms)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

	while (poll(&pfd, 1, ms) == 1) {
		int n = recv(s->fd, s->buf, sizeof(s->buf), 0);
		struct nlmsghdr *nlh;
		bool last = false;

		if (n <= 0)
			return;
		for (nlh = (struct nlmsghdr *)s->buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			const char *name = nl_str(nlh, KIPC_A_NAME);
			struct ev *e;

			if (nlh->nlmsg_type != s->family || log->n >= 256)
				continue;
			e = &log->ev[log->n++];
			e->event = nl_u32(nlh, KIPC_A_EVENT);
			e->id = nl_u32(nlh, KIPC_A_ID);
			snprintf(e->name, sizeof(e->name), "%s", name ? name : "");
			last |= e->event == KIPC_EVENT_DESTROYED && !strcmp(e->name, until);
		}
		if (last)
			return;
	}
}

static int count_events(const struct evlog *log, const char *name, __u32 id)
{
	int n = 0;

	for (int i = 0; i < log->n; i++)
		n += name ? !strcmp(log->ev[i].name, name) : log->ev[i].id == id;
	return n;
}

static int subscribe(struct nl_sock *s)
{
	struct nl_req r;

	if (nl_open(s))
		return -1;
	nl_init(s, &r, s->family, KIPC_CMD_SUBSCRIBE, 0);
	return nl_talk(s, &r, NULL, NULL);
}

/* Root's hidden objects come and go, then a visible sentinel. */
static void root_makes_events(__u32 *anon_id)
{
	struct kipc_stats st;
	char c = 'x';
	int fd, anon;

	fd = kt_queue("ev-0600", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, 1, 8);
	anon = kt_anon(O_RDWR, 1, 8);
	if (fd >= 0) {
		kt_send(fd, &c, 1, 0, KIPC_MSG_NONBLOCK, 0);
		kt_send(fd, &c, 1, 0, KIPC_MSG_NONBLOCK, 0);	/* full: QUEUE_FULL */
		kt_unlink("ev-0600");
		close(fd);
	}
	if (anon >= 0) {
		kt_stats(anon, &st);
		*anon_id = st.id;
		kt_send(anon, &c, 1, 0, KIPC_MSG_NONBLOCK, 0);
		kt_send(anon, &c, 1, 0, KIPC_MSG_NONBLOCK, 0);
		close(anon);
	}
	fd = kt_queue("ev-0644", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0644, 1, 8);
	if (fd >= 0) {
		kt_unlink("ev-0644");
		close(fd);
	}
}

TEST_F_TIMEOUT(vis, events_reach_only_who_may_see, 300)
{
	struct evlog *log = kh_shared(sizeof(*log));
	struct evlog *rootlog = calloc(1, sizeof(*rootlog));
	struct nl_sock *s = malloc(sizeof(*s));
	int ready[2], go[2];
	__u32 anon_id = 0;
	pid_t pid;

	ASSERT_NE(NULL, log);
	ASSERT_NE(NULL, rootlog);
	ASSERT_NE(NULL, s);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nl_sock *ns = malloc(sizeof(*ns));
		int fd;

		close(go[1]);
		kh_become(NOBODY, 0);
		if (!ns || subscribe(ns)) {
			log->setup = 1;
			_exit(0);
		}
		/* its own 0600 object: it must hear of that one */
		fd = kt_queue("ev-own", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, 1, 8);
		if (fd < 0 || kt_unlink("ev-own")) {
			log->setup = 2;
			_exit(0);
		}
		close(fd);
		kh_signal(ready[1]);
		kh_wait(go[0]);
		read_events(ns, log, "ev-0644", 10000);
		_exit(0);
	}
	close(ready[1]);
	ASSERT_TRUE(kh_wait(ready[0]));
	ASSERT_EQ(0, subscribe(s));
	root_makes_events(&anon_id);
	kh_signal(go[1]);
	read_events(s, rootlog, "ev-0644", 10000);
	ASSERT_EQ(0, kt_wait_child(pid));
	ASSERT_EQ(0, log->setup);

	/* root heard of all of it: the events exist */
	EXPECT_LE(3, count_events(rootlog, "ev-0600", 0));
	EXPECT_LE(3, count_events(rootlog, NULL, anon_id));
	/* nobody heard of its own object and the visible one only */
	EXPECT_EQ(0, count_events(log, "ev-0600", 0));
	EXPECT_EQ(0, count_events(log, NULL, anon_id));
	EXPECT_EQ(3, count_events(log, "ev-own", 0));
	ASSERT_EQ(3, count_events(log, "ev-0644", 0));
	for (int i = 0, k = 0; i < log->n; i++) {
		static const __u32 order[] = {
			KIPC_EVENT_CREATED, KIPC_EVENT_UNLINKED, KIPC_EVENT_DESTROYED,
		};

		if (strcmp(log->ev[i].name, "ev-0644"))
			continue;
		EXPECT_EQ(order[k], log->ev[i].event);
		k++;
	}
	nl_close(s);
	free(s);
	free(rootlog);
	munmap(log, sizeof(*log));
}

TEST_HARNESS_MAIN
