// SPDX-License-Identifier: GPL-2.0
/*
 * Message queues: binding a file, names, extensible structs, limits,
 * unlink and statistics.
 */
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

TEST(create_then_open_by_name_shares_the_queue)
{
	int a = kt_create("open-share", 4, 64);
	int b = kt_queue("open-share", O_RDWR, 0, 0, 0, 0);
	char buf[64];

	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(5, write(a, "hello", 5));
	ASSERT_EQ(5, read(b, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(0, kt_unlink("open-share"));
	close(a);
	close(b);
}

TEST(create_exclusive_on_existing_name_is_eexist)
{
	int a = kt_create("open-excl", 0, 0);

	ASSERT_LE(0, a);
	EXPECT_EQ(-EEXIST, kt_create("open-excl", 0, 0));
	/* CREATE without EXCL opens the existing queue */
	int b = kt_queue("open-excl", O_RDWR, KIPC_OPEN_CREATE, 0600, 0, 0);

	EXPECT_LE(0, b);
	EXPECT_EQ(0, kt_unlink("open-excl"));
	close(a);
	close(b);
}

TEST(open_missing_name_is_enoent)
{
	EXPECT_EQ(-ENOENT, kt_queue("open-missing", O_RDWR, 0, 0, 0, 0));
	EXPECT_EQ(-ENOENT, kt_unlink("open-missing"));
}

TEST(bad_flag_combinations_are_einval)
{
	EXPECT_EQ(-EINVAL, kt_queue("open-flags", O_RDWR, 0x80, 0600, 0, 0));
	EXPECT_EQ(-EINVAL, kt_queue("open-flags", O_RDWR, KIPC_OPEN_EXCL, 0600, 0, 0));
	EXPECT_EQ(-EINVAL, kt_queue("open-flags", O_RDWR, KIPC_OPEN_ANON, 0600, 0, 0));
	EXPECT_EQ(-EINVAL, kt_queue(NULL, O_RDWR, KIPC_OPEN_ANON | KIPC_OPEN_CREATE,
				    0600, 0, 0));
	EXPECT_EQ(-EINVAL, kt_queue("open-flags", O_RDWR, KIPC_OPEN_CREATE, 01777, 0, 0));
	EXPECT_EQ(-ENOENT, kt_queue("open-flags", O_RDWR, 0, 0, 0, 0));
}

TEST(names_are_validated)
{
	char longest[KIPC_NAME_MAX];
	struct kipc_queue_open qo = { .size = sizeof(qo), .flags = KIPC_OPEN_CREATE };
	int fd;

	EXPECT_EQ(-EINVAL, kt_create("", 0, 0));
	EXPECT_EQ(-EINVAL, kt_create("a/b", 0, 0));
	EXPECT_EQ(-EINVAL, kt_create("/lead", 0, 0));
	EXPECT_EQ(-EINVAL, kt_create("with space", 0, 0));
	EXPECT_EQ(-EINVAL, kt_create("tab\tname", 0, 0));
	EXPECT_EQ(-EINVAL, kt_create("high\x80", 0, 0));

	/* 63 characters and the NUL fit exactly */
	memset(longest, 'n', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = 0;
	fd = kt_create(longest, 0, 0);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, kt_unlink(longest));

	/* no NUL inside the array */
	memset(qo.name, 'x', sizeof(qo.name));
	fd = kt_open_dev(O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo));
	EXPECT_EQ(ENAMETOOLONG, errno);
	close(fd);
}

TEST(struct_size_is_checked)
{
	struct {
		struct kipc_queue_open qo;
		char tail[64];
	} big;
	int fd = kt_open_dev(O_RDWR);

	ASSERT_LE(0, fd);
	memset(&big, 0, sizeof(big));
	big.qo.flags = KIPC_OPEN_ANON;

	/* The command number encodes the size: each size is its own number. */
	big.qo.size = KIPC_QUEUE_OPEN_SIZE_VER0 - 1;
	EXPECT_EQ(-1, ioctl(fd, KT_IOC_SIZED(KIPC_IOC_QUEUE_OPEN, big.qo.size), &big));
	EXPECT_EQ(EINVAL, errno);
	big.qo.size = 0;
	EXPECT_EQ(-1, ioctl(fd, KT_IOC_SIZED(KIPC_IOC_QUEUE_OPEN, 0), &big));
	EXPECT_EQ(EINVAL, errno);
	big.qo.size = 8192;
	EXPECT_EQ(-1, ioctl(fd, KT_IOC_SIZED(KIPC_IOC_QUEUE_OPEN, 8192), &big));
	EXPECT_EQ(E2BIG, errno);

	/* a size field that is not the command's size */
	big.qo.size = sizeof(big);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_QUEUE_OPEN, &big));
	EXPECT_EQ(EINVAL, errno);

	/* a newer, larger struct with a non-zero unknown tail */
	big.tail[10] = 1;
	EXPECT_EQ(-1, ioctl(fd, KT_IOC_SIZED(KIPC_IOC_QUEUE_OPEN, sizeof(big)), &big));
	EXPECT_EQ(E2BIG, errno);

	/* a send low-water mark above the capacity */
	big.tail[10] = 0;
	big.qo.maxmsg = 4;
	big.qo.send_lowat = 5;
	EXPECT_EQ(-1, ioctl(fd, KT_IOC_SIZED(KIPC_IOC_QUEUE_OPEN, sizeof(big)), &big));
	EXPECT_EQ(EINVAL, errno);

	/* a larger struct with a zero tail works: newer userspace, older module */
	big.qo.send_lowat = 4;
	EXPECT_EQ(0, ioctl(fd, KT_IOC_SIZED(KIPC_IOC_QUEUE_OPEN, sizeof(big)), &big));
	close(fd);
}

TEST(bad_pointers_are_efault)
{
	int fd = kt_open_dev(O_RDWR);
	void *ro = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_LE(0, fd);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_QUEUE_OPEN, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_QUEUE_OPEN, ro));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, KIPC_IOC_UNLINK, (void *)16));
	EXPECT_EQ(EFAULT, errno);
	/* the failed calls left the file unbound */
	EXPECT_EQ(0, kt_queue_ioctl(fd, NULL, KIPC_OPEN_ANON, 0600, 0, 0));
	munmap(ro, 4096);
	close(fd);
}

TEST(a_file_binds_once)
{
	int fd = kt_anon(O_RDWR, 0, 0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBUSY, kt_queue_ioctl(fd, NULL, KIPC_OPEN_ANON, 0600, 0, 0));
	EXPECT_EQ(-EBUSY, kt_queue_ioctl(fd, "bind-once", KIPC_OPEN_CREATE, 0600, 0, 0));
	EXPECT_EQ(-ENOENT, kt_unlink("bind-once"));
	close(fd);
}

TEST(unbound_file_refuses_data_operations)
{
	struct kipc_stats st;
	char buf[8] = "x";
	int fd = kt_open_dev(O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, buf, 1));
	EXPECT_EQ(EBADFD, errno);
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EBADFD, errno);
	EXPECT_EQ(-EBADFD, kt_send(fd, buf, 1, 0, 0, 0));
	EXPECT_EQ(-EBADFD, kt_recv(fd, buf, sizeof(buf), NULL, 0, 0));
	EXPECT_EQ(-EBADFD, kt_stats(fd, &st));
	close(fd);
}

TEST(limits_are_enforced)
{
	long msg_max = kt_param("msg_max");
	long msgsize_max = kt_param("msgsize_max");
	long bytes_max = kt_param("queue_bytes_max");
	int fd;

	ASSERT_LT(0, msg_max);
	ASSERT_LT(0, msgsize_max);
	ASSERT_LT(0, bytes_max);
	EXPECT_EQ(-EINVAL, kt_anon(O_RDWR, msg_max + 1, 8));
	EXPECT_EQ(-EINVAL, kt_anon(O_RDWR, 1, msgsize_max + 1));
	EXPECT_EQ(-EINVAL, kt_anon(O_RDWR, 0xffffffffu, 8));
	EXPECT_EQ(-EINVAL, kt_anon(O_RDWR, 8, 0xffffffffu));
	EXPECT_EQ(-EINVAL, kt_anon(O_RDWR, msg_max, msgsize_max));
	fd = kt_anon(O_RDWR, msg_max, 8);
	EXPECT_LE(0, fd);
	close(fd);
	fd = kt_anon(O_RDWR, 1, msgsize_max);
	EXPECT_LE(0, fd);
	close(fd);
}

TEST(defaults_apply_and_stats_report_them)
{
	struct kipc_stats st;
	int fd = kt_anon(O_RDWR, 0, 0);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(sizeof(st), st.size);
	EXPECT_EQ(KIPC_TYPE_QUEUE, st.type);
	EXPECT_EQ(kt_param("msg_default"), st.maxmsg);
	EXPECT_EQ(kt_param("msgsize_default"), st.msgsize);
	EXPECT_EQ(0, st.curmsgs);
	EXPECT_EQ(getuid(), st.uid);
	EXPECT_NE(0, st.id);
	close(fd);
}

TEST(stats_count_traffic)
{
	struct kipc_stats st;
	char buf[32];
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 4, 32);

	ASSERT_LE(0, fd);
	ASSERT_EQ(3, write(fd, "abc", 3));
	ASSERT_EQ(10, write(fd, "0123456789", 10));
	ASSERT_EQ(3, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(-1, read(fd, buf, 2));	/* too small: stays */
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(4, st.maxmsg);
	EXPECT_EQ(32, st.msgsize);
	EXPECT_EQ(1, st.curmsgs);
	EXPECT_EQ(2, st.hwm);
	EXPECT_EQ(10, st.bytes);
	EXPECT_EQ(2, st.sent);
	EXPECT_EQ(1, st.received);
	close(fd);
}

TEST(stats_struct_size_is_negotiated)
{
	struct {
		struct kipc_stats st;
		char tail[16];
	} big;
	struct kipc_stats small;
	int fd = kt_anon(O_RDWR, 0, 0);

	ASSERT_LE(0, fd);
	memset(&big, 0xa5, sizeof(big));
	big.st.size = sizeof(big);
	ASSERT_EQ(0, ioctl(fd, KT_IOC_SIZED(KIPC_IOC_STATS, sizeof(big)), &big));
	EXPECT_EQ(sizeof(struct kipc_stats), big.st.size);
	for (unsigned int i = 0; i < sizeof(big.tail); i++)
		EXPECT_EQ(0, big.tail[i]);
	small.size = KIPC_STATS_SIZE_VER0 - 8;
	EXPECT_EQ(-1, ioctl(fd, KT_IOC_SIZED(KIPC_IOC_STATS, small.size), &small));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST(unlink_keeps_open_queues_working)
{
	char buf[8];
	struct kipc_stats st1, st2;
	int a = kt_create("unlink-live", 4, 8);
	int b;

	ASSERT_LE(0, a);
	ASSERT_EQ(0, kt_unlink("unlink-live"));
	EXPECT_EQ(-ENOENT, kt_unlink("unlink-live"));
	EXPECT_EQ(-ENOENT, kt_queue("unlink-live", O_RDWR, 0, 0, 0, 0));
	ASSERT_EQ(2, write(a, "hi", 2));
	ASSERT_EQ(2, read(a, buf, sizeof(buf)));

	/* the name is free again, for a new queue */
	b = kt_create("unlink-live", 4, 8);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, kt_stats(a, &st1));
	ASSERT_EQ(0, kt_stats(b, &st2));
	EXPECT_NE(st1.id, st2.id);
	EXPECT_EQ(0, kt_unlink("unlink-live"));
	close(a);
	close(b);
}

TEST(named_queue_outlives_its_files_until_unlinked)
{
	char buf[8];
	int a = kt_create("persist", 4, 8);

	ASSERT_LE(0, a);
	ASSERT_EQ(3, write(a, "abc", 3));
	close(a);
	a = kt_queue("persist", O_RDONLY, 0, 0, 0, 0);
	ASSERT_LE(0, a);
	EXPECT_EQ(3, read(a, buf, sizeof(buf)));
	close(a);
	EXPECT_EQ(0, kt_unlink("persist"));
}

TEST(unlink_validates_names)
{
	int a = kt_create("kind", 0, 0);

	ASSERT_LE(0, a);
	/* the unlink struct's name rules are the same as open's */
	EXPECT_EQ(-EINVAL, kt_unlink("bad/name"));
	EXPECT_EQ(0, kt_unlink("kind"));
	close(a);
}

TEST_HARNESS_MAIN
