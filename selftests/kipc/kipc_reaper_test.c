// SPDX-License-Identifier: GPL-2.0
/*
 * IPC namespaces that die give back their names and what those reserved,
 * without waiting for another namespace to come along: kipc watches every
 * namespace that can die until it has died. Two containers that are the
 * only users of kipc (no object in the initial namespace) both exit; both
 * are reaped, and the charge of the queues they left behind comes back.
 */
#include <poll.h>
#include <sched.h>

#include "kselftest_harness.h"
#include "kipc_hostile.h"

#define OWNER		65534
#define REAP_MS		15000	/* three reaper intervals */

/*
 * A container: its own IPC namespace, a named queue of OWNER's left in it;
 * it lives until @go's write end, of which it closes both copies
 * (@go_a_w, @go_b_w: a sibling's too), is closed.
 */
static pid_t container(int ready, int go, int go_a_w, int go_b_w)
{
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	close(go_a_w);
	close(go_b_w);
	if (unshare(CLONE_NEWIPC))
		_exit(1);
	kh_become(OWNER, 0);
	fd = kt_create("reaped", 8, 1024);
	if (fd < 0)
		_exit(2);
	close(fd);		/* the name keeps it */
	kh_signal(ready);
	kh_wait(go);		/* until the test closes its end */
	_exit(0);
}

FIXTURE(reaper) {
};

FIXTURE_SETUP(reaper)
{
}

FIXTURE_TEARDOWN(reaper)
{
}

/* Up to three reaper passes twice, and a first one with both alive. */
/* The container's ready signal, or its exit status if it died first. */
static int container_ready(int ready, pid_t pid)
{
	struct pollfd p = { .fd = ready, .events = POLLIN };

	while (poll(&p, 1, 100) == 0)
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return -1;
	return kh_wait(ready) ? 0 : -1;
}

TEST_F_TIMEOUT(reaper, dead_namespaces_are_reaped_without_a_newcomer, 60)
{
	int ready[2], go_a[2], go_b[2];
	struct kh_account a;
	__u64 both, one;
	pid_t pa, pb;

	if (access(kt_module_path(), R_OK))
		SKIP(return, "no %s to reload", kt_module_path());
	/* A fresh module: no namespace record, the initial one's included. */
	ASSERT_EQ(0, kt_unload_module()) TH_LOG("unload: %s", strerror(errno));
	ASSERT_EQ(0, kt_load_module()) TH_LOG("load: %s", strerror(errno));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go_a));
	ASSERT_EQ(0, pipe(go_b));

	pa = container(ready[1], go_a[0], go_a[1], go_b[1]);
	ASSERT_LT(0, pa);
	ASSERT_EQ(0, container_ready(ready[0], pa));
	pb = container(ready[1], go_b[0], go_a[1], go_b[1]);
	ASSERT_LT(0, pb);
	ASSERT_EQ(0, container_ready(ready[0], pb));
	ASSERT_EQ(0, kh_account_of(OWNER, &a));
	ASSERT_TRUE(a.have);
	both = a.user_bytes;
	ASSERT_EQ(2, a.user_queues);

	/* Both alive through a pass of the reaper; then one dies. */
	sleep(6);
	close(go_a[1]);
	ASSERT_EQ(0, kt_wait_child(pa));
	one = kh_wait_user_bytes(OWNER, both / 2, REAP_MS);
	ASSERT_EQ(both / 2, one) TH_LOG("the first dead namespace kept its names");

	/* The last one that can die dies too: nobody new arrives. */
	close(go_b[1]);
	ASSERT_EQ(0, kt_wait_child(pb));
	EXPECT_EQ(0, kh_wait_user_bytes(OWNER, 0, REAP_MS))
		TH_LOG("the last dead namespace was never reaped");
	ASSERT_EQ(0, kh_account_of(OWNER, &a));
	EXPECT_EQ(0, a.user_queues);
}

TEST_HARNESS_MAIN
