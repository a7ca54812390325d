/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ntc_compat.h - everything ntcompat knows about differences between kernels.
 *
 * Nothing outside module/compat/ tests a kernel version. What a kernel
 * offers is decided by the probes in probes/, small files compiled against
 * the target's own headers at build time (module/Kbuild runs ./probe), and
 * each topic header here turns the answers into one spelling the core code
 * uses on every kernel:
 *
 *	module.h	symbol namespaces, module sysfs attributes
 *
 * Differences the core handles without help, checked on Debian's 6.1 and
 * 6.12 (generic and PREEMPT_RT):
 *
 *  - Memory notifier actions are bit values (MEM_ONLINE is 1) in 6.1 and
 *    values of enum memory_block_state (MEM_ONLINE is 0) upstream from 6.19
 *    and in Debian's 6.12 from 6.12.110, which also has MEM_PREPARE_ONLINE
 *    and MEM_FINISH_OFFLINE (upstream 6.8): memory.c compares actions with
 *    == by name and ignores the others.
 *  - struct memory_notify grew altmap fields (6.8) and loses its node fields
 *    later: memory.c reads only start_pfn and nr_pages.
 *  - CPU hotplug has 30 dynamic online states in 6.1 and 41 from 6.8:
 *    ntcompat takes one, whatever the count.
 */
#ifndef _NTC_COMPAT_H
#define _NTC_COMPAT_H

#include "ntc_probed.h"

#include "module.h"

#endif /* _NTC_COMPAT_H */
