// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: message buffers (see msgbuf.h). */
#include <stdlib.h>
#include <string.h>

#include "msgbuf.h"

#define ALIGN	64

static size_t front(const struct bench_mech *mech)
{
	return (mech->headroom + ALIGN - 1) / ALIGN * ALIGN;
}

void *msgbuf_alloc(const struct bench_mech *mech, size_t size)
{
	size_t total = (front(mech) + size + ALIGN - 1) / ALIGN * ALIGN;
	char *base = aligned_alloc(ALIGN, total);

	if (!base)
		return NULL;
	/* Touch every page now, so no first-use fault lands in a timed part. */
	memset(base, 0, total);
	return base + front(mech);
}

void msgbuf_free(const struct bench_mech *mech, void *buf)
{
	if (buf)
		free((char *)buf - front(mech));
}
