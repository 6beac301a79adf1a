// SPDX-License-Identifier: GPL-2.0
/*
 * Shared buffers under fault injection: a systematic
 * /proc/thread-self/fail-nth sweep (RELIABILITY.md §1.3) of every shared
 * buffer entry point: create (anonymous, named, with initial values), open
 * by name, mmap, the semaphore ioctls (undo records, SEMOP's copy of its
 * operations), stats, and a ring built by libkipc.
 *
 * For each N = 1, 2, ... the sweep fails the Nth fault site of the call
 * and checks the failure is clean: ENOMEM or EFAULT (or a documented
 * errno), no descriptor or module reference left behind, no half-created
 * name visible, semaphore values unchanged. It stops at the first call
 * that runs untouched, which must match the call made without injection.
 * Crashes, leaks and lock reports are the VM runner's and the debug lane's
 * kmemleak scan's to catch.
 *
 * Kernels without CONFIG_FAULT_INJECTION (Debian's) have no fail-nth file:
 * every case is skipped there.
 */
#include <dirent.h>
#include <sys/mman.h>

#include <libkipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define FAULT_DIR	"/sys/kernel/debug"
#define MAX_SITES	20000

struct ctx {
	int fd;			/* a buffer with 2 semaphores, for the ioctls */
	void *map;
	size_t map_len;
	struct kipc_ring *ring;
};

struct op {
	long (*call)(struct ctx *c);
	void (*undo)(struct ctx *c, long ret);
	int errnos[3];		/* clean failures besides ENOMEM and EFAULT */
	int check_values;	/* semaphore values must not change on failure */
};

static long call_create_anon(struct ctx *c)
{
	(void)c;
	return kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, 3 * 4096, 70,
			(const __u32 [70]){ [0] = 1, [69] = 2 });
}

static long call_create_named(struct ctx *c)
{
	(void)c;
	return kt_shbuf("fn-named", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600,
			2 * 4096, 2, NULL);
}

static void undo_named(struct ctx *c, long ret)
{
	(void)c;
	close(ret);
	kt_unlink("fn-named");
}

static long call_open_existing(struct ctx *c)
{
	(void)c;
	return kt_shbuf("fn-existing", O_RDWR, KIPC_OPEN_CREATE, 0600, 4096, 1, NULL);
}

static void undo_close(struct ctx *c, long ret)
{
	(void)c;
	close(ret);
}

static long call_mmap(struct ctx *c)
{
	c->map = mmap(NULL, c->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	return c->map == MAP_FAILED ? -1 : 0;
}

static void undo_munmap(struct ctx *c, long ret)
{
	(void)ret;
	munmap(c->map, c->map_len);
}

static long call_wait_undo(struct ctx *c)
{
	return kt_sem_wait(c->fd, 0, 1, KIPC_SEM_UNDO | KIPC_SEM_NONBLOCK, 0) ? -1 : 0;
}

static void undo_wait_undo(struct ctx *c, long ret)
{
	(void)ret;
	kt_sem_post(c->fd, 0, 1, KIPC_SEM_UNDO);
}

static long call_post(struct ctx *c)
{
	return kt_sem_post(c->fd, 1, 1, 0) ? -1 : 0;
}

static void undo_post(struct ctx *c, long ret)
{
	(void)ret;
	kt_sem_wait(c->fd, 1, 1, KIPC_SEM_NONBLOCK, 0);
}

static long call_semop(struct ctx *c)
{
	struct kipc_sembuf ops[2] = {
		{ .sem = 0, .delta = -1, .flags = KIPC_SEM_UNDO },
		{ .sem = 1, .delta = 1 },
	};

	return kt_semop(c->fd, ops, 2, KIPC_SEM_NONBLOCK, 0) ? -1 : 0;
}

static void undo_semop(struct ctx *c, long ret)
{
	struct kipc_sembuf ops[2] = {
		{ .sem = 1, .delta = -1 },
		{ .sem = 0, .delta = 1, .flags = KIPC_SEM_UNDO },
	};

	(void)ret;
	kt_semop(c->fd, ops, 2, KIPC_SEM_NONBLOCK, 0);
}

static long call_getvalue(struct ctx *c)
{
	return kt_sem_value(c->fd, 0, NULL) < 0 ? -1 : 0;
}

static long call_stats(struct ctx *c)
{
	struct kipc_stats st;

	return kt_stats(c->fd, &st) ? -1 : 0;
}

static long call_ring(struct ctx *c)
{
	struct kipc_ring_attr a = { .slot_size = 100, .nslots = 8 };

	c->ring = kipc_ring_create(NULL, 0600, &a);
	return c->ring ? 0 : -1;
}

static void undo_ring(struct ctx *c, long ret)
{
	(void)ret;
	kipc_ring_close(c->ring);
}

#define SWEEP(name, ...)						\
	FIXTURE_VARIANT_ADD(failnth, name) {				\
		.op = &(const struct op){ __VA_ARGS__ },		\
	}

FIXTURE(failnth) {
	int skip;
	struct ctx c;
	char saved[6][16];
};

FIXTURE_VARIANT(failnth) {
	const struct op *op;
};

SWEEP(create_anon, .call = call_create_anon, .undo = undo_close);
SWEEP(create_named, .call = call_create_named, .undo = undo_named);
SWEEP(open_existing, .call = call_open_existing, .undo = undo_close);
SWEEP(mmap, .call = call_mmap, .undo = undo_munmap, .errnos = { EAGAIN });
SWEEP(wait_with_undo, .call = call_wait_undo, .undo = undo_wait_undo, .check_values = 1);
SWEEP(post, .call = call_post, .undo = undo_post, .check_values = 1);
SWEEP(semop, .call = call_semop, .undo = undo_semop, .check_values = 1);
SWEEP(getvalue, .call = call_getvalue);
SWEEP(stats, .call = call_stats);
SWEEP(ring_create, .call = call_ring, .undo = undo_ring);

static const char *const knobs[][2] = {
	{ "failslab/ignore-gfp-wait", "N" },
	{ "fail_page_alloc/ignore-gfp-wait", "N" },
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
	return n - 1;
}

/* Was the armed fault injected? Disarm either way (see RELIABILITY §1.3). */
static int injected(int fd)
{
	char buf[16] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	int hit = n == 2 && buf[0] == '0' && buf[1] == '\n';

	for (int i = 0; i < 2 && pwrite(fd, "0", 1, 0) != 1; i++)
		;
	return hit;
}

FIXTURE_SETUP(failnth)
{
	struct kipc_stats st;
	char path[128];

	self->c.fd = -1;
	self->skip = access(FAIL_NTH, F_OK) != 0;
	if (self->skip)
		return;
	for (unsigned int i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", FAULT_DIR, knobs[i][0]);
		self->saved[i][0] = '\0';
		if (read_file(path, self->saved[i], sizeof(self->saved[i])))
			continue;
		ASSERT_EQ(0, write_file(path, knobs[i][1]));
	}
	self->c.fd = kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, 4096, 2,
			      (const __u32 []){ 5, 0 });
	ASSERT_LE(0, self->c.fd);
	ASSERT_EQ(0, kt_stats(self->c.fd, &st));
	self->c.map_len = st.shbuf_data_offset + st.shbuf_size;
	kt_unlink("fn-named");
	kt_unlink("fn-existing");
	close(kt_shbuf("fn-existing", O_RDWR, KIPC_OPEN_CREATE, 0600, 4096, 1, NULL));
}

FIXTURE_TEARDOWN(failnth)
{
	char path[128];

	if (self->skip)
		return;
	close(self->c.fd);
	kt_unlink("fn-existing");
	for (unsigned int i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		if (!self->saved[i][0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", FAULT_DIR, knobs[i][0]);
		write_file(path, self->saved[i]);
	}
}

TEST_F_TIMEOUT(failnth, sweep, 300)
{
	const struct op *op = variant->op;
	unsigned int nth, failed = 0, absorbed = 0;
	int fds0, nth_fd, err, base_err, v0, v1, hit;
	long ret, base, ref0;
	char buf[16];

	if (self->skip)
		SKIP(return, "no %s: kernel without CONFIG_FAULT_INJECTION", FAIL_NTH);

	fds0 = count_fds();
	ref0 = kt_module_refcnt();
	errno = 0;
	base = op->call(&self->c);
	base_err = errno;
	ASSERT_LE(0, base) TH_LOG("baseline failed: %s", strerror(base_err));
	if (op->undo)
		op->undo(&self->c, base);
	ASSERT_EQ(fds0, count_fds());
	ASSERT_EQ(ref0, kt_module_refcnt());

	nth_fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, nth_fd);
	fds0 = count_fds();
	for (nth = 1; nth < MAX_SITES; nth++) {
		v0 = kt_sem_value(self->c.fd, 0, NULL);
		v1 = kt_sem_value(self->c.fd, 1, NULL);
		snprintf(buf, sizeof(buf), "%u", nth);
		ASSERT_EQ((ssize_t)strlen(buf), pwrite(nth_fd, buf, strlen(buf), 0));
		errno = 0;
		ret = op->call(&self->c);
		err = errno;
		hit = injected(nth_fd);

		if (ret >= 0 && op->undo)
			op->undo(&self->c, ret);
		if (ret < 0) {
			/* nothing half-made stays behind */
			EXPECT_EQ(-ENOENT, kt_shbuf("fn-named", O_RDWR, 0, 0, 0, 0, NULL));
			if (op->check_values) {
				EXPECT_EQ(v0, kt_sem_value(self->c.fd, 0, NULL)) TH_LOG("nth=%u", nth);
				EXPECT_EQ(v1, kt_sem_value(self->c.fd, 1, NULL)) TH_LOG("nth=%u", nth);
			}
		}
		EXPECT_EQ(fds0, count_fds()) TH_LOG("nth=%u", nth);
		EXPECT_EQ(ref0, kt_module_refcnt()) TH_LOG("nth=%u", nth);
		if (!hit) {
			EXPECT_LE(0, ret) TH_LOG("untouched call failed: %s", strerror(err));
			break;
		}
		if (ret < 0) {
			failed++;
			EXPECT_TRUE(err == ENOMEM || err == EFAULT || err == op->errnos[0] ||
				    err == op->errnos[1] || err == op->errnos[2])
				TH_LOG("nth=%u: errno %d (%s)", nth, err, strerror(err));
		} else {
			absorbed++;
		}
		if (!_metadata->passed)
			break;
	}
	close(nth_fd);
	EXPECT_LT(nth, MAX_SITES);
	TH_LOG("%u fault site(s): %u failed cleanly, %u absorbed", nth - 1, failed, absorbed);
}

TEST_HARNESS_MAIN
