/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc - every difference between the kernels kipc supports lives here.
 *
 * Supported: 6.1 (Debian 12) and 6.12 LTS (KVERS in the Makefile; see
 * Documentation/testing.rst). Each entry names, in a one-line comment, the
 * kernel version that changed the interface; the rest of kmod/ never tests
 * LINUX_VERSION_CODE (make check fails it).
 */
#ifndef _KIPC_COMPAT_H
#define _KIPC_COMPAT_H

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/version.h>

/* 6.12 made struct fd opaque and added fd_file() to reach its file. */
#ifndef fd_file
#define fd_file(f) ((f).file)
#endif

/* 6.3 made vma->vm_flags read-only and added vm_flags_mod() to change it. */
static inline void kipc_vm_flags_mod(struct vm_area_struct *vma,
				     vm_flags_t set, vm_flags_t clear)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/* 6.12 moved <asm/unaligned.h> to <linux/unaligned.h>. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * 6.7 gave receive_fd() the user address to write the new descriptor to,
 * before it is installed (as SCM_RIGHTS does). Before, it only returns
 * the number: one installed but not reported is taken back.
 */
static inline int kipc_receive_fd(struct file *file, int __user *ufd,
				  unsigned int o_flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	return receive_fd(file, ufd, o_flags);
#else
	int fd = receive_fd(file, o_flags);

	if (fd >= 0 && put_user(fd, ufd)) {
		close_fd(fd);
		return -EFAULT;
	}
	return fd;
#endif
}

/*
 * 6.7 moved struct io_uring_cmd to <linux/io_uring/cmd.h>; 6.6 replaced
 * its ->cmd (the SQE's command area) with ->sqe and io_uring_sqe_cmd().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif

static inline const void *kipc_uring_cmd_area(const struct io_uring_cmd *ioucmd)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return io_uring_sqe_cmd(ioucmd->sqe);
#else
	return ioucmd->cmd;
#endif
}

#endif /* _KIPC_COMPAT_H */
