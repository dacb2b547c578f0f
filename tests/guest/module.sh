# SPDX-License-Identifier: GPL-2.0
# Scenario module (beds q35, microvm and pc, no Xen; stock or debug
# kernel): privcmd-gsi against the kernel's own GSI lines, both recording
# paths, unbind, hot-remove and rescan, reload, bad and random ioctls.  On
# the debug kernel also readers hammering it while it loads and unloads.
# On pc every slot goes through a link with several possible IRQs: where
# Linux's choice is not certain to privcmd-gsi (devices disabled before it
# loaded, recovered legacy IRQs' polarity), "unknown" is right, another
# GSI never.

PARAMS=test_no_xen=1
irq_ne_gsi=
[ "$BED" = microvm ] && irq_ne_gsi=--irq-ne-gsi
several=
[ "$BED" = pc ] && several=--unknown-ok
e1000_devices() { ls /sys/bus/pci/drivers/e1000 | grep ':'; }

step "refuses to load outside Xen without test_no_xen" \
	sh -c "! insmod $M/privcmd-gsi.ko"
step "refuses test_fill_records beyond its limit" \
	sh -c "! insmod $M/privcmd-gsi.ko $PARAMS test_fill_records=70000"
step "said why it refused" \
	sh -c "dmesg | grep -q 'privcmd_gsi: not a Xen initial domain'"

# Loaded before the NIC driver: the recorder sees every registration.
step "insmod privcmd-gsi before e1000" insmod $M/privcmd-gsi.ko $PARAMS
step "device node is 0600 root" \
	sh -c "ls -l /dev/xen/privcmd-gsi | grep -q '^crw-------'"
step "insmod e1000" insmod $M/e1000.ko
gsi-check expect --source registered e1000 $irq_ne_gsi $several --min-devices 4

# Unbinding disables the device and unregisters its GSI: it must stay.
devs=$(e1000_devices)
for d in $devs; do
	echo "$d" > /sys/bus/pci/drivers/e1000/unbind
done
gsi-check unbound $devs
# Disabled before the module loads (as a device pciback seized at boot):
# neither the recorder nor recovery sees it, the ACPI _PRT must tell the
# kernel's GSI, trigger and polarity.
step "rmmod privcmd-gsi with the devices unbound" rmmod privcmd_gsi
step "insmod privcmd-gsi with the devices unbound" insmod $M/privcmd-gsi.ko $PARAMS
gsi-check expect --source acpi none $irq_ne_gsi $several --min-devices 0
for d in $devs; do
	echo "$d" > /sys/bus/pci/drivers/e1000/bind
done
gsi-check expect --source registered e1000 $irq_ne_gsi $several --min-devices 4

# Hot-remove and rescan: the file goes with the device and comes back.
first=$(echo "$devs" | head -n 1)
echo 1 > "/sys/bus/pci/devices/$first/remove"
step "hot-removed $first is gone" test ! -e "/sys/bus/pci/devices/$first"
echo 1 > /sys/bus/pci/rescan
step "rescanned $first has a gsi file again" \
	test -e "/sys/bus/pci/devices/$first/gsi"
gsi-check expect --source registered e1000 $irq_ne_gsi $several --min-devices 4

step "rmmod privcmd-gsi" rmmod privcmd_gsi
gsi-check absent

# Loaded after the NIC driver: the GSIs are recovered.
step "insmod privcmd-gsi after e1000" insmod $M/privcmd-gsi.ko $PARAMS
gsi-check expect --source recovered e1000 $irq_ne_gsi $several --min-devices 4
gsi-check fuzz 20000

if [ "$KERNEL" = debug ]; then
	step "rmmod privcmd-gsi before stress" rmmod privcmd_gsi
	gsi-check stress $M/privcmd-gsi.ko 40 "$PARAMS"
	step "insmod privcmd-gsi after stress" insmod $M/privcmd-gsi.ko $PARAMS
	gsi-check expect --source recovered e1000 $irq_ne_gsi $several --min-devices 4
fi

step "rmmod privcmd-gsi" rmmod privcmd_gsi
gsi-check absent
step "rmmod e1000" rmmod e1000
