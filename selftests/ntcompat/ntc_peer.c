// SPDX-License-Identifier: GPL-2.0
/*
 * ntc_peer - a second ported driver for stale_handle.sh and pcc_calls.sh:
 * it unregisters handles that another driver (ntc_test_client,
 * ntc_pcc_test) was given, as a buggy driver holding a stale or foreign
 * handle would.
 *
 *	echo 'unreg 0x1234' >/sys/kernel/debug/ntc_peer/ctl
 *	echo 'unregex 0x1234' >/sys/kernel/debug/ntc_peer/ctl
 *	echo 'dereg 0x1234' >/sys/kernel/debug/ntc_peer/ctl	# processor change
 *	cat /sys/kernel/debug/ntc_peer/status	# the NTSTATUS, e.g. 0xc000000d
 *
 * KeDeregisterProcessorChangeCallback() returns nothing: after dereg the
 * status is STATUS_SUCCESS, and what it did shows in the kernel log and
 * in ntcompat's processor_change view.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <wdm.h>

#include "ntc_ctl.h"

static struct dentry *peer_dir;
static NTSTATUS peer_status;

static int peer_command(const char *buf)
{
	char cmd[16];
	unsigned long handle;

	if (sscanf(buf, "%15s %lx", cmd, &handle) != 2)
		return -EINVAL;
	if (!strcmp(cmd, "unreg"))
		peer_status = IoUnregisterPlugPlayNotification((PVOID)handle);
	else if (!strcmp(cmd, "unregex"))
		peer_status = IoUnregisterPlugPlayNotificationEx((PVOID)handle);
	else if (!strcmp(cmd, "dereg")) {
		KeDeregisterProcessorChangeCallback((PVOID)handle);
		peer_status = STATUS_SUCCESS;
	} else
		return -EINVAL;
	return 0;
}
DEFINE_NTC_CTL(peer_ctl, peer_command);

static int peer_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "0x%08x\n", (u32)peer_status);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(peer_status);

static VOID PeerUnload(PDRIVER_OBJECT DriverObject)
{
	debugfs_remove_recursive(peer_dir);
}

static NTSTATUS PeerEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	peer_dir = debugfs_create_dir("ntc_peer", NULL);
	debugfs_create_file("ctl", 0200, peer_dir, NULL, &peer_ctl_fops);
	debugfs_create_file("status", 0400, peer_dir, NULL, &peer_status_fops);
	DriverObject->DriverUnload = PeerUnload;
	return STATUS_SUCCESS;
}

NTC_MODULE_DRIVER(PeerEntry);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ntcompat selftest: a driver holding another driver's handles");
