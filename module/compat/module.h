/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat/module.h - module interfaces whose spelling changed upstream.
 */
#ifndef _NTC_COMPAT_MODULE_H
#define _NTC_COMPAT_MODULE_H

#include "ntc_probed.h"

/*
 * NTC_NS(name): a symbol namespace as EXPORT_SYMBOL_NS*() and
 * MODULE_IMPORT_NS() take it, a bare identifier or, from upstream "module:
 * Convert symbol namespace to string literal", a string (probe
 * ns_identifier.c).
 */
#ifdef NTC_HAVE_NS_IDENTIFIER
#define NTC_NS(name)	name
#else
#define NTC_NS(name)	#name
#endif

/*
 * NTC_MODATTR_CONST: what qualifies the struct module_attribute pointer a
 * module attribute's show() and store() get; const since upstream
 * constified module attributes (probe const_module_attribute.c).
 */
#ifdef NTC_HAVE_CONST_MODULE_ATTRIBUTE
#define NTC_MODATTR_CONST	const
#else
#define NTC_MODATTR_CONST
#endif

#endif /* _NTC_COMPAT_MODULE_H */
