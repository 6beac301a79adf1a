// SPDX-License-Identifier: GPL-2.0
/*
 * Blocked senders get room in the order they started waiting, also when
 * the room comes from a larger maxmsg (KIPC_CMD_OBJ_SET) rather than from
 * a receive: raising the capacity wakes as many as now fit, oldest first,
 * and leaves the others in line as they were.
 */
#include "kselftest_harness.h"
#include "kipc_test.h"
#include "kipc_nl.h"

#define NAME		"order-q"
#define SENDERS		4
/* Deep enough that the senders' buffers fit the queue's reservation:
 * they wait for room, not for memory (whose line is its own).
 */
#define DEPTH		8

FIXTURE(order) {
	int fd;
	pid_t pid[SENDERS];
};

FIXTURE_SETUP(order)
{
	kt_unlink(NAME);
	self->fd = kt_create(NAME, DEPTH, 8);
	ASSERT_LE(0, self->fd);
	for (int i = 0; i < SENDERS; i++)
		self->pid[i] = -1;
}

FIXTURE_TEARDOWN(order)
{
	for (int i = 0; i < SENDERS; i++)
		if (self->pid[i] > 0) {
			kill(self->pid[i], SIGKILL);
			kt_wait_child(self->pid[i]);
		}
	close(self->fd);
	kt_unlink(NAME);
}

/* Wait until @n senders in all have slept for room. */
static int wait_senders(int fd, unsigned int n)
{
	struct kipc_stats st;

	for (int i = 0; i < 500; i++) {
		if (kt_stats(fd, &st))
			return -1;
		if (st.send_waits >= n)
			return 0;
		usleep(10000);
	}
	return -1;
}

static int set_maxmsg(__u32 maxmsg)
{
	struct nl_sock s;
	struct nl_req r;

	if (nl_open(&s))
		return -1;
	nl_init(&s, &r, s.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, NAME);
	nl_put_u32(&r, KIPC_A_MAXMSG, maxmsg);
	return nl_talk(&s, &r, NULL, NULL);
}

TEST_F(order, raising_maxmsg_keeps_blocked_senders_in_line)
{
	char buf[8];

	for (int i = 0; i < DEPTH; i++)
		ASSERT_EQ(0, kt_send(self->fd, "F", 1, 0, 0, 0));
	for (int i = 0; i < SENDERS; i++) {
		self->pid[i] = fork();
		ASSERT_LE(0, self->pid[i]);
		if (self->pid[i] == 0) {
			char c = '0' + i;

			_exit(kt_send(self->fd, &c, 1, 0, 0, 0) ? 1 : 0);
		}
		/* each one asleep before the next arrives: a known line */
		ASSERT_EQ(0, wait_senders(self->fd, i + 1));
	}
	/* room for one more: the first in line gets it, the rest stay */
	ASSERT_EQ(0, set_maxmsg(DEPTH + 1));
	usleep(200000);
	/* every further receive lets the next one in, in their order */
	const char want[] = { 'F', 'F', 'F', 'F', 'F', 'F', 'F', 'F', '0', '1', '2', '3' };

	for (unsigned int i = 0; i < sizeof(want); i++) {
		ASSERT_EQ(1, kt_recv(self->fd, buf, sizeof(buf), NULL,
				     KIPC_MSG_DEADLINE, kt_now_ns() + 5000000000LL));
		EXPECT_EQ(want[i], buf[0]) TH_LOG("message %u", i);
		usleep(100000);
	}
	for (int i = 0; i < SENDERS; i++) {
		EXPECT_EQ(0, kt_wait_child(self->pid[i]));
		self->pid[i] = -1;
	}
}

TEST_HARNESS_MAIN
