/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntcompat's tracepoints, in /sys/kernel/tracing/events/ntcompat/:
 *
 *	ntc_event_queued	a hotplug callback queued an event
 *	ntc_callback		a driver's callback returned
 *	ntc_processor_change	a processor-change callback returned
 *
 * The fields are decoded by ftrace, trace-cmd and perf alike: classes by
 * their GUID's Windows name, events as arrival or removal. Context is a
 * pointer, printed hashed as %p prints it, so a line can be matched with
 * /sys/kernel/debug/ntcompat/registrations.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ntcompat

#if !defined(_NTC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NTC_TRACE_H

#include <linux/module.h>
#include <linux/tracepoint.h>

#include "ntc.h"

TRACE_DEFINE_ENUM(NTC_CLASS_PROCESSOR);
TRACE_DEFINE_ENUM(NTC_CLASS_MEMORY);
TRACE_DEFINE_ENUM(NTC_ARRIVAL);
TRACE_DEFINE_ENUM(NTC_REMOVAL);
TRACE_DEFINE_ENUM(KeProcessorAddStartNotify);
TRACE_DEFINE_ENUM(KeProcessorAddCompleteNotify);
TRACE_DEFINE_ENUM(KeProcessorAddFailureNotify);

#define ntc_show_class(class)						\
	__print_symbolic(class,						\
			 { NTC_CLASS_PROCESSOR, "GUID_DEVICE_PROCESSOR" },	\
			 { NTC_CLASS_MEMORY, "GUID_DEVICE_MEMORY" })

#define ntc_show_action(action)						\
	__print_symbolic(action,					\
			 { NTC_ARRIVAL, "arrival" },			\
			 { NTC_REMOVAL, "removal" })

/*
 * A processor event has cpu set and start, size 0; a memory event has cpu
 * -1 and the physical range, as its SymbolicLinkName gives it.
 */
TRACE_EVENT(ntc_event_queued,

	TP_PROTO(const struct ntc_event *ev),

	TP_ARGS(ev),

	TP_STRUCT__entry(
		__field(u64, seq)
		__field(int, class)
		__field(int, action)
		__field(int, cpu)
		__field(u64, start)
		__field(u64, size)
	),

	TP_fast_assign(
		bool cpu = ev->class == NTC_CLASS_PROCESSOR;

		__entry->seq = ev->seq;
		__entry->class = ev->class;
		__entry->action = ev->action;
		__entry->cpu = cpu ? ev->cpu : -1;
		__entry->start = cpu ? 0 : ev->mem.start;
		__entry->size = cpu ? 0 : ev->mem.size;
	),

	TP_printk("seq=%llu class=%s event=%s cpu=%d start=0x%llx size=0x%llx",
		  __entry->seq, ntc_show_class(__entry->class),
		  ntc_show_action(__entry->action), __entry->cpu,
		  __entry->start, __entry->size)
);

/*
 * One line per callback, after it returned. replay=1 marks an
 * INCLUDE_EXISTING replay, which was never queued: its seq and latency are 0.
 * latency_ns runs from the event's queueing to the callback's start,
 * duration_ns from there to its return. The owner is copied into a fixed
 * array rather than a __string(), whose helpers changed in Linux 6.10.
 */
TRACE_EVENT(ntc_callback,

	TP_PROTO(const struct ntc_reg *reg, const struct ntc_event *ev,
		 bool replay, u64 latency_ns, u64 duration_ns, NTSTATUS status),

	TP_ARGS(reg, ev, replay, latency_ns, duration_ns, status),

	TP_STRUCT__entry(
		__array(char, owner, MODULE_NAME_LEN)
		__field(u64, seq)
		__field(int, class)
		__field(int, action)
		__field(bool, replay)
		__field(u64, latency_ns)
		__field(u64, duration_ns)
		__field(u32, status)
		__field(const void *, context)
		__field(const void *, callback)
	),

	TP_fast_assign(
		strscpy(__entry->owner, module_name(reg->owner),
			MODULE_NAME_LEN);
		__entry->seq = replay ? 0 : ev->seq;
		__entry->class = reg->class;
		__entry->action = ev->action;
		__entry->replay = replay;
		__entry->latency_ns = latency_ns;
		__entry->duration_ns = duration_ns;
		__entry->status = status;
		__entry->context = reg->context;
		__entry->callback = reg->callback;
	),

	TP_printk("owner=%s class=%s event=%s seq=%llu replay=%d latency_ns=%llu duration_ns=%llu status=0x%08x context=%p callback=%ps",
		  __entry->owner, ntc_show_class(__entry->class),
		  ntc_show_action(__entry->action), __entry->seq,
		  __entry->replay, __entry->latency_ns, __entry->duration_ns,
		  __entry->status, __entry->context, __entry->callback)
);

#define ntc_show_pcc_state(state)					\
	__print_symbolic(state,						\
			 { KeProcessorAddStartNotify, "start" },		\
			 { KeProcessorAddCompleteNotify, "complete" },	\
			 { KeProcessorAddFailureNotify, "failure" })

/*
 * One line per KeRegisterProcessorChangeCallback() call, after it returned:
 * the state, the processor index, *OperationStatus before and after (a
 * Start whose status_out is an error and status_in was not is a veto), how
 * long it ran, and existing=1 inside an ADD_EXISTING replay.
 */
TRACE_EVENT(ntc_processor_change,

	TP_PROTO(const char *owner, const void *callback, const void *context,
		 int state, u32 index, u32 status_in, u32 status_out,
		 u64 duration_ns, bool existing),

	TP_ARGS(owner, callback, context, state, index, status_in, status_out,
		duration_ns, existing),

	TP_STRUCT__entry(
		__array(char, owner, MODULE_NAME_LEN)
		__field(int, state)
		__field(u32, index)
		__field(u32, status_in)
		__field(u32, status_out)
		__field(u64, duration_ns)
		__field(bool, existing)
		__field(bool, veto)
		__field(const void *, context)
		__field(const void *, callback)
	),

	TP_fast_assign(
		strscpy(__entry->owner, owner, MODULE_NAME_LEN);
		__entry->state = state;
		__entry->index = index;
		__entry->status_in = status_in;
		__entry->status_out = status_out;
		__entry->duration_ns = duration_ns;
		__entry->existing = existing;
		__entry->veto = state == KeProcessorAddStartNotify &&
				NT_SUCCESS(status_in) && !NT_SUCCESS(status_out);
		__entry->context = context;
		__entry->callback = callback;
	),

	TP_printk("owner=%s state=%s index=%u status_in=0x%08x status_out=0x%08x veto=%d existing=%d duration_ns=%llu context=%p callback=%ps",
		  __entry->owner, ntc_show_pcc_state(__entry->state),
		  __entry->index, __entry->status_in, __entry->status_out,
		  __entry->veto, __entry->existing, __entry->duration_ns,
		  __entry->context, __entry->callback)
);

#endif /* _NTC_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ntc_trace
#include <trace/define_trace.h>
