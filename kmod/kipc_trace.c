// SPDX-License-Identifier: GPL-2.0
/*
 * kipc - the tracepoints' one definition (trace/kipc.h says what they are),
 * and what the rare ones need done out of line.
 */
#include "kipc_priv.h"

#define CREATE_TRACE_POINTS
#include "trace/kipc.h"

/**
 * kipc_trace_obj_create() - emit kipc_obj_create for a new object
 * @obj: the object, with its id; kipc_registry_lock is held
 *
 * Called only with the event enabled: the kind's parameters come from
 * its stats, as kipcctl sees them.
 */
void kipc_trace_obj_create(struct kipc_obj *obj)
{
	struct kipc_stats st = {};

	obj->ops->fill_stats(obj, &st);
	trace_kipc_obj_create(obj->id, obj->ops->type, st.maxmsg, st.msgsize,
			      st.shbuf_size, st.shbuf_nsems);
}

DEFINE_STATIC_KEY_FALSE(kipc_trace_waits);

/* A queue wait event gets its first probe (under tracepoints_mutex). */
int kipc_trace_waits_reg(void)
{
	static_branch_inc(&kipc_trace_waits);
	return 0;
}

/* And its last one goes. */
void kipc_trace_waits_unreg(void)
{
	static_branch_dec(&kipc_trace_waits);
}

/**
 * kipc_trace_wait_begin() - a caller of queue @id goes to sleep
 * @id: the queue's id
 * @dir: %KIPC_TRACE_RECV, %KIPC_TRACE_SEND or %KIPC_TRACE_SEND_BUF
 *
 * Called with kipc_trace_waits on.
 *
 * Return: the time the wait starts, for kipc_trace_wait_end().
 */
u64 kipc_trace_wait_begin(u32 id, u32 dir)
{
	trace_kipc_queue_block(id, dir);
	return ktime_get_ns();
}

/**
 * kipc_trace_wait_end() - the wait kipc_trace_wait_begin() reported is over
 * @id: the queue's id
 * @dir: as for kipc_trace_wait_begin()
 * @start: what it returned; 0 if kipc_trace_waits came on during the wait
 * @ret: how the wait ended: 0, -ETIMEDOUT or -ERESTARTSYS
 */
void kipc_trace_wait_end(u32 id, u32 dir, u64 start, int ret)
{
	if (!ret)
		trace_kipc_queue_wake(id, dir, start);
	else if (ret == -ETIMEDOUT)
		trace_kipc_queue_timeout(id, dir, start);
	else if (ret == -ERESTARTSYS)
		trace_kipc_queue_signal(id, dir, start);
}
