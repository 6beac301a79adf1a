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
#include <stdlib.h>
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

#define SEM_AREA	4096	/* page holding the futexes, before the rings */

struct bench_link {
	struct ring_link ring;		/* first: ring_attach, ring_teardown */
	struct futex_sem *sems;		/* RING_SEMS of them, at the start of the mapping */
	bool private_futex;
};

_Static_assert(RING_SEMS * sizeof(struct futex_sem) <= SEM_AREA, "semaphores fit their page");

static int futex_ring_sem_init(void *ctx, unsigned int sem, unsigned int value)
{
	struct bench_link *link = ctx;

	futex_sem_init(&link->sems[sem]);
	(void)value;	/* the ring counts; the futex only holds wake-up tokens */
	return 0;
}

static int futex_ring_sem_wait(void *ctx, unsigned int sem)
{
	struct bench_link *link = ctx;

	return futex_sem_wait(&link->sems[sem], link->private_futex);
}

static int futex_ring_sem_post(void *ctx, unsigned int sem)
{
	struct bench_link *link = ctx;

	return futex_sem_post(&link->sems[sem], link->private_futex);
}

static const struct ring_sem_ops futex_ring_sem_ops = {
	.fast_path_in_ring = true,
	.init = futex_ring_sem_init,
	.wait = futex_ring_sem_wait,
	.post = futex_ring_sem_post,
};

int futex_ring_setup(struct bench_link **linkp, const struct bench_config *cfg,
		     void *(*map)(size_t size), bool private_futex)
{
	struct bench_link *link = calloc(1, sizeof(*link));
	char *region;

	if (!link)
		return -1;
	region = ring_link_map(&link->ring, cfg, SEM_AREA, map);
	link->sems = (struct futex_sem *)region;
	link->private_futex = private_futex;
	if (!region || ring_link_init(&link->ring, region + SEM_AREA, cfg, &futex_ring_sem_ops,
				      link)) {
		ring_teardown(link);
		return -1;
	}
	*linkp = link;
	return 0;
}
