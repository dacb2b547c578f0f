# SPDX-License-Identifier: GPL-2.0
# Scenario pciback-ext (bed xen, stock kernel as PVH dom0, Xen 4.20 or
# 4.17): what Linux 6.12's pciback does for a PVH dom0, by pciback-ext.
#
# 00:04.0 and 01:01.0 (behind the bridge), both GSI 20, and the pin-less
# 00:06.0 are hidden at boot: pciback takes them when it loads, before
# privcmd-gsi, and no dom0 driver ever touches GSI 20, so Xen has it
# registered only if setup_gsi did it.  00:05.0 goes to pciback later,
# through xenpt, after e1000 used it (GSI 21: already registered).
# linux-args: xen-pciback.hide=(0000:00:04.0)(0000:01:01.0)(0000:00:06.0)

HIDDEN="0000:00:04.0 0000:01:01.0"
step "dom0 is PVH" grep -qx PVH /sys/hypervisor/guest_type
step "insmod xen-privcmd" insmod $M/xen-privcmd.ko
# As modprobe does (busybox insmod does not): module options from the
# kernel command line.
hide=$(sed -n 's/.*xen-pciback\.hide=\([^ ]*\).*/\1/p' /proc/cmdline)
step "insmod xen-pciback hide=$hide" insmod $M/xen-pciback.ko "hide=$hide"
for d in $HIDDEN 0000:00:06.0; do
	step "$d was seized by pciback at load" test "$(driver_of $d)" = pciback
done
step "insmod e1000" insmod $M/e1000.ko
xen-view pin 20 none

# privcmd-gsi after pciback: the hidden devices' GSIs come from ACPI.
step "insmod privcmd-gsi after pciback" insmod $M/privcmd-gsi.ko
gsi-check expect --source acpi pciback --min-devices 3
for d in $HIDDEN; do
	gsi-check ask /dev/xen/privcmd $d "$(cat /sys/bus/pci/devices/$d/gsi)"
done
gsi-check ask /dev/xen/privcmd 0000:00:06.0 ENOENT
xen-view pin 20 none

step "insmod pciback-ext" insmod $M/pciback-ext.ko
gsi-check pciback-ext --xen "$XEN" $HIDDEN 0000:00:06.0
# dom0 bound GSI 20 the way its own drivers do, which every Xen with a PVH
# dom0 registers (4.17 too, which lacks setup_gsi): bound to dom0.
xen-view pin 20 level high
xen-view bound 20 0
if [ "$XEN" = 4.17 ]; then
	step "said once that Xen lacks setup_gsi" \
		sh -c "[ \$(dmesg | grep -c 'Xen has no PHYSDEVOP_setup_gsi') = 1 ]"
fi

# Moved by xenpt later: e1000 had GSI 21 registered in Xen already.
X="xenpt --state-dir /tmp/xenpt-state --udev-dir /tmp/udev"
# (no Xen libraries in this dom0: no quarantine; xen-clients has it.
# Xen 4.17 cannot pass devices through from a PVH dom0: --force.)
F=
[ "$XEN" = 4.17 ] && F=--force
step "xenpt assignable-add $F 0000:00:05.0" $X assignable-add $F --no-quarantine 0000:00:05.0
gsi-check pciback-ext --xen "$XEN" 0000:00:05.0
step "xenpt assignable-remove -r 0000:00:05.0" $X assignable-remove -r 0000:00:05.0
step "00:05.0 left pciback: no xenpt group" \
	test ! -e /sys/bus/pci/devices/0000:00:05.0/xenpt
step "00:05.0 is back on e1000" test "$(driver_of 0000:00:05.0)" = e1000

# Unload and reload in the other order, with devices staying on pciback.
step "rmmod privcmd-gsi under pciback-ext" rmmod privcmd_gsi
step "rmmod pciback-ext with devices on pciback" rmmod pciback_ext
step "no xenpt group left" sh -c "! ls -d /sys/bus/pci/devices/*/xenpt 2>/dev/null"
for d in $HIDDEN; do
	step "$d stays on pciback" test "$(driver_of $d)" = pciback
done
step "insmod pciback-ext before privcmd-gsi" insmod $M/pciback-ext.ko
step "setup waits for privcmd-gsi" \
	grep -qx 'no-privcmd-gsi -95' /sys/bus/pci/devices/0000:00:04.0/xenpt/setup_gsi
step "insmod privcmd-gsi after pciback-ext" insmod $M/privcmd-gsi.ko
sleep 1
gsi-check pciback-ext --xen "$XEN" $HIDDEN 0000:00:06.0
step "rmmod pciback-ext" rmmod pciback_ext
step "rmmod privcmd-gsi" rmmod privcmd_gsi
step "rmmod xen-pciback" rmmod xen_pciback
