// SPDX-License-Identifier: GPL-2.0
/*
 * The libkipc ring over a shared buffer: streams with checksums through
 * every send and receive call (copying, batched, zero-copy), several
 * producers, errors and deadlines, and a garbled ring.
 */
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <libkipc.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

static __u64 xorshift(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Message @seq of producer @id: a 16-byte header (producer, sequence,
 * length), then bytes from a generator seeded by all three. Its length is
 * from @min to @max, chosen by the sequence number.
 */
struct msg_hdr {
	__u32 id;
	__u32 len;
	__u64 seq;
};

static size_t make_msg(void *buf, __u32 id, __u64 seq, size_t min, size_t max)
{
	struct msg_hdr *h = buf;
	__u64 s = seq * 2654435761u + id + 1;
	size_t len = min + (seq * 7919) % (max - min + 1);
	unsigned char *p = buf;

	h->id = id;
	h->len = len;
	h->seq = seq;
	for (size_t i = sizeof(*h); i < len; i++)
		p[i] = (unsigned char)xorshift(&s);
	return len;
}

/* 0 if @buf (of @len bytes) is message @seq of producer @id. */
static int check_msg(const void *buf, size_t len, __u32 id, __u64 seq)
{
	const struct msg_hdr *h = buf;
	__u64 s = seq * 2654435761u + id + 1;
	const unsigned char *p = buf;

	if (len < sizeof(*h) || h->id != id || h->seq != seq || h->len != len)
		return 1;
	for (size_t i = sizeof(*h); i < len; i++)
		if (p[i] != (unsigned char)xorshift(&s))
			return 2;
	return 0;
}

static struct kipc_stats ring_stats(struct kipc_ring *r)
{
	struct kipc_stats st;

	kt_stats(kipc_ring_fd(r), &st);
	return st;
}

#define SLOT		256
#define NSLOTS		32
#define STREAM		12000

/* Consumer: receives STREAM messages of producer 0 by every call in turn. */
static int consume_stream(struct kipc_ring *r)
{
	static char bufs[8][SLOT];
	struct iovec iov[8];
	__u64 seq = 0;
	ssize_t len;
	size_t plen;
	const void *p;
	int n;

	while (seq < STREAM) {
		switch (seq % 3) {
		case 0:
			len = kipc_ring_receive(r, bufs[0], SLOT, NULL);
			if (len < 0 || check_msg(bufs[0], len, 0, seq))
				return 10;
			seq++;
			break;
		case 1:
			for (int i = 0; i < 8; i++) {
				iov[i].iov_base = bufs[i];
				iov[i].iov_len = SLOT;
			}
			n = kipc_ring_receive_batch(r, iov, 8, NULL);
			if (n < 1)
				return 11;
			for (int i = 0; i < n; i++)
				if (check_msg(bufs[i], iov[i].iov_len, 0, seq++))
					return 12;
			break;
		case 2:
			p = kipc_ring_peek(r, &plen, NULL);
			if (!p || check_msg(p, plen, 0, seq))
				return 13;
			/* peeking again gives the same message */
			if (kipc_ring_peek(r, &plen, NULL) != p)
				return 14;
			if (kipc_ring_release(r))
				return 15;
			seq++;
			break;
		}
	}
	return seq == STREAM ? 0 : 16;
}

TEST(a_stream_through_every_call_arrives_intact)
{
	struct kipc_ring_attr attr = { .slot_size = SLOT, .nslots = NSLOTS };
	struct kipc_ring *r = kipc_ring_create(NULL, 0600, &attr);
	static char bufs[5][SLOT];
	struct iovec iov[5];
	struct kipc_stats st;
	__u64 seq = 0;
	pid_t pid;
	void *slot;
	int n;

	ASSERT_NE(NULL, r);
	EXPECT_EQ(SLOT, kipc_ring_slot_size(r));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(consume_stream(r));
	while (seq < STREAM) {
		switch (seq % 3) {
		case 0:
			make_msg(bufs[0], 0, seq, sizeof(struct msg_hdr), SLOT);
			ASSERT_EQ(0, kipc_ring_send(r, bufs[0], ((struct msg_hdr *)bufs[0])->len, NULL));
			seq++;
			break;
		case 1:
			n = STREAM - seq < 5 ? STREAM - seq : 5;
			for (int i = 0; i < n; i++) {
				iov[i].iov_base = bufs[i];
				iov[i].iov_len = make_msg(bufs[i], 0, seq + i,
							  sizeof(struct msg_hdr), SLOT);
			}
			n = kipc_ring_send_batch(r, iov, n, NULL);
			ASSERT_LE(1, n);
			seq += n;
			break;
		case 2:
			slot = kipc_ring_reserve(r, NULL);
			ASSERT_NE(NULL, slot);
			ASSERT_EQ(0, kipc_ring_commit(r, slot,
						      make_msg(slot, 0, seq, sizeof(struct msg_hdr), SLOT)));
			seq++;
			break;
		}
	}
	EXPECT_EQ(0, kt_wait_child(pid));
	st = ring_stats(r);
	EXPECT_EQ(NSLOTS, st.sem_values[0]);	/* every slot free again */
	EXPECT_EQ(0, st.sem_values[1]);
	EXPECT_EQ(0, st.sem_sleepers);
	kipc_ring_close(r);
}

#define BIG		(64 * 1024)
#define BIG_COUNT	200

TEST(large_messages_cross_without_a_copy)
{
	struct kipc_ring_attr attr = { .slot_size = BIG, .nslots = 4 };
	struct kipc_ring *r = kipc_ring_create(NULL, 0600, &attr);
	pid_t pid;

	ASSERT_NE(NULL, r);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		for (__u64 seq = 0; seq < BIG_COUNT; seq++) {
			size_t len;
			const void *p = kipc_ring_peek(r, &len, NULL);

			if (!p)
				_exit(1);
			if (check_msg(p, len, 7, seq))
				_exit(2);
			if (kipc_ring_release(r))
				_exit(3);
		}
		_exit(0);
	}
	for (__u64 seq = 0; seq < BIG_COUNT; seq++) {
		void *slot = kipc_ring_reserve(r, NULL);

		ASSERT_NE(NULL, slot);
		/* 64-byte aligned, in place */
		EXPECT_EQ(0, (uintptr_t)slot % 64);
		ASSERT_EQ(0, kipc_ring_commit(r, slot, make_msg(slot, 7, seq, BIG / 2, BIG)));
	}
	EXPECT_EQ(0, kt_wait_child(pid));
	kipc_ring_close(r);
}

#define PRODUCERS	3
#define PER_PRODUCER	3000

/* Producer @id sends PER_PRODUCER messages with its own kind of call. */
static int produce(struct kipc_ring *r, __u32 id)
{
	char buf[4][128];
	struct iovec iov[4];
	__u64 seq = 0;
	void *slot;
	int n;

	while (seq < PER_PRODUCER) {
		switch (id) {
		case 0:
			make_msg(buf[0], id, seq, 16, 128);
			if (kipc_ring_send(r, buf[0], ((struct msg_hdr *)buf[0])->len, NULL))
				return 1;
			seq++;
			break;
		case 1:
			n = PER_PRODUCER - seq < 4 ? PER_PRODUCER - seq : 4;
			for (int i = 0; i < n; i++) {
				iov[i].iov_base = buf[i];
				iov[i].iov_len = make_msg(buf[i], id, seq + i, 16, 128);
			}
			n = kipc_ring_send_batch(r, iov, n, NULL);
			if (n < 1)
				return 2;
			seq += n;
			break;
		default:
			slot = kipc_ring_reserve(r, NULL);
			if (!slot)
				return 3;
			/* hold the slot a moment: others commit past it */
			if (seq % 50 == 0)
				sched_yield();
			if (kipc_ring_commit(r, slot, make_msg(slot, id, seq, 16, 128)))
				return 4;
			seq++;
			break;
		}
	}
	return 0;
}

TEST(several_producers_one_consumer)
{
	struct kipc_ring_attr attr = { .slot_size = 128, .nslots = 16 };
	struct kipc_ring *r = kipc_ring_create(NULL, 0600, &attr);
	__u64 next[PRODUCERS] = {};
	pid_t pids[PRODUCERS];
	char buf[128];
	ssize_t len;

	ASSERT_NE(NULL, r);
	for (int i = 0; i < PRODUCERS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			/* a handle of its own, through the descriptor */
			struct kipc_ring *mine = kipc_ring_attach(kipc_ring_fd(r));

			_exit(mine ? produce(mine, i) : 9);
		}
	}
	for (int i = 0; i < PRODUCERS * PER_PRODUCER; i++) {
		const struct msg_hdr *h = (const void *)buf;

		len = kipc_ring_receive(r, buf, sizeof(buf), NULL);
		ASSERT_LE(16, len);
		ASSERT_GT(PRODUCERS, h->id);
		/* each producer's messages arrive in its order */
		ASSERT_EQ(0, check_msg(buf, len, h->id, next[h->id])) TH_LOG("message %d", i);
		next[h->id]++;
	}
	for (int i = 0; i < PRODUCERS; i++) {
		EXPECT_EQ(0, kt_wait_child(pids[i]));
		EXPECT_EQ(PER_PRODUCER, next[i]);
	}
	EXPECT_EQ(-1, kipc_ring_receive(r, buf, sizeof(buf), &(struct timespec){ 0, 0 }));
	EXPECT_EQ(ETIMEDOUT, errno);
	kipc_ring_close(r);
}

TEST(errors_and_deadlines)
{
	struct kipc_ring_attr attr = { .slot_size = 64, .nslots = 2 };
	struct kipc_ring *r = kipc_ring_create(NULL, 0600, &attr);
	struct timespec past = { 0, 0 }, soon;
	char buf[128] = "hello", small[4];
	size_t len;
	void *slot;

	ASSERT_NE(NULL, r);
	/* empty */
	kipc_deadline(&soon, 30);
	EXPECT_EQ(-1, kipc_ring_receive(r, buf, sizeof(buf), &soon));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(NULL, kipc_ring_peek(r, &len, &past));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(-1, kipc_ring_release(r));
	EXPECT_EQ(EINVAL, errno);
	/* too long for a slot */
	EXPECT_EQ(-1, kipc_ring_send(r, buf, 65, NULL));
	EXPECT_EQ(EMSGSIZE, errno);
	/* a message longer than the receive buffer stays in the ring */
	ASSERT_EQ(0, kipc_ring_send(r, buf, 6, NULL));
	EXPECT_EQ(-1, kipc_ring_receive(r, small, sizeof(small), NULL));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(6, kipc_ring_receive(r, buf, sizeof(buf), NULL));
	EXPECT_STREQ("hello", buf);
	/* an empty message is a message */
	ASSERT_EQ(0, kipc_ring_send(r, buf, 0, NULL));
	EXPECT_EQ(0, kipc_ring_receive(r, buf, sizeof(buf), NULL));
	/* full */
	ASSERT_EQ(0, kipc_ring_send(r, buf, 1, NULL));
	slot = kipc_ring_reserve(r, NULL);
	ASSERT_NE(NULL, slot);
	kipc_deadline(&soon, 30);
	EXPECT_EQ(-1, kipc_ring_send(r, buf, 1, &soon));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(NULL, kipc_ring_reserve(r, &past));
	EXPECT_EQ(ETIMEDOUT, errno);
	/* commits of what was not reserved */
	EXPECT_EQ(-1, kipc_ring_commit(r, buf, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, kipc_ring_commit(r, (char *)slot + 1, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, kipc_ring_commit(r, slot, 65));
	EXPECT_EQ(EMSGSIZE, errno);
	ASSERT_EQ(0, kipc_ring_commit(r, slot, 3));
	EXPECT_EQ(-1, kipc_ring_commit(r, slot, 3));	/* twice */
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(1, kipc_ring_receive(r, buf, sizeof(buf), NULL));
	EXPECT_EQ(3, kipc_ring_receive(r, buf, sizeof(buf), NULL));
	/* bad geometry */
	EXPECT_EQ(NULL, kipc_ring_create(NULL, 0600, &(struct kipc_ring_attr){ 0, 4 }));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(NULL, kipc_ring_create(NULL, 0600, &(struct kipc_ring_attr){ 64, 0 }));
	EXPECT_EQ(NULL, kipc_ring_create(NULL, 0600, &(struct kipc_ring_attr){ ~0U, ~0U }));
	/* over the module's size limit: the kernel says no */
	EXPECT_EQ(NULL, kipc_ring_create(NULL, 0600,
					 &(struct kipc_ring_attr){ 1 << 30, 1 << 10 }));
	EXPECT_EQ(EINVAL, errno);
	kipc_ring_close(r);
}

TEST(no_system_call_while_nobody_waits)
{
	struct kipc_ring_attr attr = { .slot_size = 64, .nslots = 64 };
	struct kipc_ring *r = kipc_ring_create(NULL, 0600, &attr);
	char buf[64];
	struct kipc_stats st;

	ASSERT_NE(NULL, r);
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 64; i++)
			ASSERT_EQ(0, kipc_ring_send(r, &i, sizeof(i), NULL));
		for (int i = 0; i < 64; i++) {
			ASSERT_EQ(sizeof(int), kipc_ring_receive(r, buf, sizeof(buf), NULL));
			ASSERT_EQ(i, *(int *)buf);
		}
	}
	st = ring_stats(r);
	EXPECT_EQ(0, st.sem_posts);
	EXPECT_EQ(0, st.sem_waits);
	kipc_ring_close(r);
}

TEST(named_rings_are_found_by_name)
{
	struct kipc_ring_attr attr = { .slot_size = 64, .nslots = 4 };
	struct kipc_ring *r = kipc_ring_create("ring-named", 0600, &attr);
	char buf[64];
	pid_t pid;

	ASSERT_NE(NULL, r);
	EXPECT_EQ(NULL, kipc_ring_create("ring-named", 0600, &attr));
	EXPECT_EQ(EEXIST, errno);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct kipc_ring *w = kipc_ring_open("ring-named");

		if (!w || kipc_ring_send(w, "named", 6, NULL))
			_exit(1);
		kipc_ring_close(w);
		_exit(0);
	}
	EXPECT_EQ(6, kipc_ring_receive(r, buf, sizeof(buf), NULL));
	EXPECT_STREQ("named", buf);
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(0, kipc_unlink("ring-named"));
	EXPECT_EQ(NULL, kipc_ring_open("ring-named"));
	EXPECT_EQ(ENOENT, errno);
	/* a plain buffer is not a ring */
	{
		struct kipc_shbuf_attr a = { .size = 4096, .nsems = 2 };
		int fd = kipc_shbuf_anon(O_RDWR, &a);

		ASSERT_LE(0, fd);
		EXPECT_EQ(NULL, kipc_ring_attach(fd));
		EXPECT_EQ(EAGAIN, errno);
		close(fd);
	}
	kipc_ring_close(r);
}

TEST(a_garbled_ring_is_refused_or_reported)
{
	struct kipc_ring_attr attr = { .slot_size = 64, .nslots = 4 };
	struct kipc_ring *r = kipc_ring_create(NULL, 0600, &attr);
	struct kipc_shbuf sb;
	__u32 *hdr, saved;
	char buf[64];

	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, kipc_shbuf_map(kipc_ring_fd(r), &sb));
	hdr = sb.data;
	/* geometry past the buffer, or semaphores that are not there */
	saved = hdr[3];
	hdr[3] = 1 << 20;			/* nslots */
	EXPECT_EQ(NULL, kipc_ring_attach(kipc_ring_fd(r)));
	EXPECT_EQ(EBADMSG, errno);
	hdr[3] = saved;
	saved = hdr[5];
	hdr[5] = 7;				/* sem_free */
	EXPECT_EQ(NULL, kipc_ring_attach(kipc_ring_fd(r)));
	EXPECT_EQ(EBADMSG, errno);
	hdr[5] = saved;
	/* a slot whose length is garbage: reported, dropped, and the ring goes on */
	ASSERT_EQ(0, kipc_ring_send(r, "one", 4, NULL));
	ASSERT_EQ(0, kipc_ring_send(r, "two", 4, NULL));
	*(__u32 *)((char *)sb.data + 256 + 16) = 1 << 30;	/* slot 0's len */
	EXPECT_EQ(-1, kipc_ring_receive(r, buf, sizeof(buf), NULL));
	EXPECT_EQ(EBADMSG, errno);
	EXPECT_EQ(4, kipc_ring_receive(r, buf, sizeof(buf), NULL));
	EXPECT_STREQ("two", buf);
	/* a batch that found only a garbled slot reports it */
	ASSERT_EQ(0, kipc_ring_send(r, "three", 6, NULL));
	*(__u32 *)((char *)sb.data + 256 + 2 * (64 + 64) + 16) = 1 << 30;	/* slot 2 */
	{
		struct iovec iov[4] = { { buf, 64 }, { buf, 64 }, { buf, 64 }, { buf, 64 } };

		EXPECT_EQ(-1, kipc_ring_receive_batch(r, iov, 4, NULL));
		EXPECT_EQ(EBADMSG, errno);
	}
	kipc_shbuf_unmap(&sb);
	kipc_ring_close(r);
}

/* Wait (up to ~10 s) until @n tasks sleep on @r's semaphores. */
static int wait_sleepers(struct kipc_ring *r, __u32 n)
{
	for (int i = 0; i < 10000; i++) {
		if (ring_stats(r).sem_sleepers == n)
			return 0;
		usleep(1000);
	}
	return -1;
}

/*
 * Fill a 16-slot ring with 0..15 and fork a producer that sends 16, with a
 * deadline @timeout_ms ahead (0: none): it parks, the ring being full.
 * Return: its pid, or -1.
 */
static pid_t park_a_producer(struct kipc_ring *r, long timeout_ms)
{
	pid_t pid;
	int i;

	for (i = 0; i < 16; i++)
		if (kipc_ring_send(r, &i, sizeof(i), NULL))
			return -1;
	pid = fork();
	if (pid == 0) {
		struct kipc_ring *p = kipc_ring_attach(kipc_ring_fd(r));
		struct timespec deadline;

		if (timeout_ms)
			kipc_deadline(&deadline, timeout_ms);
		i = 16;
		_exit(!p || kipc_ring_send(p, &i, sizeof(i),
					   timeout_ms ? &deadline : NULL) ? 1 : 0);
	}
	if (pid > 0 && wait_sleepers(r, 1))
		return -1;
	return pid;
}

TEST(a_parked_producer_wakes_once_half_the_ring_is_free)
{
	struct kipc_ring_attr attr = { .slot_size = 64, .nslots = 16 };
	struct kipc_ring *r = kipc_ring_create(NULL, 0600, &attr);
	char buf[64];
	pid_t pid;
	int i;

	ASSERT_NE(NULL, r);
	pid = park_a_producer(r, 0);
	ASSERT_LT(0, pid);
	/* 7 free slots: not enough to wake it, and no system call to try */
	for (i = 0; i < 7; i++) {
		ASSERT_EQ(sizeof(i), kipc_ring_receive(r, buf, sizeof(buf), NULL));
		ASSERT_EQ(i, *(int *)buf);
	}
	EXPECT_EQ(0, ring_stats(r).sem_posts);
	EXPECT_EQ(1, ring_stats(r).sem_sleepers);
	/* the 8th (half the ring) wakes it, with one system call */
	ASSERT_EQ(sizeof(i), kipc_ring_receive(r, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, kt_wait_child(pid));
	EXPECT_EQ(1, ring_stats(r).sem_posts);
	for (i = 8; i < 17; i++) {
		ASSERT_EQ(sizeof(i), kipc_ring_receive(r, buf, sizeof(buf), NULL));
		ASSERT_EQ(i, *(int *)buf);
	}
	/* it took one slot, not the eight it waited for */
	EXPECT_EQ(16, ring_stats(r).sem_values[0]);
	kipc_ring_close(r);
}

TEST(a_deadline_takes_a_slot_freed_while_parked)
{
	struct kipc_ring_attr attr = { .slot_size = 64, .nslots = 16 };
	struct kipc_ring *r = kipc_ring_create(NULL, 0600, &attr);
	char buf[64];
	pid_t pid;
	int i;

	ASSERT_NE(NULL, r);
	pid = park_a_producer(r, 2000);
	ASSERT_LT(0, pid);
	/* one free slot: too few to wake it, but there at its deadline */
	ASSERT_EQ(sizeof(i), kipc_ring_receive(r, buf, sizeof(buf), NULL));
	EXPECT_EQ(0, kt_wait_child(pid));
	for (i = 1; i < 17; i++) {
		ASSERT_EQ(sizeof(i), kipc_ring_receive(r, buf, sizeof(buf), NULL));
		ASSERT_EQ(i, *(int *)buf);
	}
	kipc_ring_close(r);
}

TEST_HARNESS_MAIN
