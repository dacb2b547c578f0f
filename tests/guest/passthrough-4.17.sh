# SPDX-License-Identifier: GPL-2.0
# Scenario passthrough-4.17 (bed xen-pt, stock 6.1 as PVH dom0, Xen 4.17):
# Xen 4.17 cannot pass devices through from a PVH dom0 at all (no
# PHYSDEVOP_setup_gsi, map_pirq or XEN_DOMCTL_gsi_permission for it), and
# Xen 4.20's tools cannot drive it.  Refused cleanly, saying why.
# needs: xen-tools guest
# linux-args: xen-pciback.hide=(0000:00:04.0)

pt_dom0 at-boot no-toolstack
step "pciback-ext: setup_gsi unsupported (ENOSYS), the device stays bound" \
	grep -qx 'unsupported -38' /sys/bus/pci/devices/$PT/xenpt/setup_gsi
step "pciback-ext said why, once" \
	sh -c "[ \$(dmesg | grep -c 'Xen has no PHYSDEVOP_setup_gsi for a PVH dom0') = 1 ]"
step "xenpt assignable-add refuses it, saying why" \
	sh -c "! xenpt --state-dir /tmp/st --udev-dir /tmp/u assignable-add 0000:00:05.0 2>/tmp/xenpt-417.err"
block xenpt-assignable-add cat /tmp/xenpt-417.err
step "... Xen 4.20 needed" grep -q 'Xen 4.20' /tmp/xenpt-417.err
step "Xen 4.20's toolstack cannot start on Xen 4.17" not toolstack_start
step "xl create with pci = [ '$PT' ] is refused" not guest_create x417 pv $PT
step "... by Debian's xl wrapper: no xen-utils-4.17" \
	grep -q "Can't find version 4.17 of xen utils" /tmp/xl-create-x417
