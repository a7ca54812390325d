// SPDX-License-Identifier: GPL-2.0
/*
 * MmGetSystemRoutineAddress: a routine by name, at run time.
 *
 * There is no table to keep: the names are looked up in the kernel's export
 * tables (__symbol_get()) and kept only if the symbol lies inside ntcompat
 * itself, so that every Windows routine any file of ntcompat exports is
 * found the moment it is exported, and nothing else is. The Linux glue that
 * ntcompat also exports (ntc_*, for NTC_MODULE_DRIVER and the header's
 * inline parts) is not a Windows routine and is refused by name.
 */
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ntc.h"

/* Longer than any Windows routine's name. */
#define NTC_ROUTINE_NAME_MAX	128

/* Copy the name as ASCII; false if it is not a plausible symbol name. */
static bool ntc_routine_name(const UNICODE_STRING *us, char *name)
{
	size_t i, n = us->Length / sizeof(WCHAR);
	WCHAR c;

	if (!n || n >= NTC_ROUTINE_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (get_kernel_nofault(c, &us->Buffer[i]))
			return false;
		if (c > 0x7f || (!isalnum(c) && c != '_'))
			return false;
		name[i] = c;
	}
	name[n] = '\0';
	return strncmp(name, "ntc_", 4) && strncmp(name, "__", 2);
}

PVOID MmGetSystemRoutineAddress(PUNICODE_STRING SystemRoutineName)
{
	void *caller = __builtin_return_address(0);
	char name[NTC_ROUTINE_NAME_MAX];
	UNICODE_STRING us;
	void *addr;

	if (!ntc_may_sleep()) {
		ntc_bad_call_from(caller, __func__, "called from atomic context");
		return NULL;
	}
	if (!SystemRoutineName ||
	    copy_from_kernel_nofault(&us, SystemRoutineName, sizeof(us)) ||
	    us.Length % sizeof(WCHAR) || us.Length > us.MaximumLength ||
	    (us.Length && !us.Buffer)) {
		ntc_bad_call_from(caller, __func__, "NULL or malformed UNICODE_STRING");
		return NULL;
	}
	if (!ntc_routine_name(&us, name))
		return NULL;
	addr = __symbol_get(name);
	if (!addr)
		return NULL;
	/* The reference only kept the owner from leaving during the lookup. */
	__symbol_put(name);
	return within_module((unsigned long)addr, THIS_MODULE) ? addr : NULL;
}
EXPORT_SYMBOL_NS_GPL(MmGetSystemRoutineAddress, NTC_EXPORT_NS);
