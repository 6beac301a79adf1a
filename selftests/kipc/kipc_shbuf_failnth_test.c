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
#include <sys/mman.h>

#include <libkipc.h>

#include "failnth.h"
#include "kipc_test.h"

struct failnth_ctx {
	int fd;			/* a buffer with 2 semaphores, for the ioctls */
	void *map;
	size_t map_len;
	struct kipc_ring *ring;
	int v0, v1;		/* semaphore values before the call */
};

static long call_create_anon(struct failnth_ctx *c)
{
	(void)c;
	return kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, 3 * 4096, 70,
			(const __u32 [70]){ [0] = 1, [69] = 2 });
}

static long call_create_named(struct failnth_ctx *c)
{
	(void)c;
	return kt_shbuf("fn-named", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600,
			2 * 4096, 2, NULL);
}

static void undo_named(struct failnth_ctx *c, long ret)
{
	(void)c;
	close(ret);
	kt_unlink("fn-named");
}

static long call_open_existing(struct failnth_ctx *c)
{
	(void)c;
	return kt_shbuf("fn-existing", O_RDWR, KIPC_OPEN_CREATE, 0600, 4096, 1, NULL);
}

static void undo_close(struct failnth_ctx *c, long ret)
{
	(void)c;
	close(ret);
}

static long call_mmap(struct failnth_ctx *c)
{
	c->map = mmap(NULL, c->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	return c->map == MAP_FAILED ? -1 : 0;
}

static void undo_munmap(struct failnth_ctx *c, long ret)
{
	(void)ret;
	munmap(c->map, c->map_len);
}

static long call_wait_undo(struct failnth_ctx *c)
{
	return kt_sem_wait(c->fd, 0, 1, KIPC_SEM_UNDO | KIPC_SEM_NONBLOCK, 0) ? -1 : 0;
}

static void undo_wait_undo(struct failnth_ctx *c, long ret)
{
	(void)ret;
	kt_sem_post(c->fd, 0, 1, KIPC_SEM_UNDO);
}

static long call_post(struct failnth_ctx *c)
{
	return kt_sem_post(c->fd, 1, 1, 0) ? -1 : 0;
}

static void undo_post(struct failnth_ctx *c, long ret)
{
	(void)ret;
	kt_sem_wait(c->fd, 1, 1, KIPC_SEM_NONBLOCK, 0);
}

static long call_semop(struct failnth_ctx *c)
{
	struct kipc_sembuf ops[2] = {
		{ .sem = 0, .delta = -1, .flags = KIPC_SEM_UNDO },
		{ .sem = 1, .delta = 1 },
	};

	return kt_semop(c->fd, ops, 2, KIPC_SEM_NONBLOCK, 0) ? -1 : 0;
}

static void undo_semop(struct failnth_ctx *c, long ret)
{
	struct kipc_sembuf ops[2] = {
		{ .sem = 1, .delta = -1 },
		{ .sem = 0, .delta = 1, .flags = KIPC_SEM_UNDO },
	};

	(void)ret;
	kt_semop(c->fd, ops, 2, KIPC_SEM_NONBLOCK, 0);
}

static long call_getvalue(struct failnth_ctx *c)
{
	return kt_sem_value(c->fd, 0, NULL) < 0 ? -1 : 0;
}

static long call_stats(struct failnth_ctx *c)
{
	struct kipc_stats st;

	return kt_stats(c->fd, &st) ? -1 : 0;
}

static long call_ring(struct failnth_ctx *c)
{
	struct kipc_ring_attr a = { .slot_size = 100, .nslots = 8 };

	c->ring = kipc_ring_create(NULL, 0600, &a);
	return c->ring ? 0 : -1;
}

static void undo_ring(struct failnth_ctx *c, long ret)
{
	(void)ret;
	kipc_ring_close(c->ring);
}

/* Every call: nothing half-created stays visible; semaphores are as before a failure. */
static int check_state(struct failnth_ctx *c, long ret, int err, bool values, char *why)
{
	int v0, v1, named;

	(void)err;
	named = kt_shbuf("fn-named", O_RDWR, 0, 0, 0, 0, NULL);
	if (named >= 0)
		close(named);
	if (ret < 0 && named != -ENOENT) {
		snprintf(why, FAILNTH_WHY, "fn-named is visible after a failure (%d)", named);
		return -1;
	}
	if (ret >= 0 || !values)
		return 0;
	v0 = kt_sem_value(c->fd, 0, NULL);
	v1 = kt_sem_value(c->fd, 1, NULL);
	if (v0 != c->v0 || v1 != c->v1) {
		snprintf(why, FAILNTH_WHY, "semaphores %d %d, were %d %d", v0, v1, c->v0, c->v1);
		return -1;
	}
	return 0;
}

static int check_name(struct failnth_ctx *c, long ret, int err, char *why)
{
	return check_state(c, ret, err, false, why);
}

static int check_values(struct failnth_ctx *c, long ret, int err, char *why)
{
	return check_state(c, ret, err, true, why);
}

static int prepare_values(struct failnth_ctx *c)
{
	c->v0 = kt_sem_value(c->fd, 0, NULL);
	c->v1 = kt_sem_value(c->fd, 1, NULL);
	return c->v0 < 0 || c->v1 < 0 ? -1 : 0;
}

#define SWEEP(name, ...)						\
	FIXTURE_VARIANT_ADD(failnth, name) {				\
		.op = &(const struct failnth_op){ .must_succeed = true,	\
						  __VA_ARGS__ },	\
	}

/* Nothing half-created stays visible after any call. */
#define SWEEP_NAME(name, ...)	SWEEP(name, .check = check_name, __VA_ARGS__)
/* And a failure leaves the semaphore values as they were. */
#define SWEEP_VALUES(name, ...)						\
	SWEEP(name, .prepare = prepare_values, .check = check_values, __VA_ARGS__)

FIXTURE(failnth) {
	struct failnth_state st;
	struct failnth_ctx c;
};

FIXTURE_VARIANT(failnth) {
	const struct failnth_op *op;
};

SWEEP_NAME(create_anon, .call = call_create_anon, .undo = undo_close);
SWEEP_NAME(create_named, .call = call_create_named, .undo = undo_named);
SWEEP_NAME(open_existing, .call = call_open_existing, .undo = undo_close);
SWEEP_NAME(mmap, .call = call_mmap, .undo = undo_munmap, .errnos = { EAGAIN });
SWEEP_VALUES(wait_with_undo, .call = call_wait_undo, .undo = undo_wait_undo);
SWEEP_VALUES(post, .call = call_post, .undo = undo_post);
SWEEP_VALUES(semop, .call = call_semop, .undo = undo_semop);
SWEEP_NAME(getvalue, .call = call_getvalue);
SWEEP_NAME(stats, .call = call_stats);
SWEEP_NAME(ring_create, .call = call_ring, .undo = undo_ring);

FIXTURE_SETUP(failnth)
{
	struct kipc_stats st;

	self->c.fd = -1;
	failnth_knobs_set(_metadata, &self->st);
	if (self->st.skip)
		return;
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
	if (self->st.skip)
		return;
	close(self->c.fd);
	kt_unlink("fn-existing");
	failnth_knobs_restore(&self->st);
}

FAILNTH_SWEEP_TEST()

TEST_HARNESS_MAIN
