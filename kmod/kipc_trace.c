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
