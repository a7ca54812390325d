#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A memory online that a notifier after ntcompat's fails (MEM_GOING_ONLINE
# refused at a priority below ntcompat's 0) delivers nothing: ntcompat
# announces memory at MEM_ONLINE, which an online cancelled by any
# notifier never reaches, and nothing fails after it. Where Debian ships
# memory-notifier-error-inject as a module it is loaded at priority -1;
# where it is built in (the debug lane) it ran before ntcompat since boot,
# and the test client's own notifier at -1 refuses instead. Then the
# online by hand works and delivers the block's only ARRIVAL; nothing
# leaks.
. ./lib.sh

load_client
check "register a memory registration" ctl reg 1 mem
INJECT=/sys/kernel/debug/notifier-error-inject/memory/actions/MEM_GOING_ONLINE/error
inserted=
if [ ! -e "$INJECT" ] && [ -e "$NTC_MODDIR/memory-notifier-error-inject.ko" ]; then
	insmod "$NTC_MODDIR/notifier-error-inject.ko" &&
		insmod "$NTC_MODDIR/memory-notifier-error-inject.ko" priority=-1 ||
		die "insmod memory-notifier-error-inject.ko priority=-1"
	inserted=1
	echo "memory-notifier-error-inject at priority -1 refuses MEM_GOING_ONLINE"
	refuse() { echo "$1" >"$INJECT"; }
else
	echo "the test client's notifier at priority -1 refuses MEM_GOING_ONLINE"
	refuse() { ctl memfail "${1#-}"; }
fi
check "a notifier after ntcompat's refuses the next online (ENOMEM)" refuse -12
dimm_add_refused
check "  and onlining it by hand is refused too" \
	not sh -c "echo online_movable >$node/state 2>/dev/null"
check "the refusal is lifted" refuse 0
check "onlining it by hand works" sh -c "echo online_movable >$node/state"
# The dispatcher is ordered: anything the refused onlines had queued
# would come before this ARRIVAL.
check "  and delivers the block's only ARRIVAL" wait_for 30 at_least 1 1 event=arrival
check "  exactly one event: no ARRIVAL, no REMOVAL for the refused onlines" \
	[ "$(count_of 1 slot)" -eq 1 ]
check "  for this block" has "$(events_of 1)" "PNP0C80#$(printf '%x' "$addr")+"
dimm_del_removal 1
inject_unload
unload_all
finish
