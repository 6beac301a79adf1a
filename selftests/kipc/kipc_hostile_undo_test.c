// SPDX-License-Identifier: GPL-2.0
/*
 * Semaphore undo records are kernel memory a user makes kipc hold, one per
 * (file, process) that uses KIPC_SEM_UNDO: each is charged to the file's
 * opener, so opening a buffer again and again to make records ends in
 * EDQUOT, and closing gives the units and the charge back. A small budget
 * (set for the test) keeps it short.
 */
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "kipc_hostile.h"

#define UNDOER		2005
#define NAME		"hostile-undo"
#define ROOM		(256 * 1024)	/* budget left for undo records */
#define MAX_RECORDS	3000

struct undo {
	int setup;
	int records;		/* records made before the refusal */
	int refusal;		/* its error */
	int value;		/* semaphore 0 with all records held */
	int value_after;	/* and after closing them */
};

static void undoer(struct undo *u, __u32 nsems, int to_parent, int from_parent)
{
	static int fds[MAX_RECORDS];
	int first, ret = 0, n;

	kh_become(UNDOER, MAX_RECORDS + 64);
	first = kt_shbuf(NAME, O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, 0, nsems, NULL);
	if (first < 0) {
		u->setup = -first;
		_exit(0);
	}
	kh_signal(to_parent);
	if (!kh_wait(from_parent))
		_exit(0);
	for (n = 0; n < MAX_RECORDS; n++) {
		fds[n] = kt_shbuf(NAME, O_RDWR, 0, 0, 0, 0, NULL);
		if (fds[n] < 0) {
			u->setup = -fds[n];
			_exit(0);
		}
		/* a new file: a new record, charged before it is made */
		ret = kt_sem_post(fds[n], 0, 1, KIPC_SEM_UNDO);
		if (ret < 0) {
			close(fds[n]);
			break;
		}
	}
	u->records = n;
	u->refusal = -ret;
	u->value = kt_sem_value(first, 0, NULL);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	u->value_after = kt_sem_value(first, 0, NULL);
	kh_signal(to_parent);
	kh_wait(from_parent);
	_exit(0);
}

FIXTURE(undo) {
	long long user_bytes_max;
	struct undo *u;
	pid_t child;
};

FIXTURE_SETUP(undo)
{
	self->user_bytes_max = kt_param("user_bytes_max");
	self->u = kh_shared(sizeof(*self->u));
	ASSERT_NE(NULL, self->u);
	self->child = -1;
	kt_unlink(NAME);
}

FIXTURE_TEARDOWN(undo)
{
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		kt_wait_child(self->child);
	}
	if (self->user_bytes_max >= 0)
		kh_set_param("user_bytes_max", self->user_bytes_max);
	kt_unlink(NAME);
	munmap(self->u, sizeof(*self->u));
}

TEST_F_TIMEOUT(undo, undo_records_are_charged_to_the_opener_and_bounded, 300)
{
	struct kh_account a0, a1;
	int up[2], down[2];
	struct kh_limits l;
	__u32 nsems;

	KH_NEED_LIMITS(&l);
	nsems = l.sems_max < 256 ? l.sems_max : 256;
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (self->child == 0) {
		close(up[0]);
		close(down[1]);
		undoer(self->u, nsems, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	ASSERT_TRUE(kh_wait(up[0])) TH_LOG("creating the buffer: %s", strerror(self->u->setup));

	/* the buffer's semaphores are charged too, before any record */
	ASSERT_EQ(0, kh_account_of(UNDOER, &a0));
	EXPECT_LE((__u64)nsems * KIPC_SEM_CTL_SIZE, a0.user_bytes);
	ASSERT_EQ(0, kh_set_param("user_bytes_max", a0.user_bytes + ROOM));
	kh_signal(down[1]);
	ASSERT_TRUE(kh_wait(up[0]));
	ASSERT_EQ(0, self->u->setup) TH_LOG("reopening: %s", strerror(self->u->setup));

	TH_LOG("%d undo records of %u semaphores, then %s", self->u->records, nsems,
	       strerror(self->u->refusal));
	EXPECT_EQ(EDQUOT, self->u->refusal);
	EXPECT_LT(0, self->u->records);
	/* each holds at least a counter per semaphore */
	EXPECT_LE((long long)self->u->records * nsems * 8, ROOM);
	EXPECT_EQ(self->u->records, self->u->value);
	/* closing the files undid the posts */
	EXPECT_EQ(0, self->u->value_after);
	/* and released the records' charge, leaving the buffer's */
	ASSERT_EQ(0, kh_account_of(UNDOER, &a1));
	EXPECT_EQ(a0.user_bytes, a1.user_bytes);

	kh_signal(down[1]);
	EXPECT_EQ(0, kt_wait_child(self->child));
	self->child = -1;
	EXPECT_EQ(0, kt_unlink(NAME));
	EXPECT_EQ(0, kh_wait_user_bytes(UNDOER, 0, 5000));
}

TEST_HARNESS_MAIN
