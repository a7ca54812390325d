// SPDX-License-Identifier: GPL-2.0
/*
 * RtlCompareMemory, the one memory routine that is a function in Windows'
 * wdm.h; the others are macros over the kernel's mem*() (nt/rtl_memory.h).
 */
#include <linux/module.h>

#include "ntc.h"

SIZE_T RtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length)
{
	const u8 *a = Source1, *b = Source2;
	SIZE_T i;

	if (unlikely(Length && (!a || !b))) {
		ntc_bad_call_from(__builtin_return_address(0), __func__,
				  "NULL buffer with Length %zu; returning 0", Length);
		return 0;
	}
	for (i = 0; i < Length && a[i] == b[i]; i++)
		;
	return i;
}
EXPORT_SYMBOL_NS_GPL(RtlCompareMemory, NTC_EXPORT_NS);
