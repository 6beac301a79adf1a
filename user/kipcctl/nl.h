/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl.c: the libnl-genl-3 plumbing of kipcctl. One socket per run, one request
 * in flight at a time; the kernel's error, extack message and offending
 * attribute are kept for the error report.
 */
#ifndef KIPCCTL_NL_H
#define KIPCCTL_NL_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/genl/genl.h>

#include <linux/kipc.h>

/*
 * Called for each reply (and, on a subscribed socket, each event) with its
 * attributes parsed into @tb, indexed by KIPC_A_*. Return 0, or a negative
 * errno to abandon the request.
 */
typedef int (*knl_reply_fn)(uint8_t cmd, struct nlattr **tb, void *arg);

struct knl {
	struct nl_sock *sk;
	int family;
	/* state of the request in flight */
	struct nl_msg *sent;
	uint32_t seq;
	bool done;
	bool dump_intr;		/* the kernel flagged a dump as inconsistent */
	knl_reply_fn fn;
	void *arg;
	/* the failure, for knl_report() */
	int err;		/* positive errno from the kernel or the callback */
	int nlerr;		/* libnl error code when libnl itself failed */
	char extack[256];	/* NLMSGERR_ATTR_MSG */
	int bad_attr;		/* KIPC_A_* named by NLMSGERR_ATTR_OFFS, or 0 */
	int missing_attr;	/* KIPC_A_* named by NLMSGERR_ATTR_MISS_TYPE, or 0 */
};

/* Returns KIPCCTL_EXIT_OK, or prints why and returns the exit code. */
int knl_open(struct knl *nl);
void knl_close(struct knl *nl);

/* A request of KIPC_CMD_*, as a dump when @dump; NULL on ENOMEM. */
struct nl_msg *knl_msg(struct knl *nl, uint8_t cmd, bool dump);

/*
 * Send @msg (consumed) and read replies until the ack or the end of the
 * dump, calling @fn for each. Returns 0, KNL_DUMP_INTR when the kernel
 * flagged the dump as inconsistent (objects changed meanwhile: repeat it),
 * or a negative errno with the details kept in @nl for knl_report().
 */
#define KNL_DUMP_INTR	1
int knl_transact(struct knl *nl, struct nl_msg *msg, knl_reply_fn fn, void *arg);

/*
 * From a knl_reply_fn: call @fn for each attribute @type of the reply (a
 * repeated one, as KIPC_A_SUB, that @tb holds only the last of); stops at
 * the first non-zero return, which it returns.
 */
int knl_each_attr(int type, int (*fn)(struct nlattr *nla, void *arg), void *arg);

/* Receive what is queued on the (non-blocking) socket; as knl_transact. */
int knl_receive(struct knl *nl, knl_reply_fn fn, void *arg);

/*
 * Print "kipcctl: WHAT: strerror (extack; attribute NAME)" for the last
 * failure (@err is its negative errno) and return the exit code for it.
 * EDQUOT and ENOSPC print kipc's meaning (the byte budget, the ceiling for
 * all users) instead of strerror's.
 */
int knl_report(struct knl *nl, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The extack text of the last failure with its attribute, or "". */
const char *knl_detail(struct knl *nl, char *buf, size_t len);

#endif /* KIPCCTL_NL_H */
