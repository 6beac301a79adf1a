/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libkipc - C API for the kipc kernel module (/dev/kipc).
 *
 * Conventions, as in libc: functions return 0 (or a count, or an fd) on
 * success and -1 with errno set on failure. Nothing here allocates behind the
 * caller's back except where a function says so.
 */
#ifndef LIBKIPC_H
#define LIBKIPC_H

#include <linux/kipc.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * kipc_open_device() - open /dev/kipc, unbound
 * @flags: extra open(2) flags (O_NONBLOCK, O_CLOEXEC is always set)
 *
 * Return: a file descriptor, or -1 with errno set (ENOENT: module not loaded).
 */
int kipc_open_device(int flags);

/**
 * kipc_get_version() - ask the loaded module for its version
 * @fd: any open /dev/kipc descriptor
 * @ver: filled with the module's version and ABI revision
 *
 * Return: 0, or -1 with errno set.
 */
int kipc_get_version(int fd, struct kipc_version *ver);

#ifdef __cplusplus
}
#endif

#endif /* LIBKIPC_H */
