// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libkipc: the semaphore fast paths as exported functions. In C, libkipc.h
 * makes each name a macro for its inline form; other languages (and
 * function pointers) need a symbol to call, so each is also compiled here,
 * from the same inline body: the two cannot drift apart.
 */
#include "libkipc.h"

#undef kipc_sem_wait
#undef kipc_sem_trywait
#undef kipc_sem_timedwait
#undef kipc_sem_take_upto
#undef kipc_sem_post

int kipc_sem_wait(const struct kipc_shbuf *sb, unsigned int sem)
{
	return kipc__sem_wait_inline(sb, sem);
}

int kipc_sem_trywait(const struct kipc_shbuf *sb, unsigned int sem)
{
	return kipc__sem_trywait_inline(sb, sem);
}

int kipc_sem_timedwait(const struct kipc_shbuf *sb, unsigned int sem,
		       const struct timespec *abs_timeout)
{
	return kipc__sem_timedwait_inline(sb, sem, abs_timeout);
}

unsigned int kipc_sem_take_upto(const struct kipc_shbuf *sb, unsigned int sem,
				unsigned int max)
{
	return kipc__sem_take_upto_inline(sb, sem, max);
}

int kipc_sem_post(const struct kipc_shbuf *sb, unsigned int sem, unsigned int count)
{
	return kipc__sem_post_inline(sb, sem, count);
}
