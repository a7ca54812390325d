/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nt/rtl_assert.h - ASSERT, NT_ASSERT and their relatives.
 *
 * Included by wdm.h (or ntddk.h), which is what a driver includes.
 *
 * N.B. On Windows these check only in debug (DBG) builds and a failure
 * breaks into the debugger or bug checks. Here they always check, as a
 * debug build does, and a failure logs one line per assertion (the first
 * time it fails) naming the expression, the file and line and the function,
 * then goes on: never BUG(), and no WARN() either, so that a panic_on_warn
 * kernel keeps running too. NT_VERIFY() evaluates its expression and gives
 * its value, as on Windows.
 */
#ifndef _NTCOMPAT_NT_RTL_ASSERT_H
#define _NTCOMPAT_NT_RTL_ASSERT_H

#include <linux/compiler.h>
#include <linux/instruction_pointer.h>
#include <linux/printk.h>

#include <ntdef.h>

/* True if @exp holds; the first failure of this site is logged. */
#define NTC_CHECK(exp, msg)						\
	({								\
		bool __ntc_ok = !!(exp);				\
		if (unlikely(!__ntc_ok))				\
			pr_err_once("%s:%d: %pS: assertion failed: %s%s%s\n",	\
				    __FILE__, __LINE__, (void *)_THIS_IP_, \
				    #exp, *(msg) ? ": " : "", (msg));	\
		__ntc_ok;						\
	})

#define ASSERT(exp)			((void)NTC_CHECK(exp, ""))
#define ASSERTMSG(msg, exp)		((void)NTC_CHECK(exp, msg))
#define NT_ASSERT(exp)			((void)NTC_CHECK(exp, ""))
#define NT_ASSERTMSG(msg, exp)		((void)NTC_CHECK(exp, msg))
#define NT_ASSERTMSGW(msg, exp)		((void)NTC_CHECK(exp, ""))
#define NT_ASSERT_ASSUME(exp)		NT_ASSERT(exp)
#define NT_VERIFY(exp)			NTC_CHECK(exp, "")
#define NT_VERIFYMSG(msg, exp)		NTC_CHECK(exp, msg)

#endif /* _NTCOMPAT_NT_RTL_ASSERT_H */
