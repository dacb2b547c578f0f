# SPDX-License-Identifier: GPL-2.0
# Scenario passthrough-giveback (bed xen-pt, stock 6.1 as PVH dom0, Xen
# 4.20): a device given back to dom0 keeps its interrupts there.
#
# 00:04.0 is on dom0's e1000 with its interface down, so no dom0 driver
# ever unmasked GSI 20 (as for any device reserved before use).  Handed
# to pciback with xl pci-assignable-add, then back with
# pci-assignable-remove -r: dom0's e1000 must get its interrupts.  Then
# the same after a PV guest had it; then with 01:01.0, which shares GSI
# 20, busy in dom0 while a guest has 00:04.0: both keep getting theirs.
# Judged from dom0's interrupt counts and pings, and Xen's IRQ table.
# needs: xen-tools guest
# timeout: 900

SHARER=0000:01:01.0
step "dom0 is PVH" grep -qx PVH /sys/hypervisor/guest_type
step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko
step "insmod pciback-ext" insmod $M/pciback-ext.ko
step "xen-privcmd" kmod xen-privcmd
step "insmod xen-pciback" insmod $M/xen-pciback.ko
step "insmod e1000" insmod $M/e1000.ko
step "$PT on e1000 in dom0" test "$(driver_of $PT)" = e1000
step "Xen 4.20 toolstack started" toolstack_start
gsi=$(cat /sys/bus/pci/devices/$PT/gsi)
echo "# $PT: GSI $gsi"
xen-view pin "$gsi" none

# 1. To pciback and back, no guest.
step "xl pci-assignable-add $PT" xl pci-assignable-add $PT
step "setup_gsi done" grep -q '^done ' /sys/bus/pci/devices/$PT/xenpt/setup_gsi
block setup-gsi-1 cat /sys/bus/pci/devices/$PT/xenpt/setup_gsi
xen-view pin "$gsi" level high
xen-view bound "$gsi" 0
step "xl pci-assignable-remove -r $PT" xl pci-assignable-remove -r $PT
step "$PT back on e1000" test "$(driver_of $PT)" = e1000
dom0_ping $PT 10.0.2.15 10.0.2.2 "given back"
xen-view bound "$gsi" 0
dom0_down $PT

# 2. After a PV guest had it.
step "xl pci-assignable-add $PT again" xl pci-assignable-add $PT
step "xl create with pci = [ '$PT' ]" guest_create gb1 pv $PT
guest_round gb1 1
step "xl destroy gb1" xl destroy gb1
step "xl pci-assignable-remove -r $PT after gb1" xl pci-assignable-remove -r $PT
step "$PT back on e1000 after gb1" test "$(driver_of $PT)" = e1000
dom0_ping $PT 10.0.2.15 10.0.2.2 "after a guest"
dom0_down $PT

# 3. Its GSI shared with a dom0 device that is busy meanwhile.
dom0_ping $SHARER 10.0.3.15 10.0.3.2 "sharer before"
step "xl pci-assignable-add $PT (GSI shared with $SHARER)" xl pci-assignable-add $PT
step "xl create with pci = [ '$PT' ] (shared GSI)" guest_create gb2 pv $PT
guest_round gb2 1
dom0_ping $SHARER 10.0.3.15 10.0.3.2 "sharer while the guest runs"
step "xl destroy gb2" xl destroy gb2
step "xl pci-assignable-remove -r $PT after gb2" xl pci-assignable-remove -r $PT
dom0_ping $PT 10.0.2.15 10.0.2.2 "given back, shared GSI"
dom0_ping $SHARER 10.0.3.15 10.0.3.2 "sharer after"
xen-view keys i
block guest-gb1 cat "$(guest_log gb1)"
block guest-gb2 cat "$(guest_log gb2)"
