// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptors in messages (KIPC_QUEUE_FDS, KIPC_IOC_SENDMSG and the ABI 6
 * part of KIPC_IOC_RECVMSG): a received descriptor works and honours
 * KIPC_FD_CLOEXEC; files that could close a reference cycle are refused
 * (ELOOP); the in-flight bound (ETOOMANYREFS); and every way a message
 * leaves closes what it carries, shown with a pipe's write end sent in it:
 * the pipe's reader sees EOF only once the message is gone.
 */
#include <linux/io_uring.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "kipc_test.h"
#include "libkipc.h"

/* An anonymous queue with @options, or -errno. */
static int q_opts(__u32 options)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = KIPC_OPEN_ANON,
		.mode = 0600,
		.maxmsg = 4,
		.msgsize = 64,
		.options = options,
	};
	int fd = kt_open_dev(O_RDWR), ret;

	if (fd < 0)
		return fd;
	ret = kt_err(ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo));
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}

static int send_fds(int q, const char *text, const int *fds, __u32 nfds)
{
	struct kipc_sendmsg m = {
		.size = sizeof(m),
		.flags = KIPC_MSG_NONBLOCK,
		.buf = (uintptr_t)text,
		.len = strlen(text),
		.fds = (uintptr_t)fds,
		.nfds = nfds,
	};

	return kt_err(ioctl(q, KIPC_IOC_SENDMSG, &m));
}

/* KIPC_IOC_RECVMSG, non-blocking, into @m (set to garbage first). */
static int recv_fds(int q, void *buf, __u32 cap, int *fds, __u32 nfds,
		    __u32 fd_flags, struct kipc_recvmsg *m)
{
	memset(m, 0x5a, sizeof(*m));
	m->size = sizeof(*m);
	m->flags = KIPC_MSG_NONBLOCK;
	m->buf = (uintptr_t)buf;
	m->len = cap;
	m->deadline_ns = 0;
	m->fds = (uintptr_t)fds;
	m->nfds = nfds;
	m->fd_flags = fd_flags;
	return kt_err(ioctl(q, KIPC_IOC_RECVMSG, m));
}

static int curmsgs(int fd)
{
	struct kipc_stats st;

	return kt_stats(fd, &st) ? -1 : (int)st.curmsgs;
}

/* A pipe whose read end does not block: pipe_eof() reads it. */
static void nb_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) || fcntl(p[0], F_SETFL, O_NONBLOCK))
		abort();
}

/* 1 once every write end of the pipe is closed, 0 while one is open. */
static int pipe_eof(int rfd)
{
	char c;
	ssize_t n = read(rfd, &c, 1);

	if (n == 0)
		return 1;
	return n < 0 && errno == EAGAIN ? 0 : -1;
}

/* The lowest descriptor number free now. */
static int lowest_free(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

/*
 * A queue and a pipe whose write end only a queued message holds: the
 * message was sent, the sender's own copy closed.
 */
FIXTURE(held) {
	int q;
	int p[2];
};

FIXTURE_SETUP(held)
{
	self->q = q_opts(KIPC_QUEUE_FDS);
	ASSERT_LE(0, self->q);
	nb_pipe(self->p);
	ASSERT_EQ(0, send_fds(self->q, "pipe", &self->p[1], 1));
	ASSERT_EQ(0, close(self->p[1]));
	ASSERT_EQ(0, pipe_eof(self->p[0]));
	ASSERT_EQ(1, curmsgs(self->q));
}

FIXTURE_TEARDOWN(held)
{
	close(self->q);
	close(self->p[0]);
}

/* The queue goes with the message in it. */
TEST_F(held, queue_destroyed)
{
	ASSERT_EQ(0, close(self->q));
	self->q = -1;
	EXPECT_EQ(1, pipe_eof(self->p[0]));
}

/* read(2) takes no descriptors: they are closed with the message. */
TEST_F(held, read)
{
	char buf[64];

	ASSERT_EQ(4, read(self->q, buf, sizeof(buf)));
	EXPECT_EQ(1, pipe_eof(self->p[0]));
}

TEST_F(held, recv)
{
	char buf[64];

	ASSERT_EQ(4, kt_recv(self->q, buf, sizeof(buf), NULL, KIPC_MSG_NONBLOCK, 0));
	EXPECT_EQ(1, pipe_eof(self->p[0]));
}

TEST_F(held, batch)
{
	char buf[64];
	struct kipc_mvec v = { .buf = (uintptr_t)buf, .len = sizeof(buf) };
	struct kipc_batch b = {
		.size = sizeof(b),
		.flags = KIPC_MSG_NONBLOCK,
		.vec = (uintptr_t)&v,
		.count = 1,
	};

	ASSERT_EQ(1, ioctl(self->q, KIPC_IOC_RECV_BATCH, &b));
	EXPECT_EQ(4, v.len);
	EXPECT_EQ(1, pipe_eof(self->p[0]));
}

/* No room in @fds: closed, and the header says so. */
TEST_F(held, truncated)
{
	struct kipc_recvmsg m;
	char buf[64];

	ASSERT_EQ(4, recv_fds(self->q, buf, sizeof(buf), NULL, 0, 0, &m));
	EXPECT_EQ(KIPC_HDR_FDS_TRUNC, m.hdr_flags);
	EXPECT_EQ(0, m.nfds);
	EXPECT_EQ(1, pipe_eof(self->p[0]));
}

/* A caller of ABI 5's RECVMSG has no room for any, and no nfds field. */
TEST_F(held, recvmsg_ver0)
{
	struct kipc_recvmsg m;
	char buf[64];

	memset(&m, 0x5a, sizeof(m));
	m.size = KIPC_RECVMSG_SIZE_VER0;
	m.flags = KIPC_MSG_NONBLOCK;
	m.buf = (uintptr_t)buf;
	m.len = sizeof(buf);
	m.deadline_ns = 0;
	ASSERT_EQ(4, ioctl(self->q, KT_IOC_SIZED(KIPC_IOC_RECVMSG,
						 KIPC_RECVMSG_SIZE_VER0), &m));
	EXPECT_EQ(KIPC_HDR_FDS_TRUNC, m.hdr_flags);
	/* Past its struct: untouched. */
	EXPECT_EQ(0x5a5a5a5a, m.nfds);
	EXPECT_EQ(1, pipe_eof(self->p[0]));
}

/* A full descriptor table: EMFILE, the message stays; later it is received. */
TEST_F(held, emfile_then_received)
{
	struct rlimit old, rl;
	struct kipc_recvmsg m;
	char buf[64];
	int fd = -1;

	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	rl = old;
	rl.rlim_cur = lowest_free();
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	EXPECT_EQ(-EMFILE, recv_fds(self->q, buf, sizeof(buf), &fd, 1, 0, &m));
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	EXPECT_EQ(1, curmsgs(self->q));
	EXPECT_EQ(0, pipe_eof(self->p[0]));

	ASSERT_EQ(4, recv_fds(self->q, buf, sizeof(buf), &fd, 1, 0, &m));
	EXPECT_EQ(0, m.hdr_flags);
	EXPECT_EQ(1, m.nfds);
	EXPECT_LE(0, fd);
	EXPECT_EQ(0, pipe_eof(self->p[0]));
	EXPECT_EQ(2, write(fd, "ok", 2));
	EXPECT_EQ(2, read(self->p[0], buf, sizeof(buf)));
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(1, pipe_eof(self->p[0]));
}

/* A bad payload buffer or descriptor array: EFAULT, the message stays. */
TEST_F(held, efault_then_received)
{
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct kipc_recvmsg m;
	char buf[64];
	int fd = -1;

	ASSERT_NE(MAP_FAILED, bad);
	EXPECT_EQ(-EFAULT, recv_fds(self->q, bad, 64, &fd, 1, 0, &m));
	EXPECT_EQ(1, curmsgs(self->q));
	EXPECT_EQ(-EFAULT, recv_fds(self->q, buf, sizeof(buf), bad, 1, 0, &m));
	EXPECT_EQ(1, curmsgs(self->q));
	EXPECT_EQ(0, pipe_eof(self->p[0]));
	EXPECT_EQ(-1, fd);

	ASSERT_EQ(4, recv_fds(self->q, buf, sizeof(buf), &fd, 1, 0, &m));
	EXPECT_EQ(1, m.nfds);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, pipe_eof(self->p[0]));
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(1, pipe_eof(self->p[0]));
	munmap(bad, 4096);
}

/* A forked receiver gets the descriptor in its own table. */
TEST_F(held, forked_receiver)
{
	char buf[64];
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_recvmsg m;
		int fd = -1;

		if (recv_fds(self->q, buf, sizeof(buf), &fd, 1, 0, &m) != 4 ||
		    m.nfds != 1 || fd < 0)
			_exit(1);
		_exit(write(fd, "child", 5) == 5 ? 0 : 2);
	}
	ASSERT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(5, read(self->p[0], buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "child", 5));
	/* The child exited: its descriptor went with it. */
	EXPECT_EQ(1, pipe_eof(self->p[0]));
	EXPECT_EQ(0, curmsgs(self->q));
}

/* A pipe, a memfd, an eventfd and a regular file arrive and work. */
TEST(received_work)
{
	char path[] = "/tmp/kipc_fds_XXXXXX", buf[64];
	int q = q_opts(KIPC_QUEUE_FDS), p[2], mfd, efd, rfd, i;
	int in[4], out[KIPC_FDS_MAX];
	struct kipc_recvmsg m;
	uint64_t ev;

	ASSERT_LE(0, q);
	nb_pipe(p);
	mfd = memfd_create("kipc", MFD_CLOEXEC);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(6, write(mfd, "memfd!", 6));
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, efd);
	rfd = mkstemp(path);
	ASSERT_LE(0, rfd);
	unlink(path);
	ASSERT_EQ(4, write(rfd, "file", 4));
	in[0] = p[1];
	in[1] = mfd;
	in[2] = efd;
	in[3] = rfd;
	ASSERT_EQ(0, send_fds(q, "four", in, 4));
	for (i = 0; i < 4; i++)
		close(in[i]);

	for (i = 0; i < KIPC_FDS_MAX; i++)
		out[i] = -2;
	ASSERT_EQ(4, recv_fds(q, buf, sizeof(buf), out, KIPC_FDS_MAX, 0, &m));
	EXPECT_EQ(0, memcmp(buf, "four", 4));
	EXPECT_EQ(0, m.hdr_flags);
	ASSERT_EQ(4, m.nfds);
	/* Slots past those installed are not written. */
	EXPECT_EQ(-2, out[4]);
	EXPECT_EQ(3, write(out[0], "abc", 3));
	EXPECT_EQ(3, read(p[0], buf, sizeof(buf)));
	EXPECT_EQ(6, pread(out[1], buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "memfd!", 6));
	ev = 5;
	EXPECT_EQ(8, write(out[2], &ev, 8));
	ev = 0;
	EXPECT_EQ(8, read(out[2], &ev, 8));
	EXPECT_EQ(5, ev);
	EXPECT_EQ(4, pread(out[3], buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "file", 4));
	for (i = 0; i < 4; i++)
		close(out[i]);
	EXPECT_EQ(1, pipe_eof(p[0]));
	close(p[0]);
	close(q);
}

/* Installed at the lowest free numbers, in the order sent. */
TEST(lowest_free_numbers)
{
	int q = q_opts(KIPC_QUEUE_FDS), p[2], a, b, in[2], out[2];
	struct kipc_recvmsg m;
	char buf[64];

	ASSERT_LE(0, q);
	nb_pipe(p);
	in[0] = p[0];
	in[1] = p[1];
	ASSERT_EQ(0, send_fds(q, "x", in, 2));
	a = dup(0);
	b = dup(0);
	ASSERT_LT(a, b);
	close(a);
	close(b);
	ASSERT_EQ(1, recv_fds(q, buf, sizeof(buf), out, 2, 0, &m));
	ASSERT_EQ(2, m.nfds);
	EXPECT_EQ(a, out[0]);
	EXPECT_EQ(b, out[1]);
	/* In the order sent: the read end first. */
	EXPECT_EQ(1, write(p[1], "z", 1));
	EXPECT_EQ(1, read(out[0], buf, 1));
	close(out[0]);
	close(out[1]);
	close(p[0]);
	close(p[1]);
	close(q);
}

/* Some fit, the rest are closed: nfds says how many, TRUNC that some went. */
TEST(partly_truncated)
{
	int q = q_opts(KIPC_QUEUE_FDS), p1[2], p2[2], in[2], out[2] = { -2, -2 };
	struct kipc_recvmsg m;
	char buf[64];

	ASSERT_LE(0, q);
	nb_pipe(p1);
	nb_pipe(p2);
	in[0] = p1[1];
	in[1] = p2[1];
	ASSERT_EQ(0, send_fds(q, "two", in, 2));
	close(p1[1]);
	close(p2[1]);
	ASSERT_EQ(3, recv_fds(q, buf, sizeof(buf), out, 1, 0, &m));
	EXPECT_EQ(KIPC_HDR_FDS_TRUNC, m.hdr_flags);
	EXPECT_EQ(1, m.nfds);
	EXPECT_LE(0, out[0]);
	EXPECT_EQ(-2, out[1]);
	EXPECT_EQ(0, pipe_eof(p1[0]));
	EXPECT_EQ(1, pipe_eof(p2[0]));
	close(out[0]);
	EXPECT_EQ(1, pipe_eof(p1[0]));
	close(p1[0]);
	close(p2[0]);
	close(q);
}

TEST(cloexec)
{
	int q = q_opts(KIPC_QUEUE_FDS), in[2], out[2];
	struct kipc_recvmsg m;
	char buf[64];

	ASSERT_LE(0, q);
	/* The sender's flags do not travel: in[0] is close-on-exec, in[1] not. */
	in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	in[1] = open("/dev/null", O_RDONLY);
	ASSERT_EQ(0, send_fds(q, "a", in, 2));
	ASSERT_EQ(0, send_fds(q, "b", in, 2));
	ASSERT_EQ(1, recv_fds(q, buf, sizeof(buf), out, 2, KIPC_FD_CLOEXEC, &m));
	ASSERT_EQ(2, m.nfds);
	EXPECT_EQ(FD_CLOEXEC, fcntl(out[0], F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(FD_CLOEXEC, fcntl(out[1], F_GETFD) & FD_CLOEXEC);
	close(out[0]);
	close(out[1]);
	ASSERT_EQ(1, recv_fds(q, buf, sizeof(buf), out, 2, 0, &m));
	ASSERT_EQ(2, m.nfds);
	EXPECT_EQ(0, fcntl(out[0], F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(out[1], F_GETFD) & FD_CLOEXEC);
	close(out[0]);
	close(out[1]);
	close(in[0]);
	close(in[1]);
	close(q);
}

/* With KIPC_QUEUE_CREDS too: both headers. */
TEST(with_creds)
{
	int q = q_opts(KIPC_QUEUE_FDS | KIPC_QUEUE_CREDS), fd = 0, out = -1;
	struct kipc_recvmsg m;
	char buf[64];

	ASSERT_LE(0, q);
	ASSERT_EQ(0, send_fds(q, "c", &fd, 1));
	ASSERT_EQ(1, recv_fds(q, buf, sizeof(buf), &out, 1, 0, &m));
	EXPECT_EQ(KIPC_HDR_CREDS, m.hdr_flags);
	EXPECT_EQ(getpid(), m.pid);
	EXPECT_EQ(1, m.nfds);
	EXPECT_LE(0, out);
	close(out);
	close(q);
}

/* With KIPC_QUEUE_TRACK: its receive path installs them too, or says EMFILE. */
TEST(with_track)
{
	int q = q_opts(KIPC_QUEUE_FDS | KIPC_QUEUE_TRACK), p[2], out = -1;
	struct rlimit old, rl;
	struct kipc_recvmsg m;
	char buf[64];

	ASSERT_LE(0, q);
	nb_pipe(p);
	ASSERT_EQ(0, send_fds(q, "t", &p[1], 1));
	close(p[1]);
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	rl = old;
	rl.rlim_cur = lowest_free();
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	EXPECT_EQ(-EMFILE, recv_fds(q, buf, sizeof(buf), &out, 1, 0, &m));
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	EXPECT_EQ(1, curmsgs(q));
	ASSERT_EQ(1, recv_fds(q, buf, sizeof(buf), &out, 1, 0, &m));
	EXPECT_EQ(1, m.nfds);
	EXPECT_EQ(0, m.hdr_flags);
	ASSERT_LE(0, out);
	EXPECT_EQ(0, pipe_eof(p[0]));
	close(out);
	EXPECT_EQ(1, pipe_eof(p[0]));
	close(p[0]);
	close(q);
}

/*
 * Every file that could close a cycle is refused, and what the call took
 * before it met one is let go: the pipe sent ahead of it reaches EOF.
 */
static void expect_eloop(struct __test_metadata *_metadata, int q, int bad)
{
	int p[2], in[2];

	nb_pipe(p);
	in[0] = p[1];
	in[1] = bad;
	EXPECT_EQ(-ELOOP, send_fds(q, "loop", in, 2));
	EXPECT_EQ(0, curmsgs(q));
	close(p[1]);
	EXPECT_EQ(1, pipe_eof(p[0]));
	close(p[0]);
}

TEST(eloop)
{
	int q = q_opts(KIPC_QUEUE_FDS), other, unbound, sv[2], ring;
	struct io_uring_params params;
	char buf[64];

	ASSERT_LE(0, q);
	expect_eloop(_metadata, q, q);
	other = q_opts(0);
	ASSERT_LE(0, other);
	expect_eloop(_metadata, q, other);
	unbound = kt_open_dev(O_RDWR);
	ASSERT_LE(0, unbound);
	expect_eloop(_metadata, q, unbound);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	expect_eloop(_metadata, q, sv[0]);
	close(sv[0]);
	close(sv[1]);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	expect_eloop(_metadata, q, sv[1]);
	close(sv[0]);
	close(sv[1]);
	/* Other sockets hold no files: they travel. */
	sv[0] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sv[0] >= 0) {
		EXPECT_EQ(0, send_fds(q, "inet", sv, 1));
		EXPECT_EQ(1, curmsgs(q));
		close(sv[0]);
		EXPECT_EQ(4, read(q, buf, sizeof(buf)));
	}
	memset(&params, 0, sizeof(params));
	ring = syscall(__NR_io_uring_setup, 2, &params);
	if (ring < 0 && (errno == ENOSYS || errno == EPERM)) {
		TH_LOG("no io_uring here (%s): its ELOOP is not tested", strerror(errno));
	} else {
		ASSERT_LE(0, ring);
		expect_eloop(_metadata, q, ring);
		close(ring);
	}
	close(unbound);
	close(other);
	close(q);
}

TEST(ebadf_and_einval)
{
	int q = q_opts(KIPC_QUEUE_FDS), plain = q_opts(0), p[2], in[KIPC_FDS_MAX + 1];
	struct kipc_sendmsg m = { .size = sizeof(m), .flags = KIPC_MSG_NONBLOCK };
	struct kipc_recvmsg rm;
	char buf[64];
	int i;

	ASSERT_LE(0, q);
	ASSERT_LE(0, plain);
	nb_pipe(p);
	in[0] = p[1];
	in[1] = -1;
	EXPECT_EQ(-EBADF, send_fds(q, "bad", in, 2));
	in[1] = lowest_free();
	EXPECT_EQ(-EBADF, send_fds(q, "bad", in, 2));
	/* What was taken before the bad one is let go. */
	close(p[1]);
	EXPECT_EQ(1, pipe_eof(p[0]));
	close(p[0]);
	nb_pipe(p);
	for (i = 0; i <= KIPC_FDS_MAX; i++)
		in[i] = p[1];
	EXPECT_EQ(-EINVAL, send_fds(q, "many", in, KIPC_FDS_MAX + 1));
	EXPECT_EQ(0, send_fds(q, "max", in, KIPC_FDS_MAX));
	EXPECT_EQ(-EINVAL, send_fds(plain, "plain", in, 1));
	/* Without descriptors, SENDMSG is SEND, on any queue. */
	EXPECT_EQ(0, send_fds(plain, "plain", in, 0));
	EXPECT_EQ(1, curmsgs(plain));
	m.buf = (uintptr_t)"r";
	m.len = 1;
	m.fds = (uintptr_t)in;
	m.nfds = 1;
	m.__reserved = 1;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(q, KIPC_IOC_SENDMSG, &m)));
	m.__reserved = 0;
	m.fds = 1;
	EXPECT_EQ(-EFAULT, kt_err(ioctl(q, KIPC_IOC_SENDMSG, &m)));
	/* Too long: refused before any file is taken. */
	m.fds = (uintptr_t)in;
	m.len = 65;
	EXPECT_EQ(-EMSGSIZE, kt_err(ioctl(q, KIPC_IOC_SENDMSG, &m)));
	EXPECT_EQ(-EINVAL, recv_fds(q, buf, sizeof(buf), in, KIPC_FDS_MAX + 1, 0, &rm));
	EXPECT_EQ(-EINVAL, recv_fds(q, buf, sizeof(buf), in, 1, 2, &rm));
	EXPECT_EQ(1, curmsgs(q));
	/* A file not open for writing: EBADF, as SEND. */
	i = kt_open_dev(O_RDONLY);
	ASSERT_LE(0, i);
	ASSERT_EQ(0, kt_queue_ioctl(i, NULL, KIPC_OPEN_ANON, 0600, 4, 64));
	EXPECT_EQ(-EBADF, send_fds(i, "ro", in, 0));
	close(q);
	close(plain);
	close(p[1]);
	/* The queue's end closed the KIPC_FDS_MAX copies its message held. */
	EXPECT_EQ(1, pipe_eof(p[0]));
	close(p[0]);
	close(i);
}

/* A send that fails after taking the files (a full queue) lets them go. */
TEST(full_queue_drops)
{
	int q = q_opts(KIPC_QUEUE_FDS), p[2], i;

	ASSERT_LE(0, q);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, send_fds(q, "fill", NULL, 0));
	nb_pipe(p);
	EXPECT_EQ(-EAGAIN, send_fds(q, "full", &p[1], 1));
	close(p[1]);
	EXPECT_EQ(1, pipe_eof(p[0]));
	close(p[0]);
	close(q);
}

/*
 * An unprivileged opener's user has at most its RLIMIT_NOFILE in flight:
 * ETOOMANYREFS past it, room again once a message is received.
 */
TEST(etoomanyrefs)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct rlimit rl = { .rlim_cur = 12, .rlim_max = 12 };
		int in[KIPC_FDS_MAX], p[2], q, i, ret = 0;
		struct kipc_recvmsg m;
		char buf[64];

		kt_become_nobody(-1);
		q = q_opts(KIPC_QUEUE_FDS);
		if (q < 0)
			_exit(10);
		nb_pipe(p);
		for (i = 0; i < KIPC_FDS_MAX; i++)
			in[i] = p[1];
		if (setrlimit(RLIMIT_NOFILE, &rl))
			_exit(11);
		if (send_fds(q, "four", in, 4))
			_exit(12);
		if (send_fds(q, "eight", in, 8))
			_exit(13);
		/* 12 in flight: one more is past the limit. */
		ret = send_fds(q, "one", in, 1);
		if (ret != -ETOOMANYREFS)
			_exit(14);
		/* Received (closed, no room asked): uncharged. */
		if (recv_fds(q, buf, sizeof(buf), NULL, 0, 0, &m) != 4)
			_exit(15);
		if (send_fds(q, "four", in, 4))
			_exit(16);
		if (send_fds(q, "one", in, 1) != -ETOOMANYREFS)
			_exit(17);
		close(q);
		/* The queue's end uncharges what it held. */
		q = q_opts(KIPC_QUEUE_FDS);
		if (q < 0 || send_fds(q, "eight", in, 8))
			_exit(18);
		_exit(0);
	}
	EXPECT_EQ(0, kt_wait_child(pid));
}

/* libkipc's pair: a queue made with the option through kipc_queue_how. */
TEST(libkipc)
{
	struct kipc_queue_how how = {
		.maxmsg = 4, .msgsize = 64, .options = KIPC_QUEUE_FDS,
	};
	int q = kipc_queue_anon2(O_RDWR, &how, sizeof(how)), p[2], out[2] = { -1, -1 };
	struct kipc_sender from;
	unsigned int prio = 0, n = 2;
	char buf[64];

	ASSERT_LE(0, q);
	nb_pipe(p);
	ASSERT_EQ(0, kipc_send_fds(q, "lib", 3, 7, &p[1], 1));
	close(p[1]);
	ASSERT_EQ(3, kipc_receive_fds(q, buf, sizeof(buf), &prio, &from, out, &n,
				      KIPC_FD_CLOEXEC));
	EXPECT_EQ(7, prio);
	EXPECT_EQ(1, n);
	EXPECT_EQ(0, from.flags);
	EXPECT_EQ(-1, out[1]);
	EXPECT_EQ(FD_CLOEXEC, fcntl(out[0], F_GETFD) & FD_CLOEXEC);
	close(out[0]);
	EXPECT_EQ(1, pipe_eof(p[0]));
	/* Descriptors on a queue without the option. */
	close(q);
	q = kipc_queue_anon(O_RDWR, NULL);
	ASSERT_LE(0, q);
	EXPECT_EQ(-1, kipc_send_fds(q, "lib", 3, 0, &p[0], 1));
	EXPECT_EQ(EINVAL, errno);
	close(p[0]);
	close(q);
}

TEST_HARNESS_MAIN
