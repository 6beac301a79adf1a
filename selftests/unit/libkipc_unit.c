// SPDX-License-Identifier: GPL-2.0
/*
 * libkipc_unit: host-side tests of libkipc's pure functions, no module
 * needed (selftests/check/libabi.sh builds and runs it twice: with the
 * inline semaphore fast paths of libkipc.h, and with -DKIPC_NO_INLINE
 * against the shared library's exported forms). TAP lines on stdout; the
 * exit status is the number of failures.
 *
 *  - kipc_deadline(): tv_nsec stays in 0..999999999 and the deadline is
 *    @ms from now, for negative @ms too;
 *  - kipc_sem_take_upto(): an index at or past nsems takes nothing, reads
 *    nothing past the control area and gives EINVAL; a valid one takes
 *    min(value, max);
 *  - kipc_sem_post() and kipc_sem_trywait() on a control area in ordinary
 *    memory, where no system call is needed (no sleeper, units available).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "libkipc.h"

static int failures;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	if (!ok)
		failures++;
}

static int64_t ns_of(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static void test_deadline(void)
{
	static const long ms[] = { 0, 1, 999, 1000, 1001, 1500, 123456,
				   -1, -999, -1000, -1001, -1500, -123456 };
	struct timespec before, dl, after;
	char what[96];
	unsigned int i;

	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		clock_gettime(CLOCK_MONOTONIC, &before);
		kipc_deadline(&dl, ms[i]);
		clock_gettime(CLOCK_MONOTONIC, &after);
		snprintf(what, sizeof(what), "kipc_deadline(%ld ms): tv_nsec in range", ms[i]);
		check(dl.tv_nsec >= 0 && dl.tv_nsec < 1000000000L, what);
		snprintf(what, sizeof(what), "kipc_deadline(%ld ms): now + %ld ms", ms[i], ms[i]);
		check(ns_of(&dl) >= ns_of(&before) + ms[i] * 1000000LL &&
		      ns_of(&dl) <= ns_of(&after) + ms[i] * 1000000LL, what);
	}
}

/*
 * A fake mapping: two semaphores, then a guard slot that an out-of-bounds
 * index would reach. fd -1: a call that entered the kernel fails EBADF.
 */
static struct kipc_sem_ctl ctl[3];
static struct kipc_shbuf sb = { .fd = -1, .nsems = 2, .sems = ctl };

static void test_take_upto(void)
{
	unsigned int got;

	memset(ctl, 0, sizeof(ctl));
	ctl[0].value = 5;
	ctl[2].value = 7;	/* past nsems: must stay untouched */

	errno = 0;
	got = kipc_sem_take_upto(&sb, 2, 3);
	check(got == 0 && errno == EINVAL && ctl[2].value == 7,
	      "kipc_sem_take_upto(sem == nsems): 0, EINVAL, nothing read or taken");
	errno = 0;
	got = kipc_sem_take_upto(&sb, UINT32_MAX, 3);
	check(got == 0 && errno == EINVAL,
	      "kipc_sem_take_upto(sem == UINT_MAX): 0, EINVAL");
	errno = 0;
	got = kipc_sem_take_upto(&sb, 0, 3);
	check(got == 3 && ctl[0].value == 2 && errno == 0,
	      "kipc_sem_take_upto(valid, max 3 of 5): 3 taken, errno untouched");
	got = kipc_sem_take_upto(&sb, 0, 10);
	check(got == 2 && ctl[0].value == 0, "kipc_sem_take_upto(max 10 of 2): 2 taken");
	errno = 0;
	got = kipc_sem_take_upto(&sb, 1, 10);
	check(got == 0 && errno == 0, "kipc_sem_take_upto(empty): 0, errno untouched");
}

static void test_post_trywait(void)
{
	memset(ctl, 0, sizeof(ctl));
	check(kipc_sem_post(&sb, 1, 4) == 0 && ctl[1].value == 4,
	      "kipc_sem_post(4), no sleeper: value 4, no system call");
	check(kipc_sem_trywait(&sb, 1) == 0 && ctl[1].value == 3,
	      "kipc_sem_trywait() with units: value 3, no system call");
	errno = 0;
	check(kipc_sem_post(&sb, 2, 1) == -1 && errno == EINVAL && ctl[2].value == 0,
	      "kipc_sem_post(sem == nsems): EINVAL, nothing written");
	ctl[1].value = KIPC_SEM_VALUE_MAX;
	errno = 0;
	check(kipc_sem_post(&sb, 1, 1) == -1 && errno == EOVERFLOW,
	      "kipc_sem_post() past KIPC_SEM_VALUE_MAX: EOVERFLOW");
}

int main(void)
{
#ifdef KIPC_NO_INLINE
	printf("# the exported functions (KIPC_NO_INLINE)\n");
#else
	printf("# the inline fast paths\n");
#endif
	test_deadline();
	test_take_upto();
	test_post_trywait();
	return failures;
}
