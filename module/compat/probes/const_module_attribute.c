// SPDX-License-Identifier: GPL-2.0
/*
 * struct module_attribute's show() and store() take a const struct
 * module_attribute *. Upstream's constification of module attributes
 * ("module: sysfs: ..." series by Thomas Weißschuh, v6.14) made them so;
 * before it they take a plain pointer, and this is an incompatible pointer
 * assignment.
 */
#include <linux/module.h>

static ssize_t ntc_probe_show(const struct module_attribute *attr,
			      struct module_kobject *mk, char *buf)
{
	return 0;
}

static ssize_t ntc_probe_store(const struct module_attribute *attr,
			       struct module_kobject *mk, const char *buf,
			       size_t count)
{
	return count;
}

struct module_attribute ntc_probe_attr = {
	.show = ntc_probe_show,
	.store = ntc_probe_store,
};
