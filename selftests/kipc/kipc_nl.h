/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal raw generic netlink client for the kipc selftests. Raw on
 * purpose: the tests must be able to send what a library would refuse to
 * build (wrong types, unknown attributes, over-long strings). kipcctl uses
 * libnl-genl-3 instead.
 */
#ifndef KIPC_NL_H
#define KIPC_NL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kipc.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

struct nl_req {
	struct nlmsghdr nlh;
	struct genlmsghdr genl;
	char attrs[512];
};

struct nl_sock {
	int fd;
	__u16 family;
	__u32 seq;
	char errmsg[256];	/* extack text of the last error */
	char buf[65536];
};

static inline void nl_put(struct nl_req *r, __u16 type, const void *data, __u16 len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static inline void nl_put_u32(struct nl_req *r, __u16 type, __u32 v)
{
	nl_put(r, type, &v, sizeof(v));
}

static inline void nl_put_u64(struct nl_req *r, __u16 type, __u64 v)
{
	nl_put(r, type, &v, sizeof(v));
}

static inline void nl_put_str(struct nl_req *r, __u16 type, const char *s)
{
	nl_put(r, type, s, strlen(s) + 1);
}

static inline void nl_init(struct nl_sock *s, struct nl_req *r, __u16 type,
			   __u8 cmd, __u16 flags)
{
	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nlh.nlmsg_seq = ++s->seq;
	r->genl.cmd = cmd;
	r->genl.version = KIPC_GENL_VERSION;
}

/* The attribute @type of a message, or NULL. */
static inline struct nlattr *nl_attr(struct nlmsghdr *nlh, __u16 type)
{
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	int left = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		left -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

static inline __u32 nl_u32(struct nlmsghdr *nlh, __u16 type)
{
	struct nlattr *a = nl_attr(nlh, type);
	__u32 v = 0xffffffff;

	if (a)
		memcpy(&v, (char *)a + NLA_HDRLEN, sizeof(v));
	return v;
}

static inline __u64 nl_u64(struct nlmsghdr *nlh, __u16 type)
{
	struct nlattr *a = nl_attr(nlh, type);
	__u64 v = ~0ull;

	if (a)
		memcpy(&v, (char *)a + NLA_HDRLEN, sizeof(v));
	return v;
}

static inline const char *nl_str(struct nlmsghdr *nlh, __u16 type)
{
	struct nlattr *a = nl_attr(nlh, type);

	return a ? (const char *)a + NLA_HDRLEN : NULL;
}

/* Pick the extack message out of an error (NETLINK_CAP_ACK: no payload copy). */
static inline void nl_extack(struct nl_sock *s, struct nlmsghdr *nlh)
{
	struct nlmsgerr *err = NLMSG_DATA(nlh);
	struct nlattr *a = (struct nlattr *)((char *)err + sizeof(*err));
	int left = nlh->nlmsg_len - NLMSG_LENGTH(sizeof(*err));

	s->errmsg[0] = 0;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left) {
		if (a->nla_type == NLMSGERR_ATTR_MSG) {
			snprintf(s->errmsg, sizeof(s->errmsg), "%s",
				 (char *)a + NLA_HDRLEN);
			return;
		}
		left -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

/*
 * Send @r and read the answers. Each data message goes to @cb (if any) as
 * it arrives. Returns 0 on success, -errno from the kernel's error.
 */
static inline int nl_talk(struct nl_sock *s, struct nl_req *r,
			  void (*cb)(struct nlmsghdr *nlh, void *data), void *data)
{
	if (send(s->fd, r, r->nlh.nlmsg_len, 0) < 0)
		return -errno;
	s->errmsg[0] = 0;
	for (;;) {
		int n = recv(s->fd, s->buf, sizeof(s->buf), 0);
		struct nlmsghdr *nlh;

		if (n < 0)
			return -errno;
		for (nlh = (struct nlmsghdr *)s->buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != r->nlh.nlmsg_seq)
				continue;	/* an event, not our answer */
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *err = NLMSG_DATA(nlh);

				nl_extack(s, nlh);
				return err->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (cb)
				cb(nlh, data);
		}
	}
}

static inline void nl_get_family_cb(struct nlmsghdr *nlh, void *data)
{
	struct nl_sock *s = data;
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	int left = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	while (left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			memcpy(&s->family, (char *)a + NLA_HDRLEN, sizeof(s->family));
		left -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
	}
}

/* Open a socket and resolve the kipc family; 0 or -errno. */
static inline int nl_open(struct nl_sock *s)
{
	struct nl_req r;
	int one = 1, ret;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_init(s, &r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	r.genl.version = 1;
	nl_put_str(&r, CTRL_ATTR_FAMILY_NAME, KIPC_GENL_NAME);
	ret = nl_talk(s, &r, nl_get_family_cb, s);
	if (!ret && !s->family)
		ret = -ENOENT;
	return ret;
}

static inline void nl_close(struct nl_sock *s)
{
	close(s->fd);
}

#endif /* KIPC_NL_H */
