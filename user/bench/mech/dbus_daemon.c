// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: start and stop a private dbus-daemon (see dbus_daemon.h).
 *
 * The daemon is started through a helper process that exits at once, so it
 * is not a child of the coordinator: the harness reaps participants with
 * wait(), which must not collect the daemon instead. It stays in the
 * case's process group, so the harness's kill of the group at the case
 * time limit takes it along. It runs --nofork and writes its address to a
 * pipe once it listens; setup() reads that line, so no case starts before
 * the bus is up. Its own output goes to daemon.log in its directory (it
 * warns on every start when it may not raise its fd limit) and is quoted
 * in the failure when it exits without listening.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "dbus_daemon.h"

#define DBUS_DAEMON	"dbus-daemon"

/*
 * The session bus's policy and limits (/usr/share/dbus-1/session.conf)
 * without its service directories: nothing is ever auto-started. The
 * limits matter for the one-way case: a bus drops a signal for a receiver
 * whose queue in the daemon is over max_outgoing_bytes, and the session
 * bus's 1 GB is what lets a fast sender run ahead of the receiver.
 */
static const char config_fmt[] =
	"<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
	" \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
	"<busconfig>\n"
	"  <type>session</type>\n"
	"  <listen>unix:path=%s/bus</listen>\n"
	"  <auth>EXTERNAL</auth>\n"
	"  <policy context=\"default\">\n"
	"    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
	"    <allow eavesdrop=\"true\"/>\n"
	"    <allow own=\"*\"/>\n"
	"  </policy>\n"
	"  <limit name=\"max_incoming_bytes\">1000000000</limit>\n"
	"  <limit name=\"max_outgoing_bytes\">1000000000</limit>\n"
	"  <limit name=\"max_message_size\">1000000000</limit>\n"
	"</busconfig>\n";

const char *dbus_daemon_missing(void)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	char file[4096];
	bool found = false;

	if (!path)
		path = "/usr/bin:/bin";
	copy = strdup(path);
	if (!copy)
		return "out of memory";
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		snprintf(file, sizeof(file), "%s/" DBUS_DAEMON, *dir ? dir : ".");
		found = access(file, X_OK) == 0;
	}
	free(copy);
	return found ? NULL : DBUS_DAEMON " not found on $PATH (Debian: dbus-daemon)";
}

static int write_config(const struct dbus_daemon *d, char *file, size_t len)
{
	FILE *f;
	int rc;

	snprintf(file, len, "%s/bus.conf", d->dir);
	f = fopen(file, "w");
	if (!f) {
		bench_fail("%s: %m", file);
		return -1;
	}
	rc = fprintf(f, config_fmt, d->dir) < 0;
	rc |= fclose(f) != 0;
	if (rc)
		bench_fail("%s: cannot write", file);
	return rc ? -1 : 0;
}

/* In the helper process: start the daemon and exit, leaving it orphaned. */
static void __attribute__((noreturn)) spawn(struct dbus_daemon *d, const char *config,
					    int addr_fd)
{
	char config_arg[4200], print_arg[32], log_file[128];
	pid_t pid = fork();
	int log;

	if (pid < 0)
		_exit(1);
	if (pid > 0) {
		d->pid = pid;	/* shared memory: the coordinator reads it */
		_exit(0);
	}
	snprintf(log_file, sizeof(log_file), "%s/daemon.log", d->dir);
	log = open(log_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (log >= 0) {
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
	}
	snprintf(config_arg, sizeof(config_arg), "--config-file=%s", config);
	snprintf(print_arg, sizeof(print_arg), "--print-address=%d", addr_fd);
	execlp(DBUS_DAEMON, DBUS_DAEMON, config_arg, "--nofork", "--nopidfile", print_arg,
	       (char *)NULL);
	dprintf(STDERR_FILENO, "cannot run " DBUS_DAEMON ": %m\n");
	_exit(127);
}

/* The daemon's output, on one line, for a failure message. */
static void quote_log(const struct dbus_daemon *d, char *why, size_t len)
{
	char file[128];
	ssize_t n = -1;
	int fd;

	snprintf(file, sizeof(file), "%s/daemon.log", d->dir);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, why, len - 1);
		close(fd);
	}
	if (n <= 0) {
		snprintf(why, len, "no output");
		return;
	}
	why[n] = '\0';
	for (char *p = why; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

/* The address line the daemon prints once it listens. */
static int read_address(struct dbus_daemon *d, int fd)
{
	char why[200];
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(d->address) - 1) {
		n = read(fd, d->address + len, sizeof(d->address) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(d->address, '\n', len))
			break;
	}
	d->address[len] = '\0';
	d->address[strcspn(d->address, "\n")] = '\0';
	if (!d->address[0]) {
		quote_log(d, why, sizeof(why));
		bench_fail(DBUS_DAEMON " exited without listening: %s", why);
		return -1;
	}
	return 0;
}

int dbus_daemon_start(struct dbus_daemon *d)
{
	char config[4096];
	int pipefd[2], status, rc;
	pid_t helper;

	d->pid = 0;
	snprintf(d->dir, sizeof(d->dir), "/tmp/kipc-bench-dbus.XXXXXX");
	if (!mkdtemp(d->dir)) {
		bench_fail("mkdtemp %s: %m", d->dir);
		d->dir[0] = '\0';
		return -1;
	}
	if (write_config(d, config, sizeof(config)))
		return -1;
	if (pipe(pipefd)) {
		bench_fail("pipe: %m");
		return -1;
	}
	helper = fork();
	if (helper == 0) {
		close(pipefd[0]);
		spawn(d, config, pipefd[1]);
	}
	close(pipefd[1]);
	if (helper < 0) {
		bench_fail("fork: %m");
		close(pipefd[0]);
		return -1;
	}
	while (waitpid(helper, &status, 0) < 0 && errno == EINTR)
		;
	rc = read_address(d, pipefd[0]);
	close(pipefd[0]);
	return rc;
}

void dbus_daemon_stop(struct dbus_daemon *d)
{
	char file[128];

	/* SIGKILL: nothing of the daemon's is worth a clean exit. */
	if (d->pid > 0)
		kill(d->pid, SIGKILL);
	d->pid = 0;
	if (!d->dir[0])
		return;
	snprintf(file, sizeof(file), "%s/bus", d->dir);
	unlink(file);
	snprintf(file, sizeof(file), "%s/bus.conf", d->dir);
	unlink(file);
	snprintf(file, sizeof(file), "%s/daemon.log", d->dir);
	unlink(file);
	rmdir(d->dir);
	d->dir[0] = '\0';
}
