/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntddk.h - as on Windows, everything in wdm.h plus the interfaces of
 * non-WDM drivers.
 */
#ifndef _NTCOMPAT_NTDDK_H
#define _NTCOMPAT_NTDDK_H

#include "wdm.h"

#include <nt/mm_physical.h>

#endif /* _NTCOMPAT_NTDDK_H */
