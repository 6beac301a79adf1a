// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifecycle under use: load, use and unload kipc.ko 100 times, and
 * unload it while other threads keep opening /dev/kipc.
 *
 * Runs in the test VM, where /init has loaded the module from $KIPC_MODULE;
 * each test leaves it loaded, as it found it. Leaks across the cycles are
 * the debug lane's kmemleak scan's to find; here every cycle must load,
 * serve and unload cleanly, and a racing open must either get a working
 * file (which pins the module) or fail with the errno of a device that is
 * not there.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/kipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define CYCLES		100
#define RACE_UNLOADS	50
#define RACE_THREADS	3

/* Open /dev/kipc and check it answers like kipc; 0 or an errno. */
static int use_device(void)
{
	struct kipc_version ver;
	struct pollfd pfd;
	int fd, err = 0;

	fd = open(KIPC_DEVICE_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno;
	memset(&ver, 0, sizeof(ver));
	if (ioctl(fd, KIPC_IOC_VERSION, &ver))
		err = errno;
	else if (ver.major != KIPC_VERSION_MAJOR || ver.abi != KIPC_ABI_VERSION)
		err = EPROTO;
	pfd.fd = fd;
	pfd.events = POLLIN | POLLOUT;
	if (!err && poll(&pfd, 1, 0) < 0)
		err = errno;
	if (close(fd) && !err)
		err = errno;
	return err;
}

/* A fixture only for the per-test timeout: TCG with KASAN is slow. */
FIXTURE(lifecycle) {
};

FIXTURE_SETUP(lifecycle)
{
}

FIXTURE_TEARDOWN(lifecycle)
{
}

TEST_F_TIMEOUT(lifecycle, load_use_unload_100_times, 900)
{
	int i, err;

	ASSERT_TRUE(kt_module_loaded());
	for (i = 0; i < CYCLES; i++) {
		ASSERT_EQ(0, kt_unload_module()) TH_LOG("unload %d: %s", i, strerror(errno));
		ASSERT_FALSE(kt_module_loaded());
		ASSERT_EQ(-1, access(KIPC_DEVICE_PATH, F_OK)) TH_LOG("cycle %d: node left", i);
		ASSERT_EQ(0, kt_load_module()) TH_LOG("load %d: %s", i, strerror(errno));
		err = use_device();
		ASSERT_EQ(0, err) TH_LOG("cycle %d: using the device: %s", i, strerror(err));
		/* Closed files hold no module reference. */
		ASSERT_EQ(0, kt_module_refcnt()) TH_LOG("cycle %d", i);
	}
	ASSERT_TRUE(kt_module_loaded());
}

struct race {
	atomic_bool stop;
	atomic_ulong opened, absent, unexpected;
	atomic_int last_unexpected;
};

/* Open and use the device until told to stop, whatever the module does. */
static void *opener(void *arg)
{
	struct race *race = arg;
	int err;

	while (!atomic_load(&race->stop)) {
		err = use_device();
		switch (err) {
		case 0:
			atomic_fetch_add(&race->opened, 1);
			break;
		case ENOENT:	/* the node is gone (or not there yet) */
		case ENODEV:	/* misc_open: the module is going away */
		case ENXIO:	/* the minor is not registered (any more) */
			atomic_fetch_add(&race->absent, 1);
			break;
		default:
			atomic_fetch_add(&race->unexpected, 1);
			atomic_store(&race->last_unexpected, err);
			break;
		}
	}
	return NULL;
}

TEST_F_TIMEOUT(lifecycle, unload_races_concurrent_opens, 900)
{
	pthread_t threads[RACE_THREADS];
	struct race race = { 0 };
	unsigned long busy = 0, attempts = 0;
	int i, unloads = 0, err;

	ASSERT_TRUE(kt_module_loaded());
	for (i = 0; i < RACE_THREADS; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, opener, &race));

	while (unloads < RACE_UNLOADS && attempts++ < 200000) {
		if (kt_unload_module()) {
			/* An opener holds a file: the module must stay, whole. */
			ASSERT_EQ(EWOULDBLOCK, errno) TH_LOG("unload: %s", strerror(errno));
			ASSERT_TRUE(kt_module_loaded());
			busy++;
			sched_yield();
			continue;
		}
		unloads++;
		ASSERT_FALSE(kt_module_loaded());
		ASSERT_EQ(0, kt_load_module()) TH_LOG("load after unload %d: %s", unloads,
						   strerror(errno));
	}

	atomic_store(&race.stop, true);
	for (i = 0; i < RACE_THREADS; i++)
		ASSERT_EQ(0, pthread_join(threads[i], NULL));

	TH_LOG("%d unloads (%lu refused while busy); opens: %lu served, %lu found no device",
	       unloads, busy, atomic_load(&race.opened), atomic_load(&race.absent));
	EXPECT_EQ(RACE_UNLOADS, unloads);
	EXPECT_EQ(0, atomic_load(&race.unexpected))
		TH_LOG("last unexpected open/use result: %s",
		       strerror(atomic_load(&race.last_unexpected)));
	EXPECT_LT(0, atomic_load(&race.opened));
	ASSERT_TRUE(kt_module_loaded());
	err = use_device();
	EXPECT_EQ(0, err) TH_LOG("after the race: %s", strerror(err));
	EXPECT_EQ(0, kt_module_refcnt());
}

TEST_HARNESS_MAIN
