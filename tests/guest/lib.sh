# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/guest/init.sh (installed as /lib/xenpt/lib.sh): helpers
# for the scenarios.  Results go to stdout, the result channel
# (tests/RESULTS.md).

n=0

# step DESCRIPTION COMMAND...: one TAP line for a command's success.
step() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
	fi
}

# arg NAME: the value of xenpt.NAME= on the kernel command line.
arg() { sed -n "s/.*xenpt\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }

# block NAME COMMAND...: the command's output as block NAME.
block() {
	name=$1
	shift
	echo "BEGIN $name"
	"$@"
	echo
	echo "END $name"
}

# driver_of BDF: the PCI device's driver, or nothing.
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver")" 2>/dev/null; }

# The devices the Xen scenarios move around: 00:04.0 a plain slot, 01:01.0
# behind a bridge (pin swizzled), 00:06.0 no pin, 00:03.0 sharing its GSI
# with the bridge.
XEN_DEVICES="0000:00:04.0 0000:01:01.0 0000:00:06.0 0000:00:03.0"

# dom0_start: what every Xen scenario begins with (xen-pciback and
# xen-privcmd are loaded by each scenario, in the order it tests).
dom0_start() {
	step "dom0 is PVH" grep -qx PVH /sys/hypervisor/guest_type
	step "insmod e1000" insmod $M/e1000.ko
}

# kmod NAME: loads the kernel's module NAME (xen-privcmd, ...) from the
# initramfs, or finds it built in (the debug kernel has xen-privcmd so).
kmod() {
	if [ -e "$M/$1.ko" ]; then
		insmod "$M/$1.ko"
	else
		test -d "/sys/module/$(echo "$1" | tr - _)"
	fi
}

# builtin NAME: true when the kernel has NAME built in, not as a module.
builtin() { [ ! -e "$M/$1.ko" ]; }

# The test programs run through guest_run: a failing line when one crashed
# or could not run at all (its own failures exit 1, and it said which).
guest_run() {
	prog=$1
	shift
	command "$prog" "$@"
	rc=$?
	[ "$rc" -le 1 ] || echo "not ok - $prog $1: exited $rc (crashed, or not in the initramfs)"
	return "$rc"
}
alias gsi-check='guest_run gsi-check' xen-view='guest_run xen-view' \
	xen-stress='guest_run xen-stress' xenpt='guest_run xenpt' \
	xc-gsi='guest_run xc-gsi'

# toolstack_start: Debian 13's Xen 4.20 toolstack in this dom0 (scenarios
# with "# needs: xen-tools"), as its init scripts would start it.
toolstack_start() {
	mkdir -p /dev/pts /proc/xen /var/run/xen /var/run/xenstored \
		/var/lib/xen /var/log/xen/console
	mount -t devpts devpts /dev/pts
	for m in xen-evtchn xen-gntdev xen-gntalloc xenfs xen-privcmd; do
		kmod $m 2>/dev/null
	done
	mount -t xenfs xenfs /proc/xen
	/usr/lib/xen-4.20/bin/xenstored --pid-file /var/run/xenstored.pid \
		>/dev/null 2>&1 &&
		/usr/lib/xen-4.20/bin/xen-init-dom0 >/dev/null 2>&1 &&
		/usr/lib/xen-4.20/bin/xenconsoled --log=guest \
			--pid-file=/var/run/xenconsoled.pid >/dev/null 2>&1
}

# bind_pciback BDF: from its driver (if any) to pciback, as xl does.
bind_pciback() {
	drv=$(driver_of "$1")
	[ -z "$drv" ] || echo "$1" > "/sys/bus/pci/drivers/$drv/unbind"
	echo "$1" > /sys/bus/pci/drivers/pciback/new_slot
	echo "$1" > /sys/bus/pci/drivers/pciback/bind
	step "$1 to pciback" test "$(driver_of "$1")" = pciback
}
