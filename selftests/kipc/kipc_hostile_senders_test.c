// SPDX-License-Identifier: GPL-2.0
/*
 * Blocked senders hold no message memory beyond the queue's reservation: many
 * threads of an unprivileged user blocked writing 1 MiB messages into a
 * full service queue (root's, mode 0622) must not make the kernel hold a
 * buffer each, and once the queue is drained every message arrives, once,
 * and every sender completes.
 *
 * Each sender's message is a private anonymous mapping whose first page
 * carries its tag and whose other pages were never touched: the sender
 * costs one page of user memory, so what MemAvailable loses while they
 * wait is the kernel's doing.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "kipc_hostile.h"

#define SENDERS		128
#define NAME		"hostile-senders"
/* Threads 0, 3, 6, ... write(); 1, 4, ... KIPC_IOC_SEND; 2, 5, ... a batch of two. */
#define BATCHERS	(SENDERS / 3)
#define MESSAGES	(SENDERS + BATCHERS)
/* Per sender: its stack, task and kernel stack, generously. */
#define PER_SENDER	(128 * 1024LL)
#define TAG_FILL	0xffffu

struct senders {
	atomic_int entered;
	int err[SENDERS];
};

struct sender {
	struct senders *sh;
	int fd;
	int index;
	__u32 msgsize;
	char *buf;		/* two messages: at 0 and at msgsize */
};

static __u32 tag_of(int thread, int seq)
{
	return (__u32)thread << 8 | seq;
}

static void *sender_main(void *arg)
{
	struct sender *s = arg;
	struct kipc_mvec vec[2] = {
		{ .buf = (uintptr_t)s->buf, .len = s->msgsize },
		{ .buf = (uintptr_t)s->buf + s->msgsize, .len = s->msgsize },
	};
	struct kipc_batch b = {
		.size = sizeof(b), .vec = (uintptr_t)vec, .count = 2,
	};
	int ret = 0;
	long n;

	atomic_fetch_add(&s->sh->entered, 1);
	switch (s->index % 3) {
	case 0:
		n = write(s->fd, s->buf, s->msgsize);
		ret = n == s->msgsize ? 0 : n < 0 ? errno : EIO;
		break;
	case 1:
		ret = -kt_send(s->fd, s->buf, s->msgsize, 0, 0, 0);
		break;
	default:
		/* a batch blocks for its first message only; the second may need a retry */
		for (unsigned int done = 0; done < 2 && !ret; ) {
			b.vec = (uintptr_t)&vec[done];
			b.count = 2 - done;
			n = ioctl(s->fd, KIPC_IOC_SEND_BATCH, &b);
			if (n < 0)
				ret = errno;
			else
				done += n;
		}
		break;
	}
	s->sh->err[s->index] = ret;
	return NULL;
}

/* The hostile child: SENDERS threads of nobody blocked on @name. */
static void run_senders(struct senders *sh, __u32 msgsize)
{
	static struct sender s[SENDERS];
	static pthread_t t[SENDERS];
	pthread_attr_t attr;
	int fd, bad = 0;

	kh_become(KT_NOBODY, 0);
	fd = kt_queue(NAME, O_WRONLY, 0, 0, 0, 0);
	if (fd < 0)
		_exit(1);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (int i = 0; i < SENDERS; i++) {
		s[i] = (struct sender){ .sh = sh, .fd = fd, .index = i, .msgsize = msgsize };
		s[i].buf = mmap(NULL, 2 * (size_t)msgsize, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (s[i].buf == MAP_FAILED)
			_exit(2);
		/*
		 * Our own pages must not pass for the kernel's: since 6.7 a
		 * 2 MiB anonymous mapping is THP-aligned, and one touched byte
		 * would fault in a whole huge page per sender.
		 */
		madvise(s[i].buf, 2 * (size_t)msgsize, MADV_NOHUGEPAGE);
		*(__u32 *)s[i].buf = tag_of(i, 0);
		*(__u32 *)(s[i].buf + msgsize) = tag_of(i, 1);
		if (pthread_create(&t[i], &attr, sender_main, &s[i]))
			_exit(3);
	}
	for (int i = 0; i < SENDERS; i++) {
		pthread_join(t[i], NULL);
		bad += sh->err[i] != 0;
	}
	_exit(bad ? 4 : 0);
}

/* KIPC_A_MEM_BYTES of @name, as root sees it; -1 if unknown. */
static void mem_cb(struct nlmsghdr *nlh, void *data)
{
	*(long long *)data = (long long)nl_u64(nlh, KIPC_A_MEM_BYTES);
}

static long long queue_mem_bytes(const char *name)
{
	struct nl_sock *s = malloc(sizeof(*s));
	long long mem = -1;
	struct nl_req r;

	if (s && !nl_open(s)) {
		nl_init(s, &r, s->family, KIPC_CMD_OBJ_GET, 0);
		nl_put_str(&r, KIPC_A_NAME, name);
		if (nl_talk(s, &r, mem_cb, &mem))
			mem = -1;
		nl_close(s);
	}
	free(s);
	return mem;
}

/*
 * Threads of @pid asleep inside write() or ioctl(): /proc/PID/task/TID/syscall
 * names the call a blocked task is in ("running" for one that is not).
 * Where in the queue a sender waits (for room, for a buffer of the
 * reservation) is the module's business; that it waits in the call is not.
 */
static int blocked_in_send(pid_t pid)
{
	char path[320], line[64];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/syscall", pid, de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f)) {
			long nr = strtol(line, NULL, 10);

			n += (nr == SYS_write || nr == SYS_ioctl) && line[0] != 'r';
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

FIXTURE(senders) {
	struct senders *sh;
	int fd;
	pid_t child;
};

FIXTURE_SETUP(senders)
{
	self->sh = kh_shared(sizeof(*self->sh));
	ASSERT_NE(NULL, self->sh);
	self->fd = -1;
	self->child = -1;
	umask(0);
}

FIXTURE_TEARDOWN(senders)
{
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		kt_wait_child(self->child);
	}
	if (self->fd >= 0)
		close(self->fd);
	kt_unlink(NAME);
	munmap(self->sh, sizeof(*self->sh));
}

TEST_F_TIMEOUT(senders, blocked_senders_hold_no_message_memory, 600)
{
	long long msize = kt_param("msgsize_max");
	__u32 msgsize = msize > 0 && msize < (long long)KH_MIB ? (__u32)msize : (__u32)KH_MIB;
	long long m0, m1, mem, limit, k0 = kh_oom_kills();
	static unsigned char seen[SENDERS][2];
	struct kipc_stats st;
	char *buf;
	int got = 0, dup = 0, bad = 0;

	buf = malloc(msgsize);
	ASSERT_NE(NULL, buf);
	self->fd = kt_queue(NAME, O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0622, 1, msgsize);
	ASSERT_LE(0, self->fd) TH_LOG("create: %s", strerror(-self->fd));
	memset(buf, 0, msgsize);
	*(__u32 *)buf = TAG_FILL;
	ASSERT_EQ(0, kt_send(self->fd, buf, msgsize, 0, KIPC_MSG_NONBLOCK, 0));
	m0 = kh_mem_settled();

	self->child = fork();
	ASSERT_LE(0, self->child);
	if (self->child == 0)
		run_senders(self->sh, msgsize);

	/* every sender in its call, and asleep in the kernel */
	for (int i = 0; i < 600; i++) {
		if (atomic_load(&self->sh->entered) == SENDERS &&
		    blocked_in_send(self->child) == SENDERS)
			break;
		usleep(100000);
	}
	ASSERT_EQ(SENDERS, atomic_load(&self->sh->entered));
	ASSERT_EQ(SENDERS, blocked_in_send(self->child));
	ASSERT_EQ(0, kt_stats(self->fd, &st));
	EXPECT_EQ(1, st.curmsgs);
	EXPECT_LE(1, st.send_waits);
	usleep(200000);
	m1 = kh_mem_settled();
	mem = queue_mem_bytes(NAME);
	/* the queue's own reservation: maxmsg 1 plus slack, rounded to powers of two */
	limit = 4 * 2LL * msgsize + SENDERS * PER_SENDER + KH_MEM_SLACK;
	TH_LOG("%d senders asleep (send_waits %llu): MemAvailable %lld -> %lld MiB, the queue holds %lld bytes",
	       SENDERS, (unsigned long long)st.send_waits, m0 >> 20, m1 >> 20, mem);
	EXPECT_LE(m0 - m1, limit) TH_LOG("blocked senders hold %lld MiB", (m0 - m1) >> 20);
	EXPECT_LE(0, mem);
	EXPECT_LE(mem, 4 * 2LL * msgsize);

	/* drain: everything arrives, once, whole, and every sender completes */
	for (int i = 0; i < MESSAGES + 1; i++) {
		__u32 tag;
		int n = kt_recv(self->fd, buf, msgsize, NULL, KIPC_MSG_DEADLINE,
				kt_now_ns() + 120000000000LL);

		if (n < 0) {
			TH_LOG("receive %d: %s", i, strerror(-n));
			break;
		}
		got++;
		memcpy(&tag, buf, sizeof(tag));
		if (n != (int)msgsize) {
			bad++;
		} else if (tag == TAG_FILL) {
			continue;
		} else if ((tag >> 8) >= SENDERS || (tag & 0xff) > 1) {
			bad++;
		} else if (seen[tag >> 8][tag & 0xff]++) {
			dup++;
		} else if ((tag & 0xff) == 1 && !seen[tag >> 8][0]) {
			bad++;	/* a batch's second message before its first */
		}
	}
	EXPECT_EQ(MESSAGES + 1, got);
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(-EAGAIN, kt_recv(self->fd, buf, msgsize, NULL, KIPC_MSG_NONBLOCK, 0));
	EXPECT_EQ(0, kt_wait_child(self->child)) TH_LOG("a sender failed (4) or set-up (1-3)");
	self->child = -1;
	for (int i = 0; i < SENDERS; i++) {
		EXPECT_EQ(0, self->sh->err[i]) TH_LOG("sender %d: %s", i,
						      strerror(self->sh->err[i]));
	}
	EXPECT_EQ(k0, kh_oom_kills());
	free(buf);
}

TEST_HARNESS_MAIN
