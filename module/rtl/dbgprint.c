// SPDX-License-Identifier: GPL-2.0
/*
 * DbgPrint and DbgPrintEx. A driver's messages are its own: they are not
 * prefixed with "ntcompat: ", so pr_fmt is reset for this file.
 *
 * printk()'s %pV prints a format and its arguments, so the driver's format
 * is checked by the compiler (__printf in wdm.h) and never re-interpreted.
 */
#undef pr_fmt
#define pr_fmt(fmt) fmt

#include <linux/module.h>
#include <linux/printk.h>

#include "ntc.h"

ULONG DbgPrint(PCSTR Format, ...)
{
	struct va_format vaf = { .fmt = Format };
	va_list args;

	va_start(args, Format);
	vaf.va = &args;
	pr_info("%pV", &vaf);
	va_end(args);
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_NS_GPL(DbgPrint, NTC_EXPORT_NS);

/*
 * Windows shows only DPFLTR_ERROR_LEVEL by default; the levels map to the
 * printk levels nearest in spirit, INFO and above to dynamic debug.
 */
ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
	struct va_format vaf = { .fmt = Format };
	va_list args;

	va_start(args, Format);
	vaf.va = &args;
	switch (Level) {
	case DPFLTR_ERROR_LEVEL:
		pr_err("%pV", &vaf);
		break;
	case DPFLTR_WARNING_LEVEL:
		pr_warn("%pV", &vaf);
		break;
	case DPFLTR_TRACE_LEVEL:
		pr_info("%pV", &vaf);
		break;
	default:
		pr_debug("%pV", &vaf);
		break;
	}
	va_end(args);
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_NS_GPL(DbgPrintEx, NTC_EXPORT_NS);
