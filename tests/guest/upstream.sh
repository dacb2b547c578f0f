# SPDX-License-Identifier: GPL-2.0
# Scenario upstream (bed xen, Linux 6.12 as PVH dom0): upstream privcmd's
# IOCTL_PRIVCMD_PCIDEV_GET_GSI for the devices xen-check moves to pciback,
# as "DATA answer upstream..." lines: the parity reference.

dom0_start
step "insmod xen-pciback" insmod $M/xen-pciback.ko
step "insmod xen-privcmd" insmod $M/xen-privcmd.ko
gsi-check pciback --upstream $XEN_DEVICES
# What Linux 6.12 set up in Xen for them (the pins are never unset): the
# same trigger and polarity as pciback-ext's (scenario pciback-ext).
if [ "$XEN" = 4.20 ]; then
	xen-view pin 20 level high
	xen-view pin 23 level high
fi
