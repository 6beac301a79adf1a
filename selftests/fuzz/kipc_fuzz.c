// SPDX-License-Identifier: GPL-2.0
/*
 * kipc_fuzz - a seeded, randomized fuzzer for /dev/kipc.
 *
 * Several worker processes, each with several threads, issue random and
 * boundary-value operations on kipc files for a bounded time: open, close,
 * dup, every ioctl number of the kipc magic with random sizes, directions
 * and arguments (and the known ioctls with well-formed ones), read, write,
 * poll, epoll, fcntl, mmap/munmap/mremap/mprotect/madvise and touching the
 * mappings, shared buffers and their semaphore ioctls, the queue commands
 * through io_uring (random command numbers and arguments, cancelled and
 * torn down with commands in flight), fork, signals, and
 * generic netlink messages to the "kipc" family: random bytes, and
 * structured requests (a valid header, random commands and flags,
 * NLM_F_DUMP among them, attributes of the family's policy with right and
 * wrong types, lengths and nesting, boundary values, missing ones). Threads
 * of a process share their files and mappings, so close races every other
 * call.
 *
 * The kernel's reports (KASAN, lockdep, ...) are the debug lane's to catch
 * on the console; this program checks what userspace can see:
 *   - every worker exits on its own or on SIGKILL (none is stuck in the
 *     kernel) and none dies of a signal it did not expect;
 *   - well-formed calls on live files do what the ABI says (the oracle);
 *   - the device still answers afterwards.
 * It prints TAP. The seed is printed first: `--seed S` with the same
 * --procs/--threads replays each thread's sequence of operations (the
 * interleaving between threads is the scheduler's).
 *
 * With --user UID the whole run (workers and their children) is that
 * unprivileged user, as a hostile local user would be: the per-user limits
 * (EMFILE, EDQUOT, ENOSPC) and other users' objects (EACCES) are then
 * answers too, and no call may hurt the kernel all the same.
 *
 * With --fault-inject every worker thread marks itself for the kernel's
 * failslab/fail_page_alloc task filter (/proc/thread-self/make-it-fail)
 * once set up, so the probability the caller configured in debugfs fails
 * the allocations of the fuzzed calls; ENOMEM is then a fine answer.
 *
 * To fuzz a new interface: add its ioctl to known_ioctls[] (one line) and,
 * for a new kind of call, an op to the ops[] table; a new netlink attribute
 * gets its payload in genl_attr().
 */
#include <errno.h>
#include <liburing.h>
#include <kipc_uring.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kipc.h>

#define MAX_PROCS	64
#define MAX_THREADS	32
#define FD_SLOTS	16
#define MAP_SLOTS	8
#define SCRATCH_SIZE	(1UL << 20)
#define EPOLL_FD_MIN	900	/* far above the slots' fds: never confused */
#define MAX_CHILDREN	4
#define MAX_REPORTED	8

/* ------------------------------------------------------------------ */
/* Options and shared results. */

static struct {
	uint64_t seed;
	unsigned int duration;
	unsigned int procs;
	unsigned int threads;
	const char *device;
	bool verbose;
	bool fault_inject;
	long user;		/* run as this uid; -1: as invoked */
} opt = {
	.duration = 120,
	.procs = 4,
	.threads = 4,
	.device = KIPC_DEVICE_PATH,
	.user = -1,
};

enum op_id {
	OP_OPEN, OP_CLOSE, OP_DUP, OP_IOCTL_KNOWN, OP_IOCTL_RANDOM, OP_READ,
	OP_WRITE, OP_POLL, OP_EPOLL, OP_FCNTL, OP_MMAP, OP_MUNMAP, OP_MREMAP,
	OP_MPROTECT, OP_MADVISE, OP_TOUCH, OP_FORK, OP_SIGNAL, OP_NETLINK,
	OP_GENL, OP_SHBUF, OP_SEM, OP_QUEUE, OP_MSG, OP_NOTIFY, OP_URING, NR_OPS
};

/* Results live in a shared mapping so the parent sees every worker's. */
struct results {
	atomic_ulong calls[NR_OPS];
	atomic_ulong fails[NR_OPS];
	atomic_ulong oracle_violations;
	atomic_ulong children_bad;
	char violations[MAX_REPORTED][256];	/* the first few, for the log */
};

static struct results *res;
static uint64_t deadline_ns;

/* ------------------------------------------------------------------ */
/* Randomness: splitmix64 seeds a per-thread xorshift64*. */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd_below(struct rng *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

static bool one_in(struct rng *r, unsigned int n)
{
	return rnd_below(r, n) == 0;
}

/* Sizes that hunt off-by-ones and overflows (RELIABILITY.md §4). */
static const uint64_t interesting_sizes[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256,
	4095, 4096, 4097, 8192, 65535, 65536, 1 << 20, 0x7fffffff, 0x80000000,
	0xffffffff, 0x100000000ULL, 0x7ffffffffffff000ULL, 0xfffffffffffff000ULL,
	INT64_MAX, UINT64_MAX,
};

static uint64_t rnd_size(struct rng *r)
{
	if (one_in(r, 4))
		return rnd(r) >> rnd_below(r, 64);
	return interesting_sizes[rnd_below(r, sizeof(interesting_sizes) /
					     sizeof(interesting_sizes[0]))];
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ------------------------------------------------------------------ */
/* Per-process and per-thread state. */

struct mapping {
	enum { MAP_FREE, MAP_BUSY, MAP_USED } state;
	void *addr;
	size_t len;
};

struct proc_state {
	atomic_int fds[FD_SLOTS];
	pthread_mutex_t map_lock;	/* guards maps[]: we never unmap what we do not own */
	struct mapping maps[MAP_SLOTS];
	int epfd;
	int nlfd;
	int nl_family;			/* 0: no kipc genetlink family */
	pthread_t threads[MAX_THREADS];
	atomic_int tids[MAX_THREADS];	/* for tgkill: a stale tid is harmless */
	unsigned int nthreads;
	atomic_int children;
	unsigned int proc;
};

struct thread_state {
	struct proc_state *ps;
	struct rng rng;
	unsigned int id;
	unsigned char *scratch;		/* SCRATCH_SIZE bytes, then a PROT_NONE guard page */
	sigjmp_buf touch_env;
	volatile sig_atomic_t touching;
	bool in_child;
	int make_it_fail;		/* this thread's /proc/thread-self/make-it-fail */
	int nlfd;			/* this thread's genetlink socket: its answers are its own */
	uint32_t nlseq;
};

static __thread struct thread_state *self;
static long page_size;
static dev_t kipc_rdev;

static void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void violation(const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	unsigned long n = atomic_fetch_add(&res->oracle_violations, 1);

	if (n < MAX_REPORTED)
		snprintf(res->violations[n], sizeof(res->violations[n]),
			 "proc %u thread %u%s: %s", self->ps->proc, self->id,
			 self->in_child ? " (forked child)" : "", msg);
}

/* Under --fault-inject any call may fail with ENOMEM. */
static bool injected_failure(int err)
{
	return opt.fault_inject && err == ENOMEM;
}

/*
 * A well-formed creation may be refused by the per-user limits; an
 * unprivileged user may also meet a name another user made.
 */
static bool limit_answer(int err)
{
	return err == EMFILE || err == EDQUOT || err == ENOSPC ||
	       (opt.user >= 0 && err == EACCES);
}

/*
 * Mark this thread (and what it forks) for the fault-injection task filter.
 * The file stays open: fork() turns injection off around itself.
 */
static void enable_faults(void)
{
	if (!opt.fault_inject)
		return;
	self->make_it_fail = open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC);
	if (self->make_it_fail < 0 || write(self->make_it_fail, "1", 1) != 1) {
		perror("kipc_fuzz: /proc/thread-self/make-it-fail");
		_exit(2);
	}
}

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void trace(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	if (!opt.verbose || self->in_child)
		return;
	n = snprintf(line, sizeof(line), "# p%u.t%u: ", self->ps->proc, self->id);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, n) < 0)
		return;
}

/*
 * A random fd from the slots: maybe -1, maybe one a sibling just closed.
 * Never a made-up small number: fds 0-2 and what the process inherited
 * (the VM's result port) must not receive random writes and ioctls.
 */
static int pick_fd(struct rng *r)
{
	if (one_in(r, 50))
		return one_in(r, 2) ? -1 : 2000 + (int)rnd_below(r, 1000);
	return atomic_load(&self->ps->fds[rnd_below(r, FD_SLOTS)]);
}

static void store_fd(struct rng *r, int fd)
{
	int old = atomic_exchange(&self->ps->fds[rnd_below(r, FD_SLOTS)], fd);

	if (old >= 0)
		close(old);
}

/* A user pointer: mostly valid scratch, sometimes hostile. */
static void *rnd_ptr(struct rng *r, uint64_t *len)
{
	unsigned char *end = self->scratch + SCRATCH_SIZE;

	switch (rnd_below(r, 10)) {
	case 0:
		return NULL;
	case 1:
		return (void *)(uintptr_t)(rnd_below(r, 4096) + 1);	/* low, unmapped */
	case 2:
		return (void *)0xffffffff81000000UL;			/* kernel text */
	case 3:
		/* the kernel half, or non-canonical: never our own memory */
		return (void *)(uintptr_t)(rnd(r) | 0x8000000000000000ULL);
	case 4:
		/* straddles into the guard page: a partial copy must fault cleanly */
		*len = rnd_below(r, 256) + 1;
		return end - rnd_below(r, *len);
	default:
		if (*len > SCRATCH_SIZE)
			*len = rnd_below(r, SCRATCH_SIZE + 1);
		return end - *len - rnd_below(r, SCRATCH_SIZE - *len + 1);
	}
}

/* How many bytes from p to the end of the scratch area; 0 if p is outside. */
static size_t scratch_room(const void *p)
{
	const unsigned char *c = p;

	if (c < self->scratch || c >= self->scratch + SCRATCH_SIZE)
		return 0;
	return self->scratch + SCRATCH_SIZE - c;
}

static void fill_random(struct rng *r, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = rnd(r);
}

/* ------------------------------------------------------------------ */
/* The operations. */

/* The ioctls of <linux/kipc.h>: one line each. */
static const struct {
	const char *name;
	unsigned long cmd;
	size_t size;
} known_ioctls[] = {
	{ "KIPC_IOC_VERSION", KIPC_IOC_VERSION, sizeof(struct kipc_version) },
};

#define NR_KNOWN (sizeof(known_ioctls) / sizeof(known_ioctls[0]))

static void check_version_reply(const struct kipc_version *v)
{
	if (v->major != KIPC_VERSION_MAJOR || v->minor != KIPC_VERSION_MINOR ||
	    v->patch != KIPC_VERSION_PATCH || v->abi != KIPC_ABI_VERSION)
		violation("KIPC_IOC_VERSION answered %u.%u.%u abi %u", v->major,
			  v->minor, v->patch, v->abi);
}

static long op_open(struct rng *r)
{
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR };
	int flags = modes[rnd_below(r, 4)] | O_CLOEXEC;
	int fd;

	/* Blocking files too: signals and the end-of-run kill unblock them. */
	if (!one_in(r, 4))
		flags |= O_NONBLOCK;
	fd = open(opt.device, flags);
	trace("open(flags=%#x) = %d", flags, fd);
	if (fd < 0) {
		if (errno != EMFILE && errno != ENFILE && errno != EINTR &&
		    !injected_failure(errno))
			violation("open %s: %s", opt.device, strerror(errno));
		return -1;
	}
	store_fd(r, fd);
	return 0;
}

static long op_close(struct rng *r)
{
	int fd = atomic_exchange(&self->ps->fds[rnd_below(r, FD_SLOTS)], -1);

	trace("close(%d)", fd);
	if (fd < 0)
		return 0;
	if (close(fd)) {
		violation("close of owned fd %d: %s", fd, strerror(errno));
		return -1;
	}
	return 0;
}

static long op_dup(struct rng *r)
{
	int fd = pick_fd(r), nfd;

	nfd = one_in(r, 2) ? dup(fd) : fcntl(fd, F_DUPFD_CLOEXEC, 3);
	trace("dup(%d) = %d", fd, nfd);
	if (nfd < 0)
		return -1;
	store_fd(r, nfd);
	return 0;
}

/* A known ioctl, well-formed: the oracle knows the answer. */
static long op_ioctl_known(struct rng *r)
{
	unsigned int k = rnd_below(r, NR_KNOWN);
	unsigned char *arg = self->scratch;
	int fd = pick_fd(r);
	__u32 size = known_ioctls[k].size;
	long ret;

	memset(arg, 0, known_ioctls[k].size);
	memcpy(arg, &size, sizeof(size));
	ret = ioctl(fd, known_ioctls[k].cmd, arg);
	trace("ioctl(%d, %s) = %ld", fd, known_ioctls[k].name, ret);
	if (ret < 0 && errno != EBADF && fd >= 0 && !injected_failure(errno))
		violation("%s on fd %d: %s", known_ioctls[k].name, fd, strerror(errno));
	if (ret == 0 && known_ioctls[k].cmd == KIPC_IOC_VERSION)
		check_version_reply((struct kipc_version *)arg);
	return ret;
}

/* Any command number of the kipc magic, any size and direction, any arg. */
static long op_ioctl_random(struct rng *r)
{
	uint64_t len = rnd_below(r, 1 << _IOC_SIZEBITS);
	unsigned int dir = rnd_below(r, 4), nr, type = KIPC_IOC_MAGIC;
	unsigned long cmd, arg;
	int fd = pick_fd(r);
	size_t room;
	long ret;

	nr = one_in(r, 2) ? rnd_below(r, 16) : rnd_below(r, 256);
	if (one_in(r, 3))
		len = known_ioctls[rnd_below(r, NR_KNOWN)].size + rnd_below(r, 3) - 1;
	if (one_in(r, 20))
		type = rnd_below(r, 256);
	cmd = _IOC(dir, type, nr, len & ((1 << _IOC_SIZEBITS) - 1));
	if (one_in(r, 20))
		cmd = rnd(r);
	arg = (unsigned long)rnd_ptr(r, &len);
	room = scratch_room((void *)arg);
	if (room && one_in(r, 2)) {
		/* A struct that claims its own size, with a random tail. */
		__u32 size = rnd_size(r);

		fill_random(r, (void *)arg, room < 64 ? room : 64);
		if (room >= sizeof(size))
			memcpy((void *)arg, &size, sizeof(size));
	}
	ret = ioctl(fd, cmd, arg);
	trace("ioctl(%d, %#lx, %#lx) = %ld (%d)", fd, cmd, arg, ret, ret < 0 ? errno : 0);
	return ret;
}

static long op_read(struct rng *r)
{
	uint64_t len = rnd_size(r);
	int fd = pick_fd(r);
	void *buf = rnd_ptr(r, &len);
	long ret = read(fd, buf, len);

	trace("read(%d, %p, %" PRIu64 ") = %ld", fd, buf, len, ret);
	return ret;
}

static long op_write(struct rng *r)
{
	uint64_t len = rnd_size(r);
	int fd = pick_fd(r);
	void *buf = rnd_ptr(r, &len);
	size_t room = scratch_room(buf);
	long ret;

	if (room)
		fill_random(r, buf, room < 256 ? room : 256);
	ret = write(fd, buf, len);
	trace("write(%d, %p, %" PRIu64 ") = %ld", fd, buf, len, ret);
	return ret;
}

static long op_poll(struct rng *r)
{
	struct pollfd pfd[3];
	unsigned int i, n = rnd_below(r, 3) + 1;
	long ret;

	for (i = 0; i < n; i++) {
		pfd[i].fd = pick_fd(r);
		pfd[i].events = rnd(r);
		pfd[i].revents = 0;
	}
	ret = poll(pfd, n, rnd_below(r, 3) ? 0 : rnd_below(r, 20));
	trace("poll(%u) = %ld", n, ret);
	return ret;
}

static long op_epoll(struct rng *r)
{
	struct epoll_event ev = { .events = rnd(r) & (EPOLLIN | EPOLLOUT | EPOLLET |
						      EPOLLONESHOT | EPOLLPRI) };
	struct epoll_event out[4];
	int fd = pick_fd(r);
	long ret;

	switch (rnd_below(r, 4)) {
	case 0:
		ev.data.fd = fd;
		ret = epoll_ctl(self->ps->epfd, EPOLL_CTL_ADD, fd, &ev);
		break;
	case 1:
		ret = epoll_ctl(self->ps->epfd, EPOLL_CTL_MOD, fd, &ev);
		break;
	case 2:
		ret = epoll_ctl(self->ps->epfd, EPOLL_CTL_DEL, fd, NULL);
		break;
	default:
		ret = epoll_wait(self->ps->epfd, out, 4, rnd_below(r, 3) ? 0 : 5);
		break;
	}
	trace("epoll(%d) = %ld", fd, ret);
	return ret;
}

static long op_fcntl(struct rng *r)
{
	int fd = pick_fd(r);
	long fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	fl ^= O_NONBLOCK;
	trace("fcntl(%d, F_SETFL, %#lx)", fd, fl);
	return fcntl(fd, F_SETFL, fl);
}

static int take_map_slot(struct mapping *m, bool want_used)
{
	struct proc_state *ps = self->ps;
	unsigned int i, start = rnd_below(&self->rng, MAP_SLOTS);
	int slot = -1;

	/* A forked child must not take a lock a vanished sibling may hold. */
	if (self->in_child)
		return -1;
	pthread_mutex_lock(&ps->map_lock);
	for (i = 0; i < MAP_SLOTS; i++) {
		unsigned int s = (start + i) % MAP_SLOTS;

		if (ps->maps[s].state == (want_used ? MAP_USED : MAP_FREE)) {
			slot = s;
			*m = ps->maps[s];
			/* Taken out of the table: this thread owns it now. */
			ps->maps[s].state = MAP_BUSY;
			break;
		}
	}
	pthread_mutex_unlock(&ps->map_lock);
	return slot;
}

static void put_map_slot(int slot, void *addr, size_t len)
{
	pthread_mutex_lock(&self->ps->map_lock);
	self->ps->maps[slot].state = addr ? MAP_USED : MAP_FREE;
	self->ps->maps[slot].addr = addr;
	self->ps->maps[slot].len = len;
	pthread_mutex_unlock(&self->ps->map_lock);
}

static long op_mmap(struct rng *r)
{
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_NONE,
		PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	static const int flags[] = {
		MAP_SHARED, MAP_SHARED, MAP_PRIVATE, MAP_SHARED | MAP_POPULATE,
		MAP_SHARED | MAP_LOCKED, MAP_SHARED_VALIDATE, MAP_PRIVATE | MAP_POPULATE,
	};
	struct mapping m;
	size_t len = one_in(r, 4) ? rnd_size(r) : (rnd_below(r, 8) + 1) * page_size;
	off_t off = one_in(r, 3) ? (off_t)(rnd_size(r) & ~(page_size - 1)) :
				   (off_t)rnd_below(r, 4) * page_size;
	int slot = take_map_slot(&m, false);
	int prot = prots[rnd_below(r, 6)], fl = flags[rnd_below(r, 7)];
	int fd = pick_fd(r);
	void *addr;

	if (slot < 0)
		return 0;
	addr = mmap(NULL, len, prot, fl, fd, off);
	trace("mmap(%zu, %#x, %#x, %d, %#jx) = %p", len, prot, fl, fd, (intmax_t)off, addr);
	if (addr == MAP_FAILED) {
		put_map_slot(slot, NULL, 0);
		return -1;
	}
	put_map_slot(slot, addr, len);
	return 0;
}

static long op_munmap(struct rng *r)
{
	struct mapping m;
	int slot = take_map_slot(&m, true);
	size_t pages, cut;
	long ret;

	if (slot < 0)
		return 0;
	pages = (m.len + page_size - 1) / page_size;
	if (pages > 1 && one_in(r, 2)) {
		/* Unmap the head or the tail: the VMA splits. */
		cut = (rnd_below(r, pages - 1) + 1) * page_size;
		if (one_in(r, 2)) {
			ret = munmap(m.addr, cut);
			put_map_slot(slot, (char *)m.addr + cut, pages * page_size - cut);
		} else {
			ret = munmap((char *)m.addr + cut, pages * page_size - cut);
			put_map_slot(slot, m.addr, cut);
		}
	} else {
		ret = munmap(m.addr, m.len);
		put_map_slot(slot, NULL, 0);
	}
	trace("munmap(%p) = %ld", m.addr, ret);
	if (ret && !injected_failure(errno))
		violation("munmap of an owned mapping: %s", strerror(errno));
	return ret;
}

static long op_mremap(struct rng *r)
{
	struct mapping m;
	int slot = take_map_slot(&m, true);
	size_t nlen = (rnd_below(r, 16) + 1) * page_size;
	void *addr;

	if (slot < 0)
		return 0;
	addr = mremap(m.addr, m.len, nlen, one_in(r, 2) ? MREMAP_MAYMOVE : 0);
	trace("mremap(%p, %zu, %zu) = %p", m.addr, m.len, nlen, addr);
	if (addr == MAP_FAILED) {
		put_map_slot(slot, m.addr, m.len);
		return -1;
	}
	put_map_slot(slot, addr, nlen);
	return 0;
}

static long op_mprotect(struct rng *r)
{
	static const int prots[] = {
		PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
		PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	struct mapping m;
	int slot = take_map_slot(&m, true);
	long ret;

	if (slot < 0)
		return 0;
	ret = mprotect(m.addr, m.len, prots[rnd_below(r, 5)]);
	put_map_slot(slot, m.addr, m.len);
	return ret;
}

static long op_madvise(struct rng *r)
{
	static const int advice[] = {
		MADV_DONTNEED, MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK,
		MADV_KEEPONFORK, MADV_WILLNEED, MADV_REMOVE,
	};
	struct mapping m;
	int slot = take_map_slot(&m, true);
	long ret;

	if (slot < 0)
		return 0;
	ret = madvise(m.addr, m.len, advice[rnd_below(r, 7)]);
	put_map_slot(slot, m.addr, m.len);
	return ret;
}

static void fault_handler(int sig)
{
	if (self && self->touching)
		siglongjmp(self->touch_env, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read and write the pages of a mapping; SIGSEGV/SIGBUS are answers too. */
static long op_touch(struct rng *r)
{
	struct mapping m;
	int slot = take_map_slot(&m, true);
	volatile unsigned char *p;
	size_t off;
	long ret = 0;

	if (slot < 0)
		return 0;
	if (sigsetjmp(self->touch_env, 1) == 0) {
		self->touching = 1;
		for (off = 0; off < m.len && off < 64 * (size_t)page_size; off += page_size) {
			p = (volatile unsigned char *)m.addr + off;
			if (one_in(r, 2))
				*p = *p + 1;
			else
				(void)*p;
		}
	} else {
		ret = -1;
	}
	self->touching = 0;
	put_map_slot(slot, m.addr, m.len);
	trace("touch(%p, %zu) = %ld", m.addr, m.len, ret);
	return ret;
}

static void run_ops(struct rng *r, unsigned int count);

/*
 * fork() copies the file table before the memory, so a child may find in
 * a slot an fd that a sibling opened in between: not open in the child, or
 * (once the child opens something) another file. Keep only kipc files.
 */
static void child_forget_strangers(void)
{
	struct stat st;
	unsigned int i;
	int fd;

	for (i = 0; i < FD_SLOTS; i++) {
		fd = atomic_load(&self->ps->fds[i]);
		if (fd >= 0 && (fstat(fd, &st) || !S_ISCHR(st.st_mode) || st.st_rdev != kipc_rdev))
			atomic_store(&self->ps->fds[i], -1);
	}
}

/* A child inherits the files and mappings, does a few calls and exits. */
static long op_fork(struct rng *r)
{
	pid_t pid;

	if (self->in_child || atomic_load(&self->ps->children) >= MAX_CHILDREN)
		return 0;
	atomic_fetch_add(&self->ps->children, 1);
	/*
	 * A failed allocation in fork() itself (the new stack is vmalloc'd)
	 * prints an allocation-failure warning with a stack: not ours, and
	 * the console checks would take it for a report.
	 */
	if (opt.fault_inject && pwrite(self->make_it_fail, "0", 1, 0) != 1)
		_exit(2);
	pid = fork();
	if (pid != 0 && opt.fault_inject && pwrite(self->make_it_fail, "1", 1, 0) != 1)
		_exit(2);
	if (pid < 0) {
		atomic_fetch_sub(&self->ps->children, 1);
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/* Only this thread exists here: no locks of siblings are taken. */
		self->in_child = true;
		if (opt.fault_inject)
			close(self->make_it_fail);	/* the parent thread's */
		child_forget_strangers();
		/* The parent thread's genetlink socket is its own: answers must not mix. */
		if (self->nlfd >= 0)
			self->nlfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		enable_faults();
		run_ops(r, rnd_below(r, 20) + 1);
		_exit(0);
	}
	trace("fork() = %d", pid);
	return 0;
}

static void reap_children(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		atomic_fetch_sub(&self->ps->children, 1);
		if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) {
			atomic_fetch_add(&res->children_bad, 1);
			violation("forked child %d died of signal %d", pid, WTERMSIG(status));
		} else if (WIFEXITED(status) && WEXITSTATUS(status)) {
			atomic_fetch_add(&res->children_bad, 1);
		}
	}
}

/* Interrupt a sibling: blocking calls must return EINTR or restart cleanly. */
static long op_signal(struct rng *r)
{
	struct proc_state *ps = self->ps;
	int tid = atomic_load(&ps->tids[rnd_below(r, ps->nthreads)]);

	if (self->in_child || ps->nthreads < 2 || tid <= 0)
		return 0;
	return syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
}

/* ---- generic netlink: random commands and attributes to family "kipc" */

static int genl_family_id(int fd, const char *name)
{
	struct {
		struct nlmsghdr nh;
		struct genlmsghdr gh;
		char attrs[64];
	} req = { 0 };
	char buf[8192];
	struct nlattr *na;
	struct nlmsghdr *nh;
	int len, alen;

	req.nh.nlmsg_type = GENL_ID_CTRL;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.gh.cmd = CTRL_CMD_GETFAMILY;
	req.gh.version = 1;
	na = (struct nlattr *)req.attrs;
	na->nla_type = CTRL_ATTR_FAMILY_NAME;
	na->nla_len = NLA_HDRLEN + strlen(name) + 1;
	strcpy((char *)na + NLA_HDRLEN, name);
	req.nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN) + NLA_ALIGN(na->nla_len);
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
		return 0;
	len = recv(fd, buf, sizeof(buf), 0);
	nh = (struct nlmsghdr *)buf;
	if (len < (int)NLMSG_LENGTH(GENL_HDRLEN) || !NLMSG_OK(nh, (unsigned int)len) ||
	    nh->nlmsg_type == NLMSG_ERROR)
		return 0;
	alen = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	na = (struct nlattr *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
	while (alen >= NLA_HDRLEN && na->nla_len >= NLA_HDRLEN && na->nla_len <= alen) {
		if (na->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(__u16 *)((char *)na + NLA_HDRLEN);
		alen -= NLA_ALIGN(na->nla_len);
		na = (struct nlattr *)((char *)na + NLA_ALIGN(na->nla_len));
	}
	return 0;
}

static long op_netlink(struct rng *r)
{
	unsigned char *msg = self->scratch;
	struct nlmsghdr *nh = (struct nlmsghdr *)msg;
	struct genlmsghdr *gh = (struct genlmsghdr *)NLMSG_DATA(nh);
	size_t off = NLMSG_LENGTH(GENL_HDRLEN);
	unsigned int i, nattrs = rnd_below(r, 6);
	char buf[4096];
	long ret;

	if (!self->ps->nl_family)
		return 0;
	memset(msg, 0, off);
	nh->nlmsg_type = self->ps->nl_family;
	nh->nlmsg_flags = NLM_F_REQUEST | (rnd(r) & (NLM_F_ACK | NLM_F_DUMP | NLM_F_EXCL |
						     NLM_F_CREATE));
	nh->nlmsg_seq = rnd(r);
	gh->cmd = rnd_below(r, 32);
	gh->version = rnd_below(r, 3);
	for (i = 0; i < nattrs && off < 2048; i++) {
		struct nlattr *na = (struct nlattr *)(msg + off);
		size_t plen = one_in(r, 2) ? rnd_below(r, 5) * 4 : rnd_below(r, 300);

		na->nla_type = rnd_below(r, 32) | (one_in(r, 8) ? NLA_F_NESTED : 0);
		na->nla_len = NLA_HDRLEN + plen;
		fill_random(r, (char *)na + NLA_HDRLEN, plen);
		if (one_in(r, 10))
			na->nla_len = rnd(r);	/* a lying length */
		off += NLA_ALIGN(NLA_HDRLEN + plen);
	}
	nh->nlmsg_len = one_in(r, 20) ? rnd_below(r, off + 16) : off;
	ret = send(self->ps->nlfd, msg, off, MSG_DONTWAIT);
	/* Drain replies (and dumps) so the socket never fills up. */
	while (recv(self->ps->nlfd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	trace("netlink(cmd %u, %u attrs) = %ld", gh->cmd, nattrs, ret);
	return ret;
}

/*
 * ---- generic netlink, structured: well-framed requests to family "kipc"
 * with a random command (mostly real ones), random flags (NLM_F_DUMP
 * among them) and attributes of the family's policy, right and wrong:
 * boundary values, wrong lengths and types, nested where flat is wanted,
 * unknown and output-only attributes, duplicates, missing ones. Each
 * thread has its own socket, so it reads its own answers; requests whose
 * answer is known (a plain dump, STATS_GET, a sane OBJ_NEW) are checked.
 */

/* Names the structured requests use: their own, and the shared buffers'. */
static const char *const genl_names[] = { "fz-nl-a", "fz-nl-b", "fz-nl-c", "fz-a", "fz-b" };

static const uint32_t genl_u32s[] = {
	0, 1, 2, 3, 4, 0600, 0777, 01000, 64, 4096, 65535, 65536, 65537,
	16U << 20, (16U << 20) + 1, 0x7fffffff, 0x80000000, 0xffffffff,
};

/* Append an attribute; returns the new offset, or @off if it does not fit. */
static size_t genl_put(unsigned char *msg, size_t off, size_t max, uint16_t type,
		       const void *data, size_t len)
{
	struct nlattr *na = (struct nlattr *)(msg + off);

	if (off + NLA_ALIGN(NLA_HDRLEN + len) > max)
		return off;
	na->nla_type = type;
	na->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)na + NLA_HDRLEN, data, len);
	memset((char *)na + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	return off + NLA_ALIGN(NLA_HDRLEN + len);
}

/* A name: mostly from the pool, sometimes at or past the limits. */
static size_t genl_name(struct rng *r, char *buf, bool creating)
{
	size_t len;

	switch (rnd_below(r, 12)) {
	case 0:
		buf[0] = '\0';
		return 1;				/* empty */
	case 1:
		memset(buf, 'n', KIPC_NAME_MAX - 1);	/* the longest */
		buf[KIPC_NAME_MAX - 1] = '\0';
		return KIPC_NAME_MAX;
	case 2:
		memset(buf, 'n', KIPC_NAME_MAX);	/* one too long */
		buf[KIPC_NAME_MAX] = '\0';
		return KIPC_NAME_MAX + 1;
	case 3:
		memcpy(buf, "fz-nl-a", 7);		/* no NUL */
		return 7;
	case 4:
		strcpy(buf, one_in(r, 2) ? "fz/nl" : "fz nl");
		return 6;
	default:
		/* OBJ_NEW would make a shared buffer's name a queue's. */
		len = creating ? rnd_below(r, 3) : rnd_below(r, sizeof(genl_names) /
							      sizeof(genl_names[0]));
		strcpy(buf, genl_names[len]);
		return strlen(buf) + 1;
	}
}

/* One attribute of the family, right or wrong. */
static size_t genl_attr(struct rng *r, unsigned char *msg, size_t off, size_t max,
			uint8_t cmd)
{
	uint16_t type = one_in(r, 10) ? rnd_below(r, 64) : rnd_below(r, KIPC_A_MAX + 1);
	unsigned char payload[KIPC_NAME_MAX + 16];
	uint32_t v = genl_u32s[rnd_below(r, sizeof(genl_u32s) / sizeof(genl_u32s[0]))];
	uint64_t v64 = rnd(r);
	size_t len;

	if (one_in(r, 20))
		type |= NLA_F_NET_BYTEORDER;
	switch (rnd_below(r, 10)) {
	case 0:		/* a wrong length */
		len = rnd_below(r, 9);
		fill_random(r, payload, len);
		break;
	case 1:		/* nested: a few attributes inside */
		len = 0;
		for (unsigned int i = rnd_below(r, 3) + 1; i; i--) {
			struct nlattr *in = (struct nlattr *)(payload + len);

			in->nla_type = rnd_below(r, KIPC_A_MAX + 1);
			in->nla_len = NLA_HDRLEN + 4;
			memcpy(payload + len + NLA_HDRLEN, &v, 4);
			len += NLA_HDRLEN + 4;
		}
		type |= NLA_F_NESTED;
		break;
	case 2:		/* a u64 where most are u32 */
		memcpy(payload, &v64, 8);
		len = 8;
		break;
	default:	/* the type the policy (or the reply) gives it */
		switch (type & NLA_TYPE_MASK) {
		case KIPC_A_NAME:
			len = genl_name(r, (char *)payload, cmd == KIPC_CMD_OBJ_NEW);
			break;
		case KIPC_A_ANON:
		case KIPC_A_UNSPEC:
			len = 0;
			break;
		case KIPC_A_BYTES: case KIPC_A_SENT: case KIPC_A_RECEIVED:
		case KIPC_A_SEND_WAITS: case KIPC_A_RECV_WAITS: case KIPC_A_MEM_BYTES:
			memcpy(payload, &v64, 8);
			len = 8;
			break;
		case KIPC_A_TYPE:
			if (!one_in(r, 4))
				v = one_in(r, 3) ? KIPC_TYPE_SHBUF : KIPC_TYPE_QUEUE;
			memcpy(payload, &v, 4);
			len = 4;
			break;
		default:
			memcpy(payload, &v, 4);
			len = 4;
			break;
		}
	}
	off = genl_put(msg, off, max, type, payload, len);
	if (one_in(r, 40) && off >= NLA_HDRLEN) {
		/* a length that lies about the last attribute */
		struct nlattr *na = (struct nlattr *)(msg + off - NLA_ALIGN(NLA_HDRLEN + len));

		na->nla_len = one_in(r, 2) ? (uint16_t)rnd_below(r, NLA_HDRLEN) :
					     (uint16_t)(na->nla_len + 64);
	}
	return off;
}

/* A sane request of a command the oracle knows the answer to; 0 if none. */
static uint8_t genl_sane(struct rng *r, unsigned char *msg, size_t *off, size_t max)
{
	static const uint8_t cmds[] = { KIPC_CMD_OBJ_GET, KIPC_CMD_STATS_GET, KIPC_CMD_OBJ_NEW };
	uint8_t cmd = cmds[rnd_below(r, 3)];
	uint32_t v;

	if (cmd == KIPC_CMD_OBJ_NEW) {
		v = KIPC_TYPE_QUEUE;
		*off = genl_put(msg, *off, max, KIPC_A_TYPE, &v, 4);
		*off = genl_put(msg, *off, max, KIPC_A_NAME, genl_names[rnd_below(r, 3)],
				strlen("fz-nl-a") + 1);
		v = rnd_below(r, 0777 + 1);
		*off = genl_put(msg, *off, max, KIPC_A_MODE, &v, 4);
		v = rnd_below(r, 64) + 1;
		*off = genl_put(msg, *off, max, KIPC_A_MAXMSG, &v, 4);
		v = rnd_below(r, 4096) + 1;
		*off = genl_put(msg, *off, max, KIPC_A_MSGSIZE, &v, 4);
	}
	return cmd;
}

static long op_genl(struct rng *r)
{
	static const uint16_t flag_bits[] = {
		NLM_F_ACK, NLM_F_DUMP, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_EXCL,
		NLM_F_CREATE, NLM_F_REPLACE, NLM_F_APPEND, NLM_F_ECHO, NLM_F_MULTI,
	};
	unsigned char *msg = self->scratch;
	struct nlmsghdr *nh = (struct nlmsghdr *)msg;
	struct genlmsghdr *gh = (struct genlmsghdr *)NLMSG_DATA(nh);
	size_t off = NLMSG_LENGTH(GENL_HDRLEN), max = 4096;
	uint8_t sane = 0;
	bool answered = false, lost = false;
	int ack = 0, n, fd = self->nlfd;
	unsigned int i;
	char buf[8192];
	long ret;

	if (!self->ps->nl_family || fd < 0)
		return 0;
	memset(msg, 0, off);
	nh->nlmsg_type = self->ps->nl_family;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nh->nlmsg_seq = ++self->nlseq;
	gh->version = KIPC_GENL_VERSION;
	if (one_in(r, 4)) {
		sane = genl_sane(r, msg, &off, max);
		gh->cmd = sane;
		if (sane == KIPC_CMD_OBJ_GET)
			nh->nlmsg_flags |= NLM_F_DUMP;
	} else {
		/* Mostly real commands; EVENT, UNSPEC and unknown ones too. */
		gh->cmd = one_in(r, 8) ? rnd_below(r, 256) : rnd_below(r, KIPC_CMD_MAX + 1);
		for (i = rnd_below(r, 4); i; i--)
			nh->nlmsg_flags ^= flag_bits[rnd_below(r, sizeof(flag_bits) /
							       sizeof(flag_bits[0]))];
		if (one_in(r, 3))
			nh->nlmsg_flags |= NLM_F_DUMP;
		if (one_in(r, 20))
			nh->nlmsg_flags &= ~NLM_F_REQUEST;
		if (one_in(r, 20))
			gh->version = rnd_below(r, 256);
		if (one_in(r, 20))
			gh->reserved = rnd(r);
		/* Missing attributes (none at all), the right ones, duplicates. */
		for (i = rnd_below(r, 7); i; i--)
			off = genl_attr(r, msg, off, max, gh->cmd);
	}
	nh->nlmsg_len = off;
	if (!sane && one_in(r, 30))
		nh->nlmsg_len = rnd_below(r, off + 32);		/* a lying header */
	ret = send(fd, msg, off, MSG_DONTWAIT);
	trace("genl(cmd %u, flags %#x, %zu bytes%s) = %ld", gh->cmd, nh->nlmsg_flags, off,
	      sane ? ", sane" : "", ret);
	if (ret < 0)
		return ret;

	/* The answers: replies, a dump's parts (made inside recv), the ack. */
	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == ENOBUFS || errno == EINTR)) {
			lost |= errno == ENOBUFS;
			continue;
		}
		if (n <= 0)
			break;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned int)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != nh->nlmsg_seq)
				continue;	/* an event, or an answer lost earlier */
			if (h->nlmsg_type == NLMSG_ERROR && !answered) {
				ack = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				answered = true;
			} else if (h->nlmsg_type == NLMSG_DONE && !answered) {
				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					memcpy(&ack, NLMSG_DATA(h), sizeof(int));
				answered = true;
			}
		}
	}
	/*
	 * A dump an injected failure cut short stays open on its socket
	 * (the next recv() would resume it): a new dump there is EBUSY.
	 */
	if (sane && answered && ack < 0 && !self->in_child && !lost &&
	    !injected_failure(-ack) && ack != -ENOBUFS && ack != -EAGAIN &&
	    !(ack == -EBUSY && (nh->nlmsg_flags & NLM_F_DUMP) && opt.fault_inject) &&
	    !(sane == KIPC_CMD_OBJ_NEW && (ack == -EEXIST || limit_answer(-ack))))
		violation("genl cmd %u, well-formed: error %d (%s)", sane, ack, strerror(-ack));
	if (sane == KIPC_CMD_OBJ_NEW && ack == 0 && one_in(r, 2)) {
		/* Do not let the names pile up: most go again at once. */
		struct kipc_unlink ul = { .size = sizeof(ul) };
		int dfd = open(opt.device, O_RDONLY | O_CLOEXEC);
		struct nlattr *na = (struct nlattr *)(msg + NLMSG_LENGTH(GENL_HDRLEN) +
						      NLA_ALIGN(NLA_HDRLEN + 4));

		snprintf(ul.name, sizeof(ul.name), "%s", (char *)na + NLA_HDRLEN);
		if (dfd >= 0) {
			ioctl(dfd, KIPC_IOC_UNLINK, &ul);
			close(dfd);
		}
	}
	return answered && ack < 0 ? -1 : 0;
}

/* ---- shared buffers: bind files to buffers, then hammer the semaphores */

/* A few names, so workers (and their forks) meet on the same buffers. */
static const char *const shbuf_names[] = { "fz-a", "fz-b", "fz-c" };

/* Bind a new file to a shared buffer: mostly well-formed, sometimes not. */
static long op_shbuf(struct rng *r)
{
	static const uint64_t sizes[] = { 0, 1, 4095, 4096, 4097, 8192, 65536 };
	struct kipc_shbuf_open *so = (struct kipc_shbuf_open *)self->scratch;
	__u32 *values = (__u32 *)(self->scratch + 512);
	uint64_t vlen = 0;
	bool sane = true;
	int fd, ret, i;

	fd = open(opt.device, O_RDWR | O_CLOEXEC | (one_in(r, 4) ? 0 : O_NONBLOCK));
	if (fd < 0)
		return -1;
	memset(so, 0, sizeof(*so));
	so->size = sizeof(*so);
	so->mode = 0600;
	so->nsems = rnd_below(r, 9);
	so->bufsize = sizes[rnd_below(r, sizeof(sizes) / sizeof(sizes[0]))];
	if (one_in(r, 3)) {
		so->flags = KIPC_OPEN_ANON;
	} else {
		so->flags = KIPC_OPEN_CREATE | (one_in(r, 4) ? KIPC_OPEN_EXCL : 0);
		strcpy(so->name, shbuf_names[rnd_below(r, 3)]);
	}
	if (!so->nsems && !so->bufsize)
		so->nsems = 1;
	if (one_in(r, 2)) {
		for (i = 0; i < (int)so->nsems; i++)
			values[i] = rnd_below(r, 4);
		so->init_values = (uintptr_t)values;
	}
	if (one_in(r, 8)) {
		/* hostile: huge sizes and counts, bad values, bad pointers */
		sane = false;
		switch (rnd_below(r, 5)) {
		case 0:
			so->bufsize = rnd_size(r);
			break;
		case 1:
			so->nsems = rnd_size(r);
			break;
		case 2:
			values[0] = rnd(r);
			so->init_values = (uintptr_t)values;
			break;
		case 3:
			so->init_values = (uintptr_t)rnd_ptr(r, &vlen);
			break;
		default:
			so->flags = rnd(r);
			break;
		}
	}
	ret = ioctl(fd, KIPC_IOC_SHBUF_OPEN, so);
	trace("ioctl(%d, SHBUF_OPEN, flags %#x, %u sems, %" PRIu64 " bytes) = %d",
	      fd, so->flags, so->nsems, (uint64_t)so->bufsize, ret);
	if (ret < 0) {
		/* EEXIST (exclusive) and the per-user limits are answers too */
		if (sane && errno != EEXIST && !limit_answer(errno) && errno != EINTR &&
		    !injected_failure(errno))
			violation("SHBUF_OPEN, well-formed: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (one_in(r, 16) && !(so->flags & KIPC_OPEN_ANON))
		ioctl(fd, KIPC_IOC_UNLINK, &(struct kipc_unlink){
			.size = sizeof(struct kipc_unlink), .name = "fz-a" });
	store_fd(r, fd);
	return 0;
}

/* A deadline a few milliseconds ahead, or a hostile one. */
static __s64 rnd_deadline(struct rng *r)
{
	if (one_in(r, 10))
		return one_in(r, 2) ? -1 : (__s64)rnd(r);
	return now_ns() + rnd_below(r, 5000000);
}

/* Any semaphore ioctl on any file, with sane and hostile arguments. */
static long op_sem(struct rng *r)
{
	struct kipc_sembuf *ops = (struct kipc_sembuf *)self->scratch;
	int fd = pick_fd(r);
	long ret;

	switch (rnd_below(r, 4)) {
	case 0: {
		struct kipc_sem_arg a = {
			.size = sizeof(a),
			.sem = one_in(r, 10) ? rnd(r) : rnd_below(r, 9),
			.count = one_in(r, 10) ? rnd(r) : rnd_below(r, 3) + 1,
			.flags = rnd_below(r, 8),
		};

		/* mostly bounded: a wait with no deadline sleeps until a signal */
		if (!one_in(r, 50))
			a.flags |= one_in(r, 3) ? KIPC_SEM_NONBLOCK : KIPC_SEM_DEADLINE;
		a.deadline_ns = rnd_deadline(r);
		ret = ioctl(fd, KIPC_IOC_SEM_WAIT, &a);
		trace("ioctl(%d, SEM_WAIT, sem %u, count %u, flags %#x) = %ld", fd, a.sem,
		      a.count, a.flags, ret);
		break;
	}
	case 1: {
		struct kipc_sem_arg a = {
			.size = sizeof(a),
			.sem = one_in(r, 10) ? rnd(r) : rnd_below(r, 9),
			.count = one_in(r, 10) ? rnd(r) : rnd_below(r, 4),
			.flags = one_in(r, 4) ? KIPC_SEM_UNDO : one_in(r, 10) ? rnd(r) : 0,
		};

		ret = ioctl(fd, KIPC_IOC_SEM_POST, &a);
		trace("ioctl(%d, SEM_POST, sem %u, count %u) = %ld", fd, a.sem, a.count, ret);
		break;
	}
	case 2: {
		struct kipc_sem_value v = {
			.size = sizeof(v),
			.sem = one_in(r, 10) ? rnd(r) : rnd_below(r, 9),
		};

		ret = ioctl(fd, KIPC_IOC_SEM_GETVALUE, &v);
		trace("ioctl(%d, SEM_GETVALUE, sem %u) = %ld", fd, v.sem, ret);
		if (ret == 0 && v.value > KIPC_SEM_VALUE_MAX)
			violation("SEM_GETVALUE answered %u, above the maximum", v.value);
		break;
	}
	default: {
		unsigned int i, n = one_in(r, 10) ? rnd_below(r, KIPC_SEMOP_MAX + 3) :
						    rnd_below(r, 4) + 1;
		struct kipc_semop so = {
			.size = sizeof(so),
			.ops = (uintptr_t)ops,
			.nops = n,
			.flags = one_in(r, 3) ? KIPC_SEM_NONBLOCK : KIPC_SEM_DEADLINE,
			.deadline_ns = rnd_deadline(r),
		};
		uint64_t len = n * sizeof(*ops);

		for (i = 0; i < n && i < SCRATCH_SIZE / sizeof(*ops); i++) {
			ops[i].sem = one_in(r, 20) ? rnd(r) : rnd_below(r, 9);
			ops[i].delta = one_in(r, 20) ? (__s32)rnd(r) : (int)rnd_below(r, 7) - 3;
			ops[i].flags = one_in(r, 4) ? KIPC_SEM_UNDO : 0;
			ops[i].__reserved = one_in(r, 30);
		}
		if (one_in(r, 10))
			so.ops = (uintptr_t)rnd_ptr(r, &len);
		ret = ioctl(fd, KIPC_IOC_SEMOP, &so);
		trace("ioctl(%d, SEMOP, %u ops) = %ld", fd, n, ret);
		break;
	}
	}
	return ret;
}

static const char *const queue_names[] = { "fz-q", "fz-r", "fz-s" };

/* Bind a new file to a queue: mostly well-formed, sometimes not. */
static long op_queue(struct rng *r)
{
	static const __u32 counts[] = { 0, 1, 2, 10, 64, 4096 };
	static const __u32 sizes[] = { 0, 1, 8, 64, 256, 257, 4096, 65536 };
	struct kipc_queue_open *qo = (struct kipc_queue_open *)self->scratch;
	static const int modes[] = { O_RDONLY, O_WRONLY, O_RDWR, O_RDWR };
	bool sane = true;
	int fd, ret;

	fd = open(opt.device, modes[rnd_below(r, 4)] | O_CLOEXEC |
		  (one_in(r, 4) ? 0 : O_NONBLOCK));
	if (fd < 0)
		return -1;
	memset(qo, 0, sizeof(*qo));
	qo->size = sizeof(*qo);
	qo->mode = 0600;
	qo->maxmsg = counts[rnd_below(r, sizeof(counts) / sizeof(counts[0]))];
	qo->msgsize = sizes[rnd_below(r, sizeof(sizes) / sizeof(sizes[0]))];
	/*
	 * Sender credentials and tracked requests, in any combination; often
	 * a broadcast queue, dropping its oldest or not, whose names the plain
	 * queues share (opening one by name subscribes, whatever asked).
	 */
	qo->options = rnd_below(r, 2) ? 0 : rnd_below(r, KIPC_QUEUE_OPTIONS + 1);
	if (one_in(r, 3))
		qo->options = KIPC_QUEUE_BROADCAST |
			      (rnd_below(r, 2) ? KIPC_QUEUE_DROP_OLDEST : 0);
	if (one_in(r, 3)) {
		qo->flags = KIPC_OPEN_ANON;
	} else {
		qo->flags = KIPC_OPEN_CREATE | (one_in(r, 4) ? KIPC_OPEN_EXCL : 0);
		strcpy(qo->name, queue_names[rnd_below(r, 3)]);
	}
	if (one_in(r, 8)) {
		/* hostile: huge limits, stray flags, a reserved field, no NUL */
		sane = false;
		switch (rnd_below(r, 6)) {
		case 0:
			qo->maxmsg = rnd(r);
			break;
		case 1:
			qo->msgsize = rnd(r);
			break;
		case 2:
			qo->flags = rnd(r);
			break;
		case 3:
			qo->options = rnd(r);
			break;
		case 4:
			qo->__reserved = rnd(r) | 1;
			break;
		default:
			memset(qo->name, 'q', sizeof(qo->name));
			break;
		}
	}
	ret = ioctl(fd, KIPC_IOC_QUEUE_OPEN, qo);
	trace("ioctl(%d, QUEUE_OPEN, flags %#x, maxmsg %u, msgsize %u) = %d", fd,
	      qo->flags, qo->maxmsg, qo->msgsize, ret);
	if (ret < 0) {
		/*
		 * EEXIST (exclusive), the per-user limits and EINVAL
		 * (limits over queue_bytes_max) are answers too.
		 */
		if (sane && errno != EEXIST && !limit_answer(errno) && errno != EINVAL &&
		    errno != EINTR && !injected_failure(errno))
			violation("QUEUE_OPEN, well-formed: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (one_in(r, 16) && !(qo->flags & KIPC_OPEN_ANON))
		ioctl(fd, KIPC_IOC_UNLINK, &(struct kipc_unlink){
			.size = sizeof(struct kipc_unlink), .name = "fz-q" });
	store_fd(r, fd);
	return 0;
}

/* A message length: mostly small, sometimes a boundary or garbage. */
/*
 * A priority: mostly 0..31 (the fixed lists of the module's data path),
 * often one of a few high ones (many messages share a node of the tree),
 * sometimes anywhere up to KIPC_PRIO_MAX - 1 (nodes come and go), and the
 * bounds on both sides of the two limits.
 */
static __u32 rnd_prio(struct rng *r)
{
	static const __u32 edge[] = {
		KIPC_PRIO_MAX_V3 - 1, KIPC_PRIO_MAX_V3, KIPC_PRIO_MAX_V3 + 1,
		KIPC_PRIO_MAX - 2, KIPC_PRIO_MAX - 1, KIPC_PRIO_MAX,
	};
	static const __u32 few_high[] = { 40, 1000, 20000, KIPC_PRIO_MAX - 1 };

	switch (rnd_below(r, 10)) {
	case 0:
	case 1:
		return few_high[rnd_below(r, 4)];
	case 2:
		return rnd_below(r, KIPC_PRIO_MAX);
	case 3:
		return edge[rnd_below(r, 6)];
	default:
		return rnd_below(r, KIPC_PRIO_MAX_V3);
	}
}

static uint32_t rnd_msglen(struct rng *r)
{
	return one_in(r, 4) ? (uint32_t)rnd_size(r) : (uint32_t)rnd_below(r, 300);
}

/* Send and receive flags: mostly bounded waits, as op_sem's. */
static __u32 rnd_msg_flags(struct rng *r)
{
	if (one_in(r, 20))
		return rnd(r);
	if (one_in(r, 50))
		return 0;
	if (one_in(r, 10))
		return KIPC_MSG_DEADLINE | KIPC_MSG_REALTIME;
	return one_in(r, 3) ? KIPC_MSG_NONBLOCK : KIPC_MSG_DEADLINE;
}

/*
 * Descriptors in messages: SENDMSG with any of the process's files (kipc
 * files, sockets and all: ELOOP must refuse the cycle makers), hostile
 * arrays and counts; RECVMSG at ABI 6's size and ABI 5's, which has no
 * room for any. What is installed goes to the slots, which close it in
 * time, so received files cannot pile up.
 */
static long op_msg_fds(struct rng *r, int fd)
{
	int *fds = (int *)(self->scratch + SCRATCH_SIZE / 2);
	unsigned int i, n = one_in(r, 10) ? rnd_below(r, KIPC_FDS_MAX + 3) :
					    rnd_below(r, KIPC_FDS_MAX + 1);
	uint64_t len;
	long ret;

	if (rnd_below(r, 2)) {
		struct kipc_sendmsg m = {
			.size = one_in(r, 20) ? (__u32)rnd_size(r) : sizeof(m),
			.flags = rnd_msg_flags(r),
			.buf = (uintptr_t)self->scratch,
			.len = rnd_msglen(r),
			.prio = one_in(r, 20) ? rnd(r) : rnd_prio(r),
			.deadline_ns = rnd_deadline(r),
			.fds = (uintptr_t)fds,
			.nfds = n,
			.__reserved = one_in(r, 30),
		};

		for (i = 0; i < n; i++)
			fds[i] = pick_fd(r);
		if (one_in(r, 10)) {
			len = n * sizeof(*fds);
			m.fds = (uintptr_t)rnd_ptr(r, &len);
		}
		ret = ioctl(fd, KIPC_IOC_SENDMSG, &m);
		trace("ioctl(%d, SENDMSG, len %u, nfds %u) = %ld", fd, m.len, n, ret);
		if (ret > 0)
			violation("SENDMSG returned %ld", ret);
		return ret;
	}

	bool ver0 = one_in(r, 3);
	struct kipc_recvmsg rm = {
		.size = ver0 ? KIPC_RECVMSG_SIZE_VER0 : sizeof(rm),
		.flags = rnd_msg_flags(r),
		.buf = (uintptr_t)self->scratch,
		.len = rnd_msglen(r),
		.deadline_ns = rnd_deadline(r),
		.fds = (uintptr_t)fds,
		.nfds = n,
		.fd_flags = one_in(r, 20) ? rnd(r) : rnd_below(r, 2) * KIPC_FD_CLOEXEC,
	};
	unsigned long cmd = ver0 ? _IOC(_IOC_DIR(KIPC_IOC_RECVMSG),
					 _IOC_TYPE(KIPC_IOC_RECVMSG),
					 _IOC_NR(KIPC_IOC_RECVMSG),
					 KIPC_RECVMSG_SIZE_VER0) :
				   KIPC_IOC_RECVMSG;

	for (i = 0; i < n; i++)
		fds[i] = -2;
	if (one_in(r, 10)) {
		len = n * sizeof(*fds);
		rm.fds = (uintptr_t)rnd_ptr(r, &len);
	}
	ret = ioctl(fd, cmd, &rm);
	trace("ioctl(%d, RECVMSG%s, nfds %u) = %ld: hdr %#x nfds %u", fd,
	      ver0 ? " (ABI 5)" : "", n, ret, rm.hdr_flags, rm.nfds);
	if (ret < 0)
		return ret;
	if (ver0 ? rm.nfds != n : rm.nfds > n)
		violation("RECVMSG%s set nfds %u of %u", ver0 ? " (ABI 5)" : "",
			  rm.nfds, n);
	if (ver0 || rm.fds != (uintptr_t)fds)
		return ret;
	for (i = 0; i < rm.nfds && i < n; i++) {
		if (fds[i] < 0) {
			violation("RECVMSG reported %u descriptors, slot %u is %d",
				  rm.nfds, i, fds[i]);
			continue;
		}
		if ((rm.fd_flags & KIPC_FD_CLOEXEC) &&
		    !(fcntl(fds[i], F_GETFD) & FD_CLOEXEC))
			violation("RECVMSG installed %d without close-on-exec", fds[i]);
		store_fd(r, fds[i]);
	}
	return ret;
}

/* A queue's data ioctls on any file, with sane and hostile arguments. */
static long op_msg(struct rng *r)
{
	struct kipc_mvec *vec = (struct kipc_mvec *)(self->scratch + SCRATCH_SIZE / 2);
	unsigned char *data = self->scratch;
	int fd = pick_fd(r);
	uint64_t len;
	long ret;

	switch (rnd_below(r, 6)) {
	case 0:
	case 1: {
		bool send = rnd_below(r, 2);
		struct kipc_msg m = {
			.size = one_in(r, 20) ? (__u32)rnd_size(r) : sizeof(m),
			.flags = rnd_msg_flags(r),
			.len = rnd_msglen(r),
			.prio = one_in(r, 10) ? rnd(r) : rnd_prio(r),
			.deadline_ns = rnd_deadline(r),
		};

		len = m.len;
		m.buf = (uintptr_t)(one_in(r, 6) ? rnd_ptr(r, &len) : data);
		if (send && m.buf == (uintptr_t)data)
			fill_random(r, data, m.len < 256 ? m.len : 256);
		ret = ioctl(fd, send ? KIPC_IOC_SEND : KIPC_IOC_RECV, &m);
		trace("ioctl(%d, %s, len %u, prio %u, flags %#x) = %ld", fd,
		      send ? "SEND" : "RECV", m.len, m.prio, m.flags, ret);
		if (send || !one_in(r, 2))
			break;
		/* The same receive again, with the sender's credentials. */
		struct kipc_recvmsg rm = {
			.size = one_in(r, 20) ? (__u32)rnd_size(r) : sizeof(rm),
			.flags = m.flags,
			.buf = m.buf,
			.len = m.len,
			.deadline_ns = m.deadline_ns,
		};

		ret = ioctl(fd, KIPC_IOC_RECVMSG, &rm);
		trace("ioctl(%d, RECVMSG, len %u, flags %#x) = %ld: hdr %#x pid %d uid %u",
		      fd, rm.len, rm.flags, ret, rm.hdr_flags, rm.pid, rm.uid);
		if (ret >= 0 && (rm.len != ret ||
				 (!(rm.hdr_flags & KIPC_HDR_CREDS) &&
				  (rm.pid || rm.uid || rm.gid))))
			violation("RECVMSG returned %ld, len %u, hdr %#x, pid %d uid %u gid %u",
				  ret, rm.len, rm.hdr_flags, rm.pid, rm.uid, rm.gid);
		break;
	}
	case 2: {
		bool send = rnd_below(r, 2);
		unsigned int i, n = one_in(r, 10) ? rnd_below(r, KIPC_BATCH_MAX + 3) :
						    rnd_below(r, 40);
		unsigned int room = (SCRATCH_SIZE / 2) / sizeof(*vec);
		struct kipc_batch b = {
			.size = sizeof(b),
			.flags = rnd_msg_flags(r),
			.vec = (uintptr_t)vec,
			.count = n,
			.__reserved = one_in(r, 30),
			.deadline_ns = rnd_deadline(r),
		};

		for (i = 0; i < n && i < room; i++) {
			vec[i].buf = (uintptr_t)(data + rnd_below(r, 64) * 16);
			vec[i].len = rnd_below(r, 8) ? rnd_below(r, 128) : rnd_msglen(r);
			vec[i].prio = one_in(r, 20) ? rnd(r) : rnd_prio(r);
		}
		if (one_in(r, 10)) {
			len = n * sizeof(*vec);
			b.vec = (uintptr_t)rnd_ptr(r, &len);
		}
		ret = ioctl(fd, send ? KIPC_IOC_SEND_BATCH : KIPC_IOC_RECV_BATCH, &b);
		trace("ioctl(%d, %s, %u) = %ld", fd, send ? "SEND_BATCH" : "RECV_BATCH", n,
		      ret);
		if (ret > (long)n)
			violation("%s moved %ld of %u messages", send ? "SEND_BATCH" :
				  "RECV_BATCH", ret, n);
		break;
	}
	case 3: {
		/* A receive with its header; hostile: a struct that faults. */
		struct kipc_recvmsg rm = {
			.size = one_in(r, 20) ? (__u32)rnd_size(r) : sizeof(rm),
			.flags = rnd_msg_flags(r),
			.len = rnd_msglen(r),
			.deadline_ns = rnd_deadline(r),
		};
		struct kipc_recvmsg *arg = &rm;

		len = rm.len;
		rm.buf = (uintptr_t)(one_in(r, 6) ? rnd_ptr(r, &len) : data);
		if (one_in(r, 12)) {
			len = sizeof(rm);
			arg = rnd_ptr(r, &len);
		}
		ret = ioctl(fd, KIPC_IOC_RECVMSG, arg);
		trace("ioctl(%d, RECVMSG, len %u, flags %#x) = %ld", fd, rm.len,
		      rm.flags, ret);
		if (ret >= 0 && arg == &rm &&
		    (rm.hdr_flags & ~(KIPC_HDR_CREDS | KIPC_HDR_TRACKED |
				      KIPC_HDR_FDS_TRUNC)))
			violation("RECVMSG reported unknown header flags %#x",
				  rm.hdr_flags);
		if (ret >= 0 && arg == &rm && !(rm.hdr_flags & KIPC_HDR_CREDS) &&
		    (rm.pid || rm.uid || rm.gid))
			violation("RECVMSG reported credentials without KIPC_HDR_CREDS");
		break;
	}
	case 4:
		ret = op_msg_fds(r, fd);
		break;
	default: {
		struct kipc_sendrecv sr = {
			.size = sizeof(sr),
			.flags = rnd_msg_flags(r),
			.recv_fd = one_in(r, 3) ? fd : pick_fd(r),
			/* Sometimes a resumed call: receive only, maybe a parked call. */
			.result = one_in(r, 6) ? KIPC_SENDRECV_PENDING : 0,
			.send_buf = (uintptr_t)data,
			.send_len = rnd_msglen(r),
			.send_prio = one_in(r, 20) ? rnd(r) : rnd_prio(r),
			.recv_buf = (uintptr_t)(data + 256),
			.recv_len = rnd_msglen(r),
			.deadline_ns = rnd_deadline(r),
		};

		if (one_in(r, 8)) {
			len = sr.recv_len;
			sr.recv_buf = (uintptr_t)rnd_ptr(r, &len);
		}
		ret = ioctl(fd, KIPC_IOC_SENDRECV, &sr);
		trace("ioctl(%d, SENDRECV, recv_fd %d, %u -> %u) = %ld", fd, sr.recv_fd,
		      sr.send_len, sr.recv_len, ret);
		if (ret >= 0 && !(sr.result & KIPC_SENDRECV_SENT))
			violation("SENDRECV succeeded without reporting its send");
		break;
	}
	}
	return ret;
}

/*
 * Notifications: bind any file as a channel, register or remove on any
 * file with any file as the channel, read a channel with any size.
 */
static long op_notify(struct rng *r)
{
	int fd = pick_fd(r);
	uint64_t len;
	long ret;

	switch (rnd_below(r, 3)) {
	case 0: {
		struct kipc_channel_open co = {
			.size = sizeof(co),
			.flags = one_in(r, 20) ? rnd(r) : 0,
		};

		ret = ioctl(fd, KIPC_IOC_CHANNEL_OPEN, &co);
		trace("ioctl(%d, CHANNEL_OPEN) = %ld", fd, ret);
		break;
	}
	case 1: {
		struct kipc_notify n = {
			.size = sizeof(n),
			.how = one_in(r, 10) ? rnd(r) : rnd_below(r, 3),
			.channel_fd = one_in(r, 10) ? (int)rnd(r) : pick_fd(r),
			.__reserved = one_in(r, 30),
			.cookie = rnd(r),
		};

		ret = ioctl(fd, KIPC_IOC_NOTIFY, &n);
		trace("ioctl(%d, NOTIFY, how %u, channel %d) = %ld", fd, n.how,
		      n.channel_fd, ret);
		break;
	}
	default: {
		len = one_in(r, 4) ? rnd_below(r, 200) :
		      sizeof(struct kipc_notification) * (1 + rnd_below(r, 4));
		ret = read(fd, rnd_ptr(r, &len), len);
		trace("read(%d, records, %" PRIu64 ") = %ld", fd, len, ret);
		break;
	}
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/*
 * io_uring passthrough: a ring per worker thread (a fork's child makes its
 * own), commands with random numbers and arguments on any descriptor,
 * reaped whenever they complete, cancelled or torn down in flight.
 */

static __thread struct io_uring fz_ring;
static __thread pid_t fz_ring_pid;
static __thread unsigned int fz_inflight;

static const unsigned int uring_cmds[] = {
	KIPC_IOC_SEND, KIPC_IOC_RECV, KIPC_IOC_SEND_BATCH, KIPC_IOC_RECV_BATCH,
	KIPC_IOC_RECVMSG, KIPC_IOC_SENDMSG,
};

static void uring_reap(void)
{
	struct io_uring_cqe *cqe;

	while (io_uring_peek_cqe(&fz_ring, &cqe) == 0) {
		trace("uring cqe %llu = %d", (unsigned long long)cqe->user_data, cqe->res);
		/* -ERESTARTSYS and its kin are the kernel's own: never a result. */
		if (cqe->res <= -512 && cqe->res >= -516)
			violation("io_uring command completed with %d", cqe->res);
		io_uring_cqe_seen(&fz_ring, cqe);
		if (fz_inflight)
			fz_inflight--;
	}
}

static long op_uring(struct rng *r)
{
	uint64_t len = 1 + rnd_below(r, 128);
	struct kipc_uring_cmd c = { 0 };
	struct io_uring_sqe *sqe;
	unsigned int cmd;
	int fd = pick_fd(r);
	size_t room;
	long ret;

	/*
	 * Not under fault injection: a failed allocation in io_uring_setup()
	 * loses io_uring's own task node (kmemleak, 6.1), and one in the
	 * vmalloc'd stack of an io-wq worker, which io_uring creates from
	 * task work at any later system call, warns (as fork() does, above):
	 * neither is kipc's.
	 */
	if (opt.fault_inject)
		return 0;
	if (fz_ring_pid != getpid()) {
		ret = io_uring_queue_init(32, &fz_ring, 0);
		trace("io_uring_queue_init = %ld", ret);
		if (ret) {
			errno = (int)-ret;
			return -1;
		}
		fz_ring_pid = getpid();
		fz_inflight = 0;
	}
	uring_reap();
	if (fz_inflight > 16 || one_in(r, 40)) {
		if (one_in(r, 2)) {
			io_uring_queue_exit(&fz_ring);
			fz_ring_pid = 0;
			trace("io_uring_queue_exit, %u in flight", fz_inflight);
			return 0;
		}
		sqe = io_uring_get_sqe(&fz_ring);
		if (!sqe)
			return -1;
		io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
		io_uring_sqe_set_data64(sqe, ~0ULL);
		ret = io_uring_submit(&fz_ring);
		fz_inflight += ret == 1;
		trace("io_uring cancel any = %ld", ret);
		return ret < 0 ? -1 : 0;
	}
	sqe = io_uring_get_sqe(&fz_ring);
	if (!sqe)
		return -1;
	cmd = uring_cmds[rnd_below(r, sizeof(uring_cmds) / sizeof(uring_cmds[0]))];
	if (one_in(r, 4))
		cmd = _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), rnd_below(r, 128));
	if (one_in(r, 10))
		cmd = one_in(r, 2) ? (unsigned int)rnd(r) :
			_IOC(rnd_below(r, 4), KIPC_IOC_MAGIC, rnd_below(r, 64), rnd_below(r, 128));
	c.arg = (uintptr_t)rnd_ptr(r, &len);
	room = scratch_room((void *)(uintptr_t)c.arg);
	if (room) {
		/* A struct that claims its own size, often non-blocking. */
		__u32 head[2] = { (__u32)rnd_size(r), one_in(r, 2) ? KIPC_MSG_NONBLOCK : (__u32)rnd(r) };

		fill_random(r, (void *)(uintptr_t)c.arg, room < 64 ? room : 64);
		if (one_in(r, 2))
			head[0] = _IOC_SIZE(cmd);
		memcpy((void *)(uintptr_t)c.arg, head, room < sizeof(head) ? room : sizeof(head));
	}
	if (one_in(r, 20))
		c.__reserved = rnd(r);
	kipc_uring_prep_cmd(sqe, fd, cmd, (void *)(uintptr_t)c.arg);
	memcpy(sqe->cmd, &c, sizeof(c));
	io_uring_sqe_set_data64(sqe, rnd(r) >> 1);
	if (one_in(r, 4))
		io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	ret = io_uring_submit(&fz_ring);
	fz_inflight += ret == 1;
	trace("io_uring cmd(%d, %#x, %#llx) = %ld", fd, cmd, (unsigned long long)c.arg, ret);
	return ret < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* The op table: a weight and a function per operation. */

static const struct {
	const char *name;
	unsigned int weight;
	long (*fn)(struct rng *r);
} ops[NR_OPS] = {
	[OP_OPEN]	  = { "open",		10, op_open },
	[OP_CLOSE]	  = { "close",		 6, op_close },
	[OP_DUP]	  = { "dup",		 2, op_dup },
	[OP_IOCTL_KNOWN]  = { "ioctl-known",	10, op_ioctl_known },
	[OP_IOCTL_RANDOM] = { "ioctl-random",	20, op_ioctl_random },
	[OP_READ]	  = { "read",		 8, op_read },
	[OP_WRITE]	  = { "write",		 8, op_write },
	[OP_POLL]	  = { "poll",		 5, op_poll },
	[OP_EPOLL]	  = { "epoll",		 4, op_epoll },
	[OP_FCNTL]	  = { "fcntl",		 2, op_fcntl },
	[OP_MMAP]	  = { "mmap",		 6, op_mmap },
	[OP_MUNMAP]	  = { "munmap",		 3, op_munmap },
	[OP_MREMAP]	  = { "mremap",		 2, op_mremap },
	[OP_MPROTECT]	  = { "mprotect",	 2, op_mprotect },
	[OP_MADVISE]	  = { "madvise",	 2, op_madvise },
	[OP_TOUCH]	  = { "touch",		 4, op_touch },
	[OP_FORK]	  = { "fork",		 1, op_fork },
	[OP_SIGNAL]	  = { "signal",		 1, op_signal },
	[OP_NETLINK]	  = { "netlink",	 6, op_netlink },
	[OP_GENL]	  = { "genl",		10, op_genl },
	[OP_SHBUF]	  = { "shbuf",		 4, op_shbuf },
	[OP_SEM]	  = { "sem",		 8, op_sem },
	[OP_QUEUE]	  = { "queue",		 4, op_queue },
	[OP_MSG]	  = { "msg",		10, op_msg },
	[OP_NOTIFY]	  = { "notify",		 4, op_notify },
	[OP_URING]	  = { "uring",		 6, op_uring },
};

static unsigned int total_weight;

static void run_ops(struct rng *r, unsigned int count)
{
	unsigned int i, w, k;

	for (i = 0; count == 0 || i < count; i++) {
		if (count == 0 && (i & 15) == 0 && now_ns() >= deadline_ns)
			break;
		w = rnd_below(r, total_weight);
		for (k = 0; w >= ops[k].weight; k++)
			w -= ops[k].weight;
		atomic_fetch_add(&res->calls[k], 1);
		if (ops[k].fn(r) < 0)
			atomic_fetch_add(&res->fails[k], 1);
		if (!self->in_child && (i & 63) == 0)
			reap_children();
	}
}

static void *worker_thread(void *arg)
{
	struct thread_state *ts = arg;

	self = ts;
	atomic_store(&ts->ps->tids[ts->id], gettid());
	enable_faults();
	run_ops(&ts->rng, 0);
	atomic_store(&ts->ps->tids[ts->id], 0);
	return NULL;
}

static void sigusr1_handler(int sig)
{
	(void)sig;
}

static void setup_thread(struct thread_state *ts, struct proc_state *ps, unsigned int id)
{
	uint64_t x = opt.seed ^ ((uint64_t)ps->proc << 32) ^ id;

	ts->ps = ps;
	ts->id = id;
	ts->rng.s = splitmix64(&x) | 1;
	ts->scratch = mmap(NULL, SCRATCH_SIZE + page_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ts->scratch == MAP_FAILED) {
		perror("kipc_fuzz: scratch");
		_exit(2);
	}
	mprotect(ts->scratch + SCRATCH_SIZE, page_size, PROT_NONE);
	ts->nlfd = -1;
	if (ps->nl_family) {
		int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

		if (fd >= 0) {
			ts->nlfd = fcntl(fd, F_DUPFD_CLOEXEC, EPOLL_FD_MIN);
			close(fd);
		}
	}
}

static void worker(unsigned int proc)
{
	static struct thread_state ts[MAX_THREADS];
	struct proc_state ps = { .proc = proc, .map_lock = PTHREAD_MUTEX_INITIALIZER };
	struct sigaction sa = { 0 };
	unsigned int i;
	uint64_t stop;
	int fd;

	/* Inherited files (the VM's result port) are not ours to fuzz. */
	syscall(SYS_close_range, 3, ~0U, 0);
	for (i = 0; i < FD_SLOTS; i++)
		atomic_init(&ps.fds[i], -1);
	sa.sa_handler = fault_handler;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	/* Half the processes restart interrupted calls, half see EINTR. */
	sa.sa_handler = sigusr1_handler;
	sa.sa_flags = proc % 2 ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	fd = epoll_create1(EPOLL_CLOEXEC);
	ps.epfd = fcntl(fd, F_DUPFD_CLOEXEC, EPOLL_FD_MIN);
	close(fd);
	ps.nlfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (ps.nlfd >= 0) {
		fd = ps.nlfd;
		ps.nlfd = fcntl(fd, F_DUPFD_CLOEXEC, EPOLL_FD_MIN);
		close(fd);
		ps.nl_family = genl_family_id(ps.nlfd, "kipc");
	}

	ps.nthreads = opt.threads;
	for (i = 0; i < opt.threads; i++)
		setup_thread(&ts[i], &ps, i);
	self = &ts[0];
	for (i = 1; i < opt.threads; i++)
		if (pthread_create(&ps.threads[i], NULL, worker_thread, &ts[i])) {
			perror("kipc_fuzz: pthread_create");
			_exit(2);
		}
	ps.threads[0] = pthread_self();
	atomic_store(&ps.tids[0], gettid());
	enable_faults();
	run_ops(&ts[0].rng, 0);

	/* Past the deadline: interrupt siblings blocked in the kernel. */
	stop = now_ns() + 10000000000ULL;
	for (i = 1; i < opt.threads; i++) {
		while (pthread_tryjoin_np(ps.threads[i], NULL) == EBUSY && now_ns() < stop) {
			int tid = atomic_load(&ps.tids[i]);

			if (tid > 0)
				syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
			usleep(10000);
		}
	}
	while (atomic_load(&ps.children) > 0 && now_ns() < stop) {
		reap_children();
		usleep(10000);
	}
	/* Anything still blocked dies with the process; that is fine. */
	_exit(0);
}

/* ------------------------------------------------------------------ */

static int device_answers(void)
{
	struct kipc_version v = { 0 };
	int fd = open(opt.device, O_RDWR | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, KIPC_IOC_VERSION, &v);
	close(fd);
	return ret == 0 && v.major == KIPC_VERSION_MAJOR && v.abi == KIPC_ABI_VERSION ? 0 : -1;
}

/*
 * Become @uid (gid @uid, no supplementary groups) for good, before any
 * worker exists, so nothing of the run keeps root's rights.
 */
static int drop_privileges(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
		return -1;
	if (geteuid() != uid || getegid() != uid) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: kipc_fuzz [--seed N] [--duration SECS] [--procs N] [--threads N]\n"
		   "                 [--device PATH] [--verbose] [--fault-inject] [--user UID]\n"
		   "  defaults: a fresh seed, 120 s, 4 processes x 4 threads, %s\n"
		   "  --user: drop to that uid (and gid, no groups) before fuzzing\n",
		KIPC_DEVICE_PATH);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "procs", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 't' },
		{ "device", required_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "fault-inject", no_argument, NULL, 'f' },
		{ "user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	pid_t pids[MAX_PROCS];
	bool have_seed = false, killed = false;
	unsigned int i, alive, stuck = 0, crashed = 0, test = 0;
	unsigned long calls = 0;
	uint64_t hard_stop;
	int c, status, fd, family;
	char user_arg[32];
	struct stat st;

	while ((c = getopt_long(argc, argv, "s:d:p:t:D:vfu:h", lopts, NULL)) != -1) {
		switch (c) {
		case 's': opt.seed = strtoull(optarg, NULL, 0); have_seed = true; break;
		case 'd': opt.duration = strtoul(optarg, NULL, 0); break;
		case 'p': opt.procs = strtoul(optarg, NULL, 0); break;
		case 't': opt.threads = strtoul(optarg, NULL, 0); break;
		case 'D': opt.device = optarg; break;
		case 'v': opt.verbose = true; break;
		case 'f': opt.fault_inject = true; break;
		case 'u': opt.user = strtol(optarg, NULL, 0); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (opt.user >= 0 && opt.fault_inject) {
		/* make-it-fail takes CAP_SYS_RESOURCE to write */
		fprintf(stderr, "kipc_fuzz: --user and --fault-inject do not go together\n");
		return 2;
	}
	if (!opt.procs || opt.procs > MAX_PROCS || !opt.threads || opt.threads > MAX_THREADS) {
		fprintf(stderr, "kipc_fuzz: 1..%d processes and 1..%d threads\n",
			MAX_PROCS, MAX_THREADS);
		return 2;
	}
	if (!have_seed) {
		uint64_t x = now_ns() ^ ((uint64_t)getpid() << 20);

		opt.seed = splitmix64(&x);
	}
	page_size = sysconf(_SC_PAGESIZE);
	if (stat(opt.device, &st) == 0)
		kipc_rdev = st.st_rdev;
	for (i = 0; i < NR_OPS; i++)
		total_weight += ops[i].weight;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (opt.fault_inject && access("/proc/self/make-it-fail", F_OK)) {
		printf("TAP version 13\n1..0 # SKIP no /proc/self/make-it-fail: kernel without fault injection\n");
		return 4;	/* KSFT_SKIP */
	}
	printf("TAP version 13\n1..4\n");
	if (opt.user >= 0 && drop_privileges((uid_t)opt.user)) {
		printf("Bail out! cannot become uid %ld: %s\n", opt.user, strerror(errno));
		return 1;
	}
	snprintf(user_arg, sizeof(user_arg), " --user %ld", opt.user);
	printf("# kipc_fuzz: seed=%" PRIu64 " duration=%us procs=%u threads=%u device=%s%s%s\n",
	       opt.seed, opt.duration, opt.procs, opt.threads, opt.device,
	       opt.fault_inject ? " fault-inject" : "", opt.user >= 0 ? user_arg : "");
	printf("# replay: kipc_fuzz --seed %" PRIu64 " --duration %u --procs %u --threads %u%s%s\n",
	       opt.seed, opt.duration, opt.procs, opt.threads,
	       opt.fault_inject ? " --fault-inject" : "", opt.user >= 0 ? user_arg : "");

	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED) {
		perror("kipc_fuzz: mmap");
		return 2;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	family = fd >= 0 ? genl_family_id(fd, "kipc") : 0;
	if (fd >= 0)
		close(fd);
	if (family)
		printf("# netlink: genetlink family kipc is %d: random messages go to it\n", family);
	else
		printf("# netlink: no genetlink family kipc (yet): netlink ops do nothing\n");
	if (device_answers()) {
		printf("Bail out! %s does not answer KIPC_IOC_VERSION before the run: %s\n",
		       opt.device, strerror(errno));
		return 1;
	}

	deadline_ns = now_ns() + opt.duration * 1000000000ULL;
	for (i = 0; i < opt.procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			printf("Bail out! fork: %s\n", strerror(errno));
			return 1;
		}
		if (pids[i] == 0)
			worker(i);
	}

	/*
	 * Workers stop at the deadline and give blocked threads 10 s; after
	 * 30 s they are killed, and one that SIGKILL cannot end within another
	 * 30 s is stuck in the kernel.
	 */
	hard_stop = deadline_ns + 30000000000ULL;
	alive = opt.procs;
	while (alive) {
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid > 0) {
			for (i = 0; i < opt.procs; i++)
				if (pids[i] == pid)
					break;
			if (i == opt.procs)
				continue;
			pids[i] = 0;
			alive--;
			if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) {
				crashed++;
				printf("# worker %u died of signal %d\n", i, WTERMSIG(status));
			} else if (WIFEXITED(status) && WEXITSTATUS(status)) {
				crashed++;
				printf("# worker %u exited %d\n", i, WEXITSTATUS(status));
			}
			continue;
		}
		if (now_ns() > hard_stop) {
			if (killed)
				break;
			for (i = 0; i < opt.procs; i++)
				if (pids[i] > 0) {
					printf("# worker %u still running 30 s after the deadline: SIGKILL\n",
					       i);
					kill(pids[i], SIGKILL);
				}
			killed = true;
			hard_stop += 30000000000ULL;
		}
		usleep(50000);
	}
	stuck = alive;

	for (i = 0; i < NR_OPS; i++) {
		calls += atomic_load(&res->calls[i]);
		printf("# %-13s %9lu calls, %9lu failed\n", ops[i].name,
		       atomic_load(&res->calls[i]), atomic_load(&res->fails[i]));
	}

	printf("%s %u workers ran %lu operations and exited cleanly\n",
	       calls > 0 && crashed == 0 ? "ok" : "not ok", ++test, calls);
	printf("%s %u no worker stuck in the kernel (all ended within 60 s of SIGKILL)\n",
	       stuck == 0 ? "ok" : "not ok", ++test);
	if (stuck)
		printf("# %u worker(s) did not die: see the console's hung-task report\n", stuck);
	printf("%s %u well-formed calls on live files did what the ABI says\n",
	       atomic_load(&res->oracle_violations) == 0 ? "ok" : "not ok", ++test);
	if (atomic_load(&res->oracle_violations)) {
		printf("# %lu violation(s); the first ones:\n",
		       atomic_load(&res->oracle_violations));
		for (i = 0; i < MAX_REPORTED && res->violations[i][0]; i++)
			printf("#   %s\n", res->violations[i]);
	}
	printf("%s %u %s still answers KIPC_IOC_VERSION after the run\n",
	       device_answers() == 0 ? "ok" : "not ok", ++test, opt.device);
	printf("# seed=%" PRIu64 "\n", opt.seed);

	return crashed || stuck || atomic_load(&res->oracle_violations) || device_answers() ? 1 : 0;
}
