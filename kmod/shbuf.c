// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - the shared buffer: kernel memory that processes mmap() MAP_SHARED.
 *
 * A buffer is an array of order-0 pages: first the control area (one
 * struct kipc_sem_ctl per semaphore, rounded up to pages; sem.c owns it),
 * then the data, and that order is the layout of mmap offsets. Pages are
 * allocated zeroed with GFP_KERNEL_ACCOUNT when the buffer is created, so
 * the creator's memory cgroup pays for them, after the creator's budget
 * (budget.c) was charged for all of them, and before the object is
 * published: creating a large buffer never holds the object registry's
 * lock while it allocates, and opening an existing buffer allocates
 * nothing. The kernel maps the control pages once (vmap) for sem.c; it
 * never needs a mapping of the data.
 *
 * Mappings: ->mmap checks the range against the buffer, refuses private
 * (copy-on-write) and executable mappings, and sets VM_DONTEXPAND (mremap
 * cannot grow a mapping past the buffer) and VM_DONTDUMP. Pages are
 * faulted in one at a time by ks_vm_fault(), which takes a page reference
 * for the page table; a fault beyond the buffer cannot happen (the range
 * was checked) but gets SIGBUS if it did.
 *
 * Lifetime: a mapping's vma->vm_file holds the file, the file holds the
 * object (object.c), and the object holds the pages. So pages live while
 * any mapping, descriptor or name can reach them, through fork, munmap and
 * close in any order, and kipc.ko stays loaded while any mapping exists
 * (the file holds the module). Pages are released with put_page(), so a
 * reference taken through a mapping (get_user_pages: O_DIRECT, vmsplice)
 * keeps its page after the buffer itself is gone. vm_ops->open/close only
 * count mappings for the statistics.
 *
 * Locking: nothing here takes a lock on the mmap or fault paths (they run
 * under mmap_lock); the fields they read are set before the object is
 * published and never change. sem.c's sb->lock guards the rest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "shbuf.h"

static unsigned long shbuf_size_max = 64UL << 20;
module_param(shbuf_size_max, ulong, 0644);
MODULE_PARM_DESC(shbuf_size_max, "Largest data size of a shared buffer in bytes (default 64 MiB, at most 1 GiB)");

static unsigned int sems_max = 256;
module_param(sems_max, uint, 0644);
MODULE_PARM_DESC(sems_max, "Most semaphores a shared buffer may have (default 256, at most 4096)");

/* What KIPC_IOC_SHBUF_OPEN hands to kipc_obj_open(). */
struct ks_params {
	struct kipc_shbuf *sb;
	bool *taken;
};

/* The buffer a file is bound to, or an ERR_PTR for unbound or other files. */
static struct kipc_shbuf *ks_from_file(struct file *file)
{
	struct kipc_obj *obj = kipc_file_obj(file);

	if (!obj)
		return ERR_PTR(-EBADFD);
	if (obj->ops != &kipc_shbuf_ops)
		return ERR_PTR(-EINVAL);
	return to_shbuf(obj);
}

/* --- memory --- */

/* Kernel memory a buffer of @npages pages and @nsems semaphores holds. */
static u64 ks_footprint(unsigned long npages, u32 nsems)
{
	return struct_size((struct kipc_shbuf *)NULL, sems, nsems) +
	       array_size(npages, sizeof(struct page *)) +
	       ((u64)npages << PAGE_SHIFT);
}

static unsigned long ks_npages(u64 bufsize, u32 nsems)
{
	return DIV_ROUND_UP(nsems * KIPC_SEM_CTL_SIZE, PAGE_SIZE) +
	       (PAGE_ALIGN(bufsize) >> PAGE_SHIFT);
}

static void ks_free_buf(struct kipc_shbuf *sb)
{
	unsigned long i;

	if (sb->ctl)
		vunmap(sb->ctl);
	if (sb->pages) {
		for (i = 0; i < sb->npages && sb->pages[i]; i++)
			put_page(sb->pages[i]);
		kvfree(sb->pages);
	}
	kvfree(sb);
}

/* A new, unpublished buffer; @values are checked. */
static struct kipc_shbuf *ks_alloc_buf(u64 bufsize, u32 nsems, const u32 *values)
{
	struct kipc_shbuf *sb;
	unsigned long i;
	int err = -ENOMEM;

	sb = kvzalloc(struct_size(sb, sems, nsems), GFP_KERNEL_ACCOUNT);
	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->nsems = nsems;
	sb->size = PAGE_ALIGN(bufsize);
	sb->nctl = DIV_ROUND_UP(nsems * KIPC_SEM_CTL_SIZE, PAGE_SIZE);
	sb->npages = ks_npages(bufsize, nsems);
	spin_lock_init(&sb->lock);
	atomic_set(&sb->mappings, 0);

	sb->pages = kvcalloc(sb->npages, sizeof(*sb->pages),
			     GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!sb->pages)
		goto err;
	for (i = 0; i < sb->npages; i++) {
		sb->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN);
		if (!sb->pages[i])
			goto err;
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			goto err;
		}
		cond_resched();
	}
	if (sb->nctl) {
		sb->ctl = vmap(sb->pages, sb->nctl, VM_MAP, PAGE_KERNEL);
		if (!sb->ctl)
			goto err;
	}
	ks_sems_init(sb, values);
	return sb;

err:
	ks_free_buf(sb);
	return ERR_PTR(err);
}

/*
 * Charge @who for a new buffer, then make it (unpublished, its limits and
 * @values checked); the buffer holds the charge.
 */
static struct kipc_shbuf *ks_prepare(const struct kipc_who *who, u64 bufsize,
				     u32 nsems, const u32 *values)
{
	struct kipc_charge charge;
	struct kipc_shbuf *sb;
	int err;

	err = kipc_charge(&charge, who, KIPC_CHARGE_SHBUF,
			  ks_footprint(ks_npages(bufsize, nsems), nsems));
	if (err)
		return ERR_PTR(err);
	sb = ks_alloc_buf(bufsize, nsems, values);
	if (IS_ERR(sb)) {
		kipc_uncharge(&charge);
		return sb;
	}
	sb->obj.charge = charge;
	return sb;
}

/* A prepared buffer that no object took. */
static void ks_discard(struct kipc_shbuf *sb)
{
	struct kipc_charge charge = sb->obj.charge;

	ks_free_buf(sb);
	kipc_uncharge(&charge);
}

/* --- mappings --- */

static void ks_vm_open(struct vm_area_struct *vma)
{
	struct kipc_shbuf *sb = vma->vm_private_data;

	atomic_inc(&sb->mappings);
}

static void ks_vm_close(struct vm_area_struct *vma)
{
	struct kipc_shbuf *sb = vma->vm_private_data;

	atomic_dec(&sb->mappings);
}

static vm_fault_t ks_vm_fault(struct vm_fault *vmf)
{
	struct kipc_shbuf *sb = vmf->vma->vm_private_data;
	struct page *page;

	if (vmf->pgoff >= sb->npages)
		return VM_FAULT_SIGBUS;
	page = sb->pages[array_index_nospec(vmf->pgoff, sb->npages)];
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct ks_vm_ops = {
	.open	= ks_vm_open,
	.close	= ks_vm_close,
	.fault	= ks_vm_fault,
};

/**
 * kipc_shbuf_mmap() - map (part of) a shared buffer
 * @file: a file bound to a shared buffer
 * @vma: the new mapping
 *
 * Return: 0; -EINVAL for a private mapping or a range past the buffer;
 * -EPERM for an executable mapping; -EBADFD if @file is unbound; -ENODEV
 * for a file bound to another kind of object.
 */
int kipc_shbuf_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct kipc_shbuf *sb = ks_from_file(file);
	unsigned long end;

	if (IS_ERR(sb))
		return PTR_ERR(sb) == -EINVAL ? -ENODEV : PTR_ERR(sb);
	/* VM_SHARED is cleared for read-only files; VM_MAYSHARE is not. */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	if (check_add_overflow(vma->vm_pgoff, vma_pages(vma), &end) ||
	    end > sb->npages)
		return -EINVAL;
	kipc_vm_flags_mod(vma, VM_DONTEXPAND | VM_DONTDUMP, VM_MAYEXEC);
	vma->vm_ops = &ks_vm_ops;
	vma->vm_private_data = sb;
	ks_vm_open(vma);
	return 0;
}

/* --- ioctls, stats and the object's life --- */

/**
 * kipc_shbuf_ioctl() - the semaphore ioctls of a file bound to a buffer
 * @file: the file
 * @cmd: the caller's ioctl command
 * @uarg: its argument
 *
 * Return: as each ioctl documents in <linux/kipc.h>; -EBADFD unbound,
 * -EINVAL bound to a queue.
 */
long kipc_shbuf_ioctl(struct file *file, unsigned int cmd, void __user *uarg)
{
	struct kipc_shbuf *sb = ks_from_file(file);

	if (IS_ERR(sb))
		return PTR_ERR(sb);
	return ks_sem_ioctl(file, sb, cmd, uarg);
}

static void ks_flush(struct kipc_obj *obj, struct file *file, fl_owner_t id)
{
	ks_undo_flush(to_shbuf(obj), file, id);
}

static void ks_release(struct kipc_obj *obj, struct file *file)
{
	ks_undo_release(to_shbuf(obj), file);
}

static void ks_free(struct kipc_obj *obj)
{
	struct kipc_shbuf *sb = to_shbuf(obj);

	ks_sems_free(sb);
	ks_free_buf(sb);
}

static void ks_fill_stats(struct kipc_obj *obj, struct kipc_stats *st)
{
	struct kipc_shbuf *sb = to_shbuf(obj);
	u32 i, sleepers = 0;

	st->shbuf_size = sb->size;
	st->shbuf_data_offset = sb->nctl << PAGE_SHIFT;
	st->shbuf_nsems = sb->nsems;
	st->shbuf_mappings = atomic_read(&sb->mappings);
	for (i = 0; i < min_t(u32, sb->nsems, KIPC_STATS_SEMS); i++)
		st->sem_values[i] = ks_sem_value(sb, i);
	spin_lock(&sb->lock);
	for (i = 0; i < sb->nsems; i++)
		sleepers += sb->sems[i].nwait;
	st->sem_sleepers = sleepers;
	st->sem_waits = sb->waits;
	st->sem_wakeups = sb->wakeups;
	st->sem_posts = sb->posts;
	spin_unlock(&sb->lock);
}

static u64 ks_mem_bytes(struct kipc_obj *obj)
{
	struct kipc_shbuf *sb = to_shbuf(obj);

	return ks_footprint(sb->npages, sb->nsems);
}

static struct kipc_obj *ks_create(const void *arg)
{
	const struct ks_params *p = arg;

	if (!p->sb)
		return ERR_PTR(-ENOENT);
	/* From here on the object's life owns the prepared buffer. */
	*p->taken = true;
	return &p->sb->obj;
}

const struct kipc_obj_ops kipc_shbuf_ops = {
	.type		= KIPC_TYPE_SHBUF,
	.free		= ks_free,
	.fill_stats	= ks_fill_stats,
	.mem_bytes	= ks_mem_bytes,
	.flush		= ks_flush,
	.release	= ks_release,
};

/*
 * The shape of a new buffer against the limits. Both ways of creating one
 * (the ioctl and netlink) check with this and ks_check_values(), so they
 * refuse the same things with the same errno. *@bad is set to the
 * KIPC_A_* attribute at fault, 0 when no single one is.
 */
static int ks_check_limits(u64 bufsize, u32 nsems, u32 *bad)
{
	*bad = KIPC_A_NSEMS;
	if (nsems > min(READ_ONCE(sems_max), KIPC_HARD_SEMS_MAX))
		return -EINVAL;
	*bad = KIPC_A_SIZE;
	if (bufsize > min_t(u64, READ_ONCE(shbuf_size_max), KIPC_HARD_SHBUF_SIZE_MAX))
		return -EINVAL;
	*bad = 0;
	if (!nsems && !bufsize)
		return -EINVAL;
	return 0;
}

/* @nsems initial values, or NULL for all zero; as ks_check_limits(). */
static int ks_check_values(const u32 *values, u32 nsems, u32 *bad)
{
	u32 i;

	*bad = KIPC_A_SEM_VALUES;
	for (i = 0; values && i < nsems; i++)
		if (values[i] > KIPC_SEM_VALUE_MAX)
			return -EINVAL;
	*bad = 0;
	return 0;
}

/* Check the creation part of a request; copy the initial values in. */
static int ks_check_create(const struct kipc_shbuf_open *so, u32 **values)
{
	u32 *v, bad;
	int err;

	*values = NULL;
	err = ks_check_limits(so->bufsize, so->nsems, &bad);
	if (err)
		return err;
	if (!so->nsems || !so->init_values)
		return 0;
	v = vmemdup_user(u64_to_user_ptr(so->init_values),
			 array_size(so->nsems, sizeof(*v)));
	if (IS_ERR(v))
		return PTR_ERR(v);
	err = ks_check_values(v, so->nsems, &bad);
	if (err) {
		kvfree(v);
		return err;
	}
	*values = v;
	return 0;
}

/**
 * kipc_shbuf_get_or_create() - a named buffer for the control plane
 * @req: checked request
 * @bufsize: bytes of data of a new buffer
 * @nsems: semaphores of a new buffer
 * @values: @nsems initial values in kernel memory, or NULL for zeroes
 * @bad: set to the KIPC_A_* attribute at fault when the shape is refused
 *
 * Creates as %KIPC_IOC_SHBUF_OPEN does: the same limits, the same memory
 * accounting (the caller's memory cgroup), the same budget charge.
 *
 * Return: the buffer with a reference, or an ERR_PTR: -EINVAL for a shape
 * over the limits, -EMFILE, -EDQUOT or -ENOSPC (budget.c), -ENOMEM,
 * -EINTR, or as kipc_obj_get_or_create().
 */
struct kipc_obj *kipc_shbuf_get_or_create(const struct kipc_open_req *req,
					  u64 bufsize, u32 nsems,
					  const u32 *values, u32 *bad)
{
	bool taken = false;
	struct ks_params p = { .taken = &taken };
	struct kipc_obj *obj;
	int err;

	err = ks_check_limits(bufsize, nsems, bad);
	if (!err)
		err = ks_check_values(values, nsems, bad);
	if (err)
		return ERR_PTR(err);
	p.sb = ks_prepare(req->who, bufsize, nsems, values);
	if (IS_ERR(p.sb))
		return ERR_CAST(p.sb);
	obj = kipc_obj_get_or_create(req, 0, &kipc_shbuf_ops, ks_create, &p);
	if (!taken)
		ks_discard(p.sb);
	return obj;
}

/**
 * kipc_shbuf_open_ioctl() - %KIPC_IOC_SHBUF_OPEN
 * @file: an unbound file
 * @uarg: struct kipc_shbuf_open
 * @usize: the size the caller's command encodes
 *
 * Return: 0, or an errno as kipc_obj_open() gives; -EINVAL for sizes over
 * the limits; -EFAULT for unreadable initial values; -EMFILE, -EDQUOT or
 * -ENOSPC (budget.c); -ENOMEM.
 */
long kipc_shbuf_open_ioctl(struct file *file, struct kipc_shbuf_open __user *uarg,
			   u32 usize)
{
	struct kipc_open_req req, lookup;
	struct kipc_shbuf_open so;
	bool taken = false;
	struct ks_params p = { .taken = &taken };
	struct kipc_who who;
	u32 *values;
	int ret;

	ret = kipc_get_arg(&so, sizeof(so), KIPC_SHBUF_OPEN_SIZE_VER0, uarg,
			   usize);
	if (ret)
		return ret;
	kipc_who_init_file(&who, file);
	ret = kipc_open_req_init(&req, &who, so.flags, so.mode, so.name);
	if (ret)
		return ret;
	if (!(req.flags & (KIPC_OPEN_CREATE | KIPC_OPEN_ANON)))
		return kipc_obj_open(file, &req, &kipc_shbuf_ops, ks_create, &p);
	if (!(req.flags & (KIPC_OPEN_EXCL | KIPC_OPEN_ANON))) {
		/* Opening an existing buffer must not allocate a new one. */
		lookup = req;
		lookup.flags = 0;
		ret = kipc_obj_open(file, &lookup, &kipc_shbuf_ops, ks_create, &p);
		if (ret != -ENOENT)
			return ret;
	}

	ret = ks_check_create(&so, &values);
	if (ret)
		return ret;
	p.sb = ks_prepare(&who, so.bufsize, so.nsems, values);
	kvfree(values);
	if (IS_ERR(p.sb))
		return PTR_ERR(p.sb);
	ret = kipc_obj_open(file, &req, &kipc_shbuf_ops, ks_create, &p);
	if (!taken)
		ks_discard(p.sb);
	return ret;
}
