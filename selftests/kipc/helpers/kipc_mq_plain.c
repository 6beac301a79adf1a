// SPDX-License-Identifier: GPL-2.0
/*
 * A plain POSIX mq program for kipc_mq_preload_test.sh: it calls glibc's
 * mq_* and knows nothing of kipc, so whatever kipc sees of it came through
 * LD_PRELOAD=libkipc-mq.so.0.
 *   kipc_mq_plain create NAME   create (maxmsg 5, msgsize 100), send three
 *                               messages, print the attributes
 *   kipc_mq_plain drain NAME    receive until empty, print each
 *   kipc_mq_plain notify NAME   SIGEV_SIGNAL registration, a message from
 *                               a child, print what the signal carried
 *   kipc_mq_plain unlink NAME
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "kipc_mq_plain: %s: %s\n", what, strerror(errno));
	return 1;
}

static int create(const char *name)
{
	struct mq_attr a = { .mq_maxmsg = 5, .mq_msgsize = 100 };
	mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_WRONLY, 0600, &a);

	if (q < 0)
		return fail("mq_open");
	if (mq_send(q, "one", 3, 1) || mq_send(q, "two", 3, 9) || mq_send(q, "three", 5, 1))
		return fail("mq_send");
	if (mq_getattr(q, &a))
		return fail("mq_getattr");
	printf("maxmsg=%ld msgsize=%ld curmsgs=%ld\n", a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
	return mq_close(q) ? fail("mq_close") : 0;
}

static int drain(const char *name)
{
	mqd_t q = mq_open(name, O_RDONLY | O_NONBLOCK);
	unsigned int prio;
	char buf[100];
	ssize_t n;

	if (q < 0)
		return fail("mq_open");
	while ((n = mq_receive(q, buf, sizeof(buf), &prio)) >= 0)
		printf("%u:%.*s\n", prio, (int)n, buf);
	if (errno != EAGAIN)
		return fail("mq_receive");
	return mq_close(q) ? fail("mq_close") : 0;
}

static int notify(const char *name)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_SIGNAL,
		.sigev_signo = SIGUSR1,
		.sigev_value.sival_int = 77,
	};
	struct timespec ts = { .tv_sec = 5 };
	mqd_t q = mq_open(name, O_RDWR);
	int status;
	siginfo_t si;
	sigset_t set;
	pid_t pid;

	if (q < 0)
		return fail("mq_open");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (mq_notify(q, &sev))
		return fail("mq_notify");
	pid = fork();
	if (pid == 0)
		_exit(mq_send(q, "n", 1, 0) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || WEXITSTATUS(status))
		return fail("child's mq_send");
	if (sigtimedwait(&set, &si, &ts) != SIGUSR1)
		return fail("sigtimedwait");
	printf("code=%d value=%d from_child=%d\n", si.si_code, si.si_value.sival_int,
	       si.si_pid == pid);
	return mq_close(q) ? fail("mq_close") : 0;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	if (!strcmp(argv[1], "create"))
		return create(argv[2]);
	if (!strcmp(argv[1], "drain"))
		return drain(argv[2]);
	if (!strcmp(argv[1], "notify"))
		return notify(argv[2]);
	if (!strcmp(argv[1], "unlink"))
		return mq_unlink(argv[2]) ? fail("mq_unlink") : 0;
	return 2;
}
