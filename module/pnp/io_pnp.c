// SPDX-License-Identifier: GPL-2.0
/*
 * The Windows edge: IoRegisterPlugPlayNotification and the two unregister
 * calls. Every argument is checked here, before anything is dereferenced or
 * allocated; a bad call costs the driver an NTSTATUS and at most one
 * (rate-limited) line in the kernel log naming the caller, never an oops.
 * Below this file everything speaks errno; ntc_errno_to_status() converts.
 */
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/ratelimit.h>

#include "ntc.h"

static bool ntc_stopping;

/* Windows requires PASSIVE_LEVEL; on Linux, a context that may sleep. */
bool ntc_may_sleep(void)
{
	return KeGetCurrentIrql() == PASSIVE_LEVEL;
}

void ntc_shutdown_begin(void)
{
	WRITE_ONCE(ntc_stopping, true);
}

bool ntc_shutting_down(void)
{
	return READ_ONCE(ntc_stopping);
}

NTSTATUS IoRegisterPlugPlayNotification(IO_NOTIFICATION_EVENT_CATEGORY EventCategory,
					ULONG EventCategoryFlags,
					const VOID *EventCategoryData,
					PDRIVER_OBJECT DriverObject,
					PDRIVER_NOTIFICATION_CALLBACK_ROUTINE CallbackRoutine,
					PVOID Context,
					PVOID *NotificationEntry)
{
	int class;

	if (!ntc_may_sleep()) {
		ntc_bad_call(__func__, "called from atomic context");
		return ntc_errno_to_status(-EBADRQC);
	}
	if (!NotificationEntry || !CallbackRoutine || !DriverObject) {
		ntc_bad_call(__func__, "NULL %s", !NotificationEntry ? "NotificationEntry" :
			     !CallbackRoutine ? "CallbackRoutine" : "DriverObject");
		return ntc_errno_to_status(-EINVAL);
	}
	if (EventCategory != EventCategoryDeviceInterfaceChange) {
		/* The one flag there is belongs to interface changes. */
		if (EventCategoryFlags) {
			ntc_bad_call(__func__, "flags %#x on event category %d",
				     EventCategoryFlags, EventCategory);
			return ntc_errno_to_status(-EINVAL);
		}
		ntc_bad_call(__func__, "event category %d is not supported", EventCategory);
		return ntc_errno_to_status(-EOPNOTSUPP);
	}
	if (EventCategoryFlags & ~PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES) {
		ntc_bad_call(__func__, "unknown flags %#x", EventCategoryFlags);
		return ntc_errno_to_status(-EINVAL);
	}
	if (!EventCategoryData) {
		ntc_bad_call(__func__, "NULL interface class GUID");
		return ntc_errno_to_status(-EINVAL);
	}
	class = ntc_class_from_guid(EventCategoryData);
	if (class < 0) {
		ntc_bad_call(__func__, "interface class %pUl is not supported",
			     EventCategoryData);
		return ntc_errno_to_status(class);
	}
	if (!ntc_driver_is_known(DriverObject)) {
		ntc_bad_call(__func__, "DriverObject %p is not a loaded driver's", DriverObject);
		return ntc_errno_to_status(-EINVAL);
	}
	if (ntc_shutting_down())
		return ntc_errno_to_status(-ESHUTDOWN);

	return ntc_errno_to_status(ntc_register(class, DriverObject,
						CallbackRoutine, Context,
		EventCategoryFlags & PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
						NotificationEntry));
}
EXPORT_SYMBOL_NS_GPL(IoRegisterPlugPlayNotification, NTC_EXPORT_NS);

static __always_inline NTSTATUS ntc_unregister_call(const char *fn,
						    PVOID NotificationEntry,
						    bool wait)
{
	int ret;

	if (!ntc_may_sleep()) {
		ntc_bad_call(fn, "called from atomic context");
		return ntc_errno_to_status(-EBADRQC);
	}
	ret = ntc_unregister(NotificationEntry, wait,
			     ntc_caller_module(_RET_IP_));
	if (ret == -EACCES)
		ntc_bad_call(fn, "%p is another driver's notification entry",
			     NotificationEntry);
	else if (ret)
		ntc_bad_call(fn, "%p is not a live notification entry",
			     NotificationEntry);
	return ntc_errno_to_status(ret);
}

NTSTATUS IoUnregisterPlugPlayNotification(PVOID NotificationEntry)
{
	return ntc_unregister_call(__func__, NotificationEntry, false);
}
EXPORT_SYMBOL_NS_GPL(IoUnregisterPlugPlayNotification, NTC_EXPORT_NS);

NTSTATUS IoUnregisterPlugPlayNotificationEx(PVOID NotificationEntry)
{
	return ntc_unregister_call(__func__, NotificationEntry, true);
}
EXPORT_SYMBOL_NS_GPL(IoUnregisterPlugPlayNotificationEx, NTC_EXPORT_NS);
