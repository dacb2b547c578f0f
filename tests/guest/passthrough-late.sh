# SPDX-License-Identifier: GPL-2.0
# Scenario passthrough-late (bed xen-pt, stock 6.1 as PVH dom0, Xen 4.20):
# xenpt's modules load after xen-pciback seized 00:04.0 at boot (hidden
# with xen-pciback.hide=, so nothing recorded its GSI and no dom0 driver
# ever set it up in Xen): the GSI comes from ACPI, pciback-ext sets it up
# when it loads, and a PV guest given the device by xl create gets its
# interrupts.
# needs: xen-tools guest
# linux-args: xen-pciback.hide=(0000:00:04.0)

pt_dom0 late
step "the GSI comes from ACPI" grep -qx acpi /sys/bus/pci/devices/$PT/xenpt/gsi_source
step "setup_gsi done at load" grep -qx 'done -17' /sys/bus/pci/devices/$PT/xenpt/setup_gsi
gsi=$(cat /sys/bus/pci/devices/$PT/gsi)
step "xl create with pci = [ '$PT' ]" guest_create late pv $PT
guest_round late 1
xen-view bound "$gsi" 1
step "xl destroy late" xl destroy late
block guest-late cat "$(guest_log late)"
