// SPDX-License-Identifier: GPL-2.0
/*
 * Two processes streaming messages through a kipc ring.
 *
 *   ring_stream [-z] [COUNT [SIZE]]
 *
 * The parent creates an anonymous ring (a shared buffer with two
 * semaphores), forks a consumer and sends COUNT messages (default 10000)
 * of SIZE bytes (default 64). With -z both sides use the zero-copy calls:
 * the producer writes each message in place in a reserved slot, the
 * consumer reads it in place and releases the slot. Each message carries
 * its sequence number and a checksum over the rest, which the consumer
 * checks. Uncontended sends and receives make no system call: the kernel
 * is entered only when one side has to wait for the other, which the
 * semaphore statistics printed at the end show.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libkipc.h>

#define NSLOTS	64

struct msg {
	uint64_t seq;
	uint64_t sum;
	unsigned char payload[];
};

static uint64_t checksum(const unsigned char *p, size_t len)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* Write message @seq of @size bytes at @m. */
static void fill(struct msg *m, uint64_t seq, size_t size)
{
	size_t n = size - sizeof(*m);

	m->seq = seq;
	for (size_t i = 0; i < n; i++)
		m->payload[i] = (unsigned char)(seq * 31 + i);
	m->sum = checksum(m->payload, n);
}

static int verify(const struct msg *m, size_t len, uint64_t seq, size_t size)
{
	return len == size && m->seq == seq &&
	       m->sum == checksum(m->payload, size - sizeof(*m));
}

static int consumer(struct kipc_ring *r, long count, size_t size, int zero_copy)
{
	struct msg *m = malloc(size);
	const void *p;
	size_t len;
	ssize_t n;

	if (!m)
		return 1;
	for (long seq = 0; seq < count; seq++) {
		if (zero_copy) {
			p = kipc_ring_peek(r, &len, NULL);
			if (!p) {
				perror("consumer: kipc_ring_peek");
				return 1;
			}
			if (!verify(p, len, seq, size)) {
				fprintf(stderr, "consumer: message %ld is corrupt\n", seq);
				return 1;
			}
			kipc_ring_release(r);
		} else {
			n = kipc_ring_receive(r, m, size, NULL);
			if (n < 0) {
				perror("consumer: kipc_ring_receive");
				return 1;
			}
			if (!verify(m, n, seq, size)) {
				fprintf(stderr, "consumer: message %ld is corrupt\n", seq);
				return 1;
			}
		}
	}
	printf("consumer: %ld messages of %zu bytes, every checksum right\n", count, size);
	/* the child leaves with _exit(), which does not flush stdio */
	fflush(stdout);
	free(m);
	return 0;
}

static int producer(struct kipc_ring *r, long count, size_t size, int zero_copy)
{
	struct msg *m = malloc(size);
	void *slot;

	if (!m)
		return 1;
	for (long seq = 0; seq < count; seq++) {
		if (zero_copy) {
			slot = kipc_ring_reserve(r, NULL);
			if (!slot) {
				perror("producer: kipc_ring_reserve");
				return 1;
			}
			fill(slot, seq, size);
			if (kipc_ring_commit(r, slot, size)) {
				perror("producer: kipc_ring_commit");
				return 1;
			}
		} else {
			fill(m, seq, size);
			if (kipc_ring_send(r, m, size, NULL)) {
				perror("producer: kipc_ring_send");
				return 1;
			}
		}
	}
	free(m);
	return 0;
}

int main(int argc, char **argv)
{
	struct kipc_ring_attr attr = { .nslots = NSLOTS };
	int zero_copy = 0, status, ret;
	struct timespec t0, t1;
	struct kipc_stats st;
	struct kipc_ring *r;
	long count = 10000;
	size_t size = 64;
	double secs;
	pid_t pid;

	if (argc > 1 && !strcmp(argv[1], "-z")) {
		zero_copy = 1;
		argc--;
		argv++;
	}
	if (argc > 1)
		count = atol(argv[1]);
	if (argc > 2)
		size = strtoul(argv[2], NULL, 0);
	if (count < 1 || size < sizeof(struct msg) || size > (1 << 24)) {
		fprintf(stderr, "usage: ring_stream [-z] [COUNT [SIZE >= %zu]]\n",
			sizeof(struct msg));
		return 2;
	}
	attr.slot_size = size;
	r = kipc_ring_create(NULL, 0600, &attr);
	if (!r) {
		perror("kipc_ring_create");
		return 1;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0)
		_exit(consumer(r, count, size, zero_copy));
	ret = producer(r, count, size, zero_copy);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	if (kipc_get_stats(kipc_ring_fd(r), &st) == 0)
		printf("semaphores: %llu sleeps, %llu wake-up calls for %ld messages\n",
		       (unsigned long long)st.sem_waits,
		       (unsigned long long)st.sem_posts, count);
	printf("%s: %ld messages in %.3f s: %.0f msgs/s, %.1f MB/s\n",
	       zero_copy ? "zero-copy" : "copy", count, secs, count / secs,
	       count * (double)size / secs / 1e6);
	printf("producer: sent %ld messages; consumer exited %d\n", count,
	       WEXITSTATUS(status));
	kipc_ring_close(r);
	return ret || WEXITSTATUS(status);
}
