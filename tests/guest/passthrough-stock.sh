# SPDX-License-Identifier: GPL-2.0
# Scenario passthrough-stock (bed xen-pt, stock 6.1 as PVH dom0, Xen 4.20,
# no xenpt): what a Debian 12 dom0 admin gets today.  xl create with pci=
# fails: libxenctrl's xc_pcidev_get_gsi() gets ENOTTY from 6.1's privcmd.
# needs: xen-tools guest
# linux-args: xen-pciback.hide=(0000:00:04.0)

pt_dom0 none
step "xl create with pci = [ '$PT' ] fails" not guest_create stock pv $PT
step "libxl says why: Failed to get gsi ... Inappropriate ioctl for device" \
	grep -q "Failed to get gsi for dev $PT (25 = Inappropriate ioctl for device)" /tmp/xl-create-stock
step "libxl__arch_hvm_map_gsi failed" grep -q 'libxl__arch_hvm_map_gsi failed' /tmp/xl-create-stock
step "no guest is left" sh -c "! xl list stock 2>/dev/null"
