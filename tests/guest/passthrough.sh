# SPDX-License-Identifier: GPL-2.0
# Scenario passthrough (bed xen-pt, stock 6.1 as PVH dom0, Xen 4.20): the
# main job.  xenpt's modules load at boot before xen-pciback (as the
# packages' modules-load.d and softdep do), 00:04.0 is hidden with
# xen-pciback.hide=, and Debian 13's unmodified xl gives it to a PV guest:
# with pci= at xl create, then by xl pci-attach into a running guest,
# pci-detach and pci-attach again.  Judged from the guest (its INTx count
# rises, pings answered) and from Xen's IRQ table.
# needs: xen-tools guest
# linux-args: xen-pciback.hide=(0000:00:04.0)

pt_dom0 at-boot
step "setup_gsi done for $PT" grep -q '^done 0' /sys/bus/pci/devices/$PT/xenpt/setup_gsi
gsi=$(cat /sys/bus/pci/devices/$PT/gsi)

# 1. xl create with pci=.
step "xl create with pci = [ '$PT' ]" guest_create pt1 pv $PT
guest_round pt1 1
xen-view bound "$gsi" 1
block pciback-ext-pt1 cat /sys/bus/pci/devices/$PT/xenpt/pirq
step "pciback-ext gave d1 the pirq it binds" \
	grep -qE '^(remapped|aligned) 1 ' /sys/bus/pci/devices/$PT/xenpt/pirq
step "xl destroy pt1" xl destroy pt1

# 2. xl pci-attach into a running guest, detach, attach again.
step "xl create without a device" guest_create pt2 pv
step "pt2 is up" guest_wait pt2 "GUEST READY" 120
step "xl pci-attach pt2 $PT" xl pci-attach pt2 $PT
guest_round pt2 1
xen-view bound "$gsi" 2
step "xl pci-detach pt2 $PT" xl pci-detach pt2 $PT
step "pt2: the NIC went away" guest_wait pt2 "GUEST ROUND 1 GONE" 60
step "xl pci-attach pt2 $PT again" xl pci-attach pt2 $PT
guest_round pt2 2
step "xl destroy pt2" xl destroy pt2
block guest-pt1 cat "$(guest_log pt1)"
block guest-pt2 cat "$(guest_log pt2)"
