// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - descriptors in messages (KIPC_QUEUE_FDS).
 *
 * A message of a KIPC_QUEUE_FDS queue may carry up to KIPC_FDS_MAX open
 * files, as an SCM_RIGHTS control message does: KIPC_IOC_SENDMSG takes a
 * reference to each (struct kq_fds, in the message's extension), and the
 * message holds them until it leaves the queue: KIPC_IOC_RECVMSG installs
 * them in the receiver, every other way out (another receive call, a
 * descriptor that does not fit, a discarded request, the queue's end, a
 * send that fails) drops them with the message (queue.c,
 * kq_ext_put_many()).
 *
 * Cycles. A file that can hold references to other files, and could
 * come to hold this queue's file, would let a queue hold itself: its
 * message pins the file, the file pins the queue, and nothing is ever
 * received to break the loop (AF_UNIX needs a garbage collector for
 * this). kipc refuses, with ELOOP, the three kinds of file that can hold
 * another file a process hands them: a /dev/kipc file (a queue's messages;
 * a buffer or channel is refused alike, being the same file type), an
 * AF_UNIX socket (SCM_RIGHTS in its receive queue) and an io_uring
 * instance (its registered files and requests in flight; io_uring refuses
 * its own descriptors there for the same reason). What is left pins no
 * file: an epoll set does not hold the files it watches, a pipe holds
 * pages. So no cycle can form, and there is nothing to collect.
 *
 * Bound. Descriptors in flight count against the sending file's opener
 * (budget.c, kipc_fds_charge()), up to the sending task's RLIMIT_NOFILE
 * (ETOOMANYREFS past it), as AF_UNIX counts its users' in-flight ones.
 *
 * Receive. The receiver's table is checked for room before the message
 * is let go (EMFILE leaves it queued); the files are installed, lowest
 * free numbers first, only once payload and header were written, by
 * receive_fd(), which runs the LSM hook. One that fails then (the table
 * filled meanwhile, an LSM's refusal) is closed with those after it,
 * and the header says so (KIPC_HDR_FDS_TRUNC), as recvmsg(2) truncates.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/net.h>
#include <linux/sched/signal.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "kipc_priv.h"
#include "queue_fds.h"

/*
 * An io_uring instance. io_is_uring_fops() is not exported (6.1, 6.12);
 * io_uring makes its file on the anon_inode filesystem, named
 * "[io_uring]" (anon_inode_getfile_secure() on 6.1,
 * anon_inode_create_getfile() on 6.12). Only the kernel creates files
 * there, each under a name its caller chose, so no file a process can
 * make passes for one.
 */
static bool kq_fds_is_uring(struct file *file)
{
	return file_inode(file)->i_sb->s_magic == ANON_INODE_FS_MAGIC &&
	       !strcmp(file->f_path.dentry->d_name.name, "[io_uring]");
}

/* Could @file come to hold a reference to a kipc queue? See the top. */
static bool kq_fds_refused(struct file *file)
{
	struct socket *sock;

	if (file->f_op == &kipc_fops)
		return true;
	sock = sock_from_file(file);
	if (sock && sock->ops && sock->ops->family == PF_UNIX)
		return true;
	return kq_fds_is_uring(file);
}

/**
 * kq_fds_get() - take the files a message is to carry
 * @fds: filled in; empty on failure
 * @qfile: the queue's file the message is sent on: its opener is charged
 * @ufds: user array of @n descriptors
 * @n: 1 .. %KIPC_FDS_MAX
 *
 * O_PATH descriptors travel as they do over SCM_RIGHTS.
 *
 * Return: 0; -EFAULT; -EBADF (not open); -ELOOP (a file that could close
 * a cycle); -ETOOMANYREFS (the opener's in-flight bound); -ENOMEM.
 */
int kq_fds_get(struct kq_fds *fds, struct file *qfile,
	       const s32 __user *ufds, u32 n)
{
	s32 nums[KIPC_FDS_MAX];
	struct kipc_acct *acct;
	struct kipc_who who;
	struct file *file;
	int err;
	u32 i;

	fds->n = 0;
	fds->acct = NULL;
	if (WARN_ON_ONCE(n > KIPC_FDS_MAX))
		return -EINVAL;
	/*
	 * Nothing to count: an empty charge would pin the account's user
	 * namespace while its count stays zero, and a concurrent charge of
	 * the same account would then pin it again and the first reference
	 * never be dropped (kipc_fds_charge() pins on a zero count).
	 */
	if (!n)
		return 0;
	if (copy_from_user(nums, ufds, n * sizeof(*nums)))
		return -EFAULT;
	for (i = 0; i < n; i++) {
		/* A negative number is a huge one: not open. */
		file = fget_raw(nums[i]);
		if (!file) {
			err = -EBADF;
			goto out_put;
		}
		fds->files[fds->n++] = file;
		if (kq_fds_refused(file)) {
			err = -ELOOP;
			goto out_put;
		}
	}
	kipc_who_init_file(&who, qfile);
	acct = kipc_fds_charge(&who, n, rlimit(RLIMIT_NOFILE));
	if (IS_ERR(acct)) {
		err = PTR_ERR(acct);
		goto out_put;
	}
	fds->acct = acct;
	return 0;

out_put:
	kq_fds_put(fds);
	return err;
}

/**
 * kq_fds_put() - drop the files a message carries, and their charge
 * @fds: emptied
 */
void kq_fds_put(struct kq_fds *fds)
{
	unsigned int i;

	for (i = 0; i < fds->n; i++)
		fput(fds->files[i]);
	if (fds->acct)
		kipc_fds_uncharge(fds->acct, fds->n);
	fds->acct = NULL;
	fds->n = 0;
}

/**
 * kq_fds_move() - hand files and their charge to a message
 * @dst: the message's, empty
 * @src: emptied: its holder has nothing left to put
 */
void kq_fds_move(struct kq_fds *dst, struct kq_fds *src)
{
	*dst = *src;
	src->n = 0;
	src->acct = NULL;
}

/**
 * kq_fds_recv_prepare() - may @want of the files be installed?
 * @fds: the message's files
 * @want: how many the receiver takes, at most @fds->n
 * @ufds: the receiver's array, which gets -1 in each of its @want slots
 *
 * Before the message is let go: a table without room for them, or an
 * array that cannot be written, leaves it queued. The slots read -1 until
 * their file is installed, so the array tells which were, whatever fails
 * after.
 *
 * Return: 0; -EMFILE (or -ENOMEM) from the descriptor table; -EFAULT.
 */
int kq_fds_recv_prepare(const struct kq_fds *fds, u32 want, s32 __user *ufds)
{
	int nums[KIPC_FDS_MAX];
	int err = 0;
	u32 i, got;

	for (got = 0; got < want; got++) {
		nums[got] = get_unused_fd_flags(0);
		if (nums[got] < 0) {
			err = nums[got];
			break;
		}
	}
	/* receive_fd() takes them again, and runs the LSM hook as it does. */
	for (i = 0; i < got; i++)
		put_unused_fd(nums[i]);
	if (err)
		return err;
	for (i = 0; i < want; i++)
		if (put_user(-1, ufds + i))
			return -EFAULT;
	return 0;
}

/**
 * kq_fds_recv_install() - install the first @want files in the receiver
 * @fds: the message's files; the message still drops its own references
 * @want: as for kq_fds_recv_prepare(), which succeeded
 * @ufds: the receiver's array: each slot gets its descriptor
 * @fd_flags: %KIPC_FD_* flags
 *
 * Return: how many were installed, in order; those after the first that
 * fails are not (as scm_detach_fds()).
 */
u32 kq_fds_recv_install(const struct kq_fds *fds, u32 want, s32 __user *ufds,
			u32 fd_flags)
{
	unsigned int o_flags = fd_flags & KIPC_FD_CLOEXEC ? O_CLOEXEC : 0;
	u32 i;

	for (i = 0; i < want; i++)
		if (kipc_receive_fd(fds->files[i], ufds + i, o_flags) < 0)
			break;
	return i;
}
