// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - module entry points and the /dev/kipc character device.
 *
 * This file owns the misc device and the file_operations table, which is the
 * device's contract: every open file starts unbound and an ioctl binds it to
 * an object. It holds no locks of its own; the module reference that keeps
 * kipc loaded while a file is open is taken by the VFS through fops.owner.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "kipc.h"

static int kipc_open(struct inode *inode, struct file *file)
{
	/* A queue has no file position: read and write never take f_pos. */
	return stream_open(inode, file);
}

static int kipc_release(struct inode *inode, struct file *file)
{
	return 0;
}

static long kipc_ioctl_version(void __user *uarg)
{
	struct kipc_version ver = {
		.major = KIPC_VERSION_MAJOR,
		.minor = KIPC_VERSION_MINOR,
		.patch = KIPC_VERSION_PATCH,
		.abi = KIPC_ABI_VERSION,
	};

	if (copy_to_user(uarg, &ver, sizeof(ver)))
		return -EFAULT;
	return 0;
}

static long kipc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case KIPC_IOC_VERSION:
		return kipc_ioctl_version(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations kipc_fops = {
	.owner		= THIS_MODULE,
	.open		= kipc_open,
	.release	= kipc_release,
	.unlocked_ioctl	= kipc_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice kipc_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "kipc",
	.fops	= &kipc_fops,
	.mode	= 0666,
};

static int __init kipc_init(void)
{
	int err;

	err = misc_register(&kipc_miscdev);
	if (err) {
		pr_err("cannot register /dev/kipc: %d\n", err);
		return err;
	}
	pr_info("version %s loaded\n", KIPC_VERSION_STRING);
	return 0;
}

static void __exit kipc_exit(void)
{
	misc_deregister(&kipc_miscdev);
}

module_init(kipc_init);
module_exit(kipc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The kipc developers");
MODULE_DESCRIPTION("Kernel-managed message queues and shared buffers for IPC");
MODULE_VERSION(KIPC_VERSION_STRING);
