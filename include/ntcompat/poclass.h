/* SPDX-License-Identifier: GPL-2.0 */
/*
 * poclass.h - the device interface classes for hot-added processors and
 * memory, the GUIDs IoRegisterPlugPlayNotification accepts as
 * EventCategoryData. No include guard, for the reason given in wdmguid.h.
 */
#include "guiddef.h"

/* {97FADB10-4E33-40AE-359C-8BEF029DBDD0}: note the 0x35, 0x9c bytes. */
DEFINE_GUID(GUID_DEVICE_PROCESSOR, 0x97fadb10, 0x4e33, 0x40ae,
	    0x35, 0x9c, 0x8b, 0xef, 0x02, 0x9d, 0xbd, 0xd0);
/* {3FD0F03D-92E0-45FB-B75C-5ED8FFB01021} */
DEFINE_GUID(GUID_DEVICE_MEMORY, 0x3fd0f03d, 0x92e0, 0x45fb,
	    0xb7, 0x5c, 0x5e, 0xd8, 0xff, 0xb0, 0x10, 0x21);
