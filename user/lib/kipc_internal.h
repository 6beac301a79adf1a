/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libkipc: helpers the library's files share. Not part of the API: hidden,
 * so the shared library does not export them, and not installed.
 */
#ifndef KIPC_INTERNAL_H
#define KIPC_INTERNAL_H

#define KIPC_HIDDEN __attribute__((visibility("hidden")))

/*
 * Copy @name into @dst, a KIPC_NAME_MAX-byte name field that is already
 * zeroed; a NULL @name leaves it zero (anonymous). -1 with ENAMETOOLONG when
 * the name and its NUL do not fit.
 */
KIPC_HIDDEN int kipc_name_copy(char *dst, const char *name);

/* The KIPC_OPEN_* flags that @oflag's O_CREAT and O_EXCL ask for. */
KIPC_HIDDEN unsigned int kipc_open_flags(int oflag);

/*
 * Open the device with @oflag's access mode and O_NONBLOCK, close-on-exec,
 * and bind it with the open ioctl @cmd and its argument @arg: the bound
 * descriptor, or -1 with the errno of the open or the ioctl.
 */
KIPC_HIDDEN int kipc_open_object(int oflag, unsigned long cmd, void *arg);

#endif
