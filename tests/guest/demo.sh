# SPDX-License-Identifier: GPL-2.0
# Scenario demo (bed xen, stock kernel, Xen 4.20): the GSI table of every
# PCI device with 00:04.0 on pciback, as block "table" (make demo).

dom0_start
step "insmod xen-pciback" insmod $M/xen-pciback.ko
step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko
d=0000:00:04.0
echo $d > /sys/bus/pci/drivers/e1000/unbind
echo $d > /sys/bus/pci/drivers/pciback/new_slot
echo $d > /sys/bus/pci/drivers/pciback/bind
gsi-check table
