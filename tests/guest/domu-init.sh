#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the guest that receives a passed-through e1000 (scenarios
# passthrough*.sh boot it with xl inside dom0).  Its console is hvc0 (PV)
# or ttyS0 (HVM), which dom0's xenconsoled logs; it reports there, one
# "GUEST ..." line per fact (tests/RESULTS.md):
#
#   GUEST READY                        up, waiting for a NIC
#   GUEST PCI BDF VENDOR:DEVICE        a PCI device it has (once, at start)
#   GUEST ROUND N DEVICE BDF           the Nth NIC appeared
#   GUEST ROUND N LINK up|down
#   GUEST ROUND N IRQS BEFORE AFTER LATER   its INTx count around the pings
#   GUEST ROUND N PINGS SENT ANSWERED
#   GUEST ROUND N GONE                 the NIC went away (pci-detach)
#
# Network: QEMU's user net behind the bed's 00:04.0, the guest 10.0.2.15.

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
M=/lib/xenpt-modules
[ -e $M/xen-pcifront.ko ] && insmod $M/xen-pcifront.ko 2>/dev/null
insmod $M/e1000.ko 2>/dev/null
# e1000e on INTx: pcifront gives a PV guest no MSI.
[ -e $M/e1000e.ko ] && insmod $M/e1000e.ko IntMode=0 2>/dev/null
echo "GUEST READY $(uname -r) $(cat /sys/hypervisor/guest_type 2>/dev/null || echo none)"
# The devices it was given at creation (pcifront finds them after boot).
i=0
while [ $i -lt 10 ] && [ -z "$(ls /sys/bus/pci/devices 2>/dev/null)" ]; do
	sleep 1
	i=$((i + 1))
done
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/vendor" ] || continue
	echo "GUEST PCI ${d##*/} $(sed 's/^0x//' "$d/vendor"):$(sed 's/^0x//' "$d/device")"
done

# The e1000's interrupt count: the /proc/interrupts line naming eth0.
irqs() {
	awk '/eth0/ { n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i; print n; f = 1 }
		END { if (!f) print 0 }' /proc/interrupts
}

round=0
while :; do
	while [ ! -e /sys/class/net/eth0 ]; do sleep 1; done
	round=$((round + 1))
	bdf=$(basename "$(readlink /sys/class/net/eth0/device)")
	echo "GUEST ROUND $round DEVICE $bdf"
	ip link set eth0 up
	ip addr add 10.0.2.15/24 dev eth0 2>/dev/null
	i=0
	while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != 1 ] && [ $i -lt 20 ]; do
		sleep 1
		i=$((i + 1))
	done
	echo "GUEST ROUND $round LINK $(cat /sys/class/net/eth0/operstate)"
	before=$(irqs)
	sent=6
	answered=$(ping -c $sent -W 2 10.0.2.2 2>/dev/null |
		sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
	after=$(irqs)
	sleep 2
	echo "GUEST ROUND $round IRQS $before $after $(irqs)"
	echo "GUEST ROUND $round PINGS $sent ${answered:-0}"
	grep -E 'eth0|pcifront|xen-pirq' /proc/interrupts | sed "s/^/GUEST ROUND $round INTERRUPTS /"
	dmesg | grep -iE 'obtain physical IRQ|pcifront|e1000.*(irq|IRQ)' | tail -n 5 |
		sed "s/^/GUEST ROUND $round DMESG /"
	while [ -e /sys/class/net/eth0 ]; do sleep 1; done
	echo "GUEST ROUND $round GONE"
done
