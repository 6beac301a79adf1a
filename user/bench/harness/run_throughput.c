// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the one-way case. Producers 0..N-1 each send warm-up messages
 * and then the timed ones; the consumer (participant N) receives them all.
 * A barrier after the warm-up (the consumer reaches it once it drained every
 * warm-up message) starts the consumer's clock; it stops at the last timed
 * message. Throughput = timed messages / that span. Every participant
 * measures its CPU time over its timed part.
 *
 * Data path, best first: for messages of 4 KiB and more the zero-copy ring
 * calls (the producer fills the slot, the consumer reads it in place);
 * otherwise send_batch/recv_batch with cfg.batch messages per call, the
 * zero-copy calls, or send()/recv(). In verify mode each
 * producer writes a fresh payload per message and the consumer checks every
 * message's checksum and per-producer sequence.
 */
#include <stdlib.h>
#include <string.h>

#include "case_shared.h"
#include "msgbuf.h"
#include "participants.h"
#include "payload.h"

struct throughput_run {
	const struct bench_case *c;
	struct case_shared *sh;
	struct bench_link *link;
};

struct batch {
	struct bench_msg *msgs;
	unsigned int n;
};

/* From this size on, a ring's users write in place rather than copy twice. */
#define ZERO_COPY_MIN	4096

static bool batching(const struct bench_case *c)
{
	if (c->mech->send_reserve && c->cfg.msg_size >= ZERO_COPY_MIN)
		return false;
	return c->mech->send_batch && c->mech->recv_batch && c->cfg.batch > 1;
}

static void batch_free(const struct bench_case *c, struct batch *b)
{
	unsigned int i;

	if (!b->msgs)
		return;
	for (i = 0; i < b->n; i++)
		msgbuf_free(c->mech, b->msgs[i].buf);
	free(b->msgs);
	b->msgs = NULL;
}

static int batch_alloc(const struct bench_case *c, struct batch *b)
{
	unsigned int i;

	b->n = batching(c) ? c->cfg.batch : 1;
	b->msgs = calloc(b->n, sizeof(*b->msgs));
	if (!b->msgs)
		goto fail;
	for (i = 0; i < b->n; i++) {
		b->msgs[i].len = c->cfg.msg_size;
		b->msgs[i].buf = msgbuf_alloc(c->mech, c->cfg.msg_size);
		if (!b->msgs[i].buf)
			goto fail;
	}
	return 0;
fail:
	batch_free(c, b);
	bench_fail("out of memory for message buffers");
	return -1;
}

/* Send @count messages of producer @index, numbered from *@seq. */
static int produce(const struct bench_case *c, struct bench_endpoint *ep, struct batch *b,
		   unsigned int index, uint32_t *seq, uint64_t count)
{
	const struct bench_mech *m = c->mech;
	size_t len = c->cfg.msg_size;
	uint64_t sent = 0;

	while (sent < count) {
		unsigned int i, n = b->n;

		if (n > count - sent)
			n = (unsigned int)(count - sent);
		if (c->verify)
			for (i = 0; i < n; i++)
				payload_fill(b->msgs[i].buf, len, index, (*seq)++);
		if (batching(c)) {
			if (m->send_batch(ep, b->msgs, n))
				return case_fail_errno("send_batch"), -1;
		} else if (m->send_reserve) {
			void *slot = m->send_reserve(ep, len);

			if (!slot)
				return case_fail_errno("send_reserve"), -1;
			memcpy(slot, b->msgs[0].buf, len);
			if (m->send_commit(ep, len))
				return case_fail_errno("send_commit"), -1;
		} else if (m->send(ep, b->msgs[0].buf, len)) {
			return case_fail_errno("send"), -1;
		}
		sent += n;
	}
	return 0;
}

/* Receive @count messages from any producer. */
static int consume(const struct bench_case *c, struct bench_endpoint *ep, struct batch *b,
		   struct payload_tracker *t, uint64_t count)
{
	const struct bench_mech *m = c->mech;
	size_t len = c->cfg.msg_size;
	uint64_t got = 0;

	while (got < count) {
		unsigned int i, want = b->n;
		int n = 1;

		if (want > count - got)
			want = (unsigned int)(count - got);
		if (batching(c)) {
			n = m->recv_batch(ep, b->msgs, want);
			if (n <= 0)
				return case_fail_errno("recv_batch"), -1;
			for (i = 0; c->verify && i < (unsigned int)n; i++)
				if (case_verify_payload(t, b->msgs[i].buf, len))
					return -1;
		} else if (m->recv_acquire) {
			const void *msg = m->recv_acquire(ep, len);

			if (!msg)
				return case_fail_errno("recv_acquire"), -1;
			if (c->verify && case_verify_payload(t, msg, len))
				return -1;
			if (m->recv_release(ep))
				return case_fail_errno("recv_release"), -1;
		} else {
			if (m->recv(ep, b->msgs[0].buf, len))
				return case_fail_errno("recv"), -1;
			if (c->verify && case_verify_payload(t, b->msgs[0].buf, len))
				return -1;
		}
		got += (uint64_t)n;
	}
	return 0;
}

static int producer(struct throughput_run *run, struct bench_endpoint *ep, unsigned int index)
{
	const struct bench_case *c = run->c;
	struct case_shared *sh = run->sh;
	struct batch b = { NULL, 0 };
	struct cpu_time cpu;
	uint32_t seq = 0;
	unsigned int i;
	int rc = -1;

	if (batch_alloc(c, &b))
		return -1;
	if (!c->verify)
		for (i = 0; i < b.n; i++)
			payload_fill(b.msgs[i].buf, c->cfg.msg_size, index, 0);
	pthread_barrier_wait(&sh->start);
	if (produce(c, ep, &b, index, &seq, c->warmup))
		goto out;
	pthread_barrier_wait(&sh->warm);
	cpu = cpu_time_now();
	if (produce(c, ep, &b, index, &seq, c->iterations))
		goto out;
	sh->part[index].cpu = cpu_time_since(cpu);
	sh->part[index].done = true;
	rc = 0;
out:
	batch_free(c, &b);
	return rc;
}

static int consumer(struct throughput_run *run, struct bench_endpoint *ep, unsigned int index)
{
	const struct bench_case *c = run->c;
	struct case_shared *sh = run->sh;
	unsigned int producers = c->cfg.producers;
	struct payload_tracker t;
	struct batch b = { NULL, 0 };
	struct cpu_time cpu;
	uint64_t t0;
	int rc = -1;

	payload_tracker_init(&t, producers);
	if (batch_alloc(c, &b))
		return -1;
	pthread_barrier_wait(&sh->start);
	if (consume(c, ep, &b, &t, c->warmup * producers))
		goto out;
	pthread_barrier_wait(&sh->warm);
	cpu = cpu_time_now();
	t0 = now_ns();
	if (consume(c, ep, &b, &t, c->iterations * producers))
		goto out;
	sh->elapsed_ns = now_ns() - t0;
	sh->part[index].cpu = cpu_time_since(cpu);
	sh->part[index].done = true;
	rc = 0;
out:
	batch_free(c, &b);
	return rc;
}

static int participant(void *arg, unsigned int index)
{
	struct throughput_run *run = arg;
	const struct bench_mech *m = run->c->mech;
	bool is_consumer = index == run->c->cfg.producers;
	struct bench_endpoint *ep;
	int rc;

	if (m->attach(run->link, is_consumer ? BENCH_CONSUMER : BENCH_PRODUCER,
		      is_consumer ? 0 : index, &ep)) {
		case_fail_errno("attach");
		return -1;
	}
	rc = is_consumer ? consumer(run, ep, index) : producer(run, ep, index);
	m->detach(ep);
	return rc;
}

int throughput_case_run(const struct bench_case *c, struct case_shared *sh)
{
	struct throughput_run run = { c, sh, NULL };
	unsigned int n = c->cfg.producers + 1;
	int rc;

	if (shared_barrier_init(&sh->start, n) || shared_barrier_init(&sh->warm, n)) {
		bench_fail("cannot make a barrier");
		return -1;
	}
	if (c->mech->setup(&run.link, &c->cfg)) {
		case_fail_errno("setup");
		return -1;
	}
	rc = participants_run(c->cfg.threads, n, participant, &run);
	c->mech->teardown(run.link);
	return rc;
}
