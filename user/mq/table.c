// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libkipc-mq: the table of descriptors that are kipc queues, and the
 * device-level helpers that fill it.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mq_internal.h"

_Atomic(_Atomic uint64_t *) kmq_table[KMQ_CHUNKS];

static _Atomic uint64_t *kmq_chunk(int fd, int create)
{
	_Atomic(_Atomic uint64_t *) *slot = &kmq_table[fd >> KMQ_CHUNK_BITS];
	_Atomic uint64_t *chunk, *fresh;

	chunk = atomic_load_explicit(slot, memory_order_acquire);
	if (chunk || !create)
		return chunk;
	fresh = calloc(1 << KMQ_CHUNK_BITS, sizeof(*fresh));
	if (!fresh)
		return NULL;
	/* Two threads may race to fill the slot: the loser frees its own. */
	if (atomic_compare_exchange_strong_explicit(slot, &chunk, fresh,
						    memory_order_acq_rel,
						    memory_order_acquire))
		return fresh;
	free(fresh);
	return chunk;
}

int kmq_table_set(int fd, uint64_t entry)
{
	_Atomic uint64_t *chunk;

	if (fd < 0 || fd >= KMQ_FD_LIMIT) {
		errno = EMFILE;
		return -1;
	}
	chunk = kmq_chunk(fd, 1);
	if (!chunk) {
		errno = ENOMEM;
		return -1;
	}
	atomic_store_explicit(&chunk[fd & ((1 << KMQ_CHUNK_BITS) - 1)], entry,
			      memory_order_release);
	return 0;
}

void kmq_table_clear(int fd)
{
	_Atomic uint64_t *chunk;

	if (fd < 0 || fd >= KMQ_FD_LIMIT)
		return;
	chunk = kmq_chunk(fd, 0);
	if (chunk)
		atomic_store_explicit(&chunk[fd & ((1 << KMQ_CHUNK_BITS) - 1)],
				      0, memory_order_release);
}

int kmq_stats(int fd, struct kipc_stats *st)
{
	*st = (struct kipc_stats){ .size = sizeof(*st) };
	return ioctl(fd, KIPC_IOC_STATS, st) < 0 ? -1 : 0;
}

int kmq_entry_of(int fd, int oflag, uint64_t *entry)
{
	struct kipc_stats st;

	if (kmq_stats(fd, &st))
		return -1;
	if (st.type != KIPC_TYPE_QUEUE) {
		errno = EBADF;
		return -1;
	}
	*entry = KMQ_VALID | st.msgsize;
	if ((oflag & O_ACCMODE) != O_WRONLY)
		*entry |= KMQ_READ;
	if ((oflag & O_ACCMODE) != O_RDONLY)
		*entry |= KMQ_WRITE;
	return 0;
}

/*
 * Only reached on an error path (a real function's EBADF, a kipc ioctl's
 * ENOTTY), so the system calls here cost the fast path nothing. The stats
 * ioctl is what tells a kipc queue: its number carries kipc's magic and
 * the struct's size, which no other driver answers.
 */
uint64_t kmq_adopt(int fd)
{
	int saved = errno, fl;
	uint64_t entry;

	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || kmq_entry_of(fd, fl, &entry) || kmq_table_set(fd, entry)) {
		kmq_table_clear(fd);
		errno = saved;
		return 0;
	}
	errno = saved;
	return entry;
}

int kmq_device_open(int oflag, int *absent)
{
	int fd;

	*absent = 0;
	/* mq_open(2) descriptors are close-on-exec on Linux: so are ours. */
	fd = open(KIPC_DEVICE_PATH, (oflag & (O_ACCMODE | O_NONBLOCK)) | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	switch (errno) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
	case EACCES:
	case EPERM:
		*absent = 1;
		break;
	}
	return -1;
}

unsigned int kmq_abi(void)
{
	static _Atomic unsigned int abi;	/* ABI + 1; 0: not asked yet */
	struct kipc_version v;
	unsigned int got;
	int absent, fd;

	got = atomic_load_explicit(&abi, memory_order_relaxed);
	if (got)
		return got - 1;
	fd = kmq_device_open(O_RDONLY, &absent);
	if (fd < 0)
		return 0;
	got = ioctl(fd, KIPC_IOC_VERSION, &v) ? 0 : v.abi;
	close(fd);
	atomic_store_explicit(&abi, got + 1, memory_order_relaxed);
	return got;
}
