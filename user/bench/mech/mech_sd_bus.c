// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench mechanism: D-Bus through a private dbus-daemon, with systemd's
 * sd-bus instead of libdbus: the same bus, the same method call and signal
 * as mech_dbus.c, message for message, so the two rows differ only in the
 * client library. sd-bus needs no running systemd: a bus address is enough.
 *
 * The consumer's AddMatch is a plain call to the bus driver, not
 * sd_bus_add_match(), so no local callback runs; sd_bus_process() hands
 * back every message no callback took (calls, returns, signals), which is
 * how this file receives, as libdbus's dbus_connection_pop_message() does
 * in the other.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include "bench.h"
#include "bus_link.h"

struct bench_endpoint {
	sd_bus *bus;
	enum bench_pattern pattern;
	enum bench_role role;
	uint64_t call_cookie;		/* producer: the call awaiting its return */
	sd_bus_message *request;	/* consumer: the call to answer next */
};

/* sd-bus returns -errno; kipc-bench wants -1 and errno. */
static int fail_sd(const char *what, int r)
{
	errno = -r;
	bench_fail("%s: %m", what);
	return -1;
}

static int consumer_subscribe(struct bench_endpoint *ep)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int r;

	if (ep->pattern == BENCH_ONE_WAY)
		r = sd_bus_call_method(ep->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
				       "org.freedesktop.DBus", "AddMatch", &err, NULL, "s",
				       DATA_MATCH);
	else
		r = sd_bus_request_name(ep->bus, BENCH_BUS_NAME, 0);
	sd_bus_error_free(&err);
	return r < 0 ? fail_sd(ep->pattern == BENCH_ONE_WAY ? "AddMatch" : "RequestName", r) : 0;
}

static int sd_bus_attach(struct bench_link *link, enum bench_role role, unsigned int index,
			 struct bench_endpoint **epp)
{
	struct bench_endpoint *ep = calloc(1, sizeof(*ep));
	int r;

	(void)index;
	if (!ep)
		return -1;
	ep->pattern = link->pattern;
	ep->role = role;
	r = sd_bus_new(&ep->bus);
	if (r >= 0)
		r = sd_bus_set_address(ep->bus, link->daemon.address);
	if (r >= 0)
		r = sd_bus_set_bus_client(ep->bus, 1);
	if (r >= 0)
		r = sd_bus_start(ep->bus);
	if (r < 0) {
		fail_sd("connect to the bus", r);
		goto fail;
	}
	if (role == BENCH_CONSUMER && consumer_subscribe(ep))
		goto fail;
	*epp = ep;
	return 0;
fail:
	sd_bus_flush_close_unref(ep->bus);
	free(ep);
	return -1;
}

static void sd_bus_detach(struct bench_endpoint *ep)
{
	sd_bus_message_unref(ep->request);
	sd_bus_flush_close_unref(ep->bus);
	free(ep);
}

/* Append the payload and send; sd_bus_send() writes at once when it can. */
static int send_payload(struct bench_endpoint *ep, sd_bus_message *m, int r, const void *buf,
			size_t len, uint64_t *cookie)
{
	if (r >= 0)
		r = sd_bus_message_append_array(m, 'y', buf, len);
	if (r >= 0)
		r = sd_bus_send(ep->bus, m, cookie);
	if (r >= 0)
		r = sd_bus_flush(ep->bus);
	sd_bus_message_unref(m);
	return r < 0 ? fail_sd("send", r) : 0;
}

static int sd_bus_send_msg(struct bench_endpoint *ep, const void *buf, size_t len)
{
	sd_bus_message *m = NULL;
	int r;

	if (ep->pattern == BENCH_ONE_WAY) {
		r = sd_bus_message_new_signal(ep->bus, &m, BENCH_PATH, BENCH_IFACE, DATA_SIGNAL);
		return send_payload(ep, m, r, buf, len, NULL);
	}
	if (ep->role == BENCH_PRODUCER) {
		r = sd_bus_message_new_method_call(ep->bus, &m, BENCH_BUS_NAME, BENCH_PATH,
						   BENCH_IFACE, ECHO_METHOD);
		return send_payload(ep, m, r, buf, len, &ep->call_cookie);
	}
	if (!ep->request) {
		errno = EPROTO;
		return -1;
	}
	r = sd_bus_message_new_method_return(ep->request, &m);
	ep->request = sd_bus_message_unref(ep->request);
	return send_payload(ep, m, r, buf, len, NULL);
}

/* Is @m the one this endpoint waits for? Errors for our call fail the case. */
static int wanted(struct bench_endpoint *ep, sd_bus_message *m)
{
	uint64_t cookie;
	uint8_t type;

	if (ep->pattern == BENCH_ONE_WAY)
		return sd_bus_message_is_signal(m, BENCH_IFACE, DATA_SIGNAL) > 0;
	if (ep->role == BENCH_CONSUMER)
		return sd_bus_message_is_method_call(m, BENCH_IFACE, ECHO_METHOD) > 0;
	if (sd_bus_message_get_reply_cookie(m, &cookie) < 0 || cookie != ep->call_cookie)
		return 0;
	if (sd_bus_message_get_type(m, &type) < 0)
		return 0;
	if (type == SD_BUS_MESSAGE_METHOD_ERROR) {
		bench_fail("Echo failed: %s", sd_bus_message_get_error(m)->name);
		return -1;
	}
	return type == SD_BUS_MESSAGE_METHOD_RETURN;
}

/* Block until the next wanted message; others (NameAcquired) are dropped. */
static sd_bus_message *next_wanted(struct bench_endpoint *ep)
{
	sd_bus_message *m;
	int r, w;

	for (;;) {
		m = NULL;
		r = sd_bus_process(ep->bus, &m);
		if (r < 0) {
			fail_sd("sd_bus_process", r);
			return NULL;
		}
		if (!m) {
			if (r > 0)
				continue;	/* it did something else: ask again */
			r = sd_bus_wait(ep->bus, UINT64_MAX);
			if (r < 0 && r != -EINTR) {
				fail_sd("sd_bus_wait", r);
				return NULL;
			}
			continue;
		}
		w = wanted(ep, m);
		if (w > 0)
			return m;
		sd_bus_message_unref(m);
		if (w < 0) {
			errno = EPROTO;
			return NULL;
		}
	}
}

static int sd_bus_recv_msg(struct bench_endpoint *ep, void *buf, size_t len)
{
	sd_bus_message *m = next_wanted(ep);
	const void *bytes;
	size_t n;
	int r;

	if (!m)
		return -1;
	r = sd_bus_message_read_array(m, 'y', &bytes, &n);
	if (r < 0) {
		sd_bus_message_unref(m);
		return fail_sd("message arguments", r);
	}
	if (n != len) {
		bench_fail("message of %zu bytes, expected %zu", n, len);
		sd_bus_message_unref(m);
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(buf, bytes, len);
	if (ep->pattern == BENCH_ROUND_TRIP && ep->role == BENCH_CONSUMER)
		ep->request = m;	/* the reply is made from it */
	else
		sd_bus_message_unref(m);
	return 0;
}

const struct bench_mech bench_mech_sd_bus = {
	.name = "sd-bus",
	.title = "D-Bus sd-bus",
	.kind = BENCH_KIND_FRAMEWORK,
	.caps = BUS_LINK_CAPS,
	.how = "as dbus, with systemd's sd-bus as the client library",
	.textbook = BUS_LINK_TEXTBOOK,
	.unavailable = bus_link_unavailable,
	.max_msg_size = bus_link_max_msg_size,
	.setup = bus_link_setup,
	.teardown = bus_link_teardown,
	.attach = sd_bus_attach,
	.detach = sd_bus_detach,
	.send = sd_bus_send_msg,
	.recv = sd_bus_recv_msg,
};
