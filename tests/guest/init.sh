#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of every test bed (tests/run.sh).  Sets up the machine and the
# result channel, runs the scenario (/lib/xenpt/scenario.sh, one of
# tests/guest/*.sh), then writes DONE and powers off.
#
# The result channel is COM2 (/dev/ttyS1): stdout goes there, stderr stays
# on the console, which the host judges for kernel faults only.  Kernel
# arguments: xenpt.run=SCENARIO xenpt.bed=BED xenpt.kernel=stock|debug|6.12
# [xenpt.xen=4.17|4.20].

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
stty -F /dev/ttyS1 raw -echo
exec >/dev/ttyS1
. /lib/xenpt/lib.sh

# Where the initramfs keeps the modules (tests/initramfs.sh).
M=/lib/xenpt-modules
SCENARIO=$(arg run)
BED=$(arg bed)
KERNEL=$(arg kernel)
XEN=$(arg xen)

echo "# xenpt bed=$BED kernel=$KERNEL ($(uname -r)) xen=${XEN:-none}" \
	"guest_type=$(cat /sys/hypervisor/guest_type 2>/dev/null || echo none)" \
	"scenario=$SCENARIO"
. /lib/xenpt/scenario.sh

if [ -e /sys/kernel/debug/kmemleak ]; then
	# Objects younger than 5 s are not reported: wait, scan twice.  The
	# report goes to the console, where the host looks for leaks.
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >&2
	echo "# kmemleak scan done"
fi
echo DONE
poweroff -f
