/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the hostile-user suite (kipc_hostile_*_test.c): what the
 * machine has left (MemAvailable, OOM kills), the budget limits (kmod/budget.c) as the
 * module's parameters state them, switching to another user, and a user's
 * own account as netlink STATS_GET reports it.
 *
 * The tests run as root in the test VM and do the hostile part in children
 * that drop to other uids. Children report through memory shared with the
 * parent (kh_shared()), never through ASSERT_*, which belongs to the test
 * process only.
 */
#ifndef KIPC_HOSTILE_H
#define KIPC_HOSTILE_H

#include <grp.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "kipc_test.h"
#include "kipc_nl.h"

#define KH_MIB			(1ULL << 20)
/*
 * What MemAvailable may move by besides kipc: per-CPU page lists, slab
 * caches, page tables and the test's own buffers. A leak or an unbounded
 * charge is tens to hundreds of MiB in these tests.
 */
#define KH_MEM_SLACK		(16 * KH_MIB)

/* A field of /proc/meminfo in bytes, or -1. */
static inline long long kh_meminfo(const char *field)
{
	FILE *f = fopen("/proc/meminfo", "re");
	size_t len = strlen(field);
	char line[128];
	long long kib = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			kib = strtoll(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return kib < 0 ? -1 : kib * 1024;
}

/* Pages on the page allocator's per-CPU lists (/proc/zoneinfo), in bytes. */
static inline long long kh_pcp_bytes(void)
{
	FILE *f = fopen("/proc/zoneinfo", "re");
	char line[128];
	long long pages = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " ");

		if (!strncmp(p, "count:", 6))
			pages += strtoll(p + 6, NULL, 10);
	}
	fclose(f);
	return pages * sysconf(_SC_PAGESIZE);
}

/*
 * MemAvailable plus the per-CPU free lists, which it leaves out: freed
 * 2 MiB message buffers can sit there by the dozen (47 MiB seen in the
 * 1 GiB VM), so that freeing seems to give nothing back and allocating
 * seems to cost nothing.
 */
static inline long long kh_mem_available(void)
{
	long long avail = kh_meminfo("MemAvailable");

	return avail < 0 ? avail : avail + kh_pcp_bytes();
}

/*
 * MemAvailable once it holds still (two readings 200 ms apart within
 * 1 MiB, for up to 5 s): early after boot the kernel is still giving
 * memory back (the initramfs), which would hide what a test took.
 */
static inline long long kh_mem_settled(void)
{
	long long prev = kh_mem_available(), now = prev;

	for (int i = 0; i < 25; i++) {
		usleep(200000);
		now = kh_mem_available();
		if (llabs(now - prev) < (long long)(1 << 20))
			break;
		prev = now;
	}
	return now;
}

/* OOM kills since boot (/proc/vmstat oom_kill), or -1. */
static inline long long kh_oom_kills(void)
{
	FILE *f = fopen("/proc/vmstat", "re");
	char line[128];
	long long n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "oom_kill ", 9)) {
			n = strtoll(line + 9, NULL, 10);
			break;
		}
	fclose(f);
	return n;
}

/* The budget limits (kmod/budget.c) and the shape limits they meet. */
struct kh_limits {
	long long user_bytes_max;
	long long total_bytes_max;
	long long max_queues;
	long long max_shbufs;
	long long max_subs;
	long long msgsize_max;
	long long msg_max;
	long long queue_bytes_max;
	long long shbuf_size_max;
	long long sems_max;
};

/* Read them all; the name of the first one missing, or NULL. */
static inline const char *kh_limits(struct kh_limits *l)
{
	static const char *const names[] = {
		"user_bytes_max", "total_bytes_max", "max_queues_per_user",
		"max_shbufs_per_user", "max_subscriptions_per_user", "msgsize_max",
		"msg_max", "queue_bytes_max", "shbuf_size_max", "sems_max",
	};
	long long *v = &l->user_bytes_max;

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		v[i] = kt_param(names[i]);
		if (v[i] < 0)
			return names[i];
	}
	return NULL;
}

/* Skip the test (from the test process) unless the budget has landed. */
#define KH_NEED_LIMITS(l) do { \
	const char *__missing = kh_limits(l); \
	if (__missing) \
		SKIP(return, "kipc.ko has no parameter %s (a module without byte budgets)", \
		     __missing); \
} while (0)

/* Anonymous memory shared with children: where they write their results. */
static inline void *kh_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * In a child: become @uid (and gid @uid, no supplementary groups), with
 * room for @nofile descriptors (0: leave the limit). Exits 100 on failure.
 */
static inline void kh_become(uid_t uid, rlim_t nofile)
{
	struct rlimit rl = { nofile, nofile };

	if (nofile && setrlimit(RLIMIT_NOFILE, &rl))
		_exit(101);
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		_exit(100);
}

/* A user's account as STATS_GET tells it to a socket that user opened. */
struct kh_account {
	int have;		/* the reply carried the budget attributes */
	__u64 user_bytes;
	__u64 user_bytes_max;
	__u64 total_bytes;
	__u64 total_bytes_max;
	__u32 user_queues;
	__u32 user_shbufs;
	__u32 user_subs;
	__u32 nr_queues;
	__u32 nr_shbufs;
	__u64 mem_bytes;
};

static inline void kh_account_cb(struct nlmsghdr *nlh, void *data)
{
	struct kh_account *a = data;

	a->have = nl_attr(nlh, KIPC_A_USER_BYTES) && nl_attr(nlh, KIPC_A_USER_BYTES_MAX);
	a->user_bytes = nl_u64(nlh, KIPC_A_USER_BYTES);
	a->user_bytes_max = nl_u64(nlh, KIPC_A_USER_BYTES_MAX);
	a->total_bytes = nl_u64(nlh, KIPC_A_TOTAL_BYTES);
	a->total_bytes_max = nl_u64(nlh, KIPC_A_TOTAL_BYTES_MAX);
	a->user_queues = nl_u32(nlh, KIPC_A_USER_QUEUES);
	a->user_shbufs = nl_u32(nlh, KIPC_A_USER_SHBUFS);
	a->user_subs = nl_u32(nlh, KIPC_A_USER_SUBS);
	a->nr_queues = nl_u32(nlh, KIPC_A_NR_QUEUES);
	a->nr_shbufs = nl_u32(nlh, KIPC_A_NR_SHBUFS);
	a->mem_bytes = nl_u64(nlh, KIPC_A_MEM_BYTES);
}

/* STATS_GET on an open socket; 0 or -errno. */
static inline int kh_stats_get(struct nl_sock *s, struct kh_account *a)
{
	struct nl_req r;

	memset(a, 0, sizeof(*a));
	nl_init(s, &r, s->family, KIPC_CMD_STATS_GET, 0);
	return nl_talk(s, &r, kh_account_cb, a);
}

/*
 * @uid's account, asked by a child that becomes @uid (root's own when
 * @uid is 0). 0, or -errno of the child's request.
 */
static inline int kh_account_of(uid_t uid, struct kh_account *out)
{
	struct kh_account *a = kh_shared(sizeof(*a));
	pid_t pid;
	int ret;

	if (!a)
		return -ENOMEM;
	pid = fork();
	if (pid == 0) {
		struct nl_sock *s = malloc(sizeof(*s));

		if (uid)
			kh_become(uid, 0);
		if (!s || nl_open(s))
			_exit(1);
		_exit(kh_stats_get(s, a) ? 2 : 0);
	}
	ret = pid < 0 ? -errno : kt_wait_child(pid) ? -EIO : 0;
	*out = *a;
	munmap(a, sizeof(*a));
	return ret;
}

/*
 * Wait up to @ms for @uid's charged bytes to come down to @bytes (a
 * destroyed object's charge may be released by a reaper shortly after):
 * what was last read.
 */
static inline __u64 kh_wait_user_bytes(uid_t uid, __u64 bytes, int ms)
{
	struct kh_account a = { .user_bytes = ~0ULL };

	for (int waited = 0; ; waited += 100) {
		if (kh_account_of(uid, &a) == 0 && a.user_bytes <= bytes)
			return a.user_bytes;
		if (waited >= ms)
			return a.user_bytes;
		usleep(100000);
	}
}

/* Write @value into a sysctl or module parameter file; 0 or -errno. */
static inline int kh_write_file(const char *path, long long value)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CLOEXEC), n, ret;

	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%lld", value);
	ret = write(fd, buf, n) == n ? 0 : -errno;
	close(fd);
	return ret;
}

static inline int kh_set_param(const char *name, long long value)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/module/kipc/parameters/%s", name);
	return kh_write_file(path, value);
}

/* Read a small integer file (sysctl); -1 if absent. */
static inline long long kh_read_file(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC), n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtoll(buf, NULL, 10) : -1;
}

/* Make and break a pipe-based rendezvous between a parent and a child. */
static inline void kh_signal(int fd)
{
	char c = 1;

	if (write(fd, &c, 1) != 1)
		_exit(102);
}

/* Wait for kh_signal() on @fd; false if the other side closed it first. */
static inline bool kh_wait(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

#endif /* KIPC_HOSTILE_H */
