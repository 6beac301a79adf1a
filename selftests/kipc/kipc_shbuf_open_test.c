// SPDX-License-Identifier: GPL-2.0
/*
 * Shared buffers: creating and opening, limits, initial values, hostile
 * arguments, the one object model shared with queues, and statistics.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

TEST(abi_version_has_shared_buffers)
{
	struct kipc_version ver;
	int fd = kt_open_dev(O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, KIPC_IOC_VERSION, &ver));
	EXPECT_LE(2, ver.abi);
	close(fd);
}

TEST(create_open_and_unlink_a_named_buffer)
{
	struct kipc_stats st1, st2;
	int fd1, fd2;

	fd1 = kt_shbuf("sb-named", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600,
		       100, 3, NULL);
	ASSERT_LE(0, fd1);
	ASSERT_EQ(0, kt_stats(fd1, &st1));
	EXPECT_EQ(KIPC_TYPE_SHBUF, st1.type);
	EXPECT_EQ(page_size(), st1.shbuf_size);		/* page-rounded */
	EXPECT_EQ(3, st1.shbuf_nsems);
	EXPECT_EQ(page_size(), st1.shbuf_data_offset);	/* one control page */
	EXPECT_EQ(0, st1.shbuf_mappings);

	/* exclusive create of an existing name fails; plain create opens it */
	EXPECT_EQ(-EEXIST, kt_shbuf("sb-named", O_RDWR,
				    KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, 100, 3, NULL));
	fd2 = kt_shbuf("sb-named", O_RDWR, KIPC_OPEN_CREATE, 0600, 1 << 20, 9, NULL);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, kt_stats(fd2, &st2));
	EXPECT_EQ(st1.id, st2.id);
	EXPECT_EQ(page_size(), st2.shbuf_size);		/* the existing size */
	close(fd2);
	fd2 = kt_shbuf("sb-named", O_RDONLY, 0, 0, 0, 0, NULL);
	ASSERT_LE(0, fd2);
	close(fd2);

	EXPECT_EQ(0, kt_unlink("sb-named"));
	EXPECT_EQ(-ENOENT, kt_shbuf("sb-named", O_RDWR, 0, 0, 0, 0, NULL));
	/* the object lives on with its file */
	EXPECT_EQ(0, kt_sem_post(fd1, 0, 1, 0));
	EXPECT_EQ(1, kt_sem_value(fd1, 0, NULL));
	close(fd1);
}

TEST(anonymous_buffers_have_no_name)
{
	int fd = kt_shbuf_anon(8192, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, kt_shbuf("x", O_RDWR, KIPC_OPEN_ANON, 0600, 4096, 1, NULL));
	EXPECT_EQ(-EINVAL, kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON | KIPC_OPEN_CREATE,
				    0600, 4096, 1, NULL));
	close(fd);
}

TEST(layout_follows_the_number_of_semaphores)
{
	struct { __u32 nsems; long ctl_pages; } cases[] = {
		{ 0, 0 }, { 1, 1 }, { 64, 1 }, { 65, 2 }, { 256, 4 },
	};
	struct kipc_stats st;

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fd = kt_shbuf_anon(3 * page_size(), cases[i].nsems);

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, kt_stats(fd, &st));
		EXPECT_EQ(cases[i].ctl_pages * page_size(), st.shbuf_data_offset);
		EXPECT_EQ(3 * page_size(), st.shbuf_size);
		close(fd);
	}
}

TEST(sizes_and_counts_are_capped_by_module_parameters)
{
	long old_size = kt_param("shbuf_size_max");
	long old_sems = kt_param("sems_max");
	int fd;

	ASSERT_LT(0, old_size);
	ASSERT_LT(0, old_sems);
	ASSERT_EQ(0, kt_set_param("shbuf_size_max", 1 << 20));
	ASSERT_EQ(0, kt_set_param("sems_max", 8));

	fd = kt_shbuf_anon(1 << 20, 8);
	EXPECT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-EINVAL, kt_shbuf_anon((1 << 20) + 1, 0));
	EXPECT_EQ(-EINVAL, kt_shbuf_anon(4096, 9));
	EXPECT_EQ(-EINVAL, kt_shbuf_anon(0, 0));	/* neither data nor semaphores */
	fd = kt_shbuf_anon(0, 1);			/* semaphores only */
	EXPECT_LE(0, fd);
	close(fd);
	/* hostile sizes */
	EXPECT_EQ(-EINVAL, kt_shbuf_anon(~0ULL, 0));
	EXPECT_EQ(-EINVAL, kt_shbuf_anon(~0ULL - 4095, 0));
	EXPECT_EQ(-EINVAL, kt_shbuf_anon(1ULL << 63, 1));
	EXPECT_EQ(-EINVAL, kt_shbuf_anon(4096, ~0U));
	EXPECT_EQ(-EINVAL, kt_shbuf_anon(4096, 1U << 31));

	/* a parameter above the hard ceiling does not lift it */
	ASSERT_EQ(0, kt_set_param("sems_max", 1 << 20));
	EXPECT_EQ(-EINVAL, kt_shbuf_anon(4096, 4097));

	ASSERT_EQ(0, kt_set_param("shbuf_size_max", old_size));
	ASSERT_EQ(0, kt_set_param("sems_max", old_sems));
}

TEST(initial_values_are_copied_and_checked)
{
	__u32 values[4] = { 0, 1, 7, KIPC_SEM_VALUE_MAX };
	int fd = kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, 4096, 4, values);

	ASSERT_LE(0, fd);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ((int)values[i], kt_sem_value(fd, i, NULL));
	close(fd);

	values[2] = KIPC_SEM_VALUE_MAX + 1;
	EXPECT_EQ(-EINVAL, kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, 4096, 4, values));
	values[2] = ~0U;
	EXPECT_EQ(-EINVAL, kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, 4096, 4, values));
	/* unreadable arrays: bad pointer, and one that ends on an unmapped page */
	EXPECT_EQ(-EFAULT, kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, 4096, 4,
				    (const __u32 *)8));
	{
		char *p = mmap(NULL, 2 * page_size(), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		ASSERT_NE(MAP_FAILED, p);
		ASSERT_EQ(0, munmap(p + page_size(), page_size()));
		EXPECT_EQ(-EFAULT, kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, 4096, 2,
					    (const __u32 *)(p + page_size() - 4)));
		munmap(p, page_size());
	}
}

TEST(extensible_struct_rules_apply)
{
	struct {
		struct kipc_shbuf_open so;
		__u64 tail;
	} big = {};
	int fd = kt_open_dev(O_RDWR);

	ASSERT_LE(0, fd);
	big.so.flags = KIPC_OPEN_ANON;
	big.so.mode = 0600;
	big.so.bufsize = 4096;

	/* The command number encodes the size: each size is its own number. */
	big.so.size = KIPC_SHBUF_OPEN_SIZE_VER0 - 1;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(fd, KT_IOC_SIZED(KIPC_IOC_SHBUF_OPEN, big.so.size),
					&big)));
	big.so.size = 8192;
	EXPECT_EQ(-E2BIG, kt_err(ioctl(fd, KT_IOC_SIZED(KIPC_IOC_SHBUF_OPEN, 8192), &big)));
	big.so.size = sizeof(big);
	/* the size field must be the command's */
	EXPECT_EQ(-EINVAL, kt_err(ioctl(fd, KIPC_IOC_SHBUF_OPEN, &big)));
	big.tail = 1;
	EXPECT_EQ(-E2BIG, kt_err(ioctl(fd, KT_IOC_SIZED(KIPC_IOC_SHBUF_OPEN, sizeof(big)),
				       &big)));
	big.tail = 0;
	EXPECT_EQ(0, kt_err(ioctl(fd, KT_IOC_SIZED(KIPC_IOC_SHBUF_OPEN, sizeof(big)), &big)));
	/* bound once */
	EXPECT_EQ(-EBUSY, kt_err(ioctl(fd, KT_IOC_SIZED(KIPC_IOC_SHBUF_OPEN, sizeof(big)),
				       &big)));
	close(fd);

	fd = kt_open_dev(O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EFAULT, kt_err(ioctl(fd, KIPC_IOC_SHBUF_OPEN, NULL)));
	close(fd);
	EXPECT_EQ(-EINVAL, kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON | 0x80, 0600, 4096, 0, NULL));
	EXPECT_EQ(-EINVAL, kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 01000, 4096, 0, NULL));
	EXPECT_EQ(-EINVAL, kt_shbuf("bad/name", O_RDWR, KIPC_OPEN_CREATE, 0600, 4096, 0, NULL));
	EXPECT_EQ(-EINVAL, kt_shbuf("", O_RDWR, KIPC_OPEN_CREATE, 0600, 4096, 0, NULL));
}

TEST(queues_and_buffers_share_one_name_table)
{
	int q = kt_create("sb-shared-name", 4, 16);
	int b;

	ASSERT_LE(0, q);
	EXPECT_EQ(-EINVAL, kt_shbuf("sb-shared-name", O_RDWR, 0, 0, 0, 0, NULL));
	EXPECT_EQ(-EEXIST, kt_shbuf("sb-shared-name", O_RDWR,
				    KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, 4096, 0, NULL));
	EXPECT_EQ(-EINVAL, kt_shbuf("sb-shared-name", O_RDWR, KIPC_OPEN_CREATE, 0600,
				    4096, 0, NULL));
	EXPECT_EQ(0, kt_unlink("sb-shared-name"));
	close(q);

	b = kt_shbuf("sb-shared-name", O_RDWR, KIPC_OPEN_CREATE, 0600, 4096, 1, NULL);
	ASSERT_LE(0, b);
	EXPECT_EQ(-EINVAL, kt_queue("sb-shared-name", O_RDWR, 0, 0, 0, 0));
	EXPECT_EQ(0, kt_unlink("sb-shared-name"));
	close(b);
}

TEST(each_kind_refuses_the_other_kinds_calls)
{
	char c = 'x';
	int q = kt_anon(O_RDWR, 4, 16);
	int b = kt_shbuf_anon(4096, 1);
	int u = kt_open_dev(O_RDWR);
	void *p;

	ASSERT_LE(0, q);
	ASSERT_LE(0, b);
	ASSERT_LE(0, u);
	/* semaphore calls on a queue and on an unbound file */
	EXPECT_EQ(-EINVAL, kt_sem_post(q, 0, 1, 0));
	EXPECT_EQ(-EINVAL, kt_sem_value(q, 0, NULL));
	EXPECT_EQ(-EBADFD, kt_sem_post(u, 0, 1, 0));
	EXPECT_EQ(-EBADFD, kt_sem_wait(u, 0, 1, KIPC_SEM_NONBLOCK, 0));
	/* message calls on a buffer */
	EXPECT_EQ(-EINVAL, kt_err(write(b, &c, 1)));
	EXPECT_EQ(-EINVAL, kt_err(read(b, &c, 1)));
	EXPECT_EQ(-EINVAL, kt_send(b, &c, 1, 0, 0, 0));
	/* mmap of a queue and of an unbound file */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, q, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(ENODEV, errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, u, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EBADFD, errno);
	/* unknown commands in the shared buffer's range */
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(b, _IOW(KIPC_IOC_MAGIC, 0x2f, struct kipc_sem_arg), NULL)));
	close(q);
	close(b);
	close(u);
}

TEST(stats_describe_the_buffer)
{
	__u32 values[20];
	struct kipc_stats st;
	struct {
		struct kipc_stats st;
		__u8 tail[64];
	} big;
	int fd;

	for (int i = 0; i < 20; i++)
		values[i] = i * 3;
	umask(022);
	fd = kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0660, 5 * page_size(), 20, values);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(KIPC_TYPE_SHBUF, st.type);
	EXPECT_EQ(0640, st.mode);
	EXPECT_EQ(5 * page_size(), st.shbuf_size);
	EXPECT_EQ(20, st.shbuf_nsems);
	EXPECT_EQ(0, st.maxmsg);		/* queue fields stay zero */
	EXPECT_EQ(0, st.sent);
	for (int i = 0; i < KIPC_STATS_SEMS; i++)
		EXPECT_EQ(values[i], st.sem_values[i]);
	EXPECT_EQ(0, st.sem_waits);
	EXPECT_EQ(0, st.sem_sleepers);

	/* an older caller gets the first 80 bytes, a newer one a zeroed tail */
	memset(&st, 0xa5, sizeof(st));
	st.size = KIPC_STATS_SIZE_VER0;
	ASSERT_EQ(0, ioctl(fd, KT_IOC_SIZED(KIPC_IOC_STATS, KIPC_STATS_SIZE_VER0), &st));
	EXPECT_EQ(KIPC_TYPE_SHBUF, st.type);
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, st.shbuf_size);
	memset(&big, 0xa5, sizeof(big));
	big.st.size = sizeof(big);
	ASSERT_EQ(0, ioctl(fd, KT_IOC_SIZED(KIPC_IOC_STATS, sizeof(big)), &big));
	EXPECT_EQ(sizeof(struct kipc_stats), big.st.size);
	EXPECT_EQ(5 * page_size(), big.st.shbuf_size);
	for (unsigned int i = 0; i < sizeof(big.tail); i++)
		ASSERT_EQ(0, big.tail[i]);
	close(fd);
}

TEST(a_failed_create_leaves_nothing_behind)
{
	long refs = kt_module_refcnt();
	long old = kt_param("shbuf_size_max");

	ASSERT_EQ(0, kt_set_param("shbuf_size_max", 1 << 16));
	for (int i = 0; i < 50; i++) {
		EXPECT_EQ(-EINVAL, kt_shbuf("sb-fail", O_RDWR, KIPC_OPEN_CREATE, 0600,
					    1 << 17, 1, NULL));
		EXPECT_EQ(-EFAULT, kt_shbuf("sb-fail", O_RDWR, KIPC_OPEN_CREATE, 0600,
					    4096, 1, (const __u32 *)16));
	}
	EXPECT_EQ(-ENOENT, kt_unlink("sb-fail"));
	EXPECT_EQ(refs, kt_module_refcnt());
	ASSERT_EQ(0, kt_set_param("shbuf_size_max", old));
}

TEST(buffers_per_user_are_limited)
{
	long old = kt_param("max_shbufs_per_user");
	int status;
	pid_t pid;

	ASSERT_LT(0, old);
	ASSERT_EQ(0, kt_set_param("max_shbufs_per_user", 2));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int a, b, q;

		if (setgid(65534) || setuid(65534))
			_exit(100);
		a = kt_shbuf_anon(4096, 1);
		b = kt_shbuf_anon(4096, 1);
		if (a < 0 || b < 0)
			_exit(1);
		if (kt_shbuf_anon(4096, 1) != -EMFILE)
			_exit(2);
		/* queues count separately */
		q = kt_anon(O_RDWR, 4, 16);
		if (q < 0)
			_exit(3);
		close(a);
		a = kt_shbuf_anon(4096, 1);
		_exit(a < 0 ? 4 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, kt_set_param("max_shbufs_per_user", old));
}

TEST_HARNESS_MAIN
