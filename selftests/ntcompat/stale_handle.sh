#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A handle is never handed out twice, and a stale or foreign one is refused
# without touching anybody's registration. Each round frees a registration
# and waits for its memory to be reused, so a handle that were the
# registration's address would come back: the test forces the reuse that a
# driver doing register, unregister, register would meet by chance.
. ./lib.sh

ROUNDS=40
INVALID_PARAMETER=0xc000000d
ACCESS_DENIED=0xc0000022
PEER=/sys/kernel/debug/ntc_peer

# peer_is STATUS CMD HANDLE: the second driver's call answers STATUS.
peer_is() {
	echo "$2 $3" >"$PEER/ctl" || return 1
	[ "$(cat "$PEER/status")" = "$1" ]
}

load_client
insmod "$NTC_MODDIR/ntc_peer.ko" || die "insmod ntc_peer.ko"

handles='' repeats=0 i=0
while [ $i -lt $ROUNDS ]; do
	ctl reg 0 proc || die "register, round $i"
	h=$(field entry " $ctl_detail")
	case " $handles " in *" $h "*) repeats=$((repeats + 1)) ;; esac
	handles="$handles $h"
	ctl unregex 0 || die "unregister, round $i"
	# Long enough for an SRCU grace period: the memory goes back to the slab.
	sleep 0.1
	i=$((i + 1))
done
echo "handles: $handles"
check "$ROUNDS registrations got $ROUNDS different handles ($repeats repeated)" \
	[ "$repeats" -eq 0 ]

check "register again" ctl reg 0 proc
live=$(field entry " $ctl_detail")
check "the owner's stale handle is refused" ctl_is $INVALID_PARAMETER stale 0
check "  and so with the Ex call" ctl_is $INVALID_PARAMETER staleex 0
refused=0
for h in $handles; do
	peer_is $INVALID_PARAMETER unreg "$h" && peer_is $INVALID_PARAMETER unregex "$h" &&
		refused=$((refused + 1))
done
check "another driver's $ROUNDS stale handles are refused ($refused)" [ "$refused" -eq $ROUNDS ]
check "another driver's live handle is refused" peer_is $ACCESS_DENIED unreg "$live"
check "  and so with the Ex call" peer_is $ACCESS_DENIED unregex "$live"

reply=$(vm_cpu_add) || die "CPU hot-add"
set -- $reply
check "the live registration still gets events" wait_for 30 at_least 1 0 event=arrival
check "its owner unregisters it" ctl unregex 0
check "its handle is stale now" peer_is $INVALID_PARAMETER unregex "$live"
stop_driver ntc_peer
rmmod ntc_peer
unload_all
finish
