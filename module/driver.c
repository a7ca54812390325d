// SPDX-License-Identifier: GPL-2.0
/*
 * DRIVER_OBJECT for Linux modules.
 *
 * NTC_MODULE_DRIVER() in a ported driver calls ntc_driver_load() from its
 * module init and ntc_driver_unload() from its module exit. ntcompat keeps
 * the list of driver objects it handed out, so that a DriverObject argument
 * is checked by address before it is trusted, and so that registrations a
 * driver forgot to remove can be removed for it before its code goes away.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "ntc.h"

static DEFINE_MUTEX(ntc_driver_lock);
static LIST_HEAD(ntc_drivers);

/* What ntcompat keeps for each loaded driver; DriverSection points to it. */
struct ntc_driver {
	struct list_head node;
	PDRIVER_OBJECT object;
};

bool ntc_driver_is_known(PDRIVER_OBJECT driver)
{
	struct ntc_driver *d;
	bool known = false;

	mutex_lock(&ntc_driver_lock);
	list_for_each_entry(d, &ntc_drivers, node) {
		if (d->object == driver) {
			known = true;
			break;
		}
	}
	mutex_unlock(&ntc_driver_lock);
	return known;
}

static void ntc_driver_forget(PDRIVER_OBJECT obj)
{
	struct ntc_driver *d = obj->DriverSection;
	unsigned int left;

	left = ntc_unregister_driver(obj);
	if (left)
		pr_warn("%s: %u notification registration(s) left at unload; removed\n",
			obj->NtcOwner->name, left);
	/*
	 * IoUnregisterPlugPlayNotification() does not wait for a callback
	 * already running. Every callback runs inside an ntc_srcu read
	 * section, so after this none of the driver's is running any more,
	 * and its code may go.
	 */
	synchronize_srcu(&ntc_srcu);

	mutex_lock(&ntc_driver_lock);
	list_del(&d->node);
	mutex_unlock(&ntc_driver_lock);
	kfree(d);
	kfree(obj->DriverName.Buffer);
	kfree(obj->NtcRegistryPath.Buffer);
	kfree(obj->NtcExtension.ServiceKeyName.Buffer);
	obj->DriverSection = NULL;
}

/**
 * ntc_driver_load() - run a ported driver's DriverEntry as its module init
 * @obj: the driver's static DRIVER_OBJECT
 * @owner: the driver's module
 * @entry: its DriverEntry
 *
 * Fills in @obj as the I/O manager would (Type, Size, DriverName
 * "\Driver\<module>", DriverExtension, DriverInit) and calls @entry with the
 * registry path "\Registry\Machine\System\CurrentControlSet\Services\<module>".
 * Called by NTC_MODULE_DRIVER(); not for drivers to call.
 *
 * Context: module init.
 * Return: 0, or the errno matching DriverEntry's failing NTSTATUS.
 */
int ntc_driver_load(PDRIVER_OBJECT obj, struct module *owner,
		    PDRIVER_INITIALIZE entry)
{
	const char *name = module_name(owner);
	struct ntc_driver *d;
	NTSTATUS status;

	memset(obj, 0, sizeof(*obj));
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	obj->Type = IO_TYPE_DRIVER;
	obj->Size = sizeof(*obj);
	obj->NtcOwner = owner;
	obj->DriverInit = entry;
	obj->DriverSection = d;
	obj->DriverExtension = &obj->NtcExtension;
	obj->NtcExtension.DriverObject = obj;
	if (ntc_unicode_printf(&obj->DriverName, "\\Driver\\%s", name) ||
	    ntc_unicode_printf(&obj->NtcExtension.ServiceKeyName, "%s", name) ||
	    ntc_unicode_printf(&obj->NtcRegistryPath,
			       "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\%s",
			       name)) {
		kfree(obj->DriverName.Buffer);
		kfree(obj->NtcExtension.ServiceKeyName.Buffer);
		kfree(d);
		return -ENOMEM;
	}

	d->object = obj;
	mutex_lock(&ntc_driver_lock);
	list_add_tail(&d->node, &ntc_drivers);
	mutex_unlock(&ntc_driver_lock);

	status = entry(obj, &obj->NtcRegistryPath);
	if (!NT_SUCCESS(status)) {
		pr_info("%s: DriverEntry failed with status %#010x\n", name, status);
		ntc_driver_forget(obj);
		return ntc_status_to_errno(status);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(ntc_driver_load);

/**
 * ntc_driver_unload() - run a ported driver's DriverUnload as its module exit
 * @obj: the driver's DRIVER_OBJECT, as ntc_driver_load() set it up
 *
 * Calls DriverUnload if DriverEntry set one, then removes, with a warning,
 * any notification registration the driver left behind, waiting for its
 * callbacks to finish, so none can run once the module's code is freed.
 *
 * Context: module exit.
 */
void ntc_driver_unload(PDRIVER_OBJECT obj)
{
	if (obj->DriverUnload)
		obj->DriverUnload(obj);
	ntc_driver_forget(obj);
}
EXPORT_SYMBOL_GPL(ntc_driver_unload);
