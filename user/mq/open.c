// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libkipc-mq: mq_open, mq_close and mq_unlink.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mq_internal.h"

typedef mqd_t (*kmq_open_fn)(const char *, int, ...);
typedef int (*kmq_close_fn)(mqd_t);
typedef int (*kmq_unlink_fn)(const char *);

static mqd_t kmq_real_open(const char *name, int oflag, mode_t mode,
			   struct mq_attr *attr)
{
	kmq_open_fn fn = (kmq_open_fn)kmq_real(KMQ_REAL_OPEN);
	mqd_t mqd;

	if (!fn)
		return -1;
	mqd = oflag & O_CREAT ? fn(name, oflag, mode, attr) : fn(name, oflag);
	/* The number may be one a program close(2)d behind our back. */
	if (mqd >= 0)
		kmq_table_clear(mqd);
	return mqd;
}

/*
 * kipc's errnos where POSIX mq has others: the per-user byte budget is
 * what RLIMIT_MSGQUEUE is to Linux, which answers EMFILE.
 */
static int kmq_open_errno(int err)
{
	switch (err) {
	case EDQUOT:
		return EMFILE;
	case EPERM:
		return EACCES;
	}
	return err;
}

/* Linux ignores the attributes of a queue that exists: so does this. */
static int kmq_attr_bad(const struct mq_attr *attr)
{
	return attr->mq_maxmsg <= 0 || attr->mq_msgsize <= 0 ||
	       attr->mq_maxmsg > UINT32_MAX || attr->mq_msgsize > UINT32_MAX;
}

static mqd_t kmq_open(const char *name, int oflag, mode_t mode,
		      const struct mq_attr *attr)
{
	struct kipc_queue_open qo = { .size = sizeof(qo) };
	int fd, absent, bad_attr = 0, err = errno;
	uint64_t entry;

	if (kmq_name_check(name))
		return -1;
	if (!kmq_name_taken(name))
		return kmq_real_open(name, oflag, mode, (struct mq_attr *)attr);
	if (oflag & O_CREAT) {
		qo.flags = KIPC_OPEN_CREATE;
		if (oflag & O_EXCL)
			qo.flags |= KIPC_OPEN_EXCL;
		qo.mode = mode & 0777;
		if (attr && kmq_attr_bad(attr)) {
			bad_attr = 1;
			qo.flags = 0;
		} else if (attr) {
			qo.maxmsg = attr->mq_maxmsg;
			qo.msgsize = attr->mq_msgsize;
		}
	}
	/* Without kipc, every name is the real one's, whatever kipc takes. */
	fd = kmq_device_open(oflag, &absent);
	if (fd < 0) {
		if (!absent)
			return -1;
		errno = err;	/* as if kipc had never been asked */
		return kmq_real_open(name, oflag, mode, (struct mq_attr *)attr);
	}
	/* A descriptor that can neither send nor receive: refused. */
	if ((oflag & O_ACCMODE) == O_ACCMODE) {
		err = EINVAL;
		goto fail;
	}
	if (kmq_name_map(qo.name, name)) {
		err = errno;
		goto fail;
	}
	if (ioctl(fd, KIPC_IOC_QUEUE_OPEN, &qo) < 0) {
		err = errno == ENOENT && bad_attr ? EINVAL : kmq_open_errno(errno);
		goto fail;
	}
	if (bad_attr && (oflag & O_EXCL)) {
		err = EEXIST;
		goto fail;
	}
	if (kmq_entry_of(fd, oflag, &entry) || kmq_table_set(fd, entry)) {
		err = errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	errno = err;
	return -1;
}

KMQ_EXPORT mqd_t mq_open(const char *name, int oflag, ...)
{
	struct mq_attr *attr = NULL;
	mode_t mode = 0;
	va_list ap;

	if (oflag & O_CREAT) {
		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	return kmq_open(name, oflag, mode, attr);
}

/* _FORTIFY_SOURCE's mq_open with two arguments: glibc's rule. */
KMQ_EXPORT mqd_t __mq_open_2(const char *name, int oflag)
{
	if (oflag & O_CREAT) {
		fputs("*** invalid mq_open call: O_CREAT without mode and attr ***: terminated\n",
		      stderr);
		abort();
	}
	return kmq_open(name, oflag, 0, NULL);
}

KMQ_EXPORT int mq_close(mqd_t mqd)
{
	kmq_close_fn fn;

	if (kmq_lookup(mqd)) {
		kmq_notify_forget_fd(mqd);
		/* Out of the table first: the number is free once closed. */
		kmq_table_clear(mqd);
		return close(mqd);
	}
	fn = (kmq_close_fn)kmq_real(KMQ_REAL_CLOSE);
	return fn ? fn(mqd) : -1;
}

KMQ_EXPORT int mq_unlink(const char *name)
{
	struct kipc_unlink u = { .size = sizeof(u) };
	kmq_unlink_fn fn;
	int fd, absent, ret, err = errno;

	if (kmq_name_check(name))
		return -1;
	if (kmq_name_taken(name)) {
		fd = kmq_device_open(O_RDONLY, &absent);
		if (fd >= 0) {
			ret = kmq_name_map(u.name, name);
			if (!ret)
				ret = ioctl(fd, KIPC_IOC_UNLINK, &u);
			err = ret ? kmq_open_errno(errno) : 0;
			close(fd);
			errno = err;
			return ret < 0 ? -1 : 0;
		}
		if (!absent)
			return -1;
		errno = err;
	}
	fn = (kmq_unlink_fn)kmq_real(KMQ_REAL_UNLINK);
	return fn ? fn(name) : -1;
}
