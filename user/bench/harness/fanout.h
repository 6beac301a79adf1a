/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: fan-out (the fanout section). One publisher process sends a
 * stream of 64-byte messages that each of N subscriber processes (1, 4,
 * 16) must receive in full, three ways: one kipc broadcast queue (one send
 * per message), N plain kipc queues (the publisher sends N copies, one into
 * each subscriber's queue) and N AF_UNIX datagram sockets (one send per
 * subscriber). Reported: messages delivered per second, all subscribers
 * together, and the publisher's CPU time per published message.
 */
#ifndef KIPC_BENCH_FANOUT_H
#define KIPC_BENCH_FANOUT_H

#include <stdbool.h>
#include <stdint.h>

struct bench_options;

#define FANOUT_MSG_SIZE	64

struct fanout_row {
	const char *how;	/* "kipc-broadcast", "kipc-queue x N", "unix-dgram x N" */
	unsigned int subscribers;
	uint64_t published;	/* messages the publisher sent once each */
	uint64_t delivered;	/* receipts of all subscribers together */
	double delivered_per_s;
	double pub_cpu_ns;	/* publisher CPU per published message */
	bool ok;
	char note[96];
};

#define MAX_FANOUT_ROWS	9

struct fanout_result {
	bool measured;
	struct fanout_row rows[MAX_FANOUT_ROWS];
	unsigned int nrows;
};

void fanout_measure(const struct bench_options *o, struct fanout_result *out);

#endif
