// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libkipc: shared buffers and their semaphores.
 *
 * The fast paths (take and post with compare-and-swap in the control area)
 * are inline in libkipc.h; this file holds the slow paths, which enter the
 * kernel, and the open and map calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libkipc.h"
#include "kipc_internal.h"

static int shbuf_open(const char *name, int oflag, mode_t mode,
		      const struct kipc_shbuf_attr *attr, unsigned int kflags)
{
	struct kipc_shbuf_open so = { .size = sizeof(so) };

	if (kipc_name_copy(so.name, name))
		return -1;
	kflags |= kipc_open_flags(oflag);
	if ((kflags & (KIPC_OPEN_CREATE | KIPC_OPEN_ANON)) && !attr) {
		errno = EINVAL;
		return -1;
	}
	so.flags = kflags;
	so.mode = mode;
	if (attr) {
		so.bufsize = attr->size;
		so.nsems = attr->nsems;
		so.init_values = (uintptr_t)attr->values;
	}
	return kipc_open_object(oflag, KIPC_IOC_SHBUF_OPEN, &so);
}

int kipc_shbuf_open(const char *name, int oflag, mode_t mode,
		    const struct kipc_shbuf_attr *attr)
{
	return shbuf_open(name, oflag, mode, attr, 0);
}

int kipc_shbuf_anon(int oflag, const struct kipc_shbuf_attr *attr)
{
	if (oflag & (O_CREAT | O_EXCL)) {
		errno = EINVAL;
		return -1;
	}
	return shbuf_open(NULL, oflag, 0600, attr, KIPC_OPEN_ANON);
}

int kipc_shbuf_map(int fd, struct kipc_shbuf *sb)
{
	struct kipc_stats st;
	int prot = PROT_READ;
	int fl;
	void *map;

	if (kipc_get_stats(fd, &st) < 0)
		return -1;
	if (st.type != KIPC_TYPE_SHBUF || st.size < KIPC_STATS_SIZE_VER1) {
		errno = EINVAL;
		return -1;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -1;
	if ((fl & O_ACCMODE) == O_RDWR)
		prot |= PROT_WRITE;
	memset(sb, 0, sizeof(*sb));
	sb->map_len = st.shbuf_data_offset + st.shbuf_size;
	map = mmap(NULL, sb->map_len, prot, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return -1;
	sb->fd = fd;
	sb->nsems = st.shbuf_nsems;
	sb->size = st.shbuf_size;
	sb->map = map;
	sb->sems = map;
	sb->data = (char *)map + st.shbuf_data_offset;
	return 0;
}

int kipc_shbuf_unmap(struct kipc_shbuf *sb)
{
	int ret = munmap(sb->map, sb->map_len);

	if (!ret) {
		sb->map = NULL;
		sb->sems = NULL;
		sb->data = NULL;
	}
	return ret;
}

/* Fill a deadline; EINVAL for a timespec POSIX calls invalid. */
static int sem_deadline(const struct timespec *ts, unsigned int *flags,
			__s64 *deadline_ns)
{
	if (!ts)
		return 0;
	if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L || ts->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	*flags |= KIPC_SEM_DEADLINE;
	*deadline_ns = (__s64)ts->tv_sec * 1000000000 + ts->tv_nsec;
	return 0;
}

int kipc_sem_take(const struct kipc_shbuf *sb, unsigned int sem,
		  unsigned int count, unsigned int flags,
		  const struct timespec *abs_timeout)
{
	struct kipc_sem_arg a = {
		.size = sizeof(a),
		.sem = sem,
		.count = count,
	};

	if (sem >= sb->nsems || !count || count > KIPC_SEM_VALUE_MAX ||
	    (flags & ~(KIPC_SEM_NONBLOCK | KIPC_SEM_UNDO))) {
		errno = EINVAL;
		return -1;
	}
	/* An undo record lives in the kernel: such takes always go there. */
	if (!(flags & KIPC_SEM_UNDO)) {
		if (kipc__sem_trytake(&sb->sems[sem], count))
			return 0;
		if (flags & KIPC_SEM_NONBLOCK) {
			errno = EAGAIN;
			return -1;
		}
	}
	a.flags = flags;
	if (sem_deadline(abs_timeout, &a.flags, &a.deadline_ns))
		return -1;
	return ioctl(sb->fd, KIPC_IOC_SEM_WAIT, &a);
}

int kipc_sem_give(const struct kipc_shbuf *sb, unsigned int sem,
		  unsigned int count, unsigned int flags)
{
	struct kipc_sem_arg a = {
		.size = sizeof(a),
		.flags = flags,
		.sem = sem,
		.count = count,
	};

	if (sem >= sb->nsems || !count || count > KIPC_SEM_VALUE_MAX ||
	    (flags & ~KIPC_SEM_UNDO)) {
		errno = EINVAL;
		return -1;
	}
	if (!flags)
		return kipc_sem_post(sb, sem, count);
	return ioctl(sb->fd, KIPC_IOC_SEM_POST, &a);
}

int kipc__sem_wake(const struct kipc_shbuf *sb, unsigned int sem)
{
	struct kipc_sem_arg a = { .size = sizeof(a), .sem = sem };

	return ioctl(sb->fd, KIPC_IOC_SEM_POST, &a);
}

int kipc_sem_getvalue(const struct kipc_shbuf *sb, unsigned int sem,
		      unsigned int *value)
{
	__s32 v;

	if (sem >= sb->nsems) {
		errno = EINVAL;
		return -1;
	}
	v = (__s32)__atomic_load_n(&sb->sems[sem].value, __ATOMIC_RELAXED);
	*value = v < 0 ? 0 : v > KIPC_SEM_VALUE_MAX ? KIPC_SEM_VALUE_MAX : (unsigned int)v;
	return 0;
}

int kipc_semop(const struct kipc_shbuf *sb, const struct kipc_sembuf *ops,
	       unsigned int nops, unsigned int flags,
	       const struct timespec *abs_timeout)
{
	struct kipc_semop so = {
		.size = sizeof(so),
		.flags = flags,
		.ops = (uintptr_t)ops,
		.nops = nops,
	};

	if (sem_deadline(abs_timeout, &so.flags, &so.deadline_ns))
		return -1;
	return ioctl(sb->fd, KIPC_IOC_SEMOP, &so);
}
