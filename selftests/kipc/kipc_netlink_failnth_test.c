// SPDX-License-Identifier: GPL-2.0
/*
 * The "kipc" generic netlink family under fault injection: a
 * /proc/thread-self/fail-nth sweep (failnth.h) of every command and the
 * dump: OBJ_GET (do and dump), OBJ_NEW, OBJ_DEL, OBJ_SET, STATS_GET,
 * SUBSCRIBE and UNSUBSCRIBE.
 *
 * Generic netlink runs a request in the sender's context, inside its
 * sendmsg(): so the sweep arms fail-nth just before send() and reads it
 * back right after, and only then reads the answers (a dump that does not
 * fit one message goes on inside recvmsg(), without injection). Each call
 * uses a new socket, so an answer lost to an injected failure cannot
 * confuse the next one.
 *
 * A failure must come back clean: send() failing with ENOBUFS or EFAULT,
 * an error ack (ENOMEM, ENOBUFS, ...), or, when the ack itself could not be
 * allocated, ENOBUFS on the socket ("lost"). After an error ack nothing may
 * have changed: no name left behind by OBJ_NEW, no name gone after OBJ_DEL,
 * no mode or capacity changed by OBJ_SET, no subscription made or dropped.
 * After a lost ack the command may or may not have run, but all of it or
 * none of it.
 *
 * Kernels without CONFIG_FAULT_INJECTION (Debian's) have no fail-nth file:
 * every case is skipped there.
 */
#include "failnth.h"
#include "kipc_test.h"
#include "kipc_nl.h"

#define NAME_OBJ	"fn-nl-obj"	/* exists for the whole test */
#define NAME_NEW	"fn-nl-new"
#define NAME_DEL	"fn-nl-del"
#define OBJ_MAXMSG	4
#define OBJ_MODE	0600
#define SET_MAXMSG	9
#define SET_MODE	0640

struct failnth_ctx {
	struct nl_sock s;	/* the call's socket, new for each call */
	struct nl_sock ctl;	/* for setting up and checking, never injected */
	struct nl_req r;
	bool lost;		/* the answer was lost: ENOBUFS on the socket */
	unsigned int nreplies;
	char name[KIPC_NAME_MAX];	/* of the first reply */
	__u32 type, nr_queues;
};

/* ------------------------------------------------------------------ */

static int ctl_by_name(struct failnth_ctx *c, __u8 cmd, const char *name)
{
	struct nl_req r;

	nl_init(&c->ctl, &r, c->ctl.family, cmd, 0);
	nl_put_str(&r, KIPC_A_NAME, name);
	return nl_talk(&c->ctl, &r, NULL, NULL);
}

static int ctl_new(struct failnth_ctx *c, const char *name)
{
	struct nl_req r;

	nl_init(&c->ctl, &r, c->ctl.family, KIPC_CMD_OBJ_NEW, 0);
	nl_put_u32(&r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&r, KIPC_A_NAME, name);
	nl_put_u32(&r, KIPC_A_MODE, OBJ_MODE);
	nl_put_u32(&r, KIPC_A_MAXMSG, OBJ_MAXMSG);
	nl_put_u32(&r, KIPC_A_MSGSIZE, 64);
	return nl_talk(&c->ctl, &r, NULL, NULL);
}

static int ctl_set(struct failnth_ctx *c, __u32 mode, __u32 maxmsg)
{
	struct nl_req r;

	nl_init(&c->ctl, &r, c->ctl.family, KIPC_CMD_OBJ_SET, 0);
	nl_put_str(&r, KIPC_A_NAME, NAME_OBJ);
	nl_put_u32(&r, KIPC_A_MODE, mode);
	nl_put_u32(&r, KIPC_A_MAXMSG, maxmsg);
	return nl_talk(&c->ctl, &r, NULL, NULL);
}

/* 1 if @name is an object of this namespace, 0 if not, -errno. */
static int exists(struct failnth_ctx *c, const char *name)
{
	int ret = ctl_by_name(c, KIPC_CMD_OBJ_GET, name);

	return ret == 0 ? 1 : ret == -ENOENT ? 0 : ret;
}

/* The mode and capacity of @name, through a file bound to it. */
static int mode_maxmsg(const char *name, __u32 *mode, __u32 *maxmsg)
{
	struct kipc_stats st;
	int fd = kt_queue(name, O_RDONLY, 0, 0, 0, 0), ret;

	if (fd < 0)
		return fd;
	ret = kt_stats(fd, &st);
	close(fd);
	*mode = st.mode;
	*maxmsg = st.maxmsg;
	return ret;
}

/* ------------------------------------------------------------------ */
/* The call: send() only; the answers are read by finish(). */

/* A new socket and a request for @cmd. */
static int prepare_req(struct failnth_ctx *c, __u8 cmd, __u16 flags)
{
	if (nl_open(&c->s))
		return -1;
	nl_init(&c->s, &c->r, c->s.family, cmd, flags);
	c->lost = false;
	c->nreplies = 0;
	c->name[0] = '\0';
	c->type = c->nr_queues = 0;
	return 0;
}

static long call_send(struct failnth_ctx *c)
{
	return send(c->s.fd, &c->r, c->r.nlh.nlmsg_len, 0);
}

static void take_reply(struct failnth_ctx *c, struct nlmsghdr *nlh)
{
	const char *name = nl_str(nlh, KIPC_A_NAME);

	if (c->nreplies++)
		return;
	snprintf(c->name, sizeof(c->name), "%s", name ? name : "");
	c->type = nl_u32(nlh, KIPC_A_TYPE);
	c->nr_queues = nl_u32(nlh, KIPC_A_NR_QUEUES);
}

/*
 * Read every answer to the request, without blocking: a do request is
 * answered (reply, then ack) before send() returns, and a dump goes on
 * inside recvmsg(). Returns the number of replies, or -1 with *err: the
 * error of the ack or of the dump's NLMSG_DONE, or ENOBUFS when the ack
 * was lost.
 */
static long finish_answers(struct failnth_ctx *c, long ret, int *err)
{
	bool acked = false, done = false;
	int ack = 0, n;

	if (ret < 0)
		return ret;
	for (;;) {
		struct nlmsghdr *nlh;

		n = recv(c->s.fd, c->s.buf, sizeof(c->s.buf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			c->lost = true;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			if (errno == EAGAIN)
				break;
			*err = errno;
			return -1;
		}
		for (nlh = (struct nlmsghdr *)c->s.buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != c->r.nlh.nlmsg_seq)
				continue;	/* an event */
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				if (!acked)
					ack = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
				acked = true;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				int derr = 0;

				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(derr)))
					memcpy(&derr, NLMSG_DATA(nlh), sizeof(derr));
				if (!acked && derr < 0)
					ack = derr;
				done = true;
			} else {
				take_reply(c, nlh);
			}
		}
	}
	if (ack < 0) {
		*err = -ack;
		return -1;
	}
	if (acked || done)
		return c->nreplies;
	*err = c->lost ? ENOBUFS : ENODATA;	/* ENODATA: no answer at all */
	return -1;
}

static void cleanup_sock(struct failnth_ctx *c)
{
	if (c->s.fd >= 0)
		nl_close(&c->s);
	c->s.fd = -1;
}

/* ------------------------------------------------------------------ */
/* The commands. */

static int prepare_get(struct failnth_ctx *c)
{
	if (prepare_req(c, KIPC_CMD_OBJ_GET, 0))
		return -1;
	nl_put_str(&c->r, KIPC_A_NAME, NAME_OBJ);
	return 0;
}

static int check_get(struct failnth_ctx *c, long ret, int err, char *why)
{
	(void)err;
	if (ret >= 0 && (c->nreplies != 1 || strcmp(c->name, NAME_OBJ) ||
			 c->type != KIPC_TYPE_QUEUE)) {
		snprintf(why, FAILNTH_WHY, "%u replies, first '%s' type %u", c->nreplies,
			 c->name, c->type);
		return -1;
	}
	return 0;
}

static int prepare_dump(struct failnth_ctx *c)
{
	return prepare_req(c, KIPC_CMD_OBJ_GET, NLM_F_DUMP);
}

static int check_dump(struct failnth_ctx *c, long ret, int err, char *why)
{
	(void)err;
	if (ret >= 0 && c->nreplies < 1) {
		snprintf(why, FAILNTH_WHY, "the dump listed no object");
		return -1;
	}
	return 0;
}

static int prepare_new(struct failnth_ctx *c)
{
	if (prepare_req(c, KIPC_CMD_OBJ_NEW, 0))
		return -1;
	nl_put_u32(&c->r, KIPC_A_TYPE, KIPC_TYPE_QUEUE);
	nl_put_str(&c->r, KIPC_A_NAME, NAME_NEW);
	nl_put_u32(&c->r, KIPC_A_MODE, OBJ_MODE);
	nl_put_u32(&c->r, KIPC_A_MAXMSG, OBJ_MAXMSG);
	nl_put_u32(&c->r, KIPC_A_MSGSIZE, 64);
	return 0;
}

/* Created after a success, absent after a failure, whole if there at all. */
static int check_new(struct failnth_ctx *c, long ret, int err, char *why)
{
	int e = exists(c, NAME_NEW);
	__u32 mode = 0, maxmsg = 0;

	(void)err;
	if (e < 0 || (!c->lost && e != (ret >= 0))) {
		snprintf(why, FAILNTH_WHY, "%s: exists %d after %s", NAME_NEW, e,
			 ret >= 0 ? "success" : "failure");
		return -1;
	}
	if (e && (mode_maxmsg(NAME_NEW, &mode, &maxmsg) || mode != OBJ_MODE ||
		  maxmsg != OBJ_MAXMSG)) {
		snprintf(why, FAILNTH_WHY, "%s: mode %o maxmsg %u", NAME_NEW, mode, maxmsg);
		return -1;
	}
	if (ret >= 0 && strcmp(c->name, NAME_NEW)) {
		snprintf(why, FAILNTH_WHY, "OBJ_NEW replied with '%s'", c->name);
		return -1;
	}
	return 0;
}

static void cleanup_new(struct failnth_ctx *c)
{
	cleanup_sock(c);
	kt_unlink(NAME_NEW);
}

static int prepare_del(struct failnth_ctx *c)
{
	if (exists(c, NAME_DEL) != 1 && ctl_new(c, NAME_DEL))
		return -1;
	if (prepare_req(c, KIPC_CMD_OBJ_DEL, 0))
		return -1;
	nl_put_str(&c->r, KIPC_A_NAME, NAME_DEL);
	return 0;
}

static int check_del(struct failnth_ctx *c, long ret, int err, char *why)
{
	int e = exists(c, NAME_DEL);

	(void)err;
	if (e < 0 || (!c->lost && e != (ret < 0))) {
		snprintf(why, FAILNTH_WHY, "%s: exists %d after %s", NAME_DEL, e,
			 ret >= 0 ? "success" : "failure");
		return -1;
	}
	return 0;
}

static void cleanup_del(struct failnth_ctx *c)
{
	cleanup_sock(c);
	kt_unlink(NAME_DEL);
}

static int prepare_set(struct failnth_ctx *c)
{
	if (ctl_set(c, OBJ_MODE, OBJ_MAXMSG) || prepare_req(c, KIPC_CMD_OBJ_SET, 0))
		return -1;
	nl_put_str(&c->r, KIPC_A_NAME, NAME_OBJ);
	nl_put_u32(&c->r, KIPC_A_MODE, SET_MODE);
	nl_put_u32(&c->r, KIPC_A_MAXMSG, SET_MAXMSG);
	return 0;
}

/* Both changes after a success, neither after a failure, never one alone. */
static int check_set(struct failnth_ctx *c, long ret, int err, char *why)
{
	__u32 mode = 0, maxmsg = 0;
	bool old, new;

	(void)err;
	if (mode_maxmsg(NAME_OBJ, &mode, &maxmsg)) {
		snprintf(why, FAILNTH_WHY, "%s cannot be opened", NAME_OBJ);
		return -1;
	}
	old = mode == OBJ_MODE && maxmsg == OBJ_MAXMSG;
	new = mode == SET_MODE && maxmsg == SET_MAXMSG;
	if ((ret >= 0 && !new) || (ret < 0 && !c->lost && !old) || (!old && !new)) {
		snprintf(why, FAILNTH_WHY, "mode %o maxmsg %u after %s", mode, maxmsg,
			 ret >= 0 ? "success" : "failure");
		return -1;
	}
	return 0;
}

static int prepare_stats(struct failnth_ctx *c)
{
	return prepare_req(c, KIPC_CMD_STATS_GET, 0);
}

static int check_stats(struct failnth_ctx *c, long ret, int err, char *why)
{
	(void)err;
	if (ret >= 0 && (c->nreplies != 1 || c->nr_queues < 1 || c->nr_queues == 0xffffffff)) {
		snprintf(why, FAILNTH_WHY, "%u replies, %u queues", c->nreplies, c->nr_queues);
		return -1;
	}
	return 0;
}

static int prepare_subscribe(struct failnth_ctx *c)
{
	return prepare_req(c, KIPC_CMD_SUBSCRIBE, 0);
}

/* Subscribed after a success (UNSUBSCRIBE works), not after a failure. */
static int check_subscribe(struct failnth_ctx *c, long ret, int err, char *why)
{
	struct nl_req r;
	int un;

	(void)err;
	nl_init(&c->s, &r, c->s.family, KIPC_CMD_UNSUBSCRIBE, 0);
	un = nl_talk(&c->s, &r, NULL, NULL);
	if ((un != 0 && un != -ENOENT) || (!c->lost && (un == 0) != (ret >= 0))) {
		snprintf(why, FAILNTH_WHY, "UNSUBSCRIBE after %s gave %d",
			 ret >= 0 ? "success" : "failure", un);
		return -1;
	}
	return 0;
}

static int prepare_unsubscribe(struct failnth_ctx *c)
{
	struct nl_req r;

	if (prepare_req(c, KIPC_CMD_SUBSCRIBE, 0))
		return -1;
	if (nl_talk(&c->s, &c->r, NULL, NULL))
		return -1;
	nl_init(&c->s, &r, c->s.family, KIPC_CMD_UNSUBSCRIBE, 0);
	c->r = r;
	return 0;
}

/* Unsubscribed after a success (SUBSCRIBE works again), not after a failure. */
static int check_unsubscribe(struct failnth_ctx *c, long ret, int err, char *why)
{
	struct nl_req r;
	int sub;

	(void)err;
	nl_init(&c->s, &r, c->s.family, KIPC_CMD_SUBSCRIBE, 0);
	sub = nl_talk(&c->s, &r, NULL, NULL);
	if ((sub != 0 && sub != -EEXIST) || (!c->lost && (sub == 0) != (ret >= 0))) {
		snprintf(why, FAILNTH_WHY, "SUBSCRIBE after %s gave %d",
			 ret >= 0 ? "success" : "failure", sub);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */

#define SWEEP(name, ...)						\
	FIXTURE_VARIANT_ADD(failnth, name) {				\
		.op = &(const struct failnth_op){			\
			.call = call_send,				\
			.finish = finish_answers,			\
			.must_succeed = true,				\
			.errnos = { ENOBUFS },				\
			__VA_ARGS__ },					\
	}

FIXTURE(failnth) {
	struct failnth_state st;
	struct failnth_ctx c;
};

FIXTURE_VARIANT(failnth) {
	const struct failnth_op *op;
};

SWEEP(obj_get, .prepare = prepare_get, .check = check_get, .cleanup = cleanup_sock,
      .same_ret = true);
SWEEP(obj_get_dump, .prepare = prepare_dump, .check = check_dump, .cleanup = cleanup_sock,
      .same_ret = true);
SWEEP(obj_new, .prepare = prepare_new, .check = check_new, .cleanup = cleanup_new);
SWEEP(obj_del, .prepare = prepare_del, .check = check_del, .cleanup = cleanup_del);
SWEEP(obj_set, .prepare = prepare_set, .check = check_set, .cleanup = cleanup_sock,
      .same_ret = true);
SWEEP(stats_get, .prepare = prepare_stats, .check = check_stats, .cleanup = cleanup_sock,
      .same_ret = true);
SWEEP(subscribe, .prepare = prepare_subscribe, .check = check_subscribe,
      .cleanup = cleanup_sock);
SWEEP(unsubscribe, .prepare = prepare_unsubscribe, .check = check_unsubscribe,
      .cleanup = cleanup_sock);

FIXTURE_SETUP(failnth)
{
	self->c.s.fd = self->c.ctl.fd = -1;
	failnth_knobs_set(_metadata, &self->st);
	if (self->st.skip)
		return;
	ASSERT_EQ(0, nl_open(&self->c.ctl));
	kt_unlink(NAME_OBJ);
	kt_unlink(NAME_NEW);
	kt_unlink(NAME_DEL);
	ASSERT_EQ(0, ctl_new(&self->c, NAME_OBJ)) TH_LOG("%s", self->c.ctl.errmsg);
}

FIXTURE_TEARDOWN(failnth)
{
	if (self->st.skip)
		return;
	cleanup_sock(&self->c);
	kt_unlink(NAME_OBJ);
	kt_unlink(NAME_NEW);
	kt_unlink(NAME_DEL);
	if (self->c.ctl.fd >= 0)
		nl_close(&self->c.ctl);
	failnth_knobs_restore(&self->st);
}

FAILNTH_SWEEP_TEST()

TEST_HARNESS_MAIN
