// SPDX-License-Identifier: GPL-2.0
/* RtlInitUnicodeString: a UNICODE_STRING over a driver's own string. */
#include <linux/module.h>

#include "ntc.h"

VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
	size_t n = 0;

	if (unlikely(!DestinationString)) {
		ntc_bad_call_from(__builtin_return_address(0), __func__,
				  "NULL DestinationString; nothing written");
		return;
	}
	/* Cut where Length would no longer leave room for the NUL. */
	if (SourceString)
		while (n < UNICODE_STRING_MAX_BYTES / sizeof(WCHAR) && SourceString[n])
			n++;
	DestinationString->Buffer = (PWSTR)SourceString;
	DestinationString->Length = n * sizeof(WCHAR);
	DestinationString->MaximumLength = SourceString ? (n + 1) * sizeof(WCHAR) : 0;
}
EXPORT_SYMBOL_NS_GPL(RtlInitUnicodeString, NTC_EXPORT_NS);
