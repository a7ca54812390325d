// SPDX-License-Identifier: GPL-2.0
/*
 * The Windows view of an event: the DEVICE_INTERFACE_CHANGE_NOTIFICATION
 * that a callback gets, and the symbolic link name it points to.
 *
 * As on Windows, every callback for one event is handed the same structure;
 * it is built once per event (or per replayed instance), never per callback.
 */
#include <linux/kernel.h>

#include "ntc.h"

/**
 * ntc_notification_build() - fill in the notification for an event
 * @n: where to build it; @n->hdr is what a callback gets
 * @ev: the event (only its class, action and instance are read)
 *
 * The link names the instance as ACPI does on Windows: the processor's
 * number, or the memory range, and the interface class.
 */
void ntc_notification_build(struct ntc_notification *n,
			    const struct ntc_event *ev)
{
	const GUID *class = ntc_class_guid[ev->class];
	char name[NTC_LINK_CHARS];
	int len;

	if (ev->class == NTC_CLASS_PROCESSOR)
		len = scnprintf(name, sizeof(name),
				"\\??\\ACPI#ACPI0007#%u#{%pUl}", ev->cpu, class);
	else
		len = scnprintf(name, sizeof(name),
				"\\??\\ACPI#PNP0C80#%llx+%llx#{%pUl}",
				ev->mem.start, ev->mem.size, class);

	ntc_widen(n->buf, name, len);

	n->hdr.Version = 1;
	n->hdr.Size = sizeof(n->hdr);
	n->hdr.Event = ev->action == NTC_ARRIVAL ?
		GUID_DEVICE_INTERFACE_ARRIVAL : GUID_DEVICE_INTERFACE_REMOVAL;
	n->hdr.InterfaceClassGuid = *class;
	n->hdr.SymbolicLinkName = &n->link;
	n->link.Length = len * sizeof(WCHAR);
	n->link.MaximumLength = (len + 1) * sizeof(WCHAR);
	n->link.Buffer = n->buf;
}
