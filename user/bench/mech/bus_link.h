/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: what the dbus (libdbus) and sd-bus mechanisms share: the
 * same private dbus-daemon per case, the same names, method and signal, the
 * same limits and textbook row. Only the client library differs between
 * mech_dbus.c and mech_sd_bus.c, so everything else lives here once.
 */
#ifndef KIPC_BENCH_BUS_LINK_H
#define KIPC_BENCH_BUS_LINK_H

#include "bench.h"
#include "dbus_daemon.h"

#define BENCH_BUS_NAME	"org.kipc.Bench"
#define BENCH_PATH	"/org/kipc/Bench"
#define BENCH_IFACE	"org.kipc.Bench"
#define ECHO_METHOD	"Echo"
#define DATA_SIGNAL	"Data"
#define DATA_MATCH	"type='signal',interface='" BENCH_IFACE "',member='" DATA_SIGNAL "'"

/*
 * Named only: dbus and sd-bus together take 2.3 times as long as every
 * stock mechanism together (natively, pinned: 13.7 s against 5.8 s),
 * so in the default selection they would triple make bench.
 */
#define BUS_LINK_CAPS	(BENCH_CAP_THREADS | BENCH_CAP_MULTI_PRODUCER | BENCH_CAP_NAMED_ONLY)

#define BUS_LINK_TEXTBOOK { "D-Bus", "small messages", "no", \
			    "desktop and system services: method calls, signals", \
			    "slow" }

/* Shared (bench_shared_alloc): the daemon's helper writes its pid here. */
struct bench_link {
	struct dbus_daemon daemon;
	enum bench_pattern pattern;
};

/* The bench_mech hooks both mechanisms use as they are. */
const char *bus_link_unavailable(void);
size_t bus_link_max_msg_size(const struct bench_config *cfg);
int bus_link_setup(struct bench_link **linkp, const struct bench_config *cfg);
void bus_link_teardown(struct bench_link *link);

#endif /* KIPC_BENCH_BUS_LINK_H */
