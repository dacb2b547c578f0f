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
