// SPDX-License-Identifier: GPL-2.0
/*
 * Sender credentials (KIPC_QUEUE_CREDS, KIPC_IOC_RECVMSG; ABI 5): every
 * message of a queue created with the option carries the sending process's
 * tgid, real uid and real gid, taken by the kernel at send and translated
 * at receive into the receiving task's pid and user namespaces, as
 * SCM_CREDENTIALS. They are the sender's, not the opener's: nobody writing
 * into a descriptor root opened shows as nobody. A queue without the
 * option reports none; RECVMSG works on any queue; its write-back comes
 * before the message is let go. The queue options' validation (ioctl and
 * netlink) is here too.
 */
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kipc_test.h"
#include "kipc_nl.h"
#include "libkipc.h"

/* An anonymous queue with @options, or -errno. */
static int q_opts(__u32 options, int oflag)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = KIPC_OPEN_ANON,
		.mode = 0600,
		.maxmsg = 8,
		.msgsize = 64,
		.options = options,
	};
	int fd = kt_open_dev(oflag), ret;

	if (fd < 0)
		return fd;
	ret = kt_err(ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo));
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}

/* KIPC_IOC_RECVMSG, non-blocking; @m is filled with garbage first. */
static int recvmsg_nb(int fd, void *buf, __u32 cap, struct kipc_recvmsg *m)
{
	memset(m, 0x5a, sizeof(*m));
	m->size = sizeof(*m);
	m->flags = KIPC_MSG_NONBLOCK;
	m->buf = (uintptr_t)buf;
	m->len = cap;
	m->deadline_ns = 0;
	/* ABI 6: no descriptors wanted (these are inputs, checked). */
	m->fds = 0;
	m->nfds = 0;
	m->fd_flags = 0;
	return kt_err(ioctl(fd, KIPC_IOC_RECVMSG, m));
}

static int curmsgs(int fd)
{
	struct kipc_stats st;

	return kt_stats(fd, &st) ? -1 : (int)st.curmsgs;
}

/* Expect the next message to be @text from @pid, @uid, @gid. */
#define EXPECT_FROM(fd, text, pid_, uid_, gid_) do {			\
	struct kipc_recvmsg m_;						\
	char b_[64] = "";						\
									\
	ASSERT_EQ((int)strlen(text), recvmsg_nb(fd, b_, sizeof(b_), &m_)); \
	EXPECT_EQ(0, memcmp(b_, text, strlen(text)));			\
	EXPECT_EQ(strlen(text), m_.len);				\
	EXPECT_EQ(KIPC_HDR_CREDS, m_.hdr_flags);			\
	EXPECT_EQ((pid_t)(pid_), m_.pid);				\
	EXPECT_EQ((uid_t)(uid_), m_.uid);				\
	EXPECT_EQ((gid_t)(gid_), m_.gid);				\
} while (0)

/* Each way of sending, from a child: its pid, not ours. */
TEST(every_send_path)
{
	int q = q_opts(KIPC_QUEUE_CREDS, O_RDWR);
	int reply = kt_anon(O_RDWR, 4, 64);
	pid_t pid;

	ASSERT_LE(0, q);
	ASSERT_LE(0, reply);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_mvec vec[3] = {
			{ .buf = (uintptr_t)"b0", .len = 2 },
			{ .buf = (uintptr_t)"b1", .len = 2, .prio = 1 },
			{ .buf = (uintptr_t)"b2", .len = 2, .prio = 40 },
		};
		struct kipc_batch b = {
			.size = sizeof(b), .vec = (uintptr_t)vec, .count = 3,
		};
		char rbuf[8];
		struct kipc_sendrecv sr = {
			.size = sizeof(sr),
			.flags = KIPC_MSG_NONBLOCK,
			.recv_fd = reply,
			.send_buf = (uintptr_t)"sr",
			.send_len = 2,
			.recv_buf = (uintptr_t)rbuf,
			.recv_len = sizeof(rbuf),
		};

		if (write(q, "wr", 2) != 2)
			_exit(1);
		if (kt_send(q, "io", 2, 0, 0, 0))
			_exit(2);
		if (ioctl(q, KIPC_IOC_SEND_BATCH, &b) != 3)
			_exit(3);
		/* Its send half: no reply is queued, so EAGAIN once sent. */
		if (ioctl(q, KIPC_IOC_SENDRECV, &sr) != -1 || errno != EAGAIN ||
		    sr.result != KIPC_SENDRECV_SENT)
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(0, kt_wait_child(pid));
	ASSERT_EQ(6, curmsgs(q));
	/* Priority order: 40, 1, then the zeros as sent. */
	EXPECT_FROM(q, "b2", pid, getuid(), getgid());
	EXPECT_FROM(q, "b1", pid, getuid(), getgid());
	EXPECT_FROM(q, "wr", pid, getuid(), getgid());
	EXPECT_FROM(q, "io", pid, getuid(), getgid());
	EXPECT_FROM(q, "b0", pid, getuid(), getgid());
	EXPECT_FROM(q, "sr", pid, getuid(), getgid());
	/* Ours, for once, and read(2) still works on such a queue. */
	ASSERT_EQ(0, kt_send(q, "me", 2, 0, 0, 0));
	EXPECT_FROM(q, "me", getpid(), getuid(), getgid());
	close(q);
	close(reply);
}

/*
 * Credentials are the sender's, never the opener's: nobody writing into a
 * descriptor root opened shows as nobody, as with SCM_CREDENTIALS.
 */
TEST(sender_not_opener)
{
	int q = q_opts(KIPC_QUEUE_CREDS, O_RDWR);
	pid_t pid;

	ASSERT_LE(0, q);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		kt_become_nobody(-1);
		_exit(write(q, "nb", 2) == 2 ? 0 : 1);
	}
	ASSERT_EQ(0, kt_wait_child(pid));
	EXPECT_FROM(q, "nb", pid, KT_NOBODY, KT_NOBODY);
	close(q);
}

/* helpers/kipc_setuid_write, copied to a private directory, setuid root. */
static int install_setuid_helper(char *dir, size_t dirlen, char *path, size_t pathlen)
{
	char self[PATH_MAX], src[PATH_MAX + 32], buf[65536];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int in, out, ret = 0;

	if (n < 0)
		return -errno;
	self[n] = 0;
	snprintf(src, sizeof(src), "%s/helpers/kipc_setuid_write", dirname(self));
	snprintf(dir, dirlen, "/tmp/kipc-creds-XXXXXX");
	if (!mkdtemp(dir) || chmod(dir, 0755))
		return -errno;
	snprintf(path, pathlen, "%s/kipc_setuid_write", dir);
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

/*
 * CVE-2014-0181's setting: nobody makes root's descriptor of the queue
 * the standard output of a setuid-root program, which writes a message.
 * The message reads as nobody's (the real ids, which a setuid program
 * keeps, as SCM_CREDENTIALS), not root's, nor the opener's.
 */
TEST(setuid_writer_shows_its_caller)
{
	char dir[64], helper[128];
	int q = q_opts(KIPC_QUEUE_CREDS, O_RDWR);
	pid_t pid;
	int ret;

	ASSERT_LE(0, q);
	ret = install_setuid_helper(dir, sizeof(dir), helper, sizeof(helper));
	ASSERT_EQ(0, ret) TH_LOG("installing the setuid helper: %s", strerror(-ret));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		kt_become_nobody(-1);
		if (dup2(q, 1) != 1)
			_exit(101);
		execl(helper, helper, "6869", (char *)NULL);	/* "hi" */
		_exit(127);
	}
	ret = kt_wait_child(pid);
	unlink(helper);
	rmdir(dir);
	ASSERT_EQ(0, ret);
	EXPECT_FROM(q, "hi", pid, KT_NOBODY, KT_NOBODY);
	close(q);
}

/*
 * Nothing a sender passes sets them: a longer struct kipc_msg with
 * anything in the tail is refused, a batch has no room for them, and what
 * is received is the kernel's.
 */
TEST(cannot_be_forged)
{
	int q = q_opts(KIPC_QUEUE_CREDS, O_RDWR);
	struct {
		struct kipc_msg m;
		__s32 pid;
		__u32 uid;
	} fake = {
		.m = { .size = sizeof(fake), .buf = (uintptr_t)"x", .len = 1 },
		.pid = 1, .uid = 4242,
	};

	ASSERT_LE(0, q);
	EXPECT_EQ(-E2BIG, kt_err(ioctl(q, KT_IOC_SIZED(KIPC_IOC_SEND, sizeof(fake)),
				       &fake)));
	EXPECT_EQ(0, curmsgs(q));
	fake.pid = 0;
	fake.uid = 0;
	EXPECT_EQ(0, kt_err(ioctl(q, KT_IOC_SIZED(KIPC_IOC_SEND, sizeof(fake)),
				  &fake)));
	EXPECT_FROM(q, "x", getpid(), getuid(), getgid());
	close(q);
}

/* A plain queue: RECVMSG works and reports no credentials; zeroes written. */
TEST(plain_queue)
{
	int q = kt_anon(O_RDWR, 4, 64);
	struct kipc_recvmsg m;
	char buf[64];

	ASSERT_LE(0, q);
	ASSERT_EQ(0, kt_send(q, "plain", 5, 3, 0, 0));
	ASSERT_EQ(5, recvmsg_nb(q, buf, sizeof(buf), &m));
	EXPECT_EQ(0, memcmp(buf, "plain", 5));
	EXPECT_EQ(5, m.len);
	EXPECT_EQ(3, m.prio);
	EXPECT_EQ(0, m.hdr_flags);
	EXPECT_EQ(0, m.pid);
	EXPECT_EQ(0, m.uid);
	EXPECT_EQ(0, m.gid);
	/* As KIPC_IOC_RECV: empty, too small, flags. */
	EXPECT_EQ(-EAGAIN, recvmsg_nb(q, buf, sizeof(buf), &m));
	ASSERT_EQ(0, kt_send(q, "plain", 5, 0, 0, 0));
	EXPECT_EQ(-EMSGSIZE, recvmsg_nb(q, buf, 4, &m));
	m.size = sizeof(m);
	m.flags = 0x80;
	m.buf = (uintptr_t)buf;
	m.len = sizeof(buf);
	EXPECT_EQ(-EINVAL, kt_err(ioctl(q, KIPC_IOC_RECVMSG, &m)));
	EXPECT_EQ(1, curmsgs(q));
	close(q);
}

/* KIPC_QUEUE_TRACK alone carries an extension but no credentials. */
TEST(track_only_reports_no_creds)
{
	int q = q_opts(KIPC_QUEUE_TRACK, O_RDWR);
	struct kipc_recvmsg m;
	struct kipc_stats st;
	char buf[64];

	ASSERT_LE(0, q);
	ASSERT_EQ(0, kt_stats(q, &st));
	EXPECT_EQ(KIPC_QUEUE_TRACK, st.options);
	ASSERT_EQ(0, kt_send(q, "t", 1, 0, 0, 0));
	ASSERT_EQ(1, recvmsg_nb(q, buf, sizeof(buf), &m));
	EXPECT_EQ(0, m.hdr_flags & KIPC_HDR_CREDS);
	EXPECT_EQ(0, m.pid);
	EXPECT_EQ(0, m.uid);
	EXPECT_EQ(0, m.gid);
	close(q);
}

/* RECVMSG needs a readable file. */
TEST(recvmsg_needs_read)
{
	int q = q_opts(KIPC_QUEUE_CREDS, O_WRONLY);
	struct kipc_recvmsg m;
	char buf[64];

	ASSERT_LE(0, q);
	ASSERT_EQ(0, kt_send(q, "w", 1, 0, 0, 0));
	EXPECT_EQ(-EBADF, recvmsg_nb(q, buf, sizeof(buf), &m));
	EXPECT_EQ(1, curmsgs(q));
	close(q);
}

/*
 * The header is written before the message is let go: a struct that can
 * be read but not written fails with EFAULT and leaves the message, and
 * its credentials, at the head of the queue.
 */
TEST(recvmsg_fault_requeues)
{
	long page = sysconf(_SC_PAGESIZE);
	int q = q_opts(KIPC_QUEUE_CREDS, O_RDWR);
	struct kipc_recvmsg *ro;
	char buf[64] = "";

	ASSERT_LE(0, q);
	ro = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ro->size = sizeof(*ro);
	ro->flags = KIPC_MSG_NONBLOCK;
	ro->buf = (uintptr_t)buf;
	ro->len = sizeof(buf);
	ASSERT_EQ(0, mprotect(ro, page, PROT_READ));
	ASSERT_EQ(0, kt_send(q, "first", 5, 0, 0, 0));
	ASSERT_EQ(0, kt_send(q, "second", 6, 0, 0, 0));
	EXPECT_EQ(-EFAULT, kt_err(ioctl(q, KIPC_IOC_RECVMSG, ro)));
	EXPECT_EQ(2, curmsgs(q));
	EXPECT_FROM(q, "first", getpid(), getuid(), getgid());
	EXPECT_FROM(q, "second", getpid(), getuid(), getgid());
	munmap(ro, page);
	close(q);
}

/*
 * A sender in a child pid namespace is seen from the parent's as the pid
 * fork() returned; a sender in the parent's is not visible in the child's
 * (0); the child sees itself as 1.
 */
TEST(pid_namespaces)
{
	int q = q_opts(KIPC_QUEUE_CREDS, O_RDWR);
	pid_t pid;

	ASSERT_LE(0, q);
	ASSERT_EQ(0, kt_send(q, "parent", 6, 0, 0, 0));
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_recvmsg m;
		char buf[64];

		if (getpid() != 1)
			_exit(1);
		if (recvmsg_nb(q, buf, sizeof(buf), &m) != 6 ||
		    m.hdr_flags != KIPC_HDR_CREDS || m.pid != 0 ||
		    m.uid != getuid() || m.gid != getgid())
			_exit(2);
		if (kt_send(q, "self", 4, 0, 0, 0) ||
		    recvmsg_nb(q, buf, sizeof(buf), &m) != 4 || m.pid != 1)
			_exit(3);
		if (kt_send(q, "child", 5, 0, 0, 0))
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(0, kt_wait_child(pid));
	ASSERT_EQ(1, curmsgs(q));
	EXPECT_FROM(q, "child", pid, getuid(), getgid());
	close(q);
}

/* Receive one message in a new user namespace, with @map if any, into @out. */
static int recv_in_userns(int q, const char *map, struct kipc_recvmsg *out)
{
	struct kipc_recvmsg *shared;
	int go[2], ready[2], ret;
	char c = 0, buf[64];
	pid_t pid;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || pipe(go) || pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER))
			_exit(10);
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(11);
		_exit(recvmsg_nb(q, buf, sizeof(buf), shared) < 0 ? 12 : 0);
	}
	ret = -1;
	if (pid > 0 && read(ready[0], &c, 1) == 1) {
		char path[64];
		int fd, ok = 1;

		if (map) {
			for (int i = 0; i < 2; i++) {
				snprintf(path, sizeof(path), "/proc/%d/%s", pid,
					 i ? "gid_map" : "uid_map");
				fd = open(path, O_WRONLY | O_CLOEXEC);
				ok &= fd >= 0 && write(fd, map, strlen(map)) ==
						  (ssize_t)strlen(map);
				if (fd >= 0)
					close(fd);
			}
		}
		if (ok && write(go[1], &c, 1) == 1)
			ret = 0;
	}
	close(go[1]);
	if (pid > 0 && kt_wait_child(pid) != 0)
		ret = -1;
	*out = *shared;
	munmap(shared, sizeof(*shared));
	close(go[0]);
	close(ready[0]);
	close(ready[1]);
	return ret;
}

/*
 * In a user namespace where the sender's ids are not mapped the receiver
 * sees the overflow ids; where they are, the mapped values.
 */
TEST(user_namespaces)
{
	int q = q_opts(KIPC_QUEUE_CREDS, O_RDWR);
	struct kipc_recvmsg m;
	pid_t pid;

	ASSERT_LE(0, q);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* uid and gid 4000: mapped below to 7 and 9. */
		if (setgroups(0, NULL) || setresgid(4000, 4000, 4000) ||
		    setresuid(4000, 4000, 4000))
			_exit(100);
		_exit(kt_send(q, "a", 1, 0, 0, 0) || kt_send(q, "b", 1, 0, 0, 0));
	}
	ASSERT_EQ(0, kt_wait_child(pid));
	ASSERT_EQ(0, recv_in_userns(q, NULL, &m));
	EXPECT_EQ(KIPC_HDR_CREDS, m.hdr_flags);
	EXPECT_EQ(pid, m.pid);
	EXPECT_EQ(KT_NOBODY, m.uid);
	EXPECT_EQ(KT_NOBODY, m.gid);
	ASSERT_EQ(0, recv_in_userns(q, "7 4000 1\n", &m));
	EXPECT_EQ(KIPC_HDR_CREDS, m.hdr_flags);
	EXPECT_EQ(pid, m.pid);
	EXPECT_EQ(7, m.uid);
	EXPECT_EQ(7, m.gid);
	close(q);
}

/* Options: unknown bits and a non-zero __reserved are EINVAL; 88 bytes works. */
TEST(open_validation)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = KIPC_OPEN_ANON,
		.mode = 0600,
	};
	struct kipc_stats st;
	int fd = kt_open_dev(O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(KIPC_QUEUE_OPEN_SIZE_VER1, sizeof(qo));
	qo.options = 0x4;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo)));
	qo.options = 0x80000000u | KIPC_QUEUE_CREDS;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo)));
	qo.options = KIPC_QUEUE_CREDS;
	qo.__reserved = 1;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo)));
	/* Still unbound after the refusals. */
	EXPECT_EQ(-EBADFD, kt_stats(fd, &st));
	/* A program built before ABI 5: 88 bytes, no options. */
	qo.size = KIPC_QUEUE_OPEN_SIZE_VER0;
	qo.options = 0;
	qo.__reserved = 0;
	ASSERT_EQ(0, kt_err(ioctl(fd, KT_IOC_SIZED(KIPC_IOC_QUEUE_OPEN,
						    KIPC_QUEUE_OPEN_SIZE_VER0),
				  &qo)));
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(0, st.options);
	close(fd);

	/* Every option that goes with the others (not a broadcast queue's). */
	fd = q_opts(KIPC_QUEUE_CREDS | KIPC_QUEUE_TRACK, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(KIPC_QUEUE_CREDS | KIPC_QUEUE_TRACK, st.options);
	close(fd);
}

/* Opening an existing queue ignores the options: the creator's stay. */
TEST(options_fixed_at_creation)
{
	char name[KIPC_NAME_MAX];
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = KIPC_OPEN_CREATE,
		.mode = 0600,
		.options = KIPC_QUEUE_CREDS,
	};
	struct kipc_stats st;
	int a, b;

	snprintf(name, sizeof(name), "creds_fixed_%d", getpid());
	a = kt_create(name, 4, 64);
	ASSERT_LE(0, a);
	b = kt_open_dev(O_RDWR);
	ASSERT_LE(0, b);
	strcpy(qo.name, name);
	ASSERT_EQ(0, kt_err(ioctl(b, KIPC_IOC_QUEUE_OPEN, &qo)));
	ASSERT_EQ(0, kt_stats(b, &st));
	EXPECT_EQ(0, st.options);
	kt_unlink(name);
	close(a);
	close(b);
}

/*
 * Messages whose senders are gone, and a send that failed after its
 * buffers were taken (a batch's second entry faulting; a single send from
 * an unmapped buffer), then the queue destroyed full: every pid reference
 * is dropped (kmemleak on the debug kernel; put_pid() on garbage would
 * show there too).
 */
TEST(destroyed_with_messages)
{
	for (int round = 0; round < 4; round++) {
		int q = q_opts(round & 1 ? KIPC_QUEUE_CREDS | KIPC_QUEUE_TRACK : KIPC_QUEUE_CREDS,
			       O_RDWR);
		pid_t pid;

		ASSERT_LE(0, q);
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct kipc_mvec vec[2] = {
				{ .buf = (uintptr_t)"ok", .len = 2 },
				{ .buf = 8, .len = 2 },
			};
			struct kipc_batch b = {
				.size = sizeof(b), .vec = (uintptr_t)vec,
				.count = 2,
			};

			if (ioctl(q, KIPC_IOC_SEND_BATCH, &b) != 1)
				_exit(1);
			if (kt_send(q, (void *)8, 2, 0, 0, 0) != -EFAULT)
				_exit(2);
			for (int i = 0; i < 4; i++)
				if (kt_send(q, "gone", 4, i * 40, 0, 0))
					_exit(3);
			_exit(0);
		}
		ASSERT_EQ(0, kt_wait_child(pid));
		EXPECT_EQ(5, curmsgs(q));
		if (round >= 2)
			EXPECT_FROM(q, "gone", pid, getuid(), getgid());
		close(q);
	}
}

/* Netlink: KIPC_A_OPTIONS in OBJ_NEW and in replies; SET refuses it. */
static void opts_cb(struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a = nl_attr(nlh, KIPC_A_OPTIONS);

	*(__s64 *)data = a ? (__s64)nl_u32(nlh, KIPC_A_OPTIONS) : -1;
}

TEST(netlink_options)
{
	char name[KIPC_NAME_MAX], shb[KIPC_NAME_MAX];
	struct nl_sock s;
	struct nl_req r;
	__s64 opts = -2;
	int q;

	snprintf(name, sizeof(name), "creds_nl_%d", getpid());
	snprintf(shb, sizeof(shb), "creds_nlsh_%d", getpid());
	ASSERT_EQ(0, nl_open(&s));
	nl_init(&s, &r, s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&r, KIPC_A_NAME, name);
	nl_put_u32(&r, KIPC_A_OPTIONS, 0x4);
	EXPECT_EQ(-EINVAL, nl_talk(&s, &r, NULL, NULL));
	nl_init(&s, &r, s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_SHBUF);
	nl_put_str(&r, KIPC_A_NAME, shb);
	nl_put_u64(&r, KIPC_A_SIZE, 4096);
	nl_put_u32(&r, KIPC_A_OPTIONS, KIPC_QUEUE_CREDS);
	EXPECT_EQ(-EINVAL, nl_talk(&s, &r, NULL, NULL));
	EXPECT_STREQ("only queues have options", s.errmsg);

	nl_init(&s, &r, s.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&r, KIPC_A_NAME, name);
	nl_put_u32(&r, KIPC_A_OPTIONS, KIPC_QUEUE_CREDS);
	ASSERT_EQ(0, nl_talk(&s, &r, opts_cb, &opts));
	EXPECT_EQ(KIPC_QUEUE_CREDS, opts);
	opts = -2;
	nl_init(&s, &r, s.family, KIPC_CMD_OBJ_GET, 0);
	nl_put_str(&r, KIPC_A_NAME, name);
	ASSERT_EQ(0, nl_talk(&s, &r, opts_cb, &opts));
	EXPECT_EQ(KIPC_QUEUE_CREDS, opts);
	nl_init(&s, &r, s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, name);
	nl_put_u32(&r, KIPC_A_OPTIONS, 0);
	EXPECT_EQ(-EINVAL, nl_talk(&s, &r, NULL, NULL));
	EXPECT_STREQ("options cannot change after creation", s.errmsg);

	/* The queue netlink made carries credentials through /dev/kipc. */
	q = kt_queue(name, O_RDWR, 0, 0, 0, 0);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, kt_send(q, "nl", 2, 0, 0, 0));
	EXPECT_FROM(q, "nl", getpid(), getuid(), getgid());
	close(q);
	kt_unlink(name);
	nl_close(&s);
}

/* libkipc: kipc_queue_how.options, kipc_receive_from() and its timed twin. */
TEST(libkipc_receive_from)
{
	struct kipc_queue_how how = {
		.maxmsg = 4, .msgsize = 64, .options = KIPC_QUEUE_CREDS,
	};
	struct kipc_sender from;
	struct kipc_stats st;
	struct timespec dl;
	unsigned int prio;
	char buf[64];
	int q, plain;

	q = kipc_queue_anon2(O_RDWR, &how, sizeof(how));
	ASSERT_LE(0, q);
	ASSERT_EQ(0, kipc_get_stats(q, &st));
	EXPECT_EQ(KIPC_QUEUE_CREDS, st.options);
	ASSERT_EQ(0, kipc_send(q, "lib", 3, 5));
	memset(&from, 0x5a, sizeof(from));
	ASSERT_EQ(3, kipc_receive_from(q, buf, sizeof(buf), &prio, &from));
	EXPECT_EQ(5, prio);
	EXPECT_EQ(KIPC_HDR_CREDS, from.flags);
	EXPECT_EQ(getpid(), from.pid);
	EXPECT_EQ(getuid(), from.uid);
	EXPECT_EQ(getgid(), from.gid);
	kipc_deadline(&dl, 10);
	EXPECT_EQ(-1, kipc_timedreceive_from(q, buf, sizeof(buf), NULL, &from, &dl));
	EXPECT_EQ(ETIMEDOUT, errno);
	close(q);

	/* A caller built before options: its shorter struct makes a plain queue. */
	plain = kipc_queue_anon2(O_RDWR, &how,
				 offsetof(struct kipc_queue_how, options));
	ASSERT_LE(0, plain);
	ASSERT_EQ(0, kipc_get_stats(plain, &st));
	EXPECT_EQ(0, st.options);
	ASSERT_EQ(0, kipc_send(plain, "p", 1, 0));
	memset(&from, 0x5a, sizeof(from));
	ASSERT_EQ(1, kipc_receive_from(plain, buf, sizeof(buf), NULL, &from));
	EXPECT_EQ(0, from.flags);
	EXPECT_EQ(0, from.pid);
	EXPECT_EQ(0, from.uid);
	EXPECT_EQ(0, from.gid);
	close(plain);

	how.options = 0x100;
	EXPECT_EQ(-1, kipc_queue_anon2(O_RDWR, &how, sizeof(how)));
	EXPECT_EQ(EINVAL, errno);
}

TEST_HARNESS_MAIN
