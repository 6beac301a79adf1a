// SPDX-License-Identifier: GPL-2.0
/*
 * The byte budget against user namespaces (Documentation/security.rst): a rootless container
 * owned by uid 1000, with 65,536 subordinate uids mapped, shares uid 1000's
 * budget among all of them (charges go up the user-namespace chain), and
 * root inside it has no CAP_SYS_RESOURCE that counts; IPC namespaces that
 * die give back what their objects reserved, so creating namespace after
 * namespace never adds up.
 *
 * The container is made as on a real machine: the unprivileged owner
 * unshares, and root outside (newuidmap's part) writes the maps.
 */
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "kipc_fill.h"

#define OWNER		1000
#define SUBUID_BASE	100000
#define SUBUID_COUNT	65536
#define BYSTANDER	2002
#define CHURNER		2010
#define CHURN_ROUNDS	8

/* uids inside the container; root last: it must get no more than the others */
static const uid_t inner[] = { 1, 1000, 4242, 30000, 65534, 65535, 0 };
static const char *const prefixes[] = {
	"ns-1", "ns-1000", "ns-4242", "ns-30000", "ns-65534", "ns-65535", "ns-0",
};
#define NINNER		ARRAY_SIZE(inner)

struct container {
	int setup;		/* errno of the owner's unshare(), or a step */
	int status[NINNER];	/* each inner user's exit status */
	struct kh_fill f[NINNER];
};

#define USERNS_SYSCTL	"/proc/sys/kernel/unprivileged_userns_clone"

FIXTURE(userns) {
	long long userns_clone;	/* Debian's switch, to restore; -1 if absent */
};

FIXTURE_SETUP(userns)
{
	self->userns_clone = kh_read_file(USERNS_SYSCTL);
	if (self->userns_clone == 0)
		ASSERT_EQ(0, kh_write_file(USERNS_SYSCTL, 1));
}

FIXTURE_TEARDOWN(userns)
{
	if (self->userns_clone == 0)
		kh_write_file(USERNS_SYSCTL, 0);
}

static int write_map(pid_t pid, const char *which, const char *map)
{
	char path[64];
	int fd, n = strlen(map), ret;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, which);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write(fd, map, n) == n ? 0 : -errno;
	close(fd);
	return ret;
}

/* Inside the container: each inner user fills what it can, a third of a budget at most. */
static void container_main(struct container *c, const struct kh_limits *l,
			   int ready, int mapped, int filled, int done)
{
	kh_become(OWNER, KH_FILL_MAX_FDS + 64);
	if (unshare(CLONE_NEWUSER | CLONE_NEWIPC)) {
		c->setup = errno;
		_exit(0);
	}
	kh_signal(ready);
	if (!kh_wait(mapped))
		_exit(1);
	for (unsigned int i = 0; i < NINNER; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			if (setgroups(0, NULL) || setresgid(inner[i], inner[i], inner[i]) ||
			    setresuid(inner[i], inner[i], inner[i]))
				_exit(100);
			kh_fill_run(&c->f[i], l);
			_exit(0);
		}
		c->status[i] = pid < 0 ? -1 : kt_wait_child(pid);
	}
	kh_signal(filled);
	kh_wait(done);
	_exit(0);
}

TEST_F_TIMEOUT(userns, mapped_uids_share_their_owners_budget, 600)
{
	struct container *c = kh_shared(sizeof(*c));
	int ready[2], mapped[2], filled[2], done[2];
	struct kh_account before, after;
	char map[64];
	__u64 granted = 0;
	int created = 0, contributors = 0, edquot = 0;
	long long m0, m1, k0;
	struct kh_limits l;
	pid_t pid, by;

	KH_NEED_LIMITS(&l);
	ASSERT_NE(NULL, c);
	ASSERT_EQ(0, kh_account_of(OWNER, &before));
	m0 = kh_mem_settled();
	k0 = kh_oom_kills();
	if (l.user_bytes_max > m0 / 4)
		SKIP(return, "user_bytes_max %lld is over a quarter of MemAvailable", l.user_bytes_max);
	for (unsigned int i = 0; i < NINNER; i++) {
		c->f[i].kind = KH_QUEUE;
		c->f[i].prefix = prefixes[i];
		c->f[i].fill = true;
		c->f[i].cap = l.user_bytes_max / 3;
		c->f[i].guard = l.user_bytes_max;
		c->f[i].mem_floor = m0 / 2;
	}
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(mapped));
	ASSERT_EQ(0, pipe(filled));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		close(mapped[1]);
		close(filled[0]);
		close(done[1]);
		container_main(c, &l, ready[1], mapped[0], filled[1], done[0]);
	}
	close(ready[1]);
	close(mapped[0]);
	close(filled[1]);
	close(done[0]);
	if (!kh_wait(ready[0])) {
		kt_wait_child(pid);
		if (c->setup)
			SKIP(return, "unprivileged user namespaces: %s", strerror(c->setup));
		ASSERT_TRUE(false) TH_LOG("the container did not start");
	}
	snprintf(map, sizeof(map), "0 %d %d\n", SUBUID_BASE, SUBUID_COUNT);
	ASSERT_EQ(0, write_map(pid, "uid_map", map));
	ASSERT_EQ(0, write_map(pid, "gid_map", map));
	kh_signal(mapped[1]);
	ASSERT_TRUE(kh_wait(filled[0]));

	m1 = kh_mem_settled();
	for (unsigned int i = 0; i < NINNER; i++) {
		struct kh_fill *f = &c->f[i];

		TH_LOG("inner uid %u: %d queues, %llu bytes; EDQUOT %d EMFILE %d ENOSPC %d",
		       inner[i], f->created, (unsigned long long)f->granted, f->edquot,
		       f->emfile, f->enospc);
		EXPECT_EQ(0, c->status[i]);
		EXPECT_EQ(0, f->other_errno) TH_LOG("refused with %s", strerror(f->other_errno));
		EXPECT_FALSE(f->over_guard);
		EXPECT_EQ(0, f->fill_errno);
		granted += f->granted;
		created += f->created;
		contributors += f->created > 0;
		edquot += f->edquot;
	}
	/* one budget for all of them, and several of them drew on it */
	EXPECT_LE(granted, (__u64)l.user_bytes_max);
	EXPECT_LE(2, contributors);
	EXPECT_LT(0, edquot);
	/* root inside is just another subordinate uid */
	EXPECT_EQ(0, c->f[NINNER - 1].created);
	EXPECT_EQ(EDQUOT, c->f[NINNER - 1].last_errno);
	/* the owner outside carries all of it */
	ASSERT_EQ(0, kh_account_of(OWNER, &after));
	EXPECT_GE(after.user_bytes - before.user_bytes, granted);
	EXPECT_LE(after.user_bytes, after.user_bytes_max);
	EXPECT_EQ(before.user_queues + created, after.user_queues);
	/* and the machine lost no more than one budget */
	EXPECT_LE(m0 - m1, l.user_bytes_max + (long long)KH_MEM_SLACK)
		TH_LOG("MemAvailable %lld -> %lld MiB", m0 >> 20, m1 >> 20);
	EXPECT_EQ(k0, kh_oom_kills());

	by = fork();
	ASSERT_LE(0, by);
	if (by == 0) {
		int fd;
		char m = 'm';

		kh_become(BYSTANDER, 0);
		fd = kt_anon(O_RDWR, 4, 4096);
		_exit(fd < 0 || kt_send(fd, &m, 1, 0, KIPC_MSG_NONBLOCK, 0) ? 1 : 0);
	}
	EXPECT_EQ(0, kt_wait_child(by)) TH_LOG("another user was not served");

	/* the container goes: its namespace's objects and charges with it */
	kh_signal(done[1]);
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(before.user_bytes, kh_wait_user_bytes(OWNER, before.user_bytes, 15000));
	munmap(c, sizeof(*c));
}

/* As @uid in a user and IPC namespace of its own: one big queue, left behind. */
static int churn_round(__u32 maxmsg, __u32 msgsize)
{
	char map[32], *buf;
	int fd;

	kh_become(CHURNER, 0);
	/* leaving uid 0 made /proc/self root's; a user writes its own maps */
	prctl(PR_SET_DUMPABLE, 1);
	if (unshare(CLONE_NEWUSER | CLONE_NEWIPC))
		return 200 + (errno & 0x3f);
	snprintf(map, sizeof(map), "0 %d 1\n", CHURNER);
	if (write_map(getpid(), "uid_map", map) ||
	    write_map(getpid(), "setgroups", "deny") ||
	    write_map(getpid(), "gid_map", map))
		return 3;
	fd = kt_queue("churn", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, maxmsg, msgsize);
	if (fd < 0)
		return -fd;	/* EDQUOT: an earlier namespace kept its charge */
	buf = calloc(1, msgsize);
	for (__u32 i = 0; buf && i < maxmsg / 4; i++)
		if (kt_send(fd, buf, msgsize, 0, KIPC_MSG_NONBLOCK, 0))
			return 4;
	return 0;	/* the queue stays, named, in a namespace about to die */
}

TEST_F_TIMEOUT(userns, dead_namespaces_give_their_budget_back, 600)
{
	struct kh_limits l;
	__u32 msgsize, maxmsg;
	long long m0, m1;
	pid_t pid;

	KH_NEED_LIMITS(&l);
	/* a message buffer just under 1 MiB: no rounding doubles it */
	msgsize = kh_msgsize(&l) - 64;
	/* more than half the budget, so two namespaces' queues cannot both fit */
	maxmsg = l.user_bytes_max / 2 / msgsize + 8;
	if (maxmsg > l.msg_max || (long long)maxmsg * msgsize > l.queue_bytes_max ||
	    (long long)((maxmsg + 2) * KH_MIB) > l.user_bytes_max)
		SKIP(return, "limits leave no queue between half and all of the budget");
	m0 = kh_mem_settled();
	for (int round = 0; round < CHURN_ROUNDS; round++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0)
			_exit(churn_round(maxmsg, msgsize));
		ASSERT_EQ(0, kt_wait_child(pid)) TH_LOG("round %d (EDQUOT is %d)", round, EDQUOT);
	}
	/* a new namespace's first call reaps the dead ones */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (unshare(CLONE_NEWIPC))
			_exit(1);
		fd = kt_anon(O_RDWR, 1, 8);
		_exit(fd < 0 ? 2 : 0);
	}
	ASSERT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(0, kh_wait_user_bytes(CHURNER, 0, 15000));
	m1 = kh_mem_settled();
	EXPECT_LE(m0 - m1, (long long)KH_MEM_SLACK)
		TH_LOG("MemAvailable %lld -> %lld MiB after %d namespaces", m0 >> 20, m1 >> 20,
		       CHURN_ROUNDS);
}

TEST_HARNESS_MAIN
