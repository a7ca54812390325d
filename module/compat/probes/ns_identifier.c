// SPDX-License-Identifier: GPL-2.0
/*
 * Symbol namespaces are written as bare identifiers, which the export and
 * import macros stringify. Upstream "module: Convert symbol namespace to
 * string literal" (v6.13) made them string literals, and a bare identifier
 * no longer compiles there.
 */
#include <linux/module.h>

MODULE_IMPORT_NS(NTC_PROBE_NAMESPACE);
