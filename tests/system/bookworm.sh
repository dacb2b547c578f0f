# SPDX-License-Identifier: GPL-2.0
# A real Debian 12 dom0 (tests/system.sh): Debian 12's two kernels, 6.1
# and bookworm-security's 6.12, xenpt installed from its .debs with apt
# and DKMS, no Xen packages (Debian 12's are 4.17, whose tools cannot
# drive the 4.20 hypervisor it boots under): no guest, no quarantine.
# Two boots of the same disk:
# phase 1: 6.1 a device of dom0's e1000 made persistent for pciback
# phase 2: 6.12 udev's pciback at boot on 6.12, the device given back
PT=0000:00:04.0
X=/sys/bus/pci/devices/$PT/xenpt
step "systemd is up, no unit failed" system_up
step "dom0 is PVH" grep -qx PVH /sys/hypervisor/guest_type
step "xenpt's modules loaded at boot" \
	sh -c "grep -q '^privcmd_gsi ' /proc/modules && grep -q '^pciback_ext ' /proc/modules"
modprobe xen-privcmd

case $PHASE in
1)
	step "$PT is on dom0's e1000" test "$(driver_of $PT)" = e1000
	step "modprobe xen-pciback (xenpt's softdep loads its modules first)" \
		modprobe xen-pciback
	step "xenpt assignable-add --persist --no-quarantine $PT" \
		xenpt assignable-add --persist --no-quarantine $PT
	step "$PT is on pciback" test "$(driver_of $PT)" = pciback
	;;
2)
	seized_at_boot $PT
	;;
esac
block xenpt-list xenpt list
block xenpt-state grep -H . $X/gsi $X/gsi_source $X/setup_gsi $X/reset_notify
step "setup_gsi done (dom0 bound the GSI, Xen has the pin)" grep -q '^done ' $X/setup_gsi
gsi=$(cat /sys/bus/pci/devices/$PT/gsi)
step "xenpt gsi $PT says the GSI privcmd-gsi knows ($gsi)" \
	test "$(xenpt gsi $PT 2>/dev/null | cut -d" " -f2)" = "$gsi"
xen-view pin "$gsi" level high
xen-view bound "$gsi" 0
if [ "$PHASE" = 2 ]; then
	step "xenpt assignable-remove -r $PT" xenpt assignable-remove -r $PT
	step "$PT is back on e1000" test "$(driver_of $PT)" = e1000
	dom0_ping $PT 10.0.2.15 10.0.2.2 "given back"
fi
