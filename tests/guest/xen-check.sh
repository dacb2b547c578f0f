# SPDX-License-Identifier: GPL-2.0
# Scenario xen-check (bed xen, stock kernel as PVH dom0, Xen 4.17 or 4.20):
# privcmd-gsi without test parameters, every answer against the kernel's
# own GSI lines, devices bound to pciback and back (the answers given
# meanwhile, on privcmd-gsi's node and on /dev/xen/privcmd, go out as
# "DATA answer" lines for tests/parity.sh), then the
# xenpt CLI as an admin runs it (its JSON goes out as blocks for
# tests/check-cli.py).

dom0_start
# privcmd-gsi first: xen-privcmd and xen-pciback arrive after it.
step "privcmd-gsi loads in dom0 without test parameters" insmod $M/privcmd-gsi.ko
step "xen-privcmd after privcmd-gsi" kmod xen-privcmd
sleep 1
step "privcmd-gsi answers on /dev/xen/privcmd once privcmd loaded" \
	sh -c "dmesg | grep -q 'privcmd_gsi: answering IOCTL_PRIVCMD_PCIDEV_GET_GSI on /dev/xen/privcmd'"
builtin xen-privcmd ||
	step "xen-privcmd cannot be unloaded while privcmd-gsi answers on it" \
		sh -c "! rmmod xen_privcmd 2>/dev/null"
gsi-check ask /dev/xen/privcmd 0000:00:04.0 EOPNOTSUPP
step "insmod xen-pciback" insmod $M/xen-pciback.ko
gsi-check ask /dev/xen/privcmd 0000:00:04.0 ENODEV
gsi-check ask /dev/xen/privcmd 0000:00:1f.7 ENODEV
gsi-check expect --min-devices 4
gsi-check pciback --privcmd $XEN_DEVICES
gsi-check expect --min-devices 4

X="xenpt --state-dir /tmp/xenpt-state --udev-dir /tmp/udev"
D=0000:00:05.0
gsi=$(cat /sys/bus/pci/devices/$D/gsi)
step "xenpt gsi $D says $gsi" sh -c "$X gsi $D | grep -qw $gsi"
xv=$(cat /sys/hypervisor/version/major).$(cat /sys/hypervisor/version/minor)
# Xen 4.17 cannot pass devices through from a PVH dom0: xenpt says so,
# and --force puts them on pciback anyway.
F=
if [ "$xv" = 4.17 ]; then
	step "xenpt assignable-add $D on Xen 4.17 is refused" \
		sh -c "! $X assignable-add $D 2>/tmp/add.err"
	step "... saying why: $(cat /tmp/add.err)" \
		grep -q 'Xen 4.17 cannot pass devices through from a PVH dom0' /tmp/add.err
	F=--force
fi
# This dom0 has no Xen libraries: the quarantine cannot be done, and the
# add says so and changes nothing (xen-clients quarantines, with them).
step "xenpt assignable-add $F $D without libxenctrl is refused" \
	sh -c "! $X assignable-add $F $D 2>/tmp/add.err"
step "... naming the library: $(cat /tmp/add.err)" \
	grep -q "libxenctrl.so.$xv (the libxenctrl of the running Xen $xv) is not installed" /tmp/add.err
step "... and $D stays on e1000" test "$(driver_of $D)" = e1000
step "... unrecorded" sh -c "! $X assignable-list 2>/dev/null | grep -q $D"
step "xenpt assignable-add $F --no-quarantine $D" $X assignable-add $F --no-quarantine $D
step "$D is on pciback" test "$(driver_of $D)" = pciback
step "assignable-add again succeeds" $X assignable-add $F --no-quarantine $D
block assignable $X --json assignable-list
block list $X --json list
step "xenpt assignable-remove -r $D" $X assignable-remove -r $D
step "$D is back on e1000" test "$(driver_of $D)" = e1000
block assignable-after $X --json assignable-list

step "assignable-remove without -r" sh -c \
	"$X assignable-add $F --no-quarantine $D && $X assignable-remove $D"
step "$D is left without a driver" test -z "$(driver_of $D)"
echo $D > /sys/bus/pci/drivers/e1000/bind

# An injected failure: the state directory cannot be written.
step "assignable-add with an unwritable state dir fails" \
	sh -c "! xenpt --state-dir /proc/xenpt assignable-add $F --no-quarantine $D"
step "... and $D stays on e1000" test "$(driver_of $D)" = e1000
# The kernel's own GSI lines are debug messages, not on the console.
block gsi-lines sh -c "dmesg | grep ': PCI INT .* -> GSI '"
step "rmmod privcmd-gsi" rmmod privcmd_gsi
# privcmd's own answer again.
gsi-check ask /dev/xen/privcmd 0000:00:04.0 ENOTTY
builtin xen-privcmd ||
	step "rmmod xen-privcmd after privcmd-gsi" rmmod xen_privcmd
