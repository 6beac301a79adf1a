// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: a systematic /proc/thread-self/fail-nth sweep of every
 * kipc entry point.
 *
 * For each entry point the sweep writes N to fail-nth, makes the call, reads
 * fail-nth back ("0" means the Nth fault site of the call was failed) and
 * goes on with N + 1 until a call runs untouched; that last call must behave
 * exactly like the baseline call made without injection. Every injected
 * failure must give a clean errno (or be absorbed by a fallback) and leave
 * nothing behind: no file descriptor and no module reference. Crashes, leaks
 * and lock splats are caught on the console by the VM runner and by the
 * debug lane's kmemleak scan. See RELIABILITY.md §1.3 for the recipe.
 *
 * fail-nth fails slab and page allocations, user copies and futex ops;
 * failslab and fail_page_alloc skip sleeping (GFP_KERNEL) allocations unless
 * their ignore-gfp-wait is N, so the fixture sets it (and verbose=0, so an
 * injected failure prints no stack on the console) and restores both after.
 *
 * Kernels without CONFIG_FAULT_INJECTION (Debian's) have no fail-nth file:
 * every case is skipped there.
 *
 * Adding an entry point is one line: SWEEP_IOCTL() for an ioctl, or a
 * struct sweep_op with a call and an undo for anything else.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kipc.h>

#include "kselftest_harness.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define FAULT_DIR	"/sys/kernel/debug"
/* A call with more fault sites than this is a runaway loop, not a call. */
#define MAX_SITES	20000

struct sweep_ctx {
	int fd;			/* a kipc file, open for the whole sweep */
	int victim;		/* a file opened per iteration, for close */
	void *map;		/* what a successful mmap returned */
	unsigned char buf[4096];
};

struct sweep_op {
	/* Set up per-iteration state outside the injection window; may be NULL. */
	int (*prepare)(struct sweep_ctx *ctx);
	/* The call under test: returns >= 0 on success, -1 with errno. */
	long (*call)(struct sweep_ctx *ctx, const struct sweep_op *op);
	/* Release what a successful call created; may be NULL. */
	void (*undo)(struct sweep_ctx *ctx, long ret);
	unsigned long cmd;	/* ioctl command */
	size_t size;		/* ioctl argument size */
	bool never_fails;	/* close(): must return 0 even under injection */
	int errnos[4];		/* clean failures besides ENOMEM and EFAULT */
};

/* ------------------------------------------------------------------ */
/* The entry points. */

static int open_kipc(void)
{
	return open(KIPC_DEVICE_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}

static long call_open(struct sweep_ctx *ctx, const struct sweep_op *op)
{
	(void)ctx; (void)op;
	return open_kipc();
}

static void undo_close(struct sweep_ctx *ctx, long ret)
{
	(void)ctx;
	close(ret);
}

static int prepare_victim(struct sweep_ctx *ctx)
{
	ctx->victim = open_kipc();
	return ctx->victim < 0 ? -1 : 0;
}

static long call_close(struct sweep_ctx *ctx, const struct sweep_op *op)
{
	(void)op;
	return close(ctx->victim);
}

/*
 * Every ioctl argument is a zeroed buffer of the command's size whose
 * leading __u32 is the size, as extensible kipc structs expect; an ioctl
 * whose argument needs more (a name, a bound object) gets a prepare hook.
 */
static long call_ioctl(struct sweep_ctx *ctx, const struct sweep_op *op)
{
	__u32 size = op->size;

	memset(ctx->buf, 0, sizeof(ctx->buf));
	if (op->size >= sizeof(size))
		memcpy(ctx->buf, &size, sizeof(size));
	return ioctl(ctx->fd, op->cmd, ctx->buf);
}

static long call_read(struct sweep_ctx *ctx, const struct sweep_op *op)
{
	(void)op;
	return read(ctx->fd, ctx->buf, sizeof(ctx->buf));
}

static long call_write(struct sweep_ctx *ctx, const struct sweep_op *op)
{
	(void)op;
	memset(ctx->buf, 'k', 64);
	return write(ctx->fd, ctx->buf, 64);
}

static long call_poll(struct sweep_ctx *ctx, const struct sweep_op *op)
{
	struct pollfd pfd = { .fd = ctx->fd, .events = POLLIN | POLLOUT };

	(void)op;
	return poll(&pfd, 1, 0);
}

static long call_mmap(struct sweep_ctx *ctx, const struct sweep_op *op)
{
	(void)op;
	ctx->map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ctx->fd, 0);
	return ctx->map == MAP_FAILED ? -1 : 0;
}

static void undo_munmap(struct sweep_ctx *ctx, long ret)
{
	(void)ret;
	munmap(ctx->map, 4096);
}

#define SWEEP(name, ...)						\
	FIXTURE_VARIANT_ADD(failnth, name) {				\
		.op = &(const struct sweep_op){ __VA_ARGS__ },		\
	}

#define SWEEP_IOCTL(name, ioc, type)					\
	SWEEP(name, .call = call_ioctl, .cmd = (ioc), .size = sizeof(type))

FIXTURE(failnth) {
	bool no_fail_nth;
	struct sweep_ctx ctx;
	char saved[8][16];
};

FIXTURE_VARIANT(failnth) {
	const struct sweep_op *op;
};

SWEEP(open, .call = call_open, .undo = undo_close, .errnos = { ENFILE, EMFILE });
SWEEP(close, .prepare = prepare_victim, .call = call_close, .never_fails = true);
SWEEP(read, .call = call_read, .errnos = { EAGAIN });
SWEEP(write, .call = call_write, .errnos = { EAGAIN });
SWEEP(poll, .call = call_poll);
SWEEP(mmap, .call = call_mmap, .undo = undo_munmap, .errnos = { EAGAIN });
/* One line per ioctl of <linux/kipc.h>. */
SWEEP_IOCTL(ioctl_version, KIPC_IOC_VERSION, struct kipc_version);

/* ------------------------------------------------------------------ */
/* fail-nth and the fault attributes. */

/* Knobs the sweep sets, and the value it sets them to. */
static const char *const knobs[][2] = {
	{ "failslab/ignore-gfp-wait", "N" },
	{ "fail_page_alloc/ignore-gfp-wait", "N" },
	{ "fail_page_alloc/min-order", "0" },
	{ "failslab/verbose", "0" },
	{ "fail_page_alloc/verbose", "0" },
	{ "fail_usercopy/verbose", "0" },
	{ "fail_futex/verbose", "0" },
};

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/* Arm fail-nth for the next call of this thread. */
static int inject(int fd, unsigned int nth)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", nth);

	return pwrite(fd, buf, len, 0) == len ? 0 : -1;
}

/*
 * Was the armed fault injected? Reading the counter back does a user copy,
 * which itself counts down an unspent counter, so a read that fails with
 * EFAULT means the counter was still armed: not injected. Disarm after.
 */
static bool injected(int fd)
{
	char buf[16] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	bool hit = n == 2 && buf[0] == '0' && buf[1] == '\n';
	int i;

	/* The disarming write may itself be the injected fault: retry once. */
	for (i = 0; i < 2 && pwrite(fd, "0", 1, 0) != 1; i++)
		;
	return hit;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* opendir's own */
}

static long module_refcnt(void)
{
	char buf[32];

	if (read_file("/sys/module/kipc/refcnt", buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

static bool clean_errno(const struct sweep_op *op, int err)
{
	unsigned int i;

	if (err == ENOMEM || err == EFAULT)
		return true;
	for (i = 0; i < sizeof(op->errnos) / sizeof(op->errnos[0]); i++)
		if (op->errnos[i] && op->errnos[i] == err)
			return true;
	return false;
}

FIXTURE_SETUP(failnth)
{
	char path[128];
	unsigned int i;

	self->ctx.fd = -1;
	/* The test body skips: a SKIP() here would still run it (6.1 harness). */
	self->no_fail_nth = access(FAIL_NTH, F_OK) != 0;
	if (self->no_fail_nth)
		return;
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", FAULT_DIR, knobs[i][0]);
		self->saved[i][0] = '\0';
		if (read_file(path, self->saved[i], sizeof(self->saved[i])))
			continue;	/* that fault type is not built in */
		ASSERT_EQ(0, write_file(path, knobs[i][1])) TH_LOG("cannot set %s", path);
	}
	/* Without ignore-gfp-wait=N, GFP_KERNEL allocations are never failed. */
	snprintf(path, sizeof(path), "%s/%s", FAULT_DIR, knobs[0][0]);
	ASSERT_EQ(0, access(path, F_OK)) TH_LOG("%s missing: debugfs not mounted, or no FAILSLAB",
						 path);
	self->ctx.fd = open_kipc();
	ASSERT_LE(0, self->ctx.fd);
}

FIXTURE_TEARDOWN(failnth)
{
	char path[128];
	unsigned int i;

	if (self->ctx.fd >= 0)
		close(self->ctx.fd);
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		if (!self->saved[i][0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", FAULT_DIR, knobs[i][0]);
		write_file(path, self->saved[i]);
	}
}

/*
 * One sweep: N = 1, 2, ... until the call runs untouched. The baseline is
 * the same call without injection; the untouched call must match it.
 */
TEST_F_TIMEOUT(failnth, sweep, 300)
{
	const struct sweep_op *op = variant->op;
	struct sweep_ctx *ctx = &self->ctx;
	int fds0, fds, err, base_err, nth_fd;
	unsigned int nth, failed = 0, absorbed = 0;
	long ret, base, ref0, ref;
	bool hit;

	if (self->no_fail_nth)
		SKIP(return, "no %s: kernel without CONFIG_FAULT_INJECTION", FAIL_NTH);

	/* Baseline, no injection. */
	fds0 = count_fds();
	ref0 = module_refcnt();
	ASSERT_LE(0, fds0);
	ASSERT_LE(0, ref0);
	if (op->prepare)
		ASSERT_EQ(0, op->prepare(ctx));
	errno = 0;
	base = op->call(ctx, op);
	base_err = errno;
	if (base >= 0 && op->undo)
		op->undo(ctx, base);
	TH_LOG("baseline: %ld (%s)", base, base < 0 ? strerror(base_err) : "success");
	if (op->never_fails)
		ASSERT_EQ(0, base);
	ASSERT_EQ(fds0, count_fds());
	ASSERT_EQ(ref0, module_refcnt());

	nth_fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, nth_fd);
	fds0 = count_fds();
	for (nth = 1; nth < MAX_SITES; nth++) {
		if (op->prepare)
			ASSERT_EQ(0, op->prepare(ctx)) TH_LOG("prepare for nth=%u", nth);

		ASSERT_EQ(0, inject(nth_fd, nth));
		errno = 0;
		ret = op->call(ctx, op);
		err = errno;
		hit = injected(nth_fd);

		if (ret >= 0 && op->undo)
			op->undo(ctx, ret);
		fds = count_fds();
		ref = module_refcnt();
		EXPECT_EQ(fds0, fds) TH_LOG("nth=%u: file descriptors %d -> %d", nth, fds0, fds);
		EXPECT_EQ(ref0, ref) TH_LOG("nth=%u: module refcnt %ld -> %ld", nth, ref0, ref);
		if (op->never_fails)
			EXPECT_EQ(0, ret) TH_LOG("nth=%u: %s", nth, strerror(err));

		if (!hit) {
			/* Past the last fault site: the call must behave as the baseline. */
			EXPECT_EQ(base < 0, ret < 0) TH_LOG("untouched call: %ld, baseline %ld",
							     ret, base);
			if (base < 0 && ret < 0)
				EXPECT_EQ(base_err, err) TH_LOG("untouched call: %s, baseline %s",
								strerror(err), strerror(base_err));
			break;
		}
		if (ret < 0) {
			failed++;
			/* A fault on a path that fails anyway may leave the baseline's error. */
			EXPECT_TRUE(clean_errno(op, err) || (base < 0 && err == base_err))
				TH_LOG("nth=%u: injected failure gave errno %d (%s)",
				       nth, err, strerror(err));
		} else {
			/* A fallback path (mempool, retry) absorbed the fault. */
			absorbed++;
		}
		if (_metadata->passed == 0)
			break;
	}
	close(nth_fd);
	EXPECT_LT(nth, MAX_SITES) TH_LOG("the call never ran untouched");
	TH_LOG("%u fault site(s): %u failed cleanly, %u absorbed", nth - 1, failed, absorbed);
}

TEST_HARNESS_MAIN
