/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kipc - kernel-managed message queues and shared buffers behind /dev/kipc.
 *
 * This header is the userspace ABI of the kipc module. Every ioctl argument
 * that may grow starts with a __u32 @size field that the caller sets to
 * sizeof() of the struct it was compiled with; the kernel accepts older
 * (shorter) and newer (longer, with a zero tail) layouts.
 */
#ifndef _UAPI_LINUX_KIPC_H
#define _UAPI_LINUX_KIPC_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KIPC_DEVICE_PATH	"/dev/kipc"

/* Version of the module and its ABI; dkms.conf must agree (make check). */
#define KIPC_VERSION_MAJOR	0
#define KIPC_VERSION_MINOR	1
#define KIPC_VERSION_PATCH	0
/* Bumped whenever an ioctl or struct gains a member userspace may test for. */
#define KIPC_ABI_VERSION	1

/**
 * struct kipc_version - reply of %KIPC_IOC_VERSION
 * @major: module version, major part (%KIPC_VERSION_MAJOR)
 * @minor: module version, minor part
 * @patch: module version, patch level
 * @abi: ABI revision (%KIPC_ABI_VERSION) the module implements
 */
struct kipc_version {
	__u32 major;
	__u32 minor;
	__u32 patch;
	__u32 abi;
};

#define KIPC_IOC_MAGIC		0xBA

/* Valid on any open file, bound or not. */
#define KIPC_IOC_VERSION	_IOR(KIPC_IOC_MAGIC, 0x00, struct kipc_version)

#endif /* _UAPI_LINUX_KIPC_H */
