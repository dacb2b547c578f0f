#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of dom0 on the real-Xen bed (tests/xen/boot.sh).  Kernel command
# line:
#
#   xenpt.run=check     privcmd-gsi in a PVH dom0: every answer against the
#                       kernel's own GSI lines, devices bound to pciback and
#                       back, and the answers given while on pciback
#   xenpt.run=upstream  Linux >= 6.12: upstream privcmd's answers for the
#                       same devices on pciback (the parity reference)
#   xenpt.run=demo      the GSI table, with one device on pciback
#
# Under Xen and TCG every process start costs seconds: the checks are in
# the one static program gsi-check.

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
. /lib/xenpt-tap.sh

M=/lib/xenpt-modules
# 00:04.0 a plain slot, 01:01.0 behind a bridge (pin swizzled), 00:06.0 no
# pin, 00:03.0 sharing its GSI with the bridge.
DEVICES="0000:00:04.0 0000:01:01.0 0000:00:06.0 0000:00:03.0"

driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver")" 2>/dev/null; }

# The xenpt CLI as an admin runs it.  JSON goes out between markers once
# the kernel is quiet; the host parses and checks it (check-cli.py).
run_cli() {
	X="xenpt --state-dir /tmp/xenpt-state --udev-dir /tmp/udev"
	D=0000:00:05.0
	gsi=$(cat /sys/bus/pci/devices/$D/gsi)
	step "xenpt gsi $D says $gsi" sh -c "$X gsi $D | grep -qw $gsi"
	step "xenpt assignable-add $D" $X assignable-add $D
	step "$D is on pciback" test "$(driver_of $D)" = pciback
	step "assignable-add again succeeds" $X assignable-add $D
	$X --json assignable-list > /tmp/assignable.json
	$X --json list > /tmp/list.json
	step "xenpt assignable-remove -r $D" $X assignable-remove -r $D
	step "$D is back on e1000" test "$(driver_of $D)" = e1000
	$X --json assignable-list > /tmp/assignable-after.json

	step "assignable-remove without -r" sh -c \
		"$X assignable-add $D && $X assignable-remove $D"
	step "$D is left without a driver" test -z "$(driver_of $D)"
	echo $D > /sys/bus/pci/drivers/e1000/bind

	# An injected failure: the state directory cannot be written.
	step "assignable-add with an unwritable state dir fails" \
		sh -c "! xenpt --state-dir /proc/xenpt assignable-add $D"
	step "... and $D stays on e1000" test "$(driver_of $D)" = e1000
	sleep 1
	# The kernel's own GSI lines are debug messages: not on the console.
	dmesg | grep ': PCI INT .* -> GSI '
	for f in assignable list assignable-after; do
		echo "JSON-BEGIN $f"
		cat /tmp/$f.json
		echo
		echo "JSON-END $f"
	done
}

RUN=$(arg run)
echo "# xenpt Xen bed: run=$RUN kernel=$(uname -r) guest_type=$(cat /sys/hypervisor/guest_type 2>/dev/null)"
step "dom0 is PVH" grep -qx PVH /sys/hypervisor/guest_type
step "insmod e1000" insmod $M/e1000.ko
step "insmod xen-pciback" insmod $M/xen-pciback.ko

case $RUN in
check)
	step "privcmd-gsi loads in dom0 without test parameters" \
		insmod $M/privcmd-gsi.ko
	gsi-check expect --min-devices 4
	gsi-check pciback $DEVICES
	gsi-check expect --min-devices 4
	run_cli
	step "rmmod privcmd-gsi" rmmod privcmd_gsi
	;;
upstream)
	step "insmod xen-privcmd" insmod $M/xen-privcmd.ko
	gsi-check pciback --upstream $DEVICES
	;;
demo)
	step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko
	d=0000:00:04.0
	echo $d > /sys/bus/pci/drivers/e1000/unbind
	echo $d > /sys/bus/pci/drivers/pciback/new_slot
	echo $d > /sys/bus/pci/drivers/pciback/bind
	gsi-check table
	;;
*)
	echo "not ok 99 - unknown xenpt.run='$RUN'"
	;;
esac
echo XENPT-DONE
poweroff -f
