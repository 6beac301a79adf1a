// SPDX-License-Identifier: GPL-2.0
/*
 * Message queues under concurrency: several sender and receiver processes
 * on one queue, mixing write/read, priorities and batches. Every message
 * carries (sender, priority, sequence, checksum); the test asserts that
 * each is delivered exactly once, intact, and in order within its sender
 * and priority as each receiver sees it.
 */
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define SENDERS		4
#define RECEIVERS	4
#define PER_SENDER	2000
#define NPRIO		3
#define MSGSIZE		96

struct payload {
	__u32 sender;
	__u32 prio;
	__u32 seq;
	__u32 len;
	__u32 sum;
	unsigned char fill[MSGSIZE - 20];
};

struct shared {
	atomic_uint seen[SENDERS][PER_SENDER];
	atomic_uint received;
	atomic_uint errors;
};

static __u32 checksum(const struct payload *p)
{
	__u32 sum = p->sender * 2654435761u ^ p->prio * 40503u ^ p->seq;

	for (__u32 i = 0; i < p->len; i++)
		sum = sum * 31 + p->fill[i];
	return sum;
}

static void make_msg(struct payload *p, __u32 sender, __u32 seq)
{
	p->sender = sender;
	p->seq = seq;
	p->prio = seq % NPRIO;
	p->len = (seq * 7 + sender) % sizeof(p->fill);
	for (__u32 i = 0; i < p->len; i++)
		p->fill[i] = (unsigned char)(seq + i * sender);
	p->sum = checksum(p);
}

static int sender_main(int fd, __u32 sender)
{
	struct payload batch[8];
	struct kipc_mvec vec[8];
	__u32 seq = 0;

	while (seq < PER_SENDER) {
		if (seq % 64 < 32) {
			/* one message per call, alternating write() and the ioctl */
			make_msg(&batch[0], sender, seq);
			if (seq & 1) {
				if (kt_send(fd, &batch[0], 20 + batch[0].len,
					    batch[0].prio, 0, 0))
					return 1;
			} else if (batch[0].prio == 0) {
				if (write(fd, &batch[0], 20 + batch[0].len) < 0)
					return 2;
			} else if (kt_send(fd, &batch[0], 20 + batch[0].len,
					   batch[0].prio, 0, 0)) {
				return 3;
			}
			seq++;
			continue;
		}
		unsigned int n = PER_SENDER - seq < 8 ? PER_SENDER - seq : 8;
		struct kipc_batch b = { .size = sizeof(b), .vec = (uintptr_t)vec };

		for (unsigned int i = 0; i < n; i++) {
			make_msg(&batch[i], sender, seq + i);
			vec[i] = (struct kipc_mvec){ (uintptr_t)&batch[i],
						     20 + batch[i].len, batch[i].prio };
		}
		b.count = n;
		int moved = ioctl(fd, KIPC_IOC_SEND_BATCH, &b);

		if (moved <= 0)
			return 4;
		seq += moved;
	}
	return 0;
}

static int receiver_main(int fd, struct shared *sh, __u32 total)
{
	__s64 last[SENDERS][NPRIO];
	struct payload msgs[8];
	struct kipc_mvec vec[8];
	unsigned int k = 0;

	memset(last, 0xff, sizeof(last));	/* -1: nothing seen yet */
	for (;;) {
		int n;

		if (atomic_load(&sh->received) >= total)
			return 0;
		if (k++ & 1) {
			struct kipc_batch b = {
				.size = sizeof(b), .vec = (uintptr_t)vec, .count = 8,
				.flags = KIPC_MSG_DEADLINE,
				.deadline_ns = kt_now_ns() + 200000000,
			};

			for (int i = 0; i < 8; i++)
				vec[i] = (struct kipc_mvec){ (uintptr_t)&msgs[i],
							     sizeof(msgs[i]), 0 };
			n = ioctl(fd, KIPC_IOC_RECV_BATCH, &b);
			if (n < 0 && errno == ETIMEDOUT)
				continue;
			if (n <= 0)
				return 10;
		} else {
			__u32 prio;
			int len = kt_recv(fd, &msgs[0], sizeof(msgs[0]), &prio,
					  KIPC_MSG_DEADLINE, kt_now_ns() + 200000000);

			if (len == -ETIMEDOUT)
				continue;
			if (len < 0)
				return 11;
			vec[0].len = len;
			vec[0].prio = prio;
			n = 1;
		}
		for (int i = 0; i < n; i++) {
			struct payload *p = &msgs[i];

			if (vec[i].len < 20 || p->sender >= SENDERS || p->seq >= PER_SENDER ||
			    vec[i].len != 20 + p->len || p->prio != vec[i].prio ||
			    p->sum != checksum(p)) {
				atomic_fetch_add(&sh->errors, 1);
				continue;
			}
			if ((__s64)p->seq <= last[p->sender][p->prio])
				atomic_fetch_add(&sh->errors, 1);	/* reordered */
			last[p->sender][p->prio] = p->seq;
			atomic_fetch_add(&sh->seen[p->sender][p->seq], 1);
			atomic_fetch_add(&sh->received, 1);
		}
	}
}

FIXTURE(stress) {
	int unused;
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

/* Slow on a KASAN kernel under TCG: minutes, not seconds. */
TEST_F_TIMEOUT(stress, many_senders_and_receivers_deliver_exactly_once_in_order, 900)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pids[SENDERS + RECEIVERS];
	struct kipc_stats st;
	int fd = kt_anon(O_RDWR, 16, MSGSIZE);
	unsigned int dup = 0, lost = 0;

	ASSERT_NE(MAP_FAILED, sh);
	ASSERT_LE(0, fd);
	for (int i = 0; i < SENDERS + RECEIVERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			_exit(i < SENDERS ? sender_main(fd, i) :
			      receiver_main(fd, sh, SENDERS * PER_SENDER));
	}
	for (int i = 0; i < SENDERS + RECEIVERS; i++) {
		int status;

		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("child %d", i);
	}
	for (int s = 0; s < SENDERS; s++) {
		for (int q = 0; q < PER_SENDER; q++) {
			unsigned int n = atomic_load(&sh->seen[s][q]);

			lost += n == 0;
			dup += n > 1;
		}
	}
	EXPECT_EQ(0, lost);
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, atomic_load(&sh->errors));
	ASSERT_EQ(0, kt_stats(fd, &st));
	EXPECT_EQ(SENDERS * PER_SENDER, st.sent);
	EXPECT_EQ(SENDERS * PER_SENDER, st.received);
	EXPECT_EQ(0, st.curmsgs);
	EXPECT_EQ(0, st.bytes);
	EXPECT_EQ(16, st.hwm);
	munmap(sh, sizeof(*sh));
	close(fd);
}

TEST_HARNESS_MAIN
