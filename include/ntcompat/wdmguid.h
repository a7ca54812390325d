/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdmguid.h - the Plug and Play event GUIDs a notification callback compares
 * DEVICE_INTERFACE_CHANGE_NOTIFICATION.Event against.
 *
 * No include guard on the DEFINE_GUID lines, as on Windows: a file that
 * includes <initguid.h> after this header gets definitions on its second
 * inclusion.
 */
#include "guiddef.h"

DEFINE_GUID(GUID_DEVICE_INTERFACE_ARRIVAL, 0xcb3a4004, 0x46f0, 0x11d0,
	    0xb0, 0x8f, 0x00, 0x60, 0x97, 0x13, 0x05, 0x3f);
DEFINE_GUID(GUID_DEVICE_INTERFACE_REMOVAL, 0xcb3a4005, 0x46f0, 0x11d0,
	    0xb0, 0x8f, 0x00, 0x60, 0x97, 0x13, 0x05, 0x3f);
