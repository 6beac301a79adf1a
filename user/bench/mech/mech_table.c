// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the table of mechanisms, in the order the tables print them.
 * Adding a mechanism: write mech_NAME.c defining bench_mech_NAME and list it
 * here (the Makefile builds every mech_*.c).
 */
#include <string.h>

#include "bench.h"

extern const struct bench_mech bench_mech_pipe, bench_mech_fifo, bench_mech_signal,
	bench_mech_sysv_msg, bench_mech_sysv_shm, bench_mech_posix_mq, bench_mech_posix_mq_on_kipc,
	bench_mech_posix_shm,
	bench_mech_unix_stream, bench_mech_unix_dgram, bench_mech_unix_seqpacket,
	bench_mech_tcp, bench_mech_dbus, bench_mech_sd_bus, bench_mech_mmap_file,
	bench_mech_eventfd, bench_mech_futex,
	bench_mech_kipc_queue, bench_mech_kipc_queue_batch, bench_mech_kipc_queue_sendrecv,
	bench_mech_kipc_queue_creds, bench_mech_kipc_queue_recvmsg,
	bench_mech_kipc_queue_sendrecv_track,
	bench_mech_kipc_ring, bench_mech_kipc_uring, bench_mech_kipc_uring_sqpoll,
	bench_mech_broken_corrupt, bench_mech_broken_duplicate;

const struct bench_mech *const bench_mechs[] = {
	&bench_mech_pipe,
	&bench_mech_fifo,
	&bench_mech_signal,
	&bench_mech_sysv_msg,
	&bench_mech_posix_mq,
	&bench_mech_unix_stream,
	&bench_mech_unix_dgram,
	&bench_mech_unix_seqpacket,
	&bench_mech_tcp,
	&bench_mech_dbus,
	&bench_mech_sd_bus,
	&bench_mech_sysv_shm,
	&bench_mech_posix_shm,
	&bench_mech_mmap_file,
	&bench_mech_eventfd,
	&bench_mech_futex,
	&bench_mech_kipc_queue,
	&bench_mech_kipc_queue_batch,
	&bench_mech_kipc_queue_sendrecv,
	&bench_mech_kipc_queue_creds,
	&bench_mech_kipc_queue_recvmsg,
	&bench_mech_kipc_queue_sendrecv_track,
	&bench_mech_kipc_ring,
	&bench_mech_kipc_uring,
	&bench_mech_kipc_uring_sqpoll,
	&bench_mech_posix_mq_on_kipc,
	&bench_mech_broken_corrupt,
	&bench_mech_broken_duplicate,
	NULL,
};

const struct bench_mech *bench_mech_find(const char *name)
{
	const struct bench_mech *const *m;

	for (m = bench_mechs; *m; m++)
		if (!strcmp((*m)->name, name))
			return *m;
	return NULL;
}

/* kipc's own rows: kipc-* and what runs over kipc (posix-mq-on-kipc). */
bool bench_mech_is_kipc(const struct bench_mech *m)
{
	return !strncmp(m->name, "kipc-", 5) || strstr(m->name, "-on-kipc");
}

const char *bench_kind_name(enum bench_kind kind)
{
	switch (kind) {
	case BENCH_KIND_STREAM:
		return "stream";
	case BENCH_KIND_MESSAGE:
		return "message";
	case BENCH_KIND_SHARED_MEMORY:
		return "shared memory";
	case BENCH_KIND_SIGNAL:
		return "signal";
	case BENCH_KIND_WAKEUP:
		return "wake-up floor";
	case BENCH_KIND_FRAMEWORK:
		return "framework";
	}
	return "?";
}
