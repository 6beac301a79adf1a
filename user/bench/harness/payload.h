/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: verify mode's message format. Every message starts with a
 * sequence word (producer number in the top 8 bits, its message count in the
 * low 24) and a checksum over that word, the length and the body; the body
 * is a pattern derived from the sequence word, so a message delivered twice,
 * lost, reordered, truncated or mixed with another fails the check.
 */
#ifndef KIPC_BENCH_PAYLOAD_H
#define KIPC_BENCH_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

#define PAYLOAD_MAX_PRODUCERS	64
#define PAYLOAD_SEQ_MASK	0xffffffu

/* Write message @seq of @producer into @buf (@len >= BENCH_MIN_MSG). */
void payload_fill(void *buf, size_t len, unsigned int producer, uint32_t seq);

/*
 * Check one message: return 0, or -1 with a sentence in @why. On success the
 * message's producer and sequence number are stored.
 */
int payload_check(const void *buf, size_t len, unsigned int *producer, uint32_t *seq,
		  char *why, size_t whylen);

/* Expected next sequence number of each producer, for the receiving side. */
struct payload_tracker {
	unsigned int producers;
	uint32_t next[PAYLOAD_MAX_PRODUCERS];
};

void payload_tracker_init(struct payload_tracker *t, unsigned int producers);
/* payload_check() plus: from a known producer, and its next message in order. */
int payload_expect(struct payload_tracker *t, const void *buf, size_t len,
		   char *why, size_t whylen);

#endif
