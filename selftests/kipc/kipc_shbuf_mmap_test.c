// SPDX-License-Identifier: GPL-2.0
/*
 * Shared buffers: mmap. Bounds, flags, growth, faults past the end,
 * lifetimes through fork/munmap/close in every order, cross-process
 * visibility, and page references that outlive the buffer.
 */
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

static long psz;

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void on_fault(int sig)
{
	fault_sig = sig;
	siglongjmp(fault_jmp, 1);
}

/* The signal a one-byte access at @p raises (0 if none). */
static int touch(volatile char *p, int write)
{
	struct sigaction sa = { .sa_handler = on_fault }, old_segv, old_bus;

	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	fault_sig = 0;
	if (!sigsetjmp(fault_jmp, 1)) {
		if (write)
			*p = 1;
		else
			(void)*p;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return fault_sig;
}

static void fill(char *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (char)(seed + i * 7);
}

static int check(const char *p, size_t len, unsigned int seed)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != (char)(seed + i * 7))
			return 0;
	return 1;
}

static int mappings(int fd)
{
	struct kipc_stats st;

	return kt_stats(fd, &st) ? -1 : (int)st.shbuf_mappings;
}

FIXTURE(buf) {
	int fd;
	size_t len;	/* whole mapping: control page + 4 data pages */
};

FIXTURE_SETUP(buf)
{
	psz = sysconf(_SC_PAGESIZE);
	self->fd = kt_shbuf_anon(4 * psz, 2);
	ASSERT_LE(0, self->fd);
	self->len = 5 * psz;
}

FIXTURE_TEARDOWN(buf)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(buf, map_whole_and_parts)
{
	char *a, *b;

	a = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, a);
	/* zeroed at creation: no stale kernel data */
	for (size_t i = psz; i < self->len; i++)
		ASSERT_EQ(0, a[i]);
	fill(a + psz, 4 * psz, 3);
	/* a second mapping of one data page sees the same bytes */
	b = mmap(NULL, psz, PROT_READ, MAP_SHARED, self->fd, 3 * psz);
	ASSERT_NE(MAP_FAILED, b);
	EXPECT_EQ(0, memcmp(a + 3 * psz, b, psz));
	a[3 * psz + 5] = 42;
	EXPECT_EQ(42, b[5]);
	EXPECT_EQ(2, mappings(self->fd));
	munmap(b, psz);
	EXPECT_EQ(1, mappings(self->fd));
	munmap(a, self->len);
	EXPECT_EQ(0, mappings(self->fd));
}

TEST_F(buf, bad_offsets_and_lengths_are_einval)
{
	struct { off_t off; size_t len; } bad[] = {
		{ 0, 6 * psz },			/* longer than the buffer */
		{ psz, 5 * psz },		/* runs past the end */
		{ 5 * psz, psz },		/* starts at the end */
		{ 6 * psz, psz },
		{ (off_t)1 << 40, psz },
		{ (off_t)1 << 62, psz },
		{ (off_t)0x7ffffffffffff000LL, psz },	/* offset + length overflow */
	};
	void *p;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = mmap(NULL, bad[i].len, PROT_READ, MAP_SHARED, self->fd, bad[i].off);
		EXPECT_EQ(MAP_FAILED, p) TH_LOG("case %u", i);
		if (p != MAP_FAILED)
			munmap(p, bad[i].len);
		else
			EXPECT_TRUE(errno == EINVAL || errno == EOVERFLOW) TH_LOG("case %u: %d", i, errno);
	}
	/* the VFS refuses these before us */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 0, PROT_READ, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, psz, PROT_READ, MAP_SHARED, self->fd, 1));
	/* a length that is not a page multiple is rounded up, and must fit too */
	p = mmap(NULL, 5 * psz - 1, PROT_READ, MAP_SHARED, self->fd, 0);
	EXPECT_NE(MAP_FAILED, p);
	munmap(p, 5 * psz);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 5 * psz + 1, PROT_READ, MAP_SHARED, self->fd, 0));
	EXPECT_EQ(0, mappings(self->fd));
}

TEST_F(buf, private_and_executable_mappings_are_refused)
{
	void *p;

	p = mmap(NULL, psz, PROT_READ, MAP_PRIVATE, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, psz, PROT_READ | PROT_EXEC, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EPERM, errno);
	/* nor can a mapping become executable later */
	p = mmap(NULL, psz, PROT_READ, MAP_SHARED, self->fd, psz);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, psz, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	munmap(p, psz);
}

TEST_F(buf, read_only_descriptors_map_read_only)
{
	char *p;
	int ro;

	ro = kt_shbuf("sb-ro", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600, psz, 1, NULL);
	ASSERT_LE(0, ro);
	close(ro);
	ro = kt_shbuf("sb-ro", O_RDONLY, 0, 0, 0, 0, NULL);
	ASSERT_LE(0, ro);
	EXPECT_EQ(0, kt_unlink("sb-ro"));

	EXPECT_EQ(MAP_FAILED, mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
	EXPECT_EQ(EACCES, errno);
	p = mmap(NULL, 2 * psz, PROT_READ, MAP_SHARED, ro, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, psz, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(SIGSEGV, touch(p + psz, 1));
	EXPECT_EQ(0, touch(p + psz, 0));
	/* and the semaphores refuse it */
	EXPECT_EQ(-EBADF, kt_sem_post(ro, 0, 1, 0));
	EXPECT_EQ(-EBADF, kt_sem_wait(ro, 0, 1, KIPC_SEM_NONBLOCK, 0));
	EXPECT_EQ(0, kt_sem_value(ro, 0, NULL));
	munmap(p, 2 * psz);
	close(ro);
}

TEST_F(buf, mremap_cannot_grow_a_mapping)
{
	char *p, *q;

	p = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	fill(p + psz, psz, 9);
	EXPECT_EQ(MAP_FAILED, mremap(p, 2 * psz, 3 * psz, 0));
	EXPECT_EQ(MAP_FAILED, mremap(p, 2 * psz, 3 * psz, MREMAP_MAYMOVE));
	/* even a mapping smaller than the buffer cannot grow */
	EXPECT_EQ(MAP_FAILED, mremap(p, psz, 2 * psz, MREMAP_MAYMOVE));
	/* moving and shrinking are fine */
	q = mremap(p, 2 * psz, 2 * psz, MREMAP_MAYMOVE | MREMAP_FIXED,
		   p + 64 * psz);
	if (q == MAP_FAILED) {
		/* the target may be taken: move anywhere */
		q = mremap(p, 2 * psz, 2 * psz, MREMAP_MAYMOVE);
	}
	ASSERT_NE(MAP_FAILED, q);
	EXPECT_TRUE(check(q + psz, psz, 9));
	EXPECT_EQ(1, mappings(self->fd));
	p = mremap(q, 2 * psz, psz, 0);
	ASSERT_EQ(q, p);
	EXPECT_EQ(1, mappings(self->fd));
	munmap(p, psz);
	EXPECT_EQ(0, mappings(self->fd));
}

TEST_F(buf, access_past_the_end_faults)
{
	char *area, *p;

	/* a guard region after the mapping, so "past the end" is unmapped */
	area = mmap(NULL, self->len + 2 * psz, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, area);
	ASSERT_EQ(0, munmap(area + self->len, 2 * psz));
	p = mmap(area, self->len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 self->fd, 0);
	ASSERT_EQ(area, p);
	EXPECT_EQ(0, touch(p + self->len - 1, 1));
	EXPECT_EQ(SIGSEGV, touch(p + self->len, 0));
	EXPECT_EQ(SIGSEGV, touch(p + self->len + psz, 1));
	munmap(p, self->len);
	/* after munmap, nothing is there any more */
	EXPECT_EQ(SIGSEGV, touch(p, 0));

	/* the last page alone */
	p = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 4 * psz);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, touch(p + psz - 1, 1));
	munmap(p, psz);
}

TEST_F(buf, partial_munmap_and_madvise_keep_the_data)
{
	char *p;

	p = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	fill(p + psz, 4 * psz, 5);
	/* a hole in the middle splits the mapping in two */
	ASSERT_EQ(0, munmap(p + 2 * psz, psz));
	EXPECT_EQ(2, mappings(self->fd));
	EXPECT_TRUE(check(p + psz, psz, 5));
	EXPECT_TRUE(check(p + 3 * psz, 2 * psz, 5 + 2 * psz * 7));
	/* dropping the page tables refaults the same pages */
	if (madvise(p, 2 * psz, MADV_DONTNEED) == 0) {
		EXPECT_TRUE(check(p + psz, psz, 5));
		ASSERT_EQ(0, madvise(p + 3 * psz, 2 * psz, MADV_DONTFORK));
		ASSERT_EQ(0, madvise(p + 3 * psz, 2 * psz, MADV_DOFORK));
	} else {
		/* kernels without CONFIG_ADVISE_SYSCALLS (the debug lane's) */
		ASSERT_EQ(ENOSYS, errno);
		TH_LOG("no madvise(): MADV_DONTNEED not checked");
	}
	ASSERT_EQ(0, munmap(p, psz));
	EXPECT_EQ(2, mappings(self->fd));
	munmap(p, self->len);
	EXPECT_EQ(0, mappings(self->fd));
}

TEST_F(buf, two_processes_see_the_same_bytes)
{
	volatile int *p;
	pid_t pid;

	p = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p += psz / sizeof(int);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* a ping-pong through plain memory */
		for (int i = 0; i < 100; i++) {
			while (p[0] != 2 * i + 1)
				sched_yield();
			p[0] = 2 * i + 2;
		}
		_exit(0);
	}
	for (int i = 0; i < 100; i++) {
		p[0] = 2 * i + 1;
		while (p[0] != 2 * i + 2)
			sched_yield();
	}
	EXPECT_EQ(0, kt_wait_child(pid));
	munmap((void *)(p - psz / sizeof(int)), self->len);
}

TEST_F(buf, a_named_buffer_maps_the_same_pages_in_two_opens)
{
	char *a, *b;
	int fd2, fd1;

	fd1 = kt_shbuf("sb-map-named", O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600,
		       2 * psz, 0, NULL);
	ASSERT_LE(0, fd1);
	fd2 = kt_shbuf("sb-map-named", O_RDWR, 0, 0, 0, 0, NULL);
	ASSERT_LE(0, fd2);
	a = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd1, 0);
	b = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
	ASSERT_NE(MAP_FAILED, a);
	ASSERT_NE(MAP_FAILED, b);
	fill(a, 2 * psz, 11);
	EXPECT_TRUE(check(b, 2 * psz, 11));
	/* unlinked and closed: the mappings still share the pages */
	EXPECT_EQ(0, kt_unlink("sb-map-named"));
	close(fd1);
	close(fd2);
	b[100] = 'z';
	EXPECT_EQ('z', a[100]);
	munmap(a, 2 * psz);
	munmap(b, 2 * psz);
}

/*
 * Every order of the three ways a buffer loses a holder: the parent closes
 * its descriptor, the parent unmaps, the child (holding a mapping and the
 * inherited descriptor) exits. After each step the holders left still
 * read what was written and write what the others then read; at the end
 * the module's reference count is back where it was.
 */
enum { CLOSE_FD, MUNMAP, CHILD_EXIT };

static void run_order(struct __test_metadata *_metadata, const int order[3])
{
	long refs = kt_module_refcnt();
	int fd = kt_shbuf_anon(4 * psz, 1);
	int cmd[2], ack[2];
	int open_fd = 1, mapped = 1, child = 1;
	unsigned char seed = 100, c;
	char *p;
	pid_t pid;

	ASSERT_LE(0, fd);
	p = mmap(NULL, 5 * psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, pipe(cmd));
	ASSERT_EQ(0, pipe(ack));
	fill(p + psz, 4 * psz, seed);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* each command is the seed in the buffer: check it, write seed + 1 */
		close(cmd[1]);
		close(ack[0]);
		while (read(cmd[0], &c, 1) == 1) {
			char ok = check(p + psz, 4 * psz, c) ? 'y' : 'n';

			fill(p + psz, 4 * psz, (unsigned char)(c + 1));
			if (write(ack[1], &ok, 1) != 1)
				_exit(2);
		}
		/* exits with its mapping and descriptor still in place */
		_exit(0);
	}
	close(cmd[0]);
	close(ack[1]);

	for (int step = 0; step < 3; step++) {
		switch (order[step]) {
		case CLOSE_FD:
			close(fd);
			open_fd = 0;
			break;
		case MUNMAP:
			munmap(p, 5 * psz);
			mapped = 0;
			break;
		case CHILD_EXIT:
			close(cmd[1]);
			ASSERT_EQ(0, kt_wait_child(pid));
			child = 0;
			break;
		}
		if (child) {
			char ok;

			ASSERT_EQ(1, write(cmd[1], &seed, 1));
			ASSERT_EQ(1, read(ack[0], &ok, 1));
			EXPECT_EQ('y', ok) TH_LOG("order %d%d%d step %d",
						   order[0], order[1], order[2], step);
			seed++;
		}
		if (mapped) {
			EXPECT_TRUE(check(p + psz, 4 * psz, seed))
				TH_LOG("order %d%d%d step %d", order[0], order[1], order[2], step);
			seed++;
			fill(p + psz, 4 * psz, seed);
		}
		if (open_fd)
			EXPECT_EQ(mapped + child, mappings(fd));
	}
	if (child)
		close(cmd[1]);
	close(ack[0]);
	EXPECT_EQ(refs, kt_module_refcnt());
}

TEST(every_order_of_fork_munmap_close)
{
	static const int orders[6][3] = {
		{ CLOSE_FD, MUNMAP, CHILD_EXIT },
		{ CLOSE_FD, CHILD_EXIT, MUNMAP },
		{ MUNMAP, CLOSE_FD, CHILD_EXIT },
		{ MUNMAP, CHILD_EXIT, CLOSE_FD },
		{ CHILD_EXIT, CLOSE_FD, MUNMAP },
		{ CHILD_EXIT, MUNMAP, CLOSE_FD },
	};

	psz = sysconf(_SC_PAGESIZE);
	for (int i = 0; i < 6; i++)
		run_order(_metadata, orders[i]);
}

TEST_F(buf, fork_counts_the_childs_mappings)
{
	char *p;
	pid_t pid;
	int pfd[2];
	char c;

	p = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pfd[1]);
		p[psz] = 'c';
		/* wait for the parent to look at the count, then exit */
		_exit(read(pfd[0], &c, 1) == 0 ? 0 : 1);
	}
	close(pfd[0]);
	EXPECT_EQ(2, mappings(self->fd));
	close(pfd[1]);
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ('c', p[psz]);
	EXPECT_EQ(1, mappings(self->fd));
	munmap(p, self->len);
}

TEST_F(buf, page_references_outlive_the_buffer)
{
	struct iovec iov;
	char *p, buf[256];
	int pfd[2];

	p = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	fill(p + psz, psz, 77);
	ASSERT_EQ(0, pipe(pfd));
	/* vmsplice takes references to the pages themselves */
	iov.iov_base = p + psz;
	iov.iov_len = sizeof(buf);
	ASSERT_EQ((ssize_t)sizeof(buf), vmsplice(pfd[1], &iov, 1, 0));
	munmap(p, self->len);
	close(self->fd);
	self->fd = -1;	/* the buffer is gone; the pipe still holds a page */
	ASSERT_EQ((ssize_t)sizeof(buf), read(pfd[0], buf, sizeof(buf)));
	EXPECT_TRUE(check(buf, sizeof(buf), 77));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F(buf, system_calls_read_and_write_the_mapping)
{
	struct iovec local, remote;
	char *p, buf[64];
	int pfd[2], mem;

	p = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	fill(p + psz, psz, 21);
	/* the mapping as a system call's user buffer, both ways */
	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(64, write(pfd[1], p + psz, 64));
	ASSERT_EQ(64, read(pfd[0], p + 2 * psz, 64));
	EXPECT_EQ(0, memcmp(p + psz, p + 2 * psz, 64));
	/* stats written straight into the mapping */
	ASSERT_EQ(0, kt_stats(self->fd, (struct kipc_stats *)(p + 3 * psz)));
	EXPECT_EQ(KIPC_TYPE_SHBUF, ((struct kipc_stats *)(p + 3 * psz))->type);
	/* get_user_pages through /proc/self/mem and process_vm_readv */
	mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, mem);
	ASSERT_EQ(64, pread(mem, buf, 64, (off_t)(uintptr_t)(p + psz)));
	EXPECT_TRUE(check(buf, 64, 21));
	ASSERT_EQ(64, pwrite(mem, buf, 64, (off_t)(uintptr_t)(p + 4 * psz)));
	EXPECT_TRUE(check(p + 4 * psz, 64, 21));
	close(mem);
	local.iov_base = buf;
	local.iov_len = 64;
	remote.iov_base = p + psz + 64;
	remote.iov_len = 64;
	if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == 64) {
		EXPECT_TRUE(check(buf, 64, 21 + 64 * 7));
	} else {
		/* kernels without CONFIG_CROSS_MEMORY_ATTACH (the debug lane's) */
		EXPECT_EQ(ENOSYS, errno);
	}
	close(pfd[0]);
	close(pfd[1]);
	munmap(p, self->len);
}

TEST_HARNESS_MAIN
