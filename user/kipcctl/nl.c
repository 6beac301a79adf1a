// SPDX-License-Identifier: GPL-2.0
/*
 * The libnl-genl-3 plumbing of kipcctl: open a generic netlink socket with
 * extended acks, resolve the "kipc" family, run one request at a time and
 * keep the kernel's verdict (errno, extack message, offending or missing
 * attribute) for the error report.
 *
 * libnl 3.7 has no extack helpers: NETLINK_EXT_ACK and NETLINK_CAP_ACK are
 * set with setsockopt() on libnl's descriptor, and the TLVs after struct
 * nlmsgerr (or after the status of NLMSG_DONE) are parsed with nla_parse().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kipcctl.h"
#include "nl.h"
#include "obj.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* Sized generously: the whole point of netlink is a bounded dump message. */
#define KNL_RCVBUF	(1 << 20)

static const struct nla_policy kipc_reply_policy[KIPC_A_MAX + 1] = {
	[KIPC_A_ID]		= { .type = NLA_U32 },
	[KIPC_A_TYPE]		= { .type = NLA_U32 },
	[KIPC_A_NAME]		= { .type = NLA_STRING, .maxlen = KIPC_NAME_MAX },
	[KIPC_A_ANON]		= { .type = NLA_FLAG },
	[KIPC_A_MODE]		= { .type = NLA_U32 },
	[KIPC_A_UID]		= { .type = NLA_U32 },
	[KIPC_A_GID]		= { .type = NLA_U32 },
	[KIPC_A_MAXMSG]		= { .type = NLA_U32 },
	[KIPC_A_MSGSIZE]	= { .type = NLA_U32 },
	[KIPC_A_CURMSGS]	= { .type = NLA_U32 },
	[KIPC_A_HWM]		= { .type = NLA_U32 },
	[KIPC_A_BYTES]		= { .type = NLA_U64 },
	[KIPC_A_SENT]		= { .type = NLA_U64 },
	[KIPC_A_RECEIVED]	= { .type = NLA_U64 },
	[KIPC_A_SEND_WAITS]	= { .type = NLA_U64 },
	[KIPC_A_RECV_WAITS]	= { .type = NLA_U64 },
	[KIPC_A_MEM_BYTES]	= { .type = NLA_U64 },
	[KIPC_A_EVENT]		= { .type = NLA_U32 },
	[KIPC_A_NR_QUEUES]	= { .type = NLA_U32 },
	[KIPC_A_NR_SHBUFS]	= { .type = NLA_U32 },
	[KIPC_A_SIZE]		= { .type = NLA_U64 },
	[KIPC_A_NSEMS]		= { .type = NLA_U32 },
	[KIPC_A_DATA_OFFSET]	= { .type = NLA_U32 },
	[KIPC_A_MAPPINGS]	= { .type = NLA_U32 },
	[KIPC_A_SEM_SLEEPERS]	= { .type = NLA_U32 },
	[KIPC_A_SEM_WAITS]	= { .type = NLA_U64 },
	[KIPC_A_SEM_WAKEUPS]	= { .type = NLA_U64 },
	[KIPC_A_SEM_POSTS]	= { .type = NLA_U64 },
	[KIPC_A_EVENTS_LOST]	= { .type = NLA_U64 },
	[KIPC_A_USER_BYTES]	= { .type = NLA_U64 },
	[KIPC_A_USER_BYTES_MAX]	= { .type = NLA_U64 },
	[KIPC_A_TOTAL_BYTES]	= { .type = NLA_U64 },
	[KIPC_A_TOTAL_BYTES_MAX] = { .type = NLA_U64 },
	[KIPC_A_USER_QUEUES]	= { .type = NLA_U32 },
	[KIPC_A_USER_SHBUFS]	= { .type = NLA_U32 },
	[KIPC_A_USER_SUBS]	= { .type = NLA_U32 },
	[KIPC_A_SEND_LOWAT]	= { .type = NLA_U32 },
	[KIPC_A_OPTIONS]	= { .type = NLA_U32 },
	[KIPC_A_SUBSCRIBERS]	= { .type = NLA_U32 },
	[KIPC_A_DROPPED]	= { .type = NLA_U64 },
	[KIPC_A_SUB]		= { .type = NLA_NESTED },
};

int knl_open(struct knl *nl)
{
	int one = 1, fd, ret;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		fprintf(stderr, "kipcctl: cannot allocate a netlink socket: %s\n",
			strerror(ENOMEM));
		return KIPCCTL_EXIT_FAILED;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		fprintf(stderr, "kipcctl: cannot open a generic netlink socket: %s\n",
			nl_geterror(ret));
		knl_close(nl);
		return KIPCCTL_EXIT_FAILED;
	}
	fd = nl_socket_get_fd(nl->sk);
	/* Both exist since Linux 4.12; without them errors just lose detail. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_set_buffer_size(nl->sk, KNL_RCVBUF, 0);

	nl->family = genl_ctrl_resolve(nl->sk, KIPC_GENL_NAME);
	if (nl->family < 0) {
		if (nl->family == -NLE_OBJ_NOTFOUND)
			fprintf(stderr, "kipcctl: kipc is not available: no generic netlink family \"%s\" (is kipc.ko loaded?)\n",
				KIPC_GENL_NAME);
		else
			fprintf(stderr, "kipcctl: cannot resolve the generic netlink family \"%s\": %s\n",
				KIPC_GENL_NAME, nl_geterror(nl->family));
		ret = nl->family == -NLE_OBJ_NOTFOUND ? KIPCCTL_EXIT_NO_KIPC : KIPCCTL_EXIT_FAILED;
		knl_close(nl);
		return ret;
	}
	return KIPCCTL_EXIT_OK;
}

void knl_close(struct knl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *knl_msg(struct knl *nl, uint8_t cmd, bool dump)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 dump ? NLM_F_DUMP : 0, cmd, KIPC_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* The attribute of our own request that starts @offs bytes into it. */
static int sent_attr_at(struct knl *nl, uint32_t offs)
{
	struct nlmsghdr *nlh;
	struct nlattr *nla;

	if (!nl->sent)
		return 0;
	nlh = nlmsg_hdr(nl->sent);
	if (offs < NLMSG_HDRLEN + GENL_HDRLEN || offs + sizeof(*nla) > nlh->nlmsg_len)
		return 0;
	nla = (struct nlattr *)((char *)nlh + offs);
	return nla_type(nla);
}

/* Extended-ack TLVs: @attrs, @len bytes, following the error status. */
static void parse_ext_ack(struct knl *nl, struct nlattr *attrs, int len)
{
	static const struct nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG]		= { .type = NLA_STRING },
		[NLMSGERR_ATTR_OFFS]		= { .type = NLA_U32 },
		[NLMSGERR_ATTR_MISS_TYPE]	= { .type = NLA_U32 },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, len, policy) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(nl->extack, tb[NLMSGERR_ATTR_MSG], sizeof(nl->extack));
	if (tb[NLMSGERR_ATTR_OFFS])
		nl->bad_attr = sent_attr_at(nl, nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		nl->missing_attr = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	/* libnl hands over the payload; the header is just before it. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct knl *nl = arg;
	int ack_len = sizeof(*e);

	(void)who;
	nl->err = -e->error;
	nl->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	/* Without NETLINK_CAP_ACK (or when capped anyway) the request follows. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		ack_len += e->msg.nlmsg_len - NLMSG_HDRLEN;
	parse_ext_ack(nl, (struct nlattr *)((char *)e + ack_len),
		      (int)nlh->nlmsg_len - NLMSG_HDRLEN - ack_len);
	return NL_STOP;
}

/* NLMSG_DONE carries the dump's status, and extack TLVs after it. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct knl *nl = arg;
	int status;

	nl->done = true;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(status))
		return NL_STOP;
	memcpy(&status, nlmsg_data(nlh), sizeof(status));
	if (status < 0) {
		nl->err = -status;
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			parse_ext_ack(nl, (struct nlattr *)((char *)nlmsg_data(nlh) + sizeof(status)),
				      (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)sizeof(status));
	}
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct knl *nl = arg;

	(void)msg;
	nl->done = true;
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct knl *nl = arg;

	(void)msg;
	nl->dump_intr = true;
	return NL_OK;	/* read on to NLMSG_DONE, then repeat the dump */
}

/* Replies carry our sequence number; notifications (events) carry 0. */
static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct knl *nl = arg;
	uint32_t seq = nlmsg_hdr(msg)->nlmsg_seq;

	return seq == 0 || seq == nl->seq ? NL_OK : NL_SKIP;
}

/* The reply being handed to a knl_reply_fn, for knl_each_attr(). */
static struct nlmsghdr *knl_current;

int knl_each_attr(int type, int (*fn)(struct nlattr *nla, void *arg), void *arg)
{
	struct nlattr *nla;
	int rem, ret;

	if (!knl_current)
		return 0;
	nla_for_each_attr(nla, genlmsg_attrdata(nlmsg_data(knl_current), 0),
			  genlmsg_attrlen(nlmsg_data(knl_current), 0), rem) {
		if (nla_type(nla) != type)
			continue;
		ret = fn(nla, arg);
		if (ret)
			return ret;
	}
	return 0;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[KIPC_A_MAX + 1];
	struct genlmsghdr *gnlh = genlmsg_hdr(nlmsg_hdr(msg));
	struct knl *nl = arg;
	int ret;

	if (nlmsg_hdr(msg)->nlmsg_type != nl->family)
		return NL_SKIP;
	ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, KIPC_A_MAX,
			    kipc_reply_policy);
	if (ret < 0) {
		nl->err = EBADMSG;
		snprintf(nl->extack, sizeof(nl->extack), "malformed reply: %s",
			 nl_geterror(ret));
		nl->done = true;
		return NL_STOP;
	}
	if (!nl->fn)
		return NL_OK;
	knl_current = nlmsg_hdr(msg);
	ret = nl->fn(gnlh->cmd, tb, nl->arg);
	knl_current = NULL;
	if (ret < 0) {
		nl->err = -ret;
		nl->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

static struct nl_cb *knl_callbacks(struct knl *nl)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, nl);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, nl);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, nl);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, nl);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check, nl);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, nl);
	return cb;
}

static void knl_reset(struct knl *nl, knl_reply_fn fn, void *arg)
{
	nl->done = false;
	nl->dump_intr = false;
	nl->fn = fn;
	nl->arg = arg;
	nl->err = 0;
	nl->nlerr = 0;
	nl->extack[0] = '\0';
	nl->bad_attr = 0;
	nl->missing_attr = 0;
}

/* Run the receive loop until the request is answered (or once, @once). */
static int knl_pump(struct knl *nl, bool once)
{
	struct nl_cb *cb = knl_callbacks(nl);
	int ret = 0;

	if (!cb)
		return -ENOMEM;
	do {
		ret = nl_recvmsgs(nl->sk, cb);
		if (nl->err) {
			ret = -nl->err;
			break;
		}
		if (ret < 0) {
			nl->nlerr = -ret;
			ret = ret == -NLE_NOMEM ? -ENOBUFS : -EPROTO;
			break;
		}
	} while (!once && !nl->done);
	nl_cb_put(cb);
	if (ret == 0 && nl->dump_intr)
		ret = KNL_DUMP_INTR;
	return ret;
}

int knl_transact(struct knl *nl, struct nl_msg *msg, knl_reply_fn fn, void *arg)
{
	int ret;

	knl_reset(nl, fn, arg);
	nl->sent = msg;
	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		nl->nlerr = -ret;
		ret = -EPROTO;
	} else {
		nl->seq = nlmsg_hdr(msg)->nlmsg_seq;
		ret = knl_pump(nl, false);
	}
	nl->sent = NULL;
	nlmsg_free(msg);
	return ret;
}

int knl_receive(struct knl *nl, knl_reply_fn fn, void *arg)
{
	knl_reset(nl, fn, arg);
	return knl_pump(nl, true);
}

/*
 * Errnos whose strerror() would mislead: kipc's byte budget is no disk
 * quota and its ceiling no full device. The text names the module parameter
 * behind the refusal; an extack message naming it as well adds nothing and
 * is left out of the report.
 */
static const struct {
	int err;
	const char *text;
	const char *param;
} kipc_errnos[] = {
	{ EDQUOT, "over your kipc byte budget (user_bytes_max)", "user_bytes_max" },
	{ ENOSPC, "over kipc's byte ceiling for all users (total_bytes_max)", "total_bytes_max" },
};

/* kipc's text for @err (positive), or NULL; its parameter in *@param. */
static const char *kipc_errno_text(int err, const char **param)
{
	size_t i;

	for (i = 0; i < sizeof(kipc_errnos) / sizeof(kipc_errnos[0]); i++)
		if (kipc_errnos[i].err == err) {
			*param = kipc_errnos[i].param;
			return kipc_errnos[i].text;
		}
	return NULL;
}

static const char *detail(struct knl *nl, char *buf, size_t len, bool extack)
{
	size_t n = 0;

	buf[0] = '\0';
	if (nl->nlerr)
		n += snprintf(buf + n, len - n, "netlink: %s", nl_geterror(nl->nlerr));
	if (extack && nl->extack[0] && n < len)
		n += snprintf(buf + n, len - n, "%s%s", n ? "; " : "", nl->extack);
	if (nl->bad_attr && n < len)
		n += snprintf(buf + n, len - n, "%sattribute %s", n ? "; " : "",
			      kipc_attr_name(nl->bad_attr));
	if (nl->missing_attr && n < len)
		snprintf(buf + n, len - n, "%smissing attribute %s", n ? "; " : "",
			 kipc_attr_name(nl->missing_attr));
	return buf;
}

const char *knl_detail(struct knl *nl, char *buf, size_t len)
{
	return detail(nl, buf, len, true);
}

int knl_report(struct knl *nl, int err, const char *fmt, ...)
{
	const char *text, *param = NULL;
	char more[512];
	va_list ap;

	fputs("kipcctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	text = kipc_errno_text(-err, &param);
	detail(nl, more, sizeof(more), !text || !strstr(nl->extack, param));
	fprintf(stderr, ": %s", text ? text : strerror(-err));
	if (more[0])
		fprintf(stderr, " (%s)", more);
	fputc('\n', stderr);
	return KIPCCTL_EXIT_FAILED;
}
