#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A ported driver built out of tree from a directory holding only its
# source and a two-line Kbuild (obj-m, include ntcompat.mk), once against
# an installed ntcompat (make install, staged) and once against this source
# tree: it must compile without a warning, modpost must find every ntcompat
# symbol it uses (no "undefined!"), and each such symbol must carry the CRC
# ntcompat exports it with, so that the kernel would accept it.
. tests/host/lib.sh
scratch out-of-tree
mk install DESTDIR="$TMP/root" >"$TMP/install.log" 2>&1 || {
	cat "$TMP/install.log"
	fail "make install failed"
}

driver() {
	mkdir -p "$1"
	cat >"$1/hello_pnp.c" <<'C'
// SPDX-License-Identifier: GPL-2.0
/* A Windows driver's hot-add code, as Microsoft documents it. */
#include <ntddk.h>
#include <wdmguid.h>
#include <poclass.h>

static PVOID NotificationHandle;

static NTSTATUS ProcessorCallback(PVOID NotificationStructure, PVOID Context)
{
	PDEVICE_INTERFACE_CHANGE_NOTIFICATION Notification = NotificationStructure;

	UNREFERENCED_PARAMETER(Context);
	if (IsEqualGUID(&Notification->Event, &GUID_DEVICE_INTERFACE_ARRIVAL))
		DbgPrint("hello_pnp: %u processors\n", KeQueryActiveProcessorCount(NULL));
	return STATUS_SUCCESS;
}

static VOID DriverUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	IoUnregisterPlugPlayNotificationEx(NotificationHandle);
}

static NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	UNREFERENCED_PARAMETER(RegistryPath);
	DriverObject->DriverUnload = DriverUnload;
	return IoRegisterPlugPlayNotification(EventCategoryDeviceInterfaceChange,
					      PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES,
					      &GUID_DEVICE_PROCESSOR, DriverObject,
					      ProcessorCallback, NULL, &NotificationHandle);
}

NTC_MODULE_DRIVER(DriverEntry);
MODULE_LICENSE("GPL");
C
	printf 'obj-m := hello_pnp.o\ninclude %s\n' "$2" >"$1/Kbuild"
}

# build DIR SYMVERS: build the driver in DIR, check it against SYMVERS.
build() {
	kmake M="$1" W=1 modules >"$1/log" 2>&1 || {
		cat "$1/log"
		fail "$1: build failed"
	}
	if grep -E 'warning|undefined|error' "$1/log"; then
		fail "$1: the build warned"
	fi
	[ "$(modinfo -F depends "$1/hello_pnp.ko")" = ntcompat ] ||
		fail "$1: the module does not depend on ntcompat"
	# Every versioned symbol that ntcompat exports must have its CRC.
	n=0
	modprobe --dump-modversions "$1/hello_pnp.ko" >"$1/versions"
	while read -r crc sym; do
		want=$(awk -F '\t' -v s="$sym" '$2 == s && $3 ~ /\/ntcompat$/ { print $1 }' "$2")
		[ -n "$want" ] || continue
		[ "$crc" = "$want" ] || fail "$1: $sym has CRC $crc, ntcompat exports $want"
		n=$((n + 1))
	done <"$1/versions"
	# IoRegisterPlugPlayNotification, IoUnregisterPlugPlayNotificationEx,
	# KeQueryActiveProcessorCount, DbgPrint, the two GUIDs, and the two
	# NTC_MODULE_DRIVER helpers.
	[ "$n" -eq 8 ] || fail "$1: $n ntcompat symbols versioned, expected 8"
	echo "$1: built, depends on ntcompat, $n ntcompat symbols with ntcompat's CRCs"
}

driver "$TMP/installed" "$TMP/root/usr/src/ntcompat/ntcompat.mk"
build "$TMP/installed" "$TMP/root/usr/src/ntcompat/symvers/$KREL/Module.symvers"
driver "$TMP/tree" "$PWD/ntcompat.mk"
build "$TMP/tree" "$PWD/Module.symvers"

# Without ntcompat's Module.symvers the same driver must not link: this is
# what the check above would catch.
mv "$TMP/root/usr/src/ntcompat/symvers" "$TMP/symvers.away"
if kmake M="$TMP/installed" modules >"$TMP/nosymvers.log" 2>&1; then
	fail "built without ntcompat's Module.symvers"
fi
grep -q "no ntcompat Module.symvers for kernel $KREL" "$TMP/nosymvers.log" ||
	fail "no clear error without Module.symvers"
echo "without Module.symvers: ntcompat.mk stops the build, naming the kernel"
