// SPDX-License-Identifier: GPL-2.0
/*
 * Pool: freeing what ntcompat allocated for a driver.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "ntc.h"

VOID ExFreePool(PVOID P)
{
	kvfree(P);
}
EXPORT_SYMBOL_NS_GPL(ExFreePool, NTC_EXPORT_NS);
