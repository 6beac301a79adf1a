/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc - copies of small messages between userspace and kipc's buffers.
 *
 * copy_{to,from}_user() run the hardened-usercopy check for every length
 * that is not a compile-time constant; for a kmalloc'd buffer that check
 * (finding the slab and the object's bounds) costs more than copying a
 * few dozen bytes, and it made up a tenth of a 64-byte queue round trip in
 * the icount VM. kipc's message buffers are its own and their bounds hold
 * by construction (a length is checked against the buffer's capacity before
 * any copy), so small copies go word by word inside one user access
 * section instead; larger ones keep copy_*_user(), where the check is
 * noise.
 */
#ifndef _KIPC_USERCOPY_H
#define _KIPC_USERCOPY_H

#include <linux/kernel.h>
#include <linux/uaccess.h>

/* Largest copy done word by word. */
#define KIPC_SMALL_COPY		256

/*
 * Four words per loop iteration: in the icount VM, where every instruction
 * costs the same, the loop's own bookkeeping was half the cost of a
 * one-word-per-iteration copy.
 */
static __always_inline int kipc_copy_to_user_small(void __user *dst,
						   const void *src, size_t len)
{
	u8 __user *d = dst;
	const u8 *s = src;

	might_fault();
	if (!user_write_access_begin(dst, len))
		return -EFAULT;
	for (; len >= 4 * sizeof(u64); len -= 4 * sizeof(u64)) {
		unsafe_put_user(((const u64 *)s)[0], (u64 __user *)d, efault);
		unsafe_put_user(((const u64 *)s)[1], (u64 __user *)d + 1, efault);
		unsafe_put_user(((const u64 *)s)[2], (u64 __user *)d + 2, efault);
		unsafe_put_user(((const u64 *)s)[3], (u64 __user *)d + 3, efault);
		d += 4 * sizeof(u64);
		s += 4 * sizeof(u64);
	}
	for (; len >= sizeof(u64); len -= sizeof(u64)) {
		unsafe_put_user(*(const u64 *)s, (u64 __user *)d, efault);
		d += sizeof(u64);
		s += sizeof(u64);
	}
	for (; len; len--)
		unsafe_put_user(*s++, d++, efault);
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

static __always_inline int kipc_copy_from_user_small(void *dst,
						     const void __user *src,
						     size_t len)
{
	const u8 __user *s = src;
	u8 *d = dst;

	might_fault();
	if (!user_read_access_begin(src, len))
		return -EFAULT;
	for (; len >= 4 * sizeof(u64); len -= 4 * sizeof(u64)) {
		unsafe_get_user(((u64 *)d)[0], (const u64 __user *)s, efault);
		unsafe_get_user(((u64 *)d)[1], (const u64 __user *)s + 1, efault);
		unsafe_get_user(((u64 *)d)[2], (const u64 __user *)s + 2, efault);
		unsafe_get_user(((u64 *)d)[3], (const u64 __user *)s + 3, efault);
		d += 4 * sizeof(u64);
		s += 4 * sizeof(u64);
	}
	for (; len >= sizeof(u64); len -= sizeof(u64)) {
		unsafe_get_user(*(u64 *)d, (const u64 __user *)s, efault);
		d += sizeof(u64);
		s += sizeof(u64);
	}
	for (; len; len--)
		unsafe_get_user(*d++, s++, efault);
	user_read_access_end();
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

#endif /* _KIPC_USERCOPY_H */
