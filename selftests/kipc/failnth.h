/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shared /proc/thread-self/fail-nth sweep of the kipc fault-injection
 * tests (kipc_failnth_test.c, kipc_shbuf_failnth_test.c,
 * kipc_netlink_failnth_test.c); RELIABILITY.md §1.3 gives the recipe.
 *
 * A test describes each entry point as a struct failnth_op and calls
 * failnth_run() from a TEST_F. For N = 1, 2, ... the sweep prepares the
 * call (outside the injection window), writes N to fail-nth, makes the
 * call, reads fail-nth back ("0": the Nth fault site of the call was
 * failed) and disarms it, lets the op finish what must happen without
 * injection (reading netlink answers), checks what the call left behind,
 * undoes a success and cleans up. It stops at the first call that runs
 * untouched, which must behave like the baseline call made first without
 * injection, and must then succeed if the baseline did.
 *
 * Every injected failure must give ENOMEM, EFAULT, an errno the op lists,
 * or the baseline's errno on a call that fails anyway, or be absorbed by a
 * fallback; the op's check() must find the state consistent (nothing
 * half-made, nothing lost) after every call, failed or not; and the
 * process's descriptor count and the module's reference count must be as
 * before. Crashes, leaks and lock reports are the VM runner's and the
 * debug lane's kmemleak scan's to catch.
 *
 * fail-nth fails slab and page allocations, user copies and futex ops;
 * failslab and fail_page_alloc skip sleeping (GFP_KERNEL) allocations
 * unless their ignore-gfp-wait is N, and fail_page_alloc skips order 0
 * unless min-order is 0: failnth_knobs_set() sets them (and verbose=0, so an
 * injected failure prints no stack) and failnth_knobs_restore() restores them.
 * Kernels without CONFIG_FAULT_INJECTION (Debian's) have no fail-nth file:
 * failnth_knobs_set() says so and the test skips.
 */
#ifndef KIPC_FAILNTH_H
#define KIPC_FAILNTH_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define FAULT_DIR	"/sys/kernel/debug"
/* A call with more fault sites than this is a runaway loop, not a call. */
#define FAILNTH_MAX_SITES	20000
#define FAILNTH_WHY		256

/* Defined by each test: whatever its ops share. */
struct failnth_ctx;

struct failnth_op {
	/* Per call, outside the injection window; may be NULL. 0 or -1. */
	int (*prepare)(struct failnth_ctx *c);
	/*
	 * The call under test, and no other system call (not even
	 * clock_gettime(): under TCG the vDSO falls back to the system call,
	 * whose copy-out fail-nth fails): >= 0 or -1 with errno.
	 */
	long (*call)(struct failnth_ctx *c);
	/*
	 * After the injection window: finish what the call started (read a
	 * netlink answer) and return the call's final result, setting *err
	 * on failure; may be NULL.
	 */
	long (*finish)(struct failnth_ctx *c, long ret, int *err);
	/*
	 * Is the state consistent with the result? 0, or -1 with @why set
	 * (nothing half-made visible, nothing lost, nothing changed by a
	 * failure). Runs for every call, before undo(); may be NULL.
	 */
	int (*check)(struct failnth_ctx *c, long ret, int err, char *why);
	/* Release what a successful call made; may be NULL. */
	void (*undo)(struct failnth_ctx *c, long ret);
	/* After every call, failed or not; may be NULL. */
	void (*cleanup)(struct failnth_ctx *c);
	bool never_fails;	/* close(): 0 even under injection */
	bool must_succeed;	/* the baseline must succeed */
	bool same_ret;		/* the untouched call returns the baseline's value */
	int errnos[6];		/* clean failures besides ENOMEM and EFAULT */
};

struct failnth_state {
	bool skip;
	char saved[8][16];
};

/* Knobs the sweep sets, and the value it sets them to. */
static const char *const failnth_knobs[][2] = {
	{ "failslab/ignore-gfp-wait", "N" },
	{ "fail_page_alloc/ignore-gfp-wait", "N" },
	{ "fail_page_alloc/min-order", "0" },
	{ "failslab/verbose", "0" },
	{ "fail_page_alloc/verbose", "0" },
	{ "fail_usercopy/verbose", "0" },
	{ "fail_futex/verbose", "0" },
};

#define FAILNTH_NKNOBS	(sizeof(failnth_knobs) / sizeof(failnth_knobs[0]))

static inline int failnth_read_file(const char *path, char *buf, size_t len)
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

static inline int failnth_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static inline int failnth_count_fds(void)
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

static inline long failnth_module_refcnt(void)
{
	char buf[32];

	if (failnth_read_file("/sys/module/kipc/refcnt", buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

/*
 * The module's reference count once it settles at @want (a netlink dump
 * holds one until its socket is gone, which may be after close()).
 */
static inline long failnth_refcnt_settled(long want)
{
	long ref = failnth_module_refcnt();

	for (int i = 0; i < 200 && ref != want; i++) {
		usleep(5000);
		ref = failnth_module_refcnt();
	}
	return ref;
}

/* Arm fail-nth for the next call of this thread. */
static inline int failnth_inject(int fd, unsigned int nth)
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
static inline bool failnth_injected(int fd)
{
	char buf[16] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	bool hit = n == 2 && buf[0] == '0' && buf[1] == '\n';

	/* The disarming write may itself be the injected fault: retry once. */
	for (int i = 0; i < 2 && pwrite(fd, "0", 1, 0) != 1; i++)
		;
	return hit;
}

/*
 * Set the fault knobs; st->skip without fail-nth. Call from FIXTURE_SETUP
 * (and SKIP in the test body: a SKIP() in the setup still runs the body on
 * the 6.1 harness).
 */
static inline void failnth_knobs_set(struct __test_metadata *_metadata,
				 struct failnth_state *st)
{
	char path[128];

	st->skip = access(FAIL_NTH, F_OK) != 0;
	if (st->skip)
		return;
	for (unsigned int i = 0; i < FAILNTH_NKNOBS; i++) {
		snprintf(path, sizeof(path), "%s/%s", FAULT_DIR, failnth_knobs[i][0]);
		st->saved[i][0] = '\0';
		if (failnth_read_file(path, st->saved[i], sizeof(st->saved[i])))
			continue;	/* that fault type is not built in */
		ASSERT_EQ(0, failnth_write_file(path, failnth_knobs[i][1]))
			TH_LOG("cannot set %s", path);
	}
	/* Without ignore-gfp-wait=N, GFP_KERNEL allocations are never failed. */
	snprintf(path, sizeof(path), "%s/%s", FAULT_DIR, failnth_knobs[0][0]);
	ASSERT_EQ(0, access(path, F_OK))
		TH_LOG("%s missing: debugfs not mounted, or no FAILSLAB", path);
}

static inline void failnth_knobs_restore(struct failnth_state *st)
{
	char path[128];

	if (st->skip)
		return;
	for (unsigned int i = 0; i < FAILNTH_NKNOBS; i++) {
		if (!st->saved[i][0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", FAULT_DIR, failnth_knobs[i][0]);
		failnth_write_file(path, st->saved[i]);
	}
}

static inline bool failnth_clean_errno(const struct failnth_op *op, int err)
{
	if (err == ENOMEM || err == EFAULT)
		return true;
	for (unsigned int i = 0; i < sizeof(op->errnos) / sizeof(op->errnos[0]); i++)
		if (op->errnos[i] && op->errnos[i] == err)
			return true;
	return false;
}

/* One call, outside or inside the injection window (nth_fd < 0: outside). */
static inline long failnth_call(struct __test_metadata *_metadata,
				struct failnth_ctx *c, const struct failnth_op *op,
				int nth_fd, unsigned int nth, int *err, bool *hit)
{
	char why[FAILNTH_WHY] = "";
	long ret;

	if (op->prepare)
		ASSERT_EQ(0, op->prepare(c)) TH_LOG("prepare for nth=%u: %s", nth,
						    strerror(errno));
	if (nth_fd >= 0)
		ASSERT_EQ(0, failnth_inject(nth_fd, nth));
	errno = 0;
	ret = op->call(c);
	*err = ret < 0 ? errno : 0;
	*hit = nth_fd >= 0 && failnth_injected(nth_fd);
	if (op->finish)
		ret = op->finish(c, ret, err);
	if (op->check && op->check(c, ret, *err, why))
		EXPECT_TRUE(false) TH_LOG("nth=%u: after %ld (%s): %s", nth, ret,
					  ret < 0 ? strerror(*err) : "success", why);
	if (ret >= 0 && op->undo)
		op->undo(c, ret);
	if (op->cleanup)
		op->cleanup(c);
	return ret;
}

/*
 * The sweep: a baseline call without injection, then N = 1, 2, ... until
 * the call runs untouched.
 */
static inline void failnth_run(struct __test_metadata *_metadata,
				 struct failnth_ctx *c, const struct failnth_op *op)
{
	unsigned int nth, failed = 0, absorbed = 0;
	int fds0, fds, err, base_err, nth_fd;
	long ret, base, ref0, ref;
	bool hit;

	fds0 = failnth_count_fds();
	ref0 = failnth_module_refcnt();
	ASSERT_LE(0, fds0);
	ASSERT_LE(0, ref0);
	base = failnth_call(_metadata, c, op, -1, 0, &base_err, &hit);
	TH_LOG("baseline: %ld (%s)", base, base < 0 ? strerror(base_err) : "success");
	if (op->never_fails || op->must_succeed)
		ASSERT_LE(0, base) TH_LOG("baseline failed: %s", strerror(base_err));
	ASSERT_EQ(fds0, failnth_count_fds());
	ASSERT_EQ(ref0, failnth_refcnt_settled(ref0));

	nth_fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, nth_fd);
	fds0 = failnth_count_fds();
	for (nth = 1; nth < FAILNTH_MAX_SITES; nth++) {
		ret = failnth_call(_metadata, c, op, nth_fd, nth, &err, &hit);
		if (getenv("FAILNTH_VERBOSE"))
			TH_LOG("nth=%u: %s, %ld (%s)", nth, hit ? "injected" : "untouched", ret,
			       ret < 0 ? strerror(err) : "success");
		fds = failnth_count_fds();
		ref = failnth_refcnt_settled(ref0);
		EXPECT_EQ(fds0, fds) TH_LOG("nth=%u: file descriptors %d -> %d", nth, fds0, fds);
		EXPECT_EQ(ref0, ref) TH_LOG("nth=%u: module refcnt %ld -> %ld", nth, ref0, ref);
		if (op->never_fails)
			EXPECT_LE(0, ret) TH_LOG("nth=%u: %s", nth, strerror(err));

		if (!hit) {
			/* Past the last fault site: the call must behave as the baseline. */
			EXPECT_EQ(base < 0, ret < 0)
				TH_LOG("untouched call: %ld (%s), baseline %ld", ret,
				       ret < 0 ? strerror(err) : "success", base);
			if (base < 0 && ret < 0)
				EXPECT_EQ(base_err, err) TH_LOG("untouched call: %s, baseline %s",
								strerror(err), strerror(base_err));
			if (op->same_ret && base >= 0)
				EXPECT_EQ(base, ret) TH_LOG("untouched call returned %ld, baseline %ld",
							    ret, base);
			break;
		}
		if (ret < 0) {
			failed++;
			/* A fault on a path that fails anyway may leave the baseline's error. */
			EXPECT_TRUE(failnth_clean_errno(op, err) || (base < 0 && err == base_err))
				TH_LOG("nth=%u: injected failure gave errno %d (%s)",
				       nth, err, strerror(err));
		} else {
			/* A fallback path (mempool, retry) absorbed the fault. */
			absorbed++;
		}
		if (!_metadata->passed)
			break;
	}
	close(nth_fd);
	EXPECT_LT(nth, FAILNTH_MAX_SITES) TH_LOG("the call never ran untouched");
	TH_LOG("%u fault site(s): %u failed cleanly, %u absorbed", nth - 1, failed, absorbed);
}

/*
 * The sweep test of a file whose FIXTURE(failnth) holds a struct
 * failnth_state st and a struct failnth_ctx c, and whose variants name an
 * op: one TEST_F per variant, skipped without fail-nth.
 */
#define FAILNTH_SWEEP_TEST()							\
TEST_F_TIMEOUT(failnth, sweep, 300)						\
{										\
	if (self->st.skip)							\
		SKIP(return, "no %s: kernel without CONFIG_FAULT_INJECTION", FAIL_NTH); \
	failnth_run(_metadata, &self->c, variant->op);				\
}

#endif /* KIPC_FAILNTH_H */
