#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A ported driver built out of tree from a directory holding only its
# source and a two-line Kbuild (obj-m, include ntcompat.mk), once against
# an installed ntcompat (make install, staged) and once against this source
# tree: it must compile without a warning, and modpost must find every
# ntcompat symbol it uses (no "undefined!") and give it the CRC in
# ntcompat's Module.symvers. Then the proof: in a guest, the installed
# ntcompat.ko and the driver built against the installed copy load (the
# kernel checks every CRC), the driver's callback runs for the CPU that is
# there and for one hot-added, and the driver stops and unloads.
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
	# Every ntcompat symbol the driver uses must carry the CRC of that
	# Module.symvers (modpost took it from there). A kernel without
	# MODVERSIONS (Debian's 7.x) has no CRCs to check: there every
	# export's CRC is 0 and the module carries no __versions.
	awk -F '\t' '$3 ~ /(^|\/)ntcompat$/ { print $2 }' "$2" | sort >"$1/exports"
	nm -u "$1/hello_pnp.ko" | awk '{ print $2 }' | sort >"$1/used"
	comm -12 "$1/exports" "$1/used" >"$1/from-ntcompat"
	modprobe --dump-modversions "$1/hello_pnp.ko" >"$1/versions" 2>/dev/null || true
	n=0
	while read -r sym; do
		crc=$(awk -v s="$sym" '$2 == s { print $1 }' "$1/versions")
		want=$(awk -F '\t' -v s="$sym" '$2 == s { print $1 }' "$2")
		[ -n "$modversions" ] || [ "$want" = 0x00000000 ] ||
			fail "$1: $sym has CRC $want on a kernel without MODVERSIONS"
		[ -z "$modversions" ] || [ "$crc" = "$want" ] ||
			fail "$1: $sym has CRC '$crc', ntcompat exports $want"
		n=$((n + 1))
	done <"$1/from-ntcompat"
	[ -n "$modversions" ] || [ ! -s "$1/versions" ] ||
		fail "$1: symbol versions in a module for a kernel without MODVERSIONS"
	for sym in IoRegisterPlugPlayNotification IoUnregisterPlugPlayNotificationEx \
		KeQueryActiveProcessorCount DbgPrint GUID_DEVICE_PROCESSOR \
		GUID_DEVICE_INTERFACE_ARRIVAL; do
		grep -qx "$sym" "$1/from-ntcompat" || fail "$1: $sym is not taken from ntcompat"
	done
	echo "$1: built, depends on ntcompat, $n ntcompat symbols${modversions:+ with the CRCs ntcompat exports}"
}

modversions=$(grep -x 'CONFIG_MODVERSIONS=y' "$KDIR/.config" 2>/dev/null || true)
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

cat >"$TMP/guest.sh" <<'SH'
#!/bin/sh
. /lib/ntc-lib.sh
insmod /work/modules/ntcompat.ko || exit 1
insmod /work/modules/hello_pnp.ko || exit 1
# INCLUDE_EXISTING: the boot CPU, before Register returned.
dmesg | grep -q 'hello_pnp: 1 processors' || { echo "no callback for CPU 0"; exit 1; }
vm_cpu_add >/dev/null || exit 1
wait_for 30 sh -c 'dmesg | grep -q "hello_pnp: 2 processors"' || exit 1
echo 1 >/sys/module/hello_pnp/ntcompat/stop && rmmod hello_pnp && rmmod ntcompat || exit 1
echo "guest: loaded, called back for 1 then 2 processors, stopped and unloaded"
SH
mkdir "$TMP/guest-modules"
# On Debian 13's kernels make install compresses it, as their own (.ko.xz).
ko=$TMP/root/lib/modules/$KREL/extra/ntcompat.ko
if [ -e "$ko.xz" ]; then
	xz -dc "$ko.xz" >"$TMP/guest-modules/ntcompat.ko" || fail "unpack $ko.xz"
else
	cp "$ko" "$TMP/guest-modules/" || fail "no $ko"
fi
cp "$TMP/installed/hello_pnp.ko" "$TMP/guest-modules/"
scripts/ntc-vm --kernel "$(mk print-VMLINUZ)" --build-dir "$BUILD/vm" \
	--add "$TMP/guest-modules:/work/modules" --console-log "$TMP/console.log" \
	--run "$TMP/guest.sh" || fail "the driver did not load and run in a guest"
