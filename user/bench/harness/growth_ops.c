// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the three message queues the growth section compares (see
 * growth.h), each reduced to create/open/unlink by name, an anonymous
 * queue, send and receive. Every queue has the same limits, POSIX's
 * defaults: 10 messages of up to 8192 bytes (SysV has no per-queue message
 * size; its byte limit is kernel.msgmnb).
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/msg.h>
#include <unistd.h>

#include "growth.h"
#include "libkipc.h"

#define QUEUE_MAXMSG	10
#define QUEUE_MSGSIZE	8192
#define SYSV_KEY_BASE	0x6b690000	/* "ki" and the object's number */

/* --- kipc --- */

static const struct kipc_queue_attr kipc_attr = { QUEUE_MAXMSG, QUEUE_MSGSIZE };

static void kipc_name(char *buf, size_t len, unsigned int id)
{
	snprintf(buf, len, "growth-%u", id);
}

static int kipc_create(unsigned int id)
{
	char name[32];

	kipc_name(name, sizeof(name), id);
	return kipc_queue_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &kipc_attr);
}

static int kipc_open_named(unsigned int id)
{
	char name[32];

	kipc_name(name, sizeof(name), id);
	return kipc_queue_open(name, O_RDWR, 0, NULL);
}

static int kipc_unlink_named(unsigned int id)
{
	char name[32];

	kipc_name(name, sizeof(name), id);
	return kipc_unlink(name);
}

static void fd_close(int h)
{
	close(h);
}

static int kipc_anon(void)
{
	return kipc_queue_anon(O_RDWR, &kipc_attr);
}

static int kipc_send_one(int h, const void *buf, size_t len)
{
	return kipc_send(h, buf, len, 0);
}

static ssize_t kipc_recv_one(int h, void *buf, size_t len)
{
	return kipc_receive(h, buf, len, NULL);
}

const struct growth_ops growth_kipc = {
	.name = "kipc-queue",
	.title = "kipc queue",
	.create = kipc_create,
	.open = kipc_open_named,
	.unlink = kipc_unlink_named,
	.close = fd_close,
	.anon = kipc_anon,
	.destroy = fd_close,
	.send = kipc_send_one,
	.recv = kipc_recv_one,
	.pollable = true,
};

/* --- POSIX mq --- */

static void mq_name(char *buf, size_t len, unsigned int id)
{
	snprintf(buf, len, "/growth-%u", id);
}

static int mq_create_named(const char *name)
{
	struct mq_attr attr = { .mq_maxmsg = QUEUE_MAXMSG, .mq_msgsize = QUEUE_MSGSIZE };

	return mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
}

static int mq_create(unsigned int id)
{
	char name[32];

	mq_name(name, sizeof(name), id);
	return mq_create_named(name);
}

static int mq_open_named(unsigned int id)
{
	char name[32];

	mq_name(name, sizeof(name), id);
	return mq_open(name, O_RDWR);
}

static int mq_unlink_named(unsigned int id)
{
	char name[32];

	mq_name(name, sizeof(name), id);
	return mq_unlink(name);
}

static void mq_close_one(int h)
{
	mq_close(h);
}

/* Named for a moment: POSIX has no anonymous queue. */
static int mq_anon(void)
{
	static unsigned int next;
	char name[48];
	int h;

	snprintf(name, sizeof(name), "/growth-anon-%d-%u", (int)getpid(), next++);
	h = mq_create_named(name);
	if (h >= 0)
		mq_unlink(name);
	return h;
}

static int mq_send_one(int h, const void *buf, size_t len)
{
	return mq_send(h, buf, len, 0);
}

static ssize_t mq_recv_one(int h, void *buf, size_t len)
{
	return mq_receive(h, buf, len, NULL);
}

const struct growth_ops growth_posix_mq = {
	.name = "posix-mq",
	.title = "POSIX mq",
	.create = mq_create,
	.open = mq_open_named,
	.unlink = mq_unlink_named,
	.close = mq_close_one,
	.anon = mq_anon,
	.destroy = mq_close_one,
	.send = mq_send_one,
	.recv = mq_recv_one,
	.pollable = true,
};

/* --- SysV msg --- */

struct sysv_msg {
	long mtype;
	char text[QUEUE_MSGSIZE];
};

static int sysv_create(unsigned int id)
{
	return msgget(SYSV_KEY_BASE + id, IPC_CREAT | IPC_EXCL | 0600);
}

static int sysv_open(unsigned int id)
{
	return msgget(SYSV_KEY_BASE + id, 0600);
}

/* SysV removes by id: finding it by key is part of the cost. */
static int sysv_unlink(unsigned int id)
{
	int h = msgget(SYSV_KEY_BASE + id, 0600);

	return h < 0 ? -1 : msgctl(h, IPC_RMID, NULL);
}

static void sysv_close(int h)
{
	(void)h;
}

static int sysv_anon(void)
{
	return msgget(IPC_PRIVATE, IPC_CREAT | 0600);
}

static void sysv_destroy(int h)
{
	msgctl(h, IPC_RMID, NULL);
}

static int sysv_send(int h, const void *buf, size_t len)
{
	struct sysv_msg m;

	if (len > sizeof(m.text))
		len = sizeof(m.text);
	m.mtype = 1;
	memcpy(m.text, buf, len);
	return msgsnd(h, &m, len, 0);
}

static ssize_t sysv_recv(int h, void *buf, size_t len)
{
	struct sysv_msg m;
	ssize_t n = msgrcv(h, &m, sizeof(m.text), 0, 0);

	if (n > 0)
		memcpy(buf, m.text, (size_t)n < len ? (size_t)n : len);
	return n;
}

const struct growth_ops growth_sysv_msg = {
	.name = "sysv-msg",
	.title = "SysV msg",
	.create = sysv_create,
	.open = sysv_open,
	.unlink = sysv_unlink,
	.close = sysv_close,
	.anon = sysv_anon,
	.destroy = sysv_destroy,
	.send = sysv_send,
	.recv = sysv_recv,
	.pollable = false,
};
