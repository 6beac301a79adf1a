// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: D-Bus through a private dbus-daemon, with libdbus
 * (the reference implementation, the library dbus-daemon itself is built
 * on). setup() starts the daemon (bus_link.c, dbus_daemon.c); every
 * participant opens its own connection to it and registers (Hello).
 *
 * Round trip: a method call. The consumer owns the well-known name
 * org.kipc.Bench; the producer calls its Echo method with the message as
 * a byte array ("ay") and the consumer replies with the same array. That is
 * what dbus_connection_send_with_reply_and_block() does, written out so it
 * fits send()/recv(): send the call, then pop messages until the return
 * whose reply serial is the call's. Each way crosses the daemon, so one
 * round trip is four UNIX stream socket hops plus marshalling, the
 * daemon's routing and policy check, and unmarshalling.
 *
 * One-way: signals. Each producer emits org.kipc.Bench.Data with the
 * message as "ay"; the consumer added a match rule for it, and the daemon
 * routes each signal to every connection whose rule matches. There is no
 * flow control but the daemon's memory: a bus drops a signal when the
 * receiver's queue is over max_outgoing_bytes (1 GB here, as the session
 * bus), so a fast producer runs ahead and the daemon queues.
 *
 * The harness's buffers are copied into and out of each message: libdbus
 * marshals into a message of its own, and that copy is part of what a
 * D-Bus user pays.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <dbus/dbus.h>

#include "bench.h"
#include "bus_link.h"

struct bench_endpoint {
	DBusConnection *conn;
	enum bench_pattern pattern;
	enum bench_role role;
	dbus_uint32_t call_serial;	/* producer: the call awaiting its return */
	DBusMessage *request;		/* consumer: the call to answer next */
};

static int fail_dbus(const char *what, DBusError *err)
{
	bench_fail("%s: %s", what, err->message ? err->message : "failed");
	dbus_error_free(err);
	errno = EPROTO;
	return -1;
}

/* The consumer's part of the contract, done before the start barrier. */
static int consumer_subscribe(struct bench_endpoint *ep)
{
	DBusError err;
	int rc;

	dbus_error_init(&err);
	if (ep->pattern == BENCH_ONE_WAY) {
		dbus_bus_add_match(ep->conn, DATA_MATCH, &err);
		return dbus_error_is_set(&err) ? fail_dbus("AddMatch", &err) : 0;
	}
	rc = dbus_bus_request_name(ep->conn, BENCH_BUS_NAME, DBUS_NAME_FLAG_DO_NOT_QUEUE, &err);
	if (dbus_error_is_set(&err))
		return fail_dbus("RequestName", &err);
	if (rc != DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER) {
		bench_fail("RequestName " BENCH_BUS_NAME ": not the owner (%d)", rc);
		return -1;
	}
	return 0;
}

static int dbus_attach(struct bench_link *link, enum bench_role role, unsigned int index,
		       struct bench_endpoint **epp)
{
	struct bench_endpoint *ep = calloc(1, sizeof(*ep));
	DBusError err;

	(void)index;
	if (!ep)
		return -1;
	ep->pattern = link->pattern;
	ep->role = role;
	dbus_error_init(&err);
	/* Private: the threads of one process must not share a connection. */
	ep->conn = dbus_connection_open_private(link->daemon.address, &err);
	if (!ep->conn)
		goto fail;
	dbus_connection_set_exit_on_disconnect(ep->conn, FALSE);
	if (!dbus_bus_register(ep->conn, &err))
		goto fail;
	if (role == BENCH_CONSUMER && consumer_subscribe(ep))
		goto fail_quiet;
	*epp = ep;
	return 0;
fail:
	fail_dbus("connect to the bus", &err);
fail_quiet:
	if (ep->conn) {
		dbus_connection_close(ep->conn);
		dbus_connection_unref(ep->conn);
	}
	free(ep);
	errno = EPROTO;
	return -1;
}

static void dbus_detach(struct bench_endpoint *ep)
{
	if (ep->request)
		dbus_message_unref(ep->request);
	dbus_connection_close(ep->conn);
	dbus_connection_unref(ep->conn);
	free(ep);
}

/* Append the payload, queue the message and write it out. Takes @msg. */
static int send_payload(struct bench_endpoint *ep, DBusMessage *msg, const void *buf,
			size_t len, dbus_uint32_t *serial)
{
	const unsigned char *bytes = buf;
	int rc = 0;

	if (!msg) {
		errno = ENOMEM;
		return -1;
	}
	if (!dbus_message_append_args(msg, DBUS_TYPE_ARRAY, DBUS_TYPE_BYTE, &bytes, (int)len,
				      DBUS_TYPE_INVALID) ||
	    !dbus_connection_send(ep->conn, msg, serial)) {
		errno = ENOMEM;
		rc = -1;
	}
	dbus_message_unref(msg);
	if (rc == 0)
		dbus_connection_flush(ep->conn);
	return rc;
}

static int dbus_send(struct bench_endpoint *ep, const void *buf, size_t len)
{
	DBusMessage *msg;

	if (ep->pattern == BENCH_ONE_WAY)
		return send_payload(ep, dbus_message_new_signal(BENCH_PATH, BENCH_IFACE, DATA_SIGNAL),
				    buf, len, NULL);
	if (ep->role == BENCH_PRODUCER)
		return send_payload(ep, dbus_message_new_method_call(BENCH_BUS_NAME, BENCH_PATH,
								     BENCH_IFACE, ECHO_METHOD),
				    buf, len, &ep->call_serial);
	if (!ep->request) {
		errno = EPROTO;
		return -1;
	}
	msg = dbus_message_new_method_return(ep->request);
	dbus_message_unref(ep->request);
	ep->request = NULL;
	return send_payload(ep, msg, buf, len, NULL);
}

/* Is @msg the one this endpoint waits for? Errors for our call fail the case. */
static int wanted(struct bench_endpoint *ep, DBusMessage *msg)
{
	if (ep->pattern == BENCH_ONE_WAY)
		return dbus_message_is_signal(msg, BENCH_IFACE, DATA_SIGNAL);
	if (ep->role == BENCH_CONSUMER)
		return dbus_message_is_method_call(msg, BENCH_IFACE, ECHO_METHOD);
	if (dbus_message_get_reply_serial(msg) != ep->call_serial)
		return 0;
	if (dbus_message_get_type(msg) == DBUS_MESSAGE_TYPE_ERROR) {
		bench_fail("Echo failed: %s", dbus_message_get_error_name(msg));
		return -1;
	}
	return dbus_message_get_type(msg) == DBUS_MESSAGE_TYPE_METHOD_RETURN;
}

/* Block until the next wanted message; others (NameAcquired) are dropped. */
static DBusMessage *next_wanted(struct bench_endpoint *ep)
{
	DBusMessage *msg;
	int w;

	for (;;) {
		msg = dbus_connection_pop_message(ep->conn);
		if (!msg) {
			if (!dbus_connection_read_write(ep->conn, -1)) {
				bench_fail("the bus connection closed");
				errno = ECONNRESET;
				return NULL;
			}
			continue;
		}
		w = wanted(ep, msg);
		if (w > 0)
			return msg;
		dbus_message_unref(msg);
		if (w < 0) {
			errno = EPROTO;
			return NULL;
		}
	}
}

static int dbus_recv(struct bench_endpoint *ep, void *buf, size_t len)
{
	DBusMessage *msg = next_wanted(ep);
	const unsigned char *bytes;
	DBusError err;
	int n;

	if (!msg)
		return -1;
	dbus_error_init(&err);
	if (!dbus_message_get_args(msg, &err, DBUS_TYPE_ARRAY, DBUS_TYPE_BYTE, &bytes, &n,
				   DBUS_TYPE_INVALID)) {
		dbus_message_unref(msg);
		return fail_dbus("message arguments", &err);
	}
	if ((size_t)n != len) {
		bench_fail("message of %d bytes, expected %zu", n, len);
		dbus_message_unref(msg);
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(buf, bytes, len);
	if (ep->pattern == BENCH_ROUND_TRIP && ep->role == BENCH_CONSUMER)
		ep->request = msg;	/* the reply is made from it */
	else
		dbus_message_unref(msg);
	return 0;
}

const struct bench_mech bench_mech_dbus = {
	.name = "dbus",
	.title = "D-Bus",
	.kind = BENCH_KIND_FRAMEWORK,
	.caps = BUS_LINK_CAPS,
	.how = "libdbus through a private dbus-daemon on a UNIX stream socket: "
	       "method call with an \"ay\" argument (round trip), signal + match rule (one-way)",
	.textbook = BUS_LINK_TEXTBOOK,
	.unavailable = bus_link_unavailable,
	.max_msg_size = bus_link_max_msg_size,
	.setup = bus_link_setup,
	.teardown = bus_link_teardown,
	.attach = dbus_attach,
	.detach = dbus_detach,
	.send = dbus_send,
	.recv = dbus_recv,
};
