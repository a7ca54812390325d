// SPDX-License-Identifier: GPL-2.0
/*
 * DRIVER_OBJECT for Linux modules, and how a ported driver is stopped.
 *
 * NTC_MODULE_DRIVER() in a ported driver calls ntc_driver_load() from its
 * module init and ntc_driver_unload() from its module exit. ntcompat keeps
 * the list of driver objects it handed out, so that a DriverObject argument
 * is checked by address before it is trusted.
 *
 * As on Windows, each notification registration holds a reference on its
 * driver: a module with live registrations cannot be unloaded, and rmmod
 * says it is in use. A Windows driver unregisters in DriverUnload, which the
 * system calls when the driver is stopped; here that is
 *
 *	echo 1 > /sys/module/<driver>/ntcompat/stop
 *
 * after which rmmod succeeds if DriverUnload let go of everything. A driver
 * without registrations needs no stop: rmmod calls DriverUnload itself.
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "ntc.h"

static DEFINE_MUTEX(ntc_driver_lock);
static LIST_HEAD(ntc_drivers);

/* What ntcompat keeps for each loaded driver; DriverSection points to it. */
struct ntc_driver {
	struct list_head node;		/* ntc_drivers */
	PDRIVER_OBJECT object;
	struct mutex stop_lock;
	bool stopped;			/* DriverUnload has run */
	struct module_attribute stop_attr;	/* /sys/module/<driver>/ntcompat/stop */
	struct attribute *attrs[2];
	struct attribute_group group;
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

/**
 * ntc_caller_module() - the driver whose code made a call
 * @ip: the return address of the exported routine's caller
 *
 * Only modules that ntcompat knows as drivers are looked at: they are the
 * only ones that can hold a handle.
 *
 * Context: process context.
 * Return: the driver's module, or NULL if @ip is in none of them.
 */
struct module *ntc_caller_module(unsigned long ip)
{
	struct module *mod = NULL;
	struct ntc_driver *d;

	mutex_lock(&ntc_driver_lock);
	list_for_each_entry(d, &ntc_drivers, node) {
		if (within_module(ip, d->object->NtcOwner)) {
			mod = d->object->NtcOwner;
			break;
		}
	}
	mutex_unlock(&ntc_driver_lock);
	return mod;
}

/* Run DriverUnload once. Returns -EPERM if the driver has none. */
static int ntc_driver_stop(struct ntc_driver *d)
{
	PDRIVER_OBJECT obj = d->object;
	int ret = 0;

	mutex_lock(&d->stop_lock);
	if (d->stopped)
		goto out;
	if (!obj->DriverUnload) {
		/* Windows will not unload such a driver either. */
		ret = -EPERM;
		goto out;
	}
	obj->DriverUnload(obj);
	d->stopped = true;
out:
	mutex_unlock(&d->stop_lock);
	return ret;
}

static ssize_t ntc_stop_store(NTC_MODATTR_CONST struct module_attribute *attr,
			      struct module_kobject *mk, const char *buf,
			      size_t count)
{
	struct ntc_driver *d = container_of(attr, struct ntc_driver, stop_attr);
	bool stop;
	int ret;

	ret = kstrtobool(buf, &stop);
	if (ret || !stop)
		return ret ? ret : -EINVAL;
	ret = ntc_driver_stop(d);
	return ret ? ret : count;
}

static ssize_t ntc_stop_show(NTC_MODATTR_CONST struct module_attribute *attr,
			     struct module_kobject *mk, char *buf)
{
	struct ntc_driver *d = container_of(attr, struct ntc_driver, stop_attr);

	return sysfs_emit(buf, "%d\n", READ_ONCE(d->stopped));
}

static void ntc_driver_free_names(PDRIVER_OBJECT obj)
{
	kfree(obj->DriverName.Buffer);
	kfree(obj->NtcExtension.ServiceKeyName.Buffer);
	kfree(obj->NtcRegistryPath.Buffer);
}

static void ntc_driver_forget(PDRIVER_OBJECT obj)
{
	struct ntc_driver *d = obj->DriverSection;
	unsigned int left;

	sysfs_remove_group(&obj->NtcOwner->mkobj.kobj, &d->group);
	left = ntc_unregister_driver(obj);
	if (left)
		pr_warn("%s: %u notification registration(s) left at unload; removed\n",
			obj->NtcOwner->name, left);
	left = ntc_pcc_unregister_driver(obj->NtcOwner);
	if (left)
		pr_warn("%s: %u processor-change callback(s) left at unload; removed\n",
			obj->NtcOwner->name, left);
	/*
	 * IoUnregisterPlugPlayNotification() does not wait for a callback
	 * already running. Every callback runs inside an ntc_srcu read
	 * section, so after this none of the driver's is running any more,
	 * and its code may go.
	 */
	ntc_reg_barrier();

	mutex_lock(&ntc_driver_lock);
	list_del(&d->node);
	mutex_unlock(&ntc_driver_lock);
	kfree(d);
	ntc_driver_free_names(obj);
	obj->DriverSection = NULL;
	/* The driver is done: what pool it still holds, it leaked. */
	ntc_pool_driver_gone(obj->NtcOwner);
}

/* Fill in @obj as the I/O manager would. */
static int ntc_driver_init_object(PDRIVER_OBJECT obj, struct module *owner,
				  PDRIVER_INITIALIZE entry)
{
	const char *name = module_name(owner);

	memset(obj, 0, sizeof(*obj));
	obj->Type = IO_TYPE_DRIVER;
	obj->Size = sizeof(*obj);
	obj->NtcOwner = owner;
	obj->DriverInit = entry;
	obj->DriverExtension = &obj->NtcExtension;
	obj->NtcExtension.DriverObject = obj;
	if (ntc_unicode_printf(&obj->DriverName, "\\Driver\\%s", name) ||
	    ntc_unicode_printf(&obj->NtcExtension.ServiceKeyName, "%s", name) ||
	    ntc_unicode_printf(&obj->NtcRegistryPath,
			       "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\%s",
			       name)) {
		ntc_driver_free_names(obj);
		return -ENOMEM;
	}
	return 0;
}

/**
 * ntc_driver_load() - run a ported driver's DriverEntry as its module init
 * @obj: the driver's static DRIVER_OBJECT
 * @owner: the driver's module
 * @entry: its DriverEntry
 *
 * Fills in @obj as the I/O manager would (Type, Size, DriverName
 * "\Driver\<module>", DriverExtension, DriverInit), adds the driver's stop
 * switch /sys/module/<module>/ntcompat/stop, and calls @entry with the
 * registry path "\Registry\Machine\System\CurrentControlSet\Services\<module>".
 * Called by NTC_MODULE_DRIVER(); not for drivers to call.
 *
 * Context: module init.
 * Return: 0, or the errno matching DriverEntry's failing NTSTATUS.
 */
int ntc_driver_load(PDRIVER_OBJECT obj, struct module *owner,
		    PDRIVER_INITIALIZE entry)
{
	struct ntc_driver *d;
	NTSTATUS status;
	int ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	ret = ntc_driver_init_object(obj, owner, entry);
	if (ret)
		goto err_free;

	d->object = obj;
	mutex_init(&d->stop_lock);
	sysfs_attr_init(&d->stop_attr.attr);
	d->stop_attr.attr.name = "stop";
	d->stop_attr.attr.mode = 0600;
	d->stop_attr.show = ntc_stop_show;
	d->stop_attr.store = ntc_stop_store;
	/* Under the module's kobject, so a module_attribute, not a kobj one. */
	d->attrs[0] = &d->stop_attr.attr;
	d->group.name = "ntcompat";
	d->group.attrs = d->attrs;
	ret = sysfs_create_group(&owner->mkobj.kobj, &d->group);
	if (ret)
		goto err_names;
	obj->DriverSection = d;

	mutex_lock(&ntc_driver_lock);
	list_add_tail(&d->node, &ntc_drivers);
	mutex_unlock(&ntc_driver_lock);

	status = entry(obj, &obj->NtcRegistryPath);
	if (!NT_SUCCESS(status)) {
		pr_info("%s: DriverEntry failed with status %#010x\n",
			module_name(owner), status);
		ntc_driver_forget(obj);
		return ntc_status_to_errno(status);
	}
	return 0;

err_names:
	ntc_driver_free_names(obj);
err_free:
	kfree(d);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(ntc_driver_load, NTC_EXPORT_NS);

/**
 * ntc_driver_unload() - a ported driver's module exit
 * @obj: the driver's DRIVER_OBJECT, as ntc_driver_load() set it up
 *
 * Calls DriverUnload unless the driver was already stopped through sysfs.
 * rmmod gets here only when no registration holds the module; should the
 * driver have registered from DriverUnload itself, those registrations are
 * removed, with a warning, so no callback can run once its code is freed.
 *
 * Context: module exit.
 */
void ntc_driver_unload(PDRIVER_OBJECT obj)
{
	ntc_driver_stop(obj->DriverSection);
	ntc_driver_forget(obj);
}
EXPORT_SYMBOL_NS_GPL(ntc_driver_unload, NTC_EXPORT_NS);
