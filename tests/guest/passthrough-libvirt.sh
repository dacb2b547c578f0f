# SPDX-License-Identifier: GPL-2.0
# Scenario passthrough-libvirt (bed xen-lv, stock 6.1 as PVH dom0, Xen
# 4.20): libvirt's Xen driver (Debian 13's libvirtd 11.3, unmodified) with
# a PV guest whose domain XML has <hostdev managed='yes'> for the e1000e
# at 00:04.0 (tests/guest/libvirt/g1.xml); 00:05.0 is a plain e1000, which
# libvirt cannot reset (g2.xml).
#  1. Without xenpt: virsh start fails (libxl cannot get the GSI), and the
#     device is left on pciback.
#  2. With xenpt's modules: virsh start works, the guest gets its INTx;
#     after virsh destroy the device stays on pciback and in Xen's
#     quarantine; the unresettable e1000 is refused and left on pciback.
#  3. With xenpt's hook too: a device dom0 uses, and one libvirt could
#     not reset, are refused, with the reason in virsh's error, untouched;
#     a device released is back on its dom0 driver, out of the
#     quarantine, its interrupts working in dom0.
# needs: xen-tools guest libvirt
# timeout: 1500

D=0000:00:04.0	# e1000e, PM reset
E=0000:00:05.0	# e1000, no reset
step "dom0 is PVH" grep -qx PVH /sys/hypervisor/guest_type
step "xen-privcmd" kmod xen-privcmd
step "insmod xen-pciback" insmod $M/xen-pciback.ko
step "insmod e1000" insmod $M/e1000.ko
step "insmod e1000e (legacy INTx: IntMode=0, for every probe)" insmod $M/e1000e.ko IntMode=0,0,0,0,0,0,0,0
step "$D on e1000e in dom0" test "$(driver_of $D)" = e1000e
step "Xen 4.20 toolstack started" toolstack_start
t0=$(cut -d. -f1 /proc/uptime)
step "libvirtd started (no hook)" libvirt_start
echo "# libvirtd up in $(( $(cut -d. -f1 /proc/uptime) - t0 )) s"
block virsh-version virsh -c xen:///system version
L=/etc/xenpt-libvirt

# back DEV DRIVER: a device libvirt or xl left on pciback, given back by hand.
back() {
	xl pci-assignable-remove "$1" >/dev/null 2>&1
	[ "$(driver_of "$1")" = "$2" ] || {
		[ -z "$(driver_of "$1")" ] || echo "$1" >"/sys/bus/pci/devices/$1/driver/unbind"
		echo "" >"/sys/bus/pci/devices/$1/driver_override"
		echo "$1" >"/sys/bus/pci/drivers/$2/bind"
	}
	test "$(driver_of "$1")" = "$2"
}

# 1. Without xenpt.
step "without xenpt: virsh start g1 fails" not virsh_do /tmp/v1 create $L/g1.xml
block virsh-1 cat /tmp/v1
step "... libvirt says libxenlight failed to create the domain" \
	grep -q "libxenlight failed to create new domain 'g1'" /tmp/v1
step "... libxl could not get the GSI (ENOTTY)" \
	sh -c "grep -hq 'Failed to get gsi for dev $D (25 = Inappropriate ioctl for device)' /var/log/libvirt/libxl/*.log"
step "... and left $D on pciback" test "$(driver_of $D)" = pciback
step "$D given back by hand" back $D e1000e

# 2. xenpt's modules, libvirt alone.
step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko
step "insmod pciback-ext" insmod $M/pciback-ext.ko
gsi=$(cat /sys/bus/pci/devices/$D/gsi)
rm -f "$(guest_log g1)"
step "with xenpt: virsh start g1" virsh_do /tmp/v2 create $L/g1.xml
block virsh-2 cat /tmp/v2
guest_round g1 1
xen-view bound "$gsi" "$(xl domid g1)"
step "virsh destroy g1" virsh_do /tmp/v3 destroy g1
sleep 2
step "libvirt alone: after destroy $D stays on pciback" test "$(driver_of $D)" = pciback
xen-view owner $D DomIO
step "$D given back by hand (xl pci-assignable-remove)" back $D e1000e
xen-view owner $D d0
dom0_ping $D 10.0.2.15 10.0.2.2 "libvirt alone, given back by hand"
dom0_down $D
step "libvirt alone: virsh start g2 (an e1000 it cannot reset) fails" \
	not virsh_do /tmp/v4 create $L/g2.xml
block virsh-4 cat /tmp/v4
step "... no FLR, PM reset or bus reset available" \
	grep -q "no FLR, PM reset or bus reset available" /tmp/v4
step "... and $E is left on pciback" test "$(driver_of $E)" = pciback
step "$E given back by hand" back $E e1000

# 3. xenpt's hook.
step "libvirtd stopped" libvirt_stop
step "libvirtd started with xenpt's hook" libvirt_start hook
step "libvirtd found the hook" grep -q 'Found hook script /etc/libvirt/hooks/libxl.d/xenpt' \
	/var/log/libvirt/libvirtd.log
# A device dom0 is using: its interface up.
ifc=$(ls /sys/bus/pci/devices/$D/net | head -n 1)
ip link set "$ifc" up
step "hook: virsh start g1 while dom0 uses $D fails" not virsh_do /tmp/v5 create $L/g1.xml
block virsh-5 cat /tmp/v5
step "... with xenpt's reason in libvirt's error" \
	grep -qE "xenpt: $D: .*(in use by dom0|is up)" /tmp/v5
step "... $D untouched: on e1000e" test "$(driver_of $D)" = e1000e
xen-view owner $D d0
ip link set "$ifc" down
rm -f "$(guest_log g1)"
step "hook: virsh start g1" virsh_do /tmp/v6 create $L/g1.xml
block virsh-6 cat /tmp/v6
guest_round g1 1
step "virsh destroy g1" virsh_do /tmp/v7 destroy g1
sleep 3
step "hook: after destroy $D is back on e1000e" test "$(driver_of $D)" = e1000e
xen-view owner $D d0
step "... not in pciback's slot list" \
	sh -c "! grep -q '$D' /sys/bus/pci/drivers/pciback/slots 2>/dev/null"
dom0_ping $D 10.0.2.15 10.0.2.2 "hook, after the guest"
dom0_down $D
block reset-methods sh -c "grep -H . /sys/bus/pci/devices/$D/reset_method /sys/bus/pci/devices/$E/reset_method"
step "hook: virsh start g2 (an e1000 libvirt cannot reset) fails" \
	not virsh_do /tmp/v8 create $L/g2.xml
block virsh-8 cat /tmp/v8
step "... with xenpt's reason: libvirt cannot reset it" \
	grep -q "xenpt: libvirt hook: g2: $E: libvirt cannot reset it" /tmp/v8
step "... $E untouched: on e1000" test "$(driver_of $E)" = e1000
xen-view owner $E d0
block libvirtd-log sh -c "grep -iE 'hook|xenpt|reset|pciback|exit status' /var/log/libvirt/libvirtd.log | tail -n 60"
block guest-g1 cat "$(guest_log g1)"
step "libvirtd stopped at the end" libvirt_stop
