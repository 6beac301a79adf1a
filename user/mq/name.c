// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libkipc-mq: POSIX queue names, which of them kipc takes (KIPC_MQ_NAMES),
 * and the kipc name each maps to.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mq_internal.h"

/*
 * Linux's answers, in its order: glibc refuses a name without the leading
 * '/', the kernel looks up the rest as one path component of the mqueue
 * file system: an empty one is ENOENT (getname("")), "." and ".." and a
 * '/' inside are EACCES (lookup_one_len()), more than NAME_MAX bytes is
 * ENAMETOOLONG.
 */
int kmq_name_check(const char *name)
{
	const char *base;
	size_t len;

	if (name[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	base = name + 1;
	len = strnlen(base, NAME_MAX + 1);
	if (!len) {
		errno = ENOENT;
		return -1;
	}
	if (len > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (strchr(base, '/') || !strcmp(base, ".") || !strcmp(base, "..")) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

/*
 * KIPC_MQ_NAMES: unset, every name is kipc's; otherwise a colon-separated
 * list of prefixes of the POSIX name, leading '/' included, and only the
 * names with one of them are kipc's (set but empty: none is). Read at each
 * call so a program may change it between opens.
 */
int kmq_name_taken(const char *name)
{
	const char *list = getenv("KIPC_MQ_NAMES"), *p, *end;
	size_t len;

	if (!list)
		return 1;
	for (p = list; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		len = end - p;
		if (len && !strncmp(name, p, len))
			return 1;
	}
	return 0;
}

/* "/orders" is kipc's "orders": both APIs reach the same queue by name. */
int kmq_name_map(char *dst, const char *name)
{
	const char *base = name + 1;
	size_t len = strnlen(base, KIPC_NAME_MAX);
	size_t i;

	if (len >= KIPC_NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (base[i] <= ' ' || base[i] > '~') {
			errno = EINVAL;
			return -1;
		}
	}
	memcpy(dst, base, len);
	return 0;
}
