// SPDX-License-Identifier: GPL-2.0
/* kipc-bench: verify mode's message format (see payload.h). */
#include <stdio.h>
#include <string.h>

#include "payload.h"

struct payload_header {
	uint32_t seq_word;
	uint32_t checksum;
};

/* splitmix64: a cheap, well-mixed 64-bit function of the word index. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint32_t checksum(uint32_t seq_word, const unsigned char *body, size_t len)
{
	uint64_t h = mix(((uint64_t)seq_word << 32) ^ len);
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, body + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
	}
	for (; i < len; i++)
		h = (h ^ body[i]) * 0x100000001b3ull;
	return (uint32_t)(h ^ (h >> 32));
}

static void fill_body(unsigned char *body, size_t len, uint32_t seq_word)
{
	uint64_t seed = mix(seq_word);
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w = mix(seed + i);

		memcpy(body + i, &w, 8);
	}
	for (; i < len; i++)
		body[i] = (unsigned char)mix(seed + i);
}

void payload_fill(void *buf, size_t len, unsigned int producer, uint32_t seq)
{
	struct payload_header h;
	unsigned char *body = (unsigned char *)buf + sizeof(h);
	size_t body_len = len - sizeof(h);

	h.seq_word = (uint32_t)producer << 24 | (seq & PAYLOAD_SEQ_MASK);
	fill_body(body, body_len, h.seq_word);
	h.checksum = checksum(h.seq_word, body, body_len);
	memcpy(buf, &h, sizeof(h));
}

int payload_check(const void *buf, size_t len, unsigned int *producer, uint32_t *seq,
		  char *why, size_t whylen)
{
	struct payload_header h;
	const unsigned char *body = (const unsigned char *)buf + sizeof(h);
	uint32_t sum;

	memcpy(&h, buf, sizeof(h));
	sum = checksum(h.seq_word, body, len - sizeof(h));
	if (sum != h.checksum) {
		snprintf(why, whylen,
			 "checksum mismatch in a %zu-byte message (header says producer %u seq %u: "
			 "sum %08x, computed %08x)", len, h.seq_word >> 24,
			 h.seq_word & PAYLOAD_SEQ_MASK, h.checksum, sum);
		return -1;
	}
	*producer = h.seq_word >> 24;
	*seq = h.seq_word & PAYLOAD_SEQ_MASK;
	return 0;
}

void payload_tracker_init(struct payload_tracker *t, unsigned int producers)
{
	memset(t, 0, sizeof(*t));
	t->producers = producers;
}

int payload_expect(struct payload_tracker *t, const void *buf, size_t len,
		   char *why, size_t whylen)
{
	unsigned int producer;
	uint32_t seq;

	if (payload_check(buf, len, &producer, &seq, why, whylen))
		return -1;
	if (producer >= t->producers) {
		snprintf(why, whylen, "message from producer %u, but only %u producers run",
			 producer, t->producers);
		return -1;
	}
	if (seq != (t->next[producer] & PAYLOAD_SEQ_MASK)) {
		snprintf(why, whylen,
			 "producer %u: expected message %u, got %u (lost, duplicated or reordered)",
			 producer, t->next[producer] & PAYLOAD_SEQ_MASK, seq);
		return -1;
	}
	t->next[producer]++;
	return 0;
}
