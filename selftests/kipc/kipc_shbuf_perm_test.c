// SPDX-License-Identifier: GPL-2.0
/*
 * Shared buffers: permissions, ownership and IPC namespaces, the same rules
 * as queues (one object model). Runs as root in the test VM; the
 * unprivileged side runs in children that become uid/gid 65534 ("nobody").
 */
#include <sched.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

/* 0 or the errno of nobody opening @name with @oflag. */
static int nobody_open(const char *name, int oflag, int group)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd;

		kt_become_nobody(group);
		fd = kt_shbuf(name, oflag, 0, 0, 0, 0, NULL);
		_exit(fd < 0 ? -fd : 0);
	}
	return kt_wait_child(pid);
}

TEST(mode_bits_decide_who_may_open)
{
	int fd;

	ASSERT_EQ(0, getuid()) TH_LOG("this test runs as root");
	umask(0);
	fd = kt_shbuf("sbperm-0600", O_RDWR, KIPC_OPEN_CREATE, 0600, 4096, 1, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EACCES, nobody_open("sbperm-0600", O_RDONLY, -1));
	EXPECT_EQ(EACCES, nobody_open("sbperm-0600", O_RDWR, -1));
	close(fd);
	EXPECT_EQ(0, kt_unlink("sbperm-0600"));

	fd = kt_shbuf("sbperm-0604", O_RDWR, KIPC_OPEN_CREATE, 0604, 4096, 1, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, nobody_open("sbperm-0604", O_RDONLY, -1));
	EXPECT_EQ(EACCES, nobody_open("sbperm-0604", O_RDWR, -1));
	EXPECT_EQ(EACCES, nobody_open("sbperm-0604", O_WRONLY, -1));
	close(fd);
	EXPECT_EQ(0, kt_unlink("sbperm-0604"));

	fd = kt_shbuf("sbperm-0060", O_RDWR, KIPC_OPEN_CREATE, 0060, 4096, 1, NULL);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, nobody_open("sbperm-0060", O_RDWR, 0));	/* in root's group */
	EXPECT_EQ(EACCES, nobody_open("sbperm-0060", O_RDONLY, -1));
	close(fd);
	EXPECT_EQ(0, kt_unlink("sbperm-0060"));
}

TEST(read_access_maps_read_only_and_cannot_use_semaphores)
{
	long psz = sysconf(_SC_PAGESIZE);
	int fd, status;
	char *p;
	pid_t pid;

	umask(0);
	fd = kt_shbuf("sbperm-ro", O_RDWR, KIPC_OPEN_CREATE, 0644, psz, 1,
		      (const __u32 []){ 1 });
	ASSERT_LE(0, fd);
	p = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	strcpy(p + psz, "from root");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int ro;
		char *q;

		kt_become_nobody(-1);
		ro = kt_shbuf("sbperm-ro", O_RDONLY, 0, 0, 0, 0, NULL);
		if (ro < 0)
			_exit(1);
		if (mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) != MAP_FAILED)
			_exit(2);
		q = mmap(NULL, 2 * psz, PROT_READ, MAP_SHARED, ro, 0);
		if (q == MAP_FAILED || strcmp(q + psz, "from root"))
			_exit(3);
		if (kt_sem_wait(ro, 0, 1, KIPC_SEM_NONBLOCK, 0) != -EBADF ||
		    kt_sem_post(ro, 0, 1, 0) != -EBADF)
			_exit(4);
		if (kt_sem_value(ro, 0, NULL) != 1)
			_exit(5);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, kt_sem_value(fd, 0, NULL));
	munmap(p, 2 * psz);
	close(fd);
	EXPECT_EQ(0, kt_unlink("sbperm-ro"));
}

TEST(a_descriptor_keeps_the_openers_rights)
{
	long psz = sysconf(_SC_PAGESIZE);
	int fd = kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, psz, 1, NULL);
	pid_t pid;

	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *q;

		/* root opened it: nobody may still use the inherited descriptor */
		kt_become_nobody(-1);
		q = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (q == MAP_FAILED)
			_exit(1);
		strcpy(q + psz, "from nobody");
		_exit(kt_sem_post(fd, 0, 1, 0) ? 2 : 0);
	}
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(0, kt_sem_wait(fd, 0, 1, KIPC_SEM_NONBLOCK, 0));
	{
		char *p = mmap(NULL, 2 * psz, PROT_READ, MAP_SHARED, fd, 0);

		ASSERT_NE(MAP_FAILED, p);
		EXPECT_STREQ("from nobody", p + psz);
		munmap(p, 2 * psz);
	}
	close(fd);
}

TEST(only_the_owner_or_a_capable_user_may_unlink)
{
	pid_t pid;
	int fd = kt_shbuf("sbperm-unlink", O_RDWR, KIPC_OPEN_CREATE, 0666, 4096, 0, NULL);

	ASSERT_LE(0, fd);
	EXPECT_EQ(EPERM, kt_nobody_unlink("sbperm-unlink"));
	EXPECT_EQ(0, kt_unlink("sbperm-unlink"));
	close(fd);

	/* nobody's own buffer: nobody may unlink it */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		kt_become_nobody(-1);
		fd = kt_shbuf("sbperm-owned", O_RDWR, KIPC_OPEN_CREATE, 0600, 4096, 0, NULL);
		if (fd < 0)
			_exit(1);
		_exit(-kt_unlink("sbperm-owned"));
	}
	EXPECT_EQ(0, kt_wait_child(pid));
}

TEST(ipc_namespaces_isolate_names)
{
	long psz = sysconf(_SC_PAGESIZE);
	int fd = kt_shbuf("sbns-name", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600,
			  psz, 1, NULL);
	char *p;
	pid_t pid;

	ASSERT_LE(0, fd);
	p = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	strcpy(p + psz, "outer");
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *q;
		int in;

		if (unshare(CLONE_NEWIPC))
			_exit(1);
		if (kt_shbuf("sbns-name", O_RDWR, 0, 0, 0, 0, NULL) != -ENOENT)
			_exit(2);
		in = kt_shbuf("sbns-name", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
			      0600, psz, 1, NULL);
		if (in < 0)
			_exit(3);
		q = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, in, 0);
		if (q == MAP_FAILED || q[psz])	/* a new, zeroed buffer */
			_exit(4);
		strcpy(q + psz, "inner");
		if (kt_sem_post(in, 0, 5, 0))
			_exit(5);
		_exit(0);
	}
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_STREQ("outer", p + psz);
	EXPECT_EQ(0, kt_sem_value(fd, 0, NULL));
	munmap(p, 2 * psz);
	EXPECT_EQ(0, kt_unlink("sbns-name"));
	close(fd);
}

TEST(a_dead_namespace_buffers_never_reappear)
{
	pid_t pid;

	for (int round = 0; round < 2; round++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			int fd;

			if (unshare(CLONE_NEWIPC))
				_exit(1);
			if (round == 1 && kt_shbuf("sbns-ghost", O_RDWR, 0, 0, 0, 0, NULL) != -ENOENT)
				_exit(2);
			fd = kt_shbuf("sbns-ghost", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
				      0600, 4096, 1, NULL);
			_exit(fd < 0 ? 3 : 0);
		}
		EXPECT_EQ(0, kt_wait_child(pid)) TH_LOG("round %d", round);
	}
	EXPECT_EQ(-ENOENT, kt_unlink("sbns-ghost"));
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { .iov_base = "f", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {}, c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

TEST(a_buffer_passed_out_outlives_its_namespace)
{
	long psz = sysconf(_SC_PAGESIZE);
	int sv[2], fd;
	char *p;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *q;
		int in;

		if (unshare(CLONE_NEWIPC))
			_exit(1);
		in = kt_shbuf("sbns-passed", O_RDWR, KIPC_OPEN_CREATE, 0600, psz, 1, NULL);
		if (in < 0)
			_exit(2);
		q = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, in, 0);
		if (q == MAP_FAILED)
			_exit(3);
		strcpy(q + psz, "kept");
		_exit(send_fd(sv[1], in) ? 4 : 0);
	}
	fd = recv_fd(sv[0]);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, kt_wait_child(pid));
	/* the namespace is dead: a lookup miss from a new one reaps its names */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (unshare(CLONE_NEWIPC))
			_exit(1);
		_exit(kt_shbuf("sbns-passed", O_RDWR, 0, 0, 0, 0, NULL) == -ENOENT ? 0 : 2);
	}
	EXPECT_EQ(0, kt_wait_child(pid));
	/* the buffer itself lives on with the descriptor */
	p = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_STREQ("kept", p + psz);
	EXPECT_EQ(0, kt_sem_post(fd, 0, 2, 0));
	EXPECT_EQ(0, kt_sem_wait(fd, 0, 2, 0, 0));
	close(fd);
	EXPECT_STREQ("kept", p + psz);
	munmap(p, 2 * psz);
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
