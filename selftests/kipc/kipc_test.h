/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the kipc selftests: thin wrappers over the raw ioctls that
 * return a descriptor, a length or 0 on success and -errno on failure, so
 * a test reads as ASSERT_EQ(-EEXIST, kt_queue(...)).
 */
#ifndef KIPC_TEST_H
#define KIPC_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kipc.h>

/*
 * @cmd as a caller passing a struct of @size bytes calls it: the number
 * encodes the size, which must equal the struct's size field.
 */
#define KT_IOC_SIZED(cmd, size) \
	_IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), (size))

static inline int kt_err(int ret)
{
	return ret < 0 ? -errno : ret;
}

static inline int kt_open_dev(int oflag)
{
	return kt_err(open(KIPC_DEVICE_PATH, oflag | O_CLOEXEC));
}

/* KIPC_IOC_QUEUE_OPEN on an open device file. */
static inline int kt_queue_ioctl(int fd, const char *name, __u32 flags,
				 __u32 mode, __u32 maxmsg, __u32 msgsize)
{
	struct kipc_queue_open qo = {
		.size = sizeof(qo),
		.flags = flags,
		.mode = mode,
		.maxmsg = maxmsg,
		.msgsize = msgsize,
	};

	if (name)
		memcpy(qo.name, name, strnlen(name, sizeof(qo.name)));
	return kt_err(ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo));
}

/* A new descriptor bound to a queue, or -errno. */
static inline int kt_queue(const char *name, int oflag, __u32 flags, __u32 mode,
			   __u32 maxmsg, __u32 msgsize)
{
	int fd = kt_open_dev(oflag);
	int ret;

	if (fd < 0)
		return fd;
	ret = kt_queue_ioctl(fd, name, flags, mode, maxmsg, msgsize);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}

static inline int kt_create(const char *name, __u32 maxmsg, __u32 msgsize)
{
	return kt_queue(name, O_RDWR, KIPC_OPEN_CREATE | KIPC_OPEN_EXCL, 0600,
			maxmsg, msgsize);
}

static inline int kt_anon(int oflag, __u32 maxmsg, __u32 msgsize)
{
	return kt_queue(NULL, oflag, KIPC_OPEN_ANON, 0600, maxmsg, msgsize);
}

static inline int kt_unlink(const char *name)
{
	struct kipc_unlink ul = { .size = sizeof(ul) };
	int fd = kt_open_dev(O_RDONLY);
	int ret;

	if (fd < 0)
		return fd;
	memcpy(ul.name, name, strnlen(name, sizeof(ul.name)));
	ret = kt_err(ioctl(fd, KIPC_IOC_UNLINK, &ul));
	close(fd);
	return ret;
}

static inline __s64 kt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__s64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int kt_send(int fd, const void *buf, __u32 len, __u32 prio,
			  __u32 flags, __s64 deadline_ns)
{
	struct kipc_msg m = {
		.size = sizeof(m),
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = len,
		.prio = prio,
		.deadline_ns = deadline_ns,
	};

	return kt_err(ioctl(fd, KIPC_IOC_SEND, &m));
}

static inline int kt_recv(int fd, void *buf, __u32 cap, __u32 *prio,
			  __u32 flags, __s64 deadline_ns)
{
	struct kipc_msg m = {
		.size = sizeof(m),
		.flags = flags,
		.buf = (uintptr_t)buf,
		.len = cap,
		.deadline_ns = deadline_ns,
	};
	int ret = kt_err(ioctl(fd, KIPC_IOC_RECV, &m));

	if (ret >= 0 && prio)
		*prio = m.prio;
	return ret;
}

static inline int kt_stats(int fd, struct kipc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return kt_err(ioctl(fd, KIPC_IOC_STATS, st));
}

/* Read a module parameter; -1 if it cannot be read. */
static inline long kt_param(const char *name)
{
	char path[128], buf[32] = "";
	int fd, n;

	snprintf(path, sizeof(path), "/sys/module/kipc/parameters/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static inline int kt_set_param(const char *name, long value)
{
	char path[128], buf[32];
	int fd, n, ret;

	snprintf(path, sizeof(path), "/sys/module/kipc/parameters/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%ld", value);
	ret = write(fd, buf, n) == n ? 0 : -errno;
	close(fd);
	return ret;
}

/* KIPC_IOC_SHBUF_OPEN on an open device file. */
static inline int kt_shbuf_ioctl(int fd, const char *name, __u32 flags,
				 __u32 mode, __u64 size, __u32 nsems,
				 const __u32 *values)
{
	struct kipc_shbuf_open so = {
		.size = sizeof(so),
		.flags = flags,
		.mode = mode,
		.nsems = nsems,
		.bufsize = size,
		.init_values = (uintptr_t)values,
	};

	if (name)
		memcpy(so.name, name, strnlen(name, sizeof(so.name)));
	return kt_err(ioctl(fd, KIPC_IOC_SHBUF_OPEN, &so));
}

/* A new descriptor bound to a shared buffer, or -errno. */
static inline int kt_shbuf(const char *name, int oflag, __u32 flags, __u32 mode,
			   __u64 size, __u32 nsems, const __u32 *values)
{
	int fd = kt_open_dev(oflag);
	int ret;

	if (fd < 0)
		return fd;
	ret = kt_shbuf_ioctl(fd, name, flags, mode, size, nsems, values);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	return fd;
}

/* An anonymous O_RDWR buffer of @size bytes and @nsems semaphores at 0. */
static inline int kt_shbuf_anon(__u64 size, __u32 nsems)
{
	return kt_shbuf(NULL, O_RDWR, KIPC_OPEN_ANON, 0600, size, nsems, NULL);
}

static inline int kt_sem_wait(int fd, __u32 sem, __u32 count, __u32 flags,
			      __s64 deadline_ns)
{
	struct kipc_sem_arg a = {
		.size = sizeof(a),
		.flags = flags,
		.sem = sem,
		.count = count,
		.deadline_ns = deadline_ns,
	};

	return kt_err(ioctl(fd, KIPC_IOC_SEM_WAIT, &a));
}

static inline int kt_sem_post(int fd, __u32 sem, __u32 count, __u32 flags)
{
	struct kipc_sem_arg a = {
		.size = sizeof(a),
		.flags = flags,
		.sem = sem,
		.count = count,
	};

	return kt_err(ioctl(fd, KIPC_IOC_SEM_POST, &a));
}

/* The value of a semaphore (>= 0), or -errno; @waiters if not NULL. */
static inline int kt_sem_value(int fd, __u32 sem, __u32 *waiters)
{
	struct kipc_sem_value sv = { .size = sizeof(sv), .sem = sem };
	int ret = kt_err(ioctl(fd, KIPC_IOC_SEM_GETVALUE, &sv));

	if (ret < 0)
		return ret;
	if (waiters)
		*waiters = sv.waiters;
	return sv.value;
}

static inline int kt_semop(int fd, const struct kipc_sembuf *ops, __u32 nops,
			   __u32 flags, __s64 deadline_ns)
{
	struct kipc_semop so = {
		.size = sizeof(so),
		.flags = flags,
		.ops = (uintptr_t)ops,
		.nops = nops,
		.deadline_ns = deadline_ns,
	};

	return kt_err(ioctl(fd, KIPC_IOC_SEMOP, &so));
}

/* Wait (up to ~10 s) until @n tasks sleep on semaphore @sem. */
static inline int kt_wait_sleepers(int fd, __u32 sem, __u32 n)
{
	__u32 waiters = 0;

	for (int i = 0; i < 10000; i++) {
		if (kt_sem_value(fd, sem, &waiters) >= 0 && waiters >= n)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

/* The module's reference count, as /sys/module/kipc/refcnt shows it. */
static inline long kt_module_refcnt(void)
{
	char buf[32] = "";
	int fd = open("/sys/module/kipc/refcnt", O_RDONLY | O_CLOEXEC);
	int n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/*
 * Loading and unloading kipc.ko, as the module tests do: /init has loaded it
 * from $KIPC_MODULE. These return 0, or -1 with errno, as the system calls.
 */
static inline const char *kt_module_path(void)
{
	const char *path = getenv("KIPC_MODULE");

	return path ? path : "/lib/modules/kipc.ko";
}

static inline int kt_load_module(void)
{
	int fd = open(kt_module_path(), O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, "", 0);
	close(fd);
	return ret;
}

static inline int kt_unload_module(void)
{
	return syscall(SYS_delete_module, "kipc", O_NONBLOCK);
}

static inline int kt_module_loaded(void)
{
	return access("/sys/module/kipc", F_OK) == 0;
}

/* A child's exit status, 128 + the signal that killed it, or -1. */
static inline int kt_wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The unprivileged user of the permission tests: uid and gid 65534. */
#define KT_NOBODY 65534

/* In a child: drop to nobody, optionally keeping @group as a supplementary group. */
static inline void kt_become_nobody(int group)
{
	gid_t groups[1] = { group };

	if (setgroups(group >= 0 ? 1 : 0, groups) || setgid(KT_NOBODY) || setuid(KT_NOBODY))
		_exit(100);
}

/* 0 or the errno of nobody unlinking @name, in a child. */
static inline int kt_nobody_unlink(const char *name)
{
	pid_t pid = fork();

	if (pid == 0) {
		kt_become_nobody(-1);
		_exit(-kt_unlink(name));
	}
	return kt_wait_child(pid);
}

#endif /* KIPC_TEST_H */
