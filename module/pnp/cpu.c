// SPDX-License-Identifier: GPL-2.0
/*
 * Processor events from the CPU hotplug state machine.
 *
 * One dynamic state for the whole module, however many registrations there
 * are: the kernel has only a few dozen. Its callbacks run in the hotplug
 * thread of the CPU coming or going, with the hotplug lock held, so they only
 * post an event; nothing here may call a driver or wait for the dispatcher.
 */
#include <linux/cpuhotplug.h>

#include "ntc.h"

static enum cpuhp_state ntc_cpuhp_state;

static int ntc_cpu_online(unsigned int cpu)
{
	ntc_dpc_cpu_online(cpu);
	ntc_event_post_cpu(NTC_ARRIVAL, cpu);
	ntc_dispatch_kick();
	return 0;
}

/*
 * A teardown callback must not fail. ntc_event_post_cpu() cannot, and
 * ntc_dpc_cpu_offline() only runs the CPU's last DPCs (ke/dpc.c).
 */
static int ntc_cpu_offline(unsigned int cpu)
{
	ntc_event_post_cpu(NTC_REMOVAL, cpu);
	ntc_dispatch_kick();
	ntc_dpc_cpu_offline(cpu);
	return 0;
}

/*
 * Installing the state runs ntc_cpu_online() for every CPU already online,
 * serialised against hotplug: that is how the record of which processors are
 * up starts out right. Nobody is registered yet, so those events reach
 * nobody.
 */
int ntc_cpu_init(void)
{
	int ret;

	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "ntcompat:online",
				ntc_cpu_online, ntc_cpu_offline);
	if (ret < 0)
		return ret;
	ntc_cpuhp_state = ret;
	return 0;
}

/* No teardown calls: nobody is left to tell. */
void ntc_cpu_uninit(void)
{
	cpuhp_remove_state_nocalls(ntc_cpuhp_state);
}
