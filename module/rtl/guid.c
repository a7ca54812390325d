// SPDX-License-Identifier: GPL-2.0
/*
 * The GUIDs ntcompat uses, defined once here and exported so that a driver
 * which includes <poclass.h> or <wdmguid.h> without <initguid.h> links
 * against these, as a Windows driver links against a library.
 */
#include <linux/errno.h>
#include <linux/module.h>

#include "ntc.h"

/* Declared first, then defined: the Windows way, and what sparse expects. */
#include <poclass.h>
#include <initguid.h>
#include <wdmguid.h>
#include <poclass.h>

/* The definitions are the DEFINE_GUID lines of the headers just included. */
#define NTC_EXPORT_GUID(name)	EXPORT_SYMBOL_NS_GPL(name, NTC_EXPORT_NS)
NTC_EXPORT_GUID(GUID_DEVICE_INTERFACE_ARRIVAL);
NTC_EXPORT_GUID(GUID_DEVICE_INTERFACE_REMOVAL);
NTC_EXPORT_GUID(GUID_DEVICE_PROCESSOR);
NTC_EXPORT_GUID(GUID_DEVICE_MEMORY);

const GUID *const ntc_class_guid[NTC_NR_CLASSES] = {
	[NTC_CLASS_PROCESSOR] = &GUID_DEVICE_PROCESSOR,
	[NTC_CLASS_MEMORY] = &GUID_DEVICE_MEMORY,
};

/* For people reading debugfs: the GUIDs by their Windows names. */
const char *const ntc_class_name[NTC_NR_CLASSES] = {
	[NTC_CLASS_PROCESSOR] = "GUID_DEVICE_PROCESSOR",
	[NTC_CLASS_MEMORY] = "GUID_DEVICE_MEMORY",
};

/**
 * ntc_class_from_guid() - the interface class a GUID names
 * @guid: the GUID a driver passed; not NULL
 *
 * Return: an enum ntc_class, or -EOPNOTSUPP for a class ntcompat does not
 * emulate.
 */
int ntc_class_from_guid(const GUID *guid)
{
	int class;

	for (class = 0; class < NTC_NR_CLASSES; class++)
		if (IsEqualGUID(guid, ntc_class_guid[class]))
			return class;
	return -EOPNOTSUPP;
}
NTC_EXPORT_FOR_KUNIT(ntc_class_from_guid);
