// SPDX-License-Identifier: GPL-2.0
/*
 * Message queues: permissions, ownership, per-user limits and IPC
 * namespaces. Runs as root in the test VM; the unprivileged side runs in
 * children that become uid/gid 65534 ("nobody").
 */
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

/* Status of a child that opened @name with @oflag as nobody: 0 or the errno. */
static int nobody_open(const char *name, int oflag, int group)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd;

		kt_become_nobody(group);
		fd = kt_queue(name, oflag, 0, 0, 0, 0);
		_exit(fd < 0 ? -fd : 0);
	}
	return kt_wait_child(pid);
}

TEST(mode_bits_decide_who_may_open)
{
	int fd;

	ASSERT_EQ(0, getuid()) TH_LOG("this test runs as root");
	umask(0);	/* the mode bits below are the ones under test */
	fd = kt_queue("perm-0600", O_RDWR, KIPC_OPEN_CREATE, 0600, 0, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EACCES, nobody_open("perm-0600", O_RDONLY, -1));
	EXPECT_EQ(EACCES, nobody_open("perm-0600", O_WRONLY, -1));
	close(fd);
	EXPECT_EQ(0, kt_unlink("perm-0600"));

	fd = kt_queue("perm-0644", O_RDWR, KIPC_OPEN_CREATE, 0644, 0, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, nobody_open("perm-0644", O_RDONLY, -1));
	EXPECT_EQ(EACCES, nobody_open("perm-0644", O_WRONLY, -1));
	EXPECT_EQ(EACCES, nobody_open("perm-0644", O_RDWR, -1));
	close(fd);
	EXPECT_EQ(0, kt_unlink("perm-0644"));

	fd = kt_queue("perm-0602", O_RDWR, KIPC_OPEN_CREATE, 0602, 0, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, nobody_open("perm-0602", O_WRONLY, -1));
	EXPECT_EQ(EACCES, nobody_open("perm-0602", O_RDONLY, -1));
	close(fd);
	EXPECT_EQ(0, kt_unlink("perm-0602"));
}

TEST(group_bits_apply_to_members_of_the_group)
{
	int fd;

	umask(0);
	fd = kt_queue("perm-group", O_RDWR, KIPC_OPEN_CREATE, 0060, 0, 0);
	ASSERT_LE(0, fd);
	/* root's group is 0: a member may read and write, others may not */
	EXPECT_EQ(0, nobody_open("perm-group", O_RDWR, 0));
	EXPECT_EQ(EACCES, nobody_open("perm-group", O_RDONLY, -1));
	close(fd);
	EXPECT_EQ(0, kt_unlink("perm-group"));
}

TEST(umask_applies_to_a_new_queue)
{
	struct kipc_stats st;
	mode_t old = umask(077);
	int fd = kt_queue("perm-umask", O_RDWR, KIPC_OPEN_CREATE, 0666, 0, 0);

	umask(old);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(0600, st.mode);
	close(fd);
	EXPECT_EQ(0, kt_unlink("perm-umask"));
}

TEST(only_the_owner_or_a_capable_user_may_unlink)
{
	pid_t pid;
	int fd = kt_queue("perm-unlink", O_RDWR, KIPC_OPEN_CREATE, 0666, 0, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(EPERM, kt_nobody_unlink("perm-unlink"));
	EXPECT_EQ(0, kt_unlink("perm-unlink"));
	close(fd);

	/* nobody's own queue: nobody may unlink it; root may open it anyway */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		kt_become_nobody(-1);
		fd = kt_queue("perm-owned", O_RDWR, KIPC_OPEN_CREATE, 0600, 0, 0);
		_exit(fd < 0 ? -fd : 0);
	}
	ASSERT_EQ(0, kt_wait_child(pid));
	fd = kt_queue("perm-owned", O_RDWR, 0, 0, 0, 0);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, kt_nobody_unlink("perm-owned"));
}

TEST(queues_per_user_are_limited)
{
	long old = kt_param("max_queues_per_user");
	pid_t pid;

	ASSERT_LT(0, old);
	ASSERT_EQ(0, kt_set_param("max_queues_per_user", 3));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fds[3], fd;

		kt_become_nobody(-1);
		for (int i = 0; i < 3; i++)
			if ((fds[i] = kt_anon(O_RDWR, 0, 0)) < 0)
				_exit(1);
		if (kt_anon(O_RDWR, 0, 0) != -EMFILE)
			_exit(2);
		if (kt_queue("perm-limit", O_RDWR, KIPC_OPEN_CREATE, 0600, 0, 0) != -EMFILE)
			_exit(3);
		close(fds[0]);	/* an anonymous queue dies with its last file */
		fd = kt_anon(O_RDWR, 0, 0);
		_exit(fd < 0 ? 4 : 0);
	}
	EXPECT_EQ(0, kt_wait_child(pid));
	/* root is another user, with a count of its own */
	int fd = kt_anon(O_RDWR, 0, 0);

	EXPECT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, kt_set_param("max_queues_per_user", old));
}

TEST(ipc_namespaces_isolate_names)
{
	char buf[8];
	pid_t pid;
	int fd = kt_create("ns-shared-name", 4, 8);

	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int q;

		if (unshare(CLONE_NEWIPC))
			_exit(1);
		if (kt_queue("ns-shared-name", O_RDWR, 0, 0, 0, 0) != -ENOENT)
			_exit(2);
		q = kt_create("ns-shared-name", 4, 8);
		if (q < 0)
			_exit(3);
		if (write(q, "inner", 5) != 5)
			_exit(4);
		_exit(0);
	}
	EXPECT_EQ(0, kt_wait_child(pid));
	/* the inner queue's message never reaches the outer queue */
	ASSERT_EQ(0, fcntl(fd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, kt_unlink("ns-shared-name"));
	close(fd);
}

TEST(a_dead_namespace_names_never_reappear)
{
	pid_t pid;

	for (int round = 0; round < 2; round++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			int fd;

			if (unshare(CLONE_NEWIPC))
				_exit(1);
			/* the first round leaves a name; the second must not see it */
			if (round == 1 && kt_queue("ns-ghost", O_RDWR, 0, 0, 0, 0) != -ENOENT)
				_exit(2);
			fd = kt_create("ns-ghost", 4, 8);
			_exit(fd < 0 ? 3 : 0);
		}
		EXPECT_EQ(0, kt_wait_child(pid)) TH_LOG("round %d", round);
	}
	EXPECT_EQ(-ENOENT, kt_unlink("ns-ghost"));
}

TEST(a_dead_namespace_queues_are_reclaimed)
{
	long old = kt_param("max_queues_per_user");
	pid_t pid;

	ASSERT_EQ(0, kt_set_param("max_queues_per_user", 2));
	for (int round = 0; round < 3; round++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (unshare(CLONE_NEWIPC))
				_exit(1);
			kt_become_nobody(-1);
			/*
			 * Named queues left behind in a namespace that dies count
			 * against nobody's limit only until they are reaped.
			 */
			for (int i = 0; i < 2; i++) {
				char name[KIPC_NAME_MAX] = "";
				int fd;

				snprintf(name, sizeof(name), "reap-%d", i);
				fd = kt_queue(name, O_RDWR, KIPC_OPEN_CREATE, 0600, 0, 0);
				if (fd < 0)
					_exit(10 - fd);
				close(fd);
			}
			_exit(0);
		}
		EXPECT_EQ(0, kt_wait_child(pid)) TH_LOG("round %d", round);
	}
	ASSERT_EQ(0, kt_set_param("max_queues_per_user", old));
}

TEST_HARNESS_MAIN
