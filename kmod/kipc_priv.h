/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc - private declarations shared by the module's source files.
 */
#ifndef _KIPC_PRIV_H
#define _KIPC_PRIV_H

#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/stringify.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/uidgid.h>
#include <linux/kipc.h>

#include "compat.h"
#include "usercopy.h"

#define KIPC_VERSION_STRING			\
	__stringify(KIPC_VERSION_MAJOR) "."	\
	__stringify(KIPC_VERSION_MINOR) "."	\
	__stringify(KIPC_VERSION_PATCH)

/* Kinds of object: %KIPC_TYPE_* values run from 1 to KIPC_NR_TYPES. */
#define KIPC_NR_TYPES	2

/* Shared buffer ceilings no module parameter can raise (netlink's policy too). */
#define KIPC_HARD_SHBUF_SIZE_MAX	((u64)SZ_1G)
#define KIPC_HARD_SEMS_MAX		4096U

struct ipc_namespace;
struct kipc_obj;
struct vm_area_struct;

/**
 * struct kipc_ns - kipc's view of one IPC namespace
 * @ipc_ns: the namespace; kipc holds one reference on it while this lives
 * @ref: objects of this namespace plus the registry's own reference
 * @link: entry in the list of namespaces (object.c, under kipc_registry_lock)
 * @dead: set once the namespace had no user left and its names were reaped
 */
struct kipc_ns {
	struct ipc_namespace *ipc_ns;
	struct kref ref;
	struct list_head link;
	bool dead;
};

/**
 * struct kipc_obj_ops - what differs between kinds of object
 * @type: %KIPC_TYPE_* value
 * @free: release the object's memory once its last reference is gone
 * @fill_stats: fill the kind-specific part of struct kipc_stats; must not
 *	sleep or touch user memory
 * @mem_bytes: kernel memory the object holds now
 * @flush: optional: a descriptor of a bound file is being closed by the
 *	process whose descriptor table is @id (file_operations.flush)
 * @release: optional: the last reference to a bound file is going, before
 *	the file's reference to the object is dropped
 */
struct kipc_obj_ops {
	u32 type;
	void (*free)(struct kipc_obj *obj);
	void (*fill_stats)(struct kipc_obj *obj, struct kipc_stats *st);
	u64 (*mem_bytes)(struct kipc_obj *obj);
	void (*flush)(struct kipc_obj *obj, struct file *file, fl_owner_t id);
	void (*release)(struct kipc_obj *obj, struct file *file);
};

/**
 * struct kipc_obj - what queues and shared buffers have in common
 * @ref: one per bound file, one for the name while linked
 * @ops: kind of object
 * @id: id in the object table, unique while the module is loaded
 * @ns: namespace the object was created in
 * @name_node: entry in the name table while linked
 * @linked: the name is in the table (under kipc_registry_lock)
 * @uid: owner; may differ from @cuid in the future (set-owner)
 * @gid: owning group
 * @cuid: creator
 * @cgid: creator's group
 * @mode: permission bits
 * @name: NUL-terminated name, empty for an anonymous object
 */
struct kipc_obj {
	struct kref ref;
	const struct kipc_obj_ops *ops;
	u32 id;
	struct kipc_ns *ns;
	struct hlist_node name_node;
	bool linked;
	kuid_t uid;
	kgid_t gid;
	kuid_t cuid;
	kgid_t cgid;
	umode_t mode;
	char name[KIPC_NAME_MAX];
};

/**
 * struct kipc_open_req - the common part of an open request
 * @flags: %KIPC_OPEN_* flags
 * @mode: permission bits for a new object
 * @name: validated, NUL-terminated name (empty when anonymous)
 */
struct kipc_open_req {
	u32 flags;
	umode_t mode;
	char name[KIPC_NAME_MAX];
};

/* object.c */
int kipc_open_req_init(struct kipc_open_req *req, u32 flags, u32 mode,
		       const char *name);
int kipc_obj_open(struct file *file, const struct kipc_open_req *req,
		  const struct kipc_obj_ops *ops,
		  struct kipc_obj *(*create)(const void *arg), const void *arg);
struct kipc_obj *kipc_obj_get_or_create(const struct kipc_open_req *req,
					fmode_t fmode,
					const struct kipc_obj_ops *ops,
					struct kipc_obj *(*create)(const void *arg),
					const void *arg);
void kipc_obj_put(struct kipc_obj *obj);
int kipc_obj_unlink(const char *name);
struct kipc_obj *kipc_obj_lookup(const char *name);
bool kipc_obj_owned(const struct kipc_obj *obj);
void kipc_obj_set_mode(struct kipc_obj *obj, umode_t mode);
int kipc_obj_iterate(unsigned long *pos,
		     int (*fn)(struct kipc_obj *obj, void *data), void *data);
struct kipc_ns *kipc_ns_current_get(void);
void kipc_ns_put(struct kipc_ns *kns);
void kipc_obj_fill_stats(struct kipc_obj *obj, struct kipc_stats *st,
			 struct user_namespace *userns);
int kipc_objects_init(void);
void kipc_objects_exit(void);

extern const struct file_operations kipc_fops;

/* private_data of a file while an ioctl binds it: not an object yet. */
#define KIPC_BINDING		((void *)1)

/**
 * kipc_file_obj() - the object a file is bound to
 * @file: an open /dev/kipc file
 *
 * Inline: every read, write and data ioctl starts here.
 *
 * Return: the object, or NULL while the file is unbound.
 */
static inline struct kipc_obj *kipc_file_obj(struct file *file)
{
	/* Pairs with kipc_bind_commit(): the object is set up before we see it. */
	struct kipc_obj *obj = smp_load_acquire(&file->private_data);

	return obj == KIPC_BINDING ? NULL : obj;
}

/**
 * kipc_get_arg() - read an extensible ioctl argument
 * @karg: kernel copy, @ksize bytes
 * @ksize: sizeof the kernel's struct
 * @ver0: size of the struct's first published version
 * @uarg: user pointer to a struct whose first member is its __u32 size
 *
 * Inline so that the common case, userspace built against this very
 * header, is a copy of constant size, word by word (usercopy.h): no
 * hardened-usercopy lookup and no byte loop on the data path.
 *
 * Return: 0; -EFAULT; -EINVAL if the size is below @ver0; -E2BIG if it is
 * larger than a page, or larger than @ksize with a non-zero tail.
 */
static __always_inline int kipc_get_arg(void *karg, size_t ksize, size_t ver0,
					const void __user *uarg)
{
	u32 usize;

	/* One read of the whole struct; the size check comes after. */
	if (ksize <= KIPC_SMALL_COPY) {
		if (!kipc_copy_from_user_small(karg, uarg, ksize) &&
		    *(u32 *)karg == ksize)
			return 0;
	} else if (!copy_from_user(karg, uarg, ksize) && *(u32 *)karg == ksize) {
		return 0;
	}
	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < ver0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(karg, ksize, uarg, usize);
}

/* netlink.c */
void kipc_nl_event(struct kipc_obj *obj, u32 event);
int kipc_nl_init(void);
void kipc_nl_exit(void);

/* queue.c */
long kipc_queue_open_ioctl(struct file *file, struct kipc_queue_open __user *uarg);
long kipc_queue_ioctl(struct file *file, unsigned int cmd, void __user *uarg);
ssize_t kipc_queue_read(struct file *file, char __user *buf, size_t len);
ssize_t kipc_queue_write(struct file *file, const char __user *buf, size_t len);
__poll_t kipc_queue_poll(struct file *file, struct poll_table_struct *pt);
int kipc_queue_check_maxmsg(struct kipc_obj *obj, u32 maxmsg);
void kipc_queue_set_maxmsg(struct kipc_obj *obj, u32 maxmsg);
struct kipc_obj *kipc_queue_get_or_create(const struct kipc_open_req *req,
					  u32 maxmsg, u32 msgsize);
extern const struct kipc_obj_ops kipc_queue_ops;

/* shbuf.c */
long kipc_shbuf_open_ioctl(struct file *file, struct kipc_shbuf_open __user *uarg);
long kipc_shbuf_ioctl(struct file *file, unsigned int cmd, void __user *uarg);
int kipc_shbuf_mmap(struct file *file, struct vm_area_struct *vma);
struct kipc_obj *kipc_shbuf_get_or_create(const struct kipc_open_req *req,
					  u64 bufsize, u32 nsems,
					  const u32 *values, u32 *bad);
extern const struct kipc_obj_ops kipc_shbuf_ops;

#endif /* _KIPC_PRIV_H */
