// SPDX-License-Identifier: GPL-2.0
/*
 * The message commands: "send NAME [MESSAGE]" puts one message into a named
 * queue, "recv NAME" takes messages out. Unlike the other commands they do
 * not speak netlink: a message goes through a queue descriptor (libkipc),
 * so the queue's mode bits decide, as for any program, whether the caller
 * may send (write) or receive (read).
 *
 * A queue created with credentials (--creds) carries each message's sender:
 * recv prints its pid, uid and gid, as the kernel translated them into the
 * caller's namespaces, between the length and the data.
 *
 * Received data is printed escaped, so that any message fits on one line
 * and in a JSON string: bytes 0x20..0x7e stand for themselves except the
 * backslash, which is doubled; every other byte is \xNN (two lower-case hex
 * digits).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libkipc.h>

#include "kipcctl.h"
#include "output.h"

struct msg_opts {
	uint32_t prio;
	uint32_t timeout_ms;
	bool timeout;
	bool nonblock;
	uint32_t count;
};

enum { OPT_PRIO = 256, OPT_TIMEOUT, OPT_NONBLOCK, OPT_COUNT };

/* Options of send (@recv false) or recv; KIPCCTL_CONTINUE or an exit code. */
static int msg_options(int argc, char **argv, bool recv, struct msg_opts *o)
{
	static const struct option send_longopts[] = {
		{ "prio",	required_argument, NULL, OPT_PRIO },
		{ "timeout",	required_argument, NULL, OPT_TIMEOUT },
		{ "nonblock",	no_argument,	   NULL, OPT_NONBLOCK },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option recv_longopts[] = {
		{ "timeout",	required_argument, NULL, OPT_TIMEOUT },
		{ "nonblock",	no_argument,	   NULL, OPT_NONBLOCK },
		{ "count",	required_argument, NULL, OPT_COUNT },
		{ "json",	no_argument,	   NULL, 'j' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->count = 1;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, recv ? ":jh" : ":h",
				recv ? recv_longopts : send_longopts, NULL)) != -1) {
		switch (c) {
		case OPT_PRIO:
			/* Checked here, before any system call, whatever the module. */
			if (parse_range("--prio", optarg, 0, KIPC_PRIO_MAX - 1, &o->prio))
				return KIPCCTL_EXIT_USAGE;
			break;
		case OPT_TIMEOUT:
			/* kipc_deadline() takes a long: keep it positive everywhere. */
			if (parse_range("--timeout", optarg, 0, INT32_MAX, &o->timeout_ms))
				return KIPCCTL_EXIT_USAGE;
			o->timeout = true;
			break;
		case OPT_NONBLOCK:
			o->nonblock = true;
			break;
		case OPT_COUNT:
			if (parse_range("--count", optarg, 1, UINT32_MAX, &o->count))
				return KIPCCTL_EXIT_USAGE;
			break;
		case 'j':
			opts.json = true;
			break;
		case 'h':
			return command_help(argv[0]);
		default:
			return bad_option(argv, c);
		}
	}
	if (o->timeout && o->nonblock)
		return usage_error("%s: --timeout and --nonblock exclude each other", argv[0]);
	if (argc - optind < 1)
		return usage_error("%s: missing argument", argv[0]);
	if (argc - optind > (recv ? 1 : 2))
		return usage_error("%s: unexpected argument '%s'", argv[0],
				   argv[optind + (recv ? 1 : 2)]);
	return KIPCCTL_CONTINUE;
}

/*
 * Report a failure of @verb on queue @name and return the exit code: 3
 * when there is no /dev/kipc at all, 4 for EAGAIN, 5 for ETIMEDOUT.
 */
static int msg_report(const char *verb, const char *name, int err)
{
	if (err == ENOENT && access(KIPC_DEVICE_PATH, F_OK)) {
		fprintf(stderr, "kipcctl: kipc is not available: no %s (is kipc.ko loaded?)\n",
			KIPC_DEVICE_PATH);
		return KIPCCTL_EXIT_NO_KIPC;
	}
	fprintf(stderr, "kipcctl: %s %s: ", verb, name);
	switch (err) {
	case EAGAIN:
		fputs(strcmp(verb, "send") ? "queue empty (--nonblock)\n" :
		      "queue full (--nonblock)\n", stderr);
		return KIPCCTL_EXIT_AGAIN;
	case ETIMEDOUT:
		fprintf(stderr, "%s (%s)\n", strerror(err),
			strcmp(verb, "send") ? "no message before the deadline" :
			"no room before the deadline");
		return KIPCCTL_EXIT_TIMEDOUT;
	case ENOENT:
		fprintf(stderr, "%s (no queue of that name in this IPC namespace)\n",
			strerror(err));
		break;
	default:
		fprintf(stderr, "%s\n", strerror(err));
	}
	return KIPCCTL_EXIT_FAILED;
}

static int msg_open(const char *verb, const char *name, int oflag, const struct msg_opts *o,
		    uint32_t *msgsize, uint32_t *options, int *fd)
{
	struct kipc_stats st;

	*fd = kipc_queue_open(name, oflag | (o->nonblock ? O_NONBLOCK : 0), 0, NULL);
	/* The kernel says EINVAL for a name of a shared buffer, too. */
	if (*fd < 0 && errno == EINVAL) {
		fprintf(stderr, "kipcctl: %s %s: %s (a malformed name, or not a message queue)\n",
			verb, name, strerror(errno));
		return KIPCCTL_EXIT_FAILED;
	}
	if (*fd < 0)
		return msg_report(verb, name, errno);
	if (kipc_get_stats(*fd, &st)) {
		int ret = msg_report(verb, name, errno);

		close(*fd);
		return ret;
	}
	*msgsize = st.msgsize;
	*options = st.options;
	return KIPCCTL_CONTINUE;
}

/* Standard input as one message: EMSGSIZE when it is longer than @max. */
static int read_stdin(char *buf, uint32_t max, size_t *len)
{
	ssize_t r;

	*len = 0;
	/* One byte more than fits tells a too long input from one that fits. */
	while (*len <= max) {
		r = read(STDIN_FILENO, buf + *len, (size_t)max + 1 - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno;
		if (!r)
			return 0;
		*len += r;
	}
	return EMSGSIZE;
}

/* EINVAL for a priority above 31 from a module older than ABI 4 says so. */
static bool old_abi_prio(int fd, uint32_t prio, uint32_t *abi)
{
	struct kipc_version ver;

	if (prio < KIPC_PRIO_MAX_V3 || kipc_get_version(fd, &ver))
		return false;
	*abi = ver.abi;
	return ver.abi < 4;
}

int cmd_send(int argc, char **argv)
{
	struct msg_opts o;
	struct timespec deadline;
	const char *name, *data;
	uint32_t msgsize, options, abi;
	char *buf = NULL;
	size_t len;
	int fd, ret, err;

	ret = msg_options(argc, argv, false, &o);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	name = argv[optind];
	ret = msg_open("send", name, O_WRONLY, &o, &msgsize, &options, &fd);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	if (optind + 1 < argc) {
		data = argv[optind + 1];
		len = strlen(data);
	} else {
		buf = malloc((size_t)msgsize + 1);
		if (!buf) {
			ret = msg_report("send", name, ENOMEM);
			goto out;
		}
		err = read_stdin(buf, msgsize, &len);
		if (err == EMSGSIZE) {
			fprintf(stderr, "kipcctl: send %s: %s (standard input is longer than the queue's msgsize, %u bytes)\n",
				name, strerror(err), msgsize);
			ret = KIPCCTL_EXIT_FAILED;
			goto out;
		}
		if (err) {
			fprintf(stderr, "kipcctl: send %s: standard input: %s\n", name,
				strerror(err));
			ret = KIPCCTL_EXIT_FAILED;
			goto out;
		}
		data = buf;
	}
	if (o.timeout) {
		kipc_deadline(&deadline, o.timeout_ms);
		ret = kipc_timedsend(fd, data, len, o.prio, &deadline);
	} else {
		ret = kipc_send(fd, data, len, o.prio);
	}
	if (!ret)
		goto out;
	err = errno;
	if (err == EINVAL && old_abi_prio(fd, o.prio, &abi)) {
		fprintf(stderr, "kipcctl: send %s: %s (priority %u needs a kipc module of ABI 4 or later; this one is ABI %u and takes 0 to %d)\n",
			name, strerror(err), o.prio, abi, KIPC_PRIO_MAX_V3 - 1);
		ret = KIPCCTL_EXIT_FAILED;
	} else if (err == EMSGSIZE) {
		fprintf(stderr, "kipcctl: send %s: %s (%zu bytes; the queue's msgsize is %u)\n",
			name, strerror(err), len, msgsize);
		ret = KIPCCTL_EXIT_FAILED;
	} else {
		ret = msg_report("send", name, err);
	}
out:
	free(buf);
	close(fd);
	return ret;
}

/* @len bytes of @data escaped (see the top of the file), NUL-terminated; NULL on ENOMEM. */
static char *escape(const unsigned char *data, size_t len)
{
	char *out = malloc(4 * len + 1), *p = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		if (data[i] == '\\') {
			*p++ = '\\';
			*p++ = '\\';
		} else if (data[i] >= 0x20 && data[i] <= 0x7e) {
			*p++ = data[i];
		} else {
			p += sprintf(p, "\\x%02x", data[i]);
		}
	}
	*p = '\0';
	return out;
}

/* {prio, len, [pid, uid, gid,] data}: the sender only if @from says it is known. */
static int add_message(struct json_object *arr, unsigned int prio, size_t len,
		       const struct kipc_sender *from, const char *data)
{
	struct json_object *m = json_object_new_object();
	bool creds = from && (from->flags & KIPC_HDR_CREDS);

	if (!m)
		return -ENOMEM;
	if (json_object_object_add(m, "prio", json_object_new_int64(prio)) ||
	    json_object_object_add(m, "len", json_object_new_int64(len)) ||
	    (creds && (json_object_object_add(m, "pid", json_object_new_int64(from->pid)) ||
		       json_object_object_add(m, "uid", json_object_new_int64(from->uid)) ||
		       json_object_object_add(m, "gid", json_object_new_int64(from->gid)))) ||
	    json_object_object_add(m, "data", json_object_new_string(data)) ||
	    json_object_array_add(arr, m)) {
		json_object_put(m);
		return -ENOMEM;
	}
	return 0;
}

int cmd_recv(int argc, char **argv)
{
	struct json_object *arr = NULL;
	struct kipc_sender from, *fromp;
	struct timespec deadline;
	struct msg_opts o;
	const char *name;
	unsigned int prio;
	uint32_t msgsize, options, got;
	char *buf = NULL, *text;
	int fd, ret, err = 0;
	ssize_t len;

	ret = msg_options(argc, argv, true, &o);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	name = argv[optind];
	ret = msg_open("recv", name, O_RDONLY, &o, &msgsize, &options, &fd);
	if (ret != KIPCCTL_CONTINUE)
		return ret;
	/* Only a queue that carries them has senders to print. */
	fromp = (options & KIPC_QUEUE_CREDS) ? &from : NULL;
	ret = KIPCCTL_EXIT_OK;
	buf = malloc(msgsize ? msgsize : 1);
	if (opts.json)
		arr = json_object_new_array();
	if (!buf || (opts.json && !arr)) {
		err = ENOMEM;
		goto out;
	}
	/* One deadline for the whole command, however many messages it takes. */
	if (o.timeout)
		kipc_deadline(&deadline, o.timeout_ms);
	for (got = 0; got < o.count; got++) {
		if (fromp)
			len = kipc_timedreceive_from(fd, buf, msgsize, &prio, fromp,
						     o.timeout ? &deadline : NULL);
		else
			len = o.timeout ? kipc_timedreceive(fd, buf, msgsize, &prio, &deadline) :
					  kipc_receive(fd, buf, msgsize, &prio);
		if (len < 0) {
			err = errno;
			break;
		}
		text = escape((unsigned char *)buf, len);
		if (!text) {
			err = ENOMEM;
			break;
		}
		if (arr) {
			if (add_message(arr, prio, len, fromp, text))
				err = ENOMEM;
		} else if (fromp && (from.flags & KIPC_HDR_CREDS)) {
			printf("%u\t%zd\t%d\t%u\t%u\t%s\n", prio, len, (int)from.pid,
			       (unsigned int)from.uid, (unsigned int)from.gid, text);
			if (fflush(stdout))
				err = errno;
		} else {
			/* Line by line, so that a reader of a pipe sees each message. */
			printf("%u\t%zd\t%s\n", prio, len, text);
			if (fflush(stdout))
				err = errno;
		}
		free(text);
		if (err)
			break;
	}
	/* Running out of messages ends the batch; only an empty batch fails. */
	if (got && (err == ETIMEDOUT || err == EAGAIN))
		err = 0;
	if (arr && json_print(arr)) {
		fprintf(stderr, "kipcctl: cannot print the result: %s\n", strerror(EIO));
		ret = KIPCCTL_EXIT_FAILED;
	}
out:
	if (err)
		ret = msg_report("recv", name, err);
	json_object_put(arr);
	free(buf);
	close(fd);
	return ret;
}
