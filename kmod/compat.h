/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc - every difference between the kernels kipc supports lives here.
 *
 * Supported: 6.1 (Debian 12) and 6.12 LTS (KVERS in the Makefile; see
 * Documentation/testing.rst). Each entry names, in a one-line comment, the
 * kernel version that changed the interface; the rest of kmod/ never tests
 * LINUX_VERSION_CODE (make check fails it). kipc needs no entry yet.
 */
#ifndef _KIPC_COMPAT_H
#define _KIPC_COMPAT_H

#include <linux/file.h>
#include <linux/version.h>

/* 6.12 made struct fd opaque and added fd_file() to reach its file. */
#ifndef fd_file
#define fd_file(f) ((f).file)
#endif

#endif /* _KIPC_COMPAT_H */
