// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - module entry points and the /dev/kipc character device.
 *
 * This file owns the misc device and the file_operations table, which is the
 * device's contract: every open file starts unbound and an open ioctl binds
 * it, once, to an object (object.c); reads, writes, polls, mmap and the
 * data ioctls then go to the object's kind (queue.c, shbuf.c and sem.c),
 * and so do close (->flush) and the last release. It holds no locks of its
 * own; the module reference that keeps kipc loaded while a file is open is
 * taken by the VFS through fops.owner.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/cred.h>
#include <linux/uaccess.h>

#include "kipc_priv.h"

/**
 * kipc_put_arg() - write an extensible ioctl reply
 * @uarg: user pointer to a struct whose first member is its __u32 size
 * @usize: the size the caller's command number encodes, _IOC_SIZE(cmd)
 * @karg: the kernel's reply, @ksize bytes, whose size member is set here
 * @ksize: sizeof the kernel's struct
 * @ver0: size of the struct's first published version
 *
 * The struct's size field must equal @usize, as for kipc_get_arg(). Writes
 * min(@usize, @ksize) bytes and zeroes the rest of a larger user struct,
 * so newer userspace reads zero from fields it knows and this module does
 * not.
 *
 * Return: 0; -EFAULT; -EINVAL if the field and @usize differ or @usize is
 * below @ver0; -E2BIG above a page.
 */
static int kipc_put_arg(void __user *uarg, u32 usize, void *karg, size_t ksize,
			size_t ver0)
{
	u32 field;

	if (get_user(field, (u32 __user *)uarg))
		return -EFAULT;
	if (field != usize || usize < ver0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	*(u32 *)karg = min_t(u32, usize, ksize);
	if (copy_to_user(uarg, karg, min_t(size_t, usize, ksize)))
		return -EFAULT;
	if (usize > ksize && clear_user(uarg + ksize, usize - ksize))
		return -EFAULT;
	return 0;
}

static int kipc_open(struct inode *inode, struct file *file)
{
	/* misc_open() left the miscdevice here; an unbound file holds NULL. */
	file->private_data = NULL;
	/* Objects have no file position: read and write never take f_pos. */
	return stream_open(inode, file);
}

static int kipc_flush(struct file *file, fl_owner_t id)
{
	struct kipc_obj *obj = kipc_file_obj(file);

	if (obj && obj->ops->flush)
		obj->ops->flush(obj, file, id);
	return 0;
}

static int kipc_release(struct inode *inode, struct file *file)
{
	struct kipc_obj *obj = kipc_file_obj(file);

	if (obj) {
		if (obj->ops->release)
			obj->ops->release(obj, file);
		if (obj->ops->put)
			obj->ops->put(obj);
		else
			kipc_obj_put(obj);
	}
	return 0;
}

static ssize_t kipc_read(struct file *file, char __user *buf, size_t len,
			 loff_t *ppos)
{
	return kipc_queue_read(file, buf, len);
}

static ssize_t kipc_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *ppos)
{
	return kipc_queue_write(file, buf, len);
}

static __poll_t kipc_poll(struct file *file, struct poll_table_struct *pt)
{
	return kipc_queue_poll(file, pt);
}

static int kipc_mmap(struct file *file, struct vm_area_struct *vma)
{
	return kipc_shbuf_mmap(file, vma);
}

/* Out of line: its struct on the stack would cost kipc_ioctl() a canary. */
static noinline long kipc_ioctl_version(void __user *uarg)
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

static long kipc_ioctl_unlink(struct file *file, struct kipc_unlink __user *uarg,
			      u32 usize)
{
	struct kipc_open_req req;
	struct kipc_unlink ul;
	struct kipc_who who;
	int ret;

	ret = kipc_get_arg(&ul, sizeof(ul), KIPC_UNLINK_SIZE_VER0, uarg, usize);
	if (ret)
		return ret;
	if (ul.flags)
		return -EINVAL;
	kipc_who_init_file(&who, file);
	ret = kipc_open_req_init(&req, &who, 0, 0, ul.name);
	if (ret)
		return ret;
	return kipc_obj_unlink(&who, req.name);
}

static_assert(sizeof(struct kipc_stats) == KIPC_STATS_SIZE_VER3);

static long kipc_ioctl_stats(struct file *file, struct kipc_stats __user *uarg,
			     u32 usize)
{
	struct kipc_obj *obj = kipc_file_obj(file);
	struct kipc_stats st = {};

	if (!obj)
		return -EBADFD;
	if (kipc_is_channel(obj))
		return -EINVAL;
	/* Owners as the opener's user namespace sees them. */
	kipc_obj_fill_stats(obj, &st, file->f_cred->user_ns);
	if (obj->ops->file_stats)
		obj->ops->file_stats(obj, file, &st);
	return kipc_put_arg(uarg, usize, &st, sizeof(st), KIPC_STATS_SIZE_VER0);
}

/* The rarer commands, out of kipc_ioctl()'s switch: it stays as it was. */
static noinline long kipc_ioctl_more(struct file *file, unsigned int cmd,
				     void __user *uarg)
{
	switch (KIPC_IOC_NOSIZE(cmd)) {
	case KIPC_IOC_NOSIZE(KIPC_IOC_NOTIFY):
		return kipc_queue_notify_ioctl(file, uarg, _IOC_SIZE(cmd));
	case KIPC_IOC_NOSIZE(KIPC_IOC_CHANNEL_OPEN):
		return kipc_channel_open_ioctl(file, uarg, _IOC_SIZE(cmd));
	default:
		return -ENOTTY;
	}
}

/**
 * kipc_ioctl() - the one place that looks at the caller's command number
 * @file: the file
 * @cmd: the caller's command
 * @arg: its argument
 *
 * _IOW(..., struct X) puts sizeof(X) into the number, so a program built
 * against an older (shorter) or newer (longer) struct calls another
 * number. A command is therefore found by everything but its size: magic,
 * number and direction, in one compare. The size it encodes goes to the
 * struct's handler, which reads the struct once with kipc_get_arg() (or
 * answers with kipc_put_arg()): the struct's leading size field must
 * equal it, shorter than VER0 is -EINVAL, above a page or longer with a
 * non-zero tail -E2BIG. %KIPC_IOC_VERSION has no size field and is
 * matched exactly.
 *
 * Return: as each ioctl documents in <linux/kipc.h>; -ENOTTY for a
 * command that is not kipc's, -EINVAL for disagreeing sizes.
 */
static long kipc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (KIPC_IOC_NOSIZE(cmd)) {
	case KIPC_IOC_NOSIZE(KIPC_IOC_VERSION):
		return cmd == KIPC_IOC_VERSION ? kipc_ioctl_version(uarg) : -ENOTTY;
	case KIPC_IOC_NOSIZE(KIPC_IOC_QUEUE_OPEN):
		return kipc_queue_open_ioctl(file, uarg, _IOC_SIZE(cmd));
	case KIPC_IOC_NOSIZE(KIPC_IOC_UNLINK):
		return kipc_ioctl_unlink(file, uarg, _IOC_SIZE(cmd));
	case KIPC_IOC_NOSIZE(KIPC_IOC_STATS):
		return kipc_ioctl_stats(file, uarg, _IOC_SIZE(cmd));
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEND):
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECV):
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEND_BATCH):
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECV_BATCH):
	case KIPC_IOC_NOSIZE(KIPC_IOC_SENDRECV):
	case KIPC_IOC_NOSIZE(KIPC_IOC_RECVMSG):
	case KIPC_IOC_NOSIZE(KIPC_IOC_SENDMSG):
		return kipc_queue_ioctl(file, cmd, uarg);
	case KIPC_IOC_NOSIZE(KIPC_IOC_SHBUF_OPEN):
		return kipc_shbuf_open_ioctl(file, uarg, _IOC_SIZE(cmd));
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEM_WAIT):
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEM_POST):
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEM_GETVALUE):
	case KIPC_IOC_NOSIZE(KIPC_IOC_SEMOP):
		return kipc_shbuf_ioctl(file, cmd, uarg);
	default:
		return kipc_ioctl_more(file, cmd, uarg);
	}
}

const struct file_operations kipc_fops = {
	.owner		= THIS_MODULE,
	.open		= kipc_open,
	.flush		= kipc_flush,
	.release	= kipc_release,
	.read		= kipc_read,
	.write		= kipc_write,
	.poll		= kipc_poll,
	.mmap		= kipc_mmap,
	.unlocked_ioctl	= kipc_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.uring_cmd	= kipc_uring_cmd,
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

	err = kipc_objects_init();
	if (err)
		return err;
	err = kipc_nl_init();
	if (err) {
		pr_err("cannot register the generic netlink family: %d\n", err);
		goto err_objects;
	}
	err = misc_register(&kipc_miscdev);
	if (err) {
		pr_err("cannot register /dev/kipc: %d\n", err);
		goto err_nl;
	}
	pr_info("version %s loaded\n", KIPC_VERSION_STRING);
	return 0;

err_nl:
	kipc_nl_exit();
err_objects:
	kipc_objects_exit();
	return err;
}

static void __exit kipc_exit(void)
{
	misc_deregister(&kipc_miscdev);
	kipc_nl_exit();
	kipc_objects_exit();
}

module_init(kipc_init);
module_exit(kipc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The kipc developers");
MODULE_DESCRIPTION("Kernel-managed message queues and shared buffers for IPC");
MODULE_VERSION(KIPC_VERSION_STRING);
