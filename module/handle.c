// SPDX-License-Identifier: GPL-2.0
/*
 * Handles: what a driver holds instead of a pointer.
 *
 * Every routine that gives a driver a handle (IoRegisterPlugPlayNotification's
 * NotificationEntry today, KeRegisterProcessorChangeCallback's PVOID next)
 * gives it a number from one counter, never an address. The counter is 64
 * bits wide and only goes up, so no value is handed out twice while ntcompat
 * is loaded: a stale handle cannot name a newer object that happens to sit
 * at the old one's address. Each live value maps, in ntc_handles, to the
 * struct ntc_handle embedded in its object, which says what kind of object
 * it is and which module it belongs to; a call checks both before it touches
 * the object.
 *
 * A driver may use only the handles it was given. One that is live but
 * belongs to another module is refused with -EACCES, so that a bug in one
 * driver can never remove another driver's registration.
 */
#include <linux/module.h>
#include <linux/xarray.h>

#include "ntc.h"

/* Live handles by value; its xa_lock also guards ntc_handle_last. */
static DEFINE_XARRAY(ntc_handles);
static unsigned long ntc_handle_last;

static_assert(sizeof(unsigned long) == sizeof(u64),
	      "handle values must not wrap while ntcompat is loaded");

/**
 * ntc_handle_publish() - give an object a handle value and make it findable
 * @h: the object's handle, not yet published
 * @kind: what the object is
 * @owner: the module the handle belongs to
 *
 * Context: process context, may sleep (the table may allocate).
 * Return: 0, or -ENOMEM; the handle is then not published.
 */
int ntc_handle_publish(struct ntc_handle *h, enum ntc_handle_kind kind,
		       struct module *owner)
{
	int ret;

	h->kind = kind;
	h->owner = owner;
	xa_lock(&ntc_handles);
	h->value = ++ntc_handle_last;
	ret = xa_err(__xa_store(&ntc_handles, h->value, h, GFP_KERNEL));
	xa_unlock(&ntc_handles);
	if (ret)
		h->value = 0;
	return ret;
}
NTC_EXPORT_FOR_KUNIT(ntc_handle_publish);

/**
 * ntc_handle_take() - look a driver's handle up and unpublish it
 * @value: what the driver passed
 * @kind: the kind of object the call expects
 * @caller: the module making the call
 *
 * On success the caller owns the object's removal: nobody else can find it
 * by this value any more.
 *
 * Return: the handle, ERR_PTR(-EINVAL) if @value is not a live handle of
 * @kind (never was, or no longer is), or ERR_PTR(-EACCES) if it belongs to
 * another module (it stays published).
 */
struct ntc_handle *ntc_handle_take(const void *value, enum ntc_handle_kind kind,
				   const struct module *caller)
{
	unsigned long index = (unsigned long)value;
	struct ntc_handle *h;

	xa_lock(&ntc_handles);
	h = xa_load(&ntc_handles, index);
	if (!h || h->kind != kind)
		h = ERR_PTR(-EINVAL);
	else if (h->owner != caller)
		h = ERR_PTR(-EACCES);
	else
		__xa_erase(&ntc_handles, index);
	xa_unlock(&ntc_handles);
	return h;
}
NTC_EXPORT_FOR_KUNIT(ntc_handle_take);

/**
 * ntc_handle_unpublish() - remove a published handle, whoever holds it
 * @h: a handle that ntc_handle_publish() published
 *
 * For removals that ntcompat makes itself, such as when a driver unloads.
 */
void ntc_handle_unpublish(struct ntc_handle *h)
{
	xa_erase(&ntc_handles, h->value);
}
NTC_EXPORT_FOR_KUNIT(ntc_handle_unpublish);
