// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libkipc-mq: the real mq_* functions, for names and descriptors that are
 * not kipc's. dlsym(RTLD_NEXT) finds the next definition after this
 * library: glibc's (libc.so.6 since 2.34, librt before), at its default
 * version, whether the library is preloaded or linked with -lkipc-mq.
 */
#include <dlfcn.h>

#include "mq_internal.h"

static const char *const kmq_real_names[KMQ_REAL_NR] = {
	[KMQ_REAL_OPEN] = "mq_open",
	[KMQ_REAL_CLOSE] = "mq_close",
	[KMQ_REAL_UNLINK] = "mq_unlink",
	[KMQ_REAL_TIMEDSEND] = "mq_timedsend",
	[KMQ_REAL_TIMEDRECEIVE] = "mq_timedreceive",
	[KMQ_REAL_GETATTR] = "mq_getattr",
	[KMQ_REAL_SETATTR] = "mq_setattr",
	[KMQ_REAL_NOTIFY] = "mq_notify",
};

static _Atomic(void *) kmq_real_fns[KMQ_REAL_NR];

/*
 * Looked up when the library is loaded, so that the send and receive
 * paths of a real queue's descriptor never call dlsym() (which locks, and
 * is not async-signal-safe). kmq_real() still looks up one that a call
 * made before the constructors ran needs: racing first calls both look it
 * up and store the same address.
 */
__attribute__((constructor)) static void kmq_real_init(void)
{
	int saved = errno, fn;

	for (fn = 0; fn < KMQ_REAL_NR; fn++)
		kmq_real(fn);
	errno = saved;
}

void *kmq_real(enum kmq_real_fn fn)
{
	void *p = atomic_load_explicit(&kmq_real_fns[fn], memory_order_relaxed);

	if (!p) {
		p = dlsym(RTLD_NEXT, kmq_real_names[fn]);
		if (!p) {
			errno = ENOSYS;
			return NULL;
		}
		atomic_store_explicit(&kmq_real_fns[fn], p, memory_order_relaxed);
	}
	return p;
}
