// SPDX-License-Identifier: GPL-2.0
/*
 * The CVE-2014-0181 pattern against the "kipc" netlink family: nobody opens
 * a NETLINK_GENERIC socket, makes it the standard output of a setuid-root
 * program that writes attacker-chosen bytes (helpers/kipc_setuid_write), and
 * has it write a kipc request. kipc must judge the request by the socket's
 * opener (nobody), not by the writer (root): changing or removing root's
 * 0600 queue is EPERM, and a creation is charged to nobody's budget with
 * no CAP_SYS_RESOURCE to pass it. The ack goes to the socket, which nobody
 * still holds, so nobody reads the verdict.
 *
 * A control run first: the same path changes nobody's own queue, so a
 * refusal is the permission check and not a request that never arrived.
 */
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "kipc_hostile.h"

#define HELPER		"kipc_setuid_write"
#define VICTIM		"suid-victim"
#define MINE		"suid-mine"
#define BIG		"suid-big"

struct verdict {
	int setup;	/* non-zero: the child failed before the attack */
	int helper;	/* the helper's exit status */
	int ack;	/* the error in the ack: 0, -errno, or 1 if none came */
};

/* Copy the built helper into a private directory and make it setuid root. */
static int install_helper(char *dir, size_t dirlen, char *path, size_t pathlen)
{
	char self[PATH_MAX], src[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int in, out, ret = 0;
	char buf[65536];

	if (n < 0)
		return -errno;
	self[n] = 0;
	snprintf(src, sizeof(src), "%s/helpers/" HELPER, dirname(self));
	snprintf(dir, dirlen, "/tmp/kipc-suid-XXXXXX");
	if (!mkdtemp(dir) || chmod(dir, 0755))
		return -errno;
	snprintf(path, pathlen, "%s/" HELPER, dir);
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (out < 0) {
		close(in);
		return -errno;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			ret = -EIO;
			break;
		}
	close(in);
	if (close(out) || n < 0)
		ret = ret ?: -EIO;
	if (!ret && (chown(path, 0, 0) || chmod(path, 04755)))
		ret = -errno;
	return ret;
}

/* nobody's view of the helper's euid: what it printed, or -1. */
static int helper_euid(const char *helper)
{
	int p[2];
	char out[16] = "";
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		kh_become(KT_NOBODY, 0);
		dup2(p[1], 1);
		execl(helper, helper, "--euid", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], out, sizeof(out) - 1) <= 0)
		out[0] = 0;
	close(p[0]);
	if (pid < 0 || kt_wait_child(pid))
		return -1;
	return out[0] ? atoi(out) : -1;
}

/* Wait up to 5 s for the ack of @seq on @s: its error, or 1 if none came. */
static int read_ack(struct nl_sock *s, __u32 seq)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

	while (poll(&pfd, 1, 5000) == 1) {
		int n = recv(s->fd, s->buf, sizeof(s->buf), 0);
		struct nlmsghdr *nlh;

		if (n <= 0)
			break;
		for (nlh = (struct nlmsghdr *)s->buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n))
			if (nlh->nlmsg_seq == seq && nlh->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
	}
	return 1;
}

/*
 * As nobody: open and resolve a socket, have @build fill a request, make
 * the setuid helper write it to the socket, read the ack.
 */
static void attack(const char *helper, struct verdict *v,
		   void (*build)(struct nl_sock *s, struct nl_req *r))
{
	pid_t pid = fork();

	if (pid == 0) {
		struct nl_sock *s = malloc(sizeof(*s));
		char hex[2 * sizeof(struct nl_req) + 1];
		struct nl_req r;
		pid_t writer;

		kh_become(KT_NOBODY, 0);
		if (!s || nl_open(s)) {
			v->setup = 1;
			_exit(0);
		}
		build(s, &r);
		for (__u32 i = 0; i < r.nlh.nlmsg_len; i++)
			sprintf(hex + 2 * i, "%02x", ((unsigned char *)&r)[i]);
		writer = fork();
		if (writer == 0) {
			/* dup2 clears close-on-exec: the socket is the helper's stdout */
			if (dup2(s->fd, 1) != 1)
				_exit(126);
			execl(helper, helper, hex, (char *)NULL);
			_exit(127);
		}
		v->helper = writer < 0 ? -1 : kt_wait_child(writer);
		v->ack = read_ack(s, r.nlh.nlmsg_seq);
		_exit(0);
	}
	if (pid < 0 || kt_wait_child(pid))
		v->setup = 2;
}

static void set_mode(struct nl_sock *s, struct nl_req *r, const char *name, __u32 mode)
{
	nl_init(s, r, s->family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(r, KIPC_A_NAME, name);
	nl_put_u32(r, KIPC_A_MODE, mode);
}

static void set_victim_mode(struct nl_sock *s, struct nl_req *r)
{
	set_mode(s, r, VICTIM, 0666);
}

static void set_mine_mode(struct nl_sock *s, struct nl_req *r)
{
	set_mode(s, r, MINE, 0644);
}

static void del_victim(struct nl_sock *s, struct nl_req *r)
{
	nl_init(s, r, s->family, KIPC_CMD_OBJ_DEL, 0);
	nl_put_str(r, KIPC_A_NAME, VICTIM);
}

/* A queue whose capacity alone is the whole budget: only root may pass it. */
static __u32 big_maxmsg;
static __u32 big_msgsize;

static void new_big(struct nl_sock *s, struct nl_req *r)
{
	nl_init(s, r, s->family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(r, KIPC_A_NAME, BIG);
	nl_put_u32(r, KIPC_A_MAXMSG, big_maxmsg);
	nl_put_u32(r, KIPC_A_MSGSIZE, big_msgsize);
}

static __u32 mode_of(const char *name)
{
	struct kipc_stats st;
	int fd = kt_queue(name, O_RDONLY, 0, 0, 0, 0);
	__u32 mode = ~0u;

	if (fd < 0)
		return mode;
	if (!kt_stats(fd, &st))
		mode = st.mode;
	close(fd);
	return mode;
}

FIXTURE(suid) {
	char dir[64];
	char helper[128];
	struct verdict *v;
	int victim;
	long long user_bytes_max;
};

FIXTURE_SETUP(suid)
{
	int ret;

	umask(0);
	self->v = kh_shared(sizeof(*self->v));
	ASSERT_NE(NULL, self->v);
	self->user_bytes_max = kt_param("user_bytes_max");
	kt_unlink(VICTIM);
	kt_unlink(MINE);
	kt_unlink(BIG);
	self->victim = kt_queue(VICTIM, O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, 4, 64);
	ASSERT_LE(0, self->victim);
	ret = install_helper(self->dir, sizeof(self->dir), self->helper, sizeof(self->helper));
	ASSERT_EQ(0, ret) TH_LOG("installing the setuid helper: %s", strerror(-ret));
	/* without a working setuid bit the attack would prove nothing */
	ASSERT_EQ(0, helper_euid(self->helper)) TH_LOG("the helper does not run as root");
}

FIXTURE_TEARDOWN(suid)
{
	unlink(self->helper);
	rmdir(self->dir);
	kt_unlink(VICTIM);
	kt_unlink(MINE);
	kt_unlink(BIG);
	close(self->victim);
	if (self->user_bytes_max >= 0)
		kh_set_param("user_bytes_max", self->user_bytes_max);
	munmap(self->v, sizeof(*self->v));
}

TEST_F_TIMEOUT(suid, the_path_delivers_requests, 120)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		kh_become(KT_NOBODY, 0);
		fd = kt_queue(MINE, O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, 4, 64);
		_exit(fd < 0 ? 1 : 0);
	}
	ASSERT_EQ(0, kt_wait_child(pid));
	attack(self->helper, self->v, set_mine_mode);
	ASSERT_EQ(0, self->v->setup);
	EXPECT_EQ(0, self->v->helper);
	EXPECT_EQ(0, self->v->ack) TH_LOG("ack %d", self->v->ack);
	EXPECT_EQ(0644, mode_of(MINE));
}

TEST_F_TIMEOUT(suid, a_setuid_writer_cannot_change_roots_queue, 120)
{
	attack(self->helper, self->v, set_victim_mode);
	ASSERT_EQ(0, self->v->setup);
	EXPECT_EQ(0, self->v->helper) TH_LOG("the helper's write to the socket failed");
	EXPECT_EQ(-EPERM, self->v->ack) TH_LOG("ack %d", self->v->ack);
	EXPECT_EQ(0600, mode_of(VICTIM));
}

TEST_F_TIMEOUT(suid, a_setuid_writer_cannot_unlink_roots_queue, 120)
{
	attack(self->helper, self->v, del_victim);
	ASSERT_EQ(0, self->v->setup);
	EXPECT_EQ(0, self->v->helper);
	EXPECT_EQ(-EPERM, self->v->ack) TH_LOG("ack %d", self->v->ack);
	EXPECT_EQ(0600, mode_of(VICTIM)) TH_LOG("the name is gone");
}

TEST_F_TIMEOUT(suid, a_setuid_writer_lends_no_budget_bypass, 120)
{
	struct kh_limits l;

	KH_NEED_LIMITS(&l);
	big_msgsize = l.msgsize_max < 4096 ? l.msgsize_max : 4096;
	big_maxmsg = 64;
	if (l.msg_max < big_maxmsg)
		SKIP(return, "msg_max %lld under %u", l.msg_max, big_maxmsg);
	/* the capacity alone is the budget: with any overhead, it is over */
	ASSERT_EQ(0, kh_set_param("user_bytes_max", (long long)big_maxmsg * big_msgsize));
	attack(self->helper, self->v, new_big);
	ASSERT_EQ(0, self->v->setup);
	EXPECT_EQ(0, self->v->helper);
	EXPECT_EQ(-EDQUOT, self->v->ack) TH_LOG("ack %d", self->v->ack);
	EXPECT_EQ(-ENOENT, kt_queue(BIG, O_RDONLY, 0, 0, 0, 0));
}

TEST_HARNESS_MAIN
