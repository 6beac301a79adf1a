// SPDX-License-Identifier: LGPL-2.1-or-later
/* libkipc: message queues. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libkipc.h"
#include "kipc_internal.h"

static int queue_open(const char *name, int oflag, mode_t mode,
		      const struct kipc_queue_how *how, unsigned int kflags)
{
	struct kipc_queue_open qo = { .size = sizeof(qo) };

	if (kipc_name_copy(qo.name, name))
		return -1;
	qo.flags = kflags | kipc_open_flags(oflag);
	qo.mode = mode;
	if (how) {
		qo.maxmsg = how->maxmsg;
		qo.msgsize = how->msgsize;
		qo.send_lowat = how->send_lowat;
		qo.options = how->options;
	}
	return kipc_open_object(oflag, KIPC_IOC_QUEUE_OPEN, &qo);
}

static const struct kipc_queue_how *how_from_attr(const struct kipc_queue_attr *attr,
						  struct kipc_queue_how *how)
{
	if (!attr)
		return NULL;
	*how = (struct kipc_queue_how){ .maxmsg = attr->maxmsg, .msgsize = attr->msgsize };
	return how;
}

/*
 * The caller's struct kipc_queue_how, of the size it was built with, as
 * this library's: shorter ones read zero for what they lack, longer ones
 * must be zero beyond it (copy_struct_from_user()'s rule). 1 for none.
 */
static int how_copy(struct kipc_queue_how *dst, const struct kipc_queue_how *src,
		    size_t size)
{
	const unsigned char *tail = (const unsigned char *)src;
	size_t i;

	if (!src)
		return 1;
	if (size < offsetof(struct kipc_queue_how, send_lowat)) {
		errno = EINVAL;
		return -1;
	}
	for (i = sizeof(*dst); i < size; i++) {
		if (tail[i]) {
			errno = E2BIG;
			return -1;
		}
	}
	memset(dst, 0, sizeof(*dst));
	memcpy(dst, src, size < sizeof(*dst) ? size : sizeof(*dst));
	return 0;
}

int kipc_queue_open(const char *name, int oflag, mode_t mode,
		    const struct kipc_queue_attr *attr)
{
	struct kipc_queue_how how;

	return queue_open(name, oflag, mode, how_from_attr(attr, &how), 0);
}

int kipc_queue_anon(int oflag, const struct kipc_queue_attr *attr)
{
	struct kipc_queue_how how;

	if (oflag & (O_CREAT | O_EXCL)) {
		errno = EINVAL;
		return -1;
	}
	return queue_open(NULL, oflag, 0600, how_from_attr(attr, &how), KIPC_OPEN_ANON);
}

int kipc_queue_open2(const char *name, int oflag, mode_t mode,
		     const struct kipc_queue_how *how, size_t size)
{
	struct kipc_queue_how h;
	int ret = how_copy(&h, how, size);

	if (ret < 0)
		return -1;
	return queue_open(name, oflag, mode, ret ? NULL : &h, 0);
}

int kipc_queue_anon2(int oflag, const struct kipc_queue_how *how, size_t size)
{
	struct kipc_queue_how h;
	int ret = how_copy(&h, how, size);

	if (ret < 0)
		return -1;
	if (oflag & (O_CREAT | O_EXCL)) {
		errno = EINVAL;
		return -1;
	}
	return queue_open(NULL, oflag, 0600, ret ? NULL : &h, KIPC_OPEN_ANON);
}

int kipc_unlink(const char *name)
{
	struct kipc_unlink ul = { .size = sizeof(ul) };
	int fd, ret, saved;

	if (kipc_name_copy(ul.name, name))
		return -1;
	fd = open(KIPC_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = ioctl(fd, KIPC_IOC_UNLINK, &ul);
	saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

static void set_deadline(struct kipc_msg *m, const struct timespec *abs_timeout)
{
	if (!abs_timeout)
		return;
	m->flags |= KIPC_MSG_DEADLINE;
	m->deadline_ns = (int64_t)abs_timeout->tv_sec * 1000000000 + abs_timeout->tv_nsec;
}

int kipc_timedsend(int fd, const void *buf, size_t len, unsigned int prio,
		   const struct timespec *abs_timeout)
{
	struct kipc_msg m = {
		.size = sizeof(m),
		.buf = (uintptr_t)buf,
		.len = len,
		.prio = prio,
	};

	if (len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	set_deadline(&m, abs_timeout);
	return ioctl(fd, KIPC_IOC_SEND, &m);
}

int kipc_send(int fd, const void *buf, size_t len, unsigned int prio)
{
	return kipc_timedsend(fd, buf, len, prio, NULL);
}

ssize_t kipc_timedreceive(int fd, void *buf, size_t len, unsigned int *prio,
			  const struct timespec *abs_timeout)
{
	struct kipc_msg m = {
		.size = sizeof(m),
		.buf = (uintptr_t)buf,
		.len = len > UINT32_MAX ? UINT32_MAX : len,
	};
	int ret;

	set_deadline(&m, abs_timeout);
	ret = ioctl(fd, KIPC_IOC_RECV, &m);
	if (ret >= 0 && prio)
		*prio = m.prio;
	return ret;
}

ssize_t kipc_receive(int fd, void *buf, size_t len, unsigned int *prio)
{
	return kipc_timedreceive(fd, buf, len, prio, NULL);
}

ssize_t kipc_timedreceive_from(int fd, void *buf, size_t len,
			       unsigned int *prio, struct kipc_sender *from,
			       const struct timespec *abs_timeout)
{
	struct kipc_recvmsg m = {
		.size = sizeof(m),
		.buf = (uintptr_t)buf,
		.len = len > UINT32_MAX ? UINT32_MAX : len,
	};
	int ret;

	if (abs_timeout) {
		m.flags = KIPC_MSG_DEADLINE;
		m.deadline_ns = (int64_t)abs_timeout->tv_sec * 1000000000 +
				abs_timeout->tv_nsec;
	}
	ret = ioctl(fd, KIPC_IOC_RECVMSG, &m);
	/* Before ABI 5: no queue carries a sender, RECV says all there is. */
	if (ret < 0 && errno == ENOTTY) {
		ret = kipc_timedreceive(fd, buf, len, &m.prio, abs_timeout);
		m.hdr_flags = 0;
	}
	if (ret < 0)
		return ret;
	if (prio)
		*prio = m.prio;
	if (from)
		*from = (struct kipc_sender){
			.flags = m.hdr_flags,
			.pid = m.pid,
			.uid = m.uid,
			.gid = m.gid,
		};
	return ret;
}

ssize_t kipc_receive_from(int fd, void *buf, size_t len, unsigned int *prio,
			  struct kipc_sender *from)
{
	return kipc_timedreceive_from(fd, buf, len, prio, from, NULL);
}

int kipc_send_fds(int fd, const void *buf, size_t len, unsigned int prio,
		  const int *fds, unsigned int nfds)
{
	struct kipc_sendmsg m = {
		.size = sizeof(m),
		.buf = (uintptr_t)buf,
		.len = len,
		.prio = prio,
		.fds = (uintptr_t)fds,
		.nfds = nfds,
	};

	if (len > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	return ioctl(fd, KIPC_IOC_SENDMSG, &m);
}

ssize_t kipc_receive_fds(int fd, void *buf, size_t len, unsigned int *prio,
			 struct kipc_sender *from, int *fds,
			 unsigned int *nfds, unsigned int fd_flags)
{
	struct kipc_recvmsg m = {
		.size = sizeof(m),
		.buf = (uintptr_t)buf,
		.len = len > UINT32_MAX ? UINT32_MAX : len,
		.fds = (uintptr_t)fds,
		.nfds = *nfds,
		.fd_flags = fd_flags,
	};
	int ret;

	ret = ioctl(fd, KIPC_IOC_RECVMSG, &m);
	if (ret < 0)
		return ret;
	*nfds = m.nfds;
	if (prio)
		*prio = m.prio;
	if (from)
		*from = (struct kipc_sender){
			.flags = m.hdr_flags,
			.pid = m.pid,
			.uid = m.uid,
			.gid = m.gid,
		};
	return ret;
}

/*
 * The batch calls of queues and rings take the same flags (KIPC_MSG_NONBLOCK)
 * and the same deadline; anything else in @flags is refused here, so that
 * both refuse it alike.
 */
static int batch(int fd, unsigned long cmd, const struct kipc_mvec *vec,
		 unsigned int count, unsigned int flags,
		 const struct timespec *abs_timeout)
{
	struct kipc_batch b = {
		.size = sizeof(b),
		.flags = flags,
		.vec = (uintptr_t)vec,
		.count = count,
	};

	if (flags & ~KIPC_MSG_NONBLOCK) {
		errno = EINVAL;
		return -1;
	}
	if (abs_timeout) {
		b.flags |= KIPC_MSG_DEADLINE;
		b.deadline_ns = (int64_t)abs_timeout->tv_sec * 1000000000 +
				abs_timeout->tv_nsec;
	}
	return ioctl(fd, cmd, &b);
}

int kipc_timedsend_batch(int fd, const struct kipc_mvec *vec, unsigned int count,
			 unsigned int flags, const struct timespec *abs_timeout)
{
	return batch(fd, KIPC_IOC_SEND_BATCH, vec, count, flags, abs_timeout);
}

int kipc_timedreceive_batch(int fd, struct kipc_mvec *vec, unsigned int count,
			    unsigned int flags, const struct timespec *abs_timeout)
{
	return batch(fd, KIPC_IOC_RECV_BATCH, vec, count, flags, abs_timeout);
}

int kipc_send_batch(int fd, const struct kipc_mvec *vec, unsigned int count,
		    unsigned int flags)
{
	return kipc_timedsend_batch(fd, vec, count, flags, NULL);
}

int kipc_receive_batch(int fd, struct kipc_mvec *vec, unsigned int count,
		       unsigned int flags)
{
	return kipc_timedreceive_batch(fd, vec, count, flags, NULL);
}

ssize_t kipc_sendrecv(int send_fd, const void *sbuf, size_t slen,
		      unsigned int sprio, int recv_fd, void *rbuf, size_t rlen,
		      unsigned int *rprio, const struct timespec *abs_timeout,
		      int *sent)
{
	struct kipc_sendrecv sr = {
		.size = sizeof(sr),
		.recv_fd = recv_fd,
		.send_buf = (uintptr_t)sbuf,
		.send_len = slen,
		.send_prio = sprio,
		.recv_buf = (uintptr_t)rbuf,
		.recv_len = rlen > UINT32_MAX ? UINT32_MAX : rlen,
	};
	int ret;

	if (slen > UINT32_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (abs_timeout) {
		sr.flags |= KIPC_MSG_DEADLINE;
		sr.deadline_ns = (int64_t)abs_timeout->tv_sec * 1000000000 +
				 abs_timeout->tv_nsec;
	}
	ret = ioctl(send_fd, KIPC_IOC_SENDRECV, &sr);
	if (sent)
		*sent = !!(sr.result & KIPC_SENDRECV_SENT);
	if (ret >= 0 && rprio)
		*rprio = sr.recv_prio;
	return ret;
}

int kipc_get_stats(int fd, struct kipc_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	return ioctl(fd, KIPC_IOC_STATS, st);
}

void kipc_deadline(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	/* Negative @ms gives a negative remainder: keep tv_nsec in range. */
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	} else if (ts->tv_nsec < 0) {
		ts->tv_sec--;
		ts->tv_nsec += 1000000000L;
	}
}
