// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile local user against the byte budget: every creation
 * an unprivileged user can make is reserved against user_bytes_max (EDQUOT),
 * the object counts (EMFILE) and the ceiling for all users (ENOSPC), and the
 * memory the machine loses stays within what was reserved, whether or not
 * the creator still lives.
 *
 * Runs as root in the test VM; the hostile users are children that drop to
 * other uids. Limits come from /sys/module/kipc/parameters; a module without
 * them makes every test SKIP.
 */
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "kipc_fill.h"

#define HOSTILE		KT_NOBODY
#define BYSTANDER	2002	/* another user, who must still be served */
#define COUNTER		2003	/* runs into the object counts */
#define CEILING_UID	3001	/* first of the users that reach total_bytes_max */

/* What a test changes and must put back, and the hostile child's results. */
struct saved {
	long long user_bytes_max;	/* to restore, or -1 */
	long long total_bytes_max;
	struct kh_fill *fill;		/* shared with the hostile child */
};

static int saved_setup(struct saved *sv)
{
	sv->user_bytes_max = kt_param("user_bytes_max");
	sv->total_bytes_max = kt_param("total_bytes_max");
	sv->fill = kh_shared(sizeof(*sv->fill));
	umask(0);
	return sv->fill ? 0 : -ENOMEM;
}

static void saved_restore(struct saved *sv)
{
	if (sv->user_bytes_max >= 0)
		kh_set_param("user_bytes_max", sv->user_bytes_max);
	if (sv->total_bytes_max >= 0)
		kh_set_param("total_bytes_max", sv->total_bytes_max);
	if (!sv->fill)
		return;
	if (sv->fill->prefix)
		kh_fill_unlink(sv->fill->prefix, sv->fill->created);
	munmap(sv->fill, sizeof(*sv->fill));
}

FIXTURE(budget) {
	struct saved sv;
};

FIXTURE_SETUP(budget)
{
	ASSERT_EQ(0, saved_setup(&self->sv));
}

FIXTURE_TEARDOWN(budget)
{
	saved_restore(&self->sv);
}

FIXTURE(fill) {
	struct saved sv;
};

FIXTURE_SETUP(fill)
{
	ASSERT_EQ(0, saved_setup(&self->sv));
}

FIXTURE_TEARDOWN(fill)
{
	saved_restore(&self->sv);
}

/* A child that becomes @uid and runs @f; its exit status. */
static int fill_as(uid_t uid, struct kh_fill *f, const struct kh_limits *l)
{
	pid_t pid = fork();

	if (pid == 0) {
		kh_become(uid, KH_FILL_MAX_FDS + 64);
		kh_fill_run(f, l);
		_exit(0);
	}
	return pid < 0 ? -1 : kt_wait_child(pid);
}

/* Status of a child that, as @uid, uses a new queue: 0 if it works. */
static int bystander_uses_a_queue(uid_t uid)
{
	pid_t pid = fork();

	if (pid == 0) {
		char out[64] = "still served", in[64] = "";
		int fd;

		kh_become(uid, 0);
		fd = kt_anon(O_RDWR, 4, 4096);
		if (fd < 0)
			_exit(1);
		if (kt_send(fd, out, sizeof(out), 0, KIPC_MSG_NONBLOCK, 0) ||
		    kt_recv(fd, in, sizeof(in), NULL, KIPC_MSG_NONBLOCK, 0) != sizeof(out))
			_exit(2);
		_exit(memcmp(in, out, sizeof(out)) ? 3 : 0);
	}
	return pid < 0 ? -1 : kt_wait_child(pid);
}

/*
 * The errno a child of @uid gets creating an anonymous queue of @maxmsg x
 * @msgsize, or a buffer of that many bytes; 0 if it may.
 */
static int create_errno(uid_t uid, enum kh_kind kind, __u32 msgsize, __u32 maxmsg)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd;

		kh_become(uid, 0);
		fd = kind == KH_QUEUE ? kt_anon(O_RDWR, maxmsg, msgsize) :
					kt_shbuf_anon((__u64)maxmsg * msgsize, 0);
		_exit(fd < 0 ? -fd : 0);
	}
	return pid < 0 ? -1 : kt_wait_child(pid);
}

FIXTURE_VARIANT(fill) {
	enum kh_kind kind;
	const char *prefix;
};

FIXTURE_VARIANT_ADD(fill, queues) {
	.kind = KH_QUEUE,
	.prefix = "hostile-q",
};

FIXTURE_VARIANT_ADD(fill, shbufs) {
	.kind = KH_SHBUF,
	.prefix = "hostile-b",
};

/*
 * The attack the budget answers: named objects as big as allowed, filled, left
 * behind by a creator that exits. The machine must lose at most the budget.
 */
TEST_F_TIMEOUT(fill, everything_allowed_costs_at_most_the_budget, 600)
{
	struct kh_fill *f = self->sv.fill;
	struct kh_account before, after;
	long long m0, m1, m2, k0, k1;
	struct kh_limits l;
	int expect;

	KH_NEED_LIMITS(&l);
	ASSERT_EQ(0, kh_account_of(HOSTILE, &before));
	ASSERT_TRUE(before.have) TH_LOG("STATS_GET has no KIPC_A_USER_BYTES");
	m0 = kh_mem_settled();
	k0 = kh_oom_kills();
	ASSERT_LT(0, m0);
	if (l.user_bytes_max > m0 / 4)
		SKIP(return, "user_bytes_max %lld is over a quarter of MemAvailable %lld",
		     l.user_bytes_max, m0);

	f->kind = variant->kind;
	f->prefix = variant->prefix;
	f->fill = true;
	f->guard = l.user_bytes_max;
	f->mem_floor = m0 / 2;
	ASSERT_EQ(0, fill_as(HOSTILE, f, &l));
	m1 = kh_mem_settled();
	k1 = kh_oom_kills();
	TH_LOG("%d objects, %llu bytes granted, %llu filled; refused %d (EDQUOT %d EMFILE %d ENOSPC %d); MemAvailable %lld -> %lld MiB",
	       f->created, (unsigned long long)f->granted, (unsigned long long)f->filled,
	       f->refusals, f->edquot, f->emfile, f->enospc, m0 >> 20, m1 >> 20);

	/* the module said no, with the right errno, before the budget ran out */
	EXPECT_EQ(0, f->other_errno) TH_LOG("refused with %s", strerror(f->other_errno));
	EXPECT_FALSE(f->over_guard) TH_LOG("granted past user_bytes_max");
	EXPECT_FALSE(f->mem_low) TH_LOG("MemAvailable fell under half while filling");
	EXPECT_EQ(0, f->fill_errno) TH_LOG("a send into reserved room: %s", strerror(f->fill_errno));
	EXPECT_LT(0, f->created);
	EXPECT_LE(f->granted, (__u64)l.user_bytes_max);
	expect = l.total_bytes_max - (long long)before.total_bytes < l.user_bytes_max ?
		 ENOSPC : EDQUOT;
	EXPECT_EQ(expect, f->last_errno);

	/* and the machine lost no more than that */
	EXPECT_EQ(k0, k1) TH_LOG("OOM kills: %lld -> %lld", k0, k1);
	EXPECT_LE(m0 - m1, l.user_bytes_max + (long long)KH_MEM_SLACK);
	EXPECT_GE(m1, m0 / 2);

	/* the charge outlives the creator, and is what STATS_GET says */
	ASSERT_EQ(0, kh_account_of(HOSTILE, &after));
	EXPECT_LE(after.user_bytes, after.user_bytes_max);
	EXPECT_EQ((__u64)l.user_bytes_max, after.user_bytes_max);
	EXPECT_GE(after.user_bytes - before.user_bytes, f->granted);
	EXPECT_GE(after.user_bytes, (__u64)l.user_bytes_max / 2)
		TH_LOG("refused at %llu bytes: charged far more than was granted",
		       (unsigned long long)after.user_bytes);
	if (variant->kind == KH_QUEUE) {
		EXPECT_EQ(before.user_queues + f->created, after.user_queues);
	} else {
		EXPECT_EQ(before.user_shbufs + f->created, after.user_shbufs);
	}
	/* so the creator's death gave nothing back */
	EXPECT_EQ(expect, create_errno(HOSTILE, variant->kind, kh_msgsize(&l), 1));

	/* others are still served */
	EXPECT_EQ(0, bystander_uses_a_queue(BYSTANDER));

	/* destroying the objects releases their charge and their memory */
	EXPECT_EQ(f->created, kh_fill_unlink(f->prefix, f->created));
	f->prefix = NULL;
	EXPECT_EQ(before.user_bytes, kh_wait_user_bytes(HOSTILE, before.user_bytes, 5000));
	m2 = kh_mem_settled();
	EXPECT_GE(m2, m0 - (long long)KH_MEM_SLACK) TH_LOG("MemAvailable %lld MiB after unlink",
							   m2 >> 20);
}

/*
 * Object counts: max_queues_per_user queues and max_shbufs_per_user buffers,
 * then EMFILE, over the ioctl and over netlink (with its extack message);
 * a destroyed object gives its slot back.
 */
TEST_F_TIMEOUT(budget, object_counts_end_in_emfile, 300)
{
	struct kh_account a;
	struct kh_limits l;
	pid_t pid;

	KH_NEED_LIMITS(&l);
	if (l.max_queues + l.max_shbufs > 4000)
		SKIP(return, "max_queues_per_user %lld + max_shbufs_per_user %lld: too many files",
		     l.max_queues, l.max_shbufs);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kh_account a;
		struct nl_sock *s = malloc(sizeof(*s));
		struct nl_req r;
		int fd = -1, first = -1;
		long long n;

		kh_become(COUNTER, l.max_queues + l.max_shbufs + 64);
		for (n = 0; (fd = kt_anon(O_RDWR, 1, 64)) >= 0; n++)
			if (first < 0)
				first = fd;
		if (fd != -EMFILE || n != l.max_queues)
			_exit(10);
		for (n = 0; (fd = kt_shbuf_anon(4096, 0)) >= 0; n++)
			;
		if (fd != -EMFILE || n != l.max_shbufs)
			_exit(11);
		if (!s || nl_open(s) || kh_stats_get(s, &a))
			_exit(12);
		if (a.user_queues != l.max_queues || a.user_shbufs != l.max_shbufs)
			_exit(13);
		nl_init(s, &r, s->family, KIPC_CMD_OBJ_NEW, 0);
		nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
		nl_put_str(&r, KIPC_A_NAME, "hostile-count");
		if (nl_talk(s, &r, NULL, NULL) != -EMFILE ||
		    strcmp(s->errmsg, "too many objects for this user"))
			_exit(14);
		close(first);
		fd = kt_anon(O_RDWR, 1, 64);
		_exit(fd < 0 ? 15 : 0);
	}
	EXPECT_EQ(0, kt_wait_child(pid))
		TH_LOG("10/11: count not EMFILE at the limit, 12/13: STATS_GET counts, 14: netlink, 15: slot not given back");
	/* all of them died with the child */
	ASSERT_EQ(0, kh_account_of(COUNTER, &a));
	EXPECT_EQ(0, a.user_queues);
	EXPECT_EQ(0, a.user_shbufs);
	EXPECT_EQ(0, a.user_bytes);
}

/*
 * Refusals over netlink name the limit (extack); raising a queue's maxmsg
 * is charged like a creation, lowering it keeps the reservation; root
 * (CAP_SYS_RESOURCE) passes the budget. A small budget makes it quick.
 */
TEST_F_TIMEOUT(budget, netlink_creation_and_growth_are_charged, 300)
{
	__u32 msgsize;
	struct kh_limits l;
	pid_t pid;
	int fd;

	KH_NEED_LIMITS(&l);
	msgsize = kh_msgsize(&l);
	if (l.msg_max < 16 || (long long)msgsize * 16 > l.queue_bytes_max)
		SKIP(return, "msg_max %lld / queue_bytes_max %lld too small for the shapes",
		     l.msg_max, l.queue_bytes_max);
	/*
	 * Room for a queue of 2 messages, with any slack and rounding the
	 * module adds, and never for one of 16: its capacity alone is the
	 * whole budget.
	 */
	ASSERT_EQ(0, kh_set_param("user_bytes_max", 16 * (long long)msgsize));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct nl_sock *s = malloc(sizeof(*s));
		struct kh_account a0, a1, a2;
		struct nl_req r;

		kh_become(HOSTILE, 0);
		if (!s || nl_open(s) || kh_stats_get(s, &a0))
			_exit(1);
		nl_init(s, &r, s->family, KIPC_CMD_OBJ_NEW, 0);
		nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
		nl_put_str(&r, KIPC_A_NAME, "hostile-grow");
		nl_put_u32(&r, KIPC_A_MAXMSG, 16);
		nl_put_u32(&r, KIPC_A_MSGSIZE, msgsize);
		if (nl_talk(s, &r, NULL, NULL) != -EDQUOT ||
		    strcmp(s->errmsg, "over the per-user byte budget (user_bytes_max)"))
			_exit(2);
		nl_init(s, &r, s->family, KIPC_CMD_OBJ_NEW, 0);
		nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
		nl_put_str(&r, KIPC_A_NAME, "hostile-grow");
		nl_put_u32(&r, KIPC_A_MAXMSG, 1);
		nl_put_u32(&r, KIPC_A_MSGSIZE, msgsize);
		if (nl_talk(s, &r, NULL, NULL) || kh_stats_get(s, &a1) ||
		    a1.user_bytes < a0.user_bytes + msgsize)
			_exit(3);
		/* growing past the budget is refused and changes nothing */
		nl_init(s, &r, s->family, KIPC_CMD_OBJ_SET, 0);
		nl_put_str(&r, KIPC_A_NAME, "hostile-grow");
		nl_put_u32(&r, KIPC_A_MAXMSG, 16);
		if (nl_talk(s, &r, NULL, NULL) != -EDQUOT ||
		    strcmp(s->errmsg, "over the per-user byte budget (user_bytes_max)"))
			_exit(4);
		if (kh_stats_get(s, &a2) || a2.user_bytes != a1.user_bytes)
			_exit(5);
		/* growing within it is charged */
		nl_init(s, &r, s->family, KIPC_CMD_OBJ_SET, 0);
		nl_put_str(&r, KIPC_A_NAME, "hostile-grow");
		nl_put_u32(&r, KIPC_A_MAXMSG, 2);
		if (nl_talk(s, &r, NULL, NULL) || kh_stats_get(s, &a2) ||
		    a2.user_bytes < a1.user_bytes + msgsize)
			_exit(6);
		/* shrinking keeps the reservation */
		nl_init(s, &r, s->family, KIPC_CMD_OBJ_SET, 0);
		nl_put_str(&r, KIPC_A_NAME, "hostile-grow");
		nl_put_u32(&r, KIPC_A_MAXMSG, 1);
		a1 = a2;
		if (nl_talk(s, &r, NULL, NULL) || kh_stats_get(s, &a2) ||
		    a2.user_bytes != a1.user_bytes)
			_exit(7);
		/* and deleting gives it all back */
		nl_init(s, &r, s->family, KIPC_CMD_OBJ_DEL, 0);
		nl_put_str(&r, KIPC_A_NAME, "hostile-grow");
		if (nl_talk(s, &r, NULL, NULL) || kh_stats_get(s, &a2) ||
		    a2.user_bytes != a0.user_bytes)
			_exit(8);
		_exit(0);
	}
	EXPECT_EQ(0, kt_wait_child(pid))
		TH_LOG("2: OBJ_NEW over budget, 3: charge, 4/5: OBJ_SET over budget, 6: growth, 7: shrink, 8: release");
	/* the same shapes over the ioctl */
	EXPECT_EQ(EDQUOT, create_errno(HOSTILE, KH_QUEUE, msgsize, 16));
	EXPECT_EQ(EDQUOT, create_errno(HOSTILE, KH_SHBUF, msgsize, 16));
	/* CAP_SYS_RESOURCE in the initial namespace passes it */
	fd = kt_anon(O_RDWR, 16, msgsize);
	EXPECT_LE(0, fd) TH_LOG("root refused: %s", strerror(-fd));
	if (fd >= 0)
		close(fd);
}

/*
 * total_bytes_max: users who each stay within their budget still cannot
 * reserve more than the ceiling together (ENOSPC); root still can.
 */
TEST_F_TIMEOUT(budget, the_ceiling_for_all_users_holds, 600)
{
	enum { USERS = 4 };
	struct kh_fill *f[USERS];
	struct kh_account root;
	int release[2], done[2];
	__u64 granted = 0, ceiling;
	int enospc = 0, fd;
	struct kh_limits l;
	pid_t pids[USERS];

	KH_NEED_LIMITS(&l);
	ASSERT_EQ(0, kh_account_of(0, &root));
	ASSERT_TRUE(root.have);
	/* two and a half budgets above what others hold now: the third user hits it */
	ceiling = root.total_bytes + 2 * l.user_bytes_max + l.user_bytes_max / 2;
	ASSERT_EQ(0, kh_set_param("total_bytes_max", ceiling));
	ASSERT_EQ(0, pipe(release));
	for (int u = 0; u < USERS; u++) {
		f[u] = kh_shared(sizeof(*f[u]));
		ASSERT_NE(NULL, f[u]);
		f[u]->kind = u % 2 ? KH_SHBUF : KH_QUEUE;
		f[u]->guard = l.user_bytes_max;
		ASSERT_EQ(0, pipe(done));
		pids[u] = fork();
		ASSERT_LE(0, pids[u]);
		if (pids[u] == 0) {
			close(release[1]);
			kh_become(CEILING_UID + u, KH_FILL_MAX_FDS + 64);
			kh_fill_run(f[u], &l);	/* anonymous: held until released */
			kh_signal(done[1]);
			kh_wait(release[0]);
			_exit(0);
		}
		close(done[1]);
		ASSERT_TRUE(kh_wait(done[0]));
		close(done[0]);
		granted += f[u]->granted;
		enospc += f[u]->enospc;
		TH_LOG("user %d: %d objects, %llu bytes; EDQUOT %d ENOSPC %d other %d",
		       CEILING_UID + u, f[u]->created, (unsigned long long)f[u]->granted,
		       f[u]->edquot, f[u]->enospc, f[u]->other_errno);
		EXPECT_EQ(0, f[u]->other_errno);
		EXPECT_FALSE(f[u]->over_guard);
		EXPECT_LE(f[u]->granted, (__u64)l.user_bytes_max);
	}
	EXPECT_LT(0, enospc);
	EXPECT_LE(granted, ceiling - root.total_bytes);
	ASSERT_EQ(0, kh_account_of(0, &root));
	EXPECT_EQ(ceiling, root.total_bytes_max);
	EXPECT_LE(root.total_bytes, root.total_bytes_max);
	/* the last user got nothing much: the ceiling, not its budget, said no */
	EXPECT_LT(f[USERS - 1]->granted, (__u64)l.user_bytes_max / 2);
	/* root passes the ceiling */
	fd = kt_anon(O_RDWR, 4, kh_msgsize(&l));
	EXPECT_LE(0, fd) TH_LOG("root refused: %s", strerror(-fd));
	if (fd >= 0)
		close(fd);

	close(release[1]);
	for (int u = 0; u < USERS; u++) {
		EXPECT_EQ(0, kt_wait_child(pids[u]));
		munmap(f[u], sizeof(*f[u]));
	}
	for (int u = 0; u < USERS; u++) {
		EXPECT_EQ(0, kh_wait_user_bytes(CEILING_UID + u, 0, 5000));
	}
}

TEST_HARNESS_MAIN
