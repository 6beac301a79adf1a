// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: futex wake-up tokens (see futex_sem.h).
 *
 * No lost wake-up: FUTEX_WAIT sleeps only while the token count is still
 * the 0 the waiter saw, and a poster adds its token before FUTEX_WAKE; a
 * token that arrives first is simply taken without sleeping.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "futex_sem.h"

static long futex(_Atomic uint32_t *word, int op, uint32_t val, bool private_futex)
{
	if (private_futex)
		op |= FUTEX_PRIVATE_FLAG;
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

void futex_sem_init(struct futex_sem *s)
{
	atomic_init(&s->tokens, 0);
}

int futex_sem_wait(struct futex_sem *s, bool private_futex)
{
	for (;;) {
		uint32_t t = atomic_load(&s->tokens);

		while (t > 0) {
			if (atomic_compare_exchange_weak(&s->tokens, &t, t - 1))
				return 0;
		}
		if (futex(&s->tokens, FUTEX_WAIT, 0, private_futex) < 0 &&
		    errno != EAGAIN && errno != EINTR)
			return -1;
	}
}

int futex_sem_post(struct futex_sem *s, bool private_futex)
{
	atomic_fetch_add(&s->tokens, 1);
	return futex(&s->tokens, FUTEX_WAKE, 1, private_futex) < 0 ? -1 : 0;
}

static int futex_ring_sem_init(void *ctx, unsigned int sem, unsigned int value)
{
	struct futex_ring_sems *fs = ctx;

	futex_sem_init(&fs->sems[sem]);
	(void)value;	/* the ring counts; the futex only holds wake-up tokens */
	return 0;
}

static int futex_ring_sem_wait(void *ctx, unsigned int sem)
{
	struct futex_ring_sems *fs = ctx;

	return futex_sem_wait(&fs->sems[sem], fs->private_futex);
}

static int futex_ring_sem_post(void *ctx, unsigned int sem)
{
	struct futex_ring_sems *fs = ctx;

	return futex_sem_post(&fs->sems[sem], fs->private_futex);
}

const struct ring_sem_ops futex_ring_sem_ops = {
	.fast_path_in_ring = true,
	.init = futex_ring_sem_init,
	.wait = futex_ring_sem_wait,
	.post = futex_ring_sem_post,
};
