/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc-bench: the mechanism interface.
 *
 * One IPC mechanism is one file that defines one `const struct bench_mech`
 * and adds it to the table in mech/mech_table.c. The harness (harness/run_latency.c,
 * run_throughput.c) owns timing, warm-up, percentiles, CPU time, payload
 * verification and output; a mechanism only moves bytes.
 *
 * Life of one case (one mechanism, one pattern, one message size):
 *   setup()     in the case's coordinator process, before any participant
 *               starts: create every kernel object (pipes, queues, sockets,
 *               semaphores, mappings). Participants are forked processes or
 *               threads of the coordinator, so they all inherit what setup()
 *               made; keep shared state in bench_shared_alloc() memory.
 *   attach()    in each participant, before the start barrier: per-side
 *               state (which fd to use, the own pid for signals, ...).
 *   send()/recv() or the optional faster forms below, many times.
 *   detach()    in each participant, at its end.
 *   teardown()  in the coordinator after every participant finished (or
 *               failed): remove every kernel object setup() made.
 *
 * Round trip (BENCH_ROUND_TRIP): producer 0 sends a request and waits for
 * the reply; the consumer receives each request and sends it back. One-way
 * (BENCH_ONE_WAY): producers 0..N-1 send, the one consumer receives.
 * Messages all have cfg->msg_size bytes; recv() returns only when one whole
 * message arrived (stream mechanisms loop on partial reads and writes).
 *
 * Every operation returns 0 on success, or -1 with errno set.
 */
#ifndef KIPC_BENCH_H
#define KIPC_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bench_pattern {
	BENCH_ROUND_TRIP,	/* request and reply between two participants */
	BENCH_ONE_WAY,		/* producers stream to one consumer */
};

enum bench_role {
	BENCH_PRODUCER,		/* sends requests (round trip) or the stream (one-way) */
	BENCH_CONSUMER,		/* receives; answers each request in a round trip */
};

/* What the mechanism is, for grouping in the tables and the textbook table. */
enum bench_kind {
	BENCH_KIND_STREAM,	/* byte stream: pipe, FIFO, stream sockets */
	BENCH_KIND_MESSAGE,	/* message boundaries kept by the kernel */
	BENCH_KIND_SHARED_MEMORY, /* data in a shared mapping, kernel only to sleep/wake */
	BENCH_KIND_SIGNAL,	/* a signal carrying a word */
	BENCH_KIND_WAKEUP,	/* the floors: a bare kernel wake-up plus shared memory */
	BENCH_KIND_FRAMEWORK,	/* a userspace framework over a kernel mechanism (D-Bus) */
};

/* Capabilities (struct bench_mech.caps). */
#define BENCH_CAP_THREADS	(1u << 0) /* works between threads of one process */
#define BENCH_CAP_MULTI_PRODUCER (1u << 1) /* several producers to one consumer */
#define BENCH_CAP_HIDDEN	(1u << 2) /* test-only: never in the default selection */
#define BENCH_CAP_NAMED_ONLY	(1u << 3) /* slow, or a variant: only when named in --mech */
#define BENCH_CAP_SYSCALLS	(1u << 4) /* counts its system calls: bench_count_syscalls() */

/* Knobs of one case, the same for every participant. */
struct bench_config {
	enum bench_pattern pattern;
	size_t msg_size;	/* bytes in every message, >= BENCH_MIN_MSG */
	unsigned int producers;	/* 1 in a round trip */
	bool threads;		/* participants are threads, not processes */
	unsigned int batch;	/* messages per call for send_batch/recv_batch */
};

/* The smallest message: the verify header (sequence word and checksum). */
#define BENCH_MIN_MSG	8

/* One message of a batch. */
struct bench_msg {
	void *buf;
	size_t len;
};

/* The textbook's view of a mechanism, re-derived by textbook.c. */
struct bench_textbook {
	const char *row;	/* textbook row it belongs to ("Pipe", "Shared memory") */
	const char *volume;	/* suitable data volume, as textbooks say */
	const char *related;	/* needs related processes: "yes", "no" */
	const char *use;	/* typical use */
	const char *speed;	/* the speed textbooks claim ("fastest", "slow") */
};

struct bench_link;	/* a mechanism's shared state; defined in its file */
struct bench_endpoint;	/* one participant's side of it */

struct bench_mech {
	const char *name;	/* command-line name: "posix-mq" */
	const char *title;	/* table name: "POSIX mq" */
	enum bench_kind kind;
	unsigned int caps;	/* BENCH_CAP_* */
	/*
	 * Bytes the mechanism may write in front of every buffer the harness
	 * hands to send()/recv() (SysV msg puts its mtype there), so that no
	 * mechanism has to copy a message into a buffer of its own.
	 */
	size_t headroom;
	const char *how;	/* one line: how it is used (buffers, notification) */
	struct bench_textbook textbook;

	/* NULL, or returns NULL when usable and a reason when not. */
	const char *(*unavailable)(void);
	/* NULL, or the largest message it can carry for cfg (0: no limit). */
	size_t (*max_msg_size)(const struct bench_config *cfg);

	int (*setup)(struct bench_link **link, const struct bench_config *cfg);
	void (*teardown)(struct bench_link *link);
	int (*attach)(struct bench_link *link, enum bench_role role, unsigned int index,
		      struct bench_endpoint **ep);
	void (*detach)(struct bench_endpoint *ep);

	int (*send)(struct bench_endpoint *ep, const void *buf, size_t len);
	int (*recv)(struct bench_endpoint *ep, void *buf, size_t len);

	/*
	 * Optional faster forms; the harness uses each one when present.
	 *
	 * send_recv: send @out, then wait for and receive one message into
	 * @in, in one call (kipc's combined ioctl). The producer of a round
	 * trip sends a request and gets its reply; the consumer sends a reply
	 * and gets the next request.
	 */
	int (*send_recv)(struct bench_endpoint *ep, const void *out, void *in, size_t len);
	/*
	 * send_batch/recv_batch (one-way): several messages per call.
	 * send_batch sends all @n; recv_batch receives 1..@n and returns the
	 * count (-1 on error).
	 */
	int (*send_batch)(struct bench_endpoint *ep, const struct bench_msg *msgs, unsigned int n);
	int (*recv_batch)(struct bench_endpoint *ep, struct bench_msg *msgs, unsigned int n);
	/*
	 * Zero copy (shared-memory rings): send_reserve returns a slot of
	 * @len bytes to fill and send_commit publishes it; recv_acquire
	 * returns the next message in place and recv_release gives its slot
	 * back. The harness fills a reserved slot with one memcpy (standing
	 * for producing the data there) and reads an acquired one in place.
	 */
	void *(*send_reserve)(struct bench_endpoint *ep, size_t len);
	int (*send_commit)(struct bench_endpoint *ep, size_t len);
	const void *(*recv_acquire)(struct bench_endpoint *ep, size_t len);
	int (*recv_release)(struct bench_endpoint *ep);
};

/* mech_table.c: every mechanism, in table order. */
extern const struct bench_mech *const bench_mechs[];
const struct bench_mech *bench_mech_find(const char *name);
/* kipc's own rows (kipc-*, posix-mq-on-kipc): not stock, set apart. */
bool bench_mech_is_kipc(const struct bench_mech *m);
const char *bench_kind_name(enum bench_kind kind);

/*
 * Memory shared by every participant (MAP_SHARED|MAP_ANONYMOUS, zeroed),
 * for a mechanism's link state. Released with bench_shared_free().
 */
void *bench_shared_alloc(size_t size);
void bench_shared_free(void *p, size_t size);

/*
 * Remember a SysV IPC object so the harness removes it even when the case
 * dies before teardown() runs. @kind is 'm' (msg), 's' (sem) or 'h' (shm).
 */
void bench_note_sysv(char kind, int id);

/* True when kipc-bench may raise kernel limits (root and not --no-raise-limits). */
bool bench_may_raise_limits(void);

/*
 * System calls the calling participant made (harness/syscalls.c): a
 * mechanism with BENCH_CAP_SYSCALLS adds each one its data path makes,
 * and the results report them per message (syscalls_per_msg).
 */
extern __thread uint64_t bench_syscalls;

static inline void bench_count_syscalls(unsigned int n)
{
	bench_syscalls += n;
}

/* Set errno-style failure text for the current case (first one wins). */
void bench_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* KIPC_BENCH_H */
