/* SPDX-License-Identifier: GPL-2.0 */
/*
 * initguid.h - include before the GUID headers in one file of a module to
 * make DEFINE_GUID define (rather than declare) the GUIDs it names.
 */
#ifndef INITGUID
#define INITGUID
#endif
#include "guiddef.h"
