// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the two tables of POSIX mq calls (posix_mq_ops.h). libc's is
 * a constant. libkipc-mq's comes from dlopen("libkipc-mq.so.0") (or
 * $KIPC_BENCH_MQ_SHIM, a path), loaded once, RTLD_LOCAL so that nothing
 * else in kipc-bench binds to it; without /dev/kipc the shim would fall
 * back to the real POSIX mq and the row would measure posix-mq again, so
 * it is then unavailable too.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libkipc.h"
#include "posix_mq_ops.h"

#define MQ_SHIM_SONAME "libkipc-mq.so.0"

const struct posix_mq_ops posix_mq_libc_ops = {
	.open = mq_open,
	.close = mq_close,
	.unlink = mq_unlink,
	.send = mq_send,
	.receive = mq_receive,
	.msg_max = "/proc/sys/fs/mqueue/msg_max",
	.msgsize_max = "/proc/sys/fs/mqueue/msgsize_max",
	.msg_max_default = 10,
	.msgsize_max_default = 8192,
	.rlimit = true,
};

static struct posix_mq_ops kipc_ops = {
	.msg_max = "/sys/module/kipc/parameters/msg_max",
	.msgsize_max = "/sys/module/kipc/parameters/msgsize_max",
	.msg_max_default = 4096,
	.msgsize_max_default = 1u << 20,
	.rlimit = false,
};
static const char *kipc_ops_why;
static pthread_once_t kipc_ops_once = PTHREAD_ONCE_INIT;

static void kipc_ops_load(void)
{
	static char why[160];
	const char *lib = getenv("KIPC_BENCH_MQ_SHIM");
	void *h = dlopen(lib && *lib ? lib : MQ_SHIM_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(why, sizeof(why), "%s not found", lib && *lib ? lib : MQ_SHIM_SONAME);
		kipc_ops_why = why;
		return;
	}
	/* dlsym() returns void *; POSIX guarantees it converts to a function pointer. */
	*(void **)&kipc_ops.open = dlsym(h, "mq_open");
	*(void **)&kipc_ops.close = dlsym(h, "mq_close");
	*(void **)&kipc_ops.unlink = dlsym(h, "mq_unlink");
	*(void **)&kipc_ops.send = dlsym(h, "mq_send");
	*(void **)&kipc_ops.receive = dlsym(h, "mq_receive");
	if (!kipc_ops.open || !kipc_ops.close || !kipc_ops.unlink || !kipc_ops.send ||
	    !kipc_ops.receive) {
		snprintf(why, sizeof(why), "%s lacks an mq_* function", MQ_SHIM_SONAME);
		kipc_ops_why = why;
	}
}

const struct posix_mq_ops *posix_mq_kipc_ops(const char **why)
{
	int fd = kipc_open_device(0);

	if (fd < 0) {
		*why = "kipc.ko not loaded";
		return NULL;
	}
	close(fd);
	pthread_once(&kipc_ops_once, kipc_ops_load);
	if (kipc_ops_why) {
		*why = kipc_ops_why;
		return NULL;
	}
	return &kipc_ops;
}
