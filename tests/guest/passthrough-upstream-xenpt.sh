# SPDX-License-Identifier: GPL-2.0
# Scenario passthrough-upstream-xenpt (bed xen-pt, Debian 12's 6.12 as PVH
# dom0, Xen 4.20): what xenpt adds on a kernel with upstream's support,
# with the same guests that fail in passthrough-upstream.  xenpt's modules
# load before xen-pciback, as the packages load them; 6.12's xen-pciback
# sets the GSI up itself, through pciback-ext's dom0 binding, and privcmd
# answers itself.
#  1. A PV guest given 00:04.0 by xl create gets its interrupts: pciback-ext
#     makes its pirq the one pcifront binds.
#  2. The pin-less pci-testdev 00:06.0 binds to xen-pciback (6.12 alone
#     refuses it: EINVAL), /dev/xen/privcmd answers ENOENT for it, which
#     Xen 4.20's libxl takes as "no legacy interrupt", and a PV guest gets
#     the device.
# needs: xen-tools guest
# linux-args: xen-pciback.hide=(0000:00:04.0)

NOPIN=0000:00:06.0
pt_dom0 at-boot
X=/sys/bus/pci/devices/$PT/xenpt
gsi=$(cat /sys/bus/pci/devices/$PT/gsi)
block pciback-ext-at-boot grep -H . $X/gsi $X/gsi_source $X/setup_gsi $X/reset_notify
step "xen-pciback recorded the GSI itself (gsi_source pciback)" grep -qx pciback $X/gsi_source
step "... the GSI privcmd-gsi knows ($gsi)" test "$(cat $X/gsi)" = "$gsi"
step "pciback set it up, bound to dom0 first (setup_gsi done)" grep -q '^done ' $X/setup_gsi
step "pciback tells Xen of its resets itself" grep -q '^pciback ' $X/reset_notify
# privcmd answers by itself on 6.12: privcmd-gsi leaves it alone.
gsi-check ask /dev/xen/privcmd $PT "$gsi"
step "privcmd-gsi left privcmd alone" \
	sh -c "dmesg | grep -q \"this kernel's privcmd answers IOCTL_PRIVCMD_PCIDEV_GET_GSI itself\""

# 1. The PV guest.
step "xl create with pci = [ '$PT' ]" guest_create up1 pv $PT
guest_round up1 1
xen-view bound "$gsi" 1
step "pciback-ext gave d1 the pirq it binds" grep -qE '^(remapped|aligned) 1 ' $X/pirq
step "xl destroy up1" xl destroy up1

# 2. The device without an INTx pin.
step "xl pci-assignable-add $NOPIN (no INTx pin)" xl pci-assignable-add $NOPIN
step "$NOPIN is on pciback" test "$(driver_of $NOPIN)" = pciback
step "its state: no pin" grep -q '^no-pin ' /sys/bus/pci/devices/$NOPIN/xenpt/setup_gsi
gsi-check ask /dev/xen/privcmd $NOPIN ENOENT
step "xl create with pci = [ '$NOPIN' ]" guest_create up2 pv $NOPIN
step "up2 sees the pci-testdev (1b36:0005)" guest_wait up2 "GUEST PCI .* 1b36:0005" 120
step "xl destroy up2" xl destroy up2
step "xl pci-assignable-remove $NOPIN" xl pci-assignable-remove $NOPIN
block guest-up1 cat "$(guest_log up1)"
block guest-up2 cat "$(guest_log up2)"
