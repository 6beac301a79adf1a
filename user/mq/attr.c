// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libkipc-mq: mq_getattr and mq_setattr. The queue's attributes come from
 * KIPC_IOC_STATS, the flags from the descriptor: O_NONBLOCK is all that
 * mq_setattr changes, per open file, as Linux does.
 */
#include <fcntl.h>

#include "mq_internal.h"

typedef int (*kmq_getattr_fn)(mqd_t, struct mq_attr *);
typedef int (*kmq_setattr_fn)(mqd_t, const struct mq_attr *, struct mq_attr *);

static int kmq_getattr(mqd_t mqd, struct mq_attr *attr)
{
	struct kipc_stats st;
	int fl;

	fl = fcntl(mqd, F_GETFL);
	if (fl < 0 || kmq_stats(mqd, &st))
		return -1;
	*attr = (struct mq_attr){
		.mq_flags = fl & O_NONBLOCK,
		.mq_maxmsg = st.maxmsg,
		.mq_msgsize = st.msgsize,
		.mq_curmsgs = st.curmsgs,
	};
	return 0;
}

/* Whether @mqd is a kipc queue, learning it if a dup or libkipc made it. */
static int kmq_ours(mqd_t mqd, int real_ret)
{
	return kmq_lookup(mqd) || (real_ret < 0 && errno == EBADF && kmq_adopt(mqd));
}

/*
 * The table said kipc, the kernel said ENOTTY: the number was close(2)d
 * and reused for something else, which the real function serves.
 */
static int kmq_stale(mqd_t mqd, int ret)
{
	return ret < 0 && errno == ENOTTY && !kmq_adopt(mqd);
}

KMQ_EXPORT int mq_getattr(mqd_t mqd, struct mq_attr *attr)
{
	kmq_getattr_fn fn;
	int ret;

	if (kmq_lookup(mqd)) {
		ret = kmq_getattr(mqd, attr);
		if (!kmq_stale(mqd, ret))
			return ret;
	}
	fn = (kmq_getattr_fn)kmq_real(KMQ_REAL_GETATTR);
	ret = fn ? fn(mqd, attr) : -1;
	if (!kmq_ours(mqd, ret))
		return ret;
	return kmq_getattr(mqd, attr);
}

/*
 * <mqueue.h> declares @newattr non-null, but Linux takes NULL (only
 * reading the attributes): this function has no such declaration.
 */
static int kmq_setattr(mqd_t mqd, const struct mq_attr *newattr,
		       struct mq_attr *oldattr)
{
	struct mq_attr old;
	int fl;

	if (newattr && (newattr->mq_flags & ~(long)O_NONBLOCK)) {
		errno = EINVAL;
		return -1;
	}
	if (kmq_getattr(mqd, &old))
		return -1;
	if (newattr) {
		fl = fcntl(mqd, F_GETFL);
		if (fl < 0)
			return -1;
		fl = (fl & ~O_NONBLOCK) | (newattr->mq_flags & O_NONBLOCK);
		if (fcntl(mqd, F_SETFL, fl) < 0)
			return -1;
	}
	if (oldattr)
		*oldattr = old;
	return 0;
}

KMQ_EXPORT int mq_setattr(mqd_t mqd, const struct mq_attr *newattr,
			  struct mq_attr *oldattr)
{
	kmq_setattr_fn fn;
	int ret;

	if (kmq_lookup(mqd)) {
		ret = kmq_setattr(mqd, newattr, oldattr);
		if (!kmq_stale(mqd, ret))
			return ret;
	}
	fn = (kmq_setattr_fn)kmq_real(KMQ_REAL_SETATTR);
	ret = fn ? fn(mqd, newattr, oldattr) : -1;
	if (!kmq_ours(mqd, ret))
		return ret;
	return kmq_setattr(mqd, newattr, oldattr);
}
