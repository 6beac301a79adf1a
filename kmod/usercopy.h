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

#include <linux/instrumented.h>
#include <linux/kernel.h>
#include <linux/uaccess.h>

#include "compat.h"

/* Largest copy done word by word. */
#define KIPC_SMALL_COPY		256

/*
 * Four words per loop iteration: in the icount VM, where every instruction
 * costs the same, the loop's own bookkeeping was half the cost of a
 * one-word-per-iteration copy.
 *
 * The kernel side may be a struct with only 4-byte alignment (an ioctl
 * argument of __u32 fields): its words are read and written with
 * get_unaligned()/put_unaligned(), which on x86 are the same plain moves
 * but no misaligned u64 access in C. The user side needs no alignment.
 *
 * KASAN, KMSAN and KCSAN see these copies as they see copy_*_user():
 * through instrument_copy_to_user() and instrument_copy_from_user_*(),
 * which compile to nothing without the sanitizers (the icount benchmark
 * counts the same instructions with and without them). The kernel-side
 * loads and stores are plain C, which KASAN instruments anyway, and x86's
 * unsafe_{get,put}_user() add instrument_{get,put}_user() per word; the
 * whole-range calls are what KCSAN and KMSAN's copy checks need.
 */
static __always_inline int kipc_copy_to_user_small(void __user *dst,
						   const void *src, size_t len)
{
	u8 __user *d = dst;
	const u8 *s = src;

	might_fault();
	instrument_copy_to_user(dst, src, len);
	if (!user_write_access_begin(dst, len))
		return -EFAULT;
	for (; len >= 4 * sizeof(u64); len -= 4 * sizeof(u64)) {
		unsafe_put_user(get_unaligned((const u64 *)s), (u64 __user *)d, efault);
		unsafe_put_user(get_unaligned((const u64 *)s + 1), (u64 __user *)d + 1, efault);
		unsafe_put_user(get_unaligned((const u64 *)s + 2), (u64 __user *)d + 2, efault);
		unsafe_put_user(get_unaligned((const u64 *)s + 3), (u64 __user *)d + 3, efault);
		d += 4 * sizeof(u64);
		s += 4 * sizeof(u64);
	}
	for (; len >= sizeof(u64); len -= sizeof(u64)) {
		unsafe_put_user(get_unaligned((const u64 *)s), (u64 __user *)d, efault);
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

/* One word from user memory to a kernel address of any alignment. */
#define kipc_get_word(dst, src, label)					\
do {									\
	u64 __w;							\
									\
	unsafe_get_user(__w, (const u64 __user *)(src), label);	\
	put_unaligned(__w, (u64 *)(dst));				\
} while (0)

static __always_inline int kipc_copy_from_user_small(void *dst,
						     const void __user *src,
						     size_t len)
{
	const u8 __user *s = src;
	const size_t n = len;
	u8 *d = dst;

	might_fault();
	instrument_copy_from_user_before(dst, src, n);
	if (!user_read_access_begin(src, len)) {
		instrument_copy_from_user_after(dst, src, n, n);
		return -EFAULT;
	}
	for (; len >= 4 * sizeof(u64); len -= 4 * sizeof(u64)) {
		kipc_get_word(d, s, efault);
		kipc_get_word(d + 8, s + 8, efault);
		kipc_get_word(d + 16, s + 16, efault);
		kipc_get_word(d + 24, s + 24, efault);
		d += 4 * sizeof(u64);
		s += 4 * sizeof(u64);
	}
	for (; len >= sizeof(u64); len -= sizeof(u64)) {
		kipc_get_word(d, s, efault);
		d += sizeof(u64);
		s += sizeof(u64);
	}
	for (; len; len--)
		unsafe_get_user(*d++, s++, efault);
	user_read_access_end();
	instrument_copy_from_user_after(dst, src, n, 0);
	return 0;
efault:
	user_read_access_end();
	/* What is left of the current block counts as not copied. */
	instrument_copy_from_user_after(dst, src, n, len);
	return -EFAULT;
}

#endif /* _KIPC_USERCOPY_H */
