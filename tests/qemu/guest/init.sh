#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the QEMU test beds without Xen (beds 1 and 2).  What it runs is
# chosen on the kernel command line:
#
#   xenpt.run=module   privcmd-gsi against the kernel's own GSI lines, both
#                      recording paths, unbind, hot-remove, reload, bad ioctls
#   xenpt.run=kunit    the KUnit suites of tests/kunit
#   xenpt.run=bench    lookup benchmarks with 16 and 4096 records
#   xenpt.bed=microvm  irq != GSI on this bed: check that too
#   xenpt.debug=1      debug kernel: add the load/unload stress run and a
#                      kmemleak scan
#
# Prints TAP lines; the host counts them and fails on any kernel splat.

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
. /lib/xenpt-tap.sh

M=/lib/xenpt-modules
PARAMS=test_no_xen=1

RUN=$(arg run)
BED=$(arg bed)
DEBUG=$(arg debug)

finish() {
	if [ -e /sys/kernel/debug/kmemleak ]; then
		# Objects younger than 5 s are not reported: wait, scan twice.
		sleep 6
		echo scan > /sys/kernel/debug/kmemleak
		echo scan > /sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak
		echo "# kmemleak scan done"
	fi
	echo XENPT-DONE
	poweroff -f
}

e1000_devices() { ls /sys/bus/pci/drivers/e1000 | grep ':'; }

run_module() {
	irq_ne_gsi=
	[ "$BED" = microvm ] && irq_ne_gsi=--irq-ne-gsi

	step "refuses to load outside Xen without test_no_xen" \
		sh -c "! insmod $M/privcmd-gsi.ko"
	step "refuses test_fill_records beyond its limit" \
		sh -c "! insmod $M/privcmd-gsi.ko $PARAMS test_fill_records=70000"
	step "said why it refused" \
		sh -c "dmesg | grep -q 'privcmd_gsi: not a Xen initial domain'"

	# Loaded before the NIC driver: the recorder sees every registration.
	step "insmod privcmd-gsi before e1000" insmod $M/privcmd-gsi.ko $PARAMS
	step "device node is 0600 root" \
		sh -c "ls -l /dev/xen/privcmd-gsi | grep -q '^crw-------'"
	step "insmod e1000" insmod $M/e1000.ko
	gsi-check expect --source registered e1000 $irq_ne_gsi --min-devices 4

	# Unbinding disables the device and unregisters its GSI: it must stay.
	devs=$(e1000_devices)
	for d in $devs; do
		echo "$d" > /sys/bus/pci/drivers/e1000/unbind
	done
	gsi-check unbound $devs
	for d in $devs; do
		echo "$d" > /sys/bus/pci/drivers/e1000/bind
	done
	gsi-check expect --source registered e1000 $irq_ne_gsi --min-devices 4

	# Hot-remove and rescan: the file goes with the device and comes back.
	first=$(echo "$devs" | head -n 1)
	echo 1 > "/sys/bus/pci/devices/$first/remove"
	step "hot-removed $first is gone" test ! -e "/sys/bus/pci/devices/$first"
	echo 1 > /sys/bus/pci/rescan
	step "rescanned $first has a gsi file again" \
		test -e "/sys/bus/pci/devices/$first/gsi"
	gsi-check expect --source registered e1000 $irq_ne_gsi --min-devices 4

	step "rmmod privcmd-gsi" rmmod privcmd_gsi
	gsi-check absent

	# Loaded after the NIC driver: the GSIs are recovered.
	step "insmod privcmd-gsi after e1000" insmod $M/privcmd-gsi.ko $PARAMS
	gsi-check expect --source recovered e1000 $irq_ne_gsi --min-devices 4
	gsi-check fuzz 20000

	if [ "$DEBUG" = 1 ]; then
		step "rmmod privcmd-gsi before stress" rmmod privcmd_gsi
		gsi-check stress $M/privcmd-gsi.ko 40 "$PARAMS"
		step "insmod privcmd-gsi after stress" insmod $M/privcmd-gsi.ko $PARAMS
		gsi-check expect --source recovered e1000 $irq_ne_gsi --min-devices 4
	fi

	step "rmmod privcmd-gsi" rmmod privcmd_gsi
	gsi-check absent
	step "rmmod e1000" rmmod e1000
}

run_kunit() {
	step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko $PARAMS
	step "insmod privcmd-gsi-kunit" insmod $M/privcmd-gsi-kunit.ko
	step "rmmod privcmd-gsi-kunit" rmmod privcmd_gsi_kunit
	step "rmmod privcmd-gsi" rmmod privcmd_gsi
}

run_bench() {
	insmod $M/e1000.ko
	for records in 16 4096; do
		step "insmod with $records records" \
			insmod $M/privcmd-gsi.ko $PARAMS test_fill_records=$records
		gsi-check bench $records
		step "rmmod privcmd-gsi" rmmod privcmd_gsi
	done
}

echo "# xenpt test bed: run=$RUN bed=$BED debug=${DEBUG:-0} kernel=$(uname -r)"
case $RUN in
module) run_module ;;
kunit) run_kunit ;;
bench) run_bench ;;
*) echo "not ok 1 - unknown xenpt.run='$RUN'" ;;
esac
finish
