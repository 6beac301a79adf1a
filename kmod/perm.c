// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - whose rights a request carries, and what mode bits allow.
 *
 * Every check is made against the credentials of whoever opened the file
 * or socket the request came through (struct kipc_who), never against the
 * task that happens to write to it: a descriptor handed to a setuid
 * program as its stdout must not lend that program's rights to whoever
 * wrote the bytes (the CVE-2014-0181 pattern). Capabilities are asked of
 * file_ns_capable() and netlink_ns_capable(), which look at the opener and
 * go through the LSM as capable() does.
 *
 * The mode-bit rules are SysV IPC's (ipcperms()): the owner or creator
 * gets the owner bits, a member of the owning or creating group the group
 * bits, everyone else the other bits.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/netlink.h>
#include <linux/uidgid.h>
#include <net/sock.h>

#include "kipc_priv.h"

/**
 * kipc_who_init_file() - the opener of a /dev/kipc file
 * @who: filled in
 * @file: the file an ioctl came through
 */
void kipc_who_init_file(struct kipc_who *who, struct file *file)
{
	who->cred = file->f_cred;
	who->file = file;
	who->skb = NULL;
}

/**
 * kipc_who_init_skb() - the opener of the socket a netlink request came from
 * @who: filled in
 * @skb: the request
 */
void kipc_who_init_skb(struct kipc_who *who, const struct sk_buff *skb)
{
	struct sock *sk = NETLINK_CB(skb).sk;

	/* Requests from userspace always come through a socket with a file. */
	who->cred = sk && sk->sk_socket && sk->sk_socket->file ?
		    sk->sk_socket->file->f_cred : current_cred();
	who->file = NULL;
	who->skb = skb;
}

/**
 * kipc_who_capable() - does the opener have @cap in @ns?
 * @who: the opener
 * @ns: user namespace the capability must be held in
 * @cap: the capability
 *
 * Return: true if it does.
 */
bool kipc_who_capable(const struct kipc_who *who, struct user_namespace *ns,
		      int cap)
{
	if (who->skb)
		return netlink_ns_capable(who->skb, ns, cap);
	if (who->file)
		return file_ns_capable(who->file, ns, cap);
	return false;
}

/* groups_search() is not exported; the list is sorted (groups_sort()). */
static bool kipc_cred_in_group(const struct cred *cred, kgid_t gid)
{
	const struct group_info *gi = cred->group_info;
	unsigned int left = 0, right = gi->ngroups;

	if (gid_eq(gid, cred->fsgid) || gid_eq(gid, cred->egid))
		return true;
	while (left < right) {
		unsigned int mid = (left + right) / 2;

		if (gid_gt(gid, gi->gid[mid]))
			left = mid + 1;
		else if (gid_lt(gid, gi->gid[mid]))
			right = mid;
		else
			return true;
	}
	return false;
}

/**
 * kipc_perm_is_owner() - is @cred the owner or the creator?
 * @perm: the object's ownership
 * @cred: the subject
 *
 * Return: true if @cred's effective uid is the owner's or the creator's.
 */
bool kipc_perm_is_owner(const struct kipc_perm *perm, const struct cred *cred)
{
	return uid_eq(cred->euid, perm->cuid) || uid_eq(cred->euid, perm->uid);
}

/**
 * kipc_perm_mode_allows() - do the mode bits give @cred what it wants?
 * @perm: the object's ownership and mode
 * @cred: the subject
 * @want: %KIPC_MAY_READ and/or %KIPC_MAY_WRITE
 *
 * Capabilities are not considered here.
 *
 * Return: true if every bit of @want is granted to @cred's class.
 */
bool kipc_perm_mode_allows(const struct kipc_perm *perm,
			   const struct cred *cred, int want)
{
	int granted = READ_ONCE(perm->mode);

	if (kipc_perm_is_owner(perm, cred))
		granted >>= 6;
	else if (kipc_cred_in_group(cred, perm->cgid) ||
		 kipc_cred_in_group(cred, perm->gid))
		granted >>= 3;
	return !(want & ~granted & 7);
}

/**
 * kipc_perm_visible() - may @cred see an object's details?
 * @perm: the object's ownership and mode
 * @cred: the subject
 * @ipc_owner: the subject has CAP_IPC_OWNER in the namespace's user namespace
 *
 * The rule of netlink GET, dumps, totals and events: the owner and the
 * creator see their objects; others see a named object whose mode bits
 * let them read it, as opening it for reading would; an anonymous object,
 * which nobody can open by name, only its owner and creator. CAP_IPC_OWNER
 * sees everything, as it may open everything.
 *
 * Return: true if @cred may see it.
 */
bool kipc_perm_visible(const struct kipc_perm *perm, const struct cred *cred,
		       bool ipc_owner)
{
	if (ipc_owner || kipc_perm_is_owner(perm, cred))
		return true;
	return !perm->anon && kipc_perm_mode_allows(perm, cred, KIPC_MAY_READ);
}
