// SPDX-License-Identifier: GPL-2.0
/*
 * ntcompat: the Windows asynchronous driver notification API
 * (IoRegisterPlugPlayNotification) for processor and memory hot-add, on
 * Linux's CPU hotplug state machine and memory hotplug notifier.
 *
 * Module init and exit only: each part is set up in the order an event
 * travels backwards (queue, dispatcher, then the sources that feed them) and
 * torn down in exact reverse.
 */
#include <linux/module.h>

#include "ntc.h"

static int __init ntc_init(void)
{
	int ret;

	ret = ntc_event_init();
	if (ret)
		return ret;
	ret = ntc_dispatch_init();
	if (ret)
		goto err_event;
	/* DPC queues first: the cpuhp state opens them. */
	ntc_dpc_init();
	ret = ntc_cpu_init();
	if (ret)
		goto err_dispatch;
	ret = ntc_memory_init();
	if (ret)
		goto err_cpu;
	ret = ntc_pcc_init();
	if (ret)
		goto err_memory;
	ntc_introspect_init();
	pr_info("loaded: processor and memory hot-add notification\n");
	return 0;

err_memory:
	ntc_memory_uninit();
err_cpu:
	ntc_cpu_uninit();
err_dispatch:
	ntc_dpc_uninit();
	ntc_dispatch_uninit();
err_event:
	ntc_event_uninit();
	return ret;
}

static void __exit ntc_exit(void)
{
	ntc_introspect_uninit();
	ntc_shutdown_begin();
	ntc_pcc_uninit();
	ntc_memory_uninit();
	ntc_cpu_uninit();
	ntc_dpc_uninit();
	ntc_affinity_uninit();
	ntc_dispatch_uninit();
	ntc_registration_uninit();
	ntc_event_uninit();
	ntc_pool_uninit();
}

module_init(ntc_init);
module_exit(ntc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The ntcompat authors");
MODULE_DESCRIPTION("Windows PnP notification API for processor and memory hot-add");
MODULE_VERSION(NTC_VERSION);
