# SPDX-License-Identifier: GPL-2.0
# Scenario passthrough-hvm (bed xen-pt, stock 6.1 as PVH dom0, Xen 4.20):
# an HVM guest (hvmloader, SeaBIOS, Debian 13's QEMU 10 as device model,
# which asks xc_pcidev_get_gsi() itself on a PVH dom0) gets 00:04.0,
# hidden at boot.  First with privcmd-gsi alone: QEMU gets the GSI and
# binds it, but nothing ever set the GSI up in Xen (no dom0 driver touched
# it), so INTx never arrives.  Then with pciback-ext, whose
# PHYSDEVOP_setup_gsi makes the difference.
# needs: xen-tools guest qemu
# timeout: 900
# linux-args: xen-pciback.hide=(0000:00:04.0)

pt_dom0 none
step "insmod privcmd-gsi" insmod $M/privcmd-gsi.ko
gsi=$(cat /sys/bus/pci/devices/$PT/gsi)
xen-view pin "$gsi" none

# Without setup_gsi: the device reaches the guest, its interrupts do not.
t0=$(cut -d. -f1 /proc/uptime)
step "xl create an HVM guest with pci = [ '$PT' ] (privcmd-gsi only)" guest_create hvm1 hvm $PT
step "hvm1 is up" guest_wait hvm1 "GUEST READY" 240
echo "# hvm1: GUEST READY $(( $(cut -d. -f1 /proc/uptime) - t0 )) s after xl create"
step "hvm1: the guest sees the NIC" guest_wait hvm1 "GUEST ROUND 1 PINGS" 120
log=$(guest_log hvm1)
set -- $(sed -n 's/.*GUEST ROUND 1 IRQS \([0-9]*\) \([0-9]*\) \([0-9]*\).*/\1 \2 \3/p' "$log") \
	$(sed -n 's/.*GUEST ROUND 1 PINGS \([0-9]*\) \([0-9]*\).*/\1 \2/p' "$log")
echo "# hvm1 (no setup_gsi): INTx count ${1:-none} -> ${2:-none} -> ${3:-none}, ${5:-0} of ${4:-0} pings answered"
step "hvm1: without setup_gsi no INTx arrives (${2:-0})" test "${2:-0}" -eq 0
step "hvm1: ... and no ping is answered" test "${5:-0}" -eq 0
block guest-hvm1 cat "$log"
step "xl destroy hvm1" xl destroy hvm1

# With pciback-ext: PHYSDEVOP_setup_gsi at load.
step "insmod pciback-ext" insmod $M/pciback-ext.ko
step "setup_gsi done" grep -qx 'done -17' /sys/bus/pci/devices/$PT/xenpt/setup_gsi
xen-view pin "$gsi" level high
t0=$(cut -d. -f1 /proc/uptime)
step "xl create an HVM guest with pci = [ '$PT' ] (pciback-ext)" guest_create hvm2 hvm $PT
step "hvm2 is up" guest_wait hvm2 "GUEST READY" 240
echo "# hvm2: GUEST READY $(( $(cut -d. -f1 /proc/uptime) - t0 )) s after xl create"
guest_round hvm2 1
xen-view bound "$gsi" 2
step "pciback-ext left the HVM guest's pirq alone" \
	grep -q '^hvm-guest 2 ' /sys/bus/pci/devices/$PT/xenpt/pirq
block guest-hvm2 cat "$(guest_log hvm2)"
step "xl destroy hvm2" xl destroy hvm2
