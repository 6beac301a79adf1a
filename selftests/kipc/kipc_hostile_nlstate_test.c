// SPDX-License-Identifier: GPL-2.0
/*
 * What an unprivileged user can make kipc's netlink side hold: event
 * subscriptions (max_subscriptions_per_user, then EMFILE, released with the
 * socket or UNSUBSCRIBE) and the state of dumps left half-read (bounded by
 * the user's sockets, and pinning no object: what the dump has not reached
 * yet can still be destroyed and its charge released).
 */
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "kipc_hostile.h"

#define SUBSCRIBER	2007
#define BYSTANDER	2008
#define CREATOR		2009
#define DUMPER		KT_NOBODY
#define DUMPS		64
#define DUMP_OBJECTS	200

static int subscribe(struct nl_sock *s)
{
	struct nl_req r;

	nl_init(s, &r, s->family, KIPC_CMD_SUBSCRIBE, 0);
	return nl_talk(s, &r, NULL, NULL);
}

static struct nl_sock *open_subscribed(int *err)
{
	struct nl_sock *s = malloc(sizeof(*s));

	*err = -ENOMEM;
	if (!s)
		return NULL;
	*err = nl_open(s);
	if (!*err) {
		*err = subscribe(s);
		if (!*err)
			return s;
		nl_close(s);
	}
	free(s);
	return NULL;
}

/* The subscriber's steps; the exit status names the first that failed. */
static int subscriber(long long max)
{
	struct nl_sock **socks = calloc(max + 1, sizeof(*socks));
	struct nl_sock *s;
	struct kh_account a;
	struct nl_req r;
	long long n;
	int err = 0;

	kh_become(SUBSCRIBER, max + 64);
	if (!socks)
		return 1;
	for (n = 0; n <= max; n++) {
		socks[n] = open_subscribed(&err);
		if (!socks[n])
			break;
	}
	if (n != max || err != -EMFILE)
		return 2;
	if (kh_stats_get(socks[0], &a) || a.user_subs != max)
		return 3;
	/* a closed socket gives its slot back */
	nl_close(socks[0]);
	s = open_subscribed(&err);
	if (!s)
		return 4;
	/* so does UNSUBSCRIBE */
	if (open_subscribed(&err) || err != -EMFILE)
		return 5;
	nl_init(socks[1], &r, socks[1]->family, KIPC_CMD_UNSUBSCRIBE, 0);
	if (nl_talk(socks[1], &r, NULL, NULL))
		return 6;
	if (!open_subscribed(&err))
		return 7;
	return 0;
}

TEST(subscriptions_per_user_end_in_emfile)
{
	struct kh_account a;
	struct kh_limits l;
	struct nl_sock *s;
	pid_t pid;
	int err;

	KH_NEED_LIMITS(&l);
	if (l.max_subs > 4000)
		SKIP(return, "max_subscriptions_per_user %lld: too many sockets", l.max_subs);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(subscriber(l.max_subs));
	EXPECT_EQ(0, kt_wait_child(pid))
		TH_LOG("2: not EMFILE after the limit, 3: USER_SUBS, 4-7: slot not given back");
	/* all released with the sockets */
	ASSERT_EQ(0, kh_account_of(SUBSCRIBER, &a));
	EXPECT_EQ(0, a.user_subs);
	/* and others could subscribe all along */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		kh_become(BYSTANDER, 0);
		s = open_subscribed(&err);
		_exit(s ? 0 : 1);
	}
	EXPECT_EQ(0, kt_wait_child(pid));
}

/* --- dumps left half-read --- */

struct dumps {
	int setup;
	int first_parts;	/* objects the first reads brought */
	int entries;		/* objects seen in all */
	int status[DUMPS];	/* 0: ended with NLMSG_DONE; else the error */
};

static int dump_start(struct nl_sock *s)
{
	struct nl_req r;
	int small = 1;

	setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	nl_init(s, &r, s->family, KIPC_CMD_OBJ_GET, NLM_F_DUMP);
	return send(s->fd, &r, r.nlh.nlmsg_len, 0) < 0 ? -errno : 0;
}

/* Read one datagram of a dump: objects in it, 0 at its end, or -errno. */
static int dump_read(struct nl_sock *s, bool *done)
{
	int n = recv(s->fd, s->buf, sizeof(s->buf), 0), objects = 0;
	struct nlmsghdr *nlh;

	if (n < 0)
		return -errno;
	for (nlh = (struct nlmsghdr *)s->buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
		if (nlh->nlmsg_type == NLMSG_DONE) {
			*done = true;
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			*done = true;
			return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error ?: -EPROTO;
		} else if (nlh->nlmsg_type == s->family) {
			objects++;
		}
	}
	return objects;
}

static void dumper(struct dumps *d, int ready, const int go[2])
{
	static struct nl_sock socks[DUMPS];
	struct nl_sock *resolver = malloc(sizeof(*resolver));
	bool done;
	int n;

	close(go[1]);	/* the parent's close also lets it go */
	kh_become(DUMPER, DUMPS + 64);
	if (!resolver || nl_open(resolver)) {
		d->setup = 3;
		_exit(0);
	}
	/*
	 * Sockets that never received a big reply get a dump's first part in
	 * a small buffer (netlink sizes them by the largest read so far): it
	 * stops well before the end.
	 */
	for (int i = 0; i < DUMPS; i++) {
		done = false;
		socks[i].fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		socks[i].family = resolver->family;
		if (socks[i].fd < 0 || dump_start(&socks[i])) {
			d->setup = 1;
			_exit(0);
		}
		n = dump_read(&socks[i], &done);
		if (n < 0 || done) {
			d->setup = 2;	/* the first part must not be the whole dump */
			_exit(0);
		}
		d->first_parts += n;
	}
	kh_signal(ready);
	kh_wait(go[0]);
	d->entries = d->first_parts;
	for (int i = 0; i < DUMPS; i++) {
		done = false;
		while (!done) {
			n = dump_read(&socks[i], &done);
			if (n < 0) {
				d->status[i] = -n;
				break;
			}
			d->entries += n;
		}
	}
	_exit(0);
}

static int creator(long long n)
{
	char name[KIPC_NAME_MAX];

	kh_become(CREATOR, 0);
	umask(0);
	for (long long i = 0; i < n; i++) {
		int fd;

		snprintf(name, sizeof(name), "hostile-dump-%lld", i);
		fd = kt_queue(name, O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0644, 1, 64);
		if (fd < 0)
			return 1;
		close(fd);
	}
	return 0;
}

FIXTURE(dump) {
	long long objects;
	struct dumps *d;
	pid_t child;
	int go[2];
};

FIXTURE_SETUP(dump)
{
	self->d = kh_shared(sizeof(*self->d));
	ASSERT_NE(NULL, self->d);
	self->child = -1;
	ASSERT_EQ(0, pipe(self->go));
}

FIXTURE_TEARDOWN(dump)
{
	char name[KIPC_NAME_MAX];

	close(self->go[1]);
	if (self->child > 0)
		kt_wait_child(self->child);
	for (long long i = 0; i < self->objects; i++) {
		snprintf(name, sizeof(name), "hostile-dump-%lld", i);
		kt_unlink(name);
	}
	munmap(self->d, sizeof(*self->d));
}

TEST_F_TIMEOUT(dump, half_read_dumps_pin_nothing, 600)
{
	struct dumps *d = self->d;
	char name[KIPC_NAME_MAX];
	struct kh_account a;
	long long m0, m1;
	struct kh_limits l;
	int ready[2];
	pid_t pid;

	KH_NEED_LIMITS(&l);
	self->objects = l.max_queues < DUMP_OBJECTS ? l.max_queues : DUMP_OBJECTS;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(creator(self->objects));
	ASSERT_EQ(0, kt_wait_child(pid));

	m0 = kh_mem_settled();
	ASSERT_EQ(0, pipe(ready));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (self->child == 0)
		dumper(d, ready[1], self->go);
	close(ready[1]);
	ASSERT_TRUE(kh_wait(ready[0])) TH_LOG("dumper set-up %d", d->setup);
	ASSERT_EQ(0, d->setup);
	m1 = kh_mem_settled();
	TH_LOG("%d dumps paused after %d objects: MemAvailable %lld -> %lld MiB",
	       DUMPS, d->first_parts, m0 >> 20, m1 >> 20);
	/* a paused dump holds at most a socket's worth of replies */
	EXPECT_LE(m0 - m1, DUMPS * 256 * 1024LL + (long long)KH_MEM_SLACK);

	/* what the dumps have not reached yet can go, charge and all */
	for (long long i = 0; i < self->objects; i++) {
		snprintf(name, sizeof(name), "hostile-dump-%lld", i);
		EXPECT_EQ(0, kt_unlink(name));
	}
	self->objects = 0;
	EXPECT_EQ(0, kh_wait_user_bytes(CREATOR, 0, 5000));
	ASSERT_EQ(0, kh_account_of(CREATOR, &a));
	EXPECT_EQ(0, a.user_queues);

	/* and the dumps still end cleanly */
	kh_signal(self->go[1]);
	ASSERT_EQ(0, kt_wait_child(self->child));
	self->child = -1;
	for (int i = 0; i < DUMPS; i++) {
		EXPECT_EQ(0, d->status[i]) TH_LOG("dump %d: %s", i, strerror(d->status[i]));
	}
	EXPECT_LE(d->first_parts, d->entries);
}

TEST_HARNESS_MAIN
