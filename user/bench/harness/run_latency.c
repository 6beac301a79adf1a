// SPDX-License-Identifier: GPL-2.0
/*
 * kipc-bench: the round-trip case. Producer 0 sends a request and waits for
 * the reply; the consumer echoes every request back. The producer reads the
 * clock once per round trip, so each sample is one round trip plus one
 * clock read (subtracted later, see stats.c). Both sides measure their CPU
 * time over the timed round trips.
 *
 * Data path per side, best first: send_recv (one call), the zero-copy ring
 * calls (the message is produced into the slot and read in place), or
 * send()+recv(). In verify mode the producer writes a fresh payload for
 * every request and checks the reply; the consumer checks each request.
 */
#include <stdio.h>
#include <string.h>

#include "case_shared.h"
#include "msgbuf.h"
#include "participants.h"
#include "payload.h"

struct latency_run {
	const struct bench_case *c;
	struct case_shared *sh;
	struct bench_link *link;
};

/* One request out, its reply in. */
static int producer_round_trip(const struct bench_case *c, struct bench_endpoint *ep,
			       void *out, void *in, uint32_t seq, struct payload_tracker *t)
{
	const struct bench_mech *m = c->mech;
	size_t len = c->cfg.msg_size;

	if (c->verify)
		payload_fill(out, len, 0, seq);
	if (m->send_recv) {
		if (m->send_recv(ep, out, in, len))
			return case_fail_errno("send_recv"), -1;
	} else if (m->send_reserve) {
		void *slot = m->send_reserve(ep, len);
		const void *reply;

		if (!slot)
			return case_fail_errno("send_reserve"), -1;
		memcpy(slot, out, len);
		if (m->send_commit(ep, len))
			return case_fail_errno("send_commit"), -1;
		reply = m->recv_acquire(ep, len);
		if (!reply)
			return case_fail_errno("recv_acquire"), -1;
		if (c->verify && case_verify_payload(t, reply, len))
			return -1;
		return m->recv_release(ep) ? case_fail_errno("recv_release"), -1 : 0;
	} else {
		if (m->send(ep, out, len))
			return case_fail_errno("send"), -1;
		if (m->recv(ep, in, len))
			return case_fail_errno("recv"), -1;
	}
	return c->verify ? case_verify_payload(t, in, len) : 0;
}

static int producer(struct latency_run *run, struct bench_endpoint *ep)
{
	const struct bench_case *c = run->c;
	struct case_shared *sh = run->sh;
	void *out = msgbuf_alloc(c->mech, c->cfg.msg_size);
	void *in = msgbuf_alloc(c->mech, c->cfg.msg_size);
	struct payload_tracker replies;
	struct cpu_time cpu;
	uint64_t i, t, t2;
	uint32_t seq = 0;
	int rc = -1;

	payload_tracker_init(&replies, 1);
	if (!out || !in) {
		bench_fail("out of memory for message buffers");
		goto out;
	}
	if (!c->verify)	/* one payload for every request: it is not checked */
		payload_fill(out, c->cfg.msg_size, 0, 0);
	pthread_barrier_wait(&sh->start);
	for (i = 0; i < c->warmup; i++)
		if (producer_round_trip(c, ep, out, in, seq++, &replies))
			goto out;
	cpu = cpu_time_now();
	t = now_ns();
	for (i = 0; i < c->iterations; i++) {
		if (producer_round_trip(c, ep, out, in, seq++, &replies))
			goto out;
		t2 = now_ns();
		sh->samples[i] = t2 - t;
		t = t2;
	}
	sh->part[0].cpu = cpu_time_since(cpu);
	sh->part[0].done = true;
	rc = 0;
out:
	msgbuf_free(c->mech, out);
	msgbuf_free(c->mech, in);
	return rc;
}

/* Take one request and send it back; @first: no reply is owed yet. */
static int consumer_echo(const struct bench_case *c, struct bench_endpoint *ep, void *buf,
			 struct payload_tracker *t, bool first, bool last)
{
	const struct bench_mech *m = c->mech;
	size_t len = c->cfg.msg_size;

	if (m->send_recv) {
		/* The previous reply goes out with the wait for this request. */
		if (first ? m->recv(ep, buf, len) : m->send_recv(ep, buf, buf, len))
			return case_fail_errno(first ? "recv" : "send_recv"), -1;
		if (c->verify && case_verify_payload(t, buf, len))
			return -1;
		if (last && m->send(ep, buf, len))
			return case_fail_errno("send"), -1;
		return 0;
	}
	if (m->recv_acquire) {
		const void *req = m->recv_acquire(ep, len);
		void *slot;

		if (!req)
			return case_fail_errno("recv_acquire"), -1;
		if (c->verify && case_verify_payload(t, req, len))
			return -1;
		slot = m->send_reserve(ep, len);
		if (!slot)
			return case_fail_errno("send_reserve"), -1;
		memcpy(slot, req, len);
		if (m->send_commit(ep, len))
			return case_fail_errno("send_commit"), -1;
		return m->recv_release(ep) ? case_fail_errno("recv_release"), -1 : 0;
	}
	if (m->recv(ep, buf, len))
		return case_fail_errno("recv"), -1;
	if (c->verify && case_verify_payload(t, buf, len))
		return -1;
	return m->send(ep, buf, len) ? case_fail_errno("send"), -1 : 0;
}

static int consumer(struct latency_run *run, struct bench_endpoint *ep)
{
	const struct bench_case *c = run->c;
	struct case_shared *sh = run->sh;
	void *buf = msgbuf_alloc(c->mech, c->cfg.msg_size);
	uint64_t i, total = c->warmup + c->iterations;
	struct payload_tracker requests;
	struct cpu_time cpu = { 0, 0, 0, 0, 0, 0 };
	int rc = -1;

	payload_tracker_init(&requests, 1);
	if (!buf) {
		bench_fail("out of memory for a message buffer");
		return -1;
	}
	pthread_barrier_wait(&sh->start);
	for (i = 0; i < total; i++) {
		if (i == c->warmup)
			cpu = cpu_time_now();
		if (consumer_echo(c, ep, buf, &requests, i == 0, i + 1 == total))
			goto out;
	}
	sh->part[1].cpu = cpu_time_since(cpu);
	sh->part[1].done = true;
	rc = 0;
out:
	msgbuf_free(c->mech, buf);
	return rc;
}

static int participant(void *arg, unsigned int index)
{
	struct latency_run *run = arg;
	const struct bench_mech *m = run->c->mech;
	enum bench_role role = index == 0 ? BENCH_PRODUCER : BENCH_CONSUMER;
	struct bench_endpoint *ep;
	int rc;

	if (m->attach(run->link, role, 0, &ep)) {
		case_fail_errno("attach");
		return -1;
	}
	rc = role == BENCH_PRODUCER ? producer(run, ep) : consumer(run, ep);
	m->detach(ep);
	return rc;
}

int latency_case_run(const struct bench_case *c, struct case_shared *sh)
{
	struct latency_run run = { c, sh, NULL };
	int rc;

	if (shared_barrier_init(&sh->start, 2)) {
		bench_fail("cannot make a barrier");
		return -1;
	}
	if (c->mech->setup(&run.link, &c->cfg)) {
		case_fail_errno("setup");
		return -1;
	}
	rc = participants_run(c->cfg.threads, 2, participant, &run);
	c->mech->teardown(run.link);
	return rc;
}
