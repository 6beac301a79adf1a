// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: the private bus of a dbus or sd-bus case (bus_link.h). */
#include "bus_link.h"

const char *bus_link_unavailable(void)
{
	return dbus_daemon_missing();
}

/* A D-Bus array holds at most 64 MiB; stay well inside a message's limits. */
size_t bus_link_max_msg_size(const struct bench_config *cfg)
{
	(void)cfg;
	return 32u << 20;
}

int bus_link_setup(struct bench_link **linkp, const struct bench_config *cfg)
{
	struct bench_link *link = bench_shared_alloc(sizeof(*link));

	if (!link)
		return -1;
	link->pattern = cfg->pattern;
	if (dbus_daemon_start(&link->daemon)) {
		dbus_daemon_stop(&link->daemon);
		bench_shared_free(link, sizeof(*link));
		return -1;
	}
	*linkp = link;
	return 0;
}

void bus_link_teardown(struct bench_link *link)
{
	dbus_daemon_stop(&link->daemon);
	bench_shared_free(link, sizeof(*link));
}
