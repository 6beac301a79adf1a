/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: a private dbus-daemon for one case of the dbus mechanism.
 * It listens on a UNIX stream socket in a fresh directory under /tmp, with
 * a configuration of its own (no service directories, a policy that lets
 * anyone own any name and send anything, the session bus's size limits),
 * so a case depends on nothing but the dbus-daemon binary: no system bus,
 * no systemd, no machine-id.
 */
#ifndef KIPC_BENCH_DBUS_DAEMON_H
#define KIPC_BENCH_DBUS_DAEMON_H

#include <sys/types.h>

struct dbus_daemon {
	pid_t pid;		/* 0 when not running */
	char dir[64];		/* mkdtemp() directory: bus.conf and the socket */
	char address[256];	/* what the daemon printed: "unix:path=...,guid=..." */
};

/* NULL when a dbus-daemon binary is on $PATH, otherwise why not. */
const char *dbus_daemon_missing(void);

/*
 * Start the daemon and return once it listens (it printed its address).
 * @d must be in memory every process of the case sees (the daemon's pid is
 * written there by a helper process). 0, or -1 with bench_fail() called.
 */
int dbus_daemon_start(struct dbus_daemon *d);

/* Kill the daemon and remove its directory. Safe on a failed start. */
void dbus_daemon_stop(struct dbus_daemon *d);

#endif /* KIPC_BENCH_DBUS_DAEMON_H */
