/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc - descriptors in messages (KIPC_QUEUE_FDS, queue_fds.c): what
 * queue.c sees of them.
 */
#ifndef _KIPC_QUEUE_FDS_H
#define _KIPC_QUEUE_FDS_H

#include <linux/types.h>
#include <linux/kipc.h>

struct file;
struct kipc_acct;

/**
 * struct kq_fds - the open files a message carries
 * @acct: the account their in-flight count is charged to (the sending
 *	file's opener), or NULL while @n is 0
 * @n: files held, 0 .. %KIPC_FDS_MAX
 * @files: a reference to each
 *
 * Part of the extension of a message of a %KIPC_QUEUE_FDS queue only.
 */
struct kq_fds {
	struct kipc_acct *acct;
	unsigned int n;
	struct file *files[KIPC_FDS_MAX];
};

int kq_fds_get(struct kq_fds *fds, struct file *qfile,
	       const s32 __user *ufds, u32 n);
void kq_fds_put(struct kq_fds *fds);
void kq_fds_move(struct kq_fds *dst, struct kq_fds *src);
int kq_fds_recv_prepare(const struct kq_fds *fds, u32 want, s32 __user *ufds);
u32 kq_fds_recv_install(const struct kq_fds *fds, u32 want, s32 __user *ufds,
			u32 fd_flags);

#endif /* _KIPC_QUEUE_FDS_H */
