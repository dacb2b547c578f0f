#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An init-premount script that tests/package.sh puts into the packaged
# initramfs: after the initramfs loaded its modules (xen-pciback among
# them, hiding 0000:00:04.0), check on the result channel (COM2) that
# xenpt's modules loaded before xen-pciback seized the device, by their
# own boot configuration, and that the device's GSI was set up with Xen
# as it bound; then power off.
PREREQ=""
prereqs() { echo "$PREREQ"; }
case $1 in
prereqs) prereqs; exit 0 ;;
esac

D=0000:00:04.0
n=0
t() {
	n=$((n + 1))
	if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi
}
{
	echo "# packaged initramfs: $(uname -r), $(cat /sys/hypervisor/guest_type 2>/dev/null)"
	dmesg > /tmp/dmesg
	grep -E "privcmd_gsi|pciback_ext|xen_pciback|$D|PCI INT" /tmp/dmesg | sed 's/^/# /'
	first=$(grep -n 'privcmd_gsi: ' /tmp/dmesg | head -n 1 | cut -d: -f1)
	seize=$(grep -n "$D: xen_pciback: seizing device" /tmp/dmesg | head -n 1 | cut -d: -f1)
	t "privcmd-gsi and pciback-ext are loaded" \
		"grep -q '^privcmd_gsi ' /proc/modules && grep -q '^pciback_ext ' /proc/modules"
	t "xen-pciback seized $D (hide=)" \
		"[ \"\$(basename \$(readlink /sys/bus/pci/devices/$D/driver))\" = pciback ]"
	t "privcmd-gsi loaded (line ${first:-none}) before the seizure (line ${seize:-none})" \
		"[ -n \"$first\" ] && [ -n \"$seize\" ] && [ $first -lt $seize ]"
	# pciback's probe at its module init only queues a hidden device
	# and enables it after the bind, so pciback-ext may set the GSI up
	# from the ACPI _PRT (gsi_source acpi) before the kernel registers
	# it: it must be the GSI the kernel's own line names (dyndbg).
	kgsi=$(sed -n "s/.*$D: PCI INT [A-D] .*-> GSI \([0-9]*\) .*/\1/p" /tmp/dmesg | tail -n 1)
	t "pciback-ext's GSI ($(cat /sys/bus/pci/devices/$D/xenpt/gsi 2>&1), $(cat /sys/bus/pci/devices/$D/xenpt/gsi_source 2>&1)) is the kernel's (${kgsi:-none})" \
		"[ -n \"$kgsi\" ] && [ \"\$(cat /sys/bus/pci/devices/$D/xenpt/gsi)\" = \"$kgsi\" ]"
	t "setup_gsi: $(cat /sys/bus/pci/devices/$D/xenpt/setup_gsi 2>&1)" \
		"grep -qx 'done -17' /sys/bus/pci/devices/$D/xenpt/setup_gsi"
	# Persistence, through Debian's udevd and the rule xenpt writes, when
	# the device reappears (a rescan here; a boot does the same).
	F=0000:00:05.0
	drv() { basename "$(readlink /sys/bus/pci/devices/$F/driver)"; }
	t "$F is on e1000 (udev loaded it from the initramfs)" "[ \"\$(drv)\" = e1000 ]"
	mkdir -p /var/lib/xenpt /etc/udev/rules.d
	t "xenpt assignable-add --persist --no-quarantine $F" \
		"xenpt assignable-add --persist --no-quarantine $F"
	sed 's/^/# /' /etc/udev/rules.d/60-xenpt.rules
	t "the rule names $F and runs xenpt --boot" \
		"grep -q 'KERNEL==\"$F\".*RUN+=\"/usr/sbin/xenpt --boot assignable-add $F\"' /etc/udev/rules.d/60-xenpt.rules"
	udevadm control --reload
	# pciback keeps a slot for every device it seized (pcistub_probe
	# adds one for a driver_override bind) and takes it again on a
	# rescan; a reboot forgets them: each round starts without it.
	reboot_like() {
		echo $F >/sys/bus/pci/drivers/pciback/remove_slot 2>/dev/null
		echo 1 >/sys/bus/pci/devices/$F/remove
		echo 1 >/sys/bus/pci/rescan
	}
	# 1. udev as it runs: the rule's driver_override (or, where the
	#    kernel probed e1000 first, its xenpt --boot) gives it pciback.
	reboot_like
	udevadm settle --timeout=60
	t "reappeared with udev running: on $(drv), by the rule" \
		"[ \"\$(drv)\" = pciback ]"
	# 2. The native driver first (built in, in an initramfs without the
	#    rule, loaded for another device): udev's queue held while the
	#    kernel probes, e1000 takes it; then the rule runs
	#    xenpt --boot assignable-add, which takes it back.
	udevadm control --stop-exec-queue
	reboot_like
	t "reappeared with udev held back: e1000 took it first ($(drv))" "[ \"\$(drv)\" = e1000 ]"
	udevadm control --start-exec-queue
	udevadm settle --timeout=60
	t "udev ran the rule: xenpt --boot took it back: on $(drv)" "[ \"\$(drv)\" = pciback ]"
	dmesg | grep -E "(e1000|pciback) $F" | tail -n 4 | sed 's/^/# /'
	t "xenpt assignable-list: $(xenpt assignable-list 2>&1 | grep $F)" \
		"xenpt assignable-list 2>&1 | grep -qx '$F e1000 persist'"
	echo DONE
} >/dev/ttyS1 2>&1
poweroff -f 2>/dev/null || echo o >/proc/sysrq-trigger
sleep 30
