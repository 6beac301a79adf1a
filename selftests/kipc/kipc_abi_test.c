// SPDX-License-Identifier: GPL-2.0
/*
 * The extensible-struct ABI (Documentation/uapi.rst, "Extensible
 * structs"): every ioctl whose struct starts with a size field, called as a
 * program built against another layout would call it. The command number
 * encodes the struct's size, so each layout is its own number:
 *
 *  ver0           the first published layout (KIPC_*_SIZE_VER0), in the
 *                 command and in the size field: works
 *  longer         sizeof + 8 in both, the unknown tail zero: works
 *  tail           sizeof + 8 in both, a non-zero byte in the tail: E2BIG
 *                 (KIPC_IOC_STATS, a reply, zeroes the tail instead)
 *  field_bigger   the command says sizeof, the size field sizeof + 8: EINVAL
 *  field_smaller  the command says sizeof + 8, the size field sizeof: EINVAL
 *
 * A refused call must have had no effect.
 */
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "kipc_test.h"

#define LONGER	8	/* bytes a "newer" layout adds */

enum abi_kind { VER0, LONGER_ZERO, LONGER_TAIL, FIELD_BIGGER, FIELD_SMALLER };

/* The argument buffer: room for any struct plus its longer tail. */
static union {
	__u64 align;
	unsigned char raw[512];
} abi_buf;

/* The size field and the command's size for @kind. */
static void abi_sizes(enum abi_kind kind, size_t ksize, size_t ver0,
		      __u32 *field, __u32 *csize)
{
	*field = *csize = 0;
	switch (kind) {
	case VER0:
		*field = *csize = ver0;
		break;
	case LONGER_ZERO:
	case LONGER_TAIL:
		*field = *csize = ksize + LONGER;
		break;
	case FIELD_BIGGER:
		*csize = ksize;
		*field = ksize + LONGER;
		break;
	case FIELD_SMALLER:
		*csize = ksize + LONGER;
		*field = ksize;
		break;
	}
}

/* What a call of @kind must return when the call itself would succeed. */
static int abi_expect(enum abi_kind kind)
{
	switch (kind) {
	case LONGER_TAIL:
		return -E2BIG;
	case FIELD_BIGGER:
	case FIELD_SMALLER:
		return -EINVAL;
	default:
		return 0;
	}
}

/*
 * Call command @nr (direction @dir) with @arg, @ksize bytes as this header
 * knows it, laid out as @kind says; the buffer is left in abi_buf.
 */
static int abi_call(int fd, unsigned int dir, unsigned int nr,
		    const void *arg, size_t ksize, size_t ver0,
		    enum abi_kind kind)
{
	__u32 field, csize;

	abi_sizes(kind, ksize, ver0, &field, &csize);
	memset(abi_buf.raw, 0, sizeof(abi_buf.raw));
	memcpy(abi_buf.raw, arg, ksize);
	memcpy(abi_buf.raw, &field, sizeof(field));
	/* An older struct ends at VER0: what follows is not the kernel's. */
	if (kind == VER0)
		memset(abi_buf.raw + ver0, 0xee, sizeof(abi_buf.raw) - ver0);
	if (kind == LONGER_TAIL)
		abi_buf.raw[ksize + 3] = 0x5a;
	return kt_err(ioctl(fd, _IOC(dir, KIPC_IOC_MAGIC, nr, csize),
			    abi_buf.raw));
}

/* @cmd is one of the header's constants: only its direction and number count. */
#define ABI_CALL(fd, cmd, arg, ver0, kind) \
	abi_call(fd, _IOC_DIR(cmd), _IOC_NR(cmd), &(arg), sizeof(arg), ver0, kind)

FIXTURE(abi) {
	int q;		/* anonymous queue, O_RDWR, 8 x 64 */
	int sb;		/* anonymous buffer, 4096 bytes, 2 semaphores at 0 */
	char name[KIPC_NAME_MAX];	/* a name the test may create */
};

FIXTURE_VARIANT(abi) {
	enum abi_kind kind;
};

FIXTURE_VARIANT_ADD(abi, ver0) { .kind = VER0 };
FIXTURE_VARIANT_ADD(abi, longer) { .kind = LONGER_ZERO };
FIXTURE_VARIANT_ADD(abi, tail) { .kind = LONGER_TAIL };
FIXTURE_VARIANT_ADD(abi, field_bigger) { .kind = FIELD_BIGGER };
FIXTURE_VARIANT_ADD(abi, field_smaller) { .kind = FIELD_SMALLER };

FIXTURE_SETUP(abi)
{
	self->q = kt_anon(O_RDWR, 8, 64);
	ASSERT_LE(0, self->q);
	self->sb = kt_shbuf_anon(4096, 2);
	ASSERT_LE(0, self->sb);
	snprintf(self->name, sizeof(self->name), "abi_test_%d", getpid());
}

FIXTURE_TEARDOWN(abi)
{
	kt_unlink(self->name);
	close(self->q);
	close(self->sb);
}

static int curmsgs(int fd)
{
	struct kipc_stats st;

	if (kt_stats(fd, &st))
		return -1;
	return st.curmsgs;
}

TEST_F(abi, queue_open)
{
	struct kipc_queue_open qo = {
		.flags = KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
		.mode = 0600,
		.maxmsg = 4,
		.msgsize = 32,
	};
	int fd = kt_open_dev(O_RDWR);
	int ret;

	ASSERT_LE(0, fd);
	strcpy(qo.name, self->name);
	ret = ABI_CALL(fd, KIPC_IOC_QUEUE_OPEN, qo, KIPC_QUEUE_OPEN_SIZE_VER0,
		       variant->kind);
	ASSERT_EQ(abi_expect(variant->kind), ret);
	/* Bound (and the name taken) exactly when the call worked. */
	if (ret == 0) {
		EXPECT_EQ(0, kt_send(fd, "x", 1, 0, 0, 0));
		EXPECT_EQ(0, kt_unlink(self->name));
	} else {
		EXPECT_EQ(-EBADFD, kt_send(fd, "x", 1, 0, 0, 0));
		EXPECT_EQ(-ENOENT, kt_unlink(self->name));
	}
	close(fd);
}

TEST_F(abi, unlink)
{
	struct kipc_unlink ul = {};
	int fd = kt_create(self->name, 4, 32);
	int ret;

	ASSERT_LE(0, fd);
	strcpy(ul.name, self->name);
	ret = ABI_CALL(self->q, KIPC_IOC_UNLINK, ul, KIPC_UNLINK_SIZE_VER0,
		       variant->kind);
	ASSERT_EQ(abi_expect(variant->kind), ret);
	/* Gone exactly when the call worked. */
	EXPECT_EQ(ret == 0 ? -ENOENT : 0, kt_unlink(self->name));
	close(fd);
}

TEST_F(abi, stats)
{
	struct kipc_stats st = {};
	struct kipc_stats *out = (struct kipc_stats *)abi_buf.raw;
	int expect = variant->kind == LONGER_TAIL ? 0 : abi_expect(variant->kind);
	size_t i;

	ASSERT_EQ(0, kt_send(self->q, "abc", 3, 1, 0, 0));
	ASSERT_EQ(expect, ABI_CALL(self->q, KIPC_IOC_STATS, st,
				   KIPC_STATS_SIZE_VER0, variant->kind));
	if (expect)
		return;
	EXPECT_EQ(KIPC_TYPE_QUEUE, out->type);
	EXPECT_EQ(8, out->maxmsg);
	EXPECT_EQ(64, out->msgsize);
	EXPECT_EQ(1, out->curmsgs);
	EXPECT_EQ(3, out->bytes);
	EXPECT_EQ(1, out->sent);
	if (variant->kind == VER0) {
		/* An ABI 1 struct: 80 bytes written, not one more. */
		EXPECT_EQ(KIPC_STATS_SIZE_VER0, out->size);
		for (i = KIPC_STATS_SIZE_VER0; i < sizeof(abi_buf.raw); i++)
			ASSERT_EQ(0xee, abi_buf.raw[i]);
	} else {
		/* A longer reply: what the module knows, the rest zeroed. */
		EXPECT_EQ(sizeof(st), out->size);
		for (i = sizeof(st); i < sizeof(st) + LONGER; i++)
			ASSERT_EQ(0, abi_buf.raw[i]);
	}
}

/* The first ABI 1 binary that broke: an 80-byte struct's own command. */
TEST_F(abi, stats_abi1_number)
{
	struct kipc_stats st = { .size = KIPC_STATS_SIZE_VER0 };

	ASSERT_EQ(0xc050ba03, _IOWR(KIPC_IOC_MAGIC, 0x03, char[KIPC_STATS_SIZE_VER0]));
	ASSERT_EQ(0, kt_err(ioctl(self->q, 0xc050ba03, &st)));
	EXPECT_EQ(KIPC_TYPE_QUEUE, st.type);
	EXPECT_EQ(KIPC_STATS_SIZE_VER0, st.size);
	/* Today's number with the ABI 1 size in the field disagrees. */
	st.size = KIPC_STATS_SIZE_VER0;
	EXPECT_EQ(-EINVAL, kt_err(ioctl(self->q, KIPC_IOC_STATS, &st)));
}

TEST_F(abi, send)
{
	struct kipc_msg m = { .buf = (uintptr_t)"hello", .len = 5, .prio = 3 };
	char buf[64];
	__u32 prio;
	int ret;

	ret = ABI_CALL(self->q, KIPC_IOC_SEND, m, KIPC_MSG_SIZE_VER0,
		       variant->kind);
	ASSERT_EQ(abi_expect(variant->kind), ret);
	if (ret) {
		EXPECT_EQ(0, curmsgs(self->q));
		return;
	}
	ASSERT_EQ(5, kt_recv(self->q, buf, sizeof(buf), &prio, 0, 0));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(3, prio);
}

TEST_F(abi, recv)
{
	char buf[64] = "";
	struct kipc_msg m = {
		.flags = KIPC_MSG_NONBLOCK,
		.buf = (uintptr_t)buf,
		.len = sizeof(buf),
	};
	int ret;

	ASSERT_EQ(0, kt_send(self->q, "world", 5, 7, 0, 0));
	ret = ABI_CALL(self->q, KIPC_IOC_RECV, m, KIPC_MSG_SIZE_VER0,
		       variant->kind);
	if (abi_expect(variant->kind)) {
		ASSERT_EQ(abi_expect(variant->kind), ret);
		EXPECT_EQ(1, curmsgs(self->q));
		return;
	}
	ASSERT_EQ(5, ret);
	EXPECT_EQ(0, memcmp(buf, "world", 5));
	EXPECT_EQ(7, ((struct kipc_msg *)abi_buf.raw)->prio);
	EXPECT_EQ(0, curmsgs(self->q));
}

TEST_F(abi, recvmsg)
{
	char buf[64] = "";
	struct kipc_recvmsg m = {
		.flags = KIPC_MSG_NONBLOCK,
		.buf = (uintptr_t)buf,
		.len = sizeof(buf),
	};
	struct kipc_recvmsg *out = (struct kipc_recvmsg *)abi_buf.raw;
	int ret;

	ASSERT_EQ(0, kt_send(self->q, "world", 5, 7, 0, 0));
	ret = ABI_CALL(self->q, KIPC_IOC_RECVMSG, m, KIPC_RECVMSG_SIZE_VER0,
		       variant->kind);
	if (abi_expect(variant->kind)) {
		ASSERT_EQ(abi_expect(variant->kind), ret);
		EXPECT_EQ(1, curmsgs(self->q));
		return;
	}
	ASSERT_EQ(5, ret);
	EXPECT_EQ(0, memcmp(buf, "world", 5));
	EXPECT_EQ(5, out->len);
	EXPECT_EQ(7, out->prio);
	EXPECT_EQ(0, out->hdr_flags);
	EXPECT_EQ(0, curmsgs(self->q));
}

TEST_F(abi, send_batch)
{
	struct kipc_mvec vec[2] = {
		{ .buf = (uintptr_t)"one", .len = 3, .prio = 1 },
		{ .buf = (uintptr_t)"two", .len = 3, .prio = 1 },
	};
	struct kipc_batch b = { .vec = (uintptr_t)vec, .count = 2 };
	int ret;

	ret = ABI_CALL(self->q, KIPC_IOC_SEND_BATCH, b, KIPC_BATCH_SIZE_VER0,
		       variant->kind);
	if (abi_expect(variant->kind)) {
		ASSERT_EQ(abi_expect(variant->kind), ret);
		EXPECT_EQ(0, curmsgs(self->q));
		return;
	}
	ASSERT_EQ(2, ret);
	EXPECT_EQ(2, curmsgs(self->q));
}

TEST_F(abi, recv_batch)
{
	char b0[64], b1[64];
	struct kipc_mvec vec[2] = {
		{ .buf = (uintptr_t)b0, .len = sizeof(b0) },
		{ .buf = (uintptr_t)b1, .len = sizeof(b1) },
	};
	struct kipc_batch b = {
		.flags = KIPC_MSG_NONBLOCK,
		.vec = (uintptr_t)vec,
		.count = 2,
	};
	int ret;

	ASSERT_EQ(0, kt_send(self->q, "one", 3, 0, 0, 0));
	ASSERT_EQ(0, kt_send(self->q, "two", 3, 0, 0, 0));
	ret = ABI_CALL(self->q, KIPC_IOC_RECV_BATCH, b, KIPC_BATCH_SIZE_VER0,
		       variant->kind);
	if (abi_expect(variant->kind)) {
		ASSERT_EQ(abi_expect(variant->kind), ret);
		EXPECT_EQ(2, curmsgs(self->q));
		return;
	}
	ASSERT_EQ(2, ret);
	EXPECT_EQ(0, memcmp(b0, "one", 3));
	EXPECT_EQ(0, memcmp(b1, "two", 3));
	EXPECT_EQ(0, curmsgs(self->q));
}

TEST_F(abi, sendrecv)
{
	char buf[64] = "";
	struct kipc_sendrecv sr = {
		.flags = KIPC_MSG_NONBLOCK,
		.recv_fd = self->q,
		.send_buf = (uintptr_t)"ping",
		.send_len = 4,
		.send_prio = 2,
		.recv_buf = (uintptr_t)buf,
		.recv_len = sizeof(buf),
	};
	struct kipc_sendrecv *out = (struct kipc_sendrecv *)abi_buf.raw;
	int ret;

	ret = ABI_CALL(self->q, KIPC_IOC_SENDRECV, sr, KIPC_SENDRECV_SIZE_VER0,
		       variant->kind);
	if (abi_expect(variant->kind)) {
		ASSERT_EQ(abi_expect(variant->kind), ret);
		EXPECT_EQ(0, out->result);
		EXPECT_EQ(0, curmsgs(self->q));
		return;
	}
	/* Sent to and received from the same queue. */
	ASSERT_EQ(4, ret);
	EXPECT_EQ(0, memcmp(buf, "ping", 4));
	EXPECT_EQ(KIPC_SENDRECV_SENT, out->result);
	EXPECT_EQ(4, out->recv_len);
	EXPECT_EQ(2, out->recv_prio);
}

TEST_F(abi, shbuf_open)
{
	__u32 values[3] = { 1, 2, 3 };
	struct kipc_shbuf_open so = {
		.flags = KIPC_OPEN_CREATE | KIPC_OPEN_EXCL,
		.mode = 0600,
		.nsems = 3,
		.bufsize = 4096,
		.init_values = (uintptr_t)values,
	};
	int fd = kt_open_dev(O_RDWR);
	int ret;

	ASSERT_LE(0, fd);
	strcpy(so.name, self->name);
	ret = ABI_CALL(fd, KIPC_IOC_SHBUF_OPEN, so, KIPC_SHBUF_OPEN_SIZE_VER0,
		       variant->kind);
	ASSERT_EQ(abi_expect(variant->kind), ret);
	if (ret == 0) {
		EXPECT_EQ(3, kt_sem_value(fd, 2, NULL));
		EXPECT_EQ(0, kt_unlink(self->name));
	} else {
		EXPECT_EQ(-EBADFD, kt_sem_value(fd, 2, NULL));
		EXPECT_EQ(-ENOENT, kt_unlink(self->name));
	}
	close(fd);
}

TEST_F(abi, sem_wait)
{
	struct kipc_sem_arg a = {
		.flags = KIPC_SEM_NONBLOCK,
		.sem = 1,
		.count = 2,
	};
	int ret;

	ASSERT_EQ(0, kt_sem_post(self->sb, 1, 3, 0));
	ret = ABI_CALL(self->sb, KIPC_IOC_SEM_WAIT, a, KIPC_SEM_ARG_SIZE_VER0,
		       variant->kind);
	ASSERT_EQ(abi_expect(variant->kind), ret);
	EXPECT_EQ(ret ? 3 : 1, kt_sem_value(self->sb, 1, NULL));
}

TEST_F(abi, sem_post)
{
	struct kipc_sem_arg a = { .sem = 1, .count = 5 };
	int ret;

	ret = ABI_CALL(self->sb, KIPC_IOC_SEM_POST, a, KIPC_SEM_ARG_SIZE_VER0,
		       variant->kind);
	ASSERT_EQ(abi_expect(variant->kind), ret);
	EXPECT_EQ(ret ? 0 : 5, kt_sem_value(self->sb, 1, NULL));
}

TEST_F(abi, sem_getvalue)
{
	struct kipc_sem_value sv = { .sem = 1, .value = 77 };
	struct kipc_sem_value *out = (struct kipc_sem_value *)abi_buf.raw;
	int ret;

	ASSERT_EQ(0, kt_sem_post(self->sb, 1, 4, 0));
	ret = ABI_CALL(self->sb, KIPC_IOC_SEM_GETVALUE, sv,
		       KIPC_SEM_VALUE_SIZE_VER0, variant->kind);
	ASSERT_EQ(abi_expect(variant->kind), ret);
	/* Written back exactly when the call worked. */
	EXPECT_EQ(ret ? 77 : 4, out->value);
	EXPECT_EQ(0, out->waiters);
}

TEST_F(abi, semop)
{
	struct kipc_sembuf ops[2] = {
		{ .sem = 0, .delta = 2 },
		{ .sem = 1, .delta = 6 },
	};
	struct kipc_semop so = {
		.flags = KIPC_SEM_NONBLOCK,
		.ops = (uintptr_t)ops,
		.nops = 2,
	};
	int ret;

	ret = ABI_CALL(self->sb, KIPC_IOC_SEMOP, so, KIPC_SEMOP_SIZE_VER0,
		       variant->kind);
	ASSERT_EQ(abi_expect(variant->kind), ret);
	EXPECT_EQ(ret ? 0 : 2, kt_sem_value(self->sb, 0, NULL));
	EXPECT_EQ(ret ? 0 : 6, kt_sem_value(self->sb, 1, NULL));
}

/*
 * Numbers and directions: another magic, an unknown number, a known number
 * with the wrong direction, and VERSION (no size field) at any other size
 * are all ENOTTY; VERSION itself works.
 */
TEST(numbers)
{
	struct kipc_version ver;
	char buf[256] = "";
	int fd = kt_open_dev(O_RDWR);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_err(ioctl(fd, KIPC_IOC_VERSION, &ver)));
	EXPECT_EQ(KIPC_ABI_VERSION, ver.abi);
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(fd, _IOR(KIPC_IOC_MAGIC, 0x00, char[24]), buf)));
	/* VERSION read/write: the direction is wrong. */
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(fd, _IOC(_IOC_READ | _IOC_WRITE,
						 KIPC_IOC_MAGIC, 0x00, 16), buf)));
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(fd, _IOWR(0xBB, 0x03, struct kipc_stats), buf)));
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(fd, _IOWR(KIPC_IOC_MAGIC, 0x04, struct kipc_stats), buf)));
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(fd, _IOWR(KIPC_IOC_MAGIC, 0x7f, struct kipc_stats), buf)));
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(fd, _IOWR(KIPC_IOC_MAGIC, 0xff, struct kipc_stats), buf)));
	/* SEND is write-only, STATS read/write. */
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(fd, _IOWR(KIPC_IOC_MAGIC, 0x10, struct kipc_msg), buf)));
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(fd, _IOR(KIPC_IOC_MAGIC, 0x03, struct kipc_stats), buf)));
	EXPECT_EQ(-ENOTTY, kt_err(ioctl(fd, _IO(KIPC_IOC_MAGIC, 0x03), buf)));
	close(fd);
}

/*
 * The size rules at their edges, on STATS: a size below VER0 is EINVAL, a
 * size above a page E2BIG, both agreeing with the command; the size field
 * is read from the caller's memory, so a bad pointer is EFAULT.
 */
#define STATS_CMD(size)	_IOC(_IOC_READ | _IOC_WRITE, KIPC_IOC_MAGIC, 0x03, size)

TEST(size_edges)
{
	unsigned char *buf;
	long page = sysconf(_SC_PAGESIZE);
	__u32 small = KIPC_STATS_SIZE_VER0 - 8, big = page + 8;
	int q = kt_anon(O_RDWR, 4, 32);

	ASSERT_LE(0, q);
	buf = calloc(1, big);
	ASSERT_NE(NULL, buf);
	memcpy(buf, &small, sizeof(small));
	EXPECT_EQ(-EINVAL, kt_err(ioctl(q, STATS_CMD(small), buf)));
	memcpy(buf, &big, sizeof(big));
	EXPECT_EQ(-E2BIG, kt_err(ioctl(q, STATS_CMD(big), buf)));
	EXPECT_EQ(-EFAULT, kt_err(ioctl(q, KIPC_IOC_SEND, NULL)));
	free(buf);
	close(q);
}

TEST_HARNESS_MAIN
