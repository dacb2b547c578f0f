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
X=/sys/bus/pci/devices/$PT/xenpt
gsi=$(cat /sys/bus/pci/devices/$PT/gsi)
block pciback-ext-at-boot grep -H . $X/gsi $X/gsi_source $X/setup_gsi $X/reset_notify $X/resets
# pciback set the hidden device up after the bind (its module init's
# pcistub_init_devices_late()): the setup follows the registration Linux
# made then, and the bind-time reset reaches Xen.
step "pciback-ext's GSI is the one Linux registered" grep -qx registered $X/gsi_source
step "... the GSI privcmd-gsi answers ($gsi)" test "$(cat $X/gsi)" = "$gsi"
step "setup_gsi done for $PT" grep -q '^done ' $X/setup_gsi
step "the bind-time reset of $PT was told to Xen" \
	sh -c "grep -q '^done 0' $X/reset_notify && [ \$(cat $X/resets) -ge 1 ]"

# 1. xl create with pci=.
step "xl create with pci = [ '$PT' ]" guest_create pt1 pv $PT
guest_round pt1 1
xen-view bound "$gsi" 1
block pciback-ext-pt1 cat /sys/bus/pci/devices/$PT/xenpt/pirq
step "pciback-ext gave d1 the pirq it binds" \
	grep -qE '^(remapped|aligned) 1 ' /sys/bus/pci/devices/$PT/xenpt/pirq
# pciback-ext reloaded while the guest holds the device: Xen is told of no
# reset, since none happened; the guest keeps its interrupt.
step "rmmod pciback-ext while pt1 holds $PT" rmmod pciback_ext
step "insmod pciback-ext again" insmod $M/pciback-ext.ko
block pciback-ext-reloaded grep -H . $X/reset_notify $X/resets
step "no reset notice at load for a device a guest holds" grep -qx 'none 0' $X/reset_notify
xen-view bound "$gsi" 1
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
