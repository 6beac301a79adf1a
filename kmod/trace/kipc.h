/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kipc's tracepoints: the kipc system of tracefs (events/kipc/), for perf,
 * bpftrace and trace-cmd. Documentation/tracing.rst says what questions
 * they answer and how. Every object is named by its id, the id kipcctl,
 * netlink and KIPC_IOC_STATS show.
 *
 * Disabled, each is a static branch: a NOP where it is called, its
 * arguments evaluated only on the enabled side. None touches user memory,
 * none sleeps: the queue's events are emitted under q->wq.lock, where the
 * depth they report is exact.
 *
 * kipc_trace.c defines them (CREATE_TRACE_POINTS); this file is also read
 * from there by <trace/define_trace.h>, through TRACE_INCLUDE_PATH below
 * and the -I$(src) Kbuild gives that one object.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kipc

#if !defined(_KIPC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KIPC_TRACE_H

#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/tracepoint.h>

#ifndef _KIPC_TRACE_CONSTANTS
#define _KIPC_TRACE_CONSTANTS
/* What a waiter waits for: the dir field of the wait events. */
#define KIPC_TRACE_RECV		0	/* a receiver, for a message */
#define KIPC_TRACE_SEND		1	/* a sender, for room in the queue */
#define KIPC_TRACE_SEND_BUF	2	/* a sender, for a buffer to come back */

/* Why messages left a queue unreceived: the reason field of kipc_queue_drop. */
#define KIPC_TRACE_DROP_DESTROYED	0	/* the queue went with them in it */
#define KIPC_TRACE_DROP_FULL		1	/* a non-blocking send found it full */

/*
 * On while any of the queue's wait events (block, wake, timeout, signal)
 * is: a wait tests this one static branch, not four, and does the rest
 * out of line (kipc_trace.c).
 */
DECLARE_STATIC_KEY_FALSE(kipc_trace_waits);
int kipc_trace_waits_reg(void);
void kipc_trace_waits_unreg(void);
u64 kipc_trace_wait_begin(u32 id, u32 dir);
void kipc_trace_wait_end(u32 id, u32 dir, u64 start, int ret);
#endif

#define kipc_trace_show_type(type)					\
	__print_symbolic(type, { 1, "queue" }, { 2, "shbuf" })

#define kipc_trace_show_dir(dir)					\
	__print_symbolic(dir,						\
			 { KIPC_TRACE_RECV, "recv" },			\
			 { KIPC_TRACE_SEND, "send" },			\
			 { KIPC_TRACE_SEND_BUF, "send_buf" })

/**
 * DOC: kipc_obj_create
 *
 * An object was created and has its id (a name that existed already, or
 * a create that failed, emits nothing). Fields: @id; @type, 1 for a queue
 * and 2 for a shared buffer (KIPC_TYPE_*); for a queue @maxmsg and
 * @msgsize; for a shared buffer @size (bytes) and @nsems; the rest 0. The
 * creating process is the event's common_pid.
 */
TRACE_EVENT(kipc_obj_create,
	    TP_PROTO(u32 id, u32 type, u32 maxmsg, u32 msgsize, u64 size, u32 nsems),
	    TP_ARGS(id, type, maxmsg, msgsize, size, nsems),
	    TP_STRUCT__entry(__field(u32, id)
			     __field(u32, type)
			     __field(u32, maxmsg)
			     __field(u32, msgsize)
			     __field(u64, size)
			     __field(u32, nsems)),
	    TP_fast_assign(__entry->id = id;
			   __entry->type = type;
			   __entry->maxmsg = maxmsg;
			   __entry->msgsize = msgsize;
			   __entry->size = size;
			   __entry->nsems = nsems;),
	    TP_printk("id=%u type=%s maxmsg=%u msgsize=%u size=%llu nsems=%u",
		      __entry->id, kipc_trace_show_type(__entry->type),
		      __entry->maxmsg, __entry->msgsize,
		      (unsigned long long)__entry->size, __entry->nsems)
);

/**
 * DOC: kipc_obj_destroy
 *
 * An object's last reference went (its last file closed, its name
 * unlinked) and it is freed: @id, @type as for kipc_obj_create. A queue
 * with messages in it emits kipc_queue_drop just after.
 */
TRACE_EVENT(kipc_obj_destroy,
	    TP_PROTO(u32 id, u32 type),
	    TP_ARGS(id, type),
	    TP_STRUCT__entry(__field(u32, id)
			     __field(u32, type)),
	    TP_fast_assign(__entry->id = id;
			   __entry->type = type;),
	    TP_printk("id=%u type=%s", __entry->id,
		      kipc_trace_show_type(__entry->type))
);

DECLARE_EVENT_CLASS(kipc_queue_msg,
		    TP_PROTO(u32 id, u32 len, u32 prio, u32 depth),
		    TP_ARGS(id, len, prio, depth),
		    TP_STRUCT__entry(__field(u32, id)
				     __field(u32, len)
				     __field(u32, prio)
				     __field(u32, depth)),
		    TP_fast_assign(__entry->id = id;
				   __entry->len = len;
				   __entry->prio = prio;
				   __entry->depth = depth;),
		    TP_printk("id=%u len=%u prio=%u depth=%u", __entry->id,
			      __entry->len, __entry->prio, __entry->depth)
);

/**
 * DOC: kipc_queue_send
 *
 * A message entered queue @id: @len payload bytes at priority @prio;
 * @depth is the number of messages queued once it is in. One event per
 * message, for write(2), KIPC_IOC_SEND, each message of KIPC_IOC_SEND_BATCH
 * and the request of KIPC_IOC_SENDRECV. A call's events are emitted once
 * its messages are all linked, in the same hold of the queue's lock, in
 * order: one static branch per call on the data path, not per message.
 */
DEFINE_EVENT(kipc_queue_msg, kipc_queue_send,
	     TP_PROTO(u32 id, u32 len, u32 prio, u32 depth),
	     TP_ARGS(id, len, prio, depth)
);

/**
 * DOC: kipc_queue_recv
 *
 * A message left queue @id to a receiver: @len, @prio as it was sent,
 * @depth the messages still queued after it. One event per message, for
 * read(2), KIPC_IOC_RECV, KIPC_IOC_RECVMSG, each message of
 * KIPC_IOC_RECV_BATCH and the reply of KIPC_IOC_SENDRECV, emitted as for
 * kipc_queue_send once the call's messages are off the queue. If a copy to
 * the receiver then faults, the messages go back: kipc_queue_requeue says
 * how many.
 */
DEFINE_EVENT(kipc_queue_msg, kipc_queue_recv,
	     TP_PROTO(u32 id, u32 len, u32 prio, u32 depth),
	     TP_ARGS(id, len, prio, depth)
);

/**
 * DOC: kipc_queue_requeue
 *
 * @count messages that kipc_queue_recv reported went back to the head of
 * queue @id: the receiver's buffer, or its report of them, faulted. Rare.
 */
TRACE_EVENT(kipc_queue_requeue,
	    TP_PROTO(u32 id, u32 count),
	    TP_ARGS(id, count),
	    TP_STRUCT__entry(__field(u32, id)
			     __field(u32, count)),
	    TP_fast_assign(__entry->id = id;
			   __entry->count = count;),
	    TP_printk("id=%u count=%u", __entry->id, __entry->count)
);

/**
 * DOC: kipc_queue_drop
 *
 * Messages that leave queue @id, or never enter it, without a receiver:
 * @count of them, for @reason KIPC_TRACE_DROP_DESTROYED (0, "destroyed":
 * the queue was freed with them in it) or KIPC_TRACE_DROP_FULL (1,
 * "full": a non-blocking send, or the first message of a non-blocking
 * batch, got EAGAIN because the queue was full; @count is the messages
 * the call offered). A blocking sender on a full queue emits
 * kipc_queue_block instead, and the tail of a batch that did not fit is
 * not counted: the call returns how many went.
 */
TRACE_EVENT_CONDITION(kipc_queue_drop,
		      TP_PROTO(u32 id, u32 count, u32 reason),
		      TP_ARGS(id, count, reason),
		      TP_CONDITION(count),
		      TP_STRUCT__entry(__field(u32, id)
				       __field(u32, count)
				       __field(u32, reason)),
		      TP_fast_assign(__entry->id = id;
				     __entry->count = count;
				     __entry->reason = reason;),
		      TP_printk("id=%u count=%u reason=%s", __entry->id, __entry->count,
				__print_symbolic(__entry->reason,
						 { KIPC_TRACE_DROP_DESTROYED, "destroyed" },
						 { KIPC_TRACE_DROP_FULL, "full" }))
);

/**
 * DOC: kipc_queue_block
 *
 * A caller of queue @id goes to sleep: @dir is KIPC_TRACE_RECV (0,
 * "recv": a receiver, the queue is empty), KIPC_TRACE_SEND (1, "send": a
 * sender, the queue is full) or KIPC_TRACE_SEND_BUF (2, "send_buf": a
 * sender, the queue's memory reservation is in flight). Each is followed,
 * in the same task, by one of kipc_queue_wake, kipc_queue_timeout or
 * kipc_queue_signal with the same @id and @dir.
 */
TRACE_EVENT_FN(kipc_queue_block,
	       TP_PROTO(u32 id, u32 dir),
	       TP_ARGS(id, dir),
	       TP_STRUCT__entry(__field(u32, id)
				__field(u32, dir)),
	       TP_fast_assign(__entry->id = id;
			      __entry->dir = dir;),
	       TP_printk("id=%u dir=%s", __entry->id,
			 kipc_trace_show_dir(__entry->dir)),
	       kipc_trace_waits_reg, kipc_trace_waits_unreg
);

DECLARE_EVENT_CLASS(kipc_queue_wait_end,
		    TP_PROTO(u32 id, u32 dir, u64 start),
		    TP_ARGS(id, dir, start),
		    TP_STRUCT__entry(__field(u32, id)
				     __field(u32, dir)
				     __field(u64, waited_ns)),
		    TP_fast_assign(__entry->id = id;
				   __entry->dir = dir;
				   /* 0 if the event was enabled during the wait. */
				   __entry->waited_ns = start ? ktime_get_ns() - start : 0;),
		    TP_printk("id=%u dir=%s waited_ns=%llu", __entry->id,
			      kipc_trace_show_dir(__entry->dir),
			      (unsigned long long)__entry->waited_ns)
);

/**
 * DOC: kipc_queue_wake
 *
 * A caller that kipc_queue_block reported was woken and proceeds: queue
 * @id has what it waited for (@dir as for kipc_queue_block). @waited_ns
 * is how long it slept, on CLOCK_MONOTONIC, 0 if the event was enabled
 * while it slept.
 */
DEFINE_EVENT_FN(kipc_queue_wait_end, kipc_queue_wake,
		TP_PROTO(u32 id, u32 dir, u64 start),
		TP_ARGS(id, dir, start),
		kipc_trace_waits_reg, kipc_trace_waits_unreg
);

/**
 * DOC: kipc_queue_timeout
 *
 * A caller that kipc_queue_block reported gave up at its deadline
 * (ETIMEDOUT): @id, @dir, @waited_ns as for kipc_queue_wake.
 */
DEFINE_EVENT_FN(kipc_queue_wait_end, kipc_queue_timeout,
		TP_PROTO(u32 id, u32 dir, u64 start),
		TP_ARGS(id, dir, start),
		kipc_trace_waits_reg, kipc_trace_waits_unreg
);

/**
 * DOC: kipc_queue_signal
 *
 * A caller that kipc_queue_block reported left for a signal (EINTR, or a
 * restart: a handler with SA_RESTART, a stop, the freezer, a ptrace
 * attach): @id, @dir, @waited_ns as for kipc_queue_wake.
 */
DEFINE_EVENT_FN(kipc_queue_wait_end, kipc_queue_signal,
		TP_PROTO(u32 id, u32 dir, u64 start),
		TP_ARGS(id, dir, start),
		kipc_trace_waits_reg, kipc_trace_waits_unreg
);

/**
 * DOC: kipc_sem_block
 *
 * A semaphore operation on shared buffer @id goes to sleep: @sem is the
 * first semaphore it operates on, @nops how many operations it has (1
 * for KIPC_IOC_SEM_WAIT, up to KIPC_SEMOP_MAX for KIPC_IOC_SEMOP).
 */
TRACE_EVENT(kipc_sem_block,
	    TP_PROTO(u32 id, u32 sem, u32 nops),
	    TP_ARGS(id, sem, nops),
	    TP_STRUCT__entry(__field(u32, id)
			     __field(u32, sem)
			     __field(u32, nops)),
	    TP_fast_assign(__entry->id = id;
			   __entry->sem = sem;
			   __entry->nops = nops;),
	    TP_printk("id=%u sem=%u nops=%u", __entry->id, __entry->sem,
		      __entry->nops)
);

/**
 * DOC: kipc_sem_wake
 *
 * The operation that kipc_sem_block reported is over: @ret is 0 (it was
 * applied), -ETIMEDOUT, -ERESTARTSYS (a signal) or another errno it
 * failed with; @id, @sem as for kipc_sem_block, @waited_ns as for
 * kipc_queue_wake.
 */
TRACE_EVENT(kipc_sem_wake,
	    TP_PROTO(u32 id, u32 sem, int ret, u64 start),
	    TP_ARGS(id, sem, ret, start),
	    TP_STRUCT__entry(__field(u32, id)
			     __field(u32, sem)
			     __field(int, ret)
			     __field(u64, waited_ns)),
	    TP_fast_assign(__entry->id = id;
			   __entry->sem = sem;
			   __entry->ret = ret;
			   __entry->waited_ns = start ? ktime_get_ns() - start : 0;),
	    TP_printk("id=%u sem=%u ret=%d waited_ns=%llu", __entry->id,
		      __entry->sem, __entry->ret,
		      (unsigned long long)__entry->waited_ns)
);

#ifndef _KIPC_TRACE_HELPERS
#define _KIPC_TRACE_HELPERS
/* The start of a semaphore wait, 0 if no event will report how long it took. */
static __always_inline u64 kipc_trace_sem_start(void)
{
	return trace_kipc_sem_wake_enabled() ? ktime_get_ns() : 0;
}
#endif

#endif /* _KIPC_TRACE_H */

/* Relative to an include path: kipc_trace.o is built with -I$(src). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH trace
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kipc
#include <trace/define_trace.h>
