/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wdm.h - the part of the Windows Driver Model that ntcompat emulates:
 * asynchronous Plug and Play notification of processor and memory hot-add
 * (IoRegisterPlugPlayNotification and friends), the processor queries a
 * notification callback makes, the DRIVER_OBJECT and debug printing.
 *
 * Everything a driver calls is named exactly as on Windows and behaves as
 * Microsoft documents it. Where Linux forces a difference, or where Windows
 * says nothing and ntcompat had to choose, the kernel-doc of the function says
 * so in an "N.B." paragraph. Linux-side glue is spelled ntc_*.
 */
#ifndef _NTCOMPAT_WDM_H
#define _NTCOMPAT_WDM_H

#include <linux/module.h>

#include "ntdef.h"
#include "ntstatus.h"
#include "guiddef.h"
#include "wdmguid.h"

/*
 * ntcompat's exports live in the symbol namespace NTCOMPAT. Every file that
 * includes this header imports it, so a ported driver needs no line of its
 * own; in a module of several files each one adds the same import_ns tag,
 * which modpost and the module loader treat as one. ntcompat itself
 * defines NTC_PROVIDER, as it exports rather than imports.
 *
 * The tag is written out rather than through MODULE_IMPORT_NS(), whose
 * argument is a bare token before Linux 6.13 and a string literal from
 * then on: both expand to this same modinfo tag, so the public headers
 * need not know which kernel they are built for.
 */
#ifndef NTC_PROVIDER
MODULE_INFO(import_ns, "NTCOMPAT");
#endif

/* The language: SAL annotations and Microsoft's C extensions. */
#include "sal.h"
#include <nt/msvc.h>

/* One header per component, named for its routines' prefix. */
#include <nt/ke_irql.h>
#include <nt/ke_processor.h>
#include <nt/ke_spinlock.h>
#include <nt/ke_dpc.h>
#include <nt/ke_event.h>
#include <nt/ke_processor_change.h>
#include <nt/ex_pool.h>
#include <nt/io_driver.h>
#include <nt/io_pnp.h>
#include <nt/dbg.h>
#include <nt/interlocked.h>
#include <nt/rtl_memory.h>
#include <nt/rtl_string.h>
#include <nt/rtl_assert.h>
#include <nt/mm_routine.h>

#endif /* _NTCOMPAT_WDM_H */
