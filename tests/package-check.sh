#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An init-premount script that tests/package.sh puts into the packaged
# initramfs: after the initramfs loaded its modules (xen-pciback among
# them, hiding 0000:00:04.0), check on the result channel (COM2) that
# xenpt's modules loaded before xen-pciback seized the device, by their
# own boot configuration, and that the device's GSI was recorded as it
# bound; then power off.
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
	grep -E 'privcmd_gsi|pciback_ext|xen_pciback|seizing' /tmp/dmesg | sed 's/^/# /'
	first=$(grep -n 'privcmd_gsi: ' /tmp/dmesg | head -n 1 | cut -d: -f1)
	seize=$(grep -n "$D: xen_pciback: seizing device" /tmp/dmesg | head -n 1 | cut -d: -f1)
	t "privcmd-gsi and pciback-ext are loaded" \
		"grep -q '^privcmd_gsi ' /proc/modules && grep -q '^pciback_ext ' /proc/modules"
	t "xen-pciback seized $D (hide=)" \
		"[ \"\$(basename \$(readlink /sys/bus/pci/devices/$D/driver))\" = pciback ]"
	t "privcmd-gsi loaded (line ${first:-none}) before the seizure (line ${seize:-none})" \
		"[ -n \"$first\" ] && [ -n \"$seize\" ] && [ $first -lt $seize ]"
	t "the GSI was recorded as pciback bound it: $(cat /sys/bus/pci/devices/$D/xenpt/gsi_source 2>&1)" \
		"grep -qx registered /sys/bus/pci/devices/$D/xenpt/gsi_source"
	t "setup_gsi: $(cat /sys/bus/pci/devices/$D/xenpt/setup_gsi 2>&1)" \
		"grep -qx 'done 0' /sys/bus/pci/devices/$D/xenpt/setup_gsi"
	echo DONE
} >/dev/ttyS1 2>&1
poweroff -f 2>/dev/null || echo o >/proc/sysrq-trigger
sleep 30
