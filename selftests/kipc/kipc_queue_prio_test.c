// SPDX-License-Identifier: GPL-2.0
/*
 * The full POSIX priority range, 0 .. KIPC_PRIO_MAX - 1 (32767).
 *
 * The module keeps priorities below 32 in a fixed array of lists and
 * those above in a tree of per-priority nodes (kmod/queue.c): these tests
 * cross that boundary every way a message can. Every entry point refuses
 * KIPC_PRIO_MAX and above; messages come out highest priority first and
 * FIFO within one, whichever side of 32 they are on; a message put back
 * by a faulting receive keeps its place; a batch mixes both sides; a
 * queue destroyed full of distinct high priorities gives its budget back
 * (the debug kernel's kmemleak, in CI, finds any node it kept).
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "kipc_hostile.h"

#define NMSG	2000

struct tagged {
	__u32 prio;
	__u32 seq;
};

static int batch(int fd, unsigned long cmd, struct kipc_mvec *vec, __u32 count,
		 __u32 flags)
{
	struct kipc_batch b = {
		.size = sizeof(b),
		.flags = flags,
		.vec = (uintptr_t)vec,
		.count = count,
	};

	return kt_err(ioctl(fd, cmd, &b));
}

static int sendrecv(int sfd, int rfd, const void *out, __u32 prio, void *in,
		    __u32 cap, __u32 *rprio)
{
	struct kipc_sendrecv sr = {
		.size = sizeof(sr),
		.flags = KIPC_MSG_NONBLOCK,
		.recv_fd = rfd,
		.send_buf = (uintptr_t)out,
		.send_len = 1,
		.send_prio = prio,
		.recv_buf = (uintptr_t)in,
		.recv_len = cap,
	};
	int ret = kt_err(ioctl(sfd, KIPC_IOC_SENDRECV, &sr));

	if (rprio)
		*rprio = sr.recv_prio;
	return ret;
}

static __u32 curmsgs(int fd)
{
	struct kipc_stats st;

	return kt_stats(fd, &st) ? ~0u : st.curmsgs;
}

/* Highest priority first, then in the order sent. */
static int by_prio_then_seq(const void *a, const void *b)
{
	const struct tagged *x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio > y->prio ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

TEST(every_entry_refuses_prio_max_and_above)
{
	static const __u32 bad[] = { KIPC_PRIO_MAX, KIPC_PRIO_MAX + 1, 0x10000,
				     0x80000000u, 0xffffffffu };
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 16, 8);
	int reply = kt_anon(O_RDWR | O_NONBLOCK, 16, 8);
	char c = 'x', in[8];
	struct kipc_mvec v[2];
	__u32 prio;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, reply);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, kt_send(fd, &c, 1, bad[i], 0, 0));
		v[0] = (struct kipc_mvec){ (uintptr_t)&c, 1, bad[i] };
		EXPECT_EQ(-EINVAL, batch(fd, KIPC_IOC_SEND_BATCH, v, 1, 0));
		EXPECT_EQ(-EINVAL, sendrecv(fd, reply, &c, bad[i], in, sizeof(in), NULL));
		EXPECT_EQ(0, curmsgs(fd)) TH_LOG("prio %#x was queued", bad[i]);
	}
	/* a batch sends what comes before its first bad entry */
	v[0] = (struct kipc_mvec){ (uintptr_t)&c, 1, KIPC_PRIO_MAX - 1 };
	v[1] = (struct kipc_mvec){ (uintptr_t)&c, 1, KIPC_PRIO_MAX };
	EXPECT_EQ(1, batch(fd, KIPC_IOC_SEND_BATCH, v, 2, 0));
	EXPECT_EQ(1, curmsgs(fd));
	/* the top of the range goes through every entry */
	EXPECT_EQ(0, kt_send(fd, &c, 1, KIPC_PRIO_MAX - 1, 0, 0));
	EXPECT_EQ(0, kt_send(reply, "r", 1, KIPC_PRIO_MAX - 1, 0, 0));
	EXPECT_EQ(1, sendrecv(fd, reply, &c, KIPC_PRIO_MAX - 1, in, sizeof(in), &prio));
	EXPECT_EQ(KIPC_PRIO_MAX - 1, prio);
	EXPECT_EQ(3, curmsgs(fd));
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(1, kt_recv(fd, in, sizeof(in), &prio, 0, 0));
		EXPECT_EQ(KIPC_PRIO_MAX - 1, prio);
	}
	close(reply);
	close(fd);
}

TEST(the_boundary_between_31_and_32)
{
	static const struct { __u32 prio; char c; } sent[] = {
		{ 31, 'a' }, { 32, 'b' }, { 31, 'c' }, { 0, 'd' }, { 32, 'e' },
		{ 33, 'f' }, { KIPC_PRIO_MAX - 1, 'g' }, { 30, 'h' }, { 32, 'i' },
	};
	static const char order[] = "gfbeiachd";
	__u32 prio;
	char c;
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 16, 8);

	ASSERT_LE(0, fd);
	for (unsigned int i = 0; i < sizeof(sent) / sizeof(sent[0]); i++)
		ASSERT_EQ(0, kt_send(fd, &sent[i].c, 1, sent[i].prio, 0, 0));
	for (unsigned int i = 0; i < sizeof(order) - 1; i++) {
		ASSERT_EQ(1, kt_recv(fd, &c, 1, &prio, 0, 0));
		EXPECT_EQ(order[i], c);
		for (unsigned int j = 0; j < sizeof(sent) / sizeof(sent[0]); j++)
			if (sent[j].c == c)
				EXPECT_EQ(sent[j].prio, prio);
	}
	EXPECT_EQ(-EAGAIN, kt_recv(fd, &c, 1, NULL, 0, 0));
	close(fd);
}

/*
 * NMSG messages at random priorities over the whole range, a third of
 * them in 0..31 and a third among a few high values (so that many share
 * a priority), sent one by one and in batches, drained one by one and in
 * batches: exactly the stable sort of what was sent.
 */
TEST(random_priorities_drain_in_order)
{
	static const __u32 few[] = { 32, 100, 5000, 32766, KIPC_PRIO_MAX - 1 };
	struct tagged *sent = calloc(NMSG, sizeof(*sent));
	struct tagged *got = calloc(NMSG, sizeof(*got));
	struct kipc_mvec v[40];
	unsigned int seed = 18, n = 0, k;
	int fd = kt_anon(O_RDWR | O_NONBLOCK, NMSG, sizeof(struct tagged));

	ASSERT_NE(NULL, sent);
	ASSERT_NE(NULL, got);
	if (fd == -EINVAL)
		SKIP(return, "msg_max below %d", NMSG);
	ASSERT_LE(0, fd);
	for (__u32 i = 0; i < NMSG; i++) {
		int r = rand_r(&seed);

		sent[i].seq = i;
		switch (r % 3) {
		case 0:
			sent[i].prio = (r / 3) % 32;
			break;
		case 1:
			sent[i].prio = few[(r / 3) % 5];
			break;
		default:
			sent[i].prio = (r / 3) % KIPC_PRIO_MAX;
		}
	}
	while (n < NMSG) {
		if (n % 200 < 100) {
			ASSERT_EQ(0, kt_send(fd, &sent[n], sizeof(sent[n]), sent[n].prio, 0, 0));
			n++;
			continue;
		}
		/* batches of up to 40 cross KQ_VEC_CHUNK (16) */
		k = NMSG - n < 40 ? NMSG - n : 40;
		for (unsigned int i = 0; i < k; i++)
			v[i] = (struct kipc_mvec){ (uintptr_t)&sent[n + i],
						   sizeof(sent[0]), sent[n + i].prio };
		ASSERT_EQ(k, batch(fd, KIPC_IOC_SEND_BATCH, v, k, 0));
		n += k;
	}
	ASSERT_EQ(NMSG, curmsgs(fd));
	for (n = 0; n < NMSG; ) {
		if (n % 300 < 150) {
			__u32 prio;

			ASSERT_EQ(sizeof(got[n]), kt_recv(fd, &got[n], sizeof(got[n]), &prio, 0, 0));
			EXPECT_EQ(got[n].prio, prio);
			n++;
			continue;
		}
		k = NMSG - n < 30 ? NMSG - n : 30;
		for (unsigned int i = 0; i < k; i++)
			v[i] = (struct kipc_mvec){ (uintptr_t)&got[n + i], sizeof(got[0]), 0 };
		ASSERT_EQ(k, batch(fd, KIPC_IOC_RECV_BATCH, v, k, 0));
		for (unsigned int i = 0; i < k; i++)
			EXPECT_EQ(got[n + i].prio, v[i].prio);
		n += k;
	}
	EXPECT_EQ(0, curmsgs(fd));
	qsort(sent, NMSG, sizeof(*sent), by_prio_then_seq);
	for (n = 0; n < NMSG; n++) {
		if (sent[n].prio != got[n].prio || sent[n].seq != got[n].seq) {
			TH_LOG("message %u: got prio %u seq %u, expected prio %u seq %u",
			       n, got[n].prio, got[n].seq, sent[n].prio, sent[n].seq);
			break;
		}
	}
	EXPECT_EQ(NMSG, n);
	close(fd);
	free(sent);
	free(got);
}

/* One batch of 48 with low and high priorities interleaved. */
TEST(a_batch_mixing_low_and_high_priorities)
{
	static const __u32 prios[] = { 0, 40, 31, 32767, 5, 40, 32, 31, 1000, 0, 32, 1000 };
	const unsigned int np = sizeof(prios) / sizeof(prios[0]);
	struct tagged out[48], in[48], want[48];
	struct kipc_mvec v[48];
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 64, sizeof(struct tagged));

	ASSERT_LE(0, fd);
	for (unsigned int i = 0; i < 48; i++) {
		out[i] = (struct tagged){ prios[i % np], i };
		v[i] = (struct kipc_mvec){ (uintptr_t)&out[i], sizeof(out[i]), out[i].prio };
	}
	ASSERT_EQ(48, batch(fd, KIPC_IOC_SEND_BATCH, v, 48, 0));
	for (unsigned int i = 0; i < 48; i++)
		v[i] = (struct kipc_mvec){ (uintptr_t)&in[i], sizeof(in[i]), 0 };
	ASSERT_EQ(48, batch(fd, KIPC_IOC_RECV_BATCH, v, 48, 0));
	memcpy(want, out, sizeof(out));
	qsort(want, 48, sizeof(want[0]), by_prio_then_seq);
	for (unsigned int i = 0; i < 48; i++) {
		EXPECT_EQ(want[i].prio, v[i].prio);
		EXPECT_EQ(want[i].seq, in[i].seq);
	}
	close(fd);
}

/*
 * A receive whose copy-out faults puts the message back at the head of
 * its priority: alone in a high priority (the priority's node was emptied
 * and must come back), ahead of another of its priority, and in a batch
 * whose second buffer faults.
 */
TEST(a_faulting_receive_keeps_the_place_among_high_priorities)
{
	size_t psz = sysconf(_SC_PAGESIZE);
	char *ro = mmap(NULL, psz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct kipc_mvec v[3];
	char c, in[3];
	__u32 prio;
	int fd = kt_anon(O_RDWR | O_NONBLOCK, 16, 8);

	ASSERT_NE(MAP_FAILED, ro);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_send(fd, "Z", 1, 40, 0, 0));
	ASSERT_EQ(0, kt_send(fd, "X", 1, 20000, 0, 0));
	ASSERT_EQ(0, kt_send(fd, "x", 1, 20000, 0, 0));
	ASSERT_EQ(0, kt_send(fd, "Y", 1, 20001, 0, 0));
	ASSERT_EQ(0, kt_send(fd, "L", 1, 31, 0, 0));

	/* Y alone at 20001 */
	EXPECT_EQ(-EFAULT, kt_recv(fd, ro, 8, NULL, 0, 0));
	EXPECT_EQ(5, curmsgs(fd));
	ASSERT_EQ(1, kt_recv(fd, &c, 1, &prio, 0, 0));
	EXPECT_EQ('Y', c);
	EXPECT_EQ(20001, prio);
	/* X ahead of x at 20000, and a newer message of its priority behind both */
	EXPECT_EQ(-EFAULT, kt_recv(fd, ro, 8, NULL, 0, 0));
	ASSERT_EQ(0, kt_send(fd, "w", 1, 20000, 0, 0));
	/* a batch: X is received, x (its buffer read-only) goes back, and what follows */
	v[0] = (struct kipc_mvec){ (uintptr_t)&in[0], 1, 0 };
	v[1] = (struct kipc_mvec){ (uintptr_t)ro, 1, 0 };
	v[2] = (struct kipc_mvec){ (uintptr_t)&in[2], 1, 0 };
	EXPECT_EQ(1, batch(fd, KIPC_IOC_RECV_BATCH, v, 3, 0));
	EXPECT_EQ('X', in[0]);
	EXPECT_EQ(20000, v[0].prio);
	for (const char *p = "xwZL"; *p; p++) {
		ASSERT_EQ(1, kt_recv(fd, &c, 1, &prio, 0, 0)) TH_LOG("expected %c", *p);
		EXPECT_EQ(*p, c);
	}
	EXPECT_EQ(0, curmsgs(fd));
	/* the emptied priorities work as new */
	ASSERT_EQ(0, kt_send(fd, "n", 1, 20001, 0, 0));
	ASSERT_EQ(1, kt_recv(fd, &c, 1, &prio, 0, 0));
	EXPECT_EQ('n', c);
	EXPECT_EQ(20001, prio);
	munmap(ro, psz);
	close(fd);
}

/*
 * Queues destroyed while holding messages at many distinct high
 * priorities (each with a node of its own) give back their whole charge;
 * the nodes themselves are kmemleak's to find in CI.
 */
TEST(a_queue_destroyed_with_many_high_priorities_gives_its_budget_back)
{
	struct kh_account a0, a1;
	__u32 maxmsg = 1000;
	int fd;

	ASSERT_EQ(0, kh_account_of(0, &a0));
	ASSERT_TRUE(a0.have);
	for (int round = 0; round < 3; round++) {
		fd = kt_anon(O_RDWR | O_NONBLOCK, maxmsg, 16);
		ASSERT_LE(0, fd);
		for (__u32 i = 0; i < maxmsg; i++) {
			/* distinct priorities from 32 up, a few low ones among them */
			__u32 prio = i % 10 == 9 ? i % 32 : 32 + i * 32;

			ASSERT_EQ(0, kt_send(fd, &i, sizeof(i), prio, 0, 0)) TH_LOG("prio %u", prio);
		}
		EXPECT_EQ(maxmsg, curmsgs(fd));
		if (round == 0) {
			ASSERT_EQ(0, kh_account_of(0, &a1));
			EXPECT_LT(a0.user_bytes, a1.user_bytes);
		}
		/* take a few, so that some nodes are emptied and some spare */
		for (int i = 0; i < 7; i++) {
			__u32 got, prio;

			ASSERT_EQ(sizeof(got), kt_recv(fd, &got, sizeof(got), &prio, 0, 0));
			EXPECT_EQ(32 + (maxmsg - 2 - i) * 32, prio);
		}
		close(fd);
	}
	EXPECT_EQ(a0.user_bytes, kh_wait_user_bytes(0, a0.user_bytes, 5000));
}

TEST_HARNESS_MAIN
