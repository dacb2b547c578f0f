# SPDX-License-Identifier: GPL-2.0
# Scenario xen-clients (bed xen, stock kernel as PVH dom0, Xen 4.20):
# Debian 13's own Xen 4.20 libraries and xl, unmodified, against
# privcmd-gsi on Linux 6.1.  xc-gsi calls the real xc_pcidev_get_gsi() of
# libxenctrl, which libxl and QEMU call; its answers go out as "DATA
# answer xc-*" lines for tests/parity.sh.
# needs: xen-tools

PRELOAD=/usr/lib/xenpt/libxenpt-preload.so
A=0000:00:04.0	# e1000, put on pciback: GSI 20
N=0000:00:06.0	# no INTx pin, put on pciback
F=0000:00:05.0	# stays on e1000
dom0_start
step "xen-privcmd" kmod xen-privcmd

# Without pciback: EOPNOTSUPP, from the redirect and from the preload.
step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko
xc-gsi xc-no-pciback $A=EOPNOTSUPP
step "rmmod privcmd-gsi" rmmod privcmd_gsi
step "insmod privcmd-gsi privcmd_hook=0" insmod $M/privcmd-gsi.ko privcmd_hook=0
guest_run env LD_PRELOAD=$PRELOAD xc-gsi xc-no-pciback-preload $A=EOPNOTSUPP
step "rmmod privcmd-gsi" rmmod privcmd_gsi

step "insmod xen-pciback" insmod $M/xen-pciback.ko
for d in $A $N; do
	bind_pciback "$d"
done
# Linux 6.1 alone: what makes xl fail today.
xc-gsi xc-none $A=ENOTTY $N=ENOTTY $F=ENOTTY

# privcmd itself answers.
step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko
xc-gsi xc-hook $A=20 $N=ENOENT $F=ENODEV 0000:00:1f.7=ENODEV
# The redirect is permanent, as livepatch's: ftrace cannot be switched
# off under it (which would silently bring ENOTTY back).
step "sysctl kernel.ftrace_enabled=0 is refused while privcmd-gsi answers" \
	not sh -c 'echo 0 > /proc/sys/kernel/ftrace_enabled'
step "... ftrace stays on" grep -qx 1 /proc/sys/kernel/ftrace_enabled
xc-gsi xc-hook-ftrace $A=20
step "the preload is silent where the kernel answers" sh -c \
	"LD_PRELOAD=$PRELOAD XENPT_PRELOAD_DEBUG=1 xc-gsi xc-hook-preload $A=20 2>&1 >/dev/null | grep -c xenpt-preload | grep -qx 0"
step "rmmod privcmd-gsi" rmmod privcmd_gsi

# The redirect off: the preload answers the same.
step "insmod privcmd-gsi privcmd_hook=0" insmod $M/privcmd-gsi.ko privcmd_hook=0
step "the log says it does not answer on privcmd" \
	sh -c "dmesg | grep -q 'privcmd_gsi: not answering on /dev/xen/privcmd: disabled'"
xc-gsi xc-nohook $A=ENOTTY
guest_run env LD_PRELOAD=$PRELOAD xc-gsi xc-preload $A=20 $N=ENOENT $F=ENODEV 0000:00:1f.7=ENODEV
step "rmmod privcmd-gsi" rmmod privcmd_gsi

# Debian 13's real xl, through its wrapper, with privcmd-gsi loaded.
step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko
step "Xen 4.20 toolstack started (xenstored, xen-init-dom0, xenconsoled)" toolstack_start
step "xl pci-assignable-add $F" xl pci-assignable-add $F
step "$F is on pciback" test "$(driver_of $F)" = pciback
block xl-assignable-list xl pci-assignable-list
step "xl pci-assignable-list names $F" sh -c "xl pci-assignable-list | grep -q '^$F'"
xen-view keys Q
step "xl pci-assignable-remove -r $F" xl pci-assignable-remove -r $F
step "$F is back on e1000" test "$(driver_of $F)" = e1000
block xl-assignable-list-after xl pci-assignable-list

# xenpt's quarantine, through the real libxenctrl.so.4.20, as xl's: Xen's
# own device table (debug key Q) names the owner.
X="xenpt --state-dir /tmp/xenpt-state --udev-dir /tmp/udev"
xen-view owner $F d0
step "xenpt assignable-add $F" $X assignable-add $F
step "$F is on pciback" test "$(driver_of $F)" = pciback
xen-view owner $F DomIO
block xenpt-assignable-list $X --json assignable-list
step "xenpt: quarantined" sh -c "$X --json assignable-list | grep -q '\"quarantined\":true'"
step "xl pci-assignable-list names it" sh -c "xl pci-assignable-list | grep -q '^$F'"
step "xenpt assignable-add again: quarantined again, as xl" $X assignable-add $F
xen-view owner $F DomIO
step "xenpt assignable-remove -r $F" $X assignable-remove -r $F
xen-view owner $F d0
step "$F is back on e1000" test "$(driver_of $F)" = e1000

# Across the two tools, both ways.
step "xenpt assignable-add, xl pci-assignable-remove -r" \
	sh -c "$X assignable-add $F && xl pci-assignable-remove -r $F"
xen-view owner $F d0
# xl rebinds only a driver it recorded itself (in xenstore): none here.
step "$F is left without a driver by xl" test -z "$(driver_of $F)"
step "xenpt assignable-list: its record not in effect" \
	sh -c "$X assignable-list 2>&1 | grep -q '^$F e1000 (not in effect: on no driver)'"
step "xenpt assignable-remove -r repairs it" $X assignable-remove -r $F
step "$F is back on e1000" test "$(driver_of $F)" = e1000
step "xl pci-assignable-add, xenpt assignable-remove -r" \
	sh -c "xl pci-assignable-add $F && $X assignable-remove -r $F"
xen-view owner $F d0
step "$F is back on e1000 (probed: xenpt had no record)" test "$(driver_of $F)" = e1000

# Names, as xl's -n.
step "xenpt assignable-add -n nic1 $F" $X assignable-add -n nic1 $F
step "assignable-list -n shows nic1" sh -c "$X assignable-list -n | grep -q 'nic1'"
step "xenpt assignable-remove -r nic1" $X assignable-remove -r nic1
xen-view owner $F d0
step "$F is back on e1000" test "$(driver_of $F)" = e1000

# Without the running Xen's libxenctrl: refused, nothing changed.
mv /usr/lib/x86_64-linux-gnu/libxenctrl.so.4.20 /tmp/
step "without libxenctrl.so.4.20, assignable-add is refused" \
	sh -c "! $X assignable-add $F 2>/tmp/add.err"
step "... naming it: $(cat /tmp/add.err)" grep -q 'libxenctrl.so.4.20 .*is not installed' /tmp/add.err
step "... $F stays on e1000" test "$(driver_of $F)" = e1000
xen-view owner $F d0
mv /tmp/libxenctrl.so.4.20 /usr/lib/x86_64-linux-gnu/
step "--no-quarantine: on pciback" $X assignable-add --no-quarantine $F
xen-view owner $F d0
step "... and back" $X assignable-remove -r $F
step "$F is back on e1000" test "$(driver_of $F)" = e1000
